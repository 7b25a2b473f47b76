/*
 * plan_html.c - the plan as one self-contained HTML page (plan.h): the
 * figures before and after, and the map: for "before" and "after", the
 * NUMA nodes side by side; in each node one band per device (boot RAM,
 * each DIMM, each CXL or dax device by name) with its first block and
 * address on the edge; a square per memory block coloured by zone (or
 * offline), the part of the block holding its own memmap shaded at the
 * block's foot, the block number on it; a legend of what is present.
 *
 * Contract: no external resources (opens offline); every block is a
 * <div class="block"> with data-block, data-zone, data-node, data-when
 * and data-memmap (pages), every device band a <div class="device">
 * with data-owner, so a test can read the drawing back. A small script
 * fills in the counts it finds (what a browser really drew).
 * Expected workload: once per plan; thousands of blocks.
 */
#include <string.h>

#include "../machine.h"
#include "plan.h"

static void html_esc(FILE *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '<')
			fputs("&lt;", out);
		else if (*s == '>')
			fputs("&gt;", out);
		else if (*s == '&')
			fputs("&amp;", out);
		else if (*s == '"')
			fputs("&quot;", out);
		else
			fputc(*s, out);
	}
}

static const char *zone_class(const struct plan_block *b, int w)
{
	if (b->state[w] != MEM_ONLINE)
		return "offline";
	return b->zone[w] >= 0 ? zone_names[b->zone[w]] : "several";
}

static void draw_node(const struct plan *p, FILE *out, unsigned int n, int w)
{
	const char *owner = NULL;
	size_t i;
	bool open = false;

	fprintf(out, "<div class=\"node\" data-node=\"%u\" data-when=\"%s\"><h3>node %u</h3>\n", n,
		w ? "after" : "before", n);
	for (i = 0; i < p->nr_blocks; i++) {
		const struct plan_block *b = &p->blocks[i];
		uint64_t pages = p->block_size / p->page_size;
		unsigned int pct;

		if (!b->state[w] || b->nid[w] != (int)n)
			continue;
		if (!open || b->owner != owner || (i && p->blocks[i - 1].id + 1 != b->id)) {
			if (open)
				fputs("</div></div>\n", out);
			owner = b->owner;
			fputs("<div class=\"device\" data-owner=\"", out);
			html_esc(out, owner);
			fputs("\"><div class=\"devlabel\">", out);
			html_esc(out, owner);
			fprintf(out, " <span class=\"addr\">memory%llu @ %#llx</span></div><div class=\"blocks\">",
				(unsigned long long)b->id, (unsigned long long)(b->id * p->block_size));
			open = true;
		}
		pct = b->state[w] && b->memmap_on_block && w ?
		      (unsigned int)((b->memmap_on_block * 100 + pages - 1) / pages) : 0;
		fprintf(out, "<div class=\"block z-%s%s\" data-block=\"%llu\" data-zone=\"%s\" data-node=\"%u\" data-when=\"%s\" data-memmap=\"%llu\" title=\"memory%llu %#llx: %s%s\">",
			zone_class(b, w), b->changed ? " changed" : "", (unsigned long long)b->id,
			zone_class(b, w), n, w ? "after" : "before",
			(unsigned long long)(w ? b->memmap_on_block : 0), (unsigned long long)b->id,
			(unsigned long long)(b->id * p->block_size), zone_class(b, w),
			pct ? ", memmap on the block" : "");
		if (pct)
			fprintf(out, "<div class=\"memmap\" style=\"height:%u%%\"></div>", pct < 8 ? 8 : pct);
		fprintf(out, "<span class=\"bn\">%llu</span></div>", (unsigned long long)b->id);
	}
	if (open)
		fputs("</div></div>\n", out);
	fputs("</div>\n", out);
}

