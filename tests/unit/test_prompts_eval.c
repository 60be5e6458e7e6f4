/* test_prompts_eval.c — intent classification measured on the hand-labelled
 * sets of tests/eval/ (intent.tsv is the issue's; pool, written and ccl below):
 * precision and recall per intent, question figures per source and per half,
 * and the issue's question bar read on intent.tsv's real comments.
 * Halves: labelled rows numbered from 1, odd rows = "dev" (rules were tuned
 * looking at these), even rows = "test" (held out: only its figures are read,
 * never its misses), so the test half shows how well the rules generalise. */
#include "testutil.h"

#include "onefish/log.h"
#include "prompts/prompts_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The issue's bar on the whole set is precision >= 0.90, recall >= 0.80. The
 * rules reach the recall bar but not the precision bar (see tests/eval/README.md):
 * the assertion holds the precision actually reached so it cannot regress. */
#define ISSUE_MIN_PRECISION 0.90
/* 0.877 with the first reading's labels; 0.820 since every row has three
 * readings (round 4: the label is the majority, see tests/eval/README.md);
 * 0.847 with the `advanced` rule (round 8: mode-7 danmaku, intent-origin.tsv),
 * 0.855 with round 13's 这不都 (one dev-half false positive). */
#define QUESTION_MIN_PRECISION 0.85
#define QUESTION_MIN_RECALL 0.80
/* The same on the corpus rows alone (the example live log is ours, not real):
 * 0.690 / 0.891 in the fourth round, 0.731 / 0.891 in the eighth, 0.742 / 0.891
 * in the thirteenth. */
#define REAL_MIN_PRECISION 0.74
#define REAL_MIN_RECALL 0.85
/* tests/eval/intent-pool.tsv: 0.345 / 0.655 when it was added, 0.388 / 0.655
 * with the bare-reaction rule (assets/lexicons/reaction.txt) it led to, 0.400 /
 * 0.690 once a bare 这是什么 asked again (it was listed as rhetorical), 0.404 /
 * 0.724 once meaning questions (什么梗啊, 233是什么意思) asked (round 7), 0.420 /
 * 0.724 with the `advanced` rule (round 8). */
#define POOL_MIN_PRECISION 0.41
#define POOL_MIN_RECALL 0.72

/* tests/eval/intent-written.tsv (round 5): comments written for the purpose,
 * the set the round-5 rules were found on. Precision 0.628 / recall 0.700
 * before them, 0.685 / 0.779 after (most of the gain: live-sale questions
 * typed without '?', "含不含蔗糖", "穿M还是L"), 0.714 / 0.784 in round 12,
 * 0.753 / 0.784 with round 13's idioms (这是什么人间绝色, 还有人吗, 不就…吗,
 * 学会了吗？学废了), 0.764 / 0.784 once the complaints, requests and purchase
 * asks it phrases as questions counted as what they are, 0.766 / 0.798 with
 * round 15's terse live-sale asks (保质期？, 我150斤能穿下吗, 会不会太早了). */
#define WRITTEN_MIN_PRECISION 0.76
#define WRITTEN_MIN_RECALL 0.79
/* Purchase on the written set: 0.642 / 0.701 until round 12, whose lexicon
 * work (sizes in stock, live-sale price names, carriers, group buys, paying;
 * 福袋 is a giveaway, not buying; "我就看看不买" and "这么便宜" talk about
 * buying without asking) took it to 0.785 / 0.902; round 13 (拍两件, 还有这个价,
 * 地区发吗, promo codes, tickets, merch) to 0.797 / 0.933. */
#define WRITTEN_PURCHASE_MIN_PRECISION 0.79
#define WRITTEN_PURCHASE_MIN_RECALL 0.93
/* Complaint (the 致歉/说明帖 of a brief) and request on the written set:
 * 0.718 / 0.216 and 0.881 / 0.243 until round 12 listed the stream's sound
 * and picture faults, damaged goods and service, and asking the host to show,
 * sing, stream, share or fix something: 0.850 / 0.548 and 0.941 / 0.658.
 * Round 13 (complaints asked as questions: 怎么还没开播, 为什么又是广告,
 * why is the audio desynced; two topics, 开播晚了 and 评论发不出): complaint
 * 0.867 / 0.629; request asked as a yes/no question (能不能唱一首晴天, can you
 * zoom in on the cutting board): 0.947 / 0.733. */
