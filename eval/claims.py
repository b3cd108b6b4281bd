"""Claim-level scoring: who claimed which number, when.

A predicted claim matches a gold claim when their QUANTITY spans have the
same boundaries (``exact``) or overlap (``relaxed``); pairing is one-to-one,
in text order. Matched claims are then scored on:
- ``source_accuracy`` / ``date_accuracy``: the linked ATTRIBUTION / DATE span
  is right (same boundaries, or overlapping in the relaxed variant), or both
  gold and prediction link none;
- ``value_accuracy``: ``[low, high]`` equal to the gold's (relaxed: the two
  intervals overlap; None is an open side);
- ``date_value_accuracy``: the ISO date equals the gold's at the gold's
  precision (``corpus.normalize.iso_matches``);
- ``target_accuracy``: the same target (what the number counts); a claim
  predicted without one is wrong.
``full_f1`` counts a claim as found only when all five are right. A predicted
claim whose quantity string is not in the text counts as predicted and never
matches; a source or date string not in the text is a wrong link.
"""
from __future__ import annotations

from collections.abc import Mapping

from corpus.normalize import iso_matches
from corpus.prf import prf
from corpus.types import Claim, Document, Span

VARIANTS = ("exact", "relaxed")
# A reference to no predicted span: a claim string that was not found in the text (corpus/align.py). Never right.
_UNALIGNED = Span(-1, -1, "", "")


def _ref(spans: dict[str, Span], ref: str | None) -> Span | None:
    return None if ref is None else spans.get(ref, _UNALIGNED)


def _same(a: Span | None, b: Span | None, relaxed: bool) -> bool:
    if a is _UNALIGNED or b is _UNALIGNED:
        return False
    if a is None or b is None:
        return a is None and b is None
    return a.overlaps(b) if relaxed else (a.start, a.end) == (b.start, b.end)


def _interval_ok(g: Claim, p: Claim, relaxed: bool) -> bool:
    if not relaxed:
        return (g.low, g.high) == (p.low, p.high)
    lo_g, hi_g = g.low if g.low is not None else float("-inf"), g.high if g.high is not None else float("inf")
    lo_p, hi_p = p.low if p.low is not None else float("-inf"), p.high if p.high is not None else float("inf")
    return max(lo_g, lo_p) <= min(hi_g, hi_p)


def _prf(tp: int, n_pred: int, n_gold: int) -> dict:
    return dict(zip(("precision", "recall", "f1"), prf(tp, n_pred, n_gold)))


class _Tally:
    def __init__(self):
        self.gold = self.predicted = self.matched = self.full = 0
        self.source = self.date = self.value = self.date_value = self.target = 0

    def add(self, other: _Tally) -> None:
        for k, v in vars(other).items():
            setattr(self, k, getattr(self, k) + v)

    def as_dict(self) -> dict:
        m = self.matched or 1
        return {**_prf(self.matched, self.predicted, self.gold),
                "full_f1": _prf(self.full, self.predicted, self.gold)["f1"],
                "source_accuracy": self.source / m if self.matched else 0.0,
                "date_accuracy": self.date / m if self.matched else 0.0,
                "value_accuracy": self.value / m if self.matched else 0.0,
                "date_value_accuracy": self.date_value / m if self.matched else 0.0,
                "target_accuracy": self.target / m if self.matched else 0.0,
                "gold": self.gold, "predicted": self.predicted, "matched": self.matched, "full": self.full}


def pair_claims(gold: Document, pred: Document, relaxed: bool = False) -> list[tuple[Claim | None, Claim | None]]:
    """Gold and predicted claims paired one-to-one on their QUANTITY spans, in text order: (gold, pred)
    for a match, (gold, None) for a missed claim, (None, pred) for an invented one."""
    g_spans, p_spans = gold.span_by_id(), pred.span_by_id()
    g_claims = sorted(gold.claims, key=lambda c: g_spans[c.quantity].start)
    p_claims = sorted((c for c in pred.claims if c.quantity in p_spans), key=lambda c: p_spans[c.quantity].start)
    used, pairs = {}, []
    for pc in p_claims:
        pq = p_spans[pc.quantity]
        match = next((i for i, gc in enumerate(g_claims)
                      if i not in used and _same(g_spans[gc.quantity], pq, relaxed)), None)
        if match is None:
            pairs.append((None, pc))
        else:
            used[match] = pc
    pairs += [(gc, used.get(i)) for i, gc in enumerate(g_claims)]
    return pairs + [(None, pc) for pc in pred.claims if pc.quantity not in p_spans]


