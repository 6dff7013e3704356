"""A cheap, sound test that a Python call `<expr>.attr(...)` cannot have a callee any fact rule wants.

The evaluator names `<expr>.attr` `<owner>.attr` (canonical() only changes the head), `request`, or a
same-file `<def:N>`; `self.attr` may also be whatever is assigned to `self.attr`, and `x.attr` what a same-file
@property `attr` returns. So when `attr` fits no
pattern's last part, only patterns ending in a bare wildcard (`requests.*`) remain, and those need their
head module's name as a word of the file (or a name built at run time: a file using any word of
is never skipped: BUILDERS)."""
from __future__ import annotations

import re

from ...rule_gate import presence_of
from .python_classattrs import bound_in_class_body
from ..names import MODULE_ALIASES
from ..token_words import occurrences
from .python_functions import REQUEST_NAMES


class Skips:
    """Per set of wanted patterns: which attribute names and which files allow the skip."""

    def __init__(self, patterns):
        self.never = False  # some pattern could match anything: nothing is skipped
        lasts = set()
        heads = set()
        for pattern in patterns:
            parts = pattern.split(".")
            last = parts[-1]
            if last.strip("*"):
                if last.startswith("*") and last.endswith("*") or "<" in last or "(" in last.rstrip("()"):
                    self.never = True
                lasts.add(last)
                continue
            head = parts[0]
            if len(parts) < 2 or "*" in head or "<" in head:
                self.never = True
                continue
            heads.add(head.rstrip("()"))
        if heads & {"builtins", "request"}:  # also reached from unprefixed builtins and `req` parameters
            self.never = True
        heads |= {alias for alias, target in MODULE_ALIASES.items() if target.split(".")[0] in heads}
        # literal last parts a set look-up, the few wildcard ones one regex shared by every subset holding them
        # (one alternation of all ~400 per rule subset cost 7 ms to compile)
        self._literal = frozenset(last for last in lasts if "*" not in last)
        wild = tuple(sorted(re.escape(last).replace(r"\*", r"[^.]*") for last in lasts if "*" in last))
        self._last = _shared(("last", wild), lambda: re.compile("(?:" + "|".join(wild) + r")\Z")) if wild else None
        self._memo: dict[str, bool] = {}
        self._words: re.Pattern | None = None
        self._head_words = sorted(heads)
        blocking = frozenset(h.encode() for h in heads) | frozenset(BUILDERS)
        # a whole-word occurrence of a plain word is one of the source's distinct words (rule_gate); other
        # heads (`database/sql` of a Go rule) send a source holding them to the regex
        self._blocking = frozenset(w for w in blocking if re.fullmatch(rb"\w+", w))
        self._odd = tuple(blocking - self._blocking)

    def attr_possible(self, attr: str) -> bool:
        """Whether a name ending in `.attr` (or being `attr`) could match a pattern's non-bare last part."""
        found = self._memo.get(attr)
        if found is None:
            found = self._memo[attr] = attr in REQUEST_NAMES or attr in self._literal or (
                self._last is not None and self._last.match(attr) is not None)
        return found

    def file_allows(self, source: bytes, scopes=None) -> bool:
        """The file's code names no head of a bare-wildcard pattern and no builtin that builds a name at
        run time. With `scopes` (the file's index), a word only in a comment or a string does not count:
        a string becomes a name only through one of the dynamic words used as a name."""
        if self.never:
            return False
        if not any(odd in source for odd in self._odd):
            present = presence_of(source).word_set() & self._blocking
            if not present:
                return True
            hits = occurrences(source, present)  # the same whole-word matches as the regex, by offset
        else:
            hits = self._regex().finditer(source)
        for hit in hits:
            if scopes is None:
                return False
            node = scopes.locate(hit.start(), hit.end())
            if node is None or node.type not in _TEXT:
                return False
        return True

    def _regex(self) -> re.Pattern:
        words = self._words
        if words is None:
            heads = b"|".join(re.escape(h.encode()) for h in self._head_words)
            body = b"|".join(filter(None, (heads, *(re.escape(w) for w in BUILDERS)))) or b"(?!)"
            words = self._words = re.compile(rb"(?<![\w$])(?:" + body + rb")(?![\w$])")
        return words


