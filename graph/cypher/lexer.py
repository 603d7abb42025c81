"""Lexer of the embedded Cypher engine: query text to tokens, with line/column syntax errors.

Tokens are identifiers (`id`), `quoted names` (`qid`), strings, integers, floats, `$params` and
punctuation (`p`). Keywords are identifiers; the parser decides what a word means in context.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from ..errors import QueryError


class Token:
    __slots__ = ("kind", "val", "s", "e")

    def __init__(self, kind: str, val: Any, s: int, e: int):
        self.kind, self.val, self.s, self.e = kind, val, s, e

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"Token({self.kind}, {self.val!r})"


def syntax_error(text: str, pos: int, msg: str) -> QueryError:
    line = text.count("\n", 0, pos) + 1
    col = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return QueryError(f"Cypher syntax error at line {line}, column {col}: {msg}")


_DIGITS = "0123456789"
_HEX = "0123456789abcdefABCDEF"
_PUNCT2 = ("<>", "<=", ">=", "=~", "..", "+=", "::", "!=")
_PUNCT1 = "()[]{},.:;|=<>+-*/%^&!"
_PART = r"[0-9](?:_?[0-9])*"  # digits, with single underscores between them as in Neo4j 5 (1_000)
_NUMBER_RE = re.compile(
    rf"0[xX](?P<hex>(?:_?[0-9a-fA-F])+)|0[oO](?P<oct>(?:_?[0-7])+)"
    rf"|(?P<float>(?:{_PART})?\.{_PART}(?:[eE][+-]?{_PART})?|{_PART}[eE][+-]?{_PART})"
    rf"|(?P<int>{_PART})"
)
_ESCAPES = {"\\": "\\", "'": "'", '"': '"', "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}


_START_CATEGORIES = {"Lu", "Ll", "Lt", "Lm", "Lo", "Nl", "Pc"}
_PART_CATEGORIES = _START_CATEGORIES | {"Sc", "Nd", "Mn", "Mc", "Cf"}


def _is_ident_start(c: str) -> bool:
    """How Neo4j 5 starts a name: a letter, a letter number or connector punctuation (`_`)."""
    if c < "\x80":
        return c.isalpha() or c == "_"
    return unicodedata.category(c) in _START_CATEGORIES


def _is_ident_char(c: str) -> bool:
    """How Neo4j 5 continues a name (Java's Character.isJavaIdentifierPart): also digits,
    currency symbols, combining marks, format characters and the "ignorable" control characters."""
    if c < "\x80":
        return c.isalnum() or c in "_$" or "\x00" <= c <= "\x08" or "\x0e" <= c <= "\x1b" or c == "\x7f"
    o = ord(c)
    return o <= 0x9F or unicodedata.category(c) in _PART_CATEGORIES


def _number(text: str, s: int, m: re.Match) -> Token:
    """An integer or float literal: decimal, 0x hex, 0o octal, `.5`, `1e3`, `1_000`."""
    if m["hex"] is not None or m["oct"] is not None:
        digits = (m["hex"] or m["oct"]).lstrip("_")
        if not digits:
            raise syntax_error(text, s, "invalid number literal")
        return Token("int", int(digits.replace("_", ""), 16 if m["hex"] is not None else 8), s, m.end())
    if m["float"] is not None:
        v = float(m["float"].replace("_", ""))
        if v == float("inf"):
            raise syntax_error(text, s, f"floating point number is too large: {m['float']}")
        return Token("float", v, s, m.end())
    digits = m["int"]
    if len(digits) > 1 and digits[0] == "0":
        if digits.isdigit():
            raise syntax_error(text, s, f"the octal integer literal syntax {digits} is no longer supported, use "
                                        f"0o{digits.lstrip('0') or '0'}")
        raise syntax_error(text, s, "invalid number literal")
    return Token("int", int(digits.replace("_", "")), s, m.end())


def lex(text: str) -> list[Token]:
    """The tokens of a query, ending with an `eof` token; comments and whitespace dropped."""
    toks: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
            continue
        if c == "/" and text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
            continue
        if c == "/" and text.startswith("/*", i):
            j = text.find("*/", i + 2)
            if j < 0:
                raise syntax_error(text, i, "unterminated comment")
            i = j + 2
            continue
        s = i
        if _is_ident_start(c):
            i += 1
            while i < n and _is_ident_char(text[i]):
                i += 1
            toks.append(Token("id", text[s:i], s, i))
            continue
        if c in _DIGITS or (c == "." and i + 1 < n and text[i + 1] in _DIGITS):
            m = _NUMBER_RE.match(text, i)
            i = m.end()
            if i < n and _is_ident_char(text[i]):
                raise syntax_error(text, s, "invalid number literal")
            toks.append(_number(text, s, m))
            continue
        if c in "'\"":
            i += 1
            out = []
            while True:
                if i >= n:
                    raise syntax_error(text, s, "unterminated string literal")
                ch = text[i]
                if ch == c:
                    i += 1
                    break
                if ch == "\\":
                    if i + 1 >= n:
                        raise syntax_error(text, s, "unterminated string literal")
                    e = text[i + 1]
                    if e in _ESCAPES:
                        out.append(_ESCAPES[e])
                        i += 2
                    elif e in "uU":
                        width = 4 if e == "u" else 8
                        hx = text[i + 2 : i + 2 + width]
                        if len(hx) != width or any(h not in _HEX for h in hx) or int(hx, 16) > 0x10FFFF:
                            raise syntax_error(text, i, "invalid unicode escape in string literal")
                        out.append(chr(int(hx, 16)))
                        i += 2 + width
                    else:
                        raise syntax_error(text, i, f"invalid escape sequence {chr(92) + e!r} in string literal")
                else:
                    out.append(ch)
                    i += 1
            toks.append(Token("str", "".join(out), s, i))
            continue
        if c == "`":
            j = i + 1
            out = []
            while True:
                if j >= n:
                    raise syntax_error(text, s, "unterminated `quoted name`")
                if text[j] == "`":
                    if text.startswith("``", j):
                        out.append("`")
                        j += 2
                        continue
                    break
                out.append(text[j])
                j += 1
            i = j + 1
            if not out or "\x00" in out:
                raise syntax_error(text, s, "empty or invalid `quoted name`")
            toks.append(Token("qid", "".join(out), s, i))
            continue
        if c == "$":
            j = i + 1
            if j < n and text[j] == "`":
                k = text.find("`", j + 1)
                if k < 0 or k == j + 1:
                    raise syntax_error(text, s, "expected a parameter name after $")
                name, i = text[j + 1 : k], k + 1
            else:
                while j < n and _is_ident_char(text[j]):
                    j += 1
                if j == i + 1:
                    raise syntax_error(text, s, "expected a parameter name after $")
                name, i = text[i + 1 : j], j
            toks.append(Token("param", name, s, i))
            continue
        two = text[i : i + 2]
        if two in _PUNCT2:
            toks.append(Token("p", two, s, i + 2))
            i += 2
            continue
        if c in _PUNCT1:
            toks.append(Token("p", c, s, i + 1))
            i += 1
            continue
        raise syntax_error(text, i, f"unexpected character {c!r}")
    toks.append(Token("eof", "", n, n))
    return toks
