"""Command line: `main(argv) -> int`. Only this module prints and chooses exit codes.

Exit codes (SPEC §3): 0 nothing at or above --fail-on; 1 findings at or above it (a file
that cannot be parsed, or a crashed rule, counts at every threshold but `never`); 2 usage
error, bad configuration, unreadable path or internal error. Every failure is one line on
stderr naming the file or option at fault.

The parser, the model and the rules are imported only by the commands that use them, so
`--version` and `--help` answer at once.
"""

from __future__ import annotations

import argparse
import difflib
import os
import sys
from pathlib import PurePath
from typing import TYPE_CHECKING, Mapping, NoReturn, Sequence

from tf_apigw_lint import __version__, completion

if TYPE_CHECKING:
    from tf_apigw_lint.config import Config
    from tf_apigw_lint.report.sarif import SarifSettings
    from tf_apigw_lint.rules.engine import RuleSettings
    from tf_apigw_lint.runner import CheckOptions, CheckResult

COMMANDS = ("check", "rules", "explain", "pre-commit", "external", "completion", "live", "doctor", "drift")


class UsageError(Exception):
    """Bad command-line input; the message names the option."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line, exit 2, no usage dump
        raise UsageError(message)


def _parser() -> argparse.ArgumentParser:
    from tf_apigw_lint.report import FORMATS
    from tf_apigw_lint.runner import FAIL_ON

    parser = _Parser(prog="tf-apigw-lint", description="Find broken CloudWatch logging for AWS API Gateway in Terraform.")
    parser.add_argument("-V", "--version", action="version", version=f"tf-apigw-lint {__version__}")
    commands = parser.add_subparsers(dest="command", parser_class=_Parser)

    # How findings are chosen and reported: every command that runs rules (check, pre-commit, live, drift).
    report = _Parser(add_help=False)
    report.add_argument("--format", choices=FORMATS, default="text")
    report.add_argument("--output", metavar="FILE", help="write the report to FILE instead of stdout")
    report.add_argument("--fail-on", choices=tuple(FAIL_ON), help="lowest severity that fails the run; never: exit 0 unless the run itself fails (default: the configuration's fail_on, else error)")
    report.add_argument("--select", metavar="ID,...", action="append", default=[], help="run only these rules (ids or names)")
    report.add_argument("--ignore", metavar="ID,...", action="append", default=[], help="do not run these rules")
    report.add_argument("--config", metavar="FILE", help="configuration file (default: .tf-apigw-lint.toml or pyproject.toml found upward)")
    report.add_argument("--strict", action="store_true", help="uncertain findings keep their rule severity")
    report.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    report.add_argument("--quiet", action="store_true", help="print findings only: no summary, no notices")

    # Options of the commands that read Terraform configuration (check, pre-commit, drift).
    common = _Parser(add_help=False, parents=[report])
    common.add_argument("--var", metavar="NAME=VALUE", action=_AssignmentAction, default=[], dest="assignments")
    common.add_argument("--var-file", metavar="FILE", action=_AssignmentAction, default=[], dest="assignments")
    common.add_argument("--workspace", metavar="NAME")
    common.add_argument("--exhaustive", action="store_true", help="analyse every root, not only those whose modules mention API Gateway resource types")
    common.add_argument("--jobs", metavar="N", type=_positive_int, help="processes that parse files (default: the number of CPUs)")
    common.add_argument("--no-cache", action="store_true", help="parse every file, without reading or writing the parse cache")
    common.add_argument("--baseline", metavar="FILE", help="report only findings that FILE (from --write-baseline) does not list")
    common.add_argument("--sarif-category", metavar="NAME", help="code-scanning category of the SARIF run (default: from the scanned paths)")
    common.add_argument("--sarif-root", metavar="DIR", help="directory SARIF paths are relative to (default: the git top level, else the scanned path)")

    check = commands.add_parser("check", parents=[common], help="static analysis of Terraform configuration (default)")
    check.add_argument("paths", nargs="*", metavar="PATH", help="files or directories (default: .)")
    check.add_argument("--plan", metavar="FILE", help="analyse `terraform show -json` plan output; PATH is then the configuration directory, for source lines")
    check.add_argument("--write-baseline", metavar="FILE", help="record today's findings in FILE for --baseline and exit 0")

    commands.add_parser("rules", help="list the rules")
    explain_parser = commands.add_parser("explain", help="full documentation of one rule")
    explain_parser.add_argument("rule", metavar="ID|NAME")
    pre_commit = commands.add_parser(
        "pre-commit",
        parents=[common],
        help="pre-commit hook entry: lint the roots of the repository that include the changed FILEs",
        description="Lint the roots of the repository (git top-level, else the working directory) "
        "that include the directories of the FILEs given (the changed files). Nothing Terraform changed: exit 0.",
    )
    pre_commit.add_argument("paths", nargs="*", metavar="FILE", help="changed files")
    pre_commit.add_argument("--write-baseline", metavar="FILE", help=argparse.SUPPRESS)  # refused with a reason
    pre_commit.set_defaults(plan=None)
    commands.add_parser("external", help="Terraform external data source: JSON query on stdin, JSON result on stdout")
    completion_parser = commands.add_parser("completion", help="print a shell completion script")
    completion_parser.add_argument("shell", choices=completion.SHELLS)
    _add_live_commands(commands, report, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args in (["--version"], ["-V"]):  # answered before anything heavy is imported
        print(f"tf-apigw-lint {__version__}")
        return 0
    from tf_apigw_lint.baseline import BaselineError
    from tf_apigw_lint.config import ConfigError
    from tf_apigw_lint.load.grammar import ParserInstallError, check_installed
    from tf_apigw_lint.model.build import PathError

    try:
        if not args or (args[0] not in COMMANDS and args[0] not in ("-h", "--help", "-V", "--version")):
            _refuse_misspelt_command(args)
            args.insert(0, "check")
        options = _parser().parse_args(args)
        if options.command == "rules":
            return _list_rules()
        if options.command == "explain":
            return _explain(options.rule)
        if options.command == "external":
            return _external()
        if options.command == "completion":
            return _completion(options.shell)
        if options.command == "live":
            return _live(options)
        if options.command == "doctor":
            return _doctor(options)
        check_installed()
        if options.command == "drift":
            return _drift(options)
        if options.command == "pre-commit":
            return _pre_commit(options)
        return _check(options)
    except (UsageError, PathError, ConfigError, BaselineError, ParserInstallError) as error:
        _error(str(error))
        return 2
    except BrokenPipeError:
        _stdout_gone()
        return 0
    except KeyboardInterrupt:
        _error("interrupted")
        return 2
    except Exception as error:  # noqa: BLE001 - never a traceback as the user interface
        _error(f"internal error: {type(error).__name__}: {error}")
        return 2


def _error(message: str) -> None:
    from tf_apigw_lint.report.escape import visible

    # Messages name files and values from the repository: a file name must not forge a line.
    print(f"tf-apigw-lint: {visible(message)}", file=sys.stderr)


def _refuse_misspelt_command(args: list[str]) -> None:
    """`tf-apigw-lint rule` would otherwise be a check of a path named `rule`: a first word
    that is no path but close to a command is a misspelt command."""
    if not args or args[0].startswith("-") or os.path.exists(args[0]):
        return
    close = difflib.get_close_matches(args[0], COMMANDS, n=1, cutoff=0.75)
    if close:
        raise UsageError(f"unknown command {args[0]!r} (did you mean {close[0]!r}?)")


def _positive_int(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a positive whole number, got {text!r}")
    return int(text)


def _endpoint_url(text: str) -> str:
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{text!r} is not a URL: {error}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise argparse.ArgumentTypeError(f"expected a URL such as http://localhost:5000, got {text!r}")
    return text


def _list_rules() -> int:
    from tf_apigw_lint.rules import RULES

    id_width = max(len(rule.ID) for rule in RULES)
    name_width = max(len(rule.NAME) for rule in RULES)
    severity_width = max(len(rule.SEVERITY.value) for rule in RULES)
    for rule in RULES:
        print(f"{rule.ID:<{id_width}}  {rule.NAME:<{name_width}}  {rule.SEVERITY.value:<{severity_width}}  {rule.TITLE}")
    return 0


def _completion(shell: str) -> int:
    from tf_apigw_lint.rules import RULES

    rule_words = [word for rule in RULES for word in (rule.ID, rule.NAME)]
    sys.stdout.write(completion.script(shell, completion.commands_of(_parser()), rule_words))
    return 0


def _explain(name: str) -> int:
    from tf_apigw_lint.report.rule_docs import explain
    from tf_apigw_lint.rules import resolve

    rule = resolve(name)
    if rule is None:
        raise UsageError(f"explain: unknown rule {name!r} (see tf-apigw-lint rules)")
    print(explain(rule), end="")
    return 0


def _rule_list(values: list[str], option: str) -> set[str]:
    from tf_apigw_lint.rules import ALWAYS_ON, ALWAYS_ON_REASON, resolve

    ids = set()
    for value in values:
        for item in filter(None, (part.strip() for part in value.split(","))):
            rule = resolve(item)
            if rule is None:
                raise UsageError(f"{option}: unknown rule {item!r}")
            if option == "--ignore" and rule.ID in ALWAYS_ON:
                raise UsageError(f"--ignore: {rule.ID} ({rule.NAME}) cannot be turned off: {ALWAYS_ON_REASON}")
            ids.add(rule.ID)
    return ids


class _AssignmentAction(argparse.Action):
    """--var and --var-file share one list: Terraform applies them in command-line order."""

    def __call__(self, parser, namespace, value, option_string=None):
        from tf_apigw_lint.model.build import Assignment

        assignments = list(getattr(namespace, self.dest) or [])
        if option_string == "--var-file":
            assignments.append(Assignment(file=value))
        else:
            name, separator, text = value.partition("=")
            if not separator or not name.strip():
                raise UsageError(f"--var {value!r}: expected NAME=VALUE")
            assignments.append(Assignment(name=name.strip(), text=text))
        setattr(namespace, self.dest, assignments)


def _check(options: argparse.Namespace, config: Config | None = None) -> int:
    report, code, _ = _run_check(options, config)
    _write(report, options.output)
    return code


def _run_check(options: argparse.Namespace, config: Config | None = None) -> tuple[str, int, CheckResult]:
    """The report and exit code of a check, not yet written: `external` sends them elsewhere.
    `config` is the configuration when the caller has already read it."""
    from tf_apigw_lint.baseline import Baseline
    from tf_apigw_lint.config import load_config
    from tf_apigw_lint.load.user_cache import default_cache_directory
    from tf_apigw_lint.load.parallel import default_jobs
    from tf_apigw_lint.model.build import BuildOptions
    from tf_apigw_lint.progress import terminal_progress
    from tf_apigw_lint.report import render
    from tf_apigw_lint.report.rule_docs import rule_info
    from tf_apigw_lint.rules import RULES
    from tf_apigw_lint.runner import CheckOptions, run_check

    config = config or load_config(options.config)
    settings = _rule_settings(config, _rule_list(options.select, "--select"), _rule_list(options.ignore, "--ignore"))
    progress = terminal_progress(sys.stderr, os.environ, quiet=options.quiet)
    build = BuildOptions(
        assignments=options.assignments,
        workspace=options.workspace,
        environ=dict(os.environ),
        exhaustive=options.exhaustive,
        jobs=options.jobs or default_jobs(),
        cache_directory=None if options.no_cache else default_cache_directory(os.environ),
        progress=progress,
        scanned_tree=getattr(options, "scanned_tree", ()),
    )
    paths = options.paths or ["."]
    strict = options.strict or config.strict
    check_options = CheckOptions(
        build=build, rules=settings, strict=strict, exclude=config.exclude, honour_other_tools=config.honour_other_tools
    )
    write_baseline = getattr(options, "write_baseline", None)  # `check` only: a hook sees only some roots
    if options.baseline and not write_baseline:  # writing records every finding, known or not
        check_options.baseline = Baseline.load(options.baseline)
    plan = options.plan
    if plan is not None:
        result = _run_plan(options, check_options)
    else:
        try:
            result = run_check(paths, check_options)
        finally:
            if progress is not None:
                progress.close()
        coverage = result.summary.coverage
        # Found, but not relevant or excluded: the coverage says so, not "no Terraform files".
        skipped = coverage is not None and (coverage.files_not_parsed > 0 or coverage.module_directories_excluded > 0)
        if not result.model.files and not skipped and not options.quiet:
            print(f"tf-apigw-lint: no Terraform files found in {', '.join(paths)}", file=sys.stderr)
        for notice in getattr(result.model, "notices", []) if not options.quiet else ():  # the static model's
            _error(notice)
    to_terminal = options.output is None and sys.stdout.isatty()
    color = _use_color(options.color, to_terminal, os.environ)
    report = render(
        options.format,
        result.findings,
        result.summary,
        {rule.ID: rule_info(rule) for rule in RULES},
        __version__,
        color=color,
        # A plan from `terraform show -json` is one line: no excerpt of it under each finding.
        source_lines=_source_line if to_terminal and not (plan and not options.paths) else None,
        sarif=_sarif_settings(options, paths) if options.format == "sarif" else None,
    )
    if options.quiet and options.format == "text":  # the last block is the summary
        report = report.rstrip("\n").rsplit("\n\n", 1)[0] + "\n" if result.findings else ""
    if write_baseline:
        incomplete = _write_baseline(result, write_baseline, options.quiet)
        return report, 1 if incomplete and (options.fail_on or config.fail_on) != "never" else 0, result
    return report, 1 if result.fails(options.fail_on or config.fail_on or "error") else 0, result


def _write_baseline(result: CheckResult, file: str, quiet: bool) -> int:
    """--write-baseline: the findings are now known, so the run passes, unless a file could not
    be parsed or a rule crashed: those are never recorded (`Baseline.record`) and still fail
    it. Returns how many of those there are; the report shows what was recorded."""
    from tf_apigw_lint.baseline import Baseline
    from tf_apigw_lint.rules import ALWAYS_ON

    recorded = Baseline.record(result.findings, os.path.dirname(os.path.abspath(file)))
    try:
        with open(file, "w", encoding="utf-8") as handle:
            handle.write(recorded.dumps())
    except OSError as error:
        raise UsageError(f"--write-baseline {file}: {error.strerror or error}") from None
    incomplete = sum(1 for f in result.findings if f.rule_id in ALWAYS_ON and not f.suppressed)
    if not quiet:
        message = f"recorded {len(recorded)} findings in {file}; use --baseline {file} to report only new ones"
        if incomplete:
            plural = "s" if incomplete != 1 else ""
            message += (
                f"; not recorded: {incomplete} TFL001/TFL004 finding{plural} (a file that cannot be parsed, "
                "or a rule that crashed, fails every run until fixed or excluded)"
            )
        _error(message)
    return incomplete


def _sarif_settings(options: argparse.Namespace, paths: list[str]) -> SarifSettings:
    """URIs relative to the repository root (`--sarif-root`, else the git top level of the
    first scanned path, else that path); the category names the scanned paths below the
    root, so that jobs scanning different roots do not replace each other's alerts."""
    from tf_apigw_lint.integrations import precommit
    from tf_apigw_lint.report.rulemeta import TOOL_NAME
    from tf_apigw_lint.report.sarif import SarifSettings

    scanned = [os.path.abspath(p if os.path.isdir(p) else os.path.dirname(p) or ".") for p in paths]
    if options.plan and not options.paths:
        scanned = [os.path.dirname(os.path.abspath(options.plan))]
    if options.sarif_root is not None:
        if not os.path.isdir(options.sarif_root):
            raise UsageError(f"--sarif-root {options.sarif_root}: not a directory")
        root = os.path.abspath(options.sarif_root)
    else:
        root = precommit.repository_root(scanned[0])
    category = options.sarif_category
    if category is None:
        below = sorted({PurePath(os.path.relpath(s, root)).as_posix() for s in scanned} - {"."})
        category = "/".join([TOOL_NAME, "+".join(below)]) if below else TOOL_NAME
    elif not category.strip() or not category.isprintable():
        raise UsageError(f"--sarif-category {category!r}: expected a non-empty name without control characters")
    return SarifSettings(root=root, category=category)


