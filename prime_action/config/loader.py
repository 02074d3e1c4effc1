"""Read YAML config files into models, with errors that name the file, the line and the key."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from prime_action.domain.errors import ConfigError

M = TypeVar("M", bound=BaseModel)

Loc = tuple[str | int, ...]


def _lines(node: yaml.Node, loc: Loc, out: dict[Loc, int]) -> None:
    # A key's own line wins over where its value starts (a nested mapping's first child).
    out.setdefault(loc, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            out[(*loc, key.value)] = key.start_mark.line + 1
            _lines(value, (*loc, key.value), out)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _lines(item, (*loc, index), out)


def _line_of(lines: dict[Loc, int], loc: Loc) -> int | None:
    for end in range(len(loc), -1, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return None


def parse_yaml(text: str, model: type[M], source: str, schema: str = "config") -> M:
    """Validate YAML text against a model.

    Args:
        text: the YAML document (empty means all defaults).
        model: the pydantic model to validate into.
        source: the file name used in error messages.
        schema: the `prime schema NAME` that errors point the reader to.

    Returns:
        The validated model.

    Raises:
        ConfigError: on malformed YAML, a non-mapping document, an unknown key or a wrong type.
    """
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data: Any = yaml.safe_load(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        msg = f"is not valid YAML ({getattr(e, 'problem', e)}); fix the syntax"
        raise ConfigError(msg, file=source, line=line) from e
    if data is None:
        data = {}
    if not isinstance(data, dict):
        msg = f"must be a mapping of keys, not a {type(data).__name__}"
        raise ConfigError(msg, file=source, line=1)
    lines: dict[Loc, int] = {}
    if node is not None:
        _lines(node, (), lines)
    try:
        return model.model_validate(data)
    except ValidationError as e:
        first = e.errors()[0]
        loc: Loc = tuple(first["loc"])
        key = ".".join(str(part) for part in loc) or "(top level)"
        hint = _hint(first["type"], schema)
        msg = f"key '{key}': {first['msg']}{hint}"
        raise ConfigError(msg, file=source, line=_line_of(lines, loc)) from e


def key_line(text: str, loc: Loc) -> int | None:
    """The 1-based line of a key in a YAML document (or of its nearest parent), if any.

    Args:
        text: the YAML document, already known to be valid.
        loc: the path of keys, e.g. ("signals", "licence").

    Returns:
        The line, or None when the document has no such key.
    """
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    lines: dict[Loc, int] = {}
    if node is not None:
        _lines(node, (), lines)
    return _line_of(lines, loc)


def _hint(error_type: str, schema: str) -> str:
    if error_type == "extra_forbidden":
        return f" (unknown key: check its spelling against `prime schema {schema}`)"
    return f" (see `prime schema {schema}` for the allowed values)"


def load_config(path: Path, model: type[M]) -> M:
    """Load a config file, or all defaults when it does not exist.

    Raises:
        ConfigError: when the file exists but cannot be read or validated.
    """
    if not path.exists():
        return model()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        msg = f"cannot be read ({e}); make it a readable UTF-8 file"
        raise ConfigError(msg, file=str(path)) from e
    return parse_yaml(text, model, str(path))
