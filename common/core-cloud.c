/*
 * core-cloud.c - boards of kind "cloud": words merged by the normaliser's
 * key (normalize.h) into the entries of a wordcloud (wordcloud.h), a quota
 * per participant, the facilitator's moderation (hide, show, merge, ban,
 * reset) and the layout the clients draw (cloudlayout.h).
 *
 * A hidden or banned entry never reaches participants: their view of an
 * event about it carries "word": null (core_cloud_event_view).
 */
#include "core.h"
#include "core-internal.h"
#include "text.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- state ---------------------------------------------------------------- */

void
core_cloud_board_init(struct board *b, json_t *bj)
{
	if (strcmp(b->kind, "cloud") != 0)
		return;
	b->wc = wordcloud_new();
	b->word_quota = (int)core_jint(bj, "word_quota");
	if (b->word_quota <= 0)
		b->word_quota = CORE_WORD_QUOTA_DEFAULT;
	map_init_int(&b->used);
}

void
core_cloud_board_free(struct board *b)
{
	if (b->wc == NULL)
		return;
	wordcloud_free(b->wc);
	map_free(&b->used);
	cloudlayout_free(&b->layout[0]);
	cloudlayout_free(&b->layout[1]);
}

static void
free_values(struct map *m)
{
	size_t i;

	for (i = 0; i < m->cap; i++)
		if (m->slots[i].hash > 1)
			free(m->slots[i].value);
	map_free(m);
}

void
core_cloud_session_free(struct session *s)
{
	free_values(&s->banned);
	free_values(&s->wcids);
}

void
core_cloud_free(struct core *c)
{
	size_t i;

	for (i = 0; i < ARRAY_LEN(c->norms); i++)
		norm_free(c->norms[i]);
}

static struct norm *
session_norm(struct core *c, const struct session *s)
{
	enum norm_lang lang = NORM_FR;

	norm_lang_parse(s->lang, &lang);
	if (c->norms[lang] == NULL)
		c->norms[lang] = norm_new(lang);
	return c->norms[lang];
}

static int
words_used(const struct board *b, int64_t pid)
{
	return (int)(intptr_t)map_get_int(&b->used, pid);
}

static int
is_banned(const struct session *s, const char *key)
{
	return map_get_str(&s->banned, key) != NULL;
}

/* ---- views ---------------------------------------------------------------- */

/* An entry as a role sees it; NULL-json for a participant when hidden. */
static json_t *
entry_json(const struct board *b, const struct wordcloud_entry *e,
    enum core_role role)
{
	int banned = is_banned(b->session, e->key);
	json_t *o, *forms;
	size_t i;

	if (role != ROLE_FACILITATOR && (e->hidden || banned))
		return json_null();
	o = json_pack("{s:s, s:s, s:I, s:b}", "key", e->key,
	    "text", wordcloud_entry_text(e), "count", (json_int_t)e->count,
	    "hidden", e->hidden);
	if (role != ROLE_FACILITATOR)
		return o;
	json_object_set_new(o, "banned", json_boolean(banned));
	forms = json_array();
	for (i = 0; i < e->nforms; i++)
		json_array_append_new(forms, json_pack("{s:s, s:I}",
		    "text", e->forms[i]->text,
		    "count", (json_int_t)e->forms[i]->count));
	json_object_set_new(o, "forms", forms);
	return o;
}

void
core_cloud_board_json(const struct core *c, const struct board *b,
    const struct actor *a, int with_words, json_t *o)
{
	enum core_role role = a ? a->role : ROLE_VIEWER;
	struct wordcloud_entry **list;
	json_t *words;
	size_t n, i;

	(void)c;
	if (b->wc == NULL)
		return;
	json_object_set_new(o, "word_quota", json_integer(b->word_quota));
	if (role == ROLE_PARTICIPANT)
		json_object_set_new(o, "words_left", json_integer(
		    b->word_quota - words_used(b, a->pid)));
	if (!with_words)
		return;
	words = json_array();
	n = wordcloud_list(b->wc, role == ROLE_FACILITATOR ? 0 :
	    WORDCLOUD_VISIBLE, &list);
	for (i = 0; i < n; i++) {
		json_t *e = entry_json(b, list[i], role);

		if (json_is_null(e))
			json_decref(e);
		else
			json_array_append_new(words, e);
	}
	free(list);
	json_object_set_new(o, "words", words);
}

