"""Mention strings -> character offsets: the one alignment every text-answering extractor goes through.

LLMs answer with quoted strings, not offsets. Users who turn strings into
offsets by hand each do it differently, so their scores are not comparable;
this module is the single documented way (eval/ALIGNMENT.md). In short:

1. Occurrences. The mention is looked up in the document text, first
   exactly, then after a normalization that forgives what LLMs change:
   Unicode compatibility forms (NFKC, so decomposed letters match composed
   ones), curly vs straight quotes and
   apostrophes, dash variants, and runs of whitespace (one space). A
   normalized match maps back to the original offsets. Occurrences are
   non-overlapping, in text order. If any occurrence is exact, only exact
   ones count; if any does not cut through a word, only those count.
2. None found: a hallucination (``Unaligned``): a false positive under its
   label, never dropped silently, never an error.
3. Repeats: an explicit ``occurrence`` (1-based) wins; otherwise among the
   occurrences not overlapping an already aligned span, the ones whose
   surroundings share most words with ``context``; then text order: the
   earliest after the previously aligned mention, else the earliest.
   All occurrences taken: a duplicate, noted and not counted twice.
4. Claims. Each claim's quantity, source and date strings are mentions of
   QUANTITY, ATTRIBUTION and DATE. Candidates are the spans already aligned
   with that label and text, and the free occurrences. Quantity: the
   earliest candidate (not yet claimed) at or after the previous claim's
   quantity, else the earliest. Source and date: the candidate nearest the
   claim's quantity, fewest sentence breaks between first, then fewest
   characters. A claim field whose string is not in the text links to the
   hallucination, so it counts as wrong.

Nothing here reads files: corpus/mentions.py checks answers, eval/mentions.py reads them, this module aligns.
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

from .mentions import Mention, MentionDocument
from .types import CLAIM_LINKS, CLAIM_VALUES, Claim, Span

FIELD_LABELS = CLAIM_LINKS

# Same-length substitutions (offsets unchanged): quotes, dashes, whitespace characters.
_QUOTES = "\u2018\u2019\u201a\u201b\u2032\u02bc\u0060\u00b4"
_DQUOTES = "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb"
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_SAME_LENGTH = [*((c, "'") for c in _QUOTES), *((c, '"') for c in _DQUOTES), *((c, "-") for c in _DASHES),
                *((c, " ") for c in "\t\n\r\f\v\x1c\x1d\x1e\x1f")]  # every ASCII whitespace is a space
_FOLD = str.maketrans(dict(_SAME_LENGTH))
# A letter followed by combining marks (decomposed form) is one unit: NFKC composes it ("e" + U+0301 -> "é").
_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_SPECIAL = re.compile(rf"[^\s{_MARKS}][{_MARKS}]+|\s{{2,}}|[^\x00-\x7f]|[\t\n\r\f\v]")  # what normalization may change
_RUNS = re.compile(r" {2,}")
_WORD = re.compile(r"\w+")
_BREAK = re.compile(r"[.!?][\"'\u201d\u2019)]*\s+(?=[\"\u201c\u2018(]*[A-Z0-9])|\n")  # a likely sentence break
_INDEX_ABOVE = 50_000  # characters: longer texts get a word index instead of repeated scans


class AlignmentError(ValueError):
    """A mention that cannot be aligned as asked (an ``occurrence`` beyond the occurrences found)."""


@dataclass(frozen=True, slots=True)
class Unaligned:
    """A string not found in the text. ``anchor``: the offset where the answer had got to (for bootstrap units)."""

    id: str
    label: str
    text: str
    where: str
    anchor: int = 0
    reason: str = "not in the text"


@dataclass
class Aligned:
    """Offset spans (ids P1.. in text order), claims over span or hallucination ids, and what went astray."""

    spans: list[Span] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    unaligned: list[Unaligned] = field(default_factory=list)
    duplicates: int = 0
    normalized: int = 0  # spans found only after normalization
    notes: list[str] = field(default_factory=list)


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    """One character, or a letter with its combining marks, as alignment compares it."""
    out = unicodedata.normalize("NFKC", ch).translate(_FOLD)
    return " " if out.isspace() else out


@lru_cache(maxsize=1 << 16)
def normalize(text: str) -> str:
    """The normalized form alignment compares (mentions are also stripped); ASCII takes a shortcut."""
    if text.isascii():  # the same folds as NormalizedText: the backtick, whitespace characters, space runs
        return _RUNS.sub(" ", text.translate(_FOLD))
    return NormalizedText(text).norm


class NormalizedText:
    """A text's normalized form with a map back to original offsets.

    Only length-changing edits (whitespace runs, NFKC expansions) are stored,
    as segments; everything else maps one to one. Same-length changes are
    ``str.replace`` calls in C; Python visits only whitespace runs and
    other non-ASCII characters.
    """

    def __init__(self, text: str):
        self.text = text
        parts: list[str] = []
        self._seg_norm: list[int] = []  # norm start of each changed segment
        self._seg: list[tuple[int, int, int, int]] = []  # (norm start, norm end, orig start, orig end)
        folded = text
        for a, b in _SAME_LENGTH:  # str.replace runs in C; offsets do not move
            if a in folded:
                folded = folded.replace(a, b)
        pos = shift = 0  # shift: normalized minus original length so far
        for m in (_RUNS if folded.isascii() else _SPECIAL).finditer(folded):  # ASCII left: only space runs
            chunk = m.group()
            repl = _fold_char(chunk) if len(chunk) == 1 or not chunk[0].isspace() else " "
            if repl == chunk:
                continue
            parts.append(folded[pos:m.start()])
            parts.append(repl)
            if len(repl) != len(chunk):
                n = m.start() + shift
                self._seg_norm.append(n)
                self._seg.append((n, n + len(repl), m.start(), m.end()))
                shift += len(repl) - len(chunk)
            pos = m.end()
        parts.append(folded[pos:])
        self.norm = "".join(parts)
        self._index: dict[str, list[int]] | None = None
        self._cache: dict[str, list[tuple[int, int]]] = {}

    def _orig(self, n: int, end: bool) -> int:
        """Original offset of normalized position ``n`` (a start, or an exclusive end)."""
        if not self._seg:
            return n
        probe = n - 1 if end else n
        k = bisect_right(self._seg_norm, probe) - 1
        if k >= 0:
            ns, ne, os_, oe = self._seg[k]
            if ns <= probe < ne:
                return oe if end else os_
            return n - ne + oe
        return n

    def _starts(self, needle: str) -> list[int]:
        """Normalized start positions of ``needle``, non-overlapping, in order."""
        hay = self.norm
        if len(hay) > _INDEX_ABOVE:
            m = _WORD.search(needle)
            if m:
                if self._index is None:
                    self._index = {}
                    for w in _WORD.finditer(hay):
                        self._index.setdefault(w.group(), []).append(w.start())
                found = [p - m.start() for p in self._index.get(m.group(), ())
                         if p >= m.start() and hay.startswith(needle, p - m.start())]
                if found:
                    out, last = [], -1
                    for p in found:
                        if p >= last:
                            out.append(p)
                            last = p + len(needle)
                    return out
        out, i = [], hay.find(needle)
        while i >= 0:
            out.append(i)
            i = hay.find(needle, i + len(needle))
        return out

    def occurrences(self, mention: str) -> list[tuple[int, int]]:
        """Original ``(start, end)`` of the mention's occurrences, filtered as the module docstring says."""
        got = self._cache.get(mention)
        if got is not None:
            return got
        key = mention.strip()
        needle = normalize(key).strip()
        n = len(needle)
        if not needle:
            found = []
        elif self._seg:
            found = [(self._orig(p, False), self._orig(p + n, True)) for p in self._starts(needle)]
        else:  # nothing changed length: normalized offsets are the original ones
            found = [(p, p + n) for p in self._starts(needle)]
        t = self.text
        if len(found) > 1:
            exact = [o for o in found if t[o[0]:o[1]] == key]
            found = exact or found
            whole = [o for o in found if not self._cuts_word(*o)]
            found = whole or found
        self._cache[mention] = found
        return found

    def _cuts_word(self, start: int, end: int) -> bool:
        t = self.text
        return (start > 0 and _is_word(t[start - 1]) and _is_word(t[start])) or \
            (end < len(t) and _is_word(t[end - 1]) and _is_word(t[end]))

    def context_score(self, start: int, end: int, context: str) -> int:
        """How many of the context's words occur within its own length either side of ``[start, end)``."""
        words = {w.lower() for w in _WORD.findall(normalize(context))}
        reach = len(context)
        window = normalize(self.text[max(0, start - reach):end + reach]).lower()
        return len(words & set(_WORD.findall(window)))


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


