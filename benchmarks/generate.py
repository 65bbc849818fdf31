"""A synthetic Terraform monorepo, the same for the same seed and scale.

Layout: shared library modules under `modules/`, services under `teams/<team>/<service>/`
with one root per environment and service-local modules under `modules/`, and a few API
Gateway stacks under `apis/`. Roots call shared modules (`../../../../modules/x`), local
modules, and registry modules that are not installed. The filler is the Terraform people
write every day (VPCs, subnets with `for_each`, IAM roles with heredoc and `jsonencode`
policies, Lambda functions, S3 buckets, security groups with `dynamic` blocks) and never
mentions an API Gateway resource type.

About one directory in a hundred is an API Gateway stack (REST, HTTP or WebSocket) built
from one of `STACKS`; each stack kind carries a known set of mistakes, and `generate`
returns the findings they must produce: (rule id, Terraform address, file path relative to
the repository).

    python benchmarks/generate.py OUT [--seed N] [--scale F]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
from dataclasses import dataclass

GENERATOR_VERSION = 3  # 2: planted TFL003 findings name their module call; 3: REST stacks have outputs.tf
REGIONS = ("eu-west-1", "eu-central-1", "us-east-1", "us-west-2")
ENVIRONMENTS = ("dev", "staging", "prod", "sandbox")


@dataclass(frozen=True)
class Planted:
    rule_id: str
    address: str | None
    path: str

    def key(self) -> tuple[str, str, str]:
        return (self.rule_id, self.address or "", self.path)


# ---------------------------------------------------------------------------
# Filler: ordinary infrastructure
# ---------------------------------------------------------------------------


def _vpc(rng: random.Random, name: str) -> str:
    azs = rng.randint(2, 3)
    return f'''resource "aws_vpc" "{name}" {{
  cidr_block           = var.cidr_block
  enable_dns_support   = true
  enable_dns_hostnames = true

  tags = merge(local.tags, {{
    Name = "${{var.name}}-{name}"
  }})
}}

resource "aws_subnet" "{name}_private" {{
  for_each = {{ for index, az in slice(var.azs, 0, {azs}) : az => index }}

  vpc_id            = aws_vpc.{name}.id
  availability_zone = each.key
  cidr_block        = cidrsubnet(var.cidr_block, 4, each.value)

  tags = merge(local.tags, {{
    Name = "${{var.name}}-private-${{each.key}}"
    Tier = "private"
  }})
}}

resource "aws_route_table" "{name}_private" {{
  vpc_id = aws_vpc.{name}.id

  tags = local.tags
}}

resource "aws_route_table_association" "{name}_private" {{
  for_each = aws_subnet.{name}_private

  subnet_id      = each.value.id
  route_table_id = aws_route_table.{name}_private.id
}}
'''


def _security_group(rng: random.Random, name: str) -> str:
    ports = sorted(rng.sample([22, 80, 443, 5432, 6379, 8080, 9090, 3306], rng.randint(1, 4)))
    return f'''resource "aws_security_group" "{name}" {{
  name_prefix = "${{var.name}}-{name}-"
  vpc_id      = var.vpc_id

  dynamic "ingress" {{
    for_each = toset({json.dumps(ports)})
    content {{
      from_port   = ingress.value
      to_port     = ingress.value
      protocol    = "tcp"
      cidr_blocks = [var.cidr_block]
    }}
  }}

  egress {{
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }}

  lifecycle {{
    create_before_destroy = true
  }}
}}
'''


def _iam_role_heredoc(rng: random.Random, name: str) -> str:
    service = rng.choice(("lambda.amazonaws.com", "ecs-tasks.amazonaws.com", "ec2.amazonaws.com"))
    actions = rng.sample(["s3:GetObject", "s3:PutObject", "sqs:SendMessage", "sqs:ReceiveMessage",
                          "dynamodb:GetItem", "dynamodb:PutItem", "kms:Decrypt", "logs:PutLogEvents"], 3)
    statements = ",\n".join(f'        "{a}"' for a in actions)
    return f'''resource "aws_iam_role" "{name}" {{
  name = "${{var.name}}-{name}"

  assume_role_policy = <<-EOF
    {{
      "Version": "2012-10-17",
      "Statement": [
        {{
          "Effect": "Allow",
          "Principal": {{ "Service": "{service}" }},
          "Action": "sts:AssumeRole"
        }}
      ]
    }}
  EOF

  tags = local.tags
}}

resource "aws_iam_role_policy" "{name}" {{
  name = "{name}-access"
  role = aws_iam_role.{name}.id

  policy = <<EOT
{{
  "Version": "2012-10-17",
  "Statement": [
    {{
      "Effect": "Allow",
      "Action": [
{statements}
      ],
      "Resource": "*"
    }}
  ]
}}
EOT
}}
'''


def _iam_policy_json(rng: random.Random, name: str) -> str:
    bucket_action = rng.choice(("s3:ListBucket", "s3:GetBucketLocation"))
    return f'''data "aws_iam_policy_document" "{name}" {{
  statement {{
    sid       = "ReadBuckets"
    actions   = ["{bucket_action}"]
    resources = [for bucket in var.bucket_names : "arn:aws:s3:::${{bucket}}"]
  }}

  statement {{
    sid     = "DenyInsecure"
    effect  = "Deny"
    actions = ["s3:*"]
    resources = ["*"]

    condition {{
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }}
  }}
}}

resource "aws_iam_policy" "{name}" {{
  name   = "${{var.name}}-{name}"
  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [
      {{
        Effect   = "Allow"
        Action   = ["cloudwatch:PutMetricData"]
        Resource = "*"
      }},
      {{
        Effect   = "Allow"
        Action   = ["ssm:GetParameter", "ssm:GetParameters"]
        Resource = "arn:aws:ssm:*:*:parameter/${{var.name}}/*"
      }}
    ]
  }})
}}
'''


def _lambda(rng: random.Random, name: str) -> str:
    runtime = rng.choice(("python3.12", "nodejs20.x", "java21", "provided.al2023"))
    memory = rng.choice((128, 256, 512, 1024))
    return f'''resource "aws_lambda_function" "{name}" {{
  function_name = "${{var.name}}-{name}"
  role          = var.role_arn
  handler       = "index.handler"
  runtime       = "{runtime}"
  memory_size   = {memory}
  timeout       = {rng.choice((3, 10, 30, 60))}
  filename      = "${{path.module}}/build/{name}.zip"

  environment {{
    variables = {{
      LOG_LEVEL   = var.environment == "prod" ? "WARN" : "DEBUG"
      TABLE_NAME  = "${{var.name}}-table"
      CONFIG_JSON = jsonencode({{ retries = {rng.randint(1, 5)}, region = var.region }})
    }}
  }}

  tracing_config {{
    mode = "Active"
  }}

  tags = local.tags
}}

resource "aws_cloudwatch_log_group" "{name}" {{
  name              = "/aws/lambda/${{var.name}}-{name}"
  retention_in_days = {rng.choice((7, 14, 30, 90))}
}}
'''


def _bucket(rng: random.Random, name: str) -> str:
    return f'''resource "aws_s3_bucket" "{name}" {{
  for_each = toset(var.bucket_names)

  bucket        = "${{var.name}}-${{each.key}}"
  force_destroy = {rng.choice(("true", "false"))}

  tags = local.tags
}}

resource "aws_s3_bucket_versioning" "{name}" {{
  for_each = aws_s3_bucket.{name}

  bucket = each.value.id
  versioning_configuration {{
    status = "Enabled"
  }}
}}

resource "aws_s3_bucket_public_access_block" "{name}" {{
  for_each = aws_s3_bucket.{name}

  bucket                  = each.value.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}}
'''


def _queue(rng: random.Random, name: str) -> str:
    return f'''resource "aws_sqs_queue" "{name}_dlq" {{
  name                      = "${{var.name}}-{name}-dlq"
  message_retention_seconds = 1209600
}}

resource "aws_sqs_queue" "{name}" {{
  name                       = "${{var.name}}-{name}"
  visibility_timeout_seconds = {rng.choice((30, 60, 300))}
  redrive_policy = jsonencode({{
    deadLetterTargetArn = aws_sqs_queue.{name}_dlq.arn
    maxReceiveCount     = {rng.randint(3, 10)}
  }})
}}
'''


FILLERS = (_vpc, _security_group, _iam_role_heredoc, _iam_policy_json, _lambda, _bucket, _queue)

COMMON_VARIABLES = '''variable "name" {
  type        = string
  description = "Name prefix of every resource."
}

variable "environment" {
  type    = string
  default = "dev"
}

variable "region" {
  type    = string
  default = "eu-west-1"
}

variable "cidr_block" {
  type    = string
  default = "10.0.0.0/16"
}

variable "azs" {
  type    = list(string)
  default = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
}

variable "vpc_id" {
  type    = string
  default = null
}

variable "role_arn" {
  type    = string
  default = null
}

variable "bucket_names" {
  type    = list(string)
  default = ["data", "logs"]
}

variable "tags" {
  type = map(string)
  default = {}
}
'''

LOCALS = '''locals {
  tags = merge(var.tags, {
    Environment = var.environment
    ManagedBy   = "terraform"
  })
}
'''


def _filler_file(rng: random.Random, target_lines: int, prefix: str) -> str:
    parts = []
    lines = 0
    index = 0
    while lines < target_lines:
        text = rng.choice(FILLERS)(rng, f"{prefix}_{index}")
        parts.append(text)
        lines += text.count("\n") + 1
        index += 1
    return "\n".join(parts)


def _outputs(rng: random.Random, count: int) -> str:
    return "\n".join(
        f'output "value_{i}" {{\n  value       = "${{var.name}}-{i}"\n  description = "Output {i}."\n}}\n'
        for i in range(count)
    )


# ---------------------------------------------------------------------------
# API Gateway stacks with known mistakes
# ---------------------------------------------------------------------------

PROVIDERS = '''terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0"
    }
  }
}

provider "aws" {
  region = "eu-west-1"
}
'''

ACCOUNT = '''resource "aws_iam_role" "apigw_cloudwatch" {
  name = "apigw-cloudwatch"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "%(principal)s" }
    }]
  })
  managed_policy_arns = ["arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"]
}

resource "aws_api_gateway_account" "this" {
  cloudwatch_role_arn = aws_iam_role.apigw_cloudwatch.arn
}
'''

REST_API = '''resource "aws_api_gateway_rest_api" "this" {
  name = var.name
}

resource "aws_api_gateway_resource" "items" {
  rest_api_id = aws_api_gateway_rest_api.this.id
  parent_id   = aws_api_gateway_rest_api.this.root_resource_id
  path_part   = "items"
}

resource "aws_api_gateway_method" "get_items" {
  rest_api_id   = aws_api_gateway_rest_api.this.id
  resource_id   = aws_api_gateway_resource.items.id
  http_method   = "GET"
  authorization = "NONE"
}

resource "aws_api_gateway_integration" "get_items" {
  rest_api_id             = aws_api_gateway_rest_api.this.id
  resource_id             = aws_api_gateway_resource.items.id
  http_method             = aws_api_gateway_method.get_items.http_method
  integration_http_method = "POST"
  type                    = "AWS_PROXY"
  uri                     = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:items/invocations"
}

resource "aws_api_gateway_deployment" "this" {
  rest_api_id = aws_api_gateway_rest_api.this.id

  triggers = {
    redeployment = sha1(jsonencode([
      aws_api_gateway_resource.items.id,
      aws_api_gateway_method.get_items.id,
      aws_api_gateway_integration.get_items.id,
    ]))
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_cloudwatch_log_group" "access" {
  name              = "/aws/apigateway/${var.name}-${var.stage_name}"
%(retention)s}

resource "aws_cloudwatch_log_group" "execution" {
  name              = "API-Gateway-Execution-Logs_${aws_api_gateway_rest_api.this.id}/${var.stage_name}"
  retention_in_days = 30
}

resource "aws_api_gateway_stage" "this" {
  rest_api_id   = aws_api_gateway_rest_api.this.id
  deployment_id = aws_api_gateway_deployment.this.id
  stage_name    = var.stage_name
%(access_logs)s}

resource "aws_api_gateway_method_settings" "all" {
  rest_api_id = aws_api_gateway_rest_api.this.id
  stage_name  = %(stage_ref)s
  method_path = "*/*"

  settings {
    logging_level      = "%(level)s"
    metrics_enabled    = true
    data_trace_enabled = %(data_trace)s
  }

  depends_on = [%(depends_on)s]
}
%(extra)s'''

ACCESS_LOGS = '''
  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.access.arn
    format = jsonencode({
      requestId = "$context.requestId"
      ip        = "$context.identity.sourceIp"
      status    = "$context.status"
      path      = "$context.path"
    })
  }
'''

ACCESS_LOGS_NO_REQUEST_ID = '''
  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.access.arn
    format          = "$context.identity.sourceIp $context.httpMethod $context.status"
  }
'''

BAD_METHOD_PATH = '''
resource "aws_api_gateway_method_settings" "health" {
  rest_api_id = aws_api_gateway_rest_api.this.id
  stage_name  = aws_api_gateway_stage.this.stage_name
  method_path = "/health/GET"

  settings {
    logging_level   = "INFO"
    metrics_enabled = true
  }

  depends_on = [aws_api_gateway_account.this]
}
'''

V2_API = '''resource "aws_apigatewayv2_api" "this" {
  name                       = var.name
  protocol_type              = "%(protocol)s"
%(route_selection)s}

resource "aws_cloudwatch_log_group" "access" {
  name              = "/aws/apigateway/${var.name}"
  retention_in_days = 14
}

resource "aws_apigatewayv2_stage" "this" {
  api_id      = aws_apigatewayv2_api.this.id
  name        = var.stage_name
  auto_deploy = true
%(body)s}
'''

V2_ACCESS_LOGS = '''
  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.access.arn
    format = jsonencode({
      requestId = "$context.requestId"
      status    = "$context.status"
    })
  }
'''

STACK_VARIABLES = '''variable "name" {
  type    = string
  default = "%(name)s"
}

variable "environment" {
  type    = string
  default = "prod"
}

variable "region" {
  type    = string
  default = "eu-west-1"
}

variable "role_arn" {
  type    = string
  default = null
}

variable "stage_name" {
  type    = string
  default = "prod"
}
'''


# What a REST stack exports; with it the stack is about 300 lines, the size of the
# one-module target.
REST_OUTPUTS = '''output "rest_api_id" {
  description = "ID of the REST API."
  value       = aws_api_gateway_rest_api.this.id
}

output "root_resource_id" {
  description = "ID of the API's root resource."
  value       = aws_api_gateway_rest_api.this.root_resource_id
}

output "execution_arn" {
  description = "Prefix of the ARNs callers invoke (for Lambda permissions)."
  value       = aws_api_gateway_rest_api.this.execution_arn
}

output "deployment_id" {
  description = "The deployment the stage serves."
  value       = aws_api_gateway_deployment.this.id
}

output "stage_name" {
  description = "Name of the stage."
  value       = aws_api_gateway_stage.this.stage_name
}

output "stage_arn" {
  description = "ARN of the stage (for WAF associations)."
  value       = aws_api_gateway_stage.this.arn
}

output "invoke_url" {
  description = "Base URL of the stage."
  value       = aws_api_gateway_stage.this.invoke_url
}

output "items_url" {
  description = "URL of the items collection."
  value       = "${aws_api_gateway_stage.this.invoke_url}/${aws_api_gateway_resource.items.path_part}"
}

output "access_log_group" {
  description = "Log group of the access logs."
  value       = aws_cloudwatch_log_group.access.name
}

output "execution_log_group" {
  description = "Log group of the execution logs."
  value       = aws_cloudwatch_log_group.execution.name
}
'''


# The backend behind a stack: a Lambda function and its queue (no API Gateway resource).
HANDLER = "\n".join([
    "locals {\n  tags = { Service = var.name }\n}\n",
    _lambda(random.Random(0), "handler"),
    _iam_role_heredoc(random.Random(0), "handler"),
    _queue(random.Random(0), "jobs"),
    _bucket(random.Random(0), "uploads").replace("var.bucket_names", '["uploads", "exports"]'),
])


def _rest_files(kind: str, name: str) -> tuple[dict[str, str], list[tuple[str, str | None, str]]]:
    """Files of one REST stack and its mistakes as (rule id, address, file name)."""
    settings = {
        "retention": "  retention_in_days = 30\n",
        "access_logs": ACCESS_LOGS,
        "stage_ref": "aws_api_gateway_stage.this.stage_name",
        "level": "INFO",
        "data_trace": "false",
        "depends_on": "aws_api_gateway_account.this",
        "extra": "",
    }
    principal = "apigateway.amazonaws.com"
    with_account = True
    mistakes: list[tuple[str, str, str]] = []
    if kind == "rest-no-access-logs":
        settings["access_logs"] = ""
        mistakes.append(("APIGW201", "aws_api_gateway_stage.this", "api.tf"))
    elif kind == "rest-logging-off":
        settings["level"] = "OFF"
        mistakes.append(("APIGW101", "aws_api_gateway_stage.this", "api.tf"))
    elif kind == "rest-data-trace":
        settings["data_trace"] = "true"
        mistakes.append(("APIGW104", "aws_api_gateway_method_settings.all", "api.tf"))
    elif kind == "rest-method-path":
        settings["extra"] = BAD_METHOD_PATH
        mistakes.append(("APIGW108", "aws_api_gateway_method_settings.health", "api.tf"))
    elif kind == "rest-literal-stage":
        settings["stage_ref"] = "var.stage_name"
        mistakes.append(("APIGW107", "aws_api_gateway_method_settings.all", "api.tf"))
    elif kind == "rest-no-account":
        with_account = False
        settings["depends_on"] = ""
        mistakes.append(("APIGW001", "aws_api_gateway_method_settings.all", "api.tf"))
    elif kind == "rest-role-trust":
        principal = "lambda.amazonaws.com"
        mistakes.append(("APIGW002", "aws_iam_role.apigw_cloudwatch", "account.tf"))
    elif kind == "rest-retention":
        settings["retention"] = ""
        mistakes.append(("APIGW205", "aws_cloudwatch_log_group.access", "api.tf"))
    elif kind == "rest-format":
        settings["access_logs"] = ACCESS_LOGS_NO_REQUEST_ID
        mistakes.append(("APIGW203", "aws_api_gateway_stage.this", "api.tf"))
    files = {
        "api.tf": REST_API % settings,
        "variables.tf": STACK_VARIABLES % {"name": name},
        "providers.tf": PROVIDERS,
        "handler.tf": HANDLER,
        "outputs.tf": REST_OUTPUTS,
    }
    if with_account:
        files["account.tf"] = ACCOUNT % {"principal": principal}
    return files, mistakes


def _v2_files(kind: str, name: str) -> tuple[dict[str, str], list[tuple[str, str, str]]]:
    mistakes: list[tuple[str, str, str]] = []
    if kind == "http-ok":
        api = V2_API % {"protocol": "HTTP", "route_selection": "", "body": V2_ACCESS_LOGS}
    elif kind == "http-no-access-logs":
        api = V2_API % {"protocol": "HTTP", "route_selection": "", "body": ""}
        mistakes.append(("APIGW301", "aws_apigatewayv2_stage.this", "api.tf"))
    else:  # websocket-logging-off
        body = V2_ACCESS_LOGS + '\n  default_route_settings {\n    logging_level          = "OFF"\n    throttling_burst_limit = 100\n    throttling_rate_limit  = 50\n  }\n'
        api = V2_API % {
            "protocol": "WEBSOCKET",
            "route_selection": '  route_selection_expression = "$request.body.action"\n',
            "body": body,
        }
        mistakes.append(("APIGW302", "aws_apigatewayv2_stage.this", "api.tf"))
    files = {
        "api.tf": api,
        "variables.tf": STACK_VARIABLES % {"name": name},
        "providers.tf": PROVIDERS,
        "account.tf": ACCOUNT % {"principal": "apigateway.amazonaws.com"},
    }
    return files, mistakes


STACKS = (
    "rest-ok", "rest-no-access-logs", "rest-logging-off", "rest-data-trace", "rest-method-path",
    "rest-literal-stage", "rest-no-account", "rest-role-trust", "rest-retention", "rest-format",
    "http-ok", "http-no-access-logs", "websocket-logging-off", "module-for-each", "remote-apigw",
)

MODULE_CALLER = '''module "api" {
  source   = "./api"
  for_each = toset(["orders", "payments"])

  name       = each.key
  stage_name = "prod"
  depends_on = [aws_api_gateway_account.this]
}

module "handlers" {
  source = "%(shared)s"

  name        = "handlers"
  environment = "prod"
}
'''

REMOTE_CALLER = '''module "public_api" {
  source  = "git::https://git.example.com/platform/terraform-aws-apigw.git?ref=v3.2.0"
  name    = "public"
  stage   = "prod"
}
'''


def _stack(kind: str, name: str, shared_module: str) -> tuple[dict[str, str], list[tuple[str, str, str]]]:
    if kind.startswith("rest-"):
        return _rest_files(kind, name)
    if kind in ("http-ok", "http-no-access-logs", "websocket-logging-off"):
        return _v2_files(kind, name)
    if kind == "module-for-each":
        inner, _ = _rest_files("rest-format", name)
        files = {f"api/{n}": t for n, t in inner.items() if n in ("api.tf", "variables.tf")}
        files["main.tf"] = MODULE_CALLER % {"shared": shared_module}
        files["account.tf"] = ACCOUNT % {"principal": "apigateway.amazonaws.com"}
        files["providers.tf"] = PROVIDERS
        mistakes = [("APIGW203", f'module.api["{key}"].aws_api_gateway_stage.this', "api/api.tf") for key in ("orders", "payments")]
        return files, mistakes
    # remote-apigw: a module that is not installed, named after API Gateway: TFL003 on the
    # module call, with its address (SPEC §4).
    return {"main.tf": REMOTE_CALLER, "providers.tf": PROVIDERS}, [("TFL003", "module.public_api", "main.tf")]


# ---------------------------------------------------------------------------
# The repository
# ---------------------------------------------------------------------------


def generate(out: str, seed: int = 1, scale: float = 1.0) -> list[Planted]:
    """Write the monorepo to `out` (replaced) and return the planted findings."""
    rng = random.Random(seed)
    if os.path.exists(out):
        shutil.rmtree(out)
    planted: list[Planted] = []

    def write(relative: str, text: str) -> None:
        path = os.path.join(out, relative)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)

    def module_directory(relative: str, extra_files: int, calls: str = "", root: bool = False) -> None:
        write(f"{relative}/variables.tf", COMMON_VARIABLES)
        write(f"{relative}/outputs.tf", _outputs(rng, rng.randint(1, 4)))
        write(f"{relative}/main.tf", "\n".join(filter(None, [calls, LOCALS, _filler_file(rng, rng.randint(45, 130), "main")])))
        for index in range(extra_files):
            write(f"{relative}/{_file_name(index)}", _filler_file(rng, rng.randint(45, 130), f"r{index}"))
        if root:
            write(f"{relative}/providers.tf", PROVIDERS.replace("eu-west-1", rng.choice(REGIONS)))

    shared = [f"modules/{kind}-{i}" for i in range(max(2, int(60 * scale))) for kind in ("network",)]
    for directory in shared:
        module_directory(directory, rng.randint(0, 2))

    directories = len(shared)
    target = max(40, int(3000 * scale))
    stack_count = max(len(STACKS), target // 100)
    team = 0
    while directories < target - stack_count:
        for service in range(rng.randint(3, 8)):
            base = f"teams/team-{team:02d}/svc-{service:02d}"
            local_modules = [f"{base}/modules/{name}" for name in rng.sample(("worker", "storage", "queue", "edge"), rng.randint(0, 2))]
            for directory in local_modules:
                module_directory(directory, rng.randint(0, 2))
                directories += 1
            for environment in rng.sample(ENVIRONMENTS, rng.randint(2, 4)):
                root = f"{base}/{environment}"
                calls = [f'module "shared_{i}" {{\n  source = "../../../../{m}"\n\n  name        = "{environment}-{i}"\n  environment = "{environment}"\n  cidr_block  = "10.{i}.0.0/16"\n}}\n'
                         for i, m in enumerate(rng.sample(shared, rng.randint(1, 2)))]
                calls += [f'module "{os.path.basename(m)}" {{\n  source = "../modules/{os.path.basename(m)}"\n\n  name = "{environment}"\n}}\n' for m in local_modules]
                if rng.random() < 0.3:
                    calls.append('module "bucket" {\n  source  = "terraform-aws-modules/s3-bucket/aws"\n  version = "~> 4.0"\n\n  bucket = "example"\n}\n')
                module_directory(root, 0, "\n".join(calls), root=True)
                directories += 1
        team += 1

    for index in range(stack_count):
        kind = STACKS[index % len(STACKS)]
        relative = f"apis/{kind}-{index:03d}"
        files, mistakes = _stack(kind, f"api-{index}", f"../../{shared[index % len(shared)]}")
        for name, text in files.items():
            write(f"{relative}/{name}", text)
        planted.extend(Planted(rule, address, f"{relative}/{name}") for rule, address, name in mistakes)

    planted.sort(key=Planted.key)
    manifest = {"generator": GENERATOR_VERSION, "seed": seed, "scale": scale, "planted": [p.__dict__ for p in planted]}
    write("PLANTED.json", json.dumps(manifest, indent=2) + "\n")
    return planted


def _file_name(index: int) -> str:
    return ("network.tf", "iam.tf", "compute.tf", "storage.tf", "queues.tf")[index % 5]


def main() -> None:
    parser = argparse.ArgumentParser(description="Write the synthetic monorepo.")
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 is about 12,000 files in 3,000 directories")
    options = parser.parse_args()
    planted = generate(options.out, options.seed, options.scale)
    print(f"{options.out}: {len(planted)} planted findings")


if __name__ == "__main__":
    main()
