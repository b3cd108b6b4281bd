"""Render an error report for a real run and screenshot it with headless Chromium, to check it by eye.

Why: tests prove the HTML is complete and escaped, not that a person can read
it; this renders a real run so the colours, legend and layout can be looked at.

Usage (from the repository root; Chromium from Debian: `apt-get install -y chromium`):

    .venv/bin/python eval/scripts/check_error_report_render.py \
        [--extractor regex.v1] [--html /tmp/error_report.html] [--png /tmp/error_report.png] \
        [--corpus DIR | --mini] [--no-screenshot] [--window-size 1400,2000]

- ``--extractor``: a registered name or import path (eval.sources.resolve);
  ``gold-demo`` (also the fallback when the name is not registered) scores a
  copy of the gold perturbed so that every outcome appears (given 5+ gold spans).
- The gold is the built dataset (corpus/); when it has no spans yet, or with
  ``--mini``, the small hand-made gold of tests/harness_fixtures.py is built
  into a temporary corpus instead.
- The screenshot runs Chromium with --headless --no-sandbox (needed as root)
  and everything that would reach the network turned off; open the PNG to
  check that the outcome colours are distinguishable and the legend readable.

Prints the paths written; exits non-zero when scoring or the screenshot fails.
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

from corpus.paths import CORPUS_DIR, ROOT, SEEDS_DIR
from corpus.types import Document, Span
from eval.error_report import write_error_report
from eval.goldset import load_goldset
from eval.score import run
from eval.sources import Source, from_extractor, resolve

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--hide-scrollbars"]


class GoldDemo:
    """The gold, perturbed per document so the report shows every outcome: a stand-in when no extractor exists."""

    name = "gold-demo"

    def __init__(self, gold_docs: dict[str, Document]):
        self.gold = gold_docs

    def predict(self, docs):
        out = []
        for doc in docs:
            spans = []
            for i, s in enumerate(self.gold[doc.id].spans):
                if i % 5 == 1:  # missed
                    continue
                if i % 5 == 2 and s.end - s.start > 3:  # boundary error: drop the first word
                    cut = doc.text.find(" ", s.start, s.end - 1)
                    start = cut + 1 if cut != -1 else s.start + 1
                    spans.append(Span(start, s.end, s.label, doc.text[start:s.end]))
                    continue
                if i % 5 == 3:  # label error
                    other = "DATE" if s.label != "DATE" else "QUANTITY"
                    spans.append(Span(s.start, s.end, other, s.text))
                    continue
                spans.append(Span(s.start, s.end, s.label, s.text))
            word = doc.text.find("Russia")  # a spurious span, if it overlaps no gold span
            if word != -1 and not any(s.start < word + 6 and word < s.end for s in self.gold[doc.id].spans):
                spans.append(Span(word, word + 6, "ATTRIBUTION", "Russia"))
            out.append(Document(doc.id, doc.text, tuple(sorted(spans))))
        return out


def _mini_corpus(tmp: Path) -> Path:
    """The hand-made gold of tests/harness_fixtures.py, its claim values filled in by the normalizers."""
    sys.path.insert(0, str(ROOT / "tests"))
    from corpus.build import build
    from corpus.gold import dumps
    from corpus.normalize import normalize_quantity
    from corpus.seeds import load_seeds
    from harness_fixtures import mini_docs

    gold_dir, corpus_dir = tmp / "mini-gold", tmp / "mini-corpus"
    gold_dir.mkdir()
    corpus_dir.mkdir()
    for doc in mini_docs(load_seeds()):
        by_id = doc.span_by_id()
        claims = []
        for c in doc.claims:
            q = normalize_quantity(by_id[c.quantity].text)
            claims.append(replace(c, low=q.low, high=q.high, approximate=q.approximate) if q else c)
        (gold_dir / f"{doc.id}.jsonl").write_text(dumps(replace(doc, claims=tuple(claims))), encoding="utf-8")
    build(corpus_dir, seeds_dir=SEEDS_DIR, gold_dir=gold_dir, bump="major", message="mini", today="2026-01-01")
    return corpus_dir


def _source(spec: str, gold_docs) -> Source:
    if spec != "gold-demo":
        try:
            return resolve(spec)
        except KeyError as exc:
            print(f"{exc}; using gold-demo instead", file=sys.stderr)
    return from_extractor(GoldDemo(gold_docs), name="gold-demo", version="1")


def screenshot(html_path: Path, png_path: Path, window_size: str) -> None:
    """Headless Chromium, offline, with a throwaway profile."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise SystemExit("chromium not found; install it with `apt-get install -y chromium`")
    with tempfile.TemporaryDirectory() as profile:
        cmd = [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--screenshot={png_path}",
               f"--window-size={window_size}", html_path.resolve().as_uri()]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    if proc.returncode != 0 or not png_path.exists():
        raise SystemExit(f"chromium failed ({proc.returncode}): {proc.stderr[-2000:]}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--extractor", default="regex.v1")
    parser.add_argument("--corpus", type=Path, default=CORPUS_DIR)
    parser.add_argument("--mini", action="store_true", help="score against the small hand-made test gold")
    parser.add_argument("--html", type=Path, default=Path("/tmp/error_report.html"))
    parser.add_argument("--png", type=Path, default=Path("/tmp/error_report.png"))
    parser.add_argument("--window-size", default="1400,2000")
    parser.add_argument("--no-screenshot", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        gold = None if args.mini else load_goldset(args.corpus)
        if gold is None or not any(d.spans for d in gold.documents.values()):
            if gold is not None:
                print(f"{args.corpus}: the built gold has no spans yet; using the mini test gold", file=sys.stderr)
            gold = load_goldset(_mini_corpus(Path(tmp)), split="validation")
        record, predictions = run(_source(args.extractor, gold.documents), gold)
    write_error_report(args.html, record, gold.documents, predictions)
    print(f"wrote {args.html}")
    if not args.no_screenshot:
        screenshot(args.html, args.png, args.window_size)
        print(f"wrote {args.png}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
