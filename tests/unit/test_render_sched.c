/* test_render_sched.c — the video's bytes depend only on the input, not on how
 * the drawing thread and the encoder happen to be scheduled: the same short
 * storyboard rendered with the hand-off queue forced to one frame (strict
 * alternation: x264 waits for every picture) and with the default queue while
 * another thread keeps a core busy must give identical files.
 * Full size and the default x264 settings (veryfast, B-frames, 2 frame threads),
 * because that is where x264's threads could make the output timing-dependent. */
#include "testutil.h"

#include "onefish/error.h"
#include "onefish/fileio.h"
#include "onefish/render.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void render_to(const char *out, int queue, const char *preset)
{
	of_video_options o = OF_VIDEO_OPTIONS_INIT;
	of_stage_stats st = {0};
	o.preset = preset;
	o.voice_engine = "none";
	o.queue = queue;
	int rc = of_video_render(of_fixture("render/short/script.json"), &o, out, &st);
	if (rc != 0)
		fail_msg("render %s (queue %d): %d %s", out, queue, rc, of_error_last()->message);
}

static void sha_of(const char *dir, const char *name, char hex[65])
{
	char *p = of_path_join(dir, name);
	assert_non_null(p);
	assert_int_equal(of_sha256_file(hex, p), 0);
	free(p);
}

static atomic_int spin_stop;

/* Keeps one core busy, so the renderer and x264's threads get squeezed differently. */
static void *spin(void *arg)
{
	volatile unsigned long x = 0;
	(void)arg;
	while (!atomic_load(&spin_stop))
		x++;
	return NULL;
}

static void test_render_sched__queue_depth_does_not_change_bytes(void **state)
{
	(void)state;
	const char *tmp = of_test_tmpdir();
	char a[4096], b[4096];
	char ha[65], hb[65], ca[65], cb[65];
	snprintf(a, sizeof a, "%s/q1", tmp);
	snprintf(b, sizeof b, "%s/busy", tmp);
	render_to(a, 1, "square");
	pthread_t th;
	atomic_store(&spin_stop, 0);
	assert_int_equal(pthread_create(&th, NULL, spin, NULL), 0);
	render_to(b, 0, "square");
	atomic_store(&spin_stop, 1);
	pthread_join(th, NULL);
	sha_of(a, "video.mp4", ha);
	sha_of(b, "video.mp4", hb);
	assert_string_equal(ha, hb);
	sha_of(a, "cover.jpg", ca);
	sha_of(b, "cover.jpg", cb);
	assert_string_equal(ca, cb);
	of_test_rmtree(tmp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_render_sched__queue_depth_does_not_change_bytes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
