"""Shell scripts inside Dockerfiles and workflows keep the host document's line numbers."""
from __future__ import annotations

from codescan.analyze import embedded_shell, languages


def test_workflow_literal_block_and_one_line_steps_map_to_their_lines_folded_ones_are_left_out():
    text = ("on: push\n"
            "jobs:\n"
            "  a:\n"
            "    steps:\n"
            "      - run: |\n"
            "          echo one\n"
            "          echo two\n"
            "      - run: echo three\n"
            "      - run: >\n"
            "          echo folded\n")
    got = list(embedded_shell.bodies("yaml", "workflow", text, None))
    assert [offset for offset, _body in got] == [5, 7]
    lines = text.split("\n")
    for offset, body in got:  # script line 1 is document line offset + 1 (index offset), at the same column
        first = body.decode().split("\n")[0]
        assert first.strip() and lines[offset].endswith(first.strip())
        assert lines[offset].index(first.strip()) == len(first) - len(first.lstrip()) or offset == 5


def test_dockerfile_run_lines_with_continuations_keep_lines_and_columns():
    text = "FROM x\nRUN a && \\\n    b\nCMD [\"c\"]\n"
    tree = languages.parser("dockerfile").parse(text.encode())
    got = list(embedded_shell.bodies("dockerfile", None, text, tree))
    assert len(got) == 1
    offset, body = got[0]
    assert offset == 1 and body.decode() == "    a && \\\n    b"


def test_other_files_hold_no_scripts():
    assert list(embedded_shell.bodies("python", None, "run = 1\n", None)) == []
    assert list(embedded_shell.bodies("yaml", None, "run: echo hi\n", None)) == []
