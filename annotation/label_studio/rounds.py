"""Annotation rounds: new documents to several annotators, their agreement, adjudication, gold.

A round ``R`` lives in Label Studio projects: ``troopclaims round R``
(each task wants ANNOTATORS_PER_TASK annotations, one per annotator; an
extractor's output comes as predictions only, so every task is work to do),
or, to keep annotators apart, ``troopclaims round R for NAME``, one per
annotator, each on a server of that annotator's own (open-source Label
Studio shows every project and annotation of a server to all its users);
and ``troopclaims round R adjudication`` (one task per document the passes
do not agree on, each annotator's pass shown as a prediction named after
them; the editor starts from the pass the lead names, or from nothing; the
adjudicator's annotation becomes the gold). A project whose labeling config
was changed in the browser is refused on pull. Each annotator's work
is kept as its own pass, ``annotation/passes/R/<annotator>/``, and the
round's agreement table is generated into AGREEMENT.md between markers.
Nothing is written unless everything read converts and validates.
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from pathlib import Path

from corpus.errors import GoldError, TroopclaimsError
from corpus.gold import dumps, loads, read_gold, write_gold
from corpus.io import read_text
from corpus.paths import GOLD_DIR, ROOT, SEEDS_DIR
from corpus.provenance import read_provenance
from corpus.seeds import load_seeds
from corpus.types import Document
from corpus.validate import document_problems

from .config import label_config
from .convert import (Task, convert_tasks, document_result, pick_annotation, result_document, task_data, task_where,
                      used_ids)
from .sync import (LabelStudioError, Server, annotation_content, check_predictions, connect, export_tasks, find_project,
                   talking_to)

PASSES_DIR = ROOT / "annotation" / "passes"
AGREEMENT_PATH = ROOT / "annotation" / "AGREEMENT.md"
ANNOTATORS_PER_TASK = 2
ROUND_NAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,39}")
PASS_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,39}")


def round_project(name: str) -> str:
    return f"troopclaims round {name}"


def adjudication_project(name: str) -> str:
    return f"troopclaims round {name} adjudication"


def annotator_project(name: str, annotator: str) -> str:
    return f"troopclaims round {name} for {annotator}"


BLANK = "blank"  # push-adjudication --start-from: the adjudicator's editor starts empty (an empty prediction)


def check_annotator(annotator: str) -> str:
    if not PASS_NAME.fullmatch(annotator or "") or annotator == BLANK:
        raise TroopclaimsError(f"annotator {annotator!r}: use letters, digits, '.', '-' and '_' (at most 40, not "
                               f"{BLANK!r}), e.g. ann1; it names the pass folder")
    return annotator


def check_config(ls, project_id: int, title: str) -> None:
    """Refuse a project whose labeling config is not the contract's (edited in the browser): its regions
    might not mean what the labels say."""
    config = ls.projects.get(id=project_id).label_config or ""
    if config.strip() != label_config().strip():
        raise LabelStudioError(f"project {title!r}: its labeling config was changed in Label Studio; put back "
                               "the one `troopclaims ls config` prints (Settings > Labeling Interface > Code), "
                               "then pull again")


def check_round_name(name: str) -> str:
    if not ROUND_NAME.fullmatch(name or ""):
        raise TroopclaimsError(f"round name {name!r}: use lower-case letters, digits, '.', '-' and '_' "
                               "(at most 40, e.g. r1 or 2025-03), it names a folder")
    return name


def annotator_name(email: str) -> str:
    """A pass folder name from an account's email: its local part, kept to letters, digits, '.', '-', '_'."""
    local = email.partition("@")[0]
    return re.sub(r"[^A-Za-z0-9._-]", "_", local).strip(".") or "annotator"


