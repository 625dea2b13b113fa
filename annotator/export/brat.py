"""Convert labels to BRAT standoff: one ``.txt`` and one ``.ann`` per article.

Layout, after PolNeAR: each attribution is an ``Attribution`` event whose trigger is
the cue span (BRAT requires a trigger's type to be the event type, so the cue's
text-bound line reads ``T2\tAttribution 108 114\tstated``), with ``Source`` and
``Content`` arguments (``Source2``, ``Content2`` … when there are several).
Claims are ``Claim`` spans, linked to their attribution by a ``Claim_of`` relation;
framing spans are typed by their technique.  Attributes (``A`` lines) carry every single
choice of an attribution, a claim and a framing span, as the scheme names them (``Layout``).
Offsets are code points into the ``.txt``, which is the article's paragraphs joined
by a blank line.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

from ..scheme import Scheme
from .labelling import default_scheme, labelling, walker

PARAGRAPH_SEPARATOR = "\n\n"


class Attribute(NamedTuple):
    """A BRAT attribute: the label key it is read from and its values as BRAT writes them."""

    key: str
    values: tuple[str, ...]
    codes: Mapping  # stored value -> BRAT value, where they differ


class Layout(NamedTuple):
    """What ``to_brat`` writes under one scheme: the framing-span types and every attribute.

    The attributions, their cue/sources/contents and the claims are the PolNeAR layout itself;
    the types of framing spans and the attributes, with their values, are read off the scheme:
    every single choice (and ordinal) of an attribution, a claim and a framing span.
    """

    techniques: tuple[str, ...]
    framing: str | None  # path of the list of framing spans
    technique: str | None  # the choice naming a framing span
    attribution_attributes: dict[str, Attribute]
    claim_attributes: dict[str, Attribute]
    span_attributes: dict[str, Attribute]


def layout(scheme: Scheme | None = None) -> Layout:
    """Return the BRAT layout of ``scheme`` (default newsattr-1), made once per scheme."""
    return _layout(scheme or default_scheme())


@functools.lru_cache(maxsize=64)
def _layout(scheme: Scheme) -> Layout:
    typed = labelling(scheme).span_types
    framing = next(iter(typed), None)
    technique = typed.get(framing) if framing else None
    techniques: tuple[str, ...] = ()
    if framing and technique:
        techniques = tuple(_brat_type(str(c.value)) for c in scheme.field(f"{framing}[].{technique}").values)

    def attributes(parent: str, skip: str | None = None) -> dict[str, Attribute]:
        out = {}
        if parent not in {f.path for f in scheme.fields}:
            return out
        for f in scheme.children(parent):
            if f.type not in ("single", "ordinal") or f.name == skip:
                continue
            codes = {lv.value: lv.code for lv in scheme.sourcing_scale} if f.scale == "sourcing" else {}
            values = tuple(_brat_value(codes.get(c.value, c.value)) for c in f.values)
            out[f.name[:1].upper() + f.name[1:]] = Attribute(f.name, values, codes)
        return out

    return Layout(
        techniques,
        framing,
        technique,
        attributes("attributions"),
        attributes("claims"),
        attributes(framing, technique) if framing else {},
    )


_TYPE_OK = re.compile(r"[A-Za-z0-9_-]+")
_ID_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def _brat_type(name: str | None) -> str:
    name = name or "Other_Technique"
    return name if _TYPE_OK.fullmatch(name) else re.sub(r"[^A-Za-z0-9_-]", "_", name)


def _brat_value(value: object) -> str:
    text = str(value)
    return text if _TYPE_OK.fullmatch(text) else re.sub(r"[^A-Za-z0-9_-]", "_", text)


# The default scheme's layout, for callers that read it as constants.
TECHNIQUES = layout().techniques
ATTRIBUTION_ATTRIBUTES = {name: (a.key, a.values) for name, a in layout().attribution_attributes.items()}
CLAIM_ATTRIBUTES = {name: (a.key, a.values) for name, a in layout().claim_attributes.items()}


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

    def attribute(self, name: str, target: str, attribute: Attribute, value: object) -> None:
        if value is None or value == "":
            return
        shown = _brat_value(attribute.codes.get(value, value) if attribute.codes else value)
        self.lines.append(f"{self.next_id('A')}\t{name} {target} {shown}")


def to_brat(
    article_text_units: Sequence[Mapping],
    annotations: Mapping[str, Mapping | None],
    scheme: Scheme | None = None,
) -> tuple[str, str]:
    """Return ``(txt, ann)`` for one article, its types and attributes those of ``scheme`` (default newsattr-1).

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
    lay = layout(scheme)
    framing = walker(lay.framing, "list") if lay.framing else None
    for unit, base in zip(article_text_units, starts, strict=True):
        labels = annotations.get(unit["paragraph_id"])
        if labels:
            _paragraph(ann, labels, base, lay, framing)
    return txt, "".join(line + "\n" for line in ann.lines)


