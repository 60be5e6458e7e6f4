/* analyze.c — one comment's text → normalised text, clustering key and intent.
 * Rules run in a fixed order, each backed by a lexicon in assets/lexicons/:
 * spam, noise, answer, echo, complaint, purchase, rhetorical, request,
 * question, praise, else chatter. */
#include "prompts_int.h"
#include "onefish/buf.h"
#include "onefish/error.h"
#include "onefish/fileio.h"
#include "onefish/limits.h"
#include "onefish/utf8.h"
#include "common/textlink.h"

#include <opencc/opencc.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

enum { LX_QUESTION, LX_QUESTION_EN, LX_PURCHASE, LX_COMPLAINT, LX_REQUEST, LX_PRAISE, LX_RHETORICAL, LX_ECHO,
       LX_ANSWER, LX_NOISE, LX_SPAM, LX_MYTH, LX_NONQUESTION, LX_EMBEDDED, LX_LAUGHTER, LX_REACTION, LX_STOP,
       LX_FUNCTION, LX_COMPLAINT_NOT, LX_RHETORICAL_NOT, LX_EVENT, LX_PURCHASE_NOT, LX_ATTRIBUTE, LX_ORDERED, LX_MYTH_NOT, LX_COUNT };

static const char *lx_files[LX_COUNT] = {"question.txt", "question_en.txt", "purchase.txt", "complaint.txt",
					 "request.txt",  "praise.txt",      "rhetorical.txt", "echo.txt",
					 "answer.txt",   "noise.txt",       "spam.txt",       "myth.txt",
					 "nonquestion.txt", "embedded.txt",  "laughter.txt", "reaction.txt",
					 "stopchars.txt",   "function.txt",  "complaint_not.txt",
					 "rhetorical_not.txt", "event.txt",   "purchase_not.txt", "attribute.txt", "ordered.txt",
					 "myth_not.txt"};

typedef struct wordlist {
	char **w;
	size_t n;
} wordlist;

struct of_lexicons {
	wordlist l[LX_COUNT];
	char *stop; /* stop characters, UTF-8 */
	struct fnword {
		uint64_t h;   /* xxh64 of the word */
		uint32_t cls; /* 0, or the unit of its question-word class */
	} *fn;        /* function.txt, sorted by h: a token is looked up per call */
	size_t n_fn;
	int32_t class_first[64]; /* first code points of the class words (什么时候 =when: 什): lookups */
	size_t n_class_first;    /* at other characters are skipped (cluster.c, per character) */
	/* complaint.txt and purchase.txt "entry =topic": per entry of those lists
	 * its topic (1-based index into topics, 0 none); the names point into the
	 * entries' own strings */
	uint8_t *topic_of[LX_COUNT];
	const char *topics[OF_MAX_TOPICS];
	size_t n_topics;
};

/* Characters OpenCC's t2s leaves alone as single characters but changes inside
 * a TSPhrases phrase: 覆 (反覆 → 反复), 藉 (找藉口 → 找借口), 瞭 (明瞭 → 明了),
 * 沈 (沈默 → 沉默), 衹, 牴, 么, 彷 (彷彿 → 仿佛), 俱. Found by converting, with
 * Debian 12's OpenCC, each changed character of every phrase in OpenCC's
 * TSPhrases.txt of releases 1.1.3 and 1.1.8 (around Debian's 1.1.6) alone. */
static const char T2S_PHRASE_ONLY[] = "覆藉瞭沈衹牴么彷俱";

enum { CP_UNKNOWN = 0, CP_INERT = 1, CP_CONVERTS = 2 };

struct of_normalizer {
	opencc_t cc;
	/* per code point: does t2s change it (alone, or as T2S_PHRASE_ONLY says)?
	 * Filled as characters are first seen; calloc'd, so only pages of scripts
	 * that occur are ever touched. */
	unsigned char *cp_state;
};

static const char *intent_names[OF_INTENT_COUNT] = {"question", "purchase", "complaint", "request",
						    "praise",   "chatter",  "noise",     "spam"};
static const char *rule_names[OF_RULE_COUNT] = {
	"spam_link",     "spam_phone",    "spam_contact",  "spam_bot",      "spam_word",     "noise_empty",
	"noise_digits",  "noise_short",   "noise_laugh",   "noise_word",    "noise_garbled", "system",
	"gift",          "advanced",      "answer",        "echo",          "rhetorical",    "complaint",
	"purchase",      "ordered",       "request",       "question_mark", "question_word", "praise",
	"chatter"};

const char *of_intent__name(of_intent i) { return i < OF_INTENT_COUNT ? intent_names[i] : "?"; }
const char *of_rule__name(of_rule r) { return r < OF_RULE_COUNT ? rule_names[r] : "?"; }

static int load_list(wordlist *wl, const char *rel, char **all_out)
{
	char *path = NULL, *data = NULL;
	size_t len;
	int rc;
	if ((rc = of_asset_path(&path, rel)) != 0)
		return rc;
	rc = of_file_read(&data, &len, path, OF_MAX_CONFIG_BYTES);
	free(path);
	if (rc)
		return rc;
	for (char *line = data, *next; line && *line; line = next) {
		char *nl = strchr(line, '\n');
		next = nl ? nl + 1 : NULL;
		if (nl)
			*nl = 0;
		size_t k = strlen(line);
		while (k && (line[k - 1] == '\r' || line[k - 1] == ' '))
			line[--k] = 0;
		if (k == 0 || line[0] == '#')
			continue;
		if (all_out) { /* stop characters: the first entry line */
			*all_out = strdup(line);
			break;
		}
		char **grown = realloc(wl->w, (wl->n + 1) * sizeof *grown);
		if (!grown || !(grown[wl->n] = strdup(line))) {
			free(grown ? grown : wl->w);
			wl->w = NULL;
			free(data);
			return of_error_set_oom();
		}
		wl->w = grown;
		wl->n++;
	}
	free(data);
	return 0;
}

static int cmp_fn(const void *a, const void *b)
{
	uint64_t x = ((const struct fnword *)a)->h, y = ((const struct fnword *)b)->h;
	return x < y ? -1 : x > y;
}

int of_lexicons__function(const of_lexicons *lx, const char *w, size_t len, uint32_t *cls)
{
	uint64_t h = of_xxh64(w, len, 0);
	size_t lo = 0, hi = lx->n_fn;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (lx->fn[mid].h == h) {
			*cls = lx->fn[mid].cls;
			return 1;
		}
		if (lx->fn[mid].h < h)
			lo = mid + 1;
		else
			hi = mid;
	}
	*cls = 0;
	return 0;
}

int of_lexicons__class_start(const of_lexicons *lx, int32_t cp)
{
	for (size_t k = 0; k < lx->n_class_first; k++)
		if (lx->class_first[k] == cp)
			return 1;
	return 0;
}

int of_lexicons__is_stop(const of_lexicons *lx, int32_t cp)
{
	char enc[5] = {0};
	if (cp < 0x80 || of_utf8_encode(cp, enc) <= 0)
		return 0;
	return strstr(lx->stop, enc) != NULL;
}

/* "声音好小 =直播声音小" files a complaint.txt or purchase.txt entry under a
 * topic, so that comments about one problem or need in different words make
 * one cluster. */
static int split_topics(of_lexicons *lx, int list)
{
	wordlist *c = &lx->l[list];
	lx->topic_of[list] = calloc(c->n + 1, 1);
	if (!lx->topic_of[list])
		return of_error_set_oom();
	for (size_t j = 0; j < c->n; j++) {
		char *eq = strstr(c->w[j], " =");
		size_t t = 0;
		if (!eq)
			continue;
		*eq = 0;
		while (t < lx->n_topics && strcmp(lx->topics[t], eq + 2) != 0)
			t++;
		if (t == lx->n_topics) {
			if (t == OF_MAX_TOPICS || !eq[2])
				return of_error_set(OF_EINVALID, "lexicons/%s: \"%s =%s\": an empty topic, or more than %d topics",
						    lx_files[list], c->w[j], eq + 2, OF_MAX_TOPICS);
			lx->topics[lx->n_topics++] = eq + 2;
		}
		lx->topic_of[list][j] = (uint8_t)(t + 1);
	}
	return 0;
}

const char *of_lexicons__topic(const of_lexicons *lx, unsigned topic)
{
	return topic >= 1 && topic <= lx->n_topics ? lx->topics[topic - 1] : NULL;
}

int of_lexicons__load(of_lexicons **out)
{
	of_lexicons *lx = calloc(1, sizeof *lx);
	int rc = 0;
	char rel[64];
	if (!lx)
		return of_error_set_oom();
	for (int i = 0; i < LX_COUNT && rc == 0; i++) {
		snprintf(rel, sizeof rel, "lexicons/%s", lx_files[i]);
		rc = load_list(&lx->l[i], rel, i == LX_STOP ? &lx->stop : NULL);
	}
	if (rc == 0 && !lx->stop)
		lx->stop = strdup("");
	if (rc == 0 && !lx->stop)
		rc = of_error_set_oom();
	if (rc == 0)
		rc = split_topics(lx, LX_COMPLAINT);
	if (rc == 0)
		rc = split_topics(lx, LX_PURCHASE);
	if (rc == 0) {
		const wordlist *f = &lx->l[LX_FUNCTION];
		lx->fn = malloc((f->n + 1) * sizeof *lx->fn);
		if (!lx->fn)
			rc = of_error_set_oom();
		for (size_t j = 0; rc == 0 && j < f->n; j++) {
			/* "word =class": words of one class stand for one content unit */
			const char *eq = strstr(f->w[j], " =");
			size_t wl = eq ? (size_t)(eq - f->w[j]) : strlen(f->w[j]);
			lx->fn[j].h = of_xxh64(f->w[j], wl, 0);
			lx->fn[j].cls = eq ? (uint32_t)((of_xxh64(eq + 2, strlen(eq + 2), 0) & 0x3FFFFFFFu) | 0x40000000u) : 0;
			int32_t first;
			if (eq && of_utf8_next(f->w[j], wl, &first) > 0) {
				size_t k = 0;
				while (k < lx->n_class_first && lx->class_first[k] != first)
					k++;
				if (k == lx->n_class_first && k < sizeof lx->class_first / sizeof *lx->class_first)
					lx->class_first[lx->n_class_first++] = first;
			}
		}
		if (rc == 0) {
			qsort(lx->fn, f->n, sizeof *lx->fn, cmp_fn);
			lx->n_fn = f->n;
		}
	}
	if (rc) {
		of_lexicons__free(lx);
		return rc;
	}
	*out = lx;
	return 0;
}

