"""The offline preview: the real program, a throwaway violating program, the CLI contract and isolation."""
from __future__ import annotations

import functools
import json
import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pulumi
import pytest
from google.protobuf import struct_pb2

from components.dataplane.appmesh import DISCONTINUED
from tests.conftest import ROOT, moved_to, program_with_stack, shared_preview
from tools import preview as preview_cli
from tools.preview import run_preview
from tools.mockrun import api_gateway_domain_name, load_stack_settings
from tools.policyeval import PolicyConfigError, read_policy_config
from tools.sdk_internals import ROOT_STACK_TYPE

PACK = ROOT / "policies"
DROP_ALL = ROOT / "tests" / "programs" / "drop_all_violation"
BROKEN = ROOT / "tests" / "programs" / "broken_program"
EGRESS_POLICY = "appmesh-mesh-egress-drop-all"


def _cli(capsys, *args: str) -> tuple[int, str, str]:
    code = preview_cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def shared_runs(monkeypatch):
    """`main` as it is, its `run_preview` answered by the session's shared run of the same arguments (the run the
    dev_preview fixture and others make; tests/conftest.py's shared_preview keys on what the run sees): for tests
    of what the command line prints, not of the run."""
    def shared(stack, cwd, policy_pack, policy_pack_config, *, unknown_outputs, config_overrides, progress):
        assert progress is None  # never with --json or into a pipe
        return shared_preview(stack, cwd, policy_pack, policy_pack_config, unknown_outputs=unknown_outputs,
                              config_overrides=config_overrides)
    monkeypatch.setattr(preview_cli, "run_preview", shared)


# --- the real program -----------------------------------------------------------------------------


def test_real_program_runs_with_its_stack_config(dev_preview):
    assert dev_preview.error is None
    assert dev_preview.project == "service-mesh-platform" and dev_preview.stack == "dev"
    platform = dev_preview.get("service-mesh-platform:index:Platform", "dev")
    network = dev_preview.get("service-mesh-platform:network:Network", "dev-network")
    assert network.parent == platform.urn
    vpc = dev_preview.get("aws:ec2/vpc:Vpc", "dev-network-vpc")
    # Inputs carry the engine's camelCase wire names and the stack's values.
    assert vpc.inputs["cidrBlock"] == "10.20.0.0/16"
    assert vpc.inputs["enableDnsHostnames"] is True
    assert vpc.inputs["tags"]["Environment"] == "dev" and vpc.inputs["tags"]["Owner"] == "platform-team"
    assert dev_preview.outputs["dataPlane"] == "serviceconnect"
    assert dev_preview.outputs["namespace"] == "sc.dev.ecommerce.local"


def test_the_program_requires_the_cli_its_resource_options_need_and_the_readme_says_which(dev_preview):
    # replaceWith (3.207.0), replacement_trigger (3.208.0, dropped silently before), the check itself (3.217.0).
    assert dev_preview.required_pulumi_versions == [">=3.217.0"]
    assert "A CLI older than 3.217.0 cannot run these stacks" in (ROOT / "README.md").read_text()


_REQUIRES_A_CLI = """
import pulumi
pulumi.require_pulumi_version(">=3.217.0 <4.0.0")
pulumi.export("ok", True)
"""


