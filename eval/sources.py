"""Naming an extractor: a registered name, an import path, a spaCy pipeline, a predictions file, a command.

Every kind ends as a ``Source`` whose ``predictions`` returns checked
predictions for every gold document, or raises an error naming the problem.
"""
from __future__ import annotations

import importlib
import inspect
import re
import io
import json
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from corpus.errors import TroopclaimsError
from corpus.mentions import MentionDocument, parse_answer
from corpus.types import Document
from models.base import blank

from . import DEFAULT_TIMEOUT
from .mentions import align_all, read_mention_lines
from .predictions import PredictionError, Predictions, check_documents, parse_claims, parse_jsonl_lines, parse_spans


class ExtractorError(TroopclaimsError):
    """An extractor failed: raised, timed out, or wrote something that is not predictions."""


@dataclass
class Source:
    """Where predictions come from, with what a result record says about it."""

    name: str
    kind: str  # registered | python | spacy | predictions | command
    version: str | None
    produce: Callable[..., Predictions] = field(repr=False)  # (gold, timeout, sentences)

    def predictions(self, gold_docs: Mapping[str, Document], sentences=None,
                    timeout: float = DEFAULT_TIMEOUT) -> Predictions:
        """Checked predictions for every gold document (eval.predictions.Predictions)."""
        return self.produce(dict(gold_docs), timeout, sentences)