void of_lexicons__free(of_lexicons *lx)
{
	if (!lx)
		return;
	for (int i = 0; i < LX_COUNT; i++) {
		for (size_t j = 0; j < lx->l[i].n; j++)
			free(lx->l[i].w[j]);
		free(lx->l[i].w);
	}
	free(lx->stop);
	free(lx->fn);
	for (int i = 0; i < LX_COUNT; i++)
		free(lx->topic_of[i]);
	free(lx);
}

int of_normalizer__new(of_normalizer **out)
{
	of_normalizer *n = calloc(1, sizeof *n);
	if (!n)
		return of_error_set_oom();
	n->cp_state = calloc(0x110000, 1);
	if (!n->cp_state) {
		free(n);
		return of_error_set_oom();
	}
	n->cc = opencc_open("t2s.json");
	if (n->cc == (opencc_t)-1) {
		free(n->cp_state);
		free(n);
		return of_error_set(OF_ENOTFOUND, "OpenCC t2s.json not found (install libopencc-data): %s", opencc_error());
	}
	for (size_t i = 0; i < sizeof T2S_PHRASE_ONLY - 1;) {
		int32_t c;
		int k = of_utf8_next(T2S_PHRASE_ONLY + i, sizeof T2S_PHRASE_ONLY - 1 - i, &c);
		n->cp_state[c] = CP_CONVERTS;
		i += (size_t)(k > 0 ? k : 1);
	}
	*out = n;
	return 0;
}

/* Whether t2s could change `s`: true when one of its characters converts on its
 * own or inside a phrase. Conversion costs microseconds a text even when nothing
 * changes (OpenCC matches two dictionaries at every character), and most live
 * comments are simplified already. Each character is asked of OpenCC once. */
static int t2s_may_change(of_normalizer *nz, const char *s, size_t len)
{
	for (size_t i = 0; i < len;) {
		int32_t c;
		int k = of_utf8_next(s + i, len - i, &c);
		if (k <= 0)
			return 1; /* not expected after utf8proc: let OpenCC have it */
		if (nz->cp_state[c] == CP_UNKNOWN) {
			char *conv = opencc_convert_utf8(nz->cc, s + i, (size_t)k);
			if (!conv)
				return 1;
			nz->cp_state[c] = strlen(conv) == (size_t)k && memcmp(conv, s + i, (size_t)k) == 0 ? CP_INERT : CP_CONVERTS;
			opencc_convert_utf8_free(conv);
		}
		if (nz->cp_state[c] == CP_CONVERTS)
			return 1;
		i += (size_t)k;
	}
	return 0;
}

void of_normalizer__free(of_normalizer *n)
{
	if (!n)
		return;
	opencc_close(n->cc);
	free(n->cp_state);
	free(n);
}

static int is_punct_cp(int32_t cp)
{
	utf8proc_category_t c = utf8proc_category(cp);
	return (c >= UTF8PROC_CATEGORY_PC && c <= UTF8PROC_CATEGORY_PO) || of_utf8_is_cjk_punct(cp);
}

static int is_content_cp(int32_t cp)
{
	utf8proc_category_t c = utf8proc_category(cp);
	return (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO) || c == UTF8PROC_CATEGORY_ND ||
	       of_utf8_is_han(cp);
}

int of_lexicons__key_cp(const of_lexicons *lx, int32_t cp)
{
	return is_content_cp(cp) && (cp < 0x80 || !of_lexicons__is_stop(lx, cp));
}

/* Collapses repeats: a character run of 3+ becomes 2 (punctuation: 1); a unit of
 * 2-4 characters repeated becomes one (哈哈哈哈 → 哈哈, ？？？ → ？, 抽我抽我抽我 → 抽我). */
static size_t collapse(int32_t *cp, size_t n)
{
	size_t o = 0, i = 0;
	while (i < n) {
		size_t best_unit = 0, best_reps = 1;
		for (size_t u = 1; u <= 4 && i + u <= n; u++) {
			size_t reps = 1;
			while (i + (reps + 1) * u <= n && memcmp(cp + i, cp + i + reps * u, u * sizeof *cp) == 0)
				reps++;
			if (reps >= (u == 1 ? 3 : 2) && reps * u > best_reps * (best_unit ? best_unit : 1)) {
				best_unit = u;
				best_reps = reps;
			}
		}
		if (!best_unit) {
			cp[o++] = cp[i++];
			continue;
		}
		size_t keep = best_unit == 1 ? (is_punct_cp(cp[i]) ? 1 : 2) : 1;
		for (size_t k = 0; k < keep; k++)
			for (size_t j = 0; j < best_unit; j++)
				cp[o++] = cp[i + j];
		i += best_unit * best_reps;
	}
	return o;
}

/* Tokens that platforms write into a comment's text and that say nothing: each matcher returns
 * the length of its token at cp[i] (0 when none starts there). `cp` is case-folded. */

/* YouTube channel emotes as shortcodes (":_TechnoStare:", ":face-blue-smiling:"): 3-32 letters,
 * digits, '_' or '-' between colons, at least one letter (so "12:30:45" stays). */
static size_t shortcode_at(const int32_t *cp, size_t n, size_t i)
{
	size_t j = i + 1;
	int letter = 0;
	if (cp[i] != ':')
		return 0;
	while (j < n && j - i <= 33 &&
	       ((cp[j] >= 'a' && cp[j] <= 'z') || (cp[j] >= '0' && cp[j] <= '9') || cp[j] == '_' || cp[j] == '-')) {
		letter |= cp[j] >= 'a' && cp[j] <= 'z';
		j++;
	}
	return j < n && cp[j] == ':' && j - i - 1 >= 3 && j - i - 1 <= 32 && letter ? j + 1 - i : 0;
}

/* Douyin, Kuaishou, WeChat and bilibili stickers as a bracketed name ("[捂脸]", "[比心]", "[doge]",
 * "[tv_微笑]"): 1-6 Han characters, or 2-16 letters, digits and '_' mixed with Han, with at least
 * one letter or Han character. "[主播]" stays: answer.txt reads it as the host's prefix. */
static size_t sticker_at(const int32_t *cp, size_t n, size_t i)
{
	size_t j = i + 1, han = 0, other = 0, letter = 0;
	if (cp[i] != '[')
		return 0;
	while (j < n && j - i <= 17) {
		if (of_utf8_is_han(cp[j]))
			han++;
		else if ((cp[j] >= 'a' && cp[j] <= 'z') || cp[j] == '_' || (cp[j] >= '0' && cp[j] <= '9'))
			other++, letter += cp[j] >= 'a' && cp[j] <= 'z';
		else
			break;
		j++;
	}
	int name = j < n && cp[j] == ']' && (han || letter) &&
		   (other ? han + other >= 2 && han + other <= 16 : han >= 1 && han <= 6) &&
		   !(han == 2 && !other && cp[i + 1] == 0x4E3B /*主*/ && cp[i + 2] == 0x64AD /*播*/);
	return name ? j + 1 - i : 0;
}

/* Twitch cheermotes ("Cheer500 does it come in black?", "BibleThump100"): one of Twitch's cheer
 * names and digits as a whole word. The bits are the comment's weight already, and the token
 * would make each cheered wording of a question its own. */
static size_t cheermote_at(const int32_t *cp, size_t n, size_t i)
{
	static const char *const names[] = {"cheer", "biblethump", "cheerwhal", "corgo", "uni", "showlove", "party",
					    "seemsgood", "pride", "kappa", "frankerz", "heyguys", "dansgame", "elegiggle",
					    "trihard", "kreygasm", "4head", "swiftrage", "notlikethis", "failfish",
					    "vohiyo", "pjsalt", "mrdestructoid", "bday", "ripcheer", "shamrock", NULL};
	if (!(i == 0 || cp[i - 1] == ' ') || cp[i] >= 0x80)
		return 0;
	for (size_t k = 0; names[k]; k++) {
		size_t l = strlen(names[k]), j = 0, d;
		while (j < l && i + j < n && cp[i + j] == (unsigned char)names[k][j])
			j++;
		if (j < l)
			continue;
		for (d = i + l; d < n && cp[d] >= '0' && cp[d] <= '9'; d++)
			;
		if (d > i + l && (d == n || cp[d] == ' '))
			return d - i;
	}
	return 0;
}

/* Each token `at` finds becomes one space, like emoji (so a comment of them alone is empty);
 * runs of spaces stay single. Returns the new length. */
static size_t strip_tokens(int32_t *cp, size_t n, size_t (*at)(const int32_t *, size_t, size_t))
{
	size_t o = 0;
	for (size_t i = 0; i < n;) {
		size_t k = at(cp, n, i);
		if (k) {
			if (o && cp[o - 1] != ' ')
				cp[o++] = ' ';
			i += k;
			while (i < n && cp[i] == ' ' && o && cp[o - 1] == ' ')
				i++;
			continue;
		}
		if (!(cp[i] == ' ' && (o == 0 || cp[o - 1] == ' ')))
			cp[o++] = cp[i];
		i++;
	}
	while (o && cp[o - 1] == ' ')
		o--;
	return o;
}

