"""Analysis time against the number of stages: it must grow linearly.

Generates one root module with N REST API stages, each with `*/*` method settings that
refer to it, for N = 200 and N = 800, and times the analysis (linking, evaluation on demand,
every rule, suppressions: `runner.check_model`) apart from parsing. Linear growth means the 800-stage run costs about 4x the 200-stage run
(the cost per stage stays flat); quadratic linking would cost about 16x.

    python benchmarks/analysis_scaling.py [--sizes 200,800] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time

from tf_apigw_lint.model.build import BuildOptions, build_model
from tf_apigw_lint.runner import CheckOptions, check_model

STAGE = """
resource "aws_api_gateway_stage" "s{i}" {{
  rest_api_id   = aws_api_gateway_rest_api.api.id
  deployment_id = "d{i}"
  stage_name    = "stage{i}"
  access_log_settings {{
    destination_arn = aws_cloudwatch_log_group.access.arn
    format          = jsonencode({{ requestId = "$context.requestId" }})
  }}
}}

resource "aws_api_gateway_method_settings" "s{i}" {{
  rest_api_id = aws_api_gateway_stage.s{i}.rest_api_id
  stage_name  = aws_api_gateway_stage.s{i}.stage_name
  method_path = "*/*"
  settings {{
    logging_level   = "INFO"
    metrics_enabled = true
  }}
}}
"""

HEADER = """
provider "aws" {
  region = "eu-west-1"
}

resource "aws_api_gateway_rest_api" "api" {
  name = "scaling"
}

resource "aws_cloudwatch_log_group" "access" {
  name              = "/aws/apigateway/scaling"
  retention_in_days = 30
}
"""


def write_root(directory: str, stages: int) -> None:
    with open(os.path.join(directory, "main.tf"), "w", encoding="utf-8") as handle:
        handle.write(HEADER)
        for i in range(stages):
            handle.write(STAGE.format(i=i))


def measure(stages: int, repeat: int) -> tuple[float, float]:
    """Best (parse + model build, analysis) seconds over `repeat` runs."""
    best_build, best_analysis = float("inf"), float("inf")
    with tempfile.TemporaryDirectory() as directory:
        write_root(directory, stages)
        for _ in range(repeat):
            start = time.perf_counter()
            model = build_model([directory], BuildOptions())
            built = time.perf_counter()
            findings = check_model(model, CheckOptions()).findings
            done = time.perf_counter()
            best_build = min(best_build, built - start)
            best_analysis = min(best_analysis, done - built)
    expected = {"APIGW001", "APIGW205"}  # no account role, no declared execution-log groups
    found = {f.rule_id for f in findings}
    if found != expected:
        sys.exit(f"unexpected findings for {stages} stages: {sorted(found)}")
    return best_build, best_analysis


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="200,800")
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    sizes = [int(size) for size in options.sizes.split(",")]
    results = {}
    print(f"{'stages':>8} {'build s':>9} {'analysis s':>11} {'analysis ms/stage':>18}")
    for stages in sizes:
        build, analysis = measure(stages, options.repeat)
        results[stages] = analysis
        print(f"{stages:>8} {build:>9.2f} {analysis:>11.3f} {1000 * analysis / stages:>18.3f}")
    low, high = min(sizes), max(sizes)
    ratio = results[high] / results[low]
    print(f"analysis time x{ratio:.1f} for x{high / low:.0f} stages (linear: about x{high / low:.0f}; quadratic: x{(high / low) ** 2:.0f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
