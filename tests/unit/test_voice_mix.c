/* test_voice_mix.c — music loading, ducking mix and loudness (cross-checked
 * with the ffmpeg CLI, which tests may run; the library never does). */
#include "testutil.h"

#include "onefish/error.h"
#include "onefish/fileio.h"
#include "onefish/voice.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define PI 3.14159265358979323846

static void put16(unsigned char *p, unsigned v) { p[0] = (unsigned char)v; p[1] = (unsigned char)(v >> 8); }
static void put32(unsigned char *p, uint32_t v)
{
	put16(p, v & 0xFFFF);
	put16(p + 2, v >> 16);
}

/* Writes interleaved float samples as a 32-bit float WAV (format tag 3). */
static void write_wav(const char *path, const float *s, size_t frames, int ch, int rate)
{
	size_t data = frames * (size_t)ch * 4;
	unsigned char *b = malloc(44 + data);
	assert_non_null(b);
	memcpy(b, "RIFF", 4);
	put32(b + 4, (uint32_t)(36 + data));
	memcpy(b + 8, "WAVEfmt ", 8);
	put32(b + 16, 16);
	put16(b + 20, 3);
	put16(b + 22, (unsigned)ch);
	put32(b + 24, (uint32_t)rate);
	put32(b + 28, (uint32_t)(rate * ch * 4));
	put16(b + 32, (unsigned)(ch * 4));
	put16(b + 34, 32);
	memcpy(b + 36, "data", 4);
	put32(b + 40, (uint32_t)data);
	for (size_t i = 0; i < frames * (size_t)ch; i++) {
		union { float f; uint32_t u; } x = {s[i]};
		put32(b + 44 + 4 * i, x.u);
	}
	of_test_write(path, (const char *)b, 44 + data);
	free(b);
}

/* A stereo sine with the right channel in anti-phase: a pure "side" signal,
 * so in a mix with centred (mono) voice, (L-R)/2 is exactly the music. */
static void write_side_sine(const char *path, double secs, int rate, double freq, double amp)
{
	size_t n = (size_t)(secs * rate);
	float *s = malloc(n * 2 * sizeof *s);
	assert_non_null(s);
	for (size_t i = 0; i < n; i++) {
		float v = (float)(amp * sin(2 * PI * freq * (double)i / rate));
		s[2 * i] = v;
		s[2 * i + 1] = -v;
	}
	write_wav(path, s, n, 2, rate);
	free(s);
}

static double rms_side(const of_audio *a, double t0, double t1, int side)
{
	size_t i0 = (size_t)(t0 * a->sample_rate), i1 = (size_t)(t1 * a->sample_rate);
	double e = 0;
	for (size_t i = i0; i < i1; i++) {
		double l = a->samples[2 * i], r = a->samples[2 * i + 1];
		double v = side ? (l - r) / 2 : (l + r) / 2;
		e += v * v;
	}
	return sqrt(e / (double)(i1 - i0));
}

static void test_voice_mix__music_loads_and_loops(void **state)
{
	const char *dir = of_test_tmpdir();
	char path[1024];
	of_audio *m = NULL;
	(void)state;
	snprintf(path, sizeof path, "%s/bed.wav", dir);
	write_side_sine(path, 1.5, 44100, 220, 0.5);
	assert_int_equal(of_audio_load_music(&m, path, 48000, 48000 * 5), 0);
	assert_int_equal(m->channels, 2);
	assert_int_equal(m->sample_rate, 48000);
	assert_int_equal(m->n_frames, 48000 * 5);
	/* Faded in from silence and out to silence. */
	assert_true(fabsf(m->samples[0]) < 1e-3);
	assert_true(fabsf(m->samples[2 * (m->n_frames - 1)]) < 1e-3);
	assert_true(rms_side(m, 0.0, 0.2, 1) < 0.1);
	/* Full level in the middle, including past the file's 1.5 s (looped). */
	assert_true(fabs(rms_side(m, 1.1, 1.4, 1) - 0.5 / sqrt(2)) < 0.03);
	assert_true(fabs(rms_side(m, 2.0, 2.9, 1) - 0.5 / sqrt(2)) < 0.03);
	assert_true(rms_side(m, 2.0, 2.9, 0) < 0.01); /* still anti-phase: L = -R */
	of_audio_free(m);
	/* Cut: a long file gives exactly the frames asked for. */
	assert_int_equal(of_audio_load_music(&m, path, 48000, 24000), 0);
	assert_int_equal(m->n_frames, 24000);
	assert_true(fabsf(m->samples[0]) < 1e-3 && fabsf(m->samples[2 * 23999]) < 1e-3); /* faded too */
	assert_true(rms_side(m, 0.2, 0.3, 1) > 0.1);
	of_audio_free(m);
	/* A bed not cut as a loop (0.7 s of 321 Hz ends mid-cycle): the seams are
	 * crossfaded, no sample-to-sample jump beyond the sine's own slope. */
	write_side_sine(path, 0.7, 48000, 321, 0.5);
	assert_int_equal(of_audio_load_music(&m, path, 48000, 48000 * 3), 0);
	{
		double worst = 0;
		for (size_t i = 48000; i < 48000 * 2.9; i++) {
			double d = fabs(m->samples[2 * i] - m->samples[2 * i - 2]);
			if (d > worst)
				worst = d;
		}
		assert_true(worst < 0.035); /* the sine alone: 0.5 * 2 pi * 321 / 48000 = 0.021 */
	}
	of_audio_free(m);
	of_test_rmtree(dir);
}

