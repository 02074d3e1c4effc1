"""Check requests and responses against the vendored subset of GitHub's REST description."""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast
from urllib.parse import unquote

import referencing
import referencing.jsonschema

# jsonschema ships no type information (types-jsonschema is not a dev dependency).
from jsonschema import Draft4Validator  # type: ignore[import-untyped]
from jsonschema.exceptions import best_match  # type: ignore[import-untyped]

SPEC_PATH = (
    Path(__file__).resolve().parents[1]
    / "tests"
    / "fixtures"
    / "openapi"
    / "api.github.com.subset.json"
)
_URI = "urn:prime:github-openapi"
_METHODS = ("get", "put", "post", "delete", "patch")

JSON = Any


@dataclass(frozen=True)
class Operation:
    """One documented (method, path template) of the description."""

    method: str  # upper case, as on the wire
    template: str  # e.g. /repos/{owner}/{repo}/git/refs/{ref}
    pattern: re.Pattern[str]  # the template compiled, x-multi-segment params may hold "/"
    specificity: tuple[int, int]  # literal segments and characters: the most specific wins
    query: dict[str, dict[str, JSON]]  # declared query parameters by name
    pointer: str  # JSON pointer of the operation inside the document
    definition: dict[str, JSON]


@dataclass(frozen=True)
class Match:
    """A request matched to its operation, with decoded path parameters."""

    operation: Operation
    params: dict[str, str]


def _nullable_to_json_schema(node: JSON) -> JSON:
    """Rewrite OpenAPI 3.0 `nullable: true` into plain JSON Schema, recursively."""
    if isinstance(node, list):
        return [_nullable_to_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _nullable_to_json_schema(value) for key, value in node.items()}
    if out.pop("nullable", False) is not True:
        return out
    if isinstance(out.get("type"), str):
        out["type"] = [out["type"], "null"]
        if "enum" in out:
            out["enum"] = [*out["enum"], None]
        return out
    return {"anyOf": [out, {"type": "null"}]}


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


