// Small behaviours shared by every page. Page-specific code lives in its own file.

// htmx 2 does not swap 4xx/5xx responses. Ours always carry something to show: a form with its
// errors targeted at the form, or an error fragment the server retargeted to #flash.
document.addEventListener("htmx:beforeSwap", (event) => {
  const xhr = event.detail.xhr;
  if (xhr.status >= 400 && xhr.responseText) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
document.addEventListener("htmx:responseError", (event) => {
  // Error fragments are retargeted to #flash by the server; this covers network failures.
  if (!event.detail.xhr.responseText) {
    const flash = document.getElementById("flash");
    if (flash) flash.textContent = "The server did not answer: your work is kept in this page; try again.";
  }
});
document.addEventListener("htmx:sendError", () => {
  const flash = document.getElementById("flash");
  if (flash) flash.textContent = "No connection to the server: your work is kept in this page; try again.";
});

// A wide table scrolls inside its own box, never the page; the box takes focus so keyboard users can
// scroll it too, and is named after the table's caption or the heading before it.
function boxWideTables(root) {
  for (const table of root.querySelectorAll("table")) {
    if (table.closest(".scroll-x, dialog")) continue;
    const box = document.createElement("div");
    box.className = "scroll-x";
    box.tabIndex = 0;
    box.setAttribute("role", "region");
    let name = table.caption ? table.caption.textContent : table.getAttribute("aria-label");
    if (!name) {
      let el = table.previousElementSibling;
      while (el && !/^H[1-6]$/.test(el.tagName)) el = el.previousElementSibling;
      name = el ? el.textContent : "Table";
    }
    box.setAttribute("aria-label", name.trim().replace(/\s+/g, " ") + " (scrolls sideways)");
    table.replaceWith(box);
    box.appendChild(table);
  }
}
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", () => boxWideTables(document));
else boxWideTables(document);
document.addEventListener("htmx:afterSettle", (event) => boxWideTables(event.detail.elt.parentElement || document));
