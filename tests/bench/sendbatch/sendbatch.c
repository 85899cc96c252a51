/*
 * sendbatch.c - the kernel's cost of a small frame to many sockets: one
 * send() each, against one io_uring submission for all of them (with the
 * sockets registered as fixed files, as server/sendbatch.c does, and
 * without).  Loopback TCP, a child process reading every socket through
 * epoll like a phone's browser would.
 *
 * Each round writes one 320-byte frame to every connection, then waits
 * 250 ms: as in scenario 1 of the load benchmark, a connection gets a frame
 * after more than an RTO of silence, so the receiver acks it at once.
 * The three ways alternate, REPS times, so that the machine's drift
 * cancels; the figures are CPU microseconds per send, of this process
 * (its system calls, and the receiver's TCP work the kernel does in them)
 * by the kernel's runtime accounting (getrusage) and by perf's task-clock,
 * which disagree once io_uring is used (docs/BENCHMARKS.md), and of the
 * whole machine (/proc/stat), receiver included.
 *
 *   build/bench/bench-sendbatch [CONNS [ROUNDS [REPS]]]   (1000 20 5)
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/perf_event.h>
#include <liburing.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define FRAME 320
#define GAP_US 250000
#define WAYS 3

static const char *way_name[WAYS] = { "send() each", "io_uring, fixed files",
    "io_uring, plain fds" };

static int task_clock_fd = -1;

/* This process's time on a CPU by perf's clock (µs), or -1: the kernel's
 * runtime accounting (getrusage) reads lower than this with io_uring. */
static double
task_clock_us(void)
{
	unsigned long long ns;

	if (task_clock_fd < 0 ||
	    read(task_clock_fd, &ns, sizeof ns) != (ssize_t)sizeof ns)
		return -1;
	return (double)ns / 1e3;
}

static void
task_clock_open(void)
{
	struct perf_event_attr a;

	memset(&a, 0, sizeof a);
	a.type = PERF_TYPE_SOFTWARE;
	a.size = sizeof a;
	a.config = PERF_COUNT_SW_TASK_CLOCK;
	task_clock_fd = (int)syscall(SYS_perf_event_open, &a, 0, -1, -1, 0);
}

static double
self_cpu_us(void)
{
	struct rusage r;

	getrusage(RUSAGE_SELF, &r);
	return (r.ru_utime.tv_sec + r.ru_stime.tv_sec) * 1e6 +
	    r.ru_utime.tv_usec + r.ru_stime.tv_usec;
}

/* Busy CPU time of the whole machine, in µs (user, nice, system, irq,
 * softirq). */
static double
machine_cpu_us(void)
{
	unsigned long long u = 0, n = 0, s = 0, idle = 0, io = 0, irq = 0,
	    sirq = 0;
	FILE *f = fopen("/proc/stat", "r");

	if (f == NULL)
		return 0;
	if (fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu", &u, &n, &s,
	    &idle, &io, &irq, &sirq) != 7)
		u = n = s = irq = sirq = 0;
	fclose(f);
	return (double)(u + n + s + irq + sirq) * 1e6 /
	    (double)sysconf(_SC_CLK_TCK);
}

