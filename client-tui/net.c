/*
 * net.c - the WebSocket client and the event loop of the console (see
 * net.h).  The only file that calls libwebsockets.  Three lifetimes:
 *
 *   struct net      the whole run: context, queue, timers;
 *   the client wsi  one connection: created by net_connect(), gone after
 *                   CLIENT_CONNECTION_ERROR or CLIENT_CLOSED, both of which
 *                   schedule the next attempt;
 *   a frame         reassembled in rx until its last fragment.
 *
 * Writes happen only in CLIENT_WRITEABLE, one lws_write() per callback.
 */
#include "net.h"
#include "common/util.h"

#include <libwebsockets.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NET_PROTOCOL "atelier.v1"
#define FD_PROTOCOL "atelier-fd"
#define HTTP_PROTOCOL "atelier-http"
#define HTTP_MAX (256 * 1024 * 1024)	/* an export of many sessions */
#define RX_MAX (16 * 1024 * 1024)	/* a session snapshot can be big */

static const uint32_t backoff_ms[] = { 250, 500, 1000, 2000, 4000, 5000 };

/*
 * Ping after 5 s of silence, give up after 12 s: a frozen server or a dead
 * Wi-Fi is noticed and the console reconnects.
 */
static const lws_retry_bo_t idle_policy = {
	.retry_ms_table = backoff_ms,
	.retry_ms_table_count = LWS_ARRAY_SIZE(backoff_ms),
	.conceal_count = UINT16_MAX,
	.secs_since_valid_ping = 5,
	.secs_since_valid_hangup = 12,
	.jitter_percent = 0,
};

struct out {
	unsigned char *buf;	/* LWS_PRE + len */
	size_t len;
};

struct net {
	struct lws_context *ctx;
	struct lws_vhost *vh;
	struct lws *wsi;		/* the client connection, or NULL */
	char *address, *host;
	int port;
	const struct net_handlers *h;
	void *arg;
	lws_sorted_usec_list_t retry_sul;
	lws_sorted_usec_list_t tick_sul;
	unsigned int retries;
	int open;			/* WebSocket established */
	int waiting;			/* a retry is scheduled */
	int destroying;
	struct out *q;			/* frames to send, from qhead */
	size_t qhead, qlen, qcap;
	char *rx;			/* the frame being reassembled */
	size_t rxlen, rxcap;
	int rx_skip;			/* the frame is too large: drop it */
	struct fetch *fetches;		/* HTTP GETs under way */
};

/* One HTTP GET (net_http_get), its lws user data. */
struct fetch {
	struct net *net;
	struct fetch *next;	/* in net->fetches */
	int id;
	int status;
	char *auth;		/* "Bearer TOKEN", or NULL */
	char *body;
	size_t len, cap;
	int done;
};

static void net_connect(lws_sorted_usec_list_t *sul);

static void
queue_drop(struct net *n)
{
	size_t i;

	for (i = n->qhead; i < n->qlen; i++)
		free(n->q[i].buf);
	n->qhead = n->qlen = 0;
	n->rxlen = 0;
	n->rx_skip = 0;
}

/* The connection is gone (why, in words): try again after a delay. */
static void
net_retry(struct net *n, const char *why)
{
	unsigned int i;
	int ms;

	if (n->destroying || n->waiting)
		return;
	i = n->retries < LWS_ARRAY_SIZE(backoff_ms) ? n->retries :
	    LWS_ARRAY_SIZE(backoff_ms) - 1;
	ms = (int)backoff_ms[i];
	n->retries++;
	n->waiting = 1;
	n->open = 0;
	n->wsi = NULL;
	queue_drop(n);
	lws_sul_schedule(n->ctx, 0, &n->retry_sul, net_connect,
	    (lws_usec_t)ms * LWS_US_PER_MS);
	n->h->closed(n->arg, why, ms);
}

