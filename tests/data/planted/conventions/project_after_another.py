# planted at: annotator/review/adjudication.py
def review_item(db, paragraph_id, project, *, picks=None):
    """The project not right after db."""
