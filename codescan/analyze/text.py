"""Language-agnostic text detectors: hidden Unicode, look-alike names, secrets, encoded blobs, prompt injection, miners."""
from __future__ import annotations

from . import blobs, confusables, env_fallback, manifests, miners, powershell, prompt_injection, secrets, unicode_hidden
from . import windows_scripts
from .guard import stage
from .textview import TextView

# Each family does one cheap test of the whole document before any detailed work.
DETECTORS = (unicode_hidden.detect, confusables.detect, secrets.detect, env_fallback.detect, blobs.detect,
             prompt_injection.detect, miners.detect)
RULE_IDS = frozenset((
    "bidi-control-character", "invisible-character", "unicode-tag-characters", "variation-selector-payload",
    "mixed-script-identifier", "confusable-identifier", "private-key-in-source", "cloud-access-key",
    "api-token-in-source", "password-in-config", "encoded-blob", "high-entropy-literal", "prompt-injection",
    "insecure-agent-instruction", "secret-env-fallback", "crypto-miner-configured",
))


def detect(ctx, tree) -> None:
    """Run every text detector over ctx.text (tree is the parse, or None), emitting through ctx.emit."""
    with stage(ctx, "manifests"):
        manifests.detect(ctx)  # manifests, build files and workflows; guarded by its own rule ids
    language = ctx.kind.language if ctx.kind is not None else None
    if language == "powershell":
        with stage(ctx, "powershell"):
            powershell.detect(ctx)
    elif language in ("batch", "vbscript"):
        with stage(ctx, "windows scripts"):
            windows_scripts.detect(ctx)
    if not RULE_IDS & ctx.rules.keys():
        return
    view = TextView(ctx, tree)
    for detector in DETECTORS:
        with stage(ctx, f"{getattr(detector, '__module__', '').rsplit('.', 1)[-1]} detector"):
            detector(ctx, view)
