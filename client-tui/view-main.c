/*
 * view-main.c - the terminal: opening and closing curses, colours with a
 * monochrome fallback, keys translated for the app, and the parts common
 * to every screen (title bar, hint line, status line, prompt, confirmation
 * and help overlay).  The screens themselves are in view-<screen>.c.
 */
#include "view.h"
#include "view-int.h"
#include "common/util.h"

#include <langinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

int view_utf8;
int view_colors;

static SCREEN *screen;

attr_t
view_attr(int pair, attr_t mono)
{
	return view_colors ? (attr_t)COLOR_PAIR(pair) : mono;
}

int
view_put(int y, int x, int maxw, const char *s, long len, attr_t attr)
{
	size_t n = len < 0 ? strlen(s) : (size_t)len, fit;
	char *p;
	int w = 0;

	if (maxw <= 0 || y < 0 || y >= LINES || x >= COLS)
		return 0;
	if (x + maxw > COLS)
		maxw = COLS - x;
	p = layout_printable(s, n, view_utf8);
	fit = layout_fit(p, strlen(p), maxw, &w);
	attron(attr);
	mvaddnstr(y, x, p, (int)fit);
	attroff(attr);
	free(p);
	return w;
}

void
view_date(int64_t ms, char *buf, size_t n)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	if (ms <= 0 || localtime_r(&t, &tm) == NULL)
		snprintf(buf, n, "-");
	else
		strftime(buf, n, "%Y-%m-%d %H:%M", &tm);
}

void
view_fill(int y, int x, int w, attr_t attr)
{
	int i;

	if (y < 0 || y >= LINES)
		return;
	attron(attr);
	for (i = 0; i < w && x + i < COLS; i++)
		mvaddch(y, x + i, ' ');
	attroff(attr);
}

/* ---- colours --------------------------------------------------------- */

static void
colors_init(void)
{
	/* pastel post-its on 256 colours, plain ones on 8 */
	static const short bg256[NOTE_NCOLORS] = { 228, 218, 117, 120, 215,
	    183 };
	static const short bg8[NOTE_NCOLORS] = { COLOR_YELLOW, COLOR_MAGENTA,
	    COLOR_CYAN, COLOR_GREEN, COLOR_RED, COLOR_BLUE };
	static const short fg8[NOTE_NCOLORS] = { COLOR_BLACK, COLOR_BLACK,
	    COLOR_BLACK, COLOR_BLACK, COLOR_WHITE, COLOR_WHITE };
	const char *no_color = getenv("NO_COLOR");
	short white;
	int i;

	/* NO_COLOR (no-color.org) asks for the monochrome look */
	if ((no_color != NULL && *no_color != '\0') || !has_colors() ||
	    start_color() == ERR)
		return;
	white = COLORS >= 16 ? 15 : COLOR_WHITE;
	view_colors = 1;
	use_default_colors();
	init_pair(PAIR_TITLE, COLOR_BLACK, COLOR_CYAN);
	init_pair(PAIR_TAB, COLOR_BLACK, COLOR_YELLOW);
	init_pair(PAIR_ONLINE, COLOR_BLACK, COLOR_GREEN);
	init_pair(PAIR_OFFLINE, COLOR_WHITE, COLOR_RED);
	init_pair(PAIR_ERROR, COLOR_RED, -1);
	init_pair(PAIR_LOCKED, COLOR_WHITE, COLOR_RED);
	init_pair(PAIR_KEY, COLOR_CYAN, -1);
	init_pair(PAIR_QR, COLOR_BLACK, white);
	init_pair(PAIR_QR_DARK, COLOR_BLACK, COLOR_BLACK);
	init_pair(PAIR_DIM, COLORS >= 16 ? 8 : COLOR_BLUE, -1);
	for (i = 0; i < NOTE_NCOLORS; i++) {
		if (COLORS >= 256)
			init_pair(PAIR_NOTE + i, COLOR_BLACK, bg256[i]);
		else
			init_pair(PAIR_NOTE + i, fg8[i], bg8[i]);
	}
}

