"""Predictions from files and extractors, checked before any score is computed.

Every problem is an error naming the file and line (or extractor and
document), never a silently dropped span.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from dataclasses import field as _field

from corpus.errors import FormatError, PredictionError
from corpus.io import JSONError, Lines, jsonl_records, parse_json
from corpus.labels import LABELS, target_problem
from corpus.normalize import parse_iso
from corpus.types import CLAIM_FIELDS, CLAIM_LINKS, SPAN_FIELDS, Claim, Document, Span, make_span, span_problems




def _is_int(v) -> bool:
    return type(v) is int


def parse_spans(raw, text: str, where: str) -> list[Span]:
    """Check raw span records (dicts) against the document text; Span objects pass through the same checks."""
    if not isinstance(raw, list):
        raise PredictionError(f"{where}: 'spans' must be a list, got {type(raw).__name__}")
    spans = []
    for i, item in enumerate(raw):
        at = f"{where}: span {i}"
        if isinstance(item, Span):
            item = {k: v for k, v in item.to_json().items() if k != "text" or v}  # no text given: none to check
        elif isinstance(item, (tuple, list)) and len(item) == 3:
            item = dict(zip(("start", "end", "label"), item))
        if not isinstance(item, Mapping):
            raise PredictionError(f"{at}: expected an object with start, end, label; got {item!r}")
        unknown = set(item) - set(SPAN_FIELDS)
        if unknown:
            raise PredictionError(f"{at}: unknown field(s) {sorted(unknown)}; allowed: {sorted(SPAN_FIELDS)}")
        start, end, label = item.get("start"), item.get("end"), item.get("label")
        problems = span_problems(text, start, end, label, item.get("text"))
        if problems:
            raise PredictionError(f"{at}: {problems[0]}")
        if item.get("id") is not None and not isinstance(item["id"], str):
            raise PredictionError(f"{at}: id must be a string (or absent), got {json.dumps(item['id'])}")
        spans.append(Span(start, end, label, text[start:end], str(item.get("id") or "")))
    ordered = sorted(spans)
    for a, b in zip(ordered, ordered[1:]):
        if a.overlaps(b):
            raise PredictionError(f"{where}: predicted spans overlap: [{a.start}, {a.end}) {a.text!r} {a.label} "
                                  f"and [{b.start}, {b.end}) {b.text!r} {b.label}")
    ids = [s.id for s in spans if s.id]
    dup = {i for i in ids if ids.count(i) > 1}
    if dup:
        raise PredictionError(f"{where}: duplicate span id(s) {sorted(dup)}")
    return ordered


def parse_claims(raw, spans: list[Span], where: str, unaligned=()) -> list[Claim]:
    """Claims over span ids (and, from `troopclaims align`, ids of strings not found in the text)."""
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise PredictionError(f"{where}: 'claims' must be a list, got {type(raw).__name__}")
    ids = {s.id: s for s in [*spans, *unaligned] if s.id}
    claims = []
    for i, item in enumerate(raw):
        at = f"{where}: claim {i}"
        if isinstance(item, Claim):
            item = item.to_json()
        if not isinstance(item, Mapping) or "quantity" not in item:
            raise PredictionError(f"{at}: expected an object with at least 'quantity' (a span id)")
        unknown = set(item) - set(CLAIM_FIELDS)
        if unknown:
            raise PredictionError(f"{at}: unknown field(s) {sorted(unknown)}; allowed: {sorted(CLAIM_FIELDS)}")
        for field, allowed in (("id", "a string"), ("quantity", "a span id (string)"),
                               ("source", "a span id (string) or null"), ("date", "a span id (string) or null"),
                               ("date_value", "an ISO 8601 date string or null")):
            v = item.get(field)
            if not (isinstance(v, str) or (v is None and field != "quantity")):
                raise PredictionError(f"{at}: {field} must be {allowed}, got {json.dumps(v, default=repr)}")
        problem = target_problem(item.get("target"), required=False)
        if problem:
            raise PredictionError(f"{at}: {problem}")
        if item.get("date_value") is not None:
            try:
                parse_iso(item["date_value"])
            except ValueError as exc:
                raise PredictionError(f"{at}: date_value {exc}") from None
        if type(item.get("approximate", False)) is not bool:
            raise PredictionError(f"{at}: approximate must be true or false, got {json.dumps(item['approximate'])}")
        for field, label in CLAIM_LINKS.items():
            ref = item.get(field)
            if ref is None and field != "quantity":
                continue
            if ref not in ids:
                raise PredictionError(f"{at}: {field} {ref!r} is not the id of a predicted span")
            if ids[ref].label != label:
                raise PredictionError(f"{at}: {field} {ref!r} is a {ids[ref].label} span, expected {label}")
        for field in ("low", "high"):
            v = item.get(field)
            if v is not None and (type(v) not in (int, float) or v != v or v in (float("inf"), float("-inf"))):
                raise PredictionError(f"{at}: {field} must be a number or null, got {v!r}")
        if item.get("low") is not None and item.get("high") is not None and item["low"] > item["high"]:
            raise PredictionError(f"{at}: low {item['low']!r} is above high {item['high']!r}; allowed: low <= high "
                                  "(as in the gold, annotation/LABELS.md)")
        claims.append(Claim.from_json({**item, "id": item.get("id") or f"C{i + 1}"}))
    return claims


def check_coverage(found: Iterable[str], texts: Mapping[str, str], where: str, empty: str = "spans") -> None:
    """Every document predicted; the hint shows an empty prediction in the format in use (``spans``: offsets,
    ``mentions``: strings)."""
    missing = sorted(set(texts) - set(found))
    if missing:
        raise PredictionError(f"{where}: no predictions for document(s) {', '.join(missing)} "
                              f"(an empty prediction is {{\"doc_id\": ..., \"{empty}\": []}})")


def check_documents(docs: Iterable[Document], texts: Mapping[str, str], where: str) -> dict[str, Document]:
    """Extractor output: right ids, each once, every span checked."""
    out: dict[str, Document] = {}
    for doc in docs:
        if not isinstance(doc, Document):
            raise PredictionError(f"{where}: expected Document objects, got {type(doc).__name__}")
        at = f"{where}, document {doc.id}"
        if doc.id not in texts:
            raise PredictionError(f"{at}: unknown document id")
        if doc.id in out:
            raise PredictionError(f"{at}: predicted twice")
        spans = parse_spans(list(doc.spans), texts[doc.id], at)
        claims = parse_claims(list(doc.claims), spans, at)
        out[doc.id] = Document(doc.id, texts[doc.id], tuple(spans), tuple(claims))
    check_coverage(out, texts, where)
    return out


WHAT = "a predictions file (JSONL, Label Studio JSON, CoNLL or mentions)"
MAX_JSON = 64 * 2**20  # a whole-file (Label Studio JSON) predictions input is read into memory: at most this


@dataclass
class Predictions:
    """Checked predictions for every gold document, and what reading them found on the way.

    ``tags``: tag input (CoNLL) as given, what seqeval scores, with its ``ill_formed`` transitions.
    ``unaligned``: answers given as strings (eval/ALIGNMENT.md) that are not in the text, per document,
    with ``normalized`` and ``duplicates`` counts; None for offset input. ``notes``: one line per
    problem an extractor reported (an unusable LLM reply). ``answers``: the strings given, per document
    (corpus.mentions.MentionDocument), for answers given as strings.
    """

    documents: dict[str, Document]
    tags: dict[str, list[list[str]]] | None = None
    ill_formed: list[dict] = _field(default_factory=list)
    unaligned: dict[str, list] | None = None
    normalized: int = 0
    duplicates: int = 0
    notes: list[str] = _field(default_factory=list)
    answers: dict | None = None


def parse_jsonl_lines(lines: Iterable[str] | Lines, texts: Mapping[str, str], name: str) -> Predictions:
    """Offset predictions from lines as strings or a ``corpus.io.Lines``, with any ``unaligned`` strings
    (files written by `troopclaims align`)."""
    return parse_offset_records(jsonl_records(lines, name, PredictionError), texts, name)


def parse_offset_records(records: Iterable[tuple[str, object]], texts: Mapping[str, str], name: str) -> Predictions:
    """Offset predictions from ``(where, value)`` pairs already decoded (a line each, or a stored record's
    list), every check of ``parse_jsonl_lines`` made."""
    out: dict[str, Document] = {}
    unaligned: dict[str, list] = {}
    for where, record in records:
        if not isinstance(record, dict) or "doc_id" not in record:
            raise PredictionError(f"{where}: expected an object with 'doc_id' and 'spans'")
        unknown = set(record) - {"doc_id", "spans", "claims", "unaligned"}
        if unknown:
            hint = "; for spans given as strings, pass --format mentions" if "mentions" in unknown else ""
            raise PredictionError(f"{where}: unknown field(s) {sorted(unknown)}; allowed: doc_id, spans, claims, "
                                  f"unaligned{hint}")
        doc_id = document_id(record, texts, out, where)
        at = f"{where}: document {doc_id}"
        spans = parse_spans(record.get("spans", None), texts[doc_id], at)
        if "unaligned" in record:
            unaligned[doc_id] = parse_unaligned(record["unaligned"], at)
        claims = parse_claims(record.get("claims"), spans, at, unaligned.get(doc_id, ()))
        out[doc_id] = Document(doc_id, texts[doc_id], tuple(spans), tuple(claims))
    check_coverage(out, texts, name)
    return Predictions(out, unaligned=unaligned or None)


def document_id(record: dict, texts: Mapping[str, str], seen, where: str) -> str:
    """A predictions line's ``doc_id``: a string naming a gold document not ``seen`` before."""
    doc_id = record["doc_id"]
    if not isinstance(doc_id, str):
        raise PredictionError(f"{where}: doc_id must be a string, got {json.dumps(doc_id, default=repr)}")
    if doc_id not in texts:
        raise PredictionError(f"{where}: unknown doc_id {doc_id!r}; known: {', '.join(sorted(texts))}")
    if doc_id in seen:
        raise PredictionError(f"{where}: duplicate doc_id {doc_id!r}")
    return doc_id


