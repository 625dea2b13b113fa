"""One paragraph under review: majority defaults, composing gold from annotators' versions, deciding."""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping

import sqlite_utils

from .. import agreement
from ..agreement import links
from ..errors import Invalid
from ..scheme import load_scheme, normalize, validate, without_origins
from ..store import decisions, events, reviewing, write
from .queue import _figures, project_fields

# -- one paragraph -----------------------------------------------------------------------------------------


def _canon(value) -> str:
    """Return a comparable text form of a field value: lists of names order-free, ids dropped."""
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        value = sorted(value)
    elif isinstance(value, dict):
        value = {k: v for k, v in value.items() if k not in ("id", "attribution_id")}
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _majority(groups: dict[str, list[str]], order: list[str]) -> str:
    """Return a member of the biggest group; ties go to the group holding the earliest annotator."""
    best = max(groups.values(), key=lambda names: (len(names), -min(order.index(n) for n in names)))
    return best[0]


def default_picks(diff: Mapping) -> dict[str, str]:
    """Return the majority choice for every field and item: the version most annotators gave.

    An item at least half the annotators marked is kept (their most common version). One fewer than half
    marked gets no default (see :func:`undecided`): the reviewer takes it or leaves it out, never by
    saving without looking.
    """
    names = list(diff["annotators"])
    picks: dict[str, str] = {}
    for path, f in diff["fields"].items():
        groups: dict[str, list[str]] = {}
        for name in names:
            groups.setdefault(_canon(f["values"].get(name)), []).append(name)
        picks[f"field:{path}"] = _majority(groups, names)
    for section, key in SECTIONS:
        for r, row in enumerate(diff[section]):
            present = [n for n in names if row["present"][n]]
            if 2 * len(present) < len(names):
                continue
            groups = {}
            for name in present:
                version = tuple(
                    _canon(f["values"].get(name))
                    for fname, f in row["fields"].items()
                    if not f.get("free_text")
                )
                groups.setdefault(repr(version), []).append(name)
            picks[f"{key}:{r}"] = _majority(groups, names)
    return picks


_TITLES = {"attribution": "attribution", "claim": "claim", "fspan": "framing span"}

#: The aligned sections of a diff and the pick key of their rows.
SECTIONS = (("attributions", "attribution"), ("claims", "claim"), ("framing_spans", "fspan"))


def partial_rows(diff: Mapping) -> dict[str, list[str]]:
    """Return ``{pick key: [names who marked it]}`` for items some annotators marked and others did not."""
    names = list(diff["annotators"])
    out = {}
    for section, key in SECTIONS:
        for r, row in enumerate(diff[section]):
            present = [n for n in names if row["present"][n]]
            if len(present) < len(names):
                out[f"{key}:{r}"] = present
    return out


def undecided(diff: Mapping, picks: Mapping[str, str]) -> list[str]:
    """Return the pick keys of items fewer than half the annotators marked on which nobody chose yet."""
    n = len(diff["annotators"])
    return [
        key
        for key, present in partial_rows(diff).items()
        if 2 * len(present) < n
        and picks.get(key) is None
        and not (key.startswith("attribution:") and picks.get("no_attribution"))
    ]


#: The row kind of the review diff that holds each span-bearing container of the labels.
_ROW_KINDS = {"attributions[]": "attribution", "claims[]": "claim", "framing.framing_spans": "fspan"}


def movable_spans(scheme) -> dict[str, dict[str, dict]]:
    """Return the spans a reviewer may move in place, read off the scheme's span roles.

    ``{row kind: {role: {"field", "many", "key", "label"}}}``: ``field`` names the item's field holding the
    span (``None``: the item is the span itself, as a framing span is), ``many`` that it is a list of spans
    (a move replaces the first), ``key`` the role's key on the annotate page. Only the roles the review
    page draws (:data:`ROLES`) and the project has on.
    """
    out: dict[str, dict[str, dict]] = {}
    for r in scheme.span_roles:
        if r.name not in ROLES or not scheme.enabled(r.field):
            continue
        container, _, name = r.field.rpartition(".")
        if r.field in _ROW_KINDS:
            kind, field, many = _ROW_KINDS[r.field], None, False
        elif container in _ROW_KINDS:
            kind, field, many = _ROW_KINDS[container], name, scheme.field(r.field).type == "spans"
        else:
            continue
        out.setdefault(kind, {})[r.name] = {"field": field, "many": many, "key": r.key, "label": r.label}
    return out


