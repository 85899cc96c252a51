/*
 * normalize.c - from typed text to tokens and merge keys (see normalize.h).
 *
 * The text is put in NFC (utf8proc) and cut into tokens:
 * - a word is a run of letters, digits and marks (Unicode L*, N*, M*, and
 *   format characters such as the soft hyphen inside it); an apostrophe
 *   (' ’ ʼ ‘ or the full-width one) between two such characters stays
 *   in the word;
 * - an emoji is one grapheme cluster that starts with an Extended_
 *   Pictographic character or a regional indicator (a flag), modifiers and
 *   ZWJ sequences included: "🚲🚲" is two tokens, "👍🏽" one;
 * - everything else (white space, punctuation, hyphens, other symbols)
 *   separates tokens: "week-end" is "week" "end", like "week end".
 *
 * A word is folded with utf8proc (NFKC, case folding, marks stripped,
 * default-ignorable characters removed), apostrophes become "'", "œ" and
 * "æ" become "oe" and "ae".  It is a stop token when the folded word is in
 * the language's list (stopwords.c).  Otherwise, if the part before its
 * first apostrophe is a French elision (l d j m n s t c qu jusqu lorsqu
 * puisqu quoiqu quelqu), that part and its apostrophe become a stop token
 * and the rest is a word of its own: "l’écologie" is "l’" and "écologie".
 * This holds in every language, since French words turn up in Dutch or
 * English sessions (Brussels); a whole-word stop such as Dutch "m'n" is
 * checked first.
 *
 * The stem is the Snowball stem of the folded word, after a light
 * pre-pass for plurals that Snowball leaves alone:
 * - French: a final "s" after a, i, o or u is dropped ("vélos" "autos"
 *   "taxis" "menus"; words of three letters or fewer are kept), and a final
 *   "x" after "ou" ("bijoux"), or after "eu" in words of five letters or
 *   fewer ("jeux" "lieux" "feux"; longer "-eux" are adjectives Snowball
 *   handles: "heureux"/"heureuse");
 * - Dutch: a final "'s" is dropped ("auto's"), "-jes" becomes "-je"
 *   ("bankjes"), "-eeën" and "-ieën" lose their "ën" ("ideeën", "knieën";
 *   folded, they end in "eeen", "ieen"), and the word is stemmed twice,
 *   because Snowball takes one suffix per pass: "fietsen" -> "fiets" ->
 *   "fiet" and "fiets" -> "fiet" (one pass leaves them apart);
 * - English: none; Snowball handles "schools", "cities" and "children's".
 * An emoji's folded form and stem are the emoji without variation
 * selectors (U+FE0E, U+FE0F), so "❤️" and "❤" are one entry; digits are
 * stemmed like words, which leaves them as they are.
 */
#include "normalize.h"
#include "util.h"

#include <libstemmer.h>
#include <utf8proc.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct norm {
	enum norm_lang lang;
	struct sb_stemmer *stemmer;	/* owned */
};

static const char *const lang_names[] = { "fr", "en", "nl" };
static const char *const stemmer_names[] = { "french", "english", "dutch" };

/* Elided French words, folded, without their apostrophe. */
static const char *const elisions[] = {
	"c", "d", "j", "jusqu", "l", "lorsqu", "m", "n", "puisqu", "qu",
	"quelqu", "quoiqu", "s", "t",
};

int
norm_lang_parse(const char *name, enum norm_lang *out)
{
	size_t i;

	for (i = 0; name != NULL && i < ARRAY_LEN(lang_names); i++)
		if (strcmp(name, lang_names[i]) == 0) {
			*out = (enum norm_lang)i;
			return 0;
		}
	return -1;
}

const char *
norm_lang_name(enum norm_lang lang)
{
	if ((size_t)lang >= ARRAY_LEN(lang_names))
		return NULL;
	return lang_names[lang];
}

struct norm *
norm_new(enum norm_lang lang)
{
	struct norm *n;

	if ((size_t)lang >= ARRAY_LEN(stemmer_names))
		lang = NORM_FR;
	n = xmalloc(sizeof *n);
	n->lang = lang;
	n->stemmer = sb_stemmer_new(stemmer_names[lang], "UTF_8");
	if (n->stemmer == NULL) {	/* only on out of memory */
		fprintf(stderr, "atelier: cannot create the %s stemmer\n",
		    stemmer_names[lang]);
		abort();
	}
	return n;
}

