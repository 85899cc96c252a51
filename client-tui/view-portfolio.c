/*
 * view-portfolio.c - the portfolios, a lab's projects grouping sessions:
 * their list (newest first: number, title, sessions, creation date, the
 * first line of the description), the same list as a picker when a
 * session is being added to one, and one portfolio with its sessions
 * (code, title, open / closed / archived, creation date).
 */
#include "view-int.h"

#include <stdio.h>
#include <string.h>

/* The first line of text (its length in bytes). */
static long
first_line(const char *text)
{
	return (long)strcspn(text, "\r\n");
}

/* Text wrapped over at most 4 lines of w columns from y, x. */
static void
paragraph(int y, int x, int w, const char *text)
{
	struct layout_line lines[4];
	int n, i, more;

	n = layout_wrap(text, w, lines, 4, &more);
	for (i = 0; i < n; i++)
		view_put(y + i, x, w, text + lines[i].off,
		    (long)lines[i].len, A_NORMAL);
}

/* What the list shows when it has no row. */
static const char *
empty_words(const struct app *a)
{
	if (!a->m->portfolios_loaded)
		return a->conn != CONN_ONLINE ? "Waiting for the server..." :
		    "Asking the server for the portfolios...";
	if (a->screen == SCREEN_PICK)
		return "No portfolio yet: press n to create one; the session "
		    "goes into it.";
	return "No portfolio yet: press n to create one, say for a lab's "
	    "project (\"Mobility 2026\"). Then, on the session list or a "
	    "session's home, + puts the session in it.";
}

void
view_portfolios_draw(struct app *a, const struct layout_frame *f)
{
	const struct model *m = a->m;
	int rest, title_w, about_w, y, visible, i, x, xs, xc, xa, has;
	char buf[512], when[32], count[32];
	attr_t at;
	size_t k;

	if (a->screen == SCREEN_PICK)
		snprintf(buf, sizeof buf, "Put %s \"%s\" in which portfolio?",
		    a->pick_code, a->pick_title != NULL ? a->pick_title : "");
	else
		snprintf(buf, sizeof buf, "%zu portfolio%s, newest first (+ on "
		    "a session puts it in one)", m->nportfolios,
		    m->nportfolios == 1 ? "" : "s");
	view_put(f->tabs_y, 1, COLS - 2, buf, -1, A_BOLD);
	if (m->nportfolios == 0) {
		paragraph(f->content_y + 2, 2, COLS - 4, empty_words(a));
		return;
	}
	/* columns: No. 6, title, sessions 9, created 17, about */
	rest = COLS - 2 - 6 - 9 - 17 - 1;
	title_w = rest / 2 > 10 ? rest / 2 : 10;
	about_w = rest - title_w;
	xs = 8 + title_w;
	xc = xs + 9;
	xa = xc + 17;
	y = f->content_y;
	at = view_attr(PAIR_DIM, A_DIM) | A_BOLD;
	view_put(y, 2, 6, "No.", -1, at);
	view_put(y, 8, title_w, "Title", -1, at);
	view_put(y, xs, 9, "Sessions", -1, at);
	view_put(y, xc, 17, "Created", -1, at);
	view_put(y, xa, about_w, "About", -1, at);
	visible = f->content_h - 1;
	a->pf_top = layout_scroll((int)a->pf_sel, visible, a->pf_top);
	for (i = 0; i < visible; i++) {
		const struct tui_portfolio *p;

		k = (size_t)(a->pf_top + i);
		if (k >= m->nportfolios)
			break;
		p = &m->portfolios[k];
		y = f->content_y + 1 + i;
		at = k == a->pf_sel ? A_REVERSE | A_BOLD : A_NORMAL;
		view_fill(y, 0, COLS, at);
		view_put(y, 0, 2, k == a->pf_sel ? ">" : " ", -1, at);
		snprintf(count, sizeof count, "%lld", (long long)p->id);
		view_put(y, 2, 6, count, -1, at);
		/* the picker marks where the session is already */
		has = a->screen == SCREEN_PICK &&
		    model_portfolio_has(p, a->pick_code);
		x = view_put(y, 8, title_w - (has ? 10 : 1), p->title, -1, at);
		if (has)
			view_put(y, 9 + x, 8, "(has it)", -1, at | A_BOLD);
		snprintf(count, sizeof count, "%zu", p->nsessions);
		view_put(y, xs, 9, count, -1, at);
		view_date(p->created, when, sizeof when);
		view_put(y, xc, 17, when, -1, at);
		if (p->description != NULL)
			view_put(y, xa, about_w, p->description,
			    first_line(p->description), k == a->pf_sel ? at :
			    view_attr(PAIR_DIM, A_DIM));
	}
}

