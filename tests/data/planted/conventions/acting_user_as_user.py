# planted at: annotator/annotation.py
def skip(db, project, *, user, paragraph_id, reason):
    """The acting user named ``user``."""
