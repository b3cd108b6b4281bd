"""Replace a folder's outputs as one step, so a kill at any moment leaves one whole release.

A build writes the new release completely into a staging folder inside the
target (``.build-*``, same file system). One rename of that folder to
``.swap`` is the commit point:

- before it, the target holds the old release, untouched (a leftover
  ``.build-*`` is only an abandoned attempt);
- from it on, the new release is whole in ``.swap/new`` and the target
  together; ``roll_forward`` moves each item in (a folder's old copy goes
  aside into ``.swap/old`` first, as ``rename`` cannot replace a non-empty
  folder), then drops the journal.

Every step is idempotent, so ``recover`` (run by the next build, release or
any writer before it starts) finishes an interrupted swap, even one killed
while recovering. One writer at a time.
"""
from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

JOURNAL = ".swap"
STAGING_PREFIX = ".build-"
_DONE_PREFIX = ".swap-done-"


def new_staging(target: Path) -> Path:
    """A fresh staging folder inside ``target``; put the new items under ``<staging>/new``."""
    target.mkdir(parents=True, exist_ok=True)
    staging = target / f"{STAGING_PREFIX}{uuid.uuid4().hex[:12]}"
    (staging / "new").mkdir(parents=True)
    return staging


def commit(staging: Path, target: Path) -> None:
    """Make the items in ``staging/new`` the target's, all or none."""
    recover(target, keep=staging)
    os.replace(staging, target / JOURNAL)  # the commit point
    roll_forward(target)


def roll_forward(target: Path) -> None:
    journal = target / JOURNAL
    new, old = journal / "new", journal / "old"
    if new.is_dir():
        for item in sorted(new.iterdir()):
            dest = target / item.name
            if item.is_dir():
                if dest.exists():
                    old.mkdir(exist_ok=True)
                    os.replace(dest, old / item.name)
                os.replace(item, dest)
            else:
                os.replace(item, dest)
    done = target / f"{_DONE_PREFIX}{uuid.uuid4().hex[:12]}"
    os.replace(journal, done)
    shutil.rmtree(done)


def recover(target: Path, keep: Path | None = None) -> bool:
    """Finish an interrupted swap and drop abandoned staging; True if there was anything to do."""
    if not target.is_dir():
        return False
    acted = False
    if (target / JOURNAL).exists():
        roll_forward(target)
        acted = True
    for leftover in sorted(target.iterdir()):
        if leftover != keep and leftover.name != JOURNAL and is_swap_leftover(leftover.name):
            shutil.rmtree(leftover)
            acted = True
    return acted


def is_swap_leftover(name: str) -> bool:
    return name == JOURNAL or name.startswith((STAGING_PREFIX, _DONE_PREFIX))


def unfinished(target: Path) -> str | None:
    """A one-line description of an interrupted swap in ``target``, or None."""
    if (target / JOURNAL).exists():
        return f"{target / JOURNAL}: an interrupted build; run `troopclaims build` to finish it"
    return None
