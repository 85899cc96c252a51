/*
 * cluster.c - benchmark of the clustering engine (common/cluster.h) on
 * the labelled short texts of ../shared/data: adjusted Rand index and
 * normalised mutual information against the labels, with k given and
 * with k chosen by the engine, mean of 5 seeds, time per run; guided
 * mode accuracy with 3 labelled examples per theme against a TF-IDF
 * nearest-centroid baseline; time to cluster 1,000 notes.
 *
 *   bench-cluster [DATADIR]               the tables of docs/clustering.md
 *   bench-cluster --candidates [DATADIR]  every method, feature set and k
 *                                         criterion
 *   bench-cluster --subsets [DATADIR]     k chosen on random subsets
 *   bench-cluster --quick [DATADIR]       the first table only
 *   bench-cluster --guided [DATADIR]      guided mode only
 *   bench-cluster --speed [DATADIR]       speed only
 *
 * DATADIR defaults to ../shared/data beside the source tree.  Output is
 * markdown.  See docs/clustering.md.
 */
#include "common/cluster.h"
#include "common/map.h"
#include "common/normalize.h"
#include "common/util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SEEDS 5

struct dataset {
	const char *file;
	const char *name;
	enum norm_lang lang;
	size_t n;
	struct cluster_note *notes;
	int *label;		/* 0 .. nlabels-1 */
	char **labels;		/* names */
	int nlabels;
};

/* CPU time of the process, in ms: the machine may be shared. */
static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static double
wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Read id<TAB>label<TAB>text lines after a header; no quoting. */
static int
dataset_load(struct dataset *ds, const char *dir)
{
	char path[4096], *line = NULL, *t1, *t2, *nl;
	size_t cap = 0, ncap = 0;
	struct map lab;
	uintptr_t v;
	FILE *fp;
	int first = 1;

	snprintf(path, sizeof path, "%s/%s", dir, ds->file);
	if ((fp = fopen(path, "r")) == NULL) {
		perror(path);
		return -1;
	}
	map_init_str(&lab);
	while (getline(&line, &cap, fp) > 0) {
		if (first) {
			first = 0;
			continue;
		}
		if ((nl = strchr(line, '\n')) != NULL)
			*nl = '\0';
		if ((t1 = strchr(line, '\t')) == NULL ||
		    (t2 = strchr(t1 + 1, '\t')) == NULL)
			continue;
		*t1 = *t2 = '\0';
		xgrow((void **)&ds->notes, &ncap, ds->n + 1, sizeof *ds->notes);
		ds->label = xrealloc(ds->label, ncap * sizeof *ds->label);
		v = (uintptr_t)map_get_str(&lab, t1 + 1);
		if (v == 0) {
			v = (uintptr_t)++ds->nlabels;
			map_put_str(&lab, t1 + 1, (void *)v);
			ds->labels = xrealloc(ds->labels, (size_t)ds->nlabels *
			    sizeof *ds->labels);
			ds->labels[v - 1] = xstrdup(t1 + 1);
		}
		ds->label[ds->n] = (int)v - 1;
		ds->notes[ds->n].id = (int64_t)ds->n;
		ds->notes[ds->n].text = xstrdup(t2 + 1);
		ds->n++;
	}
	free(line);
	fclose(fp);
	map_free(&lab);
	return 0;
}

/* ---- scores ------------------------------------------------------------ */

static double
comb2(double x)
{
	return x * (x - 1) / 2;
}

/* Contingency table of labels a (na classes) and b (nb) over n items. */
static double *
contingency(const int *a, int na, const int *b, int nb, size_t n)
{
	double *t = xcalloc((size_t)na * (size_t)nb, sizeof *t);
	size_t i;

	for (i = 0; i < n; i++)
		t[(size_t)a[i] * (size_t)nb + (size_t)b[i]]++;
	return t;
}

