/*
 * text.h - checks on text that people type: UTF-8 validity, length in code
 * points, surrounding white space.
 */
#ifndef ATELIER_TEXT_H
#define ATELIER_TEXT_H

#include <stddef.h>

/*
 * Length of the valid UTF-8 sequence at s (at most n bytes): 1 to 4, or 0
 * if it is not valid (overlong, surrogate, above U+10FFFF, cut short).
 */
size_t text_utf8_seq(const unsigned char *s, size_t n);

/* Number of code points in s (len bytes), or -1 if s is not valid UTF-8. */
long text_utf8_count(const char *s, size_t len);

/*
 * Copy s without leading and trailing white space, with control characters
 * other than newline and tab turned into spaces, and CR LF into LF.
 * Returns 0 and a new string in *out (caller frees), or -1 if s is not valid
 * UTF-8, or -2 if the result has more than maxcp code points.  The result
 * may be empty.
 */
int text_clean(const char *s, size_t len, size_t maxcp, char **out);

#endif
