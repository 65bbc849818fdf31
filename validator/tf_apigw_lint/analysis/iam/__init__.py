"""The account's CloudWatch role: IAM policy semantics (`policy`) and which role an account
uses with which policies (`role`)."""
