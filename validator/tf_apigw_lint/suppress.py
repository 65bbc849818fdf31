"""Inline suppressions (SPEC §7): the step between rules and report.

    # tf-apigw-lint:ignore APIGW104,execution-logging-not-info -- dev stage, traced on purpose

`#`, `//` and `/* */` comments all work; rules are ids or names, separated by commas (or
spaces); the reason after ` -- ` is optional. A suppression applies to findings of the rules
it names that

- start on the line where the comment starts (a trailing comment on the finding's first
  line), or
- lie inside the top-level block (resource, data, module, ...) directly below the comment:
  the comment is one of the comment-only lines that end on the line just above the block's
  first line (a blank line or code ends the run).

A suppressed finding is kept with `suppressed=True` and the reason: it is counted and shown
as suppressed, and never fails the run. A `tf-apigw-lint:` comment naming an unknown rule,
no rule, or a directive other than `ignore` becomes a TFL002 finding at the comment; the
rules it names correctly still apply.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from tf_apigw_lint.findings import Finding
from tf_apigw_lint.load import syntax as s
from tf_apigw_lint.rules import resolve
from tf_apigw_lint.rules import tfl002_unknown_suppression as unknown_suppression
from tf_apigw_lint.rules.engine import RuleSettings, display_path

PREFIX = "tf-apigw-lint:"
DIRECTIVE = "ignore"
USAGE = f"{PREFIX}{DIRECTIVE} ID[,ID...] [-- reason]"
_SEPARATORS = re.compile(r"[,\s]+")


@dataclass(frozen=True)
class Directive:
    """A parsed `tf-apigw-lint:` comment: the rule ids it suppresses (known ones only), its
    reason, and what is wrong with it (one message per problem, reported as TFL002)."""

    rule_ids: frozenset[str]
    reason: str | None
    problems: tuple[str, ...] = ()


def parse_directive(text: str) -> Directive | None:
    """The directive in a comment's text (markers removed); None when it is not ours."""
    if not text.startswith(PREFIX):
        return None
    words = " ".join(text[len(PREFIX):].split())
    directive, _, rest = words.partition(" ")
    if directive != DIRECTIVE:
        return Directive(frozenset(), None, (f"unknown directive '{PREFIX}{directive}': expected {USAGE}",))
    names_text, _, reason = rest.partition("--")
    names = [name for name in _SEPARATORS.split(names_text) if name]
    if not names:
        return Directive(frozenset(), None, (f"suppression names no rule: expected {USAGE}",))
    ids, problems = [], []
    for name in names:
        rule = resolve(name)
        if rule is None:
            problems.append(f"suppression names unknown rule {name!r}, nothing is suppressed for it (see tf-apigw-lint rules)")
        else:
            ids.append(rule.ID)
    return Directive(frozenset(ids), reason.strip() or None, tuple(problems))


@dataclass(frozen=True)
class _Scope:
    """Where one directive applies in its file: findings starting on `first_line`, or, for a
    block scope, findings lying within `first_line`..`last_line`."""

    directive: Directive
    first_line: int
    last_line: int | None = None

    def covers(self, finding: Finding) -> bool:
        if finding.rule_id not in self.directive.rule_ids:
            return False
        if self.last_line is None:
            return finding.line == self.first_line
        return self.first_line <= finding.line and finding.end_line <= self.last_line


def apply_suppressions(
    findings: Iterable[Finding],
    files: Iterable[s.SourceFile],
    settings: Mapping[str, RuleSettings] | None = None,
    *,
    cwd: str | None = None,
) -> list[Finding]:
    """`findings` with the inline suppressions of `files` applied, plus a TFL002 finding per
    problem (unless TFL002 is disabled in `settings`), sorted. Finding paths are display
    paths, relative to `cwd` when inside it."""
    cwd = cwd or os.getcwd()
    tfl002 = (settings or {}).get(unknown_suppression.ID, RuleSettings())
    scopes: dict[str, list[_Scope]] = {}
    problems: list[Finding] = []
    for source in files:
        directives = {id(c): d for c in source.comments if (d := parse_directive(c.text)) is not None}
        if not directives:
            continue
        file_scopes = scopes.setdefault(_key(source.path, cwd), [])
        for comment in source.comments:
            directive = directives.get(id(comment))
            if directive is None:
                continue
            file_scopes.append(_Scope(directive, comment.line))
            if tfl002.enabled:
                problems.extend(_problem(source.path, comment, message, tfl002, cwd) for message in directive.problems)
        for block, comments in _comments_above_blocks(source):
            file_scopes.extend(
                _Scope(directives[id(c)], block.range.line, block.range.end_line) for c in comments if id(c) in directives
            )
    result = [_suppressed(finding, scopes.get(_key(finding.path, cwd), ()) if finding.path is not None else ()) for finding in findings]
    return sorted(result + problems, key=lambda f: f.sort_key)


def _suppressed(finding: Finding, scopes: Iterable[_Scope]) -> Finding:
    if finding.suppressed:
        return finding
    covering = [scope for scope in scopes if scope.covers(finding)]
    if not covering:
        return finding
    # The trailing comment on the finding's own line is the most specific reason.
    covering.sort(key=lambda scope: scope.last_line is not None)
    reason = next((scope.directive.reason for scope in covering if scope.directive.reason), None)
    return dataclasses.replace(finding, suppressed=True, suppression_reason=reason)


def _comments_above_blocks(source: s.SourceFile) -> Iterable[tuple[s.Block, list[s.Comment]]]:
    """Each top-level block with the comment-only lines directly above its first line."""
    if source.body is None:
        return
    blocks = source.body.blocks()
    code_ranges = [block.range for block in blocks] + [attribute.range for attribute in source.body.attributes.values()]

    def own_line(comment: s.Comment) -> bool:
        # A comment on a line with code (a trailing comment, or after a closing brace)
        # belongs to that code, not to the block below.
        return not any(r.line <= comment.end_line and comment.line <= r.end_line for r in code_ranges)

    ending_on: dict[int, list[s.Comment]] = {}
    for comment in source.comments:
        if own_line(comment):
            ending_on.setdefault(comment.end_line, []).append(comment)
    for block in blocks:
        above: list[s.Comment] = []
        line = block.range.line - 1
        while line in ending_on:
            run = ending_on[line]
            above.extend(run)
            line = min(comment.line for comment in run) - 1
        if above:
            yield block, above


def _problem(path: str, comment: s.Comment, message: str, settings: RuleSettings, cwd: str) -> Finding:
    rule = unknown_suppression
    return Finding(
        rule_id=rule.ID,
        rule=rule.NAME,
        severity=settings.severity or rule.SEVERITY,
        certain=True,
        message=message,
        fix=rule.FIX,
        path=display_path(path, cwd),
        line=comment.line,
        column=comment.column,
        end_line=comment.end_line,
        end_column=comment.end_column,
    )


def _key(path: str, cwd: str) -> str:
    return os.path.normcase(os.path.normpath(os.path.join(cwd, path)))
