"""The extractor interface every system implements, baseline or not."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from corpus.types import Document


@runtime_checkable
class Extractor(Protocol):
    """Finds QUANTITY, ATTRIBUTION and DATE spans (and optionally claims) in documents.

    ``predict`` receives documents without gold (``id``, ``text`` and
    ``published`` only) and returns one Document per input, same ids, same
    order, with predicted ``spans`` and, optionally, ``claims`` whose
    references are the predicted spans' ids. ``name`` is versioned
    (``regex.v1``) so a changed system gets a new name.
    """

    name: str

    def predict(self, docs: Sequence[Document]) -> list[Document]: ...


def blank(doc: Document) -> Document:
    """What an extractor may see of a gold document: no spans, no claims."""
    return Document(doc.id, doc.text, published=doc.published)


def finish(doc: Document, spans) -> Document:
    """A prediction for ``doc``: spans sorted, overlaps dropped (first wins), ids P1.., claims linked.

    Every baseline ends here, so they all report claims the same way.
    """
    from corpus.types import Span

    from .linker import link_claims

    kept: list[Span] = []
    for s in sorted(spans, key=lambda s: (s.start, -s.end)):
        if s.end > s.start and not any(s.overlaps(k) for k in kept):
            kept.append(s)
    numbered = [Span(s.start, s.end, s.label, doc.text[s.start:s.end], f"P{i}") for i, s in enumerate(kept, 1)]
    pred = Document(doc.id, doc.text, tuple(numbered), (), doc.published)
    return Document(doc.id, doc.text, pred.spans, tuple(link_claims(pred)), doc.published)
