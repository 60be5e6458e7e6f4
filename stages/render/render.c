/* render.c — stage 3: script.json → video.mp4 + cover.jpg. Orchestrates the
 * modules: load and validate the storyboard, build the soundtrack (scene
 * timings follow the narration), then stream frames one by one (Ken Burns,
 * transitions, captions) into the encoder. At most two scene canvases and
 * eight frames are alive at any time, so memory stays flat with length. */
#include "render_int.h"
#include "scene_lines.h"
#include "soundtrack.h"

#include "onefish/buf.h"
#include "onefish/error.h"
#include "onefish/fileio.h"
#include "onefish/limits.h"
#include "onefish/log.h"

#include <math.h>
#include <pthread.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#define SAMPLE_RATE 48000
/* Frames in flight between the renderer thread and the encoder (3 MB each at 1080x1920). x264's
 * lookahead runs in the encoding thread (for repeatable output) and its demand comes in bursts; with 6
 * frames ready the drawing thread can use the gaps: W60 took 32.5 s instead of 37.7 s with 3
 * (docs/BENCHMARKS.md), for 9 MB more. */
#define RING 6
#define RING_MAX 8

typedef struct slot {
	long scene; /* -1 = empty */
	of_canvas canvas;
} slot;

typedef struct job {
	of_rscript *s;
	const of_video_options *o;
	of_stage_stats *st;
	int w, h, fps;
	of_fill_mode fill;
	uint32_t brand_rgb;
	slot slots[2];
	char **img_paths; /* resolved, NULL = none/missing */
	unsigned char *small_warned; /* per scene: its picture was said to be too small */
	unsigned char *placeholder;  /* per scene: shown with a placeholder (counted once) */
	/* producer → encoder hand-off: a ring of RING frames */
	of_captions *caps;
	long n_frames, cover_at;
	of_yuv cover_pic; /* the picture at cover_at, before the captions */
	uint8_t *jpeg;
	size_t jpeg_len;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	of_yuv ring[RING_MAX];
	long produced, consumed;
	int depth; /* frames in flight, 1..RING_MAX: ring slots used */
	int prod_rc, stop;
	of_error prod_err;
} job;

/* A scene whose picture cannot be used ("scenes[i].image: " a fmt b): under --strict a bad
 * record that fails the run; else it is rendered with a placeholder, a warning at the line
 * of its "image" in script.json naming the scene, and counted as a scene with a placeholder
 * (it is used, not skipped). Returns 0, or OF_EINVALID under --strict. */
static int placeholder(job *j, size_t i, const char *fmt, const char *a, const char *b)
{
	const of_rscene *sc = &j->s->scenes[i];
	const char *id = sc->id ? sc->id : "?";
	if (j->o->flags.strict) {
		of_log_bad_record(1, j->s->path, sc->line, 0, "scenes[%zu].image: %s%s%s (scene %s)", i, a, fmt, b, id);
		return OF_EINVALID;
	}
	/* a warning (counted by the log, as printed), not a bad record: the scene is shown */
	of_log_warn_at(j->s->path, sc->line, 0, "scenes[%zu].image: %s%s%s (scene %s); using a placeholder", i, a, fmt,
		       b, id);
	if (!j->placeholder[i]) {
		j->placeholder[i] = 1;
		j->st->placeholders++;
	}
	return 0;
}

/* Resolves every image before any heavy work, so --strict fails fast. */
static int resolve_images(job *j)
{
	of_rscript *s = j->s;
	if (!(j->img_paths = calloc(s->n_scenes, sizeof *j->img_paths)) ||
	    !(j->small_warned = calloc(s->n_scenes, 1)) || !(j->placeholder = calloc(s->n_scenes, 1)))
		return of_error_set_oom();
	of_render__set_scene_lines(s); /* so the messages name the line of each picture */
	for (size_t i = 0; i < s->n_scenes; i++) {
		const char *img = s->scenes[i].image;
		if (!img)
			continue;
		int rc = of_path_resolve_inside(&j->img_paths[i], s->dir, img);
		if (rc == 0)
			continue;
		j->img_paths[i] = NULL;
		const char *why = rc == OF_ENOTFOUND ? "not found" : "outside the script folder (refused)";
		if (placeholder(j, i, ": ", img, why) != 0)
			return OF_EINVALID;
	}
	return 0;
}

