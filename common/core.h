/*
 * core.h - the pure heart of Atelier: sessions, participants, boards,
 * post-its and votes, kept in memory and changed only by events.
 *
 * Every change goes through an event (a JSON object named in
 * proto/protocol.def).  A request handler checks the request, builds the
 * event, applies it with the same function that replays the log at start-up,
 * and queues it in the outbox; the server takes the outbox, stores it and
 * broadcasts it.  No I/O here: time and randomness come from the caller.
 */
#ifndef ATELIER_CORE_H
#define ATELIER_CORE_H

#include <jansson.h>
#include <stdint.h>

/* Error codes: 0 is success, handlers return -ERR_x. */
enum core_err {
	ERR_NONE = 0,
#define ERR(code, ident) ERR_##ident,
#include "../proto/protocol.def"
#undef ERR
	ERR_COUNT
};

/* The protocol string of an error code ("bad_request"), err > 0. */
const char *core_err_code(int err);

/* A viewer (the projector) sees what participants see and writes nothing. */
enum core_role { ROLE_NONE = 0, ROLE_PARTICIPANT, ROLE_FACILITATOR, ROLE_VIEWER };

/* Who sends a request: the facilitator (pid 0) or one participant. */
struct actor {
	enum core_role role;
	int64_t pid;
};

#define CORE_CODE_LEN 6
#define CORE_SECRET_LEN 32
#define CORE_NOTE_MAX 500
#define CORE_TITLE_MAX 200
#define CORE_NAME_MAX 60
#define CORE_LONGTEXT_MAX 4000	/* description, retrospective */
#define CORE_WORD_MAX 40		/* a word-cloud entry, characters */
#define CORE_WORD_QUOTA_DEFAULT 3
#define CORE_WORD_QUOTA_MAX 50
#define CORE_VOTE_LIMIT_DEFAULT 5
#define CORE_VOTE_LIMIT_MAX 100

struct core;

/* Fills buf with n random bytes; the server passes getrandom(). */
typedef void (*core_random_fn)(void *buf, size_t n);

struct core *core_new(const char *public_url, core_random_fn rnd);
void core_free(struct core *c);

/* Current time in ms since the epoch, used for the events that follow. */
void core_set_time(struct core *c, int64_t now_ms);

/* The message of the last error a handler returned (English). */
const char *core_errmsg(const struct core *c);

/*
 * Take the events emitted since the last call, in order: a JSON array the
 * caller owns (possibly empty).  Each event has "ev", "seq", "session",
 * "time" and may carry private fields (see core_event_view).
 */
json_t *core_take_events(struct core *c);

/*
 * Apply one stored event at start-up.  Returns 0, or -ERR_INTERNAL if the
 * event does not follow (wrong seq, unknown session or name).
 */
int core_replay(struct core *c, json_t *ev);

/*
 * The form of event ev that a connection of the given role receives: a new
 * reference.  Private fields are removed and, for participants, hidden notes
 * are reduced.  The view shares ev's nested values: read it, encode it, do
 * not change it.
 */
json_t *core_event_view(const struct core *c, json_t *ev, enum core_role role);

/* Identities. */
int core_check_code(struct core *c, const char *code, char *norm);
int core_participant_join(struct core *c, const char *code, json_t *name,
    int64_t *pid);
int core_participant_resume(struct core *c, const char *secret, int64_t *pid);
const char *core_participant_session(const struct core *c, int64_t pid);
const char *core_participant_secret(const struct core *c, int64_t pid);
json_t *core_participant_you(const struct core *c, int64_t pid);
int64_t core_session_seq(const struct core *c, const char *code);
int core_session_exists(const struct core *c, const char *code);
size_t core_session_count(const struct core *c);

/*
 * The whole session as the actor may see it: code, title, created, seq,
 * join_url, participants and boards with notes.  A new reference.
 */
json_t *core_session_snapshot(const struct core *c, const char *code,
    const struct actor *a);

/*
 * Request handlers.  Each checks req (the request object), may emit events,
 * and on success adds the reply's fields to reply and returns 0; on failure
 * returns -ERR_x and sets the message.  session_of: the session the actor
 * belongs to (participants) or NULL (facilitator, who may act on any).
 */
typedef int (*core_handler)(struct core *c, const struct actor *a,
    const char *session_of, json_t *req, json_t *reply);

int core_session_create(struct core *, const struct actor *, const char *,
    json_t *, json_t *);
int core_session_list(struct core *, const struct actor *, const char *,
    json_t *, json_t *);
int core_board_create(struct core *, const struct actor *, const char *,
    json_t *, json_t *);
int core_board_get(struct core *, const struct actor *, const char *,
    json_t *, json_t *);
int core_board_lock(struct core *, const struct actor *, const char *,
    json_t *, json_t *);
int core_board_unlock(struct core *, const struct actor *, const char *,
    json_t *, json_t *);
int core_note_add(struct core *, const struct actor *, const char *,
    json_t *, json_t *);
int core_note_update(struct core *, const struct actor *, const char *,
    json_t *, json_t *);
