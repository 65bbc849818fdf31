"""Inline suppressions (SPEC §7): the step between rules and report.

    # tf-apigw-lint:ignore APIGW104,execution-logging-not-info -- dev stage, traced on purpose

`#`, `//` and `/* */` comments all work; rules are ids or names, separated by commas (or
spaces); the reason after ` -- ` is optional. A suppression applies to findings of the rules
it names that

- start on the line where the comment starts (a trailing comment on the finding's first
  line), or
- lie inside the top-level block (resource, data, module, ...) the comment belongs to: the
  comment is one of the comment-only lines that end on the line just above the block's
  first line (a blank line or code ends the run), is on the block's first line, or is one
  of the comment-only lines that directly follow the block's first line.

Other tools' skip comments for a check that is one of ours are honoured as well
(`suppress_other_tools`), unless the configuration says `honour_other_tools = false`.

A suppressed finding is kept with `suppressed=True` and the reason: it is counted and shown
as suppressed, and never fails the run. A `tf-apigw-lint:` comment naming an unknown rule,
no rule, a directive other than `ignore`, or a reason without ` -- ` before it becomes a
TFL002 finding at the comment; the rules it names correctly still apply.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime
import difflib
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from tf_apigw_lint.findings import Finding
from tf_apigw_lint.load import syntax as s
from tf_apigw_lint.rules import RULES, resolve
from tf_apigw_lint.rules import tfl002_unknown_suppression as unknown_suppression
from tf_apigw_lint.rules.engine import RuleSettings, display_path
from tf_apigw_lint.suppress_other_tools import Reach, Skip, skips_in

PREFIX = "tf-apigw-lint:"
DIRECTIVE = "ignore"
USAGE = f"{PREFIX}{DIRECTIVE} ID[,ID...] [-- reason]"
_SEPARATORS = re.compile(r"[,\s]+")
# What a misspelt rule id looks like (APIGW2O1, apigw21): letters, then a digit. Any other
# word that is no rule and not close to a rule name starts a reason written without ` -- `.
_ID_SHAPE = re.compile(r"[A-Za-z]{2,}[0-9][A-Za-z0-9]*")
_RULE_NAMES = [rule.NAME for rule in RULES]


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
    names_text, separator, reason = rest.partition("--")
    ids, problems = [], []
    names = [name for name in _SEPARATORS.split(names_text) if name]
    for index, name in enumerate(names):
        rule = resolve(name)
        if rule is not None:
            ids.append(rule.ID)
        elif _ID_SHAPE.fullmatch(name) or difflib.get_close_matches(name.lower(), _RULE_NAMES, n=1, cutoff=0.8):
            problems.append(f"suppression names unknown rule {name!r}, nothing is suppressed for it (see tf-apigw-lint rules)")
        else:
            if ids or problems:
                problems.append(f"{' '.join(names[index:])!r} is not a rule: put a reason after ' -- ': expected {USAGE}")
            break
    if not ids and not problems:
        return Directive(frozenset(), None, (f"suppression names no rule: expected {USAGE}",))
    return Directive(frozenset(ids), (reason.strip() or None) if separator else None, tuple(problems))


@dataclass(frozen=True)
class _Scope:
    """Where one suppression applies in its file: findings starting on `first_line`, or, for
    a block scope, findings lying within `first_line`..`last_line`. Our own comments
    (`own`) give the reason before other tools' skips when several cover one finding."""

    rule_ids: frozenset[str]
    reason: str | None
    first_line: int
    last_line: int | None = None
    own: bool = True

    def covers(self, finding: Finding) -> bool:
        if finding.rule_id not in self.rule_ids:
            return False
        if self.last_line is None:
            return finding.line == self.first_line
        return self.first_line <= finding.line and finding.end_line <= self.last_line


@dataclass(frozen=True)
class _Placement:
    """The top-level block a comment belongs to, and how: `leading` when it is in the
    comment lines above the block, on its first line or in the comment lines right after
    the first line; otherwise it is somewhere inside the block."""

    block: s.Block
    leading: bool


