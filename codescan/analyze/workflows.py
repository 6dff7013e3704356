"""GitHub Actions workflow checks: untrusted event text in run:, curl | sh steps, pull_request_target checkouts (and
workflow_run jobs that check out or run what the triggering run produced), every secret handed to one step."""
from __future__ import annotations

import re

import yaml

from .workflow_secrets import unmasked_steps

RULE_IDS = frozenset(("gha-untrusted-input-in-run", "gha-download-pipe-to-shell", "gha-pull-request-target-checkout",
                      "gha-all-secrets-exposed", "gha-secret-printed-unmasked"))
# The whole secrets context as one value (toJSON(secrets), or the object itself passed on): every secret the
# repository holds reaches one step, whatever it needs.
_ALL_SECRETS = re.compile(r"(?i)\$\{\{[^}]*\btojson\s*\(\s*secrets\s*\)[^}]*\}\}|\$\{\{\s*secrets\s*\}\}")
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# Event fields any outside user controls (issue/PR/comment text, branch names, commit metadata).
UNTRUSTED = re.compile(
    r"\$\{\{\s*(github\.event\.(issue\.(title|body)|pull_request\.(title|body|head\.(ref|label|repo\.default_branch))"
    r"|comment\.body|review\.body|review_comment\.body|discussion\.(title|body)|pages\.[^}]*\.page_name"
    r"|commits\.[^}]*\.(message|author\.(email|name))|head_commit\.(message|author\.(email|name))"
    r"|workflow_run\.(head_branch|head_commit\.(message|author\.(email|name))|display_title)"
    r"|release\.(name|body)|check_suite\.head_branch|merge_group\.head_commit\.message)"
    r"|github\.head_ref)\s*\}\}")
_PIPE_TO_SHELL = re.compile(
    r"(?i)\b(curl|wget)\b[^|;&\n]{0,512}\|\s*(sudo\s+(-\S+\s+)*)?(/\S*/)?((ba|z|da|k)?sh\b|(python[0-9.]*|node|perl|ruby)"
    r"(\s+-)?\s*$)|\b(ba|z)?sh\s+(-c\s+)?[\"']?(<\(|\$\()\s*(curl|wget)\b|\beval\s+[\"']?\$\(\s*(curl|wget)\b", re.M)
_HEAD_REF = re.compile(r"github\.event\.pull_request\.head\.(sha|ref)|github\.head_ref|refs/pull/")
# the same checkout written as a command: `gh pr checkout`, git fetching pull/<n>/head (or /merge), git fetching or
# checking out the pull request's head ref or sha
_GIT_HEAD = re.compile(r"\bgh\s+pr\s+checkout\b"
                       r"|\bgit\s+(?:-\S+\s+)*(?:fetch|pull)\b[^\n;&|]*?"
                       r"\bpull/(?:\$\{\{[^}]*\}\}|[^\s/:]+)/(?:head|merge)\b"
                       r"|\bgit\s+(?:-\S+\s+)*(?:fetch|pull|checkout|switch|reset)\b[^\n;&|]*?"
                       r"(?:github\.event\.pull_request\.head\.(?:sha|ref)|github\.head_ref)\b")
# workflow_run: the triggering run's head (a fork's branch when a pull request triggered it), its artifacts, and a
# run: step that executes a file (what such an artifact may hold)
_RUN_HEAD = re.compile(r"github\.event\.workflow_run\.head_(?:sha|branch)")
_RUN_ARTIFACT = re.compile(r"github\.event\.workflow_run\.id\b")
_RUNS_FILE = re.compile(r"(?m)^\s*(?:(?:ba|z)?sh|node|python[0-9.]*|source|\.)\s+(?:-\S+\s+)*\.{0,2}/?[\w.-]+/[\w./-]+"
                        r"|^\s*\./[\w./-]+|\bchmod\s+\+x\s")


