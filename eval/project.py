"""Predicted spans -> IOB2 tags over the gold's own tokens.

A boundary inside a token is widened to the token's edge and counted; a span
across a sentence break is cut into one piece per sentence and counted. Both
appear in the result record: nothing is adjusted silently.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from corpus.iob import snap, spans_to_tags
from corpus.types import Span

from .goldset import GoldSentence
from .predictions import PredictionError


@dataclass
class Alignment:
    predicted: int = 0  # spans given
    snapped: int = 0  # spans whose boundaries were widened to token edges
    split: int = 0  # spans cut at a sentence break
    dropped: int = 0  # spans covering no token (whitespace only)
    repaired_tags: int = 0  # ill-formed IOB2 transitions in tag input, read as entity starts
    examples: list[str] = field(default_factory=list)

    def note(self, what: str) -> None:
        if len(self.examples) < 20:
            self.examples.append(what)


def project(doc_id: str, spans: list[Span], sentences: list[GoldSentence], alignment: Alignment,
            where: str = "") -> list[list[str]]:
    """IOB2 tags for each of ``sentences`` from ``spans`` (sorted, non-overlapping)."""
    starts = [s.start for s in sentences]
    pieces: list[list[tuple[int, int, str]]] = [[] for _ in sentences]
    for span in spans:
        alignment.predicted += 1
        i = max(bisect_right(starts, span.start) - 1, 0)
        found = []
        while i < len(sentences) and sentences[i].start < span.end:
            sent = sentences[i]
            lo, hi = max(span.start, sent.start), min(span.end, sent.end)
            snapped = snap(lo, hi, sent.tokens) if lo < hi else None
            if snapped is not None:
                found.append((i, lo, hi, snapped))
            i += 1
        where_span = f"{doc_id} [{span.start}, {span.end}) {span.text!r}"
        if not found:
            alignment.dropped += 1
            alignment.note(f"{where_span}: covers no token, dropped")
            continue
        if len(found) > 1:
            alignment.split += 1
            alignment.note(f"{where_span}: crosses a sentence break, cut into {len(found)} pieces")
        if any(snapped != (lo, hi) for _, lo, hi, snapped in found):
            alignment.snapped += 1
            alignment.note(f"{where_span}: boundary inside a token, widened to "
                           f"[{found[0][3][0]}, {found[-1][3][1]})")
        for i, _, _, snapped in found:
            pieces[i].append((*snapped, span.label))
    return [_tags(doc_id, sent, p, where) for sent, p in zip(sentences, pieces)]


def _tags(doc_id, sent, pieces, where) -> list[str]:
    try:
        return spans_to_tags(pieces, sent.tokens)
    except ValueError:
        ordered = sorted(pieces)
        for a, b in zip(ordered, ordered[1:]):
            if b[0] < a[1]:
                raise PredictionError(
                    f"{where or doc_id}: predicted spans [{a[0]}, {a[1]}) {a[2]} and [{b[0]}, {b[1]}) {b[2]} "
                    "overlap once widened to token boundaries (two spans inside one token?)") from None
        raise
