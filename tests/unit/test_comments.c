/* test_comments.c — unit tests for the comment readers (stages/ingest/comments_*.c). */
#include "testutil.h"

#include "onefish/buf.h"
#include "onefish/comments.h"
#include "onefish/error.h"
#include "onefish/json.h"
#include "onefish/limits.h"
#include "onefish/log.h"
#include "onefish/utf8.h"
#include "ingest/comments_int.h"
#include "prompts/prompts_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <math.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#define MAXC 64

typedef struct got {
	size_t n;
	char text[MAXC][256];
	char id[MAXC][32];
	char user[MAXC][64];
	char name[MAXC][64];
	double time[MAXC];
	double wall[MAXC];
	unsigned long line[MAXC];
	int kind[MAXC];
	int host[MAXC];
	int moderator[MAXC];
	int emotes_only[MAXC];
	double weight[MAXC];
} got;

static int collect(const of_comment *c, void *payload)
{
	got *g = payload;
	if (g->n < MAXC) {
		snprintf(g->text[g->n], sizeof g->text[0], "%.*s", (int)c->text_len, c->text);
		snprintf(g->id[g->n], sizeof g->id[0], "%s", c->id ? c->id : "");
		snprintf(g->user[g->n], sizeof g->user[0], "%s", c->user_id);
		snprintf(g->name[g->n], sizeof g->name[0], "%s", c->user_name ? c->user_name : "");
		g->time[g->n] = c->time;
		g->wall[g->n] = c->wall;
		g->line[g->n] = c->line;
		g->kind[g->n] = c->kind;
		g->host[g->n] = c->host;
		g->moderator[g->n] = c->moderator;
		g->emotes_only[g->n] = c->emotes_only;
		g->weight[g->n] = c->weight;
	}
	g->n++;
	return 0;
}

/* Counts the comments and keeps the text of the `want`-th. */
typedef struct nth {
	size_t n, want;
	char text[256];
} nth;

static int keep_nth(const of_comment *c, void *payload)
{
	nth *q = payload;
	if (++q->n == q->want)
		snprintf(q->text, sizeof q->text, "%.*s", (int)c->text_len, c->text);
	return 0;
}

/* What the log handler saw: warnings (with their lines) and bad records. */
typedef struct heard {
	size_t warnings, bad;
	unsigned long warn_line[8];
	char warn_msg[8][256];
} heard;

static void listen(const of_log_record *r, void *p)
{
	heard *h = p;
	if (r->event == OF_EV_BAD_RECORD) {
		h->bad++;
	} else if (r->level == OF_LOG_WARN && r->line) {
		if (h->warnings < 8) {
			h->warn_line[h->warnings] = r->line;
			snprintf(h->warn_msg[h->warnings], sizeof h->warn_msg[0], "%s", r->message);
		}
		h->warnings++;
	}
}

static int load(const char *rel, got *g, of_comments_stats *st)
{
	of_comments_options o = OF_COMMENTS_OPTIONS_INIT;
	memset(g, 0, sizeof *g);
	memset(st, 0, sizeof *st);
	return of_comments_load(of_fixture(rel), &o, collect, g, st);
}

static int parse(const char *data, size_t len, got *g, of_comments_stats *st, size_t max_bytes)
{
	of_comments_options o = OF_COMMENTS_OPTIONS_INIT;
	o.max_bytes = max_bytes;
	memset(g, 0, sizeof *g);
	memset(st, 0, sizeof *st);
	return of_comments_parse_buffer(data, len, "mem.xml", &o, collect, g, st);
}

static void quiet(const of_log_record *r, void *p) { (void)r; (void)p; }

static void test_comments__bilibili_fields(void **state)
{
	got g;
	of_comments_stats st;
	(void)state;
	assert_int_equal(load("comments/basic.xml", &g, &st), 0);
	assert_int_equal(st.format, OF_COMMENTS_BILIBILI);
	assert_int_equal(g.n, 6);
	assert_string_equal(g.text[0], "辅食要加盐吗？");
	assert_string_equal(g.id[0], "41234567890885887"); /* no double rounding */
	assert_string_equal(g.user[0], "u1");
	assert_int_equal(g.line[0], 2);
	assert_true(g.time[1] == 2.25);                       /* 9-field p */
	assert_string_equal(g.text[2], "欢迎来到直播间");       /* mode 7: the text element */
	assert_string_equal(g.id[3], "18446744073709551615"); /* uint64 max kept exactly */
	assert_string_equal(g.text[4], "宝宝<6个月能吃米粉吗？😂"); /* double-escaped emoji decoded */
	assert_string_equal(g.text[5], "");
	assert_int_equal(st.bad, 0);
}

/* bilibili live recorders write the danmaku XML with more in it: BililiveRecorder
 * 2.x an XSL stylesheet (holding <html>) inside <i>, `user`/`uid` attributes,
 * millisecond send times, dmid 0, and <sc>/<gift>/<guard> records timed by `ts`
 * from <BililiveRecorderRecordInfo start_time>; blrec a <metadata> header,
 * signed row ids, uid="0" for a hidden uid, superchat prices in 金瓜子 and
 * <toast> banners. The shapes follow each recorder's writer; the texts are ours. */
static void test_comments__bilibili_live_recorders(void **state)
{
	static const char rec[] =
		"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<?xml-stylesheet type=\"text/xsl\" href=\"#s\"?>\n<i>\n"
		"<chatserver>chat.bilibili.com</chatserver><chatid>0</chatid><mission>0</mission><maxlimit>1000</maxlimit>"
		"<state>0</state><real_name>0</real_name><source>0</source>\n"
		"<BililiveRecorder version=\"2.6.2\" />\n"
		"<BililiveRecorderRecordInfo roomid=\"21452505\" shortid=\"0\" name=\"主播\" title=\"辅食直播\" "
		"areanameparent=\"生活\" areanamechild=\"日常\" start_time=\"2026-11-19T20:00:00.5000000+08:00\" />\n"
		"<BililiveRecorderXmlStyle><z:stylesheet version=\"1.0\" id=\"s\" xml:id=\"s\" "
		"xmlns:z=\"http://www.w3.org/1999/XSL/Transform\"><z:output method=\"html\"/><z:template match=\"/\">"
		"<html><body><table><z:for-each select=\"/i/d\"><tr><td><z:value-of select=\".\"/></td></tr></z:for-each>"
		"</table></body></html></z:template></z:stylesheet></BililiveRecorderXmlStyle>\n"
		"<d p=\"12.345,1,25,16777215,1795089612845,0,123456,0\" user=\"宝妈甲\" "
		"raw=\"[[0,1,25,16777215,1795089612845],&quot;米粉几段？&quot;,[123456,&quot;宝妈甲&quot;]]\">米粉几段？</d>\n"
		"<d p=\"15,1,25,16777215,0,0,223456,0\" user=\"宝妈乙\">主播好</d>\n"
		"<sc ts=\"20.500\" user=\"宝妈丙\" uid=\"323456\" price=\"30\" time=\"60\">宝宝过敏了还能吃米粉吗？</sc>\n"
		"<gift ts=\"25.000\" user=\"宝妈丁\" uid=\"423456\" giftname=\"辣条\" giftcount=\"5\"/>\n"
		"<guard ts=\"30.000\" user=\"宝妈戊\" uid=\"523456\" level=\"3\" count=\"1\"/>\n"
		"<sc user=\"x\" price=\"30\">no ts</sc>\n"
		"<d p=\"40,1,25,16777215,0,0,1,0\" user=\"主播\">六个月以上就可以</d>\n" /* the streamer, by name */
		"</i>\n";
	static const char blrec[] =
		"<?xml version='1.0' encoding='utf-8'?>\n<i>\n    <chatserver>chat.bilibili.com</chatserver>\n"
		"    <metadata>\n        <user_name>主播</user_name>\n        <room_id>1</room_id>\n"
		"        <live_start_time>2024-12-01T18:03:59+08:00</live_start_time>\n"
		"        <record_start_time>2024-12-01T18:05:02+08:00</record_start_time>\n"
		"        <recorder>blrec 1.9.1</recorder>\n    </metadata>\n"
		"    <d p=\"0.000,1,25,5816798,1733047466414,0,73c9f86f,-1189105972\" uid=\"0\" user=\"X***\">链接在哪</d>\n"
		"    <sc ts=\"185.000\" uid=\"42\" user=\"用户A\" price=\"30000\" time=\"60\">能讲讲过敏吗</sc>\n"
		"    <toast ts=\"190.000\" uid=\"43\" user=\"用户B\" unit=\"月\" count=\"1\" price=\"198000\" level=\"3\">开通了舰长</toast>\n"
		"    <guard ts=\"190.000\" uid=\"43\" user=\"用户B\" giftname=\"舰长\" count=\"1\" price=\"198000\" level=\"3\" />\n"
		"    <d p=\"200.000,1,25,16777215,1733047702000,0,5e1f00aa,11\" uid=\"7\" user=\"主播\">可以的</d>\n"
		"</i>\n";
	got g;
	of_comments_stats st;
	(void)state;
	of_log_set_handler(quiet, NULL);
	assert_int_equal(parse(rec, sizeof rec - 1, &g, &st, 0), 0);
	assert_int_equal(st.format, OF_COMMENTS_BILIBILI); /* not "HTML": the root is <i> */
	assert_true(st.start_wall == 1795089600.5);        /* for lining up the parts of a recording */
	assert_string_equal(st.platform, "bilibili");      /* BililiveRecorder records bilibili only */
	assert_int_equal(g.n, 6);
	assert_int_equal(st.bad, 1); /* the <sc> without ts, named */
	for (size_t i = 0; i < 6; i++)
		assert_int_equal(g.host[i], i == 5); /* <BililiveRecorderRecordInfo name="主播"> */
	assert_string_equal(g.text[0], "米粉几段？");
	assert_string_equal(g.name[0], "宝妈甲");
	assert_string_equal(g.user[0], "123456");
	assert_string_equal(g.id[0], ""); /* dmid 0 is no id: the line names the record */
	assert_true(g.wall[0] > 1795089612.84 && g.wall[0] < 1795089612.85); /* milliseconds */
	const double start = 1795089600.5; /* 2026-11-19T12:00:00.5Z */
	assert_true(g.wall[1] > start + 14.99 && g.wall[1] < start + 15.01); /* no send time: start + offset */
	assert_int_equal(g.kind[2], OF_COMMENT_SUPERCHAT);
	assert_string_equal(g.text[2], "宝宝过敏了还能吃米粉吗？");
	assert_true(g.weight[2] == 30);
	assert_true(g.time[2] == 20.5);
	assert_true(g.wall[2] > start + 20.49 && g.wall[2] < start + 20.51);
	assert_string_equal(g.user[2], "323456");
	assert_string_equal(g.name[2], "宝妈丙");
	assert_int_equal(g.kind[3], OF_COMMENT_GIFT);
	assert_string_equal(g.text[3], "辣条");
	assert_true(g.weight[3] == 5);
	assert_int_equal(g.kind[4], OF_COMMENT_GIFT);
	assert_string_equal(g.text[4], "舰长"); /* level 3 */
	assert_true(g.weight[4] == 1);
	/* strict: the record without ts fails the read, naming its line */
	of_comments_options o = OF_COMMENTS_OPTIONS_INIT;
	o.strict = 1;
	assert_int_equal(of_comments_parse_buffer(rec, sizeof rec - 1, "r.xml", &o, NULL, NULL, NULL), OF_EINVALID);
	assert_int_equal(of_error_last()->line, 13);
	assert_non_null(strstr(of_error_last()->message, "<sc> without a valid ts"));

	assert_int_equal(parse(blrec, sizeof blrec - 1, &g, &st, 0), 0);
	assert_int_equal(g.n, 4);
	assert_int_equal(st.bad, 0);
	assert_int_equal(st.ignored, 1); /* the toast: the <guard> record says it */
	assert_int_equal(g.host[0] + g.host[1] + g.host[2], 0);
	assert_int_equal(g.host[3], 1); /* <metadata><user_name>主播 */
	assert_true(st.start_wall == 1733047502);
	assert_string_equal(st.platform, "bilibili"); /* blrec too */

	assert_string_equal(g.id[0], "-1189105972");
	assert_string_equal(g.user[0], "73c9f86f"); /* uid="0": hidden, the hash stands */
	assert_string_equal(g.name[0], "X***");
	assert_true(g.weight[1] == 30); /* 30000 金瓜子 */
	const double rstart = 1733047502; /* record_start_time, not live_start_time */
	assert_true(g.wall[1] == rstart + 185);
	assert_string_equal(g.text[2], "舰长");
	/* biliLive-tools (it records Douyin, Douyu and Huya in bilibili's shape): <metadata> with
	 * video_start_time in Unix ms, a 9-field p whose 8th field is the uid (no row id), gifts whose
	 * ts is a Unix time in ms, <gift></gift> with an end tag, <member> events */
	static const char blt[] =
		"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<?xml-stylesheet type=\"text/xsl\" href=\"#s\"?>\n<i>\n"
		"<metadata>\n  <platform>DouYin</platform>\n  <video_start_time>1795089600000</video_start_time>\n"
		"  <room_title>辅食直播</room_title>\n  <user_name>主播</user_name>\n</metadata>\n"
		"<RecorderXmlStyle><z:stylesheet version=\"1.0\" xmlns:z=\"http://www.w3.org/1999/XSL/Transform\">"
		"<z:template match=\"/\"><html><body/></html></z:template></z:stylesheet></RecorderXmlStyle>\n"
		"<d p=\"1.57,1,25,16777215,1795089601570,0,123,123,0\" user=\"五月\" uid=\"123\" timestamp=\"1795089601570\">米粉几段</d>\n"
		"<gift user=\"土豪\" uid=\"456\" giftname=\"小心心\" giftcount=\"2\" price=\"0.1\" ts=\"1795089620000\"></gift>\n"
		"<member user=\"新粉丝\" uid=\"789\" member_count=\"1234\" ts=\"1795089630000\"/>\n"
		"<guard ts=\"40.000\" giftname=\"舰长\" giftcount=\"3\" price=\"198000\" level=\"3\" user=\"甲\" uid=\"42\"></guard>\n"
		"<d p=\"50,1,25,16777215,1795089650000,0,999,999,0\" user=\"主播\" uid=\"999\" timestamp=\"1795089650000\">一段就行</d>\n"
		"</i>\n";
	assert_int_equal(parse(blt, sizeof blt - 1, &g, &st, 0), 0);
	assert_int_equal(st.format, OF_COMMENTS_BILIBILI);
	assert_int_equal(g.n, 4);
	assert_int_equal(st.bad, 0);
	assert_int_equal(st.ignored, 1); /* the member event */
	assert_true(st.start_wall == 1795089600);
	assert_string_equal(st.platform, "douyin"); /* <platform>DouYin</platform>: the brief says 抖音 */
	assert_string_equal(g.id[0], ""); /* the 8th field is the uid: no row id */
	assert_string_equal(g.user[0], "123");
	assert_int_equal(g.kind[1], OF_COMMENT_GIFT);
	assert_true(g.time[1] == 20 && g.wall[1] == 1795089620); /* a Unix-ms ts, made an offset */
	assert_true(g.weight[1] == 2);
	assert_true(g.time[2] == 40 && g.weight[2] == 3);
	assert_string_equal(g.text[2], "舰长");
	assert_int_equal(g.host[3], 1); /* <user_name> */
	/* the header is untrusted: a name that is not a short ASCII word is not kept (it is
	 * printed in the brief); a plain danmaku file names no site */
	static const char *const odd[] = {"<platform>抖音</platform>", "<platform>douyin\"&gt;&lt;script&gt;</platform>",
					  "<platform>averyveryverylongsitename</platform>", "<platform></platform>"};
	for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++) {
		char x[512];
		int n = snprintf(x, sizeof x, "<i><metadata>%s</metadata><d p=\"1,1,25,1,1,0,a,1\">x</d></i>", odd[i]);
		assert_int_equal(parse(x, (size_t)n, &g, &st, 0), 0);
		assert_int_equal(g.n, 1);
		assert_string_equal(st.platform, "");
	}
	static const char plain[] = "<i><d p=\"1,1,25,1,1,0,a,1\">x</d></i>";
	assert_int_equal(parse(plain, sizeof plain - 1, &g, &st, 0), 0);
	assert_string_equal(st.platform, "");
	of_log_set_handler(NULL, NULL);
}

