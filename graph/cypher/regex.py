"""Cypher's `=~` with Java's regular expressions, run on Python's `re`.

Neo4j matches `s =~ pattern` with java.util.regex (`Pattern.matches`), whose rules differ from
Python's where users meet them: by default `\\w \\d \\s` and their negations are ASCII only
(`\\w` is `[a-zA-Z_0-9]`, so it matches no Chinese character), `(?i)` folds ASCII letters only
unless `(?u)` (UNICODE_CASE) is also given, `.` stops at every line terminator (`\\n \\r \\u0085
\\u2028 \\u2029`, only `\\n` under `(?d)`), `$` also matches before a final line terminator, and
an inline flag such as `(?i)` may stand anywhere and holds to the end of its group.

`java_to_python` translates a Java pattern into an equivalent Python one: classes become
explicit ASCII sets, case-insensitive letters and classes are wrapped in `(?ai:...)` (ASCII
folding) or `(?i:...)` (Unicode folding under `(?u)`), anchors and `.` become explicit
look-arounds and sets. `\\b` keeps Python's Unicode word boundary, which is what the Java 17
runtime of Neo4j 5.26 uses (`Character.isLetterOrDigit` or `_`; Java 19+ made it ASCII).
Constructs whose Java meaning cannot be reproduced are refused with "unsupported Cypher":
the flags `(?x)` (COMMENTS) and `(?U)` (UNICODE_CHARACTER_CLASS), Unicode property classes such
as `\\p{L}` or `\\p{IsHan}` (the POSIX ones such as `\\p{Alpha}` are supported), nested classes
`[a[b]]` and intersections `[a-z&&[^b]]`, and `\\G`.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from ..errors import QueryError
from .values import unsupported

_WORD, _DIGIT, _SPACE = "a-zA-Z_0-9", "0-9", " \\t\\n\\x0b\\f\\r"
_HSPACE = " \\t\\xa0\\u1680\\u180e\\u2000-\\u200a\\u202f\\u205f\\u3000"
_VSPACE = "\\n\\x0b\\f\\r\\x85\\u2028\\u2029"
_TERMINATORS = "\\n\\r\\x85\\u2028\\u2029"
_POSIX = {  # Java's POSIX classes (US-ASCII only, as in java.util.regex.Pattern)
    "Lower": "a-z", "Upper": "A-Z", "ASCII": "\\x00-\\x7f", "Alpha": "a-zA-Z", "Digit": "0-9",
    "Alnum": "a-zA-Z0-9", "Punct": "!-/:-@\\[-`{-~", "Graph": "!-~", "Print": " -~", "Blank": " \\t",
    "Cntrl": "\\x00-\\x1f\\x7f", "XDigit": "0-9a-fA-F", "Space": " \\t\\n\\x0b\\f\\r",
}
_CLASS_ESCAPES = {  # escape -> (set, negated)
    "d": (_DIGIT, False), "D": (_DIGIT, True), "w": (_WORD, False), "W": (_WORD, True),
    "s": (_SPACE, False), "S": (_SPACE, True), "h": (_HSPACE, False), "H": (_HSPACE, True),
    "v": (_VSPACE, False), "V": (_VSPACE, True),
}
_CHAR_ESCAPES = {"t": "\t", "n": "\n", "r": "\r", "f": "\f", "a": "\a", "e": "\x1b"}
_FLAGS = "idmsuxU"
_CACHE: dict[str, re.Pattern] = {}


class _Invalid(Exception):
    """A pattern Java would reject (PatternSyntaxException)."""


def regex_match(s: Any, pat: Any) -> bool | None:
    """`s =~ pat`: whether the whole string matches, null unless both are strings."""
    if type(s) is not str or type(pat) is not str:
        return None
    rx = _CACHE.get(pat)
    if rx is None:
        rx = compile_java(pat)
        if len(_CACHE) > 256:
            _CACHE.clear()
        _CACHE[pat] = rx
    return rx.fullmatch(s) is not None


def compile_java(pat: str) -> re.Pattern:
    """A compiled Python pattern that matches what Java's Pattern.compile(pat) matches."""
    try:
        return re.compile(java_to_python(pat))
    except _Invalid as e:
        raise QueryError(f"invalid regular expression {pat!r}: {e}") from None
    except (re.error, OverflowError, RecursionError) as e:
        # The pattern is valid Java (the translator checks its syntax) but Python's engine cannot
        # run it, e.g. a look-behind of variable length.
        raise unsupported(f"the regular expression {pat!r} on the embedded backend ({e})") from None


