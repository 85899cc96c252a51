/* test-normalize.c - unit tests of common/normalize.c and stopwords.c */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "common/normalize.h"

/* Every text of the NULL-terminated list has the key want. */
static void
same_key(enum norm_lang lang, const char *want, const char *const *texts)
{
	struct norm *n = norm_new(lang);
	char *key;

	for (; *texts != NULL; texts++) {
		key = norm_key(n, *texts);
		if (key == NULL || strcmp(key, want) != 0)
			fail_msg("%s: \"%s\" -> \"%s\", want \"%s\"",
			    norm_lang_name(lang), *texts, key ? key : "(null)",
			    want);
		free(key);
	}
	norm_free(n);
}

static char *
key_of(enum norm_lang lang, const char *text)
{
	struct norm *n = norm_new(lang);
	char *key = norm_key(n, text);

	norm_free(n);
	return key;
}

static void
test_lang(void **state)
{
	enum norm_lang l = NORM_EN;

	(void)state;
	assert_int_equal(norm_lang_parse("fr", &l), 0);
	assert_int_equal(l, NORM_FR);
	assert_int_equal(norm_lang_parse("nl", &l), 0);
	assert_int_equal(l, NORM_NL);
	assert_int_equal(norm_lang_parse("en", &l), 0);
	assert_int_equal(l, NORM_EN);
	assert_int_equal(norm_lang_parse("de", &l), -1);
	assert_int_equal(norm_lang_parse("FR", &l), -1);
	assert_int_equal(norm_lang_parse("", &l), -1);
	assert_int_equal(norm_lang_parse(NULL, &l), -1);
	assert_string_equal(norm_lang_name(NORM_FR), "fr");
	assert_string_equal(norm_lang_name(NORM_EN), "en");
	assert_string_equal(norm_lang_name(NORM_NL), "nl");
}

static void
test_french(void **state)
{
	static const char *const dechets[] = {
		"Déchets", "déchet", "dechets ", "les déchets", "DÉCHETS",
		"Des déchets !", "  le   déchet  ", "déchets.", "« déchets »",
		"de\xcc\x81" "chets",		/* decomposed é */
		NULL
	};
	static const char *const ecologie[] = {
		"l'écologie", "l’écologie", "écologie", "Ecologie",
		"L'ÉCOLOGIE", "l’Écologie", "écologique", "Écologiques",
		NULL
	};
	static const char *const velo[] = {
		"vélo", "vélos", "Velo", "les vélos", "un vélo", "VÉLOS",
		"Ｖｅｌｏ",			/* full width */
		NULL
	};
	static const char *const jeux[] = { "jeux", "jeu", "des jeux", NULL };
	static const char *const eau[] = {
		"l'eau", "l’eau", "eau", "les eaux", "jusqu’à l’eau", NULL
	};
	static const char *const arbres[] = {
		"arbres", "arbre", "d'arbres", "d’arbres", "Des arbres", NULL
	};
	static const char *const mobilite[] = {
		"mobilité", "mobilités", "la mobilité", "Mobilite", NULL
	};
	static const char *const pistes[] = {
		"pistes cyclables", "Piste cyclable", "des pistes cyclables",
		"piste-cyclable", NULL
	};
	static const char *const oeuvre[] = {
		"œuvre", "oeuvres", "ŒUVRE", "l'œuvre", NULL
	};

	(void)state;
	same_key(NORM_FR, "dechet", dechets);
	same_key(NORM_FR, "ecolog", ecologie);
	same_key(NORM_FR, "velo", velo);
	same_key(NORM_FR, "jeu", jeux);
	same_key(NORM_FR, "eau", eau);
	same_key(NORM_FR, "arbre", arbres);
	same_key(NORM_FR, "mobilit", mobilite);
	same_key(NORM_FR, "pist cyclabl", pistes);
	same_key(NORM_FR, "oeuvr", oeuvre);
}

