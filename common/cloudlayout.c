/*
 * cloudlayout.c - spiral placement of word boxes (see cloudlayout.h).
 *
 * As in Wordle and d3-cloud, words are placed one by one, largest first,
 * each at the first free point of an archimedean spiral that starts at
 * the centre of the canvas and is stretched to its aspect ratio.  Unlike
 * d3-cloud, which tests glyph sprites, a word here is its box: the
 * occupancy is a bitmap of the canvas (one bit per px or grid cell; per
 * square of 2, 4... px on a canvas beyond 1200 px), a candidate box is
 * free when its rows hold no set bit, which takes a few 64-bit operations
 * per row.  The spiral's points are made once per
 * layout, at a constant arc step, by rotating a unit vector (no trig call
 * per point), and only as far as some word needs.
 *
 * Since the canvas only fills up, failures are remembered: a spiral point
 * whose own bit is set can hold no box and is skipped by every later
 * search; a point where a w x h box did not fit will not hold a box at
 * least as wide and as tall (centred there, it covers the smaller one);
 * and a size that found no room on the whole spiral is not tried again.
 * Searching thus costs about the number of free points near the words
 * already placed, not the number of points under them.
 *
 * Everything is computed in the same order from the same numbers, so the
 * same input gives the same layout.
 */
#include "cloudlayout.h"
#include "map.h"
#include "util.h"

#include <utf8proc.h>

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CANVAS 10000
#define PX_PITCH 3.0		/* px between two turns, on the short side */
#define PX_STEP 3.0		/* px between two points along it */
#define PX_SIDE 600.0		/* short side for which these hold */
#define GRID_PITCH 0.5		/* cells */
#define GRID_STEP 0.5
#define SHRINK 0.85		/* size factor per retry for lack of room */

/*
 * Advance widths of Helvetica (Arial and Liberation Sans share them), in
 * thousandths of an em, for ASCII 32 to 126 (Adobe's Helvetica AFM).
 */
static const short helvetica[95] = {
	278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278,
	333, 278, 278, 556, 556, 556, 556, 556, 556, 556, 556, 556, 556,
	278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611,
	778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667,
	611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333,
	556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833,
	556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500,
	334, 260, 334, 584,
};

#define DEFAULT_WIDTH 600	/* a letter of another script, em/1000 */
#define WIDE_WIDTH 1000		/* CJK, emoji */

/* Width of code point c in em/1000. */
static int
char_width(utf8proc_int32_t c)
{
	utf8proc_int32_t d[8];
	utf8proc_ssize_t n, i;
	int last = 0, w = 0, cw;

	if (c >= 32 && c < 127)
		return helvetica[c - 32];
	cw = utf8proc_charwidth(c);
	if (cw == 0)
		return 0;	/* marks, controls */
	if (cw >= 2)
		return WIDE_WIDTH;
	/* é: e and a mark; ﬁ: f i */
	n = utf8proc_decompose_char(c, d, 8, UTF8PROC_DECOMPOSE |
	    UTF8PROC_COMPAT, &last);
	if (n <= 0 || n > 8 || (n == 1 && d[0] == c))
		return DEFAULT_WIDTH;
	for (i = 0; i < n; i++)
		w += d[i] >= 32 && d[i] < 127 ? helvetica[d[i] - 32] :
		    utf8proc_charwidth(d[i]) == 0 ? 0 : DEFAULT_WIDTH;
	return w;
}

/* Width of text in em/1000 (pixel canvas) or columns (grid). */
static long
text_units(enum cloudlayout_target target, const char *text)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)text;
	utf8proc_int32_t c;
	utf8proc_ssize_t k;
	long w = 0;
	int cw;

	while (*p) {
		k = utf8proc_iterate(p, -1, &c);
		if (k <= 0) {		/* invalid byte: one narrow char */
			k = 1;
			c = '?';
		}
		p += k;
		if (target == CLOUDLAYOUT_GRID) {
			cw = utf8proc_charwidth(c);
			w += cw > 0 ? cw : 0;
		} else
			w += char_width(c);
	}
	return w;
}

