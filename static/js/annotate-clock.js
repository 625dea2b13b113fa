// Time on a paragraph: counted while the page is visible and its user active. A gap between two signs of
// activity counts up to IDLE_MS; beyond that the user is away and the rest is not counted.
// One clock per page: it outlives paragraph swaps, and each paragraph takes the time counted for it.
"use strict";
window.Annotate = window.Annotate || {};
(function (A) {
  const IDLE_MS = 60000;
  const ACTIVITY = ["keydown", "mousedown", "mousemove", "wheel", "touchstart", "input", "focusin", "scroll"];

  function Clock() {
    this.ms = 0; // counted and not yet taken
    this.last = document.hidden ? null : performance.now(); // the last sign of activity while visible
    const poke = () => this.tick();
    for (const type of ACTIVITY) document.addEventListener(type, poke, { passive: true, capture: true });
  }
  Clock.prototype.tick = function () {
    const now = performance.now();
    if (this.last !== null) this.ms += Math.min(now - this.last, IDLE_MS);
    if (!document.hidden) this.last = now;
  };
  Clock.prototype.visible = function (shown) {
    if (shown) { if (this.last === null) this.last = performance.now(); return; }
    this.tick();
    this.last = null;
  };
  // The whole milliseconds counted so far, handed over once; the fraction stays for the next take.
  Clock.prototype.take = function () {
    this.tick();
    const whole = Math.floor(this.ms);
    this.ms -= whole;
    return whole;
  };
  // A report that failed: its time goes back, to travel with the next one.
  Clock.prototype.give = function (ms) { this.ms += ms; };
  A.Clock = Clock;
  A.IDLE_MS = IDLE_MS;
})(window.Annotate);

// "3 min ago" for an ISO time, as the server's ``when`` filter writes it.
window.Annotate.ago = function (iso) {
  const s = (Date.now() - Date.parse(iso)) / 1000;
  if (!(s >= -60)) return iso;
  if (s < 60) return "just now";
  if (s < 3600) return Math.floor(s / 60) + " min ago";
  if (s < 86400) return Math.floor(s / 3600) + " h ago";
  return new Date(iso).toLocaleString();
};
