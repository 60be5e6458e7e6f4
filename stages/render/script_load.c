/* script_load.c — script.json → the renderer's model, strictly validated.
 * Every rejection names the field (`scenes[3].duration: must be > 0`). */
#include "render_int.h"

#include "onefish/error.h"
#include "onefish/fileio.h"
#include "onefish/json.h"
#include "onefish/limits.h"
#include "onefish/log.h"
#include "onefish/utf8.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct ctx {
	const char *origin;
	char field[128];
} ctx;

static int bad(const ctx *c, int code, const char *fmt, const char *detail)
{
	return of_error_set_at(code, c->origin, 0, 0, "%s: %s%s", c->field, fmt, detail ? detail : "");
}

/* A number member: absent → `def` (if allowed), else must be finite and in [lo, hi]. */
static int get_num(const ctx *c, const json_t *obj, const char *key, double *out, double def, int required,
		   double lo, double hi, int lo_open)
{
	const json_t *v = json_object_get(obj, key);
	char msg[96];
	if (!v) {
		if (required)
			return bad(c, OF_EINVALID, "missing", NULL);
		*out = def;
		return 0;
	}
	if (!json_is_number(v))
		return bad(c, OF_EINVALID, "must be a number", NULL);
	double d = json_number_value(v);
	if (!isfinite(d))
		return bad(c, OF_EINVALID, "must be a finite number", NULL);
	if (lo_open ? d <= lo : d < lo) {
		snprintf(msg, sizeof msg, "must be %s %g", lo_open ? ">" : ">=", lo);
		return bad(c, OF_EINVALID, msg, NULL);
	}
	if (d > hi) {
		snprintf(msg, sizeof msg, "must be <= %g", hi);
		return bad(c, OF_ELIMIT, msg, NULL);
	}
	*out = d;
	return 0;
}

/* A string member, valid UTF-8 without control characters, at most `max_chars` code points. */
static int get_str(const ctx *c, const json_t *obj, const char *key, char **out, int required, size_t max_chars)
{
	const json_t *v = json_object_get(obj, key);
	*out = NULL;
	if (!v || json_is_null(v)) {
		if (required)
			return bad(c, OF_EINVALID, "missing", NULL);
		return 0;
	}
	if (!json_is_string(v))
		return bad(c, OF_EINVALID, "must be a string", NULL);
	const char *s = json_string_value(v);
	size_t len = json_string_length(v);
	if (strlen(s) != len)
		return bad(c, OF_EINVALID, "contains a NUL character", NULL);
	size_t n = of_utf8_count(s, len);
	if (n > max_chars) {
		char msg[96];
		snprintf(msg, sizeof msg, "%zu characters, at most %zu allowed", n, max_chars);
		return bad(c, OF_ELIMIT, msg, NULL);
	}
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 && s[i] != '\n' && s[i] != '\t')
			return bad(c, OF_EINVALID, "contains a control character", NULL);
	if (!(*out = strdup(s)))
		return of_error_set_oom();
	return 0;
}

static int set_field(ctx *c, const char *fmt, size_t i, const char *sub)
{
	snprintf(c->field, sizeof c->field, fmt, i, sub);
	return 0;
}

static of_motion_type motion_of(const char *t, int *known)
{
	static const struct { const char *n; of_motion_type m; } M[] = {
		{"zoom_in", OF_MOTION_ZOOM_IN}, {"zoom_out", OF_MOTION_ZOOM_OUT}, {"pan_left", OF_MOTION_PAN_LEFT},
		{"pan_right", OF_MOTION_PAN_RIGHT}, {"pan", OF_MOTION_PAN}, {"none", OF_MOTION_NONE}};
	*known = 1;
	for (size_t i = 0; i < sizeof M / sizeof M[0]; i++)
		if (strcmp(t, M[i].n) == 0)
			return M[i].m;
	*known = 0;
	return OF_MOTION_ZOOM_IN;
}

