"""A result record as a readable table for the terminal."""
from __future__ import annotations

from corpus.labels import LABELS

from .result import Result


def format_record(record: Result | dict) -> str:
    record = Result.of(record)
    ds, ex, sc = record.dataset, record.extractor, record.scores
    lines = [f"troopclaims {ds['version']} ({ds['fingerprint'][:19]}...), {ds['documents']} documents, "
             f"{ds['sentences']} sentences",
             f"extractor {ex['name']} ({ex['kind']}{', ' + ex['version'] if ex.get('version') else ''})",
             "",
             f"seqeval {record.settings['mode']} {record.settings['scheme']}"]
    lines.append(f"{'label':<14}{'precision':>10}{'recall':>10}{'f1':>10}{'support':>9}{'tp':>6}{'fp':>6}{'fn':>6}")
    strict = record.strict
    rows = [(label, strict["labels"][label]) for label in LABELS] + [("micro avg", strict["micro"])]
    for name, s in rows:
        lines.append(f"{name:<14}{s['precision']:>10.3f}{s['recall']:>10.3f}{s['f1']:>10.3f}"
                     f"{s['support']:>9}{s['tp']:>6}{s['fp']:>6}{s['fn']:>6}")
    m = strict["macro"]
    lines.append(f"{'macro avg':<14}{m['precision']:>10.3f}{m['recall']:>10.3f}{m['f1']:>10.3f}")
    lines.append(f"seqeval default (conlleval) micro f1: {sc['seqeval_default']['micro']['f1']:.3f}")
    lines.append("")
    lines.append("span matching (SemEval-2013)")
    lines.append(f"{'scheme':<10}{'correct':>9}{'incorrect':>10}{'partial':>9}{'missed':>8}{'spurious':>9}{'f1':>8}")
    for scheme, c in sc["spans"]["overall"].items():
        lines.append(f"{scheme:<10}{c['correct']:>9}{c['incorrect']:>10}{c['partial']:>9}{c['missed']:>8}"
                     f"{c['spurious']:>9}{c['f1']:>8.3f}")
    if record.claims:
        c = record.claims
        lines += ["", f"claims (quantity matched exactly): {c['matched']} of {c['gold']} gold, {c['predicted']} "
                      f"predicted; precision {c['precision']:.3f}, recall {c['recall']:.3f}, f1 {c['f1']:.3f}, "
                      f"full f1 {c['full_f1']:.3f}"]
        if c["matched"]:
            lines.append(f"on matched claims: source {c['source_accuracy']:.3f}, date {c['date_accuracy']:.3f}, "
                         f"value {c['value_accuracy']:.3f}, ISO date {c['date_value_accuracy']:.3f}, "
                         f"target {c.get('target_accuracy', 0.0):.3f}")
    m = record.mentions
    if m is not None:
        lines += ["", f"mention strings: {m['normalized']} found only after normalization, {m['duplicates']} "
                      f"duplicate(s) counted once, {len(m['unaligned'])} not in the text (false positives)"]
        lines += [f"  {u['doc_id']} {u['where']}: {u['label']} {u['text']!r}: {u['reason']}"
                  for u in m["unaligned"][:20]]
        if len(m["unaligned"]) > 20:
            lines.append(f"  ... and {len(m['unaligned']) - 20} more (all in the record)")
    if record.notes:
        lines += ["", f"notes ({len(record.notes)}):"] + [f"  {n}" for n in record.notes]
    a = record.alignment
    lines.append("")
    lines.append(f"alignment: {a['predicted']} predicted spans; {a['snapped']} widened to token boundaries, "
                 f"{a['split']} cut at sentence breaks, {a['dropped']} covering no token dropped, "
                 f"{a['ill_formed_tags']} ill-formed IOB2 tags (I-X not continuing an X: no entity in strict "
                 "mode, one in default mode; each located in the record)")
    return "\n".join(lines)
