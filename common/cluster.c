/*
 * cluster.c - thematic clustering of short texts (see cluster.h and
 * docs/clustering.md for the method and its measurements).
 *
 * The pipeline:
 * 1. Words: every note goes through norm_tokens(); its content words are
 *    the stems of the tokens that are neither stop words nor too general
 *    to tell themes apart ("plus", "more": weak_word()).
 * 2. Features: a note is a sparse unit vector made of up to three blocks,
 *    each L2-normalised before weighting: TF-IDF of stems (sublinear tf,
 *    smooth idf), the same stems spread to the stems that co-occur with
 *    them in the other notes (positive PMI between stems, computed on the
 *    notes themselves: "vélo" brings in a little of "piste" and
 *    "cyclable"), and TF-IDF of character 3- to 5-grams of the folded
 *    words (catching "cyclable" ~ "cyclistes").
 * 3. Grouping: spherical k-means (cosine), k-means++ seeding and several
 *    restarts, the best objective kept.  The candidates measured against
 *    it (GSDMM, GSDMM then k-means, average-linkage agglomerative) are
 *    kept for the benchmark.
 * 4. k, when not given: spherical k-means at kmax groups, then the two
 *    groups whose merge loses the least objective are merged, level by
 *    level down to 2; each level is scored (simplified silhouette on
 *    cosine, each point against the centroid of the other members) and
 *    the best one is refined by Lloyd iterations.
 * 5. Labels: the one to three stems or stem pairs that are most frequent
 *    in the group and most specific to it, shown as people wrote them.
 *
 * Randomness comes from a splitmix64 stream seeded by the caller; every
 * loop runs in a fixed order and ties go to the lowest index, so the
 * result is a function of the input and the seed.
 */
#include "cluster.h"
#include "map.h"
#include "util.h"

#include <utf8proc.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

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

/* ---- random numbers ---------------------------------------------------- */

static uint64_t
rng_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform in [0, 1). */
static double
rng_double(uint64_t *s)
{
	return (double)(rng_next(s) >> 11) * (1.0 / 9007199254740992.0);
}

/* Uniform in [0, n), n > 0. */
static size_t
rng_below(uint64_t *s, size_t n)
{
	return (size_t)(rng_double(s) * (double)n);
}

/* ---- sparse vectors ---------------------------------------------------- */

/* A sparse vector, indexes ascending. */
struct svec {
	uint32_t *idx;
	double *val;
	uint32_t nnz;
};

static void
svec_free(struct svec *v)
{
	free(v->idx);
	free(v->val);
	v->idx = NULL;
	v->val = NULL;
	v->nnz = 0;
}

static double
svec_dot(const struct svec *a, const struct svec *b)
{
	uint32_t i = 0, j = 0;
	double s = 0;

	while (i < a->nnz && j < b->nnz) {
		if (a->idx[i] < b->idx[j])
			i++;
		else if (a->idx[i] > b->idx[j])
			j++;
		else
			s += a->val[i++] * b->val[j++];
	}
	return s;
}

static double
svec_norm(const struct svec *v)
{
	double s = 0;
	uint32_t i;

	for (i = 0; i < v->nnz; i++)
		s += v->val[i] * v->val[i];
	return sqrt(s);
}

static void
svec_scale(struct svec *v, double f)
{
	uint32_t i;

	for (i = 0; i < v->nnz; i++)
		v->val[i] *= f;
}

/*
 * A dense accumulator over dim entries that remembers which it touched,
 * so that turning it into an svec costs the touched entries only.
 */
struct acc {
	double *val;
	uint32_t *touched;
	uint32_t ntouched;
	unsigned char *seen;
	size_t dim;
};

static void
acc_init(struct acc *a, size_t dim)
{
	a->val = xcalloc(dim, sizeof *a->val);
	a->touched = xmalloc((dim ? dim : 1) * sizeof *a->touched);
	a->seen = xcalloc(dim, 1);
	a->ntouched = 0;
	a->dim = dim;
}

static void
acc_free(struct acc *a)
{
	free(a->val);
	free(a->touched);
	free(a->seen);
}

static void
acc_add(struct acc *a, uint32_t i, double v)
{
	if (!a->seen[i]) {
		a->seen[i] = 1;
		a->touched[a->ntouched++] = i;
	}
	a->val[i] += v;
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Move the non-zero entries of a into v (offset added), and clear a. */
static void
acc_take(struct acc *a, struct svec *v, uint32_t offset)
{
	uint32_t i, t;

	qsort(a->touched, a->ntouched, sizeof *a->touched, cmp_u32);
	v->idx = xmalloc((a->ntouched ? a->ntouched : 1) * sizeof *v->idx);
	v->val = xmalloc((a->ntouched ? a->ntouched : 1) * sizeof *v->val);
	v->nnz = 0;
	for (i = 0; i < a->ntouched; i++) {
		t = a->touched[i];
		if (a->val[t] != 0) {
			v->idx[v->nnz] = t + offset;
			v->val[v->nnz++] = a->val[t];
		}
		a->val[t] = 0;
		a->seen[t] = 0;
	}
	a->ntouched = 0;
}

/* ---- words ------------------------------------------------------------- */

/*
 * Words too general to tell themes apart, which the stop lists of the
 * normaliser keep because a word cloud may want them ("plus de vélos",
 * "pas de voitures"): for clustering they are stop words.  Folded forms,
 * sorted in byte order for bsearch.
 */
static const char *const weak_fr[] = {
	"afin", "ainsi", "amelioration", "ameliorer", "aussi", "autre",
	"autres", "avoir", "beaucoup", "besoin", "bien", "chaque",
	"creation", "creer", "davantage", "developper", "encore", "etc",
	"etre", "faire", "fait", "installation", "installer", "lors", "meme",
	"mettre", "mieux", "mise", "moins", "non", "nouveau", "nouveaux",
	"nouvel", "nouvelle", "nouvelles", "oui", "pas", "peu", "plus",
	"possible", "tous", "tout", "toute", "toutes", "tres", "trop", "via",
	"vraiment",
};

static const char *const weak_en[] = {
	"all", "also", "any", "better", "can", "could", "every", "get",
	"just", "less", "lot", "lots", "make", "many", "more", "much",
	"need", "new", "no", "not", "please", "possible", "really", "should",
	"some", "thing", "things", "too", "very", "want", "will", "would",
};

static const char *const weak_nl[] = {
	"beter", "echt", "geen", "graag", "heel", "maken", "meer", "minder",
	"mogelijk", "niet", "nieuw", "nieuwe", "ook", "veel", "wel", "zeer",
};

static int
cmp_strp(const void *key, const void *elem)
{
	return strcmp((const char *)key, *(const char *const *)elem);
}

static int
weak_word(enum norm_lang lang, const char *folded)
{
	const char *const *list;
	size_t n;

	switch (lang) {
	case NORM_EN:
		list = weak_en;
		n = ARRAY_LEN(weak_en);
		break;
	case NORM_NL:
		list = weak_nl;
		n = ARRAY_LEN(weak_nl);
		break;
	default:
		list = weak_fr;
		n = ARRAY_LEN(weak_fr);
		break;
	}
	return bsearch(folded, list, n, sizeof *list, cmp_strp) != NULL;
}

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

static uint32_t
corpus_term(struct corpus *c, const char *stem)
{
	uintptr_t v = (uintptr_t)map_get_str(&c->stems, stem);

	if (v)
		return (uint32_t)(v - 1);
	xgrow((void **)&c->term, &c->termcap, c->nterms + 1, sizeof *c->term);
	c->df = xrealloc(c->df, c->termcap * sizeof *c->df);
	c->term[c->nterms] = xstrdup(stem);
	c->df[c->nterms] = 0;
	map_put_str(&c->stems, stem, (void *)(uintptr_t)(c->nterms + 1));
	return (uint32_t)c->nterms++;
}

static void
corpus_init(struct corpus *c, const char *const *texts, size_t n,
    enum norm_lang lang)
{
	struct norm *nm = norm_new(lang);
	struct doc *d;
	size_t i, j, l;
	long r;

	memset(c, 0, sizeof *c);
	map_init_str(&c->stems);
	c->n = n;
	c->docs = xcalloc(n, sizeof *c->docs);
	for (i = 0; i < n; i++) {
		d = &c->docs[i];
		r = texts[i] ? norm_tokens(nm, texts[i], &d->tok) : -1;
		if (r < 0) {
			d->tok = NULL;
			r = 0;
		}
		d->ntok = (size_t)r;
		d->stem = xmalloc((d->ntok ? d->ntok : 1) * sizeof *d->stem);
		for (j = 0; j < d->ntok; j++) {
			d->stem[j] = UINT32_MAX;
			if (d->tok[j].stop || d->tok[j].stem[0] == '\0' ||
			    weak_word(lang, d->tok[j].folded))
				continue;
			d->stem[j] = corpus_term(c, d->tok[j].stem);
			d->nwords++;
			for (l = 0; l < j; l++)
				if (d->stem[l] == d->stem[j])
					break;
			if (l == j)
				c->df[d->stem[j]]++;
		}
	}
	norm_free(nm);
}

static void
corpus_free(struct corpus *c)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		norm_tokens_free(c->docs[i].tok, c->docs[i].ntok);
		free(c->docs[i].stem);
	}
	free(c->docs);
	for (i = 0; i < c->nterms; i++)
		free(c->term[i]);
	free(c->term);
	free(c->df);
	map_free(&c->stems);
}

