/* pages.c — a body shot whose narration is longer than one caption (2 lines of
 * 14 字) becomes several scenes, one caption page each, so the captions on
 * screen say everything the voice says: same photo, the motion continued across
 * them, joined by cuts. The video stage draws one caption per scene, so this is
 * where the whole narration reaches the screen. */
#include "script/pages.h"
#include "script/caption.h"
#include "script/clause.h"
#include "script/frames.h"
#include "onefish/error.h"
#include "onefish/json.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PAGES 64

static double r3(double x)
{
	return round(x * 1000.0) / 1000.0;
}

/* The sources a page's words came from: those sharing words with it (all when none does). */
static json_t *page_sources(const json_t *sources, const char *page)
{
	json_t *out = json_array();
	size_t i;
	for (i = 0; out && i < json_array_size(sources); i++) {
		const char *t = of_json_str(json_array_get(sources, i), "text");
		if (t && of_clause_shares_bigram(page, t))
			json_array_append(out, json_array_get(sources, i));
	}
	if (out && json_array_size(out) == 0) {
		json_decref(out);
		out = json_deep_copy(sources);
	}
	return out;
}

/* Splits `s` (frames long) into the pages ends[0..np) of its narration; appends the parts to `out`. */
static int split_scene(json_t *out, const json_t *s, const of_segmenter *seg, const size_t *ends, size_t np,
		       long frames, double fps)
{
	const char *narr = of_json_str(s, "narration");
	const json_t *motion = json_object_get(s, "motion");
	const char *mtype = of_json_str(motion, "type");
	double from = json_number_value(json_object_get(motion, "from"));
	double to = json_number_value(json_object_get(motion, "to"));
	double w[MAX_PAGES], wsum = 0;
	long fr[MAX_PAGES], given = 0, at = 0;
	size_t k, a = 0;
	/* A pan restarts at every scene; a zoom can go on from where the last part stopped. */
	if (!mtype || strcmp(mtype, "pan") == 0 || !json_is_number(json_object_get(motion, "from"))) {
		mtype = "zoom_in";
		from = 1.0;
		to = 1.12;
	}
	for (k = 0; k < np; k++) {
		w[k] = of_spoken_units(narr + a, ends[k] - a) + 0.5;
		wsum += w[k];
		a = ends[k];
	}
	for (k = 0; k < np; k++) {
		fr[k] = (long)floor((double)frames * w[k] / wsum);
		if (fr[k] < 1)
			fr[k] = 1;
		given += fr[k];
	}
	for (k = 0; given < frames; k = (k + 1) % np, given++)
		fr[k]++;
	for (k = np; given > frames && k-- > 0;)
		while (given > frames && fr[k] > 1) {
			fr[k]--;
			given--;
		}
	a = 0;
	for (k = 0; k < np; k++) {
		size_t b = ends[k], x = a, y = b;
		while (x < y && narr[x] == ' ')
			x++;
		while (y > x && narr[y - 1] == ' ')
			y--;
		char *page = strndup(narr + x, y - x);
		json_t *p = json_deep_copy(s);
		json_t *cap = page ? of_caption_json(seg, page, strlen(page)) : NULL;
		json_t *src = page ? page_sources(json_object_get(s, "sources"), page) : NULL;
		double t0 = (double)at / (double)frames, t1 = (double)(at + fr[k]) / (double)frames;
		double dur = (double)fr[k] / fps;
		if (!page || !p || !cap || !src) {
			free(page);
			json_decref(p);
			json_decref(cap);
			json_decref(src);
			return of_error_set_oom();
		}
		json_object_set_new(p, "duration", json_real(r3(dur)));
		json_object_set_new(p, "narration", json_string(page));
		json_object_set_new(p, "caption", cap);
		json_object_set_new(p, "sources", src);
		json_object_set_new(p, "motion",
				    json_pack("{s:s, s:f, s:f, s:O*}", "type", mtype, "from", r3(from + (to - from) * t0), "to",
					      r3(from + (to - from) * t1), "pan", json_object_get(motion, "pan")));
		if (k > 0) {
			json_object_set_new(p, "transition", json_pack("{s:s, s:f}", "type", "cut", "duration", 0.0));
		} else {
			/* the shot's crossfade, no longer than a quarter of this first part */
			json_t *tr = json_object_get(p, "transition");
			double td = json_number_value(json_object_get(tr, "duration"));
			if (json_is_object(tr) && td > dur / 4)
				json_object_set_new(tr, "duration", json_real(r3(dur / 4)));
		}
		free(page);
		json_array_append_new(out, p);
		at += fr[k];
		a = b;
	}
	return 0;
}

int of_script_paginate(json_t *sb, const of_segmenter *seg)
{
	json_t *scenes = json_object_get(sb, "scenes"), *out = json_array();
	double fps = (double)json_integer_value(json_object_get(sb, "fps"));
	size_t i;
	int rc = 0;
	if (!out)
		return of_error_set_oom();
	if (fps <= 0)
		fps = 30;
	for (i = 0; i < json_array_size(scenes) && rc == 0; i++) {
		const json_t *s = json_array_get(scenes, i);
		const char *kind = of_json_str(s, "kind"), *narr = of_json_str(s, "narration");
		long frames = lround(json_number_value(json_object_get(s, "duration")) * fps);
		size_t ends[MAX_PAGES], np = 0;
		if (kind && strcmp(kind, "body") == 0 && narr &&
		    (rc = of_caption_pages(seg, narr, strlen(narr), OF_CAPTION_LINE_MAX, OF_CAPTION_LINES_MAX, ends,
					   MAX_PAGES, &np)) < 0)
			break;
		if (np > 1 && frames >= (long)np) {
			rc = split_scene(out, s, seg, ends, np, frames, fps);
			continue;
		}
		json_t *c = json_deep_copy(s);
		/* a body scene's caption is its whole narration */
		if (c && np == 1) {
			json_t *cap = of_caption_json(seg, narr, strlen(narr));
			if (cap)
				json_object_set_new(c, "caption", cap);
			else
				rc = of_error_set_oom();
		}
		if (!c || json_array_append_new(out, c) < 0)
			rc = of_error_set_oom();
	}
	if (rc < 0) {
		json_decref(out);
		return rc;
	}
	/* ids and starts follow the new order; a start is its frame boundary rounded once
	 * (frames.h), summed the way of_storyboard_load() recomputes it, so an unedited
	 * script loads unchanged and the total is the frame count's */
	double t = 0;
	for (i = 0; i < json_array_size(out); i++) {
		json_t *s = json_array_get(out, i);
		char id[24];
		snprintf(id, sizeof id, "s%02zu", i + 1);
		json_object_set_new(s, "id", json_string(id));
		json_object_set_new(s, "start", json_real(r3(t)));
		t += of_script_frame_exact(json_number_value(json_object_get(s, "duration")), fps);
	}
	json_object_set_new(sb, "scenes", out);
	json_object_set_new(sb, "duration", json_real(r3(t)));
	return 0;
}
