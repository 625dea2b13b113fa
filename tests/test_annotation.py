"""The annotation service over a real database: versions, revisions, seconds, drafts, leases, access."""

import pytest

from annotator import annotation, queue
from annotator.errors import Conflict, Forbidden, Invalid, NotFound
from annotator.store import annotations as annotation_store
from tests.annotate_fixtures import add_article, hand_over, user, worked


def test_save_keeps_every_version_and_sums_the_seconds(db, project):
    ids, records = worked(db, project)
    me = user(db, "annotator1")
    labels = records[0]["labels"]
    first = annotation.save(db, project, actor=me, paragraph_id=ids[0], labels=labels, version=0, seconds=30)
    changed = dict(labels, notes="second thoughts")
    second = annotation.save(
        db, project, actor=me, paragraph_id=ids[0], labels=changed, version=1, seconds=12.5
    )
    assert (first["version"], second["version"]) == (1, 2)
    saved = annotation_store.find_annotation(db, ids[0], me["id"])
    assert saved["seconds"] == 42.5 and saved["scheme_version"] == "1.0"
    revisions = annotation.revisions(db, project, actor=me, paragraph_id=ids[0])
    assert [(r["version"], r["labels"]["notes"], r["seconds"]) for r in revisions] == [
        (1, labels["notes"], 30),
        (2, "second thoughts", 12.5),
    ]
    assert queue.find_assignment(db, paragraph_id=ids[0], annotator=me)["state"] == "done"


def test_stale_version_raises_conflict_with_the_current_version_and_stores_nothing(db, project):
    ids, records = worked(db, project)
    me = user(db, "annotator1")
    annotation.save(db, project, actor=me, paragraph_id=ids[0], labels=records[0]["labels"], version=0)
    with pytest.raises(Conflict) as raised:
        annotation.save(db, project, actor=me, paragraph_id=ids[0], labels={"kind": "other"}, version=0)
    assert raised.value.current == 1
    assert annotation_store.find_annotation(db, ids[0], me["id"])["version"] == 1
    assert len(annotation_store.list_revisions(db, ids[0], me["id"])) == 1


def test_invalid_labels_list_every_problem_and_store_nothing(db, project):
    ids, _ = worked(db, project)
    me = user(db, "annotator1")
    with pytest.raises(annotation.LabelsInvalid) as raised:
        annotation.save(
            db,
            project=project,
            actor=me,
            paragraph_id=ids[0],
            labels={"kind": "nope", "claims": [{"id": "c1"}]},
            version=0,
        )
    paths = {e.path for e in raised.value.errors}
    assert {"kind", "claims[0].span", "claims[0].checkworthiness", "claims[0].sourcing_strength"} <= paths
    assert raised.value.status == 400
    assert annotation_store.find_annotation(db, ids[0], me["id"]) is None


def test_a_lost_lease_on_a_filled_paragraph_keeps_the_work_as_a_draft(db, project):
    [pid] = add_article(db, project, ["Contested paragraph."])
    me, others = user(db, "annotator1"), ["annotator2", "reviewer"]
    hand_over(db, project, "annotator1", pid)
    annotation.save_draft(db, project, actor=me, paragraph_id=pid, labels={"kind": "body"}, version=0)
    queue.release(db, project, annotator=me)  # the lease is gone (an admin released it)
    for name in others:  # overlap 2: two others fill the paragraph
        hand_over(db, project, name, pid)
        annotation.save(
            db, project, actor=user(db, name), paragraph_id=pid, labels={"kind": "body"}, version=0
        )
    with pytest.raises(Conflict):
        annotation.save(
            db,
            project=project,
            actor=me,
            paragraph_id=pid,
            labels={"kind": "body", "notes": "mine"},
            version=0,
        )
    assert annotation_store.find_annotation(db, pid, me["id"]) is None
    assert annotation_store.find_draft(db, pid, me["id"])["labels"]["notes"] == "mine"


def test_task_prefers_a_newer_draft_then_the_annotation_then_an_empty_document(db, project):
    [pid] = add_article(db, project, ["A caption here."], kinds=["caption"])
    hand_over(db, project, "annotator1", pid)
    me = user(db, "annotator1")
    task = annotation.task(db, project, actor=me, paragraph_id=pid)
    assert task["labels"]["kind"] == "caption" and task["version"] == 0 and task["draft_restored"] is None
    annotation.save(db, project, actor=me, paragraph_id=pid, labels={"kind": "caption"}, version=0)
    annotation.save_draft(db, project, actor=me, paragraph_id=pid, labels={"kind": "other"}, version=1)
    task = annotation.task(db, project, actor=me, paragraph_id=pid)
    assert task["labels"]["kind"] == "other" and task["version"] == 1 and task["draft_restored"]
    annotation.discard_draft(db, project, actor=me, paragraph_id=pid)
    task = annotation.task(db, project, actor=me, paragraph_id=pid)
    assert task["labels"]["kind"] == "caption" and task["saved_version"] == 1


