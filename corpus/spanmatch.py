"""Span matching in the SemEval-2013 sense, so boundary errors show apart from misses.

Each predicted span is paired with at most one gold span, the best available
of: same boundaries and label, same boundaries, overlap with the same label,
any overlap (ties: the leftmost gold span). Predictions are taken in offset
order. Then per scheme:

| pairing                     | strict    | exact     | partial | ent_type  |
|-----------------------------|-----------|-----------|---------|-----------|
| same boundaries, same label | correct   | correct   | correct | correct   |
| same boundaries, other label| incorrect | correct   | correct | incorrect |
| overlap, same label         | incorrect | incorrect | partial | correct   |
| overlap, other label        | incorrect | incorrect | partial | incorrect |
| no gold overlaps            | spurious (all schemes)                   |
| gold left unpaired          | missed (all schemes)                     |

precision = (correct + 0.5 partial) / (correct + incorrect + partial + spurious),
recall = (correct + 0.5 partial) / (correct + incorrect + partial + missed);
partial counts only in the ``partial`` scheme.

How this differs from nervaluate (1.2), which defines the same four schemes.
The counts are equal (tests/test_spanmatch_oracle.py checks it against
nervaluate) when no prediction overlaps two gold spans and no gold span
overlaps two predictions (overall counts), and, for per-label counts, when
overlapping spans also share their label. Otherwise:

1. **One pairing for all schemes.** Here a prediction is paired once, and all
   four schemes read that pairing; nervaluate pairs anew in each scheme
   (strict, exact and partial take the first overlapping gold span in list
   order unless one matches exactly; ent_type prefers a same-label overlap
   with the closest boundaries). So when one prediction overlaps two gold
   spans, which one it takes, which one is missed and what a later prediction
   can still pair with may differ. Gold `QUANTITY [0,10)`, `ATTRIBUTION
   [12,20)`; predicted `ATTRIBUTION [5,15)`, `ATTRIBUTION [16,20)`: here the
   first prediction takes the same-label gold span and the second is
   spurious (strict: 1 incorrect, 1 missed, 1 spurious); in nervaluate's
   strict scheme the first takes the QUANTITY and the second the ATTRIBUTION
   (2 incorrect).
2. **Per-label counts of label confusions.** Here a pairing is counted under
   the gold span's label (a spurious prediction under its own label), so the
   labels add up to the overall counts. nervaluate scores each label on the
   spans of that label alone: a prediction `DATE` on a gold `QUANTITY` with
   the same boundaries counts as missed under QUANTITY and spurious under
   DATE in every scheme, though overall it is correct in exact and partial.
3. **Offsets and overlap.** Spans here are half-open ``[start, end)``;
   nervaluate's ends are inclusive (convert with ``end - 1``). Any shared
   character is an overlap here; nervaluate by default needs the overlap to
   cover at least 1% of the gold span (``min_overlap_percentage``), which
   only matters for gold spans over 100 characters.
4. **Order.** nervaluate pairs predictions in the order given; here they are
   sorted by offset first.
"""
from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field

from corpus.labels import LABELS
from corpus.prf import prf
from corpus.types import Span

SCHEMES = ("strict", "exact", "partial", "ent_type")
_OUTCOME = {  # pairing kind -> outcome per scheme
    "same": ("correct", "correct", "correct", "correct"),
    "same_bounds": ("incorrect", "correct", "correct", "incorrect"),
    "overlap_label": ("incorrect", "incorrect", "partial", "correct"),
    "overlap": ("incorrect", "incorrect", "partial", "incorrect"),
}


