/*
 * text.c - UTF-8 validation and cleaning of user text (see text.h).
 */
#include "text.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

size_t
text_utf8_seq(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	size_t len, i;
	unsigned long cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4, cp = c & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

long
text_utf8_count(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k;
	long count = 0;

	while (i < len) {
		if ((k = text_utf8_seq(p + i, len - i)) == 0)
			return -1;
		i += k;
		count++;
	}
	return count;
}

static int
is_space(const unsigned char *p, size_t n, size_t *k)
{
	if (p[0] == ' ' || p[0] == '\t' || p[0] == '\n' || p[0] == '\r' ||
	    p[0] == '\f' || p[0] == '\v') {
		*k = 1;
		return 1;
	}
	if (n >= 2 && p[0] == 0xc2 && p[1] == 0xa0) {	/* no-break space */
		*k = 2;
		return 1;
	}
	return 0;
}

int
text_clean(const char *s, size_t len, size_t maxcp, char **out)
{
	const unsigned char *p = (const unsigned char *)s;
	char *buf;
	size_t i, o = 0, k, start, end, count = 0;

	if (text_utf8_count(s, len) < 0)
		return -1;
	start = 0;
	while (start < len && is_space(p + start, len - start, &k))
		start += k;
	end = start;
	for (i = start; i < len; i += k) {	/* end: after last non-space */
		k = text_utf8_seq(p + i, len - i);
		if (!is_space(p + i, len - i, &k))
			end = i + k;
	}
	buf = xmalloc(end - start + 1);
	for (i = start; i < end; i += k) {
		k = text_utf8_seq(p + i, end - i);
		if (k == 1 && p[i] == '\r' && i + 1 < end && p[i + 1] == '\n')
			continue;
		if (k == 1 && (p[i] < 0x20 || p[i] == 0x7f) && p[i] != '\n' &&
		    p[i] != '\t')
			buf[o++] = ' ';
		else {
			memcpy(buf + o, p + i, k);
			o += k;
		}
		count++;
	}
	buf[o] = '\0';
	if (count > maxcp) {
		free(buf);
		return -2;
	}
	*out = buf;
	return 0;
}
