/*
 * dispatch.c - from a request frame to its reply and events.
 *
 * A frame is parsed, checked (rate, role), and handed to the core, which
 * may emit events.  Events go to the store at once, inside the open batch;
 * the reply and the events wait in the batch until a zero-delay timer
 * commits it (group commit: every request handled in the meantime shares
 * one transaction).  Only after the commit are events published to the
 * sessions' histories and subscribers and replies queued, in batch order.
 */
#include "server.h"
#include "store.h"
#include "../common/map.h"
#include "../common/jtext.h"
#include "../common/request.h"
#include "../common/util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * A session's followers and, once someone follows it, its history: every
 * stored event, both views.  Sessions nobody followed since the start keep
 * their history on disk only (room_load reads it on the first follow).
 */
struct room {
	char code[CORE_CODE_LEN + 1];
	int loaded;		/* the history below is complete */
	int64_t idle_since;	/* mono_ms() when its last follower left */
	struct msg **fac;	/* event seq s at index s-1, facilitator view */
	struct msg **part;	/* participant view (often the same msg) */
	size_t nhist, caphist;
	struct conn **subs;
	size_t nsubs, capsubs;
	/*
	 * word.added events not yet sent to participants and viewers: one
	 * cloud.updated frame carries them all (see room_flush).
	 */
	json_t *pend;		/* board id -> (key -> WORD), in order */
	int64_t pend_from, pend_seq, pend_time, pend_added;
	int64_t flushed_us;	/* when the last cloud.updated went */
	int flush_scheduled;
	lws_sorted_usec_list_t flush_sul;
};

/*
 * A session sends at most one cloud.updated per interval, 25 us per
 * follower between 5 and 50 ms: a thousand phones that each add a word
 * within ten seconds get about forty frames a second each, not a hundred,
 * and the fan-out stays under about 40,000 frames a second per session.
 * A word after a quiet moment goes at once.
 */
#define COALESCE_US_PER_FOLLOWER 25
#define COALESCE_MIN_US 5000
#define COALESCE_MAX_US 50000

enum item_kind { ITEM_EVENT, ITEM_REPLY, ITEM_FOLLOW };

/* One thing to do once the batch is committed. */
struct item {
	enum item_kind kind;
	struct conn *conn;	/* REPLY, FOLLOW; NULL once it has closed */
	json_t *ev;		/* EVENT */
	char *body;		/* EVENT: ev as stored */
	struct msg *reply;	/* REPLY */
	char session[CORE_CODE_LEN + 1];	/* FOLLOW */
	int64_t since;		/* FOLLOW: replay events after this seq */
};

static struct {
	struct lws_context *ctx;
	const struct server_config *cfg;
	struct core *core;
	struct store *store;
	struct map rooms;	/* code -> room */
	struct item *items;
	size_t nitems, capitems;
	size_t publishing;	/* items before this one are published */
	lws_sorted_usec_list_t sul;
	int scheduled;
	int live;		/* serving (not replaying, not a command) */
	lws_sorted_usec_list_t retention_sul;
	lws_sorted_usec_list_t idle_sul;
} D;

/* Counters for GET /metrics. */
static const double commit_buckets[] = { 0.001, 0.002, 0.005, 0.01, 0.025,
    0.05, 0.1, 0.5 };

static struct {
	long connections;
	unsigned long long events;
	unsigned long long requests;
	unsigned long long rejected[ERR_COUNT];
	unsigned long long commits;
	unsigned long long cloud_words;	/* word.added coalesced ... */
	unsigned long long cloud_frames;	/* ... into these frames */
	double commit_sum;	/* seconds */
	unsigned long long commit_le[ARRAY_LEN(commit_buckets)];
} M;

/* What a handler asks to happen around its reply. */
struct post {
	const char *follow;	/* subscribe to this session */
	int64_t since;
	int follow_after_reply;	/* replay after the reply, not before */
};

/* ---- rooms ------------------------------------------------------------- */

/* The room in slot i of D.rooms, or NULL: for walking them all. */
static struct room *
room_slot(size_t i)
{
	return D.rooms.slots[i].hash > 1 ? D.rooms.slots[i].value : NULL;
}

static struct room *
room_get(const char *code)
{
	struct room *r = map_get_str(&D.rooms, code);

	if (r == NULL) {
		r = xcalloc(1, sizeof *r);
		snprintf(r->code, sizeof r->code, "%s", code);
		map_put_str(&D.rooms, code, r);
	}
	return r;
}

/*
 * Append ev's two views (facilitator, participant) to r's history; *pvp,
 * if not NULL, gets the participant view (the caller owns it).  body, if
 * not NULL, is ev as stored: the facilitator's view unless ev carries a
 * resume secret, so it is not encoded again.
 */
