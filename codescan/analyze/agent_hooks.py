"""Commands coding agents run by themselves, declared in a project's agent settings: Claude Code's
.claude/settings(.local).json hooks (before/after each tool use, at session start...), its statusLine and
apiKeyHelper commands, Cursor's .cursor/hooks.json. A repository that ships them runs them on the machine of whoever
opens it with the agent; one whose command line fetches, decodes or evaluates code is a dropper."""
from __future__ import annotations

import re

from . import dependencies as deps

RULE_ID = "agent-hook-runs-fetched-code"
RULE_IDS = frozenset((RULE_ID,))
SETTINGS_PATH = re.compile(r"(?:^|/)\.claude/settings(?:\.local)?\.json$|(?:^|/)\.cursor/hooks\.json$")
MAX_COMMANDS = 200
MAX_DEPTH = 6
_COMMAND_KEYS = ("statusLine", "apiKeyHelper", "awsAuthRefresh", "awsCredentialExport")


def detect(ctx, text: str, *patterns: re.Pattern) -> None:
    """Report each hook / helper command whose command line matches one of `patterns` (the install-script ones)."""
    if RULE_ID not in ctx.rules:
        return
    data = deps.load_json(text)
    if not isinstance(data, dict):
        return
    found: list[str] = []
    _commands(data.get("hooks"), found, 0)
    for key in _COMMAND_KEYS:
        value = data.get(key)
        if isinstance(value, str):
            found.append(value)
        else:
            _commands(value, found, 0)
    start = 0
    for command in found[:MAX_COMMANDS]:
        if any(p.search(command) for p in patterns):
            line, start = deps.line_of(text, command[:40].replace('"', '\\"'), start)
            ctx.emit(RULE_ID, line, message=f"agent settings run a command by themselves that downloads, decodes or "
                                            f"evaluates code: {command[:160]}")


def _commands(node, out: list, depth: int) -> None:
    """Every `command` string under `node` (hook lists nest matchers, hook arrays and command objects)."""
    if depth > MAX_DEPTH or len(out) >= MAX_COMMANDS:
        return
    if isinstance(node, dict):
        command = node.get("command")
        if isinstance(command, str):
            out.append(command)
        for value in node.values():
            if isinstance(value, (dict, list)):
                _commands(value, out, depth + 1)
    elif isinstance(node, list):
        for item in node:
            _commands(item, out, depth + 1)
