"""troopclaims 2.0's splits: the held-out test articles, where they came from, how they were annotated.

The test split is the round `test-2.0` (annotation/rounds/test-2.0/): real articles entered with
`add-article`, annotated twice, blind, through the Label Studio round commands, then adjudicated.
The validation split is the seed data of 1.x unchanged.
"""
import hashlib
import itertools
import json
import re

import pytest

from annotation.label_studio.rounds import AGREEMENT_PATH, PASSES_DIR, round_report
from corpus.build import load_documents
from corpus.gold import loads
from corpus.io import read_text
from corpus.paths import CORPUS_DIR, GOLD_DIR, SEEDS_DIR
from corpus.provenance import read_provenance
from corpus.seeds import load_seeds, read_manifest

ROUNDS = ("test-2.0", "test-2.1")  # the rounds that made the test split, each in annotation/passes/<round>/
ANNOTATORS = ("annotator-a", "annotator-b")
# Near-duplicates: lower-cased word 5-gram shingles; a pair is one family at Jaccard >= 0.20 or when one
# text's shingles are >= 0.40 contained in the other's (the threshold the candidate pool was checked with).
SHINGLE, JACCARD, CONTAINMENT = 5, 0.20, 0.40
# The 1.x seed data (documents and sentences rows, claims without the 2.0 `target`), canonical JSON.
V1_SEEDS_SHA256 = "9c9963c370f7015fc287383b3cfe859fedf2676f7d097fc00ba4055c029bba73"


@pytest.fixture(scope="module")
def provenance():
    return read_provenance()


@pytest.fixture(scope="module")
def test_ids(provenance):
    return sorted(d for d, p in provenance.items() if p.split == "test")


def test_every_text_is_its_recorded_sha256_with_full_provenance(provenance, test_ids):
    manifest = read_manifest(SEEDS_DIR)
    for doc_id, record in provenance.items():
        digest = hashlib.sha256((SEEDS_DIR / f"{doc_id}.txt").read_bytes()).hexdigest()
        assert digest == manifest[doc_id] == record.sha256, doc_id
        assert doc_id.endswith(digest[:16]) or record.split == "validation", "new ids name their text"
    for doc_id in test_ids:
        p = provenance[doc_id]
        assert p.url.startswith(("http://", "https://")) and p.outlet and p.published, doc_id
        assert p.query and re.fullmatch(r"\d{4}-\d{2}-\d{2}", p.taken or ""), doc_id
        assert "copyright" in p.licence_note.lower() and p.added_in in ("2.0.0", "2.1.0"), doc_id


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i:i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


def test_no_two_texts_are_near_duplicates():
    shingles = {d: _shingles(t) for d, t in load_seeds().items()}
    worst = (0.0, 0.0, ("", ""))
    for a, b in itertools.combinations(sorted(shingles), 2):
        sa, sb = shingles[a], shingles[b]
        shared = len(sa & sb)
        jaccard = shared / len(sa | sb)
        containment = shared / min(len(sa), len(sb))
        assert jaccard < JACCARD and containment < CONTAINMENT, f"{a} and {b} are one family " \
                                                                f"(Jaccard {jaccard:.2f}, containment {containment:.2f})"
        worst = max(worst, (jaccard, containment, (a, b)))
    assert worst[2] != ("", ""), "the texts were compared"


def test_the_test_split_is_big_enough_and_varied(provenance, test_ids):
    docs = {d.id: d for d in load_documents() if d.id in test_ids}
    assert sorted(docs) == test_ids, "every test article has gold"
    assert len(docs) >= 75
    assert sum(len(d.spans) for d in docs.values()) >= 1500
    assert sum(len(d.claims) for d in docs.values()) >= 400
    assert len({provenance[d].outlet for d in test_ids}) >= 25
    assert {provenance[d].published[:4] for d in test_ids} >= {"2024", "2025", "2026"}


def test_every_test_document_went_through_a_round(test_ids):
    """Two blind passes pulled with `ls pull-round` and an adjudicated gold for each test document, and each
    round's agreement in AGREEMENT.md is what its pass files give."""
    texts = load_seeds()
    agreement = AGREEMENT_PATH.read_text(encoding="utf-8")
    covered = []
    for name in ROUNDS:
        in_round = sorted(p.stem for p in (PASSES_DIR / name / ANNOTATORS[0]).glob("*.jsonl"))
        for who in ANNOTATORS:
            folder = PASSES_DIR / name / who
            assert sorted(p.stem for p in folder.glob("*.jsonl")) == in_round, (name, who)
            for doc_id in in_round:
                loads(read_text(folder / f"{doc_id}.jsonl", "a pass"), texts[doc_id], doc_id)  # valid, targets
        report, _ = round_report(name, PASSES_DIR, texts, gold_dir=GOLD_DIR)
        assert report in agreement, name
        covered += in_round
    assert sorted(covered) == test_ids, "each test document in exactly one round"
    assert all((GOLD_DIR / f"{d}.jsonl").is_file() for d in test_ids)


def _canonical(documents: list[dict], sentences: list[dict]) -> str:
    docs = [{k: r[k] for k in ("doc_id", "text", "published", "spans", "claims")} for r in documents]
    for r in docs:
        r["claims"] = [{k: v for k, v in c.items() if k != "target"} for c in r["claims"]]
    rows = [sorted(docs, key=lambda r: r["doc_id"]), sorted(sentences, key=lambda r: r["id"])]
    return hashlib.sha256(json.dumps(rows, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def test_the_validation_split_is_the_1x_seed_data():
    import pyarrow.parquet as pq

    data = CORPUS_DIR / "data"
    documents = pq.read_table(data / "documents" / "validation-00000-of-00001.parquet").to_pylist()
    sentences = pq.read_table(data / "sentences" / "validation-00000-of-00001.parquet").to_pylist()
    assert _canonical(documents, sentences) == V1_SEEDS_SHA256
    assert {r["doc_id"] for r in documents} == {d for d, p in read_provenance().items() if p.split == "validation"}
