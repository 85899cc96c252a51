/*
 * model.c - the console's data, changed by protocol replies and events
 * (see model.h): sessions, boards, notes, cloud entries, portfolios.
 * Every JSON field is read defensively: a missing or wrong-typed field
 * leaves a default, never a crash, and an event the console does not know
 * only moves seq on: a newer server stays usable.
 */
#include "model.h"
#include "common/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const color_names[NOTE_NCOLORS] = {
	"yellow", "pink", "blue", "green", "orange", "purple",
};

int
model_color_parse(const char *name)
{
	int i;

	for (i = 0; name != NULL && i < NOTE_NCOLORS; i++)
		if (strcmp(name, color_names[i]) == 0)
			return i;
	return NOTE_YELLOW;
}

const char *
model_color_name(int color)
{
	if (color < 0 || color >= NOTE_NCOLORS)
		return color_names[NOTE_YELLOW];
	return color_names[color];
}

/* ---- small JSON readers ---------------------------------------------- */

static int64_t
get_int(json_t *o, const char *key, int64_t dflt)
{
	json_t *v = json_object_get(o, key);

	return json_is_integer(v) ? json_integer_value(v) : dflt;
}

static double
get_num(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_number(v) ? json_number_value(v) : 0;
}

/* A copy of a string field, or NULL when absent or not a string. */
static char *
get_str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s != NULL ? xstrdup(s) : NULL;
}

/* Replace *dst with a copy of field key when the field is a string. */
static void
set_str(char **dst, json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	if (s != NULL) {
		free(*dst);
		*dst = xstrdup(s);
	}
}

/* ---- notes ----------------------------------------------------------- */

static void
note_clear(struct tui_note *n)
{
	free(n->author_name);
	free(n->text);
	memset(n, 0, sizeof *n);
}

/* Fill n from a NOTE object (n is empty). */
static void
note_from_json(struct tui_note *n, json_t *o)
{
	n->id = get_int(o, "id", 0);
	n->author = get_int(o, "author", 0);
	n->author_name = get_str(o, "author_name");
	n->text = get_str(o, "text");
	if (n->text == NULL)
		n->text = xstrdup("");
	n->color = model_color_parse(json_string_value(json_object_get(o,
	    "color")));
	n->x = get_num(o, "x");
	n->y = get_num(o, "y");
	n->votes = (int)get_int(o, "votes", 0);
	n->hidden = json_is_true(json_object_get(o, "hidden"));
	n->created = get_int(o, "created", 0);
}

struct tui_note *
model_note(const struct tui_board *b, int64_t id)
{
	size_t i;

	for (i = 0; b != NULL && i < b->nnotes; i++)
		if (b->notes[i].id == id)
			return &b->notes[i];
	return NULL;
}

/* Add a note, or replace the one with the same id. */
static void
board_put_note(struct tui_board *b, json_t *o)
{
	struct tui_note *n;

	if (!json_is_object(o) || get_int(o, "id", 0) == 0)
		return;
	if ((n = model_note(b, get_int(o, "id", 0))) != NULL)
		note_clear(n);
	else {
		xgrow((void **)&b->notes, &b->capnotes, b->nnotes + 1,
		    sizeof *b->notes);
		n = &b->notes[b->nnotes++];
	}
	note_from_json(n, o);
}

static void
board_del_note(struct tui_board *b, int64_t id)
{
	struct tui_note *n = model_note(b, id);
	size_t i;

	if (n == NULL)
		return;
	i = (size_t)(n - b->notes);
	note_clear(n);
	memmove(&b->notes[i], &b->notes[i + 1],
	    (b->nnotes - i - 1) * sizeof *b->notes);
	b->nnotes--;
}

/* ---- word-cloud entries ---------------------------------------------- */

static void
word_clear(struct tui_word *w)
{
	free(w->key);
	free(w->text);
	free(w->forms);
	memset(w, 0, sizeof *w);
}

