"""`codescan filter INPUT... --output DIR`: keep clean records of JSONL/Parquet shards, report and sign the rest."""
from __future__ import annotations

import sys

from .common import EXIT_CLEAN, UsageError, csv
from .settings import config_from_args, selected_rules

NAME = "filter"


def register(sub) -> None:
    p = sub.add_parser("filter", help="filter dataset shards (JSONL, Parquet) into kept shards and a drop report",
                       description="Scan every record of .jsonl, .jsonl.gz, .jsonl.zst and .parquet shards and write "
                       "the kept records in the same format and layout (DIR/kept), a drop report with reasons "
                       "(DIR/drop-report.json) and a tamper-evident manifest (DIR/manifest.json).")
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="shard files, folders or globs")
    p.add_argument("--output", "-o", required=True, metavar="DIR")
    p.add_argument("--content-field", default="content", metavar="NAME", help="the code column (default: content)")
    p.add_argument("--id-field", metavar="NAME", help="record id column (default: `id` when present, else row)")
    p.add_argument("--path-field", metavar="NAME", help="file path column (e.g. max_stars_repo_path)")
    p.add_argument("--lang-field", metavar="NAME", help="language column (e.g. lang)")
    p.add_argument("--repo-field", metavar="NAME", help="repository name column, used by campaigns")
    p.add_argument("--drop-on", action="append", metavar="LIST",
                   help="severities (lowest named = threshold), categories, rule ids, `campaign`, `opaque` (binary "
                        "data that is not text where code is read), `skipped` (any record not fully analyzed, opaque "
                        "ones included) or `none` (default: high,campaign,opaque)")
    p.add_argument("--write-dropped", action="store_true", help="also write dropped records to DIR/dropped")
    p.add_argument("--no-campaigns", action="store_true", help="skip near-duplicate campaign clustering")
    p.add_argument("--campaign-min-score", type=float, metavar="SCORE",
                   help="with `campaign` in --drop-on, drop the members of campaigns scoring at least this (0-100; "
                        "default 50) or whose copies hold a finding the policy drops on; other campaigns (shared, "
                        "vendored, boilerplate code) are reported, not dropped")
    p.add_argument("--engine", choices=("local", "ray"), default="local")
    p.add_argument("--sign-key", metavar="FILE", help="sign the manifest: Ed25519 PEM private key or HMAC secret")
    p.add_argument("--rules", action="append", metavar="DIR", help="add a folder (or file) of rules")
    p.add_argument("--no-builtin-rules", action="store_true")
    p.add_argument("--select", action="append", metavar="IDS", help="only these rule ids or categories")
    p.add_argument("--ignore", action="append", metavar="IDS", help="not these rule ids or categories")
    p.add_argument("-j", "--jobs", type=int, default=None, metavar="N", help="worker processes / Ray CPUs")
    p.add_argument("--config", metavar="FILE", help="TOML file with codescan settings")
    p.add_argument("--max-file-size", type=int, metavar="BYTES")
    p.add_argument("--file-timeout", type=float, metavar="SECONDS")
    p.add_argument("--max-memory", type=int, metavar="MIB",
                    help="address space per worker process (MiB); a file needing more fails alone "
                         "(default: three quarters of the machine shared by the workers, 2-8 GiB)")
    p.add_argument("--no-progress", action="store_true")


def run(args) -> int:
    from ..corpus.job import FilterJob, run as run_job
    from ..corpus.output import unfinished
    from ..corpus.policy import CAMPAIGN_MIN_SCORE, parse_drop_on
    from ..corpus.records import Fields

    cfg = config_from_args(args, honour_suppressions=False)  # corpora are third-party: suppressions do not count
    _, ruleset = selected_rules(cfg, args)
    min_score = CAMPAIGN_MIN_SCORE if args.campaign_min_score is None else args.campaign_min_score
    if not 0 <= min_score <= 100:
        raise UsageError("--campaign-min-score must be between 0 and 100")
    policy = parse_drop_on(csv(args.drop_on), frozenset(ruleset.by_id()), campaigns=not args.no_campaigns,
                           campaign_min_score=min_score)
    fields = Fields(args.content_field, args.id_field, args.path_field, args.lang_field, args.repo_field)
    job = FilterJob(tuple(args.inputs), args.output, fields, policy, campaigns=not args.no_campaigns,
                    write_dropped=args.write_dropped, sign_key=args.sign_key, engine=args.engine,
                    progress=not args.no_progress and sys.stderr.isatty())
    if unfinished(args.output):
        print(f"codescan: {args.output} holds an unfinished filter run (killed or interrupted); replacing it",
              file=sys.stderr)
    summary = run_job(job, ruleset, cfg)
    stats = summary["stats"]
    print(f"{summary['records']} records in {summary['shards']} shard(s): {summary['kept']} kept, "
          f"{summary['dropped']} dropped, {summary['kept_with_findings']} kept with findings below the policy, "
          f"{summary['campaigns']} campaign(s), {summary['campaigns_dropped']} dropped; {stats['seconds']['total']:.2f} s ({stats['docs_per_s']} docs/s, "
          f"{stats['mb_per_s']} MB/s, engine {stats['engine']})", file=sys.stderr)
    print(f"kept shards: {summary['output']}/kept; report: {summary['output']}/drop-report.json; manifest: "
          f"{summary['output']}/manifest.json", file=sys.stderr)
    return EXIT_CLEAN
