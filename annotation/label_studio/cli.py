"""`troopclaims ls ...`: push tasks to and pull annotations from a Label Studio server.

Thin wrappers over sync.py; the SDK and the converters are imported inside
the commands so that `troopclaims` starts fast.
"""
from __future__ import annotations

import argparse
import textwrap
from pathlib import Path

from . import DEFAULT_PROJECT, ENV_KEY, ENV_URL

ENV_HELP = f"""environment:
  {ENV_URL:<21} address of the Label Studio server, e.g. http://127.0.0.1:8080
  {ENV_KEY:<21} API token (Account & Settings in Label Studio); never printed or stored"""


def _wrap(text: str) -> str:
    return textwrap.fill(text, width=78)


def _cmd_config(args) -> int:
    from .config import CONFIG_PATH, label_config, write_config

    if args.write:
        write_config()
        print(f"wrote {CONFIG_PATH}")
    else:
        print(label_config(), end="")
    return 0


def _predictions(args, docs):
    """(model version, Documents) from --extractor or --predictions, read by the reader the CLI on top gave."""
    if not (getattr(args, "extractor", None) or getattr(args, "predictions", None)):
        return None
    return args.read_predictions(args, docs)


def _cmd_push(args) -> int:
    from corpus.gold import read_gold
    from corpus.paths import GOLD_DIR
    from corpus.seeds import load_seeds

    from .sync import push

    gold_dir = args.gold_dir or GOLD_DIR
    predictions = _predictions(args, lambda: list(read_gold(load_seeds(), gold_dir).values()))
    result = push(project=args.project, predictions=predictions, overwrite=args.overwrite, gold_dir=gold_dir)
    print(f"{'created' if result.created else 'updated'} project {args.project!r}: {result.project_url}")
    for what, ids in (("imported as new tasks", result.imported), ("gold added as newest annotation", result.annotated),
                      ("predictions added", result.predicted), ("already up to date", result.unchanged)):
        if ids:
            print(f"  {what}: {', '.join(ids)}")
    return 0


def _cmd_pull(args) -> int:
    from corpus.paths import GOLD_DIR

    from .sync import pull

    result = pull(project=args.project, gold_dir=args.gold_dir or GOLD_DIR)
    for path in result.written:
        print(f"wrote {path}")
    if result.unchanged:
        print(f"{len(result.unchanged)} gold file(s) unchanged")
    if result.unannotated:
        print(f"no annotation yet, gold left alone: {'; '.join(result.unannotated)}")
    if result.written:
        print('next: `troopclaims validate`, then `troopclaims build --bump minor -m "..."` for the next dataset '
              "version, and commit annotation/gold/ with corpus/")
    return 0


def _cmd_push_round(args) -> int:
    from corpus.paths import GOLD_DIR, SEEDS_DIR

    from .rounds import push_round, round_documents

    seeds = args.seeds_dir or SEEDS_DIR
    predictions = _predictions(args, lambda: round_documents(args.docs, seeds))
    result = push_round(args.round, args.docs, predictions=predictions, annotations_per_task=args.annotators,
                        seeds_dir=seeds, gold_dir=args.gold_dir or GOLD_DIR, annotator=args.annotator)
    whose = f"{args.annotator}'s own" if args.annotator else f"{args.annotators} annotations per task"
    print(f"round {args.round}: project {result.project_url} ({whose})")
    if result.imported:
        print(f"  imported: {', '.join(result.imported)}")
    if result.already:
        print(f"  already in the project: {', '.join(result.already)}")
    return 0


