"""Annotation rounds against a real Label Studio server: add, two annotators, agreement, adjudication, release.

The two articles are written here for the test (invented events in 2031); their annotations are made by
hand below from LABELS.md, and the agreement figures are worked out by hand in the comments.
Everything is written into scratch copies of seeds/, annotation/gold/ and corpus/.
"""
import json
import shutil
import socket
import threading
from pathlib import Path

import pytest

from annotation.label_studio.convert import document_result
from annotation.label_studio.rounds import (adjudication_project, pull_adjudication, pull_round, push_adjudication,
                                            push_round, round_project, submit)
from annotation.label_studio.sync import LabelStudioError, connect, export_tasks, find_project
from corpus.build import build, check, load_documents
from corpus.errors import GoldError, TroopclaimsError
from corpus.gold import dumps, read_gold
from corpus.paths import CORPUS_DIR, GOLD_DIR, ROOT
from corpus.seeds import load_seeds
from corpus.types import Claim, Document, Span
from corpus.version import bumped, current_version
from eval.cli import main

from conftest import TOKEN, invite_user

ARTICLE_A = ("Harbour officials said on 3 March 2031 that 1,200 containers were stuck at the quay.\n"
             "The port authority estimates about 300 more will arrive in April.\n")
ARTICLE_B = ("Two rescue teams reached the valley last week, the regional governor said.\n"
             "Volunteers reported 45 stranded hikers.\n")
META = {"A": ("https://news.example.org/harbour", "Example Harbour News", "2031-03-04"),
        "B": ("https://news.example.org/valley", "Example Valley Post", "2031-05-20")}
ANNOTATORS = ("ann1", "ann2")


def _span(text, needle, label, sid):
    start = text.index(needle)
    return Span(start, start + len(needle), label, needle, sid)


def _hand_annotations(doc_a: Document, doc_b: Document) -> dict[str, dict[str, Document]]:
    """ann1 reads both articles as the contract says; ann2 leaves out `port authority` (so C2 has no source),
    takes `governor` for `regional governor` (a boundary difference, so claim C1 of B differs in source) and
    reads the 1,200 containers as munitions (`materiel`: a target difference); every other target is `other`
    (cargo containers, rescue teams and hikers are none of the vocabulary's other values)."""
    a, b = doc_a.text, doc_b.text
    a_spans = [_span(a, "Harbour officials", "ATTRIBUTION", "T1"), _span(a, "3 March 2031", "DATE", "T2"),
               _span(a, "1,200", "QUANTITY", "T3"), _span(a, "port authority", "ATTRIBUTION", "T4"),
               _span(a, "about 300", "QUANTITY", "T5"), _span(a, "April", "DATE", "T6")]
    a1 = doc_a.with_spans(a_spans, [Claim("C1", "T3", "T1", "T2", 1200, 1200, False, "2031-03-03", "other"),
                                    Claim("C2", "T5", "T4", "T6", 300, 300, True, "2031-04", "other")])
    a2 = doc_a.with_spans([s for s in a_spans if s.id != "T4"],
                          [Claim("C1", "T3", "T1", "T2", 1200, 1200, False, "2031-03-03", "materiel"),
                           Claim("C2", "T5", None, "T6", 300, 300, True, "2031-04", "other")])
    b_spans = [_span(b, "Two", "QUANTITY", "T1"), _span(b, "last week", "DATE", "T2"),
               _span(b, "Volunteers", "ATTRIBUTION", "T4"), _span(b, "45", "QUANTITY", "T5")]
    claims_b = [Claim("C1", "T1", "T3", "T2", 2, 2, False, "2031-05", "other"),
                Claim("C2", "T5", "T4", None, 45, 45, target="other")]
    b1 = doc_b.with_spans(b_spans + [_span(b, "regional governor", "ATTRIBUTION", "T3")], claims_b)
    b2 = doc_b.with_spans(b_spans + [_span(b, "governor", "ATTRIBUTION", "T3")], claims_b)
    return {"ann1": {a1.id: a1, b1.id: b1}, "ann2": {a2.id: a2, b2.id: b2}}


