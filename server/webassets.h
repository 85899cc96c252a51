/*
 * webassets.h - the files of web-client/, compiled into atelierd by
 * cmake/embed.cmake, with a gzip copy of the text files and an ETag each.
 * The table ends with a NULL path.
 */
#ifndef ATELIER_WEBASSETS_H
#define ATELIER_WEBASSETS_H

#include <stddef.h>

struct webasset {
	const char *path;	/* "/app.js" */
	const char *mime;
	const unsigned char *data;
	size_t len;
	const unsigned char *gz;	/* gzip copy, or NULL */
	size_t gzlen;
	const char *etag;	/* "\"16 hex digits\"", quotes included */
};

extern const struct webasset webassets[];

#endif
