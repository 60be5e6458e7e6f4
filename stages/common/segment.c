/* segment.c — mixed Chinese/ASCII tokenisation: friso (mmseg over Debian's
 * friso-dict) splits each run of Han characters into words; numbers, Latin
 * words, URLs, punctuation, spaces and emoji are classified here so that a
 * token never splits "3.5", "20:00", "1,000" or a URL. Without the dictionary
 * every Han character is its own token (the old fallback), with a warning. */
#include "onefish/segment.h"
#include "onefish/error.h"
#include "onefish/log.h"
#include "onefish/utf8.h"

#include <friso/friso.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Where Debian's friso-dict installs the UTF-8 lexicons (friso.lex.ini + *.lex). */
#define OF_FRISO_DEFAULT_DIR "/usr/share/friso/dict/UTF-8/"

struct of_segmenter {
	friso_t friso;         /* NULL in fallback mode */
	friso_config_t config; /* read-only after _new: tasks carry the per-call state */
};

static int has_lexicon(const char *dir)
{
	char p[1100];
	struct stat st;
	snprintf(p, sizeof p, "%sfriso.lex.ini", dir);
	return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

int of_segmenter_new(of_segmenter **out)
{
	of_segmenter *s = calloc(1, sizeof *s);
	const char *env = getenv("ONEFISH_FRISO_DIR");
	char dir[1024];
	*out = NULL;
	if (!s)
		return of_error_set_oom();
	/* friso wants the folder with a trailing '/'. */
	const char *base = env && *env ? env : OF_FRISO_DEFAULT_DIR;
	snprintf(dir, sizeof dir, "%s%s", base, base[strlen(base) - 1] == '/' ? "" : "/");
	if (!has_lexicon(dir)) {
		of_log(OF_LOG_WARN, "segment: friso dictionary not found in %s (install friso-dict); "
				    "falling back to one token per Han character", dir);
		*out = s;
		return 0;
	}
	s->friso = friso_new();
	s->config = friso_new_config();
	if (!s->friso || !s->config) {
		of_segmenter_free(s);
		return of_error_set_oom();
	}
	friso_init_config(s->config);
	/* Plain tokens: no synonyms, no English sub-splitting, keep unknown words. */
	s->config->add_syn = 0;
	s->config->en_sseg = 0;
	s->config->keep_urec = 1;
	s->config->clr_stw = 0;
	s->config->spx_out = 0;
	s->config->r_name = 0; /* name guessing glues verbs onto surnames (张小明说 → 明说) */
	s->friso->charset = FRISO_UTF8;
	s->friso->dic = friso_dic_new();
	friso_dic_load_from_ifile(s->friso, s->config, dir, s->config->max_len * 3);
	*out = s;
	return 0;
}

static pthread_once_t shared_once = PTHREAD_ONCE_INIT;
static of_segmenter *shared_seg; /* reachable until exit: never freed on purpose */
static int shared_rc;

static void shared_init(void)
{
	shared_rc = of_segmenter_new(&shared_seg);
}

int of_segmenter_shared(const of_segmenter **out)
{
	pthread_once(&shared_once, shared_init);
	*out = shared_seg;
	return shared_rc ? of_error_set_oom() : 0;
}

void of_segmenter_free(of_segmenter *s)
{
	if (!s)
		return;
	if (s->config)
		friso_free_config(s->config);
	if (s->friso)
		friso_free(s->friso); /* also frees the dictionary */
	free(s);
}

static int classify(int32_t cp)
{
	if (cp < 0x80) {
		if ((cp >= '0' && cp <= '9'))
			return OF_TOKEN_NUMBER;
		if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || cp == '_')
			return OF_TOKEN_LATIN;
		if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r')
			return OF_TOKEN_SPACE;
		return OF_TOKEN_PUNCT;
	}
	if (of_utf8_is_han(cp))
		return OF_TOKEN_WORD;
	if (of_utf8_is_emoji(cp))
		return OF_TOKEN_EMOJI;
	if (cp == 0x3000)
		return OF_TOKEN_SPACE;
	if (of_utf8_is_cjk_punct(cp))
		return OF_TOKEN_PUNCT;
	return OF_TOKEN_LATIN;
}

typedef struct {
	of_token *t;
	size_t n, cap;
} toks;

static int push(toks *v, size_t off, size_t len, int kind)
{
	if (v->n == v->cap) {
		size_t nc = v->cap ? v->cap * 2 : 32;
		of_token *nt = realloc(v->t, nc * sizeof *nt);
		if (!nt)
			return of_error_set_oom();
		v->t = nt;
		v->cap = nc;
	}
	v->t[v->n].offset = off;
	v->t[v->n].len = len;
	v->t[v->n].kind = kind;
	v->n++;
	return 0;
}

