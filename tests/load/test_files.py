"""Reading files: dispatch by suffix, encodings, unreadable input, pickling."""

from __future__ import annotations

import pickle

import pytest
from syntax_shapes import shape, span

from tf_apigw_lint.load import syntax as s
from tf_apigw_lint.load.files import load_file


def write(tmp_path, name: str, content: str | bytes) -> str:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("main.tf", 'locals {\n  a = "${b}"\n}\n', "template(${b})"),
        ("main.tofu", 'locals {\n  a = "${b}"\n}\n', "template(${b})"),
        ("main.tf.json", '{"locals": {"a": "${b}"}}', "template(${b})"),
        ("main.tofu.json", '{"locals": {"a": "${b}"}}', "template(${b})"),
    ],
)
def test_configuration_files_dispatch_by_suffix(tmp_path, name, content, expected):
    source = load_file(write(tmp_path, name, content))
    assert source.error is None
    (locals_block,) = source.body.blocks("locals")
    assert shape(locals_block.body.attribute("a").expr) == expected


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("prod.tfvars", 'stage = "${x}"\n', "template(${x})"),
        ("prod.tfvars.json", '{"stage": "${x}"}', "'${x}'"),
    ],
)
def test_variable_files_hold_attributes(tmp_path, name, content, expected):
    source = load_file(write(tmp_path, name, content))
    assert (source.error, shape(source.body.attribute("stage").expr)) == (None, expected)


def test_blocks_in_a_tfvars_file_are_an_error(tmp_path):
    source = load_file(write(tmp_path, "prod.tfvars", 'a = 1\nlocals {\n}\n'))
    assert source.error == s.LoadError(
        'unexpected "locals" block: a variable definitions file holds only "name = value" arguments', 2, 1,
    )


def test_display_path_names_the_file_in_ranges(tmp_path):
    source = load_file(write(tmp_path, "main.tf", "a = 1\n"), display_path="envs/prod/main.tf")
    assert source.path == "envs/prod/main.tf"
    assert source.body.attribute("a").range.path == "envs/prod/main.tf"


@pytest.mark.parametrize("content", ["", "\n\n", "# only a comment\n// another\n"])
def test_empty_or_comment_only_file_is_an_empty_body(tmp_path, content):
    source = load_file(write(tmp_path, "main.tf", content))
    assert source.error is None
    assert (source.body.attributes, source.body.block_list) == ({}, [])
    assert source.line_count == content.count("\n")


def test_utf8_bom_is_skipped(tmp_path):
    source = load_file(write(tmp_path, "main.tf", b"\xef\xbb\xbfa = 1\n"))
    assert source.error is None
    assert span(source.body.attribute("a")) == (1, 1, 1, 6)
    json_source = load_file(write(tmp_path, "main.tf.json", b'\xef\xbb\xbf{"locals": {}}'))
    assert json_source.error is None


def test_missing_file_is_a_load_error(tmp_path):
    source = load_file(str(tmp_path / "missing.tf"))
    assert (source.body, source.error) == (None, s.LoadError("cannot read file: No such file or directory"))


def test_directory_is_a_load_error(tmp_path):
    (tmp_path / "dir.tf").mkdir()
    source = load_file(str(tmp_path / "dir.tf"))
    assert source.body is None
    assert source.error.message.startswith("cannot read file: ")


def test_binary_file_is_a_load_error(tmp_path):
    source = load_file(write(tmp_path, "main.tf", b"a = 1\nb\x00c\n"))
    assert (source.body, source.error) == (None, s.LoadError("binary file (contains a NUL byte)", 2, 2))
    assert source.line_count == 2


def test_non_utf8_file_names_the_byte_and_where_it_is(tmp_path):
    source = load_file(write(tmp_path, "main.tf", b'a = 1\nb = "\xc3\xa9\xff"\n'))  # "é" then a stray byte
    assert (source.body, source.error) == (None, s.LoadError("not valid UTF-8: byte 0xff at offset 13", 2, 7))


def test_unknown_suffix_is_a_load_error(tmp_path):
    source = load_file(write(tmp_path, "main.hcl", "a = 1\n"))
    assert source.error.message.startswith("not a Terraform file")


def test_source_files_pickle(tmp_path):
    path = write(
        tmp_path,
        "main.tf",
        'resource "a" "b" {\n'
        '  x = [for v in var.l : v.*.id if v != null]\n'
        "  y = <<-EOT\n    %{ if a }${b[*].c}%{ endif }\n    EOT\n"
        "}\n# note\n",
    )
    for source in (load_file(path), load_file(write(tmp_path, "bad.tf", "x = \n"))):
        assert pickle.loads(pickle.dumps(source)) == source
