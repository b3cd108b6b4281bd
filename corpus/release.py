"""The Hub-ready release folder: the built dataset, its card, changelog, croissant.json and licence; no code.

corpus/ holds the dataset beside the package's Python files, so uploading it
would ship code, and a copy named after one of its modules (``validate/``)
is taken for a dataset script that `datasets` refuses. The release folder
holds only data and documents, including the project files the card links
to (the label contract, guidelines, agreement report, provenance records),
so every link in the card resolves inside it. ``publish_commands`` says how
to upload it and tag the version; nothing here talks to the Hub.
"""
from __future__ import annotations

import shutil
from pathlib import Path

from .errors import TroopclaimsError
from .paths import CORPUS_DIR, ROOT
from .swap import commit, is_swap_leftover, new_staging, recover

DEFAULT_OUT = ROOT / "release"
FROM_CORPUS = ("README.md", "CHANGELOG.md", "croissant.json")
# release name -> path under the project root; the card links to each (corpus/card.py SHIPPED)
FROM_ROOT = {"LICENSE": "LICENSE", "NOTICE": "NOTICE", "LABELS.md": "annotation/LABELS.md",
             "GUIDELINES.md": "annotation/GUIDELINES.md", "AGREEMENT.md": "annotation/AGREEMENT.md",
             "PROVENANCE.jsonl": "seeds/PROVENANCE.jsonl"}
NAMES = ("data",) + FROM_CORPUS + tuple(FROM_ROOT)  # everything a release folder holds


class ReleaseError(TroopclaimsError):
    """The release folder cannot be written as asked."""


def release_files(corpus_dir: Path = CORPUS_DIR, root: Path = ROOT) -> dict[str, bytes]:
    """What a release folder holds: relative path -> bytes. Deterministic: it only copies built files."""
    sources = [(corpus_dir / n, n) for n in FROM_CORPUS] + [(root / path, n) for n, path in FROM_ROOT.items()]
    missing = [str(path) for path, _ in sources if not path.is_file()]
    missing += [] if (corpus_dir / "data").is_dir() else [str(corpus_dir / "data")]
    if missing:
        raise ReleaseError(f"cannot assemble a release: missing {', '.join(missing)}")
    files = {rel: path.read_bytes() for path, rel in sources}
    for path in sorted((corpus_dir / "data").rglob("*")):
        if path.is_file():
            files[path.relative_to(corpus_dir).as_posix()] = path.read_bytes()
    code = sorted(rel for rel in files if rel.endswith((".py", ".pyc")))
    if code:
        raise ReleaseError(f"a release holds no code, but would hold {', '.join(code)}")
    return files


def publish_commands(folder: str, version: str, fingerprint: str, repo: str) -> list[str]:
    """The commands that publish ``folder`` as ``version``: one commit that also deletes data files the
    new version no longer has (else the configs' globs would load stale shards too), then the tag
    ``v<version>`` that `load_dataset(..., revision="v<version>")` names."""
    message = f"troopclaims {version} ({fingerprint})"
    return [f'hf upload {repo} {folder} . --repo-type dataset --delete "data/**" --commit-message "{message}"',
            f'hf repos tag create {repo} v{version} --repo-type dataset -m "{message}"']


def write_release(out: Path = DEFAULT_OUT, corpus_dir: Path = CORPUS_DIR, root: Path = ROOT) -> dict[str, bytes]:
    """Write the release folder ``out`` as one step (see ``swap``); refuses a folder holding anything else."""
    files = release_files(corpus_dir, root)
    if out.exists() and not out.is_dir():
        raise ReleaseError(f"--out {out} is a file; give a folder (default: release/)")
    if out.is_dir():  # checked before recover(), which deletes leftovers: never in someone else's folder
        foreign = sorted(p.name for p in out.iterdir() if p.name not in NAMES and not is_swap_leftover(p.name))
        if foreign:
            shown = ", ".join(foreign[:5]) + (f" and {len(foreign) - 5} more" if len(foreign) > 5 else "")
            raise ReleaseError(f"--out {out} holds {shown}, which a release does not; a release folder holds "
                               f"only {', '.join(NAMES)}: remove them or choose another folder")
    recover(out)
    staging = new_staging(out)
    try:
        for rel, content in files.items():
            path = staging / "new" / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        commit(staging, out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return files

