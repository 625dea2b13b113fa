# planted at: annotator/projects.py
from flask import g


def current_project():
    return g.project
