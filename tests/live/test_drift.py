"""`tf-apigw-lint drift`: a configuration compared with a stage changed after deployment, in
moto, matched by name or through the Terraform state; one LIVE005 per differing attribute."""

from __future__ import annotations

import json
import textwrap

from live_fixtures import ACCOUNT, CONFIGURATION, REGION

from tf_apigw_lint.cli import main



def drift(capsys, aws, tmp_path, *extra):
    (tmp_path / "main.tf").write_text(CONFIGURATION)
    code = main(["drift", str(tmp_path), "--endpoint-url", aws.url, "--region", REGION, "--format", "json", "--fail-on", "warning", *extra])
    captured = capsys.readouterr()
    return code, json.loads(captured.out) if captured.out else None, captured.err


def findings(report):
    return sorted((f["rule_id"], f["address"], f["message"]) for f in report["findings"])


def test_no_drift_when_the_deployment_matches(aws, capsys, tmp_path):
    aws.rest_stage(settings={"logging/loglevel": "INFO", "metrics/enabled": "true"})
    code, report, err = drift(capsys, aws, tmp_path)
    assert (code, findings(report), err) == (0, [], "")


def test_a_stage_changed_after_deployment_is_drift_per_attribute(aws, capsys, tmp_path):
    stage = aws.rest_stage(settings={"logging/loglevel": "INFO", "metrics/enabled": "true"})
    aws.client("apigateway").update_stage(
        restApiId=stage.api_id, stageName="prod",
        patchOperations=[{"op": "replace", "path": "/*/*/logging/loglevel", "value": "ERROR"},
                         {"op": "replace", "path": "/~1pets/GET/logging/loglevel", "value": "OFF"}],
    )
    code, report, _ = drift(capsys, aws, tmp_path)
    assert code == 1
    assert findings(report) == [
        ("LIVE005", stage.method_settings_address("*/*"),
         '*/* settings.logging_level is "ERROR" deployed, "INFO" in the configuration (aws_api_gateway_method_settings.all)'),
        ("LIVE005", stage.method_settings_address("pets/GET"),
         'method override pets/GET is deployed (logging_level "OFF") but not in the configuration (aws_api_gateway_stage.prod)'),
    ]


