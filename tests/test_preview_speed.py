"""The preview's speed-ups change nothing but time, and its JSON is the same bytes on every run.

Each equality test runs a stack with the speed-ups switched off (`optimise=False`: the collector left
alone, and on, though the test session otherwise keeps it off: tests/conftest.py `collector_on`;
pulumi-policy's analyzer exactly as shipped) and on, and compares everything a user sees:
resources with their inputs, parents and dependencies, outputs, violations and the checks that could not
run. The 50-service stack takes a minute with the speed-ups off: `./dev test -m slow` runs it.
"""
from __future__ import annotations

import gc
import json
import os
import pickle
import re
import shutil
import subprocess
import sys
import traceback
import typing
from pathlib import Path
from typing import Optional

import pulumi
import pulumi_policy
import pytest
from google.protobuf import json_format

from bench.preview_bench import program_with
from tests.conftest import ROOT, collector_on, once_across_workers, preview
from tools import collector
from tools.policyeval import loaded_policy_pack
from tools.preview import PreviewResult, run_preview
from tools.sdk_internals import ROOT_STACK_TYPE

PACK = ROOT / "policies"
PACKS = ROOT / "tests" / "packs"
COMPLIANT = ROOT / "tests" / "programs" / "policy_compliant"


def observable(result: PreviewResult) -> dict:
    """Everything a user or a policy can see of a preview, timings aside."""
    assert result.error is None, result.error
    doc = result.to_json()
    doc["links"] = {r.urn: (r.dependencies, r.property_dependencies, r.provider) for r in result.resources}
    return doc


def assert_same(slow: PreviewResult, fast: PreviewResult) -> None:
    slow_doc, fast_doc = observable(slow), observable(fast)
    for key in ("resources", "outputs", "violations", "notRun", "links", "summary"):
        assert fast_doc[key] == slow_doc[key], key
    assert fast_doc == slow_doc


@pytest.mark.heavy
@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_speed_ups_change_nothing_on_the_real_stacks(stack, dev_preview, prod_preview):
    fast = dev_preview if stack == "dev" else prod_preview
    assert_same(preview(stack, optimise=False), fast)
    if stack == "dev":
        assert fast.violations and fast.not_run == []  # the dev stack's advisory findings are compared too


@pytest.mark.heavy
@pytest.mark.parametrize("plane", ["serviceconnect", "appmesh"])
def test_speed_ups_change_nothing_with_unknown_outputs(plane):
    overrides = [f"mesh.dataPlane={plane}"]
    slow = preview("dev", unknown_outputs=True, optimise=False, config_overrides=overrides)
    fast = preview("dev", unknown_outputs=True, config_overrides=overrides)
    if plane == "appmesh":  # its TLS-hop checks meet the unknown NLB name
        assert fast.not_run, "unknown outputs must leave some checks unable to run"
    assert_same(slow, fast)


@pytest.mark.slow
@pytest.mark.parametrize("plane,resources", [("serviceconnect", 1700), ("appmesh", 2100)])
def test_speed_ups_change_nothing_on_a_generated_50_service_stack(tmp_path, plane, resources):
    program = program_with(50, tmp_path)
    config = PACK / "config" / "dev.json"
    overrides = [f"mesh.dataPlane={plane}"]
    fast = run_preview("bench", program, PACK, config, config_overrides=overrides)
    with collector_on():
        slow = run_preview("bench", program, PACK, config, config_overrides=overrides, optimise=False)
    assert len(fast.resources) > resources
    assert_same(slow, fast)


def _counted() -> dict:
    """What `calls_without_and_with_speed_ups` reports for every function its tests count: the same two previews
    (speed-ups off, then on) with a counter on each of them, made once per test run; and the violations of the
    one with the speed-ups off (`compliant_violations_without_speed_ups`)."""
    import pulumi_policy.policy as policy_module

    from tools import policyworker

    owners = {"MessageToDict": (json_format, "MessageToDict"),
              "_get_resource_options": (policy_module._PolicyAnalyzerServicer, "_get_resource_options"),
              "_get_provider_resource": (policy_module._PolicyAnalyzerServicer, "_get_provider_resource"),
              "ResourceValidationArgs": (policy_module, "ResourceValidationArgs"),
              "PolicyResource": (policy_module, "PolicyResource")}
    calls = {name: 0 for name in owners}
    counters = {}

    def counter(name: str, real):
        def counting(*args, **kwargs):
            calls[name] += 1
            return real(*args, **kwargs)
        return counting

    counts: dict = {name: {} for name in owners}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(policyworker, "start", lambda *args, **kwargs: None)
        for name, (owner, attribute) in owners.items():
            counters[name] = counter(name, getattr(owner, attribute))
            patch.setattr(owner, attribute, counters[name])
        for optimise in (False, True):
            calls.update({name: 0 for name in owners})
            result = run_preview("test", COMPLIANT, PACK, optimise=optimise)
            assert result.error is None, result.error
            if not optimise:
                violations = result.violations
            for name in owners:
                counts[name][optimise] = calls[name]
        for name, (owner, attribute) in owners.items():
            assert getattr(owner, attribute) is counters[name]  # given back after the preview
    return {"counts": counts, "resources": len(result.resources), "violations": violations}


_COUNTED: dict = {}


def _counted_runs() -> dict:
    if not _COUNTED:
        _COUNTED.update(once_across_workers(("analyzer calls counted",), _counted))
    return _COUNTED


def calls_without_and_with_speed_ups(name: str) -> tuple[dict[bool, int], int]:
    """How often `name` (one of `_counted`'s) is called while previewing the compliant program with speed-ups off
    and on, and how many resources it has, with policies evaluated in this process (not the worker), where the
    counter is. The shims take what the owner holds when a preview starts, so they wrap the counter."""
    return _counted_runs()["counts"][name], _counted_runs()["resources"]


def compliant_violations_without_speed_ups() -> list:
    """The compliant program's violations with every speed-up off (in-process, the analyzer as shipped): the run
    `_counted` makes anyway (its counters only count), shared rather than run again."""
    return _counted_runs()["violations"]


def test_the_analyzer_converts_each_request_once_with_speed_ups_and_per_policy_without():
    # The analyzer module reads json_format.MessageToDict when it is called (and the shim takes it then).
    counts, resources = calls_without_and_with_speed_ups("MessageToDict")
    policies = len(loaded_policy_pack(ROOT / "policies").policies)
    # Without the shim every resource policy converts every resource again; with it, roughly once per
    # resource for Analyze and once more for AnalyzeStack, plus Configure's config structs (more with every policy).
    assert counts[False] > 10 * resources
    assert counts[True] < 4 * resources + policies + 100


def test_the_analyzer_builds_each_resources_options_once_with_speed_ups_and_per_policy_without():
    counts, resources = calls_without_and_with_speed_ups("_get_resource_options")
    # Once per resource for Analyze and once for AnalyzeStack, against once per policy (and per stack policy).
    assert counts[True] == 2 * resources
    assert counts[False] > 10 * resources


def test_the_analyzer_builds_each_provider_once_with_speed_ups_and_per_policy_and_resource_without():
    counts, resources = calls_without_and_with_speed_ups("_get_provider_resource")
    # The compliant program's resources all have the engine's default aws provider but its few of other packages
    # and explicit providers: a handful of providers, built once each across the Analyze and AnalyzeStack calls.
    assert counts[True] <= 5
    assert counts[False] > 10 * resources


def test_the_analyzer_builds_arguments_only_for_the_policies_that_apply_with_speed_ups():
    counts, resources = calls_without_and_with_speed_ups("ResourceValidationArgs")
    # Without the shim, for every resource policy and resource; with it, for those whose types include the
    # resource's (the tagging policies take every type).
    assert counts[False] > 30 * resources
    assert resources <= counts[True] < 5 * resources


def test_evaluations_with_one_configuration_share_one_configured_servicer(monkeypatch):
    """`evaluate` configures a servicer once per pack and configuration and sends it every later evaluation with
    that configuration, as the engine does its analyzer: the same report as when configured afresh, another
    configuration's levels at once, the least recently used of more than eight forgotten, and a configuration
    the pack refuses refused every time. Each config's request is built once (a forgotten servicer is configured
    again from it), and configs Python tells apart are built apart. With the speed-ups off, each evaluation is
    configured afresh."""
    from tests import test_policies_support as support
    from tools import policyeval

    pack = policyeval.load_policy_pack(PACK)
    monkeypatch.setitem(support._PACKS, "pack", pack)
    configured = []
    configure = policyeval.configured_servicer
    monkeypatch.setattr(policyeval, "configured_servicer",
                        lambda pack, request: configured.append(request) or configure(pack, request))
    built = []
    build = policyeval.configure_request
    monkeypatch.setattr(policyeval, "configure_request",
                        lambda pack, config, *args: built.append(config) or build(pack, config, *args))
    policy = "cloudwatch-log-group-kms-encrypted"
    logs = [support.Res("aws:cloudwatch/logGroup:LogGroup", "logs", {"retentionInDays": 1})]

    def levels(config: dict) -> list[str]:
        return [v.enforcement_level for v in support.analyze(logs, config).violations if v.policy == policy]

    first = support.analyze(logs, {})
    assert support.analyze(logs, {}).to_json() == first.to_json() and len(configured) == 1
    assert levels({policy: "advisory"}) == ["advisory"] and len(configured) == 2
    assert levels({}) == ["mandatory"] and len(configured) == 2
    others = [p.name for p in pack.policies if p.name != policy][:8]
    for other in others[:7]:  # each a configuration of its own: no policy is disabled by default
        assert levels({other: "disabled"}) == ["mandatory"]
    assert levels({}) == ["mandatory"] and len(configured) == 9  # used again: now the most recent
    assert levels({others[7]: "disabled"}) == ["mandatory"] and len(configured) == 10
    assert levels({}) == ["mandatory"] and len(configured) == 10  # kept
    # the least recent: forgotten, and configured again from the request remembered for its config
    assert levels({policy: "advisory"}) == ["advisory"] and len(configured) == 11
    # each config's request built once, and kept as built (bytes parsed back would have their maps sorted)
    assert configured[-1] is configured[1] and len(built) == 10
    # Configs Python tells apart are built apart, though their requests are the same.
    assert levels({policy: {"enforcementLevel": "advisory"}}) == ["advisory"] and len(built) == 11
    assert len(configured) == 11  # the same request: the same servicer
    tag_policy = "tags-resource-required"
    for tags in (["Owner"], ("Owner",), ["Owner"]):
        support.analyze(logs, {tag_policy: {"requiredTags": tags}})
    assert len(built) == 13 and len(configured) == 12  # a tuple's request is a list's
    # The schema check tells a boolean from an integer: so does the memo, each refused every time.
    for policy_name, knob, accepted, refused, error in (
            ("appmesh-route-retry-policy", "minMaxRetries", 1, True, "must be integer"),
            ("ecs-service-connect-access-logs", "allowQueryParameters", True, 1, "must be boolean")):
        support.analyze(logs, {policy_name: {knob: accepted}})
        for _ in range(2):
            with pytest.raises(policyeval.PolicyConfigError, match=f"{knob}: {error}"):
                support.analyze(logs, {policy_name: {knob: refused}})
    assert len(built) == 19 and len(configured) == 14
    for _ in range(2):  # the speed-ups off: configured afresh, as a one-run process would
        policyeval.evaluate(pack, [], {}, optimise=False)
    assert len(configured) == 16 and len(built) == 21
    # A config the pack refuses is refused every time, after the same knob was accepted with another value.
    assert levels({"apigateway-method-authorization": {"openRoutes": ["GET /health"]}}) == ["mandatory"]
    for _ in range(2):
        with pytest.raises(policyeval.PolicyConfigError, match=r"openRoutes\[1\]: must be string"):
            support.analyze(logs, {"apigateway-method-authorization": {"openRoutes": ["GET /health", 7]}})
    for _ in range(2):
        with pytest.raises(policyeval.PolicyConfigError, match="no-such-policy: not a policy in pack"):
            support.analyze(logs, {"no-such-policy": "advisory"})


@pytest.mark.heavy
def test_the_analyzers_answer_for_each_resource_is_the_sdks():
    """`_shared_analyze` against pulumi-policy's own Analyze (no shim in place), resource by resource: the same
    diagnostics and not-applicable entries in the same order. On dev on App Mesh with unknown outputs (checks
    that cannot run), every policy remediate but one disabled. (The equality tests compare what a preview
    reports with and without every speed-up on the real stacks; this compares the analyzer's whole answer.)"""
    import pulumi_policy.policy as policy_module

    from tools import sdk_internals
    from tools.policyeval import (analyze_request, configure_request, configured_servicer, load_policy_pack,
                                  read_policy_config)

    run = preview("dev", unknown_outputs=True, config_overrides=["mesh.dataPlane=appmesh"])
    pack = load_policy_pack(PACK)
    # Every level dev's config sets, and its default, made remediate (reported mandatory), but one policy
    # advisory (reported as it is) and one disabled.
    config = read_policy_config(PACK / "config" / "dev.json")
    config = {**config, **{name: "remediate" for name, level in config.items() if isinstance(level, str)},
              "ecs-service-exec-disabled": "advisory", "ecs-taskdef-no-privileged": "disabled"}
    servicer = configured_servicer(pack, configure_request(pack, config))
    by_urn = {r.urn: r for r in run.resources}
    requests = [analyze_request(r, by_urn) for r in run.resources]
    shared = []
    with sdk_internals.shared_property_conversion() as request_scope:
        assert type(servicer).Analyze is sdk_internals.analyzer._shared_analyze
        for request in requests:
            with request_scope():
                shared.append(servicer.Analyze(request, None))
    assert type(servicer).Analyze is sdk_internals.analyzer._sdk_analyze  # given back
    own = [servicer.Analyze(request, None) for request in requests]
    assert [list(r.diagnostics) for r in shared] == [list(r.diagnostics) for r in own]
    assert [list(r.not_applicable) for r in shared] == [list(r.not_applicable) for r in own]
    assert shared == own
    diagnostics = [d for r in shared for d in r.diagnostics]
    cannot_run = [d for d in diagnostics if "can't run policy" in d.message]
    levels = {}
    for d in diagnostics:
        if d not in cannot_run:
            levels.setdefault(d.policyName == "ecs-service-exec-disabled", set()).add(d.enforcementLevel)
    assert cannot_run
    # The remediate ones are reported mandatory, the advisory one as it is; the disabled one is not asked at all.
    level = servicer._map_enforcement_level
    assert levels == {True: {level(policy_module.EnforcementLevel.ADVISORY)},
                      False: {level(policy_module.EnforcementLevel.MANDATORY)}}
    assert "ecs-taskdef-no-privileged" not in {n.policy_name for r in shared for n in r.not_applicable}
    assert sum(len(r.not_applicable) for r in shared) > 30 * len(requests)


