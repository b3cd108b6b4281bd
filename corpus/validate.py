"""Checks of gold documents against the label contract; every finding names doc, span and problem."""
from __future__ import annotations

import re

from .labels import target_problem
from .normalize import is_iso_date
from .tokenize import Sentence, sentences
from .types import Document, span_problems

# LABELS.md (and GUIDELINES.md §1.5): a span never starts with these words nor ends with punctuation.
# "from" is left out: "from 10,000 to 12,000" is a range that may start a QUANTITY.
FORBIDDEN_FIRST = {"the", "a", "an", "this", "these", "on", "in", "since", "by", "at", "towards", "according",
                   "per", "during", "within"}
TRAILING_PUNCT = set(".,;:!?\"'“”‘’()[]-—–")


def _is_number_or_none(v) -> bool:
    return v is None or type(v) in (int, float)


def gold_span_problems(doc: Document, sents: list[Sentence] | None = None) -> list[str]:
    """Offsets, text, label, token alignment, sentence and overlap problems of ``doc.spans``."""
    from .iob import token_range

    sents = sentences(doc.text) if sents is None else sents
    problems = []
    seen_ids = set()
    for span in doc.spans:
        where = f"{doc.id} span {span.id or '?'} [{span.start}, {span.end}) {span.text!r}"
        if not isinstance(span.id, str) or not re.fullmatch(r"T[1-9][0-9]*", span.id):
            problems.append(f"{where}: span id {span.id!r} is not of the form T<n> (T1, T2, ...)")
        elif span.id in seen_ids:
            problems.append(f"{where}: duplicate span id")
        seen_ids.add(span.id)
        found = span_problems(doc.text, span.start, span.end, span.label, span.text)
        problems += [f"{where}: {p}" for p in found]
        if any(not p.startswith("unknown label") for p in found):
            continue  # offsets or text are wrong: the contract's checks below would read the wrong characters
        actual = doc.text[span.start:span.end]
        first = actual.split()[0].lower() if actual.split() else ""
        if first in FORBIDDEN_FIRST and not actual.lower().startswith("at least"):
            problems.append(f"{where}: starts with determiner or preposition {first!r}")
        if actual[-1] in TRAILING_PUNCT:
            problems.append(f"{where}: ends with punctuation {actual[-1]!r}")
        sent = next((s for s in sents if s.start <= span.start < s.end), None)
        if sent is None or span.end > sent.end:
            problems.append(f"{where}: crosses a sentence boundary")
        elif token_range(span.start, span.end, sent.tokens) is None:
            problems.append(f"{where}: does not lie on token boundaries")
    ordered = sorted(s for s in doc.spans if type(s.start) is int and type(s.end) is int)
    for a, b in zip(ordered, ordered[1:]):
        if a.overlaps(b):
            problems.append(f"{doc.id} span {b.id or '?'} [{b.start}, {b.end}) {b.text!r}: "
                            f"overlaps span {a.id or '?'} [{a.start}, {a.end}) {a.text!r}")
    return problems


