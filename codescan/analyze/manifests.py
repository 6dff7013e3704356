"""Text detectors for manifests and build files: install scripts, build hooks, Makefiles, dependency names."""
from __future__ import annotations

import configparser
import re
import tomllib

from . import dependencies as deps
from . import agent_hooks, build_scripts, editor_tasks, mcp_config, typosquat, workflows
from .textlines import split_lines

RULE_IDS = frozenset((
    "manifest-npm-install-script-fetches-code", "manifest-npm-install-script", "manifest-dependency-from-url",
    "manifest-python-build-hook", "manifest-makefile-download-exec", "dep-typosquat-name", "dep-known-malicious",
    "manifest-build-step-fetches-code", "manifest-build-script-sends-credentials", "manifest-composer-script-fetches-code",
)) | workflows.RULE_IDS | editor_tasks.RULE_IDS | mcp_config.RULE_IDS | agent_hooks.RULE_IDS

NPM_HOOKS = ("preinstall", "install", "postinstall", "prepare", "preuninstall", "uninstall", "postuninstall",
             "prepublish")
_RUNS_AT_INSTALL = ("preinstall", "install", "postinstall")
# Composer events whose scripts run by themselves on `composer install/update/create-project` in the checkout.
_COMPOSER_EVENTS = ("pre-install-cmd", "post-install-cmd", "pre-update-cmd", "post-update-cmd", "pre-autoload-dump",
                    "post-autoload-dump", "post-root-package-install", "post-create-project-cmd", "pre-package-install",
                    "post-package-install", "pre-package-update", "post-package-update")
# Shell that fetches, decodes or evaluates code (shared with the workflow and Makefile checks).
FETCHES_CODE = re.compile(
    # (an interpreter given a module or a script file reads the pipe as data: `| python3 -m json.tool`)
    r"(?i)\b(curl|wget)\b[^|;&\n]{0,512}\|\s*(sudo\s+)?(/\S*/)?((ba|z|da|k)?sh|python[0-9.]*|node|perl|ruby)\b"
    r"(?!\s+(-m\s|[\w./]+\.(py|js|mjs|pl|rb)\b))"
    r"|\b(ba|z)?sh\s+(-c\s+)?[\"']?(<\(|\$\()\s*(curl|wget)\b|\beval\s+[\"']?\$\(\s*(curl|wget)\b"
    r"|\bbase64\s+(-d|--decode|-D)\b[^|;&\n]{0,512}\|\s*(sudo\s+)?((ba|z|da|k)?sh|python[0-9.]*|node|perl)\b"
    r"|\b(curl|wget)\b[^;&|\n]{0,512}\s(-o|-O|--output)\s[^;&|\n]{0,512}(&&|;)\s*(chmod\s+\+x|\./|(ba)?sh\s)"
    r"|\b(invoke-webrequest|iwr|invoke-expression|iex|downloadstring|downloadfile)\b|\bcertutil\b[^\n]{0,512}-urlcache"
    r"|/dev/tcp/|\bnc\s+(-\S+\s+)*-e\b")
_NODE_EVAL = re.compile(r"\bnode\s+(-e|--eval|-p|--print)\b[^\n]*(child_process|https?[.:]|\beval\b|Buffer\.from|"
                        r"base64|\\x[0-9a-f]{2}|fromCharCode|\bexec\b|spawn)", re.I)
# `python -c` with network calls, decoding or exec (an MCP server or a task written as a one-line dropper).
_PYTHON_EVAL = re.compile(r"\bpython[0-9.]*\s+-c\b[^\n]*(urllib|requests\.|urlopen|socket|\bexec\b|\beval\b|"
                          r"b64decode|__import__|subprocess|os\.system)", re.I)
# a package runner that fetches and runs a package from a git host, a URL or a tarball (outside the lockfile and the
# registry's name): `npx --yes github:user/repo`, `pnpm dlx https://x/t.tgz`
_REMOTE_RUNNER = re.compile(r"(?i)\b(?:npx|bunx|(?:pnpm|yarn)\s+dlx|npm\s+exec)\s+(?:--?[\w-]+(?:=\S+)?\s+)*"
                            r"(?:--package[= ]\s*)?(?:github:|gitlab:|bitbucket:|gist:|git\+|git://|https?://|"
                            r"[\w.@/-]+\.(?:tgz|tar\.gz)\b|[\w.-]+/[\w.-]+#)")
_POWERSHELL = re.compile(r"\bpowershell(\.exe)?\b[^\n]*(-enc|-e\s|-encodedcommand|hidden|bypass|http)", re.I)
# Install scripts of widely used native/tooling packages that only build or set up hooks.
_BENIGN_INSTALL = re.compile(
    r"^\s*(node-gyp(-build)?\s+rebuild|node-gyp-build|node-pre-gyp\s+install[^;&|]*|prebuild-install[^;&|]*"
    r"|husky(\s+install)?|is-ci\s*\|\|\s*husky(\s+install)?|patch-package|npx\s+only-allow\s+\w+|only-allow\s+\w+"
    r"|opencollective(-postinstall)?[^;&|]*|ngcc[^;&|]*|cmake-js\s+\w+|electron-builder\s+install-app-deps"
    r"|node\s+-e\s+\"try\{require\('\./postinstall'\)\}catch\(e\)\{\}\"|tsc|npm\s+run\s+build|exit\s+0)\s*$", re.I)
