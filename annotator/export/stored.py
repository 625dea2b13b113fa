"""What an ``all`` export makes of one labels document, made once when the annotation is saved.

Most of a large export's time went into turning every stored labels document into the
fixed-shape JSON of the project scheme's ``labels_spec`` and counting its label names for
the manifest.  ``stored_labels`` does both when an annotation is saved, with the encoder of
``encode`` under the project's scheme; the store keeps the results beside the labels with
``labels_format(scheme)``, and an export splices the stored text when the format matches and
computes it (with this same encoder) when it does not: rows saved before the forms existed,
or under another scheme or export schema.  The lines are byte-identical either way.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from json.encoder import encode_basestring as _esc
from typing import Any, NamedTuple

from ..scheme import Scheme
from .encode import EncodedBatch, encode_date, encode_envelope, encode_seconds, labels_encoder
from .labelling import default_scheme, labelling
from .shape import RecordError, envelope_fields
from .spec import labels_spec

#: Bump when ``labels_encoder`` or ``Labelling.count`` change what they make of a document in a way
#: the canary documents below would not show; every stored form is then recomputed by exports.
FORMAT_VERSION = 1


class StoredLabels(NamedTuple):
    """What the store keeps beside an annotation's labels: ``(format, labels JSON text, counts JSON text)``."""

    format: str
    labels: str
    counts: str


def count_text(labels: Mapping | None, scheme: Scheme | None = None) -> str:
    """Return the label-name counts of one document as compact JSON (sorted keys): ``{"CUE":1,...}``."""
    counts: dict[str, int] = {}
    labelling(scheme).count(labels, counts)
    return json.dumps(dict(sorted(counts.items())), ensure_ascii=False, separators=(",", ":"))


def stored_labels(labels: Mapping | None, scheme: Scheme | None = None) -> StoredLabels | None:
    """Return what an export under ``scheme`` makes of ``labels`` (a parsed stored document), or ``None``.

    ``None`` means the document does not fit the export schema; the export then meets it
    row by row and reports it as it always did.
    """
    try:
        text = labels_encoder(scheme)(labels)
        counts = count_text(labels, scheme)
    except (RecordError, TypeError, ValueError, AttributeError):
        return None
    return StoredLabels(labels_format(scheme), text, counts)


def fold_counts(pending: Mapping[str, int], counts: dict[str, int]) -> None:
    """Add ``{counts text: documents}`` (as ``count_text`` writes them) to the per-label ``counts``."""
    get = counts.get
    for text, n in pending.items():
        for name, c in json.loads(text).items():
            counts[name] = get(name, 0) + c * n


def _canary(spec: Any) -> Any:
    """A document that uses every field of ``spec``: lists hold a full item and an empty one."""
    if isinstance(spec, str):
        return {
            "string": 'a "b" \\ \n\t\u00e9\u2014\U0001f600\u2028',
            "int64": -12,
            "float64": 0.1,
            "bool": True,
        }[spec]
    if isinstance(spec, list):
        item = spec[0]
        return [_canary(item), {}] if isinstance(item, dict) else [_canary(item)]
    return {key: _canary(sub) for key, sub in spec.items()}


def labels_format(scheme: Scheme | None = None) -> str:
    """Return the format of the stored forms this code makes and trusts under ``scheme``."""
    return _fingerprint(scheme or default_scheme())


@functools.lru_cache(maxsize=64)
def _fingerprint(scheme: Scheme) -> str:
    # The export shape, the names labels are counted under and what the code makes of documents
    # that use all of the shape and none of it: a change to any gives a new format, and stored
    # forms made by the old code are no longer trusted.
    spec = labels_spec(scheme)
    encode = labels_encoder(scheme)
    names = labelling(scheme)
    full, empty = _canary(spec), {}
    parts = [
        str(FORMAT_VERSION),
        json.dumps(spec),
        encode(full),
        count_text(full, scheme),
        encode(empty),
        count_text(empty, scheme),
        repr([(r.label, r.typed_by) for r in names.span_roles]),
        repr([(c.prefix, sorted(c.codes.items())) for c in names.choices]),
    ]
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:16]


#: The format of stored forms under the default scheme.
LABELS_FORMAT = labels_format()


#: The columns of a paragraph row, after its key, in ``encode_stored_all``.
PARAGRAPH_COLUMNS = (
    "article_id",
    "paragraph_id",
    "position",
    "kind",
    "text",
    "text_sha256",
    "doc_char_start",
    "outlet",
    "url",
    "published",
    "title",
)


