"""The query page in a real headless Chromium (Debian's ``chromium``), driven over the DevTools protocol.

The app is served over HTTP by waitress (in a thread) on an in-memory store with the seed article
ingested by the real pipeline. The test loads ``/``, runs the first example query ("Meetings of a
person": Vladimir Putin) from its button, waits for the YASGUI results table, and checks what the
seed says (seeds/000_e90bf088404a620c.txt, published January 22, 2025, a Wednesday): Putin and Xi
Jinping "held a wide-ranging video conference on Tuesday", i.e. a remote meeting on 2025-01-21.
It then follows the result link of the meeting to its page on this service. Every request the page
makes must go to the service's own origin (no CDN: it works offline). Screenshots are kept in
``tests/artifacts/`` (gitignored).

Needs: ``apt-get install -y chromium`` and the PyPI package ``websocket-client``; skipped otherwise.
"""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import REPO

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
WAIT = 60.0  # seconds a page may take to reach a state (a readiness limit, not a measured time)


class DevTools:
    """A minimal Chrome DevTools Protocol client for one page target (https://chromedevtools.github.io/devtools-protocol/).

    Args:
        ws_url: The page target's ``webSocketDebuggerUrl``.
    """

    def __init__(self, ws_url: str) -> None:
        import websocket

        self.ws = websocket.create_connection(ws_url, timeout=WAIT, suppress_origin=True)
        self.next_id = 0
        self.events: list[dict] = []

    def call(self, method: str, **params) -> dict:
        """Send one command and return its result; events arriving meanwhile are kept in ``events``."""
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise AssertionError(f"{method}: {message['error']}")
                return message.get("result", {})
            self.events.append(message)

    def evaluate(self, expression: str):
        """The value of a JavaScript expression in the page (promises awaited)."""
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise AssertionError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_for(self, expression: str, what: str):
        """Poll ``expression`` until it is truthy; fail after WAIT seconds naming ``what``."""
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            value = self.evaluate(expression)
            if value:
                return value
            time.sleep(0.1)
        raise AssertionError(f"the page never showed {what}; body: {self.evaluate('document.body.innerText')[:2000]}")

    def navigate(self, url: str) -> None:
        self.call("Page.navigate", url=url)
        self.wait_for(f"location.href === {json.dumps(url)} && document.readyState === 'complete'", f"{url} loaded")

    def screenshot(self, path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(self.call("Page.captureScreenshot", format="png")["data"]))
        return path

    def requested_urls(self) -> list[str]:
        return [e["params"]["request"]["url"] for e in self.events if e.get("method") == "Network.requestWillBeSent"]

    def close(self) -> None:
        self.ws.close()


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The real app over HTTP (waitress in a thread) on a store with the seed ingested; yields its base URL."""
    pytest.importorskip("websocket", reason="the browser test needs the PyPI package websocket-client")
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (Debian: apt-get install -y chromium)")
    from waitress.server import create_server

    from kg.pipeline import ingest
    from kg.store import open_store
    from service.app import create_app

    store = open_store("memory")
    report = ingest([str(REPO / "seeds")], store, quarantine=tmp_path_factory.mktemp("quarantine"))
    assert len(report.stored) == 1 and not report.failed and not report.quarantined, report
    server = create_server(create_app({"STORE": store}), host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()
    store.close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    """Headless Chromium with a fresh profile; yields a DevTools client on a new page."""
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (Debian: apt-get install -y chromium)")
    profile = tmp_path_factory.mktemp("chromium-profile")
    process = subprocess.Popen(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--window-size=1440,1000", f"--user-data-dir={profile}",
         "--remote-debugging-port=0", "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        port = _devtools_port(profile / "DevToolsActivePort", process)
        request = urllib.request.Request(f"http://127.0.0.1:{port}/json/new?about:blank", method="PUT")
        with urllib.request.urlopen(request) as response:
            target = json.load(response)
        page = DevTools(target["webSocketDebuggerUrl"])
        page.call("Page.enable")
        page.call("Runtime.enable")
        page.call("Network.enable")
        page.call("Emulation.setDeviceMetricsOverride", width=1440, height=1000, deviceScaleFactor=1, mobile=False)
        yield page
        page.close()
    finally:
        process.terminate()
        process.wait(timeout=30)


def _devtools_port(path: Path, process: subprocess.Popen) -> int:
    """The port Chromium chose for ``--remote-debugging-port=0`` (first line of DevToolsActivePort)."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"chromium exited with {process.returncode}: {process.stderr.read().decode()[-2000:]}")
        if path.is_file() and path.read_text().strip():
            return int(path.read_text().split()[0])
        time.sleep(0.1)
    raise AssertionError("chromium did not open its DevTools port")


