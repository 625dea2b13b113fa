"""Fixing an imported article's units: kind, merge, split, drop, and the rule that worked-on units stay put."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator import curation, importing
from annotator.errors import Conflict, Invalid, NotFound
from annotator.store import articles as article_store
from annotator.store import now, users
from tests.test_importing import assert_consistent, jsonl

PARAGRAPHS = [
    "First paragraph ends here. A second sentence was glued on.",
    "Second paragraph with an emoji 😀 and more text. Then 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 after it.",
    "Third paragraph.",
    "Fourth paragraph.",
]


@pytest.fixture
def article(db, project):
    record = {"url": "https://x.example/1", "title": "A headline", "paragraphs": PARAGRAPHS}
    report = importing.import_bytes(db, project, jsonl(record), source_name="a.jsonl")
    return report.added[0]["article_id"]


def units_of(db, article_id):
    return article_store.list_paragraphs(db, article_id)


def kinds(project):
    return project["settings"]["kinds"]


def user_id(db, name="annotator1"):
    return db.execute("select id from users where name = ?", [name]).fetchone()[0]


def add_work(db, project, paragraph_id, what):
    """Give a paragraph one row of work of the named kind."""
    stamp = now()
    uid = user_id(db)
    rows = {
        "annotation": (
            "annotations",
            {
                "paragraph_id": paragraph_id,
                "user_id": uid,
                "labels": "{}",
                "scheme_version": "1",
                "created_at": stamp,
                "updated_at": stamp,
            },
        ),
        "draft": (
            "drafts",
            {"paragraph_id": paragraph_id, "user_id": uid, "labels": "{}", "updated_at": stamp},
        ),
        "decision": (
            "decisions",
            {
                "paragraph_id": paragraph_id,
                "labels": "{}",
                "source": "adjudicated",
                "created_at": stamp,
                "updated_at": stamp,
            },
        ),
        "assignment": (
            "assignments",
            {
                "project_id": project["id"],
                "paragraph_id": paragraph_id,
                "user_id": uid,
                "state": "leased",
                "created_at": stamp,
                "updated_at": stamp,
            },
        ),
    }
    table, row = rows[what]
    db[table].insert(row)


def test_imported_article_is_consistent(db, project, article):
    units = assert_consistent(db, article, kinds(project))
    assert [u["kind"] for u in units] == ["headline", "body", "body", "body", "body"]


def test_set_kind_updates_the_queue_flag(db, project, article):
    units = units_of(db, article)
    curation.set_kind(db, article, units[4]["id"], "subheading", actor=users.get_user_by_name(db, "admin"))
    curation.set_kind(db, article, units[3]["id"], "caption")
    after = assert_consistent(db, article, kinds(project))
    assert [(u["kind"], u["queued"]) for u in after[3:]] == [("caption", 1), ("subheading", 0)]
    assert [u["id"] for u in after] == [u["id"] for u in units]
    event = list(db.query("select * from events where kind = 'article.edited' order by id"))[0]
    assert json.loads(event["detail"])["action"] == "kind"
    assert event["user_id"] == user_id(db, "admin")


def test_unknown_kind_is_refused(db, article):
    with pytest.raises(Invalid, match="unknown unit kind 'banner'"):
        curation.set_kind(db, article, units_of(db, article)[1]["id"], "banner")


def test_merge_joins_with_a_space_and_renumbers(db, project, article):
    units = units_of(db, article)
    merged = curation.merge_with_next(db, article, units[3]["id"])
    assert merged["text"] == "Third paragraph. Fourth paragraph."
    after = assert_consistent(db, article, kinds(project))
    assert [u["id"] for u in after] == [u["id"] for u in units[:4]]
    assert after[3]["text"] == merged["text"]
    with pytest.raises(Invalid, match="no next unit"):
        curation.merge_with_next(db, article, after[-1]["id"])


def test_split_at_a_code_point_offset_trims_whitespace(db, project, article):
    units = units_of(db, article)
    text = units[2]["text"]
    offset = text.index("Then")  # code points: the emoji and the 𝔘 are one each
    assert len(text.encode("utf-16-le")) // 2 > len(text)
    first, second = curation.split(db, article, units[2]["id"], offset - 1)
    assert first["text"] == "Second paragraph with an emoji 😀 and more text."
    assert second["text"] == "Then 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 after it."
    assert (first["id"], first["kind"], second["kind"]) == (units[2]["id"], "body", "body")
    after = assert_consistent(db, article, kinds(project))
    assert len(after) == 6 and after[3]["id"] == second["id"] and after[4]["id"] == units[3]["id"]


@pytest.mark.parametrize(
    ("offset", "message"),
    [
        (0, "outside the unit's text"),
        (16, "outside the unit's text"),
        (-1, "outside"),
        ("x", "whole number"),
        (None, "whole number"),
    ],
)
def test_split_needs_text_on_both_sides(db, article, offset, message):
    unit = units_of(db, article)[3]  # "Third paragraph." has 16 code points
    with pytest.raises(Invalid, match=message):
        curation.split(db, article, unit["id"], offset)


def test_split_that_leaves_only_whitespace_is_refused(db, project):
    report = importing.import_bytes(
        db, project, jsonl({"paragraphs": ["   Padded text.  "]}), source_name="p.jsonl"
    )
    article_id = report.added[0]["article_id"]
    unit = units_of(db, article_id)[0]
    for offset in (2, 16):
        with pytest.raises(Invalid, match="text on both sides"):
            curation.split(db, article_id, unit["id"], offset)
    assert units_of(db, article_id) == [unit]


def test_split_points_are_sentence_ends_in_code_points():
    text = "One 😀. Two! «Three?» Four\nFive"
    points = curation.split_points(text)
    assert [text[p["offset"] :].lstrip()[:4] for p in points] == ["Two!", "«Thr", "Four", "Five"]
    assert points[0]["before"] == "One 😀."


def test_drop_keeps_the_text_with_the_boilerplate(db, project, article):
    units = units_of(db, article)
    dropped = curation.drop(db, article, units[1]["id"])
    assert dropped["id"] == units[1]["id"]
    after = assert_consistent(db, article, kinds(project))
    assert [u["id"] for u in after] == [units[0]["id"], *[u["id"] for u in units[2:]]]
    last = article_store.get_article_source(db, article)["dropped"][-1]
    assert (last["text"], last["reason"], last["position"]) == (PARAGRAPHS[0], "dropped by hand", 1)
    view = curation.article_view(db, article)
    assert view["dropped"][-1]["text"] == PARAGRAPHS[0]


def test_the_last_unit_cannot_be_dropped(db, project):
    report = importing.import_bytes(
        db, project, jsonl({"paragraphs": ["Only one."]}), source_name="one.jsonl"
    )
    article_id = report.added[0]["article_id"]
    with pytest.raises(Invalid, match="at least one unit"):
        curation.drop(db, article_id, units_of(db, article_id)[0]["id"])


WORK = ["annotation", "draft", "decision", "assignment"]
EDITS = {
    "kind": lambda db, a, pid: curation.set_kind(db, a, pid, "quote"),
    "merge": lambda db, a, pid: curation.merge_with_next(db, a, pid),
    "split": lambda db, a, pid: curation.split(db, a, pid, 5),
    "drop": lambda db, a, pid: curation.drop(db, a, pid),
}


@pytest.mark.parametrize("what", WORK)
@pytest.mark.parametrize("edit", list(EDITS))
def test_a_unit_with_work_is_kept_as_it_is(db, project, article, what, edit):
    units = units_of(db, article)
    add_work(db, project, units[2]["id"], what)
    before = units_of(db, article)
    with pytest.raises(Conflict, match=f"cannot .* unit 3: it already has 1 {what}") as raised:
        EDITS[edit](db, article, units[2]["id"])
    assert raised.value.status == 409
    assert units_of(db, article) == before
    assert not list(db.query("select * from events where kind = 'article.edited'"))


@pytest.mark.parametrize("edit", ["merge", "split", "drop"])
def test_an_edit_that_would_renumber_worked_units_is_refused(db, project, article, edit):
    units = units_of(db, article)
    add_work(db, project, units[4]["id"], "annotation")
    add_work(db, project, units[4]["id"], "assignment")
    with pytest.raises(Conflict, match="unit 5 after it already has 1 annotation and 1 assignment.*renumber"):
        EDITS[edit](db, article, units[1]["id"])
    # Changing a kind renumbers nothing.
    curation.set_kind(db, article, units[1]["id"], "standfirst")


def test_merging_into_a_worked_unit_is_refused(db, project, article):
    units = units_of(db, article)
    add_work(db, project, units[3]["id"], "draft")
    with pytest.raises(Conflict, match="unit 4 after it already has 1 draft"):
        curation.merge_with_next(db, article, units[2]["id"])


def test_edits_after_the_worked_units_are_allowed(db, project, article):
    units = units_of(db, article)
    add_work(db, project, units[0]["id"], "annotation")
    add_work(db, project, units[1]["id"], "decision")
    curation.merge_with_next(db, article, units[3]["id"])
    curation.split(db, article, units[2]["id"], 10)
    after = assert_consistent(db, article, kinds(project))
    assert [u["id"] for u in after[:2]] == [units[0]["id"], units[1]["id"]]
    view = curation.article_view(db, article)
    assert [u["locked"] for u in view["units"]] == [True, True, False, False, False]
    assert view["units"][1]["work"] == "1 decision"


def test_a_unit_of_another_article_is_not_found(db, project, article):
    other = importing.import_bytes(db, project, jsonl({"paragraphs": ["Elsewhere."]}), source_name="b.jsonl")
    foreign = units_of(db, other.added[0]["article_id"])[0]["id"]
    for edit in EDITS.values():
        with pytest.raises(NotFound):
            edit(db, article, foreign)
    with pytest.raises(NotFound):
        curation.article_view(db, 999)


def test_describe_work():
    assert article_store.describe_work({"annotations": 2, "drafts": 0, "decisions": 1, "assignments": 1}) == (
        "2 annotations, 1 decision and 1 assignment"
    )
    assert article_store.describe_work({"annotations": 0}) == ""


def test_list_articles_pages(db, project):
    for n in range(curation.PER_PAGE + 3):
        importing.import_bytes(
            db, project, jsonl({"paragraphs": [f"Paragraph {n}."]}), source_name=f"{n}.jsonl"
        )
    first = curation.list_articles(db, project)
    last = curation.list_articles(db, project, page=99)
    assert (first["total"], first["pages"], len(first["articles"])) == (
        curation.PER_PAGE + 3,
        2,
        curation.PER_PAGE,
    )
    assert (last["page"], len(last["articles"])) == (2, 3)


_edit = st.tuples(st.sampled_from(["merge", "split", "drop"]), st.integers(0, 20), st.integers(0, 200))
_paragraph = st.text(alphabet=st.sampled_from(list("ab .\n😀é")), min_size=1, max_size=30).filter(str.strip)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(paragraphs=st.lists(_paragraph, min_size=1, max_size=6), edits=st.lists(_edit, max_size=8))
def test_any_sequence_of_edits_matches_a_model_and_stays_consistent(db, project, paragraphs, edits):
    report = importing.import_bytes(db, project, jsonl({"paragraphs": paragraphs}), source_name="h.jsonl")
    if not report.added:  # the same paragraphs drawn twice: already imported
        return
    article_id = report.added[0]["article_id"]
    model = [u["text"] for u in units_of(db, article_id)]
    for action, index, offset in edits:
        units = units_of(db, article_id)
        unit = units[index % len(units)]
        i = index % len(units)
        try:
            if action == "merge":
                curation.merge_with_next(db, article_id, unit["id"])
                model[i : i + 2] = [model[i] + " " + model[i + 1]]
            elif action == "split":
                curation.split(db, article_id, unit["id"], offset)
                model[i : i + 1] = [model[i][:offset].rstrip(), model[i][offset:].lstrip()]
            else:
                curation.drop(db, article_id, unit["id"])
                del model[i]
        except Invalid:
            pass
        assert [u["text"] for u in assert_consistent(db, article_id, kinds(project))] == model


def test_dropped_lines_stored_before_reasons_are_read_with_an_empty_reason(db, project, article):
    db.execute("update article_sources set dropped = ? where article_id = ?", ['["Home", "Share"]', article])
    assert article_store.get_article_source(db, article)["dropped"] == [
        {"text": "Home", "reason": ""},
        {"text": "Share", "reason": ""},
    ]
    curation.drop(db, article, units_of(db, article)[1]["id"])
    assert [d["reason"] for d in curation.article_view(db, article)["dropped"]] == ["", "", "dropped by hand"]


def test_restoring_hand_drops_undoes_them_in_place_with_their_kind(db, project, article):
    before = units_of(db, article)
    curation.set_kind(db, article, before[2]["id"], "subheading")
    before = units_of(db, article)
    curation.drop(db, article, before[1]["id"])
    curation.drop(db, article, units_of(db, article)[1]["id"])  # the unit that was third
    dropped = article_store.get_article_source(db, article)["dropped"]
    assert [d["text"] for d in dropped[-2:]] == [before[1]["text"], before[2]["text"]]
    restored = curation.restore(db, article, [len(dropped) - 2, len(dropped) - 1])
    assert [u["position"] for u in restored] == [1, 2]
    after = assert_consistent(db, article, kinds(project))
    assert [(u["kind"], u["text"]) for u in after] == [(u["kind"], u["text"]) for u in before]
    assert article_store.get_article_source(db, article)["dropped"] == dropped[:-2]


def test_a_line_the_cleaner_dropped_is_restored_as_body_at_the_end(db, project, article):
    db.execute(
        "update article_sources set dropped = ? where article_id = ?",
        ['[{"text": "Tour dates: May 2 Lisbon, May 9 Porto.", "reason": "page furniture"}, "Home"]', article],
    )
    n = len(units_of(db, article))
    [unit] = curation.restore(db, article, [0])
    assert (unit["position"], unit["kind"], unit["text"]) == (
        n,
        "body",
        "Tour dates: May 2 Lisbon, May 9 Porto.",
    )
    assert_consistent(db, article, kinds(project))
    assert article_store.get_article_source(db, article)["dropped"] == [{"text": "Home", "reason": ""}]


def test_restore_refuses_unknown_lines_and_renumbering_worked_units(db, project, article):
    with pytest.raises(Invalid):
        curation.restore(db, article, [])
    with pytest.raises(Invalid):
        curation.restore(db, article, [99])
    units = units_of(db, article)
    curation.drop(db, article, units[1]["id"])
    add_work(db, project, units_of(db, article)[2]["id"], "annotation")
    index = len(article_store.get_article_source(db, article)["dropped"]) - 1
    with pytest.raises(Conflict, match="restoring would renumber it"):
        curation.restore(db, article, [index])
    assert len(units_of(db, article)) == len(units) - 1


def test_dropping_several_is_all_or_none(db, project, article):
    units = units_of(db, article)
    add_work(db, project, units[2]["id"], "annotation")
    with pytest.raises(Conflict):
        curation.drop_many(db, article, [units[3]["id"], units[1]["id"]])
    assert units_of(db, article) == units
