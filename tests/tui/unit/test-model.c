/*
 * test-model.c - unit tests of client-tui/model.c: snapshots, events in
 * seq order (duplicates ignored, gaps reported, other sessions ignored),
 * notes, boards, word-cloud entries and layouts, applied groups (cluster.*),
 * the timer and the session's texts, portfolios.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

static json_t *
J(const char *text)
{
	json_error_t err;
	json_t *v = json_loads(text, 0, &err);

	if (v == NULL)
		fail_msg("bad JSON in test: %s: %s", err.text, text);
	return v;
}

/* Apply one event written as JSON; returns what the model did. */
static enum model_applied
ev(struct model *m, const char *text)
{
	json_t *e = J(text);
	enum model_applied r = model_apply_event(m, e);

	json_decref(e);
	return r;
}

static struct model *
opened(void)
{
	struct model *m = model_new();
	json_t *s = J("{\"code\":\"K7MXPA\",\"title\":\"Déchets\",\"created\":1,"
	    "\"seq\":3,\"join_url\":\"http://h/j/K7MXPA\",\"participants\":1,"
	    "\"boards\":[{\"id\":1,\"session\":\"K7MXPA\",\"kind\":\"wall\","
	    "\"title\":\"Idées\",\"prompt\":null,\"locked\":false,"
	    "\"vote_limit\":5,\"notes\":[{\"id\":2,\"board\":1,\"author\":1,"
	    "\"author_name\":\"Awa\",\"text\":\"Tri\",\"color\":\"green\","
	    "\"x\":0,\"y\":0,\"votes\":1,\"hidden\":false,\"created\":5}]}]}");

	model_open(m, s);
	json_decref(s);
	return m;
}

static void
test_snapshot(void **state)
{
	struct model *m = opened();
	struct tui_board *b;
	struct tui_note *n;

	(void)state;
	assert_non_null(m->open);
	assert_string_equal(m->open->code, "K7MXPA");
	assert_string_equal(m->open->title, "Déchets");
	assert_int_equal(m->open->seq, 3);
	assert_int_equal(m->open->participants, 1);
	assert_int_equal(m->open->nboards, 1);
	b = model_board(m, 1);
	assert_non_null(b);
	assert_string_equal(b->kind, "wall");
	assert_null(b->prompt);
	assert_int_equal(b->nnotes, 1);
	n = model_note(b, 2);
	assert_non_null(n);
	assert_string_equal(n->author_name, "Awa");
	assert_int_equal(n->color, NOTE_GREEN);
	assert_int_equal(n->votes, 1);
	assert_null(model_board(m, 99));
	assert_int_equal(model_board_index(m, 1), 0);
	model_free(m);
}

static void
test_seq_order(void **state)
{
	struct model *m = opened();

	(void)state;
	/* an event already seen, one of another session, one too far */
	assert_int_equal(ev(m, "{\"ev\":\"board.locked\",\"seq\":3,"
	    "\"session\":\"K7MXPA\",\"board\":1}"), MODEL_IGNORED);
	assert_false(model_board(m, 1)->locked);
	assert_int_equal(ev(m, "{\"ev\":\"board.locked\",\"seq\":4,"
	    "\"session\":\"OTHERS\",\"board\":1}"), MODEL_IGNORED);
	assert_int_equal(ev(m, "{\"ev\":\"board.locked\",\"seq\":6,"
	    "\"session\":\"K7MXPA\",\"board\":1}"), MODEL_GAP);
	assert_int_equal(m->open->seq, 3);
	assert_int_equal(ev(m, "{\"ev\":\"board.locked\",\"seq\":4,"
	    "\"session\":\"K7MXPA\",\"board\":1}"), MODEL_APPLIED);
	assert_true(model_board(m, 1)->locked);
	assert_int_equal(m->open->seq, 4);
	assert_int_equal(ev(m, "{\"ev\":\"board.unlocked\",\"seq\":5,"
	    "\"session\":\"K7MXPA\",\"board\":1}"), MODEL_APPLIED);
	assert_false(model_board(m, 1)->locked);
	/* an event the console does not know still advances seq */
	assert_int_equal(ev(m, "{\"ev\":\"timer.started\",\"seq\":6,"
	    "\"session\":\"K7MXPA\"}"), MODEL_APPLIED);
	assert_int_equal(m->open->seq, 6);
	/* not an event at all */
	assert_int_equal(ev(m, "{\"seq\":7}"), MODEL_IGNORED);
	model_free(m);
}

