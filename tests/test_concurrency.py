"""Twenty annotators over HTTP against the real waitress server, one SQLite file, a bounded run.

Each thread logs in and loops "fetch the next paragraph → save labels with a span" through the
annotate endpoints, with CSRF on, as a browser would: against one server process with eight
threads (a GET for the next paragraph, then a save), and against ``annotator serve --workers 2``
(the page's "Save & next": one POST that saves and answers with the next paragraph). Afterwards no paragraph has more than k
annotations (exactly k when the run reached the end), done + leased never exceeds k, the queue's
counters match the rows, and no request failed.
"""

import hashlib
import http.client
import json
import re
import threading
import time
import urllib.parse

import pytest

from annotator import accounts, create_app, store
from annotator import projects as project_service
from annotator.store import articles as article_store

from .server_process import start_server_process

# Real servers and threads under load: seconds each.
pytestmark = pytest.mark.slow

THREADS = 20
OVERLAP = 3
ARTICLES, PER_ARTICLE = 30, 6
RUN_SECONDS = 20
TEXT = (
    "The minister said on Tuesday that the talks would resume “within weeks”, according to two officials "
    "who spoke on condition of anonymity. ¶{n} 🚀"
)
PASSWORD = "concurrency-password"


def labels_for(text: str) -> dict:
    """A labels document with one attribution (source, cue and content spans) for ``TEXT``."""

    def span(sub):
        start = text.index(sub)
        return {"start": start, "end": start + len(sub), "text": sub}

    return {
        "kind": "body",
        "attributions": [
            {
                "id": "a1",
                "sources": [span("The minister")],
                "cue": span("said"),
                "contents": [span("that the talks would resume “within weeks”")],
                "source_form": "described_person",
                "source_interest": "unknown",
                "record_status": "on_record",
                "cue_stance": "neutral",
            }
        ],
        "claims": [],
        "framing": {"frames": [], "primary_frame": None, "framing_spans": []},
        "notes": "",
    }


class Client:
    """A keep-alive HTTP client with a cookie jar of its own: one browser tab."""

    def __init__(self, host: str, port: int):
        self.conn = http.client.HTTPConnection(host, port, timeout=30)
        self.cookies: dict[str, str] = {}
        self.csrf = ""

    def request(self, method: str, path: str, *, form: dict | None = None, headers: dict | None = None):
        sent = dict(headers or {})
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        if method == "POST" and self.csrf:
            sent["X-CSRFToken"] = self.csrf
        self.conn.request(method, path, body=body, headers=sent)
        response = self.conn.getresponse()
        data = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, dict((k.lower(), v) for k, v in response.getheaders()), data

    def close(self) -> None:
        self.conn.close()

    def login(self, name: str, password: str) -> None:
        status, _, page = self.request("GET", "/login")
        token = re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1).decode()
        status, headers, _ = self.request(
            "POST", "/login", form={"name": name, "password": password, "csrf_token": token}
        )
        assert status == 302, status
        status, _, page = self.request("GET", "/")
        self.csrf = re.search(rb'"X-CSRFToken": "([^"]+)"', page).group(1).decode()


def build_articles(db, project, articles: int = ARTICLES, *, tag: str = "concurrency") -> None:
    """Add ``articles`` articles of ``PER_ARTICLE`` numbered ``TEXT`` paragraphs (paragraph n reads ¶n)."""
    for a in range(articles):
        sha = hashlib.sha256(f"{tag} {a}".encode()).hexdigest()
        paragraphs = []
        for position in range(PER_ARTICLE):
            text = TEXT.format(n=a * PER_ARTICLE + position)
            paragraphs.append(
                {
                    "position": position,
                    "kind": "body",
                    "text": text,
                    "text_sha256": hashlib.sha256(text.encode()).hexdigest(),
                    "doc_char_start": position * 200,
                    "queued": True,
                }
            )
        article = {
            "uid": f"{tag[0]}-{sha[:12]}",
            "source_format": "text",
            "raw_sha256": sha,
            "text_sha256": sha,
            "rank": a,
        }
        article_store.insert_article(
            db, project_id=project["id"], article=article, paragraphs=paragraphs, raw=b"", dropped=[]
        )


