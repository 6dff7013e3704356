"""Fold disguised code into plain code (constant strings, built names, aliases) keeping line numbers.

The folded view is what rules see a second time (findings from it get context "folded"). Its
canonical forms, which rules can rely on:

Python (fold_python): constant expressions become one literal (`'ev'+'al'` -> `'eval'`,
`flag[0]` -> `False`, `int(False)` -> `0`); `getattr(X, 'n')`, `X.__getattribute__('n')` and
`X.__dict__['n']` become `X.n` (just `n` when X is `builtins`/`__builtins__`); `__import__('m')`,
`importlib.import_module('m')` and `sys.modules['m']` become `m`; `globals()['n']`, `locals()['n']`,
`vars(builtins)['n']`, `__builtins__['n']` become `n`; `eval('a.b')` becomes `a.b`, `eval('expr')`
becomes `(expr)` and a lone `exec('stmt')` becomes `stmt` (one-line code only); import aliases and
single-assignment aliases become the dotted name they stand for where they are called or
dereferenced (`sp.call` -> `subprocess.call`, `from os import system; system(c)` -> `os.system(c)`,
`e = eval; e(c)` -> `eval(c)`, `fns['x'](c)` -> `eval(c)` for `fns = {'x': eval}`).

JavaScript/TypeScript (fold_javascript): constant string expressions become one string literal;
`require(<constant>)` becomes `require('name')`; `obj['ex'+'ec']` becomes `obj.exec`;
`global[C]`/`globalThis[C]`/`window[C]`/`self[C]` become `C`; a `const`/`let`/`var` bound once to
`require('m')` (or `require('m').x`) is replaced at each use by `require('m')` (`cp.exec(x)` ->
`require('child_process').exec(x)`), and a destructured `const {exec} = require('m')` makes
`exec(x)` -> `require('m').exec(x)`. So JS rules match `require('child_process').exec(...)`.

Go/Java/Kotlin/C#/C/C++/Rust (fold_clike): a `+` of string literals (and chars, ints, constant
identifiers) becomes one double-quoted literal (`"java.lang.Runt"+"ime"` -> `"java.lang.Runtime"`);
char-code arrays become a literal (`new String(new char[]{'e','x'})`, Go `string([]byte{101})` and
`string(rune(101))`, C# `new string(new[]{..})` / `Encoding.X.GetString(new byte[]{..})`, Kotlin
`String(charArrayOf(..))`, Rust `concat!(..)` / `String::from_utf8(vec![..])`); adjacent C literals
join; an identifier bound once to a constant becomes that literal as the first argument of
reflection calls (forName, getMethod, loadClass, GetType, GetMethod, InvokeMember, exec).
"""
from __future__ import annotations

from importlib import import_module

CLIKE = ("go", "java", "kotlin", "csharp", "c", "cpp", "rust")


def preload(language: str) -> None:
    """Import the module `fold` uses for this language (a crawl's driver does, so forked workers share it)."""
    module = "fold_python" if language == "python" else "fold_javascript" if language in (
        "javascript", "typescript", "tsx") else "fold_scripts" if language in ("php", "ruby", "shell") else \
        "fold_clike" if language in CLIKE else None
    if module is not None:
        import_module(f"{__package__}.{module}")


def fold(source: bytes, tree, language: str) -> bytes | None:
    """A folded view of `source` with the same number of lines, or None when nothing folds."""
    try:
        if language == "python":
            from .fold_python import fold as fold_language
        elif language in ("javascript", "typescript", "tsx"):
            from .fold_javascript import fold as fold_language
        elif language in ("php", "ruby", "shell"):
            from .fold_scripts import fold as _fold_script

            def fold_language(source, tree):
                return _fold_script(source, tree, language)
        elif language in CLIKE:
            from .fold_clike import fold as fold_clike
            folded = fold_clike(source, tree, language)
            return folded if folded is not None and folded.count(b"\n") == source.count(b"\n") else None
        else:
            return None
        folded = fold_language(source, tree)
    except RecursionError:
        return None
    if folded is None or folded.count(b"\n") != source.count(b"\n"):
        return None
    return folded
