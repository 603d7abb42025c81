"""One exception base for everything a user can get wrong; the CLI turns each into one line."""

from __future__ import annotations


class MechGraphError(Exception):
    """Base of every error mechgraph reports to the user as one line."""

    exit_code = 1


class InputError(MechGraphError):
    """A value or file the user gave that mechgraph refuses: out of range, over a limit, malformed."""

    exit_code = 2


class SeedError(MechGraphError):
    """One or more problems in seed files, each as `FILE:LINE: message`."""

    exit_code = 2

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


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


class ExportError(MechGraphError):
    """A graph file that cannot be read or written."""

    exit_code = 2