/* Length of a URL starting at text[i] ("http://", "https://", "www."), or 0. */
static size_t url_len(const char *text, size_t len, size_t i)
{
	size_t j = i;
	if (len - i >= 8 && strncmp(text + i, "https://", 8) == 0)
		j += 8;
	else if (len - i >= 7 && strncmp(text + i, "http://", 7) == 0)
		j += 7;
	else if (len - i >= 4 && strncmp(text + i, "www.", 4) == 0)
		j += 4;
	else
		return 0;
	/* Printable ASCII that URLs use; a CJK character or space ends it. */
	while (j < len) {
		unsigned char c = (unsigned char)text[j];
		if (c <= ' ' || c >= 0x7f || c == '"' || c == '<' || c == '>' || c == '\\')
			break;
		j++;
	}
	/* Trailing sentence punctuation belongs to the sentence, not the URL. */
	while (j > i && strchr(".,;:!?)]'", text[j - 1]))
		j--;
	return j - i;
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Splits one run of Han characters [off, off+len) into words with friso. */
static int han_run(const of_segmenter *s, const char *text, size_t off, size_t len, toks *v)
{
	if (!s || !s->friso) {
		size_t i = 0;
		while (i < len) {
			int32_t cp;
			int k = of_utf8_next(text + off + i, len - i, &cp);
			size_t step = k > 0 ? (size_t)k : 1;
			if (push(v, off + i, step, OF_TOKEN_WORD) < 0)
				return OF_ENOMEM;
			i += step;
		}
		return 0;
	}
	char *run = malloc(len + 1);
	friso_task_t task = friso_new_task();
	size_t done = 0;
	int rc = 0;
	if (!run || !task) {
		free(run);
		if (task)
			friso_free_task(task);
		return of_error_set_oom();
	}
	memcpy(run, text + off, len);
	run[len] = '\0';
	friso_set_text(task, run);
	while (rc == 0 && s->config->next_token(s->friso, s->config, task) != NULL) {
		size_t to = (size_t)task->token->offset, tl = task->token->rlen;
		/* Defensive: only accept spans that continue where we are. */
		if (to < done || to + tl > len || tl == 0)
			continue;
		while (rc == 0 && done < to) { /* a gap friso skipped: one char each */
			int32_t cp;
			int k = of_utf8_next(run + done, len - done, &cp);
			size_t step = k > 0 ? (size_t)k : 1;
			rc = push(v, off + done, step, OF_TOKEN_WORD);
			done += step;
		}
		if (rc == 0)
			rc = push(v, off + to, tl, OF_TOKEN_WORD);
		done = to + tl;
	}
	while (rc == 0 && done < len) {
		int32_t cp;
		int k = of_utf8_next(run + done, len - done, &cp);
		size_t step = k > 0 ? (size_t)k : 1;
		rc = push(v, off + done, step, OF_TOKEN_WORD);
		done += step;
	}
	friso_free_task(task);
	free(run);
	return rc;
}

int of_segment(const of_segmenter *s, const char *text, size_t len, of_token **tokens, size_t *n_tokens)
{
	toks v = {0};
	size_t i = 0;
	int rc = 0;
	*tokens = NULL;
	*n_tokens = 0;
	while (rc == 0 && i < len) {
		int32_t cp;
		size_t u = url_len(text, len, i);
		if (u > 0 && (i == 0 || !((unsigned char)text[i - 1] < 0x80 &&
					  (is_digit(text[i - 1]) || classify((unsigned char)text[i - 1]) == OF_TOKEN_LATIN)))) {
			rc = push(&v, i, u, OF_TOKEN_URL);
			i += u;
			continue;
		}
		int k = of_utf8_next(text + i, len - i, &cp);
		size_t step = k > 0 ? (size_t)k : 1;
		int kind = k > 0 ? classify(cp) : OF_TOKEN_PUNCT;
		if (kind == OF_TOKEN_WORD) {
			size_t j = i + step;
			while (j < len) {
				int32_t c2;
				int k2 = of_utf8_next(text + j, len - j, &c2);
				if (k2 <= 0 || !of_utf8_is_han(c2))
					break;
				j += (size_t)k2;
			}
			rc = han_run(s, text, i, j - i, &v);
			i = j;
			continue;
		}
		of_token *last = v.n ? &v.t[v.n - 1] : NULL;
		int adjacent = last && last->offset + last->len == i;
		int joins = adjacent && kind != OF_TOKEN_PUNCT && kind != OF_TOKEN_EMOJI &&
			    (last->kind == kind || (last->kind == OF_TOKEN_LATIN && kind == OF_TOKEN_NUMBER));
		/* A number keeps its decimal point, thousands comma, time colon, and %. */
		if (!joins && adjacent && last->kind == OF_TOKEN_NUMBER) {
			if (cp == '%')
				joins = 1;
			else if ((cp == '.' || cp == ',' || cp == ':') && i + 1 < len && is_digit(text[i + 1]))
				joins = 1;
		}
		/* Connectors between ASCII letters or digits keep a word whole: 12.x, RISC-V, RV20/22, a_b. */
		if (!joins && adjacent && (last->kind == OF_TOKEN_NUMBER || last->kind == OF_TOKEN_LATIN) &&
		    (cp == '.' || cp == '-' || cp == '_' || cp == '/' || cp == '\'') && i + 1 < len &&
		    (is_digit(text[i + 1]) || (text[i + 1] >= 'a' && text[i + 1] <= 'z') ||
		     (text[i + 1] >= 'A' && text[i + 1] <= 'Z'))) {
			last->kind = OF_TOKEN_LATIN;
			if (is_digit(text[i - 1]) && is_digit(text[i + 1]) && cp == '.')
				last->kind = OF_TOKEN_NUMBER; /* 3.5 stays a number */
			joins = 1;
		}
		/* A word continuing after a connector (RISC-V): letters and digits join it. */
		if (joins)
			last->len += step;
		else
			rc = push(&v, i, step, kind);
		i += step;
	}
	if (rc < 0) {
		free(v.t);
		return rc;
	}
	if (!v.t) /* empty text: a valid, empty allocation */
		v.t = malloc(sizeof *v.t);
	if (!v.t)
		return of_error_set_oom();
	*tokens = v.t;
	*n_tokens = v.n;
	return 0;
}