/* "déchets 3, les déchets 1" from the facilitator's "forms", or NULL. */
static char *
forms_summary(json_t *forms)
{
	char *out = NULL, num[24];
	size_t len = 0, cap = 0, n;
	const char *text;
	json_t *f;
	size_t i;

	json_array_foreach(forms, i, f) {
		if ((text = json_string_value(json_object_get(f, "text"))) ==
		    NULL)
			continue;
		snprintf(num, sizeof num, " %lld",
		    (long long)get_int(f, "count", 0));
		n = strlen(text) + strlen(num) + 3;
		xgrow((void **)&out, &cap, len + n, 1);
		len += (size_t)snprintf(out + len, cap - len, "%s%s%s",
		    len ? ", " : "", text, num);
	}
	return out;
}

static void
cells_clear(struct tui_board *b)
{
	size_t i;

	for (i = 0; i < b->ncells; i++) {
		free(b->cells[i].key);
		free(b->cells[i].text);
	}
	free(b->cells);
	b->cells = NULL;
	b->ncells = 0;
}

struct tui_word *
model_word(const struct tui_board *b, const char *key)
{
	size_t i;

	for (i = 0; b != NULL && key != NULL && i < b->nwords; i++)
		if (strcmp(b->words[i].key, key) == 0)
			return &b->words[i];
	return NULL;
}

/* Largest count first; a stable insertion sort keeps earlier ties first. */
static void
words_sort(struct tui_board *b)
{
	size_t i, j;

	for (i = 1; i < b->nwords; i++) {
		struct tui_word w = b->words[i];

		for (j = i; j > 0 && b->words[j - 1].count < w.count; j--)
			b->words[j] = b->words[j - 1];
		b->words[j] = w;
	}
}

/* Add an ENTRY, or replace the one with the same key. */
static void
board_put_word(struct tui_board *b, json_t *o)
{
	const char *key = json_string_value(json_object_get(o, "key"));
	struct tui_word *w;

	if (key == NULL)
		return;
	if ((w = model_word(b, key)) != NULL)
		word_clear(w);
	else {
		xgrow((void **)&b->words, &b->capwords, b->nwords + 1,
		    sizeof *b->words);
		w = &b->words[b->nwords++];
	}
	w->key = xstrdup(key);
	w->text = get_str(o, "text");
	if (w->text == NULL)
		w->text = xstrdup(key);
	w->count = (int)get_int(o, "count", 0);
	w->hidden = json_is_true(json_object_get(o, "hidden"));
	w->banned = json_is_true(json_object_get(o, "banned"));
	w->forms = forms_summary(json_object_get(o, "forms"));
	words_sort(b);
}

static void
board_del_word(struct tui_board *b, const char *key)
{
	struct tui_word *w = model_word(b, key);
	size_t i;

	if (w == NULL)
		return;
	i = (size_t)(w - b->words);
	word_clear(w);
	memmove(&b->words[i], &b->words[i + 1],
	    (b->nwords - i - 1) * sizeof *b->words);
	b->nwords--;
}

static void
words_clear(struct tui_board *b)
{
	size_t i;

	for (i = 0; i < b->nwords; i++)
		word_clear(&b->words[i]);
	b->nwords = 0;
}

/* ---- groups (clustering applied to a wall) --------------------------- */

static void
group_clear(struct tui_group *g)
{
	free(g->label);
	free(g->notes);
	memset(g, 0, sizeof *g);
}

static void
groups_clear(struct tui_board *b)
{
	size_t i;

	for (i = 0; i < b->ngroups; i++)
		group_clear(&b->groups[i]);
	b->ngroups = 0;
}

struct tui_group *
model_group(const struct tui_board *b, int64_t id)
{
	size_t i;

	for (i = 0; b != NULL && i < b->ngroups; i++)
		if (b->groups[i].id == id)
			return &b->groups[i];
	return NULL;
}

long
model_note_group(const struct tui_board *b, int64_t note)
{
	size_t i, k;

	for (i = 0; b != NULL && i < b->ngroups; i++)
		for (k = 0; k < b->groups[i].nnotes; k++)
			if (b->groups[i].notes[k] == note)
				return (long)i;
	return -1;
}

static void
group_add_note(struct tui_group *g, int64_t note)
{
	xgrow((void **)&g->notes, &g->capnotes, g->nnotes + 1,
	    sizeof *g->notes);
	g->notes[g->nnotes++] = note;
}

