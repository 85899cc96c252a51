/* test-cloudlayout.c - unit tests of common/cloudlayout.c */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/cloudlayout.h"

/* 100 words of a workshop on the city, most frequent first. */
static const char *const words[100] = {
	"vélo", "arbres", "mobilité", "propreté", "écoles", "jardins",
	"sécurité", "piétons", "bancs", "fontaines", "Végétalisation",
	"transports", "culture", "sport", "solidarité", "commerces",
	"lumière", "calme", "bruit", "pistes cyclables", "parcs",
	"enfants", "aînés", "marché", "bibliothèque", "musique", "fête",
	"partage", "compost", "recyclage", "déchets", "eau", "ombre",
	"fraîcheur", "places", "trottoirs", "accessibilité", "handicap",
	"logement", "quartier", "voisins", "associations", "jeux",
	"terrasses", "cafés", "art", "fresques", "street art", "gymnase",
	"piscine", "santé", "air pur", "nature", "oiseaux", "abeilles",
	"potager", "fleurs", "🌳", "🚲", "❤️", "2024", "15e",
	"Buttes-Chaumont", "Saint-Martin", "canal", "Seine", "ponts",
	"tramway", "bus", "métro", "parking", "voitures", "zone 30",
	"rues piétonnes", "éclairage", "nuit", "sécurité routière",
	"collège", "lycée", "université", "emploi", "coworking",
	"numérique", "wifi", "démocratie", "budget participatif",
	"écologie", "climat", "biodiversité", "zéro déchet", "réemploi",
	"ateliers", "réparation", "cinéma", "théâtre", "danse", "lecture",
	"自行车", "Ποδήλατο", "велосипед",
};

static void
make_items(struct cloudlayout_item *items, size_t n, long *counts)
{
	size_t i;

	for (i = 0; i < n; i++) {
		/* a Zipf-like spread: 60, 30, 20, 15, ... 1 */
		counts[i] = 60 / (long)(i + 1) > 0 ? 60 / (long)(i + 1) : 1;
		items[i].key = words[i % 100];
		items[i].text = words[i % 100];
		items[i].count = counts[i];
	}
}

/* Inside the canvas, with at least pad_x / pad_y between two boxes. */
static void
check_layout(const struct cloudlayout *l, int pad_x, int pad_y)
{
	const struct cloudlayout_word *a, *b;
	size_t i, j;

	for (i = 0; i < l->len; i++) {
		a = &l->words[i];
		if (a->x < 0 || a->y < 0 || a->w < 1 || a->h < 1 ||
		    a->x + a->w > l->width || a->y + a->h > l->height)
			fail_msg("\"%s\" at %d,%d %dx%d is outside %dx%d",
			    a->text, a->x, a->y, a->w, a->h, l->width,
			    l->height);
		for (j = i + 1; j < l->len; j++) {
			b = &l->words[j];
			if (a->x < b->x + b->w + pad_x &&
			    b->x < a->x + a->w + pad_x &&
			    a->y < b->y + b->h + pad_y &&
			    b->y < a->y + a->h + pad_y)
				fail_msg("\"%s\" %d,%d %dx%d and \"%s\" %d,%d "
				    "%dx%d overlap", a->text, a->x, a->y, a->w,
				    a->h, b->text, b->x, b->y, b->w, b->h);
		}
	}
}

static const struct cloudlayout_word *
find_word(const struct cloudlayout *l, const char *key)
{
	size_t i;

	for (i = 0; i < l->len; i++)
		if (strcmp(l->words[i].key, key) == 0)
			return &l->words[i];
	return NULL;
}

static double
centre_dist(const struct cloudlayout_word *a, const struct cloudlayout_word *b)
{
	double dx = (a->x + a->w / 2.0) - (b->x + b->w / 2.0);
	double dy = (a->y + a->h / 2.0) - (b->y + b->h / 2.0);

	return sqrt(dx * dx + dy * dy);
}

