/*
 * fuzz-request.c - libFuzzer target on the request path of atelierd, without
 * the network: request_decode() (common/request.h) on each frame, then the
 * core's handler for its op (common/core.h), as the server's dispatch would
 * call it, against a core that already holds one session with a wall and a
 * cloud, two participants, a note and a word.
 *
 * Input: up to MAX_FRAMES frames separated by the byte 0x1e (ASCII RS, which
 * valid JSON never holds raw).  Each frame is decoded; a decoded request
 * whose op is a core handler runs as the facilitator when its rid is even,
 * as participant 1 when rid % 4 == 1, as participant 2 when rid % 4 == 3,
 * with the role rules of proto/protocol.def (participants act on their own
 * session only).  {"op":"hello","role":"participant","code":..} joins.
 *
 * Besides the sanitizers, it aborts when an invariant breaks:
 *   - every event the core emitted, written as JSON text and read back (as
 *     the store does), replays into a fresh core (core_replay() == 0);
 *   - the replayed core's snapshots (facilitator and participant views) are
 *     equal to the live core's: the state after a restart is the state
 *     before;
 *   - a reply and every event view serialise to JSON.
 *
 * ATELIER_FUZZ_VERBOSE=1 prints the fixture's code and ids (to write seeds).
 */
#include "common/core.h"
#include "common/request.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FRAMES 8
#define SEP 0x1e

enum who { WHO_ANY, WHO_READ, WHO_PART, WHO_FAC };

/*
 * Every op of proto/protocol.def whose handler is in the core: the table is
 * built from the same X-macro as the server's, so a new op is fuzzed as
 * soon as it exists.  The server-only ops have no core handler: hello (a
 * participant's hello with a code is core_participant_join, below), ping,
 * session.join.  A new server-only op must be added to this list.
 */
#define core_hello NULL
#define core_ping NULL
#define core_session_join NULL

static const struct {
	const char *name;
	enum who who;
	core_handler fn;
} handlers[] = {
#define OP(name, ident, who) { name, WHO_##who, core_##ident },
#include "proto/protocol.def"
#undef OP
};

/* Deterministic "randomness": the same input always gives the same run. */
static uint64_t rng_state;

static void
fuzz_random(void *buf, size_t n)
{
	unsigned char *p = buf;

	while (n-- > 0) {
		rng_state ^= rng_state << 13;
		rng_state ^= rng_state >> 7;
		rng_state ^= rng_state << 17;
		*p++ = (unsigned char)rng_state;
	}
}

static void
die(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz-request: invariant broken: %s\n%s\n", what,
	    detail ? detail : "");
	abort();
}

/* Move the core's new events into log. */
static void
drain(struct core *c, json_t *log)
{
	json_t *evs = core_take_events(c);

	json_array_extend(log, evs);
	json_decref(evs);
}

/* Run handler fn with the request given as text; 0 or -ERR_x. */
static int
run_text(struct core *c, core_handler fn, const struct actor *a,
    const char *session_of, const char *text, json_t **reply)
{
	json_t *req = json_loads(text, 0, NULL);
	int rc;

	*reply = json_object();
	rc = fn(c, a, session_of, req, *reply);
	json_decref(req);
	return rc;
}

struct fixture {
	struct core *core;
	json_t *log;		/* every event, in order */
	char code[CORE_CODE_LEN + 1];
	int64_t wall, cloud, p1, p2;
};

static const struct actor fac = { ROLE_FACILITATOR, 0 };

