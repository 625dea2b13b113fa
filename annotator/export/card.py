"""Render the ``README.md`` dataset card of an export from its manifest.

The YAML front matter follows the Hugging Face dataset-card layout: ``configs``
maps splits to files and ``dataset_info.features`` pins the column types, so
``datasets.load_dataset("<export dir>")`` loads with the declared schema instead of
one inferred from the first block of each file.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from ..scheme import Scheme
from .labelling import default_scheme

_VIEW_TEXT = {
    "all": "one line per (paragraph, annotator): every annotator's current labels, with the seconds spent",
    "gold": "one line per decided paragraph: the gold labels, how they were decided and the paragraph's agreement",
    "spans": "one line per decided paragraph in the spaCy/Prodigy span shape `{text, spans, meta}`",
}


def to_yaml(value: Any, indent: int = 0) -> str:
    """Return ``value`` (dicts, lists, scalars) as block YAML; strings are JSON-quoted, which YAML reads."""
    pad = " " * indent
    lines: list[str] = []
    if isinstance(value, Mapping):
        for k, v in value.items():
            if isinstance(v, Mapping | list) and v:
                lines.append(f"{pad}{k}:")
                lines.append(to_yaml(v, indent + 2))
            else:
                lines.append(f"{pad}{k}: {_scalar(v)}")
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, Mapping) and item:
                body = to_yaml(item, indent + 2)
                lines.append(f"{pad}- {body[indent + 2 :]}")
            elif isinstance(item, list) and item:
                lines.append(f"{pad}-")
                lines.append(to_yaml(item, indent + 2))
            else:
                lines.append(f"{pad}- {_scalar(item)}")
    else:
        lines.append(f"{pad}{_scalar(value)}")
    return "\n".join(lines)


def _scalar(v: Any) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int | float):
        return json.dumps(v)
    if isinstance(v, Mapping):
        return "{}"
    if isinstance(v, list):
        return "[]"
    return json.dumps(str(v), ensure_ascii=False)


def front_matter(manifest: Mapping) -> dict:
    """Return the dataset card's YAML metadata for an export manifest."""
    files = [f for f in manifest["files"] if f["records"] > 0]
    # An unsplit export is one "train" split to datasets ("all" is a reserved split name there).
    data_files = [{"split": f["split"] or "train", "path": f["path"]} for f in files]
    meta: dict = {
        "license": "unknown",
        "language": ["en"],
        "pretty_name": f"annotator export ({manifest['view']})",
    }
    if data_files:
        meta["configs"] = [{"config_name": "default", "data_files": data_files}]
    meta["dataset_info"] = {
        "features": manifest["features"],
        "splits": [
            {"name": f["split"] or "train", "num_bytes": f["bytes"], "num_examples": f["records"]}
            for f in files
        ],
    }
    return meta


