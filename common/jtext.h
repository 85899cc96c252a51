/*
 * jtext.h - the compact JSON text of a jansson value, written in one pass.
 *
 * jtext_compact(v) gives the same bytes as
 * json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY): keys in insertion order,
 * no spaces, '/' and non-ASCII characters as they are, other characters
 * below U+0020 as jansson escapes them, reals as jansson prints them.
 * tests/unit/test-jtext.c holds it to that, value by value.  Reals are
 * printed in the C locale's notation: call it only in a program that leaves
 * LC_NUMERIC alone (atelierd does; the console sets its locale).
 *
 * Why not json_dumps: it checks every container for cycles by printing its
 * address into a hash table, and writes through a callback in small
 * pieces.  The server encodes every event two or three times (stored body,
 * participants' view, the writer's reply), and that showed in the fan-out's
 * profile (docs/BENCHMARKS.md).  Values built by the core have no cycles,
 * so none are looked for; a value nested deeper than JTEXT_MAX_DEPTH is
 * handed to json_dumps, which recurses as deep as it must.
 */
#ifndef ATELIER_JTEXT_H
#define ATELIER_JTEXT_H

#include <jansson.h>

#define JTEXT_MAX_DEPTH 1024	/* deeper: json_dumps writes it */

/*
 * The text of v, NUL-terminated, for the caller to free().  NULL where
 * json_dumps gives NULL: a string that is not valid UTF-8, or no v.  Out of
 * memory is fatal (util.h).
 */
char *jtext_compact(const json_t *v);

#endif