def span_edits(picks: Mapping[str, str], movable: Mapping[str, Mapping]) -> dict[str, dict]:
    """Return the spans moved in review: ``{"span:<row key>:<role>": {start, end, text}}``.

    Only the shape is checked here; whether the text matches the paragraph is the scheme's check, run on
    the whole document like any other edit. Raises ``Invalid`` naming the key of a malformed one.
    """
    out = {}
    for key, raw in picks.items():
        if not key.startswith("span:") or not raw:
            continue
        parts = key.split(":")
        if len(parts) != 4 or parts[3] not in movable.get(parts[1], {}):
            raise Invalid(f"{key!r} names no span that can be moved", field=key)
        try:
            span = json.loads(raw)
        except ValueError:
            span = None
        if not isinstance(span, dict) or set(span) != {"start", "end", "text"}:
            raise Invalid("a moved span must be a JSON object {start, end, text}", field=key)
        out[key] = span
    return out


def _move_spans(item: dict, key: str, edits: Mapping[str, dict], movable: Mapping[str, Mapping]) -> None:
    for role, where in movable.get(key.split(":")[0], {}).items():
        span = edits.get(f"span:{key}:{role}")
        if span is None:
            continue
        if where["field"] is None:
            item.update(span)
        elif where["many"]:
            item[where["field"]] = [dict(span), *(item.get(where["field"]) or [])[1:]]
        else:
            item[where["field"]] = dict(span)


