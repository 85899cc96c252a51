/*
 * bench-export - time to export a portfolio of 20 sessions of 200 notes
 * each (with votes and the whole event log) in every format, through the
 * same core and renderers as atelierd.  Baseline in the same run: building
 * the document and serialising it with jansson alone.
 *
 *   build/bench/bench-export [SESSIONS] [NOTES] [RUNS]
 */
#include "common/core.h"
#include "common/export.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static unsigned seed = 42;

static void
rnd(void *buf, size_t n)
{
	unsigned char *p = buf;

	while (n--) {
		seed = seed * 1103515245u + 12345u;
		*p++ = (unsigned char)(seed >> 16);
	}
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int
cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int
main(int argc, char **argv)
{
	int nsess = argc > 1 ? atoi(argv[1]) : 20;
	int nnotes = argc > 2 ? atoi(argv[2]) : 200;
	int runs = argc > 3 ? atoi(argv[3]) : 5;
	struct core *c = core_new("http://192.0.2.1:8080", rnd);
	struct actor fac = { ROLE_FACILITATOR, 0 };
	json_t *events = json_object(), *reply, *ev, *pf;
	const char **codes = calloc((size_t)nsess, sizeof *codes);
	const char *formats[] = { "json", "html", "md", "csv" };
	double t[4][64], base[64];
	int64_t portfolio;
	size_t i, k, bytes[4] = { 0 };
	int s, n, r;

	core_set_time(c, 1790000000000);
	reply = json_object();
	core_portfolio_create(c, &fac, NULL, json_pack("{s:s}", "title",
	    "Déchets dans la nature, 2026"), reply);
	portfolio = json_integer_value(json_object_get(json_object_get(reply,
	    "portfolio"), "id"));
	json_decref(reply);
	for (s = 0; s < nsess; s++) {
		char title[64];
		int64_t board, pids[10];
		json_t *req;

		snprintf(title, sizeof title, "Atelier %d", s + 1);
		reply = json_object();
		core_session_create(c, &fac, NULL, req = json_pack("{s:s}",
		    "title", title), reply);
		json_decref(req);
		codes[s] = strdup(json_string_value(json_object_get(
		    json_object_get(reply, "session"), "code")));
		json_decref(reply);
		reply = json_object();
		core_board_create(c, &fac, NULL, req = json_pack("{s:s, s:s, "
		    "s:s}", "session", codes[s], "kind", "wall", "title",
		    "Idées"), reply);
		json_decref(req);
		board = json_integer_value(json_object_get(json_object_get(
		    reply, "board"), "id"));
		json_decref(reply);
		for (i = 0; i < 10; i++)
			core_participant_join(c, codes[s], NULL, &pids[i]);
		for (n = 0; n < nnotes; n++) {
			struct actor a = { ROLE_PARTICIPANT, pids[n % 10] };
			char text[128];
			int64_t note;

			snprintf(text, sizeof text, "Idée numéro %d : plus de "
			    "composteurs et de poubelles de tri <%d>", n, s);
			reply = json_object();
			core_note_add(c, &a, codes[s], req = json_pack("{s:I, "
			    "s:s}", "board", (json_int_t)board, "text", text),
			    reply);
			json_decref(req);
			note = json_integer_value(json_object_get(
			    json_object_get(reply, "note"), "id"));
			json_decref(reply);
			if (n % 4 == 0) {
				reply = json_object();
				core_note_vote(c, &a, codes[s], req = json_pack(
				    "{s:I, s:I}", "board", (json_int_t)board,
				    "note", (json_int_t)note), reply);
				json_decref(req);
				json_decref(reply);
			}
		}
		reply = json_object();
		core_portfolio_add(c, &fac, NULL, req = json_pack("{s:I, s:s}",
		    "portfolio", (json_int_t)portfolio, "session", codes[s]),
		    reply);
		json_decref(req);
		json_decref(reply);
	}
	/* the events, as the server keeps them, by session */
	pf = core_take_events(c);
	json_array_foreach(pf, i, ev) {
		const char *code = json_string_value(json_object_get(ev,
		    "session"));
		json_t *list = json_object_get(events, code);

		if (list == NULL)
			json_object_set_new(events, code, list = json_array());
		json_array_append_new(list, core_event_view(c, ev,
		    ROLE_FACILITATOR));
	}
	json_decref(pf);

	for (r = 0; r < runs && r < 64; r++) {
		double t0 = now();
		json_t *doc = core_export(c, codes, (size_t)nsess, events,
		    portfolio);
		char *raw = json_dumps(doc, JSON_COMPACT);

		base[r] = now() - t0;
		free(raw);
		json_decref(doc);
		for (k = 0; k < 4; k++) {
			char *(*fn)(json_t *), *out;

			export_format(formats[k], &fn, NULL);
			t0 = now();
			doc = core_export(c, codes, (size_t)nsess, events,
			    portfolio);
			out = fn(doc);
			t[k][r] = now() - t0;
			bytes[k] = strlen(out);
			free(out);
			json_decref(doc);
		}
	}
	qsort(base, (size_t)r, sizeof *base, cmp);
	printf("portfolio: %d sessions x %d notes (votes on 1 in 4), %d runs, "
	    "median\n\n", nsess, nnotes, r);
	printf("| format | time (ms) | size (KiB) |\n|---|---:|---:|\n");
	printf("| baseline: document + jansson compact dump | %.1f | |\n",
	    base[r / 2]);
	for (k = 0; k < 4; k++) {
		qsort(t[k], (size_t)r, sizeof **t, cmp);
		printf("| %s | %.1f | %zu |\n", formats[k], t[k][r / 2],
		    bytes[k] / 1024);
	}
	json_decref(events);
	for (s = 0; s < nsess; s++)
		free((char *)codes[s]);
	free(codes);
	core_free(c);
	return 0;
}
