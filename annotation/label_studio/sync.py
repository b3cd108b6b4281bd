"""Push gold (and an extractor's predictions) to a Label Studio project; pull annotations back as gold.

The server comes from LABEL_STUDIO_URL, the key from LABEL_STUDIO_API_KEY;
the key is never printed, logged or written, and is scrubbed from any
message. ``pull`` writes nothing unless the whole export converts and
validates; ``push`` never hides work done in Label Studio unless asked to.
The SDK is imported inside the functions: it takes over a second to load.
"""
from __future__ import annotations

import json
import os
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from corpus.errors import FormatError, GoldError, TroopclaimsError
from corpus.gold import dumps, read_gold, write_gold
from corpus.paths import GOLD_DIR, SEEDS_DIR
from corpus.seeds import load_seeds
from corpus.types import Document
from corpus.validate import document_problems

from . import DEFAULT_PROJECT, ENV_KEY, ENV_URL
from .config import label_config
from .convert import (SPAN_ID, Task, convert_tasks, document_result, pick_annotation, result_document,
                      task_data, task_where, used_ids)

EXPORT_TIMEOUT = 120.0


class LabelStudioError(TroopclaimsError):
    """The server is not configured, not reachable, refused the key, or a request failed."""


class PushConflictError(TroopclaimsError):
    """Label Studio holds annotations that differ from the local gold; pushing would hide them."""


@dataclass(frozen=True)
class Server:
    url: str
    api_key: str = field(repr=False)

    @classmethod
    def from_env(cls, url: str | None = None, api_key: str | None = None) -> Server:
        url = (url or os.environ.get(ENV_URL, "")).strip().rstrip("/")
        api_key = (api_key or os.environ.get(ENV_KEY, "")).strip()
        if not url:
            raise LabelStudioError(f"{ENV_URL} is not set: export {ENV_URL}=http://127.0.0.1:8080 "
                                   "(the address of your Label Studio server)")
        if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).hostname:
            raise LabelStudioError(f"{ENV_URL} must be an http:// or https:// address with a host")
        if not api_key:
            raise LabelStudioError(f"{ENV_KEY} is not set: export the API token from Label Studio's "
                                   "Account & Settings page")
        if any(c.isspace() for c in api_key):
            raise LabelStudioError(f"{ENV_KEY} contains whitespace inside the token; a token is one word: "
                                   "copy it again from Account & Settings")
        if not api_key.isascii() or not api_key.isprintable():
            at = next(i for i, c in enumerate(api_key) if not (c.isascii() and c.isprintable()))
            raise LabelStudioError(f"{ENV_KEY} contains a character that is not printable ASCII (at position "
                                   f"{at + 1} of {len(api_key)}); a token is ASCII letters and digits: copy it "
                                   "again from Account & Settings")
        return cls(url, api_key)

    @property
    def shown(self) -> str:
        """The URL without any user:password part, for messages."""
        parts = urlsplit(self.url)
        return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))

    def scrub(self, message: str) -> str:
        return message.replace(self.api_key, "***") if self.api_key else message


@contextmanager
def talking_to(server: Server, action: str) -> Iterator[None]:
    """Turn the SDK's and httpx's exceptions into one-line errors that name the server, never the key."""
    import httpx
    from label_studio_sdk.core.api_error import ApiError
    from pydantic import ValidationError

    try:
        yield
    except httpx.ConnectError as exc:
        reason = str(exc).split("] ", 1)[-1] or type(exc).__name__
        reason = reason[:1].lower() + reason[1:]
        raise LabelStudioError(server.scrub(f"cannot reach Label Studio at {server.shown}: {reason}")) from None
    except httpx.TimeoutException:
        raise LabelStudioError(f"Label Studio at {server.shown} did not answer in time while {action}") from None
    except (httpx.HTTPError, httpx.InvalidURL) as exc:
        raise LabelStudioError(server.scrub(f"Label Studio at {server.shown}: {action} failed: "
                                            f"{type(exc).__name__}")) from None
    except (json.JSONDecodeError, ValidationError) as exc:  # not Label Studio's JSON: the URL points elsewhere
        raise LabelStudioError(f"{server.shown} did not answer like Label Studio while {action} "
                               f"({type(exc).__name__}); check {ENV_URL}") from None
    except ApiError as exc:
        if exc.status_code in (401, 403):
            raise LabelStudioError(
                f"Label Studio at {server.shown} refused the API key in {ENV_KEY} (HTTP {exc.status_code}) "
                f"while {action}: copy the token from Account & Settings (a legacy token needs legacy "
                "tokens enabled for the organization)") from None
        raise LabelStudioError(server.scrub(f"Label Studio at {server.shown}: {action} failed with HTTP "
                                            f"{exc.status_code}: {_summary(exc.body)}")) from None


def _summary(body) -> str:
    """One line of an error body: Label Studio's ``detail``, never a whole HTML page."""
    if isinstance(body, dict) and "detail" in body:
        body = body["detail"]
    text = body.strip() if isinstance(body, str) else json.dumps(body, default=str)
    if text.startswith("<"):
        return f"an HTML page, not Label Studio's API (check {ENV_URL})"
    return (text.splitlines() or [""])[0][:300]


