"""Reaching Neo4j: a wrong, dead or silent address gives one line and a non-zero exit within the
timeout, and `--backend auto` falls back within the same seconds. Needs no Neo4j server: the
silent ones are tiny socket servers in this process."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest

from mechgraph.errors import BackendUnavailable, MechGraphError
from mechgraph.store import Connection

GENEROUS = 60  # seconds a subprocess may take before the test calls it a hang


def mechgraph(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run the real command line in a fresh process (the driver's threads and sockets die with it)."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    return subprocess.run(
        [sys.executable, "-m", "mechgraph", *args], capture_output=True, text=True, timeout=GENEROUS,
        env={**clean, **(env or {})},
    )


@contextmanager
def socket_server(handle: Callable[[socket.socket], None]) -> Iterator[int]:
    """A loopback TCP server on a free port that hands every connection to `handle` in a thread."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(16)
    held: list[socket.socket] = []

    def serve() -> None:
        while True:
            try:
                c, _ = srv.accept()
            except OSError:
                return
            held.append(c)
            threading.Thread(target=handle, args=(c,), daemon=True).start()

    threading.Thread(target=serve, daemon=True).start()
    try:
        yield srv.getsockname()[1]
    finally:
        srv.close()
        for c in held:
            c.close()


def stay_silent(c: socket.socket) -> None:
    """Accept and never answer: what a hung process or a firewall black hole looks like."""
    while c.recv(1024):
        pass


def _packstream_success(meta: dict[str, str]) -> bytes:
    """A Bolt SUCCESS message carrying string metadata, chunked as on the wire."""
    def text(s: str) -> bytes:
        b = s.encode()
        return bytes([0x80 | len(b)]) + b

    body = bytes([0xB1, 0x70, 0xA0 | len(meta)]) + b"".join(text(k) + text(v) for k, v in meta.items())
    return len(body).to_bytes(2, "big") + body + b"\x00\x00"


def shake_hands_then_stall(c: socket.socket) -> None:
    """Speak Bolt 5.4 up to the login, then never answer a query: a server that hangs after connecting."""
    c.recv(20)  # magic + four version proposals
    c.sendall(bytes([0, 0, 4, 5]))
    for reply in (_packstream_success({"server": "Neo4j/5.26.0", "connection_id": "bolt-1"}), _packstream_success({})):
        if not c.recv(65536):  # HELLO, then LOGON
            return
        c.sendall(reply)
    stay_silent(c)


def one_error_line(proc: subprocess.CompletedProcess) -> str:
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    return lines[0]


@pytest.mark.parametrize("server", [stay_silent, shake_hands_then_stall], ids=["silent-port", "silent-after-login"])
def test_a_server_that_never_answers_gives_one_line_within_the_timeout(server):
    with socket_server(server) as port:
        proc = mechgraph("--backend", "neo4j", "--uri", f"bolt://127.0.0.1:{port}", "--timeout", "1", "stats")
    assert proc.returncode == 1
    line = one_error_line(proc)
    assert f"bolt://127.0.0.1:{port}" in line and "within 1 s" in line
    assert "scripts/neo4j-local.sh start" in line and "docker compose up" in line


def test_neo4j_timeout_sets_the_wait_and_the_default_is_a_few_seconds(monkeypatch):
    for name in [k for k in os.environ if k.startswith("NEO4J_")]:
        monkeypatch.delenv(name)
    assert Connection.from_env().timeout == 5
    with socket_server(stay_silent) as port:
        from_env = mechgraph("--backend", "neo4j", "stats",
                             env={"NEO4J_URI": f"bolt://127.0.0.1:{port}", "NEO4J_TIMEOUT": "1"})
    assert from_env.returncode == 1 and "within 1 s" in one_error_line(from_env)


@pytest.mark.slow  # waits out the whole default (5 s): CI runs it
def test_the_command_line_waits_the_default_five_seconds():
    with socket_server(stay_silent) as port:
        default = mechgraph("--backend", "neo4j", "stats", env={"NEO4J_URI": f"bolt://127.0.0.1:{port}"})
    assert default.returncode == 1 and "within 5 s" in one_error_line(default)


def test_auto_falls_back_to_the_embedded_graph_with_one_notice():
    with socket_server(stay_silent) as port:
        proc = mechgraph("--backend", "auto", "--uri", f"bolt://127.0.0.1:{port}", "--timeout", "1", "stats", "--json")
    assert proc.returncode == 0
    notice = one_error_line(proc)
    assert notice.startswith("notice: ") and f"bolt://127.0.0.1:{port}" in notice and "embedded" in notice
    assert '"nodes"' in proc.stdout


def test_nothing_listening_says_so_at_once():
    with socket.socket() as s:  # a port that was free a moment ago: nothing listens there
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = mechgraph("--backend", "neo4j", "--uri", f"bolt://127.0.0.1:{port}", "stats")
    assert proc.returncode == 1
    line = one_error_line(proc)
    assert f"bolt://127.0.0.1:{port}" in line and "refused" in line and "scripts/neo4j-local.sh start" in line


@pytest.mark.parametrize(
    "uri, expect",
    [
        ("http://localhost:7474", "use bolt://localhost:7687 or neo4j://localhost:7687"),
        ("https://db.example.org:7473/browser/", "use bolt://db.example.org:7687 or neo4j://db.example.org:7687"),
        ("ftp://localhost:7687", "unknown scheme 'ftp://'; use bolt:// or neo4j://"),
        ("localhost:7687", "not a Neo4j URI; use bolt://HOST:7687"),
    ],
)
def test_a_uri_that_is_not_bolt_gets_a_hint(uri, expect):
    proc = mechgraph("--backend", "neo4j", "--uri", uri, "stats")
    assert proc.returncode == 1
    line = one_error_line(proc)
    assert expect in line and "aiohttp" not in line


def test_connection_settings_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("NEO4J_DATABASE", "graphs")
    monkeypatch.setenv("NEO4J_TIMEOUT", "2.5")
    conn = Connection.from_env()
    assert (conn.database, conn.timeout) == ("graphs", 2.5)
    assert Connection.from_env(database="other", timeout=1).database == "other"
    monkeypatch.setenv("NEO4J_TIMEOUT", "soon")
    with pytest.raises(MechGraphError, match="NEO4J_TIMEOUT='soon'"):
        Connection.from_env()
    with pytest.raises(MechGraphError, match="positive"):
        Connection.from_env(timeout=0)


def test_check_uri_accepts_every_bolt_scheme():
    for scheme in ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc", "BOLT"):
        Connection(uri=f"{scheme}://localhost:7687").check_uri()
    with pytest.raises(BackendUnavailable, match="HTTP"):
        Connection(uri="http://localhost:7474").check_uri()
