/*
 * net.h - the console's only door to libwebsockets.  One event loop (lws's
 * own poll() loop) waits on everything the console waits for: the
 * WebSocket connection to atelierd (path /ws, subprotocol atelier.v1),
 * the keyboard and the signal pipe (adopted as raw file descriptors), a
 * one-second tick and the reconnection timer.  Nothing in it blocks: the
 * connection is non-blocking, writes wait for WRITEABLE, and a dead
 * server is noticed by WebSocket pings (lws's idle policy).
 *
 * The connection retries forever with backoff (0.25 s up to 5 s); the
 * handlers say when it is connecting, open and closed, and bring each
 * complete text frame.
 */
#ifndef ATELIER_TUI_NET_H
#define ATELIER_TUI_NET_H

#include <stddef.h>

struct net;

struct net_handlers {
	void (*connecting)(void *arg);
	void (*open)(void *arg);
	/* a whole text frame (NUL-terminated too) */
	void (*text)(void *arg, const char *text, size_t len);
	/* the connection failed or dropped; next try in retry_ms */
	void (*closed)(void *arg, const char *why, int retry_ms);
	/* a watched descriptor is readable, or was closed */
	void (*readable)(void *arg, int tag);
	void (*hangup)(void *arg, int tag);
	/* once a second */
	void (*tick)(void *arg);
	/*
	 * A net_http_get() is over: the HTTP status (0 if it failed, then
	 * body is why, in words) and the body.
	 */
	void (*fetched)(void *arg, int id, int status, const char *body,
	    size_t len);
};

/*
 * Prepare the loop and start connecting to address:port (a numeric
 * address, so that no DNS lookup blocks the loop; host goes in the Host
 * header).  NULL if lws cannot start.
 */
struct net *net_new(const char *address, int port, const char *host,
    const struct net_handlers *h, void *arg);

/*
 * Wait on fd too (the loop owns it from now on and closes it at the end);
 * readable(tag) is called when it has input.  0, or -1.
 */
int net_watch(struct net *n, int fd, int tag);

/* Queue one text frame; dropped when the connection is not open. */
void net_send(struct net *n, const char *text);

/*
 * GET path from the server with "Authorization: Bearer token" (may be
 * NULL), on a connection of its own; fetched(id, ...) is called exactly
 * once, when it ends (also when it cannot start).  Returns 0.
 */
int net_http_get(struct net *n, const char *path, const char *token,
    int id);

/* 1 while the WebSocket is open. */
int net_is_open(const struct net *n);

/* Wait for the next event or timer and handle it.  <0: the loop broke. */
int net_service(struct net *n);

void net_free(struct net *n);

#endif
