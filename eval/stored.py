"""Result records made elsewhere, ranked without rerunning their systems: found, checked, staged.

Each record is loaded, re-scored from its own predictions (``eval.rescore``) and written, with its
error report, into a staging folder inside the leaderboard's; only when every record has passed are the
files moved into place, so a refused record leaves the board as it was. A record costs a sixth of a
second of pure Python (135 documents scored again, an error page drawn), so many records are checked by
worker processes, one per core, started without this process's credentials. What comes back is only
the record's measure (``eval.ranking``: its intervals and replicates), so a folder of thousands of
records fits in memory.
"""
from __future__ import annotations

import os
import shutil
import signal
import stat
import sys
import tempfile
import types
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from corpus.errors import TroopclaimsError
from corpus.io import OutputError, check_output, write_output

from .ranking import Measure, Ranking
from .rescore import rescore
from .result import Result, file_name, load_result, name_problem, write_result

ONE_THREAD = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
MIN_PARALLEL = 8  # records: fewer are checked in this process (starting a worker costs about a second)


def stored_paths(folder: Path) -> list[Path]:
    """The result records (*.json) in ``folder``, sorted; an empty or missing folder is an error.

    Every entry named *.json is a record: one that cannot be read (a symbolic link loop, no permission)
    is named when it is loaded, never skipped."""
    folder = Path(folder)
    if not folder.is_dir():
        raise TroopclaimsError(f"{folder}: not a folder of result records (--results takes a folder of *.json)")
    try:
        paths = sorted(folder.glob("*.json"))
    except OSError as exc:
        raise TroopclaimsError(f"{folder}: cannot list it ({(exc.strerror or str(exc)).lower()})") from None
    if not paths:
        raise TroopclaimsError(f"{folder}: no result records (*.json) in it")
    return paths


def load_stored(path: Path, gold) -> tuple[Result, dict]:
    """A result record made elsewhere and the documents it predicted: refused unless it scores this dataset
    version and its figures are what its own predictions score now (``eval.rescore``); the figures
    returned are the recomputed ones."""
    record = Result.from_json(load_result(path))
    for key in ("dataset", "extractor", "settings", "scores", "alignment", "per_document", "per_sentence"):
        if not isinstance(getattr(record, key), dict):
            raise TroopclaimsError(f"{path}: '{key}' must be an object (eval/RESULT_FORMAT.md)")
    if not isinstance(record.mentions, (dict, type(None))):
        raise TroopclaimsError(f"{path}: 'mentions' must be an object or absent (eval/RESULT_FORMAT.md)")
    ds = record.dataset
    if (ds.get("version"), ds.get("fingerprint")) != (gold.version, gold.fingerprint):
        raise TroopclaimsError(f"{path}: scored on troopclaims {ds.get('version')} ({ds.get('fingerprint')}), not on "
                               f"the current {gold.version} ({gold.fingerprint}); rescore it on this version")
    if ds.get("split") != gold.split:
        raise TroopclaimsError(f"{path}: scored on the split {ds.get('split')!r}, not on {gold.split!r} that this "
                               f"leaderboard ranks; score it with --split {gold.split}")
    if not all(isinstance(record.extractor.get(k), str) and record.extractor[k] for k in ("name", "kind")):
        raise TroopclaimsError(f"{path}: extractor must have a non-empty string 'name' and 'kind'")
    if problem := name_problem(record.name):
        raise TroopclaimsError(f"{path}: extractor.name {problem}")
    if not isinstance(record.extractor.get("version"), (str, type(None))):
        raise TroopclaimsError(f"{path}: extractor.version must be a string or null")
    if not isinstance(record.notes, list) or not all(isinstance(n, str) for n in record.notes):
        raise TroopclaimsError(f"{path}: notes must be a list of strings")
    return rescore(record, gold, str(path))


@dataclass
class Staged:
    """The names of the checked stored records (in path order) and the folder holding their files until
    they are published."""

    names: list[str]
    folder: Path | None = None
    made: Path | None = None  # the leaderboard folder, when staging made it: gone again if left empty

    def publish(self, out_dir: Path) -> None:
        """Move the staged records and error reports into ``out_dir``'s results/ and errors/, by the rules of
        ``corpus.io.write_output`` (atomically; a link's target replaced, a file's mode kept); every target is
        checked first, so one that cannot be written stops the run before any is replaced."""
        if self.folder is None:
            return
        moves = [(staged, Path(out_dir) / part / staged.name) for part in ("results", "errors")
                 for staged in sorted((self.folder / part).iterdir())]
        for _, target in moves:
            check_output(target)
        for staged, target in moves:
            try:
                if target.is_symlink():
                    raise OSError("a link: its target is replaced, as write_output does")
                if target.exists():
                    os.chmod(staged, stat.S_IMODE(target.stat().st_mode))
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(staged, target)  # a rename: no copy of hundreds of megabytes
            except OSError:  # a link, another file system, ...
                write_output(target, staged.read_bytes())

    def discard(self) -> None:
        """The staging folder removed (after publishing, or on refusal: then nothing is left behind)."""
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
        if self.made is not None:
            try:
                self.made.rmdir()  # only if empty
            except OSError:
                pass


_GOLD, _RANKING = None, None  # a worker's gold set and bootstrap, given once when it starts


