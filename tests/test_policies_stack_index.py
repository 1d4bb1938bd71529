"""The stack policies' indexes (policies/guardrails/core/stack.py) answer exactly what a scan answers.

`of_type`, `referenced` and `may_refer` index a large stack once instead of scanning it per question; a
stack policy's verdicts must not depend on it. Random stacks, with names, ARNs, ARN paths, property
dependencies and unknown values mixed in, are asked the same questions of the indexed helpers and of the
plain scans they replace; the stack policies that ask per resource (a bucket's settings, a function's log group,
a route's API) give the same verdicts with their indexes as with the scans they made before."""
from __future__ import annotations

import json
import random
import sys
from dataclasses import dataclass, field
from typing import Any

import pytest
from pulumi.runtime import rpc
from pulumi_policy.proxy import unknown_checking_proxy

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "policies"))  # the pack's own import root
from guardrails.core.props import UNKNOWN as UNKNOWN_VALUE, peek  # noqa: E402
from guardrails.core.stack import (covering, may_refer, of_type, referenced,  # noqa: E402
                                   refers_to)

TYPES = ("test:a", "test:b", "test:c")
KEYS = ("id", "arn", "name")


@dataclass(eq=False)
class Resource:
    resource_type: str
    urn: str
    name: str
    props: Any
    property_dependencies: dict = field(default_factory=dict)


