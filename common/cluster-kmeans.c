/*
 * cluster-kmeans.c - spherical k-means and the choice of k (steps 3 and 4
 * of the pipeline in cluster.c).
 *
 * Spherical k-means (cosine): k-means++ seeding and several restarts, the
 * best objective kept.  The sums of the groups are kept feature-major in
 * floats, so that the dots of a point with all of them run as vector
 * instructions.
 *
 * k, when not given: spherical k-means at kmax groups, then the two
 * groups whose merge loses the least objective are merged, level by level
 * down to 2; each level is scored (simplified silhouette on cosine, each
 * point against the centroid of the other members, or the gap to a
 * column-permuted null) and the best one is refined by Lloyd iterations.
 */
#include "cluster-internal.h"
#include "map.h"
#include "util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#ifdef __GNUC__
typedef float vfloat __attribute__((vector_size(LANES * sizeof(float))));
#endif

/* ---- spherical k-means ------------------------------------------------- */

void
cluster_kdata_init(struct kdata *d, const struct svec *x, size_t n,
    size_t dim, int k)
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

void
cluster_kdata_free(struct kdata *d)
{
	free(d->sum);
	free(d->inv);
	free(d->raw);
	free(d->score);
	free(d->sim);
	free(d->count);
}

/*
 * The hot loop of every method: blocks of LANES floats, which compilers
 * turn into vector instructions.
 */
void
cluster_kmeans_scores(struct kdata *d, const struct svec *x)
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

double
cluster_kmeans_sums(struct kdata *d, const int *z, const double *w)
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

int
cluster_argmax(const double *v, int k)
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
	double *dot = xmalloc(d->n * sizeof *dot);
	double sum, r, s;
	size_t i, pick = 0;
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
		cluster_svec_dots(d->x, d->n, pick, dense, dot);
		for (i = 0; i < d->n; i++) {
			s = 1.0 - dot[i];
			if (s < 0)
				s = 0;
			if (s < mind[i]) {
				mind[i] = s;
				z[i] = c;
			}
		}
	}
	free(dense);
	free(mind);
	free(dot);
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
		cluster_kmeans_sums(d, z, NULL);
		changed = 0;
		for (i = 0; i < d->n; i++) {
			cluster_kmeans_scores(d, &d->x[i]);
			best = cluster_argmax(d->score, d->k);
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
	return cluster_kmeans_sums(d, z, NULL);
}

double
cluster_kmeans(const struct svec *x, size_t n, size_t dim, int k,
    int restarts, uint64_t *rng, int *z, int init)
{
	struct kdata d;
	int *cur = xmalloc(n * sizeof *cur), r;
	double obj, best = -HUGE_VAL;

	cluster_kdata_init(&d, x, n, dim, k);
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
	cluster_kdata_free(&d);
	free(cur);
	return best;
}

/* ---- choosing k -------------------------------------------------------- */

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
	cluster_kmeans(x, n, dim, K, restarts, rng, z, 0);
	cluster_kdata_init(&d, x, n, dim, K);
	cluster_kmeans_sums(&d, z, NULL);
	raw = xmalloc(n * (size_t)K * sizeof *raw);
	for (i = 0; i < n; i++) {
		cluster_kmeans_scores(&d, &x[i]);
		for (c = 0; c < K; c++)
			raw[i * (size_t)K + (size_t)c] = d.raw[c];
	}
	cluster_kdata_free(&d);
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
	double *val;

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
		cluster_svec_unit(&y[i]);
	free(start);
	free(cnt);
	free(doc);
	free(val);
	free(mark);
	free(cap);
	return y;
}

/*
 * The levels of the merge hierarchy are scored by the criterion, the best
 * one is refined by Lloyd iterations.  Beyond a small board the
 * over-clustering gets half the restarts: merging and refining make up
 * for a worse start, at 2/3 of the time.
 */
int
cluster_choose_k(const struct svec *x, size_t n, size_t dim, int kmax,
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
			cluster_svec_free(&y[i]);
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
	k = cluster_compact(z, n);
	cluster_kmeans(x, n, dim, k, 1, rng, z, 1);
	return k;
}

int
cluster_compact(int *z, size_t n)
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
