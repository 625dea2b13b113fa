"""Suggestion sources: importing a model's labels, the project's choice, provenance of saved items."""

import copy
import hashlib
import json

import pytest

from annotator import annotation, projects, suggestions
from annotator.cli import cli
from annotator.errors import Invalid
from annotator.scheme import validate
from annotator.store import articles as article_store
from tests.annotate_fixtures import add_article, hand_over, reference, user


@pytest.fixture
def example(db, project):
    """The worked example's two paragraphs as an article of the project; returns their ids."""
    return add_article(db, project, [r["text"] for r in reference()])


def sha(text):
    return hashlib.sha256(text.encode()).hexdigest()


def write_jsonl(path, records):
    path.write_text(
        "".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in records)
    )
    return path


def model_lines():
    return [{"text_sha256": sha(r["text"]), "labels": r["labels"]} for r in reference()]


def test_import_suggestions_then_choose_the_source(runner, db, project, example, tmp_path):
    path = write_jsonl(tmp_path / "model.jsonl", model_lines())
    result = runner.invoke(cli, ["import-suggestions", str(path), "--project", "test", "--source", "model-a"])
    assert result.exit_code == 0, result.output
    assert "Imported 2 paragraph suggestions as source 'model-a'" in result.output
    listed = runner.invoke(cli, ["suggestion-source", "--project", "test"]).output
    assert "test: none on 100% of paragraphs" in listed and "model-a (imported, 2 paragraphs)" in listed
    result = runner.invoke(cli, ["suggestion-source", "model-a", "--project", "test", "--share", "100"])
    assert result.exit_code == 0, result.output
    project = projects.get_project_by_name(db, "test")
    paragraph = article_store.get_paragraph(db, example[0])
    offered = suggestions.for_paragraph(db, project, paragraph)
    assert offered == {"source": "model-a", "labels": reference()[0]["labels"]}
    # The rules instead: computed from the text.
    runner.invoke(cli, ["suggestion-source", "rules", "--project", "test"])
    project = projects.get_project_by_name(db, "test")
    offered = suggestions.for_paragraph(db, project, paragraph)
    assert offered["source"] == "rules"
    assert offered["labels"]["attributions"][0]["cue"]["text"] == "stated"


def test_a_bad_line_imports_nothing_and_names_line_and_field(runner, db, project, example, tmp_path):
    good = model_lines()
    bad_value = copy.deepcopy(good[1])
    bad_value["labels"]["attributions"][0]["source_form"] = "a rumour"
    lines = [
        good[0],
        {"paragraph_id": "nowhere#p0", "labels": {}},
        bad_value,
        "{not json",
        {"text_sha256": sha(reference()[0]["text"])},
    ]
    path = write_jsonl(tmp_path / "bad.jsonl", lines)
    result = runner.invoke(cli, ["import-suggestions", str(path), "--project", "test", "--source", "m"])
    assert result.exit_code == 1
    assert "nothing imported" in result.output
    assert "line 2, field paragraph_id: no paragraph 'nowhere#p0'" in result.output
    assert "line 3, field labels.attributions[0].source_form" in result.output
    assert "line 4: not JSON" in result.output
    assert "line 5, field labels: must be a labels object" in result.output
    assert db.execute("select count(*) from suggestions").fetchone()[0] == 0


def test_paragraph_ids_as_exported_and_a_new_import_replaces_the_source(db, project, example):
    uid = db.execute("select uid from articles").fetchone()[0]
    first = [json.dumps({"paragraph_id": f"{uid}#p1", "labels": {"kind": "body"}})]
    assert suggestions.import_suggestions(db, project, first, source="m")["paragraphs"] == 1
    second = [json.dumps({"paragraph_id": f"{uid}#p0", "labels": {"kind": "body", "notes": "x"}})]
    suggestions.import_suggestions(db, project, second, source="m")
    rows = db.execute("select paragraph_id, labels from suggestions").fetchall()
    assert rows == [(example[0], json.dumps({"kind": "body", "notes": "x"}))]


@pytest.mark.parametrize("name", ["rules", "none", "", "a b", "x" * 65])
def test_reserved_and_odd_source_names_are_refused(db, project, example, name):
    with pytest.raises(Invalid, match="source name"):
        suggestions.import_suggestions(db, project, [json.dumps(model_lines()[0])], source=name)