static void
room_append(struct room *r, json_t *ev, const char *body, json_t **pvp)
{
	json_t *pv = core_event_view(D.core, ev, ROLE_PARTICIPANT);
	char *fs = NULL, *ps = jtext_compact(pv);

	if (body == NULL || json_object_get(ev, "resume") != NULL) {
		json_t *fv = core_event_view(D.core, ev, ROLE_FACILITATOR);

		body = fs = jtext_compact(fv);
		json_decref(fv);
	}
	xgrow((void **)&r->fac, &r->caphist, r->nhist + 1, sizeof *r->fac);
	r->part = xrealloc(r->part, r->caphist * sizeof *r->part);
	r->fac[r->nhist] = msg_new(body, strlen(body));
	r->part[r->nhist] = strcmp(body, ps) == 0 ?
	    msg_ref(r->fac[r->nhist]) : msg_new(ps, strlen(ps));
	r->nhist++;
	free(fs);
	free(ps);
	if (pvp != NULL)
		*pvp = pv;
	else
		json_decref(pv);
}

/* Send the pending word additions as one cloud.updated frame. */
static void
room_flush(struct room *r)
{
	json_t *f, *boards, *words, *w;
	const char *board, *key;
	struct msg *m;
	char *s;
	size_t i;

	if (r->flush_scheduled) {
		lws_sul_cancel(&r->flush_sul);
		r->flush_scheduled = 0;
	}
	if (r->pend == NULL)
		return;
	boards = json_array();
	json_object_foreach(r->pend, board, words) {
		json_t *list = json_array();

		json_object_foreach(words, key, w)
			json_array_append(list, w);
		json_array_append_new(boards, json_pack("{s:I, s:o}", "board",
		    (json_int_t)strtoll(board, NULL, 10), "words", list));
	}
	f = json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:o}", "ev",
	    "cloud.updated", "session", r->code, "seq", (json_int_t)r->pend_seq,
	    "first", (json_int_t)r->pend_from, "time",
	    (json_int_t)r->pend_time, "added", (json_int_t)r->pend_added,
	    "boards", boards);
	s = jtext_compact(f);
	m = msg_new(s, strlen(s));
	for (i = 0; i < r->nsubs; i++)
		if (r->subs[i]->role != ROLE_FACILITATOR)
			conn_send(r->subs[i], m);
	msg_unref(m);
	free(s);
	json_decref(f);
	json_decref(r->pend);
	r->pend = NULL;
	r->flushed_us = mono_us();
	M.cloud_frames++;
}

static void
room_flush_cb(lws_sorted_usec_list_t *sul)
{
	struct room *r = lws_container_of(sul, struct room, flush_sul);

	r->flush_scheduled = 0;
	room_flush(r);
}

/* Keep a word addition (its participant view pv) for the next flush. */
static void
room_pend_word(struct room *r, json_t *ev, json_t *pv)
{
	json_t *words, *w = json_object_get(pv, "word");
	char board[24];
	int64_t seq = json_integer_value(json_object_get(ev, "seq")), wait;
	int64_t every;

	if (r->pend == NULL) {
		r->pend = json_object();
		r->pend_from = seq;
		r->pend_added = 0;
	}
	r->pend_seq = seq;
	r->pend_time = json_integer_value(json_object_get(ev, "time"));
	r->pend_added++;
	M.cloud_words++;
	snprintf(board, sizeof board, "%lld", (long long)json_integer_value(
	    json_object_get(ev, "board")));
	if ((words = json_object_get(r->pend, board)) == NULL) {
		words = json_object();
		json_object_set_new(r->pend, board, words);
	}
	/* a hidden or banned word is null and has no key: nothing to show */
	if (json_is_object(w))
		json_object_set(words, json_string_value(json_object_get(w,
		    "key")), w);
	if (r->flush_scheduled)
		return;
	every = (int64_t)r->nsubs * COALESCE_US_PER_FOLLOWER;
	if (every < COALESCE_MIN_US)
		every = COALESCE_MIN_US;
	if (every > COALESCE_MAX_US)
		every = COALESCE_MAX_US;
	wait = r->flushed_us + every - mono_us();
	r->flush_scheduled = 1;
	lws_sul_schedule(D.ctx, 0, &r->flush_sul, room_flush_cb,
	    wait > 0 ? wait : 0);
}

struct reload {
	struct room *r;
	int64_t before;		/* stop at this seq */
};

static int
room_reload_one(void *arg, const char *body, int64_t len)
{
	struct reload *rl = arg;
	json_t *ev = json_loadb(body, (size_t)len, 0, NULL);

	if (ev == NULL)
		return -1;
	if (json_integer_value(json_object_get(ev, "seq")) >= rl->before) {
		json_decref(ev);
		return 1;
	}
	room_append(rl->r, ev, body, NULL);
	json_decref(ev);
	return 0;
}

/*
 * Read r's history from the store, unless it is in memory already.  During
 * a batch, the store already has the batch's events that are not published
 * yet: those stay out, room_publish adds them in their turn (so a follower
 * gets them after the reply it is due before them).
 */
static void
room_load(struct room *r)
{
	struct reload rl = { r, INT64_MAX };
	size_t i;

	if (r->loaded)
		return;
	for (i = D.publishing; i < D.nitems; i++)
		if (D.items[i].kind == ITEM_EVENT && strcmp(json_string_value(
		    json_object_get(D.items[i].ev, "session")), r->code) == 0) {
			rl.before = json_integer_value(json_object_get(
			    D.items[i].ev, "seq"));
			break;
		}
	if (store_replay_session(D.store, r->code, room_reload_one, &rl) < 0) {
		lwsl_err("cannot read session %s: %s; stopping\n", r->code,
		    store_error(D.store));
		exit(1);
	}
	r->loaded = 1;
}

