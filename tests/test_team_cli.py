"""``annotator stats``: the progress figures on the terminal and as JSON."""

import json

from annotator import queue
from annotator.cli import cli
from annotator.store import users
from tests.test_queue import add_articles


def test_stats_text_and_json(runner, db, project):
    (ids,) = add_articles(db, project, [3])
    a1 = users.get_user_by_name(db, "annotator1")
    queue.next_paragraph(db, project, actor=a1)
    queue.complete(db, project, actor=a1, paragraph_id=ids[0])
    result = runner.invoke(cli, ["stats", "--project", "test"])
    assert result.exit_code == 0, result.output
    assert "test: 3 paragraphs to label, overlap 2" in result.output
    assert "1 annotations         1" in result.output
    assert "annotator1" in result.output
    result = runner.invoke(cli, ["stats", "--project", "test", "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    assert figures["by_annotations"] == [
        {"annotations": 0, "paragraphs": 2},
        {"annotations": 1, "paragraphs": 1},
        {"annotations": 2, "paragraphs": 0},
    ]
    assert {a["name"]: a["done"] for a in figures["annotators"]}["annotator1"] == 1


def test_stats_unknown_project_is_one_line(runner, db, project):
    result = runner.invoke(cli, ["stats", "--project", "nope"])
    assert result.exit_code == 1
    assert result.output.strip() == "Error: no project named 'nope'"
    assert "Traceback" not in result.output


def test_stats_needs_a_project(runner, db):
    result = runner.invoke(cli, ["stats"])
    assert result.exit_code == 2 and "--project" in result.output
