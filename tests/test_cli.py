"""The command line: exit codes, fail levels, JSON contract, the catalogue commands, extraction."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from validator.cli import app

runner = CliRunner()


def run(*args: str):
    argv = list(args)
    if argv and argv[0] not in {"rules", "explain", "extract", "check"}:
        argv.insert(0, "check")
    return runner.invoke(app, argv, env={"COLUMNS": "400"})


def test_console_report_and_exit_1(seed_path):
    r = run(str(seed_path))
    assert r.exit_code == 1
    assert "从事政府信息公开工作人员数 224 ≠ 专职人员数 52 + 兼职人员数 183 = 235" in r.stdout
    assert "错误 (2)" in r.stdout and "警告 (2)" in r.stdout and "提示 (1)" in r.stdout


def test_english(seed_path):
    r = run(str(seed_path), "--lang", "en")
    assert "full-time staff 52 + part-time staff 183 = 235, but staff working on disclosure is reported as 224" in r.stdout


def test_fail_level(seed_path, tmp_path):
    # only warnings and notes left once the two errors are waived by editing the report itself
    text = seed_path.read_text(encoding="utf-8")
    text = text.replace("从事政府信息公开工作人员224名", "从事政府信息公开工作人员235名").replace("\n224\n", "\n235\n")
    text = text.replace("判决撤销8件,判决行政机关履行法定职责3件,裁定驳回起诉4件,裁定撤诉2件,其他情形数19件",
                        "判决撤销14件,判决行政机关履行法定职责3件,其他情形数19件")
    p = tmp_path / "fixed.txt"
    p.write_text(text, encoding="utf-8")
    assert run(str(p)).exit_code == 0
    assert run(str(p), "--fail-level", "warning").exit_code == 1
    assert run(str(p), "--fail-level", "info").exit_code == 1


def test_json_contract(seed_path):
    r = run(str(seed_path), "--format", "json")
    assert r.exit_code == 1
    data = json.loads(r.stdout)
    assert data["tool"]["name"] == "validate"
    (rep,) = data["reports"]
    assert (rep["template"], rep["year"], rep["body"]) == ("old-2014", 2017, "北京市朝阳区人民政府")
    assert rep["figures"] > 100 and rep["rules_checked"] == 17
    o6 = next(f for f in rep["findings"] if f["rule"] == "O6")
    assert o6["message"] == "从事政府信息公开工作人员数 224 ≠ 专职人员数 52 + 兼职人员数 183 = 235"
    assert (o6["expected"], o6["actual"], o6["severity"]) == (235, 224, "error")
    assert o6["locations"][0] == {"key": "staff.total", "label": "从事政府信息公开工作人员数", "value": 224, "line": 926,
                                  "column": 1, "text": "224", "source": "table", "role": "total"}
    assert len(o6["fingerprint"]) == 20
    assert data["summary"] == {"reports": 1, "error": 2, "warning": 2, "info": 1, "unreadable": 0}


def test_output_file(seed_path, tmp_path):
    out = tmp_path / "sub" / "r.json"
    r = run(str(seed_path), "--format", "json", "--output", str(out))
    assert r.exit_code == 1
    assert r.stdout == ""
    assert json.loads(out.read_text(encoding="utf-8"))["summary"]["error"] == 2


def test_rules_lists_every_code():
    r = run("rules")
    assert r.exit_code == 0
    for code in ["O1", "O5", "O10", "T1", "T2", "P1", "P2", "P3", "M1", "C1", "D1"]:
        assert f"│ {code} " in r.stdout


def test_explain():
    r = run("explain", "o6")
    assert r.exit_code == 0
    assert r.stdout.splitlines()[0] == "O6  从事政府信息公开工作人员数等于专职人员数与兼职人员数之和"
    assert "  从事政府信息公开工作人员数 = 专职人员数 + 兼职人员数" in r.stdout
    assert "不通过:  从事政府信息公开工作人员数 224 ≠ 专职人员数 52 + 兼职人员数 183 = 235" in r.stdout
    r = run("explain", "O5", "--lang", "en")
    assert "instances: review, litigation" in r.stdout


def test_extract_csv(seed_path):
    import csv
    import io

    r = run("extract", str(seed_path))
    assert r.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    staff = [row for row in rows if row["key"] == "staff.total"]
    assert [(row["source"], row["value"], row["line"], row["column"]) for row in staff] == [
        ("table", "224.0", "926", "1"), ("narrative", "224.0", "163", "48")]
    assert {row["template"] for row in rows} == {"old-2014"}
    assert len([row for row in rows if row["source"] == "table"]) == 72


def test_the_real_command_ends_with_everything_written(seed_path, tmp_path):
    """The console command leaves without tearing the interpreter down: its output is still complete,
    its files are written and its exit status is the one the run decided."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    shanghai = Path(__file__).resolve().parent / "data" / "corpus" / "2019_shanghai-shifuban.html"
    page, data = tmp_path / "report.html", tmp_path / "report.json"
    real = subprocess.run([sys.executable, "-m", "validator", str(seed_path), str(shanghai), "--format", "json",
                           "--output", str(data), "--format", "console", "--html-report", str(page)],
                          capture_output=True, text=True, timeout=120, env={**os.environ, "COLUMNS": "400"})
    assert real.returncode == 1, real.stderr
    assert "从事政府信息公开工作人员数 224 ≠ 专职人员数 52 + 兼职人员数 183 = 235" in real.stdout
    inside = run(str(seed_path), str(shanghai), "--format", "json", "--html-report", "none")
    assert json.loads(data.read_text(encoding="utf-8"))["reports"] == json.loads(inside.stdout)["reports"]
    assert page.read_text(encoding="utf-8").rstrip().endswith("</html>")
    buffered = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # as on most machines
    piped = subprocess.run([sys.executable, "-m", "validator", str(seed_path), str(shanghai), "--format", "json"],
                           capture_output=True, text=True, timeout=120, env=buffered)
    assert piped.returncode == 1 and json.loads(piped.stdout) == json.loads(inside.stdout)

    missing = subprocess.run([sys.executable, "-m", "validator", str(tmp_path / "nope.txt")], capture_output=True,
                             text=True, timeout=120)
    assert missing.returncode == 2 and missing.stderr.count("\n") == 1 and "nope.txt" in missing.stderr
    assert subprocess.run([sys.executable, "-m", "validator", "--help"], capture_output=True,
                          timeout=60).returncode == 0


def test_a_closed_pipe_is_not_an_error(seed_path):
    import subprocess
    import sys

    proc = subprocess.Popen([sys.executable, "-m", "validator", str(seed_path), "--format", "json", "--html-report",
                             "none"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.read(10)
    proc.stdout.close()
    err = proc.stderr.read().decode()
    proc.wait(timeout=120)
    assert "Traceback" not in err and proc.returncode in (0, 1, 120, -13)
