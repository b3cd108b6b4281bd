"""The Label Studio round trip through a real server (conftest.label_studio: one per test session).

Gold is only ever written to temporary directories.
"""
import re
import shutil
from pathlib import Path

import pytest

from annotation.label_studio.convert import result_document
from annotation.label_studio.sync import LabelStudioError, PushConflictError, Server, connect, export_tasks, pull, push
from corpus.errors import GoldError
from corpus.gold import dumps, read_gold, write_gold
from corpus.paths import GOLD_DIR
from corpus.seeds import load_seeds
from corpus.types import Claim, Document, Span
from corpus.validate import document_problems
from eval.cli import main
from models.base import finish
from conftest import PASSWORD, TOKEN, _free_port
from test_label_studio import D0, D3, handmade_gold


@pytest.fixture(scope="module")
def seed_dir(tmp_path_factory):
    """The seeds alone (the validation documents): the round trips below are written from them."""
    from conftest import validation_sources

    return validation_sources(tmp_path_factory.mktemp("seeds"))[0]


@pytest.fixture
def server(label_studio, monkeypatch):
    """Point the sync at the test server through the same variables users set."""
    monkeypatch.setenv("LABEL_STUDIO_URL", label_studio)
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", TOKEN)
    return Server(label_studio, TOKEN)


class TinyExtractor:
    """Finds every `11,000`: enough to see predictions arrive with their model version."""

    name = "tiny.v1"

    def predict(self, docs):
        out = []
        for doc in docs:
            starts = [m.start() for m in re.finditer("11,000", doc.text)]
            out.append(finish(doc, [Span(s, s + 6, "QUANTITY") for s in starts]))
        return out


def _gold_dir(path: Path, texts, docs) -> Path:
    """Valid gold from the repository where there is some, the hand-made gold for the other seeds."""
    path.mkdir()
    repo = [d for d in read_gold(load_seeds(), GOLD_DIR).values()
            if d.id in texts and (GOLD_DIR / f"{d.id}.jsonl").exists() and not document_problems(d)]
    write_gold(repo + [d for d in docs if d.id not in {r.id for r in repo}], path)
    return path


def _snapshot(directory: Path) -> dict:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(directory.iterdir())}


def _tasks(server, title):
    ls = connect(server)
    pid = next(p.id for p in ls.projects.list(title=title) if p.title == title)
    return ls, {t["data"]["doc_id"]: t for t in export_tasks(ls, pid)}


def _descendants(root: int) -> list[int]:
    """The processes started, directly or not, by ``root`` (read from /proc)."""
    parent = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # ended meanwhile
            continue
        parent[int(stat.parent.name)] = int(fields[1])
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        children = [p for p, pp in parent.items() if pp == pid]
        out += children
        todo += children
    return out


def test_no_process_carries_a_credential_on_its_command_line(server):
    """The test server got its password and token through its environment: argv is readable by every user."""
    import os

    seen = 0
    for pid in _descendants(os.getpid()):
        try:
            argv = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        seen += b"label-studio" in argv
        assert TOKEN.encode() not in argv and PASSWORD.encode() not in argv, argv.replace(b"\0", b" ")[:200]
    assert seen  # the test server is among them