def _run_with_timeout(fn, timeout: float, what: str):
    """Run ``fn`` in a daemon thread: a hung Python extractor becomes an error, not a hung harness."""
    box: dict = {}

    def target():
        try:
            box["value"] = fn()
        except BaseException as exc:  # reported below with the extractor's name
            box["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        raise ExtractorError(f"{what} did not finish within {timeout:g} s")
    if "error" in box:
        exc = box["error"]
        if isinstance(exc, TroopclaimsError):
            raise exc
        raise ExtractorError(f"{what} raised {type(exc).__name__}: {exc}") from exc
    return box["value"]


def from_extractor(extractor, *, kind: str = "python", name: str | None = None,
                   version: str | None = None) -> Source:
    """An object with ``predict(docs) -> list[Document | MentionDocument]`` (the models.base.Extractor protocol)."""
    label = name or getattr(extractor, "name", None) or type(extractor).__name__

    def produce(gold, timeout, sentences):
        what = f"extractor {label!r}"
        out = _run_with_timeout(lambda: list(extractor.predict([blank(d) for d in gold.values()])), timeout, what)
        return _checked_answers(out, {d: doc.text for d, doc in gold.items()}, what)

    return Source(label, kind, version or _version_of(label), produce)


def from_callable(fn: Callable, *, name: str | None = None) -> Source:
    """``fn(text)`` returning spans (Span, (start, end, label) or dicts), ``{"spans": [...], "claims": [...]}``,
    or strings: ``{"mentions": [{"text", "label"}, ...], "claims": [{"quantity": TEXT, ...}]}`` (eval/mentions.py)."""
    label = name or f"{fn.__module__}:{getattr(fn, '__qualname__', repr(fn))}"

    class _Adapter:
        def predict(self, docs):
            out = []
            for doc in docs:
                result = fn(doc.text)
                where = f"callable {label!r}, document {doc.id}"
                if isinstance(result, Mapping) and "mentions" in result:  # spans given by their text
                    out.append(parse_answer(result, doc.id, where))
                    continue
                if isinstance(result, Mapping):
                    unknown = sorted(map(str, set(result) - {"spans", "claims"}))
                    if unknown or "spans" not in result:
                        raise PredictionError(f"{where}: returned a mapping with keys {sorted(map(str, result))}; "
                                              "expected a list of spans, or a mapping with spans and claims "
                                              "(offsets) or mentions and claims (strings)")
                raw_spans, raw_claims = (result["spans"], result.get("claims")) \
                    if isinstance(result, Mapping) else (result, None)
                spans = parse_spans(list(raw_spans) if raw_spans is not None else raw_spans, doc.text, where)
                out.append(Document(doc.id, doc.text, tuple(spans), tuple(parse_claims(raw_claims, spans, where))))
            return out

    return from_extractor(_Adapter(), kind="python", name=label, version=_version_of(label))


def from_import_path(path: str) -> Source:
    """``package.module:object``: an extractor, a class or zero-argument factory making one, or ``fn(text)``."""
    import os
    import sys

    module_name, _, attr = path.partition(":")
    if not module_name or not attr:
        raise ExtractorError(f"import path {path!r} must look like 'package.module:object'")
    if os.getcwd() not in sys.path and "" not in sys.path:
        sys.path.insert(0, os.getcwd())  # a module in the current folder imports, as with `python -m` and uvicorn
    try:
        obj = importlib.import_module(module_name)
    except ImportError as exc:
        raise ExtractorError(f"cannot import {path!r}: {exc}") from None
    except SyntaxError as exc:
        raise ExtractorError(f"cannot import {path!r}: syntax error in {exc.filename}, line {exc.lineno}: "
                             f"{exc.msg}") from None
    except (Exception, SystemExit) as exc:  # the module's own code failed while importing
        raise ExtractorError(f"cannot import {path!r}: importing {module_name} raised "
                             f"{type(exc).__name__}: {exc}") from None
    try:
        for part in attr.split("."):
            obj = getattr(obj, part)
    except AttributeError as exc:
        raise ExtractorError(f"cannot import {path!r}: {exc}") from None
    if hasattr(obj, "predict") and not inspect.isclass(obj):
        return from_extractor(obj, name=path)
    if callable(obj):
        try:
            required = [p for p in inspect.signature(obj).parameters.values()
                        if p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        except (TypeError, ValueError):  # no signature (a builtin): call it as fn(text)
            required = ["text"]
        if inspect.isclass(obj) or not required:
            if required:
                raise ExtractorError(f"{path!r} is a class whose constructor needs arguments "
                                     f"({', '.join(p.name for p in required)}); expected one that takes none")
            try:
                made = obj()
            except Exception as exc:
                raise ExtractorError(f"{path!r}: making the extractor raised {type(exc).__name__}: {exc}") from None
            if hasattr(made, "predict"):
                return from_extractor(made, name=path)
            if callable(made):
                return from_callable(made, name=path)
            raise ExtractorError(f"{path!r} made a {type(made).__name__}, which has no predict() and is not callable")
        return from_callable(obj, name=path)
    raise ExtractorError(f"{path!r} is a {type(obj).__name__}: expected an extractor, a factory or a callable")


def from_registry(name: str, **options) -> Source:
    from models.registry import get

    extractor = get(name, **options)
    return from_extractor(extractor, kind="registered", name=getattr(extractor, "system_name", None) or name,
                          version=getattr(extractor, "version", None) or name.rpartition(".")[2])


def from_spacy(pipeline: str, label_map: Mapping[str, str] | None = None) -> Source:
    """An installed spaCy pipeline (package name or path); its entity labels mapped to ours."""
    from models.spacy_pipeline import SpacyPipelineExtractor

    extractor = SpacyPipelineExtractor(pipeline, label_map)
    return from_extractor(extractor, kind="spacy", name=f"spacy:{pipeline}", version=extractor.version)


FORMATS = {".jsonl": "jsonl", ".json": "label-studio", ".conll": "conll", ".tsv": "conll", ".txt": "conll"}
ALL_FORMATS = ("jsonl", "mentions", "label-studio", "conll")  # mentions: never guessed, always named


def from_predictions(path: str, fmt: str | None = None) -> Source:
    """A predictions file: JSONL (default for .jsonl and ``-``), a Label Studio export (.json), CoNLL (.conll),
    or mention strings (``fmt="mentions"``, only when named).

    The file is read once, when predictions are asked for: the sha256 in the record (``version``) is
    of the very bytes parsed, so a pipe or FIFO works, and a file cannot change between hash and parse.
    """
    from corpus.io import Lines, check_input, display_name, open_input, read_bytes

    from .predictions import MAX_JSON, WHAT, parse_conll_lines, parse_label_studio

    check_input(path, WHAT)  # first: a folder is called a folder, whatever its name
    fmt = fmt or ("jsonl" if path == "-" else FORMATS.get(Path(path).suffix.lower()))
    if fmt not in ALL_FORMATS:
        raise PredictionError(f"{path}: cannot tell the format from the extension (.jsonl, .json, .conll); "
                              f"pass --format {', '.join(ALL_FORMATS)}")
    name = display_name(path)

    def produce(gold, timeout, sentences):
        texts = {d: doc.text for d, doc in gold.items()}
        with open_input(path, WHAT) as f:
            if fmt == "label-studio":
                data, source.version = read_bytes(f, name, MAX_JSON)
                return parse_label_studio(data, texts, name)
            lines = Lines(f, name)
            if fmt == "jsonl":
                out = parse_jsonl_lines(lines, texts, name)
            elif fmt == "mentions":
                out = read_mention_lines(lines, texts, name)
            else:
                out = parse_conll_lines(lines, texts, sentences, name)
            source.version = lines.digest
            return out

    source = Source(f"file:{Path(path).name}", "predictions", None, produce)
    return source


def from_command(command: str, fmt: str | None = None, keep_env=()) -> Source:
    """An external program: documents as JSONL on stdin, predictions JSONL (or, with ``fmt="mentions"``,
    mention records) on stdout (eval/command.py: its output is capped, its process group stopped on
    timeout, its environment free of credentials except the names in ``keep_env``)."""
    from corpus.io import Lines

    from .command import parse_command, run_command

    argv = parse_command(command)

    def produce(gold, timeout, sentences):
        what = f"command {command!r}"
        stdin = "".join(json.dumps({"doc_id": d.id, "text": d.text, "published": d.published}, ensure_ascii=False)
                        + "\n" for d in gold.values())
        stdout = run_command(argv, stdin.encode("utf-8"), timeout=timeout, what=what, keep_env=keep_env)
        texts = {d: doc.text for d, doc in gold.items()}
        name = f"{what} stdout"
        read = read_mention_lines if fmt == "mentions" else parse_jsonl_lines
        return read(Lines(io.BytesIO(stdout), name), texts, name)

    return Source(f"command:{argv[0] if argv else ''}", "command", None, produce)


def resolve(spec: str, **options) -> Source:
    """A registered name (``regex.v1``) or an import path (``package.module:object``); ``options`` go to
    a registered extractor's factory (llm.v1's model, base URL, ...)."""
    from models.registry import REGISTRY

    if spec in REGISTRY or ":" not in spec:
        from models.registry import UnknownExtractorError

        try:
            return from_registry(spec, **options)
        except UnknownExtractorError as exc:
            module, dot, attr = spec.rpartition(".")
            if dot and module and not re.fullmatch(r"v\d+", attr):  # not a versioned name: an import path
                raise ExtractorError(f"{exc}; for a Python function or class give its import path with a colon: "
                                     f"'{module}:{attr}'") from None
            raise
    return from_import_path(spec)


def _checked_answers(out: list, texts: Mapping[str, str], what: str) -> Predictions:
    """Extractor output where each document is offsets (Document) or strings (MentionDocument), checked."""
    answers = {}
    docs = []
    for item in out:
        if isinstance(item, MentionDocument):
            if item.doc_id not in texts:
                raise PredictionError(f"{what}, document {item.doc_id}: unknown document id")
            if item.doc_id in answers or any(d.id == item.doc_id for d in docs):
                raise PredictionError(f"{what}, document {item.doc_id}: predicted twice")
            answers[item.doc_id] = item
        else:
            docs.append(item)
    if not answers:
        return Predictions(check_documents(docs, texts, what))
    aligned = align_all(answers, texts)
    aligned.documents.update(check_documents(docs, {d: texts[d] for d in texts if d not in answers}, what))
    return aligned


def _version_of(name: str) -> str | None:
    """The installed version of the distribution providing a module, when there is one."""
    from importlib import metadata

    top = name.partition(":")[0].partition(".")[0]
    try:
        return metadata.version(top)
    except metadata.PackageNotFoundError:
        return None
