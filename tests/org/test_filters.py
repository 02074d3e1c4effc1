"""Which repositories the org config keeps."""

from __future__ import annotations

import pytest

from prime_action.config.org import OrgConfig
from prime_action.org.filters import exclusion, select
from tests.org.factories import remote


@pytest.mark.parametrize(
    ("flags", "config", "reason"),
    [
        ({}, {}, None),
        ({"archived": True}, {}, "archived"),
        ({"archived": True}, {"archived": True}, None),
        ({"fork": True}, {}, "fork"),
        ({"fork": True}, {"forks": True}, None),
        ({"topics": ("web",)}, {"topics": ("api",)}, "none of the topics api"),
        ({"topics": ("web", "api")}, {"topics": ("api",)}, None),
        ({}, {"include": ("acme/svc-*",)}, None),
        ({}, {"include": ("other-*",)}, "not matched by include"),
        ({}, {"exclude": ("SVC-*",)}, "matched by exclude"),
    ],
)
def test_each_filter_names_why_a_repository_is_left_out(
    flags: dict[str, object], config: dict[str, object], reason: str | None
) -> None:
    facts = remote("acme/svc-1", **flags)
    assert exclusion(facts, OrgConfig.model_validate(config)) == reason


def test_select_keeps_order_and_reports_every_exclusion() -> None:
    repos = (remote("acme/a"), remote("acme/b", fork=True), remote("acme/c"))
    kept, left = select(repos, OrgConfig())
    assert [r.repo for r in kept] == ["acme/a", "acme/c"]
    assert [(e.repo, e.reason) for e in left] == [("acme/b", "fork")]