def round_documents(doc_ids, seeds_dir: Path) -> list[Document]:
    """The round's documents with the publication date their provenance gives (no spans: nobody's gold yet)."""
    texts = load_seeds(seeds_dir)
    provenance = read_provenance(seeds_dir)
    unknown = [d for d in doc_ids if d not in texts]
    if unknown:
        raise TroopclaimsError(f"no document {', '.join(unknown)} in {seeds_dir}; add it first with "
                               "`troopclaims add-article`")
    docs = []
    for doc_id in dict.fromkeys(doc_ids):
        p = provenance[doc_id]
        note = f"as given by {p.outlet} ({p.url}) when added" if p.url else "inferred from the content"
        docs.append(Document(doc_id, texts[doc_id], published=p.published, published_note=note))
    return docs


def _ensure_project(ls, title: str, annotations_per_task: int) -> tuple[int, bool]:
    project_id = find_project(ls, title)
    if project_id is not None:
        return project_id, False
    created = ls.projects.create(title=title, label_config=label_config(), maximum_annotations=annotations_per_task,
                                 overlap_cohort_percentage=100, show_skip_button=True,
                                 show_collab_predictions=True)
    return created.id, True


@dataclass(frozen=True)
class RoundPush:
    project_id: int
    project_url: str
    imported: tuple[str, ...]
    already: tuple[str, ...]


def push_round(name: str, doc_ids, *, predictions=None, annotations_per_task: int = ANNOTATORS_PER_TASK,
               seeds_dir: Path = SEEDS_DIR, gold_dir: Path = GOLD_DIR, url: str | None = None,
               api_key: str | None = None, project: str | None = None, annotator: str | None = None) -> RoundPush:
    """Put the round's documents into its project, each asking for ``annotations_per_task`` annotations;
    with ``annotator``, into that annotator's own project (one annotation per task).

    Documents that already have gold are refused (correct them with `ls push`);
    documents already in the project are left as they are.
    """
    check_round_name(name)
    if annotator is not None:
        check_annotator(annotator)
        annotations_per_task = 1
    if annotations_per_task < 1:
        raise TroopclaimsError(f"annotations per task must be at least 1, got {annotations_per_task}")
    server = Server.from_env(url, api_key)
    docs = round_documents(doc_ids, seeds_dir)
    has_gold = [d.id for d in docs if (gold_dir / f"{d.id}.jsonl").exists()]
    if has_gold:
        raise TroopclaimsError(f"{', '.join(has_gold)} already have gold in {gold_dir}; a round is for new "
                               "documents (correct gold with `troopclaims ls push`)")
    model_version, predicted = check_predictions(predictions, docs)
    title = project or (annotator_project(name, annotator) if annotator else round_project(name))
    with talking_to(server, "pushing the round"):
        ls = connect(server)
        project_id, _ = _ensure_project(ls, title, annotations_per_task)
        present = {(t.get("data") or {}).get("doc_id") for t in export_tasks(ls, project_id)}
        new = []
        for doc in docs:
            if doc.id in present:
                continue
            task: Task = {"data": task_data(doc)}
            if doc.id in predicted:
                task["predictions"] = [{"model_version": model_version, "result": document_result(predicted[doc.id])}]
            new.append(task)
        if new:
            ls.projects.import_tasks(id=project_id, request=new, return_task_ids=True)
    return RoundPush(project_id, f"{server.shown}/projects/{project_id}/data",
                     tuple(t["data"]["doc_id"] for t in new), tuple(d.id for d in docs if d.id in present))


@dataclass(frozen=True)
class Submitted:
    project_url: str
    created: tuple[str, ...]  # doc ids given a first annotation by this account
    updated: tuple[str, ...]  # doc ids whose annotation by this account was replaced
    unchanged: tuple[str, ...]


