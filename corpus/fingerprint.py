"""The content fingerprint: sha256 over the rows and schema of each Parquet file, not its bytes.

File bytes also hold what the writer chose (its ``created_by`` version
string, compression, page and row-group layout), so the same rows written by
another pyarrow would change a byte hash. Here each file contributes its path
under ``data/``, its schema (field names and Arrow types, plus the Hugging
Face features stored in the schema metadata, which carry the label names) and
its rows, as canonical JSON.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from .errors import FormatError


def _arrow_type(t) -> object:
    """A writer-independent description of an Arrow type (list item names like ``element`` vary)."""
    import pyarrow as pa

    if pa.types.is_list(t) or pa.types.is_large_list(t):
        return {"list": _arrow_type(t.value_type)}
    if pa.types.is_struct(t):
        return {"struct": [[f.name, _arrow_type(f.type)] for f in t]}
    return str(t)


def _canonical(obj) -> bytes:
    return json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=True).encode()


def table_digest(path: Path) -> str:
    """sha256 of one Parquet file's schema and rows."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
    except (pa.ArrowException, OSError) as exc:
        reason = str(exc).replace(str(path), "").splitlines()[0]
        raise FormatError(f"{path}: not a readable Parquet file ({reason})") from None
    meta = table.schema.metadata or {}
    hf = json.loads(meta[b"huggingface"]).get("info", {}).get("features") if b"huggingface" in meta else None
    schema = {"fields": [[f.name, _arrow_type(f.type)] for f in table.schema], "features": hf}
    h = hashlib.sha256(_canonical(schema) + b"\n")
    for row in table.to_pylist():
        h.update(_canonical(row) + b"\n")
    return h.hexdigest()


def fingerprint(data_dir: Path) -> str:
    """``sha256:<hex>`` over every Parquet file under ``data_dir``: relative path and table digest."""
    h = hashlib.sha256()
    for path in sorted(p for p in data_dir.rglob("*") if p.is_file()):
        rel = path.relative_to(data_dir).as_posix()
        h.update(rel.encode() + b"\0" + table_digest(path).encode() + b"\n")
    return "sha256:" + h.hexdigest()
