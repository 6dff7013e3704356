"""The command line: one module per verb under codescan/cli/, each with NAME, register(sub) and run(args)."""
from __future__ import annotations

import argparse
import importlib
import sys

from .. import __version__
from ..errors import CodescanError
from .common import EXIT_CLEAN, EXIT_USAGE, UsageError
from .overwrite import refuse_overwriting_inputs

# Verb modules, in the order `codescan --help` lists them. A verb whose module is not there yet is left out.
VERB_MODULES = ("scan", "crawl", "findings", "campaigns", "filter", "verify", "report", "mirror", "rules")


def _verbs() -> dict:
    verbs = {}
    for name in VERB_MODULES:
        qualified = f"{__name__}.{name}"
        try:
            module = importlib.import_module(qualified)
        except ModuleNotFoundError as exc:
            if exc.name == qualified:
                continue
            raise
        verbs[module.NAME] = module
    return verbs


def build_parser(verbs: dict | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="codescan", description="Keep poisoned code out of code-model training data.")
    parser.add_argument("--version", action="version", version=f"codescan {__version__}")
    sub = parser.add_subparsers(dest="verb", metavar="VERB")
    for module in (verbs or _verbs()).values():
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    verbs = _verbs()
    parser = build_parser(verbs)
    args = parser.parse_args(argv)
    if args.verb is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        refuse_overwriting_inputs(args)
        return verbs[args.verb].run(args)
    except CodescanError as exc:
        print(f"codescan: error: {' '.join(str(exc).split())}", file=sys.stderr)  # one line, always
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("codescan: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_CLEAN


__all__ = ["main", "build_parser", "UsageError"]
