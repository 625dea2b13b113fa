"""Unanimity after normalising, and the aligned per-field diff a review page renders."""

import copy
import json

import pytest

from annotator.agreement import align, diff_fields, is_unanimous, normalise

from .test_agreement_fields import _docs, _perturbed


@pytest.fixture
def p2():
    return copy.deepcopy(_docs()[1]["labels"])


def _renumbered(labels):
    """Same labels with attribution ids swapped and every list reversed."""
    other = copy.deepcopy(labels)
    swap = {"a1": "a2", "a2": "a1"}
    for a in other["attributions"]:
        a["id"] = swap[a["id"]]
    for c in other["claims"]:
        c["attribution_id"] = swap.get(c["attribution_id"], c["attribution_id"])
        c["id"] = {"c1": "c2", "c2": "c1"}[c["id"]]
    other["attributions"].reverse()
    other["claims"].reverse()
    other["framing"]["frames"].reverse()
    return other


def test_unanimous_up_to_ids_order_and_free_text(p2):
    other = _renumbered(p2)
    other["notes"] = "a different note"
    other["claims"][0]["decontextualized"] = "restated differently"
    assert is_unanimous({"alice": p2, "bob": other, "cy": copy.deepcopy(p2)})
    assert normalise(p2) == normalise(other)


def test_spans_compared_by_offsets(p2):
    other = copy.deepcopy(p2)
    other["attributions"][0]["cue"]["text"] = "REITERATED"
    assert is_unanimous({"alice": p2, "bob": other})
    other["attributions"][0]["cue"]["end"] += 1
    assert not is_unanimous({"alice": p2, "bob": other})


def test_null_and_absent_are_the_same(p2):
    other = copy.deepcopy(p2)
    other["attributions"][1].pop("embedded_source")  # null in the original
    assert is_unanimous({"alice": p2, "bob": other})


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d["claims"][0].update(sourcing_strength=3),
        lambda d: d["claims"][0].update(attribution_id="a2"),  # same claims, linked to the other attribution
        lambda d: d["framing"]["frames"].pop(),
        lambda d: d.update(kind="headline"),
        lambda d: d["attributions"].pop(),
        lambda d: d["framing"]["framing_spans"][0].update(technique="Loaded_Language"),
        lambda d: d["framing"]["framing_spans"][0].update(alternative="Kyiv!"),
        lambda d: d["attributions"][0]["embedded_source"]["cue"].update(end=88),
    ],
)
def test_not_unanimous(p2, change):
    other = copy.deepcopy(p2)
    change(other)
    assert not is_unanimous({"alice": p2, "bob": other})


def test_one_annotator_is_not_unanimous(p2):
    assert not is_unanimous({"alice": p2})
    assert not is_unanimous({})


def test_unanimous_with_free_text_considered(p2):
    other = copy.deepcopy(p2)
    other["notes"] = "different"
    assert not is_unanimous({"alice": p2, "bob": other}, ignore=())


def test_align_three_annotators():
    rows = align({"a": [(10, 20), (0, 5)], "b": [(0, 4)], "c": [(12, 18), (40, 45), None]})
    assert rows == [{"a": 1, "b": 0}, {"a": 0, "c": 0}, {"c": 1}, {"c": 2}]


def test_diff_fields_worked_example():
    docs = _docs()
    alice = docs[1]["labels"]
    bob = _perturbed(docs)[1]
    diff = diff_fields({"alice": alice, "bob": bob})
    json.dumps(diff)
    assert diff["annotators"] == ["alice", "bob"]
    assert diff["differ"] is True
    assert diff["fields"]["kind"] == {"values": {"alice": "body", "bob": "body"}, "differ": False}
    assert diff["fields"]["framing.primary_frame"]["differ"] is True
    assert diff["fields"]["framing.frames"]["differ"] is False
    assert diff["fields"]["notes"]["free_text"] is True

    first, second = diff["attributions"]
    assert first["present"] == {"alice": True, "bob": True}
    assert first["differ"] is False
    assert first["fields"]["cue"]["values"]["bob"]["text"] == "reiterated"
    assert list(first["fields"])[:3] == ["sources", "cue", "contents"]
    assert second["present"] == {"alice": True, "bob": False}
    assert second["differ"] is True
    assert second["fields"]["cue"]["values"] == {"alice": alice["attributions"][1]["cue"], "bob": None}

    c1, c2 = diff["claims"]
    # links are shown as rows of diff["attributions"], comparable across annotators
    assert c1["fields"]["attribution_id"]["values"] == {"alice": 0, "bob": 0}
    assert c1["differ"] is False
    assert c2["present"] == {"alice": True, "bob": False}
    assert c2["fields"]["attribution_id"]["values"] == {"alice": 1, "bob": None}

    kiev, market = diff["framing_spans"]
    assert kiev["differ"] is False
    assert kiev["fields"]["span"]["values"]["alice"]["text"] == "Kiev"
    assert market["present"] == {"alice": False, "bob": True}
    assert market["fields"]["technique"]["values"] == {"alice": None, "bob": "Loaded_Language"}


