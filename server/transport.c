/*
 * transport.c - libwebsockets callbacks for HTTP and WebSocket on one port.
 * The only file that calls lws_write().
 *
 * A frame for a connection whose queue is empty and whose socket took all
 * it was given so far is written at once: no POLLOUT to arm and disarm, no
 * trip through the event loop (the kernel's socket buffer is the queue).
 * Otherwise it waits in the connection's own queue of shared messages, and
 * each WRITEABLE callback writes what the socket takes.  If the kernel
 * takes only part of a frame, lws keeps the rest (lws_partial_buffered)
 * and sends it before anything else.
 *
 * While dispatch publishes a committed batch, the transport is corked:
 * frames only queue, and uncorking writes each connection's frames in one
 * send (framed here, written raw), so that a reply and its event, or the
 * hundreds of events a phone missed, do not cost a system call each.
 * Where io_uring is there (sendbatch.c), every publish is corked, and
 * uncorking hands the writes for all the connections to the kernel in
 * one submission.
 */
#include "server.h"
#include "../common/util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

static uint64_t next_serial = 1;

/* Corked: the connections that got frames, written at uncork. */
static int corked;
static struct conn **dirty;
static size_t ndirty, capdirty;

/* One send's worth of frames, after LWS_PRE bytes of headroom. */
#define GATHER_MAX 65536
#define GATHER_FRAMES 64
#define GATHER_BATCH (1 << 20)	/* copies for one submission, at most */
static unsigned char *gather;
static size_t gathercap;

static struct transport_stats stats;	/* for /metrics */

int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t
mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int64_t
mono_ms(void)
{
	return mono_us() / 1000;
}

/* The header of a final text frame of len bytes, server to client (RFC
 * 6455 5.2: no mask); returns its size. */
static size_t
ws_header(unsigned char *h, size_t len)
{
	int i;

	h[0] = 0x81;
	if (len < 126) {
		h[1] = (unsigned char)len;
		return 2;
	}
	if (len < 65536) {
		h[1] = 126;
		h[2] = (unsigned char)(len >> 8);
		h[3] = (unsigned char)len;
		return 4;
	}
	h[1] = 127;
	for (i = 0; i < 8; i++)
		h[2 + i] = (unsigned char)((uint64_t)len >> (56 - 8 * i));
	return 10;
}

_Static_assert(LWS_PRE >= 10, "a frame header must fit in LWS_PRE");

/* A frame of len bytes at payload, with its header already in place. */
struct msg *
msg_new(const char *payload, size_t len)
{
	struct msg *m = xmalloc(sizeof *m + LWS_PRE + len + 1);
	unsigned char h[10];

	m->refs = 1;
	m->len = len;
	m->hlen = ws_header(h, len);
	memcpy(m->data + LWS_PRE - m->hlen, h, m->hlen);
	memcpy(m->data + LWS_PRE, payload, len);
	m->data[LWS_PRE + len] = '\0';
	return m;
}

struct msg *
msg_ref(struct msg *m)
{
	m->refs++;
	return m;
}

void
msg_unref(struct msg *m)
{
	if (m != NULL && --m->refs == 0)
		free(m);
}

