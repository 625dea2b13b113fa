"""The ``all`` export from stored export forms: the same bytes, counts and agreement as reading every label."""

import copy
import json
import sqlite3

import pytest
import sqlite_utils

from annotator import accounts, annotation, datasets, export, review, store
from annotator import projects as project_service
from annotator.scheme import normalize
from annotator.store import annotations as annotation_store
from annotator.store import datasets as rows_store
from tests.annotate_fixtures import add_article, hand_over, reference, user
from tests.review_data import annotate, copy_to_blocks, reiterated_b, simple, stated_b


def _add_user(db, project, name):
    accounts.create_user(db, name, role="annotator", password="a long enough password")
    project_service.add_member(db, project, name, role="annotator")


@pytest.fixture
def mixed(db, project):
    """Two articles (the later one ranked first) whose annotations come every way there is.

    annotator1 and annotator2 save through the service (export forms stored); ``Zed`` and ``adam``,
    made after them, are written straight to the table (no forms) and sort by name, case aside,
    around the others, not by id.
    """
    records = reference()
    first = add_article(db, project, [r["text"] for r in records] + ["A third paragraph."])
    second = add_article(
        db, project, ["Headline here", "Body “quoted” text\twith a tab."], kinds=["headline", "body"]
    )
    db.execute(
        "update articles set rank = -1 where id = (select article_id from paragraphs where id = ?)",
        [second[0]],
    )
    db.conn.commit()
    for name in ("Zed", "adam"):
        _add_user(db, project, name)
    for name, labels in (("annotator1", records[0]["labels"]), ("annotator2", stated_b())):
        hand_over(db, project, name, first[0])
        annotation.save(
            db,
            project=project,
            actor=user(db, name),
            paragraph_id=first[0],
            labels=labels,
            version=0,
            seconds=12.25,
        )
    hand_over(db, project, "annotator1", first[1])
    annotation.save(
        db,
        project=project,
        actor=user(db, "annotator1"),
        paragraph_id=first[1],
        labels=records[1]["labels"],
        version=0,
    )
    annotate(db, first[1], "Zed", reiterated_b())
    annotate(db, first[1], "adam", records[1]["labels"])
    annotate(db, first[2], "adam", simple("body"))  # labelled by one annotator only
    annotate(db, second[0], "Zed", simple("headline", frames=["Economic"], primary="Economic"))
    annotate(db, second[0], "adam", simple("headline"))
    annotate(db, second[1], "annotator2", simple("quote_only"))
    return {"first": first, "second": second}


def _legacy(db, project, out, **kwargs):
    """The export as it was made before stored forms: every label parsed, normalised and counted."""
    scheme = datasets._scheme_for(project)
    summary: dict = {}
    rows = datasets._with_agreement(rows_store.iter_annotation_rows(db, project["id"]), summary)
    return export.write_export(
        out,
        "all",
        export.encode_records("all", rows, scheme_name=scheme.name),
        agreement_summary=summary,
        fsync=False,
        label_definitions=datasets.label_definitions(scheme),
        scheme={"name": scheme.name, "version": scheme.version, "extended": sorted(scheme.extended)},
        **kwargs,
    )


def _files(out):
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.suffix == ".jsonl"}


def _close(a, b):
    """Equal, floats aside: those may differ in their last bits, as sums taken in another order do."""
    if isinstance(a, float) and isinstance(b, float):
        return a == pytest.approx(b, rel=1e-12, abs=1e-15)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_close(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_close(x, y) for x, y in zip(a, b, strict=True))
    return a == b and type(a) is type(b)


def _same_manifest(a, b):
    a, b = dict(a), dict(b)
    for m in (a, b):
        m.pop("created_at")
        m.pop("parameters")
    agreement = a.pop("agreement_summary"), b.pop("agreement_summary")
    assert a == b
    assert _close(*agreement)


def test_service_saves_store_what_the_export_makes_of_the_labels(db, project):
    [pid] = add_article(db, project, [reference()[0]["text"]])
    me = user(db, "annotator1")
    hand_over(db, project, "annotator1", pid)
    labels = reference()[0]["labels"]
    annotation.save(db, project, actor=me, paragraph_id=pid, labels=labels, version=0)
    row = db.execute("select export_format, export_labels, export_counts from annotations").fetchone()
    expected = export.stored_labels(normalize(labels, annotation.scheme_for(project)))
    assert row == tuple(expected) and row[0] == export.LABELS_FORMAT
    assert json.loads(row[2])["CUE"] == len(labels["attributions"])


def test_imported_annotations_store_their_forms_too(db, project, mixed, tmp_path):
    datasets.export_dataset(db, project, view="all", out_dir=tmp_path, split=None)
    db.execute("delete from annotations where user_id = (select id from users where name = 'adam')")
    db.conn.commit()
    with open(tmp_path / "all.jsonl", "rb") as fh:
        counts = datasets.import_annotations(db, project, fh)
    assert counts["added"] == 3
    rows = db.execute("""select export_format, export_labels, labels from annotations
        where user_id = (select id from users where name = 'adam')""").fetchall()
    assert [(f, text) for f, text, _ in rows] == [
        (export.LABELS_FORMAT, export.stored_labels(json.loads(labels)).labels) for _, _, labels in rows
    ]


