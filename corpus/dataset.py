"""Documents -> the rows and features of the two dataset configs."""
from __future__ import annotations

from .iob import spans_to_tags
from .labels import LABELS, TAGS, TAG_IDS
from .tokenize import sentences
from .types import Document

SPLIT = "test"
CONFIGS = ("sentences", "documents")


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
        span = {"id": Value("string"), "start": Value("int32"), "end": Value("int32"),
                "label": ClassLabel(names=list(LABELS)), "text": Value("string")}
        claim = {"id": Value("string"), "quantity": Value("string"), "source": Value("string"),
                 "date": Value("string"), "low": Value("float64"), "high": Value("float64"),
                 "approximate": Value("bool"), "date_value": Value("string")}
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
        "spans": [{"id": s.id, "start": s.start, "end": s.end, "label": LABELS.index(s.label), "text": s.text}
                  for s in doc.spans],
        "claims": [{"id": c.id, "quantity": c.quantity, "source": c.source, "date": c.date,
                    "low": c.low, "high": c.high, "approximate": c.approximate, "date_value": c.date_value}
                   for c in doc.claims],
    }
