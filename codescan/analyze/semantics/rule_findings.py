"""Fact rules applied to one file's facts: sink rules (a condition on an argument) and `together` rules (facts in
one scope), each finding emitted with its flow trace."""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import replace

from ...records import SEVERITY_RANK, TraceStep
from .. import disguise, option_branch
from .facts import NOT_DATA, RECEIVER, Call, Step, Value, add_step
from .match import holds


class SourceLines:
    """Where the lines of one source start, found once (a `written` condition read a call's lines by counting
    newlines from the top of the file, for every call it was asked about)."""

    def __init__(self, source: bytes, tree=None):
        self.source = source
        self.tree = tree  # the parse, for findings graded by where the call sits (option_branch)
        self._breaks: list[int] | None = None

    def _newlines(self) -> list[int]:
        if self._breaks is None:
            source, found, at = self.source, [], self.source.find(b"\n")
            while at >= 0:
                found.append(at)
                at = source.find(b"\n", at + 1)
            self._breaks = found
        return self._breaks

    def text(self, line: int, end_line: int) -> bytes | None:
        """The bytes from the start of `line` to the end of `end_line` (1-based; None: the source is shorter)."""
        breaks = self._newlines()
        if line > 1 and line - 2 >= len(breaks):
            return None
        start = breaks[line - 2] + 1 if line > 1 else 0
        end = start
        for _ in range(max(end_line, line) - line + 1):
            i = bisect_left(breaks, end + 1)  # the first line break after `end`
            if i == len(breaks):
                end = len(self.source)
                break
            end = breaks[i]
        return self.source[start:end]


def written(lines: SourceLines | None, call: Call, pattern) -> bool:
    """The call's own source lines (from its first to its last) match `pattern`."""
    if lines is None:
        return False
    text = lines.text(call.line, call.end_line)
    return text is not None and pattern.search(text[:MAX_WRITTEN].decode("utf-8", "replace")) is not None


MAX_WRITTEN = 8192  # bytes of a call's source a `written` condition reads


def sink_rule(ctx, rule, call: Call, path: str, language: str, line_offset: int, via,
              sink_lines: frozenset = frozenset(), text: SourceLines | None = None,
              present: frozenset = frozenset(), best: dict | None = None) -> None:
    """The rule's verdict on one call. With `best` (one dict for all calls of a rule in a file), the gravest verdict
    per line is kept there for emit_best: one sink in a helper reached from several call sites is judged by the
    worst of them, not by whichever was emitted last (a benign call after a beacon hid it)."""
    spec = rule.facts
    sink = spec.sink
    if sink.when is not None and holds(sink.when, call, sink.arg, path, language) is None:
        return
    if not spec.cases:
        found = holds(None, call, sink.arg, path, language)
        _emit(ctx, rule, call, found, None, None, line_offset, via, language=language, text=text)
        return
    lines: dict[int, tuple] = {}  # line -> (rank, found, case): the gravest verdict of the arguments on it
    memo: dict = {}  # per case: what does not depend on the argument (callee, `also`, the call's own text)
    sites: dict[int, Call] = {}  # line -> the call re-placed at a wrapper's call site (_shaped_site)
    for selector in _one_by_one(call, sink.arg):  # each argument decides on its own line
        if selector == (RECEIVER,) and "*" in sink.arg and call.receiver is not None and any(
                step.line in sink_lines and step.line != call.line for step in call.receiver.trace):
            continue  # req.write(data); req.end(): the data was reported where it was handed to the sink
        for case in spec.cases:
            if case.when.written is not None:
                seen = memo.get(("written", id(case)))
                if seen is None:
                    seen = memo[("written", id(case))] = written(text, call, case.when.written)
                if not seen:
                    continue
            found = holds(case.when, call, selector, path, language, present, memo)
            if found is not None:
                at = call.line_of(found) if found is not True else call.line
                if case.refines and not any(f.rule_id == rule.id and f.line in (at + line_offset,
                                                                                 call.line + line_offset)
                                            for f in ctx.findings):
                    site = _shaped_site(ctx, rule, call, line_offset) if case.when.written is None else None
                    if site is None:
                        break  # a verdict on a shape match only: no shape finding on this line, nothing to re-grade
                    at = site.line  # exec(cmd) of a same-file wrapper around execSync: the shape matched its call site
                    sites[at] = site
                if case.when.written is not None:
                    at = call.line  # the call's text decided, not one argument: one finding per call
                rank = SEVERITY_RANK[case.severity or rule.severity]
                if at not in lines or rank > lines[at][0]:  # a token in its own API's URL (low) and a secret in
                    lines[at] = (rank, found, case)  # the body (high) of one call: the body decides
                break
    for at, (rank, found, case) in lines.items():
        placed = sites.get(at, call)
        if best is None:
            _emit(ctx, rule, placed, found, case.severity, case.message, line_offset, via, language=language,
                  text=text)
        else:
            # a verdict on a helper's own unknown parameters yields to its call sites' (which know the arguments);
            # among those the gravest; at equal rank the later one, as the findings' dedupe keeps
            key = (call.at_caller, rank)
            if at not in best or key >= best[at][0]:
                best[at] = (key, found, case, placed)



