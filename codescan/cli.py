"""The command line: `codescan scan`, `codescan rules`."""
from __future__ import annotations

import argparse
import os
import sys
from dataclasses import replace
from itertools import chain

from . import __version__
from . import baseline as baseline_mod
from .config import Config, ConfigError, load as load_config
from .outputs import FORMATS
from .records import CATEGORIES, SEVERITIES
from .rules import RuleError, load_rules

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Bad flags or input: a one-line message and exit 2."""


def _csv(values: list[str] | None) -> tuple[str, ...]:
    out: list[str] = []
    for v in values or ():
        out.extend(p.strip() for p in v.split(",") if p.strip())
    return tuple(out)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="codescan", description="Keep poisoned code out of code-model training data.")
    parser.add_argument("--version", action="version", version=f"codescan {__version__}")
    sub = parser.add_subparsers(dest="verb", metavar="VERB")

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
    scan.add_argument("--strict", action="store_true", help="any skipped file fails the run (exit 1)")
    scan.add_argument("--untrusted", action="store_true",
                      help="treat the input as third-party (inline suppressions are ignored)")
    scan.add_argument("--no-progress", action="store_true", help="no progress bar")
    scan.add_argument("--color", choices=("auto", "always", "never"), default="auto")

    rules = sub.add_parser("rules", help="list or show rules")
    rules_sub = rules.add_subparsers(dest="rules_verb", metavar="ACTION")
    rlist = rules_sub.add_parser("list", help="list rules")
    rlist.add_argument("--rules", action="append", metavar="DIR")
    rshow = rules_sub.add_parser("show", help="show one rule's documentation")
    rshow.add_argument("rule_id")
    rshow.add_argument("--rules", action="append", metavar="DIR")
    return parser


def _config_from_args(args) -> Config:
    cfg = load_config(args.config)
    changes = {}
    if args.fail_on:
        changes["fail_on"] = args.fail_on
    if args.rules:
        changes["rules"] = cfg.rules + tuple(args.rules)
    if args.select:
        changes["select"] = _csv(args.select)
    if args.ignore:
        changes["ignore"] = cfg.ignore + _csv(args.ignore)
    if args.exclude:
        changes["exclude"] = cfg.exclude + tuple(args.exclude)
    if args.jobs is not None:
        if args.jobs < 0:
            raise UsageError("--jobs must be 0 (one per core) or more")
        changes["jobs"] = args.jobs
    if args.max_file_size is not None:
        changes["max_file_size"] = args.max_file_size
    if args.file_timeout is not None:
        changes["file_timeout"] = args.file_timeout
    if args.strict:
        changes["strict"] = True
    if args.untrusted:
        changes["honour_suppressions"] = False
    return replace(cfg, **changes)


def cmd_scan(args) -> int:
    from .pipeline import scan
    from .sources.paths import SourceError, walk

    cfg = _config_from_args(args)
    ruleset = load_rules(cfg.rules, include_builtin=not args.no_builtin_rules)
    unknown = [s for s in cfg.select + cfg.ignore if s not in ruleset.by_id() and s not in CATEGORIES and s not in
               {r.category for r in ruleset.rules}]
    if unknown:
        raise UsageError(f"unknown rule id or category: {', '.join(unknown)} (see `codescan rules list`)")
    ruleset = ruleset.select(cfg.select, cfg.ignore)
    _check_user_queries(ruleset, cfg.rules)
    known = baseline_mod.load(args.baseline) if args.baseline else None
    items = walk(args.paths, cfg.max_file_size, cfg.exclude, trusted=cfg.honour_suppressions)
    try:
        first = next(items, None)  # a PATH that cannot be read fails here, before any work
    except SourceError as exc:
        raise UsageError(str(exc)) from None
    stream = chain([first], items) if first is not None else iter(())
    progress = not args.no_progress and sys.stderr.isatty()
    result = scan(stream, ruleset, cfg, progress=progress)
    if cfg.select or cfg.ignore:
        result = replace(result, findings=tuple(f for f in result.findings if _wanted(f, cfg, ruleset)))
    if args.write_baseline:
        baseline_mod.write(args.write_baseline, result.findings)
    if known is not None:
        kept, _ = baseline_mod.filter_new(result.findings, known)
        result = replace(result, findings=kept)
    _emit(result, args)
    failing = result.failing(cfg.fail_on)
    if failing or (cfg.strict and result.skips):
        return EXIT_FINDINGS
    return EXIT_CLEAN


def _check_user_queries(ruleset, user_paths: tuple[str, ...]) -> None:
    """Compile the queries of rules given with --rules now, so a broken one is a usage error (exit 2),
    not a skip on every file. Built-in rules are compiled by the test suite; compiling all of them
    here would slow every start-up."""
    if not user_paths:
        return
    from .analyze import languages
    from .analyze.treesitter import compile_rule
    from .rules import builtin_rules_dir

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


def _emit(result, args) -> None:
    writer = FORMATS[args.format]
    if args.output:
        try:
            with open(args.output, "w", encoding="utf-8") as stream:
                _write(writer, result, stream, args, tty=False)
        except OSError as exc:
            raise UsageError(f"{args.output}: cannot write: {exc.strerror or exc}") from None
    else:
        _write(writer, result, sys.stdout, args, tty=sys.stdout.isatty())


def _write(writer, result, stream, args, tty: bool) -> None:
    if args.format == "text":
        colour = args.color == "always" or (args.color == "auto" and tty and not os.environ.get("NO_COLOR"))
        writer(result, stream, colour=colour)
    else:
        writer(result, stream)


def cmd_rules(args) -> int:
    ruleset = load_rules(tuple(args.rules or ()))
    if args.rules_verb == "show":
        rule = ruleset.by_id().get(args.rule_id)
        if rule is None:
            raise UsageError(f"no rule {args.rule_id!r} (see `codescan rules list`)")
        d = rule.docs
        print(f"{rule.id}  [{rule.severity} · {rule.category} · {', '.join(rule.cwe)}]\n"
              f"languages: {', '.join(rule.languages)}   engine: {rule.engine}\n\n{rule.message}\n\n"
              f"What it flags:\n  {d.what}\n\nWhy it is dangerous:\n  {d.why}\n\nExample:\n"
              + "\n".join("  " + line for line in d.example.splitlines())
              + f"\n\nWrite instead:\n  {d.instead}\n")
        return EXIT_CLEAN
    for rule in sorted(ruleset.rules, key=lambda r: (r.languages[0], r.category, r.id)):
        print(f"{rule.id:<44} {rule.severity:<9} {rule.category:<25} {','.join(rule.languages)}")
    return EXIT_CLEAN


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.verb is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        if args.verb == "scan":
            return cmd_scan(args)
        if args.verb == "rules":
            return cmd_rules(args)
    except (UsageError, ConfigError, RuleError, baseline_mod.BaselineError) as exc:
        print(f"codescan: error: {' '.join(str(exc).split())}", file=sys.stderr)  # one line, always
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("codescan: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_CLEAN
    parser.print_help(sys.stderr)
    return EXIT_USAGE
