/*
 * core-cluster.c - thematic groups of a wall's notes: the engine's
 * suggestions (cluster.h), free or guided by themes, and the grouping the
 * facilitator applies and then edits (rename, move a note, merge, split).
 *
 * A suggestion changes nothing.  An applied grouping is an event; every
 * note keeps its group until moved; notes added later are in none.
 */
#include "core.h"
#include "core-internal.h"
#include "cluster.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LABEL_MAX 80

/* ---- state and views --------------------------------------------------- */

static struct cgroup *
group_get(const struct board *b, int64_t id)
{
	size_t i;

	for (i = 0; i < b->ngroups; i++)
		if (b->groups[i].id == id)
			return &b->groups[i];
	return NULL;
}

const char *
core_cluster_label(const struct board *b, int64_t id)
{
	struct cgroup *g = id ? group_get(b, id) : NULL;

	return g ? g->label : NULL;
}

void
core_cluster_board_json(const struct board *b, json_t *o)
{
	json_t *list = json_array();
	size_t i, j;

	for (i = 0; i < b->ngroups; i++) {
		json_t *ids = json_array();

		for (j = 0; j < b->nnotes; j++)
			if (!b->notes[j]->deleted &&
			    b->notes[j]->cluster == b->groups[i].id)
				json_array_append_new(ids,
				    json_integer(b->notes[j]->id));
		json_array_append_new(list, json_pack("{s:I, s:s, s:o}", "id",
		    (json_int_t)b->groups[i].id, "label", b->groups[i].label,
		    "notes", ids));
	}
	json_object_set_new(o, "clusters", list);
}

static void
groups_clear(struct board *b)
{
	size_t i;

	for (i = 0; i < b->ngroups; i++)
		free(b->groups[i].label);
	b->ngroups = 0;
}

void
core_cluster_board_free(struct board *b)
{
	groups_clear(b);
	free(b->groups);
}

static struct cgroup *
group_add(struct board *b, int64_t id, const char *label)
{
	struct cgroup *g;

	xgrow((void **)&b->groups, &b->capgroups, b->ngroups + 1,
	    sizeof *b->groups);
	g = &b->groups[b->ngroups++];
	g->id = id;
	g->label = xstrdup(label);
	return g;
}

/* ---- apply ---------------------------------------------------------------- */

static struct board *
wall(struct core *c, struct session *s, json_t *ev)
{
	struct board *b = core_ev_board(c, s, ev);

	return b && b->wc == NULL ? b : NULL;
}

static void
set_members(struct core *c, struct board *b, json_t *ids, int64_t group)
{
	json_t *v;
	size_t i;

	json_array_foreach(ids, i, v) {
		struct note *n = map_get_int(&c->notes, json_integer_value(v));

		if (n != NULL && n->board == b)
			n->cluster = group;
	}
}

int
core_apply_cluster_applied(struct core *c, struct session *s, json_t *ev)
{
	struct board *b = wall(c, s, ev);
	json_t *g;
	size_t i;

	if (b == NULL)
		return -ERR_INTERNAL;
	groups_clear(b);
	for (i = 0; i < b->nnotes; i++)
		b->notes[i]->cluster = 0;
	json_array_foreach(json_object_get(ev, "clusters"), i, g) {
		if (core_jstr(g, "label") == NULL)
			return -ERR_INTERNAL;
		group_add(b, core_jint(g, "id"), core_jstr(g, "label"));
		core_see_id(c, core_jint(g, "id"));
		set_members(c, b, json_object_get(g, "notes"), core_jint(g, "id"));
	}
	return 0;
}

int
core_apply_cluster_renamed(struct core *c, struct session *s, json_t *ev)
{
	struct board *b = wall(c, s, ev);
	struct cgroup *g = b ? group_get(b, core_jint(ev, "cluster")) : NULL;

	if (g == NULL || core_jstr(ev, "label") == NULL)
		return -ERR_INTERNAL;
	free(g->label);
	g->label = xstrdup(core_jstr(ev, "label"));
	return 0;
}