/* Forget r's history (nobody follows it, or it is read again). */
static void
room_unload(struct room *r)
{
	size_t i;

	for (i = 0; i < r->nhist; i++) {
		msg_unref(r->fac[i]);
		msg_unref(r->part[i]);
	}
	r->nhist = 0;
	/* live, room_publish flushed first; at exit the timers are gone */
	json_decref(r->pend);
	r->pend = NULL;
	free(r->fac);
	free(r->part);
	r->fac = r->part = NULL;
	r->caphist = 0;
	r->loaded = 0;
}

/*
 * Add a committed event to its session's history and send it to followers.
 * Participants and viewers get word additions coalesced (room_pend_word);
 * any other event first sends what is pending, so that order is kept.
 */
static void
room_publish(json_t *ev, const char *body)
{
	const char *code = json_string_value(json_object_get(ev, "session"));
	const char *name = json_string_value(json_object_get(ev, "ev"));
	struct room *r = room_get(code);
	json_t *pv = NULL;
	int coalesce, others = 0;
	size_t i, last;

	if (!r->loaded)
		return;		/* nobody follows it: the store has it */
	coalesce = D.live && D.ctx != NULL && name != NULL &&
	    strcmp(name, "word.added") == 0;
	if (!coalesce)
		room_flush(r);
	if (D.live && name && strcmp(name, "session.anonymized") == 0) {
		/* the stored events lost their names: so does the history */
		room_unload(r);
		room_load(r);
	} else
		room_append(r, ev, body, coalesce ? &pv : NULL);
	last = r->nhist - 1;
	for (i = 0; i < r->nsubs; i++) {
		/* the next follower's memory loads while this one's send runs */
		if (i + 1 < r->nsubs)
			__builtin_prefetch(r->subs[i + 1]);
		if (r->subs[i]->role == ROLE_FACILITATOR)
			conn_send(r->subs[i], r->fac[last]);
		else if (!coalesce)
			conn_send(r->subs[i], r->part[last]);
		else
			others = 1;	/* gets it in the next cloud.updated */
	}
	if (others)
		room_pend_word(r, ev, pv);
	json_decref(pv);
}

static int
conn_follows(const struct conn *c, const char *code)
{
	size_t i;

	for (i = 0; i < c->nfollows; i++)
		if (strcmp(c->follows[i], code) == 0)
			return 1;
	return 0;
}

/* Send c the events of code after since, then subscribe it. */
static void
room_follow(struct conn *c, const char *code, int64_t since)
{
	struct room *r = room_get(code);
	size_t i;

	if (conn_follows(c, code))
		return;
	room_load(r);
	room_flush(r);	/* the others get what the history already has */
	if (since < 0)
		since = 0;
	for (i = (size_t)since; i < r->nhist; i++)	/* asked for: no limit */
		conn_push(c, c->role == ROLE_FACILITATOR ? r->fac[i] :
		    r->part[i]);
	xgrow((void **)&r->subs, &r->capsubs, r->nsubs + 1, sizeof *r->subs);
	r->subs[r->nsubs++] = c;
	r->idle_since = 0;
	xgrow((void **)&c->follows, &c->capfollows, c->nfollows + 1,
	    sizeof *c->follows);
	snprintf(c->follows[c->nfollows++], CORE_CODE_LEN + 1, "%s", code);
}

void
dispatch_opened(struct conn *c)
{
	(void)c;
	M.connections++;
}

void
dispatch_closed(struct conn *c)
{
	size_t i, j;

	M.connections--;
	for (i = 0; i < c->nfollows; i++) {
		struct room *r = map_get_str(&D.rooms, c->follows[i]);

		for (j = 0; r != NULL && j < r->nsubs; j++)
			if (r->subs[j] == c) {
				r->subs[j] = r->subs[--r->nsubs];
				if (r->nsubs == 0)
					r->idle_since = mono_ms();
				break;
			}
	}
	c->nfollows = 0;
	for (i = 0; i < D.nitems; i++)
		if (D.items[i].conn == c)
			D.items[i].conn = NULL;
}

/* ---- the batch ----------------------------------------------------------- */

static struct item *
item_add(enum item_kind kind)
{
	struct item *it;

	xgrow((void **)&D.items, &D.capitems, D.nitems + 1, sizeof *D.items);
	it = &D.items[D.nitems++];
	memset(it, 0, sizeof *it);
	it->kind = kind;
	return it;
}

static void commit_cb(lws_sorted_usec_list_t *sul);

static void
schedule_commit(void)
{
	if (D.scheduled || D.ctx == NULL)
		return;
	D.scheduled = 1;
	lws_sul_schedule(D.ctx, 0, &D.sul, commit_cb, 1);
}

