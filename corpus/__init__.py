"""troopclaims corpus: seeds, the span and document types, tokens, and the dataset build."""
from .labels import LABELS, TAGS
from .types import Claim, Document, Span

__all__ = ["LABELS", "TAGS", "Claim", "Document", "Span"]