def _use_color(choice: str, to_terminal: bool, environ: Mapping[str, str]) -> bool:
    """`--color always|never` decides; `auto` follows the conventions in the order Python's
    own tracebacks do: a non-empty NO_COLOR turns colour off (no-color.org: an empty one
    does not), a non-empty FORCE_COLOR turns it on, TERM=dumb turns it off, and otherwise
    colour goes to a terminal only."""
    if choice != "auto":
        return choice == "always"
    if environ.get("NO_COLOR"):
        return False
    if environ.get("FORCE_COLOR"):
        return True
    if environ.get("TERM") == "dumb":
        return False
    return to_terminal


def _run_plan(options: argparse.Namespace, check_options: CheckOptions) -> CheckResult:
    """`check --plan FILE [PATH]`: PATH is the configuration directory the plan was made from."""
    from tf_apigw_lint.runner import run_plan_check

    if len(options.paths) > 1:
        raise UsageError("--plan takes at most one PATH: the configuration directory the plan was made from")
    if options.assignments:
        raise UsageError("--var and --var-file have no effect with --plan: the plan holds the variable values")
    config_dir = options.paths[0] if options.paths else None
    result = run_plan_check(options.plan, config_dir, check_options)
    if config_dir is not None and not result.model.files and not options.quiet:
        print(f"tf-apigw-lint: no Terraform files found in {config_dir}: findings point at the plan", file=sys.stderr)
    return result


