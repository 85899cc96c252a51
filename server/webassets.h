/*
 * webassets.h - the files of web-client/, compiled into atelierd by
 * cmake/embed.cmake.  The table ends with a NULL path.
 */
#ifndef ATELIER_WEBASSETS_H
#define ATELIER_WEBASSETS_H

#include <stddef.h>

struct webasset {
	const char *path;	/* "/app.js" */
	const char *mime;
	const unsigned char *data;
	size_t len;
};

extern const struct webasset webassets[];

#endif