int
cloudlayout_text_width(enum cloudlayout_target target, const char *text,
    int size)
{
	long u = text_units(target, text);

	if (target == CLOUDLAYOUT_GRID)
		return u > 0 ? (int)u : 1;
	u = (u * size + 999) / 1000;
	return u > 0 ? (int)u : 1;
}

static int
box_height(enum cloudlayout_target target, int size)
{
	if (target == CLOUDLAYOUT_GRID)
		return 1;
	return (int)ceil(CLOUDLAYOUT_LINE * size);
}

void
cloudlayout_params_init(struct cloudlayout_params *p,
    enum cloudlayout_target target, int width, int height)
{
	int short_side;

	memset(p, 0, sizeof *p);
	p->target = target;
	p->width = width;
	p->height = height;
	if (target == CLOUDLAYOUT_GRID) {
		p->max_size = 4;
		p->min_size = 1;
		return;
	}
	short_side = width < height ? width : height;
	p->max_size = short_side / 5;
	p->min_size = short_side / 75 > 8 ? short_side / 75 : 8;
	if (p->max_size < 2 * p->min_size)
		p->min_size = p->max_size / 2;
	if (p->min_size < 1)
		p->min_size = 1;
	if (p->max_size < p->min_size)
		p->max_size = p->min_size;
	p->padding = 1;
	p->fill = 0.55;
}

static int
params_ok(const struct cloudlayout_params *p)
{
	if (p->width < 1 || p->width > MAX_CANVAS || p->height < 1 ||
	    p->height > MAX_CANVAS)
		return 0;
	if (p->target == CLOUDLAYOUT_GRID)
		return 1;
	return p->target == CLOUDLAYOUT_PX && p->min_size >= 1 &&
	    p->max_size >= p->min_size && p->max_size <= MAX_CANVAS &&
	    p->padding >= 0 && p->padding <= 100 && p->fill > 0 &&
	    p->fill <= 1;
}

/* Position of count c between the smallest and largest, 0 to 1. */
static double
weight(long c, long cmin, long cmax)
{
	if (cmax <= cmin)
		return 1;
	if (c < cmin)
		c = cmin;
	return (sqrt((double)c) - sqrt((double)cmin)) /
	    (sqrt((double)cmax) - sqrt((double)cmin));
}

void
cloudlayout_sizes(const struct cloudlayout_params *p,
    const struct cloudlayout_item *items, size_t n, int *sizes)
{
	long cmin = 0, cmax = 0;
	double *s, *em, area, room, f, lo, hi;
	size_t i;
	int pass, pad = p->padding;

	for (i = 0; i < n; i++) {
		if (i == 0 || items[i].count < cmin)
			cmin = items[i].count;
		if (i == 0 || items[i].count > cmax)
			cmax = items[i].count;
	}
	if (p->target == CLOUDLAYOUT_GRID) {
		for (i = 0; i < n; i++) {
			int level = 1 + (int)(weight(items[i].count, cmin,
			    cmax) * 4);
			sizes[i] = level > 4 ? 4 : level;
		}
		return;
	}
	if (n == 0)
		return;
	s = xmalloc(n * sizeof *s);
	em = xmalloc(n * sizeof *em);
	lo = p->min_size;
	hi = p->max_size;
	for (i = 0; i < n; i++) {
		em[i] = text_units(p->target, items[i].text) / 1000.0;
		if (em[i] <= 0)
			em[i] = 0.001;
		s[i] = lo + (hi - lo) * weight(items[i].count, cmin, cmax);
	}
	/*
	 * Shrink every size alike until the boxes cover at most fill of
	 * the canvas; a few passes, since sizes stop at min_size.
	 */
	room = p->fill * p->width * p->height;
	for (pass = 0; pass < 4; pass++) {
		area = 0;
		for (i = 0; i < n; i++)
			area += (em[i] * s[i] + pad) *
			    (CLOUDLAYOUT_LINE * s[i] + pad);
		if (area <= room)
			break;
		f = sqrt(room / area);
		for (i = 0; i < n; i++) {
			s[i] *= f;
			if (s[i] < p->min_size)
				s[i] = p->min_size;
		}
	}
	for (i = 0; i < n; i++) {
		/* no wider nor taller than the canvas */
		if (em[i] * s[i] > p->width)
			s[i] = p->width / em[i];
		if (CLOUDLAYOUT_LINE * s[i] > p->height)
			s[i] = p->height / CLOUDLAYOUT_LINE;
		sizes[i] = (int)floor(s[i] + 0.5);
		while (sizes[i] > 1 && (cloudlayout_text_width(p->target,
		    items[i].text, sizes[i]) > p->width ||
		    box_height(p->target, sizes[i]) > p->height))
			sizes[i]--;
		if (sizes[i] < 1)
			sizes[i] = 1;
	}
	free(s);
	free(em);
}

