/*
 * core.c - sessions, participants, boards, notes and votes (see core.h).
 *
 * State changes only in the apply_*() functions, one per event name, which
 * serve both live requests (through core_emit()) and the replay of the log.  The
 * request handlers (core_*) only read the state, check, and emit.
 */
#include "core.h"
#include "core-internal.h"
#include "map.h"
#include "text.h"
#include "util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char core_code_alphabet[] = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

const char *const core_colors[] = {
	"yellow", "pink", "blue", "green", "orange", "purple",
};

/* ---- errors ---------------------------------------------------------- */

static const char *const err_codes[] = {
	"",
#define ERR(code, ident) code,
#include "../proto/protocol.def"
#undef ERR
};

const char *
core_err_code(int err)
{
	if (err < 0)
		err = -err;
	if (err <= 0 || err >= ERR_COUNT)
		return "internal";
	return err_codes[err];
}

int
core_fail(struct core *c, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->errmsg, sizeof c->errmsg, fmt, ap);
	va_end(ap);
	return -err;
}

const char *
core_errmsg(const struct core *c)
{
	return c->errmsg;
}

/* ---- life ------------------------------------------------------------ */

struct core *
core_new(const char *public_url, core_random_fn rnd)
{
	struct core *c = xcalloc(1, sizeof *c);

	c->public_url = xstrdup(public_url ? public_url : "");
	c->rnd = rnd;
	map_init_str(&c->sessions);
	map_init_int(&c->boards);
	map_init_int(&c->notes);
	map_init_int(&c->participants);
	map_init_str(&c->secrets);
	map_init_int(&c->portfolios);
	c->outbox = json_array();
	return c;
}

static void
note_free(struct note *n)
{
	free(n->text);
	free(n->by);
	free(n);
}

static void
board_free(struct board *b)
{
	size_t i;

	for (i = 0; i < b->nnotes; i++)
		note_free(b->notes[i]);
	free(b->notes);
	core_cloud_board_free(b);
	core_cluster_board_free(b);
	free(b->kind);
	free(b->title);
	free(b->prompt);
	free(b);
}

void
core_free(struct core *c)
{
	size_t i, j;

	if (c == NULL)
		return;
	for (i = 0; i < c->nsessions; i++) {
		struct session *s = c->order[i];

		for (j = 0; j < s->nboards; j++)
			board_free(s->boards[j]);
		free(s->boards);
		free(s->title);
		free(s->description);
		free(s->retrospective);
		free(s->timer_label);
		core_cloud_session_free(s);
		map_free(&s->cids);
		free(s);
	}
	for (i = 0; i < c->participants.cap; i++) {
		struct map_slot *sl = &c->participants.slots[i];

		if (sl->hash > 1) {
			struct participant *p = sl->value;
			free(p->name);
			free(p);
		}
	}
	core_portfolios_free(c);
	core_cloud_free(c);
	free(c->order);
	map_free(&c->sessions);
	map_free(&c->boards);
	map_free(&c->notes);
	map_free(&c->participants);
	map_free(&c->secrets);
	json_decref(c->outbox);
	free(c->public_url);
	free(c);
}

void
core_set_time(struct core *c, int64_t now_ms)
{
	c->now = now_ms;
}

json_t *
core_take_events(struct core *c)
{
	json_t *out = c->outbox;

	c->outbox = json_array();
	return out;
}

/* ---- lookups ---------------------------------------------------------- */

struct session *
core_session_get(const struct core *c, const char *code)
{
	return code ? map_get_str(&c->sessions, code) : NULL;
}

struct participant *
core_participant_get(const struct core *c, int64_t pid)
{
	return map_get_int(&c->participants, pid);
}

int
core_session_exists(const struct core *c, const char *code)
{
	return core_session_get(c, code) != NULL;
}

size_t
core_session_count(const struct core *c)
{
	return c->nsessions;
}

int64_t
core_session_seq(const struct core *c, const char *code)
{
	struct session *s = core_session_get(c, code);
	return s ? s->seq : 0;
}

const char *
core_board_session(const struct core *c, int64_t board)
{
	struct board *b = map_get_int(&c->boards, board);
	return b ? b->session->code : NULL;
}

const char *
core_participant_session(const struct core *c, int64_t pid)
{
	struct participant *p = core_participant_get(c, pid);
	return p ? p->session->code : NULL;
}

const char *
core_participant_secret(const struct core *c, int64_t pid)
{
	struct participant *p = core_participant_get(c, pid);
	return p ? p->secret : NULL;
}

static int
votes_used(const struct board *b, int64_t pid)
{
	size_t i, j;
	int used = 0;

	for (i = 0; i < b->nnotes; i++) {
		struct note *n = b->notes[i];

		if (n->deleted)
			continue;
		for (j = 0; j < n->nby; j++)
			if (n->by[j].pid == pid)
				used += n->by[j].count;
	}
	return used;
}

static struct vote *
vote_of(struct note *n, int64_t pid, int create)
{
	size_t i;

	for (i = 0; i < n->nby; i++)
		if (n->by[i].pid == pid)
			return &n->by[i];
	if (!create)
		return NULL;
	xgrow((void **)&n->by, &n->capby, n->nby + 1, sizeof *n->by);
	n->by[n->nby].pid = pid;
	n->by[n->nby].count = 0;
	return &n->by[n->nby++];
}

