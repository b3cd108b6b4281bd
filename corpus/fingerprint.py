"""The content fingerprint: sha256 over the data files' relative paths and bytes."""
from __future__ import annotations

import hashlib
from pathlib import Path


def fingerprint(data_dir: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(p for p in data_dir.rglob("*") if p.is_file()):
        rel = path.relative_to(data_dir).as_posix()
        h.update(rel.encode() + b"\0" + hashlib.sha256(path.read_bytes()).hexdigest().encode() + b"\n")
    return "sha256:" + h.hexdigest()