def _shaped_site(ctx, rule, call: Call, line_offset: int) -> Call | None:
    """A sink in a same-file function reached from one call site (`exec(epath + ' --fix')` where `let exec = (cmd) =>
    execSync(cmd)`) whose shape finding is on that call site's line: the call re-placed there, for a refining case
    to re-grade what the shape saw (the arguments are the site's, so the verdict is about that call)."""
    if not call.at_caller or not call.trace:
        return None
    site = call.trace[0].line
    shaped = next((f for f in ctx.findings if f.rule_id == rule.id and f.line == site + line_offset), None) \
        if site != call.line else None
    if shaped is None:
        return None
    return replace(call, line=site, end_line=site, column=shaped.column, kwlines=())


def emit_best(ctx, rule, best: dict, line_offset: int, via, language: str, text: SourceLines | None = None) -> None:
    """The verdicts sink_rule kept per line, in the order their lines were first judged."""
    for _rank, found, case, call in best.values():
        _emit(ctx, rule, call, found, case.severity, case.message, line_offset, via, language=language, text=text)


def _one_by_one(call: Call, selectors) -> list[tuple]:
    """The sink's argument selectors one at a time (`*`: every data argument given; with `@receiver` listed too,
    the object the method is called on: `form.submit(url)` sends what was appended to the form)."""
    if "*" in selectors:
        return [(i,) for i in range(len(call.args))] + [
            (k,) for k, _v in call.kwargs if k not in NOT_DATA] + [
            (RECEIVER,) for _ in (1,) if RECEIVER in selectors and call.receiver is not None] or [selectors]
    return [(s,) for s in selectors]


MAX_LIFT = 3  # same-file functions a `together` fact is carried out through (a helper of a helper...)
MAX_LIFT_SITES = 8  # call sites of one function it is carried to


def together_rule(ctx, rule, sinks, calls, path: str, language: str, line_offset: int, callers=None,
                  text: SourceLines | None = None) -> None:
    width = len(sinks)
    whole_file = rule.facts.scope == "file"  # a listener callback and a timer that ships its buffer
    by_scope: dict[int, list] = {}
    for index, (item, regex) in enumerate(zip(rule.facts.together, sinks)):
        pattern = item.when.written if item.when is not None else None
        for call in calls:
            if regex.match(call.callee):
                if pattern is not None and not written(text, call, pattern):
                    continue  # parser.setFeature(feature_external_ges, True): the call's own text decides
                found = holds(item.when, call, item.arg, path, language)
                if found is not None:
                    by_scope.setdefault(-1 if whole_file else call.scope,
                                        [[] for _ in sinks])[index].append((call, found, ()))
    if not whole_file and callers is not None and any(not all(g) for g in by_scope.values()):
        _lift(by_scope, callers, width)
    reported: set[int] = set()
    for scope, found in by_scope.items():
        if all(found):
            for call, value, lifted in found[0]:
                if call.line in reported:
                    continue
                reported.add(call.line)
                extra = lifted + tuple(
                    step for group in found[1:] for c, _v, steps in group[:1]
                    for step in (*steps, Step(c.line, f"with {c.callee}(...) in the same {'file' if whole_file else 'scope'}")))
                _emit(ctx, rule, call, value, None, None, line_offset, None, extra)


def _lift(by_scope: dict, callers, width: int) -> None:
    """Facts found in a same-file function also hold where it is called: `_attach(s)` puts the socket on the
    standard streams in its caller's scope too (carried out through MAX_LIFT functions, each step traced)."""
    frontier = [scope for scope, groups in by_scope.items() if scope >= 0 and not all(groups)]
    seen: set[tuple] = set()
    for _hop in range(MAX_LIFT):
        following = []
        for scope in frontier:
            groups = by_scope[scope]
            for caller, line, name in callers(scope)[:MAX_LIFT_SITES]:
                if (scope, caller) in seen or caller == scope:
                    continue
                seen.add((scope, caller))
                target = by_scope.setdefault(caller, [[] for _ in range(width)])
                for index, group in enumerate(groups):
                    for call, value, steps in group[:4]:
                        step = Step(line, f"{name}(...) called here runs {call.callee}(...) (line {call.line})")
                        target[index].append((call, value, (*steps, step)[-4:]))
                if caller >= 0:
                    following.append(caller)
        if not following:
            return
        frontier = following