/* Take note out of whichever group holds it. */
static void
groups_drop_note(struct tui_board *b, int64_t note)
{
	size_t i, k;

	for (i = 0; i < b->ngroups; i++)
		for (k = 0; k < b->groups[i].nnotes; k++)
			if (b->groups[i].notes[k] == note) {
				memmove(&b->groups[i].notes[k],
				    &b->groups[i].notes[k + 1],
				    (b->groups[i].nnotes - k - 1) *
				    sizeof(int64_t));
				b->groups[i].nnotes--;
				return;
			}
}

/* Append a group from {"id","label","notes"}; ignored without an id. */
static void
board_put_group(struct tui_board *b, json_t *o)
{
	struct tui_group *g;
	json_t *v;
	size_t i;

	if (!json_is_object(o) || get_int(o, "id", 0) == 0)
		return;
	xgrow((void **)&b->groups, &b->capgroups, b->ngroups + 1,
	    sizeof *b->groups);
	g = &b->groups[b->ngroups++];
	memset(g, 0, sizeof *g);
	g->id = get_int(o, "id", 0);
	g->label = get_str(o, "label");
	if (g->label == NULL)
		g->label = xstrdup("");
	json_array_foreach(json_object_get(o, "notes"), i, v)
		if (json_is_integer(v))
			group_add_note(g, json_integer_value(v));
}

static void
board_set_groups(struct tui_board *b, json_t *groups)
{
	json_t *v;
	size_t i;

	groups_clear(b);
	json_array_foreach(groups, i, v)
		board_put_group(b, v);
}

/* Apply a cluster.* event to board b. */
static void
board_cluster_event(struct tui_board *b, const char *name, json_t *ev)
{
	struct tui_group *g, *into;
	size_t i;
	json_t *v, *id;

	if (strcmp(name, "cluster.applied") == 0)
		board_set_groups(b, json_object_get(ev, "clusters"));
	else if (strcmp(name, "cluster.renamed") == 0) {
		if ((g = model_group(b, get_int(ev, "cluster", 0))) != NULL)
			set_str(&g->label, ev, "label");
	} else if (strcmp(name, "cluster.moved") == 0) {
		groups_drop_note(b, get_int(ev, "note", 0));
		if ((g = model_group(b, get_int(ev, "cluster", 0))) != NULL)
			group_add_note(g, get_int(ev, "note", 0));
	} else if (strcmp(name, "cluster.merged") == 0) {
		g = model_group(b, get_int(ev, "from", 0));
		into = model_group(b, get_int(ev, "into", 0));
		if (g == NULL || into == NULL || g == into)
			return;
		for (i = 0; i < g->nnotes; i++)
			group_add_note(into, g->notes[i]);
		i = (size_t)(g - b->groups);
		group_clear(g);
		memmove(&b->groups[i], &b->groups[i + 1],
		    (b->ngroups - i - 1) * sizeof *b->groups);
		b->ngroups--;
	} else if (strcmp(name, "cluster.split") == 0) {
		v = json_object_get(ev, "new");
		json_array_foreach(json_object_get(v, "notes"), i, id)
			if (json_is_integer(id))
				groups_drop_note(b, json_integer_value(id));
		board_put_group(b, v);
	}
}

/* ---- boards ---------------------------------------------------------- */

static void
board_clear(struct tui_board *b)
{
	size_t i;

	free(b->kind);
	free(b->title);
	free(b->prompt);
	for (i = 0; i < b->nnotes; i++)
		note_clear(&b->notes[i]);
	free(b->notes);
	words_clear(b);
	free(b->words);
	cells_clear(b);
	groups_clear(b);
	free(b->groups);
	memset(b, 0, sizeof *b);
}

/*
 * Fill b from a BOARD object: the fields present replace the old ones;
 * "notes" and "words", when present, replace the lists.
 */