static void
net_connect(lws_sorted_usec_list_t *sul)
{
	struct net *n = lws_container_of(sul, struct net, retry_sul);
	struct lws_client_connect_info i;

	n->waiting = 0;
	memset(&i, 0, sizeof i);
	i.context = n->ctx;
	i.address = n->address;
	i.port = n->port;
	i.path = "/ws";
	i.host = n->host;
	i.origin = n->host;
	i.protocol = NET_PROTOCOL;
	i.local_protocol_name = NET_PROTOCOL;
	i.retry_and_idle_policy = &idle_policy;
	i.pwsi = &n->wsi;
	n->h->connecting(n->arg);
	if (lws_client_connect_via_info(&i) == NULL) {
		n->wsi = NULL;
		net_retry(n, "cannot start a connection");
	}
}

static void
tick(lws_sorted_usec_list_t *sul)
{
	struct net *n = lws_container_of(sul, struct net, tick_sul);

	n->h->tick(n->arg);
	lws_sul_schedule(n->ctx, 0, &n->tick_sul, tick, LWS_US_PER_SEC);
}

/* Words for lws's connection errors ("connect failed" and the like). */
static const char *
why_failed(const char *in)
{
	if (in == NULL)
		return "cannot connect";
	if (strstr(in, "connect failed") != NULL ||
	    strstr(in, "Unable to connect") != NULL ||
	    strstr(in, "ECONNREFUSED") != NULL)
		return "no server";
	if (strstr(in, "timeout") != NULL || strstr(in, "timed out") != NULL)
		return "no answer";
	if (strstr(in, "HS:") != NULL || strstr(in, "upgrade") != NULL)
		return "not an atelier server";
	return in;
}

static int
write_one(struct net *n, struct lws *wsi)
{
	struct out *o;
	int w;

	if (n->qhead == n->qlen)
		return 0;
	o = &n->q[n->qhead++];
	w = lws_write(wsi, o->buf + LWS_PRE, o->len, LWS_WRITE_TEXT);
	free(o->buf);
	o->buf = NULL;
	if (n->qhead == n->qlen)
		n->qhead = n->qlen = 0;
	if (w < (int)o->len)
		return -1;
	if (n->qhead < n->qlen)
		lws_callback_on_writable(wsi);
	return 0;
}

static void
rx_append(struct net *n, struct lws *wsi, const void *in, size_t len)
{
	if (!n->rx_skip && n->rxlen + len > RX_MAX)
		n->rx_skip = 1;
	if (!n->rx_skip) {
		xgrow((void **)&n->rx, &n->rxcap, n->rxlen + len + 1, 1);
		memcpy(n->rx + n->rxlen, in, len);
		n->rxlen += len;
	}
	if (!lws_is_final_fragment(wsi) || lws_remaining_packet_payload(wsi))
		return;
	if (!n->rx_skip && n->rxlen > 0) {
		n->rx[n->rxlen] = '\0';
		n->h->text(n->arg, n->rx, n->rxlen);
	}
	n->rxlen = 0;
	n->rx_skip = 0;
}

static int
ws_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user,
    void *in, size_t len)
{
	struct net *n = lws_context_user(lws_get_context(wsi));

	switch (reason) {
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
		net_retry(n, why_failed(in));
		return 0;
	case LWS_CALLBACK_CLIENT_ESTABLISHED:
		n->wsi = wsi;
		n->open = 1;
		n->retries = 0;
		n->h->open(n->arg);
		return 0;
	case LWS_CALLBACK_CLIENT_RECEIVE:
		if (n->wsi == wsi)
			rx_append(n, wsi, in, len);
		return 0;
	case LWS_CALLBACK_CLIENT_WRITEABLE:
		if (n->wsi != wsi)
			return 0;
		return write_one(n, wsi);
	case LWS_CALLBACK_CLIENT_CLOSED:
		if (n->wsi == wsi || n->wsi == NULL)
			net_retry(n, "the server closed the connection");
		return 0;
	case LWS_CALLBACK_WSI_DESTROY:
		/* any other way a connection ends, e.g. a handshake cut */
		if (!n->destroying && !n->waiting &&
		    (n->wsi == wsi || n->wsi == NULL))
			net_retry(n, "connection lost");
		return 0;
	default:
		break;
	}
	return lws_callback_http_dummy(wsi, reason, user, in, len);
}

