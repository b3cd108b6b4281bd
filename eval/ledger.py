"""The claims ledger: every claim of every document lined up by what it counts, who claimed it, and when.

One row per claim: its target, the claimed range, the source and date as
written with the date's ISO value, the document and the sentence. Rows are
grouped by target and sorted by ISO date (a coarser date first: ``2024``
before ``2024-10``), then document and position; claims without a date value
are listed apart, never dropped. Given predictions, the gold ledger and the
predicted one are shown side by side: a gold claim the system did not find is
``missed``, a predicted claim on no gold quantity is ``invented`` (pairing as
claim scoring does it, ``eval.claims.pair_claims``).

Outputs (``write_ledger``): ``ledger.md``, ``ledger.csv``, ``ledger.png``
(a timeline per target: each dated claim's range against its date, one
colour per source) and ``ledger.html`` (picture, table and each claim's
sentence with its spans highlighted).
"""
from __future__ import annotations

import csv
import datetime as dt
import html
import io
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from bisect import bisect_right

from corpus.io import write_output
from corpus.labels import TARGET_NAMES
from corpus.types import Claim, Document, Span

from .claims import claim_range, pair_claims

MISSED, INVENTED = "missed", "invented"
NO_SOURCE = "(no source)"
NO_TARGET = "(no target)"
GREY = "#999999"  # sources without a colour of their own
COLUMNS = ("target", "date_value", "range", "quantity", "source", "date", "doc_id", "sentence_index", "claim",
           "status")


@dataclass(frozen=True)
class Entry:
    """One claim in the ledger; ``quantity``/``source``/``date`` are the spans (None when not linked or
    not in the text); ``status`` is empty, ``missed`` or ``invented``."""

    target: str
    date_value: str | None
    low: float | None
    high: float | None
    approximate: bool
    range: str
    quantity: Span | None
    source: Span | None
    date: Span | None
    doc_id: str
    sentence_index: int
    sentence: tuple[int, int]  # offsets of the sentence in the document text
    claim: str
    status: str = ""

    @property
    def source_name(self) -> str:
        return self.source.text if self.source else NO_SOURCE

    def cells(self) -> dict:
        """The row as table cells (the same for Markdown and CSV)."""
        return {"target": self.target, "date_value": self.date_value or "", "range": self.range,
                "quantity": self.quantity.text if self.quantity else "", "source": self.source.text if self.source
                else "", "date": self.date.text if self.date else "", "doc_id": self.doc_id,
                "sentence_index": self.sentence_index, "claim": self.claim, "status": self.status}


def _sort_key(e: Entry):
    order = TARGET_NAMES.index(e.target) if e.target in TARGET_NAMES else len(TARGET_NAMES)
    return (order, e.date_value is None, e.date_value or "", e.doc_id, e.quantity.start if e.quantity else 0,
            e.claim)


Bounds = Mapping[str, list[tuple[int, int]]]  # doc_id -> its sentences' (start, end), in order


def bounds_of(sentences: Mapping[str, list]) -> Bounds:
    """Sentence bounds from the dataset's sentences (``GoldSet.sentences``)."""
    return {d: [(s.start, s.end) for s in sents] for d, sents in sentences.items()}


def _entries(doc: Document, bounds: list[tuple[int, int]], claims: Iterable[tuple[Claim, str]]) -> list[Entry]:
    spans = doc.span_by_id()
    bounds = bounds or [(0, len(doc.text))]
    starts = [b[0] for b in bounds]
    out = []
    for c, status in claims:
        q = spans.get(c.quantity)
        i = max(bisect_right(starts, q.start if q else 0) - 1, 0)
        out.append(Entry(c.target or NO_TARGET, c.date_value, c.low, c.high, c.approximate, claim_range(c), q,
                         spans.get(c.source) if c.source else None, spans.get(c.date) if c.date else None,
                         doc.id, i, bounds[i], c.id, status))
    return out


def ledger(docs: Mapping[str, Document], bounds: Bounds, targets: Iterable[str] | None = None) -> list[Entry]:
    """Every claim of ``docs``, sorted (by target, date, document, position); only ``targets`` if given.
    ``bounds``: each document's sentences (the dataset's, so no tokenizer runs here)."""
    keep = set(targets) if targets else None
    rows = [e for doc in docs.values() for e in _entries(doc, bounds[doc.id], ((c, "") for c in doc.claims))
            if keep is None or e.target in keep]
    return sorted(rows, key=_sort_key)


