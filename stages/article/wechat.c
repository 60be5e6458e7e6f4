/* wechat.c — article.wechat.html: the Markdown walked with cmark and written
 * as HTML whose every element carries its style inline (the WeChat editor
 * drops <style> and classes), links turned into numbered footnotes (it also
 * drops external links). Themes are assets/themes/<name>.css: plain
 * `element { declarations }` rules, {{accent}} replaced by the brand colour. */
#include "article_int.h"
#include "onefish/buf.h"
#include "onefish/error.h"
#include "onefish/fileio.h"
#include "onefish/limits.h"
#include "onefish/log.h"
#include "onefish/template.h"

#include <cmark.h>
#include <stdlib.h>
#include <string.h>

/* Every style a theme must define: one per element kind we write. */
static const char *const k_keys[] = {"section", "h1", "h2", "h3", "p", "figure", "img", "blockquote", "strong",
				     "em", "code", "pre", "ul", "ol", "li", "hr", "sup", "notes", "notes-title",
				     "note", NULL};
enum { N_KEYS = 20 };

typedef struct theme {
	char *style[N_KEYS];
} theme;

static void theme_free(theme *t)
{
	for (int i = 0; i < N_KEYS; i++)
		free(t->style[i]);
}

static int key_index(const char *k, size_t len)
{
	for (int i = 0; k_keys[i]; i++)
		if (strlen(k_keys[i]) == len && memcmp(k_keys[i], k, len) == 0)
			return i;
	return -1;
}

static int valid_name(const char *s)
{
	if (!s || !*s || strlen(s) > 64)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-' || *s == '_'))
			return 0;
	return 1;
}

static int theme_load(theme *t, const char *name, const char *accent)
{
	char rel[128], *path = NULL, *raw = NULL, *css = NULL;
	int rc;
	memset(t, 0, sizeof *t);
	if (!valid_name(name)) {
		of_log(OF_LOG_WARN, "theme '%s' is not a valid theme name; using 'warm'", name ? name : "");
		name = "warm";
	}
	snprintf(rel, sizeof rel, "themes/%s.css", name);
	if ((rc = of_asset_path(&path, rel)) < 0) {
		of_log(OF_LOG_WARN, "theme '%s' not found in assets/themes/; using 'warm'", name);
		if ((rc = of_asset_path(&path, "themes/warm.css")) < 0)
			return rc;
	}
	if ((rc = of_file_read(&raw, NULL, path, 256 * 1024)) < 0)
		goto done;
	const char *kv[] = {"accent", accent && accent[0] == '#' && strlen(accent) <= 9 ? accent : "#E8734A", NULL,
			    NULL};
	if ((rc = of_template_render(&css, raw, kv)) < 0)
		goto done;
	for (char *p = css; *p;) {
		char *open = strchr(p, '{'), *close;
		if (!open || !(close = strchr(open, '}')))
			break;
		/* selector: the last word before '{' (comments are skipped this way too) */
		char *e = open;
		while (e > p && (e[-1] == ' ' || e[-1] == '\n' || e[-1] == '\t' || e[-1] == '\r'))
			e--;
		char *b = e;
		while (b > p && b[-1] != ' ' && b[-1] != '\n' && b[-1] != '\t' && b[-1] != '/' && b[-1] != '}')
			b--;
		int k = key_index(b, (size_t)(e - b));
		if (k >= 0) {
			of_buf s;
			of_buf_init(&s, 4096);
			int sp = 0;
			for (char *c = open + 1; c < close; c++) {
				if (*c == ' ' || *c == '\n' || *c == '\t' || *c == '\r') {
					sp = of_buf_len(&s) > 0;
					continue;
				}
				if (*c == '"' || *c == '<' || *c == '>')
					continue; /* never break out of the style attribute */
				if (sp)
					of_buf_putc(&s, ' ');
				sp = 0;
				of_buf_putc(&s, *c);
			}
			free(t->style[k]);
			t->style[k] = of_buf_detach(&s, NULL);
			of_buf_free(&s);
		}
		p = close + 1;
	}
	for (int i = 0; i < N_KEYS; i++)
		if (!t->style[i] || !t->style[i][0]) {
			rc = of_error_set_at(OF_EINVALID, path, 0, 0, "theme has no style for '%s'", k_keys[i]);
			goto done;
		}
	rc = 0;
done:
	free(path);
	free(raw);
	free(css);
	if (rc < 0)
		theme_free(t);
	return rc;
}

/* No scheme: a path ("images/a.jpg", "/a.jpg"), not "javascript:…". */
static int schemeless(const char *u)
{
	const char *colon = strchr(u, ':'), *slash = strchr(u, '/');
	return !colon || (slash && slash < colon);
}

