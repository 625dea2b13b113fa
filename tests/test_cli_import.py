"""``annotator import`` and ``annotator extract`` on the command line."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.cli import cli
from tests.test_importing import (
    BAD_INPUTS,
    HTML,
    HTML_BODY,
    JSONL,
    RECORD_A,
    RECORD_B,
    TEXT,
    TEXT_BODY,
    count,
    jsonl,
)

SAMPLE = Path(__file__).resolve().parent.parent / "annotator" / "samples" / "rt-2024-01-30-lavrov-weapons.txt"


@pytest.fixture
def inputs(tmp_path):
    folder = tmp_path / "in"
    (folder / "nested").mkdir(parents=True)
    (folder / "story.txt").write_bytes(TEXT)
    (folder / "nested" / "page.html").write_bytes(HTML)
    (folder / "feed.jsonl").write_bytes(JSONL)
    return folder


def run_import(runner, *args, stdin=None):
    return runner.invoke(cli, ["import", *map(str, args), "--project", "test"], input=stdin)


@pytest.mark.parametrize(
    ("name", "data", "added"),
    [("story.txt", TEXT, 1), ("page.html", HTML, 1), ("feed.jsonl", JSONL, 2)],
)
def test_each_format(runner, db, project, tmp_path, name, data, added):
    (tmp_path / name).write_bytes(data)
    result = run_import(runner, tmp_path / name)
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        f"1 file: {added} added, 0 skipped as duplicates, 0 changed versions not imported, 0 failed.\n"
    )
    assert count(db) == added


def test_format_option_overrides_detection(runner, db, project, tmp_path):
    (tmp_path / "story.txt").write_bytes(TEXT)
    result = run_import(runner, tmp_path / "story.txt", "--format", "jsonl")
    assert result.exit_code == 1
    assert f"failed: {tmp_path}/story.txt, line 1: invalid JSON" in result.stdout


def test_directories_recursively_then_idempotent(runner, db, project, inputs):
    first = run_import(runner, inputs)
    assert first.exit_code == 0, first.output
    assert "3 files: 4 added, 0 skipped as duplicates" in first.stdout
    again = run_import(runner, inputs)
    assert again.exit_code == 0
    assert (
        "3 files: 0 added, 4 skipped as duplicates, 0 changed versions not imported, 0 failed."
        in again.stdout
    )
    assert count(db) == 4


def test_progress_bar_with_counts_goes_to_stderr(runner, project, inputs):
    from annotator.cli.articles import _progress_counts
    from annotator.importing import ImportReport

    result = run_import(runner, inputs)
    # Off a terminal click shows the label only; on one, the bar, the position and these counts.
    assert "Importing" in result.stderr and "Importing" not in result.stdout
    report = ImportReport(added=[{}, {}], failed=[{}])
    assert _progress_counts(report)(None) == "2 added, 0 duplicates, 0 changed, 1 failed"


def test_changed_version_is_reported(runner, db, project, tmp_path):
    (tmp_path / "v1.jsonl").write_bytes(jsonl(RECORD_A))
    (tmp_path / "v2.jsonl").write_bytes(
        jsonl(RECORD_B, {**RECORD_A, "title": "Council votes on budget (updated)"})
    )
    run_import(runner, tmp_path / "v1.jsonl")
    result = run_import(runner, tmp_path / "v2.jsonl")
    assert result.exit_code == 0
    assert "1 added, 0 skipped as duplicates, 1 changed versions not imported" in result.stdout
    uid = db.execute("select uid from articles where url = ?", [RECORD_A["url"]]).fetchone()[0]
    assert (
        f"changed: {tmp_path}/v2.jsonl, line 2: https://wire.example/a was imported before with different text "
        f"(article {uid}); not imported"
    ) in result.stdout
    assert count(db) == 2


def test_bad_files_fail_alone_with_their_place_and_exit_1(runner, db, project, inputs):
    (inputs / "bad.jsonl").write_bytes(jsonl(RECORD_B) + b"not json\n")
    (inputs / "empty.txt").write_bytes(b"")
    (inputs / "nested" / "cp1252.txt").write_bytes(b"\x81\x8d\x8f\x90\x9d" * 3 + b"\x00")
    result = run_import(runner, inputs)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "6 files: 4 added, 0 skipped as duplicates, 0 changed versions not imported, 3 failed.",
        f"failed: {inputs}/bad.jsonl, line 2: invalid JSON: Expecting value at column 1",
        f"failed: {inputs}/empty.txt: no text",
        f"failed: {inputs}/nested/cp1252.txt: undecodable bytes (not UTF-8 and no charset detected)",
    ]
    assert "Traceback" not in result.output
    assert count(db) == 4
    assert db.execute("select count(*) from articles where source_name like '%bad.jsonl'").fetchone()[0] == 0


def test_size_limit(runner, db, project, tmp_path):
    (tmp_path / "story.txt").write_bytes(TEXT)
    result = run_import(runner, tmp_path / "story.txt", "--max-bytes", "100")
    assert result.exit_code == 1
    assert f"failed: {tmp_path}/story.txt: file over the size limit (0.0 MB > 0.0001 MB)" in result.stdout


def test_stdin(runner, db, project):
    result = run_import(runner, "-", stdin=TEXT)
    assert result.exit_code == 0, result.output
    assert db.execute("select source_name from articles").fetchone()[0] == "<stdin>"


def test_stdin_only_once(runner, project):
    result = run_import(runner, "-", "-", stdin=TEXT)
    assert result.exit_code == 2
    assert "'-' (stdin) can be given only once" in result.output


def test_links_and_missing_paths(runner, db, project, inputs):
    os.symlink(inputs, inputs / "nested" / "up")
    os.symlink("loop", inputs / "loop")
    result = run_import(runner, inputs, inputs / "missing.txt")
    assert result.exit_code == 1
    assert f"skipped: {inputs}/loop: symbolic link loop" in result.stdout
    assert f"skipped: {inputs}/nested/up: a symbolic link to a directory: not followed" in result.stdout
    assert f"failed: {inputs}/missing.txt: no such file or directory" in result.stdout
    assert count(db) == 4


def test_json_report(runner, project, inputs):
    result = run_import(runner, inputs, "--json")
    report = json.loads(result.stdout)
    assert report["files"] == 3 and len(report["added"]) == 4 and report["failed"] == []
    assert {a["file"] for a in report["added"]} == {
        f"{inputs}/feed.jsonl",
        f"{inputs}/story.txt",
        f"{inputs}/nested/page.html",
    }


def test_unknown_project(runner, project, inputs):
    result = runner.invoke(cli, ["import", str(inputs), "--project", "nope"])
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1] == "Error: no project named 'nope'"


# extract


def lines(output):
    return [json.loads(line) for line in output.splitlines()]


def test_extract_sample(runner, tmp_path):
    result = runner.invoke(cli, ["extract", str(SAMPLE)])
    assert result.exit_code == 0, result.output
    out = lines(result.stdout)
    assert out[0] == {
        "meta": {
            "title": "West asking countries to secretly send Russian weapons to Ukraine – Lavrov",
            "outlet": "RT",
            "published": "2024-01-30T13:45",
            "section": "Russia & FSU",
            "language": "en",
        }
    }
    assert out[1] == {"kind": "headline", "text": out[0]["meta"]["title"]}
    assert all(set(line) <= {"kind", "text", "credit"} for line in out[1:])
    assert sum(line["kind"] == "body" for line in out[1:]) > 5


@pytest.mark.parametrize(("data", "body"), [(TEXT, TEXT_BODY), (HTML, HTML_BODY)])
def test_extract_from_stdin(runner, data, body):
    result = runner.invoke(cli, ["extract", "-"], input=data)
    assert result.exit_code == 0, result.output
    assert {"kind": "body", "text": body} in lines(result.stdout)


def test_extract_jsonl_gives_one_meta_line_per_record(runner, tmp_path):
    (tmp_path / "feed.jsonl").write_bytes(JSONL)
    out = lines(runner.invoke(cli, ["extract", str(tmp_path / "feed.jsonl")]).stdout)
    metas = [line["meta"] for line in out if "meta" in line]
    assert [m["url"] for m in metas] == [RECORD_A["url"], RECORD_B["url"]]
    assert {"kind": "body", "text": RECORD_A["paragraphs"][1]} in out


def test_extract_several_files_names_each_and_goes_on(runner, inputs):
    (inputs / "bad.jsonl").write_bytes(b'{"text": ""}\n')
    result = runner.invoke(cli, ["extract", str(inputs), str(inputs / "story.txt")])
    assert result.exit_code == 1
    metas = [line for line in lines(result.stdout) if "meta" in line]
    assert [(Path(m["file"]).name, m.get("line")) for m in metas] == [
        ("feed.jsonl", 1),
        ("feed.jsonl", 2),
        ("story.txt", None),
        ("page.html", None),
        ("story.txt", None),
    ]
    assert f"Error: {inputs}/bad.jsonl, line 1: no text" in result.stderr
    assert result.stderr.strip().endswith("Error: 1 file failed")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty.txt: no text"),
        (b'{"a": 1}\n{"text": "x"\n', "empty.txt, line 1: no text"),
        (b"\x00\x9f\x92\x96" * 4, "empty.txt: undecodable bytes"),
        (b"Home\nMenu\n", "empty.txt: nothing left after cleaning"),
    ],
)
def test_extract_one_bad_file(runner, tmp_path, data, message):
    (tmp_path / "empty.txt").write_bytes(data)
    result = runner.invoke(cli, ["extract", str(tmp_path / "empty.txt")])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith(f"Error: {tmp_path}/{message}")
    assert "Traceback" not in result.output


def test_extract_missing_file(runner, tmp_path):
    result = runner.invoke(cli, ["extract", str(tmp_path / "nope.txt")])
    assert result.exit_code == 1
    assert result.stderr.strip() == f"Error: {tmp_path}/nope.txt: no such file or directory"


def test_extract_dropped(runner):
    out = lines(runner.invoke(cli, ["extract", "--dropped", str(SAMPLE)]).stdout)
    dropped = [line for line in out if "dropped" in line]
    assert dropped and all(line["dropped"] and line["reason"] for line in dropped)
    assert any(line["reason"].startswith("page furniture") for line in dropped)


def test_extract_needs_no_database(runner, tmp_path, monkeypatch):
    monkeypatch.setenv("ANNOTATOR_DB", str(tmp_path / "absent.db"))
    assert runner.invoke(cli, ["extract", str(SAMPLE)]).exit_code == 0
    assert not (tmp_path / "absent.db").exists()


def test_extract_into_a_closed_pipe_is_quiet(tmp_path):
    for n in range(30):
        (tmp_path / f"{n:02}.txt").write_bytes(TEXT)
    shell = f"{sys.executable} -m annotator extract {tmp_path} | head -1"
    done = subprocess.run(["bash", "-o", "pipefail", "-c", shell], capture_output=True, text=True, timeout=60)
    assert done.stderr == ""
    assert json.loads(done.stdout)["meta"]["title"] == "Harbour reopens after storm"


def test_interrupted_import_reports_what_was_done(runner, db, project, inputs, monkeypatch):
    from annotator import importing

    real = importing.store_ingested
    calls = []

    def interrupt_on_second(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(importing, "store_ingested", interrupt_on_second)
    result = run_import(runner, inputs)
    assert result.exit_code == 130
    assert result.stdout.startswith("1 file: 2 added")
    assert "Interrupted: 2 files not read." in result.stderr
    assert count(db) == 2


@pytest.mark.parametrize(("name", "data", "option", "message"), BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
def test_each_bad_input_through_the_cli(runner, db, project, tmp_path, name, data, option, message):
    (tmp_path / name).write_bytes(data)
    extra = (
        ["--max-bytes", str(option)] if isinstance(option, int) else ["--format", option] if option else []
    )
    result = run_import(runner, tmp_path / name, *extra)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[1].startswith(f"failed: {tmp_path}/{message}")
    assert count(db) == 0


def test_jobs_give_the_same_import(runner, db, project, inputs):
    from annotator import importing

    (inputs / "bad.jsonl").write_bytes(b'{"text": oops}\n')
    for n in range(12):
        (inputs / "many" / f"{n:02}.txt").parent.mkdir(exist_ok=True)
        (inputs / "many" / f"{n:02}.txt").write_bytes(TEXT.replace(b"Harbour", f"Harbour {n}".encode()))
    result = run_import(runner, inputs, "--jobs", "3", "--json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    single = [s.name for s in importing.iter_sources([str(inputs)])]
    assert [a["file"] for a in report["added"]][-12:] == single[-12:]
    assert (report["files"], len(report["added"]), len(report["failed"])) == (16, 16, 1)
    assert report["failed"][0]["message"].startswith(f"{inputs}/bad.jsonl, line 1: invalid JSON")


def test_jobs_give_the_same_extract(runner, inputs):
    one = runner.invoke(cli, ["extract", str(inputs), "-"], input=TEXT)
    three = runner.invoke(cli, ["extract", str(inputs), "-", "--jobs", "3"], input=TEXT)
    assert one.exit_code == three.exit_code == 0
    assert one.stdout == three.stdout and one.stdout.count('"meta"') == 5


@pytest.mark.parametrize(("name", "data", "option", "message"), BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
def test_each_bad_input_through_extract_is_one_line_naming_its_place(
    runner, tmp_path, name, data, option, message
):
    from annotator.cli import cli

    (tmp_path / name).write_bytes(data)
    extra = (
        ["--max-bytes", str(option)] if isinstance(option, int) else ["--format", option] if option else []
    )
    result = runner.invoke(cli, ["extract", str(tmp_path / name), *extra])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    [line] = result.output.strip().splitlines()[-1:]
    assert line == result.output.strip(), result.output
    assert line.startswith(f"Error: {tmp_path}/{message}"), line
