"""A result record's predictions: stored with its figures, read back, and scored again.

A record made elsewhere is ranked only if its figures are what its own
predictions score against the current gold (HELM keeps raw outputs for the
same reason): a record with a changed F1, or per-sentence counts moved
between tp, fp and fn, is refused, naming the figure. The stored form is the
offsets predictions file `troopclaims align` writes (one object per
document, with the strings not in the text), plus the raw IOB2 tags of tag
input and the strings given for answers given as strings
(eval/RESULT_FORMAT.md, ``predictions``).
"""
from __future__ import annotations

import json
from dataclasses import asdict, replace

from corpus.errors import FormatError, PredictionError, TroopclaimsError
from corpus.labels import TAGS

from .predictions import Predictions, parse_offset_records, tag_predictions
from .result import Result

# What a re-score recomputes and must find unchanged; the rest (name, times, libraries) says how it was made.
FIGURES = ("scores", "per_document", "per_sentence", "alignment", "mentions")


def stored_predictions(preds: Predictions) -> dict:
    """The predictions a record was scored from, as it stores them."""
    documents = []
    for doc_id in sorted(preds.documents):
        doc = preds.documents[doc_id]
        line = {"doc_id": doc_id, "spans": [s.to_json() for s in doc.spans], "claims": [c.to_json() for c in doc.claims]}
        if preds.unaligned is not None and doc_id in preds.unaligned:
            line["unaligned"] = [asdict(u) for u in preds.unaligned[doc_id]]
        documents.append(line)
    out: dict = {"documents": documents}
    if preds.tags is not None:
        out["tags"] = {d: preds.tags[d] for d in sorted(preds.tags)}
    if preds.answers is not None:
        out["answers"] = [{"doc_id": d, **{k: [asdict(x) for x in getattr(a, k)] for k in ("mentions", "claims")},
                           "notes": list(a.notes)} for d, a in sorted(preds.answers.items())]
    return out


def read_stored(stored, gold, where: str, ill_formed=()) -> Predictions:
    """A record's ``predictions`` read back with the checks every predictions input gets."""
    from .mentions import align_all, parse_mention_records

    if not isinstance(stored, dict) or not isinstance(stored.get("documents"), list) or \
            set(stored) - {"documents", "tags", "answers"}:
        raise FormatError(f"{where}: expected an object with 'documents' (a list, one object per document) and "
                          "optionally 'tags' and 'answers' (eval/RESULT_FORMAT.md)")
    texts = {d: doc.text for d, doc in gold.documents.items()}
    preds = parse_offset_records(_listed(stored["documents"], f"{where}.documents"), texts, f"{where}.documents")
    if "tags" in stored:
        tags = stored["tags"]
        if not _tags_fit(tags, gold.sentences):
            raise FormatError(f"{where}.tags: expected, per document, one list of IOB2 tags ({', '.join(TAGS)}) "
                              "per gold sentence, one tag per gold token")
        line_of = {(e.get("doc_id"), e.get("sentence"), e.get("token")): e.get("line") for e in ill_formed
                   if isinstance(e, dict)}
        from_tags = tag_predictions(tags, texts, gold.sentences, line_of)
        if from_tags.documents != preds.documents:
            raise FormatError(f"{where}.documents: not the spans its tags give; the predictions were changed")
        preds = from_tags
    if "answers" in stored:
        answers = stored["answers"]
        if not isinstance(answers, list) or not all(isinstance(a, dict) for a in answers):
            raise FormatError(f"{where}.answers: expected a list of objects {{doc_id, mentions, claims, notes}}")
        notes = {a.get("doc_id"): a.get("notes") or [] for a in answers}
        if not all(isinstance(n, list) and all(isinstance(x, str) for x in n) for n in notes.values()):
            raise FormatError(f"{where}.answers: notes must be lists of strings")
        asked = {d: texts[d] for d in notes if d in texts}
        parsed = parse_mention_records(_listed([{k: v for k, v in a.items() if k != "notes"} for a in answers],
                                               f"{where}.answers"), asked, f"{where}.answers")
        aligned = align_all({d: replace(a, notes=tuple(notes[d])) for d, a in parsed.items()}, asked)
        for doc_id in sorted(asked):
            if aligned.documents[doc_id] != preds.documents[doc_id] or \
                    aligned.unaligned[doc_id] != (preds.unaligned or {}).get(doc_id, []):
                raise FormatError(f"{where}.documents: document {doc_id} is not the alignment of its answer in "
                                  f"{where}.answers; the predictions were changed")
        preds = replace(preds, unaligned={**(preds.unaligned or {}), **aligned.unaligned},
                        normalized=aligned.normalized, duplicates=aligned.duplicates, notes=aligned.notes,
                        answers=aligned.answers)
    return preds


