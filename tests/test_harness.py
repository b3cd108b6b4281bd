"""The evaluation harness: oracles, projection, and a clear error for every kind of bad input."""
import json
import sys
import textwrap

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus.iob import spans_to_tags, tags_to_spans
from corpus.labels import LABELS, TAGS
from corpus.paths import SEEDS_DIR
from corpus.types import Document, Span
from eval import sources
from eval.goldset import load_goldset
from eval.metrics import seqeval_scores
from eval.predictions import PredictionError
from eval.result import load_result
from eval.score import evaluate
from eval.sources import ExtractorError

from harness_fixtures import A, B, build_mini_corpus, find


@pytest.fixture(scope="module")
def gold(tmp_path_factory):
    from corpus.seeds import load_seeds

    corpus = build_mini_corpus(tmp_path_factory.mktemp("mini"), load_seeds(), SEEDS_DIR)
    return load_goldset(corpus, split="validation")


class Fixed:
    """An extractor returning given spans per document."""

    name = "fixed.v1"

    def __init__(self, spans_by_doc):
        self.spans_by_doc = spans_by_doc

    def predict(self, docs):
        return [Document(d.id, d.text, tuple(self.spans_by_doc.get(d.id, ()))) for d in docs]


def _jsonl(tmp_path, records, name="p.jsonl"):
    path = tmp_path / name
    path.write_text("".join(json.dumps(r) + "\n" if not isinstance(r, str) else r + "\n" for r in records),
                    encoding="utf-8")
    return str(path)


def _all_empty(gold, **override):
    return [override.get(d, {"doc_id": d, "spans": []}) for d in sorted(gold.documents)]


# --- oracles -----------------------------------------------------------------

def test_gold_scored_as_predictions_is_perfect(gold):
    record = evaluate(sources.from_extractor(Fixed({d: doc.spans for d, doc in gold.documents.items()})), gold)
    scores = record["scores"]
    for mode in ("seqeval_strict", "seqeval_default"):
        assert scores[mode]["micro"]["f1"] == 1.0
        assert all(scores[mode]["labels"][label]["f1"] == 1.0 for label in LABELS)
    assert all(c["f1"] == 1.0 for c in scores["spans"]["overall"].values())
    assert record["alignment"]["snapped"] == 0
    assert record["dataset"]["version"] == gold.version and record["dataset"]["fingerprint"] == gold.fingerprint


def test_the_real_gold_scored_as_predictions_is_perfect():
    real = load_goldset()
    if not any(d.spans for d in real.documents.values()):
        pytest.fail("the built dataset has no gold spans")
    record = evaluate(sources.from_extractor(Fixed({d: doc.spans for d, doc in real.documents.items()})), real)
    assert record["scores"]["seqeval_strict"]["micro"]["f1"] == 1.0
    assert record["scores"]["seqeval_strict"]["micro"]["support"] == sum(len(d.spans) for d in real.documents.values())


def test_whole_harness_equals_seqeval_on_the_projected_tags(gold):
    """Snapped, cut, missed, spurious and relabelled predictions: harness numbers == seqeval's report."""
    from corpus.iob import ranges_to_tags
    from eval.project import Alignment, project

    text_a, text_b = gold.documents[A].text, gold.documents[B].text
    s1, e1 = find(text_a, "25-30 thousand")
    s2, e2 = find(text_a, "11,000")
    s3, e3 = find(text_b, "up to 100,000")
    s4, e4 = find(text_b, "Bloomberg reported the information.\nAccording")
    preds = {A: [Span(s1 + 4, e1, "QUANTITY"), Span(s2, e2 - 2, "DATE")],
             B: [Span(s3, e3, "QUANTITY"), Span(s4, e4, "ATTRIBUTION")]}
    record = evaluate(sources.from_extractor(Fixed(preds)), gold)
    assert record["alignment"]["snapped"] == 2 and record["alignment"]["split"] == 1
    y_true, y_pred = [], []
    for doc_id in sorted(gold.documents):
        sents = gold.sentences[doc_id]
        ranges = project(doc_id, sorted(preds.get(doc_id, [])), sents, Alignment())
        y_true += [list(s.tags) for s in sents]
        y_pred += [ranges_to_tags(r, len(s.tokens)) for r, s in zip(ranges, sents)]
    for mode, strict in (("seqeval_strict", True), ("seqeval_default", False)):
        theirs = _seqeval_report(y_true, y_pred, strict)
        ours = record["scores"][mode]
        assert ours["micro"]["f1"] == pytest.approx(theirs["micro avg"]["f1-score"])
        for label in LABELS:
            assert ours["labels"][label]["f1"] == pytest.approx(theirs[label]["f1-score"])
            assert ours["labels"][label]["support"] == theirs[label]["support"]


