/* test-cluster.c - unit tests of common/cluster.c */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/cluster.h"
#include "common/util.h"

/* Three obvious themes, five notes each: bikes, rubbish, trees. */
static const char *const themes3[] = {
	"Plus de pistes cyclables pour les vélos",
	"Des parkings à vélos près de la gare",
	"Sécuriser les pistes cyclables rue de Rivoli",
	"Des vélos en libre-service pour les jeunes",
	"Un atelier de réparation de vélos",

	"Plus de poubelles dans les parcs",
	"Ramassage des déchets deux fois par semaine",
	"Des poubelles de tri pour les déchets",
	"Des poubelles pour les mégots",
	"Réduire les déchets au marché",

	"Planter des arbres dans la cour de l'école",
	"Des arbres fruitiers dans le square",
	"Protéger les arbres de l'avenue",
	"Végétaliser la place avec des arbres",
	"Un verger : des arbres et des fleurs",
};
#define NTHEMES3 ARRAY_LEN(themes3)

static struct cluster_note *
notes_of(const char *const *texts, size_t n)
{
	struct cluster_note *notes = xcalloc(n, sizeof *notes);
	size_t i;

	for (i = 0; i < n; i++) {
		notes[i].id = 100 + (int64_t)i;
		notes[i].text = texts[i];
	}
	return notes;
}

/* Every note in exactly one group, ids matching, groups not empty. */
static void
check_partition(const struct cluster_result *r,
    const struct cluster_note *notes, size_t n)
{
	int *seen = xcalloc(n, sizeof *seen);
	size_t g, j, i;

	for (g = 0; g < r->ngroups; g++) {
		assert_true(r->groups[g].count >= 1);
		assert_non_null(r->groups[g].label);
		for (j = 0; j < r->groups[g].count; j++) {
			i = r->groups[g].index[j];
			assert_true(i < n);
			assert_int_equal(r->groups[g].ids[j], notes[i].id);
			if (j > 0)
				assert_true(i > r->groups[g].index[j - 1]);
			seen[i]++;
		}
	}
	for (i = 0; i < n; i++)
		assert_int_equal(seen[i], 1);
	free(seen);
}

/* The group holding note i. */
static size_t
group_of(const struct cluster_result *r, size_t i)
{
	size_t g, j;

	for (g = 0; g < r->ngroups; g++)
		for (j = 0; j < r->groups[g].count; j++)
			if (r->groups[g].index[j] == i)
				return g;
	fail();
	return 0;
}

static void
test_three_themes(void **state)
{
	struct cluster_note *notes = notes_of(themes3, NTHEMES3);
	struct cluster_result *r;
	struct cluster_opts o;
	size_t t, i, g;
	uint64_t seed;

	(void)state;
	for (seed = 0; seed < 10; seed++) {
		cluster_opts_init(&o, NORM_FR);
		o.seed = seed;
		assert_int_equal(cluster_suggest(notes, NTHEMES3, &o, &r), 0);
		check_partition(r, notes, NTHEMES3);
		assert_int_equal(r->ngroups, 3);
		assert_int_equal(r->k, 3);
		for (t = 0; t < 3; t++) {
			g = group_of(r, 5 * t);
			assert_int_equal(r->groups[g].count, 5);
			for (i = 5 * t; i < 5 * t + 5; i++)
				assert_int_equal(group_of(r, i), g);
		}
		/* labels as people wrote the words */
		assert_non_null(strstr(r->groups[group_of(r, 0)].label,
		    "vélos"));
		assert_non_null(strstr(r->groups[group_of(r, 5)].label,
		    "déchets"));
		assert_non_null(strstr(r->groups[group_of(r, 10)].label,
		    "arbres"));
		if (seed == 0)
			for (g = 0; g < r->ngroups; g++)
				printf("  group %zu: \"%s\" (%zu notes)\n", g,
				    r->groups[g].label, r->groups[g].count);
		cluster_result_free(r);
	}
	free(notes);
}