int core_note_delete(struct core *, const struct actor *, const char *,
    json_t *, json_t *);
int core_note_vote(struct core *, const struct actor *, const char *,
    json_t *, json_t *);
int core_note_unvote(struct core *, const struct actor *, const char *,
    json_t *, json_t *);
int core_note_hide(struct core *, const struct actor *, const char *,
    json_t *, json_t *);
int core_note_show(struct core *, const struct actor *, const char *,
    json_t *, json_t *);

/* core-cluster.c: thematic groups of a wall's notes. */
int core_cluster_suggest(struct core *, const struct actor *, const char *,
    json_t *, json_t *);
int core_cluster_apply(struct core *, const struct actor *, const char *,
    json_t *, json_t *);
int core_cluster_rename(struct core *, const struct actor *, const char *,
    json_t *, json_t *);
int core_cluster_move(struct core *, const struct actor *, const char *,
    json_t *, json_t *);
int core_cluster_merge(struct core *, const struct actor *, const char *,
    json_t *, json_t *);
int core_cluster_split(struct core *, const struct actor *, const char *,
    json_t *, json_t *);

/* core-cloud.c: boards of kind "cloud". */
int core_word_add(struct core *, const struct actor *, const char *,
    json_t *, json_t *);
int core_word_hide(struct core *, const struct actor *, const char *,
    json_t *, json_t *);
int core_word_show(struct core *, const struct actor *, const char *,
    json_t *, json_t *);
int core_word_merge(struct core *, const struct actor *, const char *,
    json_t *, json_t *);
int core_word_ban(struct core *, const struct actor *, const char *,
    json_t *, json_t *);
int core_word_unban(struct core *, const struct actor *, const char *,
    json_t *, json_t *);
int core_board_reset(struct core *, const struct actor *, const char *,
    json_t *, json_t *);
int core_cloud_layout(struct core *, const struct actor *, const char *,
    json_t *, json_t *);

/* The banned words of a session: [{key, text}] (a new reference). */
json_t *core_banned_json(const struct core *c, const char *code);

/* core-session.c: the session's life and portfolios, and its timer. */
int core_timer_start(struct core *, const struct actor *, const char *,
    json_t *, json_t *);
int core_timer_pause(struct core *, const struct actor *, const char *,
    json_t *, json_t *);
int core_timer_resume(struct core *, const struct actor *, const char *,
    json_t *, json_t *);
int core_timer_stop(struct core *, const struct actor *, const char *,
    json_t *, json_t *);
int core_session_update(struct core *, const struct actor *, const char *,
    json_t *, json_t *);
int core_session_close(struct core *, const struct actor *, const char *,
    json_t *, json_t *);
int core_session_reopen(struct core *, const struct actor *, const char *,
    json_t *, json_t *);
int core_session_archive(struct core *, const struct actor *, const char *,
    json_t *, json_t *);
int core_session_unarchive(struct core *, const struct actor *, const char *,
    json_t *, json_t *);
int core_session_focus(struct core *, const struct actor *, const char *,
    json_t *, json_t *);
int core_portfolio_create(struct core *, const struct actor *, const char *,
    json_t *, json_t *);
int core_portfolio_update(struct core *, const struct actor *, const char *,
    json_t *, json_t *);
int core_portfolio_add(struct core *, const struct actor *, const char *,
    json_t *, json_t *);
int core_portfolio_remove(struct core *, const struct actor *, const char *,
    json_t *, json_t *);
int core_portfolio_list(struct core *, const struct actor *, const char *,
    json_t *, json_t *);
int core_portfolio_get(struct core *, const struct actor *, const char *,
    json_t *, json_t *);

/*
 * Sessions whose retention period is over at now and whose participants'
 * names are still kept: *codes (caller frees the array, not the strings,
 * which live as long as the session).  Returns how many.
 */
size_t core_retention_due(const struct core *c, int64_t now,
    const char ***codes);

/* Forget the names of a session's participants (event session.anonymized). */
int core_session_anonymize(struct core *c, const char *code);

/* core-export.c: the export document (docs/export.md). */

/*
 * The export document of the sessions codes[0..n-1] (and of portfolio
 * portfolio, when not 0): a new reference, or NULL if one is unknown.
 * events maps each code to the array of its events as the facilitator
 * received them (borrowed).
 */
json_t *core_export(const struct core *c, const char *const *codes, size_t n,
    json_t *events, int64_t portfolio);

/* The sessions of a portfolio (*codes: caller frees the array), or -1. */
size_t core_portfolio_sessions(const struct core *c, int64_t portfolio,
    const char ***codes);

/*
 * Recreate the sessions of an export document that are not here yet (the
 * others are skipped), with their events, and its portfolio.  The events
 * go to the outbox, to be stored.  report gets "imported", "skipped" and
 * "portfolio".  0, or -ERR_BAD_REQUEST for a document that is not valid.
 */
int core_import(struct core *c, json_t *doc, json_t *report);

/* The session a board belongs to, or NULL. */
const char *core_board_session(const struct core *c, int64_t board);

#endif
