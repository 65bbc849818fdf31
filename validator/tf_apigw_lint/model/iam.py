"""The CloudWatch role of an API Gateway account: which role it is, whether it trusts API
Gateway and which of the seven logging actions it is allowed.

- `role_of_account(account)` follows `cloudwatch_role_arn` to an `aws_iam_role` of the
  configuration (by reference, or a literal ARN by the role's `name`); a role that is not
  declared here is unknown and nothing is said about it.
- `analyse_account(account)` gathers the role's trust policy and every permission policy
  the configuration gives it (`inline_policy`, `aws_iam_role_policy`, the three attachment
  resources, `managed_policy_arns`, `aws_iam_policy`, `permissions_boundary`) and
  evaluates them.
- The evaluation itself is pure and works on parsed policy documents whose leaves may be
  Unknown: `evaluate_trust`, `evaluate_permissions`, `action_matches`,
  `resource_could_match`. Answers are three-valued (True, False, None for "cannot tell").
- `policy_document_json(instance)` renders `data.aws_iam_policy_document` the way the AWS
  provider does (statements merged by `Sid` with `source_policy_documents` and
  `override_policy_documents`), for `model/computed.py`.

A string template with unknown interpolations (`"arn:aws:logs:*:${local.account}:*"`) is
read here as an `Unknown` whose `partial` is a `Holes`: the known text around the unknown
parts, so a resource pattern can still be compared.
"""

from __future__ import annotations

import enum
import json
import re
import weakref
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Callable, Iterable

from tf_apigw_lint.view.values import Holes, Reference, Unknown, Value, holes_of, is_known, unknown_from

if TYPE_CHECKING:
    from tf_apigw_lint.model.instances import BlockInstance, ResourceInstance

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


def _at_most_maybe(a: bool | None) -> bool | None:
    return None if a is True else a


# ---------------------------------------------------------------------------
# Policy documents
# ---------------------------------------------------------------------------

# Stands for the n-th unknown part while a policy known in part is parsed as JSON text.
_HOLE = re.compile("\ue000(\\d+)\ue001")


def parse_policy(value: Value) -> Value:
    """A policy document (dict, leaves possibly unknown) from an attribute value: JSON text,
    a template with holes, or the partial structure of `jsonencode`. Unknown otherwise;
    None when `value` is None."""
    if value is None or isinstance(value, dict):
        return value
    if isinstance(value, str):
        return _load_json(value, [])
    holes = holes_of(value)
    if holes is not None:
        unknowns = [p for p in holes.parts if not isinstance(p, str)]
        text = "".join(p if isinstance(p, str) else f"\ue000{unknowns.index(p)}\ue001" for p in holes.parts)
        parsed = _load_json(text, unknowns)
        if isinstance(parsed, Unknown):
            return unknown_from(value, "policy")
        return parsed
    if isinstance(value, Unknown) and isinstance(value.partial, dict):
        return value.partial
    return unknown_from(value, "policy")


def _load_json(text: str, unknowns: list) -> Value:
    try:
        document = json.loads(text)
    except ValueError as error:
        return Unknown(f"policy is not valid JSON ({error})")
    if not isinstance(document, dict):
        return Unknown("policy is not a JSON object")
    return _restore_holes(document, unknowns) if unknowns else document


def _restore_holes(value: Value, unknowns: list) -> Value:
    if isinstance(value, dict):
        return {k: _restore_holes(v, unknowns) for k, v in value.items()}
    if isinstance(value, list):
        return [_restore_holes(v, unknowns) for v in value]
    if isinstance(value, str) and _HOLE.search(value):
        pieces = _HOLE.split(value)
        parts = tuple(unknowns[int(p)] if i % 2 else p for i, p in enumerate(pieces) if i % 2 or p)
        if len(parts) == 1:
            return parts[0]
        first = next(p for p in parts if not isinstance(p, str))
        return Unknown(unknown_from(first, "policy").reason, partial=Holes(parts))
    return value