static of_trans_type trans_of(const char *t, int *known)
{
	static const struct { const char *n; of_trans_type m; } T[] = {
		{"cut", OF_TRANS_CUT}, {"crossfade", OF_TRANS_CROSSFADE}, {"fade", OF_TRANS_FADE},
		{"slide", OF_TRANS_SLIDE}, {"wipe", OF_TRANS_WIPE}};
	*known = 1;
	for (size_t i = 0; i < sizeof T / sizeof T[0]; i++)
		if (strcmp(t, T[i].n) == 0)
			return T[i].m;
	*known = 0;
	return OF_TRANS_CUT;
}

static int parse_scene(ctx *c, const json_t *js, size_t i, of_rscene *sc)
{
	int rc, known;
	char *tmp = NULL;
	set_field(c, "scenes[%zu]%s", i, "");
	if (!json_is_object(js))
		return bad(c, OF_EINVALID, "must be an object", NULL);

	set_field(c, "scenes[%zu].%s", i, "id");
	if ((rc = get_str(c, js, "id", &sc->id, 0, 64)) != 0)
		return rc;
	set_field(c, "scenes[%zu].%s", i, "kind");
	if ((rc = get_str(c, js, "kind", &tmp, 0, 16)) != 0)
		return rc;
	sc->kind = OF_SCENE_BODY;
	if (tmp && strcmp(tmp, "hook") == 0)
		sc->kind = OF_SCENE_HOOK;
	else if (tmp && strcmp(tmp, "cta") == 0)
		sc->kind = OF_SCENE_CTA;
	else if (tmp && strcmp(tmp, "body") != 0) {
		free(tmp);
		return bad(c, OF_EINVALID, "must be hook, body or cta", NULL);
	}
	free(tmp);
	tmp = NULL;

	set_field(c, "scenes[%zu].%s", i, "duration");
	if ((rc = get_num(c, js, "duration", &sc->duration, 0, 1, 0, OF_MAX_VIDEO_SECONDS, 1)) != 0)
		return rc;
	if (sc->duration < OF_RENDER_MIN_SCENE_S) {
		char msg[64];
		snprintf(msg, sizeof msg, "%g s is too short (at least %g s)", sc->duration, OF_RENDER_MIN_SCENE_S);
		return bad(c, OF_EINVALID, msg, NULL);
	}
	set_field(c, "scenes[%zu].%s", i, "start");
	if ((rc = get_num(c, js, "start", &sc->start, 0, 0, 0, OF_MAX_VIDEO_SECONDS, 0)) != 0)
		return rc;

	set_field(c, "scenes[%zu].%s", i, "narration");
	if ((rc = get_str(c, js, "narration", &sc->narration, 0, OF_RENDER_MAX_NARRATION_CHARS)) != 0)
		return rc;
	if (!sc->narration && !(sc->narration = strdup("")))
		return of_error_set_oom();

	const json_t *cap = json_object_get(js, "caption");
	if (cap && json_is_string(cap)) {
		set_field(c, "scenes[%zu].%s", i, "caption");
		if ((rc = get_str(c, js, "caption", &sc->caption[0], 0, OF_RENDER_MAX_CAPTION_CHARS)) != 0)
			return rc;
	} else if (cap && !json_is_null(cap)) {
		set_field(c, "scenes[%zu].%s", i, "caption");
		if (!json_is_array(cap))
			return bad(c, OF_EINVALID, "must be an array of 1-2 strings", NULL);
		if (json_array_size(cap) > 2)
			return bad(c, OF_EINVALID, "at most 2 lines", NULL);
		for (size_t k = 0; k < json_array_size(cap); k++) {
			json_t *wrap = json_object();
			if (!wrap)
				return of_error_set_oom();
			json_object_set(wrap, "l", json_array_get(cap, k));
			snprintf(c->field, sizeof c->field, "scenes[%zu].caption[%zu]", i, k);
			rc = get_str(c, wrap, "l", &sc->caption[k], 1, OF_RENDER_MAX_CAPTION_CHARS);
			json_decref(wrap);
			if (rc != 0)
				return rc;
		}
	}

	set_field(c, "scenes[%zu].%s", i, "image");
	if ((rc = get_str(c, js, "image", &sc->image, 0, OF_MAX_PATH)) != 0)
		return rc;
	if (sc->image && !sc->image[0]) {
		free(sc->image);
		sc->image = NULL;
	}

	/* motion */
	const json_t *mo = json_object_get(js, "motion");
	sc->motion = i % 2 ? OF_MOTION_ZOOM_OUT : OF_MOTION_ZOOM_IN;
	sc->zoom_from = sc->motion == OF_MOTION_ZOOM_IN ? 1.0 : 1.12;
	sc->zoom_to = sc->motion == OF_MOTION_ZOOM_IN ? 1.12 : 1.0;
	sc->pan_x = sc->pan_y = 0.5;
	if (mo && !json_is_null(mo)) {
		set_field(c, "scenes[%zu].%s", i, "motion");
		if (!json_is_object(mo))
			return bad(c, OF_EINVALID, "must be an object", NULL);
		set_field(c, "scenes[%zu].%s", i, "motion.type");
		if ((rc = get_str(c, mo, "type", &tmp, 0, 32)) != 0)
			return rc;
		if (tmp) {
			sc->motion = motion_of(tmp, &known);
			if (!known)
				of_log_warn_at(c->origin, 0, 0, "%s: unknown motion '%s', using zoom_in", c->field, tmp);
			free(tmp);
			tmp = NULL;
		}
		double dfrom = sc->motion == OF_MOTION_ZOOM_OUT ? 1.12 : 1.0;
		double dto = sc->motion == OF_MOTION_ZOOM_OUT ? 1.0 : sc->motion == OF_MOTION_NONE ? 1.0 : 1.12;
		set_field(c, "scenes[%zu].%s", i, "motion.from");
		if ((rc = get_num(c, mo, "from", &sc->zoom_from, dfrom, 0, 1.0, 3.0, 0)) != 0)
			return rc;
		set_field(c, "scenes[%zu].%s", i, "motion.to");
		if ((rc = get_num(c, mo, "to", &sc->zoom_to, dto, 0, 1.0, 3.0, 0)) != 0)
			return rc;
		const json_t *pan = json_object_get(mo, "pan");
		if (pan && !json_is_null(pan)) {
			set_field(c, "scenes[%zu].%s", i, "motion.pan");
			if (!json_is_array(pan) || json_array_size(pan) != 2 ||
			    !json_is_number(json_array_get(pan, 0)) || !json_is_number(json_array_get(pan, 1)))
				return bad(c, OF_EINVALID, "must be [x, y] with numbers in 0..1", NULL);
			double px = json_number_value(json_array_get(pan, 0));
			double py = json_number_value(json_array_get(pan, 1));
			if (!(px >= 0 && px <= 1 && py >= 0 && py <= 1))
				return bad(c, OF_EINVALID, "must be [x, y] with numbers in 0..1", NULL);
			sc->pan_x = px;
			sc->pan_y = py;
		}
	}

	/* transition into this scene */
	const json_t *tr = json_object_get(js, "transition");
	sc->trans = i == 0 ? OF_TRANS_FADE : OF_TRANS_CROSSFADE;
	sc->trans_dur = 0.5;
	if (tr && !json_is_null(tr)) {
		set_field(c, "scenes[%zu].%s", i, "transition");
		if (!json_is_object(tr))
			return bad(c, OF_EINVALID, "must be an object", NULL);
		set_field(c, "scenes[%zu].%s", i, "transition.type");
		if ((rc = get_str(c, tr, "type", &tmp, 0, 32)) != 0)
			return rc;
		if (tmp) {
			sc->trans = trans_of(tmp, &known);
			if (!known)
				of_log_warn_at(c->origin, 0, 0, "%s: unknown transition '%s', using cut", c->field, tmp);
			free(tmp);
			tmp = NULL;
		}
		set_field(c, "scenes[%zu].%s", i, "transition.duration");
		if ((rc = get_num(c, tr, "duration", &sc->trans_dur, 0.5, 0, 0, 5.0, 0)) != 0)
			return rc;
	}
	if (sc->trans == OF_TRANS_CUT)
		sc->trans_dur = 0;
	return 0;
}