def submit(name: str, files, *, adjudication: bool = False, seeds_dir: Path = SEEDS_DIR, url: str | None = None,
           api_key: str | None = None, annotator: str | None = None) -> Submitted:
    """Annotation files (the gold format) become this account's annotations of the round's tasks.

    For annotators who work outside the browser (scripts, language-model
    sessions): each file is parsed and validated against the task's text
    first, and nothing is sent unless all are valid. Only this account's own
    annotation of a task is compared or replaced; another annotator's is
    never shown, used or changed.
    """
    check_round_name(name)
    server = Server.from_env(url, api_key)
    texts = load_seeds(seeds_dir)
    docs, problems = {}, []
    for path in map(Path, files):
        content = read_text(path, "an annotation file (the gold format, JSONL)")
        doc_id = path.stem
        if doc_id not in texts:
            problems.append(f"{path}: no document {doc_id} in {seeds_dir}; name the file <doc_id>.jsonl")
            continue
        try:
            doc = loads(content, texts[doc_id], str(path))
        except TroopclaimsError as exc:
            problems.append(str(exc))
            continue
        if doc.id != doc_id:
            problems.append(f"{path}: its document record says {doc.id!r}; the file name says {doc_id!r}")
        problems += [f"{path}: {p}" for p in document_problems(doc)]
        docs[doc_id] = doc
    if problems:
        raise GoldError(problems)
    if adjudication and annotator:
        raise TroopclaimsError("give --adjudication or --annotator, not both: the adjudication project is "
                               "nobody's own")
    title = adjudication_project(name) if adjudication else \
        annotator_project(name, check_annotator(annotator)) if annotator else round_project(name)
    created, updated, unchanged = [], [], []
    with talking_to(server, "submitting annotations"):
        ls = connect(server)
        project_id = find_project(ls, title)
        if project_id is None:
            raise LabelStudioError(f"Label Studio at {server.shown} has no project titled {title!r}")
        me = ls.users.whoami().id
        tasks = {(t.data or {}).get("doc_id"): t.id for t in ls.tasks.list(project=project_id)}
        missing = [d for d in docs if d not in tasks]
        if missing:
            raise LabelStudioError(f"project {title!r} has no task for {', '.join(missing)}")
        for doc_id, doc in docs.items():
            result = document_result(doc)
            own = [a for a in ls.annotations.list(id=tasks[doc_id]) if a.completed_by == me and not a.was_cancelled]
            if not own:
                ls.annotations.create(id=tasks[doc_id], result=result, was_cancelled=False)
                created.append(doc_id)
                continue
            newest = max(own, key=lambda a: (a.updated_at or a.created_at, a.id))
            if annotation_content(*result_document(newest.result or [], texts[doc_id], doc_id)) == \
                    annotation_content(doc.spans, doc.claims) and _user_id(getattr(newest, "updated_by", None)) in (None, me):
                unchanged.append(doc_id)
            else:
                ls.annotations.update(id=newest.id, result=result, was_cancelled=False)
                updated.append(doc_id)
    return Submitted(f"{server.shown}/projects/{project_id}/data", tuple(created), tuple(updated), tuple(unchanged))


def _emails(ls) -> dict[int, str]:
    return {u.id: u.email or u.username or f"user{u.id}" for u in ls.users.list()}


def _annotator(annotation: dict, emails: dict[int, str]) -> str:
    who = annotation.get("completed_by")
    if isinstance(who, dict):
        who = who.get("email") or who.get("id")
    return annotator_name(emails.get(who, who) if isinstance(who, int) else str(who or "unknown"))


def _user_id(who):
    return who.get("id") if isinstance(who, dict) else who


def _changed_by_another(annotation: dict, emails: dict[int, str]) -> str | None:
    """The account that last changed ``annotation`` when it is not the one that made it (open-source Label
    Studio lets any user of a server open and update anyone's annotation), else None."""
    made, changed = _user_id(annotation.get("completed_by")), _user_id(annotation.get("updated_by"))
    if changed is None or made is None or changed == made:
        return None
    return annotator_name(emails.get(changed, str(changed)))