static double
ari(const int *a, int na, const int *b, int nb, size_t n)
{
	double *t = contingency(a, na, b, nb, n), s = 0, sa = 0, sb = 0, r, e;
	int i, j;

	for (i = 0; i < na; i++) {
		r = 0;
		for (j = 0; j < nb; j++) {
			s += comb2(t[i * nb + j]);
			r += t[i * nb + j];
		}
		sa += comb2(r);
	}
	for (j = 0; j < nb; j++) {
		r = 0;
		for (i = 0; i < na; i++)
			r += t[i * nb + j];
		sb += comb2(r);
	}
	free(t);
	e = sa * sb / comb2((double)n);
	if ((sa + sb) / 2 - e == 0)
		return 1.0;
	return (s - e) / ((sa + sb) / 2 - e);
}

/* NMI with the arithmetic mean of the entropies (scikit-learn's default). */
static double
nmi(const int *a, int na, const int *b, int nb, size_t n)
{
	double *t = contingency(a, na, b, nb, n), *pa, *pb, mi = 0, ha = 0,
	    hb = 0, N = (double)n, p;
	int i, j;

	pa = xcalloc((size_t)na, sizeof *pa);
	pb = xcalloc((size_t)nb, sizeof *pb);
	for (i = 0; i < na; i++)
		for (j = 0; j < nb; j++) {
			pa[i] += t[i * nb + j] / N;
			pb[j] += t[i * nb + j] / N;
		}
	for (i = 0; i < na; i++)
		for (j = 0; j < nb; j++) {
			p = t[i * nb + j] / N;
			if (p > 0)
				mi += p * log(p / (pa[i] * pb[j]));
		}
	for (i = 0; i < na; i++)
		if (pa[i] > 0)
			ha -= pa[i] * log(pa[i]);
	for (j = 0; j < nb; j++)
		if (pb[j] > 0)
			hb -= pb[j] * log(pb[j]);
	free(t);
	free(pa);
	free(pb);
	if (ha + hb == 0)
		return 1.0;
	return mi / ((ha + hb) / 2);
}

/* ---- unsupervised ------------------------------------------------------ */

struct score {
	double ari, nmi, ms, k;
};

/* Mean over SEEDS seeds of one configuration. */
static struct score
run(const struct dataset *ds, int k, enum cluster_method method,
    unsigned features, enum cluster_kchoice kchoice)
{
	struct cluster_opts o;
	struct cluster_result *r;
	struct score s = { 0, 0, 0, 0 };
	int *z = xmalloc(ds->n * sizeof *z), seed;
	size_t g, j;
	double t0;

	for (seed = 0; seed < SEEDS; seed++) {
		cluster_opts_init(&o, ds->lang);
		o.k = k;
		o.seed = (uint64_t)seed;
		o.method = method;
		o.features = features;
		o.kchoice = kchoice;
		t0 = now_ms();
		if (cluster_suggest(ds->notes, ds->n, &o, &r) != 0) {
			fprintf(stderr, "cluster_suggest failed\n");
			exit(1);
		}
		s.ms += now_ms() - t0;
		for (g = 0; g < r->ngroups; g++)
			for (j = 0; j < r->groups[g].count; j++)
				z[r->groups[g].index[j]] = (int)g;
		s.ari += ari(ds->label, ds->nlabels, z, (int)r->ngroups, ds->n);
		s.nmi += nmi(ds->label, ds->nlabels, z, (int)r->ngroups, ds->n);
		s.k += (double)r->k;
		cluster_result_free(r);
	}
	free(z);
	s.ari /= SEEDS;
	s.nmi /= SEEDS;
	s.ms /= SEEDS;
	s.k /= SEEDS;
	return s;
}

/* ---- guided ------------------------------------------------------------ */

/* A sparse TF-IDF vector of the baseline, as a string map stem -> weight. */
struct bvec {
	char **stem;
	double *w;
	size_t n;
};