def _rule_settings(config: Config, selected: set[str], ignored: set[str]) -> dict[str, RuleSettings]:
    """Which rules run, how severe, with which options. The file decides first (a rule's own
    `enabled` wins over `select` / `ignore`); `--select` replaces that decision, `--ignore`
    then turns rules off."""
    from tf_apigw_lint.rules import ALWAYS_ON, RULES
    from tf_apigw_lint.rules.engine import RuleSettings

    settings = {}
    for rule in RULES:
        own = config.rules.get(rule.ID)
        if selected:
            enabled = rule.ID in selected or rule.ID in ALWAYS_ON
        elif own is not None and own.enabled is not None:
            enabled = own.enabled
        else:
            chosen = not config.select or rule.ID in config.select or rule.ID in ALWAYS_ON
            enabled = chosen and rule.ID not in config.ignore
        settings[rule.ID] = RuleSettings(
            enabled=enabled and rule.ID not in ignored,
            severity=own.severity if own else None,
            options=dict(own.options) if own else {},
        )
    return settings


def _source_line(path: str, line: int) -> str | None:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            for number, text in enumerate(handle, 1):
                if number == line:
                    return text.rstrip("\n")
    except OSError:
        return None
    return None


def _stdout_gone() -> None:
    """The reader of our output went away (`| head`): stop writing, quietly, as other
    command-line tools do; Python would otherwise complain again when it exits."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def _write(report: str, output: str | None) -> None:
    if output is None:
        try:
            sys.stdout.write(report)
            sys.stdout.flush()
        except BrokenPipeError:
            _stdout_gone()  # the exit code still tells the findings
        return
    try:
        with open(output, "w", encoding="utf-8") as handle:
            handle.write(report)
    except OSError as error:
        raise UsageError(f"--output {output}: {error.strerror or error}") from None


def _pre_commit(options: argparse.Namespace) -> int:
    if options.write_baseline:
        raise UsageError(
            "--write-baseline: not with pre-commit, which sees only the roots of the changed files; "
            f"run `tf-apigw-lint check --write-baseline {options.write_baseline}` on the whole repository"
        )
    from tf_apigw_lint.config import load_config
    from tf_apigw_lint.integrations import precommit

    config = load_config(options.config)
    exclude = config.exclude
    repository = precommit.repository_root()
    options.scanned_tree = (repository,)  # the selected roots may read all of their repository
    selection = precommit.select_roots(options.paths, repository, exclude.matches if exclude else None)
    if not options.quiet:
        for path in selection.unplaced:
            _error(f"{path}: not in a Terraform module directory of the repository, not analysed")
    if not selection.roots:
        return 0
    options.paths = selection.check_paths()
    return _check(options, config)


def _external() -> int:
    """Terraform's external data source protocol (SPEC §8). Terraform shows stderr when the
    exit code is not 0 and does not look at which code it is, so every failure exits 1."""
    from tf_apigw_lint.config import ConfigError
    from tf_apigw_lint.integrations import external
    from tf_apigw_lint.load.grammar import ParserInstallError, check_installed
    from tf_apigw_lint.model.build import PathError

    try:
        check_installed()
        query = external.parse_query(sys.stdin.read())
        argv = ["check", "--color", "never"]
        if query.fail_on is not None:
            argv += ["--fail-on", query.fail_on]
        if query.config is not None:
            argv.append(f"--config={query.config}")  # a name may start with "-"
        report, code, result = _run_check(_parser().parse_args([*argv, "--", query.path]))
    except (external.QueryError, UsageError, PathError, ConfigError, UnicodeDecodeError, ParserInstallError) as error:
        _error(f"external: {error}")
        return 1
    except Exception as error:  # noqa: BLE001 - Terraform shows this line in the plan error
        _error(f"external: internal error: {type(error).__name__}: {error}")
        return 1
    if code:
        sys.stderr.write(report)
        return 1
    sys.stdout.write(external.answer(result.summary, report))
    return 0


# -- live: deployed state (SPEC §9) --------------------------------------------------------


def _add_live_commands(commands, report: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    aws = _Parser(add_help=False)
    aws.add_argument("--region", action="append", default=[], metavar="REGION", help="region to read (repeatable; default: the profile's region)")
    aws.add_argument("--profile", metavar="NAME", help="AWS profile (default: the standard credential chain)")
    aws.add_argument("--endpoint-url", metavar="URL", type=_endpoint_url, help="send every AWS call to URL (a local emulator)")
    aws.add_argument("--role-arn", metavar="ARN", help="assume this role first")
    aws.add_argument("--rest-api-id", metavar="ID", help="read only this API (REST, HTTP or WebSocket)")
    aws.add_argument("--stage", metavar="NAME", help="read only stages of this name")
    # Reading many account regions (live, drift), not one stage (doctor).
    many = _Parser(add_help=False)
    many.add_argument("--jobs", type=_positive_int, default=4, metavar="N", help="account regions read at once (default 4)")

    live = commands.add_parser("live", parents=[report, aws, many], help="check deployed API Gateway logging with boto3 (read-only)")
    live.add_argument("--all-regions", action="store_true", help="every region enabled for the account")
    live.add_argument("--org-role", metavar="NAME", help="every account of the AWS Organization, assuming role NAME in each")

    doctor = commands.add_parser(
        "doctor",
        parents=[aws],
        help="walk the CloudWatch logging checklist for one deployed REST API stage",
        description="The troubleshooting checklist for 'logging is on but there are no logs', in order, for one stage.",
    )
    doctor.add_argument("--format", choices=("text", "json"), default="text")
    doctor.add_argument("--output", metavar="FILE", help="write the checklist to FILE instead of stdout")

    drift = commands.add_parser("drift", parents=[common, aws], help="compare the configuration's logging settings with what is deployed")
    drift.add_argument("paths", nargs="?", metavar="PATH", help="the Terraform configuration (default: .)")
    drift.add_argument("--plan", metavar="FILE", help="expected settings from `terraform show -json` plan output instead")
    drift.add_argument("--state", metavar="FILE", help="match through this state (terraform.tfstate or `terraform show -json`); default: by REST API name and stage name")


def _aws_session(options: argparse.Namespace):
    from tf_apigw_lint.live.aws import AwsSession

    region = options.region[0] if options.region else None
    return AwsSession(profile=options.profile, endpoint_url=options.endpoint_url, home_region=region)


def _live(options: argparse.Namespace) -> int:
    from tf_apigw_lint.config import load_config
    from tf_apigw_lint.live.build import Scope
    from tf_apigw_lint.live.reader import LiveError
    from tf_apigw_lint.live.scan import ScanOptions, scan
    from tf_apigw_lint.progress import terminal_progress
    from tf_apigw_lint.runner import CheckOptions, run_live_check

    config = load_config(options.config)
    settings = _rule_settings(config, _rule_list(options.select, "--select"), _rule_list(options.ignore, "--ignore"))
    scan_options = ScanOptions(
        regions=tuple(options.region),
        all_regions=options.all_regions,
        role_arn=options.role_arn,
        org_role=options.org_role,
        scope=Scope(options.rest_api_id, options.stage),
        jobs=options.jobs,
    )
    progress = terminal_progress(sys.stderr, os.environ, quiet=options.quiet)
    try:
        view = scan(_aws_session(options), scan_options, (lambda done, total: progress(done, total, "account regions read")) if progress else None)
    except LiveError as error:
        _error(f"live: {error}")
        return 2
    finally:
        if progress is not None:
            progress.close()
    result = run_live_check(view, CheckOptions(rules=settings, strict=options.strict or config.strict))
    report = _render_live(options, result)
    _write(report, options.output)
    return 1 if result.fails(options.fail_on or config.fail_on or "error") else 0


def _render_live(options: argparse.Namespace, result: CheckResult) -> str:
    from tf_apigw_lint.report import render
    from tf_apigw_lint.report.rule_docs import rule_info
    from tf_apigw_lint.rules import RULES

    to_terminal = options.output is None and sys.stdout.isatty()
    color = options.color == "always" or (options.color == "auto" and to_terminal and "NO_COLOR" not in os.environ)
    report = render(options.format, result.findings, result.summary, {rule.ID: rule_info(rule) for rule in RULES}, __version__, color=color)
    if options.quiet and options.format == "text":
        report = "\n".join(report.rstrip("\n").split("\n")[:-1]) + "\n" if result.findings else ""
    return report


def _doctor(options: argparse.Namespace) -> int:
    from tf_apigw_lint.doctor import checklist, render_json, render_text
    from tf_apigw_lint.live.build import Scope
    from tf_apigw_lint.live.reader import LiveError
    from tf_apigw_lint.live.scan import ScanOptions, scan
    from tf_apigw_lint.runner import CheckOptions, run_live_check
    from tf_apigw_lint.view.values import Unknown

    if not options.rest_api_id or not options.stage:
        raise UsageError("doctor: --rest-api-id and --stage are required")
    if len(options.region) > 1:
        raise UsageError("doctor: --region is given once: the stage lives in one region")
    try:
        view = scan(_aws_session(options), ScanOptions(regions=tuple(options.region), scope=Scope(options.rest_api_id, options.stage), jobs=1))
    except LiveError as error:
        _error(f"doctor: {error}")
        return 2
    [configuration] = view.configurations
    stage_address = configuration.address(f"restapi/{options.rest_api_id}/stage/{options.stage}")
    unread = [d for d in configuration.diagnostics if d.rule_id == "LIVE006" and ":restapi" in (d.address or "")]
    if configuration.resource(stage_address) is None and not unread:
        _error(f"doctor: REST API {options.rest_api_id} has no stage {options.stage!r} in {configuration.region}")
        return 2
    result = run_live_check(view, CheckOptions())
    [account] = configuration.resources("aws_api_gateway_account")
    role = account.attr("cloudwatch_role_arn")
    role_set = None if isinstance(role, Unknown) else bool(role)
    answer = checklist(stage_address, result.findings, role_set, configuration.resource(stage_address) is not None)
    _write(render_json(answer) if options.format == "json" else render_text(answer), options.output)
    return 1 if answer.failed else 0


def _drift(options: argparse.Namespace) -> int:
    from dataclasses import replace

    from tf_apigw_lint.config import load_config
    from tf_apigw_lint.drift import StateError, drift, read_state
    from tf_apigw_lint.live.build import Scope
    from tf_apigw_lint.live.reader import LiveError
    from tf_apigw_lint.live.scan import ScanOptions, scan
    from tf_apigw_lint.model.build import build_model
    from tf_apigw_lint.model.build import BuildOptions
    from tf_apigw_lint.plan.configuration import build_plan_model
    from tf_apigw_lint.report.summary import summarize
    from tf_apigw_lint.runner import CheckOptions, run_live_check

    if options.baseline:
        raise UsageError("drift: --baseline applies to check: drift reports what differs today")
    config = load_config(options.config)
    build = BuildOptions(assignments=options.assignments, workspace=options.workspace, environ=dict(os.environ))
    path = options.paths or "."
    model = build_plan_model(options.plan, options.paths, build) if options.plan else build_model([path], build)
    broken = [f.path for f in model.files if f.error is not None]
    if broken:
        raise UsageError(f"drift: {broken[0]}: cannot parse it; run tf-apigw-lint check for details")
    try:
        state = read_state(options.state) if options.state else None
    except StateError as error:
        raise UsageError(str(error)) from None
    try:
        # --jobs is the common option (parse processes); here it also bounds the account regions read at once.
        scan_options = ScanOptions(regions=tuple(options.region), scope=Scope(options.rest_api_id, options.stage), jobs=options.jobs or 4)
        view = scan(_aws_session(options), scan_options)
    except LiveError as error:
        _error(f"drift: {error}")
        return 2
    if not model.files and not options.quiet:  # said once the run can go on, not before a failure
        _error(f"drift: no Terraform files found in {path}: there is no configuration to compare")
    for deployed in view.configurations:
        view.scan_diagnostics.extend(drift(model.configurations, deployed, state))
    settings = _rule_settings(config, _rule_list(options.select, "--select"), _rule_list(options.ignore, "--ignore"))
    result = run_live_check(view, CheckOptions(rules=settings, strict=options.strict or config.strict))
    # drift answers one question: what differs (and what could not be read to tell).
    result.findings = [f for f in result.findings if f.rule_id in ("LIVE005", "LIVE006")]
    result.summary = replace(
        summarize(result.findings, files=len(model.files), modules=len(view.configurations)), account_regions=len(view.configurations)
    )
    _write(_render_live(options, result), options.output)
    return 1 if result.fails(options.fail_on or config.fail_on or "error") else 0
