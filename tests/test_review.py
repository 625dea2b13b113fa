"""The review service: queue upkeep, unanimous gold, decisions with history, reports and feedback."""

import copy

import pytest

from annotator import projects as project_service
from annotator import review
from annotator.errors import Conflict, Forbidden, Invalid, NotFound
from annotator.store import decisions
from tests.review_data import (
    LAVROV_REITERATED,
    LAVROV_STATED,
    annotate,
    copy_to_blocks,
    import_sample,
    reiterated_b,
    simple,
    stated_b,
)

A, B = "annotator1", "annotator2"


@pytest.fixture
def ids(db, project):
    return import_sample(db, project)


def _user(db, name):
    return next(iter(db.query("select * from users where name = ?", [name])))


def _saved(db, project, pid, *pairs):
    for name, labels in pairs:
        annotate(db, pid, name, labels)
    return review.annotation_saved(db, project, paragraph_id=pid)


def test_one_annotation_is_not_in_the_queue(db, project, ids):
    assert _saved(db, project, ids["stated"], (A, LAVROV_STATED)) is None
    assert review.queue(db, project)["counts"] == {"open": 0, "decided": 0, "unanimous": 0}


def test_unanimous_paragraph_becomes_gold(db, project, ids):
    other = copy.deepcopy(LAVROV_STATED)
    other["notes"] = "free text never breaks unanimity"
    item = _saved(db, project, ids["stated"], (A, LAVROV_STATED), (B, other))
    assert item["state"] == "unanimous" and item["disagreement"] == 0
    decision = decisions.find_decision(db, ids["stated"])
    assert decision["source"] == "unanimous" and decision["reviewer_id"] is None
    assert decision["annotators"] == [A, B]
    assert decision["labels"] == LAVROV_STATED
    assert [r["version"] for r in decisions.list_revisions(db, ids["stated"])] == [1]
    listed = review.queue(db, project, state="unanimous")["items"]
    assert [i["paragraph_id"] for i in listed] == [ids["stated"]]


def test_auto_gold_off_keeps_unanimous_paragraphs_open(db, project, ids):
    project_service.projects.update_project(
        db, project["id"], settings={**project["settings"], "auto_gold_unanimous": False}
    )
    project = project_service.get_project(db, project["id"])
    item = _saved(db, project, ids["stated"], (A, LAVROV_STATED), (B, LAVROV_STATED))
    assert item["state"] == "open" and item["unanimous"] == 1
    assert decisions.find_decision(db, ids["stated"]) is None


def test_a_later_disagreement_withdraws_the_automatic_decision(db, project, ids):
    _saved(db, project, ids["stated"], (A, LAVROV_STATED), (B, LAVROV_STATED))
    item = _saved(db, project, ids["stated"], (B, stated_b()))
    assert item["state"] == "open" and item["disagreement"] > 0
    assert decisions.find_decision(db, ids["stated"]) is None
    assert db.execute("select count(*) from events where kind = 'decision.withdrawn'").fetchone()[0] == 1


def test_queue_puts_most_disagreement_first(db, project, ids):
    small, big, none = ids["others"][:3]
    _saved(
        db,
        project,
        small,
        (A, simple("body", ["Political"], "Political")),
        (B, simple("body", ["Political", "Economic"], "Political")),
    )
    _saved(db, project, big, (A, simple("body")), (B, simple("quote_only", ["Morality"], "Morality")))
    _saved(db, project, ids["stated"], (A, LAVROV_STATED), (B, stated_b()))
    _saved(db, project, none, (A, simple()), (B, simple()))
    page = review.queue(db, project)
    order = [i["paragraph_id"] for i in page["items"]]
    values = [i["disagreement"] for i in page["items"]]
    assert values == sorted(values, reverse=True) and len(order) == 3
    assert order[0] == big and set(order) == {small, big, ids["stated"]}
    assert page["counts"] == {"open": 3, "decided": 0, "unanimous": 1}
    # the counts the triggers keep equal a count of the rows, through inserts, updates and deletes
    review.decide(db, project, paragraph_id=big, actor=_user(db, "admin"), picks={})
    db.execute(
        "delete from annotations where paragraph_id = ? and user_id = (select id from users where name = ?)",
        [small, B],
    )
    db.conn.commit()
    review.annotation_saved(db, project, paragraph_id=small)
    actual = dict(db.execute("select state, count(*) from review_items group by state").fetchall())
    assert (
        review.queue(db, project)["counts"]
        == {"open": 1, "decided": 1, "unanimous": 1}
        == {**dict.fromkeys(("open", "decided", "unanimous"), 0), **actual}
    )


