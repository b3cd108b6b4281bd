"""Mention strings -> offsets (corpus/align.py) and mention predictions end to end (eval/mentions.py)."""
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus.align import NormalizedText, align, spans_to_mentions
from corpus.mentions import Mention, MentionDocument, TextClaim
from harness_fixtures import seeds_main as main  # written from the seed texts: the validation split
from eval.goldset import load_goldset
from eval.score import evaluate
from eval.sources import from_callable, from_command, from_predictions
from tests.openai_standin import gold_answer

CURLY = str.maketrans({"'": "\u2019", '"': "\u201d", "-": "\u2013"})
STRAIGHT = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"})


@pytest.fixture(scope="module")
def gold():
    return load_goldset(split="validation")  # the seeds: the tests below are written from them


def write_answers(path, gold, change=lambda s: s, extra=None):
    """The gold as a mention predictions file (text and label only), strings passed through ``change``."""
    lines = []
    for doc_id in sorted(gold.documents):
        answer = gold_answer(gold.documents[doc_id])
        for m in answer["mentions"]:
            m["text"] = change(m["text"])
        for c in answer["claims"]:
            for k in ("quantity", "source", "date"):
                c[k] = change(c[k]) if c[k] else c[k]
        if extra and doc_id in extra:
            answer["mentions"].append(extra[doc_id])
        lines.append(json.dumps({"doc_id": doc_id, **answer}, ensure_ascii=False))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def perfect(record):
    scores = record["scores"]
    return (scores["seqeval_strict"]["micro"]["f1"], scores["seqeval_default"]["micro"]["f1"],
            scores["spans"]["overall"]["strict"]["f1"], scores["claims"]["summary"]["f1"],
            scores["claims"]["summary"]["full_f1"], scores["claims"]["relaxed"]["full_f1"])


def test_gold_as_strings_scores_one_everywhere_claims_included(gold, tmp_path):
    record = evaluate(from_predictions(str(write_answers(tmp_path / "m.jsonl", gold)), "mentions"), gold)
    assert perfect(record) == (1.0,) * 6
    assert record["mentions"] == {"normalized": 0, "duplicates": 0, "unaligned": []}


def test_quote_and_dash_styles_do_not_matter(gold, tmp_path):
    for change in (lambda s: s.translate(CURLY), lambda s: s.translate(STRAIGHT)):
        record = evaluate(from_predictions(str(write_answers(tmp_path / "m.jsonl", gold, change)), "mentions"), gold)
        assert perfect(record) == (1.0,) * 6
    changed = sum(s.text.translate(STRAIGHT) != s.text for d in gold.documents.values() for s in d.spans)
    assert changed > 0 and record["mentions"]["normalized"] == changed


def test_one_invented_string_is_exactly_one_false_positive(gold, tmp_path):
    doc_id = sorted(gold.documents)[2]
    base = evaluate(from_predictions(str(write_answers(tmp_path / "a.jsonl", gold)), "mentions"), gold)
    path = write_answers(tmp_path / "b.jsonl", gold, extra={doc_id: {"text": "the Martian legion", "label": "ATTRIBUTION"}})
    record = evaluate(from_predictions(str(path), "mentions"), gold)
    s0, s1 = base["scores"], record["scores"]
    assert s1["seqeval_strict"]["labels"]["ATTRIBUTION"]["fp"] == s0["seqeval_strict"]["labels"]["ATTRIBUTION"]["fp"] + 1
    assert s1["seqeval_strict"]["micro"]["tp"] == s0["seqeval_strict"]["micro"]["tp"]
    assert s1["spans"]["labels"]["ATTRIBUTION"]["strict"]["spurious"] == 1
    fp_column = 3 * record["per_sentence"]["labels"].index("ATTRIBUTION") + 1
    assert sum(row[fp_column] for row in record["per_sentence"]["tp_fp_fn"]) == 1  # the bootstrap sees it too
    assert record["mentions"]["unaligned"] == [{"doc_id": doc_id, "id": "H1", "label": "ATTRIBUTION",
                                                "text": "the Martian legion", "where": f"mention {len(gold.documents[doc_id].spans) + 1}",
                                                "reason": "not in the text"}]
    assert record["per_document"][doc_id]["strict_micro_f1"] < 1.0


