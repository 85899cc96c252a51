/* test-qr.c - unit tests of common/qr.c (decoding is checked with zbarimg in
 * tests/protocol/viewer-qr.test.mjs). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "common/qr.h"

static uint32_t
get32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static void
test_matrix(void **state)
{
	struct qr q;

	(void)state;
	assert_int_equal(qr_encode("http://192.168.1.20:8080/j/K7MXPA", &q), 0);
	assert_true(q.size >= 21 && (q.size - 17) % 4 == 0);
	/* finder patterns: dark corners, light separator */
	assert_int_equal(qr_module(&q, 0, 0), 1);
	assert_int_equal(qr_module(&q, q.size - 1, 0), 1);
	assert_int_equal(qr_module(&q, 0, q.size - 1), 1);
	assert_int_equal(qr_module(&q, 7, 7), 0);
	assert_int_equal(qr_module(&q, -1, 3), 0);
	assert_int_equal(qr_module(&q, q.size, 3), 0);
	qr_free(&q);
}

static void
test_png_structure(void **state)
{
	struct qr q;
	unsigned char *png;
	size_t len, off;
	int px;

	(void)state;
	assert_int_equal(qr_encode("hello", &q), 0);
	png = qr_png(&q, 3, 4, &len);
	px = (q.size + 8) * 3;
	assert_memory_equal(png, "\x89PNG\r\n\x1a\n", 8);
	assert_memory_equal(png + 12, "IHDR", 4);
	assert_int_equal(get32(png + 16), px);
	assert_int_equal(get32(png + 20), px);
	assert_int_equal(png[24], 1);	/* 1-bit */
	off = 8 + 25;
	assert_memory_equal(png + off + 4, "IDAT", 4);
	off += 12 + get32(png + off);
	assert_memory_equal(png + off + 4, "IEND", 4);
	assert_int_equal(off + 12, len);
	free(png);
	qr_free(&q);
}

static void
test_svg_counts_modules(void **state)
{
	struct qr q;
	char *svg, *p;
	int x, y, dark = 0, drawn = 0, w;

	(void)state;
	assert_int_equal(qr_encode("atelier", &q), 0);
	for (y = 0; y < q.size; y++)
		for (x = 0; x < q.size; x++)
			dark += qr_module(&q, x, y);
	svg = qr_svg(&q, 4);
	assert_non_null(strstr(svg, "<svg"));
	for (p = svg; (p = strstr(p, "h")) != NULL; p++)
		if (p[1] != '-' && sscanf(p, "h%dv1", &w) == 1)
			drawn += w;
	assert_int_equal(drawn, dark);
	free(svg);
	qr_free(&q);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_matrix),
		cmocka_unit_test(test_png_structure),
		cmocka_unit_test(test_svg_counts_modules),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