#define WRITTEN_COMPLAINT_MIN_PRECISION 0.86
#define WRITTEN_COMPLAINT_MIN_RECALL 0.62
#define WRITTEN_REQUEST_MIN_PRECISION 0.94
#define WRITTEN_REQUEST_MIN_RECALL 0.73
/* Purchase on intent.tsv (its 23 purchase rows are all of the example live
 * log): 0.920 / 1.000 until round 12 dropped 福袋 from purchase.txt. */
#define PURCHASE_MIN_PRECISION 0.95
#define PURCHASE_MIN_RECALL 0.95

/* tests/eval/intent-ccl.tsv (round 6): 1,300 real danmaku of other videos,
 * read by two labellers (three where they differed). The rules of HEAD then
 * reached 0.371 / 0.692 on it (dev 0.411 / 0.754, test 0.332 / 0.630); the
 * round-6 rules found on its dev half 0.442 / 0.682 (dev 0.505 / 0.730, held-out
 * test 0.383 / 0.630). Round 8's `advanced` rule (mode-7 danmaku are not a
 * viewer asking): 0.463 / 0.669 (dev 0.541 / 0.730: 12 false positives fewer,
 * no question lost; held-out test 0.391 / 0.605: 9 fewer, 3 questions lost).
 * Round 13 (rules from the written set and unlabelled danmaku, none from this
 * set): 0.471 / 0.669, held-out test 0.396 / 0.605 (2 false positives fewer). */
#define CCL_MIN_PRECISION 0.46
#define CCL_MIN_RECALL 0.66

#define N_SOURCES 10
static const char *sources[N_SOURCES] = {"live",      "danmaku",    "youtube",    "twitch",   "w-danmaku",
					 "w-livesale", "w-gamelive", "w-twitch", "w-youtube", "w-boundary"};
/* G_REAL: the corpus sources, not "live" (our own example log, not a real
 * stream) nor the written "w-" ones */
enum { G_ALL, G_REAL, G_DEV, G_TEST, G_SRC0, G_COUNT = G_SRC0 + N_SOURCES };

typedef struct counts {
	size_t n, tp, fp, fn;
} counts;

static void quiet(const of_log_record *r, void *p) { (void)r; (void)p; }

static int label_of(const char *s)
{
	for (int i = 0; i < OF_INTENT_COUNT; i++)
		if (strcmp(s, of_intent__name((of_intent)i)) == 0)
			return i;
	return -1;
}

static double ratio(size_t a, size_t b) { return b ? (double)a / (double)b : 0.0; }

static void print_group(const char *name, const counts *c)
{
	printf("    %-8s %5zu %9.3f %6.3f   (tp %zu, fp %zu, fn %zu)\n", name, c->n, ratio(c->tp, c->tp + c->fp),
	       ratio(c->tp, c->tp + c->fn), c->tp, c->fp, c->fn);
}

/* tests/eval/intent-origin.tsv: the danmaku rows sent as bilibili advanced
 * danmaku (mode 7), which the stage reads from the `p` attribute and a row
 * cannot hold (made by tests/eval/make_origin.py from the logs, not from the
 * labels). Returns the mode of row `row` of `file` (0 when not listed) and
 * checks that the listed text is that row's, so the two files cannot drift. */
static int origin_mode(const char *file, size_t row, const char *text)
{
	static char *data;
	static size_t len;
	char want[256];
	const char *base = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
	if (!data)
		data = of_test_slurp(of_fixture("../eval/intent-origin.tsv"), &len);
	int n = snprintf(want, sizeof want, "\n%s\t%zu\t", base, row);
	const char *hit = n > 0 && (size_t)n < sizeof want ? strstr(data, want) : NULL;
	if (!hit)
		return 0;
	int mode = 0, pool = 0, used = 0;
	/* "%d\t%d%n", then exactly one tab: a scanf '\t' would also eat a text's leading spaces */
	if (sscanf(hit + n, "%d\t%d%n", &mode, &pool, &used) != 2 || hit[n + used] != '\t')
		fail_msg("intent-origin.tsv: bad line for %s row %zu", base, row);
	const char *t = hit + n + used + 1, *eol = strchr(t, '\n');
	size_t tl = eol ? (size_t)(eol - t) : strlen(t);
	if (tl != strlen(text) || memcmp(t, text, tl) != 0)
		fail_msg("intent-origin.tsv: %s row %zu is not \"%.*s\" (regenerate it with make_origin.py)", base, row,
			 (int)tl, t);
	return mode;
}

