"""Fingerprints name a finding, not where it was printed or what the numbers were.

A waiver must keep matching when the report is re-published with a reworded paragraph or an extra
line at the top (every line number shifts), and when a figure in the finding is corrected but the
same rule instance still fails (the message changes, the fingerprint does not).
"""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from validator.cli import app

runner = CliRunner()
ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "000_a81f0d4f916600c6.txt"

SENTENCE = "加强组织管理。全区各单位基本形成了主要领导亲自负责或指派得力人员分管信息公开工作"
REWORDED = "强化组织保障。全区各单位普遍建立了由主要领导亲自负责或指派专人分管信息公开工作"
O6_MESSAGE = "从事政府信息公开工作人员数 224 ≠ 专职人员数 52 + 兼职人员数 183 = 235"


def findings(path: Path) -> list[dict]:
    r = runner.invoke(app, ["check", str(path), "--format", "json"], env={"COLUMNS": "400"})
    assert r.exit_code in (0, 1), r.stderr
    (report,) = json.loads(r.stdout)["reports"]
    assert report["template"] == "old-2014" and report["year"] == 2017
    return report["findings"]


def identities(fs: list[dict]) -> set[tuple[str, str]]:
    return {(f["rule"], f["fingerprint"]) for f in fs}


def lines(f: dict) -> list[int]:
    return [loc["line"] for loc in f["locations"]]


def edited(tmp_path: Path, text: str, name: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_unrelated_edits_keep_every_fingerprint(tmp_path):
    original = SAMPLE.read_text(encoding="utf-8")
    assert original.count(SENTENCE) == 1  # in section 一, far from every finding
    lines_before = original.splitlines(keepends=True)
    text = original.replace(SENTENCE, REWORDED)
    # two more lines under the page's first line: everything below moves down by two
    text = lines_before[0] + "（2018年3月16日更新：修改了部分文字）\n\n" + text[len(lines_before[0]):]
    before, after = findings(SAMPLE), findings(edited(tmp_path, text, "edited.txt"))

    assert len(after) == len(before) == 5
    assert identities(after) == identities(before)
    assert [f["message"] for f in after] == [f["message"] for f in before]
    for b, a in zip(before, after, strict=True):
        assert b["fingerprint"] == a["fingerprint"]
        assert lines(a) == [n + 2 for n in lines(b)], b["rule"]  # every line moved, nothing else
    o6 = next(f for f in after if f["rule"] == "O6")
    assert o6["locations"][0]["line"] == 928


def test_changed_figure_keeps_the_fingerprint_of_its_finding(tmp_path):
    original = SAMPLE.read_text(encoding="utf-8")
    assert original.count("\n183\n") == 1  # the table's 兼职人员数 cell (line 946), alone on its line
    text = original.replace("\n183\n", "\n184\n")
    before, after = findings(SAMPLE), findings(edited(tmp_path, text, "part-time-184.txt"))

    (o6_before,) = [f for f in before if f["rule"] == "O6"]
    (o6_after,) = [f for f in after if f["rule"] == "O6"]
    assert o6_before["message"] == O6_MESSAGE
    assert o6_after["message"] == "从事政府信息公开工作人员数 224 ≠ 专职人员数 52 + 兼职人员数 184 = 236"
    assert (o6_after["expected"], o6_after["actual"]) == (236, 224)
    assert o6_after["fingerprint"] == o6_before["fingerprint"]  # same rule instance, same identity
    assert lines(o6_after) == lines(o6_before)
    # the other findings are untouched (the narrative's 183 against the table's 184 may add one)
    assert identities(before) - {("O6", o6_before["fingerprint"])} <= identities(after)
