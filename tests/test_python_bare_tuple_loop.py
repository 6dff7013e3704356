"""`for editor in "sensible-editor", "vim", "nano":` (a tuple written without parentheses, pdm's config command)
binds one of the constants, as the parenthesized tuple does: `os.system(f"which {editor} ...")` is the constants-only
low case; a bare tuple holding a parameter or the environment keeps the command high."""
from __future__ import annotations

from severity_lines import by_line

TEXT = ("import os\n"
        "def get_editor(user_choice):\n"
        "    for editor in \"sensible-editor\", \"vim\", \"nano\":\n"
        "        if os.system(f\"which {editor} >/dev/null 2>&1\") == 0:\n"
        "            return editor\n"
        "    for editor in \"vim\", user_choice:\n"
        "        os.system(f\"which {editor}\")\n"
        "    for editor in \"vi\", os.environ.get(\"EDITOR\"):\n"
        "        os.system(\"which \" + editor)\n")


def test_a_bare_tuple_of_constants_is_low_one_with_data_stays_high():
    assert by_line("os-system-built-command", TEXT, "config.py") == {4: "low", 7: "high", 9: "high"}