def test_round_trip_with_annotator_changes(server, texts, tmp_path, seed_dir):
    d0, d3 = handmade_gold(texts)
    gold = tmp_path / "gold"
    write_gold([d0, d3], gold)
    predicted = TinyExtractor().predict([Document(d, t) for d, t in texts.items()])
    result = push(seeds_dir=seed_dir, project="round trip", predictions=("tiny.v1", {p.id: p for p in predicted}), gold_dir=gold)
    assert result.created and result.imported == tuple(sorted(texts))

    ls, tasks = _tasks(server, "round trip")
    [prediction] = tasks[D0]["predictions"]
    assert prediction["model_version"] == "tiny.v1"
    spans, claims = result_document(prediction["result"], texts[D0], "prediction")
    assert [s.text for s in spans] == ["11,000", "11,000"] and len(claims) == 2

    # The annotator's session: delete `Documents` (T5) and `approximately 4,000` (T10, the highest id, with its
    # claim C3), add three regions with browser-made ids and link them into a new claim.
    text = texts[D0]
    edited = [r for r in tasks[D0]["annotations"][0]["result"]
              if r.get("id") not in ("T5", "T10") and r.get("from_id") != "T10"]

    def region(needle, label, rid, **values):
        start = text.index(needle)
        at = {"start": start, "end": start + len(needle)}
        items = [{"id": rid, "from_name": "label", "to_name": "text", "type": "labels", "origin": "manual",
                  "value": {**at, "text": needle, "labels": [label]}}]
        return items + [{"id": rid, "from_name": k, "to_name": "text", "type": "textarea", "origin": "manual",
                         "value": {**at, "text": [v]}} for k, v in values.items()]

    edited += region("Satellite images", "ATTRIBUTION", "wQ7_ab3XyZ") + region("May 18", "DATE", "Lm0-9kPq2s")
    edited += region("70 km", "QUANTITY", "r8TnV2cHdE", low="70", high="70", date_value="2025-05-18")
    at70 = {"start": text.index("70 km"), "end": text.index("70 km") + 5}
    edited.append({"id": "r8TnV2cHdE", "from_name": "target", "to_name": "text", "type": "choices",
                   "origin": "manual", "value": {**at70, "choices": ["other"]}})
    edited += [{"type": "relation", "from_id": "r8TnV2cHdE", "to_id": "wQ7_ab3XyZ", "direction": "right",
                "labels": ["source"]},
               {"type": "relation", "from_id": "Lm0-9kPq2s", "to_id": "r8TnV2cHdE", "direction": "left",
                "labels": []}]
    ls.annotations.create(id=tasks[D0]["id"], result=edited, was_cancelled=False)
    ls.annotations.create(id=tasks[D0]["id"], result=[], was_cancelled=True)  # a later skip does not count

    out = tmp_path / "pulled"
    shutil.copytree(gold, out)
    before = _snapshot(out)
    pulled = pull(seeds_dir=seed_dir, project="round trip", gold_dir=out)
    assert pulled.written == (out / f"{D0}.jsonl",) and pulled.unchanged == (out / f"{D3}.jsonl",)
    assert len(pulled.unannotated) == 3
    assert _snapshot(out)[f"{D3}.jsonl"] == before[f"{D3}.jsonl"]  # unchanged gold is not even rewritten

    start = {n: text.index(n) for n in ("Satellite images", "May 18", "70 km")}
    expected = d0.with_spans(
        [s for s in d0.spans if s.id not in ("T5", "T10")] + [
            Span(start["Satellite images"], start["Satellite images"] + 16, "ATTRIBUTION", "Satellite images", "T11"),
            Span(start["70 km"], start["70 km"] + 5, "QUANTITY", "70 km", "T12"),
            Span(start["May 18"], start["May 18"] + 6, "DATE", "May 18", "T13")],
        d0.claims[:2] + (Claim("C4", "T12", "T11", "T13", 70, 70, False, "2025-05-18", "other"),))  # T10, C3 not reused
    assert not document_problems(expected)
    assert read_gold(texts, out)[D0] == expected
    assert (out / f"{D0}.jsonl").read_text(encoding="utf-8") == dumps(expected)

    # Pushing the pulled gold back stores the new ids (nothing is lost, so no conflict); then all is settled.
    again = push(seeds_dir=seed_dir, project="round trip", gold_dir=out)
    assert not again.created and again.annotated == (D0,) and again.imported == ()
    assert push(seeds_dir=seed_dir, project="round trip", gold_dir=out).unchanged == tuple(sorted(texts))


def test_unchanged_gold_comes_back_byte_for_byte(server, texts, tmp_path, seed_dir):
    gold = _gold_dir(tmp_path / "gold", texts, handmade_gold(texts))
    push(seeds_dir=seed_dir, project="byte for byte", gold_dir=gold)
    before = _snapshot(gold)
    result = pull(seeds_dir=seed_dir, project="byte for byte", gold_dir=gold)
    assert result.written == () and _snapshot(gold) == before
    fresh = tmp_path / "fresh"
    pull(seeds_dir=seed_dir, project="byte for byte", gold_dir=fresh)
    assert {p.name: p.read_bytes() for p in fresh.iterdir()} == {n: b for n, (b, _) in before.items()}