/* The canvas of scene `i`, built on first use; slots hold the two scenes a transition needs. */
static int canvas_for(job *j, long i, const of_canvas **out)
{
	slot *free_slot = NULL;
	for (int k = 0; k < 2; k++)
		if (j->slots[k].scene == i)
			return (*out = &j->slots[k].canvas), 0;
	/* Evict the slot holding the oldest scene. */
	free_slot = j->slots[0].scene <= j->slots[1].scene ? &j->slots[0] : &j->slots[1];
	of_canvas_release(&free_slot->canvas);
	free_slot->scene = -1;

	of_rscene *sc = &j->s->scenes[i];
	of_rimage *im = NULL;
	if (j->img_paths[i]) {
		double z = of_motion_max_zoom(sc);
		int rc = of_rimage_load(&im, j->img_paths[i], OF_MAX_IMAGE_PIXELS, (int)ceil(j->w * z) + 2,
					(int)ceil(j->h * z) + 2, j->fill == OF_FILL_COVER);
		if (rc != 0) {
			char msg[1400];
			of_error_format(of_error_last(), msg, sizeof msg);
			if (placeholder(j, (size_t)i, "", msg, "") != 0)
				return OF_EINVALID;
			im = NULL;
		}
		/* A thumbnail or sticker blown up to the frame is mush: say so, once per picture
		 * (the loader only ever shrinks, so a picture this small is its real size). */
		double up = im ? (j->fill == OF_FILL_COVER ? fmax((double)j->w / im->w, (double)j->h / im->h)
							   : fmin((double)j->w / im->w, (double)j->h / im->h))
			       : 0;
		int said = 0; /* once per picture, however many scenes show it */
		for (size_t k = 0; up > 3.0 && k < j->s->n_scenes && !said; k++)
			said = j->small_warned[k] && j->img_paths[k] && strcmp(j->img_paths[k], j->img_paths[i]) == 0;
		if (up > 3.0 && !said) {
			j->small_warned[i] = 1;
			of_log_warn_at(j->s->path, sc->line, 0,
				       "scenes[%ld].image: %s is %dx%d px, shown %.0fx enlarged: it will look blurred; "
				       "use a larger photo",
				       i, sc->image ? sc->image : "?", im->w, im->h, up);
		}
	}
	int rc = of_canvas_build(&free_slot->canvas, im, j->w, j->h, of_motion_max_zoom(sc), j->fill, j->brand_rgb);
	of_rimage_free(im);
	if (rc)
		return rc;
	free_slot->scene = i;
	*out = &free_slot->canvas;
	return 0;
}

/* Progress of scene i's motion at time t: over its whole visible span, transitions included. */
static double motion_t(const of_rscript *s, size_t i, double t)
{
	const of_rscene *sc = &s->scenes[i];
	double end = sc->start + sc->duration + (i + 1 < s->n_scenes ? s->scenes[i + 1].trans_dur : 0);
	double span = end - sc->start;
	return span > 0 ? (t - sc->start) / span : 0;
}

