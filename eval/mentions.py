"""Mention predictions: spans and claims given by their text, checked, then aligned to offsets.

One JSON object per document::

  {"doc_id": "000_...", "mentions": [{"text": "CNN", "label": "ATTRIBUTION", "context": "CNN reported"}],
   "claims": [{"quantity": "up to 12,000", "source": "Ukraine", "date": "October 2024",
               "low": null, "high": 12000, "approximate": false, "date_value": "2024-10"}]}

Read from a file (``--format mentions``), a command's output (``--command ...
--format mentions``) or a Python callable returning ``{"mentions": [...],
"claims": [...]}``. Malformed records are an error naming where and what is
allowed; strings that are not in the text are not errors but hallucinations,
scored as false positives (corpus/align.py, eval/ALIGNMENT.md).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping

from corpus.align import Aligned, AlignmentError, align
from corpus.io import jsonl_records
from corpus.mentions import MentionDocument, parse_answer, unknown_fields
from corpus.types import Document

from .predictions import PredictionError, Predictions, check_coverage, document_id

RECORD_FIELDS = ("doc_id", "mentions", "claims")


def parse_mention_lines(lines: Iterable[str], texts: Mapping[str, str], name: str,
                        lines_of: dict[str, str] | None = None) -> dict[str, MentionDocument]:
    """Checked mention records by doc id, each once; ``lines_of`` receives each document's ``name:line``."""
    return parse_mention_records(jsonl_records(lines, name, PredictionError), texts, name, lines_of)


def parse_mention_records(records: Iterable[tuple[str, object]], texts: Mapping[str, str], name: str,
                          lines_of: dict[str, str] | None = None) -> dict[str, MentionDocument]:
    """``parse_mention_lines`` for ``(where, value)`` pairs already decoded."""
    out: dict[str, MentionDocument] = {}
    for where, record in records:
        if not isinstance(record, dict) or "doc_id" not in record:
            raise PredictionError(f"{where}: expected an object with 'doc_id' and 'mentions' and/or 'claims'")
        unknown_fields(record, RECORD_FIELDS, where)
        doc_id = document_id(record, texts, out, where)
        out[doc_id] = parse_answer({k: v for k, v in record.items() if k != "doc_id"}, doc_id, where)
        if lines_of is not None:
            lines_of[doc_id] = where
    check_coverage(out, texts, name, "mentions")
    return out


def align_all(answers: Mapping[str, MentionDocument], texts: Mapping[str, str],
              where: Mapping[str, str] | None = None) -> Predictions:
    """Offset predictions, with the strings not in the text per document, the counts and the notes."""
    docs, unaligned, notes = {}, {}, []
    normalized = duplicates = 0
    for doc_id in sorted(answers):
        answer = answers[doc_id]
        try:
            a: Aligned = align(texts[doc_id], answer)
        except AlignmentError as exc:
            raise PredictionError(f"{(where or {}).get(doc_id, doc_id)}: document {doc_id}: {exc}") from None
        docs[doc_id] = Document(doc_id, texts[doc_id], tuple(a.spans), tuple(a.claims))
        unaligned[doc_id] = a.unaligned
        normalized += a.normalized
        duplicates += a.duplicates
        notes += [f"{doc_id}: {n}" for n in (*answer.notes, *a.notes)]
    return Predictions(docs, unaligned=unaligned, normalized=normalized, duplicates=duplicates, notes=notes,
                       answers=dict(answers))


def read_mention_lines(lines: Iterable[str], texts: Mapping[str, str], name: str) -> Predictions:
    """Mention records (a file's or a command's lines), checked, then aligned; errors name ``name:line``."""
    lines_of: dict[str, str] = {}
    answers = parse_mention_lines(lines, texts, name, lines_of)
    return align_all(answers, texts, lines_of)


def aligned_lines(preds: Predictions, texts: Mapping[str, str]) -> str:
    """The offset predictions JSONL that `troopclaims align` writes: what a result record stores
    (eval/rescore.py), read back as `score --predictions` reads it before it is written, so align
    never writes a file that scoring would refuse."""
    import json

    from .predictions import parse_jsonl_lines
    from .rescore import stored_predictions

    content = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in stored_predictions(preds)["documents"])
    parse_jsonl_lines(content.splitlines(), texts, "the aligned predictions")
    return content