/* The spiral: offsets from its centre, made on demand. */
struct spiral {
	int32_t *pt;		/* dx, dy, r (rounded, in spiral units) */
	size_t len, cap;
	double ex, ey;		/* stretch to the canvas's aspect ratio */
	double b, step;		/* r = b * theta; arc step */
	double theta, c, s;	/* last angle, its cosine and sine */
	double rmax;		/* beyond, no point lies in the canvas */
	size_t since_norm;
	int done;
};

static void
spiral_init(struct spiral *sp, const struct cloudlayout_params *p)
{
	double pitch, step, big, scale;

	memset(sp, 0, sizeof *sp);
	if (p->width >= p->height) {
		sp->ex = (double)p->width / p->height;
		sp->ey = 1;
	} else {
		sp->ex = 1;
		sp->ey = (double)p->height / p->width;
	}
	big = sp->ex > sp->ey ? sp->ex : sp->ey;
	if (p->target == CLOUDLAYOUT_GRID) {
		pitch = GRID_PITCH;
		step = GRID_STEP;
	} else {
		/* beyond 600 px, steps grow with the canvas like the type */
		scale = (p->width < p->height ? p->width : p->height) /
		    PX_SIDE;
		if (scale < 1)
			scale = 1;
		pitch = PX_PITCH * scale;
		step = PX_STEP * scale;
	}
	sp->b = pitch / (2 * M_PI);	/* along the short side */
	sp->step = step / big;
	sp->c = 1;
	sp->rmax = sqrt(pow(p->width / 2.0 / sp->ex, 2) +
	    pow(p->height / 2.0 / sp->ey, 2)) + 2;
}

/* Make points up to i; returns 0 if the spiral ends before it. */
static int
spiral_make(struct spiral *sp, size_t i)
{
	double r, dt, cd, sd, c, s, norm;
	int32_t dx, dy, *q;

	while (sp->len <= i) {
		if (sp->done)
			return 0;
		if (sp->len == 0) {
			xgrow((void **)&sp->pt, &sp->cap, 3, sizeof *sp->pt);
			sp->pt[0] = sp->pt[1] = sp->pt[2] = 0;
			sp->len = 1;
			continue;
		}
		/* advance by one arc step: dtheta = step / r */
		for (;;) {
			r = sp->b * sp->theta;
			dt = r > sp->step ? sp->step / r : sp->step / sp->b /
			    (sp->theta + 1);
			if (dt > 0.5)
				dt = 0.5;
			cd = 1 - dt * dt / 2 + dt * dt * dt * dt / 24;
			sd = dt - dt * dt * dt / 6 + dt * dt * dt * dt * dt /
			    120;
			c = sp->c * cd - sp->s * sd;
			s = sp->s * cd + sp->c * sd;
			sp->c = c;
			sp->s = s;
			sp->theta += dt;
			if (++sp->since_norm == 64) {
				norm = 1 / sqrt(c * c + s * s);
				sp->c *= norm;
				sp->s *= norm;
				sp->since_norm = 0;
			}
			r = sp->b * sp->theta;
			if (r > sp->rmax) {
				sp->done = 1;
				return 0;
			}
			dx = (int32_t)floor(sp->ex * r * sp->c + 0.5);
			dy = (int32_t)floor(sp->ey * r * sp->s + 0.5);
			q = sp->pt + 3 * (sp->len - 1);
			if (dx != q[0] || dy != q[1])
				break;	/* a new point, not the same cell */
		}
		xgrow((void **)&sp->pt, &sp->cap, 3 * (sp->len + 1),
		    sizeof *sp->pt);
		q = sp->pt + 3 * sp->len++;
		q[0] = dx;
		q[1] = dy;
		q[2] = (int32_t)floor(r + 0.5);
	}
	return 1;
}