class OpenApiSpec:
    """GitHub's REST description, compiled for matching and validation."""

    def __init__(self, document: dict[str, JSON]) -> None:
        """Compile every operation of an OpenAPI document.

        Args:
            document: The parsed OpenAPI 3.0 document (the vendored subset).
        """
        self.document = _nullable_to_json_schema(document)  # builds a new document
        self.version = str(document.get("info", {}).get("version", "?"))
        resource = referencing.jsonschema.DRAFT4.create_resource(self.document)
        self._registry: referencing.Registry[JSON] = referencing.Registry().with_resource(
            _URI, resource
        )
        self.operations = [
            self._compile(method, template, item)
            for template, item in self.document["paths"].items()
            for method in _METHODS
            if method in item
        ]

    def _resolve(self, node: dict[str, JSON]) -> dict[str, JSON]:
        while "$ref" in node:
            _, section, kind, name = node["$ref"].split("/")
            node = self.document[section][kind][name]
        return node

    def _compile(self, method: str, template: str, item: dict[str, JSON]) -> Operation:
        definition = item[method]
        params = [
            self._resolve(p)
            for p in [*item.get("parameters", []), *definition.get("parameters", [])]
        ]
        multi = {p["name"] for p in params if p["in"] == "path" and p.get("x-multi-segment")}

        def group(found: re.Match[str]) -> str:
            name = found.group(1)
            return f"(?P<{name}>.+)" if name in multi else f"(?P<{name}>[^/]+)"

        literal = re.sub(r"\{[^}]+\}", "", template)
        regex = re.sub(r"\\\{([^}]+)\\\}", group, re.escape(template))
        return Operation(
            method=method.upper(),
            template=template,
            pattern=re.compile(regex),
            specificity=(template.count("/") - template.count("{"), len(literal)),
            query={p["name"]: p for p in params if p["in"] == "query"},
            pointer=f"/paths/{_escape(template)}/{method}",
            definition=definition,
        )

    def match(self, method: str, path: str) -> Match:
        """Find the documented operation for a request.

        Args:
            method: The HTTP method.
            path: The request path below the API root, still percent-encoded.

        Returns:
            The most specific operation whose template matches.

        Raises:
            AssertionError: No operation of the description has this method and path.
        """
        found = [(op, m) for op in self.operations if (m := op.pattern.fullmatch(path))]
        same = [(op, m) for op, m in found if op.method == method.upper()]
        if not same:
            others = sorted({op.method for op, _ in found})
            hint = f" (documented there only for {', '.join(others)})" if others else ""
            msg = (
                f"{method.upper()} {path} is not in GitHub's REST description "
                f"(@octokit/openapi {self.version} subset){hint}: the adapter called an "
                "undocumented endpoint, or scripts/vendor_openapi.py needs this operation"
            )
            raise AssertionError(msg)
        op, m = max(same, key=lambda pair: pair[0].specificity)
        return Match(op, {name: unquote(value) for name, value in m.groupdict().items()})

    def check_request(
        self, method: str, path: str, query: dict[str, list[str]], body: bytes | None
    ) -> Match:
        """Validate a whole request: method and path, query parameters, JSON body.

        Args:
            method: The HTTP method.
            path: The request path below the API root, still percent-encoded.
            query: The query string, parsed into lists of values.
            body: The raw request body, if any.

        Returns:
            The matched operation.

        Raises:
            AssertionError: The request does not conform; the message says where.
        """
        match = self.match(method, path)
        where = f"{method.upper()} {path} ({match.operation.template})"
        for name, values in query.items():
            self._check_query(where, match.operation, name, values)
        self._check_body(where, match.operation, body)
        return match

    def _check_query(self, where: str, op: Operation, name: str, values: list[str]) -> None:
        declared = op.query.get(name)
        if declared is None:
            msg = f"{where}: query parameter {name!r} is not declared (known: {sorted(op.query)})"
            raise AssertionError(msg)
        schema = declared.get("schema", {})
        if len(values) > 1 and schema.get("type") != "array":
            msg = f"{where}: query parameter {name!r} repeated: {values}"
            raise AssertionError(msg)
        value = _coerce(values[0], schema.get("type"))
        error = best_match(Draft4Validator(schema).iter_errors(value))
        if error is not None:
            msg = f"{where}: query parameter {name}={values[0]!r} is invalid: {error.message}"
            raise AssertionError(msg)

    def _check_body(self, where: str, op: Operation, body: bytes | None) -> None:
        spec = op.definition.get("requestBody")
        if not body:
            if spec is not None and spec.get("required"):
                msg = f"{where}: the description requires a JSON body and none was sent"
                raise AssertionError(msg)
            return
        if spec is None or "application/json" not in spec.get("content", {}):
            msg = f"{where}: sent a body, but the operation documents no JSON request body"
            raise AssertionError(msg)
        try:
            payload = json.loads(body)
        except ValueError as e:
            msg = f"{where}: the request body is not JSON: {body[:200]!r}"
            raise AssertionError(msg) from e
        pointer = f"{op.pointer}/requestBody/content/application~1json/schema"
        self._validate(where, "request body", pointer, payload)

    def check_response(self, match: Match, status: int, payload: JSON) -> None:
        """Validate a response the fake produced against the documented response schema.

        A 2xx status must be documented; error statuses are checked only when documented.

        Args:
            match: The operation the request matched.
            status: The HTTP status the fake answers.
            payload: The decoded JSON body, or None for an empty body.

        Raises:
            AssertionError: The fake's answer does not conform to the description.
        """
        op = match.operation
        where = f"fake answer to {op.method} {op.template} with {status}"
        documented = op.definition.get("responses", {})
        if str(status) not in documented:
            if 200 <= status < 300:
                msg = f"{where}: status not documented (documented: {sorted(documented)})"
                raise AssertionError(msg)
            return
        response = self._resolve(documented[str(status)])
        if "application/json" not in response.get("content", {}):
            if payload is not None:
                msg = f"{where}: the description documents no body for this status"
                raise AssertionError(msg)
            return
        pointer = f"{op.pointer}/responses/{status}"
        if "$ref" in documented[str(status)]:
            _, section, kind, name = documented[str(status)]["$ref"].split("/")
            pointer = f"/{section}/{kind}/{_escape(name)}"
        self._validate(where, "body", f"{pointer}/content/application~1json/schema", payload)

    def _validate(self, where: str, what: str, pointer: str, payload: JSON) -> None:
        error = best_match(self._validator(pointer).iter_errors(payload))
        if error is not None:
            at = "/".join(str(p) for p in error.absolute_path) or "(root)"
            msg = f"{where}: {what} does not match the description at {at}: {error.message}"
            raise AssertionError(msg)

    @functools.cache  # noqa: B019 the spec lives for the whole process, like its validators
    def _validator(self, pointer: str) -> Draft4Validator:
        return Draft4Validator({"$ref": f"{_URI}#{pointer}"}, registry=self._registry)


def _coerce(value: str, kind: str | list[str] | None) -> JSON:
    """Turn a query string value into the JSON type its schema declares, when it can."""
    if kind == "integer" and re.fullmatch(r"-?\d+", value):
        return int(value)
    if kind == "boolean" and value in ("true", "false"):
        return value == "true"
    return value


@functools.cache
def load_spec(path: Path = SPEC_PATH) -> OpenApiSpec:
    """Load and compile the vendored description once per process.

    Args:
        path: The subset written by scripts/vendor_openapi.py.

    Returns:
        The compiled description.
    """
    if not path.is_file():
        msg = f"{path} is missing: run `python scripts/vendor_openapi.py` from the project root"
        raise FileNotFoundError(msg)
    return OpenApiSpec(cast("dict[str, JSON]", json.loads(path.read_text(encoding="utf-8"))))
