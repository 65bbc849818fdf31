"""IAM policy semantics, as far as API Gateway's CloudWatch role needs them: pure functions
over policy documents whose leaves may be Unknown or Reference (`view.policy_documents`).

- `evaluate_trust`: whether a trust policy lets `apigateway.amazonaws.com` assume the role
  (principals, `NotPrincipal`, conditions the service's request can or cannot meet, Deny);
- `evaluate_permissions`: which of the seven logging actions the policies allow on the
  execution-log groups (wildcards such as `logs:*` / `logs:Put*`, `NotAction`,
  `NotResource`, Deny, statements that may not apply), and `within_boundary`;
- `action_matches`, `resource_could_match`, `globs_intersect`: IAM wildcard matching;
- `managed_policy`: the AWS managed policies this tool knows by content.

Answers are three-valued: True, False, or None for "cannot tell". Which role an account
uses and where its policies come from is `analysis.iam.role`.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Iterable

from tf_apigw_lint.view.aws import PARTITIONS
from tf_apigw_lint.view.policy_documents import items, statement_body, statements
from tf_apigw_lint.view.values import Holes, Reference, Unknown, Value, holes_of, is_known, unknown_from

APIGATEWAY_SERVICE = "apigateway.amazonaws.com"
ASSUME_ROLE = "sts:AssumeRole"
PUSH_TO_CLOUDWATCH_ACTIONS = (
    "logs:CreateLogGroup",
    "logs:CreateLogStream",
    "logs:DescribeLogGroups",
    "logs:DescribeLogStreams",
    "logs:PutLogEvents",
    "logs:GetLogEvents",
    "logs:FilterLogEvents",
)
# In a target (what a Resource pattern is compared with), FIELD stands for any text without
# ":": an ARN field, a log group or stream name. IAM's `*` in a pattern also spans ":".
FIELD = "\x01"
PARTITIONS = ("aws", "aws-cn", "aws-us-gov")


def _or(a: bool | None, b: bool | None) -> bool | None:
    if a is True or b is True:
        return True
    return None if a is None or b is None else False


def _and(a: bool | None, b: bool | None) -> bool | None:
    if a is False or b is False:
        return False
    return None if a is None or b is None else True


def _not(a: bool | None) -> bool | None:
    return None if a is None else not a


def at_most_maybe(a: bool | None) -> bool | None:
    return None if a is True else a


@lru_cache(maxsize=4096)
def _glob_regex(pattern: str, flags: int = 0) -> re.Pattern:
    translated = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.compile(translated, flags | re.DOTALL)


def action_matches(pattern: str, action: str) -> bool:
    """IAM action matching: `*` and `?` wildcards, case-insensitive."""
    return _glob_regex(pattern, re.IGNORECASE).fullmatch(action) is not None


def _action_item_matches(item: Value, action: str) -> bool | None:
    if isinstance(item, str):
        return action_matches(item, action)
    holes = holes_of(item)
    if holes is not None:
        return None if action_matches(holes.pattern(), action) else False
    return None


def any_item(values: Value, test: Callable[[Value], bool | None]) -> bool | None:
    result: bool | None = False
    for item in items(values):
        result = _or(result, test(item))
    return result


def globs_intersect(pattern: str, target: str) -> bool:
    """Whether some string matches both the IAM resource pattern (`*`, `?`, case-sensitive)
    and the target (literal text, `*`, and FIELD for any text without `:`).

    A walk over pairs of positions (pattern, target), with an explicit stack: patterns of
    any length, in the thousands of characters, cost at most their product and no recursion."""
    end = (len(pattern), len(target))
    seen: set[tuple[int, int]] = set()
    pending = [(0, 0)]
    while pending:
        state = pending.pop()
        if state == end:
            return True
        if state in seen:
            continue
        seen.add(state)
        i, j = state
        if i < len(pattern) and pattern[i] == "*":
            pending.append((i + 1, j))  # the pattern's * matches nothing more
            if j < len(target):
                pending.append((i, j + 1))  # ... or the next target character
        elif j < len(target) and target[j] in ("*", FIELD):
            pending.append((i, j + 1))
            if i < len(pattern) and (target[j] == "*" or pattern[i] != ":"):
                pending.append((i + 1, j))
        elif i < len(pattern) and j < len(target) and pattern[i] in (target[j], "?"):
            pending.append((i + 1, j + 1))
    return False


def execution_log_targets(partition: str | None = None, region: str | None = None) -> tuple[str, ...]:
    """What API Gateway writes execution logs to in one account region: the log groups
    `API-Gateway-Execution-Logs_<api id>/<stage>` and their log streams."""
    group = f"arn:{partition or FIELD}:logs:{region or FIELD}:{FIELD}:log-group:API-Gateway-Execution-Logs_{FIELD}"
    return (group, f"{group}:log-stream:{FIELD}")


def resource_could_match(
    pattern: Value, targets: tuple[str, ...] = execution_log_targets(), resolve: Callable[[Value], str | None] = lambda v: None
) -> bool | None:
    """Whether a `Resource` entry can match one of the targets: None when the entry is
    unknown. An unknown part that is a whole account field (`:${account_id}:`) is taken
    as the role's own account, so it cannot stop a match."""
    if isinstance(pattern, str):
        return any(globs_intersect(pattern, t) for t in targets)
    if isinstance(pattern, Reference):
        known = resolve(pattern)
        return None if known is None else any(globs_intersect(known, t) for t in targets)
    holes = holes_of(pattern)
    if holes is None:
        return None
    if not any(globs_intersect(holes.pattern(resolve), t) for t in targets):
        return False
    return True if _only_account_holes(holes, resolve) else None


