"""A local stand-in for an OpenAI-compatible Chat Completions server, over real HTTP on 127.0.0.1.

No model runs on these machines; the tests drive the real ``openai`` client
against this server. ``reply(body, n)`` decides each answer: it gets the
request body and how many times this document was asked before, and returns
a ``Reply``. Every request is logged (path, body, headers) for assertions.
"""
from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Reply:
    status: int = 200
    content: str | None = None  # the assistant message's content
    refusal: str | None = None
    choices: bool = True  # False: an empty ``choices`` list
    delay: float = 0.0
    headers: dict = field(default_factory=dict)
    raw: bytes | None = None  # a body sent as is (errors)
    trickle: float = 0.0  # seconds between the body's bytes: a server that never quite finishes


def completion(reply: Reply, model: str) -> bytes:
    message = {"role": "assistant", "content": reply.content, "refusal": reply.refusal}
    choices = [{"index": 0, "message": message, "finish_reason": "stop", "logprobs": None}] if reply.choices else []
    return json.dumps({"id": "chatcmpl-standin", "object": "chat.completion", "created": 0, "model": model,
                       "choices": choices,
                       "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}).encode()


class StandIn:
    """``with StandIn(reply) as server: server.url`` is a base URL ending in /v1."""

    def __init__(self, reply):
        self.reply = reply
        self.log: list[dict] = []
        self.lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output clean
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                with outer.lock:
                    user = body.get("messages", [{}])[-1].get("content", "")
                    n = sum(1 for r in outer.log if r["user"] == user)
                    outer.log.append({"path": self.path, "body": body, "user": user, "headers": dict(self.headers)})
                r = outer.reply(body, n) if self.path.endswith("/chat/completions") else Reply(404, raw=b"{}")
                if r.delay:
                    time.sleep(r.delay)
                data = r.raw if r.raw is not None else completion(r, body.get("model", ""))
                try:
                    self.send_response(r.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    for k, v in r.headers.items():
                        self.send_header(k, v)
                    self.end_headers()
                    if r.trickle:
                        for i in range(len(data)):
                            self.wfile.write(data[i:i + 1])
                            self.wfile.flush()
                            time.sleep(r.trickle)
                    else:
                        self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up (a timeout test)
                    pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> StandIn:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def asked(self, needle: str) -> int:
        """How many requests carried a user message containing ``needle``."""
        return sum(1 for r in self.log if needle in r["user"])


def gold_answer(doc) -> dict:
    """A document's gold written as an LLM would answer: strings only, no offsets, no context."""
    spans = doc.span_by_id()
    return {"mentions": [{"text": s.text, "label": s.label} for s in sorted(doc.spans)],
            "claims": [{"quantity": spans[c.quantity].text, "source": spans[c.source].text if c.source else None,
                        "date": spans[c.date].text if c.date else None, "low": c.low, "high": c.high,
                        "approximate": c.approximate, "date_value": c.date_value, "target": c.target}
                       for c in sorted(doc.claims, key=lambda c: spans[c.quantity].start)]}


def doc_of(body: dict, docs) -> object:
    """The gold document whose text the request's last user message carries."""
    user = body["messages"][-1]["content"]
    return next(d for d in docs.values() if d.text in user)