int
core_apply_cluster_moved(struct core *c, struct session *s, json_t *ev)
{
	struct board *b = wall(c, s, ev);
	int64_t to = core_jint(ev, "cluster");
	struct note *n = core_ev_note(c, s, ev);

	if (b == NULL || n == NULL || n->board != b ||
	    (to != 0 && group_get(b, to) == NULL))
		return -ERR_INTERNAL;
	n->cluster = to;
	return 0;
}

int
core_apply_cluster_merged(struct core *c, struct session *s, json_t *ev)
{
	struct board *b = wall(c, s, ev);
	int64_t from = core_jint(ev, "from"), into = core_jint(ev, "into");
	struct cgroup *g;
	size_t i;

	if (b == NULL || (g = group_get(b, from)) == NULL ||
	    group_get(b, into) == NULL || from == into)
		return -ERR_INTERNAL;
	for (i = 0; i < b->nnotes; i++)
		if (b->notes[i]->cluster == from)
			b->notes[i]->cluster = into;
	free(g->label);
	i = (size_t)(g - b->groups);
	memmove(b->groups + i, b->groups + i + 1,
	    (b->ngroups - i - 1) * sizeof *b->groups);
	b->ngroups--;
	return 0;
}

int
core_apply_cluster_split(struct core *c, struct session *s, json_t *ev)
{
	struct board *b = wall(c, s, ev);
	json_t *g = json_object_get(ev, "new");

	if (b == NULL || core_jstr(g, "label") == NULL ||
	    group_get(b, core_jint(g, "id")) != NULL)
		return -ERR_INTERNAL;
	group_add(b, core_jint(g, "id"), core_jstr(g, "label"));
	core_see_id(c, core_jint(g, "id"));
	set_members(c, b, json_object_get(g, "notes"), core_jint(g, "id"));
	return 0;
}

/* ---- requests ------------------------------------------------------------- */

static int
req_wall(struct core *c, const char *session_of, json_t *req,
    struct board **out)
{
	int rc;

	if ((rc = core_req_board(c, session_of, req, out)) != 0)
		return rc;
	if ((*out)->wc != NULL)
		return core_fail(c, ERR_BAD_REQUEST, "board %lld is a word "
		    "cloud: clustering groups the notes of a wall",
		    (long long)(*out)->id);
	return 0;
}

/* A label from the request: 1 to LABEL_MAX characters, unique. */
static int
req_label(struct core *c, const struct board *b, json_t *o, const char *key,
    int64_t except, char **out)
{
	size_t i;
	int rc;

	if ((rc = core_req_text(c, o, key, 1, 1, LABEL_MAX, out)) != 0)
		return rc;
	for (i = 0; i < b->ngroups; i++)
		if (b->groups[i].id != except &&
		    strcmp(b->groups[i].label, *out) == 0) {
			rc = core_fail(c, ERR_BAD_REQUEST, "there is already a "
			    "group '%s'", *out);
			free(*out);
			*out = NULL;
			return rc;
		}
	return 0;
}

/* The visible notes of a wall, in creation order. */
static size_t
visible_notes(const struct board *b, struct cluster_note **out)
{
	size_t i, n = 0;

	*out = xcalloc(b->nnotes + 1, sizeof **out);
	for (i = 0; i < b->nnotes; i++)
		if (!b->notes[i]->deleted && !b->notes[i]->hidden) {
			(*out)[n].id = b->notes[i]->id;
			(*out)[n].text = b->notes[i]->text;
			n++;
		}
	return n;
}

static const char *
other_label(const struct session *s)
{
	if (strcmp(s->lang, "en") == 0)
		return "Other";
	if (strcmp(s->lang, "nl") == 0)
		return "Overig";
	return "Divers";
}

