/*
 * view-list.c - the first screen: every session on the server, newest
 * first, with its code, title, participants and creation date.
 */
#include "view-int.h"

#include <stdio.h>

void
view_list_draw(struct app *a, const struct layout_frame *f)
{
	const struct model *m = a->m;
	int title_w, y, visible, i, x;
	char when[32], count[32];
	attr_t at;
	size_t k;

	char what[300];

	snprintf(count, sizeof count, "%zu", m->nlist);
	if (a->list_query != NULL)
		snprintf(what, sizeof what, "%s session%s matching \"%s\" "
		    "(archived too; / again, then Enter on nothing, ends the "
		    "search)", m->nlist ? count : "no", m->nlist == 1 ? "" :
		    "s", a->list_query);
	else
		snprintf(what, sizeof what, "%s %ssession%s%s",
		    m->nlist ? count : "no", a->list_archived ? "archived " :
		    "", m->nlist == 1 ? "" : "s", a->list_archived ?
		    " (v: the others)" : "");
	view_put(f->tabs_y, 1, COLS - 2, what, -1, A_BOLD);
	if (m->nlist == 0) {
		view_put(f->content_y + 2, 2, COLS - 4,
		    a->conn != CONN_ONLINE ? "Waiting for the server..." :
		    a->list_query != NULL || a->list_archived ? "Nothing "
		    "here." : "No session in progress: press n to create one "
		    "(v lists the archived ones).", -1, A_NORMAL);
		return;
	}
	/* columns: code 8, title, participants 13, created 17 */
	title_w = COLS - 2 - 8 - 13 - 17;
	if (title_w < 10)
		title_w = 10;
	y = f->content_y;
	at = view_attr(PAIR_DIM, A_DIM);
	view_put(y, 2, 8, "Code", -1, at | A_BOLD);
	view_put(y, 10, title_w, "Title", -1, at | A_BOLD);
	view_put(y, 10 + title_w, 13, "Participants", -1, at | A_BOLD);
	view_put(y, 23 + title_w, 17, "Created", -1, at | A_BOLD);
	visible = f->content_h - 1;
	a->list_top = layout_scroll((int)a->list_sel, visible, a->list_top);
	for (i = 0; i < visible; i++) {
		const struct tui_session *s;

		k = (size_t)(a->list_top + i);
		if (k >= m->nlist)
			break;
		s = &m->list[k];
		y = f->content_y + 1 + i;
		at = k == a->list_sel ? A_REVERSE | A_BOLD : A_NORMAL;
		view_fill(y, 0, COLS, at);
		view_put(y, 0, 2, k == a->list_sel ? ">" : " ", -1, at);
		view_put(y, 2, 8, s->code, -1, at);
		x = view_put(y, 10, title_w - 1, s->title, -1, at);
		if (s->archived || s->closed)
			view_put(y, 11 + x, title_w - 2 - x, s->archived ?
			    "(archived)" : "(closed)", -1, at | A_BOLD);
		snprintf(count, sizeof count, "%d", s->participants);
		view_put(y, 10 + title_w, 13, count, -1, at);
		view_date(s->created, when, sizeof when);
		view_put(y, 23 + title_w, 17, when, -1, at);
	}
}