def test_refresh_matches_the_per_save_upkeep(db, project, ids):
    annotate(db, ids["stated"], A, LAVROV_STATED)
    annotate(db, ids["stated"], B, stated_b())
    annotate(db, ids["reiterated"], A, LAVROV_REITERATED)
    annotate(db, ids["reiterated"], B, LAVROV_REITERATED)
    annotate(db, ids["others"][0], A, simple())
    counts = review.refresh(db, project)
    assert counts == {"open": 1, "decided": 0, "unanimous": 1}
    item = review.queue(db, project)["items"][0]
    again = review.annotation_saved(db, project, paragraph_id=ids["stated"])
    assert item["disagreement"] == pytest.approx(again["disagreement"])
    assert review.refresh(db, project) == counts  # idempotent


def _disagreement(db, project, ids):
    _saved(db, project, ids["stated"], (A, LAVROV_STATED), (B, stated_b()))
    return review.review_item(db, project, ids["stated"])


def test_review_item_shows_every_annotator_and_the_differences(db, project, ids):
    item = _disagreement(db, project, ids)
    diff = item["diff"]
    assert diff["annotators"] == [A, B] and diff["differ"]
    assert diff["fields"]["framing.frames"]["differ"]
    assert not diff["fields"]["kind"]["differ"]
    assert diff["attributions"][0]["fields"]["cue_stance"]["values"] == {A: "neutral", B: "distancing"}


def test_decide_takes_one_annotators_attribution_and_anothers_frames(db, project, ids):
    _disagreement(db, project, ids)
    reviewer = _user(db, "reviewer")
    decision = review.decide(
        db,
        project,
        paragraph_id=ids["stated"],
        actor=reviewer,
        note="A's neutral reading; B's single frame",
        picks={"attribution:0": A, "field:framing.frames": B, "field:framing.primary_frame": B},
        expected_version=0,
    )
    gold = decision["labels"]
    assert gold["attributions"][0]["cue_stance"] == "neutral"
    assert gold["framing"]["frames"] == ["Security_and_defense"]
    assert gold["framing"]["primary_frame"] == "Security_and_defense"
    assert gold["claims"][0]["attribution_id"] == gold["attributions"][0]["id"] == "a1"
    assert decision["source"] == "adjudicated" and decision["reviewer"] == "reviewer"
    assert decision["note"] == "A's neutral reading; B's single frame"
    assert decision["annotators"] == []  # nobody gave exactly these labels
    assert decision["agreement"]["n_annotators"] == 2 and decision["agreement"]["disagreement"] > 0
    assert review.queue(db, project, state="decided")["items"][0]["paragraph_id"] == ids["stated"]
    assert review.queue(db, project)["counts"]["open"] == 0

    # a second decision is a new version; the first is kept
    again = review.decide(db, project, paragraph_id=ids["stated"], actor=reviewer,
                          picks={}, note="majority", expected_version=1)  # fmt: skip
    assert again["version"] == 2
    assert [r["version"] for r in decisions.list_revisions(db, ids["stated"])] == [2, 1]
    with pytest.raises(Conflict):
        review.decide(db, project, paragraph_id=ids["stated"], actor=reviewer, picks={},
                      expected_version=1)  # fmt: skip


def test_the_decision_records_which_annotators_agreed(db, project, ids):
    _disagreement(db, project, ids)
    decision = review.decide(db, project, paragraph_id=ids["stated"], actor=_user(db, "admin"),
                             labels=copy.deepcopy(stated_b()))  # fmt: skip
    assert decision["annotators"] == [B]


def test_no_attribution_here_is_a_valid_decision(db, project, ids):
    _saved(db, project, ids["reiterated"], (A, LAVROV_REITERATED), (B, reiterated_b()))
    decision = review.decide(
        db, project, paragraph_id=ids["reiterated"], actor=_user(db, "admin"), picks={"no_attribution": "1"}
    )
    assert decision["labels"]["attributions"] == []
    # claims stay, spoken now in the outlet's own voice
    assert [c["attribution_id"] for c in decision["labels"]["claims"]] == [None, None]


