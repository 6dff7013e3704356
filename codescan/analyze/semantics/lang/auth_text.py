"""Python and JS/TS authentication gates, the text part: the regexes of an authentication function's name, its
definition and a request hook, and the cheap searches that decide, before any tree is read, whether a file may hold
one (possible) and where the definitions are (_defined_matches)."""
from __future__ import annotations

import re

from ...rule_gate import presence_of

_AUTH = (rb"log_?in|sign_?in|auth(?!ors?\b|_?(?:type|header|url|uri|method|scheme|provider|config|conf|settings|class|mode|kind)s?\b)|verify_?(?:user|login|pass|cred|token|key|api_?key|access|otp|pin|session|licen[cs]e|serial|activation|unlock)|"
         rb"check_?(?:login|pass|pw|cred|auth|user|token|key|access|perm|admin|otp|pin|licen[cs]e|serial|activation)|"
         rb"valid(?:ate)?_?(?:user|login|pass|cred|token|key|session|api_?key|otp|pin|access|licen[cs]e|serial|activation)|"
         rb"is_?(?:authori[sz]ed|authenticated|admin|allowed|licen[cs]ed|valid_?(?:user|token|key|password|login|licen[cs]e|serial))|"
         rb"has_?(?:access|perm|role|privilege)|can_?(?:access|activate)|require_?(?:auth|login|admin)")
# a function name (snake_case or camelCase, compared case-insensitively) that says "authentication check"
AUTH_NAME = re.compile(rb"(?i)(?:" + _AUTH + rb")")
# where such a function may be defined: def NAME / function NAME / NAME = (...) => / NAME(...) { / NAME: function
_DEFINED = re.compile(rb"(?i)(?:\bdef|\bfunction)\s+\w*(?:" + _AUTH + rb")\w*\s*\(|"
                      rb"\b[\w$]*(?:" + _AUTH + rb")[\w$]*\s*(?:=\s*(?:async\s*)?(?:function\b|\(|[\w$]+\s*=>)|"
                      rb":\s*(?:async\s*)?function\b|\([^()\n]*\)\s*+(?::\s*[\w<>\[\], ]+)?\s*\{)")
# request hooks run before every handler (Flask before_request, FastAPI/Starlette middleware, Django middleware
# methods, Express `(req, res, next)` middleware): a granting test there is an authentication check whatever its name
_HOOK = re.compile(rb"@[\w.]*\b(?:before_(?:app_)?request|middleware|request_loader)\b|\bdef\s+process_(?:request|view)\s*\(|"
                   rb"\bdef\s+__call__\s*\(\s*self\s*,\s*request\s*\)|"
                   rb"\(\s*req\s*(?::\s*[\w.]+\s*)?,\s*res\s*(?::\s*[\w.]+\s*)?,\s*next\s*(?::\s*[\w.]+\s*)?\)|"
                   rb"\(\s*ctx\s*(?::\s*[\w.]+\s*)?,\s*next\s*(?::\s*[\w.]+\s*)?\)")
# _HOOK's three forms apart (for _hooked); _HOOK_DEF without the leading `\b` (a literal start `re` finds fast)
_HOOK_DECORATOR = re.compile(rb"@[\w.]*\b(?:before_(?:app_)?request|middleware|request_loader)\b")
_HOOK_DEF = re.compile(rb"def\s+process_(?:request|view)\s*\(")
_HOOK_ARGUMENTS = re.compile(rb"\(\s*req\s*(?::\s*[\w.]+\s*)?,\s*res\s*(?::\s*[\w.]+\s*)?,\s*next\s*(?::\s*[\w.]+\s*)?\)|"
                             rb"\(\s*ctx\s*(?::\s*[\w.]+\s*)?,\s*next\s*(?::\s*[\w.]+\s*)?\)")
# a Django middleware's `__call__(self, request)` (every request passes through it before the view)
_HOOK_CALL = re.compile(rb"def\s+__call__\s*\(\s*self\s*,\s*request\s*\)")
_EQ_CALL_WORDS = re.compile(rb"compare_digest|timingSafe|constant_time_compare|secure_compare|safe_str_cmp|safeCompare")


# AUTH_NAME without (?i), over lower-cased text (ASCII case folding either way): every _DEFINED match holds one,
# and this search is 5x cheaper than AUTH_NAME's, itself far cheaper than _DEFINED's `\b[\w$]*` before the words
_AUTH_LOWER = re.compile(_AUTH)


