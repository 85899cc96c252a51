/*
 * bigtext.h - the join code in letters five rows tall, readable from the
 * back of the room on a projected terminal.  Covers digits and A-Z (the
 * code alphabet is a subset); anything else is drawn blank.
 */
#ifndef ATELIER_TUI_BIGTEXT_H
#define ATELIER_TUI_BIGTEXT_H

#define BIGTEXT_ROWS 5
#define BIGTEXT_GLYPH_W 5	/* columns of one letter */
#define BIGTEXT_GAP 1		/* columns between letters */

/* Columns taken by s drawn big. */
int bigtext_width(const char *s);

/*
 * Row (0 to BIGTEXT_ROWS - 1) of s drawn big, dark cells as "█" (utf8) or
 * '#'.  A new string; the caller frees it.
 */
char *bigtext_row(const char *s, int row, int utf8);

#endif