static void
batch_commit(void)
{
	int pending = store_pending(D.store);
	int64_t t0 = mono_us();
	size_t i, many;

	if (store_commit(D.store) < 0) {
		/*
		 * The memory state is ahead of the disk and nothing was
		 * answered: stop, so that a restart replays what is durable.
		 */
		lwsl_err("cannot commit to the database: %s; stopping\n",
		    store_error(D.store));
		exit(1);
	}
	if (pending) {
		double secs = (double)(mono_us() - t0) / 1e6;

		M.commits++;
		M.commit_sum += secs;
		for (i = 0; i < ARRAY_LEN(commit_buckets); i++)
			if (secs <= commit_buckets[i])
				M.commit_le[i]++;
	}
	/*
	 * Corked, each connection's frames of the batch go out in one write.
	 * One event and its replies give a follower one frame: then the
	 * frames go out at once, without a second pass over the followers.
	 * A follow replays the history: always corked.  With io_uring,
	 * always: uncork then writes to every follower in one system call.
	 */
	for (i = 0, many = 0; i < D.nitems; i++)
		if (D.items[i].kind != ITEM_REPLY)
			many += D.items[i].kind == ITEM_FOLLOW ? 2 : 1;
	if (many > 1 || transport_batches())
		transport_cork();
	for (i = 0; i < D.nitems; i++) {
		struct item *it = &D.items[i];

		D.publishing = i + 1;	/* the items room_load must leave out */
		switch (it->kind) {
		case ITEM_EVENT:
			room_publish(it->ev, it->body);
			json_decref(it->ev);
			free(it->body);
			break;
		case ITEM_REPLY:
			if (it->conn)
				conn_send(it->conn, it->reply);
			msg_unref(it->reply);
			break;
		case ITEM_FOLLOW:
			if (it->conn)
				room_follow(it->conn, it->session, it->since);
			break;
		}
	}
	D.nitems = D.publishing = 0;
	transport_uncork();
}

static void
commit_cb(lws_sorted_usec_list_t *sul)
{
	(void)sul;
	D.scheduled = 0;
	batch_commit();
}

/* Move the core's new events into the store and the batch. */
static void
take_events(void)
{
	json_t *evs = core_take_events(D.core), *ev;
	size_t i;

	json_array_foreach(evs, i, ev) {
		char *body = jtext_compact(ev);
		struct item *it;

		if (store_append(D.store,
		    json_string_value(json_object_get(ev, "session")),
		    json_integer_value(json_object_get(ev, "seq")),
		    json_integer_value(json_object_get(ev, "time")),
		    json_string_value(json_object_get(ev, "ev")), body) < 0) {
			lwsl_err("cannot write to the database: %s; stopping\n",
			    store_error(D.store));
			exit(1);
		}
		M.events++;
		if (strcmp(json_string_value(json_object_get(ev, "ev")),
		    "session.anonymized") == 0 && store_redact_names(D.store,
		    json_string_value(json_object_get(ev, "session"))) < 0) {
			lwsl_err("cannot delete names: %s; stopping\n",
			    store_error(D.store));
			exit(1);
		}
		it = item_add(ITEM_EVENT);
		it->ev = json_incref(ev);
		it->body = body;
	}
	json_decref(evs);
}

static void
queue_reply(struct conn *c, json_t *reply)
{
	char *s = jtext_compact(reply);
	struct item *it = item_add(ITEM_REPLY);

	it->conn = c;
	it->reply = msg_new(s, strlen(s));
	free(s);
	schedule_commit();
}

static void
queue_follow(struct conn *c, const char *code, int64_t since)
{
	struct item *it = item_add(ITEM_FOLLOW);

	it->conn = c;
	snprintf(it->session, sizeof it->session, "%s", code);
	it->since = since;
	schedule_commit();
}

static void
reply_error(struct conn *c, json_t *rid, int err, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	json_t *r;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (err > 0 && err < ERR_COUNT)
		M.rejected[err]++;
	r = json_pack("{s:O, s:b, s:s, s:s}", "re", rid ? rid : json_null(),
	    "ok", 0, "error", core_err_code(err), "message", msg);
	queue_reply(c, r);
	json_decref(r);
}

/* ---- requests ------------------------------------------------------------ */

static char op_msg[256];	/* message of a server-side op's failure */

/*
 * Wrong session codes, resume secrets and tokens per source address: past
 * guess_limit in a minute, that address gets rate_limited until the minute
 * is over.  A town hall's phones may share one address behind NAT, hence
 * a generous default.
 */
struct guesses {
	int64_t window;		/* start of the minute, monotonic ms */
	int fails;
};

static struct map guess_map;	/* address -> struct guesses */

static struct guesses *
guesses_of(const struct conn *c)
{
	struct guesses *g;
	int64_t now = mono_ms();

	if (guess_map.slots == NULL)
		map_init_str(&guess_map);
	g = map_get_str(&guess_map, c->peer);
	if (g == NULL) {
		g = xcalloc(1, sizeof *g);
		map_put_str(&guess_map, c->peer, g);
	}
	if (now - g->window >= 60000) {
		g->window = now;
		g->fails = 0;
	}
	return g;
}

static int
guess_blocked(const struct conn *c)
{
	return D.cfg->guess_limit > 0 &&
	    guesses_of(c)->fails >= D.cfg->guess_limit;
}

static int
guess_failed(const struct conn *c, int rc)
{
	if (rc == -ERR_NOT_FOUND || rc == -ERR_UNAUTHORIZED)
		guesses_of(c)->fails++;
	return rc;
}

static int
op_fail(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(op_msg, sizeof op_msg, fmt, ap);
	va_end(ap);
	return -err;
}

