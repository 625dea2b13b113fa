# planted at: annotator/store/projects.py
from .. import accounts


def owner(db, project):
    return accounts.get_user(db, project["owner_id"])
