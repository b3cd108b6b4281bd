"""Every bad input gets one clear line: the exit code, what is wrong, where, what is allowed; no traceback;
nothing written. Cases run in-process through ``eval.cli.main``; a real process only where one matters."""
import json
import os
import signal
import stat
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from harness_fixtures import seeds_main as main  # written from the seed texts: the validation split

ROOT = Path(__file__).resolve().parent.parent
from corpus.provenance import read_provenance
from corpus.seeds import load_seeds  # noqa: E402

DOC_IDS = sorted(d for d, p in read_provenance().items() if p.split == "validation")  # the seeds: cases run there
A = DOC_IDS[0]

_TEXT = load_seeds()[A]
CNN = (_TEXT.index("CNN"), _TEXT.index("CNN") + 3)  # an ATTRIBUTION in document 000
SP = _TEXT.index(" ", CNN[1])  # a space
Q = (_TEXT.index("11,000"), _TEXT.index("11,000") + 6)  # a QUANTITY


def _lines(first: dict | str) -> str:
    """A predictions file whose first line is ``first`` and the rest valid empty predictions."""
    rest = [json.dumps({"doc_id": d, "spans": []}) for d in DOC_IDS[1:]]
    return "\n".join([first if isinstance(first, str) else json.dumps(first), *rest]) + "\n"


def _mentions(first: dict) -> str:
    """A mention predictions file (--format mentions) whose first line is ``first``."""
    rest = [json.dumps({"doc_id": d, "mentions": []}) for d in DOC_IDS[1:]]
    return "\n".join([json.dumps(first), *rest]) + "\n"


def _mention(**fields) -> dict:
    return {"doc_id": A, "mentions": [{"text": "CNN", "label": "ATTRIBUTION", **fields}]}


def _mclaim(**fields) -> dict:
    return {"doc_id": A, "mentions": [{"text": "11,000", "label": "QUANTITY"}], "claims": [{"quantity": "11,000",
                                                                                            **fields}]}


def _span(**fields) -> dict:
    return {"doc_id": A, "spans": [{"start": CNN[0], "end": CNN[1], "label": "ATTRIBUTION", **fields}]}


def _claim(**fields) -> dict:
    return {"doc_id": A, "spans": [{"start": Q[0], "end": Q[1], "label": "QUANTITY", "id": "P1"}],
            "claims": [{"quantity": "P1", **fields}]}


def write(name, content):
    """A setup step: write ``content`` (str or bytes) to ``name`` under the case's folder."""
    def make(tmp):
        path = tmp / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        return path
    return make


def conll(mutate=lambda lines: lines):
    """A CoNLL file of the real gold's tokens, all O, changed by ``mutate``."""
    def make(tmp):
        from eval.goldset import load_goldset

        gold = load_goldset(split="validation")
        lines = []
        for doc_id in sorted(gold.documents):
            lines.append(f"-DOCSTART- {doc_id}")
            text = gold.documents[doc_id].text
            for sent in gold.sentences[doc_id]:
                lines += [f"{text[s:e]}\tO" for s, e in sent.tokens] + [""]
        path = tmp / "p.conll"
        data = mutate(lines)
        path.write_bytes(data if isinstance(data, bytes) else "\n".join(data).encode("utf-8"))
        return path
    return make


def tasks(value):
    return write("p.json", json.dumps(value))


def _region(rid="T1", value=None, **extra):
    return {"id": rid, "from_name": "label", "to_name": "text", "type": "labels",
            "value": value if value is not None else {"start": CNN[0], "end": CNN[1], "labels": ["ATTRIBUTION"]},
            **extra}


def _task(doc_id=A, result=(), **extra):
    from corpus.seeds import load_seeds

    return {"id": 1, "data": {"text": load_seeds()[doc_id], "doc_id": doc_id}, "annotations": [{"result": list(result)}],
            **extra}


def script(body, name="cmd.py"):
    """A --command running a Python script."""
    def make(tmp):
        path = tmp / name
        path.write_text(textwrap.dedent(body), encoding="utf-8")
        return f"{sys.executable} {path}"
    return make


def module(name, body):
    def make(tmp):
        (tmp / f"{name}.py").write_text(textwrap.dedent(body), encoding="utf-8")
        return name
    return make


def gold_dir(mutate):
    """A copy of annotation/gold whose first file's lines are changed by ``mutate`` (a list of records)."""
    def make(tmp):
        import shutil

        folder = tmp / "gold"
        shutil.copytree(ROOT / "annotation" / "gold", folder)
        path = folder / f"{A}.jsonl"
        records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        mutate(records)
        path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
        return folder
    return make


def _set(kind, index, **fields):
    """Change the ``index``-th record of ``kind`` in a gold file."""
    def mutate(records):
        [r for r in records if r["kind"] == kind][index].update(fields)
    return mutate


def nested(depth: int) -> str:
    """A mention predictions line whose first mention's context is a list nested ``depth`` deep."""
    return json.dumps({"doc_id": A, "mentions": [{"text": "CNN", "label": "ATTRIBUTION", "context": "@"}]}).replace(
        '"@"', "[" * depth + "]" * depth)


def record(change):
    """A results folder holding one real result record (regex.v1, scored now), its JSON text changed by ``change``."""
    def make(tmp):
        from eval.score import evaluate
        from eval.sources import resolve

        folder = tmp / "results"
        folder.mkdir()
        text = json.dumps(evaluate(resolve("regex.v1")))
        (folder / "r.json").write_text(change(text), encoding="utf-8")
        return folder
    return make


def valid(tmp):
    return write("ok.jsonl", _lines({"doc_id": A, "spans": []}))(tmp)


