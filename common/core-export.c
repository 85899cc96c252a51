/*
 * core-export.c - the export document (JSON, version 1) of sessions and
 * portfolios, and its import into another core.
 *
 * The document holds each session's state as the facilitator sees it and
 * its whole event log, so that importing the events recreates the session
 * exactly (ids are kept unless they are taken, then all are renumbered).
 * The document is deterministic: exporting the same state twice gives the
 * same bytes.  docs/export.md describes it.
 */
#include "core.h"
#include "core-internal.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct actor facilitator = { ROLE_FACILITATOR, 0 };

static json_t *
participants_json(const struct core *c, const struct session *s)
{
	json_t *list = json_array();
	size_t i, j, k;

	/* participants in id order, with how much each contributed */
	for (i = 0; i < c->participants.cap; i++) {
		struct map_slot *sl = &c->participants.slots[i];
		struct participant *p;
		int notes = 0, votes = 0;

		if (sl->hash <= 1)
			continue;
		p = sl->value;
		if (p->session != s)
			continue;
		for (j = 0; j < s->nboards; j++)
			for (k = 0; k < s->boards[j]->nnotes; k++) {
				struct note *n = s->boards[j]->notes[k];
				size_t v;

				if (n->deleted)
					continue;
				notes += n->author == p->id;
				for (v = 0; v < n->nby; v++)
					if (n->by[v].pid == p->id)
						votes += n->by[v].count;
			}
		json_array_append_new(list, json_pack("{s:I, s:o, s:I, s:i, s:i}",
		    "id", (json_int_t)p->id, "name", core_json_str(p->name),
		    "joined", (json_int_t)p->joined, "notes", notes,
		    "votes", votes));
	}
	/* the map's order is arbitrary: sort by id */
	for (i = 1; i < json_array_size(list); i++)
		for (j = i; j > 0 && core_jint(json_array_get(list, j - 1), "id") >
		    core_jint(json_array_get(list, j), "id"); j--) {
			json_t *a = json_incref(json_array_get(list, j - 1));

			json_array_set(list, j - 1, json_array_get(list, j));
			json_array_set_new(list, j, a);
		}
	return list;
}

static json_t *
session_export(const struct core *c, const struct session *s, json_t *events)
{
	json_t *o = core_session_snapshot(c, s->code, &facilitator);
	size_t i;
	int notes = 0, votes = 0;

	json_object_del(o, "join_url");
	json_object_set_new(o, "participant_list", participants_json(c, s));
	for (i = 0; i < s->nboards; i++) {
		size_t j;

		for (j = 0; j < s->boards[i]->nnotes; j++) {
			struct note *n = s->boards[i]->notes[j];

			if (!n->deleted && !n->hidden) {
				notes++;
				votes += n->votes;
			}
		}
	}
	json_object_set_new(o, "stats", json_pack("{s:i, s:i, s:i, s:i}",
	    "participants", s->nparticipants, "boards", (int)s->nboards,
	    "notes", notes, "votes", votes));
	json_object_set(o, "events", events ? events : json_array());
	if (events == NULL)
		json_decref(json_object_get(o, "events"));
	return o;
}

json_t *
core_export(const struct core *c, const char *const *codes, size_t n,
    json_t *events, int64_t portfolio)
{
	json_t *doc, *list = json_array();
	size_t i;

	doc = json_pack("{s:s, s:i}", "format", "atelier-export", "version", 1);
	if (portfolio) {
		struct portfolio *p = map_get_int(&c->portfolios, portfolio);

		if (p == NULL) {
			json_decref(doc);
			json_decref(list);
			return NULL;
		}
		json_object_set_new(doc, "portfolio", json_pack("{s:I, s:s, "
		    "s:o, s:I}", "id", (json_int_t)p->id, "title", p->title,
		    "description", core_json_str(p->description),
		    "created", (json_int_t)p->created));
	}
	for (i = 0; i < n; i++) {
		struct session *s = core_session_get(c, codes[i]);

		if (s == NULL) {
			json_decref(doc);
			json_decref(list);
			return NULL;
		}
		json_array_append_new(list, session_export(c, s,
		    json_object_get(events, s->code)));
	}
	json_object_set_new(doc, "sessions", list);
	return doc;
}

size_t
core_portfolio_sessions(const struct core *c, int64_t portfolio,
    const char ***codes)
{
	struct portfolio *p = map_get_int(&c->portfolios, portfolio);
	size_t i;

	*codes = NULL;
	if (p == NULL)
		return (size_t)-1;
	*codes = xcalloc(p->nsessions + 1, sizeof **codes);
	for (i = 0; i < p->nsessions; i++)
		(*codes)[i] = p->sessions[i];
	return p->nsessions;
}

/* ---- import ------------------------------------------------------------------ */

/* Renumbering of one session's ids: old -> new. */
struct remap {
	struct map ids;		/* old id -> (void *)new id */
	int active;
};

static int64_t
remapped(struct remap *r, int64_t old)
{
	void *v;

	if (!r->active || old <= 0)
		return old;
	v = map_get_int(&r->ids, old);
	return v ? (int64_t)(intptr_t)v : old;
}

static void
remap_field(struct remap *r, json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	if (json_is_integer(v))
		json_object_set_new(o, key, json_integer(remapped(r,
		    json_integer_value(v))));
}

/* Every id an event defines: boards, notes, participants. */
static int64_t
defined_id(json_t *ev)
{
	const char *name = core_jstr(ev, "ev");

	if (name == NULL)
		return 0;
	if (strcmp(name, "board.created") == 0)
		return core_jint(json_object_get(ev, "board"), "id");
	if (strcmp(name, "note.added") == 0)
		return core_jint(json_object_get(ev, "note"), "id");
	if (strcmp(name, "participant.joined") == 0)
		return core_jint(json_object_get(ev, "participant"), "id");
	return 0;
}