def test_access_needs_membership_and_the_paragraph_in_hand(db, project):
    from annotator import projects as project_service

    [pid] = add_article(db, project, ["Somebody else's paragraph."])
    hand_over(db, project, "annotator1", pid)
    with pytest.raises(Forbidden):
        annotation.task(db, project, actor=user(db, "annotator2"), paragraph_id=pid)
    with pytest.raises(NotFound):
        annotation.task(db, project, actor=user(db, "annotator1"), paragraph_id=999_999)
    other = project_service.create_project(db, "other")
    with pytest.raises(Forbidden):
        annotation.task(db, other, actor=user(db, "annotator1"), paragraph_id=pid)
    project_service.add_member(db, other, "annotator1", role="annotator")
    with pytest.raises(NotFound):  # the paragraph belongs to another project
        annotation.task(db, other, actor=user(db, "annotator1"), paragraph_id=pid)


def test_apply_form_sets_paragraph_fields_and_keeps_the_rest(db, project):
    scheme = annotation.scheme_for(project)
    labels = {"kind": "body", "attributions": [], "notes": "keep", "framing": {"frames": ["Economic"]}}
    out = annotation.apply_form(labels, {"frames": ["Political"], "primary_frame": "Political"}, scheme)
    assert out["framing"]["frames"] == ["Political"] and out["framing"]["primary_frame"] == "Political"
    assert out["notes"] == "keep" and out["kind"] == "body" and out["claims"] == []


@pytest.mark.parametrize(
    "raw, expected", [("12.5", 12.5), ("", 0.0), ("-3", 0.0), ("1e9", 86400.0), ("nan", 0.0)]
)
def test_seconds_are_clamped(raw, expected):
    assert annotation.parse_seconds(raw) == expected


@pytest.mark.parametrize("raw", ["x", "-1", str(2**70), "9" * 5000])
def test_bad_versions_are_invalid(raw):
    with pytest.raises(Invalid):
        annotation.parse_version(raw)


def test_flags_need_a_known_reason(db, project):
    [pid] = add_article(db, project, ["Menu Home News Sport"])
    me = user(db, "annotator1")
    hand_over(db, project, "annotator1", pid)
    with pytest.raises(Invalid):
        annotation.flag(db, project, actor=me, paragraph_id=pid, reason="ugly")
    annotation.flag(db, project, actor=me, paragraph_id=pid, reason="extraction_error", note="  menu  ")
    [flag] = annotation.open_flags(db, project)
    assert flag["note"] == "menu" and flag["user_name"] == "annotator1"
    annotation.resolve_flag(db, project, flag_id=flag["id"])
    assert annotation.open_flags(db, project) == []
    with pytest.raises(NotFound):
        annotation.resolve_flag(db, project, flag_id=flag["id"] + 100)


def test_saves_keep_the_review_queue_current(db, project):
    from annotator.store import reviewing

    ids, records = worked(db, project, "annotator1")
    hand_over(db, project, "annotator2", ids[0])
    labels = records[0]["labels"]
    annotation.save(db, project, actor=user(db, "annotator1"), paragraph_id=ids[0], labels=labels, version=0)
    assert reviewing.find_review_item(db, ids[0]) is None  # one annotation: nothing to compare yet
    other = dict(labels, kind="quote_only")
    annotation.save(db, project, actor=user(db, "annotator2"), paragraph_id=ids[0], labels=other, version=0)
    item = reviewing.find_review_item(db, ids[0])
    assert item["n_annotations"] == 2 and item["state"] == "open" and item["disagreement"] > 0


def test_a_paragraph_never_given_to_the_user_cannot_be_flagged(db, project):
    [pid] = add_article(db, project, ["A paragraph nobody handed to annotator2."])
    with pytest.raises(Forbidden):
        annotation.flag(db, project, actor=user(db, "annotator2"), paragraph_id=pid, reason="other")
    assert annotation.open_flags(db, project) == []


def test_a_draft_may_be_incomplete_but_never_malformed(db, project):
    ids, records = worked(db, project)
    me = user(db, "annotator1")
    # Incomplete: an attribution with nothing marked yet.
    incomplete = {"kind": "body", "attributions": [{"id": "a1"}]}
    annotation.save_draft(db, project, actor=me, paragraph_id=ids[0], labels=incomplete, version=0)
    assert annotation_store.find_draft(db, ids[0], me["id"])["labels"] == incomplete
    for malformed in (
        {"kind": 5},
        {"kind": "body", "no_such_field": 1},
        {"attributions": "all of them"},
        {"attributions": [{"id": "a1", "cue": {"start": 0, "end": 10**6, "text": "x"}}]},
        {"notes": "x" * 10, "framing": {"frames": [[]]}},
    ):
        with pytest.raises(annotation.LabelsInvalid):
            annotation.save_draft(db, project, actor=me, paragraph_id=ids[0], labels=malformed, version=0)
    assert annotation_store.find_draft(db, ids[0], me["id"])["labels"] == incomplete


@pytest.mark.parametrize(
    "raw",
    [
        '{"notes": "\\ud800"}',
        '{"notes": ' + "[" * 5000 + "]" * 5000 + "}",
        '{"attributions": [{"cue": {"start": 0, "end": 3, "text": "\\udc00ab"}}]}',
        '{"kind": NaN}',
        '{"kind": ' + "9" * 30 + "}",
    ],
    ids=["lone surrogate", "nested 5000 deep", "surrogate in span text", "NaN", "huge integer"],
)
def test_label_json_that_cannot_be_kept_is_invalid(raw):
    with pytest.raises(Invalid):
        annotation.parse_labels(raw)
