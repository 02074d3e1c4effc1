"""Matching and validation against the vendored REST description."""

from __future__ import annotations

import pytest

from testing.openapi import load_spec


@pytest.mark.parametrize(
    ("method", "path", "template", "params"),
    [
        ("GET", "/repos/o/r", "/repos/{owner}/{repo}", {"owner": "o", "repo": "r"}),
        (
            "PATCH",
            "/repos/o/r/git/refs/heads/prime/ci",
            "/repos/{owner}/{repo}/git/refs/{ref}",
            {"owner": "o", "repo": "r", "ref": "heads/prime/ci"},
        ),
        (
            "GET",
            "/repos/o/r/commits/prime%2Fci/check-runs",
            "/repos/{owner}/{repo}/commits/{ref}/check-runs",
            {"owner": "o", "repo": "r", "ref": "prime/ci"},
        ),
        (
            "GET",
            "/repos/o/r/contents/docs/a%20b.md",
            "/repos/{owner}/{repo}/contents/{path}",
            {"owner": "o", "repo": "r", "path": "docs/a b.md"},
        ),
        (
            "GET",
            "/repos/o/r/issues/comments/7",
            "/repos/{owner}/{repo}/issues/comments/{comment_id}",
            {"owner": "o", "repo": "r", "comment_id": "7"},
        ),
    ],
)
def test_the_most_specific_template_matches(
    method: str, path: str, template: str, params: dict[str, str]
) -> None:
    match = load_spec().match(method, path)
    assert (match.operation.template, match.params) == (template, params)


def test_multi_segment_parameters_do_not_swallow_undocumented_paths() -> None:
    with pytest.raises(AssertionError, match="GET /repos/o/r/git/refs is not in"):
        load_spec().match("GET", "/repos/o/r/git/refs")


def test_a_documented_request_passes() -> None:
    body = b'{"title": "t", "labels": ["automated"]}'
    match = load_spec().check_request("POST", "/repos/o/r/issues", {}, body)
    assert match.operation.definition["operationId"] == "issues/create"


def test_nullable_fields_accept_null() -> None:
    body = b'{"tree": [{"path": "a", "mode": "100644", "type": "blob", "sha": null}]}'
    load_spec().check_request("POST", "/repos/o/r/git/trees", {}, body)


def test_a_drifting_fake_answer_is_caught() -> None:
    spec = load_spec()
    match = spec.match("GET", "/repos/o/r/git/ref/heads/main")
    with pytest.raises(AssertionError, match="'node_id' is a required property"):
        spec.check_response(match, 200, {"ref": "refs/heads/main", "url": "u", "object": {}})
    with pytest.raises(AssertionError, match="status not documented"):
        spec.check_response(match, 201, {})


def test_undocumented_error_statuses_are_not_checked() -> None:
    spec = load_spec()
    match = spec.match("PATCH", "/repos/o/r/git/refs/heads/main")
    spec.check_response(match, 403, {"message": "Repository was archived so is read-only."})