/* Make sure point i exists; returns 0 if the spiral ends before it. */
static inline int
spiral_at(struct spiral *sp, size_t i)
{
	return i < sp->len || spiral_make(sp, i);
}

/*
 * Occupancy: one bit per cell of 2^shift x 2^shift px (1 px up to a short
 * side of 1200 px, then it grows like the spiral's steps) or per grid
 * cell, in rows of 64-bit words.  A box covers every cell it touches, so
 * boxes on disjoint cells never overlap.
 */
struct board {
	uint64_t *bits;
	size_t stride;		/* words per row */
	int shift;		/* log2 of a cell's side in px */
	int padx, pady;		/* added right and below each box, px */
	int cw, ch;		/* the canvas, px */
};

static void
board_init(struct board *bd, const struct cloudlayout_params *p)
{
	int side = p->width < p->height ? p->width : p->height, rows;

	bd->shift = 0;
	if (p->target == CLOUDLAYOUT_GRID) {
		bd->padx = 1;	/* one blank column between words */
		bd->pady = 0;
	} else {
		bd->padx = bd->pady = p->padding;
		while ((2 << bd->shift) * PX_SIDE <= side)
			bd->shift++;
	}
	bd->cw = p->width;
	bd->ch = p->height;
	bd->stride = ((size_t)((p->width + bd->padx) >> bd->shift) + 1 +
	    63) / 64;
	rows = ((p->height + bd->pady) >> bd->shift) + 1;
	bd->bits = xcalloc(bd->stride * (size_t)rows, sizeof *bd->bits);
}

/* Bit (x, y) of the board, inside it. */
#define BIT(bd, x, y) (((bd)->bits[(size_t)(y) * (bd)->stride + \
	((x) >> 6)] >> ((x) & 63)) & 1)

/* 1 if row y has no set bit in columns [x0, x1). */
static int
row_free(const struct board *bd, int y, int x0, int x1)
{
	const uint64_t *row = bd->bits + (size_t)y * bd->stride;
	int w0 = x0 >> 6, w1 = (x1 - 1) >> 6, i;
	uint64_t first = ~0ULL << (x0 & 63);
	uint64_t last = ~0ULL >> (63 - ((x1 - 1) & 63));

	if (w0 == w1)
		return (row[w0] & first & last) == 0;
	if (row[w0] & first)
		return 0;
	for (i = w0 + 1; i < w1; i++)
		if (row[i])
			return 0;
	return (row[w1] & last) == 0;
}

/*
 * The cells [*x0, *x1) x [*y0, *y1) that box (x, y, w, h) and its padding
 * touch.
 */
static void
board_cells(const struct board *bd, int x, int y, int w, int h, int *x0,
    int *y0, int *x1, int *y1)
{
	int round = (1 << bd->shift) - 1;

	*x0 = x >> bd->shift;
	*y0 = y >> bd->shift;
	*x1 = (x + w + bd->padx + round) >> bd->shift;
	*y1 = (y + h + bd->pady + round) >> bd->shift;
}

