/* prompts_svg.c — comments.svg: comments per minute as bars, the actionable
 * share (questions, purchase, complaints, requests) on top, and each top
 * cluster marked with its rank: a filled circle at its peak when its asks
 * bunch up, a hollow one where it was first asked when they are spread over
 * the stream (prompts.md says 分散 there; a filled circle at its busiest
 * minute would send the editor to a minute that means nothing). Written with
 * libxml2's xmlTextWriter, so every text is escaped; plain SVG 1.1, no script,
 * no external references. */
#include "prompts_model.h"
#include "onefish/error.h"
#include "onefish/fileio.h"

#include <libxml/xmlwriter.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define W 960
#define H 360
#define ML 56
#define MR 16
#define MT 48
#define MB 44
#define MAX_BARS 720 /* longer streams are binned by several minutes per bar */

static void attr_num(xmlTextWriterPtr w, const char *name, double v)
{
	xmlTextWriterWriteFormatAttribute(w, BAD_CAST name, "%.1f", v);
}

static void rect(xmlTextWriterPtr w, double x, double y, double wd, double ht, const char *fill)
{
	xmlTextWriterStartElement(w, BAD_CAST "rect");
	attr_num(w, "x", x);
	attr_num(w, "y", y);
	attr_num(w, "width", wd);
	attr_num(w, "height", ht);
	xmlTextWriterWriteAttribute(w, BAD_CAST "fill", BAD_CAST fill);
	xmlTextWriterEndElement(w);
}

static void text(xmlTextWriterPtr w, double x, double y, const char *anchor, int size, const char *fill, const char *s)
{
	xmlTextWriterStartElement(w, BAD_CAST "text");
	attr_num(w, "x", x);
	attr_num(w, "y", y);
	xmlTextWriterWriteAttribute(w, BAD_CAST "text-anchor", BAD_CAST anchor);
	xmlTextWriterWriteFormatAttribute(w, BAD_CAST "font-size", "%d", size);
	xmlTextWriterWriteAttribute(w, BAD_CAST "fill", BAD_CAST fill);
	xmlTextWriterWriteString(w, BAD_CAST s);
	xmlTextWriterEndElement(w);
}

/* The actionable colour: the brand's (brand.color, #RRGGBB) when configured, else the
 * default orange. A colour too light to read on the white ground (contrast below 3:1, the
 * WCAG floor for large text and graphics) is darkened, channel by channel in proportion,
 * until it reaches 3:1, so the legend and the bars stay legible in any brand colour. */
#define DEFAULT_ACCENT "#E8734A"

