"""Attribute guesses (``source_form``, ``record_status``) where the words settle them.

Only what the source's own words show is guessed: "a senior official" is a described person
on background, "the report" a document; "he" or a lone surname ("Moscow", "Clinton") could be a
person or a body, so their form is left for the annotator.
"""

from __future__ import annotations

import re

from .lexicon import Lexicon
from .rules import Found

_WORD = re.compile(r"\w+(?:[’'.-]\w+)*\.?")


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def guess_attributes(text: str, found: Found, lex: Lexicon) -> dict:
    out: dict = {}
    lowered = {w.lower().strip(".") for w in _words(text)}
    signalled = bool(lowered & lex.words.get("anonymity_markers", frozenset())) and (
        "anonymity" in lowered or "authorized" in lowered or "authorised" in lowered
    )
    if not found.sources:
        return out
    start, end = found.sources[0]
    # "Smith, a professor at the university": the phrase before the apposition names the source.
    words = _words(text[start:end].split(",")[0])
    if not words:
        return out
    form = source_form(words, lex)
    if form:
        out["source_form"] = form
    status = _record_status(form, signalled)
    if status:
        out["record_status"] = status
    return out


def _record_status(form: str | None, signalled: bool) -> str | None:
    if signalled and form in ("described_person", "described_group", "anonymous_unspecified"):
        return "off_record_signaled"
    return {
        "named_person": "on_record",
        "named_organization": "on_record",
        "described_person": "background",
        "described_group": "background",
        "document_or_data": "not_applicable",
        "author_self": "not_applicable",
    }.get(form or "")


def source_form(words: list[str], lex: Lexicon) -> str | None:
    low = [w.lower().replace("’", "'") for w in words]
    has = lex.has
    # The head of the phrase: the last word before any "of"/"for"/"at" complement.
    core = low
    for i, w in enumerate(low):
        if w in ("of", "for", "at", "with") and i > 0:
            core = low[:i]
            break
    head = core[-1].rstrip(".")
    if len(low) == 1 and has("pronouns", head):
        return "author_self" if has("self_pronouns", head) else None
    common = ("determiners", "anonymous", "group_nouns", "person_nouns", "document_nouns")
    # A sentence-initial capital ("Sources say") is no name.
    capitals = [
        w
        for i, w in enumerate(words)
        if w[0].isupper()
        and not has("determiners", w.lower())
        and not (i == 0 and any(has(t, w.lower()) for t in common))
    ]
    if has("anonymous", head) and not capitals:
        return "anonymous_unspecified"
    if has("document_nouns", head) and not any(w[0].isupper() for w in words[1:]):
        return "document_or_data"
    # "Western diplomats", "a senior US official": capitalised modifiers, a common noun as head.
    if not any(has("organisation_words", w) for w in core):
        if has("group_nouns", head):
            return "described_group"
        if has("person_nouns", head) and low[0] in ("a", "an", "one", "another"):
            return "described_person"
    if not capitals:
        return None
    caps_low = [w.lower() for w in capitals]
    titled_name = _titled_name(words, lex)
    if titled_name:
        return "named_person"
    if any(has("organisation_words", w) for w in caps_low):
        return "named_organization"
    if low[0] == "the" and any(has("media_words", w) for w in caps_low) and len(capitals) <= 3:
        return "media_outlet"
    names = [w for w in capitals if not has("titles", w.lower())]
    titled = any(has("titles", w.lower()) for w in capitals)
    if core == low and words[0][0].isupper() and (len(names) >= 2 or titled and names):
        return "named_person"
    return None


def _titled_name(words: list[str], lex: Lexicon) -> bool:
    """ "Party Chairman David Pepper", "Sen. Ted Cruz": a title, then only capitalised names."""
    for i, w in enumerate(words[:-1]):
        if lex.has("titles", w.lower()) and w[0].isupper():
            rest = words[i + 1 :]
            if rest and all(r[0].isupper() and not lex.has("titles", r.lower()) for r in rest):
                return not any(lex.has("organisation_words", r.lower()) for r in rest)
    return False
