"""Answers given as strings (what LLMs give): the types and their one check.

A document's answer is ``{"mentions": [{"text", "label", "context"?,
"occurrence"?}], "claims": [{"quantity": TEXT, "source": TEXT|null, "date":
TEXT|null, "low"?, "high"?, "approximate"?, "date_value"?, "target"?}]}``. Checking
here, aligning in corpus/align.py, reading files in eval/mentions.py.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields

from .errors import PredictionError
from .labels import LABELS, target_problem
from .normalize import parse_iso


@dataclass(frozen=True, slots=True)
class Mention:
    """A span given by its text. ``context``: a few words around it; ``occurrence``: 1-based, in text order."""

    text: str
    label: str
    context: str | None = None
    occurrence: int | None = None


@dataclass(frozen=True, slots=True)
class TextClaim:
    """A claim given by strings: ``quantity`` is required; values as in ``corpus.types.Claim``."""

    quantity: str
    source: str | None = None
    date: str | None = None
    low: float | None = None
    high: float | None = None
    approximate: bool = False
    date_value: str | None = None
    target: str | None = None


@dataclass(frozen=True, slots=True)
class MentionDocument:
    """One document's answer in strings; ``notes`` say why it may be empty (an unusable LLM reply)."""

    doc_id: str
    mentions: tuple[Mention, ...] = ()
    claims: tuple[TextClaim, ...] = ()
    notes: tuple[str, ...] = ()


MENTION_FIELDS = tuple(f.name for f in fields(Mention))
CLAIM_FIELDS = tuple(f.name for f in fields(TextClaim))


def _is_number(v) -> bool:
    return type(v) in (int, float) and v == v and v not in (float("inf"), float("-inf"))  # finite


def _string(item: Mapping, key: str, at: str, *, required: bool) -> str | None:
    v = item.get(key)
    if not required and (v is None or (isinstance(v, str) and not v.strip())):
        return None  # an empty optional string (models emit "" for "none") means null
    if not isinstance(v, str) or not v.strip():
        raise PredictionError(f"{at}: '{key}' must be a non-empty string{'' if required else ' or null'}, got {v!r}")
    return v


def unknown_fields(item: Mapping, allowed: tuple[str, ...], at: str) -> None:
    unknown = sorted(set(item) - set(allowed))
    if unknown:
        raise PredictionError(f"{at}: unknown field(s) {unknown}; allowed: {', '.join(allowed)}")


def parse_mention(item, at: str) -> Mention:
    if not isinstance(item, Mapping):
        raise PredictionError(f"{at}: expected an object with 'text' and 'label', got {item!r:.60}")
    unknown_fields(item, MENTION_FIELDS, at)
    text = _string(item, "text", at, required=True)
    label = item.get("label")
    if label not in LABELS:
        raise PredictionError(f"{at}: 'label' must be one of {', '.join(LABELS)}, got {label!r}")
    context = _string(item, "context", at, required=False)
    occurrence = item.get("occurrence")
    if occurrence is not None and (type(occurrence) is not int or occurrence < 1):
        raise PredictionError(f"{at}: 'occurrence' must be an integer >= 1 (1 is the first), got {occurrence!r}")
    return Mention(text, label, context, occurrence)


def parse_text_claim(item, at: str) -> TextClaim:
    if not isinstance(item, Mapping):
        raise PredictionError(f"{at}: expected an object with at least 'quantity' (a string), got {item!r:.60}")
    unknown_fields(item, CLAIM_FIELDS, at)
    if "quantity" not in item:
        raise PredictionError(f"{at}: a claim needs 'quantity' (the quantity's text)")
    quantity = _string(item, "quantity", at, required=True)
    source, date = _string(item, "source", at, required=False), _string(item, "date", at, required=False)
    for key in ("low", "high"):
        if item.get(key) is not None and not _is_number(item[key]):
            raise PredictionError(f"{at}: '{key}' must be a number or null, got {item[key]!r}")
    if item.get("low") is not None and item.get("high") is not None and item["low"] > item["high"]:
        raise PredictionError(f"{at}: 'low' {item['low']!r} is above 'high' {item['high']!r}; allowed: low <= high "
                              "(as in the gold, annotation/LABELS.md)")
    approximate = item.get("approximate", False)
    if not isinstance(approximate, bool):
        raise PredictionError(f"{at}: 'approximate' must be true or false, got {approximate!r}")
    date_value = item.get("date_value")
    if isinstance(date_value, str) and not date_value.strip():
        date_value = None
    if date_value is not None:
        try:
            parse_iso(date_value)
        except ValueError as exc:
            raise PredictionError(f"{at}: 'date_value' {exc}") from None
    target = item.get("target")
    if isinstance(target, str) and not target.strip():
        target = None
    problem = target_problem(target, required=False)
    if problem:
        raise PredictionError(f"{at}: {problem}")
    return TextClaim(quantity, source, date, item.get("low"), item.get("high"), approximate, date_value, target)


def parse_answer(answer, doc_id: str, at: str) -> MentionDocument:
    """``{"mentions": [...], "claims": [...]}`` (either may be missing) -> a MentionDocument."""
    if not isinstance(answer, Mapping):
        raise PredictionError(f"{at}: expected an object with 'mentions' and/or 'claims', got {answer!r:.60}")
    parts = {}
    for key, parse, what in (("mentions", parse_mention, "mention"), ("claims", parse_text_claim, "claim")):
        raw = answer.get(key)
        if raw is None:
            parts[key] = ()
            continue
        if not isinstance(raw, list):
            raise PredictionError(f"{at}: '{key}' must be a list, got {type(raw).__name__}")
        parts[key] = tuple(parse(item, f"{at}: {what} {i + 1}") for i, item in enumerate(raw))
    return MentionDocument(doc_id, parts["mentions"], parts["claims"])


