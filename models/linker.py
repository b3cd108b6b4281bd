"""Links predicted spans into claims: one claim per QUANTITY, with a source and a date from its sentence.

Every baseline reaches this through ``models.base.finish``, so all of them
are scored on claims by the same rules; a system that links better can
return its own claims instead.

Rules (LABELS.md, "Claims": link only what the same sentence connects):

- Sentences are ``corpus.tokenize.sentences``, the ones the gold's spans are
  checked against; a span belongs to the sentence its start falls in.
- Source: among the sentence's ATTRIBUTION spans, first one that owns the
  figure (``Ukraine's estimate of 30,000``), else the nearest one with a
  reporting cue (``according to X``, ``reported by X``, ``X ... said``,
  ``X have stated``), else the nearest one. Nearest is the character gap;
  ties go to the span before the quantity.
- Date: the nearest DATE span of the sentence. Its value is
  ``normalize_date(text, doc.published)``; an anaphoric date (``same day``)
  takes the value of the closest earlier DATE in the document that has one.
- ``low``/``high``/``approximate`` come from ``normalize_quantity``; all
  None/False when the text cannot be read.
- ``target``: ``models.targets.assign_target`` on the quantity's sentence.
Not done: links across sentences through an explicit reference ("his
visit" -> an earlier date), which the gold may make.
"""
from __future__ import annotations

import re
from bisect import bisect_right

from corpus.normalize import normalize_date, normalize_quantity, resolve_anaphoric_date
from corpus.types import Claim, Document, Span

from .targets import assign_target
from .words import LINKING_VERBS

_VERBS = "|".join(sorted(LINKING_VERBS, key=lambda v: (-len(v), v)))
_AUX = ("has|have|had|is|are|was|were|been|also|previously|reportedly|later|then|further|again|already|recently"
        "|now|earlier|allegedly|publicly|officially|first")
# X [ (NIS) ] [, apposition, ] [aux...] said
_SUBJECT_OF_VERB = re.compile(r"\s*(?:\([^)]*\)\s*)?(?:,[^,.;]{0,150},\s*)?(?:(?:" + _AUX + r")\s+)*(?:"
                              + _VERBS + r")\b", re.IGNORECASE)
# according to [the] [Title Words] X
_CUE_BEFORE = re.compile(r"\b(?i:according\s+to|by|relying\s+on|citing|per)\s+(?i:(?:the|a|an)\s+)?"
                         r"(?:[A-Z][\w.’'-]*\s+){0,4}$")
# X's estimate of <quantity>
_OWNS = re.compile(r"['’]s\s+(?:[\w-]+\s+){0,2}(?:estimates?|assessments?|figures?|counts?|tally|calculations?"
                   r"|warnings?|reports?|claims?|data|forecasts?|projections?|numbers?)\s+(?:of\s+)?", re.IGNORECASE)


def _gap(a: Span, b: Span) -> tuple[int, int]:
    """Character gap between two spans, then 0 for a span before ``b`` and 1 after (ties go before)."""
    return max(a.start - b.end, b.start - a.end, 0), int(a.start > b.start)


def _source(q: Span, candidates: list[Span], text: str, sent_start: int, sent_end: int) -> Span | None:
    if not candidates:
        return None
    for a in candidates:
        if a.end <= q.start and _OWNS.fullmatch(text, a.end, q.start):
            return a
    cued = [a for a in candidates
            if _CUE_BEFORE.search(text, sent_start, a.start) or _SUBJECT_OF_VERB.match(text, a.end, sent_end)]
    return min(cued or candidates, key=lambda a: _gap(a, q))


def link_claims(doc: Document) -> list[Claim]:
    """One claim per QUANTITY span of ``doc`` (ids C1.. in text order), linked within its sentence."""
    from corpus.tokenize import sentences

    spans = sorted(doc.spans)
    if not any(s.label == "QUANTITY" for s in spans):
        return []
    sents = sentences(doc.text)
    starts = [s.start for s in sents]

    def sentence_of(span: Span) -> int:
        return max(bisect_right(starts, span.start) - 1, 0)

    by_sentence: dict[int, list[Span]] = {}
    for s in spans:
        by_sentence.setdefault(sentence_of(s), []).append(s)
    date_values: dict[Span, str | None] = {}
    previous = None
    for s in spans:
        if s.label == "DATE":
            value = normalize_date(s.text, doc.published) or resolve_anaphoric_date(s.text, previous)
            date_values[s] = value
            previous = value or previous

    claims = []
    for q in (s for s in spans if s.label == "QUANTITY"):
        i = sentence_of(q)
        same = by_sentence[i]
        source = _source(q, [s for s in same if s.label == "ATTRIBUTION"], doc.text, sents[i].start, sents[i].end)
        dates = [s for s in same if s.label == "DATE"]
        when = min(dates, key=lambda d: _gap(d, q)) if dates else None
        value = normalize_quantity(q.text)
        claims.append(Claim(
            f"C{len(claims) + 1}", q.id, source.id if source else None, when.id if when else None,
            value.low if value else None, value.high if value else None, value.approximate if value else False,
            date_values[when] if when else None, assign_target(doc.text, q.start, q.end, sents[i].start, sents[i].end)))
    return claims
