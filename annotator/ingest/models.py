"""Data types returned by :func:`annotator.ingest.read_document`."""

from __future__ import annotations

from dataclasses import dataclass, field

#: Unit kinds, in the order they usually appear in an article.  Ingest never emits "byline"
#: (the byline goes to ``meta``); it is here for units a curator re-kinds by hand.
KINDS = ("headline", "standfirst", "byline", "caption", "subheading", "body", "quote")

#: What every page calls each kind. Where a kind is also a value of the labels' ``kind`` field, the
#: name is the scheme's label for it ("quote" is the scheme's "quote_only": a paragraph of quoted
#: speech alone), so curation, the queue settings, the annotate page and review speak one vocabulary.
KIND_NAMES = {
    "headline": "Headline",
    "standfirst": "Standfirst",
    "byline": "Byline",
    "caption": "Caption",
    "subheading": "Subheading",
    "body": "Body",
    "quote": "Quote only",
}
#: The labels' ``kind`` value a curated kind presets, where the two differ in spelling only.
KIND_LABEL_VALUES = {"quote": "quote_only"}

#: Metadata keys every document carries (empty string when unknown).
META_KEYS = ("title", "outlet", "published", "section", "byline", "url", "language")


@dataclass(frozen=True)
class Unit:
    """One labelled piece of an article: its kind, its exact text, and a credit for captions."""

    kind: str
    text: str
    credit: str | None = None


@dataclass(frozen=True)
class Dropped:
    """A line of the input left out of the article, and why ("page furniture", "after the article")."""

    text: str
    reason: str


@dataclass
class Document:
    """An article: metadata, ordered units, and the lines dropped as boilerplate (each with why)."""

    meta: dict
    units: list[Unit]
    dropped: list[Dropped] = field(default_factory=list)
    source_format: str = "text"
    raw: bytes = b""
    line: int | None = None


class IngestError(ValueError):
    """Raised when an input cannot become documents; ``str(e)`` is the human reason.

    :param line: 1-based line of a JSONL file, when the problem is on one line.
    :param field: the JSONL field at fault, when there is one.
    """

    def __init__(self, reason: str, *, line: int | None = None, field: str | None = None):
        super().__init__(reason)
        self.reason = reason
        self.line = line
        self.field = field
