/* prompts_write.c — prompts.json, prompts.md, next-posts.jsonl and
 * comments.jsonl (the last one streamed: a million lines must not be a tree). */
#include "prompts_model.h"
#include "onefish/buf.h"
#include "onefish/error.h"
#include "onefish/fileio.h"
#include "onefish/json.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *intent_zh(int i)
{
	static const char *zh[OF_INTENT_COUNT] = {"提问", "购买咨询", "抱怨", "请求", "称赞", "闲聊", "噪声", "广告"};
	return i >= 0 && i < OF_INTENT_COUNT ? zh[i] : "?";
}

static const char *tmpl_zh(const char *t)
{
	if (strcmp(t, "qa") == 0)
		return "问答帖";
	if (strcmp(t, "myth") == 0)
		return "辟谣帖";
	if (strcmp(t, "product") == 0)
		return "产品帖";
	if (strcmp(t, "apology") == 0)
		return "致歉/说明帖";
	return "预告/回应帖";
}

static double round3(double v) { return floor(v * 1000 + 0.5) / 1000; }

static json_t *cluster_json(const pr_model *m, const pr_cluster *c, size_t rank)
{
	json_t *o = json_object(), *ex = json_array(), *ans = json_array();
	char clk[32];
	json_object_set_new(o, "id", json_string(c->id));
	json_object_set_new(o, "rank", json_integer((json_int_t)rank));
	json_object_set_new(o, "intent", json_string(of_intent__name((of_intent)c->intent)));
	json_object_set_new(o, "question", json_string(pr_str(m, m->texts[c->rep_text].raw)));
	json_object_set_new(o, "count", json_integer((json_int_t)c->count));
	json_object_set_new(o, "echoes", json_integer((json_int_t)c->echoes));
	json_object_set_new(o, "superchats", json_integer((json_int_t)c->superchats));
	json_object_set_new(o, "users", json_integer((json_int_t)c->users));
	json_object_set_new(o, "weight", json_real(round3(c->weight)));
	json_object_set_new(o, "first", json_real(round3(c->first)));
	json_object_set_new(o, "first_clock", json_string(of_prompts__clock(c->first, clk, sizeof clk)));
	json_object_set_new(o, "peak", json_real(round3(c->peak)));
	json_object_set_new(o, "peak_clock", json_string(of_prompts__clock(c->peak, clk, sizeof clk)));
	json_object_set_new(o, "peak_count", json_integer((json_int_t)c->peak_n));
	/* the same verdict prompts.md and the review page print (集中 at peak_clock, or 分散) */
	json_object_set_new(o, "concentrated", json_boolean(of_prompts__concentrated(c)));
	/* the 高峰 cell itself, so the review page prints it rather than working it out again */
	json_object_set_new(o, "peak_label", json_string(of_prompts__peak_label(c, clk, sizeof clk)));
	json_object_set_new(o, "intent_label", json_string(intent_zh(c->intent))); /* as prompts.md names it */
	/* a complaint's problem, when complaint.txt files its words under one (声音好小 → 直播声音小) */
	json_object_set_new(o, "topic", c->topic ? json_string(c->topic) : json_null());
	for (size_t e = 0; e < c->n_examples; e++)
		json_array_append_new(ex, json_string(pr_str(m, m->texts[c->examples[e]].raw)));
	json_object_set_new(o, "examples", ex);
	for (size_t a = 0; a < c->n_answers; a++)
		json_array_append_new(ans, json_string(pr_str(m, m->texts[c->answers[a]].raw)));
	json_object_set_new(o, "answers", ans);
	if (c->prompt) {
		json_object_set_new(o, "template", json_string(c->tmpl));
		json_object_set_new(o, "prompt", json_string(c->prompt));
		json_object_set_new(o, "lint", c->lint ? json_string(c->lint) : json_null());
	}
	return o;
}