def parse_unaligned(raw, where: str) -> list:
    """``[{"id": "H1", "label", "text", "anchor"?}]``: strings `troopclaims align` did not find in the text."""
    from corpus.align import Unaligned

    if not isinstance(raw, list):
        raise PredictionError(f"{where}: 'unaligned' must be a list, got {type(raw).__name__}")
    out = []
    for i, item in enumerate(raw):
        at = f"{where}: unaligned {i}"
        if not isinstance(item, Mapping) or set(item) - {"id", "label", "text", "anchor", "where", "reason"} \
                or not isinstance(item.get("id"), str) or not isinstance(item.get("text"), str) \
                or not _is_int(item.get("anchor", 0)):
            raise PredictionError(f"{at}: expected {{\"id\": \"H1\", \"label\", \"text\", \"anchor\"?: offset}}")
        if item.get("label") not in LABELS:
            raise PredictionError(f"{at}: unknown label {item.get('label')!r}; allowed: {', '.join(LABELS)}")
        out.append(Unaligned(item["id"], item["label"], item["text"], item.get("where", f"unaligned {i}"),
                             item.get("anchor", 0), item.get("reason", "not in the text")))
    return out


def parse_label_studio(data: bytes, texts: Mapping[str, str], name: str) -> Predictions:
    from annotation.label_studio.convert import from_tasks

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise PredictionError(f"{name}:{line}: not UTF-8 text ({exc.reason}); save it as UTF-8") from None
    try:
        tasks = parse_json(text)
    except JSONError as exc:
        raise PredictionError(f"{name}: {exc}{_jsonl_hint(text)}") from None
    try:
        docs = from_tasks(tasks, dict(texts))
    except FormatError as exc:
        one = isinstance(tasks, dict) and "doc_id" in tasks  # a JSON Lines file of one document
        raise PredictionError(f"{name}: {exc}" + ("; for one document's predictions (JSON Lines), pass "
                                                  "--format jsonl (offsets) or --format mentions (strings)"
                                                  if one else "")) from None
    return Predictions(check_documents(docs, texts, name))


