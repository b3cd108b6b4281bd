"""The gold as the harness sees it: read from the built dataset's Parquet files, no tokenizer needed.

Scoring against corpus/data (not annotation/gold) means every score is for a
released dataset version, named with its fingerprint.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from corpus.dataset import ALL_SPLITS, DEFAULT_SPLIT, SPLITS
from corpus.errors import TroopclaimsError
from corpus.fingerprint import fingerprint
from corpus.iob import tag_ranges
from corpus.labels import TAGS
from corpus.paths import CORPUS_DIR
from corpus.types import Claim, Document, Span
from corpus.version import read_changelog


@dataclass(frozen=True, slots=True)
class GoldSentence:
    doc_id: str
    index: int
    start: int
    end: int
    tokens: tuple[tuple[int, int], ...]
    tags: tuple[str, ...]
    starts: tuple[int, ...] = ()  # token starts and ends, for bisecting
    ends: tuple[int, ...] = ()
    entities: tuple[tuple[int, int, str], ...] = ()  # token ranges read from ``tags`` (strict IOB2)

    @classmethod
    def of(cls, doc_id: str, index: int, start: int, end: int, tokens, tags) -> GoldSentence:
        tokens, tags = tuple(tokens), tuple(tags)
        return cls(doc_id, index, start, end, tokens, tags, tuple(s for s, _ in tokens),
                   tuple(e for _, e in tokens), tuple(tag_ranges(tags)))


@dataclass(frozen=True)
class GoldSet:
    version: str
    fingerprint: str
    documents: dict[str, Document]
    sentences: dict[str, list[GoldSentence]]  # doc_id -> its sentences in order
    split: str = DEFAULT_SPLIT


def load_goldset(corpus_dir: Path = CORPUS_DIR, split: str = DEFAULT_SPLIT) -> GoldSet:
    """One split of the built dataset (or ``all`` of them in one set), with its version; refuses a corpus
    whose data no changelog entry describes, and a split it does not have."""
    import pyarrow.parquet as pq

    data = corpus_dir / "data"
    have = sorted({p.stem.split("-", 1)[0] for p in (data / "documents").glob("*.parquet")},
                  key=lambda s: SPLITS.index(s) if s in SPLITS else len(SPLITS))
    if split not in (*have, ALL_SPLITS):
        raise TroopclaimsError(f"split {split!r}: troopclaims in {corpus_dir} has the split(s) "
                               f"{', '.join(have) or 'none'}")
    fp = fingerprint(data)
    entries = read_changelog(corpus_dir / "CHANGELOG.md")
    if not entries or entries[0].fingerprint != fp:
        raise TroopclaimsError(f"{data}: data fingerprint {fp} is not the one recorded for the current version "
                               "in CHANGELOG.md; run `troopclaims build` (with --bump if the gold changed)")
    files = [f"{s}-00000-of-00001.parquet" for s in (have if split == ALL_SPLITS else [split])]
    docs: dict[str, Document] = {}
    for row in (r for f in files for r in pq.read_table(data / "documents" / f).to_pylist()):
        spans = tuple(Span.from_row(s) for s in row["spans"])
        claims = tuple(Claim.from_row(c) for c in row["claims"])
        docs[row["doc_id"]] = Document(row["doc_id"], row["text"], spans, claims, row["published"])
    sentences: dict[str, list[GoldSentence]] = {d: [] for d in docs}
    columns = ["doc_id", "sentence_index", "start", "end", "token_starts", "token_ends", "ner_tags"]
    for row in (r for f in files for r in pq.read_table(data / "sentences" / f, columns=columns).to_pylist()):
        sentences[row["doc_id"]].append(GoldSentence.of(
            row["doc_id"], row["sentence_index"], row["start"], row["end"],
            zip(row["token_starts"], row["token_ends"]), (TAGS[t] for t in row["ner_tags"])))
    for sents in sentences.values():
        sents.sort(key=lambda s: s.index)
    return GoldSet(entries[0].version, fp, docs, sentences, split)