int of_prompts__write_json(const pr_model *m, const of_prompts_options *o, const char *path)
{
	json_t *root = json_object(), *inputs = json_array(), *sum = json_object(), *bi = json_object(),
	       *br = json_object(), *cl = json_array();
	size_t top = o->top > 0 ? (size_t)o->top : 10;
	int rc;
	for (size_t f = 0; f < m->n_files; f++) {
		json_t *in = json_object();
		json_object_set_new(in, "path", json_string(of_path_display(m->files[f].path)));
		json_object_set_new(in, "format", json_string(of_comments_format_name(m->files[f].format)));
		json_object_set_new(in, "comments", json_integer((json_int_t)m->files[f].comments));
		if (m->files[f].encoding) /* absent: UTF-8, or what the XML declared */
			json_object_set_new(in, "encoding", json_string(m->files[f].encoding));
		if (m->files[f].platform[0]) /* a live recording: the site it was recorded from */
			json_object_set_new(in, "platform", json_string(m->files[f].platform));
		if (m->files[f].shift > 0) /* a later part of a recording, lined up by its start time */
			json_object_set_new(in, "offset", json_real(round3(m->files[f].shift)));
		json_array_append_new(inputs, in);
	}
	json_object_set_new(root, "version", json_integer(1));
	if (m->md_sha[0]) /* what was written: a later run tells an editor's change from its own file */
		json_object_set_new(root, "prompts_md_sha256", json_string(m->md_sha));
	json_object_set_new(root, "inputs", inputs);
	json_object_set_new(sum, "comments", json_integer((json_int_t)m->n_items));
	json_object_set_new(sum, "distinct_texts", json_integer((json_int_t)m->n_texts));
	json_object_set_new(sum, "users", json_integer((json_int_t)m->n_users));
	json_object_set_new(sum, "bad_records", json_integer((json_int_t)m->cst.bad));
	json_object_set_new(sum, "too_long", json_integer((json_int_t)m->cst.too_long));
	json_object_set_new(sum, "ignored_records", json_integer((json_int_t)m->cst.ignored));
	json_object_set_new(sum, "control_chars_removed", json_integer((json_int_t)m->cst.control_removed));
	json_object_set_new(sum, "invalid_utf8_replaced", json_integer((json_int_t)m->cst.invalid_utf8));
	/* records sent before their log's first one: the log's times count from its earliest */
	json_object_set_new(sum, "out_of_order", json_integer((json_int_t)m->cst.out_of_order));
	json_object_set_new(sum, "floods_collapsed", json_integer((json_int_t)m->floods));
	json_object_set_new(sum, "superchats", json_integer((json_int_t)m->superchats));
	json_object_set_new(sum, "streamer_comments", json_integer((json_int_t)m->streamer_comments));
	json_object_set_new(sum, "moderator_comments", json_integer((json_int_t)m->moderator_comments));
	json_object_set_new(sum, "echoes_attached", json_integer((json_int_t)m->echoes_attached));
	json_object_set_new(sum, "duration", json_real(round3(m->t_max - m->t_from)));
	for (int i = 0; i < OF_INTENT_COUNT; i++)
		json_object_set_new(bi, of_intent__name((of_intent)i), json_integer((json_int_t)m->by_intent[i]));
	for (int i = 0; i < OF_RULE_COUNT; i++)
		json_object_set_new(br, of_rule__name((of_rule)i), json_integer((json_int_t)m->by_rule[i]));
	json_object_set_new(sum, "by_intent", bi);
	json_object_set_new(sum, "by_rule", br);
	json_object_set_new(sum, "clusters", json_integer((json_int_t)m->n_clusters));
	json_object_set_new(root, "summary", sum);
	for (size_t i = 0; i < m->n_clusters && i < top; i++)
		json_array_append_new(cl, cluster_json(m, &m->clusters[i], i + 1));
	json_object_set_new(root, "clusters", cl);
	rc = of_json_write(path, root);
	json_decref(root);
	return rc;
}

/* The name an editor knows a site by; the reader keeps only [a-z0-9], so an
 * unknown one prints as it is. */
static const char *site_name(const char *platform)
{
	static const char *const names[][2] = {{"bilibili", "B站"}, {"douyin", "抖音"}, {"douyu", "斗鱼"},
					       {"huya", "虎牙"},         {"kuaishou", "快手"}, {"tiktok", "TikTok"},
					       {"youtube", "YouTube"},    {"twitch", "Twitch"}};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(platform, names[i][0]) == 0)
			return names[i][1];
	return platform;
}

