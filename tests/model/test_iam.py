"""IAM policy evaluation (analysis/iam/policy.py): action and resource matching, trust policies,
effective permissions, known managed policies, and data "aws_iam_policy_document"
rendered as the AWS provider renders it."""

from __future__ import annotations

import json

import pytest

from tf_apigw_lint.analysis.iam.policy import (
    FIELD,
    PUSH_TO_CLOUDWATCH_ACTIONS,
    Decision,
    PolicySource,
    action_matches,
    evaluate_permissions,
    evaluate_trust,
    execution_log_targets,
    globs_intersect,
    managed_policy,
    resource_could_match,
    within_boundary,
)
from tf_apigw_lint.model.provider import emulated_attribute
from tf_apigw_lint.view.aws import partition_of_region
from tf_apigw_lint.view.policy_documents import parse_policy
from tf_apigw_lint.view.values import Holes, Reference, Unknown

ACCOUNT_ID = Reference("data.aws_caller_identity.current", "account_id", "aws_caller_identity")


@pytest.mark.parametrize(
    "pattern, action, expected",
    [
        ("logs:PutLogEvents", "logs:PutLogEvents", True),
        ("logs:putlogevents", "logs:PutLogEvents", True),
        ("LOGS:*", "logs:PutLogEvents", True),
        ("logs:Put*", "logs:PutLogEvents", True),
        ("logs:Put*", "logs:CreateLogStream", False),
        ("logs:*LogEvents", "logs:FilterLogEvents", True),
        ("logs:?etLogEvents", "logs:GetLogEvents", True),
        ("*", "logs:GetLogEvents", True),
        ("logs", "logs:GetLogEvents", False),
        ("s3:*", "logs:GetLogEvents", False),
        ("logs:[A-Z]*", "logs:GetLogEvents", False),
    ],
)
def test_action_matches(pattern, action, expected):
    assert action_matches(pattern, action) is expected


TARGETS = execution_log_targets("aws", "eu-west-1")


@pytest.mark.parametrize(
    "pattern, expected",
    [
        ("*", True),
        ("arn:aws:logs:*:*:*", True),
        ("arn:aws:logs:eu-west-1:123456789012:*", True),
        ("arn:aws:logs:*:*:log-group:*", True),
        ("arn:aws:logs:*:*:log-group:API-Gateway-Execution-Logs_*", True),
        ("arn:aws:logs:*:*:log-group:API-Gateway-Execution-Logs_*:*", True),
        ("arn:aws:logs:*:*:log-group:API-Gateway-Execution-Logs_*:log-stream:*", True),
        ("arn:aws:logs:*:*:log-group:API-Gateway-Execution-Logs_a1b2c3/prod", True),
        ("arn:aws:logs:us-east-1:*:*", False),
        ("arn:aws-cn:logs:*:*:*", False),
        ("arn:aws:logs:*:*:log-group:/aws/lambda/*", False),
        ("arn:aws:logs:*:*:log-group:/aws/apigateway/*", False),
        ("arn:aws:s3:::bucket/*", False),
        ("arn:aws:logs:*:*:log-group:api-gateway-execution-logs_*", False),
    ],
)
def test_resource_could_match_the_execution_log_groups(pattern, expected):
    assert resource_could_match(pattern, TARGETS) is expected


def test_targets_with_unknown_region_match_any_region():
    assert resource_could_match("arn:aws:logs:us-east-1:*:*", execution_log_targets()) is True
    assert resource_could_match("arn:aws:logs:us-east-1:*:*", execution_log_targets("aws", None)) is True
    assert FIELD in execution_log_targets()[0]


def test_resource_with_holes():
    account_field = Unknown("account", partial=Holes(("arn:aws:logs:*:", ACCOUNT_ID, ":log-group:*")))
    assert resource_could_match(account_field, TARGETS) is True
    unknown_group = Unknown("group", partial=Holes(("arn:aws:logs:*:*:log-group:", Unknown("var.group"))))
    assert resource_could_match(unknown_group, TARGETS) is None
    never = Unknown("group", partial=Holes(("arn:aws:logs:*:*:log-group:/aws/lambda/", Unknown("var.fn"))))
    assert resource_could_match(never, TARGETS) is False
    assert resource_could_match(Unknown("var.arn"), TARGETS) is None