static json_t *
result_json(const struct session *s, const struct cluster_result *r,
    const struct cluster_note *notes)
{
	json_t *list = json_array(), *none = json_array();
	size_t i, j;

	for (i = 0; i < r->ngroups; i++) {
		json_t *ids = json_array();

		for (j = 0; j < r->groups[i].count; j++)
			json_array_append_new(ids,
			    json_integer(r->groups[i].ids[j]));
		json_array_append_new(list, json_pack("{s:s, s:o}", "label",
		    r->groups[i].label[0] ? r->groups[i].label :
		    other_label(s), "notes", ids));
	}
	for (i = 0; i < r->nnone; i++)
		json_array_append_new(none, json_integer(notes[r->none[i]].id));
	return json_pack("{s:o, s:o}", "clusters", list, "none", none);
}

/* Guided mode's themes from the request. */
static int
req_themes(struct core *c, const struct board *b, json_t *themes,
    struct cluster_theme **out, size_t *n, int64_t **idpool)
{
	json_t *t, *ex, *v;
	size_t i, j, total = 0;

	if (!json_is_array(themes) || json_array_size(themes) == 0 ||
	    json_array_size(themes) > 50)
		return core_fail(c, ERR_BAD_REQUEST, "field 'themes' must be a "
		    "list of 1 to 50 themes");
	json_array_foreach(themes, i, t)
		total += json_array_size(json_object_get(t, "notes"));
	*out = xcalloc(json_array_size(themes), sizeof **out);
	*idpool = xcalloc(total + 1, sizeof **idpool);
	*n = 0;
	total = 0;
	json_array_foreach(themes, i, t) {
		struct cluster_theme *th = &(*out)[(*n)++];

		th->name = core_jstr(t, "name");
		th->keywords = core_jstr(t, "keywords");
		if (th->name == NULL || th->name[0] == '\0')
			return core_fail(c, ERR_BAD_REQUEST, "theme %zu has no "
			    "'name'", i + 1);
		ex = json_object_get(t, "notes");
		th->examples = *idpool + total;
		json_array_foreach(ex, j, v) {
			struct note *note = map_get_int(&c->notes,
			    json_integer_value(v));

			if (!json_is_integer(v) || note == NULL ||
			    note->board != b || note->deleted || note->hidden)
				return core_fail(c, ERR_BAD_REQUEST, "theme '%s': "
				    "no visible note %s on this board", th->name,
				    json_is_integer(v) ? "with that id" : "id");
			(*idpool)[total++] = json_integer_value(v);
			th->nexamples++;
		}
		if (th->nexamples == 0 && th->keywords == NULL)
			return core_fail(c, ERR_BAD_REQUEST, "theme '%s' needs "
			    "'notes' or 'keywords'", th->name);
	}
	return 0;
}

int
core_cluster_suggest(struct core *c, const struct actor *a,
    const char *session_of, json_t *req, json_t *reply)
{
	struct cluster_note *notes = NULL;
	struct cluster_theme *themes = NULL;
	struct cluster_result *res = NULL;
	struct cluster_opts o;
	json_t *th = json_object_get(req, "themes"), *rj;
	int64_t k = 0, seed = 1, *pool = NULL;
	size_t n, nthemes = 0;
	struct board *b;
	int rc;

	(void)a;
	if ((rc = req_wall(c, session_of, req, &b)) != 0 ||
	    (rc = core_req_int(c, req, "k", 0, &k)) < 0 ||
	    (rc = core_req_int(c, req, "seed", 0, &seed)) < 0)
		return rc;
	if (k < 0 || k > 50)
		return core_fail(c, ERR_BAD_REQUEST, "k must be between 1 and "
		    "50 (or left out: the engine chooses)");
	n = visible_notes(b, &notes);
	if (n == 0) {
		free(notes);
		json_object_set_new(reply, "clusters", json_array());
		json_object_set_new(reply, "none", json_array());
		return 0;
	}
	cluster_opts_init(&o, NORM_FR);
	norm_lang_parse(b->session->lang, &o.lang);
	o.k = (int)k;
	o.seed = (uint64_t)seed;
	if (th != NULL) {
		if ((rc = req_themes(c, b, th, &themes, &nthemes, &pool)) < 0)
			goto out;
		if (json_is_number(json_object_get(req, "min_sim")))
			o.min_sim = json_number_value(json_object_get(req,
			    "min_sim"));
		rc = cluster_guided(notes, n, themes, nthemes, &o, &res);
	} else
		rc = cluster_suggest(notes, n, &o, &res);
	if (rc < 0) {
		rc = core_fail(c, ERR_BAD_REQUEST, "cannot group these notes "
		    "with these themes (an example given to two themes?)");
		goto out;
	}
	rj = result_json(b->session, res, notes);
	json_object_update(reply, rj);
	json_decref(rj);
	if (th == NULL)
		json_object_set_new(reply, "k", json_integer(res->k));
	rc = 0;
out:
	if (res)
		cluster_result_free(res);
	free(notes);
	free(themes);
	free(pool);
	return rc;
}

