"""Build files whose commands run unread on every build or install: MSBuild <Exec Command="...">, NuGet
PowerShell install hooks and Gradle build scripts that download, decode or run fetched code."""
from __future__ import annotations

import html
import re

from .textlines import split_lines

RULE_ID = "manifest-build-step-fetches-code"
SENDS_ID = "manifest-build-script-sends-credentials"
# A string literal in a build script (Groovy/Kotlin quotes).
_STRING = re.compile(r"'([^'\n]{3,200})'|\"([^\"\n]{3,200})\"")
# The build script opens an outgoing request that carries a body (Groovy/Kotlin on the JVM, or curl).
_SENDS = re.compile(r"(?i)\.openConnection\s*\(|HttpURLConnection|\bHttpClient\b|\bcurl\b[^\n]{0,512}\s(-d|--data|-F|-T|--upload-file)\b|"
                    r"\boutputStream\b|getOutputStream\s*\(|\bSocket\s*\(")
# An MSBuild Exec task's command (an attribute, or the task's text between tags on one line).
# Both runs are bounded: an unbounded `[^>]*?` rescanned the rest of a file of `<Exec` without `>` for each one
# (8,000 of them, 64 kB, took 6.6 s; time grew with the square of the count).
_EXEC_COMMAND = re.compile(r"(?is)<Exec\b[^>]{0,2048}?\bCommand\s*=\s*(\"[^\"]{0,8192}\"|'[^']{0,8192}')")
# A PowerShell download followed by running what came down, or a download cradle piped into iex.
_PS_RUNS = re.compile(r"(?i)\b(start-process|invoke-item|iex|invoke-expression|saps)\b|&\s*\$|\.\s*\$|"
                      r"\[system\.diagnostics\.process\]::start|\bcmd(\.exe)?\s+/c\b")
_COMMENT = re.compile(r"^\s*(#|//|<!--|\*)")


def detect(ctx, text: str, fetches) -> None:
    path = (ctx.kind.path or "").lower()
    if path.endswith(".ps1"):
        _powershell(ctx, text, fetches)
    elif path.endswith((".gradle", ".gradle.kts")):
        _lines(ctx, text, fetches, "a Gradle build step")
        _gradle_sends_credentials(ctx, text)
    else:
        _msbuild(ctx, text, fetches)


def _msbuild(ctx, text: str, fetches) -> None:
    line, counted = 1, 0
    for match in _EXEC_COMMAND.finditer(text):
        command = html.unescape(match.group(1)[1:-1])
        if fetches.search(command):
            line += text.count("\n", counted, match.start())  # counted once over the file, not from its start each time
            counted = match.start()
            ctx.emit(RULE_ID, line, message="an MSBuild Exec task downloads, decodes or runs fetched code on every "
                                            f"build: {command[:160]}")


def _powershell(ctx, text: str, fetches) -> None:
    """NuGet runs tools/init.ps1 and install.ps1 in Visual Studio when the package is installed."""
    lines = split_lines(text)
    fetched = [n for n, line in enumerate(lines, start=1) if not _COMMENT.match(line) and fetches.search(line)]
    if fetched and any(_PS_RUNS.search(line) for line in lines if not _COMMENT.match(line)):
        ctx.emit(RULE_ID, fetched[0], message="a NuGet install script downloads code and runs it when the package "
                                              "is installed")


def _lines(ctx, text: str, fetches, what: str) -> None:
    for number, line in enumerate(split_lines(text), start=1):
        if not _COMMENT.match(line) and fetches.search(line):
            ctx.emit(RULE_ID, number, message=f"{what} downloads, decodes or runs fetched code: {line.strip()[:160]}")


def _gradle_sends_credentials(ctx, text: str) -> None:
    """A build script that names a credential file (~/.ssh keys, ~/.aws/credentials, .npmrc...) and opens an outgoing
    request with a body: the build steals the developer's keys (reported at the first credential path)."""
    from .semantics.text_labels import CREDENTIAL_PATH
    if not _SENDS.search(text):
        return
    for number, line in enumerate(split_lines(text), start=1):
        if _COMMENT.match(line):
            continue
        for match in _STRING.finditer(line):
            literal = match.group(1) or match.group(2)
            if "://" not in literal and CREDENTIAL_PATH.search(literal):
                ctx.emit(SENDS_ID, number, message=f"the build script reads {literal!r} and sends a request with a body")
                return
