// The label panel, drawn from the scheme: one focusable "stop" per field, number or letter keys per value,
// span chips that can be grabbed or removed, and the server's errors beside the field they concern.
"use strict";
window.Annotate = window.Annotate || {};
(function (A) {
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") node.className = v;
      else if (k === "text") node.textContent = v;
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? "" : v);
    }
    for (const c of children.flat(Infinity)) if (c) node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    return node;
  }
  A.el = el;
  const helpId = (path) => "help-" + path.replace(/[^\w-]/g, "_");
  const empty = (v) => v === null || v === undefined || v === "" || (Array.isArray(v) && v.length === 0);

  function Panel(app) {
    this.app = app;
    this.m = app.model;
    this.root = document.getElementById("panel");
    this.guide = app.data.urls.guidelines;
  }
  Panel.prototype.children = function (parent) {
    return this.m.scheme.fields.filter((f) => f.parent === parent && f.enabled);
  };
  Panel.prototype.render = function () {
    const focused = document.activeElement && document.activeElement.closest && document.activeElement.closest("[data-path]");
    const keep = focused && this.root.contains(focused) ? focused.dataset.path : null;
    const m = this.m;
    const out = [];
    out.push(this.section("Paragraph", "para", this.children(null).filter((f) => f.name === "kind").map((f) => this.field(f, f.path, "para"))));
    const atts = m.list("attributions").map((att, i) => this.item("attributions", i, att.id + (att.cue ? " · " + att.cue.text : " · (no cue yet)")));
    out.push(this.section("Attributions", "attributions", atts.length ? atts : [el("p", { class: "hint", text: "Mark a cue (c) to start an attribution." })]));
    const claims = m.list("claims").map((c, i) => this.item("claims", i, c.id + (c.span ? " · " + c.span.text : "")));
    out.push(this.section("Claims", "claims", claims.length ? claims : [el("p", { class: "hint", text: "Mark a claim (l)." })]));
    const framing = this.children("framing").filter((f) => f.type !== "list").map((f) => this.field(f, f.path, "framing"));
    const spans = m.list("framing_spans").map((s, i) => this.item("framing_spans", i, "“" + s.text + "”"));
    out.push(this.section("Framing", "framing", framing.concat(spans)));
    if (m.on("framing.stance")) {
      const stance = m.list("stance").map((s, i) => this.item("stance", i, "Stance " + (i + 1)));
      const add = el("button", { type: "button", class: "small", onclick: () => { this.app.addStance(); } }, el("kbd", { text: "d" }), " Add a stance target");
      out.push(this.section("Stance", "stance", stance.concat([add])));
    }
    out.push(this.section("Notes", "notes", this.children(null).filter((f) => f.name === "notes").map((f) => this.field(f, f.path, "notes"))));
    this.root.replaceChildren(...out);
    this.showErrors(this.app.errors || []);
    if (keep) {
      const again = this.root.querySelector(`[data-path="${CSS.escape(keep)}"]`);
      if (again) again.focus({ preventScroll: true });
    }
  };
  Panel.prototype.section = function (title, key, body) {
    return el("section", { class: "psec", "data-sec": key }, el("h3", { text: title }), body);
  };
  const LIST_PATH = { attributions: "attributions", claims: "claims", framing_spans: "framing.framing_spans", stance: "framing.stance" };
  const OWNER = {
    attributions: (item, i) => (item && item.id) || "a" + (i + 1), claims: (item, i) => (item && item.id) || "c" + (i + 1),
    framing_spans: (item, i) => "f" + (i + 1), stance: (item, i) => "stance " + (i + 1),
  };
  const LIST_DOC = { attributions: "attributions", claims: "claims", framing_spans: "framing.framing_spans", stance: "framing.stance" };
  Panel.prototype.item = function (list, index, title) {
    const m = this.m;
    const base = `${LIST_DOC[list]}[${index}]`;
    const key = `${list}:${index}`;
    const cur = list === "attributions" ? m.attIndex === index : m.current && m.current.list === list && m.current.index === index;
    const owner = OWNER[list](m.list(list)[index], index);
    const head = el("div", { class: "ihead" },
      el("button", { type: "button", class: "link ititle", "aria-pressed": cur ? "true" : "false",
        title: "Make this the current item (new spans go to the current attribution)", text: title,
        onclick: () => { this.app.selectItem(list, index); } }),
      el("button", { type: "button", class: "link", title: "Remove this item (Ctrl+Z brings it back)", "aria-label": "Remove " + title,
        onclick: (e) => { e.stopPropagation(); m.removeItem(list, index); this.app.changed(); this.app.status(`Removed ${owner} (Ctrl+Z brings it back)`); } }, "×"));
    const body = [];
    if (list === "framing_spans") body.push(this.chips([{ s: m.item({ list, index }), ref: { list, index }, role: "framing" }], base));
    for (const f of this.children(LIST_PATH[list])) {
      const path = `${base}.${f.name}`;
      if (f.type === "id") continue;
      if (f.allowed_if && m.get(base)[f.allowed_if.field] !== f.allowed_if.equals) continue;
      body.push(this.field(f, path, key, { list, index }));
    }
    const card = el("div", { class: "item" + (cur ? " current" : ""), "data-path": base, "data-item": key, "data-owner": owner }, head, body);
    // Any click on a card makes its item current; pointing at it lights its spans in the text.
    card.addEventListener("click", () => { if (card.isConnected) this.app.selectItem(list, index); });
    card.addEventListener("mouseenter", () => this.app.highlight(owner));
    card.addEventListener("mouseleave", () => this.app.highlight(null));
    card.addEventListener("focusin", () => this.app.highlight(owner));
    return card;
  };
  Panel.prototype.label = function (f, path) {
    return el("div", { class: "flabel" }, el("span", { text: f.label }),
      el("a", { class: "help", href: this.guide + "#f-" + f.path.replace(/[^\w]+/g, "-"), target: "_blank", title: f.help,
        tabindex: "-1", "aria-label": "Guidelines on " + f.label + " (new tab)", text: "?" }));
  };
  Panel.prototype.field = function (f, path, itemKey, ref) {
    const value = this.m.get(path);
    if (f.type === "span" || f.type === "spans") {
      const role = this.m.scheme.span_roles.find((r) => r.field === f.path);
      const list = f.type === "span" ? [value] : (value || []);
      const spans = list.map((s, at) => ({ s, role: role && role.name, ref: Object.assign({ key: f.name }, ref, f.type === "spans" ? { at } : {}) }));
      return el("div", { class: "field spanfield", "data-path": path }, this.label(f, path), this.chips(spans, path, role));
    }
    if (f.type === "object") {
      const parts = this.children(f.path).map((g) => {
        const role = this.m.scheme.span_roles.find((r) => r.field === g.path);
        const s = value ? value[g.name] : null;
        return el("div", { class: "field spanfield", "data-path": `${path}.${g.name}` }, this.label(g, path),
          this.chips([{ s, role: role && role.name, ref: Object.assign({ key: f.name, sub: g.name }, ref) }], `${path}.${g.name}`, role));
      });
      return el("div", { class: "field objfield", "data-path": path }, parts);
    }
    if (f.type === "text") {
      const long = f.name === "notes" || f.name === "decontextualized";
      const input = el(long ? "textarea" : "input", {
        class: "stop textstop", "data-path": path, "data-item": itemKey, "data-unset": empty(value) && f.name !== "notes" ? "1" : null,
        rows: long ? "2" : null, "aria-label": f.label, list: f.name === "target" ? "stance-targets" : null,
        "aria-describedby": helpId(path),
      });
      input.value = value || "";
      input.addEventListener("input", () => {
        this.m.set(path, input.value);
        if (input.value || f.name === "notes") input.removeAttribute("data-unset"); else input.setAttribute("data-unset", "1");
        this.app.changed(path);
      });
      return el("label", { class: "field" }, this.label(f, path), input, el("div", { class: "fhelp", id: helpId(path), text: f.help }));
    }
    return this.choice(f, path, itemKey, value);
  };
  Panel.prototype.options = function (f, path) {
    if (f.type === "ref") {
      const opts = [{ value: null, key: "0", label: "Outlet's own voice" }];
      this.m.list("attributions").forEach((a, i) => {
        if (i < 9) opts.push({ value: a.id, key: String(i + 1), label: a.id + (a.cue ? " · " + a.cue.text : "") });
      });
      return opts;
    }
    if (f.one_of) {
      const base = path.slice(0, path.length - f.name.length);
      const chosen = this.m.get(base + f.one_of) || [];
      return f.values.filter((v) => chosen.indexOf(v.value) >= 0);
    }
    return f.values;
  };
  Panel.prototype.choice = function (f, path, itemKey, value) {
    const multi = f.type === "multi";
    const opts = this.options(f, path);
    const unset = f.type === "ref" ? false : empty(value);
    const box = el("div", {
      class: "field stop choice" + (multi ? " multi" : "") + (f.scale ? " scale" : ""), tabindex: "0",
      role: multi ? "group" : "radiogroup", "aria-label": f.label, "data-path": path, "data-item": itemKey,
      "data-unset": unset ? "1" : null, "data-type": f.type, "aria-describedby": helpId(path),
    }, this.label(f, path));
    const row = el("div", { class: "opts" });
    for (const o of opts) {
      const on = multi ? (value || []).indexOf(o.value) >= 0 : value === o.value || (f.type === "ref" && value == null && o.value === null);
      row.appendChild(el("button", {
        type: "button", tabindex: "-1", class: "opt" + (on ? " on" : ""), role: multi ? "checkbox" : "radio",
        "aria-checked": on ? "true" : "false", title: o.help || null, "data-key": o.key,
        onclick: () => { this.app.choose(path, f, o.value); },
      }, el("kbd", { text: o.key }), " " + o.label));
    }
    box.appendChild(row);
    // The help shows while the field has focus and is its description for screen readers: the field's
    // own words, then each value's (otherwise only in a hover title).
    if (f.scale) {
      box.appendChild(el("dl", { class: "defs", id: helpId(path) }, this.m.scheme.sourcing_scale.map((s) => [
        el("dt", { text: `${s.key} · ${s.code} ${s.name}` }), el("dd", { text: s.definition })])));
    } else {
      const values = opts.filter((o) => o.help);
      box.appendChild(el("div", { class: "fhelp", id: helpId(path) }, f.help || "",
        values.length ? el("dl", { class: "vhelp" }, values.map((o) => [el("dt", { text: `${o.key} · ${o.label}` }), el("dd", { text: o.help })])) : null));
    }
    return box;
  };
  Panel.prototype.chips = function (spans, path, role) {
    const wrap = el("div", { class: "chips" });
    for (const { s, ref, role: rname } of spans) {
      if (!s || typeof s.start !== "number") {
        if (role) wrap.appendChild(el("span", { class: "hint", text: `none: select text, press ${role.key}` }));
        continue;
      }
      const r = this.m.roles[rname] || {};
      wrap.appendChild(el("span", { class: "chip u-" + rname },
        el("b", { class: "badge-role", text: r.badge || "" }),
        el("button", { type: "button", class: "link chiptext", title: "Select to resize (g)", text: s.text,
          onclick: () => { this.app.grab(ref); } }),
        el("button", { type: "button", class: "link", "aria-label": "Remove span " + s.text, title: "Remove",
          onclick: (e) => { e.stopPropagation(); this.m.removeSpan(ref); this.app.changed(); this.app.status("Span removed (Ctrl+Z brings it back)"); } }, "×")));
    }
    return wrap;
  };
  // Errors: beside the field with the longest matching path; the rest above the panel.
  Panel.prototype.showErrors = function (errors) {
    const general = document.getElementById("general-errors");
    if (general) general.replaceChildren();
    for (const e of errors) {
      let path = e.path;
      let target = null;
      while (path) {
        target = this.root.querySelector(`[data-path="${CSS.escape(path)}"]`);
        if (target) break;
        path = path.replace(/(\[\d+\]|\.\w+)$/, "");
      }
      const msg = el("p", { class: "ferr", role: "alert", "data-for": e.path, text: (target && path !== e.path ? e.path + ": " : "") + e.message });
      if (target) {
        target.classList.add("has-error");
        const field = target.closest(".field") || target;
        field.appendChild(msg);
      } else if (general) {
        msg.textContent = (e.path ? e.path + ": " : "") + e.message;
        general.appendChild(msg);
      }
    }
  };
  A.Panel = Panel;
})(window.Annotate);
