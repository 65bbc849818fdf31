"""tf-apigw-lint: find broken CloudWatch logging for AWS API Gateway in Terraform."""

__version__ = "0.1.0"
