"""The gold files: annotation/gold/<doc_id>.jsonl, one record per line, diff-friendly.

Line 1 is the document record; then one line per span, then one per claim::

  {"kind": "document", "doc_id": "000_...", "published": "2025-06", "published_note": "..."}
  {"kind": "span", "id": "T1", "start": 93, "end": 96, "label": "ATTRIBUTION", "text": "CNN"}
  {"kind": "claim", "id": "C1", "quantity": "T4", "source": "T3", "date": null,
   "low": 25000, "high": 30000, "approximate": false, "date_value": null, "target": "personnel_planned"}

Every gold claim has a ``target``; annotation passes made before targets
existed (annotation/passes/a-d) are read with ``targets_required=False``.
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from .errors import FormatError
from .io import jsonl_records, write_output
from .labels import TARGET_NAMES, target_problem
from .paths import GOLD_DIR
from .types import CLAIM_FIELDS, SPAN_FIELDS, Claim, Document, Span

SPAN_KEYS = {"kind", *SPAN_FIELDS}
CLAIM_KEYS = {"kind", *CLAIM_FIELDS}
DOC_KEYS = {"kind", "doc_id", "published", "published_note"}


def document_records(doc: Document) -> list[dict]:
    """The JSON records of one gold file, in file order."""
    records = [{"kind": "document", "doc_id": doc.id, "published": doc.published,
                "published_note": doc.published_note}]
    records += [{"kind": "span", **s.to_json()} for s in sorted(doc.spans)]
    records += [{"kind": "claim", **c.to_json()} for c in doc.claims]
    return records


def dumps(doc: Document) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in document_records(doc))


def _check_keys(record: dict, expected: set[str], where: str, optional: set[str] = frozenset()) -> None:
    missing, extra = expected - record.keys() - optional, record.keys() - expected
    if missing or extra:
        raise FormatError(f"{where}: expected keys {sorted(expected)}; "
                          f"missing {sorted(missing)}, unexpected {sorted(extra)}")


_TYPES = {  # field -> (check, what is allowed), for the messages
    "doc_id": (lambda v: isinstance(v, str) and v != "", "a non-empty string"),
    "published": (lambda v: v is None or isinstance(v, str), "a string (ISO 8601) or null"),
    "published_note": (lambda v: isinstance(v, str), "a string"),
    "id": (lambda v: isinstance(v, str), "a string (spans T<n>, claims C<n>)"),
    "start": (lambda v: type(v) is int, "an integer character offset"),
    "end": (lambda v: type(v) is int, "an integer character offset"),
    "label": (lambda v: isinstance(v, str), "a string"),
    "text": (lambda v: isinstance(v, str), "a string"),
    "quantity": (lambda v: isinstance(v, str), "a span id (string)"),
    "source": (lambda v: v is None or isinstance(v, str), "a span id (string) or null"),
    "date": (lambda v: v is None or isinstance(v, str), "a span id (string) or null"),
    "low": (lambda v: v is None or type(v) in (int, float), "a number or null"),
    "high": (lambda v: v is None or type(v) in (int, float), "a number or null"),
    "approximate": (lambda v: type(v) is bool, "true or false"),
    "date_value": (lambda v: v is None or isinstance(v, str), "a string (ISO 8601) or null"),
    "target": (lambda v: target_problem(v, required=False) is None, f"one of {', '.join(TARGET_NAMES)}"),
}


def _check_types(record: dict, where: str) -> None:
    for key, value in record.items():
        check, allowed = _TYPES.get(key, (lambda v: True, ""))
        if not check(value):
            raise FormatError(f"{where}: {key} must be {allowed}, got {json.dumps(value)}")


def loads(content: str, text: str, source: str = "<gold>", *, targets_required: bool = True) -> Document:
    """Parse one gold file; ``text`` is the seed text the offsets point into."""
    doc_record, spans, claims = None, [], []
    for where, record in jsonl_records(content.splitlines(), source):
        kind = record.get("kind") if isinstance(record, dict) else None
        if kind == "document":
            _check_keys(record, DOC_KEYS, where)
            _check_types(record, where)
            if doc_record is not None:
                raise FormatError(f"{where}: a second document record")
            doc_record = record
        elif kind == "span":
            _check_keys(record, SPAN_KEYS, where)
            _check_types(record, where)
            spans.append(Span.from_json(record))
        elif kind == "claim":
            _check_keys(record, CLAIM_KEYS, where, set() if targets_required else {"target"})
            _check_types(record, where)
            problem = target_problem(record.get("target"), required=targets_required)
            if problem:
                raise FormatError(f"{where}: claim {record['id']}: {problem}")
            claims.append(Claim.from_json(record))
        else:
            raise FormatError(f"{where}: 'kind' must be document, span or claim, got {kind!r}")
    if doc_record is None:
        raise FormatError(f"{source}: no document record")
    return Document(doc_record["doc_id"], text, tuple(sorted(spans)), tuple(claims),
                    doc_record["published"], doc_record["published_note"])


def read_gold(texts: dict[str, str], gold_dir: Path = GOLD_DIR, *, targets_required: bool = True
              ) -> dict[str, Document]:
    """Every seed as a Document with its gold; a seed without a gold file has no spans."""
    from .io import read_text

    if not gold_dir.is_dir():
        raise FormatError(f"{gold_dir}: {'is not a folder' if gold_dir.exists() else 'no such folder'}; "
                          "expected a folder of gold files <doc_id>.jsonl")
    docs = {}
    for doc_id, text in texts.items():
        path = gold_dir / f"{doc_id}.jsonl"
        if path.exists():
            doc = loads(read_text(path, "a gold file (JSONL)"), text, str(path), targets_required=targets_required)
            if doc.id != doc_id:
                raise FormatError(f"{path}:1: doc_id {doc.id!r} does not match the file name")
            docs[doc_id] = doc
        else:
            docs[doc_id] = Document(doc_id, text)
    for path in sorted(gold_dir.glob("*.jsonl")):
        if path.stem not in texts:
            raise FormatError(f"{path}: no seed named {path.stem}.txt")
    return docs


def write_gold(docs: Iterable[Document], gold_dir: Path = GOLD_DIR) -> None:
    """Write each document's gold file atomically."""
    for doc in docs:
        write_output(gold_dir / f"{doc.id}.jsonl", dumps(doc))
