// The split page: the caret in the text, or a chosen sentence end, sets the offset field.
// Offsets are Unicode code points into the unit's exact text. The textarea shows that text with
// its line breaks normalised ("\r\n" becomes "\n") and counts UTF-16 units, so map back here.
document.addEventListener("DOMContentLoaded", () => {
  const text = document.getElementById("split-text");
  if (!text) return;
  const field = document.getElementById(text.dataset.offsetField);
  const original = JSON.parse(text.dataset.text);
  const radios = Array.from(document.querySelectorAll(".split-points input[type=radio]"));

  // Code points of `original` before the textarea's UTF-16 position `shown`.
  const codePointsBefore = (shown) => {
    let seen = 0;
    let points = 0;
    for (let i = 0; i < original.length && seen < shown; ) {
      if (original[i] === "\r" && original[i + 1] === "\n") {
        i += 1; // the textarea has no "\r" here
        points += 1;
        continue;
      }
      const width = original.codePointAt(i) > 0xffff ? 2 : 1;
      i += width;
      seen += width;
      points += 1;
    }
    return points;
  };
  // The textarea's UTF-16 position of code point `points` of `original`.
  const shownBefore = (points) => {
    let shown = 0;
    let i = 0;
    for (let n = 0; n < points && i < original.length; n += 1) {
      if (original[i] === "\r" && original[i + 1] === "\n") {
        i += 1;
        continue;
      }
      const width = original.codePointAt(i) > 0xffff ? 2 : 1;
      i += width;
      shown += width;
    }
    return shown;
  };

  const fromCaret = () => {
    field.value = codePointsBefore(text.selectionStart);
    radios.forEach((radio) => { radio.checked = false; });
  };
  text.addEventListener("click", fromCaret);
  text.addEventListener("keyup", fromCaret);
  radios.forEach((radio) => radio.addEventListener("change", () => {
    field.value = radio.dataset.offset;
    const at = shownBefore(Number(radio.dataset.offset));
    text.setSelectionRange(at, at);
  }));
  field.addEventListener("input", () => radios.forEach((radio) => { radio.checked = false; }));
});