def _listed(values: list, name: str):
    """``(where, value)`` pairs for a stored list, each named by its index (the record was decoded once, with
    every check ``corpus.io.parse_json`` makes)."""
    return ((f"{name}[{i}]", v) for i, v in enumerate(values))


def _tags_fit(tags, sentences) -> bool:
    """One IOB2 tag per gold token, sentence by sentence, for every gold document."""
    if not isinstance(tags, dict) or sorted(tags) != sorted(sentences):
        return False
    for doc_id, sents in sentences.items():
        given = tags[doc_id]
        if not isinstance(given, list) or len(given) != len(sents):
            return False
        for sent, row in zip(sents, given):
            if not isinstance(row, list) or len(row) != len(sent.tokens) or \
                    not all(isinstance(t, str) and t in TAGS for t in row):
                return False
    return True


def _first_difference(stored, fresh, path: str):
    """The dotted path of the first place ``stored`` and ``fresh`` differ, with both values; None if equal."""
    if isinstance(stored, dict) and isinstance(fresh, dict):
        for key in [*fresh, *(k for k in stored if k not in fresh)]:
            if key not in stored or key not in fresh:
                return f"{path}.{key}", stored.get(key, "missing"), fresh.get(key, "missing")
            found = _first_difference(stored[key], fresh[key], f"{path}.{key}")
            if found:
                return found
        return None
    if isinstance(stored, list) and isinstance(fresh, list) and len(stored) == len(fresh):
        for i, (a, b) in enumerate(zip(stored, fresh)):
            found = _first_difference(a, b, f"{path}[{i}]")
            if found:
                return found
        return None
    same = stored == fresh and type(stored) is type(fresh) or \
        (type(stored) in (int, float) and type(fresh) in (int, float) and stored == fresh)
    return None if same else (path, stored, fresh)


def _shown(value) -> str:
    text = json.dumps(value, default=str)
    return text if len(text) <= 60 else text[:57] + "..."


def rescore(record: Result, gold, where: str):
    """``(record, documents)``: ``record`` re-scored from its own predictions against ``gold``, its figures
    the recomputed ones; refused (naming the figure) when a stored figure differs."""
    from .score import run
    from .sources import Source

    if record.predictions is None:
        raise TroopclaimsError(f"{where}: holds no predictions ({record.format}), so its figures cannot be checked; "
                               "score the system again with this troopclaims (`troopclaims score ... --out`)")
    try:
        preds = read_stored(record.predictions, gold, f"{where}: predictions",
                            (record.alignment or {}).get("ill_formed") or ())
    except PredictionError as exc:
        raise FormatError(str(exc)) from None
    source = Source(record.name, record.extractor.get("kind", "?"), record.extractor.get("version"),
                    lambda *_: preds)
    fresh, documents = run(source, gold, with_predictions=False)  # the record's own, read back above
    stored = record.to_json()
    keys = [k for k in FIGURES if k in stored or k in fresh]
    was, now = {k: stored.get(k) for k in keys}, {k: fresh.get(k) for k in keys}
    # the same JSON text means no difference; only a record that differs is walked to say where
    if json.dumps(was) != json.dumps(now) and (diff := _first_difference(was, now, "")):
        figure, was, now = diff
        raise TroopclaimsError(f"{where}: {figure.lstrip('.')} is {_shown(was)} in the record but {_shown(now)} "
                               "when its predictions are scored again; a record's figures must be what its "
                               "predictions score (score the system again instead of editing the record)")
    return replace(record, **{k: fresh[k] for k in FIGURES if k in fresh}), documents


__all__ = ["stored_predictions", "read_stored", "rescore"]
