"""Helpers for the annotation tests: articles with given paragraphs, paragraphs handed to users, posting labels."""

import copy
import hashlib
import itertools
import json
from pathlib import Path

from annotator import queue
from annotator.store import articles as article_store
from annotator.store import users as user_store

REFERENCE = (
    Path(__file__).resolve().parent.parent / "annotator/samples/rt-2024-01-30-lavrov-weapons.labels.jsonl"
)
_serial = itertools.count()


def reference() -> list[dict]:
    return [json.loads(line) for line in REFERENCE.read_text(encoding="utf-8").splitlines() if line.strip()]


def add_article(db, project, texts, *, title="A title", outlet="Outlet", kinds=None) -> list[int]:
    """Insert an article with these paragraph texts; return the paragraph ids in order."""
    serial = next(_serial)
    sha = hashlib.sha256(f"annotate article {serial} {texts}".encode()).hexdigest()
    paragraphs = [
        {
            "position": i,
            "kind": kinds[i] if kinds else "body",
            "text": text,
            "text_sha256": hashlib.sha256(text.encode()).hexdigest(),
            "doc_char_start": 0,
            "queued": True,
        }
        for i, text in enumerate(texts)
    ]
    article = {
        "uid": f"t-{sha[:12]}",
        "source_format": "text",
        "raw_sha256": sha,
        "text_sha256": sha,
        "rank": article_store.next_article_rank(db, project["id"]),
        "title": title,
        "outlet": outlet,
        "published": "2024-01-30",
    }
    article_id = article_store.insert_article(
        db, project_id=project["id"], article=article, paragraphs=paragraphs, raw=b"", dropped=[]
    )
    return [p["id"] for p in article_store.list_paragraphs(db, article_id)]


def user(db, name):
    return user_store.get_user_by_name(db, name)


def hand_over(db, project, name, paragraph_id) -> None:
    """Lease the paragraph to the user, as the queue does when it offers it."""
    assert queue.renew(db, project, actor=user(db, name), paragraph_id=paragraph_id)


def worked(db, project, name="annotator1") -> tuple[list[int], list[dict]]:
    """Add the two worked-example paragraphs as an article, hand both to ``name``; return ids and records."""
    records = reference()
    ids = add_article(db, project, [r["text"] for r in records])
    for pid in ids:
        hand_over(db, project, name, pid)
    return ids, copy.deepcopy(records)


def post_labels(client, project, paragraph_id, labels, *, version=0, seconds=1.5, next_=False, headers=None):
    data = {
        "labels": labels if isinstance(labels, str) else json.dumps(labels),
        "version": str(version),
        "seconds": str(seconds),
    }
    if next_:
        data["next"] = "1"
    return client.post(
        f"/projects/{project['id']}/paragraphs/{paragraph_id}/annotation",
        data=data,
        headers={"Accept": "application/json", **(headers or {})},
    )
