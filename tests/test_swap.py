"""A build killed at any moment leaves one whole release, old or new (issue 12).

The kill is real: a forked child runs the swap with every file-system change
(rename, replace, unlink, rmdir) counted, and SIGKILLs itself just before
change number k; no ``finally`` runs. Then the next start's ``recover`` (itself
killed at each of its own steps once) must leave exactly the old release or
exactly the new one, nothing else.
"""
import os
import signal

import pytest

from corpus import swap
from corpus.build import build

OLD = {"data/sentences/test.parquet": b"old sentences", "data/documents/test.parquet": b"old documents",
       "README.md": b"old card", "CHANGELOG.md": b"old log", "croissant.json": b"old croissant"}
NEW = {"data/sentences/test.parquet": b"new sentences", "data/documents/test.parquet": b"new documents",
       "data/documents/extra.parquet": b"new file", "README.md": b"new card", "CHANGELOG.md": b"new log",
       "croissant.json": b"new croissant"}


def _write(root, files):
    for rel, content in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(content)


def _snapshot(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _run_killed_at(k, action):
    """Run ``action`` in a forked child killed before its k-th file-system change; None if killed,
    else the number of changes it made."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        os.close(read)
        count = 0

        def counted(fn):
            def wrapper(*args, **kwargs):
                nonlocal count
                count += 1
                if count == k:
                    os.kill(os.getpid(), signal.SIGKILL)
                return fn(*args, **kwargs)
            return wrapper

        for name in ("replace", "rename", "unlink", "rmdir"):
            setattr(os, name, counted(getattr(os, name)))
        try:
            action()
            os.write(write, str(count).encode())
        finally:
            os._exit(0)
    os.close(write)
    _, status = os.waitpid(pid, 0)
    out = os.read(read, 64)
    os.close(read)
    if os.WIFSIGNALED(status):
        assert os.WTERMSIG(status) == signal.SIGKILL
        return None
    return int(out)


def _setup(target):
    target.mkdir()
    _write(target, OLD)
    staging = swap.new_staging(target)
    _write(staging / "new", NEW)
    return staging


def test_a_kill_at_every_step_of_the_swap_and_of_its_recovery_leaves_one_whole_release(tmp_path):
    staging = _setup(tmp_path / "probe")
    steps = _run_killed_at(0, lambda: swap.commit(staging, tmp_path / "probe"))
    assert _snapshot(tmp_path / "probe") == NEW and steps >= 6
    outcomes = []
    for k in range(1, steps + 1):
        target = tmp_path / f"k{k}"
        staging = _setup(target)
        assert _run_killed_at(k, lambda: swap.commit(staging, target)) is None
        after_kill = _snapshot(target)
        recovery_steps = None
        for j in range(1, 50):  # kill the recovery too, at each of its steps, then recover for good
            done = _run_killed_at(j, lambda: swap.recover(target))
            if done is not None:
                recovery_steps = done
                break
        assert recovery_steps is not None
        swap.recover(target)
        state = _snapshot(target)
        assert state in (OLD, NEW), f"kill at step {k}: {sorted(state)}"
        assert not [p.name for p in target.iterdir() if swap.is_swap_leftover(p.name)]
        outcomes.append("old" if state == OLD else "new")
        if state == OLD:
            assert after_kill == {**OLD, **{f"{staging.name}/new/{r}": c for r, c in NEW.items()}}
    # the commit point is the first step: killed before it, the old release stays; after it, the new one
    assert outcomes == ["old"] + ["new"] * (steps - 1)


def test_build_finishes_an_interrupted_swap_before_it_starts(sources):
    seeds, gold, corpus = sources
    first = build(corpus, seeds_dir=seeds, gold_dir=gold, bump="major", message="first", today="2026-01-01")
    built = _snapshot(corpus)
    staging = swap.new_staging(corpus)
    _write(staging / "new", {rel: content for rel, content in built.items()})
    os.replace(staging, corpus / swap.JOURNAL)  # killed right after the commit point
    os.replace(corpus / "data", corpus / ".swap" / "old")  # ... and after moving data/ aside
    assert not (corpus / "data").exists()
    again = build(corpus, seeds_dir=seeds, gold_dir=gold)
    assert again.fingerprint == first.fingerprint and _snapshot(corpus) == built


def test_check_refuses_an_interrupted_swap(sources):
    from corpus.build import StaleBuildError, check

    seeds, gold, corpus = sources
    build(corpus, seeds_dir=seeds, gold_dir=gold, bump="major", message="first", today="2026-01-01")
    (corpus / swap.JOURNAL / "new").mkdir(parents=True)
    with pytest.raises(StaleBuildError, match=r"\.swap: an interrupted build; run `troopclaims build` to finish it"):
        check(corpus, seeds_dir=seeds, gold_dir=gold)
