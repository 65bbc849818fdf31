# Runs `tf-apigw-lint external` during `terraform plan` (SPEC §8). When findings reach
# var.fail_on the program exits 1 with the report on stderr, and the plan stops with it.
terraform {
  required_version = ">= 1.0"
  required_providers {
    external = {
      source  = "hashicorp/external"
      version = "~> 2.0"
    }
  }
}

data "external" "tf_apigw_lint" {
  program = ["tf-apigw-lint", "external"]

  query = {
    path    = var.path
    fail_on = var.fail_on
    config  = var.config
  }
}
