/* cta.c — the closing call to action, and the live stream's time as a narrator says it. */
#include "script/cta.h"
#include "script/caption.h"
#include "script/clause.h"
#include "onefish/error.h"

#include <stdio.h>
#include <string.h>

static int parse_int(const char *s, size_t n, long *out)
{
	long v = 0;
	size_t i;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

int of_script_format_live_time(const char *iso, char *buf, size_t n)
{
	static const char *const wd[] = {"周日", "周一", "周二", "周三", "周四", "周五", "周六"};
	static const int t[] = {0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4};
	long y, m, d, hh = -1, mm = -1;
	snprintf(buf, n, "%s", iso ? iso : "");
	if (!iso || strlen(iso) < 10 || iso[4] != '-' || iso[7] != '-' || parse_int(iso, 4, &y) ||
	    parse_int(iso + 5, 2, &m) || parse_int(iso + 8, 2, &d) || m < 1 || m > 12 || d < 1 || d > 31)
		return OF_EINVALID;
	if (strlen(iso) >= 16 && (iso[10] == 'T' || iso[10] == ' ') && iso[13] == ':') {
		if (parse_int(iso + 11, 2, &hh) || parse_int(iso + 14, 2, &mm) || hh > 23 || mm > 59)
			return OF_EINVALID;
	}
	/* Sakamoto's weekday of the date as written (the live stream's own local time). */
	long yy = m < 3 ? y - 1 : y;
	int w = (int)((yy + yy / 4 - yy / 100 + yy / 400 + t[m - 1] + d) % 7);
	if (hh >= 0)
		snprintf(buf, n, "%ld月%ld日（%s）%02ld:%02ld", m, d, wd[w], hh, mm);
	else
		snprintf(buf, n, "%ld月%ld日（%s）", m, d, wd[w]);
	return 0;
}

int of_script__build_cta(of_script__scene *c, const of_brand *br, const of_script__sent *art, double cap,
			 double hard_cap, char *time_text, size_t tn)
{
	char cand[5][1024];
	int nc = 0, i, with_cta = 0; /* cand[0..with_cta) say the call to action */
	const char *title = br->live_title, *cta = br->live_cta, *plat = br->live_platform;
	/* No live.cta configured: the article's own (点击预约，周四晚8点直播间见！) says what to do. */
	int own = !(cta && *cta) && art && art->text;
	if (own && !title)
		cta = NULL; /* nothing configured: the article's CTA whole, below */
	else if (own)
		cta = art->text;
	time_text[0] = '\0';
	if (br->live_time)
		of_script_format_live_time(br->live_time, time_text, tn);
	if (title && *time_text)
		snprintf(cand[nc++], sizeof cand[0], "%s%s直播「%s」，%s", time_text, plat ? plat : "",
			 title, cta ? cta : "点击预约，直播间见！");
	if (title && cta)
		snprintf(cand[nc++], sizeof cand[0], "「%s」，%s", title, cta);
	if (cta)
		snprintf(cand[nc++], sizeof cand[0], "%s", cta);
	with_cta = nc;
	if (title)
		snprintf(cand[nc++], sizeof cand[0], "「%s」，直播间见！", title);
	/* Nothing configured: the article's own call to action, the scene growing to fit it. */
	if (nc == 0 && art && art->text && of_spoken_units(art->text, strlen(art->text)) <= hard_cap) {
		int rc = of_clause_put(&c->narr, art->text, strlen(art->text));
		if (rc == 0)
			json_array_append_new(c->sources, of_script__source_of(art));
		return rc;
	}
	if (nc == 0)
		snprintf(cand[nc++], sizeof cand[0], "关注%s，下期见！", br->name ? br->name : "我们");
	for (i = 0; i < nc; i++)
		if (of_spoken_units(cand[i], strlen(cand[i])) <= cap)
			break;
	if (i == nc) {
		/* None fits the scene: the shortest that says the call to action (点击预约，周四晚8点直播间见,
		 * not 「title」，直播间见！ without when or how), the scene growing to fit it, up to a third
		 * of the video; else the shortest at all. */
		int best = -1, k;
		for (k = 0; k < nc; k++) {
			double u = of_spoken_units(cand[k], strlen(cand[k]));
			if (k < with_cta && u <= hard_cap && (best < 0 || u < of_spoken_units(cand[best], strlen(cand[best]))))
				best = k;
		}
		if (best < 0)
			for (k = 0; k < nc; k++)
				if (best < 0 || of_spoken_units(cand[k], strlen(cand[k])) <
						    of_spoken_units(cand[best], strlen(cand[best])))
					best = k;
		i = best;
	}
	size_t keep = strlen(cand[i]);
	if (of_spoken_units(cand[i], keep) > hard_cap) {
		/* Even that is too long (a long live.cta in a short video): its leading clauses. */
		size_t ends[64], ne = of_clause_ends(cand[i], ends, 64), e;
		keep = 0;
		for (e = 0; e < ne; e++)
			if (of_spoken_units(cand[i], ends[e]) <= hard_cap && of_clause_balanced(cand[i], 0, ends[e]))
				keep = ends[e];
		if (keep == 0) {
			snprintf(cand[i], sizeof cand[i], "直播间见！");
			keep = strlen(cand[i]);
		}
	}
	int rc = of_clause_put(&c->narr, cand[i], keep);
	if (rc)
		return rc;
	if (own && i < with_cta)
		json_array_append_new(c->sources, of_script__source_of(art));
	else if (br->live_cta)
		json_array_append_new(c->sources, json_pack("{s:s, s:s}", "config", "live.cta", "text", br->live_cta));
	if (br->live_title)
		json_array_append_new(c->sources, json_pack("{s:s, s:s}", "config", "live.title", "text", br->live_title));
	if (json_array_size(c->sources) == 0)
		json_array_append_new(c->sources, json_pack("{s:s, s:s}", "config", "brand.name", "text",
							    br->name ? br->name : ""));
	return 0;
}

double of_script__cta_seconds(const char *narr, const of_brand *br, const char *time_text, double rate,
			      double breath)
{
	/* the card's lines, as the video sets them (live.time_text, else live.time) */
	const char *lines[4] = {br->live_title, time_text && *time_text ? time_text : br->live_time, br->live_cta,
				br->live_platform};
	int card = (br->live_title && *br->live_title) || (br->live_cta && *br->live_cta);
	double unsaid = 0, voice = of_spoken_units(narr, strlen(narr)) / rate + breath;
	for (int i = 0; card && i < 4; i++)
		if (lines[i] && *lines[i] && !strstr(narr, lines[i]))
			unsaid += of_spoken_units(lines[i], strlen(lines[i]));
	double read = OF_SCRIPT_CARD_FADE_S + unsaid / OF_SCRIPT_CARD_READ_RATE;
	if (read < OF_SCRIPT_CARD_MIN_S)
		read = OF_SCRIPT_CARD_MIN_S;
	return voice > read ? voice : read;
}