static void
fixture_new(struct fixture *f)
{
	json_t *r, *name;
	char buf[256];
	struct actor a;

	rng_state = 0x9e3779b97f4a7c15ULL;
	f->core = core_new("http://127.0.0.1:8080", fuzz_random);
	f->log = json_array();
	core_set_time(f->core, 1700000000000);
	if (run_text(f->core, core_session_create, &fac, NULL,
	    "{\"title\":\"Fuzz\",\"lang\":\"fr\"}", &r) != 0)
		die("fixture: session.create", core_errmsg(f->core));
	snprintf(f->code, sizeof f->code, "%s", json_string_value(
	    json_object_get(json_object_get(r, "session"), "code")));
	json_decref(r);
	snprintf(buf, sizeof buf, "{\"session\":\"%s\",\"kind\":\"wall\","
	    "\"title\":\"Idées\",\"vote_limit\":3}", f->code);
	if (run_text(f->core, core_board_create, &fac, NULL, buf, &r) != 0)
		die("fixture: board.create wall", core_errmsg(f->core));
	f->wall = json_integer_value(json_object_get(json_object_get(r,
	    "board"), "id"));
	json_decref(r);
	snprintf(buf, sizeof buf, "{\"session\":\"%s\",\"kind\":\"cloud\","
	    "\"title\":\"Un mot\",\"word_quota\":4}", f->code);
	if (run_text(f->core, core_board_create, &fac, NULL, buf, &r) != 0)
		die("fixture: board.create cloud", core_errmsg(f->core));
	f->cloud = json_integer_value(json_object_get(json_object_get(r,
	    "board"), "id"));
	json_decref(r);
	name = json_string("Ana");
	if (core_participant_join(f->core, f->code, name, &f->p1) != 0 ||
	    core_participant_join(f->core, f->code, NULL, &f->p2) != 0)
		die("fixture: join", core_errmsg(f->core));
	json_decref(name);
	a.role = ROLE_PARTICIPANT;
	a.pid = f->p1;
	snprintf(buf, sizeof buf, "{\"board\":%lld,\"text\":\"Plus de vélos\","
	    "\"cid\":\"c1\"}", (long long)f->wall);
	if (run_text(f->core, core_note_add, &a, f->code, buf, &r) != 0)
		die("fixture: note.add", core_errmsg(f->core));
	json_decref(r);
	snprintf(buf, sizeof buf, "{\"board\":%lld,\"text\":\"les Déchets\"}",
	    (long long)f->cloud);
	if (run_text(f->core, core_word_add, &a, f->code, buf, &r) != 0)
		die("fixture: word.add", core_errmsg(f->core));
	json_decref(r);
	drain(f->core, f->log);
}

static void
fixture_free(struct fixture *f)
{
	core_free(f->core);
	json_decref(f->log);
}

/* Serialise v (a reply or an event view); it must work. */
static void
must_dump(json_t *v, const char *what)
{
	char *s = json_dumps(v, JSON_COMPACT);

	if (s == NULL)
		die("cannot serialise", what);
	free(s);
}

static void
run_frame(struct fixture *f, const char *buf, size_t len, int64_t now)
{
	char msg[256];
	json_t *req, *reply;
	const char *op;
	struct actor a;
	json_int_t rid;
	size_t i;
	int rc;

	if (request_decode(buf, len, &req, msg, sizeof msg) != REQUEST_OK) {
		json_decref(req);
		return;
	}
	op = json_string_value(json_object_get(req, "op"));
	rid = json_integer_value(json_object_get(req, "rid"));
	a.role = (rid & 1) ? ROLE_PARTICIPANT : ROLE_FACILITATOR;
	a.pid = !(rid & 1) ? 0 : (rid & 2) ? f->p2 : f->p1;
	core_set_time(f->core, now);
	if (strcmp(op, "hello") == 0) {
		const char *code = json_string_value(json_object_get(req,
		    "code"));
		const char *secret = json_string_value(json_object_get(req,
		    "resume"));
		int64_t pid;

		if (code != NULL)
			core_participant_join(f->core, code, json_object_get(req,
			    "name"), &pid);
		else if (secret != NULL)
			core_participant_resume(f->core, secret, &pid);
		drain(f->core, f->log);
		json_decref(req);
		return;
	}
	for (i = 0; i < sizeof handlers / sizeof handlers[0]; i++)
		if (strcmp(handlers[i].name, op) == 0)
			break;
	if (i == sizeof handlers / sizeof handlers[0] || handlers[i].fn == NULL ||
	    (handlers[i].who == WHO_FAC && a.role != ROLE_FACILITATOR)) {
		json_decref(req);
		return;
	}
	reply = json_pack("{s:O, s:b}", "re", json_object_get(req, "rid"),
	    "ok", 1);
	rc = handlers[i].fn(f->core, &a, a.role == ROLE_FACILITATOR ? NULL :
	    f->code, req, reply);
	if (rc > 0 || rc <= -ERR_COUNT)
		die("handler returned a code out of range", op);
	if (rc < 0 && core_errmsg(f->core)[0] == '\0')
		die("error without a message", op);
	must_dump(reply, op);
	json_decref(reply);
	json_decref(req);
	drain(f->core, f->log);
}