/* The child: connect conns sockets to addr, read everything until EOF. */
static void
reader(const struct sockaddr_in *addr, int conns)
{
	struct epoll_event ev[256], e;
	static char buf[65536];
	int ep = epoll_create1(0), i, n, s;

	for (i = 0; i < conns; i++) {
		s = socket(AF_INET, SOCK_STREAM, 0);
		if (s < 0 || connect(s, (const void *)addr, sizeof *addr) < 0) {
			perror("bench-sendbatch: connect");
			_exit(1);
		}
		fcntl(s, F_SETFL, O_NONBLOCK);
		e.events = EPOLLIN;
		e.data.fd = s;
		epoll_ctl(ep, EPOLL_CTL_ADD, s, &e);
	}
	for (;;) {
		n = epoll_wait(ep, ev, 256, -1);
		for (i = 0; i < n; i++)
			if (read(ev[i].data.fd, buf, sizeof buf) == 0)
				_exit(0);
	}
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* One frame to every connection, the way w; the sends that fell short. */
static long
send_round(int w, struct io_uring *ring, const int *fd, int conns,
    const unsigned char *frame)
{
	struct io_uring_cqe *cqe;
	struct io_uring_sqe *sqe;
	unsigned head, seen = 0;
	long bad = 0;
	int i;

	if (w == 0) {
		for (i = 0; i < conns; i++)
			if (send(fd[i], frame, FRAME, MSG_NOSIGNAL |
			    MSG_DONTWAIT) != FRAME)
				bad++;
		return bad;
	}
	for (i = 0; i < conns; i++) {
		sqe = io_uring_get_sqe(ring);
		io_uring_prep_send(sqe, w == 1 ? i : fd[i], frame, FRAME,
		    MSG_NOSIGNAL | MSG_DONTWAIT);
		if (w == 1)
			sqe->flags |= IOSQE_FIXED_FILE;
	}
	io_uring_submit_and_wait(ring, (unsigned)conns);
	io_uring_for_each_cqe(ring, head, cqe) {
		if (cqe->res != FRAME)
			bad++;
		seen++;
	}
	io_uring_cq_advance(ring, seen);
	return bad + conns - (long)seen;
}

int
main(int argc, char **argv)
{
	int conns = argc > 1 ? atoi(argv[1]) : 1000;
	int rounds = argc > 2 ? atoi(argv[2]) : 20;
	int reps = argc > 3 ? atoi(argv[3]) : 5;
	struct sockaddr_in addr;
	socklen_t alen = sizeof addr;
	struct io_uring ring;
	unsigned char frame[FRAME];
	double *self[WAYS], *mach[WAYS], *tclk[WAYS];
	int ls, one = 1, *fd, i, r, rep, w, rc;
	long short_sends = 0;
	pid_t child;

	if (conns < 1 || rounds < 1 || reps < 1) {
		fprintf(stderr, "usage: bench-sendbatch [CONNS [ROUNDS "
		    "[REPS]]]\n");
		return 2;
	}
	memset(&addr, 0, sizeof addr);
	addr.sin_family = AF_INET;
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ls = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(ls, (void *)&addr, sizeof addr) < 0 || listen(ls, 4096) < 0 ||
	    getsockname(ls, (void *)&addr, &alen) < 0) {
		perror("bench-sendbatch: listen");
		return 1;
	}
	if ((child = fork()) == 0)
		reader(&addr, conns);
	fd = calloc((size_t)conns, sizeof *fd);
	for (i = 0; i < conns; i++) {
		if ((fd[i] = accept(ls, NULL, NULL)) < 0) {
			perror("bench-sendbatch: accept");
			return 1;
		}
		fcntl(fd[i], F_SETFL, O_NONBLOCK);
		setsockopt(fd[i], IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	}
	if ((rc = io_uring_queue_init((unsigned)conns, &ring, 0)) < 0 ||
	    (rc = io_uring_register_files(&ring, fd, (unsigned)conns)) < 0) {
		fprintf(stderr, "bench-sendbatch: io_uring: %s\n",
		    strerror(-rc));
		return 1;
	}
	memset(frame, 'x', sizeof frame);
	frame[0] = 0x81;	/* a text frame's header, as atelierd's */
	frame[1] = 126;
	for (w = 0; w < WAYS; w++) {
		self[w] = calloc((size_t)reps, sizeof **self);
		mach[w] = calloc((size_t)reps, sizeof **mach);
		tclk[w] = calloc((size_t)reps, sizeof **tclk);
	}
	task_clock_open();	/* after the fork: this process alone */
	printf("%d connections, %d rounds of one %d-byte frame each, %d "
	    "repetitions; CPU µs per send\n", conns, rounds, FRAME, reps);
	for (rep = 0; rep < reps; rep++)
		for (w = 0; w < WAYS; w++) {
			double c0 = self_cpu_us(), m0 = machine_cpu_us();
			double t0 = task_clock_us();
			double k = rounds * (double)conns;

			for (r = 0; r < rounds; r++) {
				short_sends += send_round(w, &ring, fd, conns,
				    frame);
				usleep(GAP_US);
			}
			self[w][rep] = (self_cpu_us() - c0) / k;
			mach[w][rep] = (machine_cpu_us() - m0) / k;
			tclk[w][rep] = t0 < 0 ? -1 : (task_clock_us() - t0) / k;
			printf("  %-22s this process %5.2f   task-clock %5.2f   "
			    "machine %5.2f\n", way_name[w], self[w][rep],
			    tclk[w][rep], mach[w][rep]);
			fflush(stdout);
		}
	printf("medians:\n");
	for (w = 0; w < WAYS; w++)
		printf("  %-22s this process %5.2f   task-clock %5.2f   "
		    "machine %5.2f\n", way_name[w], median(self[w], reps),
		    median(tclk[w], reps), median(mach[w], reps));
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	if (short_sends > 0) {
		fprintf(stderr, "bench-sendbatch: %ld sends were short\n",
		    short_sends);
		return 1;
	}
	return 0;
}
