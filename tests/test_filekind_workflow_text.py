"""A GitHub Actions workflow kept outside .github/workflows (a dataset record, a template folder) is read as one."""
from __future__ import annotations

from codescan.analyze import filekind
from codescan.analyze.document import Analyzer
from codescan.config import Config
from codescan.records import Document
from codescan.rules import load_rules

PWN = ("name: label\non:\n  pull_request_target:\n    types: [opened]\njobs:\n  triage:\n"
       "    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n        with:\n"
       "          ref: ${{ github.event.pull_request.head.sha }}\n      - run: npm ci && npm test\n")


def test_workflow_text_under_another_name_gets_the_workflow_role():
    assert filekind.classify("templates/label.yml", PWN).role == "workflow"
    assert filekind.classify("ci/reusable.yaml", "on:\n  workflow_call:\njobs:\n  a:\n    uses: o/r/.github/x.yml@v1\n")\
        .role == "workflow"


def test_other_yaml_with_an_on_key_or_a_jobs_key_is_not_a_workflow():
    assert filekind.classify("k8s/cron.yaml", "apiVersion: batch/v1\nkind: CronJob\nspec:\n  jobs: 3\n").role is None
    assert filekind.classify("config.yml", "on: true\nretries: 3\n").role is None
    assert filekind.classify("notes.yml", "on: push\njobs:\n- build\n- test\n").role is None


def test_a_pull_request_target_checkout_is_reported_in_a_workflow_kept_elsewhere():
    analysis = Analyzer(load_rules(), Config()).analyze(Document(path="examples/label.yml", content=PWN.encode()))
    assert any(f.rule_id == "gha-pull-request-target-checkout" and f.line == 11 for f in analysis.findings)
