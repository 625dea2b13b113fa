"""Helpers for the API tests: tokens per user, bearer headers, annotators labelling through the service."""

import json

from annotator import accounts, annotation, store, tokens

ARTICLES = [
    {
        "url": "https://news.example/a1",
        "title": "Talks will go on, minister says",
        "text": "The minister said on Monday that the talks would go on.\n\n"
        "Officials told reporters the next round was planned for March.",
    },
    {
        "url": "https://news.example/a2",
        "title": "Port reopens after storm",
        "text": "The port reopened on Tuesday, the harbour master said.\n\n"
        "Ships queued outside the breakwater for two days.",
    },
]


def articles_jsonl() -> bytes:
    return "".join(json.dumps(a) + "\n" for a in ARTICLES).encode()


def make_token(db_path: str, user_name: str, name: str = "script") -> str:
    db = store.connect(db_path)
    try:
        user = accounts.find_user(
            db, db.execute("select id from users where name = ?", [user_name]).fetchone()[0]
        )
        return tokens.create_token(db, owner=user, name=name)[1]
    finally:
        db.close()


def bearer(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}


def label_next(db_path: str, project_id: int, user_name: str) -> dict | None:
    """The user takes the next paragraph and saves its kind as the labels, as the task page would."""
    from annotator import projects

    db = store.connect(db_path)
    try:
        project = projects.get_project(db, project_id)
        user = accounts.find_user(
            db, db.execute("select id from users where name = ?", [user_name]).fetchone()[0]
        )
        paragraph = annotation.next_paragraph(db, project, actor=user)
        if paragraph is None:
            return None
        annotation.save(
            db,
            project=project,
            actor=user,
            paragraph_id=paragraph["id"],
            labels={"kind": paragraph["kind"]},
            version=0,
        )
        return paragraph
    finally:
        db.close()
