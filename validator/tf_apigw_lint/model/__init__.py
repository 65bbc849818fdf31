"""The static backend: Terraform configuration (HCL, Terraform JSON, OpenTofu) evaluated the
way Terraform would plan it, behind the view protocol (`view/protocol.py`)."""