static int
fd_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user,
    void *in, size_t len)
{
	struct net *n = lws_context_user(lws_get_context(wsi));
	int tag = (int)(intptr_t)lws_get_opaque_user_data(wsi);

	switch (reason) {
	case LWS_CALLBACK_RAW_RX_FILE:
		n->h->readable(n->arg, tag);
		return 0;
	case LWS_CALLBACK_RAW_CLOSE_FILE:
		if (!n->destroying)
			n->h->hangup(n->arg, tag);
		return 0;
	default:
		break;
	}
	return lws_callback_http_dummy(wsi, reason, user, in, len);
}

/* Unlink f from its net and free it. */
static void
fetch_free(struct fetch *f)
{
	struct fetch **pp;

	for (pp = &f->net->fetches; *pp != NULL; pp = &(*pp)->next)
		if (*pp == f) {
			*pp = f->next;
			break;
		}
	free(f->auth);
	free(f->body);
	free(f);
}

static int
fetch_alive(struct net *n, struct fetch *f)
{
	struct fetch *g;

	for (g = n->fetches; g != NULL; g = g->next)
		if (g == f)
			return 1;
	return 0;
}

static void
fetch_end(struct fetch *f, int status, const char *why)
{
	if (f->done)
		return;
	f->done = 1;
	if (status == 0)
		f->net->h->fetched(f->net->arg, f->id, 0, why, strlen(why));
	else
		f->net->h->fetched(f->net->arg, f->id, status,
		    f->body != NULL ? f->body : "", f->len);
}

static int
http_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user,
    void *in, size_t len)
{
	struct fetch *f = user;
	unsigned char **p, *end;
	char buf[LWS_PRE + 4096], *px;
	int n;

	switch (reason) {
	case LWS_CALLBACK_CLIENT_APPEND_HANDSHAKE_HEADER:
		if (f == NULL || f->auth == NULL)
			break;
		p = (unsigned char **)in;
		end = *p + len;
		if (lws_add_http_header_by_token(wsi,
		    WSI_TOKEN_HTTP_AUTHORIZATION, (unsigned char *)f->auth,
		    (int)strlen(f->auth), p, end))
			return -1;
		break;
	case LWS_CALLBACK_ESTABLISHED_CLIENT_HTTP:
		if (f != NULL)
			f->status = (int)lws_http_client_http_response(wsi);
		break;
	case LWS_CALLBACK_RECEIVE_CLIENT_HTTP_READ:
		if (f == NULL || f->done)
			break;
		if (f->len + len > HTTP_MAX) {
			fetch_end(f, 0, "the answer is too large");
			return -1;
		}
		xgrow((void **)&f->body, &f->cap, f->len + len + 1, 1);
		memcpy(f->body + f->len, in, len);
		f->len += len;
		f->body[f->len] = '\0';
		break;
	case LWS_CALLBACK_RECEIVE_CLIENT_HTTP:
		px = buf + LWS_PRE;
		n = (int)sizeof buf - LWS_PRE;
		if (lws_http_client_read(wsi, &px, &n) < 0)
			return -1;
		return 0;
	case LWS_CALLBACK_COMPLETED_CLIENT_HTTP:
		if (f != NULL)
			fetch_end(f, f->status ? f->status : 200, NULL);
		break;
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
		if (f != NULL)
			fetch_end(f, 0, why_failed(in));
		break;
	case LWS_CALLBACK_CLOSED_CLIENT_HTTP:
		if (f != NULL)
			fetch_end(f, 0, "the connection closed early");
		break;
	case LWS_CALLBACK_WSI_DESTROY:
		if (f != NULL) {
			if (!f->net->destroying)
				fetch_end(f, 0, "connection lost");
			fetch_free(f);
		}
		return 0;
	default:
		break;
	}
	return lws_callback_http_dummy(wsi, reason, user, in, len);
}

static const struct lws_protocols protocols[] = {
	{ NET_PROTOCOL, ws_callback, 0, 0, 0, NULL, 0 },
	{ FD_PROTOCOL, fd_callback, 0, 0, 0, NULL, 0 },
	{ HTTP_PROTOCOL, http_callback, 0, 0, 0, NULL, 0 },
	{ NULL, NULL, 0, 0, 0, NULL, 0 }
};

