"""llm.v1 against a local OpenAI-compatible stand-in, through the real `openai` client over HTTP."""
import json

import pytest

from harness_fixtures import seeds_main as main  # written from the seed texts: the validation split
from eval.goldset import load_goldset
from eval.score import evaluate
from eval.sources import resolve
from models.llm_v1 import _sha256, render_prompt
from tests.openai_standin import Reply, StandIn, doc_of, gold_answer


@pytest.fixture(scope="module")
def gold():
    return load_goldset(split="validation")  # the seeds: the tests below are written from them


def answering(gold, faults=None):
    """A reply function: the gold as strings, except ``faults[doc index](n)`` for the documents listed."""
    order = sorted(gold.documents)

    def reply(body, n):
        doc = doc_of(body, gold.documents)
        fault = (faults or {}).get(order.index(doc.id))
        r = fault(n) if fault else None
        return r or Reply(content=json.dumps(gold_answer(doc)))
    return reply


def llm(server, tmp_path, **options):
    return resolve("llm.v1", model="stand-in", base_url=server.url, cache_dir=tmp_path / "cache", **options)


def scores_without_times(record):
    return {k: v for k, v in record.items() if k not in ("created", "duration_seconds")}


def test_gold_answered_as_strings_scores_one_everywhere(gold, tmp_path):
    with StandIn(answering(gold)) as server:
        record = evaluate(llm(server, tmp_path), gold)
    assert record["scores"]["seqeval_strict"]["micro"]["f1"] == 1.0
    assert record["scores"]["spans"]["overall"]["strict"]["f1"] == 1.0
    claims = record["scores"]["claims"]["summary"]
    assert claims["f1"] == 1.0 and claims["full_f1"] == 1.0
    assert record["notes"] == [] and record["mentions"]["unaligned"] == []
    body = server.log[0]["body"]
    assert body["temperature"] == 0 and isinstance(body["seed"], int)
    assert body["response_format"]["type"] == "json_schema"
    assert body["messages"][0]["content"] == render_prompt()
    version = record["extractor"]["version"]
    assert "model=stand-in" in version and _sha256(render_prompt())[:16] in version


def test_faults_are_noted_per_document_and_a_rerun_comes_from_the_cache(gold, tmp_path):
    good = None
    faults = {
        0: lambda n: Reply(500, raw=b'{"error": {"message": "boom"}}') if n == 0 else good,
        1: lambda n: Reply(429, raw=b'{"error": {"message": "slow down"}}', headers={"Retry-After": "1"})
        if n == 0 else good,
        2: lambda n: Reply(content="Here is the answer:\n```json\n"
                           + json.dumps(gold_answer(gold.documents[sorted(gold.documents)[2]]))
                           + "\n```\nI hope this helps."),
        3: lambda n: Reply(content='{"mentions": [{"text": "11,000", "label": '),
        4: lambda n: Reply(refusal="I can't help with military topics."),
    }
    order = sorted(gold.documents)
    with StandIn(answering(gold, faults)) as server:
        first = evaluate(llm(server, tmp_path), gold)
        asked = len(server.log)
        second = evaluate(llm(server, tmp_path), gold)
        assert len(server.log) == asked  # every completed reply came from the cache
    assert asked == len(gold.documents) + 2  # every document, two of them asked twice (500, then 429)
    per_doc = first["per_document"]
    assert [per_doc[d]["strict_micro_f1"] for d in order[:3]] == [1.0, 1.0, 1.0]
    assert per_doc[order[3]]["strict_micro_f1"] == 0.0 and per_doc[order[4]]["strict_micro_f1"] == 0.0
    assert len(first["notes"]) == 2
    assert first["notes"][0].startswith(f"{order[3]}: llm.v1: no JSON object in the reply")
    assert first["notes"][1].startswith(f"{order[4]}: llm.v1: the model refused: I can't help")
    assert scores_without_times(second) == scores_without_times(first)