# (id, setup(tmp) -> dict of names, argv template, exit code, patterns the message must match)
# argv templates use {x} for the setup's value; every pattern must appear in stderr.
CASES = [
    # --- JSONL predictions: wrong JSON types and shapes ---
    ("jsonl-doc-id-list", write("p.jsonl", _lines({"doc_id": [A], "spans": []})), ["score", "--predictions", "{x}"], 1,
     [r"p\.jsonl:1: doc_id must be a string, got \["]),
    ("jsonl-doc-id-number", write("p.jsonl", _lines({"doc_id": 7, "spans": []})), ["score", "--predictions", "{x}"], 1,
     [r"p\.jsonl:1: doc_id must be a string, got 7"]),
    ("jsonl-spans-string", write("p.jsonl", _lines({"doc_id": A, "spans": "CNN"})), ["score", "--predictions", "{x}"],
     1, [r"p\.jsonl:1: document 000_\w+: 'spans' must be a list, got str"]),
    ("jsonl-offset-string", write("p.jsonl", _lines(_span(start="93"))), ["score", "--predictions", "{x}"], 1,
     [r"p\.jsonl:1: .*span 0: start and end must be integers, got start='93'"]),
    ("jsonl-offset-list", write("p.jsonl", _lines(_span(end=[96]))), ["score", "--predictions", "{x}"], 1,
     [r"p\.jsonl:1: .*span 0: start and end must be integers, got start=\d+, end=\[96\]"]),
    ("jsonl-label-list", write("p.jsonl", _lines(_span(label=["DATE"]))), ["score", "--predictions", "{x}"], 1,
     [r"p\.jsonl:1: .*span 0: unknown label \['DATE'\]; allowed: QUANTITY, ATTRIBUTION, DATE"]),
    ("jsonl-span-id-list", write("p.jsonl", _lines(_span(id=["P1"]))), ["score", "--predictions", "{x}"], 1,
     [r"p\.jsonl:1: .*span 0: id must be a string \(or absent\), got \[\"P1\"\]"]),
    ("jsonl-span-not-object", write("p.jsonl", _lines({"doc_id": A, "spans": ["CNN"]})),
     ["score", "--predictions", "{x}"], 1, [r"p\.jsonl:1: .*span 0: expected an object with start, end, label"]),
    ("jsonl-whitespace-span", write("p.jsonl", _lines(_span(start=SP, end=SP + 1))), ["score", "--predictions", "{x}"], 1,
     [rf"p\.jsonl:1: .*span 0: \[{SP}, {SP + 1}\) ' ' covers only whitespace; a span must cover at least one"]),
    ("jsonl-claim-quantity-list", write("p.jsonl", _lines(_claim(quantity=["P1"]))), ["score", "--predictions", "{x}"],
     1, [r"p\.jsonl:1: .*claim 0: quantity must be a span id \(string\), got \[\"P1\"\]"]),
    ("jsonl-claim-source-object", write("p.jsonl", _lines(_claim(source={"id": "P1"}))),
     ["score", "--predictions", "{x}"], 1, [r"p\.jsonl:1: .*claim 0: source must be a span id \(string\) or null"]),
    ("jsonl-claim-date-list", write("p.jsonl", _lines(_claim(date=[]))), ["score", "--predictions", "{x}"], 1,
     [r"p\.jsonl:1: .*claim 0: date must be a span id \(string\) or null, got \[\]"]),
    ("jsonl-claim-id-number", write("p.jsonl", _lines(_claim(id=3))), ["score", "--predictions", "{x}"], 1,
     [r"p\.jsonl:1: .*claim 0: id must be a string, got 3"]),
    ("jsonl-claim-low-string", write("p.jsonl", _lines(_claim(low="12,000"))), ["score", "--predictions", "{x}"], 1,
     [r"p\.jsonl:1: .*claim 0: low must be a number or null, got '12,000'"]),
    ("jsonl-claim-high-nan", write("p.jsonl", _lines(_claim(high=float("nan")))), ["score", "--predictions", "{x}"],
     1, [r"p\.jsonl:1: NaN is not a number JSON allows \(use a number or null\)"]),
    ("jsonl-claim-approximate-string", write("p.jsonl", _lines(_claim(approximate="yes"))),
     ["score", "--predictions", "{x}"], 1, [r"p\.jsonl:1: .*claim 0: approximate must be true or false, got \"yes\""]),
    ("jsonl-claim-date-value-number", write("p.jsonl", _lines(_claim(date_value=2024))),
     ["score", "--predictions", "{x}"], 1, [r"p\.jsonl:1: .*claim 0: date_value must be an ISO 8601 date string or null"]),
    ("jsonl-claims-object", write("p.jsonl", _lines({"doc_id": A, "spans": [], "claims": {}})),
     ["score", "--predictions", "{x}"], 1, [r"p\.jsonl:1: .*'claims' must be a list, got dict"]),
    ("jsonl-line-is-list", write("p.jsonl", _lines("[1, 2]")), ["score", "--predictions", "{x}"], 1,
     [r"p\.jsonl:1: expected an object with 'doc_id' and 'spans'"]),
    ("jsonl-not-utf8", write("p.jsonl", _lines({"doc_id": A, "spans": []}).encode() + b'{"doc_id": "\xff"}\n'),
     ["score", "--predictions", "{x}"], 1, [r"p\.jsonl:6: not UTF-8 text \(invalid start byte at byte 12 of the line\)"]),
    ("jsonl-line-too-long", write("p.jsonl", b" " * (16 * 2**20 + 10) + b"x\n"), ["score", "--predictions", "{x}"], 1,
     [r"p\.jsonl:1: line longer than 16 MiB; one record per line"]),
    ("jsonl-empty-file", write("p.jsonl", ""), ["score", "--predictions", "{x}"], 1,
     [r"p\.jsonl: no predictions for document\(s\) 000_\w+, 001_", r"an empty prediction is"]),
    ("jsonl-blank-lines-only", write("p.jsonl", "\n \n\t\n" * 1000), ["score", "--predictions", "{x}"], 1,
     [r"p\.jsonl: no predictions for document\(s\) 000_"]),
    ("predictions-directory", lambda tmp: tmp, ["score", "--predictions", "{x}", "--format", "jsonl"], 1,
     [r": is a folder, not a file; expected a predictions file \(JSONL, Label Studio JSON, CoNLL or mentions\)"]),
    ("predictions-missing", lambda tmp: tmp / "nope.jsonl", ["score", "--predictions", "{x}"], 1,
     [r"nope\.jsonl: no such file; expected a predictions file"]),
    ("predictions-under-a-file", lambda tmp: write("f.jsonl", "x")(tmp) / "p.jsonl", ["score", "--predictions", "{x}"],
     1, [r"f\.jsonl/p\.jsonl: cannot read it \(not a directory\); expected a predictions file"]),
    ("predictions-unknown-extension", write("p.csv", ""), ["score", "--predictions", "{x}"], 1,
     [r"p\.csv: cannot tell the format from the extension \(\.jsonl, \.json, \.conll\); pass --format jsonl, "
      r"mentions, label-studio, conll"]),
    # --- CoNLL ---
    ("conll-unknown-tag", conll(lambda ls: [ls[0], ls[1].replace("\tO", "\tB-PERSON"), *ls[2:]]),
     ["score", "--predictions", "{x}"], 1, [r"p\.conll:2: unknown tag 'B-PERSON'; allowed: O, B-QUANTITY"]),
    ("conll-no-docstart", conll(lambda ls: ls[1:]), ["score", "--predictions", "{x}"], 1,
     [r"p\.conll:1: expected '-DOCSTART- <doc_id>' before the first token"]),
    ("conll-wrong-token", conll(lambda ls: [ls[0], "Elsewhere\tO", *ls[2:]]), ["score", "--predictions", "{x}"], 1,
     [r"p\.conll:2: token 'Elsewhere' differs from the gold token .*\(sentence 0, token 0 of 000_\w+\)"]),
    ("conll-three-columns", conll(lambda ls: [ls[0], ls[1] + "\tX", *ls[2:]]), ["score", "--predictions", "{x}"], 1,
     [r"p\.conll:2: expected 'token<TAB>tag', got"]),
    ("conll-unknown-doc", conll(lambda ls: ["-DOCSTART- 999_nope", *ls[1:]]), ["score", "--predictions", "{x}"], 1,
     [r"p\.conll:1: unknown doc_id '999_nope' after -DOCSTART-"]),
    ("conll-missing-final-blank", conll(lambda ls: ls[:-1]), ["score", "--predictions", "{x}"], 1,
     [r"p\.conll:\d+: the last sentence of 004_\w+ needs a blank line after it"]),
    ("conll-not-utf8", conll(lambda ls: "\n".join(ls).encode() .replace(b"\tO", b"\t\xc3O", 1)),
     ["score", "--predictions", "{x}"], 1, [r"p\.conll:2: not UTF-8 text"]),
    ("conll-directory", lambda tmp: (tmp / "d.conll").mkdir() or tmp / "d.conll", ["score", "--predictions", "{x}"],
     1, [r"d\.conll: is a folder, not a file; expected a predictions file"]),
    # --- Label Studio JSON predictions ---
    ("ls-top-level-object", tasks({"tasks": []}), ["score", "--predictions", "{x}"], 1,
     [r"p\.json: the top level is an object; expected a list of Label Studio tasks"]),
    ("jsonl-of-one-document-named-json", tasks({"doc_id": A, "spans": []}), ["score", "--predictions", "{x}"], 1,
     [r"p\.json: the top level is an object; .*; for one document's predictions \(JSON Lines\), pass --format "
      r"jsonl \(offsets\) or --format mentions"]),
    ("ls-list-of-strings", tasks(["a", "b"]), ["score", "--predictions", "{x}"], 1,
     [r"p\.json: 2 problem\(s\)", r"task at position 0: is a string; expected a task object",
      r"task at position 1: is a string"]),
    ("ls-annotations-string", lambda tmp: tasks([_task(annotations="done")])(tmp), ["score", "--predictions", "{x}"],
     1, [r"p\.json: 1 problem\(s\) in the Label Studio tasks", r"task 1 \(doc 000_\w+\): 'annotations' is a string; "
      r"expected a list of objects"]),
    ("ls-data-not-object", tasks([{"id": 4, "data": "text"}]), ["score", "--predictions", "{x}"], 1,
     [r"task at position 0: 'data' is a string; expected an object with text and doc_id"]),
    ("ls-region-value-string", lambda tmp: tasks([_task(result=[_region(value="CNN")])])(tmp),
     ["score", "--predictions", "{x}"], 1,
     [r"task 1 \(doc 000_\w+\): annotations\[0\]\.result\[0\]\.value is a string; expected an object"]),
    ("ls-relation-ids-list", lambda tmp: tasks([_task(result=[_region(), {"type": "relation", "from_id": ["T1"],
                                                                            "to_id": "T1"}])])(tmp),
     ["score", "--predictions", "{x}"], 1, [r"result\[1\]: a relation's from_id and to_id must be region ids"]),
    ("ls-result-record", lambda tmp: write("r.json", (ROOT / "tests/data/result-v1.json").read_text())(tmp),
     ["score", "--predictions", "{x}"], 1, [r"r\.json: this is a troopclaims result record, not a Label Studio export"]),
    ("ls-invalid-json", write("p.json", "[{"), ["score", "--predictions", "{x}"], 1,
     [r"p\.json: not valid JSON \(Expecting property name"]),
    ("ls-every-problem-at-once", lambda tmp: tasks([
        {**_task(result=[_region(value={"start": 0, "end": 10**6, "labels": ["ATTRIBUTION"]})]), "id": 1},
        {**_task(DOC_IDS[1], result=[_region(value={"start": 0, "end": 5, "labels": ["PERSON"]})]), "id": 2},
        {"id": 3, "data": {"doc_id": "999_nope", "text": ""}, "annotations": []}])(tmp),
     ["score", "--predictions", "{x}"], 1,
     [r"3 problem\(s\) in the Label Studio tasks", r"task 1 \(doc 000_\w+\) annotation \?.* offsets \[0, 1000000\)",
      r"task 2 \(doc 001_\w+\) .*unknown label 'PERSON'; allowed: QUANTITY", r"task 3 .*unknown doc_id '999_nope'"]),
    # --- mention predictions (--format mentions: spans and claims as strings) ---
    ("mentions-doc-id-list", write("m.jsonl", _mentions({"doc_id": [A], "mentions": []})),
     ["score", "--predictions", "{x}", "--format", "mentions"], 1, [r"m\.jsonl:1: doc_id must be a string, got \["]),
    ("mentions-not-a-list", write("m.jsonl", _mentions({"doc_id": A, "mentions": "CNN"})),
     ["score", "--predictions", "{x}", "--format", "mentions"], 1, [r"m\.jsonl:1: 'mentions' must be a list, got str"]),
    ("mentions-text-list", write("m.jsonl", _mentions(_mention(text=["CNN"]))),
     ["score", "--predictions", "{x}", "--format", "mentions"], 1,
     [r"m\.jsonl:1: mention 1: 'text' must be a non-empty string, got \['CNN'\]"]),
    ("mentions-text-whitespace", write("m.jsonl", _mentions(_mention(text="  "))),
     ["score", "--predictions", "{x}", "--format", "mentions"], 1,
     [r"m\.jsonl:1: mention 1: 'text' must be a non-empty string, got '  '"]),
    ("mentions-label-unknown", write("m.jsonl", _mentions(_mention(label="ORG"))),
     ["score", "--predictions", "{x}", "--format", "mentions"], 1,
     [r"m\.jsonl:1: mention 1: 'label' must be one of QUANTITY, ATTRIBUTION, DATE, got 'ORG'"]),
    ("mentions-occurrence-zero", write("m.jsonl", _mentions(_mention(occurrence=0))),
     ["score", "--predictions", "{x}", "--format", "mentions"], 1,
     [r"m\.jsonl:1: mention 1: 'occurrence' must be an integer >= 1"]),
    ("mentions-unknown-field", write("m.jsonl", _mentions(_mention(start=3))),
     ["score", "--predictions", "{x}", "--format", "mentions"], 1,
     [r"m\.jsonl:1: mention 1: unknown field\(s\) \['start'\]; allowed: text, label, context, occurrence"]),
    ("mentions-claim-quantity-list", write("m.jsonl", _mentions(_mclaim(quantity=["11,000"]))),
     ["score", "--predictions", "{x}", "--format", "mentions"], 1,
     [r"m\.jsonl:1: claim 1: 'quantity' must be a non-empty string, got \['11,000'\]"]),
    ("mentions-claim-date-value-number", write("m.jsonl", _mentions(_mclaim(date_value=2024))),
     ["score", "--predictions", "{x}", "--format", "mentions"], 1, [r"m\.jsonl:1: claim 1: 'date_value' "]),
    ("mentions-claim-low-string", write("m.jsonl", _mentions(_mclaim(low="many"))),
     ["score", "--predictions", "{x}", "--format", "mentions"], 1,
     [r"m\.jsonl:1: claim 1: 'low' must be a number or null, got 'many'"]),
    ("mentions-not-utf8", write("m.jsonl", b'{"doc_id": "\xff"}\n'),
     ["score", "--predictions", "{x}", "--format", "mentions"], 1, [r"m\.jsonl:1: not UTF-8 text"]),
    ("mentions-directory", lambda tmp: tmp, ["score", "--predictions", "{x}", "--format", "mentions"], 1,
     [r": is a folder, not a file; expected a predictions file"]),
    ("mentions-command-not-utf8", script("import sys; sys.stdin.read(); sys.stdout.buffer.write(b'\\xff\\n')"),
     ["score", "--command", "{x}", "--format", "mentions"], 1, [r"command '.*' stdout:1: not UTF-8 text"]),
    ("mentions-callable-not-a-list", module("tc_mentions", "def f(text):\n    return {'mentions': 'CNN'}\n"),
     ["score", "--extractor", "{x}:f"], 1,
     [r"callable 'tc_mentions:f', document 000_\w+: 'mentions' must be a list, got str"]),
    ("command-format-conll", lambda tmp: "cat", ["score", "--command", "{x}", "--format", "conll"], 2,
     [r"--format conll is for files; a command writes jsonl or mentions"]),
    ("align-input-directory", lambda tmp: tmp, ["align", "{x}"], 1, [r": is a folder, not a file; expected a predictions file"]),
    ("align-out-directory", lambda tmp: write("m.jsonl", _mentions({"doc_id": A, "mentions": []}))(tmp),
     ["align", "{x}", "--out", "{tmp}"], 1, [r": is a folder; give a file name \(or '-' for standard output\)"]),
    # --- commands ---
    ("command-empty", lambda tmp: "", ["score", "--command", "{x}"], 2,
     [r"--command is empty; give a program and its arguments"]),
    ("command-unbalanced-quotes", lambda tmp: "python 'oops", ["score", "--command", "{x}"], 2,
     [r"--command \"python 'oops\": cannot split it into arguments \(No closing quotation\); balance the quotes"]),
    ("command-not-executable", write("tool.sh", "echo hi\n"), ["score", "--command", "{x}"], 1,
     [r"command '.*tool\.sh': cannot run '.*tool\.sh': not executable \(permission denied\); chmod \+x"]),
    ("command-directory", lambda tmp: str(tmp), ["score", "--command", "{x}"], 1, [r"cannot run '.*': not executable"]),
    ("command-not-found", lambda tmp: "no-such-program-xyz --fast", ["score", "--command", "{x}"], 1,
     [r"program 'no-such-program-xyz' not found \(not a path, nor on PATH\)"]),
    ("command-not-utf8", script("import sys; sys.stdin.read(); sys.stdout.buffer.write(b'{\"doc_id\": \"\\xff\"}\\n')"),
     ["score", "--command", "{x}"], 1, [r"command '.*' stdout:1: not UTF-8 text \(invalid start byte"]),
    ("command-not-json", script("import sys; sys.stdin.read(); print('hello')"), ["score", "--command", "{x}"], 1,
     [r"command '.*' stdout:1: not valid JSON"]),
    ("command-exit-status", script("import sys; sys.stderr.write('model missing\\n'); sys.exit(3)"),
     ["score", "--command", "{x}"], 1, [r"command '.*' exited with status 3: model missing"]),
    ("command-killed", script("import os, signal; os.kill(os.getpid(), signal.SIGTERM)"),
     ["score", "--command", "{x}"], 1, [r"command '.*' was killed by signal 15 \(no error output\)"]),
    ("command-timeout", script("import time; time.sleep(30)"), ["score", "--command", "{x}", "--timeout", "0.5"], 1,
     [r"command '.*' did not finish within 0\.5 s \(stopped, with its child processes\); raise --timeout"]),
    ("command-output-cap", script("import sys\nwhile True: sys.stdout.write('x' * 65536)"),
     ["score", "--command", "{x}"], 1,
     [r"command '.*' wrote more than 1 MiB to standard output, the limit for a command \(stopped\)"]),
    ("command-missing-document", script("""
        import json, sys
        docs = [json.loads(l) for l in sys.stdin]
        print(json.dumps({"doc_id": docs[0]["doc_id"], "spans": []}))"""), ["score", "--command", "{x}"], 1,
     [r"command '.*' stdout: no predictions for document\(s\) 001_"]),
    # --- Python extractors ---
    ("extractor-syntax-error", module("tc_syntax", "def f(text):\n    return [\n"),
     ["score", "--extractor", "{x}:f"], 1, [r"cannot import 'tc_syntax:f': syntax error in .*tc_syntax\.py, line \d"]),
    ("extractor-raises-at-import", module("tc_raises", "raise RuntimeError('no GPU found')\n"),
     ["score", "--extractor", "{x}:f"], 1,
     [r"cannot import 'tc_raises:f': importing tc_raises raised RuntimeError: no GPU found"]),
    ("extractor-exits-at-import", module("tc_exits", "import sys; sys.exit(2)\n"), ["score", "--extractor", "{x}:f"],
     1, [r"cannot import 'tc_exits:f': importing tc_exits raised SystemExit: 2"]),
    ("extractor-missing-module", lambda tmp: "tc_no_such_module", ["score", "--extractor", "{x}:f"], 1,
     [r"cannot import 'tc_no_such_module:f': No module named 'tc_no_such_module'"]),
    ("extractor-missing-attribute", module("tc_empty", "x = 1\n"), ["score", "--extractor", "{x}:extract"], 1,
     [r"cannot import 'tc_empty:extract': module 'tc_empty' has no attribute 'extract'"]),
    ("extractor-unknown-keys", module("tc_keys", "def f(text):\n    return {'entities': [(0, 5, 'DATE')]}\n"),
     ["score", "--extractor", "{x}:f"], 1,
     [r"callable 'tc_keys:f', document 000_\w+: returned a mapping with keys \['entities'\]; expected a list of "
      r"spans, or a mapping with spans and claims \(offsets\) or mentions and claims \(strings\)"]),
    ("extractor-class-needs-arguments", module("tc_args", """
        class X:
            def __init__(self, model_path):
                pass
            def predict(self, docs):
                return []
        """), ["score", "--extractor", "{x}:X"], 1,
     [r"'tc_args:X' is a class whose constructor needs arguments \(model_path\); expected one that takes none"]),
    ("extractor-class-raises", module("tc_init", """
        class X:
            def __init__(self):
                raise OSError('weights not found')
            def predict(self, docs):
                return []
        """), ["score", "--extractor", "{x}:X"], 1,
     [r"'tc_init:X': making the extractor raised OSError: weights not found"]),
    ("extractor-whitespace-span", module("tc_space", f"def f(text):\n    return [({SP}, {SP + 1}, 'DATE')] if text[{SP}] == ' ' else []\n"),
     ["score", "--extractor", "{x}:f"], 1, [rf"callable 'tc_space:f', document 000_\w+: span 0: \[{SP}, {SP + 1}\) ' ' covers only whitespace"]),
    ("extractor-bad-path", lambda tmp: "tc_mod:", ["score", "--extractor", "{x}"], 1,
     [r"import path 'tc_mod:' must look like 'package\.module:object'"]),
    ("extractor-unknown-name", lambda tmp: "regx.v1", ["score", "--extractor", "{x}"], 1,
     [r"Unknown extractor 'regx\.v1'; did you mean 'regex\.v1'\?"]),
    # --- gold files (validate) ---
    ("gold-offset-string", gold_dir(_set("span", 0, start="93")), ["validate", "--gold-dir", "{x}"], 1,
     [r"000_\w+\.jsonl:2: start must be an integer character offset, got \"93\""]),
    ("gold-span-id-null", gold_dir(_set("span", 0, id=None)), ["validate", "--gold-dir", "{x}"], 1,
     [r"000_\w+\.jsonl:2: id must be a string \(spans T<n>, claims C<n>\), got null"]),
    ("gold-span-id-not-tn", gold_dir(_set("span", 0, id="X1")), ["validate", "--gold-dir", "{x}"], 1,
     [r"000_\w+ span X1 .*: span id 'X1' is not of the form T<n> \(T1, T2, \.\.\.\)"]),
    ("gold-claim-quantity-list", gold_dir(_set("claim", 0, quantity=["T4"])), ["validate", "--gold-dir", "{x}"], 1,
     [r"000_\w+\.jsonl:\d+: quantity must be a span id \(string\), got \[\"T4\"\]"]),
    ("gold-claim-low-list", gold_dir(_set("claim", 0, low=[1])), ["validate", "--gold-dir", "{x}"], 1,
     [r"000_\w+\.jsonl:\d+: low must be a number or null, got \[1\]"]),
    ("gold-claim-id-not-cn", gold_dir(_set("claim", 0, id="claim-1")), ["validate", "--gold-dir", "{x}"], 1,
     [r"000_\w+ claim claim-1: claim id 'claim-1' is not of the form C<n>"]),
    ("gold-doc-id-list", gold_dir(_set("document", 0, doc_id=[A])), ["validate", "--gold-dir", "{x}"], 1,
     [r"000_\w+\.jsonl:1: doc_id must be a non-empty string, got \["]),
    ("gold-dir-missing", lambda tmp: tmp / "nowhere", ["validate", "--gold-dir", "{x}"], 1,
     [r"nowhere: no such folder; expected a folder of gold files <doc_id>\.jsonl"]),
    ("gold-dir-empty", lambda tmp: (tmp / "empty").mkdir() or tmp / "empty", ["validate", "--gold-dir", "{x}"], 1,
     [r"empty: holds no gold files \(<doc_id>\.jsonl\); nothing to validate"]),
    ("gold-dir-is-a-file", write("gold.txt", "x"), ["validate", "--gold-dir", "{x}"], 1,
     [r"gold\.txt: is not a folder; expected a folder of gold files"]),
    ("gold-file-is-a-directory", lambda tmp: (tmp / "g" / f"{A}.jsonl").mkdir(parents=True) or tmp / "g",
     ["validate", "--gold-dir", "{x}"], 1, [rf"{A}\.jsonl: is a folder, not a file; expected a gold file \(JSONL\)"]),
    ("gold-file-not-utf8", lambda tmp: write(f"g/{A}.jsonl", b'{"kind": "document", "doc_id": "\xff"}\n')(tmp).parent,
     ["validate", "--gold-dir", "{x}"], 1, [rf"{A}\.jsonl:1: not UTF-8 text"]),
    ("agreement-pass-missing", lambda tmp: tmp / "nopass", ["agreement", "annotation/passes/a", "{x}"], 1,
     [r"nopass: no such folder; expected a folder of gold files"]),
    # --- JSON that no input may hold: deep nesting, huge integers, lone surrogates, Infinity (issue 20) ---
    ("mentions-nested-deep", write("m.jsonl", _mentions({"doc_id": A}).replace(json.dumps({"doc_id": A}), nested(5000))),
     ["score", "--predictions", "{x}", "--format", "mentions"], 1, [r"m\.jsonl:1: nested deeper than 64 levels"]),
    ("mentions-nested-under-the-recursion-limit", write("m.jsonl", _mentions({"doc_id": A}).replace(
        json.dumps({"doc_id": A}), nested(900))), ["score", "--predictions", "{x}", "--format", "mentions"], 1,
     [r"m\.jsonl:1: nested deeper than 64 levels"]),
    ("jsonl-huge-integer", write("p.jsonl", _lines(_span()).replace(f'"start": {CNN[0]}', '"start": ' + "9" * 5000, 1)),
     ["score", "--predictions", "{x}"], 1, [r"p\.jsonl:1: an integer of 5000 digits; at most 30 are allowed"]),
    ("mentions-lone-surrogate", write("m.jsonl", _mentions(_mention(text="CNN\ud800"))),
     ["score", "--predictions", "{x}", "--format", "mentions"], 1,
     [r"m\.jsonl:1: a lone surrogate \\ud800 in a string \(not a Unicode character\)"]),
    ("mentions-claim-infinity", write("m.jsonl", _mentions(_mclaim(high=float("inf")))),
     ["score", "--predictions", "{x}", "--format", "mentions"], 1, [r"m\.jsonl:1: Infinity is not a number JSON allows"]),
    ("mentions-claim-big-exponent", write("m.jsonl", _mentions(_mclaim(high=1.0)).replace("1.0", "1e999")),
     ["score", "--predictions", "{x}", "--format", "mentions"], 1, [r"m\.jsonl:1: 1e999 is beyond the range of a number"]),
    ("align-claim-infinity", write("m.jsonl", _mentions(_mclaim(low=float("-inf")))), ["align", "{x}", "--out",
                                                                                    "{tmp}/out.jsonl"], 1,
     [r"m\.jsonl:1: -Infinity is not a number JSON allows"]),
    ("record-nested-deep", record(lambda t: t.replace('"notes": []', '"notes": ' + "[" * 5000 + "]" * 5000)),
     ["leaderboard", "--results", "{x}", "--only-given", "--out", "{tmp}/board"], 1,
     [r"results/r\.json: nested deeper than 64 levels"]),
    ("record-huge-integer", record(lambda t: t.replace('"tp_fp_fn": [[', '"tp_fp_fn": [[' + "1" * 5000 + ", ", 1)),
     ["leaderboard", "--results", "{x}", "--only-given", "--out", "{tmp}/board"], 1,
     [r"results/r\.json: an integer of 5000 digits"]),
    ("record-lone-surrogate", record(lambda t: t.replace('"name": "regex.v1"', '"name": "regex\\udc00"')),
     ["leaderboard", "--results", "{x}", "--only-given", "--out", "{tmp}/board"], 1,
     [r"results/r\.json: a lone surrogate \\udc00"]),
    ("record-infinity", record(lambda t: t.replace('"f1": 0.9', '"f1": Infinity, "x": 0.9', 1)),
     ["leaderboard", "--results", "{x}", "--only-given", "--out", "{tmp}/board"], 1,
     [r"results/r\.json: Infinity is not a number JSON allows"]),
    ("record-alignment-not-an-object", record(lambda t: t.replace('"alignment": {', '"alignment": "x", "old": {', 1)),
     ["leaderboard", "--results", "{x}", "--only-given", "--out", "{tmp}/board"], 1,
     [r"results/r\.json: 'alignment' must be an object"]),
    # --- claims the gold contract refuses; dates and digits that only look ISO ---
    ("mentions-claim-low-above-high", write("m.jsonl", _mentions(_mclaim(low=12000, high=11000))),
     ["score", "--predictions", "{x}", "--format", "mentions"], 1,
     [r"m\.jsonl:1: claim 1: 'low' 12000 is above 'high' 11000; allowed: low <= high"]),
    ("align-claim-low-above-high", write("m.jsonl", _mentions(_mclaim(low=3, high=2))),
     ["align", "{x}", "--out", "{tmp}/out.jsonl"], 1, [r"m\.jsonl:1: claim 1: 'low' 3 is above 'high' 2"]),
    ("jsonl-claim-low-above-high", write("p.jsonl", _lines(_claim(low=5, high=4))), ["score", "--predictions", "{x}"],
     1, [r"p\.jsonl:1: .*claim 0: low 5 is above high 4; allowed: low <= high"]),
    ("mentions-claim-date-arabic-digits", write("m.jsonl", _mentions(_mclaim(date_value="\u0662\u0660\u0662\u0664"))),
     ["score", "--predictions", "{x}", "--format", "mentions"], 1,
     [r"m\.jsonl:1: claim 1: 'date_value' '\u0662\u0660\u0662\u0664' is not an ISO 8601 date"]),
    ("jsonl-claim-date-fullwidth-digits", write("p.jsonl", _lines(_claim(date_value="\uff12\uff10\uff12\uff14"))),
     ["score", "--predictions", "{x}"], 1, [r"p\.jsonl:1: .*claim 0: date_value '\uff12\uff10\uff12\uff14' is not an "
                                          r"ISO 8601 date \(allowed: YYYY, YYYY-MM, YYYY-MM-DD\)"]),
    ("jsonl-claim-date-impossible", write("p.jsonl", _lines(_claim(date_value="2024-13"))),
     ["score", "--predictions", "{x}"], 1, [r"p\.jsonl:1: .*claim 0: date_value '2024-13' is not an ISO 8601 date"]),
    # --- hints ---
    ("mentions-missing-document", write("m.jsonl", json.dumps({"doc_id": A, "mentions": []}) + "\n"),
     ["score", "--predictions", "{x}", "--format", "mentions"], 1,
     [r"m\.jsonl: no predictions for document\(s\) ", r'an empty prediction is \{"doc_id": \.\.\., "mentions": \[\]\}']),
    ("jsonl-named-json", write("p.json", _lines({"doc_id": A, "spans": []})), ["score", "--predictions", "{x}"], 1,
     [r"p\.json: not valid JSON \(Extra data", r"looks like JSON Lines .*: pass --format jsonl \(offsets\) or "
                                              r"--format mentions \(strings\)"]),
    ("predictions-folder-no-extension", lambda tmp: (tmp / "preds").mkdir() or tmp / "preds",
     ["score", "--predictions", "{x}"], 1, [r"preds: is a folder, not a file; expected a predictions file"]),
    ("extractor-dotted-not-colon", lambda tmp: "my_module.extract", ["score", "--extractor", "{x}"], 1,
     [r"Unknown extractor 'my_module\.extract'.*; for a Python function or class give its import path with a "
      r"colon: 'my_module:extract'"]),
    # --- empty output paths are refused, never read as the current folder ---
    ("release-out-empty", lambda tmp: "", ["release", "--out", ""], 1,
     [r"the output path is empty; give a folder name"]),
    ("leaderboard-out-empty", lambda tmp: "", ["leaderboard", "--only-given", "--out", ""], 1,
     [r"the output path is empty; give a folder name"]),
    # --- llm.v1 options: 0 is a value, a bad value names itself (usage: exit 2) ---
    ("llm-concurrency-zero", lambda tmp: "", ["score", "--extractor", "llm.v1", "--model", "m", "--concurrency", "0"],
     2, [r"argument --concurrency: '0' is not a whole number >= 1"]),
    ("llm-max-retries-negative", lambda tmp: "", ["score", "--extractor", "llm.v1", "--model", "m", "--max-retries",
                                                  "-1"], 2, [r"argument --max-retries: '-1' is not a whole number >= 0"]),
    ("llm-max-retries-word", lambda tmp: "", ["score", "--extractor", "llm.v1", "--model", "m", "--max-retries",
                                              "few"], 2, [r"argument --max-retries: 'few' is not a whole number >= 0"]),
    ("score-name-newline", valid, ["score", "--predictions", "{x}", "--name", "a\n| 1 | forged |"], 2,
     [r"argument --name: 'a\\n\| 1 \| forged \|' holds the control character '\\n'"]),
    # --- arguments (usage: exit 2) ---
    ("timeout-zero", valid, ["score", "--predictions", "{x}", "--timeout", "0"], 2,
     [r"argument --timeout: '0' is not a number of seconds above zero"]),
    ("timeout-negative", valid, ["score", "--predictions", "{x}", "--timeout", "-5"], 2,
     [r"argument --timeout: '-5' is not a number of seconds above zero"]),
    ("timeout-nan", valid, ["score", "--predictions", "{x}", "--timeout", "nan"], 2,
     [r"argument --timeout: 'nan' is not a number of seconds above zero \(e\.g\. 600\)"]),
    ("timeout-inf", valid, ["score", "--predictions", "{x}", "--timeout", "inf"], 2,
     [r"argument --timeout: 'inf' is not a number"]),
    ("timeout-word", valid, ["score", "--predictions", "{x}", "--timeout", "ten"], 2,
     [r"argument --timeout: 'ten' is not a number"]),
    ("label-map-no-equals", lambda tmp: "x", ["score", "--spacy", "{x}", "--label-map", "CARDINAL"], 2,
     [r"argument --label-map: 'CARDINAL' is not THEIRS=OURS \(e\.g\. CARDINAL=QUANTITY\)"]),
    ("label-map-empty-side", lambda tmp: "x", ["score", "--spacy", "{x}", "--label-map", "=QUANTITY"], 2,
     [r"argument --label-map: '=QUANTITY' is not THEIRS=OURS"]),
    ("label-map-without-spacy", valid, ["score", "--predictions", "{x}", "--label-map", "A=DATE"], 2,
     [r"--label-map goes with --spacy"]),
    ("two-sources", valid, ["score", "--predictions", "{x}", "--extractor", "regex.v1"], 2,
     [r"name exactly one of --extractor, --spacy, --predictions, --command"]),
    ("no-source", lambda tmp: "", ["score"], 2, [r"name exactly one of --extractor"]),
    ("bad-format", valid, ["score", "--predictions", "{x}", "--format", "xml"], 2,
     [r"argument --format: invalid choice: 'xml' \(choose from .*jsonl.*label-studio.*conll"]),
    # --- output paths: checked before scoring ---
    ("out-is-a-directory", lambda tmp: (tmp / "outdir").mkdir() or valid(tmp),
     ["score", "--predictions", "{x}", "--out", "{tmp}/outdir"], 1,
     [r"outdir: is a folder; give a file name \(or '-' for standard output\)"]),
    ("out-read-only-file", lambda tmp: write("r.json", "{}")(tmp).chmod(0o444) or valid(tmp),
     ["score", "--predictions", "{x}", "--out", "{tmp}/r.json"], 1,
     [r"r\.json: the file is read-only; remove it or choose another name"]),
    ("out-read-only-folder", lambda tmp: (tmp / "ro").mkdir(mode=0o555) or valid(tmp),
     ["score", "--predictions", "{x}", "--out", "{tmp}/ro/r.json"], 1, [r"r\.json: the folder .*/ro is read-only"]),
    ("out-parent-is-a-file", lambda tmp: write("plain", "x")(tmp) and valid(tmp),
     ["score", "--predictions", "{x}", "--out", "{tmp}/plain/r.json"], 1,
     [r"plain/r\.json: cannot write there \(not a directory\)"]),
    ("out-parent-uncreatable", valid, ["score", "--predictions", "{x}", "--out", "/proc/troopclaims-test/r.json"], 1,
     [r"/proc/troopclaims-test/r\.json: the folder /proc is read-only"]),
    ("out-disk-full", valid, ["score", "--predictions", "{x}", "--out", "/dev/full"], 1,
     [r"cannot write /dev/full \(no space left on device\)"]),
    ("out-empty", valid, ["score", "--predictions", "{x}", "--out", ""], 1,
     [r"the output path is empty; give a file name or '-' for standard output"]),
    ("leaderboard-out-is-a-file", write("board", "x"), ["leaderboard", "--only-given", "--out", "{x}"], 1,
     [r"board: exists and is not a folder; give a folder name"]),
    # --- Label Studio settings ---
    ("ls-key-non-ascii", lambda tmp: "tok\u00e9n123", ["ls", "pull", "--gold-dir", "{tmp}/g"], 1,
     [r"LABEL_STUDIO_API_KEY contains a character that is not printable ASCII \(at position 4 of 8\)"]),
    ("ls-key-whitespace", lambda tmp: "abc def", ["ls", "push"], 1,
     [r"LABEL_STUDIO_API_KEY contains whitespace inside the token; a token is one word"]),
    ("ls-pull-gold-dir-a-file", write("gfile", "x"), ["ls", "pull", "--gold-dir", "{x}"], 1,
     [r"gfile: exists and is not a folder; give a folder name"]),
]


