apis = {
  orders = { stage = "prod" }
  refunds = { stage = "prod" }
}

pets_logging_level = "ERROR"
