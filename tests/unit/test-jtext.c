/*
 * test-jtext.c - unit tests of common/jtext.c: its text must be jansson's
 * json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY), byte for byte, for every
 * kind of value, and NULL where jansson gives NULL.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "common/jtext.h"

/* Both encoders on v; equal texts, or NULL from both. Consumes v. */
static void
same(json_t *v)
{
	char *want = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
	char *got = jtext_compact(v);

	if (want == NULL)
		assert_null(got);
	else {
		assert_non_null(got);
		assert_string_equal(got, want);
	}
	free(want);
	free(got);
	json_decref(v);
}

static void
test_scalars(void **state)
{
	json_t *v;
	char *s;

	(void)state;
	same(json_true());
	same(json_false());
	same(json_null());
	same(json_integer(0));
	same(json_integer(-1));
	same(json_integer(INT64_MAX));
	same(json_integer(INT64_MIN));
	same(json_object());
	same(json_array());
	same(json_pack("{s:[i,{},[]], s:{s:n}}", "a", 1, "b", "c"));
	/* the literal texts, not only agreement */
	v = json_pack("{s:i,s:[b,n],s:s,s:f,s:f}", "id", -42, "l", 1,
	    "t", "a\"b", "x", 12.0, "y", 0.25);
	s = jtext_compact(v);
	assert_string_equal(s, "{\"id\":-42,\"l\":[true,null],\"t\":\"a\\\"b\","
	    "\"x\":12.0,\"y\":0.25}");
	free(s);
	json_decref(v);
	assert_null(jtext_compact(NULL));
}

static void
test_strings(void **state)
{
	char buf[8];
	json_t *bad;
	int c;

	(void)state;
	for (c = 0; c < 0x80; c++) {	/* every ASCII character */
		buf[0] = 'x';
		buf[1] = (char)c;
		buf[2] = 'y';
		same(json_stringn(buf, 3));
	}
	same(json_string("/ slash, \x7f, caf\xc3\xa9, \xe2\x80\xa8, "
	    "\xf0\x9f\x8c\xb3, \\ and \""));
	same(json_stringn("nul\0inside", 10));
	same(json_string(""));
	/* keys are strings too, NUL included */
	{
		json_t *o = json_object();

		json_object_setn_new(o, "k\0ey", 4, json_integer(1));
		json_object_set_new(o, "tab\there", json_string("\n"));
		same(o);
	}
	/* not UTF-8: jansson refuses to dump it, and so must jtext */
	same(json_stringn_nocheck("\xc3(", 2));
	same(json_stringn_nocheck("\xc0\xaf", 2));		/* overlong */
	same(json_stringn_nocheck("\xed\xa0\x80", 3));		/* surrogate */
	same(json_stringn_nocheck("\xf4\x90\x80\x80", 4));	/* > U+10FFFF */
	same(json_stringn_nocheck("\xe2\x82", 2));		/* cut short */
	same(json_pack("[i,o]", 1, json_stringn_nocheck("\xff", 1)));
	bad = json_pack("{s:o}", "k", json_stringn_nocheck("\xff", 1));
	assert_null(jtext_compact(bad));
	json_decref(bad);
}

static void
test_reals(void **state)
{
	static const double fixed[] = { 0.0, -0.0, 1.0, -1.0, 0.1, 0.5, 1.5,
		100.0, 1e5, 1e15, 1e16, 1e17, 1e21, 1e22, 1e100, 1e300,
		1e-5, 1e-7, 1e-300, 5e-324, 1.0 / 3, 2.0 / 3,
		123456789012345678.0, 1.7976931348623157e308, 640.25, -3.75 };
	uint64_t x = 88172645463325252ULL;
	size_t i;
	double d;

	(void)state;
	for (i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
		same(json_real(fixed[i]));
	for (i = 0; i < 20000; i++) {	/* any bit pattern but NaN and inf */
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		memcpy(&d, &x, sizeof d);
		if (isfinite(d))
			same(json_real(d));
		same(json_real((double)(x % 200000) / 100.0 - 1000.0));
	}
}

/* A random value, up to depth levels of containers. */
static uint64_t rng = 2463534242ULL;

static unsigned
next(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

static json_t *
random_string(void)
{
	static const char *pieces[] = { "a", "Z", " ", "\"", "\\", "/", "\n",
		"\t", "\x01", "\x1f", "\x7f", "\xc3\xa9", "\xe2\x80\xa8",
		"\xf0\x9f\x8c\xb3", "\0", "{", "}", ",", ":" };
	char buf[64];
	size_t len = 0, k;
	unsigned n = next(12), i;

	for (i = 0; i < n; i++) {
		const char *p = pieces[next(sizeof pieces / sizeof pieces[0])];

		k = p[0] == '\0' ? 1 : strlen(p);
		memcpy(buf + len, p, k);
		len += k;
	}
	return json_stringn(buf, len);
}

static json_t *
random_value(int depth)
{
	json_t *v;
	unsigned n, i;

	switch (next(depth > 0 ? 9 : 7)) {
	case 0: return json_true();
	case 1: return json_null();
	case 2: return json_integer((json_int_t)rng - (json_int_t)next(1000));
	case 3: return json_real((double)next(100000) / 64.0);
	case 4:
	case 5: return random_string();
	case 6: return json_false();
	case 7:
		v = json_array();
		for (n = next(5), i = 0; i < n; i++)
			json_array_append_new(v, random_value(depth - 1));
		return v;
	default:
		v = json_object();
		for (n = next(6), i = 0; i < n; i++) {
			json_t *k = random_string();

			json_object_setn_new(v, json_string_value(k),
			    json_string_length(k), random_value(depth - 1));
			json_decref(k);
		}
		return v;
	}
}

static void
test_random_trees(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < 20000; i++)
		same(random_value(5));
}

/* Deeper than JTEXT_MAX_DEPTH: json_dumps writes it, the same bytes. */
static void
test_depth(void **state)
{
	json_t *v = json_array(), *top = v;
	char *s, *want;
	int i;

	(void)state;
	for (i = 1; i < JTEXT_MAX_DEPTH; i++) {
		json_t *inner = json_array();

		json_array_append_new(v, inner);
		v = inner;
	}
	s = jtext_compact(top);		/* JTEXT_MAX_DEPTH levels: written here */
	assert_non_null(s);
	assert_int_equal(strlen(s), 2 * JTEXT_MAX_DEPTH);
	free(s);
	for (i = 0; i < 3000; i++) {	/* deeper than jansson parses */
		json_t *inner = json_object();

		json_array_append_new(v, inner);
		v = json_array();
		json_object_set_new(inner, "k\n", v);
	}
	json_array_append_new(v, json_string("bottom \xc3\xa9"));
	s = jtext_compact(top);
	want = json_dumps(top, JSON_COMPACT);
	assert_non_null(s);
	assert_string_equal(s, want);
	free(s);
	free(want);
	/* invalid UTF-8 deep down: NULL from both */
	json_array_append_new(v, json_stringn_nocheck("\xff", 1));
	assert_null(jtext_compact(top));
	assert_null(json_dumps(top, JSON_COMPACT));
	json_decref(top);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scalars),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_reals),
		cmocka_unit_test(test_random_trees),
		cmocka_unit_test(test_depth),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
