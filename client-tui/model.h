/*
 * model.h - what the console knows, as plain data: the list of sessions,
 * the open session with its boards, post-its and word-cloud entries, and
 * the portfolios (a lab's projects grouping sessions).  It is
 * changed only by protocol replies and events (jansson objects, see
 * proto/PROTOCOL.md); no curses, no network, so the unit tests feed it
 * JSON and look at the result.
 *
 * Boards and notes live in growable arrays: a pointer into one is valid
 * until the next change of the model.  Keep ids, not pointers.
 */
#ifndef ATELIER_TUI_MODEL_H
#define ATELIER_TUI_MODEL_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

/* Post-it colours, in the order of the protocol's COLOR list. */
enum note_color {
	NOTE_YELLOW = 0,
	NOTE_PINK,
	NOTE_BLUE,
	NOTE_GREEN,
	NOTE_ORANGE,
	NOTE_PURPLE,
	NOTE_NCOLORS
};

struct tui_note {
	int64_t id;
	int64_t author;		/* participant id, 0: the facilitator */
	char *author_name;	/* NULL when anonymous */
	char *text;
	int color;		/* enum note_color */
	double x, y;
	int votes;
	int hidden;
	int64_t created;	/* ms since the epoch */
};

/* A word-cloud entry (board.get on a cloud board, word.* events). */
struct tui_word {
	char *key;		/* merge key built by the server's core */
	char *text;		/* the form people typed most often */
	int count;
	int hidden;
	int banned;
	char *forms;		/* "déchets 3, les déchets 1", or NULL */
};

/* One word placed by the server's cloud.layout (target "grid"). */
struct tui_cell {
	char *key;
	char *text;
	int count;
	int x, y, w, h;		/* cells, top-left corner */
	int size;		/* emphasis 1 to 4 */
};

/* An applied group of a wall (cluster.apply and the cluster.* events). */
struct tui_group {
	int64_t id;		/* GID */
	char *label;
	int64_t *notes;		/* note ids, in the group's order */
	size_t nnotes, capnotes;
};

struct tui_board {
	int64_t id;
	char *kind;		/* "wall", "cloud" */
	char *title;
	char *prompt;		/* NULL: none */
	int locked;
	int vote_limit;
	int word_quota;
	struct tui_note *notes;	/* creation order */
	size_t nnotes, capnotes;
	struct tui_word *words;	/* largest count first */
	size_t nwords, capwords;
	int words_loaded;	/* words came from board.get */
	struct tui_cell *cells;	/* the last layout received */
	size_t ncells;
	int layout_stale;	/* entries changed since the layout */
	struct tui_group *groups;	/* a wall's groups, display order */
	size_t ngroups, capgroups;
};

/* The session's countdown (the Timer object of the protocol). */
enum timer_state { TIMER_NONE = 0, TIMER_RUNNING, TIMER_PAUSED };

struct tui_timer {
	int state;		/* enum timer_state */
	int64_t ends;		/* running: server time when it rings (ms) */
	int64_t left;		/* paused: what remains (ms) */
	int seconds;		/* the duration it was started with */
	char *label;		/* NULL: none */
};

struct tui_session {
	char code[8];
	char *title;
	int64_t created;
	int64_t closed;		/* when it was closed (ms), 0: open */
	int64_t archived;	/* when it was archived (ms), 0: not */
	int64_t seq;		/* last event applied */
	char *join_url;
	int participants;
	char *description;	/* NULL: none */
	char *retrospective;	/* NULL: none */
	struct tui_timer timer;
	int64_t focus;		/* board on every screen (session.focus), 0: none */
	struct tui_board *boards;
	size_t nboards, capboards;
	struct tui_word *banned;	/* banned words: key and text only */
	size_t nbanned, capbanned;
};

/* A lab's project grouping sessions (the Portfolio object). */
struct tui_portfolio {
	int64_t id;
	char *title;
	char *description;	/* NULL: none */
	int64_t created;	/* ms since the epoch */
	struct tui_session *sessions;	/* in the portfolio's order; from
					   portfolio.list only their codes
					   (title "") */
	size_t nsessions, capsessions;
};

struct model {
	struct tui_session *list;	/* session.list, newest first */
	size_t nlist, caplist;
	struct tui_session *open;	/* the session on screen, or NULL */
	struct tui_portfolio *portfolios;	/* portfolio.list, newest
						   first */
	size_t nportfolios, capportfolios;
	int portfolios_loaded;	/* a portfolio.list reply came */
	struct tui_portfolio *portfolio;	/* the one shown whole
						   (portfolio.get), or NULL */
};

/* What model_apply_event() did with an event. */
enum model_applied {
	MODEL_APPLIED = 0,	/* the open session changed */
	MODEL_IGNORED,		/* another session, or already seen */
	MODEL_GAP		/* events are missing: ask for a snapshot */
};

struct model *model_new(void);
void model_free(struct model *m);

/* "yellow" -> NOTE_YELLOW; an unknown name gives NOTE_YELLOW. */
int model_color_parse(const char *name);
const char *model_color_name(int color);

/* Replace the list with a session.list reply's "sessions" array. */
void model_set_list(struct model *m, json_t *sessions);

/*
 * Open a session from a snapshot (session.create / session.join reply):
 * replaces the open session and its seq.
 */
void model_open(struct model *m, json_t *session);
void model_close(struct model *m);

/* Apply one event (see enum model_applied). */
enum model_applied model_apply_event(struct model *m, json_t *ev);

/* Replace (or add) a board of the open session from a board object. */
void model_put_board(struct model *m, json_t *board);

/* Store a cloud.layout reply's "layout" for a board. */
void model_put_layout(struct model *m, int64_t board, json_t *layout);

/* Lookups in the open session; NULL when absent. */
struct tui_board *model_board(const struct model *m, int64_t id);
struct tui_note *model_note(const struct tui_board *b, int64_t id);
struct tui_word *model_word(const struct tui_board *b, const char *key);
struct tui_group *model_group(const struct tui_board *b, int64_t id);
/* Index in b->groups of the group holding note, or -1. */
long model_note_group(const struct tui_board *b, int64_t note);

/*
 * What remains of t (ms, never below 0) when the server's clock says
 * server_now; 0 when there is no timer.
 */
int64_t model_timer_left(const struct tui_timer *t, int64_t server_now);

/* Index of a board in the open session, or -1. */
long model_board_index(const struct model *m, int64_t id);

/* Replace the portfolios with a portfolio.list reply's "portfolios". */
void model_set_portfolios(struct model *m, json_t *portfolios);

/*
 * A portfolio from a reply (portfolio.create, update, add, remove, get):
 * it replaces the one with its id in the list (a new one goes first, the
 * newest), and m->portfolio when that is the same one.  Ignored without
 * an id.
 */
void model_put_portfolio(struct model *m, json_t *portfolio);

/* Show a portfolio whole (portfolio.get reply): m->portfolio, and put. */
void model_open_portfolio(struct model *m, json_t *portfolio);
void model_close_portfolio(struct model *m);

/* A portfolio of the list by id, and its index; NULL / -1 when absent. */
struct tui_portfolio *model_portfolio(const struct model *m, int64_t id);
long model_portfolio_index(const struct model *m, int64_t id);

/* 1 if the session code is in p. */
int model_portfolio_has(const struct tui_portfolio *p, const char *code);

#endif
