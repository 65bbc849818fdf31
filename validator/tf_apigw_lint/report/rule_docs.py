"""A rule's documentation is its module docstring; this reads it for `explain`, the output
formats and the tests that run every Bad / Good example."""

from __future__ import annotations

import inspect
import re
from types import ModuleType

from tf_apigw_lint.report.rulemeta import RuleInfo, help_uri_for

SECTIONS = ("What it does", "Why is this bad", "Bad", "Good", "Fix", "References")
_FENCE = re.compile(r"```hcl\n(.*?)```", re.DOTALL)


def docstring(rule: ModuleType) -> str:
    return inspect.cleandoc(rule.__doc__ or "")


def sections(rule: ModuleType) -> dict[str, str]:
    """Section title → text, for every `## Title` in the docstring."""
    found: dict[str, str] = {}
    current = None
    for line in docstring(rule).splitlines():
        if line.startswith("## "):
            current = line[3:].strip()
            found[current] = ""
        elif current is not None:
            found[current] += line + "\n"
    return {title: text.strip() for title, text in found.items()}


def examples(rule: ModuleType, section: str) -> list[str]:
    """The HCL code blocks of the `Bad` or `Good` section."""
    return _FENCE.findall(sections(rule).get(section, ""))


def rule_info(rule: ModuleType) -> RuleInfo:
    return RuleInfo(
        id=rule.ID,
        name=rule.NAME,
        severity=rule.SEVERITY,
        title=rule.TITLE,
        fix=rule.FIX,
        doc=docstring(rule),
        help_uri=help_uri_for(rule.ID),
    )


def explain(rule: ModuleType) -> str:
    """The full documentation as `tf-apigw-lint explain` prints it."""
    header = f"{rule.ID} {rule.NAME} ({rule.SEVERITY.value}): {rule.TITLE}"
    body = docstring(rule).split("\n", 1)[1].strip() if "\n" in docstring(rule) else ""
    options = getattr(rule, "OPTIONS", {})
    extra = ""
    if options:
        extra = "\n\n## Options\n" + "\n".join(f"- {name} (default {value!r})" for name, value in options.items())
    return f"{header}\n\n{body}{extra}\n"


def rules_table(rules) -> str:
    """The README's rule table."""
    lines = ["| id | name | severity | finds |", "|---|---|---|---|"]
    for rule in rules:
        lines.append(f"| [{rule.ID}](docs/rules.md#{rule.ID.lower()}) | `{rule.NAME}` | {rule.SEVERITY.value} | {rule.TITLE} |")
    return "\n".join(lines) + "\n"


def rules_document(rules) -> str:
    """docs/rules.md: every rule's full documentation (the SARIF helpUri points here)."""
    parts = ["# tf-apigw-lint rules\n\nGenerated from the rule modules by `python -m tf_apigw_lint.report.rule_docs`; do not edit.\n"]
    for rule in rules:
        body = docstring(rule).split("\n", 1)[1].strip() if "\n" in docstring(rule) else ""
        body = re.sub(r"^## ", "### ", body, flags=re.MULTILINE)
        parts.append(f"<a id=\"{rule.ID.lower()}\"></a>\n## {rule.ID} {rule.NAME}\n\n"
                     f"**{rule.TITLE}** — default severity: {rule.SEVERITY.value}\n\n{body}\n")
    return "\n".join(parts)


TABLE_START = "<!-- rules-table:start -->\n"
TABLE_END = "<!-- rules-table:end -->"


def with_rules_table(readme: str, rules) -> str:
    head, _, rest = readme.partition(TABLE_START)
    _, _, tail = rest.partition(TABLE_END)
    return head + TABLE_START + rules_table(rules) + TABLE_END + tail


if __name__ == "__main__":
    # Regenerate the README rule table and docs/rules.md: python -m tf_apigw_lint.report.rule_docs
    from pathlib import Path

    from tf_apigw_lint.rules import RULES

    root = Path.cwd()
    readme = root / "README.md"
    readme.write_text(with_rules_table(readme.read_text(encoding="utf-8"), RULES), encoding="utf-8")
    (root / "docs" / "rules.md").write_text(rules_document(RULES), encoding="utf-8")
