/*
 * test-core.c - unit tests of common/core.c: the request handlers, the
 * events they emit, and replay of those events into a fresh core.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "common/core.h"

static unsigned seed = 1;

static void
fake_random(void *buf, size_t n)
{
	unsigned char *p = buf;

	while (n--) {
		seed = seed * 1103515245u + 12345u;
		*p++ = (unsigned char)(seed >> 16);
	}
}

static const struct actor fac = { ROLE_FACILITATOR, 0 };

struct fixture {
	struct core *c;
	json_t *log;		/* every event emitted, in order */
	char code[8];
	int64_t board;
};

static void
drain(struct fixture *f)
{
	json_t *evs = core_take_events(f->c);

	json_array_extend(f->log, evs);
	json_decref(evs);
}

/* Run a handler with a request given as a JSON text; returns rc. */
static int
run(struct fixture *f, core_handler h, const struct actor *a,
    const char *session_of, json_t **reply, const char *fmt, ...)
{
	va_list ap;
	json_t *req;
	int rc;

	va_start(ap, fmt);
	req = json_vpack_ex(NULL, 0, fmt, ap);
	va_end(ap);
	assert_non_null(req);
	*reply = json_object();
	rc = h(f->c, a, session_of, req, *reply);
	json_decref(req);
	drain(f);
	return rc;
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	json_t *r;

	f->c = core_new("http://10.0.0.5:8080", fake_random);
	f->log = json_array();
	core_set_time(f->c, 1700000000000);
	assert_int_equal(run(f, core_session_create, &fac, NULL, &r,
	    "{s:s}", "title", "  Déchets dans la nature "), 0);
	strcpy(f->code, json_string_value(json_object_get(
	    json_object_get(r, "session"), "code")));
	assert_string_equal(json_string_value(json_object_get(
	    json_object_get(r, "session"), "title")), "Déchets dans la nature");
	json_decref(r);
	assert_int_equal(run(f, core_board_create, &fac, NULL, &r,
	    "{s:s, s:s, s:s, s:i}", "session", f->code, "kind", "wall",
	    "title", "Idées", "vote_limit", 2), 0);
	f->board = json_integer_value(json_object_get(json_object_get(r,
	    "board"), "id"));
	json_decref(r);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	core_free(f->c);
	json_decref(f->log);
	free(f);
	return 0;
}

static int64_t
join(struct fixture *f, const char *name)
{
	int64_t pid = -1;
	json_t *n = name ? json_string(name) : json_null();

	assert_int_equal(core_participant_join(f->c, f->code, n, &pid), 0);
	json_decref(n);
	drain(f);
	return pid;
}

static int64_t
add_note(struct fixture *f, const struct actor *a, const char *text)
{
	json_t *r;
	int64_t id;

	assert_int_equal(run(f, core_note_add, a, f->code, &r, "{s:I, s:s}",
	    "board", (json_int_t)f->board, "text", text), 0);
	id = json_integer_value(json_object_get(json_object_get(r, "note"),
	    "id"));
	json_decref(r);
	return id;
}

static void
test_code_and_join_url(void **state)
{
	struct fixture *f = *state;
	const char *alpha = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
	char norm[8], lower[16];
	size_t i;

	assert_int_equal(strlen(f->code), 6);
	for (i = 0; i < 6; i++)
		assert_non_null(strchr(alpha, f->code[i]));
	for (i = 0; i < 6; i++)
		lower[i + (i >= 3)] = (char)(f->code[i] | 0x20);
	lower[3] = ' ';
	lower[7] = '\0';
	assert_int_equal(core_check_code(f->c, lower, norm), 0);
	assert_string_equal(norm, f->code);
	assert_true(core_check_code(f->c, "O0I1AA", norm) < 0);
	/* seq 1 is session.created, seq 2 board.created */
	assert_int_equal(json_array_size(f->log), 2);
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(f->log, 0), "ev")), "session.created");
	assert_int_equal(core_session_seq(f->c, f->code), 2);
}