/* Evaluates one labelled file; returns the question figures over all rows.
 * `halves`: the file is split into dev/test halves (intent.tsv); `real` gets
 * the question figures of the corpus rows, `by_intent` (OF_INTENT_COUNT
 * entries) every intent's figures over all rows (either may be NULL). */
static counts evaluate(const char *rel, int halves, counts *real, counts *by_intent)
{
	char path[1024];
	size_t len, row = 0, tp[OF_INTENT_COUNT] = {0}, fp[OF_INTENT_COUNT] = {0}, fn[OF_INTENT_COUNT] = {0};
	counts g[G_COUNT];
	of_normalizer *nz = NULL;
	of_lexicons *lx = NULL;
	const char *verbose = getenv("ONEFISH_EVAL_VERBOSE");
	/* ONEFISH_EVAL_INTENT=purchase lists another intent's misses instead of the question's */
	const char *listed = getenv("ONEFISH_EVAL_INTENT");
	int list_intent = listed && label_of(listed) >= 0 ? label_of(listed) : OF_INTENT_QUESTION;
	memset(g, 0, sizeof g);
	snprintf(path, sizeof path, "%s", of_fixture(rel));
	char *data = of_test_slurp(path, &len);
	assert_int_equal(of_normalizer__new(&nz), 0);
	assert_int_equal(of_lexicons__load(&lx), 0);
	for (char *line = data, *next; line && *line; line = next) {
		char *nl = strchr(line, '\n'), *tab;
		of_analysis a;
		next = nl ? nl + 1 : NULL;
		if (nl)
			*nl = 0;
		if (line[0] == '#' || !(tab = strrchr(line, '\t')))
			continue;
		*tab = 0;
		int src = -1;
		for (int k = 0; k < N_SOURCES; k++)
			if (strcmp(tab + 1, sources[k]) == 0)
				src = k;
		if (src < 0)
			fail_msg("%s: unknown source '%s'", rel, tab + 1);
		if (!(tab = strrchr(line, '\t')))
			fail_msg("%s: line without a label", rel);
		*tab = 0;
		int want = label_of(tab + 1);
		if (want < 0)
			fail_msg("%s: unknown label '%s'", rel, tab + 1);
		assert_int_equal(of_analyze__text(nz, lx, line, strlen(line), &a), 0);
		row++;
		of_intent got_i = a.intent;
		of_rule got_r = a.rule;
		of_comment how;
		memset(&how, 0, sizeof how);
		how.kind = OF_COMMENT_CHAT;
		how.mode = origin_mode(rel, row, line);
		of_analysis__for_comment(&got_i, &got_r, &how);
		int got = (int)got_i;
		of_analysis__clear(&a);
		int half = !halves || row % 2 ? G_DEV : G_TEST;
		int groups[4] = {G_ALL, half, G_SRC0 + src, src >= 1 && src <= 3 ? G_REAL : -1};
		for (int k = 0; k < 4 && groups[k] >= 0; k++) {
			counts *c = &g[groups[k]];
			c->n++;
			c->tp += got == OF_INTENT_QUESTION && want == OF_INTENT_QUESTION;
			c->fp += got == OF_INTENT_QUESTION && want != OF_INTENT_QUESTION;
			c->fn += got != OF_INTENT_QUESTION && want == OF_INTENT_QUESTION;
		}
		if (got == want) {
			tp[want]++;
		} else {
			fp[got]++;
			fn[want]++;
			/* misses are listed for the dev half only ("all" lists both halves) */
			if ((got == list_intent || want == list_intent) && verbose &&
			    (half == G_DEV || strcmp(verbose, "all") == 0))
				printf("  miss: %-12s as %-10s %s\n", of_intent__name((of_intent)want),
				       of_intent__name((of_intent)got), line);
		}
	}
	printf("intent evaluation on %zu labelled comments (tests/eval/%s)\n", row, rel + strlen("../eval/"));
	printf("  %-10s %6s %6s %9s %6s\n", "intent", "n", "found", "precision", "recall");
	for (int i = 0; i < OF_INTENT_COUNT; i++) {
		size_t support = tp[i] + fn[i], found = tp[i] + fp[i];
		printf("  %-10s %6zu %6zu %9.3f %6.3f\n", of_intent__name((of_intent)i), support, found,
		       ratio(tp[i], found), ratio(tp[i], support));
	}
	printf("  question:  %-8s %5s %9s %6s\n", "group", "n", "precision", "recall");
	print_group("all", &g[G_ALL]);
	if (g[G_REAL].n && g[G_REAL].n != g[G_ALL].n)
		print_group("real", &g[G_REAL]);
	if (halves) {
		print_group("dev", &g[G_DEV]);
		print_group("test", &g[G_TEST]);
	}
	for (int k = 0; k < N_SOURCES; k++)
		if (g[G_SRC0 + k].n)
			print_group(sources[k], &g[G_SRC0 + k]);
	of_normalizer__free(nz);
	of_lexicons__free(lx);
	free(data);
	if (real)
		*real = g[G_REAL];
	for (int i = 0; by_intent && i < OF_INTENT_COUNT; i++)
		by_intent[i] = (counts){.n = g[G_ALL].n, .tp = tp[i], .fp = fp[i], .fn = fn[i]};
	return g[G_ALL];
}

