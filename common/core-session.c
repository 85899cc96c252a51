/*
 * core-session.c - a session's life after the workshop, and portfolios:
 * creating, describing, closing, archiving and searching sessions; the
 * retention rule that deletes participants' names; portfolios grouping
 * sessions under a lab's project.
 *
 * Portfolios are not part of any session: their events form a stream of
 * their own (CORE_PORTFOLIO_STREAM) with its own seq.
 */
#include "core.h"
#include "core-internal.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#define DAY_MS (24LL * 3600 * 1000)

static const char *const langs[] = { "fr", "en", "nl" };

/* ---- views --------------------------------------------------------------- */

static json_t *
ms_or_null(int64_t ms)
{
	return ms ? json_integer(ms) : json_null();
}

static json_t *
timer_json(const struct session *s)
{
	if (s->timer == 0)
		return json_null();
	return json_pack("{s:s, s:o, s:o, s:I, s:o}",
	    "state", s->timer == 1 ? "running" : "paused",
	    "ends", s->timer == 1 ? json_integer(s->timer_ends) : json_null(),
	    "left", s->timer == 2 ? json_integer(s->timer_left) : json_null(),
	    "seconds", (json_int_t)s->timer_seconds,
	    "label", core_json_str(s->timer_label));
}

json_t *
core_session_json(const struct core *c, const struct session *s)
{
	char url[1024];
	json_t *o;

	snprintf(url, sizeof url, "%s/j/%s", c->public_url, s->code);
	o = json_pack("{s:s, s:s, s:s, s:o, s:o, s:I, s:o, s:o, s:o, s:o, "
	    "s:I, s:s, s:i}",
	    "code", s->code, "title", s->title, "lang", s->lang,
	    "description", core_json_str(s->description),
	    "retrospective", core_json_str(s->retrospective),
	    "created", (json_int_t)s->created,
	    "closed", ms_or_null(s->closed),
	    "archived", ms_or_null(s->archived),
	    "retention_days", s->retention_days ?
		json_integer(s->retention_days) : json_null(),
	    "anonymized", ms_or_null(s->anonymized),
	    "seq", (json_int_t)s->seq, "join_url", url,
	    "participants", s->nparticipants);
	json_object_set_new(o, "timer", timer_json(s));
	json_object_set_new(o, "focus", s->focus ? json_integer(s->focus) :
	    json_null());
	return o;
}

/* ---- request helpers ----------------------------------------------------- */

static int
req_lang(struct core *c, json_t *req, char *out)
{
	json_t *v = json_object_get(req, "lang");
	size_t i;

	if (v == NULL)
		return 1;
	for (i = 0; i < ARRAY_LEN(langs); i++)
		if (json_is_string(v) &&
		    strcmp(json_string_value(v), langs[i]) == 0) {
			strcpy(out, langs[i]);
			return 0;
		}
	return core_fail(c, ERR_BAD_REQUEST, "field 'lang' must be \"fr\", "
	    "\"en\" or \"nl\"");
}

/* ---- session lifecycle ----------------------------------------------------- */

int
core_session_create(struct core *c, const struct actor *a,
    const char *session_of, json_t *req, json_t *reply)
{
	char code[CORE_CODE_LEN + 1], lang[3] = "fr";
	unsigned char raw[CORE_CODE_LEN];
	char *title = NULL, *desc = NULL;
	size_t i;
	int rc;

	(void)session_of;
	if ((rc = req_lang(c, req, lang)) < 0)
		return rc;
	if ((rc = core_req_text(c, req, "title", 1, 1, CORE_TITLE_MAX,
	    &title)) != 0)
		return rc;
	if ((rc = core_req_text(c, req, "description", 0, 0,
	    CORE_LONGTEXT_MAX, &desc)) < 0) {
		free(title);
		return rc;
	}
	do {
		c->rnd(raw, sizeof raw);
		for (i = 0; i < CORE_CODE_LEN; i++)
			code[i] = core_code_alphabet[raw[i] % 32];
		code[CORE_CODE_LEN] = '\0';
	} while (core_session_get(c, code) != NULL);
	core_emit(c, NULL, "session.created", json_pack("{s:s, s:s, s:I, s:s}",
	    "session", code, "title", title, "created", (json_int_t)c->now,
	    "lang", lang));
	if (desc != NULL && desc[0] != '\0')
		core_emit(c, core_session_get(c, code), "session.updated",
		    json_pack("{s:s}", "description", desc));
	free(title);
	free(desc);
	json_object_set_new(reply, "session", core_session_snapshot(c, code, a));
	return 0;
}