static void
test_k_given(void **state)
{
	struct cluster_note *notes = notes_of(themes3, NTHEMES3);
	struct cluster_result *r;
	struct cluster_opts o;
	int k;

	(void)state;
	for (k = 1; k <= 16; k++) {
		cluster_opts_init(&o, NORM_FR);
		o.k = k;
		assert_int_equal(cluster_suggest(notes, NTHEMES3, &o, &r), 0);
		check_partition(r, notes, NTHEMES3);
		assert_int_equal(r->ngroups, k < 15 ? (size_t)k : 15);
		cluster_result_free(r);
	}
	/* so does the gap criterion */
	cluster_opts_init(&o, NORM_FR);
	o.kchoice = CLUSTER_K_GAP;
	assert_int_equal(cluster_suggest(notes, NTHEMES3, &o, &r), 0);
	check_partition(r, notes, NTHEMES3);
	assert_true(r->ngroups >= 2 && r->ngroups <= 4);
	cluster_result_free(r);
	/* the candidate methods keep the contract too */
	for (k = CLUSTER_METHOD_KMEANS; k <= CLUSTER_METHOD_AGGLO; k++) {
		cluster_opts_init(&o, NORM_FR);
		o.method = (enum cluster_method)k;
		o.k = 3;
		assert_int_equal(cluster_suggest(notes, NTHEMES3, &o, &r), 0);
		check_partition(r, notes, NTHEMES3);
		assert_true(r->ngroups >= 1 && r->ngroups <= 3);
		cluster_result_free(r);
	}
	free(notes);
}

static int
same_result(const struct cluster_result *a, const struct cluster_result *b)
{
	size_t g;

	if (a->ngroups != b->ngroups || a->k != b->k)
		return 0;
	for (g = 0; g < a->ngroups; g++) {
		if (strcmp(a->groups[g].label, b->groups[g].label) != 0 ||
		    a->groups[g].count != b->groups[g].count ||
		    memcmp(a->groups[g].index, b->groups[g].index,
		    a->groups[g].count * sizeof *a->groups[g].index) != 0)
			return 0;
	}
	return 1;
}

/* 200 notes on four themes, words drawn at random around each theme. */
static char **
make_200(void)
{
	static const char *const words[4][6] = {
		{ "vélos", "pistes", "cyclables", "bicyclettes", "cyclistes",
		    "vélo" },
		{ "déchets", "poubelles", "propreté", "tri", "ordures",
		    "recyclage" },
		{ "arbres", "fleurs", "jardin", "verger", "plantes",
		    "végétalisation" },
		{ "école", "enfants", "cantine", "élèves", "classe",
		    "collège" },
	};
	static const char *const filler[] = {
		"dans", "le", "quartier", "pour", "tous", "rue", "plus", "de",
		"la", "place", "nouveau", "projet",
	};
	char **t = xcalloc(200, sizeof *t), buf[256];
	uint64_t s = 42;
	size_t i, j;

	for (i = 0; i < 200; i++) {
		buf[0] = '\0';
		for (j = 0; j < 5; j++) {
			s = s * 6364136223846793005ULL + 1442695040888963407ULL;
			if (j % 2 == 0)
				strcat(buf, words[i % 4][(s >> 33) % 6]);
			else
				strcat(buf, filler[(s >> 33) % 12]);
			strcat(buf, " ");
		}
		t[i] = xstrdup(buf);
	}
	return t;
}

