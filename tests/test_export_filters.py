"""Export filters: decision source and a minimum number of annotators, streamed."""

from __future__ import annotations

import pytest

from annotator.export import filter_rows
from tests.test_export_fixtures import all_rows, gold_rows


@pytest.mark.parametrize("sources, positions", [(None, [0, 1, 2]), ({"unanimous"}, [0]),
                                                ({"adjudicated"}, [1, 2]), (set(), [])])
def test_gold_by_source(sources, positions):
    kept = list(filter_rows("gold", gold_rows(), sources=sources))
    assert [r["position"] for r in kept] == positions


def test_gold_by_minimum_annotators():
    rows = gold_rows()
    rows[1]["decision"]["annotators"] = ["alice"]
    assert [r["position"] for r in filter_rows("spans", rows, min_annotators=2)] == [0, 2]


def test_all_by_minimum_annotators_keeps_whole_paragraphs():
    rows = [r for r in all_rows(("a1", "a2")) if not (r["paragraph_id"] == "a1#p1" and r["annotator"] == "bob")]
    kept = list(filter_rows("all", iter(rows), min_annotators=2))
    assert {r["paragraph_id"] for r in kept} == {r["paragraph_id"] for r in rows} - {"a1#p1"}
    assert len(kept) == len(rows) - 1
    assert list(filter_rows("all", rows)) == rows


def test_filters_are_lazy():
    def rows():
        yield from all_rows()
        raise AssertionError("read too far")

    gen = filter_rows("all", rows(), min_annotators=2)
    assert [next(gen)["annotator"], next(gen)["annotator"]] == ["alice", "bob"]


@pytest.mark.parametrize("view, kwargs, message", [
    ("gold", {"sources": {"majority"}}, "unknown decision source"),
    ("all", {"sources": {"unanimous"}}, "no decisions"),
])
def test_bad_filters(view, kwargs, message):
    with pytest.raises(ValueError, match=message):
        next(filter_rows(view, [], **kwargs))