static void
remap_event(struct remap *r, json_t *ev)
{
	json_t *v;

	remap_field(r, ev, "by");
	if (json_is_object(v = json_object_get(ev, "board")))
		remap_field(r, v, "id");
	else
		remap_field(r, ev, "board");
	if (json_is_object(v = json_object_get(ev, "note"))) {
		remap_field(r, v, "id");
		remap_field(r, v, "board");
		remap_field(r, v, "author");
	} else
		remap_field(r, ev, "note");
	if (json_is_object(v = json_object_get(ev, "participant")))
		remap_field(r, v, "id");
}

static int
id_taken(const struct core *c, int64_t id)
{
	return map_get_int(&c->boards, id) || map_get_int(&c->notes, id) ||
	    map_get_int(&c->participants, id) ||
	    map_get_int(&c->portfolios, id);
}

/* Import one exported session; 1 if it was already there. */
static int
import_session(struct core *c, json_t *sj, int64_t *first_new_id)
{
	json_t *events = json_object_get(sj, "events"), *ev;
	const char *code = core_jstr(sj, "code");
	struct remap r;
	size_t i;
	int rc = 0;

	if (code == NULL || !json_is_array(events) ||
	    json_array_size(events) == 0)
		return core_fail(c, ERR_BAD_REQUEST, "a session of the "
		    "document has no code or no events");
	if (core_session_get(c, code) != NULL)
		return 1;
	memset(&r, 0, sizeof r);
	map_init_int(&r.ids);
	json_array_foreach(events, i, ev)
		if (defined_id(ev) > 0 && id_taken(c, defined_id(ev)))
			r.active = 1;
	if (r.active)
		json_array_foreach(events, i, ev)
			if (defined_id(ev) > 0)
				map_put_int(&r.ids, defined_id(ev),
				    (void *)(intptr_t)++c->last_id);
	*first_new_id = r.active;
	json_array_foreach(events, i, ev) {
		json_t *copy = json_deep_copy(ev);
		const char *sess = core_jstr(copy, "session");

		if (!json_is_object(copy) || sess == NULL ||
		    strcmp(sess, code) != 0) {
			json_decref(copy);
			rc = core_fail(c, ERR_BAD_REQUEST, "event %zu of session "
			    "%s belongs to another session", i, code);
			break;
		}
		remap_event(&r, copy);
		if (strcmp(core_jstr(copy, "ev") ? core_jstr(copy, "ev") : "",
		    "participant.joined") == 0) {
			char secret[CORE_SECRET_LEN + 1];

			do
				core_random_secret(c, secret);
			while (map_get_str(&c->secrets, secret) != NULL);
			json_object_set_new(copy, "resume", json_string(secret));
		}
		if (core_replay(c, copy) < 0) {
			json_decref(copy);
			rc = core_fail(c, ERR_BAD_REQUEST, "event %zu of session "
			    "%s does not apply", i, code);
			break;
		}
		json_array_append_new(c->outbox, copy);
	}
	map_free(&r.ids);
	return rc;
}

int
core_import(struct core *c, json_t *doc, json_t *report)
{
	json_t *sessions = json_object_get(doc, "sessions"), *sj, *pj;
	json_t *added = json_array(), *skipped = json_array();
	size_t i;
	int rc = 0;

	if (!json_is_object(doc) || strcmp(core_jstr(doc, "format") ?
	    core_jstr(doc, "format") : "", "atelier-export") != 0 ||
	    core_jint(doc, "version") != 1 || !json_is_array(sessions)) {
		rc = core_fail(c, ERR_BAD_REQUEST, "not an Atelier export "
		    "(format atelier-export, version 1)");
		goto out;
	}
	json_array_foreach(sessions, i, sj) {
		int64_t renumbered = 0;

		rc = import_session(c, sj, &renumbered);
		if (rc < 0)
			goto out;
		json_array_append_new(rc == 1 ? skipped : added,
		    json_string(core_jstr(sj, "code")));
		rc = 0;
	}
	pj = json_object_get(doc, "portfolio");
	if (json_is_object(pj) && core_jstr(pj, "title") != NULL) {
		struct portfolio *p = NULL;
		size_t k;

		for (k = 0; k < c->nportfolios; k++)
			if (strcmp(c->porder[k]->title, core_jstr(pj, "title")) ==
			    0 && c->porder[k]->created == core_jint(pj, "created"))
				p = c->porder[k];
		if (p == NULL) {
			int64_t id = core_jint(pj, "id");

			if (id <= 0 || id_taken(c, id))
				id = ++c->last_id;
			core_emit_portfolio(c, "portfolio.created", json_pack(
			    "{s:{s:I, s:s, s:O, s:I}}", "portfolio", "id",
			    (json_int_t)id, "title", core_jstr(pj, "title"),
			    "description", json_object_get(pj, "description") ?
			    json_object_get(pj, "description") : json_null(),
			    "created", (json_int_t)core_jint(pj, "created")));
			p = map_get_int(&c->portfolios, id);
		}
		json_array_foreach(sessions, i, sj) {
			const char *code = core_jstr(sj, "code");
			size_t m;
			int has = 0;

			for (m = 0; m < p->nsessions; m++)
				has |= strcmp(p->sessions[m], code) == 0;
			if (!has)
				core_emit_portfolio(c, "portfolio.session_added",
				    json_pack("{s:I, s:s}", "portfolio",
				    (json_int_t)p->id, "code", code));
		}
		json_object_set_new(report, "portfolio", json_integer(p->id));
	}
out:
	json_object_set_new(report, "imported", added);
	json_object_set_new(report, "skipped", skipped);
	return rc;
}
