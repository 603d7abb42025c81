"""The embedded Cypher engine's newer features, with answers known by hand (or from Neo4j's and
java.time's documented rules): temporal values, UNION, pattern predicates and comprehensions,
full subqueries, percentiles, unbounded variable-length patterns, and the invalid queries it
must refuse as Neo4j 5 does."""

from __future__ import annotations

import datetime as pydt
from zoneinfo import ZoneInfo

import networkx as nx
import pytest

from mechgraph.cypher import CypherEngine
from mechgraph.cypher.temporal import Date, DateTime, Duration, LocalTime, java_string
from mechgraph.errors import QueryError
from tests.support.cypher import build_graph


@pytest.fixture(scope="module")
def eng() -> CypherEngine:
    return CypherEngine(build_graph())


def one(eng, q, **params):
    rows = eng.run(q, params)
    assert len(rows) == 1, rows
    return rows[0]


# ------------------------------------------------------------------ temporal values


@pytest.mark.parametrize(
    "expr, text",
    [
        ("date('2015-W30-2')", "2015-07-21"),  # ISO week 30 of 2015, Tuesday
        ("date('2015202')", "2015-07-21"),  # ordinal day 202
        ("date({year: 1984, week: 10, dayOfWeek: 3})", "1984-03-07"),
        ("date({year: 1984, quarter: 3, dayOfQuarter: 45})", "1984-08-14"),
        ("date({year: 1817, week: 1})", "1816-12-30"),  # week 1 holds 4 January
        ("date('+12345-01-01')", "+12345-01-01"),
        ("date('-0044-03-15')", "-0044-03-15"),
        ("localtime('214032.142')", "21:40:32.142"),
        ("localtime({hour: 12})", "12:00:00"),
        ("time('21:40-01:30')", "21:40:00-01:30"),
        ("datetime('2015-07-21T21:40:32.142[Europe/London]')", "2015-07-21T21:40:32.142+01:00[Europe/London]"),
        # Java's tzdb
        ("datetime('1818-07-21T21:40[Europe/Stockholm]')", "1818-07-21T21:40:00+00:53:28[Europe/Stockholm]"),
        # in the gap: later
        ("datetime('2017-03-26T02:30[Europe/Stockholm]')", "2017-03-26T03:30:00+02:00[Europe/Stockholm]"),
        # overlap: earlier offset
        ("datetime('2017-10-29T02:30[Europe/Stockholm]')", "2017-10-29T02:30:00+02:00[Europe/Stockholm]"),
        ("datetime({epochSeconds: 0, timezone: 'Asia/Kolkata'})", "1970-01-01T05:30:00+05:30[Asia/Kolkata]"),
        ("datetime.fromepochmillis(237821673987)", "1977-07-15T13:34:33.987Z"),
        ("duration({days: 14, hours: 16, minutes: 12})", "P14DT16H12M"),
        ("duration({months: 0.75})", "P22DT19H51M49.5S"),  # 0.75 of 30.436875 days
        ("duration('P2012-02-02T14:37:21.545')", "P2012Y2M2DT14H37M21.545S"),
        ("duration({seconds: -60, milliseconds: -1})", "PT-1M-0.001S"),
        ("date('2020-01-31') + duration('P1M')", "2020-02-29"),  # the day clamped to the month's end
        ("date('2020-01-01') + duration('PT36H')", "2020-01-02"),  # a date takes whole days of the seconds
        ("localtime('23:00') + duration('PT2H')", "01:00:00"),
        ("datetime('2017-10-28T12:00[Europe/Stockholm]') + duration('P1D')",
         "2017-10-29T12:00:00+01:00[Europe/Stockholm]"),
        ("datetime('2017-10-28T12:00[Europe/Stockholm]') + duration('PT24H')",
         "2017-10-29T11:00:00+01:00[Europe/Stockholm]"),
        ("duration('PT1H') * 1.5", "PT1H30M"),
        ("duration('P1D') / 2", "PT12H"),
        ("duration.between(date('1984-10-11'), date('2015-06-24'))", "P30Y8M13D"),
        ("duration.between(localtime('14:30'), datetime('2015-07-21T21:40:32.142+0100'))", "PT7H10M32.142S"),
        ("duration.inDays(date('2015-07-21'), date('2016-07-21'))", "P366D"),
        ("duration.inSeconds(datetime('2017-10-28T23:00[Europe/Stockholm]'), "
         "datetime('2017-10-29T04:00[Europe/Stockholm]'))", "PT6H"),
        ("date.truncate('weekYear', date('1984-01-01'))", "1983-01-03"),
        ("datetime.truncate('day', datetime('2017-10-11T12:31+01:00'), {timezone: 'Europe/Stockholm'})",
         "2017-10-11T00:00:00+02:00[Europe/Stockholm]"),
        ("localtime.truncate('millisecond', localtime('12:31:14.645876123'), {nanosecond: 2})", "12:31:14.645000002"),
    ],
)
def test_temporal_values_and_their_strings(eng, expr, text):
    row = one(eng, f"RETURN {expr} AS v, toString({expr}) AS s")
    assert str(row["v"]) == text and row["s"] == text


