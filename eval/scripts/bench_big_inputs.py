"""Memory and time on big or endless inputs: the figures issue 12 asks for.

1. A 200 MB predictions file: five valid lines spread among blank lines
   (what once took 1.9 GB). Target: peak memory at most 400 MB.
2. A command writing 300 MB of output (what once took 5.9 GB): stopped at
   the 64 MiB cap, with a clear error.
3. A command writing without end: stopped at the cap within 10 s.

Each run is a separate `troopclaims score` process; its peak resident memory
is the kernel's (``wait4`` rusage ``ru_maxrss``). Usage::

    python eval/scripts/bench_big_inputs.py [--size-mb 200] [--keep]
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def run(argv: list[str]) -> tuple[int, float, float, str]:
    """(exit code, peak RSS in MB, seconds, last stderr line) of ``troopclaims argv`` in its own process."""
    began = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "eval.cli", *argv], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - began
    lines = err.decode("utf-8", "replace").strip().splitlines()
    return proc.returncode, usage.ru_maxrss / 1024, seconds, lines[-1] if lines else ""


def big_predictions(path: Path, size_mb: int) -> None:
    from corpus.seeds import load_seeds

    ids = list(load_seeds())
    blank = b"\n" * (2**20)
    with open(path, "wb") as f:
        for i in range(size_mb):
            if i % (size_mb // len(ids)) == 0 and i // (size_mb // len(ids)) < len(ids):
                f.write(json.dumps({"doc_id": ids[i // (size_mb // len(ids))], "spans": []}).encode() + b"\n")
            f.write(blank)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=200)
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="troopclaims-bench-"))
    try:
        path = tmp / "big.jsonl"
        big_predictions(path, args.size_mb)
        size = path.stat().st_size / 2**20
        code, peak, seconds, _ = run(["score", "--predictions", str(path)])
        print(f"predictions file of {size:.0f} MiB (5 valid lines, the rest blank): exit {code}, "
              f"peak memory {peak:.0f} MB, {seconds:.1f} s  [target: <= 400 MB]")
        baseline = tmp / "small.jsonl"
        with open(path, "rb") as f, open(baseline, "wb") as g:
            g.write(b"".join(line for line in f if line.strip()))
        code, small_peak, seconds, _ = run(["score", "--predictions", str(baseline)])
        print(f"  the same five lines alone: exit {code}, peak memory {small_peak:.0f} MB, {seconds:.1f} s")

        writer = tmp / "writer.py"
        writer.write_text("import sys\nchunk = 'x' * 2**20 + '\\n'\nfor _ in range(300):\n"
                          "    sys.stdout.write(chunk)\n", encoding="utf-8")
        code, peak, seconds, err = run(["score", "--command", f"{sys.executable} {writer}"])
        print(f"command writing 300 MB: exit {code}, peak memory {peak:.0f} MB, stopped after {seconds:.1f} s: {err}")

        endless = tmp / "endless.py"
        endless.write_text("import sys\nchunk = 'x' * 65536\nwhile True:\n    sys.stdout.write(chunk)\n",
                           encoding="utf-8")
        code, peak, seconds, err = run(["score", "--command", f"{sys.executable} {endless}", "--timeout", "600"])
        print(f"command writing without end: exit {code}, peak memory {peak:.0f} MB, stopped after {seconds:.1f} s "
              f"[target: <= 10 s]: {err}")
        code, peak, seconds, err = run(["score", "--command", "yes"])
        print(f"`yes` as a command: exit {code}, peak memory {peak:.0f} MB, stopped after {seconds:.1f} s")
    finally:
        if not args.keep:
            for p in tmp.iterdir():
                p.unlink()
            tmp.rmdir()
    return 0


if __name__ == "__main__":
    sys.exit(main())
