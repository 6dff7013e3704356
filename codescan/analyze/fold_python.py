"""Fold disguised Python: constant strings, names built at run time, and aliases, into plain source."""
from __future__ import annotations

import re

from . import budget as budgets
from . import languages
from .semantics.constants import MAX_LEN, UNKNOWN, Env, Name, NotConstant, evaluate
from .semantics.lang.python_values import shared as shared_values
from .fold_edits import Splicer
from .fold_python_names import FoldNames, _positional, _text
from .semantics.python_scopes import Scopes

# Byte patterns that can start something foldable. Each starts with a literal, which `re` finds
# with a fast search; one alternation of them all is several times slower.
TRIGGERS = tuple(re.compile(p) for p in (
    rb"_(?:_import__|_dict__|_getattribute__|_builtins__)|getattr|import_module|eval|exec|chr\(|decode"
    rb"|fromhex|unhexlify|a2b_|globals\(|locals\(|vars\(|modules\[",
    rb"'[ \t]*[+%\[.]", rb'"[ \t]*[+%\[.]', rb"\+[ \t]*[rbuRBU]?['\"]", rb"\{[ \t]*['\"]",
    rb"int\([ \t]*(?:True|False|\d|['\"])", rb"bool\(", rb"not (?:True|False)", rb"::-1",
))
# TRIGGERS[0]'s alternatives. None is a prefix of another, so at most one matches at an offset, and finditer's
# matches are those of all their occurrences met from the left, each starting at or after the previous one's end:
# one bytes.find loop per word gives them in C (the regex tried the alternation at every offset, 0.1 CPU-s on the
# 300-file stdlib sample; the loops 0.03).
TRIGGER_WORDS = (b"__import__", b"__dict__", b"__getattribute__", b"__builtins__", b"getattr", b"import_module",
                 b"eval", b"exec", b"chr(", b"decode", b"fromhex", b"unhexlify", b"a2b_", b"globals(", b"locals(",
                 b"vars(", b"modules[")
WORD_SCAN = True  # off: TRIGGERS[0] by its regex (tests compare)
# `= <dotted name>`, `= [`, `= (`, `= {`: assignments that may define an alias or a constant container.
NAME_ASSIGN = re.compile(rb"=[ \t]*(?:[\[\({]|[A-Za-z_][\w.]*[ \t]*(?:#[^\n]*)?$)", re.M)
_CANDIDATE_TYPES = {"call", "binary_operator", "subscript", "not_operator", "string"}

# Modules (roots) whose APIs rules name: only aliases of these are followed, so ordinary code
# (`from typing import List`) is left alone and stays cheap.
WATCHED_MODULES = frozenset("""
os posix nt subprocess pty commands popen2 platform shutil sys builtins __builtin__ __builtins__ importlib
imp runpy code codeop ctypes cffi multiprocessing asyncio pickle cPickle _pickle marshal shelve dill
jsonpickle cloudpickle joblib yaml ruamel xml lxml defusedxml base64 binascii codecs zlib gzip bz2 lzma
zipfile tarfile tempfile socket socketserver ssl http urllib urllib2 urllib3 requests httpx aiohttp
ftplib telnetlib smtplib poplib imaplib paramiko fabric webbrowser hashlib hmac random secrets crypt
Crypto Cryptodome cryptography OpenSSL jwt jinja2 mako flask werkzeug django pyramid bottle tornado
fastapi starlette sqlite3 psycopg2 pymysql MySQLdb sqlalchemy mysql pymongo ldap logging dns boto3
""".split())
WATCHED_BUILTINS = frozenset(
    "eval exec compile open __import__ getattr setattr delattr globals locals vars input execfile "
    "breakpoint memoryview type object".split())
_LITERALS = {"string", "concatenated_string", "integer", "float", "true", "false", "none"}
_PRIMARY = {"identifier", "attribute", "call", "subscript", "parenthesized_expression", "string"}
_CONST_USE = {"argument_list", "tuple", "list", "return_statement", "expression_list"}
_SCALAR = (str, bytes, int, float, bool, type(None))
_BUILDERS = re.compile(rb"getattr|__import__|import_module|eval|__getattribute__")
# The constants of literal-only subtrees are kept with the semantic layer's evaluator of the tree and shared
# (one evaluation of a value: a table the fold asks about twice, or the layer already evaluated, is done once)
SHARE_MEMO = True  # off: tests compare


def fold(source: bytes, tree) -> bytes | None:
    root = tree.root_node
    # The scope index the fact rules built for this tree (or a new one): names both ask about are
    # indexed once (the fold's own index cost as much as the fact rules' on the stdlib). Likewise the
    # constants of literal-only subtrees: they do not depend on the Env that asks (constants_memo).
    values = shared_values(source, root, None)
    folder = _PythonFolder(source, root, values.scopes)
    if SHARE_MEMO:
        folder.const_memo = values.const_memo
    for trigger in TRIGGERS:
        spans = _word_matches(source) if WORD_SCAN and trigger is TRIGGERS[0] else \
            (match.span() for match in trigger.finditer(source))
        for start, end in spans:
            budgets.tick()
            folder.add_trigger(start, end)
    for match in NAME_ASSIGN.finditer(source):
        budgets.tick()
        folder.add_assignment(match.start())
    folder.names.update(name for name, places in folder.scopes.imports.items()
                        if any(target and target != name and _watched(target) for _, target in places))
    folder.add_name_uses()
    if not folder.splicer:
        return None
    folder.splicer.seal()
    return folder.splicer.result()


