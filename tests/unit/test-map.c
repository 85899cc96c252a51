/* test-map.c - unit tests of common/map.c */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>

#include "common/map.h"

static void
test_int_map(void **state)
{
	struct map m;
	int64_t i;

	(void)state;
	map_init_int(&m);
	assert_null(map_get_int(&m, 1));
	for (i = 1; i <= 10000; i++)
		map_put_int(&m, i * 7, (void *)(intptr_t)i);
	assert_int_equal(m.len, 10000);
	for (i = 1; i <= 10000; i++)
		assert_int_equal((intptr_t)map_get_int(&m, i * 7), i);
	assert_null(map_get_int(&m, 8));
	for (i = 1; i <= 10000; i += 2)
		assert_int_equal((intptr_t)map_del_int(&m, i * 7), i);
	assert_int_equal(m.len, 5000);
	assert_null(map_get_int(&m, 7));
	assert_int_equal((intptr_t)map_get_int(&m, 14), 2);
	map_put_int(&m, 14, (void *)(intptr_t)99);	/* replace */
	assert_int_equal((intptr_t)map_get_int(&m, 14), 99);
	assert_int_equal(m.len, 5000);
	map_free(&m);
}

static void
test_str_map(void **state)
{
	struct map m;
	char key[32];
	int i;

	(void)state;
	map_init_str(&m);
	for (i = 0; i < 2000; i++) {
		snprintf(key, sizeof key, "k%d", i);
		map_put_str(&m, key, (void *)(intptr_t)(i + 1));
	}
	for (i = 0; i < 2000; i++) {
		snprintf(key, sizeof key, "k%d", i);
		assert_int_equal((intptr_t)map_get_str(&m, key), i + 1);
	}
	assert_null(map_get_str(&m, "k2000"));
	assert_int_equal((intptr_t)map_del_str(&m, "k5"), 6);
	assert_null(map_get_str(&m, "k5"));
	/* churn through tombstones without growing forever */
	for (i = 0; i < 100000; i++) {
		map_put_str(&m, "churn", (void *)1);
		map_del_str(&m, "churn");
	}
	assert_true(m.cap <= 8192);
	map_free(&m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_int_map),
		cmocka_unit_test(test_str_map),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