struct net *
net_new(const char *address, int port, const char *host,
    const struct net_handlers *h, void *arg)
{
	struct lws_context_creation_info info;
	struct net *n = xcalloc(1, sizeof *n);

	n->address = xstrdup(address);
	n->host = xstrdup(host);
	n->port = port;
	n->h = h;
	n->arg = arg;
	/* lws logs to stderr, which is the terminal curses draws on */
	lws_set_log_level(0, NULL);
	memset(&info, 0, sizeof info);
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = protocols;
	info.user = n;
	info.timeout_secs = 10;
	info.connect_timeout_secs = 5;
	info.fd_limit_per_thread = 16;
	if ((n->ctx = lws_create_context(&info)) == NULL ||
	    (n->vh = lws_get_vhost_by_name(n->ctx, "default")) == NULL) {
		if (n->ctx != NULL)
			lws_context_destroy(n->ctx);
		free(n->address);
		free(n->host);
		free(n);
		return NULL;
	}
	lws_sul_schedule(n->ctx, 0, &n->tick_sul, tick, LWS_US_PER_SEC);
	lws_sul_schedule(n->ctx, 0, &n->retry_sul, net_connect, 1);
	n->waiting = 1;
	return n;
}

int
net_watch(struct net *n, int fd, int tag)
{
	lws_adopt_desc_t d;

	memset(&d, 0, sizeof d);
	d.vh = n->vh;
	d.type = LWS_ADOPT_RAW_FILE_DESC;
	d.fd.filefd = fd;
	d.vh_prot_name = FD_PROTOCOL;
	d.opaque = (void *)(intptr_t)tag;
	return lws_adopt_descriptor_vhost_via_info(&d) != NULL ? 0 : -1;
}

void
net_send(struct net *n, const char *text)
{
	size_t len = strlen(text);
	struct out *o;

	if (!n->open || n->wsi == NULL)
		return;
	xgrow((void **)&n->q, &n->qcap, n->qlen + 1, sizeof *n->q);
	o = &n->q[n->qlen++];
	o->buf = xmalloc(LWS_PRE + len);
	memcpy(o->buf + LWS_PRE, text, len);
	o->len = len;
	lws_callback_on_writable(n->wsi);
}

int
net_http_get(struct net *n, const char *path, const char *token, int id)
{
	struct lws_client_connect_info i;
	struct fetch *f = xcalloc(1, sizeof *f);
	size_t len;

	f->net = n;
	f->id = id;
	if (token != NULL) {
		len = strlen(token) + 8;
		f->auth = xmalloc(len);
		snprintf(f->auth, len, "Bearer %s", token);
	}
	memset(&i, 0, sizeof i);
	i.context = n->ctx;
	i.address = n->address;
	i.port = n->port;
	i.path = path;
	i.host = n->host;
	i.origin = n->host;
	i.method = "GET";
	i.alpn = "http/1.1";
	i.protocol = HTTP_PROTOCOL;
	i.local_protocol_name = HTTP_PROTOCOL;
	i.userdata = f;
	f->next = n->fetches;
	n->fetches = f;
	if (lws_client_connect_via_info(&i) == NULL) {
		/* lws may already have said so and destroyed the wsi */
		if (fetch_alive(n, f)) {
			fetch_end(f, 0, "cannot start a connection");
			fetch_free(f);
		}
	}
	return 0;
}

int
net_is_open(const struct net *n)
{
	return n->open;
}

int
net_service(struct net *n)
{
	return lws_service(n->ctx, 0);
}

void
net_free(struct net *n)
{
	if (n == NULL)
		return;
	n->destroying = 1;
	lws_sul_cancel(&n->retry_sul);
	lws_sul_cancel(&n->tick_sul);
	lws_context_destroy(n->ctx);
	while (n->fetches != NULL)
		fetch_free(n->fetches);
	queue_drop(n);
	free(n->q);
	free(n->rx);
	free(n->address);
	free(n->host);
	free(n);
}