static void
test_determinism(void **state)
{
	struct cluster_note *notes = notes_of(themes3, NTHEMES3), *big;
	struct cluster_result *a, *b;
	struct cluster_opts o;
	char **t200 = make_200();
	size_t i;

	(void)state;
	cluster_opts_init(&o, NORM_FR);
	o.seed = 7;
	assert_int_equal(cluster_suggest(notes, NTHEMES3, &o, &a), 0);
	assert_int_equal(cluster_suggest(notes, NTHEMES3, &o, &b), 0);
	assert_true(same_result(a, b));
	cluster_result_free(a);
	cluster_result_free(b);
	big = notes_of((const char *const *)t200, 200);
	o.k = 0;
	assert_int_equal(cluster_suggest(big, 200, &o, &a), 0);
	assert_int_equal(cluster_suggest(big, 200, &o, &b), 0);
	assert_true(same_result(a, b));
	cluster_result_free(a);
	cluster_result_free(b);
	o.k = 6;
	assert_int_equal(cluster_suggest(big, 200, &o, &a), 0);
	assert_int_equal(cluster_suggest(big, 200, &o, &b), 0);
	assert_true(same_result(a, b));
	cluster_result_free(a);
	cluster_result_free(b);
	free(big);
	for (i = 0; i < 200; i++)
		free(t200[i]);
	free(t200);
	free(notes);
}

static void
test_200(void **state)
{
	char **t200 = make_200();
	struct cluster_note *notes = notes_of((const char *const *)t200, 200);
	struct cluster_result *r;
	struct cluster_opts o;
	size_t i, g, wrong = 0;
	size_t first[4];

	(void)state;
	cluster_opts_init(&o, NORM_FR);
	assert_int_equal(cluster_suggest(notes, 200, &o, &r), 0);
	check_partition(r, notes, 200);
	assert_int_equal(r->ngroups, 4);
	for (i = 0; i < 4; i++)
		first[i] = group_of(r, i);
	for (i = 0; i < 200; i++) {
		g = group_of(r, i);
		wrong += g != first[i % 4];
	}
	assert_int_equal(wrong, 0);
	cluster_result_free(r);
	for (i = 0; i < 200; i++)
		free(t200[i]);
	free(t200);
	free(notes);
}

static void
test_guided(void **state)
{
	static const char *const texts[] = {
		"Plus de pistes cyclables dans le quartier",	/* 0 bikes */
		"Des parkings à vélos près de la gare",
		"Sécuriser les pistes cyclables rue de Rivoli",
		"Des vélos en libre-service pour les jeunes",
		"Plus de poubelles dans les parcs",		/* 4 rubbish */
		"Ramassage des déchets deux fois par semaine",
		"Des poubelles de tri pour les déchets",
		"Réduire les déchets au marché",
		"Planter des arbres dans la cour de l'école",	/* 8 trees */
		"Des arbres fruitiers dans le square",
		"Des fleurs et des arbres sur la place",
		"Le wifi gratuit à la mairie",			/* 11 none */
		"",						/* 12 none */
	};
	static const int64_t bikes[] = { 100, 101 }, rubbish[] = { 104 };
	struct cluster_theme th[3] = {
		{ "Vélo", NULL, bikes, 2 },
		{ "Propreté", "déchets", rubbish, 1 },
		{ "Nature", "arbres fleurs", NULL, 0 },
	};
	struct cluster_note *notes = notes_of(texts, ARRAY_LEN(texts));
	struct cluster_result *r;
	struct cluster_opts o;
	static const int64_t bad[] = { 999 }, dup[] = { 100 };
	size_t i;

	(void)state;
	cluster_opts_init(&o, NORM_FR);
	assert_int_equal(cluster_guided(notes, ARRAY_LEN(texts), th, 3, &o,
	    &r), 0);
	assert_int_equal(r->ngroups, 3);
	assert_string_equal(r->groups[0].label, "Vélo");
	assert_string_equal(r->groups[2].label, "Nature");
	for (i = 0; i < 11; i++)
		assert_int_equal(group_of(r, i), i / 4);
	assert_int_equal(r->nnone, 2);
	assert_int_equal(r->none[0], 11);
	assert_int_equal(r->none[1], 12);
	cluster_result_free(r);
	/* with no threshold every note with words finds a theme */
	o.min_sim = 0;
	assert_int_equal(cluster_guided(notes, ARRAY_LEN(texts), th, 3, &o,
	    &r), 0);
	assert_int_equal(r->nnone, 1);
	assert_int_equal(r->none[0], 12);
	cluster_result_free(r);
	/* errors */
	th[2].examples = bad;
	th[2].nexamples = 1;
	assert_int_equal(cluster_guided(notes, ARRAY_LEN(texts), th, 3, &o,
	    &r), -1);
	th[2].examples = dup;
	assert_int_equal(cluster_guided(notes, ARRAY_LEN(texts), th, 3, &o,
	    &r), -1);
	assert_int_equal(cluster_guided(notes, ARRAY_LEN(texts), th, 0, &o,
	    &r), -1);
	free(notes);
}

