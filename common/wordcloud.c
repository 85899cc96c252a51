/*
 * wordcloud.c - the entries of a word-cloud board (see wordcloud.h).
 *
 * Three string maps make every step O(1) on average: entries by key,
 * merged keys (aliases) to the entry they now count for, and forms by
 * "KEY\x1fTEXT" (a merge key never holds a control character).  An entry
 * keeps the aliases merged into it, so that merging it in turn moves them
 * along and a lookup never follows a chain.
 */
#include "wordcloud.h"
#include "map.h"
#include "util.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

struct wordcloud {
	struct map entries;		/* key -> struct wordcloud_entry * */
	struct map aliases;		/* merged key -> entry it counts for */
	struct map forms;		/* "KEY\x1fTEXT" -> its form */
	struct wordcloud_entry **list;	/* every entry, in no order */
	size_t len, cap;
	uint64_t seq;			/* submissions so far */
};

#define FORM_SEP '\x1f'

struct wordcloud *
wordcloud_new(void)
{
	struct wordcloud *wc = xcalloc(1, sizeof *wc);

	map_init_str(&wc->entries);
	map_init_str(&wc->aliases);
	map_init_str(&wc->forms);
	return wc;
}

static void
entry_free(struct wordcloud_entry *e)
{
	size_t i;

	for (i = 0; i < e->nforms; i++) {
		free(e->forms[i]->text);
		free(e->forms[i]);
	}
	for (i = 0; i < e->naliases; i++)
		free(e->aliases[i]);
	free(e->forms);
	free(e->aliases);
	free(e->key);
	free(e);
}

void
wordcloud_reset(struct wordcloud *wc)
{
	size_t i;

	for (i = 0; i < wc->len; i++)
		entry_free(wc->list[i]);
	wc->len = 0;
	wc->seq = 0;
	map_free(&wc->entries);
	map_free(&wc->aliases);
	map_free(&wc->forms);
	map_init_str(&wc->entries);
	map_init_str(&wc->aliases);
	map_init_str(&wc->forms);
}

void
wordcloud_free(struct wordcloud *wc)
{
	if (wc == NULL)
		return;
	wordcloud_reset(wc);
	map_free(&wc->entries);
	map_free(&wc->aliases);
	map_free(&wc->forms);
	free(wc->list);
	free(wc);
}

/*
 * The forms-map key of text in the entry of key: buf if it fits in size
 * bytes, else a new string the caller frees (compare with buf).
 */
static char *
form_key(char *buf, size_t size, const char *key, const char *text)
{
	size_t kl = strlen(key), tl = strlen(text);
	char *p = kl + tl + 2 <= size ? buf : xmalloc(kl + tl + 2);

	memcpy(p, key, kl);
	p[kl] = FORM_SEP;
	memcpy(p + kl + 1, text, tl + 1);
	return p;
}

static struct wordcloud_form *
form_get(const struct wordcloud *wc, const char *key, const char *text)
{
	char buf[256], *fk = form_key(buf, sizeof buf, key, text);
	struct wordcloud_form *f = map_get_str(&wc->forms, fk);

	if (fk != buf)
		free(fk);
	return f;
}

static void
form_put(struct wordcloud *wc, const char *key, struct wordcloud_form *f)
{
	char buf[256], *fk = form_key(buf, sizeof buf, key, f->text);

	map_put_str(&wc->forms, fk, f);
	if (fk != buf)
		free(fk);
}

static void
form_del(struct wordcloud *wc, const char *key, const char *text)
{
	char buf[256], *fk = form_key(buf, sizeof buf, key, text);

	map_del_str(&wc->forms, fk);
	if (fk != buf)
		free(fk);
}

/* 1 if form a should be shown rather than form b. */
static int
form_better(const struct wordcloud_form *a, const struct wordcloud_form *b)
{
	return a->count > b->count ||
	    (a->count == b->count && a->first < b->first);
}

static void
entry_push_form(struct wordcloud_entry *e, struct wordcloud_form *f)
{
	xgrow((void **)&e->forms, &e->formcap, e->nforms + 1, sizeof *e->forms);
	e->forms[e->nforms++] = f;
}

static void
entry_push_alias(struct wordcloud_entry *e, char *key)
{
	xgrow((void **)&e->aliases, &e->aliascap, e->naliases + 1,
	    sizeof *e->aliases);
	e->aliases[e->naliases++] = key;
}

struct wordcloud_entry *
wordcloud_get(const struct wordcloud *wc, const char *key)
{
	struct wordcloud_entry *e = map_get_str(&wc->entries, key);

	return e != NULL ? e : map_get_str(&wc->aliases, key);
}