/* 1 if the box (x, y, w, h) lies inside the canvas on free cells. */
static int
board_free(const struct board *bd, int x, int y, int w, int h)
{
	int x0, y0, x1, y1, mid, r;

	if (x < 0 || y < 0 || x + w > bd->cw || y + h > bd->ch)
		return 0;
	board_cells(bd, x, y, w, h, &x0, &y0, &x1, &y1);
	mid = (y0 + y1) / 2;
	/* cheap rejections first: the middle row, the four corners */
	if (!row_free(bd, mid, x0, x1) || BIT(bd, x0, y0) ||
	    BIT(bd, x1 - 1, y0) || BIT(bd, x0, y1 - 1) ||
	    BIT(bd, x1 - 1, y1 - 1))
		return 0;
	for (r = y0; r < y1; r++)
		if (r != mid && !row_free(bd, r, x0, x1))
			return 0;
	return 1;
}

static void
board_mark(struct board *bd, int x, int y, int w, int h)
{
	int x0, y0, x1, y1, r, i, w0, w1;
	uint64_t first, last, *row;

	board_cells(bd, x, y, w, h, &x0, &y0, &x1, &y1);
	w0 = x0 >> 6;
	w1 = (x1 - 1) >> 6;
	first = ~0ULL << (x0 & 63);
	last = ~0ULL >> (63 - ((x1 - 1) & 63));
	for (r = y0; r < y1; r++) {
		row = bd->bits + (size_t)r * bd->stride;
		if (w0 == w1) {
			row[w0] |= first & last;
			continue;
		}
		row[w0] |= first;
		for (i = w0 + 1; i < w1; i++)
			row[i] = ~0ULL;
		row[w1] |= last;
	}
}

/* Box sizes (with padding) known to fit nowhere on the whole spiral. */
struct failed {
	int *wh;
	size_t len, cap;
};

static int
failed_covers(const struct failed *f, int w, int h)
{
	size_t i;

	for (i = 0; i < f->len; i++)
		if (w >= f->wh[2 * i] && h >= f->wh[2 * i + 1])
			return 1;
	return 0;
}

static void
failed_add(struct failed *f, int w, int h)
{
	size_t i, j = 0;

	for (i = 0; i < f->len; i++)	/* drop the sizes w, h covers */
		if (!(f->wh[2 * i] >= w && f->wh[2 * i + 1] >= h)) {
			f->wh[2 * j] = f->wh[2 * i];
			f->wh[2 * j + 1] = f->wh[2 * i + 1];
			j++;
		}
	f->len = j;
	xgrow((void **)&f->wh, &f->cap, 2 * (f->len + 1), sizeof *f->wh);
	f->wh[2 * f->len] = w;
	f->wh[2 * f->len + 1] = h;
	f->len++;
}

/*
 * Look for a free place for a w x h box along the spiral centred on
 * (cx, cy), up to radius rlim (spiral units).  Returns 1 and sets *x, *y
 * (top-left) if found.
 */
static int
search_near(const struct board *bd, struct spiral *sp, int cx, int cy,
    int w, int h, int rlim, int *x, int *y)
{
	size_t i;
	int32_t *q;

	for (i = 0; spiral_at(sp, i); i++) {
		q = sp->pt + 3 * i;
		if (q[2] > rlim)
			return 0;
		if (board_free(bd, cx + q[0] - w / 2, cy + q[1] - h / 2, w,
		    h)) {
			*x = cx + q[0] - w / 2;
			*y = cy + q[1] - h / 2;
			return 1;
		}
	}
	return 0;
}

