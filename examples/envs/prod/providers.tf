provider "aws" {
  region = var.region
}

# The pets API is served from us-east-1, but nothing sets the API Gateway account's
# CloudWatch role in that region.
provider "aws" {
  alias  = "us"
  region = "us-east-1"
}
