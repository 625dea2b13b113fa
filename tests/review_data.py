"""Test data for reviewing: the sample article in a project, and annotations written straight to the table.

The annotation page is someone else's; these tests insert rows as it would store them.
"""

import copy
import json
from pathlib import Path

from annotator import demo
from annotator.store.connection import now

SAMPLES = [
    json.loads(line)
    for line in (
        Path(__file__).resolve().parent.parent / "annotator/samples/rt-2024-01-30-lavrov-weapons.labels.jsonl"
    )
    .read_text(encoding="utf-8")
    .splitlines()
    if line.strip()
]
LAVROV_STATED, LAVROV_REITERATED = (s["labels"] for s in SAMPLES)


def import_sample(db, project) -> dict:
    """Import the sample article into ``project``; return ``{"stated": id, "reiterated": id, "others": [ids]}``."""
    demo.import_samples(db, project)
    rows = {
        r["text"]: r["id"]
        for r in db.query("select id, text from paragraphs where project_id = ?", [project["id"]])
    }
    ids = {"stated": rows[SAMPLES[0]["text"]], "reiterated": rows[SAMPLES[1]["text"]]}
    ids["others"] = sorted(set(rows.values()) - set(ids.values()))
    return ids


def annotate(db, paragraph_id: int, user: str, labels: dict, *, seconds: float = 40.0) -> None:
    """Store ``user``'s current labels on a paragraph (a new version when they had some)."""
    user_id = db.execute("select id from users where name = ?", [user]).fetchone()[0]
    stamp = now()
    with db.conn:
        row = db.execute(
            "select id, version from annotations where paragraph_id = ? and user_id = ?",
            [paragraph_id, user_id],
        ).fetchone()
        if row:
            db.execute(
                "update annotations set labels = ?, version = ?, updated_at = ? where id = ?",
                [json.dumps(labels), row[1] + 1, stamp, row[0]],
            )
        else:
            db.execute(
                """insert into annotations (paragraph_id, user_id, labels, scheme_version, version, seconds,
                    created_at, updated_at) values (?, ?, ?, '1', 1, ?, ?, ?)""",
                [paragraph_id, user_id, json.dumps(labels), seconds, stamp, stamp],
            )


def simple(kind: str = "body", frames=(), primary=None) -> dict:
    """A labels document with no attributions or claims."""
    return {
        "kind": kind,
        "attributions": [],
        "claims": [],
        "framing": {"frames": list(frames), "primary_frame": primary, "framing_spans": [], "stance": []},
        "notes": "",
    }


def stated_b() -> dict:
    """Annotator B on the 'stated' paragraph: other frames, and a distancing cue."""
    labels = copy.deepcopy(LAVROV_STATED)
    labels["framing"]["frames"] = ["Security_and_defense"]
    labels["framing"]["primary_frame"] = "Security_and_defense"
    labels["attributions"][0]["cue_stance"] = "distancing"
    labels["notes"] = "B's note"
    return labels


def reiterated_b() -> dict:
    """Annotator B on the 'reiterated' paragraph: missed the second attribution ('expressed disbelief')."""
    labels = copy.deepcopy(LAVROV_REITERATED)
    del labels["attributions"][1]
    labels["claims"][1]["attribution_id"] = None
    return labels


def copy_to_blocks(db, pids, blocks) -> None:
    """Copy paragraphs and their annotations to ids in other blocks of agreement counts (2,000 ids each)."""
    for k in blocks:
        for pid in pids:
            db.execute(
                """insert into paragraphs (id, article_id, project_id, position, kind, text, text_sha256, doc_char_start)
                select id + ? * 2000, article_id, project_id, position + 100 * ?, kind, text, text_sha256, doc_char_start
                from paragraphs where id = ?""",
                [k, k, pid],
            )
            db.execute(
                """insert into annotations (paragraph_id, user_id, labels, scheme_version, version, seconds,
                    created_at, updated_at)
                select paragraph_id + ? * 2000, user_id, labels, scheme_version, 1, seconds, created_at, updated_at
                from annotations where paragraph_id = ?""",
                [k, pid],
            )
    db.conn.commit()
