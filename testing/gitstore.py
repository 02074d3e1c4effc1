"""An in-memory git object store with real object ids, as the fake GitHub's repositories use."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

BLOB_MODE = "100644"
TREE_MODE = "040000"


@dataclass(frozen=True)
class Signature:
    """A git author or committer."""

    name: str
    email: str
    date: str  # ISO 8601, as the REST API shows it


@dataclass(frozen=True)
class Blob:
    """File content."""

    data: bytes


@dataclass(frozen=True)
class Entry:
    """One entry of a tree: a blob, a subtree or a submodule commit."""

    name: str
    mode: str
    type: str  # blob | tree | commit
    sha: str


@dataclass(frozen=True)
class Tree:
    """A directory listing."""

    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class Commit:
    """A commit: a tree, its parents and who wrote it."""

    tree: str
    parents: tuple[str, ...]
    message: str
    author: Signature
    committer: Signature


GitObject = Blob | Tree | Commit


def _hash(kind: str, payload: bytes) -> str:
    header = f"{kind} {len(payload)}\0".encode()
    return hashlib.sha1(header + payload, usedforsecurity=False).hexdigest()


@dataclass
class GitStore:
    """Objects and refs of one repository; ids are computed as git computes them."""

    objects: dict[str, GitObject] = field(default_factory=dict)
    refs: dict[str, str] = field(default_factory=dict)  # "refs/heads/main" -> commit sha

    def put_blob(self, data: bytes) -> str:
        """Store file content and return its id."""
        sha = _hash("blob", data)
        self.objects[sha] = Blob(data)
        return sha

    def put_tree(self, entries: list[Entry]) -> str:
        """Store a directory listing and return its id."""
        ordered = tuple(sorted(entries, key=lambda e: e.name + ("/" if e.type == "tree" else "")))
        payload = b"".join(
            f"{e.mode.lstrip('0')} {e.name}".encode() + b"\0" + bytes.fromhex(e.sha)
            for e in ordered
        )
        sha = _hash("tree", payload)
        self.objects[sha] = Tree(ordered)
        return sha

    def put_commit(self, commit: Commit) -> str:
        """Store a commit and return its id."""
        lines = [f"tree {commit.tree}", *(f"parent {p}" for p in commit.parents)]
        for role, who in (("author", commit.author), ("committer", commit.committer)):
            lines.append(f"{role} {who.name} <{who.email}> {who.date}")
        sha = _hash("commit", ("\n".join(lines) + "\n\n" + commit.message).encode())
        self.objects[sha] = commit
        return sha

    def commit(self, sha: str) -> Commit | None:
        """Return the commit with this id, if any."""
        found = self.objects.get(sha)
        return found if isinstance(found, Commit) else None

    def tree(self, sha: str) -> Tree | None:
        """Return the tree with this id, if any."""
        found = self.objects.get(sha)
        return found if isinstance(found, Tree) else None

    def walk(self, tree_sha: str, *, recursive: bool, prefix: str = "") -> list[tuple[str, Entry]]:
        """List a tree's entries with their full paths, depth first like GitHub.

        Args:
            tree_sha: The tree to list.
            recursive: Descend into subtrees (their own entries are listed too).
            prefix: The path of this tree inside the root tree.

        Returns:
            (path, entry) pairs.
        """
        tree = self.tree(tree_sha)
        listed: list[tuple[str, Entry]] = []
        for entry in tree.entries if tree else ():
            path = f"{prefix}{entry.name}"
            listed.append((path, entry))
            if recursive and entry.type == "tree":
                listed.extend(self.walk(entry.sha, recursive=True, prefix=f"{path}/"))
        return listed

    def files(self, tree_sha: str) -> dict[str, Entry]:
        """Return every non-tree entry below a tree, by full path."""
        return {p: e for p, e in self.walk(tree_sha, recursive=True) if e.type != "tree"}

    def files_at(self, commit_sha: str | None) -> dict[str, Entry]:
        """Return every file of a commit by full path (empty when it is not a commit)."""
        found = self.commit(commit_sha or "")
        return self.files(found.tree) if found else {}

    def build(self, files: dict[str, Entry]) -> str:
        """Store nested trees for a flat {path: entry} map and return the root tree id."""
        here: list[Entry] = []
        below: dict[str, dict[str, Entry]] = {}
        for path, entry in files.items():
            head, sep, rest = path.partition("/")
            if sep:
                below.setdefault(head, {})[rest] = entry
            else:
                here.append(Entry(head, entry.mode, entry.type, entry.sha))
        for name, content in below.items():
            here.append(Entry(name, TREE_MODE, "tree", self.build(content)))
        return self.put_tree(here)

    def resolve(self, name: str) -> str | None:
        """Turn a branch, tag, full ref or commit id into a commit id, like GitHub does."""
        for candidate in (name, f"refs/{name}", f"refs/heads/{name}", f"refs/tags/{name}"):
            if candidate in self.refs:
                return self.refs[candidate]
        if self.commit(name) is not None:
            return name
        matches = [sha for sha in self.objects if sha.startswith(name) and len(name) >= 7]
        return matches[0] if len(matches) == 1 and self.commit(matches[0]) else None

    def is_ancestor(self, ancestor: str, descendant: str) -> bool:
        """Tell whether `descendant` reaches `ancestor` through parents (itself included)."""
        pending, seen = [descendant], set()
        while pending:
            sha = pending.pop()
            if sha == ancestor:
                return True
            if sha in seen:
                continue
            seen.add(sha)
            found = self.commit(sha)
            pending.extend(found.parents if found else ())
        return False

    def merge_base(self, base: str, head: str) -> str | None:
        """Return the newest commit of `head`'s history that `base` also reaches, if any."""
        return next((s for s in self.history(head) if self.is_ancestor(s, base)), None)

    def clashes(self, base: str, head: str) -> set[str] | None:
        """The paths a merge of `head` into `base` conflicts on (None: no common history).

        File by file: both sides changed a path, to different contents, since their merge
        base. Git merges two edits to different lines of one file; this store is stricter
        there, and exact for what Prime's fixes do (add or replace whole files).
        """
        since = self.merge_base(base, head)
        if since is None:
            return None
        ours, theirs, start = (self.files_at(s) for s in (base, head, since))
        changed = {p for p in start.keys() | theirs.keys() if start.get(p) != theirs.get(p)}
        return {p for p in changed if ours.get(p) != start.get(p) and ours.get(p) != theirs.get(p)}

    def history(self, head: str) -> list[str]:
        """Return the commits reachable from `head`, newest first (first-parent order first)."""
        ordered: list[str] = []
        pending = [head]
        while pending:
            sha = pending.pop(0)
            found = self.commit(sha)
            if found is None or sha in ordered:
                continue
            ordered.append(sha)
            pending.extend(found.parents)
        return ordered

    def read(self, commit_sha: str, path: str) -> bytes | None:
        """Return a file's content at a commit, or None when it is absent."""
        entry = self.files_at(commit_sha).get(path)
        blob = self.objects.get(entry.sha) if entry else None
        return blob.data if isinstance(blob, Blob) else None

    def write(
        self, parent: str | None, files: dict[str, str | bytes | None], message: str, who: Signature
    ) -> str:
        """Create a commit on top of `parent` that sets (or, with None, deletes) files.

        Args:
            parent: The parent commit, or None for a root commit.
            files: Paths to new contents; None deletes the path.
            message: The commit message.
            who: Author and committer.

        Returns:
            The new commit's id.
        """
        current = self.files_at(parent)
        for path, content in files.items():
            if content is None:
                current.pop(path, None)
                continue
            data = content.encode() if isinstance(content, str) else content
            current[path] = Entry(path, BLOB_MODE, "blob", self.put_blob(data))
        tree = self.build(current)
        return self.put_commit(Commit(tree, (parent,) if parent else (), message, who, who))
