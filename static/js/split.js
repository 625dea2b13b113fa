// The split page: the caret in the text, or a chosen sentence end, sets the offset field.
// Offsets are Unicode code points; the browser counts UTF-16 units, so convert here.
document.addEventListener("DOMContentLoaded", () => {
  const text = document.getElementById("split-text");
  if (!text) return;
  const field = document.getElementById(text.dataset.offsetField);
  const radios = Array.from(document.querySelectorAll(".split-points input[type=radio]"));
  const codePointsBefore = (s, utf16) => Array.from(s.slice(0, utf16)).length;
  const utf16Before = (s, codePoints) => Array.from(s).slice(0, codePoints).join("").length;
  const fromCaret = () => {
    field.value = codePointsBefore(text.value, text.selectionStart);
    radios.forEach((radio) => { radio.checked = false; });
  };
  text.addEventListener("click", fromCaret);
  text.addEventListener("keyup", fromCaret);
  radios.forEach((radio) => radio.addEventListener("change", () => {
    field.value = radio.dataset.offset;
    const at = utf16Before(text.value, Number(radio.dataset.offset));
    text.setSelectionRange(at, at);
  }));
  field.addEventListener("input", () => radios.forEach((radio) => { radio.checked = false; }));
});
