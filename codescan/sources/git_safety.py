"""Run git on attacker-controlled repositories without letting them run anything: environment and -c overrides."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

# Environment that keeps git from reading the machine's or user's config, prompting, paging,
# lazily fetching missing objects or letting replace refs rewrite history.
_SET_ENV = {
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_ATTR_NOSYSTEM": "1",
    "GIT_TERMINAL_PROMPT": "0",
    "GIT_PAGER": "cat",
    "PAGER": "cat",
    "GIT_NO_LAZY_FETCH": "1",
    "GIT_NO_REPLACE_OBJECTS": "1",
    "GIT_OPTIONAL_LOCKS": "0",
    "GIT_LFS_SKIP_SMUDGE": "1",
    "SSH_ASKPASS_REQUIRE": "never",
    "LC_ALL": "C",
    "LANGUAGE": "C",
}
# Variables that would point git at other repositories, config or programs.
_DROP_ENV = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES",
             "GIT_COMMON_DIR", "GIT_NAMESPACE", "GIT_CONFIG", "GIT_CONFIG_PARAMETERS", "GIT_CONFIG_COUNT",
             "GIT_ASKPASS", "SSH_ASKPASS", "GIT_EXTERNAL_DIFF", "GIT_DIFF_OPTS", "GIT_EDITOR", "GIT_SEQUENCE_EDITOR",
             "GIT_EXEC_PATH", "GIT_TRACE", "GIT_TRACE2", "GIT_TRACE2_EVENT", "GIT_TRACE2_PERF", "GIT_PROXY_COMMAND",
             "GIT_REPLACE_REF_BASE", "GIT_SHALLOW_FILE", "GIT_QUARANTINE_PATH", "GIT_PROTOCOL_FROM_USER")

# Config a repository's own .git/config could set to make a read or fetch run a command, overridden on
# the command line (which wins over repository-local config).
_NEUTRAL_CONFIG = (
    "core.hooksPath=" + os.devnull,     # no hooks (fetch runs reference-transaction, gc runs pre-auto-gc)
    "core.fsmonitor=false",             # no fsmonitor daemon/command
    "core.pager=cat",
    "core.askPass=",
    "core.sshCommand=ssh",              # never a repository-named ssh wrapper
    "core.gitProxy=",
    "core.alternateRefsCommand=true",   # the no-op command instead of a repository-named one
    "core.untrackedCache=false",
    "credential.helper=",               # an empty value clears the helper list
    "log.showSignature=false",          # no gpg.program runs from `git log`
    "gpg.program=false",
    "gpg.ssh.program=false",
    "gpg.x509.program=false",
    "diff.external=",
    "gc.auto=0",
    "maintenance.auto=false",
    "fetch.recurseSubmodules=false",
    "submodule.recurse=false",
    "safe.directory=*",                 # mirrors are often owned by another user; nothing here executes
    "uploadpack.packObjectsHook=",
)
# `protocol.allow=never` alone loses to a repository's own `protocol.<name>.allow=always` (a more
# specific key); GIT_ALLOW_PROTOCOL (safe_env) overrides every protocol.* key, and the command line
# names the dangerous transports too, so neither repository config nor a url.*.insteadOf rewrite
# reaches `ext::` (runs a command) or `fd::`.
_NEVER = tuple(f"protocol.{p}.allow=never" for p in ("ext", "fd"))
READ_CONFIG = _NEUTRAL_CONFIG + ("protocol.allow=never",) + _NEVER  # reading never touches the network
SYNC_PROTOCOLS = ("file", "https", "http", "ssh", "git")
SYNC_CONFIG = _NEUTRAL_CONFIG + ("protocol.allow=never",) + _NEVER + \
    tuple(f"protocol.{p}.allow=always" for p in SYNC_PROTOCOLS)

# The program a fetch or clone starts on a file:// or local source (through the shell). Pinned on the command line:
# a mirror's config may name one under `remote.<url>.uploadpack`, which git applies to a fetch of that very URL.
UPLOAD_PACK = "--upload-pack=git-upload-pack"
READ_TIMEOUT = 3600.0
RUN_ERRORS = (OSError, subprocess.SubprocessError)  # no git binary, a timeout: what run_git may raise


def safe_env(base: dict | None = None, protocols: tuple[str, ...] = ()) -> dict:
    """A copy of the environment with git's config, prompts and redirections neutralized; git may use
    only the transports in `protocols` (none by default: an empty GIT_ALLOW_PROTOCOL allows nothing)."""
    env = dict(os.environ if base is None else base)
    for name in _DROP_ENV:
        env.pop(name, None)
    env.update(_SET_ENV)
    env["GIT_ALLOW_PROTOCOL"] = ":".join(protocols)
    return env


def sync_env() -> dict:
    """safe_env for fetch and clone: the SYNC_PROTOCOLS only, whatever a repository's config says."""
    return safe_env(protocols=SYNC_PROTOCOLS)


