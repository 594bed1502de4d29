/*
 * report_pdf.c - the report as an A4 PDF, drawn with cairo and pango.
 *
 * The PDF is what a partner prints and files.  It shows what the
 * Markdown report shows (report_md.c), in the same order and with the
 * same numbers: the verdicts first, as a model x area grid of badges
 * (colour on screen, the word on paper), a vector chart of the pass and
 * hallucination rates with their 95% intervals as error bars, then the
 * tables and the evidence.
 *
 * How it works: the document is laid out top to bottom by a cursor
 * (struct pdf.y); a block that does not fit starts a new page, a
 * paragraph breaks between its lines and a table between its rows,
 * repeating its header row.  "Page N of M" needs M before page 1 is
 * drawn, so the document is rendered twice: a first pass into a PDF
 * that is thrown away counts the pages, the second writes the PDF.
 * Both passes lay out the same text with the same font options, so
 * they break pages at the same places.
 *
 * Invariants: every font description names "Noto Sans CJK SC" (the
 * fonts are embedded by cairo); every layout is checked for unknown
 * glyphs and one box in the PDF fails the render, naming the text; text
 * from the model is set as plain text, never as markup; the creation
 * date is the report's generated time, so the same model gives the
 * same bytes.
 */
#include "amconfig.h"

#include "report.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <math.h>
#include <stdarg.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define FONT "Noto Sans CJK SC"
#define PAGE_W 595.276 /* A4, in points */
#define PAGE_H 841.890
#define MARGIN 48.0
#define WIDTH (PAGE_W - 2 * MARGIN)
#define TOP 64.0               /* where a page's content starts */
#define BOTTOM (PAGE_H - 58.0) /* and where it ends */
#define PDF_MAX (256u << 20)   /* the largest PDF we write */
#define MAX_PAGES 2000
#define MAX_COLS 12
#define BODY 9.5 /* font sizes */
#define SMALL 7.5
#define PAD 2.5 /* a table cell's padding */

#define L(k) report_label(p->m, k)

struct rgb {
	double r, g, b;
};

static const struct rgb INK = {0.1, 0.1, 0.1}, GREY = {0.35, 0.35, 0.35}, RULE = {0.78, 0.78, 0.78},
			SHADE = {0.94, 0.94, 0.94}, RED = {0.70, 0.15, 0.12},
			PASS_BAR = {0.44, 0.59, 0.77}, HAL_BAR = {0.85, 0.55, 0.52};

/* The verdicts: the word is printed in the badge; the border tells them apart in grey. */
/* clang-format off */
static const struct verdict {
	const char *key, *word;
	struct rgb fill, line, text;
	double width; /* of the border */
	int dash;     /* 0 solid, 1 dashed, 2 dotted */
} verdicts[] = {
	{"suitable", "Suitable", {0.89, 0.95, 0.90}, {0.12, 0.48, 0.20}, {0.08, 0.33, 0.18}, 1.2, 0},
	{"review", "Use with review", {1.0, 0.95, 0.86}, {0.78, 0.49, 0.0}, {0.36, 0.21, 0.0}, 1.2, 1},
	{"not_suitable", "Not suitable", {0.98, 0.89, 0.89}, {0.70, 0.15, 0.12}, {0.48, 0.09, 0.06}, 2.2, 0},
	{"too_few", "Too few questions", {0.93, 0.93, 0.93}, {0.54, 0.54, 0.54}, {0.25, 0.25, 0.25}, 1.0, 2},
};
/* clang-format on */

/* One pass over the document. */
struct pdf {
	const json_t *m;    /* the report (borrowed) */
	cairo_t *cr;        /* the pass's drawing context */
	PangoContext *pc;   /* its pango context, font options fixed */
	double y;           /* the cursor: where the next block starts */
	double bottom;      /* where a page's content must end (BOTTOM; endless to measure) */
	int page;           /* the current page, from 1 */
	int pages;          /* the total; 0 in the first pass */
	int failed;         /* err is set; the pass goes on, its output is thrown away */
	struct am_err *err; /* the caller's */
};

/* A table: its columns and the rows' font size. */
struct col {
	const char *head;
	double w;
	int align; /* 0 left, 1 right, 2 centre */
};

struct table {
	const struct col *cols;
	size_t n;
};

static const char *
str(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s ? s : "";
}

static double
num(const json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);

	return json_is_number(v) ? json_number_value(v) : NAN;
}

static json_int_t
inum(const json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

static const char *
area_name(const json_t *m, const char *area)
{
	return report_label(m, strcmp(area, "*") == 0 ? "All areas" : area);
}

static void
date(struct buf *b, json_int_t t)
{
	char s[32];
	time_t tt = (time_t)t;
	struct tm tm;

	if (t <= 0) { /* missing */
		buf_puts(b, "-");
		return;
	}
	localtime_r(&tt, &tm);
	strftime(s, sizeof s, "%Y-%m-%d %H:%M", &tm);
	buf_puts(b, s);
}

/* "87% [78–93]" (a rate), "0.94 [0.91–0.97]" (a score) or "-". */
static void
value_ci(struct buf *b, const json_t *o, const char *v, const char *ci, int rate)
{
	json_t *c = json_object_get(o, ci);
	double x = num(o, v), k = rate ? 100 : 1;
	int d = rate ? 0 : 2;

	if (isnan(x)) {
		buf_puts(b, "-");
		return;
	}
	buf_printf(b, "%.*f%s", d, k * x, rate ? "%" : "");
	if (json_array_size(c) == 2)
		buf_printf(b, " [%.*f–%.*f]", d, k * json_number_value(json_array_get(c, 0)), d,
			   k * json_number_value(json_array_get(c, 1)));
}

/*
 * The thresholds in numbers, "(Pass rate ≥ 80%, Hallucination rate ≤ 5%;
 * review: 60% / 15%; Questions < 10)", "-" for a missing one; lt: "<" as
 * the format wants it.
 */
static void
thresholds(struct buf *b, const json_t *m, const char *lt)
{
	static const char *const keys[] = {"suitable_pass_lower", "suitable_hallucination_upper",
					   "review_pass", "review_hallucination"};
	const json_t *th = json_object_get(m, "thresholds");
	char v[5][32];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(keys); i++)
		if (isnan(num(th, keys[i])))
			snprintf(v[i], sizeof v[i], "-");
		else
			snprintf(v[i], sizeof v[i], "%.0f%%", 100 * num(th, keys[i]));
	if (json_is_integer(json_object_get(th, "min_questions")))
		snprintf(v[4], sizeof v[4], "%lld", (long long)inum(th, "min_questions"));
	else
		snprintf(v[4], sizeof v[4], "-");
	buf_printf(b, "(%s ≥ %s, %s ≤ %s; %s: %s / %s; %s %s %s)", report_label(m, "Pass rate"),
		   v[0], report_label(m, "Hallucination rate"), v[1], report_label(m, "review"),
		   v[2], v[3], report_label(m, "Questions"), lt, v[4]);
}