def test_resource_reference_is_resolved_when_possible():
    group = Reference("aws_cloudwatch_log_group.exec", "arn", "aws_cloudwatch_log_group")
    assert resource_could_match(group, TARGETS) is None
    resolve = lambda ref: "arn:*:logs:*:*:log-group:API-Gateway-Execution-Logs_abc/prod"  # noqa: E731
    assert resource_could_match(group, TARGETS, resolve) is True


def test_globs_intersect_respects_fields():
    assert globs_intersect("a*c", "abc") is True
    assert globs_intersect("a:*", f"a:{FIELD}") is True
    assert globs_intersect("a:*:b", f"a:{FIELD}") is False
    assert globs_intersect("a?c", f"a{FIELD}c") is True
    assert globs_intersect("a:c", f"a{FIELD}c") is False


# --- trust ---------------------------------------------------------------------------


def trust(statement: dict | list) -> dict:
    return {"Version": "2012-10-17", "Statement": statement}


def allow_assume(principal, **more) -> dict:
    return {"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": principal, **more}


APIGW = {"Service": "apigateway.amazonaws.com"}


@pytest.mark.parametrize(
    "policy, trusted",
    [
        (trust(allow_assume(APIGW)), True),
        (trust([allow_assume(APIGW)]), True),
        (trust(allow_assume({"Service": ["lambda.amazonaws.com", "apigateway.amazonaws.com"]})), True),
        (trust(allow_assume({"Service": "APIGateway.amazonaws.com"})), True),
        (trust(allow_assume({"Service": "apigateway.amazonaws.com.cn"})), True),
        (trust(allow_assume("*")), True),
        (trust(allow_assume({"AWS": "*"})), True),
        (trust(allow_assume({"AWS": "arn:aws:iam::123456789012:root"})), False),
        (trust(allow_assume({"Federated": "cognito-identity.amazonaws.com"})), False),
        (trust(allow_assume({"Service": "lambda.amazonaws.com"})), False),
        (trust({**allow_assume(APIGW), "Action": ["sts:TagSession", "sts:Assume*"]}), True),
        (trust({**allow_assume(APIGW), "Action": "sts:AssumeRoleWithSAML"}), False),
        (trust({"Effect": "Allow", "NotAction": "iam:*", "Principal": APIGW}), True),
        (trust({"Effect": "Allow", "Action": "sts:AssumeRole"}), False),
        (trust({"Effect": "Allow", "Action": "sts:AssumeRole", "NotPrincipal": {"Service": "lambda.amazonaws.com"}}), True),
        (trust({"Effect": "Allow", "Action": "sts:AssumeRole", "NotPrincipal": APIGW}), False),
        (trust([allow_assume("*"), {"Effect": "Deny", "Action": "sts:AssumeRole", "Principal": APIGW}]), False),
        (trust([allow_assume(APIGW), {"Effect": "Deny", "Action": "sts:AssumeRole", "Principal": {"Service": "ec2.amazonaws.com"}}]), True),
        (trust([]), False),
        ({"Version": "2012-10-17"}, False),
        (None, False),
    ],
)
def test_trust_principals_actions_and_deny(policy, trusted):
    assert evaluate_trust(policy).trusted is trusted