static void test_voice_mix__music_literal_names(void **state)
{
	const char *dir = of_test_tmpdir();
	char cwd[1024], path[1024];
	of_audio *m = NULL;
	(void)state;
	assert_non_null(getcwd(cwd, sizeof cwd));
	assert_int_equal(chdir(dir), 0);
	write_side_sine("a.wav", 0.5, 48000, 440, 0.3);
	/* libavformat would read "concat:a.wav" as the concat protocol over a.wav;
	 * here it is a missing literal file... */
	assert_int_equal(of_audio_load_music(&m, "concat:a.wav", 48000, 4800), OF_ENOTFOUND);
	assert_non_null(strstr(of_error_last()->path, "concat:a.wav"));
	/* ...and, once it exists, that file and nothing else. */
	of_test_write("concat:a.wav", "not audio at all", 16);
	assert_int_equal(of_audio_load_music(&m, "concat:a.wav", 48000, 4800), OF_EMEDIA);
	write_side_sine("concat:a.wav", 0.5, 48000, 440, 0.3);
	assert_int_equal(of_audio_load_music(&m, "concat:a.wav", 48000, 4800), 0);
	of_audio_free(m);
	write_side_sine("img%d.wav", 0.5, 48000, 440, 0.3);
	assert_int_equal(of_audio_load_music(&m, "img%d.wav", 48000, 4800), 0);
	of_audio_free(m);
	/* Zero bytes, a directory, a FIFO (must not block). */
	of_test_write("empty.wav", "", 0);
	assert_int_equal(of_audio_load_music(&m, "empty.wav", 48000, 4800), OF_EMEDIA);
	assert_int_equal(mkdir("d.wav", 0755), 0);
	assert_int_equal(of_audio_load_music(&m, "d.wav", 48000, 4800), OF_EINVALID);
	assert_int_equal(mkfifo("f.wav", 0644), 0);
	assert_int_equal(of_audio_load_music(&m, "f.wav", 48000, 4800), OF_EINVALID);
	assert_null(m);
	assert_int_equal(chdir(cwd), 0);
	snprintf(path, sizeof path, "%s", dir);
	of_test_rmtree(path);
}

/* Runs `ffmpeg -i wav -af ebur128 -f null -` and returns the summary's I, or
 * NAN when ffmpeg is not installed; `*peak` gets the true peak (dBTP). */
static double ffmpeg_integrated(const char *wav, const char *log, double *peak)
{
	pid_t pid = fork();
	int st = 0;
	char *text, *sum, *i;
	assert_true(pid >= 0);
	if (pid == 0) {
		int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0)
			_exit(126);
		dup2(fd, 1);
		dup2(fd, 2);
		execlp("ffmpeg", "ffmpeg", "-nostdin", "-hide_banner", "-i", wav, "-af", "ebur128=peak=true", "-f", "null",
		       "-", (char *)NULL);
		_exit(errno == ENOENT ? 127 : 126);
	}
	waitpid(pid, &st, 0);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 127)
		return NAN;
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	text = of_test_slurp(log, NULL);
	sum = strstr(text, "Summary:");
	assert_non_null(sum);
	i = strstr(sum, "I:");
	assert_non_null(i);
	{
		double v = strtod(i + 2, NULL);
		char *p = strstr(sum, "Peak:");
		assert_non_null(p);
		*peak = strtod(p + 5, NULL);
		free(text);
		return v;
	}
}