json_t *
core_cloud_event_view(const struct core *c, json_t *ev, json_t *v)
{
	struct board *b = map_get_int(&c->boards, core_jint(ev, "board"));
	const char *name = core_jstr(ev, "ev");
	struct wordcloud_entry *e;

	if (strcmp(name, "word.banned") == 0) {
		json_object_del(v, "text");	/* the key is enough to drop it */
		return v;
	}
	if (b == NULL || b->wc == NULL || !json_is_object(json_object_get(v,
	    "word")))
		return v;
	e = wordcloud_get(b->wc, core_jstr(json_object_get(v, "word"), "key"));
	if (e == NULL || e->hidden || is_banned(b->session, e->key)) {
		json_object_set_new(v, "word", json_null());
		json_object_del(v, "form");
		json_object_del(v, "key");
		json_object_del(v, "from");
		json_object_del(v, "into");
	} else {
		/* participants see no forms nor flags they cannot use; v
		 * shares ev's members (core_event_view): copy before */
		json_object_set_new(v, "word",
		    json_copy(json_object_get(v, "word")));
		json_object_del(json_object_get(v, "word"), "forms");
		json_object_del(json_object_get(v, "word"), "banned");
		json_object_del(v, "form");
	}
	return v;
}

/* ---- apply ------------------------------------------------------------------ */

static struct board *
cloud_board(struct core *c, struct session *s, json_t *ev)
{
	struct board *b = core_ev_board(c, s, ev);

	return b && b->wc ? b : NULL;
}

int
core_apply_word_added(struct core *c, struct session *s, json_t *ev)
{
	struct board *b = cloud_board(c, s, ev);
	const char *key = core_jstr(ev, "key"), *form = core_jstr(ev, "form");
	int64_t by = core_jint(ev, "by");
	json_t *cid = json_object_get(ev, "cid");
	char ck[128];

	if (b == NULL || key == NULL || form == NULL || key[0] == '\0')
		return -ERR_INTERNAL;
	wordcloud_add(b->wc, key, form);
	if (by > 0)
		map_put_int(&b->used, by, (void *)(intptr_t)(words_used(b, by) +
		    1));
	if (json_is_integer(cid) || json_is_string(cid)) {
		core_cid_key(ck, sizeof ck, by, cid);
		free(map_get_str(&s->wcids, ck));
		map_put_str(&s->wcids, ck, xstrdup(key));
	}
	return 0;
}

int
core_apply_word_hidden(struct core *c, struct session *s, json_t *ev)
{
	struct board *b = cloud_board(c, s, ev);

	if (b == NULL || wordcloud_hide(b->wc, core_jstr(ev, "key") ?
	    core_jstr(ev, "key") : "", 1) == NULL)
		return -ERR_INTERNAL;
	return 0;
}

int
core_apply_word_shown(struct core *c, struct session *s, json_t *ev)
{
	struct board *b = cloud_board(c, s, ev);
	const char *key = core_jstr(json_object_get(ev, "word"), "key");

	if (b == NULL || key == NULL || wordcloud_hide(b->wc, key, 0) == NULL)
		return -ERR_INTERNAL;
	return 0;
}

int
core_apply_word_merged(struct core *c, struct session *s, json_t *ev)
{
	struct board *b = cloud_board(c, s, ev);
	const char *from = core_jstr(ev, "from"), *into = core_jstr(ev, "into");

	if (b == NULL || from == NULL || into == NULL ||
	    wordcloud_merge(b->wc, from, into, NULL) != 0)
		return -ERR_INTERNAL;
	return 0;
}

int
core_apply_word_banned(struct core *c, struct session *s, json_t *ev)
{
	const char *key = core_jstr(ev, "key"), *text = core_jstr(ev, "text");

	(void)c;
	if (key == NULL || text == NULL)
		return -ERR_INTERNAL;
	free(map_get_str(&s->banned, key));
	map_put_str(&s->banned, key, xstrdup(text));
	return 0;
}

int
core_apply_word_unbanned(struct core *c, struct session *s, json_t *ev)
{
	const char *key = core_jstr(ev, "key");

	(void)c;
	if (key == NULL)
		return -ERR_INTERNAL;
	free(map_del_str(&s->banned, key));
	return 0;
}

