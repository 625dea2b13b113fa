"""The architecture, enforced: pure modules stay pure, SQL stays in the store, views stay thin."""

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "annotator"
PLANTED = Path(__file__).resolve().parent / "data" / "planted"

# The floors of the house, bottom up. Each unit (a top-level module or package of ``annotator``)
# may import the units named here and nothing above them; a new module must be given a floor.
PURE = {"errors", "untrusted", "ingest", "scheme", "agreement", "export", "suggest", "project_settings"}
SERVICES = {
    "accounts",
    "annotation",
    "crawls",
    "curation",
    "datasets",
    "demo",
    "importing",
    "projects",
    "queue",
    "review",
    "suggestion_report",
    "suggestions",
    "sync",
    "team",
    "tokens",
}
LAYERS: dict[str, set[str]] = {
    "errors": set(),
    "untrusted": set(),
    "config": set(),
    "ingest": {"errors", "untrusted"},
    "scheme": {"errors", "untrusted"},
    "agreement": {"scheme", "errors"},
    "export": {"scheme", "agreement", "errors"},
    "suggest": {"ingest", "scheme", "agreement", "errors"},
    "project_settings": set(),
    "store": {"errors", "project_settings"},
    **{name: PURE | SERVICES | {"store", "config"} for name in SERVICES},
    "serving": set(),
    "web": PURE | SERVICES | {"config", "store"},
    "cli": PURE | SERVICES | {"config", "store", "serving", "__init__"},
    "__init__": {"config", "web"},
    "__main__": {"cli"},
}
FRAMEWORKS = {"flask", "flask_htmx", "flask_wtf", "wtforms", "jinja2", "markupsafe", "click", "waitress"}
# Third-party roots each floor must not import (the standard library is free everywhere).
FORBIDDEN: dict[str, set[str]] = {
    **{name: FRAMEWORKS | {"sqlite_utils", "sqlite3", "werkzeug"} for name in PURE},
    "store": FRAMEWORKS | {"werkzeug"},
    **{name: FRAMEWORKS for name in SERVICES},
    "web": {"click", "waitress", "sqlite3", "sqlite_utils"},
    "cli": {"flask", "flask_htmx", "flask_wtf", "wtforms", "jinja2"},
}
# The one view module that may reach the store: it opens the request's connection.
STORE_IN_WEB = {"web/db.py"}


def _unit(rel: str) -> str:
    """Return the floor a file (``"web/db.py"``) belongs to."""
    first = rel.split("/")[0]
    return first.removesuffix(".py")


def _imports(rel: str, source: str) -> set[str]:
    """Return every ``annotator.*`` or third-party name ``source`` imports, relative ones resolved."""
    names = set()
    package = ["annotator", *rel.removesuffix(".py").split("/")[:-1]]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join([*base, module] if module else base)
            names.add(module)
            # ``from annotator import store`` imports annotator.store, not just the root.
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


def _target(name: str) -> str | None:
    """Return the floor an ``annotator.*`` import lands on (the root package is ``__init__``)."""
    parts = name.split(".")
    if parts[0] != "annotator":
        return None
    if len(parts) == 1:
        return ""  # the bare root, named only on the way to a submodule
    if (PACKAGE / parts[1]).is_dir() or (PACKAGE / f"{parts[1]}.py").exists():
        return parts[1]
    return "__init__"  # an attribute of the root package: create_app, __version__


SQL_RE = re.compile(
    r"^\s*(select\s.+\sfrom\s|select\s+\d|insert\s+(or\s+\w+\s+)?into\s|update\s+\w+\s+set\s"
    r"|delete\s+from\s|create\s+(unique\s+)?(table|index|trigger|view)\s|with\s+(recursive\s+)?\w+(\s*\([^)]*\))?\s+as\s*\()",
    re.IGNORECASE | re.DOTALL,
)


def violations(rel: str, source: str) -> list[str]:
    """Return what breaks the house rules in one file of the package, at ``rel`` (``"web/db.py"``)."""
    unit = _unit(rel)
    if unit not in LAYERS:
        return [f"{rel}: module {unit!r} has no floor in LAYERS; give it one"]
    found = []
    for name in sorted(_imports(rel, source)):
        target = _target(name)
        if target is None:
            root = name.split(".")[0]
            if root in FORBIDDEN.get(unit, set()) and not (
                rel in STORE_IN_WEB and root in {"sqlite3", "sqlite_utils"}
            ):
                found.append(f"{rel}: {unit} imports {root}")
        elif target and target != unit and target not in LAYERS[unit]:
            found.append(f"{rel}: {unit} imports annotator.{target}")
        elif unit == "web" and target == "store" and rel not in STORE_IN_WEB:
            found.append(f"{rel}: a view imports the store; call a service")
    if unit != "store":
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL_RE.match(node.value):
                found.append(f"{rel}: SQL outside the store: {node.value[:60]!r}")
    if (
        unit == "web"
        and rel not in STORE_IN_WEB
        and "sqlite_utils" in {n.split(".")[0] for n in _imports(rel, source)}
    ):
        found.append(f"{rel}: a view imports sqlite_utils")
    return sorted(set(found))


def _package_files():
    return sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", _package_files(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_each_module_keeps_to_its_floor(path):
    rel = path.relative_to(PACKAGE).as_posix()
    assert violations(rel, path.read_text()) == []


def planted(folder: Path) -> list:
    """The fixtures in ``folder``, each as (the path it pretends to stand at, its source)."""
    params = []
    for path in sorted(folder.glob("*.py")):
        first = path.read_text().splitlines()[0]
        params.append(
            pytest.param(first.removeprefix("# planted at: annotator/"), path.read_text(), id=path.stem)
        )
    return params


@pytest.mark.parametrize("rel, source", planted(PLANTED))
def test_a_planted_violation_is_caught(rel, source):
    """Each fixture is a file that breaks one rule, as if it stood at the path on its first line."""
    assert violations(rel, source), f"the planted {rel} passed the boundary check"


def test_every_planted_case_is_there():
    assert {p.stem for p in PLANTED.glob("*.py")} >= {
        "service_imports_flask",
        "view_with_cte_sql",
        "cli_imports_view",
        "store_imports_service",
    }


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_files_stay_short(path):
    assert len(path.read_text().splitlines()) <= 650, f"{path} has grown past ~600 lines: split it by concept"


def test_no_module_named_utils():
    assert not [p for p in PACKAGE.rglob("*.py") if p.stem in {"utils", "helpers", "misc"}]


def test_the_web_app_loads_trafilatura_only_for_html(tmp_path):
    """trafilatura and lxml add ~20 MB to each server process; the app imports them on the first HTML."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from annotator import create_app, ingest\n"
        f"create_app({{'DB': {str(tmp_path / 'x.db')!r}, 'SECRET_KEY': 'x'}})\n"
        "print('trafilatura' in sys.modules, 'lxml' in sys.modules)\n"
        "ingest.read_document(b'<html><body><article><p>' + b'Words of a paragraph. ' * 20 + b'</p></article></body></html>',"
        " format='html')\n"
        "print('trafilatura' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["False", "False", "True"]