/* Case- and accent-insensitive form of s (a new string). */
static char *
fold(const char *s)
{
	utf8proc_uint8_t *out = NULL;

	if (s == NULL)
		return xstrdup("");
	if (utf8proc_map((const utf8proc_uint8_t *)s, 0, &out,
	    UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE |
	    UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK) < 0)
		return xstrdup(s);
	return (char *)out;
}

static int
contains_folded(const char *hay, const char *needle_folded)
{
	char *f = fold(hay);
	int hit = strstr(f, needle_folded) != NULL;

	free(f);
	return hit;
}

/* Whether session s matches the folded query q: title, texts, notes. */
static int
session_matches(const struct session *s, const char *q)
{
	size_t i, j;

	if (contains_folded(s->title, q) || contains_folded(s->code, q) ||
	    contains_folded(s->description, q) ||
	    contains_folded(s->retrospective, q))
		return 1;
	for (i = 0; i < s->nboards; i++) {
		struct board *b = s->boards[i];

		if (contains_folded(b->title, q) || contains_folded(b->prompt, q))
			return 1;
		for (j = 0; j < b->nnotes; j++)
			if (!b->notes[j]->deleted &&
			    contains_folded(b->notes[j]->text, q))
				return 1;
	}
	return 0;
}

int
core_session_list(struct core *c, const struct actor *a,
    const char *session_of, json_t *req, json_t *reply)
{
	json_t *list = json_array(), *arch = json_object_get(req, "archived");
	const char *query = core_jstr(req, "query");
	char *q = NULL;
	int want = 0;	/* 0: not archived, 1: archived only, 2: all */
	size_t i;

	(void)a;
	(void)session_of;
	if (json_is_true(arch))
		want = 1;
	else if (json_is_string(arch) &&
	    strcmp(json_string_value(arch), "all") == 0)
		want = 2;
	else if (arch != NULL && !json_is_false(arch)) {
		json_decref(list);
		return core_fail(c, ERR_BAD_REQUEST, "field 'archived' must be "
		    "true, false or \"all\"");
	}
	if (query != NULL && query[0] != '\0')
		q = fold(query);
	for (i = c->nsessions; i-- > 0;) {
		struct session *s = c->order[i];

		if ((want == 0 && s->archived) || (want == 1 && !s->archived))
			continue;
		if (q != NULL && !session_matches(s, q))
			continue;
		json_array_append_new(list, core_session_json(c, s));
	}
	free(q);
	json_object_set_new(reply, "sessions", list);
	return 0;
}

