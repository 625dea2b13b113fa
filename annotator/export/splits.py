"""Assign articles to train/dev/test by hash: deterministic and stable as articles are added."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

SPLITS = ("train", "dev", "test")
DEFAULT_RATIOS = (80, 10, 10)


def check_ratios(ratios: Sequence[float]) -> tuple[float, float, float]:
    """Return ``ratios`` as a triple, or raise ``ValueError`` when they cannot split anything."""
    if len(ratios) != 3:
        raise ValueError(f"split needs three ratios (train, dev, test), got {len(ratios)}")
    if any(r < 0 for r in ratios) or sum(ratios) <= 0:
        raise ValueError(f"split ratios must be non-negative and not all zero, got {tuple(ratios)}")
    return tuple(ratios)  # type: ignore[return-value]


def split_for(article_id: str, seed: int = 0, ratios: Sequence[float] = DEFAULT_RATIOS) -> str:
    """Return ``"train"``, ``"dev"`` or ``"test"`` for an article.

    The article's point in [0, 1) is the first 8 bytes of ``sha256(f"{seed}:{article_id}")``;
    it depends on nothing but the seed and the id, so adding articles never moves
    another one, and every paragraph of an article lands in the same split.
    """
    train, dev, test = check_ratios(ratios)
    digest = hashlib.sha256(f"{seed}:{article_id}".encode()).digest()
    point = int.from_bytes(digest[:8], "big") / 2**64 * (train + dev + test)
    if point < train:
        return "train"
    if point < train + dev:
        return "dev"
    return "test"