static void mix_case(of_audio **out, const char *dir)
{
	of_voice_options o = OF_VOICE_OPTIONS_INIT;
	of_audio *voice = NULL, *music = NULL;
	of_audio_clip clip;
	char path[1024];
	snprintf(path, sizeof path, "%s/bed.wav", dir);
	write_side_sine(path, 2.0, 44100, 330, 0.9); /* a loud bed: the mix must still favour the voice */
	assert_int_equal(of_audio_load_music(&music, path, 48000, 48000 * 14), 0);
	assert_int_equal(of_voice_say(&voice, "宝宝第一口辅食吃什么？今晚八点直播间告诉你。", &o), 0);
	assert_true(voice->n_frames > 48000 * 2 && voice->n_frames < 48000 * 9);
	clip.audio = voice;
	clip.start = 3.0;
	assert_int_equal(of_audio_mix(out, &clip, 1, music, 14.0, 48000, -16.0), 0);
	of_audio_free(voice);
	of_audio_free(music);
}

static void test_voice_mix__loudness_and_ducking(void **state)
{
	const char *dir = of_test_tmpdir();
	char wav[1024], log[1024];
	of_audio *mix = NULL;
	double lufs, cli, cli_peak = 0, free_db, duck_db;
	(void)state;
	mix_case(&mix, dir);
	assert_int_equal(mix->channels, 2);
	assert_int_equal(mix->sample_rate, 48000);
	assert_int_equal(mix->n_frames, 14 * 48000);
	assert_int_equal(of_audio_loudness(&lufs, mix), 0);
	assert_true(fabs(lufs + 16.0) <= 1.0);
	/* Peak ceiling: no sample above -1.5 dBFS. */
	for (size_t i = 0; i < mix->n_frames * 2; i++)
		assert_true(fabsf(mix->samples[i]) <= 0.842f);
	/* The music (the side signal) is >= 10 dB lower under the voice than alone. */
	free_db = 20 * log10(rms_side(mix, 1.2, 2.7, 1));
	duck_db = 20 * log10(rms_side(mix, 3.5, 4.5, 1));
	assert_true(free_db - duck_db >= 10.0);
	/* The voice (the mid signal) is on top of the ducked music. */
	assert_true(20 * log10(rms_side(mix, 3.5, 4.5, 0)) > duck_db + 10.0);
	/* Cross-check with the ffmpeg CLI on the same samples. */
	snprintf(wav, sizeof wav, "%s/mix.wav", dir);
	snprintf(log, sizeof log, "%s/ebur128.log", dir);
	write_wav(wav, mix->samples, mix->n_frames, 2, 48000);
	cli = ffmpeg_integrated(wav, log, &cli_peak);
	print_message("mix: %.2f LUFS (ffmpeg CLI: %.2f, true peak %.1f dBTP); "
		      "music %.1f dB alone, %.1f dB under the voice\n",
		      lufs, cli, cli_peak, free_db, duck_db);
	if (!isnan(cli)) {
		assert_true(fabs(cli + 16.0) <= 1.0);
		assert_true(fabs(cli - lufs) <= 0.2);
		assert_true(cli_peak <= -2.95); /* true peak held at -3.0 dBTP (1 dB left for AAC) */
	}
	of_audio_free(mix);
	of_test_rmtree(dir);
}

/* The mix hash computed by a fresh process (espeak-ng's flutter phase carries
 * over between calls in one process, see espeak.c, so a fresh process is
 * what "same input" means for narration). */
static unsigned long long mix_in_child(const char *dir)
{
	int fd[2], st = 0;
	unsigned long long h = 0;
	pid_t pid;
	assert_int_equal(pipe(fd), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		of_audio *a = NULL;
		mix_case(&a, dir);
		h = of_xxh64(a->samples, a->n_frames * 2 * sizeof(float), 0);
		_exit(write(fd[1], &h, sizeof h) == (ssize_t)sizeof h ? 0 : 1);
	}
	close(fd[1]);
	assert_int_equal(read(fd[0], &h, sizeof h), (ssize_t)sizeof h);
	close(fd[0]);
	waitpid(pid, &st, 0);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	return h;
}

static void test_voice_mix__deterministic(void **state)
{
	const char *dir = of_test_tmpdir();
	char d[1024];
	(void)state;
	snprintf(d, sizeof d, "%s", dir);
	assert_true(mix_in_child(d) == mix_in_child(d));
	of_test_rmtree(d);
}

