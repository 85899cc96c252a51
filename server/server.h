/*
 * server.h - what the parts of atelierd share: the connection, the
 * refcounted outgoing message, and the functions each part offers.
 *
 *   transport.c  libwebsockets callbacks; the only caller of lws_write()
 *   dispatch.c   requests -> core -> batch -> commit -> replies and events
 *   store-*.c    the event log
 *   main.c       options, token, start-up replay, the event loop
 */
#ifndef ATELIER_SERVER_H
#define ATELIER_SERVER_H

#include "../common/core.h"

#include <libwebsockets.h>
#include <stdint.h>

#define ATELIER_PROTOCOL "atelier.v1"
#define ATELIER_VERSION "0.1.0"
#define FRAME_MAX 65536		/* bytes in one request frame */
#define OUTQ_MAX 4096		/* frames waiting before we drop a reader */
#define SLOW_GRACE_S 15		/* then it has that long to read its close */

/* An outgoing frame, shared by every connection it goes to. */
struct msg {
	int refs;
	size_t len;		/* payload bytes, after LWS_PRE headroom */
	size_t hlen;		/* its WebSocket header, just before them */
	unsigned char data[];	/* LWS_PRE + len + 1 */
};

struct msg *msg_new(const char *payload, size_t len);
struct msg *msg_ref(struct msg *m);
void msg_unref(struct msg *m);

/* What http_route needs of a request (NULL: header absent). */
struct http_request {
	const char *uri;
	const char *authorization;
	const char *accept_encoding;
	const char *if_none_match;
};

/* An HTTP answer: body points at static data or at owned. */
struct http_response {
	int status;
	const char *type;
	const char *cache;	/* Cache-Control */
	const char *encoding;	/* Content-Encoding, or NULL */
	const char *etag;	/* ETag, or NULL */
	char disposition[128];	/* Content-Disposition, or "" */
	const unsigned char *body;
	size_t len;
	unsigned char *owned;	/* freed with the response */
};

/*
 * One WebSocket or HTTP connection (lws per-session data).  What sending an
 * event to it reads comes first, in one cache line: a session's followers
 * are visited one after the other for every event.
 */
struct conn {
	struct lws *wsi;
	int fd;			/* the socket, -1 if lws must write (TLS) */
	enum core_role role;	/* ROLE_NONE until hello */
	int closing;		/* too slow: close at next writeable */
	int dirty;		/* has frames to write at uncork */
	/* outgoing queue (ring; its first slot is q1, without a malloc) */
	struct msg **q, *q1;
	size_t qhead, qlen, qcap;
	/* protocol identity */
	int64_t pid;		/* participant id, 0 for the facilitator */
	char session[CORE_CODE_LEN + 1];	/* a participant's session */
	char (*follows)[CORE_CODE_LEN + 1];	/* sessions subscribed to */
	size_t nfollows, capfollows;
	uint64_t serial;	/* unique, never reused */
	char peer[48];		/* the client's address (INET6_ADDRSTRLEN) */
	int is_ws;
	/* incoming frame being assembled */
	char *rx;
	size_t rxlen, rxcap;
	int rx_too_large;
	int rx_binary;
	/* rate limit (token bucket) */
	double tokens;
	int64_t tokens_at;
	struct http_response *http;	/* plain HTTP only, while answering */
};

struct store;

struct server_config {
	int port;
	const char *db_path;
	const char *public_url;
	const char *token;
	double rate;		/* participant requests per second */
	int64_t clock_offset_ms;	/* $ATELIER_CLOCK_OFFSET_MS, tests only */
	int guess_limit;	/* wrong codes per address per minute */
	int history_idle_s;	/* unfollowed this long: history to disk */
};

/* transport.c */
extern const struct lws_protocols transport_protocols[];
/* Queue m for c (taking a reference); conn_send closes a reader that
 * lets OUTQ_MAX frames pile up, conn_push (asked-for replays) never does. */
void conn_send(struct conn *c, struct msg *m);
void conn_push(struct conn *c, struct msg *m);
/* Between cork and uncork frames only queue; uncork writes each
 * connection's in one send. */
void transport_cork(void);
void transport_uncork(void);
/* Whether every publish should be corked: uncork can then send to all
 * the connections in one system call. */
int transport_batches(void);
/* What the transport did since the start, for /metrics. */
struct transport_stats {
	unsigned long long frames;	/* WebSocket frames sent */
	unsigned long long writes;	/* writes that carried them */
	unsigned long long partial;	/* writes the kernel took only part of */
	unsigned long long slow_closed;	/* connections closed: too slow */
};
void transport_counters(struct transport_stats *ts);
int64_t now_ms(void);		/* wall clock, for events */
int64_t mono_ms(void);		/* monotonic, for rates */
int64_t mono_us(void);

/* sendbatch.c: many non-blocking sends in one system call (io_uring) */
struct send_req {
	int fd;
	const unsigned char *p;
	size_t len;
	ssize_t res;		/* as send() returns it, or -errno */
};
int sendbatch_init(void);	/* 0, or -1: not here, send() it is */
void sendbatch_free(void);
int sendbatch_ready(void);
/* Sends all, waits for all; 0, or -errno: entries still -EINPROGRESS
 * may or may not have gone out. */
int sendbatch(struct send_req *r, size_t n);

/* admin.c */
int db_lock(const char *db_path);	/* fd, -2 if locked, -1 on error */
int admin_export(int argc, char **argv);
int admin_import(int argc, char **argv);
char *admin_render(struct core *core, const char *const *codes, size_t n,
    int64_t portfolio, const char *format, const char **mime);

/* http.c */
void http_route(struct core *core, const struct server_config *cfg,
    const struct http_request *req, struct http_response *r);
void http_response_free(struct http_response *r);

/* dispatch.c */
struct core *dispatch_core(void);
const struct server_config *dispatch_config(void);
int dispatch_init(struct lws_context *ctx, const struct server_config *cfg,
    struct core *core, struct store *store);
void dispatch_frame(struct conn *c, const char *buf, size_t len);
void dispatch_too_large(struct conn *c);
void dispatch_binary(struct conn *c);
void dispatch_opened(struct conn *c);
void dispatch_closed(struct conn *c);
char *dispatch_metrics(void);	/* Prometheus text; caller frees */
int dispatch_replay_event(void *arg, const char *body, int64_t len);
void dispatch_start(struct lws_context *ctx);	/* serving from now on */

/* Each session's events as the facilitator received them: code -> array. */
json_t *dispatch_session_events(const char *const *codes, size_t n);

/* Store the core's pending events and commit (commands, not serving). */
int dispatch_commit_now(void);
void dispatch_shutdown(void);	/* commit what is pending */
void dispatch_free(void);

#endif
