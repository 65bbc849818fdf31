"""Terraform's type conversion functions: to*(), and sensitive()/nonsensitive(), which
pass values through since this tool does not track sensitivity."""

from __future__ import annotations

import json

from tf_apigw_lint.model.errors import EvalError
from tf_apigw_lint.model.functions.core import BadArgument, Function, Param, Unknowns, function
from tf_apigw_lint.model.types import ANY, BOOL, NUMBER, STRING, ListType, MapType, SetType, TfType, convert
from tf_apigw_lint.view.values import Value, type_name


def _conversion(name: str, target: TfType) -> Function:
    def to(value: Value) -> Value:
        try:
            return convert(value, target)
        except EvalError:
            if isinstance(value, str) and target == NUMBER:
                detail = "given string must be a decimal representation of a number"
                raise BadArgument("v", f"cannot convert {json.dumps(value)} to number; {detail}") from None
            if isinstance(value, str) and target == BOOL:
                detail = 'only the strings "true" or "false" are allowed'
                raise BadArgument("v", f"cannot convert {json.dumps(value)} to bool; {detail}") from None
            raise BadArgument("v", f"cannot convert {type_name(value)} to {target}") from None

    return function(name, Param("v", nullable=True, unknowns=Unknowns.ACCEPT))(to)


@function("sensitive", Param("value", nullable=True, unknowns=Unknowns.ACCEPT))
def _sensitive(value: Value) -> Value:
    return value


@function("nonsensitive", Param("value", nullable=True, unknowns=Unknowns.ACCEPT))
def _nonsensitive(value: Value) -> Value:
    return value


FUNCTIONS = (
    _conversion("tostring", STRING),
    _conversion("tonumber", NUMBER),
    _conversion("tobool", BOOL),
    _conversion("tolist", ListType(ANY)),
    _conversion("toset", SetType(ANY)),
    _conversion("tomap", MapType(ANY)),
    _sensitive,
    _nonsensitive,
)