def test_choosing_an_unknown_source_or_share_is_refused(db, project):
    with pytest.raises(Invalid, match="no suggestion source 'nope'"):
        suggestions.set_setting(db, project, source="nope")
    with pytest.raises(Invalid, match="share"):
        suggestions.set_setting(db, project, source="rules", share=101)
    assert suggestions.setting(project) == {"source": "none", "share": 100}


def test_blindness_annotators_labels_cannot_become_suggestions(runner, db, project, example, tmp_path):
    """Suggestions never carry another annotator's labels: an `all` export, or lines equal to an
    annotator's saved labels, are refused; the rules read only the text."""
    hand_over(db, project, "annotator1", example[0])
    saved = reference()[0]["labels"]
    annotation.save(
        db, project, actor=user(db, "annotator1"), paragraph_id=example[0], labels=saved, version=0
    )
    out = tmp_path / "all"
    runner.invoke(cli, ["export", "--project", "test", "--view", "all", "--out", str(out), "--split", "none"])
    result = runner.invoke(
        cli, ["import-suggestions", str(out / "all.jsonl"), "--project", "test", "--source", "leak"]
    )
    assert result.exit_code == 1
    assert "field annotator: suggestions come from a model" in result.output
    copied = write_jsonl(tmp_path / "copy.jsonl", [model_lines()[0]])
    result = runner.invoke(cli, ["import-suggestions", str(copied), "--project", "test", "--source", "leak"])
    assert "line 1, field labels: equal to an annotator's saved labels" in result.output
    assert db.execute("select count(*) from suggestions").fetchone()[0] == 0
    # The rules offer the same to annotator2 whatever annotator1 saved.
    suggestions.set_setting(db, project, source="rules")
    project = projects.get_project(db, project["id"])
    paragraph = article_store.get_paragraph(db, example[0])
    offered = suggestions.for_paragraph(db, project, paragraph)["labels"]
    assert offered == {"attributions": suggestions.suggest_paragraph(paragraph["text"], "en")}
    assert "supplement" not in json.dumps(offered) and saved["claims"][0][
        "decontextualized"
    ] not in json.dumps(offered)


def test_the_share_is_chosen_by_a_hash_of_the_text():
    paragraphs = [{"text_sha256": sha(f"paragraph {i}")} for i in range(2000)]
    shown = [p for p in paragraphs if suggestions.in_share(p, 30)]
    assert 0.25 < len(shown) / len(paragraphs) < 0.35
    assert shown == [p for p in paragraphs if suggestions.in_share(p, 30)]
    assert all(suggestions.in_share(p, 100) for p in paragraphs[:50])
    assert not any(suggestions.in_share(p, 0) for p in paragraphs[:50])
    # A larger share shows a superset: raising it never hides a paragraph that had suggestions.
    assert {p["text_sha256"] for p in shown} <= {
        p["text_sha256"] for p in paragraphs if suggestions.in_share(p, 60)
    }


def test_saved_items_record_their_origin(db, project, example):
    suggestions.import_suggestions(db, project, [json.dumps(model_lines()[0])], source="m")
    project = suggestions.set_setting(db, project, source="m")
    hand_over(db, project, "annotator1", example[0])
    labels = copy.deepcopy(reference()[0]["labels"])
    labels["attributions"][0]["origin"] = "suggested"
    labels["claims"][0]["origin"] = "suggested"
    labels["claims"][0]["checkworthiness"] = "UFS"  # edited after accepting
    extra = copy.deepcopy(labels["attributions"][0])
    del extra["origin"]
    extra.update(id="a2", cue_stance="distancing")
    labels["attributions"].append(extra)
    me = user(db, "annotator1")
    annotation.save(db, project, actor=me, paragraph_id=example[0], labels=labels, version=0)
    saved, _ = annotation.saved_labels(db, project, actor=me, paragraph_id=example[0])
    assert [a["origin"] for a in saved["attributions"]] == ["suggested", "manual"]
    assert saved["claims"][0]["origin"] == "suggested_edited"


def test_origin_values_are_checked_by_the_scheme(project):
    scheme = annotation.scheme_for(project)
    labels = copy.deepcopy(reference()[0]["labels"])
    labels["attributions"][0]["origin"] = "guessed"
    errors = validate(labels, reference()[0]["text"], scheme)
    assert [(e.path, e.code) for e in errors] == [("attributions[0].origin", "value")]


