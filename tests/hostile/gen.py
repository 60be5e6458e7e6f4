#!/usr/bin/env python3
"""gen.py KIND OUT [ARGS...] — generates hostile inputs for tests/hostile/*.case.

Only the standard library: big or binary inputs are made at test time, never
committed. Run `gen.py list` for the kinds."""
import struct
import sys
import zlib


def png(out, w, h, depth=8, color=2, tiny=False):
    """A PNG; `tiny` declares w x h but carries a small IDAT (a decompression-bomb header)."""
    def chunk(t, d):
        return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d) & 0xffffffff)
    chans = {0: 1, 2: 3, 4: 2, 6: 4}[color]
    row = 1 + w * chans * depth // 8
    if tiny:
        raw = zlib.compress(b'\0' * 4096)
    else:
        raw = zlib.compress(b''.join(b'\0' + bytes((x * 7 + y * 3) % 256 for x in range(row - 1))
                                     for y in range(h)))
    data = (b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, depth, color, 0, 0, 0))
            + chunk(b'IDAT', raw) + chunk(b'IEND', b''))
    open(out, 'wb').write(data)


def gif(out):
    """A 1x1 GIF89a."""
    open(out, 'wb').write(b'GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\x00\x00\x00\x00\x00'
                          b',\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;')


def cmyk_jpeg(out, w=16, h=16):
    """A baseline 4-component Adobe CMYK JPEG (uniform, every coefficient 0)."""
    def seg(marker, d):
        return b'\xff' + bytes([marker]) + struct.pack('>H', len(d) + 2) + d
    adobe = b'Adobe' + struct.pack('>HHHB', 100, 0, 0, 0)          # transform 0: plain CMYK
    dqt = b'\x00' + bytes([1] * 64)
    sof = struct.pack('>BHHB', 8, h, w, 4) + b''.join(bytes([i + 1, 0x11, 0]) for i in range(4))
    one_code = bytes([1] + [0] * 15) + b'\x00'                       # one 1-bit code for symbol 0
    dht = b'\x00' + one_code + b'\x10' + one_code                    # DC table 0, AC table 0 (EOB)
    sos = b'\x04' + b''.join(bytes([i + 1, 0x00]) for i in range(4)) + b'\x00\x3f\x00'
    mcus = ((w + 7) // 8) * ((h + 7) // 8)
    scan = b'\x00' * mcus                                            # 4 blocks x (DC 0 + EOB) = 8 bits
    data = (b'\xff\xd8' + seg(0xee, adobe) + seg(0xdb, dqt) + seg(0xc0, sof) + seg(0xc4, dht)
            + seg(0xda, sos) + scan + b'\xff\xd9')
    open(out, 'wb').write(data)


def truncate(out, src, frac=0.5):
    data = open(src, 'rb').read()
    open(out, 'wb').write(data[:int(len(data) * float(frac))])


def post(i, text=None, **kw):
    import json
    p = {"id": "p%05d" % i, "time": "2026-11-16T09:30:00+08:00", "author": "测试",
         "text": text or ("第%d条：宝宝辅食怎么做？今天分享一个小技巧，米粉要用温水冲调。" % i)}
    p.update(kw)
    return json.dumps(p, ensure_ascii=False)


def jsonl_broken(out, n=10000):
    """n posts; line 5000 truncated mid-record, line 7000 two records glued together."""
    with open(out, 'w', encoding='utf-8') as f:
        for i in range(1, n + 1):
            line = post(i)
            if i == 5000:
                line = line[:40]
            elif i == 7000:
                line = '{"a":1}{"b":'
            f.write(line + '\n')


def xml_laughs(out):
    ents = ['<!ENTITY lol "lol">'] + ['<!ENTITY lol%d "%s">' % (i, ('&lol%s;' % ('' if i == 1 else i - 1)) * 10)
                                      for i in range(1, 10)]
    open(out, 'w').write('<?xml version="1.0"?>\n<!DOCTYPE i [\n%s\n]>\n<i>\n<d p="1,1,25,16777215,1,0,abc,1">&lol9;</d>\n</i>\n'
                         % '\n'.join(ents))


def xml_xxe(out, target='/etc/hostname'):
    open(out, 'w').write('<?xml version="1.0"?>\n<!DOCTYPE i [<!ENTITY x SYSTEM "file://%s">]>\n<i>\n'
                         '<d p="1,1,25,16777215,1,0,abc,1">&x;</d>\n</i>\n' % target)


def xml_extdtd(out, port):
    open(out, 'w').write('<?xml version="1.0"?>\n<!DOCTYPE i SYSTEM "http://127.0.0.1:%s/x.dtd">\n<i>\n'
                         '<d p="1,1,25,16777215,1,0,abc,1">hi</d>\n</i>\n' % port)


def xml_quadratic(out):
    open(out, 'w').write('<?xml version="1.0"?>\n<!DOCTYPE i [<!ENTITY a "%s">]>\n<i><d p="1,1,25,16777215,1,0,abc,1">%s</d></i>\n'
                         % ('x' * 50000, '&a;' * 20000))


def xml_nest(out, depth=300):
    open(out, 'w').write('<?xml version="1.0"?>\n<i>\n' + '<x>' * depth + '\n' + '</x>' * depth + '\n</i>\n')


def xml_attrs(out, n=40000):
    attrs = ' '.join('a%d="1"' % k for k in range(n))
    open(out, 'w').write('<?xml version="1.0"?>\n<i>\n<d p="1,1,25,16777215,1,0,abc,1">ok</d>\n'
                         '<d %s p="2,1,25,16777215,1,0,abc,2">x</d>\n<d p="3,1,25,16777215,1,0,abc,3">ok2</d>\n</i>\n' % attrs)


def danmaku(out, n=100, bad_line=None, bad=''):
    """A bilibili danmaku log of n comments, one per line from line 3; `bad` replaces line `bad_line`."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<i>']
    for k in range(n):
        lines.append('<d p="%d.5,1,25,16777215,1795089602,0,f515f5fb,4123456789%07d">辅食第%d个问题要加盐吗？</d>'
                     % (k, k, k))
    lines.append('</i>')
    if bad_line:
        lines[int(bad_line) - 1] = bad
    open(out, 'w', encoding='utf-8').write('\n'.join(lines) + '\n')


def gzip_bomb(out, mb=200):
    """A .xml.gz that expands to `mb` MB of '<a/>' (about 200 KB on disk), compressed in chunks."""
    import gzip
    chunk = b'<a/>' * (1 << 18)  # 1 MiB
    with gzip.open(out, 'wb', compresslevel=9) as f:
        f.write(b'<?xml version="1.0"?><i>')
        for _ in range(int(mb)):
            f.write(chunk)


def listener(portfile, countfile, seconds=15):
    """Listens on a free 127.0.0.1 port (written to portfile); counts connections into countfile."""
    import socket
    import time
    s = socket.socket()
    s.bind(('127.0.0.1', 0))
    s.listen(16)
    s.settimeout(0.2)
    open(countfile, 'w').write('0')
    open(portfile + '.tmp', 'w').write(str(s.getsockname()[1]))
    import os
    os.rename(portfile + '.tmp', portfile)
    n, end = 0, time.time() + float(seconds)
    while time.time() < end:
        try:
            c, _ = s.accept()
            n += 1
            open(countfile, 'w').write(str(n))
            c.close()
        except socket.timeout:
            pass


def md_cve(out, n=160000):
    open(out, 'w').write('![[]()' * int(n))


def md_quote_emph(out):
    open(out, 'w').write('>' * 100000 + 'a*' * 100000)


def csv_unterminated(out, n=10000, at=10):
    with open(out, 'w', encoding='utf-8') as f:
        f.write('id,time,text\n')
        for i in range(2, n + 1):
            if i == int(at):
                f.write('p%d,2026-11-16T09:30:00+08:00,"unterminated, quote\n' % i)
            else:
                f.write('p%d,2026-11-16T09:30:00+08:00,第%d条\n' % (i, i))


KINDS = {
    'png': lambda o, w, h, *a: png(o, int(w), int(h), *(int(x) for x in a)),
    'png-bomb': lambda o, w, h: png(o, int(w), int(h), tiny=True),
    'gif': gif, 'cmyk-jpeg': lambda o, w=16, h=16: cmyk_jpeg(o, int(w), int(h)), 'truncate': truncate,
    'jsonl-broken': lambda o, n=10000: jsonl_broken(o, int(n)),
    'xml-laughs': xml_laughs, 'xml-xxe': xml_xxe, 'xml-extdtd': xml_extdtd, 'xml-quadratic': xml_quadratic,
    'xml-nest': lambda o, d=300: xml_nest(o, int(d)), 'xml-attrs': lambda o, n=40000: xml_attrs(o, int(n)),
    'danmaku': lambda o, n=100, bl=None, bad='': danmaku(o, int(n), bl, bad),
    'gzip-bomb': gzip_bomb, 'listener': listener,
    'md-cve': md_cve, 'md-quote-emph': md_quote_emph,
    'csv-unterminated': lambda o, n=10000, at=10: csv_unterminated(o, int(n), int(at)),
}

if __name__ == '__main__':
    if len(sys.argv) < 3 or sys.argv[1] not in KINDS:
        sys.exit('usage: gen.py KIND OUT [ARGS...]; kinds: ' + ' '.join(sorted(KINDS)))
    KINDS[sys.argv[1]](*sys.argv[2:])
