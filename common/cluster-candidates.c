/*
 * cluster-candidates.c - the grouping methods measured against spherical
 * k-means and kept for the benchmark (docs/clustering.md): GSDMM, a
 * Dirichlet multinomial mixture sampled by Gibbs sweeps, and
 * average-linkage agglomerative clustering on cosine.  Neither is the
 * default; cluster_opts.method selects them.
 */
#include "cluster-internal.h"
#include "util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- GSDMM ------------------------------------------------------------- */

/* The counts of a GSDMM sampler over V terms. */
struct dmm {
	double *m;		/* K: notes in each group */
	double *nk;		/* K: words in each group */
	uint32_t *nkw;		/* K * V: occurrences of each term */
	size_t V;
};

/* Add doc d to group k of the counts (delta 1), or take it out (-1). */
static void
dmm_count(struct dmm *s, const struct doc *d, int k, int delta)
{
	size_t j;
	uint32_t t;

	s->m[k] += delta;
	s->nk[k] += delta * (double)d->nwords;
	for (j = 0; j < d->ntok; j++)
		if ((t = d->stem[j]) != UINT32_MAX)
			s->nkw[(size_t)k * s->V + t] += (uint32_t)delta;
}

/*
 * Gibbs sampling of a Dirichlet multinomial mixture over the stems of
 * the notes (Yin & Wang, KDD 2014), K groups at most.  Groups are
 * renumbered 0..k-1 in order of first appearance.
 */
int
cluster_gsdmm(const struct corpus *c, const size_t *active, size_t n, int K,
    uint64_t *rng, int *z)
{
	struct dmm s;
	size_t V = c->nterms, i, j, l;
	double *lp, sum, r, lmax, vb = (double)V * GSDMM_BETA;
	uint32_t t;
	int it, k, kk, *ren;
	const struct doc *d;

	s.V = V;
	s.m = xcalloc((size_t)K, sizeof *s.m);
	s.nk = xcalloc((size_t)K, sizeof *s.nk);
	lp = xcalloc((size_t)K, sizeof *lp);
	s.nkw = xcalloc((size_t)K * V, sizeof *s.nkw);
	for (i = 0; i < n; i++) {
		z[i] = (int)rng_below(rng, (size_t)K);
		dmm_count(&s, &c->docs[active[i]], z[i], 1);
	}
	for (it = 0; it < GSDMM_ITERS; it++)
		for (i = 0; i < n; i++) {
			d = &c->docs[active[i]];
			dmm_count(&s, d, z[i], -1);
			lmax = -HUGE_VAL;
			for (kk = 0; kk < K; kk++) {
				uint32_t *row = s.nkw + (size_t)kk * V;
				size_t rep;

				lp[kk] = log(s.m[kk] + GSDMM_ALPHA);
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
					lp[kk] -= log(s.nk[kk] + vb + (double)j);
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
			dmm_count(&s, d, k, 1);
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
	free(s.m);
	free(s.nk);
	free(lp);
	free(s.nkw);
	return kk;
}

/* ---- agglomerative ----------------------------------------------------- */

/* One step of the agglomeration: group b joins group a. */
struct merge {
	size_t a, b;
};

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
void
cluster_agglo(const struct svec *x, size_t n, size_t dim, int k, int *z)
{
	float *S = xmalloc(n * n * sizeof *S);
	double *dense = xcalloc(dim, sizeof *dense), s, best;
	double *dot = xmalloc((n ? n : 1) * sizeof *dot);
	size_t *size = xmalloc(n * sizeof *size), *chain, top = 0, i, j, a, b;
	size_t *parent, nm = 0, *root;
	unsigned char *alive = xmalloc(n);
	struct merge *mg = xmalloc((n ? n : 1) * sizeof *mg);
	struct ranked *order = xmalloc((n ? n : 1) * sizeof *order);
	int g;

	for (i = 0; i < n; i++) {
		cluster_svec_dots(x, n, i, dense, dot);
		for (j = 0; j < n; j++)
			S[i * n + j] = (float)dot[j];
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
			order[nm].idx = (uint32_t)nm;	/* ties: first first */
			order[nm].val = best;
			nm++;
		} else {
			chain[top++] = b;
		}
	}
	/* the n - k merges of highest similarity leave k groups */
	qsort(order, nm, sizeof *order, cluster_cmp_ranked);
	parent = xmalloc((n ? n : 1) * sizeof *parent);
	for (i = 0; i < n; i++)
		parent[i] = i;
	for (i = 0; i + (size_t)k < n && i < nm; i++)
		parent[uf_find(parent, mg[order[i].idx].a)] =
		    uf_find(parent, mg[order[i].idx].b);
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
	free(dot);
	free(size);
	free(chain);
	free(alive);
	free(mg);
	free(order);
	free(parent);
	free(root);
}
