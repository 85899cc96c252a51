/*
 * view.h - what the terminal front end offers the console's main loop.
 * The view draws the app (app.h) and turns keys into app_key() calls; it
 * is the only part that knows curses (view-*.c, through view-int.h).
 */
#ifndef ATELIER_TUI_VIEW_H
#define ATELIER_TUI_VIEW_H

#include "app.h"

/*
 * Take the terminal: UTF-8 if the locale says so, colours if there are
 * any, keys without line editing.  Sets a->utf8 and the size.  0, or -1
 * if the terminal cannot be used.
 */
int view_open(struct app *a);

/* Give the terminal back as it was. */
void view_close(void);

/* Draw the current state (curses sends only what changed). */
void view_draw(struct app *a);

/*
 * Read every key waiting on the keyboard and give each to the app.
 * Returns how many there were.
 */
int view_input(struct app *a);

/* The terminal was resized (SIGWINCH): take the new size. */
void view_resize(struct app *a);

#endif
