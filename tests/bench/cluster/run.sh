#!/bin/sh
# run.sh - the clustering benchmark of docs/clustering.md: scikit-learn's
# TF-IDF + k-means baselines and Atelier's engine on ../shared/data, as one
# markdown table (then the guided-mode and speed tables of bench-cluster).
#
#   tests/bench/cluster/run.sh build/bench/bench-cluster [DATADIR]
#
# Needs Debian's python3-sklearn (apt-get install -y python3-sklearn); times
# are CPU milliseconds per run, scikit-learn held to one thread.
set -eu
bench=${1:?usage: run.sh BENCH-BINARY [DATADIR]}
here=$(cd "$(dirname "$0")" && pwd)
data=${2:-$here/../../../../shared/data}
out=$(mktemp)
trap 'rm -f "$out"' EXIT

"$bench" "$data" >"$out"
echo "| data | pipeline | k | ARI | NMI | ms/run |"
echo "|---|---|---|---|---|---|"
OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 /usr/bin/python3 \
    "$here/sklearn_baseline.py" "$data"
# the engine's rows: the first table of bench-cluster
awk 'NR > 2 && /^\|/ { print; next } NR > 2 { exit }' "$out"
echo
# guided mode and speed
awk 'f { print } /^$/ && !f { f = 1 }' "$out"