char *of_normalize__text(of_normalizer *nz, const char *text, size_t len)
{
	utf8proc_uint8_t *nf = NULL;
	utf8proc_ssize_t r;
	char *s, *conv = NULL;
	int32_t *cp;
	size_t n = 0, i = 0, han = 0;
	of_buf b;
	r = utf8proc_map((const utf8proc_uint8_t *)text, (utf8proc_ssize_t)len, &nf,
			 UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_IGNORE |
				 UTF8PROC_STRIPCC);
	if (r < 0)
		return strdup("");
	s = (char *)nf;
	/* Lead bytes of U+3000..U+9FFF, and of planes 1-3: OpenCC also converts
	 * some 350 characters of CJK extensions B-F (U+2005E 𠁞 → U+2003E 𠀾). */
	for (const unsigned char *p = nf; *p; p++)
		han += (*p >= 0xE3 && *p <= 0xE9) || *p == 0xF0;
	if (han && nz && t2s_may_change(nz, s, (size_t)r)) { /* traditional → simplified */
		conv = opencc_convert_utf8(nz->cc, s, (size_t)r);
		if (conv) {
			free(nf);
			s = strdup(conv);
			opencc_convert_utf8_free(conv);
			if (!s)
				return NULL;
			r = (utf8proc_ssize_t)strlen(s);
		}
	}
	cp = malloc(((size_t)r + 1) * sizeof *cp);
	if (!cp) {
		free(s);
		return NULL;
	}
	while (i < (size_t)r) {
		int32_t c;
		int k = of_utf8_next(s + i, (size_t)r - i, &c);
		if (k < 0)
			k = 1;
		i += (size_t)k;
		if (c == '\t' || c == '\n' || c == 0x3000)
			c = ' ';
		if (c == ' ' && (n == 0 || cp[n - 1] == ' '))
			continue;
		cp[n++] = c;
	}
	while (n && cp[n - 1] == ' ')
		n--;
	if (memchr(s, ':', (size_t)r))
		n = strip_tokens(cp, n, shortcode_at);
	if (memchr(s, '[', (size_t)r))
		n = strip_tokens(cp, n, sticker_at);
	n = strip_tokens(cp, n, cheermote_at);
	n = collapse(cp, n);
	of_buf_init(&b, (size_t)r * 2 + 16);
	for (i = 0; i < n; i++) {
		char enc[4];
		int k = of_utf8_encode(cp[i], enc);
		of_buf_append(&b, enc, (size_t)k);
	}
	free(cp);
	free(s);
	return of_buf_detach(&b, NULL);
}

static int is_word_byte(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

/* Entries that start and end with an ASCII letter match whole words only
 * ("pls" is not in "doctorLeMonkePls"); CJK entries match anywhere. */
static const char *find_entry(const char *s, const char *w)
{
	size_t k = strlen(w);
	int word = k && is_word_byte(w[0]) && is_word_byte(w[k - 1]);
	for (const char *p = strstr(s, w); p; p = strstr(p + 1, w)) {
		if (!word || ((p == s || !is_word_byte(p[-1])) && !is_word_byte(p[k])))
			return p;
	}
	return NULL;
}

static int contains_any(const wordlist *wl, const char *s)
{
	for (size_t i = 0; i < wl->n; i++)
		if (find_entry(s, wl->w[i]))
			return 1;
	return 0;
}

/* Copy of `s` with every occurrence of the list's entries blanked out, as
 * find_entry finds them: an English entry only as whole words ("how much i"
 * must not blank the start of "how much is it"). */
static char *blank_out(const wordlist *wl, const char *s)
{
	char *c = strdup(s);
	if (!c)
		return NULL;
	for (size_t i = 0; i < wl->n; i++) {
		size_t k = strlen(wl->w[i]);
		for (char *p = (char *)find_entry(c, wl->w[i]); p; p = (char *)find_entry(p + k, wl->w[i]))
			memset(p, ' ', k);
	}
	return c;
}

/* Index of the first entry of `wl` (in file order) that `s` holds once the
 * entries of `except` are blanked out ("打卡了" holds 卡了 only inside 打卡):
 * >= 0, -1 none, -2 out of memory. */
static long first_but(const wordlist *wl, const wordlist *except, const char *s)
{
	long hit = -1;
	if (!contains_any(wl, s))
		return -1;
	char *b = blank_out(except, s);
	if (!b)
		return -2;
	for (size_t i = 0; i < wl->n && hit < 0; i++)
		if (find_entry(b, wl->w[i]))
			hit = (long)i;
	free(b);
	return hit;
}

/* Does `s` hold an entry of `wl` once the entries of `except` are blanked out?
 * 1 yes, 0 no, -1 out of memory. */
static int contains_but(const wordlist *wl, const wordlist *except, const char *s)
{
	long i = first_but(wl, except, s);
	return i >= 0 ? 1 : i == -1 ? 0 : -1;
}

static int equals_any(const wordlist *wl, const char *s)
{
	for (size_t i = 0; i < wl->n; i++)
		if (strcmp(s, wl->w[i]) == 0)
			return 1;
	return 0;
}

static int starts_any(const wordlist *wl, const char *s)
{
	for (size_t i = 0; i < wl->n; i++)
		if (strncmp(s, wl->w[i], strlen(wl->w[i])) == 0)
			return 1;
	return 0;
}

/* The content characters of an answer.txt entry ("主播:" → "主播", "【主播】" → "主播") into
 * `out` (size n); the key of a comment holds only content characters. */
static size_t answer_word(const char *entry, char *out, size_t n)
{
	size_t o = 0, len = strlen(entry);
	for (size_t i = 0; i < len;) {
		int32_t c;
		int k = of_utf8_next(entry + i, len - i, &c);
		if (k <= 0)
			break;
		if (is_content_cp(c) && o + (size_t)k < n) {
			memcpy(out + o, entry + i, (size_t)k);
			o += (size_t)k;
		}
		i += (size_t)k;
	}
	out[o] = 0;
	return o;
}

size_t of_lexicons__answer_prefix(const of_lexicons *lx, const char *key)
{
	size_t best = 0;
	for (size_t i = 0; i < lx->l[LX_ANSWER].n; i++) {
		char w[64];
		size_t n = answer_word(lx->l[LX_ANSWER].w[i], w, sizeof w);
		if (n > best && strncasecmp(key, w, n) == 0)
			best = n;
	}
	return best;
}

int of_lexicons__in_answer_word(const of_lexicons *lx, const char *s, size_t len)
{
	for (size_t i = 0; i < lx->l[LX_ANSWER].n; i++) {
		char w[64];
		if (answer_word(lx->l[LX_ANSWER].w[i], w, sizeof w) >= len && memmem(w, strlen(w), s, len))
			return 1;
	}
	return 0;
}

/* A platform event flattened into the comment column (event.txt): the whole
 * comment, or the whole comment after one leading word (the viewer's name), is
 * an entry; "<名> " entries only after the name. An entry ending in "…" takes a
 * rest that is a separate word or ends in a count ("送出了 小心心 ×1",
 * "送给主播玫瑰x3"), not a question ("送出了吗"). */
static int platform_event(const wordlist *wl, const char *s)
{
	static const char ell[] = "…", named[] = "<名> ";
	const size_t el = sizeof ell - 1, nl = sizeof named - 1;
	const char *sp = strchr(s, ' ');
	const char *cand[2] = {s, sp ? sp + 1 : NULL};
	for (int k = 0; k < 2 && cand[k]; k++) {
		const char *t = cand[k];
		size_t tl = strlen(t);
		if (tl < 3)
			continue;
		for (size_t i = 0; i < wl->n; i++) {
			const char *w = wl->w[i];
			size_t l = strlen(w);
			if (strncmp(w, named, nl) == 0) {
				if (k == 0)
					continue;
				w += nl;
				l -= nl;
			}
			if (l < 3 || memcmp(t, w, 3) != 0) /* every entry starts with a Han character */
				continue;
			if (l > el && memcmp(w + l - el, ell, el) == 0) {
				l -= el;
				if (tl > l && memcmp(t, w, l) == 0 && (t[l] == ' ' || (t[tl - 1] >= '0' && t[tl - 1] <= '9')))
					return 1;
			} else if (strcmp(t, w) == 0) {
				return 1;
			}
		}
	}
	return 0;
}

/* English: a two-word opener ("what is", "how do") at a word boundary, in a comment of 3+ words. */
static int english_question(const wordlist *wl, const char *s)
{
	int words = 1;
	for (const char *p = s; *p; p++)
		words += *p == ' ';
	return words >= 3 && contains_any(wl, s);
}

/* Made only of echo tokens ("同问+1", "+1+1", "蹲一个答案")? */
static int is_echo(const wordlist *wl, const char *norm)
{
	char buf[256];
	size_t n = 0;
	const char *p = norm;
	for (size_t i = 0; norm[i] && n + 4 < sizeof buf;) {
		int32_t c;
		int k = of_utf8_next(norm + i, strlen(norm + i), &c);
		if (k < 0)
			return 0;
		if (c == '+' || c == '^' || is_content_cp(c) || (c == ' ' && n && buf[n - 1] != ' ')) {
			memcpy(buf + n, norm + i, (size_t)k);
			n += (size_t)k;
		}
		i += (size_t)k;
	}
	while (n && buf[n - 1] == ' ')
		n--;
	buf[n] = 0;
	if (n == 0)
		return 0;
	p = buf;
	while (*p) {
		size_t best = 0;
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		for (size_t i = 0; i < wl->n; i++) {
			size_t k = strlen(wl->w[i]);
			if (k > best && strncmp(p, wl->w[i], k) == 0)
				best = k;
		}
		if (!best)
			return 0;
		p += best;
	}
	return 1;
}

/* A mainland mobile number (1[3-9] + 9 digits) or any run of 8+ digits with a contact word. */
static int has_phone(const char *s)
{
	size_t run = 0;
	const char *start = NULL;
	for (const char *p = s;; p++) {
		if (*p >= '0' && *p <= '9') {
			if (!run)
				start = p;
			run++;
			continue;
		}
		if (run == 11 && start[0] == '1' && start[1] >= '3' && start[1] <= '9')
			return 1;
		if (run >= 8 && (strstr(s, "电话") || strstr(s, "手机") || strstr(s, "tel")))
			return 1;
		run = 0;
		if (!*p)
			break;
	}
	return 0;
}

/* "wx123456", "v:baby_888", "vx：abc", "qq 12345678": a contact id being handed out. */
static int has_contact(const char *s)
{
	static const char *keys[] = {"wx", "vx", "v:", "v信", "微信", "威信", "qq", "薇", NULL};
	for (const char **k = keys; *k; k++) {
		const char *p = strstr(s, *k);
		while (p) {
			const char *q = p + strlen(*k);
			while (*q == ' ' || *q == ':' || *q == '-')
				q++;
			int id = 0;
			while ((*q >= '0' && *q <= '9') || (*q >= 'a' && *q <= 'z') || *q == '_') {
				id++;
				q++;
			}
			if (id >= 5)
				return 1;
			p = strstr(p + 1, *k);
		}
	}
	return 0;
}

static int all_laughter(const int32_t *cp, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strchr("h23", cp[i] < 128 ? (int)cp[i] : 'x') && cp[i] != 0x54C8 /*哈*/ && cp[i] != 0x5475 /*呵*/ &&
		    cp[i] != 0x563F /*嘿*/ && cp[i] != 0x563B /*嘻*/ && cp[i] != 0x554A /*啊*/)
			return 0;
	return 1;
}

