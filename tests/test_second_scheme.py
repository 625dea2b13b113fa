"""A project on a second scheme is labelled and scored on that scheme's fields, end to end.

tests/data/newsverdict-2.toml is newsattr-1 with values renamed, ``claims[].decontextualized`` removed
and a core ``claims[].verdict`` choice added. Its annotate page offers its values, a save is checked
against it, and agreement (the CLI, the page, the review diff, the queue's disagreement) compares its
fields: a disagreement on ``verdict`` alone is a disagreement.
"""

from __future__ import annotations

import copy
import json

import pytest

from annotator import agreement, review
from annotator import projects as project_service
from annotator.cli import cli
from annotator.scheme import load_scheme
from annotator.store import annotations as annotation_store
from tests.annotate_fixtures import add_article, hand_over, post_labels, reference, user
from tests.second_scheme_data import SECOND, second_labels


@pytest.fixture
def second(db, runner):
    result = runner.invoke(
        cli, ["projects", "add", "second", "--scheme", str(SECOND), "--overlap", "2", "--extended", "all"]
    )
    assert result.exit_code == 0, result.output
    project = project_service.get_project_by_name(db, "second")
    for name, role in (("annotator1", "annotator"), ("annotator2", "annotator"), ("reviewer", "reviewer")):
        project_service.add_member(db, project, name, role=role)
    project = project_service.get_project(db, project["id"])
    records = reference()
    ids = add_article(db, project, [r["text"] for r in records])
    return project, ids, records


def _labelled(client_as, db, second, verdicts=("refuted", "supported")):
    """annotator1 and annotator2 save the worked example, differing only in their claims' verdict."""
    project, ids, records = second
    for name, verdict in zip(("annotator1", "annotator2"), verdicts, strict=True):
        client = client_as(name)
        for pid, rec in zip(ids, records, strict=True):
            hand_over(db, project, name, pid)
            response = post_labels(client, project, pid, second_labels(copy.deepcopy(rec["labels"]), verdict))
            assert response.status_code == 200, response.json
    return project, ids, records


def test_the_annotate_page_offers_the_second_schemes_fields_and_values(client_as, db, second):
    project, ids, _ = second
    hand_over(db, project, "annotator1", ids[0])
    page = (
        client_as("annotator1").get(f"/projects/{project['id']}/paragraphs/{ids[0]}").get_data(as_text=True)
    )
    assert "claims[].verdict" in page and '"refuted"' in page and '"check_worthy"' in page
    assert "claims[].decontextualized" not in page and '"CFS"' not in page


def test_a_save_is_checked_against_the_second_scheme(client_as, db, second):
    project, ids, records = second
    ann = client_as("annotator1")
    hand_over(db, project, "annotator1", ids[0])
    # newsattr-1's labels: its values and its decontextualized field are not this scheme's
    response = post_labels(ann, project, ids[0], records[0]["labels"])
    assert response.status_code == 400
    errors = {(e["path"], e["code"]) for e in response.json["errors"]}
    assert ("claims[0].checkworthiness", "value") in errors
    assert ("claims[0].decontextualized", "unknown") in errors
    assert annotation_store.find_annotation(db, ids[0], user(db, "annotator1")["id"]) is None

    response = post_labels(
        ann, project, ids[0], second_labels(copy.deepcopy(records[0]["labels"]), "refuted")
    )
    assert response.status_code == 200, response.json
    saved = annotation_store.find_annotation(db, ids[0], user(db, "annotator1")["id"])
    assert {c["verdict"] for c in saved["labels"]["claims"]} == {"refuted"}


