"""Span F1 and one-to-one matching by overlap."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.agreement import SpanCounts, match_spans, overlap, span_f1, span_key, span_keys


def test_exact_and_overlap_f1():
    a = [(0, 5), (10, 15)]
    b = [(0, 5), (11, 16), (30, 35)]
    # exact: 1 match of 2 + 3 spans; overlap: 2 matches
    assert span_f1(a, b, "exact") == {"statistic": "span_f1_exact", "value": 0.4, "n": 5, "reason": None}
    assert span_f1(a, b, "overlap")["value"] == 0.8


def test_span_dicts_and_duplicates():
    a = [{"start": 0, "end": 4, "text": "Kiev"}, {"start": 0, "end": 4, "text": "Kiev"}]
    b = [{"start": 0, "end": 4, "text": "different text, same offsets"}]
    assert span_f1(a, b)["value"] == 1.0  # duplicates by offsets count once; text is not compared


def test_f1_undefined_and_zero():
    assert span_f1([], []) == {
        "statistic": "span_f1_exact",
        "value": None,
        "n": 0,
        "reason": "no spans marked by either annotator",
    }
    assert span_f1([(0, 1)], [])["value"] == 0.0


def test_bad_mode():
    with pytest.raises(ValueError):
        span_f1([], [], "partial")


def test_match_prefers_larger_overlap():
    assert match_spans([(0, 10)], [(0, 3), (2, 10)]) == [(0, 1)]


def test_match_is_one_to_one():
    assert match_spans([(0, 10)], [(0, 10), (0, 10)]) == [(0, 0)]
    assert match_spans([(0, 10), (0, 10)], [(0, 10)]) == [(0, 0)]


def test_match_greedy_by_overlap_size():
    # (5, 20) overlaps b[0] by 10 and takes it; (0, 8) then overlaps nothing left
    assert match_spans([(0, 8), (5, 20)], [(5, 15)]) == [(1, 0)]


def test_match_ties_prefer_closer_boundaries_then_order():
    # overlap 7 each; boundaries differ by 13 and 3: the closer one
    assert match_spans([(0, 10)], [(3, 20), (0, 7)]) == [(0, 1)]
    # overlap 5 each; boundaries differ by 5 each: the earlier one
    assert match_spans([(0, 10)], [(0, 5), (5, 10)]) == [(0, 0)]


def test_touching_spans_do_not_overlap():
    assert overlap((0, 5), (5, 9)) == 0
    assert match_spans([(0, 5)], [(5, 9)]) == []


def test_missing_key_spans_match_nothing():
    assert match_spans([None, (0, 5)], [(0, 5), None]) == [(1, 0)]
    assert match_spans([None], [None]) == []


def test_span_key():
    assert span_key({"start": 1, "end": 3, "text": "ab"}) == (1, 3)
    assert span_key((1, 3)) == (1, 3)
    assert span_key(None) is None
    assert span_key({"start": 1}) is None
    assert span_keys([{"start": 1, "end": 2}, {"end": 2}, None]) == [(1, 2)]


def test_span_counts_pool_over_paragraphs():
    counts = SpanCounts()
    counts.add([(0, 5)], [(0, 5)])
    counts.add([(0, 5)], [(1, 5), (9, 12)])
    assert counts.f1("exact")["value"] == pytest.approx(2 / 5)
    assert counts.f1("overlap")["value"] == pytest.approx(4 / 5)
    other = SpanCounts()
    other.add([], [(3, 4)])
    counts.merge(other)
    assert counts.total == 6


spans = st.lists(
    st.tuples(st.integers(0, 50), st.integers(1, 20)).map(lambda t: (t[0], t[0] + t[1])), max_size=6
)


@given(spans, spans)
def test_f1_properties(a, b):
    for mode in ("exact", "overlap"):
        ab, ba = span_f1(a, b, mode), span_f1(b, a, mode)
        assert ab == ba
        if ab["value"] is not None:
            assert 0.0 <= ab["value"] <= 1.0
    exact, lenient = span_f1(a, b)["value"], span_f1(a, b, "overlap")["value"]
    if exact is not None:
        assert exact <= lenient
    if a:
        assert span_f1(a, a, "exact")["value"] == 1.0
        assert span_f1(a, a, "overlap")["value"] == 1.0


@given(spans, spans)
def test_match_properties(a, b):
    pairs = match_spans(a, b)
    assert len({i for i, _ in pairs}) == len(pairs) == len({j for _, j in pairs})
    assert all(overlap(a[i], b[j]) > 0 for i, j in pairs)
