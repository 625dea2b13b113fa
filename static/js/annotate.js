// The annotate page: wires the text, the model and the panel; saves, drafts, navigation without reloads.
// Requests carry the CSRF token from <body hx-headers>; fragments come from the same URLs as the pages.
"use strict";
window.Annotate = window.Annotate || {};
(function (A) {
  let app = null;
  const $ = (id) => document.getElementById(id);

  function csrf() {
    try { return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || ""; } catch (e) { return ""; }
  }
  // URL-encoded, not multipart: the labels travel as one field, and the server parses it faster.
  function post(url, fields, extra) {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(fields)) body.append(k, v);
    return fetch(url, Object.assign({ method: "POST", body, credentials: "same-origin",
      headers: schemeHeaders({ "X-CSRFToken": csrf(), Accept: "application/json", "HX-Request": "true" }) }, extra || {}));
  }

  // The words of an HTML error fragment (parsed inert in a template, never inserted).
  function textOf(html) {
    const tpl = document.createElement("template");
    tpl.innerHTML = html;
    return (tpl.content.textContent || "").trim().replace(/\s+/g, " ").slice(0, 300);
  }

  // The scheme and the key overlay come with the first page; later paragraphs are fetched with
  // X-Scheme naming them, and the server leaves them out of the fragment.
  function loadScheme() {
    const el = $("scheme-data");
    if (el) { A.scheme = JSON.parse(el.textContent); A.schemeTag = el.dataset.tag; el.remove(); }
    return A.scheme;
  }
  function schemeHeaders(headers) {
    if (A.schemeTag) headers["X-Scheme"] = A.schemeTag;
    return headers;
  }

  function App(root) {
    this.root = root;
    this.data = JSON.parse($("task-data").textContent);
    this.data.scheme = loadScheme();
    this.text = new A.Text(this.data.text);
    this.sel = new A.Selection(this.text);
    this.version = this.data.version;
    this.localKey = `annotate-draft:${this.data.user_id}:${this.data.paragraph_id}`;
    const kept = this.readLocal();
    const local = kept && !kept.sent ? kept : null;
    this.model = new A.Model(this.data.scheme, local ? JSON.parse(local.labels) : this.data.labels, this.text);
    // After a restore, keys act on the attribution that was current when the page was left.
    if (kept && kept.current) this.model.selectAttributionId(kept.current);
    this.errors = [];
    this.grabbed = null;
    this.found = null;
    this.snap = localStorage.getItem("annotate-snap") !== "off";
    this.roleByKey = {};
    A.roleOrder = {};
    this.data.scheme.span_roles.forEach((r, i) => { if (r.enabled) { this.roleByKey[r.key] = r.name; A.roleOrder[r.name] = i; } });
    this.textEl = $("para-text");
    this.panel = new A.Panel(this);
    this.dirty = false;
    this.clock = A.clock = A.clock || new A.Clock();
    this.textEl.addEventListener("mouseup", (e) => this.mouse(e));
    this.textEl.addEventListener("mouseover", (e) => this.hoverText(e));
    this.textEl.addEventListener("mouseleave", () => this.highlight(null));
    const find = $("find-input");
    find.addEventListener("keydown", (e) => A.onFindKey(this, e));
    find.addEventListener("input", () => { const i = this.sel.find(find.value); this.found = i >= 0 ? this.text.tokens[i] : null; this.drawText(); });
    root.querySelectorAll("form[data-js]").forEach((form) => form.addEventListener("submit", (e) => this.submitForm(e, form)));
    root.querySelectorAll("a[data-nav]").forEach((a) => a.addEventListener("click", (e) => { e.preventDefault(); this.navigate(a.href); }));
    root.querySelectorAll("[data-action]").forEach((b) => b.addEventListener("click", () => this.action(b.dataset.action)));
    root.querySelectorAll("button[data-role]").forEach((b) => b.addEventListener("click", () => { this.markSelection(b.dataset.role); this.focusText(); }));
    const snapBox = $("snap-toggle");
    snapBox.checked = this.snap;
    snapBox.addEventListener("change", () => this.toggleSnap(snapBox.checked));
    const flagDialog = $("flag-dialog");
    if (flagDialog) this.guardNote(flagDialog);
    root.classList.add("js");
    this.render();
    this.textEl.focus();
    if (local) {
      // Edits this browser kept but the server may not have received (a reload right after them).
      this.dirty = true;
      this.showRestored(local.at);
      this.flushDraft();
    }
  }
  // What this browser kept for the paragraph: the labels (``sent`` once the server confirmed them) and
  // the current attribution. Kept on another version of the saved labels, it is stale and dropped.
  App.prototype.readLocal = function () {
    try {
      const kept = JSON.parse(localStorage.getItem(this.localKey) || "null");
      if (kept && kept.version === this.data.version) return kept;
      if (kept) localStorage.removeItem(this.localKey);
    } catch (e) { /* storage refused or corrupt: the server's draft stands */ }
    return null;
  };
  App.prototype.keepLocal = function (sent) {
    const att = this.model.currentAttribution(false);
    try {
      localStorage.setItem(this.localKey, JSON.stringify({ labels: this.model.json(), version: this.version,
        current: att ? att.id : null, at: new Date().toISOString(), sent: !!sent }));
    } catch (e) { /* full or refused: the server draft still follows */ }
  };
  App.prototype.dropLocal = function () { try { localStorage.removeItem(this.localKey); } catch (e) { /* nothing kept */ } };
  App.prototype.showRestored = function (iso) {
    const box = document.createElement("div");
    box.className = "alert";
    box.id = "draft-notice";
    const when = document.createElement("time");
    when.dateTime = iso;
    when.title = iso;
    when.textContent = A.ago ? A.ago(iso) : iso;
    const drop = document.createElement("button");
    drop.type = "button";
    drop.className = "small";
    drop.textContent = "Discard it and load the saved labels";
    drop.addEventListener("click", () => this.discardDraft());
    box.append("Your unsaved changes from ", when, " were restored. ", drop);
    const old = $("draft-notice");
    if (old) old.replaceWith(box); else this.root.querySelector(".taskbar").after(box);
  };
  App.prototype.action = function (name) {
    const actions = {
      save: () => this.save(false), "save-next": () => this.save(true), help: () => this.openDialog("keys-help"),
      "discard-draft": () => this.discardDraft(), reload: () => this.reloadSaved(), overwrite: () => this.overwrite(),
      skip: () => this.openDialog("skip-dialog"), flag: () => this.openDialog("flag-dialog"),
      undo: () => this.undo(), redo: () => this.redo(), find: () => this.openFind(),
      "new-attribution": () => { this.model.newAttribution(); this.changed(); this.focusText(); },
      "next-field": () => this.gotoWork(),
    };
    if (actions[name]) actions[name]();
  };
  App.prototype.drawText = function () {
    A.renderText(this.textEl, this.text, this.model.spans(), this.sel, this.grabbed, this.found, this.hl);
    const s = this.sel;
    $("sel-info").textContent = `“${this.text.slice(s.start, s.end)}” ${s.start}–${s.end}` + (this.grabbed ? " (resizing: press its key or Enter)" : "");
    this.textEl.dataset.selStart = s.start;
    this.textEl.dataset.selEnd = s.end;
  };
  App.prototype.render = function () {
    this.drawText();
    this.panel.render();
    this.updateUndo();
  };
  App.prototype.updateUndo = function () {
    const undo = $("undo-btn");
    const redo = $("redo-btn");
    if (undo) undo.disabled = !this.model.canUndo();
    if (redo) redo.disabled = !this.model.canRedo();
  };
  // Time spent here not yet reported goes to the server before the page shows another paragraph.
  App.prototype.reportTime = function () {
    const ms = this.clock.take();
    if (ms) post(this.data.urls.time, { ms: String(ms) }).catch(() => { /* a lost report costs only time */ });
  };
  // Hovering or focusing an item lights all its spans in the text (and its card in the panel).
  // Classes only, never a redraw: a mouse selection in progress keeps its anchor.
  App.prototype.highlight = function (owner) {
    if (owner === this.hl) return;
    this.hl = owner;
    this.textEl.querySelectorAll(".seg.lit").forEach((n) => n.classList.remove("lit"));
    if (owner) this.textEl.querySelectorAll(`.seg[data-owners~="${CSS.escape(owner)}"]`).forEach((n) => n.classList.add("lit"));
    this.panel.root.querySelectorAll(".item.hl").forEach((n) => n.classList.remove("hl"));
    if (owner) {
      const card = this.panel.root.querySelector(`.item[data-owner="${CSS.escape(owner)}"]`);
      if (card) card.classList.add("hl");
    }
  };
  App.prototype.hoverText = function (e) {
    const seg = e.target.closest && e.target.closest(".seg");
    if (!seg) return;
    const here = this.spansAt(Number(seg.dataset.start), Number(seg.dataset.end));
    const at = here.find((x) => x.ref.list === "attributions") || here[0];
    this.highlight(at ? at.owner : null);
  };
  // Make the item owning a span current: the innermost attribution span wins, then any other item.
  App.prototype.selectOwnerAt = function (start, end) {
    const here = this.spansAt(start, end);
    const s = here.find((x) => x.ref.list === "attributions") || here[0];
    if (!s) return false;
    this.model.select(s.ref.list, s.ref.index);
    this.panel.render();
    this.keepLocal(!this.dirty);
    const card = this.panel.root.querySelector(".item.current");
    if (card && card.scrollIntoView) card.scrollIntoView({ block: "nearest" });
    this.status(`${s.owner} is current`);
    return true;
  };
  App.prototype.selectItem = function (list, index) {
    const cur = this.model.current;
    if (cur && cur.list === list && cur.index === index && (list !== "attributions" || this.model.attIndex === index)) return;
    this.model.select(list, index);
    this.model.record();
    this.render();
    this.keepLocal(!this.dirty);
    const item = this.model.item({ list, index });
    this.status(`${(item && item.id) || list + " " + (index + 1)} is current`);
  };
  App.prototype.undo = function () { this.step(this.model.undo(), "Undone", "Nothing to undo: this is the page's first state"); };
  App.prototype.redo = function () { this.step(this.model.redo(), "Redone", "Nothing to redo"); };
  App.prototype.step = function (moved, done, none) {
    if (!moved) { this.status(none); return; }
    this.grabbed = null;
    this.dirty = true;
    this.render();
    this.keepLocal();
    this.scheduleDraft();
    this.status(`${done} (Ctrl+Z undo · Ctrl+Shift+Z redo)`);
  };
  App.prototype.moved = function () {
    this.drawText();
    const seg = this.textEl.querySelector(".sel");
    if (seg && seg.scrollIntoView) seg.scrollIntoView({ block: "nearest" });
    return true;
  };
  App.prototype.status = function (msg, kind) {
    const s = $("status");
    s.textContent = msg;
    s.className = "status" + (kind ? " " + kind : "");
  };
  // After every edit: one undo step (typing into a field, named by ``typing``, is one step per field),
  // a copy in this browser at once, and a draft to the server shortly after.
  App.prototype.changed = function (typing) {
    const edited = this.model.record(typeof typing === "string" ? typing : null);
    if (!typing) this.render(); else this.updateUndo();
    if (!edited) { this.keepLocal(!this.dirty); return; }
    this.dirty = true;
    this.keepLocal();
    this.scheduleDraft();
    this.status("Unsaved changes (a draft is kept)");
  };
  App.prototype.scheduleDraft = function () {
    clearTimeout(this.draftTimer);
    this.draftTimer = setTimeout(() => this.flushDraft(), 300);
  };
  App.prototype.mouse = function (e) {
    const s = window.getSelection();
    if (!s || !s.rangeCount) return;
    const r = s.getRangeAt(0);
    let a = A.pointToCp(this.textEl, r.startContainer, r.startOffset, this.text);
    let b = A.pointToCp(this.textEl, r.endContainer, r.endOffset, this.text);
    if (a === null || b === null) return;
    if (a > b) [a, b] = [b, a];
    if (a === b) {
      const i = this.text.tokenFrom(a);
      if (i < 0) return;
      const tok = this.text.tokens[i];
      if (e.shiftKey) { this.sel.start = Math.min(this.sel.start, tok.start); this.sel.end = Math.max(this.sel.end, tok.end); } else {
        this.sel.collapseTo(i);
        this.grabbed = null;
        this.selectOwnerAt(tok.start, tok.end);
      }
    } else {
      const snapped = this.text.snap(a, b, this.snap);
      if (!snapped) return;
      this.sel.set(snapped.start, snapped.end);
    }
    s.removeAllRanges();
    this.textEl.focus();
    this.moved();
  };
  App.prototype.markSelection = function (role) {
    const span = this.text.span(this.sel.start, this.sel.end);
    let what;
    if (this.grabbed && this.grabbed.role === role) {
      this.model.resizeSpan(this.grabbed.ref, span);
      what = "resized";
    } else {
      what = this.model.mark(role, span);
    }
    this.grabbed = null;
    this.changed();
    this.status(`${this.model.roles[role].label}: “${span.text}” — ${what}`);
  };
  App.prototype.spansAt = function (start, end) {
    return this.model.spans().filter((s) => s.start <= start && s.end >= end).sort((x, y) => (x.end - x.start) - (y.end - y.start));
  };
  App.prototype.grabAtSelection = function () {
    if (!this.grabbed) this.grabCaret = { start: this.sel.start, end: Math.min(this.sel.end, this.sel.start + 1) };
    const c = this.grabCaret;
    const list = this.spansAt(c.start, c.end);
    if (!list.length) { this.status("No span here to grab"); return; }
    let i = 0;
    if (this.grabbed) {
      const at = list.findIndex((s) => JSON.stringify(s.ref) === JSON.stringify(this.grabbed.ref));
      i = (at + 1) % list.length;
    }
    this.take(list[i]);
  };
  App.prototype.take = function (s) {
    this.grabbed = { ref: s.ref, role: s.role, start: s.start, end: s.end };
    this.sel.set(s.start, s.end);
    this.status(`Grabbed ${this.model.roles[s.role].label.toLowerCase()} “${this.text.slice(s.start, s.end)}”: Shift+arrows resize, ${this.model.roles[s.role].key} or Enter applies, x removes`);
    this.moved();
  };
  App.prototype.grab = function (ref) {
    const s = this.model.spans().find((x) => JSON.stringify(x.ref) === JSON.stringify(ref));
    if (s) this.model.select(ref.list, ref.index);
    if (s) { this.grabCaret = { start: s.start, end: s.start + 1 }; this.take(s); this.textEl.focus(); }
  };
  App.prototype.removeAtSelection = function () {
    let target = this.grabbed;
    if (!target) {
      const list = this.spansAt(this.sel.start, this.sel.end);
      target = list.find((s) => s.start === this.sel.start && s.end === this.sel.end) || list[0];
    }
    if (!target) { this.status("No span here to remove"); return; }
    this.model.removeSpan(target.ref);
    this.grabbed = null;
    this.changed();
    this.status(`Removed the ${target.role} span (Ctrl+Z brings it back)`);
  };
  App.prototype.toggleSnap = function (on) {
    this.snap = on === undefined ? !this.snap : on;
    localStorage.setItem("annotate-snap", this.snap ? "on" : "off");
    $("snap-toggle").checked = this.snap;
    this.status(this.snap ? "Mouse selections snap to words" : "Mouse selections are exact (no snapping)");
  };
  App.prototype.stops = function () { return Array.from(this.panel.root.querySelectorAll(".stop")); };
  App.prototype.gotoWork = function () {
    if (this.grabbed && (this.grabbed.start !== this.sel.start || this.grabbed.end !== this.sel.end)) {
      this.markSelection(this.grabbed.role);
      return;
    }
    const cur = this.model.current;
    const stops = this.stops();
    let next = cur ? stops.find((s) => s.dataset.item === `${cur.list}:${cur.index}` && s.dataset.unset) : null;
    next = next || stops.find((s) => s.dataset.unset);
    if (next) next.focus(); else this.status("Every field is filled in: Ctrl+Enter saves and opens the next paragraph");
  };
  App.prototype.advance = function (stop) {
    const stops = this.stops();
    const i = stops.indexOf(stop);
    const next = stops.slice(i + 1).find((s) => s.dataset.item === stop.dataset.item && s.dataset.unset);
    if (next) next.focus(); else this.focusText();
  };
  App.prototype.choose = function (path, f, value) {
    if (f.type === "multi") this.model.toggle(path, value);
    else this.model.set(path, value);
    this.changed();
    if (f.type !== "multi") {
      const stop = this.panel.root.querySelector(`.stop[data-path="${CSS.escape(path)}"]`);
      if (stop) this.advance(stop);
    }
  };
  App.prototype.clear = function (path) {
    const v = this.model.get(path);
    this.model.set(path, Array.isArray(v) ? [] : null);
    this.changed();
  };
  App.prototype.focusPath = function (path) {
    const stop = this.panel.root.querySelector(`[data-path="${CSS.escape(path)}"]`);
    if (stop) stop.focus();
  };
  App.prototype.focusText = function () { this.textEl.focus(); };
  App.prototype.addStance = function () {
    if (!this.model.on("framing.stance")) return;
    const i = this.model.addStance();
    this.changed();
    this.focusPath(`framing.stance[${i}].target`);
  };
  App.prototype.openFind = function () {
    const bar = $("find-bar");
    bar.hidden = false;
    const input = $("find-input");
    input.value = "";
    input.focus();
  };
  App.prototype.closeFind = function () {
    $("find-bar").hidden = true;
    this.found = null;
    this.focusText();
    this.moved();
  };
  App.prototype.openDialog = function (id) {
    const d = $(id);
    if (d && !d.open) d.showModal();
  };
  // Leaving the page: the draft and the time not yet reported go in a beacon, which outlives the page.
  App.prototype.leave = function () {
    clearTimeout(this.draftTimer);
    const ms = this.clock.take();
    if (!this.dirty && !ms) return;
    const body = new URLSearchParams({ csrf_token: csrf(), ms: String(ms) });
    let url = this.data.urls.time;
    if (this.dirty) { body.append("labels", this.model.json()); body.append("version", this.version); url = this.data.urls.draft; }
    if (navigator.sendBeacon && navigator.sendBeacon(url, body)) { this.dirty = false; return; }
    this.clock.give(ms);
    this.flushDraft(true);
  };
  App.prototype.flushDraft = function (keepalive) {
    clearTimeout(this.draftTimer);
    if (!this.dirty) return this.draftPromise || Promise.resolve();
    this.dirty = false;
    const labels = this.model.json();
    const ms = this.clock.take();
    const sent = post(this.data.urls.draft, { labels: labels, version: this.version, ms: String(ms) }, keepalive ? { keepalive: true } : {});
    this.draftPromise = sent.then((r) => {
      if (!r.ok) this.clock.give(ms);
      if (r.ok && labels === this.model.json() && !this.dirty) this.keepLocal(true);
      if (r.ok) return r.json().then((j) => this.status(j.lease === false
        ? "Draft kept, but others have filled this paragraph meanwhile: your save will be refused"
        : "Draft saved " + new Date().toLocaleTimeString()));
      this.dirty = r.status !== 403;
      this.status(r.status === 403
        ? "This paragraph is no longer yours (your lease ran out and was reclaimed): your labels are only in this page"
        : "The draft could not be saved (" + r.status + "); it is still in this page", "bad");
    }).catch(() => { this.dirty = true; this.clock.give(ms); this.status("No connection: the draft is still in this page", "bad"); });
    return this.draftPromise;
  };
  App.prototype.save = async function (next, version) {
    if (this.saving) return;
    this.saving = true;
    clearTimeout(this.draftTimer);
    this.dirty = false;
    try {
      await (this.draftPromise || Promise.resolve());
      const ms = this.clock.take();
      let r;
      try {
        r = await post(this.data.urls.save, {
          labels: this.model.json(), version: version === undefined ? this.version : version,
          ms: String(ms), next: next ? "1" : "",
        });
      } catch (e) { this.clock.give(ms); throw e; }
      // A refused save recorded no time: it goes with the next one.
      if (!r.ok) this.clock.give(ms);
      if (r.ok) this.dropLocal();
      const type = r.headers.get("Content-Type") || "";
      // The time this save took counts for the next paragraph, which the user is waiting for.
      if (r.ok && type.startsWith("text/html")) { this.swap(await r.text(), r.headers.get("X-Push-Url") || r.url, true, true); return; }
      const body = type.includes("json") ? await r.json() : { message: textOf(await r.text()) };
      if (r.ok) {
        this.version = body.version;
        this.errors = [];
        this.render();
        this.status(`Saved (version ${body.version})`, "good");
      } else if (r.status === 400 && body.errors) {
        this.errors = body.errors;
        this.dirty = true;
        this.render();
        this.status(`Not saved: ${body.errors.length} problem(s), shown beside the fields`, "bad");
        const first = this.panel.root.querySelector(".has-error");
        if (first) first.scrollIntoView({ block: "center" });
      } else if (r.status === 409 && typeof body.current === "number") {
        this.conflict = body.current;
        this.dirty = true;
        $("conflict-message").textContent = body.message;
        this.openDialog("conflict-dialog");
      } else {
        this.dirty = true;
        this.status(`Not saved (${r.status}): ${body.message || ""}`, "bad");
      }
    } catch (e) {
      this.dirty = true;
      this.status("No connection: nothing was saved; your work is still in this page", "bad");
    } finally {
      this.saving = false;
    }
  };
  App.prototype.overwrite = function () {
    $("conflict-dialog").close();
    this.save(false, this.conflict);
  };
  App.prototype.reloadSaved = async function () {
    $("conflict-dialog").close();
    clearTimeout(this.draftTimer);
    this.dirty = false;
    this.dropLocal();
    await post(this.data.urls.discard, {});
    this.navigate(location.href, false);
  };
  App.prototype.discardDraft = async function () {
    clearTimeout(this.draftTimer);
    this.dirty = false;
    this.dropLocal();
    await post(this.data.urls.discard, {});
    this.navigate(location.href, false);
  };
  App.prototype.previous = function () { this.navigate(this.data.urls.previous); };
  App.prototype.navigate = async function (url, push) {
    await this.flushDraft();
    let r;
    try {
      r = await fetch(url, { headers: schemeHeaders({ "HX-Request": "true" }), credentials: "same-origin" });
    } catch (e) { this.status("No connection", "bad"); return; }
    if (!r.ok) { $("flash").innerHTML = ""; $("flash").insertAdjacentHTML("beforeend", await r.text()); return; }
    this.swap(await r.text(), r.headers.get("X-Push-Url") || r.url, push !== false);
  };
  App.prototype.submitForm = async function (e, form) {
    e.preventDefault();
    await this.flushDraft();
    const d = form.closest("dialog");
    const r = await fetch(form.action, { method: "POST", body: new FormData(form, e.submitter || undefined), credentials: "same-origin",
      headers: schemeHeaders({ "X-CSRFToken": csrf(), "HX-Request": "true" }) });
    if (d) d.close();
    const html = await r.text();
    if (!r.ok) { $("flash").replaceChildren(); $("flash").insertAdjacentHTML("beforeend", html); return; }
    const message = r.headers.get("X-Message");
    if (form.dataset.js === "stay") { form.reset(); this.status(message || "Done", "good"); return; }
    this.swap(html, r.headers.get("X-Push-Url") || r.url, true);
    if (message && A.app) A.app.status(message, "good");
  };
  // Esc in the flag dialog with a note typed: the first press says the note would be lost, the second
  // closes and drops it.
  App.prototype.guardNote = function (dialog) {
    const note = dialog.querySelector("input[name=note], textarea[name=note]");
    if (!note) return;
    const warn = document.createElement("p");
    warn.className = "hint warn-note";
    warn.setAttribute("role", "alert");
    dialog.addEventListener("cancel", (e) => {
      if (!note.value.trim() || warn.isConnected) { warn.remove(); return; }
      e.preventDefault();
      warn.textContent = "Your note is not sent yet: Enter flags the paragraph with it, Esc again closes and drops it.";
      note.closest("form").appendChild(warn);
    });
    dialog.addEventListener("close", () => { if (warn.isConnected) { warn.remove(); note.value = ""; } });
  };
  App.prototype.swap = function (html, url, push, saved) {
    const tpl = document.createElement("template");
    tpl.innerHTML = html;
    const fresh = tpl.content.querySelector("#task") || tpl.content.firstElementChild;
    const old = $("task");
    if (!fresh || !old) { location.href = url; return; }
    if (app && !saved) app.reportTime();
    // A fragment sent without the key overlay keeps the one this page has.
    const keys = $("keys-help");
    if (keys && !fresh.querySelector("#keys-help")) fresh.appendChild(keys);
    old.replaceWith(fresh);
    $("flash").replaceChildren();
    if (push && url) history.pushState({ annotate: true }, "", url);
    app = null;
    start();
  };

  function start() {
    const root = $("task");
    if (root && $("task-data")) { app = new App(root); A.app = app; }
    else if (root) root.querySelectorAll("a[data-nav]").forEach((a) => a.addEventListener("click", (e) => { e.preventDefault(); navigateTo(a.href); }));
  }
  async function navigateTo(url) {
    const r = await fetch(url, { headers: schemeHeaders({ "HX-Request": "true" }), credentials: "same-origin" });
    const tpl = document.createElement("template");
    tpl.innerHTML = await r.text();
    const fresh = tpl.content.querySelector("#task");
    if (!fresh) { location.href = url; return; }
    $("task").replaceWith(fresh);
    history.pushState({ annotate: true }, "", r.headers.get("X-Push-Url") || r.url);
    start();
  }
  document.addEventListener("keydown", (e) => { if (app) A.onKey(app, e); });
  document.addEventListener("visibilitychange", () => {
    if (!app) return;
    app.clock.visible(!document.hidden);
    if (document.hidden) app.leave();
  });
  window.addEventListener("pagehide", () => { if (app) app.leave(); });
  window.addEventListener("popstate", () => { if (app) app.navigate(location.href, false); else location.reload(); });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})(window.Annotate);
