"""Gold Documents <-> Label Studio task JSON, checked against the seed text at the edge.

One task per document. A span is a region of the ``label`` control whose
region id is the span id. A claim sits on its QUANTITY region: per-region
values (claim_id, low, high, date_value, approximate, target) plus relations from
that region to its source (ATTRIBUTION) and date (DATE).

Reading an export back (``from_tasks``):
- the annotation used is the newest (``updated_at``, else ``created_at``)
  one not cancelled (skipped); tasks without one are left out: predictions
  are never gold;
- region ids of the form ``T<n>`` are kept; any other id (Label Studio's
  random ids, an extractor's ``P<n>`` from an accepted prediction) gets the
  next free ``T<n>``, in text order; claims without an id get ``C<n>`` so;
  "free" skips every id in any of the task's annotations, so an id deleted
  in Label Studio is not reused (annotation/GUIDELINES.md: ids are stable);
- a QUANTITY region is a claim when it has a claim id, a value or a
  relation; claims keep the order of their first result item;
- relation direction is ignored (the QUANTITY end is found by label); an
  unlabelled relation takes its meaning from the other end's label;
- claim values left on a region whose label is no longer QUANTITY are stale
  (the UI hides them) and are ignored;
- Label Studio stores a cleared Number field as 0 (checked in the browser),
  so a 0 for one bound is read as "no bound"; low = high = 0 is the quantity zero.
Offsets are Python character indices, which equal the browser's UTF-16
indices for the seeds (no characters outside the BMP); ``value.text`` is
compared with the seed text anyway, so a mismatch is reported, not stored.
"""
from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from typing import Literal, TypedDict, Union

from corpus.errors import FormatError, ProblemsError
from corpus.labels import target_problem
from corpus.types import Claim, Document, Span, span_problems

from .config import (APPROXIMATE, CLAIM_CONTROLS, LABEL, NUMBER_FIELDS, RELATION_BY_LABEL, TARGET, TEXT,
                     VALUE_FIELDS)

SPAN_ID = re.compile(r"T(\d+)")
CLAIM_ID = re.compile(r"C(\d+)")
_INT = re.compile(r"[+-]?\d+")


class RegionValue(TypedDict, total=False):
    start: int
    end: int
    text: str | list[str]  # covered text on label items; the typed entries on TextArea items
    number: int | float  # on Number items (low, high)
    labels: list[str]
    choices: list[str]


class RegionResult(TypedDict, total=False):
    id: str
    from_name: str
    to_name: str
    type: str  # "labels", "textarea", "number" or "choices"
    value: RegionValue


class RelationResult(TypedDict, total=False):
    type: Literal["relation"]
    from_id: str
    to_id: str
    direction: Literal["right", "left", "bi"]
    labels: list[str]


Result = Union[RegionResult, RelationResult]


class Annotation(TypedDict, total=False):
    id: int
    result: list[Result]
    was_cancelled: bool
    created_at: str
    updated_at: str


class Prediction(TypedDict, total=False):
    id: int
    model_version: str
    result: list[Result]


class TaskData(TypedDict):
    text: str
    doc_id: str
    published: str | None
    published_note: str


class Task(TypedDict, total=False):
    id: int
    data: TaskData
    annotations: list[Annotation]
    predictions: list[Prediction]


# ---------------------------------------------------------------- Document -> task


def _format_number(value, where: str) -> str:
    if type(value) is int:
        return str(value)
    if type(value) is float and math.isfinite(value):
        return str(int(value)) if value.is_integer() else repr(value)
    raise FormatError(f"{where}: {value!r} is not a finite number")


def _region(rid: str, span: Span, control: str, kind: str, value: dict) -> RegionResult:
    return {"id": rid, "from_name": control, "to_name": TEXT, "type": kind,
            "value": {"start": span.start, "end": span.end, **value}}


