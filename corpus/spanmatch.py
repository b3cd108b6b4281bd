"""Span matching in the SemEval-2013 sense (as nervaluate counts it), so boundary errors show apart from misses.

Each predicted span is paired with at most one gold span, the best available
of: same boundaries and label, same boundaries, overlap with the same label,
any overlap. Then per scheme:

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
"""
from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field

from corpus.labels import LABELS
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

    @property
    def precision(self) -> float:
        actual = self.correct + self.incorrect + self.partial + self.spurious
        return (self.correct + 0.5 * self.partial) / actual if actual else 0.0

    @property
    def recall(self) -> float:
        possible = self.correct + self.incorrect + self.partial + self.missed
        return (self.correct + 0.5 * self.partial) / possible if possible else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

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
