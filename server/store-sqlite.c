/*
 * store-sqlite.c - the event log in SQLite (WAL mode, synchronous FULL
 * unless told otherwise).
 * The only file that includes sqlite3.h.
 *
 * Table events: one row per event, primary key (session, seq), so a seq can
 * never be stored twice; rowid gives the global append order for replay.
 *
 * Checkpoints (copying the WAL into the database file, with an fsync) run
 * on a thread of their own with its own connection, never inside a commit
 * of the event loop: a checkpoint of a few MB on a busy disk takes hundreds
 * of milliseconds, and everyone's frames would wait for it.  The loop's
 * connection only says, through its WAL hook, that the WAL has grown.
 */
#include "store.h"
#include "../common/util.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECKPOINT_PAGES 1000	/* WAL pages that call for a checkpoint */

/* The checkpoint thread and what it shares with the loop's thread. */
struct checkpointer {
	pthread_t thread;
	sqlite3 *db;		/* its own connection */
	pthread_mutex_t lock;
	pthread_cond_t wake;
	int due;		/* the WAL has grown: checkpoint now */
	int stop;
	int running;
};

struct store {
	sqlite3 *db;
	sqlite3_stmt *insert;
	sqlite3_stmt *begin, *commit;	/* prepared once: a batch per turn */
	int in_batch;
	struct checkpointer ck;
	char err[512];
};

static const char schema[] =
	"PRAGMA journal_mode=WAL;"
	"PRAGMA synchronous=FULL;"
	"CREATE TABLE IF NOT EXISTS events ("
	"  id INTEGER PRIMARY KEY,"
	"  session TEXT NOT NULL,"
	"  seq INTEGER NOT NULL,"
	"  time INTEGER NOT NULL,"
	"  name TEXT NOT NULL,"
	"  body TEXT NOT NULL,"
	"  UNIQUE (session, seq));"
	"CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);"
	"INSERT OR IGNORE INTO meta VALUES ('schema', '1');";

static void *
checkpoint_main(void *arg)
{
	struct checkpointer *ck = arg;
	int log, done;

	pthread_mutex_lock(&ck->lock);
	while (!ck->stop) {
		if (!ck->due)
			pthread_cond_wait(&ck->wake, &ck->lock);
		if (ck->stop)
			break;
		ck->due = 0;
		pthread_mutex_unlock(&ck->lock);
		/* PASSIVE: copies what it can without blocking the writer */
		if (sqlite3_wal_checkpoint_v2(ck->db, NULL,
		    SQLITE_CHECKPOINT_PASSIVE, &log, &done) != SQLITE_OK)
			fprintf(stderr, "atelierd: checkpoint: %s (retried "
			    "later)\n", sqlite3_errmsg(ck->db));
		pthread_mutex_lock(&ck->lock);
	}
	pthread_mutex_unlock(&ck->lock);
	return NULL;
}

/* WAL hook of the loop's connection, after each commit. */
static int
wal_grown(void *arg, sqlite3 *db, const char *name, int pages)
{
	struct checkpointer *ck = arg;

	(void)db;
	(void)name;
	if (pages >= CHECKPOINT_PAGES) {
		pthread_mutex_lock(&ck->lock);
		ck->due = 1;
		pthread_cond_signal(&ck->wake);
		pthread_mutex_unlock(&ck->lock);
	}
	return SQLITE_OK;
}

/* Open the second connection and start the thread; 0 or -1. */
static int
checkpointer_start(struct store *st, const char *path)
{
	struct checkpointer *ck = &st->ck;

	if (sqlite3_open_v2(path, &ck->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		snprintf(st->err, sizeof st->err, "%s: checkpoint connection: "
		    "%s", path, sqlite3_errmsg(ck->db));
		sqlite3_close(ck->db);
		ck->db = NULL;
		return -1;
	}
	sqlite3_busy_timeout(ck->db, 5000);
	/* a connection that has read nothing does not know the WAL yet */
	if (sqlite3_exec(ck->db, "PRAGMA journal_mode=WAL", NULL, NULL,
	    NULL) != SQLITE_OK) {
		snprintf(st->err, sizeof st->err, "%s: checkpoint connection: "
		    "%s", path, sqlite3_errmsg(ck->db));
		return -1;
	}
	pthread_mutex_init(&ck->lock, NULL);
	pthread_cond_init(&ck->wake, NULL);
	if (pthread_create(&ck->thread, NULL, checkpoint_main, ck) != 0) {
		snprintf(st->err, sizeof st->err, "cannot start the "
		    "checkpoint thread");
		return -1;
	}
	ck->running = 1;
	/* no checkpoint inside the loop's commits any more */
	sqlite3_wal_hook(st->db, wal_grown, ck);
	return 0;
}

static void
checkpointer_stop(struct store *st)
{
	struct checkpointer *ck = &st->ck;

	if (ck->running) {
		pthread_mutex_lock(&ck->lock);
		ck->stop = 1;
		pthread_cond_signal(&ck->wake);
		pthread_mutex_unlock(&ck->lock);
		pthread_join(ck->thread, NULL);
		pthread_mutex_destroy(&ck->lock);
		pthread_cond_destroy(&ck->wake);
		ck->running = 0;
	}
	sqlite3_close(ck->db);
	ck->db = NULL;
}

static void
set_err(struct store *st, const char *what)
{
	snprintf(st->err, sizeof st->err, "%s: %s", what,
	    st->db ? sqlite3_errmsg(st->db) : "no database");
}

struct store *
store_open(const char *path, char **err)
{
	struct store *st = xcalloc(1, sizeof *st);
	char *msg = NULL;

	if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		set_err(st, path);
		goto fail;
	}
	sqlite3_busy_timeout(st->db, 5000);
	if (sqlite3_exec(st->db, schema, NULL, NULL, &msg) != SQLITE_OK) {
		snprintf(st->err, sizeof st->err, "%s: %s", path, msg);
		sqlite3_free(msg);
		goto fail;
	}
	if (sqlite3_prepare_v2(st->db, "INSERT INTO events (session, seq, "
	    "time, name, body) VALUES (?, ?, ?, ?, ?)", -1, &st->insert,
	    NULL) != SQLITE_OK || sqlite3_prepare_v2(st->db, "BEGIN IMMEDIATE",
	    -1, &st->begin, NULL) != SQLITE_OK || sqlite3_prepare_v2(st->db,
	    "COMMIT", -1, &st->commit, NULL) != SQLITE_OK) {
		set_err(st, "prepare");
		goto fail;
	}
	if (checkpointer_start(st, path) < 0)
		goto fail;
	return st;
fail:
	*err = xstrdup(st->err);
	store_close(st);
	return NULL;
}