def _span_ids(doc: Document) -> list[str]:
    """Span ids in sorted span order; a span without an id gets the next free T<n>."""
    taken = [int(m[1]) for s in doc.spans if (m := SPAN_ID.fullmatch(s.id))]
    fresh = iter(range(max(taken, default=0) + 1, 10**9))
    return [s.id or f"T{next(fresh)}" for s in sorted(doc.spans)]


def document_result(doc: Document) -> list[Result]:
    """The result list of one document: label regions, then claim values in claim order, then relations."""
    result: list[Result] = []
    by_id: dict[str, Span] = {}
    for span, rid in zip(sorted(doc.spans), _span_ids(doc)):
        where = f"doc {doc.id} span {rid}"
        problems = span_problems(doc.text, span.start, span.end, span.label, span.text)
        if problems:
            raise FormatError(f"{where}: {problems[0]}")
        if rid in by_id:
            raise FormatError(f"{where}: duplicate span id")
        by_id[rid] = span
        result.append(_region(rid, span, LABEL, "labels", {"text": span.text, "labels": [span.label]}))
    claimed: dict[str, str] = {}
    relations: list[Result] = []
    for claim in doc.claims:
        where = f"doc {doc.id} claim {claim.id}"
        if claim.id in claimed.values():
            raise FormatError(f"{where}: duplicate claim id")
        q = by_id.get(claim.quantity)
        if q is None or q.label != "QUANTITY":
            raise FormatError(f"{where}: quantity {claim.quantity!r} is not a QUANTITY span of the document")
        if claim.quantity in claimed:
            raise FormatError(f"{where}: QUANTITY {claim.quantity} already carries claim {claimed[claim.quantity]}")
        claimed[claim.quantity] = claim.id
        values = {"claim_id": claim.id, **claim.values()}
        for name in VALUE_FIELDS:
            if values[name] is None:
                continue
            if name in NUMBER_FIELDS:
                _format_number(values[name], f"{where} {name}")  # finite, or an error naming it
                result.append(_region(claim.quantity, q, name, "number", {"number": values[name]}))
            else:
                result.append(_region(claim.quantity, q, name, "textarea", {"text": [values[name]]}))
        if claim.approximate:
            result.append(_region(claim.quantity, q, APPROXIMATE, "choices",
                                  {"text": q.text, "choices": [APPROXIMATE]}))
        if claim.target is not None:
            problem = target_problem(claim.target)
            if problem:
                raise FormatError(f"{where}: {problem}")
            result.append(_region(claim.quantity, q, TARGET, "choices", {"text": q.text, "choices": [claim.target]}))
        for ref, label in ((claim.source, "ATTRIBUTION"), (claim.date, "DATE")):
            if ref is None:
                continue
            if ref not in by_id or by_id[ref].label != label:
                raise FormatError(f"{where}: {RELATION_BY_LABEL[label]} {ref!r} is not a {label} span of the document")
            relations.append({"type": "relation", "from_id": claim.quantity, "to_id": ref,
                              "direction": "right", "labels": [RELATION_BY_LABEL[label]]})
    return result + relations


def task_data(doc: Document) -> TaskData:
    return {"text": doc.text, "doc_id": doc.id, "published": doc.published, "published_note": doc.published_note}


def to_tasks(docs: Iterable[Document], *, as_predictions: bool = False,
             model_version: str | None = None) -> list[Task]:
    """Label Studio import JSON: gold as annotations, or an extractor's output as predictions of ``model_version``."""
    if as_predictions != bool(model_version):
        raise ValueError("predictions need a model_version (the extractor's name), and only predictions have one")
    tasks: list[Task] = []
    for doc in docs:
        result = document_result(doc)
        task: Task = {"data": task_data(doc)}
        if as_predictions:
            task["predictions"] = [{"model_version": model_version, "result": result}]
        else:
            task["annotations"] = [{"result": result}]
        tasks.append(task)
    return tasks


# ---------------------------------------------------------------- task -> Document


