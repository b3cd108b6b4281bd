"""Benchmark: the harness's whole score vs seqeval's own strict classification_report.

Builds a synthetic corpus of about 1,000,000 tokens (gold spans plus
predictions with misses, spurious spans, label errors and boundaries inside
tokens), then times, in one process:
  1. the harness: prediction checks, projection onto gold tokens, seqeval
     strict and default modes, SemEval span matching, per-sentence counts;
  2. seqeval.metrics.classification_report(mode="strict", scheme=IOB2) on the
     same gold and projected tag sequences.

Usage: .venv/bin/python eval/scripts/bench_score.py [--tokens 1000000] [--repeat 3]
"""
from __future__ import annotations

import argparse
import random
import time

from corpus.iob import ranges_to_tags, spans_to_tags
from corpus.labels import LABELS
from corpus.types import Document, Span
from eval.goldset import GoldSentence, GoldSet
from eval.score import run
from eval.sources import from_extractor

WORDS = ["troops", "said", "the", "North", "Korea", "sent", "11,000", "in", "November", "officials", "about",
         "Russia", "reported", "thousand", "Kyiv", "intelligence", "2024", "more", "up", "to"]


def synthetic(n_tokens: int, seed: int = 0):
    rng = random.Random(seed)
    docs, sentences, preds = {}, {}, {}
    per_doc = 20_000
    d = 0
    while n_tokens > 0:
        n = min(per_doc, n_tokens)
        n_tokens -= n
        doc_id = f"doc{d:04d}"
        d += 1
        words = [rng.choice(WORDS) for _ in range(n)]
        offsets, pos = [], 0
        for w in words:
            offsets.append((pos, pos + len(w)))
            pos += len(w) + 1
        text = " ".join(words)
        gold_spans, pred_spans, sents = [], [], []
        i, k = 0, 0
        while i < n:
            length = min(rng.randint(8, 40), n - i)
            toks = tuple(offsets[i:i + length])
            j, sent_spans = 0, []
            while j < length:
                if rng.random() < 0.03:
                    w = min(rng.randint(1, 3), length - j)
                    s, e = toks[j][0], toks[j + w - 1][1]
                    label = rng.choice(LABELS)
                    sent_spans.append((s, e, label))
                    r = rng.random()
                    if r < 0.75:
                        pred_spans.append(Span(s, e, label))
                    elif r < 0.85:
                        pred_spans.append(Span(s, e, rng.choice(LABELS)))
                    elif r < 0.92 and e - s > 2:
                        pred_spans.append(Span(s + 1, e, label))  # boundary inside a token
                    j += w + 1
                else:
                    if rng.random() < 0.005:
                        pred_spans.append(Span(toks[j][0], toks[j][1], rng.choice(LABELS)))
                    j += 1
            gold_spans += [Span(s, e, label, text[s:e], f"T{len(gold_spans) + m}")
                           for m, (s, e, label) in enumerate(sent_spans)]
            sents.append(GoldSentence.of(doc_id, k, toks[0][0], toks[-1][1], toks, spans_to_tags(sent_spans, toks)))
            i += length
            k += 1
        docs[doc_id] = Document(doc_id, text, tuple(gold_spans))
        sentences[doc_id] = sents
        preds[doc_id] = Document(doc_id, text, tuple(pred_spans))
    return GoldSet("bench", "sha256:bench", docs, sentences), preds


class Fixed:
    name = "bench.v1"

    def __init__(self, preds):
        self.preds = preds

    def predict(self, docs):
        return [self.preds[d.id] for d in docs]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tokens", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    gold, preds = synthetic(args.tokens)
    n_tok = sum(len(s.tokens) for ss in gold.sentences.values() for s in ss)
    n_sent = sum(len(ss) for ss in gold.sentences.values())
    print(f"synthetic corpus: {n_tok:,} tokens, {n_sent:,} sentences, "
          f"{sum(len(d.spans) for d in gold.documents.values()):,} gold spans, "
          f"{sum(len(d.spans) for d in preds.values()):,} predicted spans")

    from seqeval.metrics import classification_report
    from seqeval.scheme import IOB2

    harness, seqeval_times = [], []
    for _ in range(args.repeat):
        t = time.perf_counter()
        record, _ = run(from_extractor(Fixed(preds)), gold, timeout=3600)
        harness.append(time.perf_counter() - t)
    from eval.project import Alignment, project

    y_true = [s.tags for d in sorted(gold.sentences) for s in gold.sentences[d]]
    y_pred = [ranges_to_tags(r, len(s.tokens)) for d in sorted(gold.sentences)
              for r, s in zip(project(d, list(preds[d].spans), gold.sentences[d], Alignment()), gold.sentences[d])]
    y_true, y_pred = [list(t) for t in y_true], [list(t) for t in y_pred]
    for _ in range(args.repeat):
        t = time.perf_counter()
        report = classification_report(y_true, y_pred, mode="strict", scheme=IOB2, output_dict=True)
        seqeval_times.append(time.perf_counter() - t)
    ours = record["scores"]["seqeval_strict"]["micro"]["f1"]
    assert abs(ours - report["micro avg"]["f1-score"]) < 1e-12, (ours, report["micro avg"]["f1-score"])
    h, s = min(harness), min(seqeval_times)
    print(f"harness whole score (checks + projection + strict + default + span matching): best of "
          f"{args.repeat}: {h:.2f} s  (all: {', '.join(f'{x:.2f}' for x in harness)})")
    print(f"seqeval classification_report strict IOB2 on the same tags: best of {args.repeat}: {s:.2f} s  "
          f"(all: {', '.join(f'{x:.2f}' for x in seqeval_times)})")
    print(f"ratio harness / seqeval: {h / s:.2f}; micro F1 {ours:.4f} equal in both")


if __name__ == "__main__":
    main()