def _cmd_pull_round(args) -> int:
    from corpus.paths import GOLD_DIR, SEEDS_DIR

    from .rounds import AGREEMENT_PATH, PASSES_DIR, pull_round

    agreement_file = args.agreement_file or AGREEMENT_PATH
    result = pull_round(args.round, passes_dir=args.passes_dir or PASSES_DIR, seeds_dir=args.seeds_dir or SEEDS_DIR,
                        agreement_file=agreement_file, gold_dir=GOLD_DIR, annotator=args.annotator)
    for path in result.written:
        print(f"wrote {path}")
    for doc_id, who in result.skipped:
        print(f"skipped by {who}: {doc_id}")
    if result.unannotated:
        print(f"no annotation yet: {', '.join(result.unannotated)}")
    print(f"\n{result.report}")
    print(f"(section 'Round {args.round}' of {agreement_file} regenerated)")
    if result.disagreements:
        print("disagreements:")
        for line in result.disagreements:
            print(f"  {line}")
    print(f"next: `troopclaims ls push-adjudication {args.round} --start-from NAME` (a pass) or "
          "`--start-from blank`")
    return 0


def _cmd_submit(args) -> int:
    from corpus.paths import SEEDS_DIR

    from .rounds import submit

    result = submit(args.round, args.files, adjudication=args.adjudication, seeds_dir=args.seeds_dir or SEEDS_DIR,
                    annotator=args.annotator)
    print(f"round {args.round}{' adjudication' if args.adjudication else ''}: {result.project_url}")
    for what, ids in (("created", result.created), ("updated", result.updated), ("unchanged", result.unchanged)):
        if ids:
            print(f"  {what}: {', '.join(ids)}")
    return 0


def _cmd_push_adjudication(args) -> int:
    from corpus.paths import SEEDS_DIR

    from .rounds import PASSES_DIR, push_adjudication

    result = push_adjudication(args.round, passes_dir=args.passes_dir or PASSES_DIR,
                               seeds_dir=args.seeds_dir or SEEDS_DIR, every=args.all, start_from=args.start_from)
    print(f"adjudication of round {args.round}: project {result.project_url}")
    print("  the editor starts from " + ("nothing" if args.start_from == "blank" else f"{args.start_from}'s pass"))
    print(f"  to adjudicate: {', '.join(result.imported) or 'nothing new'}")
    if result.agreed:
        print(f"  agreed by every annotator (gold as is): {', '.join(result.agreed)}")
    return 0


def _cmd_pull_adjudication(args) -> int:
    from corpus.paths import GOLD_DIR, SEEDS_DIR

    from .rounds import AGREEMENT_PATH, PASSES_DIR, pull_adjudication

    agreement_file = args.agreement_file or AGREEMENT_PATH
    result = pull_adjudication(args.round, passes_dir=args.passes_dir or PASSES_DIR,
                               seeds_dir=args.seeds_dir or SEEDS_DIR, gold_dir=args.gold_dir or GOLD_DIR,
                               agreement_file=agreement_file)
    for path in result.written:
        print(f"wrote {path}")
    print(f"round {args.round}: {len(result.adjudicated)} adjudicated, {len(result.agreed)} agreed; each pass "
          f"against the gold in section 'Round {args.round}' of {agreement_file}")
    print('next: `troopclaims validate`, then `troopclaims build --bump minor -m "..."`, and commit '
          "seeds/, annotation/ and corpus/")
    return 0


def _prediction_args(p) -> None:
    g = p.add_mutually_exclusive_group()
    g.add_argument("--extractor", metavar="NAME",
                   help="also add this extractor's output as predictions (model version: its name)")
    g.add_argument("--predictions", metavar="FILE",
                   help="also add these predictions (a file `troopclaims score --predictions` reads)")
    p.add_argument("--format", choices=("jsonl", "mentions", "label-studio", "conll"),
                   help="format of --predictions (default: from the extension)")


def _round_args(p, *, seeds=True, passes=True) -> None:
    p.add_argument("round", metavar="ROUND", help="the round's name (r1, 2025-03): names its folder and projects")
    if seeds:
        p.add_argument("--seeds-dir", type=Path, metavar="DIR", help="texts and provenance (default: seeds)")
    if passes:
        p.add_argument("--passes-dir", type=Path, metavar="DIR", help="default: annotation/passes")


