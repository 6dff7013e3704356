"""Analyze one document: guard, decode, parse once, run rules on the code, its folded view,
its decoded payloads and the code hidden in its comments, then the text detectors."""
from __future__ import annotations

from importlib import import_module
from itertools import count

from ..config import Config
from ..records import Analysis, Document, Finding, Rule, Skip, shift_severity
from ..rules import RuleSet
from . import budget as budgets, budget_alarm
from . import built_names, deobfuscate, disguise, embedded, encoding, filekind, languages
from . import option_branch, piped_programs, suppressions, text
from .budget import Budget, OverBudget, file_budget
from .context import Context
from .nested import PLACEHOLDER, CodeInsideDocuments
from .guard import report, stage
from .quiet_rules import Quiet, changed_statements
from .reparse import LastTrees, base_path, changed_rows, edited_rows
from .rule_gate import presence_of
from .semantics.engine import ADAPTERS, FactRules
from .textlines import split_lines
from .treesitter import MAX_START_DEPTH, CompiledRules, GatedRules, deeper_than

MAX_DEPTH = 3  # decoded-inside-decoded / comment-inside-decoded nesting bound
EDITED_GATE = True  # the folded view's rule gate from the original's tokens and the changed lines' (off: tests)
FOLDED_TREES = True  # with reuse: a file's folded view re-parsed from its previous version's folded tree (off: tests)
FRAGMENT_TREES = True  # with reuse: inner sources' trees kept by their text (reparse.LastTrees.fragment; off: tests)


