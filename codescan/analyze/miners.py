"""A crypto-miner set up in configuration (deployment manifests, compose files, miner config files): a miner program or
its tuning options together with a mining pool or a wallet. Code is cryptominer-started's (a fact rule on process starts)."""
from __future__ import annotations

import re

RULE = "crypto-miner-configured"

# Each kind of evidence alone is ordinary (a process-killer lists miner names, a wallet validator holds an address,
# an article names the protocol); a miner needs a program or its options *and* somewhere to mine to.
_KINDS = (
    ("pool", re.compile(r"(?i)\bstratum\d?\+(?:tcp|ssl|tls|tcps|ws|wss)://[\w.-]+(?::\d+)?")),
    # Monero: 95 base58 characters starting 4 (address) or 8 (subaddress); 106 for an integrated address
    ("wallet", re.compile(r"(?<![1-9A-HJ-NP-Za-km-z])[48][0-9AB][1-9A-HJ-NP-Za-km-z]{93}(?:[1-9A-HJ-NP-Za-km-z]{11})?"
                          r"(?![1-9A-HJ-NP-Za-km-z])")),
    ("program", re.compile(r"(?i)(?<![\w-])(?:xmrig(?:-notls|-cuda)?|xmr-stak(?:-rx|-cpu)?|cpuminer(?:-multi|-opt)?"
                           r"|minerd|ccminer|t-rex|nbminer|lolminer|phoenixminer|ethminer|gminer|srbminer(?:-multi)?"
                           r"|nanominer|teamredminer|bzminer)(?![\w-])")),
    ("options", re.compile(r"(?i)(?:--|\")donate-level\b|--cpu-max-threads-hint\b|--randomx-(?:1gb-pages|mode|no-numa)\b"
                           r"|--coin[= ](?:monero|xmr)\b|(?:-a|--algo)[= ](?:rx/0|randomx|cn/r|cryptonight|kawpow"
                           r"|ethash|autolykos2?)\b")),
)
_DOC = frozenset((".md", ".markdown", ".mdx", ".rst", ".txt", ".adoc", ".html", ".htm"))


def detect(ctx, view) -> None:
    """Report a file that holds a miner program or its options and a pool endpoint or a wallet to mine to."""
    if not ctx.wants(RULE) or view.code or view.agent_rules or not view.has_any(("stratum", "miner", "xmr", "donate-level", "threads-hint",
                                                "randomx", "--coin", "--algo", "rx/0"), lower=True):
        return
    text = view.text
    found = {kind: rx.search(text) for kind, rx in _KINDS}
    runs = found["program"] or found["options"]
    target = found["pool"] or found["wallet"]
    if not (runs and target):
        return
    evidence = ", ".join(f"{kind} {m.group()[:40]!r}" for kind, m in found.items() if m)
    severity = "medium" if view.suffix in _DOC else "high"
    view.emit(RULE, target.start(), target.end(), severity=severity,
              message=f"a crypto-miner is configured to run here ({evidence}): it spends the host's CPU/GPU for "
                      "whoever owns the wallet")