def test_a_claim_whose_attribution_is_left_out_is_never_silently_unlinked(db, project, ids):
    _saved(db, project, ids["reiterated"], (A, LAVROV_REITERATED), (B, reiterated_b()))
    item = review.review_item(db, project, ids["reiterated"])
    assert item["picks"]["attribution:1"] == A  # only A marked it: one of two is half, kept by default
    assert item["partial"]["attribution:1"] == [A]
    labels = review.compose(item["by_name"], item["diff"], {"attribution:1": A, "claim:1": A})
    assert [a["id"] for a in labels["attributions"]] == ["a1", "a2"]
    assert labels["claims"][1]["attribution_id"] == "a2"
    # left out: the link is broken, the page asks, and saving refuses until the reviewer says what to do
    item = review.review_item(db, project, ids["reiterated"], picks={"attribution:1": "", "claim:1": A})
    assert [(b["claim_row"], b["choice"]) for b in item["broken_links"]] == [(1, None)]
    assert item["broken_links"][0]["others"] == [
        {"row": 0, "cue": item["broken_links"][0]["others"][0]["cue"]}
    ]
    assert any(p["code"] == "link" and p["path"] == "claims[1].attribution_id" for p in item["problems"])
    with pytest.raises(Invalid) as info:
        review.decide(db, project, paragraph_id=ids["reiterated"], actor=_user(db, "admin"),
                      picks={"attribution:1": "", "claim:1": A})  # fmt: skip
    assert [e["code"] for e in info.value.errors] == ["link"]
    assert decisions.find_decision(db, ids["reiterated"]) is None
    # each answer gives a consistent document
    for how, expected in (("own", None), ("attribution:0", "a1"), ("keep", "a2")):
        labels = review.compose(
            item["by_name"], item["diff"], {"attribution:1": "", "claim:1": A, "link:1": how}
        )
        assert labels["claims"][1]["attribution_id"] == expected, how
        # the answer stays on the page (and in the form) once given
        item = review.review_item(db, project, ids["reiterated"],
                                  picks={"attribution:1": "", "claim:1": A, "link:1": how})  # fmt: skip
        assert [(b["claim_row"], b["choice"]) for b in item["broken_links"]] == [(1, how)]
        assert item["problems"] == []
        assert review.check_labels(project, item["paragraph"]["text"], labels)[1] == []
    decision = review.decide(db, project, paragraph_id=ids["reiterated"], actor=_user(db, "admin"),
                             picks={"attribution:1": "", "claim:1": A, "link:1": "own"})  # fmt: skip
    assert decision["labels"]["claims"][1]["attribution_id"] is None


def test_an_item_fewer_than_half_marked_must_be_decided(db, project, ids):
    third = copy.deepcopy(reiterated_b())
    _saved(db, project, ids["reiterated"], (A, LAVROV_REITERATED), (B, reiterated_b()), ("admin", third))
    item = review.review_item(db, project, ids["reiterated"])
    # attribution 2 (and its claim): only A of three marked them; no default, highlighted as undecided
    assert "attribution:1" not in item["picks"] and "attribution:1" in item["undecided"]
    assert item["partial"]["attribution:1"] == [A]
    with pytest.raises(Invalid) as info:
        review.decide(db, project, paragraph_id=ids["reiterated"], actor=_user(db, "admin"), picks={})
    assert {e["path"] for e in info.value.errors if e["code"] == "undecided"} >= {"attribution:1"}
    assert "marked only by annotator1" in info.value.errors[0]["message"]
    decision = review.decide(db, project, paragraph_id=ids["reiterated"], actor=_user(db, "admin"),
                             picks={"attribution:1": "", "claim:1": ""})  # fmt: skip
    assert len(decision["labels"]["attributions"]) == 1


def test_edited_labels_are_validated_per_field(db, project, ids):
    _disagreement(db, project, ids)
    bad = copy.deepcopy(LAVROV_STATED)
    bad["kind"] = "poem"
    bad["attributions"][0]["cue"]["text"] = "said"
    with pytest.raises(Invalid) as info:
        review.decide(db, project, paragraph_id=ids["stated"], actor=_user(db, "admin"), labels=bad)
    paths = {e["path"] for e in info.value.errors}
    assert "kind" in paths and any(p.startswith("attributions[0].cue") for p in paths)
    assert decisions.find_decision(db, ids["stated"]) is None
    with pytest.raises(Invalid, match="line 1, column"):
        review.parse_labels_json("{not json")


def test_a_picked_name_must_have_annotated(db, project, ids):
    _disagreement(db, project, ids)
    with pytest.raises(Invalid):
        review.decide(
            db, project, paragraph_id=ids["stated"], actor=_user(db, "admin"), picks={"field:kind": "admin"}
        )


def test_review_item_of_another_project_is_not_found(db, project, ids):
    other = project_service.create_project(db, "other")
    with pytest.raises(NotFound):
        review.review_item(db, other, ids["stated"])


