"""The team pages: create a project, settings, members, pause, release, progress, who is working now."""

import re

import pytest

from annotator import create_app, queue
from annotator import projects as project_service
from annotator.store import users
from tests.conftest import password_of
from tests.test_queue import add_articles

HX = {"HX-Request": "true"}


def test_create_project_in_the_browser(admin_client, db):
    page = admin_client.get("/projects/new")
    assert page.status_code == 200 and b'name="kinds"' in page.data and b"newsattr-1" in page.data
    response = admin_client.post(
        "/projects/new",
        data={
            "name": "news",
            "scheme": "newsattr-1",
            "overlap": "3",
            "kinds": ["headline", "body"],
            "order": "shuffle",
            "seed": "42",
            "extended": "all",
        },
    )
    assert response.status_code == 302
    project = project_service.get_project_by_name(db, "news")
    assert response.headers["Location"].endswith(f"/projects/{project['id']}/settings")
    assert project["overlap"] == 3
    assert project["settings"]["kinds"] == ["headline", "body"]
    assert project["settings"]["order"] == "shuffle" and project["settings"]["seed"] == 42
    assert project["settings"]["extended"] == "all"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", "overlap": "2", "seed": "0"}, b"This field is required"),
        ({"name": "x", "overlap": "0", "seed": "0"}, b"Number must be"),
        ({"name": "x", "overlap": "2", "seed": "0", "scheme": "nope"}, b"Not a valid choice"),
        ({"name": "x", "overlap": "2", "seed": "0", "extended": "no_such_field"}, b"cannot load scheme"),
    ],
)
def test_create_project_refuses_bad_input(admin_client, data, message):
    response = admin_client.post("/projects/new", data={"scheme": "newsattr-1", "order": "article", **data})
    assert response.status_code == 400
    assert message in response.data


def test_a_taken_name_is_a_conflict(admin_client, project):
    response = admin_client.post(
        "/projects/new",
        data={"name": "test", "scheme": "newsattr-1", "overlap": "2", "order": "article", "seed": "0"},
    )
    assert response.status_code == 409 and b"already exists" in response.data


def test_settings_page_and_save(admin_client, db, project):
    page = admin_client.get(f"/projects/{project['id']}/settings")
    assert page.status_code == 200
    assert b'id="members"' in page.data and b"annotator1" in page.data and b'id="working"' in page.data
    response = admin_client.post(
        f"/projects/{project['id']}/settings",
        data={
            "overlap": "3",
            "kinds": ["body"],
            "order": "article",
            "seed": "0",
            "lease_minutes": "45",
            "feedback": "y",
        },
    )
    assert response.status_code == 302
    saved = project_service.get_project(db, project["id"])
    assert saved["overlap"] == 3 and saved["settings"]["kinds"] == ["body"]
    assert saved["settings"]["lease_minutes"] == 45 and saved["settings"]["feedback"] is True
    assert saved["settings"]["auto_gold_unanimous"] is False and saved["paused"] == 0
    bad = admin_client.post(f"/projects/{project['id']}/settings", data={"overlap": "99"})
    assert bad.status_code == 400 and b"Number must be" in bad.data


def test_pause_and_resume(admin_client, db, project):
    assert admin_client.post(f"/projects/{project['id']}/pause", data={"paused": "y"}).status_code == 302
    paused = project_service.get_project(db, project["id"])
    assert paused["paused"] == 1
    assert b"is <strong>paused</strong>" in admin_client.get(f"/projects/{project['id']}/settings").data
    add_articles(db, paused, [1])
    with pytest.raises(queue.Paused):
        queue.next_paragraph(db, paused, actor=users.get_user_by_name(db, "annotator1"))
    assert admin_client.post(f"/projects/{project['id']}/pause", data={}).status_code == 302
    assert project_service.get_project(db, project["id"])["paused"] == 0


def test_members_add_and_remove(admin_client, db, project):
    project_service.remove_member(db, project, "annotator2")
    response = admin_client.post(
        f"/projects/{project['id']}/members", data={"name": "annotator2", "role": "reviewer"}
    )
    assert response.status_code == 302
    roles = {m["name"]: m["role"] for m in project_service.list_members(db, project)}
    assert roles["annotator2"] == "reviewer"
    unknown = admin_client.post(
        f"/projects/{project['id']}/members", data={"name": "nobody", "role": "annotator"}
    )
    assert unknown.status_code == 404 and b"no user named" in unknown.data
    assert admin_client.post(f"/projects/{project['id']}/members/annotator2/remove").status_code == 302
    assert "annotator2" not in {m["name"] for m in project_service.list_members(db, project)}


