"""`troopclaims add-article`: a text and its provenance in, or one clear line and nothing changed."""
import hashlib
import json
import shutil

import pytest

from corpus.paths import SEEDS_DIR
from corpus.provenance import read_provenance
from corpus.seeds import load_seeds
from corpus.version import bumped, current_version
from eval.cli import main

N = len(load_seeds())  # documents before the test adds one: rounds add articles, tests must not assume five
TEXT = "The river authority said 40 boats left the harbour on 2 June 2031.\n"
GOOD = ["--url", "https://news.example.org/river", "--outlet", "Example River Times", "--published", "2031-06",
        "--licence-note", "Written for the tests"]


@pytest.fixture
def seeds(tmp_path):
    shutil.copytree(SEEDS_DIR, tmp_path / "seeds")
    return tmp_path / "seeds"


def _snapshot(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_an_article_is_stored_verbatim_with_its_provenance(seeds, tmp_path, capsys):
    path = tmp_path / "river.txt"
    path.write_bytes(TEXT.encode("utf-8"))
    assert main(["add-article", str(path), *GOOD, "--seeds-dir", str(seeds)]) == 0
    digest = hashlib.sha256(TEXT.encode()).hexdigest()
    doc_id = f"{N:03d}_{digest[:16]}"
    assert load_seeds(seeds)[doc_id] == TEXT  # checked against SHA256SUMS
    record = read_provenance(seeds)[doc_id]
    assert (record.url, record.outlet, record.published, record.added_in) == (
        "https://news.example.org/river", "Example River Times", "2031-06", bumped(current_version(), "minor"))
    assert "add-article" in record.source_note
    assert (record.query, record.taken, record.split) == (None, None, "test")  # new articles are held out
    assert f"added {doc_id}" in capsys.readouterr().out
    assert set(load_seeds(seeds)) - {doc_id} == set(load_seeds())  # the seeds keep their ids


def test_the_search_the_day_and_the_split_are_recorded(seeds, tmp_path):
    path = tmp_path / "river.txt"
    path.write_bytes(TEXT.encode("utf-8"))
    assert main(["add-article", str(path), *GOOD, "--query", "river boats harbour 2031", "--taken", "2031-06-03",
                 "--split", "validation", "--source-note", "Excerpt of the page as stored.",
                 "--seeds-dir", str(seeds)]) == 0
    record = next(r for r in read_provenance(seeds).values() if r.url == "https://news.example.org/river")
    assert (record.query, record.taken, record.split) == ("river boats harbour 2031", "2031-06-03", "validation")
    assert record.source_note.endswith("Excerpt of the page as stored.")


@pytest.mark.parametrize("content, args, message", [
    (TEXT.encode(), [*GOOD, "--taken", "2031-06"], r"--taken '2031-06' is not a full ISO 8601 date; allowed: YYYY-MM-DD"),
    (b"  \n\t\n", GOOD, r"river\.txt: the text is empty"),
    (b"caf\xe9 owners said 3 boats sank\n", GOOD, r"river\.txt: not UTF-8 \(byte 0xe9 at offset 3\)"),
    (TEXT.encode(), [*GOOD[:5], "June 2031", *GOOD[6:]], r"--published 'June 2031' is not an ISO 8601 date; "
                                                         r"allowed: YYYY, YYYY-MM or YYYY-MM-DD"),
    (TEXT.encode(), [*GOOD[:5], "2031-02-30", *GOOD[6:]], r"--published '2031-02-30' is not an ISO 8601 date"),
    (TEXT.encode(), ["--url", "news.example.org", *GOOD[2:]], r"--url 'news\.example\.org': expected"),
    (TEXT.encode(), [*GOOD[:5], "\u0662\u0660\u0663\u0661", *GOOD[6:]],  # Arabic-Indic digits: not ISO 8601
     r"--published '\u0662\u0660\u0663\u0661' is not an ISO 8601 date"),
    (TEXT.encode(), [*GOOD, "--added-in", "\u0661.\u0662.\u0660"], r"--added-in '\u0661\.\u0662\.\u0660': expected a version "
                                                                r"MAJOR\.MINOR\.PATCH"),
    (b"The mayor said\x00 12 boats left.\n", GOOD, r"river\.txt:1: holds the control character U\+0000 \(at character "
                                                   r"14\); an article is plain text"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\n", GOOD, r"river\.txt: not UTF-8 \(byte 0x89 at offset 0\)"),
    (b"Boats\r\nleft\x1b[0m today\n", GOOD, r"river\.txt:2: holds the control character U\+001B"),
    (b"a" * (16 * 2**20 + 1), GOOD, r"river\.txt: larger than 16 MiB, the limit for an article \(a news text"),
])
def test_bad_input_is_one_line_and_changes_nothing(seeds, tmp_path, capsys, content, args, message):
    import re

    path = tmp_path / "river.txt"
    path.write_bytes(content)
    before = _snapshot(seeds)
    assert main(["add-article", str(path), *args, "--seeds-dir", str(seeds)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("troopclaims add-article: error: ") and re.search(message, err)
    assert _snapshot(seeds) == before


def test_the_same_text_twice_is_refused(seeds, tmp_path, capsys):
    seed = next(seeds.glob("000_*.txt"))
    before = _snapshot(seeds)
    assert main(["add-article", str(seed), *GOOD, "--seeds-dir", str(seeds)]) == 1
    assert f"the same text is already document {seed.stem}" in capsys.readouterr().err
    assert _snapshot(seeds) == before
    path = tmp_path / "river.txt"
    path.write_text(TEXT, encoding="utf-8")
    assert main(["add-article", str(path), *GOOD, "--seeds-dir", str(seeds)]) == 0
    after = _snapshot(seeds)
    assert main(["add-article", str(path), *GOOD, "--seeds-dir", str(seeds)]) == 1
    assert f"the same text is already document {N:03d}_" in capsys.readouterr().err
    assert _snapshot(seeds) == after


def test_a_run_killed_before_the_manifest_is_completed_by_a_rerun(seeds, tmp_path):
    """The manifest is written last: a leftover text and provenance record are finished, not duplicated."""
    path = tmp_path / "river.txt"
    path.write_text(TEXT, encoding="utf-8")
    manifest = (seeds / "SHA256SUMS").read_bytes()
    assert main(["add-article", str(path), *GOOD, "--seeds-dir", str(seeds)]) == 0
    (seeds / "SHA256SUMS").write_bytes(manifest)  # as if killed before the last rename
    assert main(["add-article", str(path), *GOOD, "--seeds-dir", str(seeds)]) == 0
    lines = (seeds / "PROVENANCE.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == N + 1 and json.loads(lines[-1])["doc_id"].startswith(f"{N:03d}_")
    assert len(load_seeds(seeds)) == N + 1


def test_the_card_lists_every_document_s_provenance():
    from corpus.paths import CORPUS_DIR

    card = (CORPUS_DIR / "README.md").read_text(encoding="utf-8")
    from corpus.paths import GOLD_DIR

    records = {d: r for d, r in read_provenance().items() if (GOLD_DIR / f"{d}.jsonl").exists()}  # the released ones
    rows = {line.split(" | ")[0]: line for line in card.splitlines() if line.startswith("| `")}
    for doc_id, record in records.items():
        source = f"<{record.url}>" if record.url else "not found"
        assert f" | {record.outlet or 'not found'} | {source} |" in rows[f"| `{doc_id}`"]
        assert f" | {record.added_in} |" in rows[f"| `{doc_id}`"]
        assert f"- `{doc_id}`: {record.source_note}" in card
    assert any(r.url is None and r.source_note.startswith("Not found. Queries tried") for r in records.values())
    assert all(r.source_note for r in records.values()), "every document says how its source was, or was not, found"
