"""The local GitHub's issues, branches, file commits and pull request creation, as the REST API does
them (docs.github.com/rest: issues, git/refs, repos/contents, pulls):

- ``GET /repos/{o}/{r}/issues/{n}``: a plain issue, or a pull request seen as an issue (with
  ``pull_request``); comments and labels take either, as on GitHub.
- ``GET /repos/{o}/{r}/git/ref/heads/{branch}``; ``POST /repos/{o}/{r}/git/refs`` (422 "Reference
  already exists", 422 "Object does not exist").
- ``PUT /repos/{o}/{r}/contents/{path}`` with base64 ``content``, ``branch`` and the file's blob
  ``sha`` (422 when an existing file's sha is missing, 409 when it is not the file's): a new commit on
  the branch.
- ``POST /repos/{o}/{r}/pulls`` (422 for a missing head, no commits between, or an open pull request
  from the same head; 403 for a workflow token when Actions may not open pull requests) and
  ``GET /repos/{o}/{r}/pulls?state=&head=owner:branch``.

A write to contents, refs or pulls needs a token whose ``contents`` permission is write (403
"Resource not accessible by integration" otherwise, GitHub's answer to a missing permission).
"""

from __future__ import annotations

import base64
import difflib
import hashlib
from dataclasses import dataclass
from typing import Any

from flask import Response, request


@dataclass
class FakeIssue:
    number: int
    title: str
    body: str | None
    user: str = "contributor"
    state: str = "open"


