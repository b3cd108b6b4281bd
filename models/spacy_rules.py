"""spacy-rules.v1: dependency-parse rules for sources, pipeline entities for numbers and dates.

What it does, over one ``nlp.pipe`` pass of the trained pipeline (shared with
spacy-ner.v1, loaded once per process):

- ATTRIBUTION from DependencyMatcher patterns: the nominal subject of a
  reporting verb (lemma in ``REPORTING_LEMMAS``: "Ukrainian intelligence
  believes", "officials warn", "The agency claims"), the agent of a
  reporting or publishing verb ("reported by CNN", "released by Ukraine's
  defense intelligence agency"), the object of "according to", the object of
  "relying on", and the possessor of a claim noun ("Ukraine's estimate" ->
  ``Ukraine``); Matcher patterns for an embedded post's byline ("— Name") and
  a headline speaker ("Blinken: ..."). The span is the head noun with its
  premodifiers (compound, amod, poss, nmod and their coordinations; "of" +
  proper noun for names like "Ministry of Defense"); a PERSON head, or a
  PERSON apposition of the head, gives the name alone.
- QUANTITY: the pipeline's CARDINAL/QUANTITY/PERCENT/MONEY entities with the
  approximator right before them attached ("over" + "7,000") and adjectives
  before the number dropped.
- DATE: the pipeline's DATE entities, trimmed of leading "the"/"on"/"in"/
  "since", minus frequencies ("every few months") and bare durations ("two
  weeks", "months") unless a relative word anchors them ("next two months").

What it cannot do: it inherits the small model's parse and entity errors (a
misattached subject gives a wrong or missing source; a date split by the NER,
"fall of" + "2024", stays split); every noun subject of a reporting verb is
taken as a source, including non-sources ("calls reveal"); pronoun subjects
give nothing (no coreference); quantities the NER misses (spelled-out numbers
in odd contexts) are missed.
"""
from __future__ import annotations

from collections.abc import Sequence

from corpus.types import Document, Span, make_span

from .base import finish
from .regex_v1 import APPROX_BEFORE, CLAIM_NOUNS, PRONOUNS, TITLES, trim
from .words import REPORTING_LEMMAS
from .spacy_ner import DEFAULT_MODEL, load_pipeline, trim_quantity

QUANTITY_ENTS = frozenset({"CARDINAL", "QUANTITY", "PERCENT", "MONEY"})
PREMODIFIERS = frozenset({"compound", "amod", "poss", "nmod", "case", "cc", "conj"})
TIME_UNITS = frozenset({"day", "week", "month", "year", "hour", "decade", "minute"})
ANCHORS = frozenset({"next", "last", "coming", "past", "previous", "following", "recent", "this", "same", "earlier", "later"})
PUBLISHING_VERBS = ["release", "issue", "publish", "cite"]


def _patterns():
    verb = {"LEMMA": {"IN": sorted(REPORTING_LEMMAS)}, "TAG": {"NOT_IN": ["VBG"]}}  # not "was considering"
    noun = {"POS": {"IN": ["NOUN", "PROPN"]}}
    return {
        "subject": [
            {"RIGHT_ID": "cue", "RIGHT_ATTRS": verb},
            {"LEFT_ID": "cue", "REL_OP": ">", "RIGHT_ID": "src", "RIGHT_ATTRS": {"DEP": "nsubj", **noun}},
        ],
        "agent": [
            {"RIGHT_ID": "cue", "RIGHT_ATTRS": {"LEMMA": {"IN": sorted(REPORTING_LEMMAS) + PUBLISHING_VERBS}}},
            {"LEFT_ID": "cue", "REL_OP": ">", "RIGHT_ID": "by", "RIGHT_ATTRS": {"DEP": "agent"}},
            {"LEFT_ID": "by", "REL_OP": ">", "RIGHT_ID": "src", "RIGHT_ATTRS": {"DEP": "pobj", **noun}},
        ],
        "according": [
            {"RIGHT_ID": "cue", "RIGHT_ATTRS": {"LOWER": "according"}},
            {"LEFT_ID": "cue", "REL_OP": ">", "RIGHT_ID": "to", "RIGHT_ATTRS": {"LOWER": "to"}},
            {"LEFT_ID": "to", "REL_OP": ">", "RIGHT_ID": "src", "RIGHT_ATTRS": {"DEP": "pobj", **noun}},
        ],
        "relying": [
            {"RIGHT_ID": "cue", "RIGHT_ATTRS": {"LEMMA": "rely"}},
            {"LEFT_ID": "cue", "REL_OP": ">", "RIGHT_ID": "on", "RIGHT_ATTRS": {"LOWER": "on"}},
            {"LEFT_ID": "on", "REL_OP": ">", "RIGHT_ID": "src", "RIGHT_ATTRS": {"DEP": "pobj", **noun}},
        ],
        "owner": [
            {"RIGHT_ID": "cue", "RIGHT_ATTRS": {"LEMMA": {"IN": sorted(CLAIM_NOUNS)}}},
            {"LEFT_ID": "cue", "REL_OP": ">", "RIGHT_ID": "src", "RIGHT_ATTRS": {"DEP": "poss", **noun}},
        ],
    }


def _person(token):
    """The PERSON entity containing ``token``, or None."""
    if token.ent_type_ != "PERSON":
        return None
    doc = token.doc
    start = token.i
    while start > 0 and doc[start - 1].ent_type_ == "PERSON" and doc[start].ent_iob_ != "B":
        start -= 1
    end = token.i + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return doc[start:end]