def test_the_state_matches_a_renamed_api(aws, capsys, tmp_path):
    stage = aws.rest_stage("renamed-in-console", settings={"logging/loglevel": "INFO", "metrics/enabled": "true"},
                           access_log=f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:/apigw/other")
    state = {"version": 4, "resources": [
        {"mode": "managed", "type": "aws_api_gateway_stage", "name": "prod",
         "instances": [{"attributes": {"rest_api_id": stage.api_id, "stage_name": "prod"}}]},
    ]}
    (tmp_path / "terraform.tfstate").write_text(json.dumps(state))
    code, report, _ = drift(capsys, aws, tmp_path, "--state", str(tmp_path / "terraform.tfstate"))
    assert findings(report) == [
        ("LIVE005", stage.address,
         'access_log_settings.destination_arn (log group) is "/apigw/other" deployed, "/apigw/pets/prod" in the '
         "configuration (aws_api_gateway_stage.prod)"),
    ]
    # Without the state the renamed API is not the configured one: nothing to compare.
    assert findings(drift(capsys, aws, tmp_path)[1]) == []


def test_an_unreadable_state_is_one_line_and_exit_2(aws, capsys, tmp_path):
    (tmp_path / "state.json").write_text("{not json")
    code, report, err = drift(capsys, aws, tmp_path, "--state", str(tmp_path / "state.json"))
    assert (code, report) == (2, None)
    assert err == f"tf-apigw-lint: --state {tmp_path / 'state.json'}: not JSON (line 1): Expecting property name enclosed in double quotes\n"


def test_access_logging_turned_off_after_deployment(aws, capsys, tmp_path):
    stage = aws.rest_stage(settings={"logging/loglevel": "INFO", "metrics/enabled": "true"}, access_log=False)
    _, report, _ = drift(capsys, aws, tmp_path)
    assert findings(report) == [
        ("LIVE005", stage.address, "access_log_settings is not set deployed, set in the configuration (aws_api_gateway_stage.prod)"),
    ]


def _plan() -> dict:
    """`terraform show -json` of a plan creating pets/prod with INFO logging."""
    aws_provider = "registry.terraform.io/hashicorp/aws"

    def resource(type_, name, values):
        return {"address": f"{type_}.{name}", "mode": "managed", "type": type_, "name": name,
                "provider_name": aws_provider, "schema_version": 0, "values": values, "sensitive_values": {}}

    def configured(type_, name, expressions):
        return {"address": f"{type_}.{name}", "mode": "managed", "type": type_, "name": name,
                "provider_config_key": "aws", "expressions": expressions, "schema_version": 0}

    api_id = {"references": ["aws_api_gateway_rest_api.api.id", "aws_api_gateway_rest_api.api"]}
    resources = [
        resource("aws_api_gateway_rest_api", "api", {"name": "pets"}),
        resource("aws_api_gateway_stage", "prod", {"stage_name": "prod", "deployment_id": "d1"}),
        resource("aws_api_gateway_method_settings", "all",
                 {"method_path": "*/*", "stage_name": "prod", "settings": [{"logging_level": "INFO", "metrics_enabled": True}]}),
    ]
    unknown = {"aws_api_gateway_rest_api": {"id": True}, "aws_api_gateway_stage": {"id": True, "rest_api_id": True},
               "aws_api_gateway_method_settings": {"id": True, "rest_api_id": True}}
    changes = [{"address": r["address"], "mode": "managed", "type": r["type"], "name": r["name"], "provider_name": aws_provider,
                "change": {"actions": ["create"], "before": None, "after": r["values"], "after_unknown": unknown[r["type"]]}}
               for r in resources]
    return {
        "format_version": "1.2",
        "planned_values": {"root_module": {"resources": resources}},
        "resource_changes": changes,
        "configuration": {
            "provider_config": {"aws": {"name": "aws", "full_name": aws_provider, "expressions": {"region": {"constant_value": REGION}}}},
            "root_module": {"resources": [
                configured("aws_api_gateway_rest_api", "api", {"name": {"constant_value": "pets"}}),
                configured("aws_api_gateway_stage", "prod", {"rest_api_id": api_id, "stage_name": {"constant_value": "prod"},
                                                             "deployment_id": {"constant_value": "d1"}}),
                configured("aws_api_gateway_method_settings", "all", {
                    "rest_api_id": api_id, "method_path": {"constant_value": "*/*"},
                    "stage_name": {"references": ["aws_api_gateway_stage.prod.stage_name", "aws_api_gateway_stage.prod"]},
                    "settings": [{"logging_level": {"constant_value": "INFO"}, "metrics_enabled": {"constant_value": True}}],
                }),
            ]},
        },
    }


def test_expected_settings_can_come_from_a_plan(aws, capsys, tmp_path):
    stage = aws.rest_stage(settings={"logging/loglevel": "ERROR", "metrics/enabled": "true"}, access_log=False)
    (tmp_path / "plan.json").write_text(json.dumps(_plan()))
    code = main(["drift", "--plan", str(tmp_path / "plan.json"), "--endpoint-url", aws.url, "--region", REGION, "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 0  # drift is a warning: it fails the run only with --fail-on warning
    assert findings(report) == [
        ("LIVE005", stage.method_settings_address("*/*"),
         '*/* settings.logging_level is "ERROR" deployed, "INFO" in the configuration (aws_api_gateway_method_settings.all)'),
    ]


def test_a_configuration_that_does_not_parse_is_one_line_and_exit_2(aws, capsys, tmp_path):
    (tmp_path / "main.tf").write_text('resource "aws_api_gateway_rest_api" "api" {\n  name = \n')
    code = main(["drift", str(tmp_path), "--endpoint-url", aws.url, "--region", REGION])
    captured = capsys.readouterr()
    assert (code, captured.out) == (2, "")
    assert captured.err == f"tf-apigw-lint: drift: {tmp_path / 'main.tf'}: cannot parse it; run tf-apigw-lint check for details\n"


def test_a_websocket_stage_changed_after_deployment(aws, capsys, tmp_path):
    v2 = aws.client("apigatewayv2")
    api = v2.create_api(Name="chat", ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.action")["ApiId"]
    v2.create_stage(ApiId=api, StageName="prod", DefaultRouteSettings={"LoggingLevel": "ERROR", "DetailedMetricsEnabled": True})
    (tmp_path / "main.tf").write_text(textwrap.dedent("""\
        resource "aws_apigatewayv2_api" "chat" {
          name                       = "chat"
          protocol_type              = "WEBSOCKET"
          route_selection_expression = "$request.body.action"
        }

        resource "aws_apigatewayv2_stage" "prod" {
          api_id = aws_apigatewayv2_api.chat.id
          name   = "prod"
          default_route_settings {
            logging_level            = "INFO"
            detailed_metrics_enabled = true
          }
        }
        """))
    main(["drift", str(tmp_path), "--endpoint-url", aws.url, "--region", REGION, "--format", "json"])
    captured = capsys.readouterr()
    assert captured.err == ""
    assert findings(json.loads(captured.out)) == [
        ("LIVE005", f"aws:{ACCOUNT}:{REGION}:api/{api}/stage/prod",
         'default_route_settings.logging_level is "ERROR" deployed, "INFO" in the configuration (aws_apigatewayv2_stage.prod)'),
    ]


def test_both_state_formats_give_addresses_and_attributes(tmp_path):
    from tf_apigw_lint.drift import read_state

    shown = {"format_version": "1.0", "values": {"root_module": {
        "resources": [{"address": "aws_api_gateway_stage.prod", "values": {"rest_api_id": "a1", "stage_name": "prod"}}],
        "child_modules": [{"address": "module.edge", "resources": [
            {"address": "module.edge.aws_api_gateway_stage.this[\"eu\"]", "values": {"rest_api_id": "b2", "stage_name": "eu"}}]}],
    }}}
    tfstate = {"version": 4, "resources": [
        {"mode": "managed", "type": "aws_api_gateway_stage", "name": "prod",
         "instances": [{"attributes": {"rest_api_id": "a1", "stage_name": "prod"}}]},
        {"module": "module.edge", "mode": "managed", "type": "aws_api_gateway_stage", "name": "this",
         "instances": [{"index_key": "eu", "attributes": {"rest_api_id": "b2", "stage_name": "eu"}}]},
        {"mode": "data", "type": "aws_region", "name": "current", "instances": [{"attributes": {"name": "us-east-1"}}]},
    ]}
    expected = {
        "aws_api_gateway_stage.prod": {"rest_api_id": "a1", "stage_name": "prod"},
        'module.edge.aws_api_gateway_stage.this["eu"]': {"rest_api_id": "b2", "stage_name": "eu"},
    }
    for name, document in (("shown.json", shown), ("terraform.tfstate", tfstate)):
        (tmp_path / name).write_text(json.dumps(document))
        assert read_state(str(tmp_path / name)) == expected


def test_drift_refuses_a_baseline(capsys, tmp_path):
    assert main(["drift", str(tmp_path), "--baseline", str(tmp_path / "baseline.json")]) == 2
    assert capsys.readouterr().err == "tf-apigw-lint: drift: --baseline applies to check: drift reports what differs today\n"


def test_a_configuration_is_compared_only_with_its_own_region(aws, capsys, tmp_path):
    """The configuration's provider is in us-east-1: what eu-west-1 runs is another deployment."""
    aws.rest_stage(settings={"logging/loglevel": "INFO", "metrics/enabled": "true"})
    elsewhere = aws.rest_stage(region="eu-west-1")  # logging off, the same name
    (tmp_path / "main.tf").write_text(CONFIGURATION + f'\nprovider "aws" {{\n  region = "{REGION}"\n}}\n')
    code = main(["drift", str(tmp_path), "--endpoint-url", aws.url, "--region", REGION, "--region", "eu-west-1",
                 "--format", "json", "--fail-on", "warning"])
    report = json.loads(capsys.readouterr().out)
    assert (code, findings(report)) == (0, [])
    assert elsewhere.api_id  # deployed, and not compared


def test_a_stage_a_deployment_creates_is_compared(aws, capsys, tmp_path):
    stage = aws.rest_stage(settings={"logging/loglevel": "ERROR"})
    configuration = textwrap.dedent("""\
        resource "aws_api_gateway_rest_api" "api" {
          name = "pets"
        }

        resource "aws_api_gateway_deployment" "d" {
          rest_api_id = aws_api_gateway_rest_api.api.id
          stage_name  = "prod"
        }

        resource "aws_api_gateway_method_settings" "all" {
          rest_api_id = aws_api_gateway_rest_api.api.id
          stage_name  = aws_api_gateway_deployment.d.stage_name
          method_path = "*/*"
          settings {
            logging_level = "INFO"
          }
        }
        """)
    (tmp_path / "main.tf").write_text(configuration)
    code = main(["drift", str(tmp_path), "--endpoint-url", aws.url, "--region", REGION, "--format", "json", "--fail-on", "warning"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    assert findings(report) == [
        ("LIVE005", stage.address,
         "access_log_settings is set deployed, not set in the configuration (aws_api_gateway_deployment.d)"),
        ("LIVE005", stage.method_settings_address("*/*"),
         '*/* settings.logging_level is "ERROR" deployed, "INFO" in the configuration (aws_api_gateway_method_settings.all)'),
    ]


def test_two_deployed_apis_of_the_same_name_are_not_guessed_between(aws, capsys, tmp_path):
    aws.rest_stage(settings={"logging/loglevel": "INFO", "metrics/enabled": "true"})
    aws.rest_stage(access_log=False)  # also "pets"/"prod": logging off, no access log
    code, report, _ = drift(capsys, aws, tmp_path)
    assert code == 1
    assert findings(report) == [(
        "LIVE006", f"aws:{ACCOUNT}:{REGION}:restapis",
        '2 deployed APIs named "pets" have a stage "prod"; not checked: drift of aws_api_gateway_stage.prod '
        "(give --state to say which is its)",
    )]


def test_a_declared_method_override_that_is_not_deployed(aws, capsys, tmp_path):
    stage = aws.rest_stage(settings={"logging/loglevel": "INFO", "metrics/enabled": "true"})
    override = textwrap.dedent("""\
        resource "aws_api_gateway_method_settings" "post" {
          rest_api_id = aws_api_gateway_rest_api.api.id
          stage_name  = aws_api_gateway_stage.prod.stage_name
          method_path = "pets/POST"
          settings {
            logging_level = "INFO"
          }
        }
        """)
    (tmp_path / "post.tf").write_text(override)
    code, report, _ = drift(capsys, aws, tmp_path)
    assert code == 1
    assert findings(report) == [(
        "LIVE005", stage.address,
        "method settings pets/POST are in the configuration (aws_api_gateway_method_settings.post) but not deployed",
    )]


def test_a_path_without_terraform_files_is_said(aws, capsys, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    code = main(["drift", str(empty), "--endpoint-url", aws.url, "--region", REGION])
    captured = capsys.readouterr()
    assert code == 0
    assert captured.err == f"tf-apigw-lint: drift: no Terraform files found in {empty}: there is no configuration to compare\n"