def _snapshot(folder: Path) -> dict[str, tuple]:
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in folder.rglob("*") if not p.is_dir()}


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_one_clear_line_and_writes_nothing(case, tmp_path, monkeypatch, capsys):
    name, setup, template, code, patterns = case
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(sys, "dont_write_bytecode", True)  # importing a case's module writes no __pycache__
    monkeypatch.setattr("eval.command.MAX_OUTPUT", 2**20)
    monkeypatch.setenv("LABEL_STUDIO_URL", "http://127.0.0.1:9")
    value = setup(tmp_path)
    if name.startswith("ls-key"):
        monkeypatch.setenv("LABEL_STUDIO_API_KEY", value)
    else:
        monkeypatch.setenv("LABEL_STUDIO_API_KEY", "0123456789abcdef")
    __import__("importlib").invalidate_caches()
    argv = [a.format(x=value, tmp=tmp_path) for a in template]
    before = _snapshot(tmp_path)
    try:
        got = main(argv)
    except SystemExit as exc:  # argparse's usage errors
        got = exc.code
    out, err = capsys.readouterr()
    assert got == code, err
    assert "Traceback" not in err and "Traceback" not in out
    first = err.strip().splitlines()[0] if code == 1 or "usage:" not in err else err.strip().splitlines()[-1]
    assert first.startswith(f"troopclaims {argv[0]}"), err
    assert ": error: " in first
    for pattern in patterns:
        assert __import__("re").search(pattern, err), f"{pattern!r} not in {err!r}"
    assert "micro avg" not in out  # no score was printed
    assert _snapshot(tmp_path) == before  # nothing written, nothing half-written
    if name.startswith("ls-key"):
        assert value not in err  # the key is never shown


