/*
 * test-app.c - unit tests of client-tui/app.c, the console without a
 * terminal: keys in, requests out (captured by a fake sender), replies and
 * events in, screens, selections and status words checked; the clustering
 * draft (free and guided by themes), applied groups, the timer and the session's texts; portfolios
 * (their screens, the picker, exports).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "layout.h"

#define MAXSENT 64

struct sent {
	json_t *frames[MAXSENT];
	int n;
};

static void
capture(void *ctx, const char *frame)
{
	struct sent *s = ctx;
	json_error_t err;

	assert_true(s->n < MAXSENT);
	s->frames[s->n] = json_loads(frame, 0, &err);
	assert_non_null(s->frames[s->n]);
	s->n++;
}

static void
sent_clear(struct sent *s)
{
	int i;

	for (i = 0; i < s->n; i++)
		json_decref(s->frames[i]);
	s->n = 0;
}

/* The last frame sent, which must be op; its rid. */
static int64_t
last_op(struct sent *s, const char *op)
{
	json_t *f;

	assert_true(s->n > 0);
	f = s->frames[s->n - 1];
	assert_string_equal(json_string_value(json_object_get(f, "op")), op);
	return json_integer_value(json_object_get(f, "rid"));
}

static json_t *
last(struct sent *s)
{
	assert_true(s->n > 0);
	return s->frames[s->n - 1];
}