static int ascii_only(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return 0;
	return 1;
}

/* Length of `s` without trailing dots, spaces, tildes, 。 and … (for sentence-final particles). */
static size_t trim_end(const char *s, size_t k)
{
	for (;;) {
		if (k && (s[k - 1] == '.' || s[k - 1] == ' ' || s[k - 1] == '~'))
			k--;
		else if (k >= 3 && (memcmp(s + k - 3, "\xE3\x80\x82", 3) == 0 || memcmp(s + k - 3, "\xE2\x80\xA6", 3) == 0 ||
				    memcmp(s + k - 3, "\xE3\x80\x81", 3) == 0))
			k -= 3;
		else
			return k;
	}
}

static int ends_with(const char *s, size_t k, const char *suffix)
{
	size_t n = strlen(suffix);
	return k >= n && memcmp(s + k - n, suffix, n) == 0;
}

/* Copy of `s` with quoted spans blanked out, quote marks included: “…”, ‘…’,
 * 「…」, 『…』, 《…》 and "…". An interrogative inside quotes is a line being
 * repeated (a lyric, a meme, a title), not the viewer's own question. An
 * unclosed quote runs to the end; a lone ’ is an apostrophe ("don’t"). */
static char *blank_quoted(const char *s)
{
	static const char *pairs[][2] = {{"\xE2\x80\x9C", "\xE2\x80\x9D"}, {"\xE2\x80\x98", "\xE2\x80\x99"},
					 {"\xE3\x80\x8C", "\xE3\x80\x8D"}, {"\xE3\x80\x8E", "\xE3\x80\x8F"},
					 {"\xE3\x80\x8A", "\xE3\x80\x8B"}, {"\"", "\""}};
	char *c = strdup(s);
	if (!c)
		return NULL;
	for (char *p = c; *p; p++) {
		for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
			size_t ko = strlen(pairs[i][0]), kc = strlen(pairs[i][1]);
			if (strncmp(p, pairs[i][0], ko) != 0)
				continue;
			char *end = strstr(p + ko, pairs[i][1]);
			end = end ? end + kc : p + strlen(p);
			memset(p, ' ', (size_t)(end - p));
			p = end - 1;
			break;
		}
		if (!*p)
			break;
	}
	return c;
}

static int has_han(const char *s)
{
	for (size_t i = 0, n = strlen(s); i < n;) {
		int32_t c;
		int k = of_utf8_next(s + i, n - i, &c);
		if (k < 0)
			return 0;
		if (of_utf8_is_han(c))
			return 1;
		i += (size_t)k;
	}
	return 0;
}

/* Does `s` (up to byte k) end with laughter ("哈哈", "hh", "233", "lol", "lul", …)? */
static int ends_laughing(const of_lexicons *lx, const char *s, size_t k)
{
	while (k && (s[k - 1] == '?' || s[k - 1] == ' '))
		k--;
	for (size_t i = 0; i < lx->l[LX_LAUGHTER].n; i++) {
		const char *w = lx->l[LX_LAUGHTER].w[i];
		size_t n = strlen(w);
		if (k >= n && memcmp(s + k - n, w, n) == 0 && (!is_word_byte(w[0]) || k == n || !is_word_byte(s[k - n - 1])))
			return 1;
	}
	return 0;
}

/* A correlative pair: the same question word twice, joined by 就/都/是
 * ("挖几次就看几次", "想吃什么就吃什么", "谁是谁"), reads as "whatever/whoever",
 * a statement, not a question. */
/* 怎么 + one or two characters + 都/也 is "no matter how" ("怎么吃都吃不够",
 * "怎么洗也洗不掉"), not a question: blanked in `b` like nonquestion.txt's
 * entries (怎么都 and 怎么也 are there). */
static void blank_no_matter_how(char *b)
{
	for (char *p = strstr(b, "怎么"); p; p = strstr(p + 6, "怎么")) {
		const char *q = p + 6;
		for (int n = 0; n < 2; n++) {
			int32_t c;
			int k = of_utf8_next(q, strlen(q), &c);
			if (k <= 0 || !of_utf8_is_han(c) || c == 0x529E /*办*/ || c == 0x6837 /*样*/)
				break;
			q += k;
			if (strncmp(q, "都", 3) == 0 || strncmp(q, "也", 3) == 0) {
				memset(p, ' ', 6);
				break;
			}
		}
	}
}

static int correlative(const char *s)
{
	static const char *qw[] = {"\xE8\xB0\x81" /*谁*/, "\xE4\xBB\x80\xE4\xB9\x88" /*什么*/,
				   "\xE5\x93\xAA" /*哪*/, "\xE5\x87\xA0" /*几*/,
				   "\xE5\xA4\x9A\xE5\xB0\x91" /*多少*/, "\xE6\x80\x8E\xE4\xB9\x88" /*怎么*/,
				   "\xE5\x95\xA5" /*啥*/, NULL};
	static const char *links[] = {"\xE5\xB0\xB1" /*就*/, "\xE9\x83\xBD" /*都*/, NULL};
	for (const char **w = qw; *w; w++) {
		size_t k = strlen(*w);
		const char *p = strstr(s, *w), *q, *m;
		int how = strcmp(*w, "怎么") == 0;
		if (!p || !(q = strstr(p + k, *w)) || memchr(p, '?', (size_t)(q - p)))
			continue;
		/* 怎么 pairs only with 就 ("怎么舒服就怎么来"); "宝宝怎么喂都不吃怎么办" is
		 * "no matter how", then a real question */
		if (how && (strncmp(q + k, "办", 3) == 0 || strncmp(q + k, "样", 3) == 0 || strncmp(q + k, "回事", 6) == 0))
			continue;
		for (const char **l = links; *l && !(how && l > links); l++) {
			const char *j = strstr(p + k, *l);
			if (j && j < q)
				return 1;
		}
		/* "谁是谁", "哪个是哪个" (but "哪个是姐姐哪个是妹妹" asks) */
		m = p + k;
		if (strncmp(m, "\xE4\xB8\xAA", 3) == 0) /*个*/
			m += 3;
		if (strncmp(m, "\xE6\x98\xAF", 3) == 0 && m + 3 == q) /*是*/
			return 1;
	}
	return 0;
}

/* A final 呢 after a degree word ("好可爱呢", "真好听呢", "你很棒棒呢") is a
 * cooing ending, not the "where is X?" of "弹幕呢". `b` ends with 呢 (after
 * trailing blanks); the degree word is one of the three characters before it.
 * Every character compared is a 3-byte Han sequence, so a match is aligned. */
static int degree_ne(const char *b)
{
	static const char *deg[] = {"\xE5\xA5\xBD" /*好*/, "\xE7\x9C\x9F" /*真*/, "\xE5\xBE\x88" /*很*/,
				    "\xE5\xA4\xAA" /*太*/, "\xE6\x8C\xBA" /*挺*/, "\xE8\xB6\x85" /*超*/,
				    "\xE8\x9B\xAE" /*蛮*/, NULL};
	size_t k = trim_end(b, strlen(b));
	for (size_t j = 1; j <= 3 && k >= 3 + 3 * j; j++)
		for (const char **d = deg; *d; d++)
			if (memcmp(b + k - 3 - 3 * j, *d, 3) == 0)
				return 1;
	return 0;
}

/* Is code point `c` one of the characters of the UTF-8 string `set`? (A UTF-8
 * sequence cannot start inside another one, so a substring match is aligned.) */
static int cp_in(int32_t c, const char *set)
{
	char enc[5] = {0};
	return c > 0 && of_utf8_encode(c, enc) > 0 && strstr(set, enc) != NULL;
}

/* The code points of s[0..len) other than spaces, at most `max` of them, into
 * `cp`; their count, or -1 on invalid UTF-8. `*used` gets the bytes read (less
 * than len when the text had more than `max`). */
static long code_points(const char *s, size_t len, int32_t *cp, size_t max, size_t *used)
{
	size_t n = 0, at = 0;
	while (at < len && n < max) {
		int32_t c;
		int k = of_utf8_next(s + at, len - at, &c);
		if (k < 0)
			return -1;
		if (c != ' ')
			cp[n++] = c;
		at += (size_t)k;
	}
	*used = at;
	return (long)n;
}

/* A yes/no question answered in the same comment ("好吃吗？好吃", "哭了吗？哭了",
 * "学会了吗？学废了", "你爱我吗？不爱", "是男孩子吗？是的"): the viewer plays
 * both parts of a joke, nobody is asked. The answer is short (1 to 4
 * characters, all Han), asks nothing itself (no question word, no A不A), and
 * starts with (不/没 and) one of the last four characters before 吗/么. `s` is
 * the normalised comment ('?' for '？'). */
static int self_answered(const char *s)
{
	const char *qm = strchr(s, '?');
	int32_t q[64], a[8];
	size_t nq, na = 0, i, len;
	long got;
	if (!qm || (got = code_points(s, (size_t)(qm - s), q, 64, &i)) < 0) /* the question, up to its 64th character */
		return 0;
	nq = (size_t)got;
	if (nq < 2 || (q[nq - 1] != 0x5417 /*吗*/ && q[nq - 1] != 0x4E48 /*么*/))
		return 0;
	nq--;
	for (i = (size_t)(qm - s), len = strlen(s); i < len;) {
		int32_t c;
		int k = of_utf8_next(s + i, len - i, &c);
		if (k < 0)
			return 0;
		i += (size_t)k;
		if (c == '?' || c == ' ' || c == '.' || c == ',' || c == '~')
			continue;
		if (!of_utf8_is_han(c) || na == 4 ||
		    cp_in(c, "\xE5\x90\x97\xE4\xB9\x88\xE5\x91\xA2\xE5\x95\xA5\xE8\xB0\x81\xE5\x93\xAA\xE5\x87\xA0"
			     "\xE6\x80\x8E\xE4\xBB\x80" /*吗么呢啥谁哪几怎什*/))
			return 0;
		a[na++] = c;
	}
	if (!na)
		return 0;
	for (size_t j = 1; j + 1 < na; j++)
		if ((a[j] == 0x4E0D /*不*/ || a[j] == 0x6CA1 /*没*/) && a[j - 1] == a[j + 1])
			return 0; /* "要加盐吗？要不要": asked again, A不A */
	size_t first = (na >= 2 && (a[0] == 0x4E0D /*不*/ || a[0] == 0x6CA1 /*没*/)) ? 1 : 0;
	for (size_t j = nq >= 4 ? nq - 4 : 0; j < nq; j++)
		if (q[j] == a[first])
			return 1;
	return 0;
}