def _score_document(gold: Document, pred: Document, relaxed: bool) -> _Tally:
    t = _Tally()
    g_spans, p_spans = gold.span_by_id(), pred.span_by_id()
    t.gold, t.predicted = len(gold.claims), len(pred.claims)
    for gc, pc in pair_claims(gold, pred, relaxed):
        if gc is None or pc is None:
            continue
        t.matched += 1
        checks = (
            _same(g_spans.get(gc.source), _ref(p_spans, pc.source), relaxed),
            _same(g_spans.get(gc.date), _ref(p_spans, pc.date), relaxed),
            _interval_ok(gc, pc, relaxed),
            iso_matches(pc.date_value, gc.date_value),
            pc.target == gc.target,
        )
        t.source += checks[0]
        t.date += checks[1]
        t.value += checks[2]
        t.date_value += checks[3]
        t.target += checks[4]
        t.full += all(checks)
    return t


def score_claims(gold_docs: Mapping[str, Document], preds: Mapping[str, Document]) -> dict:
    """``summary`` (exact), ``relaxed``, and ``per_document`` (exact) claim scores."""
    out = {}
    per_document = {}
    for variant in VARIANTS:
        total = _Tally()
        for doc_id in sorted(gold_docs):
            t = _score_document(gold_docs[doc_id], preds[doc_id], variant == "relaxed")
            total.add(t)
            if variant == "exact":
                per_document[doc_id] = t.as_dict()
        out[variant] = total.as_dict()
    return {"summary": out["exact"], "relaxed": out["relaxed"], "per_document": per_document}


def claim_rows(doc: Document) -> list[dict]:
    """One row per claim, in text order: what a reader compares across sources."""
    spans = doc.span_by_id()

    def shown(ref):  # a string not found in the text has no span: say so
        return "" if ref is None else spans[ref].text if ref in spans else f"({ref}: not in the text)"

    rows = []
    for c in sorted(doc.claims, key=lambda c: spans[c.quantity].start if c.quantity in spans else len(doc.text)):
        rows.append({"claim": c.id, "quantity": shown(c.quantity), "range": claim_range(c),
                     "source": shown(c.source), "date": shown(c.date), "date_value": c.date_value or "",
                     "target": c.target or "",
                     "offset": spans[c.quantity].start if c.quantity in spans else None})
    return rows


def _fmt(v) -> str:
    return "" if v is None else f"{v:,}" if isinstance(v, int) or float(v).is_integer() else f"{v:,}"


def claim_range(c: Claim) -> str:
    """A claim's normalized bounds as a reader writes them: ~600, <= 100,000, 25,000..30,000."""
    approx = "~" if c.approximate else ""
    if c.low is None and c.high is None:
        return "?"
    if c.low == c.high:
        return f"{approx}{_fmt(c.low)}"
    if c.low is None:
        return f"{approx}<= {_fmt(c.high)}"
    if c.high is None:
        return f"{approx}>= {_fmt(c.low)}"
    return f"{approx}{_fmt(c.low)}..{_fmt(c.high)}"


def format_claims(doc: Document) -> str:
    rows = claim_rows(doc)
    head = ("quantity", "range", "target", "source", "date", "ISO date")
    keys = ("quantity", "range", "target", "source", "date", "date_value")
    widths = [max([len(h)] + [len(r[k]) for r in rows]) for h, k in zip(head, keys)]
    lines = [f"{doc.id} (published {doc.published or 'unknown'}): {len(rows)} claims", "",
             "  ".join(h.ljust(w) for h, w in zip(head, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(r[k].ljust(w) for k, w in zip(keys, widths)).rstrip() for r in rows]
    return "\n".join(lines)