def statements(policy: Value) -> list[Value]:
    """The statements of a policy (`Statement` as one object or a list); an Unknown in the
    list stands for statements that cannot be read."""
    if not isinstance(policy, dict):
        return [policy if isinstance(policy, Unknown) else unknown_from(policy, "policy")]
    body = policy.get("Statement")
    if isinstance(body, Unknown) and isinstance(body.partial, (list, dict)):
        body = body.partial
    if isinstance(body, dict):
        return [body]
    if isinstance(body, list):
        return body
    if body is None:
        return []
    return [unknown_from(body, "policy Statement")]


def _items(value: Value) -> list[Value]:
    if isinstance(value, Unknown) and isinstance(value.partial, list):
        return list(value.partial)
    if isinstance(value, list):
        return value
    return [value]


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


def _any_item(values: Value, test: Callable[[Value], bool | None]) -> bool | None:
    result: bool | None = False
    for item in _items(values):
        result = _or(result, test(item))
    return result


def globs_intersect(pattern: str, target: str) -> bool:
    """Whether some string matches both the IAM resource pattern (`*`, `?`, case-sensitive)
    and the target (literal text, `*`, and FIELD for any text without `:`)."""

    @lru_cache(maxsize=None)
    def meet(i: int, j: int) -> bool:
        if i == len(pattern) and j == len(target):
            return True
        if i < len(pattern) and pattern[i] == "*":
            if meet(i + 1, j):
                return True
            return j < len(target) and meet(i, j + 1)
        if j < len(target) and target[j] in ("*", FIELD):
            if meet(i, j + 1):
                return True
            return i < len(pattern) and (target[j] == "*" or pattern[i] != ":") and meet(i + 1, j)
        if i == len(pattern) or j == len(target):
            return False
        return pattern[i] in (target[j], "?") and meet(i + 1, j + 1)

    return meet(0, 0)


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


def _statement_body(statement: Value) -> tuple[dict | None, bool]:
    """The statement's known structure, and whether it certainly exists as read."""
    if isinstance(statement, dict):
        return statement, True
    if isinstance(statement, Unknown) and isinstance(statement.partial, dict):
        return statement.partial, False
    return None, False


def _action_applies(statement: dict, action: str) -> bool | None:
    if "Action" in statement:
        return _any_item(statement["Action"], lambda item: _action_item_matches(item, action))
    if "NotAction" in statement:
        return _not(_any_item(statement["NotAction"], lambda item: _action_item_matches(item, action)))
    return False


def _resource_applies(statement: dict, targets: tuple[str, ...], resolve: Callable[[Value], str | None]) -> bool | None:
    if "Resource" in statement:
        return _any_item(statement["Resource"], lambda item: resource_could_match(item, targets, resolve))
    if "NotResource" in statement:
        return _not(_any_item(statement["NotResource"], lambda item: _resource_covers(item, targets)))
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
            values = _items(expected)
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
    values = _items(expected)
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
            result = _or(result, _any_item(identifiers, lambda i: _service_matches(i, service)))
        elif kind == "AWS":
            result = _or(result, _any_item(identifiers, lambda i: True if i == "*" else (False if isinstance(i, str) else None)))
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
        return [i for i in _items(principal.get("Service")) if isinstance(i, str)] + [
            f"AWS {i}" for i in _items(principal.get("AWS")) if isinstance(i, str)
        ] + [f"Federated {i}" for i in _items(principal.get("Federated")) if isinstance(i, str)]
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
        body, exists = _statement_body(statement)
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
            applies = _at_most_maybe(applies)
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
            allowed = _or(allowed, _at_most_maybe(applies))
            denied = _or(denied, _at_most_maybe(applies))
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
                body, exists = _statement_body(statement)
                if body is None:
                    allowed = _or(allowed, None)
                    why = why or f"{source.description} cannot be read: {_reason(statement)}"
                    continue
                applies = _and(_action_applies(body, action), _resource_applies(body, targets, resolve))
                if body.get("Condition"):
                    applies = _at_most_maybe(applies)
                if not exists or source.attached is not True:
                    applies = _at_most_maybe(applies)
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
                    allowed = _or(allowed, _at_most_maybe(applies))
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
_MANAGED_BY_NAME = {path.rsplit("/", 1)[-1]: document for path, document in MANAGED_POLICIES.items()}
_MANAGED_ARN = re.compile(r"arn:([a-z-]+):iam::aws:policy/(.+)")
_CUSTOMER_POLICY_ARN = re.compile(r"arn:[a-z-]+:iam::[^:]*:policy/(?:(.*)/)?([^/]+)")
_ROLE_ARN = re.compile(r"arn:[a-z-]+:iam::[^:]*:role/(?:.*/)?([^/]+)")


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


