"""Which language a path names (extension, file name, shebang) and its bundled tree-sitter grammar; what a file is
and which analyses it gets is decided by analyze/filekind.py, which starts here."""
from __future__ import annotations

import importlib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import PurePosixPath

import tree_sitter as ts


@dataclass(frozen=True, slots=True)
class LanguageSpec:
    name: str
    # (module, function) of the grammar package that ships the compiled grammar in its wheel.
    grammar: tuple[str, str] | None
    extensions: tuple[str, ...] = ()
    filenames: tuple[str, ...] = ()
    interpreters: tuple[str, ...] = ()  # shebang interpreters
    # Rules written for these languages also run on this one (TypeScript runs JavaScript rules).
    rule_languages: tuple[str, ...] = ()
    line_comment: str | None = None


SPECS: tuple[LanguageSpec, ...] = (
    LanguageSpec("python", ("tree_sitter_python", "language"), (".py", ".pyw", ".pyi"),
                 ("SConstruct", "SConscript"), ("python", "python2", "python3", "pypy", "pypy3"),
                 line_comment="#"),
    LanguageSpec("javascript", ("tree_sitter_javascript", "language"), (".js", ".mjs", ".cjs", ".jsx"),
                 (), ("node", "nodejs", "deno", "bun"), line_comment="//"),
    LanguageSpec("typescript", ("tree_sitter_typescript", "language_typescript"), (".ts", ".mts", ".cts"),
                 (), ("ts-node", "tsx"), rule_languages=("javascript",), line_comment="//"),
    LanguageSpec("tsx", ("tree_sitter_typescript", "language_tsx"), (".tsx",),
                 rule_languages=("javascript", "typescript"), line_comment="//"),
    LanguageSpec("go", ("tree_sitter_go", "language"), (".go",), line_comment="//"),
    LanguageSpec("java", ("tree_sitter_java", "language"), (".java",), line_comment="//"),
    LanguageSpec("kotlin", ("tree_sitter_kotlin", "language"), (".kt", ".kts"), (), ("kotlin",),
                 line_comment="//"),
    LanguageSpec("c", ("tree_sitter_c", "language"), (".c", ".h"), line_comment="//"),
    LanguageSpec("cpp", ("tree_sitter_cpp", "language"), (".cpp", ".cc", ".cxx", ".c++", ".hpp", ".hh", ".hxx",
                                                          ".h++", ".ino"), rule_languages=("c",), line_comment="//"),
    LanguageSpec("csharp", ("tree_sitter_c_sharp", "language"), (".cs", ".csx"), line_comment="//"),
    LanguageSpec("ruby", ("tree_sitter_ruby", "language"), (".rb", ".rake", ".gemspec", ".ru"),
                 ("Gemfile", "Rakefile", "Guardfile", "Podfile", "Vagrantfile"), ("ruby", "jruby"), line_comment="#"),
    # Every extension a web server may be told to run as PHP (web shells are uploaded under the rarer ones), and
    # .htaccess, which can carry PHP itself (auto_prepend_file pointing at the .htaccess).
    LanguageSpec("php", ("tree_sitter_php", "language_php"), (".php", ".phtml", ".pht", ".phar", ".php2", ".php3",
                                                              ".php4", ".php5", ".php7", ".php8", ".phpt", ".phps",
                                                              ".inc"), (".htaccess",), ("php",), line_comment="//"),
    LanguageSpec("rust", ("tree_sitter_rust", "language"), (".rs",), line_comment="//"),
    LanguageSpec("shell", ("tree_sitter_bash", "language"), (".sh", ".bash", ".zsh", ".ksh", ".bats"),
                 (".bashrc", ".bash_profile", ".profile", ".zshrc", ".zprofile", ".kshrc"),
                 ("sh", "bash", "zsh", "ksh", "dash", "ash"), line_comment="#"),
    LanguageSpec("dockerfile", ("tree_sitter_containerfile", "language"), (".dockerfile", ".containerfile"),
                 ("Dockerfile", "Containerfile"), line_comment="#"),
    # Text-only kinds: no grammar here, but every text detector reads them.
    # PowerShell (read by analyze/powershell.py; its `$names` made the content guess take it for PHP)
    LanguageSpec("powershell", None, (".ps1", ".psm1"), line_comment="#"),
    # Windows batch files and VBScript (read by analyze/windows_scripts.py)
    LanguageSpec("batch", None, (".bat", ".cmd")),
    LanguageSpec("vbscript", None, (".vbs",)),
    LanguageSpec("markdown", None, (".md", ".markdown", ".mdx", ".mdc", ".rst", ".txt")),
    LanguageSpec("json", None, (".json", ".jsonc", ".ipynb")),
    LanguageSpec("yaml", None, (".yaml", ".yml")),
    LanguageSpec("toml", None, (".toml",)),
    LanguageSpec("agent-rules", None, (), (".cursorrules", ".windsurfrules", ".clinerules",
                                            "AGENTS.md", "CLAUDE.md", "GEMINI.md",
                                            "copilot-instructions.md")),
)