/* One intent's precision and recall, printed and held to their floors. */
static void assert_floors(const char *set, const char *intent, counts all, double min_p, double min_r)
{
	double qp = ratio(all.tp, all.tp + all.fp), qr = ratio(all.tp, all.tp + all.fn);
	printf("  %s: precision %.3f (asserted floor %.2f), recall %.3f (asserted floor %.2f)\n", intent, qp, min_p,
	       qr, min_r);
	if (qp < min_p || qr < min_r)
		fail_msg("%s: %s precision %.3f (floor %.2f), recall %.3f (floor %.2f)", set, intent, qp, min_p, qr,
			 min_r);
}

static void assert_question_floors(const char *set, counts all, double min_p, double min_r)
{
	assert_floors(set, "question", all, min_p, min_r);
}

static void test_prompts_eval__intent_precision_recall(void **state)
{
	(void)state;
	counts real, by[OF_INTENT_COUNT], all = evaluate("../eval/intent.tsv", 1, &real, by);
	assert_true(all.n >= 400 && real.n >= 400);
	/* the issue asks for real comments: the bar is read on the corpus rows alone */
	double qp = ratio(real.tp, real.tp + real.fp), qr = ratio(real.tp, real.tp + real.fn);
	printf("  question: issue bar on the %zu real comments: precision %.3f, bar %.2f %s; recall %.3f, bar %.2f %s\n",
	       real.n, qp, ISSUE_MIN_PRECISION, qp >= ISSUE_MIN_PRECISION ? "met" : "NOT met", qr,
	       QUESTION_MIN_RECALL, qr >= QUESTION_MIN_RECALL ? "met" : "NOT met");
	assert_question_floors("intent.tsv", all, QUESTION_MIN_PRECISION, QUESTION_MIN_RECALL);
	assert_question_floors("intent.tsv (real comments)", real, REAL_MIN_PRECISION, REAL_MIN_RECALL);
	assert_floors("intent.tsv", "purchase", by[OF_INTENT_PURCHASE], PURCHASE_MIN_PRECISION, PURCHASE_MIN_RECALL);
}

/* The second set: every other question-like comment of the same corpus
 * files, read twice by independent labellers. It says how the rules do on
 * old danmaku beyond the set they were tuned on; the floors hold the level
 * reached so it cannot regress silently. */
