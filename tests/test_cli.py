"""The command line: help everywhere, accounts, projects, migrations, backup, one-line failures."""

import sqlite3
import subprocess
import sys
import time

import click
import pytest

from annotator import store
from annotator.cli import cli
from annotator.store import users as user_store


def _commands(group: click.Group, prefix=()):
    for name, command in group.commands.items():
        yield (*prefix, name), command
        if isinstance(command, click.Group):
            yield from _commands(command, (*prefix, name))


@pytest.mark.parametrize(
    ("path", "command"), list(_commands(cli)), ids=lambda v: " ".join(v) if isinstance(v, tuple) else ""
)
def test_every_command_has_help(runner, path, command):
    assert command.help, path
    result = runner.invoke(cli, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output


def test_help_lists_every_command(runner):
    result = runner.invoke(cli, ["--help"])
    for name in cli.commands:
        assert name in result.output


def test_init_and_migrate_are_idempotent(runner, tmp_path):
    db = str(tmp_path / "new.db")
    first = runner.invoke(cli, ["init", "--db", db])
    assert first.exit_code == 0 and "Created database" in first.output
    assert runner.invoke(cli, ["init", "--db", db]).output.startswith("Database up to date")
    result = runner.invoke(cli, ["migrate", "--db", db])
    assert result.exit_code == 0 and "Up to date" in result.output


def test_a_newer_database_is_refused(runner, tmp_path):
    db = str(tmp_path / "future.db")
    runner.invoke(cli, ["init", "--db", db])
    conn = sqlite3.connect(db)
    conn.execute("pragma user_version = 999")
    conn.close()
    result = runner.invoke(cli, ["migrate", "--db", db])
    assert result.exit_code == 1
    assert "newer than this annotator knows" in result.output
    assert "Traceback" not in result.output


def test_users_add_from_stdin_list_set_role_deactivate_passwd(runner, db_path, db):
    result = runner.invoke(
        cli, ["users", "add", "zoe", "--role", "reviewer", "--password-stdin"], input="zoe reads the news\n"
    )
    assert result.exit_code == 0, result.output
    assert user_store.get_user_by_name(db, "zoe")["role"] == "reviewer"
    assert "zoe" in runner.invoke(cli, ["users", "list"]).output
    assert runner.invoke(cli, ["users", "set-role", "zoe", "admin"]).exit_code == 0
    assert user_store.get_user_by_name(db, "zoe")["role"] == "admin"
    assert runner.invoke(cli, ["users", "deactivate", "zoe"]).exit_code == 0
    assert "deactivated" in runner.invoke(cli, ["users", "list"]).output
    result = runner.invoke(
        cli, ["users", "passwd", "zoe"], input="another quiet harbour\nanother quiet harbour\n"
    )
    assert result.exit_code == 0, result.output


def test_users_add_prompts_twice(runner, db):
    result = runner.invoke(
        cli,
        ["users", "add", "yan", "--role", "annotator"],
        input="yan files every story\nyan files every story\n",
    )
    assert result.exit_code == 0, result.output
    assert result.output.count("assword") >= 2


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (
            ["users", "add", "admin", "--role", "admin", "--password-stdin"],
            "a long enough passphrase\n",
            "already exists",
        ),
        (["users", "add", "new", "--role", "admin", "--password-stdin"], "short\n", "at least 8"),
        (["users", "add", "new", "--role", "admin", "--password-stdin"], "12345678\n", "too easy to guess"),
        (["users", "set-role", "ghost", "admin"], "", "no user named 'ghost'"),
        (["projects", "add", "p", "--overlap", "0"], "", "overlap must be"),
        (["projects", "add", "p", "--scheme", "no-such-scheme"], "", "cannot load scheme"),
        (["import", "nowhere.txt", "--project", "missing"], "", "no project named 'missing'"),
    ],
)
def test_expected_failures_are_one_line_without_traceback(runner, db, args, stdin, message):
    result = runner.invoke(cli, args, input=stdin)
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_commands_need_an_existing_database(runner, tmp_path):
    result = runner.invoke(cli, ["users", "list", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 1
    assert "run 'annotator init' first" in result.output


def test_projects_add_and_list(runner, db):
    result = runner.invoke(cli, ["projects", "add", "news", "--overlap", "3"])
    assert result.exit_code == 0, result.output
    listing = runner.invoke(cli, ["projects", "list"]).output
    assert "news" in listing and "overlap 3" in listing


def test_demo_creates_users_with_random_passwords_once(runner, tmp_path):
    db = str(tmp_path / "demo.db")
    first = runner.invoke(cli, ["demo", "--db", db, "--no-serve"])
    assert first.exit_code == 0, first.output
    lines = [line.split() for line in first.output.splitlines() if line.startswith("  ")]
    assert {line[1] for line in lines} == {"admin", "reviewer", "annotator1", "annotator2"}
    passwords = {line[2] for line in lines}
    assert len(passwords) == 4 and all(len(p) >= 12 for p in passwords)
    second = runner.invoke(cli, ["demo", "--db", db, "--no-serve"])
    assert "passwords are unchanged" in second.output
    assert not any(p in second.output for p in passwords)
    database = store.connect(db)
    assert database.execute("select count(*) from paragraphs").fetchone()[0] > 5
    database.close()


WRITER = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], timeout=10, isolation_level=None)
conn.execute("pragma journal_mode=wal")
conn.execute("create table if not exists churn (id integer primary key, body text)")
end = time.time() + float(sys.argv[2])
print("ready", flush=True)
while time.time() < end:
    conn.execute("begin immediate")
    conn.executemany("insert into churn (body) values (?)", [("x" * 500,)] * 50)
    conn.execute("commit")