/* The gift kinds the logs' platforms have, for 「礼物 N 次（…）」 (QA: a 视频号 log was told of 上舰,
 * bilibili's guard purchase): bilibili's 送礼 and 上舰 (a danmaku XML or a bilibili recorder's file),
 * YouTube's 付费贴纸 (Super Stickers), and the neutral 送礼 for any other log, whose platform we
 * cannot tell. Into `out` (cap bytes), joined by 、. */
static void gift_kinds(const pr_model *m, char *out, size_t cap)
{
	int bili = 0, yt = 0, other = 0;
	for (size_t i = 0; i < m->n_files; i++) {
		const pr_file *f = &m->files[i];
		if (f->format == OF_COMMENTS_BILIBILI || strcmp(f->platform, "bilibili") == 0)
			bili = 1;
		else if (f->format == OF_COMMENTS_YOUTUBE || strcmp(f->platform, "youtube") == 0)
			yt = 1;
		else
			other = 1;
	}
	snprintf(out, cap, "%s%s%s%s%s", bili || other ? "送礼" : "", bili ? "、上舰" : "",
		 (bili || other) && yt ? "、" : "", yt ? "付费贴纸" : "", !bili && !yt && !other ? "送礼" : "");
}

/* Markdown table cells must not break the table. */
static void md_cell(of_buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '|')
			of_buf_puts(b, "\\|");
		else if (*s == '\n' || *s == '\r')
			of_buf_putc(b, ' ');
		else
			of_buf_putc(b, *s);
	}
}

