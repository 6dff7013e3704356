"""Batch (.bat, .cmd) and VBScript (.vbs) files that run what they download: a file fetched with certutil, bitsadmin,
curl or PowerShell and then started, a PowerShell cradle or an encoded PowerShell command on a batch line, mshta or
regsvr32 given a URL; an XMLHTTP response saved with ADODB.Stream and run, or evaluated with Execute. There is no
grammar for either: the script is read line by line (comments skipped)."""
from __future__ import annotations

import re

from . import powershell
from .textlines import split_lines

RULE = "win-script-runs-downloaded-code"

_GATE = re.compile(r"(?i)http|urlcache|bitsadmin|-e(?:nc\w*|c)?\s+[A-Za-z0-9+/]{40}")
_BAT_COMMENT = re.compile(r"(?i)^\s*(?:@?rem\b|::)")
_VBS_COMMENT = re.compile(r"(?i)^\s*(?:'|rem\b)")
_TOKEN = r"(\"[^\"]{1,300}\"|[^\s\"&|<>]{1,300})"
# a download saved to a file: its path is the last word of certutil/bitsadmin, curl -o PATH / wget -O PATH
# (each bounded and one lazy run only: the line is asked once per tool name on it)
_SAVES = (re.compile(r"(?i)\bcertutil(?:\.exe)?\s[^\n]{0,400}?https?://\S{1,2000}\s+" + _TOKEN),
          re.compile(r"(?i)\bbitsadmin(?:\.exe)?\s[^\n]{0,400}?https?://\S{1,2000}\s+" + _TOKEN),
          re.compile(r"(?i)\b(?:curl|wget)(?:\.exe)?\b.{0,400}?\s(?:-o|-O|--output|--output-document)\s+" + _TOKEN))
_STARTS = re.compile(r"(?i)(?:^\s*@?(?:start\b(?:\s+\"[^\"]*\")?(?:\s+/\w+)*|call\b)\s*|^\s*@?"
                     r"|\b(?:rundll32|regsvr32(?:\s+/s)?|msiexec(?:\s+/\w+)*|cscript|wscript|mshta)(?:\.exe)?\s+)"
                     + _TOKEN)
_ENCODED = re.compile(r"(?i)\b(?:powershell|pwsh)(?:\.exe)?\b.{0,300}?\s[-/]e(?:c|nc\w*)?\s+[\"']?[A-Za-z0-9+/]{40}")
_CHECKED = re.compile(r"(?i)\bcertutil(?:\.exe)?\s+-hashfile\b|\bGet-FileHash\b|\bsha256sum\b|\bsigntool(?:\.exe)?\s+verify\b")
_HTTP_OBJECT = re.compile(r"(?i)XMLHTTP|WinHttp\.WinHttpRequest|InternetExplorer\.Application")
_VBS_SAVE = re.compile(r"(?i)\.SaveToFile\b")
_VBS_RUN = re.compile(r"(?i)\.(?:Run|Exec|ShellExecute)\b")
_VBS_EVAL = re.compile(r"(?i)\b(?:Execute|ExecuteGlobal|Eval)\b[^\n]{0,80}?responseText")


def detect(ctx) -> None:
    language = ctx.kind.language if ctx.kind is not None else None
    if language not in ("batch", "vbscript") or not ctx.wants(RULE) or not _GATE.search(ctx.text):
        return
    comment = _BAT_COMMENT if language == "batch" else _VBS_COMMENT
    lines = [(n, line) for n, line in enumerate(split_lines(ctx.text), start=1) if not comment.match(line)]
    if language == "batch":
        _batch(ctx, lines)
    else:
        _vbscript(ctx, lines)


def _batch(ctx, lines) -> None:
    saved: dict[str, int] = {}
    checked = 0  # the last line that checks a hash or a signature
    for number, line in lines:
        if _CHECKED.search(line) or powershell.CHECKED.search(line):
            checked = number
        why = _runs_fetched(line)
        if why:
            ctx.emit(RULE, number, message=f"{why}: {line.strip()[:160]}")
            continue
        here = [_key(m.group(1)) for p in _SAVES for m in p.finditer(line)] + powershell.saved_in(line)
        targets = [_key(m.group(1)) for m in _STARTS.finditer(line)] + powershell.started(line)
        hit = next((t for t in targets if t in saved or t in here), None)  # saved before, or earlier on the line
        saved.update((path, number) for path in here)
        if hit is not None:
            if checked >= saved[hit]:
                ctx.emit(RULE, number, severity="medium", message="a downloaded file is started after a hash check: "
                                                                  f"{line.strip()[:160]}")
            else:
                ctx.emit(RULE, number, message=f"a file downloaded on line {saved[hit]} is started: "
                                               f"{line.strip()[:160]}")


def _vbscript(ctx, lines) -> None:
    text = "\n".join(line for _n, line in lines)
    http = _HTTP_OBJECT.search(text) is not None
    saves = _VBS_SAVE.search(text) if http else None
    offset = 0  # of the line in `text`
    for number, line in lines:
        why = _runs_fetched(line) or http and _VBS_EVAL.search(line) and "a downloaded response is evaluated as VBScript"
        if why:
            ctx.emit(RULE, number, message=f"{why}: {line.strip()[:160]}")
        elif saves is not None and saves.start() < offset and _VBS_RUN.search(line):
            ctx.emit(RULE, number, message="an HTTP response saved with ADODB.Stream is run (a VBScript dropper): "
                                           f"{line.strip()[:160]}")
            return
        offset += len(line) + 1


def _runs_fetched(line: str) -> str:
    """Why one line runs fetched code on its own ("" when it does not)."""
    if powershell.REMOTE_LOADER.search(line):
        return "mshta/regsvr32/rundll32 runs a script fetched from a URL"
    if _ENCODED.search(line):
        return "PowerShell runs an encoded command given as a base64 literal"
    if powershell.FETCH.search(line) and powershell.EVAL.search(line):
        return "downloaded text is evaluated as PowerShell (a download cradle)"
    return ""


def _key(path: str) -> str:
    return path.strip("\"'").lower()