static void
board_update(struct tui_board *b, json_t *o)
{
	json_t *notes = json_object_get(o, "notes");
	json_t *words = json_object_get(o, "words");
	json_t *groups = json_object_get(o, "clusters");
	json_t *v;
	size_t i;

	b->id = get_int(o, "id", b->id);
	set_str(&b->kind, o, "kind");
	if (b->kind == NULL)
		b->kind = xstrdup("wall");
	set_str(&b->title, o, "title");
	if (b->title == NULL)
		b->title = xstrdup("");
	if (json_object_get(o, "prompt") != NULL) {
		free(b->prompt);
		b->prompt = get_str(o, "prompt");
	}
	if (json_is_boolean(json_object_get(o, "locked")))
		b->locked = json_is_true(json_object_get(o, "locked"));
	b->vote_limit = (int)get_int(o, "vote_limit", b->vote_limit);
	b->word_quota = (int)get_int(o, "word_quota", b->word_quota);
	if (json_is_array(notes)) {
		for (i = 0; i < b->nnotes; i++)
			note_clear(&b->notes[i]);
		b->nnotes = 0;
		json_array_foreach(notes, i, v)
			board_put_note(b, v);
	}
	if (json_is_array(words)) {
		words_clear(b);
		json_array_foreach(words, i, v)
			board_put_word(b, v);
		b->words_loaded = 1;
		b->layout_stale = 1;
	}
	if (json_is_array(groups))
		board_set_groups(b, groups);
}

long
model_board_index(const struct model *m, int64_t id)
{
	size_t i;

	for (i = 0; m->open != NULL && i < m->open->nboards; i++)
		if (m->open->boards[i].id == id)
			return (long)i;
	return -1;
}

struct tui_board *
model_board(const struct model *m, int64_t id)
{
	long i = model_board_index(m, id);

	return i < 0 ? NULL : &m->open->boards[i];
}

static void
session_put_board(struct tui_session *s, json_t *o)
{
	int64_t id = get_int(o, "id", 0);
	struct tui_board *b = NULL;
	size_t i;

	if (id == 0)
		return;
	for (i = 0; i < s->nboards; i++)
		if (s->boards[i].id == id)
			b = &s->boards[i];
	if (b == NULL) {
		xgrow((void **)&s->boards, &s->capboards, s->nboards + 1,
		    sizeof *s->boards);
		b = &s->boards[s->nboards++];
		memset(b, 0, sizeof *b);
	}
	board_update(b, o);
}

void
model_put_board(struct model *m, json_t *board)
{
	if (m->open != NULL && json_is_object(board))
		session_put_board(m->open, board);
}

void
model_put_layout(struct model *m, int64_t board, json_t *layout)
{
	struct tui_board *b = model_board(m, board);
	json_t *words = json_object_get(layout, "words"), *v;
	size_t i, n = 0;

	if (b == NULL)
		return;
	cells_clear(b);
	if (!json_is_array(words))
		return;
	b->cells = xcalloc(json_array_size(words) + 1, sizeof *b->cells);
	json_array_foreach(words, i, v) {
		struct tui_cell *c = &b->cells[n];

		if ((c->key = get_str(v, "key")) == NULL)
			continue;
		c->text = get_str(v, "text");
		if (c->text == NULL)
			c->text = xstrdup(c->key);
		c->count = (int)get_int(v, "count", 0);
		c->x = (int)get_int(v, "x", 0);
		c->y = (int)get_int(v, "y", 0);
		c->w = (int)get_int(v, "w", 0);
		c->h = (int)get_int(v, "h", 1);
		c->size = (int)get_int(v, "size", 1);
		n++;
	}
	b->ncells = n;
	b->layout_stale = 0;
}

/* ---- the timer ------------------------------------------------------- */

static void
timer_clear(struct tui_timer *t)
{
	free(t->label);
	memset(t, 0, sizeof *t);
}

/* Fill t from a TIMER object, or clear it (null, absent). */
static void
timer_from_json(struct tui_timer *t, json_t *o)
{
	const char *state = json_string_value(json_object_get(o, "state"));

	timer_clear(t);
	if (state == NULL)
		return;
	t->state = strcmp(state, "paused") == 0 ? TIMER_PAUSED :
	    TIMER_RUNNING;
	t->ends = get_int(o, "ends", 0);
	t->left = get_int(o, "left", 0);
	t->seconds = (int)get_int(o, "seconds", 0);
	t->label = get_str(o, "label");
}

int64_t
model_timer_left(const struct tui_timer *t, int64_t server_now)
{
	int64_t left;

	switch (t->state) {
	case TIMER_RUNNING:
		left = t->ends - server_now;
		break;
	case TIMER_PAUSED:
		left = t->left;
		break;
	default:
		return 0;
	}
	return left > 0 ? left : 0;
}

