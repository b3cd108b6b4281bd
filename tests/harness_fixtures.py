"""A small hand-made gold, built into a scratch corpus, for harness tests independent of the real gold."""
from corpus.build import build
from corpus.gold import dumps
from corpus.normalize import normalize_quantity
from corpus.types import Claim, Document, Span

A, B = "000_88c46dc548cd37de", "004_cfacce3046a14ca6"
MINI = {
    A: [("CNN", "ATTRIBUTION", 0), ("Ukrainian intelligence", "ATTRIBUTION", 0), ("25-30 thousand", "QUANTITY", 0),
        ("intelligence calculations", "ATTRIBUTION", 0), ("11,000", "QUANTITY", 0), ("November", "DATE", 0),
        ("May 18", "DATE", 0)],
    B: [("up to 100,000", "QUANTITY", 0), ("G20 countries", "ATTRIBUTION", 0), ("up to 100,000", "QUANTITY", 1),
        ("Tuesday, November 19", "DATE", 0)],
}


def find(text, needle, occurrence=0):
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(needle, start + 1)
    return start, start + len(needle)


def mini_docs(texts):
    docs = []
    for doc_id, items in MINI.items():
        text = texts[doc_id]
        spans = []
        for i, (needle, label, occ) in enumerate(items, 1):
            s, e = find(text, needle, occ)
            spans.append(Span(s, e, label, needle, f"T{i}"))
        quantities = [s for s in spans if s.label == "QUANTITY"]
        values = [normalize_quantity(q.text) for q in quantities]
        claims = tuple(Claim(f"C{i}", q.id, low=v.low, high=v.high, approximate=v.approximate, target="other")
                       for i, (q, v) in enumerate(zip(quantities, values), 1))
        docs.append(Document(doc_id, text, tuple(sorted(spans)), claims, "2024-11", "test"))
    return docs


def build_mini_corpus(tmp_path, texts, seeds_dir):
    gold = tmp_path / "mini-gold"
    gold.mkdir()
    for doc in mini_docs(texts):
        (gold / f"{doc.id}.jsonl").write_text(dumps(doc), encoding="utf-8")
    corpus = tmp_path / "mini-corpus"
    corpus.mkdir()
    build(corpus, seeds_dir=seeds_dir, gold_dir=gold, bump="major", message="mini", today="2026-01-01")
    return corpus


SPLIT_COMMANDS = {"score", "align", "claims", "ledger", "leaderboard"}


def on_the_seeds(argv: list[str]) -> list[str]:
    """Tests written from the seed texts run their commands on the validation split (the seeds)."""
    argv = list(argv)
    return argv + ["--split", "validation"] if argv and argv[0] in SPLIT_COMMANDS and "--split" not in argv else argv


def seeds_main(argv) -> int:
    """`troopclaims` on the validation split: `eval.cli.main` for tests written from the seed texts."""
    from eval.cli import main

    return main(on_the_seeds(argv))
