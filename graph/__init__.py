"""mechgraph: a typed, signed, evidence-backed mechanism graph of GCPM immunology.

Start with `graph.model.load_graph()` for the embedded NetworkX graph, or
`graph.backend.open_backend()` for either backend behind one interface.
"""

__version__ = "0.1.0"