def test_there_are_at_least_sixty_cases():
    assert len(CASES) >= 60 and len({c[0] for c in CASES}) == len(CASES)


# --- what must work, and what needs a real process ---------------------------

def _cli(*args, env=None, **kw):
    from harness_fixtures import on_the_seeds

    return subprocess.run([sys.executable, "-m", "eval.cli", *on_the_seeds(args)], cwd=ROOT, capture_output=True,
                          env={**os.environ, **(env or {})}, **kw)


@pytest.fixture
def empty_predictions():
    return "".join(json.dumps({"doc_id": d, "spans": []}) + "\n" for d in DOC_IDS)


def test_a_real_process_prints_one_line_and_no_traceback(tmp_path):
    (tmp_path / "p.jsonl").write_text(_lines({"doc_id": [A], "spans": []}), encoding="utf-8")
    proc = _cli("score", "--predictions", str(tmp_path / "p.jsonl"), text=True)
    assert proc.returncode == 1 and proc.stdout == ""
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("troopclaims score: error: ")
    proc = _cli("score", "--predictions", str(tmp_path / "p.jsonl"), "--timeout", "nan", text=True)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


def test_an_import_path_finds_a_module_in_the_current_folder(tmp_path):
    """`troopclaims score --extractor my_module:extract` from the folder holding my_module.py, as `python -m`
    and uvicorn import: the installed console script, in a real process."""
    (tmp_path / "tc_here.py").write_text("def extract(text):\n    return []\n", encoding="utf-8")
    script = Path(sys.executable).with_name("troopclaims")
    proc = subprocess.run([str(script), "score", "--extractor", "tc_here:extract", "--out", "r.json"], cwd=tmp_path,
                          capture_output=True, text=True, env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"})
    assert proc.returncode == 0, proc.stderr
    assert json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["extractor"]["name"] == "tc_here:extract"


def test_predictions_from_a_fifo_are_read_once_and_hashed(tmp_path, empty_predictions, capsys):
    import hashlib

    fifo = tmp_path / "p.fifo"
    os.mkfifo(fifo)
    data = empty_predictions.encode()
    writer = threading.Thread(target=lambda: fifo.write_bytes(data))
    writer.start()
    assert main(["score", "--predictions", str(fifo), "--format", "jsonl", "--out", str(tmp_path / "r.json")]) == 0
    writer.join(5)
    record = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert record["extractor"]["version"] == "sha256:" + hashlib.sha256(data).hexdigest()


def test_stdin_predictions_are_hashed(empty_predictions):
    import hashlib

    proc = _cli("score", "--predictions", "-", "--out", "-", input=empty_predictions.encode())
    assert proc.returncode == 0, proc.stderr
    record = json.loads(proc.stdout)  # standard output is the record alone; the table went to stderr
    assert record["extractor"]["version"] == "sha256:" + hashlib.sha256(empty_predictions.encode()).hexdigest()
    assert b"micro avg" in proc.stderr


def test_out_to_a_device_or_link_keeps_the_node(tmp_path, empty_predictions):
    (tmp_path / "p.jsonl").write_text(empty_predictions, encoding="utf-8")
    assert main(["score", "--predictions", str(tmp_path / "p.jsonl"), "--out", "/dev/null"]) == 0
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    target = tmp_path / "target.json"
    target.write_text("old", encoding="utf-8")
    (tmp_path / "link.json").symlink_to(target)
    assert main(["score", "--predictions", str(tmp_path / "p.jsonl"), "--out", str(tmp_path / "link.json")]) == 0
    assert (tmp_path / "link.json").is_symlink()
    assert json.loads(target.read_text(encoding="utf-8"))["format"].startswith("troopclaims.result/")
    proc = _cli("score", "--predictions", str(tmp_path / "p.jsonl"), "--out", "/dev/stdout")
    assert proc.returncode == 0
    record, _ = json.JSONDecoder().raw_decode(proc.stdout.decode())  # the record, then the table
    assert record["format"].startswith("troopclaims.result/")


def test_out_to_dev_full_prints_no_score_and_keeps_the_device(tmp_path, empty_predictions):
    (tmp_path / "p.jsonl").write_text(empty_predictions, encoding="utf-8")
    proc = _cli("score", "--predictions", str(tmp_path / "p.jsonl"), "--out", "/dev/full", text=True)
    assert proc.returncode == 1 and proc.stdout == "" and "no space left on device" in proc.stderr
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_a_class_named_by_import_path_is_instantiated(tmp_path, monkeypatch, capsys):
    (tmp_path / "tc_class.py").write_text(textwrap.dedent("""
        from corpus.types import Document, Span
        class Finder:
            name = "finder.v1"
            def predict(self, docs):
                return [Document(d.id, d.text, tuple(Span(i, i + 3, "ATTRIBUTION") for i in
                        [d.text.find("CNN")] if i >= 0)) for d in docs]
        """), encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert main(["score", "--extractor", "tc_class:Finder", "--out", str(tmp_path / "r.json")]) == 0
    record = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert record["scores"]["seqeval_strict"]["labels"]["ATTRIBUTION"]["tp"] >= 1


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is dead
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


FAMILY = """
import os, subprocess, sys, time
child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
open(sys.argv[1], "w").write(f"{os.getpid()} {child.pid}")
time.sleep(60)
"""


def _wait_for(path: Path, seconds=20) -> list[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if path.exists() and path.read_text().strip():
            return [int(p) for p in path.read_text().split()]
        time.sleep(0.05)
    raise AssertionError(f"{path} never appeared")


def test_a_timed_out_command_leaves_no_process_behind(tmp_path, capsys):
    (tmp_path / "family.py").write_text(FAMILY, encoding="utf-8")
    pids = tmp_path / "pids"
    assert main(["score", "--command", f"{sys.executable} {tmp_path / 'family.py'} {pids}", "--timeout", "2"]) == 1
    assert "did not finish within 2 s" in capsys.readouterr().err
    time.sleep(0.2)
    assert not any(_alive(p) for p in _wait_for(pids))


def test_ctrl_c_is_one_line_exit_130_and_stops_the_command(tmp_path):
    (tmp_path / "family.py").write_text(FAMILY, encoding="utf-8")
    pids = tmp_path / "pids"
    proc = subprocess.Popen([sys.executable, "-m", "eval.cli", "score", "--split", "validation", "--command",
                             f"{sys.executable} {tmp_path / 'family.py'} {pids}"], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    family = _wait_for(pids)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=20)
    assert proc.returncode == 130, err
    assert err.strip() == "troopclaims score: interrupted; nothing more was written" and out == "", err
    time.sleep(0.2)
    assert not any(_alive(p) for p in family)


def test_commands_do_not_inherit_credentials_unless_passed(tmp_path, monkeypatch, capsys):
    seen = tmp_path / "env.json"
    command = script(f"""
        import json, os, sys
        docs = [json.loads(line) for line in sys.stdin]
        json.dump(dict(os.environ), open({str(seen)!r}, "w"))
        for d in docs:
            print(json.dumps({{"doc_id": d["doc_id"], "spans": []}}))
        """)(tmp_path)
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", "ls-secret")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-secret")
    monkeypatch.setenv("MY_SERVICE_TOKEN", "t-secret")
    assert main(["score", "--command", command]) == 0
    env = json.loads(seen.read_text())
    assert not {"LABEL_STUDIO_API_KEY", "OPENAI_API_KEY", "MY_SERVICE_TOKEN"} & env.keys() and "PATH" in env
    assert main(["score", "--command", command, "--pass-env", "OPENAI_API_KEY"]) == 0
    env = json.loads(seen.read_text())
    assert env.get("OPENAI_API_KEY") == "sk-secret" and "LABEL_STUDIO_API_KEY" not in env


def test_many_blank_lines_stream_and_count_lines(tmp_path, capsys):
    path = tmp_path / "p.jsonl"
    with open(path, "wb") as f:
        f.write(b"\n" * 3_000_000 + b"{oops\n")
    assert main(["score", "--predictions", str(path)]) == 1
    assert "p.jsonl:3000001: not valid JSON" in capsys.readouterr().err


def test_exit_codes_are_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for code in ("0", "1", "2", "70", "130", "141"):
        assert f"| {code} |" in readme