/* Draws the picture (no captions) at time t into dst; a and b are scratch frames. */
static int compose(job *j, double t, of_yuv *dst, of_yuv *a, of_yuv *b)
{
	of_rscript *s = j->s;
	size_t i = 0;
	const of_canvas *cin = NULL, *cout = NULL;
	int rc;
	while (i + 1 < s->n_scenes && s->scenes[i + 1].start <= t + 1e-9)
		i++;
	const of_rscene *sc = &s->scenes[i];
	double into = t - sc->start;
	int in_trans = sc->trans != OF_TRANS_CUT && sc->trans_dur > 0 && into < sc->trans_dur;
	if ((rc = canvas_for(j, (long)i, &cin)) != 0)
		return rc;
	if (!in_trans) {
		of_kenburns(dst, cin, of_motion_view(sc, motion_t(s, i, t)));
		return 0;
	}
	double p = into / sc->trans_dur;
	of_kenburns(b, cin, of_motion_view(sc, motion_t(s, i, t)));
	if (i == 0) {
		of_transition(dst, NULL, b, OF_TRANS_FADE, p);
		return 0;
	}
	if ((rc = canvas_for(j, (long)i - 1, &cout)) != 0)
		return rc;
	/* canvas_for(i - 1) may not evict i: slots hold exactly {i-1, i}. */
	if ((rc = canvas_for(j, (long)i, &cin)) != 0)
		return rc;
	of_kenburns(a, cout, of_motion_view(&s->scenes[i - 1], motion_t(s, i - 1, t)));
	of_transition(dst, a, b, sc->trans, p);
	return 0;
}

static int preset_size(const char *preset, int *w, int *h)
{
	if (!preset || strcmp(preset, "vertical") == 0)
		*w = 1080, *h = 1920;
	else if (strcmp(preset, "landscape") == 0)
		*w = 1920, *h = 1080;
	else if (strcmp(preset, "square") == 0)
		*w = 1080, *h = 1080;
	else
		return of_error_set(OF_EUSAGE, "unknown video preset '%s' (vertical, landscape or square)", preset);
	return 0;
}

/* Subtitle cues: each scene's caption (the end card's wording for the CTA scene when it has none). */
/* The track carries the same cues as captions.srt; ASS wants \N for a line break. */
static int write_cues(of_encoder *enc, const of_cue *c, size_t n)
{
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		/* the whole text, so the track says exactly what captions.srt says */
		of_buf b;
		of_buf_init(&b, 2 * strlen(c[i].text) + 16);
		for (const char *p = c[i].text; *p && rc == 0; p++)
			rc = *p == '\n' ? of_buf_puts(&b, "\\N") : of_buf_putc(&b, *p);
		if (rc == 0)
			rc = of_encoder_subtitle(enc, of_buf_cstr(&b), c[i].start_ms, c[i].end_ms - c[i].start_ms);
		of_buf_free(&b);
	}
	return rc;
}

static long cover_frame(const of_rscript *s, int fps)
{
	size_t h = 0;
	for (size_t i = 0; i < s->n_scenes; i++)
		if (s->scenes[i].kind == OF_SCENE_HOOK) {
			h = i;
			break;
		}
	const of_rscene *sc = &s->scenes[h];
	double t = sc->start + fmax(sc->duration * 0.5, fmin(0.8, sc->duration * 0.9));
	if (t >= sc->start + sc->duration)
		t = sc->start + sc->duration * 0.9;
	return lrint(t * fps);
}

static int copy_yuv(of_yuv *dst, const of_yuv *src)
{
	int rc = of_yuv_alloc(dst, src->w, src->h);
	for (int p = 0; rc == 0 && p < 3; p++) {
		int rows = p ? src->h / 2 : src->h, bytes = p ? src->w / 2 : src->w;
		for (int y = 0; y < rows; y++)
			memcpy(dst->plane[p] + (size_t)y * dst->stride[p], src->plane[p] + (size_t)y * src->stride[p],
			       (size_t)bytes);
	}
	return rc;
}

/* cover.jpg: the hook's picture with the cover's own text (of_captions_new_cover):
 * a feed thumbnail is seen at a quarter size, where the video's captions are too small. */
static int make_cover(job *j, const char *font, size_t *warnings)
{
	of_captions *cov = NULL;
	int rc;
	if (!j->cover_pic.plane[0])
		return 0;
	if ((rc = of_captions_new_cover(&cov, j->s, font, j->brand_rgb, j->w, j->h, warnings)) != 0)
		return rc;
	of_captions_draw(cov, &j->cover_pic, 0);
	of_captions_free(cov);
	return of_jpeg_encode(&j->jpeg, &j->jpeg_len, &j->cover_pic, 3);
}

