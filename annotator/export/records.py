"""Turn store rows into export records with one fixed, typed shape per view.

pyarrow (under ``datasets.load_dataset("json")``) infers a schema from the first
block of a file and casts every later block to it, so a key missing from one
record, an ``int`` where another record has a ``float``, or a struct that is
``null`` throughout the first block break loading far into a file.  Every record
is therefore rebuilt against a spec tree (``LABELS``, ``ENVELOPE`` …): every key
present, optional scalars and structs ``null`` when absent, lists ``[]`` when
absent, integers and floats coerced.  The same trees give the Hugging Face
``features`` written into the manifest and the dataset card, which pins the
schema for ``load_dataset(<export dir>)`` whatever the first block holds.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

EXPORT_VERSION = 1
VIEWS = ("all", "gold", "spans")

# Spec trees: a leaf is a dtype name, a dict is a struct (every key always present,
# the struct itself nullable) and a one-element list is a list of that element.
SPAN: dict = {"start": "int64", "end": "int64", "text": "string"}

ATTRIBUTION: dict = {
    "id": "string",
    "sources": [SPAN],
    "cue": SPAN,
    "contents": [SPAN],
    "supplement": [SPAN],
    "embedded_source": {"source": SPAN, "cue": SPAN},
    "source_form": "string",
    "source_role": "string",
    "source_interest": "string",
    "record_status": "string",
    "attribution_type": "string",
    "quote_type": "string",
    "cue_stance": "string",
}

CLAIM: dict = {
    "id": "string",
    "span": SPAN,
    "attribution_id": "string",
    "checkworthiness": "string",
    "sourcing_strength": "int64",
    "claim_category": "string",
    "source_commitment": "string",
    "decontextualized": "string",
}

FRAMING_SPAN: dict = {**SPAN, "technique": "string", "voice": "string", "alternative": "string"}

FRAMING: dict = {
    "frames": ["string"],
    "primary_frame": "string",
    "framing_spans": [FRAMING_SPAN],
    "stance": [{"target": "string", "outlet_voice": "int64", "conveyed": "int64"}],
}

LABELS: dict = {
    "kind": "string",
    "attributions": [ATTRIBUTION],
    "claims": [CLAIM],
    "framing": FRAMING,
    "notes": "string",
}

# Paragraph metadata every record carries; strings are never null ("" when unknown).
ENVELOPE: dict = {
    "schema": "string",
    "article_id": "string",
    "paragraph_id": "string",
    "position": "int64",
    "kind": "string",
    "text": "string",
    "text_sha256": "string",
    "doc_char_start": "int64",
    "outlet": "string",
    "url": "string",
    "published": "string",
    "title": "string",
}

DECISION: dict = {
    "source": "string",
    "reviewer": "string",
    "annotators": ["string"],
    "note": "string",
    "decided_at": "string",
    # provenance: whose labels were compared, and per field or item whose version the gold holds
    "compared": ["string"],
    "taken": [{"path": "string", "annotators": ["string"], "edited": "bool"}],
}

AGREEMENT_FIELD: dict = {
    "field": "string",
    "statistic": "string",
    "value": "float64",
    "n": "int64",
    "reason": "string",
}

AGREEMENT: dict = {"n_annotators": "int64", "disagreement": "float64", "fields": [AGREEMENT_FIELD]}

ALL_RECORD: dict = {
    **ENVELOPE,
    "annotator": "string",
    "labels": LABELS,
    "seconds": "float64",
    "updated_at": "string",
}

GOLD_RECORD: dict = {**ENVELOPE, "labels": LABELS, "decision": DECISION, "agreement": AGREEMENT}

SPANS_META: dict = {
    **{k: v for k, v in ENVELOPE.items() if k != "text"},
    "source": "string",
    "reviewer": "string",
    "annotators": ["string"],
}

SPANS_RECORD: dict = {
    "text": "string",
    "spans": [{"start": "int64", "end": "int64", "label": "string", "text": "string"}],
    "meta": SPANS_META,
}

RECORD_SPECS: dict[str, dict] = {"all": ALL_RECORD, "gold": GOLD_RECORD, "spans": SPANS_RECORD}

# Envelope strings that are "" rather than null when the store has nothing.  Dates go the
# other way: "" is never a date, and pyarrow infers ISO 8601 strings as timestamp[s], so one
# "" in a later block breaks the cast while null does not.  Unknown dates are null.
_NEVER_NULL = ("outlet", "url", "title")
_DATES = ("published",)


class RecordError(ValueError):
    """A row cannot become a record of the fixed shape; ``path`` names the field."""

    def __init__(self, path: str, message: str):
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


def _coerce_int(value: Any, path: str) -> int:
    if type(value) is int:
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return int(value)
    raise RecordError(path, f"expected an integer, got {value!r}")


def _coerce_float(value: Any, path: str) -> float:
    if type(value) is float:
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    raise RecordError(path, f"expected a number, got {value!r}")


def _coerce_str(value: Any, path: str) -> str:
    if type(value) is str:
        return value
    raise RecordError(path, f"expected a string, got {value!r}")


def _coerce_bool(value: Any, path: str) -> bool:
    if type(value) is bool:
        return value
    raise RecordError(path, f"expected true or false, got {value!r}")


_LEAF_COERCE = {"int64": _coerce_int, "float64": _coerce_float, "string": _coerce_str, "bool": _coerce_bool}
_LEAF_TYPE = {"int64": int, "float64": float, "string": str, "bool": bool}


def compile_normaliser(spec: Any, path: str = "") -> Callable[[Any], Any]:
    """Return a function that rebuilds a value to ``spec`` or raises ``RecordError``.

    Structs get every key of the spec (``None``/``[]`` when absent) and reject keys
    the spec does not know, so nothing is dropped silently.  The function is
    generated as straight-line Python (one per struct), which is three times faster
    than walking the spec per value: exports run it on every row.
    """
    gen = _Codegen()
    name = gen.value(spec, path)
    namespace: dict = dict(gen.env)
    exec(compile("\n".join(gen.lines), f"<normaliser {path or 'record'}>", "exec"), namespace)  # noqa: S102
    return namespace[name]


def _bad_struct(value: Any, keys: frozenset, path: str) -> dict:
    if value is None:
        return None  # type: ignore[return-value]
    if isinstance(value, Mapping):
        if keys.issuperset(value):
            return dict(value)
        extra = sorted(set(value) - keys, key=str)
        raise RecordError(f"{path}.{extra[0]}".lstrip("."), "not in the export schema")
    raise RecordError(path or "record", f"expected an object, got {type(value).__name__}")


def _bad_list(value: Any, path: str) -> list:
    if value is None:
        return []
    if isinstance(value, tuple):
        return list(value)
    raise RecordError(path, f"expected a list, got {type(value).__name__}")


class _Codegen:
    """Emit one normaliser function per struct or list in a spec tree."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.env: dict[str, Any] = {
            "_bad_struct": _bad_struct,
            "_bad_list": _bad_list,
            "_dict": dict,
            "_list": list,
            **{f"_coerce_{k}": v for k, v in _LEAF_COERCE.items()},
            **{f"_type_{k}": v for k, v in _LEAF_TYPE.items()},
        }
        self.n = 0

    def _name(self, prefix: str) -> str:
        self.n += 1
        return f"_{prefix}{self.n}"

    def const(self, value: Any) -> str:
        name = self._name("c")
        self.env[name] = value
        return name

    def value(self, spec: Any, path: str) -> str:
        """Return the name of a generated function normalising ``spec``."""
        if isinstance(spec, str):
            fn = self._name("leaf")
            self.lines += [
                f"def {fn}(v):",
                f"    if v is None or v.__class__ is _type_{spec}: return v",
                f"    return _coerce_{spec}(v, {path!r})",
            ]
            return fn
        if isinstance(spec, list):
            item = spec[0]
            fn = self._name("list")
            if isinstance(item, str):
                elem = (
                    f"(x if x is None or x.__class__ is _type_{item} else _coerce_{item}(x, {path + '[]'!r}))"
                )
            else:
                elem = f"{self.value(item, path + '[]')}(x)"
            self.lines += [
                f"def {fn}(v):",
                f"    if v.__class__ is not _list: v = _bad_list(v, {path!r})",
                f"    return [{elem} for x in v]",
            ]
            return fn
        keys = self.const(frozenset(spec))
        body, items = [], []
        for i, (k, sub) in enumerate(spec.items()):
            p = f"{path}.{k}".lstrip(".")
            if isinstance(sub, str):
                body += [
                    f"    x{i} = g({k!r})",
                    f"    if x{i} is not None and x{i}.__class__ is not _type_{sub}: x{i} = _coerce_{sub}(x{i}, {p!r})",
                ]
            elif isinstance(sub, list):
                body.append(f"    x{i} = {self.value(sub, p)}(g({k!r}))")
            else:
                sub_fn = self.value(sub, p)
                body += [f"    x{i} = g({k!r})", f"    if x{i} is not None: x{i} = {sub_fn}(x{i})"]
            items.append(f"{k!r}: x{i}")
        fn = self._name("struct")
        self.lines += [
            f"def {fn}(v):",
            f"    if v.__class__ is not _dict or not {keys}.issuperset(v):",
            f"        v = _bad_struct(v, {keys}, {path!r})",
            "        if v is None: return None",
            "    g = v.get",
            *body,
            "    return {" + ", ".join(items) + "}",
        ]
        return fn


