/*
 * local-server.c - find, probe, start and stop a local atelierd (see
 * local-server.h).
 */
#include "local-server.h"
#include "common/util.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Wait for events on fd until deadline: 1 ready, 0 timeout. */
static int
wait_fd(int fd, short events, int64_t deadline)
{
	struct pollfd p = { fd, events, 0 };
	int64_t left;
	int r;

	for (;;) {
		left = deadline - mono_ms();
		if (left <= 0)
			return 0;
		r = poll(&p, 1, (int)left);
		if (r > 0)
			return 1;
		if (r == 0)
			return 0;
		if (errno != EINTR)
			return 0;
	}
}

enum local_probe
local_server_probe(const char *address, int port, int timeout_ms)
{
	static const char req[] = "GET /healthz HTTP/1.1\r\nHost: atelier\r\n"
	    "Connection: close\r\n\r\n";
	int64_t deadline = mono_ms() + timeout_ms;
	struct sockaddr_storage ss;
	socklen_t sslen;
	char buf[256];
	size_t got = 0;
	enum local_probe res = PROBE_NOTHING;
	int fd, err;
	socklen_t errlen = sizeof err;
	ssize_t n;

	memset(&ss, 0, sizeof ss);
	if (inet_pton(AF_INET, address, &((struct sockaddr_in *)&ss)->
	    sin_addr) == 1) {
		((struct sockaddr_in *)&ss)->sin_family = AF_INET;
		((struct sockaddr_in *)&ss)->sin_port = htons((uint16_t)port);
		sslen = sizeof(struct sockaddr_in);
	} else if (inet_pton(AF_INET6, address, &((struct sockaddr_in6 *)&ss)->
	    sin6_addr) == 1) {
		((struct sockaddr_in6 *)&ss)->sin6_family = AF_INET6;
		((struct sockaddr_in6 *)&ss)->sin6_port =
		    htons((uint16_t)port);
		sslen = sizeof(struct sockaddr_in6);
	} else
		return PROBE_NOTHING;
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0);
	if (fd < 0)
		return PROBE_NOTHING;
	if (connect(fd, (struct sockaddr *)&ss, sslen) < 0 &&
	    errno != EINPROGRESS)
		goto out;
	if (!wait_fd(fd, POLLOUT, deadline)) {
		res = PROBE_OTHER;	/* not refused: only slow */
		goto out;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &errlen) < 0 ||
	    err != 0)
		goto out;
	res = PROBE_OTHER;		/* it listens: now, is it atelierd? */
	if (send(fd, req, sizeof req - 1, MSG_NOSIGNAL) !=
	    (ssize_t)(sizeof req - 1))
		goto out;
	while (got < sizeof buf - 1 && wait_fd(fd, POLLIN, deadline)) {
		n = recv(fd, buf + got, sizeof buf - 1 - got, 0);
		if (n <= 0)
			break;
		got += (size_t)n;
		buf[got] = '\0';
		if (strstr(buf, "\r\n") != NULL)
			break;
	}
	buf[got] = '\0';
	if (strncmp(buf, "HTTP/1.1 200", 12) == 0 ||
	    strncmp(buf, "HTTP/1.0 200", 12) == 0)
		res = PROBE_HEALTHY;
out:
	close(fd);
	return res;
}

int
local_server_is_loopback(const char *host)
{
	return strncmp(host, "127.", 4) == 0 ||
	    strcmp(host, "localhost") == 0 || strcmp(host, "::1") == 0;
}

static int
executable(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
	    access(path, X_OK) == 0;
}

char *
local_server_find(void)
{
	char self[PATH_MAX], path[PATH_MAX + 32], *dir, *p, *paths, *tok;
	ssize_t n;

	n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n > 0) {
		self[n] = '\0';
		if ((dir = strrchr(self, '/')) != NULL) {
			*dir = '\0';
			snprintf(path, sizeof path, "%s/../server/atelierd",
			    self);
			if (executable(path))
				return xstrdup(path);
			snprintf(path, sizeof path, "%s/atelierd", self);
			if (executable(path))
				return xstrdup(path);
		}
	}
	if ((p = getenv("PATH")) == NULL)
		return NULL;
	paths = xstrdup(p);
	for (tok = strtok(paths, ":"); tok != NULL; tok = strtok(NULL, ":")) {
		snprintf(path, sizeof path, "%s/atelierd", *tok ? tok : ".");
		if (executable(path)) {
			free(paths);
			return xstrdup(path);
		}
	}
	free(paths);
	return NULL;
}

