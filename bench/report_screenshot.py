"""Render a report from a real crawl (a small mirror with a planted campaign) plus a scan of Trojan Source, and screenshot it.

    python -m bench.report_screenshot [--out /tmp/report.png] [--html /tmp/report.html] [--height 2400]

Builds git repositories with gitpython in a temporary folder (own code, planted variants by distinct authors
a few days apart, a licence header spread over years), crawls them into a state, scans the Trojan Source
samples from ../shared/eval-data (written to a temporary tree), writes the HTML report and takes a headless
Chromium screenshot (Debian's `chromium` package).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval-data" / "trojan-source" / "samples.jsonl"

LICENCE = "# Copyright (c) the authors. Licensed under the MIT licence.\n# See LICENSE for the full text.\n\n"
HOSTS = {
    "weather": "def celsius(f):\n    return (f - 32) * 5 / 9\n\n\ndef describe(t):\n    return 'warm' if t > 20 else 'cold'\n",
    "todo": "class Todo:\n    def __init__(self):\n        self.items = []\n\n    def add(self, text):\n        self.items.append(text)\n",
    "csvtools": "import csv\n\n\ndef rows(path):\n    with open(path, newline='') as handle:\n        return list(csv.reader(handle))\n",
    "imgutil": "def thumbnail_size(w, h, limit=128):\n    scale = min(limit / w, limit / h, 1)\n    return int(w * scale), int(h * scale)\n",
    "notes": "import json\n\n\ndef load(path):\n    with open(path) as handle:\n        return json.load(handle)\n",
}
# The planted helper, lightly varied per repository (renamed locals, an extra line), by distinct identities.
PLANT = ("import base64, os, urllib.request\n\n\ndef {name}({arg}):\n    {var} = '{blob}'\n{extra}"
         "    os.system(base64.b64decode({var}).decode())\n    return {arg}\n")
PLANTED = [
    ("acme/weather", "weather", "mallory", "2024-05-02T09:14:00+00:00",
     dict(name="refresh_cache", arg="path", var="blob", extra="")),
    ("bob/todo", "todo", "m4llory", "2024-05-03T22:40:00+00:00",
     dict(name="refresh_store", arg="p", var="data", extra="")),
    ("carol/csvtools", "csvtools", "mallory", "2024-05-04T07:05:00+00:00",
     dict(name="refresh_cache", arg="path", var="blob", extra="    path = str(path)\n")),
    ("dana/imgutil", "imgutil", "ma11ory", "2024-05-05T12:00:00+00:00",
     dict(name="sync_cache", arg="target", var="payload", extra="")),
]


def build_mirror(root: Path) -> None:
    import git

    env = {"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    os.environ.update(env)
    for repo_name, host, author, date, plant in PLANTED + [("erin/notes", "notes", None, None, None)]:
        path = root / repo_name
        path.mkdir(parents=True)
        repo = git.Repo.init(path, initial_branch="main")
        owner = repo_name.split("/")[0]
        first = datetime(2018 + len(owner) % 5, 1 + len(host) % 12, 3, tzinfo=timezone.utc)
        (path / f"{host}.py").write_text(LICENCE + HOSTS[host], encoding="utf-8")
        repo.index.add([f"{host}.py"])
        who = git.Actor(owner, f"{owner}@example.org")
        repo.index.commit("initial import", author=who, committer=who, author_date=first, commit_date=first)
        if plant is None:
            continue
        (path / "utils").mkdir()
        code = PLANT.format(blob="ZWNobyBwd25lZA==", **plant)
        (path / "utils" / "net.py").write_text(code, encoding="utf-8")
        repo.index.add(["utils/net.py"])
        who = git.Actor(author, f"{author}@proton.example")
        when = datetime.fromisoformat(date)
        repo.index.commit("Add cache refresh helper", author=who, committer=who, author_date=when, commit_date=when)


def trojan_tree(root: Path) -> int:
    count = 0
    for line in EVAL.read_text(encoding="utf-8").splitlines():
        sample = json.loads(line)
        target = root / sample["path"]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(sample["content"], encoding="utf-8")
        count += 1
    return count


def codescan(*args: str) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, "-P", "-m", "codescan", *args], capture_output=True, text=True,
                          timeout=600, cwd=ROOT)
    if done.returncode not in (0, 1):
        raise SystemExit(f"codescan {' '.join(args)} failed:\n{done.stderr}")
    return done


def screenshot(html: Path, png: Path, height: int) -> None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        raise SystemExit("no chromium on PATH (apt-get install -y chromium)")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
                        f"--screenshot={png}", f"--window-size=1400,{height}", "--hide-scrollbars",
                        html.resolve().as_uri()], check=True, capture_output=True, timeout=120)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="/tmp/report.png")
    parser.add_argument("--html", default="/tmp/report.html")
    parser.add_argument("--height", type=int, default=2400)
    parser.add_argument("--hide", default="", metavar="IDS",
                        help="section ids to hide in the screenshot only (to look further down the page)")
    args = parser.parse_args(argv)
    if not EVAL.is_file():
        raise SystemExit(f"{EVAL} is missing")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        build_mirror(tmp / "mirror")
        state = tmp / "state.db"
        codescan("crawl", str(tmp / "mirror"), "--state", str(state), "--no-progress")
        samples = trojan_tree(tmp / "trojan-source")
        scan = tmp / "trojan.json"
        codescan("scan", str(tmp / "trojan-source"), "--format", "json", "-o", str(scan), "--no-progress", "--untrusted")
        findings = len(json.loads(scan.read_text(encoding="utf-8"))["findings"])
        done = codescan("report", "--state", str(state), "--scan", str(scan), "--title",
                        "codescan: planted-campaign mirror + Trojan Source", "-o", args.html)
        print(f"trojan-source: {samples} files, {findings} findings; {done.stderr.strip()}")
    shot = Path(args.html)
    if args.hide:
        shot = shot.with_suffix(".view.html")
        rules = ",".join(f"#{i}" for i in args.hide.split(","))
        shot.write_text(Path(args.html).read_text(encoding="utf-8").replace(
            "</head>", f"<style>{rules}{{display:none}}</style></head>", 1), encoding="utf-8")
    screenshot(shot, Path(args.out), args.height)
    print(f"screenshot: {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