def connect(server: Server):
    """An SDK client for ``server`` (requests happen lazily, inside ``talking_to``)."""
    from label_studio_sdk import LabelStudio

    return LabelStudio(base_url=server.url, api_key=server.api_key, timeout=60, max_retries=1)


def find_project(ls, title: str) -> int | None:
    """The id of the one project titled exactly ``title``, or None."""
    ids = [p.id for p in ls.projects.list(title=title) if p.title == title]
    if len(ids) > 1:
        raise LabelStudioError(f"several projects are titled {title!r} (ids {ids}); rename all but one")
    return ids[0] if ids else None


def export_tasks(ls, project_id: int) -> list[Task]:
    """Every task with full annotation and prediction bodies (the quick export gives prediction ids only)."""
    export = ls.projects.exports.create(
        project_id, title="troopclaims sync", serialization_options={"predictions": {"only_id": False}},
        task_filter_options={"only_with_annotations": False})
    deadline = time.monotonic() + EXPORT_TIMEOUT
    while (status := ls.projects.exports.get(project_id, export_pk=export.id).status) != "completed":
        if status == "failed" or time.monotonic() > deadline:
            state = "failed" if status == "failed" else f"is still {status} after {EXPORT_TIMEOUT:.0f} s"
            raise LabelStudioError(f"export {export.id} of project {project_id} {state}")
        time.sleep(0.2)
    data = b"".join(ls.projects.exports.download(project_id, export_pk=export.id, export_type="JSON"))
    ls.projects.exports.delete(project_id, export_pk=export.id)
    return json.loads(data)


# ---------------------------------------------------------------- push


@dataclass(frozen=True)
class PushResult:
    project_id: int
    project_url: str
    created: bool
    imported: tuple[str, ...] = ()  # doc ids imported as new tasks
    annotated: tuple[str, ...] = ()  # existing tasks given the local gold as their newest annotation
    predicted: tuple[str, ...] = ()  # existing tasks given the extractor's predictions
    unchanged: tuple[str, ...] = ()


def check_predictions(predictions, docs: list[Document]) -> tuple[str | None, dict[str, Document]]:
    """(model version, predicted Documents by id) for ``docs``; the CLI reads them through eval's readers,
    so annotation/ never imports models/ or eval/."""
    if predictions is None:
        return None, {}
    model_version, predicted = predictions
    if not model_version:
        raise TroopclaimsError("predictions need a model version (the extractor's or file's name)")
    unknown = sorted(set(predicted) - {d.id for d in docs})
    if unknown:
        raise TroopclaimsError(f"predictions for {', '.join(unknown)}, which are not documents of this push")
    return model_version, dict(predicted)


def annotation_content(spans, claims) -> tuple[Counter, Counter]:
    """What an annotator's work is, ids aside: span boundaries and labels, and claim structure and values."""
    key = {s.id: s.key for s in spans}
    return (Counter(key.values()), Counter((key.get(c.quantity), key.get(c.source), key.get(c.date),
                                            *c.values().values()) for c in claims))


def _compare(task: Task, doc: Document) -> str:
    """How the task's newest annotation relates to the local gold: missing, same, equivalent or differs."""
    annotation = pick_annotation(task)
    if annotation is None:
        return "missing"
    try:
        spans, claims = result_document(annotation.get("result") or [], doc.text, task_where(task), used_ids(task))
    except FormatError:
        return "differs"
    if (spans, claims) == (doc.spans, doc.claims):
        regions = {r.get("id") for r in annotation.get("result") or [] if r.get("type") != "relation"}
        if all(SPAN_ID.fullmatch(r or "") for r in regions):
            return "same"
    return "equivalent" if annotation_content(spans, claims) == annotation_content(doc.spans, doc.claims) else "differs"


@dataclass
class _Plan:
    """What a push will do, decided before the first write so a conflict changes nothing."""

    new: list[Task] = field(default_factory=list)
    data: list[tuple[Task, Document]] = field(default_factory=list)
    annotate: list[tuple[Task, Document]] = field(default_factory=list)
    predict: list[tuple[Task, Document]] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)


def _plan(docs, existing: dict[str, Task], has_gold: set[str], model_version: str | None,
          predicted: dict[str, Document], overwrite: bool, gold_dir: Path) -> _Plan:
    plan = _Plan()
    for doc in docs:
        task = existing.get(doc.id)
        if task is None:
            item: Task = {"data": task_data(doc)}
            if doc.id in has_gold:
                item["annotations"] = [{"result": document_result(doc)}]
            if doc.id in predicted:
                item["predictions"] = [{"model_version": model_version, "result": document_result(predicted[doc.id])}]
            plan.new.append(item)
            continue
        if task["data"].get("text") != doc.text:
            raise FormatError(f"{task_where(task)}: text differs from seeds/{doc.id}.txt; "
                              "use a new project for the changed seeds")
        changes = 0
        if task["data"] != task_data(doc):
            plan.data.append((task, doc))
            changes += 1
        state = _compare(task, doc) if doc.id in has_gold else "same"
        if state == "differs" and not overwrite:
            plan.conflicts.append(f"{task_where(task)}: its newest annotation differs from {gold_dir / doc.id}.jsonl")
        elif state != "same":
            plan.annotate.append((task, doc))
            changes += 1
        if doc.id in predicted and not any(p.get("model_version") == model_version
                                           for p in task.get("predictions") or []):
            plan.predict.append((task, predicted[doc.id]))
            changes += 1
        if not changes:
            plan.unchanged.append(doc.id)
    return plan