/* BililiveRecorder's raw="…" on a <d> (its "record raw danmaku" setting) is the
 * platform's DANMU_MSG info array; info[2] is the sender [uid, name, is_admin, …]
 * and is_admin 1 marks a room admin (房管): a moderator, staff like the host.
 * The attribute is untrusted: anything else in it, cut short, nested past the
 * cap or over OF_MAX_DANMAKU_RAW_BYTES says nothing, and the comment is read. */
static void test_comments__bilibili_raw_room_admin(void **state)
{
	/* info[0] as the platform sends it: strings holding ']', ',' and escaped quotes */
	static const char info0[] = "[0,1,25,16777215,1795089612845,1795089612,0,&quot;c8de2b3a&quot;,0,0,0,&quot;&quot;,0,"
				    "&quot;{}&quot;,&quot;{}&quot;,{&quot;extra&quot;:&quot;{\\&quot;content\\&quot;:"
				    "\\&quot;a],[b\\&quot;}&quot;,&quot;user&quot;:{&quot;uid&quot;:7,&quot;base&quot;:"
				    "{&quot;name&quot;:&quot;x&quot;}}},{&quot;activity_identity&quot;:&quot;&quot;},0]";
	static const struct {
		const char *user, *sender; /* the user attribute; info[2] */
		int moderator, host;
	} cases[] = {
		{"房管甲", "[7,&quot;房管甲&quot;,1,0,0,10000,1,&quot;&quot;]", 1, 0},
		{"房管乙", "[7,&quot;房管乙&quot;,&quot;1&quot;,0,0,10000,1,&quot;&quot;]", 1, 0}, /* as a string */
		{"观众", "[8,&quot;观众&quot;,0,0,0,10000,1,&quot;&quot;]", 0, 0},
		{"观众", "[8,&quot;观众&quot;,2,0]", 0, 0},
		{"观众", "[8,&quot;观众&quot;,true,0]", 0, 0},
		{"观众", "[8,&quot;观众&quot;]", 0, 0},
		{"观众", "{&quot;is_admin&quot;:1}", 0, 0},
		{"主播", "[1,&quot;主播&quot;,1,0,0,10000,1,&quot;&quot;]", 0, 1}, /* the streamer (header): the host */
	};
	of_buf x;
	got g;
	of_comments_stats st;
	(void)state;
	of_buf_init(&x, 1 << 20);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		of_buf_truncate(&x, 0);
		of_buf_printf(&x,
			      "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<i>\n<BililiveRecorderRecordInfo roomid=\"1\" name=\"主播\" "
			      "start_time=\"2026-11-19T20:00:00.0000000+08:00\" />\n"
			      "<d p=\"12.345,1,25,16777215,1795089612845,0,7,0\" user=\"%s\" raw=\"[%s,&quot;链接在2号&quot;,%s,[],"
			      "[0,0,9868950,&quot;&gt;50000&quot;,0],[&quot;&quot;,&quot;&quot;],0,0,null,{&quot;ts&quot;:1795089612,"
			      "&quot;ct&quot;:&quot;AB&quot;},0,0,null,null,0,105,[0],null]\">链接在2号</d>\n</i>\n",
			      cases[i].user, info0, cases[i].sender);
		assert_int_equal(parse(of_buf_cstr(&x), of_buf_len(&x), &g, &st, 0), 0);
		assert_int_equal(g.n, 1);
		assert_int_equal(st.bad, 0);
		assert_string_equal(g.text[0], "链接在2号");
		if (g.moderator[0] != cases[i].moderator || g.host[0] != cases[i].host)
			fail_msg("case %zu (%s): moderator %d host %d", i, cases[i].sender, g.moderator[0], g.host[0]);
	}
	/* hostile raws: cut short, not JSON, nested past the cap before the sender, over the size cap
	 * (with a room admin's sender that a whole read would find): no flag, no message, the comment read */
	of_buf bomb, big;
	of_buf_init(&bomb, 1 << 20);
	of_buf_init(&big, 1 << 20);
	of_buf_puts(&bomb, "[");
	for (int i = 0; i < 30000; i++) /* under the size cap: the depth cap stops it */
		of_buf_puts(&bomb, "[");
	of_buf_puts(&big, "[[0,&quot;");
	for (size_t n = 0; n < OF_MAX_DANMAKU_RAW_BYTES; n += 8)
		of_buf_puts(&big, "padding ");
	of_buf_puts(&big, "&quot;],&quot;t&quot;,[7,&quot;a&quot;,1]]");
	const char *bad[] = {"[[0],&quot;t&quot;,[7,&quot;a&quot;,1", "[[0],&quot;t&quot;,[7,&quot;a&quot;,1,]]",
			     "not json", "[[0,&quot;cut", of_buf_cstr(&bomb), of_buf_cstr(&big)};
	heard h;
	memset(&h, 0, sizeof h);
	of_log_set_handler(listen, &h);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		of_buf_truncate(&x, 0);
		of_buf_printf(&x, "<i><d p=\"1,1,25,16777215,1795089612845,0,7,0\" user=\"a\" raw=\"%s\">hi</d></i>", bad[i]);
		of_error_clear();
		assert_int_equal(parse(of_buf_cstr(&x), of_buf_len(&x), &g, &st, 0), 0);
		assert_int_equal(g.n, 1);
		assert_string_equal(g.text[0], "hi");
		if (g.moderator[0])
			fail_msg("hostile raw %zu read as a room admin", i);
		if (i < 5 && of_error_last()->code != 0) /* (the size cap leaves its buffer's message, as for any attribute) */
			fail_msg("hostile raw %zu: error left: %s", i, of_error_last()->message);
	}
	of_log_set_handler(NULL, NULL);
	assert_int_equal(h.warnings + h.bad, 0);
	/* the cap at limit - 1, limit, limit + 1 bytes of the value (decoded: &quot; is one byte) */
	for (size_t len = OF_MAX_DANMAKU_RAW_BYTES - 1; len <= OF_MAX_DANMAKU_RAW_BYTES + 1; len++) {
		static const char head[] = "[[0,\"", tail[] = "\"],\"t\",[7,\"a\",1]]";
		of_buf_truncate(&x, 0);
		of_buf_puts(&x, "<i><d p=\"1,1,25,16777215,1795089612845,0,7,0\" raw=\"[[0,&quot;");
		for (size_t n = sizeof head - 1 + sizeof tail - 1; n < len; n++)
			of_buf_putc(&x, 'x');
		of_buf_puts(&x, "&quot;],&quot;t&quot;,[7,&quot;a&quot;,1]]\">hi</d></i>");
		assert_int_equal(parse(of_buf_cstr(&x), of_buf_len(&x), &g, &st, 0), 0);
		assert_int_equal(g.n, 1);
		if (g.moderator[0] != (len <= OF_MAX_DANMAKU_RAW_BYTES))
			fail_msg("raw of %zu bytes: moderator %d", len, g.moderator[0]);
	}
	of_buf_free(&bomb);
	of_buf_free(&big);
	of_buf_free(&x);
}

/* Mode-7 texts as real dumps write them: pretty-printed (white space around the
 * array), a raw line break inside a string (players accept it, JSON does not:
 * read as a space), numbers instead of strings; a truncated array stays text. */
static void test_comments__bilibili_mode7_shapes(void **state)
{
	static const char xml[] = "<?xml version=\"1.0\"?>\n<i>\n"
				  "<d p=\"1,7,25,16777215,1,1,a,1\">   [\"12\",\"245\",\"1-0\",\"0.5\",\"幸福在哪里\",\"20\"]  </d>\n"
				  "<d p=\"2,7,25,16777215,1,1,a,2\">[\"6\",\"332\",\"1-0\",\"1.5\",\"\r\n    light\",\"5\"]</d>\n"
				  "<d p=\"3,7,25,16777215,1,1,a,3\">[259,206,\"1-1\",7,\"绿光\",0,0]</d>\n"
				  "<d p=\"4,7,25,16777215,1,1,a,4\">[259,206,\"1-1\",7,\"***\",0,</d>\n"
				  "<d p=\"5,1,25,16777215,1,0,a,5\">[\"not\",\"mode\",\"7\",0,\"x\"]</d>\n</i>\n";
	got g;
	of_comments_stats st;
	(void)state;
	assert_int_equal(parse(xml, sizeof xml - 1, &g, &st, 0), 0);
	assert_int_equal(g.n, 5);
	assert_string_equal(g.text[0], "幸福在哪里");
	assert_string_equal(g.text[1], "     light"); /* XML made CR LF one LF: a space, then the indent */
	assert_string_equal(g.text[2], "绿光");
	assert_string_equal(g.text[3], "[259,206,\"1-1\",7,\"***\",0,");
	assert_string_equal(g.text[4], "[\"not\",\"mode\",\"7\",0,\"x\"]");
	assert_int_equal(st.bad, 0);
}

/* The channel's owner and its moderators, as each platform marks them: Twitch's
 * broadcaster and moderator badges (and mod=1, user-type=mod), YouTube's OWNER and
 * MODERATOR badges (innertube, yt-dlp's live_chat.json, chat-downloader current
 * and legacy), "host": true or a role in our JSONL, 主播 / 管理员 in an export's
 * 身份 column. The owner wins over a moderator badge; a VIP, a member or Twitch
 * staff is a viewer. role: 0 viewer, 1 host, 2 moderator. */
static void test_comments__host_badges(void **state)
{
	static const struct {
		const char *name, *data;
		int n, role[5];
	} cases[] = {
		{"irc.log",
		 "@badges=broadcaster/1,subscriber/0;display-name=Nymn;user-id=1 :nymn!nymn@nymn.tmi.twitch.tv PRIVMSG #nymn :link is in the description\n"
		 "@badges=moderator/1;display-name=Mod;user-id=2 :mod!mod@mod.tmi.twitch.tv PRIVMSG #nymn :no spam\n"
		 "@badges=subscriber/12,broadcasterish/1;display-name=V;user-id=3 :v!v@v.tmi.twitch.tv PRIVMSG #nymn :where is the link?\n"
		 "@badges=vip/1,staff/1;mod=0;user-type=staff;user-id=4 :w!w@w.tmi.twitch.tv PRIVMSG #nymn :hi\n"
		 "@badges=;mod=1;user-type=mod;user-id=5 :m!m@m.tmi.twitch.tv PRIVMSG #nymn :welcome\n",
		 5, {1, 2, 0, 0, 2}},
		{"actions.json",
		 "[{\"addChatItemAction\":{\"item\":{\"liveChatTextMessageRenderer\":{\"id\":\"a\",\"message\":{\"runs\":[{\"text\":\"周四八点开播\"}]},"
		 "\"authorName\":{\"simpleText\":\"Host\"},\"authorExternalChannelId\":\"UC1\",\"timestampUsec\":\"1700000000000000\","
		 "\"authorBadges\":[{\"liveChatAuthorBadgeRenderer\":{\"icon\":{\"iconType\":\"OWNER\"},\"tooltip\":\"Owner\"}}]}}}},"
		 "{\"addChatItemAction\":{\"item\":{\"liveChatTextMessageRenderer\":{\"id\":\"b\",\"message\":{\"runs\":[{\"text\":\"几点开播？\"}]},"
		 "\"authorName\":{\"simpleText\":\"Mod\"},\"authorExternalChannelId\":\"UC2\",\"timestampUsec\":\"1700000001000000\","
		 "\"authorBadges\":[{\"liveChatAuthorBadgeRenderer\":{\"icon\":{\"iconType\":\"MODERATOR\"},\"tooltip\":\"Moderator\"}}]}}}},"
		 "{\"addChatItemAction\":{\"item\":{\"liveChatTextMessageRenderer\":{\"id\":\"c\",\"message\":{\"runs\":[{\"text\":\"hi\"}]},"
		 "\"authorName\":{\"simpleText\":\"V\"},\"authorExternalChannelId\":\"UC3\",\"timestampUsec\":\"1700000002000000\","
		 "\"authorBadges\":[{\"liveChatAuthorBadgeRenderer\":{\"icon\":{\"iconType\":\"VERIFIED\"},\"tooltip\":\"Verified\"}},"
		 "{\"liveChatAuthorBadgeRenderer\":{\"customThumbnail\":{\"thumbnails\":[]},\"tooltip\":\"Member (6 months)\"}}]}}}}]",
		 3, {1, 2, 0}},
		{"x.live_chat.json",
		 "{\"replayChatItemAction\":{\"actions\":[{\"addChatItemAction\":{\"item\":{\"liveChatTextMessageRenderer\":{\"id\":\"a\","
		 "\"message\":{\"runs\":[{\"text\":\"link below\"}]},\"authorName\":{\"simpleText\":\"M\"},\"authorExternalChannelId\":\"UC9\","
		 "\"authorBadges\":[{\"liveChatAuthorBadgeRenderer\":{\"tooltip\":\"Moderator\"}}]}}}}],\"videoOffsetTimeMsec\":\"5000\"}}\n",
		 1, {2}},
		{"chatdl.json",
		 "[{\"message_id\":\"1\",\"message\":\"hi all\",\"time_in_seconds\":1,\"message_type\":\"text_message\","
		 "\"author\":{\"name\":\"Host\",\"id\":\"UC1\",\"badges\":[{\"title\":\"Owner\",\"icon_name\":\"owner\"}]}},"
		 "{\"message_id\":\"2\",\"message\":\"hello?\",\"time_in_seconds\":2,\"message_type\":\"text_message\","
		 "\"author\":{\"name\":\"V\",\"id\":\"UC2\",\"badges\":[{\"title\":\"Member (1 month)\"}]}},"
		 "{\"message_id\":\"3\",\"message\":\"be nice\",\"time_in_seconds\":3,\"message_type\":\"text_message\","
		 "\"author\":{\"name\":\"M\",\"id\":\"UC3\",\"badges\":[{\"title\":\"Moderator\",\"icon_name\":\"moderator\"}]}},"
		 "{\"message_id\":\"4\",\"message\":\"gg\",\"time_in_seconds\":4,\"message_type\":\"text_message\","
		 "\"author\":{\"name\":\"T\",\"id\":\"t4\",\"badges\":[{\"name\":\"moderator\",\"version\":1,\"title\":\"Moderator\"}]}}]",
		 4, {1, 0, 2, 2}},
		{"legacy.json",
		 "[{\"author\":\"Host\",\"author_id\":\"UC1\",\"badges\":\"Owner, Verified\",\"message\":\"hi\",\"time_in_seconds\":1},"
		 "{\"author\":\"V\",\"author_id\":\"UC2\",\"badges\":\"Co-Owner-ish\",\"message\":\"yo\",\"time_in_seconds\":2},"
		 "{\"author\":\"W\",\"author_id\":\"UC3\",\"message\":\"yo\",\"time_in_seconds\":3},"
		 "{\"author\":\"M\",\"author_id\":\"UC4\",\"badges\":\"Moderator\",\"message\":\"yo\",\"time_in_seconds\":4}]",
		 4, {1, 0, 0, 2}},
		{"log.jsonl",
		 "{\"time\":1,\"user\":\"主播\",\"text\":\"一岁前不加盐\",\"host\":true}\n"
		 "{\"time\":2,\"user\":\"a\",\"text\":\"辅食要加盐吗\",\"host\":false}\n"
		 "{\"time\":3,\"user\":\"b\",\"text\":\"要加盐吗\",\"host\":\"yes\"}\n"
		 "{\"time\":4,\"user\":\"c\",\"text\":\"链接在下面\",\"role\":\"moderator\"}\n"
		 "{\"time\":5,\"user\":{\"nickname\":\"d\",\"role\":\"房管\"},\"content\":\"别刷屏\"}\n",
		 4, {1, 0, 2, 2}},
		{"export.csv", "时间,昵称,身份,弹幕内容\n0:01,小林,观众,辅食要加盐吗？\n0:02,暖暖,主播,一岁前不用加盐\n0:03,阿May,管理员,加盐吗\n"
			       "0:04,小助,助播,链接在购物车\n",
		 4, {0, 1, 2, 2}},
	};
	(void)state;
	of_log_set_handler(quiet, NULL);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		of_comments_options o = OF_COMMENTS_OPTIONS_INIT;
		of_comments_stats st;
		got g;
		memset(&g, 0, sizeof g);
		memset(&st, 0, sizeof st);
		int rc = of_comments_parse_buffer(cases[i].data, strlen(cases[i].data), cases[i].name, &o, collect, &g, &st);
		if (rc != 0 || (int)g.n != cases[i].n)
			fail_msg("%s: rc %d, %zu comments, want %d", cases[i].name, rc, g.n, cases[i].n);
		for (int k = 0; k < cases[i].n; k++) {
			int role = g.host[k] ? 1 : g.moderator[k] ? 2 : 0;
			if (role != cases[i].role[k] || (g.host[k] && g.moderator[k]))
				fail_msg("%s: comment %d host %d moderator %d, want role %d", cases[i].name, k + 1, g.host[k],
					 g.moderator[k], cases[i].role[k]);
		}
	}
	of_log_set_handler(NULL, NULL);
}

