"""Direct quotations: a quotation and the cue before or after it, split quotations, quotations
that continue an attribution, colon cues and transcript speakers."""

from __future__ import annotations

from .lexicon import Cue
from .paragraph import _AFTER_SPEECH, _MAX_SOURCE, _NOT_SPEAKERS, _WHEN, Found, ParagraphBase, Span
from .text import Quote

_QUOTE_MARKS = frozenset("“”„«»\"‘’'")


class QuoteRules(ParagraphBase):
    def _quotations(self) -> list[Found]:
        found: list[Found] = []
        orphans: list[Quote] = []
        for q in self.quotes:
            if self._scare(q):
                continue
            att = self._quote_cue_after(q) or self._quote_cue_before(q) or self._colon_cue(q)
            if att is None:
                orphans.append(q)
                continue
            same = next((f for f in found if f.cue == att.cue), None)
            if same:
                same.contents.append((q.start, q.end))
            else:
                att.contents.append((q.start, q.end))
                found.append(att)
        # A quotation that makes a whole sentence and has no cue of its own continues the
        # nearest attributed quotation in the paragraph ("“A,” she said. “B.”").
        self.orphans = orphans
        return found

    def attach_orphans(self, found: list[Found]) -> None:
        """A quotation with no cue of its own continues an attribution of the paragraph: one split
        by its cue ("“A,” Smith said, pausing, “B.”"), or the nearest before it when the quotation
        opens a sentence ("Smith called him a master. “He showed again and again …”")."""
        for q in self.orphans:
            sent = self._sentence_of(q.start)
            split = [f for f in found if f.quoted and sent[0] <= f.cue[0] < q.start]
            if split and self.text[: q.start].rstrip().endswith((",", "—", "–")):
                split[-1].contents.append((q.start, q.end))
                continue
            if q.start != sent[0] or len(self.text[q.end : sent[1]].split()) > 6:
                continue
            before = [f for f in found if f.cue[0] < q.start]
            after = [f for f in found if f.quoted and f.cue[0] > q.end]
            owner = before[-1] if before else (after[0] if after else None)
            if owner is not None:
                owner.contents.append((q.start, q.end))
        for f in found:
            f.contents.sort()

    def _scare(self, q: Quote) -> bool:
        """Scare quotes and titles: a few words inside a sentence, no punctuation of speech."""
        a, b = q.inner
        inner = self.text[a:b]
        words = len(inner.split())
        if words >= 5 or inner.rstrip()[-1:] in ",.?!":
            return False
        before = self.text[: q.start].rstrip()
        return not (before.endswith(":") or before.endswith(",") and words >= 3)

    def _quote_cue_after(self, q: Quote) -> Found | None:
        """“…,” Smith said / “…,” said Smith / “…,” he told reporters."""
        if not q.closed:
            return None
        i = self._index(q.end)
        stop = min([x.start for x in self.quotes if x.start >= q.end] + [len(self.text)])
        if self.text[q.inner[1] - 1 : q.inner[1]] == ".":
            # “… .” ends its sentence; a “…?” or “…!” may still be followed by its speaker.
            stop = min(stop, self._sentence_of(q.start)[1])
        j = i
        while j < len(self.toks) and self.toks[j].start < stop and j - i <= 3 * _MAX_SOURCE:
            hit = self._cue_at(j)
            if hit:
                cue, after = hit
                if cue.kind == "evidence" or self.toks[j].low.endswith("ing"):
                    break
                src = self.source_before(j, q.end)
                gap = self.text[q.end : self.toks[j].start].strip(" ,—–\u00a0")
                if not gap:
                    src = self.source_after(after, stop)
                elif not self._speaker_gap(q, i, src) or self._governs_more(after, cue, stop):
                    break
                return Found(self._cue_span(j, after), [src] if src else [], [], cue.lemma, cue.kind, True)
            if self.toks[j].text in ";!?" or self.toks[j].text == "." and self._ends_sentence(j):
                break
            j += 1
        return None

    def _governs_more(self, after: int, cue: Cue, stop: int) -> bool:
        """ "“Fox News Sunday,” Pence said his running mate …": the cue after a quoted title governs
        the clause that follows it, not the quotation."""
        if after >= len(self.toks) or self.toks[after].start >= stop:
            return False
        nxt = self.toks[after]
        if not nxt.is_word or cue.hearer or nxt.low in _WHEN or nxt.low in _AFTER_SPEECH:
            return False
        return sum(1 for t in self.toks[after:] if t.start < stop and t.is_word) >= 3

    def _speaker_gap(self, q: Quote, i: int, src: Span | None) -> bool:
        """Between a quotation and its cue stands only the speaker: the source found reaches back to
        the quotation, or the quotation ends as speech does (with , ? ! —) and a name or a described
        source follows it."""
        first = next((k for k in range(i, len(self.toks)) if self.toks[k].is_word), None)
        if first is None:
            return False
        if src is not None and src[0] == self.toks[first].start:
            return True
        inner = self.text[q.inner[0] : q.inner[1]].rstrip()
        tok = self.toks[first]
        return inner[-1:] in (",", "?", "!", "—", "-") and (
            tok.capital or self.lex.has("pronouns", tok.low) or self.lex.has("determiners", tok.low)
        )

    def _quote_cue_before(self, q: Quote) -> Found | None:
        """Smith said: “…” / Smith said, “…” / Smith told reporters that “…”."""
        sent_start = self._sentence_of(q.start)[0]
        i = self._index(q.start)
        j = i - 1
        while j >= 0 and self.toks[j].start >= sent_start and i - j <= 8:
            if self._in_quote[j]:
                return None
            hit = self._cue_at(j)
            if hit:
                cue, after = hit
                between = self.text[self.toks[after - 1].end : q.start] if after <= i else ""
                if after > i or not self._quote_follows_cue(between, cue):
                    return None
                src = self.source_before(j, sent_start)
                return Found(self._cue_span(j, after), [src] if src else [], [], cue.lemma, cue.kind, True)
            j -= 1
        return None

    def _quote_follows_cue(self, between: str, cue: Cue) -> bool:
        words = between.strip(" ,:\u00a0").split()
        if not between.strip():
            return True
        if between.rstrip().endswith((":", ",")) and len(words) <= 6:
            return True
        return bool(words) and words[-1].lower() in ("that", "as") and len(words) <= 5

    def _colon_cue(self, q: Quote) -> Found | None:
        """Smith: “…” (headlines, transcripts): the colon is the cue."""
        before = self.text[: q.start].rstrip()
        if not before.endswith(":"):
            return None
        colon = len(before) - 1
        sent_start = self._sentence_of(colon)[0]
        head = self.text[sent_start:colon].strip()
        if not head or len(head.split()) > 8 or not head[0].isupper():
            return None
        lead = sent_start + (len(self.text[sent_start:colon]) - len(self.text[sent_start:colon].lstrip()))
        return Found((colon, colon + 1), [(lead, lead + len(head))], [], ":", "speech", True)

    def speaker_label(self) -> Found | None:
        """ "SMITH: Well, look …" (a transcript) or "Poll: Voters leave …" (a headline): a short name
        and a colon open the paragraph; the colon is the cue and the rest is the content."""
        toks = self.toks
        # A transcript quoted whole opens with a quotation mark: "SMITH: …
        lead = 1 if toks and toks[0].text in _QUOTE_MARKS else 0
        k = lead
        while k < len(toks) and k < lead + 5 and toks[k].text != ":":
            if not (toks[k].capital or toks[k].text in ".'’-" or toks[k].low in ("of", "the")):
                return None
            k += 1
        if k == lead or k >= len(toks) - 3 or toks[k].text != ":" or toks[k - 1].low in _NOT_SPEAKERS:
            return None
        if toks[lead].low in ("the", "a", "an"):
            return None  # "The Latest: …" is a rubric, not a speaker
        if any(t.low in _NOT_SPEAKERS for t in toks[lead:k]):
            return None
        if toks[k + 1].text[0].isdigit() or toks[k].start != toks[k - 1].end:
            return None
        rest = (toks[k + 1].start, len(self.text.rstrip(" .\u00a0")))
        if rest[1] <= rest[0]:
            return None
        return Found(
            (toks[k].start, toks[k].end), [(toks[lead].start, toks[k - 1].end)], [rest], ":", "speech", True
        )