class _Aligner:
    def __init__(self, text: str):
        self.nt = NormalizedText(text)
        self.taken: list[tuple[int, int, str]] = []  # aligned spans, kept sorted by start
        self.by_text: dict[tuple[str, str], list[tuple[int, int, str]]] = {}  # (label, normalized text) -> spans
        self.unplaced: dict[tuple[str, str], str] = {}  # (label, normalized text) -> id of a string not placed
        self.out = Aligned()
        self.last_end = 0  # end of the previously aligned mention (text order)

    def _free(self, start: int, end: int) -> bool:
        i = bisect_left(self.taken, (start, -1, ""))
        return not ((i < len(self.taken) and self.taken[i][0] < end) or
                    (i > 0 and self.taken[i - 1][1] > start))

    def unaligned(self, text: str, label: str, where: str, reason: str = "not in the text") -> str:
        """The id of a string that has no place in the text: one per string and label, however often given."""
        key = (label, _key(text))
        if key not in self.unplaced:
            self.unplaced[key] = f"H{len(self.out.unaligned) + 1}"
            self.out.unaligned.append(Unaligned(self.unplaced[key], label, text.strip(), where, self.last_end, reason))
        return self.unplaced[key]

    def add(self, mention: Mention, where: str) -> tuple[int, int, str] | str | None:
        """Align one mention: its span, a hallucination id, or None (a duplicate)."""
        found = self.nt.occurrences(mention.text)
        if not found:
            return self.unaligned(mention.text, mention.label, where)
        if mention.occurrence is not None:
            if mention.occurrence > len(found):
                raise AlignmentError(f"{where}: 'occurrence' is {mention.occurrence} for {mention.text.strip()!r}, "
                                     f"which occurs {len(found)} time(s); allowed: 1 to {len(found)}")
            pick = found[mention.occurrence - 1]
            if not self._free(*pick):
                return self._duplicate(mention, where)
        elif mention.context:
            free = [o for o in found if self._free(*o)]
            if not free:
                return self._duplicate(mention, where)
            scores = [self.nt.context_score(s, e, mention.context) for s, e in free]
            best = max(scores)
            free = [o for o, s in zip(free, scores) if s == best]
            pick = next((o for o in free if o[0] >= self.last_end), free[0])
        else:  # text order, walking from the previous mention's end: no scan of every occurrence
            i = bisect_left(found, (self.last_end, -1))
            if i < len(found) and self._free(*found[i]):  # the usual case: the next occurrence is free
                pick = found[i]
            else:
                pick = next((found[k] for k in range(i, len(found)) if self._free(*found[k])), None) or \
                    next((found[k] for k in range(i) if self._free(*found[k])), None)
            if pick is None:
                return self._duplicate(mention, where)
        return self.take((pick[0], pick[1], mention.label), mention.text)

    def take(self, span: tuple[int, int, str], text: str) -> tuple[int, int, str]:
        """Record ``span`` as aligned for the string ``text``."""
        self.taken.insert(bisect_left(self.taken, span), span)
        self.by_text.setdefault((span[2], _key(text)), []).append(span)
        self.last_end = span[1]
        if self.nt.text[span[0]:span[1]] != text.strip():
            self.out.normalized += 1
        return span

    def distance(self, span: tuple, near: tuple) -> tuple[int, int, int]:
        """How far ``span`` is from the claim's quantity ``near``: sentence breaks between, then characters."""
        lo, hi = (span[1], near[0]) if span[0] < near[0] else (near[1], span[0])
        between = self.nt.text[lo:hi] if lo < hi else ""
        return len(_BREAK.findall(between)), hi - lo, span[0]

    def _duplicate(self, mention: Mention, where: str) -> None:
        self.out.duplicates += 1
        self.out.notes.append(f"{where}: {mention.text.strip()!r} ({mention.label}) again, with every "
                              "occurrence already aligned: counted once")
        return None