def passes_of_tasks(tasks: list[Task], texts: dict[str, str], emails: dict[int, str]):
    """({annotator: {doc_id: Document}}, [(doc_id, annotator) skipped], [doc ids nobody annotated], problems)."""
    passes: dict[str, dict[str, Document]] = {}
    skipped, untouched, problems = [], [], []
    for task in tasks:
        data = task.get("data") or {}
        doc_id = data.get("doc_id")
        where = task_where(task)
        if doc_id not in texts or data.get("text") != texts[doc_id]:
            problems.append(f"{where}: text or doc_id differs from the seeds; the task is not this round's")
            continue
        by_annotator: dict[str, list] = {}
        for annotation in task.get("annotations") or []:
            by_annotator.setdefault(_annotator(annotation, emails), []).append(annotation)
        if not by_annotator:
            untouched.append(doc_id)
        for who, theirs in sorted(by_annotator.items()):
            own = {"annotations": theirs}
            chosen = pick_annotation(own)
            if chosen is None:
                skipped.append((doc_id, who))
                continue
            if (other := _changed_by_another(chosen, emails)) is not None:
                problems.append(f"{where}: annotation {chosen.get('id', '?')} by {who} was last changed by {other}; "
                                f"a pass is its annotator's own work ({who} submits it again, or it is deleted)")
                continue
            try:
                spans, claims = result_document(chosen.get("result") or [], texts[doc_id],
                                                f"{where} annotation {chosen.get('id', '?')} by {who}", used_ids(own))
            except TroopclaimsError as exc:
                problems.append(str(exc))
                continue
            doc = Document(doc_id, texts[doc_id], spans, claims, data.get("published"),
                           data.get("published_note") or "")
            problems += [f"{where} by {who}: {p}" for p in document_problems(doc)]
            passes.setdefault(who, {})[doc_id] = doc
    return passes, skipped, untouched, problems


@dataclass(frozen=True)
class RoundPull:
    written: tuple[Path, ...]
    annotators: tuple[str, ...]
    skipped: tuple[tuple[str, str], ...]  # (doc id, annotator)
    unannotated: tuple[str, ...]
    report: str  # the round's agreement section, as written into AGREEMENT.md
    disagreements: tuple[str, ...]


def pull_round(name: str, *, passes_dir: Path = PASSES_DIR, seeds_dir: Path = SEEDS_DIR,
               agreement_file: Path | None = AGREEMENT_PATH, url: str | None = None, api_key: str | None = None,
               project: str | None = None, gold_dir: Path | None = None, annotator: str | None = None) -> RoundPull:
    """Each annotator's newest submitted annotation per task -> ``passes_dir/<round>/<annotator>/``; then the
    round's agreement (written into ``agreement_file`` between markers) and its disagreements. With
    ``annotator``, that annotator's own project, whose one account's work becomes the pass of that name
    (the other passes are read from disk for the agreement)."""
    from corpus.io import check_output

    check_round_name(name)
    if annotator is not None:
        check_annotator(annotator)
    server = Server.from_env(url, api_key)
    round_dir = passes_dir / name
    check_output(round_dir, "folder")
    if agreement_file is not None:
        check_output(agreement_file)
    texts = load_seeds(seeds_dir)
    title = project or (annotator_project(name, annotator) if annotator else round_project(name))
    with talking_to(server, "pulling the round"):
        ls = connect(server)
        project_id = find_project(ls, title)
        if project_id is None:
            raise LabelStudioError(f"Label Studio at {server.shown} has no project titled {title!r}; "
                                   f"start the round with `troopclaims ls push-round {name} DOC...`"
                                   + (f" --annotator {annotator}" if annotator else ""))
        check_config(ls, project_id, title)
        tasks = export_tasks(ls, project_id)
        emails = _emails(ls)
    passes, skipped, untouched, problems = passes_of_tasks(tasks, texts, emails)
    if annotator is not None:
        accounts = sorted({_annotator(a, emails) for t in tasks for a in t.get("annotations") or []})
        if len(accounts) > 1:  # skips count too: one is never another account's
            problems.append(f"project {title!r} holds annotations by {', '.join(accounts)}; it is "
                            f"{annotator}'s alone: one account annotates it")
        passes = {annotator: docs for docs in passes.values()}
        skipped = [(doc_id, annotator) for doc_id, _ in skipped]
    if problems:
        raise GoldError(problems)
    written = []
    for who, docs in passes.items():
        for doc in docs.values():
            path = round_dir / who / f"{doc.id}.jsonl"
            if not (path.exists() and path.read_text(encoding="utf-8") == dumps(doc)):
                written.append(path)
        write_gold(docs.values(), round_dir / who)
    report, lines = round_report(name, passes_dir, texts, skipped, gold_dir)
    if agreement_file is not None:
        write_section(agreement_file, name, report)
    return RoundPull(tuple(written), tuple(sorted(passes)), tuple(skipped), tuple(untouched), report, tuple(lines))