def test_java_string_is_the_tck_form():
    assert java_string(LocalTime(12 * 3600 * 10**9)) == "12:00"
    assert java_string(LocalTime((12 * 3600 + 1) * 10**9 + 120_000_000)) == "12:00:01.120"


def test_components(eng):
    row = one(eng, "WITH datetime({year: 1984, month: 11, day: 11, hour: 12, minute: 31, second: 14, nanosecond: "
                   "645876123, "
                   "timezone: 'Europe/Stockholm'}) AS d RETURN d.week AS week, d.weekYear AS wy, d.ordinalDay AS od, "
                   "d.dayOfQuarter AS dq, d.millisecond AS ms, d.timezone AS tz, d.offsetMinutes AS om, d.epochMillis "
                   "AS em")
    assert row == {"week": 45, "wy": 1984, "od": 316, "dq": 42, "ms": 645, "tz": "Europe/Stockholm", "om": 60,
                   "em": 469020674645}
    assert one(eng, "RETURN date('1984-01-01').weekYear AS y, date('1984-01-01').week AS w") == {"y": 1983, "w": 52}
    dur = one(eng, "WITH duration('PT-1.5S') AS d RETURN d.seconds AS s, d.nanosecondsOfSecond AS n, d.milliseconds "
                   "AS ms")
    assert dur == {"s": -2, "n": 500_000_000, "ms": -1500}
    with pytest.raises(QueryError, match="No such field: foo"):
        eng.run("RETURN date('2020-01-01').foo")


def test_equality_order_and_grouping(eng):
    row = one(eng, "RETURN datetime('2018-01-01T00:00+01:00') = datetime('2017-12-31T23:00Z') AS same, "
                   "datetime('2018-01-01T00:00+01:00') < datetime('2017-12-31T23:00:01Z') AS before, "
                   "duration('P1D') = duration('PT24H') AS d1, duration('P1D') < duration('P2D') AS d2, "
                   "date('2018-01-01') < localdatetime('2018-01-01T00:00') AS mixed")
    assert row == {"same": False, "before": True, "d1": False, "d2": None, "mixed": None}
    rows = eng.run("UNWIND [duration('P1D'), 1, date('2020-01-01'), 'a', localtime('12:00'), "
                   "datetime('2020-01-01T00:00Z'), "
                   "null, localdatetime('2020-01-01T00:00'), time('12:00Z'), [1]] AS x RETURN x ORDER BY x")
    assert [str(r["x"]) for r in rows] == ["[1]", "2020-01-01T00:00:00Z", "2020-01-01T00:00:00", "2020-01-01",
                                           "12:00:00Z", "12:00:00", "P1D", "a", "1", "None"]
    assert one(eng, "UNWIND [date('2020-01-01'), date('2020-01-01'), date('2020-01-02')] AS d RETURN count(DISTINCT "
                    "d) AS n") == {"n": 2}
    assert one(eng, "UNWIND [duration('PT1H'), duration('P1D')] AS d RETURN toString(sum(d)) AS s, toString(avg(d)) "
                    "AS a") == \
        {"s": "P1DT1H", "a": "PT12H30M"}


def test_the_clock_is_fixed_for_a_query(eng):
    row = one(eng, "UNWIND range(1, 2000) AS i WITH collect(datetime()) AS ts "
                   "RETURN size([t IN ts WHERE t <> ts[0]]) AS moved, ts[0] = datetime.statement() AS same, "
                   "date() = date(datetime()) AS d")
    assert row == {"moved": 0, "same": True, "d": True}
    assert one(eng, "RETURN datetime().timezone AS tz")["tz"] == "Z"  # Neo4j's default zone is UTC
    assert one(eng, "RETURN date({timezone: 'Pacific/Kiritimati'}) >= date({timezone: 'Pacific/Pago_Pago'}) AS "
                    "ahead")["ahead"]


