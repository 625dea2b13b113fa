"""Writing an export: files, manifest, card, atomicity, and loading with pandas and datasets."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from annotator.export import dumps_record, encode_records, iter_jsonl, records, write_export, writer
from tests.test_export_fixtures import all_rows, gold_rows

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = tuple(f"rt-{i:03d}" for i in range(40))


def export(tmp_path, view="all", articles=ARTICLES, **kw):
    rows = all_rows(articles) if view == "all" else gold_rows(articles)
    kw.setdefault("params", {"project": "lavrov", "view": view})
    return write_export(tmp_path, view, encode_records(view, rows, scheme_name="newsattr-1"), **kw)


def read_lines(path):
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines()]


def test_split_export_writes_three_files_a_manifest_and_a_card(tmp_path):
    manifest = export(
        tmp_path,
        agreement_summary={
            "fields": {"kind": {"statistic": "alpha", "value": 0.81, "n": 120, "reason": None}}
        },
        label_definitions={"checkworthiness": {"CFS": "check-worthy factual statement"}},
        scheme={"name": "newsattr-1", "version": 1},
    )
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["README.md", "dev.jsonl", "manifest.json", "test.jsonl", "train.jsonl"]
    assert json.loads((tmp_path / "manifest.json").read_text()) == manifest
    total = 0
    for f in manifest["files"]:
        data = (tmp_path / f["path"]).read_bytes()
        assert f["bytes"] == len(data) and f["sha256"] == hashlib.sha256(data).hexdigest()
        lines = read_lines(tmp_path / f["path"])
        assert f["records"] == len(lines) == manifest["counts"]["records"][f["split"]]
        assert f["articles"] == len({r["article_id"] for r in lines})
        total += len(lines)
    assert total == manifest["counts"]["records"]["total"] == len(ARTICLES) * 6
    assert manifest["counts"]["labels"]["total"]["CUE"] == len(ARTICLES) * 2 * 4  # 4 cues per article
    assert manifest["split"]["seed"] == 0 and manifest["split"]["ratios"] == [80, 10, 10]
    assert manifest["scheme"] == {"name": "newsattr-1", "version": 1}
    assert manifest["parameters"]["project"] == "lavrov" and manifest["export_version"] == 1
    card = (tmp_path / "README.md").read_text()
    assert card.startswith("---\n") and "dataset_info:" in card and "## Licence" in card
    assert "check-worthy factual statement" in card and "| `kind` | alpha | 0.810 | 120 |" in card
    assert not list(tmp_path.glob(".*"))  # no temporary files left


def test_gold_counts_decisions_by_source(tmp_path):
    manifest = export(tmp_path, "gold", split=None)
    total = manifest["counts"]["labels"]["total"]
    assert total["decision=unanimous"] == len(ARTICLES) and total["decision=adjudicated"] == 2 * len(ARTICLES)


def test_without_split_one_file_named_after_the_view_and_stale_files_go(tmp_path):
    export(tmp_path)
    manifest = export(tmp_path, split=None)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["README.md", "all.jsonl", "manifest.json"]
    assert manifest["split"] is None and manifest["files"][0]["split"] is None
    assert manifest["counts"]["records"] == {"all": len(ARTICLES) * 6, "total": len(ARTICLES) * 6}


def test_iter_jsonl_streams_the_same_lines_as_the_file(tmp_path):
    export(tmp_path, split=None)
    chunks = list(iter_jsonl(encode_records("all", all_rows(ARTICLES), scheme_name="newsattr-1")))
    assert len(chunks) == len(ARTICLES)  # one chunk per article
    assert b"".join(chunks) == (tmp_path / "all.jsonl").read_bytes()
    reference = [dumps_record(r) for r in records("all", all_rows(ARTICLES), scheme_name="newsattr-1")]
    assert "".join(reference) == (tmp_path / "all.jsonl").read_text(encoding="utf-8")


def test_a_generator_failing_midway_leaves_the_previous_export_untouched(tmp_path):
    before = export(tmp_path)
    snapshot = {p.name: p.read_bytes() for p in tmp_path.iterdir()}

    def failing():
        for i, rec in enumerate(encode_records("all", all_rows(ARTICLES), scheme_name="newsattr-1")):
            if i == 20:
                raise RuntimeError("database went away")
            yield rec

    with pytest.raises(RuntimeError, match="went away"):
        write_export(tmp_path, "all", failing(), params={})
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == snapshot
    assert json.loads((tmp_path / "manifest.json").read_text()) == before


def test_a_failing_export_into_a_new_directory_leaves_no_file(tmp_path):
    def failing():
        yield from encode_records("all", all_rows(ARTICLES[:2]), scheme_name="s")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_export(tmp_path / "new", "all", failing(), params={})
    assert list((tmp_path / "new").iterdir()) == []


KILLED_CHILD = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from annotator.export import encode_records, write_export
    from tests.test_export_fixtures import all_rows

    flag = Path(sys.argv[2])

    def rows():
        for i in range(100000):
            if i == 2000:
                flag.write_text("mid-write")
                time.sleep(60)
            for row in all_rows((f"a{i}",), annotators=("alice",))[:1]:
                yield row

    write_export(sys.argv[1], "all", encode_records("all", rows(), scheme_name="s"), params={})
""")


