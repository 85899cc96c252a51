/*
 * qr.c - QR codes as SVG and PNG (see qr.h).  The PNG writer is the
 * smallest valid one: 1-bit grayscale, zlib "stored" blocks, no filter.
 */
#include "qr.h"
#include "util.h"

#include <qrencode.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
qr_encode(const char *text, struct qr *out)
{
	QRcode *code;
	int i;

	code = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (code == NULL)
		return -1;
	out->size = code->width;
	out->dark = xmalloc((size_t)code->width * (size_t)code->width);
	for (i = 0; i < code->width * code->width; i++)
		out->dark[i] = code->data[i] & 1;
	QRcode_free(code);
	return 0;
}

void
qr_free(struct qr *q)
{
	free(q->dark);
	q->dark = NULL;
	q->size = 0;
}

int
qr_module(const struct qr *q, int x, int y)
{
	if (x < 0 || y < 0 || x >= q->size || y >= q->size)
		return 0;
	return q->dark[y * q->size + x];
}

char *
qr_svg(const struct qr *q, int border)
{
	size_t cap = 256 + (size_t)q->size * (size_t)q->size * 24, len = 0;
	char *s = xmalloc(cap);
	int x, y, run, total = q->size + 2 * border;

	len += (size_t)snprintf(s + len, cap - len,
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
	    "shape-rendering=\"crispEdges\" role=\"img\">"
	    "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path fill=\"#000\" "
	    "d=\"", total, total, total, total);
	for (y = 0; y < q->size; y++)
		for (x = 0; x < q->size; x += run) {
			run = 1;
			if (!qr_module(q, x, y))
				continue;
			while (qr_module(q, x + run, y))
				run++;
			len += (size_t)snprintf(s + len, cap - len,
			    "M%d %dh%dv1h-%dz", x + border, y + border, run, run);
		}
	snprintf(s + len, cap - len, "\"/></svg>\n");
	return s;
}

static uint32_t
crc32_update(uint32_t crc, const unsigned char *p, size_t n)
{
	size_t i;
	int k;

	crc = ~crc;
	for (i = 0; i < n; i++) {
		crc ^= p[i];
		for (k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1)));
	}
	return ~crc;
}

static void
put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/* Append a chunk (type + data) to buf at *len. */
static void
chunk(unsigned char *buf, size_t *len, const char *type,
    const unsigned char *data, size_t n)
{
	unsigned char *p = buf + *len;

	put32(p, (uint32_t)n);
	memcpy(p + 4, type, 4);
	if (n)
		memcpy(p + 8, data, n);
	put32(p + 8 + n, crc32_update(0, p + 4, n + 4));
	*len += 12 + n;
}

unsigned char *
qr_png(const struct qr *q, int scale, int border, size_t *len)
{
	int px = (q->size + 2 * border) * scale, x, y;
	size_t rowlen = 1 + ((size_t)px + 7) / 8, rawlen = rowlen * (size_t)px;
	size_t nblocks = rawlen / 65535 + 1, zlen, o, i;
	unsigned char *raw = xcalloc(rawlen, 1), *z, *out, ihdr[13];
	uint32_t a = 1, b = 0;

	for (y = 0; y < px; y++) {
		unsigned char *row = raw + (size_t)y * rowlen;

		row[0] = 0;	/* filter: none */
		for (x = 0; x < px; x++)
			if (!qr_module(q, x / scale - border, y / scale - border))
				row[1 + x / 8] |= (unsigned char)(0x80 >> (x % 8));
	}
	zlen = 2 + rawlen + nblocks * 5 + 4;
	z = xmalloc(zlen);
	z[0] = 0x78;
	z[1] = 0x01;
	o = 2;
	for (i = 0; i < rawlen || i == 0; i += 65535) {
		size_t n = rawlen - i < 65535 ? rawlen - i : 65535;

		z[o++] = (i + n >= rawlen) ? 1 : 0;
		z[o++] = (unsigned char)(n & 0xff);
		z[o++] = (unsigned char)(n >> 8);
		z[o++] = (unsigned char)(~n & 0xff);
		z[o++] = (unsigned char)((~n >> 8) & 0xff);
		memcpy(z + o, raw + i, n);
		o += n;
		if (n == 0)
			break;
	}
	for (i = 0; i < rawlen; i++) {
		a = (a + raw[i]) % 65521;
		b = (b + a) % 65521;
	}
	put32(z + o, (b << 16) | a);
	o += 4;
	out = xmalloc(8 + 25 + 12 + o + 12);
	memcpy(out, "\x89PNG\r\n\x1a\n", 8);
	*len = 8;
	put32(ihdr, (uint32_t)px);
	put32(ihdr + 4, (uint32_t)px);
	ihdr[8] = 1;	/* bit depth */
	ihdr[9] = 0;	/* grayscale */
	ihdr[10] = ihdr[11] = ihdr[12] = 0;
	chunk(out, len, "IHDR", ihdr, 13);
	chunk(out, len, "IDAT", z, o);
	chunk(out, len, "IEND", NULL, 0);
	free(raw);
	free(z);
	return out;
}
