"""External engines fenced off from the core analyzer (semgrep: batched, time- and memory-bound)."""
