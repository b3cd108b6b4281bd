"""Label Studio config and converters without a server: exact round trips, offset checks, id and claim rules."""
import copy
from pathlib import Path
import json
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from annotation.label_studio.config import CLAIM_CONTROLS, CONFIG_PATH, label_config
from annotation.label_studio.convert import from_tasks, pick_annotation, to_tasks
from annotation.label_studio.sync import LabelStudioError, Server, push
from corpus.errors import FormatError, TroopclaimsError
from corpus.gold import dumps, loads
from corpus.labels import LABELS
from corpus.paths import GOLD_DIR
from corpus.types import Claim, Document, Span
from eval.cli import main

D0, D1, D3 = "000_88c46dc548cd37de", "001_cf8ed6a483aff6fd", "003_206cb29126b89878"


def doc(texts, doc_id, spans, claims=(), published=None, note=""):
    """A Document from (needle, label, id[, occurrence]) tuples found in the seed text."""
    text, out = texts[doc_id], []
    for needle, label, sid, *occurrence in spans:
        start = -1
        for _ in range((occurrence or [0])[0] + 1):
            start = text.index(needle, start + 1)
        out.append(Span(start, start + len(needle), label, needle, sid))
    return Document(doc_id, text, tuple(sorted(out)), tuple(claims), published, note)


def handmade_gold(texts) -> list[Document]:
    """Two documents that pass corpus.validate (the server tests pull them), using every claim field."""
    d0 = doc(texts, D0, [
        ("CNN", "ATTRIBUTION", "T1"), ("Ukrainian intelligence", "ATTRIBUTION", "T2"),
        ("intelligence calculations", "ATTRIBUTION", "T3"), ("25-30 thousand", "QUANTITY", "T4"),
        ("Documents", "ATTRIBUTION", "T5"), ("coming months", "DATE", "T6"), ("11,000", "QUANTITY", "T7"),
        ("November", "DATE", "T8"), ("Western officials", "ATTRIBUTION", "T9"),
        ("approximately 4,000", "QUANTITY", "T10")],
        [Claim("C1", "T4", "T3", None, 25000, 30000, False, None, "personnel_planned"),
         Claim("C2", "T7", None, "T8", 11000, 11000, False, "2024-11", "personnel_deployed"),
         Claim("C3", "T10", "T9", None, 4000, 4000, True, None, "killed_or_wounded")],
        "2025-06", "latest dated event: June 17 (Shoigu's visit)")
    d3 = doc(texts, D3, [
        ("several thousand", "QUANTITY", "T1"), ("year’s end", "DATE", "T2"),
        ("over 1.5 million", "QUANTITY", "T3"), ("1970s", "DATE", "T4")],
        [Claim("C1", "T1", None, "T2", 3000, 9000, True, "2024", "personnel_deployed"),
         Claim("C2", "T3", None, None, 1.5e6, None, False, None, "materiel")])
    return [d0, d3]


def odd_document(texts) -> Document:
    """Not valid gold, but every shape the converter must keep: decimals, None bounds, claims out of span
    order, a claim with no values, a QUANTITY in no claim, a non-ASCII span."""
    return doc(texts, D1, [
        ("30,000", "QUANTITY", "T1"), ("Kyiv’s intelligence network", "ATTRIBUTION", "T3"),
        ("nearly 12,000", "QUANTITY", "T2"), ("earlier this year", "DATE", "T4"), ("CNN", "ATTRIBUTION", "T9"),
        ("thousands", "QUANTITY", "T5"), ("about 50,000", "QUANTITY", "T6")],
        [Claim("C7", "T2", "T3", "T4", 2.5, 1e-3, True, "2025-01-31"),
         Claim("C2", "T1", None, None, None, 1.5e6, False, None),
         Claim("C10", "T5")],
        "2025-06", "note with “quotes” and\nnewline")


@pytest.fixture(scope="module")
def docs(texts):
    return [*handmade_gold(texts), odd_document(texts)]


def test_config_file_is_the_generated_config():
    assert CONFIG_PATH.read_text(encoding="utf-8") == label_config(), \
        "run `troopclaims ls config --write` to regenerate annotation/label_studio/config.xml"