static void
test_notes(void **state)
{
	struct model *m = opened();
	struct tui_board *b;
	struct tui_note *n;

	(void)state;
	ev(m, "{\"ev\":\"note.added\",\"seq\":4,\"session\":\"K7MXPA\","
	    "\"board\":1,\"note\":{\"id\":7,\"board\":1,\"author\":0,"
	    "\"author_name\":\"facilitator\",\"text\":\"Merci\","
	    "\"color\":\"purple\",\"votes\":0,\"hidden\":false}}");
	b = model_board(m, 1);
	assert_int_equal(b->nnotes, 2);
	assert_int_equal(b->notes[1].id, 7);
	assert_int_equal(b->notes[1].color, NOTE_PURPLE);
	ev(m, "{\"ev\":\"note.voted\",\"seq\":5,\"session\":\"K7MXPA\","
	    "\"board\":1,\"note\":2,\"votes\":4}");
	assert_int_equal(model_note(b, 2)->votes, 4);
	ev(m, "{\"ev\":\"note.unvoted\",\"seq\":6,\"session\":\"K7MXPA\","
	    "\"board\":1,\"note\":2,\"votes\":3}");
	assert_int_equal(model_note(b, 2)->votes, 3);
	ev(m, "{\"ev\":\"note.hidden\",\"seq\":7,\"session\":\"K7MXPA\","
	    "\"board\":1,\"note\":2}");
	n = model_note(b, 2);
	assert_true(n->hidden);
	assert_string_equal(n->text, "Tri");	/* the facilitator keeps it */
	ev(m, "{\"ev\":\"note.shown\",\"seq\":8,\"session\":\"K7MXPA\","
	    "\"board\":1,\"note\":{\"id\":2,\"board\":1,\"author\":1,"
	    "\"author_name\":\"Awa\",\"text\":\"Tri\",\"color\":\"green\","
	    "\"votes\":3,\"hidden\":false}}");
	assert_false(model_note(b, 2)->hidden);
	ev(m, "{\"ev\":\"note.updated\",\"seq\":9,\"session\":\"K7MXPA\","
	    "\"board\":1,\"note\":{\"id\":2,\"board\":1,\"author\":1,"
	    "\"author_name\":\"Awa\",\"text\":\"Tri sélectif\","
	    "\"color\":\"blue\",\"votes\":3,\"hidden\":false}}");
	assert_string_equal(model_note(b, 2)->text, "Tri sélectif");
	assert_int_equal(model_note(b, 2)->color, NOTE_BLUE);
	assert_int_equal(b->nnotes, 2);	/* replaced, not added */
	ev(m, "{\"ev\":\"note.deleted\",\"seq\":10,\"session\":\"K7MXPA\","
	    "\"board\":1,\"note\":2}");
	assert_int_equal(b->nnotes, 1);
	assert_null(model_note(b, 2));
	assert_non_null(model_note(b, 7));
	/* a note event for a board the model does not know: no crash */
	assert_int_equal(ev(m, "{\"ev\":\"note.hidden\",\"seq\":11,"
	    "\"session\":\"K7MXPA\",\"board\":42,\"note\":1}"),
	    MODEL_APPLIED);
	model_free(m);
}

