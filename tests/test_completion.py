"""`tf-apigw-lint completion bash|zsh|fish`: each script is valid for its shell and completes
commands, options, option values and rule ids. bash runs here for real (its completion
function is called as bash calls it); zsh and fish are checked where they are installed."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tf_apigw_lint.cli import COMMANDS, main
from tf_apigw_lint.rules import RULES


def script(capsys, shell: str) -> str:
    assert main(["completion", shell]) == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_script_names_every_command_and_rule(capsys, shell):
    text = script(capsys, shell)
    for word in (*COMMANDS, "--select", "--fail-on", "sarif", *(r.ID for r in RULES), *(r.NAME for r in RULES)):
        assert word.lstrip("-") in text, word


def test_unknown_shell_is_a_usage_error(capsys):
    assert main(["completion", "tcsh"]) == 2
    assert "argument shell: invalid choice: 'tcsh'" in capsys.readouterr().err


BASH_DRIVER = """
source "$1"; shift
COMP_WORDS=("$@")
COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
COMPREPLY=()
_tf_apigw_lint
printf '%s\\n' "${COMPREPLY[@]}"
"""


def bash_complete(tmp_path, text: str, *words: str) -> list[str]:
    path = tmp_path / "tf-apigw-lint.bash"
    path.write_text(text)
    completed = subprocess.run(["bash", "-c", BASH_DRIVER, "driver", str(path), "tf-apigw-lint", *words],
                               cwd=tmp_path, capture_output=True, text=True, timeout=30)
    assert completed.returncode == 0 and completed.stderr == "", completed.stderr
    return sorted(filter(None, completed.stdout.splitlines()))


def test_bash_script_is_valid_and_completes(capsys, tmp_path):
    text = script(capsys, "bash")
    (tmp_path / "script.bash").write_text(text)
    syntax = subprocess.run(["bash", "-n", str(tmp_path / "script.bash")], capture_output=True, text=True, timeout=30)
    assert syntax.returncode == 0, syntax.stderr
    assert "complete -o filenames -F _tf_apigw_lint tf-apigw-lint" in text
    (tmp_path / "ruleset").mkdir()
    assert bash_complete(tmp_path, text, "ru") == ["rules", "ruleset"]
    assert bash_complete(tmp_path, text, "--format", "s") == ["sarif"]
    assert bash_complete(tmp_path, text, "--fa") == ["--fail-on"]
    assert bash_complete(tmp_path, text, "check", "--select", "APIGW101,APIGW20") == [
        "APIGW101,APIGW201", "APIGW101,APIGW202", "APIGW101,APIGW203", "APIGW101,APIGW204", "APIGW101,APIGW205"]
    assert bash_complete(tmp_path, text, "explain", "data-") == ["data-trace-enabled"]
    assert bash_complete(tmp_path, text, "completion", "") == ["bash", "fish", "zsh"]
    assert bash_complete(tmp_path, text, "rules", "--") == ["--help"]
    assert bash_complete(tmp_path, text, "pre-commit", "--q") == ["--quiet"]


@pytest.mark.skipif(shutil.which("zsh") is None, reason="zsh is not installed")
def test_zsh_script_is_valid(capsys, tmp_path):
    path = tmp_path / "_tf-apigw-lint"
    path.write_text(script(capsys, "zsh"))
    completed = subprocess.run(["zsh", "-n", str(path)], capture_output=True, text=True, timeout=30)
    assert completed.returncode == 0, completed.stderr


@pytest.mark.skipif(shutil.which("fish") is None, reason="fish is not installed")
def test_fish_script_is_valid_and_completes(capsys, tmp_path):
    path = tmp_path / "tf-apigw-lint.fish"
    path.write_text(script(capsys, "fish"))

    def fish_complete(line: str) -> list[str]:
        completed = subprocess.run(["fish", "--no-config", "-c", f"source {path}; complete -C '{line}'"],
                                   cwd=tmp_path, capture_output=True, text=True, timeout=30)
        assert completed.returncode == 0 and completed.stderr == "", completed.stderr
        return sorted(entry.split("\t")[0] for entry in completed.stdout.splitlines())

    assert subprocess.run(["fish", "--no-execute", str(path)], timeout=30).returncode == 0
    assert fish_complete("tf-apigw-lint ex") == ["explain", "external"]
    assert fish_complete("tf-apigw-lint --format j") == ["json", "junit"]
    assert fish_complete("tf-apigw-lint explain APIGW30") == ["APIGW301", "APIGW302"]
    assert fish_complete("tf-apigw-lint completion ") == ["bash", "fish", "zsh"]