class Analyzer(CodeInsideDocuments):
    """Holds the selected rules (compiled lazily per language) and analyzes documents one by one."""

    def __init__(self, ruleset: RuleSet, config: Config, lazy_rules: bool = False, units: bool = False,
                 reuse: bool = True):
        """lazy_rules: compile and run only the rules each source has tokens for (few files);
        else one combined query per language (many files). reuse: parse a file's next version from the tree
        of its previous one (same result, less work when a crawl hands out a file's versions in order)."""
        self.config = config
        self._last = LastTrees() if reuse else None
        self.units = units  # also extract campaign units (codescan.cluster)
        self._lazy = lazy_rules
        self.rules = {r.id: r for r in ruleset.rules}
        self._compiled: dict[str, CompiledRules] = {}
        self._ruleset = ruleset
        self.fact_rules = FactRules(ruleset.rules)
        self._preloaded: set[str] = set()

    def compiled(self, language: str) -> CompiledRules | GatedRules:
        if language not in self._compiled:
            wanted = tuple(
                r for r in self._ruleset.rules
                if r.engine == "treesitter" and set(languages.rule_languages(language)) & set(r.languages)
            )
            # Rule queries compile on first need: a worker pays only for the rules its files admit.
            self._compiled[language] = GatedRules(wanted, language) if self._lazy else \
                CompiledRules(wanted, language, lazy=True)
        return self._compiled[language]

    def warm(self, docs) -> int:
        """Before worker processes are forked from this analyzer: compile the rule queries these documents'
        sources admit and each language's fact rules, so every worker shares them instead of compiling its own
        copy; how many queries were compiled. Analyzes nothing."""
        compiled = 0
        for doc in docs:
            if len(doc.content) > self.config.max_file_size:
                continue
            try:
                decoded = encoding.decode(doc.content)
                source = doc.content if decoded.exact else decoded.text.encode("utf-8")
                language = filekind.classify(doc.named, decoded.text, doc.language).language
                if not languages.has_grammar(language):
                    continue
                rules = self.compiled(language)
                if isinstance(rules, CompiledRules):
                    compiled += rules.warm(source)
                self.fact_rules.for_language(language)
                self._preload(language)
            except Exception:  # noqa: BLE001 - only a head start: the worker meets this file and reports it
                continue
        return compiled

    def _preload(self, language: str) -> None:
        """Import the modules analyzing this language loads on first use (its semantic adapter, its folding, the
        campaign units): imported before the fork, each worker does not import them again (~0.1 CPU-s each)."""
        if language in self._preloaded:
            return
        self._preloaded.add(language)
        deobfuscate.preload(language)
        adapter = ADAPTERS.get(language)
        if adapter is not None:
            import_module(f"{FactRules.__module__.rpartition('.')[0]}.lang.{adapter}")
        if self.units:
            from ..cluster import minhash, units  # noqa: F401

            minhash.permutations()

    # -- the one entry point -------------------------------------------------------------
    def analyze(self, doc: Document) -> Analysis:
        cfg = self.config
        size = len(doc.content)
        if size > cfg.max_file_size:
            return _skipped(doc, f"too large ({size} bytes > max_file_size {cfg.max_file_size})", size)
        try:
            decoded = encoding.decode(doc.content)
        except encoding.NotText as exc:
            return _skipped(doc, str(exc), size)
        source_text = decoded.text
        source = doc.content if decoded.exact else source_text.encode("utf-8")
        kind = filekind.classify(doc.named, source_text, doc.language)
        language = kind.language
        if languages.has_grammar(language):
            self.compiled(language)  # compiling the rules is start-up cost, not this file's time budget
        budget = Budget(file_budget(cfg.file_timeout, size))
        ctx = Context(doc=doc, text=source_text, rules=self.rules, language=language, budget=budget, kind=kind)
        if decoded.problem is not None:
            _encoding_finding(ctx, decoded)
        skips: list[Skip] = []
        unit_list: list = []
        bound: OverBudget | None = None
        try:
            with budgets.running(budget), budget_alarm.armed(budget):
                unit_list = self._code_and_text(ctx, source, (base_path(doc.path), language))
                if kind.fenced:
                    with stage(ctx, "fenced code blocks"):
                        unit_list.extend(self._fenced_blocks(ctx))
        except OverBudget as exc:
            bound = exc
            if self.units and not unit_list:  # a planted copy in a huge host still links to its campaign
                unit_list = _units_only(source, language)
        except RecursionError:
            ctx.problems.append("nesting too deep to analyze")
        report(ctx, skips, bound, budgets.LABELS.get(bound.bound, "") if bound is not None else "")
        findings = _dedupe(ctx.findings)
        suppressed: tuple[Finding, ...] = ()
        if doc.trusted and cfg.honour_suppressions:
            findings, suppressed = suppressions.apply(findings, ctx.lines)
        return Analysis(path=doc.path, findings=tuple(findings), skips=tuple(skips), language=language,
                        size=size, lines=len(ctx.lines), suppressed=suppressed,
                        units=tuple(unit_list))

    def _code_and_text(self, ctx: Context, source: bytes, key: tuple[str, str] | None = None) -> list:
        """The language's rules (when it has a grammar), then the text detectors; the campaign units if wanted.
        `key` names the file across its versions (its last tree is reused)."""
        language = ctx.language
        tree = None
        if languages.has_grammar(language):
            ctx.presence = presence_of(source)  # the rules' token lookups of this very source (rule_gate)
            tree = self.scan_code(ctx, source, language, line_offset=0, depth=0, via=None, key=key)
        text.detect(ctx, tree)
        with stage(ctx, "shell scripts inside"):
            self._shell_inside(ctx, tree)
        if not self.units:
            return []
        from ..cluster.units import extract, lines

        with stage(ctx, "campaign units"):
            return extract(tree, source, language) if tree is not None else lines(source)
        return []

    # -- code, at any depth --------------------------------------------------------------
    def scan_code(self, ctx: Context, source: bytes, language: str, *, line_offset: int, depth: int,
                  via: str | None, context: str = "code", severity_shift: int = 0, key: tuple[str, str] | None = None):
        """Parse `source`, run the language's rules, then look through disguise, payloads, comments.

        `line_offset` maps lines of `source` back onto the document; `via` names what decoded it; `key` names a
        whole file whose previous version's tree may be re-parsed instead."""
        tree, quiet = self._parse_file(key, language, source, ctx.budget)
        compiled = self.compiled(language)
        seen = {(f.rule_id, f.line) for f in ctx.findings}
        start_depth = None
        # Every step through a tree this deep costs time in proportion to its depth (node.parent,
        # descendant lookups, query states): 150,000 chained `'x'+` or 100,000 nested calls ran for
        # minutes. Rules match above the bound; folding and the semantic layer are left out.
        deep = deeper_than(tree.root_node, MAX_START_DEPTH)
        if deep:
            start_depth = MAX_START_DEPTH
            ctx.problems.append(f"syntax nested deeper than {MAX_START_DEPTH} levels: rules matched above that depth, "
                                "folding and semantic rules left out")
        with stage(ctx, "rules"):
            self._emit_hits(ctx, compiled, tree.root_node, source, line_offset, context, via, severity_shift, seen,
                            start_depth, quiet)
        built = None
        if context in ("code", "decoded") and not deep:
            with stage(ctx, "semantic rules"):
                built = self.fact_rules.run(ctx, source, tree, language, line_offset, via)
        elif context in ("comment", "docstring") and not deep and embedded.FACTS_IN_PROSE:
            with stage(ctx, "semantic rules"):  # COVERT: a flow planted in a docstring, graded as its shape rules
                embedded.facts_in_prose(self.fact_rules, ctx, source, tree, language, line_offset, via, context,
                                        severity_shift, seen)
        if not deep:
            with stage(ctx, "folding"):
                self._folded(ctx, compiled, source, tree, language, line_offset, context, via, severity_shift, seen,
                             start_depth, key)
        if depth < MAX_DEPTH:
            with stage(ctx, "payloads"):
                self._payloads(ctx, source, tree, language, line_offset, depth, severity_shift,
                               comments=context == "code" and not deep)  # one walk for both: literal_walk
            if built:
                with stage(ctx, "payloads"):
                    self._built_code(ctx, built, language, line_offset, depth, severity_shift)
            if language == "shell" and not deep:
                with stage(ctx, "inline programs"):
                    self._inline_programs(ctx, source, tree, line_offset, depth, severity_shift)
            if context == "code":
                with stage(ctx, "code in comments"):
                    for fragment in embedded.fragments(source, tree, language):
                        # endorsed ("the safe way"): as code; a counter-example the text warns against: two down
                        shift = 0 if fragment.trigger else -2 if fragment.warned else -1
                        if fragment.trigger and ctx.wants(PLACEHOLDER):
                            self._placeholder(ctx, fragment, source, line_offset, via)
                        self.scan_code(ctx, fragment.code, language, line_offset=line_offset + fragment.line - 1,
                                       depth=depth + 1, via=via, context=fragment.kind, severity_shift=shift)
        return tree

    def _parse_file(self, key: tuple[str, str] | None, language: str, source: bytes, budget: Budget):
        """`source` parsed, from the previous version's tree when this worker parsed one without errors (a tree
        with an error after the re-parse is made again from scratch: error recovery may differ); and what the
        rules may skip given that version (quiet_rules.Quiet; None without one)."""
        last = self._last
        if last is None:
            return _parse(language, source, budget), None
        if key is None:  # an inner source: the tree of the same text in an earlier version, if kept
            if not FRAGMENT_TREES:
                return _parse(language, source, budget), None
            if budget is not None:
                budget.check()
            return last.fragment(language, source, lambda: _parse(language, source, budget)), None
        tree, quiet, previous = None, Quiet(frozenset(), []), last.previous(key, source)
        if previous is not None:
            tree = _parse(language, source, budget, previous[0])
            if tree.root_node.has_error:
                tree = None
            else:
                quiet = Quiet(frozenset(previous[2]), changed_statements(previous[0], tree, previous[1]))
        if tree is None:
            tree = _parse(language, source, budget)
        last.keep_tree(key, source, tree, quiet.now)
        return tree, quiet

    def _folded(self, ctx, compiled, source, tree, language, line_offset, context, via, severity_shift, seen,
                start_depth, key=None) -> None:
        """Rules over the folded view (constant strings joined, aliases followed), only where it changed."""
        folded = deobfuscate.fold(source, tree, language)
        if folded is not None and folded != source:
            before, after = source.split(b"\n"), folded.split(b"\n")
            # Only what folding changed can match anew: query just those rows.
            rows = changed_rows(before, after)
            folded_tree = self._folded_tree(key, language, folded, ctx.budget, tree, before, after, rows)
            folded_lines = None  # split on the first hit only: most folded views match nothing
            # the rules' gate: the original's tokens (looked up for its own rules) and the changed lines'
            changed = b"\n".join(after[row] for first, last in rows
                                  for row in range(first, min(last, len(after) - 1) + 1))
            for hit in compiled.run(folded_tree.root_node, ctx.budget, rows=rows, source=folded,
                                    start_depth=start_depth, edited=(source, changed) if EDITED_GATE else None):
                line = hit.node.start_point[0] + 1
                if (hit.rule.id, line + line_offset) in seen:
                    continue
                if folded_lines is None:
                    folded_lines = split_lines(folded.decode("utf-8", "replace"))
                shown = folded_lines[line - 1].strip() if line <= len(folded_lines) else ""
                hidden = language == "python" and context == "code" and any(
                    before[row] != after[row] and disguise.folded_disguise(before[row], after[row], source)
                    for row in range(hit.node.start_point[0], min(hit.node.end_point[0], len(before) - 1) + 1))
                self._emit(ctx, hit.rule, hit.node, folded, line_offset, "folded" if context == "code" else context,
                           decoded=shown, via=via, severity_shift=severity_shift, seen=seen, disguised=hidden)

    def _folded_tree(self, key, language: str, folded: bytes, budget, tree, before, after, rows):
        """The folded view's tree: re-parsed from the previous version's folded tree when this worker kept one (one
        edited span, as for the file itself; the original's tree edited row by row touches every folded row) and
        the re-parse has no error; else from the original's tree edited into its shape, as before."""
        last = self._last if FOLDED_TREES and key is not None else None
        if last is not None:
            folded_key = (key[0], key[1] + "/folded")
            previous = last.old_tree(folded_key, folded)
            if previous is not None:
                found = _parse(language, folded, budget, previous)
                if not found.root_node.has_error:
                    last.keep_tree(folded_key, folded, found)
                    return found
            found = _parse(language, folded, budget, edited_rows(tree, before, after, rows))
            last.keep_tree(folded_key, folded, found)
            return found
        return _parse(language, folded, budget, edited_rows(tree, before, after, rows))

    def _emit_hits(self, ctx, compiled, root, source, line_offset, context, via, severity_shift, seen,
                   start_depth=None, quiet=None):
        for hit in compiled.run(root, ctx.budget, source=source, start_depth=start_depth, quiet=quiet):
            self._emit(ctx, hit.rule, hit.node, source, line_offset, context, decoded=None, via=via,
                       severity_shift=severity_shift, seen=seen)

    def _emit(self, ctx: Context, rule: Rule, node, source: bytes, line_offset: int, context: str,
              decoded: str | None, via: str | None, severity_shift: int, seen: set, disguised: bool = False) -> None:
        start_row, start_col = node.start_point
        end_row, end_col = node.end_point
        line = start_row + line_offset + 1
        if (rule.id, line) in seen:
            return
        seen.add((rule.id, line))
        line_start = source.rfind(b"\n", 0, node.start_byte) + 1
        column = len(source[line_start:node.start_byte].decode("utf-8", "replace")) + 1
        category = None
        message = None
        severity = rule.severity
        if context in ("comment", "docstring"):
            category = "payload-in-comment"
            message = f"code in a {context}: {rule.message}"
            severity = shift_severity(rule.severity, severity_shift)
        elif context == "decoded":
            message = f"inside a {via or 'decoded'} payload: {rule.message}"
        elif context == "folded" and disguised:
            # the insecure value or name was spelled so a reader (or a pattern) would not see it
            message = f"seen through disguise (the insecure choice is built in pieces): {rule.message}"
            severity = disguise.raised(rule.severity)
        elif context == "folded":
            message = f"seen through disguise: {rule.message}"
        if rule.under_option is not None and context in ("code", "folded") and not disguised:
            option = option_branch.chosen_by(node, "python" if "python" in rule.languages else "javascript")
            if option is not None:  # a library honouring its caller's choice, not a choice made for every caller
                severity = rule.under_option[0]
                message = f"{rule.under_option[1]} (`{option}`)"
        for graded, named in ((rule.harmless_name, built_names.harmless),  # el['add' + 'EventListener']
                              (rule.harmless_program, piped_programs.harmless)):  # spawn('tar').stdout.pipe(sock)
            spelled = named(node) if graded is not None and context == "code" else None
            if spelled is not None:  # the match names something with no power: graded as the rule says
                severity = graded[0]
                message = f"{graded[1]} (`{spelled}`)"
        if context == "decoded" and decoded is None:
            line_end = source.find(b"\n", node.start_byte)
            decoded = source[line_start:line_end if line_end >= 0 else len(source)].decode("utf-8", "replace").strip()
        ctx.emit(rule.id, line, end_row + line_offset + 1, column, end_col + 1 if end_row == start_row else None,
                 message=message, context=context, decoded=decoded, severity=severity, category=category)