def _prefix(row: tuple, scheme_name: str) -> bytes:
    """Return a paragraph's envelope as the start of its lines, up to the annotator's name."""
    _, aid, pid, position, kind, text, sha, start, outlet, url, published, title = row
    # What the store hands over (exact str and int, empty strings for unknown metadata) is written
    # straight away; anything else goes through the envelope's checks, which coerce or refuse.
    if (
        aid.__class__ is str
        and pid.__class__ is str
        and position.__class__ is int
        and kind.__class__ is str
        and text.__class__ is str
        and sha.__class__ is str
        and start.__class__ is int
        and outlet.__class__ is str
        and url.__class__ is str
        and published.__class__ is str
        and title.__class__ is str
        and scheme_name.__class__ is str
    ):
        return (
            f'{{"schema":{_esc(scheme_name)},"article_id":{_esc(aid)},"paragraph_id":{_esc(pid)},'
            f'"position":{position!r},"kind":{_esc(kind)},"text":{_esc(text)},"text_sha256":{_esc(sha)},'
            f'"doc_char_start":{start!r},"outlet":{_esc(outlet)},"url":{_esc(url)},'
            f'"published":{_esc(published) if published else "null"},"title":{_esc(title)},'
            '"annotator":'
        ).encode()
    return _checked_prefix(row, scheme_name)


def _checked_prefix(row: tuple, scheme_name: str) -> bytes:
    env = envelope_fields(dict(zip(PARAGRAPH_COLUMNS, row[1:], strict=True)), scheme_name)
    return (encode_envelope(env)[:-1] + ',"annotator":').encode("utf-8")


def _encode_text(raw: str, scheme: Scheme | None) -> tuple[bytes, str]:
    labels = json.loads(raw)
    return labels_encoder(scheme)(labels).encode("utf-8"), count_text(labels, scheme)


def _reorder(lines: list[bytes], start: int, orders: list[int]) -> None:
    """Put the lines of one paragraph, ``lines[start:]``, in annotator order."""
    pairs = sorted(zip(orders, lines[start:], strict=True), key=lambda pair: pair[0])
    lines[start:] = [line for _, line in pairs]


def encode_stored_all(
    paragraphs: Iterable[tuple],
    annotations: Iterable[tuple],
    annotators: Mapping[int, tuple[int, str]],
    *,
    scheme_name: str | None = None,
    scheme: Scheme | None = None,
) -> Iterator[EncodedBatch]:
    """Yield the ``all`` view as one ``EncodedBatch`` per article, from rows as tuples.

    ``annotations`` are ``(key, user_id, labels export text as UTF-8 bytes or None, counts text or
    None, stored labels JSON text or None, seconds, updated_at)`` in export order (article, position),
    with the stored forms when they are in ``labels_format(scheme)`` and the labels text when they are not.
    ``paragraphs`` are ``(key, *PARAGRAPH_COLUMNS)`` in the same order, at least every annotated one;
    ``annotators`` maps a user id to ``(place in the export order, name)``.  The lines equal
    ``encode_records("all", ...)``'s for the same rows, byte for byte.
    """
    if scheme_name is None:
        scheme_name = (scheme or default_scheme()).name
    users = {uid: (order, _esc(name).encode("utf-8")) for uid, (order, name) in annotators.items()}
    next_paragraph = iter(paragraphs).__next__
    pkey = prow = article = prefix = None
    lines: list[bytes] = []
    counts: dict[str, int] = {}
    start = last = 0
    orders: list[int] = []
    unsorted = False
    for key, uid, labels, ctext, raw, seconds, updated in annotations:
        who = users.get(uid)
        if who is None:  # not a user (the store's inner join would drop it)
            continue
        if key != pkey:
            if unsorted:
                _reorder(lines, start, orders)
            while prow is None or prow[0] != key:
                try:
                    prow = next_paragraph()
                except StopIteration:
                    raise ValueError(
                        f"no paragraph row for annotated paragraph {key!r}: rows out of order"
                    ) from None
            if prow[1] != article:
                if lines:
                    yield EncodedBatch(article, lines, {}, counts)  # type: ignore[arg-type]
                article, lines, counts = prow[1], [], {}
            try:
                prefix = _prefix(prow, scheme_name)
            except RecordError as e:
                raise RecordError(e.path, f"{prow[2]}: {e.message}") from None
            pkey, start, last, orders, unsorted = key, len(lines), -1, [], False
        order, name = who
        if order < last:
            unsorted = True
        last = order
        orders.append(order)
        try:
            if labels is None:
                labels, ctext = _encode_text(raw, scheme)
            if seconds.__class__ is float and seconds - seconds == 0.0:
                sec = b"%r" % seconds
            else:
                sec = encode_seconds(seconds).encode()
            upd = encode_date(None if updated == "" else updated).encode()
        except RecordError as e:
            raise RecordError(e.path, f"{prow[2]} ({name.decode()[1:-1]}): {e.message}") from None
        lines.append(
            b"".join(
                (prefix, name, b',"labels":', labels, b',"seconds":', sec, b',"updated_at":', upd, b"}\n")
            )
        )
        counts[ctext] = counts.get(ctext, 0) + 1
    if unsorted:
        _reorder(lines, start, orders)
    if lines:
        yield EncodedBatch(article, lines, {}, counts)  # type: ignore[arg-type]
