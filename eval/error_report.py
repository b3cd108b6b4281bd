"""One extractor's errors as a self-contained HTML page: the text with gold and predicted spans marked.

Scores say how often a system is wrong; this page shows where and how, so a
person can see at a glance what it misses. Each document's text is cut into
segments at every gold and predicted span boundary; a segment carries one
class per layer covering it (``g-<outcome>`` for gold, drawn as an underline;
``p-<outcome>`` for predictions, drawn as a background) and a ``title`` naming
the pairs behind it. Gold and predicted spans may overlap each other in any
way without nesting problems, since segments never nest. Outcomes come from
``corpus.spanmatch.pair_spans``, the same pairing the span scores count.
"""
from __future__ import annotations

import html
from collections import Counter
from collections.abc import Mapping
from pathlib import Path

from corpus.io import write_output
from corpus.spanmatch import pair_spans
from corpus.types import Document, Span

from .result import Result

# outcome -> (legend name, pairing kinds behind it, what it means)
OUTCOMES = {
    "tp": ("true positive", ("same",), "same boundaries, same label"),
    "fn": ("false negative", ("missed",), "gold span the system did not find"),
    "fp": ("false positive", ("spurious",), "predicted span overlapping no gold span"),
    "boundary": ("boundary error", ("overlap_label",), "right label, wrong boundaries"),
    "label": ("label error", ("same_bounds", "overlap"), "wrong label (boundaries same or overlapping)"),
}
OUTCOME_OF_KIND = {kind: outcome for outcome, (_, kinds, _) in OUTCOMES.items() for kind in kinds}

# Okabe-Ito colours: distinguishable with the common colour-vision deficiencies.
_COLOURS = {"tp": ("#009E73", "#c8efe1"), "fn": ("#D55E00", "#ffd9c2"), "fp": ("#CC79A7", "#f6d3e8"),
            "boundary": ("#0072B2", "#cfe6f7"), "label": ("#b8860b", "#fbeaa0")}

_CSS = """
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#222;margin:0;background:#f4f4f2}
main{max-width:1200px;margin:0 auto;padding:20px 28px 40px}
h1{font-size:22px;margin:0 0 4px} h2{font-size:18px;margin:0 0 8px} h3{font-size:15px;margin:14px 0 6px}
.meta{color:#555;font-size:13px;margin:0 0 2px} .meta code{font-size:12px}
section.card{background:#fff;border:1px solid #ddd;border-radius:6px;padding:14px 18px;margin:16px 0}
table{border-collapse:collapse;font-size:13px}
th,td{border-bottom:1px solid #e4e4e4;padding:3px 10px;text-align:right;vertical-align:top}
th:first-child,td:first-child{text-align:left} th{background:#fafafa}
td.q{text-align:left;font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px}
tr.total td{font-weight:600;border-top:2px solid #bbb}
table.legend{margin:10px 0 4px} table.legend td,table.legend th{text-align:left;padding:3px 12px 3px 0}
.doctext{white-space:pre-wrap;font:15px/2.05 Georgia,"Times New Roman",serif;background:#fff;
 padding:10px 14px;border:1px solid #e4e4e4;border-radius:4px;overflow-wrap:anywhere}
.s{padding:1px 0}
.ps{margin-left:1px;border-top-left-radius:4px;border-bottom-left-radius:4px}
.pe{margin-right:1px;border-top-right-radius:4px;border-bottom-right-radius:4px}
.swatch{display:inline-block;min-width:3.2em;text-align:center;font-size:12px;line-height:1.7;padding:0 4px;
 margin-right:4px}
a{color:#0b5cad}
"""


