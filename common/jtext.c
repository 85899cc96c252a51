/*
 * jtext.c - the compact JSON text of a jansson value (see jtext.h).
 *
 * One growing buffer, one recursive walk.  Strings are copied in runs
 * between the bytes that need an escape; non-ASCII bytes are checked as
 * UTF-8 with the same rules as jansson's (text_utf8_seq), so that a value
 * jansson would refuse to dump is refused here too.
 */
#include "jtext.h"
#include "text.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct jbuf {
	char *p;
	size_t len, cap;	/* cap > len: room for the final NUL */
};

static void __attribute__((noinline))
jbuf_grow(struct jbuf *b, size_t n)
{
	while (b->len + n >= b->cap)
		b->cap *= 2;
	b->p = xrealloc(b->p, b->cap);
}

static inline void
jbuf_reserve(struct jbuf *b, size_t n)
{
	if (b->len + n >= b->cap)
		jbuf_grow(b, n);
}

static inline void
jbuf_put(struct jbuf *b, const char *s, size_t n)
{
	jbuf_reserve(b, n);
	memcpy(b->p + b->len, s, n);
	b->len += n;
}

static inline void
jbuf_putc(struct jbuf *b, char c)
{
	jbuf_reserve(b, 1);
	b->p[b->len++] = c;
}

/* The bytes copied as they are: printable ASCII but '"' and '\\'. */
#define R4(x) x, x, x, x
#define R16(x) R4(x), R4(x), R4(x), R4(x)
static const unsigned char plain[256] = {
	R16(0), R16(0),				/* 0x00-0x1f */
	1, 1, 0, R4(1), R4(1), R4(1), 1,	/* 0x20-0x2f: '"' */
	R16(1),					/* 0x30-0x3f */
	R16(1),					/* 0x40-0x4f */
	R4(1), R4(1), R4(1), 0, 1, 1, 1,	/* 0x50-0x5f: '\\' */
	R16(1), R16(1),				/* 0x60-0x7f */
	/* 0x80-0xff: 0, checked as UTF-8 */
};
#undef R16
#undef R4

/* 0 or -1 (not valid UTF-8). */
static int
put_string(struct jbuf *b, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	static const char hex[] = "0123456789ABCDEF";
	size_t i = 0, run = 0, k;
	char esc[6];

	jbuf_reserve(b, n + 2);
	jbuf_putc(b, '"');
	while (i < n) {
		unsigned char u;

		while (i < n && plain[s[i]])
			i++;
		if (i == n)
			break;
		u = s[i];
		if (u >= 0x80) {
			if ((k = text_utf8_seq(s + i, n - i)) == 0)
				return -1;
			i += k;
			continue;
		}
		jbuf_put(b, str + run, i - run);
		esc[0] = '\\';
		switch (u) {
		case '"':  esc[1] = '"';  k = 2; break;
		case '\\': esc[1] = '\\'; k = 2; break;
		case '\b': esc[1] = 'b';  k = 2; break;
		case '\f': esc[1] = 'f';  k = 2; break;
		case '\n': esc[1] = 'n';  k = 2; break;
		case '\r': esc[1] = 'r';  k = 2; break;
		case '\t': esc[1] = 't';  k = 2; break;
		default:
			esc[1] = 'u';
			esc[2] = '0';
			esc[3] = '0';
			esc[4] = hex[u >> 4];
			esc[5] = hex[u & 15];
			k = 6;
		}
		jbuf_put(b, esc, k);
		run = ++i;
	}
	jbuf_put(b, str + run, n - run);
	jbuf_putc(b, '"');
	return 0;
}

static void
put_integer(struct jbuf *b, json_int_t v)
{
	char tmp[24], *p = tmp + sizeof tmp;
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v :
	    (unsigned long long)v;

	do
		*--p = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (v < 0)
		*--p = '-';
	jbuf_put(b, p, (size_t)(tmp + sizeof tmp - p));
}

