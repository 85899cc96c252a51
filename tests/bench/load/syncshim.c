/*
 * syncshim.c - LD_PRELOAD shim for the persistence benchmark only: atelierd
 * opens its database with "PRAGMA synchronous=FULL" (server/store-sqlite.c)
 * and has no option to change it; this shim rewrites that pragma in
 * sqlite3_exec() to the value of $ATELIER_BENCH_SYNC (NORMAL or OFF), so
 * that the same binary can be measured with both settings.  Nothing else
 * is changed.  Built by run.sh:  cc -shared -fPIC -o syncshim.so syncshim.c -ldl
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef int (*exec_fn)(void *, const char *, int (*)(void *, int, char **,
    char **), void *, char **);

int
sqlite3_exec(void *db, const char *sql, int (*cb)(void *, int, char **,
    char **), void *arg, char **err)
{
	static exec_fn real;
	const char *want = getenv("ATELIER_BENCH_SYNC");
	const char *p;
	char *copy = NULL;
	int rc;

	if (real == NULL)
		real = (exec_fn)dlsym(RTLD_NEXT, "sqlite3_exec");
	if (want != NULL && sql != NULL &&
	    (p = strstr(sql, "PRAGMA synchronous=FULL;")) != NULL) {
		size_t n = strlen(sql) + 16;

		copy = malloc(n);
		snprintf(copy, n, "%.*sPRAGMA synchronous=%s;%s",
		    (int)(p - sql), sql, want,
		    p + strlen("PRAGMA synchronous=FULL;"));
		fprintf(stderr, "syncshim: synchronous=%s\n", want);
		sql = copy;
	}
	rc = real(db, sql, cb, arg, err);
	free(copy);
	return rc;
}
