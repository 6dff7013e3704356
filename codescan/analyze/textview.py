"""A shared view of one document for the text detectors: positions, file kind, and what sits where."""
from __future__ import annotations

import bisect
import math
import re
from collections import Counter
from functools import lru_cache
from pathlib import PurePosixPath

from . import languages

# Source files without a bundled grammar that are still code (identifiers, comments, strings).
CODE_EXTENSIONS = frozenset((
    ".py", ".pyw", ".pyi", ".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts", ".cts", ".tsx",
    ".c", ".h", ".cc", ".cpp", ".cxx", ".hpp", ".hh", ".hxx", ".cs", ".csx", ".java", ".kt", ".kts",
    ".scala", ".groovy", ".go", ".rs", ".rb", ".php", ".pl", ".pm", ".lua", ".swift", ".m", ".mm",
    ".sol", ".s", ".asm", ".sh", ".bash", ".zsh", ".ksh", ".ps1", ".psm1", ".bat", ".cmd", ".sql",
    ".r", ".jl", ".dart", ".ex", ".exs", ".erl", ".hs", ".ml", ".fs", ".vb", ".vue", ".svelte",
    ".zig", ".nim", ".v", ".tf", ".gradle", ".cmake", ".mk",
))
CODE_FILENAMES = frozenset(("Makefile", "Dockerfile", "Rakefile", "Gemfile", "Jenkinsfile", "SConstruct"))
CONFIG_EXTENSIONS = frozenset((".env", ".ini", ".cfg", ".conf", ".properties", ".yaml", ".yml", ".toml",
                               ".json", ".jsonc", ".xml", ".tfvars", ".npmrc", ".pypirc", ".netrc"))
DOC_EXTENSIONS = frozenset((".md", ".markdown", ".mdx", ".mdc", ".rst", ".txt", ".adoc", ".html", ".htm"))

_COMMENT_TYPES = ("comment", "line_comment", "block_comment", "html_comment")
_STRING_TYPES = frozenset(("string", "string_content", "string_fragment", "template_string",
                           "escape_sequence", "string_start", "string_end", "raw_string", "regex",
                           "regex_pattern", "template_substitution_string", "concatenated_string"))
_IDENTIFIER_TYPES = frozenset(("identifier", "property_identifier", "shorthand_property_identifier",
                               "shorthand_property_identifier_pattern", "type_identifier",
                               "private_property_identifier", "statement_identifier", "keyword_identifier"))


# every byte but [A-Za-z0-9_] made a space: split() then gives the runs of word characters
_SPACED = bytes(b if re.fullmatch(rb"[A-Za-z0-9_]", bytes([b])) else 32 for b in range(256))


_RUN = re.compile(r"[a-z0-9_]+")
# The letters `re` matches to an ASCII letter under IGNORECASE besides its case pair (dotted and dotless i, long s,
# Kelvin sign), made that letter; str.lower() leaves two of them alone and makes one two characters.
_RE_FOLDS = {"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"}
_RE_FOLD_TABLE = str.maketrans(_RE_FOLDS)


@lru_cache(maxsize=4096)
def _run_of(needle: str) -> tuple[str, str | None]:
    """(needle, the longest run of [a-z0-9_] of the lower-cased needle; None when it has none or is not ASCII)."""
    runs = _RUN.findall(needle.lower()) if needle.isascii() else ()
    return needle, max(runs, key=len) if runs else None


def shannon_entropy(text: str) -> float:
    """Bits per character of `text` (0 for an empty string)."""
    if not text:
        return 0.0
    n = len(text)
    return -sum(c / n * math.log2(c / n) for c in Counter(text).values())


