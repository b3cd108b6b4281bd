"""Ranking systems by strict micro F1, with bootstrap intervals and a paired test against the best.

A system is measured once (``Ranking.measure``: its intervals and its micro F1 replicates, from its
per-sentence counts) and the measures are ranked together (``Ranking.rows``). Measuring is the costly
part, so stored records are measured by the worker that checks them (eval/stored.py) and only the small
measure travels; the draws are the same everywhere (a seed), so comparisons stay paired.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from corpus.labels import LABELS

from . import bootstrap
from .result import Result


@dataclass
class Row:
    name: str
    record: Result  # without its predictions and per-sentence and per-document figures: what the tables read
    micro: float
    unit: str  # what the per-label intervals and the paired test resample
    labels: dict[str, float]
    label_ci: dict[str, bootstrap.Interval]
    intervals: dict[str, bootstrap.Interval]  # micro F1's interval by resampling unit: sentences, documents
    p_vs_best: float | None = None
    validation: float | None = None  # strict micro F1 on the validation split, when it was run here

    @property
    def micro_ci(self) -> bootstrap.Interval:
        return self.intervals[self.unit]


@dataclass
class Measure:
    """One system's row (not yet ranked) and its micro F1 per replicate, for the paired test."""

    row: Row
    replicates: object  # numpy array [samples]


class Ranking:
    """Measures added one system at a time, then ranked."""

    def __init__(self, *, samples: int, seed: int, unit: str):
        self.samples, self.seed, self.unit = samples, seed, unit
        self._drawn: dict = {}  # units -> draws, made once per count of units
        self._measures: list[Measure] = []

    @property
    def settings(self) -> dict:
        """As a result record on the leaderboard states them (``settings.bootstrap``)."""
        return {"unit": self.unit, "samples": self.samples, "seed": self.seed, "level": bootstrap.LEVEL}

    def _draws(self, units: int):
        if units not in self._drawn:
            self._drawn[units] = bootstrap.draws(units, self.samples, self.seed)
        return self._drawn[units]

    def measure(self, record: Result | dict) -> Measure:
        record = Result.of(record)
        ps = record.per_sentence
        counts = {u: bootstrap.unit_counts(ps["tp_fp_fn"], ps["ids"], u) for u in bootstrap.UNITS}
        per_unit = {u: bootstrap.replicate_f1(c, self._draws(c.shape[0])) for u, c in counts.items()}
        per_label, micro = per_unit[self.unit]
        strict = record.strict
        kept = replace(record, per_sentence={}, per_document={}, predictions=None)
        row = Row(record.name, kept, strict["micro"]["f1"], self.unit,
                  {label: strict["labels"][label]["f1"] for label in LABELS},
                  {label: bootstrap.interval(per_label[:, i]) for i, label in enumerate(LABELS)},
                  {u: bootstrap.interval(per_unit[u][1]) for u in bootstrap.UNITS})
        return Measure(row, micro)

    def add(self, item: Measure | Result | dict) -> None:
        self._measures.append(item if isinstance(item, Measure) else self.measure(item))

    def rows(self) -> list[Row]:
        """Sorted by strict micro F1 (then name), each with a paired test against the best."""
        ranked = sorted(self._measures, key=lambda m: (-m.row.micro, m.row.name))
        best = ranked[0].replicates
        for m in ranked[1:]:
            m.row.p_vs_best = bootstrap.paired_p_value(m.replicates, best)
        return [m.row for m in ranked]


def rank(records: list[Result | dict], *, samples: int, seed: int, unit: str) -> list[Row]:
    """Rows sorted by strict micro F1, each with intervals and a paired test against the best."""
    ranking = Ranking(samples=samples, seed=seed, unit=unit)
    for record in records:
        ranking.add(record)
    return ranking.rows()
