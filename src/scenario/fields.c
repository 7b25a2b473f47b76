/*
 * fields.c - numbers and fields as scenarios see them.
 *
 * Contract: pure functions over strings, shared by the parser (values
 * written in a scenario) and the interpreter (values read from a
 * machine): scenario numbers (signed, decimal or 0x hex, optional "kB"),
 * their comparison and difference, and picking one field out of
 * /proc/meminfo, node meminfo, /proc/vmstat and /proc/zoneinfo text
 * (docs/scenario-language.md, "Keys"). Nothing here allocates.
 *
 * Expected workload: a few calls per expect over files of a few KiB.
 */
#include "scenario.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <string.h>

static int digit_value(char c, unsigned int base)
{
	int v;

	if (c >= '0' && c <= '9')
		v = c - '0';
	else if (c >= 'a' && c <= 'f')
		v = c - 'a' + 10;
	else if (c >= 'A' && c <= 'F')
		v = c - 'A' + 10;
	else
		return -1;
	return v < (int)base ? v : -1;
}

/*
 * Parse the longest number at s[0..len): returns the characters used
 * (0: no number) or -ERANGE when it does not fit 64 bits.
 */
static long scan_num(const char *s, size_t len, struct scenario_num *out)
{
	size_t i = 0, start;
	unsigned int base = 10;
	uint64_t v = 0;
	bool negative = false;
	int d;

	if (i < len && s[i] == '-') {
		negative = true;
		i++;
	}
	if (i + 2 < len && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X') &&
	    digit_value(s[i + 2], 16) >= 0) {
		base = 16;
		i += 2;
	}
	start = i;
	while (i < len && (d = digit_value(s[i], base)) >= 0) {
		if (v > (UINT64_MAX - (uint64_t)d) / base)
			return -ERANGE;
		v = v * base + (uint64_t)d;
		i++;
	}
	if (i == start)
		return 0;
	out->negative = negative && v != 0;
	out->magnitude = v;
	return (long)i;
}

int scenario_parse_num(const char *s, bool allow_kb, struct scenario_num *out)
{
	size_t len = strlen(s);
	struct scenario_num n;
	long used = scan_num(s, len, &n);

	if (used < 0)
		return (int)used;
	if (used == 0)
		return -EINVAL;
	if ((size_t)used != len &&
	    !(allow_kb && strcmp(s + used, "kB") == 0))
		return -EINVAL;
	*out = n;
	return 0;
}

int scenario_num_cmp(struct scenario_num a, struct scenario_num b)
{
	if (a.negative != b.negative)
		return a.negative ? -1 : 1;
	if (a.magnitude == b.magnitude)
		return 0;
	if (a.magnitude < b.magnitude)
		return a.negative ? 1 : -1;
	return a.negative ? -1 : 1;
}

struct scenario_num scenario_num_sub(struct scenario_num a,
				     struct scenario_num b)
{
	struct scenario_num r;

	/* a - b = a + (-b); same signs then add magnitudes. */
	b.negative = !b.negative && b.magnitude != 0;
	if (a.negative == b.negative) {
		r.negative = a.negative;
		r.magnitude = a.magnitude + b.magnitude;	/* wraps only beyond 2^64 */
	} else if (a.magnitude >= b.magnitude) {
		r.negative = a.negative;
		r.magnitude = a.magnitude - b.magnitude;
	} else {
		r.negative = b.negative;
		r.magnitude = b.magnitude - a.magnitude;
	}
	if (r.magnitude == 0)
		r.negative = false;
	return r;
}

void scenario_num_format(struct scenario_num n, char *buf, size_t len)
{
	snprintf(buf, len, "%s%" PRIu64, n.negative ? "-" : "", n.magnitude);
}

const char *scenario_op_name(enum scenario_op op)
{
	static const char *const names[] = {
		[SCENARIO_OP_EQ] = "==", [SCENARIO_OP_NE] = "!=",
		[SCENARIO_OP_LT] = "<",  [SCENARIO_OP_LE] = "<=",
		[SCENARIO_OP_GT] = ">",  [SCENARIO_OP_GE] = ">=",
		[SCENARIO_OP_ABSENT] = "absent", [SCENARIO_OP_PRESENT] = "present",
		[SCENARIO_OP_HAS_LINE] = "has-line",
	};

	return names[op];
}

