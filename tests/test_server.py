"""The production server as configured in gunicorn.conf.py: clients that send their
request slowly do not stop it from answering others."""

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import REPO, free_port

GUNICORN = Path(sys.executable).parent / "gunicorn"


@pytest.fixture
def server(tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "SECRET_KEY": secrets.token_hex(16),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'server.sqlite'}",
        "BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "1",
        "THREADS": "4",
    }
    process = subprocess.Popen(
        [str(GUNICORN), "--config", "gunicorn.conf.py", "wsgi:app"],
        cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{url}/ping", timeout=1).read()
            break
        except OSError:
            time.sleep(0.1)
    yield port, url
    process.terminate()
    process.wait(timeout=10)


def test_slow_clients_do_not_stall_the_others(server):
    port, url = server
    slow = []
    for _ in range(2):  # as many slow clients as a 2-worker server had workers
        connection = socket.create_connection(("127.0.0.1", port))
        connection.sendall(b"GET /ping HTTP/1.1\r\nHost: x\r\n")  # and no end of headers
        slow.append(connection)
    try:
        for _ in range(3):
            assert urllib.request.urlopen(f"{url}/ping", timeout=5).read() == b"ok"
    finally:
        for connection in slow:
            connection.close()
