/*
 * stopwords.c - the stop words of French, English and Dutch (see
 * normalize.h), as static data in their folded form: lower case, accents
 * removed, apostrophes as ASCII "'".  Each list is sorted in byte order so
 * that norm_stopword() can search it; test-normalize checks the order.
 *
 * The lists are Snowball's (snowballstem.org, <lang>/stop.txt) with these
 * changes, because a word cloud is not a search index:
 * - negations are kept as content words, so that "pas de voitures" or
 *   "no cars" do not merge with "voitures" or "cars": French "pas",
 *   English "no", "nor", "not", "cannot" and the "n't" contractions,
 *   Dutch "niet", "geen", "niets", "zonder";
 * - French "été", "étés" (summer) and "fûmes" (folded "fumes") are kept
 *   as content words;
 * - French "leurs" is added;
 * - French elided forms are added ("ça", "cet", "cette", "ci", "où", and
 *   "qu", "jusqu", "lorsqu", "puisqu", "quoiqu", "quelqu" for elisions),
 *   and Dutch clitics ("m'n", "z'n", "d'r", "zo'n", "'t", "'s", "'k": the
 *   last three lose their apostrophe when they start a word).
 */
#include "normalize.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

static const char *const stop_fr[] = {
	"a", "ai", "aie", "aient", "aies", "ait", "as", "au", "aura",
	"aurai", "auraient", "aurais", "aurait", "auras", "aurez", "auriez",
	"aurions", "aurons", "auront", "aux", "avaient", "avais", "avait",
	"avec", "avez", "aviez", "avions", "avons", "ayant", "ayante",
	"ayantes", "ayants", "ayez", "ayons", "c", "ca", "ce", "ces", "cet",
	"cette", "ci", "d", "dans", "de", "des", "du", "elle", "en", "es",
	"est", "et", "etaient", "etais", "etait", "etant", "etante",
	"etantes", "etants", "etee", "etees", "etes", "etiez", "etions",
	"eu", "eue", "eues", "eumes", "eurent", "eus", "eusse", "eussent",
	"eusses", "eussiez", "eussions", "eut", "eutes", "eux", "furent",
	"fus", "fusse", "fussent", "fusses", "fussiez", "fussions", "fut",
	"futes", "il", "ils", "j", "je", "jusqu", "l", "la", "le", "les",
	"leur", "leurs", "lorsqu", "lui", "m", "ma", "mais", "me", "meme",
	"mes", "moi", "mon", "n", "ne", "nos", "notre", "nous", "on", "ont",
	"ou", "par", "pour", "puisqu", "qu", "que", "quelqu", "qui",
	"quoiqu", "s", "sa", "se", "sera", "serai", "seraient", "serais",
	"serait", "seras", "serez", "seriez", "serions", "serons", "seront",
	"ses", "soient", "sois", "soit", "sommes", "son", "sont", "soyez",
	"soyons", "suis", "sur", "t", "ta", "te", "tes", "toi", "ton", "tu",
	"un", "une", "vos", "votre", "vous", "y",
};

static const char *const stop_en[] = {
	"a", "about", "above", "after", "again", "against", "all", "am",
	"an", "and", "any", "are", "as", "at", "be", "because", "been",
	"before", "being", "below", "between", "both", "but", "by", "could",
	"did", "do", "does", "doing", "down", "during", "each", "few", "for",
	"from", "further", "had", "has", "have", "having", "he", "he'd",
	"he'll", "he's", "her", "here", "here's", "hers", "herself", "him",
	"himself", "his", "how", "how's", "i", "i'd", "i'll", "i'm", "i've",
	"if", "in", "into", "is", "it", "it's", "its", "itself", "let's",
	"me", "more", "most", "my", "myself", "of", "off", "on", "once",
	"only", "or", "other", "ought", "our", "ours", "ourselves", "out",
	"over", "own", "same", "she", "she'd", "she'll", "she's", "should",
	"so", "some", "such", "than", "that", "that's", "the", "their",
	"theirs", "them", "themselves", "then", "there", "there's", "these",
	"they", "they'd", "they'll", "they're", "they've", "this", "those",
	"through", "to", "too", "under", "until", "up", "very", "was", "we",
	"we'd", "we'll", "we're", "we've", "were", "what", "what's", "when",
	"when's", "where", "where's", "which", "while", "who", "who's",
	"whom", "why", "why's", "with", "would", "you", "you'd", "you'll",
	"you're", "you've", "your", "yours", "yourself", "yourselves",
};

static const char *const stop_nl[] = {
	"aan", "al", "alles", "als", "altijd", "andere", "ben", "bij", "d'r",
	"daar", "dan", "dat", "de", "der", "deze", "die", "dit", "doch",
	"doen", "door", "dus", "een", "eens", "en", "er", "ge", "geweest",
	"haar", "had", "heb", "hebben", "heeft", "hem", "het", "hier", "hij",
	"hoe", "hun", "iemand", "iets", "ik", "in", "is", "ja", "je", "k",
	"kan", "kon", "kunnen", "m'n", "maar", "me", "meer", "men", "met",
	"mij", "mijn", "moet", "na", "naar", "nog", "nu", "of", "om",
	"omdat", "onder", "ons", "ook", "op", "over", "reeds", "s", "t",
	"te", "tegen", "toch", "toen", "tot", "u", "uit", "uw", "van",
	"veel", "voor", "want", "waren", "was", "wat", "werd", "wezen",
	"wie", "wil", "worden", "wordt", "z'n", "zal", "ze", "zelf", "zich",
	"zij", "zijn", "zo", "zo'n", "zou",
};

size_t
norm_stopwords(enum norm_lang lang, const char *const **out)
{
	switch (lang) {
	case NORM_EN:
		*out = stop_en;
		return ARRAY_LEN(stop_en);
	case NORM_NL:
		*out = stop_nl;
		return ARRAY_LEN(stop_nl);
	case NORM_FR:
	default:
		*out = stop_fr;
		return ARRAY_LEN(stop_fr);
	}
}

static int
cmp_word(const void *key, const void *elem)
{
	return strcmp(key, *(const char *const *)elem);
}

int
norm_stopword(enum norm_lang lang, const char *folded)
{
	const char *const *list;
	size_t len = norm_stopwords(lang, &list);

	return bsearch(folded, list, len, sizeof *list, cmp_word) != NULL;
}
