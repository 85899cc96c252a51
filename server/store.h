/*
 * store.h - the durable, append-only event log behind one small interface.
 *
 * Events are appended inside a batch (one transaction) and become durable
 * at store_commit(); the server answers nobody before that.  The SQLite
 * backend (store-sqlite.c) is the embedded default.
 */
#ifndef ATELIER_STORE_H
#define ATELIER_STORE_H

#include <stdint.h>

struct store;

/* Open (creating if needed) the store at path; NULL and *err on failure. */
struct store *store_open(const char *path, char **err);
void store_close(struct store *st);

/*
 * full (the default): a commit is on disk before store_commit returns;
 * otherwise (SQLite's NORMAL in WAL mode) it is in the OS, which a crash
 * of the process cannot lose but a power cut can.  0 or -1.
 */
int store_set_synchronous(struct store *st, int full);

/* Append one event to the open batch, opening one if needed.  0 or -1. */
int store_append(struct store *st, const char *session, int64_t seq,
    int64_t time, const char *name, const char *body);

/* Make the batch durable.  0, or -1 (the batch is rolled back). */
int store_commit(struct store *st);

/* Whether a batch is open (events appended but not committed). */
int store_pending(const struct store *st);

/* Call fn for every stored event in append order; stops at fn's non-zero. */
int store_replay(struct store *st,
    int (*fn)(void *arg, const char *body, int64_t len), void *arg);

/* Like store_replay, for the events of one session in seq order. */
int store_replay_session(struct store *st, const char *session,
    int (*fn)(void *arg, const char *body, int64_t len), void *arg);

/*
 * In the open batch: delete the participants' names from every stored event
 * of a session (retention).  0 or -1.
 */
int store_redact_names(struct store *st, const char *session);

/* The last error message. */
const char *store_error(const struct store *st);

#endif
