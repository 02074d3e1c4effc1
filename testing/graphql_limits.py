"""GitHub's GraphQL resource limits, computed for a query as GitHub documents them.

Every connection must say `first` or `last` (1..100); a query may reach at most 500,000
nodes; its rate-limit cost is the number of connection requests divided by 100 (at least 1).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    is_interface_type,
    is_object_type,
    value_from_ast_untyped,
)

MAX_NODES = 500_000
MAX_PAGE = 100


@dataclass
class Limits:
    """What a query costs: nodes it may reach, connection requests, and problems found."""

    nodes: int = 0
    requests: int = 0
    problems: list[str] | None = None

    @property
    def cost(self) -> int:
        """Rate-limit points, as GitHub charges them."""
        return max(1, math.ceil(self.requests / 100))


def _page(field: FieldNode, variables: dict[str, Any], where: str) -> tuple[int | None, str]:
    args = {a.name.value: a.value for a in field.arguments}
    for name in ("first", "last"):
        if name in args:
            node = args[name]
            value = (
                variables.get(node.name.value)
                if isinstance(node, VariableNode)
                else value_from_ast_untyped(node)
            )
            if not isinstance(value, int) or not 1 <= value <= MAX_PAGE:
                return None, f"{where}: `{name}` must be 1..{MAX_PAGE}, got {value!r}"
            return value, ""
    return None, f"{where}: a connection needs `first` or `last` (GitHub refuses it)"


class _Walker:
    def __init__(self, schema: GraphQLSchema, document: DocumentNode, variables: dict[str, Any]):
        self.schema = schema
        self.variables = variables
        self.fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        self.limits = Limits(problems=[])

    def walk(self, selection: SelectionSetNode | None, parent: Any, multiplier: int) -> None:
        for node in selection.selections if selection else ():
            if isinstance(node, FieldNode):
                self._field(node, parent, multiplier)
            elif isinstance(node, InlineFragmentNode):
                cond = node.type_condition
                kind = self.schema.get_type(cond.name.value) if cond else parent
                self.walk(node.selection_set, kind, multiplier)
            elif isinstance(node, FragmentSpreadNode):
                fragment = self.fragments[node.name.value]
                kind = self.schema.get_type(fragment.type_condition.name.value)
                self.walk(fragment.selection_set, kind, multiplier)

    def _field(self, node: FieldNode, parent: Any, multiplier: int) -> None:
        if node.name.value.startswith("__") or not (
            is_object_type(parent) or is_interface_type(parent)
        ):
            return
        definition = parent.fields.get(node.name.value)
        if definition is None:
            return
        kind = get_named_type(definition.type)
        if isinstance(kind, GraphQLObjectType) and kind.name.endswith("Connection"):
            size, problem = _page(node, self.variables, f"{parent.name}.{node.name.value}")
            if problem and self.limits.problems is not None:
                self.limits.problems.append(problem)
            size = size or MAX_PAGE
            self.limits.requests += multiplier
            self.limits.nodes += multiplier * size
            multiplier *= size
        self.walk(node.selection_set, kind, multiplier)


def measure(schema: GraphQLSchema, document: DocumentNode, variables: dict[str, Any]) -> Limits:
    """The nodes, connection requests and limit problems of a validated query.

    Args:
        schema: GitHub's schema.
        document: the parsed, validated query.
        variables: its variables (page sizes may be variables).

    Returns:
        The figures; `problems` names each broken limit.
    """
    walker = _Walker(schema, document, variables)
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            root = schema.get_root_type(definition.operation)
            walker.walk(definition.selection_set, root, 1)
    limits = walker.limits
    if limits.nodes > MAX_NODES and limits.problems is not None:
        limits.problems.append(f"the query may reach {limits.nodes:,} nodes (limit {MAX_NODES:,})")
    return limits
