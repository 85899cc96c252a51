/*
 * qrtext.h - a QR code (common/qr.h) as lines of terminal text, in the
 * largest style that fits: two columns per module ("██") or Unicode half
 * blocks (one column, half a row per module: ▀ ▄ █), or with '#' when the
 * terminal has no UTF-8.  A character cell is about twice as tall as wide,
 * so these keep modules square, except the last resort ASCII1.
 *
 * The dark modules are the glyphs: the view draws them dark on light.
 */
#ifndef ATELIER_TUI_QRTEXT_H
#define ATELIER_TUI_QRTEXT_H

#include "common/qr.h"

enum qrtext_style {
	QRTEXT_FULL = 0,	/* "██" per module, one row per module */
	QRTEXT_HALF,		/* one column, two modules per row */
	QRTEXT_ASCII2,		/* "##" per module */
	QRTEXT_ASCII1		/* "#" per module: stretched, last resort */
};

struct qrtext {
	int style;		/* enum qrtext_style */
	int quiet;		/* modules of quiet zone drawn on each side */
	int w, h;		/* columns and rows */
	char **rows;		/* h NUL-terminated UTF-8 strings */
};

/*
 * Draw q in the largest style (and widest quiet zone, 4 down to 1 module)
 * that fits in maxw x maxh cells; utf8 allows the Unicode styles.
 * Returns 0 and fills out (free with qrtext_free), or -1 if nothing fits.
 */
int qrtext_fit(const struct qr *q, int utf8, int maxw, int maxh,
    struct qrtext *out);

/* Draw q in one style with quiet modules of margin (always succeeds). */
void qrtext_render(const struct qr *q, int style, int quiet,
    struct qrtext *out);

void qrtext_free(struct qrtext *t);

#endif
