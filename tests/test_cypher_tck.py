"""The openCypher TCK runner (tests/support/tck.py): its Gherkin reading, CREATE setups and comparisons,
on a small feature written here; and the real TCK when MECHGRAPH_TCK_FEATURES names its folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.support import tck

FEATURE = r'''
Feature: Tiny - written for the runner's own test

  Background:
    Given an empty graph
    And having executed:
      """
      CREATE (a:A {name: 'a'})-[:T {w: 1}]->(b:B {name: 'b'}),
             (b)-[:T {w: 2}]->(:C {name: 'c'})
      """

  Scenario: [1] Paths as the TCK writes them
    When executing query:
      """
      MATCH p = (:A)-[*1..2]->(x)
      RETURN x.name AS n, p
      """
    Then the result should be, in any order:
      | n   | p                                                                 |
      | 'b' | <(:A {name: 'a'})-[:T {w: 1}]->(:B {name: 'b'})>                  |
      | 'c' | <(:A {name: 'a'})-[:T {w: 1}]->(:B {name: 'b'})-[:T {w: 2}]->(:C {name: 'c'})> |
    And no side effects

  Scenario: [2] Walking against the arrows
    When executing query:
      """
      MATCH p = (:C)<-[rs*2]-(x)
      RETURN p, [r IN rs | r.w] AS ws
      """
    Then the result should be, in any order:
      | p                                                                               | ws     |
      | <(:C {name: 'c'})<-[:T {w: 2}]-(:B {name: 'b'})<-[:T {w: 1}]-(:A {name: 'a'})> | [2, 1] |

  Scenario Outline: [3] An outline with a wrong row
    When executing query:
      """
      RETURN any(x IN <list> WHERE x > 1) AS r
      """
    Then the result should be, in any order:
      | r        |
      | <result> |

    Examples:
      | list   | result |
      | [1, 2] | true   |
      | [1]    | true   |

  Scenario: [4] An expected error
    When executing query:
      """
      RETURN length(1) AS n
      """
    Then a SyntaxError should be raised at compile time: InvalidArgumentType

  Scenario: [5] Refused by the engine
    When executing query:
      """
      CALL db.labels() YIELD label RETURN label
      """
    Then the result should be empty

  Scenario: [6] A setup MATCH feeds CREATE
    And having executed:
      """
      MATCH (c:C)
      CREATE (c)-[:T]->(:D {name: c.name + '!'})
      """
    When executing query:
      """
      MATCH (:A)-[*3]->(d:D) RETURN d.name AS n
      """
    Then the result should be, in order:
      | n    |
      | 'c!' |

  Scenario: [7] An invalid query the engine accepts (the TCK is wrong here on purpose)
    When executing query:
      """
      RETURN 1 AS x
      """
    Then a SyntaxError should be raised at compile time: InvalidArgumentType

  Scenario: [8] A false error
    When executing query:
      """
      RETURN 1 / 0 AS x
      """
    Then the result should be, in any order:
      | x |
      | 1 |

  Scenario: [9] Cells with escapes, and temporal values in Java's form
    When executing query:
      """
      RETURN 'a\nb|c\\' AS s, localdatetime('2015-07-21T21:40') AS t, duration({seconds: -0.5}) AS d
      """
    Then the result should be, in any order:
      | s                | t                  | d         |
      | 'a\nb\|c\\\\'    | '2015-07-21T21:40' | 'PT-0.5S' |

  Scenario: [10] A write scenario is not run
    When executing query:
      """
      CREATE (:X)
      """
    Then the result should be empty

  Scenario: [11] A setup the runner cannot build
    And having executed:
      """
      MERGE (:M)
      """
    When executing query:
      """
      MATCH (m:M) RETURN m
      """
    Then the result should be empty
'''


def test_the_runner_reads_builds_and_compares(tmp_path):
    path = tmp_path / "Tiny.feature"
    path.write_text(FEATURE, encoding="utf-8")
    scenarios = tck.parse_feature(path)
    names = [s.name.split(" ")[0] for s in scenarios]
    assert names == ["[1]", "[2]", "[3]", "[3]", "[4]", "[5]", "[6]", "[7]", "[8]", "[9]", "[10]", "[11]"]
    assert [tck.is_read(s) for s in scenarios].count(False) == 1 and not tck.is_read(scenarios[10])
    results = [tck.run_scenario(s)[0] for s in scenarios if tck.is_read(s)]
    # the outline's second row claims any(x IN [1] WHERE x > 1) is true: the runner must catch it
    assert results == ["pass", "pass", "pass", "wrong", "pass", "refused", "pass", "invalid accepted",
                       "false error", "pass", "setup not built"]


def test_values_compare_by_structure():
    node = tck.expected_value("(:B:A {name: 'x', n: 1})")
    assert node == ("node", ("A", "B"), (("n", ("int", 1)), ("name", ("str", "x"))))
    assert tck.expected_value("1.0") != tck.expected_value("1")
    assert tck.expected_value("[1, 'a', null]") == ("list", (("int", 1), ("str", "a"), ("null",)))


def test_the_script_skips_without_the_tck(tmp_path, capsys):
    assert tck.main([str(tmp_path / "absent")]) == 0
    assert "not found" in capsys.readouterr().out


@pytest.mark.skipif(not os.environ.get("MECHGRAPH_TCK_FEATURES"),
                    reason="MECHGRAPH_TCK_FEATURES is not set (a checkout's tck/features folder)")
def test_the_tck_scenarios_pass_or_are_refused(tmp_path, monkeypatch):
    monkeypatch.delenv("NEO4J_URI", raising=False)  # the runner's own setups (with Neo4j it empties the database)
    out = tmp_path / "tck.md"
    assert tck.main([os.environ["MECHGRAPH_TCK_FEATURES"], "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    for zero in (", 0 wrong,", ", 0 false error,", ", 0 crash,", ", 0 invalid accepted,"):
        assert zero in text, text[:600]
    assert int(text.split(" pass,")[0].rsplit(" ", 1)[-1]) >= 3500, text[:600]
    assert Path(os.environ["MECHGRAPH_TCK_FEATURES"]).is_dir()
