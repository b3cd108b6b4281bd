"""Sentences and tokens: spaCy's blank English tokenizer plus a rule-based sentencizer.

No model is needed. Sentences also break at newlines, since headlines and list
items end without punctuation. Whitespace-only tokens are dropped; every token
keeps its character offsets into the raw text.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True, slots=True)
class Sentence:
    index: int
    start: int
    end: int
    tokens: tuple[tuple[int, int], ...]  # (start, end) character offsets of each token


@lru_cache(maxsize=1)
def _nlp():
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def sentences(text: str) -> list[Sentence]:
    """Split ``text`` into sentences of non-whitespace tokens."""
    doc = _nlp()(text)
    groups: list[list[tuple[int, int]]] = []
    current: list[tuple[int, int]] = []
    for tok in doc:
        if tok.is_sent_start and current:
            groups.append(current)
            current = []
        if tok.text.isspace():
            if "\n" in tok.text and current:
                groups.append(current)
                current = []
            continue
        current.append((tok.idx, tok.idx + len(tok.text)))
    if current:
        groups.append(current)
    return [Sentence(i, g[0][0], g[-1][1], tuple(g)) for i, g in enumerate(groups)]
