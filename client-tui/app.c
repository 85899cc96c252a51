/*
 * app.c - the console's behaviour (see app.h): key bindings per screen,
 * prompts and confirmations, requests with their pending replies, events
 * applied to the model, the selection kept on the same post-it or word
 * while others come and go, and the words of the status line.
 *
 * Requests are described once in reqs[]: the op, what the user wanted in
 * words (for "Could not ..."), and the message shown when it worked.
 *
 * Portfolios (a lab's projects, each grouping sessions) have three
 * screens: their list, one portfolio with its sessions, and the picker
 * that asks which portfolio a session goes into.
 */
#include "app.h"
#include "layout.h"
#include "common/util.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#define INFO_MS 6000		/* how long a confirmation stays */
#define NOTE_MAX 500		/* code points, proto/PROTOCOL.md limits */
#define TITLE_MAX 200
#define WORD_MAX 40
#define LAYOUT_MAX_WORDS 50
#define LABEL_MAX 80		/* a group's label */
#define THEMES_MAX 50		/* themes of a guided cluster.suggest */
#define THEME_MAX 400		/* a theme as typed, keywords included */
#define TEXT_MAX 4000		/* description, retrospective */
#define TIMER_MAX (24 * 3600)	/* seconds */
#define TIMER_LABEL_COLS 16	/* columns of the timer's label shown */

enum req {
	REQ_HELLO = 0,
	REQ_LIST,
	REQ_CREATE,
	REQ_OPEN,
	REQ_RESYNC,
	REQ_WALL_CREATE,
	REQ_CLOUD_CREATE,
	REQ_BOARD_GET,
	REQ_LOCK,
	REQ_UNLOCK,
	REQ_NOTE_ADD,
	REQ_NOTE_EDIT,
	REQ_NOTE_COLOR,
	REQ_NOTE_DELETE,
	REQ_NOTE_HIDE,
	REQ_NOTE_SHOW,
	REQ_LAYOUT,
	REQ_WORD_HIDE,
	REQ_WORD_SHOW,
	REQ_WORD_MERGE,
	REQ_WORD_BAN,
	REQ_WORD_UNBAN,
	REQ_BOARD_RESET,
	REQ_ARCHIVE,
	REQ_UNARCHIVE,
	REQ_CLOSE,
	REQ_REOPEN,
	REQ_PING,
	REQ_TIMER_START,
	REQ_TIMER_PAUSE,
	REQ_TIMER_RESUME,
	REQ_TIMER_STOP,
	REQ_DESCRIPTION,
	REQ_RETROSPECTIVE,
	REQ_SUGGEST,
	REQ_SUGGEST_GUIDED,
	REQ_APPLY,
	REQ_GROUP_RENAME,
	REQ_GROUP_MOVE,
	REQ_GROUP_MERGE,
	REQ_GROUP_SPLIT,
	REQ_FOCUS,
	REQ_UNFOCUS,
	REQ_PF_LIST,
	REQ_PF_GET,
	REQ_PF_CREATE,
	REQ_PF_RENAME,
	REQ_PF_DESCRIPTION,
	REQ_PF_ADD,
	REQ_PF_REMOVE,
	REQ_COUNT
};

static const struct {
	const char *op;
	const char *what;	/* "Could not <what>: ..." */
	const char *done;	/* shown when it worked, or NULL */
} reqs[REQ_COUNT] = {
	[REQ_HELLO] = { "hello", "greet the server", NULL },
	[REQ_LIST] = { "session.list", "list the sessions", NULL },
	[REQ_CREATE] = { "session.create", "create the session", NULL },
	[REQ_OPEN] = { "session.join", "open the session", NULL },
	[REQ_RESYNC] = { "session.join", "reload the session", NULL },
	[REQ_WALL_CREATE] = { "board.create", "create the wall",
	    "Wall created." },
	[REQ_CLOUD_CREATE] = { "board.create", "create the word cloud",
	    "Word cloud created." },
	[REQ_BOARD_GET] = { "board.get", "reload the board", NULL },
	[REQ_LOCK] = { "board.lock", "lock the board",
	    "Board locked: participants can no longer write on it." },
	[REQ_UNLOCK] = { "board.unlock", "unlock the board",
	    "Board unlocked: participants can write again." },
	[REQ_NOTE_ADD] = { "note.add", "add the post-it", "Post-it added." },
	[REQ_NOTE_EDIT] = { "note.update", "change the post-it",
	    "Post-it changed." },
	[REQ_NOTE_COLOR] = { "note.update", "recolour the post-it", NULL },
	[REQ_NOTE_DELETE] = { "note.delete", "delete the post-it",
	    "Post-it deleted." },
	[REQ_NOTE_HIDE] = { "note.hide", "hide the post-it",
	    "Post-it hidden: participants no longer see it." },
	[REQ_NOTE_SHOW] = { "note.show", "show the post-it",
	    "Post-it shown to participants again." },
	[REQ_LAYOUT] = { "cloud.layout", "lay out the word cloud", NULL },
	[REQ_WORD_HIDE] = { "word.hide", "hide the word",
	    "Word hidden from the cloud." },
	[REQ_WORD_SHOW] = { "word.show", "show the word",
	    "Word shown in the cloud again." },
	[REQ_WORD_MERGE] = { "word.merge", "merge the words", "Words merged." },
	[REQ_WORD_BAN] = { "word.ban", "ban the word",
	    "Word banned in this session." },
	[REQ_WORD_UNBAN] = { "word.unban", "lift the ban", "Ban lifted." },
	[REQ_BOARD_RESET] = { "board.reset", "empty the cloud",
	    "Cloud emptied." },
	[REQ_ARCHIVE] = { "session.archive", "archive the session",
	    "Session archived (closed, kept whole): v lists the archived." },
	[REQ_UNARCHIVE] = { "session.unarchive", "unarchive the session",
	    "Session back with the others (still closed)." },
	[REQ_CLOSE] = { "session.close", "close the session",
	    "Session closed: no more input until you reopen it." },
	[REQ_REOPEN] = { "session.reopen", "reopen the session",
	    "Session reopened: participants can write again." },
	[REQ_PING] = { "ping", "read the server's clock", NULL },
	[REQ_TIMER_START] = { "timer.start", "start the timer",
	    "Timer started: everyone sees it." },
	[REQ_TIMER_PAUSE] = { "timer.pause", "pause the timer",
	    "Timer paused (p resumes it)." },
	[REQ_TIMER_RESUME] = { "timer.resume", "resume the timer",
	    "Timer running again." },
	[REQ_TIMER_STOP] = { "timer.stop", "stop the timer", "Timer stopped." },
	[REQ_FOCUS] = { "session.focus", "put the board on every screen",
	    "On every screen: the projector shows this board, phones go to it." },
	[REQ_UNFOCUS] = { "session.focus", "let the screens choose",
	    "Screens choose their board again." },
	[REQ_DESCRIPTION] = { "session.update", "change the description",
	    "Description saved." },
	[REQ_RETROSPECTIVE] = { "session.update", "change the retrospective",
	    "Retrospective saved." },
	[REQ_SUGGEST] = { "cluster.suggest", "suggest groups", NULL },
	[REQ_SUGGEST_GUIDED] = { "cluster.suggest",
	    "sort the post-its into your themes", NULL },
	[REQ_APPLY] = { "cluster.apply", "apply the groups",
	    "Groups applied: v shows the wall by group." },
	[REQ_GROUP_RENAME] = { "cluster.rename", "rename the group",
	    "Group renamed." },
	[REQ_GROUP_MOVE] = { "cluster.move", "move the post-it", NULL },
	[REQ_GROUP_MERGE] = { "cluster.merge", "merge the groups",
	    "Groups merged." },
	[REQ_GROUP_SPLIT] = { "cluster.split", "split the group",
	    "New group made." },
	[REQ_PF_LIST] = { "portfolio.list", "list the portfolios", NULL },
	[REQ_PF_GET] = { "portfolio.get", "open the portfolio", NULL },
	/* create, add and remove say more on success: see pf_changed() */
	[REQ_PF_CREATE] = { "portfolio.create", "create the portfolio",
	    "Portfolio created." },
	[REQ_PF_RENAME] = { "portfolio.update", "rename the portfolio",
	    "Portfolio renamed." },
	[REQ_PF_DESCRIPTION] = { "portfolio.update",
	    "change the portfolio's description",
	    "Portfolio description saved." },
	[REQ_PF_ADD] = { "portfolio.add", "add the session to the portfolio",
	    "Session added to the portfolio." },
	[REQ_PF_REMOVE] = { "portfolio.remove",
	    "remove the session from the portfolio",
	    "Session removed from the portfolio." },
};

static void list_reload(struct app *a);

static const char *const screen_names[SCREEN_COUNT] = {
	"Sessions", "Session", "Wall", "Word cloud", "Clustering",
	"Portfolios", "Portfolio", "Add to a portfolio",
};

const char *
app_screen_name(enum app_screen s)
{
	return s < SCREEN_COUNT ? screen_names[s] : "";
}

/* ---- messages -------------------------------------------------------- */

static void
set_msg(char **dst, const char *fmt, va_list ap)
{
	char buf[512];

	vsnprintf(buf, sizeof buf, fmt, ap);
	free(*dst);
	*dst = xstrdup(buf);
}

void
app_fail(struct app *a, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set_msg(&a->error, fmt, ap);
	va_end(ap);
	free(a->info);
	a->info = NULL;
}

