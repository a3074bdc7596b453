"""What the browser tests share: Debian's Chromium, launched the way this machine allows, and a
server started as a user would and waited for until it answers."""
import contextlib
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium")
ARTIFACTS = Path(__file__).parent / "artifacts"
# No network but the package registries: Chromium's own background connections are turned off.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
needs_chromium = [pytest.mark.browser, pytest.mark.skipif(CHROMIUM is None, reason="Debian chromium is not installed")]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serving(command: list[str], cwd=None, *, stop_timeout: float = 20):
    """Run ``command`` with ``--port PORT`` added until it answers ``/-/versions.json``; yield its
    address, then stop it.  A server that exits or stays silent for a minute fails the test with
    what it printed."""
    port = free_port()
    process = subprocess.Popen([*command, "--port", str(port)], cwd=cwd, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(url + "/-/versions.json", timeout=2)
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"{Path(command[0]).name} did not start: " + process.stdout.read().decode(errors="replace"))
            time.sleep(0.2)
    try:
        yield url
    finally:
        process.terminate()
        process.wait(timeout=stop_timeout)


@contextlib.contextmanager
def chromium():
    """A headless Chromium for one test module."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
