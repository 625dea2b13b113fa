// Import and article pages: show the server's explanation of a refused edit (409) or a bad
// form (400) in #flash. htmx leaves 4xx responses unswapped by default; the server has
// already retargeted its error fragment to #flash.
document.addEventListener("htmx:beforeSwap", (event) => {
  const xhr = event.detail.xhr;
  if ([400, 409, 413].includes(xhr.status) && xhr.responseText) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
// A new page of units replaces the old messages.
document.addEventListener("htmx:afterSwap", (event) => {
  if (event.detail.target && event.detail.target.id === "units") {
    const flash = document.getElementById("flash");
    if (flash) flash.replaceChildren();
  }
});
// After an upload the summary is shown; clear the chosen files so a second click imports nothing twice.
document.addEventListener("htmx:afterRequest", (event) => {
  const form = event.detail.elt;
  if (form && form.id === "upload-form" && event.detail.successful) form.reset();
});