/* The staff the real logs mark: #nymn's 798 messages have 19 by moderators (moderator/1
 * badge, mod=1) and none by the broadcaster; the premiered YouTube video's one "Verified,
 * Owner" message is the owner's. */
static int count_roles(const of_comment *c, void *payload)
{
	size_t *n = payload;
	n[0] += c->host != 0;
	n[1] += c->moderator != 0;
	return 0;
}

static void test_comments__corpus_staff(void **state)
{
	size_t nymn[2] = {0, 0}, yt[2] = {0, 0};
	of_comments_options o = OF_COMMENTS_OPTIONS_INIT;
	(void)state;
	if (!of_corpus("irc-chat"))
		skip();
	assert_int_equal(of_comments_load(of_corpus("irc-chat/chatterino-recentmessages-nymn-800irc.json"), &o, count_roles,
					  nymn, NULL),
			 0);
	assert_int_equal(nymn[0], 0);
	assert_int_equal(nymn[1], 19);
	assert_int_equal(of_comments_load(of_corpus("youtube-livechat/chatdl-legacy-premiered-video-7413msgs.json"), &o,
					  count_roles, yt, NULL),
			 0);
	assert_int_equal(yt[0], 1);
	assert_int_equal(yt[1], 0);
}

/* Twitch's emotes tag: a message whose every word is an emote is marked
 * emotes only (the prompts stage reads it as noise, like emoji only). Ranges
 * count code points (an emoji is one); a tag that does not fit the text (out
 * of bounds, over a space: Twitch has sent off-by-one ranges) is not trusted. */
static void test_comments__irc_emotes_only(void **state)
{
	static const struct {
		const char *tag, *text;
		int want;
	} cases[] = {
		{"25:0-4,6-10", "Kappa Kappa", 1},
		{"25:0-4,12-16/1902:6-10", "Kappa Keepo Kappa", 1},
		{"25:9-13", "is he ok Kappa", 0},
		{"25:2-6", "\xF0\x9F\x91\x89 Kappa", 1},         /* 👉 is one code point, not two */
		{"25:2-6", "\xF0\x9F\x91\x89 Kappa lol", 0},
		{"25:1-5", "Kappa", 0},                          /* off by one: out of bounds */
		{"25:0-5", "Kappa Kappa", 0},                    /* over the space: misaligned */
		{"25:0-4", "Kappa \xF3\xA0\x80\x80", 1},         /* the tag character clients append */
		{"25:0-4", "\001ACTION Kappa\001", 1},           /* /me: ranges count from the message */
		{"", "Kappa", 0},
		{"25:x-4", "Kappa", 0},
		{"25:0-18446744073709551616", "Kappa", 0},       /* overflow: strtoul saturates, out of bounds */
		{"25:-1-4", "Kappa", 0},
		{"25:4-0", "Kappa", 0},
		{"25", "Kappa", 0},
		{"25:0-4,", "Kappa", 1},                         /* a trailing comma ends the list */
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char line[512];
		of_comments_stats st;
		got g;
		snprintf(line, sizeof line, "@emotes=%s;display-name=V;user-id=3 :v!v@v.tmi.twitch.tv PRIVMSG #c :%s\n",
			 cases[i].tag, cases[i].text);
		assert_int_equal(parse(line, strlen(line), &g, &st, 0), 0);
		assert_int_equal(g.n, 1);
		if (g.emotes_only[0] != cases[i].want)
			fail_msg("emotes=%s \"%s\": emotes_only %d, want %d", cases[i].tag, cases[i].text, g.emotes_only[0],
				 cases[i].want);
	}
}

/* The one-pass parser of `p` must agree with the field-by-field one on every
 * input: same verdict, same fields, same message. Hand-picked edges, then
 * 200,000 deterministic mutations of real-shaped attributes. */
static void check_p_agrees(const char *p)
{
	of_bili_p a, b;
	char wa[160] = "", wb[160] = "";
	int ra = of_comments__bili_p(p, &a, wa, sizeof wa), rb = of_comments__bili_p_general(p, &b, wb, sizeof wb);
	int same = ra != 0 || (a.time == b.time && a.mode == b.mode && a.size == b.size && a.color == b.color &&
			       a.unix_time == b.unix_time && a.pool == b.pool && a.weight == b.weight &&
			       strcmp(a.user, b.user) == 0 && strcmp(a.dmid, b.dmid) == 0);
	if (ra != rb || !same || strcmp(wa, wb) != 0)
		fail_msg("p=\"%s\": %d/%d \"%s\"/\"%s\"", p, ra, rb, wa, wb);
}

static void test_comments__bilibili_p_fast_path_agrees(void **state)
{
	static const char *edges[] = {
		"1,1,25,16777215,1,0,a,1", "12.345,1,25,16777215,1700000000,0,abcdef12,12345678901234567",
		"12.345,1,25,16777215,1700000000,0,abcdef12,12345678901234567,5", "1.,1,25,16777215,1,0,a,1",
		"1.1234567891,1,25,16777215,1,0,a,1", "99999999999,1,25,16777215,1,0,a,1", "999999999999,1,25,16777215,1,0,a,1",
		"10000000.0,1,25,16777215,1,0,a,1", "10000000.1,1,25,16777215,1,0,a,1", "1e3,1,25,16777215,1,0,a,1",
		"-0,1,25,16777215,1,0,a,1", "1,-0,25,16777215,1,0,a,1", "1,10,25,16777215,1,0,a,1", "1,9,1000,1,1,0,a,1",
		"1,9,1001,1,1,0,a,1", "1,1,25,16777216,1,0,a,1", "1,1,25,4278190080,1,0,a,1", "1,1,25,4294967295,1,0,a,1",
		"1,1,25,4294967296,1,0,a,1", "1,1,25,000000000000000001,1,0,a,1", "1,1,25,0000000000000000001,1,0,a,1",
		"1,1,25,1,99999999999,100,a,1", "1,1,25,1,100000000000,100,a,1", "1,1,25,1,1,101,a,1", "1,1,25,1,1,1,,1",
		"1,1,25,1,1795089612845,0,a,0", "1,1,25,1,9999999999999,0,a,1", "1,1,25,1,10000000000000,0,a,1",
		"0.000,1,25,5816798,1733047466414,0,73c9f86f,-1189105972", "1,1,25,1,1,1,a,-", "1,1,25,1,1,1,a,--1",
		"1,1,25,1,1,1,a,-18446744073709551615", "1,1,25,1,1,1,a,-18446744073709551616", "1,1,25,1,1,1,a,1-",
		"1,1,25,1,1,1,a b,1", "1,1,25,1,1,1,A_z-9,1", "1,1,25,1,1,1,a,", "1,1,25,1,1,1,a,1,", "1,1,25,1,1,1,a,1,101",
		"1,1,25,1,1,1,a,1,100", "1,1,25,1,1,1,a,1,1,1", "1,1,25,1,1,1,a,18446744073709551615",
		"1,1,25,1,1,1,a,18446744073709551616", "1,1,25,1,1,1,a,123456789012345678901", "1,1,25,1,1,1,a,1x",
		",1,25,1,1,1,a,1", "1,1,25,1,1,1,a", "", ",,,,,,,", "1,1,25,1,1,1,a,1 ", " 1,1,25,1,1,1,a,1",
		"1,+1,25,1,1,1,a,1", "1,1,25,1,1,1,"
		"u123456789u123456789u123456789u123456789u123456789u123456789u123456789u,1",
		"1,1,25,1,1,1,"
		"u123456789u123456789u123456789u123456789u123456789u123456789u123456789,1",
		"1,1,25,1,1,1,"
		"u123456789u123456789u123456789u123456789u123456789u123456789u123456789uu,1",
	};
	static const char alphabet[] = "0123456789,,,.-+eEaZ_ x@[`{/:\xc1\xfa";
	static const char *seeds[] = {"12.345,1,25,16777215,1700000000,0,abcdef12,12345678901234567,5",
				      "0.5,7,18,4294967295,99999999999,100,A_b-c,18446744073709551615"};
	char p[600];
	unsigned long long x = 88172645463325252ULL;
	(void)state;
	for (size_t i = 0; i < sizeof edges / sizeof *edges; i++)
		check_p_agrees(edges[i]);
	/* an attribute at and over the length cap */
	memset(p, '1', sizeof p);
	p[0] = '1', p[1] = ',';
	snprintf(p + 2, sizeof p - 2, "1,25,1,1,1,");
	size_t k = strlen(p);
	memset(p + k, 'u', OF_MAX_DANMAKU_P_BYTES - k - 2);
	memcpy(p + OF_MAX_DANMAKU_P_BYTES - 2, ",1", 3);
	check_p_agrees(p);
	for (int round = 0; round < 200000; round++) {
		snprintf(p, 200, "%s", seeds[round & 1]);
		for (int m = 0, edits = 1 + round % 4; m < edits; m++) {
			size_t len = strlen(p);
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			size_t at = (size_t)(x % (len + 1));
			char c = alphabet[(x >> 20) % (sizeof alphabet - 1)];
			switch ((x >> 40) % 3) {
			case 0: if (at < len) p[at] = c; break;
			case 1: memmove(p + at + 1, p + at, len - at + 1), p[at] = c; break;
			default: if (at < len) memmove(p + at, p + at + 1, len - at); break;
			}
		}
		check_p_agrees(p);
	}
}

static void test_comments__bilibili_bad_p_fields(void **state)
{
	static const char xml[] = "<?xml version=\"1.0\"?>\n<i>\n"
				  "<d p=\"1,1,25,16777215,1,0,a,1\">ok</d>\n"
				  "<d p=\"1,1,25\">few</d>\n"
				  "<d p=\"NaN,1,25,16777215,1,0,a,2\">nan</d>\n"
				  "<d p=\"1e309,1,25,16777215,1,0,a,3\">inf</d>\n"
				  "<d p=\"-5,1,25,16777215,1,0,a,4\">neg</d>\n"
				  "<d p=\"1,1,25,99999999,1,0,a,5\">color</d>\n"
				  "<d p=\"1,1,25,16777215,1,0,a,1234567890123456789012345\">dmid</d>\n"
				  "<d>nop</d>\n"
				  "<d p=\"2,1,25,16777215,1,0,a,9\">ok2</d>\n"
				  /* references in the attribute are the value's characters */
				  "<d p=\"3,1,25,16777215,1,0,&#x62;,1&#50;3\">refs</d>\n"
				  "<d p=\"4,1,25,16777215,1,0,a&amp;b,7\">amp</d>\n"
				  "<d p=\"5,1,25,16777215,1,0,a,8,1,9,9\">eleven fields</d>\n"
				  /* an attribute in a namespace is not the p attribute */
				  "<d xmlns:x=\"urn:x\" x:p=\"6,1,25,16777215,1,0,a,10\">ns</d>\n</i>\n";
	got g;
	of_comments_stats st;
	(void)state;
	assert_int_equal(parse(xml, sizeof xml - 1, &g, &st, 0), 0);
	assert_int_equal(g.n, 3);
	assert_string_equal(g.text[1], "ok2");
	assert_string_equal(g.text[2], "refs");
	assert_string_equal(g.user[2], "b");
	assert_string_equal(g.id[2], "123");
	assert_int_equal(st.bad, 10);
	/* under strict the first bad record fails with its line and field */
	of_comments_options o = OF_COMMENTS_OPTIONS_INIT;
	o.strict = 1;
	assert_int_equal(of_comments_parse_buffer(xml, sizeof xml - 1, "s.xml", &o, NULL, NULL, NULL), OF_EINVALID);
	assert_string_equal(of_error_last()->path, "s.xml");
	assert_int_equal(of_error_last()->line, 4);
	assert_non_null(strstr(of_error_last()->message, "p has 3 fields"));
}

static void test_comments__bilibili_control_and_utf8(void **state)
{
	static const char xml[] = "<?xml version=\"1.0\"?>\n<i>\n<d p=\"1,1,25,16777215,1,0,a,1\">a\x08"
				  "b</d>\n<d p=\"2,1,25,16777215,1,0,a,2\">x\xff\xfey</d>\n<d p=\"3,1,25,16777215,1,0,a,3\">z</d></i>";
	got g;
	of_comments_stats st;
	(void)state;
	assert_int_equal(parse(xml, sizeof xml - 1, &g, &st, 0), 0);
	assert_int_equal(g.n, 3);
	assert_string_equal(g.text[0], "ab");
	assert_string_equal(g.text[1], "x\xEF\xBF\xBD\xEF\xBF\xBDy");
	assert_int_equal(st.control_removed, 1);
	assert_int_equal(st.invalid_utf8, 2);
}

/* "/n" in a danmaku is bilibili's line break (players split the text there);
 * read literally it made "/n/nTIME/n" look like a bot command. */
static void test_comments__bilibili_line_breaks(void **state)
{
	static const char xml[] = "<?xml version=\"1.0\"?>\n<i>\n"
				  "<d p=\"1,1,25,16777215,1,0,a,1\">/n/nTIME/n</d>\n"
				  "<d p=\"2,1,25,16777215,1,0,a,2\">上一行/n下一行</d>\n"
				  "<d p=\"3,1,25,16777215,1,0,a,3\">http://example.com/news</d>\n"
				  "<d p=\"4,1,25,16777215,1,0,a,4\">加我 T.cn/nAbc</d>\n</i>\n";
	got g;
	of_comments_stats st;
	(void)state;
	assert_int_equal(parse(xml, sizeof xml - 1, &g, &st, 0), 0);
	assert_int_equal(g.n, 4);
	/* line breaks become spaces, as in every format (a comment is one line) */
	assert_string_equal(g.text[0], "  TIME ");
	assert_string_equal(g.text[1], "上一行 下一行");
	assert_string_equal(g.text[2], "http://example.com/news"); /* a link keeps its slashes */
	assert_string_equal(g.text[3], "加我 T.cn/nAbc");         /* short links too, in any case */
	of_normalizer *nz = NULL;
	of_lexicons *lx = NULL;
	of_analysis a;
	assert_int_equal(of_normalizer__new(&nz), 0);
	assert_int_equal(of_lexicons__load(&lx), 0);
	assert_int_equal(of_analyze__text(nz, lx, g.text[0], strlen(g.text[0]), &a), 0);
	assert_string_equal(a.norm, "time");
	assert_int_not_equal(a.intent, OF_INTENT_SPAM);
	of_analysis__clear(&a);
	assert_int_equal(of_analyze__text(nz, lx, g.text[3], strlen(g.text[3]), &a), 0);
	assert_int_equal(a.intent, OF_INTENT_SPAM); /* the reader and the spam rule agree on links */
	of_analysis__clear(&a);
	of_lexicons__free(lx);
	of_normalizer__free(nz);
}

static void test_comments__bilibili_truncated_keeps_records(void **state)
{
	static const char xml[] = "<?xml version=\"1.0\"?>\n<i>\n<d p=\"1,1,25,16777215,1,0,a,1\">one</d>\n"
				  "<d p=\"2,1,25,16777215,1,0,a,2\">two</d>\n<d p=\"3,1,25,16777215,1,0,a,3\">thr";
	static const char mid[] = "<?xml version=\"1.0\"?>\n<i>\n<d p=\"1,1,25,16777215,1,0,a,1\">one</d>\n"
				  "<d p=\"2,1,25,16777215,1,0,a,2\">two</b>\n<d p=\"3,1,25,16777215,1,0,a,3\">three</d>\n</i>\n";
	got g;
	of_comments_stats st;
	(void)state;
	assert_int_equal(parse(xml, sizeof xml - 1, &g, &st, 0), 0);
	assert_int_equal(g.n, 2);
	assert_int_equal(st.truncated, 1);
	assert_int_equal(parse(mid, sizeof mid - 1, &g, &st, 0), 0);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.text[0], "one");
	assert_int_equal(st.bad, 1);
}

