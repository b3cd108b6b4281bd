"""The leaderboard: every registered extractor plus any given, ranked, with bootstrap intervals.

Writes a folder: leaderboard.md, leaderboard.csv, leaderboard.png, results/
(one result record per system), errors/ (one HTML error report per system).
The README's table is this script's Markdown, between markers.
"""
from __future__ import annotations

import csv
import io
import re
import sys
from pathlib import Path

from corpus.card import LEADERBOARD_END as END, LEADERBOARD_START as START  # the card shows the table too
from corpus.dataset import DEFAULT_SPLIT
from corpus.errors import TroopclaimsError
from corpus.io import write_output
from corpus.labels import LABELS
from corpus.paths import ROOT

from . import bootstrap
from .goldset import load_goldset
from .ranking import Ranking, Row
from .result import Result, file_name, write_result
from .score import run
from .sources import DEFAULT_TIMEOUT, Source, from_registry
from .stored import check_stored

DEFAULT_OUT = ROOT / "leaderboard"


def _md_code(text: str) -> str:
    """``text`` as a Markdown code span inside a table cell: nothing in it can end the cell or the row,
    or become markup (code spans show HTML as text; ``|`` is escaped, as GFM tables need even there)."""
    text = "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in text).replace("|", "\\|")
    fence = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _csv_cell(text: str) -> str:
    """A string cell that a spreadsheet shows as text, never runs as a formula (=, +, -, @ first)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _plot_label(text: str) -> str:
    """A name as matplotlib draws it literally: ``$`` would start mathtext, a newline a second line."""
    return "".join(c if c.isprintable() else " " for c in text).replace("$", r"\$")


def run_leaderboard(extra: list[Source] = (), out_dir: Path = DEFAULT_OUT, *, samples: int = bootstrap.DEFAULT_SAMPLES,
                    seed: int = bootstrap.DEFAULT_SEED, unit: str = "sentences", timeout: float = DEFAULT_TIMEOUT,
                    progress: bool = True, registered: bool = True, stored: list[Path] = (),
                    split: str = DEFAULT_SPLIT) -> list[Row]:
    """Score every system on ``split``, add ``stored`` result records (run elsewhere, not rerun), write the
    leaderboard folder, and return the ranked rows. Stored records are checked (re-scored) before anything
    runs, and their files land only once the systems run here have run too."""
    from models.registry import offline_names

    gold = load_goldset(split=split)
    out_dir = Path(out_dir)
    todo = ([from_registry(n) for n in offline_names()] if registered else []) + list(extra)
    ranking = Ranking(samples=samples, seed=seed, unit=unit)
    staged = check_stored(list(stored), gold, out_dir, ranking, progress=progress)
    try:
        _check_names(todo, staged.names, stored)
        validation = _run_here(todo, gold, out_dir, ranking, timeout, progress)
        staged.publish(out_dir)
    finally:
        staged.discard()
    rows = ranking.rows()
    for row in rows:
        row.validation = validation.get(row.name)
    write_output(out_dir / "leaderboard.md",
                 render_markdown(rows, gold.version, gold.fingerprint, unit, samples, seed, split))
    write_output(out_dir / "leaderboard.csv", render_csv(rows))
    plot(rows, out_dir / "leaderboard.png", gold.version)
    return rows


def _check_names(todo: list[Source], kept: list[str], stored: list[Path]) -> None:
    """One file per system in results/ and errors/: names (as file names) must differ; something to rank."""
    origins: dict[str, list[str]] = {}
    for name, origin in [(s.name, f"{s.name} ({s.kind})") for s in todo] + \
            [(name, str(p)) for name, p in zip(kept, stored)]:
        origins.setdefault(file_name(name), []).append(origin)
    twice = {n: o for n, o in origins.items() if len(o) > 1}
    if twice:
        name, where = next(iter(twice.items()))
        raise TroopclaimsError(f"two systems named {name}: {' and '.join(where)}; name one otherwise (`troopclaims "
                               "score --name NAME`, or a stored record's extractor.name) so each row is one system")
    if not todo and not kept:
        raise TroopclaimsError("nothing to rank: no registered extractors and none given")


def _run_here(todo: list[Source], gold, out_dir: Path, ranking: Ranking, timeout: float,
              progress: bool) -> dict[str, float]:
    """Each system scored, written (record, error report) and added to ``ranking``. Systems run here (not
    predictions files) are also scored on the validation split (the seed articles) when ranking test, for
    the column that shows how far they drop: their F1 there, by name."""
    from tqdm import tqdm

    from .error_report import write_error_report

    runnable = any(s.kind != "predictions" for s in todo)  # a predictions file answers one split only
    beside = load_goldset(split="validation") if gold.split != "validation" and runnable else None
    validation: dict[str, float] = {}
    bar = tqdm(todo, desc="leaderboard", unit="system", disable=not progress, file=sys.stderr)
    for source in bar:
        bar.set_postfix_str(source.name)
        record, preds = run(source, gold, timeout=timeout)
        result = Result.from_json(record).with_settings(bootstrap=ranking.settings)
        write_result(result, out_dir / "results" / f"{file_name(source.name)}.json")
        write_error_report(out_dir / "errors" / f"{file_name(source.name)}.html", result, gold.documents, preds)
        ranking.add(result)
        if beside is not None and source.kind != "predictions":
            seeds, _ = run(source, beside, timeout=timeout)
            validation[source.name] = seeds["scores"]["seqeval_strict"]["micro"]["f1"]
    return validation


CLAIM_COLUMNS = (("claim F1", "f1"), ("full claim F1", "full_f1"), ("source acc.", "source_accuracy"),
                 ("date acc.", "date_accuracy"), ("value acc.", "value_accuracy"), ("target acc.", "target_accuracy"))


def _claim_cells(record: Result) -> list[str]:
    """Claim-level columns (exact variant): F1 of matched quantities, of complete claims, and link/value accuracy."""
    summary = record.claims
    return [f"{summary[key]:.3f}" if summary and key in summary else "n/a" for _, key in CLAIM_COLUMNS]


def _ci(interval: bootstrap.Interval) -> str:
    return f"[{interval.low:.3f}, {interval.high:.3f}]"


def render_markdown(rows: list[Row], version: str, fp: str, unit: str, samples: int, seed: int,
                    split: str = DEFAULT_SPLIT) -> str:
    head = ["rank", "extractor", f"micro F1 ({split})", "95% CI, sentences", "95% CI, documents", "validation F1",
            "P", "R", *(f"{label} F1" for label in LABELS), "p vs best", *(name for name, _ in CLAIM_COLUMNS)]
    lines = [f"troopclaims {version} (`{fp[:19]}...`), split `{split}`, seqeval strict IOB2. Intervals: {samples} "
             f"bootstrap resamples of sentences and of documents (seed {seed}); validation F1: the same system on "
             f"the seed articles it may have been written from; p: paired bootstrap over {unit}, share of "
             "resamples where the system is at least as good as the best. Claim columns: claims whose quantity "
             "matches exactly (F1), claims right in source, date, values and target too (full F1), and "
             "link/value/target accuracy on matched claims.",
             "",
             "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for i, r in enumerate(rows, 1):
        micro = r.record.strict["micro"]
        cells = [str(i), _md_code(r.name), f"{r.micro:.3f}", _ci(r.intervals["sentences"]),
                 _ci(r.intervals["documents"]), "n/a" if r.validation is None else f"{r.validation:.3f}",
                 f"{micro['precision']:.3f}", f"{micro['recall']:.3f}",
                 *(f"{r.labels[label]:.3f}" for label in LABELS),
                 "best" if r.p_vs_best is None else f"{r.p_vs_best:.3f}", *_claim_cells(r.record)]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def render_csv(rows: list[Row]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["rank", "extractor", "kind", "version", "micro_f1", "micro_f1_low", "micro_f1_high",
                "micro_f1_low_documents", "micro_f1_high_documents", "validation_micro_f1",
                *(f"{label.lower()}_{k}" for label in LABELS for k in ("f1", "f1_low", "f1_high")),
                "p_vs_best", *(key.replace("accuracy", "acc") if key != "f1" else "claim_f1"
                                for _, key in CLAIM_COLUMNS), "dataset_version", "dataset_fingerprint"])
    for i, r in enumerate(rows, 1):
        ex, ds = r.record.extractor, r.record.dataset
        w.writerow([i, _csv_cell(r.name), _csv_cell(ex["kind"]), _csv_cell(ex.get("version") or ""), f"{r.micro:.4f}", f"{r.micro_ci.low:.4f}",
                    f"{r.micro_ci.high:.4f}", f"{r.intervals['documents'].low:.4f}",
                    f"{r.intervals['documents'].high:.4f}", "" if r.validation is None else f"{r.validation:.4f}",
                    *(f"{v:.4f}" for label in LABELS
                      for v in (r.labels[label], r.label_ci[label].low, r.label_ci[label].high)),
                    "" if r.p_vs_best is None else f"{r.p_vs_best:.4f}", *_claim_cells(r.record),
                    ds["version"], ds["fingerprint"]])
    return buf.getvalue()


BARS_UP_TO = 8  # systems; more get one row each (grouped bars would be unreadable)


def plot(rows: list[Row], path: Path, version: str) -> None:
    """Strict F1 with 95% intervals: per label and micro as grouped bars, or one row per system when many."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    if len(rows) > BARS_UP_TO:
        fig = _plot_rows(plt, rows, version)
    else:
        fig = _plot_bars(plt, np, rows, version)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata={"Software": None})
    plt.close(fig)
    write_output(Path(path), buf.getvalue())