def test_temporal_parameters(eng):
    row = one(eng, "RETURN $d + duration('P1D') AS d, $t.timezone AS tz, $dur.minutes AS m",
              d=pydt.date(2020, 2, 28), t=pydt.datetime(2020, 1, 1, 12, tzinfo=ZoneInfo("Europe/Stockholm")),
              dur=pydt.timedelta(minutes=90))
    assert row["d"] == Date(18321) and str(row["d"]) == "2020-02-29"
    assert row["tz"] == "Europe/Stockholm" and row["m"] == 90
    assert isinstance(one(eng, "RETURN datetime() AS t")["t"], DateTime)
    assert isinstance(one(eng, "RETURN duration('P1D') AS t")["t"], Duration)


@pytest.mark.parametrize(
    "query, fragment",
    [
        ("RETURN date('2015-02-30')", "Invalid date 'FEBRUARY 30'"),
        ("RETURN date({year: 2020, day: 3})", "day cannot be specified without month"),
        ("RETURN localtime({minute: 3})", "hour must be specified"),
        ("RETURN date({year: 2020, month: 2, week: 3})", "Cannot assign month to week date"),
        ("RETURN datetime({year: 2020, timezone: 'Europe/Nowhere'})", "Invalid value for TimeZone"),
        ("RETURN time('12:00[Europe/Berlin]')", "named time zone"),
        ("RETURN datetime('2015-07-21T21:40+02:00[Europe/London]')", "Timezone and offset do not match"),
        ("RETURN duration('PT1.5H30M')", "Text cannot be parsed to a Duration"),
        ("RETURN duration('P1D') / 0", "/ by zero"),
        ("RETURN date.truncate('hour', date('2015-07-21'))", "Unit too small"),
        ("RETURN localtime.truncate('hour', time('21:40Z'), {timezone: '+05:00'})", "Cannot assign time zone"),
    ],
)
def test_temporal_errors(eng, query, fragment):
    with pytest.raises(QueryError) as err:
        eng.run(query)
    assert fragment in str(err.value)
    assert not str(err.value).startswith("unsupported")


# ------------------------------------------------------------------ UNION, patterns in expressions, subqueries


def test_union(eng):
    assert eng.run("RETURN 1 AS x UNION RETURN 1 AS x") == [{"x": 1}]
    assert eng.run("RETURN 1 AS x UNION ALL RETURN 1 AS x") == [{"x": 1}, {"x": 1}]
    rows = eng.run("MATCH (t:Therapy) RETURN t.id AS id, 'therapy' AS k UNION MATCH (g:Gene) RETURN g.id AS id, "
                   "'gene' AS k")
    assert sorted((r["k"], r["id"]) for r in rows) == [("gene", "pd1"), ("gene", "pdl1"), ("therapy", "nivolumab"),
                                                       ("therapy", "pembrolizumab")]
    assert eng.run("RETURN 1 AS a, 2 AS b UNION RETURN 3 AS b, 4 AS a") == [{"a": 1, "b": 2}, {"a": 4, "b": 3}]
    # duplicates are compared as values: two nodes with equal properties stay two rows
    g = nx.MultiDiGraph()
    g.add_node("x", id="x", kind="gene", name="same")
    g.add_node("y", id="y", kind="gene", name="same")
    two = CypherEngine(g).run("MATCH (n) RETURN n UNION MATCH (n) RETURN n")
    assert len(two) == 2 and two[0]["n"]["name"] == two[1]["n"]["name"] == "same"
    union = "MATCH (n) RETURN n.name AS name UNION MATCH (n) RETURN n.name AS name"
    assert CypherEngine(g).run(union) == [{"name": "same"}]
    with pytest.raises(QueryError, match="same return column names"):
        eng.run("RETURN 1 AS a UNION RETURN 2 AS b")
    with pytest.raises(QueryError, match="Invalid combination of UNION and UNION ALL"):
        eng.run("RETURN 1 AS a UNION ALL RETURN 1 AS a UNION RETURN 1 AS a")