/* A live recording broken at a bare '<' right after a self-closing record
 * (<gift …/>, <guard …/>): libxml2 drops the chunk around the error, and the
 * salvage pass used to close the document before that record's start tag, so
 * the gift was lost. It is now closed after the "/>" too (one inside a quoted
 * value is text, not the tag's end); every record before the break is kept. */
static void test_comments__bilibili_self_closing_before_bare_lt(void **state)
{
	static const struct {
		const char *tail;
		size_t want; /* records after the 300 danmaku */
		const char *last;
	} cases[] = {
		{"<gift ts=\"400.000\" user=\"c\" uid=\"103\" giftname=\"小心心\" giftcount=\"1\" />\n<", 1, "小心心"},
		{"<gift ts=\"400.000\" user=\"c\" uid=\"103\" giftname=\"小心心\" giftcount=\"1\"/><", 1, "小心心"},
		{"<gift ts=\"400.000\" user=\"c\" giftname=\"辣条\" giftcount=\"2\"/>\n"
		 "<guard ts='401.000' user='d' uid='104' level='3' count='1' />\n< ",
		 2, "舰长"},
		{"<gift ts=\"400.000\" user=\"c\" giftname=\"a/>b\" giftcount=\"1\" raw='{\"x\":\"/>\"}'/>\n<", 1, "a/>b"},
		/* broken in the middle: a bare '<' and more records after it (not read) */
		{"<gift ts=\"400.000\" user=\"c\" giftname=\"辣条\" giftcount=\"1\"/>\n< \n"
		 "<d p=\"500,1,25,16777215,1,0,a,1\">after</d>\n</i>\n",
		 1, "辣条"},
	};
	of_buf x;
	(void)state;
	of_buf_init(&x, 1 << 20);
	of_log_set_handler(quiet, NULL);
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		nth q = {0, 300 + cases[k].want, ""};
		of_comments_stats st;
		of_comments_options o = OF_COMMENTS_OPTIONS_INIT;
		char row[160];
		of_buf_truncate(&x, 0);
		of_buf_puts(&x, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<i>\n");
		for (int i = 0; i < 300; i++) {
			snprintf(row, sizeof row, "<d p=\"%d.0,1,25,16777215,1795089603200,0,%d,0\" user=\"u%d\">评论 %d</d>\n", i,
				 100 + i, i, i);
			of_buf_puts(&x, row);
		}
		of_buf_puts(&x, cases[k].tail);
		memset(&st, 0, sizeof st);
		assert_int_equal(of_comments_parse_buffer(of_buf_cstr(&x), of_buf_len(&x), "live.xml", &o, keep_nth, &q, &st), 0);
		if (q.n != 300 + cases[k].want || strcmp(q.text, cases[k].last) != 0)
			fail_msg("case %zu: %zu records, the last '%s'; want %zu, '%s'", k, q.n, q.text, 300 + cases[k].want,
				 cases[k].last);
		assert_int_equal(st.truncated, 1);
		assert_int_equal(st.bad, 1);
	}
	of_log_set_handler(NULL, NULL);
	of_buf_free(&x);
}

static void test_comments__bilibili_doctype_refused(void **state)
{
	static const char xxe[] = "<?xml version=\"1.0\"?>\n<!DOCTYPE i [<!ENTITY x SYSTEM \"file:///etc/hostname\">]>\n"
				  "<i><d p=\"1,1,25,16777215,1,0,a,1\">&x;</d></i>\n";
	char laughs[4096];
	size_t n = 0;
	got g;
	of_comments_stats st;
	clock_t t0 = clock();
	(void)state;
	assert_int_equal(parse(xxe, sizeof xxe - 1, &g, &st, 0), OF_EINVALID);
	assert_non_null(strstr(of_error_last()->message, "DOCTYPE not allowed"));
	assert_int_equal(of_error_last()->line, 2);
	assert_int_equal(g.n, 0);
	n += (size_t)snprintf(laughs + n, sizeof laughs - n, "<?xml version=\"1.0\"?>\n<!DOCTYPE i [\n<!ENTITY l0 \"lol\">\n");
	for (int i = 1; i < 10; i++) {
		n += (size_t)snprintf(laughs + n, sizeof laughs - n, "<!ENTITY l%d \"", i);
		for (int k = 0; k < 10; k++)
			n += (size_t)snprintf(laughs + n, sizeof laughs - n, "&l%d;", i - 1);
		n += (size_t)snprintf(laughs + n, sizeof laughs - n, "\">\n");
	}
	n += (size_t)snprintf(laughs + n, sizeof laughs - n, "]>\n<i><d p=\"1,1,25,1,1,0,a,1\">&l9;</d></i>\n");
	assert_int_equal(parse(laughs, n, &g, &st, 0), OF_EINVALID);
	assert_non_null(strstr(of_error_last()->message, "DOCTYPE not allowed"));
	assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 1.0);
}

static void test_comments__bilibili_declared_encodings(void **state)
{
	/* GBK declared: libxml2 decodes it, our UTF-8 repair stays out of the way */
	static const char gbk[] = "<?xml version=\"1.0\" encoding=\"GBK\"?>\n<i>\n<d p=\"1,1,25,1,1,0,a,1\">\xC3\xD7\xB7\xDB</d>\n</i>\n";
	static const char u8[] = "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n<i><d p=\"1,1,25,1,1,0,a,1\">米粉多少钱</d></i>\n";
	char u16[512];
	size_t n = 0, i = 0;
	got g;
	of_comments_stats st;
	(void)state;
	assert_int_equal(parse(gbk, sizeof gbk - 1, &g, &st, 0), 0);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.text[0], "米粉");
	assert_int_equal(st.invalid_utf8, 0);
	/* UTF-16LE with a BOM */
	u16[n++] = (char)0xFF;
	u16[n++] = (char)0xFE;
	while (i < sizeof u8 - 1) {
		int32_t cp;
		int k = of_utf8_next(u8 + i, sizeof u8 - 1 - i, &cp);
		u16[n++] = (char)(cp & 0xFF);
		u16[n++] = (char)(cp >> 8);
		i += (size_t)k;
	}
	assert_int_equal(parse(u16, n, &g, &st, 0), 0);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.text[0], "米粉多少钱");
	assert_int_equal(st.control_removed, 0);
}

static void test_comments__unusable_files(void **state)
{
	got g;
	of_comments_stats st;
	(void)state;
	assert_int_equal(parse("", 0, &g, &st, 0), OF_EINVALID);
	assert_non_null(strstr(of_error_last()->message, "empty"));
	assert_int_equal(parse("<packet><chat>x</chat></packet>", 31, &g, &st, 0), OF_EINVALID);
	assert_non_null(strstr(of_error_last()->message, "Niconico"));
	assert_non_null(strstr(of_error_last()->message, "bilibili danmaku XML"));
	/* a web page is named as one, by its root (a danmaku log may embed <html> in a stylesheet) */
	static const char *pages[] = {"<!DOCTYPE html>\n<html><body><i>x</i></body></html>",
				      "<!-- saved --><?xml version=\"1.0\"?>\n<HTML lang=\"zh\"><p>?</p></HTML>",
				      "<html>"};
	for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
		assert_int_equal(parse(pages[i], strlen(pages[i]), &g, &st, 0), OF_EINVALID);
		assert_non_null(strstr(of_error_last()->message, "HTML is not a comment format"));
	}
	assert_int_equal(parse("<?xml version=\"1.0\"?><root><d>x</d></root>", 42, &g, &st, 0), OF_EINVALID);
	assert_non_null(strstr(of_error_last()->message, "unexpected root <root>"));
	assert_int_equal(parse("<?xml version=\"1.0\"?>", 21, &g, &st, 0), OF_EINVALID);
	/* spreadsheets and media are named, not read as text */
	static const struct {
		const char *data;
		size_t len;
		const char *says;
	} bin[] = {{"PK\x03\x04\x14\x00\x06\x00[Content_Types].xml", 27, "ZIP archive that cannot be opened"},
		   {"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\x00\x00", 10, ".xls workbook? save it as .xlsx or CSV"},
		   {"\x89PNG\r\n\x1A\n\x00\x00\x00\rIHDR", 16, "binary data"},
		   {"\x00\x00\x00\x20" "ftypisom", 12, "binary data"},
		   {"\x01\x02" "a,b\n1,2\n", 10, "binary data"}};
	for (size_t i = 0; i < sizeof bin / sizeof bin[0]; i++) {
		assert_int_equal(parse(bin[i].data, bin[i].len, &g, &st, 0), OF_EINVALID);
		if (!strstr(of_error_last()->message, bin[i].says))
			fail_msg("case %zu: %s", i, of_error_last()->message);
		assert_non_null(strstr(of_error_last()->message, "CSV or TSV with a header")); /* what we accept */
	}
}

