"""The architecture, enforced: pure modules stay pure, SQL stays in the store, views stay thin."""

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "annotator"
PURE = ["ingest", "agreement", "export", "scheme", "errors", "untrusted"]
FORBIDDEN_IN_PURE = {
    "flask",
    "flask_htmx",
    "flask_wtf",
    "sqlite_utils",
    "sqlite3",
    "click",
    "werkzeug",
    "waitress",
}


def _modules(prefix: str):
    path = PACKAGE / prefix
    if path.is_dir():
        return sorted(path.rglob("*.py"))
    return [PACKAGE / f"{prefix}.py"]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                # Resolve relative imports against the file's package.
                package = path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1]
                base = package[: len(package) - node.level + 1]
                module = ".".join([*base, module] if module else base)
                for alias in node.names:
                    names.add(f"{module}.{alias.name}")
            names.add(module)
    return names


@pytest.mark.parametrize(
    "path", [p for prefix in PURE for p in _modules(prefix)], ids=lambda p: str(p.relative_to(PACKAGE))
)
def test_pure_modules_import_no_framework(path):
    roots = {name.split(".")[0] for name in _imports(path)}
    assert not roots & FORBIDDEN_IN_PURE, f"{path.name} imports {roots & FORBIDDEN_IN_PURE}"
    for name in _imports(path):
        if name.startswith("annotator."):
            first = name.split(".")[1]
            assert first in PURE, f"{path.name} imports {name}, which is not pure"


SQL_RE = re.compile(
    r"^\s*(select\s.+\sfrom\s|select\s+\d|insert\s+into\s|update\s+\w+\s+set\s|delete\s+from\s|create\s+(table|index)\s)",
    re.IGNORECASE | re.DOTALL,
)


def _sql_strings(path: Path) -> list[str]:
    return [
        node.value[:60]
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL_RE.match(node.value)
    ]


@pytest.mark.parametrize(
    "path",
    [p for p in PACKAGE.rglob("*.py") if "store" not in p.relative_to(PACKAGE).parts],
    ids=lambda p: str(p.relative_to(PACKAGE)),
)
def test_sql_lives_only_in_the_store(path):
    assert not _sql_strings(path), f"SQL outside the store in {path}: {_sql_strings(path)}"


@pytest.mark.parametrize("path", sorted((PACKAGE / "web").rglob("*.py")), ids=lambda p: p.name)
def test_views_use_services_not_the_store(path):
    imports = _imports(path)
    allowed = {"annotator.store.connect", "annotator.store"} if path.name == "db.py" else set()
    offending = {name for name in imports if name.startswith("annotator.store") and name not in allowed}
    assert not offending, f"{path.name} imports {offending}"
    assert "sqlite_utils" not in {name.split(".")[0] for name in imports} or path.name == "db.py"


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
