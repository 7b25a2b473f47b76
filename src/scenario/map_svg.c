/*
 * map_svg.c - the memory map as an SVG picture: a square per memory
 * block coloured by its zone or state, a stripe under it naming the
 * /proc/iomem resource the block lies in (System RAM, kmem, pmem, a CXL
 * window), a tooltip per block, rows of consecutive blocks with the
 * holes between them stated. Read only through the backend (sysfs and
 * /proc/iomem), so it pictures a real kernel as well as the model.
 *
 * Contract: scenario_render_map_svg() appends a standalone SVG document
 * to sb and returns 0 or -errno from the backend. Every block is a
 * <rect> carrying data-block (its number), data-glyph (the text map's
 * character) and data-res (the stripe's class), so tools and tests can
 * read the picture back.
 * Expected workload: one call per `map` step when pictures are asked
 * for; up to tens of thousands of blocks (a few MB of SVG).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "map.h"

#define CELL 12
#define CELL_H 16
#define STRIPE_H 4
#define GAP 2
#define ROW_H (CELL_H + STRIPE_H + 8)
#define HOLE_H 14
#define LEFT 200
#define TOP 52

struct iomem_res {
	uint64_t start, end;	/* inclusive, as /proc/iomem prints */
	unsigned int depth;
	char name[64];
};

struct iomem {
	struct iomem_res *v;
	size_t n;
};

/* /proc/iomem: "  start-end : name", two spaces of indent per level. */
static int iomem_parse(const char *text, struct iomem *io)
{
	const char *p = text;
	size_t alloc = 0;

	io->v = NULL;
	io->n = 0;
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		struct iomem_res r = { 0 };
		const char *q = p, *colon;
		char *end;
		size_t nlen;

		while (*q == ' ')
			q++;
		r.depth = (unsigned int)(q - p) / 2;
		r.start = strtoull(q, &end, 16);
		colon = memchr(p, ':', len);
		if (*end == '-' && colon) {
			r.end = strtoull(end + 1, NULL, 16);
			colon += 2;
			nlen = (size_t)(p + len - colon);
			if (nlen >= sizeof(r.name))
				nlen = sizeof(r.name) - 1;
			if (colon <= p + len)
				memcpy(r.name, colon, nlen);
			if (io->n == alloc) {
				size_t n = alloc ? alloc * 2 : 32;
				struct iomem_res *v = realloc(io->v, n * sizeof(*v));

				if (!v)
					return -ENOMEM;
				io->v = v;
				alloc = n;
			}
			io->v[io->n++] = r;
		}
		p += len + (nl ? 1 : 0);
	}
	return 0;
}

/* The deepest resource holding addr that says what the memory is. */
static const char *iomem_class(const struct iomem *io, uint64_t addr,
			       const char **name)
{
	const char *cls = "none";
	size_t i;

	*name = "";
	for (i = 0; i < io->n; i++) {
		const struct iomem_res *r = &io->v[i];
		const char *c = NULL;

		if (addr < r->start || addr > r->end)
			continue;
		if (!strcmp(r->name, "System RAM (kmem)"))
			c = "kmem";
		else if (!strncmp(r->name, "System RAM", 10))
			c = "ram";
		else if (!strncmp(r->name, "Persistent Memory", 17))
			c = "pmem";
		else if (!strncmp(r->name, "CXL Window", 10))
			c = "cxl";
		else if (!strcmp(r->name, "Soft Reserved"))
			c = "soft";
		else if (r->depth == 0)
			c = "other";
		if (c) {
			cls = c;
			*name = r->name;
		}
	}
	return cls;
}

static const struct {
	char glyph;
	const char *fill, *label;
} glyphs[] = {
	{ 'd', "#8c564b", "DMA" },
	{ 'D', "#c49c94", "DMA32" },
	{ 'N', "#1f77b4", "Normal" },
	{ 'M', "#2ca02c", "Movable" },
	{ 'X', "#9467bd", "several zones" },
	{ 'o', "#ffffff", "offline" },
	{ '_', "#ff7f0e", "going-offline" },
	{ '?', "#7f7f7f", "unreadable" },
};

