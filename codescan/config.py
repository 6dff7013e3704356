"""One frozen configuration, from [tool.codescan] in pyproject.toml or --config, overridden by flags."""
from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .records import SEVERITIES
from .errors import CodescanError


class ConfigError(CodescanError, ValueError):
    """A configuration that cannot be used; the message says which key and why."""


@dataclass(frozen=True, slots=True)
class Config:
    fail_on: str = "high"
    max_file_size: int = 2_000_000  # bytes; larger files are reported as skipped
    file_timeout: float = 10.0  # CPU seconds of analysis per file (per 512 kB above that size) before it is cut short
    rules: tuple[str, ...] = ()  # extra rule folders or files
    select: tuple[str, ...] = ()  # rule ids or categories to keep (empty: all)
    ignore: tuple[str, ...] = ()  # rule ids or categories to drop
    exclude: tuple[str, ...] = ()  # glob patterns of paths not to scan
    honour_suppressions: bool = True  # inline `codescan: ignore[...]` in trusted (own) code
    jobs: int = 0  # worker processes; 0 = one per core
    max_memory: int = 0  # MiB of address space per worker process; 0 = sized to the machine
    strict: bool = False  # any skipped file fails the run

    def replace(self, **changes) -> "Config":
        return dataclasses.replace(self, **changes)


_FIELDS = {f.name: f for f in dataclasses.fields(Config)}


def _coerce(key: str, value, where: str):
    default = _FIELDS[key].default
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise ConfigError(f"{where}: {key} must be true or false")
        return value
    if isinstance(default, tuple):
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{where}: {key} must be a list of strings")
        return tuple(value)
    if isinstance(default, (int, float)):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise ConfigError(f"{where}: {key} must be a non-negative number")
        return type(default)(value)
    if not isinstance(value, str):
        raise ConfigError(f"{where}: {key} must be a string")
    return value


def from_mapping(data: dict, where: str) -> Config:
    unknown = sorted(k for k in data if k.replace("-", "_") not in _FIELDS)
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {', '.join(unknown)}; known: {', '.join(sorted(_FIELDS))}")
    values = {k.replace("-", "_"): _coerce(k.replace("-", "_"), v, where) for k, v in data.items()}
    if values.get("fail_on", "high") not in SEVERITIES + ("none",):
        raise ConfigError(f"{where}: fail_on must be one of {', '.join(SEVERITIES)} or none")
    return Config(**values)


def load(config_path: str | None = None, start: Path | None = None) -> Config:
    """Read --config FILE, or [tool.codescan] from the nearest pyproject.toml at or above `start` (the scanned
    PATH; default: the current folder); defaults otherwise. A pyproject.toml that is not valid TOML is an error."""
    if config_path:
        path = Path(config_path)
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: cannot read: {exc}") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: not valid TOML: {exc}") from None
        section = data.get("tool", {}).get("codescan", data)
        return from_mapping(section, str(path))
    here = (start or Path.cwd()).resolve()
    if here.is_file() or not here.exists():
        here = here.parent
    for folder in (here, *here.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            try:
                data = tomllib.loads(candidate.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError) as exc:
                raise ConfigError(f"{candidate}: cannot read: {exc} (codescan reads [tool.codescan] from it; "
                                  "fix it or pass --config)") from None
            except tomllib.TOMLDecodeError as exc:
                raise ConfigError(f"{candidate}: not valid TOML: {exc} (codescan reads [tool.codescan] from it; "
                                  "fix it or pass --config)") from None
            section = data.get("tool", {}).get("codescan")
            return from_mapping(section, f"{candidate} [tool.codescan]") if section else Config()
    return Config()
