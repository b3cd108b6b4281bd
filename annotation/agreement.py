"""Inter-annotator agreement between two independent passes, with the project's own span matching.

Pass A is the reference; exact-match F1 is symmetric, and so is overlap F1
because pairing is one-to-one. Overlap F1 is SemEval's ``ent_type`` scheme:
same label, overlapping boundaries.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

from corpus.gold import read_gold
from corpus.labels import LABELS
from corpus.seeds import load_seeds
from corpus.spanmatch import SpanMatch, match_spans
from corpus.types import CLAIM_VALUES, Document


Passes = tuple[dict[str, Document], dict[str, Document]]


def read_passes(pass_a: Path, pass_b: Path, texts: dict[str, str] | None = None) -> Passes:
    """Both passes' documents by id, over the documents both have a file for.

    A round's pass folders hold only that round's documents; a document one
    annotator skipped is left out of the comparison (and listed by the round).
    """
    texts = load_seeds() if texts is None else texts
    a, b = read_gold(texts, pass_a, targets_required=False), read_gold(texts, pass_b, targets_required=False)
    both = [d for d in texts if (pass_a / f"{d}.jsonl").exists() and (pass_b / f"{d}.jsonl").exists()]
    return {d: a[d] for d in both}, {d: b[d] for d in both}


def agreement(passes: Passes) -> tuple[SpanMatch, dict[str, SpanMatch]]:
    """Overall and per-document span matching of pass B against pass A."""
    a, b = passes
    total, per_doc = SpanMatch(), {}
    for doc_id in a:
        per_doc[doc_id] = match_spans(a[doc_id].spans, b[doc_id].spans)
        total.add(per_doc[doc_id])
    return total, per_doc


def format_agreement(total: SpanMatch, per_doc: dict[str, SpanMatch]) -> str:
    """A Markdown table: exact and overlap F1 per label, with the counts behind them; then one row per
    document of ``per_doc`` (none when it is empty)."""
    lines = ["| label | exact-match F1 | overlap F1 | both agree | boundary differs | label differs | only in A | only in B |",
             "|---|---|---|---|---|---|---|---|"]
    rows = [(label, total.labels[label]) for label in LABELS] + [("all", total.overall)]
    for name, by in rows:
        strict, ent = by["strict"], by["ent_type"]
        boundary = ent.correct - strict.correct
        label_diff = strict.incorrect - boundary
        lines.append(f"| {name} | {strict.f1:.3f} | {ent.f1:.3f} | {strict.correct} | {boundary} | {label_diff} "
                     f"| {strict.missed} | {strict.spurious} |")
    if per_doc:
        lines += ["", "| document | exact-match F1 | overlap F1 |", "|---|---|---|"]
    for doc_id, m in per_doc.items():
        lines.append(f"| `{doc_id}` | {m.overall['strict'].f1:.3f} | {m.overall['ent_type'].f1:.3f} |")
    return "\n".join(lines)


def disagreements(passes: Passes) -> list[str]:
    """One line per span the passes do not share exactly, with its sentence context, for adjudication."""
    from corpus.spanmatch import pair_spans

    a, b = passes
    lines = []
    for doc_id in a:
        text = a[doc_id].text
        for ga, gb, kind in pair_spans(a[doc_id].spans, b[doc_id].spans):
            if kind == "same":
                continue
            anchor = ga or gb
            lo = max(text.rfind("\n", 0, anchor.start), text.rfind(". ", 0, anchor.start)) + 1
            context = text[lo:anchor.end + 40].split("\n")[0].strip()
            show = lambda s: f"{s.label} [{s.start}, {s.end}) {s.text!r}" if s else "-"  # noqa: E731
            lines.append(f"{doc_id} {kind:<13} A: {show(ga):<55} B: {show(gb):<55} | {context}")
    return lines


CLAIM_FIELDS = ("source", "date", *CLAIM_VALUES)


def _claim_views(doc: Document) -> dict[tuple[int, int], dict]:
    """Claims keyed by their QUANTITY's offsets, links as offsets: ids differ between passes, text does not."""
    spans = doc.span_by_id()

    def where(ref):
        return (spans[ref].start, spans[ref].end, spans[ref].text) if ref in spans else None

    views = {}
    for c in doc.claims:
        q = spans.get(c.quantity)
        if q is not None:
            views[(q.start, q.end)] = {"quantity": q.text, "source": where(c.source), "date": where(c.date),
                                       **c.values()}
    return views


