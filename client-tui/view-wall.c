/*
 * view-wall.c - a board of post-its as a grid of coloured cards (author
 * and votes, the text, the colour and whether it is hidden), the board
 * tabs, and the "locked" badge.  The grid's geometry comes from
 * layout_wall(), the same numbers the arrow keys move with.
 */
#include "view-int.h"
#include "common/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
view_board_tabs(struct app *a, const struct layout_frame *f)
{
	const struct tui_session *s = a->m->open;
	const struct tui_board *cur = app_board(a);
	char buf[256], right[128];
	int x = 1, rw = 0;
	size_t i, hidden = 0;

	if (s == NULL || cur == NULL)
		return;
	right[0] = '\0';
	if (strcmp(cur->kind, "cloud") == 0)
		snprintf(right, sizeof right, "%zu word%s", cur->nwords,
		    cur->nwords == 1 ? "" : "s");
	else {
		for (i = 0; i < cur->nnotes; i++)
			hidden += cur->notes[i].hidden != 0;
		snprintf(right, sizeof right, "%zu post-it%s%s%s", cur->nnotes,
		    cur->nnotes == 1 ? "" : "s", hidden ? ", hidden ones "
		    "dimmed" : "", cur->ngroups == 0 ? "" : a->wall_groups ?
		    ", by group" : ", in groups");
	}
	rw = layout_width(right) + 1;
	if (cur->locked)
		rw += 9;
	for (i = 0; i < s->nboards && x < COLS - rw - 2; i++) {
		const struct tui_board *b = &s->boards[i];
		attr_t at = b == cur ? view_attr(PAIR_TAB, A_REVERSE) |
		    A_BOLD : A_NORMAL;

		snprintf(buf, sizeof buf, " %zu %s%s%s ", i + 1, b->title,
		    strcmp(b->kind, "cloud") == 0 ? " (cloud)" : "",
		    b->id == s->focus ? " [on screen]" : "");
		x += view_put(f->tabs_y, x, COLS - rw - 2 - x, buf, -1, at);
		x++;
	}
	x = COLS - rw;
	if (cur->locked)
		x += view_put(f->tabs_y, x, 8, " LOCKED ", -1,
		    view_attr(PAIR_LOCKED, A_REVERSE) | A_BOLD) + 1;
	view_put(f->tabs_y, x, COLS - x, right, -1,
	    view_attr(PAIR_DIM, A_DIM));
}

static const char *
author(const struct tui_note *n)
{
	if (n->author == 0)
		return "facilitator";
	return n->author_name != NULL ? n->author_name : "anonymous";
}

static void
draw_card(const struct tui_note *n, const char *group, int y, int x, int w,
    int h, int sel)
{
	struct layout_line lines[LAYOUT_CARD_H];
	attr_t at;
	char buf[64];
	int i, nl, more, tw, vw = 0;

	at = view_attr(PAIR_NOTE + n->color, A_NORMAL);
	if (sel)
		at |= A_REVERSE | A_BOLD;
	if (n->hidden)
		at |= A_DIM;
	for (i = 0; i < h; i++)
		view_fill(y + i, x, w, at);
	/* head: author, votes on the right */
	if (n->votes > 0) {
		snprintf(buf, sizeof buf, "%d vote%s", n->votes,
		    n->votes == 1 ? "" : "s");
		vw = layout_width(buf);
		view_put(y, x + w - vw - 1, vw, buf, -1, at | A_BOLD);
	}
	view_put(y, x + 1, w - vw - 3, sel ? ">" : "", -1, at | A_BOLD);
	view_put(y, x + 2 + (sel ? 1 : 0), w - vw - 4, author(n), -1,
	    at | A_BOLD | (view_colors || sel ? 0 : A_UNDERLINE));
	/* the text, with "..." when it does not fit */
	tw = w - 2;
	nl = layout_wrap(n->text, tw, lines, h - 2, &more);
	for (i = 0; i < nl; i++) {
		int used = view_put(y + 1 + i, x + 1, tw, n->text +
		    lines[i].off, (long)lines[i].len, at);

		if (more && i == nl - 1)
			view_put(y + 1 + i, x + 1 + (used < tw - 3 ? used :
			    tw - 3), 3, "...", -1, at);
	}
	/* foot: hidden flag and colour */
	snprintf(buf, sizeof buf, "%s", model_color_name(n->color));
	view_put(y + h - 1, x + w - 1 - layout_width(buf), w - 2, buf, -1,
	    at);
	/* foot, left: hidden flag, then the note's group */
	i = 1;
	if (n->hidden)
		i += view_put(y + h - 1, x + 1, w - 2, "HIDDEN ", -1,
		    at | A_BOLD);
	if (group != NULL)
		view_put(y + h - 1, x + i, w - i - layout_width(buf) - 2,
		    group, -1, at | A_UNDERLINE);
}

void
view_wall_draw(struct app *a, const struct layout_frame *f)
{
	const struct tui_board *b = app_board(a);
	struct layout_wall g;
	size_t *idx, i, n;
	int row, col;
	long gi;

	if (b == NULL)
		return;
	view_board_tabs(a, f);
	layout_wall(COLS, f->content_h, &g);
	if (b->nnotes == 0) {
		view_put(f->content_y + 1, 2, COLS - 4, "No post-it yet. "
		    "Participants add them from their phones; n adds one "
		    "here.", -1, A_NORMAL);
		if (b->prompt != NULL)
			view_put(f->content_y + 3, 2, COLS - 4, b->prompt, -1,
			    A_BOLD);
		return;
	}
	idx = xmalloc(b->nnotes * sizeof *idx);
	n = app_wall_order(a, b, idx);
	for (i = (size_t)a->wall_top * (size_t)g.cols; i < n; i++) {
		row = (int)(i / (size_t)g.cols) - a->wall_top;
		col = (int)(i % (size_t)g.cols);
		if (row >= g.rows)
			break;
		gi = model_note_group(b, b->notes[idx[i]].id);
		draw_card(&b->notes[idx[i]], gi < 0 ? NULL : b->groups[gi].label,
		    f->content_y + row * (g.card_h +
		    LAYOUT_GAP), col * (g.card_w + LAYOUT_GAP), g.card_w,
		    g.card_h, b->notes[idx[i]].id == a->note_id);
	}
	free(idx);
}