BY_NAME = {spec.name: spec for spec in SPECS}
_BY_EXT = {ext: spec.name for spec in SPECS for ext in spec.extensions}
_BY_FILENAME = {fn: spec.name for spec in SPECS for fn in spec.filenames}
_BY_INTERP = {it: spec.name for spec in SPECS for it in spec.interpreters}
_SHEBANG = re.compile(rb"^#!\s*(\S+)(?:\s+(\S+))?")
# Dockerfile.prod, Containerfile-dev, api_Dockerfile, web-Dockerfile (app.dockerfile goes by its suffix)
_DOCKERFILE = re.compile(r"^(?:Dockerfile|Containerfile)[.-][\w.-]+$|^[\w.-]+[_-](?:Dockerfile|Containerfile)$")

AGENT_RULE_PATTERNS = (
    re.compile(r"(^|/)\.cursor/rules/[^/]+\.mdc?$"),
    re.compile(r"(^|/)\.github/copilot-instructions\.md$"),
    re.compile(r"(^|/)\.github/instructions/[^/]+\.md$"),
    re.compile(r"(^|/)(AGENTS|CLAUDE|GEMINI)\.md$"),
    re.compile(r"(^|/)\.(cursorrules|windsurfrules|clinerules)$"),
    re.compile(r"(^|/)\.clinerules/[^/]+$"),
    re.compile(r"(^|/)\.windsurf/rules/[^/]+$"),
    # other assistants' rule folders and files: Roo Code, Kiro steering, Amazon Q, Continue, Trae, Augment, Junie,
    # VS Code prompt files, Zed's .rules, Goose hints, Qwen Code
    re.compile(r"(^|/)\.(?:roo/rules(?:-[\w-]+)?|kiro/steering|amazonq/rules|continue/rules|trae/rules|augment/rules)/[^/]+$"),
    re.compile(r"(^|/)\.(?:roorules(?:-[\w-]+)?|augment-guidelines|goosehints|rules)$"),
    re.compile(r"(^|/)\.junie/guidelines\.md$"),
    re.compile(r"(^|/)\.github/prompts/[^/]+\.prompt\.md$"),
    re.compile(r"(^|/)QWEN\.md$"),
)


def is_agent_rule_file(path: str) -> bool:
    return any(p.search(path) for p in AGENT_RULE_PATTERNS)


def detect(path: str, head: bytes = b"") -> str | None:
    """Language name for a path (and its first bytes, for shebangs); None when unknown."""
    if is_agent_rule_file(path):
        return "agent-rules"
    name = PurePosixPath(path).name
    if name in _BY_FILENAME:
        return _BY_FILENAME[name]
    if _DOCKERFILE.match(name):
        return "dockerfile"
    suffix = PurePosixPath(name).suffix.lower()
    if suffix in _BY_EXT:
        return _BY_EXT[suffix]
    match = _SHEBANG.match(head[:200])
    if match:
        interp = match.group(1).rsplit(b"/", 1)[-1]
        if interp == b"env" and match.group(2):
            interp = match.group(2)
        interp = re.sub(rb"[\d.]+$", b"", interp) or interp
        lang = _BY_INTERP.get(interp.decode("ascii", "replace")) or _BY_INTERP.get(
            match.group(1).rsplit(b"/", 1)[-1].decode("ascii", "replace"))
        if lang:
            return lang
    return None


def has_grammar(language: str | None) -> bool:
    spec = BY_NAME.get(language or "")
    return bool(spec and spec.grammar)


@lru_cache(maxsize=None)
def grammar(language: str) -> ts.Language:
    """The compiled tree-sitter grammar bundled in the language's wheel (no download, ever)."""
    spec = BY_NAME[language]
    if spec.grammar is None:
        raise KeyError(f"no grammar for {language}")
    module_name, func = spec.grammar
    module = importlib.import_module(module_name)
    return ts.Language(getattr(module, func)())


@lru_cache(maxsize=None)
def parser(language: str) -> ts.Parser:
    return ts.Parser(grammar(language))


# A bash here-string (`sha256sum -c <<< "$SUM  f"`) in a Dockerfile RUN line: the Dockerfile grammar reads its `<<`
# as a heredoc marker and the rest of the file becomes one error node (later instructions unseen by every rule).
# Dockerfile heredocs need a word after `<<`, so `<<<` is always a here-string: the grammar is given it masked, same
# length, and the shell text of a RUN line is unmasked (embedded_shell) before it is analyzed as shell.
HERE_STRING = b"<<<"
HERE_STRING_MASK = b"<\x7f<"


def grammar_input(language: str, source: bytes) -> bytes:
    """The bytes the grammar of `language` parses: `source`, with what it cannot read masked (same length)."""
    if language == "dockerfile" and HERE_STRING in source:
        return source.replace(HERE_STRING, HERE_STRING_MASK)
    return source


def rule_languages(language: str) -> tuple[str, ...]:
    """The rule sets that apply to a language: its own plus those it inherits."""
    spec = BY_NAME.get(language)
    if spec is None:
        return (language,)
    return (language, *spec.rule_languages)
