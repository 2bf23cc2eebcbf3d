"""SARIF 2.1.0: validates against the official schema, and carries what code scanning needs."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import jsonschema
import pytest

from validator import __version__
from validator.model import ReportResult
from validator.render import render
from validator.render.sarif_format import FINGERPRINT_KEY, artifact_uri, to_sarif

SCHEMA_PATH = Path(__file__).resolve().parents[1] / "data" / "sarif-schema-2.1.0.json"


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft7Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)


def errors(validator: jsonschema.Draft7Validator, doc: dict) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(doc)]


def test_output_validates_against_the_official_schema(validator, results, catalogue):
    for lang in ("zh", "en"):
        for cat in (catalogue, None):
            doc = json.loads(render("sarif", results, lang=lang, catalogue=cat))
            assert errors(validator, doc) == []


def test_schema_rejects_a_broken_log(validator, results):
    """The validator really checks: a result with an unknown level is refused."""
    doc = to_sarif(results)
    doc["runs"][0]["results"][0]["level"] = "fatal"
    assert errors(validator, doc) == [
        "['runs', 0, 'results', 0, 'level']: 'fatal' is not one of ['none', 'note', 'warning', 'error']"
    ]


def test_tool_and_rules_from_catalogue(results, catalogue):
    run = to_sarif(results, catalogue=catalogue)["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "validate"
    assert driver["version"] == __version__
    assert [r["id"] for r in driver["rules"]] == ["M1", "O6", "P1"]
    assert driver["rules"][1] == {
        "id": "O6",
        "shortDescription": {"text": "工作人员数等于专职与兼职人员数之和"},
        "fullDescription": {"text": "从事政府信息公开工作人员数应等于专职人员数与兼职人员数之和。"},
        "defaultConfiguration": {"level": "error"},
        "help": {
            "text": "从事政府信息公开工作人员数应等于专职人员数与兼职人员数之和。\n"
            "通过示例：235 = 52 + 183\n不通过示例：224 ≠ 52 + 183"
        },
        "properties": {"tags": ["sum"], "templates": ["old-2014"]},
    }
    # P1 has no description: no fullDescription, help falls back to the title; warning stays warning
    assert driver["rules"][2] == {
        "id": "P1",
        "shortDescription": {"text": "所报百分比与分子、分母相符"},
        "defaultConfiguration": {"level": "warning"},
        "help": {"text": "所报百分比与分子、分母相符"},
        "properties": {"tags": ["percent"], "templates": ["old-2014", "new-2021"]},
    }
    assert [r["ruleIndex"] for r in run["results"]] == [1, 2, 0]


def test_rules_in_english(results, catalogue):
    rules = to_sarif(results, lang="en", catalogue=catalogue)["runs"][0]["tool"]["driver"]["rules"]
    assert rules[1]["shortDescription"] == {"text": "Staff total equals full-time plus part-time staff"}
    assert rules[1]["fullDescription"] == {
        "text": "The staff total must equal full-time plus part-time staff."
    }
    assert rules[1]["help"]["text"].splitlines()[1:] == ["Passes: 235 = 52 + 183", "Fails: 224 ≠ 52 + 183"]


def test_info_severity_is_note_and_unknown_rules_get_a_descriptor(tricky, catalogue):
    run = to_sarif([tricky], catalogue=catalogue)["runs"][0]
    assert run["tool"]["driver"]["rules"][-1] == {
        "id": "X1",
        "shortDescription": {"text": "标题, 含: 冒号 & <尖括号>"},
        "defaultConfiguration": {"level": "note"},
    }
    assert run["results"][0]["level"] == "note"
    assert run["results"][0]["ruleIndex"] == 3


def test_o6_result(results):
    result = to_sarif(results)["runs"][0]["results"][0]
    fingerprint = results[0].findings[0].fingerprint
    uri = "samples/000_a81f0d4f916600c6.txt"

    def loc(i, line, col, text, label, key, source, role):
        return {
            "id": i,
            "physicalLocation": {
                "artifactLocation": {"uri": uri},
                "region": {
                    "startLine": line,
                    "startColumn": col,
                    "endColumn": col + len(text),
                    "snippet": {"text": text},
                },
            },
            "message": {"text": f"{label} {text}"},
            "properties": {"key": key, "source": source, "role": role},
        }

    assert result == {
        "ruleId": "O6",
        "ruleIndex": 0,
        "level": "error",
        "message": {"text": "从事政府信息公开工作人员数 224 ≠ 专职人员数 52 + 兼职人员数 183 = 235"},
        "locations": [loc(0, 958, 1, "224", "从事政府信息公开工作人员数", "staff.total", "table", "total")],
        "relatedLocations": [
            loc(1, 966, 1, "52", "专职人员数", "staff.full_time", "table", "part"),
            loc(2, 976, 1, "183", "兼职人员数", "staff.part_time", "table", "part"),
            loc(3, 158, 40, "224", "从事政府信息公开工作人员数", "staff.total", "narrative", "narrative"),
        ],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
        "properties": {
            "severity": "error",
            "expected": 235,
            "actual": 224,
            "terms": [{"label": "专职人员数", "value": 52}, {"label": "兼职人员数", "value": 183}],
        },
    }
    assert FINGERPRINT_KEY == "validatorFingerprint/v1"


def test_english_messages_and_other_properties(results):
    run = to_sarif(results, lang="en")["runs"][0]
    assert run["language"] == "en-US"
    texts = [r["message"]["text"] for r in run["results"]]
    assert texts[0] == "staff total 224 ≠ full-time 52 + part-time 183 = 235"
    p1 = run["results"][1]
    assert p1["level"] == "warning"
    assert p1["properties"] == {
        "severity": "warning",
        "instance": "apply.in_person",
        "expected": 30.68,
        "actual": 30.69,
        "suggestion": "核对百分比：784 / 2555 = 30.68%",
    }
    m1 = run["results"][2]
    assert m1["properties"]["expected"] == [55, 17, 19]
    assert m1["properties"]["actual"] == [55, 11, 25]
    assert len(m1["relatedLocations"]) == 5


def test_waived_finding_is_suppressed(validator, results):
    results[0].findings[0] = replace(results[0].findings[0], waived="兼职人员含专职人员，已核实")
    doc = to_sarif(results)
    assert errors(validator, doc) == []
    run = doc["runs"][0]
    assert run["results"][0]["suppressions"] == [
        {"kind": "external", "state": "accepted", "justification": "兼职人员含专职人员，已核实"}
    ]
    assert "suppressions" not in run["results"][1]
    # a waived finding is no longer counted in the summary
    assert run["properties"]["summary"] == {
        "reports": 2,
        "error": 1,
        "warning": 1,
        "info": 0,
        "unreadable": 1,
    }


def test_unreadable_report_is_a_tool_execution_notification(results):
    run = to_sarif(results)["runs"][0]
    assert run["invocations"] == [
        {
            "executionSuccessful": False,
            "toolExecutionNotifications": [
                {
                    "level": "error",
                    "message": {"text": "samples/empty.txt: is empty"},
                    "locations": [{"physicalLocation": {"artifactLocation": {"uri": "samples/empty.txt"}}}],
                    "descriptor": {"id": "unreadable-input"},
                }
            ],
        }
    ]
    assert len(run["results"]) == 3


def test_all_readable_means_successful(chaoyang):
    assert to_sarif([chaoyang])["runs"][0]["invocations"] == [{"executionSuccessful": True}]


def test_empty_results_still_valid(validator):
    doc = to_sarif([])
    assert errors(validator, doc) == []
    assert doc["runs"][0]["results"] == []


def test_finding_without_locations_points_at_the_file(validator):
    from validator.model import Finding

    r = ReportResult(path="a.txt", findings=[Finding(rule="Z9", severity="warning", message="m")])
    doc = to_sarif([r])
    assert errors(validator, doc) == []
    assert doc["runs"][0]["results"][0]["locations"] == [
        {"physicalLocation": {"artifactLocation": {"uri": "a.txt"}}}
    ]


def test_location_extras_go_to_properties(validator):
    from validator.model import Finding, Location

    loc = Location("k", "标签", 1, "1", "table", 4, 2, page=3, role="total", where="表格2 第3行 第4列")
    r = ReportResult(
        path="r.pdf", findings=[Finding(rule="Z9", severity="error", message="m", locations=(loc,))]
    )
    doc = to_sarif([r])
    assert errors(validator, doc) == []
    assert doc["runs"][0]["results"][0]["locations"][0]["properties"] == {
        "key": "k",
        "source": "table",
        "role": "total",
        "page": 3,
        "where": "表格2 第3行 第4列",
    }


@pytest.mark.parametrize(
    ("path", "uri"),
    [
        ("samples/000_a81f0d4f916600c6.txt", "samples/000_a81f0d4f916600c6.txt"),
        ("./samples/a.txt", "samples/a.txt"),
        ("reports/朝阳 2017.txt", "reports/%E6%9C%9D%E9%98%B3%202017.txt"),
        ("reports/a,b:c 100%.txt", "reports/a,b%3Ac%20100%25.txt"),
        ("reports\\win\\a.txt", "reports/win/a.txt"),
        ("/abs/a b.txt", "file:///abs/a%20b.txt"),
    ],
)
def test_artifact_uri(path, uri):
    assert artifact_uri(path) == uri


def test_render_is_json_text_ending_in_newline(results):
    text = render("sarif", results)
    assert text.endswith("}\n")
    assert "北京市朝阳区" not in text  # the body is not part of SARIF results
    assert "从事政府信息公开工作人员数 224" in text  # non-ASCII kept readable, not \u-escaped
