/* test-wordcloud.c - unit tests of common/wordcloud.c */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/normalize.h"
#include "common/wordcloud.h"

static long
form_count(const struct wordcloud_entry *e, const char *text)
{
	size_t i;

	for (i = 0; i < e->nforms; i++)
		if (strcmp(e->forms[i]->text, text) == 0)
			return e->forms[i]->count;
	return 0;
}

static void
test_add_display(void **state)
{
	struct wordcloud *wc = wordcloud_new();
	struct wordcloud_entry *e, *e2;

	(void)state;
	assert_int_equal(wordcloud_len(wc), 0);
	assert_null(wordcloud_get(wc, "dechet"));
	e = wordcloud_add(wc, "dechet", "Déchets");
	assert_non_null(e);
	assert_string_equal(e->key, "dechet");
	assert_int_equal(e->count, 1);
	assert_int_equal(e->nforms, 1);
	assert_string_equal(wordcloud_entry_text(e), "Déchets");
	assert_int_equal(e->hidden, 0);

	/* a tie goes to the form seen first */
	e2 = wordcloud_add(wc, "dechet", "déchets");
	assert_ptr_equal(e, e2);
	assert_int_equal(e->count, 2);
	assert_int_equal(e->nforms, 2);
	assert_string_equal(wordcloud_entry_text(e), "Déchets");
	/* then the most frequent form wins */
	wordcloud_add(wc, "dechet", "déchets");
	assert_string_equal(wordcloud_entry_text(e), "déchets");
	wordcloud_add(wc, "dechet", "Déchets");	/* 2 - 2: the first seen */
	assert_string_equal(wordcloud_entry_text(e), "Déchets");
	wordcloud_add(wc, "dechet", "les déchets");
	assert_int_equal(e->count, 5);
	assert_int_equal(e->nforms, 3);
	assert_int_equal(form_count(e, "Déchets"), 2);
	assert_int_equal(form_count(e, "déchets"), 2);
	assert_int_equal(form_count(e, "les déchets"), 1);
	/* forms in first-seen order */
	assert_string_equal(e->forms[0]->text, "Déchets");
	assert_string_equal(e->forms[2]->text, "les déchets");

	wordcloud_add(wc, "velo", "vélo");
	assert_int_equal(wordcloud_len(wc), 2);
	assert_ptr_equal(wordcloud_get(wc, "dechet"), e);
	assert_null(wordcloud_get(wc, "dechets"));
	wordcloud_free(wc);
}

static void
test_list_order(void **state)
{
	struct wordcloud *wc = wordcloud_new();
	struct wordcloud_entry **v;
	size_t n;

	(void)state;
	n = wordcloud_list(wc, 0, &v);
	assert_int_equal(n, 0);
	assert_null(v);
	wordcloud_add(wc, "a", "a");
	wordcloud_add(wc, "b", "b");
	wordcloud_add(wc, "c", "c");
	wordcloud_add(wc, "c", "c");
	wordcloud_add(wc, "d", "d");
	wordcloud_add(wc, "b", "b");
	wordcloud_add(wc, "e", "e");
	/* counts: a 1, b 2, c 2, d 1, e 1; ties: earliest first */
	n = wordcloud_list(wc, 0, &v);
	assert_int_equal(n, 5);
	assert_string_equal(v[0]->key, "b");
	assert_string_equal(v[1]->key, "c");
	assert_string_equal(v[2]->key, "a");
	assert_string_equal(v[3]->key, "d");
	assert_string_equal(v[4]->key, "e");
	free(v);

	/* hidden entries are left out on request, kept otherwise */
	assert_non_null(wordcloud_hide(wc, "c", 1));
	assert_null(wordcloud_hide(wc, "zz", 1));
	n = wordcloud_list(wc, WORDCLOUD_VISIBLE, &v);
	assert_int_equal(n, 4);
	assert_string_equal(v[0]->key, "b");
	assert_string_equal(v[1]->key, "a");
	free(v);
	n = wordcloud_list(wc, 0, &v);
	assert_int_equal(n, 5);
	assert_int_equal(v[1]->hidden, 1);
	free(v);
	/* a hidden entry still counts and stays hidden */
	wordcloud_add(wc, "c", "C");
	assert_int_equal(wordcloud_get(wc, "c")->count, 3);
	assert_int_equal(wordcloud_get(wc, "c")->hidden, 1);
	assert_non_null(wordcloud_hide(wc, "c", 0));
	n = wordcloud_list(wc, WORDCLOUD_VISIBLE, &v);
	assert_int_equal(n, 5);
	assert_string_equal(v[0]->key, "c");
	free(v);

	/* everything hidden */
	wordcloud_hide(wc, "a", 1);
	wordcloud_hide(wc, "b", 1);
	wordcloud_hide(wc, "c", 1);
	wordcloud_hide(wc, "d", 1);
	wordcloud_hide(wc, "e", 1);
	n = wordcloud_list(wc, WORDCLOUD_VISIBLE, &v);
	assert_int_equal(n, 0);
	assert_null(v);
	wordcloud_free(wc);
}

