"""Inter-annotator agreement between two independent passes, with the project's own span matching.

Pass A is the reference; exact-match F1 is symmetric, and so is overlap F1
because pairing is one-to-one. Overlap F1 is SemEval's ``ent_type`` scheme:
same label, overlapping boundaries.
"""
from __future__ import annotations

from pathlib import Path

from corpus.gold import read_gold
from corpus.labels import LABELS
from corpus.seeds import load_seeds
from corpus.spanmatch import SpanMatch, match_spans


def agreement(pass_a: Path, pass_b: Path) -> tuple[SpanMatch, dict[str, SpanMatch]]:
    """Overall and per-document span matching of pass B against pass A."""
    texts = load_seeds()
    a, b = read_gold(texts, pass_a), read_gold(texts, pass_b)
    total, per_doc = SpanMatch(), {}
    for doc_id in texts:
        per_doc[doc_id] = match_spans(a[doc_id].spans, b[doc_id].spans)
        total.add(per_doc[doc_id])
    return total, per_doc


def format_agreement(total: SpanMatch, per_doc: dict[str, SpanMatch]) -> str:
    """A Markdown table: exact and overlap F1 per label, with the counts behind them."""
    lines = ["| label | exact-match F1 | overlap F1 | both agree | boundary differs | label differs | only in A | only in B |",
             "|---|---|---|---|---|---|---|---|"]
    rows = [(label, total.labels[label]) for label in LABELS] + [("all", total.overall)]
    for name, by in rows:
        strict, ent = by["strict"], by["ent_type"]
        boundary = ent.correct - strict.correct
        label_diff = strict.incorrect - boundary
        lines.append(f"| {name} | {strict.f1:.3f} | {ent.f1:.3f} | {strict.correct} | {boundary} | {label_diff} "
                     f"| {strict.missed} | {strict.spurious} |")
    lines += ["", "| document | exact-match F1 | overlap F1 |", "|---|---|---|"]
    for doc_id, m in per_doc.items():
        lines.append(f"| `{doc_id}` | {m.overall['strict'].f1:.3f} | {m.overall['ent_type'].f1:.3f} |")
    return "\n".join(lines)


def disagreements(pass_a: Path, pass_b: Path) -> list[str]:
    """One line per span the passes do not share exactly, with its sentence context, for adjudication."""
    from corpus.spanmatch import pair_spans

    texts = load_seeds()
    a, b = read_gold(texts, pass_a), read_gold(texts, pass_b)
    lines = []
    for doc_id, text in texts.items():
        for ga, gb, kind in pair_spans(a[doc_id].spans, b[doc_id].spans):
            if kind == "same":
                continue
            anchor = ga or gb
            lo = max(text.rfind("\n", 0, anchor.start), text.rfind(". ", 0, anchor.start)) + 1
            context = text[lo:anchor.end + 40].split("\n")[0].strip()
            show = lambda s: f"{s.label} [{s.start}, {s.end}) {s.text!r}" if s else "-"  # noqa: E731
            lines.append(f"{doc_id} {kind:<13} A: {show(ga):<55} B: {show(gb):<55} | {context}")
    return lines