/*
 * Follow c->session once this request is answered: with since (an integer),
 * the events after it, sent after the reply; otherwise from now on, and
 * with a snapshot of the session in the reply when snap_for is not NULL.
 */
static void
follow_session(struct conn *c, json_t *since, json_t *reply,
    const struct actor *snap_for, struct post *post)
{
	post->follow = c->session;
	if (json_is_integer(since)) {
		post->since = json_integer_value(since);
		post->follow_after_reply = 1;
		return;
	}
	if (snap_for != NULL)
		json_object_set_new(reply, "session", core_session_snapshot(
		    D.core, c->session, snap_for));
	post->since = core_session_seq(D.core, c->session);
}

/* The fields every hello reply has. */
static void
hello_reply(json_t *reply, json_t *you, const char *resume)
{
	json_object_set_new(reply, "you", you);
	json_object_set_new(reply, "resume", resume ? json_string(resume) :
	    json_null());
	json_object_set_new(reply, "protocol", json_string(ATELIER_PROTOCOL));
}

static int
op_hello(struct conn *c, json_t *req, json_t *reply, struct post *post)
{
	const char *role = json_string_value(json_object_get(req, "role"));
	json_t *since = json_object_get(req, "since");
	struct actor a;
	int rc;

	if (c->role != ROLE_NONE)
		return op_fail(ERR_UNAUTHORIZED, "hello was already sent");
	if (guess_blocked(c))
		return op_fail(ERR_RATE_LIMITED, "too many wrong codes or tokens "
		    "from this address: wait a minute");
	if (since != NULL && !json_is_null(since) && !json_is_integer(since))
		return op_fail(ERR_BAD_REQUEST, "field 'since' must be an "
		    "integer");
	if (role != NULL && strcmp(role, "facilitator") == 0) {
		const char *tok = json_string_value(json_object_get(req,
		    "token"));
		const char *code = json_string_value(json_object_get(req,
		    "session"));
		char norm[CORE_CODE_LEN + 1];

		if (tok == NULL || strcmp(tok, D.cfg->token) != 0)
			return guess_failed(c, op_fail(ERR_UNAUTHORIZED,
			    "wrong facilitator token"));
		if (code != NULL && (core_check_code(D.core, code, norm) < 0 ||
		    !core_session_exists(D.core, norm)))
			return op_fail(ERR_NOT_FOUND, "no session %s", code);
		c->role = ROLE_FACILITATOR;
		c->pid = 0;
		hello_reply(reply, core_participant_you(D.core, 0), NULL);
		if (code != NULL) {
			snprintf(c->session, sizeof c->session, "%s", norm);
			follow_session(c, since, reply, NULL, post);
		}
		return 0;
	}
	if (role != NULL && strcmp(role, "viewer") == 0) {
		const char *code = json_string_value(json_object_get(req,
		    "code"));
		char norm[CORE_CODE_LEN + 1];

		if (code == NULL)
			return op_fail(ERR_BAD_REQUEST, "a viewer needs 'code'");
		if (core_check_code(D.core, code, norm) < 0 ||
		    !core_session_exists(D.core, norm))
			return guess_failed(c, op_fail(ERR_NOT_FOUND,
			    "no session %s", code));
		c->role = ROLE_VIEWER;
		c->pid = -1;
		snprintf(c->session, sizeof c->session, "%s", norm);
		a.role = ROLE_VIEWER;
		a.pid = -1;
		hello_reply(reply, json_pack("{s:n, s:s, s:n}", "id", "role",
		    "viewer", "name"), NULL);
		follow_session(c, since, reply, &a, post);
		return 0;
	}
	if (role == NULL || strcmp(role, "participant") != 0)
		return op_fail(ERR_BAD_REQUEST, "hello needs role 'facilitator' "
		    "with a token, 'participant' with a code or a resume "
		    "secret, or 'viewer' with a code");
	if (json_is_string(json_object_get(req, "resume"))) {
		rc = core_participant_resume(D.core, json_string_value(
		    json_object_get(req, "resume")), &c->pid);
	} else if (json_is_string(json_object_get(req, "code"))) {
		rc = core_participant_join(D.core, json_string_value(
		    json_object_get(req, "code")), json_object_get(req, "name"),
		    &c->pid);
		since = NULL;
	} else
		return op_fail(ERR_BAD_REQUEST, "a participant's hello needs "
		    "'code' or 'resume'");
	if (rc < 0)
		return guess_failed(c, rc);
	c->role = ROLE_PARTICIPANT;
	snprintf(c->session, sizeof c->session, "%s",
	    core_participant_session(D.core, c->pid));
	a.role = ROLE_PARTICIPANT;
	a.pid = c->pid;
	hello_reply(reply, core_participant_you(D.core, c->pid),
	    core_participant_secret(D.core, c->pid));
	follow_session(c, since, reply, &a, post);
	return 0;
}

static int
op_ping(struct conn *c, json_t *req, json_t *reply, struct post *post)
{
	(void)c;
	(void)req;
	(void)post;
	json_object_set_new(reply, "time", json_integer(now_ms()));
	return 0;
}

