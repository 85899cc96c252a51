/*
 * view-int.h - what the view files share: curses, the colour pairs and
 * small drawing helpers.  Included only by view-*.c: no other part of the
 * console knows curses.
 */
#ifndef ATELIER_TUI_VIEW_INT_H
#define ATELIER_TUI_VIEW_INT_H

#include "app.h"
#include "layout.h"

#include <curses.h>

enum view_pair {
	PAIR_TITLE = 1,		/* the title bar */
	PAIR_TAB,		/* the selected board's tab */
	PAIR_ONLINE,		/* connection state on the status line */
	PAIR_OFFLINE,
	PAIR_ERROR,		/* the last error */
	PAIR_LOCKED,		/* the "locked" badge */
	PAIR_KEY,		/* key names on the hint line */
	PAIR_QR,		/* QR code: dark glyphs on light */
	PAIR_QR_DARK,		/* QR code, ASCII style: a dark cell */
	PAIR_DIM,		/* secondary text */
	PAIR_NOTE		/* + enum note_color: post-its */
};

extern int view_utf8;		/* the terminal shows UTF-8 */
extern int view_colors;		/* it has colours (else monochrome) */

/* COLOR_PAIR(p) with colours, else the monochrome attribute given. */
attr_t view_attr(int pair, attr_t mono);

/*
 * Print len bytes of UTF-8 s (len < 0: all of it) at y, x, within maxw
 * columns, control characters as spaces.  Returns the columns used.
 */
int view_put(int y, int x, int maxw, const char *s, long len, attr_t attr);

/* Fill w cells at y, x with spaces in attr. */
void view_fill(int y, int x, int w, attr_t attr);

/* A date (ms since the epoch) as "2026-03-14 09:30" local time, "-" if 0. */
void view_date(int64_t ms, char *buf, size_t n);

/*
 * The screens (view-list.c, view-home.c, view-wall.c, view-cloud.c,
 * view-cluster.c, view-portfolio.c: the portfolios and the picker, one
 * portfolio).
 */
void view_list_draw(struct app *a, const struct layout_frame *f);
void view_home_draw(struct app *a, const struct layout_frame *f);
void view_wall_draw(struct app *a, const struct layout_frame *f);
void view_cloud_draw(struct app *a, const struct layout_frame *f);
void view_cluster_draw(struct app *a, const struct layout_frame *f);
void view_portfolios_draw(struct app *a, const struct layout_frame *f);
void view_portfolio_draw(struct app *a, const struct layout_frame *f);

/* The tabs of the session's boards on the tabs line (view-wall.c). */
void view_board_tabs(struct app *a, const struct layout_frame *f);

#endif