def align(text: str, doc: MentionDocument) -> Aligned:
    """Align one document's mentions and claims to ``text`` (see the module docstring)."""
    a = _Aligner(text)
    for i, m in enumerate(doc.mentions):
        a.add(m, f"mention {i + 1}")
    claimed_quantities: set[tuple[int, int, str]] = set()
    prev_quantity = 0
    refs: list[dict[str, object]] = []
    for j, c in enumerate(doc.claims):
        ref: dict[str, object] = {}
        q = _claim_field(a, c.quantity, "QUANTITY", f"claim {j + 1} quantity", claimed_quantities, prev_quantity)
        ref["quantity"] = q
        if isinstance(q, tuple):
            claimed_quantities.add(q)
            prev_quantity = q[0]
        near = q if isinstance(q, tuple) else None
        for name in ("source", "date"):
            value = getattr(c, name)
            ref[name] = None if value is None else \
                _claim_field(a, value, FIELD_LABELS[name], f"claim {j + 1} {name}", None, prev_quantity, near)
        refs.append(ref)
    ids = {span: f"P{i}" for i, span in enumerate(a.taken, 1)}
    a.out.spans = [Span(s, e, label, text[s:e], ids[(s, e, label)]) for s, e, label in a.taken]

    def as_id(r):
        return ids[r] if isinstance(r, tuple) else r

    for j, (c, ref) in enumerate(zip(doc.claims, refs)):
        a.out.claims.append(Claim(f"C{j + 1}", as_id(ref["quantity"]), as_id(ref["source"]), as_id(ref["date"]),
                                  **{f: getattr(c, f) for f in CLAIM_VALUES}))
    return a.out


