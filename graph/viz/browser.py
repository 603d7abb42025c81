"""Debian's headless Chromium driven over the Chrome DevTools Protocol, stdlib only.

Chromium is started with `--remote-debugging-pipe` (fd 3 carries commands in, fd 4 replies out),
so no Python package and no network port is needed, and with the flags that keep it from
reaching the network (no component updates, no sync, every host name resolved to nothing).
`viz --format png|svg` opens the page here and asks the page for its own export, so the file
shows the drawing the page shows; the browser tests and the screenshots (tests/support) use the same
client (through tests/support/cdp.py).
"""

from __future__ import annotations

import base64
import json
import os
import queue
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from ..errors import MechGraphError

WIDTH, HEIGHT = 1600, 1000

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-dev-shm-usage",
    "--mute-audio",
    "--hide-scrollbars",
    "--host-resolver-rules=MAP * ~NOTFOUND",
]


# --------------------------------------------------------------------------------------------
# A tiny CDP client over chromium's debugging pipe (fd 3: commands in, fd 4: replies out)
# --------------------------------------------------------------------------------------------


class CDPError(RuntimeError):
    pass


def find_chromium() -> str:
    """The chromium to drive: $MECHGRAPH_CHROMIUM, else `chromium` on the PATH (Debian's package)."""
    exe = os.environ.get("MECHGRAPH_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not exe:
        raise MechGraphError("PNG and SVG pictures are drawn by a headless Chromium, and none is installed "
                             "(Debian: apt-get install chromium); write HTML instead (--format html)")
    return exe


class Browser:
    """One headless Chromium process; `PageRun` opens pages in it."""

    def __init__(self, exe: str | None = None):
        exe = exe or find_chromium()
        self.profile = tempfile.mkdtemp(prefix="mechgraph-chromium-")
        cmd_r, self._cmd_w = os.pipe()  # we write commands, chromium reads fd 3
        self._resp_r, resp_w = os.pipe()  # chromium writes fd 4, we read

        def child_fds() -> None:  # runs in the child before exec
            import fcntl

            a = fcntl.fcntl(cmd_r, fcntl.F_DUPFD, 100)
            b = fcntl.fcntl(resp_w, fcntl.F_DUPFD, 100)
            os.dup2(a, 3)
            os.dup2(b, 4)

        self.proc = subprocess.Popen(
            [exe, *CHROMIUM_FLAGS, f"--user-data-dir={self.profile}", "--remote-debugging-pipe", "about:blank"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            close_fds=False,
            preexec_fn=child_fds,  # noqa: PLW1509 - single-threaded at this point
        )
        os.close(cmd_r)
        os.close(resp_w)
        self._next_id = 0
        self._inbox: queue.Queue[dict | None] = queue.Queue()
        self._pending: list[dict] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self.call("Browser.getVersion", timeout=30)

    def _read(self) -> None:
        buf = b""
        while True:
            try:
                chunk = os.read(self._resp_r, 1 << 20)
            except OSError:
                chunk = b""
            if not chunk:
                self._inbox.put(None)
                return
            buf += chunk
            while b"\0" in buf:
                msg, buf = buf.split(b"\0", 1)
                self._inbox.put(json.loads(msg))

    def send(self, method: str, params: dict | None = None, session: str | None = None) -> int:
        self._next_id += 1
        msg: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self._cmd_w, json.dumps(msg).encode() + b"\0")
        return self._next_id

    def _get(self, timeout: float) -> dict | None:
        msg = self._inbox.get(timeout=timeout)
        if msg is None:
            raise CDPError("chromium closed the debugging pipe")
        return msg

    def call(self, method: str, params: dict | None = None, session: str | None = None, timeout: float = 30) -> dict:
        mid = self.send(method, params, session)
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise CDPError(f"{method}: no reply in {timeout}s")
            try:
                msg = self._get(left)
            except queue.Empty:
                continue
            if msg.get("id") == mid:
                if "error" in msg:
                    raise CDPError(f"{method}: {msg['error']}")
                return msg.get("result", {})
            if "method" in msg:
                self._pending.append(msg)

    def events(self, timeout: float = 0.0) -> list[dict]:
        """Events received so far (and any arriving within `timeout`)."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                msg = self._get(max(0.0, deadline - time.monotonic()) or 0.01)
            except queue.Empty:
                break
            if "method" in msg:
                self._pending.append(msg)
        out, self._pending = self._pending, []
        return out

    def close(self) -> None:
        try:
            self.send("Browser.close")
            self.proc.wait(timeout=10)
        except Exception:  # noqa: BLE001
            self.proc.kill()
            self.proc.wait(timeout=10)
        for fd in (self._cmd_w, self._resp_r):
            try:
                os.close(fd)
            except OSError:
                pass
        shutil.rmtree(self.profile, ignore_errors=True)


class PageRun:
    """One page load in a fresh tab, with everything CDP reported while it loaded."""

    def __init__(self, browser: Browser, path: Path, timeout: float = 60, width: int = WIDTH, height: int = HEIGHT):
        self.b = browser
        self.url = path.resolve().as_uri()
        target = browser.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.target = target
        self.session = browser.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Network", "Log"):
            self.cmd(f"{domain}.enable")
        self.cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
        )
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        start = time.monotonic()
        self.cmd("Page.navigate", {"url": self.url})
        while True:
            self._collect(0.1)
            ready = self.eval("document.body !== null && document.body.getAttribute('data-ready') === '1'")
            if ready:
                break
            if time.monotonic() - start > timeout or (self.errors and time.monotonic() - start > 3):
                raise CDPError(f"the page was not drawn; errors: {self.errors}")
        self.seconds = time.monotonic() - start
        self.info = self.eval("JSON.stringify(window.__mechgraph || null)")
        self.info = json.loads(self.info) if self.info else None
        self._collect(0.3)

    def cmd(self, method: str, params: dict | None = None, timeout: float = 60) -> dict:
        return self.b.call(method, params, self.session, timeout=timeout)

    def eval(self, expr: str) -> Any:
        r = self.cmd("Runtime.evaluate", {"expression": expr, "returnByValue": True})
        if "exceptionDetails" in r:
            raise CDPError(f"evaluating {expr!r} failed: {r['exceptionDetails']}")
        return r["result"].get("value")

    def _collect(self, timeout: float) -> None:
        for ev in self.b.events(timeout):
            if ev.get("sessionId") != self.session:
                continue
            m, p = ev["method"], ev.get("params", {})
            if m == "Network.requestWillBeSent":
                self.requests.append(p["request"]["url"])
            elif m == "Runtime.exceptionThrown":
                d = p["exceptionDetails"]
                self.errors.append(f"exception: {d.get('exception', {}).get('description') or d.get('text')}")
            elif m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
                self.errors.append("console: " + " ".join(str(a.get("value", a.get("description"))) for a in p["args"]))
            elif m == "Log.entryAdded" and p["entry"].get("level") == "error":
                self.errors.append(f"log: {p['entry'].get('text')}")
            elif m == "Page.javascriptDialogOpening":
                self.dialogs.append(p.get("message", ""))
                self.b.send("Page.handleJavaScriptDialog", {"accept": False}, self.session)

    def screenshot(self, clip: dict | None = None) -> bytes:
        params: dict[str, Any] = {"format": "png", "captureBeyondViewport": False}
        if clip:
            params["clip"] = clip
        return base64.b64decode(self.cmd("Page.captureScreenshot", params)["data"])

    def close(self) -> None:
        self._collect(0.05)
        self.b.call("Target.closeTarget", {"targetId": self.target})
