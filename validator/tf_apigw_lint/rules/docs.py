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
