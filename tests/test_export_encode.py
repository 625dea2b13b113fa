"""The fused encoder: byte for byte what ``records`` + ``dumps_record`` write, and as strict."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given, settings

from annotator.export import EncodedRecord, RecordError, encode_records, iter_jsonl, records, write_export
from annotator.export.writer import dumps_record
from tests.test_export_fixtures import all_rows, gold_rows, paragraph
from tests.test_export_roundtrip import labelled_paragraph


@pytest.mark.parametrize("view, rows", [("all", all_rows), ("gold", gold_rows), ("spans", gold_rows)])
def test_encoded_lines_equal_the_dumped_records(view, rows):
    data = rows(("a1", "a2"))
    slow = [dumps_record(r) for r in records(view, data, scheme_name="newsattr-1")]
    fast = list(encode_records(view, data, scheme_name="newsattr-1"))
    assert [e.line for e in fast] == slow
    assert all(isinstance(e, EncodedRecord) for e in fast)
    assert [e.article_id for e in fast] == [
        json.loads(line).get("article_id") or json.loads(line)["meta"]["article_id"] for line in slow
    ]
    assert list(iter_jsonl(fast)) == slow


def test_coercions_and_missing_keys_match_too():
    data = all_rows()
    data[0]["labels"]["claims"][0]["sourcing_strength"] = 2.0
    data[1]["seconds"] = 7
    data[2]["updated_at"] = ""
    data[3]["published"] = ""
    data[4]["outlet"] = None
    del data[5]["labels"]["framing"]
    slow = [dumps_record(r) for r in records("all", data, scheme_name="s")]
    assert [e.line for e in encode_records("all", data, scheme_name="s")] == slow


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
    assert fast.line == dumps_record(next(records("all", [row], scheme_name="s")))


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
def test_write_export_takes_either_and_writes_the_same_dataset(tmp_path, view):
    data = (
        all_rows(tuple(f"a{i}" for i in range(30)))
        if view == "all"
        else gold_rows(tuple(f"a{i}" for i in range(30)))
    )
    m1 = write_export(tmp_path / "dicts", view, records(view, data, scheme_name="s"), params={}, fsync=False)
    m2 = write_export(
        tmp_path / "lines", view, encode_records(view, data, scheme_name="s"), params={}, fsync=False
    )
    m1.pop("created_at"), m2.pop("created_at")
    assert m1 == m2
    for f in m1["files"]:
        assert (tmp_path / "dicts" / f["path"]).read_bytes() == (tmp_path / "lines" / f["path"]).read_bytes()
