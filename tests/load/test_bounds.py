"""Resource bounds of the loader (README, "Security and reliability"): each hostile input
finishes quickly and is either analysed or reported as TFL001 with the reason, with no
RecursionError and no unbounded memory. Big inputs are built cheaply (a sparse file, one
string multiplication) so these tests stay fast.

The suite runs as root, which reads any file whatever its mode, so "unreadable" is made
three ways that do not depend on permissions: a FIFO (opening it would block), a dangling
symlink, and `os.open` monkeypatched to fail with EACCES as it does for other users.
"""

from __future__ import annotations

import errno
import json
import os
import shutil

import pytest

from tf_apigw_lint.cli import main
from tf_apigw_lint.load import reading
from tf_apigw_lint.load.files import MAX_FILE_BYTES, load_file
from tf_apigw_lint.load.hcl import MAX_NESTING, MAX_TOKENS, parse_hcl
from tf_apigw_lint.load.tfjson import MAX_JSON_TOKENS
from tf_apigw_lint.load import parallel
from tf_apigw_lint.model import build

STAGE = 'resource "aws_api_gateway_stage" "s" {\n  rest_api_id   = "x"\n  stage_name    = "p"\n  deployment_id = "d"\n}\n'


def check(capsys, *paths):
    code = main(["check", "--format", "json", "--color", "never", *map(str, paths)])
    out, err = capsys.readouterr()
    assert "Traceback" not in err and "internal error" not in err, err
    return code, json.loads(out), err


def parse_errors(report):
    return sorted((os.path.basename(f["path"]), f["message"]) for f in report["findings"] if f["rule_id"] == "TFL001")


@pytest.mark.parametrize("opener, closer", [("[", "]"), ('"${', '}"'), ("!", "")])
def test_nesting_ten_thousand_deep_is_a_parse_error_not_a_recursion_error(opener, closer):
    source = parse_hcl(f"a = {opener * 10_000}1{closer * 10_000}\n", "main.tf")
    assert source.error.message == f"expression nested more than {MAX_NESTING} levels deep"


def test_operator_chain_ten_thousand_long_is_a_parse_error():
    source = parse_hcl("a = " + " + ".join(["x"] * 10_000) + "\n", "main.tf")
    assert (source.error.message, source.error.line, source.error.column) == (
        f"expression nested more than {MAX_NESTING} levels deep", 1, 5)


def test_nesting_within_the_bound_is_analysed_end_to_end(tf_tree, capsys):
    depth = MAX_NESTING - 8
    root = tf_tree({"main.tf": f"locals {{\n  deep = {'[' * depth}var.x{']' * depth}\n}}\n" + STAGE})
    code, report, _ = check(capsys, root)
    assert parse_errors(report) == []
    assert [f["rule_id"] for f in report["findings"] if f["rule_id"].startswith("TFL")] == []


def test_nesting_over_the_bound_is_tfl001_and_other_files_are_analysed(tf_tree, capsys):
    root = tf_tree({"deep.tf": "locals {\n  a = " + "[" * 10_000 + "]" * 10_000 + "\n}\n", "main.tf": STAGE})
    code, report, _ = check(capsys, root)
    assert code == 1
    assert parse_errors(report) == [("deep.tf", f"cannot parse file: expression nested more than {MAX_NESTING} levels deep")]
    assert "APIGW201" in {f["rule_id"] for f in report["findings"]}


def test_fifty_megabyte_file_is_not_read(tmp_path):
    path = tmp_path / "main.tf"
    with open(path, "wb") as handle:  # sparse: costs no disk and no time
        handle.truncate(50 * 2**20)
    source = load_file(str(path))
    assert source.error.message == f"not analysed: 52,428,800 bytes, more than the {MAX_FILE_BYTES // 2**20} MiB the loader reads"


def test_a_file_growing_past_the_bound_while_read_is_not_analysed(tmp_path, monkeypatch):
    path = tmp_path / "main.tf"
    path.write_text(STAGE)
    real_fstat = os.fstat
    monkeypatch.setattr(reading.os, "fstat", lambda fd: os.stat_result((*real_fstat(fd)[:6], 0, *real_fstat(fd)[7:])))
    monkeypatch.setattr(reading, "MAX_FILE_BYTES", 10)
    assert load_file(str(path)).error.message == "not analysed: more than the 0 MiB the loader reads"


def test_a_million_element_list_is_reported_without_being_parsed():
    text = "a = [" + "0, " * 1_000_000 + "]\n"
    source = parse_hcl(text, "main.tf")
    assert source.error.message == f"not analysed: about 2,000,005 tokens, more than the {MAX_TOKENS:,} the loader parses"


def test_a_long_list_under_the_token_bound_is_parsed():
    source = parse_hcl("a = [" + "0, " * 5_000 + "]\n", "main.tf")
    assert len(source.body.attributes["a"].expr.items) == 5_000