def test_release_a_users_leases(admin_client, db, project):
    add_articles(db, project, [2])
    a1 = users.get_user_by_name(db, "annotator1")
    queue.next_paragraph(db, project, actor=a1)
    working = admin_client.get(f"/projects/{project['id']}/working", headers=HX)
    assert working.data.lstrip().startswith(b'<section id="working"') and b"annotator1" in working.data
    assert b"<html" not in working.data
    assert admin_client.post(f"/projects/{project['id']}/members/annotator1/release").status_code == 302
    assert queue.find_assignment(db, paragraph_id=1, annotator=a1) is None
    assert b"Nobody holds a lease" in admin_client.get(f"/projects/{project['id']}/working", headers=HX).data


def test_progress_page_and_fragment(reviewer_client, db, project):
    (ids,) = add_articles(db, project, [3])
    a1 = users.get_user_by_name(db, "annotator1")
    queue.next_paragraph(db, project, actor=a1)
    queue.complete(db, project, actor=a1, paragraph_id=ids[0])
    page = reviewer_client.get(f"/projects/{project['id']}/progress")
    assert page.status_code == 200 and b"<html" in page.data
    assert b'<svg id="daily-chart"' in page.data and b"<rect" in page.data
    assert re.search(rb"<strong>0</strong> of 3 paragraphs", page.data)
    assert b'data-annotator="annotator1"' in page.data
    fragment = reviewer_client.get(f"/projects/{project['id']}/progress", headers=HX)
    assert fragment.data.lstrip().startswith(b'<section id="progress"') and b"<html" not in fragment.data
    assert "HX-Request" in fragment.headers["Vary"]


def test_annotators_cannot_see_progress_and_non_members_see_nothing(client_as, db, project):
    assert client_as("annotator1").get(f"/projects/{project['id']}/progress").status_code == 403
    project_service.remove_member(db, project, "reviewer")
    assert client_as("reviewer").get(f"/projects/{project['id']}/progress").status_code == 403
    # A project-level reviewer with an annotator account is still held to the account role.
    project_service.add_member(db, project, "annotator2", role="reviewer")
    assert client_as("annotator2").get(f"/projects/{project['id']}/progress").status_code == 403


def test_unknown_project_is_404(admin_client):
    assert admin_client.get("/projects/999/settings").status_code == 404
    assert admin_client.get("/projects/999/progress").status_code == 404


@pytest.mark.parametrize(
    ("method", "path", "role"),
    [
        ("GET", "/projects/new", "admin"),
        ("POST", "/projects/new", "admin"),
        ("GET", "/projects/{id}/settings", "admin"),
        ("POST", "/projects/{id}/settings", "admin"),
        ("POST", "/projects/{id}/pause", "admin"),
        ("POST", "/projects/{id}/members", "admin"),
        ("POST", "/projects/{id}/members/annotator1/remove", "admin"),
        ("POST", "/projects/{id}/members/annotator1/release", "admin"),
        ("GET", "/projects/{id}/working", "admin"),
        ("GET", "/projects/{id}/progress", "reviewer"),
    ],
)
def test_roles(client_as, app, project, method, path, role):
    url = path.format(id=project["id"])
    assert app.test_client().open(url, method=method).status_code == 302
    for name, held in (("annotator1", "annotator"), ("reviewer", "reviewer"), ("admin", "admin")):
        status = client_as(name).open(url, method=method).status_code
        allowed = ["annotator", "reviewer", "admin"].index(held) >= ["annotator", "reviewer", "admin"].index(
            role
        )
        assert (status != 403 and status < 500) if allowed else status == 403, (name, status)


def test_post_without_csrf_is_refused(db, db_path, project):
    app = create_app({"TESTING": True, "DB": db_path, "SECRET_KEY": "x", "WTF_CSRF_ENABLED": True})
    client = app.test_client()
    token = re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', client.get("/login").data).group(1)
    login = client.post(
        "/login", data={"name": "admin", "password": password_of("admin"), "csrf_token": token.decode()}
    )
    assert login.status_code == 302
    response = client.post(f"/projects/{project['id']}/pause", data={"paused": "y"})
    assert response.status_code == 400
    assert project_service.get_project(db, project["id"])["paused"] == 0


def test_a_paused_project_shows_annotators_a_paused_page(admin_client, client_as, db, project):
    add_articles(db, project, [2])
    annotator = client_as("annotator1")
    admin_client.post(f"/projects/{project['id']}/pause", data={"paused": "y"})
    page = annotator.get(f"/projects/{project['id']}/annotate")
    assert page.status_code == 200
    assert b"is paused" in page.data and b"No paragraph is waiting" not in page.data
    admin_client.post(f"/projects/{project['id']}/pause", data={})
    resumed = annotator.get(f"/projects/{project['id']}/annotate")
    assert resumed.status_code == 303 and "/paragraphs/" in resumed.headers["Location"]