def test_empty_choices_and_a_reply_slower_than_the_timeout(gold, tmp_path):
    faults = {0: lambda n: Reply(choices=False), 1: lambda n: Reply(delay=1.5)}
    order = sorted(gold.documents)
    with StandIn(answering(gold, faults)) as server:
        record = evaluate(llm(server, tmp_path, request_timeout=0.4, max_retries=1), gold)
        assert server.asked(gold.documents[order[1]].text) == 2  # one retry after the timeout
        before = len(server.log)
        evaluate(llm(server, tmp_path, request_timeout=0.4, max_retries=0), gold)
        assert len(server.log) == before + 1  # only the timed-out document is asked again
    assert record["notes"] == [f"{order[0]}: llm.v1: the server returned no choices; no predictions for this document",
                               f"{order[1]}: llm.v1: no reply within 0.4 s after 1 retries; no predictions for this "
                               "document"]
    assert [record["per_document"][d]["strict_micro_f1"] for d in order[2:]] == [1.0, 1.0, 1.0]


def test_a_server_without_json_schema_gets_plain_requests(gold, tmp_path):
    inner = answering(gold)

    def reply(body, n):
        if "response_format" in body:
            return Reply(400, raw=b'{"error": {"message": "response_format is not supported"}}')
        return inner(body, n)

    with StandIn(reply) as server:
        record = evaluate(llm(server, tmp_path, no_cache=True), gold)
    assert record["scores"]["seqeval_strict"]["micro"]["f1"] == 1.0
    structured = [("response_format" in r["body"]) for r in server.log]
    assert 1 <= sum(structured) <= 4  # only those already under way when the first refusal came (concurrency 4)
    assert len(structured) - sum(structured) == len(gold.documents)  # then one plain request per document
    assert not (tmp_path / "cache").exists()  # --no-cache writes nothing


def test_the_api_key_is_sent_but_never_printed_written_or_cached(gold, tmp_path, monkeypatch, capsys):
    secret = "sk-test-Very-Secret-4242"
    monkeypatch.setenv("OPENAI_API_KEY", secret)
    out = tmp_path / "result.json"
    with StandIn(answering(gold)) as server:
        code = main(["score", "--extractor", "llm.v1", "--model", "stand-in", "--base-url", server.url,
                     "--cache-dir", str(tmp_path / "cache"), "--out", str(out)])
    assert code == 0
    assert {k.lower(): v for k, v in server.log[0]["headers"].items()}["authorization"] == f"Bearer {secret}"
    printed = capsys.readouterr()
    assert secret not in printed.out + printed.err
    written = [p.read_text(encoding="utf-8") for p in tmp_path.rglob("*") if p.is_file()]
    assert len(written) == len(gold.documents) + 1 and not any(secret in w for w in written)  # cache and record


def test_a_refused_key_is_one_line_naming_the_variable_not_the_key(gold, tmp_path, monkeypatch, capsys):
    secret = "sk-test-Wrong-Key-777"
    monkeypatch.setenv("OPENAI_API_KEY", secret)
    with StandIn(lambda body, n: Reply(401, raw=b'{"error": {"message": "Incorrect API key sk-test-Wrong-Key-777"}}')) \
            as server:
        code = main(["score", "--extractor", "llm.v1", "--model", "m", "--base-url", server.url, "--no-cache",
                     "--out", str(tmp_path / "r.json")])
    err = capsys.readouterr().err
    assert code == 1 and "refused the API key in $OPENAI_API_KEY (HTTP 401)" in err
    assert secret not in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "r.json").exists()


def test_no_model_is_a_clear_error(monkeypatch, capsys):
    monkeypatch.delenv("OPENAI_MODEL", raising=False)
    assert main(["score", "--extractor", "llm.v1"]) == 1
    assert "llm.v1 needs a model: pass --model NAME or set OPENAI_MODEL" in capsys.readouterr().err