int
core_apply_board_reset(struct core *c, struct session *s, json_t *ev)
{
	struct board *b = cloud_board(c, s, ev);

	if (b == NULL)
		return -ERR_INTERNAL;
	wordcloud_reset(b->wc);
	map_free(&b->used);
	map_init_int(&b->used);
	cloudlayout_free(&b->layout[0]);
	cloudlayout_free(&b->layout[1]);
	return 0;
}

/* ---- requests ----------------------------------------------------------------- */

int
core_cloud_create_fields(struct core *c, json_t *req, json_t *bj)
{
	int64_t quota = CORE_WORD_QUOTA_DEFAULT;
	int rc;

	if ((rc = core_req_int(c, req, "word_quota", 0, &quota)) < 0)
		return rc;
	if (quota < 1 || quota > CORE_WORD_QUOTA_MAX)
		return core_fail(c, ERR_BAD_REQUEST, "word_quota must be between "
		    "1 and %d", CORE_WORD_QUOTA_MAX);
	json_object_set_new(bj, "word_quota", json_integer(quota));
	return 0;
}

static int
req_cloud(struct core *c, const char *session_of, json_t *req,
    struct board **out)
{
	int rc;

	if ((rc = core_req_board(c, session_of, req, out)) != 0)
		return rc;
	if ((*out)->wc == NULL)
		return core_fail(c, ERR_BAD_REQUEST, "board %lld is not a word "
		    "cloud", (long long)(*out)->id);
	return 0;
}

/* The entry of the request's key, for the facilitator. */
static int
req_entry(struct core *c, struct board *b, json_t *req, const char *field,
    struct wordcloud_entry **out)
{
	const char *key = core_jstr(req, field);

	if (key == NULL)
		return core_fail(c, ERR_BAD_REQUEST, "field '%s' is required",
		    field);
	if ((*out = wordcloud_get(b->wc, key)) == NULL)
		return core_fail(c, ERR_NOT_FOUND, "no word '%s' in this cloud",
		    key);
	return 0;
}

static void
reply_word(const struct board *b, const struct actor *a,
    const struct wordcloud_entry *e, json_t *reply)
{
	json_object_set_new(reply, "word", e ? entry_json(b, e, a->role) :
	    json_null());
	if (a->role == ROLE_PARTICIPANT)
		json_object_set_new(reply, "words_left", json_integer(
		    b->word_quota - words_used(b, a->pid)));
}

int
core_word_add(struct core *c, const struct actor *a, const char *session_of,
    json_t *req, json_t *reply)
{
	json_t *cid = json_object_get(req, "cid"), *ev;
	char *text = NULL, *key = NULL, ck[128];
	struct board *b;
	int rc;

	if ((rc = req_cloud(c, session_of, req, &b)) != 0)
		return rc;
	if (cid != NULL && !json_is_null(cid)) {
		const char *done;

		if (!(json_is_integer(cid) || (json_is_string(cid) &&
		    json_string_length(cid) >= 1 &&
		    json_string_length(cid) <= 64)))
			return core_fail(c, ERR_BAD_REQUEST, "field 'cid' must be "
			    "an integer or a string of 1 to 64 characters");
		core_cid_key(ck, sizeof ck, a->pid, cid);
		if ((done = map_get_str(&b->session->wcids, ck)) != NULL) {
			reply_word(b, a, wordcloud_get(b->wc, done), reply);
			return 0;
		}
	} else
		cid = NULL;
	if ((rc = core_check_writable(c, a, b)) != 0)
		return rc;
	if (a->role == ROLE_PARTICIPANT &&
	    words_used(b, a->pid) >= b->word_quota)
		return core_fail(c, ERR_QUOTA, "you have sent your %d words to "
		    "this cloud", b->word_quota);
	if ((rc = core_req_text(c, req, "text", 1, 1, CORE_WORD_MAX,
	    &text)) != 0)
		return rc;
	key = norm_key(session_norm(c, b->session), text);
	if (key == NULL) {
		free(text);
		return core_fail(c, ERR_BAD_REQUEST, "'%s' has only stop words "
		    "or punctuation: try another word", json_string_value(
		    json_object_get(req, "text")));
	}
	if (is_banned(b->session, key) && a->role != ROLE_FACILITATOR) {
		/* silently refused: it looks accepted, shows nowhere */
		free(text);
		free(key);
		reply_word(b, a, NULL, reply);
		return 0;
	}
	ev = json_pack("{s:I, s:s, s:s, s:I}", "board", (json_int_t)b->id,
	    "key", key, "form", text, "by", (json_int_t)a->pid);
	if (cid != NULL)
		json_object_set(ev, "cid", cid);
	core_emit(c, b->session, "word.added", ev);
	json_object_set_new(ev, "word", entry_json(b, wordcloud_get(b->wc, key),
	    ROLE_FACILITATOR));
	reply_word(b, a, wordcloud_get(b->wc, key), reply);
	free(text);
	free(key);
	return 0;
}

