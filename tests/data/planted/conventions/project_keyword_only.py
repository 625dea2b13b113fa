# planted at: annotator/queue.py
def current_lease(db, *, project, actor):
    """The project passed by keyword only."""