def _jsonl_hint(text: str) -> str:
    """A file named .json holding one JSON object per line: say how to read it as JSONL."""
    first = text.lstrip().partition("\n")[0]
    try:
        looks = isinstance(parse_json(first), dict) and text.strip() != first.strip()
    except JSONError:
        looks = False
    return ("; it looks like JSON Lines (one object per line): pass --format jsonl (offsets) or --format "
            "mentions (strings)") if looks else ""


def parse_conll_lines(lines: Lines, texts: Mapping[str, str], sentences, path: str) -> Predictions:
    """Token/tag columns: ``-DOCSTART- <doc_id>`` lines, one ``token<TAB>tag`` line per gold token,
    a blank line after each sentence. Tokens must be the gold's tokens (the `sentences` config).
    """
    tags, line_of = _conll_tags(lines, texts, sentences, path)
    return tag_predictions(tags, texts, sentences, line_of)


def tag_predictions(tags: dict[str, list[list[str]]], texts: Mapping[str, str], sentences,
                    line_of: Mapping[tuple[str, int, int], int]) -> Predictions:
    """Predictions from IOB2 tags per document and sentence (CoNLL input, or a stored record's tags).

    The documents' spans are the tags as conlleval reads them (for span matching); ``tags`` keeps the
    raw tags, which seqeval scores, and ``ill_formed`` locates each ill-formed IOB2 tag (an ``I-X`` not
    continuing an ``X``; ``line_of`` gives its line): strict mode reads no entity there, conlleval
    (default mode) starts one.
    """
    from .metrics import conlleval_entities

    documents = {}
    for doc_id, doc_tags in tags.items():
        sents = sentences[doc_id]
        documents[doc_id] = Document(doc_id, texts[doc_id], tuple(sorted(
            make_span(texts[doc_id], sents[k].tokens[i][0], sents[k].tokens[j - 1][1], label)
            for k, label, i, j in conlleval_entities(doc_tags))))
    return Predictions(documents, tags, _ill_formed(tags, line_of))


