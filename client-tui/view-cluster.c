/*
 * view-cluster.c - the clustering screen: the groups suggested for a wall
 * (cluster.suggest), as the facilitator edits them before applying them:
 * each group's name and size, then its post-its, one a line; the last
 * group holds the post-its left out.  The rows are the app's
 * (app_draft_row()), so the keys and the screen agree.
 */
#include "view-int.h"

#include <stdio.h>
#include <string.h>

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
	snprintf(buf, sizeof buf, "Groups for \"%s\": edit them, then a "
	    "applies them to the wall", b->title);
	view_put(f->tabs_y, 1, COLS - 2, buf, -1, A_BOLD);
	if (rows == 0) {
		view_put(f->content_y + 1, 2, COLS - 4, a->draft_loading ?
		    "Asking the server for groups..." : "No groups yet: s "
		    "asks the server for some, S for a given number.", -1,
		    A_NORMAL);
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
