"""corpus.spanmatch against nervaluate, the reference for the four SemEval-2013 schemes.

Inputs are generated inside the domain where both must agree (see the
spanmatch docstring): spans laid out left to right, each a lone gold span, a
lone prediction, or one gold span and one prediction that overlap, so no
span overlaps two others. Per-label counts agree only when overlapping spans
share their label (nervaluate scores each label on its own spans); the
differences outside this domain are pinned by the last two tests.
"""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nervaluate import Evaluator

from corpus.labels import LABELS
from corpus.spanmatch import SCHEMES, match_spans
from corpus.types import Span

KEYS = ("correct", "incorrect", "partial", "missed", "spurious")


@st.composite
def _document(draw, same_label_pairs: bool):
    gold, pred, pos = [], [], 0
    for _ in range(draw(st.integers(0, 8))):
        pos += draw(st.integers(1, 5))  # a gap: nothing overlaps across items
        kind = draw(st.sampled_from(("gold", "pred", "pair")))
        label = draw(st.sampled_from(LABELS))
        length = draw(st.integers(1, 30))  # under 100 chars: nervaluate's 1% overlap floor never bites
        if kind == "pair":
            other = draw(st.integers(1, 30))
            g_start = pos + other - 1  # room for a prediction starting up to other-1 characters earlier
            p_start = g_start + draw(st.integers(-(other - 1), length - 1))  # so the two overlap
            p_label = label if same_label_pairs else draw(st.sampled_from(LABELS))
            gold.append(Span(g_start, g_start + length, label))
            pred.append(Span(p_start, p_start + other, p_label))
            pos = max(g_start + length, p_start + other)
        else:
            (gold if kind == "gold" else pred).append(Span(pos, pos + length, label))
            pos += length
    return gold, pred


def _ours(docs):
    result = None
    for gold, pred in docs:
        result = match_spans(gold, pred, into=result)
    return result.as_dict()


def _theirs(docs):
    as_dicts = lambda spans: [{"label": s.label, "start": s.start, "end": s.end - 1} for s in sorted(spans)]  # noqa: E731
    return Evaluator([as_dicts(g) for g, _ in docs], [as_dicts(p) for _, p in docs], tags=list(LABELS),
                     loader="dict").evaluate()


def _same(ours: dict, theirs) -> None:
    assert {k: ours[k] for k in KEYS} == {k: getattr(theirs, k) for k in KEYS}
    for k in ("precision", "recall", "f1"):
        assert ours[k] == pytest.approx(getattr(theirs, k))


def _no_overlaps(docs):
    for gold, pred in docs:
        for spans in (gold, pred):
            assert all(a.end <= b.start for a, b in zip(sorted(spans), sorted(spans)[1:]))
        for g in gold:
            assert sum(g.overlaps(p) for p in pred) <= 1
        for p in pred:
            assert sum(p.overlaps(g) for g in gold) <= 1


@settings(max_examples=300, deadline=None)
@given(st.lists(_document(same_label_pairs=False), min_size=1, max_size=3))
def test_overall_counts_equal_nervaluates(docs):
    _no_overlaps(docs)
    ours, theirs = _ours(docs), _theirs(docs)
    for scheme in SCHEMES:
        _same(ours["overall"][scheme], theirs["overall"][scheme])


@settings(max_examples=300, deadline=None)
@given(st.lists(_document(same_label_pairs=True), min_size=1, max_size=3))
def test_per_label_counts_equal_nervaluates_when_overlaps_share_the_label(docs):
    _no_overlaps(docs)
    ours, theirs = _ours(docs), _theirs(docs)
    for label in LABELS:
        for scheme in SCHEMES:
            if label in theirs["entities"]:
                _same(ours["labels"][label][scheme], theirs["entities"][label][scheme])
            else:  # nervaluate lists only labels that occur
                assert ours["labels"][label][scheme]["correct"] == ours["labels"][label][scheme]["missed"] == 0


def _span(start, end, label):
    return Span(start, end, label)


def test_documented_difference_one_prediction_over_two_gold_spans():
    gold = [_span(0, 10, "QUANTITY"), _span(12, 20, "ATTRIBUTION")]
    pred = [_span(5, 15, "ATTRIBUTION"), _span(16, 20, "ATTRIBUTION")]
    ours, theirs = _ours([(gold, pred)]), _theirs([(gold, pred)])
    strict = ours["overall"]["strict"]
    assert (strict["incorrect"], strict["missed"], strict["spurious"]) == (1, 1, 1)
    assert (theirs["overall"]["strict"].incorrect, theirs["overall"]["strict"].spurious) == (2, 0)


def test_documented_difference_label_confusion_per_label():
    docs = [([_span(0, 10, "QUANTITY")], [_span(0, 10, "DATE")])]
    ours, theirs = _ours(docs), _theirs(docs)
    assert ours["labels"]["QUANTITY"]["exact"]["correct"] == 1 and ours["labels"]["DATE"]["exact"]["spurious"] == 0
    assert theirs["entities"]["QUANTITY"]["exact"].missed == 1 and theirs["entities"]["DATE"]["exact"].spurious == 1
    assert ours["overall"]["exact"]["correct"] == theirs["overall"]["exact"].correct == 1
