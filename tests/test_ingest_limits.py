"""Inputs far bigger or stranger than an article are refused or read without blowing up."""

import pytest

from annotator.ingest import IngestError, read_document
from annotator.ingest.text import clean_text


def test_two_million_short_lines_are_refused_with_the_line_count():
    data = "\n".join(("ab", "c", "de", "x")[i % 4] for i in range(2_000_000)).encode()
    with pytest.raises(IngestError) as e:
        read_document(data, name="huge.txt")
    assert str(e.value).startswith("2,000,000 lines of text: over the limit of 50,000")


def test_thousands_of_continued_lines_join_into_one_paragraph():
    # Lines that each continue the one before are joined; the join keeps every word once.
    lines = ["The ferry runs at night"] + ["and stops at every pier on the way"] * 20_000
    text = "\n".join(lines) + "."
    _, units, _ = clean_text(text)
    [body] = [u for u in units if u.kind == "body"]
    assert body.text == " ".join(lines) + "."