normalise_labels = compile_normaliser(LABELS, "labels")
normalise_decision = compile_normaliser(DECISION, "decision")
_normalise_agreement = compile_normaliser(AGREEMENT, "agreement")


def normalise_agreement(figures: Mapping | None) -> dict:
    """Return per-paragraph agreement figures in the fixed shape ``AGREEMENT``.

    Accepts ``{}``/``None``, the fixed shape itself, or a flat mapping in which
    ``n_annotators`` and ``disagreement`` are taken as they are and every other key
    is a field path whose value is a number or ``{"statistic", "value", "n", "reason"}``
    (the shape of ``annotator agreement --json``).  A ``fields`` mapping is read the
    same way.  Field entries are sorted by path so records compare equal.
    """
    figures = dict(figures or {})
    out: dict = {
        "n_annotators": figures.pop("n_annotators", None),
        "disagreement": figures.pop("disagreement", None),
    }
    fields = figures.pop("fields", None)
    entries: list[dict] = []
    if isinstance(fields, list):
        entries.extend(fields)
    elif isinstance(fields, Mapping):
        figures = {**fields, **figures}
    for name in sorted(figures):
        value = figures[name]
        if isinstance(value, Mapping):
            entries.append(
                {"field": name, **{k: value.get(k) for k in ("statistic", "value", "n", "reason")}}
            )
        else:
            entries.append({"field": name, "statistic": None, "value": value, "n": None, "reason": None})
    out["fields"] = entries
    out = _normalise_agreement(out)
    # NaN or infinity means "undefined": null, as JSON and pyarrow have no other spelling for it.
    if out["disagreement"] is not None and not math.isfinite(out["disagreement"]):
        out["disagreement"] = None
    for f in out["fields"]:
        if f["value"] is not None and not math.isfinite(f["value"]):
            f["value"] = None
    return out


