"""Every gold record says whose labels were compared, who decided, and per field and item whose version it holds."""

import copy
import json

import pytest

from annotator import review
from annotator.agreement import provenance
from annotator.cli import cli
from annotator.store import users
from tests.review_data import (
    LAVROV_REITERATED,
    LAVROV_STATED,
    annotate,
    import_sample,
    reiterated_b,
    stated_b,
)

A, B = "annotator1", "annotator2"


@pytest.fixture
def ids(db, project):
    return import_sample(db, project)


def _gold(runner, tmp_path) -> dict:
    """Export the project's gold and return ``{paragraph text: record}``."""
    out = tmp_path / "gold"
    result = runner.invoke(cli, ["export", "--project", "test", "--view", "gold", "--out", str(out)])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for f in sorted(out.glob("*.jsonl")) for line in f.read_text().splitlines()]
    return {r["text"]: r for r in records}


def _taken(decision) -> dict:
    return {t["path"]: (t["annotators"], t["edited"]) for t in decision["taken"]}


def test_adjudicated_gold_names_whose_version_each_field_and_item_is(runner, db, project, ids, tmp_path):
    annotate(db, ids["stated"], A, LAVROV_STATED)
    annotate(db, ids["stated"], B, stated_b())
    review.refresh(db, project)
    # A's attribution (neutral cue), B's frames
    review.decide(db, project, paragraph_id=ids["stated"], actor=users.get_user_by_name(db, "admin"), note="mixed",
                  picks={"attribution:0": A, "field:framing.frames": B, "field:framing.primary_frame": B})  # fmt: skip
    (record,) = _gold(runner, tmp_path).values()
    decision = record["decision"]
    reviewer = db.execute("select name from users where id = 1").fetchone()[0]
    assert decision["source"] == "adjudicated" and decision["reviewer"] == reviewer
    assert decision["compared"] == [A, B]
    assert decision["annotators"] == []  # nobody gave exactly this gold
    taken = _taken(decision)
    assert taken["framing.frames"] == ([B], False)
    assert taken["attributions[0]"] == ([A], False)
    assert taken["kind"] == ([A, B], False)  # both said 'body'
    assert taken["claims[0]"] == ([A, B], False)
    assert not any(edited for _, edited in taken.values())


def test_unanimous_gold_names_every_annotator_for_every_field(runner, db, project, ids, tmp_path):
    annotate(db, ids["stated"], A, LAVROV_STATED)
    annotate(db, ids["stated"], B, copy.deepcopy(LAVROV_STATED))
    review.refresh(db, project)
    (record,) = _gold(runner, tmp_path).values()
    decision = record["decision"]
    assert decision["source"] == "unanimous" and not decision["reviewer"]
    assert decision["compared"] == [A, B] and decision["annotators"] == [A, B]
    taken = _taken(decision)
    assert {"kind", "attributions[0]", "claims[0]", "framing.frames"} <= set(taken)
    assert all(who == [A, B] and not edited for who, edited in taken.values())


def test_edited_gold_says_which_parts_the_reviewer_wrote(runner, db, project, ids, tmp_path):
    annotate(db, ids["stated"], A, LAVROV_STATED)
    annotate(db, ids["stated"], B, stated_b())
    edited = copy.deepcopy(LAVROV_STATED)
    edited["claims"][0]["sourcing_strength"] = 4  # nobody said 4
    review.decide(
        db, project, paragraph_id=ids["stated"], actor=users.get_user_by_name(db, "admin"), labels=edited
    )
    (record,) = _gold(runner, tmp_path).values()
    taken = _taken(record["decision"])
    assert taken["claims[0]"] == ([], True)
    assert taken["attributions[0]"] == ([A], False)
    assert taken["framing.frames"] == ([A], False)
    assert record["decision"]["compared"] == [A, B]