/* The renderer thread: composes frames (picture, captions, cover) while the
 * calling thread encodes, so x264 and our drawing overlap on two cores. */
static void *producer(void *arg)
{
	job *j = arg;
	of_yuv fa = {0}, fb = {0};
	int rc = 0;
#ifdef __linux__
	/* Drawing is never the bottleneck while frames are queued; x264's threads are. A lower
	 * priority for this thread alone (Linux nice is per thread) lets them have a core first.
	 * Only timing changes, never the bytes (tests/unit/test_render_sched.c). */
	setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), 10);
#endif
	if ((rc = of_yuv_alloc(&fa, j->w, j->h)) != 0 || (rc = of_yuv_alloc(&fb, j->w, j->h)) != 0)
		goto out;
	for (long n = 0; n < j->n_frames; n++) {
		pthread_mutex_lock(&j->mu);
		while (j->produced - j->consumed >= j->depth && !j->stop)
			pthread_cond_wait(&j->cv, &j->mu);
		int stop = j->stop;
		pthread_mutex_unlock(&j->mu);
		if (stop)
			break;
		of_yuv *f = &j->ring[n % j->depth];
		double t = (double)n / j->fps;
		if ((rc = compose(j, t, f, &fa, &fb)) != 0)
			goto out;
		if (n == j->cover_at && (rc = copy_yuv(&j->cover_pic, f)) != 0)
			goto out;
		of_captions_draw(j->caps, f, llround(t * 1000));
		pthread_mutex_lock(&j->mu);
		j->produced++;
		pthread_cond_broadcast(&j->cv);
		pthread_mutex_unlock(&j->mu);
	}
out:
	of_yuv_release(&fa);
	of_yuv_release(&fb);
	of_kb_scratch_free();
	pthread_mutex_lock(&j->mu);
	if (rc) {
		j->prod_rc = rc;
		j->prod_err = *of_error_last();
	}
	pthread_cond_broadcast(&j->cv);
	pthread_mutex_unlock(&j->mu);
	return NULL;
}

/* Encodes audio up to the end of video frame n, so the muxer interleaves without buffering much. */
/* The soundtrack as 16-bit stereo: half the memory of the float mix, which is freed. */
typedef struct pcm16 {
	int16_t *samples;
	size_t n_frames;
} pcm16;

static int to_pcm16(pcm16 *out, of_audio *mix)
{
	out->samples = NULL;
	out->n_frames = 0;
	if (!mix)
		return 0;
	if (mix->channels != 2 || mix->sample_rate != SAMPLE_RATE)
		return of_error_set(OF_EMEDIA, "soundtrack is %d ch at %d Hz, expected stereo at %d Hz", mix->channels,
				    mix->sample_rate, SAMPLE_RATE);
	if (!(out->samples = malloc(mix->n_frames * 2 * sizeof *out->samples + 1)))
		return of_error_set_oom();
	for (size_t i = 0; i < mix->n_frames * 2; i++) {
		float x = mix->samples[i] * 32767.0f;
		out->samples[i] = (int16_t)(x > 32767.0f ? 32767 : x < -32768.0f ? -32768 : lrintf(x));
	}
	out->n_frames = mix->n_frames;
	return 0;
}

static int feed_audio(of_encoder *enc, const pcm16 *mix, size_t *done, long n, int fps)
{
	size_t want = (size_t)((long long)(n + 1) * SAMPLE_RATE / fps);
	static const int16_t zeros[2048];
	int rc;
	if (want <= *done)
		return 0;
	size_t have = mix->n_frames > *done ? mix->n_frames - *done : 0;
	size_t take = want - *done < have ? want - *done : have;
	if (take && (rc = of_encoder_audio(enc, mix->samples + *done * 2, take)) != 0)
		return rc;
	for (size_t pad = take; pad < want - *done; pad += 1024) {
		size_t k = want - *done - pad < 1024 ? want - *done - pad : 1024;
		if ((rc = of_encoder_audio(enc, zeros, k)) != 0)
			return rc;
	}
	*done = want;
	return 0;
}

