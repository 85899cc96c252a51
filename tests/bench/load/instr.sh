#!/bin/sh
# instr.sh - atelierd's user-space instructions per note added, under a small
# scenario-1 load (5 sessions of 40, 4 notes/s each, 20 s), counted by
# valgrind's callgrind.  Unlike CPU time, an instruction count does not drift
# with the machine, so a change of a few percent in user space shows at once;
# what it cannot see is the kernel (the `send`s, the fsync) and cache misses.
#
#   tests/bench/load/instr.sh build/server/atelierd /tmp/atelierd-old
#
# For each binary: the instructions counted while the writers run (counting
# starts once everyone is connected and stops before anyone leaves), the
# note.add requests handled in that time, and the ratio.  Needs valgrind.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
PORT=${PORT:-18090}
command -v valgrind >/dev/null || { echo "instr.sh: needs valgrind" >&2; exit 1; }
dir=$(mktemp -d /tmp/atelier-instr.XXXXXX)
trap 'rm -rf "$dir"' EXIT
export ATELIER_TOKEN=bench-token
orig=$(pwd)
cd "$here"

for bin in "$@"; do
	case $bin in /*) ;; *) bin=$orig/$bin ;; esac
	rm -rf "$dir/db" && mkdir -p "$dir/db"
	valgrind --tool=callgrind --instr-atstart=no \
	    --callgrind-out-file="$dir/cg.out" "$bin" --port "$PORT" \
	    --db "$dir/db/a.db" --public-url "http://127.0.0.1:$PORT" \
	    --rate 0 --guess-limit 0 --synchronous full > "$dir/server.log" 2>&1 &
	sp=$!
	sleep 4
	# 200 participants connect and settle for 6 s; the writers then run
	# 20 s: count from the 9th second to the 25th
	node gen.mjs --port "$PORT" --pid "$sp" --sessions 5 --participants 40 \
	    --rate 4 --duration 20 --settle 6 > "$dir/gen.json" 2> "$dir/gen.err" &
	gp=$!
	sleep 9
	callgrind_control -i on "$sp" > /dev/null 2>&1
	sleep 16
	callgrind_control -i off "$sp" > /dev/null 2>&1
	wait "$gp" || { cat "$dir/gen.err" >&2; kill "$sp"; exit 1; }
	kill "$sp"
	wait "$sp" || true
	callgrind_annotate --inclusive=yes --tree=caller "$dir/cg.out" \
	    > "$dir/ann.txt" 2> /dev/null
	total=$(awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1; exit }' \
	    "$dir/ann.txt")
	# the caller line just above op_note_add's own line: "< ... (Nx)"
	adds=$(grep -B1 '\*  .*dispatch\.c:op_note_add ' "$dir/ann.txt" |
	    sed -nE '1s/.*\(([0-9,]+)x\).*/\1/p' | tr -d ,)
	if [ -z "$adds" ] || [ "$adds" -eq 0 ]; then
		echo "instr.sh: no note.add counted" >&2
		exit 1
	fi
	# INSTR_KEEP=PREFIX keeps each profile as PREFIX.N.cg (for callgrind_annotate)
	n=$((${n:-0} + 1))
	[ -z "${INSTR_KEEP:-}" ] || cp "$dir/cg.out" "$INSTR_KEEP.$n.cg"
	echo "$bin: $total instructions, $adds note.add, $((total / adds)) per note"
done