static void
test_edges(void **state)
{
	static const char *const one[] = { "Des vélos" };
	static const char *const two[] = { "Des vélos", "Des arbres" };
	static const char *const same[] = { "Plus de vélos", "plus de VÉLOS",
	    "Plus de vélos", "Plus de vélos !" };
	static const char *const empty[] = { "", "le la les", "!!!", "  " };
	static const char *const mixed[] = { "Des vélos", "", "Des arbres",
	    "et la", "Des vélos partout", "Des arbres partout",
	    "Plus de vélos", "Plus d'arbres", "\xff\xfe" };
	struct cluster_note *notes;
	struct cluster_result *r;
	struct cluster_opts o;

	(void)state;
	cluster_opts_init(&o, NORM_FR);

	notes = notes_of(one, 1);
	assert_int_equal(cluster_suggest(notes, 1, &o, &r), 0);
	check_partition(r, notes, 1);
	assert_int_equal(r->ngroups, 1);
	assert_string_equal(r->groups[0].label, "vélos");
	cluster_result_free(r);
	free(notes);

	notes = notes_of(two, 2);
	assert_int_equal(cluster_suggest(notes, 2, &o, &r), 0);
	check_partition(r, notes, 2);
	assert_int_equal(r->ngroups, 2);
	cluster_result_free(r);
	free(notes);

	notes = notes_of(same, 4);
	assert_int_equal(cluster_suggest(notes, 4, &o, &r), 0);
	check_partition(r, notes, 4);
	assert_int_equal(r->ngroups, 1);
	assert_string_equal(r->groups[0].label, "vélos");
	cluster_result_free(r);
	o.k = 3;	/* more groups than distinct notes */
	assert_int_equal(cluster_suggest(notes, 4, &o, &r), 0);
	check_partition(r, notes, 4);
	assert_int_equal(r->ngroups, 1);
	cluster_result_free(r);
	o.k = 0;
	free(notes);

	notes = notes_of(empty, 4);
	assert_int_equal(cluster_suggest(notes, 4, &o, &r), 0);
	check_partition(r, notes, 4);
	assert_int_equal(r->ngroups, 1);
	assert_int_equal(r->k, 0);
	assert_string_equal(r->groups[0].label, "");
	cluster_result_free(r);
	free(notes);

	notes = notes_of(mixed, ARRAY_LEN(mixed));
	assert_int_equal(cluster_suggest(notes, ARRAY_LEN(mixed), &o, &r), 0);
	check_partition(r, notes, ARRAY_LEN(mixed));
	assert_int_equal(r->ngroups, 3);
	assert_string_equal(r->groups[2].label, "");
	assert_int_equal(r->groups[2].count, 3);
	assert_int_equal(group_of(r, 0), group_of(r, 4));
	assert_int_equal(group_of(r, 2), group_of(r, 5));
	cluster_result_free(r);

	/* bad arguments */
	assert_int_equal(cluster_suggest(notes, 0, &o, &r), -1);
	o.k = -1;
	assert_int_equal(cluster_suggest(notes, 2, &o, &r), -1);
	free(notes);
	cluster_result_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_three_themes),
		cmocka_unit_test(test_k_given),
		cmocka_unit_test(test_determinism),
		cmocka_unit_test(test_200),
		cmocka_unit_test(test_guided),
		cmocka_unit_test(test_edges),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
