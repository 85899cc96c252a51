#!/usr/bin/python3
"""sklearn_baseline.py - the scikit-learn baseline of the clustering
benchmark (see docs/clustering.md): TF-IDF + k-means on words and on
character 2-5-grams (char_wb), k given (the number of labels), mean of 5
seeds; adjusted Rand index, normalised mutual information and CPU time per
run, as markdown table rows in the format of bench-cluster.

Run with Debian's python3-sklearn: /usr/bin/python3 sklearn_baseline.py [DATADIR]
DATADIR defaults to ../shared/data beside the source tree.
"""
import os
import sys
import time
import warnings

from sklearn.cluster import KMeans
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

SEEDS = 5
DATASETS = [
    ("paris_bp_2014_2017_fr.tsv", "Paris BP (fr)"),
    ("slurp_test_en.tsv", "SLURP (en)"),
]
PIPELINES = [
    ("scikit-learn words", dict()),
    ("scikit-learn char_wb 2-5", dict(analyzer="char_wb", ngram_range=(2, 5))),
]


def load(path):
    """id<TAB>label<TAB>text after a header line; no quoting."""
    labels, texts = [], []
    with open(path, encoding="utf-8") as f:
        next(f)
        for line in f:
            parts = line.rstrip("\n").split("\t", 2)
            if len(parts) == 3:
                labels.append(parts[1])
                texts.append(parts[2])
    return labels, texts


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    data = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        here, "..", "..", "..", "..", "shared", "data")
    warnings.filterwarnings("ignore")
    for file, name in DATASETS:
        labels, texts = load(os.path.join(data, file))
        k = len(set(labels))
        for pname, params in PIPELINES:
            ari = nmi = ms = 0.0
            for seed in range(SEEDS):
                t0 = time.process_time()
                x = TfidfVectorizer(**params).fit_transform(texts)
                z = KMeans(n_clusters=k, n_init=10,
                           random_state=seed).fit_predict(x)
                ms += (time.process_time() - t0) * 1000
                ari += adjusted_rand_score(labels, z)
                nmi += normalized_mutual_info_score(labels, z)
            print("| %s | %s | %d (given) | %.3f | %.3f | %.1f |" % (
                name, pname, k, ari / SEEDS, nmi / SEEDS, ms / SEEDS),
                flush=True)


if __name__ == "__main__":
    main()
