"""The second scheme (tests/data/newsverdict-2.toml) shared by the tests that run a project on it."""

from __future__ import annotations

import json
from pathlib import Path

SECOND = Path(__file__).resolve().parent / "data" / "newsverdict-2.toml"
RENAMED = {
    "CFS": "check_worthy",
    "UFS": "trivial_fact",
    "NFS": "not_a_fact",
    "Loaded_Language": "Emotive_Wording",
    "Obfuscation-Vagueness-Confusion": "Vague_Wording",
    "named_person": "person_by_name",
    "neutral": "plain",
}


def second_labels(labels: dict, verdict: str) -> dict:
    """The worked example's labels in the second scheme: values renamed, a verdict on every claim."""
    text = json.dumps(labels)
    for old, new in RENAMED.items():
        text = text.replace(f'"{old}"', f'"{new}"')
    out = json.loads(text)
    for claim in out["claims"]:
        claim.pop("decontextualized", None)
        claim["verdict"] = verdict
    return out
