"""The stack policies' indexes (policies/guardrails/core/stack.py) answer exactly what a scan answers.

`of_type`, `referenced` and `may_refer` index a large stack once instead of scanning it per question; a
stack policy's verdicts must not depend on it. Random stacks, with names, ARNs, ARN paths, property
dependencies and unknown values mixed in, are asked the same questions of the indexed helpers and of the
plain scans they replace."""
from __future__ import annotations

import random
import sys
from dataclasses import dataclass, field
from typing import Any

import pytest
from pulumi.runtime import rpc
from pulumi_policy.proxy import unknown_checking_proxy

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "policies"))  # the pack's own import root
from guardrails.core.props import peek  # noqa: E402
from guardrails.core.stack import covering, may_refer, of_type, referenced, refers_to  # noqa: E402

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
    return resources


def _scan_referenced(resource, values, candidates):
    return covering(candidates, resource, lambda c, _: refers_to(resource, "ref", values, c, KEYS))


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
            expected = _scan_referenced(resource, values, candidates)
            assert referenced(resource, "ref", values, candidates, KEYS) == expected
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
