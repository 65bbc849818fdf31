"""What the live backend reads from a deployed account region, over real HTTP to moto."""

from __future__ import annotations

from live_fixtures import ACCOUNT, ACCESS_FORMAT, REGION

from tf_apigw_lint.live.aws import AwsSession
from tf_apigw_lint.live.build import Scope, method_path, read_account_region


def read(aws, scope=Scope()):
    return read_account_region(AwsSession(endpoint_url=aws.url).reader(REGION), ACCOUNT, scope)


def test_a_correct_stage_reads_as_the_resources_terraform_would_manage(aws):
    stage = aws.correct()
    configuration = read(aws)
    assert configuration.source == "live" and configuration.name == f"{ACCOUNT}/{REGION}"
    assert configuration.diagnostics == []
    [account] = configuration.resources("aws_api_gateway_account")
    assert account.address == f"aws:{ACCOUNT}:{REGION}:account"
    assert account.attr("cloudwatch_role_arn") == f"arn:aws:iam::{ACCOUNT}:role/apigw-logs"
    [role] = configuration.resources("aws_iam_role")
    assert role.address == f"aws:{ACCOUNT}:global:role/apigw-logs"
    assert role.attr("assume_role_policy")["Statement"][0]["Principal"] == {"Service": "apigateway.amazonaws.com"}
    [inline] = role.blocks("inline_policy")
    assert inline.attr("name") == "logs" and "logs:PutLogEvents" in inline.attr("policy")["Statement"][0]["Action"]
    [deployed] = configuration.resources("aws_api_gateway_stage")
    assert deployed.address == stage.address
    assert (deployed.attr("rest_api_id"), deployed.attr("stage_name")) == (stage.api_id, "prod")
    assert deployed.refers_to("rest_api_id") == {f"aws:{ACCOUNT}:{REGION}:restapi/{stage.api_id}"}
    [access] = deployed.blocks("access_log_settings")
    assert access.attr("destination_arn") == f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:/apigw/pets/prod"
    assert access.attr("format") == ACCESS_FORMAT
    assert deployed.range_of("access_log_settings.format") is None
    [settings] = configuration.resources("aws_api_gateway_method_settings")
    assert settings.address == stage.method_settings_address()
    assert settings.attr("method_path") == "*/*" and settings.refers_to("stage_name") == {stage.address}
    assert settings.blocks("settings")[0].attr("logging_level") == "INFO"
    assert settings.blocks("settings")[0].attr("metrics_enabled") is True
    groups = {g.attr("name"): g.attr("retention_in_days") for g in configuration.resources("aws_cloudwatch_log_group")}
    assert groups == {"/apigw/pets/prod": 30, f"API-Gateway-Execution-Logs_{stage.api_id}/prod": 30}


def test_per_method_keys_are_normalised(aws):
    aws.rest_stage(settings={"logging/loglevel": "INFO"}, overrides={"pets/GET": {"logging/loglevel": "OFF"}})
    paths = sorted(s.attr("method_path") for s in read(aws).resources("aws_api_gateway_method_settings"))
    assert paths == ["*/*", "pets/GET"]


def test_method_path_normalisation():
    assert method_path("*/*") == "*/*"
    assert method_path("~1pets/GET") == "pets/GET"
    assert method_path("/pets/GET") == "pets/GET"
    assert method_path("~1pets~1{id}/DELETE") == "pets/{id}/DELETE"


def test_filters_read_only_the_chosen_api_and_stage(aws):
    wanted = aws.rest_stage("pets", "prod")
    aws.rest_stage("orders", "prod")
    configuration = read(aws, Scope(api_id=wanted.api_id, stage="prod"))
    assert [s.address for s in configuration.resources("aws_api_gateway_stage")] == [wanted.address]
    assert read(aws, Scope(api_id=wanted.api_id, stage="dev")).resources("aws_api_gateway_stage") == []


def test_a_missing_role_and_missing_log_groups_are_facts_for_the_live_rules(aws):
    aws.account_role(f"arn:aws:iam::{ACCOUNT}:role/gone")
    stage = aws.rest_stage(settings={"logging/loglevel": "INFO"}, access_log=f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:nowhere")
    facts = [(d.rule_id, d.address) for d in read(aws).diagnostics]
    assert facts == [
        ("LIVE001", f"aws:{ACCOUNT}:{REGION}:account"),
        ("LIVE003", stage.address),
        ("LIVE004", stage.address),
    ]


def test_a_missing_firehose_stream_is_a_fact_for_live003_and_a_present_one_is_not(aws):
    present = aws.rest_stage("pets", access_log=aws.delivery_stream("amazon-apigateway-pets"))
    missing = aws.rest_stage("orders", access_log=f"arn:aws:firehose:{REGION}:{ACCOUNT}:deliverystream/amazon-apigateway-gone")
    elsewhere = aws.rest_stage("users", access_log=f"arn:aws:firehose:eu-west-1:{ACCOUNT}:deliverystream/amazon-apigateway-x")
    facts = [(d.rule_id, d.address, d.message) for d in read(aws).diagnostics]
    # Only the missing stream of this account region: the present one exists, and one in
    # another region is not read with credentials for this one.
    assert facts == [("LIVE003", missing.address, "access logs go to the Firehose stream amazon-apigateway-gone, which does not exist")]
    assert len({present.address, missing.address, elsewhere.address}) == 3


def test_websocket_stages_read_as_v2_stages(aws):
    v2 = aws.client("apigatewayv2")
    api = v2.create_api(Name="chat", ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.action")["ApiId"]
    v2.create_stage(ApiId=api, StageName="prod", DefaultRouteSettings={"LoggingLevel": "ERROR", "DataTraceEnabled": True})
    configuration = read(aws)
    [stage] = configuration.resources("aws_apigatewayv2_stage")
    assert stage.address == f"aws:{ACCOUNT}:{REGION}:api/{api}/stage/prod"
    assert stage.refers_to("api_id") == {f"aws:{ACCOUNT}:{REGION}:api/{api}"}
    [default] = stage.blocks("default_route_settings")
    assert (default.attr("logging_level"), default.attr("data_trace_enabled")) == ("ERROR", True)
    assert configuration.resources("aws_apigatewayv2_api")[0].attr("protocol_type") == "WEBSOCKET"
    assert [d.rule_id for d in configuration.diagnostics] == ["LIVE004"]


def test_enabled_regions_leave_out_regions_not_opted_in(aws):
    regions = AwsSession(endpoint_url=aws.url).enabled_regions()
    assert "us-east-1" in regions and "eu-west-1" in regions
    assert "ap-east-1" not in regions  # opt-in region the account has not enabled
    assert regions == sorted(regions)


def test_a_role_in_another_account_is_not_taken_for_this_accounts_role_of_that_name(aws):
    aws.role()  # apigw-logs in this account, trusting API Gateway
    aws.account_role("arn:aws:iam::999999999999:role/apigw-logs")
    configuration = read(aws)
    facts = [(d.rule_id, d.address, d.message) for d in configuration.diagnostics]
    assert facts == [(
        "LIVE006", f"aws:{ACCOUNT}:global:role/apigw-logs",
        f"the role is in account 999999999999, these credentials read account {ACCOUNT}; not checked: the CloudWatch role apigw-logs",
    )]
    [role] = configuration.resources("aws_iam_role")
    assert role.attr("arn") == "arn:aws:iam::999999999999:role/apigw-logs"