def compose(
    annotations: Mapping[str, Mapping],
    diff: Mapping,
    picks: Mapping[str, str],
    broken: list | None = None,
    placed: list | None = None,
    movable: Mapping[str, Mapping] | None = None,
) -> dict:
    """Return the labels built from one annotator's version per field and item, as ``picks`` says.

    ``picks`` maps ``field:<path>``, ``attribution:<row>``, ``claim:<row>`` and ``fspan:<row>`` to an
    annotator's name (``""``: leave the item out); missing keys take the majority (an item nobody chose
    and fewer than half marked is left out). ``no_attribution`` set drops every attribution and makes
    every claim the outlet's own voice. Ids are renumbered; a chosen claim keeps its link when the
    attribution it names is chosen too (from whichever annotator). When that attribution is left out the
    link is broken, and ``link:<claim row>`` says what to do: ``keep`` (take that attribution too),
    ``attribution:<row>`` (link to another attribution that stays) or ``own`` (the outlet's own voice).
    Without it the claim's ``attribution_id`` names the left-out attribution (``links.LEFT_OUT``), which
    no check lets through. ``broken`` (when given) gets, for every claim whose attribution is left out,
    ``{"claim_row", "claim", "attribution_row", "name", "choice"}`` (``choice``: the answer, or None).
    ``span:<row key>:<role>`` moves a span of the chosen item, where ``movable`` (see :func:`movable_spans`)
    allows it (see :func:`span_edits`). ``placed`` (when
    given) gets ``{"key", "section", "index"}`` for every item kept: which row each gold item came from.
    """
    movable = movable or {}
    edits = span_edits(picks, movable)
    chosen = {**default_picks(diff), **{k: v for k, v in picks.items() if v is not None}}
    names = set(annotations)

    def who(key: str) -> str | None:
        name = chosen.get(key) or None
        if name is not None and name not in names:
            raise Invalid(f"{name!r} did not annotate this paragraph", field=key)
        return name

    no_attribution = bool(picks.get("no_attribution"))
    kept_back: dict[int, int] = {}  # claim row -> the left-out attribution row "keep" brought back
    if not no_attribution:
        # "keep": a claim's left-out attribution comes back, in the claim's annotator's version
        for r, row in enumerate(diff["claims"]):
            name = who(f"claim:{r}")
            if chosen.get(f"link:{r}") != "keep" or name is None or name not in row["index"]:
                continue
            link = row["fields"].get("attribution_id", {}).get("values", {}).get(name)
            if link is not None and who(f"attribution:{link}") is None:
                chosen[f"attribution:{link}"] = name
                kept_back[r] = link

    labels: dict = {}
    framing: dict = {}
    for path in diff["fields"]:
        name = who(f"field:{path}")
        if name is None:
            continue
        if path.startswith("framing."):
            value = (annotations[name].get("framing") or {}).get(path.split(".", 1)[1])
            framing[path.split(".", 1)[1]] = copy.deepcopy(value)
        else:
            labels[path] = copy.deepcopy(annotations[name].get(path))
    attributions, row_ids = [], {}
    if not no_attribution:
        for r, row in enumerate(diff["attributions"]):
            name = who(f"attribution:{r}")
            if name is None or name not in row["index"]:
                continue
            item = copy.deepcopy((annotations[name].get("attributions") or [])[row["index"][name]])
            item["id"] = row_ids[r] = f"a{len(attributions) + 1}"
            _move_spans(item, f"attribution:{r}", edits, movable)
            if placed is not None:
                placed.append(
                    {"key": f"attribution:{r}", "section": "attributions", "index": len(attributions)}
                )
            attributions.append(item)
    claims = []
    for r, row in enumerate(diff["claims"]):
        name = who(f"claim:{r}")
        if name is None or name not in row["index"]:
            continue
        item = copy.deepcopy((annotations[name].get("claims") or [])[row["index"][name]])
        item["id"] = f"c{len(claims) + 1}"
        _move_spans(item, f"claim:{r}", edits, movable)
        if placed is not None:
            placed.append({"key": f"claim:{r}", "section": "claims", "index": len(claims)})
        link = row["fields"].get("attribution_id", {}).get("values", {}).get(name)
        if no_attribution or link is None:
            item["attribution_id"] = None
        elif link in row_ids:
            item["attribution_id"] = row_ids[link]
            if r in kept_back and broken is not None:  # still a question the page shows, answered
                broken.append(
                    {
                        "claim_row": r,
                        "claim": len(claims),
                        "attribution_row": link,
                        "name": name,
                        "choice": "keep",
                    }
                )
        else:
            how = chosen.get(f"link:{r}") or ""
            target = how.removeprefix("attribution:") if how.startswith("attribution:") else None
            if how == "own":
                item["attribution_id"] = None
            elif target is not None and target.isdigit() and int(target) in row_ids:
                item["attribution_id"] = row_ids[int(target)]
            else:
                item["attribution_id"] = f"{links.LEFT_OUT}{name}'s attribution {link + 1}"
                how = None
            if broken is not None:
                broken.append(
                    {
                        "claim_row": r,
                        "claim": len(claims),
                        "attribution_row": link,
                        "name": name,
                        "choice": how,
                    }
                )
        claims.append(item)
    spans = []
    for r, row in enumerate(diff["framing_spans"]):
        name = who(f"fspan:{r}")
        if name is None or name not in row["index"]:
            continue
        fs = (annotations[name].get("framing") or {}).get("framing_spans") or []
        item = copy.deepcopy(fs[row["index"][name]])
        _move_spans(item, f"fspan:{r}", edits, movable)
        if placed is not None:
            placed.append({"key": f"fspan:{r}", "section": "framing_spans", "index": len(spans)})
        spans.append(item)
    labels["attributions"] = attributions
    labels["claims"] = claims
    framing["framing_spans"] = spans
    labels["framing"] = framing
    return labels


