#!/bin/sh
# Security rules of SAFE-INPUT.md checked on the source (the behaviour is tested by
# the hostile cases): libxml2 without entity expansion, DTD loading or network,
# never from a path; cmark never unsafe; libcurl limited to http(s) with caps;
# libav* never opening untrusted names as URLs; no process spawning in the library.
set -u
cd "${ONEFISH_ROOT:-.}"
exec python3 - <<'PY'
import glob, re, sys

src = sorted(glob.glob('stages/*/*.c') + glob.glob('pipeline/*.c'))
text = {f: open(f, encoding='utf-8', errors='replace').read() for f in src}
# Comments may name the forbidden things (to explain why not): strip them.
# String literals are matched first so that "http://..." does not open a comment; their
# content is blanked too (a message may quote an option name without using it).
tok = re.compile(r'"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'|/\*.*?\*/|//[^\n]*', re.S)
def strip_comments(t):
    return tok.sub(lambda m: '""' if m.group(0)[0] in '"\'' else re.sub(r'[^\n]', ' ', m.group(0)), t)
code = {f: strip_comments(t) for f, t in text.items()}
fails = []

def rule(name, bad):
    if bad:
        fails.extend('%s: %s' % (name, b) for b in bad)
    else:
        print('ok: ' + name)

def where(pattern, files=None):
    out = []
    for f in files or src:
        for m in re.finditer(pattern, code[f]):
            out.append('%s:%d: %s' % (f, code[f].count('\n', 0, m.start()) + 1, m.group(0)))
    return out

rule('libxml2: no entity expansion, DTD loading/validation, HUGE, XInclude or RECOVER for XML',
     where(r'\bXML_PARSE_(NOENT|DTDLOAD|DTDATTR|DTDVALID|HUGE|XINCLUDE|RECOVER)\b'))
rule('libxml2: never parse from a path (transparent gunzip, no size cap)',
     where(r'\b(xmlReadFile|xmlCtxtReadFile|xmlReaderForFile|xmlParseFile|htmlReadFile|htmlParseFile|xmlSAXUserParseFile)\s*\('))
xml_users = [f for f in src if re.search(r'\b(xmlReadMemory|xmlCtxtReadMemory|xmlReaderForMemory|xmlReaderForIO|xmlReadIO|xmlCtxtReadIO|htmlReadIO|htmlReadMemory|htmlCtxtReadMemory|xmlCreatePushParserCtxt|htmlCreatePushParserCtxt|xmlCreateIOParserCtxt)\s*\(', code[f])]
rule('libxml2: every parsing file sets XML_PARSE_NONET / HTML_PARSE_NONET',
     [f for f in xml_users if not re.search(r'\b(XML|HTML)_PARSE_NONET\b', code[f])])
rule('cmark: never CMARK_OPT_UNSAFE', where(r'\bCMARK_OPT_UNSAFE\b'))
cmark_users = [f for f in src if re.search(r'\bcmark_(parse_document|parser_new|markdown_to_html)\s*\(', code[f])]
rule('cmark: parsing files validate UTF-8 (CMARK_OPT_VALIDATE_UTF8)',
     [f for f in cmark_users if 'CMARK_OPT_VALIDATE_UTF8' not in code[f]])
curl_users = [f for f in src if re.search(r'\bcurl_easy_init\s*\(', code[f])]
need = ['CURLOPT_PROTOCOLS_STR', 'CURLOPT_REDIR_PROTOCOLS_STR', 'CURLOPT_MAXREDIRS', 'CURLOPT_TIMEOUT',
        'CURLOPT_CONNECTTIMEOUT', 'CURLOPT_WRITEFUNCTION']
rule('libcurl: protocols, redirect protocols, redirect cap, timeouts and a capped write callback',
     ['%s lacks %s' % (f, n) for f in curl_users for n in need if n not in code[f]])
rule('libcurl: TLS verification never switched off',
     where(r'CURLOPT_SSL_VERIFY(PEER|HOST)\s*,\s*0'))
av_users = [f for f in src if re.search(r'\bavformat_open_input\s*\(', code[f])]
rule('libav*: inputs opened through our own AVIO or a protocol whitelist',
     [f for f in av_users if not re.search(r'avio_alloc_context|protocol_whitelist', code[f])])
rule('no spawning of programs from the library or the CLI',
     where(r'\b(system|popen|execl|execlp|execle|execv|execvp|execvpe|posix_spawnp?)\s*\('))
rule('no banned string functions',
     where(r'\b(gets|sprintf|vsprintf|strcpy|strcat|strncpy|strtok|atoi|atol|sscanf|tmpnam)\s*\('))
print('security rules: %d file(s); libxml2 in %d, cmark in %d, libcurl in %d, libavformat in %d'
      % (len(src), len(xml_users), len(cmark_users), len(curl_users), len(av_users)))
for f in fails:
    print('FAIL: ' + f)
sys.exit(1 if fails else 0)
PY
