"""`codescan scan PATH...`: scan files and folders and report findings."""
from __future__ import annotations

import os
import sys
from dataclasses import replace
from itertools import chain

from .. import baseline as baseline_mod
from ..config import Config
from ..outputs import FORMATS
from ..records import SEVERITIES
from .common import EXIT_CLEAN, EXIT_FINDINGS, UsageError, add_color_flag, emit
from .settings import config_from_args, config_start, require_rules, selected_rules

NAME = "scan"
ENGINES = ("auto", "treesitter", "semgrep", "all")


def register(sub) -> None:
    scan = sub.add_parser("scan", help="scan files and folders", description="Scan files and folders for "
                          "insecure, malicious, disguised and hidden code.")
    scan.add_argument("paths", nargs="+", metavar="PATH")
    scan.add_argument("--format", "-f", choices=sorted(FORMATS), default="text")
    scan.add_argument("--output", "-o", metavar="FILE", help="write the report here instead of stdout")
    scan.add_argument("--fail-on", choices=(*SEVERITIES, "none"), default=None,
                      help="exit 1 when a finding is at or above this severity (default: high)")
    scan.add_argument("--rules", action="append", metavar="DIR", help="add a folder (or file) of rules")
    scan.add_argument("--no-builtin-rules", action="store_true", help="use only the rules given with --rules")
    scan.add_argument("--select", action="append", metavar="IDS", help="only these rule ids or categories")
    scan.add_argument("--ignore", action="append", metavar="IDS", help="drop these rule ids or categories")
    scan.add_argument("--exclude", action="append", metavar="GLOB", help="do not scan paths matching this glob")
    scan.add_argument("-j", "--jobs", type=int, default=None, metavar="N", help="worker processes (default: cores)")
    scan.add_argument("--config", metavar="FILE", help="TOML file with codescan settings")
    scan.add_argument("--baseline", metavar="FILE", help="report only findings not in this baseline")
    scan.add_argument("--write-baseline", metavar="FILE", help="write the findings as a baseline file")
    scan.add_argument("--max-file-size", type=int, metavar="BYTES")
    scan.add_argument("--file-timeout", type=float, metavar="SECONDS")
    scan.add_argument("--max-memory", type=int, metavar="MIB",
                    help="address space per worker process (MiB); a file needing more fails alone "
                         "(default: three quarters of the machine shared by the workers, 2-8 GiB)")
    scan.add_argument("--strict", action="store_true", help="any skipped file fails the run (exit 1)")
    scan.add_argument("--untrusted", action="store_true",
                      help="treat the input as third-party (inline suppressions are ignored)")
    scan.add_argument("--include-ignored", action="store_true",
                      help="also scan what .gitignore ignores, virtual environments and node_modules inside the "
                           "PATHs (left out by default; always scanned with --untrusted)")
    scan.add_argument("--no-progress", action="store_true", help="no progress bar")
    scan.add_argument("--engine", choices=ENGINES, default="auto",
                      help="treesitter: codescan's own rules only; semgrep: Semgrep-syntax rules only; all: both, "
                           "with codescan's built-in Semgrep rules; auto (default): codescan's rules plus any "
                           "Semgrep rules given with --rules or named in --select")
    scan.add_argument("--semgrep-timeout", type=float, metavar="SECONDS",
                      help="hard limit per Semgrep batch (default: 60 s + 60 s per MB sent to it)")
    add_color_flag(scan)



