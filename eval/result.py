"""Result records: one JSON file per (extractor, dataset version) run.

Format ``troopclaims.result/2`` (documented in eval/RESULT_FORMAT.md). Old
records must keep loading: tests/data holds a golden ``/1`` record, which
``load_result`` reads as ``/2`` (``upgrade``).
"""
from __future__ import annotations

import json
from importlib import metadata
from pathlib import Path

from corpus.errors import FormatError
from corpus.io import open_input, read_bytes, write_output

FORMAT = "troopclaims.result/2"
FORMATS = ("troopclaims.result/1", FORMAT)  # what load_result reads
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


def write_result(record: dict, path: Path | str) -> None:
    """Atomically over a regular file; ``-`` is standard output; a device is written through (corpus.io)."""
    write_output(path, json.dumps(record, indent=2, ensure_ascii=False, sort_keys=False) + "\n")


REQUIRED = ("format", "dataset", "extractor", "settings", "libraries", "created", "scores")


def load_result(path: Path) -> dict:
    """Read a record of any supported format version, as the current one (``upgrade``)."""
    with open_input(path, "a result record (JSON)") as f:
        data, _ = read_bytes(f, str(path), 256 * 2**20)
    try:
        record = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise FormatError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise FormatError(f"{path}:{exc.lineno}: not valid JSON ({exc.msg})") from None
    if not isinstance(record, dict) or record.get("format") not in FORMATS:
        got = record.get("format") if isinstance(record, dict) else None
        raise FormatError(f"{path}: not a troopclaims result record (format {got!r}, expected one of "
                          f"{', '.join(map(repr, FORMATS))})")
    missing = [k for k in REQUIRED if k not in record]
    if missing:
        raise FormatError(f"{path}: result record lacks {', '.join(missing)}")
    return upgrade(record)


def upgrade(record: dict) -> dict:
    """A ``/1`` record read as ``/2``: ``alignment.repaired_tags`` (a misnomer: nothing was repaired) is
    ``ill_formed_tags``, and ``ill_formed`` (their locations) is empty, as /1 did not record them.
    ``format`` keeps saying which version was written."""
    alignment = record.get("alignment")
    if record["format"] == "troopclaims.result/1" and isinstance(alignment, dict) and "repaired_tags" in alignment:
        alignment["ill_formed_tags"] = alignment.pop("repaired_tags")
        alignment.setdefault("ill_formed", [])
    return record