def test_diff_fields_links_compare_across_renumbered_ids(p2):
    diff = diff_fields({"alice": p2, "bob": _renumbered(p2)})
    assert diff["differ"] is False
    for row in diff["claims"]:
        values = row["fields"]["attribution_id"]["values"]
        assert values["alice"] == values["bob"] is not None
    assert diff["attributions"][0]["ids"] == {"alice": "a1", "bob": "a2"}


def test_diff_fields_attribute_difference(p2):
    other = copy.deepcopy(p2)
    other["attributions"][0]["cue_stance"] = "distancing"
    diff = diff_fields({"alice": p2, "bob": other})
    row = diff["attributions"][0]
    assert row["differ"] is True
    assert row["fields"]["cue_stance"] == {
        "values": {"alice": "neutral", "bob": "distancing"},
        "differ": True,
    }
    assert row["fields"]["source_form"]["differ"] is False
    assert diff["attributions"][1]["differ"] is False


def _mutations(rng, labels):
    """Return a copy changed in a random way that may or may not change the normalised labels."""
    out = copy.deepcopy(labels)
    attrs, claims = out["attributions"], out["claims"]
    choice = rng.randrange(9)
    if choice == 0:
        attrs.reverse()
    elif choice == 1 and attrs:
        attrs[0]["cue"]["text"] = "other text"
    elif choice == 2 and attrs:
        attrs[0]["source_form"] = rng.choice(["named_person", "implicit", "", None])
    elif choice == 3 and claims:
        claims[0]["sourcing_strength"] = rng.randint(0, 4)
    elif choice == 4:
        out["framing"]["frames"] = list(reversed(out["framing"]["frames"]))
    elif choice == 5:
        out["kind"] = rng.choice(["body", "headline", None])
    elif choice == 6 and claims:
        claims[0]["attribution_id"] = rng.choice([None, "a1", "a2"])
    elif choice == 7 and attrs:
        attrs[0]["cue"]["end"] += rng.choice([0, 1])
    else:
        out["notes"] = "changed"
    return out


@pytest.mark.parametrize("seed", range(10))
def test_is_unanimous_agrees_with_normalise(seed):
    import random

    from .test_agreement_fields import _random_items

    rng = random.Random(seed)
    for item in _random_items(seed, paragraphs=40):
        first = next(iter(item["annotations"].values()))
        other = _mutations(rng, first)
        expected = normalise(first) == normalise(other)
        assert is_unanimous({"x": first, "y": other}) is expected


def test_align_never_chains_items_that_do_not_all_overlap():
    # b's claim overlaps both a's and c's, which do not overlap each other: one joins b, the other stays apart
    rows = align({"a": [(0, 50)], "b": [(40, 100)], "c": [(90, 150)]})
    assert rows == [{"a": 0, "b": 0}, {"c": 0}]


def test_align_of_two_annotators_is_the_pairwise_match():
    import random

    from annotator.agreement import match_spans

    rng = random.Random(5)
    for _ in range(200):
        a = [(s, s + rng.randint(1, 30)) for s in (rng.randint(0, 100) for _ in range(rng.randint(0, 5)))]
        b = [(s, s + rng.randint(1, 30)) for s in (rng.randint(0, 100) for _ in range(rng.randint(0, 5)))]
        pairs = sorted((r["a"], r["b"]) for r in align({"a": a, "b": b}) if len(r) == 2)
        assert pairs == match_spans(a, b)