int scenario_first_num(const char *s, size_t len, struct scenario_num *out)
{
	size_t i;

	for (i = 0; i < len; i++) {
		bool starts = isdigit((unsigned char)s[i]) ||
			(s[i] == '-' && i + 1 < len &&
			 isdigit((unsigned char)s[i + 1]));
		long used;

		/* A digit inside a word ("Node0", "DMA32") is not a number. */
		if (!starts || (i > 0 && (isalnum((unsigned char)s[i - 1]) ||
					  s[i - 1] == '_')))
			continue;
		used = scan_num(s + i, len - i, out);
		if (used < 0)
			return (int)used;
		if (used > 0)
			return 0;
	}
	return -ENOENT;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static const char *skip_blanks(const char *p, const char *end)
{
	while (p < end && is_blank(*p))
		p++;
	return p;
}

/* [p, end) with trailing blanks and '\r' removed. */
static void set_rest(const char *p, const char *end, const char **rest,
		     size_t *rest_len)
{
	p = skip_blanks(p, end);
	while (end > p && (is_blank(end[-1]) || end[-1] == '\r'))
		end--;
	*rest = p;
	*rest_len = (size_t)(end - p);
}

/*
 * The n bytes at p are word; a word ending in '*' (expect ... absent|present)
 * matches every word it starts.
 */
static bool word_is(const char *p, size_t n, const char *word)
{
	size_t wl = strlen(word);

	if (wl && word[wl - 1] == '*')
		return n >= wl - 1 && memcmp(p, word, wl - 1) == 0;
	return wl == n && memcmp(p, word, n) == 0;
}

/* The word at p: its length; blanks end it. */
static size_t word_len(const char *p, const char *end)
{
	const char *q = p;

	while (q < end && !is_blank(*q))
		q++;
	return (size_t)(q - p);
}

static int meminfo_field(const char *key, const char *line, const char *end,
			 const char **rest, size_t *rest_len)
{
	const char *p = line, *colon, *label_end;

	/* Node meminfo lines start "Node N "; the label follows. */
	if (end - p > 5 && memcmp(p, "Node ", 5) == 0) {
		p += 5;
		while (p < end && isdigit((unsigned char)*p))
			p++;
		p = skip_blanks(p, end);
	}
	colon = memchr(p, ':', (size_t)(end - p));
	if (!colon)
		return -ENOENT;
	label_end = colon;
	while (label_end > p && is_blank(label_end[-1]))
		label_end--;
	if (!word_is(p, (size_t)(label_end - p), key))
		return -ENOENT;
	set_rest(colon + 1, end, rest, rest_len);
	return 0;
}

static int vmstat_field(const char *key, const char *line, const char *end,
			const char **rest, size_t *rest_len)
{
	const char *p = skip_blanks(line, end);
	size_t n = word_len(p, end);

	if (!word_is(p, n, key))
		return -ENOENT;
	set_rest(p + n, end, rest, rest_len);
	return 0;
}

/* "Node 0, zone  Movable": is this the header of the wanted zone? */
static bool zone_header_matches(const struct scenario_target *t,
				const char *line, const char *end)
{
	const char *p = line + 5;
	int node = 0;
	bool any = false;

	while (p < end && isdigit((unsigned char)*p)) {
		node = node * 10 + (*p - '0');
		if (node > 1 << 20)
			return false;
		p++;
		any = true;
	}
	if (!any || node != t->zone_node || end - p < 6 ||
	    memcmp(p, ", zone", 6) != 0)
		return false;
	p = skip_blanks(p + 6, end);
	while (end > p && (is_blank(end[-1]) || end[-1] == '\r'))
		end--;
	return word_is(p, (size_t)(end - p), t->zone_name);
}

static int zoneinfo_field(const struct scenario_target *t, const char *line,
			  const char *end, const char **rest, size_t *rest_len)
{
	const char *p = skip_blanks(line, end);
	size_t n = word_len(p, end);

	/* "  pages free     N": the field is the word after "pages". */
	if (word_is(p, n, "pages")) {
		p = skip_blanks(p + n, end);
		n = word_len(p, end);
	}
	if (n > 0 && p[n - 1] == ':') {
		if (!word_is(p, n - 1, t->key))
			return -ENOENT;
	} else if (!word_is(p, n, t->key)) {
		return -ENOENT;
	}
	set_rest(p + n, end, rest, rest_len);
	return 0;
}

int scenario_field(const struct scenario_target *t, const char *content,
		   const char **rest, size_t *rest_len)
{
	const char *line = content, *file_end = content + strlen(content);
	bool in_zone = false;

	if (t->key_kind == SCENARIO_KEY_NONE) {
		const char *p = content;

		while (p < file_end && isspace((unsigned char)*p))
			p++;
		while (file_end > p && isspace((unsigned char)file_end[-1]))
			file_end--;
		*rest = p;
		*rest_len = (size_t)(file_end - p);
		return 0;
	}
	while (line < file_end) {
		const char *end = memchr(line, '\n', (size_t)(file_end - line));
		int r = -ENOENT;

		if (!end)
			end = file_end;
		switch (t->key_kind) {
		case SCENARIO_KEY_MEMINFO:
			r = meminfo_field(t->key, line, end, rest, rest_len);
			break;
		case SCENARIO_KEY_VMSTAT:
			r = vmstat_field(t->key, line, end, rest, rest_len);
			break;
		case SCENARIO_KEY_ZONEINFO:
			if (end - line >= 5 && memcmp(line, "Node ", 5) == 0)
				in_zone = zone_header_matches(t, line, end);
			else if (in_zone)
				r = zoneinfo_field(t, line, end, rest, rest_len);
			break;
		case SCENARIO_KEY_NONE:
			break;
		}
		if (r == 0)
			return 0;
		line = end + 1;
	}
	return -ENOENT;
}
