"""Issue 7: the browser-facing controls from a page on another origin, in headless Chromium.

A page served from one port calls the mock on another (cross-origin, same site): the control
plane, ``Prefer``, scenario rules, and sandboxes chosen by the query parameter and by a cookie
the page sets. Nothing is installed at run time; without Chromium the test is skipped, saying so.
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import shutil
import subprocess
import threading

import pytest

from handlers.app import create_app
from tests.live import LiveServer

CHROMIUM = next((path for path in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if path), None)
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]

PAGE = """<!doctype html><html><body><pre id="result">pending</pre><script>
const mock = "%(mock)s", auth = {"Authorization": "Bearer demo-admin-key"};
const json = {...auth, "Content-Type": "application/json"};
const model = mock + "/api/v1/models/gpt-4-assistant";
async function run() {
  const out = {};
  out.reset = (await fetch(mock + "/__mock/reset", {method: "POST", headers: auth})).status;
  out.prefer = (await fetch(model, {headers: {...auth, "Prefer": "code=404"}})).status;
  out.preferBody = await (await fetch(model, {headers: {...auth, "Prefer": "code=404"}})).json();
  out.queryPatch = (await fetch(model + "?mock_session=page-q", {method: "PATCH", headers: json,
                    body: JSON.stringify({summary: "query sandbox"})})).status;
  out.querySummary = (await (await fetch(model + "?mock_session=page-q", {headers: auth})).json()).summary;
  document.cookie = "mock_session=page-c; path=/";
  out.cookiePatch = (await fetch(model, {method: "PATCH", headers: json, credentials: "include",
                     body: JSON.stringify({summary: "cookie sandbox"})})).status;
  out.cookieSummary = (await (await fetch(model, {headers: auth, credentials: "include"})).json()).summary;
  out.defaultSummary = (await (await fetch(model, {headers: auth, credentials: "omit"})).json()).summary;
  out.rules = (await fetch(mock + "/__mock/rules", {method: "PUT", headers: json,
               body: JSON.stringify([{match: {operation: "listModels"}, status: 503}])})).status;
  out.ruled = (await fetch(mock + "/api/v1/models/", {headers: auth, credentials: "omit"})).status;
  const journal = await (await fetch(mock + "/__mock/requests?method=PATCH", {headers: auth})).json();
  out.journalSandboxes = journal.map(entry => entry.sandbox).sort();
  return out;
}
run().then(out => { document.getElementById("result").textContent = JSON.stringify(out); },
           error => { document.getElementById("result").textContent = "error: " + error; });
</script></body></html>"""


@pytest.fixture
def page_server(tmp_path):
    """Serves ``tmp_path`` on its own port: another origin than the mock's."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_controls_work_from_a_page_on_another_origin(tmp_path, page_server):
    if CHROMIUM is None:
        pytest.skip("no Chromium installed (chromium, chromium-browser or google-chrome on PATH): "
                    "the browser check of issue 7 cannot run here")
    mock = LiveServer(create_app())
    try:
        (tmp_path / "page.html").write_text(PAGE % {"mock": mock.root_url})
        result = subprocess.run(
            [CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=30000",
             "--dump-dom", f"{page_server}/page.html"],
            capture_output=True, text=True, timeout=180)
    finally:
        mock.stop()
    found = re.search(r'<pre id="result">(.*?)</pre>', result.stdout, re.S)
    assert found, result.stdout[-2000:] + result.stderr[-2000:]
    out = json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&"))
    assert out == {
        "reset": 200,
        "prefer": 404,
        "preferBody": {"detail": "Model 'gpt-4-assistant' not found"},
        "queryPatch": 200,
        "querySummary": "query sandbox",
        "cookiePatch": 200,
        "cookieSummary": "cookie sandbox",
        "defaultSummary": "GPT-4 model for customer support",
        "rules": 200,
        "ruled": 503,
        "journalSandboxes": ["page-c", "page-q"],
    }