/* Apply a timer.* event. */
static void
timer_event(struct tui_timer *t, const char *name, json_t *ev)
{
	if (strcmp(name, "timer.started") == 0) {
		timer_clear(t);
		t->state = TIMER_RUNNING;
		t->seconds = (int)get_int(ev, "seconds", 0);
		t->ends = get_int(ev, "ends", 0);
		t->label = get_str(ev, "label");
	} else if (strcmp(name, "timer.paused") == 0) {
		t->state = TIMER_PAUSED;
		t->left = get_int(ev, "left", 0);
	} else if (strcmp(name, "timer.resumed") == 0) {
		t->state = TIMER_RUNNING;
		t->ends = get_int(ev, "ends", 0);
	} else if (strcmp(name, "timer.stopped") == 0)
		timer_clear(t);
}

/*
 * A description or retrospective field of a session or session.updated:
 * absent leaves *dst, a non-empty string replaces it, null or "" clears.
 */
static void
set_opt_text(char **dst, json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	if (v == NULL)
		return;
	free(*dst);
	*dst = json_is_string(v) && *json_string_value(v) != '\0' ?
	    xstrdup(json_string_value(v)) : NULL;
}

/* ---- sessions -------------------------------------------------------- */

static void
session_clear(struct tui_session *s)
{
	size_t i;

	free(s->title);
	free(s->description);
	free(s->retrospective);
	timer_clear(&s->timer);
	free(s->join_url);
	for (i = 0; i < s->nboards; i++)
		board_clear(&s->boards[i]);
	free(s->boards);
	for (i = 0; i < s->nbanned; i++)
		word_clear(&s->banned[i]);
	free(s->banned);
	memset(s, 0, sizeof *s);
}

/* Add key (text) to the session's banned words, or drop it (text NULL). */
static void
session_banned(struct tui_session *s, const char *key, const char *text,
    int add)
{
	size_t i;

	if (key == NULL)
		return;
	for (i = 0; i < s->nbanned; i++)
		if (strcmp(s->banned[i].key, key) == 0)
			break;
	if (!add) {
		if (i < s->nbanned) {
			word_clear(&s->banned[i]);
			s->banned[i] = s->banned[--s->nbanned];
		}
		return;
	}
	if (i == s->nbanned) {
		xgrow((void **)&s->banned, &s->capbanned, s->nbanned + 1,
		    sizeof *s->banned);
		memset(&s->banned[i], 0, sizeof *s->banned);
		s->banned[i].key = xstrdup(key);
		s->banned[i].banned = 1;
		s->nbanned++;
	}
	if (text != NULL) {
		free(s->banned[i].text);
		s->banned[i].text = xstrdup(text);
	} else if (s->banned[i].text == NULL)
		s->banned[i].text = xstrdup(key);
}

/* Fill s (empty) from a SESSION object. */
static void
session_from_json(struct tui_session *s, json_t *o)
{
	const char *code = json_string_value(json_object_get(o, "code"));
	json_t *boards = json_object_get(o, "boards"), *v;
	size_t i;

	snprintf(s->code, sizeof s->code, "%s", code ? code : "");
	s->title = get_str(o, "title");
	if (s->title == NULL)
		s->title = xstrdup("");
	s->created = get_int(o, "created", 0);
	s->closed = get_int(o, "closed", 0);
	s->archived = get_int(o, "archived", 0);
	s->seq = get_int(o, "seq", 0);
	s->join_url = get_str(o, "join_url");
	if (s->join_url == NULL)
		s->join_url = xstrdup("");
	s->participants = (int)get_int(o, "participants", 0);
	set_opt_text(&s->description, o, "description");
	set_opt_text(&s->retrospective, o, "retrospective");
	timer_from_json(&s->timer, json_object_get(o, "timer"));
	s->focus = get_int(o, "focus", 0);
	json_array_foreach(boards, i, v)
		session_put_board(s, v);
	json_array_foreach(json_object_get(o, "banned"), i, v)
		session_banned(s, json_string_value(json_object_get(v, "key")),
		    json_string_value(json_object_get(v, "text")), 1);
}

struct model *
model_new(void)
{
	return xcalloc(1, sizeof(struct model));
}