def _when(annotation: Annotation) -> datetime:
    stamp = annotation.get("updated_at") or annotation.get("created_at")
    try:
        when = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except (AttributeError, ValueError):  # none (our own import JSON) or unreadable: oldest
        return datetime.min.replace(tzinfo=timezone.utc)
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


def pick_annotation(task: Task) -> Annotation | None:
    """The newest annotation not cancelled (by updated_at, created_at, id, list position); None if there is none."""
    live = [(i, a) for i, a in enumerate(task.get("annotations") or []) if not a.get("was_cancelled")]
    if not live:
        return None
    return max(live, key=lambda ia: (_when(ia[1]), ia[1].get("id") if type(ia[1].get("id")) is int else 0,
                                     ia[0]))[1]


def task_where(task: Task) -> str:
    data = task.get("data") if isinstance(task, dict) else None
    doc_id = data.get("doc_id") if isinstance(data, dict) else None
    return f"task {task['id']} (doc {doc_id})" if "id" in task else f"task of doc {doc_id}"


class TasksError(ProblemsError, FormatError):
    """Problems in a Label Studio export; ``problems`` lists every one, of every task."""

    where = "the Label Studio tasks"


def _kind(value) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number")


def _shape_problems(task, position: int) -> list[str]:
    """What keeps ``task`` from being read as a Label Studio task at all (before any offset is checked)."""
    if not isinstance(task, dict):
        return [f"task at position {position}: is {_kind(task)}; expected a task object "
                '{"data": {...}, "annotations": [...]}']
    where = task_where(task) if isinstance(task.get("data"), dict) else f"task at position {position}"
    if not isinstance(task.get("data"), dict):
        return [f"{where}: 'data' is {_kind(task.get('data'))}; expected an object with text and doc_id"]
    problems = []
    doc_id = task["data"].get("doc_id")
    if not isinstance(doc_id, str):
        problems.append(f"{where}: data.doc_id is {_kind(doc_id)}; expected a string (the seed's doc id)")
    for key in ("annotations", "predictions"):
        items = task.get(key)
        if items is None:
            continue
        if not isinstance(items, list):
            problems.append(f"{where}: '{key}' is {_kind(items)}; expected a list of objects with a 'result' list")
            continue
        for i, item in enumerate(items):
            if not isinstance(item, dict):
                problems.append(f"{where}: {key}[{i}] is {_kind(item)}; expected an object with a 'result' list")
            elif not isinstance(item.get("result", []), list):
                problems.append(f"{where}: {key}[{i}].result is {_kind(item['result'])}; expected a list")
            else:
                for j, r in enumerate(item.get("result") or []):
                    value = r.get("value") if isinstance(r, dict) else None
                    if not isinstance(r, dict):
                        problems.append(f"{where}: {key}[{i}].result[{j}] is {_kind(r)}; expected an object")
                    elif r.get("type") != "relation" and not isinstance(value, dict):
                        problems.append(f"{where}: {key}[{i}].result[{j}].value is {_kind(value)}; "
                                        "expected an object (start, end, labels or text)")
                    elif r.get("type") == "relation" and not all(isinstance(r.get(k), str) for k in ("from_id", "to_id")):
                        problems.append(f"{where}: {key}[{i}].result[{j}]: a relation's from_id and to_id must be "
                                        "region ids (strings)")
    return problems


def _entries(item: RegionResult, where: str) -> str | None:
    """The one typed entry of a TextArea result, stripped; None when empty."""
    raw = (item.get("value") or {}).get("text")
    raw = [raw] if isinstance(raw, str) else raw
    if not isinstance(raw, list) or not all(isinstance(t, str) for t in raw):
        raise FormatError(f"{where}: expected a list of texts, got {raw!r}")
    entries = [t.strip() for t in raw if t.strip()]
    if len(entries) > 1:
        raise FormatError(f"{where}: several entries {entries}; keep one")
    return entries[0] if entries else None


