"""The ``annotator`` console script (and ``python -m annotator``)."""

import sys

# sqlite-utils imports pandas and numpy whenever they are installed (the test extras put them in the
# same venv), only to map their column types. No command hands it either, and the two cost about
# 80 MB and a second of start-up in every process, so the script keeps them out before the commands
# (and sqlite-utils with them) are imported. Only the script does this: code that imports
# ``annotator.cli`` itself, such as the tests, keeps its own imports.
BLOCKED = ("pandas", "numpy")


def main() -> None:
    for name in BLOCKED:
        sys.modules.setdefault(name, None)
    from .cli import cli

    cli()


if __name__ == "__main__":
    main()