def _seqeval_report(y_true, y_pred, strict):
    from seqeval.metrics import classification_report
    from seqeval.scheme import IOB2

    kw = {"mode": "strict", "scheme": IOB2} if strict else {}
    return classification_report(y_true, y_pred, output_dict=True, zero_division=0, **kw)


def _assert_equal_to_seqeval(y_true, y_pred):
    for strict in (True, False):
        ours = seqeval_scores(y_true, y_pred, LABELS, "strict" if strict else "default")
        theirs = _seqeval_report(y_true, y_pred, strict)
        for label in LABELS:
            if label in theirs:
                got = ours.labels[label]
                assert (got.precision, got.recall, got.f1, got.support) == pytest.approx(
                    (theirs[label]["precision"], theirs[label]["recall"], theirs[label]["f1-score"],
                     theirs[label]["support"]))
            else:
                assert ours.labels[label].tp + ours.labels[label].fp + ours.labels[label].fn == 0
        if any(label in theirs for label in LABELS):
            assert ours.micro.f1 == pytest.approx(theirs["micro avg"]["f1-score"])
            assert ours.macro["f1"] == pytest.approx(theirs["macro avg"]["f1-score"])


def test_hand_built_cases_equal_a_direct_seqeval_call():
    y_true = [["B-QUANTITY", "I-QUANTITY", "O", "B-ATTRIBUTION"], ["O", "B-DATE", "I-DATE", "O"]]
    y_pred = [["B-QUANTITY", "O", "O", "B-ATTRIBUTION"], ["O", "I-DATE", "I-DATE", "B-QUANTITY"]]
    _assert_equal_to_seqeval(y_true, y_pred)
    strict = seqeval_scores(y_true, y_pred, LABELS)
    assert (strict.micro.tp, strict.micro.fp, strict.micro.fn) == (1, 2, 2)  # I-DATE start is no entity in strict
    default = seqeval_scores(y_true, y_pred, LABELS, "default")
    assert (default.micro.tp, default.micro.fp, default.micro.fn) == (2, 2, 1)  # but is in conlleval mode


tags = st.sampled_from(TAGS)


@pytest.mark.filterwarnings("ignore:Mean of empty slice", "ignore:invalid value encountered")  # inside seqeval's report
@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(1, 8), min_size=1, max_size=5).flatmap(
    lambda lens: st.tuples(*[st.tuples(st.lists(tags, min_size=n, max_size=n), st.lists(tags, min_size=n, max_size=n))
                             for n in lens])))
def test_metrics_equal_seqeval_on_any_tag_sequences(pairs):
    _assert_equal_to_seqeval([list(t) for t, _ in pairs], [list(p) for _, p in pairs])


@st.composite
def aligned_spans(draw):
    n = draw(st.integers(1, 30))
    tokens = [(2 * i, 2 * i + 1) for i in range(n)]  # one-character tokens, one space apart
    spans, i = [], 0
    while i < n:
        if draw(st.booleans()):
            j = draw(st.integers(i + 1, min(n, i + 4)))
            spans.append((tokens[i][0], tokens[j - 1][1], draw(st.sampled_from(LABELS))))
            i = j
        else:
            i += 1
    return tokens, spans


@settings(max_examples=300, deadline=None)
@given(aligned_spans())
def test_spans_to_iob2_to_spans_is_lossless(case):
    tokens, spans = case
    assert tags_to_spans(spans_to_tags(spans, tokens), tokens) == spans


# --- projection --------------------------------------------------------------

def test_boundary_inside_a_token_is_widened_and_counted(gold):
    text = gold.documents[A].text
    s, e = find(text, "11,000")
    record = evaluate(sources.from_extractor(Fixed({A: [Span(s + 1, e, "QUANTITY")]})), gold)
    assert record["alignment"]["snapped"] == 1
    assert "widened to" in record["alignment"]["examples"][0]
    assert record["scores"]["seqeval_strict"]["labels"]["QUANTITY"]["tp"] == 1
    assert record["scores"]["spans"]["overall"]["strict"]["incorrect"] == 1  # the char-level boundary error shows