int of_prompts__write_md(const pr_model *m, const of_prompts_options *o, const char *path)
{
	of_buf b;
	size_t top = o->top > 0 ? (size_t)o->top : 10, shown = 0;
	char c1[128], c2[32];
	int rc;
	of_buf_init(&b, (size_t)64 * 1024 * 1024);
	of_buf_printf(&b, "# 下周发圈选题：直播间观众在问什么\n\n");
	for (size_t f = 0; f < m->n_files; f++)
		of_buf_printf(&b, "- 来源：`%s`（%s%s%s%s%s，%zu 条评论）\n", of_path_display(m->files[f].path),
			      m->files[f].platform[0] ? site_name(m->files[f].platform) : "",
			      m->files[f].platform[0] ? "直播录制，格式 " : "",
			      of_comments_format_name(m->files[f].format), m->files[f].encoding ? "，编码 " : "",
			      !m->files[f].encoding ? "" : strcmp(m->files[f].encoding, "gb18030") == 0 ? "GB18030" : "UTF-16",
			      m->files[f].comments);
	of_buf_printf(&b, "- 时长约 %s，%zu 位观众；提问 %zu 条、购买咨询 %zu、抱怨 %zu、请求 %zu；",
		      of_prompts__clock(m->t_max - m->t_from, c1, sizeof c1), m->n_users, m->by_intent[OF_INTENT_QUESTION],
		      m->by_intent[OF_INTENT_PURCHASE] - m->by_rule[OF_RULE_ORDERED], m->by_intent[OF_INTENT_COMPLAINT],
		      m->by_intent[OF_INTENT_REQUEST]);
	/* "已拍" is what a host asks buyers to type: a sales signal for the editor, not a need to answer */
	if (m->by_rule[OF_RULE_ORDERED])
		of_buf_printf(&b, "说已下单 %zu 条（不算咨询）；", m->by_rule[OF_RULE_ORDERED]);
	of_buf_printf(&b, "已剔除噪声 %zu、广告 %zu、刷屏重复 %zu 条，主播自己的发言 %zu 条", m->by_intent[OF_INTENT_NOISE] -
		      m->by_rule[OF_RULE_GIFT], m->by_intent[OF_INTENT_SPAM], m->floods, m->streamer_comments);
	if (m->moderator_comments) /* staff: they answer for the stream, they do not ask */
		of_buf_printf(&b, "、管理员（房管）的发言 %zu 条", m->moderator_comments);
	of_buf_puts(&b, "不计入。\n");
	/* a paid message is the strongest ask a viewer can make: the editor should
	 * know why one asker can outrank two (amounts are in each payer's currency,
	 * so they are not summed here) */
	if (m->superchats)
		of_buf_printf(&b, "- 醒目留言（付费留言）%zu 条，按金额计入排序权重。\n", m->superchats);
	char gifts[64], gift_rule[96];
	gift_kinds(m, gifts, sizeof gifts);
	snprintf(gift_rule, sizeof gift_rule, "礼物（%s）", gifts);
	if (m->by_rule[OF_RULE_GIFT])
		of_buf_printf(&b, "- 礼物 %zu 次（%s）是平台事件，不是观众的发言，不计入提问。\n", m->by_rule[OF_RULE_GIFT], gifts);
	if (m->cst.out_of_order) /* the times of 首次 and 高峰 count from there, not from the log's first line */
		of_buf_printf(&b, "- 日志顺序有乱：%zu 条评论的时间早于日志的第一条，时间从最早的一条算起。\n",
			      m->cst.out_of_order);
	if (m->by_rule[OF_RULE_ADVANCED]) /* say why a music video's sung lines are not in the table */
		of_buf_printf(&b, "- 高级弹幕 %zu 条（歌词、字幕、弹幕艺术）不是观众的发言，不计入提问。\n",
			      m->by_rule[OF_RULE_ADVANCED]);
	of_buf_puts(&b, "\n");
	if (m->n_clusters == 0) {
		of_buf_puts(&b, "这场直播里没有找到观众的提问、购买咨询或反馈。\n");
	} else {
		of_buf_puts(&b, "按提问人数和权重排序（“同问/+1”计入人数）。每条下面的提示词可以直接交给写手或大模型。\n\n");
		of_buf_puts(&b, "| # | 观众的问题 | 类型 | 人数 | 条数 | 首次 | 高峰 | 建议帖子 |\n");
		of_buf_puts(&b, "|---|---|---|---|---|---|---|---|\n");
		for (size_t i = 0; i < m->n_clusters && i < top; i++) {
			const pr_cluster *c = &m->clusters[i];
			of_buf_printf(&b, "| %zu | ", i + 1);
			md_cell(&b, pr_str(m, m->texts[c->rep_text].raw));
			of_buf_printf(&b, " | %s | %zu | %zu | %s | %s | %s |\n", intent_zh(c->intent), c->users,
				      c->count + c->echoes, of_prompts__clock(c->first, c1, sizeof c1),
				      of_prompts__peak_label(c, c2, sizeof c2), tmpl_zh(c->tmpl));
			shown++;
		}
		for (size_t i = 0; i < shown; i++) {
			const pr_cluster *c = &m->clusters[i];
			of_buf_printf(&b, "\n## %zu. %s（%s）\n\n", i + 1, pr_str(m, m->texts[c->rep_text].raw), tmpl_zh(c->tmpl));
			of_buf_printf(&b, "- %zu 位观众，%zu 条评论", c->users, c->count);
			if (c->superchats) /* paid to ask: why a lone asker can rank above two */
				of_buf_printf(&b, "（其中醒目留言 %zu 条）", c->superchats);
			if (c->echoes)
				of_buf_printf(&b, "，另有 %zu 条“同问/+1”", c->echoes);
			of_buf_printf(&b, "；%s。\n", of_prompts__when(c, c1, sizeof c1));
			if (c->topic) /* examples are distinct wordings: more than one means some were merged */
				of_buf_printf(&b, "- 归类：%s%s\n", c->topic,
					      c->n_examples > 1 ? "（说法不同的同类评论已合在一起）" : "");
			of_buf_puts(&b, "- 观众原话：");
			for (size_t e = 0; e < c->n_examples; e++)
				of_buf_printf(&b, "%s「%s」", e ? " " : "", pr_str(m, m->texts[c->examples[e]].raw));
			of_buf_puts(&b, "\n");
			for (size_t a = 0; a < c->n_answers; a++)
				of_buf_printf(&b, "- %s在直播里的回答：%s\n", c->answer_by_mod[a] ? "管理员" : "主播",
					      of_prompts__answer_body(pr_str(m, m->texts[c->answers[a]].raw)));
			if (c->lint)
				of_buf_printf(&b, "- ⚠ 广告法用语提示：%s\n", c->lint);
			of_buf_puts(&b, "\n**发圈提示词**\n\n");
			for (const char *p = c->prompt ? c->prompt : ""; *p;) {
				const char *nl = strchr(p, '\n');
				size_t n = nl ? (size_t)(nl - p) : strlen(p);
				if (n) {
					of_buf_puts(&b, "> ");
					of_buf_append(&b, p, n);
					of_buf_puts(&b, "\n>\n");
				}
				p += n + (nl ? 1 : 0);
			}
			of_buf_truncate(&b, of_buf_len(&b) - 2);
		}
	}
	/* The editor reads this table; the rule names stay as in prompts.json and comments.jsonl. */
	static const char *rule_zh[] = {
		"广告：链接", "广告：电话号码", "广告：加微信/QQ", "机器人命令", "广告词", "纯表情或标点",
		"纯数字（666、2333）", "单个字", "纯笑声", "无意义词", "乱码", "系统消息", "礼物",
		"高级弹幕（歌词、字幕、弹幕艺术）", "主播的回答", "“同问/+1”",
		"反问、感叹、玩笑", "抱怨", "购买咨询", "说已下单（不算咨询）", "请求主播", "问号提问", "疑问词提问", "夸奖", "闲聊"};
	_Static_assert(sizeof rule_zh / sizeof *rule_zh == OF_RULE_COUNT, "one description per rule");
	of_buf_puts(&b, "\n## 过滤规则统计\n\n| 规则 | 说明 | 条数 |\n|---|---|---|\n");
	for (int r = 0; r < OF_RULE_COUNT; r++)
		if (m->by_rule[r])
			of_buf_printf(&b, "| %s | %s | %zu |\n", of_rule__name((of_rule)r),
				      r == OF_RULE_ANSWER && m->moderator_comments ? "主播和管理员的回答"
				      : r == OF_RULE_GIFT				     ? gift_rule
										     : rule_zh[r],
				      m->by_rule[r]);
	of_buf_printf(&b, "| flood | 同一用户 %.0f 秒内重复 | %zu |\n", o->flood_window, m->floods);
	if (m->cst.bad || m->cst.too_long || m->cst.ignored)
		of_buf_printf(&b, "| bad / too_long / ignored | 坏记录 / 超长 / 非评论事件 | %zu / %zu / %zu |\n",
			      m->cst.bad, m->cst.too_long, m->cst.ignored);
	of_buf_puts(&b, "\n");
	rc = of_file_write_atomic(path, of_buf_cstr(&b), of_buf_len(&b));
	of_buf_free(&b);
	return rc;
}