static void
test_merge(void **state)
{
	struct wordcloud *wc = wordcloud_new();
	struct wordcloud_entry *velo, *bici, *out = NULL, **v;
	size_t n;

	(void)state;
	wordcloud_add(wc, "bicyclett", "bicyclette");	/* seq 1 */
	wordcloud_add(wc, "velo", "vélo");
	wordcloud_add(wc, "velo", "vélos");
	wordcloud_add(wc, "velo", "vélo");
	wordcloud_add(wc, "bicyclett", "vélo");	/* same text, other key */
	wordcloud_add(wc, "pied", "à pied");
	velo = wordcloud_get(wc, "velo");
	bici = wordcloud_get(wc, "bicyclett");
	wordcloud_hide(wc, "bicyclett", 1);

	assert_int_equal(wordcloud_merge(wc, "nope", "velo", &out), -1);
	assert_int_equal(wordcloud_merge(wc, "velo", "nope", &out), -1);
	assert_int_equal(wordcloud_merge(wc, "velo", "velo", &out), -2);
	assert_null(out);

	/* bicyclette into vélo: forms add up, the first-seen is kept */
	assert_int_equal(wordcloud_merge(wc, "bicyclett", "velo", &out), 0);
	assert_ptr_equal(out, velo);
	assert_int_equal(velo->count, 5);
	assert_int_equal(velo->first, 1);
	assert_int_equal(velo->hidden, 0);	/* into keeps its flag */
	assert_int_equal(velo->nforms, 3);
	assert_int_equal(form_count(velo, "vélo"), 3);
	assert_int_equal(form_count(velo, "vélos"), 1);
	assert_int_equal(form_count(velo, "bicyclette"), 1);
	assert_string_equal(velo->forms[0]->text, "bicyclette");
	assert_string_equal(wordcloud_entry_text(velo), "vélo");
	assert_int_equal(velo->naliases, 1);
	assert_string_equal(velo->aliases[0], "bicyclett");
	assert_int_equal(wordcloud_len(wc), 2);
	(void)bici;			/* freed by the merge */

	/* the old key now counts for vélo, and so does a lookup */
	assert_ptr_equal(wordcloud_get(wc, "bicyclett"), velo);
	assert_ptr_equal(wordcloud_add(wc, "bicyclett", "Bicyclette"), velo);
	assert_int_equal(velo->count, 6);
	assert_int_equal(form_count(velo, "Bicyclette"), 1);
	/* merging a key already merged is the same entry */
	assert_int_equal(wordcloud_merge(wc, "bicyclett", "velo", NULL), -2);

	/* chains: vélo into pied, then bicyclette still goes to pied */
	assert_int_equal(wordcloud_merge(wc, "velo", "pied", &out), 0);
	assert_string_equal(out->key, "pied");
	assert_int_equal(out->count, 7);
	assert_int_equal(out->naliases, 2);
	assert_ptr_equal(wordcloud_get(wc, "bicyclett"), out);
	assert_ptr_equal(wordcloud_get(wc, "velo"), out);
	assert_ptr_equal(wordcloud_add(wc, "bicyclett", "bicyclette"), out);
	assert_ptr_equal(wordcloud_add(wc, "velo", "vélo"), out);
	assert_int_equal(out->count, 9);
	assert_string_equal(wordcloud_entry_text(out), "vélo");
	assert_int_equal(wordcloud_len(wc), 1);
	/* merging into an alias resolves it */
	wordcloud_add(wc, "bus", "bus");
	assert_int_equal(wordcloud_merge(wc, "bus", "velo", &out), 0);
	assert_string_equal(out->key, "pied");
	assert_int_equal(out->count, 10);
	/* hide through an alias */
	assert_ptr_equal(wordcloud_hide(wc, "bus", 1), out);
	assert_int_equal(out->hidden, 1);
	n = wordcloud_list(wc, WORDCLOUD_VISIBLE, &v);
	assert_int_equal(n, 0);
	assert_null(v);

	/* reset forgets entries and merges */
	wordcloud_reset(wc);
	assert_int_equal(wordcloud_len(wc), 0);
	assert_null(wordcloud_get(wc, "velo"));
	velo = wordcloud_add(wc, "velo", "vélo");
	assert_string_equal(velo->key, "velo");
	assert_int_equal(velo->count, 1);
	assert_int_equal(velo->first, 1);
	wordcloud_free(wc);
}

