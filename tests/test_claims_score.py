"""Claim-level scoring on hand-built documents."""
import pytest

from corpus.types import Claim, Document, Span
from eval.claims import score_claims

TEXT = "According to intelligence calculations, Pyongyang could send 25-30 thousand soldiers in June 2025."


def _span(needle, label, id):
    s = TEXT.index(needle)
    return Span(s, s + len(needle), label, needle, id)


GOLD = Document("d", TEXT, (
    _span("intelligence calculations", "ATTRIBUTION", "T1"),
    _span("25-30 thousand", "QUANTITY", "T2"),
    _span("June 2025", "DATE", "T3"),
), (Claim("C1", "T2", "T1", "T3", 25000, 30000, False, "2025-06"),))


def _pred(quantity="25-30 thousand", source="intelligence calculations", low=25000, high=30000, date_value="2025-06-10"):
    spans = [_span(quantity, "QUANTITY", "P2"), _span("June 2025", "DATE", "P3")]
    if source:
        spans.append(_span(source, "ATTRIBUTION", "P1"))
    return Document("d", TEXT, tuple(sorted(spans)),
                    (Claim("C1", "P2", "P1" if source else None, "P3", low, high, False, date_value),))


def test_a_fully_right_claim():
    s = score_claims({"d": GOLD}, {"d": _pred()})["summary"]
    assert (s["f1"], s["full_f1"], s["source_accuracy"], s["date_value_accuracy"]) == (1.0, 1.0, 1.0, 1.0)


def test_wrong_source_and_value_count_against_links_not_matching():
    s = score_claims({"d": GOLD}, {"d": _pred(source="Pyongyang", low=30000, high=30000)})["summary"]
    assert s["f1"] == 1.0 and s["full_f1"] == 0.0
    assert s["source_accuracy"] == 0.0 and s["value_accuracy"] == 0.0 and s["date_accuracy"] == 1.0


def test_relaxed_variant_accepts_overlap():
    scores = score_claims({"d": GOLD}, {"d": _pred(quantity="30 thousand", low=30000, high=30000)})
    assert scores["summary"]["f1"] == 0.0
    assert scores["relaxed"]["f1"] == 1.0 and scores["relaxed"]["value_accuracy"] == 1.0


@pytest.mark.parametrize("pred_value, ok", [("2025-06-10", True), ("2025-06", True), ("2025", False), (None, False)])
def test_date_value_is_compared_at_the_gold_precision(pred_value, ok):
    s = score_claims({"d": GOLD}, {"d": _pred(date_value=pred_value)})["summary"]
    assert s["date_value_accuracy"] == float(ok)


def test_missing_claims_lower_recall():
    empty = Document("d", TEXT)
    s = score_claims({"d": GOLD}, {"d": empty})["summary"]
    assert (s["precision"], s["recall"], s["gold"], s["predicted"]) == (0.0, 0.0, 1, 0)