def test_an_export_killed_with_sigkill_mid_write_leaves_no_final_file(tmp_path):
    out, flag = tmp_path / "out", tmp_path / "flag"
    proc = subprocess.Popen(
        [sys.executable, "-c", KILLED_CHILD, str(out), str(flag)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        deadline = time.monotonic() + 60
        while not flag.exists():
            assert proc.poll() is None, "the exporting child died early"
            assert time.monotonic() < deadline
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == -signal.SIGKILL
    visible = [p.name for p in out.iterdir() if not p.name.startswith(".")]
    assert visible == []  # only hidden temporaries remain, no train.jsonl, no manifest
    temps = [p for p in out.iterdir() if p.name.startswith(".")]
    assert temps and all(p.name.endswith(".tmp") for p in temps)
    assert sum(p.stat().st_size for p in temps) > 0  # it really was mid-write
    # The next export into the directory clears the dead process's temporaries.
    write_export(
        out, "all", encode_records("all", all_rows(ARTICLES[:3]), scheme_name="s"), params={}, fsync=False
    )
    assert not [p for p in out.iterdir() if p.name.startswith(".")]
    assert (out / "manifest.json").exists()


# Measured in a fresh interpreter: tracemalloc counts every thread's allocations, and in the
# suite's process the live server and the browser driver (earlier tests) allocate as they please.
_MEASURE_PEAKS = """
import json, sys, tracemalloc
from pathlib import Path
from annotator.export import encode_records, write_export
from tests.test_export_fixtures import all_rows

def rows(n):
    for i in range(n):
        yield from all_rows((f"a{i}",), annotators=("alice",))

peaks = []
for n in (300, 3000):
    tracemalloc.start()
    write_export(Path(sys.argv[1]) / str(n), "all", encode_records("all", rows(n), scheme_name="s"),
                 params={}, fsync=False)
    peaks.append(tracemalloc.get_traced_memory()[1])
    tracemalloc.stop()
print(json.dumps(peaks))
"""


@pytest.mark.slow
def test_memory_stays_flat_while_streaming(tmp_path):
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE_PEAKS, str(tmp_path)],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    )
    peaks = json.loads(done.stdout)
    written = (tmp_path / "3000" / "train.jsonl").stat().st_size
    # The most the writer can hold is fixed by its constants, whatever the number of records:
    # the queued blocks, one being written, one waiting to be queued, each part's buffer and the
    # copy its join makes. How much of that a run reaches depends on how the writer thread is
    # scheduled (a busy machine lets the queue fill), so the bound is the worst case, not the
    # peak of a smaller run; 500 kB covers the records in the making and the interpreter's own.
    parts = 3
    bound = (writer._IN_FLIGHT + 2 + parts + 1) * writer._FLUSH_BYTES + 500_000
    assert max(peaks) < bound < written / 4


def test_bad_arguments_are_refused(tmp_path):
    with pytest.raises(ValueError, match="unknown export view"):
        write_export(tmp_path, "silver", [], params={})
    with pytest.raises(ValueError, match="three ratios"):
        write_export(tmp_path, "all", [], split=(80, 20), params={})


