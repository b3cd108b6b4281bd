"""The dataset version: the top entry of corpus/CHANGELOG.md is the one place it lives.

Each entry records the content fingerprint of the data it describes, so a
changed fingerprint without a new entry is detectable (see ``check``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .errors import FormatError
from .paths import CHANGELOG_PATH

HEADER = """# Changelog

Every released version of the troopclaims dataset, newest first. The top entry
is the current version; its fingerprint is the sha256 over the rows and schema
of the data files (`corpus/fingerprint.py`), whatever Parquet writer made them.
`troopclaims build --bump {patch,minor,major} --message TEXT` adds an entry.
"""
_ENTRY = re.compile(r"^## ([0-9]+)\.([0-9]+)\.([0-9]+) - ([0-9]{4}-[0-9]{2}-[0-9]{2})$")  # ASCII digits only
_FP = re.compile(r"^Fingerprint: `(sha256:[0-9a-f]{64})`$")


@dataclass(frozen=True)
class Entry:
    version: str
    date: str
    fingerprint: str
    notes: str


def read_changelog(path: Path = CHANGELOG_PATH) -> list[Entry]:
    """Entries newest first; each must carry a fingerprint line."""
    if not path.exists():
        return []
    entries, current = [], None
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        m = _ENTRY.match(line)
        if m:
            current = {"version": ".".join(m.group(1, 2, 3)), "date": m[4], "fingerprint": None,
                       "notes": [], "line": lineno}
            entries.append(current)
        elif current is not None:
            fp = _FP.match(line)
            if fp:
                current["fingerprint"] = fp[1]
            else:
                current["notes"].append(line)
    for e in entries:
        if e["fingerprint"] is None:
            raise FormatError(f"{path}:{e['line']}: entry {e['version']} has no 'Fingerprint: `sha256:...`' line")
    result = [Entry(e["version"], e["date"], e["fingerprint"], "\n".join(e["notes"]).strip()) for e in entries]
    for newer, older in zip(result, result[1:]):
        if version_key(newer.version) <= version_key(older.version):
            raise FormatError(f"{path}: version {newer.version} is listed above {older.version}; newest first")
    return result


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in version.split("."))


def current_version(path: Path = CHANGELOG_PATH) -> str:
    entries = read_changelog(path)
    return entries[0].version if entries else "0.0.0"


def bumped(version: str, part: str) -> str:
    major, minor, patch = version_key(version)
    if part == "major":
        return f"{major + 1}.0.0"
    if part == "minor":
        return f"{major}.{minor + 1}.0"
    if part == "patch":
        return f"{major}.{minor}.{patch + 1}"
    raise ValueError(f"bump must be major, minor or patch, got {part!r}")


def render_changelog(entries: list[Entry]) -> str:
    parts = [HEADER]
    for e in entries:
        parts.append(f"\n## {e.version} - {e.date}\n\nFingerprint: `{e.fingerprint}`\n\n{e.notes}\n")
    return "".join(parts)
