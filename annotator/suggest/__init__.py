"""Suggested attributions: what the built-in rules pre-mark for an annotator to accept.

Pure: the standard library only. ``suggest_paragraph(text)`` returns attributions in the
scheme's label shape (``sources``, ``cue``, ``contents`` as paragraph-relative code-point spans,
plus the attributes the text settles); ``suggest_units`` does a whole article. Only languages
with a lexicon file (``lexicons/<code>.toml``) get suggestions; any other gets none.

The suggester reads the text and nothing else: it never sees anyone's labels, so a suggestion
cannot carry another annotator's work (blindness).
"""

from __future__ import annotations

from .attributes import guess_attributes
from .language import guess_language
from .lexicon import Lexicon, LexiconError, available_languages, load_lexicon
from .rules import Found, find_attributions

__all__ = [
    "suggest_paragraph",
    "suggest_units",
    "available_languages",
    "load_lexicon",
    "Lexicon",
    "LexiconError",
    "RULES_SOURCE",
]

RULES_SOURCE = "rules"
# Kinds of unit that carry attributions in running text.
UNIT_KINDS = frozenset({"body", "quote", "standfirst", "subheading", "caption", "headline"})


def _span(text: str, span: tuple[int, int]) -> dict:
    return {"start": span[0], "end": span[1], "text": text[span[0] : span[1]]}


def _to_labels(text: str, found: list[Found], lex: Lexicon) -> list[dict]:
    out = []
    for n, f in enumerate(found, start=1):
        item = {
            "id": f"a{n}",
            "sources": [_span(text, s) for s in f.sources],
            "cue": _span(text, f.cue),
            "contents": [_span(text, c) for c in f.contents],
        }
        item.update(guess_attributes(text, f, lex))
        out.append(item)
    return out


def suggest_paragraph(text: str, language: str = "en") -> list[dict]:
    """Suggested attributions for one paragraph, in the scheme's shape; [] without a lexicon."""
    lex = load_lexicon(language)
    if lex is None or not text.strip():
        return []
    return _to_labels(text, find_attributions(text, lex), lex)


def suggest_units(texts: list[str], language: str | None = None) -> list[list[dict]]:
    """Suggestions for each paragraph of one article. ``language`` None: guessed from the text."""
    if language is None:
        language = guess_language(" ".join(texts[:20]))
    lex = load_lexicon(language or "")
    if lex is None:
        return [[] for _ in texts]
    return [_to_labels(t, find_attributions(t, lex), lex) if t.strip() else [] for t in texts]