static int
op_session_join(struct conn *c, json_t *req, json_t *reply, struct post *post)
{
	const char *code = json_string_value(json_object_get(req, "code"));
	json_t *since = json_object_get(req, "since");
	struct actor a = { ROLE_FACILITATOR, 0 };
	char norm[CORE_CODE_LEN + 1];

	if (code == NULL)
		return op_fail(ERR_BAD_REQUEST, "field 'code' is required");
	if (since != NULL && !json_is_null(since) && !json_is_integer(since))
		return op_fail(ERR_BAD_REQUEST, "field 'since' must be an "
		    "integer");
	if (core_check_code(D.core, code, norm) < 0 ||
	    !core_session_exists(D.core, norm))
		return op_fail(ERR_NOT_FOUND, "no session %s", code);
	/* the facilitator's console always wants the snapshot */
	json_object_set_new(reply, "session",
	    core_session_snapshot(D.core, norm, &a));
	snprintf(c->session, sizeof c->session, "%s", norm);
	follow_session(c, since, reply, NULL, post);
	return 0;
}

static int
op_session_create(struct conn *c, json_t *req, json_t *reply,
    struct post *post)
{
	struct actor a = { ROLE_FACILITATOR, 0 };
	const char *code;
	int rc;

	if ((rc = core_session_create(D.core, &a, NULL, req, reply)) < 0)
		return rc;
	code = json_string_value(json_object_get(json_object_get(reply,
	    "session"), "code"));
	snprintf(c->session, sizeof c->session, "%s", code);
	post->follow = c->session;
	post->since = 0;	/* the creator sees session.created */
	return 0;
}

/* Requests that the core answers alone. */
#define CORE_OP(ident)							\
static int								\
op_##ident(struct conn *c, json_t *req, json_t *reply, struct post *post) \
{									\
	struct actor a = { c->role, c->pid };				\
	(void)post;							\
	return core_##ident(D.core, &a, c->role != ROLE_FACILITATOR ?	\
	    c->session : NULL, req, reply);				\
}
CORE_OP(session_list)
CORE_OP(session_update)
CORE_OP(session_close)
CORE_OP(session_reopen)
CORE_OP(session_archive)
CORE_OP(session_unarchive)
CORE_OP(session_focus)
CORE_OP(timer_start)
CORE_OP(timer_pause)
CORE_OP(timer_resume)
CORE_OP(timer_stop)
CORE_OP(portfolio_create)
CORE_OP(portfolio_update)
CORE_OP(portfolio_add)
CORE_OP(portfolio_remove)
CORE_OP(portfolio_list)
CORE_OP(portfolio_get)
CORE_OP(board_create)
CORE_OP(board_get)
CORE_OP(board_lock)
CORE_OP(board_unlock)
CORE_OP(note_add)
CORE_OP(note_update)
CORE_OP(note_delete)
CORE_OP(note_vote)
CORE_OP(note_unvote)
CORE_OP(note_hide)
CORE_OP(note_show)
CORE_OP(word_add)
CORE_OP(word_hide)
CORE_OP(word_show)
CORE_OP(word_merge)
CORE_OP(word_ban)
CORE_OP(word_unban)
CORE_OP(board_reset)
CORE_OP(cloud_layout)
CORE_OP(cluster_suggest)
CORE_OP(cluster_apply)
CORE_OP(cluster_rename)
CORE_OP(cluster_move)
CORE_OP(cluster_merge)
CORE_OP(cluster_split)
#undef CORE_OP

enum who { WHO_ANY, WHO_READ, WHO_PART, WHO_FAC };

static const struct op {
	const char *name;
	enum who who;
	int (*fn)(struct conn *, json_t *, json_t *, struct post *);
} ops[] = {
#define OP(name, ident, who) { name, WHO_##who, op_##ident },
#include "../proto/protocol.def"
#undef OP
};

static const struct op *
op_find(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_LEN(ops); i++)
		if (strcmp(ops[i].name, name) == 0)
			return &ops[i];
	return NULL;
}

/* Token bucket: rate per second, bursts of twice the rate. */
static int
rate_ok(struct conn *c)
{
	int64_t now = mono_ms();
	double burst = D.cfg->rate * 2;

	if (c->role == ROLE_FACILITATOR || D.cfg->rate <= 0)
		return 1;
	if (c->tokens_at < 0)
		c->tokens = burst;
	else
		c->tokens += (double)(now - c->tokens_at) * D.cfg->rate / 1000.0;
	if (c->tokens > burst)
		c->tokens = burst;
	c->tokens_at = now;
	if (c->tokens < 1.0)
		return 0;
	c->tokens -= 1.0;
	return 1;
}