int
core_session_update(struct core *c, const struct actor *a,
    const char *session_of, json_t *req, json_t *reply)
{
	static const struct {
		const char *key;
		size_t min, max;
	} texts[] = {
		{ "title", 1, CORE_TITLE_MAX },
		{ "description", 0, CORE_LONGTEXT_MAX },
		{ "retrospective", 0, CORE_LONGTEXT_MAX },
	};
	struct session *s;
	json_t *ev = json_object(), *days;
	char lang[3], *text;
	size_t i;
	int rc;

	(void)a;
	if ((rc = core_req_session(c, session_of, req, &s)) != 0)
		goto fail;
	for (i = 0; i < ARRAY_LEN(texts); i++) {
		text = NULL;
		if ((rc = core_req_text(c, req, texts[i].key, 0, texts[i].min,
		    texts[i].max, &text)) < 0)
			goto fail;
		if (text != NULL)
			json_object_set_new(ev, texts[i].key, text[0] ?
			    json_string(text) : json_null());
		free(text);
	}
	if ((rc = req_lang(c, req, lang)) < 0)
		goto fail;
	if (rc == 0)
		json_object_set_new(ev, "lang", json_string(lang));
	days = json_object_get(req, "retention_days");
	if (days != NULL) {
		if (!json_is_null(days) && (!json_is_integer(days) ||
		    json_integer_value(days) < 1 ||
		    json_integer_value(days) > 3650)) {
			rc = core_fail(c, ERR_BAD_REQUEST, "retention_days must "
			    "be null or a number of days from 1 to 3650");
			goto fail;
		}
		json_object_set(ev, "retention_days", days);
	}
	if (json_object_size(ev) == 0) {
		rc = core_fail(c, ERR_BAD_REQUEST, "nothing to update: give "
		    "title, lang, description, retrospective or "
		    "retention_days");
		goto fail;
	}
	core_emit(c, s, "session.updated", ev);
	json_object_set_new(reply, "session", core_session_json(c, s));
	return 0;
fail:
	json_decref(ev);
	return rc;
}

/*
 * The board the projector (and the phones) should show now, or null to let
 * each screen choose.
 */
int
core_session_focus(struct core *c, const struct actor *a,
    const char *session_of, json_t *req, json_t *reply)
{
	struct session *s;
	struct board *b = NULL;
	json_t *v = json_object_get(req, "board");
	int rc;

	(void)a;
	if ((rc = core_req_session(c, session_of, req, &s)) != 0)
		return rc;
	if (v == NULL)
		return core_fail(c, ERR_BAD_REQUEST, "field 'board' is required: "
		    "a board of the session, or null to let screens choose");
	if (!json_is_null(v)) {
		if ((rc = core_req_board(c, s->code, req, &b)) != 0)
			return rc;
	}
	if ((b ? b->id : 0) != s->focus)
		core_emit(c, s, "session.focused", json_pack("{s:o}", "board",
		    b ? json_integer(b->id) : json_null()));
	json_object_set_new(reply, "session", core_session_json(c, s));
	return 0;
}

/* Emit name on s unless the flag already has the wanted value. */
static int
session_flag(struct core *c, const char *session_of, json_t *req,
    json_t *reply, int which, int on)
{
	static const char *const names[2][2] = {
		{ "session.reopened", "session.closed" },
		{ "session.unarchived", "session.archived" },
	};
	struct session *s;
	int rc;

	if ((rc = core_req_session(c, session_of, req, &s)) != 0)
		return rc;
	if (which == 1 && on && !s->closed)	/* archiving closes first */
		core_emit(c, s, "session.closed", json_object());
	if ((which == 0 ? s->closed != 0 : s->archived != 0) != on)
		core_emit(c, s, names[which][on], json_object());
	json_object_set_new(reply, "session", core_session_json(c, s));
	return 0;
}

int
core_session_close(struct core *c, const struct actor *a,
    const char *session_of, json_t *req, json_t *reply)
{
	(void)a;
	return session_flag(c, session_of, req, reply, 0, 1);
}

int
core_session_reopen(struct core *c, const struct actor *a,
    const char *session_of, json_t *req, json_t *reply)
{
	struct session *s;
	int rc;

	(void)a;
	if ((rc = core_req_session(c, session_of, req, &s)) != 0)
		return rc;
	if (s->archived)
		return core_fail(c, ERR_BAD_REQUEST, "the session is archived: "
		    "unarchive it first");
	return session_flag(c, session_of, req, reply, 0, 0);
}

int
core_session_archive(struct core *c, const struct actor *a,
    const char *session_of, json_t *req, json_t *reply)
{
	(void)a;
	return session_flag(c, session_of, req, reply, 1, 1);
}

int
core_session_unarchive(struct core *c, const struct actor *a,
    const char *session_of, json_t *req, json_t *reply)
{
	(void)a;
	return session_flag(c, session_of, req, reply, 1, 0);
}

/* ---- retention ------------------------------------------------------------ */