def test_symlink_loops_end(tf_tree, capsys):
    root = tf_tree({"main.tf": STAGE, "sub/x.tf": "locals {}\n"})
    (root / "sub" / "up").symlink_to("..", target_is_directory=True)  # a directory loop: not followed
    (root / "a.tf").symlink_to("b.tf")
    (root / "b.tf").symlink_to("a.tf")
    code, report, _ = check(capsys, root)
    assert code == 1
    loop = f"cannot parse file: cannot read file: {os.strerror(errno.ELOOP)}"
    assert parse_errors(report) == [("a.tf", loop), ("b.tf", loop)]
    # sub/ holds no API Gateway resource: an irrelevant root, read as text, not parsed.
    assert report["summary"]["files"] == 3
    assert report["summary"]["coverage"]["module_directories_skipped"] == 1


def test_a_directory_that_vanishes_after_listing_reports_its_files(tf_tree, capsys, monkeypatch):
    """Listed and read as text, then gone before the loader reads the files to parse them."""
    root = tf_tree({"main.tf": STAGE, "gone/main.tf": STAGE, "gone/vars.tf": "variable x {}\n"})
    real_read = parallel.read_regular_file

    def read_after_removal(path):
        if os.path.isdir(root / "gone"):
            shutil.rmtree(root / "gone")
        return real_read(path)

    monkeypatch.setattr(parallel, "read_regular_file", read_after_removal)
    code, report, _ = check(capsys, root)
    missing = f"cannot parse file: cannot read file: {os.strerror(errno.ENOENT)}"
    assert code == 1
    assert parse_errors(report) == [("main.tf", missing), ("vars.tf", missing)]
    assert "APIGW201" in {f["rule_id"] for f in report["findings"] if f["path"] == "main.tf"}


def test_a_fifo_is_reported_not_waited_for(tmp_path):
    fifo = tmp_path / "main.tf"
    os.mkfifo(fifo)
    assert load_file(str(fifo)).error.message == "not analysed: not a regular file (a FIFO, device or socket)"


def test_a_fifo_behind_a_symlink_in_a_module_is_tfl001(tf_tree, capsys):
    root = tf_tree({"main.tf": STAGE})
    os.mkfifo(root / "pipe")
    (root / "pipe.tf").symlink_to("pipe")
    code, report, _ = check(capsys, root)
    assert parse_errors(report) == [("pipe.tf", "cannot parse file: not analysed: not a regular file (a FIFO, device or socket)")]


def test_a_device_is_not_read(tmp_path):
    (tmp_path / "zero.tf").symlink_to("/dev/zero")
    assert load_file(str(tmp_path / "zero.tf")).error.message == "not analysed: not a regular file (a FIFO, device or socket)"


def test_dangling_symlink_and_permission_denied_are_tfl001(tf_tree, capsys, monkeypatch):
    root = tf_tree({"main.tf": STAGE, "secret.tf": "locals {}\n"})
    (root / "dangling.tf").symlink_to("nowhere.tf")
    real_open = os.open

    def open_as_another_user(path, flags, *args):
        if str(path).endswith("secret.tf"):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return real_open(path, flags, *args)

    monkeypatch.setattr(reading.os, "open", open_as_another_user)
    code, report, _ = check(capsys, root)
    assert code == 1
    assert parse_errors(report) == [
        ("dangling.tf", f"cannot parse file: cannot read file: {os.strerror(errno.ENOENT)}"),
        ("secret.tf", f"cannot parse file: cannot read file: {os.strerror(errno.EACCES)}"),
    ]


def test_a_directory_that_cannot_be_listed_is_counted_not_skipped_in_silence(tf_tree, capsys, monkeypatch):
    """SPEC §10: every input file is analysed, reported, or counted in the coverage."""
    root = tf_tree({"main.tf": STAGE, "locked/main.tf": STAGE.replace('"s"', '"t"')})
    real_scandir = os.scandir

    def scandir_as_another_user(path="."):
        if os.fspath(path).endswith("locked"):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir_as_another_user)
    code, report, _ = check(capsys, root)
    assert report["summary"]["coverage"]["directories_not_readable"] == 1
    assert sorted({(f["address"], f["path"]) for f in report["findings"]}) == [
        ("aws_api_gateway_stage.s", "main.tf"),  # only the readable directory's stage
    ]
    assert main([str(root), "--no-cache", "--color", "never"]) == code
    assert "Not analysed: 1 directory that could not be read (permission denied)." in capsys.readouterr().out


def test_json_nesting_ten_thousand_deep_is_a_parse_error(tmp_path):
    path = tmp_path / "main.tf.json"
    path.write_text('{"locals": {"a": ' + "[" * 10_000 + "]" * 10_000 + "}}")
    error = load_file(str(path)).error
    assert (error.message, error.line, error.column) == (f"invalid JSON: nested more than {MAX_NESTING} levels deep", 1, 144)


def test_a_json_list_of_a_million_elements_is_reported_without_being_parsed(tmp_path):
    path = tmp_path / "main.tf.json"
    path.write_text('{"locals": {"a": [' + "0," * 1_000_000 + "0]}}")
    assert load_file(str(path)).error.message == (
        f"not analysed: about 2,000,015 tokens, more than the {MAX_JSON_TOKENS:,} the loader parses")