def push(*, project: str = DEFAULT_PROJECT, predictions=None, overwrite: bool = False,
         seeds_dir: Path = SEEDS_DIR, gold_dir: Path = GOLD_DIR,
         url: str | None = None, api_key: str | None = None) -> PushResult:
    """Create or update the project titled ``project``: config, one task per seed, gold as annotations.

    ``predictions`` is ``(model_version, {doc_id: Document})``: an
    extractor's output or a predictions file, added as Label Studio
    predictions of that model version (never as annotations).
    An existing task whose newest annotation differs from the local gold is a
    conflict (nothing is changed) unless ``overwrite``, which adds the gold as
    the newest annotation; earlier annotations stay in Label Studio.
    """
    server = Server.from_env(url, api_key)
    texts = load_seeds(seeds_dir)
    docs = list(read_gold(texts, gold_dir).values())
    has_gold = {d.id for d in docs if (gold_dir / f"{d.id}.jsonl").exists()}
    model_version, predicted = check_predictions(predictions, docs)
    with talking_to(server, "pushing"):
        ls = connect(server)
        project_id = find_project(ls, project)
        existing: dict[str, Task] = {}
        for task in export_tasks(ls, project_id) if project_id is not None else ():
            existing.setdefault((task.get("data") or {}).get("doc_id"), task)
        plan = _plan(docs, existing, has_gold, model_version, predicted, overwrite, gold_dir)
        if plan.conflicts:
            raise PushConflictError(
                "Label Studio has annotations that are not in the local gold; nothing was pushed:\n"
                + "\n".join(f"  - {c}" for c in plan.conflicts)
                + "\nPull them first (`troopclaims ls pull`), or push with --overwrite to add the local gold "
                  "as the newest annotation (earlier annotations stay in Label Studio).")
        config = label_config()
        created = project_id is None
        if created:
            project_id = ls.projects.create(title=project, label_config=config).id
        elif ls.projects.get(id=project_id).label_config != config:
            ls.projects.update(id=project_id, label_config=config)
        if plan.new:
            ls.projects.import_tasks(id=project_id, request=plan.new, return_task_ids=True)
        for task, doc in plan.data:
            ls.tasks.update(id=str(task["id"]), data=task_data(doc))
        for task, doc in plan.annotate:
            ls.annotations.create(id=task["id"], result=document_result(doc), was_cancelled=False)
        for task, pred in plan.predict:
            ls.predictions.create(task=task["id"], result=document_result(pred), model_version=model_version)
    return PushResult(project_id, f"{server.shown}/projects/{project_id}/data", created,
                      tuple(t["data"]["doc_id"] for t in plan.new), tuple(d.id for _, d in plan.annotate),
                      tuple(p.id for _, p in plan.predict), tuple(plan.unchanged))


# ---------------------------------------------------------------- pull


@dataclass(frozen=True)
class PullResult:
    project_id: int
    written: tuple[Path, ...]  # gold files created or changed
    unchanged: tuple[Path, ...]
    unannotated: tuple[str, ...]  # tasks without a usable annotation: their gold is left alone


def pull(*, project: str = DEFAULT_PROJECT, gold_dir: Path = GOLD_DIR, seeds_dir: Path = SEEDS_DIR,
         url: str | None = None, api_key: str | None = None) -> PullResult:
    """Export the project, convert, validate every document, and only then write the changed gold files."""
    from corpus.io import check_output

    server = Server.from_env(url, api_key)
    check_output(gold_dir, "folder")  # before talking to the server
    texts = load_seeds(seeds_dir)
    with talking_to(server, "pulling"):
        ls = connect(server)
        project_id = find_project(ls, project)
        if project_id is None:
            raise LabelStudioError(f"Label Studio at {server.shown} has no project titled {project!r}; "
                                   "create it with `troopclaims ls push`")
        tasks = export_tasks(ls, project_id)
    docs, problems = convert_tasks(tasks, texts)  # every problem of every task, reported together
    where = {(t.get("data") or {}).get("doc_id"): task_where(t) for t in tasks}
    problems += [f"{where[d.id]}: {p}" for d in docs for p in document_problems(d)]
    if problems:
        raise GoldError(problems)
    written, unchanged = [], []
    for doc in docs:
        path = gold_dir / f"{doc.id}.jsonl"
        same = path.exists() and path.read_text(encoding="utf-8") == dumps(doc)
        (unchanged if same else written).append(path)
    write_gold([d for d in docs if gold_dir / f"{d.id}.jsonl" in written], gold_dir)
    pulled = {d.id for d in docs}
    return PullResult(project_id, tuple(written), tuple(unchanged),
                      tuple(where[i] for i in where if i not in pulled))
