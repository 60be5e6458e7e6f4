/* voice_bench.c — the soundtrack of a W60-sized video: 8 narrated scenes of
 * 7.5 s, a music bed looped to the length, the ducking mix at -16 LUFS.
 * Built and run by tests/bench/voice_bench.sh. Usage: voice_bench MUSIC SECONDS */
#include "onefish/error.h"
#include "onefish/voice.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	static const char *lines[] = {
		"宝宝6个月了，第一口辅食到底吃什么？", "高铁米粉是很多妈妈的首选，从稀到稠慢慢来。",
		"南瓜泥和胡萝卜泥，颜色鲜亮宝宝更爱吃。", "蛋黄要等宝宝适应了米粉以后再添加。",
		"每次只加一种新食物，观察三天有没有过敏。", "手指食物可以锻炼宝宝的抓握和咀嚼。",
		"辅食不加盐不加糖，保留食物本来的味道。", "周四晚8点，直播间手把手教你，点击预约！"};
	of_voice_options o = OF_VOICE_OPTIONS_INIT;
	of_audio *clips[64] = {NULL}, *music = NULL, *mix = NULL;
	of_audio_clip placed[64];
	double secs, t0, t1, t2, t3, t4, lufs, spoken = 0;
	size_t n;
	if (argc != 3 || (secs = strtod(argv[2], NULL)) <= 0 || secs > 480) {
		fprintf(stderr, "usage: voice_bench MUSIC SECONDS (<= 480)\n");
		return 2;
	}
	n = (size_t)(secs / 7.5);
	t0 = now();
	for (size_t i = 0; i < n; i++) {
		if (of_voice_say(&clips[i], lines[i % 8], &o) != 0) {
			fprintf(stderr, "%s\n", of_error_last()->message);
			return 1;
		}
		placed[i].audio = clips[i];
		placed[i].start = 7.5 * (double)i + 0.15;
		spoken += (double)clips[i]->n_frames / clips[i]->sample_rate;
	}
	t1 = now();
	if (of_audio_load_music(&music, argv[1], 48000, (size_t)(secs * 48000)) != 0) {
		fprintf(stderr, "%s\n", of_error_last()->message);
		return 1;
	}
	t2 = now();
	if (of_audio_mix(&mix, placed, n, music, secs, 48000, -16.0) != 0) {
		fprintf(stderr, "%s\n", of_error_last()->message);
		return 1;
	}
	t3 = now();
	of_audio_loudness(&lufs, mix);
	t4 = now();
	printf("soundtrack %.0f s: narration %zu scenes (%.1f s of speech) %.2f s, music %.2f s, mix %.2f s, "
	       "loudness check %.2f s; result %.2f LUFS\n",
	       secs, n, spoken, t1 - t0, t2 - t1, t3 - t2, t4 - t3, lufs);
	for (size_t i = 0; i < n; i++)
		of_audio_free(clips[i]);
	of_audio_free(music);
	of_audio_free(mix);
	return 0;
}
