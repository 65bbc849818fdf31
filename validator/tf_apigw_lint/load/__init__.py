"""Files to syntax trees with source ranges: HCL (python-hcl2's Lark tree, the only place that
imports `hcl2` / `lark`), Terraform JSON with its own positioned reader, tfvars."""
