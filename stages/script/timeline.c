/* timeline.c — FCPXML 1.9 for editors (Final Cut Pro, DaVinci Resolve): stills
 * as video clips on one spine, captions as titles where the video burns them in,
 * the narration and music stems as audio clips, times in frames over 30. */
#include "script/timeline.h"
#include "script/output.h"
#include "onefish/error.h"
#include "onefish/fileio.h"
#include "onefish/json.h"

#include <libxml/xmlwriter.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define W(x)                                                                                                           \
	do {                                                                                                           \
		if ((x) < 0)                                                                                           \
			goto fail;                                                                                     \
	} while (0)

static long frames_of(const json_t *o, const char *k, long fps)
{
	return lround(json_number_value(json_object_get(o, k)) * (double)fps);
}

static int attr_time(xmlTextWriterPtr w, const char *name, long frames, long fps)
{
	char t[64];
	if (frames == 0)
		snprintf(t, sizeof t, "0s");
	else
		snprintf(t, sizeof t, "%ld/%lds", frames, fps);
	return xmlTextWriterWriteAttribute(w, BAD_CAST name, BAD_CAST t);
}

/* Basic Title's Position parameter: "x y" in pixels from the frame's centre, y up. */
#define POSITION_KEY "9999/999166631/999166633/1/100/101"

/* The live-stream end card the video draws on the CTA scene instead of its caption
 * (stages/render/captions.c, build_ass): live.title, live.time_text (else live.time),
 * live.cta and live.platform, in that order, each its own line, sized relative to the
 * card's size (title_size × 0.9). 0 parts when the storyboard has no live.title and no
 * live.cta: the video then shows the scene's caption. */
typedef struct card_line {
	const char *text;
	double rel;
} card_line;

static size_t end_card(const json_t *sb, const json_t *scene, card_line out[4])
{
	const json_t *live = json_object_get(sb, "live");
	const char *kind = of_json_str(scene, "kind"), *title = of_json_str(live, "title"),
		   *time = of_json_str(live, "time_text"), *cta = of_json_str(live, "cta"),
		   *plat = of_json_str(live, "platform");
	size_t n = 0;
	if (!kind || strcmp(kind, "cta") != 0 || (!title && !cta))
		return 0;
	if (!time)
		time = of_json_str(live, "time");
	if (title)
		out[n++] = (card_line){title, 1.0};
	if (time)
		out[n++] = (card_line){time, 0.6 / 0.9};
	if (cta)
		out[n++] = (card_line){cta, 0.7 / 0.9};
	if (plat)
		out[n++] = (card_line){plat, 0.5 / 0.9};
	return n;
}

/* One text-style-def of a title: the caption font, `px` high, white, centred. */
static int style_def(xmlTextWriterPtr w, const char *id, long px)
{
	if (xmlTextWriterStartElement(w, BAD_CAST "text-style-def") < 0 ||
	    xmlTextWriterWriteAttribute(w, BAD_CAST "id", BAD_CAST id) < 0 ||
	    xmlTextWriterStartElement(w, BAD_CAST "text-style") < 0 ||
	    xmlTextWriterWriteAttribute(w, BAD_CAST "font", BAD_CAST "Noto Sans CJK SC") < 0 ||
	    xmlTextWriterWriteFormatAttribute(w, BAD_CAST "fontSize", "%ld", px) < 0 ||
	    xmlTextWriterWriteAttribute(w, BAD_CAST "fontColor", BAD_CAST "1 1 1 1") < 0 ||
	    xmlTextWriterWriteAttribute(w, BAD_CAST "alignment", BAD_CAST "center") < 0 ||
	    xmlTextWriterEndElement(w) < 0 || xmlTextWriterEndElement(w) < 0)
		return -1;
	return 0;
}

/* Basic Title's Position parameter. */
static int position(xmlTextWriterPtr w, long x, long y)
{
	if (xmlTextWriterStartElement(w, BAD_CAST "param") < 0 ||
	    xmlTextWriterWriteAttribute(w, BAD_CAST "name", BAD_CAST "Position") < 0 ||
	    xmlTextWriterWriteAttribute(w, BAD_CAST "key", BAD_CAST POSITION_KEY) < 0 ||
	    xmlTextWriterWriteFormatAttribute(w, BAD_CAST "value", "%ld %ld", x, y) < 0 || xmlTextWriterEndElement(w) < 0)
		return -1;
	return 0;
}

