# planted at: annotator/curation.py
def set_kind(db, article_id, paragraph_id, kind, *, user_id=None):
    """The acting user passed as an id under the old name."""
