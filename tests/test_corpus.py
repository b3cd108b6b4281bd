"""The foundation: seeds, tokens, the deterministic and atomic dataset build, versioning."""
import json

import pytest

from corpus.build import StaleBuildError, build, check
from corpus.errors import GoldError, SeedError
from corpus.gold import dumps, read_gold
from corpus.labels import TAGS
from corpus.seeds import load_seeds
from corpus.tokenize import sentences
from corpus.types import Document, Span
from corpus.version import read_changelog


def test_label_list_is_the_classlabel_order():
    assert TAGS == ("O", "B-QUANTITY", "I-QUANTITY", "B-ATTRIBUTION", "I-ATTRIBUTION", "B-DATE", "I-DATE")


def test_the_five_seeds_are_the_validation_split(texts):
    from corpus.provenance import read_provenance

    validation = sorted(d for d, p in read_provenance().items() if p.split == "validation")
    assert validation == ["000_88c46dc548cd37de", "001_cf8ed6a483aff6fd", "002_4574b1776fbb67a3",
                          "003_206cb29126b89878", "004_cfacce3046a14ca6"]
    assert sorted(texts) == validation


def test_changed_seed_is_refused_naming_the_file(sources):
    seeds, _, _ = sources
    path = seeds / "001_cf8ed6a483aff6fd.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("30,000", "31,000"), encoding="utf-8")
    with pytest.raises(SeedError, match="001_cf8ed6a483aff6fd.txt: seed text changed"):
        load_seeds(seeds)


def test_missing_and_unlisted_seeds_are_refused(sources):
    seeds, _, _ = sources
    (seeds / "999_extra.txt").write_text("x", encoding="utf-8")
    with pytest.raises(SeedError, match="999_extra.txt: seed is not listed"):
        load_seeds(seeds)
    (seeds / "999_extra.txt").unlink()
    (seeds / "000_88c46dc548cd37de.txt").unlink()
    with pytest.raises(SeedError, match="000_88c46dc548cd37de.txt: seed listed in SHA256SUMS is missing"):
        load_seeds(seeds)


def test_tokens_keep_offsets_and_drop_whitespace(texts):
    for text in texts.values():
        sents = sentences(text)
        for sent in sents:
            assert sent.tokens and sent.start == sent.tokens[0][0] and sent.end == sent.tokens[-1][1]
            for s, e in sent.tokens:
                assert text[s:e].strip() == text[s:e] != ""
            assert "\n" not in text[sent.start:sent.end], "a sentence never crosses a line break"
        starts = [s for sent in sents for s, _ in sent.tokens]
        assert starts == sorted(starts)


def test_headlines_without_punctuation_are_their_own_sentences(texts):
    text = texts["004_cfacce3046a14ca6"]
    first = sentences(text)[0]
    assert text[first.start:first.end] == "North Korea could send up to 100,000 troops to support Russia in Ukraine"


def _write_gold(gold_dir, doc_id, text, spans):
    (gold_dir / f"{doc_id}.jsonl").write_text(
        dumps(Document(doc_id, text, tuple(sorted(spans)))), encoding="utf-8")


def _span(text, needle, label, id="T1", occurrence=0):
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(needle, start + 1)
    return Span(start, start + len(needle), label, needle, id)


DOC = "000_88c46dc548cd37de"