def test_config_follows_the_label_list():
    root = ET.fromstring(label_config())
    assert [e.get("value") for e in root.iter("Label")] == list(LABELS)
    assert {e.get("value") for e in root.iter("Relation")} == {"source", "date"}
    text_parent = next(v for v in root.iter("View") if v.find("Text") is not None)
    assert "white-space: pre-wrap" in text_parent.get("style")
    controls = [e for e in root.iter() if e.get("perRegion") == "true"]
    assert tuple(e.get("name") for e in controls) == CLAIM_CONTROLS
    assert {(e.get("toName"), e.get("whenLabelValue")) for e in controls} == {("text", "QUANTITY")}
    claim_view = next(v for v in root.iter("View") if v.get("visibleWhen") == "region-selected")
    children = list(claim_view)
    for i, e in enumerate(children):  # a filled box shows no placeholder: a heading must name it
        if e.tag == "TextArea":
            assert children[i - 1].tag == "Header" and children[i - 1].get("value"), e.get("name")


def _round_trip(docs, texts):
    """Through JSON too: a server export is JSON, so ints, floats and None must survive it."""
    return from_tasks(json.loads(json.dumps(to_tasks(docs))), texts)


def test_round_trip_is_exact(docs, texts):
    assert _round_trip(docs, texts) == docs
    for one in docs:
        [back] = _round_trip([one], texts)
        assert back == one and dumps(back) == dumps(one)


@pytest.fixture(scope="module")
def every_text():
    from corpus.seeds import load_seeds

    return load_seeds()


@pytest.mark.parametrize("path", sorted(GOLD_DIR.glob("*.jsonl")), ids=lambda p: p.stem)
def test_round_trip_of_every_gold_file(path, every_text):
    gold = loads(path.read_text(encoding="utf-8"), every_text[path.stem], str(path))
    [back] = _round_trip([gold], every_text)
    assert back == gold
    assert dumps(back) == path.read_text(encoding="utf-8")


def test_predictions_carry_the_model_version(docs, texts):
    [task] = to_tasks(docs[:1], as_predictions=True, model_version="tiny.v1")
    assert "annotations" not in task and task["predictions"][0]["model_version"] == "tiny.v1"
    assert task["predictions"][0]["result"] == to_tasks(docs[:1])[0]["annotations"][0]["result"]
    assert task["data"] == {"text": texts[D0], "doc_id": D0, "published": "2025-06",
                            "published_note": docs[0].published_note}
    with pytest.raises(ValueError, match="model_version"):
        to_tasks(docs, as_predictions=True)


def _task(document, task_id=7, annotation_id=3):
    task = to_tasks([document])[0]
    task["id"] = task_id
    task["annotations"][0]["id"] = annotation_id
    return task


def _result(task):
    return task["annotations"][0]["result"]


def _region(result, rid, control="label"):
    return next(r for r in result if r.get("id") == rid and r["from_name"] == control)


def _add_region(result, text, needle, label, rid, **values):
    start = text.index(needle)
    value = {"start": start, "end": start + len(needle)}
    result.append({"id": rid, "from_name": "label", "to_name": "text", "type": "labels",
                   "value": {**value, "text": needle, "labels": [label]}})
    for name, entry in values.items():
        result.append({"id": rid, "from_name": name, "to_name": "text", "type": "textarea",
                       "value": {**value, "text": [entry]}})


def test_newest_annotation_not_cancelled_is_used(docs, texts):
    task = _task(docs[0])
    good = task["annotations"][0]
    good.update(created_at="2025-01-02T10:00:00Z", updated_at="2025-01-03T10:00:00.5Z")
    older = {"id": 9, "result": [], "created_at": "2025-01-01T00:00:00Z", "updated_at": "2025-01-03T09:00:00Z"}
    skipped = {"id": 10, "result": [], "was_cancelled": True, "updated_at": "2025-02-01T00:00:00Z"}
    task["annotations"] = [older, good, skipped]
    assert pick_annotation(task) is good
    assert from_tasks([task], texts) == docs[:1]


def test_tasks_without_annotation_are_left_out(docs, texts):
    annotated, bare, cancelled = _task(docs[0]), _task(docs[1], 8), _task(docs[2], 9)
    del bare["annotations"]
    cancelled["annotations"][0]["was_cancelled"] = True
    assert from_tasks([annotated, bare, cancelled], texts) == docs[:1]