@dataclass
class Counts:
    correct: int = 0
    incorrect: int = 0
    partial: int = 0
    missed: int = 0
    spurious: int = 0

    def add(self, other: Counts) -> None:
        for k in ("correct", "incorrect", "partial", "missed", "spurious"):
            setattr(self, k, getattr(self, k) + getattr(other, k))

    def _prf(self) -> tuple[float, float, float]:
        """Hits (partial counts one half) over actual (predicted) and possible (gold) spans."""
        actual = self.correct + self.incorrect + self.partial + self.spurious
        possible = self.correct + self.incorrect + self.partial + self.missed
        return prf(self.correct + 0.5 * self.partial, actual, possible)

    @property
    def precision(self) -> float:
        return self._prf()[0]

    @property
    def recall(self) -> float:
        return self._prf()[1]

    @property
    def f1(self) -> float:
        return self._prf()[2]

    def as_dict(self) -> dict:
        return {"correct": self.correct, "incorrect": self.incorrect, "partial": self.partial,
                "missed": self.missed, "spurious": self.spurious,
                "precision": self.precision, "recall": self.recall, "f1": self.f1}


@dataclass
class SpanMatch:
    """Counts per scheme, overall and per label (gold label; predicted label for spurious)."""

    overall: dict[str, Counts] = field(default_factory=lambda: {s: Counts() for s in SCHEMES})
    labels: dict[str, dict[str, Counts]] = field(
        default_factory=lambda: {label: {s: Counts() for s in SCHEMES} for label in LABELS})

    def _count(self, label: str, outcomes: Iterable[str]) -> None:
        for scheme, outcome in zip(SCHEMES, outcomes):
            for counts in (self.overall[scheme], self.labels[label][scheme]):
                setattr(counts, outcome, getattr(counts, outcome) + 1)

    def count_spurious(self, label: str) -> None:
        """A prediction with no place in the text (a string an LLM made up): spurious in every scheme."""
        self._count(label, ("spurious",) * len(SCHEMES))

    def add(self, other: SpanMatch) -> None:
        for s in SCHEMES:
            self.overall[s].add(other.overall[s])
            for label in LABELS:
                self.labels[label][s].add(other.labels[label][s])

    def as_dict(self) -> dict:
        return {"overall": {s: c.as_dict() for s, c in self.overall.items()},
                "labels": {label: {s: c.as_dict() for s, c in by.items()} for label, by in self.labels.items()}}


def _kind(g: Span, p: Span) -> str | None:
    if not g.overlaps(p):
        return None
    same_bounds = (g.start, g.end) == (p.start, p.end)
    if same_bounds:
        return "same" if g.label == p.label else "same_bounds"
    return "overlap_label" if g.label == p.label else "overlap"


_RANK = {"same": 0, "same_bounds": 1, "overlap_label": 2, "overlap": 3}


def pair_spans(gold: Iterable[Span], pred: Iterable[Span]) -> list[tuple[Span | None, Span | None, str]]:
    """``(gold, pred, kind)`` for every span of one document; kind is a pairing kind, "spurious" or "missed"."""
    gold = sorted(gold)
    used = [False] * len(gold)
    longest = max((g.end - g.start for g in gold), default=0)
    starts = [g.start for g in gold]
    pairs: list[tuple[Span | None, Span | None, str]] = []
    for p in sorted(pred):
        best = None
        for i in range(bisect_left(starts, p.start - longest), len(gold)):
            g = gold[i]
            if g.start >= p.end:
                break
            kind = None if used[i] else _kind(g, p)
            if kind is not None and (best is None or _RANK[kind] < _RANK[best[1]]):
                best = (i, kind)
        if best is None:
            pairs.append((None, p, "spurious"))
        else:
            used[best[0]] = True
            pairs.append((gold[best[0]], p, best[1]))
    pairs += [(g, None, "missed") for g, u in zip(gold, used) if not u]
    return pairs


def match_spans(gold: Iterable[Span], pred: Iterable[Span], into: SpanMatch | None = None) -> SpanMatch:
    """Pair predictions with gold spans of one document and count outcomes."""
    result = into if into is not None else SpanMatch()
    for g, p, kind in pair_spans(gold, pred):
        if kind in ("spurious", "missed"):
            result._count((p or g).label, (kind,) * len(SCHEMES))
        else:
            result._count(g.label, _OUTCOME[kind])
    return result
