"""The one module that calls seqeval: span-level P/R/F1 from IOB2 entities.

Headline: seqeval strict mode with the IOB2 scheme, pinned here (``f1_score``
with mode="strict" but no scheme silently falls back to lenient counting).
Tag input (CoNLL files) is read with ``seqeval.scheme.Entities``, the
machinery strict mode itself uses. Tags the harness makes from spans are
well-formed IOB2 by construction, so their entities are the token ranges
themselves (``range_entities``), and strict and default mode coincide on
them; tests/test_harness.py checks both facts against seqeval's own
classification_report, and eval/scripts/bench_score.py on a million tokens.
``seqeval.metrics`` is not imported here: it pulls in scikit-learn (over a
second per process). The default (conlleval) chunking of tag input is
``conlleval_entities``, a port of seqeval's ``get_entities``, checked the same way.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from corpus.prf import prf

MODE = "strict"
SCHEME = "IOB2"

Entity = tuple[int, str, int, int]  # (sentence index, label, first token, last token + 1)


def strict_entities(sequences: Sequence[Sequence[str]]) -> set[Entity]:
    """Entities as seqeval's strict IOB2 mode reads them."""
    from seqeval.scheme import IOB2, Entities

    ents = Entities([list(s) for s in sequences], IOB2, suffix=False)
    return {(e.sent_id, e.tag, e.start, e.end) for sent in ents.entities for e in sent}


def range_entities(per_sentence: Sequence[Sequence[tuple[int, int, str]]]) -> set[Entity]:
    """Entities of token ranges, sentence by sentence: what strict IOB2 reads from their tags."""
    return {(k, label, i, j) for k, ranges in enumerate(per_sentence) for i, j, label in ranges}


def conlleval_entities(sequences: Sequence[Sequence[str]]) -> set[Entity]:
    """Entities as seqeval's default mode (conlleval) reads them: ``I-X`` after ``O`` starts a chunk."""
    out = set()
    for sent_id, seq in enumerate(sequences):
        prev_tag, prev_type, begin = "O", "", 0
        for i, chunk in enumerate(list(seq) + ["O"]):
            tag, _, type_ = chunk.partition("-") if chunk != "O" else ("O", "", "")
            if _end_of_chunk(prev_tag, tag, prev_type, type_):
                out.add((sent_id, prev_type, begin, i))
            if _start_of_chunk(prev_tag, tag, prev_type, type_):
                begin = i
            prev_tag, prev_type = tag, type_
    return out


def _end_of_chunk(prev_tag, tag, prev_type, type_) -> bool:
    return (prev_tag in ("E", "S") or (prev_tag == "B" and tag in ("B", "S", "O"))
            or (prev_tag == "I" and tag in ("B", "S", "O"))
            or (prev_tag not in ("O", ".") and prev_type != type_))


def _start_of_chunk(prev_tag, tag, prev_type, type_) -> bool:
    return (tag in ("B", "S") or (prev_tag in ("E", "S", "O") and tag in ("I", "E"))
            or (tag != "O" and tag != "." and prev_type != type_))


@dataclass(frozen=True, slots=True)
class PRF:
    """Counts with seqeval's arithmetic (0 where a denominator is 0)."""

    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return prf(self.tp, self.tp + self.fp, self.tp + self.fn)[0]

    @property
    def recall(self) -> float:
        return prf(self.tp, self.tp + self.fp, self.tp + self.fn)[1]

    @property
    def f1(self) -> float:
        return prf(self.tp, self.tp + self.fp, self.tp + self.fn)[2]

    @property
    def support(self) -> int:
        return self.tp + self.fn

    def as_dict(self) -> dict:
        return {"precision": self.precision, "recall": self.recall, "f1": self.f1,
                "support": self.support, "tp": self.tp, "fp": self.fp, "fn": self.fn}


@dataclass(frozen=True)
class Scores:
    """Per-label counts and the micro and macro averages over them."""

    labels: dict[str, PRF]

    @property
    def micro(self) -> PRF:
        return PRF(sum(s.tp for s in self.labels.values()), sum(s.fp for s in self.labels.values()),
                   sum(s.fn for s in self.labels.values()))

    @property
    def macro(self) -> dict[str, float]:
        """Unweighted mean over the labels present in gold or predictions, as seqeval's report does."""
        present = [s for s in self.labels.values() if s.tp + s.fp + s.fn]
        n = len(present) or 1
        return {k: sum(getattr(s, k) for s in present) / n for k in ("precision", "recall", "f1")}

    def as_dict(self) -> dict:
        return {"labels": {k: v.as_dict() for k, v in self.labels.items()},
                "micro": self.micro.as_dict(), "macro": self.macro}


def compare(gold: set[Entity], pred: set[Entity], labels: Sequence[str]) -> Scores:
    by_label = {}
    for label in labels:
        g = {e for e in gold if e[1] == label}
        p = {e for e in pred if e[1] == label}
        tp = len(g & p)
        by_label[label] = PRF(tp, len(p) - tp, len(g) - tp)
    return Scores(by_label)


def seqeval_scores(gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]], labels: Sequence[str],
                   mode: str = MODE) -> Scores:
    """Strict IOB2 (the headline) or ``mode="default"`` (conlleval) scores of tag sequences."""
    if len(gold) != len(pred) or any(len(g) != len(p) for g, p in zip(gold, pred)):
        raise ValueError("gold and predicted tag sequences differ in length")
    read = strict_entities if mode == "strict" else conlleval_entities
    return compare(read(gold), read(pred), labels)
