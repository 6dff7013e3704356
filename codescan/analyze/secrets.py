"""Hard-coded credentials: private keys, cloud access keys, API tokens, passwords in configuration."""
from __future__ import annotations

import re

from .textview import is_placeholder, shannon_entropy

# Literal fragments each pattern needs: substring tests decide which regexes run at all.
AWS_PREFIXES = ("AKIA", "ASIA", "AGPA", "AIDA", "AROA", "ANPA", "ANVA", "AIPA")

PRIVATE_KEY = re.compile(r"-----BEGIN ((?:RSA|EC|DSA|OPENSSH|PGP|ENCRYPTED) )?PRIVATE KEY( BLOCK)?-----")
KEY_BODY = re.compile(r"[ \t\"',]*(?:[A-Za-z-]+: [^\n]*\n[ \t\"',]*){0,8}(?:\n[ \t\"',]*)?[A-Za-z0-9+/=]{40,}")
AWS_KEY_ID = re.compile(r"(?<![A-Z0-9])(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z2-7]{16}(?![A-Z0-9])")
AWS_SECRET = re.compile(
    r"(?i:secret)[\w \t\"'.\-]{0,30}?[=:>]\s*[\"']?(?<![A-Za-z0-9/+])([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])")

# Tokens whose prefix names their issuer: (name, literals the token contains, pattern, severity).
TOKENS = (
    ("GitHub token", ("ghp_", "gho_", "ghu_", "ghs_", "ghr_"),
     re.compile(r"(?<![A-Za-z0-9_])gh[pousr]_[A-Za-z0-9]{36,255}(?![A-Za-z0-9_])"), "high"),
    ("GitHub fine-grained token", ("github_pat_",),
     re.compile(r"(?<![A-Za-z0-9_])github_pat_[A-Za-z0-9_]{60,255}"), "high"),
    ("GitLab token", ("glpat-",),
     re.compile(r"(?<![A-Za-z0-9_])glpat-[A-Za-z0-9_\-]{20,}"), "high"),
    ("Slack token", ("xoxa-", "xoxb-", "xoxp-", "xoxr-", "xoxs-"),
     re.compile(r"(?<![A-Za-z0-9_])xox[abprs]-[0-9]{6,}-[A-Za-z0-9-]{8,}"), "high"),
    ("Slack webhook", ("hooks.slack.com",),
     re.compile(r"hooks\.slack\.com/services/T[A-Z0-9]{6,}/B[A-Z0-9]{6,}/[A-Za-z0-9]{16,}"), "medium"),
    ("Stripe live key", ("k_live_",),
     re.compile(r"(?<![A-Za-z0-9_])[sr]k_live_[A-Za-z0-9]{20,}"), "high"),
    ("Google API key", ("AIza",),
     re.compile(r"(?<![A-Za-z0-9_\-])AIza[0-9A-Za-z_\-]{35}(?![A-Za-z0-9_\-])"), "high"),
    ("Anthropic API key", ("sk-ant-",),
     re.compile(r"(?<![A-Za-z0-9_\-])sk-ant-[A-Za-z0-9_\-]{32,}"), "high"),
    ("OpenAI API key", ("sk-",),
     re.compile(
        r"(?<![A-Za-z0-9_\-])sk-(?:proj-|svcacct-|admin-)?(?!ant-)[A-Za-z0-9_\-]{32,}(?![A-Za-z0-9_\-])"), "high"),
    ("JSON Web Token", ("eyJ",),
     re.compile(r"(?<![A-Za-z0-9_\-])eyJ[A-Za-z0-9_\-]{10,}\.eyJ[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_\-]{16,}"),
     "medium"),
)

PASSWORD = re.compile(
    r"(?i)(?<![A-Za-z0-9])(pass(?:word|wd)?|pwd|secret(?:_?key)?|api[_-]?key|access[_-]?key|auth[_-]?token|"
    r"private[_-]?token|client[_-]?secret)[\"']?\s*[:=]\s*[\"']?([^\s\"',;#]{8,})")


def detect(ctx, view) -> None:
    """Report credentials written into files, quieting placeholders and documentation examples."""
    text = view.text
    if ctx.wants("private-key-in-source") and "PRIVATE KEY" in text:
        _private_keys(ctx, view)
    if ctx.wants("cloud-access-key") and (view.has_any(AWS_PREFIXES) or "secret" in view.lower):
        _aws(ctx, view)
    if ctx.wants("api-token-in-source"):
        _tokens(ctx, view)
    if ctx.wants("password-in-config") and view.config:
        _passwords(ctx, view)


def _private_keys(ctx, view) -> None:
    text = view.text
    for m in PRIVATE_KEY.finditer(text):
        if not KEY_BODY.match(text, m.end()):
            continue  # a header quoted in documentation or a parser, with no key after it
        kind = (m.group(1) or "").strip() or "PKCS#8"
        view.emit("private-key-in-source", m.start(), m.end(),
                  message=f"{kind} private key written into the file: anyone with the source holds the key")


def _aws(ctx, view) -> None:
    text = view.text
    ids = [m for m in AWS_KEY_ID.finditer(text) if not is_placeholder(m.group())] \
        if view.has_any(AWS_PREFIXES) else []
    secrets = [m for m in (AWS_SECRET.finditer(text) if "secret" in view.lower else ())
               if not is_placeholder(m.group(1)) and shannon_entropy(m.group(1)) > 4.0
               and re.search(r"[A-Z]", m.group(1)) and re.search(r"[a-z]", m.group(1)) and re.search(r"\d", m.group(1))]
    for m in ids:
        line = view.position(m.start())[0]
        paired = any(abs(view.position(s.start(1))[0] - line) <= 5 for s in secrets)
        kind = "temporary (STS) " if m.group().startswith("ASIA") else ""
        view.emit("cloud-access-key", m.start(), m.end(), severity="critical" if paired else "high",
                  message=f"AWS {kind}access key id {m.group()[:8]}…"
                          + (" with its secret access key next to it" if paired else " written into the file"))
    for s in secrets:
        view.emit("cloud-access-key", s.start(1), s.end(1), severity="critical",
                  message="AWS secret access key (40 characters) written into the file")


def _tokens(ctx, view) -> None:
    text = view.text
    for name, needles, pattern, severity in TOKENS:
        if not view.has_any(needles):
            continue
        for m in pattern.finditer(text):
            value = m.group()
            if is_placeholder(value) or _low_variety(value):
                continue
            view.emit("api-token-in-source", m.start(), m.end(), severity=severity,
                      message=f"{name} ({value[:10]}…) written into the file: whoever reads the source can use it")


def _passwords(ctx, view) -> None:
    for m in PASSWORD.finditer(view.text):
        value = m.group(2)
        if is_placeholder(value) or value.startswith(("$", "%", "{", "(", "!", "@", "env:", "ENC[", "vault:")):
            continue
        if shannon_entropy(value) < 3.0 or not re.search(r"[A-Za-z]", value) or not re.search(r"[\d\W_]", value):
            continue
        view.emit("password-in-config", m.start(2), m.end(2),
                  message=f"{m.group(1)} set to a literal value in a configuration file; keep secrets in a secret store")


def _low_variety(value: str) -> bool:
    """Tokens made of few distinct characters (aaaa…, 0000…) are placeholders, not secrets."""
    body = value.split("_", 1)[-1].split("-", 1)[-1]
    return len(set(body)) < 8 or not re.search(r"\d", body) and not re.search(r"[A-Z]", body)
