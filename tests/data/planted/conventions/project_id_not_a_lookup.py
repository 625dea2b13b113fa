# planted at: annotator/projects.py
def list_members(db, project_id):
    """The project's id where its value belongs."""