/* A duration as the storyboard means it: a whole number of its frames, written with 3
 * decimals (4.933 for 148/30 s). Within half a millisecond of a frame count it is that
 * count exactly, so scene boundaries are frame boundaries (37.833 s, not the 37.834 s a
 * sum of rounded durations gives) and the total is exact (30 s, not 29.999 s). Anything
 * else (a hand-written 2.25 s at 30 fps) stays as written. */
static double frame_exact(double d, double fps)
{
	if (fps > 0) {
		double f = d * fps, k = round(f);
		if (k >= 1 && fabs(f - k) <= fps * 0.0005 + 1e-9)
			return k / fps;
	}
	return d;
}

void of_rscript_retime(of_rscript *s)
{
	double t = 0;
	for (size_t i = 0; i < s->n_scenes; i++) {
		s->scenes[i].start = t;
		t += s->scenes[i].duration;
	}
	s->duration = t;
	/* A transition may take at most half of either neighbour, so scenes never overlap three deep. */
	for (size_t i = 0; i < s->n_scenes; i++) {
		double cap = s->scenes[i].duration / 2;
		if (i > 0 && s->scenes[i - 1].duration / 2 < cap)
			cap = s->scenes[i - 1].duration / 2;
		if (s->scenes[i].trans_dur > cap)
			s->scenes[i].trans_dur = cap;
	}
}

