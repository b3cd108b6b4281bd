"""Result records: one JSON file per (extractor, dataset version) run.

Format ``troopclaims.result/1`` (documented in eval/RESULT_FORMAT.md). Old
records must keep loading: tests/data holds a golden one.
"""
from __future__ import annotations

import json
from importlib import metadata
from pathlib import Path

from corpus.errors import FormatError
from corpus.gold import atomic_write

FORMAT = "troopclaims.result/1"
LIBRARIES = ("troopclaims", "seqeval", "spacy", "datasets", "pyarrow")


def library_versions() -> dict[str, str | None]:
    out = {}
    for name in LIBRARIES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    import platform

    out["python"] = platform.python_version()
    return out


def write_result(record: dict, path: Path) -> None:
    atomic_write(Path(path), json.dumps(record, indent=2, ensure_ascii=False, sort_keys=False) + "\n")


REQUIRED = ("format", "dataset", "extractor", "settings", "libraries", "created", "scores")


def load_result(path: Path) -> dict:
    """Read a record of any supported format version."""
    try:
        record = json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise FormatError(f"{path}:{exc.lineno}: not valid JSON ({exc.msg})") from None
    if not isinstance(record, dict) or record.get("format") != FORMAT:
        got = record.get("format") if isinstance(record, dict) else None
        raise FormatError(f"{path}: not a troopclaims result record (format {got!r}, expected {FORMAT!r})")
    missing = [k for k in REQUIRED if k not in record]
    if missing:
        raise FormatError(f"{path}: result record lacks {', '.join(missing)}")
    return record
