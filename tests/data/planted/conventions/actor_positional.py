# planted at: annotator/team.py
def set_paused(db, project, paused, actor=None):
    """The acting user passed by position."""
