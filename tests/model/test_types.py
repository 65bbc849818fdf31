"""Type constraints: parsing `type = ...`, converting values like Terraform does for input
variables, with `terraform console` as the oracle."""

from __future__ import annotations

import json

import pytest

from tf_apigw_lint.load import syntax as s
from tf_apigw_lint.model.errors import EvalError
from tf_apigw_lint.model.functions import FUNCTIONS
from tf_apigw_lint.model.types import (
    ANY,
    BOOL,
    NUMBER,
    STRING,
    Attribute,
    ListType,
    MapType,
    ObjectType,
    SetType,
    TupleType,
    convert,
    equal,
    infer_type,
    number_to_string,
    parse_number,
    parse_type,
    set_elements,
    unify,
)
from tf_apigw_lint.view.values import Reference, Unknown

R = s.Range("variables.tf", 1, 1, 1, 1)


# Builders for the syntax the loader produces for a `type = ...` expression.
def kw(name):
    return s.Variable(name, R)


def fn(name, *args):
    return s.FunctionCall(name, tuple(args), False, R)


def const(value):
    if isinstance(value, dict):
        return s.ObjectExpr(tuple(s.ObjectItem(s.Literal(k, R), const(v)) for k, v in value.items()), R)
    if isinstance(value, list):
        return s.TupleExpr(tuple(const(v) for v in value), R)
    return s.Literal(value, R)


def obj(**attributes):
    return fn("object", s.ObjectExpr(tuple(s.ObjectItem(s.Literal(k, R), v) for k, v in attributes.items()), R))


def tup(*types):
    return fn("tuple", s.TupleExpr(tuple(types), R))


def optional(tftype, *default):
    return fn("optional", tftype, *(const(d) for d in default))


def hcl(expr) -> str:
    """The type expression as Terraform source, for the oracle."""
    if isinstance(expr, s.Variable):
        return expr.name
    if isinstance(expr, s.FunctionCall):
        return f"{expr.name}({', '.join(hcl(a) for a in expr.args)})"
    if isinstance(expr, s.ObjectExpr):
        return "{" + ", ".join(f"{item.key.value} = {hcl(item.value)}" for item in expr.items) + "}"
    if isinstance(expr, s.TupleExpr):
        return "[" + ", ".join(hcl(item) for item in expr.items) + "]"
    return json.dumps(expr.value)


STR, NUM, BOOLEAN, ANYTHING = kw("string"), kw("number"), kw("bool"), kw("any")
ARN = Reference("aws_iam_role.r", "arn", "aws_iam_role")
U = Unknown("var.u is unknown")


# ---------------------------------------------------------------------------
# parse_type
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "expr, expected",
    [
        (STR, STRING),
        (NUM, NUMBER),
        (BOOLEAN, BOOL),
        (ANYTHING, ANY),
        (kw("list"), ListType(ANY)),
        (kw("map"), MapType(ANY)),
        (fn("list", STR), ListType(STRING)),
        (fn("set", NUM), SetType(NUMBER)),
        (fn("map", fn("list", BOOLEAN)), MapType(ListType(BOOL))),
        (tup(STR, NUM), TupleType((STRING, NUMBER))),
        (tup(), TupleType(())),
        (obj(a=STR, b=fn("list", ANYTHING)), ObjectType({"a": Attribute(STRING), "b": Attribute(ListType(ANY))})),
        (obj(a=optional(STR)), ObjectType({"a": Attribute(STRING, optional=True)})),
        (obj(a=optional(NUM, "5")), ObjectType({"a": Attribute(NUMBER, optional=True, default=5)})),
        (obj(a=optional(fn("set", STR), ["z", "y", "z"])), ObjectType({"a": Attribute(SetType(STRING), optional=True, default=["y", "z"])})),
        (
            obj(o=optional(obj(a=optional(NUM, 1), b=STR), {"b": "x"})),
            ObjectType({"o": Attribute(ObjectType({"a": Attribute(NUMBER, optional=True, default=1), "b": Attribute(STRING)}), optional=True, default={"a": 1, "b": "x"})}),
        ),
        (obj(a=fn("optional", NUM, s.UnaryOp("-", s.Literal(1, R), R))), ObjectType({"a": Attribute(NUMBER, optional=True, default=-1)})),
        (obj(a=fn("optional", STR, s.Template(("x",), R))), ObjectType({"a": Attribute(STRING, optional=True, default="x")})),
    ],
)
def test_parse_type(expr, expected):
    assert parse_type(expr) == expected


