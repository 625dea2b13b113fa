"""Export labels as datasets: pure generators over rows, stdlib only.

The store streams rows as plain dicts (never a list of them); this package turns
them into records, splits them by article and writes them atomically.

Rows it takes
-------------
paragraph row (every view)::

    article_id      str   stable id (outlet + text hash)
    paragraph_id    str   "<article_id>#p<position>"
    position        int   0-based order in the article
    kind            str   headline, standfirst, caption, body …
    text            str   exact paragraph text
    text_sha256     str
    doc_char_start  int   offset of the paragraph in the article text
    outlet, url, published (ISO 8601), title   str or None

view ``all`` (sorted by article, position, annotator): paragraph row plus
``annotator`` (user name), ``labels`` (labels document), ``seconds`` (float),
``updated_at`` (ISO 8601).

views ``gold`` and ``spans`` (sorted by article, position): paragraph row plus
``labels`` (gold), ``decision`` ``{source: unanimous|adjudicated, reviewer,
annotators: [names], note, decided_at}`` and ``agreement`` (per-paragraph figures,
possibly ``{}``; see ``records.normalise_agreement``).

Records it writes
-----------------
Every ``all``/``gold`` record carries the envelope ``schema, article_id, paragraph_id,
position, kind, text, text_sha256, doc_char_start, outlet, url, published, title``
(``outlet``, ``url``, ``title`` are ``""`` when unknown, never null; dates —
``published``, ``updated_at``, ``decided_at`` — are ISO 8601 or null, never ``""``,
because pyarrow reads ISO strings as timestamps and cannot cast ``""`` to one).
``all`` adds ``annotator, labels, seconds, updated_at``; ``gold`` adds ``labels,
decision, agreement``.  ``spans`` is ``{"text", "spans": [{"start", "end", "label",
"text"}], "meta": {envelope without text, source, reviewer, annotators}}``.
``labels`` always has every key of ``labels_spec(scheme)`` (null, or ``[]`` for lists,
when absent), so pyarrow sees one schema; ``record_spec(view, scheme)`` is the exact
shape of each view.  Both are read off the project's scheme file (``LABELS`` and
``RECORD_SPECS`` are those of the default, newsattr-1), as are the span labels, the
counted values (``labelling``) and the BRAT types and attributes (``brat.layout``), and the dataset card declares it as Hugging Face features, so
``datasets.load_dataset(<export dir>)`` never infers a type from a first block of nulls.

Filtering (only adjudicated, only unanimous, a minimum of annotators) happens in the store's SQL.

Entry points: ``encode_records`` (the one encoder: rows to ``EncodedBatch``es of JSONL lines, an
article at a time), ``encode_stored_all`` (the ``all`` view spliced from the forms ``stored_labels``
made when each annotation was saved: the fast path of the largest view), ``write_export``,
``iter_jsonl``, ``split_for``, ``to_brat``, ``write_brat``, ``read_all_export``.  ``records`` and
``dumps_record`` are the reference the encoder's bytes are tested against (and records as dicts).
Shared helpers are public in ``shape``; spec trees in ``spec`` (re-exported by ``records``).
"""

from .brat import annotation_conf, layout, safe_file_stem, to_brat, write_brat
from .encode import EncodedBatch, compile_encoder, encode_records, iter_jsonl, labels_encoder
from .labelling import Labelling, default_scheme, labelling
from .parquet import arrow_schema, write_parquet, write_parquet_file
from .records import dumps_record, labels_normaliser, normalise_agreement, normalise_labels, records
from .roundtrip import ExportFormatError, read_all_export, validate_all_record
from .shape import RecordError, spans_of
from .spec import EXPORT_VERSION, LABELS, RECORD_SPECS, VIEWS, hf_features, labels_spec, record_spec
from .splits import SPLITS, split_for
from .stored import LABELS_FORMAT, StoredLabels, encode_stored_all, labels_format, stored_labels
from .writer import write_export

__all__ = [
    "Labelling",
    "default_scheme",
    "labelling",
    "labels_encoder",
    "labels_format",
    "labels_normaliser",
    "labels_spec",
    "layout",
    "record_spec",
    "EXPORT_VERSION",
    "LABELS_FORMAT",
    "StoredLabels",
    "stored_labels",
    "EncodedBatch",
    "compile_encoder",
    "encode_stored_all",
    "encode_records",
    "LABELS",
    "RECORD_SPECS",
    "SPLITS",
    "VIEWS",
    "ExportFormatError",
    "RecordError",
    "annotation_conf",
    "arrow_schema",
    "dumps_record",
    "hf_features",
    "iter_jsonl",
    "normalise_agreement",
    "normalise_labels",
    "read_all_export",
    "records",
    "safe_file_stem",
    "spans_of",
    "split_for",
    "to_brat",
    "validate_all_record",
    "write_brat",
    "write_export",
    "write_parquet",
    "write_parquet_file",
]
