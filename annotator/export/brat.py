"""Convert labels to BRAT standoff: one ``.txt`` and one ``.ann`` per article.

Layout, after PolNeAR: each attribution is an ``Attribution`` event whose trigger is
the cue span (BRAT requires a trigger's type to be the event type, so the cue's
text-bound line reads ``T2\tAttribution 108 114\tstated``), with ``Source`` and
``Content`` arguments (``Source2``, ``Content2`` … when there are several).
Claims are ``Claim`` spans, linked to their attribution by a ``Claim_of`` relation;
framing spans are typed by their technique.  Attributes (``A`` lines) carry the
attribution attributes, check-worthiness, sourcing strength and framing voice.
Offsets are code points into the ``.txt``, which is the article's paragraphs joined
by a blank line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

PARAGRAPH_SEPARATOR = "\n\n"

TECHNIQUES = (
    "Loaded_Language",
    "Name_Calling-Labeling",
    "Contested_Naming",
    "Exaggeration-Minimisation",
    "Obfuscation-Vagueness-Confusion",
    "Doubt",
    "Appeal_to_Fear-Prejudice",
    "Flag_Waving",
    "Repetition",
    "Slogans",
    "Other_Technique",
)

# BRAT attribute name -> (label key, values) for attributions (on the event).
ATTRIBUTION_ATTRIBUTES = {
    "Source_form": (
        "source_form",
        (
            "named_person",
            "named_organization",
            "described_person",
            "described_group",
            "anonymous_unspecified",
            "document_or_data",
            "media_outlet",
            "author_self",
            "implicit",
        ),
    ),
    "Source_interest": (
        "source_interest",
        ("party_to_dispute", "aligned_with_party", "independent", "unknown"),
    ),
    "Record_status": (
        "record_status",
        ("on_record", "background", "deep_background", "off_record_signaled", "not_applicable"),
    ),
    "Cue_stance": ("cue_stance", ("endorsing", "neutral", "distancing", "disputing")),
    "Quote_type": ("quote_type", ("direct", "mixed", "indirect")),
    "Attribution_type": ("attribution_type", ("assertion", "belief", "fact", "eventuality")),
}
CLAIM_ATTRIBUTES = {
    "Checkworthiness": ("checkworthiness", ("CFS", "UFS", "NFS")),
    "Sourcing_strength": ("sourcing_strength", ("S0", "S1", "S2", "S3", "S4")),
}

_TYPE_OK = re.compile(r"[A-Za-z0-9_-]+")
_ID_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def _brat_type(name: str | None) -> str:
    name = name or "Other_Technique"
    return name if _TYPE_OK.fullmatch(name) else re.sub(r"[^A-Za-z0-9_-]", "_", name)


def safe_file_stem(article_id: str) -> str:
    """Return ``article_id`` as a file-name stem: only ``[A-Za-z0-9._-]``, never hidden or empty."""
    stem = _ID_UNSAFE.sub("_", article_id).strip(".") or "article"
    return stem[:200]


class _Ann:
    """Accumulates the lines of one ``.ann`` file, reusing a T id for an identical span."""

    def __init__(self, txt: str):
        self.txt = txt
        self.lines: list[str] = []
        self.t_ids: dict[tuple[str, int, int], str] = {}
        self.n = {"T": 0, "E": 0, "R": 0, "A": 0}

    def next_id(self, kind: str) -> str:
        self.n[kind] += 1
        return f"{kind}{self.n[kind]}"

    def span(self, type_: str, start: int, end: int) -> str:
        key = (type_, start, end)
        if key in self.t_ids:
            return self.t_ids[key]
        tid = self.next_id("T")
        self.t_ids[key] = tid
        covered = self.txt[start:end]
        # A fragment may not cross a newline in BRAT: split into discontinuous pieces.
        frags, pos = [], start
        for piece in covered.split("\n"):
            if piece:
                frags.append(f"{pos} {pos + len(piece)}")
            pos += len(piece) + 1
        frags = frags or [f"{start} {end}"]
        self.lines.append(f"{tid}\t{type_} {';'.join(frags)}\t{covered.replace(chr(10), ' ')}")
        return tid

    def attribute(self, name: str, target: str, value: object) -> None:
        if value is None:
            return
        self.lines.append(f"{self.next_id('A')}\t{name} {target} {value}")


def to_brat(
    article_text_units: Sequence[Mapping], annotations: Mapping[str, Mapping | None]
) -> tuple[str, str]:
    """Return ``(txt, ann)`` for one article.

    :param article_text_units: the article's paragraphs in order, each with ``text`` and
        ``paragraph_id`` (the paragraph rows or export records serve).
    :param annotations: labels documents by ``paragraph_id``; paragraphs absent or
        ``None`` are in the text without annotations.
    """
    starts = []
    pos = 0
    for i, unit in enumerate(article_text_units):
        if i:
            pos += len(PARAGRAPH_SEPARATOR)
        starts.append(pos)
        pos += len(unit["text"])
    txt = PARAGRAPH_SEPARATOR.join(u["text"] for u in article_text_units)
    ann = _Ann(txt)
    for unit, base in zip(article_text_units, starts, strict=True):
        labels = annotations.get(unit["paragraph_id"])
        if labels:
            _paragraph(ann, labels, base)
    return txt, "".join(line + "\n" for line in ann.lines)


def _paragraph(ann: _Ann, labels: Mapping, base: int) -> None:
    events: dict[str, str] = {}
    for a in labels.get("attributions") or ():
        cue = a.get("cue")
        if not cue:
            continue
        args = []
        for role, spans, type_ in (
            ("Source", a.get("sources"), "Source"),
            ("Content", a.get("contents"), "Content"),
        ):
            for i, s in enumerate(spans or ()):
                tid = ann.span(type_, base + s["start"], base + s["end"])
                args.append(f"{role}{i + 1 if i else ''}:{tid}")
        trigger = ann.span("Attribution", base + cue["start"], base + cue["end"])
        eid = ann.next_id("E")
        ann.lines.append(f"{eid}\tAttribution:{trigger}" + "".join(f" {x}" for x in args))
        if a.get("id"):
            events[a["id"]] = eid
        for name, (key, _values) in ATTRIBUTION_ATTRIBUTES.items():
            ann.attribute(name, eid, a.get(key))
    for c in labels.get("claims") or ():
        span = c.get("span")
        if not span:
            continue
        tid = ann.span("Claim", base + span["start"], base + span["end"])
        ann.attribute("Checkworthiness", tid, c.get("checkworthiness"))
        strength = c.get("sourcing_strength")
        ann.attribute("Sourcing_strength", tid, None if strength is None else f"S{strength}")
        eid = events.get(c.get("attribution_id"))
        if eid:
            ann.lines.append(f"{ann.next_id('R')}\tClaim_of Arg1:{tid} Arg2:{eid}")
    for f in (labels.get("framing") or {}).get("framing_spans") or ():
        tid = ann.span(_brat_type(f.get("technique")), base + f["start"], base + f["end"])
        ann.attribute("Voice", tid, f.get("voice"))


def annotation_conf() -> str:
    """Return the BRAT ``annotation.conf`` declaring the types ``to_brat`` writes."""
    attrs = []
    for name, (_key, values) in ATTRIBUTION_ATTRIBUTES.items():
        attrs.append(f"{name}\tArg:Attribution, Value:{'|'.join(values)}")
    for name, (_key, values) in CLAIM_ATTRIBUTES.items():
        attrs.append(f"{name}\tArg:Claim, Value:{'|'.join(values)}")
    attrs.append("Voice\tArg:<FRAMING>, Value:outlet|source")
    return "\n".join(
        [
            "# Written by annotator's BRAT export. The Attribution trigger is the cue span (PolNeAR layout).",
            "[entities]",
            "Source",
            "Content",
            "Claim",
            "<FRAMING>=" + "|".join(TECHNIQUES),
            *TECHNIQUES,
            "",
            "[relations]",
            "Claim_of\tArg1:Claim, Arg2:Attribution",
            "<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>",
            "",
            "[events]",
            "Attribution\tSource*:Source, Content+:Content",
            "",
            "[attributes]",
            *attrs,
            "",
        ]
    )


def write_brat(out_dir: str | Path, articles_iter: Iterable[tuple[str, Sequence[Mapping], Mapping]]) -> int:
    """Write ``<article_id>.txt``/``.ann`` per article and ``annotation.conf``; return the article count.

    ``articles_iter`` yields ``(article_id, units, annotations)`` as ``to_brat`` takes them.
    Stems are sanitised with ``safe_file_stem``; a clash gets ``-2``, ``-3`` … appended.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    used: set[str] = set()
    n = 0
    for article_id, units, labels_by_pid in articles_iter:
        stem = base = safe_file_stem(article_id)
        k = 1
        while stem.lower() in used:
            k += 1
            stem = f"{base}-{k}"
        used.add(stem.lower())
        txt, ann = to_brat(units, labels_by_pid)
        (out / f"{stem}.txt").write_text(txt, encoding="utf-8", newline="\n")
        (out / f"{stem}.ann").write_text(ann, encoding="utf-8", newline="\n")
        n += 1
    (out / "annotation.conf").write_text(annotation_conf(), encoding="utf-8", newline="\n")
    return n
