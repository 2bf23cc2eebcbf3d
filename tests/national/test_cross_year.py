"""Cross-year rules: last year's report given with --previous, or found among the inputs."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from validator.cli import app
from validator.pipeline import validate_paths

DATA = Path(__file__).resolve().parent.parent / "data" / "corpus"


def _last_year(tmp_path: Path, carried_forward: int) -> Path:
    """洪泽 2024 turned into a "2023" report whose table 三 carries `carried_forward` requests into 2024."""
    text = (DATA / "2024_hongzequ.txt").read_text(encoding="utf-8")
    text = text.replace("2024年政府信息公开工作年度报告", "2023年政府信息公开工作年度报告", 1)
    old = next(line for line in text.split("\n") if line.startswith("四、结转下年度继续办理"))
    new = old[: -len("0  0  0  0  0  0  0")] + f"{carried_forward}  0  0  0  0  0  {carried_forward}"
    assert old.endswith("0  0  0  0  0  0  0")
    p = tmp_path / "2023_hongzequ.txt"
    p.write_text(text.replace(old, new), encoding="utf-8")
    return p


def test_consecutive_years_paired_automatically(tmp_path):
    last = _last_year(tmp_path, 4)
    this, prev = validate_paths([str(DATA / "2024_hongzequ.txt"), str(last)])
    assert (this.year, prev.year, this.body, prev.body) == (2024, 2023, "淮安市洪泽区人民政府", "淮安市洪泽区人民政府")
    x1 = sorted((f.instance, f.severity, f.expected, f.actual) for f in this.findings if f.rule == "X1")
    assert x1 == [("natural", "warning", 4, 0), ("total", "warning", 4, 0)]
    f = next(f for f in this.findings if f.rule == "X1" and f.instance == "total")
    assert f.message == "2024年 上年结转政府信息公开申请数量（总计） 0 = 0，但2023年报告 结转下年度继续办理（总计） 4 = 4"
    assert [loc.where for loc in f.locations] == ["", f"上一年报告 {last}"]
    assert not [f for f in prev.findings if f.rule == "X1"]  # 2022 was not given


def test_matching_years_pass(tmp_path):
    last = _last_year(tmp_path, 0)
    this, _ = validate_paths([str(DATA / "2024_hongzequ.txt"), str(last)])
    assert not [f for f in this.findings if f.rule == "X1"]
    assert this.rules_checked > validate_paths([str(DATA / "2024_hongzequ.txt")])[0].rules_checked


def test_previous_option(tmp_path):
    last = _last_year(tmp_path, 4)
    r = CliRunner().invoke(app, ["check", str(DATA / "2024_hongzequ.txt"), "--previous", str(last), "--format", "json"])
    import json

    rep = json.loads(r.stdout)["reports"]
    assert [x["path"] for x in rep] == [str(DATA / "2024_hongzequ.txt")]  # the previous report is not reported
    assert sorted(f["instance"] for f in rep[0]["findings"] if f["rule"] == "X1") == ["natural", "total"]
    r = CliRunner().invoke(app, ["check", str(DATA / "2024_hongzequ.txt"), "--previous", str(tmp_path)])
    assert r.exit_code == 2 and "--previous must name one report file" in r.stderr
