"""Running an external extractor command: bounded in time and output, no secrets, no orphans.

The command runs in its own session (process group). Its standard output is
kept up to ``MAX_OUTPUT`` bytes: past that it is stopped and the run is an
error, so a command writing without end cannot exhaust memory. When it times
out, overflows, or the user presses Ctrl-C, its whole process group is
killed, and so is anything it left running when it exits. It does not
inherit this tool's credentials: ``SECRET_NAMES`` and any variable whose name
ends in one of ``SECRET_SUFFIXES`` are removed from its environment unless
passed explicitly (``--pass-env NAME``).
"""
from __future__ import annotations

import os
import shlex
import signal
import subprocess
import threading
import time
from collections import deque
from collections.abc import Iterable

from corpus.errors import UsageError

from .sources import ExtractorError

MAX_OUTPUT = 64 * 2**20  # bytes of standard output accepted from a command (64 MiB)
STDERR_TAIL = 64 * 2**10  # bytes of standard error kept for the error message
SECRET_NAMES = frozenset({"LABEL_STUDIO_API_KEY", "OPENAI_API_KEY", "ANTHROPIC_API_KEY", "HF_TOKEN",
                          "HUGGING_FACE_HUB_TOKEN", "GITHUB_TOKEN", "AWS_SECRET_ACCESS_KEY"})
SECRET_SUFFIXES = ("_API_KEY", "_TOKEN", "_SECRET", "_PASSWORD")


class CommandError(ExtractorError):
    """An extractor command could not run, failed, timed out or wrote too much."""


def parse_command(command: str) -> list[str]:
    """The argv of ``command`` (shell-like quoting, no shell); an error for empty or unbalanced input."""
    try:
        argv = shlex.split(command)
    except ValueError as exc:
        raise UsageError(f"--command {command!r}: cannot split it into arguments ({exc}); "
                           "balance the quotes, e.g. \"python my_extractor.py --model 'a b'\"") from None
    if not argv:
        raise UsageError("--command is empty; give a program and its arguments, e.g. 'python my_extractor.py'")
    return argv


def child_environment(keep: Iterable[str] = ()) -> dict[str, str]:
    """This process's environment without credentials, except the names in ``keep``."""
    keep = set(keep)
    return {k: v for k, v in os.environ.items()
            if k in keep or not (k in SECRET_NAMES or k.upper().endswith(SECRET_SUFFIXES))}


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def run_command(argv: list[str], stdin: bytes, *, timeout: float, what: str, keep_env: Iterable[str] = (),
                max_output: int | None = None) -> bytes:
    """Run ``argv`` with ``stdin``; its standard output, or a CommandError naming what went wrong."""
    max_output = MAX_OUTPUT if max_output is None else max_output
    try:
        proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                start_new_session=True, env=child_environment(keep_env))
    except FileNotFoundError:
        raise CommandError(f"{what}: program {argv[0]!r} not found (not a path, nor on PATH)") from None
    except PermissionError:
        raise CommandError(f"{what}: cannot run {argv[0]!r}: not executable (permission denied); "
                           f"chmod +x it or run it through its interpreter, e.g. 'python {argv[0]}'") from None
    except OSError as exc:
        raise CommandError(f"{what}: cannot run {argv[0]!r} ({(exc.strerror or str(exc)).lower()})") from None
    out: list[bytes] = []
    err: deque[bytes] = deque()
    state = {"out": 0, "err": 0, "overflow": False}

    def feed():
        try:
            proc.stdin.write(stdin)
            proc.stdin.close()
        except (BrokenPipeError, OSError):  # the command need not read everything
            pass

    def read_out():
        while chunk := proc.stdout.read1(2**16):
            if state["out"] + len(chunk) > max_output:
                state["overflow"] = True
                _kill_group(proc)
                return
            state["out"] += len(chunk)
            out.append(chunk)

    def read_err():
        while chunk := proc.stderr.read1(2**16):
            err.append(chunk)
            state["err"] += len(chunk)
            while state["err"] - len(err[0]) >= STDERR_TAIL:
                state["err"] -= len(err.popleft())

    threads = [threading.Thread(target=t, daemon=True) for t in (feed, read_out, read_err)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + timeout
    try:
        while proc.poll() is None and not state["overflow"]:
            if time.monotonic() > deadline:
                _kill_group(proc)
                raise CommandError(f"{what} did not finish within {timeout:g} s (stopped, with its child "
                                   "processes); raise --timeout if it needs longer")
            try:
                proc.wait(0.05)
            except subprocess.TimeoutExpired:
                pass
    finally:  # on success, error or Ctrl-C: nothing it started outlives the run
        _kill_group(proc)
        proc.wait()
        for t in threads[1:]:
            t.join(5)
    if state["overflow"]:
        raise CommandError(f"{what} wrote more than {max_output / 2**20:g} MiB to standard output, the limit "
                           "for a command (stopped); predictions for the gold documents are far smaller")
    if proc.returncode != 0:
        tail = b"".join(err).decode("utf-8", "replace").strip().splitlines()[-5:]
        status = (f"was killed by signal {-proc.returncode}" if proc.returncode < 0
                  else f"exited with status {proc.returncode}")
        raise CommandError(f"{what} {status}" + (": " + "\n".join(tail) if tail else " (no error output)"))
    return b"".join(out)