@lru_cache(maxsize=1 << 16)
def _key(text: str) -> str:
    """What two strings must share to be the same mention: the stripped normalized form."""
    return normalize(text.strip()).strip()


def _claim_field(a: _Aligner, value: str, label: str, where: str, claimed: set | None, after: int,
                 near: tuple | None = None):
    """A claim's string as a span: one already aligned with its label and text, or a free occurrence.

    Quantity (``near`` None): the earliest such candidate (aligned ones not yet
    claimed) at or after the previous claim's quantity, else the earliest.
    Source and date: the candidate nearest the claim's quantity; when the
    quantity has no place in the text, the quantity's rule.
    """
    same = sorted(a.by_text.get((label, _key(value)), ()))
    found = a.nt.occurrences(value)
    free = [(s, e, label) for s, e in found if a._free(s, e)]
    if near is not None:
        options = same + free
        pick = min(options, key=lambda t: a.distance(t, near)) if options else None
    else:
        options = sorted([t for t in same if t not in (claimed or ())] + free) or same
        pick = next((t for t in options if t[0] >= after), options[0]) if options else None
    if pick is None:
        return a.unaligned(value, label, where, "every occurrence overlaps another aligned span" if found
                           else "not in the text")
    return pick if pick in same else a.take(pick, value)


def spans_to_mentions(text: str, spans: list[Span]) -> list[Mention]:
    """Spans as the bare strings an LLM would give (text and label only), in text order."""
    return [Mention(text[s.start:s.end], s.label) for s in sorted(spans)]


__all__ = ["Unaligned", "Aligned", "AlignmentError", "NormalizedText", "normalize", "align", "spans_to_mentions",
           "FIELD_LABELS"]
