"""The span, claim and document types every part of troopclaims uses.

Offsets are half-open character offsets ``[start, end)`` into the raw,
unmodified article text: ``text[start:end] == span.text``.
"""
from __future__ import annotations

from dataclasses import dataclass, fields, replace

from .labels import LABELS, TARGET_NAMES


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """A labelled character range ``[start, end)`` of a document's text.

    ``id`` is the gold's stable id (empty for predictions); ``text`` is the
    covered text, kept so files can be read and checked by eye.
    """

    start: int
    end: int
    label: str
    text: str = ""
    id: str = ""

    @property
    def key(self) -> tuple[int, int, str]:
        """What scoring compares: boundaries and label, not ids."""
        return (self.start, self.end, self.label)

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end

    def to_json(self) -> dict:
        """The JSON form (gold files, predictions): every field, ``id`` first."""
        return {f: getattr(self, f) for f in SPAN_FIELDS}

    @classmethod
    def from_json(cls, record: dict) -> Span:
        return cls(**{f: record[f] for f in SPAN_FIELDS if f in record})

    def to_row(self) -> dict:
        """The dataset row: the label as its ClassLabel id."""
        return {**self.to_json(), "label": LABELS.index(self.label)}

    @classmethod
    def from_row(cls, row: dict) -> Span:
        return cls.from_json({**row, "label": LABELS[row["label"]]})


@dataclass(frozen=True, slots=True)
class Claim:
    """A QUANTITY with its optional source and date, and normalized values.

    ``quantity``, ``source`` and ``date`` are span ids. ``low``/``high`` are
    the normalized bounds (None: unbounded on that side); ``date_value`` is an
    ISO 8601 date at the precision the text allows (``2024``, ``2024-10``,
    ``2024-10-31``) or None when the text gives no anchor. ``target`` is what
    the number counts (``corpus.labels.TARGETS``); every gold claim has one,
    a prediction may leave it None (then it is never right).
    """

    id: str
    quantity: str
    source: str | None = None
    date: str | None = None
    low: float | None = None
    high: float | None = None
    approximate: bool = False
    date_value: str | None = None
    target: str | None = None

    def to_json(self) -> dict:
        """The JSON form: every field in order; whole-number bounds as integers (25000, not 25000.0)."""
        return {f: _number(getattr(self, f)) for f in CLAIM_FIELDS}

    @classmethod
    def from_json(cls, record: dict) -> Claim:
        return cls(**{f: record[f] for f in CLAIM_FIELDS if f in record})

    def to_row(self) -> dict:
        """The dataset row: the target as its ClassLabel id."""
        return {**{f: getattr(self, f) for f in CLAIM_FIELDS}, "target": TARGET_NAMES.index(self.target)}

    @classmethod
    def from_row(cls, row: dict) -> Claim:
        """Parquet stores bounds as floats: whole numbers come back as integers."""
        return cls.from_json({**{f: _number(row[f]) for f in CLAIM_FIELDS}, "target": TARGET_NAMES[row["target"]]})

    def values(self) -> dict:
        """What a claim says beyond its links: the normalized bounds and date."""
        return {f: getattr(self, f) for f in CLAIM_VALUES}


@dataclass(frozen=True, slots=True)
class Document:
    """A seed article with its spans and claims.

    ``published`` is the inferred publication date (ISO 8601, as precise as
    the content allows) that relative dates resolve against;
    ``published_note`` says how it was inferred.
    """

    id: str
    text: str
    spans: tuple[Span, ...] = ()
    claims: tuple[Claim, ...] = ()
    published: str | None = None
    published_note: str = ""

    def with_spans(self, spans, claims=()) -> Document:
        return replace(self, spans=tuple(sorted(spans)), claims=tuple(claims))

    def span_by_id(self) -> dict[str, Span]:
        return {s.id: s for s in self.spans}


def make_span(text: str, start: int, end: int, label: str, id: str = "") -> Span:
    """A span whose ``text`` is cut from the document text."""
    return Span(start, end, label, text[start:end], id)


def span_problems(text: str, start, end, label, given_text=None) -> list[str]:
    """What is wrong with a span ``[start, end)`` labelled ``label`` in ``text``; empty when nothing is.

    The one check of a span against its text: gold validation, predictions and
    Label Studio regions all call it, so one bad span gets one message.
    ``given_text``: the text the record claims to cover, if it carries one.
    """
    if not (type(start) is int and type(end) is int):
        return [f"start and end must be integers, got start={start!r}, end={end!r}"]
    if end <= start:
        return [f"end <= start ([{start}, {end}))"]
    if start < 0 or end > len(text):
        return [f"offsets [{start}, {end}) out of range for a text of {len(text)} characters"]
    problems = []
    if label not in LABELS:
        problems.append(f"unknown label {label!r}; allowed: {', '.join(LABELS)}")
    covered = text[start:end]
    if given_text is not None and given_text != covered:
        problems.append(f"text {given_text!r} differs from the document text {covered!r} at [{start}, {end})")
    elif not covered.strip():
        problems.append(f"[{start}, {end}) {covered!r} covers only whitespace; a span must cover at least one "
                        "non-space character")
    return problems


def _number(value):
    """Whole floats as integers: the files and the tables show 25000, not 25000.0."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


# Field names in file order, derived from the dataclasses: adding a field is one edit above.
SPAN_FIELDS = ("id", *(f.name for f in fields(Span) if f.name != "id"))
CLAIM_FIELDS = tuple(f.name for f in fields(Claim))
CLAIM_LINKS = {"quantity": "QUANTITY", "source": "ATTRIBUTION", "date": "DATE"}  # claim field -> span label
CLAIM_VALUES = tuple(f for f in CLAIM_FIELDS if f != "id" and f not in CLAIM_LINKS)

__all__ = ["LABELS", "Span", "Claim", "Document", "make_span", "span_problems", "SPAN_FIELDS", "CLAIM_FIELDS",
           "CLAIM_LINKS", "CLAIM_VALUES"]
