/* limits.h — every input cap in one place, each with the reason it exists.
 * Config may lower a limit; raising one is deliberate and logged. */
#ifndef ONEFISH_LIMITS_H
#define ONEFISH_LIMITS_H

/** Largest input file read into memory: a week of posts or a comment log fits easily. */
#define OF_MAX_FILE_BYTES ((size_t)512 * 1024 * 1024)
/** Largest config file: onefish.yaml is hand-written; anything bigger is a mistake or an attack. */
#define OF_MAX_CONFIG_BYTES ((size_t)1024 * 1024)
/** Largest single line in a line-based format (JSONL, IRC, CSV record). */
#define OF_MAX_LINE_BYTES ((size_t)8 * 1024 * 1024)
/** Largest text of one post; a Moments post is at most a few thousand characters. */
#define OF_MAX_POST_BYTES ((size_t)1024 * 1024)
/** Most posts in one run (the bench uses 100,000). */
#define OF_MAX_POSTS ((size_t)2000000)
/** Largest Markdown given to cmark: 0.30.2 has quadratic paths (CVE-2023-22486). */
#define OF_MAX_MARKDOWN_BYTES ((size_t)256 * 1024)
/** Largest HTML page parsed (real WeChat pages are 2-4 MB with inline JS). */
#define OF_MAX_HTML_BYTES ((size_t)16 * 1024 * 1024)
/** JSON nesting depth (jansson's own cap is 2048; ours is far lower: no format needs more). */
#define OF_MAX_JSON_DEPTH 64
/** YAML nesting depth for onefish.yaml. */
#define OF_MAX_YAML_DEPTH 32
/** YAML alias expansions: stops "billion laughs" anchors. */
#define OF_MAX_YAML_ALIASES 64
/** Largest decoded image: 16 Mpx (4096x4096); a 16000x16000 PNG would take 1 GB. */
#define OF_MAX_IMAGE_PIXELS ((long long)16777216LL * 4)
/** Largest image file. */
#define OF_MAX_IMAGE_BYTES ((size_t)64 * 1024 * 1024)
/** Most scenes in one storyboard. */
#define OF_MAX_SCENES 500
/** Longest video, seconds. */
#define OF_MAX_VIDEO_SECONDS 1200.0
/** Most comments in one log (the bench uses 1,000,000). */
#define OF_MAX_COMMENTS ((size_t)20000000)
/** Longest single comment, bytes. */
#define OF_MAX_COMMENT_BYTES ((size_t)64 * 1024)
/** A comment's time offset, in seconds from the log's start, at most a year either way
 *  (a stream, or a video's danmaku, is hours long; a chat log may span weeks). */
#define OF_MAX_COMMENT_OFFSET (366 * 86400)
/** A comment's wall time: a Unix time before the year 10000. */
#define OF_MAX_WALL_TIME 253402300799.0
/** HTTP: redirects followed (curl 7.88 follows unlimited by default). */
#define OF_MAX_REDIRECTS 5
/** HTTP: largest download. */
#define OF_MAX_DOWNLOAD_BYTES ((size_t)32 * 1024 * 1024)
/** HTTP: whole-transfer timeout, seconds. */
#define OF_HTTP_TIMEOUT_S 30
/** Longest path we build. */
#define OF_MAX_PATH 4096

/* ---- network (stages/common/http.c, llm.c, fetch_cache.c) ---- */
/** Longest URL accepted: real links are < 500 bytes; a 100 KB URL is an attack or an accident. */
#define OF_MAX_URL_BYTES 2048
/** HTTP: connect timeout, seconds (curl's default is 300). */
#define OF_HTTP_CONNECT_TIMEOUT_S 10
/** HTTP: an untrusted transfer slower than this many bytes/s for LOW_SPEED_TIME is dropped (slowloris). */
#define OF_HTTP_LOW_SPEED_BYTES 64
/** HTTP: seconds of low speed before an untrusted transfer is dropped. */
#define OF_HTTP_LOW_SPEED_TIME_S 10
/** LLM: largest chat answer body (a 32k-token answer is ~200 KB of JSON). */
#define OF_MAX_LLM_ANSWER_BYTES ((size_t)8 * 1024 * 1024)
/** LLM: largest cached answer file read back. */
#define OF_MAX_LLM_CACHE_BYTES ((size_t)16 * 1024 * 1024)
/** LLM: longest wait between retries, seconds, whatever Retry-After asks. */
#define OF_LLM_MAX_WAIT_S 60.0