/* ---- features ---------------------------------------------------------- */

/* The feature space of one call: which blocks, and their sizes. */
struct features {
	struct svec *x;		/* one unit vector per doc (or zero) */
	size_t n;
	size_t dim;
	size_t nstems;		/* stem block: [0, nstems) */
};

static double
idf(size_t n, uint32_t df)
{
	return log((1.0 + (double)n) / (1.0 + (double)df)) + 1.0;
}

/* TF-IDF of the stems of doc d (sublinear tf), unit length, in acc. */
static void
stem_tfidf(const struct corpus *c, const struct doc *d, struct acc *a)
{
	uint32_t t;
	size_t j;
	double norm = 0, tf;

	for (j = 0; j < d->ntok; j++)
		if ((t = d->stem[j]) != UINT32_MAX)
			acc_add(a, t, 1.0);
	for (j = 0; j < a->ntouched; j++) {
		t = a->touched[j];
		tf = 1.0 + log(a->val[t]);
		a->val[t] = tf * idf(c->n, c->df[t]);
		norm += a->val[t] * a->val[t];
	}
	norm = sqrt(norm);
	for (j = 0; j < a->ntouched; j++)
		a->val[a->touched[j]] /= norm;
}

/* Stem co-occurrence: for each term, its PPMI neighbours, unit rows. */
struct cooc {
	uint32_t **nb;
	double **w;
	uint32_t *len;
	size_t nterms;
};

static void
cooc_build(struct cooc *co, const struct corpus *c)
{
	struct map pairs;
	uint32_t *u, nu, a, b, cnt, t, cap;
	uint64_t key;
	size_t i, j, l, s;
	double pmi, norm;

	co->nterms = c->nterms;
	co->nb = xcalloc(c->nterms, sizeof *co->nb);
	co->w = xcalloc(c->nterms, sizeof *co->w);
	co->len = xcalloc(c->nterms, sizeof *co->len);
	map_init_int(&pairs);
	u = NULL;
	cap = 0;
	/* Count the notes holding each pair of stems seen in 2+ notes. */
	for (i = 0; i < c->n; i++) {
		const struct doc *d = &c->docs[i];

		if (d->ntok > cap) {
			cap = (uint32_t)d->ntok;
			u = xrealloc(u, cap * sizeof *u);
		}
		nu = 0;
		for (j = 0; j < d->ntok; j++) {
			t = d->stem[j];
			if (t == UINT32_MAX || c->df[t] < 2)
				continue;
			for (l = 0; l < nu && u[l] != t; l++)
				;
			if (l == nu)
				u[nu++] = t;
		}
		if (nu > 1)
			qsort(u, nu, sizeof *u, cmp_u32);
		for (j = 0; j < nu; j++)
			for (l = j + 1; l < nu; l++) {
				key = ((uint64_t)u[j] << 32) | u[l];
				cnt = (uint32_t)(uintptr_t)map_get_int(&pairs,
				    (int64_t)key);
				map_put_int(&pairs, (int64_t)key,
				    (void *)(uintptr_t)(cnt + 1));
			}
	}
	free(u);
	/* Slots in table order: fixed for a given input. */
	for (s = 0; s < pairs.cap; s++) {
		if (pairs.slots[s].hash <= 1)
			continue;
		key = (uint64_t)pairs.slots[s].ikey;
		a = (uint32_t)(key >> 32);
		b = (uint32_t)key;
		co->len[a]++;
		co->len[b]++;
	}
	for (t = 0; t < c->nterms; t++) {
		co->nb[t] = xmalloc((co->len[t] ? co->len[t] : 1) *
		    sizeof **co->nb);
		co->w[t] = xmalloc((co->len[t] ? co->len[t] : 1) *
		    sizeof **co->w);
		co->len[t] = 0;
	}
	for (s = 0; s < pairs.cap; s++) {
		if (pairs.slots[s].hash <= 1)
			continue;
		key = (uint64_t)pairs.slots[s].ikey;
		a = (uint32_t)(key >> 32);
		b = (uint32_t)key;
		cnt = (uint32_t)(uintptr_t)pairs.slots[s].value;
		pmi = log((double)cnt * (double)c->n /
		    ((double)c->df[a] * (double)c->df[b]));
		if (pmi <= 0 || cnt < COOC_MIN)
			continue;
		pmi *= (double)cnt / ((double)cnt + COOC_DISCOUNT);
		co->nb[a][co->len[a]] = b;
		co->w[a][co->len[a]++] = pmi;
		co->nb[b][co->len[b]] = a;
		co->w[b][co->len[b]++] = pmi;
	}
	map_free(&pairs);
	for (t = 0; t < c->nterms; t++) {
		norm = 0;
		for (j = 0; j < co->len[t]; j++)
			norm += co->w[t][j] * co->w[t][j];
		norm = sqrt(norm);
		for (j = 0; j < co->len[t]; j++)
			co->w[t][j] /= norm;
	}
}

static void
cooc_free(struct cooc *co)
{
	size_t t;

	for (t = 0; t < co->nterms; t++) {
		free(co->nb[t]);
		free(co->w[t]);
	}
	free(co->nb);
	free(co->w);
	free(co->len);
}

struct ranked {
	uint32_t idx;
	double val;
};