/* Real variants through the normaliser, as core.c will do it. */
static void
test_with_normalizer(void **state)
{
	static const char *const typed[] = {
		"Déchets", "déchet", "dechets ", "les déchets", "déchets",
		"déchets", "l'écologie", "Écologie", "vélos", "Vélo", "vélo",
		"🚲", "le", "!!!",
	};
	struct norm *n = norm_new(NORM_FR);
	struct wordcloud *wc = wordcloud_new();
	struct wordcloud_entry **v;
	size_t i, len, rejected = 0;
	char *key;

	(void)state;
	for (i = 0; i < sizeof typed / sizeof typed[0]; i++) {
		if ((key = norm_key(n, typed[i])) == NULL) {
			rejected++;
			continue;
		}
		wordcloud_add(wc, key, typed[i]);
		free(key);
	}
	assert_int_equal(rejected, 2);
	len = wordcloud_list(wc, 0, &v);
	assert_int_equal(len, 4);
	assert_string_equal(v[0]->key, "dechet");
	assert_int_equal(v[0]->count, 6);
	assert_string_equal(wordcloud_entry_text(v[0]), "déchets");
	assert_string_equal(v[1]->key, "velo");
	assert_int_equal(v[1]->count, 3);
	assert_string_equal(wordcloud_entry_text(v[1]), "vélos");
	assert_string_equal(v[2]->key, "ecolog");
	assert_string_equal(wordcloud_entry_text(v[2]), "l'écologie");
	assert_string_equal(v[3]->key, "🚲");
	free(v);
	wordcloud_free(wc);
	norm_free(n);
}

/* Many entries and forms: the maps grow, pointers stay valid. */
static void
test_many(void **state)
{
	struct wordcloud *wc = wordcloud_new();
	struct wordcloud_entry *first, **v;
	char key[32], form[32];
	size_t n;
	int i;

	(void)state;
	first = wordcloud_add(wc, "k0", "f0");
	for (i = 0; i < 20000; i++) {
		snprintf(key, sizeof key, "k%d", i % 5000);
		snprintf(form, sizeof form, "f%d", i % 7);
		wordcloud_add(wc, key, form);
	}
	assert_int_equal(wordcloud_len(wc), 5000);
	assert_ptr_equal(wordcloud_get(wc, "k0"), first);
	assert_int_equal(first->count, 5);
	n = wordcloud_list(wc, 0, &v);
	assert_int_equal(n, 5000);
	assert_string_equal(v[0]->key, "k0");
	for (i = 1; i < 5000; i++)
		assert_true(wordcloud_entry_cmp(&v[i - 1], &v[i]) < 0);
	free(v);
	/* merge half of them into k1 */
	for (i = 2; i < 5000; i += 2) {
		snprintf(key, sizeof key, "k%d", i);
		assert_int_equal(wordcloud_merge(wc, key, "k1", NULL), 0);
	}
	assert_int_equal(wordcloud_len(wc), 2501);
	assert_int_equal(wordcloud_get(wc, "k4998")->count, 4 * 2500);
	assert_int_equal(wordcloud_get(wc, "k1")->nforms, 7);
	/* a long key and form (beyond the stack buffer) */
	{
		char big[600];

		memset(big, 'y', sizeof big - 1);
		big[sizeof big - 1] = '\0';
		assert_int_equal(wordcloud_add(wc, big, big)->count, 1);
		assert_int_equal(wordcloud_add(wc, big, big)->count, 2);
		assert_int_equal(wordcloud_get(wc, big)->nforms, 1);
		assert_int_equal(wordcloud_merge(wc, big, "k1", NULL), 0);
		assert_int_equal(form_count(wordcloud_get(wc, "k1"), big), 2);
	}
	wordcloud_free(wc);
	wordcloud_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_display),
		cmocka_unit_test(test_list_order),
		cmocka_unit_test(test_merge),
		cmocka_unit_test(test_with_normalizer),
		cmocka_unit_test(test_many),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
