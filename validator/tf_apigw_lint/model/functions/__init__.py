"""Terraform's built-in functions on plain values (see `view/values.py`).

`FUNCTIONS` maps a function name to a `Function`, called as `fn(context, args) -> Value`.
Each function checks its arguments as Terraform does (count, conversion to the parameter
type, null) and raises `EvalError` with Terraform's wording: `Invalid function argument:
Invalid value for "str" parameter: string required.` Results match `terraform console`.

Unknown values: by default an argument that is, or contains, an Unknown or a Reference
makes the result an Unknown whose reason names the function and the unknown value. Where
Terraform knows more, so do these functions (declared per parameter):
`length`, `concat`, `merge`, `flatten`, `lookup`, `element`, `keys`, `values`, `reverse`,
`slice`, `one`, `zipmap`, `chunklist` and `coalescelist` keep unknown elements in place;
`contains`, `index`, `coalesce`, `alltrue` and `anytrue` answer when the known part
decides; `jsonencode` of a structure with unknown leaves is an Unknown that keeps the
structure as `partial`, which `jsondecode` gives back; `to*()` conversions pass Unknowns
and References through.

`try` and `can` are not here: they need their arguments unevaluated, so the evaluator
implements them.

The modules follow the families of Terraform's function documentation; each lists its
functions in a tuple `FUNCTIONS`, and the table below is the one place that joins them.
"""

from __future__ import annotations

from tf_apigw_lint.model.functions import (
    collections,
    conversion,
    crypto,
    datetime,
    encoding,
    filesystem,
    formatting,
    numeric,
    regex,
    strings,
)
from tf_apigw_lint.model.functions.core import Function, FunctionContext

__all__ = ["FUNCTIONS", "Function", "FunctionContext"]


def _by_name(*families: tuple[Function, ...]) -> dict[str, Function]:
    table: dict[str, Function] = {}
    for family in families:
        for function in family:
            if function.name in table:
                raise ValueError(f"built-in function {function.name}() is listed twice")
            table[function.name] = function
    return table


FUNCTIONS: dict[str, Function] = _by_name(
    strings.FUNCTIONS,
    formatting.FUNCTIONS,
    regex.FUNCTIONS,
    collections.FUNCTIONS,
    numeric.FUNCTIONS,
    encoding.FUNCTIONS,
    crypto.FUNCTIONS,
    filesystem.FUNCTIONS,
    conversion.FUNCTIONS,
    datetime.FUNCTIONS,
)
