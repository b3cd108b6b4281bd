"""The span, claim and document types every part of troopclaims uses.

Offsets are half-open character offsets ``[start, end)`` into the raw,
unmodified article text: ``text[start:end] == span.text``.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from .labels import LABELS


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


@dataclass(frozen=True, slots=True)
class Claim:
    """A QUANTITY with its optional source and date, and normalized values.

    ``quantity``, ``source`` and ``date`` are span ids. ``low``/``high`` are
    the normalized bounds (None: unbounded on that side); ``date_value`` is an
    ISO 8601 date at the precision the text allows (``2024``, ``2024-10``,
    ``2024-10-31``) or None when the text gives no anchor.
    """

    id: str
    quantity: str
    source: str | None = None
    date: str | None = None
    low: float | None = None
    high: float | None = None
    approximate: bool = False
    date_value: str | None = None


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


__all__ = ["LABELS", "Span", "Claim", "Document", "make_span"]
