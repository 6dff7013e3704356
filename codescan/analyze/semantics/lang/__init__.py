"""Language adapters: each turns one parsed tree into semantic facts (see docs/semantics.md)."""
