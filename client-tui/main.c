/*
 * main.c - atelier, the facilitator's console: options, the server (found
 * at --server, or started here when none answers on this machine), the
 * token, then one single-threaded loop for the WebSocket, the keyboard and
 * the signals (see net.h and docs/console.md), and on the way out the
 * terminal given back and the local server stopped.
 *
 *   app.c model.c layout.c qrtext.c bigtext.c   what the console does (pure)
 *   view-*.c                                    the terminal (curses)
 *   net.c                                       libwebsockets
 *   local-server.c                              a local atelierd
 */
#include "app.h"
#include "local-server.h"
#include "net.h"
#include "view.h"
#include "common/util.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <locale.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_SERVER "http://127.0.0.1:8080"
#define DEFAULT_DB "atelier.db"
#define RESTART_MS 10000	/* at most one restart of the local server */

enum { TAG_KEYS = 1, TAG_SIGNALS };

struct console {
	struct app *app;
	struct net *net;
	struct local_server ls;
	int started;		/* we run the server */
	int64_t restarted_at;
	int stop;		/* SIGTERM, SIGHUP or the terminal closed */
	int idle_wakes;		/* keyboard wake-ups in a row without a key */
	char *token;		/* for HTTP downloads */
	char *export_file;	/* where the download under way goes */
};

static int signal_pipe[2] = { -1, -1 };

static int64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: atelier [--server http://HOST:PORT] [--db PATH]\n"
	    "\n"
	    "The facilitator's console.  If no atelierd answers at the server\n"
	    "address (default " DEFAULT_SERVER ") and it is on this machine,\n"
	    "atelier starts one (found beside the console, else in PATH) with\n"
	    "--db PATH (default ./" DEFAULT_DB ") and stops it on exit.\n"
	    "\n"
	    "The facilitator token is $ATELIER_TOKEN, else the file PATH.token.\n"
	    "Press ? in the console for the keys of each screen.\n");
}

/* "http://host:port/" -> host, port.  0, or -1 if it is not such a URL. */
static int
parse_server(const char *url, char **host, int *port)
{
	const char *p = url, *end, *colon;
	char *h;

	if (strncmp(p, "http://", 7) == 0)
		p += 7;
	else if (strncmp(p, "ws://", 5) == 0)
		p += 5;
	else if (strstr(p, "://") != NULL)
		return -1;	/* https: atelierd speaks plain HTTP */
	end = p + strcspn(p, "/");
	if (*p == '[') {	/* [::1]:8080 */
		const char *close = memchr(p, ']', (size_t)(end - p));

		if (close == NULL)
			return -1;
		h = xstrndup(p + 1, (size_t)(close - p - 1));
		colon = close + 1 < end && close[1] == ':' ? close + 1 : NULL;
	} else {
		colon = memchr(p, ':', (size_t)(end - p));
		h = xstrndup(p, (size_t)((colon ? colon : end) - p));
	}
	*port = 80;
	if (colon != NULL) {
		char *e;
		long v = strtol(colon + 1, &e, 10);

		if (e != end || v <= 0 || v > 65535) {
			free(h);
			return -1;
		}
		*port = (int)v;
	}
	if (*h == '\0') {
		free(h);
		return -1;
	}
	*host = h;
	return 0;
}

/*
 * The numeric address of host, looked up once before the loop starts so
 * that a slow DNS never freezes the console.  A new string, or NULL.
 */
static char *
resolve(const char *host)
{
	struct addrinfo hints, *res, *r;
	char buf[INET6_ADDRSTRLEN];
	char *out = NULL;

	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(host, NULL, &hints, &res) != 0)
		return NULL;
	for (r = res; r != NULL && out == NULL; r = r->ai_next) {
		const void *addr = r->ai_family == AF_INET ?
		    (const void *)&((struct sockaddr_in *)r->ai_addr)->sin_addr :
		    r->ai_family == AF_INET6 ?
		    (const void *)&((struct sockaddr_in6 *)r->ai_addr)->
		    sin6_addr : NULL;

		if (addr != NULL && inet_ntop(r->ai_family, addr, buf,
		    sizeof buf) != NULL)
			out = xstrdup(buf);
	}
	freeaddrinfo(res);
	return out;
}

/* ---- signals: written to a pipe that the loop watches ---------------- */

static void
on_signal(int sig)
{
	int saved = errno;
	char c = sig == SIGWINCH ? 'W' : 'T';

	if (write(signal_pipe[1], &c, 1) < 0) {
		/* the pipe is full: a wake-up is already waiting */
	}
	errno = saved;
}

static int
signals_init(void)
{
	struct sigaction sa;

	if (pipe2(signal_pipe, O_NONBLOCK | O_CLOEXEC) < 0)
		return -1;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	sigaction(SIGWINCH, &sa, NULL);	/* before curses: it keeps ours */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	return 0;
}

