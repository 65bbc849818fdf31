"""A rule failed while it ran.

## What it does
Reported by the engine when a rule raises an error: that rule's findings are missing, the
other rules still run, and the run fails so the gap is not mistaken for a clean result.

## Why is this bad
A clean report would be wrong: some checks did not happen.

## Fix
Report it to the tf-apigw-lint maintainers with the message; meanwhile the rule can be
disabled in the configuration.

## References
- https://example.com/your-org/tf-apigw-lint/issues
"""

from tf_apigw_lint.findings import Severity

ID = "TFL004"
NAME = "rule-crashed"
SEVERITY = Severity.ERROR
TITLE = "A rule crashed; its findings are missing"
FIX = "Report the crash; disable the rule meanwhile if needed."
check = None  # produced by the engine, see rules/engine.py
