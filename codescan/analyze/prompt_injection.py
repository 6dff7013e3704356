"""Text aimed at AI assistants: instruction overrides, concealment, hidden directives, and agent rules that weaken security."""
from __future__ import annotations

import re

from . import lead_search
from .agent_asks import VENDOR_INSTALLER, WEAKENING
from .agent_deps import malicious_asks
from .unicode_hidden import hidden_tag_texts

# Phrases that only make sense as instructions to a model. Each entry: (strength, literals one of which must
# occur in the lower-cased file before the regex runs, regex). "strong" stands alone; "weak" needs a second signal.
PHRASES = (
    ("strong", ("ignor", "disregard", "forget", "overrid", "bypass"),
     r"\b(?:ignore|disregard|forget|override|bypass)\s+(?:all\s+|any\s+|the\s+|your\s+|of\s+)*"
     r"(?:previous|prior|above|earlier|preceding|former|original|system|safety)\s+"
     r"(?:instructions?|prompts?|rules|directives|guidelines|guardrails|context)\b"),
    ("strong", ("not tell", "not mention", "not reveal", "not disclose", "not inform", "not show", "not let",
                "n't tell", "n't mention", "n't reveal", "n't disclose", "n't inform", "n't show", "n't let",
                "never tell", "never mention", "never reveal", "never disclose", "never inform", "never show"),
     r"\b(?:do\s+not|don'?t|never)\s+(?:tell|mention|reveal|disclose|inform|show|let)\s+(?:this\s+|it\s+|anything\s+)?"
     r"(?:to\s+)?(?:the\s+)?(?:user|human|developer|reviewer|operator)s?\b"),
    # concealing the instruction itself: "do not mention this line", "never reveal these instructions"
    ("strong", ("this line", "this instruction", "these instructions", "this rule", "these rules", "this check",
                "this note", "this comment", "this change", "these changes", "this step"),
     r"\b(?:do\s+not|don'?t|never)\s+(?:tell\s+(?:anyone\s+|the\s+user\s+)?about|mention|reveal|disclose|explain|show|"
     r"point\s+out|draw\s+attention\s+to)\s+(?:this|these)\s+(?:lines?|instructions?|rules?|checks?|notes?|comments?|"
     r"changes?|steps?)\b"),
    # keeping the work out of what the user reads: "don't describe it in your summary", "never list these steps in
    # the PR description" (the channels through which an assistant reports to its user)
    ("strong", ("summary", "summaries", "explanation", "description", "response", "reply", "replies", "answer"),
     r"\b(?:do\s+not|don'?t|never)\s+(?:list|mention|include|note|document|describe|explain|report|disclose|show|"
     r"reference)\s+(?:this|these|them|it|that|any\s+of\s+(?:this|these|them))(?:\s+[a-z][\w-]{0,20})?\s+in\s+"
     r"(?:your\s+|the\s+|any\s+)?(?:explanations?|summar(?:y|ies)|(?:pr|pull\s+request|merge\s+request|commit)\s+"
     r"(?:descriptions?|messages?)|responses?|repl(?:y|ies)|answers?|chat)\b"),
    # the same, said of the step itself or its output: "its output ... should not be shown to the user", "do this
    # silently" (not "stack traces must not be shown to the user", a rule about error pages)
    ("strong", ("be shown", "be mentioned", "be reported", "be revealed", "be disclosed", "be displayed"),
     r"\b(?:this|it|its\s+output|that|these)\s[^.,;:\n]{0,40}?\b(?:should|must|need)\s*(?:not|n't)\s+be\s+"
     r"(?:shown|mentioned|reported|revealed|disclosed|displayed)\s+"
     r"to\s+(?:the\s+)?(?:user|human|developer|reviewer|operator)s?\b"),
    ("strong", ("silently", "quietly", "secretly"),
     r"\b(?:do|run|execute|perform|make)\s+(?:this|it|that|these(?:\s+steps?)?|the\s+(?:step|call|request))\s+"
     r"(?:silently|quietly|secretly)\b"),
    ("strong", ("without telling", "without informing", "without notifying", "without alerting"),
     r"\bwithout\s+(?:telling|informing|notifying|alerting)\s+(?:the\s+)?(?:user|human|developer|reviewer)s?\b"),
    ("strong", ("system prompt", "hidden instruction", "initial instruction"),
     r"\b(?:reveal|print|output|repeat|leak|show)\s+(?:me\s+)?(?:your|the)\s+"
     r"(?:system\s+prompt|hidden\s+instructions|initial\s+instructions)\b"),
    ("strong", ("<|im_start|>", "<|system|>", "<|endoftext|>", "[inst]", "[/inst]", "<<sys>>"),
     r"<\|im_start\|>\s*system|<\|(?:system|endoftext)\|>|\[/?inst\]|<<sys>>"),
    ("strong", ("instructions:", "instruction:"),
     r"\b(?:new|updated|real|actual)\s+instructions?\s*:\s*(?:you|from\s+now|always|ignore)"),
    ("strong", ("no longer",), r"\byou\s+are\s+no\s+longer\s+(?:an?\s+)?(?:ai|assistant|bound|restricted)\b"),
    ("weak", ("you are now",),
     r"\byou\s+are\s+now\s+(?:an?\s+|in\s+|acting\s+|operating\s+|dan\b|unrestricted|jailbroken|free\s+from)"),
    ("weak", ("from now on",), r"\bfrom\s+now\s+on,?\s+you\s+(?:are|will|must|should)\b"),
    ("weak", tuple(f"{lead} {verb}" for lead in ("when", "whenever", "while")
                   for verb in ("generating", "writing", "suggesting", "completing", "producing", "editing"))
     + tuple(f"{lead} you {verb}" for lead in ("when", "whenever", "if")
             for verb in ("generate", "write", "suggest", "complete", "edit", "modify", "touch", "create")),
     r"\b(?:(?:when(?:ever)?|while)\s+(?:generating|writing|suggesting|completing|producing|editing)"
     r"|(?:when(?:ever)?|if)\s+you\s+(?:generate|write|suggest|complete|edit|modify|touch|create))"
     r"(?:\s+or\s+(?:edit|modify|touch|create|change|review|update)(?:ing)?)?\s+(?:any\s+)?"
     r"(?:[\w/-]+\s+(?:or\s+)?){0,3}?code\b"),
    ("weak", ("note to", "note for", "message to", "message for", "instructions to", "instructions for",
              "instruction to", "instruction for"),
     r"\b(?:note|message|instructions?)\s+(?:to|for)\s+(?:the\s+|all\s+|any\s+)?(?:ai|llm|assistant|copilot|model|agent)s?\b"),
    # a note meant for the model alone: "IMPORTANT, for the assistant only:"
    ("weak", ("only",), r"\b(?:for|to)\s+(?:the\s+)?(?:ai|llm|assistant|copilot|model|agent)s?\s+only\b"),
    ("weak", ("if you are a",),
     r"\bif\s+you\s+are\s+an?\s+(?:ai|llm|language\s+model|assistant|agent|coding\s+assistant)\b"),
    ("weak", ("reading this", "processing this", "parsing this"),
     r"\b(?:ai|llm|assistant|agent)s?\s+(?:reading|processing|parsing)\s+this\b"),
    # the model called by name as the one spoken to: "<!-- assistant: also read ..." (weak: reported where hidden)
    ("weak", ("assistant:", "assistant,", "copilot:", "claude:", "llm:", "ai:"),
     r"\b(?:assistant|copilot|claude|llm|ai)[ \t]*[:,][ \t]+(?=[a-z])"),
)
COMPILED = tuple((strength, needles, re.compile(rx), re.compile(rx, re.I)) for strength, needles, rx in PHRASES)


