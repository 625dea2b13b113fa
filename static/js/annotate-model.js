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
    // Lists by name ("framing_spans" lives at "framing.framing_spans"), and where each span role's spans
    // live (see places()): both read off the scheme, so a scheme with other fields draws and marks its own.
    this.listPaths = {};
    for (const f of scheme.fields) if (f.type === "list" && f.path.indexOf("[]") < 0) this.listPaths[f.name] = f.path;
    this.places = placesOf(scheme, this.fields);
    // The list whose current item gathers the spans marked next (attributions: sources, contents ...).
    this.gatherer = (this.places.find((p) => p.kind !== "item" && !p.anchor) || {}).list || null;
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
  Model.prototype.listPath = function (name) { return this.listPaths[name] || name; };
  Model.prototype.list = function (name) {
    const keys = this.listPath(name).split(".");
    let v = this.doc;
    for (const k of keys.slice(0, -1)) { if (!v[k] || typeof v[k] !== "object") v[k] = {}; v = v[k]; }
    const last = keys[keys.length - 1];
    if (!Array.isArray(v[last])) v[last] = [];
    return v[last];
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
    const prefix = this.idPrefix(this.listPath(list));
    const item = Object.assign(this.blank(this.listPath(list)), fields || {});
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
  // The id prefix of a list's items ("a" for a1, a2 ...), or null when they have no id.
  Model.prototype.idPrefix = function (listPath) {
    const f = this.scheme.fields.find((x) => x.parent === listPath && x.type === "id");
    return f ? f.prefix || null : null;
  };
  // Where each span role's spans live, in role order: {role, list (name), path (of the list), key, sub,
  // kind}. kind "item": the span is a list's item (framing.framing_spans); "span" / "spans": one span or a
  // list of spans under ``key`` of an item (attributions[].cue, attributions[].sources), or under ``sub`` of
  // the object at ``key`` (attributions[].embedded_source.cue). ``anchor``: a required span of the item
  // itself, which starts an item of its list (a cue, a claim's span).
  function placesOf(scheme, fields) {
    const out = [];
    for (const r of scheme.span_roles) {
      const f = fields[r.field];
      if (!f) continue;
      if (f.type === "list" && f.item === "span") {
        out.push({ role: r, list: f.name, path: f.path, kind: "item", anchor: true });
        continue;
      }
      const owner = fields[f.parent];
      if (!owner) continue;
      if (owner.type === "list") {
        out.push({ role: r, list: owner.name, path: owner.path, key: f.name, kind: f.type, anchor: f.type === "span" && f.required });
      } else if (owner.type === "object" && fields[owner.parent] && fields[owner.parent].type === "list") {
        const list = fields[owner.parent];
        out.push({ role: r, list: list.name, path: list.path, key: owner.name, sub: f.name, kind: f.type, anchor: false });
      }
    }
    return out;
  }
  function same(a, b) { return a && b && a.start === b.start && a.end === b.end; }
  function inside(inner, outer) { return outer.start <= inner.start && inner.end <= outer.end; }

  // Give the role to the span; return a short description of what happened. What a role does follows
  // from where its spans live (places()): a list of spans gets a new item; the anchor of an item that
  // gathers other spans fills the current item (or starts one); the anchor of any other item starts one,
  // linked to the attribution whose content holds it; other spans join the current item, a list of spans
  // toggling the span in or out.
  Model.prototype.mark = function (roleName, span) {
    const role = this.roles[roleName];
    if (!role) return "";
    const place = this.places.find((p) => p.role.name === roleName);
    if (!place) return "";
    const name = role.label.toLowerCase();
    const items = this.list(place.list);
    if (place.kind === "item") {
      items.push(Object.assign({ start: span.start, end: span.end, text: span.text }, this.blank(place.path)));
      this.current = { list: place.list, index: items.length - 1 };
      return name + " " + items.length;
    }
    if (place.anchor && place.list === this.gatherer) {
      // The same anchor again selects the item that holds it rather than starting a duplicate.
      const holder = items.findIndex((a) => same(a[place.key], span));
      if (holder >= 0) { this.focusAttribution(holder); return items[holder].id + " selected (it holds this " + name + ")"; }
      let item = this.currentAttribution(false);
      if (!item || item[place.key]) item = this.newAttribution();
      item[place.key] = span;
      this.focusAttribution(items.indexOf(item));
      this.relinkClaims();
      return item.id + " " + name;
    }
    if (place.anchor) {
      const item = this.blank(place.path);
      const prefix = this.idPrefix(place.path);
      if (prefix) item.id = this.nextId(place.list, prefix);
      item[place.key] = span;
      const link = this.scheme.fields.find((f) => f.parent === place.path && f.type === "ref" && f.refers_to === this.gatherer);
      if (link) item[link.name] = this.attributionFor(span);
      items.push(item);
      this.current = { list: place.list, index: items.length - 1 };
      if (!link) return item.id + " " + name;
      return item.id + (item[link.name] ? " → " + item[link.name] : " (outlet's voice)");
    }
    if (place.list !== this.gatherer) return "";
    const att = this.currentAttribution(true);
    this.focusAttribution(items.indexOf(att));
    const key = place.key;
    if (place.sub) {
      if (!att[key]) {
        att[key] = {};
        for (const f of this.scheme.fields) if (f.parent === place.path + "[]." + key) att[key][f.name] = null;
      }
      att[key][place.sub] = span;
    } else if (place.kind === "spans") {
      att[key] = att[key] || [];
      const at = att[key].findIndex((s) => same(s, span));
      if (at >= 0) { att[key].splice(at, 1); return att.id + " " + name + " removed"; }
      att[key].push(span);
      att[key].sort((a, b) => a.start - b.start || a.end - b.end);
      if (key === HOLDS_CLAIMS) this.relinkClaims();
    } else {
      att[key] = span;
    }
    return att.id + " " + name;
  };
  // The attribution spans a claim's span lies inside of when the claim is that attribution's.
  const HOLDS_CLAIMS = "contents";
  Model.prototype.attributionFor = function (span) {
    for (const att of this.list("attributions")) {
      if ((att[HOLDS_CLAIMS] || []).some((c) => inside(span, c))) return att.id;
    }
    return null;
  };
  // Claims marked before their attribution's content link to it once the content is there.
  Model.prototype.relinkClaims = function () {
    for (const claim of this.list("claims")) {
      if (claim.attribution_id == null && claim.span && !claim._linked) claim.attribution_id = this.attributionFor(claim.span);
    }
  };

  // Every span in the document, with where it lives, for drawing and for remove/resize: list by list
  // (in the order the roles name them), item by item, role by role.
  Model.prototype.spans = function () {
    const out = [];
    const lists = [];
    for (const p of this.places) if (lists.indexOf(p.list) < 0) lists.push(p.list);
    for (const list of lists) {
      const places = this.places.filter((p) => p.list === list);
      const prefix = this.idPrefix(places[0].path) || list.charAt(0);
      // The item a span belongs to, as its marker names it: a1, c2, f3 (framing spans have no id).
      const owner = (item, i) => item.id || prefix + (i + 1);
      const add = (s, role, ref, item) => {
        if (s && typeof s.start === "number") out.push({ start: s.start, end: s.end, role: role.name, badge: role.badge, ref: ref, owner: owner(item, ref.index) });
      };
      this.list(list).forEach((item, i) => {
        for (const p of places) {
          if (p.kind === "item") add(item, p.role, { list: list, index: i }, item);
          else if (p.sub) {
            if (item[p.key]) add(item[p.key][p.sub], p.role, { list: list, index: i, key: p.key, sub: p.sub }, item);
          } else if (p.kind === "spans") (item[p.key] || []).forEach((s, j) => add(s, p.role, { list: list, index: i, key: p.key, at: j }, item));
          else add(item[p.key], p.role, { list: list, index: i, key: p.key }, item);
        }
      });
    }
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