def _conll_tags(lines: Lines, texts: Mapping[str, str], sentences, path: str):
    """The tags per document and sentence, each token checked against the gold's; and each tag's line."""
    from corpus.labels import TAGS

    raw: dict[str, list[list[str]]] = {}
    line_of: dict[tuple[str, int, int], int] = {}
    doc_id = None
    lineno = sent_i = tok_i = 0
    for lineno, line in lines:
        where = f"{path}:{lineno}"
        if line.startswith("-DOCSTART-"):
            if doc_id is not None:
                _check_done(doc_id, sent_i, tok_i, sentences, where)
            doc_id = line.split(maxsplit=1)[1].strip() if len(line.split()) > 1 else ""
            if doc_id not in texts:
                raise PredictionError(f"{where}: unknown doc_id {doc_id!r} after -DOCSTART-")
            if doc_id in raw:
                raise PredictionError(f"{where}: duplicate doc_id {doc_id!r}")
            raw[doc_id], sent_i, tok_i = [[]], 0, 0
            continue
        if doc_id is None:
            if not line.strip():
                continue
            raise PredictionError(f"{where}: expected '-DOCSTART- <doc_id>' before the first token")
        if not line.strip():
            if tok_i:
                if tok_i != len(sentences[doc_id][sent_i].tokens):
                    raise PredictionError(f"{where}: sentence {sent_i} of {doc_id} ended after {tok_i} tokens; "
                                          f"the gold has {len(sentences[doc_id][sent_i].tokens)}")
                sent_i, tok_i = sent_i + 1, 0
                raw[doc_id].append([])
            continue
        parts = line.split("\t")
        if len(parts) != 2:
            raise PredictionError(f"{where}: expected 'token<TAB>tag', got {line!r}")
        token, tag = parts
        if tag not in TAGS:
            raise PredictionError(f"{where}: unknown tag {tag!r}; allowed: {', '.join(TAGS)}")
        if sent_i >= len(sentences[doc_id]) or tok_i >= len(sentences[doc_id][sent_i].tokens):
            raise PredictionError(f"{where}: more tokens than the gold has for {doc_id}")
        s, e = sentences[doc_id][sent_i].tokens[tok_i]
        if texts[doc_id][s:e] != token:
            raise PredictionError(f"{where}: token {token!r} differs from the gold token {texts[doc_id][s:e]!r} "
                                  f"(sentence {sent_i}, token {tok_i} of {doc_id})")
        raw[doc_id][sent_i].append(tag)
        line_of[(doc_id, sent_i, tok_i)] = lineno
        tok_i += 1
    if doc_id is not None:
        _check_done(doc_id, sent_i, tok_i, sentences, f"{path}:{lineno}")
    check_coverage(raw, texts, str(path))
    return {d: sents[:-1] for d, sents in raw.items()}, line_of  # each document's list ends with an empty one


def _ill_formed(tags: dict[str, list[list[str]]], line_of: dict) -> list[dict]:
    """Where an ``I-X`` does not continue an ``X``: its line, document, sentence, token, tag and the tag before."""
    out = []
    for doc_id, sents in tags.items():
        for k, sent in enumerate(sents):
            for i, tag in enumerate(sent):
                before = sent[i - 1] if i else "sentence start"
                if tag.startswith("I-") and before not in ("B" + tag[1:], tag):
                    out.append({"line": line_of.get((doc_id, k, i), 0), "doc_id": doc_id, "sentence": k, "token": i,
                                "tag": tag, "after": before})
    return sorted(out, key=lambda x: x["line"])


def _check_done(doc_id, sent_i, tok_i, sentences, where) -> None:
    if tok_i:
        raise PredictionError(f"{where}: the last sentence of {doc_id} needs a blank line after it")
    if sent_i != len(sentences[doc_id]):
        raise PredictionError(f"{where}: {doc_id} has {sent_i} sentences; the gold has {len(sentences[doc_id])}")