/* "试试酷不酷", "看看合不合适", "瞧瞧帅不帅": A不A after a doubled verb of
 * trying or looking is what the speaker will find out, said as a plan or
 * asked of the host to do, not a question to the room. */
static int try_and_see(const int32_t *cp, size_t a)
{
	return a >= 2 && cp[a - 1] == cp[a - 2] &&
	       (cp[a - 1] == 0x8BD5 /*试*/ || cp[a - 1] == 0x770B /*看*/ || cp[a - 1] == 0x77A7 /*瞧*/);
}

/* Yes/no and number questions that live-sale viewers type without '?' and
 * without a question word of question.txt (round 5, found on the written
 * training set's live-sale comments, all missed before):
 * - A不A / A没A / A唔A: "含不含蔗糖", "学饮杯漏不漏水", "去没去过", "系唔系进口"
 *   (not 爱A不A, "take it or leave it");
 * - A还是B: "宝宝20斤穿M还是L", "是鸭绒还是鹅绒";
 * - a final 么/咩/不/没 after a verb phrase: "孕妇能吃么", "能用咩",
 *   "湿巾含酒精不", "发货了没" (not 这么/那么/多么, 才不/我不, 还没/都没);
 * - 几 before a measure word: "几段的", "煮几分钟", "一箱有几包" (not 几乎,
 *   nor 这几天/那几个 "these few"; 好几/十几 were blanked already).
 * `b` is the comment after nonquestion.txt was blanked out; a long comment is
 * read up to its 256th character. */
static int yesno_or_number(const char *b, int trailing_dots)
{
	int32_t cp[256];
	size_t n, len = strlen(b), at;
	long got = code_points(b, len, cp, sizeof cp / sizeof cp[0], &at);
	if (got < 0)
		return 0;
	n = (size_t)got;
	if (at < len)
		trailing_dots = 1; /* cut short: its last character is not the comment's */
	while (n && cp[n - 1] == '?')
		n--;
	if (n && cp[n - 1] == 0x5427 /*吧*/)
		return 0; /* "你就说帅不帅吧": a dare, not a question */
	if (n >= 2 && cp[n - 1] == 0x5462 /*呢*/ && cp[n - 2] == 0x4E86 /*了*/)
		return 0; /* "一转眼几年过去了呢": musing */
	for (size_t i = 1; i + 1 < n; i++)
		if ((cp[i] == 0x4E0D /*不*/ || cp[i] == 0x6CA1 /*没*/ || cp[i] == 0x5514 /*唔 (Cantonese)*/) &&
		    cp[i - 1] == cp[i + 1] && of_utf8_is_han(cp[i - 1]) &&
		    cp[i - 1] != 0x4E0D && !try_and_see(cp, i - 1) &&
		    !(i >= 2 && cp[i - 2] == 0x7231 /*爱*/)) /* "爱买不买", "爱信不信": take it or leave it */
			return 1;
	/* A还是B: "穿M还是L", "是鸭绒还是鹅绒", "晚上用还是白天用"; not the adverb 还是
	 * ("但还是", "但是还是要说", "我还是觉得", "还是不行", "还是一样", "了还是哭") */
	/* "是新包装还是老包装": a clause opening with 是 frames the choice, so what
	 * follows 还是 is the other alternative even when it could start an adverb
	 * phrase (还是老样子) */
	int framed = n > 3 && (cp[0] == 0x662F /*是*/ || (cp_in(cp[0], "这那它") && cp[1] == 0x662F));
	for (size_t i = 1; i + 2 < n; i++)
		if (cp[i] == 0x8FD8 /*还*/ && cp[i + 1] == 0x662F /*是*/ &&
		    (framed ? i >= 2 + (cp[0] != 0x662F) :
		    !cp_in(cp[i - 1], "\xE4\xBD\x86\xE5\x8F\xAF\xE6\x88\x91\xE4\xBD\xA0\xE4\xBB\x96\xE5\xA5\xB9"
				      "\xE5\xAE\x83\xE5\x8D\xB4\xE4\xB9\x9F\xE9\x83\xBD\xE5\x80\x92\xE5\xB0\xB1"
				      "\xE8\xBF\x98\xE4\xBA\x86\xE6\x98\xAF" /*但可我你他她它却也都倒就还了是*/) &&
		    !cp_in(cp[i + 2], "\xE5\xBE\x88\xE6\x8C\xBA\xE5\xA4\xAA\xE8\xA7\x89\xE6\x83\xB3\xE4\xB8\x8D"
				      "\xE6\xB2\xA1\xE9\x82\xA3\xE8\xBF\x99\xE4\xBC\x9A\xE6\x9C\x89\xE5\x9C\xA8"
				      "\xE5\xBE\x97\xE5\x85\x88\xE7\xAE\x97\xE8\x80\x81" /*很挺太觉想不没那这会有在得先算老*/) &&
		    !(cp[i + 2] == 0x4E00 /*一*/ && i + 3 < n && (cp[i + 3] == 0x6837 /*样*/ || cp[i + 3] == 0x5982 /*如*/))))
			return 1;
	/* 几 before a measure word, or a Latin unit ("几ml的", "几g") */
	for (size_t i = 0; i + 1 < n; i++)
		if (cp[i] == 0x51E0 /*几*/ &&
		    (of_utf8_is_han(cp[i + 1]) || (cp[i + 1] >= 'a' && cp[i + 1] <= 'z')) && cp[i + 1] != 0x4E4E /*乎*/ &&
		    !(i > 0 && cp_in(cp[i - 1], "\xE8\xBF\x99\xE9\x82\xA3\xE5\x89\x8D\xE5\x90\x8E\xE8\x8C\xB6" /*这那前后茶*/)))
			return 1;
	if (n >= 3 && !trailing_dots) { /* "杨坤么。。", "能再多点么。。": trailing off, not asking */
		int32_t last = cp[n - 1], prev = cp[n - 2];
		if (last == 0x54A9 /*咩*/)
			return 1;
		/* 嘛 for 吗 after a modal ("敏感肌可以用嘛", "孕妇能吃嘛"); not 干嘛, 好嘛, 是嘛, 就是嘛 */
		if (last == 0x561B /*嘛*/ && !cp_in(prev, "\xE5\xB9\xB2\xE5\xA5\xBD\xE6\x98\xAF\xE5\xAF\xB9" /*干好是对*/)) {
			for (size_t i = 0; i + 2 < n; i++)
				if (cp[i] == 0x80FD /*能*/ || (cp[i] == 0x53EF /*可*/ && cp[i + 1] == 0x4EE5 /*以*/) ||
				    (cp[i] == 0x9002 /*适*/ && cp[i + 1] == 0x5408 /*合*/))
					return 1;
		}
		if (last == 0x4E48 /*么*/ &&
		    !cp_in(prev, "\xE4\xBB\x80\xE6\x80\x8E\xE8\xBF\x99\xE9\x82\xA3\xE5\xA4\x9A\xE8\xA6\x81\xE5\xB9\xB2" /*什怎这那多要干*/))
			return 1;
		if (last == 0x4E0D /*不*/ &&
		    !cp_in(prev, "\xE6\x89\x8D\xE4\xB9\x9F\xE5\xB0\xB1\xE9\x83\xBD\xE5\x81\x8F\xE7\xBB\x9D\xE5\xB9\xB6"
				 "\xE5\x86\xB3\xE6\x88\x91\xE8\xA6\x81\xE8\xBF\x98\xE5\x8F\x88" /*才也就都偏绝并决我要还又*/))
			return 1;
		if (last == 0x6CA1 /*没*/ &&
		    !cp_in(prev, "\xE8\xBF\x98\xE9\x83\xBD\xE4\xB9\x9F\xE5\xB9\xB6\xE6\x88\x91\xE5\x8F\x88" /*还都也并我又*/))
			return 1;
	}
	return 0;
}

/* A wh-question ("宝宝几个月可以吃蛋黄", "米粉能放多久", "哪种能用"): its
 * answer is a time, an amount or a choice, so it is not the yes/no belief of
 * myth.txt's forms even when it holds one (可以吃, 能放). 几 counts before a
 * Han character (not 几乎, 这几/那几/好几 "a few"). */
static int asks_wh(const char *s)
{
	static const char *const w[] = {"什么", "啥", "怎么", "怎样", "如何", "为什么", "为啥", "多少",
					"多久", "多大", "多长", "哪", "谁"};
	for (size_t i = 0; i < sizeof w / sizeof w[0]; i++)
		if (strstr(s, w[i]))
			return 1;
	for (const char *p = strstr(s, "几"); p; p = strstr(p + 3, "几")) {
		int32_t next;
		if (of_utf8_next(p + 3, strlen(p + 3), &next) > 0 && of_utf8_is_han(next) && next != 0x4E4E /*乎*/ &&
		    !(p - s >= 3 && (memcmp(p - 3, "这", 3) == 0 || memcmp(p - 3, "那", 3) == 0 || memcmp(p - 3, "好", 3) == 0)))
			return 1;
	}
	return 0;
}

/* A yes/no question about a belief (myth.txt: 要加盐吗, 是不是…就会, 会不会营养流失), which a
 * myth-busting post answers, not a suitability one (myth_not.txt: 敏感肌能用吗, 孕妇可以喝吗,
 * 油皮用会不会闷痘: whether one group of people can use, eat or drink it, which a Q&A post answers),
 * unless the viewer states or reports the belief ("是不是孕妇不能喝", "听说孕妇不能喝白茶，是真的吗"). */
static int is_belief(const of_lexicons *lx, const char *norm)
{
	static const char *const reported[] = {"是不是", "听说", "据说", "都说", "网上说", "不是说", "是真的", "真的吗", "真的假的"};
	if (!contains_any(&lx->l[LX_MYTH], norm))
		return 0;
	if (!contains_any(&lx->l[LX_MYTH_NOT], norm))
		return 1;
	for (size_t k = 0; k < sizeof reported / sizeof *reported; k++)
		if (strstr(norm, reported[k]))
			return 1;
	return 0;
}

