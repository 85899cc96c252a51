/*
 * view-cloud.c - a word-cloud board (proto/PROTOCOL.md, "cloud.layout"):
 * on the left the words where the server's grid layout put them, bigger
 * words brighter, and under them the forms typed for the selected entry;
 * on the right every entry with its count, hidden and banned ones
 * included, where the selection is, and the session's banned words.
 */
#include "view-int.h"

#include <stdio.h>
#include <string.h>

static attr_t
emphasis(int size)
{
	switch (size) {
	case 4:
		return A_BOLD | A_STANDOUT;
	case 3:
		return A_BOLD | view_attr(PAIR_KEY, 0);
	case 2:
		return A_NORMAL;
	default:
		return view_attr(PAIR_DIM, A_DIM);
	}
}

void
view_cloud_draw(struct app *a, const struct layout_frame *f)
{
	const struct tui_board *b = app_board(a);
	const char *sel_key = a->word_key;
	struct layout_cloud c;
	char buf[256];
	size_t i;
	int y, visible;

	if (b == NULL)
		return;
	view_board_tabs(a, f);
	layout_cloud(COLS, &c);
	/* the cloud */
	if (b->ncells == 0)
		view_put(f->content_y + 1, 2, c.cloud_w - 2, b->nwords == 0 ?
		    "No word yet: participants send theirs from their phones."
		    : "Waiting for the server's layout...", -1, A_NORMAL);
	for (i = 0; i < b->ncells; i++) {
		const struct tui_cell *cell = &b->cells[i];
		attr_t at = emphasis(cell->size);

		if (cell->y < 0 || cell->y >= f->content_h || cell->x < 0 ||
		    cell->x >= c.cloud_w)
			continue;
		if (sel_key != NULL && strcmp(cell->key, sel_key) == 0)
			at |= A_UNDERLINE | A_REVERSE;
		view_put(f->content_y + cell->y, cell->x, c.cloud_w - cell->x,
		    cell->text, -1, at);
	}
	/* what people typed for the selected entry */
	if (sel_key != NULL) {
		const struct tui_word *w = NULL;

		for (i = 0; i < b->nwords; i++)
			if (strcmp(b->words[i].key, sel_key) == 0)
				w = &b->words[i];
		if (w != NULL && w->forms != NULL) {
			snprintf(buf, sizeof buf, "typed: %s", w->forms);
			view_put(f->content_y + f->content_h - 1, 1,
			    c.cloud_w - 2, buf, -1, view_attr(PAIR_DIM, A_DIM));
		}
	}
	/* the entries */
	for (y = f->content_y; y < f->content_y + f->content_h; y++)
		mvaddch(y, c.list_x - 1, ACS_VLINE);
	snprintf(buf, sizeof buf, "%zu entr%s", b->nwords,
	    b->nwords == 1 ? "y" : "ies");
	view_put(f->content_y, c.list_x + 1, c.list_w - 1, buf, -1,
	    view_attr(PAIR_DIM, A_DIM) | A_BOLD);
	visible = f->content_h - 2;	/* as in app.c: title, banned */
	/* the session's banned words, on the last row of the list */
	if (a->m->open != NULL && a->m->open->nbanned > 0) {
		size_t len = 0;

		len = (size_t)snprintf(buf, sizeof buf, "banned:");
		for (i = 0; i < a->m->open->nbanned && len < sizeof buf; i++)
			len += (size_t)snprintf(buf + len, sizeof buf - len,
			    " %s", a->m->open->banned[i].text);
		view_put(f->content_y + f->content_h - 1, c.list_x + 1,
		    c.list_w - 1, buf, -1, view_attr(PAIR_ERROR, A_BOLD));
	}
	for (i = (size_t)a->word_top; i < b->nwords; i++) {
		const struct tui_word *w = &b->words[i];
		int row = (int)i - a->word_top;
		attr_t at = i == a->word_sel ? A_REVERSE | A_BOLD : A_NORMAL;
		int cw;

		if (row >= visible)
			break;
		y = f->content_y + 1 + row;
		if (w->hidden || w->banned)
			at |= A_DIM;
		view_fill(y, c.list_x, c.list_w, at);
		snprintf(buf, sizeof buf, "%d%s%s", w->count,
		    w->banned ? " banned" : w->hidden ? " hidden" : "",
		    a->merge_from != NULL && strcmp(a->merge_from, w->key) ==
		    0 ? " *" : "");
		cw = layout_width(buf);
		view_put(y, c.list_x + c.list_w - cw - 1, cw, buf, -1, at);
		view_put(y, c.list_x, 1, i == a->word_sel ? ">" : " ", -1, at);
		view_put(y, c.list_x + 2, c.list_w - cw - 4, w->text, -1, at);
	}
}
