#!/bin/sh
# ab.sh - scenario 1's load (or any gen.mjs load) on several servers in
# turn, REPS rounds, one line each: CPU per delivery, p99, delivered, and the
# server's user and system CPU ticks over the whole run (/proc/PID/stat).
# For comparing two builds of atelierd in the same minutes: the machine's
# speed drifts between runs, so only alternated runs compare.
#
#   tests/bench/load/ab.sh new:build/server/atelierd old:/tmp/atelierd-old
#   REPS=3 tests/bench/load/ab.sh a:build/server/atelierd:normal peer:peer:normal
#
# A target is LABEL:BINARY[:SYNC]; BINARY "peer" runs peer/server.mjs, SYNC is
# full (default), normal, or for the peer also default (no pragma).
# GEN_ARGS: more gen.mjs options (default: its scenario 1, 30 s).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
REPS=${REPS:-3}
PORT=${PORT:-18080}
dir=$(mktemp -d /tmp/atelier-ab.XXXXXX)
trap 'rm -rf "$dir"' EXIT
ulimit -n 20000 2>/dev/null || true
export ATELIER_TOKEN=bench-token
cd "$here"

run() {	# label binary sync
	rm -rf "$dir/db" && mkdir -p "$dir/db"
	if [ "$2" = peer ]; then
		node peer/server.mjs --port "$PORT" --db "$dir/db/p.db" \
		    --sync "$3" > "$dir/server.log" 2>&1 &
	else
		"$2" --port "$PORT" --db "$dir/db/a.db" --public-url \
		    "http://127.0.0.1:$PORT" --rate 0 --guess-limit 0 \
		    --synchronous "$3" > "$dir/server.log" 2>&1 &
	fi
	sp=$!
	sleep 1.5
	# shellcheck disable=SC2086
	node gen.mjs --port "$PORT" --pid "$sp" ${GEN_ARGS:-} > "$dir/gen.json" \
	    2> "$dir/gen.err" || { cat "$dir/gen.err" >&2; kill "$sp"; exit 1; }
	ticks=$(awk '{print $14, $15}' "/proc/$sp/stat")
	kill "$sp"
	wait "$sp" || true
	node -e '
const d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
const [u, s] = process.argv[3].split(" ");
console.log(`${process.argv[2].padEnd(12)} cpu/delivery ${d.cpuUsPerDelivery.toFixed(2)} us  p99 ${d.p99Ms.toFixed(2)} ms  delivered ${d.deliveredPct} %  utime ${u} stime ${s}`);
' "$dir/gen.json" "$1" "$ticks"
}

r=0
while [ "$r" -lt "$REPS" ]; do
	for t in "$@"; do
		label=${t%%:*}
		rest=${t#*:}
		bin=${rest%%:*}
		sync=full
		case $rest in *:*) sync=${rest#*:} ;; esac
		case $bin in peer | /*) ;; *) bin=$(cd "$here/../../.." && pwd)/$bin ;; esac
		run "$label" "$bin" "$sync"
	done
	r=$((r + 1))
done