static int
cmp_ranked(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;

	if (x->val != y->val)
		return x->val > y->val ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/*
 * Add to the unit stem vector v (in acc a) its spread: the sum of the
 * PPMI rows of its stems weighted by v, the EXPAND_TOP largest entries,
 * times W_EXPAND.  The result is not normalised.
 */
static void
expand(const struct cooc *co, struct acc *a, struct acc *spread,
    struct ranked **buf, size_t *bufcap)
{
	uint32_t i, j, t, m;
	double v;

	for (i = 0; i < a->ntouched; i++) {
		t = a->touched[i];
		v = a->val[t];
		for (j = 0; j < co->len[t]; j++)
			acc_add(spread, co->nb[t][j], v * co->w[t][j]);
	}
	xgrow((void **)buf, bufcap, spread->ntouched + 1, sizeof **buf);
	for (i = 0; i < spread->ntouched; i++) {
		t = spread->touched[i];
		(*buf)[i].idx = t;
		(*buf)[i].val = spread->val[t];
		spread->val[t] = 0;
		spread->seen[t] = 0;
	}
	m = spread->ntouched;
	spread->ntouched = 0;
	qsort(*buf, m, sizeof **buf, cmp_ranked);
	if (EXPAND_TOP && m > EXPAND_TOP)
		m = EXPAND_TOP;
	for (i = 0; i < m; i++)
		acc_add(a, (*buf)[i].idx, W_EXPAND * (*buf)[i].val);
}

static uint64_t
hash_bytes(const char *s, size_t len, uint64_t h)
{
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	return h;
}

/* Byte offsets of the code points of s, and the end: npos + 1 entries. */
static size_t
utf8_offsets(const char *s, size_t *pos)
{
	size_t i, n = 0;

	for (i = 0; s[i]; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			pos[n++] = i;
	pos[n] = i;
	return n;
}

/*
 * The character n-grams of the folded content words of d, hashed, into
 * *out (grown as needed); returns how many (repeats included).  A word is
 * padded with a space on each side: " velo ".
 */
static size_t
doc_ngrams(const struct doc *d, uint64_t **out, size_t *cap)
{
	size_t j, len, np, a, g, count = 0, *pos;
	char *w;

	for (j = 0; j < d->ntok; j++) {
		if (d->stem[j] == UINT32_MAX)
			continue;
		len = strlen(d->tok[j].folded);
		w = xmalloc(len + 3);
		w[0] = ' ';
		memcpy(w + 1, d->tok[j].folded, len);
		w[len + 1] = ' ';
		w[len + 2] = '\0';
		pos = xmalloc((len + 3) * sizeof *pos);
		np = utf8_offsets(w, pos);
		for (g = NGRAM_MIN; g <= NGRAM_MAX; g++)
			for (a = 0; a + g <= np; a++) {
				xgrow((void **)out, cap, count + 1, sizeof **out);
				(*out)[count++] = hash_bytes(w + pos[a],
				    pos[a + g] - pos[a],
				    1469598103934665603ULL ^ g);
			}
		free(pos);
		free(w);
	}
	return count;
}

/*
 * Build the feature vectors of the corpus with the given blocks.  Docs
 * without content words get a zero vector.
 */
static void
features_build(struct features *f, const struct corpus *c, unsigned feat)
{
	struct acc a, sp, ca;
	struct cooc co;
	struct svec sv, cv;
	struct map grams;
	struct ranked *buf = NULL;
	uint64_t **dg;
	size_t *ng, bufcap = 0, i, j, ngrams = 0, cap;
	uint32_t *gdf = NULL, g, *last = NULL;
	double norm, w;

	memset(f, 0, sizeof *f);
	f->n = c->n;
	f->nstems = c->nterms;
	f->x = xcalloc(c->n, sizeof *f->x);
	acc_init(&a, c->nterms);
	acc_init(&sp, c->nterms);
	if (feat & CLUSTER_FEAT_EXPAND)
		cooc_build(&co, c);
	/* Character n-grams: ids for those in 2+ docs. */
	dg = xcalloc(c->n, sizeof *dg);
	ng = xcalloc(c->n, sizeof *ng);
	map_init_int(&grams);
	cap = 0;
	if (feat & CLUSTER_FEAT_CHARS) {
		for (i = 0; i < c->n; i++) {
			cap = 0;
			ng[i] = doc_ngrams(&c->docs[i], &dg[i], &cap);
			for (j = 0; j < ng[i]; j++) {
				g = (uint32_t)(uintptr_t)map_get_int(&grams,
				    (int64_t)dg[i][j]);
				if (g == 0) {
					g = (uint32_t)++ngrams;
					map_put_int(&grams, (int64_t)dg[i][j],
					    (void *)(uintptr_t)g);
					gdf = xrealloc(gdf, ngrams * sizeof *gdf);
					last = xrealloc(last, ngrams *
					    sizeof *last);
					gdf[g - 1] = 0;
					last[g - 1] = UINT32_MAX;
				}
				if (last[g - 1] != i) {
					last[g - 1] = (uint32_t)i;
					gdf[g - 1]++;
				}
			}
		}
	}
	acc_init(&ca, ngrams);
	f->dim = c->nterms + ngrams;
	for (i = 0; i < c->n; i++) {
		memset(&sv, 0, sizeof sv);
		memset(&cv, 0, sizeof cv);
		if (c->docs[i].nwords == 0) {
			acc_take(&a, &f->x[i], 0);
			continue;
		}
		stem_tfidf(c, &c->docs[i], &a);
		if (feat & CLUSTER_FEAT_EXPAND)
			expand(&co, &a, &sp, &buf, &bufcap);
		acc_take(&a, &sv, 0);
		if (!(feat & CLUSTER_FEAT_STEMS) &&
		    !(feat & CLUSTER_FEAT_EXPAND))
			svec_free(&sv);
		if ((norm = svec_norm(&sv)) > 0)
			svec_scale(&sv, 1.0 / norm);
		for (j = 0; j < ng[i]; j++) {
			g = (uint32_t)(uintptr_t)map_get_int(&grams,
			    (int64_t)dg[i][j]) - 1;
			if (gdf[g] >= 2)
				acc_add(&ca, g, 1.0);
		}
		norm = 0;
		for (j = 0; j < ca.ntouched; j++) {
			g = ca.touched[j];
			ca.val[g] = (1.0 + log(ca.val[g])) * idf(c->n, gdf[g]);
			norm += ca.val[g] * ca.val[g];
		}
		w = (feat & (CLUSTER_FEAT_STEMS | CLUSTER_FEAT_EXPAND)) ?
		    W_CHARS : 1.0;
		for (j = 0; j < ca.ntouched; j++)
			ca.val[ca.touched[j]] *= w / sqrt(norm);
		acc_take(&ca, &cv, (uint32_t)c->nterms);
		/* Concatenate: stem indexes come first. */
		f->x[i].nnz = sv.nnz + cv.nnz;
		f->x[i].idx = xmalloc((f->x[i].nnz ? f->x[i].nnz : 1) *
		    sizeof *f->x[i].idx);
		f->x[i].val = xmalloc((f->x[i].nnz ? f->x[i].nnz : 1) *
		    sizeof *f->x[i].val);
		if (sv.nnz) {
			memcpy(f->x[i].idx, sv.idx, sv.nnz * sizeof *sv.idx);
			memcpy(f->x[i].val, sv.val, sv.nnz * sizeof *sv.val);
		}
		if (cv.nnz) {
			memcpy(f->x[i].idx + sv.nnz, cv.idx,
			    cv.nnz * sizeof *cv.idx);
			memcpy(f->x[i].val + sv.nnz, cv.val,
			    cv.nnz * sizeof *cv.val);
		}
		svec_free(&sv);
		svec_free(&cv);
		if ((norm = svec_norm(&f->x[i])) > 0)
			svec_scale(&f->x[i], 1.0 / norm);
	}
	for (i = 0; i < c->n; i++)
		free(dg[i]);
	free(dg);
	free(ng);
	free(gdf);
	free(last);
	free(buf);
	map_free(&grams);
	acc_free(&a);
	acc_free(&sp);
	acc_free(&ca);
	if (feat & CLUSTER_FEAT_EXPAND)
		cooc_free(&co);
}

static void
features_free(struct features *f)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		svec_free(&f->x[i]);
	free(f->x);
}

/* ---- spherical k-means ------------------------------------------------- */

/* Four floats, one SSE or NEON register. */
#define LANES 4
#ifdef __GNUC__
typedef float vfloat __attribute__((vector_size(LANES * sizeof(float))));
#endif

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

static void
kdata_init(struct kdata *d, const struct svec *x, size_t n, size_t dim,
    int k)
{
	d->x = x;
	d->n = n;
	d->dim = dim;
	d->k = k;
	d->kp = ((size_t)k + LANES - 1) / LANES * LANES;
	d->sum = xcalloc(dim * d->kp, sizeof *d->sum);
	d->inv = xcalloc((size_t)k, sizeof *d->inv);
	d->raw = xcalloc(d->kp, sizeof *d->raw);
	d->score = xcalloc((size_t)k, sizeof *d->score);
	d->sim = xcalloc(n, sizeof *d->sim);
	d->count = xcalloc((size_t)k, sizeof *d->count);
}

static void
kdata_free(struct kdata *d)
{
	free(d->sum);
	free(d->inv);
	free(d->raw);
	free(d->score);
	free(d->sim);
	free(d->count);
}

/*
 * Dots of x with the k sums into d->raw, cosines into d->score.  The hot
 * loop of every method: blocks of LANES floats, which compilers turn into
 * vector instructions.
 */
static void
kmeans_scores(struct kdata *d, const struct svec *x)
{
	size_t kp = d->kp, c, u;
	uint32_t j;
	const float *row;
	float v, *raw = d->raw;

	memset(raw, 0, kp * sizeof *raw);
	for (j = 0; j < x->nnz; j++) {
		row = d->sum + (size_t)x->idx[j] * kp;
		v = (float)x->val[j];
#ifdef __GNUC__
		{
			/* malloc aligns to 16 bytes, rows are 16-byte
			   multiples */
			vfloat *acc = (vfloat *)(void *)raw, vv;
			const vfloat *r = (const vfloat *)(const void *)row;

			for (u = 0; u < LANES; u++)
				vv[u] = v;
			for (c = 0; c < kp / LANES; c++)
				acc[c] += vv * r[c];
		}
#else
		for (c = 0; c < kp; c += LANES)
			for (u = 0; u < LANES; u++)
				raw[c + u] += v * row[c + u];
#endif
	}
	for (c = 0; c < (size_t)d->k; c++)
		d->score[c] = (double)raw[c] * d->inv[c];
}

/*
 * Sums of the groups of z (points with z[i] < 0 left out), each point
 * weighted by w[i] when w is set.  Returns the objective: the sum over
 * the members of their cosine to their centroid, which (unweighted) is
 * the sum of the norms of the sums.
 */
static double
kmeans_sums(struct kdata *d, const int *z, const double *w)
{
	size_t i, f, k = (size_t)d->k, c;
	uint32_t j;
	double *sq = xcalloc(k, sizeof *sq), obj = 0;
	float v;
#ifndef __GNUC__
	const float *row;
#endif

	memset(d->sum, 0, d->dim * d->kp * sizeof *d->sum);
	memset(d->count, 0, k * sizeof *d->count);
	for (i = 0; i < d->n; i++) {
		if (z[i] < 0)
			continue;
		d->count[z[i]]++;
		v = w ? (float)w[i] : 1.0f;
		for (j = 0; j < d->x[i].nnz; j++)
			d->sum[(size_t)d->x[i].idx[j] * d->kp +
			    (size_t)z[i]] += v * (float)d->x[i].val[j];
	}
#ifdef __GNUC__
	{
		vfloat *acc = xcalloc(d->kp / LANES, sizeof *acc);
		const vfloat *r;

		for (f = 0; f < d->dim; f++) {
			r = (const vfloat *)(const void *)(d->sum + f * d->kp);
			for (c = 0; c < d->kp / LANES; c++)
				acc[c] += r[c] * r[c];
		}
		for (c = 0; c < k; c++)
			sq[c] = acc[c / LANES][c % LANES];
		free(acc);
	}
#else
	for (f = 0; f < d->dim; f++) {
		row = d->sum + f * d->kp;
		for (c = 0; c < k; c++)
			sq[c] += (double)row[c] * (double)row[c];
	}
#endif
	for (c = 0; c < k; c++) {
		sq[c] = sqrt(sq[c]);
		obj += sq[c];
		d->inv[c] = sq[c] > 0 ? 1.0 / sq[c] : 0;
	}
	free(sq);
	return obj;
}

static int
argmax(const double *v, int k)
{
	int c, best = 0;

	for (c = 1; c < k; c++)
		if (v[c] > v[best])
			best = c;
	return best;
}

/*
 * k-means++ seeding on the sphere: the first centre at random, each next
 * one drawn with probability proportional to 1 - cosine to the nearest
 * centre so far.  Sets z to the nearest centre of each point.
 */
static void
kmeans_seed(struct kdata *d, int *z, uint64_t *rng)
{
	double *dense = xcalloc(d->dim, sizeof *dense);
	double *mind = xmalloc(d->n * sizeof *mind);
	double sum, r, s;
	size_t i, pick = 0;
	uint32_t j;
	int c;

	for (i = 0; i < d->n; i++) {
		mind[i] = HUGE_VAL;
		z[i] = 0;
	}
	for (c = 0; c < d->k; c++) {
		if (c == 0) {
			pick = rng_below(rng, d->n);
		} else {
			sum = 0;
			for (i = 0; i < d->n; i++)
				sum += mind[i];
			if (sum <= 0) {
				pick = rng_below(rng, d->n);
			} else {
				r = rng_double(rng) * sum;
				for (pick = 0; pick + 1 < d->n; pick++) {
					if (r < mind[pick])
						break;
					r -= mind[pick];
				}
				while (mind[pick] <= 0 && pick > 0)
					pick--;
			}
		}
		for (j = 0; j < d->x[pick].nnz; j++)
			dense[d->x[pick].idx[j]] = d->x[pick].val[j];
		for (i = 0; i < d->n; i++) {
			s = 0;
			for (j = 0; j < d->x[i].nnz; j++)
				s += d->x[i].val[j] * dense[d->x[i].idx[j]];
			s = 1.0 - s;
			if (s < 0)
				s = 0;
			if (s < mind[i]) {
				mind[i] = s;
				z[i] = c;
			}
		}
		for (j = 0; j < d->x[pick].nnz; j++)
			dense[d->x[pick].idx[j]] = 0;
	}
	free(dense);
	free(mind);
}

/*
 * Lloyd iterations from the partition z until it no longer changes (or
 * KMEANS_ITERS).  A group left empty takes the point farthest from its
 * own centroid.  Returns the objective of the final partition (in z).
 */
static double
kmeans_lloyd(struct kdata *d, int *z)
{
	size_t i, worst;
	int it, c, best, changed;

	for (it = 0; it < KMEANS_ITERS; it++) {
		kmeans_sums(d, z, NULL);
		changed = 0;
		for (i = 0; i < d->n; i++) {
			kmeans_scores(d, &d->x[i]);
			best = argmax(d->score, d->k);
			if (best != z[i])
				changed++;
			z[i] = best;
			d->sim[i] = d->score[best];
		}
		memset(d->count, 0, (size_t)d->k * sizeof *d->count);
		for (i = 0; i < d->n; i++)
			d->count[z[i]]++;
		for (c = 0; c < d->k; c++) {
			if (d->count[c] > 0)
				continue;
			worst = SIZE_MAX;
			for (i = 0; i < d->n; i++)
				if (d->count[z[i]] > 1 && (worst == SIZE_MAX ||
				    d->sim[i] < d->sim[worst]))
					worst = i;
			if (worst == SIZE_MAX)
				break;
			d->count[z[worst]]--;
			z[worst] = c;
			d->count[c] = 1;
			d->sim[worst] = 1;
			changed++;
		}
		if (!changed)
			break;
	}
	return kmeans_sums(d, z, NULL);
}

/*
 * Spherical k-means with restarts: the best of `restarts` seeded runs, or
 * one run from z when init is set.  Returns its objective; z holds it.
 */
static double
kmeans(const struct svec *x, size_t n, size_t dim, int k, int restarts,
    uint64_t *rng, int *z, int init)
{
	struct kdata d;
	int *cur = xmalloc(n * sizeof *cur), r;
	double obj, best = -HUGE_VAL;

	kdata_init(&d, x, n, dim, k);
	if (init) {
		best = kmeans_lloyd(&d, z);
	} else {
		for (r = 0; r < restarts; r++) {
			kmeans_seed(&d, cur, rng);
			obj = kmeans_lloyd(&d, cur);
			if (obj > best) {
				best = obj;
				memcpy(z, cur, n * sizeof *z);
			}
		}
	}
	kdata_free(&d);
	free(cur);
	return best;
}

/* ---- choosing k -------------------------------------------------------- */

static int compact(int *z, size_t n);

/*
 * The partitions of a merge hierarchy: spherical k-means at kmax groups,
 * then, level after level, the two groups whose merge loses the least
 * objective (|S_a| + |S_b| - |S_a + S_b|) are merged, down to 2 groups.
 * Only the dots of the points with the kmax first sums are needed: the
 * dot with a merged sum is the sum of the dots.
 */
struct levels {
	int kmax;
	int **z;		/* z[k]: the partition at k groups, k >= 2 */
	double *obj;		/* obj[k]: its objective */
	double *sil;		/* sil[k]: its simplified silhouette */
};

static void
levels_build(struct levels *lv, const struct svec *x, size_t n, size_t dim,
    int kmax, int restarts, uint64_t *rng)
{
	struct kdata d;
	double *raw, *G, *norm, loss, best, a, b, m, s, own, other;
	int *z = xmalloc(n * sizeof *z), *alive, K = kmax, k, c, e, ba, bb;
	size_t i, *count;

	lv->kmax = kmax;
	lv->z = xcalloc((size_t)kmax + 1, sizeof *lv->z);
	lv->obj = xcalloc((size_t)kmax + 1, sizeof *lv->obj);
	lv->sil = xcalloc((size_t)kmax + 1, sizeof *lv->sil);
	kmeans(x, n, dim, K, restarts, rng, z, 0);
	kdata_init(&d, x, n, dim, K);
	kmeans_sums(&d, z, NULL);
	raw = xmalloc(n * (size_t)K * sizeof *raw);
	for (i = 0; i < n; i++) {
		kmeans_scores(&d, &x[i]);
		for (c = 0; c < K; c++)
			raw[i * (size_t)K + (size_t)c] = d.raw[c];
	}
	kdata_free(&d);
	/* G[a][b] = S_a . S_b = sum over the members i of a of x_i . S_b */
	G = xcalloc((size_t)K * (size_t)K, sizeof *G);
	for (i = 0; i < n; i++)
		for (c = 0; c < K; c++)
			G[(size_t)z[i] * (size_t)K + (size_t)c] +=
			    raw[i * (size_t)K + (size_t)c];
	alive = xmalloc((size_t)K * sizeof *alive);
	norm = xmalloc((size_t)K * sizeof *norm);
	count = xcalloc((size_t)K, sizeof *count);
	for (c = 0; c < K; c++)
		alive[c] = 1;
	for (i = 0; i < n; i++)
		count[z[i]]++;
	for (k = K; k >= 2; k--) {
		lv->obj[k] = 0;
		for (c = 0; c < K; c++) {
			norm[c] = alive[c] && G[(size_t)c * K + c] > 0 ?
			    sqrt(G[(size_t)c * K + c]) : 0;
			lv->obj[k] += norm[c];
		}
		s = 0;
		for (i = 0; i < n; i++) {
			if (count[z[i]] < 2)
				continue;
			/* to the centroid of the other members */
			own = raw[i * K + (size_t)z[i]];
			m = G[(size_t)z[i] * K + (size_t)z[i]] - 2 * own + 1;
			own = m > 1e-12 ? (own - 1) / sqrt(m) : 1;
			other = -HUGE_VAL;
			for (c = 0; c < K; c++)
				if (alive[c] && c != z[i] && norm[c] > 0 &&
				    raw[i * K + (size_t)c] / norm[c] > other)
					other = raw[i * K + (size_t)c] /
					    norm[c];
			if (other == -HUGE_VAL)
				other = 0;
			a = 1.0 - own;
			b = 1.0 - other;
			m = a > b ? a : b;
			if (m > 0)
				s += (b - a) / m;
		}
		lv->sil[k] = s / (double)n;
		lv->z[k] = xmalloc(n * sizeof **lv->z);
		memcpy(lv->z[k], z, n * sizeof *z);
		if (k == 2)
			break;
		/* merge the cheapest pair */
		best = HUGE_VAL;
		ba = bb = -1;
		for (c = 0; c < K; c++)
			for (e = c + 1; alive[c] && e < K; e++) {
				if (!alive[e])
					continue;
				loss = norm[c] + norm[e] - sqrt(fmax(0,
				    G[(size_t)c * K + c] + G[(size_t)e * K + e] +
				    2 * G[(size_t)c * K + e]));
				if (loss < best) {
					best = loss;
					ba = c;
					bb = e;
				}
			}
		for (c = 0; c < K; c++) {
			G[(size_t)ba * K + c] += G[(size_t)bb * K + c];
		}
		for (c = 0; c < K; c++)
			G[(size_t)c * K + ba] = G[(size_t)ba * K + c];
		G[(size_t)ba * K + ba] += G[(size_t)bb * K + ba];
		for (i = 0; i < n; i++) {
			raw[i * K + (size_t)ba] += raw[i * K + (size_t)bb];
			if (z[i] == bb)
				z[i] = ba;
		}
		count[ba] += count[bb];
		count[bb] = 0;
		alive[bb] = 0;
	}
	free(raw);
	free(G);
	free(alive);
	free(norm);
	free(count);
	free(z);
}

static void
levels_free(struct levels *lv)
{
	int k;

	for (k = 0; k <= lv->kmax; k++)
		free(lv->z[k]);
	free(lv->z);
	free(lv->obj);
	free(lv->sil);
}

/*
 * The null reference of the gap statistic: each feature's values moved
 * to as many notes drawn at random, which keeps the feature frequencies
 * and destroys their co-occurrence; rows normalised.
 */
static struct svec *
null_data(const struct svec *x, size_t n, size_t dim, uint64_t *rng)
{
	struct svec *y = xcalloc(n, sizeof *y);
	size_t *cap = xcalloc(n, sizeof *cap), *cnt, i, f, p, tot = 0;
	uint32_t j, *mark = xmalloc(n * sizeof *mark), *doc;
	size_t *start;
	double *val, norm;

	/* Postings of each feature. */
	start = xcalloc(dim + 1, sizeof *start);
	for (i = 0; i < n; i++)
		for (j = 0; j < x[i].nnz; j++)
			start[x[i].idx[j] + 1]++;
	for (f = 0; f < dim; f++)
		start[f + 1] += start[f];
	tot = start[dim];
	cnt = xcalloc(dim, sizeof *cnt);
	doc = xmalloc((tot ? tot : 1) * sizeof *doc);
	val = xmalloc((tot ? tot : 1) * sizeof *val);
	for (i = 0; i < n; i++)
		for (j = 0; j < x[i].nnz; j++) {
			f = x[i].idx[j];
			val[start[f] + cnt[f]++] = x[i].val[j];
		}
	for (i = 0; i < n; i++)
		mark[i] = UINT32_MAX;
	for (f = 0; f < dim; f++)
		for (p = start[f]; p < start[f + 1]; p++) {
			do
				i = rng_below(rng, n);
			while (mark[i] == (uint32_t)f);
			mark[i] = (uint32_t)f;
			doc[p] = (uint32_t)i;
		}
	/* Features ascending, so each row comes out sorted. */
	for (f = 0; f < dim; f++)
		for (p = start[f]; p < start[f + 1]; p++) {
			i = doc[p];
			if (y[i].nnz == cap[i]) {
				cap[i] = cap[i] ? 2 * cap[i] : 8;
				y[i].idx = xrealloc(y[i].idx, cap[i] *
				    sizeof *y[i].idx);
				y[i].val = xrealloc(y[i].val, cap[i] *
				    sizeof *y[i].val);
			}
			y[i].idx[y[i].nnz] = (uint32_t)f;
			y[i].val[y[i].nnz++] = val[p];
		}
	for (i = 0; i < n; i++)
		if ((norm = svec_norm(&y[i])) > 0)
			svec_scale(&y[i], 1.0 / norm);
	free(start);
	free(cnt);
	free(doc);
	free(val);
	free(mark);
	free(cap);
	return y;
}

/* ---- GSDMM ------------------------------------------------------------- */

/*
 * Gibbs sampling of a Dirichlet multinomial mixture over the stems of
 * the notes (Yin & Wang, KDD 2014), K groups at most.  Sets z (groups
 * renumbered 0..k-1 in order of first appearance) and returns k.
 */
static int
gsdmm(const struct corpus *c, const size_t *active, size_t n, int K,
    uint64_t *rng, int *z)
{
	size_t V = c->nterms, i, j, l;
	double *lp, *m, *nk, sum, r, lmax, vb = (double)V * GSDMM_BETA;
	uint32_t *nkw, t;
	int it, k, kk, *ren;
	const struct doc *d;

	m = xcalloc((size_t)K, sizeof *m);
	nk = xcalloc((size_t)K, sizeof *nk);
	lp = xcalloc((size_t)K, sizeof *lp);
	nkw = xcalloc((size_t)K * V, sizeof *nkw);
	for (i = 0; i < n; i++) {
		z[i] = (int)rng_below(rng, (size_t)K);
		d = &c->docs[active[i]];
		m[z[i]]++;
		nk[z[i]] += (double)d->nwords;
		for (j = 0; j < d->ntok; j++)
			if ((t = d->stem[j]) != UINT32_MAX)
				nkw[(size_t)z[i] * V + t]++;
	}
	for (it = 0; it < GSDMM_ITERS; it++)
		for (i = 0; i < n; i++) {
			d = &c->docs[active[i]];
			k = z[i];
			m[k]--;
			nk[k] -= (double)d->nwords;
			for (j = 0; j < d->ntok; j++)
				if ((t = d->stem[j]) != UINT32_MAX)
					nkw[(size_t)k * V + t]--;
			lmax = -HUGE_VAL;
			for (kk = 0; kk < K; kk++) {
				uint32_t *row = nkw + (size_t)kk * V;
				size_t rep;

				lp[kk] = log(m[kk] + GSDMM_ALPHA);
				for (j = 0; j < d->ntok; j++) {
					if ((t = d->stem[j]) == UINT32_MAX)
						continue;
					/* repeats of t before j in the note */
					for (rep = 0, l = 0; l < j; l++)
						rep += d->stem[l] == t;
					lp[kk] += log((double)row[t] +
					    GSDMM_BETA + (double)rep);
				}
				for (j = 0; j < d->nwords; j++)
					lp[kk] -= log(nk[kk] + vb + (double)j);
				if (lp[kk] > lmax)
					lmax = lp[kk];
			}
			sum = 0;
			for (kk = 0; kk < K; kk++)
				sum += lp[kk] = exp(lp[kk] - lmax);
			r = rng_double(rng) * sum;
			for (k = 0; k + 1 < K; k++) {
				if (r < lp[k])
					break;
				r -= lp[k];
			}
			z[i] = k;
			m[k]++;
			nk[k] += (double)d->nwords;
			for (j = 0; j < d->ntok; j++)
				if ((t = d->stem[j]) != UINT32_MAX)
					nkw[(size_t)k * V + t]++;
		}
	ren = xmalloc((size_t)K * sizeof *ren);
	for (k = 0; k < K; k++)
		ren[k] = -1;
	kk = 0;
	for (i = 0; i < n; i++) {
		if (ren[z[i]] < 0)
			ren[z[i]] = kk++;
		z[i] = ren[z[i]];
	}
	free(ren);
	free(m);
	free(nk);
	free(lp);
	free(nkw);
	return kk;
}

/* ---- agglomerative ----------------------------------------------------- */

struct merge {
	size_t a, b;
	double sim;
	size_t order;
};

static int
cmp_merge(const void *x, const void *y)
{
	const struct merge *a = x, *b = y;

	if (a->sim != b->sim)
		return a->sim > b->sim ? -1 : 1;
	return a->order < b->order ? -1 : a->order > b->order;
}

static size_t
uf_find(size_t *p, size_t i)
{
	while (p[i] != i)
		i = p[i] = p[p[i]];
	return i;
}

/*
 * Average-linkage agglomerative clustering on cosine similarity, by the
 * nearest-neighbour chain (O(n^2) time and memory), cut at k groups.
 */
static void
agglo(const struct svec *x, size_t n, size_t dim, int k, int *z)
{
	float *S = xmalloc(n * n * sizeof *S);
	double *dense = xcalloc(dim, sizeof *dense), s, best;
	size_t *size = xmalloc(n * sizeof *size), *chain, top = 0, i, j, a, b;
	size_t *parent, nm = 0, *root;
	unsigned char *alive = xmalloc(n);
	struct merge *mg = xmalloc((n ? n : 1) * sizeof *mg);
	uint32_t l;
	int g;

	for (i = 0; i < n; i++) {
		for (l = 0; l < x[i].nnz; l++)
			dense[x[i].idx[l]] = x[i].val[l];
		for (j = 0; j < n; j++) {
			s = 0;
			for (l = 0; l < x[j].nnz; l++)
				s += x[j].val[l] * dense[x[j].idx[l]];
			S[i * n + j] = (float)s;
		}
		for (l = 0; l < x[i].nnz; l++)
			dense[x[i].idx[l]] = 0;
		size[i] = 1;
		alive[i] = 1;
	}
	chain = xmalloc((n ? n : 1) * sizeof *chain);
	while (nm + 1 < n) {
		if (top == 0) {
			for (i = 0; !alive[i]; i++)
				;
			chain[top++] = i;
		}
		a = chain[top - 1];
		b = SIZE_MAX;
		best = -HUGE_VAL;
		if (top >= 2) {
			b = chain[top - 2];
			best = S[a * n + b];
		}
		for (j = 0; j < n; j++)
			if (alive[j] && j != a && S[a * n + j] > best) {
				best = S[a * n + j];
				b = j;
			}
		if (top >= 2 && b == chain[top - 2]) {
			top -= 2;
			for (j = 0; j < n; j++) {
				if (!alive[j] || j == a || j == b)
					continue;
				s = ((double)size[a] * S[a * n + j] +
				    (double)size[b] * S[b * n + j]) /
				    (double)(size[a] + size[b]);
				S[a * n + j] = S[j * n + a] = (float)s;
			}
			size[a] += size[b];
			alive[b] = 0;
			mg[nm].a = a;
			mg[nm].b = b;
			mg[nm].sim = best;
			mg[nm].order = nm;
			nm++;
		} else {
			chain[top++] = b;
		}
	}
	qsort(mg, nm, sizeof *mg, cmp_merge);
	parent = xmalloc((n ? n : 1) * sizeof *parent);
	for (i = 0; i < n; i++)
		parent[i] = i;
	for (i = 0; i + (size_t)k < n && i < nm; i++)
		parent[uf_find(parent, mg[i].a)] = uf_find(parent, mg[i].b);
	root = xmalloc((n ? n : 1) * sizeof *root);
	for (i = 0; i < n; i++)
		root[i] = SIZE_MAX;
	g = 0;
	for (i = 0; i < n; i++) {
		a = uf_find(parent, i);
		if (root[a] == SIZE_MAX)
			root[a] = (size_t)g++;
		z[i] = (int)root[a];
	}
	free(S);
	free(dense);
	free(size);
	free(chain);
	free(alive);
	free(mg);
	free(parent);
	free(root);
}

/* ---- labels ------------------------------------------------------------ */

/* s in lower case (a new string). */
static char *
lower_utf8(const char *s)
{
	size_t len = strlen(s), o = 0;
	char *out = xmalloc(4 * len + 1);
	utf8proc_int32_t cp;
	utf8proc_ssize_t r;

	while (*s) {
		r = utf8proc_iterate((const utf8proc_uint8_t *)s, -1, &cp);
		if (r <= 0) {
			out[o++] = *s++;
			continue;
		}
		o += (size_t)utf8proc_encode_char(utf8proc_tolower(cp),
		    (utf8proc_uint8_t *)out + o);
		s += r;
	}
	out[o] = '\0';
	return out;
}

/* A label candidate: one stem, or two adjacent ones (b != UINT32_MAX). */
struct cand {
	uint32_t a, b;
	size_t cnt;		/* members holding it */
	size_t df;		/* notes holding it */
	double score;
};

static int
cmp_cand(const void *x, const void *y)
{
	const struct cand *a = x, *b = y;

	if (a->score != b->score)
		return a->score > b->score ? -1 : 1;
	if ((a->b != UINT32_MAX) != (b->b != UINT32_MAX))
		return a->b != UINT32_MAX ? -1 : 1;	/* pairs first */
	if (a->a != b->a)
		return a->a < b->a ? -1 : 1;
	return a->b < b->b ? -1 : a->b > b->b;
}

/* Whether two candidates share a stem. */
static int
cand_overlap(const struct cand *x, const struct cand *y)
{
	return x->a == y->a || x->a == y->b ||
	    (x->b != UINT32_MAX && (x->b == y->a || x->b == y->b));
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * How a candidate was written in the members: the most frequent form
 * among its occurrences that do not start a note (where capitals are
 * grammar, not meaning), else the most frequent form in lower case; ties
 * go to the smallest in byte order.
 */
static char *
cand_surface(const struct corpus *c, const size_t *mem, size_t nmem,
    const struct cand *k)
{
	char **forms = NULL, *s, *best = NULL;
	size_t nf = 0, cap = 0, i, j, r, run, bestrun, inner = 0, pass;
	const struct doc *d;

	for (pass = 0; pass < 2 && nf == 0; pass++)
		for (i = 0; i < nmem; i++) {
			d = &c->docs[mem[i]];
			for (j = 0; j < d->ntok; j++) {
				if (d->stem[j] != k->a)
					continue;
				if (k->b != UINT32_MAX && (j + 1 >= d->ntok ||
				    d->stem[j + 1] != k->b))
					continue;
				if (pass == 0 && j == 0)
					continue;
				if (k->b == UINT32_MAX) {
					s = xstrdup(d->tok[j].surface);
				} else {
					size_t l1 = strlen(d->tok[j].surface);
					size_t l2 = strlen(
					    d->tok[j + 1].surface);

					s = xmalloc(l1 + l2 + 2);
					memcpy(s, d->tok[j].surface, l1);
					s[l1] = ' ';
					memcpy(s + l1 + 1, d->tok[j + 1].surface,
					    l2 + 1);
				}
				xgrow((void **)&forms, &cap, nf + 1,
				    sizeof *forms);
				forms[nf++] = s;
				inner = pass == 0;
			}
		}
	if (nf == 0)
		return xstrdup(c->term[k->a]);
	qsort(forms, nf, sizeof *forms, cmp_str);
	bestrun = 0;
	for (i = 0; i < nf; i = r) {
		for (r = i + 1; r < nf && strcmp(forms[r], forms[i]) == 0; r++)
			;
		run = r - i;
		if (run > bestrun) {
			bestrun = run;
			best = forms[i];
		}
	}
	s = inner ? xstrdup(best) : lower_utf8(best);
	for (i = 0; i < nf; i++)
		free(forms[i]);
	free(forms);
	return s;
}

static uint64_t
pair_key(uint32_t a, uint32_t b)
{
	return ((uint64_t)a << 32) | b;
}

/* Document frequencies of adjacent stem pairs, over the whole corpus. */
static void
pairs_df(const struct corpus *c, struct map *df)
{
	size_t i, j, l;
	uint64_t key;
	uintptr_t v;
	const struct doc *d;

	map_init_int(df);
	for (i = 0; i < c->n; i++) {
		d = &c->docs[i];
		for (j = 0; j + 1 < d->ntok; j++) {
			if (d->stem[j] == UINT32_MAX ||
			    d->stem[j + 1] == UINT32_MAX ||
			    d->stem[j] == d->stem[j + 1])
				continue;
			for (l = 0; l < j; l++)
				if (d->stem[l] == d->stem[j] &&
				    d->stem[l + 1] == d->stem[j + 1])
					break;
			if (l < j)
				continue;
			key = pair_key(d->stem[j], d->stem[j + 1]);
			v = (uintptr_t)map_get_int(df, (int64_t)key);
			map_put_int(df, (int64_t)key, (void *)(v + 1));
		}
	}
}

/*
 * The label of the group of notes mem: up to three stems or stem pairs
 * ranked by (share of the members holding it) x (share of the notes
 * holding it that are members), pairs preferred on ties and replacing a
 * stem they contain when they hold at least half its members.  "" when
 * the members have no content word.
 */
static char *
group_label(const struct corpus *c, const struct map *pdf, const size_t *mem,
    size_t nmem, uint32_t *tcnt, uint32_t *tlast)
{
	struct cand *cd = NULL, pick[3];
	struct map pc;
	size_t ncd = 0, cap = 0, i, j, l, np = 0, len;
	uint32_t t;
	uint64_t key;
	uintptr_t v;
	char *lab, *s;
	const struct doc *d;
	int over;
	size_t first;

	map_init_int(&pc);
	for (i = 0; i < nmem; i++) {
		d = &c->docs[mem[i]];
		for (j = 0; j < d->ntok; j++) {
			if ((t = d->stem[j]) == UINT32_MAX)
				continue;
			if (tlast[t] != (uint32_t)i + 1) {
				if (tlast[t] == 0 && tcnt[t] == 0) {
					xgrow((void **)&cd, &cap, ncd + 1,
					    sizeof *cd);
					cd[ncd].a = t;
					cd[ncd].b = UINT32_MAX;
					ncd++;
				}
				tlast[t] = (uint32_t)i + 1;
				tcnt[t]++;
			}
			if (j + 1 >= d->ntok || d->stem[j + 1] == UINT32_MAX ||
			    d->stem[j + 1] == t)
				continue;
			/* pair counts: once per member (tracked by a tag) */
			key = pair_key(t, d->stem[j + 1]);
			v = (uintptr_t)map_get_int(&pc, (int64_t)key);
			if (v == 0) {
				xgrow((void **)&cd, &cap, ncd + 1, sizeof *cd);
				cd[ncd].a = t;
				cd[ncd].b = d->stem[j + 1];
				cd[ncd].cnt = 0;
				ncd++;
				map_put_int(&pc, (int64_t)key,
				    (void *)(uintptr_t)(((uint64_t)ncd << 32) |
				    0));
				v = (uintptr_t)map_get_int(&pc, (int64_t)key);
			}
			/* high half: candidate + 1, low half: last member + 1 */
			if ((uint32_t)v != (uint32_t)i + 1) {
				cd[(v >> 32) - 1].cnt++;
				map_put_int(&pc, (int64_t)key, (void *)(uintptr_t)
				    ((v & 0xffffffff00000000ULL) | ((uint64_t)i +
				    1)));
			}
		}
	}
	for (i = 0; i < ncd; i++) {
		if (cd[i].b == UINT32_MAX) {
			cd[i].cnt = tcnt[cd[i].a];
			cd[i].df = c->df[cd[i].a];
		} else {
			cd[i].df = (uintptr_t)map_get_int(pdf, (int64_t)
			    pair_key(cd[i].a, cd[i].b));
		}
		if (cd[i].df < cd[i].cnt)
			cd[i].df = cd[i].cnt;
		cd[i].score = ((double)cd[i].cnt / (double)nmem) *
		    ((double)cd[i].cnt / (double)cd[i].df);
		/* a word of one note says little about a group of many */
		if (cd[i].cnt < 2 && nmem > 2)
			cd[i].score *= 0.25;
	}
	for (i = 0; i < ncd; i++)
		if (cd[i].b == UINT32_MAX) {
			tcnt[cd[i].a] = 0;
			tlast[cd[i].a] = 0;
		}
	map_free(&pc);
	if (ncd > 1)
		qsort(cd, ncd, sizeof *cd, cmp_cand);
	for (i = 0; i < ncd && np < 3; i++) {
		if (np > 0 && cd[i].score < 0.35 * pick[0].score)
			break;
		over = 0;
		first = np;
		for (l = 0; l < np; l++)
			if (cand_overlap(&pick[l], &cd[i])) {
				over++;
				if (first == np)
					first = l;
				if (pick[l].b != UINT32_MAX ||
				    cd[i].b == UINT32_MAX)
					over = -1000;	/* keep what we have */
			}
		if (over == 0) {
			pick[np++] = cd[i];
		} else if (over > 0 && 2 * cd[i].cnt >= pick[first].cnt) {
			/* the pair replaces the stems it contains */
			pick[first] = cd[i];
			for (l = j = 0; l < np; l++)
				if (l == first || !cand_overlap(&pick[l], &cd[i]))
					pick[j++] = pick[l];
			np = j;
		}
	}
	/* two stems picked apart that people write together: one pair */
	for (l = 0; l < np; l++)
		for (j = l + 1; j < np && pick[l].b == UINT32_MAX; j++) {
			if (pick[j].b != UINT32_MAX)
				continue;
			for (i = 0; i < ncd; i++)
				if (cd[i].b != UINT32_MAX &&
				    cand_overlap(&cd[i], &pick[l]) &&
				    cand_overlap(&cd[i], &pick[j]) &&
				    2 * cd[i].cnt >= (pick[l].cnt < pick[j].cnt ?
				    pick[l].cnt : pick[j].cnt))
					break;
			if (i == ncd)
				continue;
			pick[l] = cd[i];
			memmove(&pick[j], &pick[j + 1], (np - j - 1) *
			    sizeof *pick);
			np--;
			break;
		}
	free(cd);
	len = 1;
	lab = xstrdup("");
	for (i = 0; i < np; i++) {
		s = cand_surface(c, mem, nmem, &pick[i]);
		len += strlen(s) + 2;
		lab = xrealloc(lab, len);
		if (i > 0)
			strcat(lab, ", ");
		strcat(lab, s);
		free(s);
	}
	return lab;
}

/* ---- the calls --------------------------------------------------------- */

void
cluster_opts_init(struct cluster_opts *o, enum norm_lang lang)
{
	memset(o, 0, sizeof *o);
	o->lang = lang;
	o->min_sim = 0.1;
}

void
cluster_result_free(struct cluster_result *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->ngroups; i++) {
		free(r->groups[i].label);
		free(r->groups[i].index);
		free(r->groups[i].ids);
	}
	free(r->groups);
	free(r->none);
	free(r);
}

static unsigned
features_of(const struct cluster_opts *o)
{
	return o->features ? o->features : DEFAULT_FEATURES;
}

static const char **
texts_of(const struct cluster_note *notes, size_t n, size_t extra)
{
	const char **t = xcalloc(n + extra, sizeof *t);
	size_t i;

	for (i = 0; i < n; i++)
		t[i] = notes[i].text;
	return t;
}

/* Number of distinct vectors among x[0..n), at most cap. */
static size_t
distinct(const struct svec *x, size_t n, size_t cap)
{
	struct map seen;
	size_t i, j, count = 0;
	uint64_t h;
	uint32_t l;
	int same;

	map_init_int(&seen);
	for (i = 0; i < n && count < cap; i++) {
		h = 1469598103934665603ULL;
		for (l = 0; l < x[i].nnz; l++) {
			h = (h ^ x[i].idx[l]) * 1099511628211ULL;
			h = hash_bytes((const char *)&x[i].val[l],
			    sizeof x[i].val[l], h);
		}
		j = (size_t)(uintptr_t)map_get_int(&seen, (int64_t)h);
		same = 0;
		if (j) {
			j--;
			same = x[j].nnz == x[i].nnz &&
			    memcmp(x[j].idx, x[i].idx, x[i].nnz *
			    sizeof *x[i].idx) == 0 &&
			    memcmp(x[j].val, x[i].val, x[i].nnz *
			    sizeof *x[i].val) == 0;
		}
		if (!same) {
			count++;
			if (!j)
				map_put_int(&seen, (int64_t)h,
				    (void *)(uintptr_t)(i + 1));
		}
	}
	map_free(&seen);
	return count;
}

/* Partition of x into k groups by the chosen method; returns its objective
 * (the k-means one, for every method). */
static double
partition(const struct corpus *c, const struct svec *x, const size_t *act,
    size_t n, size_t dim, int k, const struct cluster_opts *o, uint64_t *rng,
    int restarts, int *z)
{
	struct kdata d;
	double obj;
	int r, *cur;

	switch (o->method) {
	case CLUSTER_METHOD_GSDMM:
		gsdmm(c, act, n, k, rng, z);
		break;
	case CLUSTER_METHOD_GSDMM_KMEANS:
		cur = xmalloc(n * sizeof *cur);
		obj = -HUGE_VAL;
		for (r = 0; r < (restarts + 1) / 2; r++) {
			gsdmm(c, act, n, k, rng, cur);
			kdata_init(&d, x, n, dim, k);
			if (kmeans_lloyd(&d, cur) > obj) {
				obj = kmeans_sums(&d, cur, NULL);
				memcpy(z, cur, n * sizeof *z);
			}
			kdata_free(&d);
		}
		free(cur);
		break;
	case CLUSTER_METHOD_AGGLO:
		agglo(x, n, dim, k, z);
		break;
	default:
		return kmeans(x, n, dim, k, restarts, rng, z, 0);
	}
	kdata_init(&d, x, n, dim, k);
	obj = kmeans_sums(&d, z, NULL);
	kdata_free(&d);
	return obj;
}

static int
kmax_of(const struct cluster_opts *o, size_t n)
{
	int kmax = o->kmax;

	if (kmax <= 0) {
		/* sqrt(n/2) + 2: 15 notes -> 4, 80 -> 8, 200 -> 12 */
		kmax = (int)floor(sqrt((double)n / 2)) + 2;
		if (kmax > KMAX_LIMIT)
			kmax = KMAX_LIMIT;
	}
	if (kmax < 2)
		kmax = 2;
	return kmax;
}

/*
 * Choose k in [2, kmax] and partition: the levels of the merge hierarchy
 * are scored by the criterion, the best one is refined by Lloyd
 * iterations.  Beyond a small board the over-clustering gets half the
 * restarts: merging and refining make up for a worse start, at 2/3 of
 * the time.  Returns k; z holds its partition.
 */
static int
choose_k(const struct svec *x, size_t n, size_t dim, int kmax,
    const struct cluster_opts *o, uint64_t *rng, int restarts, int *z)
{
	struct levels lv, nl;
	struct svec *y;
	double score, bestscore = -HUGE_VAL;
	size_t i;
	int k, best = 2;

	levels_build(&lv, x, n, dim, kmax, n <= SMALL_BOARD ? restarts :
	    (restarts + 1) / 2, rng);
	if (o->kchoice == CLUSTER_K_GAP) {
		y = null_data(x, n, dim, rng);
		levels_build(&nl, y, n, dim, kmax, restarts, rng);
		for (k = 2; k <= kmax; k++) {
			score = log((double)n - nl.obj[k] + 1e-9) -
			    log((double)n - lv.obj[k] + 1e-9);
			if (score > bestscore) {
				bestscore = score;
				best = k;
			}
		}
		levels_free(&nl);
		for (i = 0; i < n; i++)
			svec_free(&y[i]);
		free(y);
	} else {
		for (k = 2; k <= kmax; k++)
			if (lv.sil[k] > bestscore) {
				bestscore = lv.sil[k];
				best = k;
			}
	}
	memcpy(z, lv.z[best], n * sizeof *z);
	levels_free(&lv);
	k = compact(z, n);
	kmeans(x, n, dim, k, 1, rng, z, 1);
	return k;
}

/* Renumber the groups of z 0, 1, ... in order of first appearance;
 * returns how many. */
static int
compact(int *z, size_t n)
{
	struct map ren;
	size_t i;
	int k = 0;
	uintptr_t v;

	map_init_int(&ren);
	for (i = 0; i < n; i++) {
		v = (uintptr_t)map_get_int(&ren, z[i]);
		if (v == 0) {
			v = (uintptr_t)++k;
			map_put_int(&ren, z[i], (void *)v);
		}
		z[i] = (int)v - 1;
	}
	map_free(&ren);
	return k;
}

struct gsort {
	size_t size, first;
	int g;
};

static int
cmp_gsort(const void *a, const void *b)
{
	const struct gsort *x = a, *y = b;

	if (x->size != y->size)
		return x->size > y->size ? -1 : 1;
	return x->first < y->first ? -1 : x->first > y->first;
}

/* Fill group g of r with the notes i whose gid[i] == want. */
static void
group_fill(struct cluster_group *g, const struct cluster_note *notes,
    size_t n, const int *gid, int want)
{
	size_t i;

	g->count = 0;
	for (i = 0; i < n; i++)
		g->count += gid[i] == want;
	g->index = xmalloc((g->count ? g->count : 1) * sizeof *g->index);
	g->ids = xmalloc((g->count ? g->count : 1) * sizeof *g->ids);
	g->count = 0;
	for (i = 0; i < n; i++)
		if (gid[i] == want) {
			g->index[g->count] = i;
			g->ids[g->count++] = notes[i].id;
		}
}

int
cluster_suggest(const struct cluster_note *notes, size_t n,
    const struct cluster_opts *o, struct cluster_result **out)
{
	struct corpus c;
	struct features f;
	struct cluster_result *r;
	struct svec *x;
	struct gsort *gs;
	struct map pdf;
	const char **texts;
	size_t *act, na = 0, i, j, nd, *mem, nmem;
	uint32_t *tcnt, *tlast;
	int *z, *gid, k, g, restarts, big;
	uint64_t rng;

	if (n == 0 || o->k < 0)
		return -1;
	rng = o->seed ^ 0x5eed5eed5eed5eedULL;
	restarts = o->restarts > 0 ? o->restarts : RESTARTS;
	texts = texts_of(notes, n, 0);
	corpus_init(&c, texts, n, o->lang);
	free(texts);
	features_build(&f, &c, features_of(o));
	/* The notes with a feature vector take part. */
	act = xmalloc(n * sizeof *act);
	x = xmalloc(n * sizeof *x);
	for (i = 0; i < n; i++)
		if (c.docs[i].nwords > 0 && f.x[i].nnz > 0) {
			x[na] = f.x[i];
			act[na++] = i;
		}
	z = xcalloc(na ? na : 1, sizeof *z);
	if (na <= SMALL_BOARD && o->restarts <= 0)
		restarts *= SMALL_RESTARTS;
	k = 0;
	if (na > 0) {
		nd = distinct(x, na, (size_t)KMAX_LIMIT + 1 +
		    (size_t)(o->k > 0 ? o->k : 0));
		if (o->k > 0) {
			k = o->k < (int)nd ? o->k : (int)nd;
		} else if (nd <= 1) {
			k = 1;
		} else if (na == 2) {
			k = svec_dot(&x[0], &x[1]) >= 0.5 ? 1 : 2;
		} else {
			k = kmax_of(o, na);
			if (k > (int)nd)
				k = (int)nd;
		}
		if (k == 1 || (o->k == 0 && na == 2)) {
			for (i = 0; i < na; i++)
				z[i] = k == 1 ? 0 : (int)i;
		} else if (o->k > 0 || k == 2) {
			partition(&c, x, act, na, f.dim, k, o, &rng, restarts,
			    z);
		} else if (o->method == CLUSTER_METHOD_GSDMM) {
			/* GSDMM finds its own number of groups */
			partition(&c, x, act, na, f.dim, 2 * k, o, &rng,
			    restarts, z);
		} else {
			k = choose_k(x, na, f.dim, k, o, &rng, restarts, z);
		}
		k = compact(z, na);
	}
	/* Groups: of notes with words by size, then those without. */
	gid = xmalloc(n * sizeof *gid);
	for (i = 0; i < n; i++)
		gid[i] = -1;
	for (i = 0; i < na; i++)
		gid[act[i]] = z[i];
	gs = xcalloc((size_t)k + 1, sizeof *gs);
	for (g = 0; g < k; g++) {
		gs[g].g = g;
		gs[g].first = SIZE_MAX;
	}
	for (i = 0; i < na; i++) {
		gs[z[i]].size++;
		if (gs[z[i]].first == SIZE_MAX)
			gs[z[i]].first = act[i];
	}
	qsort(gs, (size_t)k, sizeof *gs, cmp_gsort);
	/* Notes with words but no vector join the largest group. */
	big = k > 0 ? gs[0].g : -1;
	for (i = 0; i < n; i++)
		if (gid[i] < 0 && c.docs[i].nwords > 0 && big >= 0)
			gid[i] = big;
	r = xcalloc(1, sizeof *r);
	r->groups = xcalloc((size_t)k + 1, sizeof *r->groups);
	r->k = k;
	pairs_df(&c, &pdf);
	tcnt = xcalloc(c.nterms ? c.nterms : 1, sizeof *tcnt);
	tlast = xcalloc(c.nterms ? c.nterms : 1, sizeof *tlast);
	for (j = 0; j < (size_t)k; j++) {
		group_fill(&r->groups[j], notes, n, gid, gs[j].g);
		mem = r->groups[j].index;
		nmem = r->groups[j].count;
		r->groups[j].label = group_label(&c, &pdf, mem, nmem, tcnt,
		    tlast);
	}
	r->ngroups = (size_t)k;
	for (i = 0; i < n && gid[i] >= 0; i++)
		;
	if (i < n) {
		group_fill(&r->groups[k], notes, n, gid, -1);
		r->groups[k].label = xstrdup("");
		r->ngroups++;
	}
	map_free(&pdf);
	free(tcnt);
	free(tlast);
	free(gs);
	free(gid);
	free(z);
	free(x);
	free(act);
	features_free(&f);
	corpus_free(&c);
	*out = r;
	return 0;
}

/*
 * Guided centroids: for each theme, the sum of its seeds (examples and
 * keywords, each weighing GUIDED_W_SEED) and of the notes assigned to it.
 */
static void
guided_centroids(struct kdata *d, const int *seed, const int *owner,
    int *z, double *w)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		z[i] = seed[i] >= 0 ? seed[i] : owner[i];
		w[i] = seed[i] >= 0 ? GUIDED_W_SEED : 1.0;
	}
	kmeans_sums(d, z, w);
}

