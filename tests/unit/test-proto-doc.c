/*
 * test-proto-doc.c - run as test-proto-doc SOURCE-DIR: every name in proto/protocol.def is documented in
 * proto/PROTOCOL.md (as a "### name" heading for requests and events, as a
 * "| `code` |" table row for errors), and every heading is in the table.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *ops[] = {
#define OP(name, ident, who) name,
#include "proto/protocol.def"
#undef OP
};
static const char *evs[] = {
#define EV(name, ident) name,
#include "proto/protocol.def"
#undef EV
};
static const char *frames[] = {
#define FRAME(name) name,
#include "proto/protocol.def"
#undef FRAME
};
static const char *errs[] = {
#define ERR(code, ident) code,
#include "proto/protocol.def"
#undef ERR
};

static char *doc;

/* Whether a "### a, b, c" heading line of the document lists name. */
static int
doc_has_heading(const char *name)
{
	size_t n = strlen(name);
	const char *p, *q, *end;

	for (p = strstr(doc, "\n### "); p != NULL; p = strstr(p + 1, "\n### ")) {
		end = strchr(p + 1, '\n');
		if (end == NULL)
			end = p + strlen(p);
		for (q = p + 5; q < end;) {
			const char *comma = memchr(q, ',', (size_t)(end - q));
			const char *stop = comma ? comma : end;

			if ((size_t)(stop - q) == n && memcmp(q, name, n) == 0)
				return 1;
			q = comma ? comma + 2 : end;
		}
	}
	return 0;
}

static int
in_table(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof ops / sizeof ops[0]; i++)
		if (strcmp(ops[i], name) == 0)
			return 1;
	for (i = 0; i < sizeof evs / sizeof evs[0]; i++)
		if (strcmp(evs[i], name) == 0)
			return 1;
	for (i = 0; i < sizeof frames / sizeof frames[0]; i++)
		if (strcmp(frames[i], name) == 0)
			return 1;
	return 0;
}

static void
test_every_name_documented(void **state)
{
	char want[128];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof ops / sizeof ops[0]; i++) {
		if (!doc_has_heading(ops[i]))
			fail_msg("request %s is not documented", ops[i]);
	}
	for (i = 0; i < sizeof evs / sizeof evs[0]; i++) {
		if (!doc_has_heading(evs[i]))
			fail_msg("event %s is not documented", evs[i]);
	}
	for (i = 0; i < sizeof frames / sizeof frames[0]; i++) {
		if (!doc_has_heading(frames[i]))
			fail_msg("frame %s is not documented", frames[i]);
	}
	for (i = 0; i < sizeof errs / sizeof errs[0]; i++) {
		snprintf(want, sizeof want, "| `%s` |", errs[i]);
		if (strstr(doc, want) == NULL)
			fail_msg("error %s is not documented", errs[i]);
	}
}

static void
test_every_heading_in_table(void **state)
{
	char *copy = strdup(doc), *line, *save = NULL, *name, *s2 = NULL;
	int in_section = 0;

	(void)state;
	for (line = strtok_r(copy, "\n", &save); line;
	    line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "## ", 3) == 0)
			in_section = strcmp(line, "## Requests") == 0 ||
			    strcmp(line, "## Events") == 0;
		if (!in_section || strncmp(line, "### ", 4) != 0)
			continue;
		for (name = strtok_r(line + 4, ", ", &s2); name;
		    name = strtok_r(NULL, ", ", &s2))
			if (!in_table(name))
				fail_msg("%s is documented but not in "
				    "protocol.def", name);
	}
	free(copy);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_name_documented),
		cmocka_unit_test(test_every_heading_in_table),
	};
	char path[4096];
	FILE *f;
	long n;

	snprintf(path, sizeof path, "%s/proto/PROTOCOL.md",
	    argc > 1 ? argv[1] : ".");
	if ((f = fopen(path, "r")) == NULL) {
		fprintf(stderr, "usage: test-proto-doc SOURCE-DIR (cannot open "
		    "%s)\n", path);
		return 1;
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	doc = calloc(1, (size_t)n + 2);
	doc[0] = '\n';
	if (fread(doc + 1, 1, (size_t)n, f) != (size_t)n)
		return 1;
	fclose(f);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