int of_prompts__write_next_posts(const pr_model *m, const of_prompts_options *o, const char *path)
{
	of_buf b;
	size_t top = o->top > 0 ? (size_t)o->top : 10;
	int rc = 0;
	of_buf_init(&b, (size_t)64 * 1024 * 1024);
	for (size_t i = 0; i < m->n_clusters && i < top && rc == 0; i++) {
		const pr_cluster *c = &m->clusters[i];
		json_t *p = json_object(), *cm = json_array(), *tags = json_array(), *ev = json_object();
		char id[48], *line;
		/* ids carry the date of this pack's live (live.time), one a week: a stub carried into the
		 * next week's posts does not collide with that week's stubs */
		if (o->brand.live_time && strlen(o->brand.live_time) >= 10 && o->brand.live_time[4] == '-' &&
		    o->brand.live_time[7] == '-')
			snprintf(id, sizeof id, "next-%.2s%.2s-%02zu", o->brand.live_time + 5, o->brand.live_time + 8, i + 1);
		else
			snprintf(id, sizeof id, "next-%02zu", i + 1);
		json_object_set_new(p, "id", json_string(id));
		json_object_set_new(p, "author", json_string(o->brand.name ? o->brand.name : ""));
		json_object_set_new(p, "text", json_string(""));
		json_object_set_new(p, "images", json_array());
		json_object_set_new(p, "likes", json_integer(0));
		for (size_t e = 0; e < c->n_examples; e++) {
			json_t *x = json_object();
			json_object_set_new(x, "user", json_string("直播观众"));
			json_object_set_new(x, "text", json_string(pr_str(m, m->texts[c->examples[e]].raw)));
			json_array_append_new(cm, x);
		}
		json_object_set_new(p, "comments", cm);
		/* tags are topics to the article stage (its title and sections): the kind of
		 * post (产品帖…) is not one, or next week's article would be 「本周精选｜产品帖」 */
		json_array_append_new(tags, json_string("直播问答"));
		json_object_set_new(p, "tags", tags);
		json_object_set_new(p, "post_type", json_string(tmpl_zh(c->tmpl)));
		json_object_set_new(p, "status", json_string("stub"));
		json_object_set_new(p, "prompt", json_string(c->prompt ? c->prompt : ""));
		json_object_set_new(ev, "cluster", json_string(c->id));
		json_object_set_new(ev, "question", json_string(pr_str(m, m->texts[c->rep_text].raw)));
		json_object_set_new(ev, "intent", json_string(of_intent__name((of_intent)c->intent)));
		if (c->topic)
			json_object_set_new(ev, "topic", json_string(c->topic));
		json_object_set_new(ev, "users", json_integer((json_int_t)c->users));
		json_object_set_new(ev, "count", json_integer((json_int_t)(c->count + c->echoes)));
		json_object_set_new(ev, "first", json_real(round3(c->first)));
		json_object_set_new(ev, "peak", json_real(round3(c->peak)));
		json_object_set_new(p, "evidence", ev);
		line = of_json_dump_line(p);
		json_decref(p);
		if (!line)
			rc = of_error_set_oom();
		else {
			of_buf_puts(&b, line);
			of_buf_putc(&b, '\n');
			free(line);
		}
	}
	if (rc == 0)
		rc = of_file_write_atomic(path, of_buf_cstr(&b), of_buf_len(&b));
	of_buf_free(&b);
	return rc;
}

