"""Attributes that are not written in the configuration but can be known before apply.

Everything else that is not configured is a Reference (known only after apply). Keyed by
(resource type, attribute); data sources and managed resources share the table because
their type names never collide in the AWS provider.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from tf_apigw_lint.model.iam import partition_of_region, policy_document_json
from tf_apigw_lint.view.values import Value

if TYPE_CHECKING:
    from tf_apigw_lint.model.instances import ResourceInstance


def _provider_region(instance: "ResourceInstance") -> Value | None:
    if instance.has("region"):
        return None
    region = instance.provider.region()
    return region if isinstance(region, str) else None


COMPUTED: dict[tuple[str, str], Callable[["ResourceInstance"], Value | None]] = {
    # data "aws_region" "current" {} is the region of its provider configuration.
    ("aws_region", "name"): _provider_region,
    ("aws_region", "region"): _provider_region,
    # data "aws_partition" "current" {} follows from the region of its provider configuration.
    ("aws_partition", "partition"): lambda instance: partition_of_region(instance.provider.region()),
    # data "aws_iam_policy_document": rendered as the AWS provider renders it (iam.py).
    ("aws_iam_policy_document", "json"): policy_document_json,
    ("aws_iam_policy_document", "minified_json"): lambda instance: policy_document_json(instance, minified=True),
}


def computed_attribute(instance: "ResourceInstance", name: str) -> Value | None:
    """The value of `name` when it can be known without apply; None when it cannot."""
    compute = COMPUTED.get((instance.type, name))
    return compute(instance) if compute is not None else None