static void
test_boards_and_participants(void **state)
{
	struct model *m = opened();
	json_t *list = J("[{\"code\":\"K7MXPA\",\"title\":\"Déchets\","
	    "\"participants\":1},{\"code\":\"ABCDEF\",\"title\":\"Autre\","
	    "\"participants\":0}]");

	(void)state;
	model_set_list(m, list);
	json_decref(list);
	assert_int_equal(m->nlist, 2);
	ev(m, "{\"ev\":\"board.created\",\"seq\":4,\"session\":\"K7MXPA\","
	    "\"board\":{\"id\":9,\"session\":\"K7MXPA\",\"kind\":\"wall\","
	    "\"title\":\"Deux\",\"prompt\":\"Pourquoi ?\",\"locked\":true,"
	    "\"vote_limit\":3}}");
	assert_int_equal(m->open->nboards, 2);
	assert_string_equal(model_board(m, 9)->prompt, "Pourquoi ?");
	assert_true(model_board(m, 9)->locked);
	assert_int_equal(model_board(m, 9)->vote_limit, 3);
	ev(m, "{\"ev\":\"participant.joined\",\"seq\":5,\"session\":\"K7MXPA\","
	    "\"participant\":{\"id\":3,\"name\":null},\"participants\":2}");
	assert_int_equal(m->open->participants, 2);
	assert_int_equal(m->list[0].participants, 2);
	/* another session in the list counts its participants too */
	assert_int_equal(ev(m, "{\"ev\":\"participant.joined\",\"seq\":2,"
	    "\"session\":\"ABCDEF\",\"participants\":1}"), MODEL_IGNORED);
	assert_int_equal(m->list[1].participants, 1);
	ev(m, "{\"ev\":\"session.updated\",\"seq\":6,\"session\":\"K7MXPA\","
	    "\"title\":\"Déchets 2\"}");
	assert_string_equal(m->open->title, "Déchets 2");
	model_close(m);
	assert_null(m->open);
	assert_int_equal(ev(m, "{\"ev\":\"board.locked\",\"seq\":7,"
	    "\"session\":\"K7MXPA\",\"board\":1}"), MODEL_IGNORED);
	model_free(m);
}

static void
test_cloud(void **state)
{
	struct model *m = opened();
	struct tui_board *b;
	json_t *board = J("{\"id\":20,\"kind\":\"cloud\",\"title\":\"Mots\","
	    "\"word_quota\":3,\"words\":[{\"key\":\"dechet\",\"text\":"
	    "\"déchets\",\"count\":5},{\"key\":\"tri\",\"text\":\"tri\","
	    "\"count\":2,\"hidden\":true}]}");
	json_t *layout = J("{\"target\":\"grid\",\"width\":40,\"height\":10,"
	    "\"words\":[{\"key\":\"dechet\",\"text\":\"déchets\",\"count\":5,"
	    "\"x\":3,\"y\":2,\"w\":7,\"h\":1,\"size\":4}]}");

	(void)state;
	model_put_board(m, board);
	json_decref(board);
	b = model_board(m, 20);
	assert_non_null(b);
	assert_string_equal(b->kind, "cloud");
	assert_int_equal(b->word_quota, 3);
	assert_int_equal(b->nwords, 2);
	assert_true(b->words_loaded);
	assert_true(model_word(b, "tri")->hidden);
	model_put_layout(m, 20, layout);
	json_decref(layout);
	assert_int_equal(b->ncells, 1);
	assert_int_equal(b->cells[0].x, 3);
	assert_int_equal(b->cells[0].size, 4);
	assert_false(b->layout_stale);

	/* a new word goes in count order and makes the layout stale */
	ev(m, "{\"ev\":\"word.added\",\"seq\":4,\"session\":\"K7MXPA\","
	    "\"board\":20,\"word\":{\"key\":\"velo\",\"text\":\"vélo\","
	    "\"count\":3}}");
	b = model_board(m, 20);
	assert_int_equal(b->nwords, 3);
	assert_string_equal(b->words[1].key, "velo");
	assert_true(b->layout_stale);
	ev(m, "{\"ev\":\"word.merged\",\"seq\":5,\"session\":\"K7MXPA\","
	    "\"board\":20,\"from\":\"velo\",\"into\":\"dechet\",\"word\":"
	    "{\"key\":\"dechet\",\"text\":\"déchets\",\"count\":8}}");
	assert_int_equal(b->nwords, 2);
	assert_null(model_word(b, "velo"));
	assert_int_equal(model_word(b, "dechet")->count, 8);
	ev(m, "{\"ev\":\"word.banned\",\"seq\":6,\"session\":\"K7MXPA\","
	    "\"key\":\"tri\",\"text\":\"tri\"}");
	assert_true(model_word(b, "tri")->banned);
	assert_int_equal(m->open->nbanned, 1);
	assert_string_equal(m->open->banned[0].text, "tri");
	ev(m, "{\"ev\":\"word.unbanned\",\"seq\":7,\"session\":\"K7MXPA\","
	    "\"key\":\"tri\"}");
	assert_false(model_word(b, "tri")->banned);
	assert_int_equal(m->open->nbanned, 0);
	ev(m, "{\"ev\":\"word.shown\",\"seq\":8,\"session\":\"K7MXPA\","
	    "\"board\":20,\"word\":{\"key\":\"tri\",\"text\":\"tri\","
	    "\"count\":2}}");
	assert_false(model_word(b, "tri")->hidden);
	ev(m, "{\"ev\":\"word.hidden\",\"seq\":9,\"session\":\"K7MXPA\","
	    "\"board\":20,\"key\":\"dechet\"}");
	assert_true(model_word(b, "dechet")->hidden);
	ev(m, "{\"ev\":\"board.reset\",\"seq\":10,\"session\":\"K7MXPA\","
	    "\"board\":20}");
	assert_int_equal(b->nwords, 0);
	/* cloud.updated (participants' and viewers' coalesced additions) */
	assert_int_equal(ev(m, "{\"ev\":\"cloud.updated\",\"seq\":13,"
	    "\"first\":11,\"added\":3,\"session\":\"K7MXPA\",\"boards\":"
	    "[{\"board\":20,\"words\":[{\"key\":\"bus\",\"text\":\"bus\","
	    "\"count\":2},{\"key\":\"tram\",\"text\":\"tram\","
	    "\"count\":1}]}]}"), MODEL_APPLIED);
	assert_int_equal(b->nwords, 2);
	assert_int_equal(model_word(b, "bus")->count, 2);
	assert_int_equal(m->open->seq, 13);
	/* session.focused: the board on every screen, null for none */
	assert_int_equal(m->open->focus, 0);
	ev(m, "{\"ev\":\"session.focused\",\"seq\":14,\"session\":\"K7MXPA\","
	    "\"board\":20}");
	assert_int_equal(m->open->focus, 20);
	ev(m, "{\"ev\":\"session.focused\",\"seq\":15,\"session\":\"K7MXPA\","
	    "\"board\":null}");
	assert_int_equal(m->open->focus, 0);
	assert_int_equal(ev(m, "{\"ev\":\"cloud.updated\",\"seq\":18,"
	    "\"first\":17,\"added\":2,\"session\":\"K7MXPA\",\"boards\":"
	    "[]}"), MODEL_GAP);
	assert_int_equal(m->open->seq, 15);
	model_free(m);
}

