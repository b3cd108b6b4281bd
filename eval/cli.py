"""The `troopclaims` command: one entry point, one subcommand per job.

Each subcommand parses its arguments, calls a library function that returns
data, and prints it; heavy libraries are imported inside the subcommand.
"""
from __future__ import annotations

import argparse
import os
import sys
from dataclasses import replace
from pathlib import Path

from corpus.errors import TroopclaimsError, UsageError


def _cmd_build(args) -> int:
    from corpus.build import build, check

    if args.check:
        result = check()
        print(f"corpus/ is up to date: version {result.version}, {result.fingerprint}")
        return 0
    if args.pre and not args.bump:
        raise UsageError("--pre needs --bump: a release candidate is a new version")
    result = build(bump=args.bump, message=args.message, pre=args.pre)
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
    p.add_argument("--pre", action="store_true",
                   help="with --bump: a release candidate (1.0.0 -> 2.0.0-rc.1 with --bump major; from a "
                        "candidate, the next candidate), not published; --bump without --pre then releases it")
    p.add_argument("--check", action="store_true",
                   help="write nothing; fail if corpus/ differs from a fresh build or the data changed "
                        "without a version bump")
    p.set_defaults(func=_cmd_build)


def _cmd_release(args) -> int:
    from corpus.build import check
    from corpus.release import DEFAULT_OUT, write_release

    from corpus.io import check_output

    if args.out is not None:
        check_output(args.out, "folder")  # '' is refused, never read as the current folder
    result = check()  # publish only what the sources build, with its changelog entry
    target = (Path(args.out) if args.out is not None else DEFAULT_OUT).resolve()
    files = write_release(target)
    out = (target.relative_to(Path.cwd()) if target.is_relative_to(Path.cwd()) else target).as_posix() + "/"
    print(f"wrote {out}: troopclaims {result.version} ({result.fingerprint}), {len(files)} files, "
          f"{sum(len(b) for b in files.values())} bytes, no code")
    from corpus.datasheet import HUB_ID
    from corpus.release import publish_commands

    print("publish with (one commit that also deletes stale data files, then the version tag):")
    for command in publish_commands(out, result.version, result.fingerprint, HUB_ID):
        print(f"  {command}")
    return 0


def _add_release_parser(sub) -> None:
    p = sub.add_parser("release", help="write the Hub-ready dataset folder (no code) for `hf upload`",
                       description="Check that corpus/ is what the sources build, then write a folder holding "
                                   "only the dataset: data/, the card (README.md), CHANGELOG.md, croissant.json, "
                                   "LICENSE and NOTICE. The folder is replaced as a whole; one holding other "
                                   "files is refused. Nothing is uploaded: it prints the `hf upload` (deleting "
                                   "stale data files in the same commit) and `hf repos tag create` commands that "
                                   "publish it as its version.")
    p.add_argument("--out", metavar="DIR", help="the folder to write (default: release/, git-ignored)")
    p.set_defaults(func=_cmd_release)


def _cmd_validate(args) -> int:
    from corpus.build import load_documents

    if args.gold_dir and args.gold_dir.is_dir() and not any(args.gold_dir.glob("*.jsonl")):
        raise TroopclaimsError(f"{args.gold_dir}: holds no gold files (<doc_id>.jsonl); nothing to validate")
    docs = load_documents(gold_dir=args.gold_dir) if args.gold_dir else load_documents()
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
    p.add_argument("--gold-dir", type=Path, help="validate the gold files in this folder (default: annotation/gold)")
    p.set_defaults(func=_cmd_validate)


def _source_from_args(args):
    from eval import sources

    given = [x for x in (args.extractor, args.spacy, args.predictions, args.command) if x is not None]
    if len(given) != 1:
        raise UsageError("name exactly one of --extractor, --spacy, --predictions, --command")
    source = _source_of(args, sources)
    if getattr(args, "name", None) is not None:
        source.name = args.name
    return source


