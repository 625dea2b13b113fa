"""Attribution lexicons: one TOML file per language under ``lexicons/`` (see ``lexicons/en.toml``).

The rules in :mod:`annotator.suggest.rules` know no English word; they ask a :class:`Lexicon`.
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

LEXICON_DIR = Path(__file__).parent / "lexicons"
KINDS = ("speech", "belief", "intent", "evidence")


@dataclass(frozen=True)
class Cue:
    """One inflected form of a cue word and how it governs its content."""

    lemma: str
    kind: str
    hearer: bool = False
    particles: tuple[str, ...] = ()
    particle_only: bool = False
    quote_only: bool = False
    evidence_only: bool = False
    strict: bool = False  # counts only when its source opens the clause ("Smith called it a hoax")


def _words(value: str | list) -> frozenset[str]:
    items = value.split() if isinstance(value, str) else value
    return frozenset(word.lower() for word in items)


@dataclass(frozen=True, eq=False)
class Lexicon:
    code: str
    markers: frozenset[str]
    cues: dict[str, Cue]
    source_after: tuple[tuple[str, ...], ...]
    words: dict[str, frozenset[str]] = field(default_factory=dict)

    @functools.cached_property
    def phrase_starts(self) -> frozenset[str]:
        return frozenset(p[0] for p in self.source_after)

    @functools.cached_property
    def triggers(self) -> frozenset[str]:
        """Words without which a paragraph has no cue."""
        return frozenset(self.cues) | self.phrase_starts

    def cue(self, word: str) -> Cue | None:
        return self.cues.get(word)

    def has(self, table: str, word: str) -> bool:
        return word in self.words.get(table, frozenset())


class LexiconError(ValueError):
    """A lexicon file that does not have the shape the rules need; names the file and key."""


def parse_lexicon(data: dict, name: str) -> Lexicon:
    try:
        language = data["language"]
        cues: dict[str, Cue] = {}
        for lemma, spec in data.get("cues", {}).items():
            kind = spec.get("kind", "speech")
            if kind not in KINDS:
                raise LexiconError(f"{name}: cues.{lemma}.kind must be one of {', '.join(KINDS)}")
            cue = Cue(
                lemma=lemma,
                kind=kind,
                hearer=bool(spec.get("hearer", False)),
                particles=tuple(spec.get("particle", "").split()),
                particle_only=bool(spec.get("particle_only", False)),
                quote_only=bool(spec.get("quote_only", False)),
                evidence_only=bool(spec.get("evidence_only", False)),
                strict=bool(spec.get("strict", False)),
            )
            for form in _words(spec["forms"]):
                cues[form] = cue
        phrases = tuple(tuple(p.lower().split()) for p in data.get("phrases", {}).get("source_after", []))
        words = {key: _words(value) for key, value in data.get("sources", {}).items()}
        return Lexicon(
            code=language["code"],
            markers=_words(language.get("markers", "")),
            cues=cues,
            source_after=phrases,
            words=words,
        )
    except KeyError as missing:
        raise LexiconError(f"{name}: missing key {missing}") from None


@functools.cache
def load_lexicon(code: str) -> Lexicon | None:
    """The lexicon for language ``code`` ("en"), or None when no file exists for it."""
    code = (code or "").lower().split("-")[0].split("_")[0]
    if not code.isalpha():
        return None
    path = LEXICON_DIR / f"{code}.toml"
    if not path.is_file():
        return None
    with path.open("rb") as fh:
        return parse_lexicon(tomllib.load(fh), path.name)


def available_languages() -> list[str]:
    return sorted(p.stem for p in LEXICON_DIR.glob("*.toml"))
