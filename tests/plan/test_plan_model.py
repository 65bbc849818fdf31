"""The plan model (`model/plan.py`): values, links, dependencies, providers and ranges from
`terraform show -json` output, with and without the configuration directory (PATH)."""

from __future__ import annotations

import json

import pytest
from lint_helpers import per_address
from plan_fixtures import SOURCES, plan_document, write_plan

from tf_apigw_lint.model.build import BuildOptions
from tf_apigw_lint.analysis.apigw import ApiGateway
from tf_apigw_lint.plan.configuration import build_plan_model
from tf_apigw_lint.plan.traversals import Key, maximal_references, module_path, parse_traversal, steps_text
from tf_apigw_lint.view.values import Reference, Unknown
from tf_apigw_lint.runner import CheckOptions, run_check, run_plan_check

LOG_GROUP_ARN = Reference("aws_cloudwatch_log_group.access", "arn", "aws_cloudwatch_log_group")
API_ID = Reference("aws_api_gateway_rest_api.api", "id", "aws_api_gateway_rest_api")


@pytest.fixture
def plan_dir(tf_tree):
    """`plan_dir(document=None, sources=True, indent=None)`: the plan written to plan.json in
    a temporary working directory, with the configuration under cfg/ when `sources`."""

    def make(document=None, sources=True, indent=None):
        root = tf_tree({f"cfg/{name}": text for name, text in SOURCES.items()} if sources else {})
        return write_plan(root, plan_document() if document is None else document, indent=indent)

    return make


def configuration(plan, config_dir=None):
    return build_plan_model(str(plan), config_dir, BuildOptions()).configurations[0]


def instance(config, address):
    found = config.resource(address)
    assert found is not None, address
    return found


def pinned(result, rule_id):
    return sorted((f.rule_id, address, f.path, f.line, f.end_line, f.certain) for f, address in per_address(result.findings) if f.rule_id == rule_id)


# ---------------------------------------------------------------------------
# Traversals
# ---------------------------------------------------------------------------


def test_parse_traversal_and_module_addresses():
    assert parse_traversal('module.a["x"].aws_x.y[0].arn') == ("module", "a", Key("x"), "aws_x", "y", Key(0), "arn")
    assert parse_traversal("aws_x.y.0.id") == ("aws_x", "y", Key(0), "id")
    assert parse_traversal("aws_x.y[*].id") == ("aws_x", "y")
    assert parse_traversal("not a traversal") is None
    assert module_path('module.a["x"].module.b[2]') == (("a", "x"), ("b", 2))
    assert module_path("") == ()
    assert module_path("aws_x.y") is None


def test_only_the_longest_references_count():
    references = ["aws_x.y[0].arn", "aws_x.y[0]", "aws_x.y", "module.m.out", "module.m", "var.v"]
    assert maximal_references(references) == [("aws_x", "y", Key(0), "arn"), ("module", "m", "out"), ("var", "v")]


# ---------------------------------------------------------------------------
# Values
# ---------------------------------------------------------------------------


def test_planned_values_and_unknown_after_apply(plan_dir):
    config = configuration(plan_dir(sources=False))
    prod = instance(config, "aws_api_gateway_stage.prod")
    assert prod.attr("stage_name") == "prod"
    [logs] = prod.blocks("access_log_settings")
    # Unknown until apply, but its expression is the log group's arn: a Reference.
    assert logs.attr("destination_arn") == LOG_GROUP_ARN
    assert logs.attr("format") == "$context.requestId $context.status"
    assert prod.attr("rest_api_id") == API_ID
    # Optional+Computed and not set: the provider decides, as if unset.
    settings = instance(config, "aws_api_gateway_method_settings.prod")
    assert settings.blocks("settings")[0].attr("data_trace_enabled") is None
    assert not settings.blocks("settings")[0].has("data_trace_enabled")
    assert settings.blocks("settings")[0].attr("logging_level") == "INFO"
    assert instance(config, "aws_api_gateway_stage.dev").blocks("access_log_settings") == []