def test_push_refuses_to_hide_work_done_in_label_studio(server, texts, tmp_path, seed_dir):
    gold = tmp_path / "gold"
    d0, d3 = handmade_gold(texts)
    write_gold([d0, d3], gold)
    push(seeds_dir=seed_dir, project="conflict", gold_dir=gold)
    ls, tasks = _tasks(server, "conflict")
    work = [r for r in tasks[D3]["annotations"][0]["result"] if r.get("id") != "T4"]  # annotator deletes `1970s`
    ls.annotations.create(id=tasks[D3]["id"], result=work, was_cancelled=False)
    with pytest.raises(PushConflictError, match=rf"task {tasks[D3]['id']} \(doc {D3}\): its newest annotation differs"):
        push(seeds_dir=seed_dir, project="conflict", gold_dir=gold)
    assert len(_tasks(server, "conflict")[1][D3]["annotations"]) == 2  # nothing was pushed
    assert push(seeds_dir=seed_dir, project="conflict", gold_dir=gold, overwrite=True).annotated == (D3,)
    out = tmp_path / "out"
    pull(seeds_dir=seed_dir, project="conflict", gold_dir=out)
    assert (out / f"{D3}.jsonl").read_bytes() == (gold / f"{D3}.jsonl").read_bytes()


def test_invalid_annotation_writes_nothing(server, texts, tmp_path, seed_dir):
    gold = tmp_path / "gold"
    write_gold(handmade_gold(texts), gold)
    push(seeds_dir=seed_dir, project="invalid", gold_dir=gold)
    ls, tasks = _tasks(server, "invalid")
    text = texts[D3]
    start = text.index("the 1970s")
    bad = tasks[D3]["annotations"][0]["result"] + [{
        "id": "Zz1", "from_name": "label", "to_name": "text", "type": "labels",
        "value": {"start": start, "end": start + 3, "text": "the", "labels": ["DATE"]}}]
    ls.annotations.create(id=tasks[D3]["id"], result=bad, was_cancelled=False)
    before = _snapshot(gold)
    with pytest.raises(GoldError, match=rf"task {tasks[D3]['id']} \(doc {D3}\): {D3} span T5 .*'the': starts with"):
        pull(seeds_dir=seed_dir, project="invalid", gold_dir=gold)
    assert _snapshot(gold) == before


def _untouched_gold(tmp_path, texts):
    gold = tmp_path / "gold"
    write_gold(handmade_gold(texts), gold)
    return gold, _snapshot(gold)


def test_server_down_is_a_clear_error_and_touches_nothing(texts, tmp_path, monkeypatch, capsys, seed_dir):
    url = f"http://127.0.0.1:{_free_port()}"  # nothing listens there
    monkeypatch.setenv("LABEL_STUDIO_URL", url)
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", TOKEN)
    gold, before = _untouched_gold(tmp_path, texts)
    message = rf"cannot reach Label Studio at {re.escape(url)}: connection refused"
    with pytest.raises(LabelStudioError, match=message):
        pull(seeds_dir=seed_dir, gold_dir=gold)
    with pytest.raises(LabelStudioError, match=message):
        push(seeds_dir=seed_dir, gold_dir=gold)
    assert main(["ls", "pull", "--gold-dir", str(gold)]) == 1
    err = capsys.readouterr().err
    assert re.search(message, err) and TOKEN not in err
    assert _snapshot(gold) == before


def test_wrong_token_is_a_clear_error_and_touches_nothing(server, texts, tmp_path, monkeypatch, capsys, seed_dir):
    wrong = "wrong-token-5f3a9c"
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", wrong)
    gold, before = _untouched_gold(tmp_path, texts)
    for call in (lambda: pull(seeds_dir=seed_dir, gold_dir=gold), lambda: push(seeds_dir=seed_dir, gold_dir=gold)):
        with pytest.raises(LabelStudioError, match="refused the API key in LABEL_STUDIO_API_KEY") as error:
            call()
        assert wrong not in str(error.value) and server.url in str(error.value)
    assert main(["ls", "pull", "--gold-dir", str(gold)]) == 1
    err = capsys.readouterr().err
    assert "refused the API key" in err and wrong not in err
    assert _snapshot(gold) == before


def test_pull_of_a_missing_project_says_so(server, tmp_path, seed_dir):
    with pytest.raises(LabelStudioError, match="has no project titled 'nobody made this'"):
        pull(seeds_dir=seed_dir, project="nobody made this", gold_dir=tmp_path)