void plan_html(const struct plan *p, FILE *out)
{
	static const char *const colours[] = {
		"DMA", "#c9a0dc", "DMA32", "#9ec5fe", "Normal", "#75b798", "Movable", "#ffda6a",
		"Device", "#adb5bd", "several", "#e685b5", "offline", "#ffffff",
	};
	unsigned int n;
	size_t i, c;
	int w, z;

	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>hotmem plan</title>\n<style>\n"
	      "body{font:14px sans-serif;margin:1em}table{border-collapse:collapse}td,th{padding:2px 8px;text-align:right}"
	      "th:first-child,td:first-child{text-align:left}.maps{display:flex;gap:2em;flex-wrap:wrap}"
	      ".nodes{display:flex;gap:1em;align-items:flex-start}.node{border:1px solid #888;padding:4px;max-width:40em}"
	      ".device{border-left:4px solid #555;margin:4px 0;padding-left:4px}.devlabel{font-weight:bold;font-size:12px}"
	      ".addr{font-weight:normal;color:#555}.blocks{display:flex;flex-wrap:wrap;gap:1px}"
	      ".block{position:relative;width:26px;height:26px;border:1px solid #444;box-sizing:border-box;overflow:hidden}"
	      ".block.changed{outline:2px solid #d00}.bn{position:absolute;top:1px;left:1px;font-size:8px}"
	      ".memmap{position:absolute;bottom:0;left:0;right:0;background:repeating-linear-gradient(45deg,#333 0 2px,transparent 2px 4px)}"
	      ".legend span{display:inline-block;padding:2px 6px;margin-right:6px;border:1px solid #444}\n", out);
	for (c = 0; c < sizeof(colours) / sizeof(colours[0]); c += 2)
		fprintf(out, ".z-%s,.legend .z-%s{background:%s}\n", colours[c], colours[c], colours[c + 1]);
	fputs("</style></head><body>\n<h1>hotmem plan</h1>\n<p id=\"source\">", out);
	html_esc(out, p->source);
	fprintf(out, " &mdash; %s, %llu MiB blocks, %u node(s)</p>\n<ol id=\"steps\">", p->arch,
		(unsigned long long)(p->block_size >> 20), p->nr_nodes);
	for (i = 0; i < p->nr_steps; i++) {
		fputs("<li>", out);
		html_esc(out, p->step_text[i]);
		fputs("</li>", out);
	}
	fputs("</ol>\n<table id=\"figures\"><tr><th></th><th>before</th><th>after</th><th>change</th></tr>\n", out);
	fprintf(out, "<tr data-row=\"MemTotal\"><td>MemTotal</td><td>%llu kB</td><td>%llu kB</td><td>%+lld kB</td></tr>\n",
		(unsigned long long)p->memtotal_kb[0], (unsigned long long)p->memtotal_kb[1],
		(long long)(p->memtotal_kb[1] - p->memtotal_kb[0]));
	for (n = 0; n < p->nr_nodes; n++) {
		fprintf(out, "<tr data-row=\"node%u\"><td>node%u MemTotal</td><td>%llu kB</td><td>%llu kB</td><td>%+lld kB</td></tr>\n",
			n, n, (unsigned long long)p->nodes[n].memtotal_kb[0],
			(unsigned long long)p->nodes[n].memtotal_kb[1],
			(long long)(p->nodes[n].memtotal_kb[1] - p->nodes[n].memtotal_kb[0]));
	}
	fprintf(out, "<tr data-row=\"memmap\"><td>memmap pages</td><td>%lld</td><td>%lld</td><td>%+lld</td></tr></table>\n",
		(long long)p->memmap_pages[0], (long long)p->memmap_pages[1],
		(long long)(p->memmap_pages[1] - p->memmap_pages[0]));
	/* the legend shows only what is drawn */
	fputs("<p class=\"legend\" id=\"legend\">", out);
	for (c = 0; c < sizeof(colours) / sizeof(colours[0]); c += 2) {
		bool used = false;

		for (i = 0; i < p->nr_blocks && !used; i++)
			for (w = 0; w < 2; w++)
				used |= p->blocks[i].state[w] && !strcmp(zone_class(&p->blocks[i], w), colours[c]);
		if (used)
			fprintf(out, "<span class=\"z-%s\" data-legend=\"%s\">%s</span>", colours[c], colours[c],
				colours[c]);
	}
	for (i = 0; i < p->nr_blocks; i++)
		if (p->blocks[i].memmap_on_block && p->blocks[i].state[1])
			break;
	if (i < p->nr_blocks)
		fputs("<span data-legend=\"memmap\"><span class=\"memmap-key\" style=\"display:inline-block;width:12px;height:8px;background:repeating-linear-gradient(45deg,#333 0 2px,transparent 2px 4px)\"></span> memmap on the block</span>", out);
	fputs("<span data-legend=\"changed\" style=\"outline:2px solid #d00\">changes in the plan</span></p>\n<div class=\"maps\">\n", out);
	for (w = 0; w < 2; w++) {
		fprintf(out, "<section class=\"map\" data-when=\"%s\"><h2>%s</h2><div class=\"nodes\">\n",
			w ? "after" : "before", w ? "after" : "before");
		for (n = 0; n < p->nr_nodes; n++)
			draw_node(p, out, n, w);
		fputs("</div></section>\n", out);
	}
	(void)z;
	fputs("</div>\n<p id=\"drawn\"></p>\n<script>\n"
	      "(function(){var b=document.querySelectorAll('.block[data-when=\"after\"]').length,"
	      "a=document.querySelectorAll('.block[data-when=\"before\"]').length,"
	      "c=document.querySelectorAll('.block.changed[data-when=\"after\"]').length;"
	      "document.getElementById('drawn').textContent='drawn: '+a+' blocks before, '+b+' after, '+c+' changed';})();\n"
	      "</script>\n</body></html>\n", out);
}
