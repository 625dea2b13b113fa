"""Agreement coefficients: published worked examples, reference libraries on random data, undefined cases."""

import math
import random

import pytest

from annotator.agreement import (
    Coincidences,
    Contingency,
    cohen_kappa,
    fleiss_kappa,
    krippendorff_alpha,
    masi_distance,
    percent_agreement,
)

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: 4 observers, 12 units,
# missing values; published alpha nominal 0.743, ordinal 0.815, interval 0.849, ratio 0.797.
K2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]
K2011_UNITS = [{f"obs{c}": K2011[c][u] for c in range(4)} for u in range(12)]

# Wikipedia, "Fleiss' kappa", worked example: 10 subjects, 14 raters, 5 categories; kappa 0.210
FLEISS_TABLE = [
    [0, 0, 0, 0, 14],
    [0, 2, 6, 4, 2],
    [0, 0, 3, 5, 6],
    [0, 3, 9, 2, 0],
    [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0],
    [3, 2, 6, 3, 0],
    [2, 5, 3, 2, 2],
    [6, 5, 2, 1, 0],
    [0, 2, 2, 3, 7],
]
FLEISS_UNITS = [[cat for cat, count in enumerate(row) for _ in range(count)] for row in FLEISS_TABLE]


@pytest.mark.parametrize(
    ("level", "published"),
    [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)],
)
def test_krippendorff_2011_example(level, published):
    res = krippendorff_alpha(K2011_UNITS, level)
    assert res["statistic"] == f"krippendorff_alpha_{level}"
    assert round(res["value"], 3) == published
    assert res["reason"] is None
    assert res["n"] == 11  # unit 12 has a single value: not pairable


@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval", "ratio"])
def test_krippendorff_2011_example_matches_package(level):
    np = pytest.importorskip("numpy")
    krippendorff = pytest.importorskip("krippendorff")
    data = np.array([[np.nan if v is None else v for v in row] for row in K2011], dtype=float)
    expected = krippendorff.alpha(reliability_data=data, level_of_measurement=level)
    assert krippendorff_alpha(K2011_UNITS, level)["value"] == pytest.approx(expected, abs=1e-12)


def test_krippendorff_hand_computed_nominal():
    # two coders, four units: a/a, a/b, b/b, b/b; n=8, n_a=3, n_b=5, o_ab=o_ba=1
    # alpha = 1 - (n-1) * (o_ab+o_ba) / (n^2 - n_a^2 - n_b^2) = 1 - 7*2/30
    res = krippendorff_alpha([["a", "a"], ["a", "b"], ["b", "b"], ["b", "b"]])
    assert res["value"] == pytest.approx(1 - 14 / 30)
    assert res["n"] == 4


def test_fleiss_wikipedia_example():
    res = fleiss_kappa(FLEISS_UNITS)
    assert round(res["value"], 3) == 0.210
    assert res["n"] == 10


def test_fleiss_wikipedia_example_matches_statsmodels():
    inter_rater = pytest.importorskip("statsmodels.stats.inter_rater")
    expected = inter_rater.fleiss_kappa(FLEISS_TABLE, method="fleiss")
    assert fleiss_kappa(FLEISS_UNITS)["value"] == pytest.approx(expected, abs=1e-12)


def test_cohen_hand_computed():
    # 2x2 table [[20, 5], [10, 15]]: po = 0.7, pe = 0.5*0.6 + 0.5*0.4 = 0.5, kappa = 0.4
    a = ["y"] * 25 + ["n"] * 25
    b = ["y"] * 20 + ["n"] * 5 + ["y"] * 10 + ["n"] * 15
    res = cohen_kappa(a, b)
    assert res == {"statistic": "cohen_kappa", "value": pytest.approx(0.4), "n": 50, "reason": None}


def test_percent_agreement_hand_computed():
    # unit 1: all 3 agree (1); unit 2: 1 of 3 pairs agree (1/3); unit 3: single value, skipped
    res = percent_agreement([["a", "a", "a"], ["a", "a", "b"], ["c", None]])
    assert res["value"] == pytest.approx((1 + 1 / 3) / 2)
    assert res["n"] == 2


