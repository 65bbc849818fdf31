"""The configuration file: discovery, validation (exact messages), and its effect end to end
through `main(argv)`: exit codes, JSON findings, command-line precedence, `exclude`."""

from __future__ import annotations

import json
import os
import textwrap
from pathlib import Path

import pytest

from tf_apigw_lint.cli import main
from tf_apigw_lint.config import Config, ConfigError, Exclude, RuleConfig, find_config, load_config, read_config
from tf_apigw_lint.findings import Severity

# Findings by default (all rules): APIGW102 on prod's level, APIGW104 on both data traces,
# APIGW201 on both stages (no access logging).
API = """\
resource "aws_api_gateway_account" "this" {
  cloudwatch_role_arn = "arn:aws:iam::123456789012:role/apigw-logs"
}

resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = "a1b2c3"
  deployment_id = "d1"
  stage_name    = "prod"
}

resource "aws_api_gateway_method_settings" "prod" {
  rest_api_id = "a1b2c3"
  stage_name  = aws_api_gateway_stage.prod.stage_name
  method_path = "*/*"
  settings {
    logging_level      = "ERROR"
    metrics_enabled    = true
    data_trace_enabled = true
  }
  depends_on = [aws_api_gateway_account.this]
}

resource "aws_api_gateway_stage" "dev" {
  rest_api_id   = "a1b2c3"
  deployment_id = "d1"
  stage_name    = "dev"
}

resource "aws_api_gateway_method_settings" "dev" {
  rest_api_id = "a1b2c3"
  stage_name  = aws_api_gateway_stage.dev.stage_name
  method_path = "*/*"
  settings {
    logging_level      = "INFO"
    metrics_enabled    = true
    data_trace_enabled = true
  }
  depends_on = [aws_api_gateway_account.this]
}
"""

PROD_LEVEL = ("APIGW102", "warning", "aws_api_gateway_method_settings.prod", 16)
PROD_TRACE = ("APIGW104", "warning", "aws_api_gateway_method_settings.prod", 18)
DEV_TRACE = ("APIGW104", "warning", "aws_api_gateway_method_settings.dev", 36)
PROD_STAGE = ("APIGW201", "error", "aws_api_gateway_stage.prod", 5)
DEV_STAGE = ("APIGW201", "error", "aws_api_gateway_stage.dev", 23)

# Execution logging on in two provider configurations, no aws_api_gateway_account: APIGW001.
NO_ACCOUNT = """\
provider "aws" {
  region = "eu-west-1"
}

provider "aws" {
  alias  = "west"
  region = "us-west-2"
}

resource "aws_api_gateway_method_settings" "main" {
  rest_api_id = "a1b2c3"
  stage_name  = "prod"
  method_path = "*/*"
  settings {
    logging_level = "INFO"
  }
}

resource "aws_api_gateway_method_settings" "west" {
  provider    = aws.west
  rest_api_id = "a1b2c3"
  stage_name  = "prod"
  method_path = "*/*"
  settings {
    logging_level = "INFO"
  }
}
"""

MAIN_ROLE = ("APIGW001", "error", "aws_api_gateway_method_settings.main", 15)
WEST_ROLE = ("APIGW001", "error", "aws_api_gateway_method_settings.west", 25)


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return root