def test_the_settings_page_chooses_the_source(admin_client, annotator_client, db, project, example):
    suggestions.import_suggestions(db, project, [json.dumps(model_lines()[0])], source="model-a")
    page = admin_client.get(f"/projects/{project['id']}/settings")
    assert b'id="suggestion-settings"' in page.data and b"model-a (imported, 1 paragraphs)" in page.data
    url = f"/projects/{project['id']}/suggestions"
    response = admin_client.post(url, data={"source": "model-a", "share": "40"})
    assert response.status_code == 302
    assert suggestions.setting(projects.get_project(db, project["id"])) == {"source": "model-a", "share": 40}
    bad = admin_client.post(url, data={"source": "elsewhere", "share": "40"})
    assert bad.status_code == 400 and b"Suggestions not changed" in bad.data
    bad = admin_client.post(url, data={"source": "rules", "share": "140"})
    assert bad.status_code == 400
    assert suggestions.setting(projects.get_project(db, project["id"])) == {"source": "model-a", "share": 40}
    assert annotator_client.post(url, data={"source": "none", "share": "100"}).status_code == 403


def test_blindness_the_page_offers_annotator2_the_source_not_annotator1s_labels(
    client_as, db, project, example
):
    """With the rules shown, annotator1's saved labels change nothing in what annotator2 is offered."""
    project = suggestions.set_setting(db, project, source="rules")
    for name in ("annotator1", "annotator2"):
        hand_over(db, project, name, example[0])
    url = f"/projects/{project['id']}/paragraphs/{example[0]}"

    def offered(name):
        html = client_as(name).get(url).get_data(as_text=True)
        tag = '<script type="application/json" id="task-data"'
        start = html.index(">", html.index(tag)) + 1
        return json.loads(html[start : html.index("</script>", start)])["suggestions"]

    before = offered("annotator2")
    mine = copy.deepcopy(reference()[0]["labels"])
    annotation.save(
        db, project, actor=user(db, "annotator1"), paragraph_id=example[0], labels=mine, version=0
    )
    after = offered("annotator2")
    assert (
        before
        == after
        == {
            "source": "rules",
            "labels": {"attributions": suggestions.suggest_paragraph(reference()[0]["text"], "en")},
        }
    )
    assert "supplement" not in json.dumps(after)  # annotator1 marked one; the rules never do


def test_provenance_is_no_disagreement(db, project, example):
    """Two annotators with the same labels agree, whether they accepted a suggestion or typed it."""
    suggestions.import_suggestions(db, project, [json.dumps(model_lines()[0])], source="m")
    project = suggestions.set_setting(db, project, source="m")
    accepted = copy.deepcopy(reference()[0]["labels"])
    for name in ("attributions", "claims"):
        for item in accepted[name]:
            item["origin"] = "suggested"
    for name, labels in (("annotator1", accepted), ("annotator2", reference()[0]["labels"])):
        hand_over(db, project, name, example[0])
        annotation.save(db, project, actor=user(db, name), paragraph_id=example[0], labels=labels, version=0)
    assert db.execute("select source from decisions where paragraph_id = ?", [example[0]]).fetchone() == (
        "unanimous",
    )


def test_gold_holds_labels_without_their_origins(db, project, example):
    """Where an item came from is one annotator's work: unanimous gold made of two accepted suggestions has none."""
    from annotator import review

    suggestions.import_suggestions(db, project, [json.dumps(model_lines()[0])], source="m")
    suggestions.set_setting(db, project, source="m", share=100)
    project = projects.get_project(db, project["id"])
    labels = reference()[0]["labels"]
    stamped = copy.deepcopy(labels)
    for item in stamped["attributions"] + stamped["claims"]:
        item["origin"] = "suggested"
    for name in ("annotator1", "annotator2"):
        hand_over(db, project, name, example[0])
        annotation.save(db, project, actor=user(db, name), paragraph_id=example[0], labels=stamped, version=0)
    gold = review.review_item(db, project, example[0])
    decision = db.execute("select labels from decisions where paragraph_id = ?", [example[0]]).fetchone()
    assert decision is not None, gold
    assert '"origin"' not in decision[0]
    saved = db.execute("select labels from annotations where paragraph_id = ?", [example[0]]).fetchall()
    assert all('"origin"' in row[0] for row in saved)
