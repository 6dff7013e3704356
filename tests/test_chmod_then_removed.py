"""A file made world-writable right before the next statements delete it or replace it (SCons: `os.chmod(sconsign,
0o666); os.unlink(sconsign)`; dblite: chmod 0o777 in a try, then `os.replace(tmp, file_name)`) is low: the mode never
stays. Renamed away (the file lives on elsewhere), another path removed, or nothing after: still high."""
from __future__ import annotations

from severity_lines import by_line

TEXT = ("import os\n"
        "def clear(sconsign, tmp):\n"
        "    try:\n"
        "        os.chmod(sconsign, 0o666)\n"
        "        os.unlink(sconsign)\n"
        "    except OSError:\n"
        "        pass\n"
        "    try:\n"
        "        os.chmod(sconsign, 0o777)\n"
        "    except PermissionError:\n"
        "        pass\n"
        "    os.replace(tmp, sconsign)\n"
        "def keep(path, other, dest):\n"
        "    os.chmod(path, 0o777)\n"
        "    os.rename(path, dest)\n"
        "    os.chmod(path, 0o666)\n"
        "    os.remove(other)\n"
        "    os.chmod(dest, 0o777)\n"
        "    os.chmod(other, 0o600)\n"
        "    os.remove(other)\n")


def test_world_writable_only_until_deleted_or_replaced_is_low_kept_files_stay_high():
    assert by_line("world-writable-permissions", TEXT, "SConsign.py") == {4: "low", 9: "low", 14: "high", 16: "high",
                                                                         18: "high"}
