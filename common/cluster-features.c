/*
 * cluster-features.c - the notes of a clustering call as words and as
 * feature vectors (steps 1 and 2 of the pipeline in cluster.c).
 *
 * Words: every note goes through norm_tokens(); its content words are the
 * stems of the tokens that are neither stop words nor too general to tell
 * themes apart ("plus", "more": weak_word()).
 *
 * Features: a note is a sparse unit vector made of up to three blocks,
 * each L2-normalised before weighting: TF-IDF of stems (sublinear tf,
 * smooth idf), the same stems spread to the stems that co-occur with them
 * in the other notes (positive PMI between stems, computed on the notes
 * themselves: "vélo" brings in a little of "piste" and "cyclable"), and
 * TF-IDF of character 3- to 5-grams of the folded words (catching
 * "cyclable" ~ "cyclistes").  Stem indexes come first, n-grams after.
 *
 * Also the sparse vectors the other files of the engine work on.
 */
#include "cluster-internal.h"
#include "util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- sparse vectors ---------------------------------------------------- */

/* Room for nnz entries (at least one), none used yet. */
static void
svec_alloc(struct svec *v, size_t nnz)
{
	v->idx = xmalloc((nnz ? nnz : 1) * sizeof *v->idx);
	v->val = xmalloc((nnz ? nnz : 1) * sizeof *v->val);
	v->nnz = 0;
}

void
cluster_svec_free(struct svec *v)
{
	free(v->idx);
	free(v->val);
	v->idx = NULL;
	v->val = NULL;
	v->nnz = 0;
}

double
cluster_svec_dot(const struct svec *a, const struct svec *b)
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

void
cluster_svec_unit(struct svec *v)
{
	double norm = svec_norm(v), f;
	uint32_t i;

	if (norm > 0) {
		f = 1.0 / norm;
		for (i = 0; i < v->nnz; i++)
			v->val[i] *= f;
	}
}

/* v = a then b, each with its own indexes; a and b are freed. */
static void
svec_concat(struct svec *v, struct svec *a, struct svec *b)
{
	svec_alloc(v, (size_t)a->nnz + b->nnz);
	v->nnz = a->nnz + b->nnz;
	if (a->nnz) {
		memcpy(v->idx, a->idx, a->nnz * sizeof *a->idx);
		memcpy(v->val, a->val, a->nnz * sizeof *a->val);
	}
	if (b->nnz) {
		memcpy(v->idx + a->nnz, b->idx, b->nnz * sizeof *b->idx);
		memcpy(v->val + a->nnz, b->val, b->nnz * sizeof *b->val);
	}
	cluster_svec_free(a);
	cluster_svec_free(b);
}

void
cluster_svec_dots(const struct svec *x, size_t n, size_t p, double *dense,
    double *out)
{
	size_t i;
	uint32_t j;
	double s;

	for (j = 0; j < x[p].nnz; j++)
		dense[x[p].idx[j]] = x[p].val[j];
	for (i = 0; i < n; i++) {
		s = 0;
		for (j = 0; j < x[i].nnz; j++)
			s += x[i].val[j] * dense[x[i].idx[j]];
		out[i] = s;
	}
	for (j = 0; j < x[p].nnz; j++)
		dense[x[p].idx[j]] = 0;
}

/* FNV-1a of len bytes of s, continuing from h. */
static uint64_t
hash_bytes(const char *s, size_t len, uint64_t h)
{
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	return h;
}

size_t
cluster_svec_distinct(const struct svec *x, size_t n, size_t cap)
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