@pytest.mark.parametrize(
    "condition, trusted",
    [
        ({"StringEquals": {"sts:ExternalId": "abc"}}, False),
        ({"StringEqualsIfExists": {"sts:ExternalId": "abc"}}, True),
        ({"Null": {"sts:ExternalId": "true"}}, True),
        ({"Null": {"sts:ExternalId": "false"}}, False),
        ({"Bool": {"aws:MultiFactorAuthPresent": "true"}}, False),
        ({"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}, False),
        ({"StringEquals": {"accounts.google.com:aud": "x"}}, False),
        ({"StringNotEquals": {"sts:ExternalId": "x"}}, True),
        ({"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": "o-a/*"}}, False),
        ({"ForAllValues:StringEquals": {"aws:PrincipalTag/team": "x"}}, True),
        ({"StringEquals": {"aws:SourceAccount": "123456789012"}}, True),
        ({"ArnLike": {"aws:SourceArn": "arn:aws:apigateway:*::/*"}}, True),
        ({"StringNotEquals": {"aws:SourceAccount": "123456789012"}}, False),
        ({"StringEquals": {"aws:PrincipalServiceName": "apigateway.amazonaws.com"}}, True),
        ({"StringLike": {"aws:PrincipalServiceName": "apigateway.*"}}, True),
        ({"StringEquals": {"aws:PrincipalServiceName": "lambda.amazonaws.com"}}, False),
        ({"Bool": {"aws:PrincipalIsAWSService": "true"}}, True),
        ({"StringEquals": {"aws:RequestedRegion": "eu-west-1"}}, None),
        ({"StringEquals": {"aws:PrincipalServiceName": Unknown("var.service")}}, None),
    ],
)
def test_trust_conditions(condition, trusted):
    assert evaluate_trust(trust(allow_assume(APIGW, Condition=condition))).trusted is trusted


def test_trust_deny_of_principals_outside_the_organization_applies_to_services():
    # Service principals have no aws:PrincipalOrgID: a negated operator on it matches.
    outside = {"Effect": "Deny", "Action": "sts:AssumeRole", "Principal": "*",
               "Condition": {"StringNotEquals": {"aws:PrincipalOrgID": "o-abc"}}}
    assert evaluate_trust(trust([allow_assume(APIGW), outside])).trusted is False
    except_services = {**outside, "Condition": {**outside["Condition"], "BoolIfExists": {"aws:PrincipalIsAWSService": "false"}}}
    assert evaluate_trust(trust([allow_assume(APIGW), except_services])).trusted is True


def test_trust_deny_with_undecidable_condition_is_uncertain():
    policy = trust([allow_assume(APIGW), {"Effect": "Deny", "Action": "sts:AssumeRole", "Principal": "*",
                                          "Condition": {"StringEquals": {"aws:RequestedRegion": "x"}}}])
    assert evaluate_trust(policy).trusted is None


def test_trust_with_unknown_leaves_is_uncertain_unless_decided():
    assert evaluate_trust(trust(allow_assume({"Service": Unknown("var.service")}))).trusted is None
    assert evaluate_trust(trust([allow_assume(APIGW), allow_assume({"Service": Unknown("x")})])).trusted is True
    assert evaluate_trust(trust(allow_assume({"Service": Unknown("x", partial=Holes(("lambda.", Unknown("y"))))}))).trusted is False
    assert evaluate_trust(Unknown("var.policy")).trusted is None
    assert evaluate_trust(trust([Unknown("a statement")])).trusted is None


def test_trust_reasons():
    assert evaluate_trust(trust(allow_assume({"Service": "lambda.amazonaws.com"}))).reason == (
        "it trusts lambda.amazonaws.com, not apigateway.amazonaws.com"
    )
    denied = trust([allow_assume(APIGW), {"Sid": "NoApigw", "Effect": "Deny", "Action": "*", "Principal": "*"}])
    assert evaluate_trust(denied).reason == 'statement "NoApigw" denies it'
    external = trust(allow_assume(APIGW, Condition={"StringEquals": {"sts:ExternalId": "x"}}))
    assert evaluate_trust(external).reason == (
        "the condition StringEquals on sts:ExternalId of statement 1 can never match for apigateway.amazonaws.com"
    )


# --- permissions -----------------------------------------------------------------------


def source(*statements, attached=True) -> PolicySource:
    return PolicySource("test policy", {"Version": "2012-10-17", "Statement": list(statements)}, attached)


def allow(action, resource="*", **more) -> dict:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **more}


def deny(action, resource="*") -> dict:
    return {"Effect": "Deny", "Action": action, "Resource": resource}


def decisions(*sources) -> dict[str, str]:
    return {a.split(":")[1]: d.value for a, d in evaluate_permissions(sources, targets=TARGETS).decisions.items()}


ALL = {a.split(":")[1]: "allowed" for a in PUSH_TO_CLOUDWATCH_ACTIONS}
NONE = {a.split(":")[1]: "missing" for a in PUSH_TO_CLOUDWATCH_ACTIONS}


def test_permissions_from_the_seven_actions():
    assert decisions(source(allow(list(PUSH_TO_CLOUDWATCH_ACTIONS)))) == ALL
    assert decisions(PolicySource("managed", managed_policy("arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"))) == ALL


def test_permissions_wildcards_and_statement_as_object():
    assert decisions(source(allow("logs:*"))) == ALL
    assert decisions(source(allow("*"))) == ALL
    assert decisions(PolicySource("one", {"Statement": allow(["logs:*"])})) == ALL
    put_only = decisions(source(allow("logs:Put*")))
    assert put_only == {**NONE, "PutLogEvents": "allowed"}


def test_permissions_not_action_and_not_resource():
    assert decisions(source({"Effect": "Allow", "NotAction": ["iam:*", "s3:*"], "Resource": "*"})) == ALL
    assert decisions(source({"Effect": "Allow", "NotAction": "logs:*", "Resource": "*"})) == NONE
    assert decisions(source({"Effect": "Allow", "Action": "logs:*", "NotResource": "arn:aws:logs:*:*:log-group:/aws/*"})) == ALL
    assert decisions(source({"Effect": "Allow", "Action": "logs:*", "NotResource": "arn:aws:logs:*"})) == NONE


