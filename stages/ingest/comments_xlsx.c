/* comments_xlsx.c — comment exports saved as Excel workbooks (.xlsx, Office
 * Open XML): the first worksheet is read as a table with a header row and goes
 * through the CSV reader's column mapping (of_comments__read_table). libzip
 * opens the package from memory. Every part is read under a cap of 64 times the
 * workbook's size (as for gzip: a ZIP bomb stops there) and the file cap;
 * libxml2's streaming reader parses the parts, behind a scan that refuses a
 * DOCTYPE (so no entity is ever declared) and elements with too many
 * attributes. The sheet itself is streamed from the archive, never held whole. */
#include "comments_int.h"
#include "onefish/buf.h"
#include "onefish/error.h"
#include "onefish/guard.h"
#include "onefish/limits.h"

#include <libxml/xmlreader.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zip.h>

/* Shared strings and styles are held whole; a sheet is streamed. */
#define XLSX_MAX_STRINGS ((size_t)4 * 1024 * 1024)

typedef struct xlsx {
	of_creader *r;
	zip_t *za;
	size_t cap;      /* bytes per part, uncompressed */
	int ratio_capped; /* `cap` is 64 times the workbook's size (the message then says "bomb") */
	char **strings;  /* xl/sharedStrings.xml, by index */
	size_t n_strings;
	unsigned char *date_style; /* per cellXfs index: a date or time format */
	size_t n_styles;
	zip_file_t *sheet;   /* the first worksheet, streamed */
	const char *sheet_name;
	size_t sheet_read;   /* bytes inflated so far */
	char carry[8];       /* the previous chunk's last bytes, for the DOCTYPE scan */
	size_t n_carry;
	of_markup_guard guard;
	int io_error;        /* an error is set: the reader stops */
	xmlTextReaderPtr rd;
	size_t ncols;    /* the header row's width: later rows are cut or padded to it */
	unsigned long next_row;
	int done;
} xlsx;

static const char *cap_note(const xlsx *x)
{
	return x->ratio_capped ? " (64 times the workbook's size: a ZIP bomb?)" : "";
}

