"""What a file is, decided in one place for every verb (scan, crawl, filter): its language, the role its path gives
it (workflow, Makefile, manifest) and whether its fenced code blocks are analyzed as code."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import PurePosixPath

from . import agent_hooks, fences, guess, languages, mcp_config
from .dependencies import manifest_kind

_WORKFLOW = re.compile(r"(^|/)\.github/workflows/[^/]+\.ya?ml$")
# A GitHub Actions workflow kept elsewhere (a dataset record, a template folder, a copy in docs): top-level `on:`
# and `jobs:`, and a job's `runs-on:` or `steps:` (reusable workflows: `uses:` under a job)
_WORKFLOW_TEXT = (re.compile(r"(?m)^(?:on|\"on\"|'on'):"), re.compile(r"(?m)^jobs:[ \t]*(?:#.*)?$"),
                  re.compile(r"(?m)^[ \t]+(?:runs-on|steps|uses):"))
# Other CI services' pipeline files: their script steps are shell (GitLab, CircleCI, Travis, Azure, Bitbucket, Drone).
_CI = re.compile(r"(^|/)([^/]*\.gitlab-ci\.ya?ml|\.gitlab/ci/[^/]+\.ya?ml|\.circleci/config\.ya?ml|\.travis\.ya?ml"
                 r"|azure-pipelines\.ya?ml|bitbucket-pipelines\.ya?ml|\.drone\.ya?ml|\.woodpecker\.ya?ml)$")
# A Python package's core metadata (PKG-INFO, a wheel's METADATA): mail-style headers, then the README as its body.
_CORE_METADATA = re.compile(r"\ufeff?Metadata-Version: *\d")
_MAKEFILE = re.compile(r"^(GNUmakefile|makefile|Makefile)$|\.mk$")
# Files whose commands run when a project is built or a package installed, without being read: MSBuild projects and
# the .targets/.props a NuGet package adds to every build of its consumers, NuGet's PowerShell install hooks, Gradle.
_EDITOR_TASKS = re.compile(r"(?:^|/)\.vscode/tasks\.json$")  # VS Code (and Cursor, VSCodium) workspace tasks
_BUILD_SCRIPT = re.compile(r"(?i)\.(csproj|vbproj|fsproj|proj|targets|props)$|(^|/)tools/(install|init|uninstall)\.ps1$"
                           r"|(^|/)(build|settings)\.gradle(\.kts)?$")
# Languages whose text is prose around fenced code blocks: each block is analyzed as code in its own language.
FENCED = frozenset(("markdown", "agent-rules"))
# Text formats with no grammar that are never guessed to be code from their content (markup, data, config).
NOT_CODE = frozenset((
    ".html", ".htm", ".xhtml", ".css", ".scss", ".sass", ".less", ".xml", ".xsd", ".xsl", ".svg", ".csv", ".tsv",
    ".lock", ".ini", ".cfg", ".conf", ".properties", ".env", ".log", ".map", ".po", ".pot", ".srt", ".vtt", ".tex",
    ".bib", ".diff", ".patch", ".rtf", ".plist", ".sum", ".mod", ".tfvars", ".editorconfig", ".gitignore",
    ".gitattributes", ".dockerignore", ".npmignore", ".cff",
))


# Languages in which no file can begin with an XML prolog or doctype (PHP can: `<?xml` is an open tag there).
_NO_XML_PROLOG = frozenset(("python", "javascript", "typescript", "tsx", "go", "java", "kotlin", "c", "cpp", "csharp",
                            "ruby", "rust", "shell", "dockerfile"))
_XML_PROLOG = re.compile(r"\ufeff?\s*<(?:\?xml[\s?]|!DOCTYPE\s)", re.I)


@dataclass(frozen=True, slots=True)
class FileKind:
    """path: the name it was classified by ("" when nothing names it); language: grammar or text kind (None:
    unknown, text detectors only); role: "workflow", "ci", "makefile", "build-script" or a manifest ("package.json", "requirements"...)."""

    path: str
    language: str | None
    role: str | None = None

    @property
    def fenced(self) -> bool:
        """Its fenced code blocks are analyzed as code too (Markdown, AI-assistant rule files)."""
        return self.language in FENCED

    @property
    def key(self) -> str:
        """`python`, `yaml:workflow`, `json:package.json`, or `` (content decides): the crawl's kind of a path."""
        language = self.language or ""
        return f"{language}:{self.role}" if self.role else language


@lru_cache(maxsize=1 << 16)
def of_path(path: str) -> FileKind:
    """What the path alone says (cheap, cached): the crawl keys analyses by this."""
    language = languages.detect(path) if path else None
    name = PurePosixPath(path).name
    if _WORKFLOW.search(path):
        role = "workflow"
    elif _CI.search(path):
        role = "ci"
    elif _MAKEFILE.search(name):
        role = "makefile"
    elif _BUILD_SCRIPT.search(path):
        role = "build-script"
    elif name == "tasks.json" and _EDITOR_TASKS.search(path):
        role = "editor-tasks"
    elif mcp_config.is_config_path(path):
        role = "mcp-config"
    elif name.endswith(".json") and agent_hooks.SETTINGS_PATH.search(path):
        role = "agent-hooks"
    else:
        role = manifest_kind(path) if path else None
    return FileKind(path, language, role)


def classify(path: str | None, text: str = "", language: str | None = None) -> FileKind:
    """THE decision: the path's language and role; a language named by the caller (a dataset's label) wins; when
    neither the path nor a label says anything, the content decides (shebang, fenced blocks → Markdown, else the
    language its lines look like). Every verb calls this, so the same file gets the same analyses everywhere."""
    kind = of_path(path or "")
    if language is not None:
        return FileKind(kind.path, language, kind.role)
    if kind.language in _NO_XML_PROLOG and text[:1] in ("<", "\ufeff", " ", "\t", "\r", "\n") \
            and _XML_PROLOG.match(text):
        # an XML document under a code extension (Qt Linguist's .ts translations, XML test data named .cs): no
        # file of that language can start with `<?xml`, and its translated text is not code to read as such
        return FileKind(kind.path, None, kind.role)
    if kind.language == "json" and kind.role is None and mcp_config.mentions_servers(text):
        return FileKind(kind.path, kind.language, "mcp-config")
    if kind.language == "yaml" and kind.role is None and all(p.search(text, 0, 1 << 20) for p in _WORKFLOW_TEXT):
        return FileKind(kind.path, kind.language, "workflow")
    if kind.language is not None or kind.role is not None or _not_code(kind.path):
        return kind
    head = text.lstrip()[:200].encode("utf-8", "replace")
    named = languages.detect("", head) if head.startswith(b"#!") else None
    if named is None and text:
        named = "markdown" if fences.has_fences(text) or _CORE_METADATA.match(text) else guess.guess_file(text)
    return FileKind(kind.path, named, None)


def _not_code(path: str) -> bool:
    name = PurePosixPath(path).name.lower()
    return PurePosixPath(name).suffix in NOT_CODE or name in NOT_CODE


def is_workflow(path: str) -> bool:
    return of_path(path).role == "workflow"
