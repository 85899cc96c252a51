/*
 * test-layout.c - unit tests of client-tui/layout.c, qrtext.c and
 * bigtext.c: geometry from 80x24 up, text measured in terminal columns,
 * wrapping, and QR codes drawn as text that decode back to the same
 * modules.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "bigtext.h"
#include "layout.h"
#include "qrtext.h"

static void
test_frame_and_wall(void **state)
{
	struct layout_frame f;
	struct layout_wall w;
	struct layout_cloud c;

	(void)state;
	layout_frame(80, 24, &f);
	assert_int_equal(f.content_y, 2);
	assert_int_equal(f.content_h, 20);
	assert_int_equal(f.hint_y, 22);
	assert_int_equal(f.status_y, 23);
	layout_wall(80, f.content_h, &w);
	assert_int_equal(w.cols, 3);
	assert_int_equal(w.rows, 3);
	assert_true(w.cols * w.card_w + (w.cols - 1) * LAYOUT_GAP <= 80);
	layout_wall(200, 50, &w);
	assert_int_equal(w.cols, 7);
	assert_true(w.card_w >= LAYOUT_CARD_MIN_W);
	layout_wall(10, 3, &w);		/* tiny: still one card */
	assert_int_equal(w.cols, 1);
	assert_int_equal(w.rows, 1);
	layout_cloud(80, &c);
	assert_true(c.cloud_w > 40);
	assert_int_equal(c.list_x + c.list_w, 80);
}

static void
test_scroll(void **state)
{
	(void)state;
	assert_int_equal(layout_scroll(0, 3, 0), 0);
	assert_int_equal(layout_scroll(2, 3, 0), 0);
	assert_int_equal(layout_scroll(3, 3, 0), 1);
	assert_int_equal(layout_scroll(9, 3, 0), 7);
	assert_int_equal(layout_scroll(4, 3, 7), 4);
	assert_int_equal(layout_scroll(5, 3, 4), 4);
}

static void
test_widths(void **state)
{
	size_t n;
	int w;

	(void)state;
	assert_int_equal(layout_width("abc"), 3);
	assert_int_equal(layout_width("déchets"), 7);
	assert_int_equal(layout_width("😀x"), 3);		/* wide emoji */
	assert_int_equal(layout_width("日本"), 4);
	/* never cut a character in two */
	n = layout_fit("日本語", strlen("日本語"), 5, &w);
	assert_int_equal(n, 6);
	assert_int_equal(w, 4);
	n = layout_fit("é", 2, 0, &w);
	assert_int_equal(n, 0);
	/* invalid UTF-8 counts one column per byte */
	assert_int_equal(layout_width("a\xff" "b"), 3);
}

static void
test_wrap(void **state)
{
	struct layout_line l[8];
	const char *s = "Plus de poubelles de tri dans le parc";
	int n, more;

	(void)state;
	n = layout_wrap(s, 12, l, 8, &more);
	assert_false(more);
	assert_int_equal(n, 4);
	assert_int_equal(l[0].len, 7);		/* "Plus de" */
	assert_memory_equal(s + l[0].off, "Plus de", 7);
	assert_memory_equal(s + l[1].off, "poubelles de", 12);
	assert_memory_equal(s + l[2].off, "tri dans le", 11);
	assert_memory_equal(s + l[3].off, "parc", 4);
	/* truncated */
	n = layout_wrap(s, 12, l, 2, &more);
	assert_int_equal(n, 2);
	assert_true(more);
	/* newlines break; a word longer than the line is cut */
	n = layout_wrap("ab\ncdefghij", 4, l, 8, &more);
	assert_int_equal(n, 3);
	assert_int_equal(l[0].len, 2);
	assert_int_equal(l[1].len, 4);
	assert_int_equal(l[2].len, 4);
	/* wide characters */
	n = layout_wrap("日本語です", 4, l, 8, &more);
	assert_int_equal(n, 3);
	assert_int_equal(l[0].len, 6);
	assert_int_equal(layout_wrap("", 10, l, 8, &more), 0);
}

static void
test_printable_and_edit(void **state)
{
	int32_t cps[] = { 'a', 0x65e5, 'b', 'c', 'd', 'e', 'f' };
	char *p;

	(void)state;
	p = layout_printable("a\tb\nc\x1b", 6, 1);
	assert_string_equal(p, "a b c ");
	free(p);
	p = layout_printable("déjà vu", strlen("déjà vu"), 0);
	assert_string_equal(p, "d?j? vu");
	free(p);
	p = layout_printable("déjà", strlen("déjà"), 1);
	assert_string_equal(p, "déjà");
	free(p);
	/* the cursor stays visible in a window of 4 columns */
	assert_int_equal(layout_edit_window(cps, 7, 0, 4, 0), 0);
	assert_int_equal(layout_edit_window(cps, 7, 7, 4, 0), 4);
	assert_int_equal(layout_edit_window(cps, 7, 3, 4, 0), 1);
	assert_int_equal(layout_edit_window(cps, 7, 1, 4, 5), 1);
}