int
local_server_start(struct local_server *s, char *err, size_t nerr)
{
	char port[16];
	pid_t parent = getpid(), pid;
	int fd, null;

	snprintf(port, sizeof port, "%d", s->port);
	fd = open(s->log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (fd < 0) {
		snprintf(err, nerr, "cannot write %s: %s", s->log,
		    strerror(errno));
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		snprintf(err, nerr, "cannot start atelierd: %s",
		    strerror(errno));
		close(fd);
		return -1;
	}
	if (pid == 0) {
		/* out of the terminal's signals; stopped by us, or if we die */
		setpgid(0, 0);
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (getppid() != parent)
			_exit(1);
		null = open("/dev/null", O_RDONLY);
		if (null >= 0)
			dup2(null, STDIN_FILENO);
		dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
		signal(SIGPIPE, SIG_DFL);
		execl(s->bin, s->bin, "--port", port, "--db", s->db,
		    (char *)NULL);
		dprintf(STDERR_FILENO, "atelier: cannot run %s: %s\n", s->bin,
		    strerror(errno));
		_exit(127);
	}
	close(fd);
	s->pid = pid;
	s->status = 0;
	return 0;
}

int
local_server_running(struct local_server *s)
{
	pid_t r;

	if (s->pid <= 0)
		return 0;
	r = waitpid(s->pid, &s->status, WNOHANG);
	if (r == 0)
		return 1;
	s->pid = 0;
	return 0;
}

int
local_server_wait(struct local_server *s, int timeout_ms, char *err,
    size_t nerr)
{
	int64_t deadline = mono_ms() + timeout_ms;
	struct timespec pause = { 0, 50 * 1000000L };
	char *tail;

	while (mono_ms() < deadline) {
		if (!local_server_running(s)) {
			tail = local_server_log_tail(s);
			snprintf(err, nerr, "atelierd stopped at start-up "
			    "(%s %d)%s%s", WIFSIGNALED(s->status) ? "signal" :
			    "exit status", WIFSIGNALED(s->status) ?
			    WTERMSIG(s->status) : WEXITSTATUS(s->status),
			    tail != NULL ? ": " : "", tail != NULL ? tail : "");
			free(tail);
			return -1;
		}
		if (local_server_probe("127.0.0.1", s->port, 500) ==
		    PROBE_HEALTHY)
			return 0;
		nanosleep(&pause, NULL);
	}
	snprintf(err, nerr, "atelierd did not answer on port %d within %d s",
	    s->port, timeout_ms / 1000);
	return -1;
}

void
local_server_stop(struct local_server *s, int timeout_ms)
{
	int64_t deadline = mono_ms() + timeout_ms;
	struct timespec pause = { 0, 20 * 1000000L };

	if (!local_server_running(s))
		return;
	kill(s->pid, SIGTERM);
	while (mono_ms() < deadline) {
		if (!local_server_running(s))
			return;
		nanosleep(&pause, NULL);
	}
	kill(s->pid, SIGKILL);
	waitpid(s->pid, &s->status, 0);
	s->pid = 0;
}

char *
local_server_token(const char *db)
{
	char path[PATH_MAX], buf[256];
	FILE *f;

	snprintf(path, sizeof path, "%s.token", db);
	if ((f = fopen(path, "r")) == NULL)
		return NULL;
	if (fgets(buf, sizeof buf, f) == NULL) {
		fclose(f);
		return NULL;
	}
	fclose(f);
	buf[strcspn(buf, "\r\n")] = '\0';
	return buf[0] != '\0' ? xstrdup(buf) : NULL;
}

char *
local_server_log_tail(const struct local_server *s)
{
	char buf[4096], *line, *end;
	ssize_t n;
	off_t size;
	int fd;

	if (s->log == NULL || (fd = open(s->log, O_RDONLY | O_CLOEXEC)) < 0)
		return NULL;
	size = lseek(fd, 0, SEEK_END);
	if (size > (off_t)sizeof buf - 1)
		lseek(fd, size - (off_t)sizeof buf + 1, SEEK_SET);
	else
		lseek(fd, 0, SEEK_SET);
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	end = buf + n;
	while (end > buf && (end[-1] == '\n' || end[-1] == '\r'))
		*--end = '\0';
	line = strrchr(buf, '\n');
	line = line != NULL ? line + 1 : buf;
	return *line != '\0' ? xstrdup(line) : NULL;
}