@pytest.fixture(scope="module")
def people(label_studio):
    """Two annotators and an adjudicator, signed up through the invite link: email -> API token."""
    return {who: invite_user(label_studio, f"{who}@example.com", f"{who}-password-6194")
            for who in (*ANNOTATORS, "adjudicator")}


@pytest.fixture
def scratch(tmp_path, label_studio, monkeypatch):
    """Scratch seeds, gold, passes, corpus and AGREEMENT.md; the owner's token in the environment."""
    monkeypatch.setenv("LABEL_STUDIO_URL", label_studio)
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", TOKEN)
    dirs = {"seeds": tmp_path / "seeds", "gold": tmp_path / "gold", "passes": tmp_path / "passes",
            "corpus": tmp_path / "corpus", "agreement": tmp_path / "AGREEMENT.md"}
    shutil.copytree(ROOT / "seeds", dirs["seeds"])
    shutil.copytree(GOLD_DIR, dirs["gold"])
    dirs["corpus"].mkdir()
    shutil.copy2(CORPUS_DIR / "CHANGELOG.md", dirs["corpus"] / "CHANGELOG.md")
    shutil.copy2(ROOT / "annotation" / "AGREEMENT.md", dirs["agreement"])
    return dirs


def _add(dirs, tmp_path, key, text) -> Document:
    path = tmp_path / f"{key}.txt"
    path.write_text(text, encoding="utf-8")
    url, outlet, published = META[key]
    assert main(["add-article", str(path), "--url", url, "--outlet", outlet, "--published", published,
                 "--licence-note", "Written for the troopclaims tests", "--seeds-dir", str(dirs["seeds"])]) == 0
    records = [json.loads(line) for line in (dirs["seeds"] / "PROVENANCE.jsonl").read_text().splitlines()]
    doc_id = records[-1]["doc_id"]
    return Document(doc_id, text, published=published, published_note=f"as given by {outlet} ({url}) when added")


def _as(label_studio, token):
    from annotation.label_studio.sync import Server

    return connect(Server(label_studio, token))


def _tasks(ls, title):
    return {t["data"]["doc_id"]: t for t in export_tasks(ls, find_project(ls, title))}