def _source_of(args, sources):
    if args.extractor:
        return sources.resolve(args.extractor, **_llm_options(args))
    if args.label_map and not args.spacy:
        raise UsageError("--label-map goes with --spacy (it maps a spaCy pipeline's labels)")
    if args.spacy:
        return sources.from_spacy(args.spacy, dict(args.label_map or []))
    if args.predictions:
        return sources.from_predictions(args.predictions, args.format)
    if args.format not in (None, "jsonl", "mentions"):
        raise UsageError(f"--format {args.format} is for files; a command writes jsonl or mentions")
    return sources.from_command(args.command, args.format, getattr(args, "pass_env", None) or ())


LLM_OPTIONS = ("model", "base_url", "api_key_env", "few_shot", "cache_dir", "no_cache", "concurrency",
               "max_retries", "request_timeout")


def _llm_options(args) -> dict:
    """The llm.v1 flags that were given (the extractor reads the rest from the environment)."""
    given = {k: getattr(args, k, None) for k in LLM_OPTIONS}
    return {k: v for k, v in given.items() if v is not None and v is not False}  # 0 is a value, not unset


def _timeout(value: str) -> float:
    """argparse type: a finite number of seconds above zero."""
    try:
        seconds = float(value)
    except ValueError:
        seconds = float("nan")
    if not (0 < seconds < float("inf")):
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of seconds above zero (e.g. 600)")
    return seconds


