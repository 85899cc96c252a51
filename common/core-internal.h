/*
 * core-internal.h - the core's state and the helpers its files share
 * (core.c: model, apply, walls; core-session.c: session lifecycle,
 * portfolios, export and import).  Not for use outside common/core*.c.
 */
#ifndef ATELIER_CORE_INTERNAL_H
#define ATELIER_CORE_INTERNAL_H

#include "core.h"
#include "cloudlayout.h"
#include "map.h"
#include "normalize.h"
#include "wordcloud.h"

#include <jansson.h>
#include <stdint.h>

#define CORE_PORTFOLIO_STREAM "_portfolios"	/* the portfolios' events */

extern const char *const core_colors[];
extern const char core_code_alphabet[];
#define CORE_NCOLORS 6

struct vote {
	int64_t pid;
	int count;
};

struct note {
	int64_t id;
	struct board *board;
	int64_t author;
	char *text;
	int color;		/* index in colors[] */
	double x, y;
	int votes;		/* total */
	struct vote *by;	/* per participant */
	size_t nby, capby;
	int hidden;
	int deleted;
	int64_t created;
	int64_t cluster;	/* id of its group (core-cluster.c), or 0 */
};

/* A group of notes on a wall, once a clustering is applied. */
struct cgroup {
	int64_t id;
	char *label;
};

struct board {
	int64_t id;
	struct session *session;
	char *kind;
	char *title;
	char *prompt;		/* or NULL */
	int locked;
	int vote_limit;
	struct note **notes;	/* all, deleted ones included, by creation */
	size_t nnotes, capnotes;
	struct cgroup *groups;	/* core-cluster.c, in display order */
	size_t ngroups, capgroups;
	/* kind "cloud" (core-cloud.c) */
	struct wordcloud *wc;	/* or NULL for other kinds */
	int word_quota;		/* entries per participant */
	struct map used;	/* pid -> entries sent (intptr_t) */
	struct cloudlayout layout[2];	/* last layout per target */
};

struct participant {
	int64_t id;
	struct session *session;
	char *name;		/* or NULL: anonymous */
	char secret[CORE_SECRET_LEN + 1];
	int64_t joined;
};

struct session {
	char code[CORE_CODE_LEN + 1];
	char *title;
	int64_t created;
	int64_t seq;		/* last event */
	struct board **boards;
	size_t nboards, capboards;
	int nparticipants;
	struct map cids;	/* "pid:cid" -> note (struct note *) */
	char lang[3];		/* "fr", "en", "nl" */
	char *description;	/* what the workshop was for, or NULL */
	char *retrospective;	/* the facilitator's notes afterwards, or NULL */
	int64_t closed;		/* ms, or 0 while open */
	int64_t archived;	/* ms, or 0 */
	int retention_days;	/* names deleted this long after closing; 0 = never */
	int64_t anonymized;	/* ms, or 0 */
	struct map banned;	/* word key -> text as banned (owned) */
	int timer;		/* 0 none, 1 running, 2 paused */
	int64_t timer_ends;	/* running: ms when it rings */
	int64_t timer_left;	/* paused: ms left */
	int64_t timer_seconds;	/* as started */
	char *timer_label;	/* or NULL */
	int64_t focus;		/* the board screens show, or 0 */
	struct map wcids;	/* "pid:cid" -> word key (owned) */
};

struct portfolio {
	int64_t id;
	char *title;
	char *description;	/* or NULL */
	int64_t created;
	char (*sessions)[CORE_CODE_LEN + 1];	/* in the order added */
	size_t nsessions, capsessions;
};

struct core {
	char *public_url;
	core_random_fn rnd;
	int64_t now;
	int64_t last_id;	/* highest id given to a board, note, participant */
	struct map sessions;	/* code -> session */
	struct session **order;	/* by creation */
	size_t nsessions, capsessions;
	struct map boards;	/* id -> board */
	struct map notes;	/* id -> note */
	struct map participants;	/* id -> participant */
	struct map secrets;	/* secret -> participant */
	struct map portfolios;	/* id -> portfolio */
	struct portfolio **porder;	/* by creation */
	size_t nportfolios, capportfolios;
	int64_t portfolio_seq;	/* last event of the portfolio stream */
	struct norm *norms[3];	/* per enum norm_lang, made when first needed */
	json_t *outbox;
	char errmsg[256];
};


/* Set the error message; returns -err. */
int core_fail(struct core *c, int err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Stamp, apply and queue an event (stolen); s NULL for session.created. */
void core_emit(struct core *c, struct session *s, const char *name,
    json_t *ev);

struct session *core_session_get(const struct core *c, const char *code);
struct participant *core_participant_get(const struct core *c, int64_t pid);
int64_t core_jint(json_t *o, const char *key);
const char *core_jstr(json_t *o, const char *key);
json_t *core_json_str(const char *s);
void core_see_id(struct core *c, int64_t id);
int core_color_index(const char *name);
void core_random_secret(struct core *c, char *out);

json_t *core_note_json(const struct core *c, const struct note *n,
    const struct actor *a);
json_t *core_board_json(const struct core *c, const struct board *b,
    const struct actor *a, int with_notes);
json_t *core_session_json(const struct core *c, const struct session *s);

struct board *core_ev_board(struct core *c, struct session *s, json_t *ev);
struct note *core_ev_note(struct core *c, struct session *s, json_t *ev);

/* Request fields: 0 ok, 1 absent (not required), < 0 error. */
int core_req_int(struct core *c, json_t *req, const char *key, int required,
    int64_t *out);
int core_req_text(struct core *c, json_t *req, const char *key, int required,
    size_t minlen, size_t maxcp, char **out);
int core_req_session(struct core *c, const char *session_of, json_t *req,
    struct session **out);
int core_req_board(struct core *c, const char *session_of, json_t *req,
    struct board **out);
int core_req_note(struct core *c, const struct actor *a,
    const char *session_of, json_t *req, struct board **bout,
    struct note **out);
int core_check_writable(struct core *c, const struct actor *a,
    const struct board *b);

/* Stamp, apply and queue an event of the portfolio stream (stolen). */
void core_emit_portfolio(struct core *c, const char *name, json_t *ev);

/* core-cluster.c: groups of notes. */
const char *core_cluster_label(const struct board *b, int64_t id);
void core_cluster_board_json(const struct board *b, json_t *o);
void core_cluster_board_free(struct board *b);

/* core-cloud.c: boards of kind "cloud". */
void core_cloud_board_init(struct board *b, json_t *bj);
void core_cloud_board_free(struct board *b);
void core_cloud_session_free(struct session *s);
void core_cloud_free(struct core *c);
void core_cloud_board_json(const struct core *c, const struct board *b,
    const struct actor *a, int with_words, json_t *o);
int core_cloud_create_fields(struct core *c, json_t *req, json_t *bj);
json_t *core_cloud_event_view(const struct core *c, json_t *ev, json_t *v);
void core_cid_key(char *buf, size_t len, int64_t pid, json_t *cid);

/* Free the portfolios (core-session.c). */
void core_portfolios_free(struct core *c);

/* One apply function per event name of proto/protocol.def. */
#define EV(name, ident) \
int core_apply_##ident(struct core *c, struct session *s, json_t *ev);
#include "../proto/protocol.def"
#undef EV

#endif