void
dispatch_frame(struct conn *c, const char *buf, size_t len)
{
	json_t *req, *rid, *reply = NULL;
	const char *name, *msg;
	const struct op *op;
	struct post post = { NULL, 0, 0 };
	char text[256];
	int rc, dec;

	M.requests++;
	dec = request_decode(buf, len, &req, text, sizeof text);
	if (dec == REQUEST_NO_RID) {
		reply_error(c, NULL, ERR_BAD_REQUEST, "%s", text);
		return;
	}
	rid = json_object_get(req, "rid");
	if (!rate_ok(c)) {
		reply_error(c, rid, ERR_RATE_LIMITED, "too many requests: at "
		    "most %g per second", D.cfg->rate);
		goto out;
	}
	if (dec == REQUEST_BAD_OP) {
		reply_error(c, rid, ERR_BAD_REQUEST, "%s", text);
		goto out;
	}
	name = json_string_value(json_object_get(req, "op"));
	if ((op = op_find(name)) == NULL) {
		reply_error(c, rid, ERR_UNKNOWN_OP, "unknown op '%s'", name);
		goto out;
	}
	if (op->who != WHO_ANY && c->role == ROLE_NONE) {
		reply_error(c, rid, ERR_UNAUTHORIZED, "send hello first");
		goto out;
	}
	if (op->who == WHO_PART && c->role == ROLE_VIEWER) {
		reply_error(c, rid, ERR_FORBIDDEN, "a viewer cannot send '%s'",
		    name);
		goto out;
	}
	if (op->who == WHO_FAC && c->role != ROLE_FACILITATOR) {
		reply_error(c, rid, ERR_FORBIDDEN, "'%s' is for the "
		    "facilitator only", name);
		goto out;
	}
	core_set_time(D.core, now_ms());
	op_msg[0] = '\0';
	reply = json_pack("{s:O, s:b}", "re", rid, "ok", 1);
	rc = op->fn(c, req, reply, &post);
	take_events();
	if (rc < 0) {
		msg = op_msg[0] ? op_msg : core_errmsg(D.core);
		reply_error(c, rid, -rc, "%s", msg[0] ? msg : "request failed");
		goto out;
	}
	if (post.follow && !post.follow_after_reply)
		queue_follow(c, post.follow, post.since);
	queue_reply(c, reply);
	if (post.follow && post.follow_after_reply)
		queue_follow(c, post.follow, post.since);
out:
	json_decref(reply);
	json_decref(req);
}

void
dispatch_too_large(struct conn *c)
{
	reply_error(c, NULL, ERR_TOO_LARGE, "the frame is larger than %d "
	    "bytes", FRAME_MAX);
}

void
dispatch_binary(struct conn *c)
{
	reply_error(c, NULL, ERR_BAD_REQUEST,
	    "binary frames are not accepted: send JSON text");
}

/* ---- start and stop -------------------------------------------------------- */

int
dispatch_replay_event(void *arg, const char *body, int64_t len)
{
	json_error_t jerr;
	json_t *ev = json_loadb(body, (size_t)len, 0, &jerr);

	(void)arg;
	if (ev == NULL) {
		lwsl_err("stored event is not JSON: %s\n", jerr.text);
		return -1;
	}
	if (core_replay(D.core, ev) < 0) {
		lwsl_err("%s\n", core_errmsg(D.core));
		json_decref(ev);
		return -1;
	}
	room_publish(ev, body);
	json_decref(ev);
	return 0;
}

/* Delete the names of sessions whose retention period is over. */
static void
retention_check(lws_sorted_usec_list_t *sul)
{
	const char **codes;
	size_t n, i;

	(void)sul;
	core_set_time(D.core, now_ms() + D.cfg->clock_offset_ms);
	n = core_retention_due(D.core, now_ms() + D.cfg->clock_offset_ms,
	    &codes);
	for (i = 0; i < n; i++) {
		lwsl_user("retention: deleting the participants' names of "
		    "session %s\n", codes[i]);
		core_session_anonymize(D.core, codes[i]);
	}
	free(codes);
	if (n > 0) {
		take_events();
		schedule_commit();
	}
	if (D.ctx != NULL)
		lws_sul_schedule(D.ctx, 0, &D.retention_sul, retention_check,
		    60 * LWS_US_PER_SEC);
}

/* Give back the memory of histories nobody has followed for a while. */
static void
idle_check(lws_sorted_usec_list_t *sul)
{
	int64_t idle_ms = (int64_t)D.cfg->history_idle_s * 1000, now = mono_ms();
	int64_t every = idle_ms / 4;	/* looked at 4 times a period */
	size_t i;

	(void)sul;
	for (i = 0; i < D.rooms.cap; i++) {
		struct room *r = room_slot(i);

		if (r != NULL && r->loaded && r->nsubs == 0 &&
		    r->idle_since > 0 && now - r->idle_since >= idle_ms) {
			room_flush(r);	/* nobody to send to: drops it */
			room_unload(r);
		}
	}
	if (every < 250)
		every = 250;
	if (every > 60000)
		every = 60000;
	lws_sul_schedule(D.ctx, 0, &D.idle_sul, idle_check,
	    every * LWS_US_PER_MS);
}

void
dispatch_start(struct lws_context *ctx)
{
	D.ctx = ctx;
	D.live = 1;
	retention_check(NULL);
	if (D.cfg->history_idle_s > 0)
		idle_check(NULL);
}

json_t *
dispatch_session_events(const char *const *codes, size_t n)
{
	json_t *all = json_object();
	size_t i, j;

	for (i = 0; i < n; i++) {
		struct room *r = map_get_str(&D.rooms, codes[i]), tmp;
		json_t *list = json_array();

		if (r == NULL || !r->loaded) {	/* read it, keep nothing */
			memset(&tmp, 0, sizeof tmp);
			snprintf(tmp.code, sizeof tmp.code, "%s", codes[i]);
			r = &tmp;
			room_load(r);
		}
		for (j = 0; j < r->nhist; j++)
			json_array_append_new(list, json_loadb((const char *)
			    r->fac[j]->data + LWS_PRE, r->fac[j]->len, 0, NULL));
		json_object_set_new(all, codes[i], list);
		if (r == &tmp)
			room_unload(r);
	}
	return all;
}