def _whole(least: int):
    """argparse type: a whole number >= ``least`` (0 is a value, never "unset")."""
    def parse(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            number = least - 1
        if number < least:
            raise argparse.ArgumentTypeError(f"{value!r} is not a whole number >= {least}")
        return number
    return parse


def _system_name(value: str) -> str:
    """argparse type: a system's name on the leaderboard (eval.result.name_problem)."""
    from eval.result import name_problem

    if problem := name_problem(value):
        raise argparse.ArgumentTypeError(f"{value!r} {problem}")
    return value


def _label_pair(value: str) -> tuple[str, str]:
    """argparse type: THEIRS=OURS, both sides non-empty."""
    theirs, eq, ours = value.partition("=")
    if not eq or not theirs.strip() or not ours.strip():
        raise argparse.ArgumentTypeError(f"{value!r} is not THEIRS=OURS (e.g. CARDINAL=QUANTITY)")
    return theirs.strip(), ours.strip()


def _add_split_arg(p, *, every: bool = False) -> None:
    """--split: which part of the dataset to score or show (test by default: the held-out articles)."""
    from corpus.dataset import ALL_SPLITS, DEFAULT_SPLIT, SPLITS

    choices = (*SPLITS, ALL_SPLITS) if every else SPLITS
    default = ALL_SPLITS if every else DEFAULT_SPLIT
    p.add_argument("--split", choices=choices, default=default,
                   help=f"the dataset split (default: {default}; validation holds the seed articles the "
                        "guidelines and baselines were written from, test the held-out articles)")


def _add_source_args(p) -> None:
    from eval import DEFAULT_TIMEOUT

    g = p.add_argument_group("what to score (name one)")
    g.add_argument("--extractor", metavar="NAME",
                   help="a registered extractor (regex.v1; see `troopclaims extractors`) or an import path "
                        "package.module:object (an extractor, a factory, or a function text -> spans)")
    g.add_argument("--spacy", metavar="PIPELINE", help="an installed spaCy pipeline (package name or path)")
    g.add_argument("--label-map", metavar="THEIRS=OURS", nargs="+", type=_label_pair,
                   help="with --spacy: map pipeline labels to QUANTITY/ATTRIBUTION/DATE, e.g. CARDINAL=QUANTITY")
    g.add_argument("--predictions", metavar="FILE",
                   help="a predictions file: JSONL {doc_id, spans, claims?} per line ('-' for stdin), "
                        "a Label Studio JSON export, or CoNLL token<TAB>tag columns")
    g.add_argument("--format", choices=("jsonl", "mentions", "label-studio", "conll"),
                   help="with --predictions: the file format (default: from the extension .jsonl/.json/.conll); "
                        "with --command: what it writes (jsonl or mentions). `mentions` (spans and claims as "
                        "strings, aligned to offsets: eval/ALIGNMENT.md) is never guessed")
    g.add_argument("--command", metavar="CMD",
                   help="an external program reading documents as JSONL {doc_id, text, published} on stdin "
                        "and writing predictions JSONL on stdout; at most 64 MiB of output; it does not "
                        "inherit credentials (*_API_KEY, *_TOKEN, ...) unless named with --pass-env")
    g.add_argument("--pass-env", metavar="NAME", action="append",
                   help="with --command: let this environment variable through to the command (repeatable)")
    g.add_argument("--name", type=_system_name, metavar="NAME",
                   help="the system's name in the record and on the leaderboard (default: the extractor's name; "
                        "for llm.v1, llm.v1:<model>)")
    llm = p.add_argument_group("llm.v1 (an OpenAI-compatible Chat Completions server; see README 'Score an LLM')")
    llm.add_argument("--model", help="model name (default: $OPENAI_MODEL)")
    llm.add_argument("--base-url", metavar="URL", help="server URL, e.g. http://127.0.0.1:8000/v1 "
                     "(default: $OPENAI_BASE_URL, else the OpenAI API)")
    llm.add_argument("--api-key-env", metavar="VAR",
                     help="the environment variable holding the API key (default: OPENAI_API_KEY); the key "
                          "itself is never taken on the command line, printed or written")
    llm.add_argument("--few-shot", metavar="FILE", type=Path,
                     help="JSONL examples {text, answer: {mentions, claims}}; refused if a text occurs in the gold")
    llm.add_argument("--cache-dir", metavar="DIR", type=Path,
                     help="response cache (default: $TROOPCLAIMS_CACHE or ~/.cache/troopclaims/llm)")
    llm.add_argument("--no-cache", action="store_true", help="neither read nor write the response cache")
    llm.add_argument("--concurrency", type=_whole(1), metavar="N", help="requests at once, >= 1 (default: 4)")
    llm.add_argument("--max-retries", type=_whole(0), metavar="N",
                     help="retries with backoff on 429, 5xx and timeouts; 0: none (default: 4)")
    llm.add_argument("--request-timeout", type=_timeout, metavar="SECONDS", help="per request (default: 120)")
    p.add_argument("--timeout", type=_timeout, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                   help=f"fail an extractor or command that runs longer (default: {DEFAULT_TIMEOUT:g})")


def _cmd_score(args) -> int:
    from corpus.io import check_output
    from eval.goldset import load_goldset
    from eval.report import format_record
    from eval.result import write_result
    from eval.score import evaluate

    if args.out is not None:
        check_output(args.out)  # before scoring: never a score computed, printed and then not saved
    record = evaluate(_source_from_args(args), load_goldset(split=args.split), timeout=args.timeout)
    if args.out is not None:
        write_result(record, args.out)  # first: a failed write prints no score
    print(format_record(record), file=sys.stderr if args.out == "-" else sys.stdout)
    if args.out is not None and args.out != "-":
        print(f"\nwrote {args.out}")
    return 0


def _add_score_parser(sub) -> None:
    p = sub.add_parser("score", help="score one extractor or predictions file against the gold",
                       description="Score predictions against the gold of the built dataset (corpus/). "
                                   "Predicted spans are projected onto the gold's tokens; boundaries inside a "
                                   "token are widened and counted. Headline: seqeval strict mode, IOB2 scheme. "
                                   "Also: seqeval default (conlleval) mode and SemEval-2013 span matching "
                                   "(strict, exact, partial, ent_type). Malformed predictions are an error "
                                   "naming the file and line, never a score.")
    _add_source_args(p)
    _add_split_arg(p)
    p.add_argument("--out", metavar="RESULT.json",
                   help="write the result record (format: eval/RESULT_FORMAT.md); '-': to standard output "
                        "(the table then goes to standard error)")
    p.set_defaults(func=_cmd_score)


def _cmd_extractors(args) -> int:
    from models.registry import NEEDS_SERVICE, REGISTRY

    for name in sorted(REGISTRY):
        needs = "  (needs an LLM server: README 'Score an LLM'; the leaderboard runs it only when given)" \
            if name in NEEDS_SERVICE else ""
        print(f"{name:<18} {REGISTRY[name]}{needs}")
    return 0


def _add_extractors_parser(sub) -> None:
    p = sub.add_parser("extractors", help="list the registered extractors",
                       description="List the registered extractors: the versioned names that `troopclaims score "
                                   "--extractor NAME` and the leaderboard accept, and the module:factory each "
                                   "name loads. A changed extractor gets a new version; old names stay "
                                   "registered so earlier results can be reproduced.")
    p.set_defaults(func=_cmd_extractors)


def _leaderboard_arguments(p: argparse.ArgumentParser) -> None:
    from eval import bootstrap

    _add_source_args(p)
    _add_split_arg(p)
    p.add_argument("--out", metavar="DIR", help="the leaderboard folder (default: leaderboard/)")
    p.add_argument("--samples", type=int, default=bootstrap.DEFAULT_SAMPLES, help="bootstrap resamples (1000)")
    p.add_argument("--seed", type=int, default=bootstrap.DEFAULT_SEED, help="bootstrap seed")
    p.add_argument("--unit", choices=("sentences", "documents"), default="sentences",
                   help="what the paired test and per-label intervals resample (default: sentences); the table "
                        "shows the micro F1 interval of both")
    p.add_argument("--results", metavar="DIR", type=Path,
                   help="also rank the result records (*.json) in DIR, made elsewhere (an LLM run on a GPU "
                        "machine, a colleague's system), without rerunning them; records of another dataset "
                        "version are refused")
    p.add_argument("--only-given", action="store_true", help="rank only the systems given, not the registered ones")
    p.add_argument("--no-readme", action="store_true", help="do not rewrite the README's leaderboard table")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")


def _cmd_leaderboard(args) -> int:
    from corpus.io import check_output
    from corpus.dataset import DEFAULT_SPLIT
    from eval.leaderboard import DEFAULT_OUT, run_leaderboard, update_readme
    from eval.stored import stored_paths
    from models.registry import NEEDS_SERVICE

    check_output(DEFAULT_OUT if args.out is None else args.out, "folder")  # before hours of scoring; '' refused
    args.out = DEFAULT_OUT if args.out is None else Path(args.out)
    given = (args.extractor, args.spacy, args.predictions, args.command)
    extra = [_source_from_args(args)] if any(x is not None for x in given) else []
    stored = stored_paths(args.results) if args.results else []
    rows = run_leaderboard(extra, args.out, samples=args.samples, seed=args.seed, unit=args.unit,
                           timeout=args.timeout, progress=not args.no_progress, registered=not args.only_given,
                           stored=stored, split=args.split)
    table = (args.out / "leaderboard.md").read_text(encoding="utf-8")
    print(table)
    print(f"wrote {args.out}/: leaderboard.md, leaderboard.csv, leaderboard.png, results/, errors/")
    skipped = sorted(n for n in NEEDS_SERVICE if not any(r.name == n or r.name.startswith(f"{n}:") for r in rows))
    if skipped and not args.only_given:
        print(f"not run: {', '.join(skipped)} (needs an LLM server; give it with --extractor llm.v1 --model NAME, "
              "or rank its stored records with --results DIR: README 'Score an LLM')")
    if not args.no_readme and not args.only_given and not extra and not stored and args.split == DEFAULT_SPLIT:
        if update_readme(table):
            print("updated the leaderboard table in README.md")
    return 0


def _add_leaderboard_parser(sub) -> None:

    p = sub.add_parser("leaderboard", help="run every registered extractor (and any given) and rank them",
                       description="Score every registered extractor, plus one given with --extractor, --spacy, "
                                   "--predictions or --command, on the built dataset. Writes a folder with a "
                                   "Markdown table, a CSV, one result record and one HTML error report per "
                                   "system, and a PNG of per-label F1 with 95% bootstrap intervals; ranks by "
                                   "strict micro F1 with a paired bootstrap test against the best. Also runnable "
                                   "as `python -m eval.leaderboard`.")
    _leaderboard_arguments(p)
    p.set_defaults(func=_cmd_leaderboard)


def _cmd_claims(args) -> int:
    from eval.claims import format_claims
    from eval.goldset import load_goldset

    gold = load_goldset(split=args.split)
    matches = [d for d in gold.documents if d.startswith(args.doc)]
    if len(matches) != 1:
        raise TroopclaimsError(f"{args.doc!r} names {len(matches)} documents; give a document id or a unique "
                               f"prefix of one: {', '.join(sorted(gold.documents))}")
    args.doc = matches[0]
    if any(x is not None for x in (args.extractor, args.spacy, args.predictions, args.command)):
        preds = _source_from_args(args).predictions(gold.documents, gold.sentences, args.timeout)
        doc = replace(preds.documents[args.doc], published=gold.documents[args.doc].published)
    else:
        doc = gold.documents[args.doc]
    print(format_claims(doc))
    return 0


def _add_claims_parser(sub) -> None:
    p = sub.add_parser("claims", help="list a document's claims: quantity, range, source, date",
                       description="List the claims of one document as a table (quantity, normalized range, "
                                   "source, date and its ISO value), from the gold or from an extractor, so "
                                   "conflicting estimates stand side by side. DOC is a document id or a "
                                   "unique prefix of one (e.g. 001).")
    p.add_argument("doc", metavar="DOC", help="document id or unique prefix")
    _add_source_args(p)
    _add_split_arg(p, every=True)
    p.set_defaults(func=_cmd_claims)


def _cmd_ledger(args) -> int:
    from corpus.io import check_output
    from corpus.dataset import ALL_SPLITS
    from corpus.labels import TARGET_NAMES
    from eval.goldset import load_goldset
    from eval.ledger import bounds_of, compare, ledger, write_ledger

    unknown = [t for t in args.target or () if t not in TARGET_NAMES]
    if unknown:
        raise UsageError(f"--target {unknown[0]!r} is not a claim target; allowed: {', '.join(TARGET_NAMES)}")
    for name in ("ledger.md", "ledger.csv", "ledger.png", "ledger.html"):
        check_output(args.out / name)  # before any work: never a ledger computed and then not saved
    gold = load_goldset(split=args.split)
    title = f"troopclaims {gold.version} claims ledger" + ("" if args.split == ALL_SPLITS else f" ({args.split})")
    if any(x is not None for x in (args.extractor, args.spacy, args.predictions, args.command)):
        source = _source_from_args(args)
        preds = source.predictions(gold.documents, gold.sentences, args.timeout)
        gold_rows, pred_rows = compare(gold.documents, preds.documents, bounds_of(gold.sentences), args.target)
        sides = {"gold": gold_rows, f"predicted ({source.name})": pred_rows}
        title += f": gold and {source.name}"
    else:
        sides = {"gold": ledger(gold.documents, bounds_of(gold.sentences), args.target)}
    counts = write_ledger(args.out, sides, {d: doc.text for d, doc in gold.documents.items()}, title)
    flags = f", {counts['missed']} missed, {counts['invented']} invented" if len(sides) > 1 else ""
    print(f"{counts['claims']} claim(s) in {len(sides)} ledger(s), {counts['marks']} dated on the timeline, "
          f"{counts['undated']} without a date value{flags}")
    print(f"wrote {args.out}/ledger.md, ledger.csv, ledger.png, ledger.html")
    return 0


def _add_ledger_parser(sub) -> None:
    from corpus.labels import TARGET_NAMES

    p = sub.add_parser("ledger", help="who claimed which number when, across all documents, per claim target",
                       description="Line up every claim of every document by what it counts (its target): "
                                   "the claimed range, source, date and ISO value, document and sentence, "
                                   "sorted by date; claims without a date value are listed apart. From the "
                                   "gold, or from an extractor or predictions (the sources `score` takes): "
                                   "then the gold ledger and the predicted one side by side, with the claims "
                                   "the system missed or invented marked. Writes ledger.md, ledger.csv, "
                                   "ledger.png (a timeline per target, one colour per source) and ledger.html "
                                   "(picture, table and each claim's sentence highlighted).")
    p.add_argument("--target", action="append", metavar="TARGET",
                   help=f"only this target (repeatable): {', '.join(TARGET_NAMES)}")
    p.add_argument("--out", type=Path, default=Path("ledger"), metavar="DIR",
                   help="folder to write into (default: ledger/)")
    _add_source_args(p)
    _add_split_arg(p, every=True)
    p.set_defaults(func=_cmd_ledger)


def _cmd_agreement(args) -> int:
    from annotation.agreement import (agreement, claim_agreement, disagreements, format_agreement,
                                      format_claim_agreement, format_target_agreement, read_passes,
                                      target_agreement)

    passes = read_passes(args.pass_a, args.pass_b)
    total, same, fields, claim_lines = claim_agreement(passes)
    print(format_agreement(*agreement(passes)))
    print("\n" + format_claim_agreement(total, same, fields))
    print(format_target_agreement(*target_agreement(passes)))
    if args.list:
        print("\n" + "\n".join(disagreements(passes) + claim_lines))
    return 0


def _add_agreement_parser(sub) -> None:
    p = sub.add_parser("agreement", help="span agreement between two annotation passes",
                       description="Compare two folders of gold-format files (two independent annotation "
                                   "passes) with the project's span matching: exact-match and overlap F1 per "
                                   "label, and where they differ (boundary, label, only in one pass); then "
                                   "how many claims are identical (same links, values and target) and which fields differ, "
                                   "and how often the two passes give a matched claim the same target.")
    p.add_argument("pass_a", type=Path, help="folder of the first pass (the reference)")
    p.add_argument("pass_b", type=Path, help="folder of the second pass")
    p.add_argument("--list", action="store_true", help="also list every span the passes do not share, in context, and every claim field that differs")
    p.set_defaults(func=_cmd_agreement)


def _cmd_align(args) -> int:
    from corpus.io import check_output
    from eval.goldset import load_goldset
    from eval.mentions import aligned_lines
    from eval.sources import from_predictions

    if args.out not in (None, "-"):
        check_output(args.out)  # before any work
    gold = load_goldset(split=args.split)
    preds = from_predictions(args.file, "mentions").predictions(gold.documents, gold.sentences)
    content = aligned_lines(preds, {d: doc.text for d, doc in gold.documents.items()})
    if args.out in (None, "-"):
        sys.stdout.write(content)
    else:
        from corpus.io import write_output

        write_output(Path(args.out), content)
    unaligned = [(d, u) for d in sorted(preds.unaligned) for u in preds.unaligned[d]]
    n_spans = sum(len(d.spans) for d in preds.documents.values())
    print(f"aligned {n_spans} spans in {len(preds.documents)} documents: {preds.normalized} found only after "
          f"normalization, {preds.duplicates} duplicate(s), {len(unaligned)} string(s) not in the text"
          + (f"; wrote {args.out}" if args.out not in (None, "-") else ""), file=sys.stderr)
    for d, u in unaligned:
        print(f"  {d} {u.where}: {u.label} {u.text!r}: {u.reason}", file=sys.stderr)
    return 0


def _add_align_parser(sub) -> None:
    p = sub.add_parser("align", help="turn mention strings into offset predictions, for inspection",
                       description="Align a mention predictions file (spans and claims given as strings, "
                                   "as LLMs answer) to character offsets in the gold texts, exactly as "
                                   "`score --format mentions` does (eval/ALIGNMENT.md), and write the offset "
                                   "predictions as JSONL. Strings not in the text are kept under `unaligned`; "
                                   "`score --predictions` on the output gives the same scores.")
    p.add_argument("file", metavar="FILE", help="mention predictions, JSONL ('-' for stdin)")
    p.add_argument("--out", metavar="PREDS.jsonl", help="where to write (default: standard output)")
    _add_split_arg(p)
    p.set_defaults(func=_cmd_align)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="troopclaims",
        description="troopclaims: a benchmark for who claimed which number when. "
                    "Build and validate the dataset, score extractors, run the leaderboard, "
                    "and sync annotations with Label Studio.")
    sub = parser.add_subparsers(dest="subcommand", metavar="COMMAND", required=True)
    for add in ADDERS:
        add(sub)
    return parser


