"""A configuration and the `terraform show -json` plan Terraform makes of it (on a fresh
account, `-var region=us-east-1`), written in the documented format.

The root has an account, a REST API, a log group, two stages (`prod` with access logs
whose `destination_arn` is unknown until apply, `dev` without access logs and with its
`rest_api_id` through a local) and stage-wide method settings for each, linked by reference
(`dev` at `ERROR`). `module.edge` is called with `for_each` and holds `count = 2` log groups,
stages and method settings; it gets `rest_api_id` and its logging level from the caller and
`depends_on` the account. A log group uses the aliased provider `aws.west`.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

AWS = "registry.terraform.io/hashicorp/aws"

MAIN_TF = """\
provider "aws" {
  region = var.region
}

provider "aws" {
  alias  = "west"
  region = "us-west-2"
}

variable "region" {
  default = "eu-west-1"
}

locals {
  api_id = aws_api_gateway_rest_api.api.id
}

resource "aws_api_gateway_account" "this" {
  cloudwatch_role_arn = "arn:aws:iam::123456789012:role/apigw-logs"
}

resource "aws_api_gateway_rest_api" "api" {
  name = "pets"
}

resource "aws_cloudwatch_log_group" "access" {
  name              = "/aws/apigateway/pets"
  retention_in_days = 30
}

resource "aws_cloudwatch_log_group" "west" {
  provider = aws.west
  name     = "/aws/apigateway/west"
}

resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  deployment_id = "d1"
  stage_name    = "prod"
  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.access.arn
    format          = "$context.requestId $context.status"
  }
}

resource "aws_api_gateway_stage" "dev" {
  rest_api_id   = local.api_id
  deployment_id = "d1"
  stage_name    = "dev"
}

resource "aws_api_gateway_method_settings" "prod" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  stage_name  = aws_api_gateway_stage.prod.stage_name
  method_path = "*/*"
  settings {
    logging_level   = "INFO"
    metrics_enabled = true
  }
  depends_on = [aws_api_gateway_account.this]
}

resource "aws_api_gateway_method_settings" "dev" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  stage_name  = aws_api_gateway_stage.dev.stage_name
  method_path = "*/*"
  settings {
    logging_level   = "ERROR"
    metrics_enabled = true
  }
  depends_on = [aws_api_gateway_account.this]
}

module "edge" {
  source      = "./modules/edge"
  for_each    = { eu = "INFO", us = "ERROR" }
  rest_api_id = aws_api_gateway_rest_api.api.id
  name        = each.key
  level       = each.value
  depends_on  = [aws_api_gateway_account.this]
}
"""

EDGE_TF = """\
variable "rest_api_id" {}
variable "name" {}
variable "level" {}

resource "aws_cloudwatch_log_group" "access" {
  count = 2
  name  = "/aws/apigateway/${var.name}-${count.index}"
}

resource "aws_api_gateway_stage" "this" {
  count         = 2
  rest_api_id   = var.rest_api_id
  deployment_id = "d1"
  stage_name    = "${var.name}-${count.index}"
  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.access[count.index].arn
    format          = "$context.requestId"
  }
}

