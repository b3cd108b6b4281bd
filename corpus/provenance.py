"""Where each article came from: seeds/PROVENANCE.jsonl, one record per document, and `add-article`.

The record is the one place a document's source is written down (URL,
outlet, publication date as precise as known, licence note, the dataset
version that added it, how the source was established: given with the
article, or found by searching for its sentences, or the searches that found
nothing; the search that found it and the day it was taken, when known; and
the split that holds it); the card's provenance table is rendered from it.
New articles get the id ``NNN_<first 16 hex of the text's sha256>``: the
next free number, then a digest, so an id never changes and names its text.
(The five seeds' 16 hex digits predate this rule and are kept as they are.)
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path

from .dataset import DEFAULT_SPLIT, SPLITS
from .errors import FormatError, TroopclaimsError
from .io import jsonl_records, read_text
from .normalize import is_iso_date
from .paths import CHANGELOG_PATH, SEEDS_DIR
from .seeds import MANIFEST, read_manifest, render_manifest
from .version import VERSION

PROVENANCE = "PROVENANCE.jsonl"
KEYS = ("doc_id", "sha256", "url", "outlet", "published", "licence_note", "added_in", "source_note", "query", "taken",
        "split")
GIVEN = "Given with the article by whoever added it (`troopclaims add-article`)."
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")  # NUL and other C0 controls: binary, not a news text


class ArticleError(TroopclaimsError):
    """An article cannot be added as given; nothing was written."""


@dataclass(frozen=True)
class Provenance:
    doc_id: str
    sha256: str
    url: str | None
    outlet: str | None
    published: str | None  # ISO 8601 as precise as known; None when only the content dates it
    licence_note: str
    added_in: str  # the dataset version that first contains the document
    source_note: str  # how url/outlet/published were established, or the searches that found nothing
    query: str | None = None  # the search that found the article, when one did
    taken: str | None = None  # ISO date the text was taken from its source, when known
    split: str = DEFAULT_SPLIT  # the dataset split that holds the document (corpus.dataset.SPLITS)


def read_provenance(seeds_dir: Path = SEEDS_DIR, *, strict: bool = True) -> dict[str, Provenance]:
    """Records by doc id; every manifest entry must have exactly one, with the manifest's sha256.

    ``strict=False`` drops records the manifest does not list (left by an
    `add-article` killed before its last write, which a rerun completes).
    """
    path = seeds_dir / PROVENANCE
    if not path.exists():
        raise FormatError(f"{path}: provenance record is missing (one line per seed: {', '.join(KEYS)})")
    records: dict[str, Provenance] = {}
    for where, raw in jsonl_records(read_text(path, "the provenance record (JSONL)").splitlines(), str(path)):
        if not isinstance(raw, dict) or set(raw) != set(KEYS):
            raise FormatError(f"{where}: expected an object with exactly the keys {', '.join(KEYS)}")
        record = Provenance(**raw)
        if record.split not in SPLITS:
            raise FormatError(f"{where}: split {record.split!r} is not one of {', '.join(SPLITS)}")
        if record.doc_id in records:
            raise FormatError(f"{where}: a second record for {record.doc_id}")
        records[record.doc_id] = record
    manifest = read_manifest(seeds_dir)
    if not strict:
        records = {d: r for d, r in records.items() if d in manifest}
    for doc_id in sorted(manifest.keys() ^ records.keys()):
        side = f"not in {PROVENANCE}" if doc_id in manifest else f"not in {MANIFEST}"
        raise FormatError(f"{path}: document {doc_id} is {side}; every text needs one provenance record")
    for doc_id, record in records.items():
        if record.sha256 != manifest[doc_id]:
            raise FormatError(f"{path}: {doc_id}: sha256 differs from {MANIFEST}")
    return dict(sorted(records.items()))


def render_provenance(records: dict[str, Provenance]) -> str:
    return "".join(json.dumps(asdict(r), ensure_ascii=False) + "\n" for r in records.values())


def _text(data: bytes, name: str) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ArticleError(f"{name}: not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
                           "save the article as UTF-8 text") from None
    if not text.strip():
        raise ArticleError(f"{name}: the text is empty; an article needs its words")
    if m := _CONTROL.search(text):
        line = text.count("\n", 0, m.start()) + 1
        raise ArticleError(f"{name}:{line}: holds the control character U+{ord(m[0]):04X} (at character {m.start()}); "
                           "an article is plain text: letters, punctuation, spaces, tabs and line breaks")
    return text


def _check_fields(url: str, outlet: str, published: str, licence_note: str, added_in: str, taken: str | None) -> None:
    if not re.fullmatch(r"https?://[^\s/]+\S*", url or ""):
        raise ArticleError(f"--url {url!r}: expected the article's http:// or https:// address")
    if not (outlet or "").strip():
        raise ArticleError("--outlet is empty: name the publisher (e.g. 'Reuters')")
    if not is_iso_date(published or ""):
        raise ArticleError(f"--published {published!r} is not an ISO 8601 date; allowed: YYYY, YYYY-MM or "
                           "YYYY-MM-DD, as precise as known (2024, 2024-11, 2024-11-18)")
    if not (licence_note or "").strip():
        raise ArticleError("--licence-note is empty: say under what terms the text is used")
    if taken is not None and not (is_iso_date(taken) and len(taken) == 10):
        raise ArticleError(f"--taken {taken!r} is not a full ISO 8601 date; allowed: YYYY-MM-DD (the day the text "
                           "was taken)")
    if not VERSION.fullmatch(added_in or ""):
        raise ArticleError(f"--added-in {added_in!r}: expected a version MAJOR.MINOR.PATCH or MAJOR.MINOR.PATCH-rc.N")


def add_article(path: Path, *, url: str, outlet: str, published: str, licence_note: str,
                added_in: str | None = None, query: str | None = None, taken: str | None = None,
                source_note: str | None = None, split: str = DEFAULT_SPLIT, seeds_dir: Path = SEEDS_DIR,
                changelog: Path = CHANGELOG_PATH) -> Provenance:
    """Store the text of ``path`` byte for byte as a new document, with its sha256 and provenance.

    Every check runs before the first write. The text, then the provenance
    record, then the manifest are each replaced atomically; the manifest is
    written last, so a run killed midway leaves a text no manifest lists,
    which ``load_seeds`` names and a rerun of the same command completes.
    ``added_in`` defaults to the next minor version (the release of a round).
    """
    from .io import write_output
    from .io import read_bytes, open_input
    from .version import bumped, current_version

    name = str(path)
    with open_input(path, "a UTF-8 text file (the article)") as f:
        data, _ = read_bytes(f, name, 16 * 2**20, "an article (a news text, not a collection or a binary file)")
    _text(data, name)
    added_in = added_in or bumped(current_version(changelog), "minor")
    _check_fields(url, outlet, published, licence_note, added_in, taken)
    if split not in SPLITS:
        raise ArticleError(f"--split {split!r}: expected one of {', '.join(SPLITS)}")
    digest = hashlib.sha256(data).hexdigest()
    manifest = read_manifest(seeds_dir)
    records = read_provenance(seeds_dir, strict=False)
    for doc_id, known in manifest.items():
        if known == digest:
            raise ArticleError(f"{name}: the same text is already document {doc_id} (sha256 {digest[:16]}...)")
    numbers = [int(m[1]) for d in manifest if (m := re.match(r"(\d{3})_", d))]
    doc_id = f"{max(numbers, default=-1) + 1:03d}_{digest[:16]}"
    if any(d.endswith(digest[:16]) for d in manifest):
        raise ArticleError(f"{name}: id suffix {digest[:16]} is already taken; ids must stay unique")
    text_path = seeds_dir / f"{doc_id}.txt"
    if text_path.exists() and text_path.read_bytes() != data:
        raise ArticleError(f"{text_path}: exists with other content; remove it or list it in {MANIFEST}")
    note = f"{GIVEN} {source_note.strip()}" if (source_note or "").strip() else GIVEN
    record = Provenance(doc_id, digest, url, outlet.strip(), published, licence_note.strip(), added_in, note,
                        (query or "").strip() or None, taken, split)
    write_output(text_path, data)
    write_output(seeds_dir / PROVENANCE, render_provenance({**records, doc_id: record}))
    write_output(seeds_dir / MANIFEST, render_manifest({**manifest, doc_id: digest}))
    return record
