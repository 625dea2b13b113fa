"""Shared rows for the export tests: the two worked-example paragraphs and an emoji one.

Imported by the other ``test_export_*`` modules; it also checks its own data.
"""

from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path

_NAME = "rt-2024-01-30-lavrov-weapons.labels.jsonl"
_ROOT = Path(__file__).resolve().parents[1]
# shared/ sits beside the repo (read-only); the package may carry a copy of the samples too.
LABELS_FILE = next(
    (
        p
        for p in (_ROOT.parent / "shared" / "samples" / _NAME, _ROOT / "annotator" / "samples" / _NAME)
        if p.exists()
    ),
    _ROOT.parent / "shared" / "samples" / _NAME,
)


def worked_examples() -> list[dict]:
    """Return the two worked-example paragraphs as ``{"text", "labels"}``."""
    return [json.loads(line) for line in LABELS_FILE.read_text(encoding="utf-8").splitlines() if line.strip()]


def span(text: str, sub: str, nth: int = 0) -> dict:
    """Return the span of the ``nth`` occurrence of ``sub`` in ``text`` (code points)."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(sub, start + 1)
    return {"start": start, "end": start + len(sub), "text": sub}


# Astral-plane characters before every span: code points and UTF-16 indices differ here.
EMOJI_TEXT = "🇺🇦🚀 Zelensky told reporters 😀 that “the front is holding” after 💥 strikes on Kharkiv."


def emoji_labels() -> dict:
    t = EMOJI_TEXT
    return {
        "kind": "body",
        "attributions": [
            {
                "id": "a1",
                "sources": [span(t, "Zelensky")],
                "cue": span(t, "told reporters"),
                "contents": [span(t, "that “the front is holding”")],
                "source_form": "named_person",
                "source_interest": "party_to_dispute",
                "record_status": "on_record",
                "cue_stance": "neutral",
            }
        ],
        "claims": [
            {
                "id": "c1",
                "span": span(t, "the front is holding"),
                "attribution_id": "a1",
                "checkworthiness": "CFS",
                "sourcing_strength": 2,
            }
        ],
        "framing": {
            "frames": ["Security_and_defense"],
            "primary_frame": "Security_and_defense",
            "framing_spans": [{**span(t, "💥 strikes"), "technique": "Loaded_Language", "voice": "outlet"}],
        },
    }


def paragraph(article_id: str, position: int, text: str, **meta) -> dict:
    row = {
        "article_id": article_id,
        "paragraph_id": f"{article_id}#p{position}",
        "position": position,
        "kind": "body",
        "text": text,
        "text_sha256": hashlib.sha256(text.encode()).hexdigest(),
        "doc_char_start": position * 400,
        "outlet": "RT",
        "url": f"https://www.rt.com/{article_id}",
        "published": "2024-01-30T13:45",
        "title": "West asking countries to secretly send Russian weapons to Ukraine – Lavrov",
    }
    row.update(meta)
    return row


def article_paragraphs(article_id: str = "rt-lavrov") -> list[tuple[dict, dict]]:
    """Return (paragraph row, labels) for the three labelled paragraphs of one article."""
    ex = worked_examples()
    return [
        (paragraph(article_id, 0, ex[0]["text"]), ex[0]["labels"]),
        (paragraph(article_id, 1, ex[1]["text"], published=None, outlet=None), ex[1]["labels"]),
        (paragraph(article_id, 2, EMOJI_TEXT), emoji_labels()),
    ]


def all_rows(article_ids=("rt-lavrov",), annotators=("alice", "bob")) -> list[dict]:
    """Return ``all``-view rows, sorted by article, position, annotator; bob drops claims."""
    rows = []
    for aid in article_ids:
        for para, labels in article_paragraphs(aid):
            for who in annotators:
                doc = copy.deepcopy(labels)
                if who == "bob":
                    doc["claims"] = []
                rows.append(
                    {
                        **para,
                        "annotator": who,
                        "labels": doc,
                        "seconds": 42,
                        "updated_at": "2024-02-01T10:00:00Z",
                    }
                )
    return rows


def gold_rows(article_ids=("rt-lavrov",)) -> list[dict]:
    rows = []
    for aid in article_ids:
        for i, (para, labels) in enumerate(article_paragraphs(aid)):
            decision = {
                "source": "adjudicated" if i else "unanimous",
                "reviewer": "rita" if i else None,
                "annotators": ["bob", "alice"],
                "note": None if i else "all agreed",
                "decided_at": "2024-02-02T09:00:00Z",
            }
            agreement = (
                {}
                if i == 2
                else {
                    "n_annotators": 2,
                    "disagreement": 0.25 * i,
                    "fields": {"kind": {"statistic": "alpha", "value": 1.0, "n": 2, "reason": None}},
                    "claims.span": 0.5,
                }
            )
            rows.append(
                {**para, "labels": copy.deepcopy(labels), "decision": decision, "agreement": agreement}
            )
    return rows


def test_fixture_spans_match_their_text():
    for para, labels in article_paragraphs():
        for a in labels["attributions"]:
            for s in [*a["sources"], a["cue"], *a["contents"]]:
                assert para["text"][s["start"] : s["end"]] == s["text"]
    assert len(EMOJI_TEXT) != len(EMOJI_TEXT.encode("utf-16-le")) // 2  # astral characters present
