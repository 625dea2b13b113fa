"""Whether a labels document holds together as a whole: every claim's attribution link names one attribution.

Labels are checked field by field elsewhere (the scheme); this is the check across items that gold passes
before it is saved, whether composed from annotators' versions, typed as JSON by a reviewer or read back
from an export. A claim whose attribution is not in the document is a broken link, never quietly the
outlet's own voice: ``attribution_id`` null is a statement ("nobody is quoted") and only a person makes it.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["LEFT_OUT", "link_problems"]

#: How a composed document marks the link of a claim whose attribution the reviewer left out; never an id.
LEFT_OUT = "left out: "


def link_problems(labels: Mapping) -> list[dict]:
    """Return the document's broken claim links: ``[{"path", "message", "code": "link", "claim", "ref"}]``.

    A link is broken when it names no attribution of the document, or an id two attributions share.
    """
    ids: dict = {}
    for a in labels.get("attributions") or ():
        if isinstance(a, Mapping) and a.get("id") is not None:
            ids[a["id"]] = ids.get(a["id"], 0) + 1
    out = []
    for i, c in enumerate(labels.get("claims") or ()):
        if not isinstance(c, Mapping):
            continue
        ref = c.get("attribution_id")
        if ref is None:
            continue
        try:
            count = ids.get(ref, 0)
        except TypeError:  # an unhashable value: no id can equal it
            count = 0
        if count == 1:
            continue
        if isinstance(ref, str) and ref.startswith(LEFT_OUT):
            message = (
                f"claim {i + 1} is linked to an attribution that was left out ({ref[len(LEFT_OUT) :]}): "
                "keep that attribution, link the claim to one that stays, or make it the outlet's own voice"
            )
        elif count > 1:
            message = f"claim {i + 1} is linked to {ref!r}, an id {count} attributions share"
        else:
            message = (
                f"claim {i + 1} is linked to {ref!r}, but no attribution here has that id: "
                "link it to one that stays, or make it the outlet's own voice (null)"
            )
        out.append(
            {
                "path": f"claims[{i}].attribution_id",
                "message": message,
                "code": "link",
                "claim": i,
                "ref": ref,
            }
        )
    return out
