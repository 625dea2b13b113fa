"""The attribution rules: direct quotations first, then cues with indirect content.

Works on one paragraph at a time over :mod:`annotator.suggest.text` tokens and asks the
:class:`~annotator.suggest.lexicon.Lexicon` about every word. Spans are (start, end) code points.
When the rules cannot tell who the source is they leave it out rather than guess: an empty
source costs the annotator one span, a wrong one costs a correction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .lexicon import Cue, Lexicon
from .text import Quote, find_quotes, sentences, tokens

Span = tuple[int, int]

# Words that end a source noun phrase when walking left from a cue.
_CLAUSE = frozenset(
    "that which who whom whose when where while because although though if unless as since after "
    "before until so but or nor than whether why how what in on with by from during over under into "
    "about against without through amid across to".split()
)
# Connectors allowed inside a source phrase ("a spokesman for the campaign", "Smith and Jones").
_INSIDE = frozenset("of for at and 's '".split())
_MAX_SOURCE = 14
# Words after a cue that still describe the speech act ("recalled of the proceedings").
_AFTER_SPEECH = frozenset("of to at as while after before when with".split())
# Irregular past participles of cue words (regular ones end in -ed).
_PARTICIPLES = frozenset("told said written found thought shown known".split())
_BE = frozenset("is are was were been be am 's 're".split())
# Paragraph labels that look like a speaker before a colon but are none.
_NOT_SPEAKERS = frozenset("note update correction editor photo related watch read more advertisement".split())
_MIN_CONTENT_WORDS = 2
# Words after a cue that still belong to the speech act, not its content ("said Friday that").
_WHEN = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday today yesterday tonight "
    "recently earlier later again also previously once repeatedly in a an the interview statement "
    "on at during this last week month year morning afternoon evening night".split()
)


@dataclass
class Found:
    cue: Span
    sources: list[Span] = field(default_factory=list)
    contents: list[Span] = field(default_factory=list)
    lemma: str = ""
    kind: str = "speech"
    quoted: bool = False


class Paragraph:
    """One paragraph's tokens, quotations and sentences, and the rules that read them."""

    def __init__(self, text: str, lex: Lexicon) -> None:
        self.text = text
        self.lex = lex
        self.quotes = find_quotes(text)
        self.sentences = sentences(text, self.quotes)
        self.toks = tokens(text)
        self._in_quote = self._mark_quoted()
        # A headline in title case ("Graham Says Trump Could Change"): capitals say nothing of names.
        words = [t for t in self.toks if t.is_word and t.text[0].isalpha() and len(t.text) > 3]
        self.title_case = len(words) >= 3 and sum(t.capital for t in words) >= 0.8 * len(words)
        self.used_cues: set[int] = set()
        self.orphans: list[Quote] = []

    def _mark_quoted(self) -> list[bool]:
        flags = [False] * len(self.toks)
        for q in self.quotes:  # quotations do not overlap: mark each one's tokens
            a, b = q.inner
            for k in range(self._index(a), len(self.toks)):
                if self.toks[k].start >= b:
                    break
                flags[k] = True
        return flags

    # --- token helpers -------------------------------------------------------------------
    def _index(self, pos: int) -> int:
        """Index of the first token starting at or after ``pos``."""
        lo, hi = 0, len(self.toks)
        while lo < hi:
            mid = (lo + hi) // 2
            if self.toks[mid].start < pos:
                lo = mid + 1
            else:
                hi = mid
        return lo

    def _sentence_of(self, pos: int) -> Span:
        for a, b in self.sentences:
            if a <= pos < b:
                return a, b
        return 0, len(self.text)

    def _cue_at(self, i: int) -> tuple[Cue, int] | None:
        """The cue starting at token ``i`` and the index after it (particle included)."""
        tok = self.toks[i]
        if not tok.is_word or self._in_quote[i]:
            return None
        if tok.low in self.lex.phrase_starts:
            for phrase in self.lex.source_after:
                if tuple(t.low for t in self.toks[i : i + len(phrase)]) == phrase:
                    return Cue(lemma=" ".join(phrase), kind="speech"), i + len(phrase)
        cue = self.lex.cue(tok.low)
        if cue is None:
            return None
        if i > 0 and (
            self.lex.has("nominal_before", self.toks[i - 1].low) or self.toks[i - 1].low.endswith("'s")
        ):
            return None  # "the reports", "Smith's claims": a noun, not a cue
        if (
            tok.capital
            and i > 0
            and self.toks[i - 1].is_word
            and not self._sentence_start(i)
            and not self.title_case
        ):
            return None  # a capitalised cue word mid-sentence is a name or a title
        nxt = i + 1
        if cue.particles and nxt < len(self.toks) and self.toks[nxt].low in cue.particles:
            return cue, nxt + 1
        if cue.particle_only and not cue.strict:
            return None
        if nxt < len(self.toks) and self.toks[nxt].low == "by":
            return None  # passive or a noun: "was told by", "reporting by"
        if self._passive(i) and nxt < len(self.toks) and self.toks[nxt].low in ("with", "of"):
            return None  # "were charged with", "has been accused of": a legal sense, not a cue
        return cue, nxt

    def _passive(self, i: int) -> bool:
        low = self.toks[i].low
        if not (low.endswith("ed") or low in _PARTICIPLES):
            return False
        j = i - 1
        while j >= 0 and self._between(j) and self.toks[j].low not in _BE:
            j -= 1
        return j >= 0 and self.toks[j].low in _BE and self.toks[j].low not in ("'s",)

    def _sentence_start(self, i: int) -> bool:
        start = self._sentence_of(self.toks[i].start)[0]
        return self.toks[i].start == start

    # --- sources ---------------------------------------------------------------------------
    def source_before(self, i: int, floor: int) -> Span | None:
        """The noun phrase that ends just before token ``i`` (auxiliaries skipped), not before ``floor``."""
        j = i - 1
        while j >= 0 and self.toks[j].start >= floor and self._between(j):
            j -= 1
        if j < 0 or self.toks[j].start < floor:
            return None
        if self.toks[j].text == ",":
            return self._appositive_source(j, floor)
        end = j
        if self.lex.has("pronouns", self.toks[j].low):
            return self.toks[j].start, self.toks[j].end
        k = j
        while k >= 0 and self.toks[k].start >= floor and end - k < _MAX_SOURCE:
            tok = self.toks[k]
            if self._in_quote[k]:
                break
            if tok.is_word:
                if tok.low in _CLAUSE or self.lex.cue(tok.low) and not tok.capital and k != end:
                    break
                if tok.low == "and" and not (k > 0 and self.toks[k - 1].capital and self.toks[k + 1].capital):
                    break
                if tok.low in self.lex.words.get("between", ()) and k != end and not tok.capital:
                    break
            elif tok.text in ".-&'’" and k > 0 and self.toks[k - 1].is_word:
                pass
            elif tok.text == ")":
                # "Sen. David Perdue (R-Ga.) said": a parenthesis inside the source.
                opening = next(
                    (m for m in range(k - 1, max(-1, k - 10), -1) if self.toks[m].text == "("), None
                )
                if opening is None or self.toks[opening].start < floor:
                    break
                k = opening
            else:
                break
            k -= 1
        first = k + 1
        # Leading connectors and lower-case words that are not determiners cannot start a source.
        while first <= end and (
            self.toks[first].low in _INSIDE or not self.toks[first].is_word or self.toks[first].low == "and"
        ):
            first += 1
        if first > end:
            return None
        return self.toks[first].start, self.toks[end].end

    def _between(self, j: int) -> bool:
        """Auxiliaries, adverbs and times that stand between a source and its cue."""
        low = self.toks[j].low
        if self.lex.has("between", low) or self.lex.has("times", low):
            return True
        if low.endswith("ly") and len(low) > 4 and not self.toks[j].capital:
            return True
        return (
            low in ("on", "this", "last")
            and j + 1 < len(self.toks)
            and self.lex.has("times", self.toks[j + 1].low)
        )

    def _appositive_source(self, comma: int, floor: int) -> Span | None:
        """ "Smith, a professor at the university, said": the name and its apposition."""
        k = comma - 1
        while (
            k >= 0
            and self.toks[k].start >= floor
            and self.toks[k].text not in ",;:"
            and not self._in_quote[k]
        ):
            k -= 1
        if k < 0 or self.toks[k].text != "," or comma - k < 2:
            return None
        head = self.source_before(k, floor)
        if head is None or not self.text[head[0]].isupper():
            return None
        return head[0], self.toks[comma - 1].end

    def source_after(self, i: int, ceiling: int) -> Span | None:
        """The noun phrase starting at token ``i`` ("said Smith, a professor"), up to ``ceiling``."""
        k = i
        while k < len(self.toks) and self.toks[k].end <= ceiling and k - i < _MAX_SOURCE:
            tok = self.toks[k]
            if self._in_quote[k]:
                break
            if tok.is_word:
                if tok.low in _CLAUSE and tok.low not in ("at",) or (tok.low == "and" and k == i):
                    break
            elif tok.text == "," and k > i and self._apposition_follows(k, ceiling):
                pass
            elif tok.text in ".-&'’" and k > i and self.toks[k - 1].is_word and not self._ends_sentence(k):
                pass
            else:
                break
            k += 1
        while k > i and (self.toks[k - 1].low in _INSIDE or not self.toks[k - 1].is_word):
            k -= 1
        if k == i:
            return None
        return self.toks[i].start, self.toks[k - 1].end

    def _apposition_follows(self, comma: int, ceiling: int) -> bool:
        nxt = comma + 1
        return (
            nxt < len(self.toks)
            and self.toks[nxt].end <= ceiling
            and (
                self.lex.has("determiners", self.toks[nxt].low)
                or self.lex.has("person_nouns", self.toks[nxt].low)
            )
        )

    def _ends_sentence(self, k: int) -> bool:
        return self.toks[k].end >= self._sentence_of(self.toks[k].start)[1]

    # --- content ------------------------------------------------------------------------------
    def content_after(self, i: int, cue: Cue, stop: int) -> Span | None:
        """What the cue ending before token ``i`` governs, up to ``stop`` (the sentence's end)."""
        n = len(self.toks)
        k = i
        # Skip the time and manner of the speech act and, for tell-like cues, the hearer.
        limit = i + (12 if cue.hearer else 6)
        that = None
        for j in range(i, min(n, limit)):
            if self.toks[j].start >= stop:
                break
            if self.toks[j].low in ("that", "whether", "if") and not self._in_quote[j]:
                that = j
                break
        if that is not None and (
            cue.hearer or all(self.toks[j].low in _WHEN or not self.toks[j].is_word for j in range(i, that))
        ):
            k = that
        else:
            while (
                k < n
                and self.toks[k].start < stop
                and (self.toks[k].text in ",:" or self.toks[k].low in ("on",))
            ):
                k += 1
        if k >= n or self.toks[k].start >= stop:
            return None
        start = self.toks[k].start
        end = self._coordinated_cue(k, stop) or stop
        while end > start and (self.text[end - 1] in ".;, \u00a0" or self.text[end - 1].isspace()):
            end -= 1
        words = sum(1 for t in self.toks[k:] if t.start < end and t.is_word)
        if words < _MIN_CONTENT_WORDS:
            return None
        return start, end

    def _coordinated_cue(self, k: int, stop: int) -> int | None:
        """Where "…, and stressed that …" starts a second attribution inside this content."""
        for j in range(k + 1, len(self.toks) - 1):
            if self.toks[j].start >= stop:
                break
            if self.toks[j].low == "and" and not self._in_quote[j]:
                nxt = j + 1
                while nxt < len(self.toks) and self._between(nxt):
                    nxt += 1
                hit = self._cue_at(nxt) if nxt < len(self.toks) else None
                if hit and hit[0].kind == "speech" and not self.toks[nxt].low.endswith("ing"):
                    after = hit[1]
                    if after < len(self.toks) and self.toks[after].low in ("that", ":"):
                        return self.toks[j - 1].end if self.toks[j - 1].text == "," else self.toks[j].start
        return None

    # --- the rules ------------------------------------------------------------------------------
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

    def _cue_span(self, i: int, after: int) -> Span:
        end = self.toks[after - 1].end
        if after < len(self.toks) and self.toks[after].text == ":" and self.toks[after].start == end:
            end += 1  # a speech-introducing colon belongs to the cue
        return self.toks[i].start, end

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

    def _coordinated_source(self, i: int, sent: Span) -> Span | None:
        for j in range(i - 2, self._index(sent[0]) - 1, -1):
            hit = self._cue_at(j)
            if hit and not self.toks[j].low.endswith("ing"):
                return self.source_before(j, sent[0])
        return None

    def _subject(self, src: Span, sent: Span) -> bool:
        """True when ``src`` opens its clause and reads as a name, a pronoun or a described source."""
        k = self._index(src[0]) - 1
        opens = (
            k < self._index(sent[0]) or self.toks[k].text in ",;:—–(" or self.toks[k].low in ("and", "but")
        )
        first = self.toks[self._index(src[0])]
        return opens and (
            first.capital or self.lex.has("pronouns", first.low) or self.lex.has("determiners", first.low)
        )

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


_QUOTE_MARKS = frozenset("“”„«»\"‘’'")
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