class TextView:
    """Offsets to lines and columns, the file's kind, and (with a tree) comment/string/code at a place."""

    def __init__(self, ctx, tree):
        self.ctx = ctx
        self.text: str = ctx.text
        self.tree = tree
        path = ctx.kind.path if ctx.kind is not None else ctx.doc.path  # a record part goes by its file's path
        name = PurePosixPath(path).name
        self.path = path
        self.name = name
        self.suffix = PurePosixPath(name).suffix.lower()
        self.ascii = self.text.isascii()
        self.agent_rules = ctx.language == "agent-rules" or languages.is_agent_rule_file(path)
        self.code = tree is not None or self.suffix in CODE_EXTENSIONS or name in CODE_FILENAMES \
            or (ctx.language is not None and languages.has_grammar(ctx.language)) or ctx.language == "shell"
        self.config = (not self.code) and (self.suffix in CONFIG_EXTENSIONS or name.startswith(".env"))
        self.doc = (not self.code) and not self.agent_rules and self.suffix in DOC_EXTENSIONS
        self.minified = ".min." in name or self._looks_minified()
        self._starts: list[int] | None = None
        self._split: list[str] | None = None
        self._lower: str | None = None
        self._lower_words: str | None = None
        self._lower_word_set: frozenset[str] | None = None
        self._folded: str | None = None
        self._folded_word_set: frozenset[str] | None = None
        self._column = (-1, 0, 0)  # (line start, character column, byte column) of the last node_at

    def _looks_minified(self) -> bool:
        text = self.text
        return self.suffix in (".js", ".css", ".mjs", ".cjs") and len(text) > 5000 and text.count("\n") < len(text) / 1000

    # -- cheap whole-document views ------------------------------------------------------
    @property
    def lower(self) -> str:
        """The text lower-cased (same length for ASCII text; detectors check `ascii` before using offsets)."""
        if self._lower is None:
            self._lower = self.text.lower()
        return self._lower

    @property
    def lower_words(self) -> str:
        """The distinct runs of [a-z0-9_] of `lower`, one a line: a string of those characters occurs in `lower` iff it
        occurs here (each character not ASCII becomes `?` before splitting, so the runs are exactly lower's)."""
        if self._lower_words is None:
            presence = getattr(self.ctx, "presence", None)
            if presence is not None and self.ascii and len(presence.source) == len(self.text) \
                    and presence.source.isascii():
                # the words the rule gates listed for this text's bytes, lower-cased: the same words (a word that
                # differs from another only by case is listed twice, which no substring test can tell)
                self._lower_words = presence.text(True, True).decode("ascii")
            else:
                data = self.lower.encode("ascii", "replace").translate(_SPACED)
                self._lower_words = b"\n".join(set(data.split())).decode("ascii")
        return self._lower_words

    @property
    def lower_word_set(self) -> frozenset[str]:
        """The same words as a set (whole-word tests)."""
        if self._lower_word_set is None:
            self._lower_word_set = frozenset(self.lower_words.split("\n"))
        return self._lower_word_set

    @property
    def folded(self) -> str:
        """The text lower-cased as an IGNORECASE regex compares it, the same length: where such a regex with ASCII
        literals matches the text, the same regex without IGNORECASE matches this (`lower` unless the text holds a
        letter `re` folds onto ASCII, _RE_FOLDS, made that letter first: the one letter whose lower() is two long)."""
        if self._folded is None:
            text = self.text
            if self.ascii or not any(letter in text for letter in _RE_FOLDS):
                self._folded = self.lower
            else:
                self._folded = text.translate(_RE_FOLD_TABLE).lower()
        return self._folded

    @property
    def folded_word_set(self) -> frozenset[str]:
        """The runs of [a-z0-9_] of `folded`: a word of ASCII letters an IGNORECASE regex matches whole in the text
        (after a boundary or whitespace, before one) is here. lower_word_set when `folded` is `lower`."""
        if self._folded_word_set is None:
            folded = self.folded
            if folded is self.lower:
                self._folded_word_set = self.lower_word_set
            else:
                data = folded.encode("ascii", "replace").translate(_SPACED)
                self._folded_word_set = frozenset(data.decode("ascii").split())
        return self._folded_word_set

    def has_any(self, needles, lower: bool = False) -> bool:
        """True when any literal occurs (substring search is far cheaper than a regex over the file). An ASCII
        literal occurs only where its longest run of [a-z0-9_], lower-cased, lies inside one of `lower_words` (a
        sixth of the text): that shorter search rules most literals out before the text is searched."""
        hay = self.lower if lower else self.text
        words = self.lower_words
        return any((run is None or run in words) and n in hay for n, run in map(_run_of, needles))

    def long_lines(self, min_length: int):
        """(offset, line) for lines of at least `min_length` characters; one split and no regex."""
        if self._split is None:
            self._split = self.text.split("\n")
        lines = self._split
        if max(map(len, lines), default=0) < min_length:
            return
        offset = 0
        for line in lines:
            if len(line) >= min_length:
                yield offset, line
            offset += len(line) + 1

    # -- positions -----------------------------------------------------------------------
    @property
    def starts(self) -> list[int]:
        if self._starts is None:
            starts = [0]
            find = self.text.find
            i = find("\n")
            while i >= 0:
                starts.append(i + 1)
                i = find("\n", i + 1)
            self._starts = starts
        return self._starts

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset; lines are counted on '\\n' like the parser."""
        row = bisect.bisect_right(self.starts, offset) - 1
        return row + 1, offset - self.starts[row] + 1

    def line(self, number: int) -> str:
        """The text of a 1-based line (without its newline)."""
        starts = self.starts
        if not 1 <= number <= len(starts):
            return ""
        start = starts[number - 1]
        end = starts[number] - 1 if number < len(starts) else len(self.text)
        return self.text[start:end]

    def emit(self, rule_id: str, start: int, end: int | None = None, **kw):
        """Emit a finding spanning character offsets [start, end) with the line's text as the snippet."""
        line, column = self.position(start)
        end_line = self.position(max(end - 1, start))[0] if end is not None else line
        kw.setdefault("snippet", self.line(line).strip())
        return self.ctx.emit(rule_id, line, end_line, column, **kw)

    # -- what sits at a place ------------------------------------------------------------
    def node_at(self, offset: int):
        """The smallest tree node covering a character offset (None without a tree)."""
        if self.tree is None:
            return None
        line, column = self.position(offset)
        start = self.starts[line - 1]
        point = (line - 1, self._byte_column(start, column - 1))
        return self.tree.root_node.descendant_for_point_range(point, point)

    def _byte_column(self, start: int, chars: int) -> int:
        """UTF-8 bytes of the first `chars` characters of the line starting at `start`. Counted on from the last
        place asked for on the same line: places come in order, and encoding a 1.5 MB one-line file's prefix
        again for each of its 26,000 non-ASCII words took 27 s."""
        if self.ascii:
            return chars
        last_start, last_chars, last_bytes = self._column
        if last_start == start and chars >= last_chars:
            width = last_bytes + len(self.text[start + last_chars:start + chars].encode("utf-8", "surrogatepass"))
        else:
            width = len(self.text[start:start + chars].encode("utf-8", "surrogatepass"))
        self._column = (start, chars, width)
        return width

    def where(self, offset: int) -> str:
        """'comment', 'string', 'identifier' or 'code' from the tree; 'text' when there is no tree."""
        node = self.node_at(offset)
        if node is None:
            return "text"
        first = node
        # A comment or string encloses its place within a few levels; each `parent` step costs time in
        # proportion to the tree's depth, so climbing a 20,000-deep tree from its leaf took minutes.
        for _ in range(_CLIMB):
            if node is None:
                break
            kind = node.type
            if kind in _COMMENT_TYPES or kind.endswith("comment"):
                return "comment"
            if kind in _STRING_TYPES:
                return "string"
            node = node.parent
        if first.type in _IDENTIFIER_TYPES:
            return "identifier"
        return "code"


_CLIMB = 48  # ancestors `where` looks at


_PLACEHOLDER = re.compile(
    r"(?i)example|sample|dummy|fake|placeholder|changeme|change_me|your[_\-]?|redacted|xxxx|\*\*\*|\.\.\.|"
    r"<[^>]*>|\$\{|\{\{|%\(|%s|\$[A-Z_]+|test|todo|insert|replace|not[_\-]?a[_\-]?real|(.)\1{5,}|"
    r"0123456789|abcdef|123456")


def is_placeholder(value: str) -> bool:
    """True for obvious example/template values that no one should be warned about."""
    return bool(_PLACEHOLDER.search(value))
