"""The attribution rules: direct quotations first, then cues with indirect content.

Works on one paragraph at a time over :mod:`annotator.suggest.text` tokens and asks the
:class:`~annotator.suggest.lexicon.Lexicon` about every word. Spans are (start, end) code points.
When the rules cannot tell who the source is they leave it out rather than guess: an empty
source costs the annotator one span, a wrong one costs a correction.
"""

from __future__ import annotations

import re

from .lexicon import Cue, Lexicon
from .paragraph import _BE, _WHEN, Found, Span
from .quoting import _QUOTE_MARKS, QuoteRules


class Paragraph(QuoteRules):
    """The indirect rules: a cue with its source before it, its content after it, inverted, or
    "according to"; the quotation rules come from :class:`QuoteRules`."""

    def _indirect(self, sent: Span) -> list[Found]:
        a, b = sent
        found = []
        first, last = self._index(a), self._index(b)
        i = first
        while i < last:
            hit = self._cue_at(i)
            if not hit or self._quote_covers(i):
                i += 1
                continue
            cue, after = hit
            f = (
                self._according_to(i, after, cue, sent)
                if cue.lemma in {" ".join(p) for p in self.lex.source_after}
                else None
            )
            if (
                f is None
                and not cue.quote_only
                and cue.lemma not in {" ".join(p) for p in self.lex.source_after}
            ):
                f = self._inverted(i, after, cue, sent) or self._forward(i, after, cue, sent)
            if f is not None:
                found.append(f)
                i = after
                continue
            i += 1
        return found

    def _quote_covers(self, i: int) -> bool:
        """True when token ``i`` is already the cue of a quotation attribution."""
        return self.toks[i].start in self.used_cues

    def _forward(self, i: int, after: int, cue: Cue, sent: Span) -> Found | None:
        """Smith said (that) …: the source before the cue, the content after it."""
        if after >= len(self.toks):
            return None
        nxt = self.toks[after]
        if cue.evidence_only and nxt.low != "that":
            return None
        if (
            cue.kind in ("belief", "intent", "evidence")
            and nxt.low not in ("that", "to", "whether")
            and not (cue.kind == "belief" and nxt.capital)
        ):
            return None
        src = self.source_before(i, sent[0])
        participle = self.toks[i].low.endswith("ing")
        if participle and not (
            i > 0 and (self.toks[i - 1].text == "," or self.toks[i - 1].low in ("by", "even"))
        ):
            # "Western powers asking countries to ...": a modifier, unless "is/was ... asking".
            aux = i - 1
            while aux >= 0 and self._between(aux) and self.toks[aux].low not in _BE:
                aux -= 1
            if aux < 0 or self.toks[aux].low not in _BE:
                return None
            src = self.source_before(aux, sent[0])
        passive = self._passive(i)
        if passive:
            src = None  # "is expected to": the subject is what is said, not who says it
        coordinated = i > 0 and self.toks[i - 1].low == "and"
        if coordinated:
            # "The minister noted that …, and stressed that …": the first cue's subject.
            src = self._coordinated_source(i, sent)
        if src is None and not participle and not coordinated and not passive:
            return None
        if cue.strict and not (src and self._subject(src, sent)):
            return None
        if src is not None and self.text[src[0] : src[1]].lower() in ("it", "there") and cue.kind != "speech":
            return None
        content = self.content_after(after, cue, sent[1])
        if content is None:
            return None
        return Found(self._cue_span(i, after), [src] if src else [], [content], cue.lemma, cue.kind)

    def _inverted(self, i: int, after: int, cue: Cue, sent: Span) -> Found | None:
        """… , Smith said. / … , said Smith, a professor. — the content comes first."""
        if cue.kind != "speech" or self.toks[i].low.endswith("ing"):
            return None
        rest = [t for t in self.toks[after:] if t.start < sent[1] and t.is_word]
        # the source before the cue, after a comma: "…, the official said (on Friday)."
        src = self.source_before(i, sent[0])
        comma = None
        if src is not None:
            k = self._index(src[0]) - 1
            if k >= 0 and self.toks[k].text in ",—–" and self.toks[k].start >= sent[0]:
                comma = k
        if comma is None and src is None and i > 0 and self.toks[i - 1].text == ",":
            comma = i - 1
            src = self.source_after(after, sent[1])
            if src is None:
                return None
            rest = [t for t in self.toks[self._index(src[1]) :] if t.start < sent[1] and t.is_word]
        if comma is None:
            return None
        if not all(t.low in _WHEN for t in rest) and not (cue.hearer and len(rest) <= 3):
            return None
        lead = self._index(sent[0])
        if comma - lead < 3:
            return None
        start, end = self.toks[lead].start, self.toks[comma - 1].end
        return Found(self._cue_span(i, after), [src] if src else [], [(start, end)], cue.lemma, cue.kind)

    def _according_to(self, i: int, after: int, cue: Cue, sent: Span) -> Found | None:
        """according to X, … / …, according to X."""
        src = self.source_after(after, sent[1])
        if src is None:
            return None
        src_end = self._index(src[1])
        lead = self._index(sent[0])
        before_words = [t for t in self.toks[lead:i] if t.is_word]
        after_toks = [t for t in self.toks[src_end:] if t.start < sent[1]]
        if len(before_words) >= 3:
            k = i - 1
            while k >= lead and not self.toks[k].is_word:
                k -= 1
            content = (self.toks[lead].start, self.toks[k].end)
        elif sum(t.is_word for t in after_toks) >= 3:
            k = src_end
            while k < len(self.toks) and not self.toks[k].is_word:
                k += 1
            end = sent[1]
            while end > 0 and self.text[end - 1] in ". ":
                end -= 1
            content = (self.toks[k].start, end)
        else:
            return None
        return Found(self._cue_span(i, after), [src], [content], cue.lemma, cue.kind)


_WORDS = re.compile(r"[^\W\d_]+(?:[’'][^\W\d_]+)?")


def find_attributions(text: str, lex: Lexicon) -> list[Found]:
    # Most paragraphs of a news article attribute nothing: skip those with no quotation mark,
    # colon or cue word before tokenising them.
    if not (_QUOTE_MARKS.intersection(text) or ":" in text) and lex.triggers.isdisjoint(
        w.lower().replace("’", "'") for w in _WORDS.findall(text)
    ):
        return []
    para = Paragraph(text, lex)
    quoted = para._quotations()
    label = para.speaker_label()
    if label is not None and not any(_overlap(label.cue, f.cue) for f in quoted):
        quoted = [f for f in quoted if not _overlap(f.contents[0], label.contents[0])] + [label]
    para.used_cues = {f.cue[0] for f in quoted}
    found = list(quoted)
    for sent in para.sentences:
        for f in para._indirect(sent):
            if not any(_overlap(f.cue, g.cue) for g in found):
                found.append(f)
    found.sort(key=lambda f: f.cue[0])
    para.attach_orphans(found)
    return found


def _overlap(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]