static void
test_text_width(void **state)
{
	(void)state;
	/* Helvetica: W 944, i 222 per 1000 em */
	assert_int_equal(cloudlayout_text_width(CLOUDLAYOUT_PX, "Wi", 100),
	    117);
	assert_int_equal(cloudlayout_text_width(CLOUDLAYOUT_PX, "e", 10), 6);
	/* an accent does not change the width */
	assert_int_equal(cloudlayout_text_width(CLOUDLAYOUT_PX, "vélo", 40),
	    cloudlayout_text_width(CLOUDLAYOUT_PX, "velo", 40));
	/* wide characters and emoji take one em */
	assert_int_equal(cloudlayout_text_width(CLOUDLAYOUT_PX, "自行车", 20),
	    60);
	assert_int_equal(cloudlayout_text_width(CLOUDLAYOUT_PX, "🚲", 20), 20);
	assert_true(cloudlayout_text_width(CLOUDLAYOUT_PX, "", 20) >= 1);
	/* grid: columns */
	assert_int_equal(cloudlayout_text_width(CLOUDLAYOUT_GRID, "vélo", 4),
	    4);
	assert_int_equal(cloudlayout_text_width(CLOUDLAYOUT_GRID, "e\xcc\x81",
	    1), 1);
	assert_int_equal(cloudlayout_text_width(CLOUDLAYOUT_GRID, "自行车", 1),
	    6);
	assert_int_equal(cloudlayout_text_width(CLOUDLAYOUT_GRID, "🚲", 1), 2);
}

static void
test_px_100(void **state)
{
	struct cloudlayout_item items[100];
	struct cloudlayout_params p;
	struct cloudlayout l;
	const struct cloudlayout_word *top;
	long counts[100];
	size_t i;

	(void)state;
	make_items(items, 100, counts);
	cloudlayout_params_init(&p, CLOUDLAYOUT_PX, 800, 600);
	assert_int_equal(cloudlayout_compute(&l, &p, items, 100, NULL), 0);
	assert_int_equal(l.target, CLOUDLAYOUT_PX);
	assert_int_equal(l.width, 800);
	assert_int_equal(l.height, 600);
	assert_int_equal(l.len, 100);
	assert_int_equal(l.dropped, 0);
	check_layout(&l, p.padding, p.padding);
	/* the words come back in the items' order, with their counts */
	for (i = 0; i < l.len; i++) {
		assert_string_equal(l.words[i].key, items[i].key);
		assert_string_equal(l.words[i].text, items[i].text);
		assert_int_equal(l.words[i].count, items[i].count);
		assert_true(l.words[i].size >= p.min_size);
		assert_true(l.words[i].size <= p.max_size);
		assert_int_equal(l.words[i].w, cloudlayout_text_width(
		    CLOUDLAYOUT_PX, l.words[i].text, l.words[i].size));
		assert_int_equal(l.words[i].h,
		    (int)ceil(CLOUDLAYOUT_LINE * l.words[i].size));
		/* larger count, larger type (nothing was shrunk) */
		if (i > 0 && l.shrunk == 0)
			assert_true(l.words[i].size <= l.words[i - 1].size);
	}
	/* the largest word is in the centre */
	top = &l.words[0];
	assert_true(fabs(top->x + top->w / 2.0 - 400) < 20);
	assert_true(fabs(top->y + top->h / 2.0 - 300) < 20);
	assert_true(top->size > 3 * l.words[99].size);
	cloudlayout_free(&l);
	assert_null(l.words);
	assert_int_equal(l.len, 0);
}

