"""The label contract (annotation/LABELS.md) as code: the one list of labels and tags."""

LABELS: tuple[str, ...] = ("QUANTITY", "ATTRIBUTION", "DATE")

# ClassLabel order of the `ner_tags` feature: ids 0-6, never reordered.
TAGS: tuple[str, ...] = ("O",) + tuple(f"{p}-{label}" for label in LABELS for p in ("B", "I"))

TAG_IDS: dict[str, int] = {tag: i for i, tag in enumerate(TAGS)}

# What a claim counts (annotation/LABELS.md, "Claims"): name -> definition, in ClassLabel order (ids 0-8,
# never reordered). The card, the Croissant file, the Label Studio choices and the llm.v1 schema read this.
TARGETS: dict[str, str] = {
    "personnel_deployed": "personnel present, sent, on their way, training or fighting",
    "personnel_planned": "personnel that will, could, may or are planned, expected or set to be sent or used",
    "killed": "people killed",
    "wounded": "people wounded or injured",
    "killed_or_wounded": "killed and wounded counted together (casualties, losses)",
    "captured": "people captured, taken prisoner, surrendered, held as prisoners of war or hostages",
    "displaced": "people displaced, fled, evacuated, refugees",
    "materiel": "weapons, munitions and equipment",
    "other": "anything else (distances, money, counts of countries or places, ratios)",
}
TARGET_NAMES: tuple[str, ...] = tuple(TARGETS)


def target_problem(value, *, required: bool = True) -> str | None:
    """What is wrong with a claim's ``target`` (None when nothing is), for every reader's one-line error."""
    if value is None and not required:
        return None
    if value is None:
        return f"target is missing; every claim needs one of: {', '.join(TARGET_NAMES)}"
    if not isinstance(value, str) or value not in TARGETS:
        return f"target {value!r} is not in the vocabulary; allowed: {', '.join(TARGET_NAMES)}"
    return None
