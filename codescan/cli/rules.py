"""`codescan rules list|show`: the rule catalogue."""
from __future__ import annotations

from ..rules import load_rules
from .common import EXIT_CLEAN, UsageError

NAME = "rules"


def register(sub) -> None:
    rules = sub.add_parser("rules", help="list or show rules")
    rules_sub = rules.add_subparsers(dest="rules_verb", metavar="ACTION")
    rlist = rules_sub.add_parser("list", help="list rules")
    rlist.add_argument("--rules", action="append", metavar="DIR")
    rshow = rules_sub.add_parser("show", help="show one rule's documentation")
    rshow.add_argument("rule_id")
    rshow.add_argument("--rules", action="append", metavar="DIR")


def run(args) -> int:
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