def _paragraph(ann: _Ann, labels: Mapping, base: int, lay: Layout, framing) -> None:
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
        for name, attribute in lay.attribution_attributes.items():
            ann.attribute(name, eid, attribute, a.get(attribute.key))
    for c in labels.get("claims") or ():
        span = c.get("span")
        if not span:
            continue
        tid = ann.span("Claim", base + span["start"], base + span["end"])
        for name, attribute in lay.claim_attributes.items():
            ann.attribute(name, tid, attribute, c.get(attribute.key))
        eid = events.get(c.get("attribution_id"))
        if eid:
            ann.lines.append(f"{ann.next_id('R')}\tClaim_of Arg1:{tid} Arg2:{eid}")
    if framing is None:
        return
    for f in framing(labels):
        tid = ann.span(_brat_type(f.get(lay.technique)), base + f["start"], base + f["end"])
        for name, attribute in lay.span_attributes.items():
            ann.attribute(name, tid, attribute, f.get(attribute.key))


def annotation_conf(scheme: Scheme | None = None) -> str:
    """Return the BRAT ``annotation.conf`` declaring the types ``to_brat`` writes under ``scheme``."""
    lay = layout(scheme)
    attrs = []
    for name, a in lay.attribution_attributes.items():
        attrs.append(f"{name}\tArg:Attribution, Value:{'|'.join(a.values)}")
    for name, a in lay.claim_attributes.items():
        attrs.append(f"{name}\tArg:Claim, Value:{'|'.join(a.values)}")
    for name, a in lay.span_attributes.items():
        attrs.append(f"{name}\tArg:<FRAMING>, Value:{'|'.join(a.values)}")
    techniques = list(lay.techniques)
    if "Other_Technique" not in techniques:  # what a framing span without a technique is typed
        techniques.append("Other_Technique")
    return "\n".join(
        [
            "# Written by annotator's BRAT export. The Attribution trigger is the cue span (PolNeAR layout).",
            "[entities]",
            "Source",
            "Content",
            "Claim",
            "<FRAMING>=" + "|".join(techniques),
            *techniques,
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


def write_brat(
    out_dir: str | Path,
    articles_iter: Iterable[tuple[str, Sequence[Mapping], Mapping]],
    scheme: Scheme | None = None,
) -> int:
    """Write ``<article_id>.txt``/``.ann`` per article and ``annotation.conf``; return the article count.

    Types and attributes are those of ``scheme`` (default newsattr-1).
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
        txt, ann = to_brat(units, labels_by_pid, scheme)
        (out / f"{stem}.txt").write_text(txt, encoding="utf-8", newline="\n")
        (out / f"{stem}.ann").write_text(ann, encoding="utf-8", newline="\n")
        n += 1
    (out / "annotation.conf").write_text(annotation_conf(scheme), encoding="utf-8", newline="\n")
    return n
