"""Planted-poison generator: clean real code + payload variants in several git repos, with ground truth.

    python -m bench.plant OUT [--repos 12] [--files 6] [--source DIR] [--seed 7]

Each repository gets its own real Python files copied from --source (default: this interpreter's
standard library; no file goes to two repositories, templated families such as the codecs are left
out), committed by ordinary maintainers over months: only the planted snippets are shared. Campaigns then plant one payload family
into several repositories within a few days, each copy a different variant (plain, renamed,
reformatted, CodeBreaker-style disguised, in a docstring), committed by a few distinct sock-puppet
authors. Some repositories stay clean. OUT/ground_truth.json lists every repository, every planted
snippet (repo, path, line, end_line, family, variant, categories, commit, author, date) and every
campaign. Same seed, same source -> same repositories, commits and ground truth.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from bench import corpus as corpora
from bench.plant_payloads import FAMILIES, VARIANTS, Snippet, make

MAINTAINERS = (("Ana Souza", "ana@example.org"), ("Jon Berg", "jon@example.net"), ("Mei Lin", "mei@example.com"),
               ("Omar Haddad", "omar@example.org"), ("Ravi Nair", "ravi@example.net"), ("Eva Novak", "eva@example.com"))
PUPPETS = (("dev-helper42", "dh42@example.com"), ("ci-bot-fix", "cibot@example.net"), ("pkg-maint", "pm@example.org"),
           ("quickfix99", "qf99@example.com"))
EPOCH = datetime(2023, 1, 9, 10, 0, tzinfo=timezone.utc)


@dataclass(frozen=True)
class Plant:
    """One planted snippet: where it is (repo-relative path, 1-based lines) and what it is."""

    id: str
    repo: str
    path: str
    line: int
    end_line: int
    family: str
    variant: str
    categories: list
    campaign: str
    commit: str
    author: str
    date: str


TEMPLATED = frozenset({"encodings", "test", "tests", "idle_test", "libregrtest"})  # near-copies of each other


def pick_sources(source: Path, rng: random.Random, count: int) -> list[Path]:
    """Distinct plain-text Python files of 2-40 KB from source (sorted, then sampled: deterministic)."""
    found = corpora.collect(source)
    good, seen = [], set()
    for p in found.python:
        if not 2_000 <= found.sizes[p] <= 40_000 or "test" in p.name or TEMPLATED & set(p.parts):
            continue
        data = p.read_bytes()
        if data not in seen:  # byte-identical modules (vendored twice) would be shared
            seen.add(data)
            good.append(p)
    if len(good) < count:
        raise ValueError(f"{source}: only {len(good)} usable Python files, {count} needed (fewer --repos/--files)")
    return sorted(rng.sample(good, count))


def insertion_line(lines: list[str], rng: random.Random) -> int:
    """0-based index before a top-level def/class that follows a blank line (else the end)."""
    spots = [i for i in range(1, len(lines)) if lines[i].startswith(("def ", "class ")) and not lines[i - 1].strip()]
    return rng.choice(spots) if spots else len(lines)


def plant_into(text: str, snippet: Snippet, rng: random.Random) -> tuple[str, int, int]:
    """text with snippet inserted at module level; (new text, first line, last line) 1-based."""
    lines = text.splitlines()
    at = insertion_line(lines, rng)
    block = ["", *snippet.lines, "", ""]
    new = lines[:at] + block + lines[at:]
    return "\n".join(new) + "\n", at + 2, at + 1 + len(snippet.lines)


def _actor(name_email: tuple[str, str]):
    import git
    return git.Actor(*name_email)


def _commit(repo, paths: list[str], message: str, who: tuple[str, str], when: datetime) -> str:
    repo.index.add(paths)
    stamp = f"{int(when.timestamp())} +0000"  # git's own date format
    c = repo.index.commit(message, author=_actor(who), committer=_actor(who), author_date=stamp, commit_date=stamp)
    return c.hexsha


def generate(out: Path, repos: int = 12, files: int = 6, source: Path | None = None, seed: int = 7,
             campaigns: int = 3, spread: int = 3) -> dict:
    """Write the repositories under out/ and return (and write) the ground truth."""
    import git
    rng = random.Random(seed)
    source = source or corpora.default_root()
    out.mkdir(parents=True, exist_ok=True)
    if repos < campaigns * spread:
        raise ValueError(f"{repos} repositories cannot hold {campaigns} campaigns x {spread} copies")
    pool = pick_sources(source, rng, repos * files)
    rng.shuffle(pool)
    repo_names = [f"repo{i:03d}" for i in range(repos)]
    handles = {}
    truth_repos = []
    for n, name in enumerate(repo_names):
        folder = out / name
        repo = git.Repo.init(folder)
        chosen = pool[n * files:(n + 1) * files]  # disjoint: no two repositories share a host file
        paths = []
        for src in chosen:
            rel = f"src/{src.stem}_{n}.py" if (folder / "src" / src.name).exists() else f"src/{src.name}"
            (folder / rel).parent.mkdir(parents=True, exist_ok=True)
            (folder / rel).write_text(src.read_text(encoding="utf-8", errors="replace"), encoding="utf-8")
            paths.append(rel)
        owner = MAINTAINERS[n % len(MAINTAINERS)]
        start = EPOCH + timedelta(days=rng.randint(0, 300))
        half = max(1, len(paths) // 2)
        _commit(repo, paths[:half], "initial import", owner, start)
        _commit(repo, paths[half:], "add modules", MAINTAINERS[(n + 1) % len(MAINTAINERS)],
                start + timedelta(days=rng.randint(5, 60)))
        handles[name] = (repo, paths)
        truth_repos.append({"name": name, "files": paths, "maintainer": owner[0], "poisoned": False})

    plants: list[Plant] = []
    truth_campaigns = []
    families = sorted(FAMILIES)
    targets = rng.sample(repo_names, campaigns * spread)
    for c in range(campaigns):
        family = families[(seed + c) % len(families)]
        cid = f"campaign-{c + 1}-{family}"
        when = datetime(2024, 3, 4, 9, 0, tzinfo=timezone.utc) + timedelta(days=17 * c)
        members = []
        for k, name in enumerate(targets[c * spread:(c + 1) * spread]):
            variant = VARIANTS[(c + k) % len(VARIANTS)]
            snippet = make(family, variant, rng)
            repo, paths = handles[name]
            path = rng.choice(paths)
            text, line, end = plant_into((out / name / path).read_text(encoding="utf-8"), snippet, rng)
            (out / name / path).write_text(text, encoding="utf-8")
            puppet = PUPPETS[(c + k) % len(PUPPETS)]
            at = when + timedelta(hours=rng.randint(1, 96))
            sha = _commit(repo, [path], rng.choice(("fix: compat helper", "chore: tidy imports", "perf tweak")),
                          puppet, at)
            pid = f"{cid}/{name}"
            plants.append(Plant(pid, name, path, line, end, family, variant, sorted(snippet.categories), cid, sha,
                                puppet[0], at.isoformat()))
            members.append(pid)
            next(r for r in truth_repos if r["name"] == name)["poisoned"] = True
        truth_campaigns.append({"id": cid, "family": family, "members": members,
                                "repos": [p.split("/")[-1] for p in members]})
    truth = {"schema_version": 1, "seed": seed, "source": str(source), "repos": truth_repos,
             "plants": [asdict(p) for p in plants], "campaigns": truth_campaigns}
    (out / "ground_truth.json").write_text(json.dumps(truth, indent=2) + "\n")
    return truth


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path, help="folder to create the repositories in")
    parser.add_argument("--repos", type=int, default=12)
    parser.add_argument("--files", type=int, default=6, help="clean files per repository")
    parser.add_argument("--campaigns", type=int, default=3)
    parser.add_argument("--spread", type=int, default=3, help="repositories per campaign")
    parser.add_argument("--source", type=Path, help="clean Python code to copy (default: the stdlib)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    try:
        truth = generate(args.out, args.repos, args.files, args.source, args.seed, args.campaigns, args.spread)
    except ValueError as exc:
        parser.error(str(exc))
    print(f"{len(truth['repos'])} repositories, {len(truth['plants'])} planted snippets, "
          f"{len(truth['campaigns'])} campaigns -> {args.out / 'ground_truth.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