# -- random data against the reference libraries ------------------------------------------------------


def _random_matrix(rng, coders, units, values, missing):
    return [
        [None if rng.random() < missing else rng.choice(values) for _ in range(units)] for _ in range(coders)
    ]


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval"])
def test_alpha_equals_krippendorff_package(seed, level):
    np = pytest.importorskip("numpy")
    krippendorff = pytest.importorskip("krippendorff")
    rng = random.Random(seed)
    coders, units = rng.randint(2, 6), rng.randint(5, 80)
    values = list(range(1, rng.randint(3, 7)))
    matrix = _random_matrix(rng, coders, units, values, missing=rng.choice([0.0, 0.2, 0.4]))
    # the package needs at least one pairable unit and some variation
    data = np.array([[np.nan if v is None else v for v in row] for row in matrix], dtype=float)
    ours = krippendorff_alpha(([row[u] for row in matrix] for u in range(units)), level)
    if ours["value"] is None:
        # Undefined only when the data really has no pairable values or no variation among them.
        pairable = [
            v
            for u in range(units)
            for v in (row[u] for row in matrix)
            if v is not None and sum(r[u] is not None for r in matrix) >= 2
        ]
        assert ours["reason"] and len(set(pairable)) <= 1
        return
    expected = krippendorff.alpha(reliability_data=data, level_of_measurement=level)
    assert ours["value"] == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize("seed", range(12))
def test_cohen_equals_sklearn(seed):
    metrics = pytest.importorskip("sklearn.metrics")
    rng = random.Random(seed)
    labels = ["x", "y", "z", "w"][: rng.randint(2, 4)]
    a = [rng.choice(labels) for _ in range(rng.randint(10, 200))]
    b = [x if rng.random() < 0.6 else rng.choice(labels) for x in a]
    assert cohen_kappa(a, b)["value"] == pytest.approx(metrics.cohen_kappa_score(a, b), abs=1e-9)


@pytest.mark.parametrize("seed", range(12))
def test_fleiss_equals_statsmodels(seed):
    inter_rater = pytest.importorskip("statsmodels.stats.inter_rater")
    rng = random.Random(seed)
    raters, categories = rng.randint(2, 8), rng.randint(2, 6)
    units = []
    for _ in range(rng.randint(5, 100)):
        truth = rng.randrange(categories)
        units.append([truth if rng.random() < 0.5 else rng.randrange(categories) for _ in range(raters)])
    table, _ = inter_rater.aggregate_raters(units, n_cat=categories)
    assert fleiss_kappa(units)["value"] == pytest.approx(inter_rater.fleiss_kappa(table), abs=1e-9)


FRAMES = ["Economic", "Morality", "Political", "Security", "Legality", "Other"]


def _random_set(rng):
    return frozenset(rng.sample(FRAMES, rng.randint(0, 3)))


@pytest.mark.parametrize("seed", range(20))
def test_masi_distance_equals_nltk(seed):
    distance = pytest.importorskip("nltk.metrics.distance")
    rng = random.Random(seed)
    for _ in range(50):
        a, b = _random_set(rng), _random_set(rng)
        if a or b:  # NLTK divides by zero on two empty sets
            assert masi_distance(a, b) == pytest.approx(distance.masi_distance(set(a), set(b)), abs=1e-12)
    assert masi_distance(frozenset(), frozenset()) == 0.0


@pytest.mark.parametrize("seed", range(12))
def test_masi_alpha_equals_nltk_annotation_task(seed):
    agreement = pytest.importorskip("nltk.metrics.agreement")
    distance = pytest.importorskip("nltk.metrics.distance")
    rng = random.Random(seed)
    coders = [f"c{k}" for k in range(rng.randint(2, 4))]
    triples, units = [], []
    for item in range(rng.randint(10, 60)):
        base = frozenset(rng.sample(FRAMES, rng.randint(1, 3)))
        unit = {}
        for coder in coders:
            if rng.random() < 0.15:
                continue  # missing
            value = base if rng.random() < 0.5 else frozenset(rng.sample(FRAMES, rng.randint(1, 3)))
            unit[coder] = value
            triples.append((coder, str(item), value))
        units.append(unit)
    ours = krippendorff_alpha(units, "masi")
    expected = agreement.AnnotationTask(data=triples, distance=distance.masi_distance).alpha()
    assert ours["value"] == pytest.approx(expected, abs=1e-9)