def lint_json(capsys, *args: str, rules=None) -> tuple[int, list[tuple], dict]:
    """Run `main` with JSON output: exit code, (rule, severity, address, line) of the
    unsuppressed findings (of `rules` when given), and the summary."""
    code = main([*args, "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    found = [
        (f["rule_id"], f["severity"], f["address"], f["line"])
        for f in report["findings"]
        if not f["suppressed"] and (rules is None or f["rule_id"] in rules)
    ]
    return code, found, report["summary"]


def failure(capsys, *args: str) -> str:
    """The one stderr line of a run that must exit 2."""
    assert main(list(args)) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    return err.rstrip("\n")


# ---------------------------------------------------------------------------
# Discovery
# ---------------------------------------------------------------------------


def test_nearest_configuration_wins_and_dotfile_beats_pyproject(tmp_path):
    write(tmp_path, {
        "pyproject.toml": '[tool.tf-apigw-lint]\nfail_on = "note"\n',
        "a/.tf-apigw-lint.toml": 'fail_on = "warning"\n',
        "a/pyproject.toml": '[tool.tf-apigw-lint]\nfail_on = "never"\n',
        "a/b/c/main.tf": "",
        "d/pyproject.toml": '[project]\nname = "unrelated"\n',
        "d/e/main.tf": "",
    })
    assert find_config(str(tmp_path / "a" / "b" / "c")) == str(tmp_path / "a" / ".tf-apigw-lint.toml")
    assert find_config(str(tmp_path / "a")) == str(tmp_path / "a" / ".tf-apigw-lint.toml")
    # a pyproject without the table is skipped: the search goes on upward
    assert find_config(str(tmp_path / "d" / "e")) == str(tmp_path / "pyproject.toml")
    assert find_config(str(tmp_path)) == str(tmp_path / "pyproject.toml")


def test_no_configuration_anywhere_gives_the_defaults(tmp_path):
    write(tmp_path, {"x/main.tf": ""})
    assert find_config(str(tmp_path / "x")) is None
    config = load_config(cwd=str(tmp_path / "x"))
    assert config == Config(exclude=Exclude(str(tmp_path / "x")))
    assert (config.select, config.ignore, config.fail_on, config.strict, config.honour_other_tools, dict(config.rules)) == (
        (), (), None, False, True, {})


def test_unrelated_broken_pyproject_is_skipped_ours_is_an_error(tmp_path):
    write(tmp_path, {"pyproject.toml": "[project\n", "sub/pyproject.toml": "[tool.tf-apigw-lint\n"})
    assert find_config(str(tmp_path)) is None
    with pytest.raises(ConfigError) as error:
        find_config(str(tmp_path / "sub"))
    assert str(error.value).endswith("invalid TOML: Expected ']' at the end of a table declaration (at line 1, column 20)")


def test_full_configuration_is_read_and_normalised(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {".tf-apigw-lint.toml": """\
        select = ["APIGW104", "execution-logging-not-info", "apigw001"]
        ignore = ["detailed-metrics-disabled"]
        fail_on = "warning"
        exclude = ["examples/**", "**/legacy"]
        strict = true
        honour_other_tools = false

        [rules.execution-logging-not-info]
        min_level = "error"
        severity = "error"

        [rules.APIGW104]
        enabled = false
        allow_data_trace_stages = ["dev*", "test"]

        [rules.APIGW001]
        account_role = { "aws.west" = "external", "*" = "managed" }
        """})
    config = load_config()
    assert config == Config(
        path=str(tmp_path / ".tf-apigw-lint.toml"),
        select=("APIGW104", "APIGW102", "APIGW001"),
        ignore=("APIGW105",),
        fail_on="warning",
        strict=True,
        honour_other_tools=False,
        exclude=Exclude(str(tmp_path), ("examples/**", "**/legacy")),
        rules={
            "APIGW102": RuleConfig(severity=Severity.ERROR, options={"min_level": "ERROR"}),
            "APIGW104": RuleConfig(enabled=False, options={"allow_data_trace_stages": ["dev*", "test"]}),
            "APIGW001": RuleConfig(options={"account_role": {"aws.west": "external", "*": "managed"}}),
        },
    )


def test_pyproject_table_and_explicit_config_of_either_form(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {
        "pyproject.toml": '[project]\nname = "x"\n\n[tool.tf-apigw-lint]\nignore = ["APIGW201"]\n\n'
                          '[tool.tf-apigw-lint.rules.APIGW104]\nseverity = "note"\n',
        "ci.toml": 'fail_on = "never"\n',
        "other/pyproject.toml": '[project]\nname = "y"\n',
    })
    config = load_config()
    assert (config.path, config.ignore, dict(config.rules)) == (
        str(tmp_path / "pyproject.toml"), ("APIGW201",), {"APIGW104": RuleConfig(severity=Severity.NOTE)})
    assert load_config("ci.toml").fail_on == "never"
    assert read_config(str(tmp_path / "pyproject.toml")).ignore == ("APIGW201",)
    with pytest.raises(ConfigError) as error:
        load_config("other/pyproject.toml")
    assert str(error.value) == "other/pyproject.toml: no [tool.tf-apigw-lint] table"
    with pytest.raises(ConfigError) as error:
        load_config("missing.toml")
    assert str(error.value) == "--config missing.toml: no such file"


# ---------------------------------------------------------------------------
# Validation: one line naming the file and the key
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("text, message", [
    ('fail-on = "error"\n', "fail-on: unknown key (did you mean 'fail_on'?)"),
    ('colour = "never"\n',
     "colour: unknown key (expected one of: select, ignore, fail_on, exclude, strict, honour_other_tools, rules)"),
    ('select = ["APIGW999"]\n', "select: unknown rule 'APIGW999' (see tf-apigw-lint rules)"),
    ('ignore = "APIGW104"\n', "ignore: expected a list of strings, got 'APIGW104'"),
    ('fail_on = "sometimes"\n',
     "fail_on: expected one of 'error', 'warning', 'note', 'never', got 'sometimes'"),
    ("strict = 1\n", "strict: expected true or false, got 1"),
    ("honour_other_tools = \"no\"\n", "honour_other_tools: expected true or false, got 'no'"),
    ('exclude = "examples"\n', "exclude: expected a list of strings, got 'examples'"),
    ('exclude = ["../elsewhere"]\n',
     "exclude: '../elsewhere' is not a path glob below the configuration's directory"),
    ("rules = 1\n", "rules: expected a table of rule tables, got 1"),
    ("[rules.APIGW999]\nenabled = false\n", "rules.APIGW999: unknown rule (see tf-apigw-lint rules)"),
    ("[rules]\nAPIGW104 = false\n", "rules.APIGW104: expected a table, got false"),
    ("[rules.APIGW104]\n[rules.data-trace-enabled]\n",
     "rules.data-trace-enabled: APIGW104 is already configured as rules.APIGW104"),
    ('[rules.APIGW104]\nallow_data_trace = ["dev"]\n',
     "rules.APIGW104.allow_data_trace: unknown option for APIGW104 (data-trace-enabled) "
     "(did you mean 'allow_data_trace_stages'?)"),
    ('[rules.APIGW201]\nmin_level = "INFO"\n',
     "rules.APIGW201.min_level: unknown option for APIGW201 (access-logging-missing) "
     "(expected one of: enabled, severity)"),
    ('[rules.APIGW104]\nallow_data_trace_stages = "dev"\n',
     "rules.APIGW104.allow_data_trace_stages: expected a list of strings, got 'dev'"),
    ('[rules.APIGW104]\nallow_data_trace_stages = ["dev", 1]\n',
     "rules.APIGW104.allow_data_trace_stages: expected a list of strings, got a list"),
    ('[rules.APIGW102]\nmin_level = "DEBUG"\n',
     "rules.APIGW102.min_level: expected one of 'OFF', 'ERROR', 'INFO', got 'DEBUG'"),
    ("[rules.APIGW102]\nmin_level = 2\n", "rules.APIGW102.min_level: expected one of 'OFF', 'ERROR', 'INFO', got 2"),
    ('[rules.APIGW001]\naccount_role = "maybe"\n',
     "rules.APIGW001.account_role: expected one of 'managed', 'external', got 'maybe'"),
    ('[rules.APIGW001]\naccount_role = { "aws.west" = true }\n',
     "rules.APIGW001.account_role.aws.west: expected one of 'managed', 'external', got true"),
    ('[rules.APIGW001]\naccount_role = { "bogus provider!" = "external" }\n',
     'rules.APIGW001.account_role.bogus provider!: not a provider configuration as findings name it '
     '("aws", "aws.west", "module.edge.aws"), nor "*"'),
    ('[rules.APIGW104]\nseverity = "fatal"\n',
     "rules.APIGW104.severity: expected one of 'note', 'warning', 'error', got 'fatal'"),
    ('[rules.APIGW104]\nenabled = "no"\n', "rules.APIGW104.enabled: expected true or false, got 'no'"),
    ('ignore = ["APIGW105", "parse-error"]\n', "ignore: TFL001 (parse-error) cannot be turned off: it always runs, so that a file that cannot be parsed or a rule that crashed is never silent (leave the file out with `exclude`, or use --fail-on never)"),
    ("[rules.TFL004]\nenabled = false\n", "rules.TFL004.enabled: TFL004 (rule-crashed) cannot be turned off: it always runs, so that a file that cannot be parsed or a rule that crashed is never silent (leave the file out with `exclude`, or use --fail-on never)"),
    ('fail_on = "error\n', "invalid TOML: Illegal character '\\n' (at line 1, column 17)"),
    ('select = ["APIGW104"]\nselect = []\n', "invalid TOML: Cannot overwrite a value (at line 2, column 12)"),
])
def test_bad_configuration_names_file_and_key(tmp_path, monkeypatch, text, message):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {".tf-apigw-lint.toml": text})
    with pytest.raises(ConfigError) as error:
        load_config()
    assert str(error.value) == f".tf-apigw-lint.toml: {message}"