static const struct {
	const char *cls, *fill, *label;
} stripes[] = {
	{ "ram", "#a0a0a0", "System RAM" },
	{ "kmem", "#e6550d", "System RAM (kmem)" },
	{ "pmem", "#756bb1", "Persistent Memory" },
	{ "cxl", "#17becf", "CXL Window" },
	{ "soft", "#bcbd22", "Soft Reserved" },
	{ "other", "#303030", "other resource" },
	{ "none", "#ffffff", "no resource" },
};

static const char *glyph_fill(char g, const char **label)
{
	size_t i;

	for (i = 0; i < sizeof(glyphs) / sizeof(glyphs[0]); i++)
		if (glyphs[i].glyph == g) {
			*label = glyphs[i].label;
			return glyphs[i].fill;
		}
	*label = "unknown";
	return "#7f7f7f";
}

static const char *stripe_fill(const char *cls)
{
	size_t i;

	for (i = 0; i < sizeof(stripes) / sizeof(stripes[0]); i++)
		if (!strcmp(stripes[i].cls, cls))
			return stripes[i].fill;
	return "#ffffff";
}

/* Text for an XML attribute or element: &, <, >, " escaped. */
static void sb_xml(struct strbuf *sb, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': sb_puts(sb, "&amp;"); break;
		case '<': sb_puts(sb, "&lt;"); break;
		case '>': sb_puts(sb, "&gt;"); break;
		case '"': sb_puts(sb, "&quot;"); break;
		default: sb_add(sb, s, 1);
		}
	}
}

/* "2 GiB", "384 MiB": sizes in the map are whole MiB at least. */
static void sb_size(struct strbuf *sb, uint64_t bytes)
{
	static const char *const units[] = { "MiB", "GiB", "TiB", "PiB" };
	uint64_t v = bytes >> 20;
	size_t u = 0;

	while (u + 1 < sizeof(units) / sizeof(units[0]) && v >= 1024 && !(v % 1024)) {
		v /= 1024;
		u++;
	}
	sb_printf(sb, "%llu %s", (unsigned long long)v, units[u]);
}

static void draw_legend(struct strbuf *sb, unsigned int y)
{
	unsigned int x = 10;
	size_t i;

	for (i = 0; i < sizeof(glyphs) / sizeof(glyphs[0]); i++) {
		sb_printf(sb, "<rect x=\"%u\" y=\"%u\" width=\"%d\" height=\"%d\" fill=\"%s\" stroke=\"#555\"/>"
			  "<text x=\"%u\" y=\"%u\">%s</text>\n", x, y, CELL, CELL_H,
			  glyphs[i].fill, x + CELL + 4, y + 12, glyphs[i].label);
		x += CELL + 12 + 8 * (unsigned int)strlen(glyphs[i].label);
	}
	x = 10;
	y += CELL_H + 8;
	for (i = 0; i < sizeof(stripes) / sizeof(stripes[0]); i++) {
		sb_printf(sb, "<rect x=\"%u\" y=\"%u\" width=\"%d\" height=\"%d\" fill=\"%s\" stroke=\"#555\"/>"
			  "<text x=\"%u\" y=\"%u\">%s</text>\n", x, y + 6, CELL, STRIPE_H,
			  stripes[i].fill, x + CELL + 4, y + 12, stripes[i].label);
		x += CELL + 12 + 8 * (unsigned int)strlen(stripes[i].label);
	}
}