/* One audio stem: an asset in the resources. */
static int audio_asset(xmlTextWriterPtr w, const char *id, const char *name, const char *src, int channels,
		       const of_timeline_media *m)
{
	if (xmlTextWriterStartElement(w, BAD_CAST "asset") < 0 ||
	    xmlTextWriterWriteAttribute(w, BAD_CAST "id", BAD_CAST id) < 0 ||
	    xmlTextWriterWriteAttribute(w, BAD_CAST "name", BAD_CAST name) < 0 ||
	    xmlTextWriterWriteAttribute(w, BAD_CAST "start", BAD_CAST "0s") < 0 ||
	    xmlTextWriterWriteFormatAttribute(w, BAD_CAST "duration", "%ld/%ds", m->audio_samples, m->audio_rate) < 0 ||
	    xmlTextWriterWriteAttribute(w, BAD_CAST "hasAudio", BAD_CAST "1") < 0 ||
	    xmlTextWriterWriteAttribute(w, BAD_CAST "audioSources", BAD_CAST "1") < 0 ||
	    xmlTextWriterWriteFormatAttribute(w, BAD_CAST "audioChannels", "%d", channels) < 0 ||
	    xmlTextWriterWriteFormatAttribute(w, BAD_CAST "audioRate", "%d", m->audio_rate) < 0 ||
	    xmlTextWriterStartElement(w, BAD_CAST "media-rep") < 0 ||
	    xmlTextWriterWriteAttribute(w, BAD_CAST "kind", BAD_CAST "original-media") < 0 ||
	    xmlTextWriterWriteAttribute(w, BAD_CAST "src", BAD_CAST src) < 0 || xmlTextWriterEndElement(w) < 0 ||
	    xmlTextWriterEndElement(w) < 0)
		return -1;
	return 0;
}

/* One stem on the timeline: an asset-clip on `lane` (below the video), the whole video long. */
static int audio_clip(xmlTextWriterPtr w, const char *ref, const char *name, int lane, const char *role, long total,
		      long fps)
{
	if (xmlTextWriterStartElement(w, BAD_CAST "asset-clip") < 0 ||
	    xmlTextWriterWriteAttribute(w, BAD_CAST "ref", BAD_CAST ref) < 0 ||
	    xmlTextWriterWriteFormatAttribute(w, BAD_CAST "lane", "%d", lane) < 0 ||
	    xmlTextWriterWriteAttribute(w, BAD_CAST "name", BAD_CAST name) < 0 ||
	    attr_time(w, "offset", 0, fps) < 0 || attr_time(w, "duration", total, fps) < 0 ||
	    xmlTextWriterWriteAttribute(w, BAD_CAST "start", BAD_CAST "0s") < 0 ||
	    xmlTextWriterWriteAttribute(w, BAD_CAST "audioRole", BAD_CAST role) < 0 || xmlTextWriterEndElement(w) < 0)
		return -1;
	return 0;
}