static void
test_deterministic(void **state)
{
	struct cloudlayout_item items[100];
	struct cloudlayout_params p;
	struct cloudlayout a, b;
	long counts[100];
	size_t i;

	(void)state;
	make_items(items, 100, counts);
	cloudlayout_params_init(&p, CLOUDLAYOUT_PX, 640, 480);
	assert_int_equal(cloudlayout_compute(&a, &p, items, 100, NULL), 0);
	assert_int_equal(cloudlayout_compute(&b, &p, items, 100, NULL), 0);
	assert_int_equal(a.len, b.len);
	assert_int_equal(a.dropped, b.dropped);
	for (i = 0; i < a.len; i++) {
		assert_string_equal(a.words[i].key, b.words[i].key);
		assert_int_equal(a.words[i].x, b.words[i].x);
		assert_int_equal(a.words[i].y, b.words[i].y);
		assert_int_equal(a.words[i].w, b.words[i].w);
		assert_int_equal(a.words[i].h, b.words[i].h);
		assert_int_equal(a.words[i].size, b.words[i].size);
	}
	cloudlayout_free(&a);
	cloudlayout_free(&b);
}

/* Words that moved more than limit between two layouts. */
static size_t
moved(const struct cloudlayout *a, const struct cloudlayout *b, double limit)
{
	const struct cloudlayout_word *w;
	size_t i, n = 0;

	for (i = 0; i < a->len; i++)
		if ((w = find_word(b, a->words[i].key)) != NULL &&
		    centre_dist(&a->words[i], w) > limit)
			n++;
	return n;
}

static void
test_stable(void **state)
{
	struct cloudlayout_item items[101];
	struct cloudlayout_params p;
	struct cloudlayout l1, l2, l3, l4, fresh;
	long counts[101];
	size_t i;

	(void)state;
	make_items(items, 100, counts);
	cloudlayout_params_init(&p, CLOUDLAYOUT_PX, 800, 600);
	assert_int_equal(cloudlayout_compute(&l1, &p, items, 100, NULL), 0);

	/*
	 * One more vote for a word in the middle: from 1 to 2, its type
	 * doubles and it moves to the nearest room; the others stay put.
	 */
	items[40].count++;
	assert_int_equal(cloudlayout_compute(&l2, &p, items, 100, &l1), 0);
	check_layout(&l2, p.padding, p.padding);
	assert_int_equal(l2.len, 100);
	assert_true(find_word(&l2, words[40])->size >
	    find_word(&l1, words[40])->size);
	for (i = 0; i < 100; i++)
		if (i != 40) {
			assert_int_equal(l2.words[i].x, l1.words[i].x);
			assert_int_equal(l2.words[i].y, l1.words[i].y);
		}
	assert_true(centre_dist(&l1.words[40], &l2.words[40]) < 100);
	/* without the previous layout, many words move (33 today) */
	assert_int_equal(cloudlayout_compute(&fresh, &p, items, 100, NULL), 0);
	check_layout(&fresh, p.padding, p.padding);
	assert_true(moved(&l1, &fresh, 3) > 10);

	/*
	 * The top word grows by half: every size changes, centres stay
	 * within a few pixels (17 words shift by 1 to 3 px today).
	 */
	items[0].count += 30;
	assert_int_equal(cloudlayout_compute(&l3, &p, items, 100, &l2), 0);
	check_layout(&l3, p.padding, p.padding);
	assert_int_equal(l3.len, 100);
	assert_true(moved(&l2, &l3, 5) <= 3);
	assert_true(moved(&l2, &l3, 20) == 0);

	/* a new word arrives */
	items[100].key = "nouveau";
	items[100].text = "nouveau";
	items[100].count = 2;
	assert_int_equal(cloudlayout_compute(&l4, &p, items, 101, &l3), 0);
	check_layout(&l4, p.padding, p.padding);
	assert_non_null(find_word(&l4, "nouveau"));
	assert_true(moved(&l3, &l4, 0) == 0);	/* it comes after them */

	cloudlayout_free(&l1);
	cloudlayout_free(&l2);
	cloudlayout_free(&l3);
	cloudlayout_free(&l4);
	cloudlayout_free(&fresh);
}

