"""Org Prime's reads and writes on GitHub: batched GraphQL reads, one commit per change."""

from __future__ import annotations

import base64
from datetime import datetime
from typing import Any

from github import InputGitTreeElement
from pydantic import ValidationError

from prime_action.adapters.github.client import GitHubClient
from prime_action.adapters.github.graphql import GraphQL, GraphQLAnswer
from prime_action.adapters.github.org_queries import (
    COMMIT,
    FILES_PER_QUERY,
    HOME,
    LEAN_LISTING,
    LISTING,
    PAGE,
    REPO_CONFIG,
    Listed,
    files_query,
    listed,
    pulls,
)
from prime_action.config.loader import parse_yaml
from prime_action.config.models import CustomSignal, RepoConfig
from prime_action.config.org import OrgConfig
from prime_action.domain.errors import ConfigError, GitHubError
from prime_action.domain.models import Attempt
from prime_action.domain.values import Frozen
from prime_action.eyes import run_signals, wanted_files
from prime_action.org.dashboard import ORG_DASHBOARD
from prime_action.org.model import CommandComment, OrgState, RepoFacts
from prime_action.repo.memory import parse_state
from prime_action.signals.base import PullRequestInfo, RepoSnapshot

STATE_BRANCH = "prime-state"
STATE_FILE = "org-state.json"


class Home(Frozen):
    """What Org Prime keeps in the org repository, read in one query."""

    repo: str
    viewer: str = ""
    branch: str | None = None
    head: str | None = None
    config_text: str | None = None
    run_sheet_text: str | None = None
    status_text: str | None = None
    state_head: str | None = None
    state_text: str | None = None
    ledger_text: str | None = None
    dashboard: int | None = None
    dashboard_body: str = ""
    comments: tuple[CommandComment, ...] = ()


def _text(node: dict[str, Any] | None, key: str = "text") -> Any:
    return (node or {}).get(key)


def _comments(issue: dict[str, Any]) -> tuple[CommandComment, ...]:
    return tuple(
        CommandComment(
            id=int(c["databaseId"]),
            author=str((c.get("author") or {}).get("login", "ghost")),
            association=str(c.get("authorAssociation", "NONE")),
            body=str(c.get("body") or ""),
            bot=(c.get("author") or {}).get("__typename") == "Bot",
        )
        for c in (issue.get("comments") or {}).get("nodes") or ()
        if c and c.get("databaseId") is not None
    )


def read_home(gql: GraphQL, repo: str, config_path: str, label: str) -> Home:
    """Config, run sheet, STATUS.md, org state, ledger and dashboard issue: one request."""
    owner, name = repo.split("/", 1)
    variables = {"owner": owner, "name": name, "config": f"HEAD:{config_path}", "labels": [label]}
    data = gql.query(f"read the org repository {repo}", HOME, variables).data
    node = data.get("repository") or {}
    ref = node.get("defaultBranchRef") or {}
    dashboards = [
        i
        for i in (node.get("issues") or {}).get("nodes") or ()
        if i and ORG_DASHBOARD in (i.get("body") or "")
    ]
    issue = min(dashboards, key=lambda i: i["number"]) if dashboards else {}
    return Home(
        repo=repo,
        viewer=str((data.get("viewer") or {}).get("login", "")),
        branch=ref.get("name"),
        head=_text(ref.get("target"), "oid"),
        config_text=gql.whole_text(repo, node.get("config")),
        run_sheet_text=gql.whole_text(repo, node.get("runSheet")),
        status_text=gql.whole_text(repo, node.get("status")),
        state_head=_text((node.get("stateBranch") or {}).get("target"), "oid"),
        state_text=gql.whole_text(repo, node.get("orgState")),
        ledger_text=gql.whole_text(repo, node.get("ledger")),
        dashboard=issue.get("number"),
        dashboard_body=issue.get("body") or "",
        comments=_comments(issue) if issue else (),
    )


def org_config(home: Home, path: str) -> OrgConfig:
    """The org config from the org repository (all defaults when the file is absent)."""
    return parse_yaml(home.config_text or "", OrgConfig, path)


def org_state(home: Home) -> OrgState:
    """The org state; a damaged file reads as a fresh state (priorities come back by command)."""
    try:
        return OrgState.model_validate_json(home.state_text) if home.state_text else OrgState()
    except ValidationError:
        return OrgState()


def ledger(home: Home) -> tuple[Attempt, ...]:
    """The dispatcher's attempts; unreadable lines are skipped."""
    found = []
    for line in (home.ledger_text or "").splitlines():
        try:
            found.append(Attempt.model_validate_json(line))
        except ValidationError:
            continue
    return tuple(found)


def _page_error(answer: GraphQLAnswer, index: int) -> str | None:
    problem = answer.problem_at("repositoryOwner", "repositories", "nodes", index)
    return f"{problem.type or 'error'}: {problem.message}" if problem else None