def test_new_regions_get_the_next_free_ids_and_claims(docs, texts):
    """What an annotator does in the UI: random region ids, a region deleted, a claim with no id typed."""
    task = _task(docs[0])
    result = [r for r in _result(task) if r.get("id") != "T5"]  # delete `Documents`
    text = texts[D0]
    _add_region(result, text, "May 18", "DATE", "zQ3_kLm9Xa")
    _add_region(result, text, "70 km", "QUANTITY", "P4", low="70", high="7e1", date_value="2025-05-18")
    _add_region(result, text, "Satellite images", "ATTRIBUTION", "aB-99xYz01")
    result.append({"type": "relation", "from_id": "aB-99xYz01", "to_id": "P4", "direction": "left", "labels": []})
    result.append({"type": "relation", "from_id": "P4", "to_id": "zQ3_kLm9Xa", "direction": "bi",
                   "labels": ["date"]})
    task["annotations"][0]["result"] = result
    [back] = from_tasks([task], texts)
    new = {s.text: s.id for s in back.spans if s.id not in docs[0].span_by_id()}
    assert new == {"Satellite images": "T11", "70 km": "T12", "May 18": "T13"}  # text order, after T10
    assert "T5" not in back.span_by_id()
    assert back.claims == docs[0].claims + (Claim("C4", "T12", "T11", "T13", 70, 70, False, "2025-05-18"),)


def test_ids_deleted_in_label_studio_are_not_reused(docs, texts):
    """The pushed annotation stays in the task's history; ids in it are used even when the newest drops them."""
    task = _task(docs[0])
    newest = [r for r in _result(task) if r.get("id") != "T10" and r.get("from_id") != "T10"]
    _add_region(newest, texts[D0], "Satellite images", "ATTRIBUTION", "xY1")
    _add_region(newest, texts[D0], "70 km", "QUANTITY", "xY2", low="70", high="70")
    task["annotations"].append({"id": 4, "result": newest})
    [back] = from_tasks([task], texts)
    assert {s.text: s.id for s in back.spans}["Satellite images"] == "T11"
    assert back.claims[-1] == Claim("C4", "T12", low=70, high=70)


def test_claim_values_left_on_a_relabelled_region_are_ignored(docs, texts):
    task = _task(docs[0])
    result = [r for r in _result(task) if not (r.get("type") == "relation" and r["from_id"] == "T10")]
    _region(result, "T10")["value"]["labels"] = ["DATE"]
    task["annotations"][0]["result"] = result
    [back] = from_tasks([task], texts)
    assert [c.id for c in back.claims] == ["C1", "C2"] and back.span_by_id()["T10"].label == "DATE"


def _set(path, value):
    def change(task):
        target = task
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
    return change


def _edit_region(rid, control="label", **value):
    def change(task):
        _region(_result(task), rid, control)["value"].update(value)
    return change


def _append(item):
    return lambda task: _result(task).append(item)


def _relation(a, b, *labels):
    return _append({"type": "relation", "from_id": a, "to_id": b, "direction": "right", "labels": list(labels)})


WHERE = r"task 7 \(doc 000_88c46dc548cd37de\) annotation 3"


@pytest.mark.parametrize("change, message", [
    (_edit_region("T2", end=184 + 22 + 1, text="Ukrainian intelligence "),
     WHERE + r" region T2: 'Ukrainian intelligence ' at \[184, 207\) has leading or trailing whitespace"),
    (_edit_region("T1", text="CNNN"), WHERE + r" region T1: text 'CNNN' differs from the document text 'CNN'"),
    (_edit_region("T1", start=2300, end=2310),
     WHERE + r" region T1: offsets \[2300, 2310\) out of range for a text of 2303 characters"),
    (_edit_region("T1", labels=["PERSON"]), WHERE + r" region T1: unknown label 'PERSON'"),
    (_edit_region("T1", labels=[]), WHERE + r" region T1: needs exactly one label"),
    (_set(["data", "doc_id"], "999_unknown"), r"task 7 \(doc 999_unknown\): unknown doc_id '999_unknown'"),
    (_set(["data", "text"], "edited"), r"task 7 \(doc 000_88c46dc548cd37de\): data.text differs from seeds/"),
    (_relation("T4", "T99", "source"), WHERE + r" relation T4 -> T99: refers to region 'T99'"),
    (_relation("T4", "T7"), WHERE + r" relation T4 -> T7: links a QUANTITY to a QUANTITY"),
    (_relation("T4", "T6", "source"), WHERE + r" relation T4 -> T6: labelled \['source'\] but T6 is a DATE"),
    (_relation("T4", "T1", "source"), WHERE + r" region T4: QUANTITY has two sources, T3 and T1"),
    (_edit_region("T4", "low", number="25,000"), WHERE + r" region T4 '25-30 thousand' low: '25,000' is not a number"),
    (_edit_region("T4", "claim_id", text=["C1", "C9"]), WHERE + r" region T4 '25-30 thousand' claim_id: several entries"),
    (_edit_region("T7", "claim_id", text=["C1"]), WHERE + r" region T7 '11,000': claim id 'C1' is also on region T4"),
    (_edit_region("T10", "approximate", choices=["maybe"]),
     WHERE + r" region T10 'approximately 4,000' approximate: unexpected choices"),
    (_append({"id": "T1", "from_name": "sentiment", "to_name": "text", "type": "choices", "value": {}}),
     WHERE + r" region T1: unknown control 'sentiment'"),
    (_append({"id": "T77", "from_name": "low", "to_name": "text", "type": "textarea", "value": {"text": ["1"]}}),
     WHERE + r" region T77: claim values for a region that has no label result"),
])
def test_bad_regions_name_task_and_region(docs, texts, change, message):
    task = _task(docs[0])
    change(task)
    with pytest.raises(FormatError, match=message):
        from_tasks([task], texts)


