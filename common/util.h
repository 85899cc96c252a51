/*
 * util.h - allocation that never returns NULL, and small helpers shared by
 * every part of Atelier.  Out of memory is fatal: callers never check.
 */
#ifndef ATELIER_UTIL_H
#define ATELIER_UTIL_H

#include <stddef.h>
#include <stdint.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* Grow *arr (of *cap elements of size elem) so that it holds at least need. */
void xgrow(void **arr, size_t *cap, size_t need, size_t elem);

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#endif