def apply_suppressions(
    findings: Iterable[Finding],
    files: Iterable[s.SourceFile],
    settings: Mapping[str, RuleSettings] | None = None,
    *,
    cwd: str | None = None,
    honour_other_tools: bool = True,
    today: datetime.date | None = None,
) -> list[Finding]:
    """`findings` with the inline suppressions of `files` applied, plus a TFL002 finding per
    problem (unless TFL002 is disabled in `settings`), sorted. Finding paths are display
    paths, relative to `cwd` when inside it. `today` decides whether a Trivy ignore with
    an expiry date still applies."""
    cwd = cwd or os.getcwd()
    today = today or datetime.date.today()
    tfl002 = (settings or {}).get(unknown_suppression.ID, RuleSettings())
    scopes: dict[str, list[_Scope]] = {}
    problems: list[Finding] = []
    for source in files:
        file_scopes: list[_Scope] = []
        placements: dict[int, _Placement] | None = None
        for comment in source.comments:
            directive = parse_directive(comment.text)
            skips = skips_in(comment.text, today) if honour_other_tools and directive is None else []
            if directive is None and not skips:
                continue
            if placements is None:
                placements = _placements(source)
            placement = placements.get(id(comment))
            if directive is not None:
                file_scopes.append(_Scope(directive.rule_ids, directive.reason, comment.line))
                if placement is not None and placement.leading:
                    file_scopes.append(_block_scope(directive.rule_ids, directive.reason, placement.block, own=True))
                if tfl002.enabled:
                    problems.extend(_problem(source.path, comment, message, tfl002, cwd) for message in directive.problems)
            for skip in skips:
                file_scopes.extend(_skip_scopes(skip, comment, placement))
        if file_scopes:
            scopes.setdefault(_key(source.path, cwd), []).extend(file_scopes)
    # Findings without a file (live ones) have no comments to be suppressed by.
    result = [_suppressed(finding, scopes.get(_key(finding.path, cwd), ()) if finding.path is not None else ()) for finding in findings]
    return sorted(result + problems, key=lambda f: f.sort_key)


def _block_scope(rule_ids: frozenset[str], reason: str | None, block: s.Block, *, own: bool) -> _Scope:
    return _Scope(rule_ids, reason, block.range.line, block.range.end_line, own)


def _skip_scopes(skip: Skip, comment: s.Comment, placement: _Placement | None) -> list[_Scope]:
    """Where another tool's skip applies, by that tool's own placement rules."""
    if skip.reach is Reach.INSIDE_BLOCK:
        if placement is None or comment.line < placement.block.range.line:
            return []  # Checkov reads skips inside the block only
        return [_block_scope(skip.rule_ids, skip.reason, placement.block, own=False)]
    if skip.reach is Reach.BLOCK_OR_NEXT_LINE and placement is not None and placement.leading:
        if comment.line <= placement.block.range.line:  # above the block or on its first line
            return [_block_scope(skip.rule_ids, skip.reason, placement.block, own=False)]
    return [_Scope(skip.rule_ids, skip.reason, line, own=False) for line in (comment.line, comment.end_line + 1)]


def _suppressed(finding: Finding, scopes: Iterable[_Scope]) -> Finding:
    if finding.suppressed:
        return finding
    covering = [scope for scope in scopes if scope.covers(finding)]
    if not covering:
        return finding
    # Our own comments first; among them the trailing comment on the finding's own line is
    # the most specific reason.
    covering.sort(key=lambda scope: (not scope.own, scope.last_line is not None))
    reason = next((scope.reason for scope in covering if scope.reason), None)
    return dataclasses.replace(finding, suppressed=True, suppression_reason=reason)


def _placements(source: s.SourceFile) -> dict[int, _Placement]:
    """For each comment (by id) that belongs to a top-level block, that block and whether
    the comment leads it."""
    if source.body is None:
        return {}
    blocks = source.body.blocks()
    top_level_code = [block.range for block in blocks] + [attribute.range for attribute in source.body.attributes.values()]
    placements: dict[int, _Placement] = {}
    by_line = sorted(source.comments, key=lambda c: (c.line, c.column))
    lines = [c.line for c in by_line]

    def comment_only(comment: s.Comment, code: list[s.Range]) -> bool:
        return not any(r.line <= comment.end_line and comment.line <= r.end_line for r in code)

    # A comment on a line with top-level code (a trailing comment, or after a closing
    # brace) belongs to that code, not to the block below.
    ending_on: dict[int, list[s.Comment]] = {}
    for comment in source.comments:
        if comment_only(comment, top_level_code):
            ending_on.setdefault(comment.end_line, []).append(comment)
    for block in blocks:
        first, last = block.range.line, block.range.end_line
        line = first - 1
        while line in ending_on:  # the run of comment lines directly above the block
            run = ending_on[line]
            placements.update((id(c), _Placement(block, leading=True)) for c in run)
            line = min(c.line for c in run) - 1
        inside = by_line[bisect.bisect_left(lines, first):bisect.bisect_right(lines, last)]
        nested_code = [a.range for a in block.body.attributes.values()] + [b.range for b in block.body.blocks()]
        leading_lines = {first}
        next_line = first + 1
        for comment in inside:  # in source order
            if comment.line == next_line and comment_only(comment, nested_code):
                leading_lines.add(comment.line)
                next_line = comment.end_line + 1
            placements[id(comment)] = _Placement(block, leading=comment.line in leading_lines)
    return placements


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