def test_gold_from_imported_annotations_carries_provenance(runner, db, project, ids, tmp_path):
    # two annotators' labels come in through import-annotations (an 'all' export of another database)
    annotate(db, ids["reiterated"], A, LAVROV_REITERATED)
    annotate(db, ids["reiterated"], B, reiterated_b())
    annotate(db, ids["stated"], A, LAVROV_STATED)
    annotate(db, ids["stated"], B, copy.deepcopy(LAVROV_STATED))
    all_dir = tmp_path / "all"
    assert (
        runner.invoke(cli, ["export", "--project", "test", "--view", "all", "--out", str(all_dir)]).exit_code
        == 0
    )
    lines = "".join(f.read_text() for f in sorted(all_dir.glob("*.jsonl")))
    db.execute("delete from annotations")
    db.execute("delete from decisions")
    db.conn.commit()
    path = tmp_path / "in.jsonl"
    path.write_text(lines)
    result = runner.invoke(cli, ["import-annotations", str(path), "--project", "test"])
    assert result.exit_code == 0, result.output
    # the unanimous paragraph became gold on import; the other is adjudicated after it
    review.decide(
        db,
        project,
        paragraph_id=ids["reiterated"],
        actor=users.get_user_by_name(db, "admin"),
        picks={"attribution:1": A},
    )
    gold = _gold(runner, tmp_path)
    assert len(gold) == 2
    for record in gold.values():
        assert record["decision"]["compared"] == [A, B]
        assert record["decision"]["taken"]
    reiterated = next(r for r in gold.values() if r["decision"]["source"] == "adjudicated")
    taken = _taken(reiterated["decision"])
    assert taken["attributions[1]"] == ([A], False)  # only A marked the second attribution
    assert taken["attributions[0]"] == ([A, B], False)


def test_import_refuses_a_claim_whose_attribution_is_gone(runner, db, project, ids, tmp_path):
    annotate(db, ids["reiterated"], A, LAVROV_REITERATED)
    all_dir = tmp_path / "all"
    assert (
        runner.invoke(cli, ["export", "--project", "test", "--view", "all", "--out", str(all_dir)]).exit_code
        == 0
    )
    record = json.loads(next(f for f in sorted(all_dir.glob("*.jsonl")) if f.stat().st_size).read_text())
    del record["labels"]["attributions"][1]  # its claim still names it
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps(record) + "\n")
    result = runner.invoke(cli, ["import-annotations", str(path), "--project", "test"])
    assert result.exit_code == 1
    assert (
        "line 1, labels.claims[1].attribution_id" in result.output and "no attribution here" in result.output
    )


def test_provenance_compares_links_through_the_attribution_they_name():
    other = copy.deepcopy(LAVROV_REITERATED)
    other["claims"][0]["attribution_id"] = "a2"  # same claim, linked to the other attribution (another cue)
    taken = {
        t["path"]: t["annotators"] for t in provenance(LAVROV_REITERATED, {A: LAVROV_REITERATED, B: other})
    }
    assert taken["claims[0]"] == [A] and taken["claims[1]"] == [A, B]


def _provenance_by_canonical_forms(gold, annotations):
    """The definition, without the shortcut for identical documents: every document in canonical form."""
    from annotator.agreement.provenance import _ITEM_SECTIONS, _fields, _items
    from annotator.agreement.review import _norm

    names = sorted(annotations)
    empty = (None, [], {}, "")
    out = []
    for path, value in _fields(gold).items():
        mine = None if value in empty else _norm(value)
        who = [
            n
            for n in names
            if (None if (v := _fields(annotations[n]).get(path)) in empty else _norm(v)) == mine
        ]
        out.append({"path": path, "annotators": who, "edited": not who})
    for section in _ITEM_SECTIONS:
        for i, item in enumerate(_items(gold)[section]):
            who = [n for n in names if item in _items(annotations[n])[section]]
            out.append({"path": f"{section}[{i}]", "annotators": who, "edited": not who})
    return out


@pytest.mark.parametrize("gold_of", ["a", "b", "edited"])
def test_identical_documents_take_the_shortcut_to_the_same_provenance(gold_of):
    import copy

    from tests.review_data import LAVROV_STATED, stated_b

    edited = copy.deepcopy(LAVROV_STATED)
    edited["notes"] = "the reviewer's words"
    gold = {"a": LAVROV_STATED, "b": stated_b(), "edited": edited}[gold_of]
    annotations = {"b": stated_b(), "a": copy.deepcopy(LAVROV_STATED), "c": copy.deepcopy(LAVROV_STATED)}
    assert provenance(gold, annotations) == _provenance_by_canonical_forms(gold, annotations)
