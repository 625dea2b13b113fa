"""The shape of every export record, read off the label scheme.

pyarrow (under ``datasets.load_dataset("json")``) infers a schema from the first
block of a file and casts every later block to it, so a key missing from one
record, an ``int`` where another record has a ``float``, or a struct that is
``null`` throughout the first block break loading far into a file.  Every record
is therefore written against a spec tree (``labels_spec(scheme)``, ``ENVELOPE`` …):
every key present, optional scalars and structs ``null`` when absent, lists ``[]``
when absent, integers and floats coerced.  The same trees give the Hugging Face
``features`` written into the manifest and the dataset card, which pins the
schema for ``load_dataset(<export dir>)`` whatever the first block holds.
"""

from __future__ import annotations

import functools
from typing import Any

from ..scheme import ORIGIN_KEY, Field, Scheme
from .labelling import default_scheme

EXPORT_VERSION = 1
VIEWS = ("all", "gold", "spans")

# Spec trees: a leaf is a dtype name, a dict is a struct (every key always present,
# the struct itself nullable) and a one-element list is a list of that element.
SPAN: dict = {"start": "int64", "end": "int64", "text": "string"}


def labels_spec(scheme: Scheme | None = None) -> dict:
    """Return the spec tree of a labels document under ``scheme`` (default: newsattr-1).

    Derived from the scheme's fields, every one of them whether or not a project turned its
    extended fields on, so a scheme file gives one export shape: a single choice is a string
    (an integer when its values are), a multi choice a list of them, an ordinal an integer, a
    span ``SPAN``, spans a list of ``SPAN``, text, ref and id strings, an object a struct of
    its children and a list a list of them (``SPAN`` and its children when ``item = "span"``).
    """
    return _labels_spec(scheme or default_scheme())


@functools.lru_cache(maxsize=64)
def _labels_spec(scheme: Scheme) -> dict:
    return _children_spec(scheme, None)


def _children_spec(scheme: Scheme, parent: str | None) -> dict:
    return {f.name: _field_spec(scheme, f) for f in scheme.children(parent)}


def _field_spec(scheme: Scheme, f: Field) -> Any:
    if f.type in ("single", "multi"):
        values = [c.value for c in f.values]
        dtype = "int64" if values and all(type(v) is int for v in values) else "string"
        return dtype if f.type == "single" else [dtype]
    if f.type == "ordinal":
        return "int64"
    if f.type == "span":
        return dict(SPAN)
    if f.type == "spans":
        return [dict(SPAN)]
    if f.type == "object":
        return _children_spec(scheme, f.path)
    if f.type == "list":
        item = _children_spec(scheme, f.path)
        if any(c.type == "id" for c in scheme.children(f.path)):
            item[ORIGIN_KEY] = "string"  # how an item with an id was made: one of scheme.ORIGINS
        return [{**SPAN, **item} if f.item == "span" else item]
    return "string"  # text, ref, id


# The default scheme's trees, for callers that do not pass a scheme.
LABELS: dict = labels_spec()
ATTRIBUTION: dict = LABELS["attributions"][0]
CLAIM: dict = LABELS["claims"][0]
FRAMING: dict = LABELS["framing"]
FRAMING_SPAN: dict = FRAMING["framing_spans"][0]

# Paragraph metadata every record carries; strings are never null ("" when unknown).
ENVELOPE: dict = {
    "schema": "string",
    "article_id": "string",
    "paragraph_id": "string",
    "position": "int64",
    "kind": "string",
    "text": "string",
    "text_sha256": "string",
    "doc_char_start": "int64",
    "outlet": "string",
    "url": "string",
    "published": "string",
    "title": "string",
}

DECISION: dict = {
    "source": "string",
    "reviewer": "string",
    "annotators": ["string"],
    "note": "string",
    "decided_at": "string",
    # provenance: whose labels were compared, and per field or item whose version the gold holds
    "compared": ["string"],
    "taken": [{"path": "string", "annotators": ["string"], "edited": "bool"}],
}

AGREEMENT_FIELD: dict = {
    "field": "string",
    "statistic": "string",
    "value": "float64",
    "n": "int64",
    "reason": "string",
}

AGREEMENT: dict = {"n_annotators": "int64", "disagreement": "float64", "fields": [AGREEMENT_FIELD]}


def _all_spec(labels: dict) -> dict:
    return {**ENVELOPE, "annotator": "string", "labels": labels, "seconds": "float64", "updated_at": "string"}


def _gold_spec(labels: dict) -> dict:
    return {**ENVELOPE, "labels": labels, "decision": DECISION, "agreement": AGREEMENT}


ALL_RECORD: dict = _all_spec(LABELS)
GOLD_RECORD: dict = _gold_spec(LABELS)

SPANS_META: dict = {
    **{k: v for k, v in ENVELOPE.items() if k != "text"},
    "source": "string",
    "reviewer": "string",
    "annotators": ["string"],
}

SPANS_RECORD: dict = {
    "text": "string",
    "spans": [{"start": "int64", "end": "int64", "label": "string", "text": "string"}],
    "meta": SPANS_META,
}

RECORD_SPECS: dict[str, dict] = {"all": ALL_RECORD, "gold": GOLD_RECORD, "spans": SPANS_RECORD}


def record_spec(view: str, scheme: Scheme | None = None) -> dict:
    """Return the spec tree of one record of ``view`` under ``scheme`` (default: newsattr-1)."""
    if view not in VIEWS:
        raise ValueError(f"unknown export view {view!r}; expected one of {', '.join(VIEWS)}")
    labels = labels_spec(scheme)
    if view == "all":
        return _all_spec(labels)
    if view == "gold":
        return _gold_spec(labels)
    return SPANS_RECORD


def hf_features(spec: Any) -> Any:
    """Return ``spec`` as a Hugging Face ``features`` list (the dataset-card YAML form)."""
    return [_hf_field(k, v) for k, v in spec.items()]


def _hf_field(name: str, spec: Any) -> dict:
    if isinstance(spec, str):
        return {"name": name, "dtype": spec}
    if isinstance(spec, list):
        inner = spec[0]
        if isinstance(inner, str):
            return {"name": name, "list": inner}
        return {"name": name, "list": hf_features(inner)}
    return {"name": name, "struct": hf_features(spec)}
