"""The settings every analyzing verb shares: config file plus flags, and the selected rule set."""
from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from ..config import Config, load as load_config
from ..records import CATEGORIES
from ..rules import RuleSet, load_rules
from .common import UsageError, csv


def config_from_args(args, start: Path | None = None, **fixed) -> Config:
    """[tool.codescan] (or --config) overridden by the flags a verb has; `fixed` settings win. The pyproject.toml
    is looked for from `start` (the scanned PATHs) up, else from the current folder."""
    cfg = load_config(args.config, start)
    changes = {}
    if getattr(args, "fail_on", None):
        changes["fail_on"] = args.fail_on
    if args.rules:
        changes["rules"] = cfg.rules + tuple(args.rules)
    if args.select:
        changes["select"] = csv(args.select)
    if args.ignore:
        changes["ignore"] = cfg.ignore + csv(args.ignore)
    if getattr(args, "exclude", None):
        changes["exclude"] = cfg.exclude + tuple(args.exclude)
    if args.jobs is not None:
        if args.jobs < 0:
            raise UsageError("--jobs must be 0 (one per core) or more")
        changes["jobs"] = args.jobs
    if args.max_file_size is not None:
        if args.max_file_size < 1:
            raise UsageError("--max-file-size must be 1 byte or more")
        changes["max_file_size"] = args.max_file_size
    if args.file_timeout is not None:
        if args.file_timeout <= 0:
            raise UsageError("--file-timeout must be more than 0 seconds")
        changes["file_timeout"] = args.file_timeout
    if getattr(args, "max_memory", None) is not None:
        if args.max_memory < 256:
            raise UsageError("--max-memory must be 256 MiB or more")
        changes["max_memory"] = args.max_memory
    if getattr(args, "strict", False):
        changes["strict"] = True
    if getattr(args, "untrusted", False):
        changes["honour_suppressions"] = False
    return replace(cfg, **{**changes, **fixed})


def selected_rules(cfg: Config, args, **load_options) -> tuple[RuleSet, RuleSet]:
    """(every loaded rule, the ones --select/--ignore keep); an unknown id or category is a usage error."""
    ruleset = load_rules(cfg.rules, include_builtin=not args.no_builtin_rules, **load_options)
    known = set(ruleset.by_id()) | set(CATEGORIES) | {r.category for r in ruleset.rules}
    unknown = [s for s in cfg.select + cfg.ignore if s not in known]
    if unknown and not load_options.get("builtin_semgrep"):
        semgrep_only = set(load_rules(include_builtin=True, builtin_semgrep=True).by_id()) & set(unknown)
        if semgrep_only:
            raise UsageError(f"{', '.join(sorted(semgrep_only))}: built-in Semgrep rule(s), which only `codescan "
                             f"scan` runs; `codescan {getattr(args, 'verb', None) or 'this verb'}` runs codescan's "
                             "own rules and Semgrep rules given with --rules")
    if unknown:
        raise UsageError(f"unknown rule id or category: {', '.join(unknown)} (see `codescan rules list`)")
    chosen = ruleset.select(cfg.select, cfg.ignore)
    require_rules(chosen, cfg)
    return ruleset, chosen


def require_rules(ruleset: RuleSet, cfg: Config, why: str = "") -> None:
    """A run with no rule at all would report every input as clean: refuse it, saying which settings did it."""
    if ruleset.rules:
        return
    how = [f"--select {','.join(cfg.select)}"] if cfg.select else []
    how += [f"--ignore {','.join(cfg.ignore)}"] if cfg.ignore else []
    how += [why] if why else []
    raise UsageError("no rules to run" + (f": {' with '.join(how)} leave none" if how else "")
                     + " (see `codescan rules list`)")


def config_start(paths: list[str]) -> Path | None:
    """Where settings are looked for when scanning PATHs: the folder they share (ruff and Bandit users expect
    `codescan scan proj` to read proj/pyproject.toml)."""
    try:
        return Path(os.path.commonpath([os.path.abspath(p) for p in paths]))
    except ValueError:
        return None