static void test_comments__gzip_and_cap(void **state)
{
	static const char head[] = "<?xml version=\"1.0\"?>\n<i>\n";
	static const char rec[] = "<d p=\"1,1,25,16777215,1,0,a,1\">hello</d>\n";
	size_t raw_len = 0, cap = 4u << 20;
	char *raw = malloc(cap + 64);
	uLongf zlen = compressBound(cap + 64);
	unsigned char *z = malloc(zlen);
	z_stream zs;
	got g;
	of_comments_stats st;
	(void)state;
	memcpy(raw, head, sizeof head - 1);
	raw_len = sizeof head - 1;
	/* varying times and ids, like a real log (which compresses 2-7x; identical rows would look like a bomb) */
	for (unsigned k = 0; raw_len + sizeof rec + 32 < cap; k++)
		raw_len += (size_t)snprintf(raw + raw_len, 96, "<d p=\"%u.%u,1,25,%u,1,0,%x,%u\">hello %u</d>\n", k,
					    k * 7919 % 1000, k * 2654435761u % 16777216, k * 40503u, k * 2246822519u, k);
	memcpy(raw + raw_len, "</i>\n", 5);
	raw_len += 5;
	memset(&zs, 0, sizeof zs);
	assert_int_equal(deflateInit2(&zs, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
	zs.next_in = (unsigned char *)raw;
	zs.avail_in = (uInt)raw_len;
	zs.next_out = z;
	zs.avail_out = (uInt)zlen;
	assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
	zlen = zs.total_out;
	deflateEnd(&zs);
	/* gzip in memory is read transparently */
	assert_int_equal(parse((const char *)z, zlen, &g, &st, 0), 0);
	assert_true(zlen * OF_MAX_GZIP_RATIO > raw_len);
	assert_int_equal(st.records, g.n);
	assert_true(st.records > 40000);
	/* a cap below the expanded size stops with OF_ELIMIT */
	assert_int_equal(parse((const char *)z, zlen, &g, &st, 1u << 20), OF_ELIMIT);
	free(raw);
	free(z);
}

/* Counts comments and checks each is the next of 0, 1, 2, … seconds. */
typedef struct seq {
	size_t n;
	int in_order;
} seq;

static int count_seq(const of_comment *c, void *payload)
{
	seq *q = payload;
	q->in_order &= c->time == (double)q->n;
	q->n++;
	return 0;
}

/* A .gz log cut short (an interrupted download or copy) keeps what came before
 * the break and says so: the line the break falls in is not read (its "3661"
 * would be "36"), a bad record names it, st.truncated counts the file; the same
 * from memory and from a file. It used to end silently there. */
static void test_comments__gzip_cut_short(void **state)
{
	of_buf csv;
	z_stream zs;
	of_comments_stats st;
	char path[600];
	(void)state;
	of_log_set_handler(quiet, NULL);
	of_buf_init(&csv, 1 << 24);
	of_buf_puts(&csv, "text,time\n");
	for (unsigned i = 0; i < 5000; i++)
		of_buf_printf(&csv, "第%u条，宝宝几个月能吃蛋黄%08x？,%u\n", i, i * 2654435761u, i);
	uLongf zcap = compressBound(of_buf_len(&csv)) + 64;
	unsigned char *z = malloc(zcap);
	memset(&zs, 0, sizeof zs);
	assert_int_equal(deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
	zs.next_in = (unsigned char *)of_buf_cstr(&csv);
	zs.avail_in = (uInt)of_buf_len(&csv);
	zs.next_out = z;
	zs.avail_out = (uInt)zcap;
	assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
	size_t zlen = zs.total_out, cut = zlen * 2 / 3;
	deflateEnd(&zs);
	of_comments_options o0 = OF_COMMENTS_OPTIONS_INIT;
	seq q = {0, 1};
	memset(&st, 0, sizeof st);
	assert_int_equal(of_comments_parse_buffer((const char *)z, zlen, "all.csv.gz", &o0, count_seq, &q, &st), 0);
	assert_int_equal(q.n, 5000); /* whole: all read, nothing said */
	assert_int_equal(st.truncated, 0);
	assert_int_equal(st.bad, 0);
	snprintf(path, sizeof path, "%s/cut.csv.gz", of_test_tmpdir());
	of_test_write(path, (const char *)z, cut);
	for (int from_file = 0; from_file < 2; from_file++) {
		q.n = 0;
		q.in_order = 1;
		memset(&st, 0, sizeof st);
		if (!from_file)
			assert_int_equal(of_comments_parse_buffer((const char *)z, cut, "cut.csv.gz", &o0, count_seq, &q, &st), 0);
		else
			assert_int_equal(of_comments_load(path, &o0, count_seq, &q, &st), 0);
		assert_int_equal(st.truncated, 1);
		assert_int_equal(st.bad, 1);
		assert_true(q.n > 1000 && q.n < 5000);
		assert_true(q.in_order); /* every record kept is whole: the last one is not "36" for "3661" */
	}
	/* strict: the cut fails the read, naming the line it falls in */
	of_comments_options o = OF_COMMENTS_OPTIONS_INIT;
	o.strict = 1;
	assert_int_equal(of_comments_parse_buffer((const char *)z, cut, "cut.csv.gz", &o, NULL, NULL, NULL), OF_EINVALID);
	assert_true(of_error_last()->line > 1000);
	assert_non_null(strstr(of_error_last()->message, "cut short"));
	free(z);
	of_buf_free(&csv);
	of_log_set_handler(NULL, NULL);
}

/* gzip of a danmaku log of exactly `size` bytes: 40-byte records, spaces before "</i>" fill the rest. */
static unsigned char *gz_log(size_t size, size_t *zlen)
{
	static const char head[] = "<?xml version=\"1.0\"?>\n<i>\n";
	static const char rec[] = "<d p=\"1,1,25,16777215,1,0,a,1\">hi</d>\n";
	char *raw = malloc(size);
	size_t n = sizeof head - 1;
	uLongf zcap = compressBound(size) + 64;
	unsigned char *z = malloc(zcap);
	z_stream zs;
	memcpy(raw, head, n);
	while (n + sizeof rec - 1 + 5 + 1024 <= size) {
		memcpy(raw + n, rec, sizeof rec - 1);
		n += sizeof rec - 1;
	}
	memset(raw + n, ' ', size - 5 - n);
	memcpy(raw + size - 5, "</i>\n", 5);
	memset(&zs, 0, sizeof zs);
	assert_int_equal(deflateInit2(&zs, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
	zs.next_in = (unsigned char *)raw;
	zs.avail_in = (uInt)size;
	zs.next_out = z;
	zs.avail_out = (uInt)zcap;
	assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
	*zlen = zs.total_out;
	deflateEnd(&zs);
	free(raw);
	return z;
}

/* SAFE-INPUT 5: a .gz may expand OF_MAX_GZIP_RATIO times its size, never below OF_MIN_GZIP_CAP;
 * these logs compress about 1000x, so the floor is the cap: limit - 1 / limit / limit + 1. */
static void test_comments__gzip_ratio_cap(void **state)
{
	got g;
	of_comments_stats st;
	size_t zlen;
	unsigned char *z;
	(void)state;
	for (int d = -1; d <= 1; d++) {
		size_t size = OF_MIN_GZIP_CAP + (size_t)(long)d;
		z = gz_log(size, &zlen);
		assert_true(zlen * OF_MAX_GZIP_RATIO < OF_MIN_GZIP_CAP); /* the floor applies */
		int rc = parse((const char *)z, zlen, &g, &st, 0);
		if (d <= 0) {
			assert_int_equal(rc, 0);
			assert_true(st.records > 20000);
		} else {
			assert_int_equal(rc, OF_ELIMIT);
			assert_string_equal(of_error_last()->path, "mem.xml");
			assert_non_null(strstr(of_error_last()->message, "refused as a decompression bomb"));
		}
		free(z);
	}
	/* above the floor: 8 MiB from about 8 KB is refused long before the absolute cap */
	z = gz_log((size_t)8 << 20, &zlen);
	assert_int_equal(parse((const char *)z, zlen, &g, &st, 0), OF_ELIMIT);
	assert_non_null(strstr(of_error_last()->message, "64 times its"));
	/* an explicit lower cap still wins, with its own message */
	assert_int_equal(parse((const char *)z, zlen, &g, &st, 4096), OF_ELIMIT);
	assert_non_null(strstr(of_error_last()->message, "input larger than 4096 bytes"));
	free(z);
}

static void test_comments__long_comment_skipped(void **state)
{
	size_t big = 1u << 20, n = 0;
	char *xml = malloc(big + 512);
	got g;
	of_comments_stats st;
	(void)state;
	n += (size_t)snprintf(xml, 256, "<?xml version=\"1.0\"?>\n<i>\n<d p=\"1,1,25,1,1,0,a,1\">");
	memset(xml + n, 'a', big);
	n += big;
	n += (size_t)snprintf(xml + n, 256, "</d>\n<d p=\"2,1,25,1,1,0,a,2\">short</d>\n</i>\n");
	assert_int_equal(parse(xml, n, &g, &st, 0), 0);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.text[0], "short");
	assert_int_equal(st.too_long, 1);
	free(xml);
}

static void test_comments__youtube_formats(void **state)
{
	got g;
	of_comments_stats st;
	(void)state;
	assert_int_equal(load("comments/chatdl-legacy.json", &g, &st), 0);
	assert_int_equal(st.format, OF_COMMENTS_YOUTUBE);
	assert_int_equal(g.n, 3);
	assert_string_equal(g.user[0], "UC_a");
	assert_string_equal(g.user[2], "Viewer C"); /* no author_id: the name */
	assert_true(g.time[1] == 12.5);
	assert_int_equal(load("comments/chatdl-current.json", &g, &st), 0);
	assert_int_equal(g.n, 2);
	assert_int_equal(g.kind[1], OF_COMMENT_SUPERCHAT);
	assert_true(g.weight[1] == 5.0);
	assert_int_equal(st.ignored, 1);
	assert_int_equal(load("comments/innertube-actions.json", &g, &st), 0);
	assert_int_equal(g.n, 2);
	assert_string_equal(g.text[0], "is this organic? ❤");
	assert_true(g.time[0] == 65);
	assert_int_equal(g.kind[1], OF_COMMENT_SUPERCHAT);
	assert_true(g.weight[1] == 10);
	assert_int_equal(st.ignored, 3);
	/* Super Chats in several currencies weigh their amount in US dollars: ₩10,000 is about
	 * $7, not ten thousand times a $1 one; an unknown currency weighs 1 and is warned about */
	assert_int_equal(load("comments/innertube-currencies.json", &g, &st), 0);
	assert_int_equal(g.n, 8);
	assert_true(fabs(g.weight[0] - 5.0) < 1e-9);
	assert_true(g.weight[1] > 5 && g.weight[1] < 10);   /* ₩10,000 */
	assert_true(g.weight[2] > 5 && g.weight[2] < 10);   /* ¥1,000 (yen) */
	assert_true(g.weight[3] > 5 && g.weight[3] < 6.5);  /* 5,00 € */
	assert_true(g.weight[4] > 12 && g.weight[4] < 16);  /* CA$20.00 */
	assert_true(g.weight[5] == 1);                      /* XYZ 500 */
	assert_true(g.weight[6] > 1000 && g.weight[6] < 1300); /* 1.000,00 €: a thousands dot (QA: read as 1 €) */
	assert_true(g.weight[7] == 1e9);                    /* "$" and sixty nines: capped (QA: "weight":inf) */
	assert_int_equal(load("comments/ytdlp.live_chat.json", &g, &st), 0);
	assert_int_equal(g.n, 2);
	assert_true(g.time[0] == 61.5);
	assert_string_equal(g.id[1], "y2");
}

static void test_comments__irc_and_text_logs(void **state)
{
	got g;
	of_comments_stats st;
	(void)state;
	assert_int_equal(load("comments/irc.log", &g, &st), 0);
	assert_int_equal(st.format, OF_COMMENTS_IRC);
	assert_int_equal(g.n, 3);
	assert_string_equal(g.text[0], "how long is the stream today?");
	assert_string_equal(g.user[0], "11");
	assert_string_equal(g.id[0], "aa-1");
	assert_true(g.time[1] == 6.0);
	assert_int_equal(g.kind[1], OF_COMMENT_SUPERCHAT);
	assert_string_equal(g.text[2], "KEKW"); /* last parameter without ':' */
	assert_int_equal(st.ignored, 1);        /* CLEARCHAT */
	/* bits is a count: "inf", "nan" or an exponent would make the weight
	 * infinite (found by fuzz_comments); such a line stays a chat message */
	static const char bits[] = "@bits=inf;id=b1 :a!a@a PRIVMSG #c :hi\n"
				   "@bits=1e999;id=b2 :b!b@b PRIVMSG #c :hey\n"
				   "@bits=nan;id=b3 :c!c@c PRIVMSG #c :yo\n"
				   "@bits=250;id=b4 :d!d@d PRIVMSG #c :cheer250 thanks\n";
	assert_int_equal(parse(bits, sizeof bits - 1, &g, &st, 0), 0);
	assert_int_equal(g.n, 4);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(g.kind[i], OF_COMMENT_CHAT);
		assert_true(g.weight[i] == 1);
	}
	assert_int_equal(g.kind[3], OF_COMMENT_SUPERCHAT);
	assert_true(g.weight[3] == 2.5);
	assert_int_equal(load("comments/chat.txt", &g, &st), 0);
	assert_int_equal(g.n, 3);
	assert_true(g.time[1] == 3723);
	assert_string_equal(g.user[1], "Viewer_O");
	assert_string_equal(g.text[1], "is the replay up later?");
}

static void test_comments__csv_and_jsonl(void **state)
{
	got g;
	of_comments_stats st;
	(void)state;
	assert_int_equal(load("comments/comments.csv", &g, &st), 0);
	assert_int_equal(st.format, OF_COMMENTS_CSV);
	assert_int_equal(g.n, 3);
	assert_string_equal(g.text[0], "line one line two");
	assert_string_equal(g.text[1], "he said \"hi\"");
	assert_int_equal(g.line[2], 6);
	assert_string_equal(g.text[2], "=HYPERLINK(\"x\")"); /* read as plain text */
	assert_true(g.time[2] == -1);
	assert_int_equal(st.bad, 1);
	assert_int_equal(parse("author,msg_x\nbob,hi\n", 20, &g, &st, 0), OF_EINVALID);
	assert_non_null(strstr(of_error_last()->message, "no text column"));
	assert_int_equal(load("comments/comments.jsonl", &g, &st), 0);
	assert_int_equal(st.format, OF_COMMENTS_JSONL);
	assert_int_equal(g.n, 3);
	assert_string_equal(g.id[1], "2");
	assert_true(g.time[1] == 3);
	assert_int_equal(g.kind[2], OF_COMMENT_SUPERCHAT);
	assert_true(g.weight[2] == 30);
	assert_int_equal(st.bad, 2);
}

/* A live-sale export saved by Excel on Chinese Windows: GBK, CRLF, Chinese
 * header names, wall-clock times (one without seconds). Times become offsets
 * from the first comment. */
/* JSON records as live-chat capture tools write them (Douyin scripts: a method
 * name, a user object, create_time in seconds; bilibili ones: uname, uid, msg,
 * a timestamp in ms; an exported array with a date-and-time column): keys found
 * by the names CSV headers go by; a record with no text key is a bad record
 * that says which keys were looked for. Our own schema's keys are taken first. */
static void test_comments__json_records_from_capture_tools(void **state)
{
	static const char dy[] =
		"{\"method\":\"WebcastMemberMessage\",\"user\":{\"id\":\"111\",\"nickname\":\"甲\"},\"content\":\"甲 来了\",\"create_time\":1795089600}\n"
		"{\"method\":\"WebcastChatMessage\",\"user\":{\"id\":222,\"nickname\":\"乙\"},\"content\":\"米粉几段？\",\"create_time\":1795089615}\n"
		"{\"method\":\"WebcastGiftMessage\",\"user\":{\"id\":\"333\",\"nickname\":\"丙\"},\"content\":\"送出了 小心心\",\"create_time\":1795089620}\n"
		"{\"method\":\"WebcastRoomDataSyncMessage\",\"user\":{\"id\":\"444\",\"name\":\"丁\",\"role\":\"主播\"},\"content\":\"x\",\"create_time\":1795089621}\n";
	static const char bl[] = "{\"uname\":\"观众1\",\"uid\":1001,\"msg\":\"主播晚上好\",\"timestamp\":1795089600000,\"msg_id\":\"m1\"}\n"
				 "{\"uname\":\"观众2\",\"uid\":1002,\"nothing\":\"x\",\"timestamp\":1795089640000}\n"
				 "{\"Text\":\"大小写不论\",\"offset_ms\":2500,\"timestamp\":1795089650000,\"amount\":\"¥30\",\"type\":\"醒目留言\"}\n";
	static const char arr[] = "[{\"nickname\":\"a\",\"content\":\"链接在哪\",\"send_time\":\"2026-11-19 20:00:05\"},"
				  "{\"nickname\":\"b\",\"content\":\"多少钱？\",\"send_time\":\"2026-11-19 20:01:05\"},"
				  "{\"unrelated\":1}]";
	static const char ours[] = "{\"text\":\"a\",\"content\":\"not this\",\"wall\":1795089600,\"user\":\"u\",\"user_id\":7}\n"
				   "{\"text\":\"b\",\"wall\":1795089610}\n"
				   "{\"text\":\"c\",\"time\":1795089630000}\n"; /* a Unix time in ms, not an offset */
	got g;
	of_comments_stats st;
	(void)state;
	of_log_set_handler(quiet, NULL);
	assert_int_equal(parse(dy, sizeof dy - 1, &g, &st, 0), 0);
	assert_int_equal(st.format, OF_COMMENTS_JSONL);
	assert_int_equal(g.n, 4);
	assert_int_equal(g.kind[0], OF_COMMENT_SYSTEM);
	assert_int_equal(g.kind[1], OF_COMMENT_CHAT);
	assert_int_equal(g.kind[2], OF_COMMENT_GIFT);
	assert_int_equal(g.kind[3], OF_COMMENT_SYSTEM);
	assert_string_equal(g.text[1], "米粉几段？");
	assert_string_equal(g.user[1], "222"); /* an integer id */
	assert_string_equal(g.name[1], "乙");
	assert_true(g.time[0] == 0 && g.time[1] == 15 && g.wall[1] == 1795089615); /* offsets from the first */
	assert_int_equal(g.host[3], 1);                                           /* role in the user object */
	assert_string_equal(g.name[3], "丁");

	assert_int_equal(parse(bl, sizeof bl - 1, &g, &st, 0), 0);
	assert_int_equal(g.n, 2);
	assert_int_equal(st.bad, 1); /* no text key */
	assert_string_equal(g.text[0], "主播晚上好");
	assert_string_equal(g.id[0], "m1");
	assert_string_equal(g.user[0], "1001");
	assert_true(g.wall[0] == 1795089600); /* milliseconds */
	assert_string_equal(g.text[1], "大小写不论");
	assert_true(g.time[1] == 2.5);        /* an offset in ms wins over the wall time */
	assert_int_equal(g.kind[1], OF_COMMENT_SUPERCHAT);
	assert_true(g.weight[1] == 30);

	assert_int_equal(parse(arr, sizeof arr - 1, &g, &st, 0), 0);
	assert_int_equal(st.format, OF_COMMENTS_JSONL);
	assert_int_equal(g.n, 2);
	assert_int_equal(st.ignored, 1);
	assert_string_equal(g.user[1], "b");
	assert_true(g.time[1] == 60);

	assert_int_equal(parse(ours, sizeof ours - 1, &g, &st, 0), 0);
	assert_int_equal(g.n, 3);
	assert_true(g.time[2] == 30 && g.wall[2] == 1795089630);
	assert_string_equal(g.text[0], "a"); /* "text" first */
	assert_string_equal(g.user[0], "7");
	assert_true(g.time[0] == 0 && g.time[1] == 10); /* no time: from the wall times */
	/* strict: the record without a text names the keys looked for */
	of_comments_options o = OF_COMMENTS_OPTIONS_INIT;
	o.strict = 1;
	assert_int_equal(of_comments_parse_buffer(bl, sizeof bl - 1, "b.jsonl", &o, NULL, NULL, NULL), OF_EINVALID);
	assert_int_equal(of_error_last()->line, 2);
	assert_non_null(strstr(of_error_last()->message, "$.text is missing, expected a string (also looked for message, content"));
	of_log_set_handler(NULL, NULL);
}

/* A posts file (the article's input) given as a comment log is refused whole, naming what it
 * is; a comment record that happens to carry an `images` key is still a comment. */
static void test_comments__posts_file_refused(void **state)
{
	static const char posts[] = "{\"id\":\"p01\",\"time\":\"2026-11-16T09:30:00+08:00\",\"author\":\"暖暖妈\","
				    "\"text\":\"米粉上架啦\",\"images\":[\"images/p01-1.jpg\"],\"likes\":46,\"tags\":[\"新品\"]}\n"
				    "{\"id\":\"p02\",\"text\":\"第二条\",\"likes\":3}\n";
	static const char stub[] = "\n{\"id\":\"next-01\",\"author\":\"\",\"text\":\"\",\"images\":[],\"likes\":0,"
				   "\"comments\":[{\"user\":\"直播观众\",\"text\":\"怎么买？\"}],\"status\":\"stub\",\"prompt\":\"x\"}\n";
	static const char array[] = "[{\"id\":\"p01\",\"text\":\"米粉\",\"images\":[]}]";
	static const char comment[] = "{\"user\":\"宝妈\",\"text\":\"图里这款多少钱？\",\"images\":[\"a.jpg\"]}\n"
				      "{\"nickname\":\"乙\",\"content\":\"链接呢\",\"likes\":2}\n";
	of_comments_options o = OF_COMMENTS_OPTIONS_INIT;
	got g;
	of_comments_stats st;
	(void)state;
	assert_int_equal(of_comments_parse_buffer(posts, sizeof posts - 1, "posts.jsonl", &o, NULL, NULL, NULL), OF_EINVALID);
	assert_int_equal(of_error_last()->line, 1);
	assert_non_null(strstr(of_error_last()->message, "looks like a posts file, not a comment log: its records have the "
							  "posts format's 'images' and 'likes'"));
	assert_non_null(strstr(of_error_last()->message, "Comment logs accepted: bilibili danmaku XML"));
	assert_int_equal(of_comments_parse_buffer(stub, sizeof stub - 1, "next-posts.jsonl", &o, NULL, NULL, NULL), OF_EINVALID);
	assert_int_equal(of_error_last()->line, 2); /* the first record, after a blank line */
	assert_int_equal(of_comments_parse_buffer(array, sizeof array - 1, "posts.json", &o, NULL, NULL, NULL), OF_EINVALID);
	assert_non_null(strstr(of_error_last()->message, "'images' and none of a comment's keys"));
	o.format = OF_COMMENTS_JSONL; /* forcing the format does not make it a comment log */
	assert_int_equal(of_comments_parse_buffer(posts, sizeof posts - 1, "posts.jsonl", &o, NULL, NULL, NULL), OF_EINVALID);
	assert_non_null(strstr(of_error_last()->message, "(whatever --format says)"));
	assert_int_equal(parse(comment, sizeof comment - 1, &g, &st, 0), 0);
	assert_int_equal(g.n, 2);
	assert_string_equal(g.text[0], "图里这款多少钱？");
}

/* A forced format that reads nothing from the start stops after OF_FORCED_FORMAT_TRIES bad
 * records with one message; one that reads later keeps its bad records, said and counted. */
static void test_comments__forced_format_gives_up(void **state)
{
	of_comments_options o = OF_COMMENTS_OPTIONS_INIT;
	of_comments_stats st;
	of_buf xml;
	got g;
	static const char mostly[] = "garbage 1\ngarbage 2\ngarbage 3\n{\"text\":\"米粉几个月吃？\",\"user\":\"a\"}\n";
	(void)state;
	of_buf_init(&xml, 1 << 20);
	of_buf_printf(&xml, "<?xml version=\"1.0\"?>\n<i>\n");
	for (int i = 0; i < 500; i++)
		of_buf_printf(&xml, "<d p=\"%d,1,25,16777215,0,0,u%d,%d\">第%d条</d>\n", i, i, i + 1, i);
	of_buf_printf(&xml, "</i>\n");
	o.format = OF_COMMENTS_JSONL;
	memset(&st, 0, sizeof st);
	assert_int_equal(of_comments_parse_buffer(of_buf_cstr(&xml), of_buf_len(&xml), "d.xml", &o, NULL, NULL, &st),
			 OF_EINVALID);
	assert_non_null(strstr(of_error_last()->message, "no comment could be read from this log as jsonl (--format): its "
							  "first 10 records are bad (line 1:1: "));
	assert_non_null(strstr(of_error_last()->message, "accepted: bilibili danmaku XML"));
	assert_int_equal(st.bad, OF_FORCED_FORMAT_TRIES); /* it stopped there, not at line 504 */
	assert_int_equal(st.records, 0);
	memset(&g, 0, sizeof g);
	memset(&st, 0, sizeof st);
	assert_int_equal(of_comments_parse_buffer(mostly, sizeof mostly - 1, "m.jsonl", &o, collect, &g, &st), 0);
	assert_int_equal(g.n, 1);
	assert_int_equal(st.bad, 3);
	o.format = OF_COMMENTS_AUTO; /* detected, the XML reads */
	assert_int_equal(of_comments_parse_buffer(of_buf_cstr(&xml), of_buf_len(&xml), "d.xml", &o, NULL, NULL, &st), 0);
	of_buf_free(&xml);
}

static void test_comments__csv_gbk_export(void **state)
{
	got g;
	of_comments_stats st;
	(void)state;
	assert_int_equal(load("comments/douyin-export-gbk.csv", &g, &st), 0);
	assert_int_equal(st.format, OF_COMMENTS_CSV);
	assert_int_equal(st.gb18030, 1);
	assert_int_equal(st.invalid_utf8, 0);
	assert_int_equal(g.n, 5);
	assert_string_equal(g.text[0], "宝宝几个月可以吃蛋黄？");
	assert_string_equal(g.text[1], "米粉怎么冲，用多少度的水");
	assert_string_equal(g.user[1], "dy1002"); /* 抖音号 is the user id */
	assert_true(g.time[0] == 0 && g.time[1] == 35 && g.time[3] == 115);
	assert_int_equal(g.line[4], 6);
}

/* The same export saved as an Excel workbook (tests/fixtures/comments/make_xlsx.py):
 * the first sheet through its relationship, shared and inline strings, rich text
 * without its phonetic run, date cells by their style, a row with trailing cells
 * left out, an empty row skipped; lines are sheet rows. */
static void test_comments__xlsx_export(void **state)
{
	got g;
	of_comments_stats st;
	(void)state;
	assert_int_equal(load("comments/douyin-export.xlsx", &g, &st), 0);
	assert_int_equal(st.format, OF_COMMENTS_XLSX);
	assert_int_equal(g.n, 5);
	assert_string_equal(g.text[0], "宝宝几个月可以吃蛋黄？");
	assert_string_equal(g.user[0], "dy1001");
	assert_int_equal(g.line[0], 2);
	assert_string_equal(g.text[1], "米粉怎么冲，用多少度的水"); /* its type cell left out */
	assert_int_equal(g.kind[1], OF_COMMENT_CHAT);
	assert_string_equal(g.text[2], "链接在哪里&怎么买"); /* rich inline text, phonetic run left out */
	assert_int_equal(g.line[2], 5);                       /* row 4 was empty */
	assert_int_equal(g.kind[3], OF_COMMENT_GIFT);
	assert_string_equal(g.text[4], "主播声音有点小");     /* rich text, phonetic run left out */
	assert_true(g.time[0] == 0 && g.time[1] == 35 && g.time[2] == 65 && g.time[4] == 205);
	assert_int_equal(of_comments_format_from_name("xlsx"), OF_COMMENTS_XLSX);
}

/* Which bytes are GB18030 and which are UTF-8 with a few broken bytes; UTF-16 text. */
static void test_comments__csv_encodings(void **state)
{
	got g;
	of_comments_stats st;
	(void)state;
	/* UTF-8 with one stray byte is not GB18030: that comment gets U+FFFD */
	static const char stray[] = "时间,内容\n1,宝宝米粉\xFF\n2,辅食要加盐吗\n";
	assert_int_equal(parse(stray, sizeof stray - 1, &g, &st, 0), 0);
	assert_int_equal(st.gb18030, 0);
	assert_int_equal(st.invalid_utf8, 1);
	assert_string_equal(g.text[0], "宝宝米粉\xEF\xBF\xBD");

	/* neither UTF-8 nor GB18030 (0xFF is no GBK lead byte): kept as UTF-8, bytes replaced */
	static const char junk[] = "time,text\n1,\xFF\xFF\xFF\xFF ok\n";
	assert_int_equal(parse(junk, sizeof junk - 1, &g, &st, 0), 0);
	assert_int_equal(st.gb18030, 0);
	assert_int_equal(g.n, 1);
	assert_int_equal(st.invalid_utf8, 4);
	assert_non_null(strstr(g.text[0], "\xEF\xBF\xBD ok"));

	/* UTF-16 with a BOM that is not XML is converted, then detected */
	char u16[256];
	size_t n = 0;
	const char *ascii = "time\tmessage\n3\t";
	u16[n++] = (char)0xFF, u16[n++] = (char)0xFE;
	for (const char *p = ascii; *p; p++)
		u16[n++] = *p, u16[n++] = 0;
	u16[n++] = 0x73, u16[n++] = 0x7C; /* 米 U+7C73 */
	u16[n++] = 0x89, u16[n++] = 0x7C; /* 粉 U+7C89 */
	assert_int_equal(parse(u16, n, &g, &st, 0), 0);
	assert_int_equal(st.format, OF_COMMENTS_CSV);
	assert_int_equal(st.utf16, 1);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.text[0], "米粉");
	assert_true(g.time[0] == 3);
}

/* Date-time forms in the time column become offsets from the first comment. */
static void test_comments__csv_times(void **state)
{
	got g;
	of_comments_stats st;
	(void)state;
	/* date-time forms in the time column; a zone is honoured */
	static const char dt[] = "时间,内容\n"
				 "2026-11-19T12:00:00Z,a\n"
				 "2026-11-19T20:00:01+08:00,b\n"
				 "2026-11-19 12:00:02.5,c\n"
				 "2026/11/19 12:01,d\n"
				 "2026-11-19 12:00:03 UTC,e\n"
				 "2026-11-19 25:00:00,bad hour\n"
				 "2026-11-19 12:00:00 +0800x,bad zone\n";
	assert_int_equal(parse(dt, sizeof dt - 1, &g, &st, 0), 0);
	assert_int_equal(g.n, 5);
	assert_true(g.time[0] == 0 && g.time[1] == 1 && g.time[2] == 2.5 && g.time[3] == 60 && g.time[4] == 3);
	assert_int_equal(st.bad, 2);
}

/* A type column gives the kind, an amount column the weight. */
static void test_comments__csv_kind_and_amount(void **state)
{
	got g;
	of_comments_stats st;
	(void)state;
	/* a type column gives the kind, an amount column the weight; unknown values warn */
	static const char ty[] = "时间,内容,消息类型,金额\n"
				 "1,小王,进场,\n"
				 "2,嘉年华,礼物,3000\n"
				 "3,辅食要加盐吗,醒目留言,30\n"
				 "4,宝宝几个月吃蛋黄,弹幕,\n"
				 "5,hi,VIP,\n"
				 "6,嗯,Chat,abc\n"
				 "7,a,礼物,¥30\n"
				 "8,b,礼物,\"$1,000.50\"\n"
				 "9,c,礼物,30元\n"
				 "10,d,礼物,-5\n"
				 "11,e,礼物,1.2.3\n";
	assert_int_equal(parse(ty, sizeof ty - 1, &g, &st, 0), 0);
	assert_int_equal(g.n, 11);
	assert_true(g.weight[6] == 30 && g.weight[7] == 1000.5 && g.weight[8] == 30);
	assert_true(g.weight[9] == 1 && g.weight[10] == 1); /* not amounts: 1, with a warning */
	assert_int_equal(g.kind[0], OF_COMMENT_SYSTEM);
	assert_int_equal(g.kind[1], OF_COMMENT_GIFT);
	assert_true(g.weight[1] == 3000);
	assert_int_equal(g.kind[2], OF_COMMENT_SUPERCHAT);
	assert_true(g.weight[2] == 30);
	assert_int_equal(g.kind[3], OF_COMMENT_CHAT);
	assert_true(g.weight[3] == 1);
	assert_int_equal(g.kind[4], OF_COMMENT_CHAT); /* unknown type: chat, with a warning */
	assert_int_equal(g.kind[5], OF_COMMENT_CHAT); /* ASCII case ignored */
	assert_true(g.weight[5] == 1);                /* bad amount: 1, with a warning */
}

/* Separators and line ends as Excel writes them. */
static void test_comments__csv_separators(void **state)
{
	got g;
	of_comments_stats st;
	(void)state;
	/* separators read off the header: tab (TSV, Excel's "Unicode text"), semicolon */
	static const char tsv[] = "时间\t昵称\t弹幕内容\n1\t小王\t米粉怎么冲，用多少度的水\n";
	assert_int_equal(parse(tsv, sizeof tsv - 1, &g, &st, 0), 0);
	assert_int_equal(st.format, OF_COMMENTS_CSV);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.text[0], "米粉怎么冲，用多少度的水"); /* a comma inside a TSV cell */
	static const char semi[] = "time;author;message\n2;bob;\"a; b\"\n";
	assert_int_equal(parse(semi, sizeof semi - 1, &g, &st, 0), 0);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.text[0], "a; b");
	assert_string_equal(g.user[0], "bob");

	/* lone CR line ends (Excel's "CSV (Macintosh)"), a quoted cell across one; lines counted */
	static const char cr[] = "time,author,message\r1,bob,\"how much\ris it?\"\r2,amy,x\r3,ann,\"unclosed\r";
	assert_int_equal(parse(cr, sizeof cr - 1, &g, &st, 0), 0);
	assert_int_equal(g.n, 2);
	assert_string_equal(g.text[0], "how much is it?");
	assert_int_equal(g.line[0], 2);
	assert_int_equal(g.line[1], 4);
	assert_int_equal(st.bad, 1); /* the unterminated quote, named at line 5 */
}