def _link_choices(diff: Mapping, picks: Mapping[str, str], broken: list[dict]) -> list[dict]:
    """Return, per broken link, what the page offers: keep the attribution, or link to one that stays."""
    kept = [
        (r, picks[f"attribution:{r}"])
        for r in range(len(diff["attributions"]))
        if picks.get(f"attribution:{r}") and not picks.get("no_attribution")
    ]
    out = []
    for b in broken:
        row = diff["attributions"][b["attribution_row"]]
        cue = row["fields"].get("cue", {}).get("values", {}).get(b["name"])
        others = []
        for r, name in kept:
            c = diff["attributions"][r]["fields"].get("cue", {}).get("values", {}).get(name)
            others.append({"row": r, "cue": (c or {}).get("text") if isinstance(c, Mapping) else None})
        out.append(
            {**b, "cue": (cue or {}).get("text") if isinstance(cue, Mapping) else None, "others": others}
        )
    return out


def _scheme(project: Mapping):
    return load_scheme(project["scheme"], extended=project["settings"].extended)


def review_item(
    db: sqlite_utils.Database, project: Mapping, paragraph_id: int, *, picks: Mapping[str, str] | None = None
) -> dict:
    """Return what the review page shows: the paragraph, every annotation, their differences, the decision.

    ``composed`` is the gold the ``picks`` (else the majority) would give, with its ``problems``.
    """
    paragraph = reviewing.get_project_paragraph(db, project["id"], paragraph_id)
    rows = reviewing.list_paragraph_annotations(db, paragraph_id)
    annotations = {row["name"]: row["labels"] for row in rows}
    fields = project_fields(project)
    diff = agreement.diff_fields(annotations, fields)
    decision = decisions.find_decision(db, paragraph_id)
    chosen = {**default_picks(diff), **(picks or {})}
    movable = movable_spans(_scheme(project))
    composed, problems, broken, placed = {}, [], [], []
    if annotations:
        try:
            composed, problems = check_labels(
                project, paragraph["text"], compose(annotations, diff, chosen, broken, placed, movable)
            )
        except Invalid as e:
            problems = [{"path": e.field or "", "message": e.message, "code": "value"}]
    return {
        "paragraph": paragraph,
        "annotations": rows,
        "by_name": annotations,
        "diff": diff,
        "picks": chosen,
        "composed": composed,
        "problems": problems,
        "broken_links": _link_choices(diff, chosen, broken),
        "partial": partial_rows(diff),
        "undecided": undecided(diff, chosen),
        "highlights": highlights(paragraph["text"], annotations),
        **span_editor(paragraph["text"], composed, placed, chosen, movable),
        "decision": decision,
        "revisions": decisions.list_revisions(db, paragraph_id) if decision else [],
        "item": reviewing.find_review_item(db, paragraph_id),
        "disagreement": agreement.paragraph_disagreement(annotations, fields)
        if len(annotations) > 1
        else None,
        "next_id": reviewing.next_open_item(db, project["id"], after=paragraph_id),
    }


#: Span roles shown on the review page, in drawing order.
ROLES = ("source", "cue", "content", "claim", "framing")


def _marks(labels: Mapping) -> list[tuple[dict, str]]:
    marks = []
    for a in labels.get("attributions") or ():
        marks += [(s, "source") for s in a.get("sources") or ()]
        marks.append((a.get("cue"), "cue"))
        marks += [(s, "content") for s in a.get("contents") or ()]
    marks += [(c.get("span"), "claim") for c in labels.get("claims") or ()]
    marks += [(f, "framing") for f in (labels.get("framing") or {}).get("framing_spans") or ()]
    return marks


def segments(text: str, marks: list[tuple[int, int, str, str]]) -> list[dict]:
    """Cut ``text`` at every span boundary; return pieces ``{"text", "roles", "who": {role: [names]}}``.

    Built from offsets only: the template escapes each piece, so article text never becomes markup.
    """
    cuts = {0, len(text)}
    for start, end, _, _ in marks:
        cuts.update((start, end))
    cuts = sorted(cuts)
    out = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        who: dict[str, list[str]] = {}
        for start, end, role, name in marks:
            if start <= a and b <= end and name not in who.setdefault(role, []):
                who[role].append(name)
        who = {role: names for role, names in who.items() if names}
        out.append(
            {"text": text[a:b], "start": a, "end": b, "roles": [r for r in ROLES if r in who], "who": who}
        )
    return out


