"""Reading an ``all`` export back: same labels out as in, and bad lines named by line and field."""

from __future__ import annotations

import copy
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.export import (
    ExportFormatError,
    encode_records,
    normalise_labels,
    read_all_export,
    records,
    write_export,
)
from annotator.export.roundtrip import labels_by_key
from tests.test_export_fixtures import EMOJI_TEXT, all_rows, paragraph


def encoded_lines(rows, scheme_name="s") -> list[str]:
    """The lines of an ``all`` export of ``rows``, as the encoder writes them."""
    return [
        line.decode("utf-8") for b in encode_records("all", rows, scheme_name=scheme_name) for line in b.lines
    ]


def test_round_trip_gives_the_same_labels():
    rows = all_rows(("a1", "a2"))
    lines = encoded_lines(rows, "newsattr-1")
    back = list(read_all_export(lines))
    assert len(back) == len(rows)
    assert labels_by_key(back) == {
        (r["paragraph_id"], r["annotator"]): normalise_labels(r["labels"]) for r in rows
    }
    # and the envelope comes back as written
    assert [json.loads(line) for line in lines] == back


def test_round_trip_through_the_written_files(tmp_path):
    rows = all_rows(tuple(f"rt-{i}" for i in range(30)))
    manifest = write_export(
        tmp_path, "all", encode_records("all", rows, scheme_name="s"), params={}, fsync=False
    )
    back = []
    for f in manifest["files"]:
        with open(tmp_path / f["path"], "rb") as fh:  # bytes lines are accepted too
            back.extend(read_all_export(fh))
    assert len(back) == len(rows)
    assert labels_by_key(back) == {
        (r["paragraph_id"], r["annotator"]): normalise_labels(r["labels"]) for r in rows
    }


def _lines(mutate=None, index=0):
    recs = list(records("all", all_rows(), scheme_name="s"))
    if mutate:
        mutate(recs[index])
    return [json.dumps(r, ensure_ascii=False) for r in recs]


def _error(lines):
    with pytest.raises(ExportFormatError) as e:
        list(read_all_export(lines))
    return e.value


def test_a_line_that_is_not_json_is_named():
    lines = _lines()
    lines[3] = lines[3][:-5]
    err = _error(lines)
    assert err.line == 4 and err.field is None and "not JSON" in str(err)


def test_blank_lines_are_skipped_but_counted():
    lines = _lines()
    lines.insert(1, "   ")
    lines[4] = "[]"
    err = _error(lines)
    assert err.line == 5 and "expected a JSON object" in err.message


def test_undecodable_bytes_are_named():
    err = _error([_lines()[0].encode("utf-8"), b"\xff\xfe"])
    assert err.line == 2 and "not UTF-8" in err.message


def _bad_cue(rec):
    rec["labels"]["attributions"][0]["cue"]["text"] = "said"


def _unknown_key(rec):
    rec["labels"]["claims"][0]["confidence"] = 0.9


@pytest.mark.parametrize(
    "mutate, field, message",
    [
        (lambda r: r.pop("annotator"), "annotator", "missing"),
        (lambda r: r.update(text=None), "text", "must not be null"),
        (lambda r: r.update(position="0"), "position", "expected an integer"),
        (lambda r: r.update(extra=1), "extra", "unknown field"),
        (lambda r: r.update(seconds="fast"), "seconds", "expected a number"),
        (lambda r: r.update(paragraph_id="elsewhere#p9"), "paragraph_id", "<article_id>#p<position>"),
        (_bad_cue, "labels.attributions[0].cue.text", "is not the paragraph's text[61:71]"),
        (lambda r: r["labels"]["claims"][0]["span"].update(end=10_000), "labels.claims[0].span", "outside"),
        (
            lambda r: r["labels"]["framing"]["framing_spans"][0].update(start=94),
            "labels.framing.framing_spans[0].text",
            "is not the paragraph's",
        ),
        (_unknown_key, "labels.claims[0].confidence", "unknown field"),
        (
            lambda r: r["labels"]["claims"][0].update(sourcing_strength=2.5),
            "labels.claims[0].sourcing_strength",
            "expected an integer",
        ),
        (
            lambda r: r["labels"]["claims"][0].update(attribution_id="a9"),
            "labels.claims[0].attribution_id",
            "no attribution",
        ),
        (
            lambda r: r["labels"]["attributions"][0].update(cue=None),
            "labels.attributions[0].cue",
            "needs its cue",
        ),
        (lambda r: r["labels"].update(attributions={}), "labels.attributions", "expected a list"),
    ],
)
def test_an_invalid_record_is_named_by_line_and_field(mutate, field, message):
    err = _error(_lines(mutate, index=2))
    assert (err.line, err.field) == (3, field)
    assert message in err.message
    assert str(err).startswith(f"line 3, {field}: ")


def test_older_exports_without_optional_label_keys_still_read():
    rec = next(records("all", all_rows(), scheme_name="s"))
    slim = copy.deepcopy(rec)
    for a in slim["labels"]["attributions"]:
        for k in ("supplement", "embedded_source", "source_role", "attribution_type", "quote_type"):
            del a[k]
    (back,) = read_all_export([json.dumps(slim)])
    assert back["labels"]["attributions"][0]["supplement"] == []
    assert back["labels"]["attributions"][0]["source_role"] is None


# Paragraph texts mixing ASCII, curly quotes, combining marks and astral-plane characters.
_alphabet = st.sampled_from(list("ab cdé“”’\u0301") + ["🚀", "🇺", "🇦", "𝕏", "😀"])


@st.composite
def labelled_paragraph(draw):
    text = draw(st.text(alphabet=_alphabet, min_size=2, max_size=60))
    cuts = sorted(draw(st.lists(st.integers(0, len(text)), min_size=6, max_size=6)))

    def span(i):
        return {"start": cuts[i], "end": cuts[i + 1], "text": text[cuts[i] : cuts[i + 1]]}

    labels = {
        "kind": "body",
        "attributions": [
            {
                "id": "a1",
                "sources": [span(0)],
                "cue": span(1),
                "contents": [span(2)],
                "source_form": "named_person",
                "cue_stance": "neutral",
            }
        ],
        "claims": [
            {
                "id": "c1",
                "span": span(3),
                "attribution_id": "a1",
                "checkworthiness": "CFS",
                "sourcing_strength": draw(st.integers(0, 4)),
            }
        ],
        "framing": {"frames": [], "framing_spans": [{**span(4), "technique": "Doubt", "voice": "source"}]},
        "notes": draw(st.none() | st.text(max_size=20)),
    }
    return text, labels


@settings(max_examples=60, deadline=None)
@given(labelled_paragraph())
def test_round_trip_holds_for_any_text_and_offsets(case):
    text, labels = case
    row = {
        **paragraph("art", 0, text),
        "annotator": "alice",
        "labels": labels,
        "seconds": 1.5,
        "updated_at": "2024-02-01T10:00:00Z",
    }
    (line,) = encoded_lines([row])
    (back,) = read_all_export([line.encode("utf-8")])
    assert back["labels"] == normalise_labels(labels)
    for s in back["labels"]["attributions"][0]["contents"]:
        assert back["text"][s["start"] : s["end"]] == s["text"]


def test_emoji_paragraph_offsets_survive_the_round_trip():
    back = [r for r in read_all_export(encoded_lines(all_rows())) if r["text"] == EMOJI_TEXT]
    assert back and back[0]["labels"]["framing"]["framing_spans"][0]["text"] == "💥 strikes"
