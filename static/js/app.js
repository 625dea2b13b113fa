// Small behaviours shared by every page. Page-specific code lives in its own file.
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