/* A time no stream has, in any format (a CSV time of 1e308, a capture tool's
 * create_time of 1e300, a 20-digit tmi-sent-ts): a bad record naming its line,
 * the others read at their times. It used to reach the chart's minute buckets
 * (an endless tick loop) and the milliseconds of comments.jsonl (int64 overflow). */
static void test_comments__absurd_times_are_bad_records(void **state)
{
	static const char csv[] = "text,time\n宝宝几个月能吃蛋黄？,1e308\n米粉怎么冲？,5\n";
	static const char jl[] = "{\"text\":\"宝宝几个月能吃蛋黄？\",\"create_time\":1e300}\n"
				 "{\"text\":\"米粉怎么冲？\",\"create_time\":1795089615}\n"
				 "{\"text\":\"几段？\",\"create_time\":1795089625}\n";
	static const char irc[] = "@display-name=a;tmi-sent-ts=1700000000000 :a!a@a PRIVMSG #c :宝宝几个月能吃蛋黄？\n"
				  "@display-name=y;tmi-sent-ts=99999999999999999999 :c!c@c PRIVMSG #c :辅食加盐吗？\n";
	got g;
	of_comments_stats st;
	(void)state;
	of_log_set_handler(quiet, NULL);
	assert_int_equal(parse(csv, sizeof csv - 1, &g, &st, 0), 0);
	assert_int_equal(g.n, 1);
	assert_int_equal(st.bad, 1);
	assert_string_equal(g.text[0], "米粉怎么冲？");
	assert_true(g.time[0] == 5);
	assert_int_equal(parse(jl, sizeof jl - 1, &g, &st, 0), 0);
	assert_int_equal(g.n, 2);
	assert_int_equal(st.bad, 1);
	assert_true(g.time[0] == 0 && g.time[1] == 10); /* the refused record set no start */
	assert_int_equal(parse(irc, sizeof irc - 1, &g, &st, 0), 0);
	assert_int_equal(g.n, 1);
	assert_int_equal(st.bad, 1);
	/* strict: the read fails, naming the line */
	of_comments_options o = OF_COMMENTS_OPTIONS_INIT;
	o.strict = 1;
	assert_int_equal(of_comments_parse_buffer(csv, sizeof csv - 1, "t.csv", &o, NULL, NULL, NULL), OF_EINVALID);
	assert_int_equal(of_error_last()->line, 2);
	assert_non_null(strstr(of_error_last()->message, "out of range"));
	of_log_set_handler(NULL, NULL);
}

/* A log timed only by wall clocks (dated text logs, Twitch's tmi-sent-ts, CSV
 * and JSON exports with send times, raw innertube actions) counts its offsets
 * from its earliest record, not from its first line: out of order, no time is
 * negative. The records before the first one are counted and said once, at the
 * earliest record, as a warning (not a bad record, so --strict reads it). The
 * log is read twice for this; what the first pass sees is said only once. */
static void test_comments__out_of_order_wall_times(void **state)
{
	static const struct {
		const char *name, *data;
		int n;
		double time[4];
		size_t early;
		unsigned long warn_line; /* of the earliest record, in the file */
	} cases[] = {
		{"chat.txt",
		 "[2024-01-06 12:35:10] viewer_a: when does the giveaway start?\n"
		 "[2024-01-06 12:34:56] viewer_b: hi chat\n"
		 "[2024-01-06 12:36:00] viewer_c: when does the giveaway start\n"
		 "[2024-01-06 12:30:00] viewer_d: first!\n",
		 4, {310, 296, 360, 0}, 2, 4},
		{"irc.log",
		 "@id=a;tmi-sent-ts=1704557990095 :a!a@a PRIVMSG #c :how long is the stream?\n"
		 "@id=b;tmi-sent-ts=1704557984095 :b!b@b PRIVMSG #c :hi\n"
		 "@id=c;tmi-sent-ts=1704557995095 :c!c@c PRIVMSG #c :yo\n",
		 3, {6, 0, 11}, 1, 2},
		{"export.csv", "发送时间,昵称,弹幕内容\n2026-11-19 20:01:05,a,链接在哪\n2026-11-19 20:00:05,b,主播好\n"
			       "2026-11-19 20:02:05,c,多少钱\n",
		 3, {60, 0, 120}, 1, 3},
		{"capture.jsonl", "{\"content\":\"米粉几段？\",\"create_time\":1795089615}\n"
				  "{\"content\":\"主播好\",\"create_time\":1795089600}\n",
		 2, {15, 0}, 1, 2},
		{"array.json", "[\n {\"content\":\"a\",\"send_time\":\"2026-11-19 20:00:05\"},\n"
			       " {\"content\":\"b\",\"send_time\":\"2026-11-19 20:00:01\"}\n]\n",
		 2, {4, 0}, 1, 3},
		{"actions.json",
		 "[{\"addChatItemAction\":{\"item\":{\"liveChatTextMessageRenderer\":{\"message\":{\"runs\":[{\"text\":\"a\"}]},"
		 "\"timestampUsec\":\"1700000005000000\"}}}},"
		 "{\"addChatItemAction\":{\"item\":{\"liveChatTextMessageRenderer\":{\"message\":{\"runs\":[{\"text\":\"b\"}]},"
		 "\"timestampUsec\":\"1700000000000000\"}}}}]",
		 2, {5, 0}, 1, 1},
		{"in-order.txt", "[2024-01-06 12:30:00] a: x\n[2024-01-06 12:30:00] b: y\n[2024-01-06 12:31:00] c: z\n",
		 3, {0, 0, 60}, 0, 0},
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		heard h;
		got g;
		of_comments_stats st;
		of_comments_options o = OF_COMMENTS_OPTIONS_INIT;
		memset(&h, 0, sizeof h);
		memset(&g, 0, sizeof g);
		memset(&st, 0, sizeof st);
		o.strict = 1; /* a warning, not a bad record */
		of_log_set_handler(listen, &h);
		int rc = of_comments_parse_buffer(cases[i].data, strlen(cases[i].data), cases[i].name, &o, collect, &g, &st);
		of_log_set_handler(NULL, NULL);
		if (rc != 0 || (int)g.n != cases[i].n)
			fail_msg("%s: rc %d, %zu comments, want %d", cases[i].name, rc, g.n, cases[i].n);
		for (int k = 0; k < cases[i].n; k++)
			if (g.time[k] != cases[i].time[k])
				fail_msg("%s: comment %d at %g, want %g", cases[i].name, k + 1, g.time[k], cases[i].time[k]);
		if (st.out_of_order != cases[i].early || st.records != (size_t)cases[i].n || st.bad)
			fail_msg("%s: %zu out of order, %zu records, %zu bad", cases[i].name, st.out_of_order, st.records,
				 st.bad);
		if (h.warnings != (cases[i].early ? 1u : 0u) || (cases[i].early && h.warn_line[0] != cases[i].warn_line))
			fail_msg("%s: %zu warnings, the first at line %lu, want one at %lu", cases[i].name, h.warnings,
				 h.warn_line[0], cases[i].warn_line);
		if (cases[i].early && !strstr(h.warn_msg[0], "before the log's first one (the log is out of order)"))
			fail_msg("%s: warning '%s'", cases[i].name, h.warn_msg[0]);
	}
	/* the first pass prints and counts nothing: one bad record, one control character, each once */
	static const char mixed[] = "[2024-01-06 12:35:10] a: one\x01\n"
				    "[not a time] b: two\n"
				    "[2024-01-06 12:30:00] c: three\n";
	heard h;
	got g;
	of_comments_stats st;
	memset(&h, 0, sizeof h);
	of_log_set_handler(listen, &h);
	assert_int_equal(parse(mixed, sizeof mixed - 1, &g, &st, 0), 0);
	of_log_set_handler(NULL, NULL);
	assert_int_equal(g.n, 2);
	assert_true(g.time[0] == 310 && g.time[1] == 0);
	assert_int_equal(st.bad, 1);
	assert_int_equal(h.bad, 1);
	assert_int_equal(st.control_removed, 1);
	assert_int_equal(h.warnings, 2); /* the control character, the order */
	assert_int_equal(st.out_of_order, 1);
}

