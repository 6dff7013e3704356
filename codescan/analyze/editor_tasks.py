"""VS Code workspace tasks (.vscode/tasks.json) that run by themselves: a task with `"runOptions": {"runOn":
"folderOpen"}` starts when the folder is opened (once the workspace is trusted), with no command typed. Its command
line fetching, decoding or evaluating code is how poisoned repositories run a payload on the machine of whoever opens
them."""
from __future__ import annotations

from . import dependencies as deps

RULE_ID = "editor-task-runs-fetched-code"
RULE_IDS = frozenset((RULE_ID,))
_PLATFORMS = ("windows", "linux", "osx")
MAX_TASKS = 200


def detect(ctx, text: str, fetches_code, node_eval, powershell) -> None:
    """Report each folder-open task whose command line (command and args, per platform too) fetches, decodes or
    evaluates code; the patterns are the npm install-script ones (manifests.py)."""
    if RULE_ID not in ctx.rules:
        return
    data = deps.load_json(text)
    tasks = data.get("tasks") if isinstance(data, dict) else None
    if not isinstance(tasks, list):
        return
    start = 0
    for task in tasks[:MAX_TASKS]:
        if not isinstance(task, dict):
            continue
        label = task.get("label") if isinstance(task.get("label"), str) else ""
        line, start = deps.line_of(text, f'"{label}"', start) if label else deps.line_of(text, '"runOn"', start)
        if not _on_open(task):
            continue
        for command in _commands(task):
            if fetches_code.search(command) or node_eval.search(command) or powershell.search(command):
                ctx.emit(RULE_ID, line, message=f"VS Code task '{label[:60]}' runs when the folder is opened and "
                                                f"downloads, decodes or evaluates code: {command[:160]}")
                break


def _on_open(task: dict) -> bool:
    options = task.get("runOptions")
    return isinstance(options, dict) and options.get("runOn") == "folderOpen"


def _commands(task: dict) -> list[str]:
    """The task's command lines: `command` + `args`, and each platform's override."""
    out = []
    for part in (task, *(task.get(p) for p in _PLATFORMS)):
        if not isinstance(part, dict):
            continue
        command = part.get("command")
        if isinstance(command, dict):  # {"value": "...", "quoting": ...}
            command = command.get("value")
        args = part.get("args") if isinstance(part.get("args"), list) else []
        words = [command] + [a.get("value") if isinstance(a, dict) else a for a in args]
        line = " ".join(w for w in words if isinstance(w, str))
        if line:
            out.append(line)
    return out