def test_pattern_predicates(eng):
    q = "MATCH (n) WHERE (n)<-[:TARGETS]-() RETURN n.id AS id"
    assert [r["id"] for r in eng.run(q)] == ["pd1"]
    q = "MATCH (n:CellType) WHERE NOT (n)-[:INHIBITS]->() AND exists((n)<--()) RETURN n.id AS id ORDER BY id"
    assert [r["id"] for r in eng.run(q)] == ["cd8_t_cell"]
    assert one(eng, "MATCH (n {id: 'tam'}) RETURN CASE WHEN (n)-[:SECRETES]->() THEN 'secretes' ELSE 'no' END AS "
                    "c") == {"c": "secretes"}
    for bad, msg in [
        ("MATCH (n) RETURN (n)-->() AS x", "should only be used in order to test the existence of a pattern"),
        ("MATCH (n) RETURN size((n)-->()) AS x", "replace size() with COUNT {}"),
        ("MATCH (n) WHERE (n)-[r]->(m) RETURN n", "not allowed to introduce new variables: 'r'"),
        ("MATCH (n) WHERE exists(n.name) RETURN n", "exists(variable.property)` is no longer supported"),
    ]:
        with pytest.raises(QueryError, match=None) as err:
            eng.run(bad)
        assert msg in str(err.value) and not str(err.value).startswith("unsupported")


def test_pattern_comprehensions(eng):
    row = one(eng, "MATCH (g {id: 'pd1'}) RETURN [(t:Therapy)-[r:TARGETS]->(g) WHERE size(r.refs) > 1 | t.id] AS "
                   "strong, "
                   "size([(g)--() | 1]) AS degree, [p = (g)-[:INHIBITS]->() | length(p)] AS lengths")
    assert row == {"strong": ["pembrolizumab"], "degree": 4, "lengths": [1]}


def test_subqueries(eng):
    q = ("MATCH (n:CellType) RETURN n.id AS id, COUNT { MATCH (n)-->(m) WITH DISTINCT m RETURN m } AS targets, "
         "COLLECT { MATCH (n)-[r]->() RETURN type(r) ORDER BY type(r) } AS types, "
         "EXISTS { MATCH (n)-->(m) MATCH (m)-->(n) } AS loop ORDER BY id")
    assert eng.run(q) == [
        {"id": "cd8_t_cell", "targets": 0, "types": [], "loop": False},
        {"id": "tam", "targets": 2, "types": ["INHIBITS", "PROMOTES", "SECRETES"], "loop": True},
    ]
    assert one(eng, "UNWIND [1, 2] AS x WITH x WHERE EXISTS { UNWIND range(1, x) AS y WITH y WHERE y > 1 RETURN y } "
                    "RETURN x") == {"x": 2}
    with pytest.raises(QueryError, match="shadowing a variable"):
        eng.run("MATCH (n) WHERE EXISTS { WITH 1 AS n RETURN n } RETURN n")
    with pytest.raises(QueryError, match="single return column"):
        eng.run("RETURN COLLECT { UNWIND [1] AS y RETURN y, 1 AS z } AS c")


def test_percentiles_and_deviation(eng):
    row = one(eng, "UNWIND [1, 2, 3, 4] AS x RETURN percentileDisc(x, 0.5) AS d, percentileCont(x, 0.5) AS c, "
                   "percentileDisc(x, 0) AS lo, percentileCont(x, 1.0) AS hi, stDev(x) AS s, stDevP(x) AS p")
    assert row["d"] == 2 and row["c"] == 2.5 and row["lo"] == 1 and row["hi"] == 4.0
    assert row["s"] == pytest.approx(1.2909944487358056) and row["p"] == pytest.approx(1.118033988749895)
    with pytest.raises(QueryError, match="range 0.0 to 1.0"):
        eng.run("UNWIND [1, 2] AS x RETURN percentileDisc(x, 1.5)")


def test_unbounded_variable_length_patterns():
    g = nx.MultiDiGraph()
    n = 2000  # longer than Python's recursion limit: the walk keeps its own stack
    for i in range(n):
        g.add_node(i, id=str(i), kind="gene", name=str(i))
    for i in range(n - 1):
        g.add_edge(i, i + 1, key="promotes", relation="promotes", sign="+", evidence=[])
    eng = CypherEngine(g)
    assert eng.run("MATCH ({id: '0'})-[*]->(b) RETURN count(b) AS n") == [{"n": n - 1}]
    assert eng.run("MATCH ({id: '0'})-[rs*2..]->(b {id: '5'}) RETURN size(rs) AS n") == [{"n": 5}]
    assert eng.run("MATCH p = ({id: '2'})<-[*0..]-(a) RETURN count(p) AS n") == [{"n": 3}]
    # a list of relationships bound before: the pattern follows exactly those
    q = "MATCH ({id: '0'})-[r1]->()-[r2]->() WITH [r1, r2] AS rs MATCH (a)-[rs*]->(b) RETURN a.id AS a, b.id AS b"
    assert eng.run(q) == [{"a": "0", "b": "2"}]


