"""The embedded Cypher engine's limits (mechgraph.cypher.limits): small queries that ask for hours of
work or gigabytes stop with one clear error line, and the limits can be raised.

The command-line cases run `mechgraph query` on the seed graph with a short --query-timeout and
check the message, the exit status (2) and that the query stopped well within 30 s (not a
timing budget: a bound that a runaway query would break by minutes).
"""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time

import networkx as nx
import pytest

from mechgraph.cypher import CypherEngine
from mechgraph.cypher.limits import NO_LIMITS, QueryLimits
from mechgraph.errors import QueryError, QueryStopped
from tests.support.checkout import ROOT

TIME_MSG = ("query stopped after 0.3 s, the embedded engine's time limit (raise it with --query-timeout SECONDS, 0 for "
            "none)")


def mechgraph(*args: str, timeout: float = 60) -> tuple[int, str, str, float]:
    t0 = time.monotonic()
    p = subprocess.run([sys.executable, "-m", "mechgraph", *args], capture_output=True, text=True, cwd=ROOT,
                       timeout=timeout)
    return p.returncode, p.stdout, p.stderr, time.monotonic() - t0


@pytest.mark.parametrize(
    "query",
    [
        "MATCH (a), (b), (c), (d) RETURN count(*) AS n",  # 219^4 rows
        "MATCH p = (a)-[*1..30]-(b) RETURN count(p) AS n",  # trails up to 30 steps
        "MATCH (a)-[*]-(b) RETURN count(*) AS n",  # unbounded
        # catastrophic backtracking, in C
        "RETURN 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' =~ '(a+)+b' AS m",
        "RETURN size([x IN range(1, 1000) | [y IN range(1, 1000) | [z IN range(1, 1000) | z]]]) AS n",
        "MATCH (n) WITH collect(n) AS ns UNWIND ns AS a UNWIND ns AS b UNWIND ns AS c RETURN count(*) AS n",
    ],
)
def test_runaway_queries_stop_at_the_timeout(query):
    code, out, err, took = mechgraph("query", query, "--query-timeout", "0.3")
    assert code == 2, (out, err)
    assert err.strip() == f"error: {TIME_MSG}"
    assert out == ""
    assert took < 30


def test_memory_limit_stops_a_query_that_grows(tmp_path):
    code, out, err, took = mechgraph("query", "UNWIND range(1, 100000000) AS x WITH collect(x) AS l RETURN size(l) AS "
                                              "n",
                                     "--query-memory", "64", "--query-timeout", "0")
    assert code == 2, (out, err)
    assert err.startswith("error: query stopped: ") and "--query-memory MB" in err and err.count("\n") == 1
    assert "64 MB of memory" in err or "limit of 640,000" in err
    assert took < 30


@pytest.mark.parametrize(
    "query, what",
    [
        ("RETURN size(range(1, 100000000)) AS n", "range() of 100,000,000 items"),
        ("RETURN size(reduce(s = 'ab', x IN range(1, 40) | s + s)) AS n", "a string of 1,048,576 characters"),
        ("RETURN size(reduce(l = [1], x IN range(1, 40) | l + l)) AS n", "a list of 1,048,576 items"),
        ("RETURN size(replace(reduce(s = 'a', x IN range(1, 16) | s + s), 'a', 'aaaaaaaaaaaaaaaaaaaaaa')) AS n",
         "the string replace() makes of 1,441,792 characters"),
    ],
)
def test_one_value_cannot_outgrow_the_memory_limit(query, what):
    eng = CypherEngine(nx.MultiDiGraph())
    with pytest.raises(QueryStopped) as err:
        eng.run(query, limits=QueryLimits(timeout=30, memory_mb=100))
    assert what in str(err.value) and "limit of 1,000,000" in str(err.value)
    assert err.value.exit_code == 2


def test_limits_can_be_raised_and_lifted():
    eng = CypherEngine(nx.MultiDiGraph())
    q = "RETURN size(range(1, 2000000)) AS n"
    with pytest.raises(QueryStopped):
        eng.run(q, limits=QueryLimits(memory_mb=100))
    assert eng.run(q, limits=QueryLimits(memory_mb=300)) == [{"n": 2000000}]
    assert eng.run(q, limits=NO_LIMITS) == [{"n": 2000000}]
    code, out, _, _ = mechgraph("query", q, "--query-memory", "300", "--json")
    assert code == 0 and '"n": 2000000' in out


def test_huge_skip_and_limit_are_honoured():
    for q, rows in [
        ("MATCH (n) RETURN n.id AS id SKIP 9223372036854775807", "(no rows)"),
        ("MATCH (n) RETURN n.id AS id ORDER BY id LIMIT 9223372036854775807", "\nvegfr2\n"),
        ("UNWIND range(1, 3) AS x RETURN x SKIP 2 LIMIT 9223372036854775807", "3"),
    ]:
        code, out, err, _ = mechgraph("query", q)
        assert code == 0, err
        assert rows in out
    code, _, err, _ = mechgraph("query", "RETURN 1 AS x SKIP 99999999999999999999")
    assert code == 1 and err.startswith("error: ") and "too large" in err and err.count("\n") == 1


@pytest.mark.parametrize("option, value",
                         [("--query-timeout", "1e308"), ("--query-timeout", "-1"), ("--query-memory", "-5"),
                                           ("--query-memory", "99999999"), ("--query-timeout", "soon")])
def test_limit_options_are_range_checked(option, value):
    code, out, err, _ = mechgraph("query", "RETURN 1 AS x", option, value)
    assert code == 2 and out == ""
    assert f"Invalid value for '{option}'" in err and "Traceback" not in err


def test_the_watchdog_is_put_back_and_other_threads_stop_cooperatively():
    before = signal.getsignal(signal.SIGALRM)
    eng = CypherEngine(nx.MultiDiGraph())
    with pytest.raises(QueryStopped):
        eng.run("UNWIND range(1, 100000000) AS x WITH x WHERE x < 0 RETURN count(*)", limits=QueryLimits(timeout=0.5))
    assert signal.getsignal(signal.SIGALRM) is before
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert eng.run("RETURN 1 AS x") == [{"x": 1}]  # the engine is usable afterwards

    caught: list = []

    def worker():  # no signals outside the main thread: the executor's own checks stop it
        try:
            eng.run("UNWIND range(1, 100000000) AS x WITH x WHERE x < 0 RETURN count(*)",
                    limits=QueryLimits(timeout=0.5))
        except QueryError as e:
            caught.append(str(e))

    t0 = time.monotonic()
    th = threading.Thread(target=worker)
    th.start()
    th.join(30)
    assert caught and caught[0].startswith("query stopped after 0.5 s")
    assert time.monotonic() - t0 < 30


def test_default_limits_apply_to_the_api():
    eng = CypherEngine(nx.MultiDiGraph())
    with pytest.raises(QueryStopped, match="limit of 10,240,000"):
        eng.run("RETURN size(range(1, 20000000)) AS n")
