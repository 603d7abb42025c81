"""The overlay page in Debian's headless chromium: the page script reads the overlay and draws its legend.

Checked on the DOM chromium leaves after running the page's scripts (`--dump-dom`): the legend
names the data file (put in with textContent, so a hostile file name stays text), and the page
reaches its drawn state. Without chromium these tests skip (CI installs it).
"""

from __future__ import annotations

import shutil
import subprocess

import pytest

from mechgraph.cli import main
from tests.support.checkout import IN_CI, ROOT

pytestmark = pytest.mark.browser


def chromium() -> str:
    exe = shutil.which("chromium")
    if exe is None:
        if IN_CI:
            raise AssertionError("CI installs chromium")
        pytest.skip("no chromium")
    return exe


def test_overlay_page_runs_and_shows_the_data_legend(tmp_path, capsys):
    exe = chromium()
    name = "<img src=x onerror=document.title='pwned'>.tsv"
    table = tmp_path / name.replace("/", "_")
    table.write_text("gene\tTHBS2+ CAF\tSPP1+ TAM\nC3\t2.9\t0.1\nC3AR1\t0.1\t2.4\n", encoding="utf-8")
    page = tmp_path / "overlay.html"
    code = main(["--seeds", str(ROOT / "seeds"), "overlay", str(table), "-o", str(page)])
    capsys.readouterr()
    assert code == 0 and page.is_file()
    proc = subprocess.run([exe, "--headless", "--no-sandbox", "--disable-gpu", "--host-resolver-rules=MAP * ~NOTFOUND",
                           "--virtual-time-budget=15000", "--dump-dom", page.as_uri()], capture_output=True, text=True,
                          timeout=120)
    dom = proc.stdout
    assert 'data-ready="1"' in dom  # the page drew
    assert "node fill: expression (0 to 1)" in dom and "thick edges: ligand-receptor activity (lr_mean)" in dom
    assert "data: " in dom and "&lt;img src=x onerror=" in dom  # the file name is text, not markup
    assert "<title>pwned</title>" not in dom