def test_labels_changed_without_their_forms_lose_the_forms(db, project, mixed):
    pid = mixed["first"][0]
    me = user(db, "annotator1")
    # a writer that does not know the columns (an older save, a hand-made fix) changes the labels
    db.execute(
        "update annotations set labels = ? where paragraph_id = ? and user_id = ?",
        [json.dumps(simple("body")), pid, me["id"]],
    )
    db.conn.commit()
    assert annotation_store.find_annotation(db, pid, me["id"])["export_labels"] is None
    # the save path rewrites labels and forms together, so they stay
    forms = export.stored_labels(simple("other"))
    annotation_store.save_annotation(
        db,
        paragraph_id=pid,
        user_id=me["id"],
        labels=simple("other"),
        scheme_version="1",
        base_version=1,
        seconds=1.0,
        export=forms,
    )
    assert annotation_store.find_annotation(db, pid, me["id"])["export_labels"] == forms.labels
    # an update that leaves the labels alone leaves the forms alone
    db.execute("update annotations set seconds = 3 where paragraph_id = ? and user_id = ?", [pid, me["id"]])
    db.conn.commit()
    assert annotation_store.find_annotation(db, pid, me["id"])["export_labels"] == forms.labels


@pytest.mark.parametrize("split", [None, (50, 25, 25)])
def test_stored_forms_cleared_forms_and_the_old_path_write_the_same_bytes(
    db, project, mixed, tmp_path, split
):
    stored = db.execute("select count(*) from annotations where export_format = ?", [export.LABELS_FORMAT])
    assert stored.fetchone()[0] == 3  # the service saves; the rest take the slow path
    fast = datasets.export_dataset(db, project, view="all", out_dir=tmp_path / "fast", split=split)
    legacy = _legacy(db, project, tmp_path / "legacy", split=split)
    assert _files(tmp_path / "fast") == _files(tmp_path / "legacy")
    _same_manifest(fast, legacy)
    names = [
        json.loads(line)["annotator"]
        for line in b"".join(_files(tmp_path / "fast").values()).decode().splitlines()
    ]
    assert "Zed" in names and "adam" in names
    # every form gone, or made under another export schema: computed during the export, same bytes
    for value in (None, "another format"):
        db.execute("update annotations set export_format = ?", [value])
        db.conn.commit()
        again = datasets.export_dataset(
            db, project, view="all", out_dir=tmp_path / f"again-{value}", split=split
        )
        assert _files(tmp_path / f"again-{value}") == _files(tmp_path / "fast")
        _same_manifest(again, fast)


def test_annotators_come_in_name_order_case_aside(db, project, mixed, tmp_path):
    datasets.export_dataset(db, project, view="all", out_dir=tmp_path, split=None)
    records = [json.loads(line) for line in (tmp_path / "all.jsonl").read_text().splitlines()]
    by_paragraph: dict = {}
    for r in records:
        by_paragraph.setdefault(r["paragraph_id"], []).append(r["annotator"])
    assert list(by_paragraph.values())[0] == ["adam", "Zed"]  # the article ranked first
    assert ["adam", "annotator1", "Zed"] in by_paragraph.values()


def test_the_streamed_download_is_the_exported_file(db, project, mixed, client_as, tmp_path):
    datasets.export_dataset(db, project, view="all", out_dir=tmp_path / "split")
    datasets.export_dataset(db, project, view="all", out_dir=tmp_path / "whole", split=None)
    admin = client_as("admin")
    url = f"/projects/{project['id']}/export.jsonl?view=all"
    assert admin.get(url).data == (tmp_path / "whole" / "all.jsonl").read_bytes()
    for split in ("train", "dev", "test"):
        assert admin.get(f"{url}&split={split}").data == (tmp_path / "split" / f"{split}.jsonl").read_bytes()
    assert admin.get(f"{url}&min_annotators=2").data.count(b"\n") == 7


def test_min_annotators_filters_the_stored_path_like_the_old_one(db, project, mixed, tmp_path):
    manifest = datasets.export_dataset(
        db, project, view="all", out_dir=tmp_path / "two", split=None, min_annotators=2
    )
    assert manifest["counts"]["records"]["total"] == 7
    scheme = datasets._scheme_for(project)
    rows = rows_store.iter_annotation_rows(db, project["id"], min_annotators=2)
    export.write_export(
        tmp_path / "legacy",
        "all",
        export.encode_records("all", rows, scheme_name=scheme.name),
        split=None,
        fsync=False,
    )
    assert _files(tmp_path / "two") == _files(tmp_path / "legacy")
    # three or more: the summary covers only the exported paragraph, from its labels
    three = datasets.export_dataset(
        db, project, view="all", out_dir=tmp_path / "three", split=None, min_annotators=3
    )
    assert three["counts"]["records"]["total"] == 3
    assert three["agreement_summary"]["annotators"] == ["Zed", "adam", "annotator1"]
    assert three["agreement_summary"]["fields"]["kind"]["n"] == 1