static char *put_lit(char *o, const char *s, size_t n)
{
	memcpy(o, s, n);
	return o + n;
}

#define PUT_LIT(o, lit) put_lit((o), (lit), sizeof(lit) - 1)

/* Appends a non-negative integer in decimal, two digits per division. */
static char *put_u64(char *o, unsigned long long v)
{
	static const char d2[] = "0001020304050607080910111213141516171819202122232425262728293031323334353637383940414243444546474849"
				 "5051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899";
	char tmp[24], *t = tmp + sizeof tmp;
	while (v >= 100) {
		t -= 2;
		memcpy(t, d2 + 2 * (v % 100), 2);
		v /= 100;
	}
	if (v >= 10) {
		t -= 2;
		memcpy(t, d2 + 2 * v, 2);
	} else {
		*--t = (char)('0' + v);
	}
	memcpy(o, t, (size_t)(tmp + sizeof tmp - t));
	return o + (tmp + sizeof tmp - t);
}

/* Non-zero when one of the eight bytes of `w` needs escaping in a JSON string:
 * below 0x20, '"' or '\\' (exact as a yes/no; UTF-8 bytes pass). */
static uint64_t json_special8(uint64_t w)
{
	const uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
	uint64_t q = w ^ (ones * '"'), b = w ^ (ones * '\\');
	return (((w - ones * 0x20) & ~w) | ((q - ones) & ~q) | ((b - ones) & ~b)) & high;
}

/* Escapes s[0..n) (valid UTF-8 without NUL) as a JSON string at `o`, which has
 * room for 6n + 2 bytes; returns the end. Plain words are copied eight bytes
 * at a time (a dmid is 17-19 digits). */
