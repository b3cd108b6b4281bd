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
`troopclaims build --bump {patch,minor,major} --message TEXT` adds an entry;
with `--pre`, a release candidate (`2.0.0-rc.1`) that is not published.
"""
# A version: MAJOR.MINOR.PATCH, or a release candidate of it (semver's pre-release form, "-rc.N"); ASCII
# digits only (int() would read '١' as 1).
VERSION = re.compile(r"([0-9]+)\.([0-9]+)\.([0-9]+)(?:-rc\.([1-9][0-9]*))?")
_ENTRY = re.compile(r"^## (" + VERSION.pattern + r") - ([0-9]{4}-[0-9]{2}-[0-9]{2})$")
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
            current = {"version": m[1], "date": m[6], "fingerprint": None,
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
    """Order of versions: a release candidate comes before its release (2.0.0-rc.2 < 2.0.0)."""
    m = VERSION.fullmatch(version)
    if m is None:
        raise ValueError(f"version {version!r} is not MAJOR.MINOR.PATCH or MAJOR.MINOR.PATCH-rc.N")
    major, minor, patch, rc = m.groups()
    return (int(major), int(minor), int(patch), 0 if rc else 1, int(rc or 0))


def is_release(version: str) -> bool:
    """A published version (MAJOR.MINOR.PATCH), not a release candidate. Only these go into the
    dataset's own metadata: `datasets` accepts no pre-release version there (a candidate loads as 0.0.0,
    its default)."""
    return version_key(version)[3] == 1


def current_version(path: Path = CHANGELOG_PATH) -> str:
    entries = read_changelog(path)
    return entries[0].version if entries else "0.0.0"


def bumped(version: str, part: str, pre: bool = False) -> str:
    """The next version. From a release candidate, ``pre`` gives the next candidate and otherwise its
    release, whatever ``part`` (the part was chosen when the first candidate was made)."""
    if part not in ("major", "minor", "patch"):
        raise ValueError(f"bump must be major, minor or patch, got {part!r}")
    major, minor, patch, final, rc = version_key(version)
    if not final:
        return f"{major}.{minor}.{patch}-rc.{rc + 1}" if pre else f"{major}.{minor}.{patch}"
    release = {"major": f"{major + 1}.0.0", "minor": f"{major}.{minor + 1}.0", "patch": f"{major}.{minor}.{patch + 1}"}
    return release[part] + ("-rc.1" if pre else "")


def render_changelog(entries: list[Entry]) -> str:
    parts = [HEADER]
    for e in entries:
        parts.append(f"\n## {e.version} - {e.date}\n\nFingerprint: `{e.fingerprint}`\n\n{e.notes}\n")
    return "".join(parts)
