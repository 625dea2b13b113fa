"""``annotator suggest``: the built-in suggestions for files, with no database."""

import json
from pathlib import Path

from annotator.cli import cli

SAMPLE = Path(__file__).resolve().parent.parent / "annotator" / "samples" / "rt-2024-01-30-lavrov-weapons.txt"


def lines(output):
    return [json.loads(line) for line in output.splitlines()]


def test_suggest_prints_the_meta_line_then_each_unit_with_its_attributions(runner):
    extract = lines(runner.invoke(cli, ["extract", str(SAMPLE)]).stdout)
    result = runner.invoke(cli, ["suggest", str(SAMPLE)])
    assert result.exit_code == 0, result.output
    out = lines(result.stdout)
    assert out[0] == extract[0]
    assert [(u["kind"], u["text"]) for u in out[1:]] == [(u["kind"], u["text"]) for u in extract[1:]]
    assert all(set(u) == {"kind", "text", "attributions"} for u in out[1:])
    stated = next(u for u in out if "Lavrov stated that" in u.get("text", ""))
    (item,) = stated["attributions"]
    assert item["id"] == "a1"
    assert [s["text"] for s in item["sources"]] == ["Lavrov"]
    assert item["cue"]["text"] == "stated"
    assert item["contents"][0]["text"].startswith("that Russia has been in contact")
    for unit in out[1:]:
        for att in unit["attributions"]:
            for span in [att["cue"], *att["sources"], *att["contents"]]:
                assert unit["text"][span["start"] : span["end"]] == span["text"]


def test_suggest_reads_stdin_and_jsonl_and_skips_languages_without_a_lexicon(runner, tmp_path):
    feed = tmp_path / "feed.jsonl"
    records = [
        {"url": "https://example.org/a", "language": "en", "paragraphs": ["“We will win,” the mayor said."]},
        {
            "url": "https://example.org/b",
            "language": "fr",
            "paragraphs": ["« Nous gagnerons », a dit le maire."],
        },
    ]
    feed.write_text("".join(json.dumps(r) + "\n" for r in records))
    out = lines(runner.invoke(cli, ["suggest", str(feed)]).stdout)
    units = [u for u in out if "kind" in u]
    assert units[0]["attributions"][0]["sources"][0]["text"] == "the mayor"
    assert units[1]["attributions"] == []
    result = runner.invoke(
        cli,
        ["suggest", "-", "--format", "text"],
        input="Headline\n\nOfficials said the bridge would reopen in May.\n",
    )
    assert result.exit_code == 0, result.output
    assert any(u.get("attributions") for u in lines(result.stdout))


def test_suggest_a_bad_file_names_it(runner, tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    result = runner.invoke(cli, ["suggest", str(tmp_path / "empty.txt")])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {tmp_path}/empty.txt: no text")
