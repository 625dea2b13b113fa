# planted at: annotator/store/articles.py
from annotator import queue


def next_for(db, user):
    return queue.next_paragraph(db, user)