def _ls_predictions(args, docs):
    """Predictions for `ls push` / `ls push-round`, read the way `score` reads them; annotation/ stays free
    of models/ and eval/."""
    from eval import sources

    if args.format and not args.predictions:
        raise UsageError("--format goes with --predictions")
    source = (sources.resolve(args.extractor) if args.extractor
              else sources.from_predictions(args.predictions, args.format))
    blank = {d.id: d for d in docs()}
    return source.name, source.predictions(blank).documents


def _add_ls_parser(sub) -> None:
    from annotation.label_studio.cli import add_ls_parser

    add_ls_parser(sub, _ls_predictions)


def _cmd_add_article(args) -> int:
    from corpus.paths import SEEDS_DIR
    from corpus.provenance import add_article

    record = add_article(args.file, url=args.url, outlet=args.outlet, published=args.published,
                         licence_note=args.licence_note, added_in=args.added_in, query=args.query, taken=args.taken,
                         source_note=args.source_note, split=args.split, seeds_dir=args.seeds_dir or SEEDS_DIR)
    print(f"added {record.doc_id} (sha256 {record.sha256[:16]}..., {record.outlet}, published {record.published}, "
          f"to be released in {record.added_in})")
    print(f"next: `troopclaims ls push-round ROUND {record.doc_id} ...` to annotate it")
    return 0


