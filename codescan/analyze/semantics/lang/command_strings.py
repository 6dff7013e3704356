"""A command line handed to a shell as one string (`system("curl -d '#{x}' ...")`) whose program is a network
client: the call also sends what the string holds, as `shell.curl(...)` would in a script."""
from __future__ import annotations

import re

# Calls that hand their first argument to /bin/sh -c (or cmd /c) as one command line.
SHELL_STRING_RUNNERS = frozenset(("Kernel.system", "Kernel.exec", "Kernel.spawn", "Kernel.backtick", "FileUtils.sh",
                                  "IO.popen", "Open3.capture2", "Open3.capture2e", "Open3.capture3", "Open3.popen3",
                                  "php.system", "php.exec", "php.shell_exec", "php.passthru", "php.popen",
                                  "php.proc_open", "libc.system", "libc.popen", "libc._popen"))
# Calls that start a program from an argument list: `sh -c LINE` among them runs LINE as a command line.
ARGV_RUNNERS = frozenset(("os/exec.Command", "os/exec.CommandContext", "java.lang.ProcessBuilder",
                          "java.lang.Runtime.exec", "System.Diagnostics.Process.Start"))
_SHELLS = frozenset(("sh", "bash", "zsh", "dash", "ksh"))
# The command line's first word (after an opening quote, a backtick or %x(, and sudo/env-style wrappers).
_HEAD = re.compile(rb"\A(?:%x[(\[{<|!]|[a-zA-Z]{0,2}[\"'`]|<<[-~]?['\"]?\w+['\"]?)\s*(?:(?:sudo|env|nohup|exec)\s+"
                   rb"(?:-\S+\s+)*)*(?:/usr)?(?:/s?bin/)?(curl|wget|nc|ncat|netcat)\b")


# curl/wget options that put data in the request (a token in -H/-u only logs the client in: not this).
_SENDS = re.compile(rb"\s(-d|-F|-T|--data[\w-]*|--form[\w-]*|--upload-file|--post-data|--post-file|--body-data"
                    rb"|--json)[\s=\"'#$]|\s-[a-zA-Z]*[dFT][\"'#$]")


def shell_line(flow, callee: str | None, args: list):
    """The argument node an argv runner hands to `sh -c` (exec.Command("sh", "-c", line)), else None."""
    if callee not in ARGV_RUNNERS:
        return None
    words = [flow.value(a).const for a in args[:3]]
    if callee == "os/exec.CommandContext":
        args, words = args[1:], [flow.value(a).const for a in args[1:4]]
    if len(args) >= 3 and isinstance(words[0], str) and words[0].rsplit("/", 1)[-1] in _SHELLS and words[1] == "-c":
        return args[2]
    return None


def network_client(callee: str | None, node) -> str | None:
    """`shell.curl` when `callee` runs a shell command line whose literal text starts with a network client's
    name and, for curl/wget, sends data (-d, -F, -T, --data..., --post-data): else None."""
    if node is None or (callee not in SHELL_STRING_RUNNERS and callee != "sh -c"):
        return None
    text = node.text.lstrip()[:4096]
    found = _HEAD.match(text)
    if found is None or (found.group(1) in (b"curl", b"wget") and not _SENDS.search(text)):
        return None
    return f"shell.{found.group(1).decode()}"