/*
 * As jansson prints a real: "%.17g", ".0" added when it would read as an
 * integer, no '+' nor leading zeros in the exponent.  jansson also undoes a
 * locale's decimal comma; this does not, as nothing that calls it sets
 * LC_NUMERIC (see jtext.h).
 */
static void
put_real(struct jbuf *b, double v)
{
	char tmp[48], *e, *from, *to;
	int n;

	/* a whole number below 1e15 (a position, a size): what "%.17g" and
	 * ".0" give, without printf */
	if (v > -1e15 && v < 1e15 && v == (double)(long long)v &&
	    (v != 0 || !signbit(v))) {
		put_integer(b, (json_int_t)v);
		jbuf_put(b, ".0", 2);
		return;
	}
	n = snprintf(tmp, sizeof tmp - 3, "%.17g", v);

	if (n < 0 || (size_t)n >= sizeof tmp - 3)
		n = snprintf(tmp, sizeof tmp, "0.0");	/* cannot happen */
	if (strchr(tmp, '.') == NULL && strchr(tmp, 'e') == NULL) {
		memcpy(tmp + n, ".0", 3);
		n += 2;
	}
	if ((e = strchr(tmp, 'e')) != NULL) {
		to = e + 1;
		if (*to == '-')
			to++;
		from = e + 1;
		if (*from == '+' || *from == '-')
			from++;
		while (*from == '0' && from[1] != '\0')
			from++;
		if (from != to) {
			memmove(to, from, strlen(from) + 1);
			n = (int)strlen(tmp);
		}
	}
	jbuf_put(b, tmp, (size_t)n);
}

/* 0, -1 (not valid UTF-8) or -2 (deeper than JTEXT_MAX_DEPTH). */
static int
put_value(struct jbuf *b, const json_t *v, int depth)
{
	const char *key;
	json_t *item;
	void *it;
	size_t i, n;
	int rc;

	switch (json_typeof(v)) {
	case JSON_OBJECT:
		if (depth >= JTEXT_MAX_DEPTH)
			return -2;
		jbuf_putc(b, '{');
		for (it = json_object_iter((json_t *)v), i = 0; it != NULL;
		    it = json_object_iter_next((json_t *)v, it), i++) {
			key = json_object_iter_key(it);
			if (i > 0)
				jbuf_putc(b, ',');
			if (put_string(b, key, json_object_iter_key_len(it)) < 0)
				return -1;
			jbuf_putc(b, ':');
			if ((rc = put_value(b, json_object_iter_value(it),
			    depth + 1)) < 0)
				return rc;
		}
		jbuf_putc(b, '}');
		return 0;
	case JSON_ARRAY:
		if (depth >= JTEXT_MAX_DEPTH)
			return -2;
		jbuf_putc(b, '[');
		n = json_array_size(v);
		for (i = 0; i < n; i++) {
			item = json_array_get(v, i);
			if (i > 0)
				jbuf_putc(b, ',');
			if ((rc = put_value(b, item, depth + 1)) < 0)
				return rc;
		}
		jbuf_putc(b, ']');
		return 0;
	case JSON_STRING:
		return put_string(b, json_string_value(v), json_string_length(v));
	case JSON_INTEGER:
		put_integer(b, json_integer_value(v));
		return 0;
	case JSON_REAL:
		put_real(b, json_real_value(v));
		return 0;
	case JSON_TRUE:
		jbuf_put(b, "true", 4);
		return 0;
	case JSON_FALSE:
		jbuf_put(b, "false", 5);
		return 0;
	case JSON_NULL:
		jbuf_put(b, "null", 4);
		return 0;
	}
	return -1;
}

char *
jtext_compact(const json_t *v)
{
	struct jbuf b = { xmalloc(256), 0, 256 };
	int rc;

	if (v == NULL)
		rc = -1;
	else if ((rc = put_value(&b, v, 0)) == -2) {
		/* rare and not ours to refuse (an imported file, say) */
		free(b.p);
		return json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
	}
	if (rc < 0) {
		free(b.p);
		return NULL;
	}
	b.p[b.len] = '\0';
	return b.p;
}