@pytest.fixture(params=["threads", "workers"])
def served(request, tmp_path):
    import waitress

    path = str(tmp_path / "concurrency.db")
    db = store.connect(path)
    project = project_service.create_project(db, "concurrency", overlap=OVERLAP)
    names = [f"annotator{i:02d}" for i in range(THREADS)]
    for name in names:
        accounts.create_user(db, name, role="annotator", password=PASSWORD)
        project_service.add_member(db, project, name, role="annotator")
    build_articles(db, project)
    db.close()
    info = {"path": path, "project": project, "names": names, "save_and_next": request.param == "workers"}
    if request.param == "workers":
        process, port = start_server_process(path, "--workers", "2", "--threads", "2")
        yield {**info, "port": port}
        process.terminate()
        assert process.wait(10) == 0
        return
    app = create_app({"DB": path, "SECRET_KEY": "concurrency-test", "TESTING": False})
    server = waitress.create_server(app, host="127.0.0.1", port=0, threads=8)
    stop = threading.Event()

    def serve():
        # Step the loop until asked to stop: closing its sockets from another thread while it polls
        # them (server.close() alone) races it into EBADF.
        while not stop.is_set():
            server.asyncore.loop(timeout=0.1, map=server._map, count=1)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield {**info, "port": server.effective_port}
    stop.set()
    thread.join(5)
    server.task_dispatcher.shutdown()
    server.asyncore.close_all(server._map)


def test_twenty_annotators_over_http(served):
    project_id = served["project"]["id"]
    failures, saves, finished = [], [], []
    barrier = threading.Barrier(THREADS)
    deadline = time.monotonic() + RUN_SECONDS

    def annotator(name):
        client = Client("127.0.0.1", served["port"])
        mine = 0
        try:
            client.login(name, PASSWORD)
            barrier.wait()
            paragraph_id = None
            while time.monotonic() < deadline:
                if paragraph_id is None or not served["save_and_next"]:
                    status, headers, body = client.request(
                        "GET", f"/projects/{project_id}/annotate", headers={"HX-Request": "true"}
                    )
                    if status != 200:
                        failures.append(f"{name}: next → {status} {body[:200]!r}")
                        return
                    match = re.search(r"/paragraphs/(\d+)$", headers.get("x-push-url", ""))
                    if match is None:
                        finished.append(name)  # the done page: no work left for this annotator
                        return
                    paragraph_id = int(match.group(1))
                text = TEXT.format(n=paragraph_id - 1)
                form = {"labels": json.dumps(labels_for(text)), "version": "0", "seconds": "12.5"}
                if served["save_and_next"]:
                    form["next"] = "1"
                status, headers, body = client.request(
                    "POST",
                    f"/projects/{project_id}/paragraphs/{paragraph_id}/annotation",
                    form=form,
                    headers={"Accept": "application/json", "HX-Request": "true"},
                )
                if status != 200:
                    failures.append(f"{name}: save {paragraph_id} → {status} {body[:300]!r}")
                    return
                if served["save_and_next"]:
                    mine += 1
                    match = re.search(r"/paragraphs/(\d+)$", headers.get("x-push-url", ""))
                    if match is None:
                        finished.append(name)
                        return
                    paragraph_id = int(match.group(1))
                    continue
                mine += 1
        except Exception as e:  # noqa: BLE001 - reported below
            failures.append(f"{name}: {e!r}")
        finally:
            client.close()
            saves.append(mine)

    threads = [threading.Thread(target=annotator, args=(name,)) for name in served["names"]]
    for t in threads:
        t.start()
    for t in threads:
        t.join(RUN_SECONDS + 30)
    assert not failures, failures[:5]
    assert len(saves) == THREADS

    db = store.connect(served["path"])
    rows = db.execute(
        """select p.id, p.n_taken, p.n_done,
            (select count(*) from annotations n where n.paragraph_id = p.id),
            (select count(*) from assignments a where a.paragraph_id = p.id and a.state = 'done'),
            (select count(*) from assignments a where a.paragraph_id = p.id and a.state = 'leased')
        from paragraphs p"""
    ).fetchall()
    assert db.execute("pragma integrity_check").fetchone()[0] == "ok"
    db.close()
    total_annotations = 0
    for pid, n_taken, n_done, annotations, done, leased in rows:
        assert annotations <= OVERLAP, pid
        assert done + leased <= OVERLAP, pid
        assert annotations == done == n_done, pid
        assert n_taken == done + leased, pid
        total_annotations += annotations
    assert total_annotations == sum(saves)
    print(f"{sum(saves)} annotations by {THREADS} annotators; {len(finished)} reached the end")
    if len(finished) == THREADS:  # the run reached the end: every paragraph got exactly k
        assert all(row[3] == OVERLAP for row in rows)
        assert total_annotations == ARTICLES * PER_ARTICLE * OVERLAP
    else:
        assert total_annotations > 0
