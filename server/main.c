/*
 * main.c - atelierd: options, the facilitator token, start-up replay of the
 * event log, and the single-threaded libwebsockets event loop (libev).
 */
#include "server.h"
#include "store.h"
#include "../common/util.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * Open files atelierd asks for: a conference of 1,000 phones needs more
 * than a desktop session's usual soft limit (1,024), and the benchmarks
 * hold 19,000 connections.  Not the hard limit itself, which is often
 * 524,288 or more: libwebsockets walks a table of that many entries at
 * every close (about 6 instructions each).
 */
#define WANT_OPEN_FILES 20000
#define FEW_OPEN_FILES 1100	/* below: a warning, not 1,000 participants */

static volatile sig_atomic_t interrupted;
static struct lws_context *context;

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: atelierd [--port N] [--db PATH] [--public-url URL] "
	    "[--rate N] [--evlib ev|poll]\n"
	    "                [--synchronous full|normal] [--history-idle S] "
	    "[-v]\n"
	    "  --port N         HTTP and WebSocket port (default 8080)\n"
	    "  --db PATH        SQLite database (default ./atelier.db)\n"
	    "  --public-url URL address put in join links (default: the first\n"
	    "                   non-loopback IPv4 address of this machine)\n"
	    "  --rate N         requests per second a participant may send\n"
	    "                   (default 20, bursts of twice that)\n"
	    "  --evlib ev|poll  event loop (default ev: libev)\n"
	    "  --guess-limit N  wrong codes or tokens one address may try per\n"
	    "                   minute before it must wait (default 30; 0: off)\n"
	    "  --synchronous full|normal\n"
	    "                   full (default): every acknowledged change is on\n"
	    "                   disk, even after a power cut; normal: no fsync\n"
	    "                   per commit, a power cut may lose the last ones\n"
	    "                   (a crash of atelierd alone loses nothing)\n"
	    "  --history-idle S a session nobody has followed for S seconds\n"
	    "                   gives its history's memory back; it is read\n"
	    "                   from the database again when needed\n"
	    "                   (default 600; 0: keep it until exit)\n"
	    "  --no-io-uring    one send() per frame, even where io_uring\n"
	    "                   could send an event to everyone in one call\n"
	    "The facilitator token is $ATELIER_TOKEN, else the file PATH.token\n"
	    "beside the database (created on first start, mode 0600).\n");
}

static void
random_bytes(void *buf, size_t n)
{
	unsigned char *p = buf;
	ssize_t got;

	while (n > 0) {
		got = getrandom(p, n, 0);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			perror("atelierd: getrandom");
			abort();
		}
		p += got;
		n -= (size_t)got;
	}
}

/* The token from the environment, or from (or into) PATH.token. */
static char *
load_token(const char *db_path)
{
	const char *env = getenv("ATELIER_TOKEN");
	char path[4096], buf[128];
	unsigned char raw[24];
	size_t i;
	FILE *f;
	int fd;

	if (env != NULL && env[0] != '\0')
		return xstrdup(env);
	snprintf(path, sizeof path, "%s.token", db_path);
	if ((f = fopen(path, "r")) != NULL) {
		if (fgets(buf, sizeof buf, f) != NULL) {
			buf[strcspn(buf, "\r\n")] = '\0';
			fclose(f);
			if (buf[0] != '\0') {
				printf("atelierd: facilitator token in %s\n",
				    path);
				return xstrdup(buf);
			}
		} else
			fclose(f);
	}
	random_bytes(raw, sizeof raw);
	for (i = 0; i < sizeof raw; i++)
		snprintf(buf + 2 * i, 3, "%02x", raw[i]);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || dprintf(fd, "%s\n", buf) < 0 || fsync(fd) < 0) {
		fprintf(stderr, "atelierd: cannot write %s: %s\n", path,
		    strerror(errno));
		exit(1);
	}
	fchmod(fd, 0600);
	close(fd);
	printf("atelierd: new facilitator token written to %s\n", path);
	return xstrdup(buf);
}