def _valid_marks(text: str, labels: Mapping, name: str) -> list[tuple[int, int, str, str]]:
    marks = []
    for span, role in _marks(labels):
        if isinstance(span, Mapping):
            start, end = span.get("start"), span.get("end")
            if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text):
                marks.append((start, end, role, name))
    return marks


def _quote(span, limit: int = 40) -> str:
    text = span.get("text") if isinstance(span, Mapping) else None
    if not isinstance(text, str) or not text:
        return ""
    return f" (“{text if len(text) <= limit else text[: limit - 1] + '…'}”)"


#: What the span editor calls the items of each row kind.
_KIND_TITLES = {"attribution": "Attribution", "claim": "Claim", "fspan": "Framing span"}


def span_editor(
    text: str, composed: Mapping, placed: list[dict], picks: Mapping[str, str], movable: Mapping[str, Mapping]
) -> dict:
    """Return what the in-place span editor shows: the gold's spans over the text, the items it can move.

    ``gold_segments``: the composed gold drawn like the annotators' rows; ``span_kinds``: per row kind
    that has movable spans, ``{"kind", "title", "roles": [{"role", "key", "label", "many"}], "targets":
    [{"key", "label"}]}`` (targets in gold order); ``span_keys``: ``{key: [role, kind, label]}`` for the
    page's script; ``moved``: the span edits in force (hidden inputs).
    """
    if not isinstance(composed, Mapping):
        composed = {}
    targets: dict[str, list[dict]] = {kind: [] for kind in movable}
    for p in placed:
        kind = p["key"].split(":")[0]
        if kind not in targets:
            continue
        if p["section"] == "framing_spans":
            items = (composed.get("framing") or {}).get("framing_spans") or []
        else:
            items = composed.get(p["section"]) or []
        item = items[p["index"]] if p["index"] < len(items) else {}
        span = {"attribution": item.get("cue"), "claim": item.get("span"), "fspan": item}[kind]
        targets[kind].append(
            {"key": p["key"], "label": f"{_KIND_TITLES[kind]} {p['index'] + 1}{_quote(span)}"}
        )
    kinds = [
        {
            "kind": kind,
            "title": _KIND_TITLES[kind],
            "roles": [{"role": role, **where} for role, where in movable[kind].items()],
            "targets": targets[kind],
        }
        for kind in _KIND_TITLES
        if kind in movable
    ]
    marks = _valid_marks(text, composed, "gold")
    return {
        "gold_segments": segments(text, marks),
        "span_kinds": kinds,
        "span_keys": {
            r["key"]: [r["role"], k["kind"], r["label"].lower()] for k in kinds for r in k["roles"]
        },
        "moved": {k: v for k, v in picks.items() if k.startswith("span:") and v},
    }


def highlights(text: str, annotations: Mapping[str, Mapping]) -> dict:
    """Return each annotator's marked spans over ``text`` and all of them merged (who marked what)."""
    each, merged = {}, []
    for name, labels in annotations.items():
        marks = _valid_marks(text, labels, name)
        each[name] = segments(text, marks)
        merged += marks
    return {"each": each, "merged": segments(text, merged), "n": len(annotations)}


def check_labels(project: Mapping, text: str, labels) -> tuple[dict, list[dict]]:
    """Return the labels normalised to the project's scheme and their problems (``[]``: valid)."""
    scheme = _scheme(project)
    if not isinstance(labels, dict):
        return labels, [{"path": "", "message": "labels must be a JSON object", "code": "type"}]
    labels = normalize(labels, scheme)
    broken = links.link_problems(labels)
    covered = {p["path"] for p in broken}
    problems = [e.to_dict() for e in validate(labels, text, scheme)]
    # the whole-document check says more about a broken link than the scheme's "not an id" does
    problems = [p for p in problems if p["path"] not in covered] + broken
    return labels, problems


