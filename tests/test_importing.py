"""The import service: each format in, each bad input refused with its place, re-import is a no-op."""

import hashlib
import json
import os
from pathlib import Path

import pytest

from annotator import accounts, importing
from annotator.store import articles as article_store

HTML = b"""<!doctype html><html lang="en"><head><title>Mayor opens bridge - Daily Planet</title>
<meta property="og:site_name" content="Daily Planet"><meta property="og:title" content="Mayor opens new bridge">
<meta name="author" content="Lois Lane"><meta property="article:published_time" content="2024-03-05T10:00:00Z">
<link rel="canonical" href="https://planet.example/bridge"></head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Mayor opens new bridge</h1>
<p>The mayor opened the new bridge on Tuesday, saying it would cut journeys across the river by half an hour.</p>
<p>"This is a great day for the city," she told reporters at the ceremony, which drew hundreds of residents.</p>
<p>Critics said the project had run two years late and cost twice its budget, according to council documents.</p>
</article><footer>Copyright 2024 Daily Planet. All rights reserved.</footer></body></html>"""
HTML_BODY = "Critics said the project had run two years late and cost twice its budget, according to council documents."

TEXT = (
    b"Harbour reopens after storm\n\n"
    b"The harbour reopened on Monday after a week of storms kept the fishing fleet in port, officials said.\n\n"
    b'"We lost a week of catch," said one skipper, who asked not to be named.\n\n'
    b"The coastguard said more bad weather was expected later in the month.\n"
)
TEXT_BODY = "The coastguard said more bad weather was expected later in the month."


def jsonl(*records) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode()


RECORD_A = {
    "url": "https://wire.example/a",
    "outlet": "Wire",
    "title": "Council votes on budget",
    "published": "2024-02-01",
    "paragraphs": [
        "The council voted on the budget late on Wednesday.",
        "Opposition members walked out before the vote.",
    ],
    "desk": "local",
}
RECORD_B = {
    "url": "https://wire.example/b",
    "title": "Rail strike called off",
    "text": "Unions called off the strike.\n\nTrains will run as normal.",
}
JSONL = jsonl(RECORD_A, RECORD_B)


def count(db, table="articles"):
    return db.execute(f"select count(*) from {table}").fetchone()[0]


def sha(text):
    return hashlib.sha256(text.encode()).hexdigest()


def assert_consistent(db, article_id, kinds):
    """Positions contiguous from 0; offsets, hashes, ranks and queue flags agree with the texts."""
    article = article_store.get_article(db, article_id)
    units = article_store.list_paragraphs(db, article_id)
    offset = 0
    for position, unit in enumerate(units):
        assert unit["position"] == position
        assert unit["doc_char_start"] == offset
        assert unit["text_sha256"] == sha(unit["text"])
        assert unit["rank"] == article["rank"] * article_store.RANK_STRIDE + position
        assert unit["queued"] == (1 if unit["kind"] in kinds else 0)
        offset += len(unit["text"]) + 2
    return units


@pytest.mark.parametrize(
    ("name", "data", "source_format", "titles", "body"),
    [
        ("story.txt", TEXT, "text", ["Harbour reopens after storm"], TEXT_BODY),
        ("page.html", HTML, "html", ["Mayor opens new bridge"], HTML_BODY),
        (
            "feed.jsonl",
            JSONL,
            "jsonl",
            ["Council votes on budget", "Rail strike called off"],
            "Trains will run as normal.",
        ),
        # Detected from the content, whatever the name says.
        ("download", HTML, "html", ["Mayor opens new bridge"], HTML_BODY),
    ],
)
def test_each_format_is_imported(db, project, name, data, source_format, titles, body):
    report = importing.import_bytes(db, project, data, source_name=name, actor=accounts.get_user(db, 1))
    assert not report.failed, report.failed
    assert [item["title"] for item in report.added] == titles
    rows = article_store.list_articles(db, project["id"])
    assert [row["title"] for row in rows] == titles
    assert {row["source_format"] for row in rows} == {source_format}
    texts = []
    for item in report.added:
        units = assert_consistent(db, item["article_id"], project["settings"]["kinds"])
        assert units[0]["kind"] == "headline"
        texts += [u["text"] for u in units]
    assert body in texts
    assert article_store.get_article_source(db, report.added[0]["article_id"])["raw"]
    events = list(db.query("select * from events where kind = 'import'"))
    assert json.loads(events[0]["detail"]) == {"file": name, "added": len(titles)}


def test_jsonl_metadata_is_kept(db, project):
    report = importing.import_bytes(db, project, JSONL, source_name="feed.jsonl")
    article = article_store.get_article(db, report.added[0]["article_id"])
    assert (article["url"], article["outlet"], article["published"]) == (
        "https://wire.example/a",
        "Wire",
        "2024-02-01",
    )
    assert article["meta"] == {"desk": "local"}
    assert [u["text"] for u in article_store.list_paragraphs(db, article["id"])] == [
        "Council votes on budget",
        *RECORD_A["paragraphs"],
    ]