ROWS = "Array.from(document.querySelectorAll('.yasr table.dataTable tbody tr')).map(tr => tr.innerText)"


def test_query_page_runs_an_example_and_links_results(served, browser):
    browser.navigate(served + "/")
    browser.wait_for("document.querySelector('.yasqe .CodeMirror') !== null", "the SPARQL editor")
    tabs = browser.evaluate("Array.from(document.querySelectorAll('.tabsList .tab')).map(t => t.innerText.split('\\n')[0].trim())")
    assert "Meetings of a person" in tabs, tabs
    # syntax highlighting: CodeMirror marks SPARQL keywords
    assert browser.evaluate("document.querySelectorAll('.yasqe .cm-keyword').length") > 0

    browser.evaluate("document.querySelector('button.example[data-example=\"01-meetings-of-a-person\"]').click()")
    browser.wait_for(f"{ROWS}.some(r => r.includes('Xi Jinping'))", "a result row with Xi Jinping")
    rows = browser.evaluate(ROWS)
    xi = [r for r in rows if "Xi Jinping" in r]
    assert len(xi) == 1 and "2025-01-21" in xi[0] and "Remote" in xi[0], rows
    assert "video conference" in xi[0], xi
    browser.screenshot(ARTIFACTS / "query-page.png")

    links = browser.evaluate("Array.from(document.querySelectorAll('.yasr a.iri')).map(a => a.href)")
    event_links = [href for href in links if "/id/event/" in href]
    assert event_links and all(href.startswith(served + "/id/") for href in event_links), links
    assert not [href for href in links if href.startswith("https://w3id.org/geokg/id/")], links

    meeting = browser.evaluate(
        "Array.from(document.querySelectorAll('.yasr table.dataTable tbody tr'))"
        ".filter(tr => tr.innerText.includes('Xi Jinping'))[0].querySelector('a.iri[href*=\"/id/event/\"]').href")
    browser.navigate(meeting)
    heading = browser.wait_for("document.querySelector('h1') && document.querySelector('h1').innerText", "a heading")
    assert heading.startswith("Meeting of") and "Vladimir Putin" in heading and "Xi Jinping" in heading, heading
    body = browser.evaluate("document.body.innerText")
    assert "held a wide-ranging video conference on Tuesday" in body
    browser.screenshot(ARTIFACTS / "meeting-page.png")

    browser.evaluate("Array.from(document.querySelectorAll('a')).find(a => a.innerText === 'Vladimir Putin').click()")
    browser.wait_for("document.querySelector('h1') && document.querySelector('h1').innerText === 'Vladimir Putin'",
                     "the page of Vladimir Putin")
    assert browser.evaluate("location.pathname") == "/id/entity/Q7747"
    assert browser.evaluate("document.querySelectorAll('#events tbody tr').length") >= 1
    browser.screenshot(ARTIFACTS / "actor-page.png")

    foreign = [url for url in browser.requested_urls() if not url.startswith((served + "/", "about:", "data:"))]
    assert not foreign, f"the pages requested other origins: {foreign}"
