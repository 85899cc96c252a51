/*
 * normalize.h - turn what people type into comparable words, for word
 * clouds and thematic clustering: Unicode NFKC and case folding (utf8proc),
 * accents and punctuation ignored, stop words flagged per language (French,
 * English, Dutch), inflections merged with the Snowball stemmer (libstemmer).
 * Emoji and digits are kept as tokens.
 *
 * A struct norm holds the stemmer of one language; it is not thread-safe,
 * so give each thread (or each user of it) its own.
 */
#ifndef ATELIER_NORMALIZE_H
#define ATELIER_NORMALIZE_H

#include <stddef.h>

enum norm_lang { NORM_FR = 0, NORM_EN, NORM_NL };

/* "fr", "en", "nl" -> 0 and *out; anything else -> -1. */
int norm_lang_parse(const char *name, enum norm_lang *out);
const char *norm_lang_name(enum norm_lang lang);

struct norm;

struct norm *norm_new(enum norm_lang lang);
void norm_free(struct norm *n);

/* One word of a text. */
struct norm_token {
	char *surface;		/* as typed (NFC), e.g. "Déchets" */
	char *folded;		/* case-folded, accents removed: "dechets" */
	char *stem;		/* Snowball stem of folded: "dechet" */
	int stop;		/* 1 if a stop word or article of the language */
};

/*
 * Split text (UTF-8) into tokens; elisions ("l'écologie", "l’eau") give
 * the article as a stop token and the word.  Returns the number of tokens
 * and sets *out (free with norm_tokens_free), or -1 if text is not UTF-8.
 */
long norm_tokens(struct norm *n, const char *text, struct norm_token **out);
void norm_tokens_free(struct norm_token *t, size_t count);

/*
 * The merge key of a word-cloud entry: the stems of the non-stop tokens,
 * joined by one space ("les Déchets " -> "dechet").  A new string, or NULL
 * when nothing is left (only stop words, punctuation or white space).
 */
char *norm_key(struct norm *n, const char *text);

/*
 * 1 if folded (a token's folded form, see struct norm_token) is a stop word
 * or article of lang, else 0.  The lists are in stopwords.c.
 */
int norm_stopword(enum norm_lang lang, const char *folded);

/* The stop words of lang, in byte order: sets *out, returns their count. */
size_t norm_stopwords(enum norm_lang lang, const char *const **out);

#endif
