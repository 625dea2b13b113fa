"""The rule-based suggester: quotation styles, cues, sources, contents and attribute guesses."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.suggest import suggest_paragraph, suggest_units
from annotator.suggest.lexicon import LexiconError, load_lexicon, parse_lexicon


def one(text):
    items = suggest_paragraph(text)
    assert len(items) == 1, items
    return items[0]


def texts(item, role):
    value = item[role]
    return [s["text"] for s in value] if isinstance(value, list) else value["text"]


@pytest.mark.parametrize(
    "text",
    [
        "“We will not back down,” Smith said.",
        '"We will not back down," Smith said.',
        "''We will not back down,'' Smith said.",
        "„We will not back down“, Smith said.",
        "«We will not back down», Smith said.",
        "‘We will not back down,’ Smith said.",
        "'We will not back down,' Smith said.",
    ],
)
def test_every_quotation_style_gives_the_quote_as_content(text):
    item = one(text)
    assert texts(item, "cue") == "said"
    assert texts(item, "sources") == ["Smith"]
    assert texts(item, "contents")[0].strip("“”\"'„«»‘’,").startswith("We will not back down")


def test_a_quote_split_by_its_cue_is_one_attribution_with_two_contents():
    item = one(
        "“Every time you say that,” Tester said, pointing at the chart, “you give ammunition to them.”"
    )
    assert texts(item, "contents") == ["“Every time you say that,”", "“you give ammunition to them.”"]
    item = one("“This country needs a leader,” he said. “We need a leader with integrity.”")
    assert texts(item, "sources") == ["he"]
    assert len(item["contents"]) == 2


def test_cue_before_the_quote_with_a_colon():
    item = one("She tweeted: “When something gets under his thin skin, he lashes out.”")
    assert texts(item, "cue") == "tweeted:"
    assert texts(item, "sources") == ["She"]
    assert texts(item, "contents") == ["“When something gets under his thin skin, he lashes out.”"]


def test_a_quote_running_over_paragraphs_is_content_to_the_paragraph_end():
    paragraphs = [
        "Limbaugh continued: “The left is saying this is so bad that nothing else matters.",
        "“And that is all she would have time for.”",
    ]
    first, second = suggest_units(paragraphs, "en")
    assert texts(first[0], "contents") == [paragraphs[0][20:]]
    assert second == []  # its cue is in the paragraph before


def test_indirect_speech_source_before_cue_with_an_appositive():
    item = one("Jane Roe, a professor at the university, said that the plan would fail.")
    assert texts(item, "sources") == ["Jane Roe, a professor at the university"]
    assert texts(item, "contents") == ["that the plan would fail"]


def test_inverted_and_according_to():
    item = one("The plan would raise taxes on the middle class, the senator said on Tuesday.")
    assert texts(item, "contents") == ["The plan would raise taxes on the middle class"]
    assert texts(item, "sources") == ["the senator"]
    item = one("According to the report, emissions rose by a third last year.")
    assert texts(item, "cue") == "According to"
    assert texts(item, "sources") == ["the report"]
    assert texts(item, "contents") == ["emissions rose by a third last year"]


def test_nouns_and_passives_are_not_cues():
    assert suggest_paragraph("The reports were published on Monday and nobody read them.") == []
    assert suggest_paragraph("The story was told by a neighbour.") == []


def test_scare_quotes_are_no_attribution():
    assert suggest_paragraph("The so-called “reform” passed the chamber on Monday.") == []


@pytest.mark.parametrize(
    "text, form, status",
    [
        ("A senior official said the talks had stalled.", "described_person", "background"),
        ("Western diplomats said the talks had stalled.", "described_group", "background"),
        ("Sources say the talks had stalled.", "anonymous_unspecified", None),
        ("Sen. Ted Cruz said the talks had stalled.", "named_person", "on_record"),
        ("The Justice Department said the talks had stalled.", "named_organization", "on_record"),
        ("The report found that the talks had stalled.", "document_or_data", "not_applicable"),
        (
            "A senior official, speaking on condition of anonymity, said the talks had stalled.",
            "described_person",
            "off_record_signaled",
        ),
        ("He said the talks had stalled.", None, None),
    ],
)
def test_attribute_guesses_only_where_the_words_settle_them(text, form, status):
    item = one(text)
    assert item.get("source_form") == form
    assert item.get("record_status") == status


def test_spans_are_paragraph_relative_code_points_without_outer_whitespace():
    text = "Ünïcödé 😀 first. “Everything is fine,” the minister said, “and will stay so.”"
    for item in suggest_paragraph(text):
        for span in [item["cue"], *item["sources"], *item["contents"]]:
            assert text[span["start"] : span["end"]] == span["text"]
            assert span["text"] == span["text"].strip()


def test_languages_without_a_lexicon_get_no_suggestions():
    assert load_lexicon("xx") is None
    assert load_lexicon("../en") is None
    assert suggest_paragraph("Smith said the plan would fail.", language="fr") == []
    german = ["Der Minister sagte am Montag, dass die Verhandlungen gescheitert seien und man neu beginne."]
    assert suggest_units(german) == [[]]


def test_a_lexicon_file_is_checked_and_names_its_problem():
    lex = parse_lexicon(
        {"language": {"code": "xx"}, "cues": {"dire": {"forms": "dit dis", "kind": "speech"}}}, "xx.toml"
    )
    assert lex.cue("dit").lemma == "dire"
    with pytest.raises(LexiconError, match="xx.toml: cues.dire.kind"):
        parse_lexicon(
            {"language": {"code": "xx"}, "cues": {"dire": {"forms": "dit", "kind": "odd"}}}, "xx.toml"
        )
    with pytest.raises(LexiconError, match="xx.toml: missing key 'language'"):
        parse_lexicon({}, "xx.toml")


def test_the_scorer_adapter_moves_paragraph_spans_to_file_offsets():
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "bench" / "attribution_adapter.py"
    spec = importlib.util.spec_from_file_location("attribution_adapter", path)
    adapter = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(adapter)
    text = "A title\n\nThe mayor said the bridge would reopen.\n\n“It is safe,” she added.\n"
    found = adapter.file_attributions(text)
    assert [text[a["cue"][0]["start"] : a["cue"][0]["end"]] for a in found] == ["said", "added"]
    assert [text[c["start"] : c["end"]] for a in found for c in a["content"]] == [
        "the bridge would reopen",
        "“It is safe,”",
    ]


def test_headlines_in_title_case_and_transcript_speakers():
    item = one("Trump Could Address Clean Energy, Lindsey Graham Says")
    assert texts(item, "cue") == "Says" and texts(item, "sources") == ["Lindsey Graham"]
    item = one("WALLACE: Let us start with the breaking news on the debate story tonight.")
    assert texts(item, "cue") == ":" and texts(item, "sources") == ["WALLACE"]
    assert texts(item, "contents") == ["Let us start with the breaking news on the debate story tonight"]
    assert suggest_paragraph("Editor's note: this story was updated on Monday with new figures.") == []


_PIECES = st.sampled_from(
    ["Smith", "said", "says", "told", "according to", "“", "”", '"', "''", "‘", "’", "'", ",", ".", ":", "?",
     " ", "the", "official", "that", "(", ")", "Mr.", "a", "—", "by", "was", "and", "It", "\u00a0", "😀", "İ"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=40).map(" ".join))
def test_any_text_gives_valid_spans_or_nothing(text):
    for item in suggest_paragraph(text):
        spans = [item["cue"], *item["sources"], *item["contents"]]
        assert item["contents"]
        for span in spans:
            assert 0 <= span["start"] < span["end"] <= len(text)
            assert text[span["start"] : span["end"]] == span["text"]