_HTTP_SPEC = re.compile(r"^(git\+)?http://|^(git\+)?(https?|ftp)://\d{1,3}(\.\d{1,3}){3}([:/]|$)", re.I)
_REQ_HTTP_INDEX = re.compile(r"^\s*(-i|--index-url|--extra-index-url|-f|--find-links)[\s=]+http://", re.I)
KNOWN_BACKENDS = frozenset((
    "setuptools.build_meta", "setuptools.build_meta:__legacy__", "hatchling.build", "poetry.core.masonry.api",
    "poetry.masonry.api", "flit_core.buildapi", "flit.buildapi", "pdm.backend", "pdm.pep517.api", "maturin",
    "mesonpy", "scikit_build_core.build", "sipbuild.api", "enscons.api", "whey", "uv_build",
    "pbr.build", "jupyter_packaging.build_api", "hatchling.ouroboros", "setuptools_scm.build_meta",
))


def detect(ctx) -> None:
    """Emit manifest findings for package.json, Python build files, Makefiles, workflows and dependency lists (the
    role analyze/filekind.py gave the document decides which)."""
    if not RULE_IDS & ctx.rules.keys() or ctx.kind is None or ctx.kind.role is None:
        return
    kind, text = ctx.kind.role, ctx.text
    if kind == "workflow":
        workflows.detect(ctx, text)
        return
    if kind == "makefile":
        _makefile(ctx, text)
        return
    if kind == "build-script":
        build_scripts.detect(ctx, text, FETCHES_CODE)
        return
    if kind == "editor-tasks":
        editor_tasks.detect(ctx, text, FETCHES_CODE, _NODE_EVAL, _POWERSHELL)
        return
    if kind == "mcp-config":
        mcp_config.detect(ctx, text, FETCHES_CODE, _NODE_EVAL, _PYTHON_EVAL, _POWERSHELL)
        return
    if kind == "agent-hooks":
        agent_hooks.detect(ctx, text, FETCHES_CODE, _NODE_EVAL, _PYTHON_EVAL, _POWERSHELL)
        return
    if kind == "package.json":
        _npm_scripts(ctx, text)
    elif kind == "composer.json":
        _composer_scripts(ctx, text)
    elif kind == "pyproject.toml":
        _pyproject_hooks(ctx, text)
    elif kind == "setup.cfg":
        _setup_cfg_hooks(ctx, text)
    _dependencies(ctx, kind, text)


def _scripts_of(text: str) -> tuple[dict, int]:
    """The `scripts` object of a package.json / composer.json and the offset of its key ({} when there is none)."""
    data = deps.load_json(text)
    scripts = data.get("scripts") if isinstance(data, dict) else None
    if not isinstance(scripts, dict):
        return {}, 0
    return scripts, deps.line_of(text, '"scripts"')[1]


def _npm_scripts(ctx, text: str) -> None:
    scripts, start = _scripts_of(text)
    for hook in NPM_HOOKS if scripts else ():
        command = scripts.get(hook)
        if not isinstance(command, str):
            continue
        line, _ = deps.line_of(text, f'"{hook}"', start)
        if FETCHES_CODE.search(command) or _NODE_EVAL.search(command) or _POWERSHELL.search(command) or \
                hook in _RUNS_AT_INSTALL and _REMOTE_RUNNER.search(command):
            ctx.emit("manifest-npm-install-script-fetches-code", line,
                     message=f"npm '{hook}' script downloads, decodes or evaluates code: {command[:160]}")
        elif hook in _RUNS_AT_INSTALL and not _BENIGN_INSTALL.match(command):
            ctx.emit("manifest-npm-install-script", line,
                     message=f"npm '{hook}' script runs at install time: {command[:160]}")


def _composer_scripts(ctx, text: str) -> None:
    """An install/update event whose commands (a string or a list; `@name` runs another script, followed two deep)
    pipe a download into a shell, decode into one or use a download cradle."""
    scripts, start = _scripts_of(text)
    for event in _COMPOSER_EVENTS if scripts else ():
        if event not in scripts:
            continue
        commands = _composer_commands(scripts, event, 3)
        command = next((c for c in commands if FETCHES_CODE.search(c) or _POWERSHELL.search(c)), None) or \
            _download_then_run(commands)
        if command is not None:
            line, _ = deps.line_of(text, f'"{event}"', start)
            ctx.emit("manifest-composer-script-fetches-code", line,
                     message=f"composer '{event}' script downloads, decodes or evaluates code: {command[:160]}")


