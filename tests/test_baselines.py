"""The registered baselines: golden registry, real runs on the seeds, behaviour on hand-made sentences."""
import re
import subprocess
import sys

import pytest

from corpus.labels import LABELS
from corpus.types import Document
from models import registry
from models.base import Extractor

BASELINES = ["libs.v1", "regex.v1", "spacy-ner.v1", "spacy-rules.v1"]
# What LABELS.md says no span may start with (approximators such as "at least" aside).
LEADING_WORDS = re.compile(r"(?i)(?:the|a|an|this|these|on|in|since|by|at(?!\s+(?:least|most)\b)|towards|according)\s")


@pytest.fixture(scope="module")
def extractors():
    """Each baseline built once for the module; the spaCy pipeline is loaded once and shared."""
    return {name: registry.get(name) for name in BASELINES}


@pytest.fixture(scope="module")
def seed_predictions(extractors, texts):
    docs = [Document(doc_id, text) for doc_id, text in texts.items()]
    return docs, {name: ex.predict(docs) for name, ex in extractors.items()}


def spans_of(extractors, name, text, label=None):
    (pred,) = extractors[name].predict([Document("t", text)])
    return [s.text for s in pred.spans if label is None or s.label == label]


def test_registry_lists_exactly_the_baselines():
    assert registry.offline_names() == BASELINES
    assert registry.names() == sorted(BASELINES + ["llm.v1"])  # needs a server: run only when asked


