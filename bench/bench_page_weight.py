"""Benchmark: the weight of the annotate page, HTML + CSS + JS (htmx included), gzipped.

Renders the page of the first worked-example paragraph (the sample article, every extended field
on) through the Flask test client, fetches every stylesheet and script it links, and gzips each
at level 6 (a typical server setting). Target (issue 4): at most 60 KB in all.

    .venv/bin/python bench/bench_page_weight.py
"""

from __future__ import annotations

import gzip
import json
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "bench" / "out"
TARGET = 60 * 1024


def main() -> None:
    from annotator import accounts, create_app, demo, importing, queue, store
    from annotator import projects as project_service
    from annotator.store import users

    path = str(Path(tempfile.mkdtemp()) / "weight.db")
    app = create_app({"DB": path, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False})
    db = store.connect(path)
    accounts.HASH_METHOD = "pbkdf2:sha256:1000"
    accounts.create_user(db, "bench", role="annotator", password="bench-password-1")
    project = project_service.create_project(db, "weight", overlap=2, extended="all")
    project_service.add_member(db, project, "bench", role="annotator")
    for name, data in demo.sample_files():
        importing.import_bytes(db, project, data, source_name=name)
    row = db.execute("select id from paragraphs where text like 'Speaking at a roundtable%'").fetchone()
    queue.renew(db, project, actor=users.get_user_by_name(db, "bench"), paragraph_id=row[0])
    db.close()
    client = app.test_client()
    client.post("/login", data={"name": "bench", "password": "bench-password-1"})
    page = client.get(f"/projects/{project['id']}/paragraphs/{row[0]}")
    assert page.status_code == 200
    html = page.data
    assets = re.findall(rb'(?:href|src)="(/static/[^"]+\.(?:css|js))"', html)
    parts = {"page.html": html}
    for url in assets:
        response = client.get(url.decode())
        assert response.status_code == 200, url
        parts[url.decode().removeprefix("/static/")] = response.data
        response.close()
    rows = {name: (len(body), len(gzip.compress(body, compresslevel=6))) for name, body in parts.items()}
    total_raw = sum(raw for raw, _ in rows.values())
    total_gz = sum(gz for _, gz in rows.values())
    width = max(map(len, rows))
    for name, (raw, gz) in rows.items():
        print(f"{name:<{width}}  {raw:>8,} B  {gz:>7,} B gzipped")
    print(
        f"{'total':<{width}}  {total_raw:>8,} B  {total_gz:>7,} B gzipped ({total_gz / 1024:.1f} KB; target 60 KB)"
    )
    OUT.mkdir(parents=True, exist_ok=True)
    result = {
        "files": {k: {"bytes": v[0], "gzipped": v[1]} for k, v in rows.items()},
        "total_bytes": total_raw,
        "total_gzipped": total_gz,
        "target_gzipped": TARGET,
    }
    (OUT / "bench_page_weight.json").write_text(json.dumps(result, indent=2))
    print("within target" if total_gz <= TARGET else "ABOVE the 60 KB target")


if __name__ == "__main__":
    main()