def _outcome_css() -> str:
    """Predicted spans get a background, gold spans a thick underline, both in the outcome's colour.

    Missed gold spans also get a hatched background, since they are what the
    page is most for; predicted backgrounds come later and win where both apply.
    """
    gold, pred = [], []
    for outcome, (strong, light) in _COLOURS.items():
        style = "dashed" if outcome == "fn" else "solid"
        gold.append(f".g-{outcome}{{border-bottom:3px {style} {strong}}}")
        pred.append(f".p-{outcome}{{background:{light};box-shadow:inset 0 0 0 1px {strong}}}")
        pred.append(f".b-{outcome}{{background:{strong};color:#fff;border-radius:3px;padding:0 5px;"
                    "font-size:12px;white-space:nowrap}")
    strong, light = _COLOURS["fn"]
    gold.append(f".g-fn{{background:repeating-linear-gradient(135deg,#fff 0 3px,{light} 3px 6px)}}")
    return "\n".join(gold + pred)


def _e(value) -> str:
    return html.escape(str(value), quote=True)


def _quote(span: Span | None, text: str) -> str:
    return "none" if span is None else f"{span.label} '{text[span.start:span.end]}'"


def _describe(gold: Span | None, pred: Span | None, kind: str, text: str) -> str:
    """The hover text of one pair: 'gold Q '25-30 thousand' / predicted Q '30 thousand': boundary error'."""
    return f"gold {_quote(gold, text)} / predicted {_quote(pred, text)}: {OUTCOMES[OUTCOME_OF_KIND[kind]][0]}"


def _marked_text(text: str, pairs: list[tuple[Span | None, Span | None, str]]) -> str:
    """The document text as flat segments, each with the classes and hover text of the spans covering it.

    One sweep over the cuts: a span joins the covering set at its start and leaves at its end, so a long
    document costs its segments, not segments times spans."""
    starting: dict[int, list] = {}  # cut -> entries (order, span, class, pair, is predicted) starting there
    ending: set[int] = set()
    n = len(text)
    cuts = {0, n}
    for i, (g, p, kind) in enumerate(pairs):
        outcome = OUTCOME_OF_KIND[kind]
        for layer, span in (("g", g), ("p", p)):
            if span is not None:
                start, end = max(0, min(span.start, n)), max(0, min(span.end, n))
                starting.setdefault(start, []).append(((layer == "p", i), span, f"{layer}-{outcome}", i, layer == "p"))
                cuts.update((start, end))
                ending.add(end)
    bounds = sorted(cuts)
    plain = not any(c in text for c in "&<>")  # most texts need no escaping
    titles: dict[int, str] = {}  # pair -> its hover text, escaped once (a pair covers many segments)
    out, active = [], []  # active: the entries covering the segment, gold first, each layer in pair order
    for a, b in zip(bounds, bounds[1:]):
        if a in ending:
            active = [e for e in active if e[1].end > a]
        if a in starting:
            active = sorted(active + starting[a], key=lambda e: e[0])
        chunk = text[a:b] if plain else html.escape(text[a:b], quote=False)
        covering = [e for e in active if e[1].start <= a and b <= e[1].end]
        if not covering:
            out.append(chunk)
            continue
        classes = ["s"]
        for _, span, cls, i, predicted in covering:
            classes.append(cls)
            if predicted and span.start == a:
                classes.append("ps")
            if predicted and span.end == b:
                classes.append("pe")
            if i not in titles:
                titles[i] = _e(_describe(*pairs[i], text))
        title = "\n".join(dict.fromkeys(titles[e[3]] for e in covering))
        out.append(f'<span class="{" ".join(dict.fromkeys(classes))}" title="{title}">{chunk}</span>')
    return "".join(out)


def _first(pair) -> int:
    """Where a pair begins: the earlier start of its gold and predicted span."""
    g, p = pair[0], pair[1]
    return p.start if g is None else g.start if p is None else min(g.start, p.start)


def _pairs(gold: Document, pred: Document | None):
    return sorted(pair_spans(gold.spans, pred.spans if pred is not None else ()), key=_first)


def _badge(outcome: str) -> str:
    return f'<span class="b-{outcome}">{_e(OUTCOMES[outcome][0])}</span>'


