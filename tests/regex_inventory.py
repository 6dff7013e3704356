"""Every regular expression codescan runs, collected without a hand-kept list: compiled patterns reachable from the
package's modules (constants, tables, specs), literal patterns passed to `re` calls anywhere in its source (inside
functions too), the `#match?`/`#not-match?` predicates of the tree-sitter rules and the regexes of the facts rules.
Used by test_regex_backtracking (no pattern may take super-linear time on a run of what it repeats)."""
from __future__ import annotations

import ast
import dataclasses
import importlib
import pkgutil
import re
from pathlib import Path

import codescan
from codescan.analyze.rule_gate import _parse, _predicates, _unquote
from codescan.rules import load_rules

PACKAGE = Path(codescan.__file__).resolve().parent
_RE_CALLS = {"compile", "search", "match", "fullmatch", "findall", "finditer", "sub", "subn", "split"}


@dataclasses.dataclass(frozen=True)
class Found:
    pattern: str | bytes
    flags: int
    where: str  # module:name, file:line or rule id: what to fix when it fails


def _walk(value, where: str, out: list[Found], seen: set[int], depth: int = 0) -> None:
    if depth > 5 or id(value) in seen:
        return
    seen.add(id(value))
    if isinstance(value, re.Pattern):
        out.append(Found(value.pattern, value.flags, where))
    elif isinstance(value, dict):
        for key, item in value.items():
            _walk(key, where, out, seen, depth + 1)
            _walk(item, where, out, seen, depth + 1)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            _walk(item, where, out, seen, depth + 1)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            _walk(getattr(value, field.name, None), where, out, seen, depth + 1)
    elif hasattr(value, "__dict__") and type(value).__module__.startswith("codescan") \
            and not isinstance(value, type) and not callable(value):
        for name, item in vars(value).items():
            _walk(item, f"{where}.{name}", out, seen, depth + 1)


def module_patterns() -> list[Found]:
    """Compiled patterns held by every codescan module's globals (and the containers and objects they hold)."""
    out: list[Found] = []
    seen: set[int] = set()
    for info in pkgutil.walk_packages([str(PACKAGE)], "codescan."):
        if info.name.endswith("__main__"):
            continue  # running it is the command line
        try:
            module = importlib.import_module(info.name)
        except Exception:  # noqa: BLE001 - an optional dependency missing: its source is still read below
            continue
        for name, value in vars(module).items():
            if isinstance(value, type):
                for attr, item in vars(value).items():
                    _walk(item, f"{info.name}.{name}.{attr}", out, seen)
            else:
                _walk(value, f"{info.name}.{name}", out, seen)
    return out


def _flags(node: ast.expr | None) -> int | None:
    if node is None:
        return 0
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "re":
        return int(getattr(re, node.attr, 0))
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        left, right = _flags(node.left), _flags(node.right)
        return None if left is None or right is None else left | right
    return None


def source_patterns() -> list[Found]:
    """Literal patterns given to re.compile/search/... anywhere in the package's source, functions included."""
    out: list[Found] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "re"
                    and node.func.attr in _RE_CALLS and node.args):
                continue
            try:
                pattern = ast.literal_eval(node.args[0])
            except ValueError:
                continue  # built at run time: module_patterns sees it when it is a module constant
            flag_arg = next((k.value for k in node.keywords if k.arg == "flags"), None)
            if flag_arg is None:
                index = {"compile": 1, "search": 2, "match": 2, "fullmatch": 2, "findall": 2, "finditer": 2,
                         "split": 3, "sub": 4, "subn": 4}[node.func.attr]
                flag_arg = node.args[index] if len(node.args) > index else None
            flags = _flags(flag_arg)
            if isinstance(pattern, (str, bytes)) and flags is not None:
                out.append(Found(pattern, flags, f"{path.relative_to(PACKAGE.parent)}:{node.lineno}"))
    return out


def rule_patterns() -> list[Found]:
    """The tree-sitter rules' #match?/#not-match? regexes (Python's re runs them on captured node text) and the
    facts rules' regexes."""
    out: list[Found] = []
    seen: set[int] = set()
    for rule in load_rules().rules:
        if rule.query:
            for node in _parse(rule.query):
                for pred in _predicates(node):
                    name = pred.children[0].text
                    if name in ("#match?", "#not-match?"):
                        for arg in pred.children[1:]:
                            if arg.kind == "string":
                                out.append(Found(_unquote(arg.text), 0, f"rule {rule.id} {name}"))
        if rule.facts is not None:
            _walk(rule.facts, f"rule {rule.id} facts", out, seen)
    return out


def every_pattern() -> list[Found]:
    """Each distinct (pattern, flags) once, with the first place it was found."""
    unique: dict[tuple, Found] = {}
    for found in module_patterns() + source_patterns() + rule_patterns():
        unique.setdefault((type(found.pattern), found.pattern, found.flags & ~re.UNICODE), found)
    return list(unique.values())