def test_only_reviewers_of_the_project_review(db, project):
    assert review.project_for_reviewer(db, project["id"], actor=_user(db, "reviewer"))["id"] == project["id"]
    with pytest.raises(Forbidden):
        review.project_for_reviewer(db, project["id"], actor=_user(db, A))
    other = project_service.create_project(db, "other")
    with pytest.raises(Forbidden):
        review.project_for_reviewer(db, other["id"], actor=_user(db, "reviewer"))
    assert review.project_for_reviewer(db, other["id"], actor=_user(db, "admin"))


def test_feedback_shows_annotators_only_their_own_differences(db, project, ids):
    _saved(db, project, ids["stated"], (A, LAVROV_STATED), (B, stated_b()))
    _saved(db, project, ids["reiterated"], (A, LAVROV_REITERATED), (B, LAVROV_REITERATED))
    review.decide(
        db, project, paragraph_id=ids["stated"], actor=_user(db, "admin"), labels=copy.deepcopy(LAVROV_STATED)
    )
    with pytest.raises(NotFound):
        review.project_for_feedback(db, project["id"], actor=_user(db, B))
    project_service.projects.update_project(
        db, project["id"], settings={**project["settings"], "feedback": True}
    )
    project = review.project_for_feedback(db, project["id"], actor=_user(db, B))
    mine = review.feedback(db, project, _user(db, B))
    assert (mine["total"], mine["agreed"], mine["differed"]) == (2, 1, 1)
    diff = mine["items"][0]["diff"]
    assert diff["annotators"] == ["you", "gold"] and diff["fields"]["framing.frames"]["differ"]
    assert A not in repr(mine)
    theirs = review.feedback(db, project, _user(db, A))
    assert (theirs["total"], theirs["differed"]) == (2, 0)


# -- agreement reports, computed by hand -------------------------------------------------------------------


@pytest.fixture
def four_paragraphs(db, project, ids):
    """kind over four paragraphs: (body, body), (body, body), (body, quote_only), (headline, headline)."""
    p3, p4 = ids["others"][:2]
    annotate(db, ids["stated"], A, LAVROV_STATED)
    annotate(db, ids["stated"], B, LAVROV_STATED)
    annotate(db, ids["reiterated"], A, LAVROV_REITERATED)
    annotate(db, ids["reiterated"], B, reiterated_b())
    annotate(db, p3, A, simple("body"))
    annotate(db, p3, B, simple("quote_only"))
    annotate(db, p4, A, simple("headline"))
    annotate(db, p4, B, simple("headline"))
    return ids


def test_report_by_hand(db, project, four_paragraphs):
    report = review.agreement_report(db, project)
    kind = report["fields"]["kind"]
    # coincidences: body-body 4, body-quote 1+1, headline-headline 2; n = 8, n_body 5, n_quote 1, n_headline 2
    # Do = 2/8; De = 2 * (5*1 + 5*2 + 1*2) / (8*7) = 34/56; alpha = 1 - (1/4) / (34/56) = 10/17
    assert kind["statistic"] == "krippendorff_alpha_nominal"
    assert kind["value"] == pytest.approx(10 / 17) and kind["n"] == 4
    # Cohen's kappa: po = 3/4, pe = (3*2 + 1*1) / 16 = 7/16, kappa = (12/16 - 7/16) / (9/16) = 5/9
    assert report["pairs"][f"{A}|{B}"]["kind"]["value"] == pytest.approx(5 / 9)
    # cues: A marks 3, B marks 2 (missed 'expressed disbelief'), 2 equal: F1 = 2*2 / (3+2)
    assert report["fields"]["attributions.cue"]["value"] == pytest.approx(0.8)
    # attributes on the two matched attributions agree
    assert report["fields"]["attributions.source_form"]["n"] == 2
    assert report["annotators"] == [A, B]
    assert set(report["paragraphs"]) == {
        str(p)
        for p in (four_paragraphs["stated"], four_paragraphs["reiterated"], *four_paragraphs["others"][:2])
    }


def test_report_with_one_annotator_is_undefined_not_zero(db, project, ids):
    annotate(db, ids["stated"], A, LAVROV_STATED)
    report = review.agreement_report(db, project)
    assert report["fields"]["kind"]["value"] is None
    assert report["fields"]["kind"]["reason"] == "only one annotator"


def _spread_over_blocks(db, ids):
    """Copy the two sample paragraphs, with their annotations, to paragraph ids in three more blocks."""
    copy_to_blocks(db, (ids["stated"], ids["reiterated"]), (1, 2, 3))