def _disguised(call: Call, value) -> bool:
    """The sink was named at run time (getattr, __dict__, __import__) or its deciding argument was spelled to
    hide it ('0.0' + '.0.0', '127.0.0.1'.replace(...), flag[1])."""
    return call.via == "dynamic" or isinstance(value, Value) and (
        value.via == "disguised" or value.via == "dynamic" and value.name is not None)


def _emit(ctx, rule, call: Call, value, severity, message, line_offset: int, via, extra=(), language=None,
          text: SourceLines | None = None) -> None:
    trace: tuple = ()
    if value is not None and value is not True:
        for step in value.trace:
            trace = add_step(trace, step)
    for step in call.trace:
        trace = add_step(trace, step)
    steps = tuple(trace)
    if steps:
        steps = steps + (Step(call.line, f"reaches {call.callee}(...)"),) + tuple(extra)
    elif extra:
        steps = (Step(call.line, f"{call.callee}(...)"),) + tuple(extra)
    at = call.line_of(value) if value is not None and value is not True else call.line
    line = at + line_offset
    if rule.facts.yield_to and any(f.line == line and f.rule_id in rule.facts.yield_to for f in ctx.findings):
        return  # a shape rule of the same behaviour already reported this line: one finding per behaviour
    context = "decoded" if via else "code"
    if rule.under_option is not None and (severity or rule.severity) == rule.severity:
        severity, message = _under_option(ctx, rule, call, line, text, severity, message, language, value)
    if language == "python" and not via and (severity or rule.severity) == "medium" \
            and _disguised(call, value):
        severity = disguise.raised("medium")
        message = f"disguised (the insecure choice is built or looked up at run time): {message or rule.message}"
    ctx.emit(rule.id, line, max(call.end_line, at) + line_offset, call.column if at == call.line else 1,
             message=message, severity=severity,
             context=context, trace=tuple(TraceStep(s.line + line_offset, s.note) for s in steps))


def _under_option(ctx, rule, call: Call, line: int, text: SourceLines | None, severity, message, language,
                  value=None):
    """The grade of a call on a branch a caller's option chooses (analyze/option_branch), else as given."""
    shaped = next((f for f in ctx.findings if f.rule_id == rule.id and f.line == line
                   and f.message.startswith(rule.under_option[1])), None)
    if shaped is not None:  # the shape match saw this line on a branch a caller's option chooses
        return shaped.severity, shaped.message
    tree = text.tree if text is not None else None
    if tree is None or call.via:
        return severity, message
    row = call.line - 1
    node = tree.root_node.descendant_for_point_range((row, max(call.column - 1, 0)), (row, max(call.column - 1, 0)))
    if node is not None:
        node = _chosen_branch(node, value)
    option = option_branch.chosen_by(node, language) if node is not None else None
    if option is None:
        return severity, message
    return rule.under_option[0], f"{rule.under_option[1]} (`{option}`)"


def _chosen_branch(node, value):
    """`ctx.verify_mode = ssl.CERT_NONE if disable_validation else ssl.CERT_REQUIRED` (httplib2): the conditional's
    branch that holds the matched value (its name's last part, or the constant as written), so the option test that
    picks it is seen; the statement's own node otherwise."""
    if not isinstance(value, Value):
        return node
    word = value.name.rsplit(".", 1)[-1] if value.name else (str(value.const) if isinstance(value.const, bool) else "")
    statement = node
    while statement.parent is not None and statement.type not in ("assignment", "keyword_argument") and \
            statement.type not in ("expression_statement", "block", "module"):
        statement = statement.parent
    right = None
    if statement.type in ("assignment", "keyword_argument"):
        right = statement.child_by_field_name("right") or statement.child_by_field_name("value")
    if not word or right is None or right.type != "conditional_expression":
        return node
    parts = [c for c in right.named_children if c.type != "comment"]
    picks = [p for p in (parts[0], parts[2]) if word.encode() in p.text] if len(parts) == 3 else []
    return picks[0] if len(picks) == 1 else node