static void test_voice_mix__same_inputs_same_samples(void **state)
{
	of_audio *v = NULL, *m = NULL, *a = NULL, *b = NULL;
	of_audio_clip clips[2];
	(void)state;
	/* Synthetic voice-like input (a gated tone) and a music bed. */
	assert_int_equal(of_audio_new(&v, 48000, 1, 24000), 0);
	for (size_t i = 0; i < v->n_frames; i++)
		v->samples[i] = (float)(0.3 * sin(2 * PI * 180 * (double)i / 24000) * ((i / 2400) % 2));
	assert_int_equal(of_audio_new(&m, 48000 * 3, 2, 48000), 0);
	for (size_t i = 0; i < m->n_frames; i++)
		m->samples[2 * i] = m->samples[2 * i + 1] = (float)(0.2 * sin(2 * PI * 523 * (double)i / 48000));
	clips[0].audio = v;
	clips[0].start = 1.0;
	clips[1].audio = v;
	clips[1].start = 4.5; /* runs past the end: cut */
	assert_int_equal(of_audio_mix(&a, clips, 2, m, 5.0, 48000, -16.0), 0);
	assert_int_equal(of_audio_mix(&b, clips, 2, m, 5.0, 48000, -16.0), 0);
	assert_int_equal(a->n_frames, 5 * 48000);
	assert_memory_equal(a->samples, b->samples, a->n_frames * 2 * sizeof(float));
	of_audio_free(a);
	of_audio_free(b);
	of_audio_free(v);
	of_audio_free(m);
}

/* The stems an editing timeline gets (narration.wav, music.wav): the voice alone and
 * the ducked bed alone, both stereo, the mix's length, the mix itself unchanged; their sum is
 * the mix (its gain and its limiter's envelope), so a hot voice never clips in its stem;
 * written as 16-bit WAV, bit-exact. */
static void test_voice_mix__stems(void **state)
{
	of_audio *v = NULL, *m = NULL, *a = NULL, *b = NULL, *vs = NULL, *ms = NULL;
	of_audio_clip clip;
	(void)state;
	assert_int_equal(of_audio_new(&v, 48000, 1, 48000), 0);
	for (size_t i = 0; i < v->n_frames; i++)
		v->samples[i] = (float)(0.05 * sin(2 * PI * 180 * (double)i / 48000));
	assert_int_equal(of_audio_new(&m, 48000 * 3, 2, 48000), 0);
	for (size_t i = 0; i < m->n_frames; i++)
		m->samples[2 * i] = m->samples[2 * i + 1] = (float)(0.02 * sin(2 * PI * 523 * (double)i / 48000));
	clip.audio = v;
	clip.start = 1.0;
	assert_int_equal(of_audio_mix_stems(&a, &vs, &ms, &clip, 1, m, 4.0, 48000, -16.0), 0);
	assert_int_equal(of_audio_mix(&b, &clip, 1, m, 4.0, 48000, -16.0), 0);
	assert_memory_equal(a->samples, b->samples, a->n_frames * 2 * sizeof(float)); /* the mix is the same */
	assert_non_null(vs);
	assert_non_null(ms);
	assert_int_equal(vs->channels, 2);
	assert_int_equal(ms->channels, 2);
	assert_int_equal(vs->n_frames, a->n_frames);
	assert_int_equal(ms->n_frames, a->n_frames);
	/* voice only where it speaks (1..2 s), music all along but ducked under the voice */
	double vq = 0, vl = 0, mq = 0, ml = 0, diff = 0, ref = 0;
	for (size_t i = 0; i < 48000 / 2; i++) {
		vq += fabs(vs->samples[2 * i]);
		vl += fabs(vs->samples[2 * (48000 + 12000 + i)]);
		mq += fabs(ms->samples[2 * (3 * 48000 + i)]);
		ml += fabs(ms->samples[2 * (48000 + 12000 + i)]);
	}
	assert_true(vq == 0 && vl > 0);
	assert_true(ml < mq / 2); /* ducked */
	for (size_t i = 0; i < a->n_frames; i++) {
		diff += fabs(a->samples[2 * i] - (vs->samples[2 * i] + ms->samples[2 * i]));
		diff += fabs(a->samples[2 * i + 1] - (vs->samples[2 * i + 1] + ms->samples[2 * i + 1]));
		ref += fabs(a->samples[2 * i]);
	}
	assert_true(diff < ref * 1e-4); /* the stems add up to the mix, its limiter included */
	/* WAV: RIFF/WAVE, 16-bit, no encoder tag, same bytes twice */
	char dir[256], p1[300], p2[300];
	snprintf(dir, sizeof dir, "%s", of_test_tmpdir());
	snprintf(p1, sizeof p1, "%s/narration.wav", dir);
	snprintf(p2, sizeof p2, "%s/again.wav", dir);
	assert_int_equal(of_audio_write_wav(ms, p1), 0);
	assert_int_equal(of_audio_write_wav(ms, p2), 0);
	size_t l1, l2;
	char *w1 = of_test_slurp(p1, &l1), *w2 = of_test_slurp(p2, &l2);
	assert_int_equal(l1, l2);
	assert_memory_equal(w1, w2, l1);
	assert_memory_equal(w1, "RIFF", 4);
	assert_memory_equal(w1 + 8, "WAVE", 4);
	assert_true(l1 >= ms->n_frames * 4 + 44 && l1 <= ms->n_frames * 4 + 100);
	assert_null(memmem(w1, 200, "Lavf", 4));
	free(w1);
	free(w2);
	of_test_rmtree(dir);
	of_audio_free(vs);
	of_audio_free(ms);
	/* a voice with peaks far over its loudness (espeak's plosives): the stem stays under full scale */
	of_audio_free(a);
	for (size_t i = 0; i < v->n_frames; i++)
		v->samples[i] = (float)(0.02 * sin(2 * PI * 180 * (double)i / 48000) + ((i % 4800) < 48 ? 0.9 : 0.0));
	assert_int_equal(of_audio_mix_stems(&a, &vs, &ms, &clip, 1, m, 4.0, 48000, -16.0), 0);
	float peak = 0;
	for (size_t i = 0; i < 2 * vs->n_frames; i++)
		peak = fabsf(vs->samples[i]) > peak ? fabsf(vs->samples[i]) : peak;
	assert_true(peak < 0.9f);
	of_audio_free(vs);
	of_audio_free(ms);
	/* no voice, no music: no stems */
	of_audio *c = NULL;
	assert_int_equal(of_audio_mix_stems(&c, &vs, &ms, NULL, 0, NULL, 1.0, 48000, -16.0), 0);
	assert_null(vs);
	assert_null(ms);
	of_audio_free(c);
	of_audio_free(a);
	of_audio_free(b);
	of_audio_free(v);
	of_audio_free(m);
}