/* ---- opening and closing --------------------------------------------- */

int
view_open(struct app *a)
{
	const char *cs = nl_langinfo(CODESET);

	view_utf8 = cs != NULL && (strcmp(cs, "UTF-8") == 0 ||
	    strcmp(cs, "utf8") == 0);
	if ((screen = newterm(NULL, stdout, stdin)) == NULL)
		return -1;
	set_term(screen);
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	colors_init();
	a->utf8 = view_utf8;
	app_resize(a, COLS, LINES);
	return 0;
}

void
view_close(void)
{
	if (screen == NULL)
		return;
	endwin();
	delscreen(screen);
	screen = NULL;
}

void
view_resize(struct app *a)
{
	struct winsize ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 &&
	    ws.ws_col > 0)
		resizeterm(ws.ws_row, ws.ws_col);
	app_resize(a, COLS, LINES);
	clearok(curscr, TRUE);
}

/* ---- keys ------------------------------------------------------------ */

static int
translate(int r, wint_t ch)
{
	if (r == KEY_CODE_YES) {
		switch (ch) {
		case KEY_UP:
			return APP_KEY_UP;
		case KEY_DOWN:
			return APP_KEY_DOWN;
		case KEY_LEFT:
			return APP_KEY_LEFT;
		case KEY_RIGHT:
			return APP_KEY_RIGHT;
		case KEY_HOME:
			return APP_KEY_HOME;
		case KEY_END:
			return APP_KEY_END;
		case KEY_PPAGE:
			return APP_KEY_PGUP;
		case KEY_NPAGE:
			return APP_KEY_PGDN;
		case KEY_ENTER:
			return APP_KEY_ENTER;
		case KEY_BACKSPACE:
			return APP_KEY_BACKSPACE;
		case KEY_DC:
			return APP_KEY_DELETE;
		case KEY_BTAB:
			return APP_KEY_BTAB;
		case KEY_F(1):
			return APP_KEY_F1;
		default:
			return 0;
		}
	}
	switch (ch) {
	case '\r':
	case '\n':
		return APP_KEY_ENTER;
	case 27:
		return APP_KEY_ESC;
	case '\t':
		return APP_KEY_TAB;
	case 127:
	case 8:
		return APP_KEY_BACKSPACE;
	default:
		return (int)ch;
	}
}

int
view_input(struct app *a)
{
	wint_t ch;
	int r, key, n = 0;

	while (!a->quit && (r = get_wch(&ch)) != ERR) {
		n++;
		if (r == KEY_CODE_YES && ch == KEY_RESIZE) {
			app_resize(a, COLS, LINES);
			continue;
		}
		if ((key = translate(r, ch)) != 0)
			app_key(a, key);
	}
	return n;
}

/* ---- the parts of every screen --------------------------------------- */

/*
 * " atelier | TITLE | code K7MXPA | 12 participants", the screen's name on
 * the right; a long title is cut so that the code and the count stay.
 */
static void
draw_title(struct app *a, const struct layout_frame *f)
{
	attr_t bar = view_attr(PAIR_TITLE, A_REVERSE);
	const struct tui_session *s = a->m->open;
	const char *name = app_screen_name(a->screen);
	char tail[320], timer[160];
	int x, nw = layout_width(name) + 2, room;

	view_fill(f->title_y, 0, COLS, bar);
	view_put(f->title_y, COLS - nw + 1, nw, name, -1, bar);
	if (s == NULL || a->screen == SCREEN_LIST ||
	    a->screen == SCREEN_PORTFOLIOS || a->screen == SCREEN_PORTFOLIO ||
	    a->screen == SCREEN_PICK) {
		view_put(f->title_y, 0, COLS - nw, " atelier | facilitator "
		    "console", -1, bar | A_BOLD);
		return;
	}
	/* the timer everyone sees, on every screen of the session */
	if (app_timer_text(a, timer, sizeof timer) == 0)
		timer[0] = '\0';
	snprintf(tail, sizeof tail, " | code %s | %d participant%s%s%s%s",
	    s->code, s->participants, s->participants == 1 ? "" : "s",
	    s->archived ? " | ARCHIVED" : s->closed ? " | CLOSED" : "",
	    timer[0] != '\0' ? " | timer " : "", timer);
	x = view_put(f->title_y, 0, COLS - nw, " atelier | ", -1,
	    bar | A_BOLD);
	room = COLS - nw - x - layout_width(tail);
	if (room < 4)
		room = 4;
	x += view_put(f->title_y, x, room, s->title, -1, bar | A_BOLD);
	view_put(f->title_y, x, COLS - nw - x, tail, -1, bar | A_BOLD);
}