/* ---- what the loop hands to the app ---------------------------------- */

static void
send_frame(void *ctx, const char *frame)
{
	struct console *c = ctx;

	if (c->net != NULL)
		net_send(c->net, frame);
}

static void
on_connecting(void *arg)
{
	struct console *c = arg;

	app_tick(c->app, mono_ms());
	app_connecting(c->app);
}

static void
on_open(void *arg)
{
	struct console *c = arg;

	app_tick(c->app, mono_ms());
	app_connected(c->app);
}

static void
on_text(void *arg, const char *text, size_t len)
{
	struct console *c = arg;

	app_tick(c->app, mono_ms());
	app_frame(c->app, text, len);
}

static void
on_closed(void *arg, const char *why, int retry_ms)
{
	struct console *c = arg;

	app_tick(c->app, mono_ms());
	app_disconnected(c->app, why, retry_ms);
}

static void
on_readable(void *arg, int tag)
{
	struct console *c = arg;
	char buf[64];
	ssize_t n, i;

	app_tick(c->app, mono_ms());
	if (tag == TAG_KEYS) {
		/*
		 * Readable but no key, again and again: the keyboard is at
		 * its end (not a terminal any more).  Stop rather than spin.
		 */
		if (view_input(c->app) > 0)
			c->idle_wakes = 0;
		else if (++c->idle_wakes > 200)
			c->stop = 1;
		return;
	}
	while ((n = read(signal_pipe[0], buf, sizeof buf)) > 0)
		for (i = 0; i < n; i++) {
			if (buf[i] == 'W')
				view_resize(c->app);
			else
				c->stop = 1;
		}
}

static void
on_hangup(void *arg, int tag)
{
	struct console *c = arg;

	if (tag == TAG_KEYS)
		c->stop = 1;	/* the terminal is gone */
}

/* The local server stopped by itself: say so, and start it again. */
static void
watch_local_server(struct console *c)
{
	char err[512], *tail;
	int64_t now = mono_ms();

	if (!c->started || local_server_running(&c->ls))
		return;
	if (c->restarted_at != 0 && now - c->restarted_at < RESTART_MS)
		return;		/* it just failed: wait before trying again */
	tail = local_server_log_tail(&c->ls);
	app_fail(c->app, "The local server stopped (%s); starting it "
	    "again. Its log: %s", tail != NULL ? tail : "no message",
	    c->ls.log);
	free(tail);
	c->restarted_at = now;
	if (local_server_start(&c->ls, err, sizeof err) < 0)
		app_fail(c->app, "Could not restart the local server: %s", err);
}

static void
on_tick(void *arg)
{
	struct console *c = arg;

	app_tick(c->app, mono_ms());
	watch_local_server(c);
}

/* An export the app asked for: GET it, then write it (on_fetched). */
static void
fetch(void *ctx, const char *path, const char *file)
{
	struct console *c = ctx;

	free(c->export_file);
	c->export_file = xstrdup(file);
	net_http_get(c->net, path, c->token, 1);
}

static void
on_fetched(void *arg, int id, int status, const char *body, size_t len)
{
	struct console *c = arg;
	char msg[PATH_MAX + 128], where[PATH_MAX];
	FILE *f;

	(void)id;
	app_tick(c->app, mono_ms());
	if (status == 0) {
		app_export_done(c->app, 0, body);
		return;
	}
	if (status != 200) {
		snprintf(msg, sizeof msg, "the server answered %d: %.*s",
		    status, (int)strcspn(body, "\n"), body);
		app_export_done(c->app, 0, msg);
		return;
	}
	if ((f = fopen(c->export_file, "wb")) == NULL ||
	    fwrite(body, 1, len, f) != len || fclose(f) != 0) {
		snprintf(msg, sizeof msg, "cannot write %s: %s", c->export_file,
		    strerror(errno));
		app_export_done(c->app, 0, msg);
		return;
	}
	if (realpath(c->export_file, where) == NULL)
		snprintf(where, sizeof where, "%s", c->export_file);
	snprintf(msg, sizeof msg, "Exported to %s (%zu bytes).", where, len);
	app_export_done(c->app, 1, msg);
}

static const struct net_handlers handlers = {
	on_connecting, on_open, on_text, on_closed, on_readable, on_hangup,
	on_tick, on_fetched,
};

/* ---- start-up -------------------------------------------------------- */