/* TF-IDF (raw tf, smooth idf, l2: scikit-learn's defaults) on stems. */
static struct bvec *
baseline_vectors(const struct dataset *ds)
{
	struct norm *nm = norm_new(ds->lang);
	struct bvec *v = xcalloc(ds->n, sizeof *v);
	struct norm_token *tok;
	struct map df;
	size_t i, j, l, cap;
	long nt;
	double norm;
	uintptr_t c;

	map_init_str(&df);
	for (i = 0; i < ds->n; i++) {
		nt = norm_tokens(nm, ds->notes[i].text, &tok);
		cap = 0;
		for (j = 0; nt > 0 && j < (size_t)nt; j++) {
			if (tok[j].stop || tok[j].stem[0] == '\0')
				continue;
			for (l = 0; l < v[i].n; l++)
				if (strcmp(v[i].stem[l], tok[j].stem) == 0)
					break;
			if (l == v[i].n) {
				xgrow((void **)&v[i].stem, &cap, l + 1,
				    sizeof *v[i].stem);
				v[i].w = xrealloc(v[i].w, cap *
				    sizeof *v[i].w);
				v[i].stem[l] = xstrdup(tok[j].stem);
				v[i].w[l] = 0;
				v[i].n++;
				c = (uintptr_t)map_get_str(&df, tok[j].stem);
				map_put_str(&df, tok[j].stem, (void *)(c + 1));
			}
			v[i].w[l] += 1;
		}
		if (nt > 0)
			norm_tokens_free(tok, (size_t)nt);
	}
	for (i = 0; i < ds->n; i++) {
		norm = 0;
		for (l = 0; l < v[i].n; l++) {
			c = (uintptr_t)map_get_str(&df, v[i].stem[l]);
			v[i].w[l] *= log((1.0 + (double)ds->n) /
			    (1.0 + (double)c)) + 1.0;
			norm += v[i].w[l] * v[i].w[l];
		}
		for (l = 0; l < v[i].n; l++)
			v[i].w[l] /= sqrt(norm);
	}
	map_free(&df);
	norm_free(nm);
	return v;
}

static void
baseline_free(struct bvec *v, size_t n)
{
	size_t i, l;

	for (i = 0; i < n; i++) {
		for (l = 0; l < v[i].n; l++)
			free(v[i].stem[l]);
		free(v[i].stem);
		free(v[i].w);
	}
	free(v);
}

/* Accuracy of the nearest TF-IDF centroid of the examples (cosine). */
static double
baseline_accuracy(const struct dataset *ds, const struct bvec *v,
    const int *example)
{
	struct map *cent = xcalloc((size_t)ds->nlabels, sizeof *cent);
	double **w = xcalloc((size_t)ds->nlabels, sizeof *w), *norm, s, bs;
	size_t i, l, *nw = xcalloc((size_t)ds->nlabels, sizeof *nw);
	size_t right = 0, total = 0;
	uintptr_t p;
	int t, best;

	norm = xcalloc((size_t)ds->nlabels, sizeof *norm);
	for (t = 0; t < ds->nlabels; t++) {
		map_init_str(&cent[t]);
		w[t] = xcalloc(ds->n * 8 + 1, sizeof **w);
	}
	for (i = 0; i < ds->n; i++) {
		if (example[i] < 0)
			continue;
		t = example[i];
		for (l = 0; l < v[i].n; l++) {
			p = (uintptr_t)map_get_str(&cent[t], v[i].stem[l]);
			if (p == 0) {
				p = ++nw[t];
				map_put_str(&cent[t], v[i].stem[l], (void *)p);
			}
			w[t][p - 1] += v[i].w[l];
		}
	}
	for (t = 0; t < ds->nlabels; t++) {
		for (l = 0; l < nw[t]; l++)
			norm[t] += w[t][l] * w[t][l];
		norm[t] = norm[t] > 0 ? sqrt(norm[t]) : 1;
	}
	for (i = 0; i < ds->n; i++) {
		if (example[i] >= 0)
			continue;
		best = 0;
		bs = -1;
		for (t = 0; t < ds->nlabels; t++) {
			s = 0;
			for (l = 0; l < v[i].n; l++) {
				p = (uintptr_t)map_get_str(&cent[t],
				    v[i].stem[l]);
				if (p)
					s += v[i].w[l] * w[t][p - 1];
			}
			s /= norm[t];
			if (s > bs) {
				bs = s;
				best = t;
			}
		}
		right += best == ds->label[i];
		total++;
	}
	for (t = 0; t < ds->nlabels; t++) {
		map_free(&cent[t]);
		free(w[t]);
	}
	free(cent);
	free(w);
	free(nw);
	free(norm);
	return (double)right / (double)total;
}