static void
test_resized_canvas(void **state)
{
	struct cloudlayout_item items[60];
	struct cloudlayout_params p;
	struct cloudlayout l1, l2;
	long counts[60];

	(void)state;
	make_items(items, 60, counts);
	cloudlayout_params_init(&p, CLOUDLAYOUT_PX, 800, 600);
	assert_int_equal(cloudlayout_compute(&l1, &p, items, 60, NULL), 0);
	cloudlayout_params_init(&p, CLOUDLAYOUT_PX, 400, 300);
	assert_int_equal(cloudlayout_compute(&l2, &p, items, 60, &l1), 0);
	check_layout(&l2, p.padding, p.padding);
	assert_int_equal(l2.width, 400);
	assert_int_equal(l2.len + l2.dropped, 60);
	cloudlayout_free(&l2);
	/* a previous layout of the other target is ignored */
	cloudlayout_params_init(&p, CLOUDLAYOUT_GRID, 80, 20);
	assert_int_equal(cloudlayout_compute(&l2, &p, items, 60, &l1), 0);
	check_layout(&l2, 1, 0);
	cloudlayout_free(&l1);
	cloudlayout_free(&l2);
}

static void
test_grid(void **state)
{
	struct cloudlayout_item items[100];
	struct cloudlayout_params p;
	struct cloudlayout l, l2;
	const struct cloudlayout_word *top;
	long counts[100];
	size_t i;

	(void)state;
	make_items(items, 100, counts);
	cloudlayout_params_init(&p, CLOUDLAYOUT_GRID, 80, 20);
	assert_int_equal(cloudlayout_compute(&l, &p, items, 100, NULL), 0);
	assert_int_equal(l.target, CLOUDLAYOUT_GRID);
	assert_int_equal(l.len + l.dropped, 100);
	assert_true(l.len >= 60);
	check_layout(&l, 1, 0);		/* a blank column between words */
	for (i = 0; i < l.len; i++) {
		assert_int_equal(l.words[i].h, 1);
		assert_int_equal(l.words[i].w, cloudlayout_text_width(
		    CLOUDLAYOUT_GRID, l.words[i].text, 1));
		assert_true(l.words[i].size >= 1 && l.words[i].size <= 4);
		if (i > 0)
			assert_true(l.words[i].size <= l.words[i - 1].size);
	}
	top = &l.words[0];
	assert_int_equal(top->size, 4);
	assert_int_equal(l.words[l.len - 1].size, 1);
	assert_true(abs(top->y - 10) <= 1);
	assert_true(abs(top->x + top->w / 2 - 40) <= 3);

	/* stable too */
	items[30].count++;
	assert_int_equal(cloudlayout_compute(&l2, &p, items, 100, &l), 0);
	check_layout(&l2, 1, 0);
	assert_true(moved(&l, &l2, 0) <= 5);
	cloudlayout_free(&l);
	cloudlayout_free(&l2);

	/* a word wider than the grid is dropped */
	items[0].text = "une phrase bien trop longue pour tenir";
	cloudlayout_params_init(&p, CLOUDLAYOUT_GRID, 20, 3);
	assert_int_equal(cloudlayout_compute(&l, &p, items, 10, NULL), 0);
	check_layout(&l, 1, 0);
	assert_null(find_word(&l, words[0]));
	assert_true(l.dropped >= 1);
	cloudlayout_free(&l);
}

