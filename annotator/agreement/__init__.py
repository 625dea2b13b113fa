"""Inter-annotator agreement: coefficients, span F1, per-field reports and review diffs. Pure: stdlib only."""

from .coefficients import (
    Coincidences,
    Contingency,
    cohen_kappa,
    fleiss_kappa,
    interval_distance,
    krippendorff_alpha,
    masi_distance,
    nominal_distance,
    percent_agreement,
    ratio_distance,
    result,
)
from .fields import RESIDUAL, FieldAccumulator, field_report, paragraph_disagreement
from .layout import Layout, layout_of
from .links import LEFT_OUT, link_problems
from .provenance import provenance
from .review import align, diff_fields, is_unanimous, normalise
from .spans import SpanCounts, match_spans, overlap, span_f1, span_key, span_keys

__all__ = [
    "Coincidences",
    "LEFT_OUT",
    "Layout",
    "layout_of",
    "link_problems",
    "provenance",
    "Contingency",
    "FieldAccumulator",
    "RESIDUAL",
    "SpanCounts",
    "align",
    "cohen_kappa",
    "diff_fields",
    "field_report",
    "fleiss_kappa",
    "interval_distance",
    "is_unanimous",
    "krippendorff_alpha",
    "masi_distance",
    "match_spans",
    "nominal_distance",
    "normalise",
    "overlap",
    "paragraph_disagreement",
    "percent_agreement",
    "ratio_distance",
    "result",
    "span_f1",
    "span_key",
    "span_keys",
]
