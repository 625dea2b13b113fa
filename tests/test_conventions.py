"""The services' one calling convention, enforced: ``f(db, project, ..., *, actor)``.

The rule (README, "Layout"): ``db`` comes first, then ``project`` (the project value, never its id),
then the rest; the user on whose behalf a function acts is the keyword-only ``actor`` (a user row).
A user who is the object of the action is named for their part (``account``, ``member``,
``annotator``, ``owner``), never ``user``, and no parameter is ``user_id``/``actor_id``/``reviewer_id``.
"""

import ast
from pathlib import Path

import pytest

from tests.test_boundaries import PACKAGE, SERVICES, planted

PLANTED = Path(__file__).resolve().parent / "data" / "planted" / "conventions"

# Names that once stood for the acting user, or left unclear whether a user acts or is acted on.
BANNED = {
    "user": "the acting user is the keyword-only 'actor'; a user acted on is named for their part",
    "user_id": "take the user row: 'actor' (keyword-only) when they act, a name for their part otherwise",
    "actor_id": "take the acting user's row as the keyword-only 'actor'",
    "reviewer_id": "take the reviewing user's row as the keyword-only 'actor'",
}
# The functions whose job is to turn a project id into the project may take the id.
LOOKUPS = {"projects.get_project", "review.queue.project_for_reviewer", "review.queue.project_for_feedback"}


def convention_violations(rel: str, source: str) -> list[str]:
    """Return how the public functions of one service file (at ``rel``, ``"queue.py"``) break the convention."""
    module = rel.removesuffix(".py").removesuffix("/__init__").replace("/", ".")
    found = []
    for node in ast.parse(source).body:
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) or node.name.startswith("_"):
            continue
        where = f"{rel}: {node.name}()"
        args = node.args
        positional = [a.arg for a in args.posonlyargs + args.args]
        keyword_only = [a.arg for a in args.kwonlyargs]
        for name in positional + keyword_only:
            if name in BANNED:
                found.append(f"{where} has a parameter {name!r}: {BANNED[name]}")
        if "db" in positional + keyword_only and positional[:1] != ["db"]:
            found.append(f"{where}: 'db' must be the first parameter")
        first = 1 if positional[:1] == ["db"] else 0
        for name in ("project", "project_id"):
            if name in keyword_only:
                found.append(f"{where}: {name!r} is keyword-only; it is the positional parameter after db")
            elif name in positional and positional.index(name) != first:
                found.append(
                    f"{where}: {name!r} is parameter {positional.index(name) + 1}, not the one after db"
                )
        if "project_id" in positional + keyword_only and f"{module}.{node.name}" not in LOOKUPS:
            found.append(f"{where} takes 'project_id': take the project value")
        if "actor" in positional:
            found.append(f"{where}: 'actor' must be keyword-only (after '*')")
    return found


def _service_files():
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        if rel.split("/")[0].removesuffix(".py") in SERVICES:
            yield path


def test_every_service_module_is_checked():
    checked = {p.relative_to(PACKAGE).as_posix().split("/")[0].removesuffix(".py") for p in _service_files()}
    assert checked == SERVICES


@pytest.mark.parametrize("path", list(_service_files()), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_each_service_keeps_the_calling_convention(path):
    rel = path.relative_to(PACKAGE).as_posix()
    assert convention_violations(rel, path.read_text()) == []


@pytest.mark.parametrize("rel, source", planted(PLANTED))
def test_a_planted_violation_is_caught(rel, source):
    """Each fixture breaks the convention once, as if it stood at the path on its first line."""
    found = convention_violations(rel, source)
    assert len(found) == 1, found


def test_every_planted_case_is_there():
    assert {p.stem for p in PLANTED.glob("*.py")} == {
        "acting_user_as_user_id",
        "acting_user_as_user",
        "actor_positional",
        "project_keyword_only",
        "project_id_not_a_lookup",
        "project_after_another",
    }


def test_the_lookups_exist():
    """An exemption for a function that is gone would hide nothing, but says something untrue."""
    for dotted in LOOKUPS:
        *module, name = dotted.split(".")
        path = PACKAGE.joinpath(*module).with_suffix(".py")
        assert any(
            isinstance(n, ast.FunctionDef) and n.name == name for n in ast.parse(path.read_text()).body
        ), dotted
