/*
 * admin.c - the commands that work on a database file without serving:
 *   atelierd export --db PATH (--session CODE | --portfolio ID)
 *                   --format html|md|csv|json [-o FILE]
 *   atelierd import --db PATH FILE
 * and the lock that keeps two servers (or a server and an import) off one
 * database.
 */
#include "server.h"
#include "store.h"
#include "../common/export.h"
#include "../common/jtext.h"
#include "../common/util.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

int
db_lock(const char *db_path)
{
	char path[4096];
	int fd;

	snprintf(path, sizeof path, "%s.lock", db_path);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		close(fd);
		return -2;
	}
	return fd;
}

static void
no_random(void *buf, size_t n)
{
	(void)buf;
	(void)n;
	fprintf(stderr, "atelierd: internal error: randomness in export\n");
	abort();
}

/* Open the store and replay it into a core; NULL on error (printed). */
static struct core *
load(const char *db, struct store **st, struct server_config *cfg,
    core_random_fn rnd)
{
	struct core *core;
	char *err = NULL;

	if (access(db, F_OK) != 0) {
		fprintf(stderr, "atelierd: no database %s\n", db);
		return NULL;
	}
	if ((*st = store_open(db, &err)) == NULL) {
		fprintf(stderr, "atelierd: cannot open database %s\n", err);
		free(err);
		return NULL;
	}
	core = core_new(cfg->public_url, rnd);
	dispatch_init(NULL, cfg, core, *st);
	if (store_replay(*st, dispatch_replay_event, NULL) != 0) {
		fprintf(stderr, "atelierd: cannot load %s: %s\n", db,
		    store_error(*st));
		core_free(core);
		store_close(*st);
		return NULL;
	}
	return core;
}

/* Render the export of codes (or of a portfolio) in format; NULL + msg. */
char *
admin_render(struct core *core, const char *const *codes, size_t n,
    int64_t portfolio, const char *format, const char **mime)
{
	char *(*fn)(json_t *);
	json_t *events, *doc;
	char *out;

	if (export_format(format, &fn, mime) < 0)
		return NULL;
	events = dispatch_session_events(codes, n);
	doc = core_export(core, codes, n, events, portfolio);
	json_decref(events);
	if (doc == NULL)
		return NULL;
	out = fn(doc);
	json_decref(doc);
	return out;
}

int
admin_export(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "session", required_argument, NULL, 's' },
		{ "portfolio", required_argument, NULL, 'p' },
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 }
	};
	struct server_config cfg = { 0 };
	const char *db = "atelier.db", *session = NULL, *format = "html";
	const char *output = NULL, *mime, **codes = NULL, *one[1];
	char norm[CORE_CODE_LEN + 1], *text, *(*render)(json_t *);
	int64_t portfolio = 0;
	struct store *st;
	struct core *core;
	size_t n = 0;
	int ch, rc = 1;
	FILE *f;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "d:s:p:f:o:", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'd': db = optarg; break;
		case 's': session = optarg; break;
		case 'p': portfolio = atoll(optarg); break;
		case 'f': format = optarg; break;
		case 'o': output = optarg; break;
		default:
			goto usage;
		}
	}
	if ((session == NULL) == (portfolio == 0) || optind != argc)
		goto usage;
	if (export_format(format, &render, &mime) < 0) {
		fprintf(stderr, "atelierd: unknown format %s (html, md, csv, "
		    "json)\n", format);
		return 2;
	}
	cfg.public_url = "";
	if ((core = load(db, &st, &cfg, no_random)) == NULL)
		return 1;
	if (session != NULL) {
		if (core_check_code(core, session, norm) < 0 ||
		    !core_session_exists(core, norm)) {
			fprintf(stderr, "atelierd: no session %s in %s\n",
			    session, db);
			goto out;
		}
		one[0] = norm;
		codes = one;
		n = 1;
	} else if ((n = core_portfolio_sessions(core, portfolio, &codes)) ==
	    (size_t)-1) {
		fprintf(stderr, "atelierd: no portfolio %lld in %s\n",
		    (long long)portfolio, db);
		goto out;
	}
	text = admin_render(core, codes, n, portfolio, format, &mime);
	if (text == NULL) {
		fprintf(stderr, "atelierd: cannot export\n");
		goto out;
	}
	f = output ? fopen(output, "w") : stdout;
	if (f == NULL || fputs(text, f) < 0 || (output && fclose(f) != 0)) {
		fprintf(stderr, "atelierd: cannot write %s: %s\n",
		    output ? output : "standard output", strerror(errno));
		free(text);
		goto out;
	}
	if (output)
		fprintf(stderr, "atelierd: wrote %s\n", output);
	free(text);
	rc = 0;
out:
	if (codes != one)
		free(codes);
	dispatch_free();
	core_free(core);
	store_close(st);
	return rc;
usage:
	fprintf(stderr, "usage: atelierd export --db PATH (--session CODE | "
	    "--portfolio ID) --format html|md|csv|json [-o FILE]\n");
	return 2;
}

static void
import_random(void *buf, size_t n)
{
	unsigned char *p = buf;
	FILE *f = fopen("/dev/urandom", "r");

	if (f == NULL || fread(p, 1, n, f) != n) {
		perror("atelierd: /dev/urandom");
		abort();
	}
	fclose(f);
}

int
admin_import(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 }
	};
	struct server_config cfg = { 0 };
	const char *db = "atelier.db";
	json_t *doc, *report;
	json_error_t jerr;
	struct store *st;
	struct core *core;
	char *text;
	int ch, lock, rc = 1;
	FILE *f;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "d:", longopts, NULL)) != -1) {
		if (ch != 'd')
			goto usage;
		db = optarg;
	}
	if (optind != argc - 1)
		goto usage;
	if ((doc = json_load_file(argv[optind], 0, &jerr)) == NULL) {
		fprintf(stderr, "atelierd: %s: %s (line %d)\n", argv[optind],
		    jerr.text, jerr.line);
		return 1;
	}
	if ((lock = db_lock(db)) == -2) {
		fprintf(stderr, "atelierd: %s is in use by a running atelierd: "
		    "stop it first\n", db);
		json_decref(doc);
		return 1;
	}
	if ((f = fopen(db, "a")) != NULL)	/* create an empty database */
		fclose(f);
	cfg.public_url = "";
	if ((core = load(db, &st, &cfg, import_random)) == NULL) {
		json_decref(doc);
		return 1;
	}
	report = json_object();
	core_set_time(core, now_ms());
	if (core_import(core, doc, report) < 0) {
		fprintf(stderr, "atelierd: %s: %s\n", argv[optind],
		    core_errmsg(core));
		goto out;
	}
	if (dispatch_commit_now() < 0) {
		fprintf(stderr, "atelierd: cannot write %s: %s\n", db,
		    store_error(st));
		goto out;
	}
	text = jtext_compact(report);
	printf("%s\n", text);
	free(text);
	rc = 0;
out:
	json_decref(report);
	json_decref(doc);
	dispatch_free();
	core_free(core);
	store_close(st);
	if (lock >= 0)
		close(lock);
	return rc;
usage:
	fprintf(stderr, "usage: atelierd import --db PATH FILE\n");
	return 2;
}