def test_the_analyzers_plan_for_a_type_follows_the_servicers_configuration():
    """What Analyze runs for a type is worked out once per configuration: configured again, the same servicer
    reports at the new levels, and asks a policy disabled since neither for a verdict nor to say it does not
    apply; the SDK's own Analyze agrees each time."""
    import pulumi_policy.policy as policy_module
    from pulumi.runtime.proto import analyzer_pb2

    from tools import sdk_internals
    from tools.policyeval import configure_request, configured_servicer, load_policy_pack

    pack = load_policy_pack(PACK)
    tags = {"tags-resource-required": {"requiredTags": ["Owner"]}}  # it requires no tag unless configured
    servicer = configured_servicer(pack, configure_request(pack, tags))
    request = analyzer_pb2.AnalyzeRequest(type="aws:cloudwatch/logGroup:LogGroup", urn="urn:group", name="group")

    def analyze() -> tuple:
        with sdk_internals.shared_property_conversion() as request_scope:
            with request_scope():
                shared = servicer.Analyze(request, None)
        assert shared == servicer.Analyze(request, None)  # the SDK's own, the shim given back
        return ({d.policyName: d.enforcementLevel for d in shared.diagnostics},
                {n.policy_name for n in shared.not_applicable})

    level = servicer._map_enforcement_level
    mandatory, advisory = level(policy_module.EnforcementLevel.MANDATORY), level(policy_module.EnforcementLevel.ADVISORY)
    found, skipped = analyze()
    assert found == {"cloudwatch-log-group-kms-encrypted": mandatory, "tags-resource-required": mandatory}
    assert "lambda-function-tracing" in skipped
    servicer.Configure(configure_request(pack, {"cloudwatch-log-group-kms-encrypted": "advisory",
                                                "lambda-function-tracing": "disabled", **tags}), None)
    found, skipped = analyze()
    assert found == {"cloudwatch-log-group-kms-encrypted": advisory, "tags-resource-required": mandatory}
    assert "lambda-function-tracing" not in skipped and len(skipped) > 60
    servicer.Configure(configure_request(pack, {"all": "disabled"}), None)
    assert analyze() == ({}, set())


def test_the_analyzers_stack_policies_follow_the_servicers_configuration():
    """Which stack policies AnalyzeStack runs, and at what level, is worked out once per configuration: configured
    again, the same servicer reports at the new levels and leaves a policy disabled since out; the SDK's own
    AnalyzeStack agrees each time."""
    import pulumi_policy.policy as policy_module
    from pulumi.runtime.proto import analyzer_pb2

    from tools import sdk_internals
    from tools.policyeval import configure_request, configured_servicer, load_policy_pack

    pack = load_policy_pack(PACK)
    servicer = configured_servicer(pack, configure_request(pack, {}))
    request = analyzer_pb2.AnalyzeStackRequest()
    request.resources.add(type="aws:s3/bucket:Bucket", urn="urn:bucket", name="bucket")
    request.resources.add(type="aws:cloudwatch/logGroup:LogGroup", urn="urn:group", name="group")

    def analyze_stack() -> dict:
        with sdk_internals.shared_property_conversion() as request_scope:
            with request_scope():
                shared = servicer.AnalyzeStack(request, None)
        assert shared == servicer.AnalyzeStack(request, None)  # the SDK's own, the shim given back
        return {d.policyName: d.enforcementLevel for d in shared.diagnostics}

    mandatory = servicer._map_enforcement_level(policy_module.EnforcementLevel.MANDATORY)
    advisory = servicer._map_enforcement_level(policy_module.EnforcementLevel.ADVISORY)
    found = analyze_stack()
    softened, dropped = sorted(name for name, found_at in found.items() if found_at == mandatory)[:2]
    servicer.Configure(configure_request(pack, {softened: "advisory", dropped: "disabled"}), None)
    assert analyze_stack() == {**{name: at for name, at in found.items() if name != dropped}, softened: advisory}
    servicer.Configure(configure_request(pack, {"all": "disabled"}), None)
    assert analyze_stack() == {}


_SIG = "4dabf18193072939515e22adb298388d"
_PLAIN_PROPS = [
    {},
    {"name": "a", "count": 3, "ratio": -0.5, "zero": -0.0, "on": True, "off": False, "none": None},
    {"tags": {"Owner": "team", "Empty": ""}, "rules": [{"ports": [80, 443], "cidrs": []}, {}, [], None, "x"]},
    {"unknown": "04da6b54-80e4-46f7-96ec-b56ff0331ba9", "list": ["6a19a0b0-7e62-4c92-b797-7f8e31da9cc2"],
     "deep": {"a": {"b": {"c": [[[{"d": 1e300}]]]}}}},
    {_SIG: "a signature key at the top is an ordinary key", "n": 2},
]
_SPECIAL_PROPS = [
    {"password": {_SIG: "1b47061264138c4ac30d75fd1eb44270", "value": {"nested": ["hunter2"]}}},
    {"items": [{"code": {_SIG: "c44067f5952c0a294b673a41bacd8c17", "text": "print(1)"}}]},
    {"archive": {_SIG: "0def7320c3a5731c473e5ecbe6d01bc7", "path": "code.zip"}, "plain": {"a": [1]}},
]


def _proxy_tree(value):
    """A converted value's whole shape: each proxy's class, path and contents, each value's type and repr."""
    from pulumi_policy import proxy

    if isinstance(value, proxy._DictProxy):
        return (type(value), tuple(value._DictProxy__props_acc),
                [(key, _proxy_tree(item)) for key, item in value._DictProxy__target.items()])
    if isinstance(value, proxy._ListProxy):
        return (type(value), tuple(value._ListProxy__props_acc),
                [_proxy_tree(item) for item in value._ListProxy__target])
    if hasattr(value, "__dict__"):  # an asset or archive: by its attributes (its repr names its address)
        return type(value), {key: _proxy_tree(item) for key, item in vars(value).items()}
    return type(value), repr(value)


@pytest.mark.parametrize("props", _PLAIN_PROPS + _SPECIAL_PROPS)
def test_a_resources_props_are_the_sdks_conversions_made_read_only(props):
    """What every policy reads of a resource in a request scope (`_props`, one walk of the Struct for plain
    values, the SDK's steps for special ones) is what the SDK's three steps give, each map made read-only."""
    import pulumi_policy.policy as policy_module
    from google.protobuf import struct_pb2
    from pulumi.runtime.proto import analyzer_pb2

    from tools.sdk_internals import analyzer

    request = analyzer_pb2.AnalyzeRequest(type="test:index:Thing", urn="urn:thing", name="thing")
    request.properties.update(props)
    expected = policy_module.unknown_checking_proxy(
        policy_module.deserialize_properties(json_format.MessageToDict(request.properties)))
    analyzer._make_read_only(expected)
    with analyzer.shared_property_conversion() as request_scope:
        with request_scope():
            converted = analyzer._props(request)
    assert _proxy_tree(converted) == _proxy_tree(expected)
    if props in _SPECIAL_PROPS:  # left to the SDK's steps
        with pytest.raises(analyzer._LeftToTheSdk):
            analyzer._read_only_props(request.properties)
    for number in (float("inf"), float("nan")):  # MessageToDict refuses them, and so does `_props`, with its error
        struct = struct_pb2.Struct()
        struct.update({**props, "bad": [number]})
        with pytest.raises(ValueError) as sdk_error:
            json_format.MessageToDict(struct)
        with analyzer.shared_property_conversion() as request_scope:
            with request_scope(), pytest.raises(ValueError) as error:
                analyzer._props(analyzer_pb2.AnalyzeRequest(properties=struct))
        assert str(error.value) == str(sdk_error.value)


def test_an_async_validate_is_awaited_as_the_sdk_awaits_it():
    """A policy whose validate is a coroutine function reports what it finds after its awaits, in Analyze and in
    AnalyzeStack, with the shim as without it (the shim asks only a result that is not None if it is awaitable)."""
    import asyncio

    from pulumi.runtime.proto import analyzer_pb2
    from pulumi_policy import EnforcementLevel, ResourceValidationPolicy, StackValidationPolicy

    from tools import sdk_internals
    from tools.policyeval import LoadedPack, configure_request, configured_servicer

    async def resource_check(args, report_violation):
        await asyncio.sleep(0)
        report_violation(f"awaited {args.props['name']}")

    async def stack_check(args, report_violation):
        await asyncio.sleep(0)
        report_violation("awaited the stack", args.resources[0].urn)

    pack = LoadedPack("async", [ResourceValidationPolicy("async-resource", "awaits", resource_check),
                                StackValidationPolicy("async-stack", "awaits", stack_check)],
                      EnforcementLevel.MANDATORY, None, {})
    servicer = configured_servicer(pack, configure_request(pack, {}))
    request = analyzer_pb2.AnalyzeRequest(type="test:index:Thing", urn="urn:thing", name="thing")
    request.properties.update({"name": "thing"})
    stack = analyzer_pb2.AnalyzeStackRequest()
    stack.resources.add(type="test:index:Thing", urn="urn:thing", name="thing").properties.update({"name": "thing"})
    with sdk_internals.shared_property_conversion() as request_scope:
        with request_scope():
            shared = servicer.Analyze(request, None), servicer.AnalyzeStack(stack, None)
    own = servicer.Analyze(request, None), servicer.AnalyzeStack(stack, None)
    assert [[d.message for d in response.diagnostics] for response in shared] == [["awaits\nawaited thing"],
                                                                                   ["awaits\nawaited the stack"]]
    assert shared == own


def test_the_analyzer_leaves_analyze_to_the_sdk_outside_a_request_scope(monkeypatch):
    """There each policy must get props of its own, as the SDK gives them."""
    from pulumi.runtime.proto import analyzer_pb2

    from tools import sdk_internals
    from tools.policyeval import configure_request, configured_servicer, load_policy_pack

    asked = []
    sdk = sdk_internals.analyzer._sdk_analyze
    monkeypatch.setattr(sdk_internals.analyzer, "_sdk_analyze", lambda *args: asked.append(1) or sdk(*args))
    pack = load_policy_pack(PACK)
    servicer = configured_servicer(pack, configure_request(pack, {}))
    request = analyzer_pb2.AnalyzeRequest(type="aws:s3/bucket:Bucket", urn="urn:bucket", name="bucket")
    with sdk_internals.shared_property_conversion() as request_scope:
        outside = servicer.Analyze(request, None)
        assert asked == [1]
        with request_scope():
            inside = servicer.Analyze(request, None)
        assert asked == [1]
    assert inside == outside and inside.not_applicable


def test_the_analyzer_builds_the_stack_graph_once_with_speed_ups_and_per_stack_policy_without():
    counts, resources = calls_without_and_with_speed_ups("PolicyResource")
    assert counts[True] == resources  # one AnalyzeStack request, every stack policy reads the same objects
    assert counts[False] > 5 * resources


@pytest.mark.parametrize("pack", ["writes_props", "writes_stack_props"])
def test_a_policy_that_writes_to_shared_props_gets_one_clear_line(pack):
    result = run_preview("test", COMPLIANT, PACKS / pack)
    assert result.error is not None and "\n" not in result.error
    assert "shares one read-only copy" in result.error and "props['tags']" in result.error
    # Without the shared conversion, each policy has its own copy and may write to it, as in the engine.
    own_copies = run_preview("test", COMPLIANT, PACKS / pack, optimise=False)
    assert own_copies.error is None and own_copies.violations == []


def test_a_stack_is_built_ahead_only_inside_a_request_scope():
    """Outside a request scope the props would be each caller's own writable copy, not the shared one."""
    from pulumi.runtime.proto import analyzer_pb2

    from tools import sdk_internals
    from tools.policyeval import configure_request, configured_servicer, load_policy_pack

    pack = load_policy_pack(PACKS / "writes_stack_props")
    request = analyzer_pb2.AnalyzeStackRequest()
    request.resources.add(type="aws:s3/bucket:Bucket", urn="urn:bucket", name="bucket")
    with sdk_internals.shared_property_conversion(True) as request_scope:
        stack = sdk_internals.StackResources(configured_servicer(pack, configure_request(pack, {})))
        with pytest.raises(RuntimeError, match="outside a request scope"):
            stack.add(request.resources[0])
        with request_scope():
            stack.add(request.resources[0])
        assert [r.urn for r in stack.linked()] == ["urn:bucket"]


def test_a_stack_is_not_built_for_a_pack_without_an_enabled_stack_policy():
    """As AnalyzeStack builds nothing then, neither does the worker's stack built ahead."""
    from pulumi.runtime.proto import analyzer_pb2

    from tools import sdk_internals
    from tools.policyeval import configure_request, configured_servicer, load_policy_pack

    request = analyzer_pb2.AnalyzeStackRequest()
    request.resources.add(type="aws:s3/bucket:Bucket", urn="urn:bucket", name="bucket")
    built = {}
    with sdk_internals.shared_property_conversion(True) as request_scope:
        for name, pack, config in [("resource policies only", "writes_props", {}),
                                   ("stack policies disabled", "writes_stack_props", {"all": "disabled"}),
                                   ("stack policies enabled", "writes_stack_props", {})]:
            loaded = load_policy_pack(PACKS / pack)
            stack = sdk_internals.StackResources(configured_servicer(loaded, configure_request(loaded, config)))
            with request_scope():
                stack.add(request.resources[0])
            built[name] = [r.urn for r in stack.linked()]
    assert built == {"resource policies only": [], "stack policies disabled": [],
                     "stack policies enabled": ["urn:bucket"]}


def test_freezing_survivors_collects_garbage_first_and_freezes_the_rest():
    import weakref

    class Node:
        pass

    garbage, kept = Node(), Node()
    garbage.self = garbage  # a cycle only the collector can free
    dead = weakref.ref(garbage)
    del garbage
    frozen_before = gc.get_freeze_count()
    collector.freeze_survivors()
    assert dead() is None  # collected, not frozen with the survivors
    assert gc.get_freeze_count() > frozen_before and kept is not None


def test_full_collections_wait_until_the_last_pause_ends():
    with collector_on():  # as in a long-lived process (the test session keeps it off: tests/conftest.py)
        before = gc.get_threshold()
        with collector.paused():
            inside = gc.get_threshold()
            with collector.paused():
                assert gc.get_threshold() == inside
            assert gc.get_threshold() == inside
            assert gc.isenabled()  # young collections go on
        assert inside[:2] == before[:2] and inside[2] > 10**6
        assert gc.get_threshold() == before
        with collector.paused(enabled=False):
            assert gc.get_threshold() == before


def test_a_one_run_process_never_collects_again(monkeypatch):
    monkeypatch.setattr(collector, "_one_run", False)
    try:
        collector.for_one_run()
        assert collector.one_run() and not gc.isenabled()
        with collector.paused():
            pass
        collector.started()
        assert not gc.isenabled()  # neither the end of a pause nor the end of start-up turns it back on
    finally:
        gc.enable()


def test_a_long_lived_process_freezes_what_its_start_up_made_and_collects_again():
    gc.collect()  # the garbage earlier tests left (the session collects every few hundred) is not frozen with it
    frozen = gc.get_freeze_count()
    collector.starting()
    try:
        assert not gc.isenabled()
        made = [[n] for n in range(1000)]  # containers, as imports make
    finally:
        collector.started()
    assert gc.isenabled() and gc.get_freeze_count() >= frozen + len(made)


def test_the_worker_of_a_one_run_process_runs_once_too(monkeypatch):
    from tools import policyworker

    commands = []

    class Recorded:
        def __init__(self, command, **_):
            commands.append(command)

    monkeypatch.setattr(policyworker.subprocess, "Popen", Recorded)
    policyworker._Process()
    monkeypatch.setattr(collector, "_one_run", True)
    policyworker._Process()
    assert [c[-1] for c in commands] == ["tools.policyworker", "--one-run"]