def test_html_metadata(db, project):
    report = importing.import_bytes(db, project, HTML, source_name="page.html")
    article = article_store.get_article(db, report.added[0]["article_id"])
    assert (article["outlet"], article["byline"], article["url"]) == (
        "Daily Planet",
        "Lois Lane",
        "https://planet.example/bridge",
    )
    assert article["published"].startswith("2024-03-05")
    assert article["uid"].startswith("daily-planet-")


BAD_INPUTS = [
    ("bad.jsonl", jsonl(RECORD_A)[:-1] + b"\n{oops\n", None, "bad.jsonl, line 2: invalid JSON"),
    ("list.jsonl", b"[1, 2]\n", "jsonl", "list.jsonl, line 1: invalid record"),
    (
        "hollow.jsonl",
        jsonl(RECORD_A, RECORD_B, {"url": "u", "text": "  "}),
        None,
        "hollow.jsonl, line 3: no text",
    ),
    (
        "meta.jsonl",
        jsonl(RECORD_B, {**RECORD_A, "title": ["x"]}),
        None,
        "meta.jsonl, line 2: invalid title: expected a string, got list",
    ),
    ("empty.txt", b"", None, "empty.txt: no text"),
    ("blank.txt", b"  \n\n \t\n", None, "blank.txt: no text"),
    ("latin.txt", b"\x00\x81\xfe\xff\x00\x00binary", None, "latin.txt: undecodable bytes"),
    ("menu.txt", b"Home\nMenu\nLogin\n", None, "menu.txt: nothing left after cleaning"),
    ("doc.pdf", b"%PDF-1.4\n...", None, "doc.pdf: unknown format"),
    ("big.txt", TEXT, 100, "big.txt: file over the size limit"),
    ("notjson.txt", TEXT, "jsonl", "notjson.txt, line 1: invalid JSON"),
    # Types, nesting, surrogates and numbers (issue 13): each refused with its line, never a crash.
    (
        "urllist.jsonl",
        jsonl(RECORD_B, {"html": "<p>A paragraph long enough to be kept as the body.</p>", "url": []}),
        None,
        "urllist.jsonl, line 2: invalid url: expected a string, got list",
    ),
    (
        "urlint.jsonl",
        jsonl({**RECORD_A, "url": 5}),
        None,
        "urlint.jsonl, line 1: invalid url: expected a string, got int",
    ),
    (
        "deep.jsonl",
        b'{"text": "Body.", "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}\n",
        None,
        "deep.jsonl, line 1: invalid record: nested too deeply",
    ),
    (
        "surrogate.jsonl",
        b'{"text": "Body \\ud800 text."}\n',
        None,
        "surrogate.jsonl, line 1: invalid record: contains a lone surrogate",
    ),
    (
        "bigint.jsonl",
        b'{"text": "Body.", "n": ' + b"9" * 5000 + b"}\n",
        None,
        "bigint.jsonl, line 1: invalid record: the number",
    ),
    (
        "nan.jsonl",
        b'{"text": "Body.", "n": NaN}\n',
        None,
        "nan.jsonl, line 1: invalid record: NaN is not a JSON number",
    ),
]


