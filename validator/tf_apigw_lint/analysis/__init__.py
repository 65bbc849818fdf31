"""What the rules read: the API Gateway analysis of one configuration (`apigw`), its log
groups (`logs`) and its account's CloudWatch role (`iam`). Built on the view protocol only."""