def read_round(name: str, passes_dir: Path, texts: dict[str, str]) -> dict[str, dict[str, Document]]:
    """{annotator: {doc_id: Document}} from a round's pass folders on disk."""
    round_dir = passes_dir / name
    if not round_dir.is_dir():
        raise TroopclaimsError(f"{round_dir}: no such round; pull it first with `troopclaims ls pull-round {name}`")
    out = {}
    for folder in sorted(p for p in round_dir.iterdir() if p.is_dir()):
        present = {p.stem for p in folder.glob("*.jsonl")}
        docs = read_gold({d: t for d, t in texts.items() if d in present}, folder)
        out[folder.name] = docs
    return out


def round_report(name: str, passes_dir: Path, texts: dict[str, str], skipped=(),
                 gold_dir: Path | None = None) -> tuple[str, list[str]]:
    """(Markdown section of the round's agreement, per pair of annotators and, once ``gold_dir`` holds the
    adjudicated gold of the round's documents, of each pass against it; disagreement lines)."""
    from annotation.agreement import disagreements

    passes = read_round(name, passes_dir, texts)
    parts = [f"### Round {name}", "",
             f"Generated by `troopclaims ls pull-round {name}` from `annotation/passes/{name}/`; "
             f"`troopclaims agreement annotation/passes/{name}/A annotation/passes/{name}/B --list` "
             "lists the differences. Documents one annotator skipped are left out of a pair's figures."]
    if skipped:
        parts += ["", "Skipped: " + ", ".join(f"`{d}` by {who}" for d, who in sorted(skipped)) + "."]
    lines: list[str] = []
    for a, b in itertools.combinations(sorted(passes), 2):
        both = {d: passes[a][d] for d in passes[a] if d in passes[b]}, {d: passes[b][d] for d in passes[a]
                                                                         if d in passes[b]}
        if not both[0]:
            parts += ["", f"{a} vs {b}: no document annotated by both."]
            continue
        tables, claim_lines = _agreement_tables(both, per_document=True)
        parts += ["", f"{a} (A) vs {b} (B), {len(both[0])} document(s):", *tables]
        lines += [f"{a} vs {b}: {line}" for line in disagreements(both) + claim_lines]
    if len(passes) < 2:
        parts += ["", f"Only {len(passes)} annotator(s) so far: no agreement to compute."]
    adjudicated = {d for d in texts if gold_dir is not None and (gold_dir / f"{d}.jsonl").is_file()}
    for who in sorted(passes):
        docs = sorted(d for d in passes[who] if d in adjudicated)
        if not docs:
            continue
        gold = {d: loads(read_text(gold_dir / f"{d}.jsonl", "a gold file (JSONL)"), texts[d],
                         str(gold_dir / f"{d}.jsonl")) for d in docs}
        parts += ["", f"{who} (A) vs the adjudicated gold (B), {len(docs)} document(s) (generated by "
                  f"`troopclaims ls pull-adjudication {name}`):",
                  *_agreement_tables(({d: passes[who][d] for d in docs}, gold), per_document=False)[0]]
    return "\n".join(parts) + "\n", lines


def _agreement_tables(both, *, per_document: bool) -> tuple[list[str], list[str]]:
    """(the span table, with a row per document or not, the claim line and the target line of a comparison;
    the claim disagreement lines)."""
    from annotation.agreement import (agreement, claim_agreement, format_agreement, format_claim_agreement,
                                      format_target_agreement, target_agreement)

    total, per_doc = agreement(both)
    n, same, fields, claim_lines = claim_agreement(both)
    return ["", format_agreement(total, per_doc if per_document else {}), "",
            format_claim_agreement(n, same, fields) + ".", "",
            format_target_agreement(*target_agreement(both)) + "."], claim_lines


