"""What a claim counts, by rule: the baselines' target (annotation/LABELS.md, "Claims").

Frozen with the baselines (written from the seeds and the contract's
decision rules, before any test gold existed); its accuracy is reported as
it is. The rule reads the quantity's own sentence:

1. the words right after the number name a unit, money or a ratio -> ``other``;
   weapons or munitions -> ``materiel``;
2. the nearest event word after the number (within a few words), else
   before it: killed / wounded / both or "casualties" / captured / displaced;
3. a personnel noun after the number -> ``personnel_planned`` when the
   sentence before the number has a modal or plan word, else
   ``personnel_deployed``;
4. else ``other``.
"""
from __future__ import annotations

import re

_WORD = re.compile(r"[A-Za-z]+")
_OTHER_UNITS = {"km", "kilometers", "kilometres", "miles", "percent", "dollars", "nations", "countries", "states",
                "per", "billion", "times", "villages", "days", "hours"}
_MATERIEL = {"shells", "shell", "missiles", "missile", "rockets", "drones", "weapons", "tanks", "ammunition",
             "munitions", "artillery", "containers", "vehicles", "aircraft", "launchers", "systems", "rounds",
             "guns", "howitzers", "jets", "helicopters", "ships", "bombs"}
_EVENTS = {  # word -> target
    **dict.fromkeys("killed dead died deaths death toll perished".split(), "killed"),
    **dict.fromkeys("wounded injured injuries hurt".split(), "wounded"),
    **dict.fromkeys("casualties losses".split(), "killed_or_wounded"),
    **dict.fromkeys("captured prisoners prisoner surrendered hostages pows detained".split(), "captured"),
    **dict.fromkeys("displaced fled refugees evacuated".split(), "displaced"),
}
_PERSONNEL = {"troops", "soldiers", "personnel", "fighters", "officers", "generals", "infantrymen", "sappers",
              "workers", "servicemen", "people", "men", "forces", "military", "army", "commanders", "translator",
              "translators", "units", "unit", "brigades", "mercenaries", "recruits", "staff"}
_PLANNED = {"could", "may", "might", "will", "would", "can", "plan", "plans", "planning", "planned", "expected",
            "expects", "expect", "set", "ready", "prepared", "preparing", "intends", "promised", "agreed",
            "additional", "more", "further", "second", "another", "train", "receive", "ship", "send"}
_WINDOW = 6  # words after the number that still describe it


def assign_target(text: str, start: int, end: int, sent_start: int, sent_end: int) -> str:
    """The target of the QUANTITY ``text[start:end]`` in the sentence ``text[sent_start:sent_end]``."""
    after = [w.lower() for w in _WORD.findall(text, end, sent_end)][:_WINDOW]
    before = [w.lower() for w in _WORD.findall(text, sent_start, start)]
    if after[:1] and after[0] in _OTHER_UNITS or text[end:end + 1] == "%":
        return "other"
    if any(w in _MATERIEL for w in after[:3]):
        return "materiel"
    events = [_EVENTS[w] for w in after if w in _EVENTS] or [_EVENTS[w] for w in reversed(before) if w in _EVENTS]
    if events:
        if {"killed", "wounded"} <= set(events[:2]):
            return "killed_or_wounded"
        return events[0]
    if any(w in _PERSONNEL for w in after[:4]):
        return "personnel_planned" if _PLANNED & set(before + after[:1]) else "personnel_deployed"
    return "other"