/* "? help  n new": each key in its colour, the rest plain. */
static void
draw_hints(struct app *a, const struct layout_frame *f)
{
	char buf[512];
	const char *p, *sp, *end;
	int x = 1;

	app_hints(a, buf, sizeof buf);
	p = buf;
	while (*p != '\0' && x < COLS - 1) {
		while (*p == ' ')
			p++, x++;
		sp = strchr(p, ' ');
		end = strstr(p, "  ");
		if (end == NULL)
			end = p + strlen(p);
		if (sp == NULL || sp > end)
			sp = end;
		x += view_put(f->hint_y, x, COLS - 1 - x, p, sp - p,
		    view_attr(PAIR_KEY, A_BOLD) | A_BOLD);
		x += view_put(f->hint_y, x, COLS - 1 - x, sp, end - sp,
		    A_NORMAL);
		p = end;
	}
}

static void
draw_status(struct app *a, const struct layout_frame *f)
{
	char left[256], right[512];
	int is_error, x;
	attr_t st;

	app_status(a, left, sizeof left, right, sizeof right, &is_error);
	st = a->conn == CONN_ONLINE ? view_attr(PAIR_ONLINE, A_REVERSE) :
	    view_attr(PAIR_OFFLINE, A_REVERSE | A_BOLD);
	view_fill(f->status_y, 0, COLS, A_NORMAL);
	x = view_put(f->status_y, 0, COLS, " ", -1, st);
	x += view_put(f->status_y, x, COLS - x, left, -1, st);
	x += view_put(f->status_y, x, COLS - x, " ", -1, st);
	if (right[0] != '\0') {
		x += 1;
		view_put(f->status_y, x, COLS - x, right, -1, is_error ?
		    view_attr(PAIR_ERROR, A_BOLD) | A_BOLD : A_NORMAL);
	}
}

/* The prompt on the hint line; leaves the cursor where typing goes. */
static void
draw_prompt(struct app *a, const struct layout_frame *f)
{
	struct app_prompt *p = &a->prompt;
	attr_t bar = A_REVERSE;
	char *text, *s;
	size_t i, off = 0;
	int x, cx, width;

	view_fill(f->hint_y, 0, COLS, bar);
	x = 1;
	x += view_put(f->hint_y, x, COLS - x - 12, p->label, -1, bar | A_BOLD);
	x += view_put(f->hint_y, x, COLS - x, ": ", -1, bar | A_BOLD);
	width = COLS - x - 1;
	p->start = layout_edit_window(p->cps, p->len, p->cursor, width,
	    p->start);
	text = app_prompt_text(p);
	/* byte offset of code point p->start */
	s = text;
	for (i = 0; i < p->start; i++) {
		int32_t cp;

		off += layout_decode(s + off, strlen(s + off), &cp);
	}
	view_put(f->hint_y, x, width, text + off, -1, bar);
	cx = x;
	for (i = p->start; i < p->cursor; i++)
		cx += layout_cp_width(p->cps[i]);
	free(text);
	curs_set(1);
	move(f->hint_y, cx < COLS ? cx : COLS - 1);
}

static void
draw_confirm(struct app *a, const struct layout_frame *f)
{
	attr_t bar = view_attr(PAIR_LOCKED, A_REVERSE) | A_BOLD;

	view_fill(f->hint_y, 0, COLS, bar);
	view_put(f->hint_y, 1, COLS - 2, a->confirm.question, -1, bar);
}

