/* review.js — click a paragraph of the article to see where it came from
 * (article.trace.json: paragraphs[].line/sources[].post/spans, posts[], images[]).
 * Builds DOM nodes with textContent only: user text is never parsed as HTML.
 * No network, no external files. */
(function () {
  "use strict";
  var dataEl = document.getElementById("trace-data");
  var body = document.getElementById("article-body");
  var panel = document.getElementById("trace-panel");
  if (!body || !panel) { document.body.setAttribute("data-review-ready", "1"); return; }
  var trace = null;
  try { trace = dataEl ? JSON.parse(dataEl.textContent) : null; } catch (e) { trace = null; }

  function el(tag, cls, text) {
    var n = document.createElement(tag);
    if (cls) n.className = cls;
    if (text !== undefined && text !== null) n.textContent = String(text);
    return n;
  }
  function list(name) {
    if (!trace) return [];
    if (Array.isArray(trace)) return name === "paragraphs" ? trace : [];
    return Array.isArray(trace[name]) ? trace[name] : [];
  }
  var paras = list("paragraphs").concat(list("template_paragraphs"));
  function postById(id) {
    var ps = list("posts");
    for (var k = 0; k < ps.length; k++) if (ps[k] && ps[k].id === id) return ps[k];
    return null;
  }
  /* A block's first source line (cmark data-sourcepos="11:1-11:80"). */
  function lineOf(node) {
    var sp = node.getAttribute("data-sourcepos");
    return sp ? parseInt(sp.split(":")[0], 10) : 0;
  }
  function entryFor(node, i) {
    var line = lineOf(node);
    for (var k = 0; k < paras.length; k++) {
      var e = paras[k];
      if (!e) continue;
      if (line && e.line === line) return e;
      if (!line && (e.paragraph === i || e.index === i)) return e;
    }
    return null;
  }
  /* Post text with the used spans (code point ranges) marked. */
  function spanText(text, spans) {
    var box = el("div", "text");
    var cps = Array.from(String(text || ""));
    var marks = new Array(cps.length + 1).join("0").split("");
    (spans || []).forEach(function (s) {
      if (!Array.isArray(s)) return;
      for (var k = Math.max(0, s[0]); k < Math.min(cps.length, s[1]); k++) marks[k] = "1";
    });
    var k = 0;
    while (k < cps.length) {
      var j = k;
      while (j < cps.length && marks[j] === marks[k]) j++;
      box.appendChild(el(marks[k] === "1" ? "mark" : "span", null, cps.slice(k, j).join("")));
      k = j;
    }
    return box;
  }
  function imagesOf(id) {
    return list("images").filter(function (im) { return im && im.post === id && im.path; });
  }
  function show(node, i) {
    while (panel.firstChild) panel.removeChild(panel.firstChild);
    var e = entryFor(node, i);
    /* the trace's own paragraph number and article.md line, as lint and article.trace.json give them */
    var head = e && e.para ? "段落 " + e.para + (e.line ? " · article.md:" + e.line : "") : "第 " + (i + 1) + " 块";
    var kinds = {lead: "导语", body: "正文", closing: "结尾", heading: "标题"};
    panel.appendChild(el("h3", null, head + (e && e.kind ? " · " + (kinds[e.kind] || e.kind) : "")));
    if (!e) { panel.appendChild(el("p", "hint", "这一块没有来源记录（标题或图片）。")); return; }
    if (e.template) panel.appendChild(el("p", "hint", "由模板 " + e.template + " 和 onefish.yaml 写成。"));
    var src = Array.isArray(e.sources) ? e.sources : [];
    if (e.edited && src.length) panel.appendChild(el("p", "hint", "编辑改写过这一段；下面是初稿这一段来自的朋友圈。"));
    if (!src.length && !e.template) panel.appendChild(el("p", "hint", e.edited ? "编辑新写的段落，没有来源朋友圈。" : "没有记录来源朋友圈。"));
    src.forEach(function (s) {
      var box = el("div", "post");
      var id = typeof s === "object" && s !== null ? (s.post || s.id || "") : s;
      var post = postById(id);
      box.appendChild(el("span", "id", id));
      if (post && post.origin) box.appendChild(el("span", "hint", " " + post.origin + ":" + (post.line || "?")));
      if (post) box.appendChild(spanText(post.text, s.spans));
      else if (s && s.text) box.appendChild(el("div", "text", s.text));
      var imgs = imagesOf(id).map(function (im) { return im.path; });
      if (s && Array.isArray(s.images)) imgs = imgs.concat(s.images);
      imgs.forEach(function (p) { var im = el("img"); im.alt = ""; im.src = String(p); box.appendChild(im); });
      panel.appendChild(box);
    });
  }
  var blocks = body.children;
  function select(k) {
    for (var j = 0; j < blocks.length; j++) blocks[j].classList.remove("selected");
    if (!blocks[k]) return;
    blocks[k].classList.add("selected");
    show(blocks[k], k);
  }
  for (var i = 0; i < blocks.length; i++) {
    (function (k) {
      blocks[k].setAttribute("data-block", String(k + 1));
      blocks[k].addEventListener("click", function () { select(k); });
    })(i);
  }
  /* index.html#para-3 opens with paragraph 3 selected, numbered as article.trace.json and the
   * lint lines number them ("para 3"), not as blocks (the title, headings and images are blocks
   * too); without scrolling (links from notes, the tests). */
  var m = /^#para-(\d+)$/.exec(location.hash || "");
  if (m) {
    var want = parseInt(m[1], 10), at = -1;
    for (var q = 0; q < blocks.length && at < 0; q++) {
      var e = entryFor(blocks[q], q);
      if (e && e.para === want) at = q;
    }
    if (at >= 0) select(at);
  }
  document.body.setAttribute("data-review-ready", "1");
})();