def partition_of_region(region: Value) -> str | None:
    if not isinstance(region, str):
        return None
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    return "aws"


# ---------------------------------------------------------------------------
# data "aws_iam_policy_document"
# ---------------------------------------------------------------------------

_rendering: set[int] = set()
_rendered: "weakref.WeakKeyDictionary[Any, dict]" = weakref.WeakKeyDictionary()


def policy_document_json(instance: "ResourceInstance", minified: bool = False) -> Value:
    """The `json` of a `data.aws_iam_policy_document`: JSON text when fully known, else an
    Unknown whose `partial` is the document with unknown leaves."""
    document = policy_document(instance)
    if is_known(document):
        return json.dumps(document, separators=(",", ":")) if minified else json.dumps(document, indent=2)
    return Unknown(f"{instance.address}: {_reason(document)}", partial=document)


def policy_document(instance: "ResourceInstance") -> Value:
    if instance in _rendered:
        return _rendered[instance]
    if id(instance) in _rendering:
        return Unknown(f"{instance.address} refers to itself")
    _rendering.add(id(instance))
    try:
        document = _render_document(instance)
    finally:
        _rendering.discard(id(instance))
    _rendered[instance] = document
    return document


def _render_document(instance: "ResourceInstance") -> dict:
    merged: list[Value] = []
    version: Value = None
    # source_json / override_json: the provider's older (v4) arguments, merged around the lists.
    sources = [instance.attr("source_json")] + _items(instance.attr("source_policy_documents") or [])
    for source in sources:
        if source is not None:
            version = _merge(merged, parse_policy(source), version)
    current: dict[str, Value] = {"Version": instance.attr("version") or "2012-10-17"}
    if instance.attr("policy_id") is not None:
        current["Id"] = instance.attr("policy_id")
    current["Statement"] = [_render_statement(block) for block in instance.blocks("statement")]
    version = _merge(merged, current, version)
    overrides = _items(instance.attr("override_policy_documents") or []) + [instance.attr("override_json")]
    for override in overrides:
        if override is not None:
            version = _merge(merged, parse_policy(override), version)
    document: dict[str, Value] = {"Version": version or "2012-10-17"}
    if "Id" in current:
        document["Id"] = current["Id"]
    document["Statement"] = merged
    return document


def _merge(merged: list[Value], document: Value, version: Value) -> Value:
    """The provider's merge: a statement replaces the one with the same non-empty Sid."""
    if isinstance(document, dict) and document.get("Version"):
        version = document["Version"]
    for statement in statements(document):
        body, _ = _statement_body(statement)
        sid = body.get("Sid") if body else None
        if isinstance(sid, str) and sid:
            for index, existing in enumerate(merged):
                existing_body, _ = _statement_body(existing)
                if existing_body is not None and existing_body.get("Sid") == sid:
                    merged[index] = statement
                    break
            else:
                merged.append(statement)
        else:
            merged.append(statement)
    return version


