"""The machine-readable output formats and waivers, through the command line as CI would run it.

SARIF against the official 2.1.0 schema, JUnit counts, GitHub workflow commands, the Markdown table,
several formats in one run, and waiver files (acknowledged findings, stale and malformed ones).
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from validator.cli import app

runner = CliRunner()
SAMPLE = "samples/000_a81f0d4f916600c6.txt"
SCHEMA_PATH = Path(__file__).resolve().parent / "data" / "sarif-schema-2.1.0.json"
O6_MESSAGE = "从事政府信息公开工作人员数 224 ≠ 专职人员数 52 + 兼职人员数 183 = 235"
RULES = ["M1", "O6", "P1", "P1", "T2"]
SEVERITIES = ["error", "error", "warning", "warning", "info"]


def run(*args: str):
    argv = list(args)
    if argv and argv[0] not in {"rules", "explain", "extract", "check"}:
        argv.insert(0, "check")
    return runner.invoke(app, argv, env={"COLUMNS": "400"})


@pytest.fixture(autouse=True)
def _repo_root(monkeypatch):
    """Report paths as a user in the repository would give them (relative, as CI annotations need)."""
    monkeypatch.chdir(Path(__file__).resolve().parent.parent)


@pytest.fixture(scope="module")
def findings() -> list[dict]:
    """The JSON output's findings for the sample: the reference every other format is compared to."""
    r = run(SAMPLE, "--format", "json")
    assert r.exit_code == 1, r.stderr
    (report,) = json.loads(r.stdout)["reports"]
    assert [f["rule"] for f in report["findings"]] == RULES
    assert [f["severity"] for f in report["findings"]] == SEVERITIES
    return report["findings"]


def fingerprint(findings: list[dict], rule: str) -> str:
    (f,) = [f for f in findings if f["rule"] == rule]
    return f["fingerprint"]


def write_waivers(tmp_path: Path, entries: list[tuple[str, str]], name: str = "waivers.yml") -> Path:
    lines = ["# findings checked with the publishing office", "waivers:"]
    for fp, reason in entries:
        lines += [f"  - fingerprint: {fp}", f"    reason: {reason}"]
    p = tmp_path / name
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


def test_sarif_is_valid_and_carries_the_fingerprints(findings):
    r = run(SAMPLE, "--format", "sarif")
    assert r.exit_code == 1
    doc = json.loads(r.stdout)
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    assert [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(doc)] == []
    (sarif_run,) = doc["runs"]
    results = sarif_run["results"]
    assert len(results) == 5
    assert [x["ruleId"] for x in results] == RULES
    assert [x["level"] for x in results] == ["error", "error", "warning", "warning", "note"]
    assert [list(x["partialFingerprints"].values()) for x in results] == [[f["fingerprint"]] for f in findings]
    o6 = results[1]
    assert o6["message"]["text"] == O6_MESSAGE
    place = o6["locations"][0]["physicalLocation"]
    assert place["artifactLocation"]["uri"] == SAMPLE
    assert (place["region"]["startLine"], place["region"]["startColumn"]) == (926, 1)
    rule_ids = {d["id"] for d in sarif_run["tool"]["driver"]["rules"]}
    assert set(RULES) <= rule_ids


def test_junit_counts():
    r = run(SAMPLE, "--format", "junit")
    assert r.exit_code == 1
    root = ET.fromstring(r.stdout.encode("utf-8"))
    assert root.tag == "testsuites"
    # one "report readable" case, then one per finding: errors and warnings fail, the note is skipped
    assert {k: root.get(k) for k in ("tests", "failures", "errors", "skipped")} == {
        "tests": "6", "failures": "4", "errors": "0", "skipped": "1"}
    (suite,) = root.findall("testsuite")
    assert suite.get("name") == SAMPLE
    assert [f.get("type") for f in suite.iter("failure")] == ["M1", "O6", "P1", "P1"]
    assert len(suite.findall("testcase/skipped")) == 1
    assert len(suite.findall("testcase")) == 6
    o6 = next(f for f in suite.iter("failure") if f.get("type") == "O6")
    assert o6.get("message") == O6_MESSAGE


GITHUB_LINE = re.compile(r"^::(error|warning|notice) file=([^,:]+),line=(\d+),col=(\d+),title=([^,:]*)::(.+)$")


def test_github_annotations(findings):
    r = run(SAMPLE, "--format", "github")
    assert r.exit_code == 1
    lines = r.stdout.splitlines()
    assert len(lines) == 5
    parsed = [GITHUB_LINE.match(line) for line in lines]
    assert all(parsed), lines
    assert [m.group(1) for m in parsed] == ["error", "error", "warning", "warning", "notice"]
    assert {m.group(2) for m in parsed} == {SAMPLE}
    assert [m.group(5).split(" ")[0] for m in parsed] == RULES
    for m, f in zip(parsed, findings, strict=True):
        first = f["locations"][0]
        assert (int(m.group(3)), int(m.group(4))) == (first["line"], first["column"])
    o6 = parsed[1]
    assert (o6.group(3), o6.group(4)) == ("926", "1")
    assert o6.group(6).startswith(O6_MESSAGE + "%0A")  # newlines in the message are escaped
    assert o6.group(6).endswith(findings[1]["fingerprint"])


