"""Files to syntax trees with source ranges: HCL (python-hcl2's grammar read by Lark; the
only place that imports `lark`, and `hcl2` is never imported), Terraform JSON with its own
positioned reader, tfvars."""
