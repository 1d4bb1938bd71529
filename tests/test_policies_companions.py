"""The companion-policy factory (policies/guardrails/core/companions.py): a resource is reported only where nothing in
the stack refers to it, nor may once the update tells its unknown values; the families' policies built with it are
filed under their own modules."""
from __future__ import annotations

import sys
from types import SimpleNamespace
from typing import Any

import pytest
from pulumi.runtime import rpc
from pulumi_policy import Severity
from pulumi_policy.proxy import unknown_checking_proxy

from tests.conftest import ROOT
from tests.test_policies_stack_index import Resource  # a stack resource as the analyzer hands it over

sys.path.insert(0, str(ROOT / "policies"))  # the pack's own import root
from guardrails import catalogue  # noqa: E402
from guardrails.core import registry  # noqa: E402
from guardrails.core.companions import companion_policy, unreferred  # noqa: E402

TARGET, HOLDER, OTHER = "test:index/thing:Thing", "test:index/thingLog:ThingLog", "test:index/other:Other"
ARN = "arn:aws:test:us-east-1:111122223333:thing/blue"


def _resource(resource_type: str, name: str, **props: Any) -> Resource:
    return Resource(resource_type, f"urn:pulumi:s::p::{resource_type}::{name}", name, unknown_checking_proxy(props))


def _unreferred(*holders: Resource, target: Resource = None) -> list[str]:
    target = target or _resource(TARGET, "blue", arn=ARN)
    resources = [target, *holders]
    return [t.name for t in unreferred(resources, [target], (HOLDER,), "thingArn", ("arn",))]


def test_a_resource_nothing_refers_to_is_unreferred():
    assert _unreferred() == ["blue"]


def test_a_holder_naming_it_by_its_arn_refers_to_it():
    assert _unreferred(_resource(HOLDER, "log", thingArn=ARN)) == []


def test_a_holder_linked_to_it_refers_to_it_whatever_its_value_reads():
    target = _resource(TARGET, "blue", arn=rpc.UNKNOWN)
    holder = _resource(HOLDER, "log", thingArn=rpc.UNKNOWN)
    holder.property_dependencies["thingArn"] = [target]
    assert _unreferred(holder, target=target) == []


def test_a_holder_whose_reference_is_unknown_may_refer_to_it_and_no_finding_is_made():
    assert _unreferred(_resource(HOLDER, "log", thingArn=rpc.UNKNOWN)) == []


@pytest.mark.parametrize("holder", [
    _resource(HOLDER, "log", thingArn="arn:aws:test:us-east-1:111122223333:thing/green"),  # another resource
    _resource(HOLDER, "log", thingArn=None),
    _resource(HOLDER, "log"),
    _resource(OTHER, "log", thingArn=ARN),  # a type that is no companion
    _resource(HOLDER, "log", otherArn=ARN),  # another prop
])
def test_a_holder_that_names_something_else_leaves_it_unreferred(holder):
    assert _unreferred(holder) == ["blue"]


@pytest.fixture
def registered(monkeypatch):
    """Registers into a copy of the registry, so the pack's catalogue is left as it was."""
    monkeypatch.setattr(registry, "_ENTRIES", dict(registry._ENTRIES))
    return registry._ENTRIES


def _policy(**options: Any):
    return companion_policy(
        "test-thing-logged", options.pop("reports_on", TARGET), (HOLDER,), "thingArn", ("arn",),
        lambda thing: f"thing {thing.name} has no ThingLog", checks="a ThingLog names each thing",
        description="Things log.", severity=Severity.LOW, **options)


@pytest.mark.parametrize("reports_on", [TARGET, (TARGET,)])
def test_the_policy_reports_each_unreferred_resource_of_its_types(registered, reports_on):
    check = _policy(reports_on=reports_on)
    blue, green = _resource(TARGET, "blue", arn=ARN), _resource(TARGET, "green", arn=ARN.replace("blue", "green"))
    resources = [blue, green, _resource(OTHER, "other"), _resource(HOLDER, "log", thingArn=ARN)]
    assert list(check(SimpleNamespace(resources=resources))) == [("thing green has no ThingLog", green.urn)]
    entry = registered["test-thing-logged"]
    assert (entry.stack, entry.resource_types, entry.checks) == (True, (TARGET,), "a ThingLog names each thing")


def test_the_policy_judges_only_what_judged_picks(registered):
    check = _policy(judged=lambda resources: [r for r in resources if r.name != "blue"])
    blue, green = _resource(TARGET, "blue", arn=ARN), _resource(TARGET, "green", arn=ARN.replace("blue", "green"))
    assert [urn for _, urn in check(SimpleNamespace(resources=[blue, green]))] == [green.urn]


@pytest.mark.parametrize("name, module", [
    ("networkfirewall-firewall-logging", "networkfirewall/logging"),
    ("redshift-cluster-audit-logging", "redshift/cluster"),
    ("wafv2-web-acl-logging", "wafv2/web_acl"), ("wafv2-web-acl-not-empty", "wafv2/web_acl"),
    ("elb-loadbalancer-waf", "elb/load_balancer"), ("eventbridge-bus-policy-attached", "eventbridge/bus"),
])
def test_a_companion_policy_is_filed_under_its_familys_module(name, module):
    entry = next(e for e in catalogue() if e.name == name)
    assert (entry.module, entry.stack) == (module, True)