static void
test_notes_and_authorship(void **state)
{
	struct fixture *f = *state;
	struct actor a = { ROLE_PARTICIPANT, join(f, "Awa") };
	struct actor b = { ROLE_PARTICIPANT, join(f, NULL) };
	int64_t n;
	json_t *r;

	n = add_note(f, &a, "Plus de poubelles");
	assert_int_equal(run(f, core_note_update, &b, f->code, &r,
	    "{s:I, s:I, s:s}", "board", (json_int_t)f->board, "note",
	    (json_int_t)n, "text", "hacked"), -ERR_FORBIDDEN);
	json_decref(r);
	assert_int_equal(run(f, core_note_update, &a, f->code, &r,
	    "{s:I, s:I, s:s, s:s}", "board", (json_int_t)f->board, "note",
	    (json_int_t)n, "text", "Plus de poubelles de tri", "color",
	    "green"), 0);
	assert_string_equal(json_string_value(json_object_get(
	    json_object_get(r, "note"), "color")), "green");
	json_decref(r);
	assert_int_equal(run(f, core_note_update, &a, f->code, &r,
	    "{s:I, s:I, s:s}", "board", (json_int_t)f->board, "note",
	    (json_int_t)n, "color", "violet"), -ERR_BAD_REQUEST);
	json_decref(r);
	assert_int_equal(run(f, core_note_add, &a, f->code, &r, "{s:I, s:s}",
	    "board", (json_int_t)f->board, "text", " \n "), -ERR_BAD_REQUEST);
	json_decref(r);
	/* the facilitator edits anyone's note */
	assert_int_equal(run(f, core_note_update, &fac, NULL, &r,
	    "{s:I, s:I, s:f}", "board", (json_int_t)f->board, "note",
	    (json_int_t)n, "x", 12.5), 0);
	json_decref(r);
	assert_int_equal(run(f, core_note_delete, &b, f->code, &r,
	    "{s:I, s:I}", "board", (json_int_t)f->board, "note",
	    (json_int_t)n), -ERR_FORBIDDEN);
	json_decref(r);
	assert_int_equal(run(f, core_note_delete, &a, f->code, &r,
	    "{s:I, s:I}", "board", (json_int_t)f->board, "note",
	    (json_int_t)n), 0);
	json_decref(r);
	assert_int_equal(run(f, core_board_get, &a, f->code, &r, "{s:I}",
	    "board", (json_int_t)f->board), 0);
	assert_int_equal(json_array_size(json_object_get(json_object_get(r,
	    "board"), "notes")), 0);
	json_decref(r);
	/* a participant cannot reach another session's board */
	assert_int_equal(run(f, core_board_get, &a, "ZZZZZZ", &r, "{s:I}",
	    "board", (json_int_t)f->board), -ERR_NOT_FOUND);
	json_decref(r);
}

static void
test_votes(void **state)
{
	struct fixture *f = *state;
	struct actor a = { ROLE_PARTICIPANT, join(f, "Awa") };
	struct actor b = { ROLE_PARTICIPANT, join(f, "Bruno") };
	int64_t n1 = add_note(f, &b, "Vélos"), n2 = add_note(f, &b, "Bus");
	json_t *r;

#define VOTE(who, h, note) run(f, h, who, f->code, &r, "{s:I, s:I}", \
	"board", (json_int_t)f->board, "note", (json_int_t)(note))
	assert_int_equal(VOTE(&a, core_note_vote, n1), 0);
	assert_int_equal(json_integer_value(json_object_get(r, "votes_left")), 1);
	json_decref(r);
	assert_int_equal(VOTE(&a, core_note_vote, n1), 0);	/* stacking */
	assert_int_equal(json_integer_value(json_object_get(r, "votes")), 2);
	json_decref(r);
	assert_int_equal(VOTE(&a, core_note_vote, n2), -ERR_FORBIDDEN);
	json_decref(r);
	assert_int_equal(VOTE(&a, core_note_unvote, n2), -ERR_BAD_REQUEST);
	json_decref(r);
	assert_int_equal(VOTE(&a, core_note_unvote, n1), 0);
	json_decref(r);
	assert_int_equal(VOTE(&a, core_note_vote, n2), 0);
	json_decref(r);
	assert_int_equal(VOTE(&fac, core_note_vote, n2), -ERR_FORBIDDEN);
	json_decref(r);
	/* deleting a note gives its votes back */
	assert_int_equal(run(f, core_note_delete, &b, f->code, &r,
	    "{s:I, s:I}", "board", (json_int_t)f->board, "note",
	    (json_int_t)n2), 0);
	json_decref(r);
	assert_int_equal(VOTE(&a, core_note_vote, n1), 0);
	assert_int_equal(json_integer_value(json_object_get(r, "votes_left")), 0);
	json_decref(r);
#undef VOTE
}