static void
test_english(void **state)
{
	static const char *const school[] = {
		"school", "schools", "Schools", "the school", "a School",
		"SCHOOLS!", "school's", NULL
	};
	static const char *const city[] = {
		"city", "cities", "the City", "Cities.", NULL
	};
	static const char *const bike[] = {
		"bike lanes", "Bike lane", "the bike-lanes", NULL
	};
	static const char *const children[] = {
		"children", "children's", "the children", NULL
	};
	static const char *const cafe[] = { "café", "Cafe", "cafés", NULL };

	(void)state;
	same_key(NORM_EN, "school", school);
	same_key(NORM_EN, "citi", city);
	same_key(NORM_EN, "bike lane", bike);
	same_key(NORM_EN, "children", children);
	same_key(NORM_EN, "cafe", cafe);
}

static void
test_dutch(void **state)
{
	/* one Snowball pass gives "fiets" and "fiet": we stem twice */
	static const char *const fiets[] = {
		"fietsen", "fiets", "de fiets", "De Fietsen", "m'n fiets",
		"z’n fietsen", NULL
	};
	static const char *const auto_[] = {
		"auto's", "auto", "de auto", NULL
	};
	static const char *const boom[] = { "bomen", "boom", "de bomen", NULL };
	static const char *const straat[] = { "straten", "straat", NULL };
	static const char *const idee[] = { "ideeën", "idee", "Ideeen", NULL };
	static const char *const bank[] = { "bankjes", "bankje", NULL };
	static const char *const groen[] = {
		"groen", "Groene", "het groen", "meer groen", NULL
	};

	(void)state;
	same_key(NORM_NL, "fiet", fiets);
	same_key(NORM_NL, "auto", auto_);
	same_key(NORM_NL, "bom", boom);
	same_key(NORM_NL, "strat", straat);
	same_key(NORM_NL, "idee", idee);
	same_key(NORM_NL, "bankj", bank);
	same_key(NORM_NL, "groen", groen);
}

/* Words that must not merge. */
static void
test_apart(void **state)
{
	char *a, *b;

	(void)state;
	/* negations are content words */
	a = key_of(NORM_FR, "pas de voitures");
	b = key_of(NORM_FR, "voitures");
	assert_string_equal(a, "pas voitur");
	assert_string_equal(b, "voitur");
	free(a);
	free(b);
	a = key_of(NORM_EN, "no cars");
	assert_string_equal(a, "no car");
	free(a);
	a = key_of(NORM_NL, "geen auto's");
	assert_string_equal(a, "gen auto");
	free(a);
	/* "été" (summer) is not a stop word */
	a = key_of(NORM_FR, "l'été");
	assert_string_equal(a, "ete");
	free(a);
	/* order of words is kept */
	a = key_of(NORM_FR, "espaces verts");
	b = key_of(NORM_FR, "vert espace");
	assert_string_equal(a, "espac vert");
	assert_string_equal(b, "vert espac");
	free(a);
	free(b);
}