void
view_portfolio_draw(struct app *a, const struct layout_frame *f)
{
	const struct tui_portfolio *p = a->m->portfolio, *listed;
	int title_w, y, visible, i, top;
	char buf[512], when[32];
	attr_t at;
	size_t k;

	if (p != NULL && p->id != a->pf_id)
		p = NULL;
	listed = model_portfolio(a->m, a->pf_id);
	if (p != NULL || listed != NULL)
		snprintf(buf, sizeof buf, "Portfolio %lld: %s (%zu session%s)",
		    (long long)a->pf_id, (p != NULL ? p : listed)->title,
		    (p != NULL ? p : listed)->nsessions,
		    (p != NULL ? p : listed)->nsessions == 1 ? "" : "s");
	else
		snprintf(buf, sizeof buf, "Portfolio %lld",
		    (long long)a->pf_id);
	view_put(f->tabs_y, 1, COLS - 2, buf, -1, A_BOLD);
	if (p == NULL) {
		view_put(f->content_y + 2, 2, COLS - 4, a->conn != CONN_ONLINE ?
		    "Waiting for the server..." : "Loading the portfolio...",
		    -1, A_NORMAL);
		return;
	}
	y = f->content_y;
	if (p->description != NULL) {
		snprintf(buf, sizeof buf, "About: %.*s",
		    (int)first_line(p->description), p->description);
		view_put(y, 2, COLS - 4, buf, -1, view_attr(PAIR_DIM, A_DIM));
		y += 2;
	}
	top = y;
	if (p->nsessions == 0) {
		paragraph(y + 1, 2, COLS - 4, "No session in this portfolio "
		    "yet: on the session list (or a session's home), select "
		    "one and press +.");
		return;
	}
	/* columns: code 8, title, state 10, created 17 */
	title_w = COLS - 2 - 8 - 10 - 17;
	if (title_w < 10)
		title_w = 10;
	at = view_attr(PAIR_DIM, A_DIM) | A_BOLD;
	view_put(y, 2, 8, "Code", -1, at);
	view_put(y, 10, title_w, "Title", -1, at);
	view_put(y, 10 + title_w, 10, "State", -1, at);
	view_put(y, 20 + title_w, 17, "Created", -1, at);
	visible = f->content_y + f->content_h - top - 1;
	if (visible < 1)
		visible = 1;
	a->pf_session_top = layout_scroll((int)a->pf_session_sel, visible,
	    a->pf_session_top);
	for (i = 0; i < visible; i++) {
		const struct tui_session *s;

		k = (size_t)(a->pf_session_top + i);
		if (k >= p->nsessions)
			break;
		s = &p->sessions[k];
		y = top + 1 + i;
		at = k == a->pf_session_sel ? A_REVERSE | A_BOLD : A_NORMAL;
		view_fill(y, 0, COLS, at);
		view_put(y, 0, 2, k == a->pf_session_sel ? ">" : " ", -1, at);
		view_put(y, 2, 8, s->code, -1, at);
		view_put(y, 10, title_w - 1, s->title, -1, at);
		view_put(y, 10 + title_w, 10, s->archived ? "archived" :
		    s->closed ? "closed" : "open", -1, at);
		view_date(s->created, when, sizeof when);
		view_put(y, 20 + title_w, 17, when, -1, at);
	}
}
