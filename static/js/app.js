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