"""


def test_backup_while_another_process_writes(runner, db_path, db, tmp_path):
    dest = str(tmp_path / "copy.db")
    with subprocess.Popen(
        [sys.executable, "-c", WRITER, db_path, "4"], stdout=subprocess.PIPE, text=True
    ) as writer:
        assert writer.stdout.readline().strip() == "ready"
        time.sleep(0.5)
        result = runner.invoke(cli, ["backup", dest])
        assert writer.poll() is None, "the backup must run while the writer is still writing"
        writer.wait(timeout=30)
    assert result.exit_code == 0, result.output
    copy = sqlite3.connect(dest)
    assert copy.execute("pragma integrity_check").fetchone()[0] == "ok"
    assert copy.execute("select count(*) from users").fetchone()[0] == 4
    assert copy.execute("select count(*) from churn").fetchone()[0] > 0
    copy.close()
    assert runner.invoke(cli, ["backup", dest]).exit_code == 1  # never overwrites


def test_connection_settings(db):
    assert db.execute("pragma journal_mode").fetchone()[0] == "wal"
    assert db.execute("pragma foreign_keys").fetchone()[0] == 1
    assert db.execute("pragma busy_timeout").fetchone()[0] >= 5000


def test_schema_covers_the_data_model(db):
    tables = set(db.table_names())
    assert {
        "projects",
        "articles",
        "paragraphs",
        "users",
        "assignments",
        "annotations",
        "annotation_revisions",
        "decisions",
        "events",
    } <= tables


def test_a_project_can_use_its_own_copy_of_the_scheme(runner, db, tmp_path):
    from importlib import resources

    copy = tmp_path / "my-scheme.toml"
    copy.write_text((resources.files("annotator") / "schemes" / "newsattr-1.toml").read_text())
    result = runner.invoke(cli, ["projects", "add", "custom", "--scheme", str(copy)])
    assert result.exit_code == 0, result.output
    from annotator import projects
    from annotator.scheme import load_scheme

    project = projects.get_project_by_name(db, "custom")
    assert project["scheme"] == str(copy)
    assert load_scheme(project["scheme"]).name == "newsattr-1"


def test_the_console_script_does_not_load_pandas_or_numpy():
    """sqlite-utils would import both (80 MB a server process) only to map column types."""
    code = (
        "import sys; sys.argv = ['annotator', 'projects', '--help']\n"
        "from annotator.__main__ import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "import sqlite_utils.db as d\n"
        "print(d.pd is None and d.np is None, 'pandas' in sys.modules and sys.modules['pandas'] is not None)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()[-2:]
    assert out == ["True", "False"]


def test_migrate_remakes_export_forms_saved_under_an_older_format(runner, db, project, db_path):
    """Rows an older annotator stored are spliced by exports again once migrate remade their forms."""
    from annotator import annotation, export
    from tests.annotate_fixtures import user, worked

    ids, records = worked(db, project)
    for pid, record in zip(ids, records, strict=True):
        annotation.save(
            db,
            project=project,
            actor=user(db, "annotator1"),
            paragraph_id=pid,
            labels=record["labels"],
            version=0,
        )
    current = db.execute("select id, export_format, export_labels, export_counts from annotations").fetchall()
    assert current and all(row[1] for row in current)
    log = db.execute("select count(*) from sync_log").fetchone()[0]
    with db.conn:
        db.execute("update annotations set export_format = 'an-older-format', export_labels = '{}'")
        db.execute("update annotations set export_format = null where id = ?", [current[0][0]])

    result = runner.invoke(cli, ["migrate", "--db", db_path])
    assert result.exit_code == 0, result.output
    assert f"Remade the stored export forms of {len(current)} annotations." in result.output
    assert (
        db.execute("select id, export_format, export_labels, export_counts from annotations").fetchall()
        == current
    )
    assert current[0][1] == export.labels_format(db_scheme(project))
    # Only the forms changed: the API's change log saw no edit.
    assert db.execute("select count(*) from sync_log").fetchone()[0] == log
    assert "Remade" not in runner.invoke(cli, ["migrate", "--db", db_path]).output


def db_scheme(project):
    from annotator.scheme import load_scheme

    return load_scheme(project["scheme"], extended=project["settings"].extended)