/* Formatted like printf, or "-" when the value is missing. */
static void __attribute__((format(printf, 3, 4)))
or_dash(struct buf *b, int missing, const char *fmt, ...)
{
	va_list ap;
	char *s;

	if (missing) {
		buf_puts(b, "-");
		return;
	}
	va_start(ap, fmt);
	s = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	buf_puts(b, s);
	g_free(s);
}

/* The verdict key names; an unknown one is drawn like too_few, with its key as the word. */
static const struct verdict *
verdict_of(const char *key)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(verdicts); i++)
		if (strcmp(verdicts[i].key, key) == 0)
			return &verdicts[i];
	return &verdicts[ARRAY_SIZE(verdicts) - 1];
}

static void
color(struct pdf *p, struct rgb c)
{
	cairo_set_source_rgb(p->cr, c.r, c.g, c.b);
}

/* The first character of l that no font has (a glyph flagged unknown carries it). */
static unsigned
unknown_char(PangoLayout *l)
{
	PangoLayoutIter *it = pango_layout_get_iter(l);
	unsigned cp = 0;
	int g;

	do {
		PangoLayoutRun *run = pango_layout_iter_get_run_readonly(it);

		for (g = 0; run && !cp && g < run->glyphs->num_glyphs; g++)
			if (run->glyphs->glyphs[g].glyph & PANGO_GLYPH_UNKNOWN_FLAG)
				cp = run->glyphs->glyphs[g].glyph & ~PANGO_GLYPH_UNKNOWN_FLAG;
	} while (!cp && pango_layout_iter_next_run(it));
	pango_layout_iter_free(it);
	return cp;
}

/*
 * A layout of bold + text (the first part in bold), width wide (0: no
 * wrapping), in the report's font.  Control characters become spaces;
 * a character the font lacks fails the pass.  Returns a new layout.
 */
static PangoLayout *
layout(struct pdf *p, const char *bold, const char *text, double size, double width)
{
	PangoLayout *l = pango_layout_new(p->pc);
	PangoFontDescription *fd = pango_font_description_new();
	PangoAttrList *attrs = pango_attr_list_new();
	PangoAttribute *a;
	struct buf s;
	size_t i;

	buf_init(&s, 0);
	buf_puts(&s, bold ? bold : "");
	buf_puts(&s, text ? text : "");
	for (i = 0; i < s.len; i++)
		if ((unsigned char)s.data[i] < 0x20 && s.data[i] != '\n')
			s.data[i] = ' ';
	pango_font_description_set_family(fd, FONT);
	pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
	pango_layout_set_font_description(l, fd);
	if (width > 0) {
		pango_layout_set_width(l, (int)(width * PANGO_SCALE));
		pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	}
	if (bold && *bold) {
		a = pango_attr_weight_new(PANGO_WEIGHT_BOLD);
		a->start_index = 0;
		a->end_index = (guint)strlen(bold);
		pango_attr_list_insert(attrs, a);
	}
	pango_layout_set_attributes(l, attrs);
	pango_layout_set_text(l, s.data ? s.data : "", (int)s.len);
	if (pango_layout_get_unknown_glyphs_count(l) > 0 && !p->failed) {
		size_t n = s.len > 80 ? utf8_trim(s.data, 80) : s.len;

		am_err_set(p->err, "pdf: the font %s has no glyph for U+%04X in \"%.*s%s\"", FONT,
			   unknown_char(l), (int)n, s.data, n < s.len ? "…" : "");
		p->failed = 1;
	}
	pango_attr_list_unref(attrs);
	pango_font_description_free(fd);
	buf_deinit(&s);
	return l;
}

/* The width (or the height) of l's logical extents, in points. */
static double
extent(PangoLayout *l, int height)
{
	PangoRectangle r;

	pango_layout_get_extents(l, NULL, &r);
	return (double)(height ? r.height : r.width) / PANGO_SCALE;
}

/* A line to stroke. */
static void
line(struct pdf *p, double x0, double y0, double x1, double y1)
{
	cairo_move_to(p->cr, x0, y0);
	cairo_line_to(p->cr, x1, y1);
}

/* Draws l with its top left at x, y, and frees it. */
static void
show(struct pdf *p, PangoLayout *l, double x, double y, struct rgb c)
{
	color(p, c);
	cairo_move_to(p->cr, x, y);
	pango_cairo_show_layout(p->cr, l);
	g_object_unref(l);
}