@pytest.mark.parametrize(("name", "data", "option", "message"), BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
def test_bad_input_names_its_place_and_imports_nothing(db, project, name, data, option, message):
    kwargs = {"max_bytes": option} if isinstance(option, int) else {"format": option} if option else {}
    report = importing.import_bytes(db, project, data, source_name=name, **kwargs)
    assert not report.added
    [failure] = report.failed
    assert failure["message"].startswith(message), failure
    assert failure["file"] == name
    assert failure["line"] == (int(message.split("line ")[1].split(":")[0]) if "line" in message else None)
    assert count(db) == 0 and count(db, "paragraphs") == 0


def test_reimport_adds_nothing(db, project):
    first = importing.import_bytes(db, project, JSONL, source_name="feed.jsonl")
    again = importing.import_bytes(db, project, JSONL, source_name="copy-of-feed.jsonl")
    assert len(first.added) == 2
    assert not again.added and not again.changed and not again.failed
    assert [d["article_id"] for d in again.duplicates] == [a["article_id"] for a in first.added]
    assert count(db) == 2


def test_duplicate_inside_one_file_is_skipped(db, project):
    report = importing.import_bytes(db, project, jsonl(RECORD_B, RECORD_B), source_name="twice.jsonl")
    assert (len(report.added), len(report.duplicates)) == (1, 1)
    assert report.duplicates[0]["line"] == 2


def test_changed_version_is_reported_not_merged(db, project):
    importing.import_bytes(db, project, JSONL, source_name="feed.jsonl")
    before = article_store.list_paragraphs(db, 1)
    edited = {**RECORD_A, "paragraphs": [*RECORD_A["paragraphs"], "A correction was appended."]}
    report = importing.import_bytes(db, project, jsonl(edited, RECORD_B), source_name="feed2.jsonl")
    [changed] = report.changed
    assert changed["line"] == 1 and changed["url"] == "https://wire.example/a"
    assert "https://wire.example/a was imported before with different text" in changed["reason"]
    assert len(report.duplicates) == 1 and not report.added
    assert count(db) == 2
    assert article_store.list_paragraphs(db, 1) == before


def _write(folder: Path, files: dict) -> None:
    for name, data in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def _run(db, project, paths, **kwargs):
    report = importing.ImportReport()
    for source in importing.iter_sources([str(p) for p in paths]):
        importing.import_source(db, project, source, report=report, **kwargs)
    return report


def test_one_bad_line_fails_its_file_and_the_others_go_on(db, project, tmp_path):
    bad = jsonl(RECORD_A) + b'{"title": "no body"}\n' + jsonl(RECORD_B)
    tmp_path /= "in"
    _write(tmp_path, {"a.jsonl": bad, "b.html": HTML, "c/story.txt": TEXT})
    report = _run(db, project, [tmp_path])
    assert [f["message"] for f in report.failed] == [
        f"{tmp_path}/a.jsonl, line 2: no text: the record has no text, html, paragraphs or units"
    ]
    assert sorted(a["title"] for a in report.added) == [
        "Harbour reopens after storm",
        "Mayor opens new bridge",
    ]
    assert report.files == 3
    assert not article_store.find_articles_by_url(db, project["id"], RECORD_A["url"])


def test_sources_walk_sorted_skipping_hidden_and_linked_directories(tmp_path):
    _write(
        tmp_path,
        {"b.txt": TEXT, "a/z.html": HTML, "a/.hidden.txt": TEXT, ".git/x.txt": TEXT, "a/m.jsonl": JSONL},
    )
    os.symlink(tmp_path, tmp_path / "a" / "loop")  # a directory link back up: a loop if followed
    os.symlink(tmp_path / "b.txt", tmp_path / "a" / "linked.txt")
    os.symlink(tmp_path / "gone.txt", tmp_path / "a" / "broken.txt")
    os.symlink("self", tmp_path / "a" / "self")
    sources = list(importing.iter_sources([str(tmp_path)]))
    found = {Path(s.name).relative_to(tmp_path).as_posix(): (s.problem, s.skip) for s in sources}
    assert found == {
        "b.txt": (None, False),
        "a/broken.txt": ("broken symbolic link", False),
        "a/linked.txt": (None, False),
        "a/loop": ("a symbolic link to a directory: not followed", True),
        "a/m.jsonl": (None, False),
        "a/self": ("symbolic link loop", True),
        "a/z.html": (None, False),
    }
    assert [Path(s.name).name for s in sources] == [
        "b.txt",
        "broken.txt",
        "linked.txt",
        "loop",
        "m.jsonl",
        "self",
        "z.html",
    ]


def test_a_directory_link_named_explicitly_is_followed(tmp_path):
    _write(tmp_path, {"real/x.txt": TEXT})
    os.symlink(tmp_path / "real", tmp_path / "alias")
    assert [s.name for s in importing.iter_sources([str(tmp_path / "alias")])] == [f"{tmp_path}/alias/x.txt"]


def test_unusable_paths_are_reported(db, project, tmp_path):
    os.symlink("self", tmp_path / "self")
    os.symlink(tmp_path / "nowhere", tmp_path / "dangling")
    report = _run(
        db, project, [tmp_path / "missing.txt", tmp_path / "self", tmp_path / "dangling", tmp_path / "empty"]
    )
    assert [f["message"] for f in report.failed] == [
        f"{tmp_path}/missing.txt: no such file or directory",
        f"{tmp_path}/self: symbolic link loop",
        f"{tmp_path}/dangling: broken symbolic link",
        f"{tmp_path}/empty: no such file or directory",
    ]
    (tmp_path / "empty").mkdir()
    assert _run(db, project, [tmp_path / "empty"]).files == 0


def test_unreadable_file_fails_alone(db, project, tmp_path, monkeypatch):
    tmp_path /= "in"
    _write(tmp_path, {"locked.txt": TEXT, "open.html": HTML})
    if os.geteuid() == 0:  # root reads every file: make this one refuse
        real_open = open

        def refusing_open(path, *args, **kwargs):
            if Path(path).name == "locked.txt":
                raise PermissionError(13, "Permission denied", str(path))
            return real_open(path, *args, **kwargs)

        monkeypatch.setattr(importing, "open", refusing_open, raising=False)
    else:
        (tmp_path / "locked.txt").chmod(0)
    report = _run(db, project, [tmp_path])
    assert [f["message"] for f in report.failed] == [f"{tmp_path}/locked.txt: permission denied"]
    assert len(report.added) == 1


def test_a_huge_file_is_refused_without_reading_it(db, project, tmp_path):
    huge = tmp_path / "huge.txt"
    with open(huge, "wb") as fp:
        fp.truncate(3_000_000_000)  # sparse: no disk used, and reading it would take a while
    report = _run(db, project, [huge], max_bytes=1_000_000)
    assert report.failed[0]["message"] == f"{huge}: file over the size limit (3000.0 MB > 1 MB)"


def test_stdin_is_read_once(db, project):
    import io

    report = importing.ImportReport()
    importing.import_source(
        db, project, importing.Source(importing.STDIN_NAME), report=report, stdin=io.BytesIO(TEXT)
    )
    assert report.added[0]["file"] == "<stdin>"
    too_big = importing.import_source(
        db,
        project,
        importing.Source("<stdin>"),
        report=importing.ImportReport(),
        stdin=io.BytesIO(TEXT),
        max_bytes=10,
    )
    assert too_big.failed[0]["message"] == "<stdin>: file over the size limit (more than 1e-05 MB)"


def test_uploads_are_files_too(db, project):
    import io

    report = importing.import_uploads(
        db,
        project,
        [("a.html", io.BytesIO(HTML)), ("", io.BytesIO(TEXT)), ("x.jsonl", io.BytesIO(b'{"text": }'))],
        actor=accounts.get_user(db, 1),
    )
    assert [a["file"] for a in report.added] == ["a.html", "upload"]
    assert report.failed[0]["message"].startswith("x.jsonl, line 1: invalid JSON")
    assert (
        report.summary()
        == "3 files: 2 added, 0 skipped as duplicates, 0 changed versions not imported, 1 failed"
    )


def test_reimport_after_editing_units_is_still_a_duplicate(db, project):
    from annotator import curation

    first = importing.import_bytes(db, project, TEXT, source_name="story.txt")
    article_id = first.added[0]["article_id"]
    units = article_store.list_paragraphs(db, article_id)
    curation.merge_with_next(db, article_id, units[1]["id"])
    again = importing.import_bytes(db, project, TEXT, source_name="story.txt")
    assert again.duplicates and not again.added


def test_the_same_bytes_cut_differently_later_are_still_a_duplicate(db, project, monkeypatch):
    """A better cleaner may cut a known file into other units: its bytes still make it a duplicate."""
    from annotator import ingest

    first = importing.import_bytes(db, project, TEXT, source_name="story.txt")
    read = ingest.read_document

    def recut(data, **kwargs):
        docs = read(data, **kwargs)
        for doc in docs:
            doc.units = doc.units[:-1]
        return docs

    monkeypatch.setattr(ingest, "read_document", recut)
    again = importing.import_bytes(db, project, TEXT, source_name="story.txt")
    assert not again.added and again.duplicates[0]["article_id"] == first.added[0]["article_id"]


def test_import_lookups_are_indexed(db, project):
    plans = {
        "rank": "select coalesce(max(rank), -1) + 1 from articles where project_id = 1",
        "raw": "select * from articles where project_id = 1 and raw_sha256 = 'x' limit 1",
        "text": "select * from articles where project_id = 1 and text_sha256 = 'x'",
    }
    for name, sql in plans.items():
        plan = " ".join(row[-1] for row in db.execute(f"explain query plan {sql}").fetchall())
        assert "USING" in plan and "INDEX" in plan, (name, plan)


def test_a_walk_does_not_follow_file_links_out_of_the_directory(db, project, tmp_path):
    _write(tmp_path, {"outside/secret.txt": TEXT, "tree/own.txt": HTML})
    os.symlink(tmp_path / "outside" / "secret.txt", tmp_path / "tree" / "escape.txt")
    os.symlink(tmp_path / "tree" / "own.txt", tmp_path / "tree" / "inside-link.txt")
    sources = {
        Path(s.name).name: (s.problem, s.skip) for s in importing.iter_sources([str(tmp_path / "tree")])
    }
    assert sources == {
        "escape.txt": ("a symbolic link to a file outside the directory: not followed", True),
        "inside-link.txt": (None, False),
        "own.txt": (None, False),
    }
    report = _run(db, project, [tmp_path / "tree"])
    assert [s["file"] for s in report.skipped] == [f"{tmp_path}/tree/escape.txt"]
    assert count(db) == 1  # own.txt (its link inside the tree is a duplicate of it)
    # Named on the command line, a link is the user's explicit choice and is followed.
    assert [s.name for s in importing.iter_sources([str(tmp_path / "tree" / "escape.txt")])] == [
        f"{tmp_path}/tree/escape.txt"
    ]