def test_boundary_error_shows_apart_from_a_miss(gold):
    text = gold.documents[A].text
    s, e = find(text, "25-30 thousand")
    record = evaluate(sources.from_extractor(Fixed({A: [Span(s, s + 5, "QUANTITY")]})), gold)
    spans = record["scores"]["spans"]["overall"]
    assert spans["strict"]["incorrect"] == 1 and spans["partial"]["partial"] == 1 and spans["ent_type"]["correct"] == 1
    assert spans["strict"]["missed"] == sum(len(d.spans) for d in gold.documents.values()) - 1


def test_two_predictions_inside_one_token_keep_the_first_and_count_the_other(gold):
    """"11" and "000" inside the token "11,000": IOB2 holds one entity there; the second is dropped, counted
    and named in the record, never silently merged and never a crash on real text ("16:08", "15:5516/12/2024")."""
    text = gold.documents[A].text
    s, e = find(text, "11,000")
    both = evaluate(sources.from_extractor(Fixed({A: [Span(s, s + 2, "QUANTITY"), Span(s + 3, e, "QUANTITY")]})), gold)
    first = evaluate(sources.from_extractor(Fixed({A: [Span(s, s + 2, "QUANTITY")]})), gold)
    assert both["scores"]["seqeval_strict"] == first["scores"]["seqeval_strict"]
    assert (both["alignment"]["dropped"], first["alignment"]["dropped"]) == (1, 0)
    assert any("shares a token with the span before it" in x for x in both["alignment"]["examples"])


# --- bad input ---------------------------------------------------------------

@pytest.mark.parametrize("mutate, message", [
    (lambda g, p: p.__setitem__(0, "{not json"), r"p.jsonl:1: not valid JSON"),
    (lambda g, p: p.__setitem__(1, {"doc_id": "999_nope", "spans": []}), r"p.jsonl:2: unknown doc_id '999_nope'"),
    (lambda g, p: p.append(p[0]), r"p.jsonl:3: duplicate doc_id"),
    (lambda g, p: p.pop(), r"p.jsonl: no predictions for document\(s\) 004_cfacce3046a14ca6"),
    (lambda g, p: p.__setitem__(0, {"doc_id": A, "spans": [{"start": 0, "end": 10 ** 6, "label": "DATE"}]}),
     r"p.jsonl:1: document 000_\w+: span 0: offsets \[0, 1000000\) out of range"),
    (lambda g, p: p.__setitem__(0, {"doc_id": A, "spans": [{"start": "3", "end": 10, "label": "DATE"}]}),
     r"p.jsonl:1: .*span 0: start and end must be integers, got start='3'"),
    (lambda g, p: p.__setitem__(0, {"doc_id": A, "spans": [{"start": 1.0, "end": 10, "label": "DATE"}]}),
     r"p.jsonl:1: .*start and end must be integers"),
    (lambda g, p: p.__setitem__(0, {"doc_id": A, "spans": [{"start": 10, "end": 10, "label": "DATE"}]}),
     r"p.jsonl:1: .*span 0: end <= start \(\[10, 10\)\)"),
    (lambda g, p: p.__setitem__(0, {"doc_id": A, "spans": [{"start": 0, "end": 5, "label": "DATE"},
                                                           {"start": 3, "end": 9, "label": "QUANTITY"}]}),
     r"p.jsonl:1: .*predicted spans overlap: \[0, 5\)"),
    (lambda g, p: p.__setitem__(0, {"doc_id": A, "spans": [{"start": 0, "end": 5, "label": "PERSON"}]}),
     r"p.jsonl:1: .*unknown label 'PERSON'; allowed: QUANTITY, ATTRIBUTION, DATE"),
    (lambda g, p: p.__setitem__(0, {"doc_id": A, "spans": [{"start": 0, "end": 5, "label": "DATE", "text": "South"}]}),
     r"p.jsonl:1: .*text 'South' differs from the document text 'North'"),
    (lambda g, p: p.__setitem__(0, {"doc_id": A, "spans": [], "extra": 1}), r"p.jsonl:1: unknown field\(s\) \['extra'\]"),
    (lambda g, p: p.__setitem__(0, {"doc_id": A, "spans": [{"start": 0, "end": 5, "label": "QUANTITY", "id": "q"}],
                                    "claims": [{"quantity": "nope"}]}),
     r"p.jsonl:1: .*claim 0: quantity 'nope' is not the id of a predicted span"),
])
def test_malformed_predictions_file_is_an_error_naming_file_and_line(gold, tmp_path, mutate, message):
    records = _all_empty(gold)
    mutate(gold, records)
    with pytest.raises(PredictionError, match=message):
        evaluate(sources.from_predictions(_jsonl(tmp_path, records)), gold)