static void test_voice_mix__edges(void **state)
{
	of_audio *a = NULL, *v = NULL;
	of_audio_clip clip;
	double lufs;
	(void)state;
	/* Nothing to mix: silence of the right length. */
	assert_int_equal(of_audio_mix(&a, NULL, 0, NULL, 2.0, 48000, -16.0), 0);
	assert_int_equal(a->n_frames, 96000);
	assert_int_equal(of_audio_loudness(&lufs, a), 0);
	assert_true(lufs <= -69.0);
	of_audio_free(a);
	assert_int_equal(of_audio_mix(&a, NULL, 0, NULL, NAN, 48000, -16.0), OF_EINVALID);
	assert_int_equal(of_audio_mix(&a, NULL, 0, NULL, -1, 48000, -16.0), OF_EINVALID);
	assert_int_equal(of_audio_mix(&a, NULL, 0, NULL, 1e9, 48000, -16.0), OF_EINVALID);
	assert_int_equal(of_audio_new(&v, 100, 1, 48000), 0);
	clip.audio = v;
	clip.start = NAN;
	assert_int_equal(of_audio_mix(&a, &clip, 1, NULL, 1.0, 48000, -16.0), OF_EINVALID);
	of_audio_free(v);
}

static void test_voice_mix__loudness_reference(void **state)
{
	of_audio *a = NULL;
	double lufs;
	(void)state;
	/* EBU Tech 3341 case 1: 1 kHz sine at -23 dBFS in both channels reads -23 LUFS. */
	assert_int_equal(of_audio_new(&a, 48000 * 20, 2, 48000), 0);
	for (size_t i = 0; i < a->n_frames; i++)
		a->samples[2 * i] = a->samples[2 * i + 1] =
			(float)(pow(10, -23.0 / 20) * sin(2 * PI * 1000 * (double)i / 48000));
	assert_int_equal(of_audio_loudness(&lufs, a), 0);
	assert_true(fabs(lufs + 23.0) <= 0.1);
	of_audio_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_voice_mix__music_loads_and_loops),
		cmocka_unit_test(test_voice_mix__music_literal_names),
		cmocka_unit_test(test_voice_mix__loudness_and_ducking),
		cmocka_unit_test(test_voice_mix__deterministic),
		cmocka_unit_test(test_voice_mix__same_inputs_same_samples),
		cmocka_unit_test(test_voice_mix__stems),
		cmocka_unit_test(test_voice_mix__edges),
		cmocka_unit_test(test_voice_mix__loudness_reference),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