static void silent(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

/* Opens one part for reading, refusing it when the size the archive declares
 * is over the cap. `*declared` gets that size, or 0 when the archive gives none.
 * @return 0, 1 when the part is absent, or an error. */
static int open_part(xlsx *x, const char *name, zip_file_t **zf, size_t *declared)
{
	zip_stat_t st;
	zip_int64_t idx = zip_name_locate(x->za, name, 0);
	*zf = NULL;
	*declared = 0;
	if (idx < 0)
		return 1;
	zip_stat_init(&st);
	if (zip_stat_index(x->za, (zip_uint64_t)idx, 0, &st) != 0)
		return of_error_set_at(OF_EINVALID, x->r->origin, 0, 0, "workbook part %s: %s", name, zip_strerror(x->za));
	if ((st.valid & ZIP_STAT_SIZE) && st.size > x->cap)
		return of_error_set_at(OF_ELIMIT, x->r->origin, 0, 0, "workbook part %s expands to %llu bytes, over the %zu-byte cap%s",
				       name, (unsigned long long)st.size, x->cap, cap_note(x));
	if (!(*zf = zip_fopen_index(x->za, (zip_uint64_t)idx, 0)))
		return of_error_set_at(OF_EINVALID, x->r->origin, 0, 0, "workbook part %s: %s", name, zip_strerror(x->za));
	*declared = (st.valid & ZIP_STAT_SIZE) ? (size_t)st.size : 0;
	return 0;
}

/* Reads one part into a NUL-terminated buffer. @return 0, 1 when the part is
 * absent, or an error (OF_ELIMIT past the cap, OF_EINVALID for a bad entry). */
static int read_part(xlsx *x, const char *name, char **out, size_t *len)
{
	zip_file_t *zf;
	char *buf;
	size_t n = 0, size;
	int rc;
	*out = NULL;
	*len = 0;
	if ((rc = open_part(x, name, &zf, &size)) != 0)
		return rc;
	/* the declared size, and one byte more to see a lie; the cap counts what comes out */
	size = size ? size + 1 : 65536;
	if (!(buf = malloc(size + 1))) {
		zip_fclose(zf);
		return of_error_set_oom();
	}
	for (;;) {
		zip_int64_t got;
		if (n == size) {
			size_t more = size * 2 < x->cap + 1 ? size * 2 : x->cap + 1;
			char *g = more > size ? realloc(buf, more + 1) : NULL;
			if (!g) {
				free(buf);
				zip_fclose(zf);
				return more > size ? of_error_set_oom()
						   : of_error_set_at(OF_ELIMIT, x->r->origin, 0, 0,
								     "workbook part %s is over the %zu-byte cap%s", name, x->cap,
								     cap_note(x));
			}
			buf = g;
			size = more;
		}
		got = zip_fread(zf, buf + n, size - n);
		if (got < 0) {
			free(buf);
			rc = of_error_set_at(OF_EINVALID, x->r->origin, 0, 0, "workbook part %s: %s", name,
						 zip_file_strerror(zf));
			zip_fclose(zf);
			return rc;
		}
		if (got == 0)
			break;
		n += (size_t)got;
		if (n > x->cap) {
			free(buf);
			zip_fclose(zf);
			return of_error_set_at(OF_ELIMIT, x->r->origin, 0, 0, "workbook part %s is over the %zu-byte cap%s", name,
					       x->cap, cap_note(x));
		}
	}
	zip_fclose(zf);
	buf[n] = 0;
	*out = buf;
	*len = n;
	return 0;
}

/* A reader over one part, refusing what no spreadsheet holds: a DOCTYPE (and
 * so any entity), and elements with more attributes than the markup guard allows. */
static int open_xml(xlsx *x, const char *name, const char *data, size_t len, xmlTextReaderPtr *out)
{
	*out = NULL;
	if (memmem(data, len, "<!DOCTYPE", 9) || memmem(data, len, "<!ENTITY", 8))
		return of_error_set_at(OF_EINVALID, x->r->origin, 0, 0,
				       "workbook part %s has a DOCTYPE: not allowed (entities and external DTDs are never loaded)",
				       name);
	if (of_guard_markup(data, len, x->r->origin, OF_MAX_MARKUP_ATTRS) != 0)
		return of_error_last()->code;
	*out = xmlReaderForMemory(data, (int)len, name, NULL,
				  XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES);
	if (!*out)
		return of_error_set_oom();
	xmlTextReaderSetErrorHandler(*out, NULL, NULL);
	return 0;
}

static int is(xmlTextReaderPtr rd, int type, const char *local)
{
	const xmlChar *n;
	return xmlTextReaderNodeType(rd) == type && (n = xmlTextReaderConstLocalName(rd)) != NULL &&
	       strcmp((const char *)n, local) == 0;
}

static int xml_failed(xlsx *x, const char *name, xmlTextReaderPtr rd)
{
	return of_error_set_at(OF_EINVALID, x->r->origin, 0, 0, "workbook part %s is not well-formed XML (near its line %d)",
			       name, xmlTextReaderGetParserLineNumber(rd));
}

/* xl/sharedStrings.xml: <si><t>text</t></si> or rich text <si><r><t>a</t></r><r><t>b</t></r></si>;
 * phonetic runs (<rPh>) are not part of the text. */
static int load_strings(xlsx *x)
{
	static const char part[] = "xl/sharedStrings.xml";
	char *data;
	size_t len, cap = 0;
	xmlTextReaderPtr rd;
	of_buf cur;
	int rc, ret, in_si = 0, in_t = 0, in_rph = 0;
	if ((rc = read_part(x, part, &data, &len)) != 0)
		return rc > 0 ? 0 : rc; /* a workbook of numbers and inline strings has none */
	if ((rc = open_xml(x, part, data, len, &rd)) != 0) {
		free(data);
		return rc;
	}
	of_buf_init(&cur, x->cap);
	while (rc == 0 && (ret = xmlTextReaderRead(rd)) == 1) {
		if (is(rd, XML_READER_TYPE_ELEMENT, "si") && !xmlTextReaderIsEmptyElement(rd)) {
			in_si = 1;
			of_buf_truncate(&cur, 0);
		} else if (is(rd, XML_READER_TYPE_ELEMENT, "si") || (in_si && is(rd, XML_READER_TYPE_END_ELEMENT, "si"))) {
			if (x->n_strings == XLSX_MAX_STRINGS) {
				rc = of_error_set_at(OF_ELIMIT, x->r->origin, 0, 0, "more than %zu shared strings", XLSX_MAX_STRINGS);
				break;
			}
			if (x->n_strings == cap) {
				size_t nc = cap ? cap * 2 : 256;
				char **g = realloc(x->strings, nc * sizeof *g);
				if (!g) {
					rc = of_error_set_oom();
					break;
				}
				x->strings = g;
				cap = nc;
			}
			if (!(x->strings[x->n_strings] = strdup(in_si ? of_buf_cstr(&cur) : ""))) {
				rc = of_error_set_oom();
				break;
			}
			x->n_strings++;
			in_si = 0;
		} else if (in_si && is(rd, XML_READER_TYPE_ELEMENT, "rPh") && !xmlTextReaderIsEmptyElement(rd)) {
			in_rph = 1;
		} else if (in_rph && is(rd, XML_READER_TYPE_END_ELEMENT, "rPh")) {
			in_rph = 0;
		} else if (in_si && !in_rph && is(rd, XML_READER_TYPE_ELEMENT, "t")) {
			in_t = !xmlTextReaderIsEmptyElement(rd);
		} else if (in_t && is(rd, XML_READER_TYPE_END_ELEMENT, "t")) {
			in_t = 0;
		} else if (in_t) {
			int type = xmlTextReaderNodeType(rd);
			if (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE ||
			    type == XML_READER_TYPE_WHITESPACE || type == XML_READER_TYPE_CDATA) {
				const xmlChar *v = xmlTextReaderConstValue(rd);
				if (v && of_buf_puts(&cur, (const char *)v) != 0)
					rc = of_error_set_at(OF_ELIMIT, x->r->origin, 0, 0, "a shared string over the cap");
			}
		}
	}
	if (rc == 0 && ret < 0)
		rc = xml_failed(x, part, rd);
	of_buf_free(&cur);
	xmlFreeTextReader(rd);
	free(data);
	return rc;
}

/* Built-in number formats 14-22 and 45-47 are dates and times; a custom format
 * is one when it has y, m, d, h or s outside quotes and brackets ("yyyy/m/d
 * h:mm", "[$-F800]dddd"; not "0.00" nor "[Red]0"). */
static int date_format(long id, const char *code)
{
	if ((id >= 14 && id <= 22) || (id >= 45 && id <= 47))
		return 1;
	if (!code)
		return 0;
	for (const char *p = code; *p; p++) {
		if (*p == '"') {
			const char *q = strchr(p + 1, '"');
			if (!q)
				return 0;
			p = q;
		} else if (*p == '[') {
			const char *q = strchr(p + 1, ']');
			if (!q)
				return 0;
			p = q;
		} else if (*p == '\\' && p[1]) {
			p++;
		} else if (strchr("ymdhsYMDHS", *p)) {
			return 1;
		}
	}
	return 0;
}

/* xl/styles.xml: which cell styles (<cellXfs><xf numFmtId>) show a date. */
static int load_styles(xlsx *x)
{
	static const char part[] = "xl/styles.xml";
	char *data;
	size_t len, n_fmts = 0, cap_fmts = 0, cap = 0;
	struct fmt {
		long id;
		char *code;
	} *fmts = NULL;
	xmlTextReaderPtr rd;
	int rc, ret, in_xfs = 0;
	if ((rc = read_part(x, part, &data, &len)) != 0)
		return rc > 0 ? 0 : rc;
	if ((rc = open_xml(x, part, data, len, &rd)) != 0) {
		free(data);
		return rc;
	}
	while (rc == 0 && (ret = xmlTextReaderRead(rd)) == 1) {
		if (is(rd, XML_READER_TYPE_ELEMENT, "numFmt")) {
			xmlChar *id = xmlTextReaderGetAttribute(rd, BAD_CAST "numFmtId");
			xmlChar *code = xmlTextReaderGetAttribute(rd, BAD_CAST "formatCode");
			if (n_fmts == cap_fmts) {
				size_t nc = cap_fmts ? cap_fmts * 2 : 16;
				struct fmt *g = nc < 100000 ? realloc(fmts, nc * sizeof *g) : NULL;
				if (!g)
					rc = nc < 100000 ? of_error_set_oom() : of_error_set_at(OF_ELIMIT, x->r->origin, 0, 0, "too many number formats");
				else {
					fmts = g;
					cap_fmts = nc;
				}
			}
			if (rc == 0) {
				fmts[n_fmts].id = id ? strtol((const char *)id, NULL, 10) : -1;
				fmts[n_fmts].code = code ? strdup((const char *)code) : NULL;
				n_fmts++;
			}
			xmlFree(id);
			xmlFree(code);
		} else if (is(rd, XML_READER_TYPE_ELEMENT, "cellXfs")) {
			in_xfs = !xmlTextReaderIsEmptyElement(rd);
		} else if (is(rd, XML_READER_TYPE_END_ELEMENT, "cellXfs")) {
			in_xfs = 0;
		} else if (in_xfs && is(rd, XML_READER_TYPE_ELEMENT, "xf")) {
			xmlChar *id = xmlTextReaderGetAttribute(rd, BAD_CAST "numFmtId");
			long fid = id ? strtol((const char *)id, NULL, 10) : 0;
			const char *code = NULL;
			xmlFree(id);
			for (size_t i = 0; i < n_fmts; i++)
				if (fmts[i].id == fid)
					code = fmts[i].code;
			if (x->n_styles == cap) {
				size_t nc = cap ? cap * 2 : 64;
				unsigned char *g = nc < 1000000 ? realloc(x->date_style, nc) : NULL;
				if (!g) {
					rc = nc < 1000000 ? of_error_set_oom() : of_error_set_at(OF_ELIMIT, x->r->origin, 0, 0, "too many cell styles");
					break;
				}
				x->date_style = g;
				cap = nc;
			}
			x->date_style[x->n_styles++] = (unsigned char)date_format(fid, code);
		}
	}
	if (rc == 0 && ret < 0)
		rc = xml_failed(x, part, rd);
	for (size_t i = 0; i < n_fmts; i++)
		free(fmts[i].code);
	free(fmts);
	xmlFreeTextReader(rd);
	free(data);
	return rc;
}

/* The first sheet of xl/workbook.xml, through xl/_rels/workbook.xml.rels;
 * xl/worksheets/sheet1.xml when either part says nothing. Caller frees. */
static int first_sheet(xlsx *x, char **path)
{
	char *data, *rid = NULL, *target = NULL;
	size_t len;
	xmlTextReaderPtr rd;
	int rc, ret;
	*path = NULL;
	if ((rc = read_part(x, "xl/workbook.xml", &data, &len)) < 0)
		return rc;
	if (rc > 0)
		return of_error_set_at(OF_EINVALID, x->r->origin, 0, 0,
				       "a ZIP archive but not an Excel workbook (no xl/workbook.xml); accepted: %s",
				       of_comments_formats_accepted());
	if ((rc = open_xml(x, "xl/workbook.xml", data, len, &rd)) != 0) {
		free(data);
		return rc;
	}
	while ((ret = xmlTextReaderRead(rd)) == 1)
		if (is(rd, XML_READER_TYPE_ELEMENT, "sheet")) {
			xmlChar *v = xmlTextReaderGetAttributeNs(
				rd, BAD_CAST "id", BAD_CAST "http://schemas.openxmlformats.org/officeDocument/2006/relationships");
			rid = v ? strdup((const char *)v) : NULL;
			xmlFree(v);
			break;
		}
	xmlFreeTextReader(rd);
	free(data);
	if (rid && (rc = read_part(x, "xl/_rels/workbook.xml.rels", &data, &len)) == 0) {
		if ((rc = open_xml(x, "xl/_rels/workbook.xml.rels", data, len, &rd)) != 0) {
			free(data);
			free(rid);
			return rc;
		}
		while (!target && (ret = xmlTextReaderRead(rd)) == 1)
			if (is(rd, XML_READER_TYPE_ELEMENT, "Relationship")) {
				xmlChar *id = xmlTextReaderGetAttribute(rd, BAD_CAST "Id");
				xmlChar *t = xmlTextReaderGetAttribute(rd, BAD_CAST "Target");
				if (id && t && strcmp((const char *)id, rid) == 0)
					target = strdup((const char *)t);
				xmlFree(id);
				xmlFree(t);
			}
		xmlFreeTextReader(rd);
		free(data);
	} else if (rc < 0) {
		free(rid);
		return rc;
	}
	free(rid);
	if (target && strstr(target, "..") == NULL) {
		/* relative to xl/, or absolute in the package ("/xl/worksheets/sheet1.xml") */
		size_t n = strlen(target) + 4;
		if ((*path = malloc(n)) != NULL)
			snprintf(*path, n, "%s%s", target[0] == '/' ? "" : "xl/", target[0] == '/' ? target + 1 : target);
	} else {
		*path = strdup("xl/worksheets/sheet1.xml");
	}
	free(target);
	return *path ? 0 : of_error_set_oom();
}

/* xmlReaderForIO's read callback over the sheet: the same checks as
 * open_xml(), applied chunk by chunk, and the cap on what comes out. */
static int sheet_read(void *ctx, char *out, int outlen)
{
	xlsx *x = ctx;
	char scan[8 + 4096];
	zip_int64_t got;
	if (x->io_error || outlen <= 0)
		return x->io_error ? -1 : 0;
	if (outlen > 4096)
		outlen = 4096;
	got = zip_fread(x->sheet, out, (zip_uint64_t)outlen);
	if (got < 0) {
		of_error_set_at(OF_EINVALID, x->r->origin, 0, 0, "workbook part %s: %s", x->sheet_name,
				zip_file_strerror(x->sheet));
		x->io_error = 1;
		return -1;
	}
	x->sheet_read += (size_t)got;
	if (x->sheet_read > x->cap) {
		of_error_set_at(OF_ELIMIT, x->r->origin, 0, 0, "workbook part %s is over the %zu-byte cap%s", x->sheet_name,
				x->cap, cap_note(x));
		x->io_error = 1;
		return -1;
	}
	memcpy(scan, x->carry, x->n_carry);
	memcpy(scan + x->n_carry, out, (size_t)got);
	if (memmem(scan, x->n_carry + (size_t)got, "<!DOCTYPE", 9) || memmem(scan, x->n_carry + (size_t)got, "<!ENTITY", 8)) {
		of_error_set_at(OF_EINVALID, x->r->origin, 0, 0,
				"workbook part %s has a DOCTYPE: not allowed (entities and external DTDs are never loaded)",
				x->sheet_name);
		x->io_error = 1;
		return -1;
	}
	{ /* keep the last bytes: a "<!DOCTYPE" split across two chunks is still seen */
		size_t all = x->n_carry + (size_t)got, keep = all < sizeof x->carry ? all : sizeof x->carry;
		memcpy(x->carry, scan + all - keep, keep);
		x->n_carry = keep;
	}
	if (of_guard_markup_feed(&x->guard, out, (size_t)got) != 0) {
		x->io_error = 1;
		return -1;
	}
	return (int)got;
}

/* "B12" → column 1; -1 when the reference has no letters. */
static long column_of(const char *ref)
{
	long c = 0;
	int letters = 0;
	for (; *ref >= 'A' && *ref <= 'Z' && letters < 4; ref++, letters++)
		c = c * 26 + (*ref - 'A' + 1);
	return letters ? c - 1 : -1;
}

/* A date cell's serial number (days since 1899-12-30; the fraction is the time
 * of day) written as the CSV reader takes it. */
static void serial_text(double v, of_buf *out)
{
	char s[40];
	long long secs = llround(v * 86400.0);
	if (v < 1) { /* a time of day alone */
		snprintf(s, sizeof s, "%02lld:%02lld:%02lld", secs / 3600 % 24, secs / 60 % 60, secs % 60);
	} else {
		time_t t = (time_t)(secs - 25569LL * 86400);
		struct tm tm;
		if (!gmtime_r(&t, &tm) || strftime(s, sizeof s, "%Y-%m-%d %H:%M:%S", &tm) == 0)
			snprintf(s, sizeof s, "%.6f", v);
	}
	of_buf_truncate(out, 0);
	of_buf_puts(out, s);
}

/* of_crow_next over the sheet: one <row> a call. */
static int sheet_next(void *ctx, of_crow *row, int *overflow)
{
	xlsx *x = ctx;
	xmlTextReaderPtr rd = x->rd;
	int ret, in_row = 0, in_v = 0, in_rph = 0, date = 0;
	long col = -1, maxcol = -1;
	char type[16] = "";
	*overflow = 0;
	if (x->done)
		return 0;
	while ((ret = xmlTextReaderRead(rd)) == 1) {
		if (!in_row) {
			if (is(rd, XML_READER_TYPE_ELEMENT, "row")) {
				xmlChar *r = xmlTextReaderGetAttribute(rd, BAD_CAST "r");
				unsigned long n = r ? strtoul((const char *)r, NULL, 10) : 0;
				xmlFree(r);
				row->line = n ? n : x->next_row;
				x->next_row = row->line + 1;
				for (size_t i = 0; i < sizeof row->fields / sizeof row->fields[0]; i++)
					of_buf_truncate(&row->fields[i], 0);
				col = -1;
				maxcol = -1;
				if (xmlTextReaderIsEmptyElement(rd))
					break;
				in_row = 1;
			}
			continue;
		}
		if (is(rd, XML_READER_TYPE_END_ELEMENT, "row"))
			break;
		if (is(rd, XML_READER_TYPE_ELEMENT, "c")) {
			xmlChar *r = xmlTextReaderGetAttribute(rd, BAD_CAST "r");
			xmlChar *t = xmlTextReaderGetAttribute(rd, BAD_CAST "t");
			xmlChar *s = xmlTextReaderGetAttribute(rd, BAD_CAST "s");
			long c = r ? column_of((const char *)r) : -1;
			unsigned long si = s ? strtoul((const char *)s, NULL, 10) : 0;
			col = c >= 0 ? c : col + 1;
			snprintf(type, sizeof type, "%s", t ? (const char *)t : "n");
			date = strcmp(type, "n") == 0 && s && si < x->n_styles && x->date_style[si];
			xmlFree(r);
			xmlFree(t);
			xmlFree(s);
			if (col >= (long)(sizeof row->fields / sizeof row->fields[0])) {
				*overflow = 1;
				col = (long)(sizeof row->fields / sizeof row->fields[0]) - 1;
			}
			if (col > maxcol)
				maxcol = col;
		} else if (is(rd, XML_READER_TYPE_ELEMENT, "rPh")) { /* a phonetic run: not the cell's text */
			in_rph = !xmlTextReaderIsEmptyElement(rd);
		} else if (is(rd, XML_READER_TYPE_END_ELEMENT, "rPh")) {
			in_rph = 0;
		} else if (col >= 0 && !in_rph &&
			   (is(rd, XML_READER_TYPE_ELEMENT, "v") || is(rd, XML_READER_TYPE_ELEMENT, "t"))) {
			in_v = !xmlTextReaderIsEmptyElement(rd);
		} else if (in_v && (is(rd, XML_READER_TYPE_END_ELEMENT, "v") || is(rd, XML_READER_TYPE_END_ELEMENT, "t"))) {
			in_v = 0;
		} else if (in_v) {
			int nt = xmlTextReaderNodeType(rd);
			const xmlChar *v = xmlTextReaderConstValue(rd);
			of_buf *f = &row->fields[col];
			if (!v || (nt != XML_READER_TYPE_TEXT && nt != XML_READER_TYPE_SIGNIFICANT_WHITESPACE &&
				   nt != XML_READER_TYPE_WHITESPACE && nt != XML_READER_TYPE_CDATA))
				continue;
			if (strcmp(type, "s") == 0) {
				char *end;
				unsigned long i = strtoul((const char *)v, &end, 10);
				of_buf_truncate(f, 0);
				if (*end || i >= x->n_strings)
					of_comments__warn(x->r, row->line, "shared string %.20s does not exist: cell left empty",
							  (const char *)v);
				else if (of_buf_puts(f, x->strings[i]) != 0)
					*overflow = 1;
			} else if (date) {
				char *end;
				double d = strtod((const char *)v, &end);
				if (*end == 0 && isfinite(d) && d >= 0 && d < 2958466) /* up to 9999-12-31 */
					serial_text(d, f);
				else if (of_buf_puts(f, (const char *)v) != 0)
					*overflow = 1;
			} else if (of_buf_puts(f, (const char *)v) != 0) {
				*overflow = 1;
			}
		}
	}
	if (ret < 0)
		return x->io_error ? of_error_last()->code : xml_failed(x, x->sheet_name, rd);
	if (ret == 0) {
		x->done = 1;
		if (!in_row)
			return 0;
	}
	if (maxcol < 0 && x->ncols > 0) { /* a row without cells: blank */
		row->n = 1;
		return 1;
	}
	/* the header row sets the width; later rows are padded (Excel leaves
	 * trailing empty cells out) or cut */
	if (x->ncols == 0)
		x->ncols = maxcol >= 0 ? (size_t)maxcol + 1 : 1;
	else if (maxcol >= (long)x->ncols) {
		for (size_t i = x->ncols; i <= (size_t)maxcol; i++)
			if (of_buf_len(&row->fields[i]))
				*overflow = 1;
	}
	row->n = x->ncols;
	return 1;
}

int of_comments__read_xlsx(of_creader *r, const char *data, size_t len)
{
	xlsx x;
	zip_error_t ze;
	zip_source_t *src;
	of_crow *row = NULL;
	char *sheet_path = NULL;
	int rc;
	memset(&x, 0, sizeof x);
	x.r = r;
	x.cap = r->o->max_bytes ? r->o->max_bytes : OF_MAX_FILE_BYTES;
	if (len < x.cap / OF_MAX_GZIP_RATIO) { /* what a spreadsheet's XML can expand to */
		size_t ratio = len * OF_MAX_GZIP_RATIO > OF_MIN_GZIP_CAP ? len * OF_MAX_GZIP_RATIO : OF_MIN_GZIP_CAP;
		if (ratio < x.cap) {
			x.cap = ratio;
			x.ratio_capped = 1;
		}
	}
	x.next_row = 1;
	zip_error_init(&ze);
	if (!(src = zip_source_buffer_create(data, len, 0, &ze))) {
		rc = of_error_set_oom();
		goto out;
	}
	if (!(x.za = zip_open_from_source(src, ZIP_RDONLY, &ze))) {
		zip_source_free(src);
		rc = of_error_set_at(OF_EINVALID, r->origin, 0, 0, "a ZIP archive that cannot be opened (%s); accepted: %s",
				     zip_error_strerror(&ze), of_comments_formats_accepted());
		goto out;
	}
	xmlGenericErrorFunc old_generic = xmlGenericError;
	void *old_ctx = xmlGenericErrorContext;
	xmlSetGenericErrorFunc(NULL, silent);
	if ((rc = first_sheet(&x, &sheet_path)) != 0 || (rc = load_strings(&x)) != 0 || (rc = load_styles(&x)) != 0)
		goto restore;
	{
		size_t declared;
		if ((rc = open_part(&x, sheet_path, &x.sheet, &declared)) != 0) {
			if (rc > 0)
				rc = of_error_set_at(OF_EINVALID, r->origin, 0, 0, "the workbook has no sheet %s", sheet_path);
			goto restore;
		}
		x.sheet_name = sheet_path;
		of_guard_markup_init(&x.guard, r->origin, OF_MAX_MARKUP_ATTRS);
		if (!(x.rd = xmlReaderForIO(sheet_read, NULL, &x, sheet_path, NULL,
					    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES))) {
			rc = of_error_set_oom();
			goto restore;
		}
		xmlTextReaderSetErrorHandler(x.rd, NULL, NULL);
	}
	if (!(row = calloc(1, sizeof *row))) {
		rc = of_error_set_oom();
		goto restore;
	}
	for (size_t i = 0; i < sizeof row->fields / sizeof row->fields[0]; i++)
		of_buf_init(&row->fields[i], OF_MAX_LINE_BYTES);
	rc = of_comments__read_table(r, row, sheet_next, &x, "sheet");
	for (size_t i = 0; i < sizeof row->fields / sizeof row->fields[0]; i++)
		of_buf_free(&row->fields[i]);
	free(row);
restore:
	xmlSetGenericErrorFunc(old_ctx, old_generic);
out:
	if (x.rd)
		xmlFreeTextReader(x.rd);
	if (x.sheet)
		zip_fclose(x.sheet);
	if (x.za)
		zip_discard(x.za);
	for (size_t i = 0; i < x.n_strings; i++)
		free(x.strings[i]);
	free(x.strings);
	free(x.date_style);
	free(sheet_path);
	zip_error_fini(&ze);
	return rc;
}
