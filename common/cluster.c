/*
 * cluster.c - thematic clustering of short texts: the calls of cluster.h
 * (see docs/clustering.md for the method and its measurements).
 *
 * The pipeline, and where each step lives:
 * 1. Words (cluster-features.c): every note goes through norm_tokens();
 *    its content words are the stems of the tokens that are neither stop
 *    words nor too general to tell themes apart ("plus", "more").
 * 2. Features (cluster-features.c): a note is a sparse unit vector made
 *    of up to three blocks, each L2-normalised before weighting: TF-IDF
 *    of stems (sublinear tf, smooth idf), the same stems spread to the
 *    stems that co-occur with them in the other notes (positive PMI
 *    between stems, computed on the notes themselves: "vélo" brings in a
 *    little of "piste" and "cyclable"), and TF-IDF of character 3- to
 *    5-grams of the folded words (catching "cyclable" ~ "cyclistes").
 * 3. Grouping (cluster-kmeans.c): spherical k-means (cosine), k-means++
 *    seeding and several restarts, the best objective kept.  The
 *    candidates measured against it (GSDMM, GSDMM then k-means,
 *    average-linkage agglomerative: cluster-candidates.c) are kept for
 *    the benchmark.
 * 4. k, when not given (cluster-kmeans.c): spherical k-means at kmax
 *    groups, then the two groups whose merge loses the least objective
 *    are merged, level by level down to 2; each level is scored
 *    (simplified silhouette on cosine, each point against the centroid of
 *    the other members) and the best one is refined by Lloyd iterations.
 * 5. Labels (cluster-label.c): the one to three stems or stem pairs that
 *    are most frequent in the group and most specific to it, shown as
 *    people wrote them.
 * Guided mode (here) assigns each note to the nearest theme profile and
 * refines the profiles with the notes assigned.
 *
 * Randomness comes from a splitmix64 stream seeded by the caller; every
 * loop runs in a fixed order and ties go to the lowest index, so the
 * result is a function of the input and the seed.
 */
#include "cluster.h"
#include "cluster-internal.h"
#include "map.h"
#include "util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

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

/*
 * The words and feature vectors of the notes, then of the keywords of
 * the themes that have some (guided mode; none for suggest): docs [0, n)
 * are the notes.  Free with cluster_features_free() and
 * cluster_corpus_free().
 */
static void
analyse(struct corpus *c, struct features *f, const struct cluster_note *notes,
    size_t n, const struct cluster_theme *themes, size_t nthemes,
    const struct cluster_opts *o)
{
	const char **texts;
	size_t nkw = 0, m, i;

	for (i = 0; i < nthemes; i++)
		nkw += themes[i].keywords != NULL;
	texts = xcalloc(n + nkw, sizeof *texts);
	for (i = 0; i < n; i++)
		texts[i] = notes[i].text;
	m = n;
	for (i = 0; i < nthemes; i++)
		if (themes[i].keywords)
			texts[m++] = themes[i].keywords;
	cluster_corpus_init(c, texts, m, o->lang);
	free(texts);
	cluster_features_build(f, c, o->features ? o->features :
	    DEFAULT_FEATURES);
}

/* Partition of x into k groups by the chosen method; returns its objective
 * (the k-means one, for every method). */