int
cluster_cmp_ranked(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;

	if (x->val != y->val)
		return x->val > y->val ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
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
	svec_alloc(v, a->ntouched);
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

void
cluster_corpus_init(struct corpus *c, const char *const *texts, size_t n,
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

void
cluster_corpus_free(struct corpus *c)
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

/* ---- TF-IDF ------------------------------------------------------------ */

static double
idf(size_t n, uint32_t df)
{
	return log((1.0 + (double)n) / (1.0 + (double)df)) + 1.0;
}

/*
 * Turn the counts in a into TF-IDF weights: sublinear tf, smooth idf of
 * the document frequencies df over n docs.  Returns their L2 norm.
 */
static double
acc_tfidf(struct acc *a, size_t n, const uint32_t *df)
{
	uint32_t j, t;
	double norm = 0;

	for (j = 0; j < a->ntouched; j++) {
		t = a->touched[j];
		a->val[t] = (1.0 + log(a->val[t])) * idf(n, df[t]);
		norm += a->val[t] * a->val[t];
	}
	return sqrt(norm);
}

/* TF-IDF of the stems of doc d, unit length, in acc. */
static void
stem_tfidf(const struct corpus *c, const struct doc *d, struct acc *a)
{
	uint32_t t;
	size_t j;
	double norm;

	for (j = 0; j < d->ntok; j++)
		if ((t = d->stem[j]) != UINT32_MAX)
			acc_add(a, t, 1.0);
	norm = acc_tfidf(a, c->n, c->df);
	for (j = 0; j < a->ntouched; j++)
		a->val[a->touched[j]] /= norm;
}

/* ---- spreading: PPMI between stems ------------------------------------- */

/* Stem co-occurrence: for each term, its PPMI neighbours, unit rows. */
struct cooc {
	uint32_t **nb;
	double **w;
	uint32_t *len;
	size_t nterms;
};

/* The pair of terms (a < b) in slot s of a pair table and its count; 0 if
 * the slot is free. */
static int
pair_at(const struct map *pairs, size_t s, uint32_t *a, uint32_t *b,
    uint32_t *cnt)
{
	uint64_t key;

	if (pairs->slots[s].hash <= 1)
		return 0;
	key = (uint64_t)pairs->slots[s].ikey;
	*a = (uint32_t)(key >> 32);
	*b = (uint32_t)key;
	*cnt = (uint32_t)(uintptr_t)pairs->slots[s].value;
	return 1;
}

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
				key = pair_key(u[j], u[l]);
				cnt = (uint32_t)(uintptr_t)map_get_int(&pairs,
				    (int64_t)key);
				map_put_int(&pairs, (int64_t)key,
				    (void *)(uintptr_t)(cnt + 1));
			}
	}
	free(u);
	/* Slots in table order: fixed for a given input. */
	for (s = 0; s < pairs.cap; s++)
		if (pair_at(&pairs, s, &a, &b, &cnt)) {
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
		if (!pair_at(&pairs, s, &a, &b, &cnt))
			continue;
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
	qsort(*buf, m, sizeof **buf, cluster_cmp_ranked);
	if (EXPAND_TOP && m > EXPAND_TOP)
		m = EXPAND_TOP;
	for (i = 0; i < m; i++)
		acc_add(a, (*buf)[i].idx, W_EXPAND * (*buf)[i].val);
}

/* ---- character n-grams ------------------------------------------------- */

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

/* The character n-grams of a corpus. */
struct grams {
	uint64_t **dg;		/* hashes of the n-grams of each doc */
	size_t *ng;		/* how many, repeats included */
	struct map ids;		/* hash -> id + 1 */
	uint32_t *df;		/* docs holding each id */
	size_t n;		/* ids: distinct n-grams */
	size_t ndocs;
};

