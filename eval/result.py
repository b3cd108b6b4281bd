"""Result records: one JSON file per (extractor, dataset version) run.

Format ``troopclaims.result/3`` (documented in eval/RESULT_FORMAT.md). Old
records must keep loading: tests/data holds a golden ``/1`` record, which
``load_result`` reads as the current format (``upgrade``).
"""
from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field, fields, replace
from importlib import metadata
from pathlib import Path

from corpus.errors import FormatError
from corpus.io import JSONError, open_input, parse_json, read_bytes, write_output

FORMAT = "troopclaims.result/3"
FORMATS = ("troopclaims.result/1", "troopclaims.result/2", FORMAT)  # what load_result reads
LIBRARIES = ("troopclaims", "seqeval", "spacy", "datasets", "pyarrow")


def library_versions() -> dict[str, str | None]:
    return dict(_library_versions())


@functools.cache  # read from package metadata once per process: a leaderboard scores many records
def _library_versions() -> dict[str, str | None]:
    out = {}
    for name in LIBRARIES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    import platform

    out["python"] = platform.python_version()
    return out


@dataclass(frozen=True)
class Result:
    """A result record, typed: what the terminal report, the leaderboard and the error report read.

    The JSON form (``to_json``, ``from_json``) is the versioned file format of eval/RESULT_FORMAT.md;
    fields keep its key order. ``eval.score.evaluate`` returns the JSON form, so code written against
    format /1 keeps working. Frozen: a reader that adds settings makes a new one (``with_settings``).
    """

    format: str = FORMAT
    dataset: dict = field(default_factory=dict)
    extractor: dict = field(default_factory=dict)
    settings: dict = field(default_factory=dict)
    libraries: dict = field(default_factory=dict)
    created: str | None = None
    duration_seconds: dict = field(default_factory=dict)
    scores: dict = field(default_factory=dict)
    alignment: dict = field(default_factory=dict)
    mentions: dict | None = None  # only for answers given as strings
    notes: list = field(default_factory=list)
    per_document: dict = field(default_factory=dict)
    per_sentence: dict = field(default_factory=dict)
    predictions: dict | None = None  # what it was scored from (eval/rescore.py); from format /3 on

    @classmethod
    def of(cls, record: Result | dict) -> Result:
        return record if isinstance(record, Result) else cls.from_json(record)

    @classmethod
    def from_json(cls, record: dict) -> Result:
        """Any supported format version, read as the current one (``upgrade``)."""
        record = upgrade(dict(record))
        return cls(**{f.name: record[f.name] for f in fields(cls) if f.name in record})

    def to_json(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)
                if not (f.name in ("mentions", "predictions") and getattr(self, f.name) is None)}

    def with_settings(self, **settings) -> Result:
        return replace(self, settings={**self.settings, **settings})

    @property
    def name(self) -> str:
        return self.extractor.get("name", "?")

    @property
    def strict(self) -> dict:
        """The headline: seqeval strict IOB2 scores, ``labels`` and ``micro``."""
        return self.scores.get("seqeval_strict", {})

    @property
    def claims(self) -> dict | None:
        """Claim scores of the exact variant, when the gold has claims."""
        return (self.scores.get("claims") or {}).get("summary")


MAX_NAME = 200


def file_name(name: str) -> str:
    """The file name a system's record and error report are written under (results/, errors/)."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name)


def name_problem(name) -> str | None:
    """Why ``name`` cannot name a system on the leaderboard (None if it can): one line of printable text.

    Names reach Markdown, CSV, HTML and file names; they are escaped there too, but a newline or control
    character in a name is never what its author meant."""
    if not isinstance(name, str) or not name.strip():
        return "must be a non-empty string"
    if len(name) > MAX_NAME:
        return f"is {len(name)} characters long; at most {MAX_NAME} are allowed"
    bad = next((c for c in name if not c.isprintable()), None)
    if bad is not None:
        return f"holds the control character {bad!r}; a name is one line of printable text"
    return None


def write_result(record: Result | dict, path: Path | str) -> None:
    """Atomically over a regular file; ``-`` is standard output; a device is written through (corpus.io)."""
    data = record.to_json() if isinstance(record, Result) else record
    write_output(path, _dumps(data) + "\n")


def _dumps(value, depth: int = 0, open_levels: int = 3) -> str:
    """JSON indented for its first ``open_levels`` levels of objects (and of lists of objects, one per line),
    everything else on one line: as readable as ``indent=2`` where people read (scores, one document's
    predictions per line), and written by the C encoder, which ``indent`` turns off (a record holds its
    predictions: ten times slower otherwise)."""
    opened = isinstance(value, dict) or isinstance(value, list) and all(isinstance(v, dict) for v in value)
    if depth >= open_levels or not value or not opened:
        return json.dumps(value, ensure_ascii=False)
    pad = "  " * (depth + 1)
    if isinstance(value, dict):
        items = [f"{pad}{json.dumps(k, ensure_ascii=False)}: {_dumps(v, depth + 1, open_levels)}"
                 for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + "  " * depth + "}"
    return "[\n" + ",\n".join(pad + _dumps(v, depth + 1, open_levels) for v in value) + "\n" + "  " * depth + "]"


REQUIRED = ("format", "dataset", "extractor", "settings", "libraries", "created", "scores")


def load_result(path: Path) -> dict:
    """Read a record of any supported format version as the current one's JSON form (``upgrade``);
    ``Result.from_json`` types it."""
    with open_input(path, "a result record (JSON)") as f:
        data, _ = read_bytes(f, str(path), 256 * 2**20, "a result record")
    try:
        record = parse_json(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise FormatError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except JSONError as exc:
        raise FormatError(f"{path}: {exc}") from None
    if not isinstance(record, dict) or record.get("format") not in FORMATS:
        got = record.get("format") if isinstance(record, dict) else None
        raise FormatError(f"{path}: not a troopclaims result record (format {got!r}, expected one of "
                          f"{', '.join(map(repr, FORMATS))})")
    missing = [k for k in REQUIRED if k not in record]
    if missing:
        raise FormatError(f"{path}: result record lacks {', '.join(missing)}")
    return upgrade(record)


def upgrade(record: dict) -> dict:
    """A ``/1`` record read as ``/2`` (and ``/3``, which only adds ``predictions``): ``alignment.repaired_tags`` (a misnomer: nothing was repaired) is
    ``ill_formed_tags``, and ``ill_formed`` (their locations) is empty, as /1 did not record them.
    ``format`` keeps saying which version was written."""
    alignment = record.get("alignment")
    if record.get("format") == "troopclaims.result/1" and isinstance(alignment, dict) and "repaired_tags" in alignment:
        alignment["ill_formed_tags"] = alignment.pop("repaired_tags")
        alignment.setdefault("ill_formed", [])
    return record
