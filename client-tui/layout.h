/*
 * layout.h - where things go on the console's screen, computed without
 * curses: the frame (title, content, key hints, status), the grid of
 * post-its, the cloud's panes, and text measured in terminal columns
 * (UTF-8, wide characters count two).  The views draw what these say and
 * the key handlers navigate with the same numbers.
 */
#ifndef ATELIER_TUI_LAYOUT_H
#define ATELIER_TUI_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

#define LAYOUT_MIN_COLS 80	/* the console is designed for 80x24 up */
#define LAYOUT_MIN_ROWS 24

/* The rows of every screen. */
struct layout_frame {
	int title_y;		/* session title, code, screen name */
	int tabs_y;		/* boards, or the screen's subtitle */
	int content_y, content_h;
	int hint_y;		/* the main keys of the screen */
	int status_y;		/* connection state and last error */
};

void layout_frame(int cols, int rows, struct layout_frame *f);

/* The wall: cards of card_w x card_h cells with one cell between them. */
struct layout_wall {
	int cols;		/* cards per row, at least 1 */
	int card_w, card_h;
	int rows;		/* rows of cards that fit, at least 1 */
};

#define LAYOUT_CARD_MIN_W 26
#define LAYOUT_CARD_H 5
#define LAYOUT_GAP 1

void layout_wall(int width, int height, struct layout_wall *w);

/*
 * The first row to show so that row sel stays visible in a window of
 * visible rows that showed top before (scrolls as little as possible).
 */
int layout_scroll(int sel, int visible, int top);

/* The word cloud: the cloud itself on the left, the entries on the right. */
struct layout_cloud {
	int cloud_w;		/* columns of the cloud, from x 0 */
	int list_x, list_w;	/* the list of entries */
};

void layout_cloud(int width, struct layout_cloud *c);

/* Terminal columns of one code point: 0, 1 or 2 (control: 1). */
int layout_cp_width(int32_t cp);

/*
 * Decode the code point at s (len bytes left): returns its length in
 * bytes (at least 1) and sets *cp; invalid UTF-8 gives '?' for one byte.
 */
size_t layout_decode(const char *s, size_t len, int32_t *cp);

/* Terminal columns of a UTF-8 string. */
int layout_width(const char *s);

/*
 * How many bytes of s (len bytes) fit in maxw columns, without cutting a
 * character; *w (if not NULL) gets their width.
 */
size_t layout_fit(const char *s, size_t len, int maxw, int *w);

/* One line of wrapped text: bytes [off, off + len) of the source. */
struct layout_line {
	size_t off, len;
};

/*
 * Wrap s into at most max lines of width columns, breaking at spaces when
 * possible and always at newlines.  Returns the number of lines; *more is
 * set to 1 if text was left over.
 */
int layout_wrap(const char *s, int width, struct layout_line *lines,
    int max, int *more);

/*
 * A printable copy of len bytes of s: control characters become spaces
 * and, when utf8 is 0, every non-ASCII character becomes '?'.  The caller
 * frees it.
 */
char *layout_printable(const char *s, size_t len, int utf8);

/*
 * The part of a line being edited that fits in width columns with the
 * cursor visible: *start is the first code point shown.  cps holds len
 * code points; the cursor is before cps[cursor].
 */
size_t layout_edit_window(const int32_t *cps, size_t len, size_t cursor,
    int width, size_t start);

#endif
