"""The claim linker every baseline shares: source and date from the quantity's sentence."""
from corpus.types import Claim, Document, Span
from models.base import finish
from models.linker import link_claims


def make_doc(text, marks, published=None, doc_id="t"):
    """A document whose spans are the given (substring, label) marks, found left to right; ids S1.."""
    spans, cursor = [], 0
    for i, (sub, label) in enumerate(marks, 1):
        start = text.index(sub, cursor)
        spans.append(Span(start, start + len(sub), label, sub, f"S{i}"))
        cursor = start + len(sub)
    return Document(doc_id, text, tuple(spans), (), published)


def by_quantity(doc):
    spans = doc.span_by_id()
    return {spans[c.quantity].text: c for c in link_claims(doc)}


def source_text(doc, claim):
    return doc.span_by_id()[claim.source].text if claim.source else None


def test_according_to_source_and_range_values():
    doc = make_doc("According to intelligence calculations, Pyongyang could send an additional 25-30 thousand "
                   "soldiers to assist Moscow.",
                   [("intelligence calculations", "ATTRIBUTION"), ("25-30 thousand", "QUANTITY")])
    assert link_claims(doc) == [Claim("C1", "S2", "S1", None, 25000, 30000, False, None, "personnel_planned")]


def test_date_is_nearest_in_sentence_and_normalized_against_published():
    doc = make_doc("North Korea sent 11,000 troops to Russia in the fall of 2024, confirmed by Russian President "
                   "Vladimir Putin towards the end of April.",
                   [("11,000", "QUANTITY"), ("fall of 2024", "DATE"), ("Vladimir Putin", "ATTRIBUTION"),
                    ("end of April", "DATE")], published="2025-06")
    assert link_claims(doc) == [Claim("C1", "S1", "S3", "S2", 11000, 11000, False, "2024", "personnel_deployed")]


def test_owner_of_the_estimate_beats_the_speaker_and_the_speaker_gets_her_own_figure():
    doc = make_doc("Jenny Town, director of the Korea program at the “Stimson” center, considers Ukraine's estimate "
                   "of 30,000 people as very high and assesses a figure of 10-20 thousand as more “realistic.”",
                   [("Jenny Town", "ATTRIBUTION"), ("Ukraine", "ATTRIBUTION"), ("30,000", "QUANTITY"),
                    ("10-20 thousand", "QUANTITY")])
    claims = by_quantity(doc)
    assert source_text(doc, claims["30,000"]) == "Ukraine"
    assert source_text(doc, claims["10-20 thousand"]) == "Jenny Town"


def test_cued_sources_beat_a_nearer_uncued_mention():
    # an extractor wrongly marked "Moscow": nearer, but no cue, so the revealing chief is the source
    doc = make_doc("Ukraine’s top military chief Oleksandr Syrskyi revealed last week that Moscow was amassing "
                   "about 50,000 troops.",
                   [("Oleksandr Syrskyi", "ATTRIBUTION"), ("last week", "DATE"), ("Moscow", "ATTRIBUTION"),
                    ("about 50,000", "QUANTITY")], published="2025-06")
    assert link_claims(doc) == [Claim("C1", "S4", "S1", "S2", 50000, 50000, True, "2025-06", "personnel_deployed")]
    doc = make_doc("Western officials have stated that, by Kyiv's count, approximately 4,000 soldiers were killed.",
                   [("Western officials", "ATTRIBUTION"), ("Kyiv", "ATTRIBUTION"),
                    ("approximately 4,000", "QUANTITY")])
    assert source_text(doc, by_quantity(doc)["approximately 4,000"]) == "Kyiv"  # both cued: the nearer
    doc = make_doc("On October 31, reports stated that North Korea had dispatched three of its generals. On the same "
                   "day, U.S. Secretary of State Antony Blinken said that, according to recent reports, up to 8,000 "
                   "DPRK troops had been deployed.",
                   [("October 31", "DATE"), ("reports", "ATTRIBUTION"), ("three", "QUANTITY"), ("same day", "DATE"),
                    ("Antony Blinken", "ATTRIBUTION"), ("recent reports", "ATTRIBUTION"), ("up to 8,000", "QUANTITY")],
                   published="2024-11")
    claims = by_quantity(doc)
    assert claims["three"] == Claim("C1", "S3", "S2", "S1", 3, 3, False, "2024-10-31", "personnel_deployed")
    # both Blinken (said) and recent reports (according to) are cued; the nearer cued one is the source
    assert claims["up to 8,000"] == Claim("C2", "S7", "S6", "S4", None, 8000, False, "2024-10-31", "personnel_deployed")