/* The running header (from page 2) and the footer with the page number. */
static void
page_furniture(struct pdf *p)
{
	PangoLayout *l;
	char *s;

	if (p->page > 1) {
		s = g_strdup_printf("%s · %s %lld", str(p->m, "title"), L("Run"),
				    (long long)inum(json_object_get(p->m, "run"), "id"));
		show(p, layout(p, NULL, s, SMALL, WIDTH / 2), MARGIN, 30, GREY);
		g_free(s);
		if (json_is_true(json_object_get(p->m, "simulated"))) {
			l = layout(p, L("Simulated results"), NULL, SMALL, 0);
			show(p, l, PAGE_W - MARGIN - extent(l, 0), 30, RED);
		}
		color(p, RULE);
		cairo_set_line_width(p->cr, 0.6);
		line(p, MARGIN, 44, PAGE_W - MARGIN, 44);
		cairo_stroke(p->cr);
	}
	if (strcmp(str(p->m, "lang"), "zh") == 0)
		s = g_strdup_printf("第 %d 页，共 %d 页", p->page, p->pages);
	else
		s = g_strdup_printf("Page %d of %d", p->page, p->pages);
	l = layout(p, NULL, s, SMALL, 0);
	show(p, l, (PAGE_W - extent(l, 0)) / 2, PAGE_H - 36, GREY);
	g_free(s);
}

static void
new_page(struct pdf *p)
{
	if (p->page >= MAX_PAGES && !p->failed) {
		am_err_set(p->err, "pdf: the report would be longer than %d pages", MAX_PAGES);
		p->failed = 1;
	}
	cairo_show_page(p->cr);
	p->page++;
	page_furniture(p);
	p->y = TOP;
}

/* Starts a new page unless h more points fit on this one (or it is still empty). */
static void
ensure(struct pdf *p, double h)
{
	if (p->y + h > p->bottom && p->y > TOP)
		new_page(p);
}

/*
 * Draws l line by line from the cursor at x, breaking pages between
 * lines; bar: a red rule left of each line (a quote).  Frees l.
 */
static void
flow(struct pdf *p, PangoLayout *l, double x, struct rgb c, int bar)
{
	PangoLayoutIter *it = pango_layout_get_iter(l);
	double top = 0; /* where the layout's line tops sit on this page */
	int first = 1;

	do {
		PangoLayoutLine *line = pango_layout_iter_get_line_readonly(it);
		PangoRectangle r;
		double ly, lh, base;

		pango_layout_iter_get_line_extents(it, NULL, &r);
		ly = (double)r.y / PANGO_SCALE;
		lh = (double)r.height / PANGO_SCALE;
		base = (double)pango_layout_iter_get_baseline(it) / PANGO_SCALE;
		if (first || p->y + lh > p->bottom) {
			ensure(p, lh);
			top = p->y - ly;
			first = 0;
		}
		if (bar) {
			color(p, RED);
			cairo_rectangle(p->cr, x - 7, top + ly, 2.2, lh);
			cairo_fill(p->cr);
		}
		color(p, c);
		cairo_move_to(p->cr, x + (double)r.x / PANGO_SCALE, top + base);
		pango_cairo_show_layout_line(p->cr, line);
		p->y = top + ly + lh;
	} while (pango_layout_iter_next_line(it));
	pango_layout_iter_free(it);
	g_object_unref(l);
}

/*
 * A paragraph: "bold text", wrapped at the page width less indent, then a
 * gap.  A short one is kept on one page.
 */
static void
para(struct pdf *p, const char *bold, const char *text, double size, double indent, double gap)
{
	PangoLayout *l = layout(p, bold, text, size, WIDTH - indent);

	if (extent(l, 1) < 150)
		ensure(p, extent(l, 1));
	flow(p, l, MARGIN + indent, INK, 0);
	p->y += gap;
}

/* The height block(p, x) takes from the top of an endless page; draws nothing. */
static double
measure(struct pdf *p, void (*block)(struct pdf *, const json_t *), const json_t *x)
{
	double y = p->y, bottom = p->bottom, h;

	p->y = TOP;
	p->bottom = INFINITY;
	cairo_push_group(p->cr);
	block(p, x);
	cairo_pattern_destroy(cairo_pop_group(p->cr));
	h = p->y - TOP;
	p->y = y;
	p->bottom = bottom;
	return h;
}

/*
 * A section's heading; major: it starts on a new page, unless what came
 * before left most of this one empty.
 */
static void
heading(struct pdf *p, const char *text, int major)
{
	PangoLayout *l = layout(p, text, NULL, 15, WIDTH);
	double h = extent(l, 1);

	if (major && p->y > TOP + (BOTTOM - TOP) / 3)
		new_page(p);
	else
		ensure(p, h + 80);
	p->y += p->y > TOP ? 18 : 0;
	show(p, l, MARGIN, p->y, INK);
	p->y += h + 2;
	color(p, INK);
	cairo_set_line_width(p->cr, 1.2);
	line(p, MARGIN, p->y, PAGE_W - MARGIN, p->y);
	cairo_stroke(p->cr);
	p->y += 8;
}

static void
subheading(struct pdf *p, const char *text)
{
	PangoLayout *l = layout(p, text, NULL, 11, WIDTH);

	ensure(p, extent(l, 1) + 60);
	p->y += 6;
	flow(p, l, MARGIN, INK, 0);
	p->y += 4;
}

/* A verdict badge at x, y (top left), at most w wide; returns its height. */
static double
badge(struct pdf *p, const char *key, double x, double y, double w, int align, int draw)
{
	const struct verdict *v = verdict_of(key);
	PangoLayout *l = layout(p,
				strcmp(v->key, key) == 0 ? L(v->word)
				: *key                   ? key
							 : "-",
				NULL, SMALL, w - 8);
	double tw = extent(l, 0), th = extent(l, 1), bw = tw + 8;
	static const double dashes[] = {3, 2}, dots[] = {1, 1.5};

	if (!draw) {
		g_object_unref(l);
		return th + 3;
	}
	x += align == 2 ? (w - bw) / 2 : align == 1 ? w - bw : 0;
	cairo_rectangle(p->cr, x, y, bw, th + 3);
	color(p, v->fill);
	cairo_fill_preserve(p->cr);
	color(p, v->line);
	cairo_set_line_width(p->cr, v->width);
	cairo_set_dash(p->cr, v->dash == 1 ? dashes : dots, v->dash ? 2 : 0, 0);
	cairo_stroke(p->cr);
	cairo_set_dash(p->cr, NULL, 0, 0);
	show(p, l, x + 4, y + 1.5, v->text);
	return th + 3;
}

