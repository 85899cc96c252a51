/*
 * request.c - decoding of one request frame (see request.h).
 */
#include "request.h"
#include "text.h"

#include <stdio.h>

int
request_decode(const char *buf, size_t len, json_t **req, char *msg,
    size_t msglen)
{
	json_error_t jerr;

	*req = NULL;
	if (text_utf8_count(buf, len) < 0) {
		snprintf(msg, msglen, "the frame is not valid UTF-8");
		return REQUEST_NO_RID;
	}
	*req = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr);
	if (*req == NULL) {
		snprintf(msg, msglen, "malformed JSON: %s (at character %d)",
		    jerr.text, jerr.position);
		return REQUEST_NO_RID;
	}
	if (!json_is_object(*req)) {
		snprintf(msg, msglen, "a request must be a JSON object");
		goto no_rid;
	}
	if (!json_is_integer(json_object_get(*req, "rid"))) {
		snprintf(msg, msglen, "field 'rid' must be an integer");
		goto no_rid;
	}
	if (!json_is_string(json_object_get(*req, "op"))) {
		snprintf(msg, msglen, "field 'op' must be a string");
		return REQUEST_BAD_OP;
	}
	return REQUEST_OK;
no_rid:
	json_decref(*req);
	*req = NULL;
	return REQUEST_NO_RID;
}
