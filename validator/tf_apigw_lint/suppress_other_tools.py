"""Other tools' skip comments that mean one of our rules (SPEC §7).

A team that already runs Checkov, Trivy (or its predecessor tfsec) or tflint has decided,
resource by resource, that some of their checks do not apply. Where such a check finds
the same mistake as one of our rules, its skip comment suppresses our finding too, with
the other tool named in `suppression_reason` (`"checkov CKV_AWS_76: reason"`). Each tool's
comment keeps the placement that tool gives it:

- Checkov `#checkov:skip=CKV_AWS_76:reason` (also `bridgecrew:skip=`, several ids
  comma-separated) anywhere inside a top-level block: the whole block.
- Trivy `#trivy:ignore:AVD-AWS-0001` / tfsec `#tfsec:ignore:aws-api-gateway-enable-access-logging`
  in the comment lines directly above a block or on its first line: the whole block;
  elsewhere: findings starting on the comment's line or the line below. An `:exp:DATE`
  past today no longer applies, as in Trivy. Ignores narrowed to attribute values
  (`[key=value]`) or workspaces (`:ws:`) are not honoured: we cannot tell whether they match.
- tflint `# tflint-ignore: rule_a, rule_b # reason`: findings starting on the comment's line
  or the line below, as in tflint.

Only the checks in `EQUIVALENTS` count; other ids, Trivy's `*` and tflint's `all` are not
ours to interpret and are ignored silently. The README's table is generated from
`EQUIVALENTS`: `python -m tf_apigw_lint.suppress_other_tools` rewrites it.
"""

from __future__ import annotations

import datetime
import enum
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Equivalent:
    """A check of another tool that finds what `rule_ids` find. `check` is the id the tool
    prints; `also_written` are the other spellings its skip comments accept."""

    tool: str
    check: str
    rule_ids: tuple[str, ...]
    finds: str
    also_written: tuple[str, ...] = ()


EQUIVALENTS: tuple[Equivalent, ...] = (
    Equivalent("checkov", "CKV_AWS_76", ("APIGW201", "APIGW301"),
               "a REST or HTTP/WebSocket API stage without access logging"),
    Equivalent("checkov", "CKV2_AWS_4", ("APIGW101", "APIGW105"),
               "a REST API stage without method settings at level ERROR or INFO with metrics on"),
    Equivalent("checkov", "CKV_AWS_276", ("APIGW104",), "method settings with data trace on"),
    Equivalent("checkov", "CKV_AWS_66", ("APIGW205",), "a log group without retention"),
    Equivalent("trivy", "AVD-AWS-0001", ("APIGW201", "APIGW301"),
               "a REST or HTTP/WebSocket API stage without access logging",
               ("aws-apigateway-enable-access-logging", "aws-api-gateway-enable-access-logging", "AWS061")),
    Equivalent("tflint", "aws_cloudwatch_log_group_retention", ("APIGW205",),
               "a log group with less than 365 days of retention, or none"),
)


class Reach(enum.Enum):
    """Where a skip comment applies, by its tool's rules."""

    INSIDE_BLOCK = "inside-block"  # Checkov: anywhere in the block, for the whole block
    BLOCK_OR_NEXT_LINE = "block-or-next-line"  # Trivy/tfsec: above or on a block, else its line and the next
    NEXT_LINE = "next-line"  # tflint: its line and the next


@dataclass(frozen=True)
class Skip:
    """One honoured skip: our rules it covers and the `suppression_reason` it records."""

    rule_ids: frozenset[str]
    reason: str
    reach: Reach


_CHECKOV = re.compile(r"\b(?:checkov|bridgecrew):skip=\s*([A-Za-z0-9_]+(?:\s*,\s*[A-Za-z0-9_]+)*)(?::([^\n]*))?")
_TRIVY = re.compile(r"(?<![\w-])(trivy|tfsec):(ignore:\S+)")
_TFLINT = re.compile(r"^tflint-ignore:\s*([^#/]*)(?:(?:#|//)\s*(.*))?$", re.DOTALL)

