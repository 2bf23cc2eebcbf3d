"""Waiver files: loading (YAML or JSON), matching by fingerprint and path, stale waivers, bad files."""

from __future__ import annotations

import json

import pytest

from validator.errors import InputError
from validator.model import summary
from validator.waivers import Waiver, apply_waivers, load_waivers

PATH = "samples/000_a81f0d4f916600c6.txt"


def write(tmp_path, text: str, name: str = "waivers.yml"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def problem(path) -> str:
    with pytest.raises(InputError) as e:
        load_waivers(path)
    assert e.value.path == str(path)
    assert str(e.value) == f"{path}: {e.value.problem}"
    return e.value.problem


def test_load_yaml(tmp_path):
    p = write(
        tmp_path,
        """\
# acknowledged findings
waivers:
  - fingerprint: 370e302c8f5976ec8a35
    reason: 兼职人员含专职人员，已向区政府办核实
    rule: O6
    path: "samples/*.txt"
  - fingerprint: "bd282ecc41a47bd88cb9"
    reason: 四舍五入口径不同
""",
    )
    assert load_waivers(p) == [
        Waiver(
            "370e302c8f5976ec8a35", "兼职人员含专职人员，已向区政府办核实", rule="O6", path="samples/*.txt"
        ),
        Waiver("bd282ecc41a47bd88cb9", "四舍五入口径不同"),
    ]


def test_load_json(tmp_path):
    p = write(
        tmp_path,
        json.dumps({"waivers": [{"fingerprint": "01ce74e816648667ddd2", "reason": "ok", "rule": "M1"}]}),
        "waivers.json",
    )
    assert load_waivers(p) == [Waiver("01ce74e816648667ddd2", "ok", rule="M1")]


def test_numeric_looking_fingerprints_stay_text(tmp_path):
    p = write(tmp_path, "waivers:\n  - fingerprint: 01234567890123456789\n    reason: 2024-01-01 核实\n")
    assert load_waivers(p) == [Waiver("01234567890123456789", "2024-01-01 核实")]


def test_bare_list_and_empty_files(tmp_path):
    assert load_waivers(write(tmp_path, "- fingerprint: abc\n  reason: r\n")) == [Waiver("abc", "r")]
    assert load_waivers(write(tmp_path, "")) == []
    assert load_waivers(write(tmp_path, "# nothing yet\n")) == []
    assert load_waivers(write(tmp_path, "waivers:\n")) == []
    assert load_waivers(write(tmp_path, "\ufeffwaivers: []\n")) == []


def test_missing_file(tmp_path):
    assert problem(tmp_path / "nope.yml") == "waiver file not found"
    assert problem(tmp_path) == "is a directory, not a waiver file"


def test_bad_yaml(tmp_path):
    p = write(tmp_path, "waivers:\n  - fingerprint: abc\n   reason: [unclosed\n")
    assert problem(p).startswith("invalid YAML at line 3, column ")


def test_bad_json(tmp_path):
    p = write(tmp_path, '{"waivers": [}', "w.json")
    assert problem(p) == "invalid JSON at line 1, column 14: Expecting value"


def test_yaml_flow_style_starting_with_a_brace(tmp_path):
    p = write(tmp_path, "{waivers: [{fingerprint: abc, reason: 已核实}]}\n")
    assert load_waivers(p) == [Waiver("abc", "已核实")]


def test_not_utf8(tmp_path):
    p = tmp_path / "w.yml"
    p.write_bytes("waivers: 豁免".encode("gbk"))
    assert problem(p) == "waiver file is not UTF-8 text"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("waivers:\n  - reason: r\n", "waiver 1 has no fingerprint"),
        ("waivers:\n  - fingerprint: ''\n    reason: r\n", "waiver 1 has no fingerprint"),
        ("waivers:\n  - fingerprint: a\n    reason: r\n  - fingerprint: b\n", "waiver 2 has no reason"),
        ("waivers:\n  - fingerprint: a\n    reason: '  '\n", "waiver 1 has no reason"),
        ("waivers:\n  - just a string\n", "waiver 1 is not a mapping of fingerprint, reason, rule, path"),
        ("waivers:\n  - fingerprint: [a]\n    reason: r\n", "waiver 1: fingerprint must be text"),
        ("waivers:\n  - fingerprint: a\n    reason: true\n", "waiver 1: reason must be text"),
        (
            "waivers:\n  - fingerprint: a\n    reason: r\n    paths: x\n",
            "waiver 1 has unknown key 'paths' (allowed: fingerprint, reason, rule, path)",
        ),
        ("waivers: {fingerprint: a}\n", "'waivers' must be a list of entries"),
        ("waiver:\n  - fingerprint: a\n", "unknown top-level key 'waiver' (expected 'waivers')"),
        ("just text\n", "'waivers' must be a list of entries"),
    ],
)
def test_malformed_entries(tmp_path, text, message):
    assert problem(write(tmp_path, text)) == message