def java_to_python(pat: str) -> str:
    """Translate a Java regular expression into a Python one with the same matches."""
    return _Translator(pat).run()


class _Translator:
    def __init__(self, pat: str):
        self.p = pat
        self.i = 0
        self.out: list[str] = []
        self.flags: set[str] = set()
        self.stack: list[set[str]] = []  # flags to restore when each open group closes
        self.groups = 0
        self.can_repeat = False

    def run(self) -> str:
        p = self.p
        while self.i < len(p):
            c = p[self.i]
            self.i += 1
            if c == "\\":
                self.escape()
            elif c == "[":
                self.atom(self.char_class())
            elif c == "(":
                self.open_group()
            elif c == ")":
                if not self.stack:
                    raise _Invalid("unmatched closing ')'")
                self.flags = self.stack.pop()
                self.out.append(")")
                self.can_repeat = True
            elif c == "|":
                self.out.append("|")
                self.can_repeat = False
            elif c == ".":
                if "s" in self.flags:
                    self.atom("[\\s\\S]", fold=False)
                else:
                    self.atom("[^\\n]" if "d" in self.flags else f"[^{_TERMINATORS}]", fold=False)
            elif c == "^":
                self.anchor(self.caret())
            elif c == "$":
                self.anchor(self.dollar())
            elif c in "*+?":
                self.quantifier(c)
            elif c == "{":
                m = re.compile(r"(\d+)(,(\d*))?}").match(p, self.i)
                if m is None:
                    raise _Invalid(f"illegal repetition near index {self.i - 1}")
                if m.group(3) and int(m.group(3)) < int(m.group(1)):
                    raise _Invalid(f"illegal repetition range near index {self.i - 1}")
                self.i = m.end()
                self.quantifier("{" + m.group(0))
            else:
                self.literal(c)
        if self.stack:
            raise _Invalid("unclosed group")
        return "".join(self.out)

    # ----- pieces
    def atom(self, text: str, fold: bool = True) -> None:
        """One matchable unit, wrapped in case folding when (?i) is on and it can fold."""
        if fold and "i" in self.flags:
            text = f"(?i:{text})" if "u" in self.flags else f"(?ai:{text})"
        self.out.append(text)
        self.can_repeat = True

    def anchor(self, text: str) -> None:
        self.out.append(text)
        self.can_repeat = True  # Java allows a quantifier after an anchor; Python gets it on a group

    def literal(self, ch: str) -> None:
        self.atom(re.escape(ch), fold=ch.lower() != ch.upper())

    def quantifier(self, q: str) -> None:
        if not self.can_repeat:
            raise _Invalid(f"dangling meta character {q[0]!r}")
        p = self.p
        if self.i < len(p) and p[self.i] in "?+":
            q += p[self.i]
            self.i += 1
        last = self.out[-1]
        if not (last.startswith("(") and last.endswith(")")) and last != ")":
            self.out[-1] = f"(?:{last})" if len(last) > 1 and not _is_single(last) else last
        self.out.append(q)
        self.can_repeat = False

    def caret(self) -> str:
        if "m" not in self.flags:
            return "(?:\\A)"
        if "d" in self.flags:
            return "(?:\\A|(?<=\\n)(?!\\Z))"
        return "(?:\\A|(?<=[\\n\\x85\\u2028\\u2029])(?!\\Z)|(?<=\\r)(?!\\n)(?!\\Z))"

    def dollar(self) -> str:
        if "d" in self.flags:
            return "(?=\\n|\\Z)" if "m" in self.flags else "(?=\\n?\\Z)"
        if "m" in self.flags:
            return "(?:(?=[\\r\\x85\\u2028\\u2029])|(?<!\\r)(?=\\n)|\\Z)"
        return f"(?=(?:\\r\\n|[{_TERMINATORS}])?\\Z)"

    def open_group(self) -> None:
        p = self.p
        saved = set(self.flags)
        if not p.startswith("?", self.i):
            self.groups += 1
            self.stack.append(saved)
            self.out.append("(")
            self.can_repeat = False
            return
        self.i += 1
        m = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)>").match(p, self.i)
        if m:
            self.groups += 1
            self.i = m.end()
            self.stack.append(saved)
            self.out.append(f"(?P<{m.group(1)}>")
            self.can_repeat = False
            return
        for opener in (":", "=", "!", "<=", "<!", ">"):
            if p.startswith(opener, self.i):
                self.i += len(opener)
                self.stack.append(saved)
                self.out.append("(?" + opener)
                self.can_repeat = False
                return
        m = re.compile(r"([a-zA-Z]*)(?:-([a-zA-Z]*))?([:)])").match(p, self.i)
        if m is None:
            raise _Invalid(f"unknown inline modifier near index {self.i}")
        on, off, end = m.group(1), m.group(2) or "", m.group(3)
        for f in on + off:
            if f not in _FLAGS:
                raise _Invalid(f"unknown inline modifier {f!r}")
            if f == "x":
                raise unsupported("the regular-expression flag (?x) (comments mode) on the embedded backend")
            if f == "U" and f in on:
                raise unsupported("the regular-expression flag (?U) (Unicode character classes) on the embedded "
                                  "backend")
        self.i = m.end()
        if end == ")":  # (?i): holds to the end of the enclosing group
            self.flags = (self.flags | set(on)) - set(off)
            return
        self.stack.append(saved)
        self.flags = (self.flags | set(on)) - set(off)
        self.out.append("(?:")
        self.can_repeat = False

    # ----- escapes
    def escape(self) -> None:
        p = self.p
        if self.i >= len(p):
            raise _Invalid("unexpected internal error: trailing backslash")
        c = p[self.i]
        self.i += 1
        if c in _CLASS_ESCAPES:
            chars, neg = _CLASS_ESCAPES[c]
            self.atom(f"[{'^' if neg else ''}{chars}]", fold=False)
        elif c == "b":
            self.anchor("(?:(?<=\\w)(?!\\w)|(?<!\\w)(?=\\w))")
        elif c == "B":
            self.anchor("(?:(?<=\\w)(?=\\w)|(?<!\\w)(?!\\w))")
        elif c == "A":
            self.anchor("\\A")
        elif c == "z":
            self.anchor("\\Z")
        elif c == "Z":
            self.anchor("(?=\\n?\\Z)" if "d" in self.flags else f"(?=(?:\\r\\n|[{_TERMINATORS}])?\\Z)")
        elif c == "R":
            self.atom(f"(?:\\r\\n|[{_VSPACE}])", fold=False)
        elif c in "GX":
            what = "anchor \\G" if c == "G" else "grapheme cluster \\X"
            raise unsupported(f"the regular-expression {what} on the embedded backend")
        elif c == "Q":
            j = p.find("\\E", self.i)
            j = len(p) if j < 0 else j
            for ch in p[self.i : j]:
                self.literal(ch)
            self.i = min(len(p), j + 2)
        elif c in "pP":
            chars = self.property_class(c)
            self.atom(f"[{'^' if c == 'P' else ''}{chars}]")
        elif c == "k":
            m = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)>").match(p, self.i)
            if m is None:
                raise _Invalid("\\k is not followed by <name>")
            self.i = m.end()
            self.atom(f"(?P={m.group(1)})")
        elif c.isdigit() and c != "0":
            n = int(c)
            while self.i < len(p) and p[self.i].isdigit() and int(f"{n}{p[self.i]}") <= self.groups:
                n = int(f"{n}{p[self.i]}")
                self.i += 1
            self.atom(f"(?:\\{n})" if n <= self.groups else "(?!)")  # Java: a group not yet open never matches
        else:
            self.literal(self.char_escape(c))

    def char_escape(self, c: str) -> str:
        """The character of a one-character escape (\\t, \\x41, \\u00e9, \\0101, \\cA, \\.)."""
        p = self.p
        if c in _CHAR_ESCAPES:
            return _CHAR_ESCAPES[c]
        if c == "0":
            m = re.compile(r"[0-3][0-7]{0,2}|[0-7]{1,2}").match(p, self.i)
            if m is None:
                raise _Invalid("illegal octal escape sequence")
            self.i = m.end()
            return chr(int(m.group(0), 8))
        if c == "x":
            m = re.compile(r"\{([0-9a-fA-F]{1,6})\}|([0-9a-fA-F]{2})").match(p, self.i)
            if m is None or int(m.group(1) or m.group(2), 16) > 0x10FFFF:
                raise _Invalid("illegal hexadecimal escape sequence")
            self.i = m.end()
            return chr(int(m.group(1) or m.group(2), 16))
        if c == "u":
            m = re.compile(r"[0-9a-fA-F]{4}").match(p, self.i)
            if m is None:
                raise _Invalid("illegal Unicode escape sequence")
            self.i = m.end()
            return chr(int(m.group(0), 16))
        if c == "N":
            m = re.compile(r"\{([^}]*)\}").match(p, self.i)
            try:
                ch = unicodedata.lookup(m.group(1)) if m else None
            except KeyError:
                ch = None
            if ch is None:
                raise _Invalid("illegal character name in \\N{...}")
            self.i = m.end()
            return ch
        if c == "c":
            if self.i >= len(p):
                raise _Invalid("illegal control escape sequence")
            self.i += 1
            return chr(ord(p[self.i - 1]) ^ 64)
        if c.isascii() and c.isalnum():
            raise _Invalid(f"illegal/unsupported escape sequence \\{c}")
        return c

    def property_class(self, c: str) -> str:
        p = self.p
        m = re.compile(r"\{([A-Za-z_]+)\}|([A-Za-z])").match(p, self.i)
        if m is None:
            raise _Invalid(f"illegal \\{c} property")
        self.i = m.end()
        name = m.group(1) or m.group(2)
        if name not in _POSIX:
            written = p[m.start() - 2 : m.end()]
            raise unsupported(f"the regular-expression class {written} on the embedded backend (POSIX classes such as "
                              f"\\p{{Alpha}} are supported)")
        return _POSIX[name]

    # ----- character classes
    def char_class(self) -> str:
        """A Java class [...] as Python: members are sets P and complemented sets N1..Nk,
        so the class is (?:[P]|[^N1]|...), or its negation."""
        p = self.p
        negated = p.startswith("^", self.i)
        if negated:
            self.i += 1
        pos: list[str] = []
        negs: list[str] = []
        first = True
        while True:
            if self.i >= len(p):
                raise _Invalid("unclosed character class")
            c = p[self.i]
            self.i += 1
            if c == "]" and not first:
                break
            first = False
            if c == "[":
                raise unsupported("nested character classes [a[b]] in a regular expression on the embedded backend")
            if c == "&" and p.startswith("&", self.i):
                raise unsupported("character class intersections [a-z&&[^b]] in a regular expression on the embedded "
                                  "backend")
            if c == "\\":
                if self.i >= len(p):
                    raise _Invalid("unclosed character class")
                e = p[self.i]
                self.i += 1
                if e in _CLASS_ESCAPES:
                    chars, neg = _CLASS_ESCAPES[e]
                    (negs if neg else pos).append(chars)
                    continue
                if e in "pP":
                    (negs if e == "P" else pos).append(self.property_class(e))
                    continue
                if e == "Q":
                    j = p.find("\\E", self.i)
                    j = len(p) if j < 0 else j
                    pos.extend(re.escape(ch) for ch in p[self.i : j])
                    self.i = min(len(p), j + 2)
                    continue
                if e in "bBAzZGRk" or (e.isdigit() and e != "0"):
                    raise _Invalid(f"illegal escape \\{e} in a character class")
                c = self.char_escape(e)
            lo = c
            if p.startswith("-", self.i) and self.i + 1 < len(p) and p[self.i + 1] != "]":
                self.i += 1
                hi = p[self.i]
                self.i += 1
                if hi == "[":
                    raise unsupported("nested character classes [a[b]] in a regular expression on the embedded backend")
                if hi == "\\":
                    if self.i >= len(p):
                        raise _Invalid("unclosed character class")
                    e = p[self.i]
                    self.i += 1
                    if e in _CLASS_ESCAPES or e in "pP":
                        raise _Invalid("illegal character range")
                    hi = self.char_escape(e)
                if ord(hi) < ord(lo):
                    raise _Invalid(f"illegal character range {lo}-{hi}")
                pos.append(f"{_class_char(lo)}-{_class_char(hi)}")
            else:
                pos.append(_class_char(lo))
        parts = ([f"[{''.join(pos)}]"] if pos else []) + [f"[^{n}]" for n in negs]
        if not parts:
            raise _Invalid("empty character class")
        union = parts[0] if len(parts) == 1 else f"(?:{'|'.join(parts)})"
        if not negated:
            return union
        if not negs:
            return f"[^{''.join(pos)}]"
        return f"(?:(?!{union})[\\s\\S])"


def _class_char(c: str) -> str:
    """A character written so it means itself inside a Python [...] set."""
    return "\\" + c if c in "\\]^-[" else re.escape(c) if not c.isalnum() else c


def _is_single(text: str) -> bool:
    """Whether Python reads `text` as one repeatable unit (a set, an escape, or one character)."""
    if text.startswith("[") and text.endswith("]") and text.count("]") == 1 + text.count("\\]"):
        return True
    return len(text) == 2 and text[0] == "\\"
