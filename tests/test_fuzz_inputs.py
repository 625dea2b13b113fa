"""Hypothesis fuzzing of every importer and of the label API: any input is taken or refused, never a crash.

Each property runs inside a plain test that counts its generated cases and asserts there were at
least 2,000, so the figure cannot silently shrink. The pure entry points (ingest, label parsing
and validation) take the bulk; a smaller slice goes through the database and over HTTP.
"""

import json
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator import annotation, importing, ingest
from annotator.errors import Invalid
from annotator.scheme import load_scheme, normalize, validate

SAMPLES = Path(__file__).resolve().parent.parent / "annotator" / "samples"
REFERENCE = [
    json.loads(line)
    for line in (SAMPLES / "rt-2024-01-30-lavrov-weapons.labels.jsonl")
    .read_text(encoding="utf-8")
    .splitlines()
    if line.strip()
]
CASES = 2000
FUZZ = settings(max_examples=CASES, deadline=None, suppress_health_check=list(HealthCheck), database=None)

# Strings that have broken something before: lone surrogates, NUL, a BOM, a long run, markup.
NASTY = st.sampled_from(
    ["\ud800", "\udfff", "a\udc00b", "\x00", "\ufeff", "x" * 1000, "<p>", "]]>", "\u2028"]
)
TEXT = st.one_of(st.text(max_size=40), NASTY)
NUMBER = st.one_of(
    st.integers(min_value=-(2**80), max_value=2**80),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
)
JSON_VALUE = st.recursive(
    st.one_of(TEXT, NUMBER),
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(TEXT, children, max_size=4)),
    max_leaves=6,
)
RECORD_KEYS = [
    "text",
    "html",
    "paragraphs",
    "url",
    "title",
    "outlet",
    "published",
    "section",
    "byline",
    "language",
    "extra",
]
PROSE = "A reporter said the minister had spoken at length about the budget on Tuesday."


def _dumps(value) -> str:
    # allow_nan: NaN and Infinity reach the reader as the bare words some feeds write.
    return json.dumps(value, allow_nan=True)


@st.composite
def jsonl_lines(draw) -> bytes:
    lines = []
    for _ in range(draw(st.integers(min_value=1, max_value=2))):
        record = {}
        for key in draw(st.lists(st.sampled_from(RECORD_KEYS), max_size=4, unique=True)):
            record[key] = draw(st.one_of(JSON_VALUE, st.just(PROSE), st.lists(st.just(PROSE), max_size=2)))
        line = _dumps(record)
        mutation = draw(st.sampled_from(["none", "none", "truncate", "deep", "raw"]))
        if mutation == "truncate":
            line = line[: draw(st.integers(min_value=0, max_value=len(line)))]
        elif mutation == "deep":
            depth = draw(st.sampled_from([31, 33, 1000, 5000]))
            line = line[:-1] + (", " if len(line) > 2 else "") + '"x": ' + "[" * depth + "]" * depth + "}"
        elif mutation == "raw":
            line = draw(st.text(max_size=60))
        lines.append(line)
    return "\n".join(lines).encode("utf-8", "surrogatepass")


def _check_documents(docs) -> None:
    """What ingest returns must be storable: text that encodes, metadata that dumps as JSON."""
    for doc in docs:
        for unit in doc.units:
            unit.text.encode("utf-8")
        json.dumps(doc.meta, allow_nan=False, ensure_ascii=False).encode("utf-8")
        for line in doc.dropped:
            line.text.encode("utf-8")
            line.reason.encode("utf-8")


def _read(data: bytes, fmt: str) -> str:
    try:
        docs = ingest.read_document(data, name="fuzz", format=fmt)
    except ingest.IngestError as e:
        assert str(e)
        return "refused"
    _check_documents(docs)
    return "taken"


@pytest.mark.slow
def test_fuzz_jsonl_importer():
    seen = []

    @FUZZ
    @given(jsonl_lines(), st.sampled_from(["jsonl", "jsonl", "auto"]))
    def prop(data, fmt):
        seen.append(1)
        _read(data, fmt)

    prop()
    assert len(seen) >= CASES


@pytest.mark.slow
def test_fuzz_text_importer():
    seen = []

    @FUZZ
    @given(
        st.one_of(
            st.binary(max_size=300), st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass"))
        )
    )
    def prop(data):
        seen.append(1)
        _read(data, "text")

    prop()
    assert len(seen) >= CASES


@st.composite
def html_pages(draw) -> bytes:
    parts = []
    for _ in range(draw(st.integers(min_value=0, max_value=5))):
        tag = draw(st.sampled_from(["p", "h1", "div", "figcaption", "script", "li", "a", "title", "meta"]))
        body = draw(
            st.one_of(st.just(PROSE), TEXT, st.sampled_from(["&#xD800;", "&#0;", "&#x110000;", "&amp"]))
        )
        parts.append(f"<{tag}>{body}</{tag}>")
    page = "<html><head><title>t</title></head><body>" + "".join(parts) + "</body></html>"
    if draw(st.booleans()):
        page = page[: draw(st.integers(min_value=0, max_value=len(page)))]
    return page.encode("utf-8", "surrogatepass")


