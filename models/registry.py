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

# name -> "module:factory"; the factory returns an Extractor (options only for those that take them).
REGISTRY: dict[str, str] = {}
# Names that need a service (an LLM server) and its settings: the leaderboard runs them only when asked.
NEEDS_SERVICE: set[str] = set()


def register(name: str, target: str, *, needs_service: bool = False) -> None:
    if name in REGISTRY and REGISTRY[name] != target:
        raise ValueError(f"extractor {name!r} is already registered as {REGISTRY[name]}")
    REGISTRY[name] = target
    if needs_service:
        NEEDS_SERVICE.add(name)


def names() -> list[str]:
    return sorted(REGISTRY)


def offline_names() -> list[str]:
    """The extractors that run here with nothing but this package: what the leaderboard runs by default."""
    return [n for n in names() if n not in NEEDS_SERVICE]


def get(name: str, **options) -> Extractor:
    """The registered extractor ``name`` made with ``options``; a KeyError with a suggestion otherwise."""
    if name not in REGISTRY:
        close = difflib.get_close_matches(name, REGISTRY, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else f"; registered: {', '.join(names())}"
        raise UnknownExtractorError(f"Unknown extractor {name!r}{hint}")
    module, _, attr = REGISTRY[name].partition(":")
    options = {k: v for k, v in options.items() if v is not None}
    if options and name not in NEEDS_SERVICE:
        raise TroopclaimsError(f"{name} takes no options; given: {', '.join(sorted(options))}")
    return getattr(importlib.import_module(module), attr)(**options)

# Baselines (issue 5, part 1). Never remove a line: old versions stay runnable.
register("regex.v1", "models.regex_v1:RegexExtractor")
register("spacy-ner.v1", "models.spacy_ner:SpacyNerExtractor")
register("spacy-rules.v1", "models.spacy_rules:SpacyRulesExtractor")
register("libs.v1", "models.libs_v1:LibsExtractor")
# Text-answering extractors (issue 11): strings, aligned to offsets by corpus/align.py.
register("llm.v1", "models.llm_v1:LLMExtractor", needs_service=True)