def _legend() -> str:
    rows = []
    for outcome, (name, kinds, meaning) in OUTCOMES.items():
        gold = f'<span class="swatch g-{outcome}">gold</span>' if outcome != "fp" else ""
        pred = f'<span class="swatch p-{outcome}">predicted</span>' if outcome != "fn" else ""
        rows.append(f"<tr><td>{gold}</td><td>{pred}</td><td>{_badge(outcome)}</td><td>{_e(meaning)}</td>"
                    f'<td class="q">{_e(" / ".join(kinds))}</td></tr>')
    return ('<table class="legend"><thead><tr><th>gold</th><th>predicted</th><th>outcome</th><th>meaning</th>'
            f"<th>pairing kind</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
            '<p class="meta">Gold spans are underlined (dashed and hatched when missed), predicted spans have a '
            "background; hover a span for its gold and predicted label and text.</p>")


def _summary_table(rows: list[tuple[str, Counter, dict]]) -> str:
    head = "".join(f"<th>{_badge(o)}</th>" for o in OUTCOMES)
    body = []
    total = Counter()
    for doc_id, counts, doc_scores in rows:
        total.update(counts)
        strict = doc_scores.get("spans", {}).get("strict", {}).get("f1")
        cells = "".join(f"<td>{counts[o]}</td>" for o in OUTCOMES)
        body.append(f'<tr><td><a href="#doc-{_e(doc_id)}">{_e(doc_id)}</a></td>{cells}'
                    f"<td>{sum(counts[o] for o in OUTCOMES if o != 'fp')}</td>"
                    f"<td>{sum(counts[o] for o in OUTCOMES if o != 'fn')}</td>"
                    f"<td>{'' if strict is None else f'{strict:.3f}'}</td></tr>")
    cells = "".join(f"<td>{total[o]}</td>" for o in OUTCOMES)
    body.append(f'<tr class="total"><td>all documents</td>{cells}'
                f"<td>{sum(total[o] for o in OUTCOMES if o != 'fp')}</td>"
                f"<td>{sum(total[o] for o in OUTCOMES if o != 'fn')}</td><td></td></tr>")
    return (f'<table class="summary"><thead><tr><th>document</th>{head}<th>gold</th><th>predicted</th>'
            f"<th>strict span f1</th></tr></thead><tbody>{''.join(body)}</tbody></table>")