def test_pyproject_keys_are_named_with_their_table(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {"pyproject.toml": '[tool.tf-apigw-lint.rules.APIGW102]\nmin_level = "WARN"\n'})
    with pytest.raises(ConfigError) as error:
        load_config()
    assert str(error.value) == (
        "pyproject.toml: tool.tf-apigw-lint.rules.APIGW102.min_level: expected one of 'OFF', 'ERROR', 'INFO', got 'WARN'")


# ---------------------------------------------------------------------------
# exclude globs
# ---------------------------------------------------------------------------


def test_exclude_globs_match_segment_by_segment_whatever_the_pattern(tmp_path):
    """As regular expressions these backtracked exponentially (a 23-deep path and the first
    pattern took 22 s): a configuration could stall CI. Matched segment by segment, and
    within a segment without backtracking, both answer at once."""
    deep = "/".join(["d"] * 23)
    assert not Exclude(str(tmp_path), ("/".join(["**"] * 11) + "/x",)).matches(str(tmp_path / deep))
    assert Exclude(str(tmp_path), ("/".join(["**"] * 11) + "/x",)).matches(str(tmp_path / deep / "x"))
    assert not Exclude(str(tmp_path), ("*a" * 10 + "*b",)).matches(str(tmp_path / ("a" * 60)))
    assert Exclude(str(tmp_path), ("*a" * 10 + "*b",)).matches(str(tmp_path / ("a" * 60 + "b")))


