/*
 * cluster.h - thematic clustering of short texts (post-its): group the
 * notes of a board by theme and name each group, either freely
 * (cluster_suggest: the engine finds the themes, and their number unless
 * given) or guided by themes the facilitator named and seeded with a few
 * notes or keywords (cluster_guided: the other notes go to the closest
 * theme, and those that fit none are reported).
 *
 * Pure computation: no I/O, no clock, no global state.  Words come from
 * the shared normaliser (normalize.h: folding, stop words, Snowball
 * stems).  The result depends only on the notes (texts and order), the
 * options and the seed: same input and seed, same output, on any machine
 * with IEEE doubles.  docs/clustering.md explains the method and the
 * measurements behind it.
 */
#ifndef ATELIER_CLUSTER_H
#define ATELIER_CLUSTER_H

#include <stddef.h>
#include <stdint.h>

#include "normalize.h"

/* One note to cluster. */
struct cluster_note {
	int64_t id;		/* the caller's id, copied into the result */
	const char *text;	/* UTF-8; invalid UTF-8 counts as empty */
};

/*
 * A theme of guided mode: a name and what defines it, some of the notes
 * (by id) and/or keywords.  A theme with neither attracts nothing.
 */
struct cluster_theme {
	const char *name;	/* the label of the group (copied) */
	const char *keywords;	/* free text ("vélo piste"), or NULL */
	const int64_t *examples; /* ids of notes placed in the theme */
	size_t nexamples;
};

/*
 * The methods and features the engine can use.  CLUSTER_METHOD_DEFAULT
 * and CLUSTER_FEAT_DEFAULT are the measured best (docs/clustering.md);
 * the others exist so that the benchmark can measure the candidates.
 */
enum cluster_method {
	CLUSTER_METHOD_DEFAULT = 0,
	CLUSTER_METHOD_KMEANS,	/* spherical k-means, k-means++, restarts */
	CLUSTER_METHOD_GSDMM,	/* Dirichlet multinomial mixture (Gibbs) */
	CLUSTER_METHOD_GSDMM_KMEANS, /* GSDMM, then spherical k-means */
	CLUSTER_METHOD_AGGLO	/* agglomerative, average linkage, cosine */
};

#define CLUSTER_FEAT_STEMS	0x1	/* TF-IDF of word stems */
#define CLUSTER_FEAT_CHARS	0x2	/* TF-IDF of character 3-5-grams */
#define CLUSTER_FEAT_EXPAND	0x4	/* stems spread to co-occurring ones */
#define CLUSTER_FEAT_DEFAULT	0	/* the measured best */

/* How to choose k when it is not given. */
enum cluster_kchoice {
	CLUSTER_K_DEFAULT = 0,
	CLUSTER_K_SILHOUETTE,	/* simplified silhouette on cosine */
	CLUSTER_K_GAP		/* gap to a column-permuted null */
};

struct cluster_opts {
	enum norm_lang lang;	/* language of the notes */
	int k;			/* groups wanted; 0: the engine chooses */
	int kmax;		/* when choosing, at most this many; 0: auto */
	uint64_t seed;		/* any value; same seed, same result */
	double min_sim;		/* guided: a note whose best cosine is below
				   this fits no theme (0 assigns all) */
	enum cluster_method method;
	unsigned features;	/* CLUSTER_FEAT_x bits, or 0 for default */
	enum cluster_kchoice kchoice;
	int restarts;		/* k-means restarts; 0: default (4, doubled
				   up to 300 notes) */
};

/* One group of the result. */
struct cluster_group {
	char *label;		/* "vélos, pistes cyclables"; "" for notes
				   without any content word */
	size_t count;		/* notes in the group: >= 1, but a theme of
				   guided mode may be empty */
	size_t *index;		/* their positions in the input, ascending */
	int64_t *ids;		/* their ids, in the same order */
};

struct cluster_result {
	struct cluster_group *groups;	/* largest first (suggest), or one
					   per theme in order (guided) */
	size_t ngroups;
	size_t *none;		/* guided: positions of notes that fit no
				   theme, ascending; NULL for suggest */
	size_t nnone;
	int k;			/* groups of notes with words (suggest) */
};

/* Default options for a language: k chosen, seed 0, default method. */
void cluster_opts_init(struct cluster_opts *o, enum norm_lang lang);

/*
 * Group n notes by theme.  Every note lands in exactly one group.  Notes
 * with no content word (empty, only stop words or punctuation) make one
 * group of their own, labelled "", last.  With o->k > 0 there are
 * min(k, notes with words) other groups; with 0 the engine picks between
 * 2 and kmax (docs/clustering.md).  Returns 0 and sets *out (free with
 * cluster_result_free), or -1 if o->k < 0 or n is 0.
 */
int cluster_suggest(const struct cluster_note *notes, size_t n,
    const struct cluster_opts *o, struct cluster_result **out);

/*
 * Assign notes to the given themes: the example notes go to their theme,
 * every other note to the theme whose profile (examples, keywords and,
 * after refinement, the notes assigned to it) is closest in cosine, or to
 * none when that similarity is below o->min_sim.  The result has exactly
 * nthemes groups, in order, labelled with the theme names (a group may be
 * empty: count 0), and the notes that fit none in none.  Returns 0 and
 * sets *out, or -1 if nthemes is 0, an example id is not among the notes
 * or is given to two themes.
 */
int cluster_guided(const struct cluster_note *notes, size_t n,
    const struct cluster_theme *themes, size_t nthemes,
    const struct cluster_opts *o, struct cluster_result **out);

void cluster_result_free(struct cluster_result *r);

#endif
