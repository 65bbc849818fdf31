variable "path" {
  description = "Directory to lint, usually path.root. A relative path is taken from the directory Terraform runs in."
  type        = string
}

variable "fail_on" {
  description = "Lowest severity that stops the plan: error, warning, note or never."
  type        = string
  default     = "error"

  validation {
    condition     = contains(["error", "warning", "note", "never"], var.fail_on)
    error_message = "fail_on must be one of: error, warning, note, never."
  }
}

variable "config" {
  description = "Configuration file for tf-apigw-lint (--config). Empty: the usual search upward from the directory Terraform runs in."
  type        = string
  default     = ""
}
