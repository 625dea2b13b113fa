// Moving the decision's spans in place on the review page: select text in the decision's paragraph, then
// press a role key (the annotate page's keys). The move becomes a hidden ``span:<row>:<role>`` input of
// the decision form, which the server composes and checks with the rest of the gold; without JavaScript
// the tools stay hidden and the JSON edit does the same job.
// Offsets: the DOM speaks UTF-16, the labels code points; annotate-text.js converts.
"use strict";
(function (A) {
  let chosen = {}; // kind -> the row key chosen in its list, kept across the preview's swaps
  let said = "";
  let keyed = null; // the selection the arrow keys made (never snapped again, as on the annotate page)
  let refocus = false; // the paragraph had the focus when the preview redrew it

  function editor() { return document.querySelector(".span-editor"); }

  function status(text) {
    const el = document.querySelector(".span-editor .span-status");
    if (el) el.textContent = text;
  }

  function setUp() {
    const ed = editor();
    if (!ed) return;
    ed.querySelector(".span-tools").hidden = false;
    const root = document.getElementById("gold-text");
    root.tabIndex = 0; // the arrow keys select in it
    if (refocus) { root.focus(); refocus = false; }
    for (const sel of ed.querySelectorAll("select.span-target")) {
      const want = chosen[sel.dataset.kind];
      if (want && Array.from(sel.options).some((o) => o.value === want)) sel.value = want;
      sel.addEventListener("change", () => { chosen[sel.dataset.kind] = sel.value; });
    }
    const undoButton = ed.querySelector("button.undo-moves");
    if (undoButton) undoButton.addEventListener("click", undo);
    if (said) { status(said); said = ""; }
  }

  // The selection inside the decision's paragraph, in code points, snapped as the annotate page snaps.
  function selected(root) {
    const s = window.getSelection();
    if (!s || !s.rangeCount || s.isCollapsed) return null;
    const r = s.getRangeAt(0);
    const text = new A.Text(root.textContent);
    let a = A.pointToCp(root, r.startContainer, r.startOffset, text);
    let b = A.pointToCp(root, r.endContainer, r.endOffset, text);
    if (a === null || b === null) return null;
    if (a > b) [a, b] = [b, a];
    if (keyed && keyed.start === a && keyed.end === b) return text.span(a, b);
    const snapped = text.snap(a, b, localStorage.getItem("annotate-snap") !== "off");
    return snapped ? text.span(snapped.start, snapped.end) : null;
  }

  // A code point of the paragraph -> a DOM point in its drawn pieces (an end point: the piece it ends).
  function domPoint(root, text, cp, end) {
    for (const seg of root.querySelectorAll(".seg")) {
      const a = Number(seg.dataset.start);
      const b = Number(seg.dataset.end);
      if (end ? a < cp && cp <= b : a <= cp && cp < b) return [seg.firstChild, text.c2u[cp] - text.c2u[a]];
    }
    return null;
  }

  // The annotate page's keys for the selection: arrows by word, Shift to extend, Alt+Shift by a character.
  function arrows(e, root) {
    const k = e.key;
    if (["ArrowLeft", "ArrowRight", "Home", "End"].indexOf(k) < 0 || e.ctrlKey || e.metaKey) return false;
    const text = new A.Text(root.textContent);
    const sel = new A.Selection(text);
    const s = window.getSelection();
    const r = s && s.rangeCount && !s.isCollapsed && root.contains(s.getRangeAt(0).commonAncestorContainer)
      ? s.getRangeAt(0) : null;
    if (r) {
      const a = A.pointToCp(root, r.startContainer, r.startOffset, text);
      const b = A.pointToCp(root, r.endContainer, r.endOffset, text);
      if (a !== null && b !== null && a < b) sel.set(a, b);
      if (keyed && keyed.start === sel.start && keyed.end === sel.end) sel.back = keyed.back;
    } else {
      if (k === "End") sel.endKey(); // nothing selected yet: an arrow or Home selects the first word
      return apply(root, text, sel);
    }
    if (k === "ArrowRight" || k === "ArrowLeft") {
      const dir = k === "ArrowRight" ? 1 : -1;
      if (e.shiftKey && e.altKey) sel.nudgeEnd(dir);
      else if (e.shiftKey) sel.extend(dir);
      else if (dir > 0) sel.right(); else sel.left();
    } else if (k === "Home") { if (e.shiftKey) sel.extendHome(); else sel.home(); }
    else if (e.shiftKey) sel.extendEnd(); else sel.endKey();
    return apply(root, text, sel);
  }

  function apply(root, text, sel) {
    const a = domPoint(root, text, sel.start, false);
    const b = domPoint(root, text, sel.end, true);
    if (!a || !b) return true;
    const range = document.createRange();
    range.setStart(a[0], a[1]);
    range.setEnd(b[0], b[1]);
    const s = window.getSelection();
    s.removeAllRanges();
    s.addRange(range);
    keyed = { start: sel.start, end: sel.end, back: sel.back };
    status(`Selected “${text.slice(sel.start, sel.end)}”.`);
    return true;
  }

  function undo() {
    const ed = editor();
    const inputs = ed ? ed.querySelectorAll("input.moved-span") : [];
    if (!inputs.length) { status("No span was moved."); return; }
    inputs.forEach((i) => i.remove());
    said = "The moves are undone: the spans are the chosen annotators' again.";
    status(said);
    const picks = document.querySelector("#decision .picks");
    if (picks && window.htmx) window.htmx.trigger(picks, "change");
  }

  function move(role, kind, what) {
    const ed = editor();
    const root = document.getElementById("gold-text");
    const span = selected(root);
    if (!span) { status("Select the new text in the decision's paragraph first."); return; }
    const target = ed.querySelector(`select.span-target[data-kind="${kind}"]`);
    if (!target || target.disabled || !target.value) {
      const title = target ? target.closest("label").firstChild.textContent.replace(/\s*\(.*$/s, "").trim() : kind;
      status(`The decision has no ${title.toLowerCase()}: take one in the choices first.`);
      return;
    }
    const name = `span:${target.value}:${role}`;
    let input = Array.from(ed.querySelectorAll("input.moved-span")).find((i) => i.name === name);
    if (!input) {
      input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      input.className = "moved-span";
      ed.appendChild(input);
    }
    input.value = JSON.stringify(span);
    const label = target.options[target.selectedIndex].textContent.replace(/\s*\(.*$/s, "");
    said = `${label}: ${what} moved to “${span.text}”. Save the decision to keep it.`;
    window.getSelection().removeAllRanges();
    refocus = document.activeElement === root;
    status(said);
    // the choices' preview recomposes the gold with the move, redraws the paragraph and the JSON
    const picks = document.querySelector("#decision .picks");
    if (picks && window.htmx) window.htmx.trigger(picks, "change");
  }

  document.addEventListener("keydown", (e) => {
    const root = document.getElementById("gold-text");
    if (!root || !editor()) return;
    if (e.target === root && arrows(e, root)) { e.preventDefault(); return; }
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const t = e.target;
    if (t && t.closest && t.closest("input, textarea, select, button, [contenteditable]")) return;
    // role key -> [role, kind of item it moves, its label]: the scheme's span roles, drawn by the server
    const tools = editor().querySelector(".span-tools");
    const spec = JSON.parse(tools.dataset.keys || "{}")[e.key];
    if (!spec) return;
    const s = window.getSelection();
    const inside = s && s.rangeCount && root.contains(s.getRangeAt(0).commonAncestorContainer);
    if (!inside && t !== root) return;
    e.preventDefault();
    move(spec[0], spec[1], spec[2]);
  });
  // a preview swapped in a fresh decision: its tools start hidden, as without JavaScript
  document.addEventListener("htmx:afterSwap", () => {
    if (document.querySelector(".span-editor .span-tools[hidden]")) setUp();
  });
  document.addEventListener("DOMContentLoaded", setUp);
})(window.Annotate);
