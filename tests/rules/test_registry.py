"""The rule registry: every rule module registered once, documented, tested, and its
documentation examples true (Bad raises the rule, Good does not)."""

from __future__ import annotations

import json
import pkgutil
import re
import textwrap
from pathlib import Path

import pytest

import tf_apigw_lint.rules as rules_package
from tf_apigw_lint.findings import Severity
from tf_apigw_lint.rules import BY_ID, BY_NAME, RULES, resolve
from tf_apigw_lint.drift import drift
from tf_apigw_lint.live.configuration import LiveView
from tf_apigw_lint.model.build import BuildOptions, build_model
from tf_apigw_lint.report.rule_docs import SECTIONS, examples, rules_document, rules_table, sections, with_rules_table
from tf_apigw_lint.runner import CheckOptions, run_live_check
from live_state import read_state

ROOT = Path(__file__).resolve().parents[2]
NOT_RULES = {"engine"}
# LIVE rules judge deployed state: their examples are AWS's answers (```json live), which the
# tests read through a fake reader into the live backend, not Terraform.
_LIVE_FENCE = re.compile(r"```json live\n(.*?)```", re.DOTALL)


def rule_examples(rule, kind: str) -> list[str]:
    if rule.ID.startswith("LIVE"):
        return _LIVE_FENCE.findall(sections(rule).get(kind, ""))
    return examples(rule, kind)


SPEC_IDS = set(re.findall(r"^\| ((?:APIGW|TFL|LIVE)\d{3}) \| ([a-z0-9-]+) \|", (ROOT.parent / "shared" / "SPEC.md").read_text(), re.M)) \
    if (ROOT.parent / "shared" / "SPEC.md").exists() else None


def test_every_rule_module_is_registered_once():
    modules = {name for _, name, _ in pkgutil.iter_modules(rules_package.__path__)} - NOT_RULES
    registered = [rule.__name__.rsplit(".", 1)[1] for rule in RULES]
    assert sorted(registered) == sorted(modules)
    assert len(set(registered)) == len(registered)


def test_ids_and_names_are_unique_and_well_formed():
    assert len(BY_ID) == len(RULES) and len(BY_NAME) == len(RULES)
    for rule in RULES:
        assert re.fullmatch(r"(APIGW|TFL|LIVE)\d{3}", rule.ID)
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.NAME)
        assert isinstance(rule.SEVERITY, Severity)
        assert rule.TITLE and rule.FIX
        assert resolve(rule.ID) is rule and resolve(rule.NAME) is rule and resolve(rule.ID.lower()) is rule


@pytest.mark.skipif(SPEC_IDS is None, reason="shared/SPEC.md is not beside the repository")
def test_ids_and_names_match_the_spec():
    spec = dict(SPEC_IDS)
    for rule in RULES:
        assert spec.get(rule.ID) == rule.NAME, rule.ID


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.ID)
def test_rule_is_documented(rule):
    found = sections(rule)
    required = [s for s in SECTIONS if s not in ("Bad", "Good")] if rule.check is None else list(SECTIONS)
    missing = [s for s in required if not found.get(s)]
    assert not missing, f"{rule.ID} lacks sections {missing}"
    if rule.check is not None:
        assert rule_examples(rule, "Bad") and rule_examples(rule, "Good")


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.ID)
def test_rule_is_tested(rule):
    tests = [p for p in (ROOT / "tests").rglob("test_*.py") if p.name != "test_registry.py"]
    assert any(rule.ID in p.read_text() for p in tests), f"no test names {rule.ID}"


def example_files(code: str) -> dict[str, str]:
    """An example is main.tf; a line `# file: PATH` starts another file."""
    files, name = {}, "main.tf"
    for line in textwrap.dedent(code).splitlines(keepends=True):
        if line.startswith("# file: "):
            name = line[len("# file: "):].strip()
            continue
        files[name] = files.get(name, "") + line
    return files


EXAMPLES = [(rule, kind, i, code) for rule in RULES if rule.check is not None
            for kind in ("Bad", "Good") for i, code in enumerate(rule_examples(rule, kind))]


@pytest.mark.parametrize("rule, kind, index, code", EXAMPLES,
                         ids=[f"{r.ID}-{k}{i}" for r, k, i, _ in EXAMPLES])
def test_documentation_example(lint, tf_tree, rule, kind, index, code):
    if rule.ID.startswith("LIVE"):
        state = json.loads(code)
        deployed = read_state(state)
        view = LiveView([deployed])
        if "terraform" in state:  # drift: the configuration the deployed state is compared with
            model = build_model([str(tf_tree({"main.tf": state["terraform"]}))], BuildOptions())
            view.scan_diagnostics.extend(drift(model.configurations, deployed, None))
        result = run_live_check(view, CheckOptions())
    else:
        # Exhaustive: the tool findings' examples hold no API Gateway resource type.
        result = lint(example_files(code), exhaustive=True)
    raised = [f for f in result.findings if f.rule_id == rule.ID]
    if kind == "Bad":
        assert raised, f"{rule.ID} Bad example does not raise it"
        assert all(f.certain for f in raised)
    else:
        assert not raised, f"{rule.ID} Good example raises it: {[f.message for f in raised]}"


def test_readme_rule_table_is_current():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert with_rules_table(readme, RULES) == readme, "run: python -m tf_apigw_lint.report.rule_docs"
    assert rules_table(RULES) in readme


def test_rules_document_is_current():
    assert (ROOT / "docs" / "rules.md").read_text(encoding="utf-8") == rules_document(RULES), \
        "run: python -m tf_apigw_lint.report.rule_docs"