int of_script_write_timeline(const json_t *sb, const char *out_dir, const of_timeline_media *media)
{
	const json_t *scenes = json_object_get(sb, "scenes");
	long fps = (long)json_integer_value(json_object_get(sb, "fps"));
	long width = (long)json_integer_value(json_object_get(sb, "width"));
	long height = (long)json_integer_value(json_object_get(sb, "height"));
	const char *title = of_json_str(sb, "title");
	xmlBufferPtr buf = xmlBufferCreate();
	xmlTextWriterPtr w = buf ? xmlNewTextWriterMemory(buf, 0) : NULL;
	const char **assets = NULL;
	size_t n_assets = 0, i, j;
	long total = 0, offset = 0, font_px, ml, mr, mv;
	double card_px;
	char tmp[512];
	int rc = OF_ERROR;
	if (fps <= 0)
		fps = 30;
	/* the titles' size is the video's caption size (as subtitles.ass has it) */
	if ((rc = of_script_caption_layout(sb, width, height, &font_px, &ml, &mr, &mv)) < 0 ||
	    (rc = of_script_card_size(sb, width, height, &card_px)) < 0)
		goto done;
	if (!w || !(assets = calloc(json_array_size(scenes) + 1, sizeof *assets))) {
		rc = of_error_set_oom();
		goto done;
	}
	/* the video's lengths when it was rendered (scenes lengthened for their narration) */
	if (media && media->frames && media->n_scenes != json_array_size(scenes))
		media = NULL;
	const long *vframes = media ? media->frames : NULL;
	int narration = media && media->narration_src && media->audio_samples > 0 && media->audio_rate > 0;
	int music = media && media->music_src && media->audio_samples > 0 && media->audio_rate > 0;
	for (i = 0; i < json_array_size(scenes); i++)
		total += vframes ? vframes[i] : frames_of(json_array_get(scenes, i), "duration", fps);
	W(xmlTextWriterSetIndent(w, 1));
	W(xmlTextWriterSetIndentString(w, BAD_CAST "  "));
	W(xmlTextWriterStartDocument(w, "1.0", "UTF-8", NULL));
	W(xmlTextWriterWriteDTD(w, BAD_CAST "fcpxml", NULL, NULL, NULL));
	W(xmlTextWriterStartElement(w, BAD_CAST "fcpxml"));
	W(xmlTextWriterWriteAttribute(w, BAD_CAST "version", BAD_CAST "1.9"));
	W(xmlTextWriterStartElement(w, BAD_CAST "resources"));
	W(xmlTextWriterStartElement(w, BAD_CAST "format"));
	W(xmlTextWriterWriteAttribute(w, BAD_CAST "id", BAD_CAST "r1"));
	/* Only standard sizes have a named format; a vertical frame is a custom one (no name). */
	if (width == 1920 && height == 1080) {
		snprintf(tmp, sizeof tmp, "FFVideoFormat1080p%ld", fps);
		W(xmlTextWriterWriteAttribute(w, BAD_CAST "name", BAD_CAST tmp));
	}
	W(attr_time(w, "frameDuration", 1, fps));
	W(xmlTextWriterWriteFormatAttribute(w, BAD_CAST "width", "%ld", width));
	W(xmlTextWriterWriteFormatAttribute(w, BAD_CAST "height", "%ld", height));
	W(xmlTextWriterEndElement(w));
	/* Titles need an effect to instance: the stock "Basic Title". */
	W(xmlTextWriterStartElement(w, BAD_CAST "effect"));
	W(xmlTextWriterWriteAttribute(w, BAD_CAST "id", BAD_CAST "r2"));
	W(xmlTextWriterWriteAttribute(w, BAD_CAST "name", BAD_CAST "Basic Title"));
	W(xmlTextWriterWriteAttribute(w, BAD_CAST "uid",
				      BAD_CAST ".../Titles.localized/Bumper:Opener.localized/Basic Title.localized/"
					       "Basic Title.moti"));
	W(xmlTextWriterEndElement(w));
	for (i = 0; i < json_array_size(scenes); i++) {
		const char *img = of_json_str(json_array_get(scenes, i), "image");
		if (!img || !*img)
			continue;
		for (j = 0; j < n_assets && strcmp(assets[j], img) != 0; j++)
			;
		if (j < n_assets)
			continue;
		assets[n_assets++] = img;
		W(xmlTextWriterStartElement(w, BAD_CAST "asset"));
		W(xmlTextWriterWriteFormatAttribute(w, BAD_CAST "id", "a%zu", n_assets));
		W(xmlTextWriterWriteAttribute(w, BAD_CAST "name", BAD_CAST of_path_basename(img)));
		W(xmlTextWriterWriteAttribute(w, BAD_CAST "start", BAD_CAST "0s"));
		W(xmlTextWriterWriteAttribute(w, BAD_CAST "duration", BAD_CAST "0s"));
		W(xmlTextWriterWriteAttribute(w, BAD_CAST "hasVideo", BAD_CAST "1"));
		W(xmlTextWriterWriteAttribute(w, BAD_CAST "format", BAD_CAST "r1"));
		W(xmlTextWriterStartElement(w, BAD_CAST "media-rep"));
		W(xmlTextWriterWriteAttribute(w, BAD_CAST "kind", BAD_CAST "original-media"));
		/* a URL, as the audio assets' src: a name with a space, # or % is percent-encoded */
		char *enc = of_path_url_encode(img);
		if (!enc) {
			rc = of_error_set_oom();
			goto done;
		}
		snprintf(tmp, sizeof tmp, "./%s", enc);
		free(enc);
		W(xmlTextWriterWriteAttribute(w, BAD_CAST "src", BAD_CAST tmp));
		W(xmlTextWriterEndElement(w));
		W(xmlTextWriterEndElement(w));
	}
	if (narration)
		W(audio_asset(w, "r3", "narration.wav", media->narration_src,
			      media->narration_channels > 0 ? media->narration_channels : 1, media));
	if (music)
		W(audio_asset(w, "r4", "music.wav", media->music_src, media->music_channels > 0 ? media->music_channels : 2,
			      media));
	W(xmlTextWriterEndElement(w)); /* resources */
	W(xmlTextWriterStartElement(w, BAD_CAST "library"));
	W(xmlTextWriterStartElement(w, BAD_CAST "event"));
	W(xmlTextWriterWriteAttribute(w, BAD_CAST "name", BAD_CAST "onefish"));
	W(xmlTextWriterStartElement(w, BAD_CAST "project"));
	W(xmlTextWriterWriteAttribute(w, BAD_CAST "name", BAD_CAST(title && *title ? title : "storyboard")));
	W(xmlTextWriterStartElement(w, BAD_CAST "sequence"));
	W(xmlTextWriterWriteAttribute(w, BAD_CAST "format", BAD_CAST "r1"));
	W(attr_time(w, "duration", total, fps));
	W(xmlTextWriterWriteAttribute(w, BAD_CAST "tcStart", BAD_CAST "0s"));
	W(xmlTextWriterWriteAttribute(w, BAD_CAST "tcFormat", BAD_CAST "NDF"));
	if (narration || music) {
		W(xmlTextWriterWriteAttribute(w, BAD_CAST "audioLayout", BAD_CAST "stereo"));
		W(xmlTextWriterWriteAttribute(w, BAD_CAST "audioRate", BAD_CAST(media->audio_rate == 44100 ? "44.1k" : "48k")));
	}
	W(xmlTextWriterStartElement(w, BAD_CAST "spine"));
	for (i = 0; i < json_array_size(scenes); i++) {
		const json_t *s = json_array_get(scenes, i);
		const char *img = of_json_str(s, "image");
		long dur = vframes ? vframes[i] : frames_of(s, "duration", fps);
		const json_t *cap = json_object_get(s, "caption");
		card_line card[4];
		size_t n_card = end_card(sb, s, card);
		for (j = 0; img && j < n_assets && strcmp(assets[j], img) != 0; j++)
			;
		if (img && *img && j < n_assets) {
			W(xmlTextWriterStartElement(w, BAD_CAST "video"));
			W(xmlTextWriterWriteFormatAttribute(w, BAD_CAST "ref", "a%zu", j + 1));
		} else {
			W(xmlTextWriterStartElement(w, BAD_CAST "gap"));
		}
		W(xmlTextWriterWriteAttribute(w, BAD_CAST "name", BAD_CAST of_json_str(s, "id")));
		W(attr_time(w, "offset", offset, fps));
		W(attr_time(w, "duration", dur, fps));
		W(xmlTextWriterWriteAttribute(w, BAD_CAST "start", BAD_CAST "0s"));
		/* the stems run under the whole video, connected to its first clip */
		if (i == 0 && narration)
			W(audio_clip(w, "r3", "narration", -1, "dialogue", total, fps));
		if (i == 0 && music)
			W(audio_clip(w, "r4", "music", narration ? -2 : -1, "music", total, fps));
		if (n_card > 0) {
			/* What the video shows on this scene: its end card, centred between the side
			 * margins, one line per part, each at the card's size for it. */
			W(xmlTextWriterStartElement(w, BAD_CAST "title"));
			W(xmlTextWriterWriteAttribute(w, BAD_CAST "ref", BAD_CAST "r2"));
			W(xmlTextWriterWriteAttribute(w, BAD_CAST "lane", BAD_CAST "1"));
			W(xmlTextWriterWriteAttribute(w, BAD_CAST "name", BAD_CAST "end card"));
			W(attr_time(w, "offset", 0, fps));
			W(attr_time(w, "duration", dur, fps));
			W(position(w, lround((double)(ml + (width - mr)) / 2.0 - (double)width / 2.0), 0));
			W(xmlTextWriterStartElement(w, BAD_CAST "text"));
			/* the runs are the text: no indentation between them, which would be text too */
			W(xmlTextWriterSetIndent(w, 0));
			for (size_t k = 0; k < n_card; k++) {
				W(xmlTextWriterStartElement(w, BAD_CAST "text-style"));
				W(xmlTextWriterWriteFormatAttribute(w, BAD_CAST "ref", "ts%zu-%zu", i + 1, k + 1));
				W(xmlTextWriterWriteString(w, BAD_CAST card[k].text));
				if (k + 1 < n_card)
					W(xmlTextWriterWriteString(w, BAD_CAST "\n"));
				W(xmlTextWriterEndElement(w));
			}
			W(xmlTextWriterEndElement(w)); /* text */
			W(xmlTextWriterSetIndent(w, 1));
			for (size_t k = 0; k < n_card; k++) {
				snprintf(tmp, sizeof tmp, "ts%zu-%zu", i + 1, k + 1);
				W(style_def(w, tmp, lround(card_px * card[k].rel)));
			}
			W(xmlTextWriterEndElement(w)); /* title */
		} else if (json_array_size(cap) > 0) {
			char text[1024] = "";
			size_t at = 0, k;
			for (k = 0; k < json_array_size(cap); k++)
				at += (size_t)snprintf(text + at, sizeof text - at > 0 ? sizeof text - at : 0, "%s%s",
						       k ? "\n" : "", json_string_value(json_array_get(cap, k)));
			W(xmlTextWriterStartElement(w, BAD_CAST "title"));
			W(xmlTextWriterWriteAttribute(w, BAD_CAST "ref", BAD_CAST "r2"));
			W(xmlTextWriterWriteAttribute(w, BAD_CAST "lane", BAD_CAST "1"));
			W(xmlTextWriterWriteAttribute(w, BAD_CAST "name", BAD_CAST "caption"));
			W(attr_time(w, "offset", 0, fps));
			W(attr_time(w, "duration", dur, fps));
			/* Where the video burns it in (subtitles.ass: bottom centre of the safe zone,
			 * MarginV from the bottom): the title's centre, lines of the font size. */
			{
				double cx = (double)(ml + (width - mr)) / 2.0 - (double)width / 2.0;
				double cy = (double)height / 2.0 - (double)mv -
					    (double)json_array_size(cap) * (double)font_px / 2.0;
				W(position(w, lround(cx), -lround(cy)));
			}
			W(xmlTextWriterStartElement(w, BAD_CAST "text"));
			W(xmlTextWriterStartElement(w, BAD_CAST "text-style"));
			W(xmlTextWriterWriteFormatAttribute(w, BAD_CAST "ref", "ts%zu", i + 1));
			W(xmlTextWriterWriteString(w, BAD_CAST text));
			W(xmlTextWriterEndElement(w));
			W(xmlTextWriterEndElement(w));
			snprintf(tmp, sizeof tmp, "ts%zu", i + 1);
			W(style_def(w, tmp, font_px));
			W(xmlTextWriterEndElement(w)); /* title */
		}
		W(xmlTextWriterEndElement(w)); /* video */
		offset += dur;
	}
	W(xmlTextWriterEndDocument(w));
	xmlFreeTextWriter(w);
	w = NULL;
	{
		char *p = of_path_join(out_dir, "timeline.fcpxml");
		rc = p ? of_file_write_atomic(p, xmlBufferContent(buf), (size_t)xmlBufferLength(buf)) : of_error_set_oom();
		free(p);
	}
	goto done;
fail:
	rc = of_error_set(OF_ERROR, "timeline.fcpxml: XML writer failed");
done:
	if (w)
		xmlFreeTextWriter(w);
	if (buf)
		xmlBufferFree(buf);
	free(assets);
	return rc;
}