/* The n-grams of the docs of c, if on; none otherwise. */
static void
grams_build(struct grams *gr, const struct corpus *c, int on)
{
	uint32_t g, *last = NULL;
	size_t i, j, cap;

	gr->ndocs = c->n;
	gr->dg = xcalloc(c->n, sizeof *gr->dg);
	gr->ng = xcalloc(c->n, sizeof *gr->ng);
	gr->df = NULL;
	gr->n = 0;
	map_init_int(&gr->ids);
	if (!on)
		return;
	for (i = 0; i < c->n; i++) {
		cap = 0;
		gr->ng[i] = doc_ngrams(&c->docs[i], &gr->dg[i], &cap);
		for (j = 0; j < gr->ng[i]; j++) {
			g = (uint32_t)(uintptr_t)map_get_int(&gr->ids,
			    (int64_t)gr->dg[i][j]);
			if (g == 0) {
				g = (uint32_t)++gr->n;
				map_put_int(&gr->ids, (int64_t)gr->dg[i][j],
				    (void *)(uintptr_t)g);
				gr->df = xrealloc(gr->df, gr->n *
				    sizeof *gr->df);
				last = xrealloc(last, gr->n * sizeof *last);
				gr->df[g - 1] = 0;
				last[g - 1] = UINT32_MAX;
			}
			if (last[g - 1] != i) {
				last[g - 1] = (uint32_t)i;
				gr->df[g - 1]++;
			}
		}
	}
	free(last);
}

static void
grams_free(struct grams *gr)
{
	size_t i;

	for (i = 0; i < gr->ndocs; i++)
		free(gr->dg[i]);
	free(gr->dg);
	free(gr->ng);
	free(gr->df);
	map_free(&gr->ids);
}

/*
 * The TF-IDF of the n-grams of doc i that stand in 2+ docs, of length w,
 * into v with offset added to the ids.  a is scratch over the ids.
 */
static void
grams_tfidf(const struct grams *gr, size_t i, struct acc *a, double w,
    uint32_t offset, struct svec *v)
{
	uint32_t g;
	size_t j;
	double norm;

	for (j = 0; j < gr->ng[i]; j++) {
		g = (uint32_t)(uintptr_t)map_get_int(&gr->ids,
		    (int64_t)gr->dg[i][j]) - 1;
		if (gr->df[g] >= 2)
			acc_add(a, g, 1.0);
	}
	norm = acc_tfidf(a, gr->ndocs, gr->df);
	for (j = 0; j < a->ntouched; j++)
		a->val[a->touched[j]] *= w / norm;
	acc_take(a, v, offset);
}

/* ---- feature vectors --------------------------------------------------- */

void
cluster_features_build(struct features *f, const struct corpus *c,
    unsigned feat)
{
	struct acc a, sp, ca;
	struct cooc co;
	struct grams gr;
	struct svec sv, cv;
	struct ranked *buf = NULL;
	size_t bufcap = 0, i;
	double w;

	memset(f, 0, sizeof *f);
	f->n = c->n;
	f->nstems = c->nterms;
	f->x = xcalloc(c->n, sizeof *f->x);
	acc_init(&a, c->nterms);
	acc_init(&sp, c->nterms);
	if (feat & CLUSTER_FEAT_EXPAND)
		cooc_build(&co, c);
	/* Character n-grams: ids for those in 2+ docs. */
	grams_build(&gr, c, (feat & CLUSTER_FEAT_CHARS) != 0);
	acc_init(&ca, gr.n);
	f->dim = c->nterms + gr.n;
	w = (feat & (CLUSTER_FEAT_STEMS | CLUSTER_FEAT_EXPAND)) ? W_CHARS : 1.0;
	for (i = 0; i < c->n; i++) {
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
			cluster_svec_free(&sv);
		cluster_svec_unit(&sv);
		grams_tfidf(&gr, i, &ca, w, (uint32_t)c->nterms, &cv);
		/* Concatenate: stem indexes come first. */
		svec_concat(&f->x[i], &sv, &cv);
		cluster_svec_unit(&f->x[i]);
	}
	grams_free(&gr);
	free(buf);
	acc_free(&a);
	acc_free(&sp);
	acc_free(&ca);
	if (feat & CLUSTER_FEAT_EXPAND)
		cooc_free(&co);
}

void
cluster_features_free(struct features *f)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		cluster_svec_free(&f->x[i]);
	free(f->x);
}