static int url_ok(const char *u)
{
	/* paths and http(s) only: no javascript:, data:, file: */
	return schemeless(u) || strncmp(u, "http://", 7) == 0 || strncmp(u, "https://", 8) == 0;
}

static int is_relative(const char *u)
{
	return u[0] != '/' && schemeless(u);
}

static void esc(of_buf *b, const char *s)
{
	char *e = of_html_escape(s ? s : "");
	if (e)
		of_buf_puts(b, e);
	free(e);
}

/* Our own image names keep Chinese letters (images/蛋糕.jpg), and an editor may
 * add one with a space (<images/我的 照片.jpg>); a URL the WeChat editor fetches
 * on paste should carry them percent-encoded, as cmark's article.html does, so a
 * CDN sees the same bytes however it was pasted. */
static void esc_utf8_path(of_buf *b, const char *u)
{
	for (; *u; u++) {
		unsigned char c = (unsigned char)*u;
		if (c >= 0x80 || c <= 0x20 || strchr("\"<>\\^`{|}", c)) { /* as cmark's href escaping */
			of_buf_printf(b, "%%%02X", c);
		} else {
			char one[2] = {(char)c, 0};
			esc(b, one);
		}
	}
}

static void open_tag(of_buf *b, const char *tag, const theme *t, int key)
{
	of_buf_printf(b, "<%s style=\"%s\">", tag, t->style[key]);
}

/* Text of a node's children (for alt text and autolink detection). */
static void plain(of_buf *b, cmark_node *n)
{
	for (cmark_node *c = cmark_node_first_child(n); c; c = cmark_node_next(c)) {
		const char *lit = cmark_node_get_literal(c);
		if (lit)
			of_buf_puts(b, lit);
		plain(b, c);
	}
}