/* No server answers: start one here.  0, or -1 (said on stderr). */
static int
start_local(struct console *c, int port, const char *db)
{
	char err[1024], log[4096];
	const char *tmp = getenv("TMPDIR");

	if ((c->ls.bin = local_server_find()) == NULL) {
		fprintf(stderr, "atelier: no server answers on port %d and no "
		    "atelierd was found (beside atelier, or in PATH)\n", port);
		return -1;
	}
	snprintf(log, sizeof log, "%s/atelierd-%d-%ld.log",
	    tmp != NULL && *tmp != '\0' ? tmp : "/tmp", port, (long)getpid());
	c->ls.log = xstrdup(log);
	c->ls.db = xstrdup(db);
	c->ls.port = port;
	fprintf(stderr, "atelier: no server on port %d: starting %s --port %d "
	    "--db %s (log %s)\n", port, c->ls.bin, port, db, log);
	if (local_server_start(&c->ls, err, sizeof err) < 0 ||
	    local_server_wait(&c->ls, 15000, err, sizeof err) < 0) {
		fprintf(stderr, "atelier: %s\n", err);
		local_server_stop(&c->ls, 3000);
		return -1;
	}
	c->started = 1;
	return 0;
}

static void
local_free(struct local_server *s)
{
	free(s->bin);
	free(s->db);
	free(s->log);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "server", required_argument, NULL, 's' },
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *server = DEFAULT_SERVER, *db = DEFAULT_DB, *env;
	char *host = NULL, *addr = NULL, *token = NULL, label[300];
	char hostport[300], cid[64];
	struct console c;
	int ch, port, stdin_flags = -1, rc = 1, keys;

	while ((ch = getopt_long(argc, argv, "s:d:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 's':
			server = optarg;
			break;
		case 'd':
			db = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	setlocale(LC_ALL, "");
	memset(&c, 0, sizeof c);
	if (parse_server(server, &host, &port) < 0) {
		fprintf(stderr, "atelier: --server %s: expected "
		    "http://HOST:PORT\n", server);
		return 2;
	}
	if ((addr = resolve(host)) == NULL) {
		fprintf(stderr, "atelier: cannot find the address of %s\n",
		    host);
		goto out;
	}
	switch (local_server_probe(addr, port, 1500)) {
	case PROBE_HEALTHY:
		break;
	case PROBE_NOTHING:
		if (local_server_is_loopback(host)) {
			if (start_local(&c, port, db) < 0)
				goto out;
			break;
		}
		fprintf(stderr, "atelier: no server at %s yet; the console "
		    "keeps trying\n", server);
		break;
	case PROBE_OTHER:
		/* something listens: never start a second server there */
		fprintf(stderr, "atelier: %s answers slowly or is not "
		    "atelierd; connecting anyway\n", server);
		break;
	}
	env = getenv("ATELIER_TOKEN");
	if (env != NULL && *env != '\0')
		token = xstrdup(env);
	else
		token = local_server_token(db);

	if (signals_init() < 0) {
		fprintf(stderr, "atelier: cannot create a pipe: %s\n",
		    strerror(errno));
		goto out;
	}
	snprintf(label, sizeof label, "%s:%d", host, port);
	snprintf(hostport, sizeof hostport, strchr(host, ':') ? "[%s]:%d" :
	    "%s:%d", host, port);
	snprintf(cid, sizeof cid, "tui-%ld-%lld", (long)getpid(),
	    (long long)time(NULL));
	c.token = token;
	c.app = app_new(token, label, c.started, cid, send_frame, &c);
	app_set_fetch(c.app, fetch);
	app_tick(c.app, mono_ms());
	stdin_flags = fcntl(STDIN_FILENO, F_GETFL);
	if ((c.net = net_new(addr, port, hostport, &handlers, &c)) == NULL) {
		fprintf(stderr, "atelier: cannot start the event loop\n");
		goto out;
	}
	keys = dup(STDIN_FILENO);
	if (keys < 0 || net_watch(c.net, keys, TAG_KEYS) < 0 ||
	    net_watch(c.net, signal_pipe[0], TAG_SIGNALS) < 0) {
		fprintf(stderr, "atelier: cannot watch the keyboard\n");
		goto out;
	}
	/* the loop owns signal_pipe[0] now: it closes it at the end */
	if (view_open(c.app) < 0) {
		fprintf(stderr, "atelier: cannot use this terminal (TERM=%s)\n",
		    getenv("TERM") ? getenv("TERM") : "");
		goto out;
	}
	while (!c.app->quit && !c.stop) {
		app_tick(c.app, mono_ms());
		view_draw(c.app);
		if (net_service(c.net) < 0)
			break;
	}
	view_close();
	if (stdin_flags >= 0)
		fcntl(STDIN_FILENO, F_SETFL, stdin_flags);
	rc = 0;
out:
	net_free(c.net);
	app_free(c.app);
	if (c.started) {
		local_server_stop(&c.ls, 5000);
		fprintf(stderr, "atelier: stopped the local server\n");
		if (rc == 0 && c.ls.log != NULL)
			unlink(c.ls.log);
		else if (c.ls.log != NULL)
			fprintf(stderr, "atelier: its log is %s\n", c.ls.log);
	}
	local_free(&c.ls);
	free(host);
	free(addr);
	free(token);
	free(c.export_file);
	return rc;
}
