/*
 * wordcloud.h - the entries of one word-cloud board: submissions counted
 * by merge key (norm_key), the forms people typed, hidden entries and
 * merges decided by the facilitator.  A pure data structure: no JSON, no
 * I/O, no quotas nor banned words (the caller, core.c, handles those).
 *
 * An entry gathers every submission whose key is its key or a key merged
 * into it.  Its DISPLAY text is its most frequent form, ties going to the
 * form seen first.  Entries are ordered by count, largest first, ties
 * going to the entry seen first.
 *
 * Adding a submission costs O(1) on average (two hash lookups); listing
 * costs O(n log n) for n entries.
 */
#ifndef ATELIER_WORDCLOUD_H
#define ATELIER_WORDCLOUD_H

#include <stddef.h>
#include <stdint.h>

/* One text exactly as typed, within an entry. */
struct wordcloud_form {
	char *text;			/* owned */
	long count;			/* submissions with this text */
	uint64_t first;			/* sequence number of the first one */
};

/*
 * One entry of the cloud.  The fields are read-only for the caller.  An
 * entry pointer stays valid until the entry is merged into another one,
 * wordcloud_reset() or wordcloud_free().
 */
struct wordcloud_entry {
	char *key;			/* merge key, owned */
	long count;			/* submissions, all forms together */
	uint64_t first;			/* sequence number of the first one */
	int hidden;			/* 1 while hidden by the facilitator */
	struct wordcloud_form **forms;	/* in first-seen order */
	size_t nforms;
	struct wordcloud_form *display;	/* the DISPLAY form, one of forms */
	char **aliases;			/* keys merged into this one */
	size_t naliases;
	size_t formcap, aliascap;	/* private */
	size_t index;			/* private: position in the cloud */
};

struct wordcloud;

struct wordcloud *wordcloud_new(void);
void wordcloud_free(struct wordcloud *wc);

/* Forget every entry, form and merge: the cloud is as new. */
void wordcloud_reset(struct wordcloud *wc);

/*
 * Count one submission: key is its merge key (not empty), form the text
 * as typed (after the caller's cleaning).  A key merged into another
 * entry counts for that entry.  Returns the entry, created if need be;
 * a hidden entry stays hidden.
 */
struct wordcloud_entry *wordcloud_add(struct wordcloud *wc, const char *key,
    const char *form);

/* The entry of key (or of the entry key was merged into), or NULL. */
struct wordcloud_entry *wordcloud_get(const struct wordcloud *wc,
    const char *key);

/*
 * Hide (hidden = 1) or show (0) the entry of key and so all its forms.
 * Returns the entry, or NULL if there is none.
 */
struct wordcloud_entry *wordcloud_hide(struct wordcloud *wc, const char *key,
    int hidden);

/*
 * Merge the entry of from into the entry of into: counts add up, forms
 * with the same text add up, the earlier first-seen number is kept, and
 * into keeps its hidden flag.  From then on, additions whose key is from
 * (or any key merged into from) count for into.  The entry of from is
 * freed.  Returns 0 and sets *out (if not NULL) to the merged entry, -1
 * if from or into has no entry, or -2 if both are the same entry.
 */
int wordcloud_merge(struct wordcloud *wc, const char *from, const char *into,
    struct wordcloud_entry **out);

/* Number of entries (hidden ones included). */
size_t wordcloud_len(const struct wordcloud *wc);

/* Flags of wordcloud_list(). */
#define WORDCLOUD_VISIBLE 1		/* leave hidden entries out */

/*
 * The entries, largest count first, ties earliest first.  Sets *out to a
 * new array of entry pointers (the caller frees the array, not the
 * entries; NULL when there are none) and returns its length.
 */
size_t wordcloud_list(const struct wordcloud *wc, int flags,
    struct wordcloud_entry ***out);

/* The order of wordcloud_list() as a qsort comparator of entry pointers. */
int wordcloud_entry_cmp(const void *a, const void *b);

/* The DISPLAY text of an entry: its most frequent form. */
const char *wordcloud_entry_text(const struct wordcloud_entry *e);

#endif
