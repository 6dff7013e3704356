"""PowerShell scripts (.ps1, .psm1) that run what they download: a download cradle evaluated (`IEX (New-Object
Net.WebClient).DownloadString(url)`, `irm url | iex`, `$s = $wc.DownloadString(url); IEX $s`), a downloaded file
started (`DownloadFile(url, $p); Start-Process $p`; medium when Get-FileHash or a signature check comes between) or
a remote HTA/scriptlet run by mshta/regsvr32. There is no PowerShell grammar: the script is read line by line."""
from __future__ import annotations

import re

from .textlines import split_lines

RULE = "ps-runs-downloaded-code"

# the words every finding needs (one cheap test of the whole script first)
_GATE = re.compile(r"(?i)download|invoke-webrequest|invoke-restmethod|\biwr\b|\birm\b|bitstransfer|mshta|regsvr32"
                   r"|webrequest|httpclient")
FETCH = re.compile(r"(?i)\.Download(?:String|Data|File)(?:Async|TaskAsync)?\s*\(|\b(?:Invoke-WebRequest|iwr"
                    r"|Invoke-RestMethod|irm|Start-BitsTransfer)\b|\[(?:System\.)?Net\.WebRequest\]::Create"
                    r"|\.GetString(?:Async)?\s*\(\s*['\"]?https?:|\.GetByteArrayAsync\s*\(")
EVAL = re.compile(r"(?i)(?<![\w-])(?:iex|Invoke-Expression)(?![\w-])|\[ScriptBlock\]::Create\s*\(|\.InvokeScript\s*\(")
# a file a download is saved to: DownloadFile(url, PATH), -OutFile PATH, -Destination PATH
_SAVED = re.compile(r"(?i)\.DownloadFile(?:Async|TaskAsync)?\s*\([^,]{1,400},\s*(\$[\w:]+|\"[^\"]{1,300}\"|'[^']{1,300}')"
                    r"|-(?:OutFile|Destination)\s+(\$[\w:]+|\"[^\"]{1,300}\"|'[^']{1,300}'|[^\s;|]{1,300})")
# what starts a file: Start-Process/saps/Invoke-Item, the call operator, dot-sourcing, loaders given the file
_STARTS = re.compile(r"(?i)(?:\bStart-Process\b(?:\s+-FilePath)?|\bsaps\b|\bstart\b|\bInvoke-Item\b|\bii\b|^\s*&|^\s*\."
                     r"|\b(?:rundll32|regsvr32|msiexec|mshta|cscript|wscript|cmd)(?:\.exe)?\b[^\n]{0,40}?"
                     r"|\[(?:System\.)?Diagnostics\.Process\]::Start\s*\(|\[Reflection\.Assembly\]::Load\w*\s*\()\s*")
CHECKED = re.compile(r"(?i)\bGet-FileHash\b|\bGet-AuthenticodeSignature\b|\.ComputeHash\s*\(")
REMOTE_LOADER = re.compile(r"(?i)\bmshta(?:\.exe)?\b[^\n]{0,80}?https?://|\bregsvr32(?:\.exe)?\b[^\n]{0,80}/i:\s*[\"']?https?://"
                            r"|\brundll32(?:\.exe)?\b[^\n]{0,80}javascript:")
MAX_NAMES = 64  # variables and files followed per script (each later line is compared with them)
_ASSIGNED = re.compile(r"^\s*\$(\w+)\s*=")
_COMMENT = re.compile(r"^\s*#")
_FUNCTION = re.compile(r"(?i)^\s*(?:function|filter)\s+[\w:.-]+")
_BRACES = re.compile(r"[{}]")


def detect(ctx) -> None:
    if ctx.kind is None or ctx.kind.language != "powershell" or not ctx.wants(RULE) or not _GATE.search(ctx.text):
        return
    lines = _code_lines(ctx.text)
    # a name is followed inside the function it is set in (a variable of one function is not another's)
    fetched: set[tuple[int, str]] = set()  # (function, variable) holding downloaded text
    saved: dict[tuple[int, str], int] = {}  # (function, file named by a variable or a literal) -> line downloaded to
    checked = 0  # the last line that checks a hash or a signature
    for number, line, scope in lines:
        if CHECKED.search(line):
            checked = number
        if REMOTE_LOADER.search(line):
            ctx.emit(RULE, number, message="mshta/regsvr32/rundll32 runs a script fetched from a URL (a remote HTA or "
                                           f"scriptlet): {line.strip()[:160]}")
            continue
        fetch = FETCH.search(line)
        evaluated = EVAL.search(line)
        if evaluated and (fetch or any(s == scope and re.search(r"\$" + re.escape(v) + r"\b", line, re.I)
                                       for s, v in fetched)):
            ctx.emit(RULE, number, message=f"downloaded text is evaluated as PowerShell (a download cradle): "
                                           f"{line.strip()[:160]}")
            continue
        assigned = _ASSIGNED.match(line)
        if fetch and assigned and not _SAVED.search(line) and len(fetched) < MAX_NAMES:
            fetched.add((scope, assigned.group(1).lower()))
        for path in saved_in(line)[:max(0, MAX_NAMES - len(saved))]:
            saved[(scope, path)] = number
        if saved:
            _started(ctx, number, line, {path: at for (s, path), at in saved.items() if s == scope}, checked)


def saved_in(line: str) -> list[str]:
    """The files (lowercased, unquoted) a line saves a download to: DownloadFile(url, PATH), -OutFile PATH..."""
    return [_key(m.group(1) or m.group(2)) for m in _SAVED.finditer(line)]


def started(line: str) -> list[str]:
    """The files (lowercased, unquoted) a line starts: Start-Process PATH, & PATH, rundll32 PATH..."""
    out = []
    for start in _STARTS.finditer(line):
        target = re.match(r"(\$[\w:]+|\"[^\"]{1,300}\"|'[^']{1,300}'|[^\s;|,]{1,300})", line[start.end():])
        if target is not None:
            out.append(_key(target.group(1)))
    return out


def _started(ctx, number: int, line: str, saved: dict[str, int], checked: int) -> None:
    for target in started(line):
        at = saved.get(target)
        if at is None or at > number:
            continue
        if checked >= at:
            ctx.emit(RULE, number, severity="medium", message="a downloaded file is started after a hash or signature "
                                                              f"check: {line.strip()[:160]}")
        else:
            ctx.emit(RULE, number, message=f"a file downloaded on line {at} is started: {line.strip()[:160]}")
        return


def _key(path: str) -> str:
    return path.strip("\"'").lower()


def _code_lines(text: str) -> list[tuple[int, str, int]]:
    """(line number, text, function) of the lines outside comments (`# ...` and `<# ... #>` blocks); function is the
    line a `function Name {` around the line starts on (0: the script's top level), found by counting braces."""
    out, block = [], False
    opened: list[tuple[int, int]] = []  # (brace depth inside the function, its first line)
    depth, pending = 0, 0
    for number, line in enumerate(split_lines(text), start=1):
        if block:
            if "#>" in line:
                block = False
            continue
        if line.lstrip().startswith("<#"):
            block = "#>" not in line
            continue
        if _COMMENT.match(line):
            continue
        if _FUNCTION.match(line):
            pending = number
        scope = opened[-1][1] if opened else 0
        for ch in _BRACES.findall(line):
            if ch == "{":
                depth += 1
                if pending:
                    opened.append((depth, pending))
                    pending = 0
            else:
                if opened and opened[-1][0] == depth:
                    opened.pop()
                depth = max(0, depth - 1)
        out.append((number, line, opened[-1][1] if opened else scope))
    return out