/* A chat-downloader JSON array cut off (the downloader killed while writing, a
 * copy cut short) or broken in the middle keeps every complete record before
 * the break, as a broken danmaku XML does: one bad record naming file:line
 * (exit 0, the summary counts it; --strict fails on it), st.truncated. Each
 * element is parsed by jansson; a file that is no array stays unusable. */
static void test_comments__json_array_cut_keeps_records(void **state)
{
	static const char mid[] = "[{\"message_id\":\"1\",\"message\":\"a?\",\"time_in_seconds\":1},\n"
				  "{\"message_id\":\"2\",\"message\":\"b\",\"time_in_seconds\":2} ,\n"
				  "{\"message_id\":\"3\",\"message\":\"c\",\"time_in_seconds\":3} {\"message_id\":\"4\"}]\n";
	static const char obj[] = "{\"messages\": [\"@id=1 :a!a@a PRIVMSG #c :hi\", \"@id=2 :b!b@b PRIV";
	got g;
	of_comments_stats st;
	heard h;
	(void)state;
	memset(&h, 0, sizeof h);
	of_log_set_handler(listen, &h);
	assert_int_equal(load("comments/chatdl-current-cut.json", &g, &st), 0);
	of_log_set_handler(NULL, NULL);
	assert_int_equal(st.format, OF_COMMENTS_YOUTUBE);
	assert_int_equal(g.n, 2); /* c1, c2; c3 is a membership (ignored), c4 is cut */
	assert_string_equal(g.id[1], "c2");
	assert_string_equal(g.text[1], "hello from Oslo");
	assert_int_equal(st.ignored, 1);
	assert_int_equal(st.truncated, 1);
	assert_int_equal(st.bad, 1);
	assert_int_equal(h.bad, 1);
	/* strict: the cut fails the read, naming the line it falls in */
	of_comments_options o = OF_COMMENTS_OPTIONS_INIT;
	o.strict = 1;
	assert_int_equal(of_comments_load(of_fixture("comments/chatdl-current-cut.json"), &o, NULL, NULL, NULL),
			 OF_EINVALID);
	assert_int_equal(of_error_last()->line, 5);
	assert_non_null(strstr(of_error_last()->message,
			       "unexpected end of file (the JSON array is cut short), 2 comments recovered"));
	/* broken in the middle: the records before the break, and jansson's words with line:col */
	of_log_set_handler(quiet, NULL);
	assert_int_equal(parse(mid, sizeof mid - 1, &g, &st, 0), 0);
	assert_int_equal(g.n, 3);
	assert_string_equal(g.text[2], "c");
	assert_int_equal(st.truncated, 1);
	assert_int_equal(st.bad, 1);
	assert_int_equal(of_comments_parse_buffer(mid, sizeof mid - 1, "mid.json", &o, NULL, NULL, NULL), OF_EINVALID);
	assert_int_equal(of_error_last()->line, 3);
	assert_true(of_error_last()->col > 50);
	assert_non_null(strstr(of_error_last()->message, "']' expected"));
	assert_non_null(strstr(of_error_last()->message, "; the 3 comments before it are kept, the rest of the file is not read"));
	/* an object that is not Chatterino's {"messages": [...]}: nothing to keep, the file cannot be used */
	static const char other[] = "{\"comments\": [{\"text\": \"a\"}, {\"text\": \"b";
	assert_int_equal(parse(other, sizeof other - 1, &g, &st, 0), OF_EINVALID);
	assert_int_equal(g.n, 0);
	/* Chatterino's {"messages": [...]} cut short keeps its complete lines (test below) */
	assert_int_equal(parse(obj, sizeof obj - 1, &g, &st, 0), 0);
	assert_int_equal(g.n, 1);
	/* a .gz cut inside the array: one report for one break, not the gzip's besides */
	char *cut = of_test_slurp(of_fixture("comments/chatdl-current-cut.json"), NULL);
	uLongf zcap = compressBound(strlen(cut)) + 64;
	unsigned char *z = malloc(zcap);
	z_stream zs;
	memset(&zs, 0, sizeof zs);
	assert_int_equal(deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
	zs.next_in = (unsigned char *)cut;
	zs.avail_in = (uInt)strlen(cut);
	zs.next_out = z;
	zs.avail_out = (uInt)zcap;
	assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
	size_t zlen = zs.total_out;
	deflateEnd(&zs);
	assert_int_equal(parse((const char *)z, zlen - 12, &g, &st, 0), 0); /* the gzip trailer and some data gone */
	assert_true(g.n >= 1 && g.n <= 2);
	assert_int_equal(st.truncated, 1);
	assert_int_equal(st.bad, 1);
	free(z);
	free(cut);
	of_log_set_handler(NULL, NULL);

	/* a real log cut in half: the records of the elements that ended before the cut, the
	 * same as the first ones of the whole file */
	const char *real = of_corpus("youtube-livechat/chatdl-legacy-premiered-video-7413msgs.json");
	if (!real)
		skip();
	size_t len = 0, want = 0;
	char *all = of_test_slurp(real, &len);
	assert_non_null(all);
	size_t half = len / 2;
	/* the legacy schema writes every element as {"author": …}: one complete element per separator */
	for (const char *p = all; (p = memmem(p, (size_t)(all + half - p), "}, {\"author\": ", 14)) != NULL; p++)
		want++;
	assert_true(want > 3000);
	nth whole = {0, want, ""}, part = {0, want, ""};
	of_comments_options d = OF_COMMENTS_OPTIONS_INIT;
	assert_int_equal(of_comments_parse_buffer(all, len, "whole.json", &d, keep_nth, &whole, NULL), 0);
	assert_int_equal(whole.n, 7413);
	memset(&st, 0, sizeof st);
	of_log_set_handler(quiet, NULL);
	assert_int_equal(of_comments_parse_buffer(all, half, "half.json", &d, keep_nth, &part, &st), 0);
	of_log_set_handler(NULL, NULL);
	assert_int_equal(part.n, want);
	assert_string_equal(part.text, whole.text);
	assert_int_equal(st.truncated, 1);
	assert_int_equal(st.bad, 1);
	free(all);
}

/* gzip of `len` bytes of `data` (the caller frees). */
static unsigned char *gzip_of(const char *data, size_t len, size_t *zlen)
{
	uLongf zcap = compressBound(len) + 64;
	unsigned char *z = malloc(zcap);
	z_stream zs;
	memset(&zs, 0, sizeof zs);
	assert_int_equal(deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
	zs.next_in = (unsigned char *)data;
	zs.avail_in = (uInt)len;
	zs.next_out = z;
	zs.avail_out = (uInt)zcap;
	assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
	*zlen = zs.total_out;
	deflateEnd(&zs);
	return z;
}

/* Chatterino's recent-messages file {"messages": ["@… PRIVMSG …", …]} cut short
 * (or broken in the middle) keeps every complete line before the break and
 * reports the break as the JSON array reader does (file:line[:col], a bad record,
 * st.truncated): its keys and elements are parsed by jansson one at a time, the
 * same walk as a top-level array's. A .gz of the one-line file cut short is read
 * the same way (not cut back to its last newline, which it has none of). */
static void test_comments__chatterino_cut_keeps_records(void **state)
{
	static const char cut[] = "{\"messages\":[\"@id=1;tmi-sent-ts=1704557990095 :a!a@a PRIVMSG #c :how long?\",\n"
				  "\"@id=2;tmi-sent-ts=1704557984095 :b!b@b PRIVMSG #c :hi\",\n"
				  "\"@id=3;tmi-sent-ts=1704557995095 :c!c@c PRIVMSG #c :yo\",\n"
				  "\"@id=4;tmi-sent-ts=1704557996095 :d!d@d PRIVMSG #c :cut her";
	static const char mid[] = "{\"error\": null, \"messages\": [\":a!a@a PRIVMSG #c :one\", \":b!b@b PRIVMSG #c :two\" "
				   "\":c!c@c PRIVMSG #c :three\"], \"error_code\": null}";
	static const char late[] = "{\"messages\": [\":a!a@a PRIVMSG #c :one\"], \"error\": nul";
	static const char nokey[] = "{\"error\": null, \"error_code\": [1, 2";
	of_comments_options o = OF_COMMENTS_OPTIONS_INIT;
	of_comments_stats st;
	got g;
	heard h;
	(void)state;
	memset(&h, 0, sizeof h);
	of_log_set_handler(listen, &h);
	assert_int_equal(parse(cut, sizeof cut - 1, &g, &st, 0), 0);
	of_log_set_handler(NULL, NULL);
	assert_int_equal(st.format, OF_COMMENTS_IRC);
	assert_int_equal(g.n, 3);
	assert_string_equal(g.id[0], "1");
	assert_string_equal(g.text[2], "yo");
	assert_true(g.time[0] == 6 && g.time[1] == 0 && g.time[2] == 11); /* from the earliest, as whole */
	assert_int_equal(g.line[2], 3); /* records keep their element numbers */
	assert_int_equal(st.truncated, 1);
	assert_int_equal(st.bad, 1);
	assert_int_equal(h.bad, 1);
	o.strict = 1;
	assert_int_equal(of_comments_parse_buffer(cut, sizeof cut - 1, "c.json", &o, NULL, NULL, NULL), OF_EINVALID);
	assert_int_equal(of_error_last()->line, 4); /* the line the cut falls in */
	assert_non_null(strstr(of_error_last()->message,
			       "unexpected end of file (the JSON array is cut short), 3 comments recovered"));
	/* broken in the middle (a missing comma), after another key: jansson's words, line:col */
	assert_int_equal(of_comments_parse_buffer(mid, sizeof mid - 1, "m.json", &o, NULL, NULL, NULL), OF_EINVALID);
	assert_int_equal(of_error_last()->line, 1);
	assert_true(of_error_last()->col > 70);
	assert_non_null(strstr(of_error_last()->message, "; the 2 comments before it are kept, the rest of the file is not read"));
	of_log_set_handler(quiet, NULL);
	assert_int_equal(parse(mid, sizeof mid - 1, &g, &st, 0), 0);
	assert_int_equal(g.n, 2);
	assert_string_equal(g.text[1], "two");
	/* the array whole, the object cut after it: its lines kept, the break said */
	assert_int_equal(parse(late, sizeof late - 1, &g, &st, 0), 0);
	assert_int_equal(g.n, 1);
	assert_int_equal(st.truncated, 1);
	assert_int_equal(st.bad, 1);
	/* no "messages" before the break: nothing to keep, the parser's error */
	assert_int_equal(parse(nokey, sizeof nokey - 1, &g, &st, 0), OF_EINVALID);
	assert_int_equal(g.n, 0);
	of_log_set_handler(NULL, NULL);

	/* the real file: cut in half, the lines of the elements complete before the cut, the same
	 * as the whole file's first ones; and as a .gz cut short */
	const char *real = of_corpus("irc-chat/chatterino-recentmessages-nymn-800irc.json");
	if (!real)
		skip();
	size_t len = 0, half, want = 0, zlen;
	char *all = of_test_slurp(real, &len);
	assert_non_null(all);
	half = len / 2;
	/* every element but the first starts after "\",\"" and every one is a PRIVMSG or a CLEARCHAT */
	size_t elems = 1, clear = 0;
	for (const char *p = all; (p = memmem(p, (size_t)(all + half - p), "\",\"", 3)) != NULL; p++)
		elems++;
	for (const char *p = all; (p = memmem(p, (size_t)(all + half - p), " CLEARCHAT #", 12)) != NULL; p++)
		clear++;
	want = elems - 1 - clear; /* the last element is cut */
	assert_true(want > 300);
	nth whole = {0, want, ""}, part = {0, want, ""};
	of_comments_options d = OF_COMMENTS_OPTIONS_INIT;
	assert_int_equal(of_comments_parse_buffer(all, len, "whole.json", &d, keep_nth, &whole, NULL), 0);
	assert_int_equal(whole.n, 798);
	memset(&st, 0, sizeof st);
	of_log_set_handler(quiet, NULL);
	assert_int_equal(of_comments_parse_buffer(all, half, "half.json", &d, keep_nth, &part, &st), 0);
	assert_int_equal(part.n, want);
	assert_string_equal(part.text, whole.text);
	assert_int_equal(st.truncated, 1);
	assert_int_equal(st.bad, 1);
	unsigned char *z = gzip_of(all, len, &zlen);
	memset(&st, 0, sizeof st);
	assert_int_equal(of_comments_parse_buffer((const char *)z, zlen / 2, "cut.json.gz", &d, NULL, NULL, &st), 0);
	of_log_set_handler(NULL, NULL);
	assert_true(st.records > 100 && st.records < 798);
	assert_int_equal(st.truncated, 1);
	assert_int_equal(st.bad, 1); /* one report for one break, not the gzip's besides */
	free(z);
	free(all);
}

/* A bad element of a JSON array log is named by the line it starts on (and its
 * index), minified or pretty-printed; records keep their element numbers as ids. */
static void test_comments__json_array_lines(void **state)
{
	static const char mini[] = "[{\"message_id\":\"1\",\"message\":\"a?\",\"time_in_seconds\":1},"
				   "{\"message_id\":\"2\",\"message\":[\"x\"],\"time_in_seconds\":2}]";
	static const char pretty[] = "[\n  {\n    \"message_id\": \"1\",\n    \"message\": \"a, [b] \\\"c\\\"?\",\n"
				     "    \"time_in_seconds\": 1\n  },\n  {\n    \"message_id\": \"2\",\n"
				     "    \"message\": [\"x\"],\n    \"time_in_seconds\": 2\n  }\n]\n";
	of_comments_options o = OF_COMMENTS_OPTIONS_INIT;
	(void)state;
	o.strict = 1;
	assert_int_equal(of_comments_parse_buffer(mini, sizeof mini - 1, "m.json", &o, NULL, NULL, NULL), OF_EINVALID);
	assert_int_equal(of_error_last()->line, 1);
	assert_non_null(strstr(of_error_last()->message, "$[1]"));
	assert_int_equal(of_comments_parse_buffer(pretty, sizeof pretty - 1, "p.json", &o, NULL, NULL, NULL), OF_EINVALID);
	assert_int_equal(of_error_last()->line, 7); /* the second element's "{" */
	got g;
	of_comments_stats st;
	of_log_set_handler(quiet, NULL);
	assert_int_equal(parse(pretty, sizeof pretty - 1, &g, &st, 0), 0);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.line[0], 1); /* element 1: its id stays p.json:1 */
	assert_string_equal(g.text[0], "a, [b] \"c\"?");
	of_log_set_handler(NULL, NULL);
}

static void test_comments__format_names(void **state)
{
	(void)state;
	assert_int_equal(of_comments_format_from_name("csv"), OF_COMMENTS_CSV);
	assert_int_equal(of_comments_format_from_name("nico"), -1);
	assert_string_equal(of_comments_format_name(OF_COMMENTS_YOUTUBE), "youtube");
}

static void test_comments__corpus_counts(void **state)
{
	static const struct {
		const char *rel;
		size_t n;
	} files[] = {{"danmaku-xml/dfm-comments-cid8729348.xml", 1239},
		     {"danmaku-xml/dfm-comments-cid2196678.xml", 1000},
		     {"danmaku-xml/dfm-comments-cid64733.xml", 1235},
		     {"danmaku-xml/danmakufactory-example-danmaku01-cid367013145.xml", 1200},
		     {"danmaku-xml/danmakufactory-tests-test-escaped-emoji.xml", 7},
		     {"youtube-livechat/chatdl-legacy-premiered-video-7413msgs.json", 7413},
		     {"irc-chat/chatterino-recentmessages-nymn-800irc.json", 798},
		     {"irc-chat/chatdl-legacy-twitch-vod-replay.txt", 19},
		     {"irc-chat/chatdl-legacy-twitch-vod-replay.json", 19},
		     {"other-chat/chatdl-legacy-youtube-live-chat-replay.csv", 681}};
	(void)state;
	if (!of_corpus("danmaku-xml"))
		skip();
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		of_comments_stats st = {0};
		of_comments_options o = OF_COMMENTS_OPTIONS_INIT;
		assert_int_equal(of_comments_load(of_corpus(files[i].rel), &o, NULL, NULL, &st), 0);
		if (st.records != files[i].n)
			fail_msg("%s: %zu comments, PROVENANCE.md says %zu", files[i].rel, st.records, files[i].n);
		assert_int_equal(st.bad, 0);
	}
}