def test_permissions_deny_wins():
    result = decisions(source(allow("*")), source(deny(["logs:PutLogEvents", "logs:Get*"])))
    assert result == {**ALL, "PutLogEvents": "denied", "GetLogEvents": "denied"}
    assert decisions(source(allow("*"), deny("logs:*", "arn:aws:logs:*:*:log-group:/aws/lambda/*"))) == ALL
    assert decisions(source(allow("*"), deny("*"))) == {k: "denied" for k in ALL}


def test_permissions_uncertain():
    assert decisions(source(allow("logs:*", Unknown("var.arn")))) == {k: "unknown" for k in ALL}
    with_condition = decisions(source(allow("logs:*", Condition={"StringEquals": {"aws:RequestedRegion": "eu-west-1"}})))
    assert with_condition == {k: "unknown" for k in ALL}
    assert decisions(source(allow("logs:*"), attached=None)) == {k: "unknown" for k in ALL}
    assert decisions(source(allow("logs:*"), attached=False)) == NONE
    assert decisions(PolicySource("x", Unknown("unknown policy"))) == {k: "unknown" for k in ALL}
    # A known Allow of everything is not undone by a policy whose content is unknown.
    assert decisions(source(allow("logs:*")), PolicySource("x", Unknown("unknown policy"))) == ALL
    # An Allow that may not exist is uncertain; a Deny that may exist makes an Allow uncertain.
    assert decisions(source(allow("logs:*")), source(deny("logs:*"), attached=None)) == {k: "unknown" for k in ALL}


def test_permissions_reasons():
    result = evaluate_permissions([source(allow("*")), PolicySource("the other policy", {"Statement": [{"Sid": "NoPut", **deny("logs:PutLogEvents")}]})])
    assert result.missing == ["logs:PutLogEvents"]
    assert result.reasons["logs:PutLogEvents"] == 'statement "NoPut" of the other policy denies it'


def test_permissions_boundary():
    identity = evaluate_permissions([source(allow("*"))])
    assert within_boundary(identity, evaluate_permissions([source(allow("logs:*"))])).missing == []
    limited = within_boundary(identity, evaluate_permissions([source(allow("logs:Put*"))]))
    assert limited.missing == [a for a in PUSH_TO_CLOUDWATCH_ACTIONS if a != "logs:PutLogEvents"]
    unknown = within_boundary(identity, evaluate_permissions([PolicySource("b", Unknown("boundary"))]))
    assert unknown.unknown == list(PUSH_TO_CLOUDWATCH_ACTIONS)
    assert unknown.decisions["logs:PutLogEvents"] is Decision.UNKNOWN


# --- policies by ARN and parsing ---------------------------------------------------------


@pytest.mark.parametrize("partition", ["aws", "aws-cn", "aws-us-gov"])
def test_push_to_cloudwatch_policy_in_every_partition(partition):
    document = managed_policy(f"arn:{partition}:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs")
    assert document["Statement"][0]["Action"] == list(PUSH_TO_CLOUDWATCH_ACTIONS)


def test_managed_policies():
    assert managed_policy("arn:aws:iam::aws:policy/AdministratorAccess")["Statement"][0]["Action"] == "*"
    assert isinstance(managed_policy("arn:aws:iam::aws:policy/ReadOnlyAccess"), Unknown)
    assert isinstance(managed_policy("arn:aws-iso:iam::aws:policy/AdministratorAccess"), Unknown)
    assert managed_policy("arn:aws:iam::123456789012:policy/mine") is None
    partition = Reference("data.aws_partition.current", "partition", "aws_partition")
    templated = Unknown("partition", partial=Holes(("arn:", partition, ":iam::aws:policy/AdministratorAccess")))
    assert managed_policy(templated)["Statement"][0]["Action"] == "*"


def test_partition_of_region():
    assert [partition_of_region(r) for r in ("eu-west-1", "cn-north-1", "us-gov-west-1", None)] == ["aws", "aws-cn", "aws-us-gov", None]