static void
test_lock_and_hide(void **state)
{
	struct fixture *f = *state;
	struct actor a = { ROLE_PARTICIPANT, join(f, "Awa") };
	int64_t n = add_note(f, &a, "secret idea");
	json_t *r, *ev, *view;

	assert_int_equal(run(f, core_board_lock, &fac, NULL, &r, "{s:I}",
	    "board", (json_int_t)f->board), 0);
	json_decref(r);
	assert_int_equal(run(f, core_note_add, &a, f->code, &r, "{s:I, s:s}",
	    "board", (json_int_t)f->board, "text", "late"), -ERR_LOCKED);
	json_decref(r);
	add_note(f, &fac, "the facilitator still writes");
	assert_int_equal(run(f, core_board_unlock, &fac, NULL, &r, "{s:I}",
	    "board", (json_int_t)f->board), 0);
	json_decref(r);
	assert_int_equal(run(f, core_note_hide, &fac, NULL, &r, "{s:I, s:I}",
	    "board", (json_int_t)f->board, "note", (json_int_t)n), 0);
	json_decref(r);
	/* the author no longer sees it nor edits it */
	assert_int_equal(run(f, core_note_update, &a, f->code, &r,
	    "{s:I, s:I, s:s}", "board", (json_int_t)f->board, "note",
	    (json_int_t)n, "text", "x"), -ERR_NOT_FOUND);
	json_decref(r);
	assert_int_equal(run(f, core_note_update, &fac, NULL, &r,
	    "{s:I, s:I, s:s}", "board", (json_int_t)f->board, "note",
	    (json_int_t)n, "text", "still secret"), 0);
	json_decref(r);
	ev = json_array_get(f->log, json_array_size(f->log) - 1);
	assert_string_equal(json_string_value(json_object_get(ev, "ev")),
	    "note.updated");
	view = core_event_view(f->c, ev, ROLE_PARTICIPANT);
	assert_null(json_object_get(json_object_get(view, "note"), "text"));
	assert_true(json_is_true(json_object_get(json_object_get(view, "note"),
	    "hidden")));
	json_decref(view);
	view = core_event_view(f->c, ev, ROLE_FACILITATOR);
	assert_string_equal(json_string_value(json_object_get(
	    json_object_get(view, "note"), "text")), "still secret");
	json_decref(view);
	/* the participant.joined event never shows the resume secret */
	json_array_foreach(f->log, n, ev) {
		view = core_event_view(f->c, ev, ROLE_FACILITATOR);
		assert_null(json_object_get(view, "resume"));
		json_decref(view);
	}
}

static void
test_cid_idempotent(void **state)
{
	struct fixture *f = *state;
	struct actor a = { ROLE_PARTICIPANT, join(f, "Awa") };
	struct actor b = { ROLE_PARTICIPANT, join(f, "Bruno") };
	json_t *r1, *r2, *r3;
	size_t before;

	assert_int_equal(run(f, core_note_add, &a, f->code, &r1,
	    "{s:I, s:s, s:s}", "board", (json_int_t)f->board, "text", "A",
	    "cid", "c-1"), 0);
	before = json_array_size(f->log);
	assert_int_equal(run(f, core_note_add, &a, f->code, &r2,
	    "{s:I, s:s, s:s}", "board", (json_int_t)f->board, "text", "A",
	    "cid", "c-1"), 0);
	assert_int_equal(json_array_size(f->log), before);
	assert_true(json_equal(json_object_get(json_object_get(r1, "note"),
	    "id"), json_object_get(json_object_get(r2, "note"), "id")));
	/* another participant's identical cid is another note */
	assert_int_equal(run(f, core_note_add, &b, f->code, &r3,
	    "{s:I, s:s, s:s}", "board", (json_int_t)f->board, "text", "A",
	    "cid", "c-1"), 0);
	assert_false(json_equal(json_object_get(json_object_get(r1, "note"),
	    "id"), json_object_get(json_object_get(r3, "note"), "id")));
	json_decref(r1);
	json_decref(r2);
	json_decref(r3);
}

/* Replaying the log into a fresh core gives the same state. */
static void
test_replay_equivalence(void **state)
{
	struct fixture *f = *state;
	struct actor a = { ROLE_PARTICIPANT, join(f, "Awa") };
	struct core *c2;
	json_t *ev, *s1, *s2, *r;
	size_t i;
	int64_t n, pid;

	n = add_note(f, &a, "one");
	add_note(f, &a, "two");
	assert_int_equal(run(f, core_note_vote, &a, f->code, &r,
	    "{s:I, s:I}", "board", (json_int_t)f->board, "note",
	    (json_int_t)n), 0);
	json_decref(r);
	assert_int_equal(run(f, core_note_hide, &fac, NULL, &r, "{s:I, s:I}",
	    "board", (json_int_t)f->board, "note", (json_int_t)n), 0);
	json_decref(r);
	c2 = core_new("http://10.0.0.5:8080", fake_random);
	json_array_foreach(f->log, i, ev) {
		char *text = json_dumps(ev, 0);
		json_t *copy = json_loads(text, 0, NULL);

		free(text);
		assert_int_equal(core_replay(c2, copy), 0);
		json_decref(copy);
	}
	s1 = core_session_snapshot(f->c, f->code, &fac);
	s2 = core_session_snapshot(c2, f->code, &fac);
	assert_true(json_equal(s1, s2));
	json_decref(s1);
	json_decref(s2);
	s1 = core_session_snapshot(f->c, f->code, &a);
	s2 = core_session_snapshot(c2, f->code, &a);
	assert_true(json_equal(s1, s2));
	json_decref(s1);
	json_decref(s2);
	/* the resume secret survives, ids are not reused */
	assert_int_equal(core_participant_resume(c2,
	    core_participant_secret(f->c, a.pid), &pid), 0);
	assert_int_equal(pid, a.pid);
	/* an event out of order is refused */
	ev = json_array_get(f->log, json_array_size(f->log) - 1);
	assert_true(core_replay(c2, ev) < 0);
	core_free(c2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_code_and_join_url, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_notes_and_authorship,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_votes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lock_and_hide, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_cid_idempotent, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_replay_equivalence, setup,
		    teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