def _plot_rows(plt, rows: list[Row], version: str):
    """Micro F1 and its interval, one row per system in rank order, labels' F1 as small marks."""
    fig, ax = plt.subplots(figsize=(8, 1.2 + 0.22 * len(rows)), dpi=110)
    ys = list(range(len(rows)))[::-1]
    for y, r in zip(ys, rows):
        ax.plot([r.micro_ci.low, r.micro_ci.high], [y, y], color="0.35", lw=1.5)
        ax.plot(r.micro, y, "o", color="black", ms=4)
    for marker, label in zip("^sD", LABELS):
        ax.plot([r.labels[label] for r in rows], ys, marker, ms=3.5, alpha=0.7, ls="none", label=f"{label} F1")
    ax.set_yticks(ys, [_plot_label(r.name) for r in rows], fontsize=7)
    ax.set_xlim(0, 1.02)
    ax.set_xlabel("strict micro F1 with 95% bootstrap CI (dots); per-label F1 (marks)")
    ax.set_title(f"troopclaims {version}: {len(rows)} systems")
    ax.legend(fontsize=7, loc="lower left")
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    return fig


def _plot_bars(plt, np, rows: list[Row], version: str):
    groups = [*LABELS, "micro"]
    width = 0.8 / len(rows)
    fig, ax = plt.subplots(figsize=(max(7, 1.6 * len(groups) + 0.4 * len(rows)), 4.2), dpi=110)
    for i, r in enumerate(rows):
        vals = [r.labels[g] for g in LABELS] + [r.micro]
        cis = [r.label_ci[g] for g in LABELS] + [r.micro_ci]
        err = np.array([[max(v - c.low, 0) for v, c in zip(vals, cis)], [max(c.high - v, 0) for v, c in zip(vals, cis)]])
        x = np.arange(len(groups)) + (i - (len(rows) - 1) / 2) * width
        ax.bar(x, vals, width, yerr=err, capsize=3, label=_plot_label(r.name))
    ax.set_xticks(np.arange(len(groups)), groups)
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("strict F1 (95% bootstrap CI)")
    ax.set_title(f"troopclaims {version}: span F1 by label")
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    return fig


def update_readme(table: str, readme: Path = ROOT / "README.md") -> bool:
    """Replace the text between the leaderboard markers; True if the README changed."""
    text = readme.read_text(encoding="utf-8")
    if START not in text or END not in text:
        raise ValueError(f"{readme}: no {START} ... {END} markers")
    new = text[: text.index(START) + len(START)] + "\n" + table + text[text.index(END):]
    if new != text:
        write_output(readme, new)
    return new != text


if __name__ == "__main__":  # `python -m eval.leaderboard`: the same as `troopclaims leaderboard`
    from eval.cli import main

    sys.exit(main(["leaderboard", *sys.argv[1:]]))
