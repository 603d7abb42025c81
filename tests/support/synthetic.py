"""Synthetic mechanism graphs in the project's own schema, for the benchmarks and the large-graph tests.

`synthetic_seeds(n_edges, seed=...)` returns a `SeedData` shaped like validated seed records
(entities with `_file`/`_line`, edges with evidence), so `mechgraph.curation.build_graph` turns it into
exactly the kind of MultiDiGraph `mechgraph.curation.graph_from_seeds` produces. `synthetic_graph` does both.

The topology grows like a real signalling network: nodes arrive one after the other, each
arriving node brings one edge to or from an existing node, and every other edge joins two
existing nodes chosen by preferential attachment (a node is picked in proportion to 1 + its
degree so far, separately for the source and the target end). Older nodes collect most edges,
giving the heavy-tailed (power-law-like) degree distribution of curated pathway databases.
On top of that the kinds are wired sensibly: the four disease outcomes start with a large
weight and receive many edges; therapies `targets`/`inhibits`/... targetable entities and are
`tested_in` clinical trials (which carry a phase); some entities change a therapy's efficacy;
cell states are `subtype_of` cell types, genes `part_of` complexes, therapies `subtype_of`
therapy classes. Each (source, target, relation) occurs once, as the MultiDiGraph key demands.

Everything is drawn from one `random.Random(seed)`: the same arguments give the same graph.
Every edge has its own evidence records (distinct dicts); only the short strings (summaries,
DOIs, species, levels) are shared from small pools, as interned strings would be.
"""

from __future__ import annotations

import random
from typing import Any

import networkx as nx

from mechgraph import schema
from mechgraph.curation.seeds import SeedData

OUTCOMES = schema.DISEASE_OUTCOMES  # peritoneal_metastasis, immunosuppressive_tme, malignant_ascites, poor_survival

# Kinds of the nodes that arrive after the initial core, with their shares.
KIND_SHARES: list[tuple[str, float]] = [
    ("gene", 0.36),
    ("cytokine", 0.14),
    ("cell_state", 0.10),
    ("cell_type", 0.06),
    ("process", 0.10),
    ("phenotype", 0.05),
    ("complex", 0.04),
    ("mirna", 0.03),
    ("chemical", 0.02),
    ("therapy", 0.06),
    ("therapy_class", 0.005),
    ("clinical_trial", 0.035),
    ("disease", 0.005),
]
# Causal relations between two biological entities, with their shares.
CAUSAL_SHARES: list[tuple[str, float]] = [
    ("promotes", 0.32),
    ("inhibits", 0.20),
    ("activates", 0.10),
    ("recruits", 0.05),
    ("secretes", 0.06),
    ("expresses", 0.06),
    ("polarizes", 0.03),
    ("kills", 0.02),
    ("binds", 0.06),
    ("associated_with", 0.06),
]
ACTING_SHARES: list[tuple[str, float]] = [("targets", 0.5), ("inhibits", 0.3), ("activates", 0.1), ("kills", 0.05),
                                          ("binds", 0.05)]
LEVEL_SHARES: list[tuple[str, float]] = [
    ("randomised_trial", 0.04),
    ("nonrandomised_trial", 0.04),
    ("observational_human", 0.30),
    ("preclinical_in_vivo", 0.30),
    ("in_vitro", 0.25),
    ("expert_statement", 0.07),
]
SPECIES_FOR_LEVEL = {
    "randomised_trial": ("patients",),
    "nonrandomised_trial": ("patients",),
    "observational_human": ("patients", "human_samples"),
    "preclinical_in_vivo": ("mouse_model",),
    "in_vitro": ("cell_line", "human_samples"),
    "expert_statement": ("review",),
}
PHASES = ("I", "II", "III", "I/II", "II/III", "IV", None)
PREFIX = {
    "gene": "G",
    "cytokine": "CK",
    "cell_state": "state",
    "cell_type": "cell",
    "process": "process",
    "phenotype": "phenotype",
    "complex": "complex",
    "mirna": "miR",
    "chemical": "chem",
    "therapy": "drug",
    "therapy_class": "class",
    "clinical_trial": "trial",
    "disease": "disease",
}
# Biological entities that may be the source or target of a causal edge.
BIO_KINDS = frozenset(
    ("gene", "cytokine", "cell_state", "cell_type", "process", "phenotype", "complex", "mirna", "chemical", "disease")
)
TARGETABLE = frozenset(("gene", "cytokine", "cell_state", "cell_type", "complex", "mirna", "chemical"))
CELL_KINDS = frozenset(("cell_state", "cell_type"))
EFFICACY_SOURCES = frozenset(("phenotype", "cell_state", "cell_type", "gene", "cytokine", "process"))
SYNTHETIC_FILE = "synthetic"

