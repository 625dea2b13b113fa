"""``annotator agreement``: the JSON shape from the database and from an ``all`` export, and its failures."""

import json

import pytest

from annotator.cli import cli
from tests.review_data import (
    LAVROV_REITERATED,
    LAVROV_STATED,
    SAMPLES,
    annotate,
    import_sample,
    reiterated_b,
    simple,
)

A, B = "annotator1", "annotator2"
KEYS = {"statistic", "value", "n", "reason", "unit"}


@pytest.fixture
def annotated(db, project):
    ids = import_sample(db, project)
    p3, p4 = ids["others"][:2]
    for pid, a, b in [
        (ids["stated"], LAVROV_STATED, LAVROV_STATED),
        (ids["reiterated"], LAVROV_REITERATED, reiterated_b()),
        (p3, simple("body"), simple("quote_only")),
        (p4, simple("headline"), simple("headline")),
    ]:
        annotate(db, pid, A, a)
        annotate(db, pid, B, b)
    return ids


def _export_lines(db):
    """The project's annotations in the ``all`` export's shape (paragraph_id, annotator, text, labels)."""
    rows = db.query(
        """select a.uid || '#p' || p.position as paragraph_id, u.name as annotator, p.text, n.labels
        from annotations n join users u on u.id = n.user_id join paragraphs p on p.id = n.paragraph_id
        join articles a on a.id = p.article_id order by a.uid, p.position, u.name"""
    )
    return "".join(json.dumps({**r, "labels": json.loads(r["labels"]), "seconds": 30}) + "\n" for r in rows)


def test_json_from_the_database(runner, annotated):
    result = runner.invoke(cli, ["agreement", "--project", "test", "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert set(out["fields"]) >= {
        "kind",
        "attributions.source_form",
        "claims.sourcing_strength",
        "framing.frames",
        "framing.primary_frame",
        "claims.span",
        "attributions.cue",
    }
    for res in out["fields"].values():
        assert set(res) == KEYS
    assert out["fields"]["kind"]["value"] == pytest.approx(10 / 17) and out["fields"]["kind"]["n"] == 4
    assert out["fields"]["attributions.cue"]["value"] == pytest.approx(0.8)
    assert out["annotators"] == [A, B] and f"{A}|{B}" in out["pairs"]
    assert out["n_multi"] == 4


def test_json_from_an_export_file_equals_the_database(runner, db, annotated, tmp_path):
    path = tmp_path / "all.jsonl"
    path.write_text(_export_lines(db), encoding="utf-8")
    from_db = json.loads(runner.invoke(cli, ["agreement", "--project", "test", "--json"]).output)
    result = runner.invoke(
        cli, ["agreement", "--from-jsonl", str(path), "--json", "--db", str(tmp_path / "none.db")]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["fields"] == from_db["fields"]
    assert not (tmp_path / "none.db").exists()  # no database involved


def test_from_stdin_and_as_a_table(runner, db, annotated):
    result = runner.invoke(cli, ["agreement", "--from-jsonl", "-"], input=_export_lines(db))
    assert result.exit_code == 0, result.output
    assert "4 of 4 paragraphs" in result.output
    line = next(x for x in result.output.splitlines() if x.startswith("kind "))
    assert "krippendorff_alpha_nominal" in line and "0.588" in line


def test_undefined_is_reported_with_its_reason(runner, tmp_path):
    path = tmp_path / "one.jsonl"
    path.write_text(
        json.dumps(
            {"paragraph_id": "x#p0", "annotator": A, "text": SAMPLES[0]["text"], "labels": LAVROV_STATED}
        )
        + "\n"
    )
    out = json.loads(runner.invoke(cli, ["agreement", "--from-jsonl", str(path), "--json"]).output)
    assert out["fields"]["kind"] == {
        "statistic": "krippendorff_alpha_nominal",
        "value": None,
        "n": 0,
        "reason": "only one annotator",
        "unit": "paragraph with two or more values",
    }


@pytest.mark.parametrize(
    "content, message",
    [
        (b'{"paragraph_id": "p", "annotator": "a", "labels": {}}\n{broken\n', "line 2: not JSON"),
        (b'{"paragraph_id": "p", "annotator": "a"}\n', "line 1: missing labels"),
        (b'{"paragraph_id": "p", "annotator": "a", "labels": {}}\n\xff\xfe\n', "line 2: not UTF-8"),
    ],
)
def test_a_bad_line_fails_in_one_line(runner, tmp_path, content, message):
    path = tmp_path / "bad.jsonl"
    path.write_bytes(content)
    result = runner.invoke(cli, ["agreement", "--from-jsonl", str(path)])
    assert result.exit_code == 1
    assert message in result.output and str(path) in result.output
    assert len(result.output.strip().splitlines()) == 1 and "Traceback" not in result.output


def test_needs_exactly_one_source(runner, db, tmp_path):
    assert runner.invoke(cli, ["agreement"]).exit_code == 2
    assert runner.invoke(cli, ["agreement", "--project", "x", "--from-jsonl", "-"]).exit_code == 2
    result = runner.invoke(cli, ["agreement", "--project", "nope"])
    assert result.exit_code == 1 and "no project named 'nope'" in result.output