def _string_set(value: Value) -> Value:
    """The provider's rendering of a set of strings: one string alone, else reverse sorted."""
    if isinstance(value, list):
        unique = list(dict.fromkeys(v for v in value if isinstance(v, str))) + [v for v in value if not isinstance(v, str)]
        if len(unique) == 1:
            return unique[0]
        if all(isinstance(v, str) for v in unique):
            return sorted(unique, reverse=True)
        return unique
    return value


def _render_statement(block: "BlockInstance") -> Value:
    statement: dict[str, Value] = {}
    sid = block.attr("sid")
    if sid not in (None, ""):
        statement["Sid"] = sid
    statement["Effect"] = block.attr("effect") or "Allow"
    for name, key in (("actions", "Action"), ("not_actions", "NotAction"), ("resources", "Resource"), ("not_resources", "NotResource")):
        value = block.attr(name)
        if value is not None and value != []:
            statement[key] = _string_set(value)
    for block_type, key in (("principals", "Principal"), ("not_principals", "NotPrincipal")):
        blocks = block.blocks(block_type)
        if blocks:
            statement[key] = _render_principals(blocks)
    conditions = block.blocks("condition")
    if conditions:
        statement["Condition"] = _render_conditions(conditions)
    if block.uncertain:
        return Unknown("a statement from a dynamic block whose for_each is known only after apply", partial=statement)
    return statement


def _render_principals(blocks: list["BlockInstance"]) -> Value:
    by_type: dict[str, list[Value]] = {}
    for principal in blocks:
        kind = principal.attr("type")
        if not isinstance(kind, str):
            return unknown_from(kind, "principals type")
        by_type.setdefault(kind, []).extend(_items(principal.attr("identifiers")))
    if list(by_type) == ["*"] and all(i == "*" for i in by_type["*"]):
        return "*"
    return {kind: _string_set(identifiers) for kind, identifiers in by_type.items()}


def _render_conditions(blocks: list["BlockInstance"]) -> Value:
    rendered: dict[str, dict[str, list[Value]]] = {}
    for condition in blocks:
        test, variable = condition.attr("test"), condition.attr("variable")
        if not isinstance(test, str) or not isinstance(variable, str):
            return unknown_from([test, variable], "condition")
        rendered.setdefault(test, {}).setdefault(variable, []).extend(_items(condition.attr("values")))
    return {test: {variable: _string_set(values) for variable, values in entries.items()} for test, entries in rendered.items()}


# ---------------------------------------------------------------------------
# Account → role → policies
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RoleLink:
    """The role an account's `cloudwatch_role_arn` names: `role` is None when it is not a
    role of this configuration (or cannot be known), with `reason`."""

    account: "ResourceInstance"
    role: "ResourceInstance | None"
    reason: str = ""


@dataclass(frozen=True)
class RoleAnalysis:
    account: "ResourceInstance"
    role: "ResourceInstance"
    trust: Trust
    permissions: Permissions
    sources: tuple[PolicySource, ...]


class _Index:
    """The IAM resources of one configuration, read once."""

    def __init__(self, configuration: Any):
        self.configuration = configuration
        self.roles = list(configuration.resources("aws_iam_role"))
        self.policies = list(configuration.resources("aws_iam_policy"))
        self.log_groups = {g.address: g for g in configuration.resources("aws_cloudwatch_log_group")}
        self.data_policies = {p.address: p for p in configuration.resources("aws_iam_policy", mode="data")}
        self.role_policies = list(configuration.resources("aws_iam_role_policy"))
        self.attachments = list(configuration.resources("aws_iam_role_policy_attachment"))
        self.shared_attachments = list(configuration.resources("aws_iam_policy_attachment"))
        self.exclusive_attachments = list(configuration.resources("aws_iam_role_policy_attachments_exclusive"))
        self.analyses: dict[tuple, RoleAnalysis] = {}

    def role_by_address(self, address: str) -> "ResourceInstance | None":
        return next((r for r in self.roles if r.address == address), None)

    def resolve(self, value: Value) -> str | None:
        """What a Reference in a Resource stands for, when it can be known."""
        if isinstance(value, Reference) and value.resource_type == "aws_cloudwatch_log_group" and value.attribute == "arn":
            group = self.log_groups.get(value.address)
            name = group.attr("name") if group is not None else None
            if isinstance(name, str):
                return f"arn:*:logs:*:*:log-group:{name}"
        return None


