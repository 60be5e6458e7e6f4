/* test_voice.c — narration (espeak-ng), TTS fallback and sentence splitting. */
#include "testutil.h"

#include "onefish/error.h"
#include "onefish/fileio.h"
#include "onefish/log.h"
#include "onefish/voice.h"
#include "../../stages/voice/voice_int.h"
#include "../../stages/script/caption.h" /* of_spoken_units: how the planner counts 字 */

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static double seconds(const of_audio *a)
{
	return (double)a->n_frames / a->sample_rate;
}

static double peak(const of_audio *a)
{
	double p = 0;
	for (size_t i = 0; i < a->n_frames * (size_t)a->channels; i++)
		if (fabs(a->samples[i]) > p)
			p = fabs(a->samples[i]);
	return p;
}

static void test_voice__espeak_says_chinese(void **state)
{
	of_voice_options o = OF_VOICE_OPTIONS_INIT;
	of_audio *a = NULL, *b = NULL;
	const char *s1 = "今天我们聊聊宝宝辅食。";           /* 10 字 */
	const char *s2 = "今天我们聊聊宝宝辅食。第一口吃什么最好？妈妈们一起来直播间看看吧！"; /* 31 字 */
	(void)state;
	assert_int_equal(of_voice_say(&a, s1, &o), 0);
	assert_int_equal(a->channels, 1);
	assert_int_equal(a->sample_rate, 48000);
	assert_true(seconds(a) >= 10 * 0.15 && seconds(a) <= 10 * 0.6);
	assert_true(peak(a) > 0.05 && peak(a) <= 1.0);
	assert_int_equal(of_voice_say(&b, s2, &o), 0);
	assert_true(seconds(b) >= 31 * 0.15 && seconds(b) <= 31 * 0.6);
	assert_true(seconds(b) > seconds(a) * 2);
	/* The default pace for Chinese is near the script stage's 4 字/s plan. */
	assert_true(31 / seconds(b) > 3.0 && 31 / seconds(b) < 5.5);
	/* Silence is trimmed: the first and last 20 ms hold the sound's edges, not 0.5 s of nothing. */
	{
		size_t lead = 0;
		while (lead < b->n_frames && fabsf(b->samples[lead]) < OF_VOICE__SILENCE)
			lead++;
		assert_true(lead < 48000 / 20);
	}
	of_audio_free(a);
	of_audio_free(b);
}

/* Sales-copy symbols are written out as a narrator says them; espeak-ng would
 * skip ¥ and ℃, say "percent" and "slash" in English and spell kg. */
