"""Links predicted spans into claims (placeholder: one claim per QUANTITY, no links)."""
from __future__ import annotations

from corpus.types import Claim, Document


def link_claims(doc: Document) -> list[Claim]:
    return [Claim(f"C{i}", s.id) for i, s in enumerate((s for s in doc.spans if s.label == "QUANTITY"), 1)]