def _env_for(config: tuple[str, ...]) -> dict:
    return sync_env() if config is SYNC_CONFIG else safe_env()


def config_args(config: tuple[str, ...] = READ_CONFIG) -> list[str]:
    out: list[str] = []
    for item in config:
        out += ["-c", item]
    return out


def git_argv(gitdir: Path | str | None, *args: str, config: tuple[str, ...] = READ_CONFIG) -> list[str]:
    """`git -c ... [--git-dir=DIR] ARGS`: the one way codescan starts git."""
    argv = ["git", *config_args(config)]
    if gitdir is not None:  # absolute: git runs from "/" (a relative folder would name another one)
        argv.append(f"--git-dir={os.path.abspath(os.fspath(gitdir))}")
    argv.extend(args)
    return argv


def run_git(gitdir: Path | str | None, *args: str, config: tuple[str, ...] = READ_CONFIG,
            timeout: float = READ_TIMEOUT, cwd: str | None = None) -> subprocess.CompletedProcess:
    """Run git to completion with the protective env/options; stdin closed, output captured as bytes."""
    return subprocess.run(git_argv(gitdir, *args, config=config), env=_env_for(config), stdin=subprocess.DEVNULL,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout,
                          cwd=cwd or "/", check=False)


def popen_git(gitdir: Path | str, *args: str, config: tuple[str, ...] = READ_CONFIG) -> subprocess.Popen:
    """Start a streaming git read (stdout piped, stderr to a pipe read at the end)."""
    return subprocess.Popen(git_argv(gitdir, *args, config=config), env=_env_for(config), stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd="/")


def persistent_git(gitdir: Path | str):
    """A gitpython `Git` for one repository whose every command (including its persistent
    `cat-file --batch`) runs with safe_env and the READ_CONFIG overrides."""
    import git

    handle = git.Git("/")
    env = safe_env()
    env["GIT_DIR"] = os.fspath(gitdir)  # explicit: no repository discovery from the working directory
    handle.update_environment(**env)
    handle.set_persistent_git_options(c=list(READ_CONFIG))
    return handle


def command_error() -> type[Exception]:
    """gitpython's error for a failed command (imported here: no other module imports gitpython)."""
    import git

    return git.GitCommandError


def url_rewrites(gitdir: Path | str) -> list[str]:
    """The `url.<base>.insteadOf`/`pushInsteadOf` keys of a repository's config (a fetch would follow them)."""
    proc = run_git(gitdir, "config", "--get-regexp", r"^url\.", timeout=60)
    return [ln for ln in proc.stdout.decode("utf-8", "replace").splitlines() if ln.strip()]


def first_error_line(stderr: bytes) -> str:
    """git's most telling stderr line (a `fatal:`/`error:` one when there is one), for a skip reason."""
    lines = [ln.strip() for ln in stderr.decode("utf-8", "replace").splitlines() if ln.strip()]
    for ln in lines:
        if ln.startswith(("fatal:", "error:")):
            return ln[:300]
    return (lines[0] if lines else "git failed")[:300]