def _error_table(text: str, pairs) -> str:
    rows = []
    for g, p, kind in pairs:
        outcome = OUTCOME_OF_KIND[kind]
        if outcome == "tp":
            continue
        where = _first((g, p))
        cells = []
        for span in (g, p):
            cells.append("<td class=\"q\"></td>" if span is None else
                         f'<td class="q">{_e(span.label)} {_e(repr(text[span.start:span.end]))} '
                         f"[{span.start}, {span.end})</td>")
        rows.append(f"<tr><td>{_badge(outcome)}</td>{''.join(cells)}<td>{where}</td></tr>")
    if not rows:
        return '<p class="meta">No errors in this document.</p>'
    return (f"<details open><summary>{len(rows)} error{'s' if len(rows) != 1 else ''}</summary>"
            '<table class="errors"><thead><tr><th>outcome</th><th style="text-align:left">gold</th>'
            '<th style="text-align:left">predicted</th><th>offset</th></tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table></details>")


def _header(record: Result) -> str:
    ds, ex = record.dataset, record.extractor
    version = f", version {ex['version']}" if ex.get("version") else ""
    kind = f" ({ex['kind']})" if ex.get("kind") else ""
    lines = [f"<h1>Error report: {_e(ex.get('name', '?'))}{_e(kind)}{_e(version)}</h1>",
             f'<p class="meta">dataset {_e(ds.get("name", "troopclaims"))} {_e(ds.get("version", "?"))}, '
             f'fingerprint <code>{_e(ds.get("fingerprint", "?"))}</code>'
             + (f", {_e(ds['documents'])} documents" if "documents" in ds else "") + "</p>"]
    spans = record.scores.get("spans", {}).get("overall", {})
    seqeval = record.strict.get("micro", {})
    scores = [f"{name} {values['f1']:.3f}" for name, values in
              (("span strict f1", spans.get("strict")), ("span partial f1", spans.get("partial")),
               ("seqeval strict micro f1", seqeval)) if values and "f1" in values]
    if scores:
        lines.append(f'<p class="meta">{_e(", ".join(scores))}</p>')
    if record.created:
        lines.append(f'<p class="meta">scored {_e(record.created)}</p>')
    return "\n".join(lines)


def _unaligned(record: Result, doc_id: str) -> str:
    """Strings the extractor gave that are not in the text (eval/ALIGNMENT.md): false positives with no place."""
    items = [u for u in (record.mentions or {}).get("unaligned", []) if u["doc_id"] == doc_id]
    notes = [n for n in record.notes if n.startswith(f"{doc_id}: ")]
    out = ""
    if items:
        rows = "".join(f"<tr><td>{_e(u['label'])}</td><td>{_e(u['text'])}</td><td>{_e(u['where'])}</td>"
                       f"<td>{_e(u['reason'])}</td></tr>" for u in items)
        out += (f"<h3>Not placed in the text ({len(items)}, each a false positive)</h3><table><thead><tr>"
                f"<th>label</th><th>string</th><th>where in the answer</th><th>why</th></tr></thead>"
                f"<tbody>{rows}</tbody></table>")
    if notes:
        out += "<h3>Notes</h3><ul>" + "".join(f"<li>{_e(n.split(': ', 1)[1])}</li>" for n in notes) + "</ul>"
    return out


def render_error_report(record: Result | dict, gold_docs: Mapping[str, Document],
                        predictions: Mapping[str, Document]) -> str:
    """One HTML page (inline CSS, no scripts, everything escaped) showing each document's outcomes.

    ``record`` and ``predictions`` are what ``eval.score.run`` returns; a
    document without predictions counts every gold span as missed.
    """
    record = Result.of(record)
    per_document = record.per_document
    rows, sections = [], []
    for doc_id in sorted(gold_docs):
        gold = gold_docs[doc_id]
        pairs = _pairs(gold, predictions.get(doc_id))
        counts = Counter(OUTCOME_OF_KIND[kind] for _, _, kind in pairs)
        rows.append((doc_id, counts, per_document.get(doc_id, {})))
        summary = ", ".join(f"{counts[o]} {OUTCOMES[o][0]}" for o in OUTCOMES if counts[o]) or "no spans"
        if not gold.spans:
            summary += " (this document has no gold spans: every prediction counts as a false positive)"
        sections.append(
            f'<section class="card" id="doc-{_e(doc_id)}"><h2>{_e(doc_id)}</h2>'
            f'<p class="meta">{_e(summary)}</p>'
            f'<div class="doctext">{_marked_text(gold.text, pairs)}</div>'
            f"<h3>Errors</h3>{_error_table(gold.text, pairs)}{_unaligned(record, doc_id)}</section>")
    title = f"troopclaims error report: {record.name}"
    return ("<!DOCTYPE html>\n"
            f'<html lang="en"><head><meta charset="utf-8"><title>{_e(title)}</title>'
            f"<style>{_CSS}{_outcome_css()}</style></head>\n<body><main>\n"
            f'<section class="card">{_header(record)}{_legend()}</section>\n'
            f'<section class="card"><h2>Per-document summary</h2>{_summary_table(rows)}</section>\n'
            + "\n".join(sections) + "\n</main></body></html>\n")


def write_error_report(path: str | Path, record: Result | dict, gold_docs: Mapping[str, Document],
                       predictions: Mapping[str, Document]) -> Path:
    """Render and write atomically, so a browser never opens a half-written report."""
    path = Path(path)
    write_output(path, render_error_report(record, gold_docs, predictions))
    return path
