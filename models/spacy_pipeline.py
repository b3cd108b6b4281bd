"""Any installed spaCy pipeline as an extractor: its entities, relabelled by a mapping.

For a user's own pipeline (trained on our labels, or with a label map such
as ``ORG=ATTRIBUTION``). Entities whose label maps to nothing are dropped.
"""
from __future__ import annotations

from collections.abc import Mapping

from corpus.errors import TroopclaimsError
from corpus.labels import LABELS
from corpus.types import Span

from .base import finish


class SpacyPipelineExtractor:
    def __init__(self, pipeline: str, label_map: Mapping[str, str] | None = None):
        import spacy

        try:
            self.nlp = spacy.load(pipeline)
        except OSError as exc:
            raise TroopclaimsError(f"cannot load spaCy pipeline {pipeline!r}: {exc}") from None
        self.label_map = {label: label for label in LABELS} | dict(label_map or {})
        bad = {v for v in self.label_map.values() if v not in LABELS}
        if bad:
            raise TroopclaimsError(f"label map targets {sorted(bad)} are not labels; allowed: {', '.join(LABELS)}")
        self.name = f"spacy:{pipeline}"
        self.version = f"{self.nlp.meta.get('name', '?')}-{self.nlp.meta.get('version', '?')}"

    def predict(self, docs):
        out = []
        for doc, parsed in zip(docs, self.nlp.pipe(d.text for d in docs)):
            spans = [Span(e.start_char, e.end_char, self.label_map[e.label_]) for e in parsed.ents
                     if e.label_ in self.label_map]
            out.append(finish(doc, spans))
        return out
