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


def _cmd_push(args) -> int:
    from corpus.paths import GOLD_DIR

    from .sync import push

    result = push(project=args.project, extractor=args.extractor, overwrite=args.overwrite,
                  gold_dir=args.gold_dir or GOLD_DIR)
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


def add_ls_parser(sub) -> None:
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
    push.add_argument("--extractor", metavar="NAME",
                      help="also add this registered extractor's output as predictions (model version NAME)")
    push.add_argument("--overwrite", action="store_true",
                      help="add the local gold as the newest annotation even where Label Studio's differs "
                           "(earlier annotations stay in Label Studio)")
    push.add_argument("--gold-dir", type=Path, metavar="DIR", help="gold to push (default: annotation/gold)")
    push.set_defaults(func=_cmd_push)

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

    config = ls.add_parser(
        "config", help="print the labeling config XML",
        description=_wrap("Print the Label Studio labeling config generated from the label list "
                          "(corpus/labels.py). No server and no environment variables needed."))
    config.add_argument("--write", action="store_true",
                        help="rewrite annotation/label_studio/config.xml instead of printing")
    config.set_defaults(func=_cmd_config)