def _value(item: RegionResult, where: str):
    """A per-region value: a Number's number, or a TextArea's one entry (numbers parsed for low and high)."""
    name = item.get("from_name")
    value = item.get("value") or {}
    if "number" in value:
        number = value["number"]
        if name not in NUMBER_FIELDS:
            raise FormatError(f"{where}: a number where a text is expected")
        if number is None:
            return None
        if type(number) not in (int, float) or not math.isfinite(number):
            raise FormatError(f"{where}: {number!r} is not a number (write 25000, 1.5 or 1.5e6; empty for none)")
        return int(number) if type(number) is float and number.is_integer() else number
    entry = _entries(item, where)
    return _parse_number(entry, where) if name in NUMBER_FIELDS else entry


def _parse_number(text: str | None, where: str):
    if text is None:
        return None
    if _INT.fullmatch(text):
        return int(text)
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise FormatError(f"{where}: {text!r} is not a number (write 25000, 1.5 or 1.5e6; empty for none)")
    return int(value) if value.is_integer() else value


def _check_region(item: RegionResult, text: str, where: str) -> tuple[int, int, str]:
    value = item.get("value") or {}
    start, end, labels = value.get("start"), value.get("end"), value.get("labels")
    if not isinstance(labels, list) or len(labels) != 1:
        raise FormatError(f"{where}: needs exactly one label, got {labels!r}")
    problems = span_problems(text, start, end, labels[0], value.get("text"))
    if problems:
        raise FormatError(f"{where}: {problems[0]}")
    covered = text[start:end]
    if covered != covered.strip():
        raise FormatError(f"{where}: {covered!r} at [{start}, {end}) has leading or trailing whitespace; "
                          "shrink the region to the words")
    return start, end, labels[0]


def _sort_result(result: list, where: str):
    """Split result items into label regions, per-region claim values and relations, by region id."""
    regions: dict[str, tuple[int, RegionResult]] = {}
    values: dict[str, dict[str, tuple[int, RegionResult]]] = {}
    relations: list[tuple[int, RelationResult]] = []
    for i, item in enumerate(result):
        if not isinstance(item, dict):
            raise FormatError(f"{where}: result item {i} is not an object")
        if item.get("type") == "relation":
            relations.append((i, item))
            continue
        rid, control = item.get("id"), item.get("from_name")
        at = f"{where} region {rid}"
        if not isinstance(rid, str) or not rid:
            raise FormatError(f"{where}: result item {i} ({control}) has no region id")
        if item.get("to_name") != TEXT or control not in (LABEL, *CLAIM_CONTROLS):
            raise FormatError(f"{at}: unknown control {control!r} on {item.get('to_name')!r}; the project's "
                              "labeling config is not troopclaims' (run `troopclaims ls push` to update it)")
        if control == LABEL:
            if rid in regions:
                raise FormatError(f"{at}: two label results with the same region id")
            regions[rid] = (i, item)
        elif control in values.setdefault(rid, {}):
            raise FormatError(f"{at}: two {control} results")
        else:
            values[rid][control] = (i, item)
    for rid in sorted(values.keys() - regions.keys()):
        raise FormatError(f"{where} region {rid}: claim values for a region that has no label result")
    return regions, values, relations