static void test_voice__spoken_forms(void **state)
{
	(void)state;
	static const char *const cases[][2] = {
		{"原价¥129，现在￥99/3件", "原价129元，现在99元，3件"},
		{"19.9元/件", "19.9元每件"},
		{"好评率98%，满意度99.5％", "好评率百分之98，满意度百分之99.5"},
		{"水温40℃，室温25°C", "水温40摄氏度，室温25摄氏度"},
		{"每盒250g，约1.5kg，200ml，3cm", "每盒250克，约1.5公斤，200毫升，3厘米"},
		{"周四20:00开播，8:30集合，9:05开始", "周四20点开播，8点30分集合，9点5分开始"},
		{"适合1-3岁，6~12月龄", "适合1到3岁，6到12月龄"},
		{"销量10w+，共1,280单", "销量10万+，共1280单"},
		/* not units: a word goes on, a year stays, a lone letter after no number stays */
		{"3min后，2026年，DHA和5G网络", "3min后，2026年，DHA和5G网络"},
		{"宝宝辅食添加全攻略", "宝宝辅食添加全攻略"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char *got = of_voice__spoken_zh(cases[i][0]);
		assert_non_null(got);
		if (strcmp(got, cases[i][1]) != 0)
			fail_msg("'%s' spoken as '%s', want '%s'", cases[i][0], got, cases[i][1]);
		free(got);
	}
}

/* "cmn" names the default Mandarin voice: espeak-ng 1.51's own "cmn" reads the
 * pinyin of 汉字 as English ("宝宝" as "bao three bao three"), far longer. */
static void test_voice__cmn_is_pinyin(void **state)
{
	(void)state;
	of_voice_options o = OF_VOICE_OPTIONS_INIT;
	of_audio *a = NULL, *b = NULL;
	const char *s = "宝宝一天吃几顿辅食？";
	assert_string_equal(o.voice, "cmn-latn-pinyin");
	assert_int_equal(of_voice_say(&a, s, &o), 0);
	o.voice = "cmn";
	assert_int_equal(of_voice_say(&b, s, &o), 0);
	/* the same voice (within a process espeak-ng's output varies by a few ms between calls) */
	assert_true(fabs(seconds(a) - seconds(b)) < 0.05 * seconds(a));
	/* 9 字 in under 3 s: Mandarin syllables, not spelled-out letters and tone numbers */
	assert_true(seconds(a) < 3.0 && seconds(b) < 3.0);
	of_audio_free(a);
	of_audio_free(b);
}

/* Hash of what one fresh process says for a fixed sequence of sentences. */
static unsigned long long say_in_child(void)
{
	int fd[2];
	unsigned long long h = 0;
	pid_t pid;
	assert_int_equal(pipe(fd), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		of_voice_options o = OF_VOICE_OPTIONS_INIT;
		const char *s[] = {"欢迎来到直播间。", "今晚八点不见不散！", "欢迎来到直播间。"};
		for (int i = 0; i < 3; i++) {
			of_audio *a = NULL;
			if (of_voice_say(&a, s[i], &o) != 0)
				_exit(1);
			h = of_xxh64(a->samples, a->n_frames * sizeof(float), h);
			of_audio_free(a);
		}
		if (write(fd[1], &h, sizeof h) != (ssize_t)sizeof h)
			_exit(1);
		_exit(0);
	}
	close(fd[1]);
	assert_int_equal(read(fd[0], &h, sizeof h), (ssize_t)sizeof h);
	close(fd[0]);
	{
		int st = 0;
		waitpid(pid, &st, 0);
		assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
	return h;
}

static void test_voice__deterministic_and_rate(void **state)
{
	of_voice_options o = OF_VOICE_OPTIONS_INIT;
	of_audio *a = NULL, *b = NULL, *slow = NULL;
	const char *s = "欢迎来到直播间，今晚八点不见不散。";
	(void)state;
	/* Same sequence of calls in a fresh process: the same samples. */
	assert_true(say_in_child() == say_in_child());
	/* Within one process espeak-ng's flutter phase carries over: same length within 2%. */
	assert_int_equal(of_voice_say(&a, s, &o), 0);
	assert_int_equal(of_voice_say(&b, s, &o), 0);
	assert_true(fabs(seconds(a) - seconds(b)) < 0.02 * seconds(a));
	o.rate_wpm = 100;
	o.sample_rate = 24000;
	assert_int_equal(of_voice_say(&slow, s, &o), 0);
	assert_int_equal(slow->sample_rate, 24000);
	assert_true(seconds(slow) > seconds(a) * 1.3);
	of_audio_free(a);
	of_audio_free(b);
	of_audio_free(slow);
}

static void test_voice__missing_voice(void **state)
{
	of_voice_options o = OF_VOICE_OPTIONS_INIT;
	of_audio *a = (of_audio *)1;
	(void)state;
	o.voice = "xx-nosuchvoice";
	assert_int_equal(of_voice_say(&a, "你好。", &o), OF_ENOTFOUND);
	assert_null(a);
	assert_non_null(strstr(of_error_last()->message, "'xx-nosuchvoice'"));
	assert_non_null(strstr(of_error_last()->message, "espeak-ng-data"));
	/* The engine still works afterwards with the right voice. */
	o.voice = "cmn";
	assert_int_equal(of_voice_say(&a, "你好。", &o), 0);
	of_audio_free(a);
}

/* Child mode (a fresh process: espeak-ng initialises once per process). */
static int missing_data_child(void)
{
	of_audio *a = NULL;
	if (of_voice_say(&a, "你好。", NULL) != OF_ENOTFOUND || a)
		return 1;
	if (!strstr(of_error_last()->message, "install espeak-ng-data"))
		return 2;
	/* and it stays a clean error on the next call */
	return of_voice_say(&a, "你好。", NULL) == OF_ENOTFOUND ? 0 : 3;
}

static void test_voice__missing_data(void **state)
{
	const char *dir = of_test_tmpdir();
	char d[1024];
	pid_t pid;
	int st = 0;
	(void)state;
	snprintf(d, sizeof d, "%s", dir);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		setenv("ESPEAK_DATA_PATH", d, 1); /* an empty folder: no espeak-ng-data */
		setenv("OF_TEST_VOICE_CHILD", "missing-data", 1);
		execl("/proc/self/exe", "test_voice", (char *)NULL);
		_exit(127);
	}
	waitpid(pid, &st, 0);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	of_test_rmtree(d);
}

static void test_voice__bad_text(void **state)
{
	of_voice_options o = OF_VOICE_OPTIONS_INIT;
	of_audio *a = NULL;
	char *big;
	(void)state;
	assert_int_equal(of_voice_say(&a, "", &o), OF_EINVALID);
	assert_int_equal(of_voice_say(&a, "。。。！！……", &o), OF_EINVALID);
	assert_int_equal(of_voice_say(&a, "\xff\xfe坏", &o), OF_EINVALID);
	o.engine = "mp3";
	assert_int_equal(of_voice_say(&a, "你好", &o), OF_EINVALID);
	assert_non_null(strstr(of_error_last()->message, "'mp3'"));
	o.engine = "espeak";
	big = malloc(200 * 1024);
	assert_non_null(big);
	memset(big, 'a', 200 * 1024 - 1);
	big[200 * 1024 - 1] = '\0';
	assert_int_equal(of_voice_say(&a, big, &o), OF_ELIMIT);
	free(big);
	/* Emoji are dropped, not spelled out: the sentence stays short. */
	assert_int_equal(of_voice_say(&a, "好😀😀😀😀😀😀😀😀！", &o), 0);
	assert_true(seconds(a) < 1.5);
	of_audio_free(a);
	assert_null(a = NULL);
}

static void test_voice__split(void **state)
{
	of_voice__sentence *v = NULL;
	size_t n = 0;
	(void)state;
	assert_int_equal(of_voice__split(&v, &n, "第一句。第二句！“第三句？”\n第四句……最后"), 0);
	assert_int_equal(n, 5);
	assert_int_equal(v[0].len, strlen("第一句。"));
	assert_memory_equal(v[2].text, "“第三句？”\n", v[2].len);
	assert_memory_equal(v[3].text, "第四句……", v[3].len);
	assert_memory_equal(v[4].text, "最后", strlen("最后"));
	free(v);
	assert_int_equal(of_voice__split(&v, &n, "……！"), 0);
	assert_int_equal(n, 0);
	free(v);
}

static int warnings;
static void count_warn(const of_log_record *r, void *p)
{
	(void)p;
	if (r->level == OF_LOG_WARN)
		warnings++;
}

static void test_voice__tts_falls_back_to_espeak(void **state)
{
	of_voice_options o = OF_VOICE_OPTIONS_INIT, e = OF_VOICE_OPTIONS_INIT;
	of_audio *a = NULL, *b = NULL;
	const char *s = "直播间见。不见不散！";
	(void)state;
	o.engine = "tts";
	o.tts_endpoint = "http://127.0.0.1:9/v1"; /* discard port: nothing answers */
	o.tts_model = "tts-1";
	o.tts_voice = "alloy";
	o.tts_timeout_s = 2;
	warnings = 0;
	of_log_set_handler(count_warn, NULL);
	assert_int_equal(of_voice_say(&a, s, &o), 0);
	of_log_set_handler(NULL, NULL);
	assert_int_equal(warnings, 1); /* once, not once per sentence */
	assert_int_equal(of_voice_say(&b, s, &e), 0);
	assert_true(fabs(seconds(a) - seconds(b)) < 0.02 * seconds(a));
	of_audio_free(a);
	of_audio_free(b);
}

static void test_voice__engine_none(void **state)
{
	of_voice_options o = OF_VOICE_OPTIONS_INIT;
	of_audio *a = NULL;
	(void)state;
	o.engine = "none";
	assert_int_equal(of_voice_say(&a, "十个字十个字十个字十", &o), 0);
	assert_true(fabs(seconds(a) - 2.5) < 0.01);
	assert_true(peak(a) == 0.0);
	of_audio_free(a);
}

/* The calibration: 字/s → espeak-ng wpm, monotonic, clamped, and the default agrees. */
static void test_voice__wpm_for_rate(void **state)
{
	(void)state;
	assert_int_equal(of_voice_wpm_for_rate(OF_VOICE_DEFAULT_SPEECH_RATE), OF_VOICE__CMN_WPM);
	assert_int_equal(of_voice_wpm_for_rate(4.0), 184);
	assert_int_equal(of_voice_wpm_for_rate(4.407), 200); /* a measured point */
	assert_int_equal(of_voice_wpm_for_rate(0.5), 80);    /* slower than espeak-ng goes */
	assert_int_equal(of_voice_wpm_for_rate(12.0), 400);  /* faster than it goes */
	assert_int_equal(of_voice_wpm_for_rate(0.0), 0);
	assert_int_equal(of_voice_wpm_for_rate(-3.0), 0);
	assert_int_equal(of_voice_wpm_for_rate(NAN), 0);
	int prev = 0;
	for (double r = 1.0; r <= 12.0; r += 0.05) {
		int w = of_voice_wpm_for_rate(r);
		assert_true(w >= prev && w >= 80 && w <= 400);
		prev = w;
	}
}

/* Real narration of the example week, several scenes' worth: spoken at speech_rate 字/s
 * (as the planner counts them) within 10 %, at 3, 4 and 5 字/s; rate_wpm still wins. */
static void test_voice__speech_rate_pace(void **state)
{
	static const char *text =
		"6到7个月一天一到两顿，8到9个月两顿，10个月以后两到三顿，奶依然是主要的营养来源。"
		"宝宝第一口辅食吃什么？高铁米粉是很多妈妈的选择。"
		"11月26日（周四）晚8点，宝宝辅食直播准时开播！"
		"我们家宝宝刚开始加辅食的时候，一口都不肯吃，后来换了勺子才慢慢接受。"
		"点击预约，周四晚8点直播间见！";
	double units = of_spoken_units(text, strlen(text));
	static const double rates[] = {3.0, 4.0, 5.0};
	of_voice_options o = OF_VOICE_OPTIONS_INIT;
	of_audio *a = NULL;
	double secs[3];
	(void)state;
	for (size_t i = 0; i < 3; i++) {
		o.speech_rate = rates[i];
		assert_int_equal(of_voice_say(&a, text, &o), 0);
		secs[i] = seconds(a);
		of_audio_free(a);
		a = NULL;
		double pace = units / secs[i];
		print_message("speech_rate %.1f: %.0f units in %.2f s = %.2f 字/s\n", rates[i], units, secs[i], pace);
		assert_true(pace > rates[i] * 0.9 && pace < rates[i] * 1.1);
	}
	/* an explicit voice.rate wins over the storyboard's pace */
	o.speech_rate = 3.0;
	o.rate_wpm = 300;
	assert_int_equal(of_voice_say(&a, text, &o), 0);
	assert_true(seconds(a) < secs[2]);
	of_audio_free(a);
	a = NULL;
	/* engine none stands in at the same pace (10 字 at 5 字/s) */
	o.engine = "none";
	o.speech_rate = 5.0;
	assert_int_equal(of_voice_say(&a, "十个字十个字十个字十", &o), 0);
	assert_true(fabs(seconds(a) - 2.0) < 0.01);
	of_audio_free(a);
}

static void *say_thread(void *arg)
{
	of_voice_options o = OF_VOICE_OPTIONS_INIT;
	of_audio **out = arg;
	for (int i = 0; i < 4; i++) {
		of_audio_free(*out);
		*out = NULL;
		if (of_voice_say(out, "妈妈们一起来直播间看看吧！", &o) != 0)
			return NULL;
	}
	return arg;
}

static void test_voice__threads(void **state)
{
	pthread_t t[3];
	of_audio *a[3] = {NULL, NULL, NULL};
	void *r;
	(void)state;
	/* espeak-ng is not thread-safe; the module's mutex makes concurrent callers safe. */
	for (int i = 0; i < 3; i++)
		assert_int_equal(pthread_create(&t[i], NULL, say_thread, &a[i]), 0);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(pthread_join(t[i], &r), 0);
		assert_ptr_equal(r, &a[i]);
		assert_true(seconds(a[i]) > 12 * 0.15 && seconds(a[i]) < 12 * 0.6);
		of_audio_free(a[i]);
	}
}

int main(void)
{
	const char *child = getenv("OF_TEST_VOICE_CHILD");
	if (child && strcmp(child, "missing-data") == 0)
		return missing_data_child();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_voice__espeak_says_chinese),
		cmocka_unit_test(test_voice__spoken_forms),
		cmocka_unit_test(test_voice__cmn_is_pinyin),
		cmocka_unit_test(test_voice__deterministic_and_rate),
		cmocka_unit_test(test_voice__missing_voice),
		cmocka_unit_test(test_voice__missing_data),
		cmocka_unit_test(test_voice__bad_text),
		cmocka_unit_test(test_voice__split),
		cmocka_unit_test(test_voice__tts_falls_back_to_espeak),
		cmocka_unit_test(test_voice__engine_none),
		cmocka_unit_test(test_voice__wpm_for_rate),
		cmocka_unit_test(test_voice__speech_rate_pace),
		cmocka_unit_test(test_voice__threads),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
