/*
 * local-server.h - the atelierd the console may run itself, so that one
 * command runs a whole workshop: is a server answering (GET /healthz),
 * where is atelierd, start it with its output in a log file, notice that
 * it stopped, stop it, read its token file.  Plain POSIX: sockets with
 * timeouts, fork and exec.  Used before the event loop starts (bounded
 * waits, said on stderr) and from the loop's one-second tick (never
 * blocking).
 */
#ifndef ATELIER_TUI_LOCAL_SERVER_H
#define ATELIER_TUI_LOCAL_SERVER_H

#include <stddef.h>
#include <sys/types.h>

struct local_server {
	pid_t pid;		/* 0: not running */
	char *bin;		/* atelierd */
	char *db;		/* --db */
	char *log;		/* its stdout and stderr */
	int port;		/* --port */
	int status;		/* wait status once it exited */
};

/* What GET /healthz found (local_server_probe()). */
enum local_probe {
	PROBE_NOTHING = 0,	/* nothing listens there (or no such address) */
	PROBE_HEALTHY,		/* 200 */
	PROBE_OTHER		/* something listens, but no 200 in time */
};

/* GET /healthz at address:port (numeric), within timeout_ms. */
enum local_probe local_server_probe(const char *address, int port,
    int timeout_ms);

/* 1 if host names this machine's loopback (127.x, localhost, ::1). */
int local_server_is_loopback(const char *host);

/*
 * The atelierd to start: ../server/atelierd beside the console's own
 * executable (the build tree), else the first in $PATH.  A new string, or
 * NULL if there is none.
 */
char *local_server_find(void);

/*
 * Start s->bin --port s->port --db s->db in its own process group, its
 * output appended to s->log; it gets SIGTERM if the console dies.
 * 0, or -1 with a message in err.
 */
int local_server_start(struct local_server *s, char *err, size_t nerr);

/*
 * Wait until the server answers /healthz (0), exits or timeout_ms pass
 * (-1 with a message in err).
 */
int local_server_wait(struct local_server *s, int timeout_ms, char *err,
    size_t nerr);

/* 1 while it runs; 0 once it exited (s->status says how; reaped). */
int local_server_running(struct local_server *s);

/* SIGTERM, up to timeout_ms to exit, then SIGKILL.  No-op if not running. */
void local_server_stop(struct local_server *s, int timeout_ms);

/* The first line of DB.token (caller frees), or NULL. */
char *local_server_token(const char *db);

/* The last line of the log (caller frees), or NULL. */
char *local_server_log_tail(const struct local_server *s);

#endif