static void
test_crowded(void **state)
{
	struct cloudlayout_item *items = calloc(1000, sizeof *items);
	struct cloudlayout_params p;
	struct cloudlayout l;
	long *counts = calloc(1000, sizeof *counts);
	char (*text)[32] = calloc(1000, sizeof *text);
	size_t i;

	(void)state;
	make_items(items, 1000, counts);
	for (i = 0; i < 1000; i++) {
		snprintf(text[i], sizeof text[i], "%s%zu", words[i % 100], i);
		items[i].key = items[i].text = text[i];
	}
	/* 1000 words on 800x600: nearly all placed, at the smallest size */
	cloudlayout_params_init(&p, CLOUDLAYOUT_PX, 800, 600);
	assert_int_equal(cloudlayout_compute(&l, &p, items, 1000, NULL), 0);
	check_layout(&l, p.padding, p.padding);
	assert_true(l.len >= 900);
	assert_int_equal(l.len + l.dropped, 1000);
	cloudlayout_free(&l);

	/* a tiny canvas: words shrink, then drop; nothing spills out */
	cloudlayout_params_init(&p, CLOUDLAYOUT_PX, 120, 40);
	assert_int_equal(cloudlayout_compute(&l, &p, items, 200, NULL), 0);
	check_layout(&l, p.padding, p.padding);
	assert_true(l.len >= 1);
	assert_true(l.dropped >= 100);
	assert_int_equal(l.len + l.dropped, 200);
	cloudlayout_free(&l);

	/* one huge word on a small canvas is fitted to it */
	items[0].text = "anticonstitutionnellement";
	cloudlayout_params_init(&p, CLOUDLAYOUT_PX, 100, 100);
	assert_int_equal(cloudlayout_compute(&l, &p, items, 1, NULL), 0);
	assert_int_equal(l.len, 1);
	check_layout(&l, 0, 0);
	cloudlayout_free(&l);
	free(items);
	free(counts);
	free(text);
}

static void
test_params(void **state)
{
	struct cloudlayout_item items[3] = {
		{ "a", "alpha", 3 }, { "b", "beta", 3 }, { "c", "gamma", 3 },
	};
	struct cloudlayout_params p;
	struct cloudlayout l;
	int sizes[3];

	(void)state;
	cloudlayout_params_init(&p, CLOUDLAYOUT_PX, 0, 600);
	assert_int_equal(cloudlayout_compute(&l, &p, items, 3, NULL), -1);
	assert_int_equal(l.len, 0);
	assert_null(l.words);
	cloudlayout_free(&l);
	cloudlayout_params_init(&p, CLOUDLAYOUT_PX, 800, 100000);
	assert_int_equal(cloudlayout_compute(&l, &p, items, 3, NULL), -1);
	cloudlayout_params_init(&p, CLOUDLAYOUT_PX, 800, 600);
	p.fill = 0;
	assert_int_equal(cloudlayout_compute(&l, &p, items, 3, NULL), -1);

	/* nothing to place */
	cloudlayout_params_init(&p, CLOUDLAYOUT_PX, 800, 600);
	assert_int_equal(cloudlayout_compute(&l, &p, items, 0, NULL), 0);
	assert_int_equal(l.len, 0);
	cloudlayout_free(&l);

	/* equal counts, equal sizes: the largest that fit */
	cloudlayout_sizes(&p, items, 3, sizes);
	assert_int_equal(sizes[0], p.max_size);
	assert_int_equal(sizes[1], p.max_size);
	assert_int_equal(sizes[2], p.max_size);
	p.target = CLOUDLAYOUT_GRID;
	cloudlayout_sizes(&p, items, 3, sizes);
	assert_int_equal(sizes[0], 4);
	items[1].count = 1;
	items[2].count = 2;
	cloudlayout_sizes(&p, items, 3, sizes);
	assert_int_equal(sizes[0], 4);
	assert_int_equal(sizes[1], 1);
	assert_int_equal(sizes[2], 3);
}

