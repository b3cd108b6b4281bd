"""The Label Studio labeling config, generated from corpus.labels.LABELS so the UI never drifts from the contract.

Names here are the contract with convert.py: a span is a region of the
``label`` control on the ``text`` object; a claim lives on its QUANTITY
region as per-region values plus relations to its source and date.

Layout: the claim fields sit in a column beside the text that stays in
view while the text scrolls, so the selected region and its claim are seen
together. ``low`` and ``high`` are Number controls (typed; decimals kept
with step "any"); the claim id and the ISO date value are short text
fields that pull checks; the target is a named single choice, its definition
shown on hover. Each field has a heading in the column: Label
Studio 1.23's Info panel lists per-region results by type ("Text:") and
leaves numbers out, so the column is where the values are read. Hotkeys are letters no value contains (q, w, d, x;
digits, ``e``, ``-`` and ``C`` are typed into fields) and chords.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from corpus.labels import LABELS, TARGETS

CONFIG_PATH = Path(__file__).with_name("config.xml")

TEXT = "text"  # the <Text> object; task data key of the article text too
LABEL = "label"  # the <Labels> control
# Relation label by the label of the span a QUANTITY links to.
RELATION_BY_LABEL = {"ATTRIBUTION": "source", "DATE": "date"}
# Per-region controls on QUANTITY regions: name -> (heading, placeholder). A filled box no longer shows
# its placeholder, so each box has a heading saying which value it holds.
TEXT_FIELDS = {
    "claim_id": ("claim id", "e.g. C3 (empty: the next free id on pull)"),
    "date_value": ("date value", "ISO date of the linked DATE: 2024, 2024-10, 2024-10-31; empty if none"),
}
NUMBER_FIELDS = {  # a cleared Number is stored as 0, so 0 on one side means "none" (convert.py)
    "low": ("low", "empty or 0: no lower bound"),
    "high": ("high", "empty or 0: no upper bound"),
}
VALUE_FIELDS = ("claim_id", "low", "high", "date_value")  # every per-region value, in claim order
APPROXIMATE = "approximate"  # the Choices control and its single choice
TARGET = "target"  # the Choices control of what the claim counts: one of corpus.labels.TARGETS
CLAIM_CONTROLS = (*VALUE_FIELDS, APPROXIMATE, TARGET)
HOTKEYS = {"QUANTITY": "q", "ATTRIBUTION": "w", "DATE": "d", APPROXIMATE: "x",
           # A Number's hotkey adds 1 to it; without one, Label Studio binds the bare digits 1, 2 (seen in the
           # browser: typing "1" outside a field raised low by one), so give each a chord no value contains.
           "low": "alt+shift+l", "high": "alt+shift+h"}

_COLORS = {"QUANTITY": "#1f77b4", "ATTRIBUTION": "#2ca02c", "DATE": "#ff7f0e"}


def _el(parent: ET.Element, tag: str, **attrs: str) -> ET.Element:
    return ET.SubElement(parent, tag, attrs)


def label_config(labels: tuple[str, ...] = LABELS) -> str:
    """The labeling config XML: text with its whitespace kept, the span labels, claim relations and values."""
    missing = set(RELATION_BY_LABEL) - set(labels)
    if missing or "QUANTITY" not in labels:
        raise ValueError(f"labels {labels} lack QUANTITY or a relation target {sorted(missing)}")
    root = ET.Element("View")
    _el(root, "Header", value="$doc_id", size="5")
    _el(root, "Header", value="published: $published ($published_note)", size="6")
    spans = _el(root, "Labels", name=LABEL, toName=TEXT)
    for label in labels:
        _el(spans, "Label", value=label, background=_COLORS.get(label, "#7f7f7f"),
            **({"hotkey": HOTKEYS[label]} if label in HOTKEYS else {}))
    relations = _el(root, "Relations")
    for rel in RELATION_BY_LABEL.values():
        _el(relations, "Relation", value=rel)
    columns = _el(root, "View", style="display: flex; align-items: flex-start; gap: 16px")
    # Newlines and runs of spaces render as in the seed, so what is seen is what the offsets count.
    _el(_el(columns, "View", style="flex: 1 1 0; min-width: 0; white-space: pre-wrap"), "Text", name=TEXT,
        value=f"${TEXT}", saveTextResult="yes")
    side = _el(columns, "View", style="flex: 0 0 300px; position: sticky; top: 0; max-height: 100vh; "
                                      "overflow-y: auto")
    _el(side, "Header", value="The claim of a QUANTITY shows here while the region is selected.", size="6")
    claim = _el(side, "View", visibleWhen="region-selected", whenLabelValue="QUANTITY")
    _el(claim, "Header", value="Claim of the selected QUANTITY (link source and date: Alt+R)", size="6")
    for name in VALUE_FIELDS:
        if name in NUMBER_FIELDS:
            heading, placeholder = NUMBER_FIELDS[name]
            _el(claim, "Header", value=f"{heading} ({placeholder})", size="6")
            _el(claim, "Number", name=name, toName=TEXT, perRegion="true", whenLabelValue="QUANTITY",
                step="any", hotkey=HOTKEYS[name])
        else:
            heading, placeholder = TEXT_FIELDS[name]
            _el(claim, "Header", value=heading, size="6")
            _el(claim, "TextArea", name=name, toName=TEXT, perRegion="true", whenLabelValue="QUANTITY",
                editable="true", maxSubmissions="1", rows="1", placeholder=placeholder)
    approx = _el(claim, "Choices", name=APPROXIMATE, toName=TEXT, perRegion="true",
                 whenLabelValue="QUANTITY", choice="multiple", showInline="true")
    _el(approx, "Choice", value=APPROXIMATE, hotkey=HOTKEYS[APPROXIMATE])
    _el(claim, "Header", value="target: what the number counts (annotation/LABELS.md)", size="6")
    target = _el(claim, "Choices", name=TARGET, toName=TEXT, perRegion="true", whenLabelValue="QUANTITY",
                 choice="single-radio", required="false")
    for i, (name, definition) in enumerate(TARGETS.items(), 1):
        # Explicit chords: without them Label Studio binds the bare digits 1-9 to these choices (seen in the
        # browser: typing "3" outside a field made the selected claim's target `killed`).
        _el(target, "Choice", value=name, hint=definition, hotkey=f"alt+shift+{i}")
    ET.indent(root, space="  ")
    return ET.tostring(root, encoding="unicode") + "\n"


def write_config(path: Path = CONFIG_PATH) -> None:
    """Regenerate config.xml (a test keeps it equal to label_config())."""
    path.write_text(label_config(), encoding="utf-8")