static int
word_set_hidden(struct core *c, const char *session_of, json_t *req,
    json_t *reply, const struct actor *a, int hide)
{
	struct wordcloud_entry *e;
	struct board *b;
	json_t *ev;
	int rc;

	if ((rc = req_cloud(c, session_of, req, &b)) != 0 ||
	    (rc = req_entry(c, b, req, "key", &e)) != 0)
		return rc;
	if (e->hidden != hide) {
		if (hide)
			core_emit(c, b->session, "word.hidden", json_pack(
			    "{s:I, s:s}", "board", (json_int_t)b->id,
			    "key", e->key));
		else {
			ev = json_pack("{s:I, s:{s:s}}", "board",
			    (json_int_t)b->id, "word", "key", e->key);
			core_emit(c, b->session, "word.shown", ev);
			json_object_set_new(ev, "word", entry_json(b, e,
			    ROLE_FACILITATOR));
		}
	}
	reply_word(b, a, e, reply);
	return 0;
}

int
core_word_hide(struct core *c, const struct actor *a, const char *session_of,
    json_t *req, json_t *reply)
{
	return word_set_hidden(c, session_of, req, reply, a, 1);
}

int
core_word_show(struct core *c, const struct actor *a, const char *session_of,
    json_t *req, json_t *reply)
{
	return word_set_hidden(c, session_of, req, reply, a, 0);
}

int
core_word_merge(struct core *c, const struct actor *a, const char *session_of,
    json_t *req, json_t *reply)
{
	struct wordcloud_entry *from, *into;
	struct board *b;
	json_t *ev;
	int rc;

	if ((rc = req_cloud(c, session_of, req, &b)) != 0 ||
	    (rc = req_entry(c, b, req, "from", &from)) != 0 ||
	    (rc = req_entry(c, b, req, "into", &into)) != 0)
		return rc;
	if (from == into)
		return core_fail(c, ERR_BAD_REQUEST, "'%s' and '%s' are already "
		    "one entry", core_jstr(req, "from"), core_jstr(req, "into"));
	ev = json_pack("{s:I, s:s, s:s}", "board", (json_int_t)b->id,
	    "from", from->key, "into", into->key);
	core_emit(c, b->session, "word.merged", ev);
	into = wordcloud_get(b->wc, core_jstr(ev, "into"));
	json_object_set_new(ev, "word", entry_json(b, into, ROLE_FACILITATOR));
	reply_word(b, a, into, reply);
	return 0;
}

static int
word_set_banned(struct core *c, const char *session_of, json_t *req,
    json_t *reply, int ban)
{
	struct session *s;
	char *text = NULL, *key;
	int rc;

	if ((rc = core_req_session(c, session_of, req, &s)) != 0)
		return rc;
	if ((rc = core_req_text(c, req, "text", 1, 1, CORE_WORD_MAX,
	    &text)) != 0)
		return rc;
	key = norm_key(session_norm(c, s), text);
	if (key == NULL) {
		free(text);
		return core_fail(c, ERR_BAD_REQUEST, "'%s' has only stop words "
		    "or punctuation", json_string_value(json_object_get(req,
		    "text")));
	}
	if (ban && !is_banned(s, key))
		core_emit(c, s, "word.banned", json_pack("{s:s, s:s}",
		    "key", key, "text", text));
	else if (!ban && is_banned(s, key))
		core_emit(c, s, "word.unbanned", json_pack("{s:s}", "key", key));
	json_object_set_new(reply, "key", json_string(key));
	free(key);
	free(text);
	return 0;
}

int
core_word_ban(struct core *c, const struct actor *a, const char *session_of,
    json_t *req, json_t *reply)
{
	(void)a;
	return word_set_banned(c, session_of, req, reply, 1);
}

int
core_word_unban(struct core *c, const struct actor *a,
    const char *session_of, json_t *req, json_t *reply)
{
	(void)a;
	return word_set_banned(c, session_of, req, reply, 0);
}