def test_masi_alpha_generic_distance_agrees_with_fast_path():
    rng = random.Random(3)
    units = [[_random_set(rng) for _ in range(3)] for _ in range(40)]
    fast = krippendorff_alpha(units, "masi")["value"]
    generic = krippendorff_alpha(units, lambda a, b: masi_distance(a, b))["value"]
    assert fast == pytest.approx(generic, abs=1e-12)


def test_coincidences_merge_equals_one_pass():
    rng = random.Random(9)
    units = [[rng.choice("abc") for _ in range(rng.randint(1, 4))] for _ in range(100)]
    whole, left, right = Coincidences(), Coincidences(), Coincidences()
    for k, unit in enumerate(units):
        whole.add(unit)
        (left if k % 2 else right).add(unit)
    left.merge(right)
    assert left.alpha()["value"] == pytest.approx(whole.alpha()["value"], abs=1e-12)
    assert left.units == whole.units


# -- undefined cases: value None with a reason, never 0 or 1 ---------------------------------------------


def test_alpha_one_annotator():
    res = krippendorff_alpha([{"alice": "a"}, {"alice": "b"}])
    assert res == {
        "statistic": "krippendorff_alpha_nominal",
        "value": None,
        "n": 0,
        "reason": "only one annotator",
    }


def test_alpha_nothing_pairable():
    res = krippendorff_alpha([{"alice": "a"}, {"bob": "b"}])
    assert res["value"] is None
    assert "fewer than 2 pairable values" in res["reason"]


def test_alpha_no_variation():
    res = krippendorff_alpha([["X", "X"], ["X", "X", "X"]])
    assert res["value"] is None
    assert res["reason"] == "no variation: every value is 'X'"
    assert res["n"] == 2


def test_alpha_masi_no_variation_shows_set():
    res = krippendorff_alpha([[{"b", "a"}, ["a", "b"]]], "masi")
    assert res["reason"] == "no variation: every value is ['a', 'b']"


def test_alpha_empty():
    res = krippendorff_alpha([])
    assert res["value"] is None and res["n"] == 0


def test_alpha_unknown_level():
    with pytest.raises(ValueError, match="unknown level"):
        krippendorff_alpha([[1, 2], [2, 1]], "cardinal")


def test_cohen_no_variation_and_no_items():
    assert cohen_kappa(["a", "a"], ["a", "a"])["reason"] == "no variation: every value is 'a'"
    assert cohen_kappa([None], ["a"])["reason"] == "no items rated by both annotators"
    assert cohen_kappa(["a", "b"], ["a", "b"])["value"] == 1.0


def test_fleiss_undefined():
    assert fleiss_kappa([{"alice": 1}, {"alice": 2}])["reason"] == "only one annotator"
    assert fleiss_kappa([[1, 1], [1, 1, 1]])["reason"] == "no variation: every value is 1"


def test_percent_agreement_undefined():
    assert percent_agreement([{"alice": 1}])["value"] is None
    assert percent_agreement([[1, 1]])["value"] == 1.0  # defined: agreement is observed, not expected


def test_contingency_percent():
    t = Contingency()
    for a, b in [("x", "x"), ("x", "y"), ("y", "y"), ("y", "y")]:
        t.add(a, b)
    assert t.percent()["value"] == 0.75
    assert not math.isnan(t.kappa()["value"])


def test_add_pair_equals_add():
    one, other = Coincidences(), Coincidences()
    for a, b in [("x", "y"), ("x", "x"), ("y", "y"), ("z", "y")]:
        one.add_pair(a, b)
        other.add([a, b])
    assert one.o == other.o and one.units == other.units == 4
