/*
 * app.h - the console's behaviour without a terminal or a network: which
 * screen is shown, what is selected, what each key does, which requests
 * go out and what their replies and the server's events change.
 *
 * The front end (view-*.c) translates terminal keys into the APP_KEY_x
 * codes below (or Unicode code points) and draws what the app holds; the
 * transport (net.c) carries the frames.  The app never blocks: it queues
 * a request through the send function and reacts when the reply comes.
 *
 * Every key of every screen is in one table (app_bindings()), which both
 * the key handler and the help overlay read, so the help cannot drift.
 */
#ifndef ATELIER_TUI_APP_H
#define ATELIER_TUI_APP_H

#include "model.h"

#include <stddef.h>
#include <stdint.h>

enum app_screen {
	SCREEN_LIST = 0,	/* the sessions on the server */
	SCREEN_HOME,		/* one session: code, QR code, boards */
	SCREEN_WALL,		/* a board of post-its */
	SCREEN_CLOUD,		/* a word-cloud board */
	SCREEN_CLUSTER,		/* suggested groups of a wall, before apply */
	SCREEN_PORTFOLIOS,	/* the portfolios: a lab's projects */
	SCREEN_PORTFOLIO,	/* one portfolio and its sessions */
	SCREEN_PICK,		/* which portfolio a session goes into */
	SCREEN_COUNT
};

enum app_conn {
	CONN_OFFLINE = 0,	/* no connection: waiting to retry */
	CONN_CONNECTING,	/* TCP and WebSocket handshake */
	CONN_GREETING,		/* hello sent, no answer yet */
	CONN_ONLINE,
	CONN_REFUSED		/* the server refused the token */
};

enum app_sort { SORT_TIME = 0, SORT_VOTES, SORT_COLOR, SORT_COUNT };

/* Keys that are not characters (characters are their code point). */
enum {
	APP_KEY_UP = 0x110000,
	APP_KEY_DOWN,
	APP_KEY_LEFT,
	APP_KEY_RIGHT,
	APP_KEY_HOME,
	APP_KEY_END,
	APP_KEY_PGUP,
	APP_KEY_PGDN,
	APP_KEY_ENTER,
	APP_KEY_ESC,
	APP_KEY_BACKSPACE,
	APP_KEY_DELETE,
	APP_KEY_TAB,
	APP_KEY_BTAB,
	APP_KEY_F1
};
#define APP_CTRL(c) ((c) & 0x1f)

struct app;

/* One key binding: up to three keys, a label for the help, an action. */
struct app_binding {
	int keys[3];		/* 0 ends the list */
	const char *label;	/* "Up k" */
	const char *help;	/* what it does, one line */
	const char *hint;	/* short form for the hint line, or NULL */
	void (*fn)(struct app *a);
};

/* The line editor of prompts (titles, post-it text). */
enum app_prompt_kind {
	PROMPT_SESSION_TITLE = 1,
	PROMPT_WALL_TITLE,
	PROMPT_CLOUD_TITLE,
	PROMPT_NOTE_NEW,
	PROMPT_NOTE_EDIT,
	PROMPT_BAN,
	PROMPT_UNBAN,
	PROMPT_SEARCH,
	PROMPT_TIMER_MINUTES,
	PROMPT_TIMER_LABEL,
	PROMPT_DESCRIPTION,
	PROMPT_RETROSPECTIVE,
	PROMPT_CLUSTER_K,	/* number of themes for cluster.suggest */
	PROMPT_THEME,		/* guided clustering: one theme a prompt */
	PROMPT_DRAFT_RENAME,	/* a suggested group, before apply */
	PROMPT_GROUP_RENAME,	/* an applied group */
	PROMPT_GROUP_SPLIT,	/* label of the group a note leaves for */
	PROMPT_PF_TITLE,	/* a new portfolio's title */
	PROMPT_PF_ABOUT,	/* then its description (optional) */
	PROMPT_PF_RENAME,	/* a portfolio's title (board: its id) */
	PROMPT_PF_DESCRIPTION	/* a portfolio's description (board: id) */
};

struct app_prompt {
	int kind;		/* enum app_prompt_kind, 0: no prompt */
	const char *label;	/* "New session title" */
	int32_t *cps;		/* the text, as code points */
	size_t len, cap, cursor;
	size_t max;		/* code points allowed */
	size_t start;		/* first code point shown (view scrolls) */
	int64_t board, note;	/* what it is about */
	int64_t group;		/* the group (GID, or draft index) */
};

/*
 * One group of the clustering being prepared (cluster.suggest, edited
 * here, then sent with cluster.apply).  The last group of the draft is
 * always the "no group" one (none = 1), never applied.
 */