def _snapshot(directory: Path) -> dict:
    return {p.relative_to(directory): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


def test_a_round_from_add_to_release(scratch, people, label_studio, tmp_path):
    real_gold = _snapshot(GOLD_DIR)
    doc_a, doc_b = _add(scratch, tmp_path, "A", ARTICLE_A), _add(scratch, tmp_path, "B", ARTICLE_B)
    seeds = len(load_seeds())  # however many articles earlier rounds added
    assert doc_a.id.startswith(f"{seeds:03d}_") and doc_b.id.startswith(f"{seeds + 1:03d}_")
    hand = _hand_annotations(doc_a, doc_b)
    owner = _as(label_studio, TOKEN)

    # An extractor's output goes in as predictions only: every task is still work to do.
    guess = doc_a.with_spans([_span(ARTICLE_A, "1,200", "QUANTITY", "")])
    pushed = push_round("r1", [doc_a.id, doc_b.id], predictions=("guess.v1", {doc_a.id: guess}),
                        seeds_dir=scratch["seeds"], gold_dir=scratch["gold"])
    assert pushed.imported == (doc_a.id, doc_b.id)
    project = owner.projects.get(id=pushed.project_id)
    assert project.maximum_annotations == 2
    tasks = _tasks(owner, round_project("r1"))
    assert all(t["annotations"] == [] for t in tasks.values())
    assert [p["model_version"] for p in tasks[doc_a.id]["predictions"]] == ["guess.v1"]
    assert tasks[doc_a.id]["data"]["published"] == "2031-03-04"

    for who in ANNOTATORS:
        ls = _as(label_studio, people[who])
        for doc in hand[who].values():
            ls.annotations.create(id=tasks[doc.id]["id"], result=document_result(doc), was_cancelled=False)

    pulled = pull_round("r1", passes_dir=scratch["passes"], seeds_dir=scratch["seeds"],
                        agreement_file=scratch["agreement"])
    assert pulled.annotators == ANNOTATORS and pulled.skipped == ()
    for who in ANNOTATORS:
        assert read_gold({d.id: d.text for d in (doc_a, doc_b)}, scratch["passes"] / "r1" / who) == hand[who]
    # By hand: ATTRIBUTION, ann1 {Harbour officials, port authority, regional governor, Volunteers} and ann2
    # {Harbour officials, governor, Volunteers}: 2 exact, 1 boundary, 1 only in ann1; exact F1 = 2*2/(4+3) = 0.571,
    # overlap F1 = 2*3/7 = 0.857. All: 11 and 10 spans, 9 exact -> 18/21 = 0.857, 10 overlapping -> 20/21 = 0.952.
    # Per document: A 2*5/(6+5) = 0.909 (both schemes); B exact 2*4/10 = 0.800, overlap 1.000.
    # Claims: A's C2 and B's C1 differ in their source, A's C1 in its target: 1 of 4 identical.
    # Targets: 3 of 4 agree (0.750); Cohen's kappa: chance agreement from ann1 {other 4} and ann2 {other 3,
    # materiel 1} is 4*3/16 = 0.75, so (0.75 - 0.75) / (1 - 0.75) = 0.000.
    report = pulled.report
    assert "| QUANTITY | 1.000 | 1.000 | 4 | 0 | 0 | 0 | 0 |" in report
    assert "| ATTRIBUTION | 0.571 | 0.857 | 2 | 1 | 0 | 1 | 0 |" in report
    assert "| DATE | 1.000 | 1.000 | 3 | 0 | 0 | 0 | 0 |" in report
    assert "| all | 0.857 | 0.952 | 9 | 1 | 0 | 1 | 0 |" in report
    assert f"| `{doc_a.id}` | 0.909 | 0.909 |" in report and f"| `{doc_b.id}` | 0.800 | 1.000 |" in report
    assert "Claims: 1 of 4 identical" in report and "differing fields: source 2, target 1" in report
    assert "Targets: 3 of 4 matched claims agree (0.750; Cohen's kappa 0.000); differing (A vs B): other vs materiel 1" in report
    assert any("'port authority'" in line for line in pulled.disagreements)
    assert any("'regional governor'" in line and "'governor'" in line for line in pulled.disagreements)
    section = scratch["agreement"].read_text(encoding="utf-8")
    assert section.count("<!-- round:r1:start -->") == 1 and report in section
    pull_round("r1", passes_dir=scratch["passes"], seeds_dir=scratch["seeds"], agreement_file=scratch["agreement"])
    assert scratch["agreement"].read_text(encoding="utf-8") == section  # regenerated in place, not appended

    adjudication = push_adjudication("r1", passes_dir=scratch["passes"], seeds_dir=scratch["seeds"], start_from="blank")
    assert adjudication.imported == (doc_a.id, doc_b.id) and adjudication.agreed == ()
    with pytest.raises(GoldError, match=rf"not adjudicated yet: {doc_a.id}, {doc_b.id}"):
        pull_adjudication("r1", passes_dir=scratch["passes"], seeds_dir=scratch["seeds"], gold_dir=scratch["gold"])
    judge = _as(label_studio, people["adjudicator"])
    to_judge = _tasks(judge, adjudication_project("r1"))
    for doc_id, task in to_judge.items():
        assert sorted(p["model_version"] for p in task["predictions"]) == [*ANNOTATORS, "blank"]
        assert task["annotations"] == []
        judge.annotations.create(id=task["id"], result=document_result(hand["ann1"][doc_id]), was_cancelled=False)
    settled = pull_adjudication("r1", passes_dir=scratch["passes"], seeds_dir=scratch["seeds"],
                                gold_dir=scratch["gold"])
    assert settled.written == (scratch["gold"] / f"{doc_a.id}.jsonl", scratch["gold"] / f"{doc_b.id}.jsonl")

    docs = {d.id: d for d in load_documents(scratch["seeds"], scratch["gold"])}  # validates
    assert docs[doc_a.id] == hand["ann1"][doc_a.id] and docs[doc_b.id] == hand["ann1"][doc_b.id]
    released = build(scratch["corpus"], seeds_dir=scratch["seeds"], gold_dir=scratch["gold"], bump="minor",
                     message="Round r1: two test articles", today="2031-06-01")
    before = load_documents()  # however many documents earlier rounds added
    expected = bumped(current_version(), "minor")  # from a release candidate: its release
    assert (released.version, released.documents, released.claims) == (
        expected, len(before) + 2, sum(len(d.claims) for d in before) + 4)
    card = (scratch["corpus"] / "README.md").read_text(encoding="utf-8")
    assert (f"| `{doc_a.id}` | test | Example Harbour News | <https://news.example.org/harbour> | 2031-03-04 "
            f"| 2031-03-04 | {expected} |") in card
    assert check(scratch["corpus"], seeds_dir=scratch["seeds"], gold_dir=scratch["gold"]).version == expected
    # The seed gold is untouched, in the scratch copy and in the repository.
    assert {p: b for p, b in _snapshot(scratch["gold"]).items() if p in real_gold} == real_gold
    assert _snapshot(GOLD_DIR) == real_gold


def test_a_skipped_task_is_listed_and_goes_to_adjudication(scratch, people, label_studio, tmp_path):
    doc_a = _add(scratch, tmp_path, "A", ARTICLE_A)
    hand = _hand_annotations(doc_a, Document("x", ARTICLE_B, published="2031-05-20"))
    push_round("r2", [doc_a.id], seeds_dir=scratch["seeds"], gold_dir=scratch["gold"])
    task = _tasks(_as(label_studio, TOKEN), round_project("r2"))[doc_a.id]
    _as(label_studio, people["ann1"]).annotations.create(id=task["id"], result=document_result(hand["ann1"][doc_a.id]),
                                                         was_cancelled=False)
    _as(label_studio, people["ann2"]).annotations.create(id=task["id"], result=[], was_cancelled=True)
    pulled = pull_round("r2", passes_dir=scratch["passes"], seeds_dir=scratch["seeds"],
                        agreement_file=scratch["agreement"])
    assert pulled.skipped == ((doc_a.id, "ann2"),) and pulled.annotators == ("ann1",)
    assert not (scratch["passes"] / "r2" / "ann2").exists()
    assert f"Skipped: `{doc_a.id}` by ann2." in pulled.report and "no agreement to compute" in pulled.report
    # One reading is not gold: the document goes to adjudication with the one pass there is.
    adjudication = push_adjudication("r2", passes_dir=scratch["passes"], seeds_dir=scratch["seeds"], start_from="blank")
    assert adjudication.imported == (doc_a.id,)
    [judged] = _tasks(_as(label_studio, TOKEN), adjudication_project("r2")).values()
    assert [p["model_version"] for p in judged["predictions"]] == ["ann1", "blank"]


def test_a_date_value_without_an_anchor_fails_the_pull(scratch, people, label_studio, tmp_path):
    text = "Inspectors visit the dam every few months, the ministry said; 12 gates were checked.\n"
    path = tmp_path / "dam.txt"
    path.write_text(text, encoding="utf-8")
    assert main(["add-article", str(path), "--url", "https://news.example.org/dam", "--outlet", "Example Post",
                 "--published", "2031-07", "--licence-note", "Written for the tests",
                 "--seeds-dir", str(scratch["seeds"])]) == 0
    doc_id = json.loads((scratch["seeds"] / "PROVENANCE.jsonl").read_text().splitlines()[-1])["doc_id"]
    doc = Document(doc_id, text, published="2031-07").with_spans(
        [_span(text, "every few months", "DATE", "T1"), _span(text, "ministry", "ATTRIBUTION", "T2"),
         _span(text, "12", "QUANTITY", "T3")], [Claim("C1", "T3", "T2", "T1", 12, 12, False, "2031-07", "other")])
    push_round("r3", [doc_id], seeds_dir=scratch["seeds"], gold_dir=scratch["gold"])
    task = _tasks(_as(label_studio, TOKEN), round_project("r3"))[doc_id]
    _as(label_studio, people["ann1"]).annotations.create(id=task["id"], result=document_result(doc),
                                                         was_cancelled=False)
    with pytest.raises(GoldError, match=r"date_value '2031-07' for 'every few months', which gives no calendar "
                                        r"anchor .* leave the date value empty"):
        pull_round("r3", passes_dir=scratch["passes"], seeds_dir=scratch["seeds"], agreement_file=scratch["agreement"])
    assert not scratch["passes"].exists()


class _DyingProxy:
    """A TCP relay to the real server that drops every connection, and stops listening, the moment the
    client asks to download an export: the server is gone mid-pull."""

    def __init__(self, target: str):
        host, port = target.removeprefix("http://").split(":")
        self.target = (host, int(port))
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.dead = threading.Event()
        self.sockets = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while not self.dead.is_set():
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            self.sockets += [client, upstream]
            threading.Thread(target=self._pipe, args=(client, upstream, True), daemon=True).start()
            threading.Thread(target=self._pipe, args=(upstream, client, False), daemon=True).start()

    def _pipe(self, src, dst, from_client):
        try:
            while data := src.recv(65536):
                if from_client and b"/download" in data:
                    self.die()
                    return
                dst.sendall(data)
        except OSError:
            pass

    def die(self):
        self.dead.set()
        self.listener.close()
        for s in self.sockets:
            try:
                s.shutdown(socket.SHUT_RDWR)
                s.close()
            except OSError:
                pass


def test_a_server_dying_mid_pull_writes_nothing(scratch, people, label_studio, tmp_path, monkeypatch):
    doc_a = _add(scratch, tmp_path, "A", ARTICLE_A)
    hand = _hand_annotations(doc_a, Document("x", ARTICLE_B, published="2031-05-20"))
    push_round("r4", [doc_a.id], seeds_dir=scratch["seeds"], gold_dir=scratch["gold"])
    task = _tasks(_as(label_studio, TOKEN), round_project("r4"))[doc_a.id]
    for who in ANNOTATORS:
        _as(label_studio, people[who]).annotations.create(id=task["id"], result=document_result(hand[who][doc_a.id]),
                                                          was_cancelled=False)
    agreement_before = scratch["agreement"].read_bytes()
    proxy = _DyingProxy(label_studio)
    monkeypatch.setenv("LABEL_STUDIO_URL", proxy.url)
    with pytest.raises(LabelStudioError, match=rf"Label Studio at {proxy.url}"):
        pull_round("r4", passes_dir=scratch["passes"], seeds_dir=scratch["seeds"], agreement_file=scratch["agreement"])
    assert proxy.dead.is_set()  # it died during the pull, after the export was made
    assert not scratch["passes"].exists() and scratch["agreement"].read_bytes() == agreement_before
    assert main(["ls", "pull-round", "r4", "--passes-dir", str(scratch["passes"]), "--seeds-dir",
                 str(scratch["seeds"]), "--agreement-file", str(scratch["agreement"])]) == 1
    assert not scratch["passes"].exists()


def _files(folder: Path, docs) -> list[Path]:
    """Annotation files as an annotator outside the browser writes them: <doc_id>.jsonl, the gold format."""
    folder.mkdir(parents=True, exist_ok=True)
    for doc in docs:
        (folder / f"{doc.id}.jsonl").write_text(dumps(doc), encoding="utf-8")
    return [folder / f"{doc.id}.jsonl" for doc in docs]


def test_files_submitted_by_two_annotators_agree_and_all_can_still_be_adjudicated(scratch, people, label_studio,
                                                                                  tmp_path, monkeypatch):
    """`ls submit` makes a file its caller's own annotation (created, then updated or unchanged, never another
    annotator's); a document both passes agree on is gold as is, unless `push-adjudication --all` gives it
    to the adjudicator, whose annotation then wins; pull-adjudication adds each pass against the gold to
    the round's agreement section."""
    doc_a = _add(scratch, tmp_path, "A", ARTICLE_A)
    hand = _hand_annotations(doc_a, Document("x", ARTICLE_B, published="2031-05-20"))
    agreed, judged = hand["ann1"][doc_a.id], hand["ann2"][doc_a.id]
    push_round("r5", [doc_a.id], seeds_dir=scratch["seeds"], gold_dir=scratch["gold"])
    sent = {}
    for who in ANNOTATORS:
        monkeypatch.setenv("LABEL_STUDIO_API_KEY", people[who])
        sent[who] = submit("r5", _files(tmp_path / who, [agreed]), seeds_dir=scratch["seeds"])
    assert sent["ann1"].created == sent["ann2"].created == (doc_a.id,)
    again = submit("r5", _files(tmp_path / "ann2", [agreed]), seeds_dir=scratch["seeds"])
    assert (again.created, again.updated, again.unchanged) == ((), (), (doc_a.id,))
    task = _tasks(_as(label_studio, TOKEN), round_project("r5"))[doc_a.id]
    assert len(task["annotations"]) == 2, "one annotation per annotator, the second submit replaced nothing"
    broken = tmp_path / "broken" / f"{doc_a.id}.jsonl"
    broken.parent.mkdir()
    broken.write_text(dumps(agreed).replace('"start": 0', '"start": 1', 1), encoding="utf-8")
    with pytest.raises(GoldError, match=rf"{doc_a.id}\.jsonl"):
        submit("r5", [broken], seeds_dir=scratch["seeds"])  # checked before anything is sent

    monkeypatch.setenv("LABEL_STUDIO_API_KEY", TOKEN)
    pull_round("r5", passes_dir=scratch["passes"], seeds_dir=scratch["seeds"], agreement_file=scratch["agreement"])
    plain = push_adjudication("r5", passes_dir=scratch["passes"], seeds_dir=scratch["seeds"], start_from="blank")
    assert (plain.imported, plain.agreed) == ((), (doc_a.id,))
    every = push_adjudication("r5", passes_dir=scratch["passes"], seeds_dir=scratch["seeds"], every=True,
                              start_from="blank")
    assert every.imported == (doc_a.id,)
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", people["adjudicator"])
    assert submit("r5", _files(tmp_path / "judge", [judged]), adjudication=True,
                  seeds_dir=scratch["seeds"]).created == (doc_a.id,)
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", TOKEN)
    settled = pull_adjudication("r5", passes_dir=scratch["passes"], seeds_dir=scratch["seeds"],
                                gold_dir=scratch["gold"], agreement_file=scratch["agreement"])
    assert settled.adjudicated == (doc_a.id,) and settled.agreed == ()
    gold = read_gold(load_seeds(scratch["seeds"]), scratch["gold"])[doc_a.id]
    assert gold == judged, "the adjudicator's annotation wins over the agreed passes"
    section = scratch["agreement"].read_text(encoding="utf-8")
    assert "ann1 (A) vs the adjudicated gold (B), 1 document(s)" in section
    assert "Targets: 1 of 2 matched claims agree" in section.split("ann2 (A) vs the adjudicated gold")[0]


def test_annotators_kept_apart_in_projects_of_their_own(scratch, people, label_studio, tmp_path, monkeypatch):
    """`--annotator NAME`: one project per annotator (each meant for a server of that annotator's own), one
    account's work per project, the pass named by the lead; a labeling config edited in the browser is
    refused; the adjudicator's editor starts from the pass the lead names, or from nothing."""
    from annotation.label_studio.config import label_config
    from annotation.label_studio.rounds import annotator_project

    doc_a = _add(scratch, tmp_path, "A", ARTICLE_A)
    hand = _hand_annotations(doc_a, Document("x", ARTICLE_B, published="2031-05-20"))
    owner = _as(label_studio, TOKEN)
    for who in ANNOTATORS:
        pushed = push_round("r7", [doc_a.id], seeds_dir=scratch["seeds"], gold_dir=scratch["gold"], annotator=who)
        assert owner.projects.get(id=pushed.project_id).maximum_annotations == 1
        monkeypatch.setenv("LABEL_STUDIO_API_KEY", people[who])
        submit("r7", _files(tmp_path / who, [hand[who][doc_a.id]]), seeds_dir=scratch["seeds"], annotator=who)
        monkeypatch.setenv("LABEL_STUDIO_API_KEY", TOKEN)
    assert find_project(owner, round_project("r7")) is None  # no shared project

    # ann2's work in ann1's project, even a skip, is refused: each project is one annotator's alone
    task = _tasks(owner, annotator_project("r7", "ann1"))[doc_a.id]
    skip = _as(label_studio, people["ann2"]).annotations.create(id=task["id"], result=[], was_cancelled=True)
    with pytest.raises(GoldError, match=r"'troopclaims round r7 for ann1' holds annotations by ann1, ann2"):
        pull_round("r7", passes_dir=scratch["passes"], seeds_dir=scratch["seeds"], agreement_file=None,
                   annotator="ann1")
    assert not scratch["passes"].exists()
    owner.annotations.delete(id=skip.id)

    # a labeling config edited in the browser is refused, then accepted once put back
    ann1_project = find_project(owner, annotator_project("r7", "ann1"))
    owner.projects.update(id=ann1_project, label_config=label_config().replace('hotkey="q"', 'hotkey="z"'))
    with pytest.raises(LabelStudioError, match=r"labeling config was changed in Label Studio"):
        pull_round("r7", passes_dir=scratch["passes"], seeds_dir=scratch["seeds"], agreement_file=None,
                   annotator="ann1")
    owner.projects.update(id=ann1_project, label_config=label_config())

    # ann1 opens ann2's project and presses Update on ann2's annotation, changing nothing (open-source Label
    # Studio lets any user do it): refused until ann2 submits it again, which `ls submit` then does
    theirs = _tasks(owner, annotator_project("r7", "ann2"))[doc_a.id]["annotations"][0]
    _as(label_studio, people["ann1"]).annotations.update(id=theirs["id"], result=theirs["result"])
    with pytest.raises(GoldError, match=rf"annotation {theirs['id']} by ann2 was last changed by ann1"):
        pull_round("r7", passes_dir=scratch["passes"], seeds_dir=scratch["seeds"], agreement_file=None,
                   annotator="ann2")
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", people["ann2"])
    assert submit("r7", _files(tmp_path / "ann2", [hand["ann2"][doc_a.id]]), seeds_dir=scratch["seeds"],
                  annotator="ann2").updated == (doc_a.id,)  # ann2's own again
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", TOKEN)

    for who in ANNOTATORS:
        pulled = pull_round("r7", passes_dir=scratch["passes"], seeds_dir=scratch["seeds"],
                            agreement_file=scratch["agreement"], annotator=who)
        assert pulled.annotators == (who,)
        assert read_gold(load_seeds(scratch["seeds"]), scratch["passes"] / "r7" / who)[doc_a.id] == hand[who][doc_a.id]
    assert "Targets: 1 of 2 matched claims agree" in pulled.report  # both passes, read from disk

    with pytest.raises(TroopclaimsError, match=r"--start-from 'ann3': not a pass of round r7; give one of ann1, ann2"):
        push_adjudication("r7", passes_dir=scratch["passes"], seeds_dir=scratch["seeds"], start_from="ann3")
    judged = push_adjudication("r7", passes_dir=scratch["passes"], seeds_dir=scratch["seeds"], start_from="ann2")
    project = owner.projects.get(id=judged.project_id)
    assert project.model_version == "ann2" and "starts from ann2's pass" in project.description
    judged = push_adjudication("r7", passes_dir=scratch["passes"], seeds_dir=scratch["seeds"], start_from="blank")
    project = owner.projects.get(id=judged.project_id)
    assert project.model_version == "blank" and "starts from nothing" in project.description
    predictions = _tasks(owner, adjudication_project("r7"))[doc_a.id]["predictions"]
    assert sorted((p["model_version"], p["result"] == []) for p in predictions) == \
        [("ann1", False), ("ann2", False), ("blank", True)]  # the clean slate is an empty prediction
    owner.predictions.delete(id=next(p["id"] for p in predictions if p["model_version"] == "blank"))
    push_adjudication("r7", passes_dir=scratch["passes"], seeds_dir=scratch["seeds"], start_from="blank")
    predictions = _tasks(owner, adjudication_project("r7"))[doc_a.id]["predictions"]
    assert sorted(p["model_version"] for p in predictions) == ["ann1", "ann2", "blank"]  # a task pushed before