/* One row of t: cells (text) or verdicts (a badge where not NULL); head: the header row. */
static void
row(struct pdf *p, const struct table *t, const char *const *cells,
    const char *const *verdicts_of_row, int strong, int head)
{
	PangoLayout *l[MAX_COLS];
	double h = 0, x = MARGIN, y, tw = 0;
	size_t i;

	for (i = 0; i < t->n && i < MAX_COLS; i++) {
		const char *text = head ? t->cols[i].head : cells[i];
		double w = t->cols[i].w - 2 * PAD;

		l[i] = strong || head ? layout(p, text, NULL, SMALL, w)
				      : layout(p, NULL, text, SMALL, w);
		pango_layout_set_alignment(l[i], t->cols[i].align == 1   ? PANGO_ALIGN_RIGHT
						 : t->cols[i].align == 2 ? PANGO_ALIGN_CENTER
									 : PANGO_ALIGN_LEFT);
		h = fmax(h, !head && verdicts_of_row && verdicts_of_row[i]
				    ? badge(p, verdicts_of_row[i], 0, 0, w, 0, 0)
				    : extent(l[i], 1));
		tw += t->cols[i].w;
	}
	h += 2 * PAD;
	if (!head && p->y + h > p->bottom && p->y > TOP) {
		new_page(p);
		row(p, t, NULL, NULL, 0, 1);
	}
	y = p->y;
	if (head || strong) {
		color(p, SHADE);
		cairo_rectangle(p->cr, MARGIN, y, tw, h);
		cairo_fill(p->cr);
	}
	/* Each cell centred in the row's height. */
	for (i = 0; i < t->n && i < MAX_COLS; i++) {
		double w = t->cols[i].w - 2 * PAD;

		if (!head && verdicts_of_row && verdicts_of_row[i]) {
			double bh = badge(p, verdicts_of_row[i], 0, 0, w, 0, 0);

			badge(p, verdicts_of_row[i], x + PAD, y + (h - bh) / 2, w, t->cols[i].align,
			      1);
			g_object_unref(l[i]);
		} else {
			show(p, l[i], x + PAD, y + (h - extent(l[i], 1)) / 2, INK);
		}
		x += t->cols[i].w;
	}
	color(p, head ? GREY : RULE);
	cairo_set_line_width(p->cr, head ? 1 : 0.5);
	cairo_move_to(p->cr, MARGIN, y + h);
	cairo_line_to(p->cr, MARGIN + tw, y + h);
	cairo_stroke(p->cr);
	p->y = y + h;
}

/* Starts table t: its header row, on a new page unless it and a row fit here. */
static void
table_start(struct pdf *p, const struct table *t)
{
	ensure(p, 50);
	row(p, t, NULL, NULL, 0, 1);
}

/*
 * A row of cells built in the bufs c (one a column), which are emptied
 * for the next row; v: the verdict of a badge column, or NULL.
 */
static void
row_of(struct pdf *p, const struct table *t, struct buf *c, const char *const *v, int strong)
{
	const char *s[MAX_COLS];
	size_t i;

	for (i = 0; i < t->n && i < MAX_COLS; i++)
		s[i] = c[i].data ? c[i].data : "";
	row(p, t, s, v, strong, 0);
	for (i = 0; i < t->n && i < MAX_COLS; i++)
		if (c[i].data)
			c[i].len = 0, c[i].data[0] = '\0';
}

static void
bufs_init(struct buf *c, size_t n)
{
	while (n--)
		buf_init(&c[n], 0);
}

static void
bufs_deinit(struct buf *c, size_t n)
{
	while (n--)
		buf_deinit(&c[n]);
}

/* A row of a key-value table: the value formatted like printf. */
static void __attribute__((format(printf, 4, 5)))
kv(struct pdf *p, const struct table *t, const char *key, const char *fmt, ...)
{
	va_list ap;
	char *v;
	const char *cells[2];

	va_start(ap, fmt);
	v = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	cells[0] = key;
	cells[1] = v;
	row(p, t, cells, NULL, 0, 0);
	g_free(v);
}

/* A paragraph "Key: text", the key in bold, the text formatted like printf. */
static void __attribute__((format(printf, 4, 5)))
labelled(struct pdf *p, double indent, const char *key, const char *fmt, ...)
{
	va_list ap;
	char *k = g_strconcat(key, L(": "), NULL), *v;

	va_start(ap, fmt);
	v = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	para(p, k, v, BODY, indent, 0);
	g_free(k);
	g_free(v);
}

/* --- the sections ---------------------------------------------------------- */

/* The summary row of model and area, or NULL. */
static json_t *
find_row(const json_t *summary, const char *model, const char *area)
{
	json_t *r;
	size_t i;

	json_array_foreach(summary, i, r)
	{
		if (strcmp(str(r, "model"), model) == 0 && strcmp(str(r, "area"), area) == 0)
			return r;
	}
	return NULL;
}

/* The verdicts at a glance: one row per area, one column per model (five a table). */
static void
verdict_grid(struct pdf *p)
{
	json_t *summary = json_object_get(p->m, "summary"),
	       *models = json_object_get(p->m, "models");
	json_t *areas = json_array(), *r, *a;
	struct col cols[6];
	struct table t = {cols, 0};
	const char *cell[6], *v[6];
	size_t i, j, from, n = json_array_size(models);

	json_array_foreach(summary, i, r)
	{
		for (j = 0; j < json_array_size(areas); j++)
			if (strcmp(json_string_value(json_array_get(areas, j)), str(r, "area")) ==
			    0)
				break;
		if (j == json_array_size(areas))
			json_array_append_new(areas, json_string(str(r, "area")));
	}
	for (from = 0; from < n; from += 5) {
		t.n = 1 + (n - from < 5 ? n - from : 5);
		cols[0] = (struct col){L("Area"), 120, 0};
		for (j = 1; j < t.n; j++)
			cols[j] = (struct col){
				json_string_value(json_array_get(models, from + j - 1)),
				(WIDTH - 120) / (double)(t.n - 1), 2};
		table_start(p, &t);
		json_array_foreach(areas, i, a)
		{
			cell[0] = area_name(p->m, json_string_value(a));
			v[0] = NULL;
			for (j = 1; j < t.n; j++) {
				r = find_row(summary, cols[j].head ? cols[j].head : "",
					     json_string_value(a));
				cell[j] = "-";
				v[j] = r ? str(r, "verdict") : NULL;
			}
			row(p, &t, cell, v, strcmp(json_string_value(a), "*") == 0, 0);
		}
		p->y += 10;
	}
	json_decref(areas);
}