static void
list_clear(struct model *m)
{
	size_t i;

	for (i = 0; i < m->nlist; i++)
		session_clear(&m->list[i]);
	m->nlist = 0;
}

static void portfolios_clear(struct model *m);

void
model_free(struct model *m)
{
	if (m == NULL)
		return;
	list_clear(m);
	free(m->list);
	model_close(m);
	portfolios_clear(m);
	free(m->portfolios);
	model_close_portfolio(m);
	free(m);
}

void
model_set_list(struct model *m, json_t *sessions)
{
	json_t *v;
	size_t i;

	list_clear(m);
	json_array_foreach(sessions, i, v) {
		if (!json_is_object(v))
			continue;
		xgrow((void **)&m->list, &m->caplist, m->nlist + 1,
		    sizeof *m->list);
		memset(&m->list[m->nlist], 0, sizeof *m->list);
		session_from_json(&m->list[m->nlist++], v);
	}
}

void
model_open(struct model *m, json_t *session)
{
	model_close(m);
	m->open = xcalloc(1, sizeof *m->open);
	session_from_json(m->open, session);
}

void
model_close(struct model *m)
{
	if (m->open != NULL) {
		session_clear(m->open);
		free(m->open);
		m->open = NULL;
	}
}

/* ---- portfolios ------------------------------------------------------ */

static void
portfolio_clear(struct tui_portfolio *p)
{
	size_t i;

	free(p->title);
	free(p->description);
	for (i = 0; i < p->nsessions; i++)
		session_clear(&p->sessions[i]);
	free(p->sessions);
	memset(p, 0, sizeof *p);
}

/*
 * Fill p (empty) from a PORTFOLIO object: its "sessions" are session
 * objects (portfolio.get and the replies that change one) or codes
 * (portfolio.list).
 */
static void
portfolio_from_json(struct tui_portfolio *p, json_t *o)
{
	struct tui_session *s;
	json_t *v;
	size_t i;

	p->id = get_int(o, "id", 0);
	p->title = get_str(o, "title");
	if (p->title == NULL)
		p->title = xstrdup("");
	set_opt_text(&p->description, o, "description");
	p->created = get_int(o, "created", 0);
	json_array_foreach(json_object_get(o, "sessions"), i, v) {
		if (!json_is_object(v) && !json_is_string(v))
			continue;
		xgrow((void **)&p->sessions, &p->capsessions,
		    p->nsessions + 1, sizeof *p->sessions);
		s = &p->sessions[p->nsessions++];
		memset(s, 0, sizeof *s);
		if (json_is_object(v))
			session_from_json(s, v);
		else {
			snprintf(s->code, sizeof s->code, "%s",
			    json_string_value(v));
			s->title = xstrdup("");
			s->join_url = xstrdup("");
		}
	}
}

static void
portfolios_clear(struct model *m)
{
	size_t i;

	for (i = 0; i < m->nportfolios; i++)
		portfolio_clear(&m->portfolios[i]);
	m->nportfolios = 0;
}

void
model_set_portfolios(struct model *m, json_t *portfolios)
{
	json_t *v;
	size_t i;

	portfolios_clear(m);
	m->portfolios_loaded = 1;
	json_array_foreach(portfolios, i, v) {
		if (!json_is_object(v) || get_int(v, "id", 0) == 0)
			continue;
		xgrow((void **)&m->portfolios, &m->capportfolios,
		    m->nportfolios + 1, sizeof *m->portfolios);
		memset(&m->portfolios[m->nportfolios], 0,
		    sizeof *m->portfolios);
		portfolio_from_json(&m->portfolios[m->nportfolios++], v);
	}
}

long
model_portfolio_index(const struct model *m, int64_t id)
{
	size_t i;

	for (i = 0; i < m->nportfolios; i++)
		if (m->portfolios[i].id == id)
			return (long)i;
	return -1;
}

struct tui_portfolio *
model_portfolio(const struct model *m, int64_t id)
{
	long i = model_portfolio_index(m, id);

	return i < 0 ? NULL : &m->portfolios[i];
}

int
model_portfolio_has(const struct tui_portfolio *p, const char *code)
{
	size_t i;

	for (i = 0; p != NULL && code != NULL && i < p->nsessions; i++)
		if (strcmp(p->sessions[i].code, code) == 0)
			return 1;
	return 0;
}