def blob_sha(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def _patch(old: str, new: str) -> str:
    diff = difflib.unified_diff(
        old.removesuffix("\n").split("\n"), new.removesuffix("\n").split("\n"), lineterm="", n=3
    )
    return "\n".join(list(diff)[2:])


class GitAndIssues:
    """Mixed into FakeGitHub (which provides repos, ids, the JSON helpers and ``_Reply``)."""

    actions_can_open_pulls = True  # the repository setting "Allow GitHub Actions to create ... pull requests"

    # ---- setup

    def add_issue(self, full_name: str, number: int, body: str | None, **kw: Any) -> FakeIssue:
        repo = self.repo(full_name)
        with self._lock:
            issue = FakeIssue(number, kw.pop("title", "Please add our paper"), body, **kw)
            repo.issues[number] = issue
            repo.issue_labels.setdefault(number, [])
            return issue

    def edit_issue(self, full_name: str, number: int, body: str) -> None:
        with self._lock:
            self.repo(full_name).issues[number].body = body

    def branch_sha(self, full_name: str, branch: str) -> str | None:
        with self._lock:
            return self._branch(self.repo(full_name), branch)

    # ---- helpers

    def _branch(self, repo: Any, branch: str) -> str | None:
        """A branch's head; a branch known only by files put at its name gets a commit of them."""
        if branch in repo.branches:
            return repo.branches[branch]
        files = {p: d for (ref, p), d in repo.contents.items() if ref == branch}
        if not files:
            return None
        sha = hashlib.sha1(f"{repo.full_name}@{branch}".encode()).hexdigest()
        for p, d in files.items():
            repo.contents[(sha, p)] = d
        repo.branches[branch] = sha
        return sha

    def _tree(self, repo: Any, sha: str) -> dict[str, bytes]:
        return {p: d for (ref, p), d in repo.contents.items() if ref == sha}

    def _writer(self, p: Any) -> None:
        if p is None:
            raise self._reply(401, "Requires authentication")
        if not getattr(p, "contents_write", True):
            raise self._reply(403, "Resource not accessible by integration")

    def _get_issue(self, owner: str, name: str, n: int) -> Any:
        repo = self._get_repo(owner, name)
        if n not in repo.pulls and n not in repo.issues:
            raise self._reply(404, "Not Found")
        return repo

    def _ref_json(self, repo: Any, branch: str, sha: str) -> dict[str, Any]:
        api = f"{self.url}/repos/{repo.full_name}"
        return {
            "ref": f"refs/heads/{branch}",
            "node_id": f"REF_{sha[:8]}",
            "url": f"{api}/git/refs/heads/{branch}",
            "object": {"sha": sha, "type": "commit", "url": f"{api}/git/commits/{sha}"},
        }

    # ---- handlers

    def h_issue(self, _p: Any, owner: str, name: str, n: int) -> Response:
        repo = self._get_issue(owner, name, n)
        api = f"{self.url}/repos/{repo.full_name}"
        labels = [self._label_json(repo, x) for x in repo.issue_labels.get(n, [])]
        if n in repo.pulls:
            pull = repo.pulls[n]
            body: dict[str, Any] = {"title": pull.title, "body": pull.body, "user": self._user(pull.user)}
            body["state"] = pull.state
            body["pull_request"] = {
                "url": f"{api}/pulls/{n}",
                "html_url": f"{self.url}/{repo.full_name}/pull/{n}",
            }
        else:
            issue = repo.issues[n]
            body = {
                "title": issue.title,
                "body": issue.body,
                "user": self._user(issue.user),
                "state": issue.state,
            }
        return self._json(
            {
                "id": repo.id * 10000 + n,
                "node_id": f"I_{repo.id}_{n}",
                "url": f"{api}/issues/{n}",
                "repository_url": api,
                "comments_url": f"{api}/issues/{n}/comments",
                "labels_url": f"{api}/issues/{n}/labels{{/name}}",
                "html_url": f"{self.url}/{repo.full_name}/issues/{n}",
                "number": n,
                "labels": labels,
                "locked": False,
                "comments": sum(1 for c in repo.issue_comments if c["_number"] == n),
                "author_association": "NONE",
                **body,
            }
        )

    def h_git_ref(self, _p: Any, owner: str, name: str, branch: str) -> Response:
        repo = self._get_repo(owner, name)
        sha = self._branch(repo, branch)
        if sha is None:
            raise self._reply(404, "Not Found")
        return self._json(self._ref_json(repo, branch, sha))

    def h_create_ref(self, p: Any, owner: str, name: str) -> Response:
        self._writer(p)
        repo = self._get_repo(owner, name)
        data = self._body()
        ref, sha = data.get("ref"), data.get("sha")
        if not isinstance(ref, str) or not ref.startswith("refs/heads/") or ref.count("/") < 2:
            raise self._reply(422, "Reference name is invalid")
        branch = ref.removeprefix("refs/heads/")
        if self._branch(repo, branch) is not None:
            raise self._reply(422, "Reference already exists")
        tree = self._tree(repo, sha) if isinstance(sha, str) else {}
        if not tree:
            raise self._reply(422, "Object does not exist")
        for path, d in tree.items():
            repo.contents[(branch, path)] = d
        repo.branches[branch] = sha
        return self._json(self._ref_json(repo, branch, sha), 201)

    def h_put_contents(self, p: Any, owner: str, name: str, path: str) -> Response:
        self._writer(p)
        repo = self._get_repo(owner, name)
        data = self._body()
        branch = data.get("branch") or repo.default_branch
        head = self._branch(repo, branch)
        if head is None:
            raise self._reply(404, f"Branch {branch} not found")
        if not isinstance(data.get("message"), str) or not isinstance(data.get("content"), str):
            raise self._reply(422, "Invalid request.", ["message and content are required"])
        current = repo.contents.get((branch, path))
        if current is not None and not data.get("sha"):
            raise self._reply(422, "Invalid request.", ['"sha" wasn\'t supplied.'])
        if current is not None and data["sha"] != blob_sha(current):
            raise self._reply(409, f"{path} does not match {data['sha']}")
        new = base64.b64decode(data["content"])
        commit = hashlib.sha1(f"{head}:{path}:{blob_sha(new)}".encode()).hexdigest()
        for p_, d in self._tree(repo, head).items():
            repo.contents[(commit, p_)] = d
        repo.contents[(commit, path)] = repo.contents[(branch, path)] = new
        repo.branches[branch] = commit
        repo.commits.append({"sha": commit, "branch": branch, "message": data["message"], "path": path})
        api = f"{self.url}/repos/{repo.full_name}"
        body = {
            "content": {
                "type": "file", "name": path.rsplit("/", 1)[-1], "path": path, "sha": blob_sha(new),
                "size": len(new), "url": f"{api}/contents/{path}?ref={branch}",
                "git_url": f"{api}/git/blobs/{blob_sha(new)}",
                "html_url": f"{self.url}/{repo.full_name}/blob/{branch}/{path}", "download_url": None,
            },
            "commit": {
                "sha": commit, "node_id": f"C_{commit[:8]}", "url": f"{api}/git/commits/{commit}",
                "html_url": f"{self.url}/{repo.full_name}/commit/{commit}", "message": data["message"],
                "parents": [{"sha": head, "url": f"{api}/git/commits/{head}"}],
            },
        }  # fmt: skip
        return self._json(body, 201 if current is None else 200)

    def h_list_pulls(self, _p: Any, owner: str, name: str) -> Response:
        repo = self._get_repo(owner, name)
        state = request.args.get("state", "open")
        head = request.args.get("head")
        pulls = [
            self._pull_json(repo, pull)
            for pull in sorted(repo.pulls.values(), key=lambda x: -x.number)
            if (state == "all" or pull.state == state)
            and (head is None or (head == f"{repo.owner}:{pull.head_ref}" and pull.from_branch))
        ]
        return self._page(pulls)

    def h_create_pull(self, p: Any, owner: str, name: str) -> Response:
        self._writer(p)
        repo = self._get_repo(owner, name)
        if p.login == "github-actions[bot]" and not self.actions_can_open_pulls:
            raise self._reply(403, "GitHub Actions is not permitted to create or approve pull requests.")
        data = self._body()
        head = str(data.get("head") or "").split(":")[-1]
        base = str(data.get("base") or "")
        head_sha, base_sha = self._branch(repo, head), self._branch(repo, base)
        if head_sha is None or base_sha is None:
            raise self._reply(
                422,
                "Validation Failed",
                [
                    {
                        "resource": "PullRequest",
                        "field": "head" if head_sha is None else "base",
                        "code": "invalid",
                    }
                ],
            )
        if head_sha == base_sha:
            raise self._reply(
                422,
                "Validation Failed",
                [
                    {
                        "resource": "PullRequest",
                        "code": "custom",
                        "message": f"No commits between {base} and {head}",
                    }
                ],
            )
        if any(x.state == "open" and x.head_ref == head and x.from_branch for x in repo.pulls.values()):
            raise self._reply(
                422,
                "Validation Failed",
                [
                    {
                        "resource": "PullRequest",
                        "code": "custom",
                        "message": f"A pull request already exists for {repo.owner}:{head}.",
                    }
                ],
            )
        old, new = self._tree(repo, base_sha), self._tree(repo, head_sha)
        files = []
        for path in sorted(set(old) | set(new)):
            if old.get(path) != new.get(path):
                a = (old.get(path) or b"").decode("utf-8", "replace")
                b = (new.get(path) or b"").decode("utf-8", "replace")
                status = "added" if path not in old else "removed" if path not in new else "modified"
                files.append(self._file_type(path, _patch(a, b), status))
        number = max([0, *repo.pulls, *repo.issues]) + 1
        pull = self.add_pull(
            repo.full_name, number, head_sha=head_sha, base_sha=base_sha, files=files, user=p.login,
            title=str(data.get("title") or ""), body=data.get("body"), head_ref=head, base_ref=base,
        )  # fmt: skip
        pull.from_branch = True
        return self._json(self._pull_json(repo, pull), 201)