/* Asks an age or a duration: 多久, 多大, 几个月, 几岁 (not 第几: "第几次了" counts
 * aloud; not 多少 nor 哪: "废掉多少人啊", "时间都去哪了" exclaim and lament). */
static int asks_number(const char *s)
{
	static const char *w[] = {"\xE5\xA4\x9A\xE4\xB9\x85" /*多久*/, "\xE5\xA4\x9A\xE5\xA4\xA7" /*多大*/,
				  "\xE5\x87\xA0\xE4\xB8\xAA\xE6\x9C\x88" /*几个月*/, "\xE5\x87\xA0\xE5\xB2\x81" /*几岁*/,
				  NULL};
	for (const char **p = w; *p; p++)
		if (strstr(s, *p))
			return 1;
	/* 几个 counts things ("主播几个孩子了"); 第几个 counts aloud, 好几个 / 十几个 /
	 * 这几个 are "several" and "these few" */
	for (const char *q = s; (q = strstr(q, "几个")) != NULL; q += 3)
		if (q == s || !(strncmp(q - 3, "第", 3) == 0 || strncmp(q - 3, "好", 3) == 0 || strncmp(q - 3, "十", 3) == 0 ||
				strncmp(q - 3, "这", 3) == 0 || strncmp(q - 3, "那", 3) == 0))
			return 1;
	return 0;
}

/* Asks what something means: 什么意思, 啥意思, 什么梗, 啥梗, "what does X mean".
 * The thing asked about is often a laugh ("233是什么意思", "what does KEKW
 * mean") and the asker may soften it with 啊, so neither makes it a reaction. */
static int asks_meaning(const char *s)
{
	static const char *w[] = {"\xE4\xBB\x80\xE4\xB9\x88\xE6\x84\x8F\xE6\x80\x9D" /*什么意思*/,
				  "\xE5\x95\xA5\xE6\x84\x8F\xE6\x80\x9D" /*啥意思*/,
				  "\xE4\xBB\x80\xE4\xB9\x88\xE6\xA2\x97" /*什么梗*/, "\xE5\x95\xA5\xE6\xA2\x97" /*啥梗*/, NULL};
	for (const char **p = w; *p; p++)
		if (strstr(s, *p))
			return 1;
	size_t k = trim_end(s, strlen(s));
	while (k && s[k - 1] == '?')
		k--;
	return strncmp(s, "what does ", 10) == 0 && k >= 15 && memcmp(s + k - 5, " mean", 5) == 0;
}

/* "我150斤能穿下吗", "推车多重啊 我一个人能拎上楼吗", "我老公也能一起用不": a
 * last clause that opens with 我 and holds a modal (能, 可以) before a final 吗 /
 * 不 asks whether the speaker may or can. Not "这是我能看的吗" (我 is not the
 * subject: a meme), "我还能活吗" (还能 laments), "我能说什么" (no yes/no). */
static int first_person_asks(const char *s, size_t n)
{
	const char *c = s, *m, *k;
	while (n && s[n - 1] == '?')
		n--;
	if (n < 3 || !(memcmp(s + n - 3, "吗", 3) == 0 || memcmp(s + n - 3, "不", 3) == 0))
		return 0;
	for (const char *p = s; p < s + n; p++) /* the last clause */
		if (*p == ' ' || *p == ',')
			c = p + 1;
	/* "我是敏感肌，能用吗": the viewer describes themself, then asks with a modal */
	if (c > s && (strncmp(c, "能", 3) == 0 || strncmp(c, "可以", 6) == 0 || strncmp(c, "适合", 6) == 0))
		return 1;
	if (strncmp(c, "我", 3) != 0 || strncmp(c, "我家", 6) == 0)
		return 0;
	m = strstr(c, "能");
	k = strstr(c, "可以");
	if (m && (!k || m < k))
		k = m;
	m = strstr(c, "适合"); /* "我40岁了适合用吗" */
	if (m && (!k || m < k))
		k = m;
	return k && k < s + n - 3 && strncmp(k - 3, "还", 3) != 0;
}

/* An A不A / A没A form ("会不会", "有没有"): a yes/no question in any clause. */
static int a_not_a(const char *s)
{
	int32_t cp[256];
	size_t at;
	long n = code_points(s, strlen(s), cp, sizeof cp / sizeof cp[0], &at);
	for (long i = 1; i + 1 < n; i++)
		if ((cp[i] == 0x4E0D /*不*/ || cp[i] == 0x6CA1 /*没*/) && cp[i - 1] == cp[i + 1] && of_utf8_is_han(cp[i - 1]) &&
		    !(i >= 2 && cp[i - 2] == 0x8FD8 /*还*/) && /* "还能不能好好播了": a reproach */
		    !(i + 2 < n && cp[i + 2] == 0x522B /*别*/)) /* "能不能别吵了": a plea */
			return 1;
	return 0;
}

/* Every embedded.txt entry `s` holds is a Chinese phrase ("好像", "不知道"), which
 * embeds only its own clause; the lyric marks and English phrases mark the
 * whole line. */
static int embedded_phrases_only(const of_lexicons *lx, const char *s)
{
	const wordlist *wl = &lx->l[LX_EMBEDDED];
	for (size_t i = 0; i < wl->n; i++)
		if (strstr(s, wl->w[i]))
			for (const char *p = wl->w[i]; *p;) {
				int32_t c;
				int k = of_utf8_next(p, strlen(p), &c);
				if (k <= 0 || !of_utf8_is_han(c))
					return 0;
				p += k;
			}
	return 1;
}

static int first_person(const char *s)
{
	return strstr(s, "\xE6\x88\x91") && !strstr(s, "\xE6\x88\x91\xE5\xAE\xB6") /*我 not 我家*/ &&
	       !strstr(s, "\xE6\x83\xB3\xE7\x9F\xA5\xE9\x81\x93") && !strstr(s, "\xE6\x83\xB3\xE9\x97\xAE"); /*想知道 想问*/
}

/* Does one clause of `s` (split at spaces, commas and 。) ask on its own: a
 * question word outside the nonquestion list in a clause of 4+ characters
 * that does not speak in the first person ("艾玛 我爱了 怎么办" does not ask:
 * the bare 怎么办 is about the first clause)? */
static int clause_asks(const of_lexicons *lx, const char *s, int skip_embedded)
{
	char *c = strdup(s);
	int rc = 0;
	if (!c)
		return 0;
	for (char *p = c; *p && !rc;) {
		size_t k = 0;
		while (p[k] && p[k] != ' ' && p[k] != ',' && strncmp(p + k, "\xE3\x80\x82", 3) != 0)
			k++;
		char save = p[k];
		p[k] = 0;
		if (k && of_utf8_count(p, k) >= 4 && !first_person(p) &&
		    !(skip_embedded && contains_any(&lx->l[LX_EMBEDDED], p))) {
			char *b = blank_out(&lx->l[LX_NONQUESTION], p);
			if (b) {
				blank_no_matter_how(b);
				rc = contains_any(&lx->l[LX_QUESTION], b) || yesno_or_number(b, 0);
				free(b);
			}
		}
		p[k] = save;
		p += k;
		if (*p)
			p += (unsigned char)*p == 0xE3 ? 3 : 1;
	}
	free(c);
	return rc;
}

/* Does the comment trail off in dots ("。。", "...", "……")? */
static int trailing_dots(const char *s)
{
	size_t k = strlen(s);
	while (k && s[k - 1] == ' ')
		k--;
	return (k >= 1 && s[k - 1] == '.') || (k >= 3 && memcmp(s + k - 3, "\xE3\x80\x82", 3) == 0) ||
	       (k >= 3 && memcmp(s + k - 3, "\xE2\x80\xA6", 3) == 0);
}

/* Is it a question? Question words count only outside indefinite or exclamative
 * uses (nonquestion.txt: 什么的, 不知道, 怎么又, ...) and outside quotes. Not
 * questions: exclamations (any '!'), "???" after a phrase without a question
 * word, a question that ends laughing ("这是啥哈哈?": amused, not asking),
 * and a bare short phrase with one '?' ("弹幕？", "early?": surprise, not a query). */