static void
app_info(struct app *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
app_info(struct app *a, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set_msg(&a->info, fmt, ap);
	va_end(ap);
	a->info_at = a->now;
}

static void
clear_error(struct app *a)
{
	free(a->error);
	a->error = NULL;
}

/* ---- requests -------------------------------------------------------- */

static void
pending_clear(struct app *a)
{
	a->npending = 0;
	a->layout_pending = 0;
	a->resyncing = 0;
}

/*
 * Send req (stolen) as request kind about board/note.  Only hello goes out
 * before the server greeted us; anything else then fails in words.
 * Returns 0, or -1 if nothing was sent.
 */
static int
request(struct app *a, int kind, json_t *req, int64_t board, int64_t note)
{
	struct app_pending *p;
	char *s;

	if (kind != REQ_HELLO && a->conn != CONN_ONLINE) {
		app_fail(a, "%s: could not %s.", a->conn == CONN_REFUSED ?
		    "Token refused" : "Offline", reqs[kind].what);
		json_decref(req);
		return -1;
	}
	json_object_set_new(req, "op", json_string(reqs[kind].op));
	json_object_set_new(req, "rid", json_integer(++a->next_rid));
	s = json_dumps(req, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(req);
	if (s == NULL)
		return -1;
	a->send(a->send_ctx, s);
	free(s);
	xgrow((void **)&a->pending, &a->cappending, a->npending + 1,
	    sizeof *a->pending);
	p = &a->pending[a->npending++];
	p->rid = a->next_rid;
	p->kind = kind;
	p->board = board;
	p->note = note;
	p->code[0] = '\0';
	return 0;
}

/* The request just sent is about the session code (for its reply). */
static void
pending_code(struct app *a, const char *code)
{
	snprintf(a->pending[a->npending - 1].code,
	    sizeof a->pending[a->npending - 1].code, "%s", code);
}

/* A user's action: clears the last error first. */
static int
action(struct app *a, int kind, json_t *req, int64_t board, int64_t note)
{
	clear_error(a);
	return request(a, kind, req, board, note);
}

/* session.list for the list shown: in progress, archived, or a search. */
static void
ask_list(struct app *a)
{
	json_t *req = json_object();

	if (a->list_query != NULL) {
		json_object_set_new(req, "archived", json_string("all"));
		json_object_set_new(req, "query", json_string(a->list_query));
	} else if (a->list_archived)
		json_object_set_new(req, "archived", json_true());
	request(a, REQ_LIST, req, 0, 0);
}

static void
say_hello(struct app *a, int resume)
{
	json_t *req = json_pack("{s:s, s:s}", "role", "facilitator",
	    "token", a->token != NULL ? a->token : "");

	if (resume && a->m->open != NULL) {
		json_object_set_new(req, "session",
		    json_string(a->m->open->code));
		json_object_set_new(req, "since",
		    json_integer(a->m->open->seq));
	}
	request(a, REQ_HELLO, req, resume && a->m->open != NULL, 0);
}

/* portfolio.list, for the portfolios screen and the picker. */
static void
ask_portfolios(struct app *a)
{
	request(a, REQ_PF_LIST, json_object(), 0, 0);
}

/* portfolio.get of the portfolio open (a->pf_id). */
static void
ask_portfolio(struct app *a)
{
	if (a->pf_id != 0)
		request(a, REQ_PF_GET, json_pack("{s:I}", "portfolio",
		    (json_int_t)a->pf_id), a->pf_id, 0);
}

/* The portfolio selected on the portfolios or picker screen, or NULL. */
static struct tui_portfolio *
pf_selected(const struct app *a)
{
	size_t n = a->m->nportfolios;

	if (n == 0)
		return NULL;
	return &a->m->portfolios[a->pf_sel < n ? a->pf_sel : n - 1];
}

/* The portfolio open on SCREEN_PORTFOLIO, once portfolio.get answered. */
static struct tui_portfolio *
open_portfolio(const struct app *a)
{
	struct tui_portfolio *p = a->m->portfolio;

	return p != NULL && p->id == a->pf_id ? p : NULL;
}

/* ---- the board on screen --------------------------------------------- */

struct tui_board *
app_board(const struct app *a)
{
	if (a->screen != SCREEN_WALL && a->screen != SCREEN_CLOUD &&
	    a->screen != SCREEN_CLUSTER)
		return NULL;
	return model_board(a->m, a->board_id);
}

static int
is_cloud(const struct tui_board *b)
{
	return b != NULL && b->kind != NULL && strcmp(b->kind, "cloud") == 0;
}

/* Order key of note i for the current sort. */
static long
sort_key(const struct app *a, const struct tui_board *b, size_t i)
{
	long group = 0, g;

	/* by group first (groups in order, then the notes in none) */
	if (a->wall_groups && b->ngroups > 0) {
		g = model_note_group(b, b->notes[i].id);
		group = (g < 0 ? (long)b->ngroups : g) * 10000000L;
	}
	switch (a->sort) {
	case SORT_VOTES:
		return group - (long)b->notes[i].votes;
	case SORT_COLOR:
		return group + b->notes[i].color;
	default:
		return group;
	}
}

size_t
app_wall_order(const struct app *a, const struct tui_board *b, size_t *idx)
{
	size_t i, j, t;

	for (i = 0; i < b->nnotes; i++)
		idx[i] = i;
	/* stable insertion sort: ties stay in creation order */
	for (i = 1; i < b->nnotes; i++) {
		t = idx[i];
		for (j = i; j > 0 && sort_key(a, b, idx[j - 1]) >
		    sort_key(a, b, t); j--)
			idx[j] = idx[j - 1];
		idx[j] = t;
	}
	return b->nnotes;
}

static void
wall_geometry(const struct app *a, struct layout_wall *g)
{
	struct layout_frame f;

	layout_frame(a->cols, a->rows, &f);
	layout_wall(a->cols, f.content_h, g);
}

/* Keep the selection on the same note, or near where it was; scroll. */
static void
wall_fix(struct app *a)
{
	struct tui_board *b = app_board(a);
	struct layout_wall g;
	size_t *idx, n, i, pos = (size_t)-1;

	if (b == NULL || is_cloud(b) || b->nnotes == 0) {
		a->note_id = 0;
		a->note_pos = 0;
		a->wall_top = 0;
		return;
	}
	n = b->nnotes;
	idx = xmalloc(n * sizeof *idx);
	app_wall_order(a, b, idx);
	for (i = 0; i < n; i++)
		if (b->notes[idx[i]].id == a->note_id)
			pos = i;
	if (pos == (size_t)-1) {
		pos = a->note_pos < n ? a->note_pos : n - 1;
		a->note_id = b->notes[idx[pos]].id;
	}
	a->note_pos = pos;
	free(idx);
	wall_geometry(a, &g);
	a->wall_top = layout_scroll((int)(pos / (size_t)g.cols), g.rows,
	    a->wall_top);
}

/* Move the selection to position pos of the order (clamped). */
static void
wall_select(struct app *a, long pos)
{
	struct tui_board *b = app_board(a);
	size_t *idx;

	if (b == NULL || b->nnotes == 0)
		return;
	if (pos < 0)
		pos = 0;
	if ((size_t)pos >= b->nnotes)
		pos = (long)b->nnotes - 1;
	idx = xmalloc(b->nnotes * sizeof *idx);
	app_wall_order(a, b, idx);
	a->note_id = b->notes[idx[pos]].id;
	a->note_pos = (size_t)pos;
	free(idx);
	wall_fix(a);
}

static struct tui_note *
selected_note(struct app *a)
{
	struct tui_board *b = app_board(a);
	struct tui_note *n = model_note(b, a->note_id);

	if (n == NULL)
		app_fail(a, "No post-it selected: the board is empty.");
	return n;
}

/* The cloud's selected word: by key, so events never move it. */
static struct tui_word *
selected_word(const struct app *a)
{
	struct tui_board *b = app_board(a);

	if (b == NULL || b->nwords == 0)
		return NULL;
	if (a->word_sel >= b->nwords)
		return &b->words[b->nwords - 1];
	return &b->words[a->word_sel];
}

static void
cloud_fix(struct app *a)
{
	struct tui_board *b = app_board(a);
	struct layout_frame f;
	size_t i;

	if (b == NULL || b->nwords == 0) {
		a->word_sel = 0;
		a->word_top = 0;
		return;
	}
	for (i = 0; a->word_key != NULL && i < b->nwords; i++)
		if (strcmp(b->words[i].key, a->word_key) == 0) {
			a->word_sel = i;
			break;
		}
	if (a->word_sel >= b->nwords)
		a->word_sel = b->nwords - 1;
	free(a->word_key);
	a->word_key = xstrdup(b->words[a->word_sel].key);
	layout_frame(a->cols, a->rows, &f);
	/* the list's rows: all but its title and the banned words */
	a->word_top = layout_scroll((int)a->word_sel, f.content_h - 2,
	    a->word_top);
}

static void
cloud_select(struct app *a, long pos)
{
	struct tui_board *b = app_board(a);

	if (b == NULL || b->nwords == 0)
		return;
	if (pos < 0)
		pos = 0;
	if ((size_t)pos >= b->nwords)
		pos = (long)b->nwords - 1;
	a->word_sel = (size_t)pos;
	free(a->word_key);
	a->word_key = NULL;
	cloud_fix(a);
}

/*
 * Ask for a new layout of the cloud on screen, unless one is coming: as
 * wide as the cloud's pane, one row less than the content (the last shows
 * the forms typed).
 */
static void
cloud_layout(struct app *a)
{
	struct tui_board *b = app_board(a);
	struct layout_frame f;
	struct layout_cloud c;

	if (!is_cloud(b) || a->layout_pending || a->conn != CONN_ONLINE)
		return;
	layout_frame(a->cols, a->rows, &f);
	layout_cloud(a->cols, &c);
	if (request(a, REQ_LAYOUT, json_pack("{s:I, s:s, s:i, s:i, s:i}",
	    "board", (json_int_t)b->id, "target", "grid", "width", c.cloud_w,
	    "height", f.content_h - 1, "max", LAYOUT_MAX_WORDS), b->id, 0) == 0)
		a->layout_pending = 1;
}

/* Load the words (hidden ones too) and the layout of the cloud shown. */
static void
cloud_load(struct app *a)
{
	struct tui_board *b = app_board(a);

	if (!is_cloud(b) || a->conn != CONN_ONLINE)
		return;
	request(a, REQ_BOARD_GET, json_pack("{s:I}", "board",
	    (json_int_t)b->id), b->id, 0);
	cloud_layout(a);
}

static void
open_board(struct app *a, int64_t id)
{
	long i = model_board_index(a->m, id);
	struct tui_board *b;

	if (i < 0)
		return;
	b = &a->m->open->boards[i];
	a->board_sel = (size_t)i;
	a->board_id = id;
	a->note_id = 0;
	a->note_pos = 0;
	a->wall_top = 0;
	a->word_sel = 0;
	a->word_top = 0;
	a->merge_group = 0;
	free(a->merge_from);
	a->merge_from = NULL;
	free(a->word_key);
	a->word_key = NULL;
	if (is_cloud(b)) {
		a->screen = SCREEN_CLOUD;
		cloud_load(a);
		cloud_fix(a);
	} else {
		a->screen = SCREEN_WALL;
		wall_fix(a);
	}
}

/* ---- the clustering draft -------------------------------------------- */

static void
draft_clear(struct app *a)
{
	size_t i;

	for (i = 0; i < a->ndraft; i++) {
		free(a->draft[i].label);
		free(a->draft[i].notes);
	}
	a->ndraft = 0;
	a->draft_sel = 0;
	a->draft_top = 0;
	a->draft_guided = 0;
}

static struct app_draft_group *
draft_add(struct app *a, const char *label, int none)
{
	struct app_draft_group *g;

	xgrow((void **)&a->draft, &a->capdraft, a->ndraft + 1,
	    sizeof *a->draft);
	g = &a->draft[a->ndraft++];
	memset(g, 0, sizeof *g);
	g->label = xstrdup(label);
	g->none = none;
	return g;
}

static void
draft_add_note(struct app_draft_group *g, int64_t note)
{
	xgrow((void **)&g->notes, &g->cap, g->nnotes + 1, sizeof *g->notes);
	g->notes[g->nnotes++] = note;
}

/*
 * The draft from a cluster.suggest reply: its groups, then "no group"
 * (guided: the notes that fit no theme).
 */
static void
draft_from_reply(struct app *a, int64_t board, json_t *f, int guided)
{
	struct app_draft_group *g;
	json_t *c, *v;
	size_t i, k;

	draft_clear(a);
	a->draft_board = board;
	json_array_foreach(json_object_get(f, "clusters"), i, c) {
		const char *label = json_string_value(json_object_get(c,
		    "label"));

		g = draft_add(a, label != NULL ? label : "?", 0);
		json_array_foreach(json_object_get(c, "notes"), k, v)
			if (json_is_integer(v))
				draft_add_note(g, json_integer_value(v));
	}
	g = draft_add(a, guided ? "(fits no theme)" : "(no group)", 1);
	json_array_foreach(json_object_get(f, "none"), k, v)
		if (json_is_integer(v))
			draft_add_note(g, json_integer_value(v));
	a->draft_guided = guided;
}

static void
themes_clear(struct app_theme *t, size_t *n)
{
	size_t i;

	for (i = 0; i < *n; i++) {
		free(t[i].name);
		free(t[i].keywords);
	}
	*n = 0;
}

/* s[0..len) without the spaces around it (caller frees), NULL if empty. */
static char *
trimmed(const char *s, size_t len)
{
	while (len > 0 && (*s == ' ' || *s == '\t'))
		s++, len--;
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	return len > 0 ? xstrndup(s, len) : NULL;
}

int
app_theme_parse(const char *text, struct app_theme *t, char *why,
    size_t nwhy)
{
	const char *colon = strchr(text, ':'), *c;
	size_t cps = 0;

	t->name = trimmed(text, colon != NULL ? (size_t)(colon - text) :
	    strlen(text));
	t->keywords = colon != NULL ? trimmed(colon + 1, strlen(colon + 1)) :
	    NULL;
	if (t->name == NULL) {
		snprintf(why, nwhy, "A theme needs a name before the ':' "
		    "(\"Mobilité: vélo, bus\").");
		goto fail;
	}
	for (c = t->name; *c != '\0'; c++)
		cps += ((unsigned char)*c & 0xc0) != 0x80;
	if (cps > LABEL_MAX) {
		snprintf(why, nwhy, "A theme's name is at most %d characters: "
		    "put what to look for after a ':'.", LABEL_MAX);
		goto fail;
	}
	return 0;
fail:
	free(t->name);
	free(t->keywords);
	t->name = t->keywords = NULL;
	return -1;
}

size_t
app_draft_rows(const struct app *a)
{
	size_t i, n = 0;

	for (i = 0; i < a->ndraft; i++)
		n += 1 + a->draft[i].nnotes;
	return n;
}

int
app_draft_row(const struct app *a, size_t row, size_t *group, long *note)
{
	size_t i;

	for (i = 0; i < a->ndraft; i++) {
		if (row == 0) {
			*group = i;
			*note = -1;
			return 0;
		}
		row--;
		if (row < a->draft[i].nnotes) {
			*group = i;
			*note = (long)row;
			return 0;
		}
		row -= a->draft[i].nnotes;
	}
	return -1;
}

/* Keep the draft's selection in range and visible. */
static void
draft_fix(struct app *a)
{
	struct layout_frame f;
	size_t n = app_draft_rows(a);

	if (a->draft_sel >= n)
		a->draft_sel = n > 0 ? n - 1 : 0;
	layout_frame(a->cols, a->rows, &f);
	a->draft_top = layout_scroll((int)a->draft_sel, f.content_h,
	    a->draft_top);
}

/* The row of note in the draft, or (size_t)-1. */
static size_t
draft_row_of(const struct app *a, int64_t note)
{
	size_t i, k, row = 0;

	for (i = 0; i < a->ndraft; i++) {
		row++;
		for (k = 0; k < a->draft[i].nnotes; k++, row++)
			if (a->draft[i].notes[k] == note)
				return row;
	}
	return (size_t)-1;
}

/* ---- the timer and the server's clock -------------------------------- */

/*
 * The server said it was time (ms) when it sent what just arrived: the
 * offset between its clock and ours is at least time - now (the frame
 * took some time to come), so keep the largest such estimate.  Events
 * replayed after a reconnect are older and never lower it.
 */
static void
clock_seen(struct app *a, json_t *time)
{
	int64_t off;

	if (!json_is_integer(time))
		return;
	off = json_integer_value(time) - a->now;
	if (!a->have_clock || off > a->clock_offset) {
		a->clock_offset = off;
		a->have_clock = 1;
	}
}

int
app_parse_minutes(const char *s)
{
	char *end;
	double min, sec = 0;
	long m;

	if (s == NULL)
		return -1;
	if (strchr(s, ':') != NULL) {
		m = strtol(s, &end, 10);
		if (end == s || *end != ':' || m < 0)
			return -1;
		sec = strtod(end + 1, &end);
		if (*end != '\0' || sec < 0 || sec >= 60)
			return -1;
		min = (double)m;
	} else {
		min = strtod(s, &end);
		if (end == s || *end != '\0')
			return -1;
	}
	sec += min * 60;
	if (!(sec >= 1 && sec <= TIMER_MAX))
		return -1;
	return (int)(sec + 0.5);
}

int
app_timer_text(const struct app *a, char *buf, size_t n)
{
	const struct tui_timer *t;
	int64_t left, secs;
	char clock[32], label[128];
	size_t fit;

	buf[0] = '\0';
	if (a->m->open == NULL || a->m->open->timer.state == TIMER_NONE)
		return 0;
	t = &a->m->open->timer;
	label[0] = '\0';
	if (t->label != NULL) {
		fit = layout_fit(t->label, strlen(t->label), TIMER_LABEL_COLS,
		    NULL);
		snprintf(label, sizeof label, " %.*s%s", (int)fit, t->label,
		    fit < strlen(t->label) ? "..." : "");
	}
	if (t->state == TIMER_RUNNING && !a->have_clock) {
		snprintf(buf, n, "running%s", label);
		return 1;
	}
	left = model_timer_left(t, a->now + a->clock_offset);
	secs = (left + 999) / 1000;	/* 0:01 until it is really over */
	if (secs >= 3600)
		snprintf(clock, sizeof clock, "%lld:%02lld:%02lld",
		    (long long)(secs / 3600), (long long)(secs / 60 % 60),
		    (long long)(secs % 60));
	else
		snprintf(clock, sizeof clock, "%lld:%02lld",
		    (long long)(secs / 60), (long long)(secs % 60));
	snprintf(buf, n, "%s%s%s%s", t->state == TIMER_PAUSED ? "paused " :
	    "", clock, secs == 0 && t->state == TIMER_RUNNING ?
	    " time is up" : "", label);
	return 1;
}

/* After any change: keep selections valid and the cloud up to date. */
static void
refresh(struct app *a)
{
	struct tui_board *b;

	if (a->screen == SCREEN_CLUSTER) {
		if (app_board(a) == NULL)
			a->screen = a->m->open != NULL ? SCREEN_HOME :
			    SCREEN_LIST;
		else
			draft_fix(a);
	} else if (a->screen == SCREEN_WALL || a->screen == SCREEN_CLOUD) {
		if ((b = app_board(a)) == NULL) {
			a->screen = a->m->open != NULL ? SCREEN_HOME :
			    SCREEN_LIST;
		} else if (is_cloud(b) != (a->screen == SCREEN_CLOUD)) {
			open_board(a, b->id);
		}
	}
	if (a->screen == SCREEN_HOME && a->m->open == NULL)
		a->screen = SCREEN_LIST;
	if (a->m->open != NULL && a->board_sel >= a->m->open->nboards)
		a->board_sel = a->m->open->nboards > 0 ?
		    a->m->open->nboards - 1 : 0;
	if (a->list_sel >= a->m->nlist)
		a->list_sel = a->m->nlist > 0 ? a->m->nlist - 1 : 0;
	if (a->pf_sel >= a->m->nportfolios)
		a->pf_sel = a->m->nportfolios > 0 ? a->m->nportfolios - 1 : 0;
	if (open_portfolio(a) != NULL && a->pf_session_sel >=
	    open_portfolio(a)->nsessions)
		a->pf_session_sel = open_portfolio(a)->nsessions > 0 ?
		    open_portfolio(a)->nsessions - 1 : 0;
	if (a->screen == SCREEN_WALL)
		wall_fix(a);
	if (a->screen == SCREEN_CLOUD) {
		cloud_fix(a);
		if ((b = app_board(a)) != NULL && b->layout_stale)
			cloud_layout(a);
	}
}

/* ---- prompts and confirmations --------------------------------------- */

static void
prompt_open(struct app *a, int kind, const char *label, size_t max,
    const char *initial, int64_t board, int64_t note)
{
	struct app_prompt *p = &a->prompt;
	size_t len = initial != NULL ? strlen(initial) : 0, i = 0;
	int32_t cp;

	p->kind = kind;
	p->label = label;
	p->len = p->cursor = p->start = 0;
	p->max = max;
	p->board = board;
	p->note = note;
	p->group = 0;
	while (i < len) {
		i += layout_decode(initial + i, len - i, &cp);
		if (cp == '\n' || cp == '\t')
			cp = ' ';
		xgrow((void **)&p->cps, &p->cap, p->len + 1, sizeof *p->cps);
		p->cps[p->len++] = cp;
	}
	p->cursor = p->len;
}

char *
app_prompt_text(const struct app_prompt *p)
{
	char *s = xmalloc(p->len * 4 + 1);
	size_t i, n = 0;

	for (i = 0; i < p->len; i++)
		n += (size_t)utf8proc_encode_char(p->cps[i],
		    (utf8proc_uint8_t *)s + n);
	s[n] = '\0';
	return s;
}

/* The text without surrounding spaces (caller frees), NULL if empty. */
static char *
prompt_trimmed(const struct app_prompt *p)
{
	char *s = app_prompt_text(p), *b = s, *e;

	while (*b == ' ')
		b++;
	e = b + strlen(b);
	while (e > b && e[-1] == ' ')
		e--;
	*e = '\0';
	if (*b == '\0') {
		free(s);
		return NULL;
	}
	memmove(s, b, (size_t)(e - b) + 1);
	return s;
}

static void suggest(struct app *a, int k);
static void theme_submit(struct app *a, const char *text);
static void pf_add(struct app *a, int64_t portfolio, const char *code);

/*
 * The prompts of portfolios: 0 when kind was one of them (text, possibly
 * NULL, is then used up), -1 if not.
 */
static int
prompt_submit_pf(struct app *a, int kind, const char *text)
{
	struct app_prompt *p = &a->prompt;
	json_t *req;

	switch (kind) {
	case PROMPT_PF_TITLE:
		free(a->pf_new_title);
		a->pf_new_title = xstrdup(text);
		prompt_open(a, PROMPT_PF_ABOUT, "What is it about? (optional, "
		    "Enter to skip)", TEXT_MAX, NULL, 0, 0);
		return 0;
	case PROMPT_PF_ABOUT:
		if (a->pf_new_title == NULL)
			return 0;
		req = json_pack("{s:s}", "title", a->pf_new_title);
		if (text != NULL)
			json_object_set_new(req, "description",
			    json_string(text));
		/* from the picker: the session goes into the new portfolio */
		if (action(a, REQ_PF_CREATE, req, 0, 0) == 0 && a->pf_new_add)
			pending_code(a, a->pick_code);
		if (a->pf_new_add && a->screen == SCREEN_PICK)
			a->screen = a->pick_back;
		free(a->pf_new_title);
		a->pf_new_title = NULL;
		return 0;
	case PROMPT_PF_RENAME:
		action(a, REQ_PF_RENAME, json_pack("{s:I, s:s}", "portfolio",
		    (json_int_t)p->board, "title", text), p->board, 0);
		return 0;
	case PROMPT_PF_DESCRIPTION:
		action(a, REQ_PF_DESCRIPTION, json_pack("{s:I, s:s}",
		    "portfolio", (json_int_t)p->board, "description",
		    text != NULL ? text : ""), p->board, 0);
		return 0;
	}
	return -1;
}

/*
 * The prompts of the timer, the session's texts and the groups: 0 when
 * kind was one of them (text, possibly NULL, is then used up), -1 if not.
 */
static int
prompt_submit_more(struct app *a, int kind, const char *text)
{
	struct app_prompt *p = &a->prompt;
	const char *code = a->m->open != NULL ? a->m->open->code : NULL;
	json_t *req;
	int n;

	switch (kind) {
	case PROMPT_TIMER_MINUTES:
		if ((n = app_parse_minutes(text)) < 0) {
			app_fail(a, "\"%s\" is not a duration: type minutes "
			    "(5, 2.5) or m:ss (1:30), up to 24 hours.", text);
			return 0;
		}
		a->timer_seconds = n;
		prompt_open(a, PROMPT_TIMER_LABEL, "What is it for? (optional, "
		    "Enter to skip)", TITLE_MAX, NULL, 0, 0);
		return 0;
	case PROMPT_TIMER_LABEL:
		if (code == NULL)
			return 0;
		req = json_pack("{s:s, s:i}", "session", code, "seconds",
		    a->timer_seconds);
		if (text != NULL)
			json_object_set_new(req, "label", json_string(text));
		action(a, REQ_TIMER_START, req, 0, 0);
		return 0;
	case PROMPT_DESCRIPTION:
	case PROMPT_RETROSPECTIVE:
		if (code == NULL)
			return 0;
		action(a, kind == PROMPT_DESCRIPTION ? REQ_DESCRIPTION :
		    REQ_RETROSPECTIVE, json_pack("{s:s, s:s}", "session", code,
		    kind == PROMPT_DESCRIPTION ? "description" :
		    "retrospective", text != NULL ? text : ""), 0, 0);
		return 0;
	case PROMPT_CLUSTER_K:
		n = text != NULL ? atoi(text) : 0;
		if (text != NULL && (n < 1 || n > 50)) {
			app_fail(a, "\"%s\": type a number of groups (1 to "
			    "50), or nothing to let the server choose.", text);
			return 0;
		}
		suggest(a, n);
		return 0;
	case PROMPT_THEME:
		theme_submit(a, text);
		return 0;
	case PROMPT_DRAFT_RENAME:
		if ((size_t)p->group < a->ndraft &&
		    !a->draft[p->group].none) {
			free(a->draft[p->group].label);
			a->draft[p->group].label = xstrdup(text);
			app_info(a, "Group renamed (a applies the groups).");
		}
		return 0;
	case PROMPT_GROUP_RENAME:
		action(a, REQ_GROUP_RENAME, json_pack("{s:I, s:I, s:s}",
		    "board", (json_int_t)p->board, "cluster",
		    (json_int_t)p->group, "label", text), p->board, 0);
		return 0;
	case PROMPT_GROUP_SPLIT:
		action(a, REQ_GROUP_SPLIT, json_pack("{s:I, s:I, s:[I], s:s}",
		    "board", (json_int_t)p->board, "cluster",
		    (json_int_t)p->group, "notes", (json_int_t)p->note,
		    "label", text), p->board, p->note);
		return 0;
	}
	return -1;
}

static void
prompt_submit(struct app *a)
{
	struct app_prompt *p = &a->prompt;
	char *text = prompt_trimmed(p), cid[96];
	int kind = p->kind;

	p->kind = 0;
	if (kind == PROMPT_SEARCH) {
		free(a->list_query);
		a->list_query = text;	/* NULL: the search ends */
		a->list_sel = 0;
		a->list_top = 0;
		list_reload(a);
		return;
	}
	if (text == NULL && kind != PROMPT_TIMER_LABEL &&
	    kind != PROMPT_DESCRIPTION && kind != PROMPT_RETROSPECTIVE &&
	    kind != PROMPT_CLUSTER_K && kind != PROMPT_THEME &&
	    kind != PROMPT_PF_ABOUT &&
	    kind != PROMPT_PF_DESCRIPTION) {
		app_info(a, "Nothing typed: cancelled.");
		return;
	}
	if (prompt_submit_more(a, kind, text) == 0 ||
	    prompt_submit_pf(a, kind, text) == 0) {
		free(text);
		return;
	}
	switch (kind) {
	case PROMPT_SESSION_TITLE:
		action(a, REQ_CREATE, json_pack("{s:s}", "title", text), 0, 0);
		break;
	case PROMPT_WALL_TITLE:
	case PROMPT_CLOUD_TITLE:
		if (a->m->open == NULL)
			break;
		action(a, kind == PROMPT_WALL_TITLE ? REQ_WALL_CREATE :
		    REQ_CLOUD_CREATE, json_pack("{s:s, s:s, s:s}", "session",
		    a->m->open->code, "kind", kind == PROMPT_WALL_TITLE ?
		    "wall" : "cloud", "title", text), 0, 0);
		break;
	case PROMPT_NOTE_NEW:
		snprintf(cid, sizeof cid, "%s-%lu", a->cid_prefix,
		    ++a->next_cid);
		action(a, REQ_NOTE_ADD, json_pack("{s:I, s:s, s:s}", "board",
		    (json_int_t)p->board, "text", text, "cid", cid), p->board,
		    0);
		break;
	case PROMPT_NOTE_EDIT:
		action(a, REQ_NOTE_EDIT, json_pack("{s:I, s:I, s:s}", "board",
		    (json_int_t)p->board, "note", (json_int_t)p->note, "text",
		    text), p->board, p->note);
		break;
	case PROMPT_BAN:
	case PROMPT_UNBAN:
		if (a->m->open == NULL)
			break;
		action(a, kind == PROMPT_BAN ? REQ_WORD_BAN : REQ_WORD_UNBAN,
		    json_pack("{s:s, s:s}", "session", a->m->open->code,
		    "text", text), p->board, 0);
		break;
	}
	free(text);
}

static void
prompt_key(struct app *a, int key)
{
	struct app_prompt *p = &a->prompt;

	switch (key) {
	case APP_KEY_ENTER:
		prompt_submit(a);
		return;
	case APP_KEY_ESC:
	case APP_CTRL('g'):
	case APP_CTRL('c'):
		p->kind = 0;
		app_info(a, "Cancelled.");
		return;
	case APP_KEY_LEFT:
		if (p->cursor > 0)
			p->cursor--;
		return;
	case APP_KEY_RIGHT:
		if (p->cursor < p->len)
			p->cursor++;
		return;
	case APP_KEY_HOME:
	case APP_CTRL('a'):
		p->cursor = 0;
		return;
	case APP_KEY_END:
	case APP_CTRL('e'):
		p->cursor = p->len;
		return;
	case APP_KEY_BACKSPACE:
	case 0x7f:
	case APP_CTRL('h'):
		if (p->cursor == 0)
			return;
		p->cursor--;
		/* FALLTHROUGH */
	case APP_KEY_DELETE:
	case APP_CTRL('d'):
		if (p->cursor < p->len) {
			memmove(&p->cps[p->cursor], &p->cps[p->cursor + 1],
			    (p->len - p->cursor - 1) * sizeof *p->cps);
			p->len--;
		}
		return;
	case APP_CTRL('u'):
		memmove(p->cps, p->cps + p->cursor,
		    (p->len - p->cursor) * sizeof *p->cps);
		p->len -= p->cursor;
		p->cursor = 0;
		return;
	}
	if (key < 0x20 || key == 0x7f || key >= 0x110000 ||
	    (key >= 0x80 && key < 0xa0))
		return;
	if (p->len >= p->max) {
		app_fail(a, "That is the longest text allowed (%zu characters).",
		    p->max);
		return;
	}
	xgrow((void **)&p->cps, &p->cap, p->len + 1, sizeof *p->cps);
	memmove(&p->cps[p->cursor + 1], &p->cps[p->cursor],
	    (p->len - p->cursor) * sizeof *p->cps);
	p->cps[p->cursor++] = key;
	p->len++;
}

static void
confirm_open(struct app *a, int kind, int64_t board, int64_t note,
    const char *text, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

static void
confirm_open(struct app *a, int kind, int64_t board, int64_t note,
    const char *text, const char *fmt, ...)
{
	va_list ap;

	a->confirm.kind = kind;
	a->confirm.board = board;
	a->confirm.note = note;
	free(a->confirm.text);
	a->confirm.text = text != NULL ? xstrdup(text) : NULL;
	va_start(ap, fmt);
	vsnprintf(a->confirm.question, sizeof a->confirm.question, fmt, ap);
	va_end(ap);
}

/*
 * The format chosen after E: h(tml), m(arkdown), c(sv) or j(son), of the
 * open session, or of portfolio when it is not 0.  The file goes in the
 * current directory: atelier-CODE.EXT, atelier-portfolio-ID.EXT.
 */
static void
export(struct app *a, int key, int64_t portfolio)
{
	static const struct {
		int key;
		const char *ext;
	} formats[] = { { 'h', "html" }, { 'm', "md" }, { 'c', "csv" },
	    { 'j', "json" } };
	char path[128], file[64];
	size_t i;

	for (i = 0; i < ARRAY_LEN(formats); i++)
		if (formats[i].key == key)
			break;
	if (i == ARRAY_LEN(formats) || (portfolio == 0 &&
	    a->m->open == NULL)) {
		app_info(a, "Cancelled.");
		return;
	}
	if (a->conn != CONN_ONLINE || a->fetch == NULL) {
		app_fail(a, "Offline: could not export the %s.", portfolio ?
		    "portfolio" : "session");
		return;
	}
	if (portfolio != 0) {
		snprintf(path, sizeof path, "/api/portfolios/%lld/export.%s",
		    (long long)portfolio, formats[i].ext);
		snprintf(file, sizeof file, "atelier-portfolio-%lld.%s",
		    (long long)portfolio, formats[i].ext);
	} else {
		snprintf(path, sizeof path, "/api/sessions/%s/export.%s",
		    a->m->open->code, formats[i].ext);
		snprintf(file, sizeof file, "atelier-%s.%s", a->m->open->code,
		    formats[i].ext);
	}
	clear_error(a);
	a->exporting = 1;
	a->export_pf = portfolio != 0;
	app_info(a, "Exporting to %s...", file);
	a->fetch(a->send_ctx, path, file);
}

void
app_export_done(struct app *a, int ok, const char *message)
{
	a->exporting = 0;
	if (ok)
		app_info(a, "%s", message);
	else
		app_fail(a, "Could not export the %s: %s", a->export_pf ?
		    "portfolio" : "session", message);
}

void
app_set_fetch(struct app *a, app_fetch_fn fetch)
{
	a->fetch = fetch;
}

static void
confirm_key(struct app *a, int key)
{
	struct app_confirm *c = &a->confirm;
	int kind = c->kind;

	c->kind = 0;
	if (kind == CONFIRM_EXPORT || kind == CONFIRM_PF_EXPORT) {
		export(a, key, kind == CONFIRM_PF_EXPORT ? c->board : 0);
		return;
	}
	if (key != 'y' && key != 'Y') {
		app_info(a, "Cancelled.");
		return;
	}
	switch (kind) {
	case CONFIRM_QUIT:
		a->quit = 1;
		break;
	case CONFIRM_NOTE_DELETE:
		action(a, REQ_NOTE_DELETE, json_pack("{s:I, s:I}", "board",
		    (json_int_t)c->board, "note", (json_int_t)c->note),
		    c->board, c->note);
		break;
	case CONFIRM_CLOUD_RESET:
		action(a, REQ_BOARD_RESET, json_pack("{s:I}", "board",
		    (json_int_t)c->board), c->board, 0);
		break;
	case CONFIRM_WORD_BAN:
		if (a->m->open != NULL && c->text != NULL)
			action(a, REQ_WORD_BAN, json_pack("{s:s, s:s}",
			    "session", a->m->open->code, "text", c->text),
			    c->board, 0);
		break;
	case CONFIRM_ARCHIVE:
		action(a, REQ_ARCHIVE, json_pack("{s:s}", "session", c->text),
		    0, 0);
		break;
	case CONFIRM_CLOSE:
		action(a, REQ_CLOSE, json_pack("{s:s}", "session", c->text),
		    0, 0);
		break;
	case CONFIRM_PF_REMOVE:
		if (c->text != NULL && action(a, REQ_PF_REMOVE,
		    json_pack("{s:I, s:s}", "portfolio", (json_int_t)c->board,
		    "session", c->text), c->board, 0) == 0)
			pending_code(a, c->text);
		break;
	}
}

/* ---- key actions: everywhere ----------------------------------------- */

static void
show_help(struct app *a)
{
	a->help = 1;
}

static void
redraw(struct app *a)
{
	a->redraw = 1;
}

static void
ask_quit(struct app *a)
{
	confirm_open(a, CONFIRM_QUIT, 0, 0, NULL, "%s",
	    a->local ? "Quit atelier and stop the local server? y/n" :
	    "Quit atelier? y/n");
}

static void
go_list(struct app *a)
{
	a->screen = SCREEN_LIST;
	if (a->conn == CONN_ONLINE)
		ask_list(a);
}

static void
go_home(struct app *a)
{
	if (a->merge_group != 0) {
		a->merge_group = 0;
		app_info(a, "Merge cancelled.");
		return;
	}
	if (a->merge_from != NULL) {
		free(a->merge_from);
		a->merge_from = NULL;
		app_info(a, "Merge cancelled.");
		return;
	}
	a->screen = a->m->open != NULL ? SCREEN_HOME : SCREEN_LIST;
}

static void
new_wall(struct app *a)
{
	prompt_open(a, PROMPT_WALL_TITLE, "Title of the new wall",
	    TITLE_MAX, NULL, 0, 0);
}

static void
new_cloud(struct app *a)
{
	prompt_open(a, PROMPT_CLOUD_TITLE, "Title of the new word cloud",
	    TITLE_MAX, NULL, 0, 0);
}

/* ---- key actions: session list --------------------------------------- */

static void
list_up(struct app *a)
{
	if (a->list_sel > 0)
		a->list_sel--;
}

static void
list_down(struct app *a)
{
	if (a->list_sel + 1 < a->m->nlist)
		a->list_sel++;
}

static void
list_open(struct app *a)
{
	if (a->m->nlist == 0) {
		app_fail(a, "No session yet: press n to create one.");
		return;
	}
	action(a, REQ_OPEN, json_pack("{s:s}", "code",
	    a->m->list[a->list_sel].code), 0, 0);
}

static void
list_new(struct app *a)
{
	prompt_open(a, PROMPT_SESSION_TITLE, "Title of the new session",
	    TITLE_MAX, NULL, 0, 0);
}

static void
list_reload(struct app *a)
{
	clear_error(a);
	ask_list(a);
}

static void
list_view(struct app *a)
{
	free(a->list_query);
	a->list_query = NULL;
	a->list_archived = !a->list_archived;
	a->list_sel = 0;
	a->list_top = 0;
	app_info(a, "%s", a->list_archived ? "Archived sessions (v: back to "
	    "the others)." : "Sessions not archived.");
	list_reload(a);
}

static void
list_search(struct app *a)
{
	prompt_open(a, PROMPT_SEARCH, "Search every session for",
	    TITLE_MAX, a->list_query, 0, 0);
}

/* Archive the session (asks), or take it out of the archive. */
static void
archive(struct app *a, const struct tui_session *s)
{
	if (s->archived) {
		action(a, REQ_UNARCHIVE, json_pack("{s:s}", "session",
		    s->code), 0, 0);
		return;
	}
	confirm_open(a, CONFIRM_ARCHIVE, 0, 0, s->code, "Archive %s \"%s\"? "
	    "It is closed and leaves this list; nothing is deleted. y/n",
	    s->code, s->title);
}

static void
list_archive(struct app *a)
{
	if (a->m->nlist == 0) {
		app_fail(a, "No session selected.");
		return;
	}
	archive(a, &a->m->list[a->list_sel]);
}

/* ---- key actions: session home --------------------------------------- */

static void
home_up(struct app *a)
{
	if (a->board_sel > 0)
		a->board_sel--;
}

static void
home_down(struct app *a)
{
	if (a->m->open != NULL && a->board_sel + 1 < a->m->open->nboards)
		a->board_sel++;
}

static void
home_open(struct app *a)
{
	if (a->m->open == NULL || a->m->open->nboards == 0) {
		app_fail(a, "No board yet: press b to create a wall.");
		return;
	}
	open_board(a, a->m->open->boards[a->board_sel].id);
}

static void
session_reload(struct app *a)
{
	if (a->m->open != NULL && !a->resyncing &&
	    action(a, REQ_RESYNC, json_pack("{s:s}", "code",
	    a->m->open->code), 0, 0) == 0)
		a->resyncing = 1;
}

static void
home_close(struct app *a)
{
	const struct tui_session *s = a->m->open;

	if (s == NULL)
		return;
	if (s->closed) {
		action(a, REQ_REOPEN, json_pack("{s:s}", "session", s->code),
		    0, 0);
		return;
	}
	confirm_open(a, CONFIRM_CLOSE, 0, 0, s->code, "Close the session? "
	    "Nobody can write until you reopen it (x). y/n");
}

static void
home_archive(struct app *a)
{
	if (a->m->open != NULL)
		archive(a, a->m->open);
}

static void
home_export(struct app *a)
{
	if (a->exporting) {
		app_info(a, "An export is already on its way.");
		return;
	}
	confirm_open(a, CONFIRM_EXPORT, 0, 0, NULL, "Export to a file here: "
	    "h HTML report, m Markdown, c CSV, j JSON (other key: cancel)");
}

/* ---- key actions: wall ----------------------------------------------- */

static int
wall_cols(const struct app *a)
{
	struct layout_wall g;

	wall_geometry(a, &g);
	return g.cols;
}

static void
wall_left(struct app *a)
{
	wall_select(a, (long)a->note_pos - 1);
}

static void
wall_right(struct app *a)
{
	wall_select(a, (long)a->note_pos + 1);
}

static void
wall_up(struct app *a)
{
	if ((long)a->note_pos - wall_cols(a) >= 0)
		wall_select(a, (long)a->note_pos - wall_cols(a));
}

static void
wall_down(struct app *a)
{
	struct tui_board *b = app_board(a);
	size_t cols = (size_t)wall_cols(a);

	if (b == NULL || b->nnotes == 0)
		return;
	/* to the note below, or the last one when the next row is short */
	if (a->note_pos / cols < (b->nnotes - 1) / cols)
		wall_select(a, (long)(a->note_pos + cols));
}

static void
wall_first(struct app *a)
{
	wall_select(a, 0);
}

static void
wall_last(struct app *a)
{
	struct tui_board *b = app_board(a);

	if (b != NULL)
		wall_select(a, (long)b->nnotes - 1);
}

static void
wall_page(struct app *a, int dir)
{
	struct layout_wall g;

	wall_geometry(a, &g);
	wall_select(a, (long)a->note_pos + dir * g.cols * g.rows);
}

static void
wall_pgup(struct app *a)
{
	wall_page(a, -1);
}

static void
wall_pgdn(struct app *a)
{
	wall_page(a, 1);
}

static void
wall_new(struct app *a)
{
	prompt_open(a, PROMPT_NOTE_NEW, "New post-it", NOTE_MAX, NULL,
	    a->board_id, 0);
}

static void
wall_edit(struct app *a)
{
	struct tui_note *n = selected_note(a);

	if (n != NULL)
		prompt_open(a, PROMPT_NOTE_EDIT, "Edit the post-it", NOTE_MAX,
		    n->text, a->board_id, n->id);
}

static void
wall_color(struct app *a, int step)
{
	struct tui_note *n = selected_note(a);
	int c;

	if (n == NULL)
		return;
	c = (n->color + step + NOTE_NCOLORS) % NOTE_NCOLORS;
	if (action(a, REQ_NOTE_COLOR, json_pack("{s:I, s:I, s:s}", "board",
	    (json_int_t)a->board_id, "note", (json_int_t)n->id, "color",
	    model_color_name(c)), a->board_id, n->id) == 0)
		app_info(a, "Post-it now %s.", model_color_name(c));
}

static void
wall_color_next(struct app *a)
{
	wall_color(a, 1);
}

static void
wall_color_prev(struct app *a)
{
	wall_color(a, -1);
}

static void
wall_hide(struct app *a)
{
	struct tui_note *n = selected_note(a);

	if (n == NULL)
		return;
	action(a, n->hidden ? REQ_NOTE_SHOW : REQ_NOTE_HIDE,
	    json_pack("{s:I, s:I}", "board", (json_int_t)a->board_id, "note",
	    (json_int_t)n->id), a->board_id, n->id);
}

static void
wall_delete(struct app *a)
{
	struct tui_note *n = selected_note(a);
	char start[40];
	size_t len;

	if (n == NULL)
		return;
	len = layout_fit(n->text, strlen(n->text), 30, NULL);
	snprintf(start, sizeof start, "%.*s", (int)len, n->text);
	confirm_open(a, CONFIRM_NOTE_DELETE, a->board_id, n->id, NULL,
	    "Delete the post-it \"%s%s\"? Its votes are given back. y/n",
	    start, len < strlen(n->text) ? "..." : "");
}

static void
board_lock(struct app *a)
{
	struct tui_board *b = app_board(a);

	if (b == NULL)
		return;
	action(a, b->locked ? REQ_UNLOCK : REQ_LOCK, json_pack("{s:I}",
	    "board", (json_int_t)b->id), b->id, 0);
}

/* P: this board on the projector and the phones, or let them choose. */
static void
board_focus(struct app *a)
{
	struct tui_board *b = app_board(a);
	int on;

	if (b == NULL || a->m->open == NULL)
		return;
	on = a->m->open->focus != b->id;
	action(a, on ? REQ_FOCUS : REQ_UNFOCUS, json_pack("{s:s, s:o}",
	    "session", a->m->open->code, "board", on ?
	    json_integer(b->id) : json_null()), b->id, 0);
}

static void
wall_sort(struct app *a)
{
	static const char *const names[SORT_COUNT] = {
		"time", "votes", "colour",
	};

	a->sort = (a->sort + 1) % SORT_COUNT;
	wall_fix(a);
	app_info(a, "Post-its sorted by %s.", names[a->sort]);
}

static void
board_step(struct app *a, int dir)
{
	long i = model_board_index(a->m, a->board_id), n;

	if (i < 0 || a->m->open == NULL)
		return;
	n = (long)a->m->open->nboards;
	open_board(a, a->m->open->boards[(i + dir + n) % n].id);
}

static void
board_next(struct app *a)
{
	board_step(a, 1);
}

static void
board_prev(struct app *a)
{
	board_step(a, -1);
}

static void
board_reload(struct app *a)
{
	struct tui_board *b = app_board(a);

	if (b == NULL)
		return;
	clear_error(a);
	if (is_cloud(b))
		cloud_load(a);
	else
		request(a, REQ_BOARD_GET, json_pack("{s:I}", "board",
		    (json_int_t)b->id), b->id, 0);
}

/* ---- key actions: word cloud ----------------------------------------- */

static void
word_up(struct app *a)
{
	cloud_select(a, (long)a->word_sel - 1);
}

static void
word_down(struct app *a)
{
	cloud_select(a, (long)a->word_sel + 1);
}

static void
word_first(struct app *a)
{
	cloud_select(a, 0);
}

static void
word_last(struct app *a)
{
	cloud_select(a, 1L << 30);
}

static struct tui_word *
need_word(struct app *a)
{
	struct tui_word *w = selected_word(a);

	if (w == NULL)
		app_fail(a, "No word selected: the cloud is empty.");
	return w;
}

static void
word_hide(struct app *a)
{
	struct tui_word *w = need_word(a);

	if (w == NULL)
		return;
	action(a, w->hidden ? REQ_WORD_SHOW : REQ_WORD_HIDE,
	    json_pack("{s:I, s:s}", "board", (json_int_t)a->board_id, "key",
	    w->key), a->board_id, 0);
}

static void
word_merge(struct app *a)
{
	struct tui_word *w = need_word(a);

	if (w == NULL)
		return;
	if (a->merge_from == NULL) {
		a->merge_from = xstrdup(w->key);
		app_info(a, "Merge \"%s\" into...? Select the word it joins "
		    "and press m again (Esc cancels).", w->text);
		return;
	}
	if (strcmp(a->merge_from, w->key) == 0) {
		app_info(a, "Choose another word to merge into (Esc cancels).");
		return;
	}
	action(a, REQ_WORD_MERGE, json_pack("{s:I, s:s, s:s}", "board",
	    (json_int_t)a->board_id, "from", a->merge_from, "into", w->key),
	    a->board_id, 0);
	free(a->merge_from);
	a->merge_from = NULL;
}

static void
word_ban(struct app *a)
{
	struct tui_word *w = need_word(a);

	if (w != NULL)
		confirm_open(a, CONFIRM_WORD_BAN, a->board_id, 0, w->text,
		    "Ban \"%s\" in every cloud of this session? y/n", w->text);
}

static void
word_unban(struct app *a)
{
	struct tui_word *w = need_word(a);

	if (w == NULL || a->m->open == NULL)
		return;
	action(a, REQ_WORD_UNBAN, json_pack("{s:s, s:s}", "session",
	    a->m->open->code, "text", w->text), a->board_id, 0);
}

static void
word_ban_typed(struct app *a)
{
	prompt_open(a, PROMPT_BAN, "Word to ban in this session", WORD_MAX,
	    NULL, a->board_id, 0);
}

static void
word_unban_typed(struct app *a)
{
	prompt_open(a, PROMPT_UNBAN, "Word to allow again", WORD_MAX, NULL,
	    a->board_id, 0);
}

static void
cloud_reset(struct app *a)
{
	struct tui_board *b = app_board(a);

	if (b != NULL)
		confirm_open(a, CONFIRM_CLOUD_RESET, b->id, 0, NULL,
		    "Empty the cloud \"%s\"? Every entry is removed. y/n",
		    b->title);
}

/* ---- key actions: timer and session texts (home and wall) ----------- */

static void
timer_start(struct app *a)
{
	if (a->m->open != NULL)
		prompt_open(a, PROMPT_TIMER_MINUTES, "Timer: how many minutes? "
		    "(5, 2.5 or m:ss)", 16, NULL, 0, 0);
}

static void
timer_pause(struct app *a)
{
	const struct tui_session *s = a->m->open;

	if (s == NULL)
		return;
	if (s->timer.state == TIMER_NONE) {
		app_fail(a, "No timer: press t to start one.");
		return;
	}
	action(a, s->timer.state == TIMER_PAUSED ? REQ_TIMER_RESUME :
	    REQ_TIMER_PAUSE, json_pack("{s:s}", "session", s->code), 0, 0);
}

static void
timer_stop(struct app *a)
{
	const struct tui_session *s = a->m->open;

	if (s == NULL)
		return;
	if (s->timer.state == TIMER_NONE) {
		app_fail(a, "No timer to stop.");
		return;
	}
	action(a, REQ_TIMER_STOP, json_pack("{s:s}", "session", s->code), 0,
	    0);
}

static void
home_description(struct app *a)
{
	if (a->m->open != NULL)
		prompt_open(a, PROMPT_DESCRIPTION, "What the workshop is for "
		    "(empty: none)", TEXT_MAX, a->m->open->description, 0, 0);
}

static void
home_retrospective(struct app *a)
{
	if (a->m->open != NULL)
		prompt_open(a, PROMPT_RETROSPECTIVE, "Retrospective: what "
		    "worked, what did not (empty: none)", TEXT_MAX,
		    a->m->open->retrospective, 0, 0);
}

/* ---- key actions: applied groups on the wall ------------------------- */

static void
wall_view_groups(struct app *a)
{
	struct tui_board *b = app_board(a);

	if (b == NULL)
		return;
	if (!a->wall_groups && b->ngroups == 0) {
		app_fail(a, "No groups on this wall yet: K suggests some.");
		return;
	}
	a->wall_groups = !a->wall_groups;
	wall_fix(a);
	app_info(a, "%s", a->wall_groups ? "Post-its by group (v: all "
	    "together)." : "Post-its all together (v: by group).");
}

/* The selected note's applied group, or NULL (said in words). */
static struct tui_group *
selected_group(struct app *a, struct tui_note **np)
{
	struct tui_board *b = app_board(a);
	struct tui_note *n = selected_note(a);
	long g;

	*np = n;
	if (n == NULL)
		return NULL;
	if (b->ngroups == 0) {
		app_fail(a, "No groups on this wall yet: K suggests some.");
		return NULL;
	}
	if ((g = model_note_group(b, n->id)) < 0) {
		app_fail(a, "This post-it is in no group: > or < puts it in "
		    "one.");
		return NULL;
	}
	return &b->groups[g];
}

static void
group_rename(struct app *a)
{
	struct tui_note *n;
	struct tui_group *g = selected_group(a, &n);

	if (g == NULL)
		return;
	prompt_open(a, PROMPT_GROUP_RENAME, "New name of the group", LABEL_MAX,
	    g->label, a->board_id, n->id);
	a->prompt.group = g->id;
}

/* Move the selected note to the next (dir 1) or previous group. */
static void
group_move(struct app *a, int dir)
{
	struct tui_board *b = app_board(a);
	struct tui_note *n = selected_note(a);
	long g, to, count;
	json_t *req;

	if (n == NULL)
		return;
	if (b->ngroups == 0) {
		app_fail(a, "No groups on this wall yet: K suggests some.");
		return;
	}
	/* positions 0..ngroups-1 are the groups, ngroups is "no group" */
	count = (long)b->ngroups + 1;
	g = model_note_group(b, n->id);
	if (g < 0)
		g = (long)b->ngroups;
	to = (g + dir + count) % count;
	req = json_pack("{s:I, s:I}", "board", (json_int_t)b->id, "note",
	    (json_int_t)n->id);
	json_object_set_new(req, "cluster", to == (long)b->ngroups ?
	    json_null() : json_integer(b->groups[to].id));
	if (action(a, REQ_GROUP_MOVE, req, b->id, n->id) == 0)
		app_info(a, "Post-it moved to %s.", to == (long)b->ngroups ?
		    "no group" : b->groups[to].label);
}

static void
group_move_next(struct app *a)
{
	group_move(a, 1);
}

static void
group_move_prev(struct app *a)
{
	group_move(a, -1);
}

static void
group_merge(struct app *a)
{
	struct tui_note *n;
	struct tui_group *g = selected_group(a, &n);
	struct tui_group *from;

	if (g == NULL)
		return;
	if (a->merge_group == 0) {
		a->merge_group = g->id;
		app_info(a, "Merge the group \"%s\" into...? Select a post-it "
		    "of the other group and press m again (Esc cancels).",
		    g->label);
		return;
	}
	if (a->merge_group == g->id) {
		app_info(a, "Choose a post-it of another group (Esc cancels).");
		return;
	}
	from = model_group(app_board(a), a->merge_group);
	a->merge_group = 0;
	if (from == NULL) {
		app_fail(a, "That group is gone.");
		return;
	}
	action(a, REQ_GROUP_MERGE, json_pack("{s:I, s:I, s:I}", "board",
	    (json_int_t)a->board_id, "from", (json_int_t)from->id, "into",
	    (json_int_t)g->id), a->board_id, 0);
}

static void
group_split(struct app *a)
{
	struct tui_note *n;
	struct tui_group *g = selected_group(a, &n);

	if (g == NULL)
		return;
	prompt_open(a, PROMPT_GROUP_SPLIT, "The post-it leaves its group for "
	    "a new one named", LABEL_MAX, NULL, a->board_id, n->id);
	a->prompt.group = g->id;
}

/* ---- key actions: the clustering screen ------------------------------ */

/* Ask for suggested groups of the board shown (k 0: the engine chooses). */
static void
suggest(struct app *a, int k)
{
	struct tui_board *b = app_board(a);
	json_t *req;

	if (b == NULL || is_cloud(b))
		return;
	req = json_pack("{s:I}", "board", (json_int_t)b->id);
	if (k > 0)
		json_object_set_new(req, "k", json_integer(k));
	if (action(a, REQ_SUGGEST, req, b->id, 0) == 0) {
		a->draft_loading = 1;
		app_info(a, "Asking the server for groups...");
	}
}

static void
wall_cluster(struct app *a)
{
	struct tui_board *b = app_board(a);

	if (b == NULL)
		return;
	if (b->nnotes == 0) {
		app_fail(a, "No post-it to group yet.");
		return;
	}
	a->screen = SCREEN_CLUSTER;
	if (a->draft_board != b->id || a->ndraft == 0) {
		draft_clear(a);
		a->draft_board = b->id;
		suggest(a, 0);
	}
}

static void
cluster_suggest(struct app *a)
{
	suggest(a, 0);
}

static void
cluster_suggest_k(struct app *a)
{
	prompt_open(a, PROMPT_CLUSTER_K, "How many groups? (empty: the "
	    "server chooses)", 3, NULL, a->board_id, 0);
}

/*
 * Guided mode: the prompt for theme number ntyped + 1, showing the theme
 * sent last at that place (Enter keeps it), or initial when given.
 */
static void
theme_prompt(struct app *a, const char *initial)
{
	const struct app_theme *old = a->ntyped < a->nthemes ?
	    &a->themes[a->ntyped] : NULL;
	char *prev = NULL;

	if (initial == NULL && old != NULL) {
		size_t n = strlen(old->name) + (old->keywords != NULL ?
		    strlen(old->keywords) : 0) + 3;

		prev = xmalloc(n);
		snprintf(prev, n, "%s%s%s", old->name, old->keywords != NULL ?
		    ": " : "", old->keywords != NULL ? old->keywords : "");
		initial = prev;
	}
	snprintf(a->theme_label, sizeof a->theme_label, "Theme %zu (empty "
	    "line: done)", a->ntyped + 1);
	prompt_open(a, PROMPT_THEME, a->theme_label, THEME_MAX, initial,
	    a->board_id, 0);
	free(prev);
}

/* Send the themes typed (guided cluster.suggest); they become a->themes. */
static void
guided_send(struct app *a)
{
	struct tui_board *b = app_board(a);
	struct app_theme *t;
	json_t *list;
	size_t i, n;

	themes_clear(a->themes, &a->nthemes);
	t = a->themes;
	n = a->capthemes;
	a->themes = a->typed;
	a->nthemes = a->ntyped;
	a->capthemes = a->captyped;
	a->typed = t;
	a->ntyped = 0;
	a->captyped = n;
	if (b == NULL || is_cloud(b))
		return;
	list = json_array();
	for (i = 0; i < a->nthemes; i++)
		json_array_append_new(list, json_pack("{s:s, s:s}", "name",
		    a->themes[i].name, "keywords", a->themes[i].keywords !=
		    NULL ? a->themes[i].keywords : a->themes[i].name));
	if (action(a, REQ_SUGGEST_GUIDED, json_pack("{s:I, s:o}", "board",
	    (json_int_t)b->id, "themes", list), b->id, 0) == 0) {
		a->draft_loading = 1;
		app_info(a, "Sorting the post-its into your %zu theme%s...",
		    a->nthemes, a->nthemes == 1 ? "" : "s");
	}
}

/*
 * One theme typed (NULL: the list is over): kept, then the next asked;
 * a mistake is said and the same theme asked again.
 */
static void
theme_submit(struct app *a, const char *text)
{
	struct app_theme t;
	char why[160];
	size_t i;

	if (text == NULL) {
		if (a->ntyped == 0)
			app_info(a, "No theme typed: nothing asked.");
		else
			guided_send(a);
		return;
	}
	if (app_theme_parse(text, &t, why, sizeof why) < 0) {
		app_fail(a, "%s", why);
		theme_prompt(a, text);
		return;
	}
	for (i = 0; i < a->ntyped; i++)
		if (strcmp(a->typed[i].name, t.name) == 0) {
			app_fail(a, "Theme %zu is already \"%s\": give each "
			    "theme its own name.", i + 1, t.name);
			free(t.name);
			free(t.keywords);
			theme_prompt(a, text);
			return;
		}
	xgrow((void **)&a->typed, &a->captyped, a->ntyped + 1,
	    sizeof *a->typed);
	a->typed[a->ntyped++] = t;
	clear_error(a);
	if (a->ntyped == THEMES_MAX)	/* the most the server takes */
		guided_send(a);
	else
		theme_prompt(a, NULL);
}

/* g: the facilitator types the themes, the server sorts the notes. */
static void
cluster_guided(struct app *a)
{
	struct tui_board *b = app_board(a);

	if (b == NULL || is_cloud(b))
		return;
	themes_clear(a->typed, &a->ntyped);
	clear_error(a);
	theme_prompt(a, NULL);
}

static void
cluster_up(struct app *a)
{
	if (a->draft_sel > 0)
		a->draft_sel--;
}

static void
cluster_down(struct app *a)
{
	if (a->draft_sel + 1 < app_draft_rows(a))
		a->draft_sel++;
}

static void
cluster_rename(struct app *a)
{
	size_t g;
	long k;

	if (app_draft_row(a, a->draft_sel, &g, &k) < 0) {
		app_fail(a, "No group yet: s asks the server for some.");
		return;
	}
	if (a->draft[g].none) {
		app_fail(a, "These post-its are in no group: > puts the "
		    "selected one in a group.");
		return;
	}
	prompt_open(a, PROMPT_DRAFT_RENAME, "New name of the group",
	    LABEL_MAX, a->draft[g].label, a->board_id, 0);
	a->prompt.group = (int64_t)g;
}

/* Move the selected note of the draft to the next / previous group. */
static void
cluster_move(struct app *a, int dir)
{
	struct app_draft_group *from, *to;
	size_t g, t;
	long k;
	int64_t note;

	if (app_draft_row(a, a->draft_sel, &g, &k) < 0 || k < 0) {
		app_fail(a, "Select a post-it (not a group's name) to move it.");
		return;
	}
	from = &a->draft[g];
	note = from->notes[k];
	memmove(&from->notes[k], &from->notes[k + 1],
	    (from->nnotes - (size_t)k - 1) * sizeof *from->notes);
	from->nnotes--;
	t = (g + a->ndraft + (size_t)(dir > 0 ? 1 : a->ndraft - 1)) %
	    a->ndraft;
	to = &a->draft[t];
	draft_add_note(to, note);
	a->draft_sel = draft_row_of(a, note);
	app_info(a, "Post-it moved to %s.", to->label);
}

static void
cluster_next(struct app *a)
{
	cluster_move(a, 1);
}

static void
cluster_prev(struct app *a)
{
	cluster_move(a, -1);
}

/* Send the draft with cluster.apply: its groups that hold notes. */
static void
cluster_apply(struct app *a)
{
	struct tui_board *b = app_board(a);
	json_t *list, *notes;
	size_t i, k;

	if (b == NULL || a->ndraft == 0) {
		app_fail(a, "No groups to apply: s asks the server for some.");
		return;
	}
	list = json_array();
	for (i = 0; i < a->ndraft; i++) {
		if (a->draft[i].none)
			continue;
		notes = json_array();
		for (k = 0; k < a->draft[i].nnotes; k++)
			if (model_note(b, a->draft[i].notes[k]) != NULL)
				json_array_append_new(notes, json_integer(
				    a->draft[i].notes[k]));
		if (json_array_size(notes) == 0) {
			json_decref(notes);
			continue;
		}
		json_array_append_new(list, json_pack("{s:s, s:o}", "label",
		    a->draft[i].label, "notes", notes));
	}
	action(a, REQ_APPLY, json_pack("{s:I, s:o}", "board",
	    (json_int_t)b->id, "clusters", list), b->id, 0);
}

static void
cluster_back(struct app *a)
{
	a->screen = SCREEN_WALL;
}

/* ---- key actions: portfolios ---------------------------------------- */

/* From the session list: the portfolios, asked again each time. */
static void
go_portfolios(struct app *a)
{
	a->screen = SCREEN_PORTFOLIOS;
	clear_error(a);
	ask_portfolios(a);
}

static void
pf_up(struct app *a)
{
	if (a->pf_sel > 0)
		a->pf_sel--;
}

static void
pf_down(struct app *a)
{
	if (a->pf_sel + 1 < a->m->nportfolios)
		a->pf_sel++;
}

/* The portfolio the keys are about: the one open, or the selected one. */
static struct tui_portfolio *
pf_current(struct app *a)
{
	struct tui_portfolio *p;

	if (a->screen == SCREEN_PORTFOLIO) {
		if ((p = open_portfolio(a)) == NULL)
			app_fail(a, "The portfolio is not loaded yet: r asks "
			    "the server again.");
	} else if ((p = pf_selected(a)) == NULL)
		app_fail(a, "No portfolio yet: press n to create one.");
	return p;
}

static void
pf_open(struct app *a)
{
	struct tui_portfolio *p = pf_current(a);

	if (p == NULL)
		return;
	if (a->pf_id != p->id) {
		model_close_portfolio(a->m);
		a->pf_session_sel = 0;
		a->pf_session_top = 0;
	}
	a->pf_id = p->id;
	a->screen = SCREEN_PORTFOLIO;
	clear_error(a);
	ask_portfolio(a);
}

static void
pf_new(struct app *a)
{
	a->pf_new_add = 0;
	prompt_open(a, PROMPT_PF_TITLE, "Title of the new portfolio",
	    TITLE_MAX, NULL, 0, 0);
}

static void
pf_rename(struct app *a)
{
	struct tui_portfolio *p = pf_current(a);

	if (p != NULL)
		prompt_open(a, PROMPT_PF_RENAME, "New title of the portfolio",
		    TITLE_MAX, p->title, p->id, 0);
}

static void
pf_describe(struct app *a)
{
	struct tui_portfolio *p = pf_current(a);

	if (p != NULL)
		prompt_open(a, PROMPT_PF_DESCRIPTION, "What the portfolio is "
		    "about (empty: none)", TEXT_MAX, p->description, p->id, 0);
}

static void
pf_export(struct app *a)
{
	struct tui_portfolio *p;

	if (a->exporting) {
		app_info(a, "An export is already on its way.");
		return;
	}
	if ((p = pf_current(a)) == NULL)
		return;
	confirm_open(a, CONFIRM_PF_EXPORT, p->id, 0, NULL, "Export the "
	    "portfolio: h HTML report, m Markdown, c CSV, j JSON (other: "
	    "cancel)");
}

static void
pf_reload(struct app *a)
{
	clear_error(a);
	if (a->screen == SCREEN_PORTFOLIO)
		ask_portfolio(a);
	else
		ask_portfolios(a);
}

/* portfolio.add; the reply says whether it was there already. */
static void
pf_add(struct app *a, int64_t portfolio, const char *code)
{
	int already = model_portfolio_has(model_portfolio(a->m, portfolio),
	    code);

	if (request(a, REQ_PF_ADD, json_pack("{s:I, s:s}", "portfolio",
	    (json_int_t)portfolio, "session", code), portfolio, already) == 0)
		pending_code(a, code);
}

/* The picker: which portfolio session s goes into. */
static void
pick_open(struct app *a, const struct tui_session *s)
{
	snprintf(a->pick_code, sizeof a->pick_code, "%s", s->code);
	free(a->pick_title);
	a->pick_title = xstrdup(s->title);
	a->pick_back = a->screen;
	a->screen = SCREEN_PICK;
	clear_error(a);
	ask_portfolios(a);
}

static void
list_pick(struct app *a)
{
	if (a->m->nlist == 0) {
		app_fail(a, "No session selected.");
		return;
	}
	pick_open(a, &a->m->list[a->list_sel]);
}

static void
home_pick(struct app *a)
{
	if (a->m->open != NULL)
		pick_open(a, a->m->open);
}

static void
pick_add(struct app *a)
{
	struct tui_portfolio *p = pf_selected(a);

	if (p == NULL) {
		app_fail(a, "No portfolio yet: press n to create one (the "
		    "session goes into it).");
		return;
	}
	clear_error(a);
	pf_add(a, p->id, a->pick_code);
	a->screen = a->pick_back;
}

static void
pick_new(struct app *a)
{
	a->pf_new_add = 1;
	prompt_open(a, PROMPT_PF_TITLE, "Title of the new portfolio (the "
	    "session goes into it)", TITLE_MAX, NULL, 0, 0);
}

static void
pick_cancel(struct app *a)
{
	a->screen = a->pick_back;
	app_info(a, "Cancelled.");
}

/* Back from the portfolios to the sessions. */
static void
pf_back(struct app *a)
{
	go_list(a);
}

/* ---- key actions: one portfolio -------------------------------------- */

static void
pfs_up(struct app *a)
{
	if (a->pf_session_sel > 0)
		a->pf_session_sel--;
}

static void
pfs_down(struct app *a)
{
	struct tui_portfolio *p = open_portfolio(a);

	if (p != NULL && a->pf_session_sel + 1 < p->nsessions)
		a->pf_session_sel++;
}

/* The selected session of the portfolio open, or NULL (said in words). */
static struct tui_session *
pfs_selected(struct app *a)
{
	struct tui_portfolio *p = pf_current(a);

	if (p == NULL)
		return NULL;
	if (p->nsessions == 0) {
		app_fail(a, "No session in this portfolio: + on the session "
		    "list adds one.");
		return NULL;
	}
	return &p->sessions[a->pf_session_sel < p->nsessions ?
	    a->pf_session_sel : p->nsessions - 1];
}

/* Open the session; Esc on its home comes back here. */
static void
pfs_open(struct app *a)
{
	struct tui_session *s = pfs_selected(a);

	if (s != NULL && action(a, REQ_OPEN, json_pack("{s:s}", "code",
	    s->code), 0, 0) == 0)
		a->pending[a->npending - 1].note = 1;
}

static void
pfs_remove(struct app *a)
{
	struct tui_session *s = pfs_selected(a);
	size_t len;

	if (s == NULL)
		return;
	len = layout_fit(s->title, strlen(s->title), 20, NULL);
	confirm_open(a, CONFIRM_PF_REMOVE, a->pf_id, 0, s->code, "Remove %s "
	    "\"%.*s%s\" from this portfolio (the session stays)? y/n",
	    s->code, (int)len, s->title, len < strlen(s->title) ? "..." : "");
}

static void
pfs_back(struct app *a)
{
	long i = model_portfolio_index(a->m, a->pf_id);

	if (i >= 0)
		a->pf_sel = (size_t)i;
	a->screen = SCREEN_PORTFOLIOS;
	ask_portfolios(a);
}

/* Esc on a session's home: to the portfolio it was opened from, or the list. */
static void
home_back(struct app *a)
{
	if (a->home_from_pf && a->pf_id != 0) {
		a->home_from_pf = 0;
		a->screen = SCREEN_PORTFOLIO;
		ask_portfolio(a);
		return;
	}
	go_list(a);
}

/* ---- the binding tables ---------------------------------------------- */

/*
 * A binding whose help is NULL belongs to the one above it: its keys are
 * in that one's label ("Arrows h j k l"), so the help stays short.
 */
static const struct app_binding global_keys[] = {
	{ { '?', APP_KEY_F1 }, "? F1", "this help (any key closes it)",
	    "? help", show_help },
	{ { APP_CTRL('l') }, "Ctrl-L", "redraw the screen", NULL, redraw },
	{ { APP_CTRL('c') }, "Ctrl-C", "quit (asks first)", NULL, ask_quit },
};

static const struct app_binding list_keys[] = {
	{ { APP_KEY_UP, 'k' }, "Up Down k j", "select a session", NULL,
	    list_up },
	{ { APP_KEY_DOWN, 'j' }, "Down j", NULL, NULL, list_down },
	{ { APP_KEY_ENTER }, "Enter", "open the selected session",
	    "Enter open", list_open },
	{ { 'n' }, "n", "create a session (asks for its title)",
	    "n new session", list_new },
	{ { 'a' }, "a", "archive the selected session (asks first); "
	    "unarchive", NULL, list_archive },
	{ { 'v' }, "v", "show the archived sessions / the others", "v archived",
	    list_view },
	{ { '/' }, "/", "search every session (titles, notes...)", "/ search",
	    list_search },
	{ { 'P' }, "P", "portfolios: the lab's projects, each grouping "
	    "sessions", "P portfolios", go_portfolios },
	{ { '+' }, "+", "add the selected session to a portfolio (asks which)",
	    NULL, list_pick },
	{ { 'r' }, "r", "reload the list from the server", NULL,
	    list_reload },
	{ { 'q' }, "q", "quit (asks first)", "q quit", ask_quit },
};

static const struct app_binding home_keys[] = {
	{ { APP_KEY_UP, 'k' }, "Up Down k j", "select a board", NULL,
	    home_up },
	{ { APP_KEY_DOWN, 'j' }, "Down j", NULL, NULL, home_down },
	{ { APP_KEY_ENTER, 'w' }, "Enter w", "open the selected board",
	    "Enter open", home_open },
	{ { 'b' }, "b", "create a wall of post-its (asks for its title)",
	    "b wall", new_wall },
	{ { 'c' }, "c", "create a word cloud (asks for its title)",
	    "c cloud", new_cloud },
	{ { 'x' }, "x", "close the session (no more input, asks) / reopen",
	    "x close", home_close },
	{ { 'a' }, "a", "archive the session (asks first) / unarchive", NULL,
	    home_archive },
	{ { 'E' }, "E", "export it to a file (HTML, Markdown, CSV, JSON)",
	    "E export", home_export },
	{ { '+' }, "+", "add the session to a portfolio (asks which)", NULL,
	    home_pick },
	{ { 't' }, "t p T", "timer for everyone: start, pause / resume, "
	    "stop", "t timer", timer_start },
	{ { 'p' }, "p", NULL, NULL, timer_pause },
	{ { 'T' }, "T", NULL, NULL, timer_stop },
	{ { 'D' }, "D R", "edit the description / the retrospective",
	    "D description", home_description },
	{ { 'R' }, "R", NULL, NULL, home_retrospective },
	{ { 'r' }, "r", "reload the session from the server", NULL,
	    session_reload },
	{ { APP_KEY_ESC, 'q', APP_KEY_BACKSPACE }, "Esc q",
	    "back to the sessions (or to the portfolio)",
	    "q back", home_back },
};

static const struct app_binding wall_keys[] = {
	{ { APP_KEY_LEFT, 'h' }, "Arrows h j k l", "move between post-its",
	    NULL, wall_left },
	{ { APP_KEY_RIGHT, 'l' }, "Right l", NULL, NULL, wall_right },
	{ { APP_KEY_UP, 'k' }, "Up k", NULL, NULL, wall_up },
	{ { APP_KEY_DOWN, 'j' }, "Down j", NULL, NULL, wall_down },
	{ { APP_KEY_HOME, 'g' }, "Home End g G", "first / last post-it",
	    NULL, wall_first },
	{ { APP_KEY_END, 'G' }, "End G", NULL, NULL, wall_last },
	{ { APP_KEY_PGUP }, "PgUp PgDn", "one screen up / down", NULL,
	    wall_pgup },
	{ { APP_KEY_PGDN }, "PgDn", NULL, NULL, wall_pgdn },
	{ { 'n', 'a' }, "n a", "add a post-it (as the facilitator)", "n new",
	    wall_new },
	{ { 'e', APP_KEY_ENTER }, "e Enter", "edit the selected post-it",
	    "e edit", wall_edit },
	{ { 'x' }, "x", "hide it from participants, or show it again",
	    "x hide", wall_hide },
	{ { 'd', APP_KEY_DELETE }, "d Del", "delete it (asks first)",
	    "d delete", wall_delete },
	{ { 'c' }, "c C", "next / previous colour", "c colour",
	    wall_color_next },
	{ { 'C' }, "C", NULL, NULL, wall_color_prev },
	{ { 'L' }, "L", "lock the board (participants cannot write) / unlock",
	    "L lock", board_lock },
	{ { 'P' }, "P", "put this board on the projector and the phones / "
	    "let them choose", "P screen", board_focus },
	{ { 's' }, "s", "sort by time, votes or colour", NULL, wall_sort },
	{ { 'K' }, "K v", "clustering (suggest, edit, apply) / view by group",
	    "K groups", wall_cluster },
	{ { 'v' }, "v", NULL, NULL, wall_view_groups },
	{ { 'R' }, "R > < m /", "groups: Rename, > < move the post-it, merge, "
	    "split", NULL, group_rename },
	{ { '>' }, ">", NULL, NULL, group_move_next },
	{ { '<' }, "<", NULL, NULL, group_move_prev },
	{ { 'm' }, "m", NULL, NULL, group_merge },
	{ { '/' }, "/", NULL, NULL, group_split },
	{ { 't' }, "t p T", "timer for everyone: start, pause / resume, "
	    "stop", "t timer", timer_start },
	{ { 'p' }, "p", NULL, NULL, timer_pause },
	{ { 'T' }, "T", NULL, NULL, timer_stop },
	{ { 'b' }, "b", "create a wall (asks for its title)", NULL,
	    new_wall },
	{ { APP_KEY_TAB, ']' }, "Tab ] S-Tab [", "next / previous board",
	    "Tab board", board_next },
	{ { APP_KEY_BTAB, '[' }, "S-Tab [", NULL, NULL, board_prev },
	{ { 'r' }, "r", "reload the board from the server", NULL,
	    board_reload },
	{ { APP_KEY_ESC, 'q' }, "Esc q", "back to the session (code, QR code)",
	    "q back", go_home },
};

static const struct app_binding cloud_keys[] = {
	{ { APP_KEY_UP, 'k' }, "Up Down k j", "select a word", NULL,
	    word_up },
	{ { APP_KEY_DOWN, 'j' }, "Down j", NULL, NULL, word_down },
	{ { APP_KEY_HOME, 'g' }, "Home End g G", "first / last word", NULL,
	    word_first },
	{ { APP_KEY_END, 'G' }, "End G", NULL, NULL, word_last },
	{ { 'x' }, "x", "hide the word from the cloud, or show it again",
	    "x hide", word_hide },
	{ { 'm' }, "m", "merge: m on a word, then m on the word it joins",
	    "m merge", word_merge },
	{ { '!' }, "!", "ban the selected word in this session (asks first)",
	    "! ban", word_ban },
	{ { 'B' }, "B U", "ban / allow again a word you type", NULL,
	    word_ban_typed },
	{ { 'U' }, "U", NULL, NULL, word_unban_typed },
	{ { 'u' }, "u", "lift the ban on the selected word", NULL,
	    word_unban },
	{ { 'R' }, "R", "empty the cloud (asks first)", NULL, cloud_reset },
	{ { 'L' }, "L", "lock the board / unlock it", "L lock", board_lock },
	{ { 'P' }, "P", "put this cloud on the projector and the phones / "
	    "let them choose", "P screen", board_focus },
	{ { 'b' }, "b c", "create a wall / a word cloud", NULL, new_wall },
	{ { 'c' }, "c", NULL, NULL, new_cloud },
	{ { APP_KEY_TAB, ']' }, "Tab ] S-Tab [", "next / previous board",
	    "Tab board", board_next },
	{ { APP_KEY_BTAB, '[' }, "S-Tab [", NULL, NULL, board_prev },
	{ { 'r' }, "r", "reload the cloud from the server", NULL,
	    board_reload },
	{ { APP_KEY_ESC, 'q' }, "Esc q", "back to the session, or cancel a "
	    "merge", "q back", go_home },
};

static const struct app_binding cluster_keys[] = {
	{ { APP_KEY_UP, 'k' }, "Up Down k j", "select a group or a post-it",
	    NULL, cluster_up },
	{ { APP_KEY_DOWN, 'j' }, "Down j", NULL, NULL, cluster_down },
	{ { 's' }, "s", "ask the server for groups (it chooses how many)",
	    "s suggest", cluster_suggest },
	{ { 'S' }, "S", "ask for a given number of groups", NULL,
	    cluster_suggest_k },
	{ { 'g' }, "g", "sort the post-its into themes you type (name: "
	    "keywords)", "g themes", cluster_guided },
	{ { 'e', APP_KEY_ENTER }, "e Enter", "rename the selected group",
	    "e rename", cluster_rename },
	{ { '>', APP_KEY_RIGHT, 'l' }, "> < Right Left",
	    "move the post-it to the next / previous group", "> move",
	    cluster_next },
	{ { '<', APP_KEY_LEFT, 'h' }, "< Left h", NULL, NULL, cluster_prev },
	{ { 'a' }, "a", "apply these groups to the wall (everyone sees them)",
	    "a apply", cluster_apply },
	{ { APP_KEY_ESC, 'q' }, "Esc q", "back to the wall (the draft is kept)",
	    "q back", cluster_back },
};

static const struct app_binding portfolios_keys[] = {
	{ { APP_KEY_UP, 'k' }, "Up Down k j", "select a portfolio", NULL,
	    pf_up },
	{ { APP_KEY_DOWN, 'j' }, "Down j", NULL, NULL, pf_down },
	{ { APP_KEY_ENTER }, "Enter", "open it: its sessions", "Enter open",
	    pf_open },
	{ { 'n' }, "n", "create a portfolio (asks its title, then a "
	    "description)", "n new", pf_new },
	{ { 'e' }, "e", "rename the selected portfolio", "e rename",
	    pf_rename },
	{ { 'D' }, "D", "edit its description (empty clears it)",
	    "D description", pf_describe },
	{ { 'E' }, "E", "export it to a file (HTML, Markdown, CSV, JSON)",
	    "E export", pf_export },
	{ { 'r' }, "r", "reload the portfolios from the server", NULL,
	    pf_reload },
	{ { APP_KEY_ESC, 'q', APP_KEY_BACKSPACE }, "Esc q",
	    "back to the sessions (+ there adds one to a portfolio)", "q back",
	    pf_back },
};

static const struct app_binding portfolio_keys[] = {
	{ { APP_KEY_UP, 'k' }, "Up Down k j", "select a session", NULL,
	    pfs_up },
	{ { APP_KEY_DOWN, 'j' }, "Down j", NULL, NULL, pfs_down },
	{ { APP_KEY_ENTER }, "Enter", "open the selected session",
	    "Enter open", pfs_open },
	{ { 'd', APP_KEY_DELETE }, "d Del", "take it out of the portfolio "
	    "(asks; the session stays)", "d remove", pfs_remove },
	{ { 'e' }, "e", "rename the portfolio", "e rename", pf_rename },
	{ { 'D' }, "D", "edit its description (empty clears it)",
	    "D description", pf_describe },
	{ { 'E' }, "E", "export it to a file (HTML, Markdown, CSV, JSON)",
	    "E export", pf_export },
	{ { 'r' }, "r", "reload the portfolio from the server", NULL,
	    pf_reload },
	{ { APP_KEY_ESC, 'q', APP_KEY_BACKSPACE }, "Esc q",
	    "back to the portfolios", "q back", pfs_back },
};

static const struct app_binding pick_keys[] = {
	{ { APP_KEY_UP, 'k' }, "Up Down k j", "select a portfolio", NULL,
	    pf_up },
	{ { APP_KEY_DOWN, 'j' }, "Down j", NULL, NULL, pf_down },
	{ { APP_KEY_ENTER }, "Enter", "add the session to the selected "
	    "portfolio", "Enter add", pick_add },
	{ { 'n' }, "n", "a new portfolio (title, description), the "
	    "session in it", "n new portfolio", pick_new },
	{ { 'r' }, "r", "reload the portfolios from the server", NULL,
	    pf_reload },
	{ { APP_KEY_ESC, 'q', APP_KEY_BACKSPACE }, "Esc q",
	    "cancel: add it nowhere", "q cancel", pick_cancel },
};

static const struct {
	const struct app_binding *keys;
	size_t n;
} screens[SCREEN_COUNT] = {
	[SCREEN_LIST] = { list_keys, ARRAY_LEN(list_keys) },
	[SCREEN_HOME] = { home_keys, ARRAY_LEN(home_keys) },
	[SCREEN_WALL] = { wall_keys, ARRAY_LEN(wall_keys) },
	[SCREEN_CLOUD] = { cloud_keys, ARRAY_LEN(cloud_keys) },
	[SCREEN_CLUSTER] = { cluster_keys, ARRAY_LEN(cluster_keys) },
	[SCREEN_PORTFOLIOS] = { portfolios_keys, ARRAY_LEN(portfolios_keys) },
	[SCREEN_PORTFOLIO] = { portfolio_keys, ARRAY_LEN(portfolio_keys) },
	[SCREEN_PICK] = { pick_keys, ARRAY_LEN(pick_keys) },
};

const struct app_binding *
app_bindings(enum app_screen s, size_t *n)
{
	*n = screens[s].n;
	return screens[s].keys;
}

const struct app_binding *
app_global_bindings(size_t *n)
{
	*n = ARRAY_LEN(global_keys);
	return global_keys;
}

static const struct app_binding *
find_binding(const struct app_binding *b, size_t n, int key)
{
	size_t i, k;

	for (i = 0; i < n; i++)
		for (k = 0; k < ARRAY_LEN(b[i].keys) && b[i].keys[k] != 0; k++)
			if (b[i].keys[k] == key)
				return &b[i];
	return NULL;
}

void
app_key(struct app *a, int key)
{
	const struct app_binding *b;

	if (a->help) {
		a->help = 0;
		return;
	}
	if (a->prompt.kind != 0) {
		prompt_key(a, key);
		return;
	}
	if (a->confirm.kind != 0) {
		confirm_key(a, key);
		return;
	}
	if ((b = find_binding(screens[a->screen].keys, screens[a->screen].n,
	    key)) == NULL)
		b = find_binding(global_keys, ARRAY_LEN(global_keys), key);
	if (b != NULL) {
		b->fn(a);
		refresh(a);
	} else if (key >= 0x20 && key < 0x110000)
		app_info(a, "That key does nothing here: press ? for help.");
}

/* ---- replies --------------------------------------------------------- */

static void
hello_ok(struct app *a, const struct app_pending *p)
{
	a->conn = CONN_ONLINE;
	free(a->conn_why);
	a->conn_why = NULL;
	ask_list(a);
	if (a->m->open != NULL && !p->board)	/* not resumed: reload */
		session_reload(a);
	if (a->screen == SCREEN_CLOUD)
		cloud_load(a);
	if (a->screen == SCREEN_PORTFOLIOS || a->screen == SCREEN_PICK)
		ask_portfolios(a);
	if (a->screen == SCREEN_PORTFOLIO)
		ask_portfolio(a);
}

static void
hello_failed(struct app *a, const struct app_pending *p, const char *error,
    const char *message)
{
	if (strcmp(error, "not_found") == 0 && p->board &&
	    a->m->open != NULL) {
		app_fail(a, "The session %s is no longer on the server.",
		    a->m->open->code);
		model_close(a->m);
		a->screen = SCREEN_LIST;
		say_hello(a, 0);
		return;
	}
	if (strcmp(error, "unauthorized") == 0) {
		a->conn = CONN_REFUSED;
		app_fail(a, a->token == NULL ? "No facilitator token: set "
		    "ATELIER_TOKEN, or start atelier beside the server's "
		    "database (its .token file)." : "The server refused the "
		    "facilitator token: check ATELIER_TOKEN or the .token "
		    "file beside the database.");
		return;
	}
	app_fail(a, "Could not greet the server: %s", message);
}

/*
 * A reply that changed portfolio v (the request p): the model takes it,
 * the status line says what happened.  A portfolio created from the
 * picker then gets its session.  Returns 1 if it said something.
 */
static int
pf_changed(struct app *a, const struct app_pending *p, json_t *v)
{
	int64_t id = json_integer_value(json_object_get(v, "id"));
	struct tui_portfolio *pf;
	long i;

	model_put_portfolio(a->m, v);
	if ((pf = model_portfolio(a->m, id)) == NULL)
		return 0;
	switch (p->kind) {
	case REQ_PF_CREATE:
		if ((i = model_portfolio_index(a->m, id)) >= 0)
			a->pf_sel = (size_t)i;
		if (p->code[0] != '\0') {
			app_info(a, "Portfolio \"%s\" created; adding %s to "
			    "it...", pf->title, p->code);
			pf_add(a, id, p->code);
		} else
			app_info(a, "Portfolio created: \"%s\". + on a "
			    "session puts it in.", pf->title);
		return 1;
	case REQ_PF_ADD:
		app_info(a, "%s %s \"%s\" (%zu session%s).", p->code,
		    p->note ? "was already in" : "added to", pf->title,
		    pf->nsessions, pf->nsessions == 1 ? "" : "s");
		return 1;
	case REQ_PF_REMOVE:
		app_info(a, "%s removed from \"%s\" (the session stays).",
		    p->code, pf->title);
		return 1;
	}
	return 0;
}

static void
on_reply(struct app *a, json_t *f)
{
	json_t *re = json_object_get(f, "re");
	const char *error, *message;
	struct app_pending p;
	json_t *v;
	size_t i, n;
	int said = 0;

	for (i = 0; i < a->npending; i++)
		if (json_is_integer(re) &&
		    a->pending[i].rid == json_integer_value(re))
			break;
	if (i == a->npending) {
		if (!json_is_true(json_object_get(f, "ok")))
			app_fail(a, "The server says: %s", json_string_value(
			    json_object_get(f, "message")) != NULL ?
			    json_string_value(json_object_get(f, "message")) :
			    "an error");
		return;
	}
	p = a->pending[i];
	a->pending[i] = a->pending[--a->npending];
	if (p.kind == REQ_LAYOUT)
		a->layout_pending = 0;
	if (p.kind == REQ_RESYNC)
		a->resyncing = 0;
	if (p.kind == REQ_SUGGEST || p.kind == REQ_SUGGEST_GUIDED)
		a->draft_loading = 0;

	if (!json_is_true(json_object_get(f, "ok"))) {
		error = json_string_value(json_object_get(f, "error"));
		message = json_string_value(json_object_get(f, "message"));
		if (error == NULL)
			error = "internal";
		if (message == NULL || *message == '\0')
			message = error;
		if (p.kind == REQ_HELLO)
			hello_failed(a, &p, error, message);
		else
			app_fail(a, "Could not %s: %s [%s]", reqs[p.kind].what,
			    message, error);
		return;
	}

	switch (p.kind) {
	case REQ_HELLO:
		hello_ok(a, &p);
		break;
	case REQ_LIST:
		model_set_list(a->m, json_object_get(f, "sessions"));
		break;
	case REQ_CREATE:
	case REQ_OPEN:
		model_open(a->m, json_object_get(f, "session"));
		a->screen = SCREEN_HOME;
		a->home_from_pf = p.kind == REQ_OPEN && p.note;
		a->board_sel = 0;
		a->board_id = 0;
		if (p.kind == REQ_CREATE)
			app_info(a, "Session %s created: participants join "
			    "with this code.", a->m->open->code);
		/* a running timer: read the server's clock to count down */
		if (a->m->open->timer.state == TIMER_RUNNING)
			request(a, REQ_PING, json_object(), 0, 0);
		break;
	case REQ_RESYNC:
		model_open(a->m, json_object_get(f, "session"));
		break;
	case REQ_PING:
		clock_seen(a, json_object_get(f, "time"));
		break;
	case REQ_SUGGEST:
		if (p.board != a->board_id)
			break;
		draft_from_reply(a, p.board, f, 0);
		app_info(a, "%zu groups suggested: e rename, > move, "
		    "a apply.", a->ndraft - 1);
		break;
	case REQ_SUGGEST_GUIDED:
		if (p.board != a->board_id)
			break;
		draft_from_reply(a, p.board, f, 1);
		if (a->ndraft == 1)
			app_info(a, "No post-it to sort (hidden ones are "
			    "left out).");
		else if ((n = a->draft[a->ndraft - 1].nnotes) == 0)
			app_info(a, "Sorted into %zu theme%s: e rename, > move, "
			    "a apply.", a->ndraft - 1, a->ndraft == 2 ? "" :
			    "s");
		else
			app_info(a, "Sorted into %zu theme%s; %zu post-it%s "
			    "fit%s none (> moves %s).", a->ndraft - 1,
			    a->ndraft == 2 ? "" : "s", n, n == 1 ? "" : "s",
			    n == 1 ? "s" : "", n == 1 ? "it" : "them");
		break;
	case REQ_APPLY:
		model_put_board(a->m, json_object_get(f, "board"));
		draft_clear(a);
		if (a->screen == SCREEN_CLUSTER && a->board_id == p.board) {
			a->screen = SCREEN_WALL;
			a->wall_groups = 1;
		}
		break;
	case REQ_WALL_CREATE:
	case REQ_CLOUD_CREATE:
		v = json_object_get(f, "board");
		model_put_board(a->m, v);
		open_board(a, json_integer_value(json_object_get(v, "id")));
		break;
	case REQ_BOARD_GET:
		model_put_board(a->m, json_object_get(f, "board"));
		break;
	case REQ_LAYOUT:
		model_put_layout(a->m, p.board, json_object_get(f, "layout"));
		break;
	case REQ_ARCHIVE:
	case REQ_UNARCHIVE:
		if (a->screen == SCREEN_LIST)
			ask_list(a);
		break;
	case REQ_NOTE_ADD:
		/* the event came first: select the new note */
		v = json_object_get(json_object_get(f, "note"), "id");
		if (json_is_integer(v) && a->board_id == p.board)
			a->note_id = json_integer_value(v);
		break;
	case REQ_PF_LIST:
		model_set_portfolios(a->m, json_object_get(f, "portfolios"));
		break;
	case REQ_PF_GET:
		if (p.board == a->pf_id)
			model_open_portfolio(a->m, json_object_get(f,
			    "portfolio"));
		else
			model_put_portfolio(a->m, json_object_get(f,
			    "portfolio"));
		break;
	case REQ_PF_CREATE:
	case REQ_PF_RENAME:
	case REQ_PF_DESCRIPTION:
	case REQ_PF_ADD:
	case REQ_PF_REMOVE:
		said = pf_changed(a, &p, json_object_get(f, "portfolio"));
		break;
	}
	if (!said && reqs[p.kind].done != NULL)
		app_info(a, "%s", reqs[p.kind].done);
}

/* ---- events and frames ----------------------------------------------- */

static void
resync(struct app *a)
{
	if (a->resyncing || a->m->open == NULL)
		return;
	if (request(a, REQ_RESYNC, json_pack("{s:s}", "code",
	    a->m->open->code), 0, 0) == 0)
		a->resyncing = 1;
}

static void
on_event(struct app *a, json_t *ev)
{
	const char *name = json_string_value(json_object_get(ev, "ev"));
	struct tui_board *b;

	switch (model_apply_event(a->m, ev)) {
	case MODEL_GAP:
		resync(a);
		break;
	case MODEL_APPLIED:
		/* names are gone from the log: take the new snapshot */
		if (strcmp(name, "session.anonymized") == 0)
			resync(a);
		/* the facilitator re-reads a cloud to see unbanned entries */
		if (strcmp(name, "word.unbanned") == 0 &&
		    (b = app_board(a)) != NULL && is_cloud(b))
			request(a, REQ_BOARD_GET, json_pack("{s:I}", "board",
			    (json_int_t)b->id), b->id, 0);
		break;
	case MODEL_IGNORED:
		break;
	}
}

void
app_frame(struct app *a, const char *text, size_t len)
{
	json_error_t jerr;
	json_t *f = json_loadb(text, len, 0, &jerr);

	if (!json_is_object(f)) {
		app_fail(a, "The server sent something that is not a JSON "
		    "object.");
		json_decref(f);
		return;
	}
	if (json_is_string(json_object_get(f, "ev"))) {
		clock_seen(a, json_object_get(f, "time"));
		on_event(a, f);
	}
	else if (json_object_get(f, "re") != NULL)
		on_reply(a, f);
	json_decref(f);
	refresh(a);
}

/* ---- connection ------------------------------------------------------ */

void
app_connecting(struct app *a)
{
	a->conn = CONN_CONNECTING;
}

void
app_connected(struct app *a)
{
	pending_clear(a);
	a->conn = CONN_GREETING;
	say_hello(a, 1);
}

void
app_disconnected(struct app *a, const char *why, int retry_ms)
{
	size_t i, lost = 0;

	for (i = 0; i < a->npending; i++)
		if (reqs[a->pending[i].kind].done != NULL)
			lost++;
	if (lost > 0)
		app_fail(a, "The connection dropped before the server "
		    "answered: check that your last change is on screen once "
		    "reconnected.");
	pending_clear(a);
	a->conn = CONN_OFFLINE;
	free(a->conn_why);
	a->conn_why = xstrdup(why != NULL ? why : "connection closed");
	a->retry_at = a->now + retry_ms;
}

/* ---- life ------------------------------------------------------------ */

struct app *
app_new(const char *token, const char *server, int local,
    const char *cid_prefix, app_send_fn send, void *send_ctx)
{
	struct app *a = xcalloc(1, sizeof *a);

	a->m = model_new();
	a->token = token != NULL ? xstrdup(token) : NULL;
	a->server = xstrdup(server);
	a->local = local;
	a->cid_prefix = xstrdup(cid_prefix);
	a->send = send;
	a->send_ctx = send_ctx;
	a->cols = LAYOUT_MIN_COLS;
	a->rows = LAYOUT_MIN_ROWS;
	a->utf8 = 1;
	a->conn = CONN_CONNECTING;
	return a;
}

void
app_free(struct app *a)
{
	if (a == NULL)
		return;
	model_free(a->m);
	free(a->prompt.cps);
	free(a->confirm.text);
	free(a->merge_from);
	free(a->word_key);
	free(a->list_query);
	free(a->pick_title);
	free(a->pf_new_title);
	draft_clear(a);
	free(a->draft);
	themes_clear(a->themes, &a->nthemes);
	free(a->themes);
	themes_clear(a->typed, &a->ntyped);
	free(a->typed);
	free(a->server);
	free(a->token);
	free(a->conn_why);
	free(a->error);
	free(a->info);
	free(a->cid_prefix);
	free(a->pending);
	free(a);
}

void
app_resize(struct app *a, int cols, int rows)
{
	a->cols = cols;
	a->rows = rows;
	refresh(a);
	if (a->screen == SCREEN_CLOUD) {
		struct tui_board *b = app_board(a);

		if (b != NULL)
			b->layout_stale = 1;
		cloud_layout(a);
	}
}

void
app_tick(struct app *a, int64_t now)
{
	a->now = now;
	if (a->info != NULL && now - a->info_at > INFO_MS) {
		free(a->info);
		a->info = NULL;
	}
}

/* ---- the status and hint lines --------------------------------------- */

void
app_status(const struct app *a, char *left, size_t nleft, char *right,
    size_t nright, int *is_error)
{
	int64_t wait;

	switch (a->conn) {
	case CONN_ONLINE:
		snprintf(left, nleft, "online %s%s", a->server,
		    a->local ? " (local server)" : "");
		break;
	case CONN_CONNECTING:
		snprintf(left, nleft, "connecting to %s...", a->server);
		break;
	case CONN_GREETING:
		snprintf(left, nleft, "connected to %s, greeting...",
		    a->server);
		break;
	case CONN_REFUSED:
		snprintf(left, nleft, "token refused by %s", a->server);
		break;
	default:
		wait = (a->retry_at - a->now + 999) / 1000;
		if (wait > 0)
			snprintf(left, nleft, "offline (%s): retrying in "
			    "%lld s", a->conn_why ? a->conn_why : "no server",
			    (long long)wait);
		else
			snprintf(left, nleft, "offline (%s): retrying now",
			    a->conn_why ? a->conn_why : "no server");
		break;
	}
	*is_error = a->error != NULL;
	snprintf(right, nright, "%s", a->error != NULL ? a->error :
	    a->info != NULL ? a->info : "");
}

void
app_hints(const struct app *a, char *buf, size_t n)
{
	const struct app_binding *b;
	size_t i, nb, len = 0;
	int pass;

	buf[0] = '\0';
	if (a->prompt.kind != 0) {
		snprintf(buf, n, "Enter confirm  Esc cancel  "
		    "Left/Right move  Ctrl-U clear");
		return;
	}
	if (a->confirm.kind != 0) {
		snprintf(buf, n, "y yes  any other key: no");
		return;
	}
	for (pass = 0; pass < 2; pass++) {
		if (pass == 0)
			b = app_global_bindings(&nb);
		else
			b = app_bindings(a->screen, &nb);
		for (i = 0; i < nb; i++) {
			if (b[i].hint == NULL || len + 2 >= n)
				continue;
			len += (size_t)snprintf(buf + len, n - len, "%s%s",
			    len ? "  " : "", b[i].hint);
			if (len >= n)
				len = n - 1;
		}
	}
}