def test_unknown_registered_extractor_suggests_the_close_name():
    from models.registry import REGISTRY, register

    register("regex.v1", REGISTRY.get("regex.v1", "models.regex_v1:RegexExtractor"))
    with pytest.raises(KeyError, match=r"Unknown extractor 'regx.v1'; did you mean 'regex.v1'\?"):
        sources.resolve("regx.v1").predictions({})


def test_extractor_that_raises_is_named(gold):
    class Broken:
        name = "broken.v1"

        def predict(self, docs):
            raise ValueError("model file missing")

    with pytest.raises(ExtractorError, match=r"extractor 'broken.v1' raised ValueError: model file missing"):
        evaluate(sources.from_extractor(Broken()), gold)


def test_extractor_that_hangs_times_out(gold):
    import threading

    release = threading.Event()

    class Hangs:
        name = "hangs.v1"

        def predict(self, docs):
            release.wait(30)
            return []

    try:
        with pytest.raises(ExtractorError, match=r"extractor 'hangs.v1' did not finish within 0.2 s"):
            evaluate(sources.from_extractor(Hangs()), gold, timeout=0.2)
    finally:
        release.set()


def test_extractor_that_skips_a_document_is_an_error(gold):
    class FirstOnly:
        name = "first-only.v1"

        def predict(self, docs):
            return [Document(docs[0].id, docs[0].text)]

    with pytest.raises(PredictionError, match=r"extractor 'first-only.v1': no predictions for document\(s\) 004_"):
        evaluate(sources.from_extractor(FirstOnly()), gold)


def _script(tmp_path, body):
    path = tmp_path / "extractor.py"
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return f"{sys.executable} {path}"


def test_external_command_is_scored(gold, tmp_path):
    command = _script(tmp_path, """
        import json, re, sys
        for line in sys.stdin:
            doc = json.loads(line)
            spans = [{"start": m.start(), "end": m.end(), "label": "ATTRIBUTION"} for m in re.finditer("CNN", doc["text"])]
            print(json.dumps({"doc_id": doc["doc_id"], "spans": spans}))
        """)
    record = evaluate(sources.from_command(command), gold)
    assert record["extractor"]["kind"] == "command"
    assert record["scores"]["seqeval_strict"]["labels"]["ATTRIBUTION"]["tp"] == 1


@pytest.mark.parametrize("body, message", [
    ("import sys; sys.stdin.read(); print('hello')", r"stdout:1: not valid JSON"),
    ("import sys; sys.stderr.write('boom\\n'); sys.exit(3)", r"exited with status 3: boom"),
    ("import time; time.sleep(30)", r"did not finish within 0.5 s"),
])
def test_external_command_failures_are_errors(gold, tmp_path, body, message):
    with pytest.raises((ExtractorError, PredictionError), match=message):
        evaluate(sources.from_command(_script(tmp_path, body)), gold, timeout=0.5)