@pytest.mark.parametrize("make_spans, message", [
    (lambda t: [Span(_span(t, "CNN", "ATTRIBUTION").start, _span(t, "CNN", "ATTRIBUTION").end - 1,
                     "ATTRIBUTION", "CN", "T1")], r"span T1 \[\d+, \d+\) 'CN': does not lie on token boundaries"),
    (lambda t: [_span(t, "25-30 thousand", "QUANTITY", "T1"), _span(t, "30 thousand", "QUANTITY", "T2")],
     r"span T2 \[\d+, \d+\) '30 thousand': overlaps span T1"),
    (lambda t: [_span(t, "CNN", "SOURCE")], r"span T1 .*'CNN': unknown label 'SOURCE'"),
    (lambda t: [Span(_span(t, "CNN", "ATTRIBUTION").start, _span(t, "CNN", "ATTRIBUTION").end,
                     "ATTRIBUTION", "BBC", "T1")], r"span T1 .*'BBC': text 'BBC' differs from the document text 'CNN'"),
    (lambda t: [_span(t, "the coming months", "DATE")],
     r"span T1 .*'the coming months': starts with determiner or preposition 'the'"),
    (lambda t: [_span(t, "during this operation", "DATE")],
     r"span T1 .*'during this operation': starts with determiner or preposition 'during'"),
    (lambda t: [_span(t, "CNN,", "ATTRIBUTION")], r"span T1 .*'CNN,': ends with punctuation ','"),
])
def test_bad_gold_fails_the_build_naming_doc_span_and_problem(sources, texts, make_spans, message):
    seeds, gold, corpus = sources
    for p in gold.glob("*.jsonl"):
        p.unlink()
    _write_gold(gold, DOC, texts[DOC], make_spans(texts[DOC]))
    with pytest.raises(GoldError, match=f"{DOC} {message}"):
        build(corpus, seeds_dir=seeds, gold_dir=gold, bump="minor", message="x")
    assert list(corpus.iterdir()) == [], "a failed build writes nothing"


def test_failed_build_leaves_previous_corpus_untouched(sources, texts):
    seeds, gold, corpus = sources
    build(corpus, seeds_dir=seeds, gold_dir=gold, bump="minor", message="first", today="2026-01-01")
    before = {p: p.read_bytes() for p in corpus.rglob("*") if p.is_file()}
    _write_gold(gold, DOC, texts[DOC], [_span(texts[DOC], "CNN", "SOURCE")])
    with pytest.raises(GoldError):
        build(corpus, seeds_dir=seeds, gold_dir=gold, bump="minor", message="broken")
    assert {p: p.read_bytes() for p in corpus.rglob("*") if p.is_file()} == before


def test_rebuild_is_byte_identical(sources, tmp_path):
    seeds, gold, corpus = sources
    build(corpus, seeds_dir=seeds, gold_dir=gold, bump="major", message="first", today="2026-01-01")
    first = {p.relative_to(corpus): p.read_bytes() for p in corpus.rglob("*") if p.is_file()}
    build(corpus, seeds_dir=seeds, gold_dir=gold)  # unchanged data: no bump needed
    again = {p.relative_to(corpus): p.read_bytes() for p in corpus.rglob("*") if p.is_file()}
    assert first == again


def test_changed_data_needs_a_version_bump_and_changelog_entry(sources, texts):
    seeds, gold, corpus = sources
    first = build(corpus, seeds_dir=seeds, gold_dir=gold, bump="major", message="first", today="2026-01-01")
    _write_gold(gold, DOC, texts[DOC], [_span(texts[DOC], "CNN", "ATTRIBUTION")])
    with pytest.raises(StaleBuildError, match="dataset content changed: fingerprint sha256:[0-9a-f]{64} differs"):
        build(corpus, seeds_dir=seeds, gold_dir=gold)
    with pytest.raises(StaleBuildError, match="changed"):
        check(corpus, seeds_dir=seeds, gold_dir=gold)
    second = build(corpus, seeds_dir=seeds, gold_dir=gold, bump="minor", message="Added CNN.", today="2026-02-01")
    entries = read_changelog(corpus / "CHANGELOG.md")
    assert [(e.version, e.fingerprint) for e in entries][:2] == [
        (second.version, second.fingerprint), (first.version, first.fingerprint)]
    assert entries[0].notes == "Added CNN." and second.fingerprint != first.fingerprint
    assert f"**Version:** {second.version}" in (corpus / "README.md").read_text(encoding="utf-8")


