#!/bin/sh
# ab.sh - scenario 1's load (or any gen.mjs load) on several servers in
# turn, REPS rounds, one line each: CPU per delivery, p99, delivered, and the
# server's user and system CPU ticks over the whole run (/proc/PID/stat), and
# its user-mode CPU per delivery over the loaded window (what it does above
# the kernel; the summary gives those ratios too).
# For comparing two builds of atelierd in the same minutes: the machine's
# speed drifts between runs, so only alternated runs compare.
#
#   tests/bench/load/ab.sh new:build/server/atelierd old:/tmp/atelierd-old
#   REPS=3 tests/bench/load/ab.sh a:build/server/atelierd:normal peer:peer:normal
#
# A target is LABEL:BINARY[:SYNC]; BINARY "peer" runs peer/server.mjs, SYNC is
# full (default), normal, or for the peer also default (no pragma).
# GEN_ARGS: more gen.mjs options (default: its scenario 1, 30 s).
# PAIRS: the ratios to print at the end, as "a/b c/d" (default: every label
# against the first): for each, the ratio in every round (runs of the same
# round are minutes apart, so the machine's drift mostly cancels) and their
# median, beside the ratio of the medians.
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
const tc = d.taskClockUsPerDelivery !== undefined ? `  task-clock/delivery ${d.taskClockUsPerDelivery.toFixed(2)} us` : "";
console.log(`${process.argv[2].padEnd(12)} cpu/delivery ${d.cpuUsPerDelivery.toFixed(2)} us  p99 ${d.p99Ms.toFixed(2)} ms  delivered ${d.deliveredPct} %  utime ${u} stime ${s}  user/delivery ${(d.userCpuUsPerDelivery ?? NaN).toFixed(2)} us${tc}`);
' "$dir/gen.json" "$1" "$ticks" | tee -a "$dir/lines"
}

summary() {
	node -e '
const lines = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n");
const d = {};
for (const l of lines) {
  const m = l.match(/^(\S+)\s+cpu\/delivery ([\d.]+) us\s+p99 ([\d.]+) ms/);
  const u = l.match(/user\/delivery ([\d.]+) us/);
  const t = l.match(/task-clock\/delivery ([\d.]+) us/);
  if (m) (d[m[1]] = d[m[1]] || []).push({ cpu: +m[2], p99: +m[3], user: u ? +u[1] : NaN, task: t ? +t[1] : NaN });
}
const med = (a) => { const s = [...a].sort((x, y) => x - y); const n = s.length;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2; };
const labels = Object.keys(d);
console.log("\nmedians:");
for (const k of labels)
  console.log(`${k.padEnd(12)} cpu/delivery ${med(d[k].map((x) => x.cpu)).toFixed(2)} us  p99 ${med(d[k].map((x) => x.p99)).toFixed(2)} ms  (${d[k].length} runs)`);
const pairs = (process.argv[2] || labels.slice(1).map((k) => `${k}/${labels[0]}`).join(" ")).split(/\s+/).filter(Boolean);
// the per-round ratios of one figure for a pair, or null if a label is unknown
const perRound = (a, b, key) => {
  if (!d[a] || !d[b]) return null;
  const n = Math.min(d[a].length, d[b].length);
  return [...Array(n).keys()].map((i) => d[a][i][key] / d[b][i][key]);
};
// the line of a pair for one figure: per-round ratios, their median, and the
// ratio of the medians; null if a label is unknown
const ratioLine = (p, key) => {
  const [a, b] = p.split("/");
  const r = perRound(a, b, key);
  if (!r) return null;
  return `${p.padEnd(12)} per round ${r.map((x) => x.toFixed(3)).join(" ")}  median ${med(r).toFixed(3)}  ratio of medians ${(med(d[a].map((x) => x[key])) / med(d[b].map((x) => x[key]))).toFixed(3)}`;
};
console.log("ratios of CPU per delivery:");
for (const p of pairs) console.log(ratioLine(p, "cpu") ?? `${p}: no such label`);
if (Object.values(d).some((runs) => runs.some((x) => !Number.isNaN(x.task)))) {
  console.log("ratios of CPU per delivery by perf task-clock (GEN_ARGS=\"--perf true\"):");
  for (const p of pairs) {
    const l = ratioLine(p, "task");
    if (l) console.log(l);
  }
}
console.log("ratios of user-mode CPU per delivery (what each server does above the kernel):");
for (const p of pairs) {
  const r = perRound(...p.split("/"), "user");
  if (r) console.log(`${p.padEnd(12)} per round ${r.map((x) => x.toFixed(3)).join(" ")}  median ${med(r).toFixed(3)}`);
}
' "$dir/lines" "${PAIRS:-}"
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
summary
