"""GitHub's webhook payloads as they arrive: parsed once, checked, and turned into an Event."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic_core import ErrorDetails

from prime_action.domain.errors import ConfigError
from prime_action.domain.markers import pull_signals
from prime_action.events.model import (
    SOURCE,
    CheckSuite,
    Comment,
    Event,
    Issue,
    PullHead,
    PullRequest,
    WorkflowRun,
)

# The payload as GitHub writes it: only the keys Prime reads, every other key ignored.


class _Wire(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


class _User(_Wire):
    login: str
    type: str = "User"


class _Named(_Wire):
    name: str


class _Repo(_Wire):
    full_name: str
    default_branch: str = ""


class _IssueWire(_Wire):
    number: int
    title: str
    body: str | None = None
    labels: tuple[_Named, ...] = ()
    state: str
    user: _User
    author_association: str | None = None
    pull_request: dict[str, Any] | None = None

    def value(self) -> Issue:
        return Issue(
            number=self.number,
            title=self.title,
            body=self.body or "",
            labels=tuple(label.name for label in self.labels),
            state=self.state,
            is_pull_request=self.pull_request is not None,
            author=self.user.login,
        )


class _CommentWire(_Wire):
    id: int
    body: str
    user: _User
    author_association: str | None = None


class _RepoRef(_Wire):
    # A pull request's repository inside a check suite or run: its API url, no full name.
    url: str

    def full_name(self) -> str:
        return self.url.rpartition("/repos/")[2]


class _HeadRef(_Wire):
    ref: str
    repo: _RepoRef | None = None


class _PullRefWire(_Wire):
    number: int
    head: _HeadRef

    def value(self) -> PullHead:
        repo = self.head.repo.full_name() if self.head.repo else None
        return PullHead(number=self.number, head_ref=self.head.ref, head_repo=repo)


class _RunWire(_Wire):
    id: int
    name: str | None = None
    conclusion: str | None = None
    head_branch: str | None = None
    event: str
    head_repository: _Repo | None = None
    pull_requests: tuple[_PullRefWire, ...] = ()


class _SuiteWire(_Wire):
    id: int
    head_branch: str | None = None
    head_sha: str
    conclusion: str | None = None
    pull_requests: tuple[_PullRefWire, ...] = ()


class _Head(_Wire):
    ref: str
    repo: _Repo | None = None


class _PullWire(_Wire):
    number: int
    body: str | None = None
    merged: bool | None = None
    head: _Head
    user: _User
    labels: tuple[_Named, ...] = ()
    author_association: str | None = None

    def value(self) -> PullRequest:
        return PullRequest(
            number=self.number,
            merged=bool(self.merged),
            head_ref=self.head.ref,
            head_repo=self.head.repo.full_name if self.head.repo else None,
            author=self.user.login,
            labels=tuple(label.name for label in self.labels),
            signals=pull_signals(self.body),
        )


class _Payload(_Wire):
    """Any event: what every payload may carry."""

    action: str | None = None
    sender: _User | None = None
    repository: _Repo | None = None

    def event(self, name: str) -> Event:
        return Event(
            name=name,
            action=self.action,
            actor=self.sender.login if self.sender else "",
            actor_type=self.sender.type if self.sender else "",
            repository=self.repository.full_name if self.repository else "",
            default_branch=self.repository.default_branch if self.repository else "",
        )


class _RepoPayload(_Payload):
    """An event about a repository, which its routing needs (default branch, fork checks)."""

    repository: _Repo


class _From(_Wire):
    # `from` is a Python keyword.
    before: str | None = Field(default=None, alias="from")


class _Changes(_Wire):
    body: _From | None = None


class _IssuesPayload(_RepoPayload):
    issue: _IssueWire
    # `issues: edited` says what the edit changed; `changes.body.from` is the body before it.
    changes: _Changes | None = None

    def event(self, name: str) -> Event:
        update = {"issue": self.issue.value(), "author_association": self.issue.author_association}
        if self.changes is not None and self.changes.body is not None:
            update["body_before"] = self.changes.body.before or ""
        return super().event(name).model_copy(update=update)


class _CommentPayload(_IssuesPayload):
    comment: _CommentWire

    def event(self, name: str) -> Event:
        comment = Comment(
            id=self.comment.id, body=self.comment.body, author=self.comment.user.login
        )
        update = {"comment": comment, "author_association": self.comment.author_association}
        return super().event(name).model_copy(update=update)


class _RunPayload(_RepoPayload):
    workflow_run: _RunWire

    def event(self, name: str) -> Event:
        run = self.workflow_run
        value = WorkflowRun(
            id=run.id,
            name=run.name or "",
            conclusion=run.conclusion,
            head_branch=run.head_branch,
            event=run.event,
            head_repo=run.head_repository.full_name if run.head_repository else None,
            pulls=tuple(p.value() for p in run.pull_requests),
        )
        return super().event(name).model_copy(update={"workflow_run": value})


class _SuitePayload(_RepoPayload):
    check_suite: _SuiteWire

    def event(self, name: str) -> Event:
        suite = self.check_suite
        value = CheckSuite(
            id=suite.id,
            head_branch=suite.head_branch,
            head_sha=suite.head_sha,
            conclusion=suite.conclusion,
            pulls=tuple(p.value() for p in suite.pull_requests),
        )
        return super().event(name).model_copy(update={"check_suite": value})


class _PullPayload(_RepoPayload):
    pull_request: _PullWire

    def event(self, name: str) -> Event:
        pull = self.pull_request
        update = {"pull_request": pull.value(), "author_association": pull.author_association}
        return super().event(name).model_copy(update=update)


class _RefPayload(_RepoPayload):
    ref: str

    def event(self, name: str) -> Event:
        return super().event(name).model_copy(update={"ref": self.ref})


class _DispatchPayload(_RepoPayload):
    # The sender's event_type: GitHub delivers it as the action.
    action: str
    client_payload: dict[str, Any] | None = None

    def event(self, name: str) -> Event:
        update = {"client_payload": dict(self.client_payload or {})}
        return super().event(name).model_copy(update=update)


_PAYLOADS: dict[str, type[_Payload]] = {
    "issues": _IssuesPayload,
    "issue_comment": _CommentPayload,
    "workflow_run": _RunPayload,
    "check_suite": _SuitePayload,
    "pull_request": _PullPayload,
    "push": _RefPayload,
    "workflow_dispatch": _RefPayload,
    "repository_dispatch": _DispatchPayload,
}

_JSON_TYPES: dict[type, str] = {
    list: "array",
    str: "string",
    int: "number",
    float: "number",
    bool: "boolean",
    type(None): "null",
}


def parse_event(name: str, payload: object, source: str = SOURCE) -> Event:
    """Turn a payload into an Event; untyped dicts go no further than this function.

    Args:
        name: the event name (`GITHUB_EVENT_NAME`), e.g. `issues` or `schedule`.
        payload: the decoded JSON of the payload.
        source: where the payload came from, for error messages.

    Returns:
        The event. Events Prime has no use for keep only their name, action and sender.

    Raises:
        ConfigError: the payload is not an object, or lacks or mistypes a key Prime needs.
    """
    if not isinstance(payload, dict):
        kind = _JSON_TYPES.get(type(payload), type(payload).__name__)
        msg = f"{name} event payload must be a JSON object, not {kind}"
        raise ConfigError(msg, file=source)
    wire = _PAYLOADS.get(name, _Payload)
    try:
        parsed = wire.model_validate(payload)
    except ValidationError as e:
        raise ConfigError(_problem(name, e.errors()[0], wire), file=source) from e
    return parsed.event(name)


def load_event(name: str, path: Path) -> Event:
    """Read and parse the payload file GitHub Actions names in GITHUB_EVENT_PATH.

    Args:
        name: the event name (`GITHUB_EVENT_NAME`).
        path: the payload file.

    Returns:
        The event.

    Raises:
        ConfigError: the file is missing, unreadable, not JSON, or not a valid payload.
    """
    try:
        data = path.read_bytes()
    except OSError as e:
        msg = f"cannot read the event payload ({e.strerror}); check GITHUB_EVENT_PATH"
        raise ConfigError(msg, file=str(path)) from e
    try:
        payload = json.loads(data)
    except ValueError as e:  # JSONDecodeError, or UnicodeDecodeError for bytes that are no text
        msg = f"event payload is not valid JSON ({getattr(e, 'msg', e)})"
        raise ConfigError(msg, file=str(path), line=getattr(e, "lineno", None)) from e
    return parse_event(name, payload, source=str(path))


# pydantic's words for a wrong container name private classes; say what JSON should be there.
_SHAPES = {
    "model_type": "a JSON object",
    "dict_type": "a JSON object",
    "tuple_type": "a JSON array",
}


def _problem(name: str, error: ErrorDetails, wire: type[BaseModel]) -> str:
    where = ".".join(str(part) for part in error["loc"])
    if error["type"] == "missing":
        return f"{name} event has no '{where}' {_noun(wire, error['loc'])}"
    if error["type"] in _SHAPES:
        return f"{name} event: '{where}' must be {_SHAPES[error['type']]}"
    return f"{name} event: '{where}': {error['msg']}"


def _noun(wire: type[BaseModel], loc: tuple[int | str, ...]) -> str:
    """'object' when the missing key should hold one (an issue, a sender), else 'field'."""
    annotation: object = wire
    for part in loc:
        if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
            return "field"
        field = annotation.model_fields.get(str(part))
        annotation = field.annotation if field else None
    is_object = isinstance(annotation, type) and issubclass(annotation, BaseModel)
    return "object" if is_object else "field"