@pytest.mark.parametrize("view", ["all", "gold", "spans"])
def test_pandas_reads_every_view(tmp_path, view):
    pd = pytest.importorskip("pandas")
    manifest = export(tmp_path, view, split=None)
    df = pd.read_json(tmp_path / f"{view}.jsonl", lines=True)
    expected = {
        "all": [
            "schema",
            "article_id",
            "paragraph_id",
            "position",
            "kind",
            "text",
            "text_sha256",
            "doc_char_start",
            "outlet",
            "url",
            "published",
            "title",
            "annotator",
            "labels",
            "seconds",
            "updated_at",
        ],
        "gold": [
            "schema",
            "article_id",
            "paragraph_id",
            "position",
            "kind",
            "text",
            "text_sha256",
            "doc_char_start",
            "outlet",
            "url",
            "published",
            "title",
            "labels",
            "decision",
            "agreement",
        ],
        "spans": ["text", "spans", "meta"],
    }[view]
    assert list(df.columns) == expected
    assert len(df) == manifest["counts"]["records"]["total"]


def assert_compatible(inferred, declared, path):
    """Same columns and nesting as declared; a leaf may be inferred as null (no value seen in the
    file) and an ISO date as a timestamp, which is what pyarrow does on its own."""
    if inferred == "null":  # only empty lists seen: nothing to compare
        return
    if isinstance(declared, str):
        assert (
            inferred == declared
            or inferred == "null"
            or (declared == "string" and inferred == "timestamp[s]")
        ), f"{path}: {inferred} for {declared}"
        return
    assert [f["name"] for f in inferred] == [f["name"] for f in declared], path
    for i, d in zip(inferred, declared, strict=True):
        kind = next(k for k in ("dtype", "struct", "list") if k in d)
        if kind == "list" and "dtype" in i and i["dtype"] == "null":
            continue
        assert kind in i or i.get("dtype") == "null", f"{path}.{d['name']}: {i} for {d}"
        if kind in i:
            if kind == "list" and isinstance(d["list"], str):
                assert_compatible(i["list"], d["list"], f"{path}.{d['name']}[]")
            else:
                assert_compatible(i[kind], d[kind], f"{path}.{d['name']}")


def _load(data_files, cache):
    datasets = pytest.importorskip("datasets")
    datasets.disable_progress_bars()
    return datasets.load_dataset("json", data_files=data_files, cache_dir=str(cache))


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.parametrize("view", ["all", "gold", "spans"])
def test_datasets_loads_every_split_with_the_declared_features(tmp_path, view):
    pytest.importorskip("datasets")
    out = tmp_path / "out"
    manifest = export(out, view)
    files = {f["split"]: str(out / f["path"]) for f in manifest["files"] if f["records"]}
    ds = _load(files, tmp_path / "cache")
    for split, d in ds.items():
        assert d.num_rows == manifest["counts"]["records"][split]
        assert_compatible(d.features._to_yaml_list(), manifest["features"], split)
    sample = ds["train"][0]
    if view == "spans":
        for s in sample["spans"]:
            assert sample["text"][s["start"] : s["end"]] == s["text"]
    else:
        assert sample["labels"]["attributions"][0]["cue"]["text"] in sample["text"]


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_datasets_loads_the_directory_with_the_card_features_even_when_early_blocks_are_null(tmp_path):
    """pyarrow infers types from the first ~10 MB; the card's features pin them instead."""
    datasets = pytest.importorskip("datasets")
    datasets.disable_progress_bars()
    pad = "x" * 2000

    def rows():
        for i in range(6000):  # ~14 MB: more than one block of the json loader
            for row in all_rows((f"a{i:05d}",), annotators=("alice",))[2:3]:
                row = {**row, "title": pad}
                if i >= 5900:  # only late records have an embedded source and a stance
                    a = row["labels"]["attributions"][0]
                    a["embedded_source"] = {"source": a["sources"][0], "cue": a["cue"]}
                    row["labels"]["framing"]["stance"] = [
                        {"target": "Ukraine", "outlet_voice": 0, "conveyed": 1}
                    ]
                yield row

    out = tmp_path / "big"
    write_export(
        out, "all", encode_records("all", rows(), scheme_name="s"), split=None, params={}, fsync=False
    )
    ds = datasets.load_dataset(str(out), cache_dir=str(tmp_path / "cache"))
    d = ds["train"]  # an unsplit export is one "train" split to datasets
    assert d.num_rows == 6000
    assert d[5999]["labels"]["attributions"][0]["embedded_source"]["cue"]["text"] == "told reporters"
    assert d[0]["labels"]["attributions"][0]["embedded_source"] is None