def test_align_writes_offsets_that_score_the_same(gold, tmp_path, capsys):
    doc_id = sorted(gold.documents)[0]
    path = write_answers(tmp_path / "m.jsonl", gold, lambda s: s.translate(CURLY),
                         extra={doc_id: {"text": "ninety balloons", "label": "QUANTITY"}})
    assert main(["align", str(path), "--out", str(tmp_path / "p.jsonl")]) == 0
    assert "1 string(s) not in the text" in capsys.readouterr().err
    a = evaluate(from_predictions(str(path), "mentions"), gold)
    b = evaluate(from_predictions(str(tmp_path / "p.jsonl")), gold)
    for key in ("scores", "per_sentence", "per_document"):
        assert a[key] == b[key]


def test_claims_alone_count_as_mentions(gold, tmp_path):
    def claims_only(text):
        doc = next(d for d in gold.documents.values() if d.text == text)
        return {"mentions": [], "claims": gold_answer(doc)["claims"]}

    record = evaluate(from_callable(claims_only, name="claims-only"), gold)
    quantity = record["scores"]["seqeval_strict"]["labels"]["QUANTITY"]
    assert quantity["tp"] == quantity["support"] and quantity["fp"] == 0  # every quantity is in a claim
    assert record["scores"]["claims"]["summary"]["f1"] == 1.0


def test_a_command_may_answer_with_mentions(gold, tmp_path):
    path = write_answers(tmp_path / "m.jsonl", gold)
    record = evaluate(from_command(f"cat {path}", "mentions"), gold)
    assert perfect(record) == (1.0,) * 6


# --- the alignment itself ----------------------------------------------------------------------------------

def aligned(text, *mentions, claims=()):
    a = align(text, MentionDocument("d", tuple(mentions), tuple(claims)))
    return [(s.start, s.end, s.label) for s in a.spans], a


def test_normalization_maps_back_to_the_original_offsets():
    text = "Kyiv\u2019s  intelligence\n\tsaid \uff11\uff12,000 troops \u2014 and \ufb01ve more"
    nt = NormalizedText(text)
    assert nt.norm == "Kyiv's intelligence said 12,000 troops - and five more"

    def found(mention):
        return [text[s:e] for s, e in nt.occurrences(mention)]
    assert found("Kyiv's intelligence") == ["Kyiv\u2019s  intelligence"]
    assert found("intelligence said 12,000") == ["intelligence\n\tsaid \uff11\uff12,000"]
    assert found("five") == ["\ufb01ve"]  # the ligature is one character of the text, kept whole
    assert found("troops - and") == ["troops \u2014 and"]
    assert found("  12,000 ") == ["\uff11\uff12,000"]  # what LLMs add around a string does not matter


def test_decomposed_unicode_aligns_to_the_composed_text_and_back():
    """A letter plus combining marks (NFD, as some tools and models write it) is the letter the text has (NFC),
    and the other way round; offsets stay the original text's."""
    import unicodedata

    text = "Zelenskyy t\u00f6ld Reuters in Ky\u00efv that 1,500 were s\u00e9en; Cafe\u0301 owners said \u0161est."
    nt = NormalizedText(text)

    def found(mention):
        return [text[s:e] for s, e in nt.occurrences(mention)]
    assert found(unicodedata.normalize("NFD", "t\u00f6ld Reuters")) == ["t\u00f6ld Reuters"]
    assert found("Ky\u0131\u0308v") == []  # a dotless i with a diaeresis is another letter
    assert found(unicodedata.normalize("NFD", "Ky\u00efv")) == ["Ky\u00efv"]
    assert found("Caf\u00e9 owners") == ["Cafe\u0301 owners"]  # composed mention, decomposed text
    assert found(unicodedata.normalize("NFD", "\u0161est")) == ["\u0161est"]
    aligned = align(text, MentionDocument("d", (Mention(unicodedata.normalize("NFD", "s\u00e9en"), "DATE"),)))
    [span] = aligned.spans
    assert text[span.start:span.end] == "s\u00e9en" and aligned.unaligned == [] and aligned.normalized == 1


def test_repeats_are_resolved_by_context_then_occurrence_then_text_order():
    text = "Kim said 12,000. Later, Kim said 12,000 again. Then Kim said 12,000 once more."
    first, second, third = (9, 15), (33, 39), (61, 67)
    assert aligned(text, Mention("12,000", "QUANTITY", context="said 12,000 again"))[0] == [(*second, "QUANTITY")]
    assert aligned(text, Mention("12,000", "QUANTITY", occurrence=3))[0] == [(*third, "QUANTITY")]
    assert aligned(text, Mention("Kim", "ATTRIBUTION", occurrence=2), Mention("12,000", "QUANTITY"))[0] == \
        [(24, 27, "ATTRIBUTION"), (*second, "QUANTITY")]  # the earliest after the previous mention
    spans, a = aligned(text, *[Mention("12,000", "QUANTITY")] * 4)
    assert [s[:2] for s in spans] == [first, second, third] and a.duplicates == 1