void
norm_free(struct norm *n)
{
	if (n == NULL)
		return;
	sb_stemmer_delete(n->stemmer);
	free(n);
}

void
norm_tokens_free(struct norm_token *t, size_t count)
{
	size_t i;

	for (i = 0; i < count; i++) {
		free(t[i].surface);
		free(t[i].folded);
		free(t[i].stem);
	}
	free(t);
}

/* Character classes of the tokeniser. */
enum cls {
	CLS_SEP,		/* separates tokens */
	CLS_WORD,		/* letter, digit: starts or continues a word */
	CLS_CONT,		/* mark, format character: continues a token */
	CLS_APOS,		/* apostrophe: in a word between two WORDs */
	CLS_EMOJI		/* starts an emoji cluster */
};

static int
is_apostrophe(utf8proc_int32_t c)
{
	return c == 0x27 || c == 0x2019 || c == 0x02bc || c == 0x2018 ||
	    c == 0xff07;
}

static enum cls
classify(utf8proc_int32_t c)
{
	const utf8proc_property_t *p;

	if (is_apostrophe(c))
		return CLS_APOS;
	p = utf8proc_get_property(c);
	if (p->boundclass == UTF8PROC_BOUNDCLASS_EXTENDED_PICTOGRAPHIC ||
	    p->boundclass == UTF8PROC_BOUNDCLASS_E_ZWG ||
	    p->boundclass == UTF8PROC_BOUNDCLASS_REGIONAL_INDICATOR)
		return CLS_EMOJI;
	switch (p->category) {
	case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL:
	case UTF8PROC_CATEGORY_LT: case UTF8PROC_CATEGORY_LM:
	case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_ND:
	case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
		return CLS_WORD;
	case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC:
	case UTF8PROC_CATEGORY_ME: case UTF8PROC_CATEGORY_CF:
		return CLS_CONT;
	default:
		return CLS_SEP;
	}
}

/* Apostrophes to ASCII, before folding (utf8proc custom function). */
static utf8proc_int32_t
fold_char(utf8proc_int32_t c, void *data)
{
	(void)data;
	return is_apostrophe(c) ? '\'' : c;
}

/* utf8proc failed: out of memory is fatal, anything else is bad input. */
static void
check_nomem(utf8proc_ssize_t rc)
{
	if (rc == UTF8PROC_ERROR_NOMEM) {
		fprintf(stderr, "atelier: out of memory (utf8proc)\n");
		abort();
	}
}

/* Replace every occurrence of the 2-byte UTF-8 sequence from by to. */
static void
replace2(char *s, const char *from, const char *to)
{
	char *r = s, *w = s;

	while (*r) {
		if (r[0] == from[0] && r[1] == from[1]) {
			*w++ = to[0];
			*w++ = to[1];
			r += 2;
		} else
			*w++ = *r++;
	}
	*w = '\0';
}

static void
remove_spaces(char *s)
{
	char *w = s;

	for (; *s; s++)
		if (*s != ' ')
			*w++ = *s;
	*w = '\0';
}

/* The folded form of s (len bytes of valid UTF-8): a new string. */
static char *
fold_word(const char *s, size_t len)
{
	utf8proc_uint8_t *out = NULL;
	utf8proc_ssize_t rc;
	char *r;

	rc = utf8proc_map_custom((const utf8proc_uint8_t *)s,
	    (utf8proc_ssize_t)len, &out, UTF8PROC_STABLE | UTF8PROC_COMPOSE |
	    UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK |
	    UTF8PROC_IGNORE, fold_char, NULL);
	check_nomem(rc);
	if (rc < 0)		/* cannot happen: s comes from valid NFC */
		return xstrdup("");
	r = xstrdup((char *)out);
	free(out);
	replace2(r, "\xc5\x93", "oe");	/* œ, after case folding */
	replace2(r, "\xc3\xa6", "ae");	/* æ */
	remove_spaces(r);	/* NFKC of some ligatures holds spaces */
	return r;
}