def test_module_inputs_are_followed_to_the_resource(plan_dir):
    config = configuration(plan_dir(sources=False))
    stage = instance(config, 'module.edge["us"].aws_api_gateway_stage.this[1]')
    assert stage.attr("rest_api_id") == API_ID  # var.rest_api_id -> the caller's argument
    assert stage.attr("stage_name") == "us-1"
    assert stage.key == 1 and stage.module.address == 'module.edge["us"]'


def test_without_path_locals_and_computed_indexes_stay_unknown(plan_dir):
    config = configuration(plan_dir(sources=False))
    # rest_api_id = local.api_id: Terraform's JSON has no locals.
    assert isinstance(instance(config, "aws_api_gateway_stage.dev").attr("rest_api_id"), Unknown)
    # destination_arn = aws_cloudwatch_log_group.access[count.index].arn: the JSON keeps
    # only "aws_cloudwatch_log_group.access" and "count.index".
    [logs] = instance(config, 'module.edge["eu"].aws_api_gateway_stage.this[0]').blocks("access_log_settings")
    assert isinstance(logs.attr("destination_arn"), Unknown)


def test_with_path_the_source_resolves_locals_and_instance_keys(plan_dir):
    config = configuration(plan_dir(), "cfg")
    assert instance(config, "aws_api_gateway_stage.dev").attr("rest_api_id") == API_ID
    [logs] = instance(config, 'module.edge["eu"].aws_api_gateway_stage.this[1]').blocks("access_log_settings")
    assert logs.attr("destination_arn") == Reference('module.edge["eu"].aws_cloudwatch_log_group.access[1]', "arn", "aws_cloudwatch_log_group")


def test_known_identifier_of_an_existing_resource_is_still_a_link(plan_dir):
    document = plan_document()
    changes = {c["address"]: c for c in document["resource_changes"]}
    for resource in document["planned_values"]["root_module"]["resources"]:
        if resource["address"] == "aws_api_gateway_rest_api.api":
            resource["values"]["id"] = "a1b2c3"
            del changes["aws_api_gateway_rest_api.api"]["change"]["after_unknown"]["id"]
        if resource["address"] == "aws_api_gateway_stage.prod":
            resource["values"]["rest_api_id"] = "a1b2c3"
            del changes["aws_api_gateway_stage.prod"]["change"]["after_unknown"]["rest_api_id"]
        if resource["address"] == "aws_api_gateway_method_settings.prod":
            resource["values"]["rest_api_id"] = "a1b2c3-other"  # not the plain reference it claims
            del changes["aws_api_gateway_method_settings.prod"]["change"]["after_unknown"]["rest_api_id"]
    config = configuration(plan_dir(document, sources=False))
    assert instance(config, "aws_api_gateway_stage.prod").attr("rest_api_id") == API_ID
    assert instance(config, "aws_api_gateway_method_settings.prod").attr("rest_api_id") == "a1b2c3-other"


def test_partly_unknown_values_and_unknown_block_lists(plan_dir):
    document = plan_document()
    for resource in document["planned_values"]["root_module"]["resources"]:
        if resource["address"] == "aws_api_gateway_rest_api.api":
            resource["values"]["tags"] = {"team": "pets", "owner": None}
    for change in document["resource_changes"]:
        if change["address"] == "aws_api_gateway_rest_api.api":
            change["change"]["after_unknown"]["tags"] = {"owner": True}
        if change["address"] == "aws_api_gateway_stage.dev":
            change["change"]["after_unknown"]["access_log_settings"] = True  # a dynamic block over an unknown set
    config = configuration(plan_dir(document, sources=False))
    tags = instance(config, "aws_api_gateway_rest_api.api").attr("tags")
    assert tags["team"] == "pets" and isinstance(tags["owner"], Unknown)
    [block] = instance(config, "aws_api_gateway_stage.dev").blocks("access_log_settings")
    assert block.uncertain and isinstance(block.attr("destination_arn"), Unknown)