def test_exact_and_whole_word_occurrences_come_first():
    text = "In 112,000 cases \u201cKim\u2019s\u201d men and \"Kim's\" men: 12,000."
    at = text.index
    assert aligned(text, Mention("12,000", "QUANTITY"))[0] == [(at(" 12,000") + 1, at(" 12,000") + 7, "QUANTITY")]
    assert aligned(text, Mention("Kim's", "ATTRIBUTION"))[0] == [(at("Kim's"), at("Kim's") + 5, "ATTRIBUTION")]
    assert aligned(text, Mention("Kim\u2019s", "ATTRIBUTION"))[0] == [(at("Kim\u2019s"), at("Kim\u2019s") + 5,
                                                                       "ATTRIBUTION")]
    assert aligned(text, Mention("12,0", "QUANTITY"))[0] == [(4, 8, "QUANTITY")]  # only inside words: taken all the same


def test_claim_strings_link_to_the_nearest_source_and_date():
    text = "Seoul said on Monday that 3,000 left. On Friday, Seoul said 5,000 more would follow."
    spans, a = aligned(text, claims=(TextClaim("3,000", "Seoul", "Monday"), TextClaim("5,000", "Seoul", "Friday"),
                                     TextClaim("900", "Pyongyang")))
    by_id = {s.id: text[s.start:s.end] + f"@{s.start}" for s in a.spans}
    c1, c2, c3 = a.claims
    assert [by_id[c1.source], by_id[c1.date]] == ["Seoul@0", "Monday@14"]
    assert [by_id[c2.source], by_id[c2.date]] == ["Seoul@49", "Friday@41"]
    assert c3.quantity == "H1" and c3.source == "H2" and [u.text for u in a.unaligned] == ["900", "Pyongyang"]


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_offsets_to_strings_to_offsets_is_the_identity_on_the_gold(gold, data):
    doc = gold.documents[data.draw(st.sampled_from(sorted(gold.documents)))]
    spans = data.draw(st.lists(st.sampled_from(sorted(doc.spans)), unique=True, max_size=40))
    nt = NormalizedText(doc.text)
    mentions = [Mention(s.text, s.label, occurrence=nt.occurrences(s.text).index((s.start, s.end)) + 1)
                for s in spans]
    got = align(doc.text, MentionDocument(doc.id, tuple(mentions)))
    assert {s.key for s in got.spans} == {s.key for s in spans}
    everything = align(doc.text, MentionDocument(doc.id, tuple(spans_to_mentions(doc.text, list(doc.spans)))))
    assert [s.key for s in everything.spans] == [s.key for s in sorted(doc.spans)]


# --- malformed mention files: one line naming file, line and field; nothing written ----------------------

BAD = [
    ('["not", "an", "object"]', "expected an object with 'doc_id'"),
    ('{"doc_id": "D", "mentions": [{"label": "DATE"}]}', "mention 1: 'text' must be a non-empty string"),
    ('{"doc_id": "D", "mentions": [{"text": "May 18"}]}', "mention 1: 'label' must be one of QUANTITY, ATTRIBUTION, DATE"),
    ('{"doc_id": "D", "mentions": [{"text": "May 18", "label": "TIME"}]}', "'label' must be one of"),
    ('{"doc_id": "D", "mentions": [{"text": "  ", "label": "DATE"}]}', "'text' must be a non-empty string"),
    ('{"doc_id": "D", "mentions": [{"text": "CNN", "label": "ATTRIBUTION", "occurrence": 99}]}',
     "mention 1: 'occurrence' is 99 for 'CNN', which occurs"),
    ('{"doc_id": "D", "mentions": [{"text": "CNN", "label": "ATTRIBUTION", "occurrence": 0}]}',
     "'occurrence' must be an integer >= 1"),
    ('{"doc_id": "D", "claims": [{"source": "CNN"}]}', "claim 1: a claim needs 'quantity'"),
    ('{"doc_id": "D", "claims": [{"quantity": ["12,000"]}]}', "claim 1: 'quantity' must be a non-empty string"),
    ('{"doc_id": "D", "claims": [{"quantity": "11,000", "low": "11000"}]}', "'low' must be a number or null"),
    ('{"doc_id": "D", "claims": [{"quantity": "11,000", "date_value": "Nov 2024"}]}', "'date_value' 'Nov 2024' is not"),
    ('{"doc_id": "D", "mentions": {"text": "CNN"}}', "'mentions' must be a list"),
    ('{"doc_id": "D", "mentions": [{"text": "CNN", "label": "ATTRIBUTION", "type": "ORG"}]}',
     "unknown field(s) ['type']; allowed: text, label, context, occurrence"),
    ('{"doc_id": ["D"], "mentions": []}', "doc_id must be a string, got [\""),
]


