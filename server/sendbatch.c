/*
 * sendbatch.c - many non-blocking sends in one system call (io_uring).
 *
 * An event for a session of 100 goes to 100 sockets.  One send() each
 * costs a system call each; one io_uring submission carries them all.
 * The kernel's TCP work is the same.  Measured (docs/BENCHMARKS.md):
 * 12 % less CPU per send to 1,000 loopback sockets by perf's task-clock
 * (bench-sendbatch), about 5 % less per delivery in scenario 1.  Sockets
 * registered as fixed files measured no better, and a registered socket
 * outlives its close until unregistered: plain fds it is.
 *
 * The owner of the ring.  Every send is non-blocking (the sockets are
 * O_NONBLOCK, so io_uring answers -EAGAIN instead of waiting), and
 * sendbatch() returns only once every result is in: the caller's buffers
 * are free again and nothing is left in flight.  Where io_uring is not
 * there (an old kernel, a container that forbids it, valgrind) or is
 * turned off, sendbatch_ready() is 0 and the transport uses send().
 */
#include "server.h"

#include <errno.h>
#include <liburing.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#define RING_ENTRIES 1024	/* sends per submission */

static struct io_uring ring;
static int ready;		/* the ring is up */

int
sendbatch_init(void)
{
	struct io_uring_probe *probe;
	int rc;

	if (ready)
		return 0;
	rc = io_uring_queue_init(RING_ENTRIES, &ring, 0);
	if (rc < 0) {
		fprintf(stderr, "atelierd: io_uring unavailable (%s): one "
		    "send() per frame\n", strerror(-rc));
		return -1;
	}
	probe = io_uring_get_probe_ring(&ring);
	if (probe == NULL ||
	    !io_uring_opcode_supported(probe, IORING_OP_SEND)) {
		fprintf(stderr, "atelierd: io_uring cannot send here (a kernel "
		    "before 5.6): one send() per frame\n");
		if (probe != NULL)
			io_uring_free_probe(probe);
		io_uring_queue_exit(&ring);
		return -1;
	}
	io_uring_free_probe(probe);
	ready = 1;
	return 0;
}

void
sendbatch_free(void)
{
	if (!ready)
		return;
	io_uring_queue_exit(&ring);
	ready = 0;
}

int
sendbatch_ready(void)
{
	return ready;
}

/* Send r[0..n) (n <= RING_ENTRIES), wait for all; 0 or -errno. */
static int
run(struct send_req *r, size_t n)
{
	struct io_uring_cqe *cqe;
	struct io_uring_sqe *sqe;
	size_t i, got = 0;
	unsigned head, seen;
	int rc;

	for (i = 0; i < n; i++) {
		sqe = io_uring_get_sqe(&ring);	/* n fit: the ring is empty */
		io_uring_prep_send(sqe, r[i].fd, r[i].p, r[i].len,
		    MSG_NOSIGNAL | MSG_DONTWAIT);
		io_uring_sqe_set_data64(sqe, i);
	}
	rc = io_uring_submit_and_wait(&ring, (unsigned)n);
	while (got < n) {
		if (rc < 0 && rc != -EINTR && rc != -EAGAIN && rc != -EBUSY)
			break;
		seen = 0;
		io_uring_for_each_cqe(&ring, head, cqe) {
			uint64_t k = io_uring_cqe_get_data64(cqe);

			if (k < n)
				r[k].res = cqe->res;
			seen++;
		}
		io_uring_cq_advance(&ring, seen);
		got += seen;
		if (got < n)
			rc = io_uring_wait_cqe_nr(&ring, &cqe,
			    (unsigned)(n - got));
	}
	/* not expected: the ring would be left with sends in flight */
	return got < n ? (rc < 0 ? rc : -EIO) : 0;
}

int
sendbatch(struct send_req *r, size_t n)
{
	size_t i, m;
	int rc;

	if (!ready)
		return -ENOSYS;
	for (i = 0; i < n; i++)
		r[i].res = -EINPROGRESS;	/* until its result is in */
	for (i = 0; i < n; i += m) {
		m = n - i < RING_ENTRIES ? n - i : RING_ENTRIES;
		if ((rc = run(r + i, m)) < 0) {
			fprintf(stderr, "atelierd: io_uring: %s: back to "
			    "send()\n", strerror(-rc));
			sendbatch_free();
			return rc;
		}
	}
	return 0;
}