int
core_cluster_apply(struct core *c, const struct actor *a,
    const char *session_of, json_t *req, json_t *reply)
{
	json_t *in = json_object_get(req, "clusters"), *g, *v, *out, *seen;
	struct board *b;
	size_t i, j;
	int rc;

	if ((rc = req_wall(c, session_of, req, &b)) != 0)
		return rc;
	if ((rc = core_check_writable(c, a, b)) != 0)
		return rc;
	if (!json_is_array(in) || json_array_size(in) > 100)
		return core_fail(c, ERR_BAD_REQUEST, "field 'clusters' must be a "
		    "list of at most 100 groups");
	out = json_array();
	seen = json_object();
	json_array_foreach(in, i, g) {
		json_t *ids = json_array();
		char *label = NULL, key[32];

		if ((rc = core_req_text(c, g, "label", 1, 1, LABEL_MAX,
		    &label)) != 0) {
			json_decref(ids);
			if (rc > 0)	/* absent */
				rc = core_fail(c, ERR_BAD_REQUEST, "every group "
				    "needs a 'label'");
			goto fail;
		}
		if (json_object_get(seen, label) != NULL) {
			rc = core_fail(c, ERR_BAD_REQUEST, "two groups are "
			    "called '%s'", label);
			free(label);
			json_decref(ids);
			goto fail;
		}
		json_object_set_new(seen, label, json_true());
		json_array_foreach(json_object_get(g, "notes"), j, v) {
			struct note *n = map_get_int(&c->notes,
			    json_integer_value(v));

			snprintf(key, sizeof key, "#%lld",
			    (long long)json_integer_value(v));
			if (!json_is_integer(v) || n == NULL || n->board != b ||
			    n->deleted || json_object_get(seen, key)) {
				rc = core_fail(c, ERR_BAD_REQUEST, "group '%s': "
				    "note %s is not on this board or is in two "
				    "groups", label, json_is_integer(v) ?
				    key + 1 : "?");
				free(label);
				json_decref(ids);
				goto fail;
			}
			json_object_set_new(seen, key, json_true());
			json_array_append(ids, v);
		}
		json_array_append_new(out, json_pack("{s:I, s:s, s:o}", "id",
		    (json_int_t)++c->last_id, "label", label, "notes", ids));
		free(label);
	}
	json_decref(seen);
	core_emit(c, b->session, "cluster.applied", json_pack("{s:I, s:o}",
	    "board", (json_int_t)b->id, "clusters", out));
	json_object_set_new(reply, "board", core_board_json(c, b, a, 1));
	return 0;
fail:
	json_decref(seen);
	json_decref(out);
	return rc;
}

static int
req_group(struct core *c, struct board *b, json_t *req, const char *key,
    struct cgroup **out)
{
	int64_t id;
	int rc;

	if ((rc = core_req_int(c, req, key, 1, &id)) != 0)
		return rc;
	if ((*out = group_get(b, id)) == NULL)
		return core_fail(c, ERR_NOT_FOUND, "no group %lld on board %lld",
		    (long long)id, (long long)b->id);
	return 0;
}

