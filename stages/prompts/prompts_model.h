/* prompts_model.h — private to stages/prompts: the in-memory model of one run
 * (comments, unique texts, users, clusters) shared by the miner and writers. */
#ifndef ONEFISH_PROMPTS_MODEL_H
#define ONEFISH_PROMPTS_MODEL_H

#include "prompts_int.h"
#include "onefish/comments.h"

#include <stdint.h>

#define PR_NONE 0xFFFFFFFFu
#define PR_FLOOD 1u
#define PR_STREAMER 2u
#define PR_ECHO_USED 4u
#define PR_HOST_BADGE 8u /* the platform marked the sender as the channel's owner (of_comment.host) */
#define PR_MOD_BADGE 16u /* ... as one of the channel's moderators (of_comment.moderator) */
#define PR_MODERATOR 32u /* with PR_STREAMER: the sender is staff as a moderator, not the host */

/* One distinct comment text with its analysis (real logs repeat a lot: analysed once). */
typedef struct pr_text {
	uint64_t hash;
	size_t raw, norm, key; /* arena offsets */
	uint32_t raw_len;
	uint8_t intent, rule, myth, topic; /* topic: a complaint's or purchase's (of_lexicons__topic), 0 none */
} pr_text;

/* One comment, in input order. */
typedef struct pr_item {
	uint32_t text, user, file, line;
	size_t id; /* arena offset, or (size_t)-1 */
	double time;
	float weight;
	uint8_t kind, intent, rule, flags;
	uint32_t cluster; /* index into clusters (ranked), PR_NONE */
} pr_item;

typedef struct pr_user {
	size_t id, name; /* arena offsets */
} pr_user;

typedef struct pr_cluster {
	uint32_t first_item; /* the earliest member (input order) */
	uint32_t rep_text;   /* representative text */
	uint8_t intent, myth;
	const char *topic; /* a complaint or purchase cluster's topic (owned by the lexicons), or NULL */
	size_t count, users, echoes;
	size_t superchats; /* of its comments, paid messages */
	double weight, first, peak;
	size_t peak_n; /* members in the peak minute: below 2 the asks are spread out, no peak */
	uint32_t examples[5];
	size_t n_examples;
	uint32_t answers[2]; /* streamer answers (pr_text index) */
	uint8_t answer_by_mod[2]; /* 1: that answer was a moderator's, not the host's */
	size_t n_answers;
	char *prompt;   /* rendered post prompt (malloc'd) */
	char *lint;     /* copy lint findings, "term→suggestion; ..." (malloc'd) or NULL */
	const char *tmpl;
	char id[16];
} pr_cluster;

typedef struct pr_file {
	const char *path;
	of_comments_format format;
	size_t comments;
	const char *encoding; /* "gb18030" or "utf-16" when converted to UTF-8, else NULL */
	double start_wall;    /* Unix time of its offset 0 when its header gives it (live recorders), else 0 */
	double shift;         /* seconds added to its times to line it up with the other parts */
	char platform[16];    /* the site a live recorder's header names ("" when it names none) */
} pr_file;

typedef struct pr_model {
	char *arena;
	size_t arena_len, arena_cap;
	pr_text *texts;
	size_t n_texts, cap_texts;
	pr_item *items;
	size_t n_items, cap_items;
	pr_user *users;
	size_t n_users, cap_users;
	pr_cluster *clusters; /* ranked */
	size_t n_clusters;
	pr_file *files;
	size_t n_files;
	size_t by_intent[OF_INTENT_COUNT];
	size_t by_rule[OF_RULE_COUNT];
	size_t floods, streamer_comments, echoes_attached;
	size_t moderator_comments; /* the channel's moderators' lines: staff like the host's, counted apart */
	size_t superchats; /* paid messages (bilibili 醒目留言, YouTube Super Chat) */
	of_comments_stats cst;
	double t_min, t_max;
	double t_from; /* where the stream's duration counts from: t_min before it is put on a whole minute */
	char md_sha[65]; /* sha256 of the prompts.md written (prompts.json records it), "" before */
} pr_model;

static inline const char *pr_str(const pr_model *m, size_t off) { return m->arena + off; }

/* Writers (prompts_write.c, prompts_svg.c). Each writes atomically; 0 or OF_ERROR. */
int of_prompts__write_json(const pr_model *m, const of_prompts_options *o, const char *path);
int of_prompts__write_md(const pr_model *m, const of_prompts_options *o, const char *path);

/* A host answer without its label ("主播：", "【主播】", a short "X:"), as the
 * brief quotes it after its own label. Points into `s`. */
const char *of_prompts__answer_body(const char *s);
int of_prompts__write_comments(const pr_model *m, const char *path);
int of_prompts__write_next_posts(const pr_model *m, const of_prompts_options *o, const char *path);
/* comments.svg's actionable colour into `out` ("#RRGGBB"): `brand` (brand.color) when it is
 * #RRGGBB, else #E8734A; darkened until it reads on white (contrast ≥ 3:1). */
void of_prompts__accent(const char *brand, char out[8]);
int of_prompts__write_svg(const pr_model *m, const of_prompts_options *o, const char *path);

/* "m:ss" / "h:mm:ss" into buf. */
const char *of_prompts__clock(double secs, char *buf, size_t n);

/* When the cluster was asked, for prompts.md and the prompts: "首次 15:54，集中在
 * 29:00 前后，一分钟内 3 条" when the asks bunch up (of_prompts__concentrated;
 * a comma, not brackets, since the prompts quote this inside brackets),
 * else "首次 4:51，之后分散在整场" (naming a minute that held 2 of 10 asks would
 * send the editor to a random minute). */
/* Whether the asks bunch up: one minute held at least 2 of them and at least
 * a third of all (2 of 10 in one minute is a recurring question, not a peak). */
int of_prompts__concentrated(const pr_cluster *c);
const char *of_prompts__when(const pr_cluster *c, char *buf, size_t n);
/* The 高峰 cell of the table: the peak's clock, 分散, or — for a single comment. */
const char *of_prompts__peak_label(const pr_cluster *c, char *buf, size_t n);

/* The template name for a cluster (qa, myth, product, apology, request). */
const char *of_prompts__template(const pr_cluster *c);

#endif