def test_check_detects_a_stale_corpus(sources):
    seeds, gold, corpus = sources
    build(corpus, seeds_dir=seeds, gold_dir=gold, bump="major", message="first", today="2026-01-01")
    check(corpus, seeds_dir=seeds, gold_dir=gold)
    card = corpus / "README.md"
    card.write_text(card.read_text(encoding="utf-8") + "edited by hand\n", encoding="utf-8")
    with pytest.raises(StaleBuildError, match="corpus/ is stale.*README.md differs"):
        check(corpus, seeds_dir=seeds, gold_dir=gold)


def test_committed_corpus_is_what_the_sources_build():
    """CI's stale-build and version-bump check on the real repository."""
    check()


def test_gold_files_round_trip_through_the_text_format(texts):
    from corpus.gold import loads

    for doc in read_gold(load_seeds()).values():  # every document with gold, both splits
        assert loads(dumps(doc), doc.text) == doc


def test_malformed_gold_line_names_file_and_line(sources, texts):
    seeds, gold, corpus = sources
    path = gold / f"{DOC}.jsonl"
    path.write_text(json.dumps({"kind": "document", "doc_id": DOC, "published": None, "published_note": ""})
                    + "\n{not json\n", encoding="utf-8")
    with pytest.raises(Exception, match=rf"{DOC}.jsonl:2: not valid JSON"):
        build(corpus, seeds_dir=seeds, gold_dir=gold, bump="minor", message="x")


def test_claim_values_must_agree_with_the_span_text(sources, texts):
    from corpus.types import Claim

    seeds, gold, corpus = sources
    for p in gold.glob("*.jsonl"):
        p.unlink()
    text = texts[DOC]
    q = _span(text, "25-30 thousand", "QUANTITY", "T1")
    d = _span(text, "May 18", "DATE", "T2")
    doc = Document(DOC, text, (q, d), (Claim("C1", "T1", None, "T2", 25000, 35000, False, "2025-05-19", "other"),),
                   "2025-06", "test")
    (gold / f"{DOC}.jsonl").write_text(dumps(doc), encoding="utf-8")
    with pytest.raises(GoldError) as err:
        build(corpus, seeds_dir=seeds, gold_dir=gold, bump="minor", message="x")
    text_of = str(err.value)
    assert f"{DOC} claim C1: values low=25000, high=35000, approximate=False disagree with '25-30 thousand'" in text_of
    assert f"{DOC} claim C1: date_value '2025-05-19' disagrees with 'May 18' (read as '2025-05-18'" in text_of


def test_claim_references_must_resolve(sources, texts):
    from corpus.types import Claim

    seeds, gold, corpus = sources
    for p in gold.glob("*.jsonl"):
        p.unlink()
    text = texts[DOC]
    q = _span(text, "CNN", "ATTRIBUTION", "T1")
    doc = Document(DOC, text, (q,), (Claim("C1", "T1", "T9", target="other"),), None, "")
    (gold / f"{DOC}.jsonl").write_text(dumps(doc), encoding="utf-8")
    with pytest.raises(GoldError, match=rf"{DOC} claim C1: quantity T1 is a ATTRIBUTION span, expected QUANTITY"):
        build(corpus, seeds_dir=seeds, gold_dir=gold, bump="minor", message="x")