/* ---- pack (pipeline/pack*.c) ---- */
/** Most files one stage may read or write in a pack (images included). */
#define OF_MAX_PACK_FILES 10000
/** Most packs in one `onefish run` invocation. */
#define OF_MAX_PACKS 10000
/** Largest manifest.json / article.trace.json / script.md read back by the pipeline. */
#define OF_MAX_PACK_META_BYTES ((size_t)64 * 1024 * 1024)
/* ---- script stage (article → storyboard) ---- */
/** Most '[' in one Markdown article: cmark 0.30.2 is quadratic on repeated "![[]()" (CVE-2023-22486);
 * 20,000 keeps the worst case near 0.3 s, and real articles have a few dozen. */
#define OF_MAX_MARKDOWN_BRACKETS 20000
/** Longest sentence used as narration (a spoken sentence is far shorter; longer ones are symbol walls). */
#define OF_MAX_SENTENCE_BYTES ((size_t)2048)
/** Remote images downloaded for one storyboard (a WeChat page can link a hundred). */
#define OF_MAX_REMOTE_IMAGES 24
/** Largest YAML front matter of an article (title, summary, tags, sources fit in a few KiB). */
#define OF_MAX_FRONT_MATTER_BYTES ((size_t)64 * 1024)
/** Most attributes in one HTML tag: libxml2 2.9.14 is quadratic there (SAFE-INPUT: 20,000 take ~1 s). */
#define OF_MAX_HTML_ATTRIBUTES 1000
/** Longest paragraph kept as narration source, bytes. */
#define OF_MAX_PARAGRAPH_BYTES ((size_t)64 * 1024)
/** Target length of a storyboard, seconds, for `--duration`, `script.duration` and the library
 * alike: under 5 s no hook, body scene and call to action fit; 10 minutes is past any short video. */
#define OF_MIN_SCRIPT_SECONDS 5
#define OF_MAX_SCRIPT_SECONDS 600

/* --- voice (narration, music, mix) --- */
/** Longest narration text spoken in one of_voice_say() call: a scene's narration is a few hundred bytes. */
#define OF_MAX_NARRATION_BYTES ((size_t)64 * 1024)
/** Most sentences in one narration text. */
#define OF_MAX_NARRATION_SENTENCES 2000
/** Longest narration of one scene, in code points (script.json and a script.md 口播 cell). */
#define OF_MAX_NARRATION_CHARS 2000
/** Longest audio decoded or synthesised, seconds: no track is longer than the longest video. */
#define OF_MAX_AUDIO_SECONDS OF_MAX_VIDEO_SECONDS
/** Largest TTS answer (one sentence of WAV at 48 kHz stereo is well under 4 MB). */
#define OF_MAX_TTS_BYTES ((size_t)32 * 1024 * 1024)
/** Highest input sample rate and channel count accepted from a decoded audio file or TTS answer. */
#define OF_MAX_AUDIO_RATE 192000
#define OF_MAX_AUDIO_CHANNELS 8

/* --- prompts (comment logs) --- */
/** Warnings printed per comment log; the rest are only counted (a dump full of \x08 stays readable). */
#define OF_MAX_WARNINGS_PER_LOG 20
/** Longest bilibili `p` attribute: 9 short fields fit in 100 bytes; longer is not a danmaku row. */
#define OF_MAX_DANMAKU_P_BYTES 511
/** Longest `raw` attribute read on a live recording's <d> (BililiveRecorder: the platform's DANMU_MSG
 * `info` array, about 2 KB); a longer one is left unread, as if absent. */