def _start_worker(gold, settings: dict) -> None:
    """A worker's state."""
    global _GOLD, _RANKING
    _GOLD, _RANKING = gold, Ranking(samples=settings["samples"], seed=settings["seed"], unit=settings["unit"])


def _check(job: tuple[Path, Path], gold=None, ranking: Ranking | None = None) -> Measure:
    """One record: loaded, re-scored, written with its error report into the staging folder, measured."""
    from .error_report import write_error_report

    path, folder = job
    gold, ranking = gold or _GOLD, ranking or _RANKING
    try:
        result, documents = load_stored(path, gold)
        result = result.with_settings(bootstrap=ranking.settings)
        write_result(result, folder / "results" / f"{file_name(result.name)}.json")
        write_error_report(folder / "errors" / f"{file_name(result.name)}.html", result, gold.documents, documents)
        return ranking.measure(result)
    except TroopclaimsError:
        raise
    except Exception as exc:  # a bug: sent back as an error any process can rebuild, naming the record
        raise RuntimeError(f"checking {path}: {type(exc).__name__}: {exc}") from None


def _workers(jobs: int) -> int:
    """Worker processes for ``jobs`` records: one per core, when there are enough records to pay for them."""
    if jobs < MIN_PARALLEL:
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return min(cores, jobs)


@contextmanager
def _clean_start():
    """While workers run (``spawn``: each a new interpreter, started here or as a replacement): no
    credentials in the environment they start with, one thread for numerical libraries (the workers are
    the parallelism; idle BLAS threads spin), and no main module (``spawn`` would import it again in each
    worker, running a script that has no ``if __name__ == "__main__"`` guard once more, or failing on one
    read from standard input)."""
    from .command import child_environment

    kept = child_environment()
    saved = {k: os.environ.get(k) for k in [*(k for k in os.environ if k not in kept), *ONE_THREAD]}
    main = sys.modules["__main__"]
    sys.modules["__main__"] = types.ModuleType("__main__")
    for k in saved:
        os.environ.pop(k, None)
    os.environ.update(ONE_THREAD)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        sys.modules["__main__"] = main


@contextmanager
def _ctrl_c_held():
    """Ctrl-C ignored by the workers, held back (not lost) here, while they start: an ignored signal stays
    ignored in a new interpreter, and a blocked one waits for this process until the block ends."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    handler = signal.signal(signal.SIGINT, signal.SIG_IGN)  # what the workers inherit
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, handler)  # first: a Ctrl-C that came meanwhile is still pending
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def _pooled(pool, jobs, started: set[int]):
    """``pool.imap`` results in order; a worker that died (the pool starts a replacement, and the record it
    held never comes back) stops the run instead of a wait for ever."""
    import multiprocessing

    results = pool.imap(_check, jobs)  # one at a time: no worker idles at the end
    for _ in jobs:
        while True:
            try:
                yield results.next(timeout=0.5)
                break
            except multiprocessing.TimeoutError:
                if any(p.pid not in started for p in multiprocessing.active_children()):
                    raise TroopclaimsError("a worker process checking the stored records stopped (killed, or "
                                           "out of memory?); nothing was written") from None


def _take(measure: Measure, ranking: Ranking, staged: Staged, bar) -> None:
    ranking.add(measure)
    staged.names.append(measure.row.name)
    bar.update()


def check_stored(paths: list[Path], gold, out_dir: Path, ranking: Ranking, *, progress: bool = True) -> Staged:
    """Every record in ``paths`` checked, staged under ``out_dir`` and added to ``ranking`` (in path order);
    the first refused (in path order) raises, and nothing is left behind."""
    from tqdm import tqdm

    if not paths:
        return Staged([])
    out_dir = Path(out_dir)
    made = None if out_dir.exists() else out_dir
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        folder = Path(tempfile.mkdtemp(dir=out_dir, prefix=".stored-"))
    except OSError as exc:
        raise OutputError(f"{out_dir}: cannot write there ({(exc.strerror or str(exc)).lower()})") from None
    staged = Staged([], folder, made)
    jobs = [(Path(p), folder) for p in paths]
    workers = _workers(len(jobs))
    bar = tqdm(total=len(jobs), desc="stored records", unit="record", disable=not progress, file=sys.stderr,
               delay=1.0)  # a record refused at once is one line, with no bar before it
    pool, done = None, False
    try:
        if workers == 1:
            for job in jobs:
                _take(_check(job, gold, ranking), ranking, staged, bar)
        else:
            import multiprocessing

            with _clean_start():
                with _ctrl_c_held():
                    pool = multiprocessing.get_context("spawn").Pool(workers, _start_worker, (gold, ranking.settings))
                started = {p.pid for p in multiprocessing.active_children()}
                for measure in _pooled(pool, jobs, started):
                    _take(measure, ranking, staged, bar)
        done = True
    finally:
        bar.close()
        if pool is not None:
            if done:
                pool.close()
            else:
                pool.terminate()  # stopped before their staging folder goes, so nothing is written after
            pool.join()
        if not done:  # refused, failed or interrupted: nothing is left behind
            staged.discard()
    return staged


__all__ = ["stored_paths", "load_stored", "check_stored", "Staged"]
