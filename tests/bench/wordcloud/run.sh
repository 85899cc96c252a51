#!/bin/sh
# run.sh - the word-cloud benchmark: our core (bench-wordcloud) and d3-cloud
# (d3cloud.mjs, in Node) on the same words, sizes and 800x600 canvas, in
# one run; prints the machine and a markdown table.  Builds nothing.
#
# usage: tests/bench/wordcloud/run.sh BUILD/bench/bench-wordcloud [DATA_DIR]
#
# DATA_DIR defaults to ../shared/data beside the repository.  The Node
# side needs `npm ci` once in tests/bench/wordcloud.  REPEAT (default 20)
# sets the runs per C figure; D3_REPEAT (default 5) per d3-cloud figure.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
bin=${1:?usage: run.sh BUILD/bench/bench-wordcloud [DATA_DIR]}
data=$(cd "${2:-$here/../../../../shared/data}" && pwd)
repeat=${REPEAT:-20}
d3_repeat=${D3_REPEAT:-5}

if [ ! -d "$here/node_modules/d3-cloud" ]; then
	echo "run.sh: run 'npm ci' in $here first" >&2
	exit 1
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

"$bin" -d "$data" -o "$out" -r "$repeat" >"$out/c.txt"
sizes=$(sed -n 's/^layout n=\([0-9]*\) .*/\1/p' "$out/c.txt")
files=
for n in $sizes; do
	files="$files $out/words-$n.tsv"
done
# shellcheck disable=SC2086
node "$here/d3cloud.mjs" --repeat "$d3_repeat" --ours "$out" $files >"$out/d3.txt"

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
echo "Machine: $(nproc) cores, ${cpu:-unknown CPU}, $(uname -sr), node $(node --version)"
echo "Command: $0 $bin $data (REPEAT=$repeat, D3_REPEAT=$d3_repeat)"
echo

# field NAME LINE: the value of NAME=... in LINE
field() {
	echo "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"
}

echo "Applying one word (norm_key + wordcloud_add), mean over every word of the file (fastest of REPEAT passes):"
echo
echo "| file | language | words | no key | entries | normalise (µs) | add (µs) | total (µs) |"
echo "|---|---|---:|---:|---:|---:|---:|---:|"
grep '^apply ' "$out/c.txt" | while read -r line; do
	echo "| $(field file "$line") | $(field lang "$line") |" \
	    "$(field words "$line") | $(field rejected "$line") |" \
	    "$(field entries "$line") | $(field us_norm "$line") |" \
	    "$(field us_add "$line") | $(field us_word "$line") |"
done
echo
echo "Layout on 800x600 px, same words and font sizes (time: fastest run, median in brackets):"
echo
echo "| words | layout | placed | dropped | shrunk | box overlaps | ink overlap (px) | outside | time (ms) |"
echo "|---:|---|---:|---:|---:|---:|---:|---:|---:|"
for n in $sizes; do
	c=$(grep "^layout n=$n " "$out/c.txt")
	ink=$(grep "^impl=atelier n=$n " "$out/d3.txt")
	d3=$(grep "^impl=d3-cloud n=$n " "$out/d3.txt")
	echo "| $n | atelier | $(field placed "$c") | $(field dropped "$c") |" \
	    "$(field shrunk "$c") | $(field overlaps "$c") |" \
	    "$(field ink_overlap_px "$ink") | $(field outside "$c") |" \
	    "$(field ms "$c") ($(field ms_median "$c")) |"
	echo "| $n | d3-cloud | $(field placed "$d3") | $(field dropped "$d3") |" \
	    "– | $(field box_overlaps "$d3") | $(field ink_overlap_px "$d3") |" \
	    "$(field outside "$d3") | $(field ms "$d3") ($(field ms_median "$d3")) |"
done
echo
echo "Stability (atelier): the count of the middle entry doubles; laid out again with the previous layout:"
echo
echo "| words | time (ms) | overlaps | mean move (px) | moved > 5 px | moved > 20 px |"
echo "|---:|---:|---:|---:|---:|---:|"
for n in $sizes; do
	c=$(grep "^layout n=$n " "$out/c.txt")
	echo "| $n | $(field ms_update "$c") ($(field ms_update_median "$c")) |" \
	    "$(field overlaps_update "$c") |" \
	    "$(field moved_mean_px "$c") | $(field moved_over_5px "$c") |" \
	    "$(field moved_over_20px "$c") |"
done