def parse_labels_json(text: str) -> dict:
    """Return the labels a reviewer typed as JSON; raise ``Invalid`` naming the line and column."""
    try:
        labels = json.loads(text)
    except json.JSONDecodeError as e:
        raise Invalid(
            f"the labels are not valid JSON: line {e.lineno}, column {e.colno}: {e.msg}", field="labels"
        ) from None
    if not isinstance(labels, dict):
        raise Invalid("the labels must be a JSON object", field="labels")
    return labels


def decide(
    db: sqlite_utils.Database,
    project: Mapping,
    *,
    actor: Mapping | None,
    paragraph_id: int,
    note: str = "",
    picks: Mapping[str, str] | None = None,
    labels: Mapping | None = None,
    expected_version: int | None = None,
) -> dict:
    """Save the gold decision of a paragraph and return it; every version is kept.

    The labels come from ``picks`` (one annotator's version per field and item, see :func:`compose`) or
    are given whole (a reviewer's edit); they are validated against the project's scheme first. Raises
    ``Invalid`` (with ``errors``: the per-field problems) and ``Conflict`` when the decision changed since
    ``expected_version``.
    """
    paragraph = reviewing.get_project_paragraph(db, project["id"], paragraph_id)
    rows = reviewing.list_paragraph_annotations(db, paragraph_id)
    annotations = {row["name"]: row["labels"] for row in rows}
    how = "edited"
    problems = []
    fields = project_fields(project)
    if labels is None:
        if not annotations:
            raise Invalid("nobody has annotated this paragraph: write the labels as JSON instead")
        diff = agreement.diff_fields(annotations, fields)
        partial = partial_rows(diff)
        for key in undecided(diff, picks or {}):
            kind, r = key.split(":")
            problems.append(
                {
                    "path": key,
                    "message": f"{_TITLES[kind]} {int(r) + 1} was marked only by {', '.join(partial[key])}: "
                    "take it or leave it out",
                    "code": "undecided",
                }
            )
        labels = compose(annotations, diff, picks or {}, movable=movable_spans(_scheme(project)))
        how = "picked"
    labels, more = check_labels(project, paragraph["text"], without_origins(labels))
    problems += more
    if problems:
        error = Invalid(
            f"the decision has {len(problems)} problem{'s' * (len(problems) != 1)}", field="labels"
        )
        error.errors = problems
        error.labels = labels
        raise error
    gold = agreement.normalise(labels, layout=fields)
    agreed = [
        name for name, theirs in annotations.items() if agreement.normalise(theirs, layout=fields) == gold
    ]
    taken = agreement.provenance(labels, annotations)
    disagreement = agreement.paragraph_disagreement(annotations, fields) if len(annotations) > 1 else 0.0
    with write(db):
        decision = decisions.save_decision(
            db,
            paragraph_id=paragraph_id,
            labels=labels,
            source="adjudicated",
            reviewer_id=actor["id"] if actor else None,
            annotators=agreed,
            compared=sorted(annotations),
            taken=taken,
            note=(note or "").strip(),
            agreement=_figures(len(annotations), disagreement),
            expected_version=expected_version,
        )
        if len(annotations) >= 2:
            reviewing.upsert_review_items(
                db,
                [
                    {
                        "paragraph_id": paragraph_id,
                        "project_id": project["id"],
                        "state": "decided",
                        "n_annotations": len(annotations),
                        "disagreement": disagreement,
                        "unanimous": int(agreement.is_unanimous(annotations, layout=fields)),
                    }
                ],
            )
        events.log_event(
            db,
            "decision.saved",
            user_id=actor["id"] if actor else None,
            project_id=project["id"],
            paragraph_id=paragraph_id,
            version=decision["version"],
            how=how,
            picks={k: v for k, v in (picks or {}).items() if how == "picked"},
        )
    return decision
