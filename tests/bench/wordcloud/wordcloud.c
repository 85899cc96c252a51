/*
 * wordcloud.c - benchmark of the word-cloud core: the time to apply one
 * word (norm_key + wordcloud_add) over every word of the texts in
 * ../shared/data, and the time to lay out the top 100, 200 and 1000
 * entries on an 800x600 canvas, with the words placed and the overlaps
 * found by an independent pairwise check.
 *
 * usage: bench-wordcloud [-d DATA_DIR] [-o OUT_DIR] [-r REPEAT] [-n N]...
 *
 * Times are those of the fastest of REPEAT runs (default 20; the machine
 * may be shared), with the median of layouts too; a word's time is the
 * mean over every word of the fastest pass.  With -o, it writes for
 * each N: OUT_DIR/words-N.tsv (text, font size in px, count: the input
 * d3cloud.mjs lays out), OUT_DIR/ours-N.tsv (our boxes, for its ink
 * check) and OUT_DIR/ours-N.svg (to look at).  Each output line is a
 * record of key=value fields that run.sh reads.
 */
#include "common/cloudlayout.h"
#include "common/normalize.h"
#include "common/util.h"
#include "common/wordcloud.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define W 800
#define H 600

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* The words of the third column of a TSV file, split on white space. */
static size_t
read_words(const char *path, char ***out)
{
	FILE *f = fopen(path, "r");
	char line[4096], *text, *w, *save;
	char **v = NULL;
	size_t len = 0, cap = 0;
	int header = 1;

	if (f == NULL) {
		fprintf(stderr, "bench-wordcloud: %s: %s\n", path,
		    strerror(errno));
		exit(1);
	}
	while (fgets(line, sizeof line, f) != NULL) {
		line[strcspn(line, "\r\n")] = '\0';
		if (header) {
			header = 0;
			continue;
		}
		if ((text = strchr(line, '\t')) == NULL ||
		    (text = strchr(text + 1, '\t')) == NULL)
			continue;
		for (w = strtok_r(text + 1, " ", &save); w != NULL;
		    w = strtok_r(NULL, " ", &save)) {
			xgrow((void **)&v, &cap, len + 1, sizeof *v);
			v[len++] = xstrdup(w);
		}
	}
	fclose(f);
	*out = v;
	return len;
}

struct apply_result {
	size_t words, rejected, entries;
	double us_norm, us_add;		/* per word */
};

/*
 * Apply every word, repeat passes, to a new cloud each time (wc keeps the
 * last); the times per word are those of the fastest pass.
 */
static void
apply_words(struct wordcloud *wc, enum norm_lang lang, char **words,
    size_t n, int repeat, struct apply_result *r)
{
	struct norm *nm = norm_new(lang);
	char **keys = xcalloc(n, sizeof *keys);
	double t0, t, tnorm = 1e300, tadd = 1e300;
	size_t i;
	int k;

	memset(r, 0, sizeof *r);
	for (k = 0; k < repeat; k++) {
		t0 = now_ms();
		for (i = 0; i < n; i++) {
			free(keys[i]);
			keys[i] = norm_key(nm, words[i]);
		}
		if ((t = now_ms() - t0) < tnorm)
			tnorm = t;
		wordcloud_reset(wc);
		t0 = now_ms();
		for (i = 0; i < n; i++)
			if (keys[i] != NULL)
				wordcloud_add(wc, keys[i], words[i]);
		if ((t = now_ms() - t0) < tadd)
			tadd = t;
	}
	r->words = n;
	for (i = 0; i < n; i++) {
		if (keys[i] == NULL)
			r->rejected++;
		free(keys[i]);
	}
	r->entries = wordcloud_len(wc);
	r->us_norm = tnorm * 1e3 / (double)n;
	r->us_add = tadd * 1e3 / (double)n;
	free(keys);
	norm_free(nm);
}

/* Pairs of boxes that overlap, plus boxes outside the canvas. */
static size_t
count_overlaps(const struct cloudlayout *l, size_t *outside)
{
	const struct cloudlayout_word *a, *b;
	size_t i, j, n = 0;

	*outside = 0;
	for (i = 0; i < l->len; i++) {
		a = &l->words[i];
		if (a->x < 0 || a->y < 0 || a->x + a->w > l->width ||
		    a->y + a->h > l->height)
			(*outside)++;
		for (j = i + 1; j < l->len; j++) {
			b = &l->words[j];
			if (a->x < b->x + b->w && b->x < a->x + a->w &&
			    a->y < b->y + b->h && b->y < a->y + a->h)
				n++;
		}
	}
	return n;
}

static void
xml_text(FILE *f, const char *s)
{
	for (; *s; s++)
		switch (*s) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		default: fputc(*s, f);
		}
}

