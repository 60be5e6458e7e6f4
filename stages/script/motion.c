/* motion.c — Ken Burns moves for the planned scenes: one per shot, continued across scenes
 * that keep the same photo. */
#include "script/motion.h"
#include "onefish/fileio.h"
#include "onefish/json.h"

#include <math.h>
#include <string.h>

double of_script__r3(double x)
{
	return round(x * 1000.0) / 1000.0;
}

/* A scene's own move. `dur` is the scene's length and `run_dur` that of the
 * shot it opens (the scene and the ones after it that go on on the same photo,
 * see continue_motion): the shot zooms at one speed throughout, the speed this
 * scene alone would have had, unless that would take it past 1.3 by the end of
 * the shot; then slower. */
json_t *of_script__motion_json(size_t i, int kind, const char *image, double dur, double run_dur)
{
	static const double pans[][2] = {{0.5, 0.4}, {0.35, 0.5}, {0.65, 0.45}, {0.5, 0.6}, {0.4, 0.35}, {0.6, 0.6}};
	static const char *const types[] = {"zoom_in", "pan", "zoom_out"};
	unsigned long long h = of_xxh64(image ? image : "", image ? strlen(image) : 0, 7);
	const double *p = pans[(h + i) % 6];
	const char *t = kind == 0 ? "zoom_in" : kind == 2 ? "zoom_out" : types[(i + h) % 3];
	double span = kind == 0 ? 0.15 : 0.12, from, to;
	if (strcmp(t, "pan") == 0)
		return json_pack("{s:s, s:f, s:f, s:[f,f]}", "type", t, "from", 1.1, "to", 1.1, "pan", p[0], p[1]);
	if (run_dur > dur && dur > 0) {
		double total = span * run_dur / dur; /* the whole shot at this scene's speed */
		if (total > 0.3)
			total = 0.3;
		span = total * dur / run_dur;
		if (strcmp(t, "zoom_out") == 0)
			return json_pack("{s:s, s:f, s:f, s:[f,f]}", "type", t, "from", of_script__r3(1.0 + total), "to",
					 of_script__r3(1.0 + total - span), "pan", p[0], p[1]);
	}
	from = strcmp(t, "zoom_out") == 0 ? 1.0 + span : 1.0;
	to = strcmp(t, "zoom_out") == 0 ? 1.0 : 1.0 + span;
	return json_pack("{s:s, s:f, s:f, s:[f,f]}", "type", t, "from", of_script__r3(from), "to", of_script__r3(to), "pan", p[0], p[1]);
}

/* The move of a scene that goes on showing the previous scene's photo: from the
 * scale that move ended at, towards the same point, so the first frame is the
 * last frame before the cut, and at the same speed, since to the viewer it is
 * one shot (a 1.0→1.15 zoom over 2.5 s then 0.06 over 5 s read as a sudden
 * slow-down; motion_json sized the shot so the speed can hold). After a pan,
 * which has no zoom to go on with, a gentle zoom in. */
json_t *of_script__continue_motion(const json_t *prev, double prev_dur, double dur)
{
	const char *type = of_json_str(prev, "type");
	double from = json_number_value(json_object_get(prev, "to"));
	double pfrom = json_number_value(json_object_get(prev, "from")), to;
	const json_t *pan = json_object_get(prev, "pan");
	if (type && strcmp(type, "pan") == 0 && from < 1.05)
		from = 1.12; /* the renderer gives a pan room to move */
	if (!(from >= 1.0 && from <= 1.4))
		from = 1.0;
	if (type && strcmp(type, "pan") != 0 && prev_dur > 0 && isfinite(pfrom) && pfrom != from)
		to = from + (from - pfrom) / prev_dur * dur;
	else
		to = from + 0.1 <= 1.4 ? from + 0.1 : from - 0.1; /* a third scene may have zoomed far enough */
	to = fmin(1.4, fmax(1.0, to));
	return json_pack("{s:s, s:f, s:f, s:o}", "type", to >= from ? "zoom_in" : "zoom_out", "from", of_script__r3(from), "to",
			 of_script__r3(to), "pan", json_is_array(pan) ? json_deep_copy(pan) : json_pack("[f,f]", 0.5, 0.5));
}