def _only_account_holes(holes: Holes, resolve: Callable[[Value], str | None]) -> bool:
    text = ""
    for index, part in enumerate(holes.parts):
        if isinstance(part, str):
            text += part
            continue
        known = resolve(part)
        if known is not None:
            text += known
            continue
        following = holes.parts[index + 1] if index + 1 < len(holes.parts) else ""
        if not (text.startswith("arn:") and text.count(":") == 4 and text.endswith(":") and isinstance(following, str) and following.startswith(":")):
            return False
        text += "*"
    return True


def _resource_covers(pattern: Value, targets: tuple[str, ...]) -> bool | None:
    """Whether a `NotResource` entry excludes everything the targets stand for."""
    if isinstance(pattern, str):
        return all(_glob_regex(pattern).fullmatch(t) is not None for t in targets)
    holes = holes_of(pattern)
    if holes is not None and not any(globs_intersect(holes.pattern(), t) for t in targets):
        return False
    return None


# ---------------------------------------------------------------------------
# Statements
# ---------------------------------------------------------------------------


def _action_applies(statement: dict, action: str) -> bool | None:
    if "Action" in statement:
        return any_item(statement["Action"], lambda item: _action_item_matches(item, action))
    if "NotAction" in statement:
        return _not(any_item(statement["NotAction"], lambda item: _action_item_matches(item, action)))
    return False


def _resource_applies(statement: dict, targets: tuple[str, ...], resolve: Callable[[Value], str | None]) -> bool | None:
    if "Resource" in statement:
        return any_item(statement["Resource"], lambda item: resource_could_match(item, targets, resolve))
    if "NotResource" in statement:
        return _not(any_item(statement["NotResource"], lambda item: _resource_covers(item, targets)))
    return False


def _effect(statement: dict) -> str | None:
    effect = statement.get("Effect")
    if effect in ("Allow", "Deny"):
        return effect
    return None if not is_known(effect) else "invalid"


def _label(statement: dict | None, index: int) -> str:
    sid = statement.get("Sid") if statement else None
    return f'statement "{sid}"' if isinstance(sid, str) and sid else f"statement {index + 1}"


# ---------------------------------------------------------------------------
# Trust
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Trust:
    """Whether the trust policy lets the service assume the role (None: cannot tell), and
    why not."""

    trusted: bool | None
    reason: str = ""


# Request context of API Gateway assuming its CloudWatch role (a service principal).
_ABSENT_KEYS = frozenset(
    {
        "sts:externalid",
        "sts:sourceidentity",
        "aws:multifactorauthpresent",
        "aws:multifactorauthage",
        "aws:sourceip",
        "aws:sourcevpc",
        "aws:sourcevpce",
        "aws:vpcsourceip",
        "aws:username",
        "aws:principalorgid",
        "aws:principalorgpaths",
        "aws:federatedprovider",
    }
)
_ABSENT_PREFIXES = ("aws:principaltag/", "saml:")
# Confused-deputy keys: the values written are taken to be the user's own account and APIs.
_OWN_KEYS = frozenset({"aws:sourceaccount", "aws:sourcearn", "aws:sourceorgid", "aws:sourceorgpaths"})