/* The encoding side of the hand-off. Returns 0 or the first error of either side. */
static int encode_all(job *j, of_encoder *enc, const pcm16 *mix)
{
	pthread_t th;
	size_t audio_done = 0;
	int rc = 0;
	if (pthread_create(&th, NULL, producer, j) != 0)
		return of_error_set(OF_ERROR, "cannot start the renderer thread");
	for (long n = 0; n < j->n_frames; n++) {
		pthread_mutex_lock(&j->mu);
		while (j->produced <= n && !j->prod_rc)
			pthread_cond_wait(&j->cv, &j->mu);
		int prc = j->produced <= n ? j->prod_rc : 0;
		pthread_mutex_unlock(&j->mu);
		if (prc)
			break;
		if ((rc = of_encoder_video(enc, &j->ring[n % j->depth])) != 0 ||
		    (rc = feed_audio(enc, mix, &audio_done, n, j->fps)) != 0)
			break;
		pthread_mutex_lock(&j->mu);
		j->consumed++;
		pthread_cond_broadcast(&j->cv);
		pthread_mutex_unlock(&j->mu);
		if (n % 15 == 14 || n == j->n_frames - 1)
			of_log_progress("video", (double)(n + 1), (double)j->n_frames, "frames");
	}
	pthread_mutex_lock(&j->mu);
	j->stop = 1;
	pthread_cond_broadcast(&j->cv);
	pthread_mutex_unlock(&j->mu);
	pthread_join(th, NULL);
	if (!rc && j->prod_rc) {
		/* Errors are per thread: carry the renderer's over to the caller. */
		const of_error *e = &j->prod_err;
		rc = of_error_set_at(e->code, e->path[0] ? e->path : NULL, e->line, e->col, "%s", e->message);
	}
	return rc;
}

/* narration.wav / music.wav for an editing timeline (opts->stems), beside the video. */
static int write_stem(const of_audio *a, const char *out_dir, const char *name, int *written)
{
	char *p;
	int rc;
	*written = 0;
	if (!a)
		return 0;
	if (!(p = of_path_join(out_dir, name)))
		return of_error_set_oom();
	rc = of_audio_write_wav(a, p);
	free(p);
	*written = rc == 0;
	return rc;
}