/* Choose 3 examples per label at random: example[i] = label or -1. */
static void
pick_examples(const struct dataset *ds, uint64_t seed, int *example)
{
	size_t i, j, *idx = xmalloc(ds->n * sizeof *idx), m, tmp;
	int t;

	srand((unsigned)seed * 7919u + 17u);
	for (i = 0; i < ds->n; i++)
		example[i] = -1;
	for (t = 0; t < ds->nlabels; t++) {
		m = 0;
		for (i = 0; i < ds->n; i++)
			if (ds->label[i] == t)
				idx[m++] = i;
		for (i = 0; i < 3 && i < m; i++) {
			j = i + (size_t)rand() % (m - i);
			tmp = idx[i];
			idx[i] = idx[j];
			idx[j] = tmp;
			example[idx[i]] = t;
		}
	}
	free(idx);
}

struct gscore {
	double engine, engine_thr, none_thr, baseline, ms;
};

static struct gscore
guided(const struct dataset *ds, unsigned features)
{
	struct gscore g = { 0, 0, 0, 0, 0 };
	struct cluster_theme *th;
	struct cluster_opts o;
	struct cluster_result *r;
	struct bvec *v = baseline_vectors(ds);
	int *example = xmalloc(ds->n * sizeof *example), *got, t, pass;
	int64_t **ex = xcalloc((size_t)ds->nlabels, sizeof *ex);
	size_t i, j, right, total, none;
	double t0;
	uint64_t seed;

	th = xcalloc((size_t)ds->nlabels, sizeof *th);
	got = xmalloc(ds->n * sizeof *got);
	for (t = 0; t < ds->nlabels; t++)
		ex[t] = xmalloc(3 * sizeof **ex);
	for (seed = 0; seed < SEEDS; seed++) {
		pick_examples(ds, seed, example);
		g.baseline += baseline_accuracy(ds, v, example);
		for (t = 0; t < ds->nlabels; t++) {
			th[t].name = ds->labels[t];
			th[t].keywords = NULL;
			th[t].examples = ex[t];
			th[t].nexamples = 0;
		}
		for (i = 0; i < ds->n; i++)
			if (example[i] >= 0)
				ex[example[i]][th[example[i]].nexamples++] =
				    ds->notes[i].id;
		for (pass = 0; pass < 2; pass++) {
			cluster_opts_init(&o, ds->lang);
			o.seed = seed;
			o.features = features;
			if (pass == 0)
				o.min_sim = 0;
			t0 = now_ms();
			if (cluster_guided(ds->notes, ds->n, th,
			    (size_t)ds->nlabels, &o, &r) != 0) {
				fprintf(stderr, "cluster_guided failed\n");
				exit(1);
			}
			if (pass == 0)
				g.ms += now_ms() - t0;
			for (i = 0; i < ds->n; i++)
				got[i] = -1;
			for (t = 0; t < ds->nlabels; t++)
				for (j = 0; j < r->groups[t].count; j++)
					got[r->groups[t].index[j]] = t;
			right = total = none = 0;
			for (i = 0; i < ds->n; i++) {
				if (example[i] >= 0)
					continue;
				right += got[i] == ds->label[i];
				none += got[i] < 0;
				total++;
			}
			if (pass == 0) {
				g.engine += (double)right / (double)total;
			} else {
				g.engine_thr += (double)right / (double)total;
				g.none_thr += (double)none / (double)total;
			}
			cluster_result_free(r);
		}
	}
	for (t = 0; t < ds->nlabels; t++)
		free(ex[t]);
	free(ex);
	free(th);
	free(got);
	free(example);
	baseline_free(v, ds->n);
	g.engine /= SEEDS;
	g.engine_thr /= SEEDS;
	g.none_thr /= SEEDS;
	g.baseline /= SEEDS;
	g.ms /= SEEDS;
	return g;
}

/* ---- speed ------------------------------------------------------------- */

/*
 * Time to cluster the first n notes of ds, k given and chosen: the best
 * of 10 runs, CPU and wall-clock.
 */