struct wordcloud_entry *
wordcloud_add(struct wordcloud *wc, const char *key, const char *form)
{
	struct wordcloud_entry *e;
	struct wordcloud_form *f;

	assert(key != NULL && key[0] != '\0' && form != NULL);
	wc->seq++;
	if ((e = wordcloud_get(wc, key)) == NULL) {
		e = xcalloc(1, sizeof *e);
		e->key = xstrdup(key);
		e->first = wc->seq;
		xgrow((void **)&wc->list, &wc->cap, wc->len + 1,
		    sizeof *wc->list);
		e->index = wc->len;
		wc->list[wc->len++] = e;
		map_put_str(&wc->entries, key, e);
	}
	if ((f = form_get(wc, e->key, form)) == NULL) {
		f = xcalloc(1, sizeof *f);
		f->text = xstrdup(form);
		f->first = wc->seq;
		entry_push_form(e, f);
		form_put(wc, e->key, f);
	}
	f->count++;
	e->count++;
	if (e->display == NULL || form_better(f, e->display))
		e->display = f;
	return e;
}

struct wordcloud_entry *
wordcloud_hide(struct wordcloud *wc, const char *key, int hidden)
{
	struct wordcloud_entry *e = wordcloud_get(wc, key);

	if (e != NULL)
		e->hidden = hidden != 0;
	return e;
}

static int
form_cmp_first(const void *a, const void *b)
{
	const struct wordcloud_form *x = *(struct wordcloud_form *const *)a;
	const struct wordcloud_form *y = *(struct wordcloud_form *const *)b;

	return x->first < y->first ? -1 : x->first > y->first;
}

int
wordcloud_merge(struct wordcloud *wc, const char *from, const char *into,
    struct wordcloud_entry **out)
{
	struct wordcloud_entry *a, *b, *last;
	struct wordcloud_form *fa, *fb;
	size_t i;

	a = wordcloud_get(wc, from);
	b = wordcloud_get(wc, into);
	if (a == NULL || b == NULL)
		return -1;
	if (a == b)
		return -2;
	for (i = 0; i < a->nforms; i++) {
		fa = a->forms[i];
		form_del(wc, a->key, fa->text);
		if ((fb = form_get(wc, b->key, fa->text)) != NULL) {
			fb->count += fa->count;
			if (fa->first < fb->first)
				fb->first = fa->first;
			free(fa->text);
			free(fa);
		} else {
			entry_push_form(b, fa);
			form_put(wc, b->key, fa);
		}
	}
	a->nforms = 0;
	qsort(b->forms, b->nforms, sizeof *b->forms, form_cmp_first);
	b->display = b->forms[0];
	for (i = 1; i < b->nforms; i++)
		if (form_better(b->forms[i], b->display))
			b->display = b->forms[i];
	b->count += a->count;
	if (a->first < b->first)
		b->first = a->first;

	/* a's key and aliases now count for b */
	for (i = 0; i < a->naliases; i++) {
		map_put_str(&wc->aliases, a->aliases[i], b);
		entry_push_alias(b, a->aliases[i]);
	}
	a->naliases = 0;
	map_del_str(&wc->entries, a->key);
	map_put_str(&wc->aliases, a->key, b);
	entry_push_alias(b, a->key);
	a->key = NULL;

	last = wc->list[--wc->len];
	wc->list[a->index] = last;
	last->index = a->index;
	entry_free(a);
	if (out != NULL)
		*out = b;
	return 0;
}

size_t
wordcloud_len(const struct wordcloud *wc)
{
	return wc->len;
}

int
wordcloud_entry_cmp(const void *a, const void *b)
{
	const struct wordcloud_entry *x = *(struct wordcloud_entry *const *)a;
	const struct wordcloud_entry *y = *(struct wordcloud_entry *const *)b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return x->first < y->first ? -1 : x->first > y->first;
}

size_t
wordcloud_list(const struct wordcloud *wc, int flags,
    struct wordcloud_entry ***out)
{
	struct wordcloud_entry **v;
	size_t i, n = 0;

	*out = NULL;
	if (wc->len == 0)
		return 0;
	v = xmalloc(wc->len * sizeof *v);
	for (i = 0; i < wc->len; i++)
		if (!(flags & WORDCLOUD_VISIBLE) || !wc->list[i]->hidden)
			v[n++] = wc->list[i];
	if (n == 0) {
		free(v);
		return 0;
	}
	qsort(v, n, sizeof *v, wordcloud_entry_cmp);
	*out = v;
	return n;
}

const char *
wordcloud_entry_text(const struct wordcloud_entry *e)
{
	return e->display != NULL ? e->display->text : "";
}
