"""`annotator export --format parquet`: the JSONL export's records and splits, typed, read back by pandas and datasets."""

import json

import datasets as hf
import pandas
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from annotator import export
from annotator.cli import cli

from .test_datasets import labelled  # noqa: F401  (fixture: sample article, annotations, one gold)


def _jsonl(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _plain(value):
    """pandas gives numpy arrays for lists: compare as plain Python."""
    if hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, float) and value != value:
        return None
    return value


@pytest.mark.parametrize("view", ["all", "gold", "spans"])
def test_parquet_holds_the_jsonl_records_and_splits(runner, labelled, tmp_path, view):  # noqa: F811
    assert runner.invoke(cli, ["import-annotations", str(labelled), "--project", "test"]).exit_code == 0
    common = ["export", "--project", "test", "--view", view, "--split", "50,25,25", "--seed", "3"]
    as_jsonl = runner.invoke(cli, [*common, "--out", str(tmp_path / "j")])
    as_parquet = runner.invoke(cli, [*common, "--out", str(tmp_path / "p"), "--format", "parquet"])
    assert as_jsonl.exit_code == 0 and as_parquet.exit_code == 0, as_parquet.output
    manifest = json.loads((tmp_path / "p" / "manifest.json").read_text())
    assert manifest["format"] == "parquet" and (tmp_path / "p" / "README.md").exists()
    assert "pd.read_parquet" in (tmp_path / "p" / "README.md").read_text()
    total = 0
    for split in export.SPLITS:
        expected = _jsonl(tmp_path / "j" / f"{split}.jsonl")
        path = tmp_path / "p" / f"{split}.parquet"
        table = pq.read_table(path)
        assert table.schema == export.arrow_schema(view)
        assert table.to_pylist() == expected
        frame = pandas.read_parquet(path)
        assert [_plain(row) for row in frame.to_dict("records")] == expected
        if expected:
            loaded = hf.load_dataset("parquet", data_files={"train": str(path)}, split="train")
            assert [dict(row) for row in loaded] == expected
        info = next(f for f in manifest["files"] if f["split"] == split)
        assert info["records"] == len(expected)
        total += len(expected)
    assert total > 0
    jsonl_manifest = json.loads((tmp_path / "j" / "manifest.json").read_text())
    assert manifest["counts"] == jsonl_manifest["counts"]


def test_labels_are_nested_arrow_types_with_integer_offsets():
    labels = export.arrow_schema("gold").field("labels").type
    attribution = labels.field("attributions").type.value_type
    cue = attribution.field("cue").type
    assert pa.types.is_struct(cue) and cue.field("start").type == pa.int64()
    assert pa.types.is_list(labels.field("claims").type)
    spans = export.arrow_schema("spans").field("spans").type.value_type
    assert spans.field("end").type == pa.int64()


def test_row_groups_bound_memory(tmp_path):
    rows = [
        {
            "article_id": f"a{n // 3}",
            "paragraph_id": f"a{n // 3}#p{n % 3}",
            "position": n % 3,
            "kind": "body",
            "text": f"paragraph {n}",
            "text_sha256": "0" * 64,
            "doc_char_start": 0,
            "labels": {"kind": "body"},
            "decision": {"source": "unanimous", "annotators": ["x"]},
            "agreement": {},
        }
        for n in range(2500)
    ]
    records = export.encode_records("gold", rows, scheme_name="newsattr-1")
    manifest = export.write_parquet(tmp_path, "gold", records, split=None, row_group_rows=1000, fsync=False)
    meta = pq.ParquetFile(tmp_path / "gold.parquet").metadata
    assert meta.num_rows == 2500 and meta.num_row_groups == 3
    assert manifest["files"][0]["articles"] == 834


def test_a_failing_export_leaves_nothing(tmp_path):
    def broken():
        yield from export.encode_records(
            "gold",
            [
                {
                    "article_id": "a",
                    "paragraph_id": "a#p0",
                    "position": 0,
                    "kind": "body",
                    "text": "t",
                    "text_sha256": "0",
                    "doc_char_start": 0,
                    "decision": {"source": "unanimous"},
                }
            ],
            scheme_name="newsattr-1",
        )
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError):
        export.write_parquet(tmp_path, "gold", broken(), fsync=False)
    assert list(tmp_path.iterdir()) == []


def test_a_line_off_the_schema_stops_the_file(tmp_path):
    import pyarrow

    good = export.dumps_record(
        next(
            export.records(
                "spans",
                [
                    {
                        "article_id": "a",
                        "paragraph_id": "a#p0",
                        "position": 0,
                        "kind": "body",
                        "text": "t",
                        "text_sha256": "0",
                        "doc_char_start": 0,
                        "decision": {"source": "unanimous"},
                    }
                ],
                scheme_name="newsattr-1",
            )
        )
    )
    with open(tmp_path / "ok.parquet", "wb") as fh:
        assert export.write_parquet_file(fh, "spans", [good, good]) == 2
    assert pq.read_table(tmp_path / "ok.parquet").num_rows == 2
    with open(tmp_path / "bad.parquet", "wb") as fh, pytest.raises(pyarrow.ArrowInvalid):
        export.write_parquet_file(fh, "spans", [good, '{"text": "x", "colour": "red"}\n'])