def possible(source: bytes) -> bool:
    """Whether `source` may define an authentication function (cheap gate before any evaluation)."""
    # _AUTH holds only word characters: a match lies inside one run of them, so the source's distinct words
    # (lower-cased, one a line, shared with the rules' gate) hold one iff the lower-cased source does
    return (b"==" in source or b" in " in source or _EQ_CALL_WORDS.search(source) is not None) \
        and ((_AUTH_LOWER.search(presence_of(source).text(True, True)) is not None and defined_somewhere(source))
             or _hooked(source))


def _hooked(source: bytes) -> bool:
    """A request hook may be defined: `_HOOK.search(source) is not None`, each of its three forms searched apart
    and only where its words occur (`next` is in most Python files; the one regex tried its `\\bdef` branch at
    every offset: ~0.8 ms a file). The `def` form is found by its literal start, then the `\\b` before it tested."""
    if (b"before_" in source or b"middleware" in source or b"request_loader" in source) and \
            _HOOK_DECORATOR.search(source) is not None:  # (Flask-Login's request_loader gets the request too)
        return True
    if b"process_" in source and any(not at or source[at - 1] not in _WORD_BYTES
                                     for at in (m.start() for m in _HOOK_DEF.finditer(source))):
        return True
    if b"__call__" in source and _HOOK_CALL.search(source) is not None:
        return True
    return b"next" in source and (b"req" in source or b"ctx" in source) and _HOOK_ARGUMENTS.search(source) is not None


_WORD_BYTES = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
_SPACE_BYTES = frozenset(b" \t\n\r\x0b\x0c")  # what `\s` matches in a bytes pattern
# what _DEFINED asks after the name, in its two forms
_AFTER_DEF = re.compile(rb"\s*\(")
_AFTER_NAME = re.compile(rb"(?i)\s*(?:=\s*(?:async\s*)?(?:function\b|\(|[\w$]+\s*=>)|"
                         rb":\s*(?:async\s*)?function\b|\([^()\n]*\)\s*+(?::\s*[\w<>\[\], ]+)?\s*\{)")


def defined_somewhere(source: bytes) -> bool:
    """`_DEFINED.search(source) is not None`, from the authentication words' places only (the regex tries its
    leading `\\b[\\w$]*` at every word of the file, most of the gate's cost). An authentication word lies
    in one run of word characters, and so does each match's name: `def`/`function`, spaces, then the name's
    run holding the word, then `\\s*(`; or the `[\\w$]` run holding the word (a `\\b` starts it at the
    first word character of the run before the word) followed by what _AFTER_NAME takes: neither can stop
    inside the run, since what follows a name is never a word character."""
    lowered = source.lower()
    size = len(source)
    for match in _AUTH_LOWER.finditer(lowered):  # every run holding a word holds a reported match
        start, end = match.start(), match.end()
        while end < size and source[end] in _WORD_BYTES:
            end += 1
        while start and source[start - 1] in _WORD_BYTES:
            start -= 1
        # `def name(` / `function name(`: spaces, then `def`/`function` after a word boundary
        space = start
        while space and source[space - 1] in _SPACE_BYTES:
            space -= 1
        if space < start and _AFTER_DEF.match(source, end) is not None:
            for keyword in (b"def", b"function"):
                at = space - len(keyword)
                if at >= 0 and lowered[at:space] == keyword and (not at or source[at - 1] not in _WORD_BYTES):
                    return True
        # `name = (...) =>`, `name: function`, `name(...) {`, `name = function`: the name's run may hold `$`
        while end < size and (source[end] in _WORD_BYTES or source[end] == 36):  # 36: `$`
            end += 1
        if _AFTER_NAME.match(source, end) is not None:
            return True
    return False


def _defined_matches(source: bytes):
    """The matches `_DEFINED.finditer(source)` gives, tried only at the places before an authentication word (its
    leading `\\b[\\w$]*` tried at every word of the file cost ~5 ms a file). A match holds an _AUTH match in its
    name and starts at most `def`/`function`, spaces and the name's `[\\w$]` run before that match; the leftmost
    _AUTH match from `pos` is at or before the next match's own, in the same run when the match starts before it.
    So no match starts before `bound`, and one that starts no later than the word is found by trying each offset
    from `bound` on; when none does, the next match starts after the word."""
    lowered = source.lower()
    pos = 0
    while True:
        hit = _AUTH_LOWER.search(lowered, pos)
        if hit is None:
            return
        word = hit.start()
        bound = word
        while bound > pos and (source[bound - 1] in _WORD_BYTES or source[bound - 1] == 36):  # 36: `$`
            bound -= 1
        while bound > pos and source[bound - 1] in _SPACE_BYTES:
            bound -= 1
        match = None
        for at in range(max(pos, bound - len(b"function")), word + 1):
            match = _DEFINED.match(source, at)
            if match is not None:
                break
        if match is None:
            pos = word + 1
            continue
        yield match
        pos = match.end()