@pytest.mark.parametrize("pattern, excluded, kept", [
    ("examples", ["examples", "examples/a", "examples/a/main.tf"], ["envs/examples", "examples2"]),
    ("examples/**", ["examples", "examples/a/b/main.tf"], ["envs/examples/a"]),
    ("examples/*", ["examples/a", "examples/a/main.tf"], ["examples", "other/a"]),
    ("**/legacy", ["legacy", "envs/prod/legacy/main.tf"], ["envs/legacy2", "legacy.tf"]),
    ("envs/**/test", ["envs/test", "envs/a/b/test/x.tf"], ["test", "envs/a/testing"]),
    ("*.generated.tf", ["api.generated.tf"], ["envs/api.generated.tf", "api.tf"]),
    ("envs/dev-?", ["envs/dev-1/main.tf"], ["envs/dev-10"]),
    ("envs/[!p]*", ["envs/dev", "envs/test/main.tf"], ["envs/prod"]),
    ("/modules/", ["modules/x"], ["envs/modules"]),
])
def test_exclude_globs(tmp_path, pattern, excluded, kept):
    exclude = Exclude(str(tmp_path), (pattern,))
    assert [p for p in excluded if not exclude.matches(str(tmp_path / p))] == []
    assert [p for p in kept if exclude.matches(str(tmp_path / p))] == []
    assert not exclude.matches(str(tmp_path))
    assert not exclude.matches(str(tmp_path.parent / "examples"))


