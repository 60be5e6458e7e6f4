/* prompts_read.c — one comment log into the prompts model, parsed in a
 * limited worker (sandbox.h) unless isolation is off. The worker sends each
 * comment as a binary frame of the comment model; the parent rebuilds the
 * of_comment and calls the same callback, so the model, the messages and the
 * outputs are the same byte for byte either way. */
#include "prompts_read.h"
#include "onefish/error.h"
#include "onefish/limits.h"
#include "onefish/sandbox.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { FR_COMMENT = 'C', FR_STATS = 'S' };
#define MAX_FRAME ((size_t)64 << 20)      /* a comment is capped far below; user names by the line cap */
#define MEMORY_PER_INPUT_BYTE 16          /* a JSON log becomes a jansson tree about 10x its size */

/* Fixed part of a comment frame; the strings follow: id, user_id, user_name (each NUL-ended), text. */
typedef struct rec_head {
	uint64_t line;
	double time, wall, weight;
	uint32_t id_len, uid_len, uname_len, text_len;
	int32_t mode;
	uint8_t kind, has_id, host, emotes_only, moderator;
} rec_head;

typedef struct job {
	const char *path;
	const of_comments_options *co;
} job;

/* ---- worker side ---- */

static int send_comment(const of_comment *c, void *payload)
{
	of_sandbox_out *out = payload;
	rec_head h;
	size_t len;
	memset(&h, 0, sizeof h);
	h.line = c->line;
	h.time = c->time;
	h.wall = c->wall;
	h.weight = c->weight;
	h.has_id = c->id != NULL;
	h.id_len = c->id ? (uint32_t)strlen(c->id) : 0;
	h.uid_len = (uint32_t)strlen(c->user_id);
	h.uname_len = (uint32_t)strlen(c->user_name);
	h.text_len = (uint32_t)c->text_len;
	h.mode = c->mode;
	h.kind = (uint8_t)c->kind;
	h.host = c->host ? 1 : 0;
	h.emotes_only = c->emotes_only ? 1 : 0;
	h.moderator = c->moderator ? 1 : 0;
	if ((size_t)h.id_len + h.uid_len + h.uname_len + c->text_len + sizeof h + 3 > MAX_FRAME)
		return of_error_set_at(OF_ELIMIT, c->path, c->line, 0, "comment record too large");
	len = sizeof h + h.id_len + 1 + h.uid_len + 1 + h.uname_len + 1 + h.text_len;
	/* the payload assembled once and sent in one call: on the stack for the usual comment */
	char stack[1024], *fr = len <= sizeof stack ? stack : malloc(len), *o = fr;
	int rc;
	if (!fr)
		return of_error_set_oom();
	memcpy(o, &h, sizeof h);
	o += sizeof h;
	memcpy(o, c->id ? c->id : "", h.id_len + 1);
	o += h.id_len + 1;
	memcpy(o, c->user_id, h.uid_len + 1);
	o += h.uid_len + 1;
	memcpy(o, c->user_name, h.uname_len + 1);
	o += h.uname_len + 1;
	memcpy(o, c->text, c->text_len);
	rc = of_sandbox_send_frame(out, FR_COMMENT, fr, len);
	if (fr != stack)
		free(fr);
	return rc;
}

static int worker(of_sandbox_out *out, void *arg)
{
	const job *j = arg;
	of_comments_stats st;
	int rc;
	memset(&st, 0, sizeof st);
	rc = of_comments_load(j->path, j->co, send_comment, out, &st);
	if (rc > 0)
		rc = OF_ERROR;
	/* the counts go back even when the read failed: the summary says what was read, as in-process */
	if (of_sandbox_send_frame(out, FR_STATS, &st, sizeof st) != 0 && rc == 0)
		rc = OF_ERROR;
	return rc;
}

/* ---- parent side ---- */

typedef struct sink_ctx {
	const char *path;
	of_comment_cb cb;
	void *payload;
	of_comments_stats *stats;
} sink_ctx;

static int broken(const sink_ctx *s)
{
	return of_error_set_at(OF_ERROR, s->path, 0, 0, "worker sent a broken comment record");
}

static int take_frame(void *ctx, char tag, const char *p, size_t n)
{
	sink_ctx *s = ctx;
	if (tag == FR_STATS) {
		of_comments_stats st;
		if (n != sizeof st)
			return broken(s);
		memcpy(&st, p, sizeof st);
		s->stats->records += st.records;
		s->stats->bad += st.bad;
		s->stats->ignored += st.ignored;
		s->stats->control_removed += st.control_removed;
		s->stats->invalid_utf8 += st.invalid_utf8;
		s->stats->too_long += st.too_long;
		s->stats->truncated += st.truncated;
		s->stats->gb18030 += st.gb18030;
		s->stats->utf16 += st.utf16;
		s->stats->out_of_order += st.out_of_order;
		s->stats->format = st.format;
		if (st.start_wall > 0)
			s->stats->start_wall = st.start_wall;
		if (st.platform[0] && memchr(st.platform, 0, sizeof st.platform)) /* a worker's string: terminated */
			memcpy(s->stats->platform, st.platform, sizeof st.platform);
		return 0;
	}
	rec_head h;
	of_comment c;
	const char *q;
	if (tag != FR_COMMENT || n < sizeof h)
		return broken(s);
	memcpy(&h, p, sizeof h);
	if ((uint64_t)sizeof h + h.id_len + h.uid_len + h.uname_len + h.text_len + 3 != n)
		return broken(s);
	q = p + sizeof h;
	/* every field named (a memset of the struct is a `rep stos` per comment) */
	c = (of_comment){.path = s->path,
			 .line = (unsigned long)h.line,
			 .id = h.has_id ? q : NULL,
			 .time = h.time,
			 .wall = h.wall,
			 .user_id = q + h.id_len + 1,
			 .user_name = q + h.id_len + 1 + h.uid_len + 1,
			 .text = q + h.id_len + 1 + h.uid_len + 1 + h.uname_len + 1,
			 .text_len = h.text_len,
			 .kind = (of_comment_kind)h.kind,
			 .weight = h.weight,
			 .mode = h.mode,
			 .host = h.host,
			 .emotes_only = h.emotes_only,
			 .moderator = h.moderator};
	if (c.id && c.id[h.id_len])
		return broken(s);
	return s->cb ? s->cb(&c, s->payload) : 0;
}

int of_prompts__read_log(const char *path, const of_comments_options *co, const of_run_flags *flags,
			 of_comment_cb cb, void *payload, of_comments_stats *stats)
{
	of_sandbox_limits lim = OF_SANDBOX_LIMITS_INIT;
	sink_ctx s;
	job j = {path, co};
	struct stat sb;
	int rc;
	if (!flags || flags->no_isolate)
		return of_comments_load(path, co, cb, payload, stats);
	lim.cpu_seconds = flags->parse_cpu_seconds;
	lim.memory_bytes = flags->parse_memory_mb ? flags->parse_memory_mb << 20 : OF_PARSE_MEMORY_BYTES;
	if (!flags->parse_memory_mb && stat(path, &sb) == 0 && sb.st_size > 0)
		lim.memory_bytes += (size_t)sb.st_size * MEMORY_PER_INPUT_BYTE;
	memset(&s, 0, sizeof s);
	s.path = path;
	s.cb = cb;
	s.payload = payload;
	s.stats = stats;
	of_sandbox_frames f = {take_frame, &s, path, "comment record", MAX_FRAME, NULL, 0, 0};
	rc = of_sandbox_frames_end(&f, of_sandbox_run(path, &lim, worker, &j, of_sandbox_frames_sink, &f));
	return rc;
}
