"""Twenty annotators in threads, one connection each, on one SQLite file: never more than k per paragraph."""

import random
import threading
import time

from annotator import accounts, queue, store
from annotator import projects as project_service
from tests.test_queue import add_articles

THREADS = 20
OVERLAP = 3


def test_twenty_threads_never_exceed_k(db, db_path):
    project = project_service.create_project(db, "busy", overlap=OVERLAP)
    names = [f"worker{i:02d}" for i in range(THREADS)]
    members = {}
    for name in names:
        members[name] = accounts.create_user(db, name, role="annotator", password="a long walker password")
        project_service.add_member(db, project, name)
    add_articles(db, project, [8] * 25)
    total = db.execute("select count(*) from paragraphs").fetchone()[0]
    errors, done = [], []
    start = threading.Barrier(THREADS)

    def work(name, seed):
        rng = random.Random(seed)
        conn = store.connect(db_path, migrate=False)
        try:
            me = members[name]
            start.wait()
            deadline = time.monotonic() + 10
            count = 0
            while time.monotonic() < deadline:
                paragraph = queue.next_paragraph(conn, project, actor=me)
                if paragraph is None:
                    break
                roll = rng.random()
                if roll < 0.05:
                    queue.skip(conn, project, actor=me, paragraph_id=paragraph["id"], reason="unclear")
                elif roll < 0.08:
                    queue.release(conn, project, annotator=me)  # as if the lease ran out
                else:
                    queue.renew(conn, project, actor=me, paragraph_id=paragraph["id"])
                    queue.complete(conn, project, actor=me, paragraph_id=paragraph["id"])
                    count += 1
            done.append(count)
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(f"{name}: {e!r}")
        finally:
            conn.close()

    threads = [threading.Thread(target=work, args=(name, i)) for i, name in enumerate(names)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    assert len(done) == THREADS
    rows = db.execute(
        """select p.id, p.n_taken, p.n_done, p.filled,
            (select count(*) from assignments a where a.paragraph_id = p.id and a.state = 'done'),
            (select count(*) from assignments a where a.paragraph_id = p.id and a.state = 'leased'),
            (select count(*) from assignments a where a.paragraph_id = p.id and a.state = 'skipped')
        from paragraphs p"""
    ).fetchall()
    assert len(rows) == total
    for pid, n_taken, n_done, filled, n_done_rows, n_leased, _ in rows:
        assert n_done == n_done_rows, pid
        assert n_taken == n_done_rows + n_leased, pid
        assert n_done_rows + n_leased <= OVERLAP, pid
        assert filled == (n_taken >= OVERLAP), pid
    # The run went to the end: every paragraph has exactly k annotations, with 20 annotators to give them.
    assert sum(done) == total * OVERLAP
    assert all(row[2] == OVERLAP for row in rows)
