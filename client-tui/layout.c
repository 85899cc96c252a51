/*
 * layout.c - screen geometry and text measurement (see layout.h).  Widths
 * come from utf8proc, the same tables the server's core uses for limits.
 */
#include "layout.h"
#include "common/util.h"

#include <string.h>
#include <utf8proc.h>

void
layout_frame(int cols, int rows, struct layout_frame *f)
{
	(void)cols;
	f->title_y = 0;
	f->tabs_y = 1;
	f->content_y = 2;
	f->content_h = rows - 4;
	if (f->content_h < 1)
		f->content_h = 1;
	f->hint_y = rows - 2;
	f->status_y = rows - 1;
}

void
layout_wall(int width, int height, struct layout_wall *w)
{
	w->cols = (width + LAYOUT_GAP) / (LAYOUT_CARD_MIN_W + LAYOUT_GAP);
	if (w->cols < 1)
		w->cols = 1;
	w->card_w = (width - (w->cols - 1) * LAYOUT_GAP) / w->cols;
	if (w->card_w < 4)
		w->card_w = 4;
	w->card_h = LAYOUT_CARD_H;
	w->rows = (height + LAYOUT_GAP) / (w->card_h + LAYOUT_GAP);
	if (w->rows < 1)
		w->rows = 1;
}

int
layout_scroll(int sel, int visible, int top)
{
	if (visible < 1)
		visible = 1;
	if (sel < top)
		top = sel;
	if (sel >= top + visible)
		top = sel - visible + 1;
	return top < 0 ? 0 : top;
}

void
layout_cloud(int width, struct layout_cloud *c)
{
	c->list_w = width / 3;
	if (c->list_w > 32)
		c->list_w = 32;
	if (c->list_w < 20)
		c->list_w = 20;
	c->list_x = width - c->list_w;
	c->cloud_w = c->list_x - 1;
	if (c->cloud_w < 1)
		c->cloud_w = 1;
}

int
layout_cp_width(int32_t cp)
{
	int w;

	if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0))
		return 1;	/* drawn as a space */
	w = utf8proc_charwidth(cp);
	return w < 0 ? 1 : w > 2 ? 2 : w;
}

size_t
layout_decode(const char *s, size_t len, int32_t *cp)
{
	utf8proc_ssize_t n;

	if (len == 0) {
		*cp = 0;
		return 0;
	}
	n = utf8proc_iterate((const utf8proc_uint8_t *)s,
	    len > 4 ? 4 : (utf8proc_ssize_t)len, cp);
	if (n <= 0) {
		*cp = '?';
		return 1;
	}
	return (size_t)n;
}

int
layout_width(const char *s)
{
	size_t len = strlen(s), i = 0;
	int32_t cp;
	int w = 0;

	while (i < len) {
		i += layout_decode(s + i, len - i, &cp);
		w += layout_cp_width(cp);
	}
	return w;
}

size_t
layout_fit(const char *s, size_t len, int maxw, int *w)
{
	size_t i = 0, step;
	int32_t cp;
	int used = 0, cw;

	while (i < len) {
		step = layout_decode(s + i, len - i, &cp);
		cw = layout_cp_width(cp);
		if (used + cw > maxw)
			break;
		used += cw;
		i += step;
	}
	if (w != NULL)
		*w = used;
	return i;
}

int
layout_wrap(const char *s, int width, struct layout_line *lines, int max,
    int *more)
{
	size_t len = strlen(s), i = 0, j, start, end, next, space, step;
	int n = 0, w, cw;
	int32_t cp;

	*more = 0;
	if (width < 1)
		width = 1;
	while (i < len) {
		if (n == max) {
			*more = 1;
			break;
		}
		start = j = i;
		space = (size_t)-1;
		w = 0;
		for (;;) {
			if (j >= len) {
				end = next = j;
				break;
			}
			if (s[j] == '\n') {
				end = j;
				next = j + 1;
				break;
			}
			step = layout_decode(s + j, len - j, &cp);
			cw = layout_cp_width(cp);
			if (w + cw > width) {
				if (cp == ' ') {	/* break right here */
					end = j;
					next = j + 1;
				} else if (space != (size_t)-1 && space > start) {
					end = space;
					next = space + 1;
				} else if (j > start) {
					end = next = j;
				} else {	/* wider than the line */
					end = next = j + step;
				}
				break;
			}
			if (cp == ' ')
				space = j;
			w += cw;
			j += step;
		}
		lines[n].off = start;
		lines[n].len = end - start;
		n++;
		i = next;
		while (i < len && s[i] == ' ')
			i++;
	}
	return n;
}

char *
layout_printable(const char *s, size_t len, int utf8)
{
	char *out = xmalloc(len + 1);
	size_t i = 0, o = 0, step;
	int32_t cp;

	while (i < len) {
		step = layout_decode(s + i, len - i, &cp);
		if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0))
			out[o++] = ' ';
		else if (cp == '?' && step == 1)
			out[o++] = '?';	/* also invalid bytes */
		else if (!utf8 && cp >= 0x80)
			out[o++] = '?';
		else {
			memcpy(out + o, s + i, step);
			o += step;
		}
		i += step;
	}
	out[o] = '\0';
	return out;
}

size_t
layout_edit_window(const int32_t *cps, size_t len, size_t cursor, int width,
    size_t start)
{
	int w;
	size_t i;

	if (width < 2)
		width = 2;
	if (cursor > len)
		cursor = len;
	if (start > cursor)
		start = cursor;
	/* move start right until the cursor (and one cell for it) fits */
	for (;;) {
		w = 1;
		for (i = start; i < cursor; i++)
			w += layout_cp_width(cps[i]);
		if (w <= width || start >= cursor)
			break;
		start++;
	}
	return start;
}