struct app_draft_group {
	char *label;
	int64_t *notes;		/* note ids */
	size_t nnotes, cap;
	int none;		/* the notes left out of every group */
};

/*
 * A theme of guided clustering as the facilitator typed it, "Vélos:
 * pistes cyclables, trottinettes": the name labels its group, the
 * keywords say what to look for (NULL: the name's own words).
 */
struct app_theme {
	char *name;
	char *keywords;		/* or NULL */
};

enum app_confirm_kind {
	CONFIRM_QUIT = 1,
	CONFIRM_NOTE_DELETE,
	CONFIRM_CLOUD_RESET,
	CONFIRM_WORD_BAN,
	CONFIRM_ARCHIVE,
	CONFIRM_CLOSE,
	CONFIRM_EXPORT,		/* h, m, c or j choose the format */
	CONFIRM_PF_REMOVE,	/* a session (text) from a portfolio (board) */
	CONFIRM_PF_EXPORT	/* as CONFIRM_EXPORT, portfolio board */
};

struct app_confirm {
	int kind;		/* enum app_confirm_kind, 0: none */
	char question[256];
	int64_t board, note;
	char *text;		/* a word to ban, a session code */
};

/* A request waiting for its reply. */
struct app_pending {
	int64_t rid;
	int kind;		/* the request (see app.c) */
	int64_t board, note;	/* what it was about */
	char code[8];		/* the session it was about, or "" */
};

/* Sends one text frame (a JSON request); the app keeps ownership. */
typedef void (*app_send_fn)(void *ctx, const char *frame);

/*
 * Downloads path (an HTTP GET on the server, with the token) into file;
 * the front end calls app_export_done() when it is over.
 */
typedef void (*app_fetch_fn)(void *ctx, const char *path, const char *file);

struct app {
	struct model *m;
	enum app_screen screen;
	int cols, rows;		/* terminal size, from app_resize() */
	int utf8;		/* the terminal shows UTF-8 */
	int help;		/* the help overlay is shown */
	struct app_prompt prompt;
	struct app_confirm confirm;

	/* session list */
	size_t list_sel;
	int list_top;
	int list_archived;	/* showing the archived sessions */
	char *list_query;	/* searching all sessions for this, or NULL */
	/* session home: the selected board */
	size_t board_sel;
	/* wall and cloud: the board shown and the selection on it */
	int64_t board_id;
	int64_t note_id;	/* 0: nothing selected */
	size_t note_pos;	/* where the selection was in the order */
	int wall_top;		/* first row of cards shown */
	int sort;		/* enum app_sort */
	size_t word_sel;
	char *word_key;		/* the selected word, kept across events */
	int word_top;
	char *merge_from;	/* key chosen by the first 'm', or NULL */
	int layout_pending;	/* a cloud.layout is on its way */
	int wall_groups;	/* the wall shows its notes by group */
	int64_t merge_group;	/* group chosen by the first 'm', or 0 */

	/* clustering screen: the draft of a wall's groups */
	struct app_draft_group *draft;
	size_t ndraft, capdraft;
	int64_t draft_board;	/* the wall the draft is about */
	size_t draft_sel;	/* selected row (see app_draft_row()) */
	int draft_top;		/* first row shown */
	int draft_loading;	/* a cluster.suggest is on its way */
	int draft_guided;	/* the draft sorts the notes into themes */
	struct app_theme *themes;	/* guided: the themes sent last */
	size_t nthemes, capthemes;
	struct app_theme *typed;	/* the themes being typed (PROMPT_THEME) */
	size_t ntyped, captyped;
	char theme_label[64];	/* the prompt's label: "Theme 2 ..." */

	/* portfolios */
	size_t pf_sel;		/* selected portfolio (list and picker) */
	int pf_top;		/* first row shown */
	int64_t pf_id;		/* the portfolio open on SCREEN_PORTFOLIO */
	size_t pf_session_sel;	/* its selected session */
	int pf_session_top;
	char pick_code[8];	/* the session the picker adds */
	char *pick_title;	/* and its title */
	enum app_screen pick_back;	/* where the picker goes back to */
	int pf_new_add;		/* the portfolio being created gets pick_code */
	char *pf_new_title;	/* typed, while its description is asked */
	int home_from_pf;	/* the session home was opened from pf_id */

	/* timer */
	int timer_seconds;	/* chosen in the first timer prompt */
	int64_t clock_offset;	/* server time - a->now, best estimate */
	int have_clock;		/* clock_offset is known */