# ---------------------------------------------------------------------------
# End to end through main()
# ---------------------------------------------------------------------------


def test_configuration_is_found_upward_from_a_subdirectory(tmp_path, monkeypatch, capsys):
    write(tmp_path, {
        ".tf-apigw-lint.toml": 'ignore = ["APIGW201"]\nfail_on = "warning"\n',
        "envs/prod/main.tf": API,
    })
    monkeypatch.chdir(tmp_path / "envs" / "prod")
    code, found, _ = lint_json(capsys, ".", rules={"APIGW102", "APIGW104", "APIGW201"})
    assert (code, found) == (1, [PROD_LEVEL, PROD_TRACE, DEV_TRACE])
    monkeypatch.chdir(tmp_path.parent)  # above the configuration: defaults apply
    code, found, _ = lint_json(capsys, str(tmp_path / "envs"), rules={"APIGW102", "APIGW104", "APIGW201"})
    assert (code, found) == (1, [PROD_STAGE, PROD_LEVEL, PROD_TRACE, DEV_STAGE, DEV_TRACE])


def test_pyproject_table_and_dotfile(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {
        "main.tf": API,
        "pyproject.toml": '[project]\nname = "infra"\n\n[tool.tf-apigw-lint]\nselect = ["APIGW104"]\n',
    })
    assert lint_json(capsys, ".")[:2] == (0, [PROD_TRACE, DEV_TRACE])
    write(tmp_path, {".tf-apigw-lint.toml": 'select = ["execution-logging-not-info"]\n'})
    assert lint_json(capsys, ".")[:2] == (0, [PROD_LEVEL])  # the dotfile wins in one directory
    assert lint_json(capsys, ".", "--config", "pyproject.toml")[:2] == (0, [PROD_TRACE, DEV_TRACE])


def test_per_rule_severity_override_is_in_the_report(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {"main.tf": API, ".tf-apigw-lint.toml": """\
        select = ["APIGW102", "APIGW104", "APIGW201"]
        [rules.data-trace-enabled]
        severity = "error"
        [rules.APIGW201]
        severity = "note"
        """})
    code, found, summary = lint_json(capsys, ".")
    assert code == 1
    assert found == [
        ("APIGW201", "note", "aws_api_gateway_stage.prod", 5),
        PROD_LEVEL,
        ("APIGW104", "error", "aws_api_gateway_method_settings.prod", 18),
        ("APIGW201", "note", "aws_api_gateway_stage.dev", 23),
        ("APIGW104", "error", "aws_api_gateway_method_settings.dev", 36),
    ]
    assert (summary["error"], summary["warning"], summary["note"]) == (2, 1, 2)


def test_min_level_error_silences_execution_logging_not_info(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {"main.tf": API, ".tf-apigw-lint.toml": "[rules.APIGW102]\nmin_level = 'ERROR'\n"})
    assert lint_json(capsys, ".", "--select", "APIGW102")[:2] == (0, [])
    write(tmp_path, {".tf-apigw-lint.toml": "[rules.APIGW102]\nmin_level = 'INFO'\n"})
    assert lint_json(capsys, ".", "--select", "APIGW102", "--fail-on", "warning")[:2] == (1, [PROD_LEVEL])


