"""The offline preview's API errors (tools/apicheck.py): what the provider or AWS would reject."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
from google.protobuf import struct_pb2
from pulumi.runtime import rpc

from components.config import FARGATE_MEMORY
from tests.conftest import ROOT
from tools import apicheck, awsprovider
from tools.apicheck import DOCUMENTED, RENAMES, check_resource, fargate_sizes, member_shape, service_model, validate
from tools.mockrun import CapturedResource
from tools.preview import main, run_preview

PROGRAM = ROOT / "tests" / "programs" / "api_defects"

# One per kind of defect: (type, resource name, path).
EXPECTED = [
    ("aws:apigateway/methodSettings:MethodSettings", "all-methods", "settings.cachingEnabled"),
    ("aws:appmesh/virtualNode:VirtualNode", "node", "spec.listeners[0].portMapping.protocol"),
    ("aws:ecs/taskDefinition:TaskDefinition", "health-check", "containerDefinitions[0].healthCheck.interval"),
    ("aws:ecs/taskDefinition:TaskDefinition", "task-size", "memory"),
    ("aws:lb/targetGroup:TargetGroup", "checkout-service-target-grp", "name"),
    ("aws:servicediscovery/service:Service", "discovery", "healthCheckCustomConfig"),
]


def test_each_kind_of_defect_is_exactly_one_api_error_and_the_preview_fails(capsys):
    result = run_preview("broken", PROGRAM)
    assert result.error is None, result.error
    assert sorted((e.type, e.name, e.path) for e in result.api_errors) == EXPECTED
    messages = {e.name: e.message for e in result.api_errors}
    assert "'checkout-service-target-group-001' is 33 characters; AWS allows 32" in messages[
        "checkout-service-target-grp"]
    assert "1 is outside 5-300" in messages["health-check"]
    assert "'https' is not one of http, tcp, http2, grpc" in messages["node"]
    assert "1536 MiB is not a Fargate size for 256 CPU units" in messages["task-size"]
    assert "POST or DELETE" in messages["all-methods"] and "ForceNew" in messages["discovery"]
    assert result.exit_code == 1

    assert main(["--stack", "broken", "--cwd", str(PROGRAM), "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert sorted((e["type"], e["name"], e["path"]) for e in out["apiErrors"]) == EXPECTED
    assert set(out["apiErrors"][0]) == {"urn", "type", "name", "path", "message"}
    assert out["summary"]["apiErrors"] == 6
    assert main(["--stack", "broken", "--cwd", str(PROGRAM)]) == 1
    text = capsys.readouterr().out
    assert "[api] aws:lb/targetGroup:TargetGroup checkout-service-target-grp  name" in text
    assert text.strip().splitlines()[-1].endswith("6 API errors")


def test_an_auto_name_above_the_types_limit_stops_the_preview_at_check_as_the_provider_does(tmp_path, capsys):
    (tmp_path / "Pulumi.yaml").write_text("name: long\nruntime: python\n")
    (tmp_path / "Pulumi.test.yaml").write_text("config:\n  aws:region: us-east-1\n")
    (tmp_path / "__main__.py").write_text(
        'import pulumi_aws as aws\n\naws.lb.TargetGroup("checkout-service-target-grp", target_type="ip", '
        'protocol="HTTP", port=8080, vpc_id="vpc-0abc1234")\n')
    assert main(["--stack", "test", "--cwd", str(tmp_path)]) == 2
    assert capsys.readouterr().err == (
        "error: aws:lb/targetGroup:TargetGroup resource 'checkout-service-target-grp': could not make instance of "
        "'aws:lb/targetGroup:TargetGroup': name 'checkout-service-target-grp-' plus 7 random chars is longer than "
        "maximum length 32\n")


def test_an_auto_name_check_allows_that_aws_refuses_is_an_api_error_that_says_so():
    """A WAF web ACL's auto-name may be 255 characters at Check; AWS allows 128."""
    name = "a" * 121
    acl = _autonamed("aws:wafv2/webAcl:WebAcl", name, {"scope": "REGIONAL"})
    [error] = [e for e in check_resource(acl) if e.path == "name"]
    assert error.message.startswith("no name is given, so pulumi-aws names it <resource name>-<7 random characters>: ")


