"""Per-label counts of an export, for the manifest: streamed, in memory bounded by the label vocabulary."""

from __future__ import annotations

from collections.abc import Iterable, Mapping


def record_article_id(record: Mapping) -> str:
    """Return the article id of a record of any view."""
    aid = record.get("article_id")
    if aid is None:
        aid = record["meta"]["article_id"]
    return aid


def count_labels(view: str, record: Mapping, counts: dict[str, int]) -> None:
    """Add the label names of one record to ``counts`` (the manifest's per-label counts).

    Names: span labels (``SOURCE``, ``CUE``, ``CONTENT``, ``CLAIM``, framing techniques),
    and for ``all``/``gold`` also ``kind=…``, ``checkworthiness=…``, ``sourcing_strength=S…``
    and ``frame=…``; for ``gold`` also ``decision=unanimous|adjudicated``.
    """
    if view == "spans":
        count_span_labels(record["spans"], counts)
    else:
        count_label_doc(record.get("labels"), counts)
        if view == "gold":
            count_decision(record["decision"]["source"], counts)


def count_decision(source: str | None, counts: dict[str, int]) -> None:
    """Count a gold decision by its source (``decision=unanimous``, ``decision=adjudicated``)."""
    key = f"decision={source}"
    counts[key] = counts.get(key, 0) + 1


def count_span_labels(spans: Iterable[Mapping], counts: dict[str, int]) -> None:
    """Add one count per span label to ``counts``."""
    get = counts.get
    for s in spans:
        label = s["label"]
        counts[label] = get(label, 0) + 1


def count_label_doc(labels: Mapping | None, counts: dict[str, int]) -> None:
    """Add the label names of one labels document to ``counts`` (missing keys are fine)."""
    if not labels:
        return
    get = counts.get
    kind = labels.get("kind")
    if kind:
        key = "kind=" + kind
        counts[key] = get(key, 0) + 1
    attributions = labels.get("attributions")
    if attributions:
        for a in attributions:
            n = len(a.get("sources") or ())
            if n:
                counts["SOURCE"] = get("SOURCE", 0) + n
            if a.get("cue"):
                counts["CUE"] = get("CUE", 0) + 1
            n = len(a.get("contents") or ())
            if n:
                counts["CONTENT"] = get("CONTENT", 0) + n
    claims = labels.get("claims")
    if claims:
        for c in claims:
            if c.get("span"):
                counts["CLAIM"] = get("CLAIM", 0) + 1
            cw = c.get("checkworthiness")
            if cw:
                key = "checkworthiness=" + cw
                counts[key] = get(key, 0) + 1
            ss = c.get("sourcing_strength")
            if ss is not None:
                key = f"sourcing_strength=S{int(ss)}"
                counts[key] = get(key, 0) + 1
    framing = labels.get("framing")
    if framing:
        for frame in framing.get("frames") or ():
            key = "frame=" + frame
            counts[key] = get(key, 0) + 1
        for f in framing.get("framing_spans") or ():
            key = f.get("technique") or "FRAMING"
            counts[key] = get(key, 0) + 1