_indexes: "weakref.WeakKeyDictionary[Any, _Index]" = weakref.WeakKeyDictionary()


def _index(configuration: Any) -> _Index:
    if configuration not in _indexes:
        _indexes[configuration] = _Index(configuration)
    return _indexes[configuration]


def role_of_account(account: "ResourceInstance") -> RoleLink:
    index = _index(account.configuration)
    value = account.attr("cloudwatch_role_arn")
    if isinstance(value, Reference):
        if value.resource_type == "aws_iam_role" and value.attribute == "arn":
            role = index.role_by_address(value.address)
            if role is not None:
                return RoleLink(account, role)
        return RoleLink(account, None, f"cloudwatch_role_arn refers to {value.address}.{value.attribute}, not to a role declared here")
    name: Value = None
    if isinstance(value, str):
        match = _ROLE_ARN.fullmatch(value)
        name = match.group(1) if match else None
    holes = holes_of(value)
    if holes is not None:
        parts = holes.parts
        last = parts[-1]
        if isinstance(last, Reference) and last.resource_type == "aws_iam_role" and last.attribute in ("name", "id"):
            role = index.role_by_address(last.address)
            if role is not None and len(parts) > 1 and isinstance(parts[-2], str) and parts[-2].endswith("/"):
                return RoleLink(account, role)
        match = _ROLE_ARN.fullmatch(holes.pattern())
        if match is not None and isinstance(last, str) and last.endswith("/" + match.group(1)):
            name = match.group(1)
    if not isinstance(name, str):
        return RoleLink(account, None, "cloudwatch_role_arn does not name a role of this configuration")
    named = [r for r in index.roles if r.attr("name") == name]
    if len(named) == 1:
        return RoleLink(account, named[0])
    if not named:
        return RoleLink(account, None, f'no aws_iam_role named "{name}" is declared in this configuration')
    return RoleLink(account, None, f'several aws_iam_role are named "{name}"')


def analyse_account(account: "ResourceInstance") -> RoleAnalysis | None:
    """The trust and permissions of the account's role; None when the role is unknown."""
    link = role_of_account(account)
    if link.role is None:
        return None
    index = _index(account.configuration)
    region = account.provider.region()
    region = region if isinstance(region, str) else None
    key = (link.role.address, region)
    if key not in index.analyses:
        index.analyses[key] = _analyse(index, account, link.role, region)
    analysis = index.analyses[key]
    return RoleAnalysis(account, analysis.role, analysis.trust, analysis.permissions, analysis.sources)


def _analyse(index: _Index, account: "ResourceInstance", role: "ResourceInstance", region: str | None) -> RoleAnalysis:
    trust = evaluate_trust(parse_policy(role.attr("assume_role_policy")))
    sources = tuple(_permission_sources(index, role))
    targets = execution_log_targets(partition_of_region(region), region)
    permissions = evaluate_permissions(sources, targets=targets, resolve=index.resolve)
    boundary_arn = role.attr("permissions_boundary")
    if boundary_arn is not None:
        boundary = PolicySource(f"the permissions boundary of {role.address}", _policy_of_arn(index, boundary_arn))
        permissions = within_boundary(permissions, evaluate_permissions([boundary], targets=targets, resolve=index.resolve))
    return RoleAnalysis(account, role, trust, permissions, sources)