int
store_set_synchronous(struct store *st, int full)
{
	if (sqlite3_exec(st->db, full ? "PRAGMA synchronous=FULL" :
	    "PRAGMA synchronous=NORMAL", NULL, NULL, NULL) != SQLITE_OK) {
		set_err(st, "synchronous");
		return -1;
	}
	return 0;
}

void
store_close(struct store *st)
{
	if (st == NULL)
		return;
	if (st->in_batch)
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	checkpointer_stop(st);
	sqlite3_finalize(st->insert);
	sqlite3_finalize(st->begin);
	sqlite3_finalize(st->commit);
	sqlite3_close(st->db);	/* the last connection checkpoints the WAL */
	free(st);
}

int
store_append(struct store *st, const char *session, int64_t seq,
    int64_t time, const char *name, const char *body)
{
	int rc;

	if (!st->in_batch) {
		rc = sqlite3_step(st->begin);
		if (rc != SQLITE_DONE)
			set_err(st, "begin");
		sqlite3_reset(st->begin);
		if (rc != SQLITE_DONE)
			return -1;
		st->in_batch = 1;
	}
	sqlite3_bind_text(st->insert, 1, session, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st->insert, 2, seq);
	sqlite3_bind_int64(st->insert, 3, time);
	sqlite3_bind_text(st->insert, 4, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st->insert, 5, body, -1, SQLITE_STATIC);
	rc = sqlite3_step(st->insert);
	sqlite3_reset(st->insert);
	sqlite3_clear_bindings(st->insert);
	if (rc != SQLITE_DONE) {
		set_err(st, "insert");
		return -1;
	}
	return 0;
}

int
store_commit(struct store *st)
{
	int rc;

	if (!st->in_batch)
		return 0;
	st->in_batch = 0;
	rc = sqlite3_step(st->commit);
	if (rc != SQLITE_DONE)
		set_err(st, "commit");	/* before the reset clears it */
	sqlite3_reset(st->commit);
	if (rc != SQLITE_DONE) {
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	return 0;
}

int
store_pending(const struct store *st)
{
	return st->in_batch;
}

static int
replay_query(struct store *st, const char *sql, const char *session,
    int (*fn)(void *arg, const char *body, int64_t len), void *arg)
{
	sqlite3_stmt *q;
	int rc, frc = 0;

	if (sqlite3_prepare_v2(st->db, sql, -1, &q, NULL) != SQLITE_OK) {
		set_err(st, "replay");
		return -1;
	}
	if (session != NULL)
		sqlite3_bind_text(q, 1, session, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW)
		if ((frc = fn(arg, (const char *)sqlite3_column_text(q, 0),
		    sqlite3_column_bytes(q, 0))) != 0)
			break;
	if (frc == 0 && rc != SQLITE_DONE) {
		set_err(st, "replay");
		frc = -1;
	}
	sqlite3_finalize(q);
	return frc;
}

int
store_replay(struct store *st,
    int (*fn)(void *arg, const char *body, int64_t len), void *arg)
{
	return replay_query(st, "SELECT body FROM events ORDER BY id", NULL,
	    fn, arg);
}

int
store_replay_session(struct store *st, const char *session,
    int (*fn)(void *arg, const char *body, int64_t len), void *arg)
{
	return replay_query(st, "SELECT body FROM events WHERE session = ? "
	    "ORDER BY seq", session, fn, arg);
}

int
store_redact_names(struct store *st, const char *session)
{
	static const char *const sql[] = {
		"UPDATE events SET body = json_set(body, '$.participant.name', "
		"json('null')) WHERE session = ? AND name = 'participant.joined'",
		"UPDATE events SET body = json_set(body, '$.note.author_name', "
		"json('null')) WHERE session = ? AND name IN ('note.added', "
		"'note.updated', 'note.shown') AND json_extract(body, "
		"'$.note.author') != 0",
	};
	sqlite3_stmt *q;
	size_t i;
	int rc;

	for (i = 0; i < sizeof sql / sizeof sql[0]; i++) {
		if (sqlite3_prepare_v2(st->db, sql[i], -1, &q, NULL) !=
		    SQLITE_OK) {
			set_err(st, "redact");
			return -1;
		}
		sqlite3_bind_text(q, 1, session, -1, SQLITE_STATIC);
		rc = sqlite3_step(q);
		sqlite3_finalize(q);
		if (rc != SQLITE_DONE) {
			set_err(st, "redact");
			return -1;
		}
	}
	return 0;
}

const char *
store_error(const struct store *st)
{
	return st->err;
}