def test_few_shot_examples_are_sent_and_test_text_is_refused(gold, tmp_path):
    fresh = tmp_path / "shots.jsonl"
    example = {"text": "Officials said on Monday that about 300 soldiers had arrived.",
               "answer": {"mentions": [{"text": "Officials", "label": "ATTRIBUTION"},
                                       {"text": "Monday", "label": "DATE"},
                                       {"text": "about 300", "label": "QUANTITY"}],
                          "claims": [{"quantity": "about 300", "source": "Officials", "date": "Monday",
                                      "low": 300, "high": 300, "approximate": True}]}}
    fresh.write_text(json.dumps(example) + "\n", encoding="utf-8")
    with StandIn(answering(gold)) as server:
        record = evaluate(llm(server, tmp_path, few_shot=fresh, no_cache=True), gold)
        messages = server.log[0]["body"]["messages"]
    assert [m["role"] for m in messages] == ["system", "user", "assistant", "user"]
    assert example["text"] in messages[1]["content"] and json.loads(messages[2]["content"]) == example["answer"]
    assert "few-shot=sha256:" in record["extractor"]["version"]

    leaking = tmp_path / "leak.jsonl"
    paragraph = max(gold.documents[sorted(gold.documents)[1]].text.splitlines(), key=len)
    leaking.write_text(json.dumps({**example, "text": "Background. " + paragraph}) + "\n", encoding="utf-8")
    from corpus.errors import TroopclaimsError
    with StandIn(answering(gold)) as server, pytest.raises(TroopclaimsError, match="example 1 shares text with"):
        evaluate(llm(server, tmp_path, few_shot=leaking, no_cache=True), gold)
        assert server.log == []


def test_the_leaderboard_runs_llm_v1_only_when_asked():
    from models.registry import NEEDS_SERVICE, offline_names

    assert "llm.v1" in NEEDS_SERVICE and "llm.v1" not in offline_names()


def test_odd_replies_are_noted_not_cached_and_one_bad_document_keeps_the_schema_for_the_rest(gold, tmp_path):
    """Content given as a list of text parts is read; a 200 that is not a chat completion is a note (and asked
    again next time); a 400 for one document (too long, say) does not switch structured output off."""
    order = sorted(gold.documents)
    first = gold.documents[order[0]]
    faults = {
        0: lambda n: Reply(raw=json.dumps({"id": "x", "object": "chat.completion", "created": 0, "model": "m",
                                           "choices": [{"index": 0, "finish_reason": "stop", "message": {
                                               "role": "assistant", "content": [
                                                   {"type": "text", "text": json.dumps(gold_answer(first))}]}}]}
                                          ).encode()),
        1: lambda n: Reply(raw=b"<html>not an API</html>", headers={"Content-Type": "text/html"}),
        2: lambda n: Reply(400, raw=b'{"error": {"message": "this document is too long"}}'),
    }
    with StandIn(answering(gold, faults)) as server:
        record = evaluate(llm(server, tmp_path), gold)
        log = list(server.log)
        evaluate(llm(server, tmp_path), gold)
        again = server.log[len(log):]
    assert record["per_document"][order[0]]["strict_micro_f1"] == 1.0
    notes = dict(n.split(": ", 1) for n in record["notes"])
    assert notes[order[1]].startswith("llm.v1: unreadable reply")
    assert notes[order[2]] == "llm.v1: the server answered HTTP 400; no predictions for this document"
    asked_again = {d for d in order for r in again if gold.documents[d].text in r["user"]}
    assert asked_again == {order[1], order[2]}  # the unreadable and the refused one; the rest came from the cache
    later = [("response_format" in r["body"]) for r in log if gold.documents[order[3]].text in r["user"]]
    assert later == [True]  # the document after the refused one still asked with the schema


def test_replies_nested_deep_or_with_lone_surrogates_leave_only_their_document_empty(gold, tmp_path, capsys):
    """JSON no input may hold (corpus.io.parse_json) in a reply is that document's problem, noted; the run,
    the cache and the record written survive it."""
    order = sorted(gold.documents)
    bad_text = json.dumps({"mentions": [{"text": "CNN\ud800", "label": "ATTRIBUTION"}], "claims": []},
                          ensure_ascii=False)  # a raw lone surrogate in the content the client decodes
    faults = {0: lambda n: Reply(content='{"mentions": ' + "[" * 5000 + "]" * 5000 + ', "claims": []}'),
              1: lambda n: Reply(content=bad_text),
              2: lambda n: Reply(refusal="no\ud800 thanks")}
    out = tmp_path / "r.json"
    with StandIn(answering(gold, faults)) as server:
        argv = ["score", "--extractor", "llm.v1", "--model", "m", "--base-url", server.url,
                "--cache-dir", str(tmp_path / "cache"), "--out", str(out)]
        assert main(argv) == 0
        first = json.loads(out.read_text(encoding="utf-8"))
        assert main(argv) == 0  # again, from the cache (which escaped the surrogate)
    assert "Traceback" not in capsys.readouterr().err
    notes = dict(n.split(": ", 1) for n in first["notes"])
    assert sorted(notes) == order[:3]
    assert notes[order[0]].startswith("llm.v1: no JSON object in the reply")
    assert notes[order[1]].startswith("llm.v1: no JSON object in the reply")
    assert notes[order[2]].startswith("llm.v1: the model refused: no? thanks")  # writable as UTF-8
    assert [first["per_document"][d]["strict_micro_f1"] for d in order[3:]] == [1.0] * len(order[3:])
    assert json.loads(out.read_text(encoding="utf-8"))["scores"] == first["scores"]