/* http://FIRST-NON-LOOPBACK-IPV4:PORT, or http://127.0.0.1:PORT. */
static char *
default_public_url(int port)
{
	struct ifaddrs *ifa, *i;
	char addr[INET_ADDRSTRLEN] = "127.0.0.1", url[128];

	if (getifaddrs(&ifa) == 0) {
		for (i = ifa; i != NULL; i = i->ifa_next) {
			struct sockaddr_in *sin;

			if (i->ifa_addr == NULL ||
			    i->ifa_addr->sa_family != AF_INET ||
			    (i->ifa_flags & IFF_LOOPBACK) ||
			    !(i->ifa_flags & IFF_UP))
				continue;
			sin = (struct sockaddr_in *)i->ifa_addr;
			inet_ntop(AF_INET, &sin->sin_addr, addr, sizeof addr);
			break;
		}
		freeifaddrs(ifa);
	}
	snprintf(url, sizeof url, "http://%s:%d", addr, port);
	return xstrdup(url);
}

static int serve(int argc, char **argv);

static void
on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

/* libev's own SIGINT watcher calls this. */
static void
on_evlib_signal(void *handle, int sig)
{
	(void)handle;
	(void)sig;
	interrupted = 1;
}

/*
 * The event library owns the loop, so a signal handler cannot stop it:
 * this timer looks at the flag a few times a second and winds down.
 */
static lws_sorted_usec_list_t stop_sul;

static void
stop_check(lws_sorted_usec_list_t *sul)
{
	if (!interrupted) {
		lws_sul_schedule(context, 0, sul, stop_check, 100 * LWS_US_PER_MS);
		return;
	}
	dispatch_shutdown();
	lws_context_destroy(context);
}

int
main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "export") == 0)
		return admin_export(argc - 1, argv + 1);
	if (argc > 1 && strcmp(argv[1], "import") == 0)
		return admin_import(argc - 1, argv + 1);
	return serve(argc, argv);
}

/*
 * Raise the soft limit on open files toward WANT_OPEN_FILES, as far as the
 * hard limit allows; never lower it.  Says what it did on standard output,
 * and warns when fewer than about 1,000 participants could connect.
 */
static void
raise_open_files(void)
{
	struct rlimit rl;
	rlim_t was, want = WANT_OPEN_FILES;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return;
	was = rl.rlim_cur;
	if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < want)
		want = rl.rlim_max;
	if (was == RLIM_INFINITY || was >= want)
		want = was;
	else {
		rl.rlim_cur = want;
		if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
			want = was;
		else
			printf("atelierd: open files limit raised from %llu to "
			    "%llu\n", (unsigned long long)was,
			    (unsigned long long)want);
	}
	if (want != RLIM_INFINITY && want < FEW_OPEN_FILES)
		fprintf(stderr, "atelierd: warning: at most %llu open files, so "
		    "fewer than %llu phones at once; raise the hard limit "
		    "(ulimit -Hn, or LimitNOFILE= for a service)\n",
		    (unsigned long long)want,
		    (unsigned long long)(want > 100 ? want - 100 : 0));
}

