"""path-from-request-input: an in-memory file object (io.BytesIO) given to send_file names no file on disk."""
from __future__ import annotations

from pathlib import Path

from test_fact_severity import _by_line

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures/rules/python/path-from-request-input/send_file_buffer.py"


def test_a_bytesio_of_request_data_is_low_a_path_from_the_request_stays_high():
    assert _by_line("path-from-request-input", "handlers.py", FIXTURE.read_text()) == {
        16: "low", 22: "low", 27: "high"}
