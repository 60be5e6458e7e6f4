/* error.c — thread-local last-error store. */
#include "onefish/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static _Thread_local of_error tls_error;

/* Messages and paths often quote input bytes (a config value, jansson's "near
 * '...'"): keep them on one line and free of terminal escape sequences. */
static void scrub(char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '\n' || c == '\r' || c == '\t')
			*s = ' ';
		else if (c < 0x20 || c == 0x7F)
			*s = '?';
	}
}

/* A file being written atomically is ".NAME.tmp-XXXXXX" beside NAME
 * (of_file_write_atomic): a message names NAME, the file the user knows. */
static void untemp(char *s)
{
	for (char *p = s; (p = strstr(p, ".tmp-")) != NULL;) {
		char *dot = p;
		while (dot > s && dot[-1] != '/' && dot[-1] != ' ' && dot[-1] != '\'' && dot[-1] != '`')
			dot--;
		size_t k = 0;
		while (k < 6 && ((p[5 + k] >= 'a' && p[5 + k] <= 'z') || (p[5 + k] >= 'A' && p[5 + k] <= 'Z') ||
				 (p[5 + k] >= '0' && p[5 + k] <= '9')))
			k++;
		if (*dot != '.' || dot + 1 >= p || k != 6) {
			p += 5;
			continue;
		}
		/* ".NAME.tmp-XXXXXX" → "NAME": drop the dot before and the 11 bytes after NAME */
		char *after = p + 11;
		memmove(p, after, strlen(after) + 1);
		memmove(dot, dot + 1, strlen(dot + 1) + 1);
		p = dot;
	}
}

static void set_path(const char *path)
{
	if (path) {
		snprintf(tls_error.path, sizeof tls_error.path, "%s", path);
		scrub(tls_error.path);
		untemp(tls_error.path);
	} else {
		tls_error.path[0] = '\0';
	}
}

int of_error_set(int code, const char *fmt, ...)
{
	va_list ap;
	char msg[sizeof tls_error.message];
	/* Format first: the arguments may point into tls_error (re-wrapping an error). */
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	scrub(msg);
	untemp(msg);
	tls_error.code = code;
	tls_error.path[0] = '\0';
	tls_error.line = tls_error.col = 0;
	memcpy(tls_error.message, msg, sizeof msg);
	return code;
}

int of_error_set_at(int code, const char *path, unsigned long line, unsigned long col,
		    const char *fmt, ...)
{
	va_list ap;
	char msg[sizeof tls_error.message];
	/* fmt args may point into tls_error itself (re-wrapping an error), so format first. */
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	scrub(msg);
	untemp(msg);
	if (path != tls_error.path)
		set_path(path);
	tls_error.code = code;
	tls_error.line = line;
	tls_error.col = col;
	memcpy(tls_error.message, msg, sizeof msg);
	return code;
}

int of_error_set_oom(void)
{
	static const char oom[] = "out of memory";
	tls_error.code = OF_ENOMEM;
	tls_error.path[0] = '\0';
	tls_error.line = tls_error.col = 0;
	memcpy(tls_error.message, oom, sizeof oom);
	return OF_ENOMEM;
}

const of_error *of_error_last(void)
{
	return &tls_error;
}

void of_error_clear(void)
{
	memset(&tls_error, 0, sizeof tls_error);
}

const char *of_error_format(const of_error *e, char *buf, size_t n)
{
	if (!n)
		return buf;
	if (e->path[0] && e->line && e->col)
		snprintf(buf, n, "%s:%lu:%lu: %s", e->path, e->line, e->col, e->message);
	else if (e->path[0] && e->line)
		snprintf(buf, n, "%s:%lu: %s", e->path, e->line, e->message);
	else if (e->path[0])
		snprintf(buf, n, "%s: %s", e->path, e->message);
	else
		snprintf(buf, n, "%s", e->message[0] ? e->message : of_error_name(e->code));
	return buf;
}

const char *of_error_name(int code)
{
	switch (code) {
	case OF_OK: return "success";
	case OF_ERROR: return "failure";
	case OF_ENOTFOUND: return "not found";
	case OF_EINVALID: return "invalid input";
	case OF_ELIMIT: return "limit exceeded";
	case OF_ENET: return "network error";
	case OF_EMEDIA: return "media error";
	case OF_ENOMEM: return "out of memory";
	case OF_EUSAGE: return "wrong usage";
	case OF_EINTR: return "interrupted";
	default: return "unknown error";
	}
}
