"""The look of the pictures: colour and shape per entity kind, colour per sign, layout thresholds."""

from __future__ import annotations

# --------------------------------------------------------------------------------------------
# Look
# --------------------------------------------------------------------------------------------

# kind -> (colour, vis-network shape). Shapes with the label below the symbol only, so every
# kind reads the same way; kinds that share a shape differ clearly in colour.
KIND_STYLE: dict[str, tuple[str, str]] = {
    "cell_type": ("#1f6fb4", "dot"),
    "cell_state": ("#5bb8f0", "dot"),
    "tumour_cell": ("#4b2991", "dot"),  # the kind main's seeds give gastric cancer cells
    "gene": ("#7b3fa0", "diamond"),
    "complex": ("#c39be0", "diamond"),
    "mirna": ("#e05fb8", "triangleDown"),
    "cytokine": ("#f08c00", "triangle"),
    "chemical": ("#a08a00", "triangleDown"),
    "process": ("#0ca5a5", "square"),
    "disease": ("#7a0019", "star"),
    "phenotype": ("#e0356f", "star"),
    "therapy": ("#e8b000", "hexagon"),
    "therapy_class": ("#a6582a", "hexagon"),
    "clinical_trial": ("#5c6b7a", "square"),
    "publication": ("#b4b4b4", "dot"),
}
_DEFAULT_STYLE = ("#888888", "dot")

KIND_LABELS = {"mirna": "miRNA"}

SIGN_COLOURS = {"+": "#2b9348", "-": "#d62828", "0": "#9aa0a6"}
SIGN_LABELS = {"+": "promotes / activates (+)", "-": "inhibits / kills (−)", "0": "binds, targets, structural (0)"}
HIGHLIGHT_COLOUR = "#ff6a00"

LARGE_GRAPH = 300  # above this many nodes: no group titles, edges hidden while dragging
DENSE_NODES = 400
DENSE_EDGES = 1000
DENSE_RATIO = 5.0  # edges per node
# vis-network forceAtlas2Based settings, used only when a page is asked for physics
PHYSICS = {
    "gravitationalConstant": -75,
    "centralGravity": 0.03,
    "springLength": 70,
    "springConstant": 0.06,
    "damping": 0.5,
    "avoidOverlap": 0.6,
}
PHYSICS_SMALL = {**PHYSICS, "centralGravity": 0.012, "springLength": 110}
SMALL_GRAPH = 80


# Lines drawn by the page (assets/route.js)
BUNDLE_MIN = 3  # this many lines of one look into one node, from one side, share a trunk and one head
HUB_DEGREE = 15  # on the map, lines into a node with this many links are drawn paler and thinner
MAX_ZOOM = 1.6  # the fit never enlarges a small picture beyond this
