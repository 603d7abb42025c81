"""mechgraph: a typed, signed, evidence-backed mechanism graph of GCPM immunology.

The package is layered; each folder imports only from the ones below it:

    errors, schema, props,     every error class; the vocabulary; the property view both stores
    edges, fsio                share; what an edge means; outputs written whole, inputs bounded
    curation                   seed files -> validated records -> the NetworkX graph
    cypher                     the embedded Cypher engine and the named queries
    io                         export and import formats
    store                      the Backend protocols, the embedded and Neo4j backends, the factory
    analysis                   paths, targets, effects, combinations, gaps; bounded fetches
    omics                      a researcher's expression data over the graph
    viz                        pictures of a graph it is given: HTML, SVG, PNG
    pipeline, views            the main job; the views `viz` draws (names, paths, titles)
    cli                        the command line (`mechgraph`, `python -m mechgraph`)

Start with `mechgraph.curation.graph_from_seeds()` for the embedded graph, or
`mechgraph.store.open_backend()` for either backend behind one interface.
"""

__version__ = "0.2.0"
