"""The HTML error report: every outcome marked on the right text, nothing lost or unescaped, tags balanced."""
import html
import re
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus.types import Document, Span
from eval.error_report import render_error_report, write_error_report

A = "000_88c46dc548cd37de"
RECORD = {"dataset": {"name": "troopclaims", "version": "9.8.7", "fingerprint": "sha256:feedface"},
          "extractor": {"name": "fixed.v1", "kind": "python", "version": "v1"}}
VOID = {"meta", "br", "hr", "img", "input", "link", "wbr"}


def span(text, needle, label, occurrence=0, cut=(0, 0)):
    """The ``occurrence``-th ``needle`` in ``text``, its start and end moved by ``cut``."""
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(needle, start + 1)
    s, e = start + cut[0], start + len(needle) + cut[1]
    return Span(s, e, label, text[s:e])


@pytest.fixture(scope="module")
def case(texts):
    text = texts[A]
    gold = [span(text, "CNN", "ATTRIBUTION"), span(text, "Ukrainian intelligence", "ATTRIBUTION"),
            span(text, "25-30 thousand", "QUANTITY"), span(text, "intelligence calculations", "ATTRIBUTION"),
            span(text, "11,000", "QUANTITY"), span(text, "November", "DATE"), span(text, "May 18", "DATE")]
    pred = [span(text, "CNN", "ATTRIBUTION"),                         # true positive
            span(text, "30 thousand", "QUANTITY"),                    # boundary error
            span(text, "11,000", "DATE"),                             # label error, same bounds
            span(text, "intelligence calculations", "DATE", cut=(0, -13)),  # label error, overlap
            span(text, "November", "DATE"),                           # true positive
            span(text, "Pyongyang", "ATTRIBUTION")]                   # false positive
    # missed: "Ukrainian intelligence", "May 18"
    gold_docs = {A: Document(A, text, tuple(sorted(gold)))}
    preds = {A: Document(A, text, tuple(sorted(pred)))}
    return text, render_error_report(RECORD, gold_docs, preds)


