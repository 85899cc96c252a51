/*
 * view-cluster.c - the clustering screen: the groups suggested for a wall
 * (cluster.suggest), as the facilitator edits them before applying them:
 * each group's name and size, then its post-its, one a line; the last
 * group holds the post-its left out.  The rows are the app's
 * (app_draft_row()), so the keys and the screen agree.
 *
 * While the facilitator types themes for guided clustering (g), the
 * screen says how and lists the themes typed so far.
 */
#include "view-int.h"

#include <stdio.h>
#include <string.h>

/* Guided mode, while themes are typed: how, and the themes so far. */
static void
draw_themes(struct app *a, const struct layout_frame *f)
{
	static const char *const how[] = {
		"The server puts each post-it in the closest theme, or in "
		"none.",
		"One theme a line: its name, or its name then what to look "
		"for:",
		"    Mobilité: vélo, pistes cyclables, trottinettes",
		"Enter on an empty line sends them; Esc cancels.",
	};
	const struct app_theme *t;
	char buf[512];
	size_t i;
	int y = f->content_y + 1, bottom = f->content_y + f->content_h;

	for (i = 0; i < sizeof how / sizeof how[0] && y < bottom; i++, y++)
		view_put(y, 2, COLS - 4, how[i], -1, i == 2 ?
		    view_attr(PAIR_KEY, A_BOLD) : A_NORMAL);
	if (a->nthemes > 0 && y < bottom)
		view_put(y++, 2, COLS - 4, "Each line shows your last themes: "
		    "Enter keeps one, Ctrl-U clears it.", -1, A_NORMAL);
	y++;
	for (i = 0; i < a->ntyped && y < bottom; i++, y++) {
		t = &a->typed[i];
		snprintf(buf, sizeof buf, "%2zu. %s%s%s", i + 1, t->name,
		    t->keywords != NULL ? ": " : "", t->keywords != NULL ?
		    t->keywords : "");
		view_put(y, 2, COLS - 4, buf, -1, A_BOLD);
	}
	if (y < bottom) {
		snprintf(buf, sizeof buf, "%2zu. (typing, below)",
		    a->ntyped + 1);
		view_put(y, 2, COLS - 4, buf, -1, view_attr(PAIR_DIM,
		    A_DIM));
	}
}

void
view_cluster_draw(struct app *a, const struct layout_frame *f)
{
	const struct tui_board *b = app_board(a);
	const struct app_draft_group *g;
	const struct tui_note *n;
	size_t row, rows = app_draft_rows(a), gi;
	long ni;
	char buf[256];
	int y;
	attr_t at;

	if (b == NULL)
		return;
	if (a->prompt.kind == PROMPT_THEME) {
		snprintf(buf, sizeof buf, "Your themes for \"%s\"", b->title);
		view_put(f->tabs_y, 1, COLS - 2, buf, -1, A_BOLD);
		draw_themes(a, f);
		return;
	}
	snprintf(buf, sizeof buf, "%s for \"%s\": edit them, then a "
	    "applies them to the wall", a->draft_guided && rows > 0 ?
	    "Themes" : "Groups", b->title);
	view_put(f->tabs_y, 1, COLS - 2, buf, -1, A_BOLD);
	if (rows == 0) {
		view_put(f->content_y + 1, 2, COLS - 4, a->draft_loading ?
		    "Asking the server for groups..." : "No groups yet: s "
		    "asks the server for some, S for a given number, g sorts "
		    "the post-its into themes you give.", -1, A_NORMAL);
		return;
	}
	for (row = (size_t)a->draft_top, y = f->content_y; row < rows &&
	    y < f->content_y + f->content_h; row++, y++) {
		if (app_draft_row(a, row, &gi, &ni) < 0)
			break;
		g = &a->draft[gi];
		at = row == a->draft_sel ? A_REVERSE | A_BOLD : A_NORMAL;
		view_fill(y, 0, COLS, at);
		view_put(y, 0, 2, row == a->draft_sel ? ">" : " ", -1, at);
		if (ni < 0) {
			snprintf(buf, sizeof buf, "%s (%zu post-it%s)",
			    g->label, g->nnotes, g->nnotes == 1 ? "" : "s");
			view_put(y, 2, COLS - 3, buf, -1, at | A_BOLD |
			    (g->none ? view_attr(PAIR_DIM, A_DIM) :
			    view_attr(PAIR_KEY, A_UNDERLINE)));
			continue;
		}
		n = model_note(b, g->notes[ni]);
		view_put(y, 4, COLS - 5, n != NULL ? n->text :
		    "(deleted meanwhile)", -1, n != NULL && n->hidden ?
		    at | A_DIM : at);
	}
}
