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
