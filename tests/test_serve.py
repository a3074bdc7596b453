"""``quotes serve`` as a service manager runs it: started, then stopped with SIGTERM, it leaves
nothing behind that listens on its port."""
import signal
import socket
import subprocess
import time
import urllib.request

import psutil

from .serving import free_port
from .test_robustness import QUOTES


def _listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def test_sigterm_stops_the_server_and_frees_the_port(seed_db, tmp_path):
    port = free_port()
    process = subprocess.Popen([QUOTES, "serve", "--db", str(seed_db), "--port", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=tmp_path)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                # run from a folder with no metadata.yml: the packaged metadata still comes with it
                metadata = urllib.request.urlopen(f"http://127.0.0.1:{port}/-/metadata.json", timeout=2).read()
                break
            except OSError:
                assert process.poll() is None and time.monotonic() < deadline, "quotes serve did not start"
                time.sleep(0.2)
        assert b"\"license\"" in metadata
        assert psutil.Process(process.pid).children(recursive=True) == [], "the server runs in a child process"
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert not _listening(port)
