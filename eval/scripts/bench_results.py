"""Time and memory of `troopclaims leaderboard --results DIR`, re-scoring included, on the current corpus.

Makes N stored records (the offline baselines scored once, copied under N names: a re-score does the full
work for each), then ranks them in a fresh process and reports its wall time, its peak memory (the largest
sum of the resident memory of the process and its worker processes, read from /proc every 20 ms) and the
size of the folder it writes. The issue's budgets: 100 records at most 10 s; 2,000 records under 1 GB.

    .venv/bin/python eval/scripts/bench_results.py            # 100 and 2000 records
    .venv/bin/python eval/scripts/bench_results.py 100        # only 100
"""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def make_records(folder: Path, n: int) -> None:
    from eval.score import evaluate
    from eval.sources import from_registry
    from models.registry import offline_names

    records = [evaluate(from_registry(name)) for name in offline_names()]
    folder.mkdir()
    for i in range(n):
        record = dict(records[i % len(records)])
        record["extractor"] = {**record["extractor"], "name": f"system-{i:04d}"}
        (folder / f"r{i:04d}.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")


def size_of(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def tree_rss(pid: int) -> int:
    """Resident bytes of ``pid`` and its descendants now (Linux /proc); 0 once it has ended."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            status = Path(f"/proc/{p}/status").read_text()
            total += int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:"))) * 1024
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, StopIteration, ValueError):
            continue
    return total


def bench(n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        results, out = Path(tmp) / "results", Path(tmp) / "board"
        make_records(results, n)
        began = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "eval.cli", "leaderboard", "--results", str(results),
                                 "--only-given", "--out", str(out), "--no-progress"], cwd=ROOT,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        peak = 0
        while proc.poll() is None:
            peak = max(peak, tree_rss(proc.pid))
            time.sleep(0.02)
        took = time.perf_counter() - began
        if proc.returncode:
            sys.exit(f"leaderboard failed ({proc.returncode}): {proc.stderr.read().strip()}")
        print(f"{n:>5} records: {took:6.1f} s wall, peak memory {peak / 2**20:6.0f} MiB (process and workers), "
              f"records in {size_of(results) / 2**20:6.1f} MiB, leaderboard folder {size_of(out) / 2**20:6.1f} MiB")


if __name__ == "__main__":
    for n in [int(a) for a in sys.argv[1:]] or [100, 2000]:
        bench(n)
