"""The label contract (annotation/LABELS.md) as code: the one list of labels and tags."""

LABELS: tuple[str, ...] = ("QUANTITY", "ATTRIBUTION", "DATE")

# ClassLabel order of the `ner_tags` feature: ids 0-6, never reordered.
TAGS: tuple[str, ...] = ("O",) + tuple(f"{p}-{label}" for label in LABELS for p in ("B", "I"))

TAG_IDS: dict[str, int] = {tag: i for i, tag in enumerate(TAGS)}