int scenario_render_map_svg(const struct scenario_backend *be, void *state,
			    const char *title, struct strbuf *sb)
{
	struct map_blocks b;
	struct iomem io = { NULL, 0 };
	char *iomem_text = NULL;
	size_t i, j, rows = 0, holes = 0, online = 0, offline = 0;
	unsigned int y, width, height;
	int ret;

	ret = map_collect(be, state, &b);
	if (ret < 0)
		return ret;
	ret = be->read(state, "/proc/iomem", &iomem_text);
	if (ret >= 0)
		ret = iomem_parse(iomem_text, &io);
	free(iomem_text);
	if (ret < 0)
		goto out;

	for (i = 0; i < b.n; i = j) {
		j = map_row_end(&b, i);
		if (i && b.v[i].id != b.v[i - 1].id + 1)
			holes++;
		rows++;
	}
	for (i = 0; i < b.n; i++) {
		if (b.v[i].glyph == 'o')
			offline++;
		else if (b.v[i].glyph != '?' && b.v[i].glyph != '_')
			online++;
	}
	width = LEFT + MAP_ROW * (CELL + GAP) + 20;
	height = TOP + (unsigned int)(rows * ROW_H + holes * HOLE_H) + 2 * (CELL_H + 8) + 30;

	sb_printf(sb, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		  "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%u\" height=\"%u\" "
		  "viewBox=\"0 0 %u %u\" font-family=\"monospace\" font-size=\"11\">\n"
		  "<rect width=\"100%%\" height=\"100%%\" fill=\"#fafafa\"/>\n",
		  width, height, width, height);
	sb_puts(sb, "<text x=\"10\" y=\"18\" font-size=\"14\" font-weight=\"bold\">");
	sb_xml(sb, title);
	sb_puts(sb, "</text>\n");
	sb_printf(sb, "<text x=\"10\" y=\"36\">%zu memory blocks of ", b.n);
	sb_size(sb, b.block_size);
	sb_printf(sb, ": %zu online, %zu offline</text>\n", online, offline);

	y = TOP;
	for (i = 0; i < b.n; i = j) {
		uint64_t start = b.v[i].id * b.block_size;
		size_t k;

		j = map_row_end(&b, i);
		if (i && b.v[i].id != b.v[i - 1].id + 1) {
			sb_printf(sb, "<text x=\"%d\" y=\"%u\" fill=\"#777\">... ", LEFT, y + 4);
			sb_size(sb, (b.v[i].id - b.v[i - 1].id - 1) * b.block_size);
			sb_puts(sb, " without memory blocks ...</text>\n");
			y += HOLE_H;
		}
		sb_printf(sb, "<text x=\"10\" y=\"%u\">0x%012llx memory%llu</text>\n",
			  y + 12, (unsigned long long)start,
			  (unsigned long long)b.v[i].id);
		for (k = i; k < j; k++) {
			uint64_t s = b.v[k].id * b.block_size;
			unsigned int x = LEFT + (unsigned int)(k - i) * (CELL + GAP);
			const char *zlabel, *rname;
			const char *fill = glyph_fill(b.v[k].glyph, &zlabel);
			/* the middle of the block: its first page may be firmware's */
			const char *cls = iomem_class(&io, s + b.block_size / 2, &rname);

			sb_printf(sb, "<g><rect data-block=\"%llu\" data-glyph=\"%c\" data-res=\"%s\" "
				  "x=\"%u\" y=\"%u\" width=\"%d\" height=\"%d\" fill=\"%s\" stroke=\"#555\"/>"
				  "<rect x=\"%u\" y=\"%u\" width=\"%d\" height=\"%d\" fill=\"%s\"/>"
				  "<title>memory%llu 0x%llx-0x%llx: %s",
				  (unsigned long long)b.v[k].id, b.v[k].glyph, cls,
				  x, y, CELL, CELL_H, fill,
				  x, y + CELL_H + 1, CELL, STRIPE_H, stripe_fill(cls),
				  (unsigned long long)b.v[k].id, (unsigned long long)s,
				  (unsigned long long)(s + b.block_size - 1), zlabel);
			if (b.v[k].node >= 0)
				sb_printf(sb, ", node%d", b.v[k].node);
			if (*rname) {
				sb_puts(sb, ", in ");
				sb_xml(sb, rname);
			}
			sb_puts(sb, "</title></g>\n");
		}
		y += ROW_H;
	}
	draw_legend(sb, y + 6);
	ret = sb_puts(sb, "</svg>\n");
out:
	free(io.v);
	map_blocks_release(&b);
	return ret;
}
