"""YAML seed files read into trees that remember the line of every value, so problems name FILE:LINE."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: 5-10x faster
MAX_FILE_BYTES = 5_000_000


class Node:
    """A YAML value with the line it starts on (1-based)."""

    __slots__ = ("value", "line")

    def __init__(self, value: Any, line: int):
        self.value = value
        self.line = line


def _plain(node: Node) -> Any:
    """Strip line information from a Node tree."""
    v = node.value
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_plain(x) for x in v]
    return v


class _Reader:
    """Turns a composed YAML tree into Node objects, noting duplicate keys."""

    def __init__(self, rel: str, problems: list[str]):
        self.rel = rel
        self.problems = problems
        self.constructor = yaml.SafeLoader("")

    def convert(self, n: yaml.Node, depth: int = 0) -> Node:
        line = n.start_mark.line + 1
        if depth > 50:
            self.problems.append(f"{self.rel}:{line}: nesting deeper than 50 levels")
            return Node(None, line)
        if isinstance(n, yaml.MappingNode):
            out: dict[str, Node] = {}
            for k, v in n.value:
                if not isinstance(k, yaml.ScalarNode):
                    self.problems.append(f"{self.rel}:{k.start_mark.line + 1}: mapping keys must be plain text")
                    continue
                key = str(self.constructor.construct_object(k))
                if key in out:
                    self.problems.append(f"{self.rel}:{k.start_mark.line + 1}: duplicate key {key!r}")
                out[key] = self.convert(v, depth + 1)
            return Node(out, line)
        if isinstance(n, yaml.SequenceNode):
            return Node([self.convert(x, depth + 1) for x in n.value], line)
        try:
            value = self.constructor.construct_object(n)
        except (yaml.YAMLError, ValueError, TypeError, OverflowError) as e:
            self.problems.append(f"{self.rel}:{line}: cannot read value: {str(e).splitlines()[0]}")
            value = None
        return Node(value, line)


def parse_file(path: Path, rel: str, problems: list[str]) -> Node | None:
    try:
        raw = path.read_bytes()
    except OSError as e:
        problems.append(f"{rel}:1: cannot read file: {e.strerror}")
        return None
    if len(raw) > MAX_FILE_BYTES:
        problems.append(f"{rel}:1: file is {len(raw)} bytes; seed files are limited to {MAX_FILE_BYTES}")
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        problems.append(f"{rel}:{line}: not valid UTF-8 (byte 0x{raw[e.start]:02x}); save the file as UTF-8")
        return None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        problems.append(f"{rel}:{line}: file contains a NUL character")
        return None
    try:
        tree = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark else 1
        what = (e.problem or e.context or "invalid YAML").strip()
        problems.append(f"{rel}:{line}: YAML syntax error: {what}")
        return None
    except (yaml.YAMLError, RecursionError) as e:
        problems.append(f"{rel}:1: YAML syntax error: {str(e).splitlines()[0] if str(e) else type(e).__name__}")
        return None
    if tree is None:
        return Node({}, 1)
    try:
        return _Reader(rel, problems).convert(tree)
    except RecursionError:
        problems.append(f"{rel}:1: nesting too deep")
        return None