/* The chart's geometry: area names, then two panels of a bar and its numbers. */
#define CH_LABEL 104.0
#define CH_BAR 124.0
#define CH_PASS (MARGIN + CH_LABEL)
#define CH_HAL (MARGIN + CH_LABEL + CH_BAR + 70)
#define CH_ROW 12.0

/* The panels' titles and scales above a model's rows (rows: how many follow). */
static void
chart_head(struct pdf *p, const char *model, size_t rows)
{
	const double x0[2] = {CH_PASS, CH_HAL};
	const char *title[2] = {L("Pass rate"), L("Hallucination rate")};
	PangoLayout *name = layout(p, model, NULL, 8.5, WIDTH);
	char pct[16];
	int k, t;

	ensure(p, extent(name, 1) + 24 + (double)(rows < 40 ? rows : 40) * CH_ROW);
	flow(p, name, MARGIN, INK, 0);
	p->y += 2;
	for (k = 0; k < 2; k++) {
		show(p, layout(p, title[k], NULL, 8, 0), x0[k], p->y, INK);
		for (t = 0; t <= 100; t += 25) {
			PangoLayout *l;

			snprintf(pct, sizeof pct, "%d%%", t);
			l = layout(p, NULL, pct, 6, 0);
			show(p, l, x0[k] + t * CH_BAR / 100 - extent(l, 0) / 2, p->y + 12, GREY);
		}
	}
	p->y += 22;
}

/* One bar with its interval as an error bar, in the panel at x0, and its numbers. */
static void
chart_bar(struct pdf *p, const json_t *r, const char *rate, const char *ci, double x0, struct rgb c,
	  double bar)
{
	json_t *in = json_object_get(r, ci);
	double v = num(r, rate), y = p->y, lo, hi;
	static const double dash[] = {2, 1.5};
	struct buf b;
	int t;

	color(p, RULE);
	cairo_set_line_width(p->cr, 0.4);
	for (t = 0; t <= 100; t += 25)
		line(p, x0 + t * CH_BAR / 100, y, x0 + t * CH_BAR / 100, y + CH_ROW);
	cairo_stroke(p->cr);
	if (!isnan(bar)) { /* the threshold for "suitable" */
		color(p, INK);
		cairo_set_line_width(p->cr, 0.7);
		cairo_set_dash(p->cr, dash, 2, 0);
		line(p, x0 + bar * CH_BAR, y, x0 + bar * CH_BAR, y + CH_ROW);
		cairo_stroke(p->cr);
		cairo_set_dash(p->cr, NULL, 0, 0);
	}
	if (!isnan(v)) {
		color(p, c);
		cairo_rectangle(p->cr, x0, y + 3, fmax(0, fmin(1, v)) * CH_BAR, CH_ROW - 6);
		cairo_fill(p->cr);
	}
	if (json_array_size(in) == 2) {
		lo = x0 + fmax(0, fmin(1, json_number_value(json_array_get(in, 0)))) * CH_BAR;
		hi = x0 + fmax(0, fmin(1, json_number_value(json_array_get(in, 1)))) * CH_BAR;
		color(p, INK);
		cairo_set_line_width(p->cr, 0.9);
		line(p, lo, y + CH_ROW / 2, hi, y + CH_ROW / 2);
		line(p, lo, y + 2, lo, y + CH_ROW - 2);
		line(p, hi, y + 2, hi, y + CH_ROW - 2);
		cairo_stroke(p->cr);
	}
	buf_init(&b, 0);
	value_ci(&b, r, rate, ci, 1);
	show(p, layout(p, NULL, b.data, 6.5, 0), x0 + CH_BAR + 4, y + 1.5, INK);
	buf_deinit(&b);
}

/* Pass and hallucination rates per model and area, with their intervals. */
static void
rate_chart(struct pdf *p)
{
	const json_t *th = json_object_get(p->m, "thresholds");
	const json_t *summary = json_object_get(p->m, "summary");
	const char *model = NULL;
	json_t *r;
	size_t i, n;

	subheading(p, L("Pass and hallucination rates, with 95% intervals"));
	json_array_foreach(summary, i, r)
	{
		int all = strcmp(str(r, "area"), "*") == 0;

		if (!model || strcmp(model, str(r, "model")) != 0) {
			model = str(r, "model");
			for (n = i; n < json_array_size(summary) &&
				    strcmp(str(json_array_get(summary, n), "model"), model) == 0;
			     n++)
				;
			p->y += 4;
			chart_head(p, model, n - i);
		} else if (p->y + CH_ROW > p->bottom) {
			new_page(p);
			chart_head(p, model, 1);
		}
		show(p,
		     layout(p, all ? area_name(p->m, "*") : NULL,
			    all ? NULL : area_name(p->m, str(r, "area")), 7, CH_LABEL - 12),
		     MARGIN + 8, p->y + 0.5, INK);
		chart_bar(p, r, "pass_rate", "pass_ci", CH_PASS, PASS_BAR,
			  num(th, "suitable_pass_lower"));
		chart_bar(p, r, "hallucination_rate", "hallucination_ci", CH_HAL, HAL_BAR,
			  num(th, "suitable_hallucination_upper"));
		p->y += CH_ROW;
	}
	p->y += 4;
	para(p, NULL, L("The error bars are the 95% intervals."), SMALL, 0, 0);
	para(p, NULL, L("Dashed line: the threshold for suitable."), SMALL, 0, 8);
}

