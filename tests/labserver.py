"""The lab served for real: `python demo.py` in a subprocess with its own home and cache, on a free port.

Shared by the tests that talk to a running server (gradio_client, the headless browser, the load test).
"""
from __future__ import annotations

import base64
import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import numpy as np
import pytest

from conftest import missing, require_module

ROOT = Path(__file__).resolve().parents[1]
STARTUP_TIMEOUT = 90
INHERITED_PATHS = ("GRADIO_TEMP_DIR", "KERAS_HOME")


class LabServer:
    def __init__(self, proc: subprocess.Popen, url: str, log: Path, cache: Path):
        self.proc, self.url, self.log, self.cache = proc, url, log, cache

    @property
    def checkpoints(self) -> Path:
        return self.cache / "rnn-zoo" / "checkpoints"

    def log_tail(self, chars: int = 6000) -> str:
        return self.log.read_text(errors="replace")[-chars:] if self.log.exists() else "(no log)"

    def children(self) -> set[int]:
        return children(self.proc.pid)

    def threads(self) -> int:
        return threads(self.proc.pid)


def children(pid: int) -> set[int]:
    """The child processes of ``pid``, from /proc; multiprocessing's resource tracker, which lives as
    long as its parent, aside."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            if parent == pid and b"resource_tracker" not in (entry / "cmdline").read_bytes():
                found.add(int(entry.name))
        except (OSError, IndexError, ValueError):
            continue  # it ended while we looked
    return found


def threads(pid: int) -> int:
    """How many threads process ``pid`` has, from /proc (native threads: Python's and the frameworks')."""
    status = (Path("/proc") / str(pid) / "status").read_text()
    return int(next(line for line in status.splitlines() if line.startswith("Threads:")).split()[1])


def alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has ended; only its exit status waits to be read


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve_lab(base: Path, env: dict | None = None, cwd: Path = ROOT, args: tuple[str, ...] = ()):
    """Start the lab (demo.py with ``args``) with HOME and XDG_CACHE_HOME under ``base``, wait until it
    answers, stop it after."""
    home, cache = base / "home", base / "cache"
    home.mkdir(exist_ok=True)
    cache.mkdir(exist_ok=True)
    log = base / "server.log"
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    # Not what importing zoo_lab or zoo_keras in this test process set (GRADIO_TEMP_DIR, KERAS_HOME): those point
    # into the real user's cache; the server derives its own from XDG_CACHE_HOME.
    inherited = {k: v for k, v in os.environ.items() if k not in INHERITED_PATHS}
    full_env = {**inherited, "HOME": str(home), "XDG_CACHE_HOME": str(cache), "GRADIO_ANALYTICS_ENABLED": "False",
                "PYTHONUNBUFFERED": "1", **(env or {})}
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, str(ROOT / "demo.py"), "--host", "127.0.0.1", "--port", str(port), *args],
                                cwd=cwd, env=full_env, stdout=out, stderr=subprocess.STDOUT)
    lab = LabServer(proc, url, log, cache)
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while True:
            if proc.poll() is not None:
                pytest.fail(f"the lab server exited with code {proc.returncode}:\n{lab.log_tail()}")
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"the lab server did not answer on {url} within {STARTUP_TIMEOUT} s:\n{lab.log_tail()}")
            time.sleep(0.5)
        yield lab
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)


def show_log_on_failure(request, server: LabServer):
    """For an autouse fixture: when a test fails, print the end of the server's log (the traceback is there)."""
    failed_before = request.session.testsfailed
    yield
    if request.session.testsfailed > failed_before:
        reporter = request.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line(f"\n----- lab server log (tail) for {request.node.name} -----\n{server.log_tail()}")