/* Large and thin canvases: type and steps scale, nothing blows up. */
static void
test_large(void **state)
{
	struct cloudlayout_item items[100];
	struct cloudlayout_params p;
	struct cloudlayout l, l2;
	long counts[100];
	static const int dims[][2] = {
		{ 3840, 2160 }, { 10000, 10000 }, { 10000, 10 }, { 10, 10000 },
		{ 1199, 1199 }, { 1200, 1200 },
	};
	size_t i;

	(void)state;
	make_items(items, 100, counts);
	for (i = 0; i < sizeof dims / sizeof dims[0]; i++) {
		cloudlayout_params_init(&p, CLOUDLAYOUT_PX, dims[i][0],
		    dims[i][1]);
		assert_int_equal(cloudlayout_compute(&l, &p, items, 100, NULL),
		    0);
		check_layout(&l, p.padding, p.padding);
		assert_int_equal(l.len + l.dropped, 100);
		if (dims[i][0] >= 1199 && dims[i][1] >= 1199) {
			assert_int_equal(l.len, 100);
			/* the type grew with the canvas */
			assert_int_equal(p.max_size, (dims[i][0] <
			    dims[i][1] ? dims[i][0] : dims[i][1]) / 5);
			assert_true(l.words[0].size > 200);
		}
		items[50].count++;
		assert_int_equal(cloudlayout_compute(&l2, &p, items, 100, &l),
		    0);
		check_layout(&l2, p.padding, p.padding);
		items[50].count--;
		cloudlayout_free(&l);
		cloudlayout_free(&l2);
	}
	/* a grid of one row, and one column */
	cloudlayout_params_init(&p, CLOUDLAYOUT_GRID, 200, 1);
	assert_int_equal(cloudlayout_compute(&l, &p, items, 100, NULL), 0);
	check_layout(&l, 1, 0);
	assert_true(l.len >= 10);
	cloudlayout_free(&l);
	cloudlayout_params_init(&p, CLOUDLAYOUT_GRID, 1, 10000);
	assert_int_equal(cloudlayout_compute(&l, &p, items, 100, NULL), 0);
	check_layout(&l, 1, 0);
	assert_int_equal(l.len, 1);	/* only "❤️" is one column wide */
	assert_string_equal(l.words[0].text, "❤️");
	assert_int_equal(l.dropped, 99);
	cloudlayout_free(&l);
}

/* Random canvases, counts and chains of layouts keep every invariant. */
static void
test_random(void **state)
{
	struct cloudlayout_item items[150];
	struct cloudlayout_params p;
	struct cloudlayout prev, l;
	long counts[150];
	uint32_t rnd = 99;
	size_t n, i;
	int round, big;

	(void)state;
	memset(&prev, 0, sizeof prev);
	for (round = 0; round < 60; round++) {
		rnd = rnd * 1103515245u + 12345u;
		n = (rnd >> 8) % 150;
		make_items(items, n, counts);
		for (i = 0; i < n; i++) {
			rnd = rnd * 1103515245u + 12345u;
			items[i].count = 1 + (long)((rnd >> 16) % 50);
		}
		big = round % 3 == 0;
		if (round % 2 == 0) {
			cloudlayout_params_init(&p, CLOUDLAYOUT_PX,
			    big ? 1200 : 20 + (int)((rnd >> 4) % 600),
			    big ? 900 : 10 + (int)((rnd >> 12) % 400));
			if (round % 4 == 0)
				p.padding = 0;
		} else
			cloudlayout_params_init(&p, CLOUDLAYOUT_GRID,
			    5 + (int)((rnd >> 4) % 200),
			    1 + (int)((rnd >> 12) % 60));
		/* unsorted counts on purpose: any order is placed as given */
		assert_int_equal(cloudlayout_compute(&l, &p, items, n,
		    round % 5 ? &prev : NULL), 0);
		assert_int_equal(l.len + l.dropped, n);
		if (p.target == CLOUDLAYOUT_GRID)
			check_layout(&l, 1, 0);
		else
			check_layout(&l, p.padding, p.padding);
		cloudlayout_free(&prev);
		prev = l;
	}
	cloudlayout_free(&prev);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_width),
		cmocka_unit_test(test_px_100),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_stable),
		cmocka_unit_test(test_resized_canvas),
		cmocka_unit_test(test_grid),
		cmocka_unit_test(test_crowded),
		cmocka_unit_test(test_params),
		cmocka_unit_test(test_large),
		cmocka_unit_test(test_random),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
