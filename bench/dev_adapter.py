"""Print one {"text": ...} line per body unit and a {"meta": ...} line, for the dev set's score.py."""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from annotator.ingest import IngestError, read_document  # noqa: E402

BODY = {"body", "subheading", "quote"}


def main(path: str) -> None:
    """Run the ingest on ``path`` and print its body units and metadata as score.py reads them."""
    data = Path(path).read_bytes()
    out = sys.stdout
    try:
        doc = read_document(data, name=path)[0]
    except IngestError as e:
        # An empty prediction scores as such; the reason goes to stderr.
        print(f"{path}: {e}", file=sys.stderr)
        out.write(json.dumps({"meta": {}}) + "\n")
        return
    for unit in doc.units:
        if unit.kind in BODY:
            out.write(json.dumps({"text": unit.text}, ensure_ascii=False) + "\n")
    meta = {
        "headline": doc.meta.get("title", ""),
        "date": doc.meta.get("published", ""),
        "byline": doc.meta.get("byline", ""),
        "outlet": doc.meta.get("outlet", ""),
        "section": doc.meta.get("section", ""),
    }
    out.write(json.dumps({"meta": meta}, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
