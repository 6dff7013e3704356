"""Dependency declarations in manifests (requirements, package.json, pyproject, setup.cfg, go.mod, Cargo.toml)."""
from __future__ import annotations

import configparser
import json
import re
import tomllib
from dataclasses import dataclass
from pathlib import PurePosixPath

from .textlines import split_lines


@dataclass(frozen=True, slots=True)
class Dependency:
    ecosystem: str  # pypi | npm | crates | go
    name: str
    spec: str  # version range, URL or path as written
    line: int


NPM_SECTIONS = ("dependencies", "devDependencies", "optionalDependencies", "peerDependencies")
_REQ_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(.*)$")
_PEP508_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
_JSON_COMMENT = re.compile(r'"(?:\\.|[^"\\])*"|//[^\n]*|/\*.*?\*/', re.S)
_TRAILING_COMMA = re.compile(r'"(?:\\.|[^"\\])*"|,(\s*[}\]])', re.S)


def manifest_kind(path: str) -> str | None:
    """Which dependency manifest a path is, by its file name."""
    name = PurePosixPath(path).name
    if name in ("package.json", "composer.json"):
        return name
    if name in ("pyproject.toml", "setup.cfg", "go.mod", "Cargo.toml"):
        return name
    if re.match(r"^(.*requirements.*|constraints.*)\.(txt|in)$", name, re.I) or \
            re.search(r"(^|/)requirements/[^/]+\.(txt|in)$", path):
        return "requirements"
    return None


def load_json(text: str):
    """package.json as npm reads it; comments and trailing commas are tolerated (JSONC)."""
    try:
        return json.loads(text)
    except ValueError:
        pass
    stripped = _JSON_COMMENT.sub(lambda m: m.group(0) if m.group(0).startswith('"') else
                                 "\n" * m.group(0).count("\n"), text)
    stripped = _TRAILING_COMMA.sub(lambda m: m.group(1) if m.group(1) else m.group(0), stripped)
    try:
        return json.loads(stripped)
    except ValueError:
        return None


def line_of(text: str, needle: str, start: int = 0) -> tuple[int, int]:
    """(1-based line of the first `needle` at or after offset `start`, its offset); the start line if absent."""
    pos = text.find(needle, start)
    if pos < 0:
        pos = start
    return text.count("\n", 0, pos) + 1, pos


def key_line(text: str, key: str) -> int:
    """1-based line where a TOML/INI key `key = ...` (or `"key" = ...`) is written; 1 if absent."""
    match = re.search(rf'(?m)^[ \t]*["\']?{re.escape(key)}["\']?[ \t]*=', text)
    return text.count("\n", 0, match.start()) + 1 if match else 1


def extract(kind: str, text: str) -> list[Dependency]:
    try:
        return _EXTRACTORS[kind](text)
    except (ValueError, TypeError, KeyError, AttributeError, configparser.Error, tomllib.TOMLDecodeError):
        return []


def _requirements(text: str) -> list[Dependency]:
    out = []
    for number, raw in enumerate(split_lines(text), start=1):
        line = re.split(r"\s+#", raw, maxsplit=1)[0].strip()
        if not line or line.startswith(("#", "-", ".", "/")) or "://" in line.split("@")[0]:
            continue
        match = _REQ_NAME.match(line)
        if match:
            out.append(Dependency("pypi", match.group(1), match.group(3).strip(), number))
    return out


def _package_json(text: str) -> list[Dependency]:
    data = load_json(text)
    if not isinstance(data, dict):
        return []
    out = []
    for section in NPM_SECTIONS:
        deps = data.get(section)
        if not isinstance(deps, dict):
            continue
        _, start = line_of(text, f'"{section}"')
        for name, spec in deps.items():
            line, _ = line_of(text, f'"{name}"', start)
            out.append(Dependency("npm", name, spec if isinstance(spec, str) else "", line))
    return out


def _pep508(entries, text: str, ecosystem: str = "pypi") -> list[Dependency]:
    out = []
    for entry in entries or ():
        if not isinstance(entry, str):
            continue
        match = _PEP508_NAME.match(entry)
        if match:
            line, _ = line_of(text, entry)
            out.append(Dependency(ecosystem, match.group(1), entry[match.end():].strip(), line))
    return out


def _pyproject(text: str) -> list[Dependency]:
    data = tomllib.loads(text)
    project = data.get("project", {})
    out = _pep508(project.get("dependencies"), text)
    for group in (project.get("optional-dependencies") or {}).values():
        out += _pep508(group, text)
    for group in (data.get("dependency-groups") or {}).values():
        out += _pep508(group, text)
    poetry = data.get("tool", {}).get("poetry", {})
    tables = [poetry.get("dependencies"), poetry.get("dev-dependencies")]
    tables += [g.get("dependencies") for g in (poetry.get("group") or {}).values() if isinstance(g, dict)]
    for table in tables:
        for name, spec in (table or {}).items():
            if name.lower() != "python":
                out.append(Dependency("pypi", name, spec if isinstance(spec, str) else "", key_line(text, name)))
    return out


def _setup_cfg(text: str) -> list[Dependency]:
    parser = configparser.ConfigParser(interpolation=None)
    parser.read_string(text)
    if not parser.has_option("options", "install_requires"):
        return []
    entries = [e.strip() for e in parser.get("options", "install_requires").splitlines() if e.strip()]
    return _pep508(entries, text)


def _go_mod(text: str) -> list[Dependency]:
    out, in_block = [], False
    for number, raw in enumerate(split_lines(text), start=1):
        line = raw.split("//", 1)[0].strip()
        if line.startswith("require ("):
            in_block = True
            continue
        if in_block and line == ")":
            in_block = False
            continue
        if line.startswith("require "):
            line = line[len("require "):].strip()
        elif not in_block:
            continue
        parts = line.split()
        if len(parts) >= 2:
            out.append(Dependency("go", parts[0], parts[1], number))
    return out


def _cargo(text: str) -> list[Dependency]:
    data = tomllib.loads(text)
    tables = [data.get(k) for k in ("dependencies", "dev-dependencies", "build-dependencies")]
    for target in (data.get("target") or {}).values():
        if isinstance(target, dict):
            tables += [target.get(k) for k in ("dependencies", "dev-dependencies", "build-dependencies")]
    out = []
    for table in tables:
        for key, spec in (table or {}).items():
            name = spec.get("package", key) if isinstance(spec, dict) else key
            version = spec if isinstance(spec, str) else str(spec.get("version", "")) if isinstance(spec, dict) else ""
            out.append(Dependency("crates", name, version, key_line(text, key)))
    return out


_EXTRACTORS = {
    "requirements": _requirements,
    "package.json": _package_json,
    "pyproject.toml": _pyproject,
    "setup.cfg": _setup_cfg,
    "go.mod": _go_mod,
    "Cargo.toml": _cargo,
}
