"""A brain's text before anything is written: no mentions, no outside links, bounded, no secrets."""

from __future__ import annotations

import re

from prime_action.brain.redact import redact

# GitHub refuses titles over 256 characters and bodies over 65,536; a comment from Prime
# needs far fewer. The rest is cut with a note.
MAX_TITLE = 200
MAX_SUMMARY = 300
MAX_TEXT = 4000
# Hosts whose pages a comment may link to besides the repository's own: GitHub's docs.
DOC_HOSTS = frozenset({"docs.github.com"})
GITHUB_HOSTS = frozenset({"github.com", "www.github.com"})

# `@login` or `@org/team` where GitHub would notify: not inside a word, an e-mail address,
# a path or a code span.
_MENTION = re.compile(r"(?<![\w@`/.\-])@([A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:/[\w.-]+)?)")
# A URL with a scheme, a `www.` address GitHub links by itself, or a scheme-relative one.
_URL = re.compile(r"(?i)(?:\b[a-z][a-z0-9+.-]*://|\bwww\.|(?<=\()//)[^\s<>()\[\]\"'`]+")


def clean(text: str, repo: str, limit: int = MAX_TEXT) -> str:
    """A brain's text as Prime may post it.

    Args:
        text: what a brain wrote (an LLM's output is untrusted: it may have read hostile
            issue text).
        repo: OWNER/NAME; links into it stay.
        limit: the most characters kept.

    Returns:
        The text with credentials masked, `@mentions` put in code spans (no notification),
        links outside the repository and GitHub's docs replaced by their host in a code
        span, and cut to `limit` characters with a note.
    """
    text = redact(text)
    text = _URL.sub(lambda m: m[0] if _allowed(m[0], repo) else _unlinked(m[0]), text)
    text = _MENTION.sub(lambda m: f"`@{m[1]}`", text)
    return _cut(text, limit)


def clean_title(text: str, repo: str, limit: int = MAX_TITLE) -> str:
    """A title or summary: one line (a step output too), cleaned like any text."""
    return clean(" ".join(text.split()), repo, limit)


# scheme://[user@]host[:port]/path... (the core parses without urllib: no I/O modules).
_PARTS = re.compile(
    r"(?i)^(?:(?P<scheme>[a-z][a-z0-9+.-]*):)?//(?:[^@/?#]*@)?(?P<host>[^/?#:]*)(?::\d*)?"
    r"(?P<path>[^?#]*)"
)


def _parts(url: str) -> tuple[str, str, str]:
    """(scheme, host, path) of a URL; a `www.` or `//` one is taken as https."""
    found = _PARTS.match(url if "//" in url else f"https://{url}")
    if found is None:
        return "", "", ""
    scheme = (found["scheme"] or "https").lower()
    return scheme, found["host"].lower(), found["path"]


def _allowed(url: str, repo: str) -> bool:
    scheme, host, path = _parts(url)
    if scheme not in {"http", "https"}:
        return False
    if host in DOC_HOSTS:
        return True
    path, own = path.lower().rstrip("/"), f"/{repo.lower()}"
    return bool(repo) and host in GITHUB_HOSTS and (path == own or path.startswith(f"{own}/"))


def _unlinked(url: str) -> str:
    host = _parts(url)[1].replace("`", "") or "a link"
    return f"`{host}` (link removed)"


def _cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    note = f" … (cut at {limit} characters)"
    return text[: max(limit - len(note), 0)].rstrip() + note
