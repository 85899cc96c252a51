/*
 * export.h - an export document (core_export, docs/export.md) as HTML,
 * Markdown, CSV or JSON.  Each function returns a new string (caller frees).
 */
#ifndef ATELIER_EXPORT_H
#define ATELIER_EXPORT_H

#include <jansson.h>

char *export_html(json_t *doc);
char *export_markdown(json_t *doc);
char *export_csv(json_t *doc);
char *export_json(json_t *doc);

/* The renderer and MIME type of "html", "md", "csv" or "json"; 0 or -1. */
int export_format(const char *name, char *(**fn)(json_t *), const char **mime);

#endif