int of_art_wechat_html(char **out, const char *md, size_t md_len, const char *theme_name, const char *accent,
		       const char *image_base_url)
{
	theme t;
	of_buf b, notes;
	cmark_node *doc = NULL;
	cmark_iter *it = NULL;
	cmark_event_type ev;
	size_t n_notes = 0;
	int rc;
	*out = NULL;
	if (md_len > OF_MAX_MARKDOWN_BYTES)
		return of_error_set(OF_ELIMIT, "article Markdown is %zu bytes, over the %zu-byte limit", md_len,
				    (size_t)OF_MAX_MARKDOWN_BYTES);
	if ((rc = theme_load(&t, theme_name, accent)) < 0)
		return rc;
	if (!(doc = cmark_parse_document(md, md_len, CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8)) || !(it = cmark_iter_new(doc))) {
		cmark_node_free(doc);
		theme_free(&t);
		return of_error_set_oom();
	}
	of_buf_init(&b, 64 * 1024 * 1024);
	of_buf_init(&notes, 16 * 1024 * 1024);
	open_tag(&b, "section", &t, 0);
	of_buf_putc(&b, '\n');
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		int enter = ev == CMARK_EVENT_ENTER;
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_HEADING: {
			int lv = cmark_node_get_heading_level(n);
			const char *tag = lv <= 1 ? "h1" : lv == 2 ? "h2" : "h3";
			if (enter)
				open_tag(&b, tag, &t, lv <= 1 ? 1 : lv == 2 ? 2 : 3);
			else
				of_buf_printf(&b, "</%s>\n", tag);
			break;
		}
		case CMARK_NODE_PARAGRAPH: {
			cmark_node *only = cmark_node_first_child(n);
			int figure = only && !cmark_node_next(only) && cmark_node_get_type(only) == CMARK_NODE_IMAGE;
			if (enter)
				open_tag(&b, "p", &t, figure ? 5 : 4);
			else
				of_buf_puts(&b, "</p>\n");
			break;
		}
		case CMARK_NODE_BLOCK_QUOTE:
			if (enter)
				open_tag(&b, "blockquote", &t, 7);
			else
				of_buf_puts(&b, "</blockquote>\n");
			break;
		case CMARK_NODE_LIST: {
			int ol = cmark_node_get_list_type(n) == CMARK_ORDERED_LIST;
			if (enter)
				open_tag(&b, ol ? "ol" : "ul", &t, ol ? 13 : 12);
			else
				of_buf_puts(&b, ol ? "</ol>\n" : "</ul>\n");
			break;
		}
		case CMARK_NODE_ITEM:
			if (enter)
				open_tag(&b, "li", &t, 14);
			else
				of_buf_puts(&b, "</li>\n");
			break;
		case CMARK_NODE_STRONG:
			if (enter)
				open_tag(&b, "strong", &t, 8);
			else
				of_buf_puts(&b, "</strong>");
			break;
		case CMARK_NODE_EMPH:
			if (enter)
				open_tag(&b, "em", &t, 9);
			else
				of_buf_puts(&b, "</em>");
			break;
		case CMARK_NODE_TEXT:
			esc(&b, cmark_node_get_literal(n));
			break;
		case CMARK_NODE_CODE:
			open_tag(&b, "code", &t, 10);
			esc(&b, cmark_node_get_literal(n));
			of_buf_puts(&b, "</code>");
			break;
		case CMARK_NODE_CODE_BLOCK:
			open_tag(&b, "pre", &t, 11);
			esc(&b, cmark_node_get_literal(n));
			of_buf_puts(&b, "</pre>\n");
			break;
		case CMARK_NODE_HTML_BLOCK:
		case CMARK_NODE_HTML_INLINE:
			/* raw HTML is shown as text, never passed through */
			if (cmark_node_get_type(n) == CMARK_NODE_HTML_BLOCK)
				open_tag(&b, "p", &t, 4);
			esc(&b, cmark_node_get_literal(n));
			if (cmark_node_get_type(n) == CMARK_NODE_HTML_BLOCK)
				of_buf_puts(&b, "</p>\n");
			break;
		case CMARK_NODE_SOFTBREAK:
			break; /* Chinese lines join without a space */
		case CMARK_NODE_LINEBREAK:
			of_buf_puts(&b, "<br>");
			break;
		case CMARK_NODE_THEMATIC_BREAK:
			open_tag(&b, "hr", &t, 15);
			of_buf_putc(&b, '\n');
			break;
		case CMARK_NODE_IMAGE:
			if (enter) {
				of_buf alt;
				const char *u = cmark_node_get_url(n);
				of_buf_init(&alt, 64 * 1024);
				plain(&alt, n);
				if (u && url_ok(u)) {
					of_buf_puts(&b, "<img src=\"");
					/* The WeChat editor cannot read local files: pasted
					 * images must be on the web for it to copy them in. */
					if (image_base_url && is_relative(u)) {
						size_t bl = strlen(image_base_url);
						esc(&b, image_base_url);
						if (bl && image_base_url[bl - 1] != '/')
							of_buf_putc(&b, '/');
						while (u[0] == '.' && u[1] == '/')
							u += 2;
					}
					if (is_relative(u))
						esc_utf8_path(&b, u);
					else
						esc(&b, u);
					of_buf_puts(&b, "\" alt=\"");
					esc(&b, of_buf_cstr(&alt));
					of_buf_printf(&b, "\" style=\"%s\">", t.style[6]);
				}
				of_buf_free(&alt);
				cmark_iter_reset(it, n, CMARK_EVENT_EXIT); /* alt text already used */
			}
			break;
		case CMARK_NODE_LINK:
			if (!enter) {
				/* WeChat drops external links: the URL goes to a numbered note */
				const char *u = cmark_node_get_url(n);
				of_buf_printf(&b, "<sup style=\"%s\">[%zu]</sup>", t.style[16], ++n_notes);
				of_buf_printf(&notes, "<p style=\"%s\">[%zu] ", t.style[19], n_notes);
				esc(&notes, u);
				of_buf_puts(&notes, "</p>\n");
			} else {
				/* an autolink's text is the URL itself: the note alone stands for it */
				of_buf txt;
				of_buf_init(&txt, 64 * 1024);
				plain(&txt, n);
				const char *u = cmark_node_get_url(n);
				int autolink = u && strcmp(of_buf_cstr(&txt), u) == 0;
				of_buf_free(&txt);
				if (autolink) {
					of_buf_printf(&b, "<sup style=\"%s\">[%zu]</sup>", t.style[16], ++n_notes);
					of_buf_printf(&notes, "<p style=\"%s\">[%zu] ", t.style[19], n_notes);
					esc(&notes, u);
					of_buf_puts(&notes, "</p>\n");
					cmark_iter_reset(it, n, CMARK_EVENT_EXIT); /* the next step leaves the link */
				}
			}
			break;
		default:
			break;
		}
	}
	if (n_notes) {
		open_tag(&b, "section", &t, 17);
		open_tag(&b, "p", &t, 18);
		of_buf_puts(&b, "\xE5\x8F\x82\xE8\x80\x83\xE9\x93\xBE\xE6\x8E\xA5</p>\n"); /* 参考链接 */
		of_buf_puts(&b, of_buf_cstr(&notes));
		of_buf_puts(&b, "</section>\n");
	}
	rc = of_buf_puts(&b, "</section>\n");
	cmark_iter_free(it);
	cmark_node_free(doc);
	theme_free(&t);
	of_buf_free(&notes);
	if (rc < 0) {
		of_buf_free(&b);
		return rc;
	}
	*out = of_buf_detach(&b, NULL);
	return *out ? 0 : of_error_set_oom();
}