# ----- reading what the API returns -----
def queue_messages(server: "LabServer", api_name: str, data: list) -> list[dict]:
    """Every message of one queued call as the page receives them (Gradio's SSE stream: estimation, progress,
    process_generating, process_completed …), read with plain HTTP."""
    import secrets

    url = server.url.rstrip("/")
    config = json.load(urllib.request.urlopen(f"{url}/config", timeout=30))
    fn_index = next(k for k, d in enumerate(config["dependencies"]) if d.get("api_name") == api_name)
    session = secrets.token_hex(6)
    body = json.dumps({"data": data, "fn_index": fn_index, "session_hash": session, "event_data": None}).encode()
    join = urllib.request.Request(f"{url}/gradio_api/queue/join", body, {"Content-Type": "application/json"})
    urllib.request.urlopen(join, timeout=30).read()
    messages = []
    with urllib.request.urlopen(f"{url}/gradio_api/queue/data?session_hash={session}", timeout=300) as stream:
        for line in stream:
            if line.startswith(b"data:"):
                messages.append(json.loads(line[5:]))
                if messages[-1].get("msg") == "process_completed":
                    return messages
    raise AssertionError(f"the stream ended before its call completed: {messages!r:.2000}")


def page_control(client, elem_id: str) -> dict:
    """A control's properties as the page received them (its value, its choices), found by its elem_id:
    the page's own events are not documented API, so their defaults are read where the page reads them."""
    [props] = [c["props"] for c in client.config["components"] if c.get("props", {}).get("elem_id") == elem_id]
    return props


def plotly_array(value) -> np.ndarray:
    """A plotly JSON array, plain or typed (``{"dtype", "bdata", "shape"}``), as a NumPy array."""
    if isinstance(value, dict) and "bdata" in value:
        array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]))
        shape = value.get("shape")
        return array.reshape([int(n) for n in shape.split(",")]) if shape else array
    return np.asarray(value)


def figure(payload) -> dict:
    """A gr.Plot output as the plotly figure dict (checking it is a plotly payload at all)."""
    assert isinstance(payload, dict) and payload.get("type") == "plotly", f"not a plotly payload: {payload!r:.200}"
    return json.loads(payload["plot"])



# Debian's chromium (Playwright's own browser download cannot work here); the Makefile checks the same path.
CHROMIUM = Path(os.environ.get("RNN_ZOO_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


@contextlib.contextmanager
def chromium():
    """A headless Chromium driven by Playwright. Where chromium or Playwright is missing the test skips,
    and under CI (conftest.CI) it fails: `make test` installs both."""
    if not CHROMIUM.is_file():
        missing(f"{CHROMIUM} is not installed (make browser, or apt-get install chromium)")
    playwright_api = require_module("playwright.sync_api", "pip install 'rnn-zoo[test]'")
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def choose_file(page, elem_id: str, path) -> None:
    """Choose ``path`` in the gr.File ``#elem_id`` as a person does (click the drop zone, answer the file
    chooser) and wait until the page shows the uploaded file: clicking a button before the upload ends
    sends no file. The page shows a name's stem and suffix in elements of their own ("words", ".txt"), so
    the name is looked for in the zone's text with the line breaks between them taken out."""
    name = Path(path).name
    zone = page.locator(f"#{elem_id}")
    with page.expect_file_chooser(timeout=60_000) as chooser:
        zone.get_by_text("Click to Upload").click(timeout=60_000)
    chooser.value.set_files(str(path))
    deadline = time.monotonic() + 60
    while name not in zone.inner_text().replace("\n", ""):
        if time.monotonic() > deadline:
            raise AssertionError(f"the page never showed {name} in #{elem_id}: it shows {zone.inner_text()!r}")
        time.sleep(0.2)


def open_page(browser, server: LabServer, locale: str = "en-US"):
    """A new browser context in ``locale`` with the lab open; ``page.errors`` collects the page's script errors."""
    context = browser.new_context(locale=locale, viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda err: page.errors.append(str(err)))
    page.goto(server.url, wait_until="domcontentloaded")
    return context, page
