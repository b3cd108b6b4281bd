"""seeds + gold -> corpus/: Parquet data, dataset card and changelog, deterministic and atomic."""
from __future__ import annotations

import datetime as dt
import filecmp
import hashlib
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .card import agreement_rows, render_card, stats
from .croissant import render_croissant
from .dataset import CONFIGS, SPLITS, Part, document_row, features, sentence_rows
from .errors import GoldError, TroopclaimsError
from .fingerprint import fingerprint
from .gold import read_gold
from .paths import CORPUS_DIR, GOLD_DIR, PASSES_DIR, ROOT, SEEDS_DIR
from .provenance import read_provenance
from .release import release_files
from .seeds import load_seeds
from .swap import commit, new_staging, recover, unfinished
from .types import Document
from .validate import document_problems
from .version import Entry, bumped, read_changelog, render_changelog, version_key

FILES = ("README.md", "CHANGELOG.md", "croissant.json")  # besides data/: what build writes into corpus/


class StaleBuildError(TroopclaimsError):
    """corpus/ is not what the sources build."""


@dataclass(frozen=True)
class BuildResult:
    version: str
    fingerprint: str
    documents: int
    sentences: int
    spans: int
    claims: int
    changed: bool


def load_documents(seeds_dir: Path = SEEDS_DIR, gold_dir: Path = GOLD_DIR) -> list[Document]:
    """The documents that have gold, validated: raises GoldError listing every problem. A text added for a
    round that has no gold yet is not part of the dataset (it would count as an article with no spans)."""
    texts = {d: t for d, t in load_seeds(seeds_dir).items() if (gold_dir / f"{d}.jsonl").exists()}
    docs = list(read_gold(texts, gold_dir).values())
    problems = [p for d in docs for p in document_problems(d)]
    if problems:
        raise GoldError(problems)
    return docs


