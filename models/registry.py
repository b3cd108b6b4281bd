"""Registered baselines by versioned name; factories are imported only when used.

Old versions stay registered so earlier results stay reproducible.
"""
from __future__ import annotations

import difflib
import importlib

from corpus.errors import TroopclaimsError

from .base import Extractor


class UnknownExtractorError(TroopclaimsError, KeyError):
    def __str__(self) -> str:  # KeyError would quote the whole message
        return self.args[0]

# name -> "module:factory"; the factory takes no arguments and returns an Extractor.
REGISTRY: dict[str, str] = {}


def register(name: str, target: str) -> None:
    if name in REGISTRY and REGISTRY[name] != target:
        raise ValueError(f"extractor {name!r} is already registered as {REGISTRY[name]}")
    REGISTRY[name] = target


def names() -> list[str]:
    return sorted(REGISTRY)


def get(name: str) -> Extractor:
    """The registered extractor ``name``; a KeyError with a suggestion otherwise."""
    if name not in REGISTRY:
        close = difflib.get_close_matches(name, REGISTRY, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else f"; registered: {', '.join(names())}"
        raise UnknownExtractorError(f"Unknown extractor {name!r}{hint}")
    module, _, attr = REGISTRY[name].partition(":")
    return getattr(importlib.import_module(module), attr)()

# Baselines (issue 5, part 1). Never remove a line: old versions stay runnable.
register("regex.v1", "models.regex_v1:RegexExtractor")
register("spacy-ner.v1", "models.spacy_ner:SpacyNerExtractor")
register("spacy-rules.v1", "models.spacy_rules:SpacyRulesExtractor")
register("libs.v1", "models.libs_v1:LibsExtractor")
