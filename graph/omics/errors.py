"""The omics layer's errors (each one line for the user) and the lazy import of its optional packages."""

from __future__ import annotations

import importlib
from typing import Any

from ..errors import MechGraphError

INSTALL_HINT = "pip install 'mechgraph[omics]'"


class DataError(MechGraphError):
    """An expression file or option that cannot be used: unreadable file, unknown column, no shared genes."""

    exit_code = 2


class MissingExtra(MechGraphError):
    """An optional package of the `omics` extra is not installed."""

    exit_code = 3


def require(module: str, why: str) -> Any:
    """Import `module` or say in one line how to install it."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingExtra(f"{why} needs the '{module.split('.')[0]}' package; install the omics extra: {INSTALL_HINT}") from None
