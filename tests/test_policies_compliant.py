"""A fully compliant raw program gets zero findings of any level, and the real stacks stay clean."""
from __future__ import annotations

import pytest

from tests.test_policies_support import (
    ALL_POLICIES,
    CONFIG,
    assert_passes,
    assert_unknowns_add_nothing,
    program,
    stack_level,
)

PROGRAM = "policy_compliant"

# Every policy, on one resource of a type it evaluates (tags: any taggable resource).
EXAMPLES = {
    "aws:appmesh/mesh:Mesh": "mesh",
    "aws:appmesh/virtualNode:VirtualNode": "orders-v1",
    "aws:appmesh/virtualGateway:VirtualGateway": "ingress",
    "aws:appmesh/route:Route": "orders-route",
    "aws:ecs/taskDefinition:TaskDefinition": "orders-task",
    "aws:ecs/service:Service": "orders",
    "aws:ecs/cluster:Cluster": "cluster",
    "aws:apigateway/stage:Stage": "stage",
    "aws:apigatewayv2/stage:Stage": "http-stage",
    "aws:apigatewayv2/route:Route": "http-orders",
    "aws:lambda/function:Function": "orders-fn",
    "aws:apigateway/methodSettings:MethodSettings": "all-methods",
    "aws:apigateway/method:Method": "get-orders",
    "aws:apigateway/usagePlan:UsagePlan": "standard",
    "aws:apigateway/domainName:DomainName": "domain",
    "aws:apigateway/integration:Integration": "get-orders-integration",
    "aws:servicediscovery/publicDnsNamespace:PublicDnsNamespace": "public-namespace",
    "aws:servicediscovery/service:Service": "orders-registry",
    "aws:cloudtrail/trail:Trail": "trail",
    "aws:s3/bucket:Bucket": "archive",
    "aws:alb/loadBalancer:LoadBalancer": "alb",
}
PASSING = [(p.name, EXAMPLES[p.resource_types[0]] if p.resource_types else "api") for p in ALL_POLICIES]
# The egress node is only acceptable because the stack config approves api.stripe.com.
PASSING.append(("appmesh-virtualnode-external-hostname-allowed", "payment-provider"))


@pytest.fixture(scope="module", params=["dev", "prod"])
def result(request):
    return program(PROGRAM, CONFIG / f"{request.param}.json")


def test_zero_findings_of_any_level(result):
    assert [(v.policy, v.name, v.message) for v in result.violations] == []
    assert result.exit_code == 0


@pytest.mark.parametrize("policy,resource", PASSING)
def test_every_policy_evaluates_and_passes_a_compliant_resource(result, policy, resource):
    assert_passes(result, policy, resource)


def test_a_first_preview_is_clean_too():
    first = program(PROGRAM, CONFIG / "prod.json", unknown=True)
    assert first.violations == []
    # The Envoy task embeds the virtual node's ARN: its checks wait for the update, they do not fail.
    assert {v.name for v in first.not_run} == {"orders-task"}
    assert_unknowns_add_nothing(program(PROGRAM, CONFIG / "prod.json"), first)


# --- the real stacks under their own policy config (previews shared with tests/test_preview.py) -------------


def test_prod_has_no_findings_at_all(prod_preview):
    assert [(v.policy, v.name, v.message) for v in prod_preview.violations] == []


def test_dev_findings_are_only_the_documented_advisory_ones(dev_preview):
    assert dev_preview.mandatory == []
    # Each is a policy dev relaxes on purpose (see docs/policies.md, "dev findings").
    assert {v.policy for v in dev_preview.advisory} <= {p.name for p in ALL_POLICIES
                                                        if stack_level("dev", p.name) == "advisory"}
    assert {v.policy for v in dev_preview.advisory} == {"apigateway-stage-waf", "ecs-service-exec-disabled"}
