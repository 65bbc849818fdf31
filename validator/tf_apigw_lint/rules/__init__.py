"""The rule registry: every rule, listed once, in report order.

Each rule is one module with `ID`, `NAME`, `SEVERITY`, `TITLE`, `FIX`, optional `OPTIONS`
(defaults), a docstring that is its user documentation (What it does / Why is this bad /
Bad / Good / Fix / References) and `check(model, options)` yielding `engine.Hit`s.
"""

from types import ModuleType

from tf_apigw_lint.rules import (
    apigw001_account_role_missing,
    apigw002_account_role_trust,
    apigw003_account_role_permissions,
    apigw004_account_ordering,
    apigw005_account_duplicate,
    apigw101_execution_logging_off,
    apigw102_execution_logging_not_info,
    apigw103_method_override_weakens_logging,
    apigw104_data_trace_enabled,
    apigw105_detailed_metrics_disabled,
    apigw106_method_settings_orphan,
    apigw107_method_settings_literal_stage,
    apigw108_method_path_invalid,
    apigw109_deployment_stage_name,
    apigw201_access_logging_missing,
    apigw202_access_log_destination_invalid,
    apigw203_access_log_format_invalid,
    apigw204_access_log_format_json,
    apigw205_log_retention_unset,
    apigw301_v2_access_logging_missing,
    apigw302_v2_execution_logging,
    tfl001_parse_error,
    tfl002_unknown_suppression,
    tfl003_module_not_analysed,
    tfl004_rule_crashed,
    live001_account_role_not_found,
    live002_sts_region_inactive,
    live003_access_log_group_not_found,
    live004_execution_log_group_absent,
    live005_drift,
    live006_not_readable,
)

RULES: tuple[ModuleType, ...] = (
    apigw001_account_role_missing,
    apigw002_account_role_trust,
    apigw003_account_role_permissions,
    apigw004_account_ordering,
    apigw005_account_duplicate,
    apigw101_execution_logging_off,
    apigw102_execution_logging_not_info,
    apigw103_method_override_weakens_logging,
    apigw104_data_trace_enabled,
    apigw105_detailed_metrics_disabled,
    apigw106_method_settings_orphan,
    apigw107_method_settings_literal_stage,
    apigw108_method_path_invalid,
    apigw109_deployment_stage_name,
    apigw201_access_logging_missing,
    apigw202_access_log_destination_invalid,
    apigw203_access_log_format_invalid,
    apigw204_access_log_format_json,
    apigw205_log_retention_unset,
    apigw301_v2_access_logging_missing,
    apigw302_v2_execution_logging,
    tfl001_parse_error,
    tfl002_unknown_suppression,
    tfl003_module_not_analysed,
    tfl004_rule_crashed,
    live001_account_role_not_found,
    live002_sts_region_inactive,
    live003_access_log_group_not_found,
    live004_execution_log_group_absent,
    live005_drift,
    live006_not_readable,
)

BY_ID = {rule.ID: rule for rule in RULES}
BY_NAME = {rule.NAME: rule for rule in RULES}

# Without these the analysis is incomplete and says nothing about it (a file that cannot be
# parsed, a rule that crashed): they always run, and fail a run at every --fail-on but `never`.
ALWAYS_ON = frozenset({"TFL001", "TFL004"})
ALWAYS_ON_REASON = (
    "it always runs, so that a file that cannot be parsed or a rule that crashed is never "
    "silent (leave the file out with `exclude`, or use --fail-on never)"
)


def resolve(id_or_name: str) -> ModuleType | None:
    """The rule with this id (any case) or name."""
    return BY_ID.get(id_or_name.upper()) or BY_NAME.get(id_or_name.lower())
