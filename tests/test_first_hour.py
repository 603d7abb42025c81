"""The first hour of a new user: the README's setup steps, the --seeds default, docker compose."""

from __future__ import annotations

import json
import re

import yaml

from mechgraph.cli import main
from tests.support.checkout import ROOT


def test_seeds_default_is_the_installed_seeds_never_the_working_folder(capsys, tmp_path, monkeypatch):
    """--help says what the default is, and it is: $MECHGRAPH_SEEDS, else the packaged seeds; a
    ./seeds folder in the working directory is not read."""
    from mechgraph.curation import packaged_seed_path

    monkeypatch.delenv("MECHGRAPH_SEEDS", raising=False)
    assert main(["--help"]) == 0
    helptext = " ".join(capsys.readouterr().out.split())
    assert "default: $MECHGRAPH_SEEDS, else the curated seeds installed with mechgraph; never ./seeds" in helptext
    assert main(["--backend", "networkx", "--seeds", str(packaged_seed_path()), "stats", "--json"]) == 0
    packaged = json.loads(capsys.readouterr().out)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "e.yaml").write_text("edges:\n  - source: a\n    relation: promotes\n    target: b\n",
                                               encoding="utf-8")
    assert main(["--backend", "networkx", "stats", "--json"]) == 0  # the broken ./seeds is not read
    assert json.loads(capsys.readouterr().out) == packaged
    monkeypatch.setenv("MECHGRAPH_SEEDS", str(tmp_path / "seeds"))
    assert main(["--backend", "networkx", "stats"]) == 2  # ... but $MECHGRAPH_SEEDS is
    assert "not a known entity" in capsys.readouterr().err


def test_docker_compose_waits_for_a_healthy_server_on_ports_one_can_move():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    neo4j = compose["services"]["neo4j"]
    check = neo4j["healthcheck"]
    assert "cypher-shell" in " ".join(check["test"]) and check["retries"] * _seconds(check["interval"]) + _seconds(
        check["start_period"]) >= 120  # the first start downloads APOC
    assert sorted(neo4j["ports"]) == ["${NEO4J_BOLT_PORT:-7687}:7687", "${NEO4J_HTTP_PORT:-7474}:7474"]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ups = re.findall(r"docker compose up[^\n`]*", readme)
    assert ups and all("--wait" in u for u in ups), ups


def _seconds(v: str) -> int:
    return int(str(v).rstrip("s"))


def test_readme_says_where_the_mechgraph_command_comes_from():
    """The tour types bare `mechgraph`; the quick start installs it into .venv: the README says to
    activate the venv (or to type .venv/bin/mechgraph) before the tour, and installs the extras together."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick = readme[readme.index("## Quick start"): readme.index("## A tour of the command line")]
    assert "source .venv/bin/activate" in quick and ".venv/bin/mechgraph" in quick
    assert "pip install -e '.[test,omics,exchange]'" in readme
    # never one after the other
    assert "pip install -e '.[exchange]'" not in readme and "pip install -e '.[omics]'" not in readme


class _Terminal:
    """A stderr that says it is a terminal and keeps what is written."""

    def __init__(self, tty: bool):
        self.tty, self.text = tty, ""

    def isatty(self) -> bool:
        return self.tty

    def write(self, s: str) -> int:
        self.text += s
        return len(s)

    def flush(self) -> None:
        pass


def test_targets_permutations_show_progress_on_a_terminal_past_the_delay(seed_graph, monkeypatch):
    import sys

    from mechgraph.analysis import targets

    for tty, delay, shown in ((True, 0.0, True), (True, 3600.0, False), (False, 0.0, False)):
        err = _Terminal(tty)
        monkeypatch.setattr(sys, "stderr", err)
        monkeypatch.setattr(targets, "PROGRESS_DELAY", delay)
        ranking = targets.rank_targets(seed_graph, top=3, permutations=5, seed=1)
        monkeypatch.undo()
        assert ranking.permutations == 5
        assert ("target permutations" in err.text) is shown, (tty, delay, err.text)
