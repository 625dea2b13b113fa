"""annotator: label news paragraphs for attribution, claims, sourcing and framing."""

import logging
import os
from collections.abc import Mapping
from pathlib import Path

from flask import Flask

from . import config

ROOT = Path(__file__).resolve().parent.parent
__version__ = "0.1.0"


def create_app(test_config: Mapping | None = None) -> Flask:
    """Build the Flask app: defaults, then ``instance/config.py``, then ``ANNOTATOR_*`` variables, then ``test_config``."""
    app = Flask(
        __name__,
        instance_path=os.environ.get("ANNOTATOR_INSTANCE") or str(ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.from_mapping(config.DEFAULTS)
    app.config["DB"] = config.default_db_path()
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("ANNOTATOR")
    if test_config is not None:
        app.config.from_mapping(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = config.load_or_create_secret(app.config["DB"])
    if not app.debug and not app.testing:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

    from . import web

    web.register(app)
    return app
