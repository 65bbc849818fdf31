variable "name" {
  type = string
}

variable "stage_name" {
  type = string
}

variable "logging_level" {
  type    = string
  default = "INFO"
}
