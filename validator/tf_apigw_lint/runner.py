"""The whole static pipeline in one call: load → model → rules → suppression → report data.

The CLI, the pre-commit entry and the Terraform external data source all go through
`run_check`, so they report the same findings for the same input.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Mapping

from tf_apigw_lint.config import Exclude
from tf_apigw_lint.findings import Finding, Severity, merge_equal
from tf_apigw_lint.model.build import BuildOptions, Model, build_model
from tf_apigw_lint.model.recursion import with_deep_stack
from tf_apigw_lint.report.summary import Summary, summarize
from tf_apigw_lint.rules import ALWAYS_ON, RULES
from tf_apigw_lint.rules.engine import RuleSettings, run_rules
from tf_apigw_lint.suppress import apply_suppressions

if TYPE_CHECKING:  # a run that asks for neither a plan nor a baseline does not import them
    from tf_apigw_lint.baseline import Baseline
    from tf_apigw_lint.plan.configuration import PlanModel


FAIL_ON = {"error": Severity.ERROR, "warning": Severity.WARNING, "note": Severity.NOTE, "never": None}


@dataclass
class CheckOptions:
    build: BuildOptions = field(default_factory=BuildOptions)
    rules: Mapping[str, RuleSettings] = field(default_factory=dict)
    strict: bool = False
    # The configuration's `exclude`: excluded module directories are not scanned, and
    # findings in excluded files (modules called from elsewhere) are dropped.
    exclude: Exclude | None = None
    # --baseline: findings it knows are left out of the report and counted in the summary.
    baseline: Baseline | None = None
    # The configuration's `honour_other_tools`: Checkov/Trivy/tflint skip comments count.
    honour_other_tools: bool = True


@dataclass
class CheckResult:
    model: Model | PlanModel
    findings: list[Finding]
    summary: Summary

    def fails(self, fail_on: str) -> bool:
        """Whether a finding reaches `fail_on`; TFL001/TFL004 (`rules.ALWAYS_ON`: the analysis
        itself is incomplete) reach every threshold but `never`, the soft fail CI users ask
        for, where only a run that could not happen at all (exit code 2) fails."""
        threshold = FAIL_ON[fail_on]
        if threshold is None:
            return False
        for finding in self.findings:
            if finding.suppressed:
                continue
            if finding.rule_id in ALWAYS_ON:  # the analysis is incomplete: fails at every threshold
                return True
            if finding.severity.rank >= threshold.rank:
                return True
        return False


def run_check(paths: list[str], options: CheckOptions) -> CheckResult:
    build_options = options.build if options.build.scanned_tree else replace(options.build, scanned_tree=tuple(paths))
    excluded: list[str] = []
    if options.exclude:
        paths, excluded = options.exclude.split(paths)

    def model() -> Model:
        with collector_paused():
            built = build_model(paths, build_options)
        if excluded and built.coverage is not None:  # taken out before discovery: counted here
            built.coverage = replace(built.coverage, module_directories_excluded=len(excluded))
        return built

    return with_deep_stack(lambda: check_model(model(), options, extra_files=0))


def run_plan_check(plan: str, config_dir: str | None, options: CheckOptions) -> CheckResult:
    """`check --plan`: the same rules, suppressions and exclusions over the model of a
    `terraform show -json` plan; `config_dir` (optional) maps findings to source lines."""
    from tf_apigw_lint.plan.configuration import build_plan_model

    def model() -> PlanModel:
        with collector_paused():
            return build_plan_model(plan, config_dir, options.build)

    return with_deep_stack(lambda: check_model(model(), options, extra_files=1))


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while the model is built. Loading and building keep
    nearly everything they allocate, so each collection traversed the growing model again
    for little: a third of an exhaustive run's time. `check_model` collects once after."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def check_model(model: Model | PlanModel, options: CheckOptions, extra_files: int = 0) -> CheckResult:
    """rules → suppressions → exclusions → baseline → one finding per mistake → summary;
    `extra_files` counts inputs that are not among the model's parsed files (the plan)."""
    # The parsed model lives until the run ends: frozen, the collector does not rescan it at
    # every collection the lazy evaluation triggers (which made analysis time grow faster
    # than the configuration).
    gc.collect()
    gc.freeze()
    try:
        findings = run_rules(model, RULES, options.rules, strict=options.strict)
    finally:
        gc.unfreeze()
    findings = apply_suppressions(findings, model.files, options.rules, honour_other_tools=options.honour_other_tools)
    if options.exclude:
        findings = [f for f in findings if f.path is None or not options.exclude.matches(f.path)]
    baselined = None
    if options.baseline is not None:
        # Before merging, while each finding has one address: a known mistake that a new
        # module instance repeats is reported for the new instance.
        findings, known = options.baseline.split(findings)
        baselined = len(merge_equal(known))
    findings = merge_equal(findings)
    summary = summarize(
        findings, files=len(model.files) + extra_files, modules=len(model.module_directories), baselined=baselined,
        coverage=model.coverage if isinstance(model, Model) else None,
    )
    return CheckResult(model, findings, summary)


def run_live_check(view, options: CheckOptions) -> CheckResult:
    """`live`: the same rules over deployed state (a `live.configuration.LiveView`). Nothing
    to suppress inline and no files: the summary counts account regions (as `modules` in JSON)."""
    findings = run_rules(view, RULES, options.rules, strict=options.strict)
    summary = replace(summarize(findings, files=0, modules=len(view.configurations)), account_regions=len(view.configurations))
    return CheckResult(view, findings, summary)