/* Replay f's log into a fresh core, through JSON text as the store does,
 * and compare the two states. */
static void
check_replay(struct fixture *f)
{
	struct core *b = core_new("http://127.0.0.1:8080", fuzz_random);
	static const enum core_role roles[] = { ROLE_FACILITATOR,
	    ROLE_PARTICIPANT, ROLE_VIEWER };
	struct actor views[3] = { { ROLE_FACILITATOR, 0 },
	    { ROLE_PARTICIPANT, 0 }, { ROLE_PARTICIPANT, 0 } };
	json_t *ev;
	size_t i, j;

	views[1].pid = f->p1;
	views[2].pid = f->p2;
	json_array_foreach(f->log, i, ev) {
		char *text = json_dumps(ev, JSON_COMPACT);
		json_t *back;

		if (text == NULL)
			die("an event does not serialise", NULL);
		back = json_loads(text, JSON_REJECT_DUPLICATES, NULL);
		if (back == NULL)
			die("an event does not read back", text);
		if (core_replay(b, back) != 0) {
			fprintf(stderr, "%s\n", core_errmsg(b));
			die("an emitted event does not replay", text);
		}
		for (j = 0; j < 3; j++) {
			json_t *v = core_event_view(f->core, ev, roles[j]);

			must_dump(v, "event view");
			json_decref(v);
		}
		json_decref(back);
		free(text);
	}
	for (j = 0; j < 3; j++) {
		json_t *live = core_session_snapshot(f->core, f->code,
		    &views[j]);
		json_t *again = core_session_snapshot(b, f->code, &views[j]);

		if (!json_equal(live, again)) {
			char *l = json_dumps(live, JSON_COMPACT | JSON_SORT_KEYS);
			char *r = json_dumps(again, JSON_COMPACT |
			    JSON_SORT_KEYS);

			fprintf(stderr, "live:     %s\nreplayed: %s\n", l, r);
			die("the replayed state differs from the live state",
			    NULL);
		}
		json_decref(live);
		json_decref(again);
	}
	core_free(b);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (getenv("ATELIER_FUZZ_VERBOSE") != NULL) {
		struct fixture f;

		fixture_new(&f);
		printf("code %s wall %lld cloud %lld p1 %lld p2 %lld events "
		    "%zu\n", f.code, (long long)f.wall, (long long)f.cloud,
		    (long long)f.p1, (long long)f.p2, json_array_size(f.log));
		fixture_free(&f);
	}
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fixture f;
	size_t start = 0, i, nframes = 0;

	if (size > 70000)
		return 0;
	fixture_new(&f);
	for (i = 0; i <= size && nframes < MAX_FRAMES; i++) {
		if (i < size && data[i] != SEP)
			continue;
		run_frame(&f, (const char *)data + start, i - start,
		    1700000001000 + (int64_t)nframes * 1000);
		nframes++;
		start = i + 1;
	}
	check_replay(&f);
	fixture_free(&f);
	return 0;
}