static void
test_tokens_elision(void **state)
{
	struct norm *n = norm_new(NORM_FR);
	struct norm_token *t;
	long c;

	(void)state;
	c = norm_tokens(n, "L’Écologie, d'abord", &t);
	assert_int_equal(c, 4);
	assert_string_equal(t[0].surface, "L’");
	assert_string_equal(t[0].folded, "l'");
	assert_int_equal(t[0].stop, 1);
	assert_string_equal(t[1].surface, "Écologie");
	assert_string_equal(t[1].folded, "ecologie");
	assert_string_equal(t[1].stem, "ecolog");
	assert_int_equal(t[1].stop, 0);
	assert_string_equal(t[2].surface, "d'");
	assert_int_equal(t[2].stop, 1);
	assert_string_equal(t[3].surface, "abord");
	assert_int_equal(t[3].stop, 0);
	norm_tokens_free(t, (size_t)c);

	/* two elisions in a row, and a word whose apostrophe stays */
	c = norm_tokens(n, "jusqu'à l'eau qu’aujourd’hui", &t);
	assert_int_equal(c, 6);
	assert_string_equal(t[0].folded, "jusqu'");
	assert_string_equal(t[1].folded, "a");
	assert_int_equal(t[1].stop, 1);
	assert_string_equal(t[2].folded, "l'");
	assert_string_equal(t[3].folded, "eau");
	assert_string_equal(t[4].surface, "qu’");
	assert_string_equal(t[5].surface, "aujourd’hui");
	assert_string_equal(t[5].folded, "aujourd'hui");
	assert_int_equal(t[5].stop, 0);
	norm_tokens_free(t, (size_t)c);

	/* an apostrophe at an edge is punctuation */
	c = norm_tokens(n, "'vélo' l'", &t);
	assert_int_equal(c, 2);
	assert_string_equal(t[0].surface, "vélo");
	assert_string_equal(t[1].surface, "l");
	assert_int_equal(t[1].stop, 1);
	norm_tokens_free(t, (size_t)c);
	norm_free(n);

	/* whole-word stop words with an apostrophe are not split */
	n = norm_new(NORM_NL);
	c = norm_tokens(n, "m'n fiets", &t);
	assert_int_equal(c, 2);
	assert_string_equal(t[0].folded, "m'n");
	assert_int_equal(t[0].stop, 1);
	norm_tokens_free(t, (size_t)c);
	norm_free(n);

	n = norm_new(NORM_EN);
	c = norm_tokens(n, "I’m happy, don't worry", &t);
	assert_int_equal(c, 4);
	assert_string_equal(t[0].folded, "i'm");
	assert_int_equal(t[0].stop, 1);
	assert_string_equal(t[1].stem, "happi");
	assert_string_equal(t[2].folded, "don't");
	assert_int_equal(t[2].stop, 0);
	norm_tokens_free(t, (size_t)c);
	norm_free(n);
}

static void
test_emoji_digits_scripts(void **state)
{
	struct norm *n = norm_new(NORM_FR);
	struct norm_token *t;
	char *k1, *k2;
	long c;

	(void)state;
	/* an emoji is a token of its own, its own stem */
	c = norm_tokens(n, "vélo🚲🚲 👍🏽 🇫🇷 👩‍👩‍👧", &t);
	assert_int_equal(c, 6);
	assert_string_equal(t[0].stem, "velo");
	assert_string_equal(t[1].surface, "🚲");
	assert_string_equal(t[1].folded, "🚲");
	assert_string_equal(t[1].stem, "🚲");
	assert_int_equal(t[1].stop, 0);
	assert_string_equal(t[2].stem, "🚲");
	assert_string_equal(t[3].stem, "👍🏽");	/* with its skin tone */
	assert_string_equal(t[4].stem, "🇫🇷");	/* a flag: two indicators */
	assert_string_equal(t[5].stem, "👩‍👩‍👧");	/* a ZWJ sequence */
	norm_tokens_free(t, (size_t)c);

	k1 = norm_key(n, "❤️");		/* with VS16 */
	k2 = norm_key(n, "❤");
	assert_string_equal(k1, "❤");
	assert_string_equal(k2, "❤");
	free(k1);
	free(k2);
	k1 = norm_key(n, "🌳 les arbres 🌳");
	assert_string_equal(k1, "🌳 arbre 🌳");
	free(k1);

	/* digits are kept, with or without letters */
	k1 = norm_key(n, "2024");
	assert_string_equal(k1, "2024");
	free(k1);
	k1 = norm_key(n, "15e arrondissement");
	assert_string_equal(k1, "15e arrond");
	free(k1);
	k1 = norm_key(n, "30 km/h");
	assert_string_equal(k1, "30 km h");
	free(k1);

	/* other scripts pass through, folded */
	c = norm_tokens(n, "Vélo ВЕЛОСИПЕД 自行车 Ποδήλατο", &t);
	assert_int_equal(c, 4);
	assert_string_equal(t[0].stem, "velo");
	assert_string_equal(t[1].folded, "велосипед");
	assert_string_equal(t[2].folded, "自行车");
	assert_string_equal(t[3].folded, "ποδηλατο");
	norm_tokens_free(t, (size_t)c);

	/* compatibility forms and ligatures */
	k1 = norm_key(n, "ﬁlm");
	k2 = norm_key(n, "film");
	assert_string_equal(k1, k2);
	free(k1);
	free(k2);

	/* hyphens separate words like spaces do */
	k1 = norm_key(n, "week-end");
	k2 = norm_key(n, "week end");
	assert_string_equal(k1, "week end");
	assert_string_equal(k2, "week end");
	free(k1);
	free(k2);

	/* the surface is NFC */
	c = norm_tokens(n, "e\xcc\x81" "cole", &t);
	assert_int_equal(c, 1);
	assert_string_equal(t[0].surface, "\xc3\xa9" "cole");
	norm_tokens_free(t, (size_t)c);
	norm_free(n);
}