static double
partition(const struct corpus *c, const struct svec *x, const size_t *act,
    size_t n, size_t dim, int k, const struct cluster_opts *o, uint64_t *rng,
    int restarts, int *z)
{
	struct kdata d;
	double obj, best;
	int r, *cur;

	switch (o->method) {
	case CLUSTER_METHOD_GSDMM:
		cluster_gsdmm(c, act, n, k, rng, z);
		break;
	case CLUSTER_METHOD_GSDMM_KMEANS:
		/* the best of GSDMM runs, each refined by k-means */
		cur = xmalloc(n * sizeof *cur);
		best = -HUGE_VAL;
		for (r = 0; r < (restarts + 1) / 2; r++) {
			cluster_gsdmm(c, act, n, k, rng, cur);
			obj = cluster_kmeans(x, n, dim, k, 1, rng, cur, 1);
			if (obj > best) {
				best = obj;
				memcpy(z, cur, n * sizeof *z);
			}
		}
		free(cur);
		break;
	case CLUSTER_METHOD_AGGLO:
		cluster_agglo(x, n, dim, k, z);
		break;
	default:
		return cluster_kmeans(x, n, dim, k, restarts, rng, z, 0);
	}
	cluster_kdata_init(&d, x, n, dim, k);
	obj = cluster_kmeans_sums(&d, z, NULL);
	cluster_kdata_free(&d);
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
 * The positions i < n where gid[i] == want, ascending, in a new array (of
 * one slot at least); sets *count.
 */
static size_t *
positions(const int *gid, size_t n, int want, size_t *count)
{
	size_t i, *pos;

	*count = 0;
	for (i = 0; i < n; i++)
		*count += gid[i] == want;
	pos = xmalloc((*count ? *count : 1) * sizeof *pos);
	*count = 0;
	for (i = 0; i < n; i++)
		if (gid[i] == want)
			pos[(*count)++] = i;
	return pos;
}

/* Fill group g with the notes i whose gid[i] == want. */
static void
group_fill(struct cluster_group *g, const struct cluster_note *notes,
    size_t n, const int *gid, int want)
{
	size_t i;

	g->index = positions(gid, n, want, &g->count);
	g->ids = xmalloc((g->count ? g->count : 1) * sizeof *g->ids);
	for (i = 0; i < g->count; i++)
		g->ids[i] = notes[g->index[i]].id;
}

int
cluster_suggest(const struct cluster_note *notes, size_t n,
    const struct cluster_opts *o, struct cluster_result **out)
{
	struct corpus c;
	struct features f;
	struct labels lb;
	struct cluster_result *r;
	struct svec *x;
	struct ranked *gs;
	size_t *act, na = 0, i, j, nd;
	int *z, *gid, k, g, restarts, big;
	uint64_t rng;

	if (n == 0 || o->k < 0)
		return -1;
	rng = o->seed ^ 0x5eed5eed5eed5eedULL;
	restarts = o->restarts > 0 ? o->restarts : RESTARTS;
	analyse(&c, &f, notes, n, NULL, 0, o);
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
		nd = cluster_svec_distinct(x, na, (size_t)KMAX_LIMIT + 1 +
		    (size_t)(o->k > 0 ? o->k : 0));
		if (o->k > 0) {
			k = o->k < (int)nd ? o->k : (int)nd;
		} else if (nd <= 1) {
			k = 1;
		} else if (na == 2) {
			k = cluster_svec_dot(&x[0], &x[1]) >= 0.5 ? 1 : 2;
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
			k = cluster_choose_k(x, na, f.dim, k, o, &rng,
			    restarts, z);
		}
		k = cluster_compact(z, na);
	}
	/*
	 * Groups: of notes with words by size (gs[].val), then those
	 * without.  Groups are numbered in order of first appearance
	 * (cluster_compact), so among groups of a size the one whose first
	 * note comes first leads.
	 */
	gid = xmalloc(n * sizeof *gid);
	for (i = 0; i < n; i++)
		gid[i] = -1;
	for (i = 0; i < na; i++)
		gid[act[i]] = z[i];
	gs = xcalloc((size_t)k + 1, sizeof *gs);
	for (g = 0; g < k; g++)
		gs[g].idx = (uint32_t)g;
	for (i = 0; i < na; i++)
		gs[z[i]].val++;
	qsort(gs, (size_t)k, sizeof *gs, cluster_cmp_ranked);
	/* Notes with words but no vector join the largest group. */
	big = k > 0 ? (int)gs[0].idx : -1;
	for (i = 0; i < n; i++)
		if (gid[i] < 0 && c.docs[i].nwords > 0 && big >= 0)
			gid[i] = big;
	r = xcalloc(1, sizeof *r);
	r->groups = xcalloc((size_t)k + 1, sizeof *r->groups);
	r->k = k;
	cluster_labels_init(&lb, &c);
	for (j = 0; j < (size_t)k; j++) {
		group_fill(&r->groups[j], notes, n, gid, (int)gs[j].idx);
		r->groups[j].label = cluster_label(&lb, r->groups[j].index,
		    r->groups[j].count);
	}
	r->ngroups = (size_t)k;
	for (i = 0; i < n && gid[i] >= 0; i++)
		;
	if (i < n) {
		group_fill(&r->groups[k], notes, n, gid, -1);
		r->groups[k].label = xstrdup("");
		r->ngroups++;
	}
	cluster_labels_free(&lb);
	free(gs);
	free(gid);
	free(z);
	free(x);
	free(act);
	cluster_features_free(&f);
	cluster_corpus_free(&c);
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
	cluster_kmeans_sums(d, z, w);
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
	size_t i, j, m;
	int *seed, *owner, *zz, rc = -1, t, it, best, changed;
	double *ww;
	uintptr_t v;

	if (nthemes == 0 || nthemes > INT32_MAX)
		return -1;
	/* docs: the notes, then the keyword texts */
	analyse(&c, &f, notes, n, themes, nthemes, o);
	m = c.n;
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
	cluster_kdata_init(&d, f.x, m, f.dim, (int)nthemes);
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
				cluster_kmeans_scores(&d, &f.x[i]);
				best = cluster_argmax(d.score, d.k);
				if (d.score[best] < o->min_sim ||
				    d.score[best] <= 0)
					best = -1;
			}
			if (o->min_sim <= 0 && best < 0 &&
			    c.docs[i].nwords > 0)
				best = cluster_argmax(d.score, d.k);
			changed += best != owner[i];
			owner[i] = best;
		}
		if (!changed)
			break;
	}
	cluster_kdata_free(&d);
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
	/* owner is -1 for a note that fits no theme */
	r->none = positions(owner, n, -1, &r->nnone);
	*out = r;
	rc = 0;
done:
	map_free(&ids);
	free(seed);
	free(owner);
	cluster_features_free(&f);
	cluster_corpus_free(&c);
	return rc;
}