@pytest.mark.parametrize(
    "expr, message",
    [
        (kw("strin"), 'Invalid type specification: the keyword "strin" is not a valid type specification.'),
        (kw("set"), 'the keyword "set" is not a valid type specification.'),
        (fn("list", STR, NUM), "the list type constructor requires one argument specifying the element type."),
        (fn("map"), "the map type constructor requires one argument"),
        (fn("object", STR), "the object type constructor requires one argument specifying the attribute types and values as a map."),
        (fn("tuple", STR), "the tuple type constructor requires a list of element types."),
        (fn("optional", STR), 'keyword "optional" is valid only as a modifier for object type attributes.'),
        (fn("list", fn("optional", STR)), 'keyword "optional" is valid only as a modifier'),
        (fn("strange", STR), 'keyword "strange" is not a valid type constructor.'),
        (s.Literal("string", R), 'Invalid quoted type constraints: remove the quotes around "string".'),
        (s.Literal(1, R), "a type specification is either a primitive type keyword"),
        (fn("object", s.ObjectExpr((s.ObjectItem(s.Parens(kw("k"), R), STR),), R)), "object constructor map keys must be attribute names."),
        (obj(a=fn("optional", STR, const("x"), const(1))), "optional attribute modifier expects at most two arguments"),
        (obj(a=optional(NUM, "x")), "Invalid default value for optional attribute: this default value is not compatible with the attribute's type constraint: a number is required."),
        (obj(o=optional(obj(a=STR), {})), 'not compatible with the attribute\'s type constraint: attribute "a" is required.'),
        (obj(a=fn("optional", STR, s.GetAttr(kw("var"), "x", R))), "Invalid default value for optional attribute: the default must be a constant value; variables and function calls may not be used here."),
        (obj(a=fn("optional", STR, fn("lower", const("X")))), "the default must be a constant value"),
    ],
)
def test_parse_type_errors(expr, message):
    with pytest.raises(EvalError) as raised:
        parse_type(expr)
    assert message in str(raised.value)


# ---------------------------------------------------------------------------
# convert
# ---------------------------------------------------------------------------

ITEMS = obj(
    name=STR,
    tags=optional(fn("map", STR), {}),
    nested=optional(obj(a=optional(NUM, 1), b=optional(fn("list", STR)), c=optional(obj(d=optional(BOOLEAN, True)), {})), {}),
    items=optional(fn("list", obj(x=STR, y=optional(NUM, 5))), []),
)

