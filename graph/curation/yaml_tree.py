"""YAML seed files read into trees that remember the line of every value, so problems name FILE:LINE.

Reading is bounded, whatever the file holds: a file over MAX_FILE_BYTES is refused before it is
read; aliases (`*name`, which the seeds use to share evidence lists) may expand to at most
MAX_VALUES values per file, counted before anything is expanded, so a few hundred bytes of
nested aliases (a "billion laughs") fail at once; merge keys (`<<:`) are refused (write the fields
out); keys must be plain text; a folder holds at most MAX_FILES YAML files among MAX_ENTRIES files and
folders, walked without following links to folders; and a seed file reached through a link must lie inside the seed
folder, so a link to /etc/shadow is refused and never read.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml

from ..errors import InputTooLarge
from ..fsio import read_limited

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: 5-10x faster
MAX_FILE_BYTES = 5_000_000
MAX_VALUES = 1_000_000  # values of one file once its aliases are expanded (the curated files hold ~1,400)
MAX_FILES = 5_000  # YAML files under one seed folder (the curated seeds have ~20)
MAX_ENTRIES = 20_000  # files and folders of any kind walked under one seed folder
MERGE_TAG = "tag:yaml.org,2002:merge"


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

    def expanded_size(self, root: yaml.Node) -> int:
        """How many values the tree holds once aliases are expanded, computed without expanding
        them (each distinct node once, iteratively: no recursion limit to hit); -1 when an alias
        refers to a value that contains it (a loop, which libyaml composes without complaint)."""
        size: dict[int, int] = {}
        open_: set[int] = set()  # nodes whose children are still being sized: the current path
        stack: list[tuple[yaml.Node, bool]] = [(root, False)]
        while stack:
            node, done = stack.pop()
            if id(node) in size:
                continue
            children = ([x for kv in node.value for x in kv] if isinstance(node, yaml.MappingNode)
                        else list(node.value) if isinstance(node, yaml.SequenceNode) else [])
            if done or not children:
                size[id(node)] = min(1 + sum(size[id(c)] for c in children), MAX_VALUES + 1)
                open_.discard(id(node))
                continue
            if any(id(c) in open_ or c is node for c in children):
                return -1
            open_.add(id(node))
            stack.append((node, True))
            stack.extend((c, False) for c in children if id(c) not in size)
        return size[id(root)]

    def convert(self, n: yaml.Node, depth: int = 0) -> Node:
        line = n.start_mark.line + 1
        if depth > 50:
            self.problems.append(f"{self.rel}:{line}: nesting deeper than 50 levels")
            return Node(None, line)
        if isinstance(n, yaml.MappingNode):
            out: dict[str, Node] = {}
            for k, v in n.value:
                if k.tag == MERGE_TAG:
                    self.problems.append(f"{self.rel}:{k.start_mark.line + 1}: YAML merge keys (<<) are not supported; "
                                         "write the fields out (an alias of a whole value, *name, is fine)")
                    continue
                if not isinstance(k, yaml.ScalarNode):
                    self.problems.append(f"{self.rel}:{k.start_mark.line + 1}: mapping keys must be plain text")
                    continue
                try:
                    key = str(self.constructor.construct_object(k))
                except (yaml.YAMLError, ValueError, TypeError, OverflowError) as e:
                    self.problems.append(f"{self.rel}:{k.start_mark.line + 1}: cannot read key: "
                                         f"{str(e).splitlines()[0]}")
                    continue
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


def yaml_files(root: Path) -> list[Path]:
    """The .yaml/.yml files under the folder `root`, sorted. Links to folders are not followed, and
    the walk stops (InputTooLarge) after MAX_FILES YAML files or MAX_ENTRIES files and folders of any
    kind, so `--seeds /` fails in a moment instead of walking the whole disk."""
    found: list[Path] = []
    seen = 0
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs.sort()
        seen += len(dirs) + len(files)
        if seen > MAX_ENTRIES:
            raise InputTooLarge(f"{root}: holds more than {MAX_ENTRIES} files and folders; is this the seed folder?")
        for name in files:
            if name.endswith((".yaml", ".yml")):
                p = Path(folder) / name
                if p.is_file():
                    found.append(p)
        if len(found) > MAX_FILES:
            raise InputTooLarge(f"{root}: holds more than {MAX_FILES} YAML files; is this the seed folder?")
    return sorted(found)


def outside(path: Path, root: Path) -> Path | None:
    """Where `path` really is when that is outside the folder `root` (a link leaving it), else None."""
    try:
        real = path.resolve()
        real.relative_to(root.resolve())
    except ValueError:
        return real
    except (OSError, RuntimeError):  # a loop of links
        return path
    return None


def parse_file(path: Path, rel: str, problems: list[str], *, inside: Path | None = None) -> Node | None:
    """The file's tree of Nodes, or None after adding its problems. With `inside` (the seed folder),
    a file that is a link to somewhere outside that folder is refused without being read."""
    if inside is not None and inside.is_dir():
        real = outside(path, inside)
        if real is not None:
            problems.append(f"{rel}:1: is a link to {real}, outside the seed folder {inside}; seed files must lie in "
                            "the seed folder")
            return None
    try:
        raw = read_limited(path, MAX_FILE_BYTES, what="seed file")
    except InputTooLarge:
        size = path.stat().st_size if path.is_file() else MAX_FILE_BYTES + 1
        problems.append(f"{rel}:1: file is {size} bytes; seed files are limited to {MAX_FILE_BYTES}")
        return None
    except OSError as e:
        problems.append(f"{rel}:1: cannot read file: {e.strerror}")
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
    reader = _Reader(rel, problems)
    values = reader.expanded_size(tree)
    if values < 0:
        problems.append(f"{rel}:1: a YAML alias refers to a value that contains it (a loop)")
        return None
    if values > MAX_VALUES:
        problems.append(f"{rel}:1: YAML aliases expand to more than {MAX_VALUES} values (nested aliases, a \"billion "
                        "laughs\"?); "
                        "seed files may share values with aliases, not multiply them")
        return None
    try:
        return reader.convert(tree)
    except RecursionError:
        problems.append(f"{rel}:1: nesting too deep")
        return None
