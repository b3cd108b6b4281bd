"""Shared fixtures: the seed texts, scratch copies of the project's inputs, one real Label Studio server.

The server binary comes from TROOPCLAIMS_LABEL_STUDIO (`make test` points it at
.venv-ls/bin/label-studio); it runs as an external program so its pins never
meet ours, on loopback, started once per test session.
"""
import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.request

import pytest

from corpus.paths import GOLD_DIR, SEEDS_DIR
from corpus.seeds import load_seeds


@pytest.fixture(scope="session")
def texts():
    """The seed texts (the validation split): most tests are written from them."""
    from corpus.provenance import read_provenance

    provenance = read_provenance()
    return {d: t for d, t in load_seeds().items() if provenance[d].split == "validation"}


@pytest.fixture
def sources(tmp_path):
    """Scratch copies of the validation documents (the seeds: texts, manifest, provenance, gold) plus an
    empty corpus dir: small sources a first build can release as 1.0.0."""
    return validation_sources(tmp_path)


def validation_sources(tmp_path):
    """(seeds, gold, corpus) folders under ``tmp_path`` holding the seed documents only."""
    from corpus.provenance import PROVENANCE, read_provenance, render_provenance
    from corpus.seeds import MANIFEST, read_manifest, render_manifest

    seeds = tmp_path / "seeds"
    gold = tmp_path / "gold"
    seeds.mkdir()
    gold.mkdir()
    kept = {d: r for d, r in read_provenance().items() if r.split == "validation"}
    for doc_id in kept:
        shutil.copy2(SEEDS_DIR / f"{doc_id}.txt", seeds)
        shutil.copy2(GOLD_DIR / f"{doc_id}.jsonl", gold)
    (seeds / PROVENANCE).write_text(render_provenance(kept), encoding="utf-8")
    manifest = read_manifest()
    (seeds / MANIFEST).write_text(render_manifest({d: manifest[d] for d in kept}), encoding="utf-8")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    return seeds, gold, corpus


BINARY_ENV = "TROOPCLAIMS_LABEL_STUDIO"
USER, PASSWORD, TOKEN = "annotator@example.com", "troopclaims-test-password", "troopclaims-test-token-4821"
# Settings Label Studio would read from the environment; the server gets ours only.
FOREIGN_ENV = {"HOST", "PORT", "USERNAME", "PASSWORD", "USER_TOKEN", "DJANGO_DB"}
STARTED = re.compile(r"Starting development server at (http://127\.0\.0\.1:\d+)/")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _healthy(url: str) -> bool:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback: never via a proxy
    try:
        with opener.open(f"{url}/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


@pytest.fixture(scope="session")
def label_studio(tmp_path_factory):
    """The URL of a fresh Label Studio with a user whose legacy token is TOKEN; stopped after the session."""
    binary = os.environ.get(BINARY_ENV, "")
    if not (binary and os.access(binary, os.X_OK)):
        reason = (f"no Label Studio server: {BINARY_ENV}={binary!r} is not an executable "
                  "(`make ls-server` installs .venv-ls/bin/label-studio)")
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    binary = os.path.abspath(binary)  # the server runs in its data dir
    data = tmp_path_factory.mktemp("label-studio")
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in FOREIGN_ENV and not k.startswith("LABEL_STUDIO_")}
    env.update(LABEL_STUDIO_BASE_DATA_DIR=str(data), LABEL_STUDIO_LATEST_VERSION_CHECK="false",
               LABEL_STUDIO_COLLECT_ANALYTICS="false", SENTRY_DSN="", FRONTEND_SENTRY_DSN="",
               LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK="true",
               # it also keeps a user id and caches under the XDG dirs: keep those in the scratch dir too
               XDG_CONFIG_HOME=str(data / "xdg-config"), XDG_CACHE_HOME=str(data / "xdg-cache"),
               XDG_DATA_HOME=str(data / "xdg-data"),
               # credentials in its environment, never on its command line (any process can read argv)
               LABEL_STUDIO_USERNAME=USER, LABEL_STUDIO_PASSWORD=PASSWORD, LABEL_STUDIO_USER_TOKEN=TOKEN)
    log_path = data / "server.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [binary, "start", "--no-browser", "--data-dir", str(data), "--internal-host", "127.0.0.1",
             "--port", str(port), "--host", f"http://127.0.0.1:{port}", "--enable-legacy-api-token"],
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=data)
    try:
        deadline = time.monotonic() + 180
        url = None
        while not (url and _healthy(url)):
            tail = log_path.read_text(errors="replace")
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"Label Studio did not come up (exit code {proc.poll()}); log tail:\n{tail[-3000:]}")
            if url is None and (m := STARTED.search(tail)):
                url = m[1]  # a taken port makes it move on to the next one: trust what it reports
            time.sleep(0.5)
        yield url
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def invite_user(url: str, email: str, password: str) -> str:
    """Sign a new account up through the organization's invite link, as a person would; returns its API token."""
    import httpx

    with httpx.Client(base_url=url, trust_env=False) as owner:
        link = owner.get("/api/invite", headers={"Authorization": f"Token {TOKEN}"}).raise_for_status().json()
    with httpx.Client(base_url=url, trust_env=False) as user:
        user.get(link["invite_url"]).raise_for_status()
        answer = user.post(link["invite_url"], headers={"Referer": url + link["invite_url"]},
                           data={"email": email, "password": password, "allow_newsletters": "false",
                                 "csrfmiddlewaretoken": user.cookies["csrftoken"]})
        assert answer.status_code == 302, f"signing up {email} failed: HTTP {answer.status_code}"
        return user.get("/api/current-user/token").raise_for_status().json()["token"]