static char *put_json_str(char *o, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i = 0;
	*o++ = '"';
	while (i < n) {
		uint64_t w;
		if (i + 8 <= n) {
			memcpy(&w, s + i, 8);
			if (!json_special8(w)) {
				memcpy(o, &w, 8);
				o += 8;
				i += 8;
				continue;
			}
		}
		unsigned char c = (unsigned char)s[i++];
		if (c >= 0x20 && c != '"' && c != '\\') {
			*o++ = (char)c;
		} else if (c == '"' || c == '\\') {
			*o++ = '\\';
			*o++ = (char)c;
		} else if (c == '\n') {
			*o++ = '\\';
			*o++ = 'n';
		} else {
			o = put_lit(o, "\\u00", 4);
			*o++ = hex[c >> 4];
			*o++ = hex[c & 15];
		}
	}
	*o++ = '"';
	return o;
}

/* Appends `key` then `s` as a JSON string to the fragments; the escaping is
 * done in the output block *ob (grown to fit), which is not in use yet. */
static int frag_put(of_buf *frag, char **ob, size_t *ocap, const char *key, const char *s)
{
	size_t n = strlen(s), kl = strlen(key), need = kl + 6 * n + 2;
	if (need > *ocap) {
		char *bigger = realloc(*ob, need);
		if (!bigger)
			return of_error_set_oom();
		*ob = bigger;
		*ocap = need;
	}
	char *o = put_json_str(put_lit(*ob, key, kl), s, n);
	return of_buf_append(frag, *ob, (size_t)(o - *ob)) != 0 ? of_error_set_oom() : 0;
}

/* Pieces that repeat across a million lines are escaped once: per distinct
 * text ("text" and "norm"), per user, per file; each line is then assembled
 * with memcpy straight into the output block (one bound check per line), and
 * the lines are written a megabyte at a time. */