def test_data_sources_from_the_prior_state(plan_dir):
    document = plan_document()
    document["prior_state"] = {
        "format_version": "1.0",
        "values": {"root_module": {"resources": [
            {"address": "data.aws_region.current", "mode": "data", "type": "aws_region", "name": "current", "provider_name": "registry.terraform.io/hashicorp/aws", "values": {"name": "us-east-1"}},
        ]}},
    }
    config = configuration(plan_dir(document, sources=False))
    region = instance(config, "data.aws_region.current")
    assert region.mode == "data" and region.attr("name") == "us-east-1"
    assert list(config.resources("aws_region", mode="data")) == [region]


# ---------------------------------------------------------------------------
# Links, dependencies, providers
# ---------------------------------------------------------------------------


def test_method_settings_link_to_their_stage_by_reference(plan_dir):
    config = configuration(plan_dir(sources=False))
    apigw = ApiGateway(config)
    for address, stage in (
        ("aws_api_gateway_method_settings.prod", "aws_api_gateway_stage.prod"),
        ('module.edge["us"].aws_api_gateway_method_settings.this[1]', 'module.edge["us"].aws_api_gateway_stage.this[1]'),
    ):
        links = apigw.links_of_settings(instance(config, address))
        assert [(link.stage.address, link.by_reference, link.certain) for link in links] == [(stage, True, True)]


def test_dependencies_follow_references_depends_on_and_module_depends_on(plan_dir):
    plan = plan_dir()
    config = configuration(plan)
    account = instance(config, "aws_api_gateway_account.this")
    api = instance(config, "aws_api_gateway_rest_api.api")
    module_settings = instance(config, 'module.edge["eu"].aws_api_gateway_method_settings.this[0]')
    assert config.depends_on(instance(config, "aws_api_gateway_method_settings.prod"), account)  # depends_on
    assert config.depends_on(module_settings, account)  # the module call's depends_on
    assert config.depends_on(module_settings, api)  # var.rest_api_id -> the caller's argument
    assert not config.depends_on(instance(config, "aws_api_gateway_stage.prod"), account)
    # Through local.api_id only when the source says what the local is.
    dev = "aws_api_gateway_stage.dev"
    assert not config.depends_on(instance(config, dev), api)
    with_source = configuration(plan, "cfg")
    assert with_source.depends_on(instance(with_source, dev), instance(with_source, "aws_api_gateway_rest_api.api"))


def test_providers_and_regions(plan_dir):
    plan = plan_dir()
    config = configuration(plan)
    stage, west = instance(config, "aws_api_gateway_stage.prod"), instance(config, "aws_cloudwatch_log_group.west")
    assert (stage.provider.display, west.provider.display) == ("aws", "aws.west")
    assert west.provider.region == "us-west-2"
    region = stage.provider.region
    assert isinstance(region, Unknown) and "var.region" in region.reason
    # With PATH the provider block is evaluated with the plan's variables (not the default).
    config = configuration(plan, "cfg")
    assert instance(config, "aws_api_gateway_stage.prod").provider.region == "us-east-1"
    assert instance(config, 'module.edge["eu"].aws_api_gateway_stage.this[0]').provider.display == "aws"
    assert ApiGateway(config).accounts_for(instance(config, 'module.edge["eu"].aws_api_gateway_stage.this[0]').provider) == [instance(config, "aws_api_gateway_account.this")]


def test_module_provider_key_of_older_terraform_falls_back_to_the_parent(plan_dir):
    document = plan_document()
    edge = document["configuration"]["root_module"]["module_calls"]["edge"]["module"]
    for resource in edge["resources"]:
        resource["provider_config_key"] = "module.edge:aws"
    config = configuration(plan_dir(document, sources=False))
    assert instance(config, 'module.edge["us"].aws_api_gateway_stage.this[0]').provider is instance(config, "aws_api_gateway_stage.prod").provider


# ---------------------------------------------------------------------------
# Ranges and findings
# ---------------------------------------------------------------------------


def _line_and_column(text: str, needle: str) -> tuple[int, int]:
    start = text.index('"planned_values"')
    offset = text.index(needle, start)
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