static int
help_lines(const struct app_binding *b, size_t n)
{
	size_t i;
	int lines = 0;

	for (i = 0; i < n; i++)
		lines += b[i].help != NULL;
	return lines;
}

static int
help_group(int y, int x, int w, int bottom, const struct app_binding *b,
    size_t n)
{
	size_t i;

	for (i = 0; i < n && y < bottom; i++) {
		if (b[i].help == NULL)
			continue;
		view_fill(y, x, w, A_NORMAL);
		view_put(y, x + 1, 15, b[i].label, -1,
		    view_attr(PAIR_KEY, A_BOLD) | A_BOLD);
		view_put(y, x + 17, w - 18, b[i].help, -1, A_NORMAL);
		y++;
	}
	return y;
}

static void
draw_help(struct app *a)
{
	const struct app_binding *b, *g;
	size_t nb, ng;
	char title[128];
	int w, h, y, x, bottom;

	b = app_bindings(a->screen, &nb);
	g = app_global_bindings(&ng);
	w = COLS - 4 < 78 ? COLS - 4 : 78;
	h = help_lines(b, nb) + help_lines(g, ng) + 4;
	if (h > LINES - 1)
		h = LINES - 1;	/* the status line stays */
	x = (COLS - w) / 2;
	y = (LINES - 1 - h) / 2;
	bottom = y + h - 1;
	attron(A_BOLD);
	for (int i = 0; i < h; i++)
		view_fill(y + i, x, w, A_NORMAL);
	mvaddch(y, x, ACS_ULCORNER);
	mvhline(y, x + 1, ACS_HLINE, w - 2);
	mvaddch(y, x + w - 1, ACS_URCORNER);
	mvvline(y + 1, x, ACS_VLINE, h - 2);
	mvvline(y + 1, x + w - 1, ACS_VLINE, h - 2);
	mvaddch(bottom, x, ACS_LLCORNER);
	mvhline(bottom, x + 1, ACS_HLINE, w - 2);
	mvaddch(bottom, x + w - 1, ACS_LRCORNER);
	attroff(A_BOLD);
	snprintf(title, sizeof title, " Keys: %s ", app_screen_name(a->screen));
	view_put(y, x + 2, w - 4, title, -1, A_BOLD);
	y = help_group(y + 1, x + 1, w - 2, bottom, b, nb);
	if (y < bottom)
		y++;
	y = help_group(y, x + 1, w - 2, bottom, g, ng);
	view_put(bottom, x + 2, w - 4, " Any key closes this help ", -1,
	    A_BOLD);
}

void
view_draw(struct app *a)
{
	struct layout_frame f;

	if (a->redraw) {
		clearok(curscr, TRUE);
		a->redraw = 0;
	}
	erase();
	curs_set(0);
	layout_frame(COLS, LINES, &f);
	if (COLS < 20 || LINES < 8) {
		view_put(0, 0, COLS, "The terminal is too small for atelier.",
		    -1, A_BOLD);
		refresh();
		return;
	}
	draw_title(a, &f);
	switch (a->screen) {
	case SCREEN_LIST:
		view_list_draw(a, &f);
		break;
	case SCREEN_HOME:
		view_home_draw(a, &f);
		break;
	case SCREEN_WALL:
		view_wall_draw(a, &f);
		break;
	case SCREEN_CLOUD:
		view_cloud_draw(a, &f);
		break;
	case SCREEN_CLUSTER:
		view_cluster_draw(a, &f);
		break;
	case SCREEN_PORTFOLIOS:
	case SCREEN_PICK:
		view_portfolios_draw(a, &f);
		break;
	case SCREEN_PORTFOLIO:
		view_portfolio_draw(a, &f);
		break;
	default:
		break;
	}
	draw_status(a, &f);
	if (a->confirm.kind != 0)
		draw_confirm(a, &f);
	else if (a->prompt.kind != 0)
		draw_prompt(a, &f);
	else
		draw_hints(a, &f);
	if (a->help)
		draw_help(a);
	refresh();
}