/*
 * The points of the spiral from the centre of the canvas that are still
 * alive.  A point dies when the bit under it is set or it lies outside
 * the canvas: every box centred there would cover that bit, and bits are
 * never cleared, so it is skipped by every later search.  next[i] leads
 * to the first point at or after i that may be alive (union-find with
 * path halving); fail[2i], fail[2i+1] is a box size that did not fit at
 * point i, so that larger ones are not tried there.
 */
struct live {
	size_t *next;
	uint16_t *fail;		/* w, h of a box that did not fit there */
	size_t cap;
};

static size_t
live_find(struct live *lv, size_t i)
{
	while (i < lv->cap && lv->next[i] != i) {
		if (lv->next[i] < lv->cap)
			lv->next[i] = lv->next[lv->next[i]];
		i = lv->next[i];
	}
	return i;
}

static void
live_grow(struct live *lv, size_t need)
{
	size_t old = lv->cap, i;

	if (need <= old)
		return;
	xgrow((void **)&lv->next, &lv->cap, need, sizeof *lv->next);
	lv->fail = xrealloc(lv->fail, 2 * lv->cap * sizeof *lv->fail);
	for (i = old; i < lv->cap; i++) {
		lv->next[i] = i;
		lv->fail[2 * i] = lv->fail[2 * i + 1] = UINT16_MAX;
	}
}

static int
board_bit(const struct board *bd, int x, int y)
{
	if (x < 0 || y < 0 || x >= bd->cw || y >= bd->ch)
		return 1;
	return BIT(bd, x >> bd->shift, y >> bd->shift);
}

/* Like search_near() on the whole spiral from the canvas's centre. */
static int
search_all(const struct board *bd, struct spiral *sp, struct live *lv,
    int w, int h, int *x, int *y)
{
	int cx = bd->cw / 2, cy = bd->ch / 2, px, py;
	size_t i;
	int32_t *q;
	uint16_t *f;

	for (i = live_find(lv, 0);; i = live_find(lv, i + 1)) {
		if (!spiral_at(sp, i))
			return 0;
		live_grow(lv, sp->len + 1);
		q = sp->pt + 3 * i;
		px = cx + q[0];
		py = cy + q[1];
		if (board_bit(bd, px, py)) {
			lv->next[i] = i + 1;
			continue;
		}
		f = lv->fail + 2 * i;
		if (w >= f[0] && h >= f[1])
			continue;	/* a box inside this one failed here */
		if (board_free(bd, px - w / 2, py - h / 2, w, h)) {
			*x = px - w / 2;
			*y = py - h / 2;
			return 1;
		}
		if ((w <= f[0] && h <= f[1]) ||
		    (long)w * h < (long)f[0] * f[1]) {
			f[0] = (uint16_t)w;
			f[1] = (uint16_t)h;
		}
	}
}

struct slot {
	int placed;
	int x, y, w, h, size;
};