resource "aws_api_gateway_method_settings" "this" {
  count       = 2
  rest_api_id = var.rest_api_id
  stage_name  = aws_api_gateway_stage.this[count.index].stage_name
  method_path = "*/*"
  settings {
    logging_level   = var.level
    metrics_enabled = true
  }
}
"""

SOURCES = {"main.tf": MAIN_TF, "modules/edge/main.tf": EDGE_TF}

# Attributes Optional+Computed in the AWS provider: unknown in a plan when not set.
SETTINGS_COMPUTED = {
    "cache_data_encrypted": True,
    "cache_ttl_in_seconds": True,
    "caching_enabled": True,
    "data_trace_enabled": True,
    "require_authorization_for_cache_control": True,
    "throttling_burst_limit": True,
    "throttling_rate_limit": True,
    "unauthorized_cache_control_header_strategy": True,
}
STAGE_COMPUTED = {"arn": True, "execution_arn": True, "id": True, "invoke_url": True, "web_acl_arn": True}


def ref(*references: str) -> dict:
    return {"references": list(references)}


def const(value) -> dict:
    return {"constant_value": value}


def _key_text(key) -> str:
    return "" if key is None else f"[{json.dumps(key)}]"


def planned(module: str, type_: str, name: str, values: dict, key=None, mode: str = "managed") -> dict:
    local = f"{type_}.{name}" if mode == "managed" else f"data.{type_}.{name}"
    address = (f"{module}." if module else "") + local + _key_text(key)
    resource = {"address": address, "mode": mode, "type": type_, "name": name, "provider_name": AWS, "schema_version": 0, "values": values, "sensitive_values": {}}
    if key is not None:
        resource["index"] = key
    return resource


def change(resource: dict, module: str, after_unknown: dict, actions=("create",)) -> dict:
    entry = {key: resource[key] for key in ("address", "mode", "type", "name", "provider_name") if key in resource}
    if module:
        entry["module_address"] = module
    if "index" in resource:
        entry["index"] = resource["index"]
    entry["change"] = {"actions": list(actions), "before": None, "after": resource["values"], "after_unknown": after_unknown, "before_sensitive": False, "after_sensitive": {}}
    return entry


def config_resource(module_path: str, type_: str, name: str, expressions: dict, provider_config_key: str = "aws", **extra) -> dict:
    address = (f"{module_path}." if module_path else "") + f"{type_}.{name}"
    return {"address": address, "mode": "managed", "type": type_, "name": name, "provider_config_key": provider_config_key, "expressions": expressions, "schema_version": 0, **extra}


def _root() -> tuple[list, list]:
    resources, changes = [], []

    def add(type_, name, values, unknown):
        resource = planned("", type_, name, values)
        resources.append(resource)
        changes.append(change(resource, "", unknown))

    add("aws_api_gateway_account", "this", {"cloudwatch_role_arn": "arn:aws:iam::123456789012:role/apigw-logs", "reset_on_delete": None}, {"id": True, "throttle_settings": True})
    add("aws_api_gateway_rest_api", "api", {"name": "pets", "tags": None}, {"arn": True, "execution_arn": True, "id": True, "root_resource_id": True})
    add("aws_cloudwatch_log_group", "access", {"name": "/aws/apigateway/pets", "retention_in_days": 30, "skip_destroy": False}, {"arn": True, "id": True})
    add("aws_cloudwatch_log_group", "west", {"name": "/aws/apigateway/west", "retention_in_days": 0}, {"arn": True, "id": True})
    add(
        "aws_api_gateway_stage", "prod",
        {"deployment_id": "d1", "stage_name": "prod", "access_log_settings": [{"format": "$context.requestId $context.status"}], "xray_tracing_enabled": False},
        {"rest_api_id": True, "access_log_settings": [{"destination_arn": True}], **STAGE_COMPUTED},
    )
    add(
        "aws_api_gateway_stage", "dev",
        {"deployment_id": "d1", "stage_name": "dev", "access_log_settings": [], "xray_tracing_enabled": False},
        {"rest_api_id": True, "access_log_settings": [], **STAGE_COMPUTED},
    )
    for name, level in (("prod", "INFO"), ("dev", "ERROR")):
        add(
            "aws_api_gateway_method_settings", name,
            {"method_path": "*/*", "stage_name": name, "settings": [{"logging_level": level, "metrics_enabled": True}]},
            {"id": True, "rest_api_id": True, "settings": [SETTINGS_COMPUTED]},
        )
    return resources, changes


def _edge(key: str, level: str) -> tuple[dict, list]:
    module = f'module.edge["{key}"]'
    resources, changes = [], []
    for index in range(2):
        group = planned(module, "aws_cloudwatch_log_group", "access", {"name": f"/aws/apigateway/{key}-{index}", "retention_in_days": 0}, index)
        stage = planned(
            module, "aws_api_gateway_stage", "this",
            {"deployment_id": "d1", "stage_name": f"{key}-{index}", "access_log_settings": [{"format": "$context.requestId"}]}, index,
        )
        settings = planned(
            module, "aws_api_gateway_method_settings", "this",
            {"method_path": "*/*", "stage_name": f"{key}-{index}", "settings": [{"logging_level": level, "metrics_enabled": True}]}, index,
        )
        for resource, unknown in (
            (group, {"arn": True, "id": True}),
            (stage, {"rest_api_id": True, "access_log_settings": [{"destination_arn": True}], **STAGE_COMPUTED}),
            (settings, {"id": True, "rest_api_id": True, "settings": [SETTINGS_COMPUTED]}),
        ):
            resources.append(resource)
            changes.append(change(resource, module, unknown))
    return {"address": module, "resources": resources}, changes


def _configuration() -> dict:
    root = [
        config_resource("", "aws_api_gateway_account", "this", {"cloudwatch_role_arn": const("arn:aws:iam::123456789012:role/apigw-logs")}),
        config_resource("", "aws_api_gateway_method_settings", "dev", {
            "method_path": const("*/*"),
            "rest_api_id": ref("aws_api_gateway_rest_api.api.id", "aws_api_gateway_rest_api.api"),
            "settings": [{"logging_level": const("ERROR"), "metrics_enabled": const(True)}],
            "stage_name": ref("aws_api_gateway_stage.dev.stage_name", "aws_api_gateway_stage.dev"),
        }, depends_on=["aws_api_gateway_account.this"]),
        config_resource("", "aws_api_gateway_method_settings", "prod", {
            "method_path": const("*/*"),
            "rest_api_id": ref("aws_api_gateway_rest_api.api.id", "aws_api_gateway_rest_api.api"),
            "settings": [{"logging_level": const("INFO"), "metrics_enabled": const(True)}],
            "stage_name": ref("aws_api_gateway_stage.prod.stage_name", "aws_api_gateway_stage.prod"),
        }, depends_on=["aws_api_gateway_account.this"]),
        config_resource("", "aws_api_gateway_rest_api", "api", {"name": const("pets")}),
        config_resource("", "aws_api_gateway_stage", "dev", {
            "deployment_id": const("d1"),
            "rest_api_id": ref("local.api_id"),
            "stage_name": const("dev"),
        }),
        config_resource("", "aws_api_gateway_stage", "prod", {
            "access_log_settings": [{
                "destination_arn": ref("aws_cloudwatch_log_group.access.arn", "aws_cloudwatch_log_group.access"),
                "format": const("$context.requestId $context.status"),
            }],
            "deployment_id": const("d1"),
            "rest_api_id": ref("aws_api_gateway_rest_api.api.id", "aws_api_gateway_rest_api.api"),
            "stage_name": const("prod"),
        }),
        config_resource("", "aws_cloudwatch_log_group", "access", {"name": const("/aws/apigateway/pets"), "retention_in_days": const(30)}),
        config_resource("", "aws_cloudwatch_log_group", "west", {"name": const("/aws/apigateway/west")}, provider_config_key="aws.west"),
    ]
    edge = [
        config_resource("module.edge", "aws_api_gateway_method_settings", "this", {
            "method_path": const("*/*"),
            "rest_api_id": ref("var.rest_api_id"),
            "settings": [{"logging_level": ref("var.level"), "metrics_enabled": const(True)}],
            "stage_name": ref("aws_api_gateway_stage.this", "count.index"),
        }, count_expression=const(2)),
        config_resource("module.edge", "aws_api_gateway_stage", "this", {
            "access_log_settings": [{
                "destination_arn": ref("aws_cloudwatch_log_group.access", "count.index"),
                "format": const("$context.requestId"),
            }],
            "deployment_id": const("d1"),
            "rest_api_id": ref("var.rest_api_id"),
            "stage_name": ref("var.name", "count.index"),
        }, count_expression=const(2)),
        config_resource("module.edge", "aws_cloudwatch_log_group", "access", {"name": ref("var.name", "count.index")}, count_expression=const(2)),
    ]
    return {
        "provider_config": {
            "aws": {"name": "aws", "full_name": AWS, "expressions": {"region": ref("var.region")}},
            "aws.west": {"name": "aws", "full_name": AWS, "alias": "west", "expressions": {"region": const("us-west-2")}},
        },
        "root_module": {
            "resources": root,
            "module_calls": {
                "edge": {
                    "source": "./modules/edge",
                    "expressions": {
                        "level": ref("each.value"),
                        "name": ref("each.key"),
                        "rest_api_id": ref("aws_api_gateway_rest_api.api.id", "aws_api_gateway_rest_api.api"),
                    },
                    "for_each_expression": const({"eu": "INFO", "us": "ERROR"}),
                    "module": {
                        "resources": edge,
                        "variables": {"level": {}, "name": {}, "rest_api_id": {}},
                    },
                    "depends_on": ["aws_api_gateway_account.this"],
                }
            },
            "variables": {"region": {"default": "eu-west-1"}},
        },
    }


def plan_document() -> dict:
    """A fresh copy of the plan, for tests to modify."""
    resources, changes = _root()
    children = []
    for key, level in (("eu", "INFO"), ("us", "ERROR")):
        child, child_changes = _edge(key, level)
        children.append(child)
        changes.extend(child_changes)
    return copy.deepcopy({
        "format_version": "1.2",
        "terraform_version": "1.9.5",
        "variables": {"region": {"value": "us-east-1"}},
        "planned_values": {"root_module": {"resources": resources, "child_modules": children}},
        "resource_changes": changes,
        "configuration": _configuration(),
        "timestamp": "2024-09-01T12:00:00Z",
        "applyable": True,
        "complete": True,
        "errored": False,
    })


def write_plan(directory: Path, document: dict, name: str = "plan.json", indent: int | None = None) -> Path:
    path = directory / name
    path.write_text(json.dumps(document, indent=indent))
    return path
