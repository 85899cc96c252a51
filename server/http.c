/*
 * http.c - what atelierd answers to plain HTTP GETs: the health check, the
 * embedded web client, join QR codes.  Builds a response; transport.c
 * sends it.
 */
#include "server.h"
#include "webassets.h"
#include "../common/qr.h"
#include "../common/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char placeholder_html[] =
	"<!doctype html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\">"
	"<meta name=\"viewport\" content=\"width=device-width\">"
	"<title>Atelier</title></head><body><h1>Atelier</h1>"
	"<p>Le serveur fonctionne. The server is running.</p></body></html>\n";

static const struct webasset *
asset_find(const char *path)
{
	const struct webasset *a;

	for (a = webassets; a->path != NULL; a++)
		if (strcmp(a->path, path) == 0)
			return a;
	return NULL;
}

static void
set_static(struct http_response *r, int status, const char *type,
    const char *body)
{
	r->status = status;
	r->type = type;
	r->body = (const unsigned char *)body;
	r->len = strlen(body);
}

static int
serve_asset(struct http_response *r, const char *path)
{
	const struct webasset *a = asset_find(path);

	if (a == NULL)
		return 0;
	r->status = HTTP_STATUS_OK;
	r->type = a->mime;
	r->body = a->data;
	r->len = a->len;
	r->cache = "no-cache";
	return 1;
}

/* "/qr/CODE.svg" or ".png" for an existing session. */
static int
serve_qr(struct http_response *r, struct core *core,
    const struct server_config *cfg, const char *rest)
{
	char code[16], norm[CORE_CODE_LEN + 1], url[1024];
	const char *dot = strrchr(rest, '.');
	struct qr q;

	if (dot == NULL || (size_t)(dot - rest) >= sizeof code)
		return 0;
	memcpy(code, rest, (size_t)(dot - rest));
	code[dot - rest] = '\0';
	if (core_check_code(core, code, norm) < 0 ||
	    !core_session_exists(core, norm))
		return 0;
	snprintf(url, sizeof url, "%s/j/%s", cfg->public_url, norm);
	if (qr_encode(url, &q) < 0)
		return 0;
	if (strcmp(dot, ".svg") == 0) {
		r->owned = (unsigned char *)qr_svg(&q, 4);
		r->len = strlen((char *)r->owned);
		r->type = "image/svg+xml";
	} else if (strcmp(dot, ".png") == 0) {
		r->owned = qr_png(&q, 12, 4, &r->len);
		r->type = "image/png";
	} else {
		qr_free(&q);
		return 0;
	}
	qr_free(&q);
	r->body = r->owned;
	r->status = HTTP_STATUS_OK;
	r->cache = "no-cache";
	return 1;
}

void
http_route(struct core *core, const struct server_config *cfg,
    const char *uri, struct http_response *r)
{
	memset(r, 0, sizeof *r);
	r->cache = "no-store";
	if (strcmp(uri, "/healthz") == 0) {
		set_static(r, HTTP_STATUS_OK, "text/plain; charset=utf-8",
		    "ok\n");
		return;
	}
	if (strcmp(uri, "/") == 0 || strncmp(uri, "/j/", 3) == 0) {
		if (serve_asset(r, "/index.html"))
			return;
		if (strcmp(uri, "/") == 0) {
			set_static(r, HTTP_STATUS_OK,
			    "text/html; charset=utf-8", placeholder_html);
			return;
		}
	}
	if (strncmp(uri, "/s/", 3) == 0 && serve_asset(r, "/screen.html"))
		return;
	if (strncmp(uri, "/qr/", 4) == 0 && serve_qr(r, core, cfg, uri + 4))
		return;
	if (strstr(uri, "..") == NULL && serve_asset(r, uri))
		return;
	set_static(r, HTTP_STATUS_NOT_FOUND, "text/plain; charset=utf-8",
	    "not found\n");
}

void
http_response_free(struct http_response *r)
{
	free(r->owned);
	r->owned = NULL;
	r->body = NULL;
}
