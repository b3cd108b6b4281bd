"""llm.v1: a prompted LLM over any OpenAI-compatible Chat Completions server (vLLM, Ollama, llama.cpp, hosted).

What it does: sends each article with the versioned prompt ``llm_v1_prompt.md``
(the label contract's rules in prose; zero-shot unless a few-shot file is
given) and reads back a JSON answer of mention strings and string claims,
which the harness aligns to offsets (corpus/align.py). Temperature 0 and a
fixed seed; bounded concurrency; the ``openai`` client's retries with
backoff on 429 (honouring Retry-After), 5xx and timeouts; a per-request
timeout; structured output (a JSON schema in ``response_format``) where the
server takes it, else the first JSON object in the reply.

What it cannot do: run without a server and a model (the leaderboard skips it
unless asked). An unusable reply (refusal, no choices, no or malformed JSON,
failed request) leaves that document without predictions and says why in
the record's ``notes``; the other documents are kept.

Every completed reply is cached on disk, keyed by base URL, model, prompt
sha256, parameters and the document text's sha256: a rerun sends no
request and gives the same record. The API key is read from the
environment, never printed, logged, written or cached.
"""
from __future__ import annotations

import hashlib
import json
import os
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

from corpus.errors import FormatError, PredictionError, TroopclaimsError
from corpus.io import JSONError, parse_json, write_output
from corpus.labels import LABELS, TARGET_NAMES, TARGETS
from corpus.mentions import MentionDocument, parse_answer
from corpus.types import Document

PROMPT_PATH = Path(__file__).with_name("llm_v1_prompt.md")
DEFAULT_BASE_URL = "https://api.openai.com/v1"
DEFAULT_CONCURRENCY = 4
DEFAULT_RETRIES = 4
DEFAULT_REQUEST_TIMEOUT = 120.0
TEMPERATURE = 0.0
SEED = 20241029
MAX_OBJECT_STARTS = 100  # a reply of a million '{' is not searched a million times

_NULLABLE_STR = {"type": ["string", "null"]}
_NULLABLE_NUM = {"type": ["number", "null"]}
ANSWER_SCHEMA = {
    "type": "object", "additionalProperties": False, "required": ["mentions", "claims"],
    "properties": {
        "mentions": {"type": "array", "items": {
            "type": "object", "additionalProperties": False, "required": ["text", "label", "context"],
            "properties": {"text": {"type": "string"}, "label": {"type": "string", "enum": list(LABELS)},
                           "context": _NULLABLE_STR}}},
        "claims": {"type": "array", "items": {
            "type": "object", "additionalProperties": False,
            "required": ["quantity", "source", "date", "low", "high", "approximate", "date_value", "target"],
            "properties": {"quantity": {"type": "string"}, "source": _NULLABLE_STR, "date": _NULLABLE_STR,
                           "low": _NULLABLE_NUM, "high": _NULLABLE_NUM, "approximate": {"type": "boolean"},
                           "date_value": _NULLABLE_STR, "target": {"type": "string", "enum": list(TARGET_NAMES)}}}},
    },
}


class LLMError(TroopclaimsError):
    """A problem with the whole run (no model, key refused, unknown model), not one reply."""


class _Unreadable(Exception):
    """A reply that is not a chat completion: one document's problem, never cached."""


def render_prompt() -> str:
    """The prompt file with the target vocabulary filled in from the contract's one list (corpus.labels)."""
    targets = "\n".join(f"  - {name}: {definition}" for name, definition in TARGETS.items())
    return PROMPT_PATH.read_text(encoding="utf-8").replace("{TARGETS}", targets)


def _text(content) -> str | None:
    """A message's content as text: a string, or the text parts of a list of content parts; else None."""
    if content is None or isinstance(content, str):
        return content
    if isinstance(content, list):
        parts = [p.get("text") if isinstance(p, dict) else getattr(p, "text", None) for p in content]
        return "".join(p for p in parts if isinstance(p, str)) or None
    return None


def _sha256(data: str | bytes) -> str:
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


