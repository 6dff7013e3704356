"""`codescan campaigns --format json` written a campaign at a time: the bytes json.dump(campaign.document(...),
indent=2) gives, without holding every campaign's dict at once."""
from __future__ import annotations

import json
from typing import Iterable, TextIO

from ..records import SCHEMA_VERSION


def write_campaigns_json(campaigns: Iterable, stream: TextIO) -> None:
    """The campaigns document (no trailing newline, as json.dump writes it)."""
    stream.write('{\n  "schema_version": ' + json.dumps(SCHEMA_VERSION) + ',\n  "campaigns": [')
    first = True
    for campaign in campaigns:
        text = json.dumps(campaign.to_dict(), indent=2)  # strings hold no raw newline: lines are JSON lines
        stream.write(("\n" if first else ",\n") + "\n".join("    " + line for line in text.split("\n")))
        first = False
    stream.write("]\n}" if first else "\n  ]\n}")
