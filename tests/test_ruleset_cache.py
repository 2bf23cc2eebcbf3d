"""The on-disk cache of built rule sets: a cold start reuses it, any change to a rule file rebuilds."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from validator import ruleset as rs

RULES = Path(__file__).resolve().parent.parent / "rules"


@pytest.fixture
def rules(tmp_path, monkeypatch):
    """A private copy of the rule files and an empty cache folder, as for a new process."""
    folder = tmp_path / "rules"
    shutil.copytree(RULES, folder)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    _new_process()
    yield folder
    _new_process()


def _new_process() -> None:
    rs._built_cache.cache_clear()
    rs._disk_cache.cache_clear()
    rs._read_yaml.cache_clear()


def _no_build(name, base):
    raise AssertionError(f"{name} was built again")


def test_second_start_uses_the_cache(rules, monkeypatch):
    built = rs._load("national-2019", rules)
    _new_process()
    monkeypatch.setattr(rs, "_build", _no_build)
    cached = rs._load("national-2019", rules)
    assert cached == built and cached is not built
    assert cached.figures == built.figures and cached.rules == built.rules and cached.grids == built.grids
    assert cached.memo("n", lambda r: len(r.figures)) == len(built.figures)


def test_a_changed_rule_file_is_rebuilt(rules):
    rs._load("national-2019", rules)
    common = rules / "national-common.yaml"
    common.write_text(common.read_text(encoding="utf-8").replace("title:", "title: ", 1), encoding="utf-8")
    _new_process()
    calls = []
    real = rs._build
    rs._build = lambda name, base: calls.append(name) or real(name, base)
    try:
        rs._load("national-2019", rules)
    finally:
        rs._build = real
    assert calls == ["national-2019"]


def test_a_damaged_cache_is_ignored(rules, tmp_path):
    built = rs._load("old-2014", rules)
    cache = tmp_path / "cache" / "gov-report-validator" / "rules-built.pickle"
    assert cache.is_file()
    cache.write_bytes(b"not a pickle")
    _new_process()
    assert rs._load("old-2014", rules) == built


def test_gone_rule_folders_leave_the_cache(rules, tmp_path):
    other = tmp_path / "other-rules"
    shutil.copytree(rules, other)
    rs._load("old-2014", other)
    shutil.rmtree(other)
    rs._load("old-2014", rules)
    assert [Path(k).parent for k in rs._built_cache()] == [rules.resolve()]


def test_a_copy_of_a_rule_set_does_not_share_its_memo():
    import dataclasses

    original = rs.load_ruleset("national-2021")
    original.memo("test.count", lambda r: len(r.rules))
    copy = dataclasses.replace(original, rules=original.rules[:1])
    assert copy.memo("test.count", lambda r: len(r.rules)) == 1
    assert original.memo("test.count", lambda r: -1) == len(original.rules) > 1


def test_processes_writing_the_cache_at_once_keep_each_others_entries(rules, tmp_path, monkeypatch):
    other = tmp_path / "other-rules"
    shutil.copytree(rules, other)
    stale: dict = {}  # what a second process read before the first one wrote: nothing yet
    rs._load("old-2014", rules)  # the first process writes its entry
    real = rs._built_cache
    monkeypatch.setattr(rs, "_built_cache", lambda: stale)
    rs._load("old-2014", other)  # the second writes its own, from its stale copy
    monkeypatch.setattr(rs, "_built_cache", real)
    _new_process()
    assert sorted(Path(k).parent for k in rs._built_cache()) == sorted([rules.resolve(), other.resolve()])