def test_import_path_callable_and_factory(gold, tmp_path, monkeypatch):
    (tmp_path / "my_extractor.py").write_text(textwrap.dedent("""
        import re
        def find_cnn(text):
            return [(m.start(), m.end(), "ATTRIBUTION") for m in re.finditer("CNN", text)]
        def make():
            return find_cnn
        def bad(text):
            return [(0, 3)]
        """), encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    for spec in ("my_extractor:find_cnn", "my_extractor:make"):
        record = evaluate(sources.resolve(spec), gold)
        assert record["scores"]["seqeval_strict"]["labels"]["ATTRIBUTION"]["tp"] == 1, spec
    with pytest.raises(PredictionError, match=r"callable 'my_extractor:bad', document 000_\w+: span 0: expected an object"):
        evaluate(sources.resolve("my_extractor:bad"), gold)
    with pytest.raises(ExtractorError, match=r"cannot import 'my_extractor:nothing'"):
        sources.resolve("my_extractor:nothing")


def _conll(gold, tags_for=lambda s: s.tags):
    lines = []
    for doc_id in sorted(gold.documents):
        lines.append(f"-DOCSTART- {doc_id}")
        text = gold.documents[doc_id].text
        for sent in gold.sentences[doc_id]:
            lines += [f"{text[s:e]}\t{t}" for (s, e), t in zip(sent.tokens, tags_for(sent))]
            lines.append("")
    return lines


def test_conll_predictions_of_the_gold_are_perfect(gold, tmp_path):
    path = tmp_path / "p.conll"
    path.write_text("\n".join(_conll(gold)) + "\n", encoding="utf-8")
    record = evaluate(sources.from_predictions(str(path)), gold)
    assert record["scores"]["seqeval_strict"]["micro"]["f1"] == 1.0


def test_conll_with_a_wrong_token_names_the_line(gold, tmp_path):
    lines = _conll(gold)
    lines[3] = "Elsewhere\tO"
    path = tmp_path / "p.conll"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(PredictionError, match=r"p.conll:4: token 'Elsewhere' differs from the gold token"):
        evaluate(sources.from_predictions(str(path)), gold)


def test_conll_ill_formed_tags_are_counted_and_located_not_repaired(gold, tmp_path):
    lines = [ln.replace("\tB-", "\tI-") for ln in _conll(gold)]
    path = tmp_path / "p.conll"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    record = evaluate(sources.from_predictions(str(path)), gold)
    alignment = record["alignment"]
    assert alignment["ill_formed_tags"] == sum(len(d.spans) for d in gold.documents.values())
    assert record["scores"]["seqeval_strict"]["micro"]["tp"] == 0  # strict IOB2: I- starts no entity
    assert record["scores"]["seqeval_default"]["micro"]["f1"] == 1.0  # conlleval: it does
    assert record["scores"]["spans"]["overall"]["strict"]["correct"] == alignment["ill_formed_tags"]
    assert len(alignment["ill_formed"]) == alignment["ill_formed_tags"]
    for where in alignment["ill_formed"]:  # each location points at that very tag, after an O or a sentence start
        assert lines[where["line"] - 1].endswith("\t" + where["tag"]) and where["tag"].startswith("I-")
        assert where["after"] in ("O", "sentence start")
        sent = gold.sentences[where["doc_id"]][where["sentence"]]
        s, e = sent.tokens[where["token"]]
        assert lines[where["line"] - 1].split("\t")[0] == gold.documents[where["doc_id"]].text[s:e]


def test_result_record_round_trips_and_golden_record_loads(gold, tmp_path):
    from eval.result import write_result

    record = evaluate(sources.from_predictions(_jsonl(tmp_path, _all_empty(gold))), gold)
    write_result(record, tmp_path / "r.json")
    assert load_result(tmp_path / "r.json") == record
    for key in ("troopclaims", "seqeval", "spacy", "datasets"):
        assert record["libraries"][key]
    golden = load_result("tests/data/result-v1.json")
    assert golden["format"] == "troopclaims.result/1" and golden["scores"]["seqeval_strict"]["micro"]["f1"] >= 0
    assert record["format"] == "troopclaims.result/3"
    assert set(golden["alignment"]) == set(record["alignment"])  # a /1 record reads with /2's keys
    assert golden["alignment"]["ill_formed_tags"] == 0 and golden["alignment"]["ill_formed"] == []


def _mention_lines(gold):
    """Each document's gold spans as strings, plus a made-up string and a repeat of the first mention."""
    out = []
    for doc_id in sorted(gold.documents):
        spans = sorted(gold.documents[doc_id].spans)
        mentions = [{"text": s.text, "label": s.label} for s in spans + spans[:1]] + \
            [{"text": "a string that is nowhere", "label": "QUANTITY"}]
        out.append({"doc_id": doc_id, "mentions": mentions})
    return out


@pytest.mark.parametrize("kind", ["jsonl", "conll", "mentions", "callable"])
def test_every_kind_of_record_rescores_to_exactly_its_own_figures(gold, tmp_path, kind):
    """A record carries what it was scored from (offsets, tags, strings); scoring that again gives its figures."""
    from eval.rescore import FIGURES, rescore
    from eval.result import Result

    if kind == "jsonl":
        source = sources.from_predictions(_jsonl(tmp_path, [{"doc_id": d, "spans": [s.to_json() for s in doc.spans[::2]]}
                                                            for d, doc in sorted(gold.documents.items())]))
    elif kind == "conll":  # ill-formed tags: strict and default modes differ, and each is located by line
        (tmp_path / "p.conll").write_text("\n".join(ln.replace("\tB-", "\tI-", 1) if i % 7 == 0 else ln
                                                    for i, ln in enumerate(_conll(gold))) + "\n", encoding="utf-8")
        source = sources.from_predictions(str(tmp_path / "p.conll"))
    elif kind == "mentions":
        source = sources.from_predictions(_jsonl(tmp_path, _mention_lines(gold)), "mentions")
    else:
        answers = {gold.documents[r["doc_id"]].text: r for r in _mention_lines(gold)}
        source = sources.from_callable(lambda text: {"mentions": answers[text]["mentions"]}, name="mine")
    record = evaluate(source, gold)
    again, documents = rescore(Result.from_json(json.loads(json.dumps(record))), gold, "r.json")
    assert {k: record.get(k) for k in FIGURES} == {k: again.to_json().get(k) for k in FIGURES}
    assert again.predictions == record["predictions"] and sorted(documents) == sorted(gold.documents)
    if kind == "conll":
        assert record["alignment"]["ill_formed_tags"] > 0 and "tags" in record["predictions"]
        record["predictions"]["tags"][A][0][0] = "B-DATE"  # a tag changed after scoring
        with pytest.raises(Exception, match=r"r\.json: predictions\.documents: not the spans its tags give"):
            rescore(Result.from_json(record), gold, "r.json")
    if kind in ("mentions", "callable"):
        assert record["mentions"]["unaligned"]
        record["predictions"]["answers"][0]["mentions"].pop()  # a string taken out of the answer after scoring
        with pytest.raises(Exception, match=r"is not the alignment of its answer in r\.json: predictions\.answers"):
            rescore(Result.from_json(record), gold, "r.json")


def test_not_a_result_record_is_refused(tmp_path):
    from corpus.errors import FormatError

    (tmp_path / "x.json").write_text('{"format": "other"}', encoding="utf-8")
    with pytest.raises(FormatError, match=r"x.json: not a troopclaims result record \(format 'other'"):
        load_result(tmp_path / "x.json")


def test_scoring_refuses_data_no_changelog_entry_describes(tmp_path):
    import shutil

    import pyarrow.parquet as pq

    from corpus.errors import TroopclaimsError
    from corpus.paths import CORPUS_DIR

    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS_DIR / "data", corpus / "data")
    shutil.copy(CORPUS_DIR / "CHANGELOG.md", corpus / "CHANGELOG.md")
    assert load_goldset(corpus, split="validation").version
    parquet = next((corpus / "data" / "documents").glob("*.parquet"))
    table = pq.read_table(parquet)
    pq.write_table(table.slice(0, table.num_rows - 1), parquet)  # one document fewer
    with pytest.raises(TroopclaimsError, match=r"data fingerprint sha256:\w+ is not the one recorded"):
        load_goldset(corpus, split="validation")
    parquet.write_bytes(parquet.read_bytes() + b"\0")
    with pytest.raises(TroopclaimsError, match=r"-00000-of-00001.parquet: not a readable Parquet file \("):
        load_goldset(corpus, split="validation")


def test_typed_result_round_trips_and_adding_settings_leaves_the_record_alone(gold, tmp_path):
    import copy

    from eval.result import Result

    record = evaluate(sources.from_predictions(_jsonl(tmp_path, _all_empty(gold))), gold)
    before = copy.deepcopy(record)
    result = Result.from_json(record)
    assert result.to_json() == record and list(result.to_json()) == list(record)  # same keys, same order
    assert result.name == record["extractor"]["name"] and result.strict == record["scores"]["seqeval_strict"]
    ranked = result.with_settings(bootstrap={"samples": 10})
    assert ranked.settings["bootstrap"] == {"samples": 10} and "bootstrap" not in result.settings
    assert record == before