/* c's queue is broken off: close it without waiting for it. */
static void
conn_kill(struct conn *c)
{
	c->closing = 1;
	lws_set_timeout(c->wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
}

static void conn_drop_queue(struct conn *c);

void
conn_send(struct conn *c, struct msg *m)
{
	if (c->closing)
		return;
	if (c->qlen >= OUTQ_MAX) {
		/*
		 * Drop its queue now, and close it with 1008 "too slow" after
		 * what the kernel and lws already hold: the client learns why
		 * as soon as it reads again, and resumes with since.  One that
		 * does not read within SLOW_GRACE_S is cut off without it.
		 */
		lwsl_warn("connection %llu reads too slowly: closing it\n",
		    (unsigned long long)c->serial);
		conn_drop_queue(c);
		c->closing = 1;
		stats.slow_closed++;
		lws_set_timeout(c->wsi, PENDING_TIMEOUT_USER_OK, SLOW_GRACE_S);
		lws_callback_on_writable(c->wsi);
		return;
	}
	conn_push(c, m);
}

/*
 * After a send of len bytes at p that took n of them (or failed with -n):
 * lws keeps the rest and writes it when the socket is writeable
 * (lws_partial_buffered() is then true).  0, or -1 if the connection is
 * broken.
 */
static int
conn_sent(struct conn *c, unsigned char *p, size_t len, ssize_t n)
{
	if (n == (ssize_t)len)
		return 0;
	if (n < 0) {
		if (n != -EAGAIN && n != -EWOULDBLOCK && n != -EINTR)
			return -1;
		n = 0;
	}
	stats.partial++;
	return lws_write(c->wsi, p + n, len - (size_t)n, LWS_WRITE_RAW) <
	    (int)(len - (size_t)n) ? -1 : 0;
}

/*
 * Write len framed bytes at p now (lws must hold nothing for c).  On a
 * plain socket they go straight to send(): lws_write() would only add its
 * bookkeeping around the same call.  Whatever the kernel does not take is
 * handed to lws (conn_sent).  0, or -1 if the connection is broken.
 */
static int
conn_raw(struct conn *c, unsigned char *p, size_t len)
{
	ssize_t n;

	stats.writes++;
	if (c->fd < 0)
		return lws_write(c->wsi, p, len, LWS_WRITE_RAW) < (int)len ?
		    -1 : 0;
	n = send(c->fd, p, len, MSG_NOSIGNAL | MSG_DONTWAIT);
	return conn_sent(c, p, len, n < 0 ? -errno : n);
}

/* Write m now; 0, or -1 if the connection is broken. */
static int
conn_write(struct conn *c, struct msg *m)
{
	stats.frames++;
	return conn_raw(c, m->data + LWS_PRE - m->hlen, m->hlen + m->len);
}

static void
conn_enqueue(struct conn *c, struct msg *m)
{
	if (c->qcap == 0) {	/* one frame needs no malloc */
		c->q = &c->q1;
		c->qcap = 1;
		c->qhead = 0;
	} else if (c->qlen == c->qcap) {	/* grow, unwrapping it */
		size_t ncap = c->qcap > 1 ? c->qcap * 2 : 16, i;
		struct msg **nq = xmalloc(ncap * sizeof *nq);

		for (i = 0; i < c->qlen; i++)
			nq[i] = c->q[(c->qhead + i) % c->qcap];
		if (c->q != &c->q1)
			free(c->q);
		c->q = nq;
		c->qcap = ncap;
		c->qhead = 0;
	}
	c->q[(c->qhead + c->qlen) % c->qcap] = msg_ref(m);
	c->qlen++;
}

void
conn_push(struct conn *c, struct msg *m)
{
	if (c->closing)
		return;
	if (corked) {
		conn_enqueue(c, m);
		if (!c->dirty) {
			c->dirty = 1;
			xgrow((void **)&dirty, &capdirty, ndirty + 1,
			    sizeof *dirty);
			dirty[ndirty++] = c;
		}
		return;
	}
	if (c->qlen == 0 && !lws_partial_buffered(c->wsi)) {
		if (conn_write(c, m) < 0)
			conn_kill(c);
		return;
	}
	conn_enqueue(c, m);
	if (c->qlen == 1)
		lws_callback_on_writable(c->wsi);
}

static void
conn_drop_queue(struct conn *c)
{
	while (c->qlen > 0) {
		msg_unref(c->q[c->qhead]);
		c->qhead = (c->qhead + 1) % c->qcap;
		c->qlen--;
	}
	if (c->q != &c->q1)
		free(c->q);
	c->q = NULL;
	c->qcap = 0;
}

static struct msg *
conn_pop(struct conn *c)
{
	struct msg *m = c->q[c->qhead];

	c->qhead = (c->qhead + 1) % c->qcap;
	c->qlen--;
	return m;
}

/*
 * Send the frames at the head of c's queue: as many as fit in GATHER_MAX
 * bytes go in one raw write (lws keeps what the kernel does not take).
 * 0, or -1 if the connection is broken.
 */
/*
 * How many frames at the head of c's queue go in one write: at most
 * GATHER_FRAMES, and at most GATHER_MAX bytes unless the first alone is
 * more.  *total: their size, with room for each frame's header.
 */
static size_t
head_frames(struct conn *c, size_t *total)
{
	size_t k, need;

	for (k = 0, *total = 0; k < c->qlen && k < GATHER_FRAMES; k++) {
		need = c->q[(c->qhead + k) % c->qcap]->len + 10;
		if (k > 0 && *total + need > GATHER_MAX)
			break;
		*total += need;
	}
	return k;
}

static int
conn_write_some(struct conn *c)
{
	size_t k, total, len;
	unsigned char *p;
	struct msg *m;
	int rc;

	k = head_frames(c, &total);
	if (k == 1) {
		m = conn_pop(c);
		rc = conn_write(c, m);
		msg_unref(m);
		return rc;
	}
	xgrow((void **)&gather, &gathercap, LWS_PRE + total, 1);
	p = gather + LWS_PRE;
	stats.frames += k;
	while (k-- > 0) {
		m = conn_pop(c);
		memcpy(p, m->data + LWS_PRE - m->hlen, m->hlen + m->len);
		p += m->hlen + m->len;
		msg_unref(m);
	}
	len = (size_t)(p - (gather + LWS_PRE));
	return conn_raw(c, gather + LWS_PRE, len);
}

/* Send queued frames until the socket takes no more; 0 or -1. */
static int
conn_flush(struct conn *c)
{
	int rounds = 0;

	while (c->qlen > 0 && rounds++ < 8 && !lws_partial_buffered(c->wsi))
		if (conn_write_some(c) < 0)
			return -1;
	if (c->qlen > 0)
		lws_callback_on_writable(c->wsi);
	else	/* idle phones keep no ring (a replay grows it to hundreds) */
		conn_drop_queue(c);
	return 0;
}

/* Writeable: a stalled reader is closed, the others get their frames. */
static int
conn_write_queue(struct conn *c)
{
	if (c->closing) {
		lws_close_reason(c->wsi, LWS_CLOSE_STATUS_POLICY_VIOLATION,
		    (unsigned char *)"too slow", 8);
		return -1;
	}
	return conn_flush(c);
}

void
transport_counters(struct transport_stats *ts)
{
	*ts = stats;
}

void
transport_cork(void)
{
	corked = 1;
}

int
transport_batches(void)
{
	return sendbatch_ready();
}

/*
 * The first write of every dirty connection that can take one now, in
 * one submission: the frames at the head of its queue (conn_write_some's
 * rule), pointed at where they are, or for several copied one after the
 * other into the gather buffer (at most GATHER_BATCH bytes in all: past
 * that, one frame each).  Whatever the kernel does not take goes to lws,
 * as in conn_raw; what is left in a queue, conn_flush writes after.
 */
static void
uncork_batch(void)
{
	static struct send_req *req;
	static struct {
		struct conn *c;
		size_t frames;	/* taken from the head of its queue */
	} *who;
	static size_t capreq, capwho;
	size_t i, n = 0, k, j, total, used = 0, off;
	struct conn *c;
	struct msg *m;
	int rc;

	/* pass 1, no system call: which connections, how many frames, and
	 * their sizes (the gather buffer may move while it fills) */
	for (i = 0; i < ndirty; i++) {
		c = dirty[i];
		if (i + 4 < ndirty)
			__builtin_prefetch(dirty[i + 4]);
		if (c->closing || c->qlen == 0 || c->fd < 0 ||
		    lws_partial_buffered(c->wsi))
			continue;
		k = head_frames(c, &total);
		if (k > 1 && used + total > GATHER_BATCH)
			k = 1;
		xgrow((void **)&req, &capreq, n + 1, sizeof *req);
		xgrow((void **)&who, &capwho, n + 1, sizeof *who);
		who[n].c = c;
		who[n].frames = k;
		req[n].fd = c->fd;
		if (k == 1) {
			m = c->q[c->qhead];
			req[n].p = m->data + LWS_PRE - m->hlen;
			req[n].len = m->hlen + m->len;
		} else {
			xgrow((void **)&gather, &gathercap, used + total, 1);
			for (j = 0, off = used; j < k; j++) {
				m = c->q[(c->qhead + j) % c->qcap];
				memcpy(gather + off,
				    m->data + LWS_PRE - m->hlen,
				    m->hlen + m->len);
				off += m->hlen + m->len;
			}
			req[n].p = NULL;	/* at used, set below */
			req[n].len = off - used;
			req[n].res = (ssize_t)used;
			used = off;
		}
		n++;
	}
	if (n == 0)
		return;
	for (i = 0; i < n; i++)
		if (req[i].p == NULL)
			req[i].p = gather + req[i].res;
	rc = sendbatch(req, n);
	/* pass 2: the results */
	for (i = 0; i < n; i++) {
		c = who[i].c;
		if (req[i].res == -EINPROGRESS && rc < 0) {
			/* the ring failed: this one may be cut mid-frame */
			conn_kill(c);
			continue;
		}
		stats.writes++;
		stats.frames += who[i].frames;
		if (conn_sent(c, (unsigned char *)req[i].p, req[i].len,
		    req[i].res) < 0) {
			conn_kill(c);
			continue;
		}
		for (j = 0; j < who[i].frames; j++)	/* now they can go */
			msg_unref(conn_pop(c));
	}
}

void
transport_uncork(void)
{
	size_t i;

	corked = 0;
	if (sendbatch_ready())
		uncork_batch();
	for (i = 0; i < ndirty; i++) {
		struct conn *c = dirty[i];

		if (i + 1 < ndirty)	/* loads while this send runs */
			__builtin_prefetch(dirty[i + 1]);
		c->dirty = 0;
		if (!c->closing && conn_flush(c) < 0)
			conn_kill(c);
	}
	ndirty = 0;
}

static void
rx_append(struct conn *c, const void *in, size_t len)
{
	if (c->rx_too_large)
		return;
	if (c->rxlen + len > FRAME_MAX) {
		c->rx_too_large = 1;
		free(c->rx);
		c->rx = NULL;
		c->rxlen = c->rxcap = 0;
		return;
	}
	xgrow((void **)&c->rx, &c->rxcap, c->rxlen + len + 1, 1);
	memcpy(c->rx + c->rxlen, in, len);
	c->rxlen += len;
}

static void
rx_reset(struct conn *c)
{
	c->rx_too_large = 0;
	c->rx_binary = 0;
	c->rxlen = 0;
	free(c->rx);	/* an idle phone keeps no buffer */
	c->rx = NULL;
	c->rxcap = 0;
}

static void
http_drop(struct conn *c)
{
	if (c != NULL && c->http != NULL) {
		http_response_free(c->http);
		free(c->http);
		c->http = NULL;
	}
}

/* A request header copied into buf, or NULL when absent (or too long). */
static const char *
get_header(struct lws *wsi, enum lws_token_indexes token, char *buf,
    size_t size)
{
	return lws_hdr_copy(wsi, buf, (int)size, token) > 0 ? buf : NULL;
}

/* Add "name: value" by token when value is not NULL; 0 or 1. */
static int
add_header(struct lws *wsi, enum lws_token_indexes token, const char *value,
    unsigned char **p, unsigned char *end)
{
	if (value == NULL || value[0] == '\0')
		return 0;
	return lws_add_http_header_by_token(wsi, token,
	    (const unsigned char *)value, (int)strlen(value), p, end) != 0;
}

static int
http_begin(struct lws *wsi, struct conn *c, const char *uri)
{
	unsigned char buf[LWS_PRE + 1024], *start = buf + LWS_PRE, *p = start,
	    *end = buf + sizeof buf - 1;
	char auth[512], enc[256], inm[256];
	struct http_request req = { uri, NULL, NULL, NULL };
	struct http_response *r;

	req.authorization = get_header(wsi, WSI_TOKEN_HTTP_AUTHORIZATION, auth,
	    sizeof auth);
	req.accept_encoding = get_header(wsi, WSI_TOKEN_HTTP_ACCEPT_ENCODING,
	    enc, sizeof enc);
	req.if_none_match = get_header(wsi, WSI_TOKEN_HTTP_IF_NONE_MATCH, inm,
	    sizeof inm);
	/* a WebSocket connection keeps no room for an HTTP answer */
	http_drop(c);
	r = c->http = xmalloc(sizeof *c->http);
	http_route(dispatch_core(), dispatch_config(), &req, r);
	if (lws_add_http_common_headers(wsi, (unsigned)r->status, r->type,
	    r->len, &p, end) ||
	    add_header(wsi, WSI_TOKEN_HTTP_CACHE_CONTROL, r->cache, &p, end) ||
	    add_header(wsi, WSI_TOKEN_HTTP_ETAG, r->etag, &p, end) ||
	    add_header(wsi, WSI_TOKEN_HTTP_CONTENT_ENCODING, r->encoding, &p,
	    end) ||
	    /* the same path is sent gzipped or not, by request header */
	    add_header(wsi, WSI_TOKEN_HTTP_VARY, r->etag ? "Accept-Encoding" :
	    NULL, &p, end) ||
	    (r->disposition[0] && lws_add_http_header_by_name(wsi,
	    (const unsigned char *)"content-disposition:",
	    (const unsigned char *)r->disposition,
	    (int)strlen(r->disposition), &p, end)) ||
	    lws_finalize_write_http_header(wsi, start, &p, end))
		return 1;
	lws_callback_on_writable(wsi);
	return 0;
}

static int
http_write_body(struct lws *wsi, struct conn *c)
{
	size_t len = c->http->len;
	unsigned char *buf = xmalloc(LWS_PRE + len + 1);
	int n;

	if (len > 0)	/* a 304 has no body at all */
		memcpy(buf + LWS_PRE, c->http->body, len);
	n = lws_write(wsi, buf + LWS_PRE, len, LWS_WRITE_HTTP_FINAL);
	free(buf);
	http_drop(c);
	if (n < (int)len)
		return -1;
	if (lws_http_transaction_completed(wsi))
		return -1;
	return 0;
}

static int
callback(struct lws *wsi, enum lws_callback_reasons reason, void *user,
    void *in, size_t len)
{
	struct conn *c = user;
	char uri[256];

	switch (reason) {
	case LWS_CALLBACK_HTTP:
		return http_begin(wsi, c, (const char *)in);

	case LWS_CALLBACK_HTTP_WRITEABLE:
		return http_write_body(wsi, c);

	case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION:
		/* WebSocket only at /ws */
		if (lws_hdr_copy(wsi, uri, sizeof uri, WSI_TOKEN_GET_URI) <= 0 ||
		    strcmp(uri, "/ws") != 0)
			return 1;
		return 0;

	case LWS_CALLBACK_ESTABLISHED:
		http_drop(c);	/* upgraded after a plain request */
		memset(c, 0, sizeof *c);
		c->wsi = wsi;
		c->is_ws = 1;
		c->serial = next_serial++;
		c->tokens_at = -1;
		c->fd = lws_is_ssl(wsi) ? -1 : (int)lws_get_socket_fd(wsi);
		lws_get_peer_simple(wsi, c->peer, sizeof c->peer);
		dispatch_opened(c);
		return 0;

	case LWS_CALLBACK_RECEIVE:
		if (lws_is_first_fragment(wsi) && lws_is_final_fragment(wsi) &&
		    lws_remaining_packet_payload(wsi) == 0 &&
		    !lws_frame_is_binary(wsi) && len <= FRAME_MAX) {
			/* a whole request in one piece: nothing to keep */
			rx_reset(c);
			dispatch_frame(c, in, len);
			return 0;
		}
		if (lws_is_first_fragment(wsi))
			rx_reset(c);
		if (lws_frame_is_binary(wsi))
			c->rx_binary = 1;
		rx_append(c, in, len);
		if (!lws_is_final_fragment(wsi) ||
		    lws_remaining_packet_payload(wsi) > 0)
			return 0;
		if (c->rx_too_large)
			dispatch_too_large(c);
		else if (c->rx_binary)
			dispatch_binary(c);
		else
			dispatch_frame(c, c->rx ? c->rx : "", c->rxlen);
		rx_reset(c);
		return 0;

	case LWS_CALLBACK_SERVER_WRITEABLE:
		return conn_write_queue(c);

	case LWS_CALLBACK_CLOSED_HTTP:
		http_drop(c);	/* c is NULL when the headers never fit */
		return 0;

	case LWS_CALLBACK_HTTP_DROP_PROTOCOL:
		http_drop(c);
		return 0;

	case LWS_CALLBACK_CLOSED:
		if (c == NULL || !c->is_ws)
			return 0;
		dispatch_closed(c);
		if (c->dirty) {
			size_t i;

			for (i = 0; i < ndirty; i++)
				if (dirty[i] == c)
					dirty[i] = dirty[--ndirty];
			c->dirty = 0;
		}
		conn_drop_queue(c);
		free(c->rx);
		free(c->follows);
		c->rx = NULL;
		c->follows = NULL;
		return 0;

	default:
		return 0;
	}
}

const struct lws_protocols transport_protocols[] = {
	/* HTTP, and WebSocket clients that name no subprotocol */
	{ "http", callback, sizeof(struct conn), 512, 0, NULL, 16384 },
	{ ATELIER_PROTOCOL, callback, sizeof(struct conn), 512, 0, NULL, 16384 },
	{ NULL, NULL, 0, 0, 0, NULL, 0 }
};
