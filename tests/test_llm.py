"""llm.v1 against a local OpenAI-compatible stand-in, through the real `openai` client over HTTP."""
import json

import pytest

from eval.cli import main
from eval.goldset import load_goldset
from eval.score import evaluate
from eval.sources import resolve
from models.llm_v1 import _sha256, render_prompt
from tests.openai_standin import Reply, StandIn, doc_of, gold_answer


@pytest.fixture(scope="module")
def gold():
    return load_goldset()


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
    assert asked == 7  # five documents, two of them asked twice (500, then 429)
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
    assert len(structured) - sum(structured) == 5  # then one plain request per document
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
    assert len(written) == 6 and not any(secret in w for w in written)  # 5 cache entries and the record


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