/* ---- JSON views -------------------------------------------------------- */

json_t *
core_json_str(const char *s)
{
	return s ? json_string(s) : json_null();
}

json_t *
core_note_json(const struct core *c, const struct note *n, const struct actor *a)
{
	struct participant *p = core_participant_get(c, n->author);
	json_t *o;

	/* built field by field: every event carries a note, and json_pack
	 * parses its format string each time */
	o = json_object();
	json_object_set_new(o, "id", json_integer(n->id));
	json_object_set_new(o, "board", json_integer(n->board->id));
	json_object_set_new(o, "author", json_integer(n->author));
	json_object_set_new(o, "author_name", core_json_str(p ? p->name :
	    (n->author == 0 ? "facilitator" : NULL)));
	json_object_set_new(o, "text", json_string(n->text));
	json_object_set_new(o, "color", json_string(core_colors[n->color]));
	json_object_set_new(o, "x", json_real(n->x));
	json_object_set_new(o, "y", json_real(n->y));
	json_object_set_new(o, "votes", json_integer(n->votes));
	json_object_set_new(o, "hidden", json_boolean(n->hidden));
	json_object_set_new(o, "created", json_integer(n->created));
	json_object_set_new(o, "cluster", core_json_str(
	    core_cluster_label(n->board, n->cluster)));
	if (a != NULL && a->role == ROLE_PARTICIPANT) {
		struct vote *v = vote_of((struct note *)n, a->pid, 0);

		json_object_set_new(o, "mine", json_boolean(n->author == a->pid));
		json_object_set_new(o, "my_votes", json_integer(v ? v->count : 0));
	}
	return o;
}

json_t *
core_board_json(const struct core *c, const struct board *b, const struct actor *a,
    int with_notes)
{
	json_t *o, *notes;
	size_t i;

	o = json_pack("{s:I, s:s, s:s, s:s, s:o, s:b, s:i}",
	    "id", (json_int_t)b->id, "session", b->session->code,
	    "kind", b->kind, "title", b->title,
	    "prompt", core_json_str(b->prompt),
	    "locked", b->locked, "vote_limit", b->vote_limit);
	if (a != NULL && a->role == ROLE_PARTICIPANT)
		json_object_set_new(o, "votes_left",
		    json_integer(b->vote_limit - votes_used(b, a->pid)));
	core_cloud_board_json(c, b, a, with_notes, o);
	if (!with_notes)
		return o;
	if (b->wc == NULL)
		core_cluster_board_json(b, o);
	notes = json_array();
	for (i = 0; i < b->nnotes; i++) {
		struct note *n = b->notes[i];

		if (n->deleted)
			continue;
		if (n->hidden && (a == NULL || a->role != ROLE_FACILITATOR))
			continue;
		json_array_append_new(notes, core_note_json(c, n, a));
	}
	json_object_set_new(o, "notes", notes);
	return o;
}


json_t *
core_session_snapshot(const struct core *c, const char *code,
    const struct actor *a)
{
	struct session *s = core_session_get(c, code);
	json_t *o, *boards;
	size_t i;

	if (s == NULL)
		return NULL;
	o = core_session_json(c, s);
	boards = json_array();
	for (i = 0; i < s->nboards; i++)
		json_array_append_new(boards, core_board_json(c, s->boards[i], a, 1));
	json_object_set_new(o, "boards", boards);
	if (a != NULL && a->role == ROLE_FACILITATOR)
		json_object_set_new(o, "banned", core_banned_json(c, code));
	return o;
}

json_t *
core_participant_you(const struct core *c, int64_t pid)
{
	struct participant *p = core_participant_get(c, pid);

	if (p == NULL)
		return json_pack("{s:i, s:s, s:s}", "id", 0,
		    "role", "facilitator", "name", "facilitator");
	return json_pack("{s:I, s:s, s:o}", "id", (json_int_t)p->id,
	    "role", "participant", "name", core_json_str(p->name));
}

/* ---- apply: the only functions that change state ------------------------ */

int64_t
core_jint(json_t *o, const char *key)
{
	return json_integer_value(json_object_get(o, key));
}