int
cluster_guided(const struct cluster_note *notes, size_t n,
    const struct cluster_theme *themes, size_t nthemes,
    const struct cluster_opts *o, struct cluster_result **out)
{
	struct corpus c;
	struct features f;
	struct kdata d;
	struct cluster_result *r;
	struct map ids;
	const char **texts;
	size_t nkw = 0, i, j, m;
	int *seed, *owner, *zz, rc = -1, t, it, best, changed;
	double *ww;
	uintptr_t v;

	if (nthemes == 0 || nthemes > INT32_MAX)
		return -1;
	for (t = 0; (size_t)t < nthemes; t++)
		nkw += themes[t].keywords != NULL;
	texts = texts_of(notes, n, nkw);
	m = n;
	for (t = 0; (size_t)t < nthemes; t++)
		if (themes[t].keywords)
			texts[m++] = themes[t].keywords;
	corpus_init(&c, texts, m, o->lang);
	free(texts);
	features_build(&f, &c, features_of(o));
	seed = xmalloc((m ? m : 1) * sizeof *seed);
	owner = xmalloc((m ? m : 1) * sizeof *owner);
	for (i = 0; i < m; i++)
		seed[i] = owner[i] = -1;
	map_init_int(&ids);
	for (i = n; i-- > 0;)
		map_put_int(&ids, notes[i].id, (void *)(uintptr_t)(i + 1));
	m = n;
	for (t = 0; (size_t)t < nthemes; t++) {
		if (themes[t].keywords)
			seed[m++] = t;
		for (j = 0; j < themes[t].nexamples; j++) {
			v = (uintptr_t)map_get_int(&ids,
			    themes[t].examples[j]);
			if (v == 0 || seed[v - 1] >= 0)
				goto done;
			seed[v - 1] = t;
		}
	}
	/* Nearest theme profile, then refine with the notes assigned. */
	kdata_init(&d, f.x, m, f.dim, (int)nthemes);
	zz = xmalloc(m * sizeof *zz);
	ww = xmalloc(m * sizeof *ww);
	for (it = 0; it <= GUIDED_ITERS; it++) {
		guided_centroids(&d, seed, owner, zz, ww);
		changed = 0;
		for (i = 0; i < n; i++) {
			if (seed[i] >= 0)
				continue;
			best = -1;
			memset(d.score, 0, nthemes * sizeof *d.score);
			if (c.docs[i].nwords > 0 && f.x[i].nnz > 0) {
				kmeans_scores(&d, &f.x[i]);
				best = argmax(d.score, d.k);
				if (d.score[best] < o->min_sim ||
				    d.score[best] <= 0)
					best = -1;
			}
			if (o->min_sim <= 0 && best < 0 &&
			    c.docs[i].nwords > 0)
				best = argmax(d.score, d.k);
			changed += best != owner[i];
			owner[i] = best;
		}
		if (!changed)
			break;
	}
	kdata_free(&d);
	free(zz);
	free(ww);
	r = xcalloc(1, sizeof *r);
	r->groups = xcalloc(nthemes, sizeof *r->groups);
	r->ngroups = nthemes;
	r->k = (int)nthemes;
	for (i = 0; i < n; i++)
		if (seed[i] >= 0)
			owner[i] = seed[i];
	for (t = 0; (size_t)t < nthemes; t++) {
		group_fill(&r->groups[t], notes, n, owner, t);
		r->groups[t].label = xstrdup(themes[t].name ?
		    themes[t].name : "");
	}
	for (i = 0; i < n; i++)
		r->nnone += owner[i] < 0;
	r->none = xmalloc((r->nnone ? r->nnone : 1) * sizeof *r->none);
	for (i = 0, j = 0; i < n; i++)
		if (owner[i] < 0)
			r->none[j++] = i;
	*out = r;
	rc = 0;
done:
	map_free(&ids);
	free(seed);
	free(owner);
	features_free(&f);
	corpus_free(&c);
	return rc;
}
