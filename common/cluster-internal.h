/*
 * cluster-internal.h - what the files of the clustering engine share: the
 * tuning, the random stream, sparse vectors, the notes as words and
 * feature vectors, the k-means data.  Not for use outside
 * common/cluster*.c; the API is cluster.h.
 *
 *   cluster.c             the calls of cluster.h: suggest, guided, results
 *   cluster-features.c    words, TF-IDF of stems, PPMI spreading,
 *                         character n-grams, sparse vectors
 *   cluster-kmeans.c      spherical k-means, the merge hierarchy, k
 *   cluster-candidates.c  GSDMM and agglomerative clustering, measured
 *                         against k-means and kept for the benchmark
 *   cluster-label.c       the labels of the groups
 *
 * Allocation failure is fatal (util.h), so nothing here returns an error.
 */
#ifndef ATELIER_CLUSTER_INTERNAL_H
#define ATELIER_CLUSTER_INTERNAL_H

#include "cluster.h"
#include "map.h"
#include "normalize.h"

#include <stddef.h>
#include <stdint.h>

/*
 * Tuning, chosen by measurement (docs/clustering.md); each can be changed
 * with -D for an experiment.
 */
#ifndef DEFAULT_FEATURES
#define DEFAULT_FEATURES (CLUSTER_FEAT_STEMS | CLUSTER_FEAT_CHARS | \
    CLUSTER_FEAT_EXPAND)
#endif
#ifndef COOC_MIN
#define COOC_MIN	1	/* co-occurrences for a pair to count */
#endif
#ifndef COOC_DISCOUNT
#define COOC_DISCOUNT	0.0	/* PMI times cnt / (cnt + this) */
#endif
#ifndef W_CHARS
#define W_CHARS		0.5	/* weight of the character block */
#endif
#ifndef W_EXPAND
#define W_EXPAND	1.0	/* weight of the spread stems */
#endif
#ifndef EXPAND_TOP
#define EXPAND_TOP	0	/* spread stems kept per note, 0: all */
#endif
#ifndef RESTARTS
#define RESTARTS	4	/* k-means restarts */
#endif
#ifndef SMALL_BOARD
#define SMALL_BOARD	300	/* notes: up to this, more restarts */
#endif
#ifndef SMALL_RESTARTS
#define SMALL_RESTARTS	2	/* times the restarts, on a small board */
#endif
#ifndef KMEANS_ITERS
#define KMEANS_ITERS	40	/* k-means iterations at most */
#endif
#ifndef KMAX_LIMIT
#define KMAX_LIMIT	20	/* kmax when it is not given */
#endif
#ifndef GSDMM_ALPHA
#define GSDMM_ALPHA	0.1
#endif
#ifndef GSDMM_BETA
#define GSDMM_BETA	0.05
#endif
#ifndef GSDMM_ITERS
#define GSDMM_ITERS	30
#endif
#ifndef GUIDED_ITERS
#define GUIDED_ITERS	10	/* guided refinement rounds at most */
#endif
#ifndef GUIDED_W_SEED
#define GUIDED_W_SEED	10.0	/* weight of a theme's seeds vs a note */
#endif
#ifndef NGRAM_MIN
#define NGRAM_MIN	3
#endif
#ifndef NGRAM_MAX
#define NGRAM_MAX	5
#endif

/* ---- random numbers: a splitmix64 stream ------------------------------- */

static inline uint64_t
rng_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform in [0, 1). */
static inline double
rng_double(uint64_t *s)
{
	return (double)(rng_next(s) >> 11) * (1.0 / 9007199254740992.0);
}

/* Uniform in [0, n), n > 0. */
static inline size_t
rng_below(uint64_t *s, size_t n)
{
	return (size_t)(rng_double(s) * (double)n);
}

/* The key of an ordered pair of terms in an integer map. */
static inline uint64_t
pair_key(uint32_t a, uint32_t b)
{
	return ((uint64_t)a << 32) | b;
}

/* ---- sparse vectors (cluster-features.c) ------------------------------- */

/* A sparse vector, indexes ascending. */
struct svec {
	uint32_t *idx;
	double *val;
	uint32_t nnz;
};

void cluster_svec_free(struct svec *v);
double cluster_svec_dot(const struct svec *a, const struct svec *b);

/* Scale v to unit length, unless it is zero. */
void cluster_svec_unit(struct svec *v);

/*
 * The dots of every x[i] (i < n) with x[p], into out[0..n).  dense is
 * scratch of the dimension of the vectors, all zero, and left so.
 */
void cluster_svec_dots(const struct svec *x, size_t n, size_t p,
    double *dense, double *out);

/* Number of distinct vectors among x[0..n), at most cap. */
size_t cluster_svec_distinct(const struct svec *x, size_t n, size_t cap);

/* An index with a value, for sorting by value. */
struct ranked {
	uint32_t idx;
	double val;
};

/* qsort order of struct ranked: value descending, then index ascending. */
int cluster_cmp_ranked(const void *a, const void *b);

/* ---- words and features (cluster-features.c) --------------------------- */

