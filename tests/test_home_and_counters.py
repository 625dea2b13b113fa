"""Counters that do not drift, and a home page with something to say to every role."""

import re

from annotator import queue
from tests.annotate_fixtures import add_article, post_labels


def _progress(html: str) -> str:
    found = re.search(r'<span class="progress" id="progress">(.*?)</span>', html, re.S)
    return re.sub(r"<[^>]+>", "", found.group(1)).strip()


def test_the_progress_line_stays_put_while_more_paragraphs_wait_than_are_counted(db, project, client_as):
    ids = add_article(db, project, [f"Paragraph number {i}." for i in range(queue.REMAINING_CAP + 5)])
    ann = client_as("annotator1")
    ann.get(f"/projects/{project['id']}/annotate")
    lines = []
    for pid in ids[:3]:
        response = post_labels(
            ann, project, pid, {"kind": "body"}, next_=True, headers={"HX-Request": "true"}
        )
        assert response.status_code == 200
        lines.append(_progress(response.get_data(as_text=True)))
    assert lines == [f"Done {n} · {queue.REMAINING_CAP}+ more to label" for n in (1, 2, 3)]


def test_the_progress_line_counts_down_to_the_end(db, project, client_as):
    ids = add_article(db, project, ["One.", "Two.", "Three."])
    ann = client_as("annotator1")
    ann.get(f"/projects/{project['id']}/annotate")
    first = post_labels(ann, project, ids[0], {"kind": "body"}, next_=True, headers={"HX-Request": "true"})
    second = post_labels(ann, project, ids[1], {"kind": "body"}, next_=True, headers={"HX-Request": "true"})
    assert [_progress(r.get_data(as_text=True)) for r in (first, second)] == ["Done 1 of 3", "Done 2 of 3"]


def test_home_shows_every_role_the_paragraphs_to_label_and_their_own_part(db, project, client_as):
    ids = add_article(db, project, ["One.", "Two.", "Three."])
    ann = client_as("annotator1")
    ann.get(f"/projects/{project['id']}/annotate")
    post_labels(ann, project, ids[0], {"kind": "body"})
    for name, done in (("annotator1", 1), ("reviewer", 0), ("admin", 0)):
        html = client_as(name).get("/").get_data(as_text=True)
        cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", html, re.S)]
        assert cells[3] == "3", (name, cells)
        assert cells[4].startswith(f"{done} done · "), (name, cells)


def test_an_admin_without_projects_is_offered_to_create_one(client_as):
    html = client_as("admin").get("/").get_data(as_text=True)
    assert "Ask an admin" not in html and 'href="/projects/new"' in html
    assert "Ask an admin to add you" in client_as("annotator1").get("/").get_data(as_text=True)
