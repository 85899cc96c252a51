/*
 * fuzz-normalize.c - libFuzzer target on the word normaliser
 * (common/normalize.h): norm_tokens() and norm_key() for French, English
 * and Dutch.
 *
 * Input: the first byte chooses the language (byte % 3: fr, en, nl); the
 * rest is the text, cut at its first NUL byte as a C string would be.
 *
 * Besides the sanitizers, it aborts when an invariant breaks:
 *   - norm_tokens() returns -1 exactly when the text is not valid UTF-8;
 *   - every token's surface, folded form and stem are valid UTF-8; a token
 *     that is not a stop token has a folded form and a stem (a character
 *     that folds to nothing, such as U+FC62, must be a stop token);
 *   - norm_key() is NULL exactly when every token is a stop token (or there
 *     is none); otherwise it is the non-stop stems joined by one space: no
 *     leading, trailing or double space, valid UTF-8;
 *   - the same text gives the same key twice (no hidden state).
 */
#include "common/normalize.h"
#include "common/text.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct norm *norms[3];

static void
die(const char *what, const char *text)
{
	fprintf(stderr, "fuzz-normalize: invariant broken: %s\ntext: %s\n",
	    what, text);
	abort();
}

static int
valid(const char *s)
{
	return text_utf8_count(s, strlen(s)) >= 0;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	norms[0] = norm_new(NORM_FR);
	norms[1] = norm_new(NORM_EN);
	norms[2] = norm_new(NORM_NL);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct norm_token *t = NULL;
	struct norm *n;
	char *text, *key, *again;
	size_t len;
	long count, i, words = 0;

	if (size < 1 || size > 4096)
		return 0;
	n = norms[data[0] % 3];
	text = malloc(size);
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	len = strlen(text);

	count = norm_tokens(n, text, &t);
	if ((count < 0) != (text_utf8_count(text, len) < 0))
		die("norm_tokens() and the UTF-8 check disagree", text);
	for (i = 0; i < count; i++) {
		if (!valid(t[i].surface) || !valid(t[i].folded) ||
		    !valid(t[i].stem))
			die("a token is not valid UTF-8", text);
		if (!t[i].stop && (t[i].folded[0] == '\0' ||
		    t[i].stem[0] == '\0'))
			die("a word token with an empty folded form or stem",
			    text);
		if (!t[i].stop)
			words++;
	}
	if (count > 0)
		norm_tokens_free(t, (size_t)count);

	key = norm_key(n, text);
	if ((key == NULL) != (words == 0))
		die("norm_key() is NULL but there are words, or the reverse",
		    text);
	if (key != NULL) {
		size_t kl = strlen(key);

		if (kl == 0 || key[0] == ' ' || key[kl - 1] == ' ' ||
		    strstr(key, "  ") != NULL)
			die("a badly joined key", text);
		if (!valid(key))
			die("a key that is not valid UTF-8", text);
		again = norm_key(n, text);
		if (again == NULL || strcmp(key, again) != 0)
			die("two keys for the same text", text);
		free(again);
	}
	free(key);
	free(text);
	return 0;
}
