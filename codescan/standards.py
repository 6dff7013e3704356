"""What each finding category evidences in CWE, OWASP LLM Top 10, NIST AI RMF and NIST CSF (data in data/standards.yaml)."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from .errors import CodescanError
from .records import CATEGORIES

STANDARDS_FILE = Path(__file__).with_name("data") / "standards.yaml"
FRAMEWORKS = ("owasp_llm", "nist_ai_rmf", "nist_csf")
# The short tag prefix each framework gets in SARIF tags (e.g. "owasp-llm-2025/LLM04").
TAG_PREFIX = {"owasp_llm": "owasp-llm-2025", "nist_ai_rmf": "nist-ai-rmf", "nist_csf": "nist-csf-2.0"}


@dataclass(frozen=True, slots=True)
class Mapping:
    """One category's place in the standards: CWE ids and the framework item ids it evidences."""

    category: str
    cwe: tuple[str, ...]
    owasp_llm: tuple[str, ...]
    nist_ai_rmf: tuple[str, ...]
    nist_csf: tuple[str, ...]

    def items(self, framework: str) -> tuple[str, ...]:
        return getattr(self, framework)

    def tags(self) -> list[str]:
        """SARIF-style tags, e.g. owasp-llm-2025/LLM04, nist-csf-2.0/PR.DS-01 (spaces become hyphens)."""
        return [f"{TAG_PREFIX[fw]}/{item.replace(' ', '-')}" for fw in FRAMEWORKS for item in self.items(fw)]

    def to_dict(self) -> dict:
        return {"cwe": list(self.cwe), **{fw: list(self.items(fw)) for fw in FRAMEWORKS}}


@dataclass(frozen=True, slots=True)
class Standards:
    """The whole mapping: framework titles, item titles and one Mapping per category."""

    titles: dict[str, str]
    items: dict[str, dict[str, str]]
    categories: dict[str, Mapping]

    def for_category(self, category: str) -> Mapping:
        return self.categories.get(category) or Mapping(category, (), (), (), ())

    def item_title(self, framework: str, item: str) -> str:
        return self.items.get(framework, {}).get(item, "")


class StandardsError(CodescanError):
    """The standards file is missing a category, names an unknown item, or is not valid YAML."""


def parse(data: object, where: str = "standards.yaml") -> Standards:
    """Validate the mapping: every category present, every item id declared under frameworks."""
    if not isinstance(data, dict) or not isinstance(data.get("frameworks"), dict) \
            or not isinstance(data.get("categories"), dict):
        raise StandardsError(f"{where}: needs 'frameworks' and 'categories' mappings")
    titles, items = {}, {}
    for fw in FRAMEWORKS:
        spec = data["frameworks"].get(fw)
        if not isinstance(spec, dict) or not isinstance(spec.get("items"), dict):
            raise StandardsError(f"{where}: frameworks.{fw} needs a title and items")
        titles[fw] = str(spec.get("title", fw))
        items[fw] = {str(k): str(v) for k, v in spec["items"].items()}
    missing = [c for c in CATEGORIES if c not in data["categories"]]
    unknown = [c for c in data["categories"] if c not in CATEGORIES]
    if missing or unknown:
        raise StandardsError(f"{where}: categories missing {missing} / unknown {unknown}")
    categories = {}
    for cat, entry in data["categories"].items():
        fields = {}
        for key in ("cwe", *FRAMEWORKS):
            values = entry.get(key) if isinstance(entry, dict) else None
            if not isinstance(values, list) or not values:
                raise StandardsError(f"{where}: {cat}.{key} must be a non-empty list")
            if key != "cwe":
                undeclared = [v for v in values if v not in items[key]]
                if undeclared:
                    raise StandardsError(f"{where}: {cat}.{key} names undeclared {undeclared}")
            fields[key] = tuple(str(v) for v in values)
        categories[cat] = Mapping(cat, **fields)
    return Standards(titles, items, categories)


@lru_cache(maxsize=1)
def load() -> Standards:
    """The shipped mapping (read once; the result is frozen)."""
    try:
        data = yaml.safe_load(STANDARDS_FILE.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise StandardsError(f"{STANDARDS_FILE}: cannot read: {exc}") from None
    return parse(data, str(STANDARDS_FILE))