# What builds a name with a head not written in the code: a lookup in a namespace (globals()["x"],
# sys.modules[k], vars(), __builtins__), an import of a computed module name, eval of a text. getattr(o, k)
# and o.__dict__[k] keep o's head unless o is the builtins module (then `builtins`/`__builtin__`/
# `__builtins__` is written) or a lookup gives importlib's import_module (then `importlib` is).
BUILDERS = (b"__import__", b"import_module", b"importlib", b"globals", b"locals", b"vars", b"__builtins__",
            b"__builtin__", b"builtins", b"modules", b"__getattribute__", b"eval")
_TEXT = frozenset({"comment", "string_content"})
_BUILT: dict = {}
_REGEXES: dict = {}


def _shared(key: tuple, build):
    """A regex made once per process for each distinct key (rule subsets mostly share their wildcard parts)."""
    found = _REGEXES.get(key)
    if found is None:
        if len(_REGEXES) > 4096:
            _REGEXES.clear()
        found = _REGEXES[key] = build()
    return found


def for_patterns(build, wanted):
    """`build(wanted.patterns)`, made once per process for each distinct set of patterns (and builder)."""
    key = (build, tuple(wanted.patterns))
    found = _BUILT.get(key)
    if found is None:
        if len(_BUILT) > 3072:  # (three builders for each of up to wanted.MAX_SUBSETS subsets; 64 was cleared
            # over and over where a run met ~60 distinct subsets)
            _BUILT.clear()
        found = _BUILT[key] = build(wanted.patterns)
    return found


def skips_for(wanted) -> Skips:
    return for_patterns(Skips, wanted)


def cannot_be_wanted(skips: Skips, source: bytes, node) -> bool:
    """True only when the call `node` (in a file `file_allows`) provably has no wanted callee."""
    fn = node.child_by_field_name("function")
    if fn is None or fn.type != "attribute":
        return False
    attr_node = fn.child_by_field_name("attribute")
    obj = fn.child_by_field_name("object")
    if attr_node is None or obj is None:
        return False
    attr = attr_node.text.decode("utf-8", "replace")
    if skips.attr_possible(attr):
        return False
    if obj.type == "identifier" and obj.text == b"self" and not _only_called(source, attr):
        return False  # self.attr may hold anything assigned to it
    if obj.type == "identifier" and obj.text in (b"self", b"cls") and bound_in_class_body(node, attr_node.text):
        return False  # class C: run = exec — self.run / cls.run is exec
    if attr_node.text in _property_names(source):
        return False  # a @property getter's value: Tool().run may be what `def run` returns
    return True


_PROPERTY = re.compile(rb"@(?:functools\.)?(?:cached_)?property\s+(?:@[^\n]*+\s+)*(?:async\s+)?def\s+(\w+)")
_LAST_PROPERTIES: list = [None, frozenset()]  # (the source searched last, its property names): one scan per file


def _property_names(source: bytes) -> frozenset:
    """Names of the @property getters defined in the file."""
    if _LAST_PROPERTIES[0] is not source:
        _LAST_PROPERTIES[:] = [source, frozenset(_PROPERTY.findall(source)) if b"property" in source else frozenset()]
    return _LAST_PROPERTIES[1]


def _only_called(source: bytes, attr: str) -> bool:
    """Every `self.attr` in the file is directly called (never assigned, so never holds another name)."""
    needle = b"self." + attr.encode()
    pos = source.find(needle)
    while pos >= 0:
        end = pos + len(needle)
        if end < len(source) and (source[end:end + 1].isalnum() or source[end:end + 1] in b"_$"):
            pos = source.find(needle, end)
            continue
        rest = source[end:end + 64].lstrip(b" \t")
        if not rest.startswith(b"("):
            return False
        pos = source.find(needle, end)
    return True