def detect(ctx, text: str) -> None:
    try:
        root = yaml.compose(text, Loader=_LOADER)
    except yaml.YAMLError:
        return
    if not isinstance(root, yaml.MappingNode):
        return
    target = _on_pull_request_target(root)
    after_run = _on_workflow_run(root)
    artifact = after_run and _RUN_ARTIFACT.search(text) is not None
    for number, line in enumerate(text.split("\n"), start=1):
        if "secrets" in line and _ALL_SECRETS.search(line) and not line.lstrip().startswith("#"):
            ctx.emit("gha-all-secrets-exposed", number)
    for key, value in _pairs(root):
        if key == "run" and isinstance(value, yaml.ScalarNode):
            _run_step(ctx, value)
            fetched = _GIT_HEAD.search(value.value) if target else None
            if fetched is not None:
                ctx.emit("gha-pull-request-target-checkout", _line(value, fetched.start()),
                         message="a pull_request_target job fetches the pull request's head with git/gh: the fork's "
                                 "code runs with the base repository's secrets and write token")
            ran = _RUNS_FILE.search(value.value) if artifact else None
            if ran is not None:
                ctx.emit("gha-pull-request-target-checkout", _line(value, ran.start()),
                         message="a workflow_run job downloads the triggering run's artifact and runs a file: a pull "
                                 "request's build output executed with the base repository's secrets")
        elif key == "steps" and isinstance(value, yaml.SequenceNode):  # echo "${{ secrets.T }}" | base64
            for run, offset in unmasked_steps(value):
                ctx.emit("gha-secret-printed-unmasked", _line(run, offset))
        elif key == "script" and isinstance(value, yaml.ScalarNode):  # actions/github-script
            for match in UNTRUSTED.finditer(value.value):
                ctx.emit("gha-untrusted-input-in-run", _line(value, match.start()),
                         message=f"untrusted {match.group(0)} is pasted into github-script code")
        elif key == "ref" and target and isinstance(value, yaml.ScalarNode) and _HEAD_REF.search(value.value):
            ctx.emit("gha-pull-request-target-checkout", value.start_mark.line + 1)
        elif key == "ref" and after_run and isinstance(value, yaml.ScalarNode) and _RUN_HEAD.search(value.value):
            ctx.emit("gha-pull-request-target-checkout", value.start_mark.line + 1,
                     message="a workflow_run job checks out the triggering run's head (a fork's code) with secrets")


def _run_step(ctx, node) -> None:
    script = node.value
    for match in UNTRUSTED.finditer(script):
        ctx.emit("gha-untrusted-input-in-run", _line(node, match.start()),
                 message=f"untrusted {match.group(0)} is pasted into a shell script (script injection)")
    for match in _PIPE_TO_SHELL.finditer(script):
        ctx.emit("gha-download-pipe-to-shell", _line(node, match.start()))


def _line(node, offset: int) -> int:
    """1-based file line of a character offset inside a scalar (block scalars start on the next line)."""
    first = node.start_mark.line + 1 + (1 if node.style in ("|", ">") else 0)
    return first + node.value.count("\n", 0, offset)


def _pairs(node):
    """Every (key, value node) in the document, depth first."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, yaml.MappingNode):
            for key, value in current.value:
                if isinstance(key, yaml.ScalarNode):
                    yield key.value, value
                stack.append(value)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)


def _on_pull_request_target(root) -> bool:
    return _on(root, "pull_request_target")


def _on_workflow_run(root) -> bool:
    return _on(root, "workflow_run")


def _on(root, event: str) -> bool:
    """The workflow is triggered by `event` (a scalar, a list or a mapping of triggers)."""
    for key, value in root.value:
        if isinstance(key, yaml.ScalarNode) and key.value in ("on", "true", "True"):
            if isinstance(value, yaml.ScalarNode):
                return value.value == event
            if isinstance(value, yaml.SequenceNode):
                return any(getattr(v, "value", None) == event for v in value.value)
            if isinstance(value, yaml.MappingNode):
                return any(getattr(k, "value", None) == event for k, _ in value.value)
    return False