#define OF_MAX_DANMAKU_RAW_BYTES ((size_t)64 * 1024)
/** Columns read from a CSV comment log (more is not a comment export). */
#define OF_MAX_CSV_COLUMNS 64
/** With a forced `--format`, this many bad records in a row from a log's start, none read, end its
 * read with one message: the format is wrong, not the records (a danmaku XML read as JSONL fails on
 * every line, and printed 21 warnings before saying so). A log that reads later keeps them all. */
#define OF_FORCED_FORMAT_TRIES 10
/** Question clusters a brief keeps (`--top`, `prompts.top`): a week's posts, not a survey. */
#define OF_MAX_PROMPTS_TOP 100
/** A .gz comment log may expand at most this many times its compressed size: real danmaku and
 * chat logs compress 5-15x, a 194 KB bomb expanding to 200 MB is 1000x (SAFE-INPUT 5). */
#define OF_MAX_GZIP_RATIO 64
/** ...but the ratio cap never goes below this many decompressed bytes (a tiny .gz is harmless). */
#define OF_MIN_GZIP_CAP ((size_t)1024 * 1024)

/* hardening */
/** Attributes on one HTML/XML element: libxml2 2.9.14 is quadratic in them
 * (10,000: 0.1 s; 200,000: over 60 s); real pages use a handful. */
#define OF_MAX_MARKUP_ATTRS 10000
/** Lists/quotes opened on one Markdown line: cmark 0.30.2 takes 15 s on "- " x 30,000
 * (under the size cap); no real post nests more than a few levels. */
#define OF_MAX_MARKDOWN_NESTING 100
/** Block quotes opened on one Markdown line: cheap alone, slow with emphasis inside
 * ('>' x 30,000 + 'a*' x 30,000: 3.4 s); 10,000 stays under a second. */
#define OF_MAX_MARKDOWN_QUOTES 10000
/** Entries read from one folder when an image name is looked for with its letters' case ignored
 * (posts_image.c): a pack's images/ holds hundreds; a bigger folder is not searched that way. */
#define OF_MAX_CASE_SCAN_ENTRIES 100000
/** Longest HTML `srcset` attribute read (posts_srcset.c): a real one lists a few sizes of one
 * picture in well under 2 KB; longer is an inline data: URI or junk, and is not read. */
#define OF_MAX_SRCSET_BYTES ((size_t)16 * 1024)
/** Most candidates in one `srcset` (WordPress writes up to about ten sizes). */
#define OF_MAX_SRCSET_CANDIDATES 64

/* ---- worker isolation (stages/common/sandbox.c) ---- */
/** CPU seconds one untrusted parse may use in its worker: the 512 MB largest log parses in about
 * 10 s; the known super-linear paths of libxml2 2.9.14 and cmark 0.30.2 run for minutes. */
#define OF_PARSE_CPU_SECONDS 30.0
/** Address space a worker may add to what the process already maps (RLIMIT_AS): the streaming XML
 * reader needs a few MB, a JSON tree about 10x its file (the caller adds that per input). */
#define OF_PARSE_MEMORY_BYTES ((size_t)1024 * 1024 * 1024)
/** Wall-clock seconds before a worker is killed whatever it does: it may wait on a slow parent
 * reading its records, but a child stuck on a lock inherited at fork must still end. */
#define OF_PARSE_WALL_SECONDS 600
/** Bytes a worker may send back (a record stream is about the size of its log plus 60 bytes a record). */
#define OF_MAX_WORKER_RESULT_BYTES ((size_t)2048 * 1024 * 1024)
/** Largest weight of one comment (a superchat's amount): "$" and sixty nines is not a payment, and a
 *  weight is summed into a float and written as a JSON number, which has no inf. */
#define OF_MAX_COMMENT_WEIGHT 1e9

/** The part-of-speech dictionary caption line breaks read (jieba's dict.txt is 5 MB). */
#define OF_MAX_POS_DICT_BYTES ((size_t)32 * 1024 * 1024)

#endif
