module "orders" {
  source   = "../../modules/rest-api"
  for_each = var.apis

  name          = each.key
  stage_name    = each.value.stage
  logging_level = each.value.logging_level
  depends_on    = [aws_api_gateway_account.this]
}

module "pets" {
  source = "../../modules/rest-api"
  providers = {
    aws = aws.us
  }

  name          = "pets"
  stage_name    = "prod"
  logging_level = var.pets_logging_level
}