def test_parallel_and_cached_reports_equal_one_pass(db, project, four_paragraphs, monkeypatch):
    _spread_over_blocks(db, four_paragraphs)
    serial = review.agreement_report(db, project, workers=1, cache=False)
    assert len(serial["paragraphs"]) == 10
    monkeypatch.setattr(review.reports, "PARALLEL_MIN_CHUNKS", 1)
    parallel = review.agreement_report(db, project, workers=2)
    assert parallel["fields"] == serial["fields"] and parallel["pairs"] == serial["pairs"]
    assert parallel["paragraphs"] == serial["paragraphs"]
    assert review.reports.stale_chunks(db, project) == 0
    # one changed annotation: its block is recounted, the others merged from what was kept
    annotate(db, four_paragraphs["stated"] + 4000, B, stated_b())
    assert review.reports.stale_chunks(db, project) == 1
    counted = []
    real = review.reports._count
    monkeypatch.setattr(
        review.reports,
        "_count",
        lambda db, pid, chunks, *fields: counted.extend(chunks) or real(db, pid, chunks, *fields),
    )
    cached = review.agreement_report(db, project, workers=1)
    assert counted == [2]
    assert cached["fields"] == review.agreement_report(db, project, cache=False)["fields"]
    assert cached["fields"] != serial["fields"]
    # counts kept by other code are recounted, not trusted
    db.execute("update agreement_chunks set fingerprint = 'other code'")
    db.conn.commit()
    assert review.reports.stale_chunks(db, project) == 4


def test_project_report_is_cached_until_annotations_change(db, project, four_paragraphs):
    first = review.project_report(db, project)
    assert first["fields"]["kind"]["value"] == pytest.approx(10 / 17) and not first["stale"]
    assert review.project_report(db, project)["computed_at"] == first["computed_at"]
    annotate(db, four_paragraphs["others"][0], B, simple("body"))
    changed = review.project_report(db, project)
    assert changed["fields"]["kind"]["value"] == pytest.approx(1.0)
    assert changed["thresholds"] == (0.667, 0.8)


def test_report_from_jsonl_matches_the_database(db, project, four_paragraphs):
    import json

    rows = db.query(
        """select n.paragraph_id, u.name, p.text, n.labels from annotations n join users u on u.id = n.user_id
        join paragraphs p on p.id = n.paragraph_id order by n.paragraph_id, u.name"""
    )
    lines = [json.dumps({"paragraph_id": f"x#p{r['paragraph_id']}", "annotator": r["name"], "text": r["text"],
                         "labels": json.loads(r["labels"])}) for r in rows]  # fmt: skip
    from_file = review.report_from_jsonl(lines)
    assert from_file["fields"] == review.agreement_report(db, project)["fields"]


@pytest.mark.parametrize(
    "lines, message",
    [
        (["{oops"], "line 1: not JSON"),
        (["[1, 2]"], "line 1: expected a JSON object"),
        (['{"paragraph_id": "p1", "labels": {}}'], "line 1: missing annotator"),
        (['{"paragraph_id": "p1", "annotator": "a", "labels": []}'], "line 1: labels must be"),
        (['{"paragraph_id": "p1", "annotator": "a", "labels": {}}', '{"paragraph_id": "p1", "annotator": "a", "labels": {}}'],
         "line 2: a second line for a"),
        (['{"paragraph_id": "p1", "annotator": "a", "labels": {}}', "",
          '{"paragraph_id": "p2", "annotator": "a", "labels": {}}', '{"paragraph_id": "p1", "annotator": "b", "labels": {}}'],
         "line 4: paragraph p1 appears again"),
    ],
)  # fmt: skip
def test_report_from_jsonl_names_the_bad_line(lines, message):
    with pytest.raises(Invalid, match=message):
        review.report_from_jsonl(lines)


def test_a_changed_annotation_marks_an_adjudicated_decision_stale(db, project, ids):
    _saved(db, project, ids["stated"], (A, LAVROV_STATED), (B, stated_b()))
    review.decide(db, project, paragraph_id=ids["stated"], actor=_user(db, "admin"), picks={})
    item = _saved(db, project, ids["stated"], (B, LAVROV_STATED))
    assert item["state"] == "decided" and item["stale"] == 1
    assert decisions.find_decision(db, ids["stated"])["source"] == "adjudicated"  # a reviewer's gold stays
    assert review.queue(db, project, state="decided")["items"][0]["stale"] == 1
    assert review.refresh(db, project)["decided"] == 1
    assert review.queue(db, project, state="decided")["items"][0]["stale"] == 1  # refresh keeps the flag
