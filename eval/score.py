"""Score one source of predictions against the gold: the harness's single entry point."""
from __future__ import annotations

import datetime as dt
import time
from bisect import bisect_right

from corpus.labels import LABELS
from corpus.types import Document

from .goldset import GoldSet, load_goldset
from .metrics import MODE, PRF, SCHEME, compare, conlleval_entities, range_entities, strict_entities
from .project import Alignment, project
from .result import FORMAT, library_versions
from .sources import DEFAULT_TIMEOUT, Source
from corpus.spanmatch import SpanMatch, match_spans


def evaluate(source: Source, gold: GoldSet | None = None, *, timeout: float = DEFAULT_TIMEOUT) -> dict:
    """Run ``source`` on every gold document and return the result record (see eval/RESULT_FORMAT.md)."""
    return run(source, gold, timeout=timeout)[0]


def run(source: Source, gold: GoldSet | None = None, *,
        timeout: float = DEFAULT_TIMEOUT) -> tuple[dict, dict[str, Document]]:
    """The result record and the checked predictions it was computed from (for error reports)."""
    gold = gold or load_goldset()
    began = time.perf_counter()
    preds, extras = source.predictions(gold.documents, gold.sentences, timeout)
    predicted_in = time.perf_counter() - began
    ill_formed = extras.get("ill_formed", [])
    alignment = Alignment(ill_formed_tags=len(ill_formed), ill_formed=ill_formed)
    spans = SpanMatch()
    gold_ranges, pred_ranges, sentence_ids = [], [], []
    unaligned = extras.get("unaligned", {})
    hallucinated: set = set()  # strings not in the text, as entities that can only be false positives
    per_document = {}
    for doc_id in sorted(gold.documents):
        sents = gold.sentences[doc_id]
        pred_spans = list(preds[doc_id].spans)
        hallucinated |= _unaligned_entities(unaligned.get(doc_id, ()), sents, len(pred_ranges))
        pred_ranges += project(doc_id, pred_spans, sents, alignment, where=source.name)
        gold_ranges += [s.entities for s in sents]
        sentence_ids += [(doc_id, s.index) for s in sents]
        doc_match = match_spans(gold.documents[doc_id].spans, pred_spans)
        for u in unaligned.get(doc_id, ()):
            doc_match.count_spurious(u.label)
        spans.add(doc_match)
        per_document[doc_id] = {"spans": {s: doc_match.overall[s].as_dict() for s in ("strict", "partial")}}
    gold_entities = range_entities(gold_ranges)
    if "tags" in extras:  # tag input: seqeval reads the tags as given, both ways
        raw = [t for d in sorted(gold.documents) for t in extras["tags"][d]]
        pred_strict, pred_default = strict_entities(raw), conlleval_entities(raw)
    else:  # well-formed IOB2 by construction: both modes read the same entities
        pred_strict = pred_default = range_entities(pred_ranges) | hallucinated
    strict = compare(gold_entities, pred_strict, LABELS)
    default = compare(gold_entities, pred_default, LABELS)
    per_sentence = _per_sentence_counts(gold_entities, pred_strict, len(gold_ranges))
    for doc_id, doc_scores in per_document.items():
        doc_scores["strict_micro_f1"] = _f1([c for (d, _), c in zip(sentence_ids, per_sentence) if d == doc_id])
    record = {
        "format": FORMAT,
        "dataset": {"name": "troopclaims", "version": gold.version, "fingerprint": gold.fingerprint,
                    "config": "sentences", "split": "test", "documents": len(gold.documents),
                    "sentences": len(gold_ranges)},
        "extractor": {"name": source.name, "kind": source.kind, "version": source.version},
        "settings": {"mode": MODE, "scheme": SCHEME, "boundaries": "snapped outward to gold tokens",
                     "timeout_seconds": timeout},
        "libraries": library_versions(),
        "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "duration_seconds": {"predict": round(predicted_in, 3), "total": round(time.perf_counter() - began, 3)},
        "scores": {"seqeval_strict": strict.as_dict(), "seqeval_default": default.as_dict(),
                   "spans": spans.as_dict()},
        "alignment": vars(alignment),
        **({"mentions": _mentions_summary(extras)} if "unaligned" in extras else {}),
        "notes": extras.get("notes", []),
        "per_document": per_document,
        "per_sentence": {"labels": list(LABELS), "ids": [f"{d}-{i:03d}" for d, i in sentence_ids],
                         "tp_fp_fn": per_sentence},
    }
    if any(d.claims for d in gold.documents.values()):
        from .claims import score_claims

        record["scores"]["claims"] = score_claims(gold.documents, preds)
    return record, preds


def _unaligned_entities(unaligned, sents, first: int) -> set:
    """Each string not in the text as an entity at a negative token position of the sentence the answer had
    reached (``anchor``): a false positive under its label in every count, bootstrap included."""
    starts = [s.start for s in sents]
    return {(first + max(bisect_right(starts, u.anchor) - 1, 0), u.label, -i - 1, -i)
            for i, u in enumerate(unaligned)}


def _mentions_summary(extras: dict) -> dict:
    """What the alignment of mention strings did (eval/ALIGNMENT.md)."""
    listed = [{"doc_id": d, "id": u.id, "label": u.label, "text": u.text, "where": u.where, "reason": u.reason}
              for d in sorted(extras["unaligned"]) for u in extras["unaligned"][d]]
    return {"normalized": extras["normalized"], "duplicates": extras["duplicates"], "unaligned": listed}


def _per_sentence_counts(gold: set, pred: set, n: int) -> list[list[int]]:
    """[tp, fp, fn] per label per sentence, flattened: what the bootstrap resamples."""
    counts = [[0] * (3 * len(LABELS)) for _ in range(n)]
    index = {label: i for i, label in enumerate(LABELS)}
    for ent in gold | pred:
        base = 3 * index[ent[1]]
        row = counts[ent[0]]
        if ent in gold and ent in pred:
            row[base] += 1
        elif ent in pred:
            row[base + 1] += 1
        else:
            row[base + 2] += 1
    return counts


def _f1(rows: list[list[int]]) -> float:
    """Micro F1 of per-sentence ``[tp, fp, fn] * labels`` rows."""
    tp, fp, fn = (sum(r[i] for r in rows for i in range(k, len(r), 3)) for k in range(3))
    return PRF(tp, fp, fn).f1