int of_prompts__write_comments(const pr_model *m, const char *path)
{
	of_atomic *a = NULL;
	FILE *fp;
	of_buf frag;
	size_t *toff = NULL, *uoff = NULL, *foff = NULL;
	size_t ocap = (size_t)2 << 20, olen = 0;
	char *ob = NULL;
	int rc = of_atomic_open(&a, path);
	if (rc)
		return rc;
	fp = of_atomic_fp(a);
	of_buf_init(&frag, (size_t)-1 / 2);
	toff = malloc((m->n_texts + 1) * sizeof *toff);
	uoff = malloc((m->n_users + 1) * sizeof *uoff);
	foff = malloc((m->n_files + 1) * sizeof *foff);
	ob = malloc(ocap);
	if (!toff || !uoff || !foff || !ob) {
		rc = of_error_set_oom();
		goto fail;
	}
	for (size_t i = 0; i < m->n_texts; i++) {
		toff[i] = of_buf_len(&frag);
		if ((rc = frag_put(&frag, &ob, &ocap, ",\"text\":", pr_str(m, m->texts[i].raw))) != 0 ||
		    (rc = frag_put(&frag, &ob, &ocap, ",\"norm\":", pr_str(m, m->texts[i].norm))) != 0)
			goto fail;
	}
	toff[m->n_texts] = of_buf_len(&frag);
	for (size_t u = 0; u < m->n_users; u++) {
		uoff[u] = of_buf_len(&frag);
		if ((rc = frag_put(&frag, &ob, &ocap, ",\"user\":", pr_str(m, m->users[u].id))) != 0)
			goto fail;
	}
	uoff[m->n_users] = of_buf_len(&frag);
	for (size_t f = 0; f < m->n_files; f++) {
		foff[f] = of_buf_len(&frag);
		for (const char *p = of_path_basename(m->files[f].path); *p; p++)
			if (*p != '"' && *p != '\\' && (unsigned char)*p >= 0x20)
				of_buf_putc(&frag, *p);
	}
	foff[m->n_files] = of_buf_len(&frag);
	const char *fr = of_buf_cstr(&frag);
	size_t intent_len[OF_INTENT_COUNT], rule_len[OF_RULE_COUNT];
	for (int k = 0; k < OF_INTENT_COUNT; k++)
		intent_len[k] = strlen(of_intent__name((of_intent)k));
	for (int k = 0; k < OF_RULE_COUNT; k++)
		rule_len[k] = strlen(of_rule__name((of_rule)k));
	for (size_t i = 0; i < m->n_items; i++) {
		const pr_item *it = &m->items[i];
		const char *id = it->id != (size_t)-1 ? pr_str(m, it->id) : NULL;
		size_t idlen = id ? strlen(id) : 0;
		size_t ulen = uoff[it->user + 1] - uoff[it->user], tlen = toff[it->text + 1] - toff[it->text];
		/* an upper bound: the id escaped at worst, the fragments, 320 bytes for the rest */
		size_t need = (id ? 6 * idlen : foff[it->file + 1] - foff[it->file]) + ulen + tlen + 320;
		long long ms = (long long)(it->time * 1000.0 + (it->time < 0 ? -0.5 : 0.5));
		if (olen + need > ocap || olen >= (1 << 20)) { /* lines go out a megabyte at a time */
			fwrite(ob, 1, olen, fp);
			olen = 0;
			if (need > ocap) {
				char *bigger = realloc(ob, need);
				if (!bigger) {
					rc = of_error_set_oom();
					goto fail;
				}
				ob = bigger;
				ocap = need;
			}
		}
		char *o = ob + olen;
		o = PUT_LIT(o, "{\"id\":");
		if (id) {
			o = put_json_str(o, id, idlen);
		} else {
			*o++ = '"';
			o = put_lit(o, fr + foff[it->file], foff[it->file + 1] - foff[it->file]);
			*o++ = ':';
			o = put_u64(o, it->line);
			*o++ = '"';
		}
		o = PUT_LIT(o, ",\"line\":");
		o = put_u64(o, it->line);
		o = PUT_LIT(o, ",\"time\":");
		if (ms < 0) {
			*o++ = '-';
			ms = -ms;
		}
		o = put_u64(o, (unsigned long long)(ms / 1000));
		*o++ = '.';
		*o++ = (char)('0' + ms / 100 % 10);
		*o++ = (char)('0' + ms / 10 % 10);
		*o++ = (char)('0' + ms % 10);
		o = put_lit(o, fr + uoff[it->user], ulen);
		o = put_lit(o, fr + toff[it->text], tlen);
		o = PUT_LIT(o, ",\"intent\":\"");
		o = it->intent < OF_INTENT_COUNT ? put_lit(o, of_intent__name((of_intent)it->intent), intent_len[it->intent])
						  : put_lit(o, "?", 1);
		o = PUT_LIT(o, "\",\"rule\":\"");
		o = it->rule < OF_RULE_COUNT ? put_lit(o, of_rule__name((of_rule)it->rule), rule_len[it->rule]) : put_lit(o, "?", 1);
		o = PUT_LIT(o, "\",\"cluster\":");
		if (it->cluster != PR_NONE) {
			const char *cid = m->clusters[it->cluster].id;
			*o++ = '"';
			o = put_lit(o, cid, strnlen(cid, sizeof m->clusters[it->cluster].id));
			*o++ = '"';
		} else {
			o = PUT_LIT(o, "null");
		}
		if (it->flags & PR_FLOOD)
			o = PUT_LIT(o, ",\"flood\":true");
		if (it->kind != OF_COMMENT_CHAT) /* at most 60 bytes: the weight is capped far below 1e40 */
			o += snprintf(o, 96, ",\"kind\":\"%s\",\"weight\":%.2f",
				      it->kind == OF_COMMENT_GIFT ? "gift" : it->kind == OF_COMMENT_SUPERCHAT ? "superchat" : "system",
				      (double)it->weight);
		if (it->flags & PR_STREAMER) /* staff: last, so the fields before keep their places */
			o = it->flags & PR_MODERATOR ? PUT_LIT(o, ",\"role\":\"moderator\"") : PUT_LIT(o, ",\"role\":\"host\"");
		o = PUT_LIT(o, "}\n");
		olen = (size_t)(o - ob);
	}
	fwrite(ob, 1, olen, fp);
	if (ferror(fp)) {
		rc = of_error_set_at(OF_ERROR, path, 0, 0, "write failed");
		goto fail;
	}
	rc = of_atomic_commit(a);
	a = NULL;
fail:
	if (a)
		of_atomic_abort(a);
	free(toff);
	free(uoff);
	free(foff);
	free(ob);
	of_buf_free(&frag);
	return rc;
}
