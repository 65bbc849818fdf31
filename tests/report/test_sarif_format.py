import json

import pytest

from tf_apigw_lint.coverage import Coverage
from tf_apigw_lint.findings import Severity
from tf_apigw_lint.report.sarif import SarifSettings, render_sarif


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
    rooted = json.loads(render_sarif(findings, rules, "1.2.3", SarifSettings(root="/srv", category="a/b")))
    for log in (sarif(findings, rules), sarif([], rules), rooted):
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
        "helpUri": "https://example.com/your-org/tf-apigw-lint/blob/main/docs/rules.md#apigw104",
        "defaultConfiguration": {"level": "warning"},
        "properties": {
            "tags": ["security", "logging", "terraform", "aws-api-gateway", "execution-logging"],
            "security-severity": "5.0",
        },
    }
    assert [(rule["id"], rule["properties"].get("security-severity")) for rule in driver["rules"]] == [
        ("APIGW201", "7.5"), ("APIGW104", "5.0"), ("APIGW105", "2.0"), ("TFL001", None),
    ]
    assert driver["rules"][3]["properties"] == {"tags": ["terraform", "tool"]}
    assert driver["semanticVersion"] == "1.2.3"
    assert log["runs"][0]["automationDetails"] == {"id": "tf-apigw-lint/"}
    assert log["runs"][0]["invocations"] == [{"executionSuccessful": True, "toolExecutionNotifications": []}]
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


def test_fingerprint_follows_rule_file_resource_and_message_not_line(make_finding, rules):
    def fingerprint(**changes):
        result = sarif([make_finding(**changes)], rules)["runs"][0]["results"][0]
        return result["partialFingerprints"]["tfApigwLintIdentity/v2"]

    same = fingerprint()
    assert fingerprint(line=80, end_line=98, column=3) == same
    # The address inside its module: a new root calling the module keeps the alert.
    assert fingerprint(address='module.other["x.y"].aws_api_gateway_stage.this["prod"]') == same
    assert fingerprint(address='aws_api_gateway_stage.this["prod"]') == same
    assert fingerprint(rule_id="APIGW104") != same
    assert fingerprint(address='module.api.aws_api_gateway_stage.this["dev"]') != same
    assert fingerprint(path="envs/dev/api.tf") != same
    assert fingerprint(message='stage "prod" has no access_log_settings since line 12') == fingerprint(
        message='stage "prod" has no access_log_settings since line 40')
    assert fingerprint(message='stage "dev" has no access_log_settings') != same
    assert fingerprint(address=None, message="a") != fingerprint(address=None, message="b")


def test_tool_findings_are_notifications_and_a_crash_fails_the_invocation(make_finding, rules):
    parse_error = make_finding(rule_id="TFL001", rule="parse-error", message="cannot parse file: expected '}'",
                               path="broken.tf", line=7, column=5, end_line=7, end_column=6, address=None)
    run = sarif([make_finding(), parse_error], rules)["runs"][0]
    assert run["invocations"] == [{
        "executionSuccessful": True,
        "toolExecutionNotifications": [{
            "level": "error",
            "message": {"text": "cannot parse file: expected '}'"},
            "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": "broken.tf", "uriBaseId": "%SRCROOT%"},
                "region": {"startLine": 7, "startColumn": 5, "endLine": 7, "endColumn": 6},
            }}],
            "associatedRule": {"id": "TFL001", "index": 3},
        }],
    }]
    assert [result["ruleId"] for result in run["results"]] == ["TFL001", "APIGW201"]  # a result as well

    crash = {**rules, "TFL004": rules["TFL001"]}
    crashed = make_finding(rule_id="TFL004", rule="rule-crashed", message="rule APIGW201 crashed", address=None)
    [invocation] = sarif([crashed], crash)["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is False
    assert [n["associatedRule"] for n in invocation["toolExecutionNotifications"]] == [{"id": "TFL004", "index": 4}]


@pytest.mark.parametrize("root, path, artifact", [
    ("/repo", "/repo/envs/prod/api.tf", {"uri": "envs/prod/api.tf", "uriBaseId": "%SRCROOT%"}),
    ("/repo", "/repo/modules/my api/main.tf", {"uri": "modules/my%20api/main.tf", "uriBaseId": "%SRCROOT%"}),
    ("/repo/envs", "/repo/modules/api/main.tf", {"uri": "file:///repo/modules/api/main.tf"}),
    ("/repo", "/repository/x.tf", {"uri": "file:///repository/x.tf"}),
])
def test_uris_relative_to_the_repository_root(make_finding, rules, root, path, artifact):
    log = json.loads(render_sarif([make_finding(path=path)], rules, "1.2.3", SarifSettings(root=root, category="c")))
    [result] = log["runs"][0]["results"]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"] == artifact
    assert log["runs"][0]["automationDetails"] == {"id": "c/"}


def test_what_relevance_left_out_is_a_notification(sarif_validator, findings, rules):
    coverage = Coverage(module_directories_analysed=3, module_directories_skipped=2_985, files_not_parsed=11_967,
                        remote_modules_not_installed=1)
    log = json.loads(render_sarif(findings, rules, "1.2.3", coverage=coverage))
    assert not list(sarif_validator.iter_errors(log))
    assert log["runs"][0]["invocations"][0]["toolExecutionNotifications"][-1] == {
        "level": "note",
        "message": {"text": "Not analysed: 2,985 module directories (11,967 files) whose module trees have no "
                            "API Gateway resources (--exhaustive analyses them); 1 remote module call not "
                            "installed (run terraform init)."},
    }
    complete = json.loads(render_sarif(findings, rules, "1.2.3", coverage=Coverage(module_directories_analysed=3)))
    assert complete["runs"][0]["invocations"] == sarif(findings, rules)["runs"][0]["invocations"]
