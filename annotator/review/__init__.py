"""Reviewing: the queue of disagreements, unanimous gold, decisions with history, agreement reports, feedback.

Call :func:`annotation_saved` after every annotation save: it keeps the paragraph's disagreement (the
queue's sort key) current and makes unanimous paragraphs gold when the project wants that.
"""

from .adjudication import check_labels, compose, decide, default_picks, parse_labels_json, review_item
from .queue import (
    PER_PAGE,
    annotation_saved,
    feedback,
    next_to_review,
    project_for_feedback,
    project_for_reviewer,
    queue,
    refresh,
)
from .reports import THRESHOLDS, agreement_report, project_report, report_from_jsonl, report_summary
from .summary import ExportSummary

__all__ = [
    "ExportSummary",
    "PER_PAGE",
    "THRESHOLDS",
    "agreement_report",
    "annotation_saved",
    "check_labels",
    "compose",
    "decide",
    "default_picks",
    "feedback",
    "next_to_review",
    "parse_labels_json",
    "project_for_feedback",
    "project_for_reviewer",
    "project_report",
    "queue",
    "refresh",
    "report_from_jsonl",
    "report_summary",
    "review_item",
]
