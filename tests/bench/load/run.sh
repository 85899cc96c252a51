#!/bin/sh
# run.sh - the load benchmark of docs/BENCHMARKS.md: atelierd against the
# Node.js peer (peer/server.mjs), same generator, runs interleaved, medians,
# markdown tables on standard output (progress on standard error).
#
#   tests/bench/load/run.sh            # every scenario, full size (about 40 min)
#   tests/bench/load/run.sh --quick    # every scenario, scaled down (about 8 min)
#   tests/bench/load/run.sh --only 1,3 --reps 3
#
# ATELIER_BIN: the atelierd to measure (default build/server/atelierd).
# BENCH_DIR: where databases and results.json go (default /tmp/atelier-bench).
# Only loopback addresses are used: the server listens on 127.0.0.1 and the
# generator connects from 127.0.0.2-127.0.0.5.
set -eu

# BENCH_NICE=-10: run everything in a session (autogroup) of its own at that
# priority, so that other work on a shared machine disturbs less.  With the
# kernel's autogroups (sched_autogroup_enabled=1), `nice` alone only ranks
# processes within their own session.
if [ -n "${BENCH_NICE:-}" ] && [ -z "${BENCH_NICED:-}" ]; then
	BENCH_NICED=1
	export BENCH_NICE BENCH_NICED
	exec setsid -w sh -c 'echo "$BENCH_NICE" > /proc/self/autogroup 2>/dev/null ||
	    echo "run.sh: cannot set the autogroup priority" >&2
	    exec nice -n "$BENCH_NICE" "$0" "$@"' "$0" "$@"
fi

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
: "${ATELIER_BIN:=$root/build/server/atelierd}"
: "${BENCH_DIR:=/tmp/atelier-bench}"
export ATELIER_BIN BENCH_DIR

if [ ! -x "$ATELIER_BIN" ]; then
	echo "run.sh: no atelierd at $ATELIER_BIN (build it, or set ATELIER_BIN)" >&2
	exit 1
fi
command -v node >/dev/null || { echo "run.sh: node not found" >&2; exit 1; }

# 19,000 connections in one process: the most this machine allows is 20,000.
ulimit -n 20000 2>/dev/null || ulimit -n "$(ulimit -Hn)"
if [ "$(ulimit -n)" -lt 20000 ]; then
	echo "run.sh: warning: open files limited to $(ulimit -n)" >&2
fi

cd "$here"
if [ ! -d node_modules/ws ] || [ ! -d node_modules/better-sqlite3 ]; then
	echo "run.sh: installing ws and better-sqlite3 (npm ci)" >&2
	npm ci --no-audit --no-fund >&2
fi

mkdir -p "$BENCH_DIR"

exec node "$here/bench.mjs" "$@"