static int is_question(const of_lexicons *lx, const char *full, const char *raw, size_t ncore)
{
	size_t nlen;
	int qmark, anyq, qword, words = 1, multi, ascii = 1, rc = 0, blocked = 0;
	char *norm, *b;
	if (strchr(full, '!'))
		return 0;
	if (ascii_only(full) == 0 && has_han(full) &&
	    (strstr(full, "\xE2\x80\x98") || strstr(full, "\xE2\x80\x99") || strstr(full, "\xE2\x80\x9C")))
		return 0; /* ‘…’ “…” in Chinese chat: quoted speech, a story or a joke told in the chat */
	if (!(norm = blank_quoted(full)))
		return 0;
	nlen = trim_end(norm, strlen(norm));
	norm[nlen] = 0;
	qmark = nlen && norm[nlen - 1] == '?';
	anyq = strchr(norm, '?') != NULL;
	multi = strstr(raw, "??") || strstr(raw, "\xEF\xBC\x9F\xEF\xBC\x9F") || strstr(raw, "?\xEF\xBC\x9F") ||
		strstr(raw, "\xEF\xBC\x9F?");
	if (ncore <= 2 && !qmark)
		goto out; /* "如何", "怎么": too little to be asked */
	if (!anyq && contains_any(&lx->l[LX_LAUGHTER], norm) && !asks_meaning(norm))
		goto out; /* laughing while asking: amazement ("这怎么做到的哈哈") */
	if (anyq && ends_laughing(lx, norm, nlen))
		goto out; /* the laugh comes after the question: a joke, not a query */
	/* "不知道看哪只", "我还以为是什么": the question is embedded in a statement;
	 * another clause may still ask ("主播是哪里人啊 口音好像东北的") */
	if (!anyq && contains_any(&lx->l[LX_EMBEDDED], norm) &&
	    !(embedded_phrases_only(lx, norm) && clause_asks(lx, norm, 1)))
		goto out;
	/* first person without '?' ("我好像在哪里见过"; "我家宝宝…", "我想知道/想问…" still ask):
	 * not a question, unless another clause asks on its own ("裤长多少 我腿短") */
	blocked = !anyq && first_person(norm) && !first_person_asks(norm, nlen);
	/* "要不要试一下", "要不去看看吧": a proposal without '?' suggests, it does not ask */
	if (!anyq && strstr(norm, "\xE8\xA6\x81\xE4\xB8\x8D") &&
	    (strstr(norm, "\xE4\xB8\x80\xE4\xB8\x8B") || ends_with(norm, nlen, "\xE5\x90\xA7")))
		goto out;
	/* "又挖上来了 第几次了": a final 了 without '?' closes a statement ("怎么了" still asks,
	 * and so do the number questions "用过多久了", "宝宝几个月了") */
	if (!anyq && ends_with(norm, nlen, "\xE4\xBA\x86") && !ends_with(norm, nlen, "\xE6\x80\x8E\xE4\xB9\x88\xE4\xBA\x86") &&
	    !asks_number(norm) && !a_not_a(norm)) /* "会不会太早了" asks */
		goto out;
	/* "这怎么像一个人啊", "什么字幕啊": a final 啊 after 这/那/如此/什么 exclaims
	 * ("这个米粉几个月开始添加啊" asks a number, "下次什么时候播啊" a time: 啊 only
	 * softens it; "什么时候才能放假啊" laments) */
	if (!anyq && ends_with(norm, nlen, "\xE5\x95\x8A") && !asks_number(norm) && !asks_meaning(norm) &&
	    !(strstr(norm, "什么时候") && !strstr(norm, "什么时候才")) &&
	    (strstr(norm, "\xE8\xBF\x99") || strstr(norm, "\xE9\x82\xA3") || strstr(norm, "\xE5\xA6\x82\xE6\xAD\xA4") ||
	     strstr(norm, "\xE4\xBB\x80\xE4\xB9\x88")))
		goto out;
	/* yes/no questions marked only by '?': "清弹幕了？", "有清弹幕惹？" (惹 = 了), "没弹幕？" */
	if (qmark && !ascii_only(norm) && !multi &&
	    (ends_with(norm, nlen - 1, "\xE4\xBA\x86") || ends_with(norm, nlen - 1, "\xE6\x83\xB9") ||
	     strncmp(norm, "\xE6\xB2\xA1", 3) == 0)) {
		rc = 1; /* ("????" in old dumps is a lost emoji, not a question mark) */
		goto out;
	}
	if (correlative(norm) || self_answered(norm))
		goto out;
	if (!(b = blank_out(&lx->l[LX_NONQUESTION], norm)))
		goto out;
	blank_no_matter_how(b);
	if (blocked)
		qword = clause_asks(lx, norm, 0);
	else
		qword = contains_any(&lx->l[LX_QUESTION], b) || english_question(&lx->l[LX_QUESTION_EN], b) ||
			yesno_or_number(b, trailing_dots(full));
	if (!blocked && ends_with(b, trim_end(b, strlen(b)), "\xE5\x91\xA2") &&
	    !ends_with(b, trim_end(b, strlen(b)), "\xE4\xBA\x86\xE5\x91\xA2") && !degree_ne(b))
		qword = 1; /* a sentence-final 呢 asks ("弹幕呢"); after 了 it is a soft statement ("萌了呢") */
	free(b);
	for (const char *p = norm; *p; p++) {
		words += *p == ' ' && p[1] != ' ' && p[1];
		ascii &= (unsigned char)*p < 0x80;
	}
	if (qword)
		rc = 1;
	else if (qmark && !multi)
		rc = ascii ? words >= 3 : ncore > 6;
out:
	free(norm);
	return rc;
}

/* Chat emotes are words in CamelCase ("forsenParty", "DonkSass", "PepeLaugh"):
 * ASCII letters and digits, 4+ long, two lower-case letters followed by a capital
 * ("iPhone", "eBay" are not emotes).
 * A comment made only of emotes (and laughter emotes such as LUL, KEKW) is an
 * emoji-only comment: noise. Looked for on the raw text, before case folding. */
static int emotes_only(const of_lexicons *lx, const char *raw)
{
	int tokens = 0;
	for (const char *p = raw; *p;) {
		char tok[64];
		size_t n = 0;
		int camel = 0, letters = 0;
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		for (; *p && *p != ' ' && *p != '\t'; p++) {
			unsigned char c = (unsigned char)*p;
			if (c >= 0x80) { /* invisible tag characters some chat clients append */
				int32_t cp;
				int k = of_utf8_next(p, strlen(p), &cp);
				if (k < 0 || !(cp >= 0xE0000 && cp <= 0xE007F))
					return 0;
				p += k - 1;
				continue;
			}
			if (n + 1 < sizeof tok)
				tok[n++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
			if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
				letters++;
				camel |= c >= 'A' && c <= 'Z' && n >= 3 && p[-1] >= 'a' && p[-1] <= 'z' && p[-2] >= 'a' && p[-2] <= 'z';
			} else if (!(c >= '0' && c <= '9')) {
				return 0;
			}
		}
		tok[n] = 0;
		if (!letters)
			continue;
		if (!(camel && n >= 4) && !equals_any(&lx->l[LX_LAUGHTER], tok))
			return 0;
		tokens++;
	}
	return tokens > 0;
}

/* "Yoooooo", "WOOOOO", "omgggg": one short Latin word stretched by a repeated
 * letter is a shout, not a message (the normalised core is at most 6 letters). */
static int stretched_shout(const char *raw, const char *core, const char *norm)
{
	size_t k = strlen(core), run = 1;
	int stretched = 0;
	if (k == 0 || k > 6 || strchr(norm, ' ') || !ascii_only(core))
		return 0;
	for (const char *p = core; *p; p++)
		if (!(*p >= 'a' && *p <= 'z'))
			return 0;
	for (const char *p = raw; *p; p++) {
		char c = *p >= 'A' && *p <= 'Z' ? (char)(*p + 32) : *p;
		char prev = p > raw ? (p[-1] >= 'A' && p[-1] <= 'Z' ? (char)(p[-1] + 32) : p[-1]) : 0;
		run = c == prev ? run + 1 : 1;
		stretched |= run >= 3 && c >= 'a' && c <= 'z';
	}
	return stretched;
}

/* Han and Hangul interleaved at random in one long comment ("ㄖ唋唍军鞁忶嗎梳瑖첻荓…")
 * is not language: it is the code of bilibili danmaku art, or mojibake; a
 * question word inside it is chance. A real comment that mixes the scripts
 * switches between them once or twice ("欧巴好帅사랑해요"), not four times or more. */
static int garbled(const int32_t *cp, size_t n)
{
	size_t switches = 0;
	int prev = 0; /* 1 Han, 2 Hangul, 0 other */
	if (n < 12)
		return 0;
	for (size_t i = 0; i < n; i++) {
		int cur = cp[i] >= 0xAC00 && cp[i] <= 0xD7A3 ? 2 : of_utf8_is_han(cp[i]) ? 1 : 0;
		switches += cur && prev && cur != prev;
		prev = cur;
	}
	return switches >= 4;
}

/* Copypasta: the content is one phrase of 5+ characters typed three or more
 * times over ("Okayeg MUZIKA ? Okayeg MUZIKA ? ...", "什么心态什么心态什么心态").
 * Units of up to 4 characters were already collapsed by the normaliser. */
static int repeated_phrase(const int32_t *cp, size_t n)
{
	for (size_t u = 5; u * 3 <= n && u <= 64; u++) {
		size_t i = u;
		if (n % u)
			continue;
		while (i < n && cp[i] == cp[i % u])
			i++;
		if (i == n)
			return 1;
	}
	return 0;
}

/* "how much?", "ok how much" — a bare "how much" closing the English words of
 * a comment asks a price (purchase.txt lists the phrasings that go on). */
static int ends_how_much(const char *norm)
{
	const char *last = NULL;
	for (const char *p = find_entry(norm, "how much"); p; p = find_entry(p + 1, "how much"))
		last = p;
	if (!last)
		return 0;
	for (const char *p = last + strlen("how much"); *p; p++)
		if (is_word_byte(*p))
			return 0;
	return 1;
}

/* "bgm？", "这款的保质期？", "求歌名": the whole comment names an attribute
 * (attribute.txt) whose value the asker wants. `core` is the content
 * characters; `qmark`: the comment ends with '?'. */
static int asks_attribute(const of_lexicons *lx, const char *core, int qmark)
{
	static const char *const mw[] = {"个", "首", "款", "件", "部", "双", "套", "只", "支", "瓶", "盒", "段", "期", "张", NULL};
	int beg = strncmp(core, "求", 3) == 0;
	if (beg)
		core += 3;
	else if (!qmark)
		return 0;
	else if (strncmp(core, "这", 3) == 0 || strncmp(core, "那", 3) == 0) {
		core += 3;
		for (const char *const *m = mw; *m; m++)
			if (strncmp(core, *m, strlen(*m)) == 0) {
				core += strlen(*m);
				break;
			}
		if (strncmp(core, "的", 3) == 0)
			core += 3;
	}
	return equals_any(&lx->l[LX_ATTRIBUTE], core);
}

/* The comment (spaces aside) ends in a sentence-final particle that asks: 吗 嘛 么 呢. */
static int ends_in_particle(const char *s)
{
	size_t n = strlen(s);
	while (n && s[n - 1] == ' ')
		n--;
	return ends_with(s, n, "吗") || ends_with(s, n, "嘛") || ends_with(s, n, "么") || ends_with(s, n, "呢");
}

/* "是临期吗", "会掉色吗", "破损包赔吗", "退货运费谁出": a viewer who has not
 * bought yet asks whether the product has a problem, or what happens if it
 * does. The problem word is complaint.txt's, but nothing went wrong yet, so
 * the comment asks. Only a single clause that asks as a whole (a final 吗/嘛,
 * 会不会/是不是/有没有, or who pays): "收到是坏的，能退吗" reports first and
 * stays a complaint, "怎么又…", "为什么…" blame, and a viewer speaking of
 * themself ("我卡了我会乱说吗") is telling, not asking about the product. */
