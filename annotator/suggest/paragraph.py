"""One paragraph read for attributions: its tokens, quotations and sentences, and the sources and
contents the rules (:mod:`annotator.suggest.quoting`, :mod:`annotator.suggest.rules`) build on.

Spans are (start, end) code points. When the rules cannot tell who the source is they leave it
out rather than guess: an empty source costs the annotator one span, a wrong one a correction.
"""

from __future__ import annotations

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


class ParagraphBase:
    """One paragraph's tokens, quotations and sentences; where sources and contents begin and end."""

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

    def _cue_span(self, i: int, after: int) -> Span:
        end = self.toks[after - 1].end
        if after < len(self.toks) and self.toks[after].text == ":" and self.toks[after].start == end:
            end += 1  # a speech-introducing colon belongs to the cue
        return self.toks[i].start, end

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