static void
speed(const struct dataset *ds, size_t n)
{
	struct cluster_opts o;
	struct cluster_result *r;
	double t0, w0, dt, dw, cpu[2] = { HUGE_VAL, HUGE_VAL };
	double wall[2] = { HUGE_VAL, HUGE_VAL };
	int rep, mode, k = 0;

	if (n > ds->n)
		n = ds->n;
	for (mode = 0; mode < 2; mode++)
		for (rep = 0; rep < 10; rep++) {
			cluster_opts_init(&o, ds->lang);
			o.k = mode == 0 ? 10 : 0;
			o.seed = (uint64_t)rep;
			t0 = now_ms();
			w0 = wall_ms();
			cluster_suggest(ds->notes, n, &o, &r);
			dt = now_ms() - t0;
			dw = wall_ms() - w0;
			if (dt < cpu[mode])
				cpu[mode] = dt;
			if (dw < wall[mode])
				wall[mode] = dw;
			if (mode == 1)
				k = r->k;
			cluster_result_free(r);
		}
	printf("| %zu notes of %s | %.1f ms CPU, %.1f ms wall | "
	    "%.1f ms CPU, %.1f ms wall (k = %d) |\n", n, ds->name, cpu[0],
	    wall[0], cpu[1], wall[1], k);
}

/* ---- main -------------------------------------------------------------- */

static const char *
method_name(enum cluster_method m)
{
	switch (m) {
	case CLUSTER_METHOD_KMEANS: return "spherical k-means";
	case CLUSTER_METHOD_GSDMM: return "GSDMM";
	case CLUSTER_METHOD_GSDMM_KMEANS: return "GSDMM + k-means";
	case CLUSTER_METHOD_AGGLO: return "agglomerative (average)";
	default: return "default";
	}
}

static const char *
features_name(unsigned f)
{
	static char buf[64];

	if (f == 0)
		return "default";
	buf[0] = '\0';
	if (f & CLUSTER_FEAT_STEMS)
		strcat(buf, "stems ");
	if (f & CLUSTER_FEAT_CHARS)
		strcat(buf, "chars ");
	if (f & CLUSTER_FEAT_EXPAND)
		strcat(buf, "spread ");
	buf[strlen(buf) - 1] = '\0';
	return buf;
}

/*
 * k chosen on random subsets of m notes, as on a workshop board: mean k
 * found, mean number of labels present, ARI and NMI.
 */
static void
subsets(const struct dataset *ds, size_t m, enum cluster_kchoice kc,
    const char *kname)
{
	struct dataset sub = *ds;
	struct cluster_opts o;
	struct cluster_result *r;
	size_t *idx = xmalloc(ds->n * sizeof *idx), i, j, tmp, g;
	int *z = xmalloc(m * sizeof *z), *lab = xmalloc(m * sizeof *lab);
	int *present = xcalloc((size_t)ds->nlabels, sizeof *present);
	double k = 0, kt = 0, a = 0, nm = 0;
	int rep, reps = 20, t;

	sub.notes = xmalloc(m * sizeof *sub.notes);
	sub.n = m;
	srand(12345);
	for (rep = 0; rep < reps; rep++) {
		for (i = 0; i < ds->n; i++)
			idx[i] = i;
		for (i = 0; i < m; i++) {
			j = i + (size_t)rand() % (ds->n - i);
			tmp = idx[i];
			idx[i] = idx[j];
			idx[j] = tmp;
			sub.notes[i] = ds->notes[idx[i]];
			lab[i] = ds->label[idx[i]];
		}
		memset(present, 0, (size_t)ds->nlabels * sizeof *present);
		for (i = 0; i < m; i++)
			present[lab[i]] = 1;
		for (t = 0; t < ds->nlabels; t++)
			kt += present[t];
		cluster_opts_init(&o, ds->lang);
		o.seed = (uint64_t)rep;
		o.kchoice = kc;
		cluster_suggest(sub.notes, m, &o, &r);
		for (g = 0; g < r->ngroups; g++)
			for (j = 0; j < r->groups[g].count; j++)
				z[r->groups[g].index[j]] = (int)g;
		k += r->k;
		a += ari(lab, ds->nlabels, z, (int)r->ngroups, m);
		nm += nmi(lab, ds->nlabels, z, (int)r->ngroups, m);
		cluster_result_free(r);
	}
	printf("| %s | %zu notes | %s | %.1f | %.1f | %.3f | %.3f |\n",
	    ds->name, m, kname, k / reps, kt / reps, a / reps, nm / reps);
	fflush(stdout);
	free(sub.notes);
	free(idx);
	free(z);
	free(lab);
	free(present);
}