size_t
core_retention_due(const struct core *c, int64_t now, const char ***codes)
{
	size_t i, n = 0;

	*codes = xcalloc(c->nsessions + 1, sizeof **codes);
	for (i = 0; i < c->nsessions; i++) {
		struct session *s = c->order[i];

		if (s->retention_days > 0 && s->closed && !s->anonymized &&
		    now >= s->closed + s->retention_days * DAY_MS)
			(*codes)[n++] = s->code;
	}
	return n;
}

int
core_session_anonymize(struct core *c, const char *code)
{
	struct session *s = core_session_get(c, code);

	if (s == NULL)
		return core_fail(c, ERR_NOT_FOUND, "no session %s", code);
	if (!s->anonymized)
		core_emit(c, s, "session.anonymized", json_object());
	return 0;
}

/* ---- apply ----------------------------------------------------------------- */

static void
set_text(char **field, json_t *ev, const char *key)
{
	json_t *v = json_object_get(ev, key);

	if (v == NULL)
		return;
	free(*field);
	*field = json_is_string(v) ? xstrdup(json_string_value(v)) : NULL;
}

int
core_apply_session_updated(struct core *c, struct session *s, json_t *ev)
{
	json_t *days = json_object_get(ev, "retention_days");

	(void)c;
	if (json_is_string(json_object_get(ev, "title")))
		set_text(&s->title, ev, "title");
	set_text(&s->description, ev, "description");
	set_text(&s->retrospective, ev, "retrospective");
	if (core_jstr(ev, "lang") != NULL)
		snprintf(s->lang, sizeof s->lang, "%s", core_jstr(ev, "lang"));
	if (days != NULL)
		s->retention_days = (int)json_integer_value(days);
	return 0;
}

int
core_apply_session_focused(struct core *c, struct session *s, json_t *ev)
{
	(void)c;
	s->focus = core_jint(ev, "board");
	return 0;
}

int
core_apply_session_closed(struct core *c, struct session *s, json_t *ev)
{
	(void)c;
	s->closed = core_jint(ev, "time");
	return 0;
}

int
core_apply_session_reopened(struct core *c, struct session *s, json_t *ev)
{
	(void)c;
	(void)ev;
	s->closed = 0;
	return 0;
}

int
core_apply_session_archived(struct core *c, struct session *s, json_t *ev)
{
	(void)c;
	s->archived = core_jint(ev, "time");
	return 0;
}

int
core_apply_session_unarchived(struct core *c, struct session *s, json_t *ev)
{
	(void)c;
	(void)ev;
	s->archived = 0;
	return 0;
}

int
core_apply_session_anonymized(struct core *c, struct session *s, json_t *ev)
{
	size_t i;

	for (i = 0; i < c->participants.cap; i++) {
		struct map_slot *sl = &c->participants.slots[i];
		struct participant *p;

		if (sl->hash <= 1)
			continue;
		p = sl->value;
		if (p->session == s) {
			free(p->name);
			p->name = NULL;
		}
	}
	s->anonymized = core_jint(ev, "time");
	return 0;
}

/* ---- portfolios ------------------------------------------------------------ */

static struct portfolio *
portfolio_get(const struct core *c, int64_t id)
{
	return map_get_int(&c->portfolios, id);
}

static int
portfolio_has(const struct portfolio *p, const char *code)
{
	size_t i;

	for (i = 0; i < p->nsessions; i++)
		if (strcmp(p->sessions[i], code) == 0)
			return 1;
	return 0;
}

static json_t *
portfolio_json(const struct core *c, const struct portfolio *p, int full)
{
	json_t *o, *list = json_array();
	size_t i;

	o = json_pack("{s:I, s:s, s:o, s:I}", "id", (json_int_t)p->id,
	    "title", p->title, "description", core_json_str(p->description),
	    "created", (json_int_t)p->created);
	for (i = 0; i < p->nsessions; i++) {
		struct session *s = core_session_get(c, p->sessions[i]);

		if (full && s != NULL)
			json_array_append_new(list, core_session_json(c, s));
		else
			json_array_append_new(list, json_string(p->sessions[i]));
	}
	json_object_set_new(o, "sessions", list);
	return o;
}

