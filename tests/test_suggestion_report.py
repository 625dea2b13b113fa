"""The agreement page's suggestion section: sources against gold, and annotators with and without suggestions."""

import copy
import hashlib
import json

import pytest

from annotator import annotation, store, suggestion_report, suggestions
from annotator.store import decisions
from annotator.suggest import suggest_paragraph
from annotator.suggest.scoring import score
from tests.annotate_fixtures import add_article, hand_over, user

TEXTS = [f"Officials said the bridge on route {i} would reopen in May after repairs." for i in range(24)]


def full_labels(text):
    """What the rules suggest, with the attributes a save requires filled in."""
    atts = suggest_paragraph(text)
    for a in atts:
        a.update(
            source_form="described_group",
            record_status="background",
            source_interest="independent",
            cue_stance="neutral",
        )
    return {"kind": "body", "attributions": atts}


@pytest.fixture
def gold_project(db, project):
    ids = add_article(db, project, TEXTS)
    with store.write(db):
        for pid, text in zip(ids, TEXTS, strict=True):
            decisions.save_decision(
                db,
                paragraph_id=pid,
                labels=full_labels(text),
                source="adjudicated",
                reviewer_id=None,
                annotators=[],
                note="",
                agreement={},
            )
    return ids


def test_each_source_is_scored_against_gold_like_an_annotator(db, project, gold_project):
    # An imported model that finds the attribution in half the paragraphs and gets its form wrong once.
    lines = []
    for i, text in enumerate(TEXTS[:12]):
        labels = full_labels(text)
        for a in labels["attributions"]:
            del a["cue_stance"]  # a model that leaves the stance to the annotator (and so is no copy of gold)
        if i == 0:
            labels["attributions"][0]["source_form"] = "anonymous_unspecified"
        lines.append(json.dumps({"text_sha256": hashlib.sha256(text.encode()).hexdigest(), "labels": labels}))
    suggestions.import_suggestions(db, project, lines, source="half-model")
    rep = suggestion_report.report(db, project)
    by = {s["source"]: s for s in rep["sources"]}
    assert rep["gold_paragraphs"] == 24
    rules = by["rules"]["attributions"]
    assert (rules["precision"], rules["recall"], rules["matched"]) == (1.0, 1.0, 24)
    half = by["half-model"]["attributions"]
    assert (half["precision"], half["recall"], half["matched"], half["gold"]) == (1.0, 0.5, 12, 24)
    assert half["alpha"]["source_form"]["n"] == 12
    assert half["alpha"]["cue_stance"]["n"] == 0  # the model gives none: undefined, not 1
    assert half["alpha"]["record_status"]["value"] is None  # no variation: undefined, not 1


def test_share_comparison_with_and_without_suggestions(db, project, gold_project):
    project = suggestions.set_setting(db, project, source="rules", share=50)
    me = user(db, "annotator1")
    shown = []
    for pid, text in zip(gold_project, TEXTS, strict=True):
        paragraph = {"text_sha256": hashlib.sha256(text.encode()).hexdigest()}
        with_suggestions = suggestions.in_share(paragraph, 50)
        shown.append(with_suggestions)
        hand_over(db, project, "annotator1", pid)
        labels = full_labels(text)
        if with_suggestions:
            for a in labels["attributions"]:
                a["origin"] = "suggested"
        else:
            labels["attributions"][0]["cue_stance"] = "distancing"  # found by hand, one attribute differs
            labels["attributions"][0]["sources"] = []
        annotation.save(db, project, actor=me, paragraph_id=pid, labels=labels, version=0)
    assert 0 < sum(shown) < len(shown)  # both groups present
    rep = suggestion_report.report(db, project)
    with_, without = rep["share"]
    assert with_["group"] == "with suggestions" and without["group"] == "without suggestions"
    assert (with_["paragraphs"], without["paragraphs"]) == (sum(shown), len(shown) - sum(shown))
    assert with_["origins"] == {"suggested": sum(shown)}
    assert without["origins"] == {"manual": len(shown) - sum(shown)}
    assert with_["attributions"]["recall"] == 1.0 and without["attributions"]["recall"] == 1.0
    assert with_["attributions"]["alpha"]["cue_stance"]["value"] is None  # all agree: no variation
    assert without["attributions"]["alpha"]["cue_stance"]["n"] == len(shown) - sum(shown)


def test_the_agreement_page_shows_the_section(reviewer_client, db, project, gold_project):
    page = reviewer_client.get(f"/projects/{project['id']}/agreement")
    assert page.status_code == 200
    assert b'id="suggestion-sources"' in page.data and b'id="suggestion-share"' in page.data
    assert b"rules" in page.data


def test_scoring_matches_items_one_to_one():
    gold = full_labels(TEXTS[0])
    twice = copy.deepcopy(gold)
    twice["attributions"].append(copy.deepcopy(gold["attributions"][0]))
    result = score([(gold, twice)])["attributions"]
    assert (result["matched"], result["predicted"], result["precision"]) == (1, 2, 0.5)
    assert score([(gold, None)])["attributions"]["recall"] == 0.0