static void
candidates(struct dataset *ds, size_t nds)
{
	static const struct {
		enum cluster_method m;
		unsigned f;
	} cand[] = {
		{ CLUSTER_METHOD_KMEANS, CLUSTER_FEAT_STEMS },
		{ CLUSTER_METHOD_KMEANS, CLUSTER_FEAT_CHARS },
		{ CLUSTER_METHOD_KMEANS, CLUSTER_FEAT_STEMS | CLUSTER_FEAT_CHARS },
		{ CLUSTER_METHOD_KMEANS, CLUSTER_FEAT_STEMS | CLUSTER_FEAT_EXPAND },
		{ CLUSTER_METHOD_KMEANS, CLUSTER_FEAT_STEMS | CLUSTER_FEAT_CHARS |
		    CLUSTER_FEAT_EXPAND },
		{ CLUSTER_METHOD_GSDMM, CLUSTER_FEAT_STEMS },
		{ CLUSTER_METHOD_GSDMM_KMEANS, CLUSTER_FEAT_STEMS |
		    CLUSTER_FEAT_CHARS | CLUSTER_FEAT_EXPAND },
		{ CLUSTER_METHOD_AGGLO, CLUSTER_FEAT_STEMS | CLUSTER_FEAT_CHARS },
		{ CLUSTER_METHOD_AGGLO, CLUSTER_FEAT_STEMS | CLUSTER_FEAT_CHARS |
		    CLUSTER_FEAT_EXPAND },
	};
	struct score s;
	size_t c, d;

	printf("| data | method | features | ARI | NMI | ms/run |\n");
	printf("|---|---|---|---|---|---|\n");
	for (d = 0; d < nds; d++)
		for (c = 0; c < ARRAY_LEN(cand); c++) {
			s = run(&ds[d], ds[d].nlabels, cand[c].m, cand[c].f,
			    CLUSTER_K_DEFAULT);
			printf("| %s | %s | %s | %.3f | %.3f | %.0f |\n",
			    ds[d].name, method_name(cand[c].m),
			    features_name(cand[c].f), s.ari, s.nmi, s.ms);
			fflush(stdout);
		}
	printf("\n| data | subset | k criterion | mean k | labels present | ARI | NMI |\n");
	printf("|---|---|---|---|---|---|---|\n");
	for (d = 0; d < nds; d++)
		for (c = 0; c < 3; c++) {
			size_t m = c == 0 ? 40 : c == 1 ? 100 : 200;

			subsets(&ds[d], m, CLUSTER_K_SILHOUETTE, "silhouette");
			subsets(&ds[d], m, CLUSTER_K_GAP, "gap");
		}
	printf("\n| data | k criterion | mean k | ARI | NMI | ms/run |\n");
	printf("|---|---|---|---|---|---|\n");
	for (d = 0; d < nds; d++) {
		s = run(&ds[d], 0, 0, 0, CLUSTER_K_SILHOUETTE);
		printf("| %s | silhouette | %.1f | %.3f | %.3f | %.0f |\n",
		    ds[d].name, s.k, s.ari, s.nmi, s.ms);
		s = run(&ds[d], 0, 0, 0, CLUSTER_K_GAP);
		printf("| %s | gap | %.1f | %.3f | %.3f | %.0f |\n",
		    ds[d].name, s.k, s.ari, s.nmi, s.ms);
		s = run(&ds[d], 0, CLUSTER_METHOD_GSDMM, CLUSTER_FEAT_STEMS,
		    CLUSTER_K_DEFAULT);
		printf("| %s | GSDMM's own | %.1f | %.3f | %.3f | %.0f |\n",
		    ds[d].name, s.k, s.ari, s.nmi, s.ms);
		fflush(stdout);
	}
}