def _add_add_article_parser(sub) -> None:
    from corpus.dataset import DEFAULT_SPLIT, SPLITS

    p = sub.add_parser("add-article", help="add a news article (text file) with its provenance",
                       description="Store FILE's text byte for byte as a new document seeds/NNN_<16 hex>.txt "
                                   "(the hex digits begin its sha256), list its sha256 in seeds/SHA256SUMS and "
                                   "its provenance in seeds/PROVENANCE.jsonl, which the dataset card's "
                                   "provenance table is made from. Every check runs before anything is written.")
    p.add_argument("file", type=Path, metavar="FILE", help="the article as UTF-8 plain text, exactly as published")
    p.add_argument("--url", required=True, help="where it was published (http:// or https://)")
    p.add_argument("--outlet", required=True, help="the publisher, e.g. 'Reuters'")
    p.add_argument("--published", required=True, metavar="DATE",
                   help="publication date, ISO 8601, as precise as known: 2024, 2024-11 or 2024-11-18")
    p.add_argument("--licence-note", required=True, metavar="TEXT",
                   help="the terms under which the text is used (e.g. 'copyright the publisher; research use')")
    p.add_argument("--added-in", metavar="VERSION",
                   help="the dataset version that will first contain it (default: the next minor version)")
    p.add_argument("--query", metavar="TEXT", help="the search that found the article, if one did")
    p.add_argument("--taken", metavar="DATE", help="the day the text was taken from its source, YYYY-MM-DD")
    p.add_argument("--split", choices=SPLITS, default=DEFAULT_SPLIT,
                   help=f"the dataset split it will belong to (default: {DEFAULT_SPLIT})")
    p.add_argument("--source-note", metavar="TEXT",
                   help="how the URL, outlet and date were established, and any change to the text as found")
    p.add_argument("--seeds-dir", type=Path, metavar="DIR", help=argparse.SUPPRESS)
    p.set_defaults(func=_cmd_add_article)