def run(args) -> int:
    from ..pipeline import scan
    from ..sources.paths import SourceError, walk

    # Own code: settings come from the scanned tree's pyproject.toml. Third-party code (--untrusted) must not
    # configure its own scan, so its settings come from the current folder.
    cfg = config_from_args(args, start=None if args.untrusted else config_start(args.paths))
    _, selected = selected_rules(cfg, args, builtin_semgrep=True)
    ruleset = _by_engine(selected, args.engine, cfg.select)
    require_rules(ruleset, cfg, f"--engine {args.engine}" if args.engine != "auto" else "")
    _check_user_queries(ruleset, cfg.rules)
    limits = _semgrep_limits(ruleset, cfg, args)
    known = baseline_mod.load(args.baseline) if args.baseline else None
    left_out: list[str] = []
    record_lines: dict = {}  # (dataset file, record part) -> the record's line in the file
    # Own code: leave out what the project ignores. Third-party code cannot hide files with a .gitignore.
    skip_ignored = cfg.honour_suppressions and not args.include_ignored
    items = walk(args.paths, cfg.max_file_size, cfg.exclude, trusted=cfg.honour_suppressions,
                 skip_ignored=skip_ignored, left_out=left_out, record_lines=record_lines)
    try:
        first = next(items, None)  # a PATH that cannot be read fails here, before any work
    except SourceError as exc:
        raise UsageError(str(exc)) from None
    if first is None and any(os.path.isdir(p) for p in args.paths):
        raise UsageError(_nothing_to_scan(args.paths, left_out, cfg.exclude))
    stream = chain([first], items) if first is not None else iter(())
    progress = not args.no_progress and sys.stderr.isatty()
    result = scan(stream, ruleset, cfg, progress=progress, semgrep_limits=limits)
    if record_lines:
        result = replace(result, findings=tuple(
            f.with_(record_line=record_lines.get((f.path, f.record))  # `#<n>`: inside the part's fenced block n
                    or record_lines.get((f.path, f.record.rsplit("#", 1)[0]))) if f.record else f
            for f in result.findings))
    if cfg.select or cfg.ignore:
        result = replace(result, findings=tuple(f for f in result.findings if _wanted(f, cfg, ruleset)))
    if args.write_baseline:
        baseline_mod.write(args.write_baseline, result.findings)
    if known is not None:
        kept, _ = baseline_mod.filter_new(result.findings, known)
        result = replace(result, findings=kept)
    emit(result, args)
    failing = result.failing(cfg.fail_on)
    if failing or (cfg.strict and result.skips):
        return EXIT_FINDINGS
    return EXIT_CLEAN


def _nothing_to_scan(paths: list[str], left_out: list[str], exclude: tuple[str, ...]) -> str:
    """Why a folder PATH gave nothing to read (a file list, as pre-commit passes, may be all excluded)."""
    why = []
    if left_out:
        why.append(f"{len(left_out)} left out as ignored (.gitignore, virtual environments, node_modules; "
                   "--include-ignored scans them)")
    if exclude:
        why.append(f"--exclude/exclude: {', '.join(exclude)}")
    return f"no files to scan under {', '.join(paths)}" + (f": {'; '.join(why)}" if why else "")


def _by_engine(ruleset, engine: str, select: tuple[str, ...]):
    """Which engines' rules run. codescan's built-in Semgrep rules cost a Semgrep start-up and a second
    parse of every candidate file, so a plain scan leaves them out unless asked for (--engine all or
    semgrep, or their ids in --select); Semgrep rules a user passes with --rules always run."""
    from ..rules import RuleSet, builtin_rules_dir

    builtin = str(builtin_rules_dir())

    def keep(rule) -> bool:
        semgrep = rule.engine == "semgrep"
        if engine == "treesitter":
            return not semgrep
        if engine == "semgrep":
            return semgrep
        if engine == "all" or not semgrep:
            return True
        return not rule.source.startswith(builtin) or rule.id in select

    return RuleSet(tuple(r for r in ruleset.rules if keep(r)))


def _semgrep_limits(ruleset, cfg: Config, args):
    """Fail early, with the install command, when Semgrep rules are selected and semgrep is missing."""
    if not any(r.engine == "semgrep" for r in ruleset.rules):
        return None
    from ..engines import semgrep

    semgrep.require_semgrep()
    if args.semgrep_timeout is not None and args.semgrep_timeout <= 0:
        raise UsageError("--semgrep-timeout must be more than 0 seconds")
    return semgrep.Limits(timeout=args.semgrep_timeout, file_timeout=cfg.file_timeout,
                          jobs=cfg.jobs or os.cpu_count() or 1, max_target_bytes=cfg.max_file_size)


def _check_user_queries(ruleset, user_paths: tuple[str, ...]) -> None:
    """Compile the queries of rules given with --rules now, so a broken one is a usage error (exit 2),
    not a skip on every file. Built-in rules are compiled by the test suite; compiling all of them
    here would slow every start-up."""
    if not user_paths:
        return
    from ..analyze import languages
    from ..analyze.treesitter import compile_rule
    from ..rules import builtin_rules_dir

    builtin = str(builtin_rules_dir())
    for rule in ruleset.rules:
        if rule.engine != "treesitter" or rule.source.startswith(builtin):
            continue
        for language in rule.languages:
            if languages.has_grammar(language):
                compile_rule(rule, language)


def _wanted(finding, cfg: Config, ruleset) -> bool:
    """--select/--ignore by rule id, by the rule's category or by the finding's (payload-in-comment)."""
    rule = ruleset.by_id().get(finding.rule_id)
    keys = {finding.rule_id, finding.category, rule.category if rule else finding.category}
    if cfg.select and not keys & set(cfg.select):
        return False
    return not keys & set(cfg.ignore)
