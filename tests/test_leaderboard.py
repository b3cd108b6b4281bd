"""The leaderboard: bootstrap arithmetic, ranking, files written, and the README table kept in sync."""
import csv
import json
import os
from pathlib import Path

import numpy as np
import pytest

from corpus.errors import TroopclaimsError
from eval import bootstrap
from eval.leaderboard import END, START, render_markdown, run_leaderboard, update_readme
from eval.ranking import rank


def _record(name, per_sentence, f1):
    labels = {label: {"f1": f1, "precision": f1, "recall": f1, "support": 1, "tp": 0, "fp": 0, "fn": 0}
              for label in ("QUANTITY", "ATTRIBUTION", "DATE")}
    return {"extractor": {"name": name, "kind": "python", "version": None},
            "dataset": {"version": "1.0.0", "fingerprint": "sha256:" + "0" * 64},
            "scores": {"seqeval_strict": {"labels": labels, "micro": labels["QUANTITY"]}},
            "per_sentence": {"labels": ["QUANTITY", "ATTRIBUTION", "DATE"],
                             "ids": [f"d{i % 2}-{i:03d}" for i in range(len(per_sentence))],
                             "tp_fp_fn": per_sentence}}


def test_bootstrap_is_seeded_and_brackets_the_point_estimate():
    rng = np.random.default_rng(1)
    per_sentence = rng.integers(0, 3, size=(60, 9)).tolist()
    counts = bootstrap.unit_counts(per_sentence, [f"d-{i}" for i in range(60)], "sentences")
    drawn = bootstrap.draws(60, 500, 7)
    assert np.array_equal(drawn, bootstrap.draws(60, 500, 7)) and (drawn.sum(axis=1) == 60).all()
    labels, micro = bootstrap.replicate_f1(counts, drawn)
    # each replicate is the units it drew, summed (a unit drawn twice counts twice)
    idx = np.random.default_rng(7).integers(0, 60, size=(500, 60))
    assert np.array_equal(labels, bootstrap._f1(counts[idx].sum(axis=1)))
    summed = counts.sum(axis=(0, 1))
    point = 2 * summed[0] / (2 * summed[0] + summed[1] + summed[2])
    ci = bootstrap.interval(micro)
    assert ci.low < point < ci.high


def test_documents_as_units_sum_their_sentences():
    per_sentence = [[1, 0, 0] * 3, [0, 1, 0] * 3, [0, 0, 1] * 3]
    counts = bootstrap.unit_counts(per_sentence, ["a-000", "a-001", "b-000"], "documents")
    assert counts.shape == (2, 3, 3) and counts[0, 0].tolist() == [1, 1, 0] and counts[1, 0].tolist() == [0, 0, 1]


def test_ranking_and_paired_test():
    good = [[1, 0, 0] * 3] * 20
    bad = [[0, 1, 1] * 3] * 10 + [[1, 0, 0] * 3] * 10
    rows = rank([_record("bad", bad, 0.5), _record("good", good, 1.0), _record("same", good, 1.0)],
                samples=200, seed=1, unit="sentences")
    assert [r.name for r in rows] == ["good", "same", "bad"]
    assert rows[0].p_vs_best is None and rows[1].p_vs_best == 1.0 and rows[2].p_vs_best == 0.0
    table = render_markdown(rows, "1.0.0", "sha256:" + "0" * 64, "sentences", 200, 1)
    assert "| 1 | `good` |" in table and "| best |" in table


@pytest.fixture(scope="module")
def board(tmp_path_factory):
    out = tmp_path_factory.mktemp("board")
    rows = run_leaderboard([], out, samples=200, progress=False)
    return out, rows


