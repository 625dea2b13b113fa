"""A project's settings: one typed value, with every default in one place.

The store keeps them as JSON in ``projects.settings``; ``Settings.from_mapping`` reads that JSON,
filling what it lacks from the defaults here, and keeps keys it does not know (written by a newer
annotator) so saving never drops them. ``Settings`` is also a read-only mapping, so
``project["settings"]["kinds"]`` and ``{**settings, ...}`` read as they did when it was a dict.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

ORDERS = ("article", "shuffle")
#: Unit kinds a new project queues for labelling.
DEFAULT_KINDS = ("headline", "standfirst", "caption", "body")
SUGGESTIONS = {"source": "none", "share": 100}


@dataclass(frozen=True)
class Settings(Mapping):
    """What an admin sets per project (overlap and paused are columns of their own)."""

    #: Unit kinds that are queued for labelling.
    kinds: list[str] = field(default_factory=lambda: list(DEFAULT_KINDS))
    #: ``article`` (articles in import order) or ``shuffle`` (by a hash of ``seed`` and the article).
    order: str = "article"
    seed: int = 0
    #: How long a paragraph stays leased to an annotator who opened it.
    lease_minutes: int = 30
    #: The scheme's extended fields that are on: a list of names, or ``"all"``.
    extended: list[str] | str = field(default_factory=list)
    #: Paragraphs every annotator labelled alike become gold without a reviewer.
    auto_gold_unanimous: bool = True
    #: Annotators see where their labels differ from the gold.
    feedback: bool = False
    #: Targets offered for the stance field, when the scheme has one.
    stance_targets: list[str] = field(default_factory=list)
    #: Which suggestions annotators see (``none``, ``rules`` or an imported source) and on what
    #: percentage of paragraphs (chosen by a hash of the text).
    suggestions: dict[str, Any] = field(default_factory=lambda: dict(SUGGESTIONS))
    #: Keys this version does not know, kept as they were.
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any] | None) -> Settings:
        """Return the settings stored as ``data`` (a parsed JSON object), defaults for what it lacks."""
        if isinstance(data, Settings):
            return data
        known = {f.name for f in dataclasses.fields(cls)} - {"extra"}
        data = dict(data or {})
        typed = {key: data.pop(key) for key in list(data) if key in known and data[key] is not None}
        for key in ("kinds", "stance_targets"):
            if key in typed:
                typed[key] = list(typed[key])
        if "suggestions" in typed:
            typed["suggestions"] = {**SUGGESTIONS, **dict(typed["suggestions"])}
        if "extended" in typed and not isinstance(typed["extended"], str):
            typed["extended"] = list(typed["extended"])
        return cls(**typed, extra=data)

    def to_dict(self) -> dict[str, Any]:
        """Return the settings as the JSON object the store keeps."""
        out = dict(self.extra)
        out.update((f.name, getattr(self, f.name)) for f in dataclasses.fields(self) if f.name != "extra")
        return out

    def replace(self, **changes: Any) -> Settings:
        """Return a copy with ``changes`` (known keys typed, others kept as extra)."""
        return Settings.from_mapping({**self.to_dict(), **changes})

    # A read-only mapping of the JSON object, for templates and callers that read keys.
    def __getitem__(self, key: str) -> Any:
        return self.to_dict()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.to_dict())

    def __len__(self) -> int:
        return len(self.to_dict())