def _links(relations, labels: dict[str, str], where: str) -> dict[str, dict[str, tuple[int, str]]]:
    """QUANTITY region id -> {"source"|"date": (result position, region id)}."""
    links: dict[str, dict[str, tuple[int, str]]] = {}
    for i, rel in relations:
        a, b = rel.get("from_id"), rel.get("to_id")
        at = f"{where} relation {a} -> {b}"
        for end in (a, b):
            if end not in labels:
                raise FormatError(f"{at}: refers to region {end!r}, which is not in the annotation")
        if labels[a] == "QUANTITY" and labels[b] in RELATION_BY_LABEL:
            q, other = a, b
        elif labels[b] == "QUANTITY" and labels[a] in RELATION_BY_LABEL:
            q, other = b, a
        else:
            raise FormatError(f"{at}: links a {labels[a]} to a {labels[b]}; a relation links a QUANTITY to "
                              "an ATTRIBUTION (source) or a DATE (date)")
        kind = RELATION_BY_LABEL[labels[other]]
        given = rel.get("labels") or []
        if any(label != kind for label in given):
            raise FormatError(f"{at}: labelled {given} but {other} is a {labels[other]}: label it {kind!r}")
        previous = links.setdefault(q, {}).get(kind)
        if previous and previous[1] != other:
            raise FormatError(f"{where} region {q}: QUANTITY has two {kind}s, {previous[1]} and {other}; "
                              f"a claim has at most one")
        if not previous:
            links[q][kind] = (i, other)
    return links


def _fresh(taken: Iterable[str], pattern: re.Pattern, prefix: str):
    numbers = [int(m[1]) for t in taken if (m := pattern.fullmatch(t))]
    return (f"{prefix}{n}" for n in range(max(numbers, default=0) + 1, 10**9))


def _claims(values, links, checked, ids: dict[str, str], text: str, where: str,
            reserved: set[str]) -> tuple[Claim, ...]:
    """Claims of the QUANTITY regions that carry a value or a relation, in the order of their first result item."""
    found = []
    for rid, (start, end, label) in checked.items():
        if label != "QUANTITY":
            continue
        at = f"{where} region {rid} {text[start:end]!r}"
        items, link = values.get(rid, {}), links.get(rid, {})
        got = {name: _value(items[name][1], f"{at} {name}") for name in VALUE_FIELDS if name in items}
        choices = (items[APPROXIMATE][1].get("value") or {}).get("choices") if APPROXIMATE in items else []
        if not isinstance(choices, list) or any(c != APPROXIMATE for c in choices):
            raise FormatError(f"{at} {APPROXIMATE}: unexpected choices {choices!r}")
        target = (items[TARGET][1].get("value") or {}).get("choices") if TARGET in items else None
        if target is not None:
            problem = (target_problem(target[0]) if isinstance(target, list) and len(target) == 1
                       else f"target must be one choice, got {target!r}")
            if problem:
                raise FormatError(f"{at} {TARGET}: {problem}")
            target = target[0]
        if got.get("low") == 0 and got.get("high") != 0:  # a cleared Number field is stored as 0: no bound
            got["low"] = None
        if got.get("high") == 0 and got.get("low") != 0:
            got["high"] = None
        if any(v is not None for v in got.values()) or choices or target or link:
            position = min([i for i, _ in items.values()] + [i for i, _ in link.values()])
            found.append((position, rid, at, got, bool(choices), target, link))
    found.sort(key=lambda f: f[0])
    fresh = _fresh({got["claim_id"] for _, _, _, got, *_ in found if got.get("claim_id")} | reserved, CLAIM_ID, "C")
    claims, seen = [], {}
    for _, rid, at, got, approximate, target, link in found:
        cid = got.get("claim_id") or next(fresh)
        if cid in seen:
            raise FormatError(f"{at}: claim id {cid!r} is also on region {seen[cid]}")
        seen[cid] = rid
        claims.append(Claim(
            cid, ids[rid],
            source=ids[link["source"][1]] if "source" in link else None,
            date=ids[link["date"][1]] if "date" in link else None,
            low=got.get("low"),
            high=got.get("high"),
            approximate=approximate,
            date_value=got.get("date_value"),
            target=target))
    return tuple(claims)


