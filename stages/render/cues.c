/* cues.c — the video's subtitle cues, made once and used twice: for the mov_text
 * track inside video.mp4 and for captions.srt / captions.vtt beside it. One list, so the
 * files an editor opens always say what the video says, when it says it (after
 * scenes were lengthened to fit their narration). */
#include "render_int.h"

#include "onefish/buf.h"
#include "onefish/error.h"
#include "onefish/fileio.h"
#include "onefish/log.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A caption line as cue text: braces would be ASS override tags in the track and a
 * line break or tab inside a line would split the cue in SRT, so all become spaces;
 * a backslash would start an ASS escape (\N, \h) in the track only, so it becomes
 * the full-width ＼ in both. */
static int put_line(of_buf *b, const char *s)
{
	int rc = 0;
	for (; *s && rc == 0; s++)
		rc = *s == '\\' ? of_buf_puts(b, "\xEF\xBC\xBC")
				 : of_buf_putc(b, (*s == '{' || *s == '}' || *s == '\n' || *s == '\r' || *s == '\t') ? ' ' : *s);
	return rc;
}

static int push(of_cue **c, size_t *n, size_t *cap, long t0, long t1, of_buf *b)
{
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 16;
		of_cue *g = realloc(*c, nc * sizeof *g);
		if (!g)
			return of_error_set_oom();
		*c = g;
		*cap = nc;
	}
	char *text = of_buf_detach(b, NULL);
	if (!text)
		return of_error_set_oom();
	(*c)[*n].start_ms = t0;
	(*c)[*n].end_ms = t1;
	(*c)[(*n)++].text = text;
	return 0;
}

int of_cues_build(const of_rscript *s, of_cue **out, size_t *n_out)
{
	of_cue *c = NULL;
	size_t n = 0, cap = 0;
	*out = NULL;
	*n_out = 0;
	for (size_t i = 0; i < s->n_scenes; i++) {
		const of_rscene *sc = &s->scenes[i];
		/* Both ends rounded from the timeline, so a cue ends on the millisecond the next begins. */
		long t0 = lround(sc->start * 1000.0), t1 = lround((sc->start + sc->duration) * 1000.0);
		of_buf b;
		int rc = 0;
		of_buf_init(&b, 0);
		if (sc->kind == OF_SCENE_CTA && (s->live_title || s->live_cta)) {
			/* the end card replaces the scene's caption on screen (captions.c): the cue
			 * says what the card shows, title, time and platform, call to action */
			const char *time = s->live_time, *plat = s->live_platform;
			if (s->live_title)
				rc = put_line(&b, s->live_title);
			if (rc == 0 && (time || plat)) {
				if (of_buf_len(&b))
					rc = of_buf_putc(&b, '\n');
				if (rc == 0 && time)
					rc = put_line(&b, time);
				if (rc == 0 && time && plat)
					rc = of_buf_puts(&b, " · ") < 0 ? OF_ENOMEM : 0;
				if (rc == 0 && plat)
					rc = put_line(&b, plat);
			}
			if (rc == 0 && s->live_cta) {
				if (of_buf_len(&b))
					rc = of_buf_putc(&b, '\n');
				if (rc == 0)
					rc = put_line(&b, s->live_cta);
			}
		} else if (sc->caption[0]) {
			for (int k = 0; k < 2 && rc == 0; k++) {
				if (!sc->caption[k] || !sc->caption[k][0])
					continue;
				if (of_buf_len(&b))
					rc = of_buf_putc(&b, '\n');
				if (rc == 0)
					rc = put_line(&b, sc->caption[k]);
			}
		}
		if (rc == 0 && (of_buf_len(&b) == 0 || t1 <= t0)) {
			of_buf_free(&b);
			continue;
		}
		if (rc < 0 || push(&c, &n, &cap, t0, t1, &b) < 0) {
			of_buf_free(&b);
			of_cues_free(c, n);
			return OF_ENOMEM;
		}
	}
	*out = c;
	*n_out = n;
	return 0;
}

void of_cues_free(of_cue *c, size_t n)
{
	for (size_t i = 0; c && i < n; i++)
		free(c[i].text);
	free(c);
}

static int stamp(of_buf *b, long ms, char sep)
{
	return of_buf_printf(b, "%02ld:%02ld:%02ld%c%03ld", ms / 3600000, ms / 60000 % 60, ms / 1000 % 60, sep, ms % 1000);
}

/* WebVTT cue text is HTML-like: &, < and > must be escaped; SRT has no escaping. */
static int vtt_text(of_buf *b, const char *s)
{
	int rc = 0;
	for (; *s && rc == 0; s++) {
		if (*s == '&')
			rc = of_buf_puts(b, "&amp;");
		else if (*s == '<')
			rc = of_buf_puts(b, "&lt;");
		else if (*s == '>')
			rc = of_buf_puts(b, "&gt;");
		else
			rc = of_buf_putc(b, *s);
	}
	return rc;
}

/* Earlier versions wrote the cues as video.srt / video.vtt, which players load with
 * video.mp4 and draw over the burned-in captions. Without a manifest we cannot tell
 * ours from an editor's file, so it is left alone, but named (a pack run removes or
 * renames its own: pipeline/pack.c). */
static void warn_old_sidecars(const char *out_dir)
{
	static const char *const old[] = {"video.srt", "video.vtt", NULL};
	for (int i = 0; old[i]; i++) {
		char *p = of_path_join(out_dir, old[i]);
		if (p && of_path_is_file(p))
			of_log_warn_at(p, 0, 0,
				       "players load this file with video.mp4 and show the captions twice (they are burned "
				       "in); onefish now writes captions.%s: delete or rename %s",
				       old[i] + 6, old[i]);
		free(p);
	}
}

int of_cues_write(const of_cue *c, size_t n, const char *out_dir)
{
	of_buf srt, vtt;
	int rc = 0;
	of_buf_init(&srt, 0);
	of_buf_init(&vtt, 0);
	rc |= of_buf_puts(&vtt, "WEBVTT\n\n");
	for (size_t i = 0; i < n; i++) {
		rc |= of_buf_printf(&srt, "%zu\n", i + 1);
		rc |= stamp(&srt, c[i].start_ms, ',');
		rc |= of_buf_puts(&srt, " --> ");
		rc |= stamp(&srt, c[i].end_ms, ',');
		rc |= of_buf_printf(&srt, "\n%s\n\n", c[i].text);
		rc |= stamp(&vtt, c[i].start_ms, '.');
		rc |= of_buf_puts(&vtt, " --> ");
		rc |= stamp(&vtt, c[i].end_ms, '.');
		rc |= of_buf_putc(&vtt, '\n');
		rc |= vtt_text(&vtt, c[i].text);
		rc |= of_buf_puts(&vtt, "\n\n");
	}
	if (rc != 0)
		rc = of_error_set_oom();
	else if ((rc = of_file_write_atomic_in(out_dir, "captions.srt", of_buf_cstr(&srt), of_buf_len(&srt))) == 0)
		rc = of_file_write_atomic_in(out_dir, "captions.vtt", of_buf_cstr(&vtt), of_buf_len(&vtt));
	of_buf_free(&srt);
	of_buf_free(&vtt);
	if (rc == 0)
		warn_old_sidecars(out_dir);
	return rc;
}