def list_repos(gql: GraphQL, owner: str, config: OrgConfig) -> list[Listed]:
    """Every repository of the owner, PAGE per request, archived and forks left out at source.

    Each page carries what the detectors read (files, workflows, pull requests), so a run
    makes one request per page. A page with a repository the token may not fully read is read
    again without pull requests (one more request), so that repository is still named.

    Raises:
        GitHubError: when the owner does not exist or cannot be listed.
    """
    found: list[Listed] = []
    after: str | None = None
    while True:
        variables = {
            "owner": owner,
            "first": PAGE,
            "after": after,
            "isArchived": None if config.archived else False,
            "isFork": None if config.forks else False,
        }
        connection, items = _page(gql, owner, variables)
        found += [_whole_state(gql, item) for item in items]
        if not connection["pageInfo"]["hasNextPage"]:
            return found
        after = connection["pageInfo"]["endCursor"]


def _page(
    gql: GraphQL, owner: str, variables: dict[str, Any]
) -> tuple[dict[str, Any], list[Listed]]:
    """One listing page; read again lean when a repository's node came back null."""
    for query in (LISTING, LEAN_LISTING):
        answer = gql.query(f"list the repositories of {owner}", query, variables)
        root = answer.data.get("repositoryOwner")
        if root is None:
            msg = f"owner '{owner}' not found: set `owner` in the org config to an account name"
            raise GitHubError(msg, status=404)
        connection = root["repositories"]
        nodes = connection.get("nodes") or ()
        if query is LEAN_LISTING or all(nodes):
            break
    items = [listed(node, _page_error(answer, i)) for i, node in enumerate(nodes) if node]
    return connection, items


def _whole_state(gql: GraphQL, item: Listed) -> Listed:
    """The listed repository with its whole state.json (GraphQL cut a large one)."""
    if item.state_truncated is None:
        return item
    text = gql.blob_text(item.repo, item.state_truncated)
    return item.model_copy(update={"state_text": text, "state_truncated": None})


def _wanted(item: Listed, org_signals: tuple[CustomSignal, ...] = ()) -> list[str]:
    paths = sorted(item.blobs)
    config = with_org_signals(RepoConfig(), org_signals)
    wanted = wanted_files(paths, config) | ({REPO_CONFIG} & set(paths))
    return sorted(wanted)


class Remote(Frozen):
    """What the remote eyes need beyond the listing: wanted files and open pull requests."""

    files: dict[str, str]
    pulls: tuple[PullRequestInfo, ...]


def read_files(
    gql: GraphQL, items: list[Listed], org_signals: tuple[CustomSignal, ...] = ()
) -> dict[str, Remote | str]:
    """Wanted files and open pull requests of unmanaged repositories.

    The listing page carried them: only a text GitHub cut (one REST read each), a wanted path
    the page does not carry, or pull requests it could not read cost requests of their own
    (FILES_PER_QUERY repositories a query).

    Args:
        gql: the GraphQL client.
        items: the unmanaged repositories.
        org_signals: the org config's custom signals (their contains / lacks files are read).

    Returns:
        OWNER/NAME -> what was read, or the error that hid the repository.
    """
    result: dict[str, Remote | str] = {}
    rest: list[Listed] = []
    for item in items:
        wanted = _wanted(item, org_signals)
        files = {p: gql.blob_text(item.repo, item.cut[p]) for p in wanted if p in item.cut}
        files |= {p: item.texts[p] for p in wanted if p in item.texts}
        if item.pulls is None or len(files) < len(wanted):
            rest.append(item)
        else:
            result[item.repo] = Remote(files=files, pulls=item.pulls)
    return result | _query_files(gql, rest, org_signals)


def _query_files(
    gql: GraphQL, items: list[Listed], org_signals: tuple[CustomSignal, ...]
) -> dict[str, Remote | str]:
    result: dict[str, Remote | str] = {}
    todo = [(item.repo, _wanted(item, org_signals), item) for item in items]
    for start in range(0, len(todo), FILES_PER_QUERY):
        chunk = todo[start : start + FILES_PER_QUERY]
        text, variables = files_query([(r, [i.blobs[p] for p in ps]) for r, ps, i in chunk])
        answer = gql.query("read files of unmanaged repositories", text, variables)
        for index, (repo, paths, _) in enumerate(chunk):
            problem = answer.problem_at(f"r{index}")
            node = answer.data.get(f"r{index}")
            if problem or node is None:
                result[repo] = f"{problem.type if problem else 'NOT_FOUND'}: " + (
                    problem.message if problem else "gone since it was listed"
                )
                continue
            files = {p: gql.whole_text(repo, node.get(f"f{n}")) or "" for n, p in enumerate(paths)}
            result[repo] = Remote(files=files, pulls=pulls(node))
    return result


def _remote_config(repo: str, files: dict[str, str]) -> tuple[RepoConfig, str | None]:
    if REPO_CONFIG not in files:
        return RepoConfig(), None
    try:
        return parse_yaml(files[REPO_CONFIG], RepoConfig, f"{repo}:{REPO_CONFIG}"), None
    except ConfigError as e:
        return RepoConfig(), str(e)


