"""BRAT standoff: offsets into the joined article text, PolNeAR-style attribution events."""

from __future__ import annotations

import re

import pytest

from annotator.export import annotation_conf, normalise_labels, safe_file_stem, to_brat, write_brat
from tests.test_export_fixtures import EMOJI_TEXT, article_paragraphs, paragraph, span

T_LINE = re.compile(r"^(T\d+)\t(\S+) ([\d ;]+)\t(.*)$")


def parse_ann(ann: str):
    ts, es, rs, attrs = {}, {}, {}, []
    for line in ann.splitlines():
        if line.startswith("T"):
            m = T_LINE.match(line)
            assert m, line
            frags = [tuple(map(int, f.split())) for f in m.group(3).split(";")]
            ts[m.group(1)] = (m.group(2), frags, m.group(4))
        elif line.startswith("E"):
            eid, rest = line.split("\t")
            trigger, *args = rest.split(" ")
            es[eid] = (trigger.split(":"), [a.split(":") for a in args])
        elif line.startswith("R"):
            rid, rest = line.split("\t")
            rs[rid] = rest.split(" ")
        elif line.startswith("A"):
            attrs.append(line.split("\t")[1].split(" "))
        else:
            raise AssertionError(f"unexpected line {line!r}")
    return ts, es, rs, attrs


def article():
    # The emoji paragraph first, so every later offset is past astral-plane characters.
    paras = article_paragraphs()
    order = [paras[2], paras[0], paras[1]]
    units = [{**p, "position": i, "paragraph_id": f"rt-lavrov#p{i}"} for i, (p, _l) in enumerate(order)]
    labels = {u["paragraph_id"]: lab for u, (_p, lab) in zip(units, order, strict=True)}
    return units, labels


def test_txt_is_the_paragraphs_joined_by_a_blank_line():
    units, labels = article()
    txt, _ann = to_brat(units, labels)
    assert txt == "\n\n".join(u["text"] for u in units)
    assert txt.startswith(EMOJI_TEXT)


def test_every_text_bound_offset_is_a_code_point_offset_into_the_txt():
    units, labels = article()
    txt, ann = to_brat(units, labels)
    ts, _es, _rs, _attrs = parse_ann(ann)
    assert len(ts) > 10
    for _tid, (_type, frags, text) in ts.items():
        ((start, end),) = frags
        assert txt[start:end] == text
    # Each labelled span appears, shifted by its paragraph's start in the txt.
    base = len(EMOJI_TEXT) + 2
    lavrov = [v for v in ts.values() if v[0] == "Source" and v[2] == "Lavrov"]
    assert [f for _t, f, _x in lavrov] == [
        [(base + 101, base + 107)],
        [(base + len(units[1]["text"]) + 2 + 54, base + len(units[1]["text"]) + 2 + 60)],
    ]


def test_attributions_are_events_triggered_by_the_cue_with_source_and_content():
    units, labels = article()
    txt, ann = to_brat(units, labels)
    ts, es, rs, attrs = parse_ann(ann)
    assert len(es) == 4  # one in the emoji paragraph, one and two in the worked examples
    cues = []
    for (etype, trigger), args in es.values():
        assert etype == "Attribution" and ts[trigger][0] == "Attribution"
        cues.append(ts[trigger][2])
        roles = {role for role, _t in args}
        assert roles <= {"Source", "Content", "Source2", "Content2"}
        for role, tid in args:
            assert ts[tid][0] == role.rstrip("2")
    assert cues == ["told reporters", "stated", "reiterated", "expressed disbelief"]
    # The two attributions of the second example share one Source annotation.
    last_two = list(es.values())[2:]
    assert dict(last_two[0][1])["Source"] == dict(last_two[1][1])["Source"]
    # Claims link to their attribution; attributes carry the scheme values.
    assert len(rs) == 4 and all(r[0] == "Claim_of" for r in rs.values())
    assert ["Sourcing_strength", "T5", "S2"] in attrs or any(a[0] == "Sourcing_strength" for a in attrs)
    assert any(a[0] == "Cue_stance" and a[2] == "neutral" for a in attrs)
    assert any(a[0] == "Voice" and a[2] == "outlet" for a in attrs)
    techniques = {v[0] for v in ts.values()} - {"Source", "Content", "Claim", "Attribution"}
    assert techniques == {"Loaded_Language", "Obfuscation-Vagueness-Confusion", "Contested_Naming"}


def test_normalised_export_labels_convert_the_same():
    units, labels = article()
    assert to_brat(units, labels) == to_brat(units, {k: normalise_labels(v) for k, v in labels.items()})


def test_a_span_across_a_newline_becomes_fragments():
    text = "He said:\n“We will win”"
    unit = paragraph("x", 0, text)
    labels = {
        "attributions": [
            {
                "id": "a1",
                "sources": [span(text, "He")],
                "cue": span(text, "said:"),
                "contents": [span(text, "“We will win”")],
            }
        ],
        "claims": [{"span": span(text, "said:\n“We"), "checkworthiness": "NFS", "sourcing_strength": 0}],
    }
    txt, ann = to_brat([unit], {unit["paragraph_id"]: labels})
    ts, *_ = parse_ann(ann)
    claim = next(v for v in ts.values() if v[0] == "Claim")
    assert claim[1] == [(3, 8), (9, 12)]
    assert [txt[s:e] for s, e in claim[1]] == ["said:", "“We"]


def test_paragraphs_without_labels_are_text_only():
    units, _labels = article()
    txt, ann = to_brat(units, {})
    assert ann == "" and txt.count("\n\n") == 2


@pytest.mark.parametrize(
    "article_id, stem",
    [
        ("rt-2024-01-30-lavrov", "rt-2024-01-30-lavrov"),
        ("../../etc/passwd", "_.._etc_passwd"),  # no separator left, never hidden
        ("bbc/news:2024?x=1", "bbc_news_2024_x_1"),
        ("...", "article"),
    ],
)
def test_safe_file_stem(article_id, stem):
    assert safe_file_stem(article_id) == stem


def test_write_brat_writes_pairs_and_the_conf(tmp_path):
    units, labels = article()
    n = write_brat(tmp_path, [("rt/a", units, labels), ("rt:a", units, {}), ("b", units[:1], labels)])
    assert n == 3
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["annotation.conf", "b.ann", "b.txt", "rt_a-2.ann", "rt_a-2.txt", "rt_a.ann", "rt_a.txt"]
    txt = (tmp_path / "rt_a.txt").read_text(encoding="utf-8")
    ts, *_ = parse_ann((tmp_path / "rt_a.ann").read_text(encoding="utf-8"))
    for _type, ((s, e),), text in ts.values():
        assert txt[s:e] == text
    conf = annotation_conf()
    assert "[events]\nAttribution\tSource*:Source, Content+:Content" in conf
    assert "Contested_Naming" in conf and "Cue_stance\tArg:Attribution" in conf