@pytest.mark.parametrize("indent", [None, 2])
def test_without_path_findings_point_at_the_address_in_the_plan(plan_dir, indent):
    plan = plan_dir(sources=False, indent=indent)
    result = run_plan_check(str(plan), None, CheckOptions())
    text = plan.read_text()
    line, column = _line_and_column(text, '"address": "aws_api_gateway_stage.dev"')
    [finding] = [f for f in result.findings if f.rule_id == "APIGW201"]
    assert (finding.address, finding.path, finding.line, finding.column) == ("aws_api_gateway_stage.dev", "plan.json", line, column)
    assert finding.end_column == column + len('"address": "aws_api_gateway_stage.dev"')
    assert indent is not None or line == 1


def test_findings_pinned_by_address_without_path(plan_dir):
    plan = plan_dir(sources=False, indent=2)
    result = run_plan_check(str(plan), None, CheckOptions())
    text = plan.read_text()

    def at(address):
        line, _ = _line_and_column(text, json.dumps({"address": address})[1:-1])
        return line

    assert pinned(result, "APIGW201") == [("APIGW201", "aws_api_gateway_stage.dev", "plan.json", at("aws_api_gateway_stage.dev"), at("aws_api_gateway_stage.dev"), True)]
    assert pinned(result, "APIGW102") == sorted([
        ("APIGW102", address, "plan.json", at(address), at(address), True)
        for address in (
            "aws_api_gateway_method_settings.dev",
            'module.edge["us"].aws_api_gateway_method_settings.this[0]',
            'module.edge["us"].aws_api_gateway_method_settings.this[1]',
        )
    ])
    assert pinned(result, "APIGW001") == []  # the account declares the role
    assert pinned(result, "APIGW004") == []  # every logging method settings depends on it


def test_findings_pinned_by_source_range_with_path(plan_dir):
    result = run_plan_check(str(plan_dir()), "cfg", CheckOptions())
    assert pinned(result, "APIGW201") == [("APIGW201", "aws_api_gateway_stage.dev", "cfg/main.tf", 46, 50, True)]
    assert pinned(result, "APIGW102") == [
        ("APIGW102", "aws_api_gateway_method_settings.dev", "cfg/main.tf", 68, 68, True),
        ("APIGW102", 'module.edge["us"].aws_api_gateway_method_settings.this[0]', "cfg/modules/edge/main.tf", 27, 27, True),
        ("APIGW102", 'module.edge["us"].aws_api_gateway_method_settings.this[1]', "cfg/modules/edge/main.tf", 27, 27, True),
    ]


def test_plan_with_path_finds_what_static_analysis_finds(plan_dir):
    plan = plan_dir()
    static = run_check(["cfg"], CheckOptions())

    def key(f):
        return (f.rule_id, f.address, f.path, f.line, f.column, f.end_line, f.end_column, f.certain, f.message)

    assert sorted(map(key, run_plan_check(str(plan), "cfg", CheckOptions()).findings)) == sorted(map(key, static.findings))


def test_inline_suppressions_in_path_apply_to_plan_findings(plan_dir, tf_tree):
    plan = plan_dir()
    main = SOURCES["main.tf"].replace('resource "aws_api_gateway_stage" "dev" {', '# tf-apigw-lint:ignore APIGW201 -- dev has no logs\nresource "aws_api_gateway_stage" "dev" {')
    tf_tree({"cfg/main.tf": main})
    [finding] = [f for f in run_plan_check(str(plan), "cfg", CheckOptions()).findings if f.rule_id == "APIGW201"]
    assert finding.suppressed and finding.suppression_reason == "dev has no logs"


def test_unparsable_file_in_path_is_reported(plan_dir, tf_tree):
    plan = plan_dir()
    tf_tree({"cfg/broken.tf": 'resource "x" "y" {\n'})
    result = run_plan_check(str(plan), "cfg", CheckOptions())
    assert [(f.rule_id, f.path) for f in result.findings if f.rule_id == "TFL001"] == [("TFL001", "cfg/broken.tf")]