class _PythonFolder(FoldNames, Env):
    def __init__(self, source: bytes, root, scopes: Scopes):
        self.source = source
        self.root = root
        self.scopes = scopes
        self.splicer = Splicer(source, self._rewrite, b"\\\n")
        self._values: dict[int, object] = {}
        self._busy: set = set()
        self.names: set[str] = set()  # names that may be aliases or constants
        self._builtin: dict[str, bool] = {}
        self._deep = 0  # > 0 while evaluating a name or code string built at run time

    def add_assignment(self, pos: int) -> None:
        token = self.scopes.locate(pos, pos + 1, named=False)
        parent = token.parent if token is not None and token.type == "=" else None
        if parent is not None and parent.type == "assignment":
            left = parent.child_by_field_name("left")
            right = parent.child_by_field_name("right")
            if left is None or left.type != "identifier" or right is None:
                return
            if right.type in ("identifier", "attribute"):
                root = right
                while root.type == "attribute":
                    root = root.child_by_field_name("object")
                if root.type != "identifier" or not (_watched(_text(root)) or _text(root) in self.scopes.imports):
                    return
            if self._foldable(("assign", right)):
                self.names.add(_text(left))

    def _add_assigned(self, node) -> None:
        """If `node` (or an attribute/call chain on it) is assigned to a name, that name may be an alias."""
        for _ in range(3):
            parent = node.parent
            if parent is None or parent.type not in ("attribute", "call", "subscript") or \
                    parent.child_by_field_name("function" if parent.type == "call" else
                                               "object" if parent.type == "attribute" else "value") != node:
                break
            node = parent
        parent = node.parent
        if parent is not None and parent.type == "assignment" and parent.child_by_field_name("right") == node:
            left = parent.child_by_field_name("left")
            if left is not None and left.type == "identifier" and self._foldable(("assign", node)):
                self.names.add(_text(left))

    def add_trigger(self, start: int, end: int) -> None:
        node = self.scopes.locate(start, max(start, end - 1))
        for _ in range(6):
            if node is None:
                return
            if node.type in _CANDIDATE_TYPES:
                if node.type != "string" or any(c.type == "interpolation" for c in node.children):
                    self.splicer.add(node)
                    self._add_assigned(node)
            node = node.parent

    # -- Env: what the constant interpreter asks --------------------------------------------
    def lookup(self, node):
        if self.scopes.assignment_count(_text(node)) != 1:
            return self._semantic_value(node)
        entries = self.scopes.entries(node)
        if not entries or len(entries) != 1 or entries[0][0] != "assign":
            return self._semantic_value(node)
        value_node = entries[0][1]
        key = value_node.id
        if key not in self._values:
            if key in self._busy:
                raise NotConstant
            self._busy.add(key)
            try:
                self._values[key] = evaluate(value_node, self)
            except NotConstant:
                self._values[key] = NotConstant
            finally:
                self._busy.discard(key)
        value = self._values[key]
        if value is NotConstant:
            raise NotConstant
        return value

    def _semantic_value(self, node):
        """A name bound more than once (`ex = "ex"; ex += "ec"`, a dict filled after creation, a loop):
        the semantic layer's value at this use, when it is a known scalar or a container of them."""
        if not self._deep:
            raise NotConstant  # ordinary code keeps its reassigned names as written
        value = shared_values(self.source, self.root, None, self.scopes).ev(node)
        const = value.const
        if const is UNKNOWN or value.labels or not isinstance(const, (*_SCALAR, list, tuple, dict)):
            raise NotConstant
        return const

    def _constant_value(self, node):
        """The scalar constant of an assigned value (memoized), or None."""
        if node.id not in self._values:
            try:
                self._values[node.id] = evaluate(node, self)
            except NotConstant:
                self._values[node.id] = NotConstant
        value = self._values[node.id]
        return value if isinstance(value, _SCALAR) and value is not NotConstant else None

    # -- rewrites ---------------------------------------------------------------------------
    def _rewrite(self, node) -> bytes | None:
        if node.type == "identifier":
            return self._rewrite_use(node)
        parent = node.parent
        if parent is not None and (parent.type == "delete_statement" or (
                parent.type in ("assignment", "augmented_assignment") and parent.child_by_field_name("left") == node)):
            return None  # a target (`del sys.modules['x']`, `d['k'] = v`) stays as written
        built = self._built_name(node)
        if built is not None:
            owner, name = built
            if owner is None:
                return name.encode()
            text = self.splicer.text(owner)
            if owner.type not in _PRIMARY:
                text = b"(" + text + b")"
            return text + b"." + name.encode()
        if node.type == "call":
            code = self._exec_or_eval(node)
            if code is not None:
                return code
        try:
            value = evaluate(node, self)
        except NotConstant:
            return None
        if isinstance(value, Name):
            return value.dotted.encode()
        text = _literal(value)
        if text is not None and isinstance(value, (int, float)) and not isinstance(value, bool) and (
                text.startswith(b"-") or (node.parent is not None and node.parent.type == "attribute")):
            text = b"(" + text + b")"  # `int(7).real` -> `(7).real`, never `7.real`
        return text

    def _exec_or_eval(self, node) -> bytes | None:
        """`eval('expr')` -> `(expr)`; `exec('stmt')` alone on its line -> `stmt` (one-line code only)."""
        function = node.child_by_field_name("function")
        fn = _text(function) if function.type == "identifier" else None
        if fn not in ("eval", "exec") or len(_positional(node)) != 1 or not self.is_builtin(function):
            return None
        args = _positional(node)
        code = self._const_str(args[0])
        if not code or "\n" in code or "\r" in code or len(code) > 2000:
            return None
        code = code.strip()
        if code.endswith("\\"):
            return None
        if fn == "eval":
            return b"(" + code.encode() + b")" if _parses(b"(" + code.encode() + b")") else None
        if node.parent is not None and node.parent.type == "expression_statement" and _parses(code.encode()):
            return code.encode()
        return None

    def _rewrite_use(self, node) -> bytes | None:
        parent = node.parent
        entries = self.scopes.entries(node)
        if not entries or len(entries) != 1:
            return None
        kind, value = entries[0]
        if (parent.type == "call" and parent.child_by_field_name("function") == node) or (
                parent.type == "attribute" and parent.child_by_field_name("object") == node):
            target = self.name_of(node)
            return target.encode() if target and target != _text(node) and _watched(target) else None
        if kind != "assign":
            return None
        if value.type in ("true", "false", "none"):
            if parent.type != "keyword_argument" or parent.child_by_field_name("value") != node:
                return None
        elif value.type in _LITERALS or not self._is_use(node, parent):
            return None
        try:
            constant = evaluate(node, self)
        except NotConstant:
            return None
        literal = _literal(constant)
        return literal if literal is not None and len(literal) <= 200 else None

    @staticmethod
    def _is_use(node, parent) -> bool:
        if parent.type in _CONST_USE:
            return True
        if parent.type in ("keyword_argument", "pair"):
            return parent.child_by_field_name("value") == node
        if parent.type == "assignment":
            left = parent.child_by_field_name("left")
            return parent.child_by_field_name("right") == node and left.type in ("subscript", "attribute")
        return False

    def add_name_uses(self) -> None:
        """Add each use of an alias or a disguised constant as a candidate for rewriting."""
        scopes = self.scopes
        scopes.index_many(self.names)
        for name in sorted(self.names):
            uses = scopes.uses.get(name)
            if not uses or not any(len(scopes.bindings[key]) == 1 and self._foldable(scopes.bindings[key][0])
                                   for key in scopes.scopes_of.get(name, ())):
                continue
            for node in uses:
                self.splicer.add(node)
                parent = node.parent
                if parent.type == "subscript" and parent.child_by_field_name("value") == node:
                    self.splicer.add(parent)
                elif parent.type == "attribute" and parent.parent.type == "call":
                    self.splicer.add(parent.parent)

    def _foldable(self, entry) -> bool:
        kind, value = entry
        if kind == "import":
            return bool(value) and _watched(value)
        if kind != "assign":
            return False
        if value.type in ("true", "false", "none"):
            return True
        if value.type in ("list", "tuple", "dictionary"):
            try:
                items = evaluate(value, self)
            except NotConstant:
                return False
            items = items.values() if isinstance(items, dict) else items
            return any(isinstance(i, (*_SCALAR, Name)) for i in items)
        if value.type in ("identifier", "attribute", "subscript", "call"):
            target = self.name_of(value)
            return (target is not None and _watched(target)) or self._constant_value(value) is not None
        return self._constant_value(value) is not None


def _word_matches(source: bytes) -> list[tuple[int, int]]:
    """The (start, end) of TRIGGERS[0].finditer(source)'s matches, in order."""
    found = []
    for word in TRIGGER_WORDS:
        size = len(word)
        at = source.find(word)
        while at >= 0:
            found.append((at, at + size))
            at = source.find(word, at + 1)
    found.sort()
    taken, end = [], 0
    for span in found:
        if span[0] >= end:
            taken.append(span)
            end = span[1]
    return taken


def _watched(dotted: str) -> bool:
    root = dotted.split(".", 1)[0]
    return root in WATCHED_MODULES or root in WATCHED_BUILTINS


def _literal(value) -> bytes | None:
    if not isinstance(value, _SCALAR):
        return None
    text = repr(value)
    return text.encode("utf-8", "backslashreplace") if len(text) <= MAX_LEN else None


def _parses(code: bytes) -> bool:
    tree = languages.parser("python").parse(code)
    return not tree.root_node.has_error
