"""MCP server configurations that AI coding agents start by themselves (.vscode/mcp.json, .cursor/mcp.json,
.mcp.json, claude_desktop_config.json, Gemini/Qwen/Zed settings, Codex config.toml): each server is a command line the
editor or agent runs when the workspace is opened or the agent starts. A server whose command line fetches, decodes
or evaluates code runs a payload on the machine of whoever opens the repository with such an agent."""
from __future__ import annotations

import re
import tomllib
from pathlib import PurePosixPath

from . import dependencies as deps

RULE_ID = "mcp-server-runs-fetched-code"
RULE_IDS = frozenset((RULE_ID,))
MAX_SERVERS = 200
# The tables that hold servers, by client: VS Code `servers` (and `mcp.servers` in settings.json), most agents
# `mcpServers`, Zed `context_servers`, Codex `mcp_servers`.
_TABLES = ("servers", "mcpServers", "context_servers", "mcp_servers")
_NAMES = frozenset(("mcp.json", ".mcp.json", "claude_desktop_config.json", "mcp_config.json", "mcp_settings.json",
                    "cline_mcp_settings.json"))
_SETTINGS = re.compile(r"(?:^|/)\.(?:gemini|qwen|zed)/settings\.json$|(?:^|/)\.codex/config\.toml$")
_MENTIONS = re.compile(r'"(?:mcpServers|context_servers)"\s*:')


def is_config_path(path: str) -> bool:
    """A file a client reads its MCP servers from, by its path alone."""
    return PurePosixPath(path).name in _NAMES or bool(_SETTINGS.search(path))


def mentions_servers(text: str) -> bool:
    """JSON under another name (a template, a copy in docs) that declares MCP servers."""
    return bool(_MENTIONS.search(text, 0, 1 << 20))


def detect(ctx, text: str, *patterns: re.Pattern) -> None:
    """Report each server whose command line (command, args; Zed's {"path", "args"} too) matches one of `patterns`
    (the install-script ones: a download piped into a shell, a decode into one, a download cradle, `node -e`/
    `python -c` with network calls or eval)."""
    if RULE_ID not in ctx.rules:
        return
    start = 0
    for name, server in _servers(ctx.kind.path, text)[:MAX_SERVERS]:
        needle = f"mcp_servers.{name}" if ctx.kind.path.endswith(".toml") else f'"{name}"'
        line, start = deps.line_of(text, needle, start)
        command = _command_line(server)
        if command and any(p.search(command) for p in patterns):
            ctx.emit(RULE_ID, line, message=f"MCP server '{name[:60]}' is started by a command line that downloads, "
                                            f"decodes or evaluates code: {command[:160]}")


def _servers(path: str, text: str) -> list[tuple[str, dict]]:
    if path.endswith(".toml"):
        try:
            data = tomllib.loads(text)
        except (tomllib.TOMLDecodeError, ValueError):
            return []
    else:
        data = deps.load_json(text)
    if not isinstance(data, dict):
        return []
    holders = [data, data.get("mcp")] if isinstance(data.get("mcp"), dict) else [data]
    out = []
    for holder in holders:
        for table in _TABLES:
            servers = holder.get(table)
            if isinstance(servers, dict):
                out.extend((str(k), v) for k, v in servers.items() if isinstance(v, dict))
    return out


def _command_line(server: dict) -> str:
    command, args = server.get("command"), server.get("args")
    if isinstance(command, dict):  # Zed: "command": {"path": ..., "args": [...]}
        command, args = command.get("path"), command.get("args", args)
    words = [command] + (list(args) if isinstance(args, list) else [])
    return " ".join(w for w in words if isinstance(w, str))
