"""mechgraph: a typed, signed, evidence-backed mechanism graph of GCPM immunology.

The package is layered; each folder imports only from the ones below it:

    errors, schema, props      the vocabulary and the property view both stores share
    curation                   seed files -> validated records -> the NetworkX graph
    cypher                     the embedded Cypher engine and the named queries
    io                         export and import formats
    store                      the Backend protocol, the embedded and Neo4j backends, the factory
    analysis                   paths, targets, effects, gaps
    viz                        interactive HTML pictures
    pipeline, cli              the main job and the command line

Start with `mechgraph.curation.graph_from_seeds()` for the embedded graph, or
`mechgraph.store.open_backend()` for either backend behind one interface.
"""

__version__ = "0.2.0"