def test_fingerprint_ignores_how_the_parquet_files_were_written(tmp_path):
    """Same rows, other writer (created_by, compression, pages, row groups): same fingerprint."""
    import hashlib
    import shutil

    import pyarrow.parquet as pq

    from corpus.fingerprint import fingerprint
    from corpus.paths import DATA_DIR

    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    before = fingerprint(data)
    assert before == read_changelog()[0].fingerprint
    for path in sorted(data.rglob("*.parquet")):
        raw = path.read_bytes()
        table = pq.read_table(path)
        pq.write_table(table, path, compression="snappy", row_group_size=3, data_page_version="2.0",
                       use_dictionary=False, write_statistics=False)
        writer = pq.ParquetFile(path).metadata.created_by  # e.g. "parquet-cpp-arrow version 26.0.1"
        other = writer[:-6] + ("19.0.1" if not writer.endswith("19.0.1") else "21.0.0")
        path.write_bytes(path.read_bytes().replace(writer.encode(), other.encode()))  # same length: valid file
        assert pq.ParquetFile(path).metadata.created_by == other
        assert hashlib.sha256(path.read_bytes()).digest() != hashlib.sha256(raw).digest()
    assert fingerprint(data) == before

    path = data / "documents" / "test-00000-of-00001.parquet"
    table = pq.read_table(path)
    pq.write_table(table.set_column(1, "text", [[t.replace("troops", "troop") for t in table["text"].to_pylist()]]),
                   path)
    assert fingerprint(data) != before, "a changed row changes it"


def test_the_contract_is_in_the_repository_and_names_the_tags_in_order():
    from corpus.paths import ROOT

    contract = (ROOT / "annotation" / "LABELS.md").read_text(encoding="utf-8")
    assert f"`{', '.join(TAGS)}`" in contract


def test_no_tracked_file_refers_outside_the_repository():
    import subprocess

    from corpus.paths import ROOT

    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    outside = []
    for name in files:
        path = ROOT / name
        if path.suffix in (".py", ".md", ".toml", ".txt", ".cfg", ".xml", ".yaml", ".json") or name == "Makefile":
            text = path.read_text(encoding="utf-8", errors="replace")
            outside += [name for needle in ("../" + "shared", "/" + "work/") if needle in text]
    assert outside == []


def test_one_bad_span_gets_one_message_from_every_reader(texts):
    """Gold validation, predictions and Label Studio regions share corpus.types.span_problems."""
    from annotation.label_studio.convert import document_result
    from corpus.errors import FormatError, PredictionError
    from corpus.validate import gold_span_problems
    from eval.predictions import parse_spans

    doc_id = sorted(texts)[0]
    text = texts[doc_id]
    start = text.index("CNN")
    expected = f"text 'BBC' differs from the document text 'CNN' at [{start}, {start + 3})"
    bad = Span(start, start + 3, "ATTRIBUTION", "BBC", "T1")
    assert [p.split(": ", 1)[1] for p in gold_span_problems(Document(doc_id, text, (bad,)))] == [expected]
    with pytest.raises(PredictionError) as got:
        parse_spans([{"start": start, "end": start + 3, "label": "ATTRIBUTION", "text": "BBC"}], text, "p")
    assert str(got.value) == f"p: span 0: {expected}"
    with pytest.raises(FormatError) as got:
        document_result(Document(doc_id, text, (bad,)))
    assert str(got.value).endswith(f": {expected}")


def test_a_yearless_past_date_may_take_the_year_its_tense_implies():
    """"On 11 January, ... reported" in an article of 2025-12-24: the normalizer's two-month rule reads
    2026-01-11; the past tense says 2025-01-11, which the validator accepts (one year off, no year written),
    while any other year, or a changed year for a date that writes its own, is refused."""
    from corpus.types import Claim, Document, Span
    from corpus.validate import document_problems

    for written, value, ok in (("11 January", "2025-01-11", True), ("11 January", "2026-01-11", True),
                               ("11 January", "2024-01-11", False), ("11 January", "2025-01-12", False),
                               ("11 January 2026", "2025-01-11", False)):
        text = f"On {written}, officials said 40 soldiers were captured.\n"
        q, d = text.index("40"), text.index(written)
        spans = (Span(d, d + len(written), "DATE", written, "T1"), Span(q, q + 2, "QUANTITY", "40", "T2"))
        doc = Document("x", text, spans, (Claim("C1", "T2", None, "T1", 40, 40, False, value, "captured"),),
                       "2025-12-24")
        problems = [p for p in document_problems(doc) if "date_value" in p]
        assert (problems == []) == ok, (written, value, problems)