def test_allow_data_trace_stages(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {"main.tf": API, ".tf-apigw-lint.toml": '[rules.APIGW104]\nallow_data_trace_stages = ["dev*"]\n'})
    assert lint_json(capsys, ".", "--select", "APIGW104")[:2] == (0, [PROD_TRACE])
    write(tmp_path, {".tf-apigw-lint.toml": '[rules.APIGW104]\nallow_data_trace_stages = ["*"]\n'})
    assert lint_json(capsys, ".", "--select", "APIGW104")[:2] == (0, [])


@pytest.mark.parametrize("setting, found", [
    ("", [MAIN_ROLE, WEST_ROLE]),
    ('account_role = "external"', []),
    ('account_role = "managed"', [MAIN_ROLE, WEST_ROLE]),
    ('account_role = { "aws.west" = "external" }', [MAIN_ROLE]),
    ('account_role = { "*" = "external", "aws" = "managed" }', [MAIN_ROLE]),
])
def test_account_role_external(tmp_path, monkeypatch, capsys, setting, found):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {"main.tf": NO_ACCOUNT, ".tf-apigw-lint.toml": f"[rules.APIGW001]\n{setting}\n"})
    assert lint_json(capsys, ".", "--select", "APIGW001")[:2] == (1 if found else 0, found)


def test_command_line_overrides_the_file(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {"main.tf": API, ".tf-apigw-lint.toml": """\
        select = ["APIGW104", "APIGW201"]
        ignore = ["APIGW201"]
        fail_on = "never"
        [rules.APIGW102]
        enabled = false
        [rules.APIGW105]
        enabled = true
        """})
    # the file: APIGW104 selected, APIGW201 ignored, APIGW105 enabled (finds nothing here)
    assert lint_json(capsys, ".")[:2] == (0, [PROD_TRACE, DEV_TRACE])
    # --fail-on replaces fail_on
    assert lint_json(capsys, ".", "--fail-on", "warning")[:2] == (1, [PROD_TRACE, DEV_TRACE])
    # --select replaces the file's selection, including a rule's own `enabled`
    assert lint_json(capsys, ".", "--select", "APIGW102,APIGW201")[:2] == (0, [PROD_STAGE, PROD_LEVEL, DEV_STAGE])
    # --ignore turns rules off on top of the file's selection
    assert lint_json(capsys, ".", "--ignore", "data-trace-enabled")[:2] == (0, [])


