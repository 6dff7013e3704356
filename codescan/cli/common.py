"""What every verb shares: exit codes, the usage error, comma lists, report writing."""
from __future__ import annotations

import os
import sys

from ..errors import CodescanError
from ..outputs import FORMATS

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class UsageError(CodescanError):
    """Bad flags or input: a one-line message and exit 2."""


def csv(values: list[str] | None) -> tuple[str, ...]:
    """`--x a,b --x c` → ('a', 'b', 'c')."""
    out: list[str] = []
    for v in values or ():
        out.extend(p.strip() for p in v.split(",") if p.strip())
    return tuple(out)


def add_color_flag(parser) -> None:
    parser.add_argument("--color", choices=("auto", "always", "never"), default="auto")


def wants_colour(args, tty: bool) -> bool:
    choice = getattr(args, "color", "auto")
    return choice == "always" or (choice == "auto" and tty and not os.environ.get("NO_COLOR"))


def emit(result, args, formats: dict | None = None) -> None:
    """Write `result` with the writer `args.format` names, to `args.output` or stdout."""
    writer = (formats or FORMATS)[args.format]
    output = getattr(args, "output", None)
    if output:
        try:
            with open(output, "w", encoding="utf-8") as stream:
                _write(writer, result, stream, args, tty=False)
        except OSError as exc:
            raise UsageError(f"{output}: cannot write: {exc.strerror or exc}") from None
        if hasattr(result, "stats"):  # the report went to a file: the terminal still gets the one-line summary
            from ..outputs.text import result_summary

            print(f"{result_summary(result)}; report: {output}", file=sys.stderr)
    else:
        _write(writer, result, sys.stdout, args, tty=sys.stdout.isatty())


def _write(writer, result, stream, args, tty: bool) -> None:
    if args.format == "text":
        writer(result, stream, colour=wants_colour(args, tty))
    else:
        writer(result, stream)
