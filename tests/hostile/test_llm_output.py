"""Hostile corpus: a brain's text is cleaned before anything is written (issue 18, point 6)."""

from __future__ import annotations

import pytest

from prime_action.brain.redact import MASK, redact
from prime_action.brain.sanitize import MAX_TEXT, MAX_TITLE, clean, clean_title

REPO = "octo-org/octo-repo"

# The credential shapes of issue 18 that reached the provider, and more from detect-secrets.
SECRETS = {
    "Stripe live key": "sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc",
    "GitLab token": "glpat-" + "xY9" * 8,
    "Hugging Face token": "hf_" + "abcdefghijklmnopqrstuvwxyzABCDEFGH",
    "npm token": "npm_" + "a1b2c3d4e5" * 3 + "abcdef",
    "JWT": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
    "postgres URL password": "postgres://admin:hunter2secret@db.example.com:5432/app",
    "Azure account key": "AccountKey="
    + "abcdEFGHijklMNOPqrstUVWXyz0123456789" * 2
    + "abcdEFGHijklMN==",
    "GitHub token": "ghp_" + "a1B2" * 9,
    "fine-grained GitHub token": "github_pat_" + "x" * 30,
    "AWS key id": "AKIA" + "ABCDEFGHIJKLMNOP",
    "Slack token": "xoxb-1234567890-abcdef",
    "SendGrid key": "SG." + "a" * 22 + "." + "b" * 43,
    "Twilio key": "SK" + "0123456789abcdef" * 2,
    "private key block": (
        "-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn\n-----END OPENSSH PRIVATE KEY-----"
    ),
    "keyword assignment": 'db_password = "correct horse battery"',
}
# The part that must never survive.
SECRET_PART = {
    "postgres URL password": "hunter2secret",
    "Azure account key": "abcdEFGHijklMNOPqrstUVWXyz0123456789",
    "keyword assignment": "correct horse battery",
    "JWT": "eyJzdWIiOiIxMjM0In0",
}


@pytest.mark.parametrize(("name", "secret"), SECRETS.items(), ids=SECRETS)
def test_a_credential_never_survives_redaction_or_cleaning(name: str, secret: str) -> None:
    part = SECRET_PART.get(name, secret)
    for text in (redact(f"see {secret} here"), clean(f"see {secret} here", REPO)):
        assert part not in text
        assert MASK in text


MENTIONS = {
    "a user": ("ping @alice now", "ping `@alice` now"),
    "a team": ("cc @octo-org/core", "cc `@octo-org/core`"),
    "at the start": ("@bob look", "`@bob` look"),
    "after punctuation": ("(@carol)", "(`@carol`)"),
    "two of them": ("@a and @b", "`@a` and `@b`"),
    "an e-mail address stays": ("mail me@example.com", "mail me@example.com"),
    "already in code": ("run `@dave`", "run `@dave`"),
    "a path stays": ("see src/@types/x", "see src/@types/x"),
    "a decorator in prose": ("use @pytest.fixture", "use `@pytest`.fixture"),
}


@pytest.mark.parametrize(("text", "expected"), MENTIONS.values(), ids=MENTIONS)
def test_mentions_notify_nobody(text: str, expected: str) -> None:
    assert clean(text, REPO) == expected


LINKS = {
    "the repository": (f"https://github.com/{REPO}/issues/3", True),
    "the repository, other case": ("https://GitHub.com/Octo-Org/Octo-Repo/pull/1", True),
    "GitHub's docs": ("https://docs.github.com/en/actions", True),
    "another repository": ("https://github.com/evil/phish", False),
    "a look-alike prefix": (f"https://github.com/{REPO}-evil/x", False),
    "another host": ("https://evil.example/steal?x=1", False),
    "http elsewhere": ("http://tracker.example/p.png", False),
    "www address": ("www.evil.example/a", False),
    "user-info trick": (f"https://github.com@evil.example/{REPO}", False),
    "subdomain trick": (f"https://github.com.evil.example/{REPO}", False),
    "javascript scheme": ("javascript://alert(1)", False),
    "data scheme": ("data://text/html,hi", False),
    "ftp": ("ftp://files.example/x", False),
    "a port": ("https://evil.example:8443/x", False),
}


@pytest.mark.parametrize(("url", "kept"), LINKS.values(), ids=LINKS)
def test_only_links_into_the_repository_and_githubs_docs_stay(url: str, kept: bool) -> None:
    out = clean(f"see {url} and [this]({url}) and ![img]({url})", REPO)
    assert (url in out) is kept
    if not kept:
        assert "(link removed)" in out


def test_a_scheme_relative_markdown_link_is_removed() -> None:
    assert "//evil.example" not in clean("[x](//evil.example/a)", REPO)


@pytest.mark.parametrize("size", [MAX_TEXT + 1, 70_000, 1_000_000])
def test_long_text_is_cut_with_a_note(size: int) -> None:
    out = clean("a" * size, REPO)
    assert len(out) <= MAX_TEXT
    assert out.endswith(f"(cut at {MAX_TEXT} characters)")


@pytest.mark.parametrize(
    "title", ["x" * 1000, "line one\nline two\r\nthree", "title @alice https://evil.example"]
)
def test_a_title_is_one_clean_line(title: str) -> None:
    out = clean_title(title, REPO)
    assert "\n" not in out
    assert len(out) <= MAX_TITLE
    assert "evil.example/" not in out
    assert "@alice " not in out


def test_ordinary_text_is_left_as_it_is() -> None:
    text = f"CI fails: see https://github.com/{REPO}/actions/runs/1 (3 errors in src/app.py)"
    assert clean(text, REPO) == text