void
model_put_portfolio(struct model *m, json_t *portfolio)
{
	struct tui_portfolio *p;
	int64_t id = get_int(portfolio, "id", 0);

	if (!json_is_object(portfolio) || id == 0)
		return;
	if ((p = model_portfolio(m, id)) != NULL)
		portfolio_clear(p);
	else {
		/* the newest: first */
		xgrow((void **)&m->portfolios, &m->capportfolios,
		    m->nportfolios + 1, sizeof *m->portfolios);
		memmove(&m->portfolios[1], &m->portfolios[0],
		    m->nportfolios * sizeof *m->portfolios);
		m->nportfolios++;
		p = &m->portfolios[0];
		memset(p, 0, sizeof *p);
	}
	portfolio_from_json(p, portfolio);
	if (m->portfolio != NULL && m->portfolio->id == id) {
		portfolio_clear(m->portfolio);
		portfolio_from_json(m->portfolio, portfolio);
	}
}

void
model_open_portfolio(struct model *m, json_t *portfolio)
{
	if (!json_is_object(portfolio) || get_int(portfolio, "id", 0) == 0)
		return;
	model_put_portfolio(m, portfolio);
	model_close_portfolio(m);
	m->portfolio = xcalloc(1, sizeof *m->portfolio);
	portfolio_from_json(m->portfolio, portfolio);
}

void
model_close_portfolio(struct model *m)
{
	if (m->portfolio != NULL) {
		portfolio_clear(m->portfolio);
		free(m->portfolio);
		m->portfolio = NULL;
	}
}

/* ---- events ---------------------------------------------------------- */

static struct tui_session *
list_find(struct model *m, const char *code)
{
	size_t i;

	for (i = 0; i < m->nlist; i++)
		if (strcmp(m->list[i].code, code) == 0)
			return &m->list[i];
	return NULL;
}

/* Mark (or unmark) the entries of key banned on every cloud board. */
static void
session_ban(struct tui_session *s, const char *key, int banned)
{
	size_t i;
	struct tui_word *w;

	for (i = 0; key != NULL && i < s->nboards; i++)
		if ((w = model_word(&s->boards[i], key)) != NULL) {
			w->banned = banned;
			s->boards[i].layout_stale = 1;
		}
}

/* Apply an event known to be the next one of the open session. */
static void
apply(struct tui_session *s, const char *name, json_t *ev)
{
	json_t *noteo = json_object_get(ev, "note");
	int64_t bid = get_int(ev, "board", 0);
	struct tui_board *b = NULL;
	struct tui_note *n;
	struct tui_word *w;
	size_t i;

	for (i = 0; i < s->nboards; i++)
		if (s->boards[i].id == bid)
			b = &s->boards[i];

	if (strcmp(name, "session.created") == 0 ||
	    strcmp(name, "session.updated") == 0) {
		set_str(&s->title, ev, "title");
		s->created = get_int(ev, "created", s->created);
		set_opt_text(&s->description, ev, "description");
		set_opt_text(&s->retrospective, ev, "retrospective");
	} else if (strncmp(name, "timer.", 6) == 0)
		timer_event(&s->timer, name, ev);
	else if (strcmp(name, "session.closed") == 0)
		s->closed = get_int(ev, "time", 1);
	else if (strcmp(name, "session.focused") == 0)
		s->focus = get_int(ev, "board", 0);	/* null: 0 */
	else if (strcmp(name, "session.reopened") == 0)
		s->closed = 0;
	else if (strcmp(name, "session.archived") == 0)
		s->archived = get_int(ev, "time", 1);
	else if (strcmp(name, "session.unarchived") == 0)
		s->archived = 0;
	else if (strcmp(name, "participant.joined") == 0)
		s->participants = (int)get_int(ev, "participants",
		    s->participants + 1);
	else if (strcmp(name, "board.created") == 0)
		session_put_board(s, json_object_get(ev, "board"));
	else if (b == NULL)
		return;		/* every other event names a board */
	else if (strcmp(name, "board.locked") == 0)
		b->locked = 1;
	else if (strcmp(name, "board.unlocked") == 0)
		b->locked = 0;
	else if (strcmp(name, "note.added") == 0 ||
	    strcmp(name, "note.updated") == 0 ||
	    strcmp(name, "note.shown") == 0)
		board_put_note(b, noteo);
	else if (strcmp(name, "note.deleted") == 0) {
		board_del_note(b, get_int(ev, "note", 0));
		groups_drop_note(b, get_int(ev, "note", 0));
	} else if (strncmp(name, "cluster.", 8) == 0)
		board_cluster_event(b, name, ev);
	else if (strcmp(name, "note.voted") == 0 ||
	    strcmp(name, "note.unvoted") == 0) {
		if ((n = model_note(b, get_int(ev, "note", 0))) != NULL)
			n->votes = (int)get_int(ev, "votes", n->votes);
	} else if (strcmp(name, "note.hidden") == 0) {
		if ((n = model_note(b, get_int(ev, "note", 0))) != NULL)
			n->hidden = 1;
	} else if (strcmp(name, "word.added") == 0 ||
	    strcmp(name, "word.shown") == 0) {
		board_put_word(b, json_object_get(ev, "word"));
		b->layout_stale = 1;
	} else if (strcmp(name, "word.hidden") == 0) {
		w = model_word(b, json_string_value(json_object_get(ev, "key")));
		if (w != NULL)
			w->hidden = 1;
		b->layout_stale = 1;
	} else if (strcmp(name, "word.merged") == 0) {
		board_del_word(b, json_string_value(json_object_get(ev,
		    "from")));
		board_put_word(b, json_object_get(ev, "word"));
		b->layout_stale = 1;
	} else if (strcmp(name, "board.reset") == 0) {
		words_clear(b);
		for (i = 0; i < b->nnotes; i++)
			note_clear(&b->notes[i]);
		b->nnotes = 0;
		b->layout_stale = 1;
	}
}

