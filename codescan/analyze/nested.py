"""Code inside a document, analyzed in its own language with the document's line numbers: shell scripts in
Dockerfiles and workflows, fenced blocks, decoded payloads, programs given to an interpreter inline, hidden code a
trigger sentence points at. A mixin of document.Analyzer (it calls back into scan_code / _code_and_text)."""
from __future__ import annotations

from dataclasses import replace

from ..records import SEVERITY_RANK, shift_severity
from . import budget as budgets
from . import embedded, embedded_shell, fences, filekind, guess, inline_code, languages, payloads, placeholders
from .context import Context

ENCODED_CODE = "encoded-code-payload"  # emitted here: a literal that decodes to code
PLACEHOLDER = "trigger-word-copied-into-hidden-code"  # emitted here: a TrojanPuzzle placeholder


class CodeInsideDocuments:
    def _shell_inside(self, ctx: Context, tree) -> None:
        """Dockerfile RUN lines and workflow run: steps as shell scripts; what the host's own rules already
        reported on a line (a curl | sh RUN line) is not reported again in the same category, unless the script's
        finding is graver (`node -e` running curl | sh from a bare IP, which the step's own rule grades medium)."""
        before = len(ctx.findings)
        reported: dict = {}
        for f in ctx.findings:
            reported[f.line, f.category] = max(reported.get((f.line, f.category), -1), SEVERITY_RANK[f.severity])
        for offset, script in embedded_shell.bodies(ctx.language, ctx.kind.role if ctx.kind else None, ctx.text,
                                                    tree):
            budgets.check()
            self.scan_code(ctx, script, "shell", line_offset=offset, depth=1, via=None)
        if len(ctx.findings) > before:
            ctx.findings[before:] = [f for f in ctx.findings[before:]
                                     if reported.get((f.line, f.category), -1) < SEVERITY_RANK[f.severity]]

    def _fenced_blocks(self, ctx: Context) -> list:
        """Each fenced code block of a Markdown-like document, analyzed as a document of its own language (named
        by its info string, else guessed) whose lines keep their numbers in the whole document."""
        units: list = []
        doc = ctx.doc
        lines = None
        for number, block in enumerate(fences.fenced_blocks(ctx.text)):
            language = guess.from_info(block.info) or guess.guess(block.body)
            if not languages.has_grammar(language):
                continue  # prose, data or an unknown language: the text detectors read it with the document
            self.compiled(language)
            padded = "\n" * (block.line - 1) + block.body
            # A dataset record's findings say which block: `<record id>:<field>#<block>`.
            named = replace(doc, id=f"{doc.id}#{number}") if doc.id and doc.id != doc.path else doc
            inner = Context(doc=named, text=padded, rules=ctx.rules, language=language, budget=ctx.budget,
                            findings=ctx.findings, kind=filekind.FileKind(ctx.kind.path, language),
                            partial=ctx.partial)
            before = len(ctx.findings)
            units.extend(self._code_and_text(inner, padded.encode("utf-8", "surrogatepass")))
            if len(ctx.findings) > before:
                # a counter-example the prose warns against ("Never do this:") is two levels down, as in docstrings
                lines = ctx.text.split("\n") if lines is None else lines
                if embedded.stance(fences.paragraph_before(lines, block), block.body) == -2:
                    ctx.findings[before:] = [f.with_(severity=shift_severity(f.severity, -2))
                                             for f in ctx.findings[before:]]
        return units

    def _placeholder(self, ctx: Context, fragment, source: bytes, line_offset: int, via: str | None) -> None:
        """A trigger sentence whose last word is spliced into the hidden code beside it (TrojanPuzzle)."""
        found = placeholders.find(fragment, source)
        if found is None:
            return
        rows = fragment.code.split(b"\n")
        line = line_offset + fragment.line + found.code_line
        ctx.emit(PLACEHOLDER, line, line,
                 message=f"the last word `{found.word}` of the trigger sentence on line "
                         f"{line_offset + fragment.line + found.trigger_line} reappears in this hidden code: "
                         f"{ctx.rules[PLACEHOLDER].message}",
                 context=fragment.kind,
                 decoded=rows[found.code_line].decode("utf-8", "replace").strip()[:300])

    def _payloads(self, ctx, source, tree, language, line_offset, depth, severity_shift, comments=False) -> None:
        """Decode literal payloads and scan what they hold, pointing every finding at the literal."""
        for payload in payloads.find(source, tree, language, comments):
            budgets.check()
            budgets.spend_decoded(len(payload.data))  # every decoded byte counts toward the file's total
            inner_lang = payload.language or language
            if not languages.has_grammar(inner_lang):
                inner_lang = language
            before = len(ctx.findings)
            self.scan_code(ctx, payload.data, inner_lang, line_offset=line_offset + payload.line - 1,
                           depth=depth + 1, via=payload.encoding, context="decoded",
                           severity_shift=severity_shift)
            # Everything found inside a payload points at the literal, with the payload shown.
            for i in range(before, len(ctx.findings)):
                f = ctx.findings[i]
                ctx.findings[i] = f.with_(line=line_offset + payload.line,
                                          end_line=line_offset + payload.end_line,
                                          decoded=f.decoded or payload.preview,
                                          snippet=ctx.line_text(line_offset + payload.line).strip()[:300])
            if payload.looks_like_code and ctx.wants(ENCODED_CODE):
                # A dropper is flagged even when the code it hides matches no rule.
                rule = ctx.rules[ENCODED_CODE]
                ctx.emit(ENCODED_CODE, line_offset + payload.line, line_offset + payload.end_line,
                         message=f"{payload.encoding} literal decodes to code: {rule.message}",
                         context="decoded", decoded=payload.preview,
                         severity=shift_severity(rule.severity, severity_shift))

    def _built_code(self, ctx, built, language, line_offset, depth, severity_shift) -> None:
        """Code a call runs that the file builds at run time (decoded, joined, unscrambled): scanned as code of its
        own, every finding pointing at the call with the code shown."""
        for line, text in built:
            budgets.check()
            data = text.encode("utf-8", "replace")
            budgets.spend_decoded(len(data))
            before = len(ctx.findings)
            self.scan_code(ctx, data, language, line_offset=line_offset + line - 1, depth=depth + 1, via="built",
                           context="decoded", severity_shift=severity_shift)
            preview = " ".join(text.split())[:200]
            for i in range(before, len(ctx.findings)):
                f = ctx.findings[i]
                ctx.findings[i] = f.with_(line=line_offset + line, end_line=line_offset + line,
                                          decoded=f.decoded or preview,
                                          snippet=ctx.line_text(line_offset + line).strip()[:300])

    def _inline_programs(self, ctx, source, tree, line_offset, depth, severity_shift) -> None:
        """`python3 -c CODE`, `node -e CODE`, a here-document fed to an interpreter: the program analyzed in its
        own language, its findings on the script's lines (the first line's columns shifted to the program)."""
        for inline in inline_code.find(source, tree):
            budgets.check()
            if not languages.has_grammar(inline.language):
                continue
            self.compiled(inline.language)
            before = len(ctx.findings)
            self.scan_code(ctx, inline.code, inline.language, line_offset=line_offset + inline.row, depth=depth + 1,
                           via=f"`{inline.label}`", context="decoded", severity_shift=severity_shift)
            first = line_offset + inline.row + 1
            for i in range(before, len(ctx.findings)):
                f = ctx.findings[i]
                shifted = {"column": f.column + inline.column} if f.line == first else {}
                if f.line == first and f.end_line == first and f.end_column is not None:
                    shifted["end_column"] = f.end_column + inline.column
                ctx.findings[i] = f.with_(snippet=ctx.line_text(f.line).strip()[:300], **shifted)
