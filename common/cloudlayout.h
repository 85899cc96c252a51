/*
 * cloudlayout.h - place the words of a cloud without overlap, largest in
 * the centre, on a pixel canvas (the browser draws SVG) or a character
 * grid (the console), the same way every time for the same input, and
 * close to where they were in the previous layout so that the cloud does
 * not jump around as counts change.
 *
 * Each word is a box.  On a pixel canvas its height is the font's line
 * box (CLOUDLAYOUT_LINE * size) and its width is estimated from a table
 * of Helvetica/Arial advance widths; the browser makes the estimate exact
 * by drawing with textLength = w and lengthAdjust = "spacingAndGlyphs",
 * the baseline at y + CLOUDLAYOUT_ASCENT * size.  On a grid a word takes
 * one row and as many columns as its text (utf8proc_charwidth: 2 for wide
 * characters and most emoji), and its size is an emphasis level 1 to 4.
 *
 * Boxes never overlap and lie inside the canvas; on a pixel canvas they
 * are at least `padding` px apart, on a grid words on one row at least
 * one column apart.  Words that find no room are shrunk (pixel canvas)
 * and, when even the smallest size finds none, dropped and counted.
 */
#ifndef ATELIER_CLOUDLAYOUT_H
#define ATELIER_CLOUDLAYOUT_H

#include <stddef.h>

#define CLOUDLAYOUT_ASCENT 0.905	/* baseline below the box top, em */
#define CLOUDLAYOUT_LINE 1.117		/* box height, em (ascent + descent) */

enum cloudlayout_target {
	CLOUDLAYOUT_PX = 0,		/* pixels; size is a font size in px */
	CLOUDLAYOUT_GRID		/* character cells; size is 1 to 4 */
};

struct cloudlayout_params {
	enum cloudlayout_target target;
	int width, height;		/* canvas, px or cells, 1 to 10000 */
	int max_size;			/* px: font size of the largest count */
	int min_size;			/* px: smallest font size a word gets */
	int padding;			/* px: least gap between two boxes */
	double fill;			/* px: share of the canvas the boxes
					   may cover before all sizes shrink */
};

/* One word to place. */
struct cloudlayout_item {
	const char *key;		/* identity across layouts (NULL: text) */
	const char *text;		/* what is drawn, UTF-8 */
	long count;			/* >= 1 */
};

/* One word placed. */
struct cloudlayout_word {
	char *key;			/* owned copies */
	char *text;
	long count;
	int x, y;			/* top-left corner of the box */
	int w, h;			/* size of the box */
	int size;			/* px: font size; grid: 1 to 4 */
};

struct cloudlayout {
	enum cloudlayout_target target;
	int width, height;
	struct cloudlayout_word *words;	/* placed words, in the items' order */
	size_t len;
	size_t dropped;			/* items that found no room */
	size_t shrunk;			/* px: placed smaller than asked */
};

/*
 * Defaults for a canvas: with S the shorter side, max_size S / 5 (120 on
 * 800x600), min_size S / 75 but at least 8 (or max_size / 2 on a small
 * canvas), padding 1, fill 0.55.  The spiral's steps grow with S beyond
 * 600 px too, so a layout on 3840x2160 looks and costs like one on
 * 800x600.  Change the fields afterwards if need be.
 */
void cloudlayout_params_init(struct cloudlayout_params *p,
    enum cloudlayout_target target, int width, int height);

/*
 * Lay out n items, in the order given: pass them sorted by count, largest
 * first (wordcloud_list() order), so that the largest take the centre.
 * The size of an item grows with the square root of its count, from
 * min_size (the smallest count) to max_size (the largest); when the boxes
 * would cover more than `fill` of the canvas, every size shrinks alike.
 *
 * prev, if not NULL, is the previous layout of the same cloud: a word
 * whose key is in it is tried first at its previous centre (scaled if
 * the canvas changed size), then near it.  Words that still fit at
 * their old place are placed first, then those that fit near it, then
 * the others and the new ones.
 *
 * Fills *out (free with cloudlayout_free()).  Returns 0, or -1 if the
 * parameters are out of range (then *out is empty).
 */
int cloudlayout_compute(struct cloudlayout *out,
    const struct cloudlayout_params *p, const struct cloudlayout_item *items,
    size_t n, const struct cloudlayout *prev);

void cloudlayout_free(struct cloudlayout *l);

/*
 * The size each item asks for before any shrinking for lack of room:
 * sizes[i] for items[i] (px, or emphasis 1 to 4 on a grid).
 */
void cloudlayout_sizes(const struct cloudlayout_params *p,
    const struct cloudlayout_item *items, size_t n, int *sizes);

/* Width of text's box: px at font size (pixel canvas), or columns (grid). */
int cloudlayout_text_width(enum cloudlayout_target target, const char *text,
    int size);

#endif