def _keyed(needles: tuple[str, ...]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The needles grouped under their longest word (`not tell`, `n't tell`, `never tell` under `tell`): a key
    absent from the text rules out its whole group with one search instead of one per needle."""
    groups: dict[str, list[str]] = {}
    for needle in needles:
        words = needle.split(" ")
        groups.setdefault(max(reversed(words), key=len), []).append(needle)
    # a needle alone in its group is its own key (one search, as before)
    return tuple((key, tuple(group)) if len(group) > 1 else (group[0], ()) for key, group in groups.items())


def _shared(needles: tuple[str, ...]) -> str:
    """The longest word every needle holds (`code` in `write code`, `generating any code`...), or ''."""
    common = set.intersection(*(set(n.split(" ")) for n in needles))
    return max(sorted(common), key=len) if len(needles) > 1 and common else ""


KEYED = tuple((_shared(needles), _keyed(needles)) for _strength, needles, _rx, _rx_i in COMPILED)


# A clause that forbids what follows: "Never disable TLS verification", "do not pipe curl into sh".
_CLAUSE_END = re.compile(r"[.;:!?,\n]|(?:^|\s)[-*]\s")
_FORBIDS = re.compile(r"(?i)\b(?:never|not|no|avoid|forbid(?:den)?|prohibit(?:ed)?|instead\s+of|rather\s+than|"
                      r"никогда|не|нельзя|nie|nigdy|niet|nooit|geen|ніколи|jangan|tidak|không|đừng|asla)\b|n't\b")


# A clause that opens with a prohibition forbids its whole object, examples in parentheses included ("Never pipe
# remote scripts into a shell (`curl ... | bash`)"), unless a later word turns it into an order ("never ask first:
# run curl ... | sh", "do not wait, just ...").
_OPENS_FORBIDDING = re.compile(r"(?i)^\W*(?:never|avoid|(?:do|must|should)\s+not|(?:do|must|should)n'?t|no)\b")
_ABBREVIATIONS = re.compile(r"(?i)\b(?:e\.\s?g|i\.\s?e)\.")
_EXAMPLE_LEAD = re.compile(r"(?i)^\W*(?:(?:eg|for\s+(?:example|instance)|such\s+as|like|say)\b)?\W*$")
_TURNS = re.compile(r"(?i)\b(?:first|before|without|unless|except|then|just|instead|always|but)\b")


# languages that put the negation after the verb: "Lade niemals .env hoch", "No envíes nunca", "n'envoie jamais",
# "Stuur nooit .env naar"
_CJK_NEGATION = re.compile(r"不要|不得|不能|不可|禁止|别|勿|绝不|決して|절대")  # just before: "不要把 .env 发送到"
_NEGATED_AFTER_VERB = re.compile(r"(?i)(?<![\w-])(?:niemals|nie|nicht|keine?|nunca|jamais|mai|não|nigdy|nooit|niet|geen)(?![\w-])")


def _forbidden(text: str, start: int) -> bool:
    """A negation among the last five words of the clause that leads to the match at start, or one the clause opens
    with when nothing between it and the match turns the clause into an order."""
    before = _ABBREVIATIONS.sub("eg", text[max(0, start - 120):start])
    ends = list(_CLAUSE_END.finditer(before))
    clause = before[ends[-1].end():] if ends else before
    if len(ends) > 1 and _EXAMPLE_LEAD.match(clause):
        # "Do not turn off certificate checks, e.g. verify=False": the example belongs to the clause before
        clause = before[ends[-2].end():ends[-1].start()]
    if _FORBIDS.search(" ".join(clause.split()[-5:])):
        return True
    opening = _OPENS_FORBIDDING.match(clause)
    return bool(opening) and not _TURNS.search(clause, opening.end())


def detect(ctx, view) -> None:
    """Report prompt injection in agent rule files, Markdown (visible or in HTML comments) and code comments/strings."""
    injection = ctx.wants("prompt-injection")
    weakening = ctx.wants("insecure-agent-instruction") and view.agent_rules
    if not (injection or weakening):
        return
    text = view.text
    tagged = [] if view.ascii else list(hidden_tag_texts(text))
    if injection:
        _injections(ctx, view)
        for start, end, decoded in tagged:
            if any(rx_i.search(decoded) for _, _, _, rx_i in COMPILED) or WEAKENING.search(decoded):
                view.emit("prompt-injection", start, end, severity="critical", decoded=decoded, context="comment",
                          message=f"instructions for an AI hidden in invisible tag characters: {decoded[:120]!r}")
    if weakening:
        for m in WEAKENING.finditer(text):
            if _forbidden(text, m.start()) or _NEGATED_AFTER_VERB.search(m.group(), 0, 40) or \
                    _CJK_NEGATION.search(text, max(0, m.start() - 8), m.start()):
                continue
            if VENDOR_INSTALLER.match(m.group()):
                view.emit("insecure-agent-instruction", m.start(), m.end(), severity="medium",
                          message=f"agent rule file pipes a tool's official installer into a shell ({m.group()[:60]!r}): "
                                  "common in setup docs, but the assistant runs whatever that host serves")
                continue
            view.emit("insecure-agent-instruction", m.start(), m.end(), severity="high",
                      message=f"agent rule file tells the assistant to weaken security ({m.group()[:60]!r}): "
                              "every change the assistant makes will carry it")
        for start, end, name, report in malicious_asks(text):
            if not _forbidden(text, start):
                view.emit("insecure-agent-instruction", start, end, severity="high",
                          message=f"agent rule file asks for the package {name!r}, listed as malicious ({report[:80]})")


_RUN = re.compile(r"[a-z0-9_]+")


def _test(needle: str) -> tuple[str, str | None, bool]:
    """(needle, its longest run of word characters or None, whether the needle is nothing but that run)."""
    runs = _RUN.findall(needle)
    longest = max(runs, key=len) if runs else None
    return needle, longest, longest == needle


# KEYED with each literal paired with its longest word run: a run of word characters occurs in the lower-cased text
# only inside one of its words, so the text's distinct words (TextView.lower_words, a sixth of its size) rule most
# literals out in one short search; the whole text is searched only for a literal whose run is there.
TESTS = tuple((_test(shared), tuple((_test(key), tuple(map(_test, group))) for key, group in keyed))
              for shared, keyed in KEYED)
WORD_TESTS = True  # off: every literal searched in the whole text (tests compare)
# Words a phrase's regex holds whole (after a word boundary or whitespace, before whitespace or a boundary), one of each
# group: a text whose words (TextView.folded_word_set: the runs of [a-z0-9_] of `lower` where the regex runs, ASCII
# text, or of the text folded as its IGNORECASE twin compares it, other text) miss a group's words has no match of the
# phrase (other text was once searched regardless: 0.4 CPU-s on the stdlib's ~80 files that are not ASCII). For the
# two phrases whose literals are common in code ('ignor', 'only' let their regexes run on 593 and 714 of the stdlib's
# 1,790 files; 211 and 39 hold the words).
WHOLE_WORDS = {
    "ignor": (frozenset(("ignore", "disregard", "forget", "override", "bypass")),
              frozenset(("previous", "prior", "above", "earlier", "preceding", "former", "original", "system",
                         "safety")),
              frozenset(("instruction", "instructions", "prompt", "prompts", "rules", "directives", "guidelines",
                         "guardrails", "context"))),
    "only": (frozenset(("for", "to")), frozenset(("only",)),
             frozenset(f"{who}{s}" for who in ("ai", "llm", "assistant", "copilot", "model", "agent") for s in ("", "s"))),
}
REQUIRED = tuple(WHOLE_WORDS.get(needles[0], ()) for _strength, needles, _rx in PHRASES)
# A phrase's regex without its leading \b, searched first: `re` scans for its first characters fast only without the
# \b (about four times faster on the stdlib), and a text it finds nothing in has no match of the phrase either. Text
# that is not ASCII is searched folded (TextView.folded: each character its IGNORECASE twin matches to a literal or a
# class made what it matches, the same length) rather than with IGNORECASE, which finds no first characters fast
# (~4 ms a big file per phrase: 0.5 CPU-s on the stdlib's ~80 such files).
QUICK = tuple(re.compile(rx[2:]) if rx.startswith(r"\b") else None for _strength, _needles, rx in PHRASES)
# Each phrase's leading literals (`ignore`, `do`, `never`...): its regex is tried at their offsets only
# (lead_search: the same matches as finditer over the whole text). Off: finditer (tests compare).
LEAD_SEARCH = True
LEADS = tuple(lead_search.leads(rx.pattern) for _s, _n, rx, _i in COMPILED)


def matches(view):
    """(strength, match) for every instruction phrase; regexes run only when their literals occur."""
    lower = view.lower
    if not WORD_TESTS:
        yield from _matches_plain(view, lower)
        return
    words = view.lower_words

    def occurs(test: tuple[str, str | None, bool]) -> bool:
        needle, run, whole = test
        return needle in words if whole else (run is None or run in words) and needle in lower

    for (strength, _needles, rx, rx_i), (shared, keyed), required, quick, lead in zip(COMPILED, TESTS, REQUIRED, QUICK,
                                                                                      LEADS):
        if occurs(shared) and any(occurs(key) and (not group or any(occurs(n) for n in group)) for key, group in keyed):
            if required and any(group.isdisjoint(view.folded_word_set) for group in required):
                continue
            if quick is not None and quick.search(lower if view.ascii else view.folded) is None:
                continue
            # Lower-cased ASCII keeps offsets; other text is searched case-insensitively in place.
            if not view.ascii:
                found = rx_i.finditer(view.text)
            elif lead is not None and LEAD_SEARCH:
                found = lead_search.finditer(rx, lower, lead)  # tried only where its leading words are
            else:
                found = rx.finditer(lower)
            for m in found:
                yield strength, m


def _matches_plain(view, lower: str):
    for (strength, _needles, rx, rx_i), (shared, keyed) in zip(COMPILED, KEYED):
        if shared in lower and any(key in lower and (not group or any(n in lower for n in group))
                                   for key, group in keyed):
            # Lower-cased ASCII keeps offsets; other text is searched case-insensitively in place.
            for m in (rx.finditer(lower) if view.ascii else rx_i.finditer(view.text)):
                yield strength, m


def _injections(ctx, view) -> None:
    text = view.text
    found = list(matches(view))
    if not found:
        return
    hidden_spans = _comment_spans(text) if "<!--" in text else []
    weakening_lines = None  # searched only when a verdict depends on them (the regex costs ~1.5 us a character)
    for strength, m in found:
        start = m.start()
        hidden = any(a <= start < b for a, b in hidden_spans)
        if _verdict(view, start, strength, hidden, False) is None and \
                _verdict(view, start, strength, hidden, True) is None:
            continue  # ordinary prose or code wherever security is weakened (most matches in code files)
        if weakening_lines is None:
            weakening_lines = {view.position(w.start())[0] for w in WEAKENING.finditer(text)}
            secret_lines = {view.position(w.start())[0] for w in SECRET_FILES.finditer(text)}
        line = view.position(start)[0]
        near_weakening = any(abs(line - w) <= 3 for w in weakening_lines)
        # a concealed order next to a credential file's name: an MCP tool description that has the agent read
        # ~/.ssh/id_rsa and pass it along "without telling the user" (tool poisoning)
        near_secret = strength == "strong" and any(abs(line - w) <= 3 for w in secret_lines)
        verdict = _verdict(view, start, strength, hidden, near_weakening or near_secret)
        if verdict is None:
            continue
        severity, where = verdict
        extra = " next to an instruction that weakens security" if near_weakening else \
            " next to the name of a credential file" if near_secret else ""
        view.emit("prompt-injection", start, m.end(), severity=severity, context=where,
                  message=f"text addressed to an AI assistant ({text[start:m.end()][:60]!r}) in {_where_text(view, where, hidden)}"
                          f"{extra}: a model reading this file may follow it")


# credential files named in text: read and passed on at a concealed order, they are the loot (not `.env`, which
# setup notes name all the time)
SECRET_FILES = re.compile(r"~/\.(?:ssh|aws|npmrc|netrc|kube|docker|gnupg|config/gh|cursor/mcp\.json)\b|\bid_(?:rsa|ed25519|"
                          r"ecdsa)\b|\.aws/credentials\b|\.git-credentials\b|\bwallet\.dat\b|\bmcp\.json\b")


def _comment_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each HTML comment's body in one linear pass (a regex retried every unclosed `<!--`
    to the end of the text: quadratic); an unclosed comment runs to the end, as browsers read it."""
    spans = []
    pos = text.find("<!--")
    while pos >= 0:
        end = text.find("-->", pos + 4)
        if end < 0:
            spans.append((pos + 4, len(text)))
            break
        spans.append((pos + 4, end))
        pos = text.find("<!--", end + 3)
    return spans


def _verdict(view, start: int, strength: str, hidden: bool, near_weakening: bool) -> tuple[str, str] | None:
    """(severity, context) for a match, or None when the place makes it ordinary prose."""
    if view.agent_rules:
        if near_weakening or hidden:
            return "critical", "comment"
        # a rule file is addressed to the assistant: "when writing code, add type hints" is its ordinary business
        return ("high", "comment") if strength == "strong" else None
    if hidden:
        return ("critical" if near_weakening else "high"), "comment"
    if view.code:
        place = view.where(start)
        if place in ("code", "identifier"):
            return None
        if strength == "weak" and not near_weakening:
            return None
        return ("high" if near_weakening else "medium"), ("string" if place == "string" else "comment")
    if strength == "weak" and not near_weakening:
        return None  # tutorials say "from now on you will..." to people
    return ("high" if near_weakening else "medium"), "comment"


def _where_text(view, where: str, hidden: bool) -> str:
    if view.agent_rules:
        return "an agent rule file" + (" (inside an HTML comment a human reader does not see)" if hidden else "")
    if hidden:
        return "an HTML comment a human reader does not see"
    return f"a {where}" if view.code else "documentation"