static double lin(double c)
{
	c /= 255.0;
	return c <= 0.03928 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

static double contrast_on_white(double r, double g, double b)
{
	double l = 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
	return 1.05 / (l + 0.05);
}

void of_prompts__accent(const char *brand, char out[8])
{
	unsigned v[3];
	const char *s = brand && *brand ? brand : DEFAULT_ACCENT;
	size_t k;
	if (s[0] != '#' || strlen(s) != 7)
		s = DEFAULT_ACCENT;
	for (k = 1; k < 7; k++)
		if (!((s[k] >= '0' && s[k] <= '9') || ((s[k] | 32) >= 'a' && (s[k] | 32) <= 'f')))
			s = DEFAULT_ACCENT;
	for (k = 0; k < 3; k++) {
		char hx[3] = {s[1 + 2 * k], s[2 + 2 * k], 0};
		v[k] = (unsigned)strtoul(hx, NULL, 16);
	}
	double r = v[0], g = v[1], b = v[2];
	for (int i = 0; i < 64 && contrast_on_white(r, g, b) < 3.0; i++)
		r *= 0.93, g *= 0.93, b *= 0.93;
	snprintf(out, 8, "#%02X%02X%02X", (unsigned)lround(r), (unsigned)lround(g), (unsigned)lround(b));
}

static int is_actionable(int i)
{
	return i == OF_INTENT_QUESTION || i == OF_INTENT_PURCHASE || i == OF_INTENT_COMPLAINT || i == OF_INTENT_REQUEST;
}

/* The bar holding cluster `c`'s marker: its peak, or its first ask when it has no peak. */
static size_t mark_bar(const pr_model *m, const pr_cluster *c, double bin, size_t nb)
{
	double t = of_prompts__concentrated(c) ? c->peak : c->first;
	size_t b = (size_t)((t - m->t_min) / bin);
	return b < nb ? b : nb - 1;
}

/* How many clusters get a marker: the brief's top ones, at most 10. */
static size_t n_marks(const pr_model *m, const of_prompts_options *o)
{
	size_t top = o->top > 0 ? (size_t)o->top : 10, n = m->n_clusters < top ? m->n_clusters : top;
	return n > 10 ? 10 : n;
}

int of_prompts__write_svg(const pr_model *m, const of_prompts_options *o, const char *path)
{
	xmlBufferPtr buf = xmlBufferCreate();
	xmlTextWriterPtr w = buf ? xmlNewTextWriterMemory(buf, 0) : NULL;
	double span = m->t_max - m->t_min, bin, pw = W - ML - MR, ph = H - MT - MB, bw;
	size_t nb, *all = NULL, *act = NULL, *stack = NULL, maxv = 1;
	char label[64], accent[8];
	int rc = 0;
	of_prompts__accent(o->brand.color, accent);
	if (!w) {
		xmlBufferFree(buf);
		return of_error_set_oom();
	}
	nb = (size_t)(span / 60.0) + 1;
	bin = 60.0;
	while (nb > MAX_BARS) {
		bin *= 2;
		nb = (size_t)(span / bin) + 1;
	}
	all = calloc(nb, sizeof *all);
	act = calloc(nb, sizeof *act);
	stack = calloc(2 * nb, sizeof *stack); /* per bar: markers in it, markers placed so far */
	if (!all || !act || !stack) {
		rc = of_error_set_oom();
		goto done;
	}
	for (size_t i = 0; i < m->n_items; i++) {
		size_t b = (size_t)((m->items[i].time - m->t_min) / bin);
		if (b >= nb)
			b = nb - 1;
		all[b]++;
		if (is_actionable(m->items[i].intent) && m->items[i].rule != OF_RULE_ORDERED &&
		    !(m->items[i].flags & (PR_FLOOD | PR_STREAMER)))
			act[b]++;
	}
	for (size_t b = 0; b < nb; b++)
		if (all[b] > maxv)
			maxv = all[b];
	maxv = (maxv + 3) / 4 * 4; /* four whole-number grid steps */
	bw = pw / (double)nb;
	xmlTextWriterSetIndent(w, 1);
	xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL);
	xmlTextWriterStartElement(w, BAD_CAST "svg");
	xmlTextWriterWriteAttribute(w, BAD_CAST "xmlns", BAD_CAST "http://www.w3.org/2000/svg");
	xmlTextWriterWriteFormatAttribute(w, BAD_CAST "width", "%d", W);
	xmlTextWriterWriteFormatAttribute(w, BAD_CAST "height", "%d", H);
	xmlTextWriterWriteFormatAttribute(w, BAD_CAST "viewBox", "0 0 %d %d", W, H);
	xmlTextWriterWriteAttribute(w, BAD_CAST "font-family", BAD_CAST "Noto Sans CJK SC, Source Han Sans SC, sans-serif");
	xmlTextWriterStartElement(w, BAD_CAST "title");
	xmlTextWriterWriteString(w, BAD_CAST "直播评论数（每分钟）与观众提问高峰");
	xmlTextWriterEndElement(w);
	rect(w, 0, 0, W, H, "#ffffff");
	snprintf(label, sizeof label, "每%s评论数（%zu 条）", bin == 60 ? "分钟" : "时段", m->n_items);
	text(w, ML, 24, "start", 16, "#222222", label);
	text(w, W - MR, 24, "end", 12, accent, "■ 提问/购买/反馈");
	text(w, W - MR - 120, 24, "end", 12, "#9bb0c8", "■ 全部评论");
	{
		/* the numbered circles below: without this a reader cannot tell what they are */
		size_t marks = n_marks(m, o), bunched = 0;
		double x = W - MR - 210;
		for (size_t i = 0; i < marks; i++)
			bunched += of_prompts__concentrated(&m->clusters[i]) != 0;
		if (bunched) {
			text(w, x, 24, "end", 12, "#C0392B", "● 选题高峰");
			x -= 90;
		}
		if (bunched < marks) {
			text(w, x, 24, "end", 12, "#C0392B", "○ 选题首次出现（之后分散）");
			x -= 180;
		}
		if (marks)
			text(w, x, 24, "end", 12, "#888888", "编号同 prompts.md");
	}
	/* axes and grid */
	for (int g = 0; g <= 4; g++) {
		double y = MT + ph - ph * g / 4.0;
		rect(w, ML, y, pw, 0.6, "#dddddd");
		snprintf(label, sizeof label, "%.0f", (double)maxv * g / 4.0);
		text(w, ML - 6, y + 4, "end", 11, "#666666", label);
	}
	for (size_t b = 0; b < nb; b++) {
		double x = ML + bw * (double)b, ha = ph * (double)all[b] / (double)maxv, hq = ph * (double)act[b] / (double)maxv;
		if (all[b])
			rect(w, x + bw * 0.1, MT + ph - ha, bw * 0.8, ha, "#9bb0c8");
		if (act[b])
			rect(w, x + bw * 0.1, MT + ph - hq, bw * 0.8, hq, accent);
	}
	{
		double step = bin * ceil((double)nb / 12.0);
		/* at most 13 labels, counted (a float sum could stop advancing on a vast span) */
		for (int k = 0; k <= 13 && step > 0 && (double)k * step <= span + 1e-9; k++) {
			double t = (double)k * step;
			char clk[32];
			double x = ML + pw * (t / (bin * (double)nb));
			text(w, x, H - MB + 18, "middle", 11, "#666666", of_prompts__clock(m->t_min + t, clk, sizeof clk));
		}
		text(w, ML + pw / 2, H - 8, "middle", 12, "#444444", "直播时间");
	}
	/* the top clusters, numbered as in prompts.md */
	size_t marks = n_marks(m, o);
	for (size_t i = 0; i < marks; i++)
		stack[mark_bar(m, &m->clusters[i], bin, nb)]++;
	for (size_t i = 0; i < marks; i++) {
		const pr_cluster *c = &m->clusters[i];
		size_t b = mark_bar(m, c, bin, nb);
		double x = ML + bw * ((double)b + 0.5), y = MT + ph - ph * (double)all[b] / (double)maxv - 6;
		/* the highest a marker goes: below the title and legend */
		const double ceiling = MT + 4.0;
		if (stack[b] == 1) {
			y -= 14.0 * (double)(i % 2); /* alone: alternate heights so neighbouring bars' markers do not touch */
			if (y < ceiling)
				y = ceiling;
		} else {
			/* several peak in one bar (a short log has few bars): a column in rank
			 * order ending just above the bar, moved down over it when it would
			 * reach the title */
			double first = y - 17.0 * (double)(stack[b] - 1);
			y = (first < ceiling ? ceiling : first) + 17.0 * (double)stack[nb + b]++;
		}
		int bunched = of_prompts__concentrated(c);
		char when[128];
		xmlTextWriterStartElement(w, BAD_CAST "g");
		xmlTextWriterStartElement(w, BAD_CAST "title");
		xmlTextWriterWriteFormatString(w, "%zu. %s（%zu 人；%s）", i + 1, pr_str(m, m->texts[c->rep_text].raw), c->users,
					       of_prompts__when(c, when, sizeof when));
		xmlTextWriterEndElement(w);
		xmlTextWriterStartElement(w, BAD_CAST "circle");
		attr_num(w, "cx", x);
		attr_num(w, "cy", y - 4);
		attr_num(w, "r", bunched ? 8 : 7);
		xmlTextWriterWriteAttribute(w, BAD_CAST "fill", BAD_CAST(bunched ? "#C0392B" : "#ffffff"));
		if (!bunched) {
			xmlTextWriterWriteAttribute(w, BAD_CAST "stroke", BAD_CAST "#C0392B");
			xmlTextWriterWriteAttribute(w, BAD_CAST "stroke-width", BAD_CAST "2");
		}
		xmlTextWriterEndElement(w);
		snprintf(label, sizeof label, "%zu", i + 1);
		text(w, x, y, "middle", 10, bunched ? "#ffffff" : "#C0392B", label);
		xmlTextWriterEndElement(w);
	}
	xmlTextWriterEndElement(w);
	if (xmlTextWriterEndDocument(w) < 0) {
		rc = of_error_set_at(OF_ERROR, path, 0, 0, "SVG writer failed");
		goto done;
	}
	xmlFreeTextWriter(w);
	w = NULL;
	rc = of_file_write_atomic(path, xmlBufferContent(buf), (size_t)xmlBufferLength(buf));
done:
	if (w)
		xmlFreeTextWriter(w);
	xmlBufferFree(buf);
	free(all);
	free(act);
	free(stack);
	return rc;
}