def _key_absent(key: str) -> bool:
    key = key.lower()
    issuer = key.split(":", 1)[0]
    # Web identity keys (accounts.google.com:aud, token.actions.githubusercontent.com:sub)
    # exist only for AssumeRoleWithWebIdentity.
    return key in _ABSENT_KEYS or key.startswith(_ABSENT_PREFIXES) or "." in issuer


def _known_key_value(key: str, service: str) -> str | None:
    key = key.lower()
    if key == "aws:principalservicename":
        return service
    if key == "aws:principalisawsservice":
        return "true"
    return None


def _condition_entry(operator: str, key: str, expected: Value, service: str) -> bool | None:
    base = operator.split(":", 1)[1] if operator.startswith(("ForAllValues:", "ForAnyValue:")) else operator
    negated = "Not" in base
    if _key_absent(key):
        # A missing key matches IfExists, ForAllValues and negated operators, nothing else.
        if base.endswith("IfExists") or operator.startswith("ForAllValues:") or negated:
            return True
        if base == "Null":
            values = items(expected)
            if all(isinstance(v, (str, bool)) for v in values):
                return all(str(v).lower() == "true" for v in values)
            return None
        return False
    if key.lower() in _OWN_KEYS:
        if base == "Null":
            return None
        return not negated
    actual = _known_key_value(key, service)
    if actual is None:
        return None
    values = items(expected)
    if not all(isinstance(v, (str, bool)) for v in values):
        return None
    texts = [str(v).lower() if isinstance(v, bool) else v for v in values]
    base = base.removesuffix("IfExists")
    if base in ("StringEquals", "StringNotEquals", "Bool"):
        hit = actual in texts
    elif base in ("StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase"):
        hit = actual.lower() in (t.lower() for t in texts)
    elif base in ("StringLike", "StringNotLike"):
        hit = any(_glob_regex(t).fullmatch(actual) for t in texts)
    else:
        return None
    return not hit if negated else hit


def _condition_holds(condition: Value, service: str) -> tuple[bool | None, str]:
    """Whether a trust statement's `Condition` holds for the service's request, and the key
    that decides when it cannot."""
    if condition is None:
        return True, ""
    if not isinstance(condition, dict):
        return None, ""
    result: bool | None = True
    for operator, entries in condition.items():
        if not isinstance(entries, dict):
            result = _and(result, None)
            continue
        for key, expected in entries.items():
            holds = _condition_entry(operator, key, expected, service)
            if holds is False:
                return False, f"{operator} on {key}"
            result = _and(result, holds)
    return result, ""


def _principal_matches(principal: Value, service: str) -> bool | None:
    if principal == "*":
        return True
    if isinstance(principal, Unknown) and isinstance(principal.partial, dict):
        principal = principal.partial
    if not isinstance(principal, dict):
        return None if not is_known(principal) else False
    result: bool | None = False
    for kind, identifiers in principal.items():
        if kind == "Service":
            result = _or(result, any_item(identifiers, lambda i: _service_matches(i, service)))
        elif kind == "AWS":
            result = _or(result, any_item(identifiers, lambda i: True if i == "*" else (False if isinstance(i, str) else None)))
    return result


def _service_matches(identifier: Value, service: str) -> bool | None:
    if isinstance(identifier, str):
        # China regions may name the principal with the .com.cn suffix.
        return identifier.lower() in (service, service + ".cn")
    holes = holes_of(identifier)
    if holes is not None:
        return None if _glob_regex(holes.pattern(), re.IGNORECASE).fullmatch(service) else False
    return None


def _services_named(principal: Value) -> list[str]:
    if isinstance(principal, dict):
        return [i for i in items(principal.get("Service")) if isinstance(i, str)] + [
            f"AWS {i}" for i in items(principal.get("AWS")) if isinstance(i, str)
        ] + [f"Federated {i}" for i in items(principal.get("Federated")) if isinstance(i, str)]
    return []