def test_strict_in_the_file(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    files = {"main.tf": 'variable "n" {\n  type = number\n}\n\nresource "aws_api_gateway_stage" "s" {\n  count = var.n\n  stage_name = "s"\n}\n'}
    write(tmp_path, {**files, ".tf-apigw-lint.toml": 'select = ["APIGW201"]\n'})
    assert lint_json(capsys, ".")[:2] == (0, [("APIGW201", "note", "aws_api_gateway_stage.s", 5)])
    write(tmp_path, {".tf-apigw-lint.toml": 'select = ["APIGW201"]\nstrict = true\n'})
    assert lint_json(capsys, ".")[:2] == (1, [("APIGW201", "error", "aws_api_gateway_stage.s", 5)])


def test_exclude_skips_directories_and_drops_findings_in_excluded_files(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    stage = 'resource "aws_api_gateway_stage" "s" {\n  rest_api_id = "a"\n  deployment_id = "d"\n  stage_name = "s"\n}\n'
    write(tmp_path, {
        ".tf-apigw-lint.toml": 'select = ["APIGW201"]\nexclude = ["examples", "**/vendor/**", "live/generated_*.tf"]\n',
        "live/main.tf": stage + '\nmodule "v" {\n  source = "../vendor/api"\n}\n',
        "live/generated_api.tf": stage.replace('"s"', '"g"'),
        "vendor/api/main.tf": stage,
        "examples/basic/main.tf": stage,
        "examples/basic/nested/main.tf": stage,
        "envs/prod/main.tf": stage,
    })
    code, found, summary = lint_json(capsys, ".")
    assert (code, found) == (1, [
        ("APIGW201", "error", "aws_api_gateway_stage.s", 1),  # envs/prod
        ("APIGW201", "error", "aws_api_gateway_stage.s", 1),  # live
    ])
    assert (summary["files"], summary["modules"]) == (4, 3)  # excluded directories were not read
    # ... but they are said: examples/basic, examples/basic/nested and vendor/api (which live
    # still calls, so its files are evaluated for live's sake)
    assert summary["coverage"]["module_directories_excluded"] == 3
    assert main([".", "--format", "json"]) == 1
    paths = [f["path"] for f in json.loads(capsys.readouterr().out)["findings"]]
    assert paths == ["envs/prod/main.tf", "live/main.tf"]
    # an excluded PATH given on the command line is excluded too; a file selects its directory
    assert main(["examples/basic", "--color", "never"]) == 0
    out, err = capsys.readouterr()
    assert (err, out) == ("", "Not analysed: 2 module directories excluded by the configuration's exclude.\n"
                               "No problems found in 0 files, 0 modules.\n")
    assert main(["examples/basic/main.tf", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["findings"] == []
    assert main(["live/generated_api.tf", "--format", "json"]) == 1
    assert [f["path"] for f in json.loads(capsys.readouterr().out)["findings"]] == ["live/main.tf"]


@pytest.mark.parametrize("text, message", [
    ('fail_ons = "error"\n', ".tf-apigw-lint.toml: fail_ons: unknown key (did you mean 'fail_on'?)"),
    ('select = ["APIGW104", "no-such-rule"]\n', ".tf-apigw-lint.toml: select: unknown rule 'no-such-rule' (see tf-apigw-lint rules)"),
    ("[rules.no-such-rule]\n", ".tf-apigw-lint.toml: rules.no-such-rule: unknown rule (see tf-apigw-lint rules)"),
    ("[rules.APIGW102]\nlevel = 'INFO'\n",
     ".tf-apigw-lint.toml: rules.APIGW102.level: unknown option for APIGW102 (execution-logging-not-info) "
     "(did you mean 'min_level'?)"),
    ("select = [APIGW104]\n", ".tf-apigw-lint.toml: invalid TOML: Invalid value (at line 1, column 11)"),
])
def test_bad_configuration_exits_2_with_one_line(tmp_path, monkeypatch, capsys, text, message):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {"main.tf": API, "sub/main.tf": API, ".tf-apigw-lint.toml": text})
    assert failure(capsys, ".") == f"tf-apigw-lint: {message}"
    monkeypatch.chdir(tmp_path / "sub")  # found upward, named relative to the working directory
    assert failure(capsys, ".") == f"tf-apigw-lint: {os.path.join(str(tmp_path), message)}"


def test_explicit_config_errors_exit_2(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {"main.tf": API, "bad.toml": "[rules.APIGW104]\nseverity = 3\n"})
    assert failure(capsys, ".", "--config", "missing.toml") == "tf-apigw-lint: --config missing.toml: no such file"
    assert failure(capsys, ".", "--config", "bad.toml") == (
        "tf-apigw-lint: bad.toml: rules.APIGW104.severity: expected one of 'note', 'warning', 'error', got 3")


def test_readme_example_is_a_valid_configuration(tmp_path, monkeypatch):
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Configuration and suppressions"):]
    example = section[section.index("```toml\n") + len("```toml\n"):section.index("```\n", section.index("```toml\n"))]
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {".tf-apigw-lint.toml": example})
    config = load_config()
    assert (config.ignore, config.fail_on, config.exclude.patterns) == (("APIGW105",), "warning", ("examples/**", "**/vendor"))
    assert dict(config.rules["APIGW104"].options) == {"allow_data_trace_stages": ["dev*", "test"]}
    assert config.rules["APIGW001"].options["account_role"] == {"aws.shared": "external"}