void
core_portfolios_free(struct core *c)
{
	size_t i;

	for (i = 0; i < c->nportfolios; i++) {
		free(c->porder[i]->title);
		free(c->porder[i]->description);
		free(c->porder[i]->sessions);
		free(c->porder[i]);
	}
	free(c->porder);
	map_free(&c->portfolios);
}

int
core_apply_portfolio_created(struct core *c, struct session *s, json_t *ev)
{
	json_t *pj = json_object_get(ev, "portfolio");
	struct portfolio *p;

	(void)s;
	if (core_jstr(pj, "title") == NULL)
		return -ERR_INTERNAL;
	p = xcalloc(1, sizeof *p);
	p->id = core_jint(pj, "id");
	p->title = xstrdup(core_jstr(pj, "title"));
	p->description = core_jstr(pj, "description") ?
	    xstrdup(core_jstr(pj, "description")) : NULL;
	p->created = core_jint(pj, "created") ? core_jint(pj, "created") :
	    core_jint(ev, "time");
	core_see_id(c, p->id);
	map_put_int(&c->portfolios, p->id, p);
	xgrow((void **)&c->porder, &c->capportfolios, c->nportfolios + 1,
	    sizeof *c->porder);
	c->porder[c->nportfolios++] = p;
	return 0;
}

int
core_apply_portfolio_updated(struct core *c, struct session *s, json_t *ev)
{
	struct portfolio *p = portfolio_get(c, core_jint(ev, "portfolio"));

	(void)s;
	if (p == NULL)
		return -ERR_INTERNAL;
	if (json_is_string(json_object_get(ev, "title")))
		set_text(&p->title, ev, "title");
	set_text(&p->description, ev, "description");
	return 0;
}

int
core_apply_portfolio_session_added(struct core *c, struct session *s,
    json_t *ev)
{
	struct portfolio *p = portfolio_get(c, core_jint(ev, "portfolio"));
	const char *code = core_jstr(ev, "code");

	(void)s;
	if (p == NULL || code == NULL || portfolio_has(p, code))
		return -ERR_INTERNAL;
	xgrow((void **)&p->sessions, &p->capsessions, p->nsessions + 1,
	    sizeof *p->sessions);
	snprintf(p->sessions[p->nsessions++], CORE_CODE_LEN + 1, "%s", code);
	return 0;
}

int
core_apply_portfolio_session_removed(struct core *c, struct session *s,
    json_t *ev)
{
	struct portfolio *p = portfolio_get(c, core_jint(ev, "portfolio"));
	const char *code = core_jstr(ev, "code");
	size_t i;

	(void)s;
	if (p == NULL || code == NULL)
		return -ERR_INTERNAL;
	for (i = 0; i < p->nsessions; i++)
		if (strcmp(p->sessions[i], code) == 0) {
			memmove(p->sessions + i, p->sessions + i + 1,
			    (p->nsessions - i - 1) * sizeof *p->sessions);
			p->nsessions--;
			return 0;
		}
	return -ERR_INTERNAL;
}

static int
req_portfolio(struct core *c, json_t *req, struct portfolio **out)
{
	int64_t id;
	int rc;

	if ((rc = core_req_int(c, req, "portfolio", 1, &id)) != 0)
		return rc;
	if ((*out = portfolio_get(c, id)) == NULL)
		return core_fail(c, ERR_NOT_FOUND, "no portfolio %lld",
		    (long long)id);
	return 0;
}