# Shares of the edges between two existing nodes, by purpose (the rest are causal edges).
P_OUTCOME = 0.06  # entity -promotes/inhibits-> one of the four outcomes
P_ACTING = 0.04  # therapy -targets/inhibits/...-> targetable entity
P_TESTED = 0.015  # therapy -tested_in-> clinical trial
P_EFFICACY = 0.01  # entity -inhibits/promotes-> therapy (changes its efficacy)
P_STRUCTURAL = 0.02  # subtype_of / part_of
OUTCOME_WEIGHT = 50  # initial preferential-attachment weight of each outcome as a target
INITIAL_WEIGHT = 2  # initial attractiveness of every node: higher softens the tail of the degree distribution


def _cumulative(shares: list[tuple[str, float]]) -> tuple[list[str], list[float]]:
    names, cum, total = [], [], 0.0
    for name, share in shares:
        total += share
        names.append(name)
        cum.append(total)
    return names, [c / total for c in cum]


def _chooser(rng: random.Random, shares: list[tuple[str, float]], resolution: int = 1000):
    """A function drawing a name with the given shares (a lookup table: one random() per draw)."""
    import bisect

    names, cum = _cumulative(shares)
    last = len(names) - 1
    table = [names[min(bisect.bisect_right(cum, (j + 0.5) / resolution), last)] for j in range(resolution)]
    rnd = rng.random

    def choose() -> str:
        return table[int(rnd() * resolution)]

    return choose


def synthetic_seeds(
    n_edges: int,
    *,
    seed: int = 0,
    edges_per_node: float = 4.0,
    n_refs: int | None = None,
) -> SeedData:
    """Seed-like records of a synthetic mechanism graph with exactly `n_edges` edges.

    About `n_edges / edges_per_node` entities (at least 40); `n_refs` distinct references
    (default: scales with the graph). Deterministic for the same arguments.
    """
    if n_edges < 10:
        raise ValueError("n_edges must be at least 10")
    import gc

    was_enabled = gc.isenabled()
    gc.disable()  # millions of small dicts and no cycles: the cyclic collector would only slow this down
    try:
        return _generate(n_edges, seed, edges_per_node, n_refs)
    finally:
        if was_enabled:
            gc.enable()


