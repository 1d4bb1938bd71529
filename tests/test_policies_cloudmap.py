"""Cloud Map guardrails against tests/programs/policy_cloudmap (raw pulumi_aws resources)."""
from __future__ import annotations

import pytest

from tests.test_policies_support import (UNKNOWN, Finding, InsecureProgramSuite, Res, analyze, findings, pairs,
                                         program, program_fixtures)

PROGRAM = "policy_cloudmap"
M, A = "mandatory", "advisory"
PUBLIC = "cloudmap-namespace-private-for-mesh"
HEALTH = "cloudmap-service-custom-health-check"
DNS = "cloudmap-service-dns-records"

FAILING = [
    Finding(PUBLIC, "public-ns", M,
            "public DNS namespace shop.example.com is used for mesh discovery by public-discovery-node: Cloud Map puts "
            "a record of each instance registered for them in the namespace's public Route 53 hosted zone, so anyone "
            "on the internet can resolve their tasks' private addresses; use a private DNS namespace bound to the "
            "VPC"),
    Finding(PUBLIC, "ecs-public-ns", M,
            "public DNS namespace tasks.example.com is used for mesh discovery by registering-service: Cloud Map puts "
            "a record of each instance"),
    Finding(HEALTH, "route53-checked-registry", M, "uses healthCheckConfig (Route 53 checks of public endpoints)"),
    # AWS takes healthCheckConfig in HTTP namespaces too (botocore's CreateService): without DNS records, this
    # service in a namespace of another stack may be in one, and is judged.
    Finding(HEALTH, "imported-http-registry", M, "uses healthCheckConfig (Route 53 checks of public endpoints)"),
    Finding(HEALTH, "unchecked-registry", M, "has no healthCheckCustomConfig"),
    Finding(DNS, "weighted-registry", A, "dnsConfig.routingPolicy is WEIGHTED; use MULTIVALUE"),
    Finding(DNS, "weighted-registry", A, "dnsConfig.dnsRecords[0] (A) ttl is 300s; at most 60s"),
    # A namespace another stack owns, with nothing saying it is public, is judged as the mesh's.
    Finding(DNS, "imported-private-registry", A, "dnsConfig.routingPolicy is WEIGHTED; use MULTIVALUE"),
    Finding(DNS, "imported-private-registry", A, "dnsConfig.dnsRecords[0] (A) ttl is 300s; at most 60s"),
    # Its instance registers an address, not an alias record, so MULTIVALUE is open to it.
    Finding(DNS, "addressed-registry", A, "dnsConfig.routingPolicy is WEIGHTED; use MULTIVALUE"),
]

PASSING = [
    (PUBLIC, "unused-public-ns"),
    # Its Cloud Map service makes no DNS records: API discovery only, nothing published.
    (PUBLIC, "api-only-public-ns"), (HEALTH, "billing"), (DNS, "billing"),
    (HEALTH, "good-registry"),
    (HEALTH, "weighted-registry"),
    (HEALTH, "http-registry"),
    (HEALTH, "public-registry"),  # Route 53 checks are right in a public namespace
    (DNS, "good-registry"),
    (DNS, "http-registry"),  # no DNS records at all
    (HEALTH, "imported-public-registry"), (DNS, "imported-public-registry"),  # its namespace is public
    # The stack's public namespace, though the service has no Route 53 health check to show it.
    (DNS, "public-website-registry"), (HEALTH, "public-website-registry"),
    (HEALTH, "imported-private-registry"),
    # CreateService takes only WEIGHTED with a CNAME record; RegisterInstance takes an alias only in a WEIGHTED one.
    (DNS, "cname-registry"), (DNS, "alias-registry"),
]


result, first_preview = program_fixtures(PROGRAM)


class TestInsecureProgram(InsecureProgramSuite):
    FAILING, PASSING = FAILING, PASSING


def test_namespaces_are_linked_without_their_ids(first_preview):
    # Namespace ids and the registry ARN are unknown in a first preview; dependency links still tie a
    # registry to its namespace (a private one's records are judged, a public one's are not) and the ECS
    # service to the registry.
    assert {(f.policy, f.resource) for f in FAILING} <= pairs(first_preview)
    assert (DNS, "public-website-registry") not in pairs(first_preview)


def test_ttl_limit_is_configurable():
    tuned = program(PROGRAM, {DNS: {"maxTtlSeconds": 600}})
    assert [m for m in (v.message for v in tuned.violations if v.policy == DNS) if "ttl" in m] == []
    assert (DNS, "weighted-registry") in pairs(tuned)  # still WEIGHTED




@pytest.mark.parametrize("public_region,reported", [("eu-west-1", False), ("us-east-1", True), (UNKNOWN, False)])
def test_a_virtual_node_discovers_through_the_namespace_of_its_own_region(public_region, reported):
    """Cloud Map namespaces are regional: a us-east-1 node naming corp.example.com discovers through us-east-1's
    private namespace of that name, not eu-west-1's public one (pulumi-aws 7's `region`)."""
    resources = [
        Res("aws:servicediscovery/publicDnsNamespace:PublicDnsNamespace", "public-ns",
            {"name": "corp.example.com", "region": public_region}),
        Res("aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace", "private-ns",
            {"name": "corp.example.com", "vpc": "vpc-1", "region": "us-east-1"}),
        Res("aws:appmesh/virtualNode:VirtualNode", "node", {"meshName": "mesh", "region": "us-east-1", "spec": {
            "serviceDiscovery": {"awsCloudMap": {"namespaceName": "corp.example.com", "serviceName": "orders"}}}})]
    found = {(policy, name) for policy, name, _ in findings(analyze(resources)) if policy == PUBLIC}
    assert found == ({(PUBLIC, "public-ns")} if reported else set())


PUBLIC_NAMESPACE = "aws:servicediscovery/publicDnsNamespace:PublicDnsNamespace"
DISCOVERY = "aws:servicediscovery/service:Service"
NODE = "aws:appmesh/virtualNode:VirtualNode"
RECORDS = {"namespaceId": "ns-public", "dnsRecords": [{"type": "A", "ttl": 10}]}


@pytest.mark.parametrize("dns_config, service_name, reported, registry_name", [
    (RECORDS, "orders", True, "orders"), (None, "orders", False, "orders"),
    # Another Cloud Map service than the node's makes no records: the node's, outside the stack, is taken to.
    (None, "payments", True, "orders"),
    # What a first preview does not know yet is not judged: the node's service, or one whose name may be it.
    (UNKNOWN, "orders", False, "orders"), (None, UNKNOWN, False, "orders"), (RECORDS, UNKNOWN, True, "orders"),
    (None, "orders", False, UNKNOWN), (RECORDS, "orders", True, UNKNOWN)])
def test_a_node_discovering_through_a_public_namespace_is_found_where_its_instances_are_in_dns(
        dns_config, service_name, reported, registry_name):
    namespace = Res(PUBLIC_NAMESPACE, "public-ns", {"name": "shop.example.com", "id": "ns-public"})
    registry = Res(DISCOVERY, "orders", {"name": registry_name, "dnsConfig": dns_config, "namespaceId": "ns-public",
                                         "healthCheckCustomConfig": {}}, {"namespaceId": ["public-ns"]})
    node = Res(NODE, "node", {"meshName": "mesh", "spec": {"serviceDiscovery": {"awsCloudMap": {
        "namespaceName": "shop.example.com", "serviceName": service_name}}}})
    found = {name for policy, name, _ in findings(analyze([namespace, registry, node])) if policy == PUBLIC}
    assert found == ({"public-ns"} if reported else set())