def test_subject_of_reporting_verb_after_apposition_and_parenthesis():
    doc = make_doc("Seoul’s National Intelligence Service (NIS) said Moscow set to use thousands of fighters, "
                   "a move Ukraine opposes.",
                   [("Seoul’s National Intelligence Service", "ATTRIBUTION"), ("thousands", "QUANTITY"),
                    ("Ukraine", "ATTRIBUTION")])
    claim = by_quantity(doc)["thousands"]
    assert source_text(doc, claim) == "Seoul’s National Intelligence Service"
    assert (claim.low, claim.high, claim.approximate) == (2000, None, True)


def test_nothing_crosses_a_sentence_boundary():
    doc = make_doc("CNN reported it on May 18. Pyongyang sent 11,000 soldiers.\nOleksandr Syrskyi said so last week.",
                   [("CNN", "ATTRIBUTION"), ("May 18", "DATE"), ("11,000", "QUANTITY"),
                    ("Oleksandr Syrskyi", "ATTRIBUTION"), ("last week", "DATE")], published="2025-06")
    assert link_claims(doc) == [Claim("C1", "S3", None, None, 11000, 11000, False, None, "personnel_deployed")]


def test_unreadable_quantity_and_missing_anchor_give_empty_values():
    doc = make_doc("Officials said a G20 force would arrive on 3 October.",
                   [("Officials", "ATTRIBUTION"), ("G20", "QUANTITY"), ("3 October", "DATE")])
    assert link_claims(doc) == [Claim("C1", "S2", "S1", "S3", None, None, False, None, "other")]


def test_claims_follow_text_order_and_documents_without_quantities_have_none():
    doc = make_doc("Up to 12,000 troops, including 500 officers and three generals.",
                   [("Up to 12,000", "QUANTITY"), ("500", "QUANTITY"), ("three", "QUANTITY")])
    assert [(c.id, c.quantity, c.low, c.high) for c in link_claims(doc)] == [
        ("C1", "S1", None, 12000), ("C2", "S2", 500, 500), ("C3", "S3", 3, 3)]
    assert link_claims(make_doc("CNN reported it.", [("CNN", "ATTRIBUTION")])) == []


def test_finish_links_predicted_spans_by_their_p_ids(texts):
    text = texts["004_cfacce3046a14ca6"]
    start = text.index("On November 1, President Zelensky")
    marks = [("November 1", "DATE"), ("Zelensky", "ATTRIBUTION"), ("thousand", "QUANTITY"),
             ("Ukraine's intelligence", "ATTRIBUTION"), ("last week of October", "DATE"), ("over 7,000", "QUANTITY")]
    spans, cursor = [], start
    for sub, label in marks:
        s = text.index(sub, cursor)
        spans.append(Span(s, s + len(sub), label))
        cursor = s + len(sub)
    pred = finish(Document("004_cfacce3046a14ca6", text, published="2024-11"), spans)
    assert pred.claims == (Claim("C1", "P3", "P2", "P1", 1000, 1000, False, "2024-11-01", "personnel_deployed"),
                           Claim("C2", "P6", "P4", "P5", 7000, None, False, "2024-10", "personnel_deployed"))