def source_phrase(head):
    """The source span headed by ``head``: a person's name, or the head with its premodifiers."""
    if head.pos_ == "PRON" or head.lower_ in PRONOUNS:
        return None
    name = _person(head)
    if name is not None:
        return name
    for child in head.rights:
        if child.dep_ == "appos" and (name := _person(child)) is not None:
            return name  # "The senior analyst ..., Joe Byrne, notes"
    doc = head.doc
    allowed = {t.i for c in head.lefts if c.dep_ in PREMODIFIERS for t in c.subtree}
    start = head.i  # contiguous premodifiers only: never across punctuation or a line break
    while start - 1 in allowed and not doc[start - 1].is_punct and "\n" not in doc[start - 1].text_with_ws:
        start -= 1
    end = head.i + 1
    if head.pos_ == "PROPN":  # "Ministry of Defense", "Defense Intelligence of Ukraine"
        for child in head.rights:
            if child.dep_ == "prep" and child.lower_ == "of" and child.i == end:
                objs = [c for c in child.children if c.dep_ == "pobj" and c.pos_ == "PROPN"]
                if objs:
                    end = objs[0].right_edge.i + 1
    return _without_title(doc[start:end])


def _without_title(span):
    """A name without the title before it, when the NER missed the PERSON
    ("President of Ukraine Volodymyr Zelenskyy" -> ``Volodymyr Zelenskyy``)."""
    titles = [t.i for t in span if t.lower_ in TITLES]
    if not titles:
        return span
    rest = list(span.doc[titles[-1] + 1:span.end])
    if len(rest) >= 2 and rest[0].lower_ == "of" and rest[1].pos_ == "PROPN":
        rest = rest[2:]
    if rest and all(t.pos_ == "PROPN" and t.tag_ != "POS" for t in rest):
        return span.doc[rest[0].i:span.end]
    return span


class SpacyRulesExtractor:
    """Dependency rules over a trained pipeline (see the module docstring)."""

    name = "spacy-rules.v1"

    def __init__(self, model: str = DEFAULT_MODEL, batch_size: int = 8):
        from spacy.matcher import DependencyMatcher, Matcher

        self.nlp = load_pipeline(model)
        self.batch_size = batch_size
        self.dep_matcher = DependencyMatcher(self.nlp.vocab)
        for key, pattern in _patterns().items():
            self.dep_matcher.add(key, [pattern])
        self.matcher = Matcher(self.nlp.vocab)
        capitalized = {"TEXT": {"REGEX": r"^[A-Z]"}}
        self.matcher.add("byline", [[{"ORTH": {"IN": ["—", "–"]}}, {**capitalized, "OP": "+"}]], greedy="LONGEST")
        self.matcher.add("headline", [[{**capitalized, "OP": "+"}, {"ORTH": ":"}]], greedy="LONGEST")

    def predict(self, docs: Sequence[Document]) -> list[Document]:
        parsed = self.nlp.pipe((d.text for d in docs), batch_size=self.batch_size)
        return [finish(doc, self.spans(doc.text, sdoc)) for doc, sdoc in zip(docs, parsed)]

    def spans(self, text: str, sdoc) -> list[Span]:
        out: list[Span] = []

        def add(start: int, end: int, label: str) -> None:
            if end > start:
                out.append(make_span(text, start, end, label))

        for span in self._sources(text, sdoc):
            add(*trim(text, span.start_char, span.end_char), "ATTRIBUTION")
        for ent in sdoc.ents:
            if ent.label_ == "DATE" and not self._duration(ent):
                add(*trim(text, ent.start_char, ent.end_char), "DATE")
            elif ent.label_ in QUANTITY_ENTS:
                start, end = trim_quantity(text, ent.start_char, ent.end_char)
                m = APPROX_BEFORE.search(text, max(0, start - 25), start)
                add(m.start() if m else start, end, "QUANTITY")
        return out

    def _sources(self, text: str, sdoc):
        for match_id, (cue_i, *rest) in self.dep_matcher(sdoc):
            key = self.nlp.vocab.strings[match_id]
            src = sdoc[rest[-1]]
            if key == "according" and src.lemma_.lower() in CLAIM_NOUNS:
                # "according to Ukraine's assessment" -> the owner (pattern "owner");
                # "according to a statement released by X" -> X (pattern "agent")
                if any(c.dep_ == "poss" for c in src.children) or not any(
                    c.dep_ in ("compound", "amod") for c in src.lefts
                ):
                    continue
            lo, hi = sorted((src.i, cue_i))
            if "\n" in sdoc[lo:hi + 1].text:
                continue  # a headline without a full stop glued to the next line by the parser
            phrase = source_phrase(src)
            if phrase is not None:
                yield phrase
        for match_id, start, end in self.matcher(sdoc):
            key = self.nlp.vocab.strings[match_id]
            line_start = text.rfind("\n", 0, sdoc[start].idx) + 1
            prefix = text[line_start:sdoc[start].idx].strip()
            if key == "byline" and not prefix:
                yield sdoc[start + 1:end]
            elif key == "headline" and prefix in ("", "-", "•") and end < len(sdoc) and "\n" not in sdoc[end - 1:end + 1].text:
                first = start + 1 if sdoc[start].lower_ == "the" else start
                yield sdoc[first:end - 1]

    @staticmethod
    def _duration(ent) -> bool:
        """A frequency or a bare length of time, not a point in time."""
        words = [t.lower_ for t in ent]
        if words[0] in ("every", "each"):
            return True
        root = ent.root
        return root.lemma_.lower() in TIME_UNITS and root.tag_ == "NNS" and not ANCHORS & set(words)