static void test_prompts_eval__pool(void **state)
{
	(void)state;
	counts all = evaluate("../eval/intent-pool.tsv", 0, NULL, NULL);
	assert_true(all.n >= 500);
	assert_question_floors("intent-pool.tsv", all, POOL_MIN_PRECISION, POOL_MIN_RECALL);
}

/* The written set: 5,000 comments written for the purpose in six genres
 * (not real comments). The round-5 rules were found on it, so it is a dev
 * set; it is here because it is the only set with many live-sale questions,
 * the stage's main use, and the floors keep that recall from regressing. */
static void test_prompts_eval__written(void **state)
{
	(void)state;
	counts by[OF_INTENT_COUNT], all = evaluate("../eval/intent-written.tsv", 0, NULL, by);
	assert_true(all.n >= 5000);
	assert_question_floors("intent-written.tsv", all, WRITTEN_MIN_PRECISION, WRITTEN_MIN_RECALL);
	assert_floors("intent-written.tsv", "purchase", by[OF_INTENT_PURCHASE], WRITTEN_PURCHASE_MIN_PRECISION,
		      WRITTEN_PURCHASE_MIN_RECALL);
	assert_floors("intent-written.tsv", "complaint", by[OF_INTENT_COMPLAINT], WRITTEN_COMPLAINT_MIN_PRECISION,
		      WRITTEN_COMPLAINT_MIN_RECALL);
	assert_floors("intent-written.tsv", "request", by[OF_INTENT_REQUEST], WRITTEN_REQUEST_MIN_PRECISION,
		      WRITTEN_REQUEST_MIN_RECALL);
}

/* The third set: real danmaku from outside the corpus (CommentCoreLibrary's
 * test data), every comment the rules of round 5 called a question and every
 * other question-shaped one, so its precision is the rules' precision on those
 * videos. Halves as in intent.tsv; the test half was read once, as figures. */
static void test_prompts_eval__ccl(void **state)
{
	(void)state;
	counts all = evaluate("../eval/intent-ccl.tsv", 1, NULL, NULL);
	assert_true(all.n >= 1300);
	assert_question_floors("intent-ccl.tsv", all, CCL_MIN_PRECISION, CCL_MIN_RECALL);
}

/* Walks a labels file and its readings file (`row<TAB>r1<TAB>r2<TAB>r3<TAB>kept`)
 * side by side, skipping '#' lines, and asks `kept_of` which label the readings
 * give; the kept column and the labels file must both say it. Returns the rows;
 * `*changed` counts the rows where `kept_of` reported a change. */
typedef const char *(*kept_fn)(char r[4][16], size_t *changed);

/* Scores each of three readings the way the rules are scored, on question vs
 * not-question, against the other two readings where those two agree (so no
 * reader grades itself), on the real comments only (source not "live"). */
static void score_readers(char r[4][16], const char *source, counts human[3])
{
	if (strcmp(source, "live") == 0)
		return;
	for (int k = 0; k < 3; k++) {
		int a = (k + 1) % 3, b = (k + 2) % 3;
		int qa = strcmp(r[a], "question") == 0, qb = strcmp(r[b], "question") == 0;
		int qk = strcmp(r[k], "question") == 0;
		if (qa != qb)
			continue;
		human[k].n++;
		human[k].tp += qk && qa;
		human[k].fp += qk && !qa;
		human[k].fn += !qk && qa;
	}
}