def test_agreement_compares_the_second_schemes_fields(client_as, db, runner, second):
    project, ids, _ = _labelled(client_as, db, second)

    result = runner.invoke(cli, ["agreement", "--project", "second", "--json"])
    assert result.exit_code == 0, result.output
    fields = json.loads(result.output)["fields"]
    verdict = fields["claims.verdict"]
    assert verdict["n"] > 0 and verdict["value"] is not None and verdict["value"] < 0
    assert fields["claims.checkworthiness"]["value"] == 1.0
    assert not any("decontextualized" in path for path in fields)

    # verdicts differ and nothing else: a real disagreement, not the residual of unweighed fields
    item = review.review_item(db, project, ids[0])
    assert item["disagreement"] > agreement.RESIDUAL
    row = item["diff"]["claims"][0]["fields"]
    assert row["verdict"]["differ"] and not row["verdict"].get("free_text")
    order = list(row)
    assert order.index("sourcing_strength") < order.index("verdict") < order.index("claim_category")
    assert review.refresh(db, project).get("open") == len(ids)
    assert db.execute("select max(disagreement) from review_items").fetchone()[0] > agreement.RESIDUAL

    page = client_as("reviewer").get(f"/projects/{project['id']}/agreement").get_data(as_text=True)
    assert "claims.verdict" in page and "decontextualized" not in page


def test_agreeing_on_the_second_scheme_is_unanimous(client_as, db, second):
    project, ids, _ = _labelled(client_as, db, second, verdicts=("refuted", "refuted"))
    item = review.review_item(db, project, ids[0])
    assert item["disagreement"] == 0.0
    assert review.agreement_report(db, project)["fields"]["claims.verdict"]["value"] is None  # one value only


def test_cached_counts_are_kept_per_scheme(client_as, db, second):
    project, _, _ = _labelled(client_as, db, second)
    review.agreement_report(db, project)
    assert review.reports.stale_chunks(db, project) == 0
    # the same annotations under another scheme's field lists: none of the kept counts may be reused
    db.execute("update projects set scheme = 'newsattr-1' where id = ?", [project["id"]])
    other = project_service.get_project(db, project["id"])
    assert review.reports.stale_chunks(db, other) >= 1
    report = review.agreement_report(db, other)
    assert "claims.verdict" not in report["fields"]
    assert review.reports.stale_chunks(db, other) == 0


def test_an_export_of_the_second_scheme_is_scored_with_its_file(client_as, db, runner, second, tmp_path):
    _labelled(client_as, db, second)
    out = tmp_path / "out"
    result = runner.invoke(
        cli, ["export", "--project", "second", "--view", "all", "--out", str(out), "--split", "none"]
    )
    assert result.exit_code == 0, result.output
    path = str(out / "all.jsonl")
    # the records name a scheme that is not shipped: say so rather than score it as another scheme
    result = runner.invoke(cli, ["agreement", "--from-jsonl", path])
    assert result.exit_code != 0 and "newsverdict-2" in result.output and "--scheme" in result.output
    result = runner.invoke(cli, ["agreement", "--from-jsonl", path, "--scheme", str(SECOND), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["fields"]["claims.verdict"]["n"] > 0


def test_the_field_lists_are_read_off_the_scheme():
    default = agreement.layout_of()
    assert default.claim_fields == (
        "checkworthiness",
        "sourcing_strength",
        "claim_category",
        "source_commitment",
    )
    assert default.free_text == ("decontextualized", "notes")
    second = agreement.layout_of(load_scheme(SECOND))
    assert second.claim_fields[:3] == ("checkworthiness", "sourcing_strength", "verdict")
    assert second.claim_core == 3 and second.free_text == ("notes",)
    assert second.key != default.key
    assert review.reports.chunk_fingerprint(second) != review.reports.chunk_fingerprint(default)
    with pytest.raises(ValueError, match="cannot be merged"):
        agreement.FieldAccumulator().merge(agreement.FieldAccumulator(load_scheme(SECOND)))


def test_a_scheme_agreement_cannot_score_is_refused_when_the_project_is_made(db, tmp_path):
    from annotator.errors import Invalid

    lines = SECOND.read_text(encoding="utf-8").splitlines()
    # the same file without the framing span role (its table runs up to the next [[span_roles]])
    start = next(i for i, line in enumerate(lines) if line.strip() == 'name = "framing"') - 1
    end = next(i for i in range(start + 1, len(lines)) if lines[i].startswith("[["))
    path = tmp_path / "no-framing.toml"
    path.write_text("\n".join(lines[:start] + lines[end:]) + "\n", encoding="utf-8")
    assert "framing" not in [r.name for r in load_scheme(path).span_roles]
    with pytest.raises(Invalid, match="framing.framing_spans"):
        project_service.create_project(db, "no-framing", scheme=str(path), overlap=2)
    assert project_service.find_project_by_name(db, "no-framing") is None