def test_markdown_has_a_row_per_finding():
    r = run(SAMPLE, "--format", "markdown")
    assert r.exit_code == 1
    rows = [line for line in r.stdout.splitlines() if re.match(r"^\| [A-Z]\d+ \|", line)]
    assert [row.split("|")[1].strip() for row in rows] == RULES
    assert [row.split("|")[2].strip() for row in rows] == ["错误", "错误", "警告", "警告", "提示"]
    o6 = rows[1]
    assert O6_MESSAGE in o6 and o6.rstrip().endswith("| 163, 926, 936, 946 |")
    assert "| --- | --- | --- | --- |" in r.stdout


def test_several_formats_in_one_run(tmp_path, findings):
    out = tmp_path / "out"
    r = run(SAMPLE, "--format", "json", "--format", "sarif", "--format", "html", "--format", "console",
            "--output", str(out / "r.json"), "--output", str(out / "r.sarif"), "--output", str(out / "r.html"))
    assert r.exit_code == 1
    assert "错误 (2)" in r.stdout and O6_MESSAGE in r.stdout  # the one format without a file
    data = json.loads((out / "r.json").read_text(encoding="utf-8"))
    assert [f["fingerprint"] for f in data["reports"][0]["findings"]] == [f["fingerprint"] for f in findings]
    sarif = json.loads((out / "r.sarif").read_text(encoding="utf-8"))
    assert len(sarif["runs"][0]["results"]) == 5
    html = (out / "r.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and html.count('<article class="finding') == 5
    assert O6_MESSAGE in html


def test_two_formats_on_stdout_is_a_usage_error():
    r = run(SAMPLE, "--format", "json", "--format", "sarif")
    assert r.exit_code == 2
    assert r.stderr.startswith("validate: error: only one format can go to standard output")


def test_waivers_acknowledge_findings(tmp_path, findings):
    o6, m1 = fingerprint(findings, "O6"), fingerprint(findings, "M1")
    waivers = write_waivers(tmp_path, [(o6, "专职、兼职人员有交叉，已向区政府办核实"), (m1, "裁定类结果按其他情形统计")])
    r = run(SAMPLE, "--waivers", str(waivers), "--format", "json")
    assert r.exit_code == 0, r.stderr  # only warnings and a note still count
    assert r.stderr == ""
    data = json.loads(r.stdout)
    waived = {f["rule"]: f.get("waived") for f in data["reports"][0]["findings"]}
    assert waived == {"M1": "裁定类结果按其他情形统计", "O6": "专职、兼职人员有交叉，已向区政府办核实",
                      "P1": None, "T2": None}
    assert data["summary"]["error"] == 0 and data["summary"]["warning"] == 2
    # the waived findings are still reported everywhere, marked as waived
    junit = ET.fromstring(run(SAMPLE, "--waivers", str(waivers), "--format", "junit").stdout.encode("utf-8"))
    assert (junit.get("failures"), junit.get("skipped")) == ("2", "3")
    sarif = json.loads(run(SAMPLE, "--waivers", str(waivers), "--format", "sarif").stdout)
    suppressed = [x["ruleId"] for x in sarif["runs"][0]["results"] if x.get("suppressions")]
    assert suppressed == ["M1", "O6"]
    github = run(SAMPLE, "--waivers", str(waivers), "--format", "github").stdout
    assert [line.split(" ")[0] for line in github.splitlines()] == ["::warning", "::warning", "::notice"]
    # warnings still fail at a stricter level
    assert run(SAMPLE, "--waivers", str(waivers), "--fail-level", "warning").exit_code == 1


def test_stale_waiver_is_reported(tmp_path, findings):
    waivers = write_waivers(tmp_path, [(fingerprint(findings, "O6"), "已核实"), ("0123456789abcdef0123", "旧版报告")])
    r = run(SAMPLE, "--waivers", str(waivers), "--format", "json")
    assert r.exit_code == 1  # M1 is still an error
    assert r.stderr.splitlines() == [
        f"validate: warning: {waivers}: stale waiver 0123456789abcdef0123 matches no finding (旧版报告)"]
    assert "stale waiver" in r.stderr


@pytest.mark.parametrize(
    "content, problem",
    [
        ("waivers:\n  - fingerprint: [unclosed\n    reason: x\n", "invalid YAML at line"),
        ("waivers:\n  - fingerprint: 370e302c8f5976ec8a35\n", "waiver 1 has no reason"),
        ("waivers:\n  - fingerprint: 370e302c8f5976ec8a35\n    reason: ok\n    note: typo\n",
         "waiver 1 has unknown key 'note'"),
        ('{"waivers": [', "invalid"),
    ],
)
def test_malformed_waivers_file(tmp_path, content, problem):
    p = tmp_path / "waivers.yml"
    p.write_text(content, encoding="utf-8")
    r = run(SAMPLE, "--waivers", str(p), "--format", "json")
    assert r.exit_code == 2
    assert r.stdout == ""
    lines = r.stderr.splitlines()
    assert len(lines) == 1, r.stderr
    assert lines[0].startswith(f"validate: error: {p}: ")
    assert problem in lines[0]


def test_missing_waivers_file(tmp_path):
    r = run(SAMPLE, "--waivers", str(tmp_path / "none.yml"))
    assert r.exit_code == 2
    assert r.stderr == f"validate: error: {tmp_path / 'none.yml'}: waiver file not found\n"
