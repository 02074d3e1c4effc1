"""Cross-repository patterns."""

from __future__ import annotations

from prime_action.org.patterns import find_patterns
from tests.org.factories import managed, remote, signal


def test_a_signal_failing_in_three_repositories_is_one_pattern() -> None:
    repos = (
        remote("acme/c", signal("license"), signal("ci")),
        remote("acme/a", signal("license"), signal("ci")),
        managed("acme/b", ("license", 2.5)),
        remote("acme/d", signal("license", status="ok")),
        remote("acme/e", signal("license"), error="403"),
    )
    (found,) = find_patterns(repos)
    assert found.signal == "license"
    assert found.repos == ("acme/a", "acme/b", "acme/c")


def test_two_repositories_are_no_pattern() -> None:
    assert find_patterns((remote("acme/a", signal("ci")), remote("acme/b", signal("ci")))) == ()
