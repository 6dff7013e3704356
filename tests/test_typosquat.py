"""Typosquat and known-malicious name checks against the shipped package lists."""
from __future__ import annotations

import pytest

from codescan.analyze import typosquat


@pytest.mark.parametrize("ecosystem, name, target", [
    ("pypi", "reqeusts", "requests"),       # transposition
    ("pypi", "requestss", "requests"),      # insertion
    ("pypi", "python-dateutl", "python-dateutil"),
    ("pypi", "pythondateutil", "python-dateutil"),  # separators dropped
    ("pypi", "c0lorama", "colorama"),       # digit for letter
    ("npm", "expresss", "express"),
    ("npm", "loadsh", "lodash"),
    ("crates", "tokoi", "tokio"),
    ("crates", "serde-jsn", "serde-json"),
])
def test_typosquats_name_their_target(ecosystem, name, target):
    match = typosquat.check(ecosystem, name)
    assert match is not None and match.kind == "typosquat" and match.target == target


@pytest.mark.parametrize("ecosystem, name", [
    ("pypi", "requests"), ("pypi", "Flask_SQLAlchemy"), ("pypi", "my-internal-lib"), ("pypi", "six"),
    ("pypi", "boto"), ("npm", "express"), ("npm", "@types/node"), ("npm", "left-pad-ng"),
    ("crates", "serde_json"), ("go", "github.com/stretchr/testify"), ("pypi", "numpyro-extras"),
])
def test_real_names_pass(ecosystem, name):
    assert typosquat.check(ecosystem, name) is None


@pytest.mark.parametrize("ecosystem, name", [
    ("pypi", "colourama"), ("pypi", "TorchTriton"), ("npm", "crossenv"), ("npm", "flatmap-stream"),
    ("crates", "rustdecimal"), ("go", "github.com/boltdb-go/bolt"),
])
def test_known_malicious_names(ecosystem, name):
    match = typosquat.check(ecosystem, name)
    assert match is not None and match.kind == "malicious" and match.target


def test_short_names_need_an_exact_lookalike():
    assert typosquat.allowed_edits(4) == 0 and typosquat.allowed_edits(6) == 1 and typosquat.allowed_edits(12) == 2
    assert typosquat.check("npm", "qsx") is None


def test_distance_is_damerau():
    assert typosquat.distance("abcd", "abdc", 2) == 1
    assert typosquat.distance("kitten", "sitting", 5) == 3
    assert typosquat.distance("a" * 10, "b" * 10, 2) == 3  # stops at limit + 1


def test_every_malicious_entry_names_its_source():
    entries = typosquat.malicious()
    assert len(entries) >= 50
    assert all(eco in typosquat.ECOSYSTEMS and source for (eco, _), source in entries.items())


def test_popular_lists_do_not_flag_each_other():
    for ecosystem in typosquat.ECOSYSTEMS:
        names = typosquat.popular(ecosystem)
        assert len(names) >= 50
        assert all(typosquat.check(ecosystem, n) is None for n in names)