def default_cache_dir() -> Path:
    if os.environ.get("TROOPCLAIMS_CACHE"):
        return Path(os.environ["TROOPCLAIMS_CACHE"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "troopclaims" / "llm"


def first_json_object(content: str) -> dict | None:
    """The reply itself when it is a JSON object, else the first JSON object inside it (prose, code fences),
    tried from at most MAX_OBJECT_STARTS of its ``{``.

    JSON that ``corpus.io.parse_json`` refuses (nested thousands deep, lone surrogates, Infinity) counts
    as no object: the document gets no predictions and a note, the run goes on.
    """
    try:
        value = parse_json(content)
        if isinstance(value, dict):
            return value
    except JSONError:
        pass
    i, tries = content.find("{"), 0
    while i >= 0 and tries < MAX_OBJECT_STARTS:
        try:
            value = parse_json(content, start=i)
            if isinstance(value, dict):
                return value
        except JSONError:
            pass
        i, tries = content.find("{", i + 1), tries + 1
    return None


def read_few_shot(path: Path) -> list[tuple[str, dict]]:
    """``{"text": ..., "answer": {"mentions": [...], "claims": [...]}}`` per line, each answer checked."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise FormatError(f"{path}: cannot read the few-shot file ({exc.__class__.__name__}: "
                          f"{getattr(exc, 'strerror', None) or exc})") from None
    examples = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{path}:{n}"
        try:
            record = parse_json(line)
        except JSONError as exc:
            raise FormatError(f"{where}: {exc}") from None
        if not isinstance(record, dict) or set(record) != {"text", "answer"} or not isinstance(record["text"], str):
            raise FormatError(f"{where}: expected an object with exactly 'text' (a string) and 'answer'")
        parse_answer(record["answer"], "example", where)
        examples.append((record["text"], record["answer"]))
    if not examples:
        raise FormatError(f"{path}: no examples (one JSON object per line)")
    return examples


def _leaks(example: str, text: str) -> bool:
    """An example shares a document's text: the whole example, the whole document, or a line of 40+ characters."""
    squash = " ".join
    ex, doc = squash(example.split()), squash(text.split())
    if ex in doc or doc in ex:
        return True
    return any(len(line) >= 40 and squash(line.split()) in ex for line in text.splitlines())


class LLMExtractor:
    """See the module docstring. Options come from flags; the rest from OPENAI_* variables."""

    name = "llm.v1"

    def __init__(self, model: str | None = None, base_url: str | None = None, api_key_env: str | None = None,
                 few_shot: str | Path | None = None, cache_dir: str | Path | None = None, no_cache: bool = False,
                 concurrency: int | None = None, max_retries: int | None = None,
                 request_timeout: float | None = None, progress: bool | None = None):
        self.model = model or os.environ.get("OPENAI_MODEL")
        if not self.model:
            raise LLMError("llm.v1 needs a model: pass --model NAME or set OPENAI_MODEL")
        self.base_url = (base_url or os.environ.get("OPENAI_BASE_URL") or DEFAULT_BASE_URL).rstrip("/")
        self._key_env = api_key_env or "OPENAI_API_KEY"
        # None is unset; 0 is a value (no retries), never the default
        self.concurrency = DEFAULT_CONCURRENCY if concurrency is None else concurrency
        self.max_retries = DEFAULT_RETRIES if max_retries is None else max_retries
        self.request_timeout = DEFAULT_REQUEST_TIMEOUT if request_timeout is None else request_timeout
        for option, value, ok, allowed in (
                ("--concurrency", self.concurrency, type(self.concurrency) is int and self.concurrency >= 1,
                 "a whole number >= 1"),
                ("--max-retries", self.max_retries, type(self.max_retries) is int and self.max_retries >= 0,
                 "a whole number >= 0 (0: no retries)"),
                ("--request-timeout", self.request_timeout,
                 type(self.request_timeout) in (int, float) and 0 < self.request_timeout < float("inf"),
                 "a number of seconds above zero")):
            if not ok:
                raise LLMError(f"llm.v1: {option} {value!r}: expected {allowed}")
        self.prompt = render_prompt()
        self.few_shot_path = Path(few_shot) if few_shot else None
        self.examples = read_few_shot(self.few_shot_path) if self.few_shot_path else []
        self.cache_dir = None if no_cache else Path(cache_dir) if cache_dir else default_cache_dir()
        self.progress = progress
        self._structured = True
        self._openai = None  # the client, made on the first request
        self._lock = threading.Lock()
        prompt_sha = _sha256(self.prompt)
        shots = _sha256(json.dumps(self.examples, sort_keys=True)) if self.examples else None
        self._key_parts = {"base_url": self.base_url, "model": self.model, "prompt_sha256": prompt_sha,
                           "params": {"temperature": TEMPERATURE, "seed": SEED, "few_shot_sha256": shots}}
        self.system_name = f"llm.v1:{self.model}"  # two models rank side by side without renaming
        self.version = f"model={self.model}; prompt=sha256:{prompt_sha[:16]}" + \
            (f"; few-shot=sha256:{shots[:16]}" if shots else "")

    # --- messages and cache -------------------------------------------------------------------------------
    def messages(self, doc: Document) -> list[dict]:
        msgs = [{"role": "system", "content": self.prompt}]
        for text, answer in self.examples:
            msgs += [{"role": "user", "content": _user(text, None)},
                     {"role": "assistant", "content": json.dumps(answer, ensure_ascii=False)}]
        return msgs + [{"role": "user", "content": _user(doc.text, doc.published)}]

    def _cache_path(self, doc: Document) -> Path | None:
        if self.cache_dir is None:
            return None
        asked = _sha256(_user(doc.text, doc.published))  # the text and the publication date it is read against
        key = _sha256(json.dumps({**self._key_parts, "text_sha256": asked}, sort_keys=True))
        return self.cache_dir / key[:2] / f"{key}.json"

    # --- requests -----------------------------------------------------------------------------------------
    def _client(self):
        """Made on the first request, not before: ``import openai`` costs over a second, a cached rerun none."""
        with self._lock:
            if self._openai is None:
                from openai import OpenAI

                self._openai = OpenAI(base_url=self.base_url, api_key=os.environ.get(self._key_env) or "EMPTY",
                                      max_retries=self.max_retries, timeout=self.request_timeout,
                                      http_client=_deadline_client(self.request_timeout))
            return self._openai

    def _request(self, doc: Document, structured: bool | None = None) -> dict:
        """One completed reply as ``{"content", "refusal", "choices"}``; run-level problems raise LLMError."""
        import openai

        kwargs = {"model": self.model, "messages": self.messages(doc), "temperature": TEMPERATURE, "seed": SEED}
        structured = self._structured if structured is None else structured
        if structured:
            kwargs["response_format"] = {"type": "json_schema", "json_schema": {
                "name": "troopclaims_answer", "schema": ANSWER_SCHEMA, "strict": True}}
        try:
            response = self._client().chat.completions.create(**kwargs)
        except (openai.BadRequestError, openai.UnprocessableEntityError):
            if not structured:
                raise
            reply = self._request(doc, structured=False)  # this document without the schema
            self._structured = False  # that worked: the schema was the problem, not the document
            return reply
        except openai.AuthenticationError:
            raise LLMError(f"llm.v1: {self.base_url} refused the API key in ${self._key_env} (HTTP 401)") from None
        except openai.PermissionDeniedError:
            raise LLMError(f"llm.v1: {self.base_url} denied access to model {self.model!r} (HTTP 403)") from None
        except openai.NotFoundError:
            raise LLMError(f"llm.v1: {self.base_url} has no model {self.model!r} (HTTP 404); check --model "
                           "and --base-url (which usually ends in /v1)") from None
        if not hasattr(response, "choices"):  # a 200 that is not a chat completion (a web page, say)
            raise _Unreadable(f"the server's answer is not a chat completion ({type(response).__name__})")
        choices = response.choices or []
        message = choices[0].message if choices else None
        return {"choices": len(choices), "content": _text(getattr(message, "content", None)),
                "refusal": getattr(message, "refusal", None),
                "finish_reason": choices[0].finish_reason if choices else None}

    def _reply(self, doc: Document) -> tuple[dict | None, str | None]:
        """(reply, problem): a cached or fresh reply, or why there is none."""
        path = self._cache_path(doc)
        if path is not None and path.is_file():
            try:
                return parse_json(path.read_text(encoding="utf-8")), None
            except (ValueError, OSError):
                pass  # a damaged cache entry is asked again and replaced
        import openai

        try:
            reply = self._request(doc)
        except openai.APITimeoutError:
            return None, f"no reply within {self.request_timeout:g} s after {self.max_retries} retries"
        except openai.APIStatusError as exc:
            retried = exc.status_code in (408, 409, 429) or exc.status_code >= 500  # what the client retries
            return None, f"the server answered HTTP {exc.status_code}" + \
                (f" after {self.max_retries} retries" if retried else "")
        except (_Unreadable, ValueError) as exc:  # not cached: asked again next time
            return None, f"unreadable reply: {exc}"
        except openai.APIConnectionError:
            return None, f"could not connect to {self.base_url} after {self.max_retries} retries"
        except openai.APIError as exc:  # a reply the client could not read
            return None, f"unreadable reply ({type(exc).__name__})"
        if path is not None:
            write_output(path, json.dumps(reply, sort_keys=True) + "\n")  # ASCII: a lone surrogate is escaped
        return reply, None

    def answer(self, doc: Document) -> MentionDocument:
        """One document's answer in strings, or an empty one with a note saying why."""
        reply, problem = self._reply(doc)
        if reply is not None:
            if not reply["choices"]:
                problem = "the server returned no choices"
            elif reply.get("refusal"):
                problem = f"the model refused: {_printable(str(reply['refusal']))[:200]}"
            elif not reply.get("content"):
                problem = f"the reply has no content (finish_reason {reply.get('finish_reason')!r})"
            else:
                obj = first_json_object(reply["content"])
                if obj is None:
                    problem = f"no JSON object in the reply (finish_reason {reply.get('finish_reason')!r})"
                else:
                    try:
                        return parse_answer(obj, doc.id, "reply")
                    except PredictionError as exc:
                        problem = f"unusable JSON answer: {exc}"
        return MentionDocument(doc.id, notes=(f"llm.v1: {problem}; no predictions for this document",))

    def predict(self, docs: Sequence[Document]) -> list[MentionDocument]:
        from tqdm import tqdm

        for i, (text, _) in enumerate(self.examples, 1):
            for doc in docs:
                if _leaks(text, doc.text):
                    raise LLMError(f"{self.few_shot_path}: example {i} shares text with document {doc.id}; "
                                   "few-shot examples must not come from the test documents")
        out: dict[str, MentionDocument] = {}
        with ThreadPoolExecutor(max_workers=self.concurrency) as pool:
            futures = {pool.submit(self.answer, doc): doc.id for doc in docs}
            bar = tqdm(as_completed(futures), total=len(futures), desc="llm.v1", unit="doc",
                       disable=True if self.progress is False else None, leave=False)
            for future in bar:
                out[futures[future]] = future.result()
        failed = [out[d.id] for d in docs if out[d.id].notes]  # in document order, whatever finished first
        if docs and len(failed) == len(docs):
            raise LLMError(f"llm.v1 got no usable reply for any of the {len(docs)} documents; first: "
                           f"{failed[0].doc_id}: {failed[0].notes[0].removeprefix('llm.v1: ')}")
        return [out[d.id] for d in docs]


def _deadline_client(seconds: float):
    """An httpx client whose every reply is read whole within ``seconds`` of the request, or times out.

    httpx's timeouts are per read: a server trickling a byte at a time would hold a request, and the
    process, forever. The body is checked against the deadline at every chunk read; the timeout it
    raises is one the ``openai`` client retries, then reports.
    """
    import time

    import httpx

    class Stream(httpx.SyncByteStream):
        def __init__(self, inner, deadline: float):
            self.inner, self.deadline = inner, deadline

        def __iter__(self):
            for chunk in self.inner:
                if time.monotonic() > self.deadline:
                    raise httpx.ReadTimeout(f"the reply was not complete within {seconds:g} s")
                yield chunk

        def close(self):
            self.inner.close()

    class Transport(httpx.HTTPTransport):
        def handle_request(self, request):
            deadline = time.monotonic() + seconds
            response = super().handle_request(request)
            response.stream = Stream(response.stream, deadline)
            return response

    return httpx.Client(transport=Transport(), timeout=seconds, follow_redirects=True)


def _printable(text: str) -> str:
    """Text from a reply as a note can hold it: lone surrogates (not writable as UTF-8) replaced."""
    return text.encode("utf-8", "replace").decode("utf-8")


def _user(text: str, published: str | None) -> str:
    return f"Publication date: {published or 'unknown'}\n\nArticle:\n{text}"