def test_a_trickling_reply_is_stopped_at_the_timeout_and_max_retries_0_means_none(gold, tmp_path):
    """A real process: one server trickles a byte every 50 ms (httpx's per-read timeout never fires), one
    answers 500; with --request-timeout 1 --max-retries 0 each is asked once and the process exits."""
    import os
    import subprocess
    import sys
    import time

    from corpus.paths import ROOT

    order = sorted(gold.documents)
    faults = {0: lambda n: Reply(content=json.dumps(gold_answer(gold.documents[order[0]])), trickle=0.05),
              1: lambda n: Reply(500, raw=b'{"error": {"message": "boom"}}')}
    with StandIn(answering(gold, faults)) as server:
        began = time.monotonic()
        proc = subprocess.run([sys.executable, "-m", "eval.cli", "score", "--split", "validation", "--extractor", "llm.v1", "--model", "m",
                               "--base-url", server.url, "--no-cache", "--request-timeout", "1", "--max-retries", "0",
                               "--out", str(tmp_path / "r.json")], cwd=ROOT, capture_output=True, text=True,
                              timeout=120, env={k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")})
        took = time.monotonic() - began
        asked = [server.asked(gold.documents[d].text) for d in order[:2]]
    assert proc.returncode == 0, proc.stderr
    assert asked == [1, 1]  # --max-retries 0: no retry, not the default four
    notes = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["notes"]
    assert notes[0] == f"{order[0]}: llm.v1: no reply within 1 s after 0 retries; no predictions for this document"
    assert notes[1].startswith(f"{order[1]}: llm.v1: the server answered HTTP 500 after 0 retries")
    assert took < 60  # the trickle alone would take minutes


def test_records_are_named_by_model_and_two_models_rank_side_by_side(gold, tmp_path, capsys):
    results = tmp_path / "results"
    with StandIn(answering(gold)) as server:
        for model in ("model-a", "model-b"):
            assert main(["score", "--extractor", "llm.v1", "--model", model, "--base-url", server.url,
                         "--cache-dir", str(tmp_path / "cache"), "--out", str(results / f"{model}.json")]) == 0
        assert main(["score", "--extractor", "llm.v1", "--model", "model-a", "--base-url", server.url,
                     "--cache-dir", str(tmp_path / "cache"), "--name", "my tuned prompt",
                     "--out", str(tmp_path / "named.json")]) == 0
    names = [json.loads((results / f"{m}.json").read_text(encoding="utf-8"))["extractor"]["name"]
             for m in ("model-a", "model-b")]
    assert names == ["llm.v1:model-a", "llm.v1:model-b"]
    assert json.loads((tmp_path / "named.json").read_text(encoding="utf-8"))["extractor"]["name"] == "my tuned prompt"
    capsys.readouterr()
    assert main(["leaderboard", "--results", str(results), "--only-given", "--out", str(tmp_path / "board"),
                 "--no-progress", "--samples", "100"]) == 0
    table = (tmp_path / "board" / "leaderboard.md").read_text(encoding="utf-8")
    assert "| `llm.v1:model-a` |" in table and "| `llm.v1:model-b` |" in table
    (results / "copy.json").write_bytes((results / "model-a.json").read_bytes())
    assert main(["leaderboard", "--results", str(results), "--only-given", "--out", str(tmp_path / "b2"),
                 "--no-progress"]) == 1
    assert "two systems named llm.v1_model-a" in capsys.readouterr().err  # the same name twice: still refused