CONVERSIONS = [
    # primitives
    (STR, "a", "a"),
    (STR, 1, "1"),
    (STR, 2.5, "2.5"),
    (STR, True, "true"),
    (NUM, "1.5", 1.5),
    (NUM, "10", 10),
    (NUM, 3, 3),
    (BOOLEAN, "true", True),
    (BOOLEAN, "false", False),
    (BOOLEAN, False, False),
    (ANYTHING, {"a": [1, "x"]}, {"a": [1, "x"]}),
    # null stays null, also for structural types
    (STR, None, None),
    (obj(a=STR), None, None),
    (fn("list", STR), [None, "a"], [None, "a"]),
    # collections
    (fn("list", STR), ["a", 1, True], ["a", "1", "true"]),
    (fn("list", NUM), ["1", 2], [1, 2]),
    (fn("set", STR), ["b", "a", "b", 1], ["1", "a", "b"]),
    (fn("set", NUM), [10, 9, 10, 1], [1, 9, 10]),
    (fn("set", obj(a=STR)), [{"a": "z"}, {"a": "b"}, {"a": "b"}], [{"a": "b"}, {"a": "z"}]),
    (fn("map", NUM), {"a": "1", "b": 2}, {"a": 1, "b": 2}),
    (fn("list", ANYTHING), ["a", 1], ["a", "1"]),
    (fn("list", ANYTHING), [{"a": 1}, {"a": "x", "b": 2}], [{"a": "1"}, {"a": "x", "b": "2"}]),
    (fn("map", ANYTHING), {"a": 1, "b": "x"}, {"a": "1", "b": "x"}),
    (fn("list", obj(a=ANYTHING)), [{"a": 1}, {"a": "x"}], [{"a": "1"}, {"a": "x"}]),
    (kw("list"), [1], [1]),
    (tup(STR, NUM), [1, "2"], ["1", 2]),
    # objects: extra attributes dropped, optional attributes defaulted, recursively
    (obj(a=STR), {"a": 1, "extra": True}, {"a": "1"}),
    (obj(a=STR, b=optional(STR)), {"a": "x"}, {"a": "x", "b": None}),
    (obj(a=STR, b=optional(STR, "d")), {"a": "x", "b": None}, {"a": "x", "b": "d"}),
    (obj(a=STR, b=optional(STR, "d")), {"a": "x", "b": "given"}, {"a": "x", "b": "given"}),
    (obj(a=optional(NUM)), {}, {"a": None}),
    (obj(a=STR), {"a": None}, {"a": None}),
    (
        ITEMS,
        {"name": "n", "items": [{"x": "a"}, {"x": "b", "y": 7}]},
        {"name": "n", "tags": {}, "nested": {"a": 1, "b": None, "c": {"d": True}}, "items": [{"x": "a", "y": 5}, {"x": "b", "y": 7}]},
    ),
    (ITEMS, {"name": "n", "nested": {"c": None}}, {"name": "n", "tags": {}, "nested": {"a": 1, "b": None, "c": {"d": True}}, "items": []}),
    (
        fn("map", obj(p=optional(STR, "dflt"), q=NUM)),
        {"k1": {"q": "3"}, "k2": {"p": "x", "q": 1, "extra": True}},
        {"k1": {"p": "dflt", "q": 3}, "k2": {"p": "x", "q": 1}},
    ),
    (obj(o=optional(obj(a=optional(STR, "q")), {"a": None})), {}, {"o": {"a": "q"}}),
    (fn("list", obj(a=optional(fn("set", STR), ["z", "y"]))), [{}], [{"a": ["y", "z"]}]),
    (fn("map", obj(a=optional(fn("list", STR), [1]))), {"k": {}, "j": {"a": None}}, {"k": {"a": ["1"]}, "j": {"a": ["1"]}}),
]


@pytest.mark.parametrize("tftype, value, expected", CONVERSIONS, ids=[f"{hcl(t)}={v!r}"[:90] for t, v, _ in CONVERSIONS])
def test_convert(tftype, value, expected):
    assert convert(value, parse_type(tftype)) == expected


def test_convert_does_not_share_defaults_between_values():
    tftype = parse_type(obj(tags=optional(fn("map", STR), {"a": "b"})))
    first = convert({}, tftype)
    first["tags"]["c"] = "d"
    assert convert({}, tftype) == {"tags": {"a": "b"}}


def test_convert_keeps_int_and_bool_distinct():
    assert convert(["1", 2.0], parse_type(fn("list", NUM))) == [1, 2]
    assert [type(v) for v in convert(["1", 2.0], parse_type(fn("list", NUM)))] == [int, float]
    assert convert(True, STRING) == "true"
    with pytest.raises(EvalError, match="number required"):
        convert(True, NUMBER)


@pytest.mark.parametrize(
    "tftype, value, message",
    [
        (ITEMS, {}, 'attribute "name" is required'),
        (ITEMS, {"name": "a", "items": [{"y": 1}]}, 'attribute "items": element 0: attribute "x" is required'),
        (ITEMS, {"name": "a", "nested": {"a": "x"}}, 'attribute "nested": attribute "a": a number is required'),
        (ITEMS, {"name": []}, 'attribute "name": string required'),
        (ITEMS, {"name": "a", "tags": {"k": []}}, 'attribute "tags": element "k": string required'),
        (ITEMS, "x", "object required"),
        (tup(STR, NUM), ["a"], "tuple required"),
        (tup(STR, NUM), {}, "tuple required"),
        (fn("list", STR), [[]], "element 0: string required"),
        (fn("list", STR), "a", "list of string required"),
        (fn("set", NUM), {"a": 1}, "set of number required"),
        (fn("map", obj(q=NUM)), {"a": {}}, 'element "a": attribute "q" is required'),
        (fn("map", STR), ["a"], "map of string required"),
        (fn("map", ANYTHING), {"a": 1, "b": True}, "all map elements must have the same type"),
        (fn("list", ANYTHING), [1, True], "all list elements must have the same type"),
        (NUM, "abc", "a number is required"),
        (NUM, " 1", "a number is required"),
        (NUM, [], "number required"),
        (BOOLEAN, "yes", "a bool is required"),
        (BOOLEAN, 1, "bool required"),
        (STR, {}, "string required"),
    ],
)
def test_convert_errors(tftype, value, message):
    with pytest.raises(EvalError) as raised:
        convert(value, parse_type(tftype))
    assert str(raised.value) == message


