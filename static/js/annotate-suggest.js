// Suggestions on the annotate page (issue 16): the project's suggested attributions and claims,
// drawn apart from the annotator's own spans (a copy of the paragraph, dashed, with badges), one at
// a time. Keys in the text: y accepts the current suggestion, Y accepts all, N rejects it.
// Accepted items are ordinary items (editable like any other) marked origin "suggested"; the server
// compares them with the suggestion when saving, so an edited one is saved as "suggested_edited".
// Hooks without editing the other annotate scripts: A.app is a property whose setter attaches here,
// and the keys join A.COMMANDS.
"use strict";
window.Annotate = window.Annotate || {};
(function (A) {
  const LISTS = ["attributions", "claims"];
  // The span fields of each list, in drawing order: [key, role name, several spans?].
  const SPANS = {
    attributions: [["sources", "source", true], ["cue", "cue", false], ["contents", "content", true], ["supplement", "supplement", true]],
    claims: [["span", "claim", false]],
  };

  function Suggest(app) {
    this.app = app;
    const offered = app.data.suggestions;
    this.source = offered ? offered.source : null;
    this.labels = offered ? offered.labels || {} : {};
    this.rejected = new Set();
    this.accepted = {}; // suggestion item id -> the id it got in the document
    this.box = null;
    if (offered) this.mount();
  }
  function sameSpan(a, b) { return !!a && !!b && a.start === b.start && a.end === b.end; }
  function keyOf(list, item, i) { return `${list}:${item.id || i}`; }

  // Suggested items not yet accepted, rejected, or already in the annotator's document.
  Suggest.prototype.pending = function () {
    const out = [];
    const model = this.app.model;
    for (const list of LISTS) {
      if (!model.on(list)) continue;
      const mine = model.list(list);
      (this.labels[list] || []).forEach((item, i) => {
        if (!item || typeof item !== "object") return;
        const key = keyOf(list, item, i);
        if (this.rejected.has(key) || this.accepted[key]) return;
        const anchor = list === "attributions" ? "cue" : "span";
        if (mine.some((m) => sameSpan(m[anchor], item[anchor]))) return;
        out.push({ list, item, key });
      });
    }
    return out;
  };

  // The suggestion as an item of this project's document: enabled fields only, a fresh id.
  Suggest.prototype.adopt = function (s) {
    const model = this.app.model;
    const item = model.blank(s.list);
    for (const [k, v] of Object.entries(s.item)) {
      const f = model.fields[`${s.list}[].${k}`];
      if (f && f.enabled && k !== "id") item[k] = JSON.parse(JSON.stringify(v));
    }
    item.id = model.nextId(s.list, s.list === "attributions" ? "a" : "c");
    if (s.list === "claims" && item.attribution_id != null) {
      item.attribution_id = this.accepted[`attributions:${item.attribution_id}`] || null;
      if (item.attribution_id) item._linked = true;
    }
    item.origin = "suggested";
    model.list(s.list).push(item);
    if (s.list === "attributions") model.focusAttribution(model.list("attributions").length - 1);
    else model.current = { list: s.list, index: model.list(s.list).length - 1 };
    this.accepted[s.key] = item.id;
    return item;
  };

  Suggest.prototype.acceptOne = function () {
    const next = this.pending()[0];
    if (!next) { this.app.status("No suggestion left to accept"); return; }
    const item = this.adopt(next);
    this.app.changed();
    this.app.status(`Accepted suggestion as ${item.id}: edit it like any other, N rejects the next`);
  };
  Suggest.prototype.acceptAll = function () {
    const all = this.pending();
    all.forEach((s) => this.adopt(s));
    const filled = this.fillDocument();
    if (!all.length && !filled) { this.app.status("No suggestion left to accept"); return; }
    this.app.changed();
    this.app.status(`Accepted ${all.length} suggestion${all.length === 1 ? "" : "s"}${filled ? " and the paragraph's suggested fields" : ""}: Ctrl+Enter saves`);
  };
  // Paragraph-level fields a source suggests (kind, framing, notes) fill only what is still empty.
  Suggest.prototype.fillDocument = function () {
    const model = this.app.model;
    let filled = 0;
    const empty = (v) => v == null || v === "" || (Array.isArray(v) && !v.length);
    const fill = (path, value) => {
      const f = model.fields[path];
      if (!f || !f.enabled || empty(value) || !empty(model.get(path))) return;
      model.set(path, JSON.parse(JSON.stringify(value)));
      filled++;
    };
    fill("kind", this.labels.kind);
    fill("notes", this.labels.notes);
    const framing = this.labels.framing || {};
    for (const key of ["frames", "primary_frame", "framing_spans", "stance"]) fill(`framing.${key}`, framing[key]);
    return filled;
  };
  Suggest.prototype.reject = function () {
    const next = this.pending()[0];
    if (!next) { this.app.status("No suggestion left to reject"); return; }
    this.rejected.add(next.key);
    this.app.drawText();
    this.app.status("Suggestion rejected");
  };

  Suggest.prototype.mount = function () {
    const box = document.createElement("section");
    box.id = "suggest-box";
    box.className = "suggest";
    box.setAttribute("aria-label", "Suggestions");
    const current = this.app.textEl.closest(".current") || this.app.textEl.parentNode;
    const legend = current.querySelector(".legend");
    current.insertBefore(box, legend || null);
    box.addEventListener("click", (e) => {
      const b = e.target.closest("button[data-suggest]");
      if (!b) return;
      ({ one: () => this.acceptOne(), all: () => this.acceptAll(), reject: () => this.reject() })[b.dataset.suggest]();
      this.app.focusText();
    });
    this.box = box;
  };

  // The current suggestion over a copy of the paragraph: spans dashed in their role's colour, each
  // with its badge and the item it belongs to, so they never mix with the annotator's own.
  Suggest.prototype.draw = function () {
    if (!this.box) return;
    const pending = this.pending();
    const box = this.box;
    box.replaceChildren();
    const head = document.createElement("p");
    head.className = "suggest-head";
    if (!pending.length) {
      head.textContent = `Suggestions (${this.source}): none left.`;
      box.appendChild(head);
      return;
    }
    const cur = pending[0];
    head.innerHTML = "";
    const title = document.createElement("strong");
    title.textContent = `Suggestion 1 of ${pending.length}`;
    head.append(title, ` (${this.source}): ${cur.list === "attributions" ? "attribution" : "claim"} `);
    for (const [name, key, label] of [["one", "y", "Accept"], ["all", "Y", "Accept all"], ["reject", "N", "Reject"]]) {
      const b = document.createElement("button");
      b.type = "button";
      b.className = "small";
      b.dataset.suggest = name;
      const kbd = document.createElement("kbd");
      kbd.textContent = key;
      b.append(kbd, " " + label);
      head.append(b, " ");
    }
    box.appendChild(head);
    box.appendChild(this.copy(cur));
  };
  Suggest.prototype.copy = function (cur) {
    const text = this.app.text;
    const roles = {};
    for (const r of this.app.data.scheme.span_roles) roles[r.name] = r;
    const marks = [];
    for (const [key, role, several] of SPANS[cur.list]) {
      const value = cur.item[key];
      for (const s of several ? value || [] : value ? [value] : []) {
        if (s && typeof s.start === "number" && roles[role]) marks.push({ start: s.start, end: s.end, role: roles[role] });
      }
    }
    marks.sort((a, b) => a.start - b.start);
    const p = document.createElement("p");
    p.className = "suggest-copy";
    p.dataset.item = cur.item.id || "";
    let at = 0;
    const slice = (a, b) => text.slice(a, b);
    for (const m of marks) {
      if (m.start < at) continue; // overlapping suggested spans: the first is drawn
      if (m.start > at) p.append(slice(at, m.start));
      const span = document.createElement("span");
      span.className = `sg sg-${m.role.name}`;
      span.style.borderBottom = `3px dashed var(--${m.role.name}, ${m.role.colour})`;
      span.dataset.role = m.role.name;
      const badge = document.createElement("span");
      badge.className = "sg-badge";
      badge.textContent = `${m.role.badge}${cur.item.id ? " " + cur.item.id : ""}`;
      badge.setAttribute("aria-label", `suggested ${m.role.label.toLowerCase()}`);
      span.append(badge, slice(m.start, m.end));
      p.appendChild(span);
      at = m.end;
    }
    if (at < text.length) p.append(slice(at, text.length));
    return p;
  };

  function attach(app) {
    if (!app || app.suggest) return;
    app.suggest = new Suggest(app);
    const draw = app.drawText.bind(app);
    app.drawText = function () { draw(); app.suggest.draw(); };
    app.suggest.draw();
  }
  let current = A.app;
  Object.defineProperty(A, "app", {
    configurable: true,
    get() { return current; },
    set(value) { current = value; attach(value); },
  });
  if (current) attach(current);

  if (A.COMMANDS) {
    A.COMMANDS.y = (app) => app.suggest && app.suggest.acceptOne();
    A.COMMANDS.Y = (app) => app.suggest && app.suggest.acceptAll();
    A.COMMANDS.N = (app) => app.suggest && app.suggest.reject();
  }
  A.Suggest = Suggest;
})(window.Annotate);