ADDERS = [_add_add_article_parser, _add_build_parser, _add_release_parser, _add_validate_parser, _add_score_parser, _add_align_parser,
          _add_ledger_parser,
          _add_leaderboard_parser,
          _add_claims_parser, _add_agreement_parser, _add_extractors_parser, _add_ls_parser]


EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_BUG, EXIT_INTERRUPTED, EXIT_BROKEN_PIPE = 0, 1, 2, 70, 130, 141


def main(argv: list[str] | None = None) -> int:
    """Exit codes (README): 0 done; 1 an error in the input or the run, one line naming it; 2 a usage
    error (argparse); 70 a bug in troopclaims (one line; TROOPCLAIMS_DEBUG=1 shows the traceback);
    130 interrupted (Ctrl-C); 141 standard output closed early (a pipe into `head`)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    prefix = f"troopclaims {args.subcommand}"
    try:
        return args.func(args)
    except UsageError as exc:
        print(f"{prefix}: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except TroopclaimsError as exc:
        print(f"{prefix}: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print(f"\n{prefix}: interrupted; nothing more was written", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # output piped into `head` and the like: stop quietly, as Unix tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except OSError as exc:  # the system refused something not checked upstream: still one line
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"{prefix}: error: {where}{(exc.strerror or str(exc)).lower()}", file=sys.stderr)
        return EXIT_ERROR
    except Exception as exc:
        if os.environ.get("TROOPCLAIMS_DEBUG"):
            raise
        print(f"{prefix}: internal error (a bug in troopclaims; rerun with TROOPCLAIMS_DEBUG=1 for the "
              f"traceback and please report it): {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_BUG


if __name__ == "__main__":
    sys.exit(main())