def test_apply_marks_matching_findings_and_returns_stale(results):
    o6, p1, m1 = results[0].findings
    stale = Waiver("0000000000deadbeef00", "no longer applies", rule="O9")
    waivers = [Waiver(o6.fingerprint, "已核实"), stale]
    assert apply_waivers(results, waivers) == [stale]
    new_o6, new_p1, new_m1 = results[0].findings
    assert new_o6.waived == "已核实"
    assert new_o6.fingerprint == o6.fingerprint
    assert o6.waived is None  # the original finding is untouched: a copy was made
    assert (new_p1, new_m1) == (p1, m1)
    assert summary(results) == {"reports": 2, "error": 1, "warning": 1, "info": 0, "unreadable": 1}


def test_path_restriction(results):
    o6 = results[0].findings[0]
    elsewhere = Waiver(o6.fingerprint, "other report", path="other/*.txt")
    assert apply_waivers(results, [elsewhere]) == [elsewhere]
    assert results[0].findings[0].waived is None
    here = Waiver(o6.fingerprint, "this report", path="samples/000_*.txt")
    assert apply_waivers(results, [elsewhere, here]) == [elsewhere]
    assert results[0].findings[0].waived == "this report"


def test_path_glob_normalises_separators_and_dot_slash(chaoyang):
    o6 = chaoyang.findings[0]
    chaoyang.path = ".\\samples\\000_a81f0d4f916600c6.txt"
    w = Waiver(o6.fingerprint, "r", path="./samples/*.txt")
    assert apply_waivers([chaoyang], [w]) == []
    assert chaoyang.findings[0].waived == "r"


def test_same_fingerprint_in_two_reports(chaoyang):
    from validator.model import ReportResult

    other = ReportResult(path="samples/other.txt", findings=list(chaoyang.findings))
    o6 = chaoyang.findings[0]
    assert apply_waivers([chaoyang, other], [Waiver(o6.fingerprint, "everywhere")]) == []
    assert chaoyang.findings[0].waived == "everywhere"
    assert other.findings[0].waived == "everywhere"


def test_first_waiver_wins_and_a_redundant_one_is_stale(chaoyang):
    o6 = chaoyang.findings[0]
    first, second = Waiver(o6.fingerprint, "first"), Waiver(o6.fingerprint, "second", path="samples/*")
    assert apply_waivers([chaoyang], [first, second]) == [second]
    assert chaoyang.findings[0].waived == "first"


def test_already_waived_keeps_its_reason(chaoyang):
    o6 = chaoyang.findings[0]
    apply_waivers([chaoyang], [Waiver(o6.fingerprint, "one")])
    assert apply_waivers([chaoyang], [Waiver(o6.fingerprint, "two")]) == []
    assert chaoyang.findings[0].waived == "one"


def test_unreadable_reports_and_no_waivers(results):
    before = list(results[0].findings)
    assert apply_waivers(results, []) == []
    assert results[0].findings == before
    w = Waiver("x", "r")
    assert apply_waivers([results[1]], [w]) == [w]


def test_round_trip_with_rendered_fingerprints(tmp_path, results):
    """The fingerprints printed by any output format are the ones a waiver file names."""
    from validator.render import render

    data = json.loads(render("json", results))
    fps = [f["fingerprint"] for f in data["reports"][0]["findings"]]
    p = write(
        tmp_path,
        "waivers:\n" + "".join(f"  - fingerprint: {fp}\n    reason: ok {i}\n" for i, fp in enumerate(fps)),
    )
    assert apply_waivers(results, load_waivers(p)) == []
    assert [f.waived for f in results[0].findings] == ["ok 0", "ok 1", "ok 2"]
    assert json.loads(render("json", results))["summary"]["error"] == 0
