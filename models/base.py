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
