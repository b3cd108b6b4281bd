"""Spans <-> IOB2 tags over a sentence's tokens: the one IOB2 encoder and strict decoder."""
from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence

Offsets = Sequence[tuple[int, int]]


def token_range(start: int, end: int, tokens: Offsets) -> tuple[int, int] | None:
    """Token indices ``[i, j)`` exactly covering ``[start, end)``, or None if not aligned."""
    starts = [s for s, _ in tokens]
    ends = [e for _, e in tokens]
    i = bisect_left(starts, start)
    j = bisect_left(ends, end)
    if i < len(starts) and starts[i] == start and j < len(ends) and ends[j] == end and i <= j:
        return i, j + 1
    return None


def spans_to_tags(spans: Sequence[tuple[int, int, str]], tokens: Offsets) -> list[str]:
    """IOB2 tags for token-aligned, non-overlapping ``(start, end, label)`` spans.

    Raises ValueError for a span that is not aligned to the tokens, or that
    overlaps another: callers validate or project first, so this never guesses.
    """
    tags = ["O"] * len(tokens)
    for start, end, label in spans:
        rng = token_range(start, end, tokens)
        if rng is None:
            raise ValueError(f"span [{start}, {end}) {label} is not aligned to token boundaries")
        i, j = rng
        if any(t != "O" for t in tags[i:j]):
            raise ValueError(f"span [{start}, {end}) {label} overlaps another span")
        tags[i] = f"B-{label}"
        for k in range(i + 1, j):
            tags[k] = f"I-{label}"
    return tags


def tag_ranges(tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """Entities of IOB2 tags as token ranges ``(i, j, label)``, read strictly: an entity starts only at B-.

    An ``I-X`` that does not continue an ``X`` entity starts none, as in
    seqeval's strict IOB2 mode, so this inverts ``spans_to_tags`` exactly.
    """
    ranges = []
    open_label = None
    begin = 0
    for k, tag in enumerate(tags):
        prefix, _, label = tag.partition("-")
        if prefix == "I" and open_label == label:
            continue
        if open_label is not None:
            ranges.append((begin, k, open_label))
            open_label = None
        if prefix == "B":
            open_label, begin = label, k
    if open_label is not None:
        ranges.append((begin, len(tags), open_label))
    return ranges


def ranges_to_tags(ranges: Sequence[tuple[int, int, str]], n: int) -> list[str]:
    tags = ["O"] * n
    for i, j, label in ranges:
        tags[i] = f"B-{label}"
        tags[i + 1:j] = [f"I-{label}"] * (j - i - 1)
    return tags


def tags_to_spans(tags: Sequence[str], tokens: Offsets) -> list[tuple[int, int, str]]:
    """Character spans of IOB2 tags (strict reading, see ``tag_ranges``)."""
    return [(tokens[i][0], tokens[j - 1][1], label) for i, j, label in tag_ranges(tags)]