def _write_parquet(rows: list[dict], config: str, path: Path) -> int:
    """Write one file; returns the size `datasets` reports for it (the Arrow table as read back:
    the reader allocates validity buffers an in-memory table built from rows lacks)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = features(config).arrow_schema
    table = pa.Table.from_pylist(rows, schema=schema)
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path, compression="zstd", row_group_size=10_000)
    return pq.read_table(path).nbytes


def _write_data(docs: list[Document], data_dir: Path, split_of: dict[str, str]) -> list[Part]:
    """Write every config's splits (each document in the split its provenance names); returns what was
    written, for the card and croissant.json."""
    parts = []
    for config in CONFIGS:
        for split in SPLITS:
            members = [d for d in docs if split_of[d.id] == split]
            if not members:
                continue
            rows = ([row for d in members for row in sentence_rows(d)] if config == "sentences"
                    else [document_row(d) for d in members])
            path = data_dir / config / f"{split}-00000-of-00001.parquet"
            nbytes = _write_parquet(rows, config, path)
            content = path.read_bytes()
            parts.append(Part(config, split, path.relative_to(data_dir.parent).as_posix(), rows, nbytes,
                              len(content), hashlib.sha256(content).hexdigest()))
    return parts


def build(corpus_dir: Path = CORPUS_DIR, *, seeds_dir: Path = SEEDS_DIR, gold_dir: Path = GOLD_DIR,
          bump: str | None = None, message: str | None = None, today: str | None = None,
          pre: bool = False, passes_dir: Path = PASSES_DIR, readme: Path = ROOT / "README.md") -> BuildResult:
    """Build the dataset into ``corpus_dir``.

    Nothing is written unless the whole build succeeds, and the new release
    replaces the old one as a whole (``swap``). The card also shows the
    agreement of the passes in ``passes_dir`` and the leaderboard table of
    ``readme``. When the data's
    fingerprint differs from the current changelog entry's, a ``bump`` with a
    ``message`` is required: a changed dataset always gets a new version.
    """
    docs = load_documents(seeds_dir, gold_dir)
    provenance = read_provenance(seeds_dir)
    recover(corpus_dir)  # finish a build killed mid-swap before reading what it left
    entries = read_changelog(corpus_dir / "CHANGELOG.md")
    staging = new_staging(corpus_dir)
    try:
        new = staging / "new"
        parts = _write_data(docs, new / "data", {d: p.split for d, p in provenance.items()})
        fp = fingerprint(new / "data")
        changed = not entries or entries[0].fingerprint != fp
        if bump is None and changed:
            recorded = f"{entries[0].version}'s {entries[0].fingerprint}" if entries else "no changelog entry"
            raise StaleBuildError(
                f"dataset content changed: fingerprint {fp} differs from {recorded}; "
                "rebuild with --bump patch|minor|major --message 'what changed'")
        if bump is not None:
            if not message:
                raise TroopclaimsError("--bump needs --message: the changelog says what changed")
            if not changed:
                raise TroopclaimsError(f"nothing to release: the data is identical to {entries[0].version}")
            version = bumped(entries[0].version if entries else "0.0.0", bump, pre)
            entries = [Entry(version, today or dt.date.today().isoformat(), fp, message.strip())] + entries
        top = entries[0]
        late = [f"{d.id} ({provenance[d.id].added_in})" for d in docs
                if version_key(provenance[d.id].added_in) > version_key(top.version)]
        if late:
            raise TroopclaimsError(f"{seeds_dir / 'PROVENANCE.jsonl'}: recorded as added in a version after "
                                   f"{top.version}: {', '.join(late)}; release with --bump so the version matches")
        figures = stats(docs, parts, provenance)
        agreement = agreement_rows(docs, gold_dir, passes_dir)
        (new / "CHANGELOG.md").write_text(render_changelog(entries), encoding="utf-8")
        (new / "README.md").write_text(render_card(docs, parts, top.version, fp, top.date, provenance, figures,
                                                   agreement, readme.read_text(encoding="utf-8")), encoding="utf-8")
        (new / "croissant.json").write_text(
            render_croissant(parts, top.version, fp, top.date, figures, agreement), encoding="utf-8")
        commit(staging, corpus_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return BuildResult(top.version, fp, figures["documents"], figures["sentences"], figures["spans"],
                       figures["claims"], changed)


def check(corpus_dir: Path = CORPUS_DIR, *, seeds_dir: Path = SEEDS_DIR, gold_dir: Path = GOLD_DIR,
          root: Path = ROOT) -> BuildResult:
    """Rebuild into a scratch copy and require it, and the release folder made from it, to equal
    what ``corpus_dir`` gives byte for byte.

    Fails when corpus/ is stale (the sources build something else), when the
    data changed without a version bump and changelog entry, or when no
    code-free release folder can be assembled (say, LICENSE is missing).
    """
    if problem := unfinished(corpus_dir):
        raise StaleBuildError(problem)
    with tempfile.TemporaryDirectory(prefix="troopclaims-check-") as tmp:
        scratch = Path(tmp) / "corpus"
        scratch.mkdir()
        if (corpus_dir / "CHANGELOG.md").exists():
            shutil.copy2(corpus_dir / "CHANGELOG.md", scratch / "CHANGELOG.md")
        try:
            result = build(scratch, seeds_dir=seeds_dir, gold_dir=gold_dir)
        except StaleBuildError as exc:
            raise StaleBuildError(f"{exc} (corpus/CHANGELOG.md has no entry for the current sources)") from None
        differences = _differences(scratch, corpus_dir)
        if differences:
            raise StaleBuildError("corpus/ is stale, run `troopclaims build`: " + "; ".join(differences))
        want, have = release_files(scratch, root), release_files(corpus_dir, root)
        if want != have:
            raise StaleBuildError("the release folder would differ from a fresh build's: " + ", ".join(
                sorted(rel for rel in want.keys() | have.keys() if want.get(rel) != have.get(rel))))
    return result


def _differences(expected: Path, actual: Path) -> list[str]:
    out = []
    want = {p.relative_to(expected) for p in expected.rglob("*") if p.is_file()}
    have = {p.relative_to(actual) for p in (actual / "data").rglob("*") if p.is_file()}
    have |= {Path(n) for n in FILES if (actual / n).exists()}
    for rel in sorted(want | have):
        if rel not in have:
            out.append(f"{rel} missing")
        elif rel not in want:
            out.append(f"{rel} not produced by the build")
        elif not filecmp.cmp(expected / rel, actual / rel, shallow=False):
            out.append(f"{rel} differs")
    return out
