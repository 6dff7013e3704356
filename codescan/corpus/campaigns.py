"""The campaign stage of a corpus filter: near-duplicate clustering over every record of every shard."""
from __future__ import annotations

from collections import defaultdict
from typing import Iterable, Iterator

from ..errors import CodescanError
from ..records import Document
from .analysis import Counts, shard_documents
from .records import Fields
from .shards import Shard


def parse_key(path: str) -> tuple[str, int] | None:
    """`<shard>#<row>.<part>` (a part Document's path) → (shard, row); None for any other path."""
    shard, sep, rest = path.rpartition("#")
    row, dot, part = rest.partition(".")
    if not sep or not dot or not row.isdigit() or not part.isdigit():
        return None
    return shard, int(row)


def all_documents(shards: Iterable[Shard], fields: Fields) -> Iterator[Document]:
    for shard in shards:
        yield from shard_documents(shard, fields, {}, Counts())


def campaigns_api():
    try:
        from ..cluster.api import campaigns_from_documents
    except ImportError as exc:
        raise CodescanError(f"campaign clustering is not available ({exc}); run with --no-campaigns") from None
    return campaigns_from_documents


def corpus_campaigns(shards: list[Shard], fields: Fields, **opts) -> tuple[list[dict], dict]:
    """(campaign dicts, {(shard, row): campaign ids}) over the whole input."""
    found = campaigns_api()(all_documents(shards, fields), **opts)
    return membership(found)


def membership(found) -> tuple[list[dict], dict]:
    """Campaign dicts whose members name their shard and row, and each record's campaign ids (sorted)."""
    dicts: list[dict] = []
    members: dict[tuple[str, int], set] = defaultdict(set)
    for campaign in found:
        data = campaign.to_dict() if hasattr(campaign, "to_dict") else dict(campaign)
        for member in data.get("members", ()):
            key = parse_key(member.get("path") or "")
            if key is None:
                continue
            member["shard"], member["row"] = key
            members[key].add(data["id"])
        dicts.append(data)
    return dicts, {key: tuple(sorted(ids)) for key, ids in members.items()}
