"""The one encoder: byte for byte what the reference dicts (``records`` + ``dumps_record``) write, and as strict."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given, settings

from annotator.export import (
    EncodedBatch,
    RecordError,
    dumps_record,
    encode_records,
    iter_jsonl,
    labelling,
    records,
    write_export,
)
from tests.test_export_fixtures import all_rows, gold_rows, paragraph
from tests.test_export_roundtrip import labelled_paragraph


def lines_of(batches) -> list[str]:
    return [line.decode("utf-8") for b in batches for line in b.lines]


def article_of(line: str) -> str:
    rec = json.loads(line)
    return rec.get("article_id") or rec["meta"]["article_id"]


@pytest.mark.parametrize("view, rows", [("all", all_rows), ("gold", gold_rows), ("spans", gold_rows)])
def test_encoded_lines_equal_the_dumped_records(view, rows):
    data = rows(("a1", "a2"))
    slow = [dumps_record(r) for r in records(view, data, scheme_name="newsattr-1")]
    fast = list(encode_records(view, data, scheme_name="newsattr-1"))
    assert lines_of(fast) == slow
    assert all(isinstance(b, EncodedBatch) for b in fast)
    # one batch per article, in order, each holding that article's lines only
    assert [b.article_id for b in fast] == list(dict.fromkeys(article_of(line) for line in slow))
    for b in fast:
        assert {article_of(line.decode()) for line in b.lines} == {b.article_id}
    assert b"".join(iter_jsonl(fast)) == "".join(slow).encode("utf-8")


def test_coercions_and_missing_keys_match_too():
    data = all_rows()
    data[0]["labels"]["claims"][0]["sourcing_strength"] = 2.0
    data[1]["seconds"] = 7
    data[2]["updated_at"] = ""
    data[3]["published"] = ""
    data[4]["outlet"] = None
    del data[5]["labels"]["framing"]
    slow = [dumps_record(r) for r in records("all", data, scheme_name="s")]
    assert lines_of(encode_records("all", data, scheme_name="s")) == slow


@settings(max_examples=40, deadline=None)
@given(labelled_paragraph())
def test_any_labels_encode_identically(case):
    text, labels = case
    row = {
        **paragraph("art", 0, text),
        "annotator": "ann",
        "labels": labels,
        "seconds": 0.1,
        "updated_at": "2024-02-01T10:00:00Z",
    }
    (fast,) = encode_records("all", [row], scheme_name="s")
    assert lines_of([fast]) == [dumps_record(next(records("all", [row], scheme_name="s")))]


@pytest.mark.parametrize(
    "mutate, path",
    [
        (lambda r: r["labels"]["attributions"][0].update(mood="grim"), "labels.attributions[].mood"),
        (
            lambda r: r["labels"]["claims"][0].update(sourcing_strength="S2"),
            "labels.claims[].sourcing_strength",
        ),
        (lambda r: r["labels"].update(claims={}), "labels.claims"),
        (lambda r: r.update(annotator=None), "annotator"),
        (lambda r: r.update(seconds=math.nan), "seconds"),
        (lambda r: r.update(position=1.5), "position"),
    ],
)
def test_both_paths_refuse_the_same_rows_naming_the_same_field(mutate, path):
    data = all_rows()
    mutate(data[2])
    errors = []
    for fn in (records, encode_records):
        with pytest.raises(RecordError) as e:
            list(fn("all", data, scheme_name="s"))
        errors.append(e.value)
    assert errors[0].path == errors[1].path == path
    assert "rt-lavrov#p1" in str(errors[1])


@pytest.mark.parametrize("view", ["all", "gold", "spans"])
def test_write_export_writes_the_reference_records_and_counts(tmp_path, view):
    data = (
        all_rows(tuple(f"a{i}" for i in range(30)))
        if view == "all"
        else gold_rows(tuple(f"a{i}" for i in range(30)))
    )
    manifest = write_export(
        tmp_path, view, encode_records(view, data, scheme_name="s"), params={}, fsync=False
    )
    reference = list(records(view, data, scheme_name="s"))
    written = b"".join((tmp_path / f["path"]).read_bytes() for f in manifest["files"])
    assert sorted(written.decode("utf-8").splitlines(keepends=True)) == sorted(map(dumps_record, reference))
    counts: dict = {}
    for rec in reference:
        if view == "spans":
            for span in rec["spans"]:
                counts[span["label"]] = counts.get(span["label"], 0) + 1
        else:
            labelling().count(rec["labels"], counts)
        if view == "gold":
            key = f"decision={rec['decision']['source']}"
            counts[key] = counts.get(key, 0) + 1
    assert manifest["counts"]["labels"]["total"] == dict(sorted(counts.items()))


@pytest.mark.parametrize("view", ["gold", "spans"])
@pytest.mark.parametrize(
    "mutate, path",
    [
        (lambda r: r["labels"]["attributions"][0].update(mood="grim"), "labels.attributions[].mood"),
        (lambda r: r["labels"].update(claims={}), "labels.claims"),
        (lambda r: r.update(position=1.5), "position"),
        (lambda r: r.update(text=7), "text"),
        (lambda r: r["decision"].update(note=5), "decision.note"),
        (lambda r: r["decision"].update(reviewer=5), "decision.reviewer"),
    ],
)
def test_decided_views_refuse_the_same_rows_naming_the_same_field(view, mutate, path):
    data = gold_rows()
    mutate(data[1])
    errors = []
    for fn in (records, encode_records):
        with pytest.raises(RecordError) as e:
            list(fn(view, data, scheme_name="s"))
        errors.append(e.value)
    assert errors[0].path == errors[1].path == path


def test_undefined_agreement_is_null_in_both():
    data = gold_rows()
    data[0]["agreement"] = {
        "n_annotators": 2,
        "disagreement": math.nan,
        "kind": {"statistic": "alpha", "value": math.inf, "n": 3, "reason": "one category"},
        "claims[].checkworthiness": 0.5,
        "framing.frames": 1,
    }
    slow = [dumps_record(r) for r in records("gold", data, scheme_name="s")]
    assert lines_of(encode_records("gold", data, scheme_name="s")) == slow
    first = json.loads(slow[0])["agreement"]
    values = {f["field"]: f["value"] for f in first["fields"]}
    assert first["disagreement"] is None and values == {
        "claims[].checkworthiness": 0.5,
        "framing.frames": 1.0,
        "kind": None,
    }