/* A participant's or viewer's coalesced word additions (PROTOCOL.md). */
static void
cloud_updated(struct tui_session *s, json_t *ev)
{
	json_t *u, *w;
	size_t i, j, k;

	json_array_foreach(json_object_get(ev, "boards"), i, u) {
		for (k = 0; k < s->nboards; k++) {
			if (s->boards[k].id != get_int(u, "board", 0))
				continue;
			json_array_foreach(json_object_get(u, "words"), j, w)
				board_put_word(&s->boards[k], w);
			s->boards[k].layout_stale = 1;
		}
	}
}

enum model_applied
model_apply_event(struct model *m, json_t *ev)
{
	const char *name = json_string_value(json_object_get(ev, "ev"));
	const char *code = json_string_value(json_object_get(ev, "session"));
	int64_t seq = get_int(ev, "seq", 0);
	struct tui_session *s;

	if (name == NULL || code == NULL)
		return MODEL_IGNORED;
	if (strcmp(name, "participant.joined") == 0 &&
	    (s = list_find(m, code)) != NULL)
		s->participants = (int)get_int(ev, "participants",
		    s->participants);
	if (m->open == NULL || strcmp(m->open->code, code) != 0)
		return MODEL_IGNORED;
	s = m->open;
	if (seq <= s->seq)
		return MODEL_IGNORED;
	if (strcmp(name, "cloud.updated") == 0) {
		/* it stands for the events first..seq */
		if (get_int(ev, "first", seq) > s->seq + 1)
			return MODEL_GAP;
		cloud_updated(s, ev);
		s->seq = seq;
		return MODEL_APPLIED;
	}
	if (seq != s->seq + 1)
		return MODEL_GAP;
	/* word.banned and word.unbanned name no board */
	if (strcmp(name, "word.banned") == 0) {
		session_ban(s, json_string_value(json_object_get(ev, "key")),
		    1);
		session_banned(s, json_string_value(json_object_get(ev, "key")),
		    json_string_value(json_object_get(ev, "text")), 1);
	} else if (strcmp(name, "word.unbanned") == 0) {
		session_ban(s, json_string_value(json_object_get(ev, "key")),
		    0);
		session_banned(s, json_string_value(json_object_get(ev, "key")),
		    NULL, 0);
	}
	else
		apply(s, name, ev);
	s->seq = seq;
	return MODEL_APPLIED;
}