def test_a_bad_stored_document_is_named_by_paragraph_and_annotator(db, project, mixed, tmp_path):
    db.execute(
        "update annotations set labels = ? where user_id = (select id from users where name = 'adam')",
        [json.dumps({"kind": 7})],
    )
    db.conn.commit()
    with pytest.raises(export.RecordError, match=r"#p\d+ \(adam\): expected a string"):
        datasets.export_dataset(db, project, view="all", out_dir=tmp_path / "out", split=None)
    assert not list((tmp_path / "out").iterdir())


# -- the agreement summary ----------------------------------------------------------------------------------


def _copy_to_blocks(db, pids, blocks=(1, 2, 3, 5, 8, 13, 21, 34, 55)):
    copy_to_blocks(db, pids, blocks)


def _one_pass(db, project) -> dict:
    summary: dict = {}
    for _ in datasets._with_agreement(
        rows_store.iter_annotation_rows(db, project["id"], min_annotators=2), summary
    ):
        pass
    return summary


@pytest.fixture
def blocks(db, project, mixed):
    _copy_to_blocks(db, [*mixed["first"], *mixed["second"]])
    # articles in an order unlike paragraph ids: the one pass meets values in another order than the blocks
    db.execute("update articles set rank = -id")
    db.conn.commit()
    return mixed


@pytest.mark.parametrize("cached", ["cold", "warm", "some stale"])
@pytest.mark.parametrize("parallel", [False, True])
def test_the_summary_from_cached_blocks_equals_one_pass(
    db, project, blocks, tmp_path, monkeypatch, cached, parallel
):
    monkeypatch.setattr(review.summary, "PARALLEL_MIN_CHUNKS", 1 if parallel else 10**6)
    if cached != "cold":
        review.agreement_report(db, project)
    if cached == "some stale":
        annotate(db, blocks["first"][1] + 5 * 2000, "adam", stated_b())
        annotate(db, blocks["first"][0] + 34 * 2000, "annotator2", copy.deepcopy(reference()[0]["labels"]))
    assert (
        len(review.ExportSummary(db, project["id"]).current)
        == {"cold": 0, "warm": 10, "some stale": 8}[cached]
    )
    expected = json.loads(json.dumps(_one_pass(db, project)))
    for view in ("all", "gold", "spans"):
        manifest = datasets.export_dataset(db, project, view=view, out_dir=tmp_path / view)
        assert _close(manifest["agreement_summary"], expected)
    assert "only one annotator" not in json.dumps(expected)
    # what was counted is kept: the next export merges every block
    assert review.reports.stale_chunks(db, project) == 0
    # with articles ranked in the order of their paragraphs' ids both sums are taken in the same order:
    # the figures are equal to the last bit
    db.execute("update articles set rank = id")
    db.conn.commit()
    manifest = datasets.export_dataset(db, project, view="all", out_dir=tmp_path / "ordered")
    assert manifest["agreement_summary"] == json.loads(json.dumps(_one_pass(db, project)))


def test_a_block_changed_during_the_export_is_counted_as_the_export_saw_it(db, project, blocks, monkeypatch):
    monkeypatch.setattr(review.summary, "PARALLEL_MIN_CHUNKS", 1)
    monkeypatch.setattr(review.summary, "_claim", lambda claimed: 10**6)  # the worker counts every block
    expected = _one_pass(db, project)
    other = store.connect(db.conn.execute("pragma database_list").fetchone()[2])
    with store.read(db):
        db.execute("select count(*) from annotations").fetchone()  # the snapshot starts here
        # saved by someone else after the export's snapshot, before its worker reads the block
        annotate(other, blocks["first"][1] + 8 * 2000, "Zed", simple("other"))
        counting = review.ExportSummary(db, project["id"])
        try:
            assert counting.process is not None
            assert _close(counting.finish(), json.loads(json.dumps(expected)))
            # the worker left the changed block to this process, which counted it from the snapshot
            assert list(counting.kept) == [8]
        finally:
            counting.close()
    counting.keep()
    other.close()
    assert _one_pass(db, project) != expected


def test_a_read_only_database_still_gets_its_summary(db, project, blocks, db_path):
    expected = _one_pass(db, project)
    readonly = sqlite_utils.Database(sqlite3.connect(f"file:{db_path}?mode=ro", uri=True))
    with store.read(readonly):
        counting = review.ExportSummary(readonly, project["id"], workers=1)
        assert _close(counting.finish(), json.loads(json.dumps(expected)))
    counting.keep()  # nothing can be kept, and that is no error
    readonly.close()
    assert review.reports.stale_chunks(db, project) == 10