/* One note as words. */
struct doc {
	struct norm_token *tok;	/* from norm_tokens, owned */
	size_t ntok;
	uint32_t *stem;		/* term of each token, or UINT32_MAX if stop */
	size_t nwords;		/* non-stop tokens */
};

/* The notes (and guided keyword texts) of one call, as words. */
struct corpus {
	struct doc *docs;
	size_t n;
	struct map stems;	/* stem -> term + 1 */
	char **term;		/* stem of each term (the map's copy) */
	uint32_t *df;		/* notes holding the term */
	size_t nterms, termcap;
};

/*
 * The content words of texts[0..n) in language lang: stems of the tokens
 * that are neither stop words nor too general to tell themes apart.  A
 * NULL or invalid text has none.  Free with cluster_corpus_free().
 */
void cluster_corpus_init(struct corpus *c, const char *const *texts,
    size_t n, enum norm_lang lang);
void cluster_corpus_free(struct corpus *c);

/* The feature space of one call: which blocks, and their sizes. */
struct features {
	struct svec *x;		/* one unit vector per doc (or zero) */
	size_t n;
	size_t dim;
	size_t nstems;		/* stem block: [0, nstems) */
};

/*
 * The feature vectors of the docs of c with the blocks feat
 * (CLUSTER_FEAT_x bits).  Docs without content words get a zero vector.
 * Free with cluster_features_free(); f does not refer to c.
 */
void cluster_features_build(struct features *f, const struct corpus *c,
    unsigned feat);
void cluster_features_free(struct features *f);

/* ---- spherical k-means (cluster-kmeans.c) ------------------------------ */

/* Four floats, one SSE or NEON register. */
#define LANES 4

/*
 * The data of one clustering run: n unit vectors (shallow copies of the
 * feature vectors) in dim dimensions, and the sums of k groups.
 */
struct kdata {
	const struct svec *x;
	size_t n;
	size_t dim;
	int k;
	size_t kp;		/* k rounded up to a multiple of LANES */
	float *sum;		/* dim * kp, feature-major: sum[f * kp + c] */
	double *inv;		/* k: 1 / |sum of group c|, 0 if empty */
	float *raw;		/* k: dots of one point with the sums */
	double *score;		/* k: its cosines to the centroids */
	double *sim;		/* n: cosine of each point to its centroid */
	size_t *count;		/* k */
};

void cluster_kdata_init(struct kdata *d, const struct svec *x, size_t n,
    size_t dim, int k);
void cluster_kdata_free(struct kdata *d);

/* Dots of x with the k sums into d->raw, cosines into d->score. */
void cluster_kmeans_scores(struct kdata *d, const struct svec *x);

/*
 * Sums of the groups of z (points with z[i] < 0 left out), each point
 * weighted by w[i] when w is set.  Returns the objective: the sum over
 * the members of their cosine to their centroid, which (unweighted) is
 * the sum of the norms of the sums.
 */
double cluster_kmeans_sums(struct kdata *d, const int *z, const double *w);

/* The first index of the largest of v[0..k). */
int cluster_argmax(const double *v, int k);

/*
 * Spherical k-means with restarts: the best of `restarts` seeded runs, or
 * one run from z when init is set.  Returns its objective; z holds it.
 */
double cluster_kmeans(const struct svec *x, size_t n, size_t dim, int k,
    int restarts, uint64_t *rng, int *z, int init);

/*
 * Choose k in [2, kmax] by the criterion o->kchoice and partition x into
 * z.  Returns k.
 */
int cluster_choose_k(const struct svec *x, size_t n, size_t dim, int kmax,
    const struct cluster_opts *o, uint64_t *rng, int restarts, int *z);

/*
 * Renumber the groups of z 0, 1, ... in order of first appearance;
 * returns how many.
 */
int cluster_compact(int *z, size_t n);

/* ---- the other methods (cluster-candidates.c) -------------------------- */

/*
 * GSDMM over the stems of the docs active[0..n) of c, K groups at most.
 * Sets z (groups 0..k-1 in order of first appearance) and returns k.
 */
int cluster_gsdmm(const struct corpus *c, const size_t *active, size_t n,
    int K, uint64_t *rng, int *z);

/* Average-linkage agglomerative clustering of x into k groups, in z. */
void cluster_agglo(const struct svec *x, size_t n, size_t dim, int k,
    int *z);

/* ---- labels (cluster-label.c) ------------------------------------------ */

/* What the labels of the groups of one corpus share. */
struct labels {
	const struct corpus *c;
	struct map pdf;		/* adjacent stem pair -> notes holding it */
	uint32_t *tcnt;		/* per term: members holding it (scratch) */
	uint32_t *tlast;	/* per term: last member seen + 1 (scratch) */
};

/* Prepare the labels of groups of the notes of c (which must outlive
 * lb).  Free with cluster_labels_free(). */
void cluster_labels_init(struct labels *lb, const struct corpus *c);
void cluster_labels_free(struct labels *lb);

/*
 * The label of the group of notes mem[0..nmem) (positions in the corpus),
 * a new string: "" when the members have no content word.
 */
char *cluster_label(struct labels *lb, const size_t *mem, size_t nmem);

#endif