	/* connection */
	enum app_conn conn;
	char *server;		/* "127.0.0.1:8080", for the status line */
	int local;		/* the console started that server */
	char *token;		/* the facilitator token, NULL if none */
	char *conn_why;		/* why the connection dropped */
	int64_t retry_at;	/* when the next attempt starts (ms) */
	int64_t now;		/* ms, monotonic, from app_tick() */
	int resyncing;		/* a session.join for missing events */

	/* messages for the status line */
	char *error;		/* the last error, in words */
	char *info;		/* the last confirmation */
	int64_t info_at;

	/* requests */
	int64_t next_rid;
	unsigned long next_cid;
	char *cid_prefix;	/* makes note.add cids unique across runs */
	struct app_pending *pending;
	size_t npending, cappending;
	app_send_fn send;
	app_fetch_fn fetch;	/* NULL: no export */
	void *send_ctx;
	int exporting;		/* a download is on its way */
	int export_pf;		/* ... of a portfolio (else of the session) */

	int quit;		/* the user asked to quit */
	int redraw;		/* repaint the whole terminal (Ctrl-L) */
};

/*
 * A new app.  token may be NULL (hello will be refused: the status line
 * says how to give one); server names the server for the status line;
 * local is 1 if the console started it; cid_prefix makes client ids unique
 * (e.g. the pid and start time).
 */
struct app *app_new(const char *token, const char *server, int local,
    const char *cid_prefix, app_send_fn send, void *send_ctx);
void app_free(struct app *a);

/* Let the app download exports (see app_fetch_fn). */
void app_set_fetch(struct app *a, app_fetch_fn fetch);

/* The download asked through fetch is over; message says how, in words. */
void app_export_done(struct app *a, int ok, const char *message);

/* The terminal's size changed (also the first time). */
void app_resize(struct app *a, int cols, int rows);

/* Time passes (ms, monotonic): expires messages. */
void app_tick(struct app *a, int64_t now);

/* The transport is connecting / is open (hello goes out) / dropped. */
void app_connecting(struct app *a);
void app_connected(struct app *a);
void app_disconnected(struct app *a, const char *why, int retry_ms);

/* One frame from the server (a reply or an event). */
void app_frame(struct app *a, const char *text, size_t len);

/* One key (a code point or APP_KEY_x). */
void app_key(struct app *a, int key);

/* The bindings of a screen, global ones included (for the help). */
const struct app_binding *app_bindings(enum app_screen s, size_t *n);
const struct app_binding *app_global_bindings(size_t *n);

/* The board shown on the wall or cloud screen, or NULL. */
struct tui_board *app_board(const struct app *a);

/*
 * The notes of b in display order: idx receives b->nnotes indexes into
 * b->notes.  Returns the count.
 */
size_t app_wall_order(const struct app *a, const struct tui_board *b,
    size_t *idx);

/*
 * The rows of the clustering draft: each group's header then its notes.
 * app_draft_row() says what row is: *group gets the group's index and
 * *note the note's index in it, or -1 for the header.  0, or -1 when row
 * is past the end.
 */
size_t app_draft_rows(const struct app *a);
int app_draft_row(const struct app *a, size_t row, size_t *group,
    long *note);

/*
 * One theme as typed, "name" or "name: keyword, keyword" (the first ':'
 * splits; spaces around each part are dropped; nothing after the ':' is
 * no keywords).  0 with t filled (the caller frees t->name and
 * t->keywords, the latter NULL when none), or -1 with why said in words
 * (no name, or a name over 80 characters) and nothing allocated.
 */
int app_theme_parse(const char *text, struct app_theme *t, char *why,
    size_t nwhy);

/*
 * The timer of the open session in words, "4:59 Ecrire" or "paused 4:59"
 * (the label cut to fit), counted down with the server's clock as seen
 * through the events' time.  Returns 0 (and "") when there is no timer.
 */
int app_timer_text(const struct app *a, char *buf, size_t n);

/* "5", "2.5", "1:30" (minutes, or m:ss) -> seconds; -1 if not valid. */
int app_parse_minutes(const char *s);

/* The prompt's text as UTF-8 (caller frees). */
char *app_prompt_text(const struct app_prompt *p);

/*
 * The status line: the connection state and where (left), the last
 * error or message (right).  Written into the buffers, always terminated.
 */
void app_status(const struct app *a, char *left, size_t nleft, char *right,
    size_t nright, int *is_error);

/* The hint line of the current screen ("? help  n new ..."). */
void app_hints(const struct app *a, char *buf, size_t n);

/* The name of a screen, for the title bar. */
const char *app_screen_name(enum app_screen s);

/* Set the error message shown on the status line (printf-like). */
void app_fail(struct app *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