int
main(int argc, char **argv)
{
	struct dataset ds[2] = {
		{ "paris_bp_2014_2017_fr.tsv", "Paris BP (fr)", NORM_FR, 0,
		    NULL, NULL, NULL, 0 },
		{ "slurp_test_en.tsv", "SLURP (en)", NORM_EN, 0, NULL, NULL,
		    NULL, 0 },
	};
	char def[4096], *slash;
	const char *dir;
	struct score s;
	struct gscore g;
	int cand = 0, fast = 0, quick = 0, sub = 0, gonly = 0, argi = 1;
	size_t d, i;

	if (argi < argc && strcmp(argv[argi], "--candidates") == 0) {
		cand = 1;
		argi++;
	} else if (argi < argc && strcmp(argv[argi], "--speed") == 0) {
		fast = 1;
		argi++;
	} else if (argi < argc && strcmp(argv[argi], "--guided") == 0) {
		gonly = 1;
		argi++;
	} else if (argi < argc && strcmp(argv[argi], "--subsets") == 0) {
		sub = 1;
		argi++;
	} else if (argi < argc && strcmp(argv[argi], "--quick") == 0) {
		quick = 1;
		argi++;
	}
	if (argi < argc) {
		dir = argv[argi];
	} else {
		/* this file is tests/bench/cluster/cluster.c */
		snprintf(def, sizeof def, "%s", __FILE__);
		for (i = 0; i < 4 && (slash = strrchr(def, '/')) != NULL; i++)
			*slash = '\0';
		strncat(def, "/../shared/data", sizeof def - strlen(def) - 1);
		dir = def;
	}
	for (d = 0; d < ARRAY_LEN(ds); d++)
		if (dataset_load(&ds[d], dir) != 0)
			return 1;
	if (cand) {
		candidates(ds, ARRAY_LEN(ds));
		goto done;
	}
	if (sub) {
		printf("| data | subset | k criterion | mean k | labels present "
		    "| ARI | NMI |\n");
		printf("|---|---|---|---|---|---|---|\n");
		for (d = 0; d < ARRAY_LEN(ds); d++)
			for (i = 0; i < 3; i++) {
				size_t m = i == 0 ? 40 : i == 1 ? 100 : 200;

				subsets(&ds[d], m, CLUSTER_K_SILHOUETTE,
				    "silhouette");
				subsets(&ds[d], m, CLUSTER_K_GAP, "gap");
			}
		goto done;
	}
	if (!fast && !gonly) {
		printf("| data | pipeline | k | ARI | NMI | ms/run |\n");
		printf("|---|---|---|---|---|---|\n");
		for (d = 0; d < ARRAY_LEN(ds); d++) {
			s = run(&ds[d], ds[d].nlabels, 0, 0, 0);
			printf("| %s | atelier | %d (given) | %.3f | %.3f | "
			    "%.1f |\n", ds[d].name, ds[d].nlabels, s.ari,
			    s.nmi, s.ms);
			s = run(&ds[d], 0, 0, 0, 0);
			printf("| %s | atelier | %.1f (chosen) | %.3f | %.3f | "
			    "%.1f |\n", ds[d].name, s.k, s.ari, s.nmi, s.ms);
			fflush(stdout);
		}
		if (quick)
			goto done;
		printf("\n");
	}
	if (!fast) {
		printf("| data | guided (3 examples/theme) | baseline: TF-IDF "
		    "nearest centroid | guided, default threshold | none | "
		    "ms/run |\n");
		printf("|---|---|---|---|---|---|\n");
		for (d = 0; d < ARRAY_LEN(ds); d++) {
			g = guided(&ds[d], 0);
			printf("| %s | %.3f | %.3f | %.3f | %.1f%% | %.1f |\n",
			    ds[d].name, g.engine, g.baseline, g.engine_thr,
			    100 * g.none_thr, g.ms);
			fflush(stdout);
		}
		if (gonly)
			goto done;
		printf("\n");
	}
	printf("| speed (best of 10) | k = 10 | k chosen |\n");
	printf("|---|---|---|\n");
	speed(&ds[1], 1000);
	speed(&ds[0], 606);
done:
	for (d = 0; d < ARRAY_LEN(ds); d++) {
		for (i = 0; i < ds[d].n; i++)
			free((char *)ds[d].notes[i].text);
		free(ds[d].notes);
		free(ds[d].label);
		for (i = 0; i < (size_t)ds[d].nlabels; i++)
			free(ds[d].labels[i]);
		free(ds[d].labels);
	}
	return 0;
}
