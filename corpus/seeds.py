"""The seed articles, checked against their sha256 manifest before any use."""
from __future__ import annotations

import hashlib
from pathlib import Path

from .errors import SeedError
from .paths import SEEDS_DIR

MANIFEST = "SHA256SUMS"


def read_manifest(seeds_dir: Path = SEEDS_DIR) -> dict[str, str]:
    """Map document id -> expected sha256, from ``sha256sum`` output."""
    path = seeds_dir / MANIFEST
    if not path.exists():
        raise SeedError(f"{path}: seed manifest is missing")
    manifest = {}
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        digest, _, name = line.partition("  ")
        if len(digest) != 64 or not name.endswith(".txt"):
            raise SeedError(f"{path}:{lineno}: expected '<sha256>  <name>.txt', got {line!r}")
        manifest[name[: -len(".txt")]] = digest
    return manifest


def render_manifest(manifest: dict[str, str]) -> str:
    """The ``sha256sum`` lines ``read_manifest`` reads, sorted by document id."""
    return "".join(f"{sha}  {doc_id}.txt\n" for doc_id, sha in sorted(manifest.items()))


def load_seeds(seeds_dir: Path = SEEDS_DIR) -> dict[str, str]:
    """Document id (file name without .txt) -> raw text, in id order.

    Refuses, naming the file, when a seed is missing, unlisted or changed:
    every gold offset points into these exact bytes.
    """
    manifest = read_manifest(seeds_dir)
    listed = set(manifest)
    present = {p.stem for p in seeds_dir.glob("*.txt")}
    for extra in sorted(present - listed):
        raise SeedError(f"{seeds_dir / (extra + '.txt')}: seed is not listed in {MANIFEST}")
    texts = {}
    for doc_id in sorted(manifest):
        path = seeds_dir / f"{doc_id}.txt"
        if not path.exists():
            raise SeedError(f"{path}: seed listed in {MANIFEST} is missing")
        data = path.read_bytes()
        if hashlib.sha256(data).hexdigest() != manifest[doc_id]:
            raise SeedError(f"{path}: seed text changed (sha256 differs from {MANIFEST}); seeds must stay verbatim")
        texts[doc_id] = data.decode("utf-8")
    return texts