/* Read the modules back from the text of a QR code. */
static int
module_at(const struct qrtext *t, int x, int y)
{
	const char *row;
	int col = 0, i = 0, target;

	if (t->style == QRTEXT_HALF) {
		target = x;
		row = t->rows[y / 2];
	} else if (t->style == QRTEXT_ASCII1) {
		return t->rows[y][x] == '#';
	} else if (t->style == QRTEXT_ASCII2) {
		return t->rows[y][2 * x] == '#' && t->rows[y][2 * x + 1] == '#';
	} else {
		target = 2 * x;
		row = t->rows[y];
	}
	/* each drawn character is one column: " " or a 3-byte block */
	while (col < target) {
		i += row[i] == ' ' ? 1 : 3;
		col++;
	}
	if (row[i] == ' ')
		return 0;
	if (t->style == QRTEXT_FULL)
		return 1;
	if (memcmp(row + i, "\xe2\x96\x88", 3) == 0)	/* █ */
		return 1;
	if (memcmp(row + i, "\xe2\x96\x80", 3) == 0)	/* ▀ */
		return y % 2 == 0;
	return y % 2 == 1;				/* ▄ */
}

static void
check_round_trip(const struct qr *q, int style, int quiet)
{
	struct qrtext t;
	int x, y, n = q->size + 2 * quiet;

	qrtext_render(q, style, quiet, &t);
	for (y = 0; y < n; y++)
		for (x = 0; x < n; x++)
			assert_int_equal(module_at(&t, x, y),
			    qr_module(q, x - quiet, y - quiet));
	qrtext_free(&t);
}

static void
test_qrtext(void **state)
{
	struct qrtext t;
	struct qr q;

	(void)state;
	assert_int_equal(qr_encode("http://192.168.1.20:8080/j/K7MXPA", &q), 0);
	check_round_trip(&q, QRTEXT_HALF, 4);
	check_round_trip(&q, QRTEXT_HALF, 1);
	check_round_trip(&q, QRTEXT_FULL, 2);
	check_round_trip(&q, QRTEXT_ASCII2, 4);
	check_round_trip(&q, QRTEXT_ASCII1, 2);

	/* 80x24 leaves 40 x 20 cells: half blocks with a 4-module margin */
	assert_int_equal(qrtext_fit(&q, 1, 40, 20, &t), 0);
	assert_int_equal(t.style, QRTEXT_HALF);
	assert_int_equal(t.quiet, 4);
	assert_int_equal(t.w, q.size + 8);
	assert_int_equal(t.h, (q.size + 9) / 2);
	qrtext_free(&t);
	/* a big terminal: two columns per module */
	assert_int_equal(qrtext_fit(&q, 1, 120, 60, &t), 0);
	assert_int_equal(t.style, QRTEXT_FULL);
	qrtext_free(&t);
	/* no UTF-8: ASCII */
	assert_int_equal(qrtext_fit(&q, 0, 120, 60, &t), 0);
	assert_int_equal(t.style, QRTEXT_ASCII2);
	qrtext_free(&t);
	/* too small for anything */
	assert_int_equal(qrtext_fit(&q, 1, 10, 5, &t), -1);
	assert_null(t.rows);
	qr_free(&q);
}

static void
test_bigtext(void **state)
{
	char *row;
	int r;

	(void)state;
	assert_int_equal(bigtext_width("K7MXPA"), 6 * 5 + 5);
	assert_int_equal(bigtext_width(""), 0);
	for (r = 0; r < BIGTEXT_ROWS; r++) {
		row = bigtext_row("K7", r, 0);
		assert_int_equal(strlen(row), 11);
		free(row);
	}
	row = bigtext_row("T", 0, 0);
	assert_string_equal(row, "#####");
	free(row);
	row = bigtext_row("T", 1, 1);
	assert_string_equal(row, "  \xe2\x96\x88  ");
	free(row);
	row = bigtext_row("?", 0, 0);		/* unknown: blank */
	assert_string_equal(row, "     ");
	free(row);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_frame_and_wall),
		cmocka_unit_test(test_scroll),
		cmocka_unit_test(test_widths),
		cmocka_unit_test(test_wrap),
		cmocka_unit_test(test_printable_and_edit),
		cmocka_unit_test(test_qrtext),
		cmocka_unit_test(test_bigtext),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
