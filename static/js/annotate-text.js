// The paragraph text: code points <-> UTF-16, word tokens, the selection, and highlights built from offsets.
// Offsets everywhere in the labels are Unicode code points; the DOM speaks UTF-16, converted only here.
// The text is hostile input: it is only ever put into the page through textContent.
"use strict";
window.Annotate = window.Annotate || {};
(function (A) {
  // A token: an emoji sequence (ZWJ, variation selector, skin tone kept together), a word (with inner
  // apostrophes, hyphens and dots: "Moscow’s", "Russia-supplied"), or any other single visible character.
  const EMOJI = "\\p{Extended_Pictographic}(?:\\uFE0F|\\p{Emoji_Modifier})?";
  const TOKEN = new RegExp(`${EMOJI}(?:\\u200D${EMOJI})*|[\\p{L}\\p{N}\\p{M}_]+(?:['’\\-.][\\p{L}\\p{N}\\p{M}_]+)*|\\S`, "gu");

  function Text(text) {
    this.text = text;
    const u2c = new Int32Array(text.length + 1);
    const c2u = [];
    let cp = 0;
    for (let i = 0; i < text.length;) {
      const wide = text.codePointAt(i) > 0xffff;
      c2u.push(i);
      u2c[i] = cp;
      if (wide) u2c[i + 1] = cp + 1; // inside a surrogate pair: round up to the next code point
      i += wide ? 2 : 1;
      cp += 1;
    }
    c2u.push(text.length);
    u2c[text.length] = cp;
    this.u2c = u2c;
    this.c2u = c2u;
    this.length = cp;
    this.tokens = [];
    for (const m of text.matchAll(TOKEN)) {
      this.tokens.push({ start: u2c[m.index], end: u2c[m.index + m[0].length] });
    }
  }
  Text.prototype.slice = function (start, end) {
    return this.text.slice(this.c2u[start], this.c2u[end]);
  };
  Text.prototype.span = function (start, end) {
    return { start: start, end: end, text: this.slice(start, end) };
  };
  // Index of the first token ending after cp (the token holding cp, or the next one), or -1.
  Text.prototype.tokenFrom = function (cp) {
    const t = this.tokens;
    for (let i = 0; i < t.length; i++) if (t[i].end > cp) return i;
    return -1;
  };
  // Index of the last token starting before cp, or -1.
  Text.prototype.tokenBefore = function (cp) {
    const t = this.tokens;
    for (let i = t.length - 1; i >= 0; i--) if (t[i].start < cp) return i;
    return -1;
  };
  // Grow [start, end) to whole tokens; trim whitespace when not snapping. Returns null when empty.
  Text.prototype.snap = function (start, end, words) {
    if (words) {
      const a = this.tokenFrom(start);
      const b = this.tokenBefore(end);
      if (a < 0 || b < 0 || b < a) return null;
      return { start: this.tokens[a].start, end: this.tokens[b].end };
    }
    while (start < end && /\s/u.test(this.slice(start, start + 1))) start++;
    while (end > start && /\s/u.test(this.slice(end - 1, end))) end--;
    return end > start ? { start: start, end: end } : null;
  };
  A.Text = Text;

  // The selection: [start, end) in code points, and which edge moves with Shift+arrows.
  function Selection(text) {
    this.t = text;
    const first = text.tokens[0] || { start: 0, end: text.length };
    this.start = first.start;
    this.end = first.end;
    this.back = false;
  }
  Selection.prototype.set = function (start, end) {
    if (end <= start) return;
    this.start = start;
    this.end = end;
    this.back = false;
  };
  Selection.prototype.single = function () {
    const i = this.t.tokenFrom(this.start);
    return i >= 0 && this.t.tokens[i].start <= this.start && this.t.tokens[i].end >= this.end;
  };
  Selection.prototype.collapseTo = function (i) {
    if (i < 0 || i >= this.t.tokens.length) return;
    this.set(this.t.tokens[i].start, this.t.tokens[i].end);
  };
  Selection.prototype.right = function () { this.collapseTo(this.t.tokenFrom(this.end)); };
  Selection.prototype.left = function () { this.collapseTo(this.t.tokenBefore(this.start)); };
  Selection.prototype.home = function () { this.collapseTo(0); };
  // End: the last word, not the full stop after it (a mark alone is still reachable with arrows).
  Selection.prototype.endKey = function () {
    const t = this.t.tokens;
    let i = t.length - 1;
    while (i > 0 && !/[\p{L}\p{N}]/u.test(this.t.slice(t[i].start, t[i].end))) i--;
    this.collapseTo(i);
  };
  Selection.prototype.collapse = function () { this.collapseTo(this.t.tokenFrom(this.start)); };
  Selection.prototype.moveEnd = function (dir) {
    const t = this.t.tokens;
    if (dir > 0) {
      const i = this.t.tokenFrom(this.end);
      if (i >= 0) this.end = t[i].end;
      return true;
    }
    for (let i = t.length - 1; i >= 0; i--) {
      if (t[i].end < this.end && t[i].end > this.start) { this.end = t[i].end; return true; }
    }
    return false;
  };
  Selection.prototype.moveStart = function (dir) {
    const t = this.t.tokens;
    if (dir < 0) {
      const i = this.t.tokenBefore(this.start);
      if (i >= 0) this.start = t[i].start;
      return true;
    }
    for (let i = 0; i < t.length; i++) {
      if (t[i].start > this.start && t[i].start < this.end) { this.start = t[i].start; return true; }
    }
    return false;
  };
  // Shift+arrow: move the focus edge by a word; from a one-word selection, Shift+Left grows leftwards.
  Selection.prototype.extend = function (dir) {
    if (this.single()) this.back = dir < 0;
    if (this.back) this.moveStart(dir); else this.moveEnd(dir);
  };
  Selection.prototype.extendHome = function () { this.start = this.t.tokens.length ? this.t.tokens[0].start : 0; };
  Selection.prototype.extendEnd = function () {
    const t = this.t.tokens;
    if (t.length) this.end = t[t.length - 1].end;
  };
  // Alt+Shift+arrow: the end edge by one code point, for boundaries inside a word.
  Selection.prototype.nudgeEnd = function (dir) {
    const end = this.end + dir;
    if (end > this.start && end <= this.t.length) this.end = end;
  };
  // Find: the next token (after the selection, wrapping) whose text starts with ``query``.
  Selection.prototype.find = function (query) {
    if (!query) return -1;
    const q = query.toLowerCase();
    const t = this.t.tokens;
    const from = this.t.tokenFrom(this.end);
    for (let k = 0; k < t.length; k++) {
      const i = ((from < 0 ? 0 : from) + k) % t.length;
      const u = this.t.c2u[t[i].start];
      if (this.t.text.substr(u, q.length).toLowerCase() === q) return i;
    }
    return -1;
  };
  A.Selection = Selection;

  // A DOM point inside the rendered paragraph -> a code point offset (the UTF-16 edge).
  function pointToCp(root, node, offset, text) {
    if (node.nodeType === Node.TEXT_NODE) {
      const seg = node.parentElement && node.parentElement.closest(".seg");
      if (!seg || !root.contains(seg)) return null;
      return Number(seg.dataset.start) + Array.from(node.data.slice(0, offset)).length;
    }
    if (node === root || root.contains(node)) {
      const child = node.childNodes[offset];
      if (child) {
        const seg = child.nodeType === Node.ELEMENT_NODE ? (child.closest(".seg") || child.querySelector(".seg")) : null;
        if (seg) return Number(seg.dataset.start);
      }
      const seg = node.closest && node.closest(".seg");
      if (seg) return Number(offset === 0 ? seg.dataset.start : seg.dataset.end);
      return offset === 0 ? 0 : text.length;
    }
    return null;
  }
  A.pointToCp = pointToCp;

  // Draw the paragraph: one .seg per stretch covered by the same spans, nested role wrappers
  // (each an underline style), a marker naming item and role where a span starts ("a1·S"), the
  // selection, the grabbed span, and the spans of the item being pointed at (``lit``).
  function render(root, text, spans, sel, grabbed, found, lit) {
    const cuts = new Set([0, text.length]);
    for (const s of spans) { cuts.add(s.start); cuts.add(s.end); }
    if (sel) { cuts.add(sel.start); cuts.add(sel.end); }
    if (found) { cuts.add(found.start); cuts.add(found.end); }
    const bounds = Array.from(cuts).filter((c) => c >= 0 && c <= text.length).sort((a, b) => a - b);
    const order = A.roleOrder || {};
    const frag = document.createDocumentFragment();
    for (let i = 0; i + 1 < bounds.length; i++) {
      const a = bounds[i];
      const b = bounds[i + 1];
      const seg = document.createElement("span");
      seg.className = "seg";
      seg.dataset.start = a;
      seg.dataset.end = b;
      const covering = spans.filter((s) => s.start <= a && s.end >= b);
      covering.sort((x, y) => (order[x.role] || 0) - (order[y.role] || 0));
      const badges = spans.filter((s) => s.start === a).map((s) => (s.owner ? s.owner + "·" : "") + s.badge);
      if (badges.length) seg.dataset.badges = Array.from(new Set(badges)).join(" ");
      if (sel && sel.start <= a && sel.end >= b) seg.classList.add("sel");
      if (grabbed && grabbed.start <= a && grabbed.end >= b) seg.classList.add("grab");
      if (found && found.start <= a && found.end >= b) seg.classList.add("found");
      const owners = Array.from(new Set(covering.map((s) => s.owner).filter(Boolean)));
      if (owners.length) seg.dataset.owners = owners.join(" ");
      if (lit && owners.indexOf(lit) >= 0) seg.classList.add("lit");
      let inner = seg;
      const roles = Array.from(new Set(covering.map((s) => s.role)));
      roles.forEach((role, depth) => {
        const wrap = document.createElement("span");
        wrap.className = "u u-" + role + " d" + Math.min(depth + 1, 6);
        inner.appendChild(wrap);
        inner = wrap;
      });
      if (roles.length) seg.title = covering.map((s) => (s.owner ? s.owner + " " : "") + s.role).join(", ");
      inner.appendChild(document.createTextNode(text.slice(a, b)));
      frag.appendChild(seg);
    }
    root.replaceChildren(frag);
  }
  A.renderText = render;
})(window.Annotate);
