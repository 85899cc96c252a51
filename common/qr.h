/*
 * qr.h - QR codes for join links (libqrencode), drawn as SVG or PNG for the
 * browser and the projector, or read module by module by the console.
 */
#ifndef ATELIER_QR_H
#define ATELIER_QR_H

#include <stddef.h>

struct qr {
	int size;		/* modules per side, without quiet zone */
	unsigned char *dark;	/* size * size, 1 = dark module */
};

/* Encode text (error correction M).  0, or -1 if it cannot be encoded. */
int qr_encode(const char *text, struct qr *out);
void qr_free(struct qr *q);

/* 1 if the module at (x, y) is dark; outside the code (quiet zone): 0. */
int qr_module(const struct qr *q, int x, int y);

/* An SVG document (caller frees) with a quiet zone of border modules. */
char *qr_svg(const struct qr *q, int border);

/*
 * A PNG image (caller frees, *len bytes): black on white, scale pixels per
 * module, border modules of quiet zone, 1-bit grayscale, stored deflate.
 */
unsigned char *qr_png(const struct qr *q, int scale, int border, size_t *len);

#endif