static int parse_top(ctx *c, const json_t *root, of_rscript *s)
{
	int rc;
	const json_t *o;
	snprintf(c->field, sizeof c->field, "title");
	if ((rc = get_str(c, root, "title", &s->title, 0, OF_RENDER_MAX_TITLE_CHARS)) != 0)
		return rc;
	if (!s->title && !(s->title = strdup("")))
		return of_error_set_oom();
	snprintf(c->field, sizeof c->field, "format");
	if ((rc = get_str(c, root, "format", &s->format, 0, 16)) != 0)
		return rc;
	if (s->format && strcmp(s->format, "vertical") && strcmp(s->format, "landscape") && strcmp(s->format, "square"))
		return bad(c, OF_EINVALID, "must be vertical, landscape or square", NULL);
	static const char *const ints[] = {"width", "height", "fps"};
	for (size_t k = 0; k < 3; k++) {
		double d;
		snprintf(c->field, sizeof c->field, "%s", ints[k]);
		if ((rc = get_num(c, root, ints[k], &d, 1, 0, 0, k == 2 ? 240 : 8192, 1)) != 0)
			return rc;
		if (k == 2 && json_object_get(root, "fps"))
			s->fps = d;
	}
	/* the pace the narration was sized for, which the voice keeps (script.speech_rate's range) */
	snprintf(c->field, sizeof c->field, "speech_rate");
	if ((rc = get_num(c, root, "speech_rate", &s->speech_rate, 0, 0, 1, 12, 0)) != 0)
		return rc;
	if ((o = json_object_get(root, "live")) && json_is_object(o)) {
		snprintf(c->field, sizeof c->field, "live.title");
		if ((rc = get_str(c, o, "title", &s->live_title, 0, OF_RENDER_MAX_TITLE_CHARS)) != 0)
			return rc;
		snprintf(c->field, sizeof c->field, "live.time");
		/* time_text is the Chinese wording the script stage prepared; time is ISO. */
		if ((rc = get_str(c, o, "time_text", &s->live_time, 0, OF_RENDER_MAX_TITLE_CHARS)) != 0)
			return rc;
		if (!s->live_time && (rc = get_str(c, o, "time", &s->live_time, 0, OF_RENDER_MAX_TITLE_CHARS)) != 0)
			return rc;
		snprintf(c->field, sizeof c->field, "live.cta");
		if ((rc = get_str(c, o, "cta", &s->live_cta, 0, OF_RENDER_MAX_TITLE_CHARS)) != 0)
			return rc;
		snprintf(c->field, sizeof c->field, "live.platform");
		if ((rc = get_str(c, o, "platform", &s->live_platform, 0, 32)) != 0)
			return rc;
	}
	if ((o = json_object_get(root, "brand")) && json_is_object(o)) {
		snprintf(c->field, sizeof c->field, "brand.name");
		if ((rc = get_str(c, o, "name", &s->brand_name, 0, 64)) != 0)
			return rc;
		snprintf(c->field, sizeof c->field, "brand.color");
		if ((rc = get_str(c, o, "color", &s->brand_color, 0, 16)) != 0)
			return rc;
	}
	return 0;
}