static void
summary(struct pdf *p)
{
	const struct col cols[] = {{L("Model"), 80, 0},     {L("Area"), 76, 0},
				   {L("Questions"), 46, 1}, {L("Verdict"), 88, 0},
				   {L("Pass rate"), 70, 1}, {L("Hallucination rate"), 70, 1},
				   {L("Mean score"), 65, 1}};
	const struct table t = {cols, 7};
	const char *v[7] = {NULL};
	struct buf c[7], b;
	json_t *r;
	size_t i;

	heading(p, L("Summary"), 0);
	verdict_grid(p);
	rate_chart(p);
	bufs_init(c, 7);
	table_start(p, &t);
	json_array_foreach(json_object_get(p->m, "summary"), i, r)
	{
		buf_puts(&c[0], str(r, "model"));
		buf_puts(&c[1], area_name(p->m, str(r, "area")));
		or_dash(&c[2], isnan(num(r, "questions")), "%.0f", num(r, "questions"));
		value_ci(&c[4], r, "pass_rate", "pass_ci", 1);
		value_ci(&c[5], r, "hallucination_rate", "hallucination_ci", 1);
		value_ci(&c[6], r, "mean_score", "score_ci", 0);
		v[3] = str(r, "verdict");
		row_of(p, &t, c, v, strcmp(str(r, "area"), "*") == 0);
	}
	bufs_deinit(c, 7);
	p->y += 8;
	buf_init(&b, 0);
	thresholds(&b, p->m, "<");
	labelled(p, 0, L("Thresholds"), "%s %s.",
		 L("suitable: the pass rate's lower bound reaches the bar and the hallucination "
		   "rate's upper bound stays under it; use with review: the point estimates reach "
		   "the review thresholds; too few: fewer questions in the area than the minimum."),
		 b.data);
	buf_deinit(&b);
	p->y += 4;
	para(p, NULL,
	     L("Intervals are 95%: Wilson for rates, a bootstrap over questions for mean scores; a "
	       "question asked several times counts once."),
	     BODY, 0, 0);
}

static void
comparisons(struct pdf *p)
{
	const struct col cols[] = {{L("Area"), 125, 0},
				   {L("Questions"), 55, 1},
				   {L("Pass rate"), 125, 1},
				   {L("McNemar p"), 80, 1},
				   {L("Score difference"), 110, 1}};
	const struct table t = {cols, 5};
	struct buf c[5];
	json_t *cmp, *f, *ci;
	size_t i, k;
	char *h;

	if (!json_array_size(json_object_get(p->m, "comparisons")))
		return;
	heading(p, L("Comparison of models"), 1);
	para(p, NULL,
	     L("Paired on the questions both models answered: McNemar's exact test on the "
	       "questions only one passed; a paired bootstrap interval for the score difference."),
	     BODY, 0, 6);
	bufs_init(c, 5);
	json_array_foreach(json_object_get(p->m, "comparisons"), i, cmp)
	{
		h = g_strdup_printf("A: %s · B: %s", str(cmp, "a"), str(cmp, "b"));
		subheading(p, h);
		g_free(h);
		table_start(p, &t);
		for (k = 0; k <= json_array_size(json_object_get(cmp, "areas")); k++) {
			f = k ? json_array_get(json_object_get(cmp, "areas"), k - 1)
			      : json_object_get(cmp, "overall");
			ci = json_object_get(f, "score_difference_ci");
			buf_puts(&c[0], area_name(p->m, str(f, "area")));
			or_dash(&c[1], isnan(num(f, "questions")), "%.0f", num(f, "questions"));
			or_dash(&c[2], isnan(num(f, "pass_rate_a") + num(f, "pass_rate_b")),
				"%.0f%% vs %.0f%% (%+.0f)", 100 * num(f, "pass_rate_a"),
				100 * num(f, "pass_rate_b"), 100 * num(f, "pass_difference"));
			or_dash(&c[3], isnan(num(f, "mcnemar_p")), "%.3g", num(f, "mcnemar_p"));
			or_dash(&c[4], isnan(num(f, "score_difference")), "%+.2f",
				num(f, "score_difference"));
			if (json_array_size(ci) == 2)
				buf_printf(&c[4], " [%+.2f, %+.2f]",
					   json_number_value(json_array_get(ci, 0)),
					   json_number_value(json_array_get(ci, 1)));
			row_of(p, &t, c, NULL, k == 0);
		}
		p->y += 8;
	}
	bufs_deinit(c, 5);
}

/* One hallucinated answer: the question, then each false claim with its evidence. */
static void
example(struct pdf *p, const json_t *x)
{
	json_t *y;
	size_t k;
	char *q;

	color(p, RULE);
	cairo_set_line_width(p->cr, 0.5);
	line(p, MARGIN, p->y, PAGE_W - MARGIN, p->y);
	cairo_stroke(p->cr);
	p->y += 5;
	labelled(p, 0, L("Question"), "%s (%s)", str(x, "question"),
		 area_name(p->m, str(x, "area")));
	para(p, NULL, str(x, "ask"), BODY, 0, 4);
	json_array_foreach(json_object_get(x, "claims"), k, y)
	{
		ensure(p, 40);
		labelled(p, 12, L("Answer"), "%s", "");
		q = g_strdup_printf("“%s”", *str(y, "quote") ? str(y, "quote") : "-");
		flow(p, layout(p, NULL, q, BODY, WIDTH - 24), MARGIN + 24, INK, 1);
		g_free(q);
		p->y += 3;
		labelled(p, 12, L("False claim"), "%s", *str(y, "claim") ? str(y, "claim") : "-");
		if (*str(y, "law"))
			labelled(p, 12, L("Law"), "%s", str(y, "law"));
		p->y += 4;
	}
	json_array_foreach(json_object_get(x, "citations"), k, y)
	{
		labelled(p, 12, L("Bad citations"), "%s (%s)", str(y, "text"), L(str(y, "status")));
	}
	p->y += 6;
}