@pytest.mark.parametrize("pack", [[], ["--policy-pack", str(ROOT / "policies")]])
def test_the_check_reads_no_aws_profile_nor_config_file(pack, tmp_path, monkeypatch):
    """A review found `AWS_PROFILE=nope ./dev preview dev` failing with botocore's ProfileNotFound (and a malformed
    AWS config or credentials file with its ConfigParseError): the models were read through a default botocore
    session, which reads the profile. The offline preview needs no credentials: in-process and in the policy worker,
    the check reads the models botocore ships whatever the AWS settings say."""
    (tmp_path / "malformed").write_text("[default\nregion = us-east-1\n")
    for variable in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE"):
        monkeypatch.setenv(variable, "no-such-profile")
    for variable in ("AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"):
        monkeypatch.setenv(variable, str(tmp_path / "malformed"))
    done = subprocess.run([sys.executable, "-m", "tools.preview", "--stack", "broken", "--cwd", str(PROGRAM), "--json",
                           *pack], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert (done.returncode, done.stderr) == (1, "")
    assert sorted((e["type"], e["name"], e["path"]) for e in json.loads(done.stdout)["apiErrors"]) == EXPECTED


def test_the_same_program_without_the_defects_has_none(capsys):
    result = run_preview("clean", PROGRAM)
    assert result.error is None and result.api_errors == [] and result.exit_code == 0
    assert main(["--stack", "clean", "--cwd", str(PROGRAM), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["apiErrors"] == []


def test_both_stacks_preview_with_no_api_errors(dev_preview, prod_preview):
    assert dev_preview.api_errors == [] and prod_preview.api_errors == []


def test_both_stacks_on_app_mesh_preview_with_no_api_errors(dev_appmesh_preview, prod_appmesh_preview):
    assert dev_appmesh_preview.api_errors == [] and prod_appmesh_preview.api_errors == []


def _deprecated_members(value, model_shape, path: str, service: str):
    """(path, shape.member) for each member of a payload that AWS's model marks deprecated."""
    value = apicheck._plain(value)
    if value is None or apicheck._unknown(value):
        return
    if model_shape.type_name == "structure" and isinstance(value, dict):
        for key, item in value.items():
            api, convert = apicheck._api_member(service, model_shape, key)
            if api in model_shape.members:
                if model_shape._shape_model["members"][api].get("deprecated"):
                    yield f"{path}.{key}" if path else key, f"{model_shape.name}.{api}"
                yield from _deprecated_members(convert(item) if convert else item, model_shape.members[api],
                                               f"{path}.{key}" if path else key, service)
    elif model_shape.type_name == "list" and isinstance(value, list):
        for i, item in enumerate(value):
            yield from _deprecated_members(item, model_shape.member, f"{path}[{i}]", service)


# What the stacks send that AWS deprecates, and why. Cloud Map: the provider's schema requires the namespace in
# `dnsConfig`, and an empty health check block would be replaced on every update (components/discovery.py).
DEPRECATED_ON_PURPOSE = {("aws:servicediscovery/service:Service", "dnsConfig.namespaceId", "DnsConfig.NamespaceId"),
                         ("aws:servicediscovery/service:Service", "healthCheckCustomConfig.failureThreshold",
                          "HealthCheckCustomConfig.FailureThreshold")}


def test_the_stacks_send_aws_no_member_its_api_deprecates_but_on_purpose(dev_preview, prod_preview, iot_preview,
                                                                        dev_appmesh_preview):
    """A deprecated member may stop being read back (a diff on every update) or be refused: ACM's Certificate
    Transparency opt-out, deprecated on 12 June 2026, was one the program sent."""
    sent = set()
    for result in (dev_preview, prod_preview, iot_preview, dev_appmesh_preview):
        for resource in result.resources:
            for payload in apicheck.PAYLOADS.get(resource.type, lambda _: ())(resource.inputs):
                model, parent, member = apicheck._payload_shape(payload.service, payload.shape)
                if parent and service_model(payload.service).shape_for(parent)._shape_model["members"][member].get(
                        "deprecated"):
                    sent.add((resource.type, payload.path, f"{parent}.{member}"))
                sent |= {(resource.type, path, where) for path, where in
                         _deprecated_members(payload.value, model, payload.path, payload.service)}
    assert sent == DEPRECATED_ON_PURPOSE
    old_certificate = {"domainName": "api.example.com", "validationMethod": "DNS",
                       "options": {"certificateTransparencyLoggingPreference": "ENABLED"}}
    [options] = [p for p in apicheck.PAYLOADS["aws:acm/certificate:Certificate"](old_certificate)
                 if p.path == "options"]
    model = service_model("acm").shape_for("RequestCertificateRequest").members["Options"]
    opt_out = "CertificateOptions.CertificateTransparencyLoggingPreference"
    assert list(_deprecated_members(options.value, model, "options", "acm")) == [
        ("options.certificateTransparencyLoggingPreference", opt_out)]


# --- the oracle's tables, tied to AWS's model and text -------------------------------------------------


def test_fargate_sizes_read_from_aws_match_the_config_table():
    """RegisterTaskDefinition's own documentation is the source; config validation uses the same table."""
    assert fargate_sizes() == FARGATE_MEMORY
    assert fargate_sizes()[256] == (512, 1024, 2048) and fargate_sizes()[16384][-1] == 120 * 1024


@pytest.mark.parametrize("key", sorted(DOCUMENTED), ids=lambda k: ".".join(k))
def test_each_documented_rule_is_in_the_text_botocore_ships(key):
    service, parent, member = key
    assert DOCUMENTED[key].phrase in member_shape(service, parent, member).documentation


@pytest.mark.parametrize("key", sorted(RENAMES), ids=lambda k: ".".join(k))
def test_each_rename_maps_a_name_the_api_lacks_to_one_it_has(key):
    service, shape_name = key
    shape = service_model(service).shape_for(shape_name)
    for pulumi_name, rename in RENAMES[key].items():
        assert rename.api in shape.members, (shape_name, rename.api)
        assert pulumi_name not in shape.members or rename.convert is not None, (shape_name, pulumi_name)


def _errors(value, service, shape_name):
    return list(validate(value, service_model(service).shape_for(shape_name), "x", service))


def test_renamed_members_validate_under_their_api_names():
    service = {"portName": "http", "discoveryName": "orders",
               "clientAlias": {"port": 8000, "dnsName": "orders.dev.local"},
               "tls": {"issuerCertAuthority": {"awsPcaAuthorityArn": "arn:aws:acm-pca:us-east-1:1:certificate-authority/x"},
                       "roleArn": "arn:aws:iam::1:role/x"}}
    assert _errors({"enabled": True, "namespace": "ns", "services": [service]}, "ecs",
                   "ServiceConnectConfiguration") == []
    # Without the table, the pulumi names are members AWS does not know.
    saved = dict(RENAMES)
    try:
        RENAMES.pop(("ecs", "ServiceConnectService"))
        problems = _errors({"enabled": True, "services": [service]}, "ecs", "ServiceConnectConfiguration")
        assert any("no member 'clientAlias'" in p for _, p in problems)
    finally:
        RENAMES.clear()
        RENAMES.update(saved)


def test_service_connect_names_are_held_to_the_rules_aws_documents():
    """A port mapping's name, a Service Connect discovery name and a client alias: lower case, no leading hyphen,
    64 (127) characters at most (botocore's PortMapping, ServiceConnectService and ServiceConnectClientAlias);
    the model's String shapes say nothing of it, and ECS refuses the task definition or the service."""
    def problems(port_name: str, discovery: str, alias: str) -> list[tuple[str, str]]:
        container = {"name": "app", "image": "i", "portMappings": [{"name": port_name, "containerPort": 8000}]}
        service = {"portName": port_name, "discoveryName": discovery,
                   "clientAlias": {"port": 8000, "dnsName": alias}}
        return (_errors(container, "ecs", "ContainerDefinition")
                + _errors({"enabled": True, "services": [service]}, "ecs", "ServiceConnectConfiguration"))

    assert problems("user-service", "dev-user-service", "user-service.dev.ecommerce.local") == []
    assert problems("_" + "a" * 63, "b" * 64, "c" * 127) == []
    assert problems("User-Service", "-dev-user-service", "User.dev.local") == [
        ("x.portMappings[0].name", "'User-Service' may only contain lowercase letters, numbers, underscores and "
                                   "hyphens, not starting with a hyphen"),
        ("x.services[0].discoveryName", "'-dev-user-service' may only contain lowercase letters, numbers, "
                                        "underscores and hyphens, not starting with a hyphen"),
        ("x.services[0].clientAlias[0].dnsName", "'User.dev.local' may only contain lowercase letters, numbers, "
                                              "underscores, hyphens and periods, not starting with a hyphen")]
    assert [path for path, _ in problems("a" * 65, "b" * 65, "c" * 128)] == [
        "x.portMappings[0].name", "x.services[0].discoveryName", "x.services[0].clientAlias[0].dnsName"]


def test_the_model_catches_enums_ranges_required_members_and_strings_bake_times():
    deployment = {"strategy": "CANARY", "bakeTimeInMinutes": "10",
                  "canaryConfiguration": {"canaryPercent": 10.0, "canaryBakeTimeInMinutes": "5"},
                  "alarms": {"alarmNames": ["a"], "enable": True, "rollback": True}}
    assert _errors(deployment, "ecs", "DeploymentConfiguration") == []
    assert _errors({**deployment, "strategy": "SLOW"}, "ecs", "DeploymentConfiguration") == [
        ("x.strategy", "'SLOW' is not one of ROLLING, BLUE_GREEN, LINEAR, CANARY (DeploymentStrategy)")]
    assert _errors({**deployment, "alarms": {"alarmNames": ["a"], "enable": True}}, "ecs",
                   "DeploymentConfiguration") == [("x.alarms", "DeploymentAlarms requires 'rollback'")]
    assert _errors({"type": "A", "ttl": -1}, "servicediscovery", "DnsRecord") == [
        ("x.ttl", "-1 is below the API minimum 0")]


def _resource(type_: str, name: str, inputs: dict) -> CapturedResource:
    struct = struct_pb2.Struct()
    struct.update(inputs)
    return CapturedResource(urn=f"urn:pulumi:t::p::{type_}::{name}", type=type_, name=name, parent=None, custom=True,
                            protect=False, inputs_struct=struct, state=struct_pb2.Struct())


def _autonamed(type_: str, name: str, inputs: dict) -> CapturedResource:
    """A resource whose `name` is the auto-name pulumi-aws's Check gave it (drawn from its URN, as the mocks do)."""
    urn = _resource(type_, name, inputs).urn
    return _resource(type_, name, {**inputs, "name": awsprovider.name_autoname(type_, name, inputs, urn)})


def test_method_setting_paths_must_escape_slashes():
    def paths(method_path):
        settings = _resource("aws:apigateway/methodSettings:MethodSettings", "s",
                             {"methodPath": method_path, "settings": {"cachingEnabled": True}})
        return [e.path for e in check_resource(settings)]

    assert paths("~1users~1{proxy+}/GET") == [] and paths("~1users/GET") == []
    assert paths("users/{proxy+}/GET") == ["methodPath"]
    assert paths("*/*") == ["settings.cachingEnabled"]


def test_auto_names_count_the_suffix_and_given_names_are_checked_too():
    short = _resource("aws:lb/targetGroup:TargetGroup", "a" * 24, {})  # 24 + 8 = 32: fits
    assert check_resource(short) == []
    long = _resource("aws:lb/targetGroup:TargetGroup", "a" * 25, {})
    assert [e.path for e in check_resource(long)] == ["name"]
    given = _resource("aws:lb/loadBalancer:LoadBalancer", "lb", {"name": "internal-ingress"})
    assert "may only contain" in check_resource(given)[0].message
    role = _resource("aws:iam/role:Role", "r" * 57, {})  # IAM role names allow 64
    assert [e.path for e in check_resource(role)] == ["name"]
    alias = _resource("aws:alb/targetGroup:TargetGroup", "a" * 25, {})  # its Check lets the auto-name run to 255
    assert [e.path for e in check_resource(alias)] == ["name"]
    # With a namePrefix the provider makes the name from it (the API check sees no name to judge).
    assert check_resource(_resource("aws:lb/targetGroup:TargetGroup", "a" * 25, {"namePrefix": "tg-"})) == []


@pytest.mark.parametrize("lb_type", ["targetGroup:TargetGroup", "loadBalancer:LoadBalancer", "listener:Listener",
                                     "listenerRule:ListenerRule"])
def test_the_aws_alb_aliases_are_judged_as_their_aws_lb_twins(lb_type):
    """pulumi-aws's Check lets an aws:alb target group's auto-name run to 255 characters: AWS's 32 is found here."""
    def errors(type_, name, inputs):
        resource = _autonamed(type_, name, {}) if inputs is None else _resource(type_, name, inputs)
        # Each twin's auto-name is its own (drawn from its URN): the messages name it.
        return [(e.path, e.message.replace(str(resource.inputs.get("name")), "<name>"))
                for e in check_resource(resource)]

    cases = {"targetGroup:TargetGroup": ("a" * 25, None),  # auto-named
             "loadBalancer:LoadBalancer": ("lb", {"name": "internal-ingress"}),
             "listener:Listener": ("l", {"protocol": "htttp", "port": 443}),
             "listenerRule:ListenerRule": ("r", {"priority": 0, "listenerArn": "arn:x", "actions": [],
                                                 "conditions": []})}
    name, inputs = cases[lb_type]
    found = errors(f"aws:alb/{lb_type}", name, inputs)
    assert found and found == errors(f"aws:lb/{lb_type}", name, inputs)


def test_security_group_and_rule_descriptions_use_only_the_characters_ec2_allows():
    """EC2 refuses an apostrophe in a group's or rule's description (a first `up` failed on one), and & in a rule
    on a group or prefix list, though it takes & in a group's or an address range's."""
    def errors(type_, inputs):
        return [(e.path, e.message.split(" may only")[0]) for e in check_resource(_resource(type_, "x", inputs))]
    group = "aws:ec2/securityGroup:SecurityGroup"
    ingress = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
    assert errors(group, {"name": "g", "description": "443 from the API Gateway VPC link & more"}) == []
    assert errors(group, {"name": "g", "description": "443 from the API's VPC link"}) == [
        ("description", '"443 from the API\'s VPC link"')]
    assert errors(ingress, {"cidrIpv4": "10.0.0.0/8", "description": "a & b"}) == []
    assert [path for path, _ in errors(ingress, {"referencedSecurityGroupId": "sg-1", "description": "a & b"})] == [
        "description"]
    assert [path for path, _ in errors("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
                                       {"prefixListId": "pl-1", "description": "it's"})] == ["description"]


def test_a_listener_protocol_is_checked_as_the_provider_sends_it_upper_cased():
    def errors(protocol):
        listener = _resource("aws:lb/listener:Listener", "l", {"protocol": protocol, "port": 443})
        return [(e.path, e.message.split(";")[0]) for e in check_resource(listener)]

    assert errors("https") == errors("HTTPS") == []
    assert [path for path, _ in errors("htps")] == ["protocol"]


def test_unknown_values_are_not_checked():
    task = _resource("aws:ecs/taskDefinition:TaskDefinition", "t", {
        "requiresCompatibilities": ["FARGATE"], "cpu": "256", "memory": rpc.UNKNOWN,
        "containerDefinitions": rpc.UNKNOWN})
    assert check_resource(task) == []


def test_log_metric_filters_are_checked_against_put_metric_filter():
    def problems(**changes):
        inputs = {"name": "acme-requests", "logGroupName": "/iot/apigateway/api/access",
                  "pattern": '{ $.tenantId = "acme" }',
                  "metricTransformation": {"name": "acme", "namespace": "iot/TenantRequests", "value": "1",
                                           "unit": "Count"}}
        inputs.update(changes)
        return [(e.path, e.message) for e in check_resource(_resource(
            "aws:cloudwatch/logMetricFilter:LogMetricFilter", "f", inputs))]

    assert problems() == []
    assert problems(metricTransformation={"name": "acme", "namespace": "n", "value": "1", "unit": "count"}) == [
        ("metricTransformation.unit", "'count' is not one of " + ", ".join(
            service_model("logs").shape_for("StandardUnit").enum) + " (StandardUnit)")]
    assert problems(pattern="x" * 1025)[0][0] == "pattern"
    assert problems(metricTransformation={"namespace": "n", "value": "1"}) == [
        ("metricTransformation", "MetricTransformation requires 'metricName'")]


def test_a_length_api_gateway_v2_states_only_in_its_shapes_name_is_checked():
    """CreateRoute's scopes are `StringWithLengthBetween1And64`, a shape with no min or max in the model."""
    route = apicheck.member_shape("apigatewayv2", "CreateRoute", "AuthorizationScopes")
    assert route.member.name == "StringWithLengthBetween1And64" and "max" not in route.member.metadata
    assert list(validate(["s" * 64], route, "x", "apigatewayv2")) == []
    assert list(validate(["s" * 65, ""], route, "x", "apigatewayv2")) == [
        ("x[0]", "65 characters is above the API maximum 64"), ("x[1]", "0 characters is below the API minimum 1")]
    # "32K" is 32 KiB: a route's request models, say.
    big = apicheck.shape("apigatewayv2", "StringWithLengthBetween0And32K")
    assert list(validate("m" * 32768, big, "x", "apigatewayv2")) == []
    assert list(validate("m" * 32769, big, "x", "apigatewayv2")) == [("x", "32769 characters is above the API maximum "
                                                                          "32768")]


def _document(characters: int) -> str:
    """A policy document of this many characters without white space, indented as a program may write it."""
    padding = characters - len('{"Statement":[{"Resource":""}]}')
    return json.dumps({"Statement": [{"Resource": "x" * padding}]}, indent=2)


def _quota_errors(*resources: CapturedResource) -> list[tuple[str, str, str]]:
    return [(e.name, e.path, e.message) for e in apicheck.check_resources(resources)]


def test_one_inline_role_policy_above_iams_quota_is_an_api_error():
    """White space does not count; 10,240 characters is the most a role's inline policies may hold, one alone too,
    whichever role it names (here none the program declares)."""
    def policy(characters):
        return _resource("aws:iam/rolePolicy:RolePolicy", "execution", {"role": "r", "policy": _document(characters)})

    assert _quota_errors(policy(10240)) == []
    assert _quota_errors(policy(10241)) == [
        ("execution", "policy", "10,241 characters without white space in the inline policies of role 'r' "
                                "(RolePolicy 'execution': 10,241); IAM allows a role's inline policies 10,240 "
                                "together")]


def test_a_roles_inline_policies_are_judged_together_across_resources():
    """IAM's quota is on the sum of a role's inline policies: its own `inlinePolicies` and every RolePolicy naming it
    (by name, or by id, which is the name), each under the quota here and together over it."""
    def role(*documents):
        return _resource("aws:iam/role:Role", "task", {"name": "task-role", "inlinePolicies": [
            {"name": f"p{i}", "policy": d} for i, d in enumerate(documents)]})

    def policy(name, characters, role_name="task-role"):
        return _resource("aws:iam/rolePolicy:RolePolicy", name, {"role": role_name, "policy": _document(characters)})

    assert _quota_errors(role(_document(4000)), policy("reads", 3000), policy("writes", 3240)) == []
    assert _quota_errors(role(_document(4000)), policy("reads", 3000), policy("writes", 3241)) == [
        ("task", "inlinePolicies", "10,241 characters without white space in the inline policies of role "
                                   "'task-role' (inlinePolicies[0]: 4,000; RolePolicy 'reads': 3,000; RolePolicy "
                                   "'writes': 3,241); IAM allows a role's inline policies 10,240 together")]
    # Two policies of a role the program does not declare: reported on the first.
    assert [e[:2] for e in _quota_errors(policy("reads", 6000, "theirs"), policy("writes", 6000, "theirs"))] == [
        ("reads", "policy")]
    # Another role's policy, and the role's own inline policies alone, are not in the sum.
    assert _quota_errors(role(_document(5000), _document(5000)), policy("other", 6000, "other-role")) == []
    assert [e[:2] for e in _quota_errors(role(_document(5000), _document(5241)))] == [("task", "inlinePolicies")]


def test_a_policy_name_a_role_has_twice_counts_once_as_iam_keeps_one():
    """PutRolePolicy with a name the role already has replaces that policy: a RolePolicy named like one of the role's
    own inlinePolicies is counted in its place (it is put after the role is made), and of two RolePolicy resources
    of one name the later stands."""
    def role(documents):
        return _resource("aws:iam/role:Role", "task", {"name": "task-role", "inlinePolicies": [
            {"name": name, "policy": d} for name, d in documents]})

    def policy(name, characters, policy_name):
        return _resource("aws:iam/rolePolicy:RolePolicy", name, {"role": "task-role", "name": policy_name,
                                                                 "policy": _document(characters)})

    assert _quota_errors(role([("reads", _document(6000))]), policy("reads", 6000, "reads")) == []
    assert _quota_errors(policy("old", 9000, "writes"), policy("new", 4000, "writes"),
                         role([("reads", _document(6000))])) == []
    # Other names are summed as before: here 6,000 and 4,241.
    assert _quota_errors(role([("reads", _document(6000))]), policy("writes", 4241, "writes")) == [
        ("task", "inlinePolicies", "10,241 characters without white space in the inline policies of role "
                                   "'task-role' (inlinePolicies[0]: 6,000; RolePolicy 'writes': 4,241); IAM allows a "
                                   "role's inline policies 10,240 together")]


def test_a_role_policy_finds_its_role_by_name_whatever_the_case_and_refuses_an_arn():
    """IAM's names are not distinguished by case, so a RolePolicy naming `Task-Role` is summed with role `task-role`'s
    own policies; one naming the role by its ARN is refused by the provider, and still summed with that role's."""
    role = _resource("aws:iam/role:Role", "task", {"name": "task-role", "inlinePolicies": [
        {"name": "own", "policy": _document(6000)}]})

    def policy(reference):
        return _resource("aws:iam/rolePolicy:RolePolicy", "reads", {"role": reference, "policy": _document(5000)})

    for reference in ("Task-Role", "arn:aws:iam::123456789012:role/service/task-role"):
        assert ("task", "inlinePolicies") in [e[:2] for e in _quota_errors(role, policy(reference))], reference
    arn = "arn:aws:iam::123456789012:role/task-role"
    assert [(e.path, e.message) for e in check_resource(policy(arn))] == [
        ("role", f"{arn!r} is an ARN: the provider refuses it (\"must be the role's name not its ARN\"); give the "
                 f"role's name (role.name, or role.id, which is the name)")]
    assert [e for e in check_resource(policy("task-role"))] == []


def test_an_unknown_document_or_role_adds_no_inline_policy_error():
    """A first preview: an unknown document counts nothing, and a policy whose role is unknown is judged alone."""
    role = _resource("aws:iam/role:Role", "task", {"name": "task-role", "inlinePolicies": [
        {"name": "known", "policy": _document(6000)}, {"name": "later", "policy": rpc.UNKNOWN}]})
    by_unknown_role = _resource("aws:iam/rolePolicy:RolePolicy", "reads", {"role": rpc.UNKNOWN,
                                                                           "policy": _document(6000)})
    unknown_document = _resource("aws:iam/rolePolicy:RolePolicy", "writes", {"role": "task-role",
                                                                             "policy": rpc.UNKNOWN})
    assert _quota_errors(role, by_unknown_role, unknown_document) == []


@pytest.mark.parametrize("owner, policy, reference, quota", [
    ("aws:iam/user:User", "aws:iam/userPolicy:UserPolicy", "user", 2048),
    ("aws:iam/group:Group", "aws:iam/groupPolicy:GroupPolicy", "group", 5120)])
def test_a_users_and_a_groups_inline_policies_are_judged_together(owner, policy, reference, quota):
    """IAM's quotas on a user's (2,048) and a group's (5,120) inline policies together; neither type takes a policy
    of its own in pulumi-aws."""
    identity = owner.rsplit(":", 1)[-1].lower()
    declared = _resource(owner, "ops", {"name": "ops"})
    half = quota // 2
    policies = [_resource(policy, name, {reference: "ops", "policy": _document(chars)})
                for name, chars in (("a", half), ("b", quota - half))]
    assert _quota_errors(declared, *policies) == []
    policies.append(_resource(policy, "c", {reference: "ops", "policy": _document(40)}))
    [(name, path, message)] = _quota_errors(declared, *policies)
    assert (name, path) == ("ops", "inlinePolicies")
    assert message.startswith(f"{quota + 40:,} characters without white space in the inline policies of "
                              f"{identity} 'ops' (")
    assert message.endswith(f"IAM allows a {identity}'s inline policies {quota:,} together")


def test_a_role_trust_policy_above_the_accounts_quota_is_an_api_error():
    """2,048 characters without white space is IAM's default quota on a role's trust policy, which Service Quotas
    raises to at most 4,096: the stack declares a raised one as `quotas.roleTrustPolicyChars`. Unknown, none."""
    def errors(document, quotas=apicheck.AccountQuotas()):
        return [(e.path, e.message) for e in apicheck.check_resources([
            _resource("aws:iam/role:Role", "task", {"name": "task-role", "assumeRolePolicy": document})], quotas)]

    assert errors(_document(2048)) == [] and errors(rpc.UNKNOWN) == []
    assert errors(_document(2049)) == [
        ("assumeRolePolicy", "2,049 characters without white space; IAM's quota on a role's trust policy is 2,048 "
                             "unless the account raised it (Service Quotas, to at most 4,096: then declare "
                             "quotas.roleTrustPolicyChars) (CreateRole fails with LimitExceeded, ACLSizePerRole)")]
    raised = apicheck.declared_quotas({"p:quotas": json.dumps({"elasticIps": 1, "roleTrustPolicyChars": 3000})}, "p")
    assert raised == apicheck.AccountQuotas(role_trust_policy_chars=3000)
    assert errors(_document(3000), raised) == []
    assert errors(_document(3001), raised) == [
        ("assumeRolePolicy", "3,001 characters without white space; IAM's quota on a role's trust policy is 3,000 as "
                             "the stack declares it raised (quotas.roleTrustPolicyChars) (CreateRole fails with "
                             "LimitExceeded, ACLSizePerRole)")]
    # Nothing declared, or a value config refuses (past IAM's most, not a number), is AWS's default.
    for config in ({}, {"p:quotas": "{}"}, {"p:quotas": '{"roleTrustPolicyChars": 5000}'},
                   {"p:quotas": '{"roleTrustPolicyChars": "3000"}'},
                   {"other:quotas": '{"roleTrustPolicyChars": 3000}'}):
        assert apicheck.declared_quotas(config, "p") == apicheck.AccountQuotas(), config


def test_a_managed_policy_above_iams_6144_characters_is_an_api_error():
    """IAM's quota on a managed policy's document, white space not counted (the model's PolicyDocument allows 131,072);
    unknown, none."""
    def errors(document):
        return [(e.path, e.message) for e in check_resource(
            _resource("aws:iam/policy:Policy", "deploy", {"name": "deploy", "policy": document}))]

    assert errors(_document(6144)) == [] and errors(rpc.UNKNOWN) == []
    assert errors(_document(6145)) == [
        ("policy", "6,145 characters without white space; IAM allows a managed policy 6,144 (CreatePolicy fails with "
                   "LimitExceeded, PolicySize; not raisable): split it in two")]


ROLE_POLICIES_PROGRAM = """import json
import pulumi_aws as aws

trust = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                            "Principal": {"Service": "ecs-tasks.amazonaws.com"},
                                                            "Sid": "x" * %(sid)d}]})
role = aws.iam.Role("task", assume_role_policy=trust)
for name in ("reads", "writes"):
    aws.iam.RolePolicy(name, role=role.id, policy=json.dumps({"Statement": [{"Resource": "x" * 6000}]}))
"""


@pytest.mark.parametrize("pack", [None, ROOT / "policies"], ids=["in-process", "policy-worker"])
def test_a_preview_sums_a_roles_policies_and_a_first_preview_adds_nothing_unknown(pack, tmp_path):
    """Two RolePolicy resources of 6,000 characters on one role (`role=role.id`): an API error in a preview, in
    process and with the policy worker; in a first preview the role's id is unknown, so each is judged alone. The
    trust policy, known in both, is judged in both."""
    (tmp_path / "Pulumi.yaml").write_text("name: roles\nruntime: python\n")
    (tmp_path / "Pulumi.test.yaml").write_text("config:\n  aws:region: us-east-1\n")

    def errors(sid, unknown_outputs=False):
        (tmp_path / "__main__.py").write_text(ROLE_POLICIES_PROGRAM % {"sid": sid})
        result = run_preview("test", tmp_path, pack, unknown_outputs=unknown_outputs)
        assert result.error is None, result.error
        return [(e.name, e.path) for e in result.api_errors]

    assert errors(1) == [("task", "inlinePolicies")]
    assert errors(1, unknown_outputs=True) == []
    assert errors(2000, unknown_outputs=True) == [("task", "assumeRolePolicy")]
    # The account's quota as the stack's config declares it raised.
    (tmp_path / "Pulumi.test.yaml").write_text("config:\n  aws:region: us-east-1\n  roles:quotas:\n"
                                               "    roleTrustPolicyChars: 4096\n")
    assert errors(2000, unknown_outputs=True) == []


@pytest.mark.parametrize("multi_region, global_events, refused", [
    (True, False, True), (True, True, False), (True, None, False), (False, False, False),
    (True, rpc.UNKNOWN, False), (rpc.UNKNOWN, False, False)])
def test_a_multi_region_trail_without_global_service_events_is_an_api_error(multi_region, global_events, refused):
    """CloudTrail refuses the pair (InvalidParameterCombinationException); a value unknown until the update is not
    judged."""
    inputs = {"s3BucketName": "trail-logs", "isMultiRegionTrail": multi_region,
              "includeGlobalServiceEvents": global_events}
    errors = [(e.path, e.message) for e in check_resource(_resource(
        "aws:cloudtrail/trail:Trail", "org", {k: v for k, v in inputs.items() if v is not None}))]
    assert errors == ([("includeGlobalServiceEvents", (
        "false on a multi-Region trail: CloudTrail refuses it (InvalidParameterCombinationException: Multi-Region "
        "trail must include global service events); leave it unset or true"))] if refused else [])


# A task definition's members beside its containers, as a program gives them: what the provider sends with them.
_TASK_MEMBERS = {
    "family": "dev-orders-sc", "cpu": "512", "memory": "1024", "networkMode": "awsvpc",
    "requiresCompatibilities": ["FARGATE"], "runtimePlatform": {"operatingSystemFamily": "LINUX"},
    "taskRoleArn": "arn:aws:iam::123456789012:role/dev-orders-sc-task-1a2b3c4",
    "executionRoleArn": "arn:aws:iam::123456789012:role/dev-orders-sc-execution-1a2b3c4",
    "proxyConfiguration": {"type": "APPMESH", "containerName": "envoy", "properties": {"AppPorts": "8080"}},
    "volumes": [{"name": "app-tmp"}, {"name": "data", "hostPath": "/data"}],
    "tags": {"Team": "orders"}, "tagsAll": {"Team": "orders", "Environment": "dev", "aws:cloudformation:x": "y"},
    "skipDestroy": True}
# The same members as RegisterTaskDefinition's request carries them (terraform-provider-aws
# resourceTaskDefinitionCreate).
_TASK_REQUEST = {
    **{k: v for k, v in _TASK_MEMBERS.items() if k not in ("proxyConfiguration", "volumes", "tags", "tagsAll",
                                                         "skipDestroy")},
    "proxyConfiguration": {"type": "APPMESH", "containerName": "envoy",
                           "properties": [{"name": "AppPorts", "value": "8080"}]},
    "volumes": [{"name": "app-tmp", "configuredAtLaunch": False},
                {"name": "data", "host": {"sourcePath": "/data"}, "configuredAtLaunch": False}],
    "tags": [{"key": "Team", "value": "orders"}, {"key": "Environment", "value": "dev"}]}


def test_a_task_definition_is_measured_as_the_whole_request_ecs_takes_up_to_64_kib():
    """ECS holds the whole RegisterTaskDefinition request to 65,536 bytes (compact JSON, UTF-8), not its containers
    alone: the family, role ARNs, volumes, proxy and tags count. Containers that fit alone fail with the rest."""
    def task(value_bytes, members=_TASK_MEMBERS):
        def made(value):
            container = {"name": "app", "environment": [{"name": "BIG", "value": value}]}
            return _resource("aws:ecs/taskDefinition:TaskDefinition", "task", {
                **members, "containerDefinitions": json.dumps([container], indent=2)})

        return made("x" * (value_bytes - apicheck.json_bytes(apicheck.task_definition_request(made("").inputs))))

    def errors(resource):
        return [(e.path, e.message) for e in check_resource(resource) if e.path == "containerDefinitions"]

    containers = [{"name": "app"}]
    assert apicheck.task_definition_request({**_TASK_MEMBERS, "containerDefinitions": json.dumps(containers)}) == {
        **_TASK_REQUEST, "containerDefinitions": containers}
    assert errors(task(65536)) == []
    over = task(65537)
    containers_bytes = apicheck.json_bytes(json.loads(over.inputs["containerDefinitions"]))
    assert containers_bytes < 65536 - 600  # the containers alone fit with room to spare
    assert errors(over) == [("containerDefinitions", (
        f"65,537 bytes in the RegisterTaskDefinition request, {containers_bytes:,} of them container definitions; ECS "
        f"takes a task definition of at most 65,536 (environment variables and secrets count)"))]
    # Bytes as ECS counts them, UTF-8: "é" is two, not the six of a JSON escape.
    container = {"name": "app", "environment": [{"name": "TEXT", "value": "é" * 25000}]}
    assert errors(_resource("aws:ecs/taskDefinition:TaskDefinition", "task", {
        **_TASK_MEMBERS, "containerDefinitions": json.dumps([container])})) == []
    # A member unknown until `up` counts nothing: what is known is a lower bound.
    unknown = {**_TASK_MEMBERS, "taskRoleArn": rpc.UNKNOWN, "tagsAll": rpc.UNKNOWN, "tags": rpc.UNKNOWN}
    assert (errors(task(65536, unknown)), len(errors(task(65537, unknown)))) == ([], 1)


KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/0f0e0d0c-0b0a-0908-0706-050403020100"


@pytest.mark.parametrize("inputs,expected", [
    ({"encryptionType": "KMS"}, ["kmsKeyId"]),
    ({"encryptionType": "KMS", "kmsKeyId": ""}, ["kmsKeyId"]),
    ({"encryptionType": "KMS", "kmsKeyId": "alias/aws/kinesis"}, []),
    ({"encryptionType": "KMS", "kmsKeyId": rpc.UNKNOWN}, []),
    ({"encryptionType": "NONE"}, []),
    ({}, []),
])
def test_a_kms_encrypted_kinesis_stream_must_name_its_key(inputs, expected):
    """The provider refuses KMS without kmsKeyId (StartStreamEncryption requires KeyId) after CreateStream."""
    stream = _resource("aws:kinesis/stream:Stream", "events", {"name": "events", "shardCount": 1, **inputs})
    errors = check_resource(stream)
    assert [e.path for e in errors] == expected
    assert apicheck.needs_check(stream)
    if expected:
        assert errors[0].message == (
            'encryptionType is KMS with no kmsKeyId: the provider fails the create ("KMS Key ID required when setting '
            'encryption_type is not set as NONE") once CreateStream has made the stream, which is left unencrypted; '
            "give kmsKeyId (alias/aws/kinesis for the AWS managed key, or a key of your own)")


@pytest.mark.parametrize("encryption,expected", [
    ({"enabled": True, "keyType": "CUSTOMER_MANAGED_CMK"}, ["serverSideEncryption.keyArn"]),
    ({"enabled": True, "keyType": "CUSTOMER_MANAGED_CMK", "keyArn": KEY_ARN}, []),
    ({"enabled": True, "keyType": "CUSTOMER_MANAGED_CMK", "keyArn": rpc.UNKNOWN}, []),
    ({"enabled": True, "keyType": "AWS_OWNED_CMK"}, []),
    ({"enabled": True}, []),
    # Switched off, the provider sends no encryption at all; while `enabled` is unknown, nothing is judged.
    ({"enabled": False, "keyType": "CUSTOMER_MANAGED_CMK"}, []),
    ({"enabled": rpc.UNKNOWN, "keyType": "CUSTOMER_MANAGED_CMK"}, []),
])
def test_a_firehose_stream_under_a_customer_managed_key_must_name_it(encryption, expected):
    stream = _resource("aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream", "events", {
        "name": "events", "destination": "extended_s3", "serverSideEncryption": encryption})
    errors = check_resource(stream)
    assert [e.path for e in errors] == expected
    assert apicheck.needs_check(stream)
    if expected:
        assert errors[0].message == (
            "keyType CUSTOMER_MANAGED_CMK with no keyArn: Firehose requires the key's ARN to encrypt with a customer "
            "managed key, and refuses the encryption the provider starts once CreateDeliveryStream has made the "
            "stream; give keyArn (or keyType AWS_OWNED_CMK)")


def test_firehoses_key_arn_rule_is_in_the_text_botocore_ships():
    service, parent, member, phrase = apicheck.FIREHOSE_KEY_ARN_RULE
    assert phrase in member_shape(service, parent, member).documentation


def test_a_web_acls_body_inspection_limits_are_checked_as_the_provider_sends_them():
    """pulumi-aws's `requestBodies` blocks become AWS's `RequestBody` map (resource type -> limit), whose keys and
    limits are AWS's enums; the provider sends the first block only, so a second never applies."""
    def errors(*bodies, secret: bool = False) -> list[tuple[str, str]]:
        acl = _resource("aws:wafv2/webAcl:WebAcl", "acl", {
            "name": "acl", "scope": "REGIONAL", "defaultAction": {"allow": {}},
            "visibilityConfig": {"cloudwatchMetricsEnabled": True, "metricName": "acl", "sampledRequestsEnabled": True},
            "associationConfig": {"requestBodies": {"secret": list(bodies)} if secret else list(bodies)}})
        return [(e.path, e.message) for e in check_resource(acl)]

    limit = {"defaultSizeInspectionLimit": "KB_32"}
    assert errors({"apiGateway": limit, "cognitoUserPool": limit}) == []
    assert errors() == [] and errors(rpc.UNKNOWN) == []
    assert errors({"apiGateway": {"defaultSizeInspectionLimit": "KB_100"}}) == [(
        "associationConfig.requestBodies.API_GATEWAY.defaultSizeInspectionLimit",
        "'KB_100' is not one of KB_16, KB_32, KB_48, KB_64 (SizeInspectionLimit)")]
    # A list made secret (built from a secret config value) is read inside the secret.
    assert errors({"apiGateway": {"defaultSizeInspectionLimit": "KB_100"}}, secret=True) == [(
        "associationConfig.requestBodies.API_GATEWAY.defaultSizeInspectionLimit",
        "'KB_100' is not one of KB_16, KB_32, KB_48, KB_64 (SizeInspectionLimit)")]
    # A member pulumi-aws lacks never reaches AWS, though AWS has a resource type of that name.
    for member in ("apiGateways", "agentcoreGateway"):
        [(path, message)] = errors({"apiGateway": limit, member: limit})
        assert path == f"associationConfig.requestBodies[0].{member}"
        assert message.startswith(f"pulumi-aws has no member '{member}' here (apiGateway, appRunnerService, ")
    assert errors({"apiGateway": {}}) == [(
        "associationConfig.requestBodies.API_GATEWAY",
        "RequestBodyAssociatedResourceTypeConfig requires 'DefaultSizeInspectionLimit'")]
    [(path, message)] = errors({"apiGateway": limit}, {"cognitoUserPool": limit})
    assert path == "associationConfig.requestBodies[1]" and "first requestBodies entry only" in message


def test_each_request_body_member_of_pulumi_aws_names_a_resource_type_aws_has():
    """apicheck.REQUEST_BODY_TYPES is every member of the pinned pulumi-aws's block, each an AssociatedResourceType."""
    from pulumi import _types
    from pulumi_aws.wafv2 import WebAclAssociationConfigRequestBodyArgs

    members = set(_types.input_type_py_to_pulumi_names(WebAclAssociationConfigRequestBodyArgs).values())
    assert set(apicheck.REQUEST_BODY_TYPES) == members
    aws_types = service_model("wafv2").shape_for("AssociatedResourceType").enum
    assert set(apicheck.REQUEST_BODY_TYPES.values()) <= set(aws_types)


def test_map_keys_are_checked_only_against_an_enum():
    assert _errors({"anyKey": "v", "other": "w"}, "ecs", "DockerLabelsMap") == []
    assert _errors({"API_GATEWAY": {"DefaultSizeInspectionLimit": "KB_16"}, "NOT_A_TYPE": {}}, "wafv2",
                   "RequestBody") == [("x.NOT_A_TYPE", (
                       "'NOT_A_TYPE' is not one of CLOUDFRONT, API_GATEWAY, COGNITO_USER_POOL, APP_RUNNER_SERVICE, "
                       "VERIFIED_ACCESS_INSTANCE, AGENTCORE_GATEWAY (AssociatedResourceType)"))]


# --- alarms, logs, rules, topics, keys, functions, API Gateway v2 and DNS Firewall ------------------------------

ALARM = {"name": "prod-orders-5xx", "alarmDescription": "orders answers 5xx", "comparisonOperator": "GreaterThanThreshold",
         "evaluationPeriods": 3, "threshold": 5, "treatMissingData": "notBreaching",
         "alarmActions": ["arn:aws:sns:us-east-1:123456789012:paging"],
         "metricQueries": [{"id": "rate", "expression": "100 * errors / requests", "returnData": True},
                           {"id": "errors", "metric": {"metricName": "5XXError", "namespace": "AWS/ApiGateway",
                                                       "period": 60, "stat": "Sum",
                                                       "dimensions": {"ApiName": "shop", "Stage": "v1"}}}]}
STAGE = {"name": "v1", "autoDeploy": True,
         "defaultRouteSettings": {"throttlingBurstLimit": 100, "throttlingRateLimit": 50, "loggingLevel": "INFO"},
         "routeSettings": [{"routeKey": "$connect", "throttlingBurstLimit": 10, "throttlingRateLimit": 5}]}
USAGE_PLAN = {"name": "partners", "throttleSettings": {"burstLimit": 100, "rateLimit": 50},
              "apiStages": [{"apiId": "a1", "stage": "v1", "throttles": [
                  {"path": "/orders/POST", "burstLimit": 10, "rateLimit": 5}]}]}
USER_POOL = {"name": "shop", "mfaConfiguration": "OPTIONAL", "usernameAttributes": ["email"],
             "passwordPolicy": {"minimumLength": 12, "requireSymbols": True},
             "userAttributeUpdateSettings": {"attributesRequireVerificationBeforeUpdates": ["email"]},
             "emailConfiguration": {"emailSendingAccount": "DEVELOPER", "fromEmailAddress": "Shop <no-reply@example.com>",
                                    "sourceArn": "arn:aws:ses:us-east-1:123456789012:identity/example.com"}}
PATTERN = {"source": ["aws.ecs"], "detail-type": ["ECS Task State Change"],
           "detail": {"group": [f"service:{i:03}" for i in range(150)]}}
TABLE = {"name": "connections", "billingMode": "PAY_PER_REQUEST", "hashKey": "tenantId", "rangeKey": "deviceId",
         "attributes": [{"name": "tenantId", "type": "S"}, {"name": "deviceId", "type": "S"}]}
SSE_CONFIG = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
SSE_RULE = {"applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms", "kmsMasterKeyId": "arn:aws:kms:k"},
            "bucketKeyEnabled": True, "blockedEncryptionTypes": ["SSE-C"]}
JWT = {"name": "acme-jwt", "authorizerType": "JWT", "identitySources": ["$request.header.Authorization"],
       "jwtConfiguration": {"audiences": ["client-1"], "issuer": "https://cognito-idp.us-east-1.amazonaws.com/p"}}


def _assert_errors(type_: str, name: str, inputs: dict, expected: list[tuple[str, str]]) -> None:
    """The resource's API errors are exactly `expected`'s paths, each message holding its fragment."""
    found = sorted((e.path, e.message) for e in check_resource(_resource(type_, name, inputs)))
    assert [path for path, _ in found] == [path for path, _ in expected], found
    for (_, message), (_, fragment) in zip(found, expected):
        assert fragment in message, (message, fragment)


@pytest.mark.parametrize("type_,name,inputs,expected", [
    # Each converted as the provider sends it: an alarm's dimensions and metric queries, a stage's route settings
    # (a list in pulumi-aws, a map by route key in the API), a JWT authorizer's audiences.
    ("aws:cloudwatch/metricAlarm:MetricAlarm", "a", ALARM, []),
    ("aws:apigatewayv2/stage:Stage", "s", STAGE, []),
    ("aws:apigatewayv2/authorizer:Authorizer", "j", JWT, []),
    ("aws:cloudwatch/metricAlarm:MetricAlarm", "a", {**ALARM, "alarmActions": [f"arn:t{i}" for i in range(6)]},
     [("alarmActions", "6 items is above the API maximum 5")]),
    ("aws:cloudwatch/metricAlarm:MetricAlarm", "a", {**ALARM, "metricQueries": [], "metricName": "5XXError",
                                                    "namespace": "AWS/ApiGateway", "dimensions": {"ApiName": ""}},
     [("dimensions[0].Value", "0 characters is below the API minimum 1")]),
    ("aws:cloudwatch/metricAlarm:MetricAlarm", "a",
     {**ALARM, "metricQueries": [{"id": "m", "metric": {"metricName": "x", "namespace": "n", "stat": "Sum"}}]},
     [("metricQueries[0].MetricStat", "MetricStat requires 'Period'")]),
    ("aws:cloudwatch/logGroup:LogGroup", "l", {"name": "/prod/" + "a" * 507},
     [("name", "513 characters is above the API maximum 512")]),
    ("aws:cloudwatch/eventRule:EventRule", "r" * 57, {"eventPattern": "{}"},
     [("name", "65 characters is above the API maximum 64")]),
    # The provider sends the pattern re-marshalled compactly, and AWS counts that: an indented pattern of more than
    # 4096 characters whose compact text is below passes; a compact one above does not.
    ("aws:cloudwatch/eventRule:EventRule", "r", {"name": "r", "eventPattern": json.dumps(PATTERN, indent=8)}, []),
    ("aws:cloudwatch/eventRule:EventRule", "r", {"name": "r", "eventPattern": json.dumps(
        {"detail": {"group": [f"service:{i:04}" for i in range(400)]}})},
     [("eventPattern", "above the API maximum 4096")]),
    # A first preview: an alarm's dimensions, or a query's metric, unknown as a whole, are not judged.
    ("aws:cloudwatch/metricAlarm:MetricAlarm", "a", {**ALARM, "metricQueries": [], "metricName": "m",
                                                    "namespace": "n", "dimensions": rpc.UNKNOWN}, []),
    ("aws:cloudwatch/metricAlarm:MetricAlarm", "a", {**ALARM, "metricQueries": [{"id": "m", "metric": rpc.UNKNOWN}]},
     []),
    # Auto-named as pulumi-aws names them; a rule group's name takes only letters, digits and hyphens.
    ("aws:networkfirewall/ruleGroup:RuleGroup", "egress_externals", {"type": "STATEFUL", "capacity": 100},
     [("name", "does not match")]),
    # pulumi-aws's text for the compression threshold ("-1": none) is not the API's integer, and is not judged.
    ("aws:apigateway/restApi:RestApi", "api", {"name": "shop", "minimumCompressionSize": "-1"}, []),
    ("aws:sns/topic:Topic", "t", {"name": "prod alarms"}, [("name", "'prod alarms' may only contain ASCII letters")]),
    ("aws:kms/key:Key", "k", {"description": "d" * 8193}, [("description", "8193 characters is above the API "
                                                                          "maximum 8192")]),
    ("aws:lambda/function:Function", "f" * 57, {"runtime": "python3.13", "handler": "app.handler"},
     [("name", "is 65 characters; AWS allows 64")]),
    ("aws:lambda/function:Function", "f", {"name": "f", "runtime": "python3.99", "memorySize": 64},
     [("memorySize", "64 is below the API minimum 128"), ("runtime", "'python3.99' is not one of")]),
    ("aws:apigatewayv2/integration:Integration", "i", {"integrationType": "HTTP_PROXY", "timeoutMilliseconds": 40000},
     [("timeoutMilliseconds", "40000 is above the API maximum 30000")]),
    ("aws:apigatewayv2/stage:Stage", "s", {**STAGE, "routeSettings": [{"routeKey": "$default", "loggingLevel": "ALL"}]},
     [("routeSettings.$default.loggingLevel", "'ALL' is not one of ERROR, INFO, OFF")]),
    ("aws:apigatewayv2/route:Route", "r", {"routeKey": "$connect", "authorizationType": "COGNITO"},
     [("authorizationType", "'COGNITO' is not one of")]),
    ("aws:route53/resolverFirewallRule:ResolverFirewallRule", "d", {"name": "block", "action": "DENY", "priority": 200},
     [("action", "'DENY' is not one of ALLOW, BLOCK, ALERT")]),
    # pulumi-aws 7's one endpoint type is the API's one-item list; a usage plan's method throttles, a list naming
    # each path, the API's map by path; a user pool's settings under the API's names.
    ("aws:apigateway/restApi:RestApi", "api", {"name": "shop", "endpointConfiguration": {"types": "REGIONAL"},
                                               "apiKeySource": "HEADER"}, []),
    ("aws:apigateway/usagePlan:UsagePlan", "p", USAGE_PLAN, []),
    # A first preview: a method throttle whose path is not known yet is not judged (nor does it crash the check).
    ("aws:apigateway/usagePlan:UsagePlan", "p", {**USAGE_PLAN, "apiStages": [
        {"apiId": "a1", "stage": "v1", "throttles": [{"path": rpc.UNKNOWN, "burstLimit": 10, "rateLimit": 5}]}]}, []),
    ("aws:cognito/userPool:UserPool", "u", USER_POOL, []),
    ("aws:apigateway/restApi:RestApi", "api", {"name": "shop", "apiKeySource": "QUERY"},
     [("apiKeySource", "'QUERY' is not one of HEADER, AUTHORIZER")]),
    ("aws:apigateway/stage:Stage", "s", {"stageName": "v1", "cacheClusterEnabled": True, "cacheClusterSize": "1"},
     [("cacheClusterSize", "'1' is not one of 0.5, 1.6")]),
    ("aws:apigateway/usagePlan:UsagePlan", "p", {**USAGE_PLAN, "quotaSettings": {"limit": 1000, "period": "YEAR"}},
     [("quotaSettings.period", "'YEAR' is not one of DAY, WEEK, MONTH")]),
    ("aws:cognito/userPool:UserPool", "u", {**USER_POOL, "passwordPolicy": {"minimumLength": 5}},
     [("passwordPolicy.minimumLength", "5 is below the API minimum 6")]),
    ("aws:cognito/userPoolClient:UserPoolClient", "c", {"name": "app", "explicitAuthFlows": ["USER_PASSWORD"]},
     [("explicitAuthFlows[0]", "'USER_PASSWORD' is not one of")]),
    # A table's attributes and keys are the API's attribute definitions and key schema.
    ("aws:dynamodb/table:Table", "t", TABLE, []),
    ("aws:dynamodb/table:Table", "t", {**TABLE, "attributes": [{"name": "tenantId", "type": "STRING"}]},
     [("attributes[0].AttributeType", "'STRING' is not one of S, N, B")]),
    ("aws:appautoscaling/target:Target", "s", {"serviceNamespace": "ecs", "scalableDimension": "ecs:service:Count",
                                               "resourceId": "service/c/s", "minCapacity": 1, "maxCapacity": 3},
     [("scalableDimension", "'ecs:service:Count' is not one of")]),
    ("aws:appautoscaling/policy:Policy", "p", {"name": "cpu", "policyType": "TargetTrackingScaling",
                                               "targetTrackingScalingPolicyConfiguration": {
                                                   "targetValue": 70, "predefinedMetricSpecification": {
                                                       "predefinedMetricType": "ECSServiceCPU"}}},
     [("targetTrackingScalingPolicyConfiguration.predefinedMetricSpecification.predefinedMetricType",
       "'ECSServiceCPU' is not one of")]),
    ("aws:apigatewayv2/api:Api", "a", {"name": "devices", "protocolType": "REST"},
     [("protocolType", "'REST' is not one of WEBSOCKET, HTTP")]),
    ("aws:ec2/flowLog:FlowLog", "f", {"trafficType": "EVERYTHING", "logDestinationType": "cloud-watch-logs"},
     [("trafficType", "'EVERYTHING' is not one of ACCEPT, REJECT, ALL")]),
    ("aws:ec2/vpcEndpoint:VpcEndpoint", "e", {"vpcEndpointType": "Private", "serviceName": "com.amazonaws.x.s3"},
     [("vpcEndpointType", "'Private' is not one of Interface, Gateway")]),
    ("aws:networkfirewall/ruleGroup:RuleGroup", "g", {"name": "externals", "type": "STATEFULL", "capacity": 100},
     [("type", "'STATEFULL' is not one of STATELESS, STATEFUL")]),
    ("aws:cloudwatch/queryDefinition:QueryDefinition", "q", {"name": "q" * 256, "queryString": "fields @message"},
     [("name", "256 characters is above the API maximum 255")]),
    # A default encryption rule's blocked types are the API's BlockedEncryptionTypes.EncryptionType list.
    (SSE_CONFIG, "b", {"bucket": "b", "rules": [SSE_RULE]}, []),
    (SSE_CONFIG, "b", {"bucket": "b", "rules": [{**SSE_RULE, "blockedEncryptionTypes": ["SSE-KMS"]}]},
     [("rules[0].blockedEncryptionTypes.EncryptionType[0]", "'SSE-KMS' is not one of NONE, SSE-C")]),
    (SSE_CONFIG, "b", {"bucket": "b", "rules": [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES-256"}}]},
     [("rules[0].applyServerSideEncryptionByDefault.sseAlgorithm", "'AES-256' is not one of")]),
    # A union takes one member: a listener's timeout is its protocol's, never two.
    ("aws:appmesh/virtualNode:VirtualNode", "n", {"meshName": "m", "spec": {"listeners": [{
        "portMapping": {"port": 8080, "protocol": "http"},
        "timeout": {"http": {"idle": {"unit": "s", "value": 300}}, "tcp": {"idle": {"unit": "s", "value": 300}}}}]}},
     [("spec.listeners[0].timeout", "ListenerTimeout takes exactly one of")]),
    # REST execution logs have no DEBUG level.
    ("aws:apigateway/methodSettings:MethodSettings", "s", {"methodPath": "*/*", "settings": {"loggingLevel": "DEBUG"}},
     [("settings.loggingLevel", "'DEBUG' is not one of OFF, ERROR, INFO")]),
    # A requested ACM certificate: ACM's key algorithms and validation methods; an imported one sends none of these.
    ("aws:acm/certificate:Certificate", "c", {"domainName": "api.example.com", "validationMethod": "DNS",
                                              "keyAlgorithm": "EC_prime256v1"}, []),
    ("aws:acm/certificate:Certificate", "c", {"domainName": "api.example.com", "validationMethod": "DNS",
                                              "keyAlgorithm": "RSA_8192"},
     [("keyAlgorithm", "'RSA_8192' is not one of RSA_1024, RSA_2048")]),
    # The enum's other algorithms are for imported certificates: ACM issues none with RSA_1024 (ACM.2) or RSA_4096.
    *(("aws:acm/certificate:Certificate", "c", {"domainName": "api.example.com", "validationMethod": "DNS",
                                                "keyAlgorithm": algorithm},
       [("keyAlgorithm", f"'{algorithm}' is not one of RSA_2048, EC_prime256v1, EC_secp384r1, the algorithms ACM")])
      for algorithm in ("RSA_1024", "RSA_4096", "EC_secp521r1")),
    *(("aws:acm/certificate:Certificate", "c", {"domainName": "api.example.com", "validationMethod": "DNS",
                                                "keyAlgorithm": algorithm}, [])
      for algorithm in ("RSA_2048", "EC_secp384r1")),
    ("aws:acm/certificate:Certificate", "c", {"domainName": "api.example.com", "validationMethod": "TXT"},
     [("validationMethod", "'TXT' is not one of EMAIL, DNS, HTTP")]),
    ("aws:acm/certificate:Certificate", "c", {"certificateBody": "-----BEGIN CERTIFICATE-----", "privateKey": "k"},
     []),
])
def test_more_payloads_are_checked_against_their_create_requests(type_, name, inputs, expected):
    """Alarms, log groups, EventBridge rules, SNS topics, KMS keys, Lambda functions, API Gateway v2 routes,
    integrations, authorizers, stages and APIs, DNS Firewall rules, REST APIs and their stages, usage plans and
    more, Cognito user pools and clients, scaling targets and policies, flow logs, VPC endpoints, firewall rule
    groups, saved queries, DynamoDB tables and S3 default encryption; auto-named ones with the provider's suffix."""
    _assert_errors(type_, name, inputs, expected)


# --- load balancer rules, the edge, the audit trail, egress and private CA -------------------------------------

TG = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/prod-user-service-sc-8000/987eaa610553f2c5"
RULE = {"priority": 10, "conditions": [{"pathPattern": {"values": ["/prod/users", "/prod/users/*"]}}],
        "actions": [{"type": "forward", "forward": {
            "targetGroups": [{"arn": TG, "weight": 100}, {"arn": TG, "weight": 0}],
            "stickiness": {"enabled": False, "duration": 3600}}}],
        "transforms": [{"type": "url-rewrite",
                        "urlRewriteConfig": {"rewrite": {"regex": "^/prod(/.*)$", "replace": "$1"}}}]}
TARGET = {"rule": "prod-tasks-not-starting", "arn": "arn:aws:sns:us-east-1:123456789012:prod-alarms-page",
          "inputTransformer": {"inputPaths": {"time": "$.time"}, "inputTemplate": '"at <time>"'}}
CA = {"certificateAuthorityConfiguration": {"keyAlgorithm": "RSA_2048", "signingAlgorithm": "SHA256WITHRSA",
                                            "subject": {"commonName": "prod service connect"}},
      "type": "ROOT", "usageMode": "SHORT_LIVED_CERTIFICATE"}
FIREWALL_POLICY = {"statelessDefaultActions": ["aws:forward_to_sfe"], "statelessFragmentDefaultActions": ["aws:pass"],
                   "statefulDefaultActions": ["aws:drop_established"],
                   "statefulEngineOptions": {"ruleOrder": "STRICT_ORDER", "streamExceptionPolicy": "DROP"},
                   "statefulRuleGroupReferences": [{"priority": 100, "resourceArn": "arn:aws:network-firewall:x"}]}
CREATION_TEMPLATE = {"prefix": "prod-ecr-public", "appliedFors": ["PULL_THROUGH_CACHE"], "description": "cache",
                     "encryptionConfigurations": [{"encryptionType": "AES256"}], "imageTagMutability": "MUTABLE",
                     "lifecyclePolicy": '{"rules": []}', "resourceTags": {"team": "platform"}}
ACL = {"name": "w", "scope": "REGIONAL", "defaultAction": {"allow": {}},
       "visibilityConfig": {"cloudwatchMetricsEnabled": True, "metricName": "w", "sampledRequestsEnabled": True}}


@pytest.mark.parametrize("type_,name,inputs,expected", [
    # A listener rule's blocks and a listener's default action under the API's names; a rewrite is its one-item list.
    ("aws:lb/listenerRule:ListenerRule", "r", RULE, []),
    ("aws:lb/listenerRule:ListenerRule", "r", {
        **RULE, "priority": 0, "actions": [{"type": "fixed-response", "fixedResponse": {"statusCode": "302"}}],
        "transforms": [{"type": "rewrite", "urlRewriteConfig": {"rewrite": {"regex": "^/a", "replace": "/"}}}]},
     [("actions[0].fixedResponse.statusCode", "'302' does not match"), ("priority", "0 is below the API minimum 1"),
      ("transforms[0].type", "'rewrite' is not one of host-header-rewrite, url-rewrite")]),
    # The provider sends only the block of the action's type (a forward's ARN and its block alike); while the type is
    # unknown, any block may be the one.
    ("aws:lb/listenerRule:ListenerRule", "r", {**RULE, "actions": [
        {"type": "fixed-response", "fixedResponse": {"statusCode": "404"}, "redirect": {"statusCode": "HTTP_999"}},
        {"type": rpc.UNKNOWN, "fixedResponse": {"statusCode": "404"}}]}, []),
    ("aws:lb/listenerRule:ListenerRule", "r", {**RULE, "actions": [
        {"type": "forward", "targetGroupArn": TG, "forward": {"targetGroups": [{"arn": TG, "weight": 1000.5}]}}]},
     [("actions[0].forward.targetGroups[0].weight", "expected a whole number")]),
    ("aws:lb/listener:Listener", "l", {"protocol": "HTTPS", "port": 443, "defaultActions": [
        {"type": "fixed-response", "fixedResponse": {"messageBody": "x" * 1025, "statusCode": "404"}}]},
     [("defaultActions[0].fixedResponse.messageBody", "1025 characters is above the API maximum 1024")]),
    # WAF descriptions take letters, digits, spaces and a few marks: no parentheses or apostrophes.
    ("aws:wafv2/ipSet:IpSet", "s", {"name": "servers", "scope": "REGIONAL", "ipAddressVersion": "IPv4",
                                    "addresses": ["198.51.100.0/28"], "description": "servers (NAT)"},
     [("description", "does not match EntityDescription's pattern"),
      ("ipAddressVersion", "'IPv4' is not one of IPV4, IPV6")]),
    ("aws:wafv2/webAcl:WebAcl", "w", {**ACL, "description": "the servers' limit"},
     [("description", "does not match EntityDescription's pattern")]),
    ("aws:kms/alias:Alias", "a", {"name": "alias/prod logs"}, [("name", "does not match AliasNameType's pattern")]),
    *(("aws:kms/alias:Alias", "a", {"name": name}, [("name", "may only contain alias/ and a name")])
      for name in ("prod/logs", "alias/aws/logs")),
    # A list marked secret is still a list, not wrapped in another.
    ("aws:apigateway/restApi:RestApi", "api", {"name": "shop", "endpointConfiguration": {
        "types": {"secret": ["REGIONAL"]}}}, []),
    ("aws:ecr/pullThroughCacheRule:PullThroughCacheRule", "p", {
        "ecrRepositoryPrefix": "a-very-long-environment-ecr-public", "upstreamRegistryUrl": "public.ecr.aws"},
     [("ecrRepositoryPrefix", "34 characters is above the API maximum 30")]),
    # A creation template's one encryption block is the API's structure, its resource tags the API's Key/Value list.
    ("aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate", "t", CREATION_TEMPLATE, []),
    ("aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate", "t", {
        **CREATION_TEMPLATE, "prefix": "Prod/ECR-Public", "appliedFors": ["PULL_THROUGH"],
        "encryptionConfigurations": [{"encryptionType": "aws:kms"}], "imageTagMutability": "IMMUTABLE_TAGS",
        "resourceTags": {"team": 5}, "description": "d" * 257},
     [("appliedFors[0]", "'PULL_THROUGH' is not one of REPLICATION, PULL_THROUGH_CACHE, CREATE_ON_PUSH"),
      ("description", "257 characters is above the API maximum 256"),
      ("encryptionConfigurations.encryptionType", "'aws:kms' is not one of AES256, KMS, KMS_DSSE"),
      ("imageTagMutability", "'IMMUTABLE_TAGS' is not one of MUTABLE, IMMUTABLE"),
      ("prefix", "does not match Prefix's pattern"),
      ("resourceTags[0].value", "expected a string, got 5")]),
    ("aws:lambda/permission:Permission", "p", {"function": "iot-ws-authorizer", "action": "lambda:InvokeFunction",
                                               "principal": "apigateway.amazonaws.com", "statementId": "s" * 101},
     [("statementId", "101 characters is above the API maximum 100")]),
    # A target without targetId gets the provider's generated id.
    ("aws:cloudwatch/eventTarget:EventTarget", "t", TARGET, []),
    ("aws:cloudwatch/eventTarget:EventTarget", "t", {
        **TARGET, "targetId": "t" * 65, "retryPolicy": {"maximumRetryAttempts": 200},
        "inputTransformer": {"inputPaths": {"time": "$.time"}, "inputTemplate": ""}},
     [("inputTransformer.inputTemplate", "0 characters is below the API minimum 1"),
      ("retryPolicy.maximumRetryAttempts", "200 is above the API maximum 185"),
      ("targetId", "65 characters is above the API maximum 64")]),
    ("aws:cloudwatch/dashboard:Dashboard", "d", {"dashboardName": "prod us-east-1 mesh"},
     [("dashboardName", "may only contain A-Z, a-z, 0-9, hyphens and underscores")]),
    ("aws:cloudtrail/trail:Trail", "t", {"name": "prod-audit", "s3BucketName": "b", "isMultiRegionTrail": True}, []),
    *(("aws:cloudtrail/trail:Trail", "t", {"name": name, "s3BucketName": "b"}, [("name", "may only contain 3 or more")])
      for name in ("ab", "prod--audit", "-prod", "192.168.5.4")),
    ("aws:ecs/cluster:Cluster", "c", {"name": "prod-mesh", "configuration": {"executeCommandConfiguration": {
        "logging": "OVERRIDE", "logConfiguration": {"s3BucketName": "b", "s3BucketEncryptionEnabled": True}}}}, []),
    ("aws:ecs/cluster:Cluster", "c", {"name": "prod mesh", "settings": [{"name": "insights", "value": "enabled"}]},
     [("name", "may only contain letters, numbers"),
      ("settings[0].name", "'insights' is not one of containerInsights")]),
    ("aws:servicediscovery/httpNamespace:HttpNamespace", "n", {"name": "arn:sc.prod.local"},
     [("name", "does not match NamespaceNameHttp's pattern")]),
    ("aws:apigateway/response:Response", "r", {"responseType": "DEFAULT_4xx", "statusCode": "600"},
     [("responseType", "'DEFAULT_4xx' is not one of DEFAULT_4XX"), ("statusCode", "'600' does not match")]),
    ("aws:apigateway/authorizer:Authorizer", "a", {"name": "jwt", "type": "LAMBDA"},
     [("type", "'LAMBDA' is not one of")]),
    # An HTTP or WebSocket API domain's one configuration is the API's one-item list.
    ("aws:apigatewayv2/domainName:DomainName", "d", {"domainName": "devices.example.com", "domainNameConfiguration": {
        "certificateArn": "arn:aws:acm:c", "endpointType": "REGIONAL", "securityPolicy": "TLS_1_3"}},
     [("domainNameConfiguration[0].securityPolicy", "'TLS_1_3' is not one of TLS_1_0, TLS_1_2")]),
    ("aws:acmpca/certificateAuthority:CertificateAuthority", "c", CA, []),
    ("aws:acmpca/certificateAuthority:CertificateAuthority", "c", {
        **CA, "type": "INTERMEDIATE", "certificateAuthorityConfiguration": {
            **CA["certificateAuthorityConfiguration"], "keyAlgorithm": "RSA_1024",
            "subject": {"commonName": "c" * 65}}},
     [("certificateAuthorityConfiguration.keyAlgorithm", "'RSA_1024' is not one of"),
      ("certificateAuthorityConfiguration.subject.commonName", "65 characters is above the API maximum 64"),
      ("type", "'INTERMEDIATE' is not one of ROOT, SUBORDINATE")]),
    # pulumi-aws writes a certificate's validity as text, the API as a number.
    ("aws:acmpca/certificate:Certificate", "c", {"signingAlgorithm": "SHA256WITHRSA",
                                                 "validity": {"type": "YEARS", "value": "10"}}, []),
    ("aws:acmpca/certificate:Certificate", "c", {"signingAlgorithm": "SHA256WITHRSA",
                                                 "validity": {"type": "END_DATE", "value": "2036-01-01T00:00:00Z"}},
     []),
    # Go's RFC 3339 layout only (Python would read these); a signed count; the type unknown, the value is too.
    *(("aws:acmpca/certificate:Certificate", "c", {"signingAlgorithm": "SHA256WITHRSA",
                                                   "validity": {"type": "END_DATE", "value": text}},
       [("validity.value", "expected a number")])
      for text in ("2036-01-01", "2036-01-01 00:00:00Z", "2036-01-01T00:00Z")),
    ("aws:acmpca/certificate:Certificate", "c", {"signingAlgorithm": "SHA256WITHRSA",
                                                 "validity": {"type": "YEARS", "value": "+10"}}, []),
    ("aws:acmpca/certificate:Certificate", "c", {"signingAlgorithm": "SHA256WITHRSA",
                                                 "validity": {"type": rpc.UNKNOWN, "value": "2036-01-01T00:00:00Z"}},
     []),
    ("aws:acmpca/certificate:Certificate", "c", {"signingAlgorithm": "SHA256WITHRSA",
                                                 "validity": {"type": "DECADES", "value": "0"}},
     [("validity.type", "'DECADES' is not one of"), ("validity.value", "0 is below the API minimum 1")]),
    ("aws:networkfirewall/firewall:Firewall", "f", {"name": "prod_egress", "deleteProtection": True},
     [("name", "does not match ResourceName's pattern")]),
    ("aws:networkfirewall/firewallPolicy:FirewallPolicy", "p", {"name": "egress", "firewallPolicy": FIREWALL_POLICY},
     []),
    ("aws:networkfirewall/firewallPolicy:FirewallPolicy", "p", {"name": "egress", "firewallPolicy": {
        **FIREWALL_POLICY, "statefulEngineOptions": {"ruleOrder": "STRICT"}}},
     [("firewallPolicy.statefulEngineOptions.ruleOrder", "'STRICT' is not one of DEFAULT_ACTION_ORDER, STRICT_ORDER")]),
    # Its variables are a list naming each key in pulumi-aws, a map in the API; deep threat inspection is text.
    ("aws:networkfirewall/firewallPolicy:FirewallPolicy", "p", {"name": "egress", "firewallPolicy": {
        **FIREWALL_POLICY, "policyVariables": {"ruleVariables": [
            {"key": "HOME_NET", "ipSet": {"definitions": ["10.0.0.0/16"]}}, {"key": rpc.UNKNOWN, "ipSet": {}}]},
        "statefulRuleGroupReferences": [{"priority": 100, "resourceArn": "arn:aws:network-firewall:x",
                                         "deepThreatInspection": "T"}]}},
     []),
    # AWS requires the fragments' default action too.
    ("aws:networkfirewall/firewallPolicy:FirewallPolicy", "p", {"name": "egress", "firewallPolicy": {
        k: v for k, v in FIREWALL_POLICY.items() if k != "statelessFragmentDefaultActions"}},
     [("firewallPolicy", "FirewallPolicy requires 'StatelessFragmentDefaultActions'")]),
    ("aws:networkfirewall/loggingConfiguration:LoggingConfiguration", "l", {"loggingConfiguration": {
        "logDestinationConfigs": [{"logDestination": {"logGroup": "/prod/nfw"}, "logDestinationType": "CloudWatchLogs",
                                   "logType": "ALL"}]}},
     [("loggingConfiguration.logDestinationConfigs[0].logType", "'ALL' is not one of ALERT, FLOW, TLS")]),
    ("aws:route53/resolverFirewallDomainList:ResolverFirewallDomainList", "d", {"name": "d" * 65, "domains": ["a."]},
     [("name", "65 characters is above the API maximum 64")]),
    ("aws:route53/resolverFirewallRuleGroup:ResolverFirewallRuleGroup", "g", {"name": "prod-egress"}, []),
    ("aws:route53/resolverQueryLogConfig:ResolverQueryLogConfig", "q", {"name": "q" * 65, "destinationArn": "arn:x"},
     [("name", "65 characters is above the API maximum 64")]),
    ("aws:route53/resolverFirewallConfig:ResolverFirewallConfig", "c", {"firewallFailOpen": "YES", "resourceId": "v"},
     [("firewallFailOpen", "'YES' is not one of ENABLED, DISABLED, USE_LOCAL_RESOURCE_SETTING")]),
])
def test_rules_targets_trails_firewalls_and_private_cas_are_checked_against_their_requests(type_, name, inputs,
                                                                                           expected):
    """Listener rules and default actions, WAF IP sets and descriptions, KMS aliases, ECR cache rules and repository
    creation templates, Lambda permissions, EventBridge targets, dashboards, trails, clusters, namespaces, gateway
    responses, REST authorizers, HTTP and WebSocket API domains, private CAs and their certificates, Network Firewall
    and DNS Firewall resources."""
    _assert_errors(type_, name, inputs, expected)


def test_each_request_member_is_one_its_api_request_has():
    """A row of PAYLOADS names its members by the pulumi input alone where the API's differs only in case, and the
    pair where it differs otherwise: every one must be a member of the request (a misspelt row would never be
    checked, or fail at check time)."""
    rows = {id(row): row for row in [*apicheck.PAYLOADS.values(), *vars(apicheck).values()]
            if isinstance(row, apicheck._Request)}
    assert len(rows) > 30
    for row in rows.values():
        parent = service_model(row.service).shape_for(row.request)
        for member in row.members:
            api = member if isinstance(member, str) else member[1]
            assert apicheck._api_member(row.service, parent, api)[0] in parent.members, (row.request, member)


def test_a_mock_id_a_value_is_made_from_counts_as_aws_s_short_id():
    """A route's `integrations/<integration id>` target: the mocks' id carries the integration's name, which an
    80-character route path made 129 characters and more, an API error AWS (a few characters of id) never gives."""
    name = "api-post/ingest/" + "r" * 120
    integration = _resource("aws:apigatewayv2/integration:Integration", name, {
        "apiId": "api-id", "integrationType": "HTTP_PROXY", "integrationUri": "https://example.com"})
    route = _resource("aws:apigatewayv2/route:Route", "route", {
        "apiId": "api-id", "routeKey": "POST /ingest", "target": f"integrations/{name}-id"})
    # A target made from no resource is measured as written: what certainly fails still does.
    [error] = apicheck.check_resources([integration, route])
    assert (error.path, error.message) == ("target", "152 characters is above the API maximum 128")
    route.property_dependencies["target"] = [integration.urn]
    assert apicheck.check_resources([integration, route]) == []


def test_only_a_whole_mock_id_of_what_the_value_is_made_from_is_cut():
    # A name that goes on past another resource's name ("-idle") is measured whole: ELB's 32 characters hold.
    orders = _resource("aws:lb/targetGroup:TargetGroup", "dev-orders", {"name": "dev-orders", "port": 80,
                                                                        "protocol": "HTTP", "vpcId": "vpc-1"})
    drain = _resource("aws:lb/targetGroup:TargetGroup", "drain", {
        "name": "dev-orders-idle-drain-tg-blue-green", "port": 80, "protocol": "HTTP", "vpcId": "vpc-1"})
    drain.property_dependencies["name"] = [orders.urn]
    assert [e.path for e in apicheck.check_resources([orders, drain])] == ["name"]
    assert apicheck._cut_ids("a/b-id/c-idd-id.x/b-idle", {"b-id", "c-idd-id"}) == "a/x/x.x/b-idle"


@pytest.mark.parametrize("optimise,with_pack", [(True, True), (True, False), (False, False)],
                         ids=["in-the-policy-worker", "in-process", "in-process-without-speed-ups"])
def test_a_long_device_route_path_gives_no_api_error_aws_would_not_give(optimise, with_pack):
    # With a pack, the policy worker runs the API check, reading each property's dependencies from the resource's
    # stack part; without one, or without the speed-ups (which start no worker), the preview runs it in process.
    # A pack without the speed-ups would add only its evaluation as pulumi-policy ships it, some 5 s, to that path.
    long_path = "httpApi.routes[0].path=/ingest/" + "r" * 80
    pack = dict(policy_pack=ROOT / "policies", policy_pack_config=ROOT / "policies" / "config" / "iot.json")
    result = run_preview("iot", ROOT, config_overrides=[long_path], optimise=optimise, **(pack if with_pack else {}))
    assert result.error is None and result.api_errors == []