@pytest.mark.slow
def test_fuzz_html_importer():
    seen = []

    @FUZZ
    @given(html_pages())
    def prop(data):
        seen.append(1)
        _read(data, "html")

    prop()
    assert len(seen) >= CASES


@pytest.mark.slow
def test_fuzz_imports_into_the_database(db, project):
    """A slice through the store: a bad file imports nothing, a good one beside it still imports."""
    seen = []
    good = json.dumps({"text": PROSE, "title": "Fuzz"}).encode()

    @settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(jsonl_lines())
    def prop(data):
        seen.append(1)
        report = importing.import_uploads(
            db, project, [("bad.jsonl", _Stream(data)), ("good.jsonl", _Stream(good))]
        )
        assert report.files == 2
        assert len(report.failed) <= 1
        for failure in report.failed:
            assert failure["file"] == "bad.jsonl" and failure["reason"]
        assert len(report.added) + len(report.duplicates) >= 1  # the good file, whatever happened to the bad

    prop()
    assert len(seen) >= 300


class _Stream:
    def __init__(self, data: bytes):
        self.data = data

    def read(self, n: int = -1) -> bytes:
        return self.data if n < 0 else self.data[:n]


# Labels ------------------------------------------------------------------------------------------

SCHEME = load_scheme("newsattr-1", extended="all")


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for i, child in enumerate(value):
            yield from _paths(child, (*prefix, i))


def _replace(value, path, new):
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(value, dict):
        return {**value, head: _replace(value[head], rest, new)}
    copy = list(value)
    copy[head] = _replace(copy[head], rest, new)
    return copy


@st.composite
def label_posts(draw) -> tuple[str, str, str]:
    """(paragraph text, posted labels text, posted version): a worked example with one part replaced."""
    record = draw(st.sampled_from(REFERENCE))
    labels = record["labels"]
    paths = list(_paths(labels))
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        path = draw(st.sampled_from(paths))
        try:
            labels = _replace(labels, path, draw(JSON_VALUE))
        except (KeyError, IndexError, TypeError):
            pass
        paths = list(_paths(labels))
    if draw(st.booleans()):  # free text is where hostile strings land most often
        labels = {**labels, "notes": draw(TEXT)} if isinstance(labels, dict) else labels
    raw = _dumps(labels)
    mutation = draw(st.sampled_from(["none", "none", "deep", "truncate", "raw"]))
    if mutation == "deep":
        depth = draw(st.sampled_from([11, 13, 5000]))
        raw = '{"notes": ' + "[" * depth + "]" * depth + "}"
    elif mutation == "truncate":
        raw = raw[: draw(st.integers(min_value=0, max_value=len(raw)))]
    elif mutation == "raw":
        raw = draw(st.text(max_size=50))
    version = draw(st.one_of(st.integers(min_value=-5, max_value=2**80).map(str), st.text(max_size=25)))
    return record["text"], raw, version


def _label_api(text: str, raw: str, version: str, *, draft: bool) -> str:
    """What the save and draft views do before the database: parse, normalise, validate."""
    try:
        annotation.parse_version(version)
        labels = annotation.parse_labels(raw)
    except Invalid as e:
        assert e.status == 400 and e.message
        return "refused"
    errors = validate(normalize(labels, SCHEME), text, SCHEME)
    if draft:
        errors = [e for e in errors if e.code not in annotation.DRAFT_TOLERATES]
    if errors:
        return "invalid"
    # Whatever passes must be storable as UTF-8 JSON, as the store writes it.
    json.dumps(labels, allow_nan=False, ensure_ascii=False).encode("utf-8")
    return "valid"


@pytest.mark.slow
def test_fuzz_label_api():
    seen = []

    @FUZZ
    @given(label_posts(), st.booleans())
    def prop(post, draft):
        seen.append(1)
        _label_api(*post, draft=draft)

    prop()
    assert len(seen) >= CASES


@pytest.mark.slow
def test_fuzz_label_api_over_http(db, project, client_as):
    """A slice over HTTP: saves and drafts answer 200, 400 or 409, never 500."""
    seen = []
    from tests.annotate_fixtures import hand_over, worked

    ids, records = worked(db, project)
    ann = client_as("annotator1")
    texts = {r["text"]: pid for pid, r in zip(ids, records, strict=True)}
    for pid in ids:
        hand_over(db, project, "annotator1", pid)
    rng = random.Random(13)

    @settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(label_posts(), st.sampled_from(["annotation", "draft"]))
    def prop(post, endpoint):
        seen.append(1)
        text, raw, version = post
        pid = texts.get(text, rng.choice(ids))
        response = ann.post(
            f"/projects/{project['id']}/paragraphs/{pid}/{endpoint}",
            data={"labels": raw, "version": version, "seconds": "1"},
            headers={"Accept": "application/json", "HX-Request": "true"},
        )
        assert response.status_code in (200, 400, 403, 409), (response.status_code, response.data[:300])
        assert response.mimetype == "application/json"

    prop()
    assert len(seen) >= 300
