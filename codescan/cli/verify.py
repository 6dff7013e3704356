"""`codescan verify MANIFEST DIR`: exit 0 when DIR holds exactly the documents the manifest lists, else say which."""
from __future__ import annotations

import json
import sys

from .common import EXIT_CLEAN, EXIT_FINDINGS

NAME = "verify"


def register(sub) -> None:
    p = sub.add_parser("verify", help="check filtered shards against their manifest",
                       description="Recompute every document's SHA-256, the shard digests and the Merkle root; report "
                       "changed, added, removed and reordered documents (exit 1), and check the signature with --key.")
    p.add_argument("manifest", metavar="MANIFEST")
    p.add_argument("root", metavar="DIR", help="the filter's output folder, or the folder holding the kept shards "
                   "(its DIR/kept)")
    p.add_argument("--key", metavar="FILE", help="HMAC secret or Ed25519 PEM public key the manifest was signed with")
    p.add_argument("--format", "-f", choices=("text", "json"), default="text")


def run(args) -> int:
    from ..corpus.verify import verify

    outcome = verify(args.manifest, _kept_folder(args.manifest, args.root), args.key)
    if args.format == "json":
        json.dump(outcome.to_dict(), sys.stdout, indent=1)
        sys.stdout.write("\n")
    else:
        for problem in outcome.problems:
            print(problem.line())
        state = "OK" if outcome.ok else f"FAILED ({len(outcome.problems)} problem(s))"
        print(f"{state}: {outcome.documents} documents in {outcome.shards} shard(s); signature {outcome.signature}")
    return EXIT_CLEAN if outcome.ok else EXIT_FINDINGS


def _kept_folder(manifest: str, root: str) -> str:
    """The filter's output folder (the one holding the manifest) stands for its kept shards' folder."""
    from pathlib import Path

    folder, listed = Path(root), Path(manifest)
    try:
        same = listed.parent.resolve() == folder.resolve()
        kept = json.loads(listed.read_text(encoding="utf-8")).get("root") if same else None
    except (OSError, ValueError, AttributeError):
        return root
    if isinstance(kept, str) and kept and (folder / kept).is_dir():
        return str(folder / kept)
    return root