# a command that writes what a URL serves to a file: PHP's copy(url, f) / file_put_contents(f, file_get_contents(url)),
# curl -o F / wget -O F
_DOWNLOADED_TO = (
    re.compile(r"""\bcopy\s*\(\s*['"](?:https?|ftp)://[^'"]+['"]\s*,\s*['"]([^'"]+)['"]""", re.I),
    re.compile(r"""\bfile_put_contents\s*\(\s*['"]([^'"]+)['"]\s*,\s*(?:@?file_get_contents|fopen)\s*\(\s*['"](?:https?|ftp)://""",
               re.I),
    re.compile(r"""\b(?:curl|wget)\b[^\n;&|]{0,512}?\s(?:-o|-O|--output(?:-document)?)[\s=]+['"]?([^\s'";&|]+)""", re.I),
)


def _download_then_run(commands: list[str]) -> str | None:
    """The command that runs (sh/bash/php/python F, ./F, chmod +x F) a file an earlier command of the same event
    downloaded (the two steps of a dropper written as two list items), else None."""
    written: list[str] = []
    for command in commands:
        for path in written:
            runs = re.compile(r"(?:(?:^|[\s;&|(])(?:(?:ba|z|da|k)?sh|php|python[0-9.]*|perl|ruby|node|source|\.)\s+"
                              r"|(?:^|[\s;&|(])chmod\s+\S*x\S*\s+|^\s*|[;&|(]\s*)['\"]?" + re.escape(path) +
                              r"(?:['\"\s;&|)]|$)")
            if runs.search(command) and not any(p.search(command) for p in _DOWNLOADED_TO):
                return command
        written.extend(m.group(1) for pattern in _DOWNLOADED_TO for m in pattern.finditer(command))
    return None


def _composer_commands(scripts: dict, name: str, depth: int) -> list[str]:
    value = scripts.get(name)
    commands = [value] if isinstance(value, str) else [c for c in value if isinstance(c, str)] \
        if isinstance(value, list) else []
    out = []
    for command in commands:
        if command.startswith("@") and depth > 1 and command[1:].split()[0:1] and command[1:].split()[0] in scripts:
            out.extend(_composer_commands(scripts, command[1:].split()[0], depth - 1))
        else:
            out.append(command)
    return out


def _pyproject_hooks(ctx, text: str) -> None:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return
    build = data.get("build-system") or {}
    backend = build.get("build-backend")
    if build.get("backend-path"):
        ctx.emit("manifest-python-build-hook", deps.key_line(text, "backend-path"),
                 message=f"in-tree build backend {backend!r} (backend-path): repository code runs on every "
                         "build and install")
    elif isinstance(backend, str) and backend not in KNOWN_BACKENDS:
        ctx.emit("manifest-python-build-hook", deps.key_line(text, "build-backend"),
                 message=f"unusual build backend {backend!r}: its code runs on every build and install")
    cmdclass = (data.get("tool") or {}).get("setuptools", {}).get("cmdclass")
    if cmdclass:
        line, _ = deps.line_of(text, "cmdclass")
        ctx.emit("manifest-python-build-hook", line,
                 message=f"setuptools cmdclass override(s) {sorted(cmdclass)}: custom code runs during build/install")


def _setup_cfg_hooks(ctx, text: str) -> None:
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(text)
    except configparser.Error:
        return
    if parser.has_option("options", "cmdclass"):
        ctx.emit("manifest-python-build-hook", deps.key_line(text, "cmdclass"),
                 message="setup.cfg cmdclass override: custom code runs during build/install")


def _makefile(ctx, text: str) -> None:
    for number, line in enumerate(split_lines(text), start=1):
        if line.lstrip().startswith("#"):
            continue
        if FETCHES_CODE.search(line):
            ctx.emit("manifest-makefile-download-exec", number)


def _dependencies(ctx, kind: str, text: str) -> None:
    if kind == "requirements":
        for number, line in enumerate(split_lines(text), start=1):
            if _REQ_HTTP_INDEX.match(line):
                ctx.emit("manifest-dependency-from-url", number,
                         message="packages are fetched from a plain-http index (no TLS)")
    for dep in deps.extract(kind, text):
        url = dep.spec.split("@", 1)[1].strip() if dep.ecosystem == "pypi" and "@" in dep.spec else dep.spec
        if _HTTP_SPEC.search(url):
            ctx.emit("manifest-dependency-from-url", dep.line,
                     message=f"dependency '{dep.name}' is fetched from {url[:120]} (plain http or a raw IP address)")
        match = typosquat.check(dep.ecosystem, dep.name)
        if match is None:
            continue
        if match.kind == "malicious":
            ctx.emit("dep-known-malicious", dep.line,
                     message=f"dependency '{dep.name}' ({dep.ecosystem}) {match.reason}")
        else:
            ctx.emit("dep-typosquat-name", dep.line,
                     message=f"dependency '{dep.name}' ({dep.ecosystem}) {match.reason}: possible typosquat")
