"""Fuzzing through the CLI (`fuzzing.run_cli` states the invariants): mutated Terraform
files, random Terraform JSON and random configuration files never crash the tool; every file
is either analysed or reported as TFL001 with the reason."""

from __future__ import annotations

import codecs
import json
import tempfile
from pathlib import Path

from fuzzing import fuzz_settings, run_cli
from hypothesis import given
from hypothesis import strategies as st

from tf_apigw_lint.load.files import load_file

EXAMPLES = Path(__file__).parent.parent / "examples"
SEEDS = [
    (EXAMPLES / "envs" / "prod" / "main.tf").read_bytes(),
    (EXAMPLES / "modules" / "rest-api" / "main.tf").read_bytes(),
    (EXAMPLES / "envs" / "prod" / "variables.tf").read_bytes(),
]
# Pieces of syntax whose insertion most often changes how the rest of a file is read.
_SYNTAX = [b"{", b"}", b"[", b"(", b'"', b"${", b"%{", b"<<EOT\n", b"\nEOT\n", b"/*", b"#", b"=", b"\n", b"\\", b"~"]


@st.composite
def mutated_terraform(draw) -> bytes:
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 4))):
        operation = draw(st.sampled_from(["delete", "insert", "syntax", "swap", "truncate", "unicode", "crlf", "bom"]))
        position = draw(st.integers(0, len(data)))
        if operation == "delete":
            del data[position:position + draw(st.integers(1, 32))]
        elif operation == "insert":
            data[position:position] = draw(st.binary(min_size=1, max_size=8))
        elif operation == "syntax":
            data[position:position] = draw(st.sampled_from(_SYNTAX))
        elif operation == "swap" and data:
            other = draw(st.integers(0, len(data) - 1))
            position = min(position, len(data) - 1)
            data[position], data[other] = data[other], data[position]
        elif operation == "truncate":
            del data[position:]
        elif operation == "unicode":
            data[position:position] = draw(st.text(min_size=1, max_size=6)).encode("utf-8")
        elif operation == "crlf":
            data = bytearray(bytes(data).replace(b"\n", b"\r\n"))
        elif operation == "bom":
            data[0:0] = codecs.BOM_UTF8
    return bytes(data)


def check_one_file(name: str, content: bytes) -> None:
    """The file is analysed, or reported as TFL001 exactly when the loader rejects it.
    `--exhaustive`: a mutation that removes the API Gateway resource type must still be parsed."""
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / name
        path.write_bytes(content)
        run = run_cli("check", "--exhaustive", "--format", "json", "--color", "never", directory)
        assert run.code in (0, 1), run.err
        report = run.report()
        assert report["summary"]["files"] == 1
        parse_errors = [f for f in report["findings"] if f["rule_id"] == "TFL001"]
        if load_file(str(path)).error is None:
            assert parse_errors == []
        else:
            assert [(f["path"], f["line"] >= 1, f["column"] >= 1) for f in parse_errors] == [(str(path), True, True)]
            assert run.code == 1


@fuzz_settings(examples=30)
@given(content=mutated_terraform())
def test_mutated_terraform_is_analysed_or_reported(content):
    check_one_file("main.tf", content)


_JSON_LEAVES = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.floats(allow_nan=False), st.text(max_size=20),
    st.sampled_from(["${var.x}", "%{ if a }", "${", "aws_api_gateway_stage", "//", "INFO", "*/*"]),
)
_JSON = st.recursive(_JSON_LEAVES, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.one_of(st.text(max_size=8), st.sampled_from(
        ["resource", "module", "variable", "locals", "provider", "//", "dynamic", "for_each", "settings"])),
        inner, max_size=4),
), max_leaves=20)
_TERRAFORM_JSON = st.one_of(
    _JSON,
    st.builds(lambda body: {"resource": {"aws_api_gateway_stage": {"s": body}}}, _JSON),
    st.builds(lambda body: {"resource": {"aws_api_gateway_method_settings": {"m": {"settings": body}}}}, _JSON),
    st.builds(lambda kind, body: {kind: body}, st.sampled_from(["module", "locals", "variable", "output", "provider"]),
              _JSON),
)


@fuzz_settings(examples=30)
@given(document=_TERRAFORM_JSON, indent=st.sampled_from([None, 1]))
def test_random_terraform_json_is_analysed_or_reported(document, indent):
    check_one_file("main.tf.json", json.dumps(document, indent=indent).encode("utf-8"))


_CONFIG_KEYS = ["select", "ignore", "fail_on", "exclude", "honour_other_tools", "rules", "tool", "x"]
_RULE_NAMES = ["APIGW101", "APIGW104", "execution-logging-off", "TFL001", "NOPE"]
_RULE_KEYS = ["severity", "enabled", "min_level", "allow_data_trace_stages", "account_role", "bogus"]
_TOML_VALUES = st.one_of(
    st.booleans(), st.integers(-5, 5), st.sampled_from(['"error"', '"warning"', '"INFO"', '"**/x"', '"nope"']),
    st.lists(st.sampled_from(['"APIGW101"', '"TFL001"', '"x"', "1", '"*.tf"']), max_size=3).map(
        lambda items: "[" + ", ".join(items) + "]"),
)


@st.composite
def configuration_toml(draw) -> str:
    lines = [f"{key} = {draw(_TOML_VALUES)}" for key in draw(st.lists(st.sampled_from(_CONFIG_KEYS), max_size=3,
                                                                        unique=True))]
    for rule in draw(st.lists(st.sampled_from(_RULE_NAMES), max_size=2, unique=True)):
        lines.append(f"[rules.{rule}]" if draw(st.booleans()) else f'[rules."{rule}"]')
        lines += [f"{key} = {draw(_TOML_VALUES)}" for key in draw(st.lists(st.sampled_from(_RULE_KEYS), max_size=2,
                                                                            unique=True))]
    text = "\n".join(lines) + "\n"
    if draw(st.integers(0, 4)) == 0:  # sometimes not TOML at all
        position = draw(st.integers(0, len(text)))
        text = text[:position] + draw(st.text(max_size=5)) + text[position:]
    return text


@fuzz_settings(examples=30)
@given(config=configuration_toml())
def test_random_configuration_is_used_or_named_as_the_error(config):
    with tempfile.TemporaryDirectory() as directory:
        (Path(directory) / "main.tf").write_bytes(SEEDS[1])
        config_path = Path(directory) / "config.toml"
        config_path.write_text(config, encoding="utf-8")
        run = run_cli("check", "--format", "json", "--config", str(config_path), directory)
        if run.code == 2:
            assert str(config_path) in run.err or "--config" in run.err, run.err
        else:
            assert run.report()["summary"]["files"] == 1


def test_configuration_nested_ten_thousand_deep_is_named(tmp_path):
    config_path = tmp_path / "config.toml"
    config_path.write_text("x = " + "[" * 10_000 + "]" * 10_000 + "\n", encoding="utf-8")
    run = run_cli("check", "--config", str(config_path), str(tmp_path))
    assert (run.code, run.err) == (2, f"tf-apigw-lint: {config_path}: invalid TOML: nested too deeply\n")
