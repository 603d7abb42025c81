"""Every error mechgraph reports to a user: one base, and a one-line subclass per kind of mistake.

The CLI (mechgraph.cli) turns each into one line `error: ...` and the class's exit status, never
a traceback; a `Problems` error (seeds, graph files) prints each of its problems on a line of its
own, `FILE:LINE: message`, and their count. Every layer raises these and nothing else for things a
user can get wrong; this module imports nothing from the package.
"""

from __future__ import annotations


class MechGraphError(Exception):
    """Base of every error mechgraph reports to the user as one line."""

    exit_code = 1


class InputError(MechGraphError):
    """A value or file the user gave that mechgraph refuses: out of range, over a limit, malformed."""

    exit_code = 2


class Problems(InputError):
    """Problems found at once in files the user gave, each `FILE:LINE: message`, all reported together."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


class SeedError(Problems):
    """Problems in seed files (mechgraph.curation)."""


class GraphFileError(Problems):
    """Problems in a graph file read back with `--from` (mechgraph.io): not one mechgraph wrote, or damaged."""


class InputTooLarge(InputError):
    """An input over one of mechgraph's size limits (the message names the option that raises it)."""


class DataError(InputError):
    """An expression file or option that cannot be used: unreadable file, unknown column, no shared genes."""


class UnknownEntity(MechGraphError):
    """A name that matches no entity; carries close matches for a 'did you mean' list."""

    def __init__(self, name: str, suggestions: list[str]):
        self.name = name
        self.suggestions = suggestions
        hint = f"; did you mean: {', '.join(suggestions)}" if suggestions else ""
        super().__init__(f"no entity matches {name!r}{hint}")


class BackendUnavailable(MechGraphError):
    """The chosen backend cannot be reached (Neo4j down, wrong password)."""


class QueryError(MechGraphError):
    """A query that cannot run: Cypher syntax error, a write without --write, an unsupported clause."""


class QueryStopped(QueryError):
    """A query stopped by its time or memory limit (mechgraph.cypher.limits): input that asks too much."""

    exit_code = 2


class LostLock(QueryError):
    """A Neo4j load's lease on the load lock ran out, and another load may own it now."""


class OtherGraphPresent(MechGraphError):
    """The Neo4j database holds a different graph, or nodes that are not mechgraph's; --replace overrides."""


class ExportError(MechGraphError):
    """A graph file that cannot be read or written: unknown format, missing file or folder."""

    exit_code = 2


class OutputError(ExportError):
    """An output that cannot be written: a read-only folder, a full disk, a link at its name."""


class MissingExtra(MechGraphError):
    """An optional package (an extra: `omics`, `exchange`) is not installed."""

    exit_code = 3
