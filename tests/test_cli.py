"""The command line: exit codes, one-line errors, JSON shapes. Runs through `main`, as users do."""

from __future__ import annotations

import json
import subprocess
import sys

from mechgraph.cli import cli, main
from tests.support.checkout import ROOT, SEEDS


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["--backend", "networkx", "--seeds", str(SEEDS), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_validate_ok(capsys):
    code, out, _ = run(capsys, "validate")
    assert code == 0 and out.startswith("ok: ")


def test_validate_broken_folder_exit_2(capsys, tmp_path):
    (tmp_path / "e.yaml").write_text("edges:\n  - source: a\n    relation: promotes\n    target: b\n", encoding="utf-8")
    code, out, err = run(capsys, "validate", str(tmp_path))
    assert code == 2
    *lines, summary = err.strip().splitlines()
    assert summary == f"{len(lines)} problems found"
    assert all(line.startswith(str(tmp_path / "e.yaml") + ":") for line in lines)
    assert any(line.split(":")[1].isdigit() and "not a known entity" in line for line in lines)
    assert "Traceback" not in err


def test_show_by_chinese_name(capsys):
    code, out, _ = run(capsys, "show", "卡妥索单抗")
    assert code == 0
    assert out.startswith("catumaxomab  卡妥索单抗  [catumaxomab]")
    assert "doi:10.1038/s41416-018-0150-6" in out


def test_show_unknown_gives_did_you_mean_and_exit_1(capsys):
    code, out, err = run(capsys, "show", "THBS2 CAFs")
    assert code == 1
    assert "did you mean" in err and "thbs2_caf" in err


def test_stats_json(capsys):
    code, out, _ = run(capsys, "stats", "--json")
    data = json.loads(out)
    assert code == 0 and data["by_relation"]["tested_in"] >= 14 and data["by_kind"]["publication"] >= 46


def test_path_json_shape(capsys):
    code, out, _ = run(capsys, "path", "CD8+ T cell", "nivolumab", "--json", "--k", "2")
    data = json.loads(out)
    assert code == 0 and data["mode"] == "mechanism" and data["paths"]
    p = data["paths"][0]
    assert {"nodes", "steps", "sign", "score", "meeting", "relation", "legs"} <= set(p)
    assert p["nodes"][0] == {"id": "cd8_t_cell", "name": "CD8+ T cell"} and p["nodes"][-1]["id"] == "nivolumab"
    assert {"source", "target", "relation", "sign", "refs", "level", "support", "direction"} <= set(p["steps"][0])
    assert {"shared_outcomes", "associations", "options"} <= set(data)
    code, out, _ = run(capsys, "path", "THBS2+ CAF", "peritoneal metastasis", "--json", "--k", "2", "--sign", "+")
    data = json.loads(out)
    assert data["mode"] == "directed" and [p["sign"] for p in data["paths"]] == ["+", "+"]


def test_path_none_is_exit_0_and_empty_list(capsys):
    code, out, _ = run(capsys, "path", "gastric cancer", "thbs2_caf", "--json")
    assert code == 0 and json.loads(out)["paths"] == []
    code, out, _ = run(capsys, "path", "gastric cancer", "thbs2_caf")
    assert code == 0 and out.startswith("no path")


def test_numeric_options_reject_values_out_of_range(capsys):
    for args in (("targets", "--top", "-3"), ("path", "caf", "pd1", "--k", "0"),
                 ("path", "caf", "pd1", "--max-len", "0"),
                 ("path", "caf", "pd1", "--hub-penalty", "-1"), ("targets", "--permutations", "-2")):
        code, _, err = run(capsys, *args)
        assert code == 2 and "Invalid value" in err, args


def test_targets_json(capsys):
    code, out, _ = run(capsys, "targets", "--top", "5", "--json", "--permutations", "20")
    data = json.loads(out)
    targets = data["targets"]
    assert code == 0 and len(targets) == 5 and data["permutations"] == 20
    assert {"id", "name", "kind", "score", "direction", "p_value", "q_value", "reasons", "therapies"} <= set(targets[0])
    assert targets == sorted(targets, key=lambda t: -t["score"])
    assert all(r["path"] and all(s["support"] for s in r["path"]) for t in targets for r in t["reasons"])


def test_effect_and_gaps(capsys):
    code, out, _ = run(capsys, "effect", "catumaxomab", "--json")
    data = json.loads(out)
    assert code == 0 and -1 <= data["net"] <= 1
    trial = [c for c in data["results"] if c["level"] == "randomised_trial"]
    assert [c["direction"] for c in trial] == ["null"]  # the phase II trial [38]
    assert (data["decided_by"]["level"] == "randomised_trial"
            and "decided by a randomised trial (ref 38)" in data["verdict"])
    code, out, _ = run(capsys, "gaps", "--json")
    assert code == 0 and "GAS6/AXL axis" in json.loads(out)


def test_query_named_and_raw_on_embedded(capsys):
    code, out, _ = run(capsys, "query", "--named", "therapies_for_target", "--param", "target=PD-1", "--json")
    rows = json.loads(out)
    assert code == 0 and {"nivolumab", "sintilimab"} <= {r["therapy"] for r in rows}
    code, out, _ = run(capsys, "query", "MATCH (n:Entity {id: $id}) RETURN n.name AS name", "--param",
                       "id=caf", "--json")
    assert json.loads(out) == [{"name": "cancer-associated fibroblast"}]


def test_write_query_refused_on_embedded(capsys):
    code, _, err = run(capsys, "query", "MATCH (n) DETACH DELETE n")
    assert code == 1 and err.startswith("error:") and len(err.strip().splitlines()) == 1


def test_export_and_from(capsys, tmp_path):
    out_file = tmp_path / "g.graphml"
    code, out, _ = run(capsys, "export", "-o", str(out_file))
    assert code == 0 and out_file.exists()
    code = main(["--from", str(out_file), "show", "SPP1+ TAM"])
    out, _ = capsys.readouterr()
    assert code == 0 and "spp1_tam" in out


def test_load_needs_neo4j_backend(capsys):
    code, _, err = run(capsys, "load")
    assert code == 1 and "--backend neo4j" in err


def test_neo4j_down_is_one_line_exit_1(capsys):
    code = main(["--backend", "neo4j", "--uri", "bolt://127.0.0.1:1", "stats"])
    _, err = capsys.readouterr()
    assert code == 1 and err.startswith("error: cannot reach Neo4j at bolt://127.0.0.1:1")
    assert len(err.strip().splitlines()) == 1


def test_auto_falls_back_with_notice(capsys):
    code = main(["--backend", "auto", "--uri", "bolt://127.0.0.1:1", "--seeds", str(SEEDS), "stats", "--json"])
    out, err = capsys.readouterr()
    assert code == 0 and "using the embedded NetworkX backend" in err and json.loads(out)["nodes"] > 100


def test_python_dash_m_graph_works():
    proc = subprocess.run([sys.executable, "-m", "mechgraph", "--help"], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0 and "mechgraph" in proc.stdout


def test_every_command_has_help_and_a_readme_mention():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, cmd in cli.commands.items():
        assert cmd.help and cmd.help.strip(), name
        shown = f"mechgraph {name}" in readme or f"mechgraph --backend neo4j {name}" in readme
        assert shown, f"README does not show `mechgraph {name}`"


# Every command a person reads, as the README shows it, on the seed graph.
READ_COMMANDS = [
    ["validate"],
    ["stats"],
    ["show", "THBS2+ CAF"],
    ["show", "peritoneal metastasis"],
    ["show", "卡妥索单抗"],
    ["path", "THBS2+ CAF", "PD-1 antibody"],
    ["path", "CD8+ T cell", "nivolumab", "--k", "5"],
    ["path", "THBS2+ CAF", "peritoneal metastasis", "--sign", "+", "--via", "SPP1+ TAM"],
    ["path", "nivolumab", "peritoneal metastasis"],
    ["targets"],
    ["targets", "--top", "0"],
    ["effect", "nivolumab"],
    ["effect", "catumaxomab", "--on", "malignant ascites"],
    ["gaps"],
    ["gaps", "--by", "cell"],
    ["combine", "nivolumab"],
    ["combine", "nivolumab", "catumaxomab"],
    ["query", "--list"],
    ["query", "--named", "candidate_targets"],
    ["query", "--named", "therapies_for_target", "--param", "target=PD-1"],
    ["query", "MATCH (c:CellState)-[r:POLARIZES]->(t) RETURN c.name AS cell, t.name AS into, r.refs AS refs"],
]


def test_every_command_fits_100_columns(capsys, tmp_path):
    for args in READ_COMMANDS + [["build", "-o", str(tmp_path / "out")], ["export", "-o", str(tmp_path / "g.json")]]:
        code, out, err = run(capsys, *args)
        assert code == 0, (args, err)
        assert out.strip(), args
        wide = [line for line in (out + err).splitlines() if len(line) > 100]
        assert wide == [], (args, wide[:3])


def test_tables_name_entities_not_ids(capsys):
    _, out, _ = run(capsys, "gaps")
    assert "mesothelin-directed CAR NK-92 cells -kills (-)-> gastric cancer cell" in out
    assert "car_nk_mesothelin" not in out and "peritoneal_metastasis" not in out
    _, out, _ = run(capsys, "effect", "nivolumab")
    assert "lowers the efficacy of immune checkpoint blockade" in out and " icb" not in out
    _, out, _ = run(capsys, "targets", "--top", "5")
    assert "[vegf]" not in out and "VEGF" in out and "peritoneal_metastasis" not in out
    reasons = [line for line in out.splitlines() if line.startswith("    ")]
    assert len(set(reasons)) == len(reasons) > 1  # each row's reason is its own, not the same text
    data = json.loads(run(capsys, "targets", "--top", "5", "--json")[1])["targets"]
    assert "VEGF" in {t["name"] for t in data} and data[0]["components"]  # the full data stays in --json


def test_numeric_options_reject_out_of_range(capsys):
    for args, option in [
        (["targets", "--top", "-3"], "--top"),
        (["path", "caf", "tam", "--k", "0"], "--k"),
        (["path", "caf", "tam", "--max-len", "0"], "--max-len"),
        (["effect", "nivolumab", "--max-len", "0"], "--max-len"),
        (["viz", "--around", "caf", "--depth", "-1"], "--depth"),
        (["viz", "--path", "caf", "tam", "--k", "0"], "--k"),
        (["load", "--batch-size", "0"], "--batch-size"),
    ]:
        code, out, err = run(capsys, *args)
        assert code == 2, args
        assert f"Invalid value for '{option}'" in err and "is not in the range" in err, (args, err)
        assert "Traceback" not in err


def test_table_wraps_and_never_cuts():
    from mechgraph.cli.text import table

    rows = [{"name": "THBS2+ cancer-associated fibroblast " * 3, "n": 1}, {"name": "short", "n": 22}]
    text = table(rows, width=40)
    assert max(len(line) for line in text.splitlines()) <= 40
    assert "…" not in text
    assert " ".join(text.split()).count("THBS2+ cancer-associated fibroblast") == 3
    wide = table([{f"c{i}": "x" * 30 for i in range(8)}], width=60)
    assert max(len(line) for line in wide.splitlines()) <= 60 and "not shown, see --json" in wide


def test_exit_statuses_are_the_readme_s(capsys, tmp_path):
    """README (A tour): 0 answered, 1 cannot be answered as asked, 2 bad option or input."""
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "e.yaml").write_text("edges: [\n", encoding="utf-8")
    cases = [
        (0, ["path", "regulatory T cell", "T-cell activation", "--sign", "+", "--max-len", "1"]),  # maybe empty
        (1, ["show", "no such entity at all"]),
        (1, ["query", "MATCH (n RETURN n"]),
        (1, ["query", "CREATE (n)"]),
        (2, ["validate", str(broken)]),
        (2, ["targets", "--permutations", "-1"]),
        (2, ["query", "MATCH (a), (b), (c), (d) RETURN count(*)", "--query-timeout", "0.2"]),
        (2, ["export", "-o", str(tmp_path / "no-such-folder" / "deeper" / "g.unknown")]),
    ]
    for expected, args in cases:
        code, _, err = run(capsys, *args)
        assert code == expected, (args, code, err)
        if code and args[0] != "validate":  # validate lists every problem, then a count
            lines = err.strip().splitlines()  # click's usage errors add the usage and a --help hint
            assert "Traceback" not in err and (len(lines) == 1 or lines[-1].startswith("Error: ")), (args, err)