_FAMILY = {"checkov": "checkov", "trivy": "trivy", "tfsec": "trivy", "tflint": "tflint"}
_BY_FAMILY_AND_ID = {
    (equivalent.tool, written.lower()): equivalent
    for equivalent in EQUIVALENTS
    for written in (equivalent.check, *equivalent.also_written)
}


def skips_in(text: str, today: datetime.date) -> list[Skip]:
    """The skips of other tools in a comment's text (markers removed) that cover our rules."""
    skips = []
    for match in _CHECKOV.finditer(text):
        reason = (match.group(2) or "").strip()
        for check in match.group(1).split(","):
            skips.extend(_skip("checkov", check.strip(), reason, Reach.INSIDE_BLOCK))
    for match in _TRIVY.finditer(text):
        written = _trivy_id(match.group(2), today)
        if written is not None:
            skips.extend(_skip(match.group(1), written, "", Reach.BLOCK_OR_NEXT_LINE))
    tflint = _TFLINT.match(text.strip())
    if tflint:
        reason = " ".join((tflint.group(2) or "").split())
        for check in tflint.group(1).split(","):
            skips.extend(_skip("tflint", check.strip(), reason, Reach.NEXT_LINE))
    return skips


def _trivy_id(sections: str, today: datetime.date) -> str | None:
    """The check id of `ignore:ID[:exp:DATE]...`, or None when the ignore is narrowed or
    has expired. Sections come in key:value pairs, as Trivy reads them."""
    parts = sections.split(":")
    pairs = dict(zip(parts[::2], parts[1::2]))
    written = pairs.get("ignore", "")
    if not written or "[" in written or "ws" in pairs:
        return None
    if "exp" in pairs:
        try:
            expires = datetime.date.fromisoformat(pairs["exp"])
        except ValueError:
            return None  # Trivy treats an unreadable date as already expired
        if today > expires:
            return None
    return written


def _skip(tool: str, written: str, reason: str, reach: Reach) -> list[Skip]:
    equivalent = _BY_FAMILY_AND_ID.get((_FAMILY[tool], written.lower()))
    if equivalent is None:
        return []
    named = f"{tool} {written}"
    return [Skip(frozenset(equivalent.rule_ids), f"{named}: {reason}" if reason else named, reach)]


# ---------------------------------------------------------------------------
# The README table
# ---------------------------------------------------------------------------

TABLE_START = "<!-- other-tools-table:start -->\n"
TABLE_END = "<!-- other-tools-table:end -->"


_TOOL_SHOWN = {"checkov": "Checkov", "trivy": "Trivy / tfsec", "tflint": "tflint"}


def equivalents_table() -> str:
    lines = ["| tool | check (also accepted) | finds | suppresses |", "|---|---|---|---|"]
    for equivalent in EQUIVALENTS:
        also = f" ({', '.join(f'`{a}`' for a in equivalent.also_written)})" if equivalent.also_written else ""
        rules = ", ".join(f"[{rule_id}](docs/rules.md#{rule_id.lower()})" for rule_id in equivalent.rule_ids)
        lines.append(f"| {_TOOL_SHOWN[equivalent.tool]} | `{equivalent.check}`{also} | {equivalent.finds} | {rules} |")
    return "\n".join(lines) + "\n"


def with_equivalents_table(readme: str) -> str:
    start = readme.index(TABLE_START) + len(TABLE_START)
    return readme[:start] + equivalents_table() + readme[readme.index(TABLE_END):]


if __name__ == "__main__":
    # Regenerate the README table: python -m tf_apigw_lint.suppress_other_tools
    from pathlib import Path

    readme_path = Path(__file__).resolve().parents[2] / "README.md"
    readme_path.write_text(with_equivalents_table(readme_path.read_text(encoding="utf-8")), encoding="utf-8")