def _envelope(row: Mapping, scheme_name: str, cache: list | None = None) -> dict:
    """Return the record envelope of a row; consecutive rows of one paragraph reuse it."""
    if cache is not None:
        pid = row.get("paragraph_id")
        if pid is not None and pid == cache[0]:
            return dict(cache[1])
    try:
        out = {
            "schema": scheme_name,
            "article_id": row["article_id"],
            "paragraph_id": row["paragraph_id"],
            "position": row["position"],
            "kind": row["kind"],
            "text": row["text"],
            "text_sha256": row["text_sha256"],
            "doc_char_start": row["doc_char_start"],
            "outlet": row.get("outlet"),
            "url": row.get("url"),
            "published": row.get("published"),
            "title": row.get("title"),
        }
    except KeyError as e:
        raise RecordError(str(e.args[0]), "missing from the row") from None
    for k in _NEVER_NULL:
        if out[k] is None:
            out[k] = ""
    for k in _DATES:
        if out[k] == "":
            out[k] = None
    env = _normalise_envelope(out)
    if cache is not None:
        cache[0], cache[1] = env["paragraph_id"], env
        return dict(env)
    return env


_normalise_envelope = compile_normaliser(ENVELOPE, "")


def _row_error(row: Mapping, err: RecordError) -> RecordError:
    pid = row.get("paragraph_id", "?") if isinstance(row, Mapping) else "?"
    who = row.get("annotator") if isinstance(row, Mapping) else None
    where = f"{pid}" + (f" ({who})" if who else "")
    return RecordError(err.path, f"{where}: {err.message}")


SPAN_LABELS = ("SOURCE", "CUE", "CONTENT", "CLAIM")


