/* rewrite.c — the LLM engine: the offline storyboard is sent for a spoken-style
 * rewrite of its narration; the answer is validated scene by scene and applied
 * only as a whole, so a bad answer can never produce a half-rewritten script. */
#include "script/rewrite.h"
#include "script/caption.h"
#include "onefish/error.h"
#include "onefish/json.h"
#include "onefish/llm.h"
#include "onefish/log.h"
#include "onefish/template.h"

#include <stdlib.h>
#include <string.h>

int of_script_apply_rewrite(json_t *sb, const char *answer, const of_segmenter *seg)
{
	json_t *ans = NULL, *scenes = json_object_get(sb, "scenes"), *got;
	double rate = json_number_value(json_object_get(sb, "speech_rate"));
	size_t i, n = json_array_size(scenes);
	const char *start, *end;
	int rc = 0;
	if (rate <= 0)
		rate = 4.0;
	/* Models wrap JSON in prose or ``` fences: take the outermost object. */
	start = answer ? strchr(answer, '{') : NULL;
	end = answer ? strrchr(answer, '}') : NULL;
	if (!start || !end || end < start)
		return of_error_set(OF_EINVALID, "LLM answer holds no JSON object");
	if ((rc = of_json_parse(&ans, start, (size_t)(end - start + 1), "llm answer", 0)) < 0)
		return rc;
	got = json_object_get(ans, "scenes");
	if (!json_is_array(got) || json_array_size(got) != n) {
		rc = of_error_set(OF_EINVALID, "LLM answer: expected %zu scene%s, got %zu", n, n == 1 ? "" : "s",
				  json_array_size(got));
		goto done;
	}
	for (i = 0; i < n; i++) {
		const json_t *g = json_array_get(got, i), *s = json_array_get(scenes, i);
		const char *id = of_json_str(g, "id"), *narr = of_json_str(g, "narration");
		double limit = json_number_value(json_object_get(s, "duration")) * rate;
		if (!id || strcmp(id, of_json_str(s, "id")) != 0) {
			rc = of_error_set(OF_EINVALID, "LLM answer: scene %zu has id %s, expected %s", i + 1,
					  id ? id : "(none)", of_json_str(s, "id"));
			goto done;
		}
		if (!narr || of_spoken_units(narr, strlen(narr)) < 1) {
			rc = of_error_set(OF_EINVALID, "LLM answer: scene %s has no narration", id);
			goto done;
		}
		if (of_spoken_units(narr, strlen(narr)) > limit) {
			rc = of_error_set(OF_EINVALID, "LLM answer: scene %s narration is %.0f 字, over its %.0f 字 budget",
					  id, of_spoken_units(narr, strlen(narr)), limit);
			goto done;
		}
	}
	for (i = 0; i < n; i++) {
		json_t *s = json_array_get(scenes, i);
		const char *narr = of_json_str(json_array_get(got, i), "narration");
		json_t *cap = NULL;
		if (strcmp(of_json_str(s, "kind") ? of_json_str(s, "kind") : "", "cta") != 0 &&
		    !(cap = of_caption_json(seg, narr, strlen(narr)))) {
			rc = of_error_set_oom();
			goto done;
		}
		json_object_set_new(s, "narration", json_string(narr));
		if (cap)
			json_object_set_new(s, "caption", cap);
	}
	json_object_set_new(sb, "engine", json_string("llm"));
done:
	json_decref(ans);
	return rc;
}

int of_script_rewrite_llm(json_t *sb, const of_script_options *o, const of_segmenter *seg, of_stage_stats *st)
{
	of_llm_options lo = OF_LLM_OPTIONS_INIT;
	json_t *brief = json_array(), *scenes = json_object_get(sb, "scenes"), *live = json_object_get(sb, "live");
	char *scenes_txt = NULL, *prompt = NULL, *answer = NULL, live_txt[512];
	size_t i;
	int rc;
	double rate = json_number_value(json_object_get(sb, "speech_rate"));
	if (!brief)
		return of_error_set_oom();
	for (i = 0; i < json_array_size(scenes); i++) {
		const json_t *s = json_array_get(scenes, i);
		json_array_append_new(brief, json_pack("{s:s?, s:s?, s:i, s:s?}", "id", of_json_str(s, "id"), "kind",
						       of_json_str(s, "kind"),
						       "limit", (int)(json_number_value(json_object_get(s, "duration")) * rate),
						       "narration", of_json_str(s, "narration")));
	}
	scenes_txt = of_json_dump(brief);
	json_decref(brief);
	snprintf(live_txt, sizeof live_txt, "%s %s %s", of_json_str(live, "title") ? of_json_str(live, "title") : "",
		 of_json_str(live, "time_text") ? of_json_str(live, "time_text") : "",
		 of_json_str(live, "cta") ? of_json_str(live, "cta") : "");
	const char *kv[] = {"title", of_json_str(sb, "title") ? of_json_str(sb, "title") : "", "live", live_txt,
			    "scenes", scenes_txt ? scenes_txt : "[]", NULL};
	rc = of_template_render_asset(&prompt, "prompts/script_rewrite.txt", kv);
	if (rc == 0) {
		of_llm_message msg = {"user", prompt};
		of_llm_options_from_flags(&lo, &o->flags);
		lo.temperature = 0; /* same article, same script */
		rc = of_llm_chat(&answer, &msg, 1, &lo);
	}
	if (rc == 0)
		rc = of_script_apply_rewrite(sb, answer, seg);
	if (rc == OF_ENOMEM) {
		free(scenes_txt);
		free(prompt);
		free(answer);
		return rc;
	}
	if (rc < 0) {
		of_log(OF_LOG_WARN, "script: LLM engine failed (%s); using the offline script", of_error_last()->message);
		st->warnings++;
	}
	free(scenes_txt);
	free(prompt);
	free(answer);
	return 0;
}