def _markers(name: str) -> tuple[str, str]:
    return f"<!-- round:{name}:start -->", f"<!-- round:{name}:end -->"


def write_section(path: Path, name: str, section: str) -> None:
    """Replace the round's generated section of AGREEMENT.md (or append it), atomically."""
    from corpus.io import write_output

    start, end = _markers(name)
    text = path.read_text(encoding="utf-8") if path.exists() else "# Annotation agreement\n"
    block = f"{start}\n{section}{end}\n"
    if start in text and end in text:
        head, _, rest = text.partition(start)
        text = head + block + rest.partition(end)[2].lstrip("\n")
    else:
        if "## Rounds" not in text:
            text = text.rstrip("\n") + "\n\n## Rounds\n\nOne generated section per annotation round.\n"
        text = text.rstrip("\n") + "\n\n" + block
    write_output(path, text)


def _same(docs: list[Document]) -> bool:
    """Every pass annotated the document identically (ids aside), with the same publication date."""
    first = docs[0]
    return all(annotation_content(d.spans, d.claims) == annotation_content(first.spans, first.claims) and d.published == first.published
               for d in docs[1:])


def round_plan(passes: dict[str, dict[str, Document]], every: bool = False):
    """({doc_id: the agreed Document}, {doc_id: {annotator: Document}} to adjudicate), from the passes
    ``read_round`` reads.

    A document is agreed only when at least two annotators annotated it and all agree; a document with
    one pass (the other annotator skipped it) goes to adjudication too: one reading is not gold. With
    ``every``, every document goes to adjudication.
    """
    docs: dict[str, dict[str, Document]] = {}
    for who, theirs in passes.items():
        for doc_id, doc in theirs.items():
            docs.setdefault(doc_id, {})[who] = doc
    agreed, disputed = {}, {}
    for doc_id, by in sorted(docs.items()):
        if not every and len(by) >= 2 and _same(list(by.values())):
            agreed[doc_id] = next(iter(by.values()))
        else:
            disputed[doc_id] = by
    return agreed, disputed


@dataclass(frozen=True)
class AdjudicationPush:
    project_id: int
    project_url: str
    imported: tuple[str, ...]
    agreed: tuple[str, ...]


def push_adjudication(name: str, *, start_from: str, passes_dir: Path = PASSES_DIR, seeds_dir: Path = SEEDS_DIR,
                      url: str | None = None, api_key: str | None = None, every: bool = False) -> AdjudicationPush:
    """One task per disputed document, each annotator's pass as a prediction named after them; with
    ``every``, agreed documents too (when a rule settled after the passes may change them). The editor
    starts from the pass ``start_from`` names, or from nothing (``BLANK``): a choice the lead makes, never
    Label Studio's (the project's model version is the pass that pre-labels)."""
    check_round_name(name)
    server = Server.from_env(url, api_key)
    texts = load_seeds(seeds_dir)
    passes = read_round(name, passes_dir, texts)
    agreed, disputed = round_plan(passes, every)
    annotators = sorted(passes)
    if start_from != BLANK and start_from not in annotators:
        raise TroopclaimsError(f"--start-from {start_from!r}: not a pass of round {name}; give one of "
                               f"{', '.join(annotators)}, or {BLANK!r} for an empty editor")
    with talking_to(server, "pushing the adjudication"):
        ls = connect(server)
        project_id, _ = _ensure_project(ls, adjudication_project(name), 1)
        present = {(t.get("data") or {}).get("doc_id"): t for t in export_tasks(ls, project_id)}
        new = []
        for doc_id, by in disputed.items():
            if doc_id in present:
                continue
            first = next(iter(by.values()))
            new.append({"data": task_data(first),
                        "predictions": [{"model_version": who, "result": document_result(doc)}
                                        for who, doc in by.items()] + [{"model_version": BLANK, "result": []}]})
        if new:
            ls.projects.import_tasks(id=project_id, request=new, return_task_ids=True)
        for task in present.values():  # tasks pushed before the empty prediction existed
            if not any(p.get("model_version") == BLANK for p in task.get("predictions") or []):
                ls.predictions.create(task=task["id"], result=[], model_version=BLANK)
        # Label Studio pre-fills the editor from the project's model version, else from some pass: an empty
        # prediction named BLANK makes the clean slate a version like the passes
        start = {"model_version": start_from} if present or new else {}  # a version needs a prediction
        ls.projects.update(id=project_id, **start, show_collab_predictions=True,
                           description=f"Round {name}: the editor starts from "
                                       + ("nothing (a clean slate)" if start_from == BLANK else f"{start_from}'s pass")
                                       + f"; open a task from its row to see every pass as a tab "
                                         f"({', '.join(annotators)}).")
    return AdjudicationPush(project_id, f"{server.shown}/projects/{project_id}/data",
                            tuple(t["data"]["doc_id"] for t in new), tuple(agreed))


