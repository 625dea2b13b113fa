"""Shared set-up of the annotate browser tests: a project of their own, paragraphs handed to a user, key counting."""

import json
from pathlib import Path

import pytest

from annotator import queue, store
from annotator.store import users
from tests.browser.conftest import sample_project

REFERENCE = (
    Path(__file__).resolve().parents[2] / "annotator/samples/rt-2024-01-30-lavrov-weapons.labels.jsonl"
)


def reference() -> list[dict]:
    return [json.loads(line) for line in REFERENCE.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="session")
def kbd_project(live_db):
    """A project holding the sample article, overlap 4 so every test user can take every paragraph."""
    return sample_project(live_db, "kbd", overlap=4)


def hand_over(live_db, project: dict, user_name: str, text_start: str) -> int:
    """Lease the paragraph starting with ``text_start`` to the user; return its id."""
    db = store.connect(live_db)
    try:
        user = users.get_user_by_name(db, user_name)
        row = db.execute(
            "select id from paragraphs where project_id = ? and text like ? order by position",
            [project["id"], text_start + "%"],
        ).fetchone()
        queue.renew(db, project, actor=user, paragraph_id=row[0])
        return row[0]
    finally:
        db.close()


def stored(live_db, paragraph_id: int, user_name: str) -> dict | None:
    db = store.connect(live_db)
    try:
        row = db.execute(
            """select n.labels, n.version, n.seconds from annotations n join users u on u.id = n.user_id
            where n.paragraph_id = ? and u.name = ?""",
            [paragraph_id, user_name],
        ).fetchone()
        return None if row is None else {"labels": json.loads(row[0]), "version": row[1], "seconds": row[2]}
    finally:
        db.close()


class Find:
    """``/`` then the start of a word, then Enter (jump) or Shift+Enter (extend the selection to it)."""

    def __init__(self, prefix: str, extend: bool = False):
        self.prefix, self.extend = prefix, extend


class Type:
    """Free text typed into a field, one keystroke per character."""

    def __init__(self, text: str):
        self.text = text


class Keys:
    """Presses keys on the page and counts them: a chord is one keystroke, typed text one per character.

    ``k("ArrowLeft", Find("Tu", extend=True), "p", Type("text"))`` runs the steps in order.
    """

    def __init__(self, page):
        self.page = page
        self.count = 0
        self.typed = 0

    def __call__(self, *steps) -> None:
        for step in steps:
            if isinstance(step, Find):
                self.find(step.prefix, step.extend)
            elif isinstance(step, Type):
                self.type(step.text)
            else:
                self.page.keyboard.press(step)
                self.count += 1

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)
        self.count += len(text)
        self.typed += len(text)

    def find(self, prefix: str, extend: bool = False) -> None:
        self("/")
        self.type(prefix)
        self.typed -= len(prefix)  # search text is navigation, not content
        self("Shift+Enter" if extend else "Enter")