def _refuse_predictions(args, docs):
    from corpus.errors import UsageError

    raise UsageError("predictions can only be read when troopclaims' own CLI runs this command")


def add_ls_parser(sub, read_predictions=_refuse_predictions) -> None:
    """``read_predictions(args, docs)`` -> (model version, {doc_id: Document}); given by the CLI on top
    (eval/cli.py), which owns the extractors and the predictions readers. ``docs`` is a callable."""
    fmt = argparse.RawDescriptionHelpFormatter
    p = sub.add_parser(
        "ls", help="sync gold with a Label Studio server (push, pull, config)", formatter_class=fmt, epilog=ENV_HELP,
        description=_wrap("Label Studio round trip: push the seeds and gold (and optionally an extractor's "
                          "predictions) to a project, annotate there, pull the annotations back into "
                          "annotation/gold/. Annotator guide: annotation/label_studio/README.md."))
    ls = p.add_subparsers(dest="ls_command", metavar="SUBCOMMAND", required=True)

    push = ls.add_parser(
        "push", help="create or update the project with the config, tasks and gold", formatter_class=fmt,
        epilog=ENV_HELP,
        description=_wrap("Create the project titled --project (or update the one that exists): the labeling "
                          "config, one task per seed, each gold file as an annotation. Tasks already in the "
                          "project are matched by doc_id; work done in Label Studio that is not in the local "
                          "gold stops the push (nothing is changed) unless --overwrite."))
    push.add_argument("--project", default=DEFAULT_PROJECT, metavar="TITLE",
                      help=f"project title (default: {DEFAULT_PROJECT})")
    _prediction_args(push)
    push.add_argument("--overwrite", action="store_true",
                      help="add the local gold as the newest annotation even where Label Studio's differs "
                           "(earlier annotations stay in Label Studio)")
    push.add_argument("--gold-dir", type=Path, metavar="DIR", help="gold to push (default: annotation/gold)")
    push.set_defaults(func=_cmd_push, read_predictions=read_predictions)

    pull = ls.add_parser(
        "pull", help="export the project's annotations into gold files", formatter_class=fmt, epilog=ENV_HELP,
        description=_wrap("Export the project with full annotation bodies, take each task's newest "
                          "non-cancelled annotation, check offsets against the seeds, validate against the "
                          "label contract, and only then write the changed gold files (atomically). Regions "
                          "new in Label Studio get the next free T<n> id."))
    pull.add_argument("--project", default=DEFAULT_PROJECT, metavar="TITLE",
                      help=f"project title (default: {DEFAULT_PROJECT})")
    pull.add_argument("--gold-dir", type=Path, metavar="DIR", help="where to write (default: annotation/gold)")
    pull.set_defaults(func=_cmd_pull)

    rp = ls.add_parser(
        "push-round", help="start an annotation round: new documents, several annotations per task",
        formatter_class=fmt, epilog=ENV_HELP,
        description=_wrap("Create the project 'troopclaims round ROUND' asking for --annotators annotations per "
                          "task and add one task per DOC (documents added with `troopclaims add-article`, "
                          "without gold). An extractor's output is added as predictions, never as "
                          "annotations, so every task stays work to do."))
    _round_args(rp, passes=False)
    rp.add_argument("docs", nargs="+", metavar="DOC", help="document ids of the round")
    rp.add_argument("--annotators", type=int, default=2, metavar="N", help="annotations per task (default: 2)")
    rp.add_argument("--annotator", metavar="NAME",
                    help="push into NAME's own project, 'troopclaims round ROUND for NAME' (one annotation per "
                         "task), on the server in LABEL_STUDIO_URL: give each annotator a server of their own "
                         "to keep them apart (open-source Label Studio shows every project to every user)")
    rp.add_argument("--gold-dir", type=Path, metavar="DIR", help="default: annotation/gold")
    _prediction_args(rp)
    rp.set_defaults(func=_cmd_push_round, read_predictions=read_predictions)

    pr = ls.add_parser(
        "pull-round", help="keep each annotator's work as a pass; agreement and disagreements",
        formatter_class=fmt, epilog=ENV_HELP,
        description=_wrap("Export the round's project; each annotator's newest submitted annotation of each "
                          "task becomes their pass, annotation/passes/ROUND/<annotator>/ (skipped tasks are "
                          "listed). Every pass is validated before anything is written; a labeling config "
                          "changed in the browser, or an annotation last changed by another account, is "
                          "refused. Prints the round's agreement (spans per label, claims) and its "
                          "disagreements, and regenerates the round's section of annotation/AGREEMENT.md."))
    _round_args(pr)
    pr.add_argument("--agreement-file", type=Path, metavar="FILE", help="default: annotation/AGREEMENT.md")
    pr.add_argument("--annotator", metavar="NAME",
                    help="pull NAME's own project (see push-round --annotator) into the pass folder NAME; the "
                         "agreement is computed with the passes already pulled")
    pr.set_defaults(func=_cmd_pull_round)

    sb = ls.add_parser(
        "submit", help="send annotation files (gold format) as your own annotations of a round's tasks",
        formatter_class=fmt, epilog=ENV_HELP,
        description=_wrap("For annotators who work outside the browser (scripts, language-model sessions): "
                          "each FILE, named <doc_id>.jsonl in the gold format, is validated against the task's "
                          "text, then becomes the annotation of the account whose token is in the environment "
                          "(replacing that account's earlier one; other annotators' work is never shown or changed). "
                          "Nothing is sent unless every file is valid."))
    _round_args(sb, passes=False)
    sb.add_argument("files", nargs="+", type=Path, metavar="FILE", help="annotation files, <doc_id>.jsonl")
    sb.add_argument("--adjudication", action="store_true", help="submit to the round's adjudication project")
    sb.add_argument("--annotator", metavar="NAME", help="submit to NAME's own project (push-round --annotator)")
    sb.set_defaults(func=_cmd_submit)

    pa = ls.add_parser(
        "push-adjudication", help="one adjudication task per document the passes disagree on",
        formatter_class=fmt, epilog=ENV_HELP,
        description=_wrap("Create 'troopclaims round ROUND adjudication' with one task per document whose "
                          "passes differ (or that only one annotator did), each pass shown as a prediction "
                          "named after its annotator (open a task from its Data Manager row to see them as "
                          "tabs). The editor starts from the pass --start-from names, or from nothing. The "
                          "adjudicator's submitted annotation becomes gold."))
    _round_args(pa)
    pa.add_argument("--start-from", required=True, metavar="NAME",
                    help="what the adjudicator's editor starts from: the pass of annotator NAME, or 'blank' for "
                         "an empty editor (every pass is shown either way); required, so it is never a silent "
                         "default")
    pa.add_argument("--all", action="store_true",
                    help="every document of the round, agreed ones too (after a rule settled since the passes)")
    pa.set_defaults(func=_cmd_push_adjudication)

    pg = ls.add_parser(
        "pull-adjudication", help="write the round's gold: adjudicated and agreed documents",
        formatter_class=fmt, epilog=ENV_HELP,
        description=_wrap("The adjudicator's newest submitted annotation of each task, and the agreed pass of "
                          "every other document of the round, validated, then written to the gold folder. "
                          "Nothing is written while a document is not adjudicated."))
    _round_args(pg)
    pg.add_argument("--gold-dir", type=Path, metavar="DIR", help="default: annotation/gold")
    pg.add_argument("--agreement-file", type=Path, metavar="FILE", help="default: annotation/AGREEMENT.md")
    pg.set_defaults(func=_cmd_pull_adjudication)

    config = ls.add_parser(
        "config", help="print the labeling config XML",
        description=_wrap("Print the Label Studio labeling config generated from the label list "
                          "(corpus/labels.py). No server and no environment variables needed."))
    config.add_argument("--write", action="store_true",
                        help="rewrite annotation/label_studio/config.xml instead of printing")
    config.set_defaults(func=_cmd_config)