_FRESH_RUN = """
import gc, json, runpy, sys
mode = sys.argv.pop(1)
if mode == "shipped":
    from tools import sdk_internals
    sdk_internals.pins.PULUMI_AWS_VERSION = "another"  # pulumi_aws loads as shipped; the other speed-ups stay on
collections = []
def count(phase, info):
    collector = sys.modules.get("tools.collector")
    if phase == "start" and collector is not None and collector.one_run():
        collections.append(info["generation"])
gc.callbacks.append(count)
sys.argv = ["preview"] + sys.argv[1:]
try:
    runpy.run_module("tools.preview", run_name="__main__", alter_sys=True)
except SystemExit as exc:
    print(json.dumps({"exit": exc.code, "oneRun": sys.modules["tools.collector"].one_run(),
                      "collectorOn": gc.isenabled(), "collections": len(collections),
                      "awsModules": sum(1 for m in sys.modules if m.startswith("pulumi_aws.")),
                      "unusedPulumiRun": sorted(m for m in ("pulumi.automation._local_workspace", "dill")
                                                if m in sys.modules)}), file=sys.stderr)
"""


@pytest.fixture(scope="module")
def fresh_prod_runs() -> dict:
    """`--json` previews of prod in three fresh interpreters at once: the command line as a user runs it, the
    same run watched for collections, and one with pulumi_aws loaded as shipped. Each gives (stdout bytes,
    the watched runs' status). Started by one xdist worker, whichever asks first."""
    return once_across_workers((__name__, "fresh prod runs"), _fresh_prod_runs)


def _fresh_prod_runs() -> dict:
    args = ["--stack", "prod", "--policy-pack", "policies", "--policy-pack-config", "policies/config/prod.json",
            "--json"]
    commands = {"command line": [sys.executable, "-m", "tools.preview", *args],
                "watched": [sys.executable, "-c", _FRESH_RUN, "lazy", *args],
                "shipped": [sys.executable, "-c", _FRESH_RUN, "shipped", *args]}
    started = {name: subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
               for name, command in commands.items()}
    runs = {}
    try:
        for name, process in started.items():
            out, err = process.communicate(timeout=300)
            assert process.returncode == 0, err.decode()[-3000:]
            status = json.loads(err.decode().splitlines()[-1]) if name != "command line" else {"exit": 0}
            assert status["exit"] == 0, err.decode()[-3000:]
            runs[name] = (out, status)
    finally:
        for process in started.values():
            if process.poll() is None:
                process.kill()
                process.wait()
    return runs


@pytest.mark.heavy
def test_a_command_line_preview_runs_without_collections_and_previews_as_a_long_lived_process_does(
        fresh_prod_runs, prod_preview):
    out, status = fresh_prod_runs["watched"]
    assert {k: status[k] for k in ("exit", "oneRun", "collectorOn", "collections", "unusedPulumiRun")} == \
        {"exit": 0, "oneRun": True, "collectorOn": False, "collections": 0, "unusedPulumiRun": []}
    # This process has pulumi.automation and pulumi.dynamic loaded (pytest's imports ran them): same preview.
    assert "pulumi.automation._local_workspace" in sys.modules
    assert json.loads(out) == json.loads(json.dumps(prod_preview.to_json()))


_DEFERRAL = """
import json, sys
from tools.sdk_internals import lazy_pulumi, pins
case = sys.argv[1]
if case == "pulumi first":
    import pulumi
if case == "another pulumi":
    pins.PULUMI_VERSION = "another"
deferred = lazy_pulumi.defer_unused_packages()
import pulumi
before = sorted(m for m in ("pulumi.automation._local_workspace", "dill") if m in sys.modules)
read = [pulumi.automation.LocalWorkspace.__name__, pulumi.dynamic.ResourceProvider.__name__]
print(json.dumps({"deferred": deferred, "runBeforeRead": before, "read": read}))
"""


@pytest.mark.parametrize("case,deferred", [("pulumi next", True), ("pulumi first", False),
                                           ("another pulumi", False)])