int
core_portfolio_create(struct core *c, const struct actor *a,
    const char *session_of, json_t *req, json_t *reply)
{
	char *title = NULL, *desc = NULL;
	int64_t id;
	int rc;

	(void)a;
	(void)session_of;
	if ((rc = core_req_text(c, req, "title", 1, 1, CORE_TITLE_MAX,
	    &title)) != 0)
		return rc;
	if ((rc = core_req_text(c, req, "description", 0, 0,
	    CORE_LONGTEXT_MAX, &desc)) < 0) {
		free(title);
		return rc;
	}
	id = ++c->last_id;
	core_emit_portfolio(c, "portfolio.created", json_pack("{s:{s:I, s:s, "
	    "s:o}}", "portfolio", "id", (json_int_t)id, "title", title,
	    "description", core_json_str(desc && desc[0] ? desc : NULL)));
	free(title);
	free(desc);
	json_object_set_new(reply, "portfolio",
	    portfolio_json(c, portfolio_get(c, id), 1));
	return 0;
}

int
core_portfolio_update(struct core *c, const struct actor *a,
    const char *session_of, json_t *req, json_t *reply)
{
	struct portfolio *p;
	char *title = NULL, *desc = NULL;
	json_t *ev;
	int rc;

	(void)a;
	(void)session_of;
	if ((rc = req_portfolio(c, req, &p)) != 0)
		return rc;
	if ((rc = core_req_text(c, req, "title", 0, 1, CORE_TITLE_MAX,
	    &title)) < 0)
		return rc;
	if ((rc = core_req_text(c, req, "description", 0, 0,
	    CORE_LONGTEXT_MAX, &desc)) < 0) {
		free(title);
		return rc;
	}
	if (title == NULL && desc == NULL)
		return core_fail(c, ERR_BAD_REQUEST, "nothing to update: give "
		    "title or description");
	ev = json_pack("{s:I}", "portfolio", (json_int_t)p->id);
	if (title != NULL)
		json_object_set_new(ev, "title", json_string(title));
	if (desc != NULL)
		json_object_set_new(ev, "description",
		    core_json_str(desc[0] ? desc : NULL));
	free(title);
	free(desc);
	core_emit_portfolio(c, "portfolio.updated", ev);
	json_object_set_new(reply, "portfolio", portfolio_json(c, p, 1));
	return 0;
}

static int
portfolio_member(struct core *c, json_t *req, json_t *reply, int add)
{
	struct portfolio *p;
	struct session *s;
	int rc;

	if ((rc = req_portfolio(c, req, &p)) != 0 ||
	    (rc = core_req_session(c, NULL, req, &s)) != 0)
		return rc;
	if (portfolio_has(p, s->code) != add)
		core_emit_portfolio(c, add ? "portfolio.session_added" :
		    "portfolio.session_removed", json_pack("{s:I, s:s}",
		    "portfolio", (json_int_t)p->id, "code", s->code));
	json_object_set_new(reply, "portfolio", portfolio_json(c, p, 1));
	return 0;
}

int
core_portfolio_add(struct core *c, const struct actor *a,
    const char *session_of, json_t *req, json_t *reply)
{
	(void)a;
	(void)session_of;
	return portfolio_member(c, req, reply, 1);
}

int
core_portfolio_remove(struct core *c, const struct actor *a,
    const char *session_of, json_t *req, json_t *reply)
{
	(void)a;
	(void)session_of;
	return portfolio_member(c, req, reply, 0);
}

int
core_portfolio_list(struct core *c, const struct actor *a,
    const char *session_of, json_t *req, json_t *reply)
{
	json_t *list = json_array();
	size_t i;

	(void)a;
	(void)session_of;
	(void)req;
	for (i = c->nportfolios; i-- > 0;)
		json_array_append_new(list, portfolio_json(c, c->porder[i], 0));
	json_object_set_new(reply, "portfolios", list);
	return 0;
}

int
core_portfolio_get(struct core *c, const struct actor *a,
    const char *session_of, json_t *req, json_t *reply)
{
	struct portfolio *p;
	int rc;

	(void)a;
	(void)session_of;
	if ((rc = req_portfolio(c, req, &p)) != 0)
		return rc;
	json_object_set_new(reply, "portfolio", portfolio_json(c, p, 1));
	return 0;
}

/* ---- the timer everyone sees ----------------------------------------------- */