def test_relationship_type_predicate_and_lazy_range(eng):
    rows = eng.run("MATCH ()-[r]->() RETURN type(r) AS t, r:TARGETS AS is_t, r:TARGETS:BINDS AS both ORDER BY t")
    assert {(r["t"], r["is_t"], r["both"]) for r in rows} >= {("TARGETS", True, False), ("BINDS", False, False)}
    assert one(eng, "UNWIND range(1000000, 2000000) AS i WITH i LIMIT 3000 RETURN sum(i) AS s") == {"s": 3004498500}


@pytest.mark.parametrize(
    "query, fragment",
    [
        ("WITH 123 AS n MATCH (n) RETURN n", "n defined with conflicting type Integer (expected Node)"),
        ("MATCH (n) WITH [n] AS users MATCH (users)-->(m) RETURN m", "conflicting type"),
        ("WITH 'x' AS r MATCH ()-[r]->() RETURN r", "conflicting type String (expected Relationship)"),
        ("UNWIND [1] AS x RETURN count(rand())", "non-deterministic"),
        ("MATCH (a)--(b) RETURN a.id + b.id, a.id + b.id + count(*)", "implicit grouping expressions"),
        ("MATCH (a)--(b) RETURN a.id + b.id, count(*) AS c ORDER BY a.id + b.id + count(*)", "cannot use `a`"),
        ("RETURN 1.34E999", "floating point number is too large"),
        ("RETURN foo(1)", "Unknown function 'foo'"),
        ("MATCH (n $props) RETURN n", "Parameter maps cannot be used in MATCH patterns"),
    ],
)
def test_invalid_queries_are_refused(eng, query, fragment):
    with pytest.raises(QueryError) as err:
        eng.run(query, {"props": {"id": "pd1"}})
    assert fragment in str(err.value) and not str(err.value).startswith("unsupported")


def test_aggregation_may_reuse_a_grouping_variable_or_property(eng):
    row = one(eng, "MATCH (a {id: 'tam'})-->(b) RETURN a.id AS id, a.id + count(*) AS x")
    assert row == {"id": "tam", "x": "tam3"}


def test_math_and_string_functions(eng):
    row = one(eng, "RETURN log(0) AS a, log(-1) AS b, asin(2) AS c, cot(0) AS d, atan2(1, 0) AS e, isNaN(0.0 / 0.0) "
                   "AS f, "
                   "degrees(pi()) AS g, toIntegerList([1, '2', 'x', 2.5, true]) AS h, nullIf(1, 1) AS i, "
                   "btrim('xxaxx', 'x') AS j, char_length('é') AS k")
    assert row["a"] == float("-inf") and row["b"] != row["b"] and row["c"] != row["c"] and row["d"] == float("inf")
    assert row["e"] == pytest.approx(1.5707963267948966) and row["f"] is True and row["g"] == 180.0
    assert row["h"] == [1, 2, None, 2, 1] and row["i"] is None and row["j"] == "a" and row["k"] == 1


def test_datetimes_in_a_named_zone_go_to_the_driver_in_a_zone_it_can_read():
    """The Neo4j driver asks a datetime's zone for the offset of its own DateTime type; CPython
    3.11's C zoneinfo answers with garbage or crashes. to_driver sends the same instant in the
    same pytz zone, whose offsets the driver reads right every time."""
    import datetime as pydt
    from zoneinfo import ZoneInfo

    import neo4j.time

    from mechgraph.cypher.temporal import to_driver

    summer = pydt.datetime(2020, 7, 1, 12, 0, tzinfo=ZoneInfo("Europe/Stockholm"))
    winter = pydt.datetime(2020, 3, 29, 1, 30, tzinfo=ZoneInfo("Europe/Stockholm"))
    fixed = pydt.datetime(2020, 1, 1, tzinfo=pydt.timezone(pydt.timedelta(hours=3)))
    sent = to_driver({"a": [summer, winter], "b": fixed, "c": "text", "d": pydt.date(2020, 1, 1)})
    assert sent["b"] is fixed and sent["c"] == "text" and sent["d"] == pydt.date(2020, 1, 1)
    for before, after, hours in ((summer, sent["a"][0], 2), (winter, sent["a"][1], 1)):
        assert after.tzinfo.zone == "Europe/Stockholm" and after.timestamp() == before.timestamp()
        for _ in range(200):
            assert neo4j.time.DateTime.from_native(after).utc_offset() == pydt.timedelta(hours=hours)