def _stack(rng: random.Random, size: int) -> list[Resource]:
    names = [f"thing-{i}" for i in range(size // 2)]

    def value():
        roll = rng.random()
        if roll < 0.1:
            return rpc.UNKNOWN
        if roll < 0.2:
            return None
        name = rng.choice(names)
        return rng.choice([name, f"arn:aws:test:::{name}", f"arn:aws:test:::path/{name}"])

    resources = [Resource(rng.choice(TYPES), f"urn:{i}", f"r{i}",
                          unknown_checking_proxy({"name": value(), "arn": value(), "ref": value()}))
                 for i in range(size)]
    for resource in resources:
        if rng.random() < 0.3:
            resource.property_dependencies["ref"] = rng.sample(resources, rng.randint(1, 3))
        if rng.random() < 0.1:  # a name made from another resource's output (a random suffix, say)
            resource.property_dependencies["name"] = rng.sample(resources, 1)
    return resources


def _scan_referenced(resource, values, candidates, assigned=False, many=False):
    found, maybe = covering(candidates, resource, lambda c, _: refers_to(resource, "ref", values, c, KEYS,
                                                                         assigned=assigned, many=many))
    # `referenced`'s own rule over either path: one value made only from candidates it names names one of them.
    deps = {d.urn for d in resource.property_dependencies.get("ref", [])}
    return found, maybe and not (len(values) == 1 and deps and deps <= {c.urn for c in found})


@pytest.mark.parametrize("seed", range(5))
def test_the_indexed_helpers_answer_as_a_scan_does(seed):
    rng = random.Random(seed)
    stack = _stack(rng, 120)
    for types in [("test:a",), ("test:b", "test:a"), ("test:c", "test:c"), ("test:none",)]:
        assert of_type(stack, *types) == [r for r in stack if r.resource_type in types]
    candidates = of_type(stack, "test:a", "test:b")
    assert len(candidates) >= 32  # long enough to be indexed
    answers = set()
    for resource in stack:
        for values in ([peek(resource.props, "ref")], [peek(resource.props, "ref"), peek(resource.props, "name")]):
            for assigned in (False, True):
                expected = _scan_referenced(resource, values, candidates, assigned)
                assert referenced(resource, "ref", values, candidates, KEYS, assigned=assigned) == expected
                answers.add((bool(expected[0]), expected[1]))
        # may_refer keeps at least every holder refers_to would not rule out, in order.
        kept = may_refer(stack, ("test:a", "test:b"), "ref", resource, KEYS)
        assert kept == [h for h in candidates if h in kept]
        for holder in candidates:
            if refers_to(holder, "ref", [peek(holder.props, "ref")], resource, KEYS) is not False:
                assert holder in kept
    assert {(True, False), (False, True), (False, False)} <= answers  # found, maybe and neither all occurred


def test_a_changed_candidate_list_is_indexed_anew():
    stack = _stack(random.Random(7), 80)
    candidates = list(stack)
    target = next(r for r in stack if isinstance(peek(r.props, "name"), str))
    holder = Resource("test:a", "urn:holder", "holder", unknown_checking_proxy({"ref": peek(target.props, "name")}))
    assert referenced(holder, "ref", [peek(holder.props, "ref")], candidates, KEYS)[0]
    candidates.remove(target)
    assert referenced(holder, "ref", [peek(holder.props, "ref")], candidates, KEYS) == \
        _scan_referenced(holder, [peek(holder.props, "ref")], candidates)


@pytest.mark.parametrize("size", [2, 40])  # a scan, and an index
@pytest.mark.parametrize("value", ["arn:aws:test:::blue", rpc.UNKNOWN])
def test_a_value_picked_among_several_is_answered_alike_by_index_and_scan(size, value):
    """A holder made from blue's and green's outputs that holds blue's ARN names blue only, though green's ARN is not
    known yet; holding one unknown reference, it may be either; an unknown list (`many`) may hold both. A review
    found the index answering "maybe" for the first."""
    blue = Resource("test:a", "urn:blue", "blue", unknown_checking_proxy({"arn": "arn:aws:test:::blue"}))
    green = Resource("test:a", "urn:green", "green", unknown_checking_proxy({"arn": rpc.UNKNOWN}))
    others = [Resource("test:b", f"urn:{i}", f"r{i}", unknown_checking_proxy({"arn": f"arn:aws:test:::r{i}"}))
              for i in range(size - 2)]
    holder = Resource("test:c", "urn:holder", "holder", unknown_checking_proxy({"ref": value}))
    holder.property_dependencies["ref"] = [blue, green]
    candidates, values = [blue, green, *others], [peek(holder.props, "ref")]
    known = value == "arn:aws:test:::blue"
    for single, expected in ((True, ([blue], False) if known else ([], True)),
                             (False, ([blue], False) if known else ([blue, green], False))):
        assert referenced(holder, "ref", values, candidates, KEYS, many=not single) == \
            _scan_referenced(holder, values, candidates, many=not single) == expected


@pytest.mark.parametrize("size", [2, 42])
def test_a_name_ending_in_anothers_is_not_found_by_its_last_part(size):
    """`team/orders` picked among repositories `orders` and `team/orders` names the second: the index found the
    first again by the value's last path part, which a scan (refers_to) does not (a second review)."""
    named = [Resource("test:a", f"urn:{n}", n, unknown_checking_proxy({"name": n})) for n in ("orders", "team/orders")]
    others = [Resource("test:b", f"urn:{i}", f"r{i}", unknown_checking_proxy({"name": f"r{i}"}))
              for i in range(size - 2)]
    holder = Resource("test:c", "urn:holder", "holder", unknown_checking_proxy({"ref": "team/orders"}))
    holder.property_dependencies["ref"] = list(named)
    candidates, values = [*named, *others], [peek(holder.props, "ref")]
    assert referenced(holder, "ref", values, candidates, KEYS) == _scan_referenced(holder, values, candidates) == \
        ([named[1]], False)


def test_an_index_is_not_reused_for_a_list_changed_in_place_or_extended():
    stack = _stack(random.Random(11), 64)
    kind = stack[5].resource_type
    before = of_type(stack, kind)
    stack[5] = Resource("test:other", "urn:swapped", "swapped", unknown_checking_proxy({}))
    assert of_type(stack, kind) == [r for r in stack if r.resource_type == kind] != before
    target = next(r for r in stack if isinstance(peek(r.props, "name"), str))
    holder = Resource("test:a", "urn:new-holder", "new", unknown_checking_proxy({"ref": peek(target.props, "name")}))
    may_refer(stack, ("test:a",), "ref", target, KEYS)  # indexes the stack without the new holder
    longer = stack + [holder]
    assert holder in may_refer(longer, ("test:a",), "ref", target, KEYS)


# --- the stack policies that ask per resource: the same verdicts with the indexes as with the scans -----------

from guardrails.apigateway import API_V2, ROUTE_V2  # noqa: E402
from guardrails.apigateway import route as route_module  # noqa: E402
from guardrails.lambda_ import FUNCTION, LOG_GROUP  # noqa: E402
from guardrails.lambda_.function import log_retention  # noqa: E402
from guardrails.s3 import BUCKET_POLICY, BUCKETS, ENCRYPTION, OBJECT_LOCK, PUBLIC_ACCESS_BLOCK, TRAIL, VERSIONING  # noqa: E402
from guardrails.s3 import bucket as bucket_module  # noqa: E402


@dataclass
class StackArgs:
    """What a stack check reads of pulumi-policy's StackValidationArgs. A check called directly, outside its policy,
    has no schema to take a knob's default from: `config` holds the knobs it reads, as the engine sends them."""

    resources: list
    config: dict = field(default_factory=dict)

    def get_config(self) -> dict:
        return self.config


def _pick(rng: random.Random, *choices):
    return rng.choice(choices)


def _bucket_stack(rng: random.Random, size: int, open_unknown: bool) -> list[Resource]:
    """Buckets, their settings and trails; a setting names its bucket through a property dependency (its value
    unknown or a name), or by name alone; with `open_unknown`, a few name something unknown (any bucket's)."""
    names = [f"bucket-{i}" for i in range(size // 3)]
    deny_tls = json.dumps({"Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*",
                                          "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]})
    buckets = [Resource(rng.choice(BUCKETS), f"urn:bucket-{i}", f"b{i}", unknown_checking_proxy(
        {"bucket": _pick(rng, rng.choice(names), rng.choice(names), rpc.UNKNOWN, None),
         "id": _pick(rng, rng.choice(names), rpc.UNKNOWN, None),
         "objectLockEnabled": _pick(rng, True, False, rpc.UNKNOWN)})) for i in range(size)]
    settings = {
        PUBLIC_ACCESS_BLOCK: lambda: {flag: _pick(rng, True, True, True, False, rpc.UNKNOWN)
                                      for flag in bucket_module.PUBLIC_ACCESS_FLAGS},
        BUCKET_POLICY: lambda: {"policy": _pick(rng, deny_tls, deny_tls, "{}", "not json", rpc.UNKNOWN)},
        ENCRYPTION[0]: lambda: {"rules": _pick(rng, [{"applyServerSideEncryptionByDefault": {
            "sseAlgorithm": _pick(rng, "AES256", "aws:kms", "none")}}], rpc.UNKNOWN)},
        VERSIONING[0]: lambda: {"versioningConfiguration": {"status": _pick(rng, "Enabled", "Suspended",
                                                                            rpc.UNKNOWN)}},
        OBJECT_LOCK[0]: lambda: {"rule": {"defaultRetention": {"mode": _pick(rng, "COMPLIANCE", "GOVERNANCE")}}},
    }
    stack = list(buckets)
    for i in range(size * 6):
        kind = rng.choice(list(settings))
        linked = rng.random() < 0.6
        if linked:
            value = _pick(rng, rpc.UNKNOWN, rpc.UNKNOWN, rng.choice(names))
        else:
            value = _pick(rng, rng.choice(names), f"arn:aws:s3:::{rng.choice(names)}", None,
                          *([rpc.UNKNOWN] if open_unknown and rng.random() < 0.2 else []))
        setting = Resource(kind, f"urn:setting-{i}", f"s{i}", unknown_checking_proxy({"bucket": value,
                                                                                     **settings[kind]()}))
        if linked:  # mostly its bucket, sometimes two, sometimes something else in the stack linked to buckets
            others = [s for s in stack[-5:] if s.property_dependencies]  # (one linked to none leaves them all open)
            setting.property_dependencies["bucket"] = rng.sample(buckets + others, rng.randint(1, 2))
        stack.append(setting)
    for i in range(8):
        trail = Resource(TRAIL, f"urn:trail-{i}", f"t{i}", unknown_checking_proxy({"s3BucketName": rpc.UNKNOWN}))
        trail.property_dependencies["s3BucketName"] = rng.sample(buckets, 1)
        stack.append(trail)
    rng.shuffle(stack)
    return stack


S3_CHECKS = (bucket_module.public_access_blocked, bucket_module.tls_only, bucket_module.encrypted,
             bucket_module.trail_object_lock)
S3_KNOBS = {"retentionModes": ["COMPLIANCE"]}  # trail_object_lock's, as the engine sends its default


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("open_unknown", [False, True])
def test_s3_settings_found_through_the_index_give_the_verdicts_of_a_scan(seed, open_unknown, monkeypatch):
    stack = _bucket_stack(random.Random(seed), 60, open_unknown)
    kinds = (PUBLIC_ACCESS_BLOCK, BUCKET_POLICY, ENCRYPTION, VERSIONING, OBJECT_LOCK)
    for bucket in of_type(stack, *BUCKETS):
        for kind in kinds:
            types = (kind,) if isinstance(kind, str) else kind
            kept = may_refer(stack, types, "bucket", bucket, keys=("bucket", "id"))
            assert covering(kept, bucket, bucket_module._names) == \
                covering(of_type(stack, *types), bucket, bucket_module._names)
    indexed = [list(check(StackArgs(stack, S3_KNOBS))) for check in S3_CHECKS]
    # The scan _settings made before: every setting of the type asked about every bucket.
    monkeypatch.setattr(bucket_module, "may_refer", lambda resources, types, *_, **__: of_type(resources, *types))
    assert indexed == [list(check(StackArgs(stack, S3_KNOBS))) for check in S3_CHECKS]
    if not open_unknown:  # some buckets pass, some fail
        assert all(indexed) and all(len(found) < 60 for found in indexed), [len(f) for f in indexed]


def _api_stack(rng: random.Random, size: int) -> list[Resource]:
    apis = [Resource(API_V2, f"urn:api-{i}", f"api{i}", unknown_checking_proxy(
        {"protocolType": _pick(rng, "HTTP", "HTTP", "WEBSOCKET", rpc.UNKNOWN), "id": f"api-{i}"}))
        for i in range(size)]
    stack = list(apis)
    for i in range(size * 3):
        route = Resource(ROUTE_V2, f"urn:route-{i}", f"r{i}", unknown_checking_proxy({
            "apiId": _pick(rng, rpc.UNKNOWN, f"api-{rng.randrange(size)}"),
            "routeKey": _pick(rng, "GET /x", "$connect", "$default", "OPTIONS /{proxy+}", rpc.UNKNOWN),
            "authorizationType": _pick(rng, "NONE", "JWT", "CUSTOM", None, rpc.UNKNOWN)}))
        roll = rng.random()
        if roll < 0.8:  # a route names its API by the API's id: one dependency, rarely two or none of an API
            route.property_dependencies["apiId"] = rng.sample(apis if roll < 0.7 else stack, rng.randint(1, 2))
        stack.append(route)
    rng.shuffle(stack)
    return stack


@pytest.mark.parametrize("seed", range(4))
def test_a_route_finds_its_api_through_the_index_as_a_scan_does(seed, monkeypatch):
    stack = _api_stack(random.Random(seed), 40)
    apis = of_type(stack, API_V2)
    # The route module links a route to its API by dependencies alone (no values): a scan asks refers_to so.
    for route in of_type(stack, ROUTE_V2):
        assert referenced(route, "apiId", [], apis, keys=())[0] == [
            a for a in apis if refers_to(route, "apiId", [], a, keys=())]
    indexed = list(route_module.route_authorization(StackArgs(stack, {"openRoutes": []})))
    monkeypatch.setattr(route_module, "referenced", lambda route, prop_name, _, apis, **__: (
        [a for a in apis if refers_to(route, prop_name, [], a, keys=())], False))
    assert indexed == list(route_module.route_authorization(StackArgs(stack, {"openRoutes": []})))
    assert 0 < len(indexed) < len(of_type(stack, ROUTE_V2)) // 2


def _scanned_log_retention(resources: list) -> list:
    """lambda-function-log-retention as it was: every log group's name read again for each function."""
    found, groups = [], of_type(resources, LOG_GROUP)
    for function in of_type(resources, FUNCTION):
        name = peek(function.props, "name")
        default = UNKNOWN_VALUE if name is UNKNOWN_VALUE else (f"/aws/lambda/{name}" if name else None)
        wanted = peek(function.props, "loggingConfig", "logGroup")
        if wanted is None:
            wanted = default
        if wanted is UNKNOWN_VALUE or wanted is None:
            continue
        names = [peek(g.props, "name") for g in groups]
        matching = [g for g, n in zip(groups, names) if n == wanted]
        if not matching:
            if UNKNOWN_VALUE not in names:
                found.append((f"no log group {wanted} in the stack; Lambda would create it with logs kept forever"
                              + ("" if wanted == default else "; declare it, or name another stack's in "
                                                               "sharedLogGroups"), function.urn))
            continue
        if not any(peek(g.props, "retentionInDays") not in (None, 0) for g in matching):
            found.append((f"log group {wanted} has no retentionInDays", function.urn))
    return found


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("unknown_names", [False, True])
def test_log_groups_read_once_give_the_verdicts_of_a_scan(seed, unknown_names):
    rng = random.Random(seed)
    functions = [f"fn-{i}" for i in range(50)]
    group_name = lambda: _pick(rng, f"/aws/lambda/{rng.choice(functions)}", f"/custom/{rng.choice(functions)}",  # noqa: E731
                               None, *([rpc.UNKNOWN] if unknown_names else []))
    stack = [Resource(LOG_GROUP, f"urn:group-{i}", f"g{i}", unknown_checking_proxy(
        {"name": group_name(), "retentionInDays": _pick(rng, 7, 30, None, 0, rpc.UNKNOWN)})) for i in range(60)]
    stack += [Resource(FUNCTION, f"urn:fn-{i}", f"f{i}", unknown_checking_proxy(
        {"name": _pick(rng, rng.choice(functions), rpc.UNKNOWN, None),
         "loggingConfig": _pick(rng, None, {"logGroup": _pick(rng, f"/custom/{rng.choice(functions)}",
                                                               rpc.UNKNOWN)})})) for i in range(60)]
    rng.shuffle(stack)
    found = list(log_retention(StackArgs(stack, {"sharedLogGroups": []})))
    assert found == _scanned_log_retention(stack)
    assert found or unknown_names


def test_the_stacks_security_group_rules_are_read_once_and_anew_for_another_stack(monkeypatch):
    """Four stack policies walk the stack's rules: `rules` works them out once for a stack-sized list, and again for
    a changed one. A standalone rule made from a VPC is in that VPC's own default group."""
    from guardrails.ec2 import INGRESS_RULE, SECURITY_GROUP, VPC
    from guardrails.ec2 import rules as rules_module

    vpc = Resource(VPC, "urn:vpc", "vpc", unknown_checking_proxy({"id": "vpc-1"}))
    groups = [Resource(SECURITY_GROUP, f"urn:sg-{i}", f"sg{i}", unknown_checking_proxy({"id": f"sg-{i}", "ingress": [
        {"protocol": "tcp", "fromPort": 443, "toPort": 443, "cidrBlocks": ["10.0.0.0/16"]}]})) for i in range(40)]
    standalone = Resource(INGRESS_RULE, "urn:rule", "rule", unknown_checking_proxy(
        {"securityGroupId": rpc.UNKNOWN, "ipProtocol": "tcp", "fromPort": 22, "toPort": 22, "cidrIpv4": "10.0.0.0/8"}),
        {"securityGroupId": [vpc]})
    stack = [vpc, *groups, standalone]
    first = list(rules_module.rules(stack))
    assert first == list(rules_module._rules(stack)) and len(first) == 41
    assert [r.vpc_default for r in first if r.holder is standalone] == [vpc]
    walks = []
    monkeypatch.setattr(rules_module, "_rules", lambda resources: walks.append(len(resources)) or iter(()))
    assert list(rules_module.rules(list(stack))) == first and walks == []  # the same stack: read once
    assert list(rules_module.rules(stack[:-1])) == [] and walks == [41]  # another stack: read anew


def test_the_subnets_vpcs_are_worked_out_once_per_stack(monkeypatch):
    """ecs-task-vpc-endpoints asks where each service of each task definition runs: the stack's subnets' VPCs are
    worked out once for a stack-sized list (a review found them rebuilt for every service), and again for a changed
    one."""
    from guardrails.ec2 import SUBNET, VPC
    from guardrails.ecs import SERVICE, TASK_DEFINITION
    from guardrails.ecs import endpoints as endpoints_module

    vpc = Resource(VPC, "urn:vpc", "vpc", unknown_checking_proxy({"id": "vpc-1"}))
    subnets = [Resource(SUBNET, f"urn:subnet-{i}", f"subnet{i}", unknown_checking_proxy(
        {"id": f"subnet-{i}", "vpcId": "vpc-1"}), {"vpcId": [vpc]}) for i in range(4)]
    tasks = [Resource(TASK_DEFINITION, f"urn:task-{i}", f"task{i}", unknown_checking_proxy(
        {"family": f"app{i}", "containerDefinitions": "[]"})) for i in range(15)]
    services = [Resource(SERVICE, f"urn:service-{i}", f"service{i}", unknown_checking_proxy(
        {"taskDefinition": rpc.UNKNOWN, "networkConfiguration": {"subnets": [f"subnet-{i % 4}", "subnet-0"]}}),
        {"taskDefinition": [task]}) for i, task in enumerate(tasks)]
    stack = [vpc, *subnets, *tasks, *services]
    asked = []
    real = endpoints_module._vpc_of
    monkeypatch.setattr(endpoints_module, "_vpc_of", lambda subnet, vpcs: asked.append(subnet) or real(subnet, vpcs))
    assert {endpoints_module.task_vpcs(task, stack) for task in tasks} == {frozenset({vpc.urn})}
    assert len(asked) == len(subnets)  # once per subnet, not once per service that names it
    assert endpoints_module.task_vpcs(tasks[0], stack[:-1]) == frozenset({vpc.urn}) and len(asked) == 2 * len(subnets)