@pytest.mark.parametrize("line, message", BAD, ids=[m for _, m in BAD])
def test_malformed_mention_files_are_one_clear_line(gold, tmp_path, capsys, line, message):
    first = sorted(gold.documents)[0]
    rest = [json.dumps({"doc_id": d, "mentions": []}) for d in sorted(gold.documents)[1:]]
    path = tmp_path / "m.jsonl"
    path.write_text("\n".join([line.replace('"D"', json.dumps(first))] + rest) + "\n", encoding="utf-8")
    out = tmp_path / "r.json"
    assert main(["score", "--predictions", str(path), "--format", "mentions", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"troopclaims score: error: {path}:1") and message in err, err
    assert len(err.strip().splitlines()) == 1 and not out.exists()


def test_mentions_are_never_guessed_from_the_content(gold, tmp_path, capsys):
    path = write_answers(tmp_path / "m.jsonl", gold)
    assert main(["score", "--predictions", str(path)]) == 1
    err = capsys.readouterr().err
    assert f"{path}:1: unknown field(s) ['mentions']" in err and "pass --format mentions" in err


def test_a_string_claim_has_the_claim_fields_but_its_id():
    """corpus.mentions.TextClaim mirrors corpus.types.Claim: a new claim field must reach string answers too."""
    from dataclasses import fields

    from corpus.types import CLAIM_FIELDS

    assert tuple(f.name for f in fields(TextClaim)) == tuple(f for f in CLAIM_FIELDS if f != "id")


def test_a_made_up_string_is_one_false_positive_however_often_it_is_given(gold, tmp_path):
    """Invented numbers with real sources (the usual hallucination) score, and a made-up source given as a
    mention and in two claims is charged once."""
    text = "Officials said 5,000 troops would go; officials said so again."
    _, a = aligned(text, Mention("Officials", "ATTRIBUTION"), Mention("Zorglub", "ATTRIBUTION"),
                   claims=(TextClaim("9,999", "Officials"), TextClaim("5,000", "Zorglub"), TextClaim("7", "Zorglub")))
    assert [u.text for u in a.unaligned] == ["Zorglub", "9,999", "7"]
    assert a.claims[0].source == "P1" and a.claims[1].source == a.claims[2].source == "H1"

    doc_id = sorted(gold.documents)[1]
    answers = write_answers(tmp_path / "m.jsonl", gold, extra={doc_id: {"text": "Zorglub", "label": "ATTRIBUTION"}})
    lines = [json.loads(x) for x in answers.read_text(encoding="utf-8").splitlines()]
    for line in lines:
        if line["doc_id"] == doc_id:
            line["claims"] += [{"quantity": "9,999", "source": "Zorglub"}, {"quantity": "8,888", "source": "Zorglub"}]
    answers.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    record = evaluate(from_predictions(str(answers), "mentions"), gold)
    strict = record["scores"]["seqeval_strict"]["labels"]
    assert strict["ATTRIBUTION"]["fp"] == 1 and strict["QUANTITY"]["fp"] == 2
    assert record["scores"]["spans"]["labels"]["ATTRIBUTION"]["strict"]["spurious"] == 1
    claims = record["scores"]["claims"]["summary"]
    assert claims["predicted"] == claims["gold"] + 2 and claims["matched"] == claims["gold"]


def test_ascii_forms_of_folded_characters_and_empty_optional_strings():
    text = "he said `yes` today\x1c  and more"
    spans, _ = aligned(text, Mention("`yes`", "QUANTITY"), Mention("today and", "DATE"))
    assert [text[s:e] for s, e, _ in spans] == ["`yes`", "today\x1c  and"]
    from corpus.mentions import parse_answer

    answer = parse_answer({"mentions": [{"text": "yes", "label": "QUANTITY", "context": ""}],
                           "claims": [{"quantity": "yes", "source": "", "date": " ", "date_value": ""}]}, "d", "r")
    assert answer.mentions[0].context is None
    assert (answer.claims[0].source, answer.claims[0].date, answer.claims[0].date_value) == (None, None, None)
