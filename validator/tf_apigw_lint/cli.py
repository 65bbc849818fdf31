"""Command line: `main(argv) -> int`. Only this module prints and chooses exit codes.

Exit codes (SPEC §3): 0 nothing at or above --fail-on; 1 findings at or above it (a file
that cannot be parsed, or a crashed rule, always counts); 2 usage error, bad configuration,
unreadable path or internal error. Every failure is one line on stderr naming the file or
option at fault.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Sequence

from tf_apigw_lint import __version__
from tf_apigw_lint.model.build import Assignment, BuildOptions, PathError
from tf_apigw_lint.report import FORMATS, render
from tf_apigw_lint.rules import RULES, resolve
from tf_apigw_lint.rules.docs import explain, rule_info
from tf_apigw_lint.rules.engine import RuleSettings
from tf_apigw_lint.runner import FAIL_ON, CheckOptions, run_check

COMMANDS = ("check", "rules", "explain")
# Rules that keep running under --select: without them a broken file or rule would pass.
ALWAYS_SELECTED = frozenset({"TFL001", "TFL004"})


class UsageError(Exception):
    """Bad command-line input; the message names the option."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2, no usage dump
        raise UsageError(message)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="tf-apigw-lint", description="Find broken CloudWatch logging for AWS API Gateway in Terraform.")
    parser.add_argument("--version", action="version", version=f"tf-apigw-lint {__version__}")
    commands = parser.add_subparsers(dest="command", parser_class=_Parser)

    check = commands.add_parser("check", help="static analysis of Terraform configuration (default)")
    check.add_argument("paths", nargs="*", metavar="PATH", help="files or directories (default: .)")
    check.add_argument("--format", choices=FORMATS, default="text")
    check.add_argument("--output", metavar="FILE", help="write the report to FILE instead of stdout")
    check.add_argument("--fail-on", choices=tuple(FAIL_ON), default="error")
    check.add_argument("--select", metavar="ID,...", action="append", default=[], help="run only these rules (ids or names)")
    check.add_argument("--ignore", metavar="ID,...", action="append", default=[], help="do not run these rules")
    check.add_argument("--var", metavar="NAME=VALUE", action=_AssignmentAction, default=[], dest="assignments")
    check.add_argument("--var-file", metavar="FILE", action=_AssignmentAction, default=[], dest="assignments")
    check.add_argument("--workspace", metavar="NAME")
    check.add_argument("--strict", action="store_true", help="uncertain findings keep their rule severity")
    check.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    check.add_argument("--quiet", action="store_true", help="print findings only: no summary, no notices")

    commands.add_parser("rules", help="list the rules")
    explain_parser = commands.add_parser("explain", help="full documentation of one rule")
    explain_parser.add_argument("rule", metavar="ID|NAME")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or (args[0] not in COMMANDS and args[0] not in ("-h", "--help", "--version")):
        args.insert(0, "check")
    try:
        options = _parser().parse_args(args)
        if options.command == "rules":
            return _list_rules()
        if options.command == "explain":
            return _explain(options.rule)
        return _check(options)
    except UsageError as error:
        _error(str(error))
        return 2
    except PathError as error:
        _error(str(error))
        return 2
    except KeyboardInterrupt:
        _error("interrupted")
        return 2
    except Exception as error:  # noqa: BLE001 - never a traceback as the user interface
        _error(f"internal error: {type(error).__name__}: {error}")
        return 2


def _error(message: str) -> None:
    print(f"tf-apigw-lint: {message}", file=sys.stderr)


def _list_rules() -> int:
    for rule in RULES:
        print(f"{rule.ID}  {rule.NAME:<34} {rule.SEVERITY.value:<8} {rule.TITLE}")
    return 0


def _explain(name: str) -> int:
    rule = resolve(name)
    if rule is None:
        raise UsageError(f"explain: unknown rule {name!r} (see tf-apigw-lint rules)")
    print(explain(rule), end="")
    return 0


def _rule_list(values: list[str], option: str) -> set[str]:
    ids = set()
    for value in values:
        for item in filter(None, (part.strip() for part in value.split(","))):
            rule = resolve(item)
            if rule is None:
                raise UsageError(f"{option}: unknown rule {item!r}")
            ids.add(rule.ID)
    return ids


class _AssignmentAction(argparse.Action):
    """--var and --var-file share one list: Terraform applies them in command-line order."""

    def __call__(self, parser, namespace, value, option_string=None):
        assignments = list(getattr(namespace, self.dest) or [])
        if option_string == "--var-file":
            assignments.append(Assignment(file=value))
        else:
            name, separator, text = value.partition("=")
            if not separator or not name.strip():
                raise UsageError(f"--var {value!r}: expected NAME=VALUE")
            assignments.append(Assignment(name=name.strip(), text=text))
        setattr(namespace, self.dest, assignments)


def _check(options: argparse.Namespace) -> int:
    selected = _rule_list(options.select, "--select")
    ignored = _rule_list(options.ignore, "--ignore")
    settings = {}
    for rule in RULES:
        enabled = (not selected or rule.ID in selected or rule.ID in ALWAYS_SELECTED) and rule.ID not in ignored
        settings[rule.ID] = RuleSettings(enabled=enabled)
    build = BuildOptions(assignments=options.assignments, workspace=options.workspace, environ=dict(os.environ))
    paths = options.paths or ["."]
    result = run_check(paths, CheckOptions(build=build, rules=settings, strict=options.strict))
    if not result.model.files and not options.quiet:
        print(f"tf-apigw-lint: no Terraform files found in {', '.join(paths)}", file=sys.stderr)
    to_terminal = options.output is None and sys.stdout.isatty()
    color = options.color == "always" or (options.color == "auto" and to_terminal and "NO_COLOR" not in os.environ)
    report = render(
        options.format,
        result.findings,
        result.summary,
        {rule.ID: rule_info(rule) for rule in RULES},
        __version__,
        color=color,
        source_lines=_source_line if to_terminal else None,
    )
    if options.quiet and options.format == "text":
        report = "\n".join(report.rstrip("\n").split("\n")[:-1]) + "\n" if result.findings else ""
    _write(report, options.output)
    return 1 if result.fails(options.fail_on) else 0


def _source_line(path: str, line: int) -> str | None:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            for number, text in enumerate(handle, 1):
                if number == line:
                    return text.rstrip("\n")
    except OSError:
        return None
    return None


def _write(report: str, output: str | None) -> None:
    if output is None:
        sys.stdout.write(report)
        return
    try:
        with open(output, "w", encoding="utf-8") as handle:
            handle.write(report)
    except OSError as error:
        raise UsageError(f"--output {output}: {error.strerror or error}") from None