def test_two_tasks_for_one_document_are_refused(docs, texts):
    with pytest.raises(FormatError, match=r"task 8 \(doc 000_88c46dc548cd37de\): doc 000_\w+ is also task 7"):
        from_tasks([_task(docs[0]), _task(docs[0], 8)], texts)


def test_to_tasks_refuses_spans_that_do_not_match_the_text(docs):
    bad = Document(D0, docs[0].text, (Span(0, 5, "QUANTITY", "Nope!", "T1"),))
    with pytest.raises(FormatError, match=r"doc 000_88c46dc548cd37de span T1: text 'Nope!' differs"):
        to_tasks([bad])


def test_cli_config_prints_the_xml(capsys):
    assert main(["ls", "config"]) == 0
    assert capsys.readouterr().out == label_config()


@pytest.mark.parametrize("command", ["push", "pull"])
def test_cli_help_names_the_environment_variables(command, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["ls", command, "--help"])
    out = capsys.readouterr().out
    assert exit_.value.code == 0 and "LABEL_STUDIO_URL" in out and "LABEL_STUDIO_API_KEY" in out


def test_cli_starts_without_loading_the_sdk():
    code = ("import sys, eval.cli; eval.cli.build_parser(); "
            "print(sorted(m for m in sys.modules if 'label_studio_sdk' in m or m == 'httpx'))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_missing_settings_are_named(monkeypatch):
    monkeypatch.delenv("LABEL_STUDIO_URL", raising=False)
    monkeypatch.delenv("LABEL_STUDIO_API_KEY", raising=False)
    with pytest.raises(LabelStudioError, match="LABEL_STUDIO_URL is not set"):
        Server.from_env()
    monkeypatch.setenv("LABEL_STUDIO_URL", "http://127.0.0.1:9")
    with pytest.raises(LabelStudioError, match="LABEL_STUDIO_API_KEY is not set"):
        Server.from_env()
    assert "s3cret-token" not in repr(Server("http://u:p@host:1", "s3cret-token"))
    assert Server("http://u:p@host:1", "k").shown == "http://host:1"


def test_unknown_extractor_fails_before_any_request(monkeypatch, tmp_path, capsys):
    from eval.cli import main

    monkeypatch.setenv("LABEL_STUDIO_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", "unused-token")
    assert main(["ls", "push", "--extractor", "no-such.v1", "--gold-dir", str(tmp_path)]) == 1
    assert "Unknown extractor 'no-such.v1'" in capsys.readouterr().err


def test_annotation_imports_only_corpus():
    """Imports flow corpus <- annotation: the CLI on top hands annotation/ its predictions."""
    import ast

    root = Path(__file__).resolve().parent.parent / "annotation"
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) and node.level == 0 else [])
            assert not [n for n in names if n.split(".")[0] in ("models", "eval")], (path, names)


def test_round_trip_does_not_mutate_its_input(docs):
    tasks = to_tasks(docs)
    frozen = copy.deepcopy(tasks)
    from_tasks(tasks, {d.id: d.text for d in docs})
    assert tasks == frozen


def test_a_cleared_number_field_means_no_bound(docs, texts):
    """Label Studio stores a cleared Number as 0 (seen in the browser): one bound at 0 reads as none."""
    task = _task(docs[0])
    _edit_region("T4", "low", number=0)(task)
    [doc] = from_tasks([task], texts)
    claim = next(c for c in doc.claims if c.quantity == "T4")
    assert (claim.low, claim.high) == (None, 30000)
    _edit_region("T4", "high", number=0)(task)
    [doc] = from_tasks([task], texts)
    assert next((c.low, c.high) for c in doc.claims if c.quantity == "T4") == (0, 0)  # the quantity zero
