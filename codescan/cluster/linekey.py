"""A line fingerprint names its kind of line in its own low bits (plain 0, comment stem 1, URL 2, sentence 3), so a
crawl state keeps every line unit as a key alone, with no row (state/unitstore.unit_key)."""
from __future__ import annotations

STEM, URL, PROSE = "stem", "url", "prose"  # the named line units (units.py, textmarks.py)
NAMES = (None, STEM, URL, PROSE)
CODES = {name: code for code, name in enumerate(NAMES)}
BITS = 3  # 61 bits of hash are left: two distinct lines share a fingerprint with probability 2^-61
MASK = (1 << BITS) - 1
_HIGH = ((1 << 64) - 1) ^ MASK


def mark(h: int, name: str | None) -> bytes:
    """The 8-byte fingerprint of a line unit: the hash `h` (unsigned 64-bit) with `name`'s code in its low bits."""
    return ((h & _HIGH) | CODES[name]).to_bytes(8, "little")


def named(signature: bytes, name: str | None) -> bool:
    """Whether a line's 8-byte fingerprint carries `name` (every line extract() makes; not a version-7 state's)."""
    return name in CODES and len(signature) == 8 and signature[0] & MASK == CODES[name]


def name_of(key: int) -> str | None:
    """The name a fingerprint (or the state key it is, signed) carries."""
    code = key & MASK
    return NAMES[code] if code < len(NAMES) else None
