"""Read YAML config files into models, with errors that name the file, the line and the key."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from prime_action.domain.errors import ConfigError

M = TypeVar("M", bound=BaseModel)

Loc = tuple[str | int, ...]


# libyaml's loader when PyYAML was built with it (its wheels are): 8-10x faster.
Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# Bounds for YAML that other people write (configs, workflows, seeds, other repositories'
# files): the largest text read, and the most values it may stand for once aliases are
# expanded. An alias bomb of a few hundred bytes stands for billions; a real workflow of
# 1,000 lines for a few thousand.
MAX_YAML_BYTES = 1_000_000
MAX_YAML_NODES = 100_000


class YamlTooLarge(yaml.YAMLError):
    """A YAML text over a bound; `problem` says which, as PyYAML's own errors do."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem
        self.problem_mark = None


def read_yaml(text: str) -> tuple[yaml.Node | None, Any]:
    """Parse a YAML document once, within bounds: its node tree (for lines) and its data.

    Raises:
        yaml.YAMLError: malformed YAML, or a YamlTooLarge text, nesting or alias expansion.
    """
    if len(text) > MAX_YAML_BYTES:
        msg = f"is {len(text):,} characters, over the {MAX_YAML_BYTES:,} characters Prime reads"
        raise YamlTooLarge(msg)
    loader = Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, None
        _bounded(node)
        return node, loader.construct_document(node)
    except RecursionError as e:  # the pure-Python loader on deep nesting
        msg = "nests deeper than Prime reads"
        raise YamlTooLarge(msg) from e
    finally:
        loader.dispose()


def _bounded(root: yaml.Node) -> None:
    """Count the values the document stands for, each alias expanded, up to the bound.

    Aliases make the node tree a graph: each node is sized once (depth first, without
    recursion), so an alias bomb is refused after linear work, never expanded.
    """
    sizes: dict[int, int] = {}
    walking = {id(root)}
    stack = [(root, iter(_children(root)))]
    while stack:
        node, kids = stack[-1]
        kid = next(kids, None)
        if kid is None:
            stack.pop()
            walking.discard(id(node))
            sizes[id(node)] = 1 + sum(sizes[id(k)] for k in _children(node))
            if sizes[id(node)] > MAX_YAML_NODES:
                msg = f"stands for over {MAX_YAML_NODES:,} values once its aliases are expanded"
                raise YamlTooLarge(msg)
        elif id(kid) in walking:
            msg = "has an alias inside the value it names (a cycle)"
            raise YamlTooLarge(msg)
        elif id(kid) not in sizes:
            walking.add(id(kid))
            stack.append((kid, iter(_children(kid))))


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


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
        node, data = read_yaml(text)
    except YamlTooLarge as e:
        msg = f"{e.problem}: Prime does not read it; make it smaller, with fewer aliases"
        raise ConfigError(msg, file=source) from e
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
    node, _ = read_yaml(text)
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