json_t *
core_banned_json(const struct core *c, const char *code)
{
	struct session *s = core_session_get(c, code);
	json_t *list = json_array();
	size_t i;

	for (i = 0; s != NULL && i < s->banned.cap; i++)
		if (s->banned.slots[i].hash > 1)
			json_array_append_new(list, json_pack("{s:s, s:s}",
			    "key", s->banned.slots[i].skey,
			    "text", (char *)s->banned.slots[i].value));
	return list;
}

int
core_board_reset(struct core *c, const struct actor *a,
    const char *session_of, json_t *req, json_t *reply)
{
	struct board *b;
	int rc;

	if ((rc = req_cloud(c, session_of, req, &b)) != 0)
		return rc;
	if ((rc = core_check_writable(c, a, b)) != 0)
		return rc;
	core_emit(c, b->session, "board.reset", json_pack("{s:I}", "board",
	    (json_int_t)b->id));
	json_object_set_new(reply, "board", core_board_json(c, b, a, 1));
	return 0;
}

int
core_cloud_layout(struct core *c, const struct actor *a,
    const char *session_of, json_t *req, json_t *reply)
{
	const char *target = core_jstr(req, "target");
	struct cloudlayout_params p;
	struct cloudlayout_item *items;
	struct cloudlayout out, *prev;
	struct wordcloud_entry **list;
	int64_t width, height, max = 50;
	enum cloudlayout_target t;
	struct board *b;
	json_t *words;
	size_t n, k = 0, i;
	int rc;

	if ((rc = req_cloud(c, session_of, req, &b)) != 0)
		return rc;
	if (target == NULL || (strcmp(target, "px") != 0 &&
	    strcmp(target, "grid") != 0))
		return core_fail(c, ERR_BAD_REQUEST, "field 'target' must be "
		    "\"px\" or \"grid\"");
	t = strcmp(target, "px") == 0 ? CLOUDLAYOUT_PX : CLOUDLAYOUT_GRID;
	if ((rc = core_req_int(c, req, "width", 1, &width)) != 0 ||
	    (rc = core_req_int(c, req, "height", 1, &height)) != 0 ||
	    (rc = core_req_int(c, req, "max", 0, &max)) < 0)
		return rc;
	if (width < 10 || height < 3 || width > 10000 || height > 10000)
		return core_fail(c, ERR_BAD_REQUEST, "width and height must be "
		    "between 10x3 and 10000x10000");
	if (max < 1 || max > 100)
		return core_fail(c, ERR_BAD_REQUEST, "max must be between 1 and "
		    "100");
	n = wordcloud_list(b->wc, WORDCLOUD_VISIBLE, &list);
	items = xcalloc(n + 1, sizeof *items);
	for (i = 0; i < n && k < (size_t)max; i++) {
		if (is_banned(b->session, list[i]->key))
			continue;
		items[k].key = list[i]->key;
		items[k].text = wordcloud_entry_text(list[i]);
		items[k].count = list[i]->count;
		k++;
	}
	cloudlayout_params_init(&p, t, (int)width, (int)height);
	if (t == CLOUDLAYOUT_PX && p.min_size < p.max_size / 4)
		p.min_size = p.max_size / 4;	/* readable from the back */
	prev = b->layout[t].words != NULL ? &b->layout[t] : NULL;
	if (cloudlayout_compute(&out, &p, items, k, prev) < 0) {
		free(items);
		free(list);
		return core_fail(c, ERR_BAD_REQUEST, "cannot lay out on %lldx%lld",
		    (long long)width, (long long)height);
	}
	free(items);
	free(list);
	words = json_array();
	for (i = 0; i < out.len; i++) {
		struct cloudlayout_word *w = &out.words[i];

		json_array_append_new(words, json_pack("{s:s, s:s, s:I, s:i, s:i, "
		    "s:i, s:i, s:i, s:i}", "key", w->key, "text", w->text,
		    "count", (json_int_t)w->count, "x", w->x, "y", w->y,
		    "w", w->w, "h", w->h, "size", w->size, "rotate", 0));
	}
	json_object_set_new(reply, "layout", json_pack("{s:s, s:i, s:i, s:o, "
	    "s:i}", "target", target, "width", out.width, "height", out.height,
	    "words", words, "dropped", (int)out.dropped));
	(void)a;
	/* remember it: the next layout keeps words in place */
	cloudlayout_free(&b->layout[t]);
	b->layout[t] = out;
	return 0;
}