static void
hallucinations(struct pdf *p)
{
	json_t *h, *x, *y;
	struct buf t;
	size_t i, j;

	heading(p, L("Hallucinations, with evidence"), 1);
	buf_init(&t, 0);
	json_array_foreach(json_object_get(p->m, "hallucinations"), i, h)
	{
		x = json_array_get(json_object_get(h, "examples"), 0);
		if (x) /* the model's name with its first example, when that fits a page */
			ensure(p, 60 + fmin(measure(p, example, x), BOTTOM - TOP - 60));
		subheading(p, str(h, "model"));
		labelled(p, 0, L("Hallucinated answers"), "%lld", (long long)inum(h, "count"));
		p->y += 6;
		if (!json_array_size(json_object_get(h, "examples")))
			para(p, NULL, L("No hallucination found."), BODY, 0, 6);
		/* An example is kept on one page when it fits on one. */
		json_array_foreach(json_object_get(h, "examples"), j, x)
		{
			ensure(p, fmin(measure(p, example, x), BOTTOM - TOP));
			example(p, x);
		}
		if (!json_array_size(json_object_get(h, "bad_citations")))
			continue;
		t.len = 0;
		json_array_foreach(json_object_get(h, "bad_citations"), j, y)
		{
			buf_printf(&t, "%s%s (%s, ×%lld)", j ? "; " : "", str(y, "text"),
				   L(str(y, "status")), (long long)inum(y, "count"));
		}
		labelled(p, 0, L("Bad citations"), "%s", t.data);
		p->y += 8;
	}
	buf_deinit(&t);
}

static void
behaviour(struct pdf *p)
{
	static const struct {
		const char *head, *key;
		double scale;
		int digits;
		const char *unit;
	} k[] = {
		{"Reasoning share", "reasoning_share", 100, 0, "%"},
		{"Reasoning tokens", "reasoning_tokens", 1, 0, ""},
		{"Loops", "loop_rate", 100, 0, "%"},
		{"Language mix", "mix_rate", 100, 0, "%"},
		{"Ignored follow-ups", "followup_ignored_rate", 100, 0, "%"},
		{"Truncated", "truncation_rate", 100, 0, "%"},
		{"Latency p50", "p50_ms", 0.001, 2, " s"},
		{"Latency p95", "p95_ms", 0.001, 2, " s"},
		{"Tokens per second", "tokens_per_s", 1, 1, ""},
	};
	struct col cols[10] = {{L("Model"), 90, 0}};
	const struct table t = {cols, 10};
	struct buf c[10];
	json_t *r;
	size_t i, j;

	heading(p, L("Behaviour"), 1);
	for (j = 0; j < ARRAY_SIZE(k); j++)
		cols[j + 1] = (struct col){L(k[j].head), (WIDTH - 90) / 9, 1};
	bufs_init(c, 10);
	table_start(p, &t);
	json_array_foreach(json_object_get(p->m, "behaviour"), i, r)
	{
		buf_puts(&c[0], str(r, "model"));
		for (j = 0; j < ARRAY_SIZE(k); j++)
			or_dash(&c[j + 1], isnan(num(r, k[j].key)), "%.*f%s", k[j].digits,
				k[j].scale * num(r, k[j].key), k[j].unit);
		row_of(p, &t, c, NULL, 0);
	}
	bufs_deinit(c, 10);
}

static void
reviews(struct pdf *p)
{
	static const struct col cols[] = {{"", 260, 0}, {"", 80, 1}};
	const struct table t = {cols, 2};
	const json_t *r = json_object_get(p->m, "reviews");
	const json_t *mt = json_object_get(r, "match"), *jd = json_object_get(r, "judge");

	p->y += 10;
	heading(p, L("Lawyers' reviews"), 0);
	if (!inum(r, "count")) {
		para(p, NULL, L("No review yet."), BODY, 0, 0);
		return;
	}
	kv(p, &t, L("Verdicts ruled on by lawyers"), "%lld", (long long)inum(r, "count"));
	kv(p, &t, L("Keyword matching agreed with the lawyers"), "%lld / %lld",
	   (long long)inum(mt, "agree"), (long long)inum(mt, "n"));
	kv(p, &t, L("The judge model agreed with the lawyers"), "%lld / %lld",
	   (long long)inum(jd, "agree"), (long long)inum(jd, "n"));
}

static void
method(struct pdf *p)
{
	static const struct col cols[] = {{"", 120, 0}, {"", WIDTH - 120, 0}};
	const struct table t = {cols, 2};
	const json_t *r = json_object_get(p->m, "method"), *judge = json_object_get(r, "judge");
	json_t *x;
	struct buf d;
	size_t i;

	heading(p, L("Method"), 1);
	kv(p, &t, L("Question bank"), "%lld, %s %s", (long long)inum(r, "questions"),
	   L("content hash"), *str(r, "questions_hash") ? str(r, "questions_hash") : "-");
	kv(p, &t, L("Rubrics"), "%s %s", L("content hash"),
	   *str(r, "rubrics_hash") ? str(r, "rubrics_hash") : "-");
	kv(p, &t, L("Samples per question"), "%lld", (long long)inum(r, "samples"));
	kv(p, &t, L("Judge model"), "%s", json_is_object(judge) ? str(judge, "model") : L("none"));
	json_array_foreach(json_object_get(r, "models"), i, x)
	{
		char *opt =
			json_dumps(json_object_get(x, "options"), JSON_COMPACT | JSON_SORT_KEYS);
		int sim = json_is_true(json_object_get(x, "simulated"));

		kv(p, &t, str(x, "model"), "%s%s%s\n%s%s%s\n%s%s%s", str(x, "kind"),
		   sim ? ", " : "", sim ? L("simulated") : "", L("Digest"), L(": "),
		   *str(x, "digest") ? str(x, "digest") : "-", L("Settings"), L(": "),
		   opt ? opt : "{}");
		free(opt);
	}
	buf_init(&d, 0);
	date(&d, inum(p->m, "generated_at"));
	kv(p, &t, L("Generated"), "%s", d.data);
	buf_deinit(&d);
}