/* An emoji's folded form: itself without variation selectors. */
static char *
fold_emoji(const char *s, size_t len)
{
	char *r = xmalloc(len + 1), *w = r;
	size_t i;

	for (i = 0; i < len; i++) {
		/* U+FE0E, U+FE0F are EF B8 8E, EF B8 8F */
		if (i + 2 < len && (unsigned char)s[i] == 0xef &&
		    (unsigned char)s[i + 1] == 0xb8 &&
		    ((unsigned char)s[i + 2] == 0x8e ||
		    (unsigned char)s[i + 2] == 0x8f)) {
			i += 2;
			continue;
		}
		*w++ = s[i];
	}
	*w = '\0';
	return r;
}

static int
ends_with(const char *s, size_t len, const char *suffix)
{
	size_t k = strlen(suffix);

	return len >= k && memcmp(s + len - k, suffix, k) == 0;
}

/*
 * The plural pre-pass of the language (see the top of the file): how many
 * bytes of the folded word w (len bytes) to give to the stemmer.
 */
static size_t
plural_prepass(enum norm_lang lang, const char *w, size_t len)
{
	if (lang == NORM_FR) {
		if (len >= 4 && w[len - 1] == 's' &&
		    strchr("aiou", w[len - 2]) != NULL)
			return len - 1;
		if (ends_with(w, len, "oux") ||
		    (len <= 5 && ends_with(w, len, "eux")))
			return len - 1;
	} else if (lang == NORM_NL) {
		if (len >= 3 && ends_with(w, len, "'s"))
			return len - 2;
		if (len >= 4 && ends_with(w, len, "jes"))
			return len - 1;
		if (len >= 5 && (ends_with(w, len, "eeen") ||
		    ends_with(w, len, "ieen")))
			return len - 2;
	}
	return len;
}

static char *
stem_word(struct norm *n, const char *folded)
{
	const sb_symbol *st;
	size_t len = plural_prepass(n->lang, folded, strlen(folded));
	char *once;

	st = sb_stemmer_stem(n->stemmer, (const sb_symbol *)folded, (int)len);
	if (st == NULL) {
		fprintf(stderr, "atelier: out of memory (stemmer)\n");
		abort();
	}
	if (n->lang != NORM_NL)
		return xstrndup((const char *)st,
		    (size_t)sb_stemmer_length(n->stemmer));
	once = xstrndup((const char *)st,
	    (size_t)sb_stemmer_length(n->stemmer));
	st = sb_stemmer_stem(n->stemmer, (const sb_symbol *)once,
	    (int)strlen(once));
	free(once);
	if (st == NULL) {
		fprintf(stderr, "atelier: out of memory (stemmer)\n");
		abort();
	}
	return xstrndup((const char *)st,
	    (size_t)sb_stemmer_length(n->stemmer));
}

static int
is_elision(const char *folded)
{
	size_t i;

	for (i = 0; i < ARRAY_LEN(elisions); i++)
		if (strcmp(folded, elisions[i]) == 0)
			return 1;
	return 0;
}

/* A growing array of tokens. */
struct tokvec {
	struct norm_token *t;
	size_t len, cap;
};

static struct norm_token *
tokvec_push(struct tokvec *v)
{
	struct norm_token *t;

	xgrow((void **)&v->t, &v->cap, v->len + 1, sizeof *v->t);
	t = &v->t[v->len++];
	memset(t, 0, sizeof *t);
	return t;
}

/* Offset of the first apostrophe in s (len bytes), or 0 if none. */
static size_t
first_apostrophe(const char *s, size_t len)
{
	utf8proc_int32_t c;
	utf8proc_ssize_t r;
	size_t i;

	for (i = 0; i < len; i += r > 0 ? (size_t)r : 1) {
		r = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
		    (utf8proc_ssize_t)(len - i), &c);
		if (r > 0 && is_apostrophe(c))
			return i;
	}
	return 0;
}

/*
 * Add the word s (len bytes of NFC; apos: offset of its first apostrophe,
 * or 0 if none), splitting off a leading elision.
 */