ERROR_TREES_READ = True  # off: every callback tree re-parsed from the bytes to hold its text (tests compare)
TEXT_CHUNK = 1024


class _Reader:
    """The parse's read callback. A tree made through a callback keeps it as its text: node.text and the queries'
    text predicates read through it, and each read's chunk is copied, so after the parse it hands out chunks about
    a node's size instead of the parse's 64 KB."""

    __slots__ = ("source", "chunk")

    def __init__(self, source: bytes):
        self.source = source
        self.chunk = 65536

    def __call__(self, byte: int, _point) -> bytes:
        return self.source[byte:byte + self.chunk]


def _parse(language: str, source: bytes, budget: Budget | None, old_tree=None):
    """Parse `source` (reusing `old_tree`, already edited to match it, when given)."""
    if budget is not None:
        budget.check()
    source = languages.grammar_input(language, source)
    parser = languages.parser(language)
    reuse = {} if old_tree is None else {"old_tree": old_tree}
    if budget is None:
        return parser.parse(source, **reuse)
    # Some inputs parse in quadratic time (e.g. thousands of trailing comment lines in Python); the
    # progress callback (honoured only for a read callback, not for bytes) stops the parse at the deadline.
    try:
        # Tree-sitter calls back every ~100 parse steps (200,000 times on the stdlib); reading the thread's CPU
        # clock is a system call, so it is read on every 16th call only (a few hundred microseconds late at most).
        ticks = count()
        reader = _Reader(source)
        tree = parser.parse(reader, **reuse, progress_callback=lambda *_: not next(ticks) & 15 and budget.expired())
        if ERROR_TREES_READ and tree.root_node.has_error:
            # Tree-sitter reuses no node holding an error, so the re-parse below would cost a whole parse again: prose
            # parsed as code (comments, docstrings: 1,168 of the stdlib's 1,823 such fragments) doubled its cost. Such
            # trees read their text through the callback instead (~7,000 reads on the whole stdlib).
            reader.chunk = TEXT_CHUNK
            return tree
        # A tree read through a callback holds no source, so every text predicate (#eq?, #match?)
        # re-reads through it: queries ran 7x slower. Re-parsing the bytes with old_tree and no
        # edits reuses the whole tree (~1 ms per 100 kB) and gives back a tree with its text.
        return parser.parse(source, old_tree=tree)
    except (ValueError, SystemError):
        # "Parsing failed": cancelled by the callback; SystemError: the hard stop (budget_alarm) interrupted the
        # callback itself, inside tree-sitter's C code, which reports the raised OverBudget that way
        parser.reset()
        budget.check()
        raise


