"""The `troopclaims` command: one entry point, one subcommand per job.

Each subcommand parses its arguments, calls a library function that returns
data, and prints it; heavy libraries are imported inside the subcommand.
"""
from __future__ import annotations

import argparse
import sys

from corpus.errors import TroopclaimsError


def _cmd_build(args) -> int:
    from corpus.build import build, check

    if args.check:
        result = check()
        print(f"corpus/ is up to date: version {result.version}, {result.fingerprint}")
        return 0
    result = build(bump=args.bump, message=args.message)
    print(f"built corpus/ version {result.version} ({result.fingerprint}): {result.documents} documents, "
          f"{result.sentences} sentences, {result.spans} spans, {result.claims} claims")
    return 0


def _add_build_parser(sub) -> None:
    p = sub.add_parser("build", help="build the Hugging Face dataset in corpus/ from seeds/ and annotation/gold/",
                       description="Validate the gold and write corpus/: Parquet data for the `sentences` and "
                                   "`documents` configs, the dataset card and the changelog. Deterministic: "
                                   "a rebuild is byte-identical. A change to the data needs a new version.")
    p.add_argument("--bump", choices=("patch", "minor", "major"),
                   help="release the changed data as a new version (adds a changelog entry)")
    p.add_argument("--message", "-m", help="the changelog entry for --bump: what changed")
    p.add_argument("--check", action="store_true",
                   help="write nothing; fail if corpus/ differs from a fresh build or the data changed "
                        "without a version bump")
    p.set_defaults(func=_cmd_build)


def _cmd_validate(args) -> int:
    from corpus.build import load_documents

    docs = load_documents()
    n_spans = sum(len(d.spans) for d in docs)
    n_claims = sum(len(d.claims) for d in docs)
    print(f"gold is valid: {len(docs)} documents, {n_spans} spans, {n_claims} claims")
    return 0


def _add_validate_parser(sub) -> None:
    p = sub.add_parser("validate", help="check all gold files against the label contract",
                       description="Check every gold file: offsets match the seed text, spans lie on token "
                                   "boundaries within one sentence, no overlaps, known labels, claim "
                                   "references resolve, normalized values agree with the span text. Exits 1 "
                                   "listing each problem with doc id and span id.")
    p.set_defaults(func=_cmd_validate)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="troopclaims",
        description="troopclaims: a benchmark for who claimed which number when. "
                    "Build and validate the dataset, score extractors, run the leaderboard, "
                    "and sync annotations with Label Studio.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for add in ADDERS:
        add(sub)
    return parser


def _add_ls_parser(sub) -> None:
    from annotation.label_studio.cli import add_ls_parser

    add_ls_parser(sub)


ADDERS = [_add_build_parser, _add_validate_parser, _add_ls_parser]


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except TroopclaimsError as exc:
        print(f"troopclaims {args.command}: error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