def test_a_program_that_requires_a_cli_version_previews_and_says_it_is_not_checked_offline(tmp_path, capsys):
    # The SDK's MockEngine has no RequirePulumiVersion: such a program failed with an AttributeError.
    (tmp_path / "Pulumi.yaml").write_text("name: requires\nruntime: python\n")
    (tmp_path / "Pulumi.test.yaml").write_text("config: {}\n")
    (tmp_path / "__main__.py").write_text(_REQUIRES_A_CLI)
    code, out, err = _cli(capsys, "--stack", "test", "--cwd", str(tmp_path), "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert (doc["outputs"], doc["requiredPulumiVersions"]) == ({"ok": True}, [">=3.217.0 <4.0.0"])
    code, out, err = _cli(capsys, "--stack", "test", "--cwd", str(tmp_path))
    assert code == 0, err
    assert ("The program requires a Pulumi CLI >=3.217.0 <4.0.0: no CLI runs offline, so a real preview checks it"
            in out)


def test_dev_and_prod_differ_in_network_shape(dev_preview, prod_preview):
    def private_subnets(result):
        return [r for r in result.find("aws:ec2/subnet:Subnet") if r.inputs["tags"]["Tier"] == "private"]

    assert len(private_subnets(dev_preview)) == 2
    assert len(private_subnets(prod_preview)) == 3
    assert len(prod_preview.find("aws:ec2/natGateway:NatGateway")) == 3


@pytest.mark.parametrize("stack", ["dev", "prod", "dev_appmesh", "prod_appmesh"])
def test_real_stacks_have_no_mandatory_violations(stack, request):
    """On either data plane: App Mesh stays a selectable mode, previewed under the same stack configs."""
    result = request.getfixturevalue(f"{stack}_preview")
    assert result.exit_code == 0, [(v.policy, v.name, v.message) for v in result.mandatory]


def test_json_output_follows_the_contract(capsys, shared_runs):
    code, out, err = _cli(capsys, "--stack", "dev", "--cwd", str(ROOT), "--policy-pack", str(PACK),
                          "--policy-pack-config", str(PACK / "config" / "dev.json"), "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert {"project", "stack", "resources", "outputs", "violations", "summary"} <= set(doc)
    assert (doc["project"], doc["stack"]) == ("service-mesh-platform", "dev")
    for resource in doc["resources"]:
        assert set(resource) == {"urn", "type", "name", "parent", "protect", "inputs"}
    assert doc["summary"]["resources"] == len(doc["resources"])
    assert sum(doc["summary"]["byType"].values()) == len(doc["resources"])
    assert doc["summary"]["mandatory"] == 0
    assert doc["outputs"]["serviceConnectNamespace"] == "sc.dev.ecommerce.local"


def test_human_output_groups_by_component_and_ends_with_a_summary(capsys, shared_runs):
    code, out, _ = _cli(capsys, "--stack", "dev", "--cwd", str(ROOT), "--policy-pack", str(PACK),
                        "--policy-pack-config", str(PACK / "config" / "dev.json"))
    assert code == 0
    assert "+ dev-network (service-mesh-platform:network:Network):" in out
    assert "Resources by type:" in out and "aws:ec2/vpc:Vpc" in out
    assert out.strip().splitlines()[-1].startswith("Summary: ")


# --- a throwaway program that violates the DROP_ALL policy ---------------------------------------


@pytest.fixture(scope="module")
def drop_all_result():
    return run_preview("test", DROP_ALL, PACK)


def _egress(violations):
    return [v for v in violations if v.policy == EGRESS_POLICY]


def test_violating_program_is_caught(drop_all_result):
    assert drop_all_result.exit_code == 1
    caught = {(v.policy, v.name, v.enforcement_level) for v in _egress(drop_all_result.violations)}
    assert caught == {(EGRESS_POLICY, "open-mesh", "mandatory"), (EGRESS_POLICY, "unstated-mesh", "mandatory")}
    by_name = {v.name: v for v in _egress(drop_all_result.violations)}
    assert "ALLOW_ALL" in by_name["open-mesh"].message
    assert "sets no spec.egressFilter.type" in by_name["unstated-mesh"].message
    assert by_name["open-mesh"].type == "aws:appmesh/mesh:Mesh"
    assert by_name["open-mesh"].urn.endswith("::open-mesh")


def test_violating_program_exits_1_with_the_violation_in_json(tmp_path, capsys):
    # Only the egress policy enforced, so the exit code and counts are this policy's alone.
    only_egress = tmp_path / "only-egress.json"
    only_egress.write_text(json.dumps({"all": "disabled", EGRESS_POLICY: "mandatory"}))
    code, out, _ = _cli(capsys, "--stack", "test", "--cwd", str(DROP_ALL), "--policy-pack", str(PACK),
                        "--policy-pack-config", str(only_egress), "--json")
    assert code == 1
    doc = json.loads(out)
    assert doc["summary"]["mandatory"] == 2
    assert {v["name"] for v in doc["violations"]} == {"open-mesh", "unstated-mesh"}
    assert all(v["policy"] == EGRESS_POLICY and v["enforcementLevel"] == "mandatory" for v in doc["violations"])


def test_policy_config_sets_enforcement_levels(tmp_path):
    advisory = run_preview("test", DROP_ALL, PACK, {"all": "disabled", EGRESS_POLICY: "advisory"})
    assert advisory.exit_code == 0
    assert {(v.policy, v.enforcement_level) for v in advisory.violations} == {(EGRESS_POLICY, "advisory")}
    disabled = run_preview("test", DROP_ALL, PACK, {"all": "disabled"})
    assert disabled.violations == [] and disabled.exit_code == 0
    config_file = tmp_path / "strict.json"
    config_file.write_text(json.dumps({"all": "advisory", EGRESS_POLICY: {"enforcementLevel": "mandatory"}}))
    strict = run_preview("test", DROP_ALL, PACK, config_file)
    assert strict.exit_code == 1
    assert {v.policy for v in strict.mandatory} == {EGRESS_POLICY}


def test_all_as_an_object_sets_every_level_and_an_empty_entry_changes_nothing(drop_all_result):
    """As the CLI reads a policy config (parsePolicyPackConfig, applyConfig): `all` as an object sets its
    enforcementLevel for every policy, as the string does, and an entry without a level or settings (`{}`) is
    skipped. A review found both refused ("is not an enforcement level")."""
    as_text = run_preview("test", DROP_ALL, PACK, {"all": "disabled", EGRESS_POLICY: "advisory"})
    as_object = run_preview("test", DROP_ALL, PACK, {"all": {"enforcementLevel": "disabled"},
                                                     EGRESS_POLICY: {"enforcementLevel": "advisory"}})
    assert (as_object.error, as_object.exit_code) == (None, 0)
    assert as_object.violations == as_text.violations and {v.policy for v in as_object.violations} == {EGRESS_POLICY}
    empty = run_preview("test", DROP_ALL, PACK, {"all": {}, EGRESS_POLICY: {}})
    assert (empty.error, empty.violations) == (None, drop_all_result.violations)


def test_bad_policy_config_is_a_usage_error(tmp_path):
    unknown = run_preview("test", DROP_ALL, PACK, {"appmesh-mesh-egres-drop-all": "advisory"})
    assert unknown.exit_code == 2
    assert unknown.error == ("policy config: appmesh-mesh-egres-drop-all: not a policy in pack service-mesh-guardrails "
                             "(did you mean appmesh-mesh-egress-drop-all?)")
    far = run_preview("test", DROP_ALL, PACK, {"no-such-policy": "advisory"})
    assert far.error == "policy config: no-such-policy: not a policy in pack service-mesh-guardrails"
    bad_level = run_preview("test", DROP_ALL, PACK, {"all": "strict"})
    assert bad_level.error.startswith('policy config: all: "strict" is not an enforcement level')
    # Written as the JSON file has it (a review found Python's None and dicts in these messages).
    null_level = run_preview("test", DROP_ALL, PACK, {EGRESS_POLICY: {"enforcementLevel": None}})
    assert null_level.error.startswith(f"policy config: {EGRESS_POLICY}.enforcementLevel: null is not an enforcement")
    nested = run_preview("test", DROP_ALL, PACK, {"all": {"enforcementLevel": "strict"}})
    assert nested.error.startswith('policy config: all.enforcementLevel: "strict" is not an enforcement level')
    # The CLI gives no policy the settings beside all's level: a knob there would change nothing.
    knob = run_preview("test", DROP_ALL, PACK, {"all": {"enforcementLevel": "advisory", "requiredTags": ["Owner"]}})
    assert knob.error == ("policy config: all.requiredTags: all sets only an enforcement level (the CLI gives no "
                          "policy its other settings): set requiredTags under the policies that take it")
    broken = tmp_path / "broken.json"
    broken.write_text("{ not json")
    assert run_preview("test", DROP_ALL, PACK, broken).error.startswith(f"{broken}: line 1: not valid JSON")
    # A file is named by the path it was given, not its base name (two stacks' files are often both dev.json).
    (tmp_path / "dev").mkdir()
    misspelt = tmp_path / "dev" / "policy.json"
    misspelt.write_text(json.dumps({"no-such-policy": "advisory"}))
    assert run_preview("test", DROP_ALL, PACK, misspelt).error == (
        f"{misspelt}: no-such-policy: not a policy in pack service-mesh-guardrails")
    # Written as its JSON errors write it (a path, `./` dropped), not as typed.
    assert run_preview("test", DROP_ALL, PACK, f"{tmp_path}/./dev/policy.json").error == (
        f"{misspelt}: no-such-policy: not a policy in pack service-mesh-guardrails")


def test_an_unreadable_policy_config_file_is_named_as_one(tmp_path):
    # These failed as "the program failed" with the exception's text, which named no file for a decoding error.
    (tmp_path / "utf16.json").write_bytes("{}\n".encode("utf-16"))
    (tmp_path / "latin1.json").write_bytes('{\n  "all": "advisory"\n}\n\xe9\n'.encode("latin-1"))
    (tmp_path / "bom.json").write_bytes(b'\xef\xbb\xbf{"all": "advisory"}')
    assert [run_preview("test", DROP_ALL, PACK, tmp_path / name).error for name in ("utf16.json", "latin1.json",
                                                                                     "bom.json")] == [
        f"{tmp_path / 'utf16.json'}: line 1: byte 0xff is not UTF-8, so the file is not valid JSON (save it as UTF-8)",
        f"{tmp_path / 'latin1.json'}: line 4: byte 0xe9 is not UTF-8, so the file is not valid JSON (save it as UTF-8)",
        f"{tmp_path / 'bom.json'}: starts with a byte-order mark, which is not JSON (save it as UTF-8 without one)"]
    # What the CLI reads as no config, or reads at all: blank, `null`, a byte that is not UTF-8 inside a string
    # (Go's encoding/json reads it as U+FFFD).
    (tmp_path / "blank.json").write_text(" \n")
    (tmp_path / "null.json").write_text("null")
    (tmp_path / "in-string.json").write_bytes('{"all": "advisory", "x": {"note": "caf\xe9"}}'.encode("latin-1"))
    assert [read_policy_config(tmp_path / name) for name in ("blank.json", "null.json", "in-string.json")] == [
        {}, {}, {"all": "advisory", "x": {"note": "caf\ufffd"}}]
    # A JSON error after such a byte is the JSON's, not the byte's; a byte where the JSON breaks is named.
    (tmp_path / "comma.json").write_bytes(b'{"all": "advisory",\n "x": "\xff" ,}')
    comma = "^" + re.escape(str(tmp_path / "comma.json")) + r": line 2: not valid JSON \(Expecting property name"
    with pytest.raises(PolicyConfigError, match=comma):
        read_policy_config(tmp_path / "comma.json")
    (tmp_path / "two.json").write_bytes(b'{"a": "\xff",\n \xfe "b": 1}')
    with pytest.raises(PolicyConfigError, match="^" + re.escape(str(tmp_path / "two.json")) + ": line 2: byte 0xfe"):
        read_policy_config(tmp_path / "two.json")
    directory = run_preview("test", DROP_ALL, PACK, tmp_path)
    assert (directory.exit_code, directory.error) == (
        2, f"{tmp_path}: is a directory, not a policy config file (a JSON object)")


@pytest.mark.parametrize("config,message", [
    ({EGRESS_POLICY: {"allowed": ["ALLOW_ALL"]}},
     f"policy config: {EGRESS_POLICY}: policy {EGRESS_POLICY} takes no config"),
    ({"tags-resource-required": {"requiredTag": ["Owner"]}},
     "policy config: tags-resource-required.requiredTag: not a config property of tags-resource-required (did you "
     "mean requiredTags?)"),
    ({"tags-resource-required": {"requiredTags": "Owner"}},
     "policy config: tags-resource-required.requiredTags: must be array"),
    ({"tags-resource-required": {"requiredTags": ["Owner", 7]}},
     "policy config: tags-resource-required.requiredTags[1]: must be string"),
    # What the CLI's JSON Schema check refuses beyond types: a value under the schema's minimum, a boolean where an
    # integer is wanted.
    ({"elb-loadbalancer-multiple-azs": {"minAvailabilityZones": 1}},
     "policy config: elb-loadbalancer-multiple-azs.minAvailabilityZones: must be bigger than or equal to 2"),
    ({"elb-loadbalancer-multiple-azs": {"minAvailabilityZones": True}},
     "policy config: elb-loadbalancer-multiple-azs.minAvailabilityZones: must be integer"),
    ({EGRESS_POLICY: 3}, f"policy config: {EGRESS_POLICY}: expected an enforcement level or an object"),
    # `null` dropped the entry, and with it the settings it replaced; the CLI refuses it.
    ({EGRESS_POLICY: None}, f"policy config: {EGRESS_POLICY}: expected an enforcement level or an object"),
    # A tag key is 1-128 characters and a resource holds at most 50 tags: `""` failed every resource (exit 1), and a
    # list of millions ran for minutes.
    ({"tags-resource-required": {"requiredTags": [""]}},
     "policy config: tags-resource-required.requiredTags[0]: must be longer than or equal to 1 characters"),
    ({"tags-resource-required": {"requiredTags": [f"k{i}" for i in range(51)]}},
     "policy config: tags-resource-required.requiredTags: must contain less than or equal to 50 items"),
    # `\d` is any Unicode digit to Python's `re` and ASCII only to the CLI's Go schema check: spelt [0-9], both agree.
    ({"ecs-service-fargate-platform-version": {"minimumVersion": "\u0661.4.0"}},
     "policy config: ecs-service-fargate-platform-version.minimumVersion: must match pattern ^[0-9]+(\\.[0-9]+)*$"),
])
def test_policy_config_is_checked_against_each_policys_schema(config, message):
    result = run_preview("test", DROP_ALL, PACK, config)
    assert (result.exit_code, result.error) == (2, message)


@pytest.mark.parametrize("initial,config,error", [
    (None, {}, "policy config: p: must contain ['limit'] properties"),
    ({"p": {"limit": 2}}, {"p": {"enforcementLevel": "advisory"}}, None),  # the pack's initial config gives it
    ({"p": {"limit": 0}}, {}, "policy config: p.limit: must be bigger than or equal to 1"),
    ({"p": {"limit": 2}}, {"p": {"limit": 0}}, "policy config: p.limit: must be bigger than or equal to 1"),
])
def test_a_policys_config_is_checked_as_every_layer_leaves_it(initial, config, error):
    """As the CLI reconciles a pack's config: schema defaults, then the pack's initial config, then the file, and
    the result against the schema, required keys included (none of our policies requires one)."""
    import pulumi_policy

    from tools.policyeval import LoadedPack, PolicyConfigError, configure_request

    policy = pulumi_policy.ResourceValidationPolicy(
        name="p", description="d", validate=lambda args, report: None,
        config_schema=pulumi_policy.PolicyConfigSchema({"limit": {"type": "integer", "minimum": 1}}, ["limit"]))
    pack = LoadedPack("pack", [policy], pulumi_policy.EnforcementLevel.MANDATORY, initial, {})
    if error is None:
        assert configure_request(pack, config).policyConfig["p"].properties["limit"] == 2
    else:
        with pytest.raises(PolicyConfigError) as refused:
            configure_request(pack, config)
        assert str(refused.value) == error


def test_a_policy_schema_that_is_no_json_schema_is_one_line():
    """A pack author's schema that fastjsonschema cannot compile is the pack's problem, said in one line."""
    import pulumi_policy

    from tools.policyeval import LoadedPack, PolicyConfigError, configure_request

    policy = pulumi_policy.ResourceValidationPolicy(
        name="p", description="d", validate=lambda args, report: None,
        config_schema=pulumi_policy.PolicyConfigSchema({"limit": {"type": "whole-number"}}))
    with pytest.raises(PolicyConfigError) as refused:
        configure_request(LoadedPack("pack", [policy], pulumi_policy.EnforcementLevel.MANDATORY, None, {}), {})
    assert str(refused.value).startswith("policy config: p: the policy's config schema is not valid JSON Schema (")
    assert "\n" not in str(refused.value)


def test_policy_config_knobs_reach_the_policy():
    # Requiring a tag nobody sets flags every taggable resource; the schema default does not.
    strict = run_preview("test", DROP_ALL, PACK, {"all": "disabled", "tags-resource-required": {
        "enforcementLevel": "mandatory", "requiredTags": ["DataClassification"]}})
    assert {v.name for v in strict.violations} == {"open-mesh", "unstated-mesh", "closed-mesh", "later-mesh"}
    assert all("DataClassification" in v.message for v in strict.violations)


_NAMES = """
import pulumi
import pulumi_aws as aws

nameless = aws.sns.Topic("nameless")
named = aws.sns.Topic("named", name="orders-events")
pulumi.export("namelessName", nameless.name)
pulumi.export("namedName", named.name)
pulumi.export("namelessArn", nameless.arn)
"""


def auto_named(name: str, written: str) -> bool:
    """Whether `name` is the auto-name `written` with its random part stood in for (`-abcdefg`: 7 hexadecimal
    digits; `_abcdefgh`: 8 letters), as the preview draws it from the resource's URN."""
    pattern = re.escape(written).replace("abcdefgh", "[a-p]{8}").replace("abcdefg", "[0-9a-f]{7}")
    return re.fullmatch(pattern, name) is not None


@pytest.mark.parametrize("unknown", [True, False])
def test_an_auto_name_is_known_in_a_first_preview(unknown, tmp_path):
    # Without a name input pulumi-aws picks one at Check (the bridge's SetAutonaming: `<resource name>-<7 random
    # characters>`): a first preview knows it, and a policy or program reading .name sees it, not the logical
    # name. What the provider computes on create (the ARN) is unknown there.
    (tmp_path / "Pulumi.yaml").write_text("name: names\nruntime: python\n")
    (tmp_path / "Pulumi.test.yaml").write_text("config: {}\n")
    (tmp_path / "__main__.py").write_text(_NAMES)
    result = run_preview("test", tmp_path, unknown_outputs=unknown)
    assert result.error is None, result.error
    assert auto_named(result.outputs["namelessName"], "nameless-abcdefg")
    assert result.outputs["namedName"] == "orders-events"
    assert (result.outputs["namelessArn"] == {"unknown": True}) is unknown


_UNNAMED_FUNCTION = """
import pulumi_aws as aws

role = aws.iam.Role("fn-role", assume_role_policy='{"Version": "2012-10-17", "Statement": []}')
fn = aws.lambda_.Function("fn", role=role.arn, runtime="python3.12", handler="index.handler",
                          code=pulumi.FileArchive("."))
aws.cloudwatch.LogGroup("fn-logs", name="/aws/lambda/fn", retention_in_days=30)
"""


@pytest.mark.parametrize("unknown", [True, False])
def test_the_policies_see_the_auto_name_a_real_check_gives(unknown, tmp_path):
    """The function is fn-<7 random characters> in AWS, so its logs go to a group of that name, which has no
    retention: the pack said nothing, reading no name (and, with unknown outputs, an unknown one)."""
    (tmp_path / "Pulumi.yaml").write_text("name: names\nruntime: python\n")
    (tmp_path / "Pulumi.test.yaml").write_text("config:\n  aws:region: us-east-1\n")
    (tmp_path / "__main__.py").write_text("import pulumi\n" + _UNNAMED_FUNCTION)
    only = {"all": "disabled", "lambda-function-log-retention": "mandatory"}
    result = run_preview("test", tmp_path, PACK, only, unknown_outputs=unknown)
    assert result.error is None, result.error
    assert auto_named(result.get("aws:lambda/function:Function", "fn").inputs["name"], "fn-abcdefg")
    assert [(v.policy, v.name) for v in result.violations] == [("lambda-function-log-retention", "fn")]


@pytest.fixture
def aws_types():
    """pulumi_aws's classes registered, as a program's import registers them: which types take a `name` is read
    from them, and a test run alone has imported nothing yet."""
    import importlib

    importlib.import_module("pulumi_aws")


@pytest.mark.parametrize("type_, given, name", [
    ("aws:sqs/queue:Queue", {}, "q-abcdefg"),
    ("aws:sqs/queue:Queue", {"fifoQueue": True}, "q-abcdefg.fifo"),
    ("aws:sns/topic:Topic", {"fifoTopic": True}, "q-abcdefg.fifo"),
    ("aws:kms/alias:Alias", {}, "alias/q-abcdefg"),
    ("aws:appsync/function:Function", {}, "q_abcdefg"),
    ("aws:lex/bot:Bot", {}, "q_abcdefgh"),
    ("aws:iot/topicRule:TopicRule", {}, "q"),
    ("aws:iam/role:Role", {"namePrefix": "app-"}, None),  # the provider names it from the prefix
    ("aws:iam/role:Role", {"name": "given"}, None),
    ("aws:route53/record:Record", {}, None),  # its name stays required: nothing to fill in
    # The bridge reads Check's inputs with secrets unwrapped, and a protobuf Value as its plain value.
    ("aws:sqs/queue:Queue", {"fifoQueue": {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
                                           "value": True}}, "q-abcdefg.fifo"),
    ("aws:sqs/queue:Queue", {"fifoQueue": struct_pb2.Value(bool_value=True)}, "q-abcdefg.fifo"),
    ("aws:sqs/queue:Queue", {"fifoQueue": "04da6b54-80e4-46f7-96ec-b56ff0331ba9"}, "q-abcdefg"),  # unknown
])
def test_check_names_a_nameless_resource_as_pulumi_aws_does(type_, given, name, aws_types):
    from tools.awsprovider import check_autoname

    found = check_autoname(type_, "q", given, f"urn:pulumi:test::p::{type_}::q").get("name")
    assert found is None if name is None else auto_named(found, name)


def test_a_styles_transform_and_post_transform_apply_as_pulumi_aws_applies_them(aws_types):
    from tools.awsprovider import check_autoname

    glue = check_autoname("aws:glue/catalogDatabase:CatalogDatabase", "Q", {}, "urn:pulumi:t::p::glue::Q")["name"]
    alias = check_autoname("aws:kms/alias:Alias", "alias/app", {}, "urn:pulumi:t::p::alias::app")["name"]
    assert auto_named(glue, "q_abcdefgh") and auto_named(alias, "alias/app-abcdefg")  # not `alias/` twice


def test_an_auto_names_random_part_is_the_urns_own(aws_types):
    """pulumi-aws draws a random part for each resource, so two resources of one name under two parents, or in two
    stacks, never share an auto-name: one stand-in for all made them one bucket to the policies, and one bucket's
    settings counted for the other. A rerun draws the same."""
    from tools.awsprovider import check_autoname

    def name(urn):
        return check_autoname("aws:s3/bucket:Bucket", "data", {}, urn)["bucket"]

    urns = ["urn:pulumi:dev::p::acme:Archive$aws:s3/bucket:Bucket::data",
            "urn:pulumi:dev::p::acme:Scratch$aws:s3/bucket:Bucket::data",
            "urn:pulumi:prod::p::acme:Archive$aws:s3/bucket:Bucket::data"]
    assert len({name(urn) for urn in urns}) == 3
    assert name(urns[0]) == name(urns[0]) and auto_named(name(urns[0]), "data-abcdefg")


@pytest.mark.parametrize("type_, resource_name, maxlen", [
    ("aws:lb/targetGroup:TargetGroup", "t" * 25, 32),
    ("aws:alb/targetGroup:TargetGroup", "t" * 248, 255),  # its alias's auto-name is left at the default
    ("aws:iam/role:Role", "r" * 57, 64),
    ("aws:lambda/function:Function", "f" * 57, 64),
    ("aws:cloudwatch/eventRule:EventRule", "e" * 57, 64),
    ("aws:elasticbeanstalk/environment:Environment", "b" * 33, 40),
    ("aws:sqs/queue:Queue", "q" * 73, 80),  # before `.fifo`
    ("aws:kms/alias:Alias", "k" * 231, 238),  # before `alias/`
    ("aws:cloudwatch/logGroup:LogGroup", "g" * 248, 255),  # any other type's
])
def test_check_refuses_an_auto_name_longer_than_pulumi_aws_allows_the_type(type_, resource_name, maxlen, aws_types):
    """A real preview stops there, before any policy runs; one character less fits."""
    from tools.awsprovider import AutonameError, check_autoname

    urn = f"urn:pulumi:test::p::{type_}::{resource_name}"
    fits = check_autoname(type_, resource_name[:-1], {}, urn)["name"]
    assert len(fits.removeprefix("alias/")) == maxlen
    with pytest.raises(AutonameError) as refused:
        check_autoname(type_, resource_name, {}, urn)
    assert str(refused.value) == (f"could not make instance of '{type_}': name '{resource_name}-' plus 7 random "
                                  f"chars is longer than maximum length {maxlen}")


_REGIONAL = """
import json
import pulumi
import pulumi_aws as aws

eu = aws.Provider("eu", region="eu-west-1")
grant = {"Effect": "Allow", "Principal": {"Service": "logs.eu-west-1.amazonaws.com"}, "Resource": "*",
         "Action": ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
         "Condition": {"ArnLike": {"kms:EncryptionContext:aws:logs:arn":
                                   "arn:aws:logs:eu-west-1:123456789012:log-group:*"}}}
root = {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "kms:*", "Resource": "*"}
key = aws.kms.Key("key", enable_key_rotation=True,
                  policy=json.dumps({"Version": "2012-10-17", "Statement": [root, grant]}),
                  opts=pulumi.ResourceOptions(provider=eu))
group = aws.cloudwatch.LogGroup("group", name="/app/eu", kms_key_id=key.arn, retention_in_days=30,
                                opts=pulumi.ResourceOptions(provider=eu))
home = aws.cloudwatch.LogGroup("home", name="/app/home", retention_in_days=30)
pulumi.export("groupArn", group.arn)
pulumi.export("homeArn", home.arn)
"""


@pytest.mark.parametrize("optimise", [True, False])
def test_made_up_arns_name_the_region_of_the_resources_explicit_provider(optimise, tmp_path):
    """A resource made through `aws.Provider(region=...)` lives in that region: its made-up ARN named the stack's,
    and a key policy scoped to the group's real region was reported as not covering it."""
    (tmp_path / "Pulumi.yaml").write_text("name: regional\nruntime: python\n")
    (tmp_path / "Pulumi.test.yaml").write_text("config:\n  aws:region: us-east-1\n")
    (tmp_path / "__main__.py").write_text(_REGIONAL)
    result = run_preview("test", tmp_path, PACK, optimise=optimise)
    assert result.error is None, result.error
    assert result.outputs["groupArn"] == "arn:aws:logs:eu-west-1:123456789012:log-group:/app/eu"
    assert result.outputs["homeArn"].startswith("arn:aws:logs:us-east-1:")
    assert [v for v in result.violations if v.policy == "cloudwatch-log-group-key-allows-logs"] == []


_IAM_ARNS = """
import json
import pulumi
import pulumi_aws as aws

eu = aws.Provider("eu", region="eu-west-1")
assume = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                     "Principal": {"Service": "ecs-tasks.amazonaws.com"}}]})
role = aws.iam.Role("task", name="app-task", path="/service/", assume_role_policy=assume,
                    opts=pulumi.ResourceOptions(provider=eu))
# Lets the task rewrite its own role's policies: AWS reads the Resource against the role's ARN.
aws.iam.RolePolicy("p", role=role.name, policy=json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Deny", "Action": "secretsmanager:GetSecretValue",
     "Resource": "arn:aws:secretsmanager:*:*:secret:ecs-sc!*"},
    {"Effect": "Allow", "Action": "iam:PutRolePolicy", "Resource": "arn:aws:iam::*:role/service/*"}]}))
aws.ecs.TaskDefinition("td", family="app", requires_compatibilities=["FARGATE"], network_mode="awsvpc", cpu="256",
    memory="512", task_role_arn=role.arn, container_definitions=json.dumps([{"name": "app", "image": "nginx:1.27"}]))
pulumi.export("roleArn", role.arn)
"""


@pytest.mark.parametrize(("type_", "inputs", "arn"), [
    ("aws:iam/role:Role", {}, "arn:aws:iam::123456789012:role/res-abcdefg"),
    ("aws:iam/role:Role", {"name": "app-task"}, "arn:aws:iam::123456789012:role/app-task"),
    ("aws:iam/role:Role", {"name": "app-task", "path": "/service/a/"},
     "arn:aws:iam::123456789012:role/service/a/app-task"),
    ("aws:iam/role:Role", {"path": "/service/"}, "arn:aws:iam::123456789012:role/service/res-abcdefg"),
    ("aws:iam/role:Role", {"namePrefix": "app-"}, "arn:aws:iam::123456789012:role/app-20250101000000000000000001"),
    ("aws:iam/policy:Policy", {"name": "reads", "path": "/app/"}, "arn:aws:iam::123456789012:policy/app/reads"),
    ("aws:iam/user:User", {"name": "ci"}, "arn:aws:iam::123456789012:user/ci"),
    ("aws:iam/group:Group", {"name": "ops", "path": "/team/"}, "arn:aws:iam::123456789012:group/team/ops"),
    ("aws:iam/instanceProfile:InstanceProfile", {"name": "hosts"},
     "arn:aws:iam::123456789012:instance-profile/hosts"),
    ("aws:iam/virtualMfaDevice:VirtualMfaDevice", {"virtualMfaDeviceName": "ci"}, "arn:aws:iam::123456789012:mfa/ci"),
    ("aws:iam/samlProvider:SamlProvider", {"name": "idp"}, "arn:aws:iam::123456789012:saml-provider/idp"),
    # Only the name or path an ARN is made of: while either is unknown, so is the ARN.
    ("aws:iam/role:Role", {"name": pulumi.output.Unknown()}, {"unknown": True}),
    ("aws:iam/role:Role", {"name": "app-task", "path": pulumi.output.Unknown()}, {"unknown": True}),
])
def test_an_iam_arn_is_global_and_names_the_entitys_path_and_name(type_, inputs, arn, aws_types):
    """IAM is global: an entity's ARN names no region, and ends in `<kind><path><name>`, path `/` by default
    (docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns). Without a name it ends
    in what the made-up state's `name` is, the auto-name pulumi-aws's Check gives it. The mocks gave every IAM entity
    `arn:aws:iam:<region>:<account>:role/<resource name>`."""
    from pulumi.runtime import rpc
    from tools.mockrun import PreviewMocks

    for region in ("us-east-1", "eu-west-1"):
        _, outputs = PreviewMocks(region, unknown_outputs=False).added_outputs(type_, "res", True, inputs)
        assert outputs["arn"] == (rpc.UNKNOWN if arn == {"unknown": True} else arn)
        if "name" not in inputs and type_ != "aws:iam/virtualMfaDevice:VirtualMfaDevice":
            assert outputs["arn"].endswith(f"/{outputs['name']}")  # the name the state reports


@pytest.mark.parametrize("type_", ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"])
def test_an_s3_buckets_arn_is_its_name_alone(type_):
    """S3's bucket ARN has neither region nor account (`arn:aws:s3:::<bucket>`, the S3 ARN reference), which bucket
    policies and the pack's checks of them embed; the mocks made `arn:aws:s3:<region>:<account>:bucket/<name>`."""
    from pulumi.runtime import rpc
    from tools.mockrun import PreviewMocks

    mocks = PreviewMocks("eu-west-1", unknown_outputs=False)
    assert mocks.added_outputs(type_, "logs", True, {"bucket": "logs-abc"})[1]["arn"] == "arn:aws:s3:::logs-abc"
    assert mocks.added_outputs(type_, "logs", True, {"bucket": rpc.UNKNOWN})[1]["arn"] == rpc.UNKNOWN


def test_a_kms_keys_id_is_its_key_id_and_a_replica_shares_its_primarys():
    """A key's id, `keyId` and ARN carry one key id (`key/<key id>`), as KMS gives them; a multi-Region key's begins
    `mrk-`, and its replica has the same one in its own region (related multi-Region keys share a key id). The mocks
    left `keyId` unknown, so a log group keyed by `key.key_id`, or a key policy naming a replica by its primary's id,
    could not be judged offline."""
    from pulumi.runtime import rpc
    from tools.mockrun import PreviewMocks

    mocks = PreviewMocks("us-east-1", unknown_outputs=False)
    key_id, outputs = mocks.added_outputs("aws:kms/key:Key", "logs", True, {"multiRegion": True})
    assert key_id == outputs["keyId"] == "mrk-logs-id"
    assert outputs["arn"] == "arn:aws:kms:us-east-1:123456789012:key/mrk-logs-id"
    replica_id, replica = mocks.added_outputs("aws:kms/replicaKey:ReplicaKey", "logs-west", True, {
        "primaryKeyArn": outputs["arn"], "region": "us-west-2"})
    assert replica_id == replica["keyId"] == key_id
    assert replica["arn"] == "arn:aws:kms:us-west-2:123456789012:key/" + key_id
    assert mocks.added_outputs("aws:kms/key:Key", "plain", True, {})[0] == "plain-id"
    # A replica of a primary not known yet is not known either.
    replica_id, replica = mocks.added_outputs("aws:kms/replicaKey:ReplicaKey", "later", True, {
        "primaryKeyArn": rpc.UNKNOWN})
    assert replica_id == "" and replica["keyId"] == replica["arn"] == rpc.UNKNOWN


def test_a_custom_resources_outputs_carry_its_id_as_the_provider_gives_them():
    """The bridged provider's outputs hold the resource's `id` (a stack export shows it there), and stack policies
    match references by it (a Lambda function's subnets, say); a component has none, and in a first preview the id
    is unknown. The mocks gave none, so those references could not be matched offline."""
    from pulumi.runtime import rpc
    from tools.mockrun import PreviewMocks

    subnet = "aws:ec2/subnet:Subnet"
    resource_id, outputs = PreviewMocks("us-east-1", unknown_outputs=False).added_outputs(subnet, "zone-a", True, {})
    assert outputs["id"] == resource_id == "zone-a-id"
    for type_, custom in (("service-mesh-platform:index:Platform", False), ("pulumi:providers:aws", True)):
        # A component has no id, and a provider resource's state is its config alone.
        assert "id" not in PreviewMocks("us-east-1", unknown_outputs=False).added_outputs(type_, "x", custom, {})[1]
    resource_id, outputs = PreviewMocks("us-east-1", unknown_outputs=True).added_outputs(subnet, "zone-a", True, {})
    assert resource_id == "" and outputs["id"] == rpc.UNKNOWN


@pytest.mark.parametrize("family", ["aws:lb/", "aws:alb/"])
@pytest.mark.parametrize(("region", "lb_type", "zone"), [
    ("us-east-1", None, "Z35SXDOTRQ7X7K"), ("us-east-1", "application", "Z35SXDOTRQ7X7K"),
    ("us-east-1", "network", "Z26RNL4JYFTOTI"), ("eu-west-1", "application", "Z32O12XQLNTSW2"),
    ("eu-west-1", "network", "Z2IFOLAFXWLO4F"),
])
def test_a_load_balancers_outputs_are_shaped_as_elb_gives_them(region, lb_type, zone, family):
    """An ALB's or NLB's ARN, `arnSuffix`, DNS name and zone as ELB gives them (botocore's elbv2 examples,
    terraform-provider-aws's hosted zone tables): named after the load balancer's `name`, the type's zone in its
    region (an alias record must name it), an ALB by default. The mocks gave every load balancer us-east-1's NLB
    zone, an NLB's DNS form, the resource's logical name, `net/` without `loadBalancerType`, and an ARN
    (`arn:aws:lb:...:loadBalancer/<name>`) without the `loadbalancer/app/` the listener checks read; the aws:alb/*
    aliases of the types kept that made-up form after aws:lb/* had ELB's."""
    from pulumi.runtime import rpc
    from tools.mockrun import PreviewMocks, elb_id

    mocks = PreviewMocks(region, unknown_outputs=False)
    inputs = {"name": "ingress-alb-dev", "internal": True, **({"loadBalancerType": lb_type} if lb_type else {})}
    _, lb = mocks.added_outputs(f"{family}loadBalancer:LoadBalancer", "dev-ingress-alb", True, inputs)
    kind, own_id = ("net" if lb_type == "network" else "app"), elb_id("dev-ingress-alb")
    assert lb["arnSuffix"] == f"{kind}/ingress-alb-dev/{own_id}"
    assert lb["arn"] == f"arn:aws:elasticloadbalancing:{region}:123456789012:loadbalancer/{lb['arnSuffix']}"
    assert lb["zoneId"] == zone
    shape = (rf"internal-ingress-alb-dev-{own_id}\.elb\.{region}\.amazonaws\.com" if lb_type == "network"
             else rf"internal-ingress-alb-dev-[0-9]+\.{region}\.elb\.amazonaws\.com")
    assert re.fullmatch(shape, lb["dnsName"])
    # A listener's ARN and its rules' extend the load balancer's; a target group's suffix is CloudWatch's dimension.
    _, listener = mocks.added_outputs(f"{family}listener:Listener", "https", True, {"loadBalancerArn": lb["arn"]})
    assert listener["arn"] == f"{lb['arn'].replace(':loadbalancer/', ':listener/')}/{elb_id('https')}"
    _, rule = mocks.added_outputs(f"{family}listenerRule:ListenerRule", "r", True, {"listenerArn": listener["arn"]})
    assert rule["arn"] == f"{listener['arn'].replace(':listener/', ':listener-rule/')}/{elb_id('r')}"
    _, group = mocks.added_outputs(f"{family}targetGroup:TargetGroup", "dev-ingress-orders", True, {"name": "orders"})
    assert group["arnSuffix"] == f"targetgroup/orders/{elb_id('dev-ingress-orders')}"
    assert group["arn"] == f"arn:aws:elasticloadbalancing:{region}:123456789012:{group['arnSuffix']}"
    _, unnamed = mocks.added_outputs(f"{family}loadBalancer:LoadBalancer", "lb", True, {"name": rpc.UNKNOWN})
    assert (unnamed["arn"], unnamed["arnSuffix"], unnamed["dnsName"]) == (rpc.UNKNOWN,) * 3


@pytest.mark.parametrize(("type_", "inputs", "arn"), [
    ("aws:sns/topic:Topic", {"name": "alarms-page"}, "arn:aws:sns:eu-west-1:123456789012:alarms-page"),
    ("aws:sqs/queue:Queue", {}, "arn:aws:sqs:eu-west-1:123456789012:res-abcdefg"),  # the auto-name
    ("aws:cloudwatch/eventRule:EventRule", {"name": "tasks"}, "arn:aws:events:eu-west-1:123456789012:rule/tasks"),
    ("aws:cloudwatch/eventRule:EventRule", {"name": "tasks", "eventBusName": "ops"},
     "arn:aws:events:eu-west-1:123456789012:rule/ops/tasks"),
    ("aws:lambda/function:Function", {"name": "auth"}, "arn:aws:lambda:eu-west-1:123456789012:function:auth"),
    ("aws:dynamodb/table:Table", {"name": "conns"}, "arn:aws:dynamodb:eu-west-1:123456789012:table/conns"),
    ("aws:cloudtrail/trail:Trail", {"name": "audit"}, "arn:aws:cloudtrail:eu-west-1:123456789012:trail/audit"),
    ("aws:ecs/cluster:Cluster", {"name": "prod-mesh"}, "arn:aws:ecs:eu-west-1:123456789012:cluster/prod-mesh"),
    ("aws:ecs/taskDefinition:TaskDefinition", {"family": "orders"},
     "arn:aws:ecs:eu-west-1:123456789012:task-definition/orders:1"),
    ("aws:cognito/userPool:UserPool", {"name": "users"}, "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/res-id"),
    ("aws:servicediscovery/httpNamespace:HttpNamespace", {"name": "sc.local"},
     "arn:aws:servicediscovery:eu-west-1:123456789012:namespace/res-id"),
    ("aws:servicediscovery/service:Service", {"name": "orders"},
     "arn:aws:servicediscovery:eu-west-1:123456789012:service/res-id"),
    ("aws:networkfirewall/firewall:Firewall", {"name": "egress"},
     "arn:aws:network-firewall:eu-west-1:123456789012:firewall/egress"),
    ("aws:networkfirewall/firewallPolicy:FirewallPolicy", {"name": "egress"},
     "arn:aws:network-firewall:eu-west-1:123456789012:firewall-policy/egress"),
    ("aws:networkfirewall/ruleGroup:RuleGroup", {"name": "hosts", "type": "STATEFUL"},
     "arn:aws:network-firewall:eu-west-1:123456789012:stateful-rulegroup/hosts"),
    ("aws:wafv2/webAcl:WebAcl", {"name": "api", "scope": "REGIONAL"},
     "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/api/res-id"),
    ("aws:apigateway/restApi:RestApi", {"name": "api"}, "arn:aws:apigateway:eu-west-1::/restapis/res-id"),
    ("aws:apigateway/stage:Stage", {"restApi": "api-id", "stageName": "v1"},
     "arn:aws:apigateway:eu-west-1::/restapis/api-id/stages/v1"),
    ("aws:appmesh/virtualNode:VirtualNode", {"name": "orders-v1", "meshName": "dev-mesh"},
     "arn:aws:appmesh:eu-west-1:123456789012:mesh/dev-mesh/virtualNode/orders-v1"),
    ("aws:appmesh/virtualGateway:VirtualGateway", {"name": "ingress", "meshName": "dev-mesh"},
     "arn:aws:appmesh:eu-west-1:123456789012:mesh/dev-mesh/virtualGateway/ingress"),
    ("aws:appmesh/route:Route", {"name": "r", "meshName": "m", "virtualRouterName": "vr"},
     "arn:aws:appmesh:eu-west-1:123456789012:mesh/m/virtualRouter/vr/route/r"),
    # IAM names an OIDC provider by its URL without the scheme, as a trust's Principal.Federated does.
    ("aws:iam/openIdConnectProvider:OpenIdConnectProvider", {"url": "https://token.actions.githubusercontent.com"},
     "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"),
    # Unknown while a part of it is.
    ("aws:sns/topic:Topic", {"name": "UNKNOWN"}, {"unknown": True}),
    ("aws:iam/openIdConnectProvider:OpenIdConnectProvider", {"url": "UNKNOWN"}, {"unknown": True}),
    ("aws:appmesh/virtualNode:VirtualNode", {"name": "n", "meshName": "UNKNOWN"}, {"unknown": True}),
])
def test_arns_a_program_hands_on_have_the_shape_aws_gives_them(type_, inputs, arn, aws_types):
    """ARNs as AWS makes them (each service's ARN reference), where the mocks made
    `arn:aws:<module>:<region>:<account>:<type>/<resource name>`: an operator copied `topic/<resource name>` as the
    paging topic, the ECS event rule matched a cluster named after the resource, and Envoy's alarms read App Mesh
    dimensions (`resource_name_from_arn`) no Envoy reports."""
    from pulumi.runtime import rpc
    from tools.mockrun import PreviewMocks

    inputs = {k: rpc.UNKNOWN if v == "UNKNOWN" else v for k, v in inputs.items()}
    _, outputs = PreviewMocks("eu-west-1", unknown_outputs=False).added_outputs(type_, "res", True, inputs)
    assert outputs["arn"] == (rpc.UNKNOWN if arn == {"unknown": True} else arn)


@pytest.mark.parametrize("unknown_outputs", [False, True])
def test_a_task_definitions_revision_is_the_one_its_arn_names(unknown_outputs):
    """A service naming `family:1` runs the stack's task definition only where its `revision` is 1: the mocks gave
    none, so every `family:revision` read as maybe another revision (a review found the endpoint checks of a whole
    stack left open by one such service)."""
    from pulumi.runtime import rpc
    from tools.mockrun import PreviewMocks

    _, outputs = PreviewMocks("eu-west-1", unknown_outputs=unknown_outputs).added_outputs(
        "aws:ecs/taskDefinition:TaskDefinition", "res", True, {"family": "web"})
    assert (outputs["arn"], outputs["revision"]) == ((rpc.UNKNOWN, rpc.UNKNOWN) if unknown_outputs else (
        "arn:aws:ecs:eu-west-1:123456789012:task-definition/web:1", 1))


@pytest.mark.parametrize("type_, inputs, outputs", [
    ("aws:cloudwatch/logGroup:LogGroup", {"name": "UNKNOWN"}, {"arn": "UNKNOWN"}),
    ("aws:cloudwatch/logGroup:LogGroup", {"name": "SECRET:/aws/lambda/f"},
     {"arn": "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/f"}),
    ("aws:cloudwatch/metricAlarm:MetricAlarm", {"name": "SECRET:alarm-x"},
     {"arn": "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:alarm-x"}),
    ("aws:cloudwatch/metricAlarm:MetricAlarm", {"name": "UNKNOWN"}, {"arn": "UNKNOWN"}),
    ("aws:apigateway/stage:Stage", {"restApi": "UNKNOWN", "stageName": "v1"},
     {"invokeUrl": "UNKNOWN", "executionArn": "UNKNOWN"}),
    ("aws:apigateway/stage:Stage", {"restApi": "api-id", "stageName": "v1"},
     {"invokeUrl": "https://api-id.execute-api.eu-west-1.amazonaws.com/v1",
      "executionArn": "arn:aws:execute-api:eu-west-1:123456789012:api-id/v1"}),
    ("aws:apigateway/stage:Stage", {"restApi": "api-id", "stageName": "UNKNOWN"},
     {"invokeUrl": "UNKNOWN", "executionArn": "UNKNOWN"}),
    ("aws:route53/record:Record", {"name": "UNKNOWN"}, {"fqdn": "UNKNOWN"}),
    ("aws:route53/record:Record", {"name": "api.example.com."}, {"fqdn": "api.example.com"}),
    ("aws:acm/certificate:Certificate", {"domainName": "UNKNOWN"}, {"domainValidationOptions": "UNKNOWN"}),
    # Unknown mappings crashed the run (TypeError: 'Unknown' object is not iterable) for a valid program.
    ("aws:networkfirewall/firewall:Firewall", {"subnetMappings": "UNKNOWN"}, {"firewallStatuses": "UNKNOWN"}),
    ("aws:networkfirewall/firewall:Firewall", {"subnetMappings": [{"subnetId": "UNKNOWN"}]},
     {"firewallStatuses": "UNKNOWN"}),
    ("aws:cloudwatch/logGroup:LogGroup", {"name": "g", "region": "UNKNOWN"}, {"arn": "UNKNOWN"}),
    ("aws:sns/topic:Topic", {"name": "t", "region": "SECRET:eu-central-1"},
     {"arn": "arn:aws:sns:eu-central-1:123456789012:t"}),
    ("aws:cloudwatch/logGroup:LogGroup", {"namePrefix": "/app/"},
     {"arn": "arn:aws:logs:eu-west-1:123456789012:log-group:/app/20250101000000000000000001"}),
    ("aws:sns/topic:Topic", {"namePrefix": "app-"}, {"name": "app-20250101000000000000000001"}),
    # A bucket's name from a prefix is the provider's at create (Check gives none), so is its ARN: `logs` with a
    # prefix and a bucket named `logs` had one made-up ARN.
    ("aws:s3/bucket:Bucket", {"bucketPrefix": "pre-"}, {"arn": "UNKNOWN"}),
    # A FIFO queue's or topic's name from a prefix ends in `.fifo`, as terraform-provider-aws makes it
    # (create.NameWithSuffix); the ARN names it so.
    ("aws:sqs/queue:Queue", {"namePrefix": "jobs-", "fifoQueue": True},
     {"name": "jobs-20250101000000000000000001.fifo",
      "arn": "arn:aws:sqs:eu-west-1:123456789012:jobs-20250101000000000000000001.fifo"}),
    ("aws:sns/topic:Topic", {"namePrefix": "events-", "fifoTopic": {"SECRET": True}},
     {"name": "events-20250101000000000000000001.fifo",
      "arn": "arn:aws:sns:eu-west-1:123456789012:events-20250101000000000000000001.fifo"}),
    ("aws:sqs/queue:Queue", {"namePrefix": "jobs-", "fifoQueue": False},
     {"name": "jobs-20250101000000000000000001",
      "arn": "arn:aws:sqs:eu-west-1:123456789012:jobs-20250101000000000000000001"}),
    # A queue's id is its URL (pulumi-aws: `url`, "Same as `id`"), which a QueuePolicy names it by.
    ("aws:sqs/queue:Queue", {"name": "jobs"}, {"url": "https://sqs.eu-west-1.amazonaws.com/123456789012/jobs",
                                               "id": "https://sqs.eu-west-1.amazonaws.com/123456789012/jobs"}),
    ("aws:sqs/queue:Queue", {"name": "UNKNOWN"}, {"url": "UNKNOWN", "id": "UNKNOWN"}),
    # A bucket's settings are named by the bucket (`bucket=pab.id` chains on it); a configuration with an expected
    # owner by both (terraform-provider-aws: `d.SetId(bucket)`, createResourceID).
    ("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", {"bucket": "logs"}, {"id": "logs"}),
    # Each REST API its own root resource.
    ("aws:apigateway/restApi:RestApi", {"name": "shop"}, {"rootResourceId": "res-rootres"}),
    # A VPC's default group, ACL and main route table (`defaultRouteTableId` is the main one), and the `Default*`
    # resources that adopt them have those ids (terraform-provider-aws: `d.SetId` of what the VPC holds).
    ("aws:ec2/vpc:Vpc", {"cidrBlock": "10.0.0.0/16"},
     {"defaultSecurityGroupId": "res-id-default-sg", "defaultNetworkAclId": "res-id-default-acl",
      "defaultRouteTableId": "res-id-main-rtb", "mainRouteTableId": "res-id-main-rtb", "ownerId": "123456789012"}),
    ("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", {"vpcId": "main-id"}, {"id": "main-id-default-sg"}),
    ("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", {"vpcId": "UNKNOWN"}, {"id": "UNKNOWN"}),
    # No `vpcId`: EC2-Classic's group, which no VPC gives; a made-up id, known in a resolved preview.
    ("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", {}, {"id": "res-id"}),
    ("aws:ec2/defaultNetworkAcl:DefaultNetworkAcl", {"defaultNetworkAclId": "main-id-default-acl"},
     {"id": "main-id-default-acl"}),
    ("aws:ec2/defaultRouteTable:DefaultRouteTable", {"defaultRouteTableId": "UNKNOWN"}, {"id": "UNKNOWN"}),
    # IAM gives an OIDC provider's URL back without its scheme, as a trust's condition keys name it.
    ("aws:iam/openIdConnectProvider:OpenIdConnectProvider", {"url": "https://token.actions.githubusercontent.com"},
     {"url": "token.actions.githubusercontent.com"}),
    ("aws:autoscaling/group:Group", {"name": "workers"}, {"id": "workers"}),
    ("aws:cloudfront/originAccessIdentity:OriginAccessIdentity", {},
     {"cloudfrontAccessIdentityPath": "origin-access-identity/cloudfront/res-id",
      "iamArn": "arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity res-id",
      "s3CanonicalUserId": "6eeb55f76600d4ad08be72ad3ac13d969330e73d7ad53031557dab443eba22db"}),
    ("aws:s3/bucketPolicy:BucketPolicy", {"bucket": "UNKNOWN"}, {"id": "UNKNOWN"}),
    ("aws:s3/bucketVersioning:BucketVersioning", {"bucket": "logs"}, {"id": "logs"}),
    ("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
     {"bucket": "logs", "expectedBucketOwner": "111122223333"}, {"id": "logs,111122223333"}),
    ("aws:s3/bucketLogging:BucketLogging", {"bucket": "logs", "expectedBucketOwner": "UNKNOWN"}, {"id": "UNKNOWN"}),
    ("aws:s3/bucketAclV2:BucketAclV2", {"bucket": "logs", "acl": "private"}, {"id": "logs,private"}),
    ("aws:s3/bucketAcl:BucketAcl", {"bucket": "logs", "expectedBucketOwner": "111122223333", "acl": "private"},
     {"id": "logs,111122223333,private"}),
    ("aws:s3/bucketNotification:BucketNotification", {"bucket": "logs"}, {"id": "logs"}),
    # An event bus's is EventBridge's (`events`, `event-bus/<name>`), under cloudwatch in pulumi-aws.
    ("aws:cloudwatch/eventBus:EventBus", {"name": "orders"},
     {"arn": "arn:aws:events:eu-west-1:123456789012:event-bus/orders"}),
    ("aws:cloudwatch/eventBus:EventBus", {"name": "UNKNOWN"}, {"arn": "UNKNOWN"}),
    # A listener's ARN extends its load balancer's, a rule's its listener's: unknown while that is (it was made up),
    # and a secret one's value.
    ("aws:lb/listener:Listener", {"loadBalancerArn": "UNKNOWN"}, {"arn": "UNKNOWN"}),
    ("aws:alb/listenerRule:ListenerRule", {"listenerArn": "UNKNOWN"}, {"arn": "UNKNOWN"}),
    ("aws:lb/listener:Listener",
     {"loadBalancerArn": "SECRET:arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/web/0123"},
     {"arn": "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/web/0123/6eeb55f76600d4ad"}),
    ("example:index:Thing", {}, {"name": "res"}),  # a type pulumi-aws does not name keeps its logical name
    # An IAM role's name from an unknown prefix: the SDK's sentinel is a string, which made a known name of it.
    ("aws:iam/role:Role", {"namePrefix": "UNKNOWN"}, {"name": "UNKNOWN", "arn": "UNKNOWN"}),
    ("aws:networkfirewall/firewall:Firewall", {"subnetMappings": [{"SECRET": {"subnetId": "subnet-1"}}]},
     {"firewallStatuses": [{"syncStates": [{"availabilityZone": "az-of-subnet-1", "attachments": [
         {"subnetId": "subnet-1", "endpointId": "vpce-res-0", "status": "READY"}]}]}]}),
    ("aws:networkfirewall/firewall:Firewall", {"subnetMappings": [{"subnetId": "SECRET:subnet-1"}]},
     {"firewallStatuses": [{"syncStates": [{"availabilityZone": "az-of-subnet-1", "attachments": [
         {"subnetId": "subnet-1", "endpointId": "vpce-res-0", "status": "READY"}]}]}]}),
    ("aws:networkfirewall/firewall:Firewall", {"subnetMappings": [{"subnetId": "subnet-1"}]},
     {"firewallStatuses": [{"syncStates": [{"availabilityZone": "az-of-subnet-1", "attachments": [
         {"subnetId": "subnet-1", "endpointId": "vpce-res-0", "status": "READY"}]}]}]}),
])
def test_outputs_made_from_inputs_are_unknown_while_an_input_is_and_name_a_secrets_value(type_, inputs, outputs,
                                                                                      aws_types):
    """They were built from the inputs as sent: an unknown input made a known ARN with the SDK's sentinel object in
    it (its memory address too), and a secret name put the secret's wire form in the ARN."""
    from pulumi.runtime import rpc
    from tools.mockrun import PreviewMocks

    def wire(value):
        if value == "UNKNOWN":
            return rpc.UNKNOWN
        if isinstance(value, str) and value.startswith("SECRET:"):
            return {rpc._special_sig_key: rpc._special_secret_sig, "value": value[len("SECRET:"):]}
        if isinstance(value, dict) and set(value) == {"SECRET"}:  # a whole block secret
            return {rpc._special_sig_key: rpc._special_secret_sig, "value": wire(value["SECRET"])}
        if isinstance(value, list):
            return [wire(v) for v in value]
        return {k: wire(v) for k, v in value.items()} if isinstance(value, dict) else value

    _, added = PreviewMocks("eu-west-1", unknown_outputs=False).added_outputs(type_, "res", True, wire(inputs))
    assert {k: added[k] for k in outputs} == wire(outputs)


_LB = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/web/0123456789abcdef"
_LISTENER = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/web/0123456789abcdef/fedcba9876543210"


@pytest.mark.parametrize("type_, inputs, resource_id", [
    # The ARN, as terraform-provider-aws sets it (d.SetId(...Arn)): `load_balancer_arn=lb.id`, in pulumi-aws's
    # own examples, then names an application load balancer, whose listener without a protocol is HTTP.
    ("aws:lb/loadBalancer:LoadBalancer", {"name": "web"},
     "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/web/6eeb55f76600d4ad"),
    ("aws:alb/loadBalancer:LoadBalancer", {"name": "web", "loadBalancerType": "network"},
     "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/net/web/6eeb55f76600d4ad"),
    ("aws:lb/targetGroup:TargetGroup", {"name": "tg"},
     "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/tg/6eeb55f76600d4ad"),
    ("aws:alb/targetGroup:TargetGroup", {"name": "tg"},
     "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/tg/6eeb55f76600d4ad"),
    ("aws:lb/listener:Listener", {"loadBalancerArn": _LB},
     _LB.replace(":loadbalancer/", ":listener/") + "/6eeb55f76600d4ad"),
    ("aws:alb/listener:Listener", {"loadBalancerArn": f"SECRET:{_LB}"},
     _LB.replace(":loadbalancer/", ":listener/") + "/6eeb55f76600d4ad"),
    ("aws:lb/listenerRule:ListenerRule", {"listenerArn": _LISTENER},
     _LISTENER.replace(":listener/", ":listener-rule/") + "/6eeb55f76600d4ad"),
    ("aws:networkfirewall/firewall:Firewall", {"name": "fw"},
     "arn:aws:network-firewall:eu-west-1:123456789012:firewall/fw"),
    ("aws:networkfirewall/firewallPolicy:FirewallPolicy", {"name": "egress"},
     "arn:aws:network-firewall:eu-west-1:123456789012:firewall-policy/egress"),
    ("aws:networkfirewall/ruleGroup:RuleGroup", {"name": "domains", "type": "STATEFUL"},
     "arn:aws:network-firewall:eu-west-1:123456789012:stateful-rulegroup/domains"),
    ("aws:sns/topic:Topic", {"name": "alerts"}, "arn:aws:sns:eu-west-1:123456789012:alerts"),
    ("aws:ecs/cluster:Cluster", {"name": "apps"}, "arn:aws:ecs:eu-west-1:123456789012:cluster/apps"),
    # An ECS service's ARN names its cluster, given by ARN (`cluster=cluster.id`) or name, else ECS's default one.
    ("aws:ecs/service:Service", {"name": "web", "cluster": "arn:aws:ecs:eu-west-1:123456789012:cluster/apps"},
     "arn:aws:ecs:eu-west-1:123456789012:service/apps/web"),
    ("aws:ecs/service:Service", {"name": "web", "cluster": "apps"},
     "arn:aws:ecs:eu-west-1:123456789012:service/apps/web"),
    ("aws:ecs/service:Service", {"name": "web"}, "arn:aws:ecs:eu-west-1:123456789012:service/default/web"),
    ("aws:ecs/service:Service", {"name": "web", "cluster": "UNKNOWN"}, "UNKNOWN"),
    ("aws:cloudtrail/trail:Trail", {"name": "audit"}, "arn:aws:cloudtrail:eu-west-1:123456789012:trail/audit"),
    ("aws:iam/policy:Policy", {"name": "read", "path": "/app/"}, "arn:aws:iam::123456789012:policy/app/read"),
    ("aws:secretsmanager/secret:Secret", {"name": "db"},
     "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-6eeb55"),
    # The name (d.SetId(name)): `mesh_name=mesh.id`, `event_bus_name=bus.id` name the mesh and the bus.
    ("aws:cloudwatch/eventBus:EventBus", {"name": "orders"}, "orders"),
    ("aws:cloudwatch/eventBus:EventBus", {"name": "SECRET:orders"}, "orders"),
    ("aws:appmesh/mesh:Mesh", {"name": "simpleapp"}, "simpleapp"),
    ("aws:dynamodb/table:Table", {"name": "Orders"}, "Orders"),
    ("aws:iam/role:Role", {"name": "app-task"}, "app-task"),
    ("aws:iam/user:User", {"name": "ci"}, "ci"),
    ("aws:iam/group:Group", {"name": "ops"}, "ops"),
    ("aws:iam/instanceProfile:InstanceProfile", {"name": "nodes"}, "nodes"),
    ("aws:cloudwatch/metricAlarm:MetricAlarm", {"name": "5xx"}, "5xx"),
    ("aws:ssm/parameter:Parameter", {"name": "/app/flag"}, "/app/flag"),
    ("aws:ecr/repository:Repository", {"name": "web"}, "web"),
    ("aws:ecs/taskDefinition:TaskDefinition", {"family": "web"}, "web"),  # its ARN `task-definition/web:1`
    ("aws:cloudwatch/logGroup:LogGroup", {"name": "/aws/lambda/f"}, "/aws/lambda/f"),
    ("aws:lambda/function:Function", {"name": "auth"}, "auth"),
    ("aws:s3/bucket:Bucket", {"bucket": "audit-archive"}, "audit-archive"),  # its ARN `arn:aws:s3:::audit-archive`
    ("aws:s3/bucketV2:BucketV2", {"bucket": "UNKNOWN"}, "UNKNOWN"),
    ("aws:s3/bucket:Bucket", {"bucketPrefix": "pre-"}, "UNKNOWN"),  # the provider names it from the prefix at create
    ("aws:iam/role:Role", {"namePrefix": "UNKNOWN"}, "UNKNOWN"),
    # A name does not depend on the region, an ARN does.
    ("aws:dynamodb/table:Table", {"name": "Orders", "region": "UNKNOWN"}, "Orders"),
    ("aws:lb/targetGroup:TargetGroup", {"name": "tg", "region": "UNKNOWN"}, "UNKNOWN"),
    # Unknown while what it is made from is: the SDK takes an empty id for an unknown one.
    ("aws:cloudwatch/eventBus:EventBus", {"name": "UNKNOWN"}, "UNKNOWN"),
    ("aws:appmesh/mesh:Mesh", {"name": "UNKNOWN"}, "UNKNOWN"),
    ("aws:ecs/cluster:Cluster", {"name": "UNKNOWN"}, "UNKNOWN"),
    ("aws:lb/loadBalancer:LoadBalancer", {"name": "UNKNOWN"}, "UNKNOWN"),
    ("aws:lb/listener:Listener", {"loadBalancerArn": "UNKNOWN"}, "UNKNOWN"),
    ("aws:lb/listenerRule:ListenerRule", {"listenerArn": "UNKNOWN"}, "UNKNOWN"),
    ("aws:networkfirewall/ruleGroup:RuleGroup", {"name": "UNKNOWN", "type": "STATELESS"}, "UNKNOWN"),
])
def test_a_resources_id_is_awss_handle_for_it_where_pulumi_aws_takes_that(type_, inputs, resource_id, aws_types):
    """The id pulumi-aws gives these types (each one's `## Import` takes it), where the mocks made `<name>-id`: a
    listener on `lb.id` was no ALB's to elb-listener-http-redirects, and a rule on `bus.id` on no bus a rule on
    `bus.name` was on. The id is in the outputs too; with `--unknown-outputs` it is unknown, as every id."""
    from pulumi.runtime import rpc
    from tools.mockrun import PreviewMocks

    wire = {k: rpc.UNKNOWN if v == "UNKNOWN" else {rpc._special_sig_key: rpc._special_secret_sig, "value": v[7:]}
            if isinstance(v, str) and v.startswith("SECRET:") else v for k, v in inputs.items()}
    got_id, outputs = PreviewMocks("eu-west-1", unknown_outputs=False).added_outputs(type_, "res", True, wire)
    assert (got_id, outputs["id"]) == (("", rpc.UNKNOWN) if resource_id == "UNKNOWN" else (resource_id, resource_id))
    if resource_id.startswith("arn:"):
        assert outputs["arn"] == resource_id
    got_id, outputs = PreviewMocks("eu-west-1", unknown_outputs=True).added_outputs(type_, "res", True, wire)
    assert (got_id, outputs["id"]) == ("", rpc.UNKNOWN)


@pytest.mark.parametrize("optimise", [True, False])
def test_an_output_a_type_declares_secret_is_secret(optimise, tmp_path):
    """pulumi_tls's PrivateKey names its PEMs in `additionalSecretOutputs`, which the engine returns as secrets;
    the mocks returned them as plain text, so a program exporting one printed it (a review found it)."""
    main = ("import pulumi\nimport pulumi_tls as tls\nkey = tls.PrivateKey('key', algorithm='RSA')\n"
            "pulumi.export('private', key.private_key_pem)\npulumi.export('public', key.public_key_pem)\n")
    result = run_preview("test", small_program(tmp_path, "secrets", main), optimise=optimise)
    assert result.error is None, result.error
    assert result.outputs == {
        "private": {"secret": "-----BEGIN PRIVATE KEY-----\nmock-key\n-----END PRIVATE KEY-----\n"},
        "public": "-----BEGIN PUBLIC KEY-----\nmock-key\n-----END PUBLIC KEY-----\n"}


_READ_QUEUE = """
import json
import pulumi
import pulumi_aws as aws

URL = "https://sqs.us-east-1.amazonaws.com/123456789012/legacy-events"
legacy = aws.sqs.Queue.get("legacy", URL)
aws.sqs.QueuePolicy("legacy-policy", queue_url=legacy.id, policy=json.dumps({
    "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "sqs:SendMessage",
    "Resource": "arn:aws:sqs:us-east-1:123456789012:legacy-events"}]}))
role = aws.iam.Role.get("ops", "ops-admin")
# The provider's importer rewrites a service's `cluster/service` into its ARN: unknown offline.
service = aws.ecs.Service.get("web", "apps/web")
pulumi.export("read", [legacy.id, legacy.url, legacy.arn, role.id, role.name, role.arn, service.id, service.arn])
"""


def test_a_resource_read_by_id_has_that_id_and_the_outputs_that_are_it(tmp_path):
    """The engine reads an existing resource during a preview (ReadStep), so a program that passes a read queue's id
    on names it: the SDK's mock monitor left the id out of its reply, the preview read it as unknown, and a public
    policy on the read queue went unjudged. Outputs that are the id are known too; the rest are the account's."""
    result = run_preview("test", small_program(tmp_path, "reads", _READ_QUEUE), PACK, {"all": "mandatory"})
    assert result.error is None, result.error
    url = "https://sqs.us-east-1.amazonaws.com/123456789012/legacy-events"
    unknown = {"unknown": True}
    assert result.outputs["read"] == [url, url, unknown, "ops-admin", "ops-admin", unknown, unknown, unknown]
    assert [(v.policy, v.name) for v in result.violations] == [("sqs-queue-policy-not-public", "legacy-policy")]


@pytest.mark.parametrize("type_, inputs, outputs", [
    # Neither has an ARN or a name in pulumi-aws: the mocks gave every custom resource both.
    ("aws:ec2/route:Route", {"routeTableId": "rtb-1", "destinationCidrBlock": "0.0.0.0/0"}, {"id"}),
    ("aws:iam/rolePolicyAttachment:RolePolicyAttachment", {"role": "r", "policyArn": "arn:aws:iam::aws:policy/x"},
     {"id"}),
    ("aws:sns/topic:Topic", {}, {"arn", "name", "id"}),
    # A component's state is what it registers, a provider's its config: nothing made up.
    ("my:index:Component", {"foo": "bar"}, set()),
    ("pulumi:providers:aws", {"region": "eu-west-1"}, set()),
])
def test_a_resource_gets_only_the_outputs_its_type_has(type_, inputs, outputs, aws_types):
    from tools.mockrun import PreviewMocks

    custom = type_ != "my:index:Component"
    _, added = PreviewMocks("eu-west-1", unknown_outputs=False).added_outputs(type_, "res", custom, inputs)
    assert set(added) - {"tagsAll"} == outputs


def test_a_lambda_functions_invoke_arn_and_an_apis_execution_arn_name_what_aws_does():
    """`invokeArn` wraps the function's own ARN, and a REST API's `executionArn` names its id, as the stage's does."""
    from tools.mockrun import PreviewMocks

    mocks = PreviewMocks("eu-west-1", unknown_outputs=False)
    _, function = mocks.added_outputs("aws:lambda/function:Function", "auth", True, {"name": "dev-auth"})
    assert function["invokeArn"] == (
        f"arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/{function['arn']}/invocations")
    api_id, api = mocks.added_outputs("aws:apigateway/restApi:RestApi", "api", True, {"name": "shop"})
    _, stage = mocks.added_outputs("aws:apigateway/stage:Stage", "stage", True, {"restApi": api_id, "stageName": "v1"})
    assert stage["executionArn"] == f"{api['executionArn']}/v1"
    assert api["executionArn"] == f"arn:aws:execute-api:eu-west-1:123456789012:{api_id}"


_ALB_HTTP = """
import pulumi_aws as aws
alb = aws.lb.LoadBalancer("alb", name="web", load_balancer_type="application", internal=True,
                          subnets=["subnet-1", "subnet-2"], drop_invalid_header_fields=True)
aws.lb.Listener("plain", load_balancer_arn=alb.arn, port=80,
                default_actions=[aws.lb.ListenerDefaultActionArgs(type="fixed-response",
                    fixed_response=aws.lb.ListenerDefaultActionFixedResponseArgs(content_type="text/plain",
                                                                                 status_code="200"))])
"""


def test_an_alb_listener_without_a_protocol_is_judged_as_the_http_one_aws_makes_it(tmp_path):
    """The provider sends HTTP for a listener without `protocol` when its load balancer's ARN holds
    `loadbalancer/app/`: the mocks' made-up ARN never did, so such a listener serving plain HTTP passed
    elb-listener-http-redirects in every preview after the first."""
    (tmp_path / "Pulumi.yaml").write_text("name: alb\nruntime: python\n")
    (tmp_path / "Pulumi.test.yaml").write_text("config:\n  aws:region: us-east-1\n")
    (tmp_path / "__main__.py").write_text(_ALB_HTTP)
    result = run_preview("test", tmp_path, PACK)
    assert result.error is None, result.error
    found = [v.message for v in result.violations if v.policy == "elb-listener-http-redirects"]
    assert len(found) == 1 and "is fixed-response" in found[0], found


_NAMED_BY_ID = """
import pulumi, pulumi_aws as aws
lb = aws.lb.LoadBalancer("web", name="web", internal=True, subnets=["subnet-a", "subnet-b"])
tg = aws.lb.TargetGroup("web-tg", port=443, protocol="HTTPS", vpc_id="vpc-0123456789abcdef0", target_type="ip")
aws.lb.Listener("web-http", load_balancer_arn=lb.id, port=80,
                default_actions=[{"type": "forward", "target_group_arn": tg.arn}])
bus = aws.cloudwatch.EventBus("orders-bus", name="orders")
pattern = '{"source": ["shop.orders"]}'
aws.cloudwatch.EventRule("by-name", name="dup", event_bus_name=bus.name, event_pattern=pattern)
aws.cloudwatch.EventRule("by-arn", name="dup", event_bus_name=bus.arn, event_pattern=pattern)
mesh = aws.appmesh.Mesh("simple", name="simpleapp")
node = aws.appmesh.VirtualNode("serviceb", name="serviceBv1", mesh_name=mesh.id, spec={})
pulumi.export("lbId", lb.id)
pulumi.export("busId", bus.id)
pulumi.export("nodeArn", node.arn)
"""


def test_a_resource_named_by_its_id_is_named_by_the_handle_aws_gives_it(tmp_path):
    """pulumi-aws's own examples pass a load balancer on by its id, its ARN, and a mesh by its id, its name. With
    `<name>-id` the listener on `lb.id`, HTTP by default on an ALB, passed elb-listener-http-redirects, and a rule
    on the bus by ARN (`arn:aws:cloudwatch:...:eventBus/<resource name>`) was on another bus than its namesake on
    it by name, so cloudwatch-names-unique passed both: a real preview of the existing stack reports all three."""
    (tmp_path / "Pulumi.yaml").write_text("name: ids\nruntime: python\n")
    (tmp_path / "Pulumi.test.yaml").write_text("config:\n  aws:region: us-east-1\n")
    (tmp_path / "__main__.py").write_text(_NAMED_BY_ID)
    result = run_preview("test", tmp_path, PACK)
    assert result.error is None, result.error
    found = {(v.policy, v.name) for v in result.violations}
    assert {("elb-listener-http-redirects", "web-http"), ("cloudwatch-names-unique", "by-name"),
            ("cloudwatch-names-unique", "by-arn")} <= found, found
    assert re.fullmatch(r"arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/[0-9a-f]{16}",
                        result.outputs["lbId"])
    assert result.outputs["busId"] == "orders"
    assert result.outputs["nodeArn"] == "arn:aws:appmesh:us-east-1:123456789012:mesh/simpleapp/virtualNode/serviceBv1"


@pytest.mark.parametrize("optimise", [True, False])
def test_a_task_roles_arn_is_the_one_its_policies_are_read_against(optimise, tmp_path):
    """The review's case: a role policy letting the task write policies on `role/service/*` lets it on its own role,
    whose ARN is `arn:aws:iam::<account>:role/service/app-task`. The known run missed it, the made-up ARN naming
    a region and the resource's name (`role/task`), while a first preview, building the ARN from path and name,
    reported it."""
    (tmp_path / "Pulumi.yaml").write_text("name: iam\nruntime: python\n")
    (tmp_path / "Pulumi.test.yaml").write_text("config:\n  aws:region: us-east-1\n")
    (tmp_path / "__main__.py").write_text(_IAM_ARNS)
    found = {}
    for unknown in (False, True):
        result = run_preview("test", tmp_path, PACK, unknown_outputs=unknown, optimise=optimise)
        assert result.error is None, result.error
        found[unknown] = [v.message for v in result.violations if v.policy == "iam-task-role-no-ecs-sc-secrets"]
    assert result.outputs["roleArn"] == {"unknown": True}
    assert len(found[False]) == 1 and found[False] == found[True]
    known = run_preview("test", tmp_path, unknown_outputs=False, optimise=optimise)
    assert known.outputs["roleArn"] == "arn:aws:iam::123456789012:role/service/app-task"


def test_unknown_values_are_not_violations():
    # In a first preview the filter of later-mesh is unknown: the policy cannot run on it, and says so.
    first = run_preview("test", DROP_ALL, PACK, unknown_outputs=True)
    assert "later-mesh" not in {v.name for v in _egress(first.violations)}
    assert [(n.policy, n.name) for n in _egress(first.not_run)] == [(EGRESS_POLICY, "later-mesh")]
    assert first.outputs["openMeshArn"] == {"unknown": True}
    # Once known, it is checked like any other and passes.
    known = run_preview("test", DROP_ALL, PACK)
    assert _egress(known.not_run) == [] and "later-mesh" not in {v.name for v in _egress(known.violations)}


def test_secret_config_gets_a_placeholder_marked_secret(drop_all_result):
    assert drop_all_result.secret_config_keys == ["drop-all-violation:token"]
    assert drop_all_result.outputs["token"] == {"secret": "https://offline-preview-secret-placeholder.invalid/"}


def test_prod_secret_config_is_reported_in_output(capsys):
    code, out, _ = _cli(capsys, "--stack", "prod", "--cwd", str(ROOT))
    assert code == 0
    # `api` holds the consumers' key values (`secure:` under it makes the whole key a secret, as for the CLI).
    assert ("Secret config service-mesh-platform:api, service-mesh-platform:alarmPagerEndpoint cannot be decrypted "
            "offline: a placeholder marked secret stands in for each.") in out


# --- what the program logs -------------------------------------------------------------------------


_LOGGING = ("import pulumi\n"
            "for _ in range(3):\n"
            "    pulumi.warn('x is deprecated')\n"
            "pulumi.warn('a different warning')\n"
            "pulumi.error('an error')\n"
            "pulumi.info('progress')\n")


@pytest.mark.parametrize("as_json", [False, True])
def test_what_the_program_logs_is_listed_once_per_message_with_a_count(as_json, tmp_path, capsys):
    (tmp_path / "Pulumi.yaml").write_text("name: logging\nruntime: python\n")
    (tmp_path / "Pulumi.test.yaml").write_text("config: {}\n")
    (tmp_path / "__main__.py").write_text(_LOGGING)
    code, out, err = _cli(capsys, "--stack", "test", "--cwd", str(tmp_path), *(["--json"] if as_json else []))
    # Not on stderr as it comes; an error logged does not fail the run, as in the CLI (pulumi/pulumi#6090).
    assert code == 0 and err == ""
    expected = [("error", "an error", 1), ("warning", "a different warning", 1), ("warning", "x is deprecated", 3)]
    if as_json:
        assert [tuple(d.values()) for d in json.loads(out)["diagnostics"]] == expected
    else:
        section = out.split("Diagnostics:\n", 1)[1].split("\n\n", 1)[0]
        assert section == ("  error: an error\n  warning: a different warning\n"
                           "  warning: x is deprecated (x3)")


def test_a_message_of_several_lines_stays_under_its_heading():
    from tools.mockrun import Diagnostic
    from tools.preview import PreviewResult, render_text

    text = render_text(PreviewResult(diagnostics=[Diagnostic("warning", "first\nsecond", 2)]))
    assert "Diagnostics:\n  warning: first\n    second (x2)\n\n" in text


def test_mandatory_violations_are_listed_before_advisory_ones_whatever_their_names():
    from tools.policyeval import Violation
    from tools.preview import PreviewResult, render_text

    def violation(policy: str, level: str) -> Violation:
        return Violation(policy, level, f"{policy}\n{level} finding", "urn:pulumi:test::p::aws:s3/bucket:Bucket::b",
                         "aws:s3/bucket:Bucket", "b")

    # By name alone the advisory a-... would come first; what blocks `pulumi up` leads.
    text = render_text(PreviewResult(policy_pack="policies", violations=[
        violation("a-advisory-policy", "advisory"), violation("z-mandatory-policy", "mandatory")]))
    section = text.split("Policies (policies):\n", 1)[1].split("\n\n", 1)[0]
    assert section.splitlines() == ["  [mandatory] z-mandatory-policy  aws:s3/bucket:Bucket b",
                                    "      mandatory finding",
                                    "  [advisory] a-advisory-policy  aws:s3/bucket:Bucket b",
                                    "      advisory finding"]


def test_what_the_program_logged_before_it_failed_comes_before_the_error_line(tmp_path, capsys):
    (tmp_path / "Pulumi.yaml").write_text("name: logging\nruntime: python\n")
    (tmp_path / "Pulumi.test.yaml").write_text("config: {}\n")
    # pulumi/pulumi#6573: log the error, then raise to stop the program.
    (tmp_path / "__main__.py").write_text(_LOGGING + "raise ValueError('boom')\n")
    code, out, err = _cli(capsys, "--stack", "test", "--cwd", str(tmp_path))
    assert (code, out) == (2, "")
    assert err.splitlines() == ["error: an error", "warning: a different warning", "warning: x is deprecated (x3)",
                                "error: the program failed: ValueError: boom (__main__.py:7)"]


def test_a_wait_that_ends_before_the_registrations_do_is_an_error_not_a_smaller_stack(monkeypatch):
    from tools.sdk_internals import outputs

    whole = run_preview("test", DROP_ALL)
    assert whole.error is None and len(whole.resources) == 5  # the stack and its four meshes

    async def returns_at_once() -> None:
        return None

    # The wait for outstanding outputs is what holds the run open until every registration is answered.
    monkeypatch.setattr(outputs, "_await_outstanding_outputs", returns_at_once)
    cut_short = run_preview("test", DROP_ALL)
    assert cut_short.exit_code == 2 and cut_short.resources == []
    assert cut_short.error.startswith("the program's run ended with ")
    assert "calls to the engine (resource registrations, reads or invokes) still pending" in cut_short.error


def test_app_mesh_mode_warns_once_for_the_deprecated_field_it_sets_on_purpose(dev_appmesh_preview, dev_preview):
    # pulumi_aws warns each time the field is set: once per Cloud Map service (an empty block is replaced). And the
    # program says, once, that the plane cannot be deployed (a real `pulumi preview` shows it too).
    services = len(dev_appmesh_preview.find("aws:servicediscovery/service:Service"))
    assert [(d.severity, d.message.split(":")[0], d.count) for d in dev_appmesh_preview.diagnostics] == [
        ("warning", "failure_threshold is deprecated", services), ("warning", "mesh.dataPlane is appmesh", 1)]
    assert DISCONTINUED in [d.message for d in dev_appmesh_preview.diagnostics] and "2026-09-30" in DISCONTINUED
    assert services > 1 and dev_preview.diagnostics == []


# --- errors: one line on stderr, exit 2, never a traceback -----------------------------------------


def test_config_error_is_one_line_and_exit_2(tmp_path, capsys):
    program = program_with_stack(tmp_path, "dev", lambda text: text.replace(
        "      port: 8000\n      publicPath: /orders", "      port: 70000\n      publicPath: /orders"))
    code, out, err = _cli(capsys, "--stack", "dev", "--cwd", str(program), "--policy-pack", str(PACK))
    assert code == 2 and out == ""
    assert err == "error: Pulumi.dev.yaml: services[2].port: 70000 is not a port (1-65535)\n"


def test_a_region_outside_the_aws_partition_is_one_line_and_exit_2(tmp_path, capsys):
    """The key policies' account root, the managed policy ARNs and the trust conditions are the aws partition's:
    the preview stops on the region instead of showing a stack whose first update fails in GovCloud."""
    program = program_with_stack(tmp_path, "prod", lambda text: text.replace("  aws:region: us-east-1",
                                                                             "  aws:region: us-gov-west-1"))
    code, out, err = _cli(capsys, "--stack", "prod", "--cwd", str(program))
    assert code == 2 and out == ""
    assert err == ("error: Pulumi.prod.yaml: aws:region: us-gov-west-1 is in AWS's aws-us-gov partition; the program "
                   "writes the aws partition's ARNs, service principals and endpoint names (its commercial regions, "
                   "like us-east-1), which aws-us-gov's APIs refuse\n")


def test_malformed_stack_yaml_is_one_line_and_exit_2(tmp_path, capsys):
    program = program_with_stack(tmp_path, "dev", lambda text: text.replace("  aws:region: us-east-1",
                                                                            "  aws:region: [us-east-1"))
    code, out, err = _cli(capsys, "--stack", "dev", "--cwd", str(program))
    assert code == 2 and out == ""
    assert err.startswith("error: Pulumi.dev.yaml: line ") and "is not valid YAML" in err
    assert err.count("\n") == 1


def test_program_bug_is_one_line_and_exit_2(capsys):
    code, _, err = _cli(capsys, "--stack", "test", "--cwd", str(BROKEN))
    assert code == 2
    assert err == "error: the program failed: KeyError: 'missing' (__main__.py:3)\n"


@pytest.mark.parametrize("code, shown", [(0, "0"), (1, "1"), ("config bad", "'config bad'"), (None, "")])
def test_a_program_that_calls_sys_exit_is_one_line_and_exit_2(code, shown, tmp_path, capsys):
    """Exit 0 printed nothing, even with --json, and exit 1 read as mandatory violations."""
    (tmp_path / "Pulumi.yaml").write_text("name: exits\nruntime: python\n")
    (tmp_path / "Pulumi.test.yaml").write_text("config: {}\n")
    (tmp_path / "__main__.py").write_text(
        f"import sys\nimport pulumi_aws as aws\n\naws.sns.Topic('t')\nsys.exit({code!r})\n")
    assert _cli(capsys, "--stack", "test", "--cwd", str(tmp_path), "--json") == (
        2, "", f"error: the program exited early: sys.exit({shown}) (__main__.py:5)\n")
    code, _, err = _cli(capsys, "--stack", "test", "--cwd", str(tmp_path), "--traceback")
    assert code == 2 and "Traceback (most recent call last)" in err and "SystemExit" in err


def test_a_policy_that_raises_is_the_packs_failure_named_by_its_path_in_the_pack(tmp_path, capsys):
    pack = tmp_path / "pack-dir"  # named by its PolicyPack name, not its directory's
    (pack / "checks").mkdir(parents=True)
    (pack / "PulumiPolicy.yaml").write_text("runtime: python\n")
    (pack / "checks" / "__init__.py").write_text(
        "def boom(args, report_violation):\n    raise KeyError('policy bug')\n")
    (pack / "__main__.py").write_text(
        "from pulumi_policy import PolicyPack, ResourceValidationPolicy\n"
        "from checks import boom\n"
        "PolicyPack(name='raising',\n"
        "           policies=[ResourceValidationPolicy(name='boom', description='d', validate=boom)])\n")
    code, out, err = _cli(capsys, "--stack", "dev", "--cwd", str(BROKEN.parent / "mesh_only"), "--policy-pack",
                          str(pack))
    assert (code, out) == (2, "")
    assert err.splitlines()[-1] == ("error: the policy pack raising failed: KeyError: 'policy bug' "
                                    "(checks/__init__.py:2)")


def test_a_program_kept_in_its_packs_directory_is_still_the_program(tmp_path):
    from tools.preview import _failed_part

    def raised_in(path):
        try:
            exec(compile("raise KeyError('x')", str(path), "exec"))
        except KeyError as exc:
            return exc

    program, pack = tmp_path / "pack" / "program", tmp_path / "pack"
    assert _failed_part(raised_in(program / "__main__.py"), program, pack, "p") == ("the program", " (__main__.py:1)")
    assert _failed_part(raised_in(pack / "__main__.py"), program, pack, "p") == ("the policy pack p",
                                                                                 " (__main__.py:1)")
    # The usual layout, the pack inside the program's directory (policies/): its files are the pack's.
    assert _failed_part(raised_in(tmp_path / "policies" / "checks.py"), tmp_path, tmp_path / "policies", "p") == (
        "the policy pack p", " (checks.py:1)")


def test_a_policy_config_without_its_pack_is_refused_as_the_cli_refuses_it(capsys):
    assert _cli(capsys, "--stack", "dev", "--cwd", str(ROOT), "--policy-pack-config",
                str(PACK / "config" / "dev.json")) == (
        2, "", "error: a policy config needs its policy pack: give --policy-pack too\n")


@pytest.mark.parametrize("line,error", [
    # Raised in pulumi's resource.py; the line to fix is the program's.
    ("aws.s3.Bucket('b', opts=5)", "TypeError: Expected opts2 to be a ResourceOptions instance"),
    # Raised by the lazy service package (tools/sdk_internals/lazy_aws.py), which stands in for pulumi_aws's.
    ("aws.s3.Buckett('b')", "AttributeError: module 'pulumi_aws.s3' has no attribute 'Buckett'"),
], ids=["in-the-sdk", "in-a-shim-standing-in-for-the-sdk"])
def test_a_program_bug_found_inside_the_sdk_names_the_programs_line(line, error, tmp_path, capsys):
    (tmp_path / "Pulumi.yaml").write_text("name: bad-options\nruntime: python\n")
    (tmp_path / "Pulumi.test.yaml").write_text("config: {}\n")
    (tmp_path / "__main__.py").write_text(f"import pulumi_aws as aws\n\n{line}\n")
    code, _, err = _cli(capsys, "--stack", "test", "--cwd", str(tmp_path))
    assert (code, err) == (2, f"error: the program failed: {error} (__main__.py:3)\n")


@pytest.mark.parametrize("optimise", [True, False])
def test_two_resources_with_one_urn_stop_the_preview_as_the_engine_refuses_them(optimise, tmp_path):
    """The engine refuses a second registration of a URN before anything is created; the SDK's mock monitor kept
    the second quietly. A second component child of another parent name (same type chain) collides too."""
    (tmp_path / "Pulumi.yaml").write_text("name: twice\nruntime: python\n")
    (tmp_path / "Pulumi.test.yaml").write_text("config: {}\n")
    (tmp_path / "__main__.py").write_text(
        "import pulumi\nimport pulumi_aws as aws\n\n"
        "class Box(pulumi.ComponentResource):\n"
        "    def __init__(self, name):\n"
        "        super().__init__('test:index:Box', name)\n"
        "        aws.s3.Bucket('bucket', opts=pulumi.ResourceOptions(parent=self))\n\n"
        "Box('one')\nBox('two')\naws.s3.Bucket('bucket')\n")
    result = run_preview("test", tmp_path, optimise=optimise)
    assert result.exit_code == 2
    assert result.error == ("Duplicate resource URN 'urn:pulumi:test::twice::test:index:Box$aws:s3/bucket:Bucket::"
                            "bucket'; try giving it a unique name")


def test_missing_stack_file_and_bad_usage_exit_2(capsys):
    code, _, err = _cli(capsys, "--stack", "no-such-stack", "--cwd", str(ROOT))
    assert code == 2 and err.strip().endswith("Pulumi.no-such-stack.yaml: not found")
    # A stack without its file is that error, not its policy config's (which `./dev` names by the stack too).
    code, _, err = _cli(capsys, "--stack", "no-such-stack", "--cwd", str(ROOT), "--policy-pack", str(PACK),
                        "--policy-pack-config", str(PACK / "config" / "no-such-stack.json"))
    assert code == 2 and err.strip().endswith("Pulumi.no-such-stack.yaml: not found")
    code, _, _ = _cli(capsys, "--cwd", str(ROOT))
    assert code == 2
    code, _, err = _cli(capsys, "--stack", "test", "--cwd", str(DROP_ALL), "--policy-pack", str(ROOT / "tests"))
    assert code == 2 and "not a policy pack" in err


# --- isolation ------------------------------------------------------------------------------------


def test_runs_do_not_leak_into_each_other(dev_preview):
    first = run_preview("test", DROP_ALL, PACK)
    again = run_preview("dev", ROOT, PACK)
    second = run_preview("test", DROP_ALL, PACK)
    assert again.error is None
    # Registration order is async; what is registered is not.
    assert sorted((r.type, r.name) for r in again.resources) == sorted((r.type, r.name) for r in dev_preview.resources)
    assert again.outputs == dev_preview.outputs
    assert sorted((r.type, r.name) for r in first.resources) == sorted((r.type, r.name) for r in second.resources)
    # The throwaway program's config and resources never show up in the platform's run.
    assert not again.find("aws:appmesh/mesh:Mesh", "open-mesh")
    assert "openMeshArn" not in again.outputs


def test_the_module_entry_point_runs_in_a_fresh_interpreter():
    completed = subprocess.run([sys.executable, "-m", "tools.preview", "--stack", "test", "--cwd", str(DROP_ALL),
                                "--policy-pack", str(PACK), "--json"],
                               cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert completed.returncode == 1, completed.stderr
    violations = json.loads(completed.stdout)["violations"]
    assert {v["name"] for v in violations if v["policy"] == EGRESS_POLICY} == {"open-mesh", "unstated-mesh"}


def test_the_module_entry_point_runs_without_docstrings():
    """A review found `PYTHONOPTIMIZE=2 ./dev preview dev` failing with an AttributeError: --help's description was
    the module's docstring, which `python -OO` drops."""
    helped = subprocess.run([sys.executable, "-OO", "-m", "tools.preview", "--help"], cwd=ROOT, capture_output=True,
                            text=True, timeout=300)
    assert (helped.returncode, helped.stderr) == (0, "") and preview_cli.DESCRIPTION in " ".join(helped.stdout.split())
    completed = subprocess.run([sys.executable, "-OO", "-m", "tools.preview", "--stack", "test", "--cwd", str(DROP_ALL),
                                "--policy-pack", str(PACK), "--json"],
                               cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert completed.returncode == 1, completed.stderr
    violations = json.loads(completed.stdout)["violations"]
    assert {v["name"] for v in violations if v["policy"] == EGRESS_POLICY} == {"open-mesh", "unstated-mesh"}


def test_output_that_cannot_be_written_is_one_line_and_exit_2(tmp_path):
    """A review found `--json | head -1` and `> /dev/full` ending in a traceback and exit 1, which means violations:
    one line, exit 2, and no second error from the interpreter's own flush at exit."""
    command = [sys.executable, "-m", "tools.preview", "--stack", "test", "--cwd", str(DROP_ALL), "--json"]
    with open("/dev/full", "w") as full:
        done = subprocess.run(command, cwd=ROOT, stdout=full, stderr=subprocess.PIPE, text=True, timeout=300)
    assert (done.returncode, done.stderr) == (2, "error: could not write the output: No space left on device\n")
    # A reader gone before the preview writes (`| head -1` once it has its line): the write meets a closed pipe.
    with subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as closed:
        closed.stdout.close()
        assert (closed.wait(timeout=300), closed.stderr.read()) == (
            2, "error: could not write the output: Broken pipe\n")


def _dev(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(ROOT / "dev"), *args], cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_the_dev_script_takes_the_stack_once_as_its_first_argument():
    """A review found `./dev preview --json` reading `--json` as the stack, `./dev preview dev --stack prod`
    previewing prod with dev's policy config, `./dev --help` exiting 2 and `./dev preview <org>/<project>/dev`
    looking for policies/config/<org>/<project>/dev.json."""
    helped = _dev("--help")
    assert (helped.returncode, helped.stderr) == (0, "") and helped.stdout.startswith("usage: ./dev preview ")
    for given, option in ((["dev", "--stack", "prod"], "--stack"), (["--stack=prod"], "--stack=prod"),
                          (["global", "--stack", "prod"], "--stack")):
        refused = _dev("preview", *given)
        assert (refused.returncode, refused.stdout, refused.stderr) == (
            2, "", f"error: {option}: ./dev preview takes the stack as an argument (./dev preview STACK, or ./dev "
                   f"preview global STACK), not as --stack\n")
    default, qualified = _dev("preview", "--json"), _dev("preview", "org/service-mesh-platform/dev", "--json")
    assert (default.returncode, default.stderr, qualified.returncode, qualified.stderr) == (0, "", 0, "")
    default_report, qualified_report = json.loads(default.stdout), json.loads(qualified.stdout)
    assert (default_report.pop("stack"), qualified_report.pop("stack")) == ("dev", "org/service-mesh-platform/dev")
    assert qualified_report == default_report  # dev's policy config


def test_the_stack_given_twice_is_refused(capsys):
    assert _cli_error(capsys, "--stack", "dev", "--stack=prod") == (
        2, "error: argument --stack: given twice (dev and prod): give it once (.venv/bin/python -m tools.preview "
           "--help)\n")


def test_one_stack_resource_per_run(drop_all_result):
    stacks = [r for r in drop_all_result.resources if r.type == ROOT_STACK_TYPE]
    assert [s.name for s in stacks] == ["drop-all-violation-test"]


def test_an_explicit_provider_reaches_the_policies_like_in_the_engine():
    # Tags that come only from the provider's defaultTags count, because the analyzer is given the provider.
    result = run_preview("test", ROOT / "tests" / "programs" / "explicit_provider", PACK,
                         {"tags-resource-required": {"requiredTags": ["Owner", "Environment", "Project"]}})
    assert result.error is None
    tagged = result.get("aws:appmesh/mesh:Mesh", "provider-tagged")
    assert "pulumi:providers:aws::tagged::" in tagged.provider
    flagged = {(v.policy, v.name) for v in result.violations}
    assert flagged == {("tags-resource-required", "untagged")}


_DEFAULT_TAGGED = """
import pulumi
import pulumi_aws as aws

group = aws.cloudwatch.LogGroup("group", name="/app", retention_in_days=30)
topic = aws.sns.Topic("topic", name="t", kms_master_key_id="alias/aws/sns",
                      tags={"Owner": "orders", "scratch-id": "1"})
own = aws.Provider("own", region="us-east-1", default_tags={"tags": {"Project": "shop"}})
other = aws.sns.Topic("other", name="o", kms_master_key_id="alias/aws/sns", opts=pulumi.ResourceOptions(provider=own))
rule = aws.ec2.SecurityGroupRule("rule", type="ingress", security_group_id="sg-0123", protocol="tcp",
                                 from_port=443, to_port=443, cidr_blocks=["10.0.0.0/16"])
pulumi.export("groupTagsAll", group.tags_all)
pulumi.export("topicTagsAll", topic.tags_all)
"""


@pytest.mark.parametrize("optimise", [True, False])
def test_tags_all_merges_the_stacks_default_tags_as_the_provider_does(optimise, tmp_path):
    """`aws:defaultTags` in the stack file: pulumi-aws's Check fills `tagsAll` (the default provider's default tags,
    the resource's own over them, less `ignoreTags`), which the analyzer and the program see. The mocks had
    mirrored `tags` alone, so the required-tags policy reported every resource a real preview passes."""
    (tmp_path / "Pulumi.yaml").write_text("name: defaulttags\nruntime: python\n")
    (tmp_path / "Pulumi.test.yaml").write_text(
        "config:\n  aws:region: us-east-1\n  aws:defaultTags:\n    tags:\n      Project: shop\n      Owner: platform\n"
        "  aws:ignoreTags:\n    keyPrefixes: [scratch-]\n")
    (tmp_path / "__main__.py").write_text(_DEFAULT_TAGGED)
    result = run_preview("test", tmp_path, PACK, {"tags-resource-required": {"requiredTags": ["Project", "Owner"]}},
                         optimise=optimise)
    assert result.error is None, result.error
    assert result.get("aws:cloudwatch/logGroup:LogGroup", "group").inputs["tagsAll"] == {
        "Project": "shop", "Owner": "platform"}
    assert result.get("aws:sns/topic:Topic", "topic").inputs["tagsAll"] == {"Project": "shop", "Owner": "orders"}
    # An explicit provider's default tags replace the stack's, as that provider is the resource's.
    assert result.get("aws:sns/topic:Topic", "other").inputs["tagsAll"] == {"Project": "shop"}
    # A type without tags has no tagsAll.
    assert "tagsAll" not in result.get("aws:ec2/securityGroupRule:SecurityGroupRule", "rule").inputs
    assert result.outputs["groupTagsAll"] == {"Owner": "platform", "Project": "shop"}
    assert result.outputs["topicTagsAll"] == {"Owner": "orders", "Project": "shop"}
    tag_findings = [(v.name, v.message.splitlines()[-1]) for v in result.violations
                    if v.policy == "tags-resource-required"]
    assert tag_findings == [("other", "missing required tags: Owner")]


def test_tags_all_is_unknown_where_the_provider_cannot_merge_yet():
    from pulumi.runtime import rpc

    from tools import awsprovider

    config = {"aws:defaultTags": json.dumps({"tags": {"Team": "x", "Version": 2}}),
              "aws:ignoreTags": json.dumps({"keys": ["Scratch"]})}
    assert awsprovider.merged_tags({"Scratch": "1", "Team": "y"}, None, config) == {"Team": "y", "Version": "2"}
    with pytest.raises(awsprovider.Unknown):
        awsprovider.merged_tags({"Team": rpc.UNKNOWN}, None, config)
    with pytest.raises(awsprovider.Unknown):  # an explicit provider whose default tags are unknown
        awsprovider.merged_tags({}, {"defaultTags": {"unknown": True}}, config)


_POLICY_DOCUMENTS = """
import pulumi
import pulumi_aws as aws

trust = aws.iam.PolicyDocumentArgs(version="2012-10-17", statement=[aws.iam.PolicyStatementArgs(
    effect="Allow", principal={"Service": "ecs-tasks.amazonaws.com"}, action="sts:AssumeRole",
    condition={"StringEquals": {"aws:SourceAccount": "123456789012"}})])
role = aws.iam.Role("role", assume_role_policy=trust)
topic = aws.sns.Topic("topic", name="t", kms_master_key_id="alias/aws/sns")
policy = aws.sns.TopicPolicy("policy", arn=topic.arn, policy={
    "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"},
                                            "Action": "sns:Publish", "Resource": topic.arn}]})
pulumi.export("trust", role.assume_role_policy)
pulumi.export("topicPolicy", policy.policy)
"""


@pytest.mark.parametrize("optimise", [True, False])
def test_a_policy_document_given_as_a_map_comes_back_as_json_text(optimise, tmp_path):
    """`aws.iam.PolicyDocumentArgs` (or a dict) where the SDK types the output as text: the mock echoed the map, and
    the SDK stopped the run ("Unexpected type; expected a value of type <class 'str'>"); the provider returns the
    JSON text (pulumi-terraform-bridge's TransformJSONDocument), unknown while the map holds an unknown."""
    (tmp_path / "Pulumi.yaml").write_text("name: documents\nruntime: python\n")
    (tmp_path / "Pulumi.test.yaml").write_text("config:\n  aws:region: us-east-1\n")
    (tmp_path / "__main__.py").write_text(_POLICY_DOCUMENTS)
    result = run_preview("test", tmp_path, PACK, optimise=optimise)
    assert result.error is None, result.error
    assert result.outputs["trust"] == (
        '{"Statement":[{"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:SourceAccount":"123456789012"}},'
        '"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"}}],"Version":"2012-10-17"}')
    statement = json.loads(result.outputs["topicPolicy"])["Statement"][0]
    assert statement["Resource"] == "arn:aws:sns:us-east-1:123456789012:t"  # SNS's ARN ends in the topic's name
    # The inputs stay as the program gave them (the policies read either form).
    assert result.get("aws:iam/role:Role", "role").inputs["assumeRolePolicy"]["Version"] == "2012-10-17"
    first = run_preview("test", tmp_path, PACK, unknown_outputs=True, optimise=optimise)
    assert first.error is None, first.error
    assert first.outputs["trust"].startswith('{"Statement"')
    assert first.outputs["topicPolicy"] == {"unknown": True}


PINNED_ACCOUNT = '  aws:allowedAccountIds: ["111122223333"]\n'


def small_program(directory: Path, project: str, main: str, config: str = "") -> Path:
    """A one-file program in `directory`, stack `test` in us-east-1 with more `config` lines."""
    (directory / "Pulumi.yaml").write_text(f"name: {project}\nruntime: python\n")
    (directory / "Pulumi.test.yaml").write_text(f"config:\n  aws:region: us-east-1\n{config}")
    (directory / "__main__.py").write_text(main)
    return directory


_TWO_DATA_BUCKETS = """
import pulumi
import pulumi_aws as aws


class Archive(pulumi.ComponentResource):
    def __init__(self, name):
        super().__init__("acme:index:Archive", name)
        bucket = aws.s3.Bucket("data", opts=pulumi.ResourceOptions(parent=self))
        aws.s3.BucketPublicAccessBlock("data-block", bucket=bucket.bucket, block_public_acls=True,
                                       block_public_policy=True, ignore_public_acls=True, restrict_public_buckets=True,
                                       opts=pulumi.ResourceOptions(parent=self))


class Scratch(pulumi.ComponentResource):
    def __init__(self, name):
        super().__init__("acme:index:Scratch", name)
        aws.s3.Bucket("data", opts=pulumi.ResourceOptions(parent=self))  # no public access block


Archive("archive")
Scratch("scratch")
"""


@pytest.mark.parametrize("unknown_outputs", [False, True])
def test_one_buckets_settings_do_not_count_for_another_of_the_same_resource_name(unknown_outputs, tmp_path):
    """Two auto-named buckets called `data` under two components are two buckets in AWS (each auto-name has a random
    part of its own); with one stand-in for every random part, the block naming the first by name counted for the
    second too, and the pack passed a bucket without one."""
    program = small_program(tmp_path, "buckets", _TWO_DATA_BUCKETS)
    only = {"all": "disabled", "s3-bucket-public-access-blocked": "mandatory"}
    result = run_preview("test", program, PACK, only, unknown_outputs=unknown_outputs)
    assert result.error is None, result.error
    archive, scratch = (r for r in result.find("aws:s3/bucket:Bucket"))
    assert archive.inputs["bucket"] != scratch.inputs["bucket"]
    assert [(v.policy, v.urn) for v in result.violations] == [("s3-bucket-public-access-blocked", scratch.urn)]


_WRITTEN_OTHERWISE = """
import pulumi
import pulumi_aws as aws

group = aws.ec2.SecurityGroup("group", vpc_id="vpc-1", description="ssh")
aws.vpc.SecurityGroupIngressRule("ssh", security_group_id=group.id, ip_protocol="tcp", from_port=22, to_port=22,
                                 cidr_ipv4=pulumi.Output.secret("0.0.0.0/0"))
lb = aws.alb.LoadBalancer("lb", subnets=["subnet-a", "subnet-b"], internal=True, drop_invalid_header_fields=True)
aws.alb.Listener("plain", load_balancer_arn=lb.arn, port=80,
                 default_actions=[{"type": "forward", "target_group_arn": "arn:aws:elasticloadbalancing:us-east-1:"
                                   "123456789012:targetgroup/tg/0123456789abcdef"}])
"""


@pytest.mark.parametrize("optimise", [True, False])
def test_the_pack_sees_a_secret_text_and_an_aws_alb_alias_as_a_real_run_gives_them(optimise, tmp_path):
    """Two ways a program may write what the pack checks, found by review to pass it offline: a secret CIDR (a map on
    the wire, which the mocks took for a map the provider returns as JSON text, and stored quoted, `"0.0.0.0/0"`,
    where the stack policies read it), and a load balancer of the aws:alb/* alias types (a made-up ARN without
    `loadbalancer/app/`, so a listener without a protocol was not taken for HTTP)."""
    from google.protobuf import json_format

    program = small_program(tmp_path, "otherwise", _WRITTEN_OTHERWISE)
    result = run_preview("test", program, PACK, {"all": "mandatory"}, optimise=optimise)
    assert result.error is None, result.error
    rule = result.get("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "ssh")
    assert json_format.MessageToDict(rule.state_struct)["cidrIpv4"]["value"] == "0.0.0.0/0"
    found = {(v.policy, v.name) for v in result.violations}
    assert {("ec2-securitygroup-no-public-ingress", "ssh"), ("elb-listener-http-redirects", "plain")} <= found
    arn = json_format.MessageToDict(result.get("aws:alb/loadBalancer:LoadBalancer", "lb").state_struct)["arn"]
    assert arn.startswith("arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/lb-")


_PINNED_ACCOUNT = """
import json
import pulumi
import pulumi_aws as aws

ACCOUNT = "111122223333"
key = aws.kms.Key("key", enable_key_rotation=True, policy=json.dumps({"Version": "2012-10-17", "Statement": [
    {"Sid": "root", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, "Action": "kms:*",
     "Resource": "*"},
    {"Sid": "logs", "Effect": "Allow", "Principal": {"Service": "logs.us-east-1.amazonaws.com"},
     "Action": ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
     "Resource": "*",
     "Condition": {"ArnLike": {"kms:EncryptionContext:aws:logs:arn": f"arn:aws:logs:us-east-1:{ACCOUNT}:*"}}}]}))
group = aws.cloudwatch.LogGroup("group", name="/app/one", kms_key_id=key.arn, retention_in_days=365)
pulumi.export("account", aws.get_caller_identity().account_id)
pulumi.export("group", group.arn)
"""


@pytest.mark.parametrize("optimise", [True, False])
@pytest.mark.parametrize("pinned", [True, False])
def test_a_stack_that_pins_its_account_is_previewed_in_it(pinned, optimise, tmp_path):
    """`aws:allowedAccountIds` names the only accounts the provider works in: the made-up ARNs and caller identity
    are in the first. A review found a key policy written with the real account, in AWS's documented form, reported
    by the pack because every made-up ARN was in the preview's own account."""
    program = small_program(tmp_path, "pinned", _PINNED_ACCOUNT, PINNED_ACCOUNT if pinned else "")
    result = run_preview("test", program, PACK, {"all": "mandatory"}, optimise=optimise)
    assert result.error is None, result.error
    account = "111122223333" if pinned else "123456789012"
    assert result.outputs == {"account": account, "group": f"arn:aws:logs:us-east-1:{account}:log-group:/app/one"}
    key_policy = {v.name for v in result.violations if v.policy == "cloudwatch-log-group-key-allows-logs"}
    assert key_policy == (set() if pinned else {"group"})


_TWO_ACCOUNTS = """
import pulumi
import pulumi_aws as aws

logs = aws.Provider("logs", region="eu-west-1", allowed_account_ids=["444455556666"])
unpinned = aws.Provider("unpinned", region=pulumi.Output.secret("eu-west-1"))  # a secret region is still its
here = aws.sns.Topic("here", name="here")
there = aws.sns.Topic("there", name="there", opts=pulumi.ResourceOptions(provider=logs))
plain = aws.sns.Topic("plain", name="plain", opts=pulumi.ResourceOptions(provider=unpinned))
pulumi.export("arns", [here.arn, there.arn, plain.arn])
pulumi.export("accounts", [aws.get_caller_identity().account_id,
                           aws.get_caller_identity(opts=pulumi.InvokeOptions(provider=logs)).account_id])
pulumi.export("region", aws.get_region(opts=pulumi.InvokeOptions(provider=unpinned)).region)
"""


@pytest.mark.parametrize("pinned", [True, False])
def test_a_resource_of_a_provider_that_pins_another_account_is_previewed_in_that_one(pinned, tmp_path):
    """An explicit provider's `allowed_account_ids` name the only accounts it works in, whatever the stack's: its
    resources' ARNs and its caller identity are in the first; a provider that pins none works in the stack's."""
    program = small_program(tmp_path, "two", _TWO_ACCOUNTS, PINNED_ACCOUNT if pinned else "")
    result = run_preview("test", program, PACK, {"all": "mandatory"})
    assert result.error is None, result.error
    stack = "111122223333" if pinned else "123456789012"
    assert result.outputs == {
        "arns": [f"arn:aws:sns:us-east-1:{stack}:here", "arn:aws:sns:eu-west-1:444455556666:there",
                 f"arn:aws:sns:eu-west-1:{stack}:plain"],
        "accounts": [stack, "444455556666"], "region": "eu-west-1"}


@pytest.mark.parametrize("region,arn_region", [({"secret": "eu-west-1"}, "eu-west-1"), ({"unknown": True}, None),
                                               (None, "us-east-1")])
def test_a_resources_arn_is_in_its_providers_region_secret_or_unknown(region, arn_region):
    """An explicit provider's region as its plain inputs hold it: a secret one is where it works, an unknown one
    leaves the ARN unknown (it was the stack's region in both cases)."""
    from pulumi.runtime import rpc
    from tools.mockrun import PreviewMocks

    mocks = PreviewMocks("us-east-1", unknown_outputs=False)
    mocks.registered_inputs = lambda urn: {} if region is None else {"region": region}
    _, outputs = mocks.added_outputs("aws:sns/topic:Topic", "t", True, {"name": "t"},
                                     provider="urn:pulumi:s::p::pulumi:providers:aws::eu::id")
    assert outputs["arn"] == (rpc.UNKNOWN if arn_region is None else f"arn:aws:sns:{arn_region}:123456789012:t")


def test_the_stack_account_is_the_first_allowed_one_as_the_provider_reads_it():
    from tools.invokes import stack_account

    assert stack_account({"aws:allowedAccountIds": '["111122223333", "444455556666"]'}) == "111122223333"
    assert stack_account({"aws:allowedAccountIds": "[111122223333]"}) == "111122223333"  # unquoted in YAML
    assert stack_account({}) == stack_account({"aws:allowedAccountIds": "[]"}) == "123456789012"
    assert stack_account({"aws:allowedAccountIds": '["not-an-account"]'}) == "123456789012"


_THREE_ALARMS = """
import pulumi
import pulumi_aws as aws

def alarm(name, **kwargs):
    return aws.cloudwatch.MetricAlarm(name, name="cpu-high", comparison_operator="GreaterThanThreshold",
                                      evaluation_periods=2, metric_name="CPUUtilization", namespace="AWS/ECS",
                                      period=60, statistic="Average", threshold=80, **kwargs)

alarm("by-default")
alarm("by-region", region="us-east-1")
alarm("by-provider", opts=pulumi.ResourceOptions(provider=aws.Provider("east", region="us-east-1")))
"""


@pytest.mark.parametrize("optimise", [True, False])
@pytest.mark.parametrize("pinned", [False, True])
def test_a_resource_without_an_explicit_provider_has_the_engines_default_one(pinned, optimise, tmp_path):
    """The engine gives every custom resource a provider, a default one per package where the program names none
    (`pulumi:providers:aws`, `default_<version>`, the stack's `aws:*` config as its inputs), and sends it to the
    analyzers. The offline preview sent none, so a policy could not tell the default provider's region: three
    alarms of one name in us-east-1 (by default, by `region`, by an explicit provider) were two to the pack. With the
    stack's account pinned, the default provider's `allowedAccountIds` is the ambient credentials' account, which an
    explicit provider without credentials of its own writes in too: still one account."""
    from google.protobuf import json_format

    from tools.policyeval import analyze_request

    program = small_program(tmp_path, "alarms", _THREE_ALARMS, PINNED_ACCOUNT if pinned else "")
    result = run_preview("test", program, PACK, {"all": "mandatory"}, optimise=optimise)
    assert result.error is None, result.error
    assert {v.name for v in result.violations if v.policy == "cloudwatch-names-unique"} == {
        "by-default", "by-region", "by-provider"}
    by_urn = {r.urn: r for r in result.resources}
    provider = analyze_request(result.get("aws:cloudwatch/metricAlarm:MetricAlarm", "by-default"), by_urn).provider
    version = metadata.version("pulumi_aws")
    name = "default_" + version.replace(".", "_")
    assert (provider.type, provider.name, provider.urn) == (
        "pulumi:providers:aws", name, f"urn:pulumi:test::alarms::pulumi:providers:aws::{name}")
    assert json_format.MessageToDict(provider.properties) == {
        "region": "us-east-1", "version": version, **({"allowedAccountIds": '["111122223333"]'} if pinned else {})}
    # Not one of the preview's resources: the counts are the program's.
    assert [r.type for r in result.resources if r.type.startswith("pulumi:providers:")] == ["pulumi:providers:aws"]


def test_a_default_providers_inputs_are_its_packages_config_a_secure_value_secret():
    from google.protobuf import json_format
    from pulumi.runtime import rpc

    from tools.mockrun import CapturingMonitor, DefaultProviders

    defaults = DefaultProviders({"aws:region": "eu-west-1", "aws:secretKey": "s3cret", "tls:x": "1", "app:y": "2"},
                                ["aws:secretKey"])
    stack = functools.partial(CapturingMonitor._urn, "prod", "shop", "")  # the URN maker the monitor passes
    provider = defaults.of("aws:s3/bucket:Bucket", "7.51.1", stack)
    assert (provider.urn, provider.name) == ("urn:pulumi:prod::shop::pulumi:providers:aws::default_7_51_1",
                                             "default_7_51_1")
    assert json_format.MessageToDict(provider.inputs_struct) == {
        "region": "eu-west-1", "version": "7.51.1",
        "secretKey": {rpc._special_sig_key: rpc._special_secret_sig, "value": "s3cret"}}
    assert defaults.of("aws:sqs/queue:Queue", "7.51.1", stack) is provider  # one per package and version
    assert defaults.of("pulumi:pulumi:StackReference", "", stack) is None


_DENIED = "Default provider for '{}' disabled. '{}' must use an explicit provider."


@pytest.mark.parametrize("barred,main,refused", [
    ('["aws"]', "aws.sqs.Queue('q', opts=pulumi.ResourceOptions(provider=explicit))", None),
    ('["aws"]', "aws.sqs.Queue('q')", _DENIED.format("aws", "urn:pulumi:test::barred::aws:sqs/queue:Queue::q")),
    ('["*"]', "aws.get_region()", _DENIED.format("aws", "aws:index/getRegion:getRegion")),
    ('["tls"]', "aws.sqs.Queue('q'); aws.get_region()", None),
    # Not a JSON list: the engine refuses it at the first default provider it decides.
    ('aws', "aws.sqs.Queue('q')", "Failed to parse pulumi:disable-default-providers aws: a list of package names"),
    # A read too, which the engine words by its type (source_eval.go).
    ('["aws"]', "aws.sqs.Queue.get('q', 'https://sqs.us-east-1.amazonaws.com/123456789012/q')",
     _DENIED.format("aws:sqs/queue:Queue", "aws:sqs/queue:Queue")),
])
def test_a_stack_that_disables_a_default_provider_is_refused_where_it_would_use_one(barred, main, refused, tmp_path):
    """`pulumi:disable-default-providers` bars a package's default provider: the engine refuses a resource or invoke
    that would use it (default_providers.go, shouldDenyRequest); the preview made one anyway."""
    program = small_program(tmp_path, "barred", "import pulumi\nimport pulumi_aws as aws\n"
                            f"explicit = aws.Provider('explicit', region='us-east-1')\n{main}\n",
                            f"  pulumi:disable-default-providers: {barred}\n")
    result = run_preview("test", program)
    if refused is None:
        assert result.error is None, result.error
    else:
        assert result.error is not None and result.error.endswith(refused), result.error


_BUCKETS = """
import json
import pulumi
import pulumi_aws as aws

logs = aws.s3.Bucket("Access-Logs")
legacy = aws.s3.BucketV2("legacy")
named = aws.s3.Bucket("named", bucket="given-name")
prefixed = aws.s3.Bucket("prefixed", bucket_prefix="pre-")
aws.s3.BucketPolicy("logs-policy", bucket=logs.id, policy=logs.bucket.apply(lambda b: json.dumps({
    "Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*",
    "Resource": [f"arn:aws:s3:::{b}", f"arn:aws:s3:::{b}/*"],
    "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]})))
pulumi.export("buckets", [logs.bucket, legacy.bucket, named.bucket])
pulumi.export("prefixed", prefixed.bucket)
"""


@pytest.mark.parametrize("optimise", [True, False])
def test_an_s3_bucket_without_a_name_gets_the_providers_auto_name(optimise, tmp_path):
    """pulumi-aws auto-names `bucket` at Check (`AutoNameTransform("bucket", 63, strings.ToLower)`): known in every
    preview, to the policies and the program. The mocks left it unknown, so `bucket.bucket` outputs printed
    [unknown] and a bucket policy built from it could not be checked."""
    (tmp_path / "Pulumi.yaml").write_text("name: buckets\nruntime: python\n")
    (tmp_path / "Pulumi.test.yaml").write_text("config:\n  aws:region: us-east-1\n")
    (tmp_path / "__main__.py").write_text(_BUCKETS)
    for unknown_outputs in (False, True):
        result = run_preview("test", tmp_path, PACK, unknown_outputs=unknown_outputs, optimise=optimise)
        assert result.error is None, result.error
        logs_name, legacy_name, given_name = result.outputs["buckets"]
        assert auto_named(logs_name, "access-logs-abcdefg") and auto_named(legacy_name, "legacy-abcdefg")
        assert given_name == "given-name"
        # A prefix conflicts with the auto-name: the provider computes the name itself, at the update.
        assert result.outputs["prefixed"] == {"unknown": True}
        assert "bucket" not in result.get("aws:s3/bucket:Bucket", "prefixed").inputs
        assert result.get("aws:s3/bucket:Bucket", "Access-Logs").inputs["bucket"] == logs_name
    policy = json.loads(result.get("aws:s3/bucketPolicy:BucketPolicy", "logs-policy").inputs["policy"])
    assert policy["Statement"][0]["Resource"] == [f"arn:aws:s3:::{logs_name}", f"arn:aws:s3:::{logs_name}/*"]


def test_an_s3_bucket_name_too_long_for_its_auto_name_stops_the_preview(tmp_path):
    (tmp_path / "Pulumi.yaml").write_text("name: buckets\nruntime: python\n")
    (tmp_path / "Pulumi.test.yaml").write_text("config:\n  aws:region: us-east-1\n")
    (tmp_path / "__main__.py").write_text("import pulumi_aws as aws\naws.s3.Bucket('b' * 56)\n")
    result = run_preview("test", tmp_path)
    assert result.error is not None and result.error.endswith(
        f"could not make instance of 'aws:s3/bucket:Bucket': name '{'b' * 56}-' plus 7 random chars is longer "
        f"than maximum length 63")
    (tmp_path / "__main__.py").write_text("import pulumi_aws as aws\naws.s3.Bucket('b' * 55)\n")
    assert run_preview("test", tmp_path).error is None


_TRANSFORMS = """
import pulumi
import pulumi_aws as aws


def mark(step):
    def transform(args):
        if not (args.custom and args.type_.startswith("aws:")):
            return None
        tags = dict(args.props.get("tags") or {})
        tags["Order"] = tags.get("Order", "") + step
        return pulumi.ResourceTransformResult(props={**args.props, "tags": tags}, opts=args.opts)
    return transform


def protect(args):
    return pulumi.ResourceTransformResult(
        props=args.props, opts=pulumi.ResourceOptions.merge(args.opts, pulumi.ResourceOptions(protect=True)))


def eu(args):
    return pulumi.InvokeTransformResult(args={**args.args, "region": "eu-west-1"}, opts=args.opts)


class Group(pulumi.ComponentResource):
    def __init__(self, name, opts=None):
        super().__init__("test:index:Group", name, {}, opts)
        self.topic = aws.sns.Topic(f"{name}-topic", name=name, kms_master_key_id="alias/aws/sns",
                                   opts=pulumi.ResourceOptions(parent=self, transforms=[mark("own-")]))
        self.register_outputs({})


before = aws.sns.Topic("before", name="before", kms_master_key_id="alias/aws/sns")
pulumi.runtime.register_resource_transform(mark("stack"))
pulumi.runtime.register_invoke_transform(eu)
group = Group("group", opts=pulumi.ResourceOptions(transforms=[mark("parent-"), protect]))
pulumi.export("order", group.topic.tags["Order"])
pulumi.export("beforeTags", before.tags)
pulumi.export("region", aws.get_region().region)
"""


@pytest.mark.parametrize("optimise", [True, False])
def test_new_style_transforms_run_as_the_engine_runs_them(optimise, tmp_path):
    """`register_resource_transform`, `ResourceOptions.transforms` and `register_invoke_transform`: the engine calls
    them (the resource's own, then its parents', then the stack's), the SDK's mock monitor only records them, so
    the preview went on without them (no tags, no protect, the stack's region)."""
    (tmp_path / "Pulumi.yaml").write_text("name: transforms\nruntime: python\n")
    (tmp_path / "Pulumi.test.yaml").write_text("config:\n  aws:region: us-east-1\n")
    (tmp_path / "__main__.py").write_text(_TRANSFORMS)
    result = run_preview("test", tmp_path, optimise=optimise)
    assert result.error is None, result.error
    assert result.outputs["order"] == "own-parent-stack"
    topic = result.get("aws:sns/topic:Topic", "group-topic")
    assert topic.inputs["tags"] == topic.inputs["tagsAll"] == {"Order": "own-parent-stack"}
    assert topic.protect and result.get("test:index:Group", "group").protect
    # Registered before the stack transform: untouched.
    assert "tags" not in result.get("aws:sns/topic:Topic", "before").inputs
    assert result.outputs["region"] == "eu-west-1"


_TRANSFORMS_TO_A_PROVIDER = """
import pulumi
import pulumi_aws as aws

pulumi.runtime.register_resource_transform(lambda args: None)
pulumi.runtime.register_resource_transform(lambda args: None)
source = aws.sns.Topic("source", name="source")
# Its region made from another resource's output: its registration comes after the queues'.
eu = aws.Provider("eu", region=source.name.apply(lambda _: "eu-west-1"))


def to_eu(args):
    return pulumi.ResourceTransformResult(
        args.props, pulumi.ResourceOptions.merge(args.opts, pulumi.ResourceOptions(provider=eu)))


queues = [aws.sqs.Queue(f"q{i}", name=f"q{i}", opts=pulumi.ResourceOptions(transforms=[to_eu]))
          for i in range(int(pulumi.Config().require("queues")))]
pulumi.export("arns", [q.arn for q in queues])
"""


# Optimised, the calls that wait hold no thread, so any number finish; without, each holds one of the language
# host's pool (16 threads a core), as in a real run.
@pytest.mark.parametrize("optimise,queues", [(True, 40), (False, 8)])
def test_transforms_that_wait_on_a_provider_finish_and_move_their_resources(optimise, queues, tmp_path):
    """A review found the preview hanging for good on stack transforms and then resource transforms naming a
    provider registered just before (or after): the monitor's calls were made inline, so a transform waited, inside
    its queue's registration, for the provider's, which waited below it on the same stack; a second review, with
    8 of them, asyncio's default pool of cores + 4 threads all waiting. The engine calls transforms on its callback
    server, outside the registration: such a call now hands the SDK a task on the loop, and the pool is the
    language host's size. In a process of its own, so a hang fails the test instead of stopping the suite."""
    program = small_program(tmp_path, "moved", _TRANSFORMS_TO_A_PROVIDER, f"  moved:queues: {queues}\n")
    script = ("import json, sys; from tools.preview import run_preview; "
              f"r = run_preview('test', sys.argv[1], optimise={optimise}); print(json.dumps([r.error, r.outputs]))")
    run = subprocess.run([sys.executable, "-c", script, str(program)], cwd=ROOT, capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 0, run.stderr
    error, outputs = json.loads(run.stdout.splitlines()[-1])
    assert error is None
    assert outputs["arns"] == [f"arn:aws:sqs:eu-west-1:123456789012:q{i}" for i in range(queues)]


_EXIT_IN_A_TRANSFORM = """
import sys
import pulumi
import pulumi_aws as aws

topic = aws.sns.Topic("topic", name="topic")


async def leave(args):
    if args.type_ == "aws:sqs/queue:Queue":
        await topic.arn.future()
        if args.name == "q3":
            sys.exit(3)


pulumi.runtime.register_resource_transform(leave)
queues = [aws.sqs.Queue(f"q{i}", name=f"q{i}") for i in range(6)]
"""


def test_a_program_leaving_from_a_transform_is_one_line_and_leaves_no_transform_unrun(tmp_path):
    """A review found the waits of registrations the exit cancelled before they began left as coroutines never
    awaited (a RuntimeWarning each on stderr); they are made only once their task runs."""
    program = small_program(tmp_path, "leaves", _EXIT_IN_A_TRANSFORM)
    run = subprocess.run([sys.executable, "-m", "tools.preview", "--cwd", str(program), "--stack", "test"],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert (run.returncode, run.stderr) == (2, "error: the program exited early: sys.exit(3) (__main__.py:13)\n")


def test_a_transform_the_preview_cannot_find_stops_it():
    from pulumi.runtime.proto import callback_pb2

    from tools.transforms import TransformError, _callback_function

    with pytest.raises(TransformError, match="cannot run a transform of resource 'x'"):
        _callback_function(callback_pb2.Callback(token="nowhere", target="127.0.0.1:1"), "resource 'x'")


class _LateThing(pulumi.CustomResource):
    """A resource class whose package registers its module only after the first lookup."""

    @property
    @pulumi.getter
    def label(self) -> pulumi.Output[str]:
        return pulumi.get(self, "label")


def test_a_type_is_looked_up_again_once_its_package_registers_it(monkeypatch):
    """The output types of a type no package registers yet are not kept: a program in the same process that
    imports the package later gets them (a resource made with `pulumi.CustomResource` before its SDK loads)."""
    from types import SimpleNamespace

    from pulumi.runtime import rpc

    from tools import awsprovider

    token = "latepkg:index/lateThing:LateThing"
    assert awsprovider.text_outputs(token) == frozenset()
    module = SimpleNamespace(mod_info={"fqn": __name__, "classes": {token: "_LateThing"}}, version=lambda: None)
    monkeypatch.setitem(rpc._RESOURCE_MODULES, "latepkg:index/lateThing", [module])
    assert awsprovider.text_outputs(token) == frozenset({"label"})


def test_outputs_carry_what_operators_need(dev_preview, prod_preview):
    # No hosted zone is configured, so prod exports where its custom domain's DNS must point; dev has no domain.
    domain = prod_preview.get("aws:apigateway/domainName:DomainName", "prod-api-domain")
    assert prod_preview.outputs["apiDomainTarget"] == api_gateway_domain_name(domain.name, "us-east-1")
    assert "apiDomainTarget" not in dev_preview.outputs
    for result in (dev_preview, prod_preview):
        assert set(result.outputs["apiKeyIds"]) == {"secret"}
        # An internal ALB's form (`<name>-<digits>.<region>.elb.amazonaws.com`): an NLB's has `elb.<region>`.
        assert re.fullmatch(r"internal-ingress-alb-[a-z]+-[0-9]+\.us-east-1\.elb\.amazonaws\.com",
                            result.outputs["ingressAlbDnsName"])


_READS_CONFIG = """
import json
import os

import pulumi

config = pulumi.Config()
pulumi.export("set", config.get("set"))
pulumi.export("unset", str(config.get("unset")))
pulumi.export("environment", json.loads(os.environ["PULUMI_CONFIG"]))
"""


@pytest.mark.parametrize("optimise", [True, False])
@pytest.mark.parametrize("environment", ["not JSON", '{"stray:unset": "from the environment"}'])
def test_pulumi_config_in_the_environment_is_never_the_programs_nor_the_packs(environment, optimise, tmp_path,
                                                                              monkeypatch):
    """A review found PULUMI_CONFIG in the preview's environment failing the program (and the pack) with a
    JSONDecodeError when it was not JSON, and standing in for a key the stack leaves unset when it was: the CLI sets
    it (the stack's config as JSON, which the program sees), and so does the preview."""
    (tmp_path / "Pulumi.yaml").write_text("name: stray\nruntime: python\n")
    (tmp_path / "Pulumi.test.yaml").write_text("config:\n  stray:set: 1\n")
    (tmp_path / "__main__.py").write_text(_READS_CONFIG)
    for variable in ("PULUMI_CONFIG", "PULUMI_CONFIG_SECRET_KEYS"):
        monkeypatch.setenv(variable, environment)
    result = run_preview("test", tmp_path, PACK, optimise=optimise)
    assert result.error is None, result.error
    assert result.outputs == {"set": "1", "unset": "None", "environment": {"stray:set": "1"}}
    assert result.policy_pack is not None


def test_config_overrides_set_values_by_path_like_the_cli(tmp_path):
    from tools.mockrun import apply_config_overrides

    raw = {"service-mesh-platform:mesh": {"domain": "x.local"}, "aws:region": "us-east-1",
           "service-mesh-platform:services": [{"name": "a", "port": 8000}]}
    out = apply_config_overrides(raw, "service-mesh-platform",
                                 ["mesh.dataPlane=appmesh", "services[0].port=9000", "aws:region=eu-west-1",
                                  "protect=true", "mesh.tls.mode=STRICT", 'tags["Cost.Center"]=shop',
                                  'tags["say \\"hi\\""]=x', "services[0]name=b"],
                                 "Pulumi.dev.yaml")
    assert out["service-mesh-platform:mesh"] == {"domain": "x.local", "dataPlane": "appmesh",
                                                 "tls": {"mode": "STRICT"}}
    assert out["service-mesh-platform:services"][0]["port"] == 9000  # a YAML scalar, not the text "9000"
    assert out["aws:region"] == "eu-west-1" and out["service-mesh-platform:protect"] is True
    # A quoted key, dot and quote and all; and a name right after an index, which Pulumi's path parser takes too.
    assert out["service-mesh-platform:tags"] == {"Cost.Center": "shop", 'say "hi"': "x"}
    assert out["service-mesh-platform:services"][0]["name"] == "b"
    assert raw["service-mesh-platform:mesh"] == {"domain": "x.local"}  # the stack file's data is untouched


@pytest.mark.parametrize("where", ["stack file", "override"])
def test_only_true_and_false_are_booleans_as_in_the_cli(where, tmp_path, capsys):
    """Pulumi reads stack files as YAML 1.2 (`yes` is a string, which the config refuses); PyYAML's 1.1 would
    make it true, and the preview would accept what `pulumi up` refuses."""
    edit = (lambda text: text.replace("    stageName: dev\n", "    stageName: dev\n    metricsEnabled: yes\n", 1))
    program = program_with_stack(tmp_path, "dev", edit if where == "stack file" else (lambda text: text))
    overrides = ["--config", "api.metricsEnabled=yes"] if where == "override" else []
    code = preview_cli.main(["--stack", "dev", "--cwd", str(program), *overrides])
    # An error at a key an override set names the override: the stack file does not hold that value.
    source = "Pulumi.dev.yaml with --config api.metricsEnabled" if overrides else "Pulumi.dev.yaml"
    assert (code, capsys.readouterr().err) == (
        2, f"error: {source}: api.metricsEnabled: expected true or false, got a string\n")


def test_an_error_under_or_above_an_override_names_it_and_one_elsewhere_does_not(capsys, tmp_path):
    for overrides, expected in (
            (["sizng.cpu=512"], "error: Pulumi.dev.yaml with --config sizng.cpu: sizng: is not a known setting"),
            (["services[0].port=70000"],
             "error: Pulumi.dev.yaml with --config services[0].port: services[0].port: 70000 is not a port (1-65535)"),
            (["services[0].port=70000", "api.stageName=v2"],
             "error: Pulumi.dev.yaml with --config services[0].port: services[0].port: 70000 is not a port (1-65535)"),
            # Of two overrides, the one at the error's key is named.
            (["mesh.dataPlane=serviceconnect", "api.stageName=users"],
             "error: Pulumi.dev.yaml with --config api.stageName: api.stageName: users is also user-service's "
             "publicPath"),
            # Written as the overrides may be written: under the project's namespace, or without the dot.
            (["service-mesh-platform:services[0].port=70000"],
             "error: Pulumi.dev.yaml with --config service-mesh-platform:services[0].port: services[0].port: 70000"),
            (["services[0]port=70000"], "error: Pulumi.dev.yaml with --config services[0]port: services[0].port: "
                                        "70000"),
            # An override that makes a list item: the error at the item's other key is the override's too (a
            # review found it named the stack file alone, which has no such item); one at the key comes first.
            (["services[4].port=8080"], "error: Pulumi.dev.yaml with --config services[4].port: services[4].name: is "
                                        "required"),
            (["services[0].cpu=256", "services[0].port=70000"],
             "error: Pulumi.dev.yaml with --config services[0].port: services[0].port: 70000")):
        code = preview_cli.main(["--stack", "dev", "--cwd", str(ROOT), *(a for o in overrides for a in ("--config", o))])
        err = capsys.readouterr().err
        assert code == 2 and err.startswith(expected), (overrides, err)
    code = preview_cli.main(["--stack", "dev", "--cwd", str(ROOT), "--config", "sizing.cpu=512",
                             "--config", "sizing.memory=300"])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("error: Pulumi.dev.yaml with --config sizing.memory: sizing.memory"), err
    # An error at another key, made of keys an override set (the program's ConfigError carries them, `related`):
    # nothing calls user-service once order-service's second call goes, and its canary's header rule has no caller;
    # the no-op dataPlane override is not named.
    code = preview_cli.main(["--stack", "dev", "--cwd", str(ROOT), "--config", "mesh.dataPlane=serviceconnect",
                             "--config", "services[2].calls[1]=product-service"])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("error: Pulumi.dev.yaml with --config services[2].calls[1]: services[0]."
                                        "versions[1].headerMatch: "), err
    # A service's own cpu the stack's memory, as an override set it, no longer fits.
    program = program_with_stack(tmp_path / "cpu", "dev", lambda text: text.replace(
        "    - name: user-service\n", "    - name: user-service\n      sizing: {cpu: 256}\n", 1))
    code = preview_cli.main(["--stack", "dev", "--cwd", str(program), "--config", "sizing.memory=4096"])
    assert (code, capsys.readouterr().err) == (2, (
        "error: Pulumi.dev.yaml with --config sizing.memory: services[0].sizing.cpu: 256 CPU units do not fit 4096 "
        "MiB, the memory it takes from sizing.memory, on Fargate (512, 1024 or 2048): set its memory too\n"))
    # An error in the stack file itself, beside an override elsewhere, is the file's alone.
    program = program_with_stack(tmp_path, "dev", lambda text: text.replace(
        "    stageName: dev\n", "    stageName: dev\n    metricsEnabled: yes\n", 1))
    code = preview_cli.main(["--stack", "dev", "--cwd", str(program), "--config", "mesh.dataPlane=serviceconnect"])
    assert (code, capsys.readouterr().err) == (
        2, "error: Pulumi.dev.yaml: api.metricsEnabled: expected true or false, got a string\n")


def edited(*pairs: str):
    """A stack-file edit: each `old` text (there once) becomes its `new`."""
    def edit(text: str) -> str:
        for old, new in zip(pairs[::2], pairs[1::2]):
            assert text.count(old) == 1, old
            text = text.replace(old, new)
        return text
    return edit


ON_APP_MESH = ("    dataPlane: serviceconnect\n", "    dataPlane: appmesh\n")
PAYMENT = "      externals: [payment-provider]\n"
ENVOY = "mesh.envoyImage=public.ecr.aws/appmesh/aws-appmesh-envoy:v1.29.12.1-prod"


@pytest.mark.parametrize("stack, edit, overrides, expected", [
    # The plane an override chose refuses what the stack file holds, or needs what it lacks.
    ("iot", None, ["mesh.dataPlane=appmesh"], "mesh.envoyImage: is required"),
    ("iot", None, ["mesh.dataPlane=appmesh", ENVOY],
     "httpApi: needs mesh.dataPlane serviceconnect (its ALB ingress); the appmesh ingress cannot take HTTP API private "
     "integrations"),
    ("dev", (PAYMENT, PAYMENT + "      protocol: http2\n"), ["mesh.dataPlane=appmesh"],
     "services[3].protocol: http2: the App Mesh plane builds HTTP listeners and routes only; http2 and grpc need "
     "mesh.dataPlane: serviceconnect"),
    ("dev", ("    gatewayPort: 8080\n", "    gatewayPort: 8080\n    canary: {bakeMinutes: 5}\n"),
     ["mesh.dataPlane=appmesh"],
     "mesh.canary: only the Service Connect data plane rolls canaries out by deployment; App Mesh splits traffic by "
     "the versions' weights"),
    ("dev", (*ON_APP_MESH, PAYMENT, PAYMENT + "      retry: {maxRetries: 3}\n"), ["mesh.dataPlane=serviceconnect"],
     "services[3].retry: Service Connect's retries are fixed by AWS (2 retries, the second on another host); remove "
     "it, or use mesh.dataPlane: appmesh"),
    ("dev", (*ON_APP_MESH, "    ipPreference: IPv4_ONLY\n", "    ipPreference: IPv6_ONLY\n"),
     ["mesh.dataPlane=serviceconnect"],
     "mesh.ipPreference: IPv6_ONLY: the Service Connect plane sets no IP preference, an App Mesh setting; leave it "
     "IPv4_ONLY or out, or use mesh.dataPlane: appmesh"),
    ("dev", (*ON_APP_MESH, PAYMENT, PAYMENT + "      timeouts: {idleMs: 1500}\n"), ["mesh.dataPlane=serviceconnect"],
     "services[3].timeouts.idleMs: 1500 is not a whole number of seconds, which Service Connect's timeouts need"),
    ("dev", (*ON_APP_MESH, "          headerMatch:\n", "          headerMatch:\n            prefix: t\n",
             '            exact: "true"\n', ""), ["mesh.dataPlane=serviceconnect"],
     "services[0].versions[1].headerMatch.prefix: Service Connect's test traffic rules match a header exactly; use "
     "exact (or mesh.dataPlane: appmesh)"),
    # Nothing calls user-service on a stack file whose App Mesh routes its canary's header rule from the gateway.
    ("dev", (*ON_APP_MESH, "      calls: [payment-service, user-service]\n", "      calls: [payment-service]\n"),
     ["mesh.dataPlane=serviceconnect"],
     "services[0].versions[1].headerMatch: Service Connect's test traffic rules route the requests of its callers in "
     "the mesh, and the ingress ALB splits API Gateway's by weight only; no service calls user-service, so no request "
     "would match it: remove it (the canary still takes its weight)"),
    # A setting refused while a switch an override turned (or a section it removed) is off.
    ("dev", None, ["audit.loadBalancerAccessLogs=false"],
     "audit.accessLogRetentionDays: only applies when loadBalancerAccessLogs is on (it empties the access log bucket)"),
    ("prod", None, ["audit.trail=false"],
     "audit.archiveRetentionDays: only applies when trail is on (the archive holds the trail's logs)"),
    ("prod", None, ["api.cache.enabled=false"],
     "api.cache.sizeGb: sizes the stage's cache, and the cache is off in this stack: remove it or set "
     "api.cache.enabled: true"),
    ("prod", None, ["api.auth.type=iam"],
     "api.auth.emailSender: only applies to the user pool the stack creates (auth.type cognito without userPoolArn)"),
    ("prod", None, ["network.endpoints=false"],
     "network.firewall: needs network.endpoints: without them the AWS API calls tasks make (ECR, logs, secrets) go "
     "through the firewall, which passes only the externals"),
    # WAF's switch left out is the environment's.
    ("prod", ("    waf:\n      enabled: true\n", "    waf:\n"), ["environment=staging"],
     "api.waf.rateLimitPer5Min: sets a rate rule of the web ACL, and WAF is off in this stack: remove it or set "
     "api.waf.enabled: true"),
    ("dev", None, ["environment=prod"],
     "api.waf.enabled: must be true in prod: the public API is always behind AWS WAF there"),
    # The same key in the CLI's old spelling (`<namespace>:config:<name>`): the error blamed the stack file alone.
    ("dev", None, ["service-mesh-platform:config:environment=prod"],
     "api.waf.enabled: must be true in prod: the public API is always behind AWS WAF there"),
    ("dev", None, ["dns=null"],
     "ingress.certificateArn: is required when no DNS zone is configured (set dns.hostedZoneId or dns.zoneName to "
     "have the stack issue it)"),
    ("iot", None, ["httpApi=null"],
     "tiers[0].httpThrottle: throttles a tier's HTTP API routes, and this stack has no httpApi: remove it, or add "
     "the httpApi"),
    ("iot", None, ["api.domain=null"],
     "httpApi.mappingKey: only applies under api.domain, where the HTTP API is mapped"),
    # A name another key gives, which an override changed.
    ("dev", None, ["services[1].name=catalog-service"],
     "services[0].calls[0]: 'product-service' is not a service in this stack"),
    ("dev", None, ["services[0].name=product-service"], "services[1].name: duplicate service 'product-service'"),
    ("dev", None, ["externals[0].name=stripe"],
     "services[3].externals[0]: 'payment-provider' is not an external in this stack"),
    ("dev", None, ["services[0].publicPath=/products"],
     "services[1].publicPath: /products is already used by user-service"),
    ("dev", None, ["environment=api", "mesh.domain=stripe.com"],
     "externals[0].host: api.stripe.com is in this stack's service namespace api.stripe.com, where the mesh names its "
     "own services; an external is a host outside it"),
    ("dev", None, ["api.usagePlans[0].name=bronze"],
     "api.consumers[1].plan: 'basic' is not a usage plan in this stack"),
    ("iot", None, ["tiers[0].name=basic"],
     "tenants[1].tier: 'standard' is not a tier in this stack (basic, enterprise)"),
    ("iot", None, ["tenants[0].name=hooli"],
     "httpApi.auth.clients.acme: is not a tenant in this stack (hooli, globex, initech)"),
    ("iot", None, ["services[2].publicPath=/telemetry"],
     "httpApi.routes[1].path: /data/{proxy+} is not under data-service's publicPath /telemetry"),
    ("prod", None, ["api.domain.name=ingress.shop.example.com"],
     "ingress.hostName: ingress.shop.example.com is also api.domain.name: the custom domain and the ingress ALB each "
     "need a DNS name of their own"),
    # Whether a consumer keeps its key on a server decides its plan's quota, and the WAF's per-address limit.
    ("dev", None, ["api.consumers[1].public=false"],
     "api.usagePlans[0].quota: is required: mobile-app keeps its key on a server (not public), and a quota caps what "
     "each key may spend"),
    ("prod", None, ["api.consumers[1].public=false", "api.usagePlans[0].quota.limit=1000",
                    "api.usagePlans[0].quota.period=MONTH"],
     "api.waf.rateLimitPer5Min: 2000 requests from one address per 300 s would refuse consumer mobile-app's key, "
     "which a server calls from its few addresses, before its plan basic's 50/s (30000 with bursts and retries): list "
     "the servers' public addresses in api.waf.serverAddresses, which get 30000 of their own, or (for every address) "
     "raise this to 30000"),
    ("iot", None, ["tiers[0].name=enterprise"], "tiers[1].name: duplicate tier 'enterprise'"),
    ("iot", None, ["httpApi.routes[0].path=/data/{proxy+}", "httpApi.routes[0].method=GET",
                   "httpApi.routes[0].service=data-service"],
     "httpApi.routes[1].path: GET /data/{proxy+} is already a route"),
    # What must be in the stack's region, which an override moved.
    ("dev", None, ["aws:region=us-west-2"],
     "services[3].secrets.PAYMENT_PROVIDER_API_KEY: is in us-east-1, but with network.endpoints on tasks reach secrets "
     "only through this stack's us-west-2 endpoints: keep a replica or copy of it in us-west-2"),
    ("dev", None, ["aws:region=us-west-2", "services[3].secrets.PAYMENT_PROVIDER_API_KEY=arn:aws:secretsmanager:"
                   "us-west-2:111122223333:secret:dev/payment-provider-key-AbCdEf"],
     "services[0].image: is pulled from 111122223333.dkr.ecr.us-east-1.amazonaws.com, which tasks cannot reach: the "
     "egress DNS Firewall answers this region's ECR (<account>.dkr.ecr.us-west-2.amazonaws.com) and no other "
     "registry; push the image to ECR in us-west-2, or take it from public.ecr.aws, which tasks pull through the "
     "dev-ecr-public cache rule"),
    ("prod", None, moved_to("prod", "us-west-2"),
     "api.domain.certificateArn: is in us-east-1; a regional API in us-west-2 needs an ACM certificate from "
     "us-west-2"),
    # A declared quota an override lowered (or removed, leaving AWS's default).
    ("iot", None, ["quotas.accountRateLimit=20000"],
     "httpApi.throttle.rateLimit: api.throttle.rateLimit 1000 + httpApi.throttle.rateLimit 20000 + "
     "websocketApi.throttle.rateLimit 3000 = 24000 requests/s, more than quotas.accountRateLimit (20000) shared by "
     "all APIs in the region"),
    ("iot", None, ["quotas.accountRateLimit=null"],
     "tiers[1].httpThrottle.rateLimit: 14000 requests/s exceeds quotas.accountRateLimit (10000): a tenant's throttle "
     "may not be higher than the account's"),
    ("iot", None, ["quotas.lambdaConcurrency=500"],
     "websocketApi.reservedConcurrency: authorizer 250 + connections 250 = 500 reserved, more than "
     "quotas.lambdaConcurrency (500) minus the 100 AWS keeps unreserved"),
    ("iot", None, ["quotas.apiKeys=3"],
     "tenants: 3 tenants + 1 consumers need 4 API keys, more than quotas.apiKeys (3); keys are per tenant, never per "
     "device"),
    ("dev", None, ["quotas.iamRoles=1"],
     "services: 4 services' task and execution roles + the Service Connect TLS role are 9 IAM roles, more than "
     "quotas.iamRoles (1): IAM refuses the roles past it and the `up` stops part-way"),
    ("prod", None, ["quotas.elasticIps=2"],
     "network.create.natGateways: 3 NAT gateways take 3 Elastic IP addresses, more than quotas.elasticIps (2): EC2 "
     "refuses the addresses past it (AddressLimitExceeded) and the `up` stops part-way"),
    # A setting bounded by another, which an override moved.
    ("dev", None, ["network.create.azCount=3"], "network.create.azSlots: 2 is not between azCount (3) and 3"),
    ("prod", None, ["network.create.azCount=2", "network.create.azSlots=3"],
     "network.create.natGateways: 3 is not between 1 and azCount (2)"),
    ("dev", None, ["sizing.cpu=4096"],
     "sizing.memory: 1024 MiB does not fit 4096 CPU units on Fargate (8192-30720 in steps of 1024)"),
    ("dev", None, ["sizing.autoscaling.minCapacity=2"],
     "sizing.desiredCount: 1 is outside the autoscaling bounds (2-3)"),
    # A service's own desiredCount, against the stack's maxCapacity it takes.
    ("dev", ("    - name: user-service\n", "    - name: user-service\n      sizing: {desiredCount: 3}\n"),
     ["sizing.autoscaling.maxCapacity=2"],
     "services[0].sizing.desiredCount: 3 is outside the autoscaling bounds (1-2)"),
    ("dev", None, ["mesh.tls.certificateValidityHours=500"],
     "mesh.tls.earlyRenewalHours: must be less than certificateValidityHours"),
    # A method throttle of a resource that an override took away with its service's publicPath.
    ("dev", None, ["services[2].publicPath=null", "services[2].queryParameters=null"],
     "api.usagePlans[2].methodThrottles[0].path: /orders/{proxy+} is not a resource of the public API (one of /users, "
     "/users/{proxy+}, /products, /products/{proxy+})"),
    # A stage named after the environment, which an override renamed, lengthens each ingress path pattern.
    ("dev", ("    stageName: dev\n", "", "      publicPath: /users\n", f"      publicPath: /{'u' * 121}\n"),
     ["environment=devv"], f"services[0].publicPath: with api.stageName makes the ingress ALB's path pattern "
                           f"/devv/{'u' * 121}/* (129 characters), more than a listener rule takes (128)"),
])
def test_an_error_made_of_a_key_an_override_set_names_it(stack, edit, overrides, expected, tmp_path, capsys):
    """A config error at a key the stack file holds, refused because of another key an override set (the error's
    `related`), names that override."""
    program = program_with_stack(tmp_path, stack, edited(*edit)) if edit else ROOT
    args = ["--stack", stack, "--cwd", str(program)]
    code = preview_cli.main([*args, *(a for o in overrides for a in ("--config", o))])
    source = f"Pulumi.{stack}.yaml with --config {overrides[0].partition('=')[0]}"
    assert (code, capsys.readouterr().err) == (2, f"error: {source}: {expected}\n")


@pytest.mark.parametrize("overrides", [["mesh.dataPlane=serviceconnect"], ["mesh.ipPreference=IPv6_ONLY"],
                                       ["mesh.ipPreference=DUALSTACK", "mesh.ipPreference=IPv6_ONLY"]])
def test_an_override_that_restates_the_stack_file_is_never_named(overrides, tmp_path, capsys):
    """An override of the plane dev is on, of the very value the stack file holds, or one a later override undid,
    changes nothing: a refusal the stack file alone makes (an App Mesh setting it keeps at another value) is the
    stack file's."""
    program = program_with_stack(tmp_path, "dev", edited("    ipPreference: IPv4_ONLY\n",
                                                          "    ipPreference: IPv6_ONLY\n"))
    args = ["--stack", "dev", "--cwd", str(program), *(a for o in overrides for a in ("--config", o))]
    assert (preview_cli.main(args), capsys.readouterr().err) == (2, (
        "error: Pulumi.dev.yaml: mesh.ipPreference: IPv6_ONLY: the Service Connect plane sets no IP preference, an App "
        "Mesh setting; leave it IPv4_ONLY or out, or use mesh.dataPlane: appmesh\n"))


def test_an_environment_override_is_not_named_for_a_stage_the_file_names_itself(tmp_path, capsys):
    """The stage's name is the environment's only where the file leaves api.stageName out."""
    program = program_with_stack(tmp_path, "dev", edited(
        "    stageName: dev\n", "    stageName: devv\n",
        "      publicPath: /users\n", f"      publicPath: /{'u' * 121}\n"))
    code = preview_cli.main(["--stack", "dev", "--cwd", str(program), "--config", "environment=devv"])
    assert (code, capsys.readouterr().err) == (2, (
        f"error: Pulumi.dev.yaml: services[0].publicPath: with api.stageName makes the ingress ALB's path pattern "
        f"/devv/{'u' * 121}/* (129 characters), more than a listener rule takes (128)\n"))


def test_a_method_throttle_names_the_override_that_removed_its_resource_before_one_that_moved_another(capsys):
    code = preview_cli.main(["--stack", "dev", "--cwd", str(ROOT), "--config", "services[0].publicPath=/people",
                             "--config", "services[2].publicPath=null", "--config", "services[2].queryParameters=null"])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("error: Pulumi.dev.yaml with --config services[2].publicPath: "
                                        "api.usagePlans[2].methodThrottles[0].path: /orders/{proxy+} is not a "
                                        "resource"), err


def test_overrides_that_add_list_items_one_after_another_all_change_the_stack_file():
    """Each override applies to what the ones before it made: a second item's keys need the first item."""
    overrides = ["externals[1].name=a", "externals[1].host=a.example.com", "externals[2].name=b",
                 "externals[2].host=b.example.com", "mesh.dataPlane=serviceconnect"]
    settings = load_stack_settings(ROOT, "dev", overrides)
    assert settings.changing_overrides == overrides[:4]
    assert [e["name"] for e in json.loads(settings.config["service-mesh-platform:externals"])][1:] == ["a", "b"]


def test_an_error_names_the_override_of_its_likeliest_related_key_whatever_the_overrides_order():
    """An error's related keys come likeliest first (the calls a header rule needs, then the plane that routes by
    them): of two overrides that set two of them, the first key's is named, not the first override."""
    error = "Pulumi.dev.yaml: services[0].versions[1].headerMatch: no service calls user-service"
    for overrides in (["mesh.dataPlane=serviceconnect", "services[2].calls[1]=product-service"],
                      ["services[2].calls[1]=product-service", "mesh.dataPlane=serviceconnect"]):
        assert preview_cli._naming_the_override(error, "Pulumi.dev.yaml", "service-mesh-platform", overrides, [
            "services[0].calls", "services[2].calls", "mesh.dataPlane"]) == (
            f"Pulumi.dev.yaml with --config services[2].calls[1]: {error.partition(': ')[2]}")
    assert preview_cli._naming_the_override(error, "Pulumi.dev.yaml", "service-mesh-platform", [
        "mesh.dataPlane=serviceconnect"], ["services[2].calls", "mesh.dataPlane"]).startswith(
        "Pulumi.dev.yaml with --config mesh.dataPlane: services[0]")


@pytest.mark.parametrize("override, message", [
    ("mesh.dataPlane", "--config mesh.dataPlane: expected KEY=VALUE"),
    ("services[9].port=1", "--config services[9].port: Pulumi.dev.yaml has no list item 9 there"),
    ("[0]=1", "--config [0]: not a config path"),
    # A provider's namespace misspelt: the setting did nothing.
    ("awss:region=us-west-2", "error: Pulumi.dev.yaml with --config: awss:region: awss is not the aws provider's "
                              "namespace (aws): did you mean aws:region?"),
    # It blamed Pulumi.dev.yaml ("Pulumi.dev.yaml: config: a:b:c is not a configuration key").
    ("a:b:c=1", "error: --config a:b:c: not a configuration key (the CLI reads <namespace>:<name>)"),
    ("tags[\"Cost=x", "--config tags[\"Cost: not a config path"),
])
def test_bad_config_overrides_are_one_line_and_exit_2(override, message, capsys):
    code = preview_cli.main(["--stack", "dev", "--cwd", str(ROOT), "--config", override])
    assert code == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and message in err


_ALIASES = """
import pulumi
import pulumi_aws as aws


class Box(pulumi.ComponentResource):
    def __init__(self, name):
        super().__init__("test:index:Box", name)


box = Box("box")
aws.sns.Topic("moved", opts=pulumi.ResourceOptions(parent=box, aliases=[
    pulumi.Alias(name="old"),                                # same parent (the box), same type
    pulumi.Alias(name="top", parent=pulumi.ROOT_STACK_RESOURCE),  # was at the top
    pulumi.Alias(stack="other", project="elsewhere"),         # under the box: stack and project ignored
    pulumi.Alias(name="gone", stack="other", project="elsewhere", parent=None),  # no parent: they count
    "urn:pulumi:test::aliases::aws:sns/topic:Topic::given",   # a URN as given
]))
aws.sns.Topic("top-level")
"""


def test_aliases_are_captured_as_the_urns_they_name(tmp_path):
    """The SDK sends alias specs, which the engine resolves against the resource's parent, type and name;
    the preview resolves them the same way, so a test can hold a moved resource to its old URN. A spec's
    stack and project count only without a parent (`resource.CreateURN`)."""
    (tmp_path / "Pulumi.yaml").write_text("name: aliases\nruntime: python\n")
    (tmp_path / "Pulumi.test.yaml").write_text("config: {}\n")
    (tmp_path / "__main__.py").write_text(_ALIASES)
    result = run_preview("test", tmp_path)
    assert result.error is None, result.error
    moved = result.get("aws:sns/topic:Topic", "moved")
    # URNs as the engine writes them: the parents' type chain without the root stack.
    assert moved.urn == "urn:pulumi:test::aliases::test:index:Box$aws:sns/topic:Topic::moved"
    assert result.get("aws:sns/topic:Topic", "top-level").urn == "urn:pulumi:test::aliases::aws:sns/topic:Topic::top-level"
    assert moved.aliases == [
        "urn:pulumi:test::aliases::test:index:Box$aws:sns/topic:Topic::old",
        "urn:pulumi:test::aliases::aws:sns/topic:Topic::top",
        "urn:pulumi:test::aliases::test:index:Box$aws:sns/topic:Topic::moved",
        "urn:pulumi:other::elsewhere::aws:sns/topic:Topic::gone",
        "urn:pulumi:test::aliases::aws:sns/topic:Topic::given",
    ]


@pytest.mark.parametrize("edit, message", [
    # yaml.v3 refuses a key written twice; PyYAML let the last one win.
    (lambda text: text.replace("    Owner: platform-team\n", "    Owner: platform-team\n    Owner: someone-else\n"),
     "error: Pulumi.dev.yaml: line 9 is not valid YAML (mapping key 'Owner' is already defined)\n"),
    # YAML types with no JSON form used to fail the program with a TypeError naming neither file nor key.
    (lambda text: text.replace("    Owner: platform-team\n", "    Owner: !!binary aGVsbG8=\n"),
     "error: Pulumi.dev.yaml: tags.Owner: a bytes, which a stack file cannot pass to the program (write it as a "
     "string, a number, a list or a map)\n"),
    (lambda text: text.replace("  service-mesh-platform:tags:\n", "  123: x\n  service-mesh-platform:tags:\n"),
     "error: Pulumi.dev.yaml: config: the key 123 is not a string\n"),
    # Keys as YAML writes them, not Python's None and True.
    (lambda text: text.replace("  service-mesh-platform:tags:\n", "  ~: x\n  service-mesh-platform:tags:\n"),
     "error: Pulumi.dev.yaml: config: the key null is not a string\n"),
    (lambda text: text.replace("    Owner: platform-team\n", "    Owner: platform-team\n    true: 2\n"),
     "error: Pulumi.dev.yaml: tags: the key true is not a string\n"),
    (lambda text: text.replace("    Owner: platform-team\n", "    Owner: platform-team\n    .inf: 2\n"),
     "error: Pulumi.dev.yaml: tags: the key .inf is not a string\n"),
    # yaml.v3 keeps a number Go's ParseFloat cannot hold as text (it was called YAML's .inf), and an integer past
    # uint64 that no float reads either (it was an integer, which a tag cannot be).
    (lambda text: text.replace("    Owner: platform-team\n", "    Owner: 1e400\n"), None),
    (lambda text: text.replace("    Owner: platform-team\n", f"    Owner: {'9' * 401}\n"),
     "error: Pulumi.dev.yaml: tags.Owner: the value is 401 characters; AWS allows 256\n"),
    (lambda text: text.replace("    Owner: platform-team\n", "    Owner: 0x1ffffffffffffffff\n"), None),
    # A misspelt project namespace dropped its section without a word (Pulumi passes any namespace through): the
    # program refuses one near its own; the preview, one an edit away, before it runs (and a provider's too).
    (lambda text: text.replace("  service-mesh-platform:alarms:", "  servce-mesh-platfrm:alarms:"),
     "error: Pulumi.dev.yaml: servce-mesh-platfrm:alarms: servce-mesh-platfrm is not this project's namespace "
     "(service-mesh-platform)\n"),
    (lambda text: text.replace("  service-mesh-platform:alarms:", "  service-mesh-platfrom:alarms:"),
     "error: Pulumi.dev.yaml: service-mesh-platfrom:alarms: service-mesh-platfrom is not this project's namespace "
     "(service-mesh-platform): did you mean service-mesh-platform:alarms?\n"),
    (lambda text: text.replace("  aws:region:", "  AWS:region:"),
     "error: Pulumi.dev.yaml: AWS:region: AWS is not the aws provider's namespace (aws): did you mean aws:region?\n"),
])
def test_stack_files_the_cli_reads_otherwise_are_one_line_and_exit_2(edit, message, tmp_path, capsys):
    program = program_with_stack(tmp_path, "dev", edit)
    assert (ROOT / "Pulumi.dev.yaml").read_text() != (program / "Pulumi.dev.yaml").read_text()
    code = preview_cli.main(["--stack", "dev", "--cwd", str(program)])
    if message is None:  # read as the text it is: a tag's value may be any text
        assert (code, capsys.readouterr().err) == (0, "")
    else:
        assert (code, capsys.readouterr().err) == (2, message)


def test_a_date_in_a_stack_file_is_refused_and_quoted_is_the_text_as_written(tmp_path, capsys):
    """yaml.v3 reads an unquoted `2024-01-01` as a time, which the CLI hands the program as Go prints it
    (`2024-01-01 00:00:00 +0000 UTC`, pulumi's config.unmarshalObject): refused, with the fix. Quoted, it is text."""
    added = "    Owner: platform-team\n    Created: {}\n"
    program = program_with_stack(tmp_path, "dev", lambda text: text.replace(
        "    Owner: platform-team\n", added.format("2024-01-01")))
    assert (preview_cli.main(["--stack", "dev", "--cwd", str(program)]), capsys.readouterr().err) == (
        2, "error: Pulumi.dev.yaml: tags.Created: 2024-01-01 is a YAML timestamp, which the Pulumi CLI hands the "
           "program as Go prints a time (2024-01-01 00:00:00 +0000 UTC): quote it to pass it as written\n")
    (tmp_path / "quoted").mkdir()
    quoted = program_with_stack(tmp_path / "quoted", "dev", lambda text: text.replace(
        "    Owner: platform-team\n", added.format('"2024-01-01"')))
    result = run_preview("dev", quoted)
    assert result.error is None
    assert result.get("aws:sns/topic:Topic", "dev-observability-alarms-page").inputs["tags"]["Created"] == "2024-01-01"


@pytest.mark.parametrize("written, port", [("2:13:20", None), ("0o17500", 8000), ("8_000", 8000), ("0X1F40", 8000),
                                           ("8e3", 8000), ("8000.0", 8000), ("0x_", None)])
def test_numbers_are_what_the_cli_reads(written, port, tmp_path, capsys):
    """yaml.v3 reads `2:13:20` as text (YAML 1.1's base 60 made it 8000 in PyYAML), `0o17500` and `0X1F40` as 8000
    (text in PyYAML), and `8e3` as a float that Go's JSON hands the program as the integer 8000: the preview
    accepts and refuses what `pulumi up` does."""
    program = program_with_stack(tmp_path, "dev", lambda text: text.replace(
        "      port: 8000\n      publicPath: /orders", f"      port: {written}\n      publicPath: /orders"))
    code = preview_cli.main(["--stack", "dev", "--cwd", str(program), "--json"])
    captured = capsys.readouterr()
    if port is None:
        assert (code, captured.err) == (
            2, "error: Pulumi.dev.yaml: services[2].port: expected an integer, got a string\n")
    else:
        assert code == 0
        (task,) = [r for r in json.loads(captured.out)["resources"]
                   if r["type"] == "aws:ecs/taskDefinition:TaskDefinition" and r["name"] == "dev-order-service-sc"]
        assert json.loads(task["inputs"]["containerDefinitions"])[0]["portMappings"][0]["containerPort"] == port


def test_config_overrides_are_what_pulumi_config_set_path_stores(capsys):
    """The CLI does not read `config set --path` values as YAML: `0o17500` stays text, which the config refuses."""
    code = preview_cli.main(["--stack", "dev", "--cwd", str(ROOT), "--config", "services[2].port=0o17500"])
    assert (code, capsys.readouterr().err) == (
        2, "error: Pulumi.dev.yaml with --config services[2].port: services[2].port: expected an integer, got a "
           "string\n")


def _cli_error(capsys, *argv: str) -> tuple[int, str]:
    code = preview_cli.main(list(argv))
    return code, capsys.readouterr().err


@pytest.mark.parametrize("argv, message", [
    # argparse printed its five-line usage before the error.
    (["--stack", "dev", "--bogus"],
     "error: unrecognized arguments: --bogus (.venv/bin/python -m tools.preview --help)"),
    (["--stack"], "error: argument --stack: expected one argument (.venv/bin/python -m tools.preview --help)"),
    # `../dev` and `/dev` ran dev, reading `..` and `` as organizations; a long name failed as an OSError.
    *((["--stack", name], f"error: --stack {name!r}: not a stack name (letters, digits, -, _ and ., at most 100, "
                          f"after <org>/ or <org>/service-mesh-platform/ if given)")
      for name in ("../dev", "/dev", "dev/", "", "d" * 101, "dev$")),
])
def test_bad_arguments_are_one_line_and_exit_2(argv, message, capsys):
    assert _cli_error(capsys, *argv) == (2, message + "\n")


def test_a_program_directory_that_is_not_one_is_named(tmp_path, capsys):
    (tmp_path / "file").write_text("")
    assert _cli_error(capsys, "--stack", "dev", "--cwd", str(tmp_path / "file")) == (
        2, f"error: {tmp_path / 'file'}: not a directory (--cwd names the program's directory)\n")
    (tmp_path / "__main__.py").write_text("")
    for setting, message in (("main: 5", f"{tmp_path / 'Pulumi.yaml'}: main: expected the program's directory (text)"),
                             ("stackConfigDir: 5", "Pulumi.yaml: stackConfigDir: expected a directory path (text)")):
        (tmp_path / "Pulumi.yaml").write_text(f"name: p\nruntime: python\n{setting}\n")
        assert _cli_error(capsys, "--stack", "dev", "--cwd", str(tmp_path)) == (2, f"error: {message}\n")


def _pack(tmp_path, settings: str, main: str) -> Path:
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "PulumiPolicy.yaml").write_text(settings)
    (pack / "__main__.py").write_text(main)
    return pack


@pytest.mark.parametrize("main, where", [
    ("raise RuntimeError('boom')\n", "RuntimeError: boom (__main__.py:1)"),
    ("import helper\n", "ValueError: bad knob (helper.py:2)"),
    ("def f(:\n", "SyntaxError: invalid syntax (__main__.py:1)"),
    # A SyntaxError about text that is no file of the pack: the handler itself failed on it.
    ("import ast\nast.literal_eval('(')\n", "SyntaxError: '(' was never closed (<unknown>, line 1) (__main__.py:2)"),
])
def test_a_policy_pack_that_fails_to_load_is_named_as_the_pack(main, where, tmp_path, capsys):
    # It read "the program failed: ...", blaming the program, and a syntax error pointed into runpy.
    pack = _pack(tmp_path, "runtime: python\n", main)
    (pack / "helper.py").write_text("x = 1\nraise ValueError('bad knob')\n")
    assert _cli_error(capsys, "--stack", "dev", "--policy-pack", str(pack)) == (
        2, f"error: {pack}: the policy pack failed to load: {where}\n")


@pytest.mark.parametrize("settings, message", [
    ("runtime: nodejs\n", "runtime is 'nodejs'; the offline preview runs Python policy packs (runtime: python)"),
    ("description: no runtime\n", "runtime is None; the offline preview runs Python policy packs (runtime: python)"),
    ("runtime: [\n", "line 2 is not valid YAML (did not find expected node content)"),
    ("- runtime: python\n", "expected a mapping of settings"),
])
def test_a_policy_pack_for_another_runtime_is_refused(settings, message, tmp_path, capsys):
    # Only the file's existence was checked, and a Node.js pack's Python twin ran in its place.
    pack = _pack(tmp_path, settings, "raise RuntimeError('never run')\n")
    assert _cli_error(capsys, "--stack", "dev", "--policy-pack", str(pack)) == (
        2, f"error: {pack / 'PulumiPolicy.yaml'}: {message}\n")
    (pack / "PulumiPolicy.yaml").write_text("runtime:\n  name: python\n")
    assert "RuntimeError: never run" in _cli_error(capsys, "--stack", "dev", "--policy-pack", str(pack))[1]


def test_a_policy_config_nested_past_reading_is_one_line(tmp_path):
    (tmp_path / "deep.json").write_text("[" * 100_000 + "]" * 100_000)
    assert run_preview("test", DROP_ALL, PACK, tmp_path / "deep.json").error == (
        f"{tmp_path / 'deep.json'}: nests too deeply to read (no policy's config is nested so)")


_ROOT_NAMED = """
import pulumi_aws as aws

api = aws.apigateway.RestApi("shop", name="shop")
admin = aws.apigateway.Resource("shop-root", rest_api=api.id, parent_id=api.root_resource_id, path_part="admin")
for name, resource in (("root-get", api.root_resource_id), ("admin-get", admin.id)):
    aws.apigateway.Method(name, rest_api=api.id, resource_id=resource, http_method="GET", authorization="NONE")
"""


def test_a_resource_named_like_its_apis_root_is_not_its_own_parent(tmp_path):
    """The mocks' root resource id is never a mock id (`<name>-id`): `shop-root`'s id once equalled `shop`'s root id,
    so the resource was its own parent and both open methods went unjudged offline."""
    result = run_preview("test", small_program(tmp_path, "roots", _ROOT_NAMED), PACK,
                         {"all": "disabled", "apigateway-method-authorization": "mandatory"})
    assert result.error is None, result.error
    assert sorted((v.name, v.message.split("\n")[-1].split(" has ")[0]) for v in result.violations) == [
        ("admin-get", "GET /admin"), ("root-get", "GET /")], [v.message for v in result.violations]
