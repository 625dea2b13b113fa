"""Splits by article: deterministic, near the ratios, stable as articles are added, never straddling."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.export import SPLITS, encode_records, split_for, write_export
from tests.test_export_fixtures import all_rows


def test_split_is_deterministic_and_near_the_ratios():
    ids = [f"article-{i}" for i in range(20000)]
    first = [split_for(a, 7) for a in ids]
    assert first == [split_for(a, 7) for a in ids]
    share = Counter(first)
    assert abs(share["train"] / len(ids) - 0.8) < 0.015
    assert abs(share["dev"] / len(ids) - 0.1) < 0.01
    assert abs(share["test"] / len(ids) - 0.1) < 0.01


def test_the_seed_changes_the_assignment():
    ids = [f"article-{i}" for i in range(1000)]
    assert [split_for(a, 0) for a in ids] != [split_for(a, 1) for a in ids]


@pytest.mark.parametrize("ratios, only", [((100, 0, 0), "train"), ((0, 0, 1), "test"), ((0, 5, 0), "dev")])
def test_degenerate_ratios(ratios, only):
    assert {split_for(f"a{i}", 3, ratios) for i in range(500)} == {only}


@pytest.mark.parametrize("ratios", [(80, 20), (-1, 50, 51), (0, 0, 0)])
def test_bad_ratios_raise(ratios):
    with pytest.raises(ValueError):
        split_for("a", 0, ratios)


@given(st.text(min_size=1), st.integers(min_value=0, max_value=2**31))
def test_any_article_id_gets_one_of_the_splits(article_id, seed):
    assert split_for(article_id, seed) in SPLITS


def _splits_of(out_dir):
    seen = {}
    for split in SPLITS:
        for line in (out_dir / f"{split}.jsonl").read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            seen.setdefault(rec["article_id"], set()).add(split)
    return seen


def test_no_article_straddles_and_adding_articles_moves_none(tmp_path):
    first = [f"rt-{i:04d}" for i in range(60)]
    more = first + [f"zz-{i:04d}" for i in range(60)]
    write_export(
        tmp_path / "a",
        "all",
        encode_records("all", all_rows(first), scheme_name="s"),
        seed=11,
        params={},
        fsync=False,
    )
    write_export(
        tmp_path / "b",
        "all",
        encode_records("all", all_rows(more), scheme_name="s"),
        seed=11,
        params={},
        fsync=False,
    )
    a, b = _splits_of(tmp_path / "a"), _splits_of(tmp_path / "b")
    assert all(len(s) == 1 for s in a.values()) and all(len(s) == 1 for s in b.values())
    assert {k: a[k] for k in first} == {k: b[k] for k in first}
    assert set(b) == set(more)
    assert {next(iter(s)) for s in b.values()} == set(SPLITS)  # 120 articles reach every split