def test_baseline_modules_import_no_heavy_libraries():
    code = (
        "import sys, models.regex_v1, models.spacy_ner, models.spacy_rules, models.libs_v1; "
        "print(sorted(m for m in ('spacy', 'quantulum3', 'dateparser', 'sklearn') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("name", BASELINES)
def test_baseline_runs_on_every_seed(name, extractors, seed_predictions):
    docs, predictions = seed_predictions
    assert isinstance(extractors[name], Extractor) and extractors[name].name == name
    preds = predictions[name]
    assert [p.id for p in preds] == [d.id for d in docs]
    for doc, pred in zip(docs, preds):
        assert pred.text == doc.text
        assert {s.label for s in pred.spans} == set(LABELS), f"{name} finds no {set(LABELS) - {s.label for s in pred.spans}} in {doc.id}"
        for s in pred.spans:
            assert s.text == doc.text[s.start:s.end] and s.start < s.end
            assert s.label in LABELS
            assert s.text == s.text.strip()
            assert not LEADING_WORDS.match(s.text), f"{name}: {s} starts with a determiner or preposition"
            assert not re.search(r"[,;:!?)(“”\"]$", s.text), f"{name}: {s} ends with punctuation"
        for a, b in zip(pred.spans, pred.spans[1:]):
            assert a.end <= b.start, f"{name}: {a} overlaps {b}"
        ids = {s.id for s in pred.spans if s.label == "QUANTITY"}
        assert {c.quantity for c in pred.claims} == ids


# --- regex.v1 -----------------------------------------------------------------


def test_regex_keeps_the_approximator_with_the_number(extractors):
    text = "North Korea could send up to 100,000 troops, about 600 were killed and over 1.5 million shells sent."
    assert spans_of(extractors, "regex.v1", text, "QUANTITY") == ["up to 100,000", "about 600", "over 1.5 million"]


def test_regex_year_in_a_date_is_not_a_quantity(extractors):
    text = "North Korea sent 11,000 troops to Russia in the fall of 2024."
    assert spans_of(extractors, "regex.v1", text, "QUANTITY") == ["11,000"]
    assert spans_of(extractors, "regex.v1", text, "DATE") == ["fall of 2024"]


def test_regex_ranges_magnitudes_and_units(extractors):
    text = "Pyongyang could send 25-30 thousand soldiers; several thousand, thousands more, 5% and 70 km."
    assert spans_of(extractors, "regex.v1", text, "QUANTITY") == [
        "25-30 thousand", "several thousand", "thousands", "5%", "70 km"
    ]


def test_regex_skips_identifiers_ordinals_and_durations(extractors):
    text = "At the G20 summit, IL-76 planes and @user42 saw the first unit leave after two weeks."
    assert spans_of(extractors, "regex.v1", text, "QUANTITY") == []


def test_regex_relative_dates(extractors):
    text = "Troops could arrive in the coming months, by year's end, or earlier this year; last week he spoke."
    assert spans_of(extractors, "regex.v1", text, "DATE") == ["coming months", "year's end", "earlier this year", "last week"]


def test_regex_sources(extractors):
    text = (
        "According to Ukrainian intelligence, Pyongyang could send more. NATO Secretary General Mark Rutte said "
        "it was serious. This was reported by CNN. Jenny Town, director of a program, considers Ukraine's "
        "estimate too high."
    )
    assert spans_of(extractors, "regex.v1", text, "ATTRIBUTION") == [
        "Ukrainian intelligence", "Mark Rutte", "CNN", "Jenny Town", "Ukraine"
    ]


# --- spacy-ner.v1 -------------------------------------------------------------


def test_spacy_ner_person_agent_is_a_source_without_title(extractors):
    text = "North Korea sent 11,000 troops to Russia, confirmed by Russian President Vladimir Putin towards the end of April."
    assert spans_of(extractors, "spacy-ner.v1", text, "ATTRIBUTION") == ["Vladimir Putin"]
    assert "11,000" in spans_of(extractors, "spacy-ner.v1", text, "QUANTITY")


def test_spacy_ner_entities_merely_mentioned_are_not_sources(extractors):
    text = "Russia and North Korea signed a pact in Pyongyang."
    assert spans_of(extractors, "spacy-ner.v1", text, "ATTRIBUTION") == []


def test_spacy_ner_label_map_is_configurable(extractors):
    from models.spacy_ner import SpacyNerExtractor

    dates_only = SpacyNerExtractor(label_map={"DATE": "DATE"})
    (pred,) = dates_only.predict([Document("t", "On October 28, Mark Rutte said 10,000 troops were there.")])
    assert [(s.label, s.text) for s in pred.spans] == [("DATE", "October 28")]


# --- spacy-rules.v1 -----------------------------------------------------------


def test_spacy_rules_subject_noun_phrase_of_reporting_verb(extractors):
    text = "Ukrainian intelligence believes Russia is capable of supplying North Korean troops."
    assert spans_of(extractors, "spacy-rules.v1", text, "ATTRIBUTION") == ["Ukrainian intelligence"]


def test_spacy_rules_according_to_and_possessor(extractors):
    text = "According to German officials, Scholz will press Xi. South Korea's warning came last week."
    assert spans_of(extractors, "spacy-rules.v1", text, "ATTRIBUTION") == ["German officials", "South Korea"]


def test_spacy_rules_attaches_approximator_and_trims_dates(extractors):
    text = "In the last week of October, Russia had relocated over 7,000 North Korean soldiers."
    assert spans_of(extractors, "spacy-rules.v1", text, "QUANTITY") == ["over 7,000"]
    assert spans_of(extractors, "spacy-rules.v1", text, "DATE") == ["last week of October"]


# --- libs.v1 ------------------------------------------------------------------


def test_libs_finds_count_and_date(extractors):
    text = "North Korea sent 11,000 troops in November 2024."
    assert spans_of(extractors, "libs.v1", text, "QUANTITY") == ["11,000"]
    assert spans_of(extractors, "libs.v1", text, "DATE") == ["November 2024"]


def test_libs_survives_ambiguous_units_and_restores_quantulum(extractors):
    from quantulum3 import classifier

    before = classifier.USE_CLF
    # An ambiguous unit makes quantulum3 unpickle its stale classifier unless it is switched off.
    assert spans_of(extractors, "libs.v1", "The shells weigh 5 pounds, about 20 C warmer.", "QUANTITY")[0] == "5 pounds"
    assert classifier.USE_CLF == before


def test_libs_drops_spurious_dates(extractors):
    text = "Troops may now arrive; 25-30 thousand soldiers could come within two months."
    assert spans_of(extractors, "libs.v1", text, "DATE") == []