def _generate(n_edges: int, seed: int, edges_per_node: float, n_refs: int | None) -> SeedData:
    rng = random.Random(seed)
    rnd = rng.random
    n_nodes = max(40, int(n_edges / edges_per_node))
    n_refs = n_refs or max(45, n_edges // 25)

    # --- entities -----------------------------------------------------------------------
    ids: list[str] = []
    kinds: list[str] = []
    entities: dict[str, dict[str, Any]] = {}
    counters: dict[str, int] = {}

    def new_entity(kind: str, eid: str | None = None, name: str | None = None) -> int:
        i = counters.get(kind, 0) + 1
        counters[kind] = i
        if eid is None:
            eid = f"{PREFIX[kind].lower()}_{i}"
            name = f"{PREFIX[kind]}{i}" if kind in ("gene", "cytokine", "mirna") else f"{PREFIX[kind]} {i}"
        ent: dict[str, Any] = {"id": eid, "kind": kind, "name": name, "_file": SYNTHETIC_FILE, "_line": len(ids) + 1}
        if kind == "therapy":
            ent["modality"] = "antibody" if rnd() < 0.6 else "small_molecule"
        elif kind == "clinical_trial":
            phase = PHASES[int(rnd() * len(PHASES))]
            if phase:
                ent["phase"] = phase
        entities[eid] = ent
        ids.append(eid)
        kinds.append(kind)
        return len(ids) - 1

    # the initial core: the outcomes and a few of each kind, so every rule has material
    for o in OUTCOMES:
        new_entity("phenotype", o, o.replace("_", " "))
    for kind in ("gene", "gene", "gene", "cytokine", "cytokine", "cell_state", "cell_state", "cell_type", "cell_type",
                 "process", "complex", "therapy", "therapy", "therapy_class", "clinical_trial"):
        new_entity(kind)
    choose_kind = _chooser(rng, KIND_SHARES)
    # (kinds of the later nodes are drawn as they arrive)

    # --- preferential-attachment urns: a node appears once per unit of weight ------------
    out_urn: list[int] = []  # possible sources of causal edges
    in_urn: list[int] = []  # possible targets of causal edges
    therapy_urn: list[int] = []  # therapies (as actors)
    therapy_in_urn: list[int] = []  # therapies (as targets of efficacy edges)
    trial_urn: list[int] = []
    by_kind: dict[str, list[int]] = {}

    def activate(i: int) -> None:
        k = kinds[i]
        by_kind.setdefault(k, []).append(i)
        w = [i] * INITIAL_WEIGHT
        if k in BIO_KINDS:
            out_urn.extend(w)
            in_urn.extend(w)
        elif k == "therapy":
            therapy_urn.extend(w)
            therapy_in_urn.extend(w)
        elif k == "clinical_trial":
            trial_urn.extend(w)

    for i in range(len(ids)):
        activate(i)
    for i in range(len(OUTCOMES)):
        in_urn.extend([i] * (OUTCOME_WEIGHT - INITIAL_WEIGHT))

    # --- edges ----------------------------------------------------------------------------
    rel_names = list(schema.RELATIONS)
    rel_index = {r: j for j, r in enumerate(rel_names)}
    n_rel = len(rel_names)
    seen: set[int] = set()
    edges: list[dict[str, Any]] = []
    choose_causal = _chooser(rng, CAUSAL_SHARES)
    choose_acting = _chooser(rng, ACTING_SHARES)
    choose_level = _chooser(rng, LEVEL_SHARES)
    summaries = [
        f"Synthetic evidence {j}: the source {verb} the target in {ctx}."
        for j, (verb, ctx) in enumerate(
            (v, c)
            for v in ("raises", "lowers", "changes", "drives", "restrains", "correlates with", "binds", "recruits")
            for c in ("patient ascites", "peritoneal lavage", "a mouse model", "co-culture", "a cohort",
                      "tumour tissue", "single-cell data", "a phase II trial")
        )
    ]
    ref_ids = [str(r) for r in range(1, n_refs + 1)]
    dois = [f"10.5555/synthetic.{r}" for r in range(1, n_refs + 1)]
    species_pools = {lvl: sp for lvl, sp in SPECIES_FOR_LEVEL.items()}

    def pick(urn: list[int]) -> int:
        return urn[int(rnd() * len(urn))]

    def pick_kind(urn: list[int], allowed: frozenset[str], tries: int = 30) -> int | None:
        for _ in range(tries):
            i = urn[int(rnd() * len(urn))]
            if kinds[i] in allowed:
                return i
        return None

    n_summaries = len(summaries)

    def one_evidence() -> dict[str, Any]:
        r = int(rnd() * n_refs)
        lvl = choose_level()
        sp = species_pools[lvl]
        return {
            "ref": ref_ids[r],
            "doi": dois[r],
            "species": sp[int(rnd() * len(sp))],
            "level": lvl,
            "summary": summaries[int(rnd() * n_summaries)],
        }

    def evidence() -> list[dict[str, Any]]:
        x = rnd()
        if x < 0.70:
            return [one_evidence()]
        if x < 0.92:
            return [one_evidence(), one_evidence()]
        return [one_evidence(), one_evidence(), one_evidence()]

    def add(u: int, v: int, rel: str, grow: bool = True) -> bool:
        if u == v:
            return False
        key = (u * n_nodes_cap + v) * n_rel + rel_index[rel]
        if key in seen:
            return False
        seen.add(key)
        e: dict[str, Any] = {
            "source": ids[u],
            "relation": rel,
            "target": ids[v],
            "evidence": evidence(),
            "_file": SYNTHETIC_FILE,
            "_line": len(edges) + 1,
        }
        if rel == "associated_with":
            e["direction"] = "positive" if rnd() < 0.7 else "negative"
        edges.append(e)
        if grow:  # preferential attachment: each endpoint gains one unit of weight
            ku, kv = kinds[u], kinds[v]
            if ku in BIO_KINDS:
                out_urn.append(u)
            elif ku == "therapy":
                therapy_urn.append(u)
            if kv in BIO_KINDS:
                in_urn.append(v)
            elif kv == "therapy":
                therapy_in_urn.append(v)
            elif kv == "clinical_trial":
                trial_urn.append(v)
        return True

    def causal_rel(u: int, v: int) -> str:
        rel = choose_causal()
        if rel in ("kills", "polarizes") and kinds[v] not in CELL_KINDS:
            rel = "inhibits" if rel == "kills" else "promotes"
        return rel

    def connect_new(i: int) -> bool:
        """The arriving node's first edge, to or from an existing node."""
        k = kinds[i]
        if k == "therapy":
            t = pick_kind(in_urn, TARGETABLE)
            return t is not None and add(i, t, choose_acting() if kinds[t] in CELL_KINDS else _no_kill(choose_acting()))
        if k == "clinical_trial":
            return add(pick(therapy_urn), i, "tested_in")
        if k == "therapy_class":
            return add(pick(therapy_urn), i, "subtype_of")
        if rnd() < 0.5:
            t = pick(in_urn)
            return add(i, t, causal_rel(i, t))
        s = pick(out_urn)
        return add(s, i, causal_rel(s, i))

    def connect_old() -> bool:
        """An edge between two existing nodes, chosen by preferential attachment."""
        x = rnd()
        if x < P_OUTCOME:
            s = pick(out_urn)
            o = int(rnd() * len(OUTCOMES))
            return add(s, o, "promotes" if rnd() < 0.7 else "inhibits")
        x -= P_OUTCOME
        if x < P_ACTING:
            t = pick_kind(in_urn, TARGETABLE)
            if t is None:
                return False
            rel = choose_acting()
            return add(pick(therapy_urn), t, rel if kinds[t] in CELL_KINDS else _no_kill(rel))
        x -= P_ACTING
        if x < P_TESTED:
            return add(pick(therapy_urn), pick(trial_urn), "tested_in")
        x -= P_TESTED
        if x < P_EFFICACY:
            s = pick_kind(out_urn, EFFICACY_SOURCES)
            return s is not None and add(s, pick(therapy_in_urn), "inhibits" if rnd() < 0.6 else "promotes")
        x -= P_EFFICACY
        if x < P_STRUCTURAL:
            y = rnd()
            if y < 0.5 and by_kind.get("cell_type"):
                s = pick_kind(out_urn, frozenset(("cell_state",)))
                pool = by_kind["cell_type"]
                return s is not None and add(s, pool[int(rnd() * len(pool))], "subtype_of")
            if y < 0.8 and by_kind.get("complex"):
                s = pick_kind(out_urn, frozenset(("gene", "cytokine")))
                pool = by_kind["complex"]
                return s is not None and add(s, pool[int(rnd() * len(pool))], "part_of")
            pool = by_kind.get("therapy_class") or []
            return bool(pool) and add(pick(therapy_urn), pool[int(rnd() * len(pool))], "subtype_of")
        s = pick(out_urn)
        t = pick(in_urn)
        return add(s, t, causal_rel(s, t))

    n_nodes_cap = n_nodes + 64  # for the duplicate-edge key; ids never exceed it
    # wire the core so no initial node is isolated
    for i in range(len(OUTCOMES), len(ids)):
        if len(edges) >= n_edges:
            break
        for _ in range(20):
            if connect_new(i):
                break
    next_node = core = len(ids)
    stall = 0
    while len(edges) < n_edges:
        # arrivals are spread evenly over the edges: node j arrives at edge ~ j * edges_per_node
        if next_node < n_nodes and len(edges) >= (next_node - core) * n_edges / n_nodes:
            i = new_entity(choose_kind())
            activate(i)
            ok = False
            for _ in range(20):
                if connect_new(i):
                    ok = True
                    break
            next_node += 1
            if ok:
                continue
        if connect_old():
            stall = 0
        else:
            stall += 1
            if stall > 10_000:  # pragma: no cover - only when n_edges exceeds what the nodes allow
                raise ValueError(f"cannot place {n_edges} distinct edges on {len(ids)} nodes")
    return SeedData(entities=entities, edges=edges, references={}, axes={})


def _no_kill(rel: str) -> str:
    return "inhibits" if rel == "kills" else rel


def synthetic_graph(n_edges: int, *, seed: int = 0, edges_per_node: float = 4.0) -> nx.MultiDiGraph:
    """A synthetic mechanism graph built by the project's own `build_graph`."""
    from mechgraph.curation import build_graph

    g = build_graph(synthetic_seeds(n_edges, seed=seed, edges_per_node=edges_per_node))
    g.graph["name"] = f"synthetic-{n_edges}-seed{seed}"
    return g


def degree_summary(g: nx.MultiDiGraph) -> dict[str, float]:
    """Max, median and mean total degree, and the share of edges on the top 1% of nodes."""
    degs = sorted((d for _, d in g.degree()), reverse=True)
    if not degs:
        return {"max": 0, "median": 0, "mean": 0.0, "top1pct_edge_share": 0.0}
    n = len(degs)
    top = max(1, n // 100)
    return {
        "max": degs[0],
        "median": degs[n // 2] if n % 2 else (degs[n // 2 - 1] + degs[n // 2]) / 2,
        "mean": round(sum(degs) / n, 3),
        "top1pct_edge_share": round(sum(degs[:top]) / max(1, sum(degs)), 4),
    }
