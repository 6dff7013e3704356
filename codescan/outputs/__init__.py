"""Output formats: one `write(result, stream)` function per name."""
from __future__ import annotations

from . import json as json_out
from . import sarif as sarif_out
from . import text as text_out

FORMATS = {
    "text": text_out.write,
    "json": json_out.write,
    "jsonl": json_out.write_lines,
    "sarif": sarif_out.write,
}
