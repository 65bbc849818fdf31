"""`doctor`: the SPEC §1 troubleshooting checklist, in order, for one deployed stage.

Each step is answered by the same rules `live` runs, over the same live view: a step fails
when one of its rules reports a certain finding on the stage (or on the account region
it lives in), cannot be checked when a read it needs failed (LIVE006), the finding is
uncertain, or an earlier step found missing what it would look at (`Step.after`), and
passes otherwise. The fix of a failed step is the rule's fix. After the steps
comes what API Gateway never writes to execution logs, and where to look instead.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Sequence

from tf_apigw_lint.findings import Finding

PASSED = "passed"
FAILED = "failed"
NOT_CHECKED = "could not check"


@dataclass(frozen=True)
class Step:
    section: str
    title: str
    rules: tuple[str, ...]
    # Which LIVE006 findings keep this step from being checked: the deployed object's kind
    # in the address, and a word of the message when one object feeds several steps.
    reads: tuple[str, ...]
    read_detail: str | None = None
    fix: str = ""
    # A step that checks something an earlier step found missing (the logging level when
    # execution logging is off): those rules' certain findings leave it not checked, with
    # `moot`, instead of passing because its own rule had nothing to look at.
    after: tuple[str, ...] = ()
    moot: str = ""


STEPS: tuple[Step, ...] = (
    Step("1. Permissions", "the account region has a CloudWatch role (cloudwatchRoleArn)", (), (":account",),
         fix="Set the API Gateway account settings' CloudWatch role for this region (aws_api_gateway_account.cloudwatch_role_arn)."),
    Step("1. Permissions", "the CloudWatch role exists", ("LIVE001",), (":account", ":role/")),
    Step("1. Permissions", "the role trusts apigateway.amazonaws.com", ("APIGW002",), (":account", ":role/")),
    Step("1. Permissions", "the role allows the seven CloudWatch Logs actions", ("APIGW003",), (":account", ":role/", ":policy/")),
    Step("1. Permissions", "STS is active in the region", ("LIVE002",), (":sts",)),
    Step("2. Stage settings", "execution logging is on for the whole stage (*/*)", ("APIGW101",), (":restapi",)),
    Step("2. Stage settings", "the stage-wide logging level is INFO", ("APIGW102",), (":restapi",),
         after=("APIGW101",), moot="execution logging is off for the whole stage"),
    Step("2. Stage settings", "data trace (full requests and responses) is off", ("APIGW104",), (":restapi",)),
    Step("2. Stage settings", "detailed CloudWatch metrics are on", ("APIGW105",), (":restapi",)),
    Step("2. Stage settings", "access logging is on, with a valid destination and format",
         ("APIGW201", "APIGW202", "APIGW203", "APIGW204"), (":restapi",)),
    Step("3. Per-method overrides", "no method-specific setting turns logging down", ("APIGW103",), (":restapi",)),
    Step("4. Log groups", "the access-log destination (log group or Firehose stream) exists", ("LIVE003",), ("/stage/",),
         "access-log destination", after=("APIGW201", "APIGW202"), moot="the stage has no valid access-log destination"),
    Step("4. Log groups", "the execution-log group API-Gateway-Execution-Logs_<id>/<stage> exists", ("LIVE004",), ("/stage/",),
         "execution-log group", after=("APIGW101",), moot="execution logging is off for the whole stage"),
)

# The steps about the role, which cannot be checked when there is none.
ROLE_STEPS = STEPS[1:4]

NEVER_LOGGED = (
    ("403 Missing Authentication Token (a wrong resource path or method)",
     "only in access logs: turn access logging on and look for status 403 there"),
    ("413 Request Entity Too Large", "no log at all: the client sees it; watch the 4XXError metric"),
    ("429 Too Many Requests beyond the throttling limits", "no log for the excess requests: watch the 4XXError and Count metrics and the usage plan"),
    ("4xx sent to a custom domain that has no API mapping", "no log in any stage: check the custom domain's API mappings"),
    ("5xx caused by API Gateway internal errors", "no execution log: watch the 5XXError metric, and AWS Health"),
)


@dataclass
class StepResult:
    step: Step
    status: str
    details: list[str] = field(default_factory=list)
    fix: str | None = None


@dataclass
class Checklist:
    stage: str
    results: list[StepResult]

    @property
    def failed(self) -> bool:
        return any(result.status == FAILED for result in self.results)


def checklist(stage_address: str, findings: Sequence[Finding], role_set: bool | None, stage_read: bool = True) -> Checklist:
    """The §1 steps for the stage at `stage_address`, from the findings of a live run over
    its account region. `role_set` answers the first step from the account settings
    themselves (None: they could not be read): APIGW001 speaks only when logging is on.
    When the stage itself could not be read (`stage_read` False), no step about it passes."""
    prefix = stage_address.split(":restapi/")[0]
    relevant = [f for f in findings if f.address and (f.address.startswith(prefix) or ":global:" in f.address)]
    results = []
    role_problem = {False: "no CloudWatch role to check", None: "the account settings could not be read"}.get(role_set)
    for step in STEPS:
        found = [f for f in relevant if f.rule_id in step.rules]
        unread = [
            f.message for f in relevant
            if f.rule_id == "LIVE006"
            and any(kind in (f.address or "") for kind in step.reads)
            and (step.read_detail is None or step.read_detail in f.message)
        ]
        if step is STEPS[0]:
            if role_set is True:
                results.append(StepResult(step, PASSED))
            elif role_set is False:
                results.append(StepResult(step, FAILED, ["the API Gateway account settings of this region name no CloudWatch role"], step.fix))
            else:
                results.append(StepResult(step, NOT_CHECKED, unread))
        elif crashed := [f.message for f in findings if f.rule_id == "TFL004" and any(f.message.startswith(f"rule {r} ") for r in step.rules)]:
            results.append(StepResult(step, NOT_CHECKED, crashed))
        elif step in ROLE_STEPS and role_problem:
            results.append(StepResult(step, NOT_CHECKED, [role_problem]))
        elif not stage_read and not step.section.startswith("1."):
            results.append(StepResult(step, NOT_CHECKED, list(unread) or ["the stage could not be read"]))
        elif any(f.certain for f in found):
            results.append(StepResult(step, FAILED, [f.message for f in found], found[0].fix))
            if step.rules == ("LIVE001",):
                role_problem = "the CloudWatch role does not exist"
        elif found or unread:
            results.append(StepResult(step, NOT_CHECKED, unread + [f.message for f in found]))
        elif any(f.certain and f.rule_id in step.after for f in relevant):
            results.append(StepResult(step, NOT_CHECKED, [step.moot]))
        else:
            results.append(StepResult(step, PASSED))
    return Checklist(stage_address, results)


def render_text(result: Checklist) -> str:
    lines = [f"Checklist for {result.stage}", ""]
    section = None
    for step_result in result.results:
        if step_result.step.section != section:
            section = step_result.step.section
            lines.append(section)
        lines.append(f"  [{step_result.status}] {step_result.step.title}")
        lines.extend(f"      {detail}" for detail in step_result.details)
        if step_result.fix:
            lines.append(f"      fix: {step_result.fix}")
    lines += ["", "What API Gateway never writes to execution logs, and where to look instead:"]
    lines += [f"  - {what}: {where}" for what, where in NEVER_LOGGED]
    return "\n".join(lines) + "\n"


def render_json(result: Checklist) -> str:
    document = {
        "version": 1,
        "stage": result.stage,
        "steps": [
            {
                "section": r.step.section,
                "step": r.step.title,
                "status": r.status,
                "details": r.details,
                "fix": r.fix,
            }
            for r in result.results
        ],
        "never_logged": [{"what": what, "where_to_look": where} for what, where in NEVER_LOGGED],
    }
    return json.dumps(document, indent=2) + "\n"