static int asks_before_buying(const char *s)
{
	static const char *const blame[] = {"为什么", "为啥", "怎么", "咋", "又", "还没", "还不", "我"};
	static const char *const whole[] = {"会不会", "是不是", "有没有", "包不包", "谁出", "谁付", "谁承担", "谁负责"};
	size_t n = strlen(s);
	while (n && (s[n - 1] == '?' || s[n - 1] == ' '))
		n--;
	for (size_t i = 0; i < n; i++)
		if (strchr(",!.~?;: ", s[i]) && s[i])
			return 0;
	/* NFKC folds ，！？；： to ASCII but not 。、… (QA: "收到的是临期的。能退吗" asked) */
	static const char *const cjk_breaks[] = {"。", "、", "…", "｡"};
	for (size_t i = 0; i < sizeof cjk_breaks / sizeof *cjk_breaks; i++) {
		const char *at = strstr(s, cjk_breaks[i]);
		if (at && (size_t)(at - s) < n)
			return 0;
	}
	for (size_t i = 0; i < sizeof blame / sizeof blame[0]; i++)
		if (strstr(s, blame[i]))
			return 0;
	if (ends_with(s, n, "吗") || ends_with(s, n, "嘛"))
		return 1;
	for (size_t i = 0; i < sizeof whole / sizeof whole[0]; i++)
		if (strstr(s, whole[i]))
			return 1;
	return 0;
}

static int classify(const of_lexicons *lx, const char *norm, const char *raw, const char *core, int32_t *ccp,
		    size_t ncore, of_analysis *a)
{
	size_t nlen = strlen(norm);
#define SET(i, r) do { a->intent = (i); a->rule = (r); return 0; } while (0)
	if (of_text_has_link(norm))
		SET(OF_INTENT_SPAM, OF_RULE_SPAM_LINK);
	if (has_phone(norm))
		SET(OF_INTENT_SPAM, OF_RULE_SPAM_PHONE);
	if (has_contact(norm))
		SET(OF_INTENT_SPAM, OF_RULE_SPAM_CONTACT);
	if ((norm[0] == '!' || norm[0] == '/') && norm[1] >= 'a' && norm[1] <= 'z')
		SET(OF_INTENT_SPAM, OF_RULE_SPAM_BOT);
	if (contains_any(&lx->l[LX_SPAM], norm))
		SET(OF_INTENT_SPAM, OF_RULE_SPAM_WORD);
	if (platform_event(&lx->l[LX_EVENT], norm))
		SET(OF_INTENT_NOISE, OF_RULE_SYSTEM);
	if (starts_any(&lx->l[LX_ANSWER], norm))
		SET(OF_INTENT_CHATTER, OF_RULE_ANSWER);
	if (is_echo(&lx->l[LX_ECHO], norm))
		SET(OF_INTENT_CHATTER, OF_RULE_ECHO);
	if (ncore == 0)
		SET(OF_INTENT_NOISE, OF_RULE_NOISE_EMPTY);
	{
		int digits = 1;
		for (const char *p = core; *p; p++)
			digits &= *p >= '0' && *p <= '9';
		if (digits)
			SET(OF_INTENT_NOISE, OF_RULE_NOISE_DIGITS);
	}
	if (equals_any(&lx->l[LX_NOISE], core))
		SET(OF_INTENT_NOISE, OF_RULE_NOISE_WORD);
	if (emotes_only(lx, raw) || stretched_shout(raw, core, norm))
		SET(OF_INTENT_NOISE, OF_RULE_NOISE_WORD);
	if (garbled(ccp, ncore))
		SET(OF_INTENT_NOISE, OF_RULE_NOISE_GARBLED);
	if (all_laughter(ccp, ncore))
		SET(OF_INTENT_NOISE, OF_RULE_NOISE_LAUGH);
	if (ncore == 1 && !(nlen && (norm[nlen - 1] == '?')))
		SET(OF_INTENT_NOISE, OF_RULE_NOISE_SHORT);
	long which = first_but(&lx->l[LX_COMPLAINT], &lx->l[LX_COMPLAINT_NOT], norm);
	int hit;
	if (which == -2)
		return of_error_set_oom();
	if (which >= 0 && !asks_before_buying(norm)) {
		a->topic = lx->topic_of[LX_COMPLAINT][which];
		SET(OF_INTENT_COMPLAINT, OF_RULE_COMPLAINT);
	}
	if ((which = first_but(&lx->l[LX_PURCHASE], &lx->l[LX_PURCHASE_NOT], norm)) == -2)
		return of_error_set_oom();
	if (which < 0 && (strcmp(core, "link") == 0 || strcmp(core, "links") == 0)) /* "link?", "LINK???" */
		which = first_but(&lx->l[LX_PURCHASE], &lx->l[LX_PURCHASE_NOT], "link pls");
	if (which >= 0 || ends_how_much(norm)) {
		a->topic = which >= 0 ? lx->topic_of[LX_PURCHASE][which] : 0;
		/* "已拍", "回购第三瓶了": a viewer saying they bought asks nothing, unless another purchase
		 * word is left once the ordering words are blanked ("已拍 什么时候发货") or it asks */
		if (which >= 0 && contains_any(&lx->l[LX_ORDERED], norm) && !strchr(norm, '?') && !asks_wh(norm) &&
		    !ends_in_particle(norm) && !yesno_or_number(norm, 0)) {
			long other = first_but(&lx->l[LX_PURCHASE], &lx->l[LX_ORDERED], norm);
			if (other == -2)
				return of_error_set_oom();
			if (other == -1) {
				a->topic = 0;
				SET(OF_INTENT_PURCHASE, OF_RULE_ORDERED);
			}
		}
		SET(OF_INTENT_PURCHASE, OF_RULE_PURCHASE);
	}
	if (equals_any(&lx->l[LX_REACTION], core))
		SET(OF_INTENT_CHATTER, OF_RULE_RHETORICAL);
	/* rhetorical_not.txt: asking phrases that hold a rhetorical entry ("谁知道" holds 谁知) */
	if ((hit = contains_but(&lx->l[LX_RHETORICAL], &lx->l[LX_RHETORICAL_NOT], norm)) < 0)
		return of_error_set_oom();
	if (hit)
		SET(contains_any(&lx->l[LX_PRAISE], norm) ? OF_INTENT_PRAISE : OF_INTENT_CHATTER, OF_RULE_RHETORICAL);
	if (contains_any(&lx->l[LX_REQUEST], norm)) {
		/* "is this vegan pls": a question said politely asks; please/pls alone make no request of it */
		static char *polite_w[] = {"please", "pls", "plz"};
		static const wordlist polite = {polite_w, 3};
		int other = contains_but(&lx->l[LX_REQUEST], &polite, norm);
		if (other < 0)
			return of_error_set_oom();
		/* "can you / will you … pls" asks the host to do something: still a request */
		int asks_host = !strncmp(norm, "can ", 4) || !strncmp(norm, "could ", 6) || !strncmp(norm, "will ", 5) ||
				!strncmp(norm, "would ", 6) || !strncmp(norm, "please ", 7) || !strncmp(norm, "pls ", 4);
		if (other || asks_host || !english_question(&lx->l[LX_QUESTION_EN], norm))
			SET(OF_INTENT_REQUEST, OF_RULE_REQUEST);
	}
	if (asks_attribute(lx, core, nlen && norm[nlen - 1] == '?'))
		SET(OF_INTENT_QUESTION, norm[nlen - 1] == '?' ? OF_RULE_QUESTION_MARK : OF_RULE_QUESTION_WORD);
	if (!repeated_phrase(ccp, ncore) && is_question(lx, norm, raw, ncore))
		SET(OF_INTENT_QUESTION, nlen && norm[nlen - 1] == '?' ? OF_RULE_QUESTION_MARK : OF_RULE_QUESTION_WORD);
	if (contains_any(&lx->l[LX_PRAISE], norm))
		SET(OF_INTENT_PRAISE, OF_RULE_PRAISE);
	SET(OF_INTENT_CHATTER, OF_RULE_CHATTER);
#undef SET
}

void of_analysis__for_comment(of_intent *intent, of_rule *rule, const of_comment *c)
{
	if (c->kind == OF_COMMENT_SYSTEM) {
		*intent = OF_INTENT_NOISE;
		*rule = OF_RULE_SYSTEM;
	} else if (c->kind == OF_COMMENT_GIFT) { /* its text is a gift's name (辣条, 舰长) or a sticker's */
		*intent = OF_INTENT_NOISE;
		*rule = OF_RULE_GIFT;
	} else if (c->mode == 7 && *intent != OF_INTENT_NOISE && *intent != OF_INTENT_SPAM) {
		*intent = OF_INTENT_CHATTER;
		*rule = OF_RULE_ADVANCED;
	} else if (c->emotes_only && *intent != OF_INTENT_NOISE && *intent != OF_INTENT_SPAM) {
		*intent = OF_INTENT_NOISE;
		*rule = OF_RULE_NOISE_EMPTY;
	}
}

int of_analyze__text(of_normalizer *nz, const of_lexicons *lx, const char *text, size_t len, of_analysis *a)
{
	of_buf core, key;
	int32_t *ccp;
	size_t ncore = 0, i = 0, nlen;
	memset(a, 0, sizeof *a);
	a->norm = of_normalize__text(nz, text, len);
	if (!a->norm)
		return of_error_set_oom();
	nlen = strlen(a->norm);
	ccp = malloc((nlen + 1) * sizeof *ccp);
	if (!ccp)
		return of_error_set_oom();
	of_buf_init(&core, nlen + 16);
	of_buf_init(&key, nlen + 16);
	while (i < nlen) {
		int32_t c;
		int k = of_utf8_next(a->norm + i, nlen - i, &c);
		if (k < 0)
			k = 1;
		if (is_content_cp(c)) {
			char enc[5] = {0};
			int e = of_utf8_encode(c, enc);
			ccp[ncore++] = c;
			of_buf_append(&core, enc, (size_t)e);
			if (c < 0x80 || !strstr(lx->stop, enc)) /* stop characters are all Han */
				of_buf_append(&key, enc, (size_t)e);
		}
		i += (size_t)k;
	}
	{
		char *cs = of_buf_detach(&core, NULL);
		char *raw = strndup(text, len);
		int crc = classify(lx, a->norm, raw ? raw : "", cs ? cs : "", ccp, ncore, a);
		free(raw);
		if (crc) {
			free(cs);
			free(ccp);
			of_buf_free(&key);
			return crc;
		}
		if (a->intent == OF_INTENT_QUESTION && !asks_wh(a->norm) && is_belief(lx, a->norm))
			a->myth = 1;
		if (of_buf_len(&key) == 0 && cs)
			of_buf_puts(&key, cs);
		free(cs);
	}
	free(ccp);
	a->key = of_buf_detach(&key, NULL);
	return a->key ? 0 : of_error_set_oom();
}

void of_analysis__clear(of_analysis *a)
{
	free(a->norm);
	free(a->key);
	a->norm = a->key = NULL;
}
