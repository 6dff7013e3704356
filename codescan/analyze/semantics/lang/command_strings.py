"""A command line handed to a shell as one string (`system("curl -d '#{x}' ...")`) whose program is a network
client: the call also sends what the string holds, as `shell.curl(...)` would in a script."""
from __future__ import annotations

import re

# Calls that hand their first argument to /bin/sh -c (or cmd /c) as one command line.
SHELL_STRING_RUNNERS = frozenset(("Kernel.system", "Kernel.exec", "Kernel.spawn", "Kernel.backtick", "FileUtils.sh",
                                  "IO.popen", "Open3.capture2", "Open3.capture2e", "Open3.capture3", "Open3.popen3",
                                  "php.system", "php.exec", "php.shell_exec", "php.passthru", "php.popen",
                                  "php.proc_open", "libc.system", "libc.popen", "libc._popen"))
# The command line's first word (after an opening quote, a backtick or %x(, and sudo/env-style wrappers).
_HEAD = re.compile(rb"\A(?:%x[(\[{<|!]|[a-zA-Z]{0,2}[\"'`]|<<[-~]?['\"]?\w+['\"]?\s*)\s*(?:(?:sudo|env|nohup|exec)\s+"
                   rb"(?:-\S+\s+)*)*(?:/usr)?(?:/s?bin/)?(curl|wget|nc|ncat|netcat)\b")


# curl/wget options that put data in the request (a token in -H/-u only logs the client in: not this).
_SENDS = re.compile(rb"\s(-d|-F|-T|--data[\w-]*|--form[\w-]*|--upload-file|--post-data|--post-file|--body-data"
                    rb"|--json)[\s=\"'#$]|\s-[a-zA-Z]*[dFT][\"'#$]")


def network_client(callee: str | None, node) -> str | None:
    """`shell.curl` when `callee` runs a shell command line whose literal text starts with a network client's
    name and, for curl/wget, sends data (-d, -F, -T, --data..., --post-data): else None."""
    if callee not in SHELL_STRING_RUNNERS or node is None:
        return None
    text = node.text.lstrip()[:4096]
    found = _HEAD.match(text)
    if found is None or (found.group(1) in (b"curl", b"wget") and not _SENDS.search(text)):
        return None
    return f"shell.{found.group(1).decode()}"
