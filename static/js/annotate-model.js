// The labels document and the rules that make attribution one structure:
// a cue starts an attribution; sources, contents, supplements and embedded sources marked next
// attach to the current attribution; a claim links to the attribution whose content holds it
// (or to the outlet's own voice); the primary frame is the only frame chosen, or the one chosen explicitly.
// Every edit goes through record(): the undo history holds whole states, back to the page's first one.
// For other code on the page (suggestions): addItem(list, fields) adds an item and makes it current,
// select(list, index) / selectAttributionId(id) make an item current, and App.changed() after any
// change to the document records one undo step, redraws, and keeps the draft.
"use strict";
window.Annotate = window.Annotate || {};
(function (A) {
  function Model(scheme, labels, text) {
    this.scheme = scheme;
    this.text = text;
    this.doc = labels && typeof labels === "object" ? labels : {};
    this.fields = {};
    for (const f of scheme.fields) this.fields[f.path] = f;
    this.roles = {};
    for (const r of scheme.span_roles) if (r.enabled) this.roles[r.name] = r;
    this.current = null; // {list, index}: the item the last marked span went to
    this.attIndex = -1; // the current attribution: sources, contents ... attach to it
    const atts = this.list("attributions");
    if (atts.length) this.focusAttribution(atts.length - 1);
    // Lists drawn on every render exist from the start, so drawing never looks like an edit.
    this.list("claims");
    this.list("framing_spans");
    if (this.on("framing.stance")) this.list("stance");
    this.past = [];
    this.future = [];
    this.base = this.state();
    this.group = null;
  }
  // The undo history. A state is the document (as JSON) with the current item; record() after an edit
  // pushes the state before it. Typing into one field is one step (its ``group``), not one per key.
  Model.prototype.state = function () {
    return { doc: JSON.stringify(this.doc), attIndex: this.attIndex, current: this.current ? Object.assign({}, this.current) : null };
  };
  Model.prototype.restore = function (s) {
    this.doc = JSON.parse(s.doc);
    this.attIndex = s.attIndex;
    this.current = s.current ? Object.assign({}, s.current) : null;
  };
  Model.prototype.record = function (group) {
    const now = this.state();
    const edited = now.doc !== this.base.doc;
    if (edited && !(group && group === this.group)) {
      this.past.push(this.base);
      if (this.past.length > 2000) this.past.shift();
      this.future = [];
    }
    if (edited) this.group = group || null;
    this.base = now;
    return edited;
  };
  Model.prototype.undo = function () {
    if (!this.past.length) return false;
    this.future.push(this.state());
    this.base = this.past.pop();
    this.restore(this.base);
    this.group = null;
    return true;
  };
  Model.prototype.redo = function () {
    if (!this.future.length) return false;
    this.past.push(this.state());
    this.base = this.future.pop();
    this.restore(this.base);
    this.group = null;
    return true;
  };
  Model.prototype.canUndo = function () { return this.past.length > 0; };
  Model.prototype.canRedo = function () { return this.future.length > 0; };
  Model.prototype.on = function (path) { const f = this.fields[path]; return !!(f && f.enabled); };
  Model.prototype.list = function (name) {
    if (name === "framing_spans" || name === "stance") {
      this.doc.framing = this.doc.framing || {};
      if (!Array.isArray(this.doc.framing[name])) this.doc.framing[name] = [];
      return this.doc.framing[name];
    }
    if (!Array.isArray(this.doc[name])) this.doc[name] = [];
    return this.doc[name];
  };
  Model.prototype.nextId = function (name, prefix) {
    let n = 0;
    for (const item of this.list(name)) {
      const m = /^[a-z]+(\d+)$/.exec(item.id || "");
      if (m) n = Math.max(n, Number(m[1]));
    }
    return prefix + (n + 1);
  };
  // A new item with every enabled field of the list present and empty, as the server normalises it.
  Model.prototype.blank = function (listPath) {
    const item = {};
    for (const f of this.scheme.fields) {
      if (f.parent !== listPath || !f.enabled) continue;
      if (f.allowed_if) continue;
      if (f.type === "spans" || f.type === "multi" || f.type === "list") item[f.name] = [];
      else if (f.type === "text") item[f.name] = "";
      else item[f.name] = null;
    }
    return item;
  };
  Model.prototype.focusAttribution = function (index) {
    this.attIndex = index;
    this.current = { list: "attributions", index: index };
  };
  // Make an item current: an attribution also becomes the one new sources and contents attach to.
  Model.prototype.select = function (list, index) {
    if (!this.list(list)[index]) return false;
    if (list === "attributions") this.focusAttribution(index);
    else this.current = { list: list, index: index };
    return true;
  };
  Model.prototype.selectAttributionId = function (id) {
    const at = this.list("attributions").findIndex((a) => a.id === id);
    return at >= 0 && this.select("attributions", at);
  };
  // Add a whole item (an attribution or a claim gets the next free id unless it has one) and make it current.
  Model.prototype.addItem = function (list, fields) {
    const prefix = { attributions: "a", claims: "c" }[list];
    const item = Object.assign(this.blank(LIST_FIELD[list]), fields || {});
    if (prefix && !item.id) item.id = this.nextId(list, prefix);
    const items = this.list(list);
    items.push(item);
    this.select(list, items.length - 1);
    if (list === "attributions") this.relinkClaims();
    return item;
  };
  Model.prototype.newAttribution = function () {
    const item = Object.assign(this.blank("attributions"), { id: this.nextId("attributions", "a") });
    const list = this.list("attributions");
    list.push(item);
    this.focusAttribution(list.length - 1);
    return item;
  };
  Model.prototype.currentAttribution = function (create) {
    const list = this.list("attributions");
    if (list[this.attIndex]) return list[this.attIndex];
    if (!create) return null;
    return this.newAttribution();
  };
  Model.prototype.cycleAttribution = function () {
    const list = this.list("attributions");
    if (list.length) this.focusAttribution((this.attIndex + 1) % list.length);
  };
  const LIST_FIELD = { attributions: "attributions", claims: "claims", framing_spans: "framing.framing_spans", stance: "framing.stance" };
  function same(a, b) { return a && b && a.start === b.start && a.end === b.end; }
  function inside(inner, outer) { return outer.start <= inner.start && inner.end <= outer.end; }

  // Give the role to the span; return a short description of what happened.
  Model.prototype.mark = function (roleName, span) {
    const role = this.roles[roleName];
    if (!role) return "";
    const field = role.field;
    if (field === "attributions[].cue") {
      // The same cue again selects the attribution that holds it rather than starting a duplicate.
      const holder = this.list("attributions").findIndex((a) => same(a.cue, span));
      if (holder >= 0) { this.focusAttribution(holder); return this.list("attributions")[holder].id + " selected (it holds this cue)"; }
      let att = this.currentAttribution(false);
      if (!att || att.cue) att = this.newAttribution();
      att.cue = span;
      this.focusAttribution(this.list("attributions").indexOf(att));
      this.relinkClaims();
      return att.id + " cue";
    }
    if (field === "claims[].span") {
      const list = this.list("claims");
      const item = Object.assign(this.blank("claims"), { id: this.nextId("claims", "c"), span: span });
      item.attribution_id = this.attributionFor(span);
      list.push(item);
      this.current = { list: "claims", index: list.length - 1 };
      return item.id + (item.attribution_id ? " → " + item.attribution_id : " (outlet's voice)");
    }
    if (field === "framing.framing_spans") {
      const list = this.list("framing_spans");
      const item = Object.assign({ start: span.start, end: span.end, text: span.text }, this.blank("framing.framing_spans"));
      list.push(item);
      this.current = { list: "framing_spans", index: list.length - 1 };
      return "framing span " + list.length;
    }
    const m = /^attributions\[\]\.(\w+)(?:\.(\w+))?$/.exec(field);
    if (!m) return "";
    const att = this.currentAttribution(true);
    this.focusAttribution(this.list("attributions").indexOf(att));
    if (m[2]) { // embedded_source.source / .cue
      att[m[1]] = att[m[1]] || { source: null, cue: null };
      att[m[1]][m[2]] = span;
    } else if (this.fields[field].type === "spans") {
      att[m[1]] = att[m[1]] || [];
      const at = att[m[1]].findIndex((s) => same(s, span));
      if (at >= 0) { att[m[1]].splice(at, 1); return att.id + " " + role.label.toLowerCase() + " removed"; }
      att[m[1]].push(span);
      att[m[1]].sort((a, b) => a.start - b.start || a.end - b.end);
      if (m[1] === "contents") this.relinkClaims();
    } else {
      att[m[1]] = span;
    }
    return att.id + " " + role.label.toLowerCase();
  };
  Model.prototype.attributionFor = function (span) {
    for (const att of this.list("attributions")) {
      if ((att.contents || []).some((c) => inside(span, c))) return att.id;
    }
    return null;
  };
  // Claims marked before their attribution's content link to it once the content is there.
  Model.prototype.relinkClaims = function () {
    for (const claim of this.list("claims")) {
      if (claim.attribution_id == null && claim.span && !claim._linked) claim.attribution_id = this.attributionFor(claim.span);
    }
  };

  // Every span in the document, with where it lives, for drawing and for remove/resize.
  Model.prototype.spans = function () {
    const out = [];
    const roles = this.scheme.span_roles;
    const byField = {};
    for (const r of roles) byField[r.field] = r;
    // The item a span belongs to, as its marker names it: a1, c2, f3 (framing spans have no id).
    const owners = {
      attributions: (i) => this.list("attributions")[i].id || "a" + (i + 1),
      claims: (i) => this.list("claims")[i].id || "c" + (i + 1),
      framing_spans: (i) => "f" + (i + 1),
    };
    const add = (s, field, ref) => {
      const r = byField[field];
      if (s && r && typeof s.start === "number") out.push({ start: s.start, end: s.end, role: r.name, badge: r.badge, ref: ref, owner: owners[ref.list](ref.index) });
    };
    this.list("attributions").forEach((att, i) => {
      (att.sources || []).forEach((s, j) => add(s, "attributions[].sources", { list: "attributions", index: i, key: "sources", at: j }));
      add(att.cue, "attributions[].cue", { list: "attributions", index: i, key: "cue" });
      (att.contents || []).forEach((s, j) => add(s, "attributions[].contents", { list: "attributions", index: i, key: "contents", at: j }));
      (att.supplement || []).forEach((s, j) => add(s, "attributions[].supplement", { list: "attributions", index: i, key: "supplement", at: j }));
      if (att.embedded_source) {
        add(att.embedded_source.source, "attributions[].embedded_source.source", { list: "attributions", index: i, key: "embedded_source", sub: "source" });
        add(att.embedded_source.cue, "attributions[].embedded_source.cue", { list: "attributions", index: i, key: "embedded_source", sub: "cue" });
      }
    });
    this.list("claims").forEach((c, i) => add(c.span, "claims[].span", { list: "claims", index: i, key: "span" }));
    this.list("framing_spans").forEach((f, i) => add(f, "framing.framing_spans", { list: "framing_spans", index: i }));
    return out;
  };
  Model.prototype.item = function (ref) { return this.list(ref.list)[ref.index]; };
  // Remove one span. A framing span is its item; a cue or claim span leaves its item, to be re-marked.
  Model.prototype.removeSpan = function (ref) {
    const item = this.item(ref);
    if (!item) return;
    if (ref.list === "framing_spans") { this.removeItem(ref.list, ref.index); return; }
    if (ref.sub) {
      item[ref.key][ref.sub] = null;
      if (!item[ref.key].source && !item[ref.key].cue) item[ref.key] = null;
    } else if (ref.at !== undefined) item[ref.key].splice(ref.at, 1);
    else item[ref.key] = null;
    if (ref.list === "attributions") this.focusAttribution(ref.index); else this.current = { list: ref.list, index: ref.index };
  };
  Model.prototype.resizeSpan = function (ref, span) {
    const item = this.item(ref);
    if (!item) return;
    if (ref.list === "framing_spans") Object.assign(item, { start: span.start, end: span.end, text: span.text });
    else if (ref.sub) item[ref.key][ref.sub] = span;
    else if (ref.at !== undefined) item[ref.key][ref.at] = span;
    else item[ref.key] = span;
  };
  Model.prototype.removeItem = function (list, index) {
    const items = this.list(list);
    const gone = items.splice(index, 1)[0];
    if (list === "attributions" && gone) {
      for (const c of this.list("claims")) if (c.attribution_id === gone.id) c.attribution_id = null;
      if (this.attIndex >= items.length || this.attIndex > index) this.attIndex -= 1;
      else if (this.attIndex === index) this.attIndex = items.length ? Math.min(index, items.length - 1) : -1;
    }
    if (this.current && this.current.list === list) {
      this.current = items.length ? { list: list, index: Math.min(this.current.index, items.length - 1) } : null;
    }
  };
  Model.prototype.addStance = function () {
    const list = this.list("stance");
    list.push(this.blank("framing.stance"));
    this.current = { list: "stance", index: list.length - 1 };
    return list.length - 1;
  };

  // Read and write a field by concrete path ("claims[0].checkworthiness", "framing.frames", "kind").
  function parse(path) {
    return path.split(".").flatMap((part) => {
      const m = /^(\w+)\[(\d+)\]$/.exec(part);
      return m ? [m[1], Number(m[2])] : [part];
    });
  }
  Model.prototype.get = function (path) {
    let v = this.doc;
    for (const k of parse(path)) { if (v == null) return undefined; v = v[k]; }
    return v;
  };
  Model.prototype.set = function (path, value) {
    const keys = parse(path);
    let v = this.doc;
    for (const k of keys.slice(0, -1)) { if (v[k] == null) v[k] = {}; v = v[k]; }
    v[keys[keys.length - 1]] = value;
    this.afterSet(path, keys, value);
  };
  Model.prototype.afterSet = function (path, keys, value) {
    if (path === "framing.primary_frame") this.primaryChosen = value != null;
    if (path === "framing.frames") {
      const fr = this.doc.framing;
      // The only frame is the primary one; once there are several, the annotator names it: the one that
      // was primary only for being alone stops being primary (never a silent guess).
      if (value.length === 1) fr.primary_frame = value[0];
      else if (fr.primary_frame && (value.indexOf(fr.primary_frame) < 0 || !this.primaryChosen)) fr.primary_frame = null;
      if (value.length <= 1) this.primaryChosen = false;
    }
    const name = keys[keys.length - 1];
    if (name === "attribution_id") this.item({ list: "claims", index: keys[1] })._linked = true;
    if (keys[0] === "framing" && keys[1] === "framing_spans" && name === "technique") {
      const item = this.doc.framing.framing_spans[keys[2]];
      const f = this.fields["framing.framing_spans[].alternative"];
      if (f && f.enabled) {
        if (value === f.allowed_if.equals) { if (item.alternative == null) item.alternative = ""; } else delete item.alternative;
      }
    }
  };
  Model.prototype.toggle = function (path, value) {
    const list = (this.get(path) || []).slice();
    const at = list.indexOf(value);
    if (at >= 0) list.splice(at, 1); else list.push(value);
    this.set(path, list);
  };
  // The document as posted: private markers dropped.
  Model.prototype.json = function () {
    return JSON.stringify(this.doc, (k, v) => (k.startsWith("_") ? undefined : v));
  };
  A.Model = Model;
})(window.Annotate);
