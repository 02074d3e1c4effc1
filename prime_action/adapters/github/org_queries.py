"""Org Prime's GraphQL queries and how their answers become values (no request is made here)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from prime_action.growth.seed import SEED_PATH
from prime_action.signals.base import CiStatus, PullRequestInfo
from prime_action.signals.dependabot import DEPENDABOT_FILES
from prime_action.signals.lint import LINT_SECTIONS
from prime_action.signals.workflows import WORKFLOW_DIR

# Fifty repositories per listing page keep an answer (trees three levels deep and the files
# the detectors read included) small enough for GitHub's 10-second limit; every connection
# below stays within the 500,000-node limit (50 x (20 topics + 50 checks + 20 pull requests)).
PAGE = 50
FILES_PER_QUERY = 50
STATE_EXPRESSION = "prime-state:state.json"
REPO_CONFIG = ".github/prime.yml"
# GitHub cuts a Blob's `text` at 512,000 bytes and says so in `isTruncated`; the blob's `oid`
# lets the whole text be read over REST (GraphQL.whole_text) when that happens.
BLOB = "... on Blob { text isTruncated oid }"

# The files whose text the remote detectors read, by path: each is one aliased field of the
# listing page (t0, t1, ...), so an unmanaged repository costs no request of its own. An absent
# file answers null. The workflows come as one tree, whatever their number.
TEXT_PATHS: tuple[str, ...] = tuple(
    sorted(
        {REPO_CONFIG, SEED_PATH, *DEPENDABOT_FILES}
        | {file for sections in LINT_SECTIONS.values() for file, _ in sections}
    )
)
WORKFLOWS = WORKFLOW_DIR.rstrip("/")

_ENTRY = "path type oid"
_TREE = (
    f"tree {{ entries {{ {_ENTRY} object {{ ... on Tree {{ entries {{ {_ENTRY} "
    f"object {{ ... on Tree {{ entries {{ {_ENTRY} }} }} }} }} }} }} }} }}"
)
_DEFAULT_BRANCH = f"""defaultBranchRef {{
    name
    target {{
      ... on Commit {{
        oid
        statusCheckRollup {{
          state
          contexts(first: 50) {{
            nodes {{
              __typename
              ... on CheckRun {{ name status conclusion }}
              ... on StatusContext {{ context state }}
            }}
          }}
        }}
        {_TREE}
      }}
    }}
  }}"""

# Open pull requests (the stale-prs detector). The connection cannot be null, so a repository
# whose pull requests the token may not read comes back as a null node: list_repos then reads
# that page again without them (LEAN_LISTING), and its stale-prs signal is unknown.
PULLS = (
    "pullRequests(states: OPEN, first: 20, orderBy: {field: UPDATED_AT, direction: ASC}) "
    "{ nodes { number title isDraft updatedAt headRefName author { login } } }"
)

# What the listing reads of every repository, one field a line: a detector's new need (or the
# org `.github` repository's community-health defaults) is one more entry here.
BASE_FIELDS: tuple[str, ...] = (
    "nameWithOwner",
    "isArchived",
    "isFork",
    "repositoryTopics(first: 20) { nodes { topic { name } } }",
    f'state: object(expression: "{STATE_EXPRESSION}") {{ {BLOB} }}',
    _DEFAULT_BRANCH,
    f'workflows: object(expression: "HEAD:{WORKFLOWS}") '
    f"{{ ... on Tree {{ entries {{ path type object {{ {BLOB} }} }} }} }}",
    *(f't{n}: object(expression: "HEAD:{path}") {{ {BLOB} }}' for n, path in enumerate(TEXT_PATHS)),
)
REPO_FIELDS = "fragment Repo on Repository {\n  " + "\n  ".join((*BASE_FIELDS, PULLS)) + "\n}\n"
LEAN_FIELDS = "fragment Repo on Repository {\n  " + "\n  ".join(BASE_FIELDS) + "\n}\n"

_LISTING = """
query OrgRepositories($owner: String!, $first: Int!, $after: String, $isArchived: Boolean,
                      $isFork: Boolean) {
  repositoryOwner(login: $owner) {
    login
    repositories(first: $first, after: $after, ownerAffiliations: [OWNER],
                 isArchived: $isArchived, isFork: $isFork,
                 orderBy: {field: NAME, direction: ASC}) {
      pageInfo { hasNextPage endCursor }
      nodes { ...Repo }
    }
  }
}
"""
LISTING = _LISTING + REPO_FIELDS
LEAN_LISTING = _LISTING + LEAN_FIELDS

HOME = """
query OrgHome($owner: String!, $name: String!, $config: String!, $labels: [String!]) {
  viewer { login }
  repository(owner: $owner, name: $name) {
    nameWithOwner
    defaultBranchRef { name target { oid } }
    config: object(expression: $config) { BLOB_FIELDS }
    runSheet: object(expression: "HEAD:run-sheet.json") { BLOB_FIELDS }
    status: object(expression: "HEAD:STATUS.md") { BLOB_FIELDS }
    stateBranch: ref(qualifiedName: "refs/heads/prime-state") { target { oid } }
    orgState: object(expression: "prime-state:org-state.json") { BLOB_FIELDS }
    ledger: object(expression: "prime-state:attempts.jsonl") { BLOB_FIELDS }
    issues(first: 50, states: OPEN, labels: $labels,
           orderBy: {field: CREATED_AT, direction: ASC}) {
      nodes {
        number
        body
        comments(last: 100) {
          nodes { databaseId body authorAssociation author { __typename login } }
        }
      }
    }
  }
}
""".replace("BLOB_FIELDS", BLOB)

COMMIT = """
mutation PrimeCommit($input: CreateCommitOnBranchInput!) {
  createCommitOnBranch(input: $input) { commit { oid } }
}
"""


def files_query(
    batch: list[tuple[str, list[str]]], *, with_pulls: bool = True, home: str | None = None
) -> tuple[str, dict[str, Any]]:
    """One query reading blobs of many repositories by id: aliases r0.., f0.. per repository.

    Args:
        batch: (OWNER/NAME, blob ids) per repository.
        with_pulls: read each repository's open pull requests too.
        home: an owner whose `.github` repository's paths to list too (alias `home`: GitHub
            shows its community-health files in every repository without its own).

    Returns:
        The query text and its variables (names and ids travel as variables, never pasted).
    """
    params: list[str] = []
    parts: list[str] = []
    variables: dict[str, Any] = {}
    for r, (repo, oids) in enumerate(batch):
        owner, name = repo.split("/", 1)
        variables |= {f"o{r}": owner, f"n{r}": name}
        params += [f"$o{r}: String!", f"$n{r}: String!"]
        blobs = []
        for f, oid in enumerate(oids):
            variables[f"b{r}_{f}"] = oid
            params.append(f"$b{r}_{f}: GitObjectID!")
            blobs.append(f"f{f}: object(oid: $b{r}_{f}) {{ {BLOB} }}")
        fields = " ".join([PULLS] * with_pulls + blobs) or "id"  # a selection needs a field
        parts.append(f"r{r}: repository(owner: $o{r}, name: $n{r}) {{ {fields} }}")
    if home is not None:
        variables["home"] = home
        params.append("$home: String!")
        tree = f"defaultBranchRef {{ target {{ ... on Commit {{ {_TREE} }} }} }}"
        parts.append(f'home: repository(owner: $home, name: ".github") {{ {tree} }}')
    text = f"query OrgFiles({', '.join(params)}) {{\n  " + "\n  ".join(parts) + "\n}\n"
    return text, variables


class Listed(BaseModel):
    """One repository of the listing, as read (signals are computed later)."""

    model_config = ConfigDict(frozen=True)

    repo: str
    archived: bool = False
    fork: bool = False
    topics: tuple[str, ...] = ()
    state_text: str | None = None
    # The state blob's id when GraphQL cut its text (the whole text is read over REST).
    state_truncated: str | None = None
    blobs: dict[str, str] = {}  # path -> blob id, three levels deep
    # The texts the listing carried (TEXT_PATHS and the workflows); a cut one: path -> blob id.
    texts: dict[str, str] = {}
    cut: dict[str, str] = {}
    # Open pull requests; None when the token may not read them (LEAN_LISTING).
    pulls: tuple[PullRequestInfo, ...] | None = None
    ci: CiStatus | None = None
    empty: bool = False  # no default branch yet
    error: str | None = None


def _ci(commit: dict[str, Any]) -> CiStatus:
    rollup = commit.get("statusCheckRollup")
    if not rollup:
        return CiStatus(state="none", sha=commit.get("oid") or "")
    failing = sorted(
        {
            str(c.get("name") or c.get("context"))
            for c in (rollup.get("contexts") or {}).get("nodes") or ()
            if c
            and (
                c.get("conclusion")
                in ("FAILURE", "TIMED_OUT", "CANCELLED", "ACTION_REQUIRED", "STARTUP_FAILURE")
                or c.get("state") in ("FAILURE", "ERROR")
            )
        }
    )
    state = {"SUCCESS": "success", "FAILURE": "failure", "ERROR": "failure"}.get(
        rollup.get("state") or "", "pending"
    )
    return CiStatus(
        state="failure" if failing else state, sha=commit.get("oid") or "", failing=tuple(failing)
    )


def home_paths(node: dict[str, Any] | None) -> tuple[str, ...]:
    """The paths of the owner's `.github` repository from a files query's `home` alias (none
    when the owner has no such repository)."""
    commit = ((node or {}).get("defaultBranchRef") or {}).get("target") or {}
    return tuple(sorted(_blobs(commit.get("tree"))))


def _blobs(tree: dict[str, Any] | None) -> dict[str, str]:
    found: dict[str, str] = {}
    pending = list((tree or {}).get("entries") or ())
    while pending:
        entry = pending.pop()
        if entry.get("type") == "blob" and entry.get("path"):
            found[entry["path"]] = entry["oid"]
        pending.extend(((entry.get("object") or {}).get("entries")) or ())
    return found


def pulls(repo: dict[str, Any]) -> tuple[PullRequestInfo, ...]:
    """The open pull requests of a listed (or files-query) repository node."""
    return tuple(
        PullRequestInfo(
            number=p["number"],
            title=p["title"],
            author=(p.get("author") or {}).get("login", ""),
            updated_at=datetime.fromisoformat(p["updatedAt"].replace("Z", "+00:00")),
            draft=bool(p.get("isDraft")),
            by_prime=str(p.get("headRefName", "")).startswith("prime/"),
        )
        for p in ((repo.get("pullRequests") or {}).get("nodes") or ())
        if p
    )


def _texts(node: dict[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
    """(path -> text, path -> blob id of a cut text) of the files the listing carried."""
    blobs = [(path, node.get(f"t{n}")) for n, path in enumerate(TEXT_PATHS)]
    tree = (node.get("workflows") or {}).get("entries") or ()
    blobs += [
        (f"{WORKFLOWS}/{e['path'].rsplit('/', 1)[-1]}", e.get("object"))
        for e in tree
        if e and e.get("type") == "blob" and e.get("path")
    ]
    texts, cut = {}, {}
    for path, blob in blobs:
        if not blob or (blob.get("text") is None and not blob.get("isTruncated")):
            continue
        if blob.get("isTruncated"):
            cut[path] = str(blob["oid"])
        else:
            texts[path] = str(blob["text"])
    return texts, cut


def listed(node: dict[str, Any], error: str | None = None) -> Listed:
    """A listing node as a value; `error` marks what could not be read of it."""
    ref = node.get("defaultBranchRef") or {}
    commit = ref.get("target") or {}
    texts, cut = _texts(node)
    return Listed(
        repo=node["nameWithOwner"],
        archived=bool(node.get("isArchived")),
        fork=bool(node.get("isFork")),
        topics=tuple(
            n["topic"]["name"] for n in (node.get("repositoryTopics") or {}).get("nodes") or () if n
        ),
        state_text=(node.get("state") or {}).get("text"),
        state_truncated=(node.get("state") or {}).get("oid")
        if (node.get("state") or {}).get("isTruncated")
        else None,
        blobs=_blobs(commit.get("tree")),
        texts=texts,
        cut=cut,
        pulls=pulls(node) if "pullRequests" in node else None,
        ci=_ci(commit) if commit else None,
        empty=not ref,
        error=error,
    )
