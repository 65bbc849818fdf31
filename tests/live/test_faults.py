"""Faults AWS shows and moto does not, injected by a proxy in front of moto (botocore's real
retry and timeout code runs) or, for paging, by botocore's Stubber. The report goes on and
says what could not be checked (LIVE006); nothing hangs."""

from __future__ import annotations

import threading

import boto3
import pytest
from botocore.config import Config
from botocore.stub import Stubber
from fault_proxy import Fault, FaultProxy
from live_fixtures import ACCOUNT, REGION

from tf_apigw_lint.live.aws import AwsReader, AwsSession, Timeouts
from tf_apigw_lint.live.build import read_account_region
from tf_apigw_lint.live.reader import CallFailed

QUICK = Timeouts(connect=1.0, read=1.0, attempts=3)


def read_through(proxy, timeouts=QUICK):
    return read_account_region(AwsSession(endpoint_url=proxy.url, timeouts=timeouts).reader(REGION), ACCOUNT)


def facts(configuration):
    return sorted((d.rule_id, d.address, d.message) for d in configuration.diagnostics)


def operations(proxy, service):
    return [seen.operation for seen in proxy.seen if seen.service == service]


def test_throttling_then_success_is_retried(aws):
    aws.correct()
    with FaultProxy(aws.url) as proxy:
        proxy.faults.append(Fault("apigateway", "throttle", "/account", times=1))
        configuration = read_through(proxy)
    assert facts(configuration) == []
    assert operations(proxy, "apigateway").count("GET /account") == 2
    assert configuration.resources("aws_api_gateway_account")[0].attr("cloudwatch_role_arn").endswith(":role/apigw-logs")


def test_a_server_error_that_persists_is_not_readable_and_the_rest_goes_on(aws):
    stage = aws.correct()
    with FaultProxy(aws.url) as proxy:
        proxy.faults.append(Fault("apigateway", "error500", "/account"))
        configuration = read_through(proxy)
    assert facts(configuration) == [
        ("LIVE006", f"aws:{ACCOUNT}:{REGION}:account",
         "GetAccount failed: InternalFailure: We encountered an internal error; not checked: the account's CloudWatch role"),
    ]
    assert operations(proxy, "apigateway").count("GET /account") == QUICK.attempts
    [account] = configuration.resources("aws_api_gateway_account")
    assert "could not be read" in account.attr("cloudwatch_role_arn").reason
    assert [s.address for s in configuration.resources("aws_api_gateway_stage")] == [stage.address]


def test_a_connection_reset_once_is_retried(aws):
    aws.correct()
    with FaultProxy(aws.url) as proxy:
        proxy.faults.append(Fault("iam", "reset", "GetRole", times=1))
        configuration = read_through(proxy)
    assert facts(configuration) == []
    assert operations(proxy, "iam").count("GetRole") == 2


def test_connections_reset_every_time_are_not_readable(aws):
    aws.correct()
    with FaultProxy(aws.url) as proxy:
        proxy.faults.append(Fault("iam", "reset", "GetRole"))
        configuration = read_through(proxy)
    [(rule_id, address, message)] = facts(configuration)
    assert (rule_id, address) == ("LIVE006", f"aws:{ACCOUNT}:global:role/apigw-logs")
    assert message.startswith("GetRole failed: ") and message.endswith("not checked: the CloudWatch role apigw-logs")


def test_timeouts_end_each_read_and_nothing_hangs(aws):
    aws.correct()
    result = {}
    with FaultProxy(aws.url) as proxy:
        proxy.faults.append(Fault("logs", "slow", "DescribeLogGroups", delay=3.0))
        worker = threading.Thread(target=lambda: result.update(configuration=read_through(proxy, Timeouts(1.0, 0.3, 2))))
        worker.start()
        worker.join(60)
        assert not worker.is_alive(), "the read did not end"
    rules = [(rule_id, message.split(":")[0]) for rule_id, _, message in facts(result["configuration"])]
    assert rules == [("LIVE006", "DescribeLogGroups failed"), ("LIVE006", "DescribeLogGroups failed")]


def _stubbed(service):
    client = boto3.client(
        service, region_name=REGION, aws_access_key_id="testing", aws_secret_access_key="testing",
        config=Config(retries={"mode": "standard", "total_max_attempts": 1}),
    )
    return client, Stubber(client)


def test_listings_follow_every_page():
    client, stubber = _stubbed("apigateway")
    stubber.add_response("get_rest_apis", {"items": [{"id": "a1", "name": "one"}], "position": "p2"}, {})
    stubber.add_response("get_rest_apis", {"items": [{"id": "b2", "name": "two"}]}, {"position": "p2"})
    with stubber:
        apis = AwsReader(REGION, lambda service: client).get_rest_apis()
    assert [api["id"] for api in apis] == ["a1", "b2"]
    stubber.assert_no_pending_responses()


def test_a_page_failing_midway_fails_the_whole_listing():
    client, stubber = _stubbed("logs")
    stubber.add_response("describe_log_groups", {"logGroups": [{"logGroupName": "a"}], "nextToken": "t"}, {"logGroupNamePrefix": "a"})
    stubber.add_client_error("describe_log_groups", "ServiceUnavailableException", "try later", 503)
    with stubber, pytest.raises(CallFailed) as failure:
        AwsReader(REGION, lambda service: client).describe_log_groups("a")
    assert str(failure.value) == "DescribeLogGroups failed: ServiceUnavailableException: try later"


def test_a_listing_that_fails_midway_is_reported_and_the_account_is_still_checked(aws):
    aws.account_role(f"arn:aws:iam::{ACCOUNT}:role/deleted")
    aws.rest_stage()
    with FaultProxy(aws.url) as proxy:
        proxy.faults.append(Fault("apigateway", "error500", "/restapis"))
        configuration = read_through(proxy)
    assert [(rule_id, address) for rule_id, address, _ in facts(configuration)] == [
        ("LIVE001", f"aws:{ACCOUNT}:{REGION}:account"),
        ("LIVE006", f"aws:{ACCOUNT}:{REGION}:restapis"),
    ]