@pytest.mark.parametrize(
    "tftype, value, expected",
    [
        (STR, ARN, ARN),
        (NUM, U, U),
        (obj(a=STR), U, U),
        (fn("list", STR), ["a", ARN, 1], ["a", ARN, "1"]),
        (fn("set", STR), ["b", U, "a", ARN, "b", ARN], ["a", "b", U, ARN]),
        (obj(a=STR, b=optional(STR, "d")), {"a": ARN, "b": U}, {"a": ARN, "b": U}),
        (fn("map", obj(arn=STR)), {"k": {"arn": ARN, "x": 1}}, {"k": {"arn": ARN}}),
        (fn("list", ANYTHING), [U, 1, "a"], [U, "1", "a"]),
    ],
)
def test_unknown_leaves_pass_through(tftype, value, expected):
    assert convert(value, parse_type(tftype)) == expected


def test_type_errors_are_found_beside_unknown_leaves():
    with pytest.raises(EvalError, match='attribute "b": string required'):
        convert({"a": ARN, "b": []}, parse_type(obj(a=STR, b=STR)))


# ---------------------------------------------------------------------------
# Inference, unification, values
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "values, expected",
    [
        (["a", 1, True], STRING),
        ([1, 2.5], NUMBER),
        ([1, True], None),
        ([None, U, "a"], STRING),
        ([None], ANY),
        ([], ANY),
        ([[1], ["a"]], TupleType((STRING,))),
        ([[1], [1, 2]], ListType(NUMBER)),
        ([{"a": 1}, {"a": "x"}], ObjectType({"a": Attribute(STRING)})),
        ([{"a": 1}, {"b": 2}], MapType(NUMBER)),
        ([{"a": 1}, {"b": []}], None),
        ([{"a": 1}, [1]], None),
        (["a", [1]], None),
    ],
)
def test_unify(values, expected):
    assert unify([infer_type(v) for v in values]) == expected


@pytest.mark.parametrize(
    "a, b, expected",
    [
        (1, 1.0, True),
        (1, "1", False),
        (True, 1, False),
        (False, 0, False),
        (None, None, True),
        (None, "", False),
        ([1, "a"], [1, "a"], True),
        ([1], [True], False),
        ({"a": [1]}, {"a": [1]}, True),
        ({"a": 1}, {"a": 1, "b": 2}, False),
        ("a", ["a"], False),
    ],
)
def test_equal(a, b, expected):
    assert equal(a, b) is expected


def test_set_elements():
    assert set_elements(["b", "a", "b", "é", "B"]) == ["B", "a", "b", "é"]
    assert set_elements([10, 9, 1.5, 9.0]) == [1.5, 9, 10]
    assert set_elements([True, False, True]) == [False, True]
    assert set_elements([U, "a", U, ARN]) == ["a", U, ARN]


@pytest.mark.parametrize(
    "number, text",
    [(1, "1"), (1.0, "1"), (2.5, "2.5"), (10**21, "1000000000000000000000"), (1e21, "1000000000000000000000"), (1e-7, "0.0000001"), (-0.5, "-0.5"), (1 / 3, "0.3333333333333333")],
)
def test_number_to_string(number, text):
    assert number_to_string(number) == text


