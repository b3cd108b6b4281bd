"""Score one source of predictions against the gold: the harness's single entry point."""
from __future__ import annotations

import datetime as dt
import time
from bisect import bisect_right

from corpus.labels import LABELS
from corpus.spanmatch import SpanMatch, match_spans
from corpus.types import Document

from .goldset import GoldSet, load_goldset
from .metrics import MODE, PRF, SCHEME, compare, conlleval_entities, range_entities, strict_entities
from .predictions import Predictions
from .project import Alignment, project
from .rescore import stored_predictions
from .result import FORMAT, library_versions
from .sources import DEFAULT_TIMEOUT, Source


def evaluate(source: Source, gold: GoldSet | None = None, *, timeout: float = DEFAULT_TIMEOUT) -> dict:
    """Run ``source`` on every gold document and return the result record (see eval/RESULT_FORMAT.md)."""
    return run(source, gold, timeout=timeout)[0]


def run(source: Source, gold: GoldSet | None = None, *, timeout: float = DEFAULT_TIMEOUT,
        with_predictions: bool = True) -> tuple[dict, dict[str, Document]]:
    """The result record and the checked predictions it was computed from (for error reports).
    ``with_predictions=False`` leaves them out of the record (a re-score keeps the record's own)."""
    gold = gold or load_goldset()
    began = time.perf_counter()
    preds = source.predictions(gold.documents, gold.sentences, timeout)
    predicted_in = time.perf_counter() - began
    alignment = Alignment(ill_formed_tags=len(preds.ill_formed), ill_formed=preds.ill_formed)
    gold_ranges, pred_ranges, sentence_ids = _project(gold, preds, alignment, source.name)
    gold_entities = range_entities(gold_ranges)
    pred_strict, pred_default = _predicted_entities(gold, preds, pred_ranges)
    per_sentence = _per_sentence_counts(gold_entities, pred_strict, len(gold_ranges))
    spans, per_document = _span_matching(gold, preds)
    by_doc: dict[str, list] = {}
    for (doc_id, _), counts in zip(sentence_ids, per_sentence):
        by_doc.setdefault(doc_id, []).append(counts)
    for doc_id, doc_scores in per_document.items():
        doc_scores["strict_micro_f1"] = _f1(by_doc.get(doc_id, []))
    record = {
        "format": FORMAT,
        "dataset": {"name": "troopclaims", "version": gold.version, "fingerprint": gold.fingerprint,
                    "config": "sentences", "split": gold.split, "documents": len(gold.documents),
                    "sentences": len(gold_ranges)},
        "extractor": {"name": source.name, "kind": source.kind, "version": source.version},
        "settings": {"mode": MODE, "scheme": SCHEME, "boundaries": "snapped outward to gold tokens",
                     "timeout_seconds": timeout},
        "libraries": library_versions(),
        "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "duration_seconds": {"predict": round(predicted_in, 3), "total": round(time.perf_counter() - began, 3)},
        "scores": {"seqeval_strict": compare(gold_entities, pred_strict, LABELS).as_dict(),
                   "seqeval_default": compare(gold_entities, pred_default, LABELS).as_dict(),
                   "spans": spans.as_dict()},
        "alignment": vars(alignment),
        **({"mentions": _mentions_summary(preds)} if preds.unaligned is not None else {}),
        "notes": preds.notes,
        "per_document": per_document,
        "per_sentence": {"labels": list(LABELS), "ids": [f"{d}-{i:03d}" for d, i in sentence_ids],
                         "tp_fp_fn": per_sentence},
    }
    if any(d.claims for d in gold.documents.values()):
        from .claims import score_claims

        record["scores"]["claims"] = score_claims(gold.documents, preds.documents)
    if with_predictions:  # what it was scored from: a stored record is re-scored
        record["predictions"] = stored_predictions(preds)
    return record, preds.documents


def _project(gold: GoldSet, preds: Predictions, alignment: Alignment, where: str):
    """Gold and predicted token ranges per sentence, in document order, and the sentences' ids."""
    gold_ranges, pred_ranges, sentence_ids = [], [], []
    for doc_id in sorted(gold.documents):
        sents = gold.sentences[doc_id]
        pred_ranges += project(doc_id, list(preds.documents[doc_id].spans), sents, alignment, where=where)
        gold_ranges += [s.entities for s in sents]
        sentence_ids += [(doc_id, s.index) for s in sents]
    return gold_ranges, pred_ranges, sentence_ids


def _predicted_entities(gold: GoldSet, preds: Predictions, pred_ranges) -> tuple[set, set]:
    """What seqeval's strict and default modes read from the predictions."""
    if preds.tags is not None:  # tag input: seqeval reads the tags as given, both ways
        raw = [t for d in sorted(gold.documents) for t in preds.tags[d]]
        return strict_entities(raw), conlleval_entities(raw)
    made_up, first = set(), 0  # strings not in the text: entities that can only be false positives
    for doc_id in sorted(gold.documents):
        made_up |= _unaligned_entities((preds.unaligned or {}).get(doc_id, ()), gold.sentences[doc_id], first)
        first += len(gold.sentences[doc_id])
    entities = range_entities(pred_ranges) | made_up  # well-formed IOB2 by construction: both modes agree
    return entities, entities


def _span_matching(gold: GoldSet, preds: Predictions) -> tuple[SpanMatch, dict]:
    """SemEval-2013 counts overall and per document; strings not in the text are spurious."""
    spans, per_document = SpanMatch(), {}
    for doc_id in sorted(gold.documents):
        doc_match = match_spans(gold.documents[doc_id].spans, preds.documents[doc_id].spans)
        for u in (preds.unaligned or {}).get(doc_id, ()):
            doc_match.count_spurious(u.label)
        spans.add(doc_match)
        per_document[doc_id] = {"spans": {s: doc_match.overall[s].as_dict() for s in ("strict", "partial")}}
    return spans, per_document


def _unaligned_entities(unaligned, sents, first: int) -> set:
    """Each string not in the text as an entity at a negative token position of the sentence the answer had
    reached (``anchor``): a false positive under its label in every count, bootstrap included."""
    starts = [s.start for s in sents]
    return {(first + max(bisect_right(starts, u.anchor) - 1, 0), u.label, -i - 1, -i)
            for i, u in enumerate(unaligned)}


def _mentions_summary(preds: Predictions) -> dict:
    """What the alignment of mention strings did (eval/ALIGNMENT.md)."""
    listed = [{"doc_id": d, "id": u.id, "label": u.label, "text": u.text, "where": u.where, "reason": u.reason}
              for d in sorted(preds.unaligned) for u in preds.unaligned[d]]
    return {"normalized": preds.normalized, "duplicates": preds.duplicates, "unaligned": listed}


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
