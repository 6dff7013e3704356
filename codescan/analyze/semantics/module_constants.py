"""Integer constants of standard-library modules that rules judge by value: the permission bits of `stat`
(`os.chmod(p, stat.S_IRWXU | stat.S_IRWXG | stat.S_IRWXO)` is mode 0o777). Read as data, never imported."""
from __future__ import annotations

from .facts import Value

_STAT_BITS = {"S_ISUID": 0o4000, "S_ISGID": 0o2000, "S_ISVTX": 0o1000,
              "S_IRWXU": 0o700, "S_IRUSR": 0o400, "S_IWUSR": 0o200, "S_IXUSR": 0o100,
              "S_IRWXG": 0o070, "S_IRGRP": 0o040, "S_IWGRP": 0o020, "S_IXGRP": 0o010,
              "S_IRWXO": 0o007, "S_IROTH": 0o004, "S_IWOTH": 0o002, "S_IXOTH": 0o001,
              "S_IREAD": 0o400, "S_IWRITE": 0o200, "S_IEXEC": 0o100}
MODULE_INTS = {f"{module}.{bit}": value for module in ("stat", "_stat") for bit, value in _STAT_BITS.items()}


def module_constant(name: str | None) -> Value | None:
    """The Value of a canonical name that is one of these constants (its name kept), else None."""
    value = MODULE_INTS.get(name) if name else None
    return Value(value, name=name) if value is not None else None
