"""The bundled sample article must become exactly its expected units and metadata."""

import json
from pathlib import Path

from annotator.ingest import read_document

SAMPLES = Path(__file__).resolve().parent.parent / "annotator" / "samples"
STEM = "rt-2024-01-30-lavrov-weapons"


def _doc():
    return read_document((SAMPLES / f"{STEM}.txt").read_bytes(), name=f"{STEM}.txt")


def _expected():
    return json.loads((SAMPLES / f"{STEM}.expected.json").read_text(encoding="utf-8"))


def test_sample_gives_one_text_document():
    docs = _doc()
    assert len(docs) == 1
    assert docs[0].source_format == "text"


def test_sample_units_exactly():
    doc = _doc()[0]
    got = [
        {k: v for k, v in (("kind", u.kind), ("text", u.text), ("credit", u.credit)) if v is not None}
        for u in doc.units
    ]
    assert got == _expected()["units"]


def test_sample_meta():
    doc = _doc()[0]
    expected = _expected()
    for key in ("outlet", "published", "section", "title"):
        assert doc.meta[key] == expected[key], key


def test_sample_dropped_examples():
    dropped = _doc()[0].dropped
    for example in _expected()["dropped_examples"]:
        assert any(line.text.startswith(example) for line in dropped), example


def test_sample_labels_match_units():
    # The demo labels refer to paragraphs by text: each must be one of the units.
    texts = {u.text for u in _doc()[0].units}
    for line in (SAMPLES / f"{STEM}.labels.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            assert json.loads(line)["text"] in texts


def test_sample_raw_is_kept():
    data = (SAMPLES / f"{STEM}.txt").read_bytes()
    assert read_document(data)[0].raw == data