static void
frame(struct app *a, const char *fmt, ...)
{
	char buf[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	app_frame(a, buf, strlen(buf));
}

static void
keys(struct app *a, const char *s)
{
	for (; *s != '\0'; s++)
		app_key(a, (unsigned char)*s);
}

#define SESSION "{\"code\":\"K7MXPA\",\"title\":\"Atelier\",\"created\":1," \
	"\"seq\":1,\"join_url\":\"http://h/j/K7MXPA\",\"participants\":0," \
	"\"boards\":[]}"

/* A console online with a session open on an empty wall (board 5). */
static struct app *
on_wall(struct sent *s)
{
	struct app *a = app_new("tok", "127.0.0.1:8080", 0, "t", capture, s);
	int64_t rid;

	app_resize(a, 80, 24);
	app_connected(a);
	rid = last_op(s, "hello");
	frame(a, "{\"re\":%lld,\"ok\":true,\"you\":{\"id\":0}}", (long long)rid);
	assert_int_equal(a->conn, CONN_ONLINE);
	rid = last_op(s, "session.list");
	frame(a, "{\"re\":%lld,\"ok\":true,\"sessions\":[]}", (long long)rid);
	app_key(a, 'n');
	keys(a, "Atelier");
	app_key(a, APP_KEY_ENTER);
	rid = last_op(s, "session.create");
	frame(a, "{\"ev\":\"session.created\",\"seq\":1,\"session\":\"K7MXPA\"}");
	frame(a, "{\"re\":%lld,\"ok\":true,\"session\":" SESSION "}",
	    (long long)rid);
	assert_int_equal(a->screen, SCREEN_HOME);
	app_key(a, 'b');
	keys(a, "Mur");
	app_key(a, APP_KEY_ENTER);
	rid = last_op(s, "board.create");
	frame(a, "{\"ev\":\"board.created\",\"seq\":2,\"session\":\"K7MXPA\","
	    "\"board\":{\"id\":5,\"kind\":\"wall\",\"title\":\"Mur\","
	    "\"locked\":false}}");
	frame(a, "{\"re\":%lld,\"ok\":true,\"board\":{\"id\":5,\"kind\":"
	    "\"wall\",\"title\":\"Mur\",\"locked\":false,\"notes\":[]}}",
	    (long long)rid);
	assert_int_equal(a->screen, SCREEN_WALL);
	assert_int_equal(a->board_id, 5);
	return a;
}

/* Add notes 10, 11, ... by events, from seq 3 on. */
static void
add_notes(struct app *a, int n)
{
	int i;

	for (i = 0; i < n; i++)
		frame(a, "{\"ev\":\"note.added\",\"seq\":%d,\"session\":"
		    "\"K7MXPA\",\"board\":5,\"note\":{\"id\":%d,\"author\":1,"
		    "\"author_name\":\"Awa\",\"text\":\"idée %d\",\"votes\":%d}}",
		    (int)a->m->open->seq + 1, 10 + i, i, i % 3);
}

static void
test_hello_and_create(void **state)
{
	struct sent s = { .n = 0 };
	struct app *a;
	json_t *f;

	(void)state;
	a = on_wall(&s);
	f = s.frames[0];
	assert_string_equal(json_string_value(json_object_get(f, "role")),
	    "facilitator");
	assert_string_equal(json_string_value(json_object_get(f, "token")),
	    "tok");
	assert_null(json_object_get(f, "session"));
	/* the session.create carried the typed title */
	f = s.frames[2];
	assert_string_equal(json_string_value(json_object_get(f, "title")),
	    "Atelier");
	f = last(&s);
	assert_string_equal(json_string_value(json_object_get(f, "kind")),
	    "wall");
	assert_string_equal(json_string_value(json_object_get(f, "session")),
	    "K7MXPA");
	sent_clear(&s);
	app_free(a);
}

static void
test_wall_navigation(void **state)
{
	struct sent s = { .n = 0 };
	struct app *a = on_wall(&s);
	struct layout_wall g;
	struct layout_frame f;

	(void)state;
	layout_frame(80, 24, &f);
	layout_wall(80, f.content_h, &g);
	assert_int_equal(g.cols, 3);
	add_notes(a, 7);
	assert_int_equal(a->m->open->seq, 9);
	assert_int_equal(a->note_id, 10);	/* the first note */
	app_key(a, APP_KEY_RIGHT);
	assert_int_equal(a->note_id, 11);
	app_key(a, 'j');			/* down: 3 further */
	assert_int_equal(a->note_id, 14);
	app_key(a, 'j');
	assert_int_equal(a->note_id, 16);	/* last row is short */
	app_key(a, 'j');
	assert_int_equal(a->note_id, 16);
	app_key(a, 'k');
	assert_int_equal(a->note_id, 13);
	app_key(a, 'h');
	assert_int_equal(a->note_id, 12);
	app_key(a, 'G');
	assert_int_equal(a->note_id, 16);
	app_key(a, 'g');
	assert_int_equal(a->note_id, 10);
	app_key(a, 'l');
	/* a note deleted elsewhere: the selection moves to its neighbour */
	frame(a, "{\"ev\":\"note.deleted\",\"seq\":10,\"session\":\"K7MXPA\","
	    "\"board\":5,\"note\":11}");
	assert_int_equal(a->note_id, 12);
	/* sort by votes: the selection stays on the same note */
	app_key(a, 's');
	assert_int_equal(a->sort, SORT_VOTES);
	assert_int_equal(a->note_id, 12);
	assert_int_equal(a->note_pos, 0);	/* 12 has 2 votes: first */
	sent_clear(&s);
	app_free(a);
}

static void
test_wall_actions(void **state)
{
	struct sent s = { .n = 0 };
	struct app *a = on_wall(&s);
	char left[256], right[512];
	int64_t rid;
	int err;

	(void)state;
	add_notes(a, 2);
	app_key(a, 'x');
	rid = last_op(&s, "note.hide");
	assert_int_equal(json_integer_value(json_object_get(last(&s),
	    "note")), 10);
	assert_int_equal(json_integer_value(json_object_get(last(&s),
	    "board")), 5);
	frame(a, "{\"re\":%lld,\"ok\":false,\"error\":\"not_found\","
	    "\"message\":\"no note 10 on board 5\"}", (long long)rid);
	app_status(a, left, sizeof left, right, sizeof right, &err);
	assert_true(err);
	assert_string_equal(right, "Could not hide the post-it: no note 10 on "
	    "board 5 [not_found]");
	assert_string_equal(left, "online 127.0.0.1:8080");

	/* the event says it is hidden: x now shows it */
	frame(a, "{\"ev\":\"note.hidden\",\"seq\":5,\"session\":\"K7MXPA\","
	    "\"board\":5,\"note\":10}");
	app_key(a, 'x');
	last_op(&s, "note.show");

	app_key(a, 'L');
	rid = last_op(&s, "board.lock");
	frame(a, "{\"ev\":\"board.locked\",\"seq\":6,\"session\":\"K7MXPA\","
	    "\"board\":5}");
	frame(a, "{\"re\":%lld,\"ok\":true,\"board\":{\"id\":5}}",
	    (long long)rid);
	assert_null(a->error);
	assert_non_null(strstr(a->info, "locked"));
	app_key(a, 'L');
	last_op(&s, "board.unlock");

	app_key(a, 'c');
	rid = last_op(&s, "note.update");
	assert_string_equal(json_string_value(json_object_get(last(&s),
	    "color")), "pink");
	app_key(a, 'C');
	assert_string_equal(json_string_value(json_object_get(last(&s),
	    "color")), "purple");

	/* delete asks first: n cancels, y sends */
	app_key(a, 'd');
	assert_int_equal(a->confirm.kind, CONFIRM_NOTE_DELETE);
	app_key(a, 'n');
	assert_int_equal(a->confirm.kind, 0);
	last_op(&s, "note.update");
	app_key(a, 'd');
	app_key(a, 'y');
	last_op(&s, "note.delete");

	/* edit: the prompt starts with the text; Ctrl-U clears it */
	app_key(a, 'e');
	assert_int_equal(a->prompt.kind, PROMPT_NOTE_EDIT);
	{
		char *t = app_prompt_text(&a->prompt);

		assert_string_equal(t, "idée 0");
		free(t);
	}
	app_key(a, APP_CTRL('u'));
	app_key(a, 0xe9);	/* é */
	keys(a, "te");
	app_key(a, APP_KEY_LEFT);
	app_key(a, APP_KEY_BACKSPACE);
	app_key(a, APP_KEY_ENTER);
	last_op(&s, "note.update");
	assert_string_equal(json_string_value(json_object_get(last(&s),
	    "text")), "ée");

	/* an empty prompt sends nothing */
	app_key(a, 'n');
	keys(a, "   ");
	app_key(a, APP_KEY_ENTER);
	last_op(&s, "note.update");
	/* a new note carries a cid */
	app_key(a, 'n');
	keys(a, "Merci");
	app_key(a, APP_KEY_ENTER);
	last_op(&s, "note.add");
	assert_string_equal(json_string_value(json_object_get(last(&s),
	    "cid")), "t-1");
	/* Esc goes home, then to the list (which is asked again) */
	app_key(a, APP_KEY_ESC);
	assert_int_equal(a->screen, SCREEN_HOME);
	app_key(a, 'q');
	assert_int_equal(a->screen, SCREEN_LIST);
	last_op(&s, "session.list");
	/* q asks before quitting */
	app_key(a, 'q');
	assert_int_equal(a->confirm.kind, CONFIRM_QUIT);
	assert_false(a->quit);
	app_key(a, 'y');
	assert_true(a->quit);
	sent_clear(&s);
	app_free(a);
}

static void
test_reconnect(void **state)
{
	struct sent s = { .n = 0 };
	struct app *a = on_wall(&s);
	char left[256], right[512];
	int64_t rid;
	json_t *f;
	int err, n;

	(void)state;
	add_notes(a, 1);
	app_tick(a, 1000);
	app_disconnected(a, "no server", 2000);
	assert_int_equal(a->conn, CONN_OFFLINE);
	app_status(a, left, sizeof left, right, sizeof right, &err);
	assert_string_equal(left, "offline (no server): retrying in 2 s");
	/* offline: actions fail in words, nothing is sent */
	n = s.n;
	app_key(a, 'x');
	assert_int_equal(s.n, n);
	assert_string_equal(a->error, "Offline: could not hide the post-it.");
	assert_int_equal(a->screen, SCREEN_WALL);

	/* back: hello resumes the session after the last seq seen */
	app_connecting(a);
	app_connected(a);
	rid = last_op(&s, "hello");
	f = last(&s);
	assert_string_equal(json_string_value(json_object_get(f, "session")),
	    "K7MXPA");
	assert_int_equal(json_integer_value(json_object_get(f, "since")), 3);
	frame(a, "{\"re\":%lld,\"ok\":true}", (long long)rid);
	assert_int_equal(a->conn, CONN_ONLINE);
	last_op(&s, "session.list");
	/* the events missed come after the reply */
	frame(a, "{\"ev\":\"note.added\",\"seq\":4,\"session\":\"K7MXPA\","
	    "\"board\":5,\"note\":{\"id\":30,\"text\":\"pendant\"}}");
	assert_non_null(model_note(model_board(a->m, 5), 30));
	assert_int_equal(a->screen, SCREEN_WALL);

	/* a gap: one session.join to catch up, not one per event */
	n = s.n;
	frame(a, "{\"ev\":\"note.hidden\",\"seq\":9,\"session\":\"K7MXPA\","
	    "\"board\":5,\"note\":30}");
	frame(a, "{\"ev\":\"note.shown\",\"seq\":10,\"session\":\"K7MXPA\","
	    "\"board\":5,\"note\":{\"id\":30}}");
	assert_int_equal(s.n, n + 1);
	rid = last_op(&s, "session.join");
	frame(a, "{\"re\":%lld,\"ok\":true,\"session\":{\"code\":\"K7MXPA\","
	    "\"seq\":10,\"boards\":[{\"id\":5,\"kind\":\"wall\",\"title\":"
	    "\"Mur\",\"notes\":[{\"id\":30,\"text\":\"pendant\"}]}]}}",
	    (long long)rid);
	assert_int_equal(a->m->open->seq, 10);
	assert_int_equal(a->screen, SCREEN_WALL);
	assert_int_equal(a->note_id, 30);

	/* the server lost the session: back to the list, hello again */
	app_disconnected(a, "the server closed the connection", 250);
	app_connected(a);
	rid = last_op(&s, "hello");
	frame(a, "{\"re\":%lld,\"ok\":false,\"error\":\"not_found\","
	    "\"message\":\"no session\"}", (long long)rid);
	assert_null(a->m->open);
	assert_int_equal(a->screen, SCREEN_LIST);
	assert_non_null(strstr(a->error, "K7MXPA is no longer"));
	last_op(&s, "hello");
	assert_null(json_object_get(last(&s), "session"));
	sent_clear(&s);
	app_free(a);
}

static void
test_refused_token(void **state)
{
	struct sent s = { .n = 0 };
	struct app *a = app_new(NULL, "h:1", 1, "t", capture, &s);
	char left[256], right[512];
	int64_t rid;
	int err;

	(void)state;
	app_connected(a);
	rid = last_op(&s, "hello");
	assert_string_equal(json_string_value(json_object_get(last(&s),
	    "token")), "");
	frame(a, "{\"re\":%lld,\"ok\":false,\"error\":\"unauthorized\","
	    "\"message\":\"wrong token\"}", (long long)rid);
	assert_int_equal(a->conn, CONN_REFUSED);
	app_status(a, left, sizeof left, right, sizeof right, &err);
	assert_string_equal(left, "token refused by h:1");
	assert_non_null(strstr(right, "ATELIER_TOKEN"));
	/* not a JSON object: said, not crashed */
	frame(a, "[1,2]");
	assert_non_null(strstr(a->error, "not a JSON object"));
	sent_clear(&s);
	app_free(a);
}

static void
test_cloud_requests(void **state)
{
	struct sent s = { .n = 0 };
	struct app *a = on_wall(&s);
	int64_t rid;
	json_t *f;

	(void)state;
	app_key(a, APP_KEY_ESC);
	app_key(a, 'c');
	keys(a, "Mots");
	app_key(a, APP_KEY_ENTER);
	rid = last_op(&s, "board.create");
	assert_string_equal(json_string_value(json_object_get(last(&s),
	    "kind")), "cloud");
	frame(a, "{\"ev\":\"board.created\",\"seq\":3,\"session\":\"K7MXPA\","
	    "\"board\":{\"id\":6,\"kind\":\"cloud\",\"title\":\"Mots\"}}");
	frame(a, "{\"re\":%lld,\"ok\":true,\"board\":{\"id\":6,\"kind\":"
	    "\"cloud\",\"title\":\"Mots\"}}", (long long)rid);
	assert_int_equal(a->screen, SCREEN_CLOUD);
	/* opening a cloud loads its entries and asks for a grid layout */
	f = s.frames[s.n - 2];
	assert_string_equal(json_string_value(json_object_get(f, "op")),
	    "board.get");
	rid = last_op(&s, "cloud.layout");
	f = last(&s);
	assert_string_equal(json_string_value(json_object_get(f, "target")),
	    "grid");
	assert_int_equal(json_integer_value(json_object_get(f, "board")), 6);
	assert_true(json_integer_value(json_object_get(f, "width")) > 0);
	assert_true(a->layout_pending);
	frame(a, "{\"re\":%lld,\"ok\":true,\"layout\":{\"words\":[{\"key\":"
	    "\"velo\",\"text\":\"vélo\",\"count\":2,\"x\":1,\"y\":1,\"w\":4,"
	    "\"h\":1,\"size\":3}]}}", (long long)rid);
	assert_false(a->layout_pending);
	assert_int_equal(model_board(a->m, 6)->ncells, 1);
	/* a word arrives: a new layout is asked */
	frame(a, "{\"ev\":\"word.added\",\"seq\":4,\"session\":\"K7MXPA\","
	    "\"board\":6,\"word\":{\"key\":\"velo\",\"text\":\"vélo\","
	    "\"count\":3}}");
	last_op(&s, "cloud.layout");
	frame(a, "{\"ev\":\"word.added\",\"seq\":5,\"session\":\"K7MXPA\","
	    "\"board\":6,\"word\":{\"key\":\"bus\",\"text\":\"bus\","
	    "\"count\":4}}");
	/* bus has the larger count: the selection stays on vélo */
	assert_string_equal(a->word_key, "velo");
	app_key(a, 'x');
	last_op(&s, "word.hide");
	assert_string_equal(json_string_value(json_object_get(last(&s),
	    "key")), "velo");
	/* merge: m on vélo, then m on bus */
	app_key(a, 'm');
	assert_string_equal(a->merge_from, "velo");
	app_key(a, 'k');
	app_key(a, 'm');
	last_op(&s, "word.merge");
	assert_string_equal(json_string_value(json_object_get(last(&s),
	    "from")), "velo");
	assert_string_equal(json_string_value(json_object_get(last(&s),
	    "into")), "bus");
	assert_null(a->merge_from);
	app_key(a, '!');
	app_key(a, 'y');
	last_op(&s, "word.ban");
	assert_string_equal(json_string_value(json_object_get(last(&s),
	    "text")), "bus");
	sent_clear(&s);
	app_free(a);
}

static void
test_bindings_table(void **state)
{
	const struct app_binding *b;
	size_t n, i, k;
	int s, has_quit_or_back;

	(void)state;
	for (s = 0; s < SCREEN_COUNT; s++) {
		b = app_bindings((enum app_screen)s, &n);
		assert_true(n > 0);
		/* grouped keys follow the line that lists them */
		assert_non_null(b[0].help);
		has_quit_or_back = 0;
		for (i = 0; i < n; i++) {
			assert_non_null(b[i].fn);
			assert_non_null(b[i].label);
			assert_true(b[i].keys[0] != 0);
			for (k = 0; k < 3 && b[i].keys[k] != 0; k++)
				has_quit_or_back |= b[i].keys[k] == 'q';
		}
		assert_true(has_quit_or_back);
	}
	b = app_global_bindings(&n);
	assert_int_equal(b[0].keys[0], '?');
}

static void
test_help_and_hints(void **state)
{
	struct sent s = { .n = 0 };
	struct app *a = app_new("t", "h:1", 0, "t", capture, &s);
	char hints[512];

	(void)state;
	app_key(a, '?');
	assert_true(a->help);
	app_key(a, 'n');	/* any key closes the help, and does nothing */
	assert_false(a->help);
	assert_int_equal(a->prompt.kind, 0);
	app_hints(a, hints, sizeof hints);
	assert_string_equal(hints, "? help  Enter open  n new session  "
	    "v archived  / search  P portfolios  q quit");
	app_key(a, 'Z');
	assert_non_null(strstr(a->info, "press ? for help"));
	sent_clear(&s);
	app_free(a);
}

/* Reply ok to the last request (which must be op) with the JSON fields. */
static void
reply(struct app *a, struct sent *s, const char *op, const char *fields)
{
	frame(a, "{\"re\":%lld,\"ok\":true,%s}", (long long)last_op(s, op),
	    fields);
}

/* The frame f equals the JSON text want (keys in any order). */
static void
assert_json(json_t *f, const char *key, const char *want)
{
	json_error_t err;
	json_t *w = json_loads(want, JSON_DECODE_ANY, &err);

	assert_non_null(w);
	if (!json_equal(json_object_get(f, key), w)) {
		char *got = json_dumps(json_object_get(f, key),
		    JSON_COMPACT | JSON_ENCODE_ANY);

		fail_msg("%s: got %s, want %s", key, got, want);
	}
	json_decref(w);
}

static void
test_cluster_draft_and_groups(void **state)
{
	struct sent s = { .n = 0 };
	struct app *a = on_wall(&s);
	size_t idx[8], g;
	long k;
	int64_t rid;

	(void)state;
	add_notes(a, 4);			/* notes 10 to 13, seq 6 */
	/* K: the clustering screen asks for suggestions at once */
	app_key(a, 'K');
	assert_int_equal(a->screen, SCREEN_CLUSTER);
	rid = last_op(&s, "cluster.suggest");
	assert_json(last(&s), "board", "5");
	assert_null(json_object_get(last(&s), "k"));
	assert_true(a->draft_loading);
	frame(a, "{\"re\":%lld,\"ok\":true,\"clusters\":[{\"label\":\"vélos\","
	    "\"notes\":[10,11]},{\"label\":\"arbres\",\"notes\":[12]}],"
	    "\"none\":[13],\"k\":2}", (long long)rid);
	assert_false(a->draft_loading);
	assert_int_equal(a->ndraft, 3);		/* + "no group" */
	assert_true(a->draft[2].none);
	assert_int_equal(app_draft_rows(a), 7);
	assert_int_equal(app_draft_row(a, 0, &g, &k), 0);
	assert_int_equal(g, 0);
	assert_int_equal(k, -1);
	assert_int_equal(app_draft_row(a, 4, &g, &k), 0);
	assert_int_equal(g, 1);
	assert_int_equal(k, 0);
	assert_int_equal(app_draft_row(a, 7, &g, &k), -1);
	/* S: a given number of groups */
	app_key(a, 'S');
	keys(a, "3");
	app_key(a, APP_KEY_ENTER);
	last_op(&s, "cluster.suggest");
	assert_json(last(&s), "k", "3");
	a->draft_loading = 0;

	/* rename the first group (its header is selected) */
	app_key(a, 'e');
	assert_int_equal(a->prompt.kind, PROMPT_DRAFT_RENAME);
	app_key(a, APP_CTRL('u'));
	keys(a, "Mobilite");
	app_key(a, APP_KEY_ENTER);
	assert_string_equal(a->draft[0].label, "Mobilite");
	/* a header cannot move; a note moves, the selection follows it */
	app_key(a, '>');
	assert_non_null(strstr(a->error, "Select a post-it"));
	app_key(a, 'j');
	app_key(a, '>');
	assert_int_equal(a->draft[0].nnotes, 1);
	assert_int_equal(a->draft[1].notes[1], 10);
	assert_int_equal(a->draft_sel, 4);
	app_key(a, APP_KEY_RIGHT);		/* to "no group" */
	assert_int_equal(a->draft[2].notes[1], 10);
	app_key(a, '<');			/* back to arbres */
	assert_int_equal(a->draft[1].nnotes, 2);
	assert_int_equal(a->draft[2].nnotes, 1);
	/* "no group" cannot be renamed */
	keys(a, "jjjjjjj");			/* the last row */
	assert_int_equal(a->draft_sel, 6);
	app_key(a, 'e');
	assert_int_equal(a->prompt.kind, 0);

	/* apply: the groups with notes, never "no group" */
	app_key(a, 'a');
	rid = last_op(&s, "cluster.apply");
	assert_json(last(&s), "clusters", "[{\"label\":\"Mobilite\","
	    "\"notes\":[11]},{\"label\":\"arbres\",\"notes\":[12,10]}]");
	frame(a, "{\"ev\":\"cluster.applied\",\"seq\":7,\"session\":\"K7MXPA\","
	    "\"board\":5,\"clusters\":[{\"id\":80,\"label\":\"Mobilite\","
	    "\"notes\":[11]},{\"id\":81,\"label\":\"arbres\",\"notes\":[12,"
	    "10]}]}");
	frame(a, "{\"re\":%lld,\"ok\":true,\"board\":{\"id\":5,\"kind\":"
	    "\"wall\",\"title\":\"Mur\"}}", (long long)rid);
	assert_int_equal(a->screen, SCREEN_WALL);
	assert_true(a->wall_groups);
	assert_int_equal(a->ndraft, 0);
	/* by group: Mobilite, arbres (creation order inside), none */
	assert_int_equal(app_wall_order(a, app_board(a), idx), 4);
	assert_int_equal(app_board(a)->notes[idx[0]].id, 11);
	assert_int_equal(app_board(a)->notes[idx[1]].id, 10);
	assert_int_equal(app_board(a)->notes[idx[2]].id, 12);
	assert_int_equal(app_board(a)->notes[idx[3]].id, 13);

	/* rename the selected note's group */
	app_key(a, 'g');
	assert_int_equal(a->note_id, 11);
	app_key(a, 'R');
	assert_int_equal(a->prompt.kind, PROMPT_GROUP_RENAME);
	app_key(a, APP_KEY_ENTER);		/* the label as it was */
	last_op(&s, "cluster.rename");
	assert_json(last(&s), "cluster", "80");
	assert_json(last(&s), "label", "\"Mobilite\"");
	/* move: next group, previous (from the first: no group) */
	app_key(a, '>');
	last_op(&s, "cluster.move");
	assert_json(last(&s), "note", "11");
	assert_json(last(&s), "cluster", "81");
	app_key(a, '<');
	last_op(&s, "cluster.move");
	assert_json(last(&s), "cluster", "null");
	/* merge: m on Mobilite, m on a note of no group fails, m on arbres */
	app_key(a, 'm');
	assert_int_equal(a->merge_group, 80);
	app_key(a, 'G');
	app_key(a, 'm');
	assert_non_null(strstr(a->error, "in no group"));
	assert_int_equal(a->merge_group, 80);
	app_key(a, 'h');			/* 12, in arbres */
	assert_int_equal(a->note_id, 12);
	app_key(a, 'm');
	last_op(&s, "cluster.merge");
	assert_json(last(&s), "from", "80");
	assert_json(last(&s), "into", "81");
	assert_int_equal(a->merge_group, 0);
	/* split: the note leaves its group for a new one */
	app_key(a, '/');
	keys(a, "Nature");
	app_key(a, APP_KEY_ENTER);
	last_op(&s, "cluster.split");
	assert_json(last(&s), "cluster", "81");
	assert_json(last(&s), "notes", "[12]");
	assert_json(last(&s), "label", "\"Nature\"");
	/* Esc cancels a merge half-way, then leaves */
	app_key(a, 'm');
	app_key(a, APP_KEY_ESC);
	assert_int_equal(a->merge_group, 0);
	assert_int_equal(a->screen, SCREEN_WALL);
	/* v: all together */
	app_key(a, 'v');
	assert_false(a->wall_groups);
	assert_int_equal(app_wall_order(a, app_board(a), idx), 4);
	assert_int_equal(app_board(a)->notes[idx[0]].id, 10);
	sent_clear(&s);
	app_free(a);
}

/* Type UTF-8 text as the terminal would: one code point a key. */
static void
type_text(struct app *a, const char *s)
{
	size_t i = 0, n = strlen(s);
	int32_t cp;

	while (i < n) {
		i += layout_decode(s + i, n - i, &cp);
		app_key(a, cp);
	}
}

/* The prompt's text, compared with want. */
static void
assert_prompt(struct app *a, const char *want)
{
	char *got = app_prompt_text(&a->prompt);

	assert_string_equal(got, want);
	free(got);
}

static void
test_theme_parse(void **state)
{
	struct app_theme t;
	char why[160], name[200];
	int i;

	(void)state;
	assert_int_equal(app_theme_parse("  Vélos  :  pistes, trottinettes  ",
	    &t, why, sizeof why), 0);
	assert_string_equal(t.name, "Vélos");
	assert_string_equal(t.keywords, "pistes, trottinettes");
	free(t.name);
	free(t.keywords);
	/* no ':', or nothing after it: no keywords */
	assert_int_equal(app_theme_parse("Arbres", &t, why, sizeof why), 0);
	assert_string_equal(t.name, "Arbres");
	assert_null(t.keywords);
	free(t.name);
	assert_int_equal(app_theme_parse("Arbres :  ", &t, why, sizeof why),
	    0);
	assert_string_equal(t.name, "Arbres");
	assert_null(t.keywords);
	free(t.name);
	/* the first ':' splits */
	assert_int_equal(app_theme_parse("Horaires: 8:00, soir", &t, why,
	    sizeof why), 0);
	assert_string_equal(t.name, "Horaires");
	assert_string_equal(t.keywords, "8:00, soir");
	free(t.name);
	free(t.keywords);
	/* no name */
	why[0] = '\0';
	assert_int_equal(app_theme_parse(" : vélo", &t, why, sizeof why), -1);
	assert_null(t.name);
	assert_null(t.keywords);
	assert_non_null(strstr(why, "needs a name"));
	assert_int_equal(app_theme_parse("", &t, why, sizeof why), -1);
	/* 80 characters (two bytes each) fit, 81 do not */
	for (i = 0; i < 80; i++)
		memcpy(name + 2 * i, "é", 2);
	name[160] = '\0';
	assert_int_equal(app_theme_parse(name, &t, why, sizeof why), 0);
	assert_int_equal(strlen(t.name), 160);
	free(t.name);
	strcat(name, "e");
	why[0] = '\0';
	assert_int_equal(app_theme_parse(name, &t, why, sizeof why), -1);
	assert_non_null(strstr(why, "at most 80"));
	assert_null(t.name);
}

static void
test_cluster_guided(void **state)
{
	struct sent s = { .n = 0 };
	struct app *a = on_wall(&s);
	char hints[512];
	int64_t rid;
	int i, n;

	(void)state;
	add_notes(a, 4);			/* notes 10 to 13, seq 6 */
	app_key(a, 'K');
	reply(a, &s, "cluster.suggest", "\"clusters\":[{\"label\":\"idée\","
	    "\"notes\":[10,11,12,13]}],\"none\":[],\"k\":1");
	assert_false(a->draft_guided);
	app_hints(a, hints, sizeof hints);
	assert_non_null(strstr(hints, "g themes"));
	sent_clear(&s);

	/* g: nothing typed ends at once, nothing is sent */
	app_key(a, 'g');
	assert_int_equal(a->prompt.kind, PROMPT_THEME);
	assert_string_equal(a->prompt.label, "Theme 1 (empty line: done)");
	app_key(a, APP_KEY_ENTER);
	assert_int_equal(a->prompt.kind, 0);
	assert_non_null(strstr(a->info, "No theme typed"));
	assert_int_equal(s.n, 0);

	/* one theme a prompt; mistakes are said and asked again */
	app_key(a, 'g');
	type_text(a, "Vélos : pistes, trottinettes");
	app_key(a, APP_KEY_ENTER);
	assert_int_equal(a->ntyped, 1);
	assert_string_equal(a->typed[0].name, "Vélos");
	assert_string_equal(a->typed[0].keywords, "pistes, trottinettes");
	assert_int_equal(a->prompt.kind, PROMPT_THEME);
	assert_string_equal(a->prompt.label, "Theme 2 (empty line: done)");
	assert_prompt(a, "");
	type_text(a, ": arbres");
	app_key(a, APP_KEY_ENTER);
	assert_non_null(strstr(a->error, "needs a name"));
	assert_int_equal(a->prompt.kind, PROMPT_THEME);
	assert_prompt(a, ": arbres");		/* to fix, not to retype */
	assert_int_equal(a->ntyped, 1);
	app_key(a, APP_CTRL('u'));
	type_text(a, "Vélos");
	app_key(a, APP_KEY_ENTER);
	assert_non_null(strstr(a->error, "already \"Vélos\""));
	assert_int_equal(a->ntyped, 1);
	app_key(a, APP_CTRL('u'));
	type_text(a, "Arbres");
	app_key(a, APP_KEY_ENTER);
	assert_null(a->error);
	assert_int_equal(a->ntyped, 2);
	assert_null(a->typed[1].keywords);
	assert_int_equal(s.n, 0);		/* nothing sent while typing */
	/* an empty line sends them: a theme without keywords gives its name */
	app_key(a, APP_KEY_ENTER);
	assert_int_equal(a->prompt.kind, 0);
	rid = last_op(&s, "cluster.suggest");
	assert_json(last(&s), "board", "5");
	assert_null(json_object_get(last(&s), "k"));
	assert_json(last(&s), "themes", "[{\"name\":\"Vélos\",\"keywords\":"
	    "\"pistes, trottinettes\"},{\"name\":\"Arbres\",\"keywords\":"
	    "\"Arbres\"}]");
	assert_true(a->draft_loading);
	assert_int_equal(a->nthemes, 2);
	assert_int_equal(a->ntyped, 0);
	assert_non_null(strstr(a->info, "into your 2 themes"));
	/* the reply: one group per theme (one empty), then those in none */
	frame(a, "{\"re\":%lld,\"ok\":true,\"clusters\":[{\"label\":\"Vélos\","
	    "\"notes\":[10,12]},{\"label\":\"Arbres\",\"notes\":[]}],"
	    "\"none\":[11,13]}", (long long)rid);
	assert_false(a->draft_loading);
	assert_true(a->draft_guided);
	assert_int_equal(a->ndraft, 3);
	assert_string_equal(a->draft[0].label, "Vélos");
	assert_int_equal(a->draft[0].nnotes, 2);
	assert_string_equal(a->draft[1].label, "Arbres");
	assert_int_equal(a->draft[1].nnotes, 0);
	assert_true(a->draft[2].none);
	assert_string_equal(a->draft[2].label, "(fits no theme)");
	assert_int_equal(a->draft[2].nnotes, 2);
	assert_string_equal(a->info, "Sorted into 2 themes; 2 post-its fit "
	    "none (> moves them).");

	/* g again: each prompt shows the last themes; Esc keeps them all */
	app_key(a, 'g');
	assert_prompt(a, "Vélos: pistes, trottinettes");
	app_key(a, APP_KEY_ENTER);
	assert_prompt(a, "Arbres");
	app_key(a, APP_KEY_ENTER);
	assert_prompt(a, "");
	app_key(a, APP_KEY_ESC);
	assert_int_equal(a->prompt.kind, 0);
	assert_int_equal(a->nthemes, 2);
	assert_true(a->draft_guided);
	assert_int_equal(a->ndraft, 3);
	/* ... and an error in reply leaves the draft as it was */
	app_key(a, 'g');
	app_key(a, APP_KEY_ENTER);
	app_key(a, APP_KEY_ENTER);
	app_key(a, APP_KEY_ENTER);
	rid = last_op(&s, "cluster.suggest");
	assert_json(last(&s), "themes", "[{\"name\":\"Vélos\",\"keywords\":"
	    "\"pistes, trottinettes\"},{\"name\":\"Arbres\",\"keywords\":"
	    "\"Arbres\"}]");
	frame(a, "{\"re\":%lld,\"ok\":false,\"error\":\"bad_request\","
	    "\"message\":\"theme 'x' needs 'notes' or 'keywords'\"}",
	    (long long)rid);
	assert_false(a->draft_loading);
	assert_non_null(strstr(a->error, "Could not sort the post-its into "
	    "your themes: theme 'x'"));
	assert_true(a->draft_guided);
	assert_int_equal(a->draft[0].nnotes, 2);

	/* the draft is edited and applied as a free one: none stays out */
	keys(a, "jjjjj");			/* 11, the first of none */
	assert_int_equal(a->draft_sel, 5);
	app_key(a, '<');			/* into Arbres */
	assert_int_equal(a->draft[1].nnotes, 1);
	assert_int_equal(a->draft[1].notes[0], 11);
	app_key(a, 'a');
	rid = last_op(&s, "cluster.apply");
	assert_json(last(&s), "clusters", "[{\"label\":\"Vélos\",\"notes\":"
	    "[10,12]},{\"label\":\"Arbres\",\"notes\":[11]}]");
	frame(a, "{\"re\":%lld,\"ok\":true,\"board\":{\"id\":5,\"kind\":"
	    "\"wall\",\"title\":\"Mur\"}}", (long long)rid);
	assert_int_equal(a->screen, SCREEN_WALL);
	assert_false(a->draft_guided);

	/* a free suggestion after a guided one is a free draft again */
	app_key(a, 'K');
	assert_int_equal(a->screen, SCREEN_CLUSTER);
	reply(a, &s, "cluster.suggest", "\"clusters\":[{\"label\":\"idée\","
	    "\"notes\":[10,11,12,13]}],\"none\":[],\"k\":1");
	assert_false(a->draft_guided);
	assert_string_equal(a->draft[1].label, "(no group)");
	sent_clear(&s);

	/* 50 themes at most: the 50th sends them */
	app_key(a, 'g');
	for (i = 0; i < 50; i++) {
		char t[16];

		assert_int_equal(a->prompt.kind, PROMPT_THEME);
		app_key(a, APP_CTRL('u'));
		snprintf(t, sizeof t, "T%d", i);
		keys(a, t);
		app_key(a, APP_KEY_ENTER);
	}
	assert_int_equal(a->prompt.kind, 0);
	last_op(&s, "cluster.suggest");
	n = (int)json_array_size(json_object_get(last(&s), "themes"));
	assert_int_equal(n, 50);
	assert_int_equal(s.n, 1);
	assert_int_equal(a->nthemes, 50);
	reply(a, &s, "cluster.suggest", "\"clusters\":[{\"label\":\"T0\","
	    "\"notes\":[10,11,12,13]}],\"none\":[]");
	assert_string_equal(a->info, "Sorted into 1 theme: e rename, > move, "
	    "a apply.");

	/* offline: said at once, the themes typed are kept for next time */
	app_disconnected(a, "gone", 250);
	app_key(a, 'g');
	app_key(a, APP_CTRL('u'));
	keys(a, "Mobilite");
	app_key(a, APP_KEY_ENTER);
	app_key(a, APP_CTRL('u'));
	app_key(a, APP_KEY_ENTER);
	assert_string_equal(a->error, "Offline: could not sort the post-its "
	    "into your themes.");
	assert_int_equal(s.n, 1);
	assert_int_equal(a->nthemes, 1);
	assert_string_equal(a->themes[0].name, "Mobilite");
	sent_clear(&s);
	app_free(a);
}

static void
test_timer(void **state)
{
	struct sent s = { .n = 0 };
	struct app *a = on_wall(&s);
	char buf[160];

	(void)state;
	assert_int_equal(app_timer_text(a, buf, sizeof buf), 0);
	assert_string_equal(buf, "");
	/* the server's clock is far from ours: its events' time says so */
	app_tick(a, 5000);
	frame(a, "{\"ev\":\"timer.started\",\"seq\":3,\"session\":\"K7MXPA\","
	    "\"time\":1000000,\"seconds\":300,\"ends\":1300000,"
	    "\"label\":\"Ecrire\"}");
	assert_int_equal(app_timer_text(a, buf, sizeof buf), 1);
	assert_string_equal(buf, "5:00 Ecrire");
	app_tick(a, 6000);
	app_timer_text(a, buf, sizeof buf);
	assert_string_equal(buf, "4:59 Ecrire");
	/* an older event (replayed) does not move the clock back */
	frame(a, "{\"ev\":\"participant.joined\",\"seq\":4,\"session\":"
	    "\"K7MXPA\",\"time\":2000,\"participants\":1}");
	app_timer_text(a, buf, sizeof buf);
	assert_string_equal(buf, "4:59 Ecrire");
	app_tick(a, 5000 + 300000 + 10);
	app_timer_text(a, buf, sizeof buf);
	assert_string_equal(buf, "0:00 time is up Ecrire");

	/* t: minutes, then an optional label */
	app_key(a, 't');
	assert_int_equal(a->prompt.kind, PROMPT_TIMER_MINUTES);
	keys(a, "2.5");
	app_key(a, APP_KEY_ENTER);
	assert_int_equal(a->prompt.kind, PROMPT_TIMER_LABEL);
	app_key(a, APP_KEY_ENTER);
	last_op(&s, "timer.start");
	assert_json(last(&s), "seconds", "150");
	assert_json(last(&s), "session", "\"K7MXPA\"");
	assert_null(json_object_get(last(&s), "label"));
	app_key(a, 't');
	keys(a, "nope");
	app_key(a, APP_KEY_ENTER);
	assert_non_null(strstr(a->error, "is not a duration"));
	assert_int_equal(a->prompt.kind, 0);
	/* p pauses a running timer, resumes a paused one; T stops */
	app_key(a, 'p');
	last_op(&s, "timer.pause");
	frame(a, "{\"ev\":\"timer.paused\",\"seq\":5,\"session\":\"K7MXPA\","
	    "\"time\":1000100,\"left\":65000}");
	app_timer_text(a, buf, sizeof buf);
	assert_string_equal(buf, "paused 1:05 Ecrire");
	app_key(a, 'p');
	last_op(&s, "timer.resume");
	app_key(a, 'T');
	last_op(&s, "timer.stop");
	frame(a, "{\"ev\":\"timer.stopped\",\"seq\":6,\"session\":\"K7MXPA\","
	    "\"time\":1000200}");
	assert_int_equal(app_timer_text(a, buf, sizeof buf), 0);
	app_key(a, 'p');
	assert_non_null(strstr(a->error, "No timer"));
	/* an hour or more shows hours */
	frame(a, "{\"ev\":\"timer.started\",\"seq\":7,\"session\":\"K7MXPA\","
	    "\"time\":1000300,\"seconds\":5400,\"ends\":%lld}",
	    (long long)(a->now + a->clock_offset + 5400000));
	app_timer_text(a, buf, sizeof buf);
	assert_string_equal(buf, "1:30:00");

	/* the session's texts, from its home */
	app_key(a, 'q');
	assert_int_equal(a->screen, SCREEN_HOME);
	app_key(a, 't');			/* the timer from home too */
	assert_int_equal(a->prompt.kind, PROMPT_TIMER_MINUTES);
	app_key(a, APP_KEY_ESC);
	app_key(a, 'D');
	assert_int_equal(a->prompt.kind, PROMPT_DESCRIPTION);
	keys(a, "Pourquoi");
	app_key(a, APP_KEY_ENTER);
	last_op(&s, "session.update");
	assert_json(last(&s), "description", "\"Pourquoi\"");
	assert_null(json_object_get(last(&s), "retrospective"));
	app_key(a, 'R');
	assert_int_equal(a->prompt.kind, PROMPT_RETROSPECTIVE);
	app_key(a, APP_KEY_ENTER);		/* empty: clears */
	last_op(&s, "session.update");
	assert_json(last(&s), "retrospective", "\"\"");
	sent_clear(&s);
	app_free(a);
}

static void
test_parse_minutes(void **state)
{
	(void)state;
	assert_int_equal(app_parse_minutes("5"), 300);
	assert_int_equal(app_parse_minutes("2.5"), 150);
	assert_int_equal(app_parse_minutes("1:30"), 90);
	assert_int_equal(app_parse_minutes("0:05"), 5);
	assert_int_equal(app_parse_minutes("1440"), 86400);
	assert_int_equal(app_parse_minutes("1441"), -1);
	assert_int_equal(app_parse_minutes("0"), -1);
	assert_int_equal(app_parse_minutes("-3"), -1);
	assert_int_equal(app_parse_minutes("1:75"), -1);
	assert_int_equal(app_parse_minutes("5 min"), -1);
	assert_int_equal(app_parse_minutes(""), -1);
	assert_int_equal(app_parse_minutes(NULL), -1);
}

/* ---- portfolios ------------------------------------------------------ */

static char fetched_path[256], fetched_file[256];

static void
fake_fetch(void *ctx, const char *path, const char *file)
{
	(void)ctx;
	snprintf(fetched_path, sizeof fetched_path, "%s", path);
	snprintf(fetched_file, sizeof fetched_file, "%s", file);
}

#define PF_EMPTY "{\"id\":7,\"title\":\"Mobilite\",\"description\":" \
	"\"Projet\",\"created\":20,\"sessions\":[]}"
#define PF_ONE "{\"id\":7,\"title\":\"Mobilite\",\"description\":" \
	"\"Projet\",\"created\":20,\"sessions\":[{\"code\":\"AAAAAA\"," \
	"\"title\":\"Premier\"}]}"
#define PF_TWO "{\"id\":7,\"title\":\"Mobilite\",\"description\":" \
	"\"Projet\",\"created\":20,\"sessions\":[{\"code\":\"AAAAAA\"," \
	"\"title\":\"Premier\"},{\"code\":\"BBBBBB\",\"title\":\"Second\"," \
	"\"closed\":5}]}"

/* A console online on the session list: BBBBBB (newest), AAAAAA. */
static struct app *
on_list(struct sent *s)
{
	struct app *a = app_new("tok", "127.0.0.1:8080", 0, "t", capture, s);

	app_resize(a, 80, 24);
	app_set_fetch(a, fake_fetch);
	app_connected(a);
	reply(a, s, "hello", "\"you\":{\"id\":0}");
	reply(a, s, "session.list", "\"sessions\":[{\"code\":\"BBBBBB\","
	    "\"title\":\"Second\",\"created\":2},{\"code\":\"AAAAAA\","
	    "\"title\":\"Premier\",\"created\":1}]");
	assert_int_equal(a->screen, SCREEN_LIST);
	return a;
}

static void
test_portfolio_screens(void **state)
{
	struct sent s = { .n = 0 };
	struct app *a = on_list(&s);
	char hints[512];
	int n;

	(void)state;
	/* P: the portfolios, asked from the server */
	app_key(a, 'P');
	assert_int_equal(a->screen, SCREEN_PORTFOLIOS);
	assert_string_equal(app_screen_name(a->screen), "Portfolios");
	reply(a, &s, "portfolio.list", "\"portfolios\":[]");
	assert_true(a->m->portfolios_loaded);
	app_key(a, APP_KEY_ENTER);
	assert_non_null(strstr(a->error, "No portfolio yet"));
	app_hints(a, hints, sizeof hints);
	assert_string_equal(hints, "? help  Enter open  n new  e rename  "
	    "D description  E export  q back");

	/* n: a title, then an optional description */
	app_key(a, 'n');
	assert_int_equal(a->prompt.kind, PROMPT_PF_TITLE);
	keys(a, "Mobilite");
	app_key(a, APP_KEY_ENTER);
	assert_int_equal(a->prompt.kind, PROMPT_PF_ABOUT);
	keys(a, "Projet");
	app_key(a, APP_KEY_ENTER);
	assert_int_equal(a->prompt.kind, 0);
	last_op(&s, "portfolio.create");
	assert_json(last(&s), "title", "\"Mobilite\"");
	assert_json(last(&s), "description", "\"Projet\"");
	reply(a, &s, "portfolio.create", "\"portfolio\":" PF_EMPTY);
	assert_int_equal(a->m->nportfolios, 1);
	assert_non_null(strstr(a->info, "Portfolio created: \"Mobilite\""));
	/* no description: the field is left out; Esc sends nothing */
	app_key(a, 'n');
	keys(a, "Autre");
	app_key(a, APP_KEY_ENTER);
	app_key(a, APP_KEY_ENTER);
	last_op(&s, "portfolio.create");
	assert_null(json_object_get(last(&s), "description"));
	n = s.n;
	app_key(a, 'n');
	keys(a, "Rien");
	app_key(a, APP_KEY_ENTER);
	app_key(a, APP_KEY_ESC);
	assert_int_equal(s.n, n);
	/* an empty title cancels */
	app_key(a, 'n');
	app_key(a, APP_KEY_ENTER);
	assert_int_equal(a->prompt.kind, 0);
	assert_int_equal(s.n, n);

	/* e renames (the title as it was to start with), D describes */
	app_key(a, 'e');
	assert_int_equal(a->prompt.kind, PROMPT_PF_RENAME);
	assert_int_equal(a->prompt.len, strlen("Mobilite"));
	keys(a, " 2026");
	app_key(a, APP_KEY_ENTER);
	last_op(&s, "portfolio.update");
	assert_json(last(&s), "portfolio", "7");
	assert_json(last(&s), "title", "\"Mobilite 2026\"");
	assert_null(json_object_get(last(&s), "description"));
	reply(a, &s, "portfolio.update", "\"portfolio\":{\"id\":7,\"title\":"
	    "\"Mobilite 2026\",\"sessions\":[]}");
	assert_string_equal(a->m->portfolios[0].title, "Mobilite 2026");
	assert_string_equal(a->info, "Portfolio renamed.");
	app_key(a, 'D');
	assert_int_equal(a->prompt.kind, PROMPT_PF_DESCRIPTION);
	app_key(a, APP_CTRL('u'));
	app_key(a, APP_KEY_ENTER);		/* empty: clears */
	last_op(&s, "portfolio.update");
	assert_json(last(&s), "description", "\"\"");
	assert_null(json_object_get(last(&s), "title"));

	/* E then a format: the portfolio's export, to its own file name */
	app_key(a, 'E');
	assert_int_equal(a->confirm.kind, CONFIRM_PF_EXPORT);
	app_key(a, 'x');			/* not a format: cancelled */
	assert_string_equal(fetched_path, "");
	app_key(a, 'E');
	app_key(a, 'm');
	assert_string_equal(fetched_path, "/api/portfolios/7/export.md");
	assert_string_equal(fetched_file, "atelier-portfolio-7.md");
	assert_true(a->exporting);
	app_key(a, 'E');
	assert_non_null(strstr(a->info, "already on its way"));
	app_export_done(a, 0, "the server answered 500");
	assert_string_equal(a->error, "Could not export the portfolio: the "
	    "server answered 500");

	/* q: back to the sessions */
	app_key(a, 'q');
	assert_int_equal(a->screen, SCREEN_LIST);
	last_op(&s, "session.list");
	sent_clear(&s);
	app_free(a);
	fetched_path[0] = fetched_file[0] = '\0';
}

static void
test_portfolio_add_remove(void **state)
{
	struct sent s = { .n = 0 };
	struct app *a = on_list(&s);
	char hints[512];

	(void)state;
	/* + on the list: the picker, over the portfolios asked again */
	app_key(a, 'j');			/* AAAAAA */
	app_key(a, '+');
	assert_int_equal(a->screen, SCREEN_PICK);
	assert_string_equal(a->pick_code, "AAAAAA");
	assert_string_equal(a->pick_title, "Premier");
	reply(a, &s, "portfolio.list", "\"portfolios\":[]");
	app_key(a, APP_KEY_ENTER);		/* none to choose */
	assert_non_null(strstr(a->error, "press n to create one"));
	assert_int_equal(a->screen, SCREEN_PICK);
	app_key(a, 'q');
	assert_int_equal(a->screen, SCREEN_LIST);
	assert_string_equal(a->info, "Cancelled.");

	/* n in the picker: created, then the session goes into it */
	app_key(a, '+');
	reply(a, &s, "portfolio.list", "\"portfolios\":[]");
	app_hints(a, hints, sizeof hints);
	assert_string_equal(hints, "? help  Enter add  n new portfolio  "
	    "q cancel");
	app_key(a, 'n');
	keys(a, "Mobilite");
	app_key(a, APP_KEY_ENTER);
	app_key(a, APP_KEY_ENTER);
	assert_int_equal(a->screen, SCREEN_LIST);
	reply(a, &s, "portfolio.create", "\"portfolio\":" PF_EMPTY);
	last_op(&s, "portfolio.add");
	assert_json(last(&s), "portfolio", "7");
	assert_json(last(&s), "session", "\"AAAAAA\"");
	reply(a, &s, "portfolio.add", "\"portfolio\":" PF_ONE);
	assert_string_equal(a->info, "AAAAAA added to \"Mobilite\" "
	    "(1 session).");

	/* + on another session, Enter: the one selected */
	app_key(a, 'k');			/* BBBBBB */
	app_key(a, '+');
	reply(a, &s, "portfolio.list", "\"portfolios\":[{\"id\":9,\"title\":"
	    "\"Autre\",\"sessions\":[]},{\"id\":7,\"title\":\"Mobilite\","
	    "\"sessions\":[\"AAAAAA\"]}]");
	app_key(a, 'j');
	app_key(a, APP_KEY_ENTER);
	assert_int_equal(a->screen, SCREEN_LIST);
	last_op(&s, "portfolio.add");
	assert_json(last(&s), "portfolio", "7");
	assert_json(last(&s), "session", "\"BBBBBB\"");
	/* an error from the server is said on the status line */
	frame(a, "{\"re\":%lld,\"ok\":false,\"error\":\"not_found\","
	    "\"message\":\"no portfolio 7\"}", (long long)last_op(&s,
	    "portfolio.add"));
	assert_string_equal(a->error, "Could not add the session to the "
	    "portfolio: no portfolio 7 [not_found]");
	/* adding twice: said so */
	app_key(a, 'j');
	app_key(a, '+');
	reply(a, &s, "portfolio.list", "\"portfolios\":[{\"id\":7,\"title\":"
	    "\"Mobilite\",\"sessions\":[\"AAAAAA\"]}]");
	app_key(a, APP_KEY_ENTER);
	assert_null(a->error);
	reply(a, &s, "portfolio.add", "\"portfolio\":" PF_ONE);
	assert_string_equal(a->info, "AAAAAA was already in \"Mobilite\" "
	    "(1 session).");

	/* Enter on a portfolio: its sessions */
	app_key(a, 'P');
	reply(a, &s, "portfolio.list", "\"portfolios\":[{\"id\":7,\"title\":"
	    "\"Mobilite\",\"sessions\":[\"AAAAAA\",\"BBBBBB\"]}]");
	app_key(a, APP_KEY_ENTER);
	assert_int_equal(a->screen, SCREEN_PORTFOLIO);
	assert_int_equal(a->pf_id, 7);
	last_op(&s, "portfolio.get");
	assert_json(last(&s), "portfolio", "7");
	app_key(a, 'd');			/* not loaded yet */
	assert_non_null(strstr(a->error, "not loaded yet"));
	reply(a, &s, "portfolio.get", "\"portfolio\":" PF_TWO);
	assert_non_null(a->m->portfolio);
	assert_int_equal(a->m->portfolio->nsessions, 2);
	app_hints(a, hints, sizeof hints);
	assert_string_equal(hints, "? help  Enter open  d remove  e rename  "
	    "D description  E export  q back");
	/* d asks first; any key but y keeps it */
	app_key(a, 'j');
	assert_int_equal(a->pf_session_sel, 1);
	app_key(a, 'd');
	assert_int_equal(a->confirm.kind, CONFIRM_PF_REMOVE);
	assert_non_null(strstr(a->confirm.question, "Remove BBBBBB "
	    "\"Second\""));
	app_key(a, 'n');
	last_op(&s, "portfolio.get");
	app_key(a, APP_KEY_DELETE);
	app_key(a, 'y');
	last_op(&s, "portfolio.remove");
	assert_json(last(&s), "portfolio", "7");
	assert_json(last(&s), "session", "\"BBBBBB\"");
	reply(a, &s, "portfolio.remove", "\"portfolio\":" PF_ONE);
	assert_string_equal(a->info, "BBBBBB removed from \"Mobilite\" (the "
	    "session stays).");
	assert_int_equal(a->m->portfolio->nsessions, 1);
	assert_int_equal(a->pf_session_sel, 0);	/* kept in range */
	assert_int_equal(a->m->portfolios[0].nsessions, 1);

	/* Enter opens the session; q on its home comes back here */
	app_key(a, APP_KEY_ENTER);
	last_op(&s, "session.join");
	assert_json(last(&s), "code", "\"AAAAAA\"");
	reply(a, &s, "session.join", "\"session\":{\"code\":\"AAAAAA\","
	    "\"title\":\"Premier\",\"seq\":1,\"boards\":[]}");
	assert_int_equal(a->screen, SCREEN_HOME);
	/* + on the home: the picker, then back home */
	app_key(a, '+');
	assert_int_equal(a->screen, SCREEN_PICK);
	assert_string_equal(a->pick_code, "AAAAAA");
	app_key(a, APP_KEY_ESC);
	assert_int_equal(a->screen, SCREEN_HOME);
	app_key(a, 'q');
	assert_int_equal(a->screen, SCREEN_PORTFOLIO);
	last_op(&s, "portfolio.get");
	app_key(a, 'q');
	assert_int_equal(a->screen, SCREEN_PORTFOLIOS);
	last_op(&s, "portfolio.list");
	app_key(a, 'q');
	assert_int_equal(a->screen, SCREEN_LIST);
	/* a session opened from the list goes back to the list */
	app_key(a, APP_KEY_ENTER);
	reply(a, &s, "session.join", "\"session\":{\"code\":\"BBBBBB\","
	    "\"title\":\"Second\",\"seq\":1,\"boards\":[]}");
	app_key(a, 'q');
	assert_int_equal(a->screen, SCREEN_LIST);

	/* reconnecting on the portfolio screen asks for it again */
	app_key(a, 'P');
	app_key(a, APP_KEY_ENTER);
	app_disconnected(a, "gone", 250);
	app_key(a, 'r');
	assert_string_equal(a->error, "Offline: could not open the "
	    "portfolio.");
	app_connected(a);
	reply(a, &s, "hello", "\"you\":{\"id\":0}");
	last_op(&s, "portfolio.get");
	sent_clear(&s);
	app_free(a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hello_and_create),
		cmocka_unit_test(test_wall_navigation),
		cmocka_unit_test(test_wall_actions),
		cmocka_unit_test(test_reconnect),
		cmocka_unit_test(test_refused_token),
		cmocka_unit_test(test_cloud_requests),
		cmocka_unit_test(test_bindings_table),
		cmocka_unit_test(test_help_and_hints),
		cmocka_unit_test(test_cluster_draft_and_groups),
		cmocka_unit_test(test_theme_parse),
		cmocka_unit_test(test_cluster_guided),
		cmocka_unit_test(test_timer),
		cmocka_unit_test(test_parse_minutes),
		cmocka_unit_test(test_portfolio_screens),
		cmocka_unit_test(test_portfolio_add_remove),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
