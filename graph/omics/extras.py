"""The omics layer's optional packages (anndata, pandas, scipy, scanpy, liana), imported only when used.

`require` imports one or says in one line (mechgraph.errors.MissingExtra, exit 3) how to install
the `omics` extra, so `mechgraph --help` and every command that needs no expression data work
without them.
"""

from __future__ import annotations

import importlib
from typing import Any

from ..errors import MissingExtra

INSTALL_HINT = "pip install 'mechgraph[omics]'"


def require(module: str, why: str) -> Any:
    """Import `module` or say in one line how to install it."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingExtra(f"{why} needs the '{module.split('.')[0]}' package; install the omics extra: "
                           f"{INSTALL_HINT}") from None
