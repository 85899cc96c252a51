/*
 * cluster-label.c - the names of the groups of cluster_suggest (step 5 of
 * the pipeline in cluster.c): the one to three stems or adjacent stem
 * pairs that are most frequent in the group and most specific to it,
 * shown as people wrote them.
 */
#include "cluster-internal.h"
#include "util.h"

#include <utf8proc.h>

#include <stdlib.h>
#include <string.h>

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

void
cluster_labels_init(struct labels *lb, const struct corpus *c)
{
	lb->c = c;
	pairs_df(c, &lb->pdf);
	lb->tcnt = xcalloc(c->nterms ? c->nterms : 1, sizeof *lb->tcnt);
	lb->tlast = xcalloc(c->nterms ? c->nterms : 1, sizeof *lb->tlast);
}

void
cluster_labels_free(struct labels *lb)
{
	map_free(&lb->pdf);
	free(lb->tcnt);
	free(lb->tlast);
}

/*
 * Up to three stems or stem pairs ranked by (share of the members holding
 * it) x (share of the notes holding it that are members), pairs preferred
 * on ties and replacing a stem they contain when they hold at least half
 * its members.
 */
char *
cluster_label(struct labels *lb, const size_t *mem, size_t nmem)
{
	const struct corpus *c = lb->c;
	uint32_t *tcnt = lb->tcnt, *tlast = lb->tlast;
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
			cd[i].df = (uintptr_t)map_get_int(&lb->pdf, (int64_t)
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
