"""Seeded bootstrap confidence intervals and paired tests over per-sentence counts.

Units are sentences (the default) or documents (fewer units, and errors
cluster within an article, so their intervals are wider and more honest
about what another set of articles would give); the leaderboard shows both. A replicate draws units
with replacement and recomputes F1 from the summed tp/fp/fn, so intervals
are for corpus-level F1, not a mean of per-unit scores. NumPy is imported
inside the functions: the CLI imports this module to build its parser.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

DEFAULT_SAMPLES = 1000
UNITS = ("sentences", "documents")
DEFAULT_SEED = 20241029
LEVEL = 0.95  # of every interval


@dataclass(frozen=True)
class Interval:
    low: float
    high: float


def _f1(counts: np.ndarray) -> np.ndarray:
    """F1 from [..., 3] arrays of (tp, fp, fn)."""
    import numpy as np

    tp, fp, fn = counts[..., 0], counts[..., 1], counts[..., 2]
    denom = 2 * tp + fp + fn
    return np.divide(2 * tp, denom, out=np.zeros_like(denom, dtype=float), where=denom > 0)


def unit_counts(per_sentence: list[list[int]], ids: list[str], unit: str) -> np.ndarray:
    """[units, labels, 3] counts; documents sum their sentences."""
    import numpy as np

    arr = np.asarray(per_sentence, dtype=np.int64).reshape(len(per_sentence), -1, 3)
    if unit == "sentences":
        return arr
    if unit != "documents":
        raise ValueError(f"unit must be sentences or documents, got {unit!r}")
    docs, doc_of = np.unique([i.rsplit("-", 1)[0] for i in ids], return_inverse=True)  # sorted documents
    out = np.zeros((len(docs), arr.shape[1], 3), dtype=np.int64)
    np.add.at(out, doc_of.ravel(), arr)
    return out


def draws(n_units: int, samples: int = DEFAULT_SAMPLES, seed: int = DEFAULT_SEED) -> np.ndarray:
    """[samples, units]: how often each replicate draws each unit. The same draws serve every system, so
    comparisons are paired; as counts, a replicate's sums are one matrix product, not a gather of every
    drawn unit (the leaderboard bootstraps each system twice)."""
    import numpy as np

    idx = np.random.default_rng(seed).integers(0, n_units, size=(samples, n_units))
    flat = (idx + n_units * np.arange(samples)[:, None]).ravel()
    return np.bincount(flat, minlength=samples * n_units).reshape(samples, n_units).astype(np.float64)


def replicate_f1(counts: np.ndarray, drawn: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per replicate: per-label F1 [samples, labels] and micro F1 [samples]; ``drawn`` from ``draws``."""
    units, labels, _ = counts.shape
    sampled = (drawn @ counts.reshape(units, labels * 3)).reshape(-1, labels, 3)  # exact: small integer sums
    return _f1(sampled), _f1(sampled.sum(axis=1))


def interval(values: np.ndarray, level: float = LEVEL) -> Interval:
    import numpy as np

    lo, hi = np.quantile(values, [(1 - level) / 2, 1 - (1 - level) / 2])
    return Interval(float(lo), float(hi))


def paired_p_value(system: np.ndarray, best: np.ndarray) -> float:
    """One-sided paired bootstrap: the share of replicates where the system is at least as good as the best."""
    import numpy as np

    return float(np.mean(system >= best))