static void
test_empty_and_invalid(void **state)
{
	struct norm *n = norm_new(NORM_FR);
	struct norm_token *t = (struct norm_token *)1;
	static const char *const empty_fr[] = {
		"", "   ", "!!!", "...", "-", "« »", "le la les", "Les",
		"l'", "qu'il", "c'est", "de la", "\t\n", NULL
	};
	size_t i;

	(void)state;
	for (i = 0; empty_fr[i] != NULL; i++)
		if (norm_key(n, empty_fr[i]) != NULL)
			fail_msg("\"%s\" should have no key", empty_fr[i]);
	assert_int_equal(norm_tokens(n, "", &t), 0);
	assert_null(t);
	assert_int_equal(norm_tokens(n, " ?! ", &t), 0);
	assert_null(t);

	/* invalid UTF-8 */
	assert_int_equal(norm_tokens(n, "d\xc3" "chet", &t), -1);
	assert_null(t);
	assert_int_equal(norm_tokens(n, "\xff", &t), -1);
	assert_int_equal(norm_tokens(n, "\xc0\xaf", &t), -1);	/* overlong */
	assert_int_equal(norm_tokens(n, "\xed\xa0\x80", &t), -1); /* UTF-16 */
	assert_null(norm_key(n, "caf\xe9"));			/* Latin-1 */
	norm_free(n);

	n = norm_new(NORM_EN);
	assert_null(norm_key(n, "the"));
	assert_null(norm_key(n, "of the"));
	assert_null(norm_key(n, "I'm"));
	norm_free(n);
	n = norm_new(NORM_NL);
	assert_null(norm_key(n, "de het een"));
	assert_null(norm_key(n, "'t"));
	norm_free(n);
}

/* The lists are sorted (bsearch) and already folded. */
static void
test_stopword_lists(void **state)
{
	static const enum norm_lang langs[] = { NORM_FR, NORM_EN, NORM_NL };
	const char *const *list;
	struct norm_token *t;
	struct norm *n;
	size_t i, j, len;
	long c;

	(void)state;
	for (i = 0; i < 3; i++) {
		len = norm_stopwords(langs[i], &list);
		assert_true(len > 90);
		n = norm_new(langs[i]);
		for (j = 0; j < len; j++) {
			if (j > 0 && strcmp(list[j - 1], list[j]) >= 0)
				fail_msg("%s: \"%s\" before \"%s\"",
				    norm_lang_name(langs[i]), list[j - 1],
				    list[j]);
			assert_true(norm_stopword(langs[i], list[j]));
			c = norm_tokens(n, list[j], &t);
			assert_int_equal(c, 1);
			assert_string_equal(t[0].folded, list[j]);
			assert_int_equal(t[0].stop, 1);
			norm_tokens_free(t, (size_t)c);
		}
		norm_free(n);
	}
	assert_true(norm_stopword(NORM_FR, "les"));
	assert_false(norm_stopword(NORM_FR, "pas"));
	assert_false(norm_stopword(NORM_FR, "ete"));
	assert_true(norm_stopword(NORM_EN, "the"));
	assert_false(norm_stopword(NORM_EN, "not"));
	assert_true(norm_stopword(NORM_NL, "het"));
	assert_false(norm_stopword(NORM_NL, "niet"));
	assert_false(norm_stopword(NORM_FR, "the"));
}