@dataclass(frozen=True)
class AdjudicationPull:
    written: tuple[Path, ...]
    adjudicated: tuple[str, ...]
    agreed: tuple[str, ...]


def pull_adjudication(name: str, *, passes_dir: Path = PASSES_DIR, seeds_dir: Path = SEEDS_DIR,
                      gold_dir: Path = GOLD_DIR, url: str | None = None, api_key: str | None = None,
                      agreement_file: Path | None = None) -> AdjudicationPull:
    """The round's gold: the adjudicator's annotation for each disputed document, the agreed pass for the
    rest (unless the adjudicator annotated it too: the adjudicator's word wins). Every document of the round
    must be settled and valid before any gold file is written. The round's section of ``agreement_file``
    then gains each pass's agreement with the gold."""
    from corpus.io import check_output

    check_round_name(name)
    server = Server.from_env(url, api_key)
    check_output(gold_dir, "folder")
    texts = load_seeds(seeds_dir)
    agreed, disputed = round_plan(read_round(name, passes_dir, texts))
    settled: dict[str, Document] = dict(agreed)
    with talking_to(server, "pulling the adjudication"):
        ls = connect(server)
        project_id = find_project(ls, adjudication_project(name))
        if project_id is None and disputed:
            raise LabelStudioError(f"Label Studio at {server.shown} has no project titled "
                                   f"{adjudication_project(name)!r}; run `troopclaims ls push-adjudication {name}`")
        if project_id is not None:
            check_config(ls, project_id, adjudication_project(name))
        tasks = export_tasks(ls, project_id) if project_id is not None else []
    # the round's tasks, an agreed document the adjudicator annotated too (push-adjudication --all) included
    round_docs = disputed.keys() | agreed.keys()
    ours = [t for t in tasks if (t.get("data") or {}).get("doc_id") in round_docs]
    docs, problems = convert_tasks(ours, texts)  # as `ls pull` reads its project
    where = {t["data"]["doc_id"]: task_where(t) for t in ours}
    problems += [f"{where[d.id]}: {p}" for d in docs for p in document_problems(d)]
    settled.update((d.id, d) for d in docs)
    adjudicated = {d.id for d in docs}
    pending = sorted(disputed.keys() - settled.keys())
    if pending:
        problems.append(f"not adjudicated yet: {', '.join(pending)} (submit an annotation in "
                        f"{adjudication_project(name)!r})")
    if problems:
        raise GoldError(problems)
    written = [gold_dir / f"{d}.jsonl" for d in settled
               if not ((gold_dir / f"{d}.jsonl").exists()
                       and (gold_dir / f"{d}.jsonl").read_text(encoding="utf-8") == dumps(settled[d]))]
    write_gold([settled[d] for d in sorted(settled)], gold_dir)
    if agreement_file is not None:
        write_section(agreement_file, name, round_report(name, passes_dir, texts, gold_dir=gold_dir)[0])
    return AdjudicationPull(tuple(written), tuple(sorted(adjudicated)), tuple(sorted(agreed.keys() - adjudicated)))