static void
test_banned_snapshot(void **state)
{
	struct model *m = model_new();
	json_t *s = J("{\"code\":\"K7MXPA\",\"seq\":4,\"boards\":[],"
	    "\"banned\":[{\"key\":\"con\",\"text\":\"con\"},{\"key\":"
	    "\"idiot\",\"text\":\"idiots\"}]}");

	(void)state;
	model_open(m, s);
	json_decref(s);
	assert_int_equal(m->open->nbanned, 2);
	assert_string_equal(m->open->banned[1].text, "idiots");
	/* a word's forms, summed up for the facilitator */
	s = J("{\"id\":3,\"kind\":\"cloud\",\"title\":\"M\",\"words\":"
	    "[{\"key\":\"velo\",\"text\":\"vélo\",\"count\":3,\"forms\":"
	    "[{\"text\":\"vélo\",\"count\":2},{\"text\":\"vélos\","
	    "\"count\":1}]}]}");
	model_put_board(m, s);
	json_decref(s);
	assert_string_equal(model_word(model_board(m, 3), "velo")->forms,
	    "vélo 2, vélos 1");
	model_free(m);
}

static void
test_colors(void **state)
{
	(void)state;
	assert_int_equal(model_color_parse("pink"), NOTE_PINK);
	assert_int_equal(model_color_parse("orange"), NOTE_ORANGE);
	assert_int_equal(model_color_parse("chartreuse"), NOTE_YELLOW);
	assert_int_equal(model_color_parse(NULL), NOTE_YELLOW);
	assert_string_equal(model_color_name(NOTE_PURPLE), "purple");
	assert_string_equal(model_color_name(99), "yellow");
}

static void
test_malformed(void **state)
{
	struct model *m = model_new();
	json_t *s = J("{\"code\":7,\"boards\":[{\"id\":\"x\"},{\"id\":3,"
	    "\"notes\":[{\"text\":\"no id\"},{\"id\":4}]}]}");

	(void)state;
	model_open(m, s);
	json_decref(s);
	assert_string_equal(m->open->code, "");
	assert_int_equal(m->open->nboards, 1);
	assert_int_equal(model_board(m, 3)->nnotes, 1);
	assert_string_equal(model_note(model_board(m, 3), 4)->text, "");
	model_free(m);
}