def test_the_packages_a_program_run_never_reads_run_when_first_read(case, deferred):
    """`pulumi.automation` and `pulumi.dynamic` wait until first read, then read as shipped; not once pulumi is
    imported, nor on a pulumi other than the pinned one."""
    done = subprocess.run([sys.executable, "-c", _DEFERRAL, case], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    status = json.loads(done.stdout)
    assert status == {"deferred": deferred, "read": ["LocalWorkspace", "ResourceProvider"],
                      "runBeforeRead": [] if deferred else ["dill", "pulumi.automation._local_workspace"]}


def test_a_failing_preview_gives_the_collector_back(tmp_path):
    before = gc.get_threshold()
    result = run_preview("nope", tmp_path)
    assert result.error is not None
    assert gc.get_threshold() == before


@pytest.mark.heavy
def test_two_runs_of_the_prod_json_preview_give_identical_bytes(fresh_prod_runs):
    # Separate interpreters: hash seeds, thread timing and protobuf map order all differ between them.
    first, second = fresh_prod_runs["command line"][0], fresh_prod_runs["watched"][0]
    assert first == second
    doc = json.loads(first)
    urns = [r["urn"] for r in doc["resources"]]
    assert urns == sorted(urns) and len(urns) > 300
    keys = [(v["policy"], v["urn"], v["enforcementLevel"], v["message"]) for v in doc["violations"]]
    assert keys == sorted(keys)


# --- the SDK shims (tools/sdk_internals/) -------------------------------------------------------------


def test_mock_run_shims_replace_the_sdk_functions_only_on_the_pinned_version():
    from pulumi.runtime import mocks as mocks_module
    from pulumi.runtime import resource as resource_module
    from pulumi.runtime import rpc as rpc_module
    from pulumi.runtime import stack as stack_module

    from tools import sdk_internals

    def current():
        return (stack_module.wait_for_rpcs, resource_module._get_stack_trace, rpc_module.declare_dependency,
                mocks_module._sync_await, mocks_module.MockMonitor.RegisterResource, pulumi.Output._track,
                pulumi._types.unwrap_type, rpc_module.contains_unknowns, rpc_module.serialize_property,
                rpc_module.transfer_properties, resource_module.create_urn, vars(pulumi.Output)["from_input"])

    sdk = current()
    with sdk_internals.mock_run_shims() as applied:
        assert applied
        assert stack_module.wait_for_rpcs is sdk_internals.outputs._wait_for_rpcs
        assert rpc_module.declare_dependency is sdk_internals.dependencies._declare_dependency
        assert mocks_module._sync_await is sdk_internals.monitor._sync_await
        assert mocks_module.MockMonitor.RegisterResource is sdk_internals.monitor._register_resource
        assert pulumi.Output._track is sdk_internals.outputs._track
        assert pulumi._types.unwrap_type is sdk_internals.outputs._unwrap_type
        assert rpc_module.contains_unknowns is sdk_internals.outputs._contains_unknowns
        assert rpc_module.serialize_property is sdk_internals.outputs._serialize_property
        assert rpc_module.transfer_properties is sdk_internals.outputs._transfer_properties
        assert resource_module.create_urn is sdk_internals.monitor._create_urn
        assert pulumi.Output.from_input is sdk_internals.outputs._from_input
        assert list(resource_module._get_stack_trace().frames) == []
    assert current() == sdk and isinstance(vars(pulumi.Output)["from_input"], staticmethod)  # put back as it was
    # Another pulumi version: the SDK's own functions run.
    with sdk_internals.mock_run_shims(version="3.273.0") as applied:
        assert not applied
        assert current() == sdk
    assert sdk_internals.pulumi_shims_apply() and not sdk_internals.pulumi_shims_apply("3.271.0")


def _shims_in() -> dict[str, bool]:
    """Whether each block's shims are in place: the mock-run shims, the analyzer's, the lazy service packages."""
    import dataclasses

    import pulumi_policy.policy as policy_module
    from pulumi.runtime import stack as stack_module

    from tools import sdk_internals

    return {"mock run": stack_module.wait_for_rpcs is sdk_internals.outputs._wait_for_rpcs
            and "exec" in vars(dataclasses),
            "analyzer": policy_module._PolicyAnalyzerServicer.Analyze is sdk_internals.analyzer._shared_analyze,
            "lazy packages": sdk_internals.lazy_aws._finder in sys.meta_path}


def _shim_blocks():
    from tools import sdk_internals

    return {"mock run": sdk_internals.mock_run_shims, "analyzer": sdk_internals.shared_property_conversion,
            "lazy packages": sdk_internals.lazy_service_packages}


@pytest.mark.parametrize("kind", ["mock run", "analyzer", "lazy packages"])
def test_shims_stay_in_until_the_last_run_of_the_process_leaves_whichever_entered_first(kind):
    """Two runs in two threads, each in its own block: the first to enter leaves first, and the shims stay in for
    the other until it leaves too (the first used to take them out under the second)."""
    import threading

    block, events, seen = _shim_blocks()[kind], {n: threading.Event() for n in ("in", "both", "left")}, {}

    def first():
        with block():
            events["in"].set()
            events["both"].wait(10)
        events["left"].set()

    def second():
        events["in"].wait(10)
        with block() as given:
            seen["given"] = given
            events["both"].set()
            events["left"].wait(10)
            seen["after the first left"] = _shims_in()[kind]

    assert not any(_shims_in().values())
    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert seen["after the first left"] is True and seen["given"] not in (False, None)
    assert not any(_shims_in().values())  # out once the last has left


def test_two_threads_requests_share_the_analyzers_shims_but_not_their_memos():
    """One thread ending its request neither closes nor clears another thread's open request."""
    import threading

    from google.protobuf import struct_pb2

    from tools import sdk_internals

    message = json_format.ParseDict({"a": 1}, struct_pb2.Struct())
    seen, events = {}, {n: threading.Event() for n in ("open", "closed")}
    with sdk_internals.shared_property_conversion() as request_scope:
        conversions = sdk_internals.analyzer.policy_module.json_format._conversions

        def other():
            with request_scope():
                first = conversions.message_to_dict(message)
                events["open"].set()
                events["closed"].wait(10)
                seen["still open"] = conversions.active
                seen["memo kept"] = conversions.message_to_dict(message) is first

        thread = threading.Thread(target=other)
        thread.start()
        events["open"].wait(10)
        with request_scope():
            assert conversions.message_to_dict(message) is not None  # this thread's own request, then its end
        events["closed"].set()
        thread.join(10)
    assert seen == {"still open": True, "memo kept": True}


def test_the_lazy_packages_block_ends_cleanly_when_something_else_took_its_finder_out():
    from tools import sdk_internals

    with sdk_internals.lazy_service_packages() as applied:
        assert applied
        sys.meta_path.remove(sdk_internals.lazy_aws._finder)
    assert sdk_internals.lazy_aws._finder not in sys.meta_path


def test_one_shared_install_puts_in_once_and_takes_out_once_for_nested_and_overlapping_holders():
    from tools.sdk_internals.pins import SharedInstall

    calls = []
    shared = SharedInstall(lambda: calls.append("in") or len(calls), lambda given: calls.append(("out", given)))
    with shared.hold() as outer:
        with shared.hold() as inner:
            assert inner == outer == 1
        assert calls == ["in"]
    assert calls == ["in", ("out", 1)]
    with shared.hold() as again:
        assert again == 3  # a new put-in once all had left
    assert calls == ["in", ("out", 1), "in", ("out", 3)]


# A dataclass of each kind the program declares: frozen with defaults, a default factory, a keyword-only field,
# and a class with slots and order. Compiled without this module's `from __future__ import annotations`, as the
# program's modules are compiled: their annotations are types.
_DATACLASSES = """
import dataclasses
from typing import Optional

@dataclasses.dataclass(frozen=True)
class Frozen:
    name: str
    port: int = 8000
    tags: tuple = ()
    note: Optional[str] = None

@dataclasses.dataclass(order=True, slots=True)
class Ordered:
    weight: int
    items: list = dataclasses.field(default_factory=list)
    _: dataclasses.KW_ONLY
    label: str = "x"
"""


def _declared_dataclasses() -> dict:
    namespace: dict = {"__name__": "declared"}
    exec(compile(_DATACLASSES, "<declared>", "exec", dont_inherit=True), namespace)
    return namespace


def _generated_methods(cls) -> dict:
    return {name: getattr(cls, name).__code__ for name in ("__init__", "__repr__", "__eq__", "__hash__", "__lt__",
                                                             "__setattr__", "__delattr__")
            if getattr(getattr(cls, name, None), "__code__", None) is not None}


def test_dataclasses_compile_each_generated_method_once_and_make_the_same_classes(monkeypatch):
    """Each run imports the program's modules afresh, and `@dataclass` compiled every generated method's text
    again (85 % of the import). With the shim, a text is compiled once; the classes are the standard library's:
    the same code, annotations (types, not the strings a `__future__` flag would make), behaviour."""
    import dataclasses

    from tools.sdk_internals import dataclass_code

    plain = _declared_dataclasses()
    compiled = []
    monkeypatch.setattr(dataclass_code, "compile", lambda *a, **k: compiled.append(a[0]) or compile(*a, **k),
                        raising=False)
    monkeypatch.setattr(dataclass_code, "_compiled", {})
    assert dataclass_code.install()
    try:
        assert dataclasses.exec is dataclass_code._exec
        first, second = _declared_dataclasses(), _declared_dataclasses()
    finally:
        dataclass_code.uninstall()
    assert "exec" not in vars(dataclasses)
    assert compiled and len(compiled) == len(set(compiled)) == len(dataclass_code._compiled)  # once per text
    for name in ("Frozen", "Ordered"):
        ours, again, theirs = first[name], second[name], plain[name]
        assert ours is not again  # classes of their own, as a fresh import makes them
        for method, code in _generated_methods(theirs).items():
            for cls in (ours, again):
                shimmed = getattr(cls, method).__code__
                assert (shimmed.co_code, shimmed.co_consts, shimmed.co_names, shimmed.co_varnames,
                        shimmed.co_filename, shimmed.co_flags) == (code.co_code, code.co_consts, code.co_names,
                                                                   code.co_varnames, code.co_filename, code.co_flags)
                assert getattr(cls, method).__qualname__ == f"{name}.{method}"
        assert ours.__init__.__annotations__.keys() == theirs.__init__.__annotations__.keys()
        assert all(not isinstance(v, str) for v in ours.__init__.__annotations__.values())
    assert repr(first["Frozen"]("a")) == "Frozen(name='a', port=8000, tags=(), note=None)"
    with pytest.raises(dataclasses.FrozenInstanceError):
        first["Frozen"]("a").port = 1
    assert first["Ordered"](1) < first["Ordered"](2, label="y") and first["Ordered"](1).items == []
    # Both kept alive: two temporaries in one expression may share an address, and so an identity hash.
    one, same, other = first["Frozen"]("a"), first["Frozen"]("a"), first["Frozen"]("b")
    assert one is not same and hash(one) == hash(same) != hash(other)


def test_the_dataclass_shim_goes_in_with_the_mock_run_shims_and_only_on_its_python(monkeypatch):
    import dataclasses

    from tools import sdk_internals
    from tools.sdk_internals import dataclass_code

    with sdk_internals.mock_run_shims() as applied:
        assert applied and dataclasses.exec is dataclass_code._exec
    assert "exec" not in vars(dataclasses)
    # Another Python's dataclasses may compile otherwise: its own `exec` runs.
    assert not dataclass_code.install((3, 12)) and "exec" not in vars(dataclasses)
    monkeypatch.setattr(sdk_internals.pins, "DATACLASSES_PYTHON", (3, 12))
    with sdk_internals.mock_run_shims() as applied:
        assert applied and "exec" not in vars(dataclasses)  # the pulumi shims go in; this one does not


def test_lazy_service_packages_need_the_pinned_pulumi_aws_and_the_pinned_pulumi(monkeypatch):
    """The lazy type modules hook pulumi's `_types._globals_for_cls`: on another pulumi, no lazy packages."""
    from tools import sdk_internals

    with sdk_internals.lazy_service_packages() as applied:
        assert applied and sdk_internals.lazy_aws._finder in sys.meta_path
    assert sdk_internals.lazy_aws._finder not in sys.meta_path
    assert not sdk_internals.aws_shims_apply("7.52.0")
    monkeypatch.setattr(sdk_internals.pins, "PULUMI_VERSION", "3.273.0")
    assert not sdk_internals.aws_shims_apply()
    with sdk_internals.lazy_service_packages() as applied:
        assert not applied and sdk_internals.lazy_aws._finder not in sys.meta_path


def test_the_analyzer_shim_steps_aside_on_another_pulumi_policy_version(monkeypatch):
    import pulumi_policy.policy as policy_module

    from tools import sdk_internals

    shipped = policy_module.deserialize_properties
    monkeypatch.setattr(sdk_internals.pins, "PULUMI_POLICY_VERSION", "1.22.0")
    with sdk_internals.shared_property_conversion() as request_scope:
        assert policy_module.deserialize_properties is shipped
        with request_scope():
            pass
    # In this process, where the pin is patched (a policy worker would read its own), counting the conversions: the
    # shipped analyzer converts each resource once per policy, the shim about once per resource.
    from tools import policyworker
    expected = compliant_violations_without_speed_ups()  # before the counter goes in: it may make that run now
    monkeypatch.setattr(policyworker, "start", lambda *args, **kwargs: None)
    converted = []
    real = json_format.MessageToDict
    monkeypatch.setattr(json_format, "MessageToDict", lambda *a, **k: converted.append(1) or real(*a, **k))
    result = run_preview("test", COMPLIANT, PACK)
    assert result.error is None
    assert len(converted) > 10 * len(result.resources)
    assert result.violations == expected


def test_the_monitors_sync_await_runs_a_coroutine_that_never_waits_and_hands_on_one_that_does(monkeypatch):
    import asyncio

    from tools import sdk_internals

    handed_on = []
    real = sdk_internals.monitor._sdk_sync_await
    monkeypatch.setattr(sdk_internals.monitor, "_sdk_sync_await",
                        lambda awaitable: handed_on.append(1) or real(awaitable))

    async def plain(value):
        return value

    async def waits(value):
        await asyncio.sleep(0)
        return await plain(value)

    async def fails(first_wait):
        if first_wait:
            await asyncio.sleep(0)
        raise ValueError("from the coroutine")

    assert sdk_internals.monitor._sync_await(plain({"a": [1]})) == {"a": [1]} and handed_on == []
    assert sdk_internals.monitor._sync_await(waits(7)) == 7 and handed_on == [1]
    for first_wait in (False, True):
        with pytest.raises(ValueError, match="from the coroutine"):
            sdk_internals.monitor._sync_await(fails(first_wait))


class _FixedState:
    """Mocks whose every resource has the given state, whatever its inputs (not `EchoingMocks`)."""

    def __init__(self, state):
        self.state = state

    def new_resource(self, args):
        return "some-id", self.state

    def call(self, args):
        return {}


_SECRET = {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "value": "s3cr3t"}


@pytest.mark.parametrize("echoing,inputs,echoed", [
    (True, {"name": "svc", "port": 8080, "spec": {"listeners": [{"port": 80}], "empty": {}}}, True),
    (False, {"name": "svc", "port": 8080}, False),  # other mocks: their state need not be the inputs
    (True, {"name": "svc", "spec": {"tls": None}}, False),  # a null, which the SDK drops
    (True, {"name": "svc", "password": _SECRET}, False),  # a secret, which the SDK pushes up a level
], ids=["echoing-mocks", "other-mocks", "null", "secret"])
def test_the_monitor_answers_from_the_request_only_where_the_sdk_would_give_the_same(echoing, inputs, echoed,
                                                                                     monkeypatch):
    from pulumi.runtime import settings as settings_module
    from pulumi.runtime.proto import resource_pb2

    from tools import sdk_internals
    from tools.mockrun import PreviewMocks

    monkeypatch.setattr(settings_module.SETTINGS, "dry_run", True)  # a preview, as set_mocks makes it
    mocks = (lambda: PreviewMocks("us-east-1", False)) if echoing else (lambda: _FixedState({"name": "svc"}))
    request = resource_pb2.RegisterResourceRequest(type="aws:ecs/service:Service", name="svc", custom=True)
    request.object.update(inputs)
    asked_the_sdk = []
    sdk = sdk_internals.monitor._sdk_register_resource
    monkeypatch.setattr(sdk_internals.monitor, "_sdk_register_resource",
                        lambda monitor, r: asked_the_sdk.append(r.name) or sdk(monitor, r))
    reply = sdk_internals.monitor._register_resource(_monitor(mocks()), request)
    assert asked_the_sdk == ([] if echoed else ["svc"])
    assert in_order(reply) == in_order(sdk(_monitor(mocks()), request))  # map order too
    assert reply.object.fields["name"].string_value == "svc"


def _monitor(mocks):
    from pulumi.runtime import mocks as mocks_module

    return mocks_module.MockMonitor(mocks)


def test_a_struct_round_trips_unless_it_holds_a_null_in_a_map_or_a_signature():
    from google.protobuf import struct_pb2

    from tools import sdk_internals

    def struct(value):
        message = struct_pb2.Struct()
        message.update(value)
        return message

    plain = {"name": "a", "port": 8080.0, "on": False, "spec": {"listeners": [{"port": 80}], "empty": {}},
             "tags": [], "arn": "04da6b54-80e4-46f7-96ec-b56ff0331ba9", "zero": 0}
    assert sdk_internals.monitor.round_trips(struct(plain))
    assert not sdk_internals.monitor.round_trips(struct({**plain, "spec": {"tls": None}}))  # dropped when deserialised
    assert not sdk_internals.monitor.round_trips(struct({**plain, "gone": None}))
    # kept, but the bytes say no: safe
    assert not sdk_internals.monitor.round_trips(struct({**plain, "listed": [None]}))
    secret = {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "value": "s3cr3t"}
    assert not sdk_internals.monitor.round_trips(struct({**plain, "nested": {"password": secret}}))


_TLS = {"tls:index/selfSignedCert:SelfSignedCert", "tls:index/certRequest:CertRequest",
        "tls:index/locallySignedCert:LocallySignedCert"}


@pytest.mark.parametrize("stack,overrides,unknown,answered_by_the_sdk", [
    # Their inputs hold secrets (the mesh's private keys, and the secret that stores them).
    ("dev", ["mesh.dataPlane=appmesh"], False, {ROOT_STACK_TYPE, "aws:secretsmanager/secretVersion:SecretVersion"} | _TLS),
    ("dev", [], True, {ROOT_STACK_TYPE, "aws:lambda/function:Function"}),  # the late callers' restart function
    # Their inputs hold archives, and the pager's subscription its secret endpoint.
    ("iot", [], False,
     {ROOT_STACK_TYPE, "aws:lambda/function:Function", "aws:sns/topicSubscription:TopicSubscription"}),
], ids=["dev-appmesh", "dev-unknown-outputs", "iot"])
def test_an_echoed_reply_is_the_reply_the_sdks_mock_monitor_gives(stack, overrides, unknown, answered_by_the_sdk,
                                                                   monkeypatch):
    """Every registration of a real stack: where the monitor answers from the request's own Struct, the SDK's
    MockMonitor (as shipped) gives the same reply, and the same state to `getResource`; the rest (the stack,
    secrets, archives) the SDK answers. The preview keeps an echoed state as its `EchoedState`, which builds
    the reply's Struct again, map order included; any other state as the reply's Struct."""
    from pulumi.runtime import mocks as mocks_module
    from pulumi.runtime.proto import resource_pb2

    from tools import mockrun, sdk_internals

    echoed, answered, replies = [], [], {}
    sdk = sdk_internals.monitor._sdk_register_resource
    monkeypatch.setattr(sdk_internals.monitor, "_sdk_register_resource",
                        lambda monitor, request: answered.append(request.type) or sdk(monitor, request))

    def looked_up(monitor, urn):
        lookup = resource_pb2.ResourceInvokeRequest(tok="pulumi:pulumi:getResource")
        lookup.args.update({"urn": urn})
        return getattr(monitor.Invoke(lookup), "return")

    def both(monitor, request):
        asked = len(answered)
        reply = sdk_internals.monitor._register_resource(monitor, request)
        replies[reply.urn] = in_order(reply.object), len(answered) == asked
        if len(answered) == asked:  # echoed: the SDK's own monitor must give the same
            echoed.append(request.type)
            sdk_monitor = mocks_module.MockMonitor(monitor.mocks)
            sdk_monitor.make_urn = monitor.make_urn  # URNs as the engine makes them (CapturingMonitor.make_urn)
            sdk_reply = _SDK_REGISTER_RESOURCE(sdk_monitor, request)
            # Equal, and in the same map order (which the program's outputs and the stack policies see).
            assert in_order(reply) == in_order(sdk_reply), request.name
            assert in_order(looked_up(monitor, reply.urn)) == in_order(looked_up(sdk_monitor, reply.urn))
        return reply

    monkeypatch.setattr(sdk_internals.program, "_MOCK_RUN_SHIMS", tuple(
        (module, name, both if name == "RegisterResource" else shim)
        for module, name, shim in sdk_internals.program._MOCK_RUN_SHIMS))
    settings = mockrun.load_stack_settings(ROOT, stack, overrides)
    run = mockrun.run_program(settings, unknown_outputs=unknown)
    assert len(echoed) + len(answered) == len(run.resources)
    assert set(answered) == answered_by_the_sdk
    for resource in run.resources:
        if resource.type != ROOT_STACK_TYPE:  # the stack's state is its outputs, registered later
            state, was_echoed = replies[resource.urn]
            assert isinstance(resource.state, sdk_internals.EchoedState) == was_echoed, resource.urn
            assert in_order(resource.state_struct) == state, resource.urn
    # A kept state compares by value (so does a resource), as across xdist workers' pickles.
    resource = next(r for r in run.resources if isinstance(r.state, sdk_internals.EchoedState))
    assert pickle.loads(pickle.dumps(resource)) == resource


def test_an_echoed_state_compares_and_prints_as_its_struct_unknowns_included():
    from google.protobuf import struct_pb2
    from pulumi.runtime import rpc

    from tools.sdk_internals import EchoedState

    def state(bucket) -> EchoedState:
        inputs = struct_pb2.Struct()
        inputs.update({"bucket": bucket, "tags": {"x": "y"}})
        return EchoedState(inputs, {"arn": "arn:aws:s3:::b"})

    # Deserialised outside a run, an unknown is dropped: the two would look equal as mappings.
    assert state(rpc.UNKNOWN) != state("known") and state(rpc.UNKNOWN) == state(rpc.UNKNOWN)
    assert pickle.loads(pickle.dumps(state(rpc.UNKNOWN))) == state(rpc.UNKNOWN)
    assert rpc.UNKNOWN in repr(state(rpc.UNKNOWN))


_SDK_REGISTER_RESOURCE = __import__("pulumi.runtime.mocks", fromlist=["MockMonitor"]).MockMonitor.RegisterResource


def in_order(message):
    """A message as nested lists, each map's keys in the order it iterates them (`==` on messages ignores it)."""
    from google.protobuf import struct_pb2

    if isinstance(message, struct_pb2.Struct):
        return [(key, in_order(message[key])) for key in message.keys()]
    if isinstance(message, struct_pb2.ListValue):
        return [in_order(item) for item in message]
    if hasattr(message, "ListFields"):
        return [(field.name, in_order(value)) for field, value in message.ListFields()]
    return message


def test_in_order_sees_the_order_of_a_maps_keys():
    from google.protobuf import struct_pb2

    keys = [f"k{i}" for i in range(4)]  # the order a upb map iterates in depends on how it was built
    first, second = struct_pb2.Struct(), struct_pb2.Struct()
    first.update({"nested": {key: 1 for key in keys}})
    second.update({"nested": {key: 1 for key in reversed(keys)}})
    assert first == second and in_order(first) != in_order(second)


def test_unwrapped_types_are_the_sdks_answers_remembered_per_annotation(monkeypatch):
    import typing

    import pulumi_aws as aws

    from tools import sdk_internals

    asked = []
    sdk_unwrap_type = sdk_internals.outputs._sdk_unwrap_type
    monkeypatch.setattr(sdk_internals.outputs, "_unwrapped", {})
    monkeypatch.setattr(sdk_internals.outputs, "_sdk_unwrap_type",
                        lambda typ: asked.append(typ) or sdk_unwrap_type(typ))
    hints = [str, typing.Optional[str], pulumi.Input[str], pulumi.Output[int],
             typing.Optional[pulumi.Input[typing.Sequence[pulumi.Input[str]]]],
             pulumi.Input[aws.ecs.ServiceServiceConnectConfigurationArgs],
             typing.Optional[pulumi.Input[typing.Mapping[str, pulumi.Input[str]]]]]
    for _ in range(2):
        assert [sdk_internals.outputs._unwrap_type(hint) for hint in hints] == [sdk_unwrap_type(hint) for hint in hints]
    assert asked == hints  # each asked of the SDK once
    # Equal annotations are not the same question: the SDK reads a union's arguments in order.
    assert sdk_internals.outputs._unwrap_type(typing.Optional[int]) is int
    with pytest.raises(AssertionError):
        sdk_internals.outputs._unwrap_type(typing.Union[None, int])
    unhashable = typing.Annotated[pulumi.Input[str], []]  # an id needs no hash
    assert sdk_internals.outputs._unwrap_type(unhashable) == sdk_unwrap_type(unhashable)


def test_the_unwrapped_types_are_forgotten_when_the_run_ends():
    """A run imports the program's modules afresh: their annotations, kept, would keep each run's modules."""
    from tools import sdk_internals

    with sdk_internals.mock_run_shims():
        class Args:  # as a program's own annotation
            pass
        sdk_internals.outputs._unwrap_type(typing.Optional[Args])
        assert sdk_internals.outputs._unwrapped
    assert sdk_internals.outputs._unwrapped == {}


def test_contains_unknowns_answers_as_the_sdks_and_leaves_no_cycle_behind():
    from pulumi.output import UNKNOWN, Unknown

    from tools import sdk_internals

    sdk = _SDK_CONTAINS_UNKNOWNS
    looped: dict = {"a": [1]}
    looped["self"] = looped
    class EqualityOnly(type):  # a metaclass with __eq__ and no __hash__: its classes cannot go in a set
        def __eq__(cls, other):
            return cls is other

    class Unhashable(metaclass=EqualityOnly):
        pass

    values = [None, 1, "x", UNKNOWN, Unknown(), [1, UNKNOWN], {"a": {"b": [UNKNOWN]}}, {"a": {"b": [1, "c"]}},
              looped, {"twice": [looped, UNKNOWN]}, ("tuples", UNKNOWN), Unhashable(), {"v": [Unhashable()]}]
    assert [sdk_internals.outputs._contains_unknowns(v) for v in values] == [sdk(v) for v in values]
    shim = sdk_internals.outputs._contains_unknowns

    class Counted(dict):  # as pulumi_aws's output types, whose __getitem__ may log a warning: read as often
        reads = 0

        def __getitem__(self, key):
            type(self).reads += 1
            return super().__getitem__(key)

    for contains_unknowns in (sdk, shim):
        Counted.reads = 0
        assert not contains_unknowns(Counted(a="x", b=1, c=Counted(d=None)))
        assert Counted.reads == 4, contains_unknowns
    assert shim(Counted(a=1, b=UNKNOWN)) and shim([Counted(c=[UNKNOWN])])
    assert shim({"a": [UNKNOWN]}) and not shim({"a": [1]})
    def closures_left_for_the_collector(contains_unknowns) -> int:
        """Functions the call leaves in reference cycles (others' garbage, from other threads, not counted)."""
        flags = gc.get_debug()
        gc.collect()
        gc.set_debug(gc.DEBUG_SAVEALL)
        try:
            contains_unknowns({"a": [1, 2]})
            gc.collect()
            return sum(1 for o in gc.garbage if getattr(o, "__qualname__", "").startswith(
                ("contains_unknowns", "_contains_unknowns", "_unknown_in")))
        finally:
            gc.set_debug(flags)
            gc.garbage.clear()

    assert closures_left_for_the_collector(sdk) == 1  # the SDK's `impl`, which refers to itself
    assert closures_left_for_the_collector(sdk_internals.outputs._contains_unknowns) == 0


def test_serialize_property_answers_as_the_sdks():
    import asyncio
    import enum

    from pulumi.output import UNKNOWN

    from tools import sdk_internals

    class Colour(str, enum.Enum):  # a str, but not a plain one: the SDK's path
        RED = "red"

    sdk, shim = sdk_internals.outputs._sdk_serialize_property, sdk_internals.outputs._serialize_property
    values = [None, True, 0, 2**70, 1.5, float("nan"), "", "x", UNKNOWN, Colour.RED, [1, "a", None], ("t", 1.0),
              {"a": {"b": [True, 2.0, UNKNOWN]}}, {"port": 8080}]

    def serialized(serialize, value, **options):
        async def run():
            deps: list = []
            return await serialize(value, deps, "key", **options), deps
        loop = asyncio.new_event_loop()  # its own: asyncio.run would leave the thread without one for later tests
        try:
            return loop.run_until_complete(run())
        finally:
            loop.close()

    def same(a, b) -> bool:  # NaN is not equal to itself
        return a == b or (a != a and b != b)

    for value in values:
        for options in ({}, {"return_protobuf_value": True}, {"keep_output_values": True}):
            expected, got = (serialized(f, value, **options) for f in (sdk, shim))
            assert same(got[0], expected[0]) and type(got[0]) is type(expected[0]), (value, options)
            assert got[1] == expected[1] == []
    # With a type annotation, which the SDK unwraps first (a union with None first fails there).
    for typ in (typing.Optional[str], typing.Union[str, int], typing.Union[None, str]):
        outcomes = []
        for f in (sdk, shim):
            try:
                outcomes.append(serialized(f, "x", typ=typ))
            except AssertionError:
                outcomes.append(AssertionError)
        assert outcomes[0] == outcomes[1], typ
    with pytest.raises(AssertionError):
        serialized(shim, 1, typ=typing.Union[None, int])
    # Its recursion comes back to the shim when it is in place, with the same answers.
    with sdk_internals.mock_run_shims():
        nested = [serialized(shim, v)[0] for v in values[10:]]
    assert nested == [serialized(sdk, v)[0] for v in values[10:]]


def test_transferred_properties_resolve_as_the_sdks_without_a_task_each():
    """Each output property the shim makes is one future its resolver fills: the same data (value, known, secret,
    the resource joined to the dependencies) or the same failure as the SDK's four futures and task, for a custom
    resource (no `urn` or `id` output) and a component (an `id` output)."""
    import asyncio

    from pulumi.output import UNKNOWN
    from pulumi.runtime import rpc as rpc_module
    from pulumi.runtime.settings import SETTINGS

    from tools import sdk_internals

    class Resource:
        def __init__(self, name):
            self.name = name

        def __repr__(self):
            return self.name

    dependency = Resource("dependency")
    failure = RuntimeError("the mock refused the resource")
    resolutions = {  # property -> (value, is_known, is_secret, deps, failed), as the SDK's callers pass them
        "arn": ("arn:aws:x", True, False, {dependency}, None),
        "tags": ({"a": UNKNOWN}, True, False, None, None),  # known, but holding an unknown: not known
        "password": ("s3cret", True, True, set(), None),
        "dnsName": (None, False, False, None, None),
        "id": ("id-1", True, False, None, None),
    }

    async def made_by(transfer, custom, failed):
        resource = Resource("resource")
        props = dict.fromkeys(["urn", *resolutions])
        tasks_before = len(asyncio.all_tasks())
        resolvers = transfer(resource, props, custom)
        tasks_made = len(asyncio.all_tasks()) - tasks_before
        assert all(getattr(resource, name)._data in SETTINGS.outputs for name in resolvers)  # tracked, as the SDK's
        for name, resolve in resolvers.items():
            resolve(*(resolutions[name][:4] + (failure,) if failed else resolutions[name]))
        seen = {}
        for name in resolvers:
            try:
                data = await getattr(resource, name)._data
                seen[name] = (data.value, data.is_known, data.is_secret, sorted(map(repr, data.resources)))
            except RuntimeError as exc:
                seen[name] = exc
        return sorted(resolvers), tasks_made, seen

    loop = asyncio.new_event_loop()
    # The failures nobody reads (the SDK's known and secret futures, the shim's one): asyncio would report each.
    loop.set_exception_handler(lambda _, context: None)
    saved = SETTINGS.outputs
    SETTINGS.outputs = set()
    try:
        for custom in (True, False):
            for failed in (False, True):
                names, sdk_tasks, expected = loop.run_until_complete(
                    made_by(rpc_module.transfer_properties, custom, failed))
                shim_names, shim_tasks, got = loop.run_until_complete(
                    made_by(sdk_internals.outputs._transfer_properties, custom, failed))
                assert shim_names == names and ("id" in names) is not custom
                assert sdk_tasks == len(names) and shim_tasks == 0
                assert {n: repr(v) for n, v in got.items()} == {n: repr(v) for n, v in expected.items()}
                if failed:
                    assert all(v is failure for v in got.values())
                    # one unread failure an output, kept for the log until its run (its loop) lets it go
                    unread = sdk_internals.outputs._unread_failures
                    assert [f.exception() for f in unread] == [failure] * len(names)
                    other_run = asyncio.new_event_loop()
                    sdk_internals.outputs.release_unread_failures(other_run)
                    other_run.close()
                    assert len(unread) == len(names)
                    sdk_internals.outputs.release_unread_failures(loop)
                    assert unread == []
                else:
                    assert got["arn"][3] == ["dependency", "resource"] and got["dnsName"][3] == ["resource"]
                    assert got["tags"][1] is False and got["password"][2] is True
    finally:
        SETTINGS.outputs = saved
        loop.close()


def test_from_input_gives_plain_data_at_once_and_everything_else_as_the_sdk_does():
    """From a non-empty dict or list of plain data, the shim's output is the one the SDK's tasks end with (the
    same value, a copy where the SDK copies, the same empty containers; known, not secret, no resources), made at
    once (no task); from anything else (an output, an unknown, a tuple, a subclass, a key that is no string) the
    SDK's own function answers, and the two resolve alike."""
    import asyncio

    from pulumi.output import UNKNOWN
    from pulumi.runtime.settings import SETTINGS

    from tools import sdk_internals

    sdk = sdk_internals.outputs._sdk_from_input
    shim = sdk_internals.outputs._from_input
    empty_dict, empty_list = {}, []
    plain = [{"a": "x", "b": 1, "c": 2.5, "d": True, "e": None, "f": empty_dict, "g": empty_list},
             [1, "two", [3, {"four": [5.0]}], {"z": 1, "a": 2}], {"only": {"nested": {"deep": ["x"]}}}]

    class Tags(dict):
        pass

    async def holding_an_output():
        return (await shim([pulumi.Output.from_input("late")])._data).value

    def others():
        return [{"a": UNKNOWN}, [1, UNKNOWN], {1: "number key"}, ("a", "tuple"), [("in", "a", "list")],
                Tags(a="1"), {"tags": Tags(a="1")}, [pulumi.Output.from_input("x")], {}, [], "text", 7, None]

    def seen(data):
        return (repr(data.value), data.is_known, data.is_secret, data.resources)

    async def resolved(from_input, values):
        outputs, found = [from_input(value) for value in values], []
        for output in outputs:
            try:
                found.append(seen(await output._data))
            except TypeError as exc:  # `Output.all(**d)` refuses a key that is no string
                found.append(repr(exc))
        return found, outputs

    async def made_at_once(values):
        tasks_before = len(asyncio.all_tasks())
        outputs = [shim(value) for value in values]
        assert all(output._data in SETTINGS.outputs for output in outputs)  # tracked, as the SDK's
        return outputs, len(asyncio.all_tasks()) - tasks_before

    loop = asyncio.new_event_loop()
    saved = SETTINGS.outputs
    SETTINGS.outputs = set()
    try:
        sdk_seen, _ = loop.run_until_complete(resolved(sdk, plain))
        shim_outputs, tasks_made = loop.run_until_complete(made_at_once(plain))
        assert tasks_made == 0  # each output resolved as it is made
        assert all(output._data.done() for output in shim_outputs)
        assert [seen(output._data.result()) for output in shim_outputs] == sdk_seen
        assert all(seen(output._data.result())[1:] == (True, False, set()) for output in shim_outputs)
        first, second = (output._data.result().value for output in shim_outputs[:2])
        assert first is not plain[0] and first["f"] is empty_dict and first["g"] is empty_list  # as the SDK's
        assert second[2] is not plain[1][2] and list(second[3]) == ["z", "a"]
        sdk_others, _ = loop.run_until_complete(resolved(sdk, others()))
        shim_others, outputs = loop.run_until_complete(resolved(shim, others()))
        assert shim_others == sdk_others and [s[1] for s in shim_others[:2]] == [False, False]
        assert "keywords must be strings" in shim_others[2]
        assert loop.run_until_complete(holding_an_output()) == ["late"]
    finally:
        SETTINGS.outputs = saved
        loop.close()


def test_a_urn_is_made_as_the_sdks_create_urn_makes_it(monkeypatch):
    """From strings, the shim's URN is the SDK's, as a known, not secret output with no dependencies, made at
    once (no task); from an output or with an output parent, the SDK's own function answers."""
    import asyncio

    from pulumi.runtime import resource as resource_module
    from pulumi.runtime import settings as settings_module

    from tools import sdk_internals

    # Without a parent, project or stack, both read the run's settings.
    monkeypatch.setattr(settings_module, "get_project", lambda: "settings-project")
    monkeypatch.setattr(settings_module, "get_stack", lambda: "settings-stack")

    sdk, shim = resource_module.create_urn, sdk_internals.monitor._create_urn
    parent = "urn:pulumi:dev::service-mesh-platform::service-mesh-platform:index:Platform::platform"
    cases = [("logs", "aws:s3/bucket:Bucket", None, "proj", "dev"),
             ("logs", "aws:s3/bucket:Bucket", None, None, None),
             ("logs", "aws:s3/bucket:Bucket", parent, None, None),
             ("child", "aws:s3/bucket:Bucket", parent + "$x:y:Z::mid", "ignored", "ignored"),
             (pulumi.Output.from_input("logs"), "aws:s3/bucket:Bucket", None, "proj", "dev"),
             ("logs", "aws:s3/bucket:Bucket", pulumi.Output.from_input(parent), None, None)]

    async def made(create, case):
        tasks_before = len(asyncio.all_tasks())
        output = create(*case)
        tasks = len(asyncio.all_tasks()) - tasks_before
        data = await output._data
        return (data.value, data.is_known, data.is_secret, data.resources), tasks

    loop = asyncio.new_event_loop()
    urns = []
    try:
        for index, case in enumerate(cases):
            expected, sdk_tasks = loop.run_until_complete(made(sdk, case))
            got, shim_tasks = loop.run_until_complete(made(shim, case))
            assert got == expected and got[1:] == (True, False, set()), case
            assert sdk_tasks > 0 and (shim_tasks == 0) is (index < 4), case
            urns.append(got[0])
        assert urns[:4] == ["urn:pulumi:dev::proj::aws:s3/bucket:Bucket::logs",
                            "urn:pulumi:settings-stack::settings-project::aws:s3/bucket:Bucket::logs",
                            "urn:pulumi:dev::service-mesh-platform::service-mesh-platform:index:Platform"
                            "$aws:s3/bucket:Bucket::logs",
                            "urn:pulumi:dev::service-mesh-platform::service-mesh-platform:index:Platform::platform"
                            "$x:y:Z$aws:s3/bucket:Bucket::child"]
    finally:
        loop.close()


_SDK_CONTAINS_UNKNOWNS = __import__("pulumi.runtime.rpc", fromlist=["contains_unknowns"]).contains_unknowns


def test_outputs_are_tracked_until_a_sweep_drops_the_succeeded_ones():
    import asyncio

    from pulumi.runtime.settings import SETTINGS

    from tools import sdk_internals

    class Tracked:
        def __init__(self, future):
            self._data = future

    loop = asyncio.new_event_loop()
    saved = SETTINGS.outputs
    SETTINGS.outputs = set()
    try:
        succeeded, failed, cancelled, pending = (loop.create_future() for _ in range(4))
        succeeded.set_result(1)
        failed.set_exception(ValueError("failed"))
        cancelled.cancel()
        for future in (succeeded, failed, cancelled, pending):
            sdk_internals.outputs._track(Tracked(future))
        assert SETTINGS.outputs == {succeeded, failed, cancelled, pending}  # no sweep yet: all four kept
        fillers = [loop.create_future() for _ in range(4096 - 4)]
        for future in fillers:
            future.set_result(None)
            sdk_internals.outputs._track(Tracked(future))
        # The set reached 4096: the sweep drops what succeeded and keeps failures for the wait at the end.
        assert SETTINGS.outputs == {failed, cancelled, pending}
        # The next sweep waits until the set is twice what the last left, plus 4096: 4102.
        for future in fillers + fillers[:6]:
            sdk_internals.outputs._track(Tracked(future))
        assert len(SETTINGS.outputs) == 3 + 4092
        again = [loop.create_future() for _ in range(7)]
        for future in again:
            future.set_result(None)
            sdk_internals.outputs._track(Tracked(future))
        assert SETTINGS.outputs == {failed, cancelled, pending}
        # Each run has its own set: a new one starts from no sweep.
        SETTINGS.outputs = set()
        sdk_internals.outputs._track(Tracked(succeeded))
        assert SETTINGS.outputs == {succeeded}
    finally:
        SETTINGS.outputs = saved
        loop.close()


def test_monitor_calls_run_on_the_loops_thread_at_once_and_a_waiting_serialisation_still_finishes():
    import asyncio
    import concurrent.futures
    import threading

    from tools import sdk_internals

    loop = asyncio.new_event_loop()
    try:
        assert sdk_internals.run_monitor_calls_inline(loop)
        order = []

        async def other_task():
            order.append("other task")

        async def serialised_after_a_wait():
            await asyncio.sleep(0)
            return "state"

        def monitor_call():  # as the mock monitor's RegisterResource: it serialises with _sync_await
            order.append(threading.current_thread() is threading.main_thread())
            state = sdk_internals.monitor._sync_await(serialised_after_a_wait())
            order.append("call returned")
            return state

        def failing_call():
            raise ValueError("from the monitor")

        async def program():
            other = asyncio.ensure_future(other_task())
            state = await loop.run_in_executor(None, monitor_call)
            with pytest.raises(ValueError, match="from the monitor"):
                await loop.run_in_executor(None, failing_call)
            with concurrent.futures.ThreadPoolExecutor(1) as pool:  # an executor given is used as asked
                in_pool = await loop.run_in_executor(pool, lambda: threading.current_thread().name)
            await other
            return state, in_pool

        state, in_pool = loop.run_until_complete(program())
        # The call ran on this thread; pumping the loop while its serialisation waited let the other task run.
        assert state == "state" and order == [True, "other task", "call returned"]
        assert in_pool != threading.current_thread().name
    finally:
        loop.close()
    another = asyncio.new_event_loop()
    try:
        assert not sdk_internals.run_monitor_calls_inline(another, version="3.0.0")
        assert not sdk_internals.run_monitor_calls_inline(another, enabled=False)
        assert "run_in_executor" not in vars(another)  # the SDK's thread pool, as shipped
    finally:
        another.close()


class _Node:
    """Stands in for a Resource: the cycle check reads and writes only attributes on it."""

    def __init__(self, label: int):
        self.label = label


@pytest.mark.parametrize("seed", range(6))
def test_the_incremental_cycle_check_answers_as_the_sdks_does(seed):
    """The same sequence of declared dependencies, on two copies of a graph: the SDK's check (a walk of all
    that the new dependency reaches) and the shim's (a bounded walk over a topological order) refuse the
    same ones and record the same graph, cycles and self-dependencies included."""
    import random

    from pulumi.runtime import resource_cycle_breaker as cycle_module

    from tools import sdk_internals

    rng = random.Random(seed)
    size = 40
    sdk_nodes, shim_nodes = [_Node(i) for i in range(size)], [_Node(i) for i in range(size)]
    answers = []
    for _ in range(400):
        a, b = rng.randrange(size), rng.randrange(size)
        expected = cycle_module.declare_dependency(sdk_nodes[a], sdk_nodes[b])
        assert sdk_internals.dependencies._declare_dependency(shim_nodes[a], shim_nodes[b]) == expected, (a, b)
        answers.append(expected)
    assert True in answers and False in answers  # both kinds of answer were exercised

    def graph(nodes):
        return [sorted(d.label for d in cycle_module._deps(n)) for n in nodes]
    assert graph(shim_nodes) == graph(sdk_nodes)
    attribute = sdk_internals.dependencies._PLACE
    place = {n.label: getattr(n, attribute) for n in shim_nodes if hasattr(n, attribute)}
    assert all(place[d.label] < place[n.label] for n in shim_nodes for d in cycle_module._deps(n))


def _program(directory: Path, name: str, main: str) -> Path:
    """A throwaway Pulumi program with an empty `test` stack."""
    program = directory / name
    program.mkdir()
    (program / "Pulumi.yaml").write_text(f"name: {name}\nruntime: python\n")
    (program / "Pulumi.test.yaml").write_text("config: {}\n")
    (program / "__main__.py").write_text(main)
    return program


@pytest.mark.parametrize("optimise", [True, False])
def test_a_dependency_cycle_is_refused_with_and_without_the_shims(optimise, tmp_path):
    program = _program(tmp_path, "cycle",
        "import pulumi\n"
        "class Box(pulumi.ComponentResource):\n"
        "    def __init__(self, name, opts=None):\n"
        "        super().__init__('test:index:Box', name, None, opts)\n"
        "a = Box('a')\n"
        "b = Box('b', pulumi.ResourceOptions(depends_on=[a]))\n"
        "a_child = pulumi.CustomResource('test:index:Thing', 'in-a', {}, pulumi.ResourceOptions(parent=a, depends_on=[b]))\n")
    result = run_preview("test", program, optimise=optimise)
    assert result.error is not None and "circular dependency" in result.error


def test_a_second_different_failure_is_still_logged(tmp_path, caplog):
    """Only the reported failure (and what it caused) is kept out of asyncio's log; another bug is not."""
    program = _program(tmp_path, "two_failures", _INPUT_FROM_A_FAILURE +
                       "def other(value):\n"
                       "    raise KeyError('a different bug')\n"
                       "aws.s3.Bucket('other', bucket=logs.id.apply(other))\n")
    with caplog.at_level("ERROR", logger="asyncio"):
        result = run_preview("test", program)
        gc.collect()
    logged = "\n".join(str(r.exc_info[1]) for r in caplog.records if r.exc_info)
    reported_bug = "no bucket name" in result.error
    assert ("a different bug" in logged) == reported_bug and ("no bucket name" in logged) != reported_bug


@pytest.mark.parametrize("body,named", [
    ("raise KeyError('tool bug')", ("fake.py", 2)),  # a bug in this tool: its own line
    ("json.loads('{')", ("decoder.py", None)),  # this tool ran what failed (as it runs a program): not its line
], ids=["raised-in-this-tool", "raised-below-this-tool"])
def test_the_error_line_names_a_raise_in_this_tool_but_not_this_tool_as_a_caller(body, named):
    from tools.preview import _program_frame

    namespace: dict = {"json": json}
    exec(compile(f"def fail():\n    {body}\n", str(ROOT / "tools" / "fake.py"), "exec"), namespace)
    try:
        namespace["fail"]()
    except (KeyError, ValueError) as exc:
        frame = _program_frame(exc.with_traceback(exc.__traceback__.tb_next))  # from fail() in, as tools run it
    assert Path(frame.filename).name == named[0] and named[1] in (None, frame.lineno)


@pytest.mark.parametrize("rpc_fails", [False, True], ids=["outputs-failed-before-the-wait", "the-wait-raises-first"])
def test_the_wait_asks_every_ended_output_whether_it_failed(rpc_fails):
    """Outputs that have already failed when the wait takes them, and those it never reaches because a
    registration failed first: each is asked (so asyncio will not log it as never retrieved), as the SDK's
    done callback asks every output."""
    import asyncio

    from pulumi.runtime.rpc_manager import RPCManager
    from pulumi.runtime.settings import SETTINGS

    from tools import sdk_internals

    loop = asyncio.new_event_loop()
    saved = SETTINGS.outputs, SETTINGS.rpc_manager
    try:
        failed = [loop.create_future() for _ in range(3)]
        for future in failed:
            future.set_exception(ValueError("failed"))
        SETTINGS.outputs = set(failed)
        SETTINGS.rpc_manager = RPCManager()
        if rpc_fails:
            registration = loop.create_future()
            registration.set_exception(RuntimeError("registration failed"))
            SETTINGS.rpc_manager.rpcs.append(registration)
        with pytest.raises(RuntimeError if rpc_fails else ValueError):
            loop.run_until_complete(sdk_internals.outputs._wait_for_rpcs())
        assert [future._log_traceback for future in failed] == [False] * 3
    finally:
        SETTINGS.outputs, SETTINGS.rpc_manager = saved
        loop.close()


@pytest.mark.parametrize("origin_first", [True, False], ids=["the-origin-first", "the-origin-last"])
def test_the_wait_raises_a_failure_with_the_traceback_that_reaches_where_it_was_raised(origin_first):
    """Outputs that re-raise one failure (those derived from a failed apply) each keep a traceback, some
    not reaching where it was raised; whichever the set gives the wait first, it raises the deepest."""
    import asyncio

    from pulumi.runtime.settings import SETTINGS

    from tools import sdk_internals

    namespace: dict = {"failure": ValueError("failed")}
    exec(compile("def fail():\n    raise failure\n", "program.py", "exec"), namespace)

    async def origin():
        namespace["fail"]()

    async def relay():  # as pulumi's derived outputs re-raise it: a traceback that begins here
        raise namespace["failure"].with_traceback(None)

    loop = asyncio.new_event_loop()
    saved = SETTINGS.outputs
    try:
        first = loop.create_task(origin())
        loop.run_until_complete(asyncio.wait([first]))
        relays = [loop.create_task(relay()) for _ in range(3)]
        loop.run_until_complete(asyncio.wait(relays))
        SETTINGS.outputs = [first, *relays] if origin_first else [*relays, first]  # a list: this order
        with pytest.raises(ValueError) as raised:
            loop.run_until_complete(sdk_internals.outputs._await_outstanding_outputs())
        innermost = traceback.extract_tb(raised.value.__traceback__)[-1]
        assert (innermost.filename, innermost.lineno) == ("program.py", 2)
    finally:
        SETTINGS.outputs = saved
        loop.close()


@pytest.mark.parametrize("optimise", [True, False])
def test_a_failing_output_is_reported_by_the_wait_for_outputs(optimise):
    result = run_preview("test", ROOT / "tests" / "programs" / "failing_apply", optimise=optimise)
    assert result.error is not None and "ValueError: no retention policy for app" in result.error
    if optimise:  # the SDK's own wait re-raises it with another traceback: "(stack.py:211)"
        assert result.error.endswith(" (__main__.py:9)")


_DERIVED_FROM_A_FAILURE = ("import pulumi\n"
                          "def fail(value):\n"
                          "    raise ValueError('no value for ' + value)\n"
                          "failed = pulumi.Output.from_input('app').apply(fail)\n"
                          "derived = [failed.apply(lambda value: value) for _ in range(5)]\n")
# The derived outputs are made while the wait is under way (their apply runs after a delay).
_DERIVED_DURING_THE_WAIT = ("import asyncio, pulumi\n"
                            "async def slow(delay, value):\n"
                            "    await asyncio.sleep(delay)\n"
                            "    return value\n"
                            "def fail(value):\n"
                            "    raise ValueError('no value for ' + value)\n"
                            "failed = pulumi.Output.from_input(asyncio.ensure_future(slow(0.05, 'app'))).apply(fail)\n"
                            "def derive(_):\n"
                            "    return [failed.apply(lambda value: value) for _ in range(5)] and 1\n"
                            "pulumi.Output.from_input(asyncio.ensure_future(slow(0.01, 'x'))).apply(derive)\n")
_INPUT_FROM_A_FAILURE = ("import pulumi_aws as aws\n"
                         "def fail(value):\n"
                         "    raise ValueError('no bucket name for ' + value)\n"
                         "logs = aws.s3.Bucket('logs', bucket='log-archive')\n"
                         "aws.s3.Bucket('app', bucket=logs.id.apply(fail))\n")


@pytest.mark.parametrize("optimise", [True, False])
@pytest.mark.parametrize("main,error,sdk_names_the_line", [
    # The SDK's wait re-raises whichever output a set gives it first: the apply names its line, a derived
    # output pulumi's (its traceback begins there).
    (_DERIVED_FROM_A_FAILURE, "ValueError: no value for app", False),
    (_DERIVED_DURING_THE_WAIT, "ValueError: no value for app", False),
    (_INPUT_FROM_A_FAILURE, "ValueError: no bucket name for log-archive", True),
], ids=["outputs-derived-from-it", "outputs-derived-during-the-wait", "an-input-of-a-resource"])
def test_a_failed_apply_is_reported_once_with_or_without_the_speed_ups(
        main, error, sdk_names_the_line, optimise, tmp_path, caplog):
    """An apply that fails, with five outputs derived from it, or feeding a resource's input. With the
    speed-ups the error names the apply's line (the wait re-raises the failure with the deepest traceback an
    output kept, not the one the outputs that re-raised it since left on it); the SDK's wait, for the input
    only. asyncio logs
    nothing more when the run's outputs are collected: not the derived outputs' failures (the SDK's done
    callback on each output asks it; `_track` has none, so the wait asks), nor the failed resource's own
    outputs' (a failed run's loop drops "exception was never retrieved")."""
    program = _program(tmp_path, "failing", main)
    with caplog.at_level("ERROR", logger="asyncio"):
        result = run_preview("test", program, optimise=optimise)
        gc.collect()
    message, _, line = result.error.rpartition(" ")
    assert message == f"the program failed: {error}"
    if optimise or sdk_names_the_line:
        assert line == ("(__main__.py:6)" if main is _DERIVED_DURING_THE_WAIT else "(__main__.py:3)")
    assert [r.getMessage() for r in caplog.records] == []


# --- progress on a terminal ------------------------------------------------------------------------------


@pytest.mark.parametrize("as_json", [False, True])
def test_progress_shows_on_a_terminal_for_text_output_only(as_json, capsys, monkeypatch):
    from tools import preview as preview_cli

    program = ROOT / "tests" / "programs" / "drop_all_violation"
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    code = preview_cli.main(["--stack", "test", "--cwd", str(program), "--policy-pack", str(PACK)]
                            + (["--json"] if as_json else []))
    out, err = capsys.readouterr()
    assert code == 1
    if as_json:
        assert err == "" and json.loads(out)["summary"]["resources"] > 0
        return
    resources = int(out.strip().splitlines()[-1].split()[1])
    assert "resources registered" in err
    assert f"{resources + 1}/{resources + 1} resources evaluated" in err  # and the root stack
    assert err.endswith("\r") and "resources registered" not in out  # erased, and never on stdout


def test_no_progress_when_stdout_is_not_a_terminal(capsys):
    from tools import preview as preview_cli

    program = ROOT / "tests" / "programs" / "drop_all_violation"
    preview_cli.main(["--stack", "test", "--cwd", str(program), "--policy-pack", str(PACK)])
    assert capsys.readouterr().err == ""


# --- pulumi_aws's service packages, loaded lazily --------------------------------------------------------

_LAZY_LOADING = """
import enum, importlib, importlib.util, json, sys, types, typing
import pulumi
from pulumi import _types
from tools import sdk_internals
lazy = sdk_internals.lazy_service_packages(sys.argv[1] == "lazy")
lazy.__enter__()  # as in a mock run: every module below is found while the finder is in place
import pulumi_aws
asked = json.loads(sys.stdin.read() or "null")
RESOURCE = {"ec2": "security_group", "wafv2": "web_acl", "apigateway": "rest_api", "ecs": "service", "s3": "bucket"}
PACKAGES = ("lb", "iam", "cloudwatch", "appmesh", "servicediscovery")
LOCALS = {"Output": pulumi.Output, "T": type(None)}  # what pulumi passes to get_type_hints

def aws_classes(hint, found):
    if isinstance(hint, type) and hint.__module__.startswith("pulumi_aws."):
        found.append(hint)
    for argument in typing.get_args(hint):
        aws_classes(argument, found)

# Each service package is loaded first, as a program loads it (`aws.ec2.SecurityGroup`): a resource module
# imported while its package is still pulumi's lazy placeholder leaves typing names in the shipped package.
# That loads the package's `outputs`, which its resource modules import anyway.
for service in RESOURCE:
    importlib.import_module("pulumi_aws." + service).outputs

# First, with nothing else of the service loaded (but its package and `outputs`): import its resource module
# and resolve the hints of every function and property of its classes, then of every input type and
# TypedDict those name, and so on.
hints, reached, built = {}, [], {}
for service, resource in RESOURCE.items():
    module = importlib.import_module(f"pulumi_aws.{service}.{resource}")
    for path in (f"pulumi_aws.{service}._inputs", f"pulumi_aws.{service}.outputs", f"pulumi_aws.{service}._enums"):
        if path in sys.modules:  # what the import built
            bodies = vars(sys.modules[path]).get("_lazy_bodies", {})
            built[path] = sorted(n for n in bodies if n in vars(sys.modules[path])) if bodies else None
    for cls in [v for v in vars(module).values() if isinstance(v, type) and v.__module__ == module.__name__]:
        for attribute, value in sorted(vars(cls).items()):
            function = value.fget if isinstance(value, property) else getattr(value, "__func__", value)
            if isinstance(function, types.FunctionType):
                resolved = typing.get_type_hints(function, localns=LOCALS)
                hints[f"{module.__name__}.{cls.__qualname__}.{attribute}"] = repr(resolved)
                for hint in resolved.values():
                    aws_classes(hint, reached)
# And input types that name enums as strings (`pulumi.Input['PolicyDocumentVersion']`), read from their module.
iam_inputs = importlib.import_module("pulumi_aws.iam._inputs")
reached += [iam_inputs.PolicyDocumentArgs, iam_inputs.PolicyDocumentArgsDict]
seen = set()
while reached:
    cls = reached.pop()
    if cls in seen:
        continue
    seen.add(cls)
    if _types.is_input_type(cls):
        resolved = _types.input_type_types(cls)  # pulumi's own resolution, in the class's module
    elif _types.is_output_type(cls):
        resolved = _types.output_type_types(cls)
    elif typing.is_typeddict(cls):  # pulumi never resolves these: as it would, in its globals for the class
        resolved = typing.get_type_hints(cls, globalns=_types._globals_for_cls(cls), localns=LOCALS)
    else:
        continue
    hints[f"{cls.__module__}.{cls.__qualname__}"] = repr(sorted(resolved.items()))
    for hint in resolved.values():
        aws_classes(hint, reached)

# Then every public name, as the same class.
def describe(value):
    if isinstance(value, types.ModuleType):  # a lazy package is a module of another class: same name
        return ["module", value.__name__]
    found = [getattr(value, "__module__", None), getattr(value, "__qualname__", type(value).__name__)]
    if isinstance(value, type):
        found += [sorted(vars(value)), sorted(getattr(value, "__required_keys__", ()))]
    if isinstance(value, enum.EnumMeta):  # its members, its type token, and the one class its module holds
        found += [[[m.name, m.value] for m in value], [c.__name__ for c in value.__mro__],
                  getattr(value, "pulumi_type", None), value is getattr(sys.modules[value.__module__], value.__name__)]
    return found

found, kinds = {}, {}
for service, resource in RESOURCE.items():
    for path in (f"pulumi_aws.{service}._inputs", f"pulumi_aws.{service}.outputs", f"pulumi_aws.{service}.{resource}",
                 f"pulumi_aws.{service}._enums"):
        if importlib.util.find_spec(path) is None:  # a service without enums
            continue
        module = importlib.import_module(path)
        kinds[path] = type(module).__name__
        names = asked["found"][path] if asked else [n for n in dir(module) if not n.startswith("_")]
        found[path] = {name: describe(getattr(module, name)) for name in names}
        found[path + " dir"] = [n for n in dir(module) if not n.startswith("_")]
        found[path + " __all__"] = list(module.__all__)
        star = {}
        exec(f"from {path} import *", star)
        found[path + " *"] = sorted(n for n in star if not n.startswith("__"))

# Last, every public name of five other service packages (classes, functions, submodules), untouched so far:
# in the lazy ones each name is read through the package, input types built on that first read.
packages, star_packages = {}, {}
for service in PACKAGES:
    package = importlib.import_module("pulumi_aws." + service)
    package.outputs  # pulumi_aws loads a service package on first attribute access
    for name in asked["packages"][service] if asked else [n for n in dir(package) if not n.startswith("_")]:
        value = getattr(package, name)
        packages.setdefault(service, {})[name] = [getattr(value, "__module__", None),
                                                  getattr(value, "__qualname__", type(value).__name__)]
    star = {}
    exec("from pulumi_aws." + service + " import *", star)
    star_packages[service] = sorted(n for n in star if not n.startswith("__"))
# A module found while the finder was in place stays lazy after the block (as in pytest, where a later run
# may have the speed-ups off): pulumi resolving one of its types then still finds the types it names.
distribution = importlib.import_module("pulumi_aws.cloudfront.distribution")
lazy.__exit__(None, None, None)
after = repr(sorted(_types.input_type_types(distribution.DistributionOriginArgs).items()))
print(json.dumps({"hints": hints, "found": found, "kinds": kinds, "packages": packages, "star": star_packages,
                  "built": built, "after": after}))
"""


def _in_a_fresh_interpreter(script: str, mode: str, asked: Optional[dict] = None) -> dict:
    """What `script` prints as JSON, run with `mode` as its argument and `asked` as JSON on its input."""
    done = subprocess.run([sys.executable, "-c", script, mode], cwd=ROOT, capture_output=True, text=True,
                          input=json.dumps(asked))
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def shipped_and_lazy() -> tuple[dict, dict]:
    """`_LAZY_LOADING` in two fresh interpreters, pulumi_aws as shipped and lazy; the lazy one reads every
    name the shipped one found. Started by one xdist worker, whichever asks first."""
    return once_across_workers((__name__, "shipped and lazy"), _shipped_and_lazy)


def _shipped_and_lazy() -> tuple[dict, dict]:
    shipped = _in_a_fresh_interpreter(_LAZY_LOADING, "shipped")
    asked = {"found": {path: sorted(names) for path, names in shipped["found"].items() if " " not in path},
             "packages": {service: sorted(names) for service, names in shipped["packages"].items()}}
    return shipped, _in_a_fresh_interpreter(_LAZY_LOADING, "lazy", asked)


@pytest.mark.heavy
def test_a_lazy_service_package_gives_every_name_the_shipped_package_gives(shipped_and_lazy):
    """In fresh interpreters: every public name of five service packages as shipped (classes, functions,
    submodules) is read from the lazy package too and is the same object (same defining module and
    qualified name): `lb.get_load_balancer` is the function, as the shipped star import leaves it, not its
    module."""
    shipped, lazy = shipped_and_lazy
    assert sum(len(v) for v in shipped["packages"].values()) > 1000 and len(shipped["star"]["appmesh"]) > 200
    assert lazy["packages"] == shipped["packages"]
    assert lazy["star"] == shipped["star"]  # `from pulumi_aws.<service> import *` binds the same names


@pytest.mark.heavy
def test_lazy_types_are_the_shipped_classes_and_resolve_the_same_hints(shipped_and_lazy):
    """In fresh interpreters: each service's `_inputs` and `outputs` build a class when it is first read, and
    its modules' star imports bind only the input types they name, building those and no more. With only
    a resource module loaded, the hints of its classes' functions and properties, and of every input type,
    output type and TypedDict they reach (resolved as pulumi resolves them), are the same types as shipped.
    Then every public name of five services' `_inputs`, `outputs` and `_enums` (where they have one) and of
    one resource module each is the same class (module, qualified name, attributes, TypedDict keys; an
    enum's members, bases and type token, and the class its module holds), and `dir`, `__all__` and star
    imports are the shipped ones."""
    shipped, lazy = shipped_and_lazy
    assert len(shipped["found"]["pulumi_aws.wafv2._inputs"]) > 2000 and len(shipped["hints"]) > 1000
    assert len(shipped["found"]["pulumi_aws.wafv2.outputs"]) > 1000
    assert lazy["hints"] == shipped["hints"]
    # Hints that name an enum as a string (`Union[str, 'CannedAcl']`) resolve to the same enum.
    assert any("pulumi_aws.s3._enums.CannedAcl" in hint for hint in shipped["hints"].values())
    assert "pulumi_aws.iam._enums.PolicyStatementEffect" in \
        shipped["hints"]["pulumi_aws.iam._inputs.PolicyStatementArgsDict"]
    assert lazy["found"] == shipped["found"]
    instance_type = lazy["found"]["pulumi_aws.ec2._enums"]["InstanceType"]
    assert len(instance_type[4]) > 1000 and instance_type[6:] == ["aws:ec2/InstanceType:InstanceType", True]
    # ec2's enums are read from `_inputs` and `outputs` too, as their star imports bind them
    assert lazy["found"]["pulumi_aws.ec2._inputs"]["InstanceType"] == instance_type
    assert lazy["found"]["pulumi_aws.ec2.outputs"]["InstanceType"] == instance_type
    services = ("ec2", "wafv2", "apigateway", "ecs", "s3")
    assert {path: kind for path, kind in lazy["kinds"].items() if path.endswith("._inputs")} == \
        {f"pulumi_aws.{service}._inputs": "_LazyInputs" for service in services}
    # `outputs` stays a plain module (its `__getattr__` builds): `pulumi_aws.ec2.outputs.__module__` is no name
    assert {path: kind for path, kind in lazy["kinds"].items() if path.endswith(".outputs")} == \
        {f"pulumi_aws.{service}.outputs": "module" for service in services}
    assert all(lazy["built"][f"pulumi_aws.{service}.outputs"] is not None for service in services)
    assert {path: kind for path, kind in lazy["kinds"].items() if path.endswith("._enums")} == \
        {"pulumi_aws.ec2._enums": "_LazyEnums", "pulumi_aws.s3._enums": "_LazyEnums"}
    # The resource modules built the enums they name and no other: s3's bucket names `'CannedAcl'`.
    assert lazy["built"]["pulumi_aws.ec2._enums"] == [] and lazy["built"]["pulumi_aws.s3._enums"] == ["CannedAcl"]
    # Importing the resource module built the input types it names (the closure was 2,042 for wafv2's web_acl)
    # and no output type: its annotations read those as `outputs.X` only when pulumi resolves them.
    import importlib.util
    source = (Path(importlib.util.find_spec("pulumi_aws").origin).parent / "wafv2" / "web_acl.py").read_text()
    built = lazy["built"]["pulumi_aws.wafv2._inputs"]
    assert 10 < len(built) < 100 and all(f"'{name}'" in source or f" {name}(" in source for name in built)
    assert lazy["built"]["pulumi_aws.wafv2.outputs"] == []
    assert lazy["after"] == shipped["after"] and "DistributionOriginCustomOriginConfigArgs" in lazy["after"]
    assert shipped["built"]["pulumi_aws.wafv2._inputs"] is None  # shipped: no lazy module


def test_every_type_module_of_the_pinned_pulumi_aws_can_load_lazily():
    """The loaders' `plan` accepts only the generated shape (and `exec_module` only an `__all__` that lists the
    classes); every `_inputs`, `outputs` and `_enums` of PULUMI_AWS_VERSION has it, so none falls back to
    building all its classes. Every output class is
    `@pulumi.output_type class X(dict):`, as `_OutputsLoader` builds it, and names no other output class but
    through `outputs.`, an attribute read the lazy module answers. Each `_enums`, loaded lazily, gives the
    enums the shipped module gives: members, bases, type token."""
    import enum
    import importlib.machinery
    import importlib.util

    from tools.sdk_internals import lazy_aws

    root = Path(importlib.util.find_spec("pulumi_aws").origin).parent
    refused, misshapen = [], []
    for kind, loader_class in (("_inputs", lazy_aws._InputsLoader), ("outputs", lazy_aws._OutputsLoader),
                               ("_enums", lazy_aws._EnumsLoader)):
        modules = sorted(root.glob(f"*/{kind}.py"))
        assert len(modules) > (10 if kind == "_enums" else 200)
        for path in modules:
            name = f"pulumi_aws.{path.parent.name}.{kind}"
            plan = loader_class(importlib.machinery.SourceFileLoader(name, str(path)), str(path)).plan(name)
            if plan is None or sorted(lazy_aws._exported_names(str(path))) != sorted(plan[1]):
                refused.append(name)  # `exec_module` loads a module whose __all__ is not its classes as shipped
            elif kind == "outputs":
                bodies, text = plan[1], path.read_text()
                declared = re.findall(r"^@pulumi\.output_type\nclass (\w+)\(dict\):$", text, re.M)
                classes = re.findall(r"^class ", text, re.M)
                if sorted(declared) != sorted(bodies) or len(classes) != len(bodies) or \
                        any(lazy_aws._classes_named(body, bodies) - {n} for n, body in bodies.items()):
                    misshapen.append(name)
            elif kind == "_enums":
                # Loaded as the import system would, under another name: the pulumi_aws one may be loaded.
                shipped, lazy = (importlib.util.module_from_spec(importlib.util.spec_from_loader(
                    name, loader, origin=str(path))) for loader in (
                    importlib.machinery.SourceFileLoader(name, str(path)),
                    loader_class(importlib.machinery.SourceFileLoader(name, str(path)), str(path))))
                shipped.__spec__.loader.exec_module(shipped)
                lazy.__spec__.loader.exec_module(lazy)
                assert type(lazy) is lazy_aws._LazyEnums and not set(lazy.__all__) & set(vars(lazy))

                def enums(module):
                    return {n: (getattr(module, n).__module__, [c.__name__ for c in getattr(module, n).__mro__],
                                [(m.name, m.value) for m in getattr(module, n)], getattr(module, n).pulumi_type,
                                sorted(vars(getattr(module, n))))
                            for n in module.__all__ if isinstance(getattr(module, n), enum.EnumMeta)}

                if enums(lazy) != enums(shipped) or len(enums(shipped)) != len(shipped.__all__) or \
                        any(getattr(lazy, n) is not vars(lazy)[n] for n in lazy.__all__):
                    misshapen.append(name)
    assert refused == [] and misshapen == []


_SECURITY_GROUP_ONLY = """
import json, sys
from pathlib import Path
from tools.preview import run_preview
result = run_preview("test", Path(sys.argv[1]))
assert result.error is None, result.error
inputs, enums = sys.modules["pulumi_aws.ec2._inputs"], sys.modules["pulumi_aws.ec2._enums"]
found = {"kinds": [type(inputs).__name__, type(enums).__name__], "resources": sorted(r.type for r in result.resources),
         "ingress built": "SecurityGroupIngressArgs" in vars(inputs),
         "enums built": sorted(n for n in enums.__all__ if n in vars(enums))}
import pulumi_aws
found["read"] = [pulumi_aws.ec2.InstanceType.T3_MICRO.value, pulumi_aws.ec2.InstanceType is vars(enums)["InstanceType"]]
print(json.dumps(found))
"""


@pytest.mark.heavy
def test_a_program_using_a_security_group_does_not_build_ec2s_instance_types(tmp_path):
    """In a fresh interpreter: a preview of a security group with an ingress rule loads ec2's `_inputs` and
    `_enums` lazily (`_inputs`' header star-imports `_enums`), builds the input type it uses and none of
    ec2's enums (InstanceType has 1,405 members); `aws.ec2.InstanceType` is built when read."""
    program = _program(tmp_path, "security_group", """import pulumi_aws as aws
aws.ec2.SecurityGroup("web", ingress=[aws.ec2.SecurityGroupIngressArgs(
    protocol="tcp", from_port=443, to_port=443, cidr_blocks=["10.0.0.0/8"])])
""")
    done = subprocess.run([sys.executable, "-c", _SECURITY_GROUP_ONLY, str(program)], cwd=ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]
    found = json.loads(done.stdout)
    assert found["kinds"] == ["_LazyInputs", "_LazyEnums"] and found["ingress built"]
    assert found["resources"] == sorted([ROOT_STACK_TYPE, "aws:ec2/securityGroup:SecurityGroup"])
    assert found["enums built"] == []
    assert found["read"] == ["t3.micro", True]


@pytest.mark.heavy
def test_a_fresh_preview_with_lazy_service_packages_is_the_same_as_without(fresh_prod_runs):
    """The in-process equality tests share one interpreter, where pulumi_aws may already be loaded; here
    each side gets a fresh one, and only the lazy packages differ between them."""
    (lazy, lazy_status), (shipped, shipped_status) = fresh_prod_runs["watched"], fresh_prod_runs["shipped"]
    assert json.loads(lazy) == json.loads(shipped)
    assert lazy_status["awsModules"] < shipped_status["awsModules"] - 300  # the unused resource modules stayed out


# --- bytecode and clean-up ---------------------------------------------------------------------------------


def test_dev_compiles_the_projects_modules_when_they_changed():
    """With PYTHONDONTWRITEBYTECODE set (as here), Python never caches the project's bytecode itself: ./dev
    compiles the modules when any is newer than its stamp."""
    import importlib.util

    compiled = Path(importlib.util.cache_from_source(str(ROOT / "tools" / "collector.py")))
    stamp = ROOT / ".venv" / ".compiled"
    compiled.unlink(missing_ok=True)
    stamp.unlink(missing_ok=True)
    done = subprocess.run([str(ROOT / "dev"), "setup"], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
    assert done.returncode == 0, done.stderr
    assert compiled.is_file() and stamp.is_file()


def _seed_bytecode(prefix: Path) -> None:
    """The bytecode this interpreter has cached for the modules it loaded, but none under tests/, where a run under
    PYTHONPYCACHEPREFIX=`prefix` looks for it: that run then compiles pulumi, botocore and the rest no more (about
    2 s of CPU), and still rewrites and caches the test modules itself."""
    tests = str(ROOT / "tests") + os.sep
    made, placed = set(), set()
    for module in list(sys.modules.values()):
        source, cached = getattr(module, "__file__", None), getattr(module, "__cached__", None)
        if not (isinstance(source, str) and isinstance(cached, str) and source.endswith(".py")
                and os.path.isabs(source)) or cached in placed or os.path.realpath(source).startswith(tests):
            continue
        placed.add(cached)  # a module loaded under two names (pytest's `py.error`) is one file
        # As importlib's cache_from_source places it under a prefix: the source's directory below the prefix.
        directory = os.path.join(prefix, os.path.dirname(source).lstrip(os.sep))
        if directory not in made:
            os.makedirs(directory, exist_ok=True)
            made.add(directory)
        target = os.path.join(directory, os.path.basename(cached))
        try:
            os.link(cached, target)  # the run replaces a stale file, never writes into it
        except FileNotFoundError:  # never cached (or cached elsewhere): the run compiles it
            pass
        except OSError:
            shutil.copyfile(cached, target)  # another file system


def test_dev_test_lets_pytest_keep_its_rewritten_test_modules(tmp_path):
    """pytest caches each test module's assertion-rewritten bytecode only if bytecode may be written; with
    PYTHONDONTWRITEBYTECODE set every xdist worker would rewrite them all on every run. `./dev test` lifts it
    for pytest, so the cache is written. (Under a pycache prefix of its own, so that another run in this
    checkout neither disturbs nor is disturbed by this one; seeded with the other modules' bytecode, not the
    tests'.)"""
    _seed_bytecode(tmp_path)
    assert not list(tmp_path.rglob("test_config_iot.*.pyc"))
    done = subprocess.run([str(ROOT / "dev"), "test", "-n", "0", "-p", "no:cacheprovider", "--collect-only",
                           "tests/test_config_iot.py"], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPYCACHEPREFIX": str(tmp_path)})
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert list(tmp_path.rglob("test_config_iot.*pytest*.pyc"))


def test_a_failing_clean_up_still_restores_the_event_loop_and_the_root_stack(monkeypatch):
    import asyncio

    from pulumi.runtime import settings as runtime_settings

    from tools.mockrun import CapturingMonitor

    def fail(self):
        raise RuntimeError("clean-up failed")

    caller_loop = asyncio.get_event_loop_policy().get_event_loop()
    monkeypatch.setattr(CapturingMonitor, "close_event_loops", fail)
    failed = run_preview("test", COMPLIANT, PACK)
    assert failed.error is not None and "clean-up failed" in failed.error
    assert asyncio.get_event_loop_policy().get_event_loop() is caller_loop
    assert runtime_settings.ROOT.get() is None
    monkeypatch.undo()
    assert run_preview("test", COMPLIANT, PACK).error is None


def bench_child(*argv: str, then: str) -> list:
    """In a fresh interpreter: `python -m bench.preview_bench ARGV` (a child mode), then the JSON of the expression
    `then` (gc and sys imported). Both printed lines, parsed."""
    probe = ("import gc, json, runpy, sys\n"
             f"sys.argv = ['bench', *{list(argv)!r}]\n"
             "try:\n    runpy.run_module('bench.preview_bench', run_name='__main__', alter_sys=True)\n"
             "except SystemExit:\n    pass\n"
             f"print(json.dumps({then}))")
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.strip().splitlines()]


def test_the_bench_times_its_reference_workload_in_a_fresh_interpreter():
    """`./dev bench` compares hours by a workload that runs none of the project's or Pulumi's code: its child
    mode prints the seconds it took, without loading the program, the pack or pulumi_aws."""
    timed, imported = bench_child(
        "--reference", then="sorted(m for m in ('components', 'guardrails', 'pulumi_aws') if m in sys.modules)")
    assert timed["reference_s"] > 0
    assert imported == []


def test_the_bench_previews_iot_on_service_connect_alone_and_prod_and_the_generated_stacks_on_both_planes(
        monkeypatch, tmp_path):
    """iot's file holds no App Mesh settings, so its App Mesh row could only ever be a config error."""
    from bench import preview_bench
    measured = []
    monkeypatch.setattr(preview_bench, "measure",
                        lambda program, stack, config, plane, repeat: measured.append((stack, plane)) or
                        {"error": "not run"})
    monkeypatch.setattr(preview_bench, "measure_reference", lambda repeat: 0.0)
    monkeypatch.setattr(preview_bench, "program_with", lambda n, tmp: tmp_path)
    monkeypatch.setattr(preview_bench, "RESULTS", tmp_path / "results.json")
    assert preview_bench.main(["--sizes", "10", "--repeat", "1", "--json",
                               "--planes", "serviceconnect", "appmesh"]) == 0
    assert measured == [("prod", "serviceconnect"), ("prod", "appmesh"), ("iot", "serviceconnect"),
                        ("bench", "serviceconnect"), ("bench", "appmesh")]
    refused = run_preview("iot", ROOT, PACK, PACK / "config" / "iot.json", config_overrides=["mesh.dataPlane=appmesh"])
    assert "mesh.envoyImage" in refused.error


def test_the_bench_times_the_pack_as_shipped_for_each_row_only_when_asked(monkeypatch, tmp_path, capsys):
    """`--as-shipped` times every stack and plane the previews were timed for, in a second table and under
    `asShipped` in the results file; without it, no such run (they take minutes at 200 services)."""
    from bench import preview_bench
    shipped = []
    monkeypatch.setattr(preview_bench, "measure", lambda *args: {"error": "not run"})
    monkeypatch.setattr(preview_bench, "measure_as_shipped",
                        lambda program, stack, config, plane, repeat: shipped.append((stack, plane)) or
                        {"resources": 7, "analyze_s": 1.5, "analyze_stack_s": 2.0, "shim_analyze_s": 0.3,
                         "shim_analyze_stack_s": 0.5, "runs": repeat})
    monkeypatch.setattr(preview_bench, "measure_reference", lambda repeat: 0.0)
    monkeypatch.setattr(preview_bench, "program_with", lambda n, tmp: tmp_path)
    monkeypatch.setattr(preview_bench, "RESULTS", tmp_path / "results.json")
    options = ["--sizes", "10", "--repeat", "1", "--planes", "serviceconnect", "appmesh"]
    assert preview_bench.main(options) == 0
    assert shipped == [] and "asShipped" not in json.loads((tmp_path / "results.json").read_text())
    assert "the pack's analyzer" not in capsys.readouterr().out
    assert preview_bench.main(options + ["--as-shipped"]) == 0
    assert shipped == [("prod", "serviceconnect"), ("prod", "appmesh"), ("iot", "serviceconnect"),
                       ("bench", "serviceconnect"), ("bench", "appmesh")]
    rows = json.loads((tmp_path / "results.json").read_text())["asShipped"]
    assert [(r["stack"], r["plane"], r["analyze_s"]) for r in rows][-1] == ("10 services", "appmesh", 1.5)
    printed = capsys.readouterr().out.splitlines()
    table = printed[printed.index(next(line for line in printed if line.startswith("the pack's analyzer"))) + 2:]
    assert [line.split() for line in table[:2]] == [["prod", "serviceconnect", "7", "1.50", "2.00", "0.30", "0.50"],
                                                    ["prod", "appmesh", "7", "1.50", "2.00", "0.30", "0.50"]]


def test_the_bench_times_the_analyzer_as_shipped_converting_per_policy_and_with_the_shim_per_request(
        monkeypatch, dev_preview):
    """`run_analyzer` (the `--one-analyzer` child) evaluates the program's resources under pulumi-policy as shipped
    (each resource policy converts each resource's properties) or with the shim (once a request), and times the
    Analyze calls apart from the AnalyzeStack call."""

    from bench import preview_bench
    resources = dev_preview.resources[:21]
    assert resources[0].type == ROOT_STACK_TYPE  # registered first; evaluated, not counted
    monkeypatch.setattr(preview_bench, "run_preview", lambda *args, **kwargs: PreviewResult(resources=resources))
    monkeypatch.setattr(preview_bench.collector, "freeze_survivors", lambda: None)  # not this whole test process
    converted = []
    convert = json_format.MessageToDict
    monkeypatch.setattr(json_format, "MessageToDict", lambda *args, **kwargs: converted.append(1) or
                        convert(*args, **kwargs))
    timed = {}
    for shim in (False, True):
        converted.clear()
        timed[shim] = preview_bench.run_analyzer(ROOT, "dev", PACK / "config" / "dev.json", None, shim)
        timed[shim]["conversions"] = len(converted)
    assert timed[False]["resources"] == timed[True]["resources"] == 20
    assert all(row["analyze_s"] > 0 and row["analyze_stack_s"] > 0 for row in timed.values())
    policies = loaded_policy_pack(PACK).policies
    per_resource = sum(isinstance(policy, pulumi_policy.ResourceValidationPolicy) for policy in policies)
    # Configure converts each policy's config once either way; then each resource policy converts each resource,
    # and each stack policy each resource again, or the shim converts each resource once for each call, and each
    # provider once (the engine's default one is all 21 resources').
    assert timed[False]["conversions"] >= len(policies) + per_resource * 21 + (len(policies) - per_resource) * 21
    assert timed[True]["conversions"] <= len(policies) + 2 * 21 + 1
    resources = []  # no Analyze call: all the time is AnalyzeStack's
    empty = preview_bench.run_analyzer(ROOT, "dev", PACK / "config" / "dev.json", None, True)
    assert empty["resources"] == 0 and empty["analyze_s"] == 0 and empty["analyze_stack_s"] > 0


@pytest.mark.heavy
@pytest.mark.parametrize("mode,collecting", [("--one-analyzer", True), ("--one", False)])
def test_the_benchs_analyzer_children_keep_the_collector_on_as_a_real_analyzer_does(mode, collecting):
    """A real analyzer process collects as Python does; a `--one` child runs one preview as the CLI does, without
    collections. In a fresh interpreter, a child of each kind (of a stack that does not exist, so it stops early)."""
    reported, enabled = bench_child(mode, ".", "no-such-stack", "policies/config/dev.json", then="gc.isenabled()")
    assert "no-such-stack" in reported["error"]
    assert enabled is collecting


def test_a_stack_built_ahead_in_the_worker_keeps_none_of_the_request_messages():
    """The policy worker builds the stack with `let_go`: each resource's options come from a copy holding only
    them and its links are plain data, so no part of the request's message (its properties) is kept, and the
    resources are linked as without it."""
    from pulumi.runtime.proto import analyzer_pb2

    from tools import sdk_internals
    from tools.policyeval import configure_request, configured_servicer, load_policy_pack

    def request() -> analyzer_pb2.AnalyzeStackRequest:
        whole = analyzer_pb2.AnalyzeStackRequest()
        whole.resources.add(type="aws:s3/bucket:Bucket", urn="urn:bucket", name="bucket")
        child = whole.resources.add(type="aws:s3/bucketPolicy:BucketPolicy", urn="urn:policy", name="policy",
                                    parent="urn:bucket", dependencies=["urn:bucket", "urn:elsewhere"])
        child.propertyDependencies["bucket"].urns.extend(["urn:bucket"])
        child.options.protect = True
        child.options.ignoreChanges.extend(["tags"])
        child.options.aliases.extend(["urn:old"])
        child.options.customTimeouts.create = 60
        child.properties.update({"bucket": "b", "policy": "{}"})
        return whole

    def seen(resources: list) -> list:
        return [(r.urn, r.parent.urn if r.parent else None, [d.urn for d in r.dependencies],
                 {k: [d.urn for d in v] for k, v in r.property_dependencies.items()}, dict(r.props),
                 r.opts.protect, list(r.opts.ignore_changes), list(r.opts.aliases),
                 r.opts.custom_timeouts.create_seconds) for r in resources]

    pack = load_policy_pack(PACKS / "writes_stack_props")
    built = {}
    with sdk_internals.shared_property_conversion(True) as request_scope:
        for let_go in (False, True):
            whole = request()
            stack = sdk_internals.StackResources(configured_servicer(pack, configure_request(pack, {})), let_go)
            with request_scope():
                for r in whole.resources:
                    stack.add(r)
            # Changed afterwards, the message shows through only where the stack still holds it.
            whole.resources[1].options.ignoreChanges.append("changed later")
            whole.resources[1].dependencies.append("urn:later")
            built[let_go] = seen(stack.linked(by_urn=True))
    assert built[True][1][6] == ["tags"] and built[False][1][6] == ["tags", "changed later"]
    built[False][1] = built[False][1][:6] + (["tags"],) + built[False][1][7:]
    assert built[True] == built[False]