const char *
core_jstr(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

void
core_see_id(struct core *c, int64_t id)
{
	if (id > c->last_id)
		c->last_id = id;
}

int
core_color_index(const char *name)
{
	size_t i;

	for (i = 0; i < CORE_NCOLORS; i++)
		if (strcmp(core_colors[i], name) == 0)
			return (int)i;
	return -1;
}

int
core_apply_session_created(struct core *c, struct session *s_unused, json_t *ev)
{
	struct session *s;
	const char *code = core_jstr(ev, "session"), *title = core_jstr(ev, "title");

	(void)s_unused;
	if (code == NULL || title == NULL || core_session_get(c, code) != NULL)
		return -ERR_INTERNAL;
	s = xcalloc(1, sizeof *s);
	snprintf(s->code, sizeof s->code, "%s", code);
	s->title = xstrdup(title);
	s->created = core_jint(ev, "created");
	snprintf(s->lang, sizeof s->lang, "%s", core_jstr(ev, "lang") ?
	    core_jstr(ev, "lang") : "fr");
	map_init_str(&s->cids);
	map_init_str(&s->banned);
	map_init_str(&s->wcids);
	map_put_str(&c->sessions, s->code, s);
	xgrow((void **)&c->order, &c->capsessions, c->nsessions + 1,
	    sizeof *c->order);
	c->order[c->nsessions++] = s;
	return 0;
}

int
core_apply_participant_joined(struct core *c, struct session *s, json_t *ev)
{
	json_t *pj = json_object_get(ev, "participant");
	const char *secret = core_jstr(ev, "resume"), *name = core_jstr(pj, "name");
	struct participant *p;

	if (secret == NULL || strlen(secret) != CORE_SECRET_LEN)
		return -ERR_INTERNAL;
	p = xcalloc(1, sizeof *p);
	p->id = core_jint(pj, "id");
	p->session = s;
	p->name = name ? xstrdup(name) : NULL;
	memcpy(p->secret, secret, CORE_SECRET_LEN + 1);
	p->joined = core_jint(ev, "time");
	core_see_id(c, p->id);
	map_put_int(&c->participants, p->id, p);
	map_put_str(&c->secrets, p->secret, p);
	s->nparticipants++;
	return 0;
}

int
core_apply_board_created(struct core *c, struct session *s, json_t *ev)
{
	json_t *bj = json_object_get(ev, "board");
	const char *prompt = core_jstr(bj, "prompt");
	struct board *b;

	if (core_jstr(bj, "title") == NULL || core_jstr(bj, "kind") == NULL)
		return -ERR_INTERNAL;
	b = xcalloc(1, sizeof *b);
	b->id = core_jint(bj, "id");
	b->session = s;
	b->kind = xstrdup(core_jstr(bj, "kind"));
	b->title = xstrdup(core_jstr(bj, "title"));
	b->prompt = prompt ? xstrdup(prompt) : NULL;
	b->locked = json_is_true(json_object_get(bj, "locked"));
	b->vote_limit = (int)core_jint(bj, "vote_limit");
	core_cloud_board_init(b, bj);
	core_see_id(c, b->id);
	map_put_int(&c->boards, b->id, b);
	xgrow((void **)&s->boards, &s->capboards, s->nboards + 1,
	    sizeof *s->boards);
	s->boards[s->nboards++] = b;
	return 0;
}

struct board *
core_ev_board(struct core *c, struct session *s, json_t *ev)
{
	struct board *b = map_get_int(&c->boards, core_jint(ev, "board"));

	return (b && b->session == s) ? b : NULL;
}

struct note *
core_ev_note(struct core *c, struct session *s, json_t *ev)
{
	json_t *nj = json_object_get(ev, "note");
	struct note *n;

	n = map_get_int(&c->notes, json_is_object(nj) ? core_jint(nj, "id") :
	    json_integer_value(nj));
	return (n && n->board->session == s && !n->deleted) ? n : NULL;
}

int
core_apply_board_locked(struct core *c, struct session *s, json_t *ev)
{
	struct board *b = core_ev_board(c, s, ev);

	if (b == NULL)
		return -ERR_INTERNAL;
	b->locked = 1;
	return 0;
}

int
core_apply_board_unlocked(struct core *c, struct session *s, json_t *ev)
{
	struct board *b = core_ev_board(c, s, ev);

	if (b == NULL)
		return -ERR_INTERNAL;
	b->locked = 0;
	return 0;
}

void
core_cid_key(char *buf, size_t len, int64_t pid, json_t *cid)
{
	if (json_is_integer(cid))
		snprintf(buf, len, "%lld:i%lld", (long long)pid,
		    (long long)json_integer_value(cid));
	else
		snprintf(buf, len, "%lld:s%s", (long long)pid,
		    json_string_value(cid));
}

static void
note_set_fields(struct note *n, json_t *nj)
{
	const char *text = core_jstr(nj, "text"), *color = core_jstr(nj, "color");
	json_t *x = json_object_get(nj, "x"), *y = json_object_get(nj, "y");

	if (text != NULL) {
		free(n->text);
		n->text = xstrdup(text);
	}
	if (color != NULL && core_color_index(color) >= 0)
		n->color = core_color_index(color);
	if (json_is_number(x))
		n->x = json_number_value(x);
	if (json_is_number(y))
		n->y = json_number_value(y);
}

int
core_apply_note_added(struct core *c, struct session *s, json_t *ev)
{
	struct board *b = core_ev_board(c, s, ev);
	json_t *nj = json_object_get(ev, "note"), *cid;
	struct note *n;
	char key[128];

	if (b == NULL || core_jstr(nj, "text") == NULL)
		return -ERR_INTERNAL;
	n = xcalloc(1, sizeof *n);
	n->id = core_jint(nj, "id");
	n->board = b;
	n->author = core_jint(nj, "author");
	n->created = core_jint(nj, "created");
	note_set_fields(n, nj);
	core_see_id(c, n->id);
	map_put_int(&c->notes, n->id, n);
	xgrow((void **)&b->notes, &b->capnotes, b->nnotes + 1,
	    sizeof *b->notes);
	b->notes[b->nnotes++] = n;
	cid = json_object_get(ev, "cid");
	if (json_is_integer(cid) || json_is_string(cid)) {
		core_cid_key(key, sizeof key, n->author, cid);
		map_put_str(&s->cids, key, n);
	}
	return 0;
}

int
core_apply_note_updated(struct core *c, struct session *s, json_t *ev)
{
	struct note *n = core_ev_note(c, s, ev);

	if (n == NULL)
		return -ERR_INTERNAL;
	note_set_fields(n, json_object_get(ev, "note"));
	return 0;
}

int
core_apply_note_deleted(struct core *c, struct session *s, json_t *ev)
{
	struct note *n = core_ev_note(c, s, ev);

	if (n == NULL)
		return -ERR_INTERNAL;
	n->deleted = 1;
	return 0;
}

static int
apply_vote(struct core *c, struct session *s, json_t *ev, int delta)
{
	struct note *n = core_ev_note(c, s, ev);
	struct vote *v;

	if (n == NULL)
		return -ERR_INTERNAL;
	v = vote_of(n, core_jint(ev, "by"), 1);
	if (v->count + delta < 0)
		return -ERR_INTERNAL;
	v->count += delta;
	n->votes += delta;
	return 0;
}

int
core_apply_note_voted(struct core *c, struct session *s, json_t *ev)
{
	return apply_vote(c, s, ev, 1);
}

int
core_apply_note_unvoted(struct core *c, struct session *s, json_t *ev)
{
	return apply_vote(c, s, ev, -1);
}

int
core_apply_note_hidden(struct core *c, struct session *s, json_t *ev)
{
	struct note *n = core_ev_note(c, s, ev);

	if (n == NULL)
		return -ERR_INTERNAL;
	n->hidden = 1;
	return 0;
}

int
core_apply_note_shown(struct core *c, struct session *s, json_t *ev)
{
	struct note *n = core_ev_note(c, s, ev);

	if (n == NULL)
		return -ERR_INTERNAL;
	n->hidden = 0;
	return 0;
}

static const struct {
	const char *name;
	int (*apply)(struct core *, struct session *, json_t *);
} appliers[] = {
#define EV(name, ident) { name, core_apply_##ident },
#include "../proto/protocol.def"
#undef EV
};

static int
apply(struct core *c, json_t *ev)
{
	const char *name = core_jstr(ev, "ev"), *code = core_jstr(ev, "session");
	struct session *s = core_session_get(c, code);
	int64_t seq = core_jint(ev, "seq");
	size_t i;
	int rc;

	if (name == NULL || code == NULL)
		return -ERR_INTERNAL;
	if (strcmp(code, CORE_PORTFOLIO_STREAM) == 0) {
		if (seq != c->portfolio_seq + 1 ||
		    strncmp(name, "portfolio.", 10) != 0)
			return -ERR_INTERNAL;
	} else if (strncmp(name, "portfolio.", 10) == 0)
		return -ERR_INTERNAL;
	else if (strcmp(name, "session.created") == 0) {
		if (s != NULL || seq != 1)
			return -ERR_INTERNAL;
	} else if (s == NULL || seq != s->seq + 1)
		return -ERR_INTERNAL;
	for (i = 0; i < ARRAY_LEN(appliers); i++) {
		if (strcmp(appliers[i].name, name) != 0)
			continue;
		if ((rc = appliers[i].apply(c, s, ev)) < 0)
			return rc;
		if (strcmp(code, CORE_PORTFOLIO_STREAM) == 0)
			c->portfolio_seq = seq;
		else
			core_session_get(c, code)->seq = seq;
		return 0;
	}
	return -ERR_INTERNAL;
}

int
core_replay(struct core *c, json_t *ev)
{
	int rc = apply(c, ev);

	if (rc < 0)
		core_fail(c, ERR_INTERNAL, "event %s seq %lld of session %s does not "
		    "follow", core_jstr(ev, "ev") ? core_jstr(ev, "ev") : "?",
		    (long long)core_jint(ev, "seq"),
		    core_jstr(ev, "session") ? core_jstr(ev, "session") : "?");
	return rc;
}

/*
 * Stamp ev (stolen) with its name, session, seq and time, apply it and put
 * it in the outbox.  A failure here is a bug in a handler's checks.
 */
void
core_emit(struct core *c, struct session *s, const char *name, json_t *ev)
{
	int rc;

	json_object_set_new(ev, "ev", json_string(name));
	json_object_set_new(ev, "seq", json_integer(s ? s->seq + 1 : 1));
	json_object_set_new(ev, "session", json_string(s ? s->code :
	    core_jstr(ev, "session")));
	json_object_set_new(ev, "time", json_integer(c->now));
	rc = apply(c, ev);
	if (rc < 0) {
		fprintf(stderr, "atelier: core: cannot apply own event %s\n",
		    name);
		abort();
	}
	json_array_append_new(c->outbox, ev);
}

void
core_emit_portfolio(struct core *c, const char *name, json_t *ev)
{
	json_object_set_new(ev, "ev", json_string(name));
	json_object_set_new(ev, "seq", json_integer(c->portfolio_seq + 1));
	json_object_set_new(ev, "session", json_string(CORE_PORTFOLIO_STREAM));
	json_object_set_new(ev, "time", json_integer(c->now));
	if (apply(c, ev) < 0) {
		fprintf(stderr, "atelier: core: cannot apply own event %s\n",
		    name);
		abort();
	}
	json_array_append_new(c->outbox, ev);
}

json_t *
core_event_view(const struct core *c, json_t *ev, enum core_role role)
{
	const char *name = core_jstr(ev, "ev");
	json_t *v = json_copy(ev);	/* views change top-level keys only */
	struct note *n;

	json_object_del(v, "resume");
	if (role == ROLE_FACILITATOR)
		return v;
	json_object_del(v, "by");
	if (name && strncmp(name, "word.", 5) == 0)
		return core_cloud_event_view(c, ev, v);
	if (name && (strcmp(name, "note.updated") == 0 ||
	    strcmp(name, "note.added") == 0)) {
		json_t *nj = json_object_get(ev, "note");

		n = map_get_int(&c->notes, core_jint(nj, "id"));
		if (n != NULL && n->hidden)
			json_object_set_new(v, "note", json_pack("{s:I, s:b}",
			    "id", (json_int_t)n->id, "hidden", 1));
	}
	return v;
}

/* ---- request helpers --------------------------------------------------- */

int
core_req_int(struct core *c, json_t *req, const char *key, int required,
    int64_t *out)
{
	json_t *v = json_object_get(req, key);

	if (v == NULL || json_is_null(v)) {
		if (required)
			return core_fail(c, ERR_BAD_REQUEST,
			    "field '%s' is required", key);
		return 1;
	}
	if (!json_is_integer(v))
		return core_fail(c, ERR_BAD_REQUEST, "field '%s' must be an integer",
		    key);
	*out = json_integer_value(v);
	return 0;
}

/*
 * A text field, cleaned (text_clean) into *out (caller frees).  Returns 1
 * if absent and not required.
 */
int
core_req_text(struct core *c, json_t *req, const char *key, int required,
    size_t minlen, size_t maxcp, char **out)
{
	json_t *v = json_object_get(req, key);
	int rc;

	if (v == NULL || json_is_null(v)) {
		if (required)
			return core_fail(c, ERR_BAD_REQUEST,
			    "field '%s' is required", key);
		return 1;
	}
	if (!json_is_string(v))
		return core_fail(c, ERR_BAD_REQUEST, "field '%s' must be a string",
		    key);
	rc = text_clean(json_string_value(v), json_string_length(v), maxcp,
	    out);
	if (rc == -1)
		return core_fail(c, ERR_BAD_REQUEST, "field '%s' is not valid UTF-8",
		    key);
	if (rc == -2)
		return core_fail(c, ERR_BAD_REQUEST,
		    "field '%s' is longer than %zu characters", key, maxcp);
	if (strlen(*out) < minlen) {
		free(*out);
		*out = NULL;
		return core_fail(c, ERR_BAD_REQUEST, "field '%s' is empty", key);
	}
	return 0;
}

int
core_req_session(struct core *c, const char *session_of, json_t *req,
    struct session **out)
{
	const char *code = core_jstr(req, "session");
	char norm[CORE_CODE_LEN + 1];

	if (code == NULL)
		return core_fail(c, ERR_BAD_REQUEST, "field 'session' is required");
	if (core_check_code(c, code, norm) < 0 ||
	    (*out = core_session_get(c, norm)) == NULL)
		return core_fail(c, ERR_NOT_FOUND, "no session %s", code);
	if (session_of != NULL && strcmp(session_of, norm) != 0)
		return core_fail(c, ERR_FORBIDDEN, "not your session");
	return 0;
}

int
core_req_board(struct core *c, const char *session_of, json_t *req,
    struct board **out)
{
	int64_t id;
	int rc;

	if ((rc = core_req_int(c, req, "board", 1, &id)) != 0)
		return rc;
	*out = map_get_int(&c->boards, id);
	if (*out == NULL || (session_of != NULL &&
	    strcmp((*out)->session->code, session_of) != 0))
		return core_fail(c, ERR_NOT_FOUND, "no board %lld", (long long)id);
	return 0;
}

/* The note of the request, visible to actor a; checks the board too. */
int
core_req_note(struct core *c, const struct actor *a, const char *session_of,
    json_t *req, struct board **bout, struct note **out)
{
	int64_t id;
	int rc;

	if ((rc = core_req_board(c, session_of, req, bout)) != 0)
		return rc;
	if ((rc = core_req_int(c, req, "note", 1, &id)) != 0)
		return rc;
	*out = map_get_int(&c->notes, id);
	if (*out == NULL || (*out)->board != *bout || (*out)->deleted ||
	    ((*out)->hidden && a->role != ROLE_FACILITATOR))
		return core_fail(c, ERR_NOT_FOUND, "no note %lld on board %lld",
		    (long long)id, (long long)(*bout)->id);
	return 0;
}

int
core_check_writable(struct core *c, const struct actor *a, const struct board *b)
{
	if (b->session->closed)
		return core_fail(c, ERR_CLOSED, "the session is closed: it "
		    "takes no more input");
	if (b->locked && a->role != ROLE_FACILITATOR)
		return core_fail(c, ERR_LOCKED, "board %lld is locked",
		    (long long)b->id);
	return 0;
}

void
core_random_secret(struct core *c, char *out)
{
	unsigned char raw[CORE_SECRET_LEN / 2];
	size_t i;

	c->rnd(raw, sizeof raw);
	for (i = 0; i < sizeof raw; i++)
		snprintf(out + 2 * i, 3, "%02x", raw[i]);
}

/* ---- identities -------------------------------------------------------- */

int
core_check_code(struct core *c, const char *code, char *norm)
{
	size_t n = 0;
	const char *p;

	for (p = code; *p; p++) {
		char ch = *p;

		if (ch == ' ' || ch == '-')
			continue;
		if (ch >= 'a' && ch <= 'z')
			ch = (char)(ch - 'a' + 'A');
		if (n == CORE_CODE_LEN || strchr(core_code_alphabet, ch) == NULL)
			return core_fail(c, ERR_NOT_FOUND, "no session %s", code);
		norm[n++] = ch;
	}
	norm[n] = '\0';
	if (n != CORE_CODE_LEN)
		return core_fail(c, ERR_NOT_FOUND, "no session %s", code);
	return 0;
}

int
core_participant_join(struct core *c, const char *code, json_t *name,
    int64_t *pid)
{
	char norm[CORE_CODE_LEN + 1], secret[CORE_SECRET_LEN + 1];
	struct session *s;
	char *clean = NULL;
	json_t *ev, *req;
	int rc;

	if (core_check_code(c, code, norm) < 0 ||
	    (s = core_session_get(c, norm)) == NULL)
		return core_fail(c, ERR_NOT_FOUND, "no session %s", code);
	req = json_pack("{s:O}", "name", name ? name : json_null());
	rc = core_req_text(c, req, "name", 0, 0, CORE_NAME_MAX, &clean);
	json_decref(req);
	if (rc < 0)
		return rc;
	if (clean != NULL && clean[0] == '\0') {
		free(clean);
		clean = NULL;
	}
	do
		core_random_secret(c, secret);
	while (map_get_str(&c->secrets, secret) != NULL);
	*pid = ++c->last_id;
	ev = json_pack("{s:{s:I, s:o}, s:i, s:s}",
	    "participant", "id", (json_int_t)*pid, "name",
	    core_json_str(clean), "participants", s->nparticipants + 1,
	    "resume", secret);
	free(clean);
	core_emit(c, s, "participant.joined", ev);
	return 0;
}

int
core_participant_resume(struct core *c, const char *secret, int64_t *pid)
{
	struct participant *p = map_get_str(&c->secrets, secret);

	if (p == NULL)
		return core_fail(c, ERR_NOT_FOUND, "unknown resume secret: join "
		    "again with the session code");
	*pid = p->id;
	return 0;
}

/* ---- handlers ---------------------------------------------------------- */



int
core_board_create(struct core *c, const struct actor *a,
    const char *session_of, json_t *req, json_t *reply)
{
	struct session *s = NULL;
	char *title = NULL, *prompt = NULL;
	const char *kind;
	json_t *bj;
	int64_t limit = CORE_VOTE_LIMIT_DEFAULT, id;
	int rc;

	if ((rc = core_req_session(c, session_of, req, &s)) != 0)
		return rc;
	if (s->closed)
		return core_fail(c, ERR_CLOSED, "the session is closed: reopen "
		    "it to add boards");
	kind = core_jstr(req, "kind");
	if (kind == NULL)
		return core_fail(c, ERR_BAD_REQUEST, "field 'kind' is required");
	if (strcmp(kind, "wall") != 0 && strcmp(kind, "cloud") != 0)
		return core_fail(c, ERR_BAD_REQUEST, "unknown board kind '%s' "
		    "(known: wall, cloud)", kind);
	if ((rc = core_req_int(c, req, "vote_limit", 0, &limit)) < 0)
		return rc;
	if (limit < 0 || limit > CORE_VOTE_LIMIT_MAX)
		return core_fail(c, ERR_BAD_REQUEST, "vote_limit must be between 0 "
		    "and %d", CORE_VOTE_LIMIT_MAX);
	if ((rc = core_req_text(c, req, "title", 1, 1, CORE_TITLE_MAX, &title)) != 0)
		return rc;
	if ((rc = core_req_text(c, req, "prompt", 0, 0, CORE_NOTE_MAX, &prompt)) < 0)
		goto out;
	bj = json_pack("{s:s, s:s, s:s, s:o, s:b, s:I}", "session", s->code,
	    "kind", kind, "title", title, "prompt", core_json_str(prompt),
	    "locked", 0, "vote_limit", (json_int_t)limit);
	if (strcmp(kind, "cloud") == 0 &&
	    (rc = core_cloud_create_fields(c, req, bj)) < 0) {
		json_decref(bj);
		goto out;
	}
	id = ++c->last_id;
	json_object_set_new(bj, "id", json_integer(id));
	core_emit(c, s, "board.created", json_pack("{s:o}", "board", bj));
	json_object_set_new(reply, "board",
	    core_board_json(c, map_get_int(&c->boards, id), a, 1));
	rc = 0;
out:
	free(title);
	free(prompt);
	return rc;
}

int
core_board_get(struct core *c, const struct actor *a,
    const char *session_of, json_t *req, json_t *reply)
{
	struct board *b;
	int rc;

	if ((rc = core_req_board(c, session_of, req, &b)) != 0)
		return rc;
	json_object_set_new(reply, "board", core_board_json(c, b, a, 1));
	return 0;
}

static int
board_set_lock(struct core *c, const struct actor *a, const char *session_of,
    json_t *req, json_t *reply, int lock)
{
	struct board *b;
	int rc;

	if ((rc = core_req_board(c, session_of, req, &b)) != 0)
		return rc;
	if (b->locked != lock)
		core_emit(c, b->session, lock ? "board.locked" : "board.unlocked",
		    json_pack("{s:I}", "board", (json_int_t)b->id));
	json_object_set_new(reply, "board", core_board_json(c, b, a, 0));
	return 0;
}

int
core_board_lock(struct core *c, const struct actor *a,
    const char *session_of, json_t *req, json_t *reply)
{
	return board_set_lock(c, a, session_of, req, reply, 1);
}

int
core_board_unlock(struct core *c, const struct actor *a,
    const char *session_of, json_t *req, json_t *reply)
{
	return board_set_lock(c, a, session_of, req, reply, 0);
}

/* Checks the optional color, x and y of a request into nj. */
static int
req_note_style(struct core *c, json_t *req, json_t *nj)
{
	json_t *color = json_object_get(req, "color");
	const char *xy[] = { "x", "y" };
	size_t i;

	if (color != NULL) {
		if (!json_is_string(color) ||
		    core_color_index(json_string_value(color)) < 0)
			return core_fail(c, ERR_BAD_REQUEST, "unknown color (known: "
			    "yellow, pink, blue, green, orange, purple)");
		json_object_set(nj, "color", color);
	}
	for (i = 0; i < ARRAY_LEN(xy); i++) {
		json_t *v = json_object_get(req, xy[i]);

		if (v == NULL)
			continue;
		if (!json_is_number(v))
			return core_fail(c, ERR_BAD_REQUEST,
			    "field '%s' must be a number", xy[i]);
		json_object_set_new(nj, xy[i],
		    json_real(json_number_value(v)));
	}
	return 0;
}

int
core_note_add(struct core *c, const struct actor *a,
    const char *session_of, json_t *req, json_t *reply)
{
	struct board *b;
	json_t *cid = json_object_get(req, "cid"), *nj;
	struct note *n;
	char *text = NULL, key[128];
	int64_t id;
	int rc;

	if ((rc = core_req_board(c, session_of, req, &b)) != 0)
		return rc;
	if (cid != NULL && !json_is_null(cid)) {
		if (!(json_is_integer(cid) || (json_is_string(cid) &&
		    json_string_length(cid) >= 1 &&
		    json_string_length(cid) <= 64)))
			return core_fail(c, ERR_BAD_REQUEST, "field 'cid' must be an "
			    "integer or a string of 1 to 64 characters");
		core_cid_key(key, sizeof key, a->pid, cid);
		n = map_get_str(&b->session->cids, key);
		if (n != NULL) {
			json_t *o = core_note_json(c, n, a);

			if (n->deleted)
				json_object_set_new(o, "deleted",
				    json_true());
			json_object_set_new(reply, "note", o);
			return 0;
		}
	} else
		cid = NULL;
	if ((rc = core_check_writable(c, a, b)) != 0)
		return rc;
	if ((rc = core_req_text(c, req, "text", 1, 1, CORE_NOTE_MAX, &text)) != 0)
		return rc;
	nj = json_pack("{s:s, s:s, s:f, s:f}", "text", text,
	    "color", core_colors[0], "x", 0.0, "y", 0.0);
	free(text);
	if ((rc = req_note_style(c, req, nj)) != 0) {
		json_decref(nj);
		return rc;
	}
	id = ++c->last_id;
	json_object_set_new(nj, "id", json_integer(id));
	json_object_set_new(nj, "board", json_integer(b->id));
	json_object_set_new(nj, "author", json_integer(a->pid));
	json_object_set_new(nj, "created", json_integer(c->now));
	core_emit(c, b->session, "note.added", json_pack("{s:I, s:o, s:O*}",
	    "board", (json_int_t)b->id, "note", nj, "cid", cid));
	n = map_get_int(&c->notes, id);
	/* the event carries the full note for every client */
	json_object_set_new(json_array_get(c->outbox,
	    json_array_size(c->outbox) - 1), "note", core_note_json(c, n, NULL));
	json_object_set_new(reply, "note", core_note_json(c, n, a));
	return 0;
}

static int
check_author(struct core *c, const struct actor *a, const struct note *n)
{
	if (a->role != ROLE_FACILITATOR && n->author != a->pid)
		return core_fail(c, ERR_FORBIDDEN, "note %lld is not yours",
		    (long long)n->id);
	return 0;
}

int
core_note_update(struct core *c, const struct actor *a,
    const char *session_of, json_t *req, json_t *reply)
{
	struct board *b;
	struct note *n;
	char *text = NULL;
	json_t *nj;
	int rc;

	if ((rc = core_req_note(c, a, session_of, req, &b, &n)) != 0 ||
	    (rc = core_check_writable(c, a, b)) != 0 ||
	    (rc = check_author(c, a, n)) != 0)
		return rc;
	if ((rc = core_req_text(c, req, "text", 0, 1, CORE_NOTE_MAX, &text)) < 0)
		return rc;
	nj = core_note_json(c, n, NULL);	/* the note as it will be */
	if (text != NULL)
		json_object_set_new(nj, "text", json_string(text));
	free(text);
	if ((rc = req_note_style(c, req, nj)) != 0) {
		json_decref(nj);
		return rc;
	}
	core_emit(c, b->session, "note.updated", json_pack("{s:I, s:o}",
	    "board", (json_int_t)b->id, "note", nj));
	json_object_set_new(reply, "note", core_note_json(c, n, a));
	return 0;
}

int
core_note_delete(struct core *c, const struct actor *a,
    const char *session_of, json_t *req, json_t *reply)
{
	struct board *b;
	struct note *n;
	int rc;

	if ((rc = core_req_note(c, a, session_of, req, &b, &n)) != 0 ||
	    (rc = core_check_writable(c, a, b)) != 0 ||
	    (rc = check_author(c, a, n)) != 0)
		return rc;
	core_emit(c, b->session, "note.deleted", json_pack("{s:I, s:I}",
	    "board", (json_int_t)b->id, "note", (json_int_t)n->id));
	json_object_set_new(reply, "note", json_integer(n->id));
	return 0;
}

static int
note_vote(struct core *c, const struct actor *a, const char *session_of,
    json_t *req, json_t *reply, int delta)
{
	struct board *b;
	struct note *n;
	struct vote *v;
	int rc;

	if ((rc = core_req_note(c, a, session_of, req, &b, &n)) != 0)
		return rc;
	if (a->role != ROLE_PARTICIPANT)
		return core_fail(c, ERR_FORBIDDEN, "only participants vote");
	if ((rc = core_check_writable(c, a, b)) != 0)
		return rc;
	if (delta > 0 && votes_used(b, a->pid) >= b->vote_limit)
		return core_fail(c, ERR_FORBIDDEN, "no votes left on this board "
		    "(%d per person)", b->vote_limit);
	v = vote_of(n, a->pid, 0);
	if (delta < 0 && (v == NULL || v->count == 0))
		return core_fail(c, ERR_BAD_REQUEST, "you have no vote on note %lld",
		    (long long)n->id);
	core_emit(c, b->session, delta > 0 ? "note.voted" : "note.unvoted",
	    json_pack("{s:I, s:I, s:i, s:I}", "board", (json_int_t)b->id,
	    "note", (json_int_t)n->id, "votes", n->votes + delta,
	    "by", (json_int_t)a->pid));
	json_object_set_new(reply, "note", json_integer(n->id));
	json_object_set_new(reply, "votes", json_integer(n->votes));
	json_object_set_new(reply, "votes_left",
	    json_integer(b->vote_limit - votes_used(b, a->pid)));
	return 0;
}

int
core_note_vote(struct core *c, const struct actor *a,
    const char *session_of, json_t *req, json_t *reply)
{
	return note_vote(c, a, session_of, req, reply, 1);
}

int
core_note_unvote(struct core *c, const struct actor *a,
    const char *session_of, json_t *req, json_t *reply)
{
	return note_vote(c, a, session_of, req, reply, -1);
}

static int
note_set_hidden(struct core *c, const struct actor *a, const char *session_of,
    json_t *req, json_t *reply, int hide)
{
	struct board *b;
	struct note *n;
	int rc;

	if ((rc = core_req_note(c, a, session_of, req, &b, &n)) != 0)
		return rc;
	if (n->hidden != hide) {
		if (hide)
			core_emit(c, b->session, "note.hidden", json_pack("{s:I, s:I}",
			    "board", (json_int_t)b->id,
			    "note", (json_int_t)n->id));
		else {
			json_t *nj = core_note_json(c, n, NULL);

			json_object_set_new(nj, "hidden", json_false());
			core_emit(c, b->session, "note.shown", json_pack("{s:I, s:o}",
			    "board", (json_int_t)b->id, "note", nj));
		}
	}
	json_object_set_new(reply, "note", core_note_json(c, n, a));
	return 0;
}

int
core_note_hide(struct core *c, const struct actor *a,
    const char *session_of, json_t *req, json_t *reply)
{
	return note_set_hidden(c, a, session_of, req, reply, 1);
}

int
core_note_show(struct core *c, const struct actor *a,
    const char *session_of, json_t *req, json_t *reply)
{
	return note_set_hidden(c, a, session_of, req, reply, 0);
}
