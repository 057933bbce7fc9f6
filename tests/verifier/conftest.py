"""Fixtures for the verification page tests: a real site, served on 127.0.0.1, seen by the system Chromium.

The browser is driven by ``browser.mjs`` (playwright-core, installed here by
``npm ci`` on first use, with the Debian ``chromium`` as its executable).
"""

from __future__ import annotations

import functools
import json
import shutil
import subprocess
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT
from unadocs.load import load_spec
from unadocs.resources import example_spec
from unadocs.seal.trust import TrustList
from unadocs.verifier.site import Site, build_verifier_site, partner_names

HERE = Path(__file__).resolve().parent
VECTORS = ROOT / "tests" / "vectors"
CHROMIUM = Path("/usr/bin/chromium")

#: The widths the page must work at: the narrowest phone, a common phone, a desktop.
NARROW, PHONE, DESKTOP = 320, 360, 1280


def install_playwright() -> None:
    """``npm ci`` in tests/verifier unless node_modules already holds the locked playwright-core."""
    lock = json.loads((HERE / "package-lock.json").read_text(encoding="utf-8"))
    wanted = lock["packages"]["node_modules/playwright-core"]["version"]
    installed = HERE / "node_modules" / "playwright-core" / "package.json"
    if installed.is_file() and json.loads(installed.read_text(encoding="utf-8"))["version"] == wanted:
        return
    npm = shutil.which("npm")
    assert npm is not None, "npm is needed for the browser tests (.ci/run installs it)"
    subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=HERE, check=True)


class Browser:
    """One Chromium for the session, spoken to through browser.mjs, one JSON line per command."""

    def __init__(self) -> None:
        node = shutil.which("node")
        assert node is not None, "node is needed for the browser tests (.ci/run installs it)"
        assert CHROMIUM.is_file(), "the Debian chromium package is needed for the browser tests"
        self._process = subprocess.Popen(
            [node, str(HERE / "browser.mjs")], cwd=HERE, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            text=True, encoding="utf-8", env={"PATH": "/usr/bin:/bin", "UNADOCS_CHROMIUM": str(CHROMIUM)},
        )
        self._lock = threading.Lock()

    def _ask(self, command: dict[str, Any]) -> dict[str, Any]:
        assert self._process.stdin is not None and self._process.stdout is not None
        with self._lock:
            self._process.stdin.write(json.dumps(command) + "\n")
            self._process.stdin.flush()
            line = self._process.stdout.readline()
        assert line, f"browser.mjs stopped (exit status {self._process.poll()})"
        answer: dict[str, Any] = json.loads(line)
        return answer

    def open(self, url: str, *, width: int = DESKTOP, height: int = 800, locale: str = "en-US",
             actions: list[dict[str, str]] | None = None, screenshot: Path | None = None,
             full_page: bool = False, scale: int = 1, lang: str | None = None) -> dict[str, Any]:
        """Open ``url`` in a fresh context, wait for the verdict, and return what the page shows and requested.

        ``lang`` opens it in a Chromium started in that language (``--lang`` and ``--accept-lang``), not in a
        context with a locale.
        """
        seen = self._ask({
            "cmd": "open", "url": url, "width": width, "height": height, "locale": locale, "lang": lang,
            "actions": actions or [], "screenshot": str(screenshot) if screenshot else None,
            "full_page": full_page, "scale": scale,
        })
        assert seen["ok"], seen
        return seen

    def verdicts(self, url: str, inputs: list[str]) -> list[dict[str, Any]]:
        """The verdicts of the page's seal.js on many inputs, without rendering them."""
        answer = self._ask({"cmd": "verdicts", "url": url, "inputs": inputs})
        assert answer["ok"], answer
        results: list[dict[str, Any]] = answer["results"]
        return results

    def close(self) -> None:
        assert self._process.stdin is not None and self._process.stdout is not None
        self._process.stdin.close()
        try:
            self._process.wait(timeout=30)
        finally:
            self._process.stdout.close()
            if self._process.poll() is None:
                self._process.kill()
                self._process.wait()


class _QuietHandler(SimpleHTTPRequestHandler):
    requested: list[str]

    def log_message(self, format: str, *args: Any) -> None:
        self.requested.append(self.path)


class Server:
    """A plain static file server on 127.0.0.1, like any host of the site, in a thread.

    ``requested`` lists the path of every request it answered: what the server could ever learn.
    """

    def __init__(self, directory: Path) -> None:
        self.requested: list[str] = []
        handler_class = type("Handler", (_QuietHandler,), {"requested": self.requested})
        handler = functools.partial(handler_class, directory=str(directory))
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        host, port = self._httpd.server_address[:2]
        self.origin = f"http://{host!s}:{port}"

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    install_playwright()
    driver = Browser()
    yield driver
    driver.close()


@pytest.fixture(scope="session")
def official_names() -> dict[str, str]:
    return partner_names(load_spec(example_spec()))


@pytest.fixture(scope="session")
def english() -> dict[str, str]:
    """The page's English words (messages/en.json)."""
    table: dict[str, str] = json.loads(
        (ROOT / "templates" / "verifier" / "messages" / "en.json").read_text(encoding="utf-8"))
    return table


@pytest.fixture(scope="session")
def vectors() -> list[dict[str, Any]]:
    doc = json.loads((VECTORS / "vectors.json").read_text(encoding="utf-8"))
    entries: list[dict[str, Any]] = doc["vectors"]
    return entries


@pytest.fixture(scope="session")
def vector_site(tmp_path_factory: pytest.TempPathFactory, official_names: dict[str, str]) -> Site:
    """The site for the shared vectors' trust list, with the example spec's official names."""
    return build_verifier_site(tmp_path_factory.mktemp("vector-site"), TrustList.load(VECTORS / "trust.json"),
                      names=official_names)


@pytest.fixture(scope="session")
def vector_server(vector_site: Site) -> Iterator[Server]:
    server = Server(vector_site.directory)
    yield server
    server.close()


@pytest.fixture(scope="session")
def page_url(vector_server: Server) -> str:
    """The verification page's address on the test server (add ``#token``)."""
    return f"{vector_server.origin}/index.html"


def vector(vectors: list[dict[str, Any]], name: str) -> dict[str, Any]:
    return next(v for v in vectors if v["name"] == name)


def fragment_of(link_or_token: str) -> str:
    """What a browser puts after '#' when the link is opened: the token."""
    return link_or_token.split("#", 1)[1] if "#" in link_or_token else link_or_token
