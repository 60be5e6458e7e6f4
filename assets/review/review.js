/* review.js — click a paragraph of the article to see where it came from
 * (article.trace.json). Builds DOM nodes with textContent only: user text is
 * never parsed as HTML. No network, no external files. */
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
  /* The trace is a list of paragraphs (or {paragraphs: [...]}); entries may carry their own index. */
  function entries() {
    if (!trace) return [];
    if (Array.isArray(trace)) return trace;
    return trace.paragraphs || trace.blocks || trace.trace || [];
  }
  function entryFor(i) {
    var list = entries();
    for (var k = 0; k < list.length; k++) {
      var e = list[k];
      if (e && (e.paragraph === i || e.index === i || e.block === i)) return e;
    }
    return list[i] || null;
  }
  function postsOf(e) {
    var s = e.sources || e.posts || e.source || [];
    return Array.isArray(s) ? s : [s];
  }
  function show(i) {
    while (panel.firstChild) panel.removeChild(panel.firstChild);
    panel.appendChild(el("h3", null, "段落 " + (i + 1)));
    var e = entryFor(i);
    if (!e) { panel.appendChild(el("p", "hint", "No trace for this paragraph (heading, or written from the config).")); return; }
    var src = postsOf(e);
    if (!src.length) panel.appendChild(el("p", "hint", "No source posts recorded."));
    src.forEach(function (s) {
      var box = el("div", "post");
      if (typeof s !== "object" || s === null) { box.appendChild(el("span", "id", s)); panel.appendChild(box); return; }
      box.appendChild(el("span", "id", s.post || s.id || s.post_id || s.config || ""));
      if (s.time) box.appendChild(el("span", "hint", " " + s.time));
      var t = s.text || s.span_text || s.quote;
      if (t) box.appendChild(el("div", null, t));
      var imgs = s.images || (s.image ? [s.image] : []);
      imgs.forEach(function (p) { var im = el("img"); im.alt = ""; im.src = String(p); box.appendChild(im); });
      panel.appendChild(box);
    });
    if (e.images) e.images.forEach(function (p) { var im = el("img"); im.alt = ""; im.src = String(p); panel.appendChild(im); });
  }
  var blocks = body.children;
  function select(k) {
    for (var j = 0; j < blocks.length; j++) blocks[j].classList.remove("selected");
    if (!blocks[k]) return;
    blocks[k].classList.add("selected");
    show(k);
  }
  for (var i = 0; i < blocks.length; i++) {
    (function (k) {
      blocks[k].id = blocks[k].id || "para-" + (k + 1);
      blocks[k].addEventListener("click", function () { select(k); });
    })(i);
  }
  /* index.html#para-3 opens with paragraph 3 selected (links from notes, and the tests). */
  var m = /^#para-(\d+)$/.exec(location.hash || "");
  if (m) select(parseInt(m[1], 10) - 1);
  document.body.setAttribute("data-review-ready", "1");
})();
