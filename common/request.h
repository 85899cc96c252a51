/*
 * request.h - decoding of one protocol request frame (proto/PROTOCOL.md,
 * "Requests and replies"): UTF-8, a JSON object, an integer rid, a string
 * op.  Pure; the fuzz target tests/fuzz/fuzz-request.c drives it.
 */
#ifndef ATELIER_REQUEST_H
#define ATELIER_REQUEST_H

#include <jansson.h>
#include <stddef.h>

#define REQUEST_OK 0
#define REQUEST_NO_RID -1	/* answer with "re": null */
#define REQUEST_BAD_OP -2	/* *req is set: answer with its rid */

/*
 * Decode buf (len bytes).  REQUEST_OK: *req is the request (caller
 * decrefs).  REQUEST_NO_RID: not valid UTF-8, not JSON, not an object or
 * no integer rid; *req is NULL.  REQUEST_BAD_OP: op is not a string; *req
 * is set.  On error, msg holds an English sentence.
 */
int request_decode(const char *buf, size_t len, json_t **req, char *msg,
    size_t msglen);

#endif