def test_leaderboard_runs_every_registered_extractor_and_writes_its_folder(board):
    from models.registry import offline_names

    out, rows = board
    assert sorted(r.name for r in rows) == offline_names()
    for name in offline_names():
        assert (out / "results" / f"{name}.json").exists() and (out / "errors" / f"{name}.html").exists()
    with open(out / "leaderboard.csv", encoding="utf-8") as f:
        table = list(csv.DictReader(f))
    assert [r["extractor"] for r in table] == [r.name for r in rows]
    assert all(float(r["micro_f1_low"]) <= float(r["micro_f1"]) <= float(r["micro_f1_high"]) for r in table)
    assert (out / "leaderboard.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # ranked on test by default, with the same systems' validation F1 and both kinds of interval beside it
    assert all(json.loads((out / "results" / f"{r.name}.json").read_text())["dataset"]["split"] == "test"
               for r in rows)
    head = (out / "leaderboard.md").read_text(encoding="utf-8")
    assert "split `test`" in head and "| 95% CI, sentences | 95% CI, documents | validation F1 |" in head
    for row, line in zip(rows, table):
        assert row.validation is not None and line["validation_micro_f1"] == f"{row.validation:.4f}"
        docs = row.intervals["documents"]
        assert docs.low <= row.micro <= docs.high and float(line["micro_f1_low_documents"]) == round(docs.low, 4)


def test_readme_table_is_the_generated_one(board, tmp_path):
    from corpus.paths import ROOT

    out, _ = board
    generated = run_leaderboard([], tmp_path / "again", progress=False)  # the README uses the default samples
    table = (tmp_path / "again" / "leaderboard.md").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    current = readme[readme.index(START) + len(START):readme.index(END)]
    assert current.strip() == table.strip(), "README's leaderboard is stale: run `troopclaims leaderboard`"
    del generated


def test_update_readme_replaces_only_between_markers(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(f"intro\n{START}\nold\n{END}\noutro\n", encoding="utf-8")
    assert update_readme("| new |\n", readme)
    assert readme.read_text(encoding="utf-8") == f"intro\n{START}\n| new |\n{END}\noutro\n"
    assert not update_readme("| new |\n", readme)


def test_stored_records_rank_as_if_they_had_run_here(board, tmp_path, capsys):
    """A record made elsewhere gives the same row (intervals and paired test) as the same system run here."""
    from eval.cli import main
    from eval.goldset import load_goldset
    from eval.sources import from_predictions
    from tests.test_align import write_answers

    answers = write_answers(tmp_path / "llm.jsonl", load_goldset(), lambda s: s.split(" ")[0])  # a sloppy "LLM"
    run_leaderboard([from_predictions(str(answers), "mentions")], tmp_path / "live", samples=200, progress=False,
                    registered=False)
    stored_dir = tmp_path / "stored"
    stored_dir.mkdir()
    (stored_dir / "llm.json").write_bytes((tmp_path / "live" / "results" / "file_llm.jsonl.json").read_bytes())
    assert main(["leaderboard", "--results", str(stored_dir), "--samples", "200", "--out", str(tmp_path / "b"),
                 "--no-progress", "--only-given"]) == 0
    assert "| `file:llm.jsonl` |" in capsys.readouterr().out
    table = (tmp_path / "b" / "leaderboard.md").read_text(encoding="utf-8")
    assert table == (tmp_path / "live" / "leaderboard.md").read_text(encoding="utf-8")
    # the error report is made from the stored record's own predictions: the same page as the live run's
    report = (tmp_path / "b" / "errors" / "file_llm.jsonl.html").read_text(encoding="utf-8")
    assert report == (tmp_path / "live" / "errors" / "file_llm.jsonl.html").read_text(encoding="utf-8")


def test_a_stored_record_rescores_to_exactly_its_own_figures(board):
    from eval.goldset import load_goldset
    from eval.stored import load_stored
    from eval.rescore import FIGURES
    from eval.result import load_result

    out, rows = board
    for row in rows:
        path = out / "results" / f"{row.name}.json"
        stored = load_result(path)
        rescored, documents = load_stored(path, load_goldset())
        assert {k: stored.get(k) for k in FIGURES} == {k: rescored.to_json().get(k) for k in FIGURES}
        assert sorted(documents) == sorted(stored["per_document"])


def _move_fn_to_tp(record):
    """Per-sentence counts moved from fn into tp: an interval that would exclude the record's own F1."""
    rows = [r for r in record["per_sentence"]["tp_fp_fn"] if any(r[i] for i in range(2, len(r), 3))]
    for r in rows:
        for i in range(0, len(r), 3):
            r[i], r[i + 2] = r[i] + r[i + 2], 0


def _add_span(record):
    """A prediction added after scoring, figures left alone."""
    from eval.goldset import load_goldset

    doc = record["predictions"]["documents"][0]
    gold = load_goldset().documents[doc["doc_id"]]
    taken = [(s["start"], s["end"]) for s in doc["spans"]]
    free = next(s for s in gold.spans if all(e <= s.start or s.end <= b for b, e in taken))
    doc["spans"].append({"start": free.start, "end": free.end, "label": free.label})


@pytest.mark.parametrize("change, message", [
    (lambda r: r["dataset"].update(version="0.9.0"), "scored on troopclaims 0.9.0"),
    (lambda r: r["dataset"].update(split="validation"),
     r"scored on the split 'validation', not on 'test' that this leaderboard ranks; score it with --split test"),
    (lambda r: r.update(format="other/2"), "not a troopclaims result record"),
    (lambda r: r.update(dataset=None), "'dataset' must be an object"),
    (lambda r: r.update(scores=[]), "'scores' must be an object"),
    (lambda r: r["extractor"].pop("kind"), "extractor must have a non-empty string 'name' and 'kind'"),
    (lambda r: r["extractor"].update(name="regex.v1"), "two systems named regex.v1"),
    # tampered figures: each named, with the stored and the recomputed value
    (lambda r: r["scores"]["seqeval_strict"]["micro"].update(f1=1.7),
     r"scores\.seqeval_strict\.micro\.f1 is 1\.7 in the record but 0\.\d+ when its predictions are scored again"),
    (lambda r: r["scores"]["seqeval_strict"]["micro"].update(f1="0.5"), r"scores\.seqeval_strict\.micro\.f1 is \"0\.5\""),
    (lambda r: r["scores"]["claims"]["summary"].update(full_f1=0.99), r"scores\.claims\.summary\.full_f1 is 0\.99"),
    (_move_fn_to_tp, r"per_sentence\.tp_fp_fn\[\d+\]\[\d+\] is \d+ in the record but \d+"),
    (lambda r: r["per_sentence"]["ids"].pop(), r"per_sentence\.ids"),
    (lambda r: r["per_document"].popitem(), r"per_document\.\d{3}_\w+ is \"missing\""),
    (_add_span, r"is .* in the record but .* when its predictions are scored again"),
    (lambda r: r["predictions"]["documents"].pop(), r"predictions\.documents: no predictions for document"),
    (lambda r: r.pop("predictions"), r"holds no predictions .* score the system again"),
    # figures JSON does not allow, and names that would forge rows
    (lambda r: r["scores"]["seqeval_strict"]["micro"].update(f1=float("nan")), "NaN is not a number JSON allows"),
    (lambda r: r["scores"]["seqeval_strict"]["micro"].update(f1=float("inf")), "Infinity is not a number JSON allows"),
    (lambda r: r["extractor"].update(name="x |\n| 1 | `forged` | 1.000 |"),
     r"extractor\.name holds the control character '\\n'; a name is one line of printable text"),
])
def test_stored_records_of_another_version_shape_or_tampered_are_refused(board, tmp_path, capsys, change, message):
    import json
    import re

    from eval.cli import main

    out, rows = board
    record = json.loads((out / "results" / f"{rows[0].name}.json").read_text(encoding="utf-8"))
    record["extractor"]["name"] = "elsewhere"
    change(record)
    folder = tmp_path / "stored"
    folder.mkdir()
    (folder / "bad.json").write_text(json.dumps(record), encoding="utf-8")
    assert main(["leaderboard", "--results", str(folder), "--out", str(tmp_path / "b"), "--no-progress"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(folder / "bad.json") in err and re.search(message, err), err
    assert not (tmp_path / "b").exists()


def test_names_reach_markdown_csv_html_and_the_plot_escaped(board, tmp_path):
    """A name full of table and markup syntax is one row, one cell, shown as text everywhere."""
    import json

    from eval.cli import main

    out, rows = board
    name = "=HYPERLINK(1)| `x` <script>alert(1)</script> $x$ | "
    record = json.loads((out / "results" / f"{rows[0].name}.json").read_text(encoding="utf-8"))
    record["extractor"]["name"] = name
    folder = tmp_path / "stored"
    folder.mkdir()
    (folder / "r.json").write_text(json.dumps(record), encoding="utf-8")
    assert main(["leaderboard", "--results", str(folder), "--out", str(tmp_path / "b"), "--no-progress",
                 "--only-given"]) == 0
    table = (tmp_path / "b" / "leaderboard.md").read_text(encoding="utf-8")
    [row] = [line for line in table.splitlines() if line.startswith("| 1 |")]
    assert row.replace("\\|", "").count("|") == table.splitlines()[2].count("|")  # as many cells as the header
    assert "``=HYPERLINK(1)\\| `x` <script>" in row  # a code span: the markup shows as text
    with open(tmp_path / "b" / "leaderboard.csv", encoding="utf-8") as f:
        [got] = list(csv.DictReader(f))
    assert got["extractor"] == "'" + name  # a spreadsheet shows it, never runs it
    [page] = (tmp_path / "b" / "errors").glob("*.html")
    assert "<script>" not in page.read_text(encoding="utf-8")
    assert (tmp_path / "b" / "leaderboard.png").stat().st_size > 0


@pytest.mark.parametrize("make, message", [
    (lambda f: (f / "loop.json").symlink_to(f / "loop.json"), r"loop\.json: cannot read it \(too many levels of "
                                                              r"symbolic links\)"),
    (lambda f: (f / "gone.json").symlink_to(f / "nowhere.json"), r"gone\.json: no such file"),
    (lambda f: (f / "dir.json").mkdir(), r"dir\.json: is a folder, not a file; expected a result record"),
])
def test_an_unreadable_entry_in_a_results_folder_is_named_not_skipped(board, tmp_path, capsys, make, message):
    import re
    import shutil

    from eval.cli import main

    out, rows = board
    folder = tmp_path / "stored"
    folder.mkdir()
    shutil.copy(out / "results" / f"{rows[0].name}.json", folder / "good.json")
    make(folder)
    assert main(["leaderboard", "--results", str(folder), "--out", str(tmp_path / "b"), "--no-progress",
                 "--only-given"]) == 1
    err = capsys.readouterr().err
    assert re.search(message, err), err
    assert not (tmp_path / "b").exists()


def test_many_systems_get_one_row_each_in_the_plot(board, tmp_path):
    from eval.leaderboard import BARS_UP_TO, plot

    _, rows = board
    many = [r for _ in range(3) for r in rows][: BARS_UP_TO + 2]
    plot(many, tmp_path / "many.png", "1.0.0")
    assert (tmp_path / "many.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def _copies(board, folder, n: int):
    """``n`` stored records made from the board's, each named apart (``copy-00`` ...)."""
    out, rows = board
    folder.mkdir()
    for i in range(n):
        record = json.loads((out / "results" / f"{rows[i % len(rows)].name}.json").read_text(encoding="utf-8"))
        record["extractor"]["name"] = f"copy-{i:02d}"
        (folder / f"r{i:02d}.json").write_text(json.dumps(record), encoding="utf-8")
    return folder


def test_many_stored_records_are_checked_by_workers_as_they_would_be_here(board, tmp_path, monkeypatch):
    """Enough records to start worker processes: the same board, files and all, as checking them here."""
    from eval import stored

    folder = _copies(board, tmp_path / "many", stored.MIN_PARALLEL)
    paths = stored.stored_paths(folder)
    assert stored._workers(len(paths)) == min(len(os.sched_getaffinity(0)), len(paths))  # 2 here, 1 on one core
    pooled, through_pool = stored._pooled, []
    monkeypatch.setattr(stored, "_pooled", lambda *a: through_pool.append(1) or pooled(*a))
    run_leaderboard([], tmp_path / "workers", samples=200, progress=False, registered=False, stored=paths)
    assert through_pool == ([1] if stored._workers(len(paths)) > 1 else [])
    monkeypatch.setattr(stored, "MIN_PARALLEL", 10**6)  # the same records, checked in this process
    run_leaderboard([], tmp_path / "here", samples=200, progress=False, registered=False, stored=paths)
    for name in ("leaderboard.md", "leaderboard.csv", "results/copy-03.json", "errors/copy-03.html"):
        assert (tmp_path / "workers" / name).read_bytes() == (tmp_path / "here" / name).read_bytes(), name
    assert sorted(p.name for p in (tmp_path / "workers").iterdir()) == \
        ["errors", "leaderboard.csv", "leaderboard.md", "leaderboard.png", "results"]  # no staging left


def test_one_tampered_record_among_many_is_named_and_nothing_is_written(board, tmp_path, capsys):
    from eval.cli import main
    from eval import stored

    folder = _copies(board, tmp_path / "many", stored.MIN_PARALLEL + 2)
    tampered = folder / "r05.json"
    record = json.loads(tampered.read_text(encoding="utf-8"))
    record["scores"]["seqeval_strict"]["micro"]["f1"] = 0.999
    tampered.write_text(json.dumps(record), encoding="utf-8")
    out = tmp_path / "board"
    assert main(["leaderboard", "--results", str(folder), "--only-given", "--samples", "200", "--out", str(out),
                 "--no-progress"]) == 1
    err = capsys.readouterr().err
    assert f"{tampered}: scores.seqeval_strict.micro.f1 is 0.999 in the record but" in err
    assert not out.exists()  # not even the staging folder the workers wrote into


def test_workers_start_without_credentials_or_the_main_module(monkeypatch, tmp_path):
    """What ``spawn`` passes a worker: the environment minus credentials, one BLAS thread; never a rerun of
    the script that started the leaderboard (here a file without a main guard that would write a mark)."""
    import multiprocessing
    import sys
    import types

    from eval import stored

    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-secret")
    monkeypatch.setenv("TROOPCLAIMS_PLAIN", "kept")
    monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)
    script = tmp_path / "script.py"
    script.write_text(f"open({str(tmp_path / 'reran')!r}, 'w').close()\n", encoding="utf-8")
    fake_main = types.ModuleType("__main__")
    fake_main.__file__ = str(script)
    monkeypatch.setitem(sys.modules, "__main__", fake_main)
    ctx = multiprocessing.get_context("spawn")
    with stored._clean_start():
        queue = ctx.Queue()
        child = ctx.Process(target=_report_environment, args=(queue,))
        child.start()
    seen = queue.get(timeout=60)
    child.join(60)
    assert seen == {"OPENAI_API_KEY": None, "TROOPCLAIMS_PLAIN": "kept", "OPENBLAS_NUM_THREADS": "1"}
    assert os.environ["OPENAI_API_KEY"] == "sk-test-secret" and "OPENBLAS_NUM_THREADS" not in os.environ
    assert sys.modules["__main__"] is fake_main
    assert not (tmp_path / "reran").exists()


def _report_environment(queue) -> None:
    queue.put({k: os.environ.get(k) for k in ("OPENAI_API_KEY", "TROOPCLAIMS_PLAIN", "OPENBLAS_NUM_THREADS")})


@pytest.mark.parametrize("stop", ["ctrl-c", "worker-killed"])
def test_a_run_stopped_while_workers_check_ends_at_once_and_leaves_nothing(board, tmp_path, stop):
    """Ctrl-C (SIGINT to the whole process group, as a terminal sends it) while workers check records: exit
    130 at once. A worker killed (as the out-of-memory killer does): exit 1 naming it, never a wait for a
    record nobody checks, and no replacement worker. Either way the workers are gone and no folder is left."""
    import signal
    import subprocess
    import sys
    import time

    from corpus.paths import ROOT

    folder = _copies(board, tmp_path / "many", 40)
    out = tmp_path / "board"
    proc = subprocess.Popen([sys.executable, "-m", "eval.cli", "leaderboard", "--results", str(folder), "--only-given",
                             "--out", str(out), "--no-progress"], cwd=ROOT, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not list(out.glob(".stored-*/results/*.json")):  # the workers are writing
        assert proc.poll() is None and time.monotonic() < deadline, proc.stderr.read() if proc.poll() else "slow"
        time.sleep(0.05)
    workers = _children(proc.pid)
    if stop == "ctrl-c":
        os.killpg(proc.pid, signal.SIGINT)
    else:
        os.kill(workers[-1], signal.SIGKILL)
    _, err = proc.communicate(timeout=30)
    expected = (130, "interrupted") if stop == "ctrl-c" else (1, "a worker process checking the stored records stopped")
    assert (proc.returncode, expected[1] in err, "Traceback" in err) == (expected[0], True, False), err
    assert not out.exists()
    for pid in workers:
        for _ in range(100):
            try:
                if "State:\tZ" in Path(f"/proc/{pid}/status").read_text():  # ended, not yet reaped
                    break
            except FileNotFoundError:  # ended and reaped
                break
            time.sleep(0.05)
        else:
            raise AssertionError(f"worker {pid} still running")


def _children(pid: int) -> list[int]:
    """The worker processes of ``pid`` (Linux /proc; the spawn context's resource tracker is not one)."""
    kids = [int(c) for task in Path(f"/proc/{pid}/task").iterdir() for c in (task / "children").read_text().split()]
    return [k for k in kids if "resource_tracker" not in Path(f"/proc/{k}/cmdline").read_text()]


def test_a_board_file_that_cannot_be_replaced_stops_the_run_before_any_is(board, tmp_path):
    """Publishing the stored records' files: every target is checked first, so a folder where a record's
    file should go stops the run with the earlier files of the board untouched."""
    from eval import stored

    folder = _copies(board, tmp_path / "many", stored.MIN_PARALLEL)
    out = tmp_path / "board"
    (out / "results" / "copy-05.json").mkdir(parents=True)
    (out / "results" / "copy-00.json").write_text("the earlier board's record", encoding="utf-8")
    with pytest.raises(TroopclaimsError, match=r"copy-05\.json: is a folder"):
        run_leaderboard([], out, samples=200, progress=False, registered=False, stored=stored.stored_paths(folder))
    assert (out / "results" / "copy-00.json").read_text(encoding="utf-8") == "the earlier board's record"
    assert sorted(p.name for p in out.iterdir()) == ["results"]  # no staging folder, no table


def test_errors_come_back_from_a_worker_as_they_were_raised():
    """A worker's refusal is pickled to the main process: a many-problem error keeps its problems and message."""
    import pickle

    from annotation.label_studio.convert import TasksError
    from corpus.errors import FormatError, GoldError

    for error in (GoldError(["a.jsonl:1: bad", "a.jsonl:2: worse"]), TasksError(["task 1: odd"]), FormatError("x: y")):
        back = pickle.loads(pickle.dumps(error))
        assert type(back) is type(error) and str(back) == str(error) and getattr(back, "problems", 0) == \
            getattr(error, "problems", 0)