def _names_role(value: Value, role: "ResourceInstance") -> bool | None:
    """Whether a `role` argument (the role's name, or its id, which is the name) names `role`."""
    if isinstance(value, Reference):
        if value.address == role.address:
            return True if value.attribute in ("name", "id") else None
        # Two roles of the configuration never share a name.
        return False if value.resource_type == "aws_iam_role" and not value.address.startswith("data.") and ".data." not in value.address else None
    if isinstance(value, str):
        name = role.attr("name")
        if name is None:
            return False  # a generated name cannot be written in advance
        return value == name if isinstance(name, str) else None
    return None


def _permission_sources(index: _Index, role: "ResourceInstance") -> Iterable[PolicySource]:
    for block in role.blocks("inline_policy"):
        if block.has("policy"):
            yield PolicySource(f"an inline_policy of {role.address}", parse_policy(block.attr("policy")), None if block.uncertain else True)
    managed = role.attr("managed_policy_arns")
    for arn in _items(managed) if managed is not None else []:
        yield PolicySource(_describe_arn(arn, f"managed_policy_arns of {role.address}"), _policy_of_arn(index, arn))
    for resource in index.role_policies:
        attached = _attached(resource, _names_role(resource.attr("role"), role))
        if attached is not False:
            yield PolicySource(resource.address, parse_policy(resource.attr("policy")), attached)
    for resource in index.attachments:
        attached = _attached(resource, _names_role(resource.attr("role"), role))
        if attached is not False:
            arn = resource.attr("policy_arn")
            yield PolicySource(_describe_arn(arn, resource.address), _policy_of_arn(index, arn), attached)
    for resource in index.shared_attachments:
        roles = resource.attr("roles")
        attached = _attached(resource, _any_item(roles, lambda r: _names_role(r, role)) if roles is not None else False)
        if attached is not False:
            arn = resource.attr("policy_arn")
            yield PolicySource(_describe_arn(arn, resource.address), _policy_of_arn(index, arn), attached)
    for resource in index.exclusive_attachments:
        attached = _attached(resource, _names_role(resource.attr("role_name"), role))
        if attached is not False:
            for arn in _items(resource.attr("policy_arns") or []):
                yield PolicySource(_describe_arn(arn, resource.address), _policy_of_arn(index, arn), attached)


def _attached(resource: "ResourceInstance", names_role: bool | None) -> bool | None:
    return _at_most_maybe(names_role) if resource.uncertain else names_role


def _describe_arn(arn: Value, where: str) -> str:
    if isinstance(arn, str):
        return f"{arn} (in {where})"
    if isinstance(arn, Reference):
        return f"{arn.address} (in {where})"
    return f"a policy of {where}"


def _policy_of_arn(index: _Index, arn: Value) -> Value:
    """The document of the policy an ARN names, as far as the configuration tells."""
    if isinstance(arn, Reference):
        if arn.resource_type == "aws_iam_policy" and arn.attribute in ("arn", "id"):
            policy = next((p for p in index.policies if p.address == arn.address), None)
            if policy is not None:
                return parse_policy(policy.attr("policy"))
            data = index.data_policies.get(arn.address)
            # data "aws_iam_policy" { name = "AmazonAPIGatewayPushToCloudWatchLogs" }
            if data is not None and not data.has("path_prefix") and data.attr("name") in _MANAGED_BY_NAME:
                return _MANAGED_BY_NAME[data.attr("name")]
        return unknown_from(arn, "policy ARN")
    known = managed_policy(arn)
    if known is not None:
        return known
    if isinstance(arn, str):
        match = _CUSTOMER_POLICY_ARN.fullmatch(arn)
        if match is not None:
            path = f"/{match.group(1)}/" if match.group(1) else "/"
            named = [p for p in index.policies if p.attr("name") == match.group(2) and (p.attr("path") or "/") == path]
            if len(named) == 1:
                return parse_policy(named[0].attr("policy"))
        return Unknown(f"the policy {arn} is not declared in this configuration")
    return unknown_from(arn, "policy ARN")
