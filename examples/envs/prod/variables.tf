variable "region" {
  type    = string
  default = "eu-west-1"
}

variable "apis" {
  description = "REST APIs served by the orders module, by name"
  type = map(object({
    stage         = string
    logging_level = optional(string, "INFO")
  }))
}

variable "pets_logging_level" {
  type    = string
  default = "INFO"
}
