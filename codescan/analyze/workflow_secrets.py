"""Secrets a workflow step prints in a form the runner's log mask does not hide: the secret piped into an encoder or
splitter whose output is the step's log (`echo "${{ secrets.T }}" | base64`, `echo $T | rev`), or a substring of it
(`${T:0:8}`). The mask matches a secret's exact text only; anyone who can read the log decodes the rest."""
from __future__ import annotations

import re

import yaml

_SECRET = r"\$\{\{\s*secrets\.[\w-]+\s*\}\}"
# a filter whose output no longer matches the mask: base64/xxd not decoding, od/hexdump, rev, per-character splits
_ENCODER = re.compile(
    r"\|\s*(?:base64(?![^|\n]*\s(?:-d|--decode|-D)\b)|base32(?![^|\n]*\s(?:-d|--decode)\b)|xxd(?![^|\n]*\s-r\b)|od\b|"
    r"hexdump\b|rev\b|fold\s+-w\s*1\b|sed\s+[\"']?s/\./|tr\s|cut\s+-c)[^|\n]*$", re.M)
_REDIRECT = re.compile(r">|\btee\b")
MAX_LINES = 400


def unmasked_steps(steps) -> list:
    """(run: scalar, offset) for each line of a job's steps (a YAML sequence) that prints a secret unmasked, the
    names each step's env: binds to secrets counting as secrets in its run: script."""
    out = []
    for step in steps.value:
        if not isinstance(step, yaml.MappingNode):
            continue
        keys = {k.value: v for k, v in step.value if isinstance(k, yaml.ScalarNode)}
        run, env = keys.get("run"), keys.get("env")
        if not isinstance(run, yaml.ScalarNode):
            continue
        names = frozenset(k.value for k, v in env.value if isinstance(k, yaml.ScalarNode) and
                          isinstance(v, yaml.ScalarNode) and re.search(_SECRET, v.value)) \
            if isinstance(env, yaml.MappingNode) else frozenset()
        out.extend((run, offset) for offset in unmasked_prints(run.value, names))
    return out


def unmasked_prints(script: str, names: frozenset = frozenset()) -> list:
    """Offsets in `script` of the lines that print a secret through an encoder or as a substring."""
    held = [_SECRET] + [r"\$\{?" + re.escape(n) + r"\b" for n in sorted(names)[:16]]
    secret = re.compile("|".join(held))
    substring = re.compile("|".join([r"\$\{(?:" + re.escape(n) + r"):-?\d+(?::\d+)?\}" for n in sorted(names)[:16]]
                                    or [r"(?!)"]))
    out = []
    offset = 0
    for number, line in enumerate(script.split("\n")):
        if number >= MAX_LINES:
            break
        code = line.split(" #", 1)[0]
        if secret.search(code) and ((_ENCODER.search(code) and not _REDIRECT.search(_ENCODER.search(code).group()))
                                    or substring.search(code)):
            out.append(offset)
        offset += len(line) + 1
    return out
