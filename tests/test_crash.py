"""SIGKILL the server (supervisor and workers) in the middle of a save load, three times: every
save it acknowledged is in the database afterwards, and the database is sound.

SQLite in WAL mode with ``synchronous = NORMAL`` keeps every committed transaction across a
process crash (only a power cut can lose the last ones); a save is acknowledged after its
commit. The sessions are rows in the database, so the clients carry on with their cookies
after each restart.
"""

import http.client
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time

from annotator import accounts, store
from annotator import projects as project_service

from .server_process import _free_port
from .test_concurrency import TEXT, Client, build_articles, labels_for

ANNOTATORS = 6
ROUNDS = 3
LOAD_SECONDS = 2.5
# Saves an annotator makes at most per round: the load is bounded, and the paragraphs
# (ARTICLES x 6 paragraphs x k = 3,600 places) cannot run out however fast the machine is.
SAVES_PER_ROUND = 150
ARTICLES = 200


PASSWORD = "crash test passphrase"


def _start(path: str) -> tuple[subprocess.Popen, int]:
    port = _free_port()
    log = open(f"{path}.serve.log", "ab")  # noqa: SIM115 - the child owns it
    process = subprocess.Popen(
        [sys.executable, "-m", "annotator", "serve", "--db", path, "--port", str(port), "--workers", "2"],
        env={
            **os.environ,
            "ANNOTATOR_SECRET_KEY": "crash-test",
            "ANNOTATOR_LOGIN_RATE_LIMIT": "10000 per minute",
        },
        stdout=log,
        stderr=subprocess.STDOUT,
        # A group of its own, so one signal reaches the supervisor and the workers it forked.
        start_new_session=True,
    )
    log.close()
    for _ in range(200):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                conn.close()
                return process, port
        except OSError:
            time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    raise RuntimeError("the server did not start")


def test_every_acknowledged_save_survives_sigkill(tmp_path):
    path = str(tmp_path / "crash.db")
    db = store.connect(path)
    project = project_service.create_project(db, "crash", overlap=3)
    names = [f"crasher{i}" for i in range(ANNOTATORS)]
    for name in names:
        accounts.create_user(db, name, role="annotator", password=PASSWORD)
        project_service.add_member(db, project, name, role="annotator")
    build_articles(db, project, ARTICLES, tag="crash")
    db.close()

    acknowledged: set[tuple[str, int]] = set()
    clients: dict[str, Client] = {}
    kills = 0
    for _ in range(ROUNDS):
        process, port = _start(path)
        stop = threading.Event()
        errors: list[str] = []

        def annotate(name, port=port, stop=stop, errors=errors):
            client = clients.get(name)
            if client is None:
                client = clients[name] = Client("127.0.0.1", port)
                client.login(name, PASSWORD)
            else:  # the same browser after the restart: its session is still valid
                client.close()
                client.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            try:
                status, headers, body = client.request(
                    "GET", f"/projects/{project['id']}/annotate", headers={"HX-Request": "true"}
                )
                if status != 200:
                    errors.append(f"{name}: next → {status} {body[:200]!r}")
                    return
                match = re.search(r"/paragraphs/(\d+)$", headers.get("x-push-url", ""))
                if match is None:
                    return  # no work left for this annotator
                paragraph = int(match.group(1))
                for _ in range(SAVES_PER_ROUND):
                    if stop.is_set():
                        break
                    form = {
                        "labels": json.dumps(labels_for(TEXT.format(n=paragraph - 1))),
                        "version": "0",
                        "seconds": "3",
                        "next": "1",
                    }
                    status, headers, body = client.request(
                        "POST",
                        f"/projects/{project['id']}/paragraphs/{paragraph}/annotation",
                        form=form,
                        headers={"Accept": "application/json", "HX-Request": "true"},
                    )
                    if status != 200:
                        errors.append(f"{name}: {status} {body[:200]!r}")
                        return
                    acknowledged.add((name, paragraph))
                    match = re.search(r"/paragraphs/(\d+)$", headers.get("x-push-url", ""))
                    if match is None:
                        return
                    paragraph = int(match.group(1))
            except (OSError, http.client.HTTPException):
                return  # the server died under this request: it was never acknowledged

        before = len(acknowledged)
        threads = [threading.Thread(target=annotate, args=(name,)) for name in names]
        try:
            for t in threads:
                t.start()
            time.sleep(LOAD_SECONDS)
        finally:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)
            stop.set()
            for t in threads:
                t.join(30)
            for client in clients.values():
                client.close()
        kills += 1
        assert not errors, errors[:3]
        assert len(acknowledged) > before, "no save was acknowledged in this round"

        db = store.connect(path)
        assert db.execute("pragma integrity_check").fetchone()[0] == "ok"
        stored = set(
            db.execute(
                "select users.name, annotations.paragraph_id from annotations join users on users.id = annotations.user_id"
            ).fetchall()
        )
        db.close()
        missing = acknowledged - stored
        assert not missing, sorted(missing)[:5]

    assert kills == ROUNDS
    print(f"{len(acknowledged)} acknowledged saves over {kills} SIGKILLs, none lost")