def iter_label_spans(labels: Mapping | None) -> Iterator[tuple[dict, str]]:
    """Yield ``(span, label)`` for every source, cue, content, claim and framing span."""
    if not labels:
        return
    for a in labels.get("attributions") or ():
        for s in a.get("sources") or ():
            yield s, "SOURCE"
        if a.get("cue"):
            yield a["cue"], "CUE"
        for s in a.get("contents") or ():
            yield s, "CONTENT"
    for c in labels.get("claims") or ():
        if c.get("span"):
            yield c["span"], "CLAIM"
    for f in (labels.get("framing") or {}).get("framing_spans") or ():
        yield f, f.get("technique") or "FRAMING"


def spans_of(labels: Mapping | None) -> list[dict]:
    """Return the labels' spans flattened, deduplicated and sorted, spaCy/Prodigy style."""
    seen = set()
    out = []
    for s, label in iter_label_spans(labels):
        key = (s["start"], s["end"], label)
        if key not in seen:
            seen.add(key)
            out.append({"start": s["start"], "end": s["end"], "label": label, "text": s["text"]})
    out.sort(key=lambda s: (s["start"], s["end"], s["label"]))
    return out


def _all_record(row: Mapping, scheme_name: str, cache: list | None = None) -> dict:
    rec = _envelope(row, scheme_name, cache)
    rec["annotator"] = _coerce_str(row.get("annotator"), "annotator")
    rec["labels"] = normalise_labels(row.get("labels"))
    seconds = row.get("seconds")
    if seconds is not None:
        seconds = _coerce_float(seconds, "seconds")
        if not math.isfinite(seconds):
            raise RecordError("seconds", f"{seconds!r} is not a finite number")
    rec["seconds"] = seconds
    updated = row.get("updated_at")
    rec["updated_at"] = None if updated is None or updated == "" else _coerce_str(updated, "updated_at")
    return rec


def _decision(row: Mapping) -> dict:
    d = dict(row.get("decision") or {})
    d.setdefault("note", "")
    if d["note"] is None:
        d["note"] = ""
    d["annotators"] = sorted(d.get("annotators") or ())
    d["compared"] = sorted(d.get("compared") or ())
    d["taken"] = d.get("taken") or []
    if d.get("decided_at") == "":
        d["decided_at"] = None
    return normalise_decision(d)


def _gold_record(row: Mapping, scheme_name: str, cache: list | None = None) -> dict:
    rec = _envelope(row, scheme_name, cache)
    rec["labels"] = normalise_labels(row.get("labels"))
    rec["decision"] = _decision(row)
    rec["agreement"] = normalise_agreement(row.get("agreement"))
    return rec


def _spans_record(row: Mapping, scheme_name: str, cache: list | None = None) -> dict:
    env = _envelope(row, scheme_name, cache)
    labels = normalise_labels(row.get("labels"))
    decision = _decision(row)
    text = env.pop("text")
    env["source"] = decision["source"]
    env["reviewer"] = decision["reviewer"]
    env["annotators"] = decision["annotators"]
    return {"text": text, "spans": spans_of(labels), "meta": env}


_BUILDERS = {"all": _all_record, "gold": _gold_record, "spans": _spans_record}


def records(view: str, rows: Iterable[Mapping], *, scheme_name: str) -> Iterator[dict]:
    """Yield one export record per row, in the fixed shape of ``RECORD_SPECS[view]``.

    Lazy: one row in, one record out.  Raises ``ValueError`` for an unknown view and
    ``RecordError`` (naming the paragraph, annotator and field) for a row that does
    not fit the shape.
    """
    if view not in _BUILDERS:
        raise ValueError(f"unknown export view {view!r}; expected one of {', '.join(VIEWS)}")
    build = _BUILDERS[view]
    cache: list = [None, None]  # (paragraph_id, envelope): rows of one paragraph share it
    for row in rows:
        try:
            yield build(row, scheme_name, cache)
        except RecordError as e:
            raise _row_error(row, e) from None


def hf_features(spec: Any) -> Any:
    """Return ``spec`` as a Hugging Face ``features`` list (the dataset-card YAML form)."""
    return [_hf_field(k, v) for k, v in spec.items()]


def _hf_field(name: str, spec: Any) -> dict:
    if isinstance(spec, str):
        return {"name": name, "dtype": spec}
    if isinstance(spec, list):
        inner = spec[0]
        if isinstance(inner, str):
            return {"name": name, "list": inner}
        return {"name": name, "list": hf_features(inner)}
    return {"name": name, "struct": hf_features(spec)}