static void
add_word(struct norm *n, struct tokvec *v, const char *s, size_t len,
    size_t apos)
{
	struct norm_token *t;
	utf8proc_int32_t c;
	char *folded, *pre;
	size_t k;

	folded = fold_word(s, len);
	if (apos > 0 && !norm_stopword(n->lang, folded)) {
		pre = fold_word(s, apos);
		if (is_elision(pre)) {
			/* k: end of the apostrophe */
			k = apos + (size_t)utf8proc_iterate(
			    (const utf8proc_uint8_t *)s + apos,
			    (utf8proc_ssize_t)(len - apos), &c);
			t = tokvec_push(v);
			t->surface = xstrndup(s, k);
			t->folded = xmalloc(strlen(pre) + 2);
			sprintf(t->folded, "%s'", pre);
			t->stem = xstrdup(t->folded);
			t->stop = 1;
			free(pre);
			free(folded);
			add_word(n, v, s + k, len - k,
			    first_apostrophe(s + k, len - k));
			return;
		}
		free(pre);
	}
	t = tokvec_push(v);
	t->surface = xstrndup(s, len);
	t->folded = folded;
	t->stop = folded[0] == '\0' || norm_stopword(n->lang, folded);
	t->stem = t->stop ? xstrdup(folded) : stem_word(n, folded);
}

static void
add_emoji(struct tokvec *v, const char *s, size_t len)
{
	struct norm_token *t = tokvec_push(v);

	t->surface = xstrndup(s, len);
	t->folded = fold_emoji(s, len);
	t->stem = xstrdup(t->folded);
	t->stop = 0;
}

long
norm_tokens(struct norm *n, const char *text, struct norm_token **out)
{
	struct tokvec v = { NULL, 0, 0 };
	utf8proc_uint8_t *nfc = NULL;
	utf8proc_ssize_t rc, i, len, k;
	utf8proc_int32_t c, prev = -1, next;
	utf8proc_int32_t gstate = 0;
	enum cls cl;
	enum { NONE, WORD, EMOJI } in = NONE;
	size_t start = 0, apos = 0;

	*out = NULL;
	rc = utf8proc_map((const utf8proc_uint8_t *)text, 0, &nfc,
	    UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE);
	check_nomem(rc);
	if (rc < 0)
		return -1;
	len = rc;
	for (i = 0; i <= len; i += k) {
		if (i < len) {
			k = utf8proc_iterate(nfc + i, len - i, &c);
			if (k <= 0) {	/* cannot happen after utf8proc_map */
				k = 1;
				c = ' ';
			}
			cl = classify(c);
		} else {
			k = 1;
			c = -1;
			cl = CLS_SEP;
		}
		if (in == EMOJI) {
			if (c >= 0 && !utf8proc_grapheme_break_stateful(prev, c,
			    &gstate)) {
				prev = c;
				continue;
			}
			add_emoji(&v, (char *)nfc + start, (size_t)i - start);
			in = NONE;
		} else if (in == WORD) {
			if (cl == CLS_WORD || cl == CLS_CONT) {
				prev = c;
				continue;
			}
			if (cl == CLS_APOS && i + k < len &&
			    utf8proc_iterate(nfc + i + k, len - i - k,
			    &next) > 0 && classify(next) == CLS_WORD) {
				if (apos == 0)
					apos = (size_t)i - start;
				prev = c;
				continue;
			}
			add_word(n, &v, (char *)nfc + start, (size_t)i - start,
			    apos);
			in = NONE;
		}
		if (cl == CLS_WORD) {
			in = WORD;
			start = (size_t)i;
			apos = 0;
		} else if (cl == CLS_EMOJI) {
			in = EMOJI;
			start = (size_t)i;
			gstate = 0;
		}
		prev = c;
	}
	free(nfc);
	*out = v.t;
	return (long)v.len;
}

char *
norm_key(struct norm *n, const char *text)
{
	struct norm_token *t;
	long count, i;
	size_t len = 0;
	char *key, *p;

	count = norm_tokens(n, text, &t);
	if (count <= 0)
		return NULL;
	for (i = 0; i < count; i++)
		if (!t[i].stop)
			len += strlen(t[i].stem) + 1;
	if (len == 0) {
		norm_tokens_free(t, (size_t)count);
		return NULL;
	}
	key = p = xmalloc(len);
	for (i = 0; i < count; i++) {
		if (t[i].stop)
			continue;
		if (p != key)
			*p++ = ' ';
		len = strlen(t[i].stem);
		memcpy(p, t[i].stem, len);
		p += len;
	}
	*p = '\0';
	norm_tokens_free(t, (size_t)count);
	return key;
}