int
cloudlayout_compute(struct cloudlayout *out,
    const struct cloudlayout_params *p, const struct cloudlayout_item *items,
    size_t n, const struct cloudlayout *prev)
{
	struct spiral sp;
	struct board bd;
	struct failed failed = { NULL, 0, 0 };
	struct live live = { NULL, NULL, 0 };
	struct map where;	/* key -> previous word + 1 */
	struct slot *slot;
	const struct cloudlayout_word *pw;
	int *sizes, size, next, w, h, x, y, pcx, pcy, found, may_fit, rlim;
	size_t i, pass, placed = 0;
	uintptr_t pi;

	memset(out, 0, sizeof *out);
	out->target = p->target;
	out->width = p->width;
	out->height = p->height;
	if (!params_ok(p))
		return -1;
	if (n == 0)
		return 0;

	sizes = xmalloc(n * sizeof *sizes);
	cloudlayout_sizes(p, items, n, sizes);
	slot = xcalloc(n, sizeof *slot);
	spiral_init(&sp, p);
	board_init(&bd, p);
	map_init_str(&where);
	if (prev != NULL && prev->target == p->target && prev->width > 0 &&
	    prev->height > 0)
		for (i = 0; i < prev->len; i++)
			map_put_str(&where, prev->words[i].key,
			    (void *)(uintptr_t)(i + 1));

	/*
	 * Words with a previous place: pass 0 puts those that still fit
	 * there, pass 1 those that fit near it, so that a word that grew
	 * does not take the place of others.  Pass 2 places the rest
	 * anywhere, shrinking them if need be.
	 */
	for (pass = 0; pass < 3; pass++)
	for (i = 0; i < n; i++) {
		const char *key = items[i].key ? items[i].key : items[i].text;

		if (slot[i].placed)
			continue;
		pi = where.len ? (uintptr_t)map_get_str(&where, key) : 0;
		if (pass < 2 && pi == 0)
			continue;
		pw = pi ? &prev->words[pi - 1] : NULL;
		pcx = pcy = 0;
		if (pw != NULL) {	/* its centre, as searches make it */
			pcx = pw->x + pw->w / 2;
			pcy = pw->y + pw->h / 2;
			if (prev->width != p->width)
				pcx = (int)lround((double)pcx * p->width /
				    prev->width);
			if (prev->height != p->height)
				pcy = (int)lround((double)pcy * p->height /
				    prev->height);
		}
		size = sizes[i];
		found = 0;
		for (;;) {
			w = cloudlayout_text_width(p->target, items[i].text,
			    size);
			h = box_height(p->target, size);
			may_fit = w <= p->width && h <= p->height &&
			    !failed_covers(&failed, w + bd.padx, h + bd.pady);
			if (may_fit && pw != NULL) {
				/* at its place, near it, then the nearest */
				if (pass == 0)
					rlim = 0;
				else if (pass == 2)
					rlim = INT32_MAX;
				else
					rlim = p->target == CLOUDLAYOUT_GRID ?
					    3 : 2 * h + 8;
				found = search_near(&bd, &sp, pcx, pcy, w, h,
				    rlim, &x, &y);
			}
			if (pass < 2)
				break;
			if (!found && may_fit) {
				found = search_all(&bd, &sp, &live, w, h,
				    &x, &y);
				if (!found)
					failed_add(&failed, w + bd.padx,
					    h + bd.pady);
			}
			if (found || p->target == CLOUDLAYOUT_GRID ||
			    size <= p->min_size)
				break;
			next = (int)floor(size * SHRINK);
			if (next >= size)
				next = size - 1;
			size = next > p->min_size ? next : p->min_size;
		}
		if (!found) {
			if (pass == 2)
				out->dropped++;
			continue;
		}
		board_mark(&bd, x, y, w, h);
		slot[i].placed = 1;
		slot[i].x = x;
		slot[i].y = y;
		slot[i].w = w;
		slot[i].h = h;
		slot[i].size = size;
		if (size < sizes[i])
			out->shrunk++;
		placed++;
	}

	out->words = placed ? xcalloc(placed, sizeof *out->words) : NULL;
	for (i = 0; i < n; i++) {
		struct cloudlayout_word *wd;

		if (!slot[i].placed)
			continue;
		wd = &out->words[out->len++];
		wd->key = xstrdup(items[i].key ? items[i].key : items[i].text);
		wd->text = xstrdup(items[i].text);
		wd->count = items[i].count;
		wd->x = slot[i].x;
		wd->y = slot[i].y;
		wd->w = slot[i].w;
		wd->h = slot[i].h;
		wd->size = slot[i].size;
	}
	map_free(&where);
	free(failed.wh);
	free(live.next);
	free(live.fail);
	free(bd.bits);
	free(sp.pt);
	free(slot);
	free(sizes);
	return 0;
}

void
cloudlayout_free(struct cloudlayout *l)
{
	size_t i;

	for (i = 0; i < l->len; i++) {
		free(l->words[i].key);
		free(l->words[i].text);
	}
	free(l->words);
	memset(l, 0, sizeof *l);
}
