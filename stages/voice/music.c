/* music.c — the background bed: a local file decoded to stereo float, looped
 * or cut to the video's length, faded in and out. */
#include "voice_int.h"

#include "onefish/error.h"
#include "onefish/limits.h"

#include <libavformat/avio.h>
#include <libavutil/error.h>

#include <errno.h>
#include <math.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define FADE_IN_S 1.0
#define FADE_OUT_S 2.0

typedef struct fd_src {
	int fd;
	int64_t size;
} fd_src;

static int fd_read(void *opaque, uint8_t *buf, int n)
{
	fd_src *s = opaque;
	ssize_t got;
	do
		got = read(s->fd, buf, (size_t)n);
	while (got < 0 && errno == EINTR);
	if (got < 0)
		return AVERROR(errno);
	return got == 0 ? AVERROR_EOF : (int)got;
}

static int64_t fd_seek(void *opaque, int64_t offset, int whence)
{
	fd_src *s = opaque;
	off_t r;
	if (whence & AVSEEK_SIZE)
		return s->size;
	r = lseek(s->fd, (off_t)offset, whence & ~AVSEEK_FORCE);
	return r < 0 ? AVERROR(errno) : (int64_t)r;
}

/* Fills `dst` by repeating `src` end to end; each seam is a 100 ms
 * equal-power crossfade (tail of one pass into the head of the next), so a
 * bed that was not cut as a loop does not click. `dst` must be zeroed. */
static void loop_into(of_audio *dst, const of_audio *src)
{
	size_t ch = (size_t)dst->channels, x = (size_t)dst->sample_rate / 10, period;
	if (x > src->n_frames / 4)
		x = src->n_frames / 4;
	period = src->n_frames - x;
	for (size_t base = 0, k = 0; base < dst->n_frames; base += period, k++) {
		int more = base + period < dst->n_frames; /* another pass follows this one */
		for (size_t j = 0; j < src->n_frames && base + j < dst->n_frames; j++) {
			double w = 1.0;
			if (k > 0 && j < x)
				w = sin(0.5 * M_PI * ((double)j + 0.5) / (double)x);
			if (more && j >= period)
				w *= cos(0.5 * M_PI * ((double)(j - period) + 0.5) / (double)x);
			for (size_t c = 0; c < ch; c++)
				dst->samples[(base + j) * ch + c] += (float)(src->samples[j * ch + c] * w);
		}
	}
}

static void fades(of_audio *a)
{
	size_t ch = (size_t)a->channels;
	size_t in = (size_t)(FADE_IN_S * a->sample_rate), out = (size_t)(FADE_OUT_S * a->sample_rate);
	if (in > a->n_frames / 2)
		in = a->n_frames / 2;
	if (out > a->n_frames / 2)
		out = a->n_frames / 2;
	for (size_t i = 0; i < in; i++)
		for (size_t c = 0; c < ch; c++)
			a->samples[i * ch + c] *= (float)i / (float)in;
	for (size_t i = 0; i < out; i++) {
		size_t f = a->n_frames - 1 - i;
		for (size_t c = 0; c < ch; c++)
			a->samples[f * ch + c] *= (float)i / (float)out;
	}
}

int of_audio_load_music(of_audio **out, const char *path, int sample_rate, size_t n_frames)
{
	fd_src src = {-1, 0};
	struct stat st;
	of_audio *dec = NULL, *a = NULL;
	int rc;

	*out = NULL;
	if (sample_rate < 8000 || sample_rate > OF_MAX_AUDIO_RATE)
		return of_error_set(OF_EINVALID, "%s: unsupported output rate %d Hz", path, sample_rate);
	if ((double)n_frames > OF_MAX_AUDIO_SECONDS * sample_rate)
		return of_error_set(OF_ELIMIT, "%s: music longer than %.0f s requested", path,
				    OF_MAX_AUDIO_SECONDS);
	/* open() the literal name ourselves: libavformat never sees it, so names
	 * like "concat:a.wav" or "img%d.wav" mean only themselves. O_NONBLOCK keeps
	 * a FIFO from blocking before fstat refuses it. */
	src.fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (src.fd < 0)
		return of_error_set_at(errno == ENOENT ? OF_ENOTFOUND : OF_ERROR, path, 0, 0,
				       "cannot open music: %s", strerror(errno));
	if (fstat(src.fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(src.fd);
		return of_error_set_at(OF_EINVALID, path, 0, 0, "music is not a regular file");
	}
	if (fcntl(src.fd, F_SETFL, 0) != 0) {
		close(src.fd);
		return of_error_set_at(OF_ERROR, path, 0, 0, "cannot read music: %s", strerror(errno));
	}
	src.size = (int64_t)st.st_size;
	/* Only n_frames are needed: decoding stops there even for a long file. */
	rc = of_voice__decode(&dec, fd_read, fd_seek, &src, path, 2, sample_rate, n_frames ? n_frames : 1, 1);
	close(src.fd);
	if (rc < 0)
		return rc; /* the message starts with the path */
	if (dec->n_frames >= n_frames) {
		/* Long enough: use the decoded block itself (no second copy in memory). */
		dec->n_frames = n_frames;
		fades(dec);
		*out = dec;
		return 0;
	}
	if ((rc = of_audio_new(&a, n_frames, 2, sample_rate)) == 0) {
		loop_into(a, dec);
		fades(a);
		*out = a;
	}
	of_audio_free(dec);
	return rc;
}
