output "errors" {
  description = "Number of error findings."
  value       = tonumber(data.external.tf_apigw_lint.result.errors)
}

output "warnings" {
  description = "Number of warning findings."
  value       = tonumber(data.external.tf_apigw_lint.result.warnings)
}

output "notes" {
  description = "Number of note findings."
  value       = tonumber(data.external.tf_apigw_lint.result.notes)
}

output "report" {
  description = "The text report, without colour."
  value       = data.external.tf_apigw_lint.result.report
}
