"""Speed of the claims ledger: 10,000 synthetic claims in 500 documents, picture included.

    python eval/scripts/bench_ledger.py [--repeat 3] [--docs 500] [--claims-per-doc 20]

Each synthetic document is a seed article repeated until it holds enough
claims, with its gold spans shifted along; every claim gets a random target
and, for four in five, a random ISO date (year, month or day precision) in
2024-2026, so the timeline is spread over every panel. Timed, in a fresh
process each repeat: ``ledger()`` over all documents and ``write_ledger()``
(Markdown, CSV, the PNG timeline with every target's panel, the HTML page),
matplotlib's import included. Prints wall and CPU seconds per repeat.
"""
from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def synthetic(n_docs: int, per_doc: int, seed: int = 20241029):
    from corpus.labels import TARGET_NAMES
    from corpus.types import Document
    from eval.goldset import load_goldset

    rng = random.Random(seed)
    gold = load_goldset()
    seeds = [d for d in gold.documents.values() if d.claims]
    docs, bounds = {}, {}
    for i in range(n_docs):
        base = seeds[i % len(seeds)]
        copies = -(-per_doc // len(base.claims))
        step = len(base.text) + 1
        text = "\n".join([base.text] * copies)
        spans, claims = [], []
        for j in range(copies):
            spans += [replace(s, start=s.start + j * step, end=s.end + j * step, id=f"{s.id}_{j}") for s in base.spans]
            for c in base.claims:
                when = None if rng.random() < 0.2 else rng.choice(
                    [f"{rng.randint(2024, 2026)}", f"{rng.randint(2024, 2026)}-{rng.randint(1, 12):02d}",
                     f"{rng.randint(2024, 2026)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"])
                claims.append(replace(c, id=f"{c.id}_{j}", quantity=f"{c.quantity}_{j}",
                                      source=c.source and f"{c.source}_{j}", date=c.date and f"{c.date}_{j}",
                                      date_value=when, target=rng.choice(TARGET_NAMES)))
        doc_id = f"{i:03d}_synthetic"
        docs[doc_id] = Document(doc_id, text, tuple(sorted(spans)), tuple(claims[:per_doc]), base.published)
        bounds[doc_id] = [(s.start + j * step, s.end + j * step) for j in range(copies) for s in gold.sentences[base.id]]
    return docs, bounds


def inner(n_docs: int, per_doc: int) -> None:
    """One timed run in this (fresh) process."""
    docs, bounds = synthetic(n_docs, per_doc)
    texts = {d: doc.text for d, doc in docs.items()}
    with tempfile.TemporaryDirectory() as out:
        wall, cpu = time.perf_counter(), time.process_time()
        from eval.ledger import ledger, write_ledger

        rows = ledger(docs, bounds)
        counts = write_ledger(Path(out), {"gold": rows}, texts, "synthetic ledger")
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"{counts['claims']} claims in {len(docs)} documents, {counts['marks']} marks: "
          f"{wall:.2f} s wall, {cpu:.2f} s CPU")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--docs", type=int, default=500)
    p.add_argument("--claims-per-doc", type=int, default=20)
    p.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.inner:
        inner(args.docs, args.claims_per_doc)
        return
    for _ in range(args.repeat):
        subprocess.run([sys.executable, __file__, "--inner", "--docs", str(args.docs),
                        "--claims-per-doc", str(args.claims_per_doc)], check=True)


if __name__ == "__main__":
    main()