def evaluate_trust(policy: Value, service: str = APIGATEWAY_SERVICE, action: str = ASSUME_ROLE) -> Trust:
    """Whether a trust (assume role) policy lets `service` call `action`."""
    if policy is None:
        return Trust(False, "the role has no assume_role_policy")
    if not isinstance(policy, dict):
        return Trust(None, f"the trust policy cannot be read: {_reason(policy)}")
    allowed: bool | None = False
    denied: bool | None = False
    others: list[str] = []
    denials: list[str] = []
    blocked: list[str] = []
    unknown_reason = ""
    for index, statement in enumerate(statements(policy)):
        body, exists = statement_body(statement)
        if body is None:
            allowed = _or(allowed, None)
            unknown_reason = unknown_reason or _reason(statement)
            continue
        label = _label(body, index)
        action_ok = _action_applies(body, action)
        if "Principal" in body:
            principal_ok = _principal_matches(body["Principal"], service)
        elif "NotPrincipal" in body:
            principal_ok = _not(_principal_matches(body["NotPrincipal"], service))
        else:
            principal_ok = False
        condition_ok, condition_key = _condition_holds(body.get("Condition"), service)
        applies = _and(_and(action_ok, principal_ok), condition_ok)
        if not exists:
            applies = at_most_maybe(applies)
        effect = _effect(body)
        if effect == "Deny":
            denied = _or(denied, applies)
            if applies is True:
                denials.append(f"{label} denies it")
        elif effect == "Allow":
            allowed = _or(allowed, applies)
            if action_ok is not False and principal_ok is False:
                others.extend(_services_named(body.get("Principal")))
            if action_ok is not False and principal_ok is not False and condition_ok is False:
                blocked.append(f"the condition {condition_key} of {label} can never match for {service}")
        elif effect is None:
            allowed = _or(allowed, at_most_maybe(applies))
            denied = _or(denied, at_most_maybe(applies))
        if applies is None and not unknown_reason:
            if condition_ok is None and action_ok is not None and principal_ok is not None:
                unknown_reason = f"cannot tell whether the condition of {label} holds for {service}"
            else:
                unknown_reason = f"{label} depends on values known only after apply"
    if denied is True:
        return Trust(False, "; ".join(denials))
    if allowed is True and denied is False:
        return Trust(True)
    if allowed is False:
        if blocked:
            reason = "; ".join(blocked)
        elif others:
            reason = f"it trusts {', '.join(dict.fromkeys(others))}, not {service}"
        else:
            reason = f"no statement allows {service} to call {action}"
        return Trust(False, reason)
    return Trust(None, unknown_reason or "a statement depends on values known only after apply")


def _reason(value: Value) -> str:
    if isinstance(value, Unknown):
        return value.reason
    return unknown_from(value, "").reason


# ---------------------------------------------------------------------------
# Permissions
# ---------------------------------------------------------------------------


class Decision(enum.Enum):
    ALLOWED = "allowed"
    DENIED = "denied"  # an explicit Deny applies
    MISSING = "missing"  # nothing allows it
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class PolicySource:
    """One policy that applies to the role. `policy` is the parsed document (or Unknown);
    `attached` is None when it may or may not apply to this role."""

    description: str
    policy: Value
    attached: bool | None = True


@dataclass(frozen=True)
class Permissions:
    decisions: dict[str, Decision]
    # Why an action is denied or unknown, by action.
    reasons: dict[str, str] = field(default_factory=dict)

    def with_decision(self, decision: Decision) -> list[str]:
        return [a for a, d in self.decisions.items() if d is decision]

    @property
    def missing(self) -> list[str]:
        """Actions that are certainly not allowed (nothing allows them, or a Deny applies)."""
        return [a for a, d in self.decisions.items() if d in (Decision.MISSING, Decision.DENIED)]

    @property
    def unknown(self) -> list[str]:
        return self.with_decision(Decision.UNKNOWN)