int
core_apply_timer_started(struct core *c, struct session *s, json_t *ev)
{
	(void)c;
	s->timer = 1;
	s->timer_seconds = core_jint(ev, "seconds");
	s->timer_ends = core_jint(ev, "ends");
	s->timer_left = 0;
	free(s->timer_label);
	s->timer_label = core_jstr(ev, "label") ? xstrdup(core_jstr(ev, "label")) :
	    NULL;
	return 0;
}

int
core_apply_timer_paused(struct core *c, struct session *s, json_t *ev)
{
	(void)c;
	if (s->timer != 1)
		return -ERR_INTERNAL;
	s->timer = 2;
	s->timer_left = core_jint(ev, "left");
	return 0;
}

int
core_apply_timer_resumed(struct core *c, struct session *s, json_t *ev)
{
	(void)c;
	if (s->timer != 2)
		return -ERR_INTERNAL;
	s->timer = 1;
	s->timer_ends = core_jint(ev, "ends");
	return 0;
}

int
core_apply_timer_stopped(struct core *c, struct session *s, json_t *ev)
{
	(void)c;
	(void)ev;
	s->timer = 0;
	free(s->timer_label);
	s->timer_label = NULL;
	return 0;
}

int
core_timer_start(struct core *c, const struct actor *a,
    const char *session_of, json_t *req, json_t *reply)
{
	struct session *s;
	int64_t secs;
	char *label = NULL;
	json_t *ev;
	int rc;

	(void)a;
	if ((rc = core_req_session(c, session_of, req, &s)) != 0 ||
	    (rc = core_req_int(c, req, "seconds", 1, &secs)) != 0)
		return rc;
	if (secs < 1 || secs > 24 * 3600)
		return core_fail(c, ERR_BAD_REQUEST, "seconds must be between 1 "
		    "and 86400");
	if ((rc = core_req_text(c, req, "label", 0, 0, CORE_TITLE_MAX,
	    &label)) < 0)
		return rc;
	ev = json_pack("{s:I, s:I}", "seconds", (json_int_t)secs,
	    "ends", (json_int_t)(c->now + secs * 1000));
	if (label != NULL && label[0] != '\0')
		json_object_set_new(ev, "label", json_string(label));
	free(label);
	core_emit(c, s, "timer.started", ev);
	json_object_set_new(reply, "timer", timer_json(s));
	return 0;
}

int
core_timer_pause(struct core *c, const struct actor *a,
    const char *session_of, json_t *req, json_t *reply)
{
	struct session *s;
	int64_t left;
	int rc;

	(void)a;
	if ((rc = core_req_session(c, session_of, req, &s)) != 0)
		return rc;
	if (s->timer != 1)
		return core_fail(c, ERR_BAD_REQUEST, "the timer is not running");
	left = s->timer_ends - c->now;
	core_emit(c, s, "timer.paused", json_pack("{s:I}", "left",
	    (json_int_t)(left > 0 ? left : 0)));
	json_object_set_new(reply, "timer", timer_json(s));
	return 0;
}

int
core_timer_resume(struct core *c, const struct actor *a,
    const char *session_of, json_t *req, json_t *reply)
{
	struct session *s;
	int rc;

	(void)a;
	if ((rc = core_req_session(c, session_of, req, &s)) != 0)
		return rc;
	if (s->timer != 2)
		return core_fail(c, ERR_BAD_REQUEST, "the timer is not paused");
	core_emit(c, s, "timer.resumed", json_pack("{s:I}", "ends",
	    (json_int_t)(c->now + s->timer_left)));
	json_object_set_new(reply, "timer", timer_json(s));
	return 0;
}

int
core_timer_stop(struct core *c, const struct actor *a,
    const char *session_of, json_t *req, json_t *reply)
{
	struct session *s;
	int rc;

	(void)a;
	if ((rc = core_req_session(c, session_of, req, &s)) != 0)
		return rc;
	if (s->timer != 0)
		core_emit(c, s, "timer.stopped", json_object());
	json_object_set_new(reply, "timer", json_null());
	return 0;
}
