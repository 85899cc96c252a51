/*
 * view-home.c - a session's home, the screen projected while people
 * join: the QR code of the join link on the left (as large as fits), the
 * join code in big letters, the link, the number of participants and the
 * session's boards on the right.
 */
#include "view-int.h"
#include "bigtext.h"
#include "qrtext.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PANEL_MIN 38		/* columns kept for the right panel */

/* The QR code, dark on light whatever the terminal's colours. */
static void
draw_qr(const struct qrtext *t, int y, int x)
{
	attr_t light = view_attr(PAIR_QR, A_REVERSE);
	attr_t dark = view_attr(PAIR_QR_DARK, A_NORMAL);
	int r, c;

	for (r = 0; r < t->h; r++) {
		if (t->style == QRTEXT_FULL || t->style == QRTEXT_HALF) {
			attron(light);
			mvaddstr(y + r, x, t->rows[r]);
			attroff(light);
			continue;
		}
		/* ASCII: a dark module is a whole dark cell, '#' for copy */
		for (c = 0; c < t->w; c++) {
			attr_t at = t->rows[r][c] == '#' ? dark : light;

			attron(at);
			mvaddch(y + r, x + c, (chtype)(unsigned char)
			    t->rows[r][c]);
			attroff(at);
		}
	}
}

static void
board_line(const struct tui_board *b, char *buf, size_t n)
{
	size_t hidden = 0, i;

	for (i = 0; i < b->nnotes; i++)
		hidden += b->notes[i].hidden != 0;
	if (strcmp(b->kind, "cloud") == 0)
		snprintf(buf, n, "%s (word cloud%s)", b->title,
		    b->locked ? ", locked" : "");
	else
		snprintf(buf, n, "%s (%zu post-it%s%s%s)", b->title,
		    b->nnotes, b->nnotes == 1 ? "" : "s",
		    b->locked ? ", locked" : "", hidden ? ", some hidden" : "");
}

void
view_home_draw(struct app *a, const struct layout_frame *f)
{
	const struct tui_session *s = a->m->open;
	struct qrtext t;
	struct qr q;
	char buf[512], tbuf[160], *row;
	int y, x, w, r, have_qr = 0, bottom;
	size_t i;

	if (s == NULL)
		return;
	if (s->closed || s->archived)
		view_put(f->tabs_y, 1, COLS - 2, s->archived ? " ARCHIVED: "
		    "closed, kept whole (a: unarchive) " : " CLOSED: nobody "
		    "can write (x: reopen) ", -1,
		    view_attr(PAIR_LOCKED, A_REVERSE) | A_BOLD);
	else
		view_put(f->tabs_y, 1, COLS - 2, "Participants scan the QR "
		    "code or open the link and type the code", -1, A_BOLD);
	memset(&t, 0, sizeof t);
	if (qr_encode(s->join_url, &q) == 0) {
		have_qr = qrtext_fit(&q, view_utf8, COLS - PANEL_MIN - 2,
		    f->content_h, &t) == 0;
		qr_free(&q);
	}
	if (have_qr) {
		draw_qr(&t, f->content_y, 1);
		x = t.w + 3;
		qrtext_free(&t);
	} else {
		view_put(f->content_y, 1, COLS - 2, "(enlarge the terminal to "
		    "show the QR code)", -1, view_attr(PAIR_DIM, A_DIM));
		x = 2;
	}
	w = COLS - x - 1;
	y = f->content_y + (have_qr ? 0 : 1);
	bottom = f->content_y + f->content_h;

	view_put(y++, x, w, "Join code", -1, view_attr(PAIR_DIM, A_DIM));
	if (bigtext_width(s->code) <= w &&
	    y + BIGTEXT_ROWS + 6 <= bottom) {
		for (r = 0; r < BIGTEXT_ROWS; r++) {
			row = bigtext_row(s->code, r, view_utf8);
			view_put(y++, x, w, row, -1, A_BOLD);
			free(row);
		}
		y++;
	}
	snprintf(buf, sizeof buf, "Code %s", s->code);
	view_put(y++, x, w, buf, -1, A_BOLD);
	y++;
	view_put(y++, x, w, "Join link", -1, view_attr(PAIR_DIM, A_DIM));
	/* the link may be longer than the panel: cut it over lines */
	for (i = 0; s->join_url[i] != '\0' && y < bottom; y++) {
		size_t n = layout_fit(s->join_url + i, strlen(s->join_url + i),
		    w, NULL);

		if (n == 0)
			break;
		view_put(y, x, w, s->join_url + i, (long)n, A_BOLD);
		i += n;
	}
	y++;
	snprintf(buf, sizeof buf, "%d participant%s joined", s->participants,
	    s->participants == 1 ? "" : "s");
	view_put(y++, x, w, buf, -1, A_BOLD);
	if (app_timer_text(a, tbuf, sizeof tbuf)) {
		snprintf(buf, sizeof buf, "Timer %s", tbuf);
		view_put(y++, x, w, buf, -1, A_BOLD);
	}
	if (s->description != NULL && y < bottom) {
		snprintf(buf, sizeof buf, "About: %s", s->description);
		view_put(y++, x, w, buf, -1, view_attr(PAIR_DIM, A_DIM));
	}
	if (s->retrospective != NULL && y < bottom) {
		snprintf(buf, sizeof buf, "Retrospective: %s",
		    s->retrospective);
		view_put(y++, x, w, buf, -1, view_attr(PAIR_DIM, A_DIM));
	}
	y++;
	if (y >= bottom)
		return;
	view_put(y++, x, w, "Boards", -1, view_attr(PAIR_DIM, A_DIM));
	if (s->nboards == 0) {
		view_put(y, x, w, "none yet: press b for a wall", -1, A_NORMAL);
		return;
	}
	/* keep the selected board visible */
	r = bottom - y;
	i = a->board_sel >= (size_t)r && r > 0 ? a->board_sel - (size_t)r + 1 :
	    0;
	for (; i < s->nboards && y < bottom; i++, y++) {
		attr_t at = i == a->board_sel ? A_REVERSE | A_BOLD : A_NORMAL;

		board_line(&s->boards[i], buf, sizeof buf);
		view_fill(y, x, w, at);
		view_put(y, x, 2, i == a->board_sel ? ">" : " ", -1, at);
		view_put(y, x + 2, w - 2, buf, -1, at);
	}
}