int of_rscript_parse(of_rscript **out, const char *data, size_t len, const char *origin, const char *dir)
{
	json_t *root = NULL;
	int rc;
	*out = NULL;
	if ((rc = of_json_parse(&root, data, len, origin, 0)) != 0)
		return rc;
	rc = of_rscript_from_json(out, root, origin, dir);
	json_decref(root);
	return rc;
}

int of_rscript_from_json(of_rscript **out, const json_t *root, const char *origin, const char *dir)
{
	of_rscript *s = NULL;
	ctx c = {origin, ""};
	int rc;

	*out = NULL;
	if (!json_is_object(root)) {
		rc = of_error_set_at(OF_EINVALID, origin, 1, 1, "script.json must be a JSON object");
		goto done;
	}
	if (!(s = calloc(1, sizeof *s)) || !(s->path = strdup(origin)) || !(s->dir = strdup(dir ? dir : "."))) {
		rc = of_error_set_oom();
		goto done;
	}
	if ((rc = parse_top(&c, root, s)) != 0)
		goto done;
	const json_t *scenes = json_object_get(root, "scenes");
	snprintf(c.field, sizeof c.field, "scenes");
	if (!scenes || !json_is_array(scenes)) {
		rc = bad(&c, OF_EINVALID, "missing or not an array", NULL);
		goto done;
	}
	size_t n = json_array_size(scenes);
	if (n == 0) {
		rc = bad(&c, OF_EINVALID, "no scenes: nothing to render", NULL);
		goto done;
	}
	if (n > OF_MAX_SCENES) {
		char msg[96];
		snprintf(msg, sizeof msg, "%zu scenes, at most %d allowed", n, OF_MAX_SCENES);
		rc = bad(&c, OF_ELIMIT, msg, NULL);
		goto done;
	}
	if (!(s->scenes = calloc(n, sizeof *s->scenes))) {
		rc = of_error_set_oom();
		goto done;
	}
	for (size_t i = 0; i < n; i++) {
		s->n_scenes = i + 1;
		if ((rc = parse_scene(&c, json_array_get(scenes, i), i, &s->scenes[i])) != 0)
			goto done;
		s->scenes[i].duration = frame_exact(s->scenes[i].duration, s->fps);
	}
	of_rscript_retime(s);
	if (s->duration > OF_MAX_VIDEO_SECONDS) {
		char msg[96];
		snprintf(msg, sizeof msg, "total %.1f s, at most %.0f s allowed", s->duration, OF_MAX_VIDEO_SECONDS);
		snprintf(c.field, sizeof c.field, "scenes");
		rc = bad(&c, OF_ELIMIT, msg, NULL);
		goto done;
	}
	const json_t *dur = json_object_get(root, "duration");
	if (dur && json_is_number(dur) && fabs(json_number_value(dur) - s->duration) > 0.05)
		of_log_warn_at(origin, 0, 0, "duration: %.3f differs from the sum of scene durations %.3f; using the sum",
			       json_number_value(dur), s->duration);
	*out = s;
	s = NULL;
	rc = 0;
done:
	of_rscript_free(s);
	return rc;
}

int of_rscript_load(of_rscript **out, const char *path)
{
	char *data = NULL, *dir = NULL;
	size_t len = 0;
	int rc;
	*out = NULL;
	if ((rc = of_file_read(&data, &len, path, OF_MAX_HTML_BYTES)) != 0)
		return rc;
	if (!(dir = of_path_dirname(path))) {
		free(data);
		return of_error_set_oom();
	}
	rc = of_rscript_parse(out, data, len, path, dir);
	free(data);
	free(dir);
	return rc;
}

void of_rscript_free(of_rscript *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n_scenes; i++) {
		of_rscene *sc = &s->scenes[i];
		free(sc->id);
		free(sc->narration);
		free(sc->caption[0]);
		free(sc->caption[1]);
		free(sc->image);
	}
	free(s->scenes);
	free(s->path);
	free(s->dir);
	free(s->title);
	free(s->format);
	free(s->live_title);
	free(s->live_time);
	free(s->live_cta);
	free(s->live_platform);
	free(s->brand_name);
	free(s->brand_color);
	free(s);
}
