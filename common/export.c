/*
 * export.c - an export document (core_export) as a report people read:
 * one self-contained HTML file (no external resource, print stylesheet,
 * accessible), Markdown, CSV (one row per note or word), or JSON.
 *
 * Reports name no participant: they are meant to be published.  The CSV
 * and JSON, meant for the lab's own use, keep names unless the session was
 * anonymized.
 */
#include "export.h"
#include "cloudlayout.h"
#include "util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- a growing string --------------------------------------------------- */

struct buf {
	char *s;
	size_t len, cap;
};

static void
buf_add(struct buf *b, const char *s, size_t n)
{
	xgrow((void **)&b->s, &b->cap, b->len + n + 1, 1);
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void
buf_str(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

static void __attribute__((format(printf, 2, 3)))
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	xgrow((void **)&b->s, &b->cap, b->len + (size_t)n + 1, 1);
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

/* Text for HTML content and attribute values. */
static void
buf_html(struct buf *b, const char *s)
{
	for (; s && *s; s++)
		switch (*s) {
		case '<': buf_str(b, "&lt;"); break;
		case '>': buf_str(b, "&gt;"); break;
		case '&': buf_str(b, "&amp;"); break;
		case '"': buf_str(b, "&quot;"); break;
		case '\'': buf_str(b, "&#39;"); break;
		default: buf_add(b, s, 1);
		}
}

/* Text for Markdown: inline markup escaped, and block markers at the
 * start of a line ("# ", "- ", "1. ", "> ") made literal. */
static void
buf_md(struct buf *b, const char *s)
{
	int bol = 1;

	for (; s && *s; s++) {
		if (bol) {
			const char *d = s;

			while (*d >= '0' && *d <= '9')
				d++;
			if (strchr("#-+>=", *s) != NULL ||
			    (d > s && (*d == '.' || *d == ')')))
				buf_add(b, "\\", 1);
			bol = 0;
		}
		if (strchr("\\`*_[]<>|~", *s) != NULL)
			buf_add(b, "\\", 1);
		if (*s == '\n') {
			buf_str(b, "  \n");
			bol = 1;
		} else
			buf_add(b, s, 1);
	}
}

/* One CSV field (RFC 4180), with formula injection defused. */
static void
buf_csv(struct buf *b, const char *s)
{
	if (s == NULL)
		return;
	buf_add(b, "\"", 1);
	if (strchr("=+-@\t\r", s[0]) != NULL && s[0] != '\0')
		buf_add(b, "'", 1);
	for (; *s; s++) {
		if (*s == '"')
			buf_add(b, "\"", 1);
		buf_add(b, s, 1);
	}
	buf_add(b, "\"", 1);
}

/* ---- reading the document ------------------------------------------------ */

static const char *
str(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static long long
num(json_t *o, const char *key)
{
	return (long long)json_integer_value(json_object_get(o, key));
}

/* "2026-11-26 14:05" in the machine's time zone, or "" for 0. */
static const char *
when(long long ms, char *out, size_t len)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	if (ms <= 0) {
		out[0] = '\0';
		return out;
	}
	localtime_r(&t, &tm);
	strftime(out, len, "%Y-%m-%d %H:%M", &tm);
	return out;
}

/* Labels in the session's language. */
struct labels {
	const char *lang, *created, *closed, *archived, *participants, *notes,
	    *votes, *description, *retrospective, *board, *prompt, *group,
	    *ungrouped, *chart, *timeline, *words, *nothing, *contents, *hidden,
	    *report, *anon, *vote1, *voten;
	const char *ev[7];	/* timeline: the names of timeline_events[] */
};

static const char *const timeline_events[7] = {
	"session.created", "board.created", "board.locked", "board.unlocked",
	"session.closed", "session.reopened", "session.archived",
};

static const struct labels fr = {
	"fr", "Créée le", "Clôturée le", "Archivée le", "Participants",
	"Post-it", "Votes", "Objectif", "Retour du facilitateur", "Tableau",
	"Question posée", "Groupe", "Sans groupe", "Post-it les plus votés",
	"Déroulé", "Nuage de mots", "Aucune contribution.", "Sommaire",
	"masqué", "Rapport d'atelier",
	"Les contributions sont publiées sans le nom de leur auteur.",
	"vote", "votes",
	{ "Atelier créé", "Tableau ouvert", "Tableau verrouillé",
	  "Tableau déverrouillé", "Atelier clôturé", "Atelier rouvert",
	  "Atelier archivé" },
};
static const struct labels en = {
	"en", "Created", "Closed", "Archived", "Participants", "Post-its",
	"Votes", "Purpose", "Facilitator's notes", "Board", "Question",
	"Group", "Not grouped", "Most voted post-its", "Timeline",
	"Word cloud", "No contributions.", "Contents", "hidden",
	"Workshop report",
	"Contributions are published without their author's name.",
	"vote", "votes",
	{ "Workshop created", "Board opened", "Board locked",
	  "Board unlocked", "Workshop closed", "Workshop reopened",
	  "Workshop archived" },
};
static const struct labels nl = {
	"nl", "Aangemaakt", "Afgesloten", "Gearchiveerd", "Deelnemers",
	"Post-its", "Stemmen", "Doel", "Notities van de begeleider", "Bord",
	"Vraag", "Groep", "Zonder groep", "Post-its met de meeste stemmen",
	"Verloop", "Woordwolk", "Geen bijdragen.", "Inhoud", "verborgen",
	"Verslag van de workshop",
	"Bijdragen worden zonder naam gepubliceerd.",
	"stem", "stemmen",
	{ "Workshop aangemaakt", "Bord geopend", "Bord vergrendeld",
	  "Bord ontgrendeld", "Workshop afgesloten", "Workshop heropend",
	  "Workshop gearchiveerd" },
};

static const struct labels *
labels_for(json_t *doc)
{
	json_t *s = json_array_get(json_object_get(doc, "sessions"), 0);
	const char *lang = str(s, "lang");

	if (lang && strcmp(lang, "en") == 0)
		return &en;
	if (lang && strcmp(lang, "nl") == 0)
		return &nl;
	return &fr;
}

/* The visible notes of a board, most voted first (stable). */
static size_t
notes_by_votes(json_t *board, json_t ***out)
{
	json_t *notes = json_object_get(board, "notes"), *n;
	size_t i, j, count = 0;

	*out = xcalloc(json_array_size(notes) + 1, sizeof **out);
	json_array_foreach(notes, i, n)
		if (!json_is_true(json_object_get(n, "hidden")))
			(*out)[count++] = n;
	for (i = 1; i < count; i++)
		for (j = i; j > 0 && num((*out)[j - 1], "votes") <
		    num((*out)[j], "votes"); j--) {
			json_t *t = (*out)[j - 1];

			(*out)[j - 1] = (*out)[j];
			(*out)[j] = t;
		}
	return count;
}

/* The distinct cluster labels of a board's notes, in first-seen order. */
static json_t *
cluster_labels(json_t *board)
{
	json_t *labels = json_array(), *n, *l;
	size_t i, j;

	json_array_foreach(json_object_get(board, "notes"), i, n) {
		const char *c = str(n, "cluster");
		int seen = 0;

		if (c == NULL || json_is_true(json_object_get(n, "hidden")))
			continue;
		json_array_foreach(labels, j, l)
			seen |= strcmp(json_string_value(l), c) == 0;
		if (!seen)
			json_array_append_new(labels, json_string(c));
	}
	return labels;
}

/* ---- JSON ---------------------------------------------------------------- */

char *
export_json(json_t *doc)
{
	char *s = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	struct buf b = { 0 };

	buf_str(&b, s);
	buf_str(&b, "\n");
	free(s);
	return b.s;
}

/* ---- CSV ------------------------------------------------------------------- */

char *
export_csv(json_t *doc)
{
	struct buf b = { 0 };
	json_t *s, *bd, *n, *w;
	size_t i, j, k;
	char t[32];

	buf_str(&b, "session,session_title,board,board_title,kind,type,id,text,"
	    "color,author,votes,count,hidden,cluster,created\r\n");
	json_array_foreach(json_object_get(doc, "sessions"), i, s)
		json_array_foreach(json_object_get(s, "boards"), j, bd) {
			json_array_foreach(json_object_get(bd, "notes"), k, n) {
				buf_csv(&b, str(s, "code"));
				buf_add(&b, ",", 1);
				buf_csv(&b, str(s, "title"));
				buf_printf(&b, ",%lld,", num(bd, "id"));
				buf_csv(&b, str(bd, "title"));
				buf_printf(&b, ",%s,note,%lld,", str(bd, "kind"),
				    num(n, "id"));
				buf_csv(&b, str(n, "text"));
				buf_printf(&b, ",%s,", str(n, "color"));
				buf_csv(&b, str(n, "author_name"));
				buf_printf(&b, ",%lld,,%s,", num(n, "votes"),
				    json_is_true(json_object_get(n, "hidden")) ?
				    "yes" : "no");
				buf_csv(&b, str(n, "cluster"));
				buf_printf(&b, ",%s\r\n", when(num(n, "created"),
				    t, sizeof t));
			}
			json_array_foreach(json_object_get(bd, "words"), k, w) {
				buf_csv(&b, str(s, "code"));
				buf_add(&b, ",", 1);
				buf_csv(&b, str(s, "title"));
				buf_printf(&b, ",%lld,", num(bd, "id"));
				buf_csv(&b, str(bd, "title"));
				buf_printf(&b, ",%s,word,", str(bd, "kind"));
				buf_csv(&b, str(w, "key"));
				buf_add(&b, ",", 1);
				buf_csv(&b, str(w, "text"));
				buf_printf(&b, ",,,,%lld,%s,,\r\n", num(w, "count"),
				    json_is_true(json_object_get(w, "hidden")) ?
				    "yes" : "no");
			}
		}
	return b.s;
}

/* ---- Markdown -------------------------------------------------------------- */

/* "- text — 3 votes" */
static void
md_note(struct buf *b, const struct labels *L, json_t *n)
{
	buf_str(b, "- ");
	buf_md(b, str(n, "text"));
	buf_printf(b, " — %lld %s\n", num(n, "votes"),
	    num(n, "votes") == 1 ? L->vote1 : L->voten);
}

static void
md_board(struct buf *b, const struct labels *L, json_t *bd)
{
	json_t **notes, *groups = cluster_labels(bd), *g, *w;
	size_t n = notes_by_votes(bd, &notes), i, j;

	buf_str(b, "\n### ");
	buf_md(b, str(bd, "title"));
	buf_str(b, "\n\n");
	if (str(bd, "prompt")) {
		buf_printf(b, "*%s :* ", L->prompt);
		buf_md(b, str(bd, "prompt"));
		buf_str(b, "\n\n");
	}
	if (json_array_size(json_object_get(bd, "words")) > 0) {
		json_array_foreach(json_object_get(bd, "words"), i, w) {
			if (json_is_true(json_object_get(w, "hidden")) ||
			    json_is_true(json_object_get(w, "banned")))
				continue;
			buf_str(b, "- ");
			buf_md(b, str(w, "text"));
			buf_printf(b, " (%lld)\n", num(w, "count"));
		}
	} else if (n == 0)
		buf_printf(b, "%s\n", L->nothing);
	else if (json_array_size(groups) == 0) {
		for (i = 0; i < n; i++) {
			md_note(b, L, notes[i]);
		}
	} else {
		json_array_foreach(groups, j, g) {
			buf_printf(b, "\n#### %s : ", L->group);
			buf_md(b, json_string_value(g));
			buf_str(b, "\n\n");
			for (i = 0; i < n; i++) {
				if (!str(notes[i], "cluster") ||
				    strcmp(str(notes[i], "cluster"),
				    json_string_value(g)) != 0)
					continue;
				md_note(b, L, notes[i]);
			}
		}
		buf_printf(b, "\n#### %s\n\n", L->ungrouped);
		for (i = 0; i < n; i++)
			if (!str(notes[i], "cluster")) {
				md_note(b, L, notes[i]);
			}
	}
	free(notes);
	json_decref(groups);
}

char *
export_markdown(json_t *doc)
{
	const struct labels *L = labels_for(doc);
	json_t *pf = json_object_get(doc, "portfolio"), *s, *bd;
	struct buf b = { 0 };
	size_t i, j;
	char t[32];

	if (pf != NULL) {
		buf_str(&b, "# ");
		buf_md(&b, str(pf, "title"));
		buf_str(&b, "\n\n");
		if (str(pf, "description")) {
			buf_md(&b, str(pf, "description"));
			buf_str(&b, "\n\n");
		}
	}
	json_array_foreach(json_object_get(doc, "sessions"), i, s) {
		json_t *st = json_object_get(s, "stats");

		buf_str(&b, pf ? "## " : "# ");
		buf_md(&b, str(s, "title"));
		buf_printf(&b, "\n\n- %s : %s\n", L->created,
		    when(num(s, "created"), t, sizeof t));
		if (num(s, "closed"))
			buf_printf(&b, "- %s : %s\n", L->closed,
			    when(num(s, "closed"), t, sizeof t));
		buf_printf(&b, "- %s : %lld\n- %s : %lld\n- %s : %lld\n\n",
		    L->participants, num(st, "participants"), L->notes,
		    num(st, "notes"), L->votes, num(st, "votes"));
		if (str(s, "description")) {
			buf_printf(&b, "**%s.** ", L->description);
			buf_md(&b, str(s, "description"));
			buf_str(&b, "\n\n");
		}
		if (str(s, "retrospective")) {
			buf_printf(&b, "**%s.** ", L->retrospective);
			buf_md(&b, str(s, "retrospective"));
			buf_str(&b, "\n\n");
		}
		json_array_foreach(json_object_get(s, "boards"), j, bd)
			md_board(&b, L, bd);
		buf_str(&b, "\n");
	}
	buf_printf(&b, "*%s*\n", L->anon);
	return b.s;
}

/* ---- HTML ------------------------------------------------------------------- */

static const char css[] =
	"*{box-sizing:border-box}"
	"body{font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;"
	"color:#1a1a1a;background:#fff;margin:0 auto;max-width:60rem;padding:1.5rem}"
	"h1{font-size:2rem;margin:.5rem 0}h2{font-size:1.5rem;margin-top:2.5rem;"
	"border-bottom:2px solid #1d4f91;padding-bottom:.25rem}"
	"h3{font-size:1.2rem;margin-top:1.75rem}h4{margin:1rem 0 .5rem}"
	"dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}"
	"dl.facts dt{font-weight:600}dl.facts dd{margin:0}"
	"ul.notes{list-style:none;padding:0;display:grid;"
	"grid-template-columns:repeat(auto-fill,minmax(12rem,1fr));gap:.75rem}"
	"ul.notes li{padding:.75rem;border-radius:4px;border:1px solid #8a8a8a;"
	"break-inside:avoid}"
	".yellow{background:#fff3b0}.pink{background:#ffd6e7}.blue{background:#d6e9ff}"
	".green{background:#d9f2d0}.orange{background:#ffe0c2}.purple{background:#e9ddff}"
	".votes{display:block;font-size:.875rem;margin-top:.5rem;color:#333}"
	".prompt{font-style:italic}.note{color:#444;font-size:.875rem}"
	"svg{max-width:100%;height:auto}"
	"ol.timeline{padding-left:1.25rem}nav ol{padding-left:1.25rem}"
	"@media print{body{max-width:none;padding:0;font-size:11pt}"
	"h2{break-before:page}h2:first-of-type{break-before:auto}"
	"ul.notes li{border-color:#000}nav{display:none}a{color:#000}}";

static void
html_chart(struct buf *b, const struct labels *L, json_t **notes, size_t n,
    const char *id)
{
	size_t i, shown = 0;
	long long max = 1;

	while (shown < n && shown < 10 && num(notes[shown], "votes") > 0)
		shown++;	/* notes come most voted first */
	if (shown == 0)
		return;
	max = num(notes[0], "votes");
	buf_printf(b, "<figure><figcaption id=\"%s\">%s</figcaption>"
	    "<svg viewBox=\"0 0 640 %zu\" role=\"img\" aria-labelledby=\"%s\">",
	    id, L->chart, shown * 28 + 4, id);
	for (i = 0; i < shown; i++) {
		long long v = num(notes[i], "votes");
		int w = (int)(v * 300 / max);
		char label[64];
		const char *text = str(notes[i], "text");
		size_t k = 0, cps = 0;

		/* the first 40 characters of the note */
		while (text[k] && cps < 40) {
			k++;
			while ((text[k] & 0xc0) == 0x80)
				k++;
			cps++;
		}
		snprintf(label, sizeof label, "%.*s%s", (int)k, text,
		    text[k] ? "…" : "");
		buf_printf(b, "<g><title>");
		buf_html(b, text);
		buf_printf(b, " : %lld</title><text x=\"0\" y=\"%zu\" "
		    "font-size=\"13\" fill=\"#1a1a1a\">", v, i * 28 + 18);
		buf_html(b, label);
		buf_printf(b, "</text><rect x=\"300\" y=\"%zu\" width=\"%d\" "
		    "height=\"20\" fill=\"#1d4f91\"/><text x=\"%d\" y=\"%zu\" "
		    "font-size=\"13\" fill=\"#1a1a1a\">%lld</text></g>",
		    i * 28 + 4, w, 306 + w, i * 28 + 18, v);
	}
	buf_str(b, "</svg></figure>");
}

static void
html_note(struct buf *b, const struct labels *L, json_t *n)
{
	const char *color = str(n, "color");

	buf_printf(b, "<li class=\"%s\">", color ? color : "yellow");
	buf_html(b, str(n, "text"));
	buf_printf(b, "<span class=\"votes\">%lld %s</span></li>",
	    num(n, "votes"), num(n, "votes") == 1 ? L->vote1 : L->voten);
}

/* The word cloud as an inline SVG, laid out by the core (cloudlayout.h). */
static void
html_words(struct buf *b, const struct labels *L, json_t *bd, const char *id)
{
	struct cloudlayout_item items[100];
	struct cloudlayout_params p;
	struct cloudlayout lay;
	json_t *w;
	size_t i, n = 0;

	json_array_foreach(json_object_get(bd, "words"), i, w) {
		if (json_is_true(json_object_get(w, "hidden")) ||
		    json_is_true(json_object_get(w, "banned")) || n == 100)
			continue;
		items[n].key = str(w, "key");
		items[n].text = str(w, "text");
		items[n].count = num(w, "count") > 0 ? num(w, "count") : 1;
		n++;
	}
	cloudlayout_params_init(&p, CLOUDLAYOUT_PX, 800, 400);
	if (p.min_size < p.max_size / 4)
		p.min_size = p.max_size / 4;
	buf_printf(b, "<figure><figcaption id=\"%s\">%s</figcaption>"
	    "<svg viewBox=\"0 0 800 400\" role=\"img\" aria-labelledby=\"%s\">",
	    id, L->words, id);
	if (n > 0 && cloudlayout_compute(&lay, &p, items, n, NULL) == 0) {
		for (i = 0; i < lay.len; i++) {
			struct cloudlayout_word *cw = &lay.words[i];

			buf_printf(b, "<text x=\"%d\" y=\"%.1f\" font-size=\"%d\" "
			    "textLength=\"%d\" lengthAdjust=\"spacingAndGlyphs\" "
			    "fill=\"%s\">", cw->x, cw->y + CLOUDLAYOUT_ASCENT *
			    cw->size, cw->size, cw->w, i % 2 ? "#0e5e63" : "#1d4f91");
			buf_html(b, cw->text);
			buf_printf(b, "<title>%ld</title></text>", cw->count);
		}
		cloudlayout_free(&lay);
	}
	buf_str(b, "</svg></figure><ul>");
	json_array_foreach(json_object_get(bd, "words"), i, w) {
		if (json_is_true(json_object_get(w, "hidden")) ||
		    json_is_true(json_object_get(w, "banned")))
			continue;
		buf_str(b, "<li>");
		buf_html(b, str(w, "text"));
		buf_printf(b, " (%lld)</li>", num(w, "count"));
	}
	buf_str(b, "</ul>");
}

static void
html_board(struct buf *b, const struct labels *L, json_t *bd)
{
	json_t **notes, *groups = cluster_labels(bd), *g;
	size_t n = notes_by_votes(bd, &notes), i, j;
	char id[64];

	buf_printf(b, "<h3>");
	buf_html(b, str(bd, "title"));
	buf_str(b, "</h3>");
	if (str(bd, "prompt")) {
		buf_str(b, "<p class=\"prompt\">");
		buf_html(b, str(bd, "prompt"));
		buf_str(b, "</p>");
	}
	snprintf(id, sizeof id, "chart-%lld", num(bd, "id"));
	if (json_array_size(json_object_get(bd, "words")) > 0)
		html_words(b, L, bd, id);
	else if (n == 0)
		buf_printf(b, "<p>%s</p>", L->nothing);
	else if (json_array_size(groups) == 0) {
		buf_str(b, "<ul class=\"notes\">");
		for (i = 0; i < n; i++)
			html_note(b, L, notes[i]);
		buf_str(b, "</ul>");
	} else {
		json_array_foreach(groups, j, g) {
			buf_printf(b, "<h4>%s : ", L->group);
			buf_html(b, json_string_value(g));
			buf_str(b, "</h4><ul class=\"notes\">");
			for (i = 0; i < n; i++)
				if (str(notes[i], "cluster") &&
				    strcmp(str(notes[i], "cluster"),
				    json_string_value(g)) == 0)
					html_note(b, L, notes[i]);
			buf_str(b, "</ul>");
		}
		for (i = 0; i < n && str(notes[i], "cluster"); i++)
			;
		if (i < n) {
			buf_printf(b, "<h4>%s</h4><ul class=\"notes\">",
			    L->ungrouped);
			for (i = 0; i < n; i++)
				if (!str(notes[i], "cluster"))
					html_note(b, L, notes[i]);
			buf_str(b, "</ul>");
		}
	}
	if (json_array_size(json_object_get(bd, "words")) == 0)
		html_chart(b, L, notes, n, id);
	free(notes);
	json_decref(groups);
}

/* The timeline: the session's and its boards' milestones. */
static void
html_timeline(struct buf *b, const struct labels *L, json_t *s)
{
	json_t *ev, *bd;
	size_t i, j, k;
	char t[32];

	buf_printf(b, "<h3>%s</h3><ol class=\"timeline\">", L->timeline);
	json_array_foreach(json_object_get(s, "events"), i, ev) {
		const char *name = str(ev, "ev");

		for (k = 0; name && k < ARRAY_LEN(timeline_events); k++)
			if (strcmp(name, timeline_events[k]) == 0)
				break;
		if (name == NULL || k == ARRAY_LEN(timeline_events))
			continue;
		buf_printf(b, "<li><time>%s</time> %s",
		    when(num(ev, "time"), t, sizeof t), L->ev[k]);
		if (json_is_object(json_object_get(ev, "board"))) {
			buf_str(b, " : ");
			buf_html(b, str(json_object_get(ev, "board"), "title"));
		} else if (json_object_get(ev, "board"))
			json_array_foreach(json_object_get(s, "boards"), j, bd)
				if (num(bd, "id") == num(ev, "board")) {
					buf_str(b, " : ");
					buf_html(b, str(bd, "title"));
				}
		buf_str(b, "</li>");
	}
	buf_str(b, "</ol>");
}

char *
export_html(json_t *doc)
{
	const struct labels *L = labels_for(doc);
	json_t *pf = json_object_get(doc, "portfolio"), *s, *bd;
	json_t *sessions = json_object_get(doc, "sessions");
	struct buf b = { 0 };
	size_t i, j;
	char t[32];

	buf_printf(&b, "<!doctype html>\n<html lang=\"%s\"><head>"
	    "<meta charset=\"utf-8\"><meta name=\"viewport\" "
	    "content=\"width=device-width,initial-scale=1\"><title>", L->lang);
	buf_html(&b, pf ? str(pf, "title") : str(json_array_get(sessions, 0),
	    "title"));
	buf_printf(&b, " — %s</title><style>%s</style></head><body>"
	    "<header>", L->report, css);
	if (pf != NULL) {
		buf_str(&b, "<h1>");
		buf_html(&b, str(pf, "title"));
		buf_str(&b, "</h1>");
		if (str(pf, "description")) {
			buf_str(&b, "<p>");
			buf_html(&b, str(pf, "description"));
			buf_str(&b, "</p>");
		}
		buf_printf(&b, "<nav aria-label=\"%s\"><ol>", L->contents);
		json_array_foreach(sessions, i, s) {
			buf_printf(&b, "<li><a href=\"#s-%s\">", str(s, "code"));
			buf_html(&b, str(s, "title"));
			buf_str(&b, "</a></li>");
		}
		buf_str(&b, "</ol></nav>");
	}
	buf_str(&b, "</header><main>");
	json_array_foreach(sessions, i, s) {
		json_t *st = json_object_get(s, "stats");
		const char *h = pf ? "h2" : "h1";

		buf_printf(&b, "<section aria-labelledby=\"s-%s\"><%s id=\"s-%s\">",
		    str(s, "code"), h, str(s, "code"));
		buf_html(&b, str(s, "title"));
		buf_printf(&b, "</%s><dl class=\"facts\"><dt>%s</dt><dd>%s</dd>",
		    h, L->created, when(num(s, "created"), t, sizeof t));
		if (num(s, "closed"))
			buf_printf(&b, "<dt>%s</dt><dd>%s</dd>", L->closed,
			    when(num(s, "closed"), t, sizeof t));
		buf_printf(&b, "<dt>%s</dt><dd>%lld</dd><dt>%s</dt><dd>%lld</dd>"
		    "<dt>%s</dt><dd>%lld</dd></dl>", L->participants,
		    num(st, "participants"), L->notes, num(st, "notes"),
		    L->votes, num(st, "votes"));
		if (str(s, "description")) {
			buf_printf(&b, "<h3>%s</h3><p>", L->description);
			buf_html(&b, str(s, "description"));
			buf_str(&b, "</p>");
		}
		if (str(s, "retrospective")) {
			buf_printf(&b, "<h3>%s</h3><p>", L->retrospective);
			buf_html(&b, str(s, "retrospective"));
			buf_str(&b, "</p>");
		}
		json_array_foreach(json_object_get(s, "boards"), j, bd)
			html_board(&b, L, bd);
		html_timeline(&b, L, s);
		buf_str(&b, "</section>");
	}
	buf_printf(&b, "</main><footer><p class=\"note\">%s</p></footer>"
	    "</body></html>\n", L->anon);
	return b.s;
}

int
export_format(const char *name, char *(**fn)(json_t *), const char **mime)
{
	static const struct {
		const char *name;
		char *(*fn)(json_t *);
		const char *mime;
	} formats[] = {
		{ "html", export_html, "text/html; charset=utf-8" },
		{ "md", export_markdown, "text/markdown; charset=utf-8" },
		{ "csv", export_csv, "text/csv; charset=utf-8" },
		{ "json", export_json, "application/json" },
	};
	size_t i;

	for (i = 0; i < ARRAY_LEN(formats); i++)
		if (strcmp(formats[i].name, name) == 0) {
			*fn = formats[i].fn;
			if (mime)
				*mime = formats[i].mime;
			return 0;
		}
	return -1;
}