@pytest.mark.parametrize(
    "text, number",
    [("1", 1), ("1.5", 1.5), ("+1", 1), ("-2", -2), (".5", 0.5), ("1.", 1), ("1e3", 1000), ("1E-3", 0.001), ("1.0", 1), (" 1", None), ("0x10", None), ("abc", None), ("", None), ("1_000", None), ("inf", None)],
)
def test_parse_number(text, number):
    result = parse_number(text)
    assert result == number and type(result) is type(number)


# ---------------------------------------------------------------------------
# terraform console as the oracle: the same conversions as variable defaults
# ---------------------------------------------------------------------------

ORACLE = [
    (ITEMS, {"name": "n", "items": [{"x": "a"}, {"x": "b", "y": 7}]}),
    (ITEMS, {"name": "n", "nested": {"c": None, "b": [1, True]}, "tags": {"k": 1}}),
    (fn("map", obj(p=optional(STR, "dflt"), q=NUM)), {"k1": {"q": "3"}, "k2": {"p": "x", "q": 1, "extra": True}}),
    (fn("list", STR), ["a", 1, True]),
    (fn("set", STR), ["b", "a", "b", 1]),
    (fn("set", NUM), [10, 9, 10, 1.5]),
    (fn("set", obj(a=STR)), [{"a": "z"}, {"a": "b"}, {"a": "b"}]),
    (obj(a=optional(STR, "x")), None),
    (obj(a=STR, b=optional(STR, "d")), {"a": "x", "b": None}),
    (obj(o=optional(obj(a=optional(STR, "q")), {"a": None})), {}),
    (fn("list", obj(a=optional(fn("set", STR), ["z", "y"]))), [{}]),
    (fn("map", obj(a=optional(fn("list", STR), [1]))), {"k": {}, "j": {"a": None}}),
    (tup(STR, NUM), [1, "2"]),
    (kw("map"), {"a": 1, "b": "x"}),
    (ANYTHING, {"a": 1, "b": ["x", 2]}),
    (fn("list", ANYTHING), [{"a": 1}, {"a": "x", "b": 2}]),
    (fn("list", ANYTHING), [[1], ["a"]]),
    (obj(a=ANYTHING), {"a": [1, "x"]}),
    (fn("list", obj(a=ANYTHING)), [{"a": 1}, {"a": "x"}]),
    (fn("map", fn("list", NUM)), {"a": ["1", 2.5]}),
    (obj(n=NUM, b=BOOLEAN, s=STR), {"n": "1e3", "b": "true", "s": 0.5}),
]


@pytest.fixture(scope="module")
def oracle(terraform_console, tmp_path_factory):
    directory = tmp_path_factory.mktemp("types")
    blocks = [f'variable "v{i}" {{\n  type    = {hcl(t)}\n  default = {json.dumps(v)}\n}}\n' for i, (t, v) in enumerate(ORACLE)]
    (directory / "variables.tf").write_text("\n".join(blocks))
    return terraform_console(directory, [f"var.v{i}" for i in range(len(ORACLE))])


@pytest.mark.parametrize("index", range(len(ORACLE)), ids=[f"{hcl(t)}={v!r}"[:90] for t, v in ORACLE])
def test_converts_like_terraform(oracle, index):
    tftype, value = ORACLE[index]
    ours = convert(value, parse_type(tftype))
    assert FUNCTIONS["jsonencode"](None, [ours]) == oracle[index]


@pytest.mark.parametrize("items, expected", [
    ([1, 1.0, 2], [1, 2]),  # one number
    ([True, 1, "1", "true"], [True, 1, "1", "true"]),  # types differ: four elements
    ([[1, "a"], [1.0, "a"], ["a", 1]], [["a", 1], [1, "a"]]),
    ([{"a": 1, "b": [True]}, {"b": [True], "a": 1.0}, {"a": True}], [{"a": 1, "b": [True]}, {"a": True}]),
    ([None, None], [None]),
])
def test_set_elements_deduplicate_by_terraform_equality(items, expected):
    assert set_elements(items) == expected


def test_set_of_a_hundred_thousand_keys():
    """toset() over 10⁵ keys: hashed, not compared pairwise (10¹⁰ comparisons did not end)."""
    keys = [f"k{i}" for i in range(100_000)]
    assert set_elements(keys + keys[:10]) == sorted(keys)
