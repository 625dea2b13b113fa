"""Project settings: one typed value whose defaults fill what a stored project lacks, and unknown keys kept."""

import json

from annotator import projects as project_service
from annotator import team
from annotator.project_settings import Settings


def test_a_project_stored_without_settings_reads_the_defaults(db):
    project = project_service.create_project(db, "old")
    with db.conn:
        db.execute("update projects set settings = '{}' where id = ?", [project["id"]])
    settings = project_service.get_project(db, project["id"])["settings"]
    assert settings == Settings()
    assert (settings.lease_minutes, settings.auto_gold_unanimous, settings.feedback) == (30, True, False)
    assert settings.kinds == ["headline", "standfirst", "caption", "body"] and settings["order"] == "article"


def test_keys_a_newer_annotator_wrote_survive_a_settings_change(db):
    project = project_service.create_project(db, "newer")
    stored = {**Settings().to_dict(), "future_option": {"x": 1}}
    with db.conn:
        db.execute("update projects set settings = ? where id = ?", [json.dumps(stored), project["id"]])
    project = project_service.get_project(db, project["id"])
    assert project["settings"]["future_option"] == {"x": 1}
    team.update_settings(db, project, lease_minutes=9)
    row = json.loads(db.execute("select settings from projects where id = ?", [project["id"]]).fetchone()[0])
    assert row["future_option"] == {"x": 1} and row["lease_minutes"] == 9


def test_settings_read_like_the_json_object_they_are_stored_as():
    s = Settings.from_mapping({"kinds": ("body",), "extended": "all"})
    assert s.kinds == ["body"]
    assert {**s}["extended"] == "all" and s.get("missing") is None
    assert Settings.from_mapping(json.loads(json.dumps(s.to_dict()))) == Settings.from_mapping(s.to_dict())
