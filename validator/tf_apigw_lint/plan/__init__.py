"""The plan backend: `terraform show -json` output behind the view protocol (`check --plan`)."""