def test_non_ascii_module_keys_as_terraform_prints_them(plan_dir):
    text = json.dumps(plan_document(), ensure_ascii=False).replace('\\"eu\\"', '\\"prüfung\\"').replace('"eu"', '"prüfung"')
    config = configuration(plan_dir(json.loads(text), sources=False))
    stages = config.instances_of('module.edge["prüfung"].aws_api_gateway_stage.this')
    assert [stage.address for stage in stages] == [
        'module.edge["prüfung"].aws_api_gateway_stage.this[0]',
        'module.edge["prüfung"].aws_api_gateway_stage.this[1]',
    ]
    assert steps_text(parse_traversal('module.m["prüfung"].aws_x.y')) == 'module.m["prüfung"].aws_x.y'


@pytest.mark.parametrize("account_region, covered", [("us-east-1", True), ("us-west-2", False)])
def test_planned_region_of_a_resource_decides_its_account_region(plan_dir, account_region, covered):
    """AWS provider v6 plans a `region` for every resource: without PATH the provider's
    region (`var.region`) is unknown, but each resource's planned region is known."""
    document = plan_document()
    for resource in document["planned_values"]["root_module"]["resources"]:
        resource["values"]["region"] = account_region if resource["type"] == "aws_api_gateway_account" else "us-east-1"
    config = configuration(plan_dir(document, sources=False))
    stage, account = instance(config, "aws_api_gateway_stage.prod"), instance(config, "aws_api_gateway_account.this")
    assert (stage.provider.display, stage.provider.region, account.provider.region) == ("aws", "us-east-1", account_region)
    assert ApiGateway(config).accounts_for(stage.provider) == ([account] if covered else [])


def test_plan_mode_reads_the_workspace_terraform_recorded(tf_tree):
    """`terraform.workspace` in PATH's provider blocks is `.terraform/environment`'s, as in
    static analysis (no --workspace, no TF_WORKSPACE)."""
    sources = {f"cfg/{name}": text.replace('region = "us-west-2"', "region = terraform.workspace") for name, text in SOURCES.items()}
    root = tf_tree({**sources, "cfg/.terraform/environment": "eu-central-1\n"})
    plan = write_plan(root, plan_document())
    config = configuration(plan, "cfg")
    assert instance(config, "aws_cloudwatch_log_group.west").provider.region == "eu-central-1"
    (root / "cfg/.terraform/environment").unlink()
    config = configuration(plan, "cfg")
    assert instance(config, "aws_cloudwatch_log_group.west").provider.region == "default"


def test_a_partly_known_template_reads_as_in_static_analysis(plan_dir, tf_tree):
    """With PATH, a template known after apply keeps its literal text and links, as the
    static backend keeps them: APIGW202/203 check what is known in both modes alike."""
    main = SOURCES["main.tf"].replace(
        '    destination_arn = aws_cloudwatch_log_group.access.arn\n    format          = "$context.requestId $context.status"',
        '    destination_arn = "${aws_cloudwatch_log_group.access.arn}/extra"\n'
        '    format          = "api=${aws_api_gateway_rest_api.api.id}\\n$context.requestId"',
    )
    assert main != SOURCES["main.tf"]
    document = plan_document()
    for entry in [*document["planned_values"]["root_module"]["resources"], *document["resource_changes"]]:
        if entry["address"] == "aws_api_gateway_stage.prod":
            values = entry.get("values") or entry["change"]["after"]
            values["access_log_settings"] = [{}]  # the format is known after apply too
            if "change" in entry:
                entry["change"]["after_unknown"]["access_log_settings"] = [{"destination_arn": True, "format": True}]
    root = tf_tree({"cfg/main.tf": main, **{f"cfg/{n}": t for n, t in SOURCES.items() if n != "main.tf"}})
    plan = write_plan(root, document)

    def found(result):
        return sorted((f.rule_id, f.address, f.line, f.certain, f.message) for f in result.findings if f.rule_id in ("APIGW202", "APIGW203"))

    static = found(run_check(["cfg"], CheckOptions()))
    assert [(rule, address, certain) for rule, address, _, certain, _ in static] == [
        ("APIGW202", "aws_api_gateway_stage.prod", True), ("APIGW203", "aws_api_gateway_stage.prod", True),
    ]
    assert found(run_plan_check(str(plan), "cfg", CheckOptions())) == static
