"""Run the built-in suggester on one PolNeAR-style text file for score_attributions.py.

  python3 score_attributions.py --cmd '.venv/bin/python bench/attribution_adapter.py {input}'

The file is a title block, a blank line and one paragraph per line. Each non-empty line is a
paragraph; the suggester's paragraph-relative spans are moved by the line's start in the file.
Prints {"attributions": [...]} with file offsets, the shape the scorer reads.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from annotator.suggest import suggest_units  # noqa: E402


def paragraphs(text: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            out.append((pos, line))
        pos += len(line) + 1
    return out


def shift(span: dict, by: int) -> dict:
    return {"start": span["start"] + by, "end": span["end"] + by}


def file_attributions(text: str, language: str | None = "en") -> list[dict]:
    paras = paragraphs(text)
    out = []
    for (offset, _), items in zip(paras, suggest_units([p for _, p in paras], language), strict=True):
        for item in items:
            out.append(
                {
                    "source": [shift(s, offset) for s in item["sources"]],
                    "cue": [shift(item["cue"], offset)],
                    "content": [shift(c, offset) for c in item["contents"]],
                }
            )
    return out


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: attribution_adapter.py FILE", file=sys.stderr)
        return 2
    text = Path(argv[0]).read_text(encoding="utf-8")
    print(json.dumps({"attributions": file_attributions(text)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