/* Note ids of group g of board b, as "2 3 4". */
static void
group_ids(const struct tui_board *b, size_t g, char *buf, size_t n)
{
	size_t i, len = 0;

	buf[0] = '\0';
	for (i = 0; i < b->groups[g].nnotes && len < n; i++)
		len += (size_t)snprintf(buf + len, n - len, "%s%lld",
		    i ? " " : "", (long long)b->groups[g].notes[i]);
}

static void
test_clusters(void **state)
{
	struct model *m = opened();
	struct tui_board *b;
	char ids[64];
	json_t *o;

	(void)state;
	/* a board.get with clusters replaces the groups */
	o = J("{\"id\":1,\"kind\":\"wall\",\"title\":\"Idées\",\"notes\":["
	    "{\"id\":2,\"text\":\"a\"},{\"id\":3,\"text\":\"b\"},"
	    "{\"id\":4,\"text\":\"c\"},{\"id\":5,\"text\":\"d\"}],"
	    "\"clusters\":[{\"id\":70,\"label\":\"vélos\",\"notes\":[2,3]}]}");
	model_put_board(m, o);
	json_decref(o);
	b = model_board(m, 1);
	assert_int_equal(b->ngroups, 1);
	assert_int_equal(model_note_group(b, 3), 0);
	assert_int_equal(model_note_group(b, 4), -1);
	/* cluster.applied: exactly these groups */
	assert_int_equal(ev(m, "{\"ev\":\"cluster.applied\",\"seq\":4,"
	    "\"session\":\"K7MXPA\",\"board\":1,\"clusters\":[{\"id\":80,"
	    "\"label\":\"vélos\",\"notes\":[2,3]},{\"id\":81,\"label\":"
	    "\"arbres\",\"notes\":[4]}]}"), MODEL_APPLIED);
	assert_int_equal(b->ngroups, 2);
	assert_null(model_group(b, 70));
	assert_string_equal(model_group(b, 81)->label, "arbres");
	/* renamed */
	ev(m, "{\"ev\":\"cluster.renamed\",\"seq\":5,\"session\":\"K7MXPA\","
	    "\"board\":1,\"cluster\":80,\"label\":\"Mobilité\"}");
	assert_string_equal(b->groups[0].label, "Mobilité");
	/* moved into a group, then out of every group (0) */
	ev(m, "{\"ev\":\"cluster.moved\",\"seq\":6,\"session\":\"K7MXPA\","
	    "\"board\":1,\"note\":2,\"cluster\":81}");
	group_ids(b, 0, ids, sizeof ids);
	assert_string_equal(ids, "3");
	group_ids(b, 1, ids, sizeof ids);
	assert_string_equal(ids, "4 2");
	ev(m, "{\"ev\":\"cluster.moved\",\"seq\":7,\"session\":\"K7MXPA\","
	    "\"board\":1,\"note\":5,\"cluster\":0}");
	assert_int_equal(model_note_group(b, 5), -1);
	ev(m, "{\"ev\":\"cluster.moved\",\"seq\":8,\"session\":\"K7MXPA\","
	    "\"board\":1,\"note\":4,\"cluster\":0}");
	assert_int_equal(model_note_group(b, 4), -1);
	/* merged: from's notes join into, from is gone */
	ev(m, "{\"ev\":\"cluster.merged\",\"seq\":9,\"session\":\"K7MXPA\","
	    "\"board\":1,\"from\":81,\"into\":80}");
	assert_int_equal(b->ngroups, 1);
	group_ids(b, 0, ids, sizeof ids);
	assert_string_equal(ids, "3 2");
	/* split: the listed notes leave for a new group, added last */
	ev(m, "{\"ev\":\"cluster.split\",\"seq\":10,\"session\":\"K7MXPA\","
	    "\"board\":1,\"cluster\":80,\"new\":{\"id\":90,\"label\":"
	    "\"Nature\",\"notes\":[2]}}");
	assert_int_equal(b->ngroups, 2);
	assert_string_equal(b->groups[1].label, "Nature");
	assert_int_equal(model_note_group(b, 2), 1);
	group_ids(b, 0, ids, sizeof ids);
	assert_string_equal(ids, "3");
	/* a deleted note leaves its group */
	ev(m, "{\"ev\":\"note.deleted\",\"seq\":11,\"session\":\"K7MXPA\","
	    "\"board\":1,\"note\":3}");
	assert_int_equal(b->groups[0].nnotes, 0);
	/* an empty apply removes the grouping */
	ev(m, "{\"ev\":\"cluster.applied\",\"seq\":12,\"session\":\"K7MXPA\","
	    "\"board\":1,\"clusters\":[]}");
	assert_int_equal(b->ngroups, 0);
	model_free(m);
}