static int
serve(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "port", required_argument, NULL, 'p' },
		{ "db", required_argument, NULL, 'd' },
		{ "public-url", required_argument, NULL, 'u' },
		{ "rate", required_argument, NULL, 'r' },
		{ "evlib", required_argument, NULL, 'e' },
		{ "guess-limit", required_argument, NULL, 'g' },
		{ "synchronous", required_argument, NULL, 's' },
		{ "history-idle", required_argument, NULL, 'i' },
		{ "no-io-uring", no_argument, NULL, 'U' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct server_config cfg = { 8080, "atelier.db", NULL, NULL, 20, 0, 30,
	    600 };
	struct lws_context_creation_info info;
	const char *evlib = "ev", *sync = "full";
	char *url = NULL, *token, *err = NULL;
	const char *offset;
	int lock;
	struct store *store;
	struct core *core;
	int ch, n = 0, logs = LLL_ERR | LLL_WARN | LLL_USER, uring = 1;
	size_t i;

	while ((ch = getopt_long(argc, argv, "p:d:u:r:e:g:s:i:vh", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'p':
			cfg.port = atoi(optarg);
			if (cfg.port <= 0 || cfg.port > 65535) {
				fprintf(stderr, "atelierd: bad port %s\n",
				    optarg);
				return 2;
			}
			break;
		case 'd':
			cfg.db_path = optarg;
			break;
		case 'u':
			free(url);
			url = xstrdup(optarg);
			for (i = strlen(url); i > 0 && url[i - 1] == '/'; i--)
				url[i - 1] = '\0';
			break;
		case 'r':
			cfg.rate = atof(optarg);
			break;
		case 'e':
			evlib = optarg;
			break;
		case 'U':
			uring = 0;
			break;
		case 'g':
			cfg.guess_limit = atoi(optarg);
			break;
		case 's':
			if (strcmp(optarg, "full") != 0 &&
			    strcmp(optarg, "normal") != 0) {
				fprintf(stderr, "atelierd: --synchronous is full "
				    "or normal, not %s\n", optarg);
				return 2;
			}
			sync = optarg;
			break;
		case 'i':
			cfg.history_idle_s = atoi(optarg);
			if (cfg.history_idle_s < 0 || !isdigit(
			    (unsigned char)optarg[0])) {
				fprintf(stderr, "atelierd: --history-idle is a "
				    "number of seconds, not %s\n", optarg);
				return 2;
			}
			break;
		case 'v':
			logs |= LLL_NOTICE;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	lws_set_log_level(logs, NULL);
	if (url == NULL)
		url = default_public_url(cfg.port);
	cfg.public_url = url;
	if ((lock = db_lock(cfg.db_path)) == -2) {
		fprintf(stderr, "atelierd: %s is already used by another "
		    "atelierd\n", cfg.db_path);
		return 1;
	}
	if ((offset = getenv("ATELIER_CLOCK_OFFSET_MS")) != NULL)
		cfg.clock_offset_ms = atoll(offset);
	token = load_token(cfg.db_path);
	cfg.token = token;

	if ((store = store_open(cfg.db_path, &err)) == NULL) {
		fprintf(stderr, "atelierd: cannot open database %s\n", err);
		return 1;
	}
	if (strcmp(sync, "normal") == 0 && store_set_synchronous(store, 0) < 0) {
		fprintf(stderr, "atelierd: %s\n", store_error(store));
		return 1;
	}
	core = core_new(cfg.public_url, random_bytes);
	dispatch_init(NULL, &cfg, core, store);
	if (store_replay(store, dispatch_replay_event, NULL) != 0) {
		fprintf(stderr, "atelierd: cannot load %s: %s\n", cfg.db_path,
		    store_error(store));
		return 1;
	}

	raise_open_files();	/* before lws sizes its tables on the limit */
	memset(&info, 0, sizeof info);
	info.port = cfg.port;
	info.protocols = transport_protocols;
	info.options = LWS_SERVER_OPTION_HTTP_HEADERS_SECURITY_BEST_PRACTICES_ENFORCE;
	if (strcmp(evlib, "ev") == 0)
		info.options |= LWS_SERVER_OPTION_LIBEV;
	else if (strcmp(evlib, "poll") != 0) {
		fprintf(stderr, "atelierd: unknown --evlib %s\n", evlib);
		return 2;
	}
	info.fd_limit_per_thread = 0;
	info.timeout_secs = 30;
	info.signal_cb = on_evlib_signal;
	signal(SIGPIPE, SIG_IGN);
	/* over a file-size limit, let the write fail: we stop cleanly then */
	signal(SIGXFSZ, SIG_IGN);
	context = lws_create_context(&info);
	if (context == NULL) {
		fprintf(stderr, "atelierd: cannot start the server on port %d\n",
		    cfg.port);
		return 1;
	}
	if (uring)	/* otherwise, or if it is not there: send() */
		(void)sendbatch_init();
	dispatch_start(context);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	lws_sul_schedule(context, 0, &stop_sul, stop_check, 100 * LWS_US_PER_MS);
	printf("atelierd: listening on port %d (database %s, synchronous=%s, "
	    "event loop %s, sends %s)\n", cfg.port, cfg.db_path, sync, evlib,
	    sendbatch_ready() ? "io_uring" : "send()");
	printf("atelierd: join links: %s/j/CODE\n", cfg.public_url);

	while (n >= 0 && !interrupted)
		n = lws_service(context, 0);

	if (!interrupted)
		dispatch_shutdown();
	lws_context_destroy(context);
	sendbatch_free();	/* after every connection let go of its slot */
	dispatch_free();
	store_close(store);
	core_free(core);
	free(token);
	free(url);
	if (lock >= 0)
		close(lock);
	printf("atelierd: stopped\n");
	return 0;
}