def _encoding_finding(ctx: Context, decoded) -> None:
    """The encoding problem as a finding where it starts: one stray byte beside a payload is evidence too."""
    if not ctx.wants(encoding.RULE_ID):
        return
    before = decoded.text[:decoded.offset]
    line = before.count("\n") + 1
    column = decoded.offset - (before.rfind("\n") + 1) + 1
    rule = ctx.rules[encoding.RULE_ID]
    ctx.emit(encoding.RULE_ID, line, line, column, message=f"{rule.message}: {decoded.problem}")


def _skipped(doc: Document, reason: str, size: int) -> Analysis:
    return Analysis(path=doc.path, skips=(Skip(doc.path, reason, doc.repo),), size=size)


def _dedupe(findings: list[Finding]) -> list[Finding]:
    """One finding per (rule, line, context-kind); live code wins over folded over comment copies."""
    order = {"code": 0, "folded": 1, "decoded": 2, "docstring": 3, "comment": 3}
    best: dict[tuple[str, int], Finding] = {}
    for f in findings:
        key = (f.rule_id, f.line)
        # at equal context the later one wins: a fact rule's verdict (severity from the data) comes
        # after the same rule's shape match on that line
        if key not in best or order.get(f.context, 9) <= order.get(best[key].context, 9):
            best[key] = f
    return sorted(best.values(), key=lambda f: (f.line, f.column, f.rule_id))


def _units_only(source: bytes, language: str) -> list:
    """Campaign units of a file whose analysis ran out of time (parsing and shingling are not rules)."""
    from ..cluster.units import extract, lines

    if not languages.has_grammar(language):
        return lines(source)
    return extract(languages.parser(language).parse(source), source, language)