int
dispatch_commit_now(void)
{
	take_events();
	batch_commit();		/* stops the program if it cannot commit */
	return 0;
}

char *
dispatch_metrics(void)
{
	char *out = NULL;
	size_t len = 0, i;
	FILE *f = open_memstream(&out, &len);
	unsigned long long cum = 0;
	struct transport_stats ts;
	long histories = 0;

	for (i = 0; i < D.rooms.cap; i++) {
		struct room *r = room_slot(i);

		if (r != NULL && r->loaded)
			histories++;
	}
	fprintf(f, "# HELP atelier_connections WebSocket connections open.\n"
	    "# TYPE atelier_connections gauge\natelier_connections %ld\n",
	    M.connections);
	fprintf(f, "# HELP atelier_histories_loaded Sessions whose history is "
	    "in memory (followed now or within --history-idle).\n"
	    "# TYPE atelier_histories_loaded gauge\n"
	    "atelier_histories_loaded %ld\n", histories);
	fprintf(f, "# HELP atelier_sessions Sessions held by this server.\n"
	    "# TYPE atelier_sessions gauge\natelier_sessions %zu\n",
	    core_session_count(D.core));
	fprintf(f, "# HELP atelier_events_total Events stored since start.\n"
	    "# TYPE atelier_events_total counter\natelier_events_total %llu\n",
	    M.events);
	fprintf(f, "# HELP atelier_requests_total Request frames received.\n"
	    "# TYPE atelier_requests_total counter\n"
	    "atelier_requests_total %llu\n", M.requests);
	transport_counters(&ts);
	fprintf(f, "# HELP atelier_frames_sent_total WebSocket frames sent.\n"
	    "# TYPE atelier_frames_sent_total counter\n"
	    "atelier_frames_sent_total %llu\n", ts.frames);
	fprintf(f, "# HELP atelier_writes_total Writes to sockets that carried "
	    "them (several frames for one connection go in one write).\n"
	    "# TYPE atelier_writes_total counter\natelier_writes_total %llu\n",
	    ts.writes);
	fprintf(f, "# HELP atelier_partial_writes_total Writes the kernel took "
	    "only part of, or none (the rest waits until the client reads).\n"
	    "# TYPE atelier_partial_writes_total counter\n"
	    "atelier_partial_writes_total %llu\n", ts.partial);
	fprintf(f, "# HELP atelier_slow_closed_total Connections closed because "
	    "they read too slowly (1008 \"too slow\").\n"
	    "# TYPE atelier_slow_closed_total counter\n"
	    "atelier_slow_closed_total %llu\n", ts.slow_closed);
	fprintf(f, "# HELP atelier_cloud_words_total Word additions sent to "
	    "participants coalesced.\n# TYPE atelier_cloud_words_total counter\n"
	    "atelier_cloud_words_total %llu\n", M.cloud_words);
	fprintf(f, "# HELP atelier_cloud_frames_total cloud.updated frames "
	    "that carried them.\n# TYPE atelier_cloud_frames_total counter\n"
	    "atelier_cloud_frames_total %llu\n", M.cloud_frames);
	fprintf(f, "# HELP atelier_rejected_total Requests answered with an "
	    "error, by code.\n# TYPE atelier_rejected_total counter\n");
	for (i = 1; i < ERR_COUNT; i++)
		fprintf(f, "atelier_rejected_total{code=\"%s\"} %llu\n",
		    core_err_code((int)i), M.rejected[i]);
	fprintf(f, "# HELP atelier_commit_seconds SQLite commit latency (one "
	    "commit per batch of requests).\n"
	    "# TYPE atelier_commit_seconds histogram\n");
	for (i = 0; i < ARRAY_LEN(commit_buckets); i++) {
		cum = M.commit_le[i];
		fprintf(f, "atelier_commit_seconds_bucket{le=\"%g\"} %llu\n",
		    commit_buckets[i], cum);
	}
	fprintf(f, "atelier_commit_seconds_bucket{le=\"+Inf\"} %llu\n"
	    "atelier_commit_seconds_sum %.6f\natelier_commit_seconds_count "
	    "%llu\n", M.commits, M.commit_sum, M.commits);
	fclose(f);
	return out;
}

struct core *
dispatch_core(void)
{
	return D.core;
}

const struct server_config *
dispatch_config(void)
{
	return D.cfg;
}

int
dispatch_init(struct lws_context *ctx, const struct server_config *cfg,
    struct core *core, struct store *store)
{
	D.ctx = ctx;
	D.cfg = cfg;
	D.core = core;
	D.store = store;
	if (D.rooms.slots == NULL)
		map_init_str(&D.rooms);
	return 0;
}

void
dispatch_shutdown(void)
{
	if (D.nitems > 0)
		batch_commit();
}

void
dispatch_free(void)
{
	size_t i;

	for (i = 0; i < D.rooms.cap; i++) {
		struct room *r = room_slot(i);

		if (r == NULL)
			continue;
		room_unload(r);
		free(r->subs);
		free(r);
	}
	map_free(&D.rooms);
	free(D.items);
}