/* The title, the run line and, for simulated results, the warning in a red box. */
static void
title(struct pdf *p)
{
	const json_t *run = json_object_get(p->m, "run");
	struct buf b;

	buf_init(&b, 0);
	para(p, str(p->m, "title"), NULL, 20, 0, 2);
	buf_printf(&b, "%s · %s %lld · ", L("Legal question answering"), L("Run"),
		   (long long)inum(run, "id"));
	date(&b, inum(run, "finished_at"));
	buf_printf(&b, " · %s%s%lld", L("Samples per question"), L(": "),
		   (long long)inum(run, "samples"));
	if (*str(p->m, "area"))
		buf_printf(&b, " · %s%s%s", L("Area"), L(": "), area_name(p->m, str(p->m, "area")));
	flow(p, layout(p, NULL, b.data, BODY, WIDTH), MARGIN, GREY, 0);
	p->y += 10;
	if (json_is_true(json_object_get(p->m, "simulated"))) {
		PangoLayout *l;
		double h;

		b.len = 0;
		buf_printf(&b, "%s\n", L("Simulated results"));
		l = layout(p, b.data,
			   L("Results of the built-in demo backend are simulated: they are not "
			     "measurements of any real model."),
			   10.5, WIDTH - 24);
		h = extent(l, 1) + 16;
		cairo_rectangle(p->cr, MARGIN + 1, p->y, WIDTH - 2, h);
		cairo_set_source_rgb(p->cr, 0.99, 0.93, 0.92);
		cairo_fill_preserve(p->cr);
		color(p, RED);
		cairo_set_line_width(p->cr, 2.2);
		cairo_stroke(p->cr);
		show(p, l, MARGIN + 12, p->y + 8, INK);
		p->y += h + 6;
	}
	buf_deinit(&b);
}

/* --- the passes ----------------------------------------------------------------- */

static cairo_status_t
on_write(void *closure, const unsigned char *data, unsigned int len)
{
	struct buf *b = closure;

	if (!b) /* the first pass: only the pages are wanted */
		return CAIRO_STATUS_SUCCESS;
	return buf_append(b, data, len) < 0 ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}

/* Whether FONT is what fontconfig gives for it (not a substitute). */
static int
font_present(PangoContext *pc)
{
	PangoFontDescription *fd = pango_font_description_from_string(FONT " 10");
	PangoFont *f = pango_context_load_font(pc, fd);
	PangoFontDescription *got = f ? pango_font_describe(f) : NULL;
	const char *fam = got ? pango_font_description_get_family(got) : NULL;
	int ok = fam && g_ascii_strcasecmp(fam, FONT) == 0;

	if (got)
		pango_font_description_free(got);
	if (f)
		g_object_unref(f);
	pango_font_description_free(fd);
	return ok;
}

/*
 * Renders the document once into b (NULL: nowhere) knowing it has pages
 * pages (0: not yet known).  Returns the page count, or -1 with err.
 */
static int
render_pass(const json_t *m, struct buf *b, int pages, struct am_err *err)
{
	cairo_surface_t *s = cairo_pdf_surface_create_for_stream(on_write, b, PAGE_W, PAGE_H);
	cairo_font_options_t *fo = cairo_font_options_create();
	struct pdf p = {m, NULL, NULL, TOP, BOTTOM, 1, pages, 0, err};
	cairo_status_t st;
	char when[32];
	time_t t = (time_t)inum(m, "generated_at");
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, str(m, "title"));
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "amicus");
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, when);
	p.cr = cairo_create(s);
	p.pc = pango_cairo_create_context(p.cr);
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	pango_cairo_context_set_font_options(p.pc, fo);
	pango_cairo_context_set_resolution(p.pc, 72);
	if (!font_present(p.pc)) {
		am_err_set(err, "pdf: the font %s is not installed (Debian: fonts-noto-cjk)", FONT);
		p.failed = 1;
	}
	if (!p.failed) {
		page_furniture(&p);
		title(&p);
		summary(&p);
		comparisons(&p);
		hallucinations(&p);
		behaviour(&p);
		reviews(&p);
		method(&p);
		cairo_show_page(p.cr);
	}
	g_object_unref(p.pc);
	cairo_destroy(p.cr);
	cairo_surface_finish(s);
	st = cairo_surface_status(s);
	cairo_surface_destroy(s);
	cairo_font_options_destroy(fo);
	if (p.failed)
		return -1;
	if (st != CAIRO_STATUS_SUCCESS)
		return am_err_set(err, "pdf: %s",
				  st == CAIRO_STATUS_WRITE_ERROR
					  ? "the PDF is larger than the output allows"
					  : cairo_status_to_string(st));
	return p.page;
}

int
report_render_pdf(const json_t *m, struct buf *out, struct am_err *err)
{
	struct buf b;
	int pages, n, rc = 0;

	if (!json_is_object(m))
		return am_err_set(err, "pdf: the report is not a JSON object");
	pages = render_pass(m, NULL, 0, err);
	if (pages < 0)
		return -1;
	buf_init(&b, out->limit ? out->limit : PDF_MAX);
	n = render_pass(m, &b, pages, err);
	if (n < 0)
		rc = -1;
	else if (n != pages)
		rc = am_err_set(err, "pdf: the two passes disagree on the pages");
	else if (buf_append(out, b.data, b.len) < 0)
		rc = am_err_set(err, "pdf: the PDF is larger than the output allows (%zu bytes)",
				b.len);
	buf_deinit(&b);
	return rc;
}