static void
test_timer_and_texts(void **state)
{
	struct model *m = model_new();
	struct tui_timer *t;
	json_t *s = J("{\"code\":\"K7MXPA\",\"title\":\"T\",\"seq\":1,"
	    "\"description\":\"Pourquoi\",\"retrospective\":null,"
	    "\"timer\":{\"state\":\"paused\",\"ends\":null,\"left\":65000,"
	    "\"seconds\":300,\"label\":\"Écrire\"},\"boards\":[]}");

	(void)state;
	model_open(m, s);
	json_decref(s);
	t = &m->open->timer;
	assert_int_equal(t->state, TIMER_PAUSED);
	assert_int_equal(model_timer_left(t, 999999), 65000);
	assert_string_equal(t->label, "Écrire");
	assert_string_equal(m->open->description, "Pourquoi");
	assert_null(m->open->retrospective);

	ev(m, "{\"ev\":\"timer.started\",\"seq\":2,\"session\":\"K7MXPA\","
	    "\"time\":1000,\"seconds\":60,\"ends\":61000}");
	assert_int_equal(t->state, TIMER_RUNNING);
	assert_null(t->label);
	assert_int_equal(t->seconds, 60);
	assert_int_equal(model_timer_left(t, 1000), 60000);
	assert_int_equal(model_timer_left(t, 70000), 0);	/* never < 0 */
	ev(m, "{\"ev\":\"timer.paused\",\"seq\":3,\"session\":\"K7MXPA\","
	    "\"time\":11000,\"left\":50000}");
	assert_int_equal(t->state, TIMER_PAUSED);
	assert_int_equal(model_timer_left(t, 500000), 50000);
	ev(m, "{\"ev\":\"timer.resumed\",\"seq\":4,\"session\":\"K7MXPA\","
	    "\"time\":20000,\"ends\":70000}");
	assert_int_equal(model_timer_left(t, 20000), 50000);
	ev(m, "{\"ev\":\"timer.stopped\",\"seq\":5,\"session\":\"K7MXPA\"}");
	assert_int_equal(t->state, TIMER_NONE);
	assert_int_equal(model_timer_left(t, 0), 0);

	/* session.updated: fields present change, "" or null clears */
	ev(m, "{\"ev\":\"session.updated\",\"seq\":6,\"session\":\"K7MXPA\","
	    "\"retrospective\":\"Bien\"}");
	assert_string_equal(m->open->retrospective, "Bien");
	assert_string_equal(m->open->description, "Pourquoi");
	ev(m, "{\"ev\":\"session.updated\",\"seq\":7,\"session\":\"K7MXPA\","
	    "\"description\":\"\"}");
	assert_null(m->open->description);
	assert_string_equal(m->open->title, "T");
	model_free(m);
}