/* `human` (optional, three readings only) gets score_readers() of every row. */
static size_t check_readings(const char *labels_rel, const char *readings_rel, kept_fn kept_of, size_t *changed,
			     counts human[3])
{
	size_t len, rlen, rows = 0;
	char *data = of_test_slurp(of_fixture(labels_rel), &len);
	char *rd = of_test_slurp(of_fixture(readings_rel), &rlen);
	char *line = data, *rline = rd;
	*changed = 0;
	for (;;) {
		while (line && *line == '#')
			line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL;
		while (rline && *rline == '#')
			rline = strchr(rline, '\n') ? strchr(rline, '\n') + 1 : NULL;
		if (!line || !*line || !rline || !*rline)
			break;
		char *nl = strchr(line, '\n'), *rnl = strchr(rline, '\n');
		if (nl)
			*nl = 0;
		if (rnl)
			*rnl = 0;
		char *src = strrchr(line, '\t');
		assert_non_null(src);
		*src = 0;
		const char *label = strrchr(line, '\t');
		assert_non_null(label);
		label++;
		unsigned long row;
		char r[4][16];
		assert_int_equal(sscanf(rline, "%lu\t%15s\t%15s\t%15s\t%15s", &row, r[0], r[1], r[2], r[3]), 5);
		rows++;
		if (row != rows)
			fail_msg("%s: row %lu where %zu was expected", readings_rel, row, rows);
		const char *want = kept_of(r, changed);
		if (human)
			score_readers(r, src + 1, human);
		if (strcmp(r[3], want) != 0 || strcmp(label, want) != 0)
			fail_msg("%s row %zu: readings %s/%s/%s, kept %s, labels say %s", readings_rel, rows, r[0], r[1],
				 r[2], r[3], label);
		line = nl ? nl + 1 : NULL;
		rline = rnl ? rnl + 1 : NULL;
	}
	if ((line && *line) || (rline && *rline))
		fail_msg("%s and %s have different row counts (%zu matched)", labels_rel, readings_rel, rows);
	free(data);
	free(rd);
	return rows;
}

/* intent.tsv: of three readings, the two re-readings agreeing outvote the
 * first; otherwise the first is in the majority or all differ, and it is kept. */
static const char *kept_of_three(char r[4][16], size_t *changed)
{
	const char *want = strcmp(r[1], r[2]) == 0 ? r[1] : r[0];
	*changed += strcmp(r[0], want) != 0;
	return want;
}

/* intent-ccl.tsv: readings A and B; where they differ, a third reading C
 * decides with whichever it agrees (C itself when all three differ). */
static const char *kept_of_two_plus_one(char r[4][16], size_t *changed)
{
	if (strcmp(r[0], r[1]) == 0)
		return r[0];
	if (strcmp(r[2], "-") == 0)
		fail_msg("readings %s/%s differ and there is no third", r[0], r[1]);
	(*changed)++;
	return strcmp(r[2], r[1]) == 0 ? r[1] : strcmp(r[2], r[0]) == 0 ? r[0] : r[2];
}

/* intent-readings.tsv records the three readings of every intent.tsv row, so
 * the two files cannot drift. */
static void test_prompts_eval__readings_match_labels(void **state)
{
	(void)state;
	counts human[3];
	memset(human, 0, sizeof human);
	size_t changed, rows = check_readings("../eval/intent.tsv", "../eval/intent-readings.tsv", kept_of_three,
					      &changed, human);
	printf("  intent-readings.tsv: %zu rows, three readings each, %zu first readings outvoted\n", rows, changed);
	/* How high the issue's bar sits: a careful human reader, scored like the
	 * rules (question precision / recall on the real comments) against the
	 * other two readers wherever those two agree. */
	printf("  question: each human reading against the other two, real comments:\n");
	static const char *const names[3] = {"reader1", "reader2", "reader3"};
	for (int k = 0; k < 3; k++) {
		print_group(names[k], &human[k]);
		assert_true(human[k].n >= 400 && human[k].tp > 0);
	}
	assert_true(rows >= 400);
}

static void test_prompts_eval__ccl_readings(void **state)
{
	(void)state;
	size_t third, rows = check_readings("../eval/intent-ccl.tsv", "../eval/intent-ccl-readings.tsv",
					     kept_of_two_plus_one, &third, NULL);
	printf("  intent-ccl-readings.tsv: %zu rows, %zu read a third time\n", rows, third);
	assert_true(rows >= 1300);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prompts_eval__intent_precision_recall),
		cmocka_unit_test(test_prompts_eval__pool),
		cmocka_unit_test(test_prompts_eval__written),
		cmocka_unit_test(test_prompts_eval__readings_match_labels),
		cmocka_unit_test(test_prompts_eval__ccl),
		cmocka_unit_test(test_prompts_eval__ccl_readings),
	};
	of_log_set_handler(quiet, NULL);
	return cmocka_run_group_tests_name("prompts_eval", tests, NULL, NULL);
}