def evaluate_permissions(
    sources: Iterable[PolicySource],
    actions: Iterable[str] = PUSH_TO_CLOUDWATCH_ACTIONS,
    targets: tuple[str, ...] = execution_log_targets(),
    resolve: Callable[[Value], str | None] = lambda v: None,
) -> Permissions:
    """Which of `actions` the policies allow on what `targets` stand for. An
    explicit Deny wins; a policy whose content is unknown may allow anything (its possible
    Deny statements are not assumed)."""
    sources = list(sources)
    decisions: dict[str, Decision] = {}
    reasons: dict[str, str] = {}
    for action in actions:
        allowed: bool | None = False
        denied: bool | None = False
        why = ""
        for source in sources:
            for index, statement in enumerate(statements(source.policy)):
                body, exists = statement_body(statement)
                if body is None:
                    allowed = _or(allowed, None)
                    why = why or f"{source.description} cannot be read: {_reason(statement)}"
                    continue
                applies = _and(_action_applies(body, action), _resource_applies(body, targets, resolve))
                if body.get("Condition"):
                    applies = at_most_maybe(applies)
                if not exists or source.attached is not True:
                    applies = at_most_maybe(applies)
                if source.attached is False:
                    applies = False
                effect = _effect(body)
                if effect == "Deny":
                    if applies is True and denied is not True:
                        why = f"{_label(body, index)} of {source.description} denies it"
                    denied = _or(denied, applies)
                elif effect == "Allow":
                    allowed = _or(allowed, applies)
                elif effect is None:
                    allowed = _or(allowed, at_most_maybe(applies))
                if applies is None and not why:
                    why = _why_unknown(body, index, source)
        if denied is True:
            decisions[action] = Decision.DENIED
        elif allowed is True and denied is False:
            decisions[action] = Decision.ALLOWED
        elif allowed is False:
            decisions[action] = Decision.MISSING
        else:
            decisions[action] = Decision.UNKNOWN
        if why and decisions[action] in (Decision.DENIED, Decision.UNKNOWN):
            reasons[action] = why
    return Permissions(decisions, reasons)


def _why_unknown(statement: dict, index: int, source: PolicySource) -> str:
    where = f"{_label(statement, index)} of {source.description}"
    if source.attached is None:
        return f"cannot tell whether {source.description} applies to this role"
    if statement.get("Condition"):
        return f"cannot tell whether the condition of {where} holds"
    return f"{where} depends on values known only after apply"


def within_boundary(identity: Permissions, boundary: Permissions) -> Permissions:
    """Effective permissions under a permissions boundary: allowed by both."""
    decisions: dict[str, Decision] = {}
    reasons = dict(identity.reasons)
    for action, decision in identity.decisions.items():
        limit = boundary.decisions.get(action, Decision.UNKNOWN)
        if decision is Decision.DENIED or limit is Decision.DENIED:
            decisions[action] = Decision.DENIED
        elif decision is Decision.MISSING or limit is Decision.MISSING:
            decisions[action] = Decision.MISSING
        elif decision is Decision.ALLOWED and limit is Decision.ALLOWED:
            decisions[action] = Decision.ALLOWED
        else:
            decisions[action] = Decision.UNKNOWN
        if limit in (Decision.DENIED, Decision.MISSING, Decision.UNKNOWN) and decision is not Decision.DENIED:
            reasons[action] = boundary.reasons.get(action, "the permissions boundary does not allow it")
    return Permissions(decisions, reasons)


# ---------------------------------------------------------------------------
# AWS managed policies known by content
# ---------------------------------------------------------------------------


def _allow(actions: list[str] | str) -> dict:
    return {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": actions, "Resource": "*"}]}


MANAGED_POLICIES = {
    "service-role/AmazonAPIGatewayPushToCloudWatchLogs": _allow(list(PUSH_TO_CLOUDWATCH_ACTIONS)),
    "AdministratorAccess": _allow("*"),
    "CloudWatchLogsFullAccess": _allow(["logs:*", "cloudwatch:GenerateQuery"]),
}
# data "aws_iam_policy" { name = "AmazonAPIGatewayPushToCloudWatchLogs" } names one by its name.
MANAGED_BY_NAME = {path.rsplit("/", 1)[-1]: document for path, document in MANAGED_POLICIES.items()}
_MANAGED_ARN = re.compile(r"arn:([a-z-]+):iam::aws:policy/(.+)")


def managed_policy(arn: Value) -> Value:
    """The document of an AWS managed policy known by content, Unknown for other AWS
    managed policies, None when `arn` is not an AWS managed policy ARN."""
    text = arn if isinstance(arn, str) else None
    holes = holes_of(arn)
    if holes is not None and len(holes.parts) == 3 and holes.parts[0] == "arn:" and isinstance(holes.parts[2], str):
        # arn:${data.aws_partition.current.partition}:iam::aws:policy/…: the same content in every partition.
        text = "arn:aws" + holes.parts[2]
    if text is None:
        return None
    match = _MANAGED_ARN.fullmatch(text)
    if match is None:
        return None
    if match.group(1) not in PARTITIONS:
        return Unknown(f"{text} is not in a known partition")
    known = MANAGED_POLICIES.get(match.group(2))
    return known if known is not None else Unknown(f"the content of the AWS managed policy {text} is not known to this tool")
