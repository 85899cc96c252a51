/* test-text.c - unit tests of common/text.c */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "common/text.h"

static void
test_count(void **state)
{
	(void)state;
	assert_int_equal(text_utf8_count("abc", 3), 3);
	assert_int_equal(text_utf8_count("d\xc3\xa9" "chet", 7), 6);
	assert_int_equal(text_utf8_count("\xf0\x9f\x8c\xb3", 4), 1); /* tree */
	assert_int_equal(text_utf8_count("\xc3", 1), -1);	/* truncated */
	assert_int_equal(text_utf8_count("\xc0\xaf", 2), -1);	/* overlong */
	assert_int_equal(text_utf8_count("\xed\xa0\x80", 3), -1); /* surrogate */
	assert_int_equal(text_utf8_count("\xff", 1), -1);
	assert_int_equal(text_utf8_count("\xf4\x90\x80\x80", 4), -1); /* >10FFFF */
}

static void
test_clean(void **state)
{
	char *out = NULL;
	char big[2000];
	int i;

	(void)state;
	assert_int_equal(text_clean("  hello \n", 9, 500, &out), 0);
	assert_string_equal(out, "hello");
	free(out);
	assert_int_equal(text_clean("a\r\nb\x01" "c", 6, 500, &out), 0);
	assert_string_equal(out, "a\nb c");
	free(out);
	assert_int_equal(text_clean("\xc2\xa0 x \xc2\xa0", 7, 500, &out), 0);
	assert_string_equal(out, "x");
	free(out);
	assert_int_equal(text_clean("   ", 3, 500, &out), 0);
	assert_string_equal(out, "");
	free(out);
	assert_int_equal(text_clean("\xc3(", 2, 500, &out), -1);
	/* 500 two-byte characters fit, 501 do not */
	for (i = 0; i < 501; i++)
		memcpy(big + 2 * i, "\xc3\xa9", 2);
	assert_int_equal(text_clean(big, 1000, 500, &out), 0);
	assert_int_equal(strlen(out), 1000);
	free(out);
	assert_int_equal(text_clean(big, 1002, 500, &out), -2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_count),
		cmocka_unit_test(test_clean),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