/* Append code point c to buf as UTF-8; returns the new length. */
static size_t
put_utf8(char *buf, size_t len, uint32_t c)
{
	if (c < 0x80)
		buf[len++] = (char)c;
	else if (c < 0x800) {
		buf[len++] = (char)(0xc0 | c >> 6);
		buf[len++] = (char)(0x80 | (c & 0x3f));
	} else if (c < 0x10000) {
		buf[len++] = (char)(0xe0 | c >> 12);
		buf[len++] = (char)(0x80 | ((c >> 6) & 0x3f));
		buf[len++] = (char)(0x80 | (c & 0x3f));
	} else {
		buf[len++] = (char)(0xf0 | c >> 18);
		buf[len++] = (char)(0x80 | ((c >> 12) & 0x3f));
		buf[len++] = (char)(0x80 | ((c >> 6) & 0x3f));
		buf[len++] = (char)(0x80 | (c & 0x3f));
	}
	return len;
}

/*
 * Random texts from the characters that make tokenising hard: tokens and
 * keys stay well-formed, and nothing leaks or overflows (run under ASan).
 */
static void
test_random_text(void **state)
{
	static const uint32_t pool[] = {
		'a', 'e', 'l', 'd', 'q', 'u', 's', 'Z', '1', '9', ' ', '-',
		'\'', '.', ',', '!', '\t', 0xe9, 0xc9, 0x153, 0x152, 0xdf,
		0x301, 0x308, 0x2019, 0x2018, 0x2bc, 0xff07, 0xad, 0x200b,
		0x200c, 0x200d, 0xfe0f, 0xfe0e, 0x20e3, 0x1f6b2, 0x1f3fd,
		0x1f1eb, 0x1f1f7, 0x2764, 0x1f469, 0x4e2d, 0x432, 0x3b1, 0xfb01,
		0xff36, 0xab, 0xbb, 0x2014, 0x115f, 0xe0067, 0x1f3f4, 0x30,
	};
	static const enum norm_lang langs[] = { NORM_FR, NORM_EN, NORM_NL };
	struct norm_token *t;
	struct norm *n;
	char buf[4 * 40 + 1], *key;
	uint32_t rnd = 12345;
	size_t len, i, k, nonstop;
	long c;
	int round;

	(void)state;
	for (round = 0; round < 6000; round++) {
		n = norm_new(langs[round % 3]);
		len = 0;
		k = (size_t)(round % 40);
		for (i = 0; i < k; i++) {
			rnd = rnd * 1103515245u + 12345u;
			len = put_utf8(buf, len,
			    pool[(rnd >> 16) % (sizeof pool / sizeof pool[0])]);
		}
		buf[len] = '\0';
		c = norm_tokens(n, buf, &t);
		assert_true(c >= 0);
		nonstop = 0;
		for (i = 0; i < (size_t)c; i++) {
			assert_true(t[i].surface[0] != '\0');
			assert_non_null(t[i].folded);
			assert_non_null(t[i].stem);
			if (!t[i].stop) {
				assert_true(t[i].stem[0] != '\0');
				nonstop++;
			}
		}
		norm_tokens_free(t, (size_t)c);
		key = norm_key(n, buf);
		if (nonstop == 0)
			assert_null(key);
		else {
			assert_non_null(key);
			assert_true(key[0] != ' ');
			assert_true(key[strlen(key) - 1] != ' ');
			assert_null(strstr(key, "  "));
		}
		free(key);
		norm_free(n);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lang),
		cmocka_unit_test(test_french),
		cmocka_unit_test(test_english),
		cmocka_unit_test(test_dutch),
		cmocka_unit_test(test_apart),
		cmocka_unit_test(test_tokens_elision),
		cmocka_unit_test(test_emoji_digits_scripts),
		cmocka_unit_test(test_empty_and_invalid),
		cmocka_unit_test(test_stopword_lists),
		cmocka_unit_test(test_random_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
