# planted at: annotator/cli/projects.py
from ..web.team import settings


def show(project):
    return settings(project)