def compare(gold: Mapping[str, Document], preds: Mapping[str, Document], bounds: Bounds,
            targets: Iterable[str] | None = None) -> tuple[list[Entry], list[Entry]]:
    """(gold ledger with missed claims marked, predicted ledger with invented claims marked)."""
    keep = set(targets) if targets else None
    g_rows, p_rows = [], []
    for doc_id, g in gold.items():
        p = preds[doc_id]
        pairs = pair_claims(g, p)
        g_rows += _entries(g, bounds[doc_id], ((gc, MISSED if pc is None else "") for gc, pc in pairs
                                               if gc is not None))
        p_rows += _entries(p, bounds[doc_id], ((pc, INVENTED if gc is None else "") for gc, pc in pairs
                                               if pc is not None))
    pick = (lambda rows: rows) if keep is None else (lambda rows: [e for e in rows if e.target in keep])
    return sorted(pick(g_rows), key=_sort_key), sorted(pick(p_rows), key=_sort_key)


# ---------------------------------------------------------------- tables


def _md_cell(value) -> str:
    return str(value).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def render_markdown(sides: Mapping[str, list[Entry]]) -> str:
    """One section per ledger (gold, predicted) and target; undated claims listed apart under each target."""
    head = [c for c in COLUMNS if c != "target"]
    lines = []
    for side, rows in sides.items():
        if len(sides) > 1:
            lines += [f"# {side}", ""]
        by_target: dict[str, list[Entry]] = {}
        for e in rows:
            by_target.setdefault(e.target, []).append(e)
        if not by_target:
            lines += ["No claims.", ""]
        for target, entries in by_target.items():
            dated = [e for e in entries if e.date_value]
            undated = [e for e in entries if not e.date_value]
            lines += [f"## {target}: {len(entries)} claim(s), {len(undated)} without a date value", ""]
            for title, part in (("", dated), ("Without a date value", undated)):
                if not part:
                    continue
                if title:
                    lines += [f"{title}:", ""]
                lines += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
                lines += ["| " + " | ".join(_md_cell(e.cells()[k]) for k in head) + " |" for e in part]
                lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def render_csv(sides: Mapping[str, list[Entry]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["ledger", *COLUMNS])
    for side, rows in sides.items():
        for e in rows:
            cells = e.cells()
            w.writerow([side, *(_csv_cell(cells[k]) for k in COLUMNS)])
    return buf.getvalue()


def _csv_cell(value):
    """A cell a spreadsheet will not run as a formula (=, +, -, @ first)."""
    return "'" + value if isinstance(value, str) and value[:1] in ("=", "+", "-", "@") else value


# ---------------------------------------------------------------- picture


_EPOCH = dt.date(1970, 1, 1).toordinal()  # matplotlib's date numbers count days from 1970-01-01


def _days(day: dt.date) -> float:
    return float(day.toordinal() - _EPOCH)


def _period(iso: str) -> tuple[dt.date, dt.date]:
    """First and last day of an ISO date at its precision (2024, 2024-10, 2024-10-03)."""
    parts = [int(p) for p in iso.split("-")]
    if len(parts) == 1:
        return dt.date(parts[0], 1, 1), dt.date(parts[0], 12, 31)
    if len(parts) == 2:
        first = dt.date(parts[0], parts[1], 1)
        nxt = dt.date(parts[0] + (parts[1] == 12), parts[1] % 12 + 1, 1)
        return first, nxt - dt.timedelta(days=1)
    day = dt.date(*parts)
    return day, day


def _palette(entries: Iterable[Entry], size: int = 10) -> dict[str, str]:
    """The most frequent sources get their own colour; the rest, and claims without a source, grey."""
    from matplotlib import colormaps
    from matplotlib.colors import to_hex

    common = [s for s, _ in Counter(e.source_name for e in entries if e.source).most_common(size)]
    colours = [to_hex(c) for c in colormaps["tab10"].colors]
    return {s: colours[i % len(colours)] for i, s in enumerate(sorted(common))}


def plot(sides: Mapping[str, list[Entry]], path: Path | None = None):
    """The timeline figure: one panel per target (rows) and ledger (columns). Each dated claim is one
    marker at the middle of its date's period (a horizontal bar shows the period) and at its claimed
    value, with a vertical bar over its range: ``o`` a value or range, ``^`` at least, ``v`` at most.
    Missed and invented claims get a red ring. Returns the figure; written to ``path`` when given."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    import math

    targets = [t for t in (*TARGET_NAMES, NO_TARGET) if any(e.target == t for rows in sides.values() for e in rows)]
    palette = _palette(e for rows in sides.values() for e in rows if e.date_value and _value(e) is not None)
    handles = [plt.Line2D([], [], marker="o", linestyle="", color=c, label=s) for s, c in palette.items()]
    handles.append(plt.Line2D([], [], marker="o", linestyle="", color=GREY, label="other sources / none"))
    if any(e.status for rows in sides.values() for e in rows):
        handles.append(plt.Line2D([], [], marker="o", linestyle="", markerfacecolor="none", markeredgecolor="red",
                                  markersize=10, label="missed (gold) / invented (predicted)"))
    nrows, ncols = max(len(targets), 1), len(sides)
    legend_height = 0.3 + 0.22 * math.ceil(len(handles) / 3)  # inches below the panels
    height = 2.6 * nrows + legend_height
    fig, axes = plt.subplots(nrows, ncols, figsize=(6.5 * ncols, height), squeeze=False, sharex=True)
    for col, (side, rows) in enumerate(sides.items()):
        for row, target in enumerate(targets or [None]):
            ax = axes[row][col]
            ax.set_title(f"{side}: {target}" if len(sides) > 1 else str(target), fontsize=9, loc="left")
            dated = [e for e in rows if e.target == target and e.date_value and _value(e) is not None]
            _panel(ax, dated, palette, mdates)
            undated = sum(1 for e in rows if e.target == target and not (e.date_value and _value(e) is not None))
            if undated:
                ax.text(0.99, 0.02, f"+{undated} without a date or value (in the table)", transform=ax.transAxes,
                        ha="right", va="bottom", fontsize=7, color="#555555")
    fig.legend(handles=handles, loc="lower center", ncol=3, fontsize=7, frameon=False)
    # Fixed margins in inches (tight_layout measures every tick label: seconds on a big ledger).
    fig.subplots_adjust(left=0.75 / (6.5 * ncols), right=1 - 0.2 / (6.5 * ncols), top=1 - 0.3 / height,
                        bottom=(legend_height + 0.35) / height, hspace=0.45, wspace=0.18)
    if path is not None:
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=110, metadata={"Software": None})
        write_output(path, buf.getvalue())
        plt.close(fig)
    return fig


def _value(e: Entry) -> float | None:
    """Where the marker sits: the value, the middle of a range, or the one bound an open range has."""
    if e.low is not None and e.high is not None:
        return (e.low + e.high) / 2
    return e.low if e.low is not None else e.high


def _panel(ax, dated: list[Entry], palette: dict[str, str], mdates) -> None:
    """One target's timeline: one line collection each for periods and ranges, one scatter per marker shape
    (few artists, so ten thousand claims draw quickly)."""
    from matplotlib.collections import LineCollection
    from matplotlib.ticker import NullFormatter

    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m"))
    ax.tick_params(labelsize=7)
    if not dated:
        ax.set_yticks([])
        ax.text(0.5, 0.5, "no claim with a date value and a number", transform=ax.transAxes, ha="center",
                va="center", fontsize=8, color="#555555")
        return
    ax.set_yscale("log")
    ax.set_ylabel("claimed number", fontsize=7)
    ax.yaxis.set_minor_formatter(NullFormatter())
    ax.grid(True, axis="y", linewidth=0.3, alpha=0.5)
    xs, ys, x_lo, x_hi, y_lo, y_hi, colours, shapes = [], [], [], [], [], [], [], []
    for e in dated:
        first, last = _period(e.date_value)
        x_lo.append(_days(first))
        x_hi.append(_days(last) + 1)
        xs.append((x_lo[-1] + x_hi[-1]) / 2)
        ys.append(_value(e))
        y_lo.append(e.low if e.low is not None else ys[-1])
        y_hi.append(e.high if e.high is not None else ys[-1])
        colours.append(palette.get(e.source_name, GREY))
        shapes.append("o" if e.low is not None and e.high is not None else "^" if e.low is not None else "v")
    positive = [y for y in (*y_lo, *y_hi) if y > 0] or [1]
    ax.set_ylim(min(positive) / 2, max(positive) * 2)  # a single value would give a degenerate log axis
    # Periods and ranges as two line collections added without autolim: matplotlib would otherwise push
    # every segment through the log transform to find the data limits; two corner points say the same.
    ax.add_collection(LineCollection([((a, y), (b, y)) for a, b, y in zip(x_lo, x_hi, ys)], colors=colours,
                                     linewidths=1, alpha=0.45), autolim=False)
    ax.add_collection(LineCollection([((x, a), (x, b)) for x, a, b in zip(xs, y_lo, y_hi)], colors=colours,
                                     linewidths=2, alpha=0.8), autolim=False)
    ax.update_datalim([(min(x_lo), min(positive)), (max(x_hi), max(positive))])
    for shape in sorted(set(shapes)):
        pick = [i for i, m in enumerate(shapes) if m == shape]
        ax.scatter([xs[i] for i in pick], [ys[i] for i in pick], marker=shape, c=[colours[i] for i in pick], s=28,
                   zorder=3, gid="claims")
    flagged = [(x, y) for x, y, e in zip(xs, ys, dated) if e.status]
    if flagged:
        ax.scatter(*zip(*flagged), marker="o", s=110, facecolors="none", edgecolors="red", linewidths=1.2,
                   zorder=4, gid="flagged")


def marks(fig) -> int:
    """How many claim markers a ledger figure holds, read from its plot data (one per dated claim)."""
    return sum(len(c.get_offsets()) for ax in fig.axes for c in ax.collections if c.get_gid() == "claims")


# ---------------------------------------------------------------- HTML


_STYLE = """body{font-family:system-ui,sans-serif;margin:1.5em;max-width:1200px}
table{border-collapse:collapse;font-size:13px;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:3px 6px;
vertical-align:top}th{background:#f3f3f3}mark.q{background:#cfe3f6}mark.a{background:#d5f0d5}
mark.d{background:#fde3c8}tr.missed td{background:#fde8e8}tr.invented td{background:#fff3cd}
.status{font-weight:bold;color:#a00}img{max-width:100%}"""


def _highlight(doc_text: str, e: Entry) -> str:
    start, end = e.sentence
    spans = sorted((s, cls) for s, cls in ((e.quantity, "q"), (e.source, "a"), (e.date, "d"))
                   if s is not None and start <= s.start and s.end <= end)
    out, at = [], start
    for s, cls in spans:
        if s.start < at:
            continue
        out += [html.escape(doc_text[at:s.start]), f'<mark class="{cls}">{html.escape(doc_text[s.start:s.end])}</mark>']
        at = s.end
    out.append(html.escape(doc_text[at:end]))
    return "".join(out)


def render_html(sides: Mapping[str, list[Entry]], texts: Mapping[str, str], picture: str, title: str) -> str:
    """The picture, then per ledger and target a table whose rows show the claim's sentence highlighted
    (quantity blue, source green, date orange)."""
    parts = [f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
             f"<style>{_STYLE}</style></head><body><h1>{html.escape(title)}</h1>",
             f"<p><img src='{html.escape(picture)}' alt='timeline of claims per target'></p>"]
    head = ("date", "ISO", "range", "source", "document", "sentence", "status")
    for side, rows in sides.items():
        parts.append(f"<h2>{html.escape(side)}</h2>")
        by_target: dict[str, list[Entry]] = {}
        for e in rows:
            by_target.setdefault(e.target, []).append(e)
        for target, entries in by_target.items():
            parts.append(f"<h3>{html.escape(target)} ({len(entries)})</h3><table><tr>"
                         + "".join(f"<th>{h}</th>" for h in head) + "</tr>")
            for e in entries:
                cells = (e.date.text if e.date else "", e.date_value or "no date value", e.range,
                         e.source.text if e.source else "", f"{e.doc_id} {e.claim}")
                parts.append(f"<tr class='{e.status}'>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells)
                             + f"<td>{_highlight(texts[e.doc_id], e)}</td>"
                             + f"<td class='status'>{html.escape(e.status)}</td></tr>")
            parts.append("</table>")
    parts.append("</body></html>\n")
    return "".join(parts)


def write_ledger(out_dir: Path, sides: Mapping[str, list[Entry]], texts: Mapping[str, str], title: str) -> dict:
    """Write ledger.md, ledger.csv, ledger.png and ledger.html into ``out_dir``; return the counts."""
    out_dir = Path(out_dir)
    write_output(out_dir / "ledger.md", render_markdown(sides))
    write_output(out_dir / "ledger.csv", render_csv(sides))
    fig = plot(sides, out_dir / "ledger.png")
    write_output(out_dir / "ledger.html", render_html(sides, texts, "ledger.png", title))
    rows = [e for entries in sides.values() for e in entries]
    return {"claims": len(rows), "marks": marks(fig), "undated": sum(1 for e in rows if not e.date_value),
            "missed": sum(e.status == MISSED for e in rows), "invented": sum(e.status == INVENTED for e in rows)}