static void
test_portfolios(void **state)
{
	struct model *m = model_new();
	struct tui_portfolio *p;
	json_t *v;

	(void)state;
	assert_false(m->portfolios_loaded);
	/* portfolio.list: newest first, sessions as codes; junk skipped */
	v = J("[{\"id\":7,\"title\":\"Mobilité 2026\",\"description\":"
	    "\"Projet\\nsuite\",\"created\":20,\"sessions\":[\"K7MXPA\","
	    "\"ABCDEF\"]},{\"title\":\"no id\"},3,{\"id\":4,\"title\":"
	    "\"Déchets\",\"description\":null,\"created\":10,"
	    "\"sessions\":[]}]");
	model_set_portfolios(m, v);
	json_decref(v);
	assert_true(m->portfolios_loaded);
	assert_int_equal(m->nportfolios, 2);
	assert_int_equal(m->portfolios[0].id, 7);
	assert_string_equal(m->portfolios[0].description, "Projet\nsuite");
	assert_int_equal(m->portfolios[0].nsessions, 2);
	assert_string_equal(m->portfolios[0].sessions[1].code, "ABCDEF");
	assert_string_equal(m->portfolios[0].sessions[1].title, "");
	assert_null(m->portfolios[1].description);
	assert_int_equal(m->portfolios[1].created, 10);
	assert_true(model_portfolio_has(&m->portfolios[0], "K7MXPA"));
	assert_false(model_portfolio_has(&m->portfolios[1], "K7MXPA"));
	assert_false(model_portfolio_has(NULL, "K7MXPA"));
	assert_int_equal(model_portfolio_index(m, 4), 1);
	assert_int_equal(model_portfolio_index(m, 99), -1);
	assert_null(model_portfolio(m, 99));

	/* a new one (portfolio.create reply) goes first */
	v = J("{\"id\":9,\"title\":\"Nouveau\",\"description\":\"\","
	    "\"created\":30,\"sessions\":[]}");
	model_put_portfolio(m, v);
	json_decref(v);
	assert_int_equal(m->nportfolios, 3);
	assert_int_equal(m->portfolios[0].id, 9);
	assert_null(m->portfolios[0].description);	/* "" is none */
	assert_int_equal(m->portfolios[1].id, 7);

	/* portfolio.get: shown whole, sessions as objects, list follows */
	v = J("{\"id\":4,\"title\":\"Déchets\",\"created\":10,"
	    "\"sessions\":[{\"code\":\"K7MXPA\",\"title\":\"Atelier\","
	    "\"created\":1,\"closed\":5,\"archived\":6},{\"code\":"
	    "\"ZZZZZZ\",\"title\":\"Autre\",\"closed\":null}]}");
	model_open_portfolio(m, v);
	json_decref(v);
	p = m->portfolio;
	assert_non_null(p);
	assert_int_equal(p->id, 4);
	assert_int_equal(p->nsessions, 2);
	assert_string_equal(p->sessions[0].title, "Atelier");
	assert_int_equal(p->sessions[0].archived, 6);
	assert_int_equal(p->sessions[1].closed, 0);
	assert_int_equal(model_portfolio(m, 4)->nsessions, 2);
	assert_int_equal(m->nportfolios, 3);

	/* a reply about another portfolio leaves the one shown alone */
	v = J("{\"id\":7,\"title\":\"Mobilité 2027\",\"sessions\":"
	    "[]}");
	model_put_portfolio(m, v);
	json_decref(v);
	assert_string_equal(model_portfolio(m, 7)->title, "Mobilité 2027");
	assert_int_equal(model_portfolio(m, 7)->nsessions, 0);
	assert_int_equal(m->portfolio->id, 4);
	assert_int_equal(m->portfolio->nsessions, 2);
	/* about the one shown (portfolio.remove reply): both change */
	v = J("{\"id\":4,\"title\":\"Déchets\",\"description\":\"Lab\","
	    "\"sessions\":[{\"code\":\"ZZZZZZ\",\"title\":\"Autre\"}]}");
	model_put_portfolio(m, v);
	json_decref(v);
	assert_int_equal(m->portfolio->nsessions, 1);
	assert_string_equal(m->portfolio->sessions[0].code, "ZZZZZZ");
	assert_string_equal(m->portfolio->description, "Lab");
	assert_int_equal(model_portfolio(m, 4)->nsessions, 1);
	assert_int_equal(m->nportfolios, 3);

	/* without an id: ignored */
	v = J("{\"title\":\"x\"}");
	model_put_portfolio(m, v);
	model_open_portfolio(m, v);
	json_decref(v);
	assert_int_equal(m->nportfolios, 3);
	assert_int_equal(m->portfolio->id, 4);

	/* a new list replaces everything; the one shown stays */
	v = J("[]");
	model_set_portfolios(m, v);
	json_decref(v);
	assert_int_equal(m->nportfolios, 0);
	assert_non_null(m->portfolio);
	model_close_portfolio(m);
	assert_null(m->portfolio);
	model_free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_snapshot),
		cmocka_unit_test(test_seq_order),
		cmocka_unit_test(test_notes),
		cmocka_unit_test(test_boards_and_participants),
		cmocka_unit_test(test_cloud),
		cmocka_unit_test(test_banned_snapshot),
		cmocka_unit_test(test_colors),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_clusters),
		cmocka_unit_test(test_timer_and_texts),
		cmocka_unit_test(test_portfolios),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
