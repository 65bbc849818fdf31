"""`count` and `for_each`: which instances a resource or module block expands into.

One expansion for both resources and module calls, as in Terraform: a known `count` gives
instances `[0]`..`[n-1]` binding `count.index`; a known `for_each` (a map, or a set of
strings — written as a list, which is how sets are represented here) gives instances keyed
by its keys in sorted order, binding `each.key` / `each.value`; anything unknown gives a
single instance with no key, its bindings unknown and `uncertain` set (it may not exist).
"""

from __future__ import annotations

from dataclasses import dataclass

from tf_apigw_lint.load import syntax as s
from tf_apigw_lint.model.context import evaluate_safely
from tf_apigw_lint.model.errors import EvalError
from tf_apigw_lint.model.evaluator import LazyObject, evaluate, materialize
from tf_apigw_lint.view.values import Unknown, Value, is_known, unknown_from


@dataclass(frozen=True)
class Instance:
    key: int | str | None
    bindings: dict[str, Value]


@dataclass(frozen=True)
class Expansion:
    """The instances; `keyed` tells how the whole is indexed: "count" (a list), "for_each"
    (a map by key), None (a single object), "unknown" (any index is the one instance)."""

    instances: list[Instance]
    keyed: str | None

    @property
    def uncertain(self) -> bool:
        return self.keyed == "unknown"


def expand(body: s.Body, scope: object) -> Expansion:
    count_attribute, for_each_attribute = body.attribute("count"), body.attribute("for_each")
    if count_attribute is not None:
        count = evaluate_safely(count_attribute.expr, scope)
        if isinstance(count, (int, float)) and not isinstance(count, bool) and count >= 0:
            return Expansion([Instance(i, {"count": {"index": i}}) for i in range(int(count))], "count")
        reason = count if isinstance(count, Unknown) else unknown_from(count, "count")
        return Expansion([Instance(None, {"count": {"index": reason}})], "unknown")
    if for_each_attribute is not None:
        collection = evaluate_for_each(for_each_attribute.expr, scope)
        if isinstance(collection, list) and all(isinstance(v, str) for v in collection):
            collection = {v: v for v in collection}
        if isinstance(collection, dict) and is_known(list(collection.keys())):
            return Expansion([Instance(k, {"each": {"key": k, "value": v}}) for k, v in sorted(collection.items())], "for_each")
        reason = collection if isinstance(collection, Unknown) else unknown_from(collection, "for_each")
        return Expansion([Instance(None, {"each": {"key": reason, "value": reason}})], "unknown")
    return Expansion([Instance(None, {})], None)


def evaluate_for_each(expr: s.Expression, scope: object) -> Value:
    """A `for_each` collection with its elements left lazy: `for_each = aws_x.y` binds
    `each.value` to each resource instance, so `each.value.id` is still a Reference."""
    try:
        collection = evaluate(expr, scope)  # type: ignore[arg-type]
    except EvalError as error:
        return Unknown(str(error))
    if isinstance(collection, LazyObject):
        collection = collection.materialize()
    if isinstance(collection, list):
        return [materialize(item) for item in collection]
    return collection
