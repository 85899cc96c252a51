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

/* Whether an If-None-Match header names etag (or is "*"). */
static int
etag_matches(const char *header, const char *etag)
{
	size_t n = strlen(etag);
	const char *p;

	if (header == NULL)
		return 0;
	if (strcmp(header, "*") == 0)
		return 1;
	for (p = strstr(header, etag); p != NULL; p = strstr(p + 1, etag))
		if (p[n] == '\0' || p[n] == ',' || p[n] == ' ')
			return 1;
	return 0;
}

/* Whether Accept-Encoding allows gzip (not "gzip;q=0"). */
static int
accepts_gzip(const char *header)
{
	const char *p = header ? strstr(header, "gzip") : NULL;

	if (p == NULL)
		return 0;
	p += 4;
	while (*p == ' ')
		p++;
	return strncmp(p, ";q=0", 4) != 0 || p[4] == '.';
}

static int
serve_asset(struct http_response *r, const struct http_request *req,
    const char *path)
{
	const struct webasset *a = asset_find(path);

	if (a == NULL)
		return 0;
	r->type = a->mime;
	r->cache = "no-cache";	/* ask each time; unchanged costs a 304 */
	r->etag = a->etag;
	if (etag_matches(req->if_none_match, a->etag)) {
		r->status = HTTP_STATUS_NOT_MODIFIED;
		r->body = NULL;
		r->len = 0;
		return 1;
	}
	r->status = HTTP_STATUS_OK;
	if (a->gz != NULL && accepts_gzip(req->accept_encoding)) {
		r->body = a->gz;
		r->len = a->gzlen;
		r->encoding = "gzip";
	} else {
		r->body = a->data;
		r->len = a->len;
	}
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

/* Compare without leaking the length of the common prefix. */
static int
token_equal(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i;
	unsigned char diff = la != lb;

	for (i = 0; i < la; i++)
		diff |= (unsigned char)(a[i] ^ b[i % (lb ? lb : 1)]);
	return diff == 0;
}

/*
 * /api/sessions/CODE/export.FMT and /api/portfolios/ID/export.FMT, for
 * the facilitator (Authorization: Bearer TOKEN).  1 if handled.
 */
static int
serve_export(struct http_response *r, struct core *core,
    const struct server_config *cfg, const char *uri, const char *auth)
{
	char what[32], id[32], format[8], norm[CORE_CODE_LEN + 1];
	const char *codes[1], **list = NULL, *mime;
	int64_t portfolio = 0;
	size_t n;
	int tail = 0;

	if (sscanf(uri, "/api/%31[a-z]/%31[^/]/export.%7[a-z]%n", what, id,
	    format, &tail) != 3 || uri[tail] != '\0')
		return 0;
	if (auth == NULL || strncmp(auth, "Bearer ", 7) != 0 ||
	    !token_equal(auth + 7, cfg->token)) {
		set_static(r, HTTP_STATUS_UNAUTHORIZED,
		    "text/plain; charset=utf-8", "unauthorized: send "
		    "Authorization: Bearer TOKEN (the facilitator token)\n");
		return 1;
	}
	if (strcmp(what, "sessions") == 0) {
		if (core_check_code(core, id, norm) < 0 ||
		    !core_session_exists(core, norm))
			return 0;
		codes[0] = norm;
		list = codes;
		n = 1;
	} else if (strcmp(what, "portfolios") == 0) {
		portfolio = atoll(id);
		if (portfolio <= 0 || (n = core_portfolio_sessions(core,
		    portfolio, &list)) == (size_t)-1)
			return 0;
	} else
		return 0;
	r->owned = (unsigned char *)admin_render(core, list, n, portfolio,
	    format, &mime);
	if (list != codes)
		free(list);
	if (r->owned == NULL)
		return 0;
	r->status = HTTP_STATUS_OK;
	r->type = mime;
	r->body = r->owned;
	r->len = strlen((char *)r->owned);
	snprintf(r->disposition, sizeof r->disposition,
	    "attachment; filename=\"atelier-%s.%s\"",
	    portfolio ? id : norm, format);
	return 1;
}

void
http_route(struct core *core, const struct server_config *cfg,
    const struct http_request *req, struct http_response *r)
{
	const char *uri = req->uri, *auth = req->authorization;

	memset(r, 0, sizeof *r);
	r->cache = "no-store";
	if (strncmp(uri, "/api/", 5) == 0) {
		if (serve_export(r, core, cfg, uri, auth))
			return;
		set_static(r, HTTP_STATUS_NOT_FOUND,
		    "text/plain; charset=utf-8", "not found\n");
		return;
	}
	if (strcmp(uri, "/metrics") == 0) {
		r->owned = (unsigned char *)dispatch_metrics();
		r->body = r->owned;
		r->len = strlen((char *)r->owned);
		r->status = HTTP_STATUS_OK;
		r->type = "text/plain; version=0.0.4; charset=utf-8";
		return;
	}
	if (strcmp(uri, "/healthz") == 0) {
		set_static(r, HTTP_STATUS_OK, "text/plain; charset=utf-8",
		    "ok\n");
		return;
	}
	if (strcmp(uri, "/") == 0 || strncmp(uri, "/j/", 3) == 0) {
		if (serve_asset(r, req, "/index.html"))
			return;
		if (strcmp(uri, "/") == 0) {
			set_static(r, HTTP_STATUS_OK,
			    "text/html; charset=utf-8", placeholder_html);
			return;
		}
	}
	if (strncmp(uri, "/s/", 3) == 0 && serve_asset(r, req, "/screen.html"))
		return;
	if (strncmp(uri, "/qr/", 4) == 0 && serve_qr(r, core, cfg, uri + 4))
		return;
	if (strstr(uri, "..") == NULL && serve_asset(r, req, uri))
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
