"""Fuzzing `check --plan`: a valid plan with parts replaced by random JSON, random JSON, and
truncated plans never crash the tool (`fuzzing.run_cli` states the invariants); a plan that
cannot be used is one line naming the file."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from fuzzing import fuzz_settings, run_cli
from hypothesis import given
from hypothesis import strategies as st
from plan_fixtures import SOURCES, plan_document

_LEAVES = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.floats(allow_nan=False), st.text(max_size=12),
    st.sampled_from(["module.a", "aws_api_gateway_stage", "INFO", "*/*", "create", "delete", "0.1"]),
)
_JSON = st.recursive(
    _LEAVES, lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)),
    max_leaves=12,
)


def _paths(value, prefix=()):
    """Every place in a JSON document, as a tuple of keys and indexes."""
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*prefix, index))


_PLAN_PLACES = [path for path in _paths(plan_document()) if path]


@st.composite
def damaged_plans(draw) -> bytes:
    kind = draw(st.sampled_from(["replace", "replace", "replace", "random", "truncate"]))
    if kind == "random":
        return json.dumps(draw(_JSON)).encode("utf-8")
    document = plan_document()
    if kind == "truncate":
        text = json.dumps(document).encode("utf-8")
        return text[:draw(st.integers(0, len(text)))]
    for place in draw(st.lists(st.sampled_from(_PLAN_PLACES), min_size=1, max_size=3)):
        parent = document
        try:
            for step in place[:-1]:
                parent = parent[step]
            parent[place[-1]] = draw(_JSON)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier replacement removed this place
    return json.dumps(document).encode("utf-8")


@fuzz_settings(examples=30)
@given(plan=damaged_plans(), with_configuration=st.booleans())
def test_damaged_plans_are_analysed_or_named_as_the_error(plan, with_configuration):
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        plan_path = root / "plan.json"
        plan_path.write_bytes(plan)
        argv = ["check", "--plan", str(plan_path), "--format", "json"]
        if with_configuration:
            for name, text in SOURCES.items():
                (root / "cfg" / name).parent.mkdir(parents=True, exist_ok=True)
                (root / "cfg" / name).write_text(text, encoding="utf-8")
            argv.append(str(root / "cfg"))
        run = run_cli(*argv)
        if run.code == 2:
            assert str(plan_path) in run.err, run.err
        else:
            assert run.report()["summary"]["files"] >= 1