class Segments(HTMLParser):
    """The marked text of each ``doctext`` block as (classes, title, text) segments; checks tags balance."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.errors, self.docs = [], [], []
        self.depth = None  # stack depth of the open doctext div
        self.current = None  # (classes, title) of the open segment

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag not in VOID:
            self.stack.append(tag)
        if tag == "div" and "doctext" in (attrs.get("class") or "").split():
            self.depth = len(self.stack)
            self.docs.append([])
        elif self.depth is not None and tag == "span":
            self.current = (set(attrs.get("class", "").split()), attrs.get("title", ""))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else None}> at {self.getpos()}")
            return
        if self.depth is not None:
            if len(self.stack) == self.depth:
                self.depth = None
            elif tag == "span":
                self.current = None
        self.stack.pop()

    def handle_data(self, data):
        if self.depth is not None:
            classes, title = self.current or (set(), "")
            self.docs[-1].append((classes, title, data))


def parse(page):
    parser = Segments()
    parser.feed(page)
    parser.close()
    return parser


def runs(segments, cls):
    """Texts of maximal runs of consecutive segments carrying ``cls``."""
    out, current = [], None
    for classes, _, data in segments:
        if cls in classes:
            current = (current or "") + data
        elif current is not None:
            out.append(current)
            current = None
    return out + ([current] if current is not None else [])


def body_text(page):
    """Each doctext block with tags stripped and entities decoded: must be the document text."""
    blocks = re.findall(r'<div class="doctext">(.*?)</div>', page, flags=re.S)
    return [html.unescape(re.sub(r"<[^>]*>", "", b)) for b in blocks]


def test_each_outcome_marks_its_spans(case):
    _, page = case
    [segments] = parse(page).docs
    assert runs(segments, "g-tp") == runs(segments, "p-tp") == ["CNN", "November"]
    assert runs(segments, "g-fn") == ["Ukrainian intelligence", "May 18"]
    assert not runs(segments, "p-fn") and not runs(segments, "g-fp")
    assert runs(segments, "p-fp") == ["Pyongyang"]
    assert runs(segments, "g-boundary") == ["25-30 thousand"]
    assert runs(segments, "p-boundary") == ["30 thousand"]
    assert runs(segments, "g-label") == ["intelligence calculations", "11,000"]
    assert runs(segments, "p-label") == ["intelligence", "11,000"]


def test_hover_names_gold_prediction_and_outcome(case):
    _, page = case
    [segments] = parse(page).docs
    titles = {data: title for _, title, data in segments if title}
    assert titles["30 thousand"] == "gold QUANTITY '25-30 thousand' / predicted QUANTITY '30 thousand': boundary error"
    assert titles["25-"] == titles["30 thousand"]
    assert titles["Pyongyang"] == "gold none / predicted ATTRIBUTION 'Pyongyang': false positive"
    assert titles["May 18"] == "gold DATE 'May 18' / predicted none: false negative"
    assert titles["11,000"] == "gold QUANTITY '11,000' / predicted DATE '11,000': label error"


def test_header_summary_and_legend(case):
    _, page = case
    assert "fixed.v1" in page and "9.8.7" in page and "sha256:feedface" in page
    assert "2 true positive, 2 false negative, 1 false positive, 1 boundary error, 2 label error" in page
    for name in ("true positive", "false negative", "false positive", "boundary error", "label error"):
        assert f">{name}</span>" in page


def test_text_kept_whole_and_in_order(case):
    text, page = case
    assert body_text(page) == [text]


def test_page_is_self_contained_and_balanced(case):
    _, page = case
    parser = parse(page)
    assert parser.errors == [] and parser.stack == []
    assert page.startswith("<!DOCTYPE html>")
    assert not re.search(r"<script|<link|<img|src=|url\(", page, flags=re.I)


def test_text_and_ids_are_escaped():
    text = "He said <script>alert(\"x\")</script> & 'sent' 25 troops."
    doc_id = 'x"><b>id'
    gold = Document(doc_id, text, (span(text, "25 troops", "QUANTITY"),))
    pred = Document(doc_id, text, (span(text, "<script>", "ATTRIBUTION"), span(text, "25", "QUANTITY")))
    page = render_error_report({"extractor": {"name": "<i>bad</i>"}, "dataset": {}}, {doc_id: gold},
                               {doc_id: pred})
    assert "<script>" not in page and "<b>id" not in page and "<i>bad" not in page
    assert '>&lt;script&gt;</span>alert("x")&lt;/script&gt; &amp; \'sent\'' in page
    parser = parse(page)
    assert parser.errors == [] and parser.stack == []
    assert body_text(page) == [text]
    [segments] = parser.docs
    assert runs(segments, "p-fp") == ["<script>"]
    assert runs(segments, "p-boundary") == ["25"]


def test_document_without_predictions_is_all_missed(texts):
    text = texts[A]
    gold = Document(A, text, (span(text, "CNN", "ATTRIBUTION"), span(text, "May 18", "DATE")))
    [segments] = parse(render_error_report(RECORD, {A: gold}, {})).docs
    assert runs(segments, "g-fn") == ["CNN", "May 18"]


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="ab <>&\"'\n\t", min_size=1, max_size=40).flatmap(lambda t: st.tuples(
    st.just(t),
    *(st.lists(st.tuples(st.integers(0, len(t) - 1), st.integers(1, len(t)),
                         st.sampled_from(["QUANTITY", "DATE"])), max_size=5) for _ in range(2)))))
def test_any_spans_keep_the_text_whole(case_):
    """Gold and predicted spans overlapping each other (and themselves) never lose or repeat a character."""
    text, gold, pred = case_

    def spans(raw):
        return tuple(sorted(Span(s, e, label, text[s:e]) for s, e, label in raw if s < e))

    page = render_error_report(RECORD, {"d": Document("d", text, spans(gold))},
                               {"d": Document("d", text, spans(pred))})
    parser = parse(page)
    assert parser.errors == [] and parser.stack == []
    assert body_text(page) == [text]
    assert "".join(data for _, _, data in parser.docs[0]) == text


def test_write_is_atomic_and_complete(case, tmp_path, texts):
    text = texts[A]
    gold = {A: Document(A, text, (span(text, "CNN", "ATTRIBUTION"),))}
    path = write_error_report(tmp_path / "sub" / "report.html", RECORD, gold, gold)
    assert path.read_text(encoding="utf-8") == render_error_report(RECORD, gold, gold)
    assert [p.name for p in path.parent.iterdir()] == ["report.html"]


def test_renders_a_real_run(texts):
    """The record and predictions of eval.score.run, on the built dataset, render with its version."""
    from eval.goldset import load_goldset
    from eval.score import run
    from eval.sources import from_callable

    gold = load_goldset(split="validation")
    record, preds = run(from_callable(lambda t: [(m.start(), m.end(), "DATE") for m in re.finditer(r"\bMay\b", t)],
                                      name="may.v1"), gold)
    page = render_error_report(record, gold.documents, preds)
    assert record["dataset"]["fingerprint"] in page and record["dataset"]["version"] in page
    assert body_text(page) == [gold.documents[d].text for d in sorted(gold.documents)]
    assert parse(page).errors == []


def test_strings_not_in_the_text_and_notes_are_listed_for_their_document(tmp_path):
    """A text-answering system's made-up strings have no place to be marked: the report lists them."""
    import json

    from eval.error_report import render_error_report
    from eval.goldset import load_goldset
    from eval.score import run
    from eval.sources import from_predictions

    gold = load_goldset(split="validation")
    first, second = sorted(gold.documents)[:2]
    lines = [{"doc_id": d, "mentions": []} for d in sorted(gold.documents)]
    lines[0]["mentions"] = [{"text": "a <b>bold</b> legion", "label": "ATTRIBUTION"}]
    path = tmp_path / "m.jsonl"
    path.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    record, preds = run(from_predictions(str(path), "mentions"), gold)
    record["notes"] = [f"{second}: llm.v1: the model refused: no"]
    page = render_error_report(record, gold.documents, preds)
    doc1 = page[page.index(f'id="doc-{first}"'):page.index(f'id="doc-{second}"')]
    doc2 = page[page.index(f'id="doc-{second}"'):]
    assert "Not placed in the text (1, each a false positive)" in doc1 and "a &lt;b&gt;bold&lt;/b&gt; legion" in doc1
    assert "llm.v1: the model refused: no" in doc2 and "Not placed" not in doc2