/* Messages of a log timed by wall clocks come in the order of its lines, the
 * out-of-order warning at the earliest record (before that record's own
 * warnings), all under the per-file cap: the earliest record past the cap is
 * counted, not printed. */
typedef struct said {
	size_t n;
	unsigned long line[64];
	char msg[64][160];
} said;

static void say_in_order(const of_log_record *r, void *p)
{
	said *s = p;
	if (r->level != OF_LOG_WARN || !r->line || s->n >= 64)
		return;
	s->line[s->n] = r->line;
	snprintf(s->msg[s->n], sizeof s->msg[0], "%s", r->message);
	s->n++;
}

static void test_comments__wall_time_messages_in_order(void **state)
{
	of_buf x;
	said s;
	of_comments_stats st;
	of_comments_options o = OF_COMMENTS_OPTIONS_INIT;
	(void)state;
	for (int earliest = 5; earliest <= 30; earliest += 25) {
		of_buf_init(&x, 1 << 20);
		for (int i = 1; i <= 30; i++) /* each line a control character; line `earliest` is the earliest */
			of_buf_printf(&x, "[2024-01-06 12:%02d:00] v%d: 宝宝text%s\x01\n", i == earliest ? 1 : 10 + i, i,
				      i == 12 ? "\xff" : "");
		memset(&s, 0, sizeof s);
		memset(&st, 0, sizeof st);
		of_log_set_handler(say_in_order, &s);
		assert_int_equal(of_comments_parse_buffer(of_buf_cstr(&x), of_buf_len(&x), "o.txt", &o, NULL, NULL, &st), 0);
		of_log_set_handler(quiet, NULL);
		assert_int_equal(st.out_of_order, 1); /* sent before line 1's record: the earliest alone */
		assert_int_equal(st.records, 30);
		assert_int_equal(st.control_removed, 30);
		/* what must be said, in this order; the cap prints the first 21 */
		unsigned long wl[64];
		const char *wm[64];
		size_t nw = 0;
		for (int i = 1; i <= 30; i++) {
			if (i == earliest)
				wl[nw] = (unsigned long)i, wm[nw++] = "sent before the log's first one";
			if (i == 12)
				wl[nw] = 12, wm[nw++] = "invalid UTF-8 byte 0xFF";
			wl[nw] = (unsigned long)i, wm[nw++] = "control char U+0001 removed";
		}
		assert_int_equal(s.n, OF_MAX_WARNINGS_PER_LOG + 1);
		for (size_t k = 0; k < s.n; k++)
			if (s.line[k] != wl[k] || !strstr(s.msg[k], wm[k]))
				fail_msg("earliest at %d: message %zu is o.txt:%lu '%s', want o.txt:%lu '%s'", earliest, k, s.line[k],
					 s.msg[k], wl[k], wm[k]);
		of_buf_free(&x);
	}
}

/* A forced format and a log timed by wall clocks, queued until its end: bad records are held
 * back as they are read, and the read stops at the OF_FORCED_FORMAT_TRIES-th with nothing read
 * (the lines after it are not read: their CLEARCHATs are not counted), its one message said and
 * no out-of-order warning; bad records before a record that reads are said first, in their
 * place; under strict the first bad record fails the read after the records before it. A JSON
 * array cut after one record says "1 comment", when the queue is read out. */
static void test_comments__forced_format_wall_timed(void **state)
{
	of_comments_options o = OF_COMMENTS_OPTIONS_INIT;
	of_comments_stats st;
	of_buf x;
	said s;
	got g;
	static const char cut1[] = "[{\"content\":\"a?\",\"create_time\":1795089660},\n{\"content\":\"b\",\"create_ti";
	static const char mid1[] = "[{\"content\":\"a?\",\"create_time\":1795089660}, ]junk, {\"content\":\"c\"}]\n";
	(void)state;
	o.format = OF_COMMENTS_IRC;
	of_buf_init(&x, 1 << 20);
	for (int i = 1; i <= 12; i++) /* timed, then bad: each queued */
		of_buf_printf(&x, "[2024-01-06 12:%02d:00] no colon here\n", 50 - i);
	for (int i = 0; i < 5; i++)
		of_buf_printf(&x, "@tmi-sent-ts=1704545400000 :tmi.twitch.tv CLEARCHAT #chan someone\n");
	of_buf_printf(&x, "[2024-01-06 12:00:00] v1: 宝宝几个月？\n");
	memset(&s, 0, sizeof s);
	memset(&st, 0, sizeof st);
	of_log_set_handler(say_in_order, &s);
	assert_int_equal(of_comments_parse_buffer(of_buf_cstr(&x), of_buf_len(&x), "w.txt", &o, NULL, NULL, &st),
			 OF_EINVALID);
	of_log_set_handler(quiet, NULL);
	assert_non_null(strstr(of_error_last()->message, "no comment could be read from this log as irc (--format): its "
							  "first 10 records are bad (line 1: expected"));
	assert_int_equal(st.bad, OF_FORCED_FORMAT_TRIES);
	assert_int_equal(st.ignored, 0); /* it stopped at line 10 */
	assert_int_equal(st.records, 0);
	assert_int_equal(st.out_of_order, 0);
	assert_int_equal(s.n, 0);
	of_buf_free(&x);

	/* three bad lines, then out-of-order records: the bad lines are said first, then the order warning */
	of_buf_init(&x, 1 << 20);
	of_buf_printf(&x, "[nope] g1\n[nope] g2\n[nope] g3\n");
	for (int i = 1; i <= 5; i++)
		of_buf_printf(&x, "[2024-01-06 12:%02d:00] v%d: 宝宝几个月？\n", i == 3 ? 1 : 10 + i, i);
	memset(&s, 0, sizeof s);
	memset(&g, 0, sizeof g);
	memset(&st, 0, sizeof st);
	of_log_set_handler(say_in_order, &s);
	assert_int_equal(of_comments_parse_buffer(of_buf_cstr(&x), of_buf_len(&x), "w.txt", &o, collect, &g, &st), 0);
	of_log_set_handler(quiet, NULL);
	assert_int_equal(g.n, 5);
	assert_int_equal(st.bad, 3);
	assert_int_equal(st.out_of_order, 1);
	assert_true(g.time[2] == 0 && g.time[0] == 10 * 60);
	assert_int_equal(s.n, 4);
	for (unsigned long k = 0; k < 3; k++)
		assert_int_equal(s.line[k], k + 1);
	assert_int_equal(s.line[3], 6);
	assert_non_null(strstr(s.msg[3], "sent before the log's first one"));

	/* strict: the first bad record fails the read in its place, after the records before it */
	of_buf_free(&x);
	of_buf_init(&x, 1 << 20);
	of_buf_printf(&x, "[2024-01-06 12:10:00] v1: a?\n[2024-01-06 12:05:00] v2: b?\n[2024-01-06 12:01:00] no colon\n"
			  "[2024-01-06 12:00:00] v4: c?\n");
	o.strict = 1;
	memset(&g, 0, sizeof g);
	assert_int_equal(of_comments_parse_buffer(of_buf_cstr(&x), of_buf_len(&x), "w.txt", &o, collect, &g, NULL),
			 OF_EINVALID);
	assert_int_equal(of_error_last()->line, 3);
	assert_int_equal(g.n, 2);
	assert_true(g.time[0] == 600); /* from the earliest, line 4's */
	of_buf_free(&x);

	/* one record kept: singular */
	o.strict = 1;
	o.format = OF_COMMENTS_AUTO;
	assert_int_equal(of_comments_parse_buffer(cut1, sizeof cut1 - 1, "c.json", &o, NULL, NULL, NULL), OF_EINVALID);
	assert_non_null(strstr(of_error_last()->message, "(the JSON array is cut short), 1 comment recovered"));
	assert_int_equal(of_comments_parse_buffer(mid1, sizeof mid1 - 1, "m.json", &o, NULL, NULL, NULL), OF_EINVALID);
	assert_non_null(strstr(of_error_last()->message, "; the 1 comment before it is kept, the rest"));
}

static size_t g_json_allocs;

static void *count_malloc(size_t n)
{
	g_json_allocs++;
	return malloc(n);
}

/* A log held in memory is read in one pass: every JSON Lines record and a JSON
 * array are parsed by jansson once, not once to find the earliest wall time and
 * again to read it (jansson's allocations are counted against parsing the same
 * records directly). Offsets still count from the earliest record. */
static void test_comments__held_logs_read_once(void **state)
{
	of_buf jl, arr;
	got g;
	of_comments_stats st;
	size_t direct = 0, n = 40;
	(void)state;
	of_buf_init(&jl, 1 << 20);
	of_buf_init(&arr, 1 << 20);
	of_buf_puts(&arr, "[");
	for (size_t i = 0; i < n; i++) {
		char rec[160];
		snprintf(rec, sizeof rec, "{\"content\":\"第%zu问：米粉几段？\",\"nickname\":\"u%zu\",\"create_time\":%zu}", i, i % 7,
			 (size_t)1795089600 + (i * 13 + 7) % n);
		of_buf_printf(&jl, "%s\n", rec);
		of_buf_printf(&arr, "%s%s", i ? ",\n" : "", rec);
	}
	of_buf_puts(&arr, "]\n");
	assert_int_equal(parse(of_buf_cstr(&jl), of_buf_len(&jl), &g, &st, 0), 0); /* json.c installs its hooks */
	json_set_alloc_funcs(count_malloc, free);
	g_json_allocs = 0;
	for (const char *p = of_buf_cstr(&jl), *nl; (nl = strchr(p, '\n')) != NULL; p = nl + 1) {
		json_t *v = NULL;
		assert_int_equal(of_json_parse_line(&v, p, (size_t)(nl - p), "d.jsonl", 1), 0);
		json_decref(v);
	}
	direct = g_json_allocs;
	g_json_allocs = 0;
	assert_int_equal(parse(of_buf_cstr(&jl), of_buf_len(&jl), &g, &st, 0), 0);
	size_t lines = g_json_allocs;
	json_t *v = NULL;
	g_json_allocs = 0;
	assert_int_equal(of_json_parse(&v, of_buf_cstr(&arr), of_buf_len(&arr), "d.json", 0), 0);
	json_decref(v);
	size_t whole = g_json_allocs;
	g_json_allocs = 0;
	assert_int_equal(parse(of_buf_cstr(&arr), of_buf_len(&arr), &g, &st, 0), 0);
	size_t array = g_json_allocs;
	json_set_alloc_funcs(malloc, free);
	if (lines > direct + direct / 4 || array > whole + whole / 4)
		fail_msg("jansson allocations: JSON Lines %zu (one parse of each line: %zu), array %zu (one parse: %zu)", lines,
			 direct, array, whole);
	assert_int_equal(g.n, n);
	assert_int_equal(st.out_of_order, 7); /* sent before the first record (7 s): 0 to 6 s */
	for (size_t i = 0; i < n; i++)
		assert_true(g.time[i] == (double)((i * 13 + 7) % n));
	of_buf_free(&jl);
	of_buf_free(&arr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_comments__bilibili_fields),
		cmocka_unit_test(test_comments__bilibili_mode7_shapes),
		cmocka_unit_test(test_comments__bilibili_live_recorders),
		cmocka_unit_test(test_comments__bilibili_raw_room_admin),
		cmocka_unit_test(test_comments__bilibili_p_fast_path_agrees),
		cmocka_unit_test(test_comments__host_badges),
		cmocka_unit_test(test_comments__corpus_staff),
		cmocka_unit_test(test_comments__irc_emotes_only),
		cmocka_unit_test(test_comments__bilibili_bad_p_fields),
		cmocka_unit_test(test_comments__bilibili_control_and_utf8),
		cmocka_unit_test(test_comments__bilibili_line_breaks),
		cmocka_unit_test(test_comments__bilibili_truncated_keeps_records),
		cmocka_unit_test(test_comments__bilibili_self_closing_before_bare_lt),
		cmocka_unit_test(test_comments__bilibili_doctype_refused),
		cmocka_unit_test(test_comments__bilibili_declared_encodings),
		cmocka_unit_test(test_comments__unusable_files),
		cmocka_unit_test(test_comments__gzip_and_cap),
		cmocka_unit_test(test_comments__gzip_ratio_cap),
		cmocka_unit_test(test_comments__gzip_cut_short),
		cmocka_unit_test(test_comments__long_comment_skipped),
		cmocka_unit_test(test_comments__youtube_formats),
		cmocka_unit_test(test_comments__irc_and_text_logs),
		cmocka_unit_test(test_comments__csv_and_jsonl),
		cmocka_unit_test(test_comments__json_records_from_capture_tools),
		cmocka_unit_test(test_comments__posts_file_refused),
		cmocka_unit_test(test_comments__forced_format_gives_up),
		cmocka_unit_test(test_comments__csv_gbk_export),
		cmocka_unit_test(test_comments__csv_encodings),
		cmocka_unit_test(test_comments__xlsx_export),
		cmocka_unit_test(test_comments__csv_times),
		cmocka_unit_test(test_comments__csv_kind_and_amount),
		cmocka_unit_test(test_comments__csv_separators),
		cmocka_unit_test(test_comments__absurd_times_are_bad_records),
		cmocka_unit_test(test_comments__chatterino_cut_keeps_records),
		cmocka_unit_test(test_comments__json_array_lines),
		cmocka_unit_test(test_comments__out_of_order_wall_times),
		cmocka_unit_test(test_comments__json_array_cut_keeps_records),
		cmocka_unit_test(test_comments__format_names),
		cmocka_unit_test(test_comments__corpus_counts),
		cmocka_unit_test(test_comments__wall_time_messages_in_order),
		cmocka_unit_test(test_comments__forced_format_wall_timed),
		cmocka_unit_test(test_comments__held_logs_read_once), /* last: it replaces jansson's allocator */
	};
	of_log_set_handler(quiet, NULL);
	return cmocka_run_group_tests_name("comments", tests, NULL, NULL);
}
