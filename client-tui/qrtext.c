/*
 * qrtext.c - QR codes as terminal text (see qrtext.h).
 */
#include "qrtext.h"
#include "common/util.h"

#include <stdlib.h>
#include <string.h>

#define FULL_BLOCK "\xe2\x96\x88"	/* U+2588 █ */
#define UPPER_HALF "\xe2\x96\x80"	/* U+2580 ▀ */
#define LOWER_HALF "\xe2\x96\x84"	/* U+2584 ▄ */

/* Size in cells of q drawn in style with quiet modules each side. */
static void
qrtext_size(const struct qr *q, int style, int quiet, int *w, int *h)
{
	int n = q->size + 2 * quiet;

	switch (style) {
	case QRTEXT_FULL:
	case QRTEXT_ASCII2:
		*w = 2 * n;
		*h = n;
		break;
	case QRTEXT_HALF:
		*w = n;
		*h = (n + 1) / 2;
		break;
	default:
		*w = n;
		*h = n;
		break;
	}
}

static void
put(char *row, size_t *len, const char *s)
{
	size_t n = strlen(s);

	memcpy(row + *len, s, n);
	*len += n;
}

void
qrtext_render(const struct qr *q, int style, int quiet, struct qrtext *out)
{
	int n = q->size + 2 * quiet, x, y, top, bottom;
	size_t len;
	char *row;

	out->style = style;
	out->quiet = quiet;
	qrtext_size(q, style, quiet, &out->w, &out->h);
	out->rows = xcalloc((size_t)out->h, sizeof *out->rows);
	for (y = 0; y < out->h; y++) {
		/* at most 3 bytes per module and column */
		row = xmalloc((size_t)out->w * 3 * 2 + 1);
		len = 0;
		for (x = 0; x < n; x++) {
			int qx = x - quiet;

			switch (style) {
			case QRTEXT_HALF:
				top = qr_module(q, qx, 2 * y - quiet);
				bottom = qr_module(q, qx, 2 * y + 1 - quiet);
				put(row, &len, top && bottom ? FULL_BLOCK :
				    top ? UPPER_HALF : bottom ? LOWER_HALF :
				    " ");
				break;
			case QRTEXT_FULL:
				put(row, &len, qr_module(q, qx, y - quiet) ?
				    FULL_BLOCK FULL_BLOCK : "  ");
				break;
			case QRTEXT_ASCII2:
				put(row, &len, qr_module(q, qx, y - quiet) ?
				    "##" : "  ");
				break;
			default:
				put(row, &len, qr_module(q, qx, y - quiet) ?
				    "#" : " ");
				break;
			}
		}
		row[len] = '\0';
		out->rows[y] = row;
	}
}

int
qrtext_fit(const struct qr *q, int utf8, int maxw, int maxh,
    struct qrtext *out)
{
	static const struct {
		int style, quiet, utf8;
	} tries[] = {
		{ QRTEXT_FULL, 4, 1 }, { QRTEXT_FULL, 2, 1 },
		{ QRTEXT_HALF, 4, 1 }, { QRTEXT_HALF, 2, 1 },
		{ QRTEXT_HALF, 1, 1 },
		{ QRTEXT_ASCII2, 4, 0 }, { QRTEXT_ASCII2, 2, 0 },
		{ QRTEXT_ASCII2, 1, 0 }, { QRTEXT_ASCII1, 2, 0 },
		{ QRTEXT_ASCII1, 1, 0 },
	};
	size_t i;
	int w, h;

	memset(out, 0, sizeof *out);
	for (i = 0; i < ARRAY_LEN(tries); i++) {
		if (tries[i].utf8 != (utf8 != 0))
			continue;
		qrtext_size(q, tries[i].style, tries[i].quiet, &w, &h);
		if (w <= maxw && h <= maxh) {
			qrtext_render(q, tries[i].style, tries[i].quiet, out);
			return 0;
		}
	}
	return -1;
}

void
qrtext_free(struct qrtext *t)
{
	int y;

	for (y = 0; t->rows != NULL && y < t->h; y++)
		free(t->rows[y]);
	free(t->rows);
	memset(t, 0, sizeof *t);
}
