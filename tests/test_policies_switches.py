"""The switch-policy factory (policies/guardrails/core/switches.py): a resource whose boolean setting is known not to
read as wanted is reported with how it reads, one unknown until the update is not judged, and the families' policies
built with it are filed under their own modules."""
from __future__ import annotations

import sys
from types import SimpleNamespace
from typing import Any

import pytest
from pulumi.runtime import rpc
from pulumi_policy import Severity
from pulumi_policy.proxy import unknown_checking_proxy

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "policies"))  # the pack's own import root
from guardrails import catalogue  # noqa: E402
from guardrails.core import registry  # noqa: E402
from guardrails.core.props import switched_off  # noqa: E402
from guardrails.core.switches import switch_policy, switch_reading  # noqa: E402

THING, OTHER = "test:index/thing:Thing", "test:index/other:Other"
CONSEQUENCE = "the thing is exposed; set it true"


@pytest.fixture
def registered(monkeypatch):
    """Registers into a copy of the registry, so the pack's catalogue is left as it was."""
    monkeypatch.setattr(registry, "_ENTRIES", dict(registry._ENTRIES))
    return registry._ENTRIES


def _judge(path: str, props: dict, resource_type: str = THING, **options: Any) -> tuple[list[str], list[str]]:
    """The messages and not-applicable notes of a switch policy on `path`, through its registered policy's validate,
    with `props` behind the analyzer's unknown-checking proxy (registered anew each time: the registry is a copy)."""
    registry._ENTRIES.pop("test-thing-switch", None)
    switch_policy("test-thing-switch", THING, path, CONSEQUENCE, checks="the switch is on", description="Switch on.",
                  severity=Severity.LOW, **options)
    messages: list[str] = []
    skipped: list[str] = []
    args = SimpleNamespace(props=unknown_checking_proxy(props), resource_type=resource_type,
                           not_applicable=skipped.append)
    registry._ENTRIES["test-thing-switch"].policy.validate(args, lambda message, urn=None: messages.append(message))
    return messages, skipped


@pytest.mark.parametrize("props, reads", [
    ({"encrypted": False}, "encrypted is false"),
    ({"encrypted": "FALSE"}, "encrypted is false"),
    ({"encrypted": "yes"}, "encrypted is false"),  # anything short of true
    ({}, "encrypted is unset (false)"),
    ({"encrypted": None}, "encrypted is unset (false)"),
])
def test_a_switch_that_must_be_on_is_reported_with_how_it_reads(registered, props, reads):
    assert _judge("encrypted", props) == ([f"{reads}: {CONSEQUENCE}"], [])


@pytest.mark.parametrize("props", [{"encrypted": True}, {"encrypted": "true"}, {"encrypted": rpc.UNKNOWN}])
def test_a_switch_that_is_on_or_unknown_passes(registered, props):
    assert _judge("encrypted", props) == ([], [])


@pytest.mark.parametrize("props, found", [
    ({"logs": {"audit": False}}, ["logs.audit is false: " + CONSEQUENCE]),
    ({"logs": {}}, ["logs.audit is unset (false): " + CONSEQUENCE]),
    ({}, ["logs.audit is unset (false): " + CONSEQUENCE]),  # the block left out: the setting is too
    ({"logs": {"audit": True}}, []),
    ({"logs": {"audit": rpc.UNKNOWN}}, []),
    ({"logs": rpc.UNKNOWN}, []),  # the whole block unknown
])
def test_a_setting_in_a_block_is_read_through_it(registered, props, found):
    assert _judge("logs.audit", props)[0] == found


@pytest.mark.parametrize("props, found", [
    ({}, ["encryptAtRest is left out (off): " + CONSEQUENCE]),
    ({"encryptAtRest": {}}, ["encryptAtRest.enabled is unset (false): " + CONSEQUENCE]),
    ({"encryptAtRest": {"enabled": False}}, ["encryptAtRest.enabled is false: " + CONSEQUENCE]),
    ({"encryptAtRest": {"enabled": True}}, []),
    ({"encryptAtRest": rpc.UNKNOWN}, []),
])
def test_a_block_whose_absence_is_off_says_it_is_left_out(registered, props, found):
    assert _judge("encryptAtRest.enabled", props, block=True)[0] == found


@pytest.mark.parametrize("props, found", [
    ({"inCluster": False}, ["inCluster is false: " + CONSEQUENCE]),
    ({"inCluster": "false"}, ["inCluster is false: " + CONSEQUENCE]),
    ({}, []),  # left out, the resource gets true
    ({"inCluster": "no"}, []),  # only false itself fails where left out passes
    ({"inCluster": True}, []),
    ({"inCluster": rpc.UNKNOWN}, []),
])
def test_a_switch_on_when_left_out_fails_only_where_turned_off(registered, props, found):
    assert _judge("inCluster", props, left_out=True)[0] == found


@pytest.mark.parametrize("props, found", [
    ({"publiclyAccessible": True}, ["publiclyAccessible is true: " + CONSEQUENCE]),
    ({"publiclyAccessible": "True"}, ["publiclyAccessible is true: " + CONSEQUENCE]),
    ({}, []),
    ({"publiclyAccessible": False}, []),
    ({"publiclyAccessible": rpc.UNKNOWN}, []),
])
def test_a_switch_that_must_be_off_fails_only_where_turned_on(registered, props, found):
    assert _judge("publiclyAccessible", props, wanted=False)[0] == found


def test_a_resource_unless_names_is_not_judged(registered):
    def restored(props):
        return props.get("snapshotIdentifier") is not None

    assert _judge("encrypted", {"snapshotIdentifier": "snap"}, unless=restored) == ([], [])
    assert _judge("encrypted", {"snapshotIdentifier": None}, unless=restored)[0] == [
        "encrypted is unset (false): " + CONSEQUENCE]


def test_another_type_is_not_applicable_and_the_entry_is_the_callers(registered):
    assert _judge("encrypted", {}, resource_type=OTHER)[1] == [f"applies to {THING}"]
    entry = registered["test-thing-switch"]
    assert (entry.stack, entry.resource_types, entry.checks, entry.module) == (
        False, (THING,), "the switch is on", "tests/test_policies_switches")


@pytest.mark.parametrize("value", [True, False, "true", "false", "abc", 0, 1, None, {}, rpc.UNKNOWN])
def test_the_reading_says_what_switched_off_says_of_the_setting_and_of_a_blocks(value):
    props = unknown_checking_proxy({"key": value, "block": {"enabled": value}})
    for path, holder, key in (("key", props, "key"), ("block.enabled", props["block"], "enabled")):
        off = switched_off(holder, key)
        assert switch_reading(props, path, block=path != "key") == (None if off is None else f"{path} is {off}")
    assert switch_reading(unknown_checking_proxy({}), "block.enabled", block=True) == "block is left out (off)"


@pytest.mark.parametrize("name, module", [
    ("docdb-cluster-storage-encrypted", "docdb/cluster"), ("neptune-cluster-deletion-protection", "neptune/cluster"),
])
def test_a_switch_policy_is_filed_under_its_familys_module(name, module):
    entry = next(e for e in catalogue() if e.name == name)
    assert (entry.module, entry.stack) == (module, False)
