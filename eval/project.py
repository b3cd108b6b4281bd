"""Predicted spans -> entities over the gold's own tokens.

A boundary inside a token is widened to the token's edge and counted; a span
across a sentence break is cut into one piece per sentence and counted; a
span that, once widened, shares a token with the span before it (two numbers
inside "16:08") is dropped and counted, since IOB2 cannot hold both. Both
appear in the result record: nothing is adjusted silently. The result is a
list of token ranges ``(i, j, label)`` per sentence: exactly the entities
seqeval's strict IOB2 mode reads from ``corpus.iob.ranges_to_tags`` of them
(tests/test_harness.py checks this against seqeval itself).
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from corpus.types import Span

from .goldset import GoldSentence
from .predictions import PredictionError

Range = tuple[int, int, str]


@dataclass
class Alignment:
    predicted: int = 0  # spans given
    snapped: int = 0  # spans whose boundaries were widened to token edges
    split: int = 0  # spans cut at a sentence break
    dropped: int = 0  # spans covering no token, or sharing a token with the span before them once widened
    ill_formed_tags: int = 0  # tag input (CoNLL): I-X not continuing an X; strict mode reads no entity there
    examples: list[str] = field(default_factory=list)
    ill_formed: list[dict] = field(default_factory=list)  # where each ill-formed tag is: line, doc, sentence, token

    def note(self, what: str) -> None:
        if len(self.examples) < 20:
            self.examples.append(what)


def project(doc_id: str, spans: list[Span], sentences: list[GoldSentence], alignment: Alignment,
            where: str = "") -> list[list[Range]]:
    """Token ranges per sentence for ``spans`` (sorted, non-overlapping in characters)."""
    starts = [s.start for s in sentences]
    ranges: list[list[Range]] = [[] for _ in sentences]
    for span in spans:
        alignment.predicted += 1
        k = max(bisect_right(starts, span.start) - 1, 0)
        found = []  # (sentence, first token, last token + 1, widened?)
        while k < len(sentences) and sentences[k].start < span.end:
            sent = sentences[k]
            i = bisect_right(sent.ends, span.start)  # first token ending after the start
            j = bisect_left(sent.starts, span.end)  # tokens starting before the end
            if i < j:
                lo, hi = max(span.start, sent.start), min(span.end, sent.end)
                found.append((k, i, j, (sent.starts[i], sent.ends[j - 1]) != (lo, hi)))
            k += 1
        if not found:
            alignment.dropped += 1
            alignment.note(f"{doc_id} [{span.start}, {span.end}) {span.text!r}: covers no token, dropped")
            continue
        if len(found) > 1:
            alignment.split += 1
            alignment.note(f"{doc_id} [{span.start}, {span.end}) {span.text!r}: crosses a sentence break, "
                           f"cut into {len(found)} pieces")
        if any(widened for *_, widened in found):
            alignment.snapped += 1
            first, last = sentences[found[0][0]], sentences[found[-1][0]]
            alignment.note(f"{doc_id} [{span.start}, {span.end}) {span.text!r}: boundary inside a token, widened "
                           f"to [{first.starts[found[0][1]]}, {last.ends[found[-1][2] - 1]})")
        clash = next(((k, ranges[k][-1]) for k, i, _, _ in found if ranges[k] and ranges[k][-1][1] > i), None)
        if clash:  # IOB2 cannot hold two entities in one token: the first span keeps it, as in `finish`
            k, previous = clash
            sent = sentences[k]
            alignment.dropped += 1
            alignment.note(f"{doc_id} [{span.start}, {span.end}) {span.text!r}: shares a token with the span "
                           f"before it ([{sent.starts[previous[0]]}, {sent.ends[previous[1] - 1]}) {previous[2]}) "
                           "once widened, dropped")
            continue
        for k, i, j, _ in found:
            ranges[k].append((i, j, span.label))
    return ranges
