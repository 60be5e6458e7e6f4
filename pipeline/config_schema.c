/* config_schema.c — every key onefish.yaml accepts. Documented in docs/config.md.
 * Each area keeps its keys in its own block so parallel changes do not collide. */
#include "onefish/config.h"
#include "onefish/limits.h"

const of_config_key of_config_schema[] = {
	/* pack */
	{"name", OF_CFG_STRING, 0, 0, NULL, "pack name (default: the folder name)"},
	{"week", OF_CFG_WEEK, 0, 0, NULL, "ISO week of the posts, e.g. 2026-W47 (time window)"},
	{"since", OF_CFG_TIME, 0, 0, NULL, "only posts at or after this date/time"},
	{"until", OF_CFG_TIME, 0, 0, NULL, "only posts before this date/time"},
	{"theme", OF_CFG_STRING, 0, 0, "warm|fresh|minimal", "article/WeChat theme name in assets/themes/"},
	{"engine", OF_CFG_STRING, 0, 0, "offline|llm", "text engine"},
	{"posts", OF_CFG_STRING_LIST, 0, 0, NULL, "posts file(s) or folder(s), relative to the pack"},
	{"comments", OF_CFG_STRING_LIST, 0, 0, NULL, "live comment log file(s), relative to the pack"},
	{"strict", OF_CFG_BOOL, 0, 0, NULL, "fail on any bad record"},

	/* limits: worker isolation of untrusted parsers (stages/common/sandbox.c) */
	{"limits", OF_CFG_MAP, 0, 0, NULL, "resource limits for parsing untrusted inputs"},
	{"limits.isolate", OF_CFG_BOOL, 0, 0, NULL, "parse each input in a limited worker process (default true)"},
	{"limits.parse_cpu_seconds", OF_CFG_NUMBER, 0.1, 3600, NULL, "CPU seconds one input may take (default 30)"},
	{"limits.parse_memory_mb", OF_CFG_INT, 16, 65536, NULL, "memory one input's parse may add, MB (default 1024; comment logs + 16x the file)"},

	/* brand */
	{"brand", OF_CFG_MAP, 0, 0, NULL, "the brand"},
	{"brand.name", OF_CFG_STRING, 0, 64, NULL, "brand name (at most 64 characters)"},
	{"brand.account", OF_CFG_STRING, 0, 0, NULL, "WeChat official account name"},
	{"brand.color", OF_CFG_COLOR, 0, 0, NULL, "brand colour, #RRGGBB"},
	{"brand.slogan", OF_CFG_STRING, 0, 0, NULL, "brand slogan"},
	{"brand.audience", OF_CFG_STRING, 0, 0, NULL, "who the viewers are, as the post prompts name them (宝妈, 姐妹们, 钓友); default 观众"},
	{"brand.logo", OF_CFG_STRING, 0, 0, NULL, "logo image path"},

	/* live stream */
	{"live", OF_CFG_MAP, 0, 0, NULL, "the live stream the content promotes"},
	{"live.title", OF_CFG_STRING, 0, 120, NULL, "live stream title (at most 120 characters: the video's end card)"},
	{"live.time", OF_CFG_TIME, 0, 0, NULL, "start time, ISO 8601"},
	{"live.platform", OF_CFG_STRING, 0, 32, NULL, "platform (视频号, 抖音, B站, ...; at most 32 characters)"},
	{"live.cta", OF_CFG_STRING, 0, 120, NULL, "call to action wording (预约...; at most 120 characters)"},
	{"live.url", OF_CFG_URL, 0, 0, NULL,
	 "booking link (http/https), given in the article's closing (default: the link in a post announcing the live)"},

	/* article */
	{"article", OF_CFG_MAP, 0, 0, NULL, "article stage"},
	{"article.min_chars", OF_CFG_INT, 100, 20000, NULL, "target minimum length in 字"},
	{"article.max_chars", OF_CFG_INT, 100, 50000, NULL, "target maximum length in 字"},
	{"article.script", OF_CFG_STRING, 0, 0, "simplified|traditional", "output Chinese script"},
	{"article.cta", OF_CFG_STRING, 0, 0, NULL, "closing call to action"},
	{"article.title", OF_CFG_STRING, 0, 0, NULL, "fixed title (default: composed)"},
	{"article.theme", OF_CFG_STRING, 0, 0, "warm|fresh|minimal", "WeChat theme (default: theme, else warm)"},
	{"article.image_base_url", OF_CFG_URL, 0, 0, NULL,
	 "where the article's images/ folder is uploaded; the WeChat HTML then links the images there"},
	{"article.absolute_dates", OF_CFG_BOOL, 0, 0, NULL, "date 今晚/昨晚/这周四 from each post's time (default true)"},

	/* script */
	{"script", OF_CFG_MAP, 0, 0, NULL, "script stage"},
	{"script.duration", OF_CFG_NUMBER, OF_MIN_SCRIPT_SECONDS, OF_MAX_SCRIPT_SECONDS, NULL, "target video length, seconds"},
	{"script.speech_rate", OF_CFG_NUMBER, 1, 12, NULL, "narration speed, 字 per second (the espeak-ng voice keeps it too)"},
	{"script.fetch_images", OF_CFG_BOOL, 0, 0, NULL, "download the http(s) images of an article (default true)"},

	/* video */
	{"video", OF_CFG_MAP, 0, 0, NULL, "video stage"},
	{"video.preset", OF_CFG_STRING, 0, 0, "vertical|landscape|square", "frame size preset"},
	{"video.fps", OF_CFG_INT, 1, 120, NULL, "frames per second"},
	{"video.crf", OF_CFG_INT, 0, 51, NULL, "x264 CRF"},
	{"video.x264_preset", OF_CFG_STRING, 0, 0,
	 "ultrafast|superfast|veryfast|faster|fast|medium|slow|slower|veryslow", "x264 preset"},
	{"video.music", OF_CFG_STRING, 0, 0, NULL, "background music file"},
	{"video.font", OF_CFG_STRING, 0, 0, NULL, "caption font family (fontconfig name)"},
	{"video.fill", OF_CFG_STRING, 0, 0, "blur|cover", "how photos of another aspect fill the frame"},
	{"video.threads", OF_CFG_INT, 1, 16, NULL, "x264 threads (fixed, so output is byte-identical on any machine)"},

	/* voice */
	{"voice", OF_CFG_MAP, 0, 0, NULL, "narration"},
	{"voice.engine", OF_CFG_STRING, 0, 0, "espeak|tts|none", "narration engine"},
	{"voice.name", OF_CFG_STRING, 0, 0, NULL, "espeak-ng voice (default cmn-latn-pinyin: Mandarin; cmn means it too)"},
	{"voice.rate", OF_CFG_INT, 80, 450, NULL,
	 "espeak-ng words per minute, over the storyboard's speech_rate (default 184 for Chinese voices, 4 字/s, or the speed that gives the script's speech_rate; else espeak-ng's 175)"},

	/* prompts */
	{"prompts", OF_CFG_MAP, 0, 0, NULL, "prompts stage"},
	{"prompts.top", OF_CFG_INT, 1, OF_MAX_PROMPTS_TOP, NULL, "how many question clusters to keep"},
	{"prompts.format", OF_CFG_STRING, 0, 0, "auto|bilibili|youtube|irc|csv|jsonl|xlsx", "comment log format"},
	{"prompts.streamer", OF_CFG_STRING, 0, 0, NULL, "host user ids/names, comma-separated (their comments are answers)"},
	{"prompts.flood_window", OF_CFG_NUMBER, 0, 3600, NULL, "seconds: same text by the same user within it is a flood"},
	{"prompts.similarity", OF_CFG_NUMBER, 0.1, 1, NULL, "Jaccard threshold for question candidates (a content check follows)"},
	{"prompts.csv_text", OF_CFG_STRING, 0, 0, NULL, "CSV logs: name of the text column (default: found by name)"},
	{"prompts.csv_time", OF_CFG_STRING, 0, 0, NULL, "CSV logs: name of the time column (seconds or h:mm:ss)"},
	{"prompts.csv_user", OF_CFG_STRING, 0, 0, NULL, "CSV logs: name of the user column"},

	/* llm */
	{"llm", OF_CFG_MAP, 0, 0, NULL, "OpenAI-compatible chat endpoint for --engine llm"},
	{"llm.endpoint", OF_CFG_STRING, 0, 0, NULL, "base URL, e.g. http://127.0.0.1:11434/v1"},
	{"llm.model", OF_CFG_STRING, 0, 0, NULL, "model name"},
	{"llm.api_key_env", OF_CFG_STRING, 0, 0, NULL, "environment variable holding the API key"},
	{"llm.timeout", OF_CFG_NUMBER, 1, 600, NULL, "request timeout, seconds"},
	{"llm.max_tokens", OF_CFG_INT, 16, 32768, NULL, "answer length cap"},

	/* tts */
	{"tts", OF_CFG_MAP, 0, 0, NULL, "OpenAI-compatible /v1/audio/speech endpoint"},
	{"tts.endpoint", OF_CFG_STRING, 0, 0, NULL, "base URL"},
	{"tts.model", OF_CFG_STRING, 0, 0, NULL, "model name"},
	{"tts.voice", OF_CFG_STRING, 0, 0, NULL, "voice name"},
	{"tts.api_key_env", OF_CFG_STRING, 0, 0, NULL, "environment variable holding the API key"},
	{"tts.timeout", OF_CFG_NUMBER, 1, 600, NULL, "request timeout, seconds"},

	{NULL, 0, 0, 0, NULL, NULL}
};