def render(
    manifest: Mapping, label_definitions: Mapping | None = None, label_scheme: Scheme | None = None
) -> str:
    """Return the README.md dataset card for ``manifest``, whose labels follow ``label_scheme`` (default newsattr-1)."""
    view = manifest["view"]
    label_scheme = label_scheme or default_scheme()
    scheme = manifest.get("scheme") or {}
    scheme_name = scheme.get("name") or scheme.get("schema") or label_scheme.name
    counts = manifest["counts"]
    params = manifest.get("parameters") or {}
    out = ["---", to_yaml(front_matter(manifest)), "---", ""]
    out += [f"# {params.get('project', 'annotator')} — {view} export", ""]
    out += [
        "## What was labelled",
        "",
        f"News paragraphs, each labelled in the context of its article with the `{scheme_name}` scheme"
        + (f" ({label_scheme.title})" if label_scheme.title else "")
        + ": "
        + (label_scheme.description or "see its fields below."),
        "",
        "Fields of `labels`: " + ", ".join(f"`{f.path}` ({f.type})" for f in label_scheme.fields) + ".",
        "",
        f"This file set holds the `{view}` view: {_VIEW_TEXT[view]}. "
        f"{counts['records']['total']} records from {counts['articles']['total']} articles.",
        "",
        "| file | split | records | articles | bytes | sha256 |",
        "|---|---|---|---|---|---|",
    ]
    for f in manifest["files"]:
        out.append(
            f"| `{f['path']}` | {f['split'] or '-'} | {f['records']} | {f['articles']} | {f['bytes']} "
            f"| `{f['sha256']}` |"
        )
    out.append("")
    split = manifest.get("split")
    if split:
        out += [
            f"Split by article ({'/'.join(str(r) for r in split['ratios'])}, seed {split['seed']}): "
            f"{split['method']}. No article is in two splits, and adding articles never moves another.",
            "",
        ]
    out += ["## How it was labelled", ""]
    if params:
        out += ["Export parameters:", ""]
        out += [f"- `{k}`: {json.dumps(v, ensure_ascii=False)}" for k, v in params.items()]
        out.append("")
    out += [
        "Annotators worked blind to each other, in a browser, one paragraph at a time. Offsets are Unicode code "
        "points, 0-based and end-exclusive, relative to the paragraph text (`text[start:end]` in Python), and "
        "every span carries its text. In `gold`, `decision.source` says whether all annotators agreed "
        "(`unanimous`) or a reviewer settled a disagreement (`adjudicated`).",
        "",
        "## Agreement",
        "",
    ]
    out += _agreement(manifest.get("agreement_summary"))
    out += ["## Label counts", ""]
    total = counts["labels"].get("total") or {}
    if total:
        out += ["| label | count |", "|---|---|"] + [f"| `{k}` | {v} |" for k, v in total.items()] + [""]
    else:
        out += ["No labels.", ""]
    out += ["## Label definitions", ""]
    out += _definitions(label_definitions)
    out += [
        "## Loading",
        "",
        "```python",
        "import pandas as pd",
        f'df = pd.read_parquet("{manifest["files"][0]["path"]}")'
        if manifest["files"][0]["path"].endswith(".parquet")
        else f'df = pd.read_json("{manifest["files"][0]["path"]}", lines=True)',
        "",
        "import datasets",
        'ds = datasets.load_dataset("path/to/this/directory")  # uses the features declared above',
        "```",
        "",
        "## Licence",
        "",
        "TO FILL: the licence of the labels, and the terms under which the article texts may be redistributed "
        "(set `license:` in the metadata above to match).",
        "",
        f"Export format version {manifest['export_version']}, created {manifest['created_at']}.",
        "",
    ]
    return "\n".join(out)


def _agreement(summary: Any) -> list[str]:
    if not summary:
        return ["No agreement summary was supplied with this export.", ""]
    fields = summary.get("fields") if isinstance(summary, Mapping) else None
    lines: list[str] = []
    if isinstance(fields, Mapping) and fields:
        lines += [
            "Krippendorff's rule of thumb: alpha ≥ 0.8 reliable, ≥ 0.667 tentative.",
            "",
            "| field | statistic | value | n | note |",
            "|---|---|---|---|---|",
        ]
        for name, f in fields.items():
            if isinstance(f, Mapping):
                value = f.get("value")
                shown = (
                    "undefined" if value is None else (f"{value:.3f}" if isinstance(value, float) else value)
                )
                lines.append(
                    f"| `{name}` | {f.get('statistic', '')} | {shown} | {f.get('n', '')} "
                    f"| {f.get('reason') or ''} |"
                )
            else:
                lines.append(f"| `{name}` | | {f} | | |")
        lines.append("")
        rest = {k: v for k, v in summary.items() if k != "fields"}
    else:
        rest = dict(summary) if isinstance(summary, Mapping) else {"summary": summary}
    lines += [f"- {k}: {json.dumps(v, ensure_ascii=False)}" for k, v in rest.items()]
    if rest:
        lines.append("")
    return lines


def _definitions(defs: Mapping | None) -> list[str]:
    if not defs:
        return ["See the scheme `SCHEMA.md` of the project for the fields, values and their definitions.", ""]
    lines: list[str] = []
    for field, body in defs.items():
        if isinstance(body, Mapping):
            lines += [f"### `{field}`", ""]
            lines += [f"- `{value}`: {text}" for value, text in body.items()]
            lines.append("")
        else:
            lines.append(f"- `{field}`: {body}")
    lines.append("")
    return lines