def result_document(result: list, text: str, where: str,
                    reserved: Iterable[str] = ()) -> tuple[tuple[Span, ...], tuple[Claim, ...]]:
    """Spans and claims of one annotation's result, checked against ``text``.

    New ids are numbered after every id in the result and in ``reserved``
    (ids used before, so a deleted span's id is never given to another).
    """
    reserved = set(reserved)
    regions, values, relations = _sort_result(result, where)
    checked = {rid: _check_region(item, text, f"{where} region {rid}") for rid, (_, item) in regions.items()}
    ids = {rid: rid for rid in checked if SPAN_ID.fullmatch(rid)}
    fresh = _fresh(ids.keys() | reserved, SPAN_ID, "T")
    for rid in sorted(checked.keys() - ids.keys(), key=lambda r: (*checked[r], r)):
        ids[rid] = next(fresh)
    spans = tuple(sorted(Span(s, e, label, text[s:e], ids[rid]) for rid, (s, e, label) in checked.items()))
    links = _links(relations, {rid: label for rid, (_, _, label) in checked.items()}, where)
    return spans, _claims(values, links, checked, ids, text, where, reserved)


def used_ids(task: Task) -> set[str]:
    """Region and claim ids of every annotation of the task, cancelled ones too: never to be handed out again."""
    used = set()
    for annotation in task.get("annotations") or []:
        for item in annotation.get("result") or []:
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                used.add(item["id"])
                if item.get("from_name") == "claim_id" and isinstance((item.get("value") or {}).get("text"), list):
                    used.update(t.strip() for t in item["value"]["text"] if isinstance(t, str))
    return used


def task_document(task: Task, texts: Mapping[str, str]) -> Document | None:
    """The gold Document of one exported task, or None when no annotation counts (none, or all cancelled)."""
    where = task_where(task)
    data = task.get("data") or {}
    doc_id = data.get("doc_id")
    if doc_id not in texts:
        raise FormatError(f"{where}: unknown doc_id {doc_id!r}: no seeds/{doc_id}.txt")
    text = texts[doc_id]
    if data.get("text") != text:
        raise FormatError(f"{where}: data.text differs from seeds/{doc_id}.txt; offsets would point elsewhere")
    annotation = pick_annotation(task)
    if annotation is None:
        return None
    spans, claims = result_document(annotation.get("result") or [], text,
                                    f"{where} annotation {annotation.get('id', '?')}", used_ids(task))
    return Document(doc_id, text, spans, claims, data.get("published"), data.get("published_note") or "")


def from_tasks(tasks: Iterable[Task], texts: Mapping[str, str]) -> list[Document]:
    """Gold Documents from a Label Studio JSON export and the seed texts.

    Tasks without a usable annotation are left out; two tasks of one document are an error. Every
    problem of every task is reported at once (TasksError), not just the first.
    """
    docs, problems = convert_tasks(tasks, texts)
    if problems:
        raise TasksError(problems)
    return docs


def convert_tasks(tasks, texts: Mapping[str, str]) -> tuple[list[Document], list[str]]:
    """(Documents of the tasks that convert, every problem of the others): each task is checked on its own."""
    if isinstance(tasks, dict) and {"format", "scores"} <= tasks.keys():
        raise FormatError("this is a troopclaims result record, not a Label Studio export (a JSON list of tasks)")
    if not isinstance(tasks, list):
        raise FormatError(f"the top level is {_kind(tasks)}; expected a list of Label Studio tasks "
                          '([{"data": {"text": ..., "doc_id": ...}, "annotations": [...]}, ...]), '
                          "as Label Studio's JSON export writes")
    docs, seen, problems = [], {}, []
    for position, task in enumerate(tasks):
        shape = _shape_problems(task, position)
        if shape:
            problems += shape
            continue
        where = task_where(task)
        doc_id = task["data"]["doc_id"]
        if doc_id in seen:
            problems.append(f"{where}: doc {doc_id} is also {seen[doc_id]}; one task per document")
            continue
        seen[doc_id] = where
        try:
            doc = task_document(task, texts)
        except FormatError as exc:
            problems.append(str(exc))
            continue
        if doc is not None:
            docs.append(doc)
    return docs, problems
