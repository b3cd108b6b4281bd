"""Precision, recall and F1: the one arithmetic every score uses (spans, seqeval, claims, documents)."""
from __future__ import annotations


def prf(hits: float, predicted: float, gold: float) -> tuple[float, float, float]:
    """``(precision, recall, f1)`` with seqeval's conventions: 0 where a denominator is 0.

    ``hits`` may be fractional (SemEval's partial matches count one half).
    """
    precision = hits / predicted if predicted else 0.0
    recall = hits / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1
