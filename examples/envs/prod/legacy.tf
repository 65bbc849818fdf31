# The first API of the team, written before the module existed.
resource "aws_api_gateway_rest_api" "legacy" {
  name = "legacy"
}

resource "aws_api_gateway_deployment" "legacy" {
  rest_api_id = aws_api_gateway_rest_api.legacy.id
}

resource "aws_api_gateway_stage" "legacy" {
  rest_api_id   = aws_api_gateway_rest_api.legacy.id
  deployment_id = aws_api_gateway_deployment.legacy.id
  stage_name    = "v1"
}

resource "aws_api_gateway_method_settings" "legacy" {
  rest_api_id = aws_api_gateway_rest_api.legacy.id
  stage_name  = "v1"
  method_path = "*/*"

  settings {
    logging_level      = "INFO"
    metrics_enabled    = true
    data_trace_enabled = true
  }
}

resource "aws_api_gateway_method_settings" "legacy_health" {
  rest_api_id = aws_api_gateway_rest_api.legacy.id
  stage_name  = aws_api_gateway_stage.legacy.stage_name
  method_path = "/health/get"

  settings {
    logging_level = "OFF"
  }
}
