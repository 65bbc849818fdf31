"""What the AWS provider knows before apply, emulated for the static backend.

Attributes no one writes but the provider computes from the configuration alone: the region
of `data.aws_region`, the partition of `data.aws_partition`, the `json` of
`data.aws_iam_policy_document` rendered as the provider renders it (statements merged by
`Sid` with `source_policy_documents` and `override_policy_documents`). One table, keyed by
(mode, type, attribute); everything else that is not written is a Reference, known only
after apply.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Callable

from tf_apigw_lint.view.aws import partition_of_region
from tf_apigw_lint.view.policy_documents import items, parse_policy, statement_body, statements
from tf_apigw_lint.view.protocol import DATA
from tf_apigw_lint.view.values import Unknown, Value, is_known, unknown_from

if TYPE_CHECKING:
    from tf_apigw_lint.model.instances import BlockInstance, ResourceInstance


def _provider_region(instance: "ResourceInstance") -> Value | None:
    if instance.has("region"):
        return None
    region = instance.provider_config.region()
    return region if isinstance(region, str) else None


def _partition(instance: "ResourceInstance") -> Value | None:
    return partition_of_region(instance.provider_config.region())


def _policy_document_json(instance: "ResourceInstance") -> Value:
    """The `json` of a `data.aws_iam_policy_document`: JSON text when fully known, else an
    Unknown whose `partial` is the document with unknown leaves."""
    document = instance.memoized("policy_document", lambda: _render_document(instance))
    if is_known(document):
        return json.dumps(document, indent=2)
    return Unknown(f"{instance.address}: {unknown_from(document, '').reason}", partial=document)


def _policy_document_minified_json(instance: "ResourceInstance") -> Value:
    document = instance.memoized("policy_document", lambda: _render_document(instance))
    if is_known(document):
        return json.dumps(document, separators=(",", ":"))
    return Unknown(f"{instance.address}: {unknown_from(document, '').reason}", partial=document)


EMULATED: dict[tuple[str, str, str], Callable[["ResourceInstance"], Value | None]] = {
    # data "aws_region" "current" {} is the region of its provider configuration.
    (DATA, "aws_region", "name"): _provider_region,
    (DATA, "aws_region", "region"): _provider_region,
    # data "aws_partition" "current" {} follows from the region of its provider configuration.
    (DATA, "aws_partition", "partition"): _partition,
    (DATA, "aws_iam_policy_document", "json"): _policy_document_json,
    (DATA, "aws_iam_policy_document", "minified_json"): _policy_document_minified_json,
}


def emulated_attribute(instance: "ResourceInstance", name: str) -> Value | None:
    """The value of `name` when the provider knows it without apply; None when it does not."""
    compute = EMULATED.get((instance.mode, instance.type, name))
    return compute(instance) if compute is not None else None


def _render_document(instance: "ResourceInstance") -> dict:
    merged: list[Value] = []
    version: Value = None
    # source_json / override_json: the provider's older (v4) arguments, merged around the lists.
    sources = [instance.attr("source_json")] + items(instance.attr("source_policy_documents") or [])
    for source in sources:
        if source is not None:
            version = _merge(merged, parse_policy(source), version)
    current: dict[str, Value] = {"Version": instance.attr("version") or "2012-10-17"}
    if instance.attr("policy_id") is not None:
        current["Id"] = instance.attr("policy_id")
    current["Statement"] = [_render_statement(block) for block in instance.blocks("statement")]
    version = _merge(merged, current, version)
    overrides = items(instance.attr("override_policy_documents") or []) + [instance.attr("override_json")]
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
        body, _ = statement_body(statement)
        sid = body.get("Sid") if body else None
        if isinstance(sid, str) and sid:
            for index, existing in enumerate(merged):
                existing_body, _ = statement_body(existing)
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
        by_type.setdefault(kind, []).extend(items(principal.attr("identifiers")))
    if list(by_type) == ["*"] and all(i == "*" for i in by_type["*"]):
        return "*"
    return {kind: _string_set(identifiers) for kind, identifiers in by_type.items()}


def _render_conditions(blocks: list["BlockInstance"]) -> Value:
    rendered: dict[str, dict[str, list[Value]]] = {}
    for condition in blocks:
        test, variable = condition.attr("test"), condition.attr("variable")
        if not isinstance(test, str) or not isinstance(variable, str):
            return unknown_from([test, variable], "condition")
        rendered.setdefault(test, {}).setdefault(variable, []).extend(items(condition.attr("values")))
    return {test: {variable: _string_set(values) for variable, values in entries.items()} for test, entries in rendered.items()}