static int render(const json_t *doc, const char *script_json, const of_video_options *opts, const char *out_dir,
		  of_stage_stats *stats, of_video_result *res)
{
	job j;
	of_stage_stats local = {0};
	of_caption_style style;
	of_captions *caps = NULL;
	of_audio *mix = NULL, *voice = NULL, *music = NULL;
	pcm16 pcm = {NULL, 0};
	of_encoder *enc = NULL;
	of_atomic *at = NULL;
	char *style_path = NULL, *mp4 = NULL, *cover = NULL;
	of_cue *cues = NULL;
	size_t n_cues = 0;
	int rc;

	memset(&j, 0, sizeof j);
	pthread_mutex_init(&j.mu, NULL);
	pthread_cond_init(&j.cv, NULL);
	j.o = opts;
	j.st = stats ? stats : &local;
	j.slots[0].scene = j.slots[1].scene = -1;
	j.fill = opts->fill && strcmp(opts->fill, "cover") == 0 ? OF_FILL_COVER : OF_FILL_BLUR;

	if (doc) {
		char *dir = of_path_dirname(script_json);
		rc = dir ? of_rscript_from_json(&j.s, doc, script_json, dir) : of_error_set_oom();
		free(dir);
	} else {
		rc = of_rscript_load(&j.s, script_json);
	}
	if (rc)
		goto done;
	const char *preset = opts->preset ? opts->preset : j.s->format ? j.s->format : "vertical";
	if ((rc = preset_size(preset, &j.w, &j.h)) != 0)
		goto done;
	if (opts->preview) {
		j.w /= 2;
		j.h /= 2;
	}
	j.fps = opts->fps > 0 ? opts->fps : 30;
	if (j.fps > 120) {
		rc = of_error_set(OF_EUSAGE, "video fps %d out of range 1..120", j.fps);
		goto done;
	}
	j.st->records_read = j.s->n_scenes;
	j.brand_rgb = 0xE8734A;
	if (of_render__parse_rgb(opts->brand.color, &j.brand_rgb) != 0)
		of_render__parse_rgb(j.s->brand_color, &j.brand_rgb);
	if (!j.s->live_title && opts->brand.live_title && (j.s->live_title = strdup(opts->brand.live_title)) == NULL)
		goto oom;
	if (!j.s->live_cta && opts->brand.live_cta && (j.s->live_cta = strdup(opts->brand.live_cta)) == NULL)
		goto oom;

	/* Cheap checks first: font, style, images, output folder. */
	const char *font = opts->font && opts->font[0] ? opts->font : "Noto Sans CJK SC";
	if ((rc = of_font_check(font)) != 0)
		goto done;
	if ((rc = of_asset_path(&style_path, "styles/captions.json")) != 0)
		goto done;
	if ((rc = of_caption_style_load(&style, style_path, preset, j.w, j.h)) != 0)
		goto done;
	if ((rc = resolve_images(&j)) != 0)
		goto done;
	if (of_mkdirs(out_dir) != 0) {
		rc = of_error_set_at(OF_ERROR, out_dir, 0, 0, "cannot create the output folder");
		goto done;
	}
	if (!(mp4 = of_path_join(out_dir, "video.mp4")) || !(cover = of_path_join(out_dir, "cover.jpg")))
		goto oom;
	if ((rc = of_atomic_open(&at, mp4)) != 0)
		goto done;

	size_t warns = 0;
	if ((rc = of_soundtrack_build_stems(&mix, opts->stems ? &voice : NULL, opts->stems ? &music : NULL, j.s, opts,
					    j.fps, SAMPLE_RATE, &warns)) != 0)
		goto done;
	j.st->warnings += warns;
	rc = to_pcm16(&pcm, mix);
	of_audio_free(mix);
	mix = NULL;
	if (rc)
		goto done;
	warns = 0;
	if ((rc = of_captions_new(&caps, j.s, &style, font, j.brand_rgb, j.w, j.h, &warns)) != 0)
		goto done;
	j.st->warnings += warns;

	of_encoder_params ep = {j.w, j.h, j.fps, opts->crf, opts->threads > 0 ? opts->threads : 2, opts->preview ? "ultrafast" : opts->x264_preset,
				SAMPLE_RATE, j.s->title, of_captions_header(caps)};
	if (!ep.x264_preset)
		ep.x264_preset = "veryfast";
	if ((rc = of_encoder_open(&enc, of_atomic_tmp_path(at), &ep)) != 0)
		goto done;
	/* After the soundtrack: the cues follow the lengthened scenes. */
	if ((rc = of_cues_build(j.s, &cues, &n_cues)) != 0 || (rc = write_cues(enc, cues, n_cues)) != 0)
		goto done;
	j.depth = opts->queue > 0 && opts->queue <= RING_MAX ? opts->queue : RING;
	for (int k = 0; k < j.depth; k++)
		if ((rc = of_yuv_alloc(&j.ring[k], j.w, j.h)) != 0)
			goto done;

	j.caps = caps;
	j.n_frames = lrint(j.s->duration * j.fps);
	j.cover_at = cover_frame(j.s, j.fps);
	if (j.cover_at >= j.n_frames)
		j.cover_at = j.n_frames - 1;
	if ((rc = encode_all(&j, enc, &pcm)) != 0)
		goto done;
	warns = 0;
	if ((rc = make_cover(&j, font, &warns)) != 0)
		goto done;
	j.st->warnings += warns;
	rc = of_encoder_close(enc);
	enc = NULL;
	if (rc)
		goto done;
	if ((rc = of_atomic_commit(at)) != 0) {
		at = NULL;
		goto done;
	}
	at = NULL;
	if (j.jpeg && (rc = of_file_write_atomic(cover, j.jpeg, j.jpeg_len)) != 0)
		goto done;
	if ((rc = of_cues_write(cues, n_cues, out_dir)) != 0)
		goto done;
	{
		int wn = 0, wm = 0;
		if ((rc = write_stem(voice, out_dir, "narration.wav", &wn)) != 0 ||
		    (rc = write_stem(music, out_dir, "music.wav", &wm)) != 0)
			goto done;
		if (res) {
			res->fps = j.fps;
			res->total = j.n_frames;
			res->width = j.w;
			res->height = j.h;
			res->narration = wn;
			res->music = wm;
			res->audio_rate = SAMPLE_RATE;
			res->audio_samples = (long)pcm.n_frames;
			res->n_scenes = j.s->n_scenes;
			if (!(res->frames = calloc(j.s->n_scenes ? j.s->n_scenes : 1, sizeof *res->frames)))
				goto oom;
			/* each scene from its start frame to the next one's, as the video cuts them */
			for (size_t i = 0; i < j.s->n_scenes; i++) {
				long a = lrint(j.s->scenes[i].start * j.fps);
				long b = i + 1 < j.s->n_scenes ? lrint(j.s->scenes[i + 1].start * j.fps) : j.n_frames;
				res->frames[i] = b - a;
			}
		}
	}
	j.st->records_used = j.s->n_scenes - j.st->records_bad;
	rc = 0;
	goto done;
oom:
	rc = of_error_set_oom();
done:
	of_encoder_abort(enc);
	if (at)
		of_atomic_abort(at);
	of_captions_free(caps);
	of_cues_free(cues, n_cues);
	of_audio_free(mix);
	of_audio_free(voice);
	of_audio_free(music);
	free(pcm.samples);
	for (int k = 0; k < RING_MAX; k++)
		of_yuv_release(&j.ring[k]);
	of_yuv_release(&j.cover_pic);
	pthread_mutex_destroy(&j.mu);
	pthread_cond_destroy(&j.cv);
	for (int k = 0; k < 2; k++)
		of_canvas_release(&j.slots[k].canvas);
	if (j.img_paths)
		for (size_t i = 0; i < j.s->n_scenes; i++)
			free(j.img_paths[i]);
	free(j.img_paths);
	free(j.small_warned);
	free(j.placeholder);
	of_kb_scratch_free();
	of_rscript_free(j.s);
	free(style_path);
	free(mp4);
	free(cover);
	free(j.jpeg);
	return rc;
}

int of_video_render(const char *script_json, const of_video_options *opts, const char *out_dir,
		    of_stage_stats *stats)
{
	return render(NULL, script_json, opts, out_dir, stats, NULL);
}

int of_video_render_doc(const json_t *storyboard, const char *script_json, const of_video_options *opts,
			const char *out_dir, of_stage_stats *stats)
{
	return render(storyboard, script_json, opts, out_dir, stats, NULL);
}

int of_video_render_doc_result(const json_t *storyboard, const char *script_json, const of_video_options *opts,
			       const char *out_dir, of_stage_stats *stats, of_video_result *res)
{
	if (res)
		memset(res, 0, sizeof *res);
	int rc = render(storyboard, script_json, opts, out_dir, stats, res);
	if (rc != 0)
		of_video_result_clear(res);
	return rc;
}

void of_video_result_clear(of_video_result *res)
{
	if (!res)
		return;
	free(res->frames);
	memset(res, 0, sizeof *res);
}