def test_parse_policy():
    assert parse_policy('{"Statement": []}') == {"Statement": []}
    assert isinstance(parse_policy("not json"), Unknown)
    assert isinstance(parse_policy("[]"), Unknown)
    assert parse_policy(None) is None
    partial = {"Statement": [{"Effect": "Allow", "Resource": Unknown("x")}]}
    assert parse_policy(Unknown("jsonencode()", partial=partial)) is partial
    heredoc = Unknown("template", partial=Holes(('{"Statement": {"Effect": "Allow", "Resource": "arn:aws:logs:*:', ACCOUNT_ID, ':*", "Action": "', Unknown("var.a"), '"}}')))
    parsed = parse_policy(heredoc)
    assert parsed["Statement"]["Effect"] == "Allow"
    assert parsed["Statement"]["Resource"].partial == Holes(("arn:aws:logs:*:", ACCOUNT_ID, ":*"))
    assert parsed["Statement"]["Action"] == Unknown("var.a")


# --- data "aws_iam_policy_document" ------------------------------------------------------


def document_json(lint, text: str, name: str, files: dict | None = None):
    result = lint({"main.tf": text, **(files or {})}, exhaustive=True)
    [configuration] = result.model.configurations
    [instance] = [d for d in configuration.resources("aws_iam_policy_document", mode="data") if d.name == name]
    return emulated_attribute(instance, "json")


def test_policy_document_rendering(lint):
    text = """\
data "aws_iam_policy_document" "doc" {
  policy_id = "logs"
  statement {
    sid       = "Logs"
    actions   = ["logs:PutLogEvents", "logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["*"]
    condition {
      test     = "StringEquals"
      variable = "aws:RequestedRegion"
      values   = ["eu-west-1"]
    }
  }
  statement {
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = ["*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
  }
}
"""
    rendered = document_json(lint, text, "doc")
    assert json.loads(rendered) == {
        "Version": "2012-10-17",
        "Id": "logs",
        "Statement": [
            {
                "Sid": "Logs",
                "Effect": "Allow",
                "Action": ["logs:PutLogEvents", "logs:CreateLogStream"],
                "Resource": "*",
                "Condition": {"StringEquals": {"aws:RequestedRegion": "eu-west-1"}},
            },
            {"Effect": "Deny", "Action": "s3:*", "Resource": "*", "Principal": "*"},
        ],
    }


def test_policy_document_merging_by_sid(lint):
    text = """\
data "aws_iam_policy_document" "source" {
  statement {
    sid     = "A"
    actions = ["a:One"]
  }
  statement {
    sid     = "B"
    actions = ["b:One"]
  }
}

data "aws_iam_policy_document" "override" {
  statement {
    sid     = "B"
    actions = ["b:Override"]
  }
  statement {
    actions = ["c:New"]
  }
}

data "aws_iam_policy_document" "merged" {
  source_policy_documents   = [data.aws_iam_policy_document.source.json]
  override_policy_documents = [data.aws_iam_policy_document.override.json]
  statement {
    sid     = "A"
    actions = ["a:Current"]
  }
}
"""
    merged = json.loads(document_json(lint, text, "merged"))
    assert [(s.get("Sid"), s["Action"]) for s in merged["Statement"]] == [("A", "a:Current"), ("B", "b:Override"), (None, "c:New")]


def test_policy_document_with_unknown_leaves_keeps_its_structure(lint):
    text = """\
variable "arn" {}

data "aws_caller_identity" "current" {}

data "aws_iam_policy_document" "doc" {
  statement {
    actions   = ["logs:*"]
    resources = [var.arn, "arn:aws:logs:*:${data.aws_caller_identity.current.account_id}:*"]
  }
}
"""
    rendered = document_json(lint, text, "doc")
    assert isinstance(rendered, Unknown)
    [statement] = rendered.partial["Statement"]
    assert statement["Action"] == "logs:*" and statement["Effect"] == "Allow"
    unknown_var, holes = statement["Resource"]
    assert isinstance(unknown_var, Unknown)
    assert holes.partial == Holes(("arn:aws:logs:*:", ACCOUNT_ID, ":*"))
    assert resource_could_match(holes, TARGETS) is True


def test_glob_intersection_handles_patterns_thousands_of_characters_long():
    """The walk keeps its own stack: a ~740-character pattern used to overflow Python's."""
    long_prefix = "arn:aws:logs:*:*:log-group:API-Gateway-Execution-Logs_" + "x?" * 2500
    target = execution_log_targets("aws", "eu-west-1")[0]
    assert globs_intersect(long_prefix + "*", target) is True
    assert globs_intersect(long_prefix + ":not-a-group-of-ours", target) is False
    assert globs_intersect("*" * 5000, target) is True