def community_paths(items: list[Listed]) -> tuple[str, ...]:
    """The paths of the owner's `.github` repository, from the listing (no extra request).

    GitHub shows its community-health files (SECURITY.md, CONTRIBUTING.md, issue templates)
    in every repository of the owner without its own; the listing reads three levels deep,
    which reaches `.github/ISSUE_TEMPLATE/*`.
    """
    home = next((i for i in items if i.repo.lower().endswith("/.github")), None)
    return tuple(sorted(home.blobs)) if home is not None else ()


def with_org_signals(config: RepoConfig, org: tuple[CustomSignal, ...]) -> RepoConfig:
    """A repository's config with the org config's custom signals it does not define itself."""
    own = {spec.name for spec in config.custom_signals}
    extra = tuple(spec for spec in org if spec.name not in own)
    return config.model_copy(update={"custom_signals": (*config.custom_signals, *extra)})


def facts(
    items: list[Listed],
    remote: dict[str, Remote | str],
    now: datetime,
    org_signals: tuple[CustomSignal, ...] = (),
) -> tuple[tuple[RepoFacts, ...], tuple[str, ...]]:
    """Every listed repository as facts: its Repo Prime's state, or signals computed remotely.

    Args:
        items: the listing.
        remote: the files and pull requests read for unmanaged repositories.
        now: the moment of the run.
        org_signals: the org config's custom signals, run in every unmanaged repository.

    Returns:
        The facts, and warnings (a repository's config that did not parse).
    """
    out: list[RepoFacts] = []
    warnings: list[str] = []
    org_paths = community_paths(items)
    for item in items:
        base = RepoFacts(repo=item.repo, archived=item.archived, fork=item.fork, topics=item.topics)
        state = parse_state(item.state_text) if item.state_text else None
        if item.error:
            out.append(base.model_copy(update={"error": item.error}))
        elif state is not None:
            out.append(base.model_copy(update={"managed": True, "state": state}))
        elif item.empty:  # no commit yet: nothing to look at, nothing wrong
            out.append(base)
        elif isinstance(found := remote.get(item.repo, ""), str):
            out.append(base.model_copy(update={"error": found or "not read"}))
        else:
            config, problem = _remote_config(item.repo, found.files)
            config = with_org_signals(config, org_signals)
            warnings += [problem] if problem else []
            snapshot = RepoSnapshot(
                paths=tuple(sorted(item.blobs)),
                files=found.files,
                ci=item.ci,
                open_prs=found.pulls,
                now=now,
                remote=True,
                org_paths=org_paths,
            )
            out.append(base.model_copy(update={"signals": run_signals(snapshot, config)}))
    return tuple(out), tuple(warnings)


def commit_files(
    gql: GraphQL, repo: str, *, branch: str, head: str, files: dict[str, str], message: str
) -> str:
    """One commit of several files on a branch, only if the branch is still at `head`.

    Raises:
        GitHubError: when the branch moved (STALE_DATA): rerun, and it is re-read.
    """
    additions = [
        {"path": path, "contents": base64.b64encode(text.encode()).decode()}
        for path, text in sorted(files.items())
    ]
    variables = {
        "input": {
            "branch": {"repositoryNameWithOwner": repo, "branchName": branch},
            "expectedHeadOid": head,
            "message": {"headline": message},
            "fileChanges": {"additions": additions},
        }
    }
    answer = gql.mutate(f"commit {', '.join(sorted(files))} to {repo}@{branch}", COMMIT, variables)
    return str(answer.data["createCommitOnBranch"]["commit"]["oid"])


def client_graphql(client: GitHubClient, url: str | None) -> GraphQL:
    """The GraphQL runner for a client (GITHUB_GRAPHQL_URL when the environment names one)."""
    return GraphQL(client, url)


def save_state(client: GitHubClient, gql: GraphQL, home: Home, state: OrgState) -> Home:
    """Write org-state.json on the prime-state branch (created on the first write).

    Returns:
        The home as it is now: the branch's new head and the state's text.

    Raises:
        GitHubError: when the branch moved since it was read (rerun: it is re-read).
    """
    text = state.model_dump_json(indent=2) + "\n"
    if home.state_head is not None:
        head = commit_files(
            gql,
            home.repo,
            branch=STATE_BRANCH,
            head=home.state_head,
            files={STATE_FILE: text},
            message="prime: org state",
        )
        return home.model_copy(update={"state_head": head, "state_text": text})
    repo = client.github.get_repo(home.repo)
    element = InputGitTreeElement(STATE_FILE, "100644", "blob", content=text)
    tree = client.repeatable("write org state tree", lambda: repo.create_git_tree([element]))
    commit = client.repeatable(
        "write org state commit", lambda: repo.create_git_commit("prime: start org state", tree, [])
    )
    client.write(
        "create prime-state",
        lambda: repo.create_git_ref(f"refs/heads/{STATE_BRANCH}", commit.sha),
    )
    return home.model_copy(update={"state_head": commit.sha, "state_text": text})
