"""libs.v1: the field's off-the-shelf extractors, quantulum3 for quantities and dateparser for dates.

What it does:

- QUANTITY: ``quantulum3.parser.parse`` on the whole text; its spans index
  the raw text directly. Kept are dimensionless counts and measures with a
  real unit ("70 km"); dropped are durations (unit entity "time": "two
  weeks"), four-digit years 1800-2099 ("2024", the "1970" of "1970s") and
  any number inside a DATE found below ("18" of "May 18"). When quantulum3
  glues a word to the number as an unknown unit ("8,000 DPRK") the span is
  cut back to the number. The approximator right before the number
  ("up to", "about", ..., shared with regex.v1) and "several/few/many"
  before a scale word are attached, since neither library keeps them.
- DATE: ``dateparser.search.search_dates(text, languages=["en"])``; the
  substrings it returns are trimmed to the span rules ("on May 18" ->
  ``May 18``, "Saturday, November 16, on the" -> ``Saturday, November 16``),
  coordinations are split ("the 1970s and 1980s" -> ``1970s``, ``1980s``), and
  matches without a calendar anchor are dropped: "now", the modal "may",
  bare numbers ("25-30", "70"), bare durations ("two months", "a second").
- ATTRIBUTION: :func:`models.regex_v1.find_attributions`, the same cue
  patterns as regex.v1 (neither library finds sources).

What I had to do (pitfalls):

1. quantulum3 0.10.0 ships a classifier pickled with an older scikit-learn;
   under the installed scikit-learn (1.9) unpickling it raises
   ``ModuleNotFoundError: No module named '_loss'`` the first time a text
   contains an ambiguous unit ("5 pounds", "20 C") -- not at import, so a
   quick test on plain counts passes. ``parse(text, classifier_path=None)`` is
   *not* a way out: None means "the default pickle". The switch is the
   module flag ``quantulum3.classifier.USE_CLF`` (what quantulum3 sets itself
   when scikit-learn is missing): set to False, disambiguation uses its
   word-overlap heuristic. It is set only for the duration of each parse and
   restored afterwards, so other code in the process is unaffected.
   Importing quantulum3 still imports scikit-learn (about 2 s).
2. quantulum3 reads ``”`` as the inch symbol ("several thousand”" -> 1000
   inch); trimming the trailing punctuation fixes the span.
3. ``search_dates`` returns ``(substring, datetime)`` pairs without offsets;
   offsets are recovered by searching each substring from a cursor that
   moves past the previous match (matches come in text order), so repeated
   strings map to successive occurrences. A substring not found from the
   cursor is skipped.
4. ``search_dates`` returns None, not [], when it finds nothing.

What it cannot do: relative phrases dateparser does not know ("earlier this
year", "coming months", "year's end", "fall of 2024" is only "2024") are
missed; the datetime values are discarded (the linker normalizes dates);
sources are only as good as regex.v1's patterns.
"""
from __future__ import annotations

import contextlib
import re
from collections.abc import Sequence

from corpus.types import Document, Span, make_span

from .base import finish
from .regex_v1 import APPROX_BEFORE, find_attributions, trim

# A calendar anchor: without one, a dateparser match is a number, a duration or a modal.
_ANCHOR = re.compile(
    r"\b(?:January|February|March|April|June|July|August|September|October|November|December"
    r"|May(?=\s+\d)|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
    r"|(?:1[89]|20)\d\d|(?:1[89]|20)\d0s|spring|summer|autumn|winter"
    r"|yesterday|today|tomorrow|ago|(?:last|next|this|coming|past)\s+\w+)\b",
    re.I,
)
_MODAL_MAY = re.compile(r"may\b")
_NOT_DATES = frozenset({"now", "currently", "recently", "then"})
_YEAR = re.compile(r"(?:1[89]|20)\d\d")
_MAGNITUDE_BEFORE = re.compile(r"(?<![\w-])(?:several|few|many)\s+$", re.I)


@contextlib.contextmanager
def _without_quantulum_classifier():
    """quantulum3 with its pickled scikit-learn classifier switched off (see pitfall 1)."""
    from quantulum3 import classifier

    saved = classifier.USE_CLF
    classifier.USE_CLF = False
    try:
        yield
    finally:
        classifier.USE_CLF = saved


def _overlaps(s: int, e: int, ranges) -> bool:
    return any(s < re_ and rs < e for rs, re_ in ranges)


class LibsExtractor:
    """quantulum3 + dateparser (+ regex.v1's sources); see the module docstring."""

    name = "libs.v1"

    def __init__(self):
        from dateparser.search import search_dates
        from quantulum3 import parser

        self._parse_quantities = parser.parse
        self._search_dates = search_dates

    def predict(self, docs: Sequence[Document]) -> list[Document]:
        return [finish(doc, self.spans(doc.text)) for doc in docs]

    def spans(self, text: str) -> list[Span]:
        dates = self.dates(text)
        sources = [r for r in find_attributions(text) if not _overlaps(*r, dates)]
        quantities = [r for r in self.quantities(text) if not _overlaps(*r, dates + sources)]
        return (
            [make_span(text, s, e, "DATE") for s, e in dates]
            + [make_span(text, s, e, "ATTRIBUTION") for s, e in sources]
            + [make_span(text, s, e, "QUANTITY") for s, e in quantities]
        )

    def dates(self, text: str) -> list[tuple[int, int]]:
        found: list[tuple[int, int]] = []
        cursor = 0
        for substring, _value in self._search_dates(text, languages=["en"]) or ():
            at = text.find(substring, cursor)
            if at < 0:
                continue
            cursor = at + len(substring)
            # "the 1970s and 1980s": coordinated dates are separate spans
            cuts = [0, *(x for m in re.finditer(r"\s(?:and|or)\s", substring) for x in m.span()), len(substring)]
            for a, b in zip(cuts[::2], cuts[1::2]):
                s, e = trim(text, at + a, at + b)
                surface = text[s:e]
                if e <= s or surface.lower() in _NOT_DATES or _MODAL_MAY.fullmatch(surface):
                    continue
                if _ANCHOR.search(surface) and not _overlaps(s, e, found):
                    found.append((s, e))
        return sorted(found)

    def quantities(self, text: str) -> list[tuple[int, int]]:
        with _without_quantulum_classifier():
            parsed = self._parse_quantities(text)
        found: list[tuple[int, int]] = []
        for q in parsed:
            s, e = q.span
            if q.unit.entity.name == "time":
                continue  # "two weeks": a duration
            if q.unit.entity.name == "unknown":
                m = re.match(r"\S*\d[\d,.]*(?:\s*[-–]\s*\d[\d,.]*)?", text[s:e])
                e = s + m.end() if m else e  # "8,000 DPRK": a word read as a unit
            s, e = trim(text, s, e)
            if e <= s or _YEAR.fullmatch(text[s:e]):
                continue
            if m := APPROX_BEFORE.search(text, max(0, s - 25), s):
                s = m.start()
            elif m := _MAGNITUDE_BEFORE.search(text, max(0, s - 12), s):
                s = m.start()
            if not _overlaps(s, e, found):
                found.append((s, e))
        return found
