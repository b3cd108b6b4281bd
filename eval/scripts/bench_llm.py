"""Speed of the text-answer path: alignment on a million tokens, a cached llm.v1 rerun, the leaderboard from stored records.

    python eval/scripts/bench_llm.py [--repeat 3]

1. Aligning the gold written as strings (curly quotes made straight, as LLMs
   do), scaled to about 1,000,000 tokens: as many documents (the five seeds
   repeated) and as one single document (the word index, no quadratic search).
2. llm.v1 over the dataset as a cold process, every reply from the cache: the
   local stand-in server (tests/openai_standin.py) answers a first run, is
   stopped, and the timed reruns could not reach any server.
3. `troopclaims leaderboard --results DIR --only-given` over 50 and 100 stored
   records (1,000 bootstrap resamples), as cold processes.
"""
from __future__ import annotations

import argparse
import copy
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from corpus.align import align  # noqa: E402
from corpus.mentions import Mention, MentionDocument  # noqa: E402
from eval.goldset import load_goldset  # noqa: E402
from tests.openai_standin import Reply, StandIn, doc_of, gold_answer  # noqa: E402

STRAIGHT = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})
TROOPCLAIMS = str(Path(sys.executable).with_name("troopclaims"))


def best_of(repeat: int, fn, clock=time.perf_counter) -> float:
    times = []
    for _ in range(repeat):
        began = clock()
        fn()
        times.append(clock() - began)
    return min(times)


def wall_and_cpu(repeat: int, fn) -> str:
    """In-process work: wall time and this process's CPU time (steadier when other work shares the cores)."""
    return f"{best_of(repeat, fn):.3f} s wall, {best_of(repeat, fn, time.process_time):.3f} s CPU"


def bench_alignment(gold, repeat: int) -> None:
    docs = [gold.documents[d] for d in sorted(gold.documents)]
    tokens = sum(len(s.tokens) for d in docs for s in gold.sentences[d.id])
    copies = -(-1_000_000 // tokens)
    answers = [(d.text, [Mention(s.text.translate(STRAIGHT), s.label) for s in sorted(d.spans)]) for d in docs]
    many = [(text, MentionDocument("d", tuple(ms))) for _ in range(copies) for text, ms in answers]
    n_mentions = sum(len(m.mentions) for _, m in many)

    def run_many():
        for text, answer in many:
            align(text, answer)
    print(f"alignment, {copies * tokens:,} tokens as {len(many):,} documents, {n_mentions:,} mentions: "
          f"{wall_and_cpu(repeat, run_many)}")

    big_text = "\n\n".join(text for _ in range(copies) for text, _ in answers)
    big = MentionDocument("big", tuple(m for _ in range(copies) for _, ms in answers for m in ms))
    spans = len(align(big_text, big).spans)
    print(f"alignment, one document of {len(big_text):,} characters ({copies * tokens:,} tokens), "
          f"{len(big.mentions):,} mentions -> {spans:,} spans: {wall_and_cpu(repeat, lambda: align(big_text, big))}")


def bench_cached_rerun(gold, repeat: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp) / "cache"
        reply = lambda body, n: Reply(content=json.dumps(gold_answer(doc_of(body, gold.documents))))  # noqa: E731
        with StandIn(reply) as server:
            url = server.url
            first = [TROOPCLAIMS, "score", "--extractor", "llm.v1", "--model", "stand-in", "--base-url", url,
                     "--cache-dir", str(cache), "--out", str(Path(tmp) / "first.json")]
            subprocess.run(first, check=True, capture_output=True)
            asked = len(server.log)
        env = {k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")}
        again = first[:-1] + [str(Path(tmp) / "again.json")]
        t = best_of(repeat, lambda: subprocess.run(again, check=True, capture_output=True, env=env))
        a, b = (json.loads((Path(tmp) / f).read_text()) for f in ("first.json", "again.json"))
        same = a["scores"] == b["scores"] and a["per_sentence"] == b["per_sentence"]
        print(f"llm.v1 cached rerun as a cold process (server stopped; first run sent {asked} requests): "
              f"{t:.2f} s wall; same scores: {same}")


def bench_stored_leaderboard(gold, repeat: int) -> None:
    import random

    from eval.score import evaluate
    from eval.sources import from_predictions

    with tempfile.TemporaryDirectory() as tmp:
        answers = Path(tmp) / "a.jsonl"
        answers.write_text("".join(json.dumps({"doc_id": d, **gold_answer(gold.documents[d])}) + "\n"
                                   for d in sorted(gold.documents)), encoding="utf-8")
        base = evaluate(from_predictions(str(answers), "mentions"), gold)
        rng = random.Random(1)
        for n in (50, 100):
            folder = Path(tmp) / f"stored{n}"
            folder.mkdir()
            for i in range(n):
                r = copy.deepcopy(base)
                r["extractor"]["name"] = f"system-{i:03d}"
                for row in r["per_sentence"]["tp_fp_fn"]:  # move some tp to fn/fp: a plausible weaker system
                    for k in range(0, len(row), 3):
                        lost = sum(rng.random() < 0.1 * (i % 10) / 10 for _ in range(row[k]))
                        row[k] -= lost
                        row[k + 2] += lost
                        row[k + 1] += rng.random() < 0.05
                (folder / f"s{i:03d}.json").write_text(json.dumps(r), encoding="utf-8")
            cmd = [TROOPCLAIMS, "leaderboard", "--results", str(folder), "--only-given", "--no-progress",
                   "--out", str(Path(tmp) / f"board{n}")]
            t = best_of(repeat, lambda: subprocess.run(cmd, check=True, capture_output=True))
            print(f"leaderboard from {n} stored records, 1000 resamples, cold process: {t:.2f} s wall")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure; the best is reported")
    args = parser.parse_args()
    gold = load_goldset()
    bench_alignment(gold, args.repeat)
    bench_cached_rerun(gold, args.repeat)
    bench_stored_leaderboard(gold, args.repeat)


if __name__ == "__main__":
    main()
