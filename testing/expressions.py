"""GitHub Actions expressions (`${{ }}`, a job's `if:`) evaluated as GitHub documents them."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping
from typing import Any

# Tokens in the order GitHub's grammar tries them: literals, names, operators, punctuation.
_TOKEN = re.compile(
    r"\s*(?:(?P<str>'(?:[^']|'')*')|(?P<num>-?(?:0x[0-9a-fA-F]+|\d+(?:\.\d+)?(?:e[+-]?\d+)?))"
    r"|(?P<name>[A-Za-z_][\w-]*)|(?P<op>==|!=|<=|>=|&&|\|\||[!<>()\[\].,*]))"
)
_COMPARE = {"==", "!=", "<", "<=", ">", ">="}


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens, position = [], 0
    text = text.strip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if not match or match.end() == position:
            msg = f"cannot read the expression at {text[position:]!r}"
            raise ValueError(msg)
        kind = match.lastgroup or ""
        tokens.append((kind, match.group(kind)))
        position = match.end()
    return tokens


def truthy(value: Any) -> bool:
    """GitHub's truthiness: false, 0, -0, NaN, '' and null are false; anything else true."""
    if isinstance(value, float) and math.isnan(value):
        return False
    return value is True or value not in (False, 0, "", None)


def _number(value: Any) -> float:
    # Loose equality converts both sides to numbers when their types differ.
    if value is None:
        return 0.0
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip() or 0)
        except ValueError:
            return math.nan
    return math.nan


def _compare(op: str, left: Any, right: Any) -> bool:
    if isinstance(left, str) and isinstance(right, str):
        a: Any = left.casefold()
        b: Any = right.casefold()
    elif type(left) is type(right) and isinstance(left, dict | list):
        a, b = id(left), id(right)  # objects and arrays are equal only to themselves
    else:
        a, b = _number(left), _number(right)
    return bool(
        {
            "==": lambda: a == b, "!=": lambda: a != b, "<": lambda: a < b,
            "<=": lambda: a <= b, ">": lambda: a > b, ">=": lambda: a >= b,
        }[op]()
    )  # fmt: skip


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _contains(search: Any, item: Any) -> bool:
    if isinstance(search, list):
        return any(_compare("==", element, item) for element in search)
    return _text(item).casefold() in _text(search).casefold()


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "contains": _contains,
    "startswith": lambda s, v: _text(s).casefold().startswith(_text(v).casefold()),
    "endswith": lambda s, v: _text(s).casefold().endswith(_text(v).casefold()),
    "format": lambda f, *a: re.sub(r"\{(\d+)\}", lambda m: _text(a[int(m.group(1))]), _text(f)),
    "join": lambda a, sep=",": _text(sep).join(map(_text, a)) if isinstance(a, list) else _text(a),
    "tojson": lambda v: json.dumps(v, indent=2),
    "fromjson": lambda v: json.loads(_text(v)),
    "success": lambda: True,
    "always": lambda: True,
    "failure": lambda: False,
    "cancelled": lambda: False,
}


class _Parser:
    def __init__(self, text: str, context: Mapping[str, Any]) -> None:
        self.tokens = _tokens(text)
        self.at = 0
        self.context = context

    def peek(self) -> str:
        return self.tokens[self.at][1] if self.at < len(self.tokens) else ""

    def take(self, expected: str | None = None) -> tuple[str, str]:
        token = self.tokens[self.at]
        if expected is not None and token[1] != expected:
            msg = f"expected {expected!r}, found {token[1]!r}"
            raise ValueError(msg)
        self.at += 1
        return token

    def expression(self) -> Any:
        value = self.conjunction()
        while self.peek() == "||":
            self.take()
            right = self.conjunction()
            value = value if truthy(value) else right
        return value

    def conjunction(self) -> Any:
        value = self.comparison()
        while self.peek() == "&&":
            self.take()
            right = self.comparison()
            value = right if truthy(value) else value
        return value

    def comparison(self) -> Any:
        value = self.unary()
        while self.peek() in _COMPARE:
            op = self.take()[1]
            value = _compare(op, value, self.unary())
        return value

    def unary(self) -> Any:
        if self.peek() == "!":
            self.take()
            return not truthy(self.unary())
        return self.postfix(self.primary())

    def primary(self) -> Any:
        kind, text = self.take()
        if text == "(":
            value = self.expression()
            self.take(")")
            return value
        if kind == "str":
            return text[1:-1].replace("''", "'")
        if kind == "num":
            return float(int(text, 16)) if "x" in text.lower() else float(text)
        if kind != "name":
            msg = f"unexpected {text!r}"
            raise ValueError(msg)
        if self.peek() == "(":
            return self.call(text)
        literals = {"true": True, "false": False, "null": None}
        return literals[text] if text in literals else self.context.get(text)

    def call(self, name: str) -> Any:
        self.take("(")
        arguments = []
        while self.peek() != ")":
            arguments.append(self.expression())
            if self.peek() == ",":
                self.take()
        self.take(")")
        return FUNCTIONS[name.lower()](*arguments)

    def postfix(self, value: Any) -> Any:
        while self.peek() in {".", "["}:
            if self.take()[1] == ".":
                key: Any = self.take()[1]
            else:
                key = self.expression()
                self.take("]")
            value = _member(value, key)
        return value


def _member(value: Any, key: Any) -> Any:
    # A missing property is null, never an error, as on GitHub.
    if isinstance(value, dict):
        lowered = {str(k).lower(): v for k, v in value.items()}
        return lowered.get(_text(key).lower())
    if isinstance(value, list) and isinstance(key, int | float) and 0 <= key < len(value):
        return value[int(key)]
    return None


def evaluate(expression: str, context: Mapping[str, Any]) -> Any:
    """Evaluate an expression (without `${{ }}`) over contexts such as `github`.

    Args:
        expression: e.g. a job's `if:` text.
        context: the named contexts, e.g. `{"github": {"event_name": ..., "event": payload}}`.

    Returns:
        The expression's value, by GitHub's rules (loose comparisons, case-insensitive
        strings, `&&` and `||` returning an operand, a missing property being null).
    """
    text = expression.strip()
    if text.startswith("${{") and text.endswith("}}"):
        text = text[3:-2]
    parser = _Parser(text, context)
    value = parser.expression()
    if parser.at != len(parser.tokens):
        msg = f"unexpected {parser.peek()!r} after the expression"
        raise ValueError(msg)
    return value
