// Every key of the workspace. In the text: move and extend by word, a role key marks the selection.
// In a field: its value keys (numbers, letters for frames and source role), Enter moves on.
// The "?" overlay lists the same table, drawn by the server from the scheme.
"use strict";
window.Annotate = window.Annotate || {};
(function (A) {
  function textZone(app, e) {
    const sel = app.sel;
    const k = e.key;
    if (k === "ArrowRight" || k === "ArrowLeft") {
      const dir = k === "ArrowRight" ? 1 : -1;
      if (e.shiftKey && e.altKey) sel.nudgeEnd(dir);
      else if (e.shiftKey && (e.ctrlKey || e.metaKey)) sel.moveStart(dir);
      else if (e.shiftKey) sel.extend(dir);
      else if (dir > 0) sel.right(); else sel.left();
      return app.moved();
    }
    if (k === "Home") { if (e.shiftKey) sel.extendHome(); else sel.home(); return app.moved(); }
    if (k === "End") { if (e.shiftKey) sel.extendEnd(); else sel.endKey(); return app.moved(); }
    if (e.ctrlKey || e.metaKey || e.altKey) return false;
    if (k === "Escape") { sel.collapse(); app.grabbed = null; return app.moved(); }
    if (k === "Enter") { app.gotoWork(); return true; }
    const role = app.roleByKey[k];
    if (role) { app.markSelection(role); return true; }
    if (k === "Delete" || k === "Backspace" || k === "x") { app.removeAtSelection(); return true; }
    const command = COMMANDS[k];
    if (command) { command(app); return true; }
    return false;
  }
  const COMMANDS = {
    "/": (app) => app.openFind(),
    g: (app) => app.grabAtSelection(),
    w: (app) => app.toggleSnap(),
    a: (app) => { app.model.cycleAttribution(); app.changed(); },
    A: (app) => { app.model.newAttribution(); app.changed(); },
    k: (app) => app.focusPath("kind"),
    F: (app) => app.focusPath("framing.frames"),
    d: (app) => app.addStance(),
    n: (app) => app.focusPath("notes"),
    "<": (app) => app.previous(),
    K: (app) => app.openDialog("skip-dialog"),
    "!": (app) => app.openDialog("flag-dialog"),
  };
  A.COMMANDS = COMMANDS;

  function fieldZone(app, e, stop) {
    const k = e.key;
    if (k === "Escape") { app.focusText(); return true; }
    if (stop.classList.contains("textstop")) {
      if (k === "Enter" && !e.shiftKey && !e.ctrlKey && !e.metaKey) { app.advance(stop); return true; }
      return false;
    }
    if (k === "Enter") { app.advance(stop); return true; }
    if (k === "Backspace" || k === "Delete") { app.clear(stop.dataset.path); return true; }
    if (e.ctrlKey || e.metaKey || e.altKey) return false;
    const opt = stop.querySelector(`.opt[data-key="${CSS.escape(k)}"]`);
    if (opt) { opt.click(); return true; }
    return false;
  }

  function dialogZone(app, e, dialog) {
    if (e.key === "Escape") return false; // the dialog closes itself
    if (e.ctrlKey || e.metaKey || e.altKey) return false;
    if (e.key === "Enter" && e.target.tagName !== "TEXTAREA" && e.target.tagName !== "BUTTON") {
      const form = e.target.closest("form[data-js]") || dialog.querySelector("form[data-js]");
      if (form) { form.requestSubmit(); return true; }
    }
    // A value key picks that choice and moves focus to it, so Tab and Enter go on from there.
    const choice = dialog.querySelector(`[data-key="${CSS.escape(e.key)}"]`);
    const typing = e.target.tagName === "TEXTAREA" || (e.target.tagName === "INPUT" && e.target.type !== "radio");
    if (choice && !typing) {
      if (choice.type === "radio") { choice.checked = true; choice.focus(); } else choice.click();
      return true;
    }
    return false;
  }

  function onKey(app, e) {
    if (e.defaultPrevented || e.isComposing) return;
    const target = e.target;
    const dialog = target.closest && target.closest("dialog[open]");
    if (dialog) { if (dialogZone(app, e, dialog)) e.preventDefault(); return; }
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); app.save(true); return; }
    // Undo and redo act on the labels from anywhere on the page but the find box.
    if ((e.ctrlKey || e.metaKey) && !e.altKey && target.id !== "find-input") {
      const k = e.key.toLowerCase();
      if (k === "z" && !e.shiftKey) { e.preventDefault(); app.undo(); return; }
      if ((k === "z" && e.shiftKey) || k === "y") { e.preventDefault(); app.redo(); return; }
    }
    if ((e.key === "s" || e.key === "S") && (e.ctrlKey || e.metaKey)) { e.preventDefault(); app.save(false); return; }
    if (target.id === "find-input") return; // its own handler
    const stop = target.closest && target.closest(".stop");
    if (stop && document.getElementById("panel").contains(stop)) {
      if (fieldZone(app, e, stop)) e.preventDefault();
      return;
    }
    const typing = target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.tagName === "SELECT" || target.isContentEditable;
    if (typing) return;
    if ((target.tagName === "BUTTON" || target.tagName === "A") && (e.key === "Enter" || e.key === " ")) return;
    if (e.key === "?") { e.preventDefault(); app.openDialog("keys-help"); return; }
    if (textZone(app, e)) e.preventDefault();
  }
  A.onKey = onKey;

  // The find box: type the start of a word; Enter jumps there, Shift+Enter extends the selection to it.
  function onFindKey(app, e) {
    const input = e.target;
    if (e.key === "Escape") { e.preventDefault(); app.closeFind(false); return; }
    if (e.key === "Enter") {
      e.preventDefault();
      const i = app.sel.find(input.value);
      if (i >= 0) {
        const tok = app.text.tokens[i];
        if (e.shiftKey) { if (tok.end > app.sel.start) app.sel.end = tok.end; } else app.sel.set(tok.start, tok.end);
      }
      app.closeFind(true);
    }
  }
  A.onFindKey = onFindKey;
})(window.Annotate);