def _shown(value):
    """A linked span by its text, a value as it is."""
    return value[2] if isinstance(value, tuple) else value


def claim_agreement(passes: Passes) -> tuple[int, int, Counter, list[str]]:
    """(claims of A, claims of B identical to them, differing fields counted, one line per difference).

    A claim of A is identical in B when B has a claim on the same QUANTITY
    span with the same source and date spans and the same normalized values.
    Publication dates that differ get a line too (they anchor relative dates).
    """
    a, b = passes
    total, same, fields, lines = 0, 0, Counter(), []
    for doc_id in a:
        if a[doc_id].published != b[doc_id].published:
            lines.append(f"{doc_id} published      A: {a[doc_id].published}  B: {b[doc_id].published}")
        va, vb = _claim_views(a[doc_id]), _claim_views(b[doc_id])
        for key, ca in va.items():
            total += 1
            cb = vb.get(key)
            if cb is None:
                fields["no claim"] += 1
                lines.append(f"{doc_id} claim {ca['quantity']!r}: no claim on this quantity in B")
                continue
            differ = [f for f in CLAIM_FIELDS if ca[f] != cb[f]]
            same += not differ
            fields.update(differ)
            for f in differ:
                lines.append(f"{doc_id} claim {ca['quantity']!r} {f:<12} A: {_shown(ca[f])!r}  B: {_shown(cb[f])!r}")
    return total, same, fields, lines


def target_agreement(passes: Passes) -> tuple[int, int, float | None, Counter]:
    """(claims matched on their QUANTITY with a target in both passes, those with the same target,
    Cohen's kappa, the differing (A, B) target pairs counted).

    Passes made before targets existed have none: then (0, 0, None, {}).
    """
    a, b = passes
    pairs = []
    for doc_id in a:
        va, vb = _claim_views(a[doc_id]), _claim_views(b[doc_id])
        pairs += [(ca["target"], vb[key]["target"]) for key, ca in va.items()
                  if key in vb and ca["target"] is not None and vb[key]["target"] is not None]
    same = sum(x == y for x, y in pairs)
    return len(pairs), same, _kappa(pairs), Counter(p for p in pairs if p[0] != p[1])


def _kappa(pairs: list[tuple[str, str]]) -> float | None:
    """Cohen's kappa: agreement beyond what the two passes' own target frequencies give by chance."""
    if not pairs:
        return None
    n = len(pairs)
    observed = sum(x == y for x, y in pairs) / n
    ca, cb = Counter(x for x, _ in pairs), Counter(y for _, y in pairs)
    expected = sum(ca[t] * cb[t] for t in ca) / n / n
    return 1.0 if expected == 1 else (observed - expected) / (1 - expected)


def format_target_agreement(n: int, same: int, kappa: float | None, differ: Counter) -> str:
    if not n:
        return "Targets: neither pass has claim targets on the same quantities"
    pairs = ", ".join(f"{x} vs {y} {k}" for (x, y), k in sorted(differ.items())) or "none"
    return (f"Targets: {same} of {n} matched claims agree ({same / n:.3f}; Cohen's kappa {kappa:.3f}); "
            f"differing (A vs B): {pairs}")


def format_claim_agreement(total: int, same: int, fields: Counter) -> str:
    differ = ", ".join(f"{f} {n}" for f, n in sorted(fields.items())) or "none"
    return f"Claims: {same} of {total} identical (quantity, source and date spans, values); differing fields: {differ}"
