"""Documents -> the rows and features of the two dataset configs."""
from __future__ import annotations

from dataclasses import dataclass, fields

from .iob import spans_to_tags
from .labels import LABELS, TAG_IDS, TAGS, TARGET_NAMES
from .tokenize import sentences
from .types import SPAN_FIELDS, Claim, Document, Span

# Dataclass field types -> Arrow value types: the record's columns follow corpus/types.py.
_VALUE_TYPES = {"str": "string", "str | None": "string", "int": "int32", "float | None": "float64", "bool": "bool"}

# The splits, in the order the build writes them: `validation` holds the seed articles the guidelines and the
# baselines were written from; `test` the held-out articles added from 2.0.0 on. Scores are on test by default.
SPLITS = ("validation", "test")
DEFAULT_SPLIT = "test"
ALL_SPLITS = "all"  # every split as one set: the ledger and `claims` across all articles
CONFIGS = ("sentences", "documents")


@dataclass(frozen=True)
class Part:
    """One written data file: a split of a config, with what the card and croissant.json state about it.

    The card and the Croissant file take their configs, splits, counts and
    sizes from these, never from constants.
    """

    config: str
    split: str
    path: str  # relative to the dataset folder: data/<config>/<split>-00000-of-00001.parquet
    rows: list[dict]
    num_bytes: int  # the Arrow size `datasets` reports
    size: int  # bytes on disk (the card's download_size)
    sha256: str

    @property
    def file_id(self) -> str:
        return f"{self.config}-{self.split}-parquet"


def splits(parts: list[Part]) -> list[str]:
    """The split names in the order the build wrote them."""
    return list(dict.fromkeys(p.split for p in parts))

# What each config and field holds: the card and the Croissant file both read these.
CONFIG_DESCRIPTIONS = {
    "sentences": "One row per sentence, with tokens and IOB2 tags.",
    "documents": "One row per article: the raw text, its spans and its claims.",
}
FIELD_DESCRIPTIONS = {
    "sentences": {
        "id": "sentence id, `<doc_id>-<sentence_index>`",
        "doc_id": "the article's id (its seed file name without `.txt`)",
        "sentence_index": "position of the sentence in its article, from 0",
        "start": "character offset of the sentence's first token in the article text",
        "end": "character offset just past the sentence's last token (half-open)",
        "tokens": "the tokens' text",
        "token_starts": "each token's start offset in the article text",
        "token_ends": "each token's end offset in the article text (half-open)",
        "ner_tags": "IOB2 tag ids, one per token",
    },
    "documents": {
        "doc_id": "the article's id (its seed file name without `.txt`)",
        "text": "the article text, verbatim (third-party news; see the licence section)",
        "published": "publication date inferred from the content (`YYYY-MM`), null if none",
        "spans": "the gold spans",
        "spans/id": "span id within the article (`T1`, ...); ids are never renumbered, so a number may be skipped",
        "spans/start": "start character offset in `text`",
        "spans/end": "end character offset in `text` (half-open)",
        "spans/label": "label id (a ClassLabel over QUANTITY, ATTRIBUTION, DATE)",
        "spans/text": "the span's text, equal to `text[start:end]`",
        "claims": "the gold claims: one per QUANTITY span",
        "claims/id": "claim id within the article (`C1`, ...); never renumbered, so a number may be skipped",
        "claims/quantity": "id of the claim's QUANTITY span",
        "claims/source": "id of its ATTRIBUTION span, null if the text names none",
        "claims/date": "id of its DATE span, null if none",
        "claims/low": "normalized lower bound, null when open",
        "claims/high": "normalized upper bound, null when open",
        "claims/approximate": "whether the quantity is approximate (`about`, `nearly`, `some`)",
        "claims/date_value": "ISO 8601 value of the date at the precision the text allows, null if none",
        "claims/target": "what the number counts (a ClassLabel over the claim targets of the label contract)",
    },
}


def features(config: str):
    """The Hugging Face Features of a config (datasets imported only here)."""
    from datasets import ClassLabel, Features, List, Value

    if config == "sentences":
        return Features({
            "id": Value("string"),
            "doc_id": Value("string"),
            "sentence_index": Value("int32"),
            "start": Value("int32"),
            "end": Value("int32"),
            "tokens": List(Value("string")),
            "token_starts": List(Value("int32")),
            "token_ends": List(Value("int32")),
            "ner_tags": List(ClassLabel(names=list(TAGS))),
        })
    if config == "documents":
        span = {f.name: ClassLabel(names=list(LABELS)) if f.name == "label" else Value(_VALUE_TYPES[f.type])
                for f in sorted(fields(Span), key=lambda f: SPAN_FIELDS.index(f.name))}
        claim = {f.name: ClassLabel(names=list(TARGET_NAMES)) if f.name == "target" else Value(_VALUE_TYPES[f.type])
                 for f in fields(Claim)}
        return Features({
            "doc_id": Value("string"),
            "text": Value("string"),
            "published": Value("string"),
            "spans": List(span),
            "claims": List(claim),
        })
    raise KeyError(f"unknown config {config!r}; expected one of {CONFIGS}")


def sentence_rows(doc: Document) -> list[dict]:
    rows = []
    keys = [s.key for s in doc.spans]
    for sent in sentences(doc.text):
        inside = [k for k in keys if sent.start <= k[0] and k[1] <= sent.end]
        tags = spans_to_tags(inside, sent.tokens)
        rows.append({
            "id": f"{doc.id}-{sent.index:03d}",
            "doc_id": doc.id,
            "sentence_index": sent.index,
            "start": sent.start,
            "end": sent.end,
            "tokens": [doc.text[s:e] for s, e in sent.tokens],
            "token_starts": [s for s, _ in sent.tokens],
            "token_ends": [e for _, e in sent.tokens],
            "ner_tags": [TAG_IDS[t] for t in tags],
        })
    return rows


def document_row(doc: Document) -> dict:
    return {
        "doc_id": doc.id,
        "text": doc.text,
        "published": doc.published,
        "spans": [s.to_row() for s in doc.spans],
        "claims": [c.to_row() for c in doc.claims],
    }