def claim_problems(doc: Document) -> list[str]:
    """Claim references resolve to spans of the right label; values are well-formed."""
    by_id = doc.span_by_id()
    problems = []
    claimed: dict[str, str] = {}
    claim_ids: set[str] = set()
    for claim in doc.claims:
        where = f"{doc.id} claim {claim.id}"
        if not isinstance(claim.id, str) or not re.fullmatch(r"C[1-9][0-9]*", claim.id):
            problems.append(f"{where}: claim id {claim.id!r} is not of the form C<n> (C1, C2, ...)")
        elif claim.id in claim_ids:
            problems.append(f"{where}: duplicate claim id")
        claim_ids.add(claim.id)
        for field, label in (("quantity", "QUANTITY"), ("source", "ATTRIBUTION"), ("date", "DATE")):
            ref = getattr(claim, field)
            if ref is None:
                if field == "quantity":
                    problems.append(f"{where}: has no quantity span")
                continue
            if ref not in by_id:
                problems.append(f"{where}: {field} refers to unknown span id {ref!r}")
            elif by_id[ref].label != label:
                problems.append(f"{where}: {field} {ref} is a {by_id[ref].label} span, expected {label}")
        if claim.quantity in claimed:
            problems.append(f"{where}: quantity {claim.quantity} is already the quantity of {claimed[claim.quantity]}")
        claimed[claim.quantity] = claim.id
        if not (_is_number_or_none(claim.low) and _is_number_or_none(claim.high)):
            problems.append(f"{where}: low/high must be numbers or null")
        elif claim.low is not None and claim.high is not None and claim.low > claim.high:
            problems.append(f"{where}: low {claim.low} > high {claim.high}")
        if type(claim.approximate) is not bool:
            problems.append(f"{where}: approximate must be true or false")
        if claim.date_value is not None and not is_iso_date(claim.date_value):
            problems.append(f"{where}: date_value {claim.date_value!r} is not ISO 8601 (YYYY, YYYY-MM or YYYY-MM-DD)")
        if claim.date_value is not None and claim.date is None:
            problems.append(f"{where}: date_value without a date span")
        if target_problem(claim.target):
            problems.append(f"{where}: {target_problem(claim.target)}")
        problems += _value_problems(doc, claim, by_id, where)
    if doc.claims:
        for span in doc.spans:
            if span.label == "QUANTITY" and span.id not in claimed:
                problems.append(f"{doc.id} span {span.id} {span.text!r}: QUANTITY is in no claim")
    return problems


def _other_year(text: str, read: str, given: str | None) -> bool:
    """A date written without a year, given the year before or after the normalizer's guess: the guess comes
    from the publication date alone, and the tense can say otherwise ("On 11 January, ... reported" in late
    December is the January past, GUIDELINES.md §7)."""
    return (given is not None and not re.search(r"\d{4}", text) and len(given) == len(read)
            and given[4:] == read[4:] and given[:4].isdigit() and abs(int(given[:4]) - int(read[:4])) == 1)


def _value_problems(doc: Document, claim, by_id, where: str) -> list[str]:
    """Normalized values must agree with what the normalizers read from the span text.

    An anaphoric date ("same day") takes any well-formed value: the
    annotator resolves it. Any other DATE the normalizer reads no value from
    ("coming months", "every few months") against the publication date
    must have none.
    """
    from .normalize import is_anaphoric_date, normalize_date, normalize_quantity

    problems = []
    q = by_id.get(claim.quantity)
    if q is not None and q.label == "QUANTITY":
        read = normalize_quantity(q.text)
        if read is not None and (read.low, read.high, read.approximate) != (claim.low, claim.high, claim.approximate):
            problems.append(f"{where}: values low={claim.low}, high={claim.high}, approximate={claim.approximate} "
                            f"disagree with {q.text!r} (read as low={read.low}, high={read.high}, "
                            f"approximate={read.approximate})")
    d = by_id.get(claim.date) if claim.date else None
    if d is not None and d.label == "DATE":
        read = normalize_date(d.text, doc.published)
        if read is not None and read != claim.date_value and not _other_year(d.text, read, claim.date_value):
            problems.append(f"{where}: date_value {claim.date_value!r} disagrees with {d.text!r} "
                            f"(read as {read!r} against published {doc.published!r})")
        elif read is None and claim.date_value is not None and doc.published and not is_anaphoric_date(d.text):
            problems.append(f"{where}: date_value {claim.date_value!r} for {d.text!r}, which gives no calendar "
                            "anchor (a window, decade or frequency): leave the date value empty "
                            "(GUIDELINES.md: no anchor, no value)")
    return problems




def document_problems(doc: Document) -> list[str]:
    return gold_span_problems(doc) + claim_problems(doc)