static void
write_svg(const char *path, const struct cloudlayout *l)
{
	FILE *f = fopen(path, "w");
	size_t i;

	if (f == NULL)
		return;
	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
	    "height=\"%d\" font-family=\"Arial, Liberation Sans, Helvetica, "
	    "sans-serif\"><rect width=\"100%%\" height=\"100%%\" "
	    "fill=\"white\"/>\n", l->width, l->height);
	for (i = 0; i < l->len; i++) {
		const struct cloudlayout_word *w = &l->words[i];

		fprintf(f, "<text x=\"%d\" y=\"%.1f\" font-size=\"%d\" "
		    "textLength=\"%d\" lengthAdjust=\"spacingAndGlyphs\" "
		    "fill=\"hsl(%zu,60%%,35%%)\">", w->x,
		    w->y + CLOUDLAYOUT_ASCENT * w->size, w->size, w->w,
		    (i * 47) % 360);
		xml_text(f, w->text);
		fputs("</text>\n", f);
	}
	fputs("</svg>\n", f);
	fclose(f);
}

struct layout_result {
	size_t n, placed, dropped, shrunk, overlaps, outside;
	double ms, ms_median;		/* fastest and median run */
	double ms_update, ms_update_median;
	double moved_mean;		/* mean move after the update */
	size_t moved_near;		/* words that moved more than 5 px */
	size_t moved_far;		/* words that moved more than 20 px */
	size_t overlaps_update;		/* in the layout after the update */
};

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Sorts v; returns its median and sets *best to its minimum. */
static double
median(double *v, int n, double *best)
{
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	*best = v[0];
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static double
centre_dist(const struct cloudlayout_word *a, const struct cloudlayout_word *b)
{
	double dx = (a->x + a->w / 2.0) - (b->x + b->w / 2.0);
	double dy = (a->y + a->h / 2.0) - (b->y + b->h / 2.0);

	return sqrt(dx * dx + dy * dy);
}

static void
bench_layout(struct wordcloud_entry **ents, size_t n, int repeat,
    const char *outdir, struct layout_result *r)
{
	struct cloudlayout_item *items = xcalloc(n, sizeof *items);
	struct cloudlayout_params p;
	struct cloudlayout l, l2;
	char path[4096];
	double t0, *t = xmalloc((size_t)repeat * sizeof *t), d, sum = 0;
	size_t i, j, bump, common = 0;
	int *sizes, k;
	FILE *f;

	for (i = 0; i < n; i++) {
		items[i].key = ents[i]->key;
		items[i].text = wordcloud_entry_text(ents[i]);
		items[i].count = ents[i]->count;
	}
	cloudlayout_params_init(&p, CLOUDLAYOUT_PX, W, H);
	memset(r, 0, sizeof *r);
	r->n = n;
	for (k = 0; k < repeat; k++) {
		t0 = now_ms();
		cloudlayout_compute(&l, &p, items, n, NULL);
		t[k] = now_ms() - t0;
		if (k + 1 < repeat)
			cloudlayout_free(&l);
	}
	r->ms_median = median(t, repeat, &r->ms);
	r->placed = l.len;
	r->dropped = l.dropped;
	r->shrunk = l.shrunk;
	r->overlaps = count_overlaps(&l, &r->outside);

	/* the count of the middle entry doubles: its type grows */
	bump = n / 2;
	items[bump].count *= 2;
	for (k = 0; k < repeat; k++) {
		t0 = now_ms();
		cloudlayout_compute(&l2, &p, items, n, &l);
		t[k] = now_ms() - t0;
		if (k + 1 < repeat)
			cloudlayout_free(&l2);
	}
	items[bump].count /= 2;
	r->ms_update_median = median(t, repeat, &r->ms_update);
	for (i = 0; i < l.len; i++)
		for (j = 0; j < l2.len; j++)
			if (strcmp(l.words[i].key, l2.words[j].key) == 0) {
				d = centre_dist(&l.words[i], &l2.words[j]);
				sum += d;
				common++;
				if (d > 5)
					r->moved_near++;
				if (d > 20)
					r->moved_far++;
				break;
			}
	r->moved_mean = common ? sum / common : 0;
	r->overlaps_update = count_overlaps(&l2, &i);
	r->outside += i;

	if (outdir != NULL) {
		snprintf(path, sizeof path, "%s/ours-%zu.svg", outdir, n);
		write_svg(path, &l);
		snprintf(path, sizeof path, "%s/ours-%zu.tsv", outdir, n);
		if ((f = fopen(path, "w")) != NULL) {
			fputs("text\tsize\tx\ty\tw\th\n", f);
			for (i = 0; i < l.len; i++)
				fprintf(f, "%s\t%d\t%d\t%d\t%d\t%d\n",
				    l.words[i].text, l.words[i].size,
				    l.words[i].x, l.words[i].y, l.words[i].w,
				    l.words[i].h);
			fclose(f);
		}
		snprintf(path, sizeof path, "%s/words-%zu.tsv", outdir, n);
		if ((f = fopen(path, "w")) != NULL) {
			sizes = xmalloc(n * sizeof *sizes);
			cloudlayout_sizes(&p, items, n, sizes);
			fputs("text\tsize\tcount\n", f);
			for (i = 0; i < n; i++)
				fprintf(f, "%s\t%d\t%ld\n", items[i].text,
				    sizes[i], items[i].count);
			fclose(f);
			free(sizes);
		}
	}
	cloudlayout_free(&l);
	cloudlayout_free(&l2);
	free(items);
	free(t);
}

int
main(int argc, char **argv)
{
	const char *datadir = "../shared/data", *outdir = NULL;
	static const struct {
		const char *file;
		enum norm_lang lang;
	} corpora[] = {
		{ "paris_bp_2014_2017_fr.tsv", NORM_FR },
		{ "slurp_test_en.tsv", NORM_EN },
	};
	struct wordcloud *wc[2];
	struct wordcloud_entry **ents[2], **all;
	struct apply_result ar[2];
	struct layout_result lr;
	size_t sizes[16], nsizes = 0, nwords, nents[2], total, i, c;
	char path[4096], **words;
	int repeat = 20, opt;

	while ((opt = getopt(argc, argv, "d:o:r:n:")) != -1)
		switch (opt) {
		case 'd': datadir = optarg; break;
		case 'o': outdir = optarg; break;
		case 'r': repeat = atoi(optarg) > 0 ? atoi(optarg) : 1; break;
		case 'n':
			if (nsizes < ARRAY_LEN(sizes))
				sizes[nsizes++] = (size_t)atol(optarg);
			break;
		default:
			fprintf(stderr, "usage: bench-wordcloud [-d DATA_DIR] "
			    "[-o OUT_DIR] [-r REPEAT] [-n N]...\n");
			return 2;
		}
	if (nsizes == 0) {
		sizes[nsizes++] = 100;
		sizes[nsizes++] = 200;
		sizes[nsizes++] = 1000;
	}

	for (c = 0; c < ARRAY_LEN(corpora); c++) {
		snprintf(path, sizeof path, "%s/%s", datadir, corpora[c].file);
		nwords = read_words(path, &words);
		wc[c] = wordcloud_new();
		apply_words(wc[c], corpora[c].lang, words, nwords, repeat,
		    &ar[c]);
		printf("apply lang=%s file=%s words=%zu rejected=%zu "
		    "entries=%zu us_norm=%.3f us_add=%.3f us_word=%.3f\n",
		    norm_lang_name(corpora[c].lang), corpora[c].file,
		    ar[c].words, ar[c].rejected, ar[c].entries, ar[c].us_norm,
		    ar[c].us_add, ar[c].us_norm + ar[c].us_add);
		for (i = 0; i < nwords; i++)
			free(words[i]);
		free(words);
		nents[c] = wordcloud_list(wc[c], WORDCLOUD_VISIBLE, &ents[c]);
	}

	/* the French entries first, then the English ones */
	total = nents[0] + nents[1];
	all = xmalloc(total * sizeof *all);
	memcpy(all, ents[0], nents[0] * sizeof *all);
	memcpy(all + nents[0], ents[1], nents[1] * sizeof *all);
	for (i = 0; i < nsizes; i++) {
		if (sizes[i] > total)
			sizes[i] = total;
		bench_layout(all, sizes[i], repeat, outdir, &lr);
		printf("layout n=%zu canvas=%dx%d placed=%zu dropped=%zu "
		    "shrunk=%zu overlaps=%zu outside=%zu ms=%.3f "
		    "ms_median=%.3f ms_update=%.3f ms_update_median=%.3f "
		    "overlaps_update=%zu moved_mean_px=%.1f "
		    "moved_over_5px=%zu moved_over_20px=%zu\n",
		    lr.n, W, H, lr.placed, lr.dropped, lr.shrunk, lr.overlaps,
		    lr.outside, lr.ms, lr.ms_median, lr.ms_update,
		    lr.ms_update_median, lr.overlaps_update, lr.moved_mean,
		    lr.moved_near, lr.moved_far);
	}
	free(all);
	for (c = 0; c < ARRAY_LEN(corpora); c++) {
		free(ents[c]);
		wordcloud_free(wc[c]);
	}
	return 0;
}