int
core_cluster_rename(struct core *c, const struct actor *a,
    const char *session_of, json_t *req, json_t *reply)
{
	struct cgroup *g;
	struct board *b;
	char *label = NULL;
	int rc;

	if ((rc = req_wall(c, session_of, req, &b)) != 0 ||
	    (rc = req_group(c, b, req, "cluster", &g)) != 0 ||
	    (rc = req_label(c, b, req, "label", g->id, &label)) != 0)
		return rc;
	core_emit(c, b->session, "cluster.renamed", json_pack("{s:I, s:I, "
	    "s:s}", "board", (json_int_t)b->id, "cluster", (json_int_t)g->id,
	    "label", label));
	free(label);
	json_object_set_new(reply, "board", core_board_json(c, b, a, 1));
	return 0;
}

int
core_cluster_move(struct core *c, const struct actor *a,
    const char *session_of, json_t *req, json_t *reply)
{
	json_t *to = json_object_get(req, "cluster");
	struct cgroup *g = NULL;
	struct board *b;
	struct note *n;
	int rc;

	if ((rc = req_wall(c, session_of, req, &b)) != 0 ||
	    (rc = core_req_note(c, a, session_of, req, &b, &n)) != 0)
		return rc;
	if (to != NULL && !json_is_null(to) &&
	    (rc = req_group(c, b, req, "cluster", &g)) != 0)
		return rc;
	core_emit(c, b->session, "cluster.moved", json_pack("{s:I, s:I, s:I}",
	    "board", (json_int_t)b->id, "note", (json_int_t)n->id,
	    "cluster", (json_int_t)(g ? g->id : 0)));
	json_object_set_new(reply, "note", core_note_json(c, n, a));
	return 0;
}

int
core_cluster_merge(struct core *c, const struct actor *a,
    const char *session_of, json_t *req, json_t *reply)
{
	struct cgroup *from, *into;
	struct board *b;
	int rc;

	if ((rc = req_wall(c, session_of, req, &b)) != 0 ||
	    (rc = req_group(c, b, req, "from", &from)) != 0 ||
	    (rc = req_group(c, b, req, "into", &into)) != 0)
		return rc;
	if (from == into)
		return core_fail(c, ERR_BAD_REQUEST, "a group cannot be merged "
		    "into itself");
	core_emit(c, b->session, "cluster.merged", json_pack("{s:I, s:I, s:I}",
	    "board", (json_int_t)b->id, "from", (json_int_t)from->id,
	    "into", (json_int_t)into->id));
	json_object_set_new(reply, "board", core_board_json(c, b, a, 1));
	return 0;
}

int
core_cluster_split(struct core *c, const struct actor *a,
    const char *session_of, json_t *req, json_t *reply)
{
	json_t *ids = json_object_get(req, "notes"), *v, *moved;
	struct cgroup *g;
	struct board *b;
	char *label = NULL;
	size_t i;
	int rc;

	if ((rc = req_wall(c, session_of, req, &b)) != 0 ||
	    (rc = req_group(c, b, req, "cluster", &g)) != 0)
		return rc;
	if (!json_is_array(ids) || json_array_size(ids) == 0)
		return core_fail(c, ERR_BAD_REQUEST, "field 'notes' must list "
		    "the notes that leave the group");
	moved = json_array();
	json_array_foreach(ids, i, v) {
		struct note *n = map_get_int(&c->notes, json_integer_value(v));

		if (!json_is_integer(v) || n == NULL || n->board != b ||
		    n->deleted || n->cluster != g->id) {
			json_decref(moved);
			return core_fail(c, ERR_BAD_REQUEST, "note %lld is not in "
			    "group %lld", (long long)json_integer_value(v),
			    (long long)g->id);
		}
		json_array_append(moved, v);
	}
	if ((rc = req_label(c, b, req, "label", 0, &label)) != 0) {
		json_decref(moved);
		return rc;
	}
	core_emit(c, b->session, "cluster.split", json_pack("{s:I, s:I, "
	    "s:{s:I, s:s, s:o}}", "board", (json_int_t)b->id, "cluster",
	    (json_int_t)g->id, "new", "id", (json_int_t)++c->last_id,
	    "label", label, "notes", moved));
	free(label);
	json_object_set_new(reply, "board", core_board_json(c, b, a, 1));
	return 0;
}
