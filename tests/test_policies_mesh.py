"""App Mesh guardrails against tests/programs/policy_mesh (raw pulumi_aws resources)."""
from __future__ import annotations

import pytest

from tests.test_policies_support import (
    DEFAULT_TAGS,
    UNKNOWN,
    Finding,
    InsecureProgramSuite,
    Res,
    analyze,
    assert_passes,
    findings,
    messages,
    not_run,
    pairs,
    program,
    program_fixtures,
)

PROGRAM = "policy_mesh"
CONFIG = {
    "appmesh-virtualnode-external-hostname-allowed": {"allowedExternalHostnames": ["*.stripe.com"]},
    "appmesh-virtualnode-backend-client-tls": {"exemptBackends": ["partner-api.shop.local"]},
}
M, A = "mandatory", "advisory"
LISTENER_TLS = "appmesh-virtualnode-listener-tls-strict"
DEFAULTS_TLS = "appmesh-virtualnode-backend-defaults-client-tls"
BACKEND_TLS = "appmesh-virtualnode-backend-client-tls"
GATEWAY_TLS = "appmesh-virtualgateway-listener-tls-strict"
GATEWAY_DEFAULTS_TLS = "appmesh-virtualgateway-backend-defaults-client-tls"

FAILING = [
    Finding("appmesh-mesh-egress-drop-all", "allow-all-mesh", M, "spec.egressFilter.type is ALLOW_ALL"),
    Finding("appmesh-mesh-ip-preference", "ipv6-mesh", A, "ipPreference is IPv6_PREFERRED"),
    # Listener mTLS: each listener named by index, protocol and port.
    Finding(LISTENER_TLS, "plaintext-node", M, "listener[0] (http:8080) tls.mode is PERMISSIVE; it must be STRICT"),
    Finding(LISTENER_TLS, "plaintext-node", M, "listener[0] (http:8080) tls has no validation.trust"),
    Finding(LISTENER_TLS, "plaintext-node", M, "listener[1] (tcp:9090) has no tls block"),
    Finding(LISTENER_TLS, "disabled-tls-node", M, "listener[0] (http:8080) tls.mode is DISABLED"),
    # Client mTLS: backend defaults and each overriding backend, by name.
    Finding(DEFAULTS_TLS, "plaintext-node", M, "backendDefaults clientPolicy.tls.enforce is false"),
    Finding(DEFAULTS_TLS, "plaintext-node", M, "backendDefaults clientPolicy.tls has no client certificate"),
    Finding(DEFAULTS_TLS, "no-defaults-node", M,
            "backend 'catalog.shop.local' set no client policy and the node has no backendDefaults"),
    Finding(DEFAULTS_TLS, "disabled-tls-node", M, "backendDefaults has no clientPolicy.tls"),
    Finding(BACKEND_TLS, "plaintext-node", M, "backend 'orders.shop.local' clientPolicy.tls has no client certificate"),
    Finding(BACKEND_TLS, "disabled-tls-node", M, "backend 'ledger.shop.local' has no clientPolicy.tls"),
    Finding("appmesh-virtualnode-access-log", "plaintext-node", M, "spec.logging.accessLog.file.path is not set"),
    Finding("appmesh-virtualnode-listener-health-check", "no-defaults-node", A, "listener[0] (http:8080) has no healthCheck"),
    Finding("appmesh-virtualnode-listener-outlier-detection", "no-defaults-node", A,
            "listener[0] (http:8080) has no outlierDetection"),
    Finding("appmesh-virtualnode-ip-preference", "no-defaults-node", A,
            "spec.serviceDiscovery.dns sets no ipPreference and its mesh is not in the stack; set one of IPv4_ONLY, "
            "IPv4_PREFERRED here, or on the mesh's spec.serviceDiscovery.ipPreference."),
    Finding("appmesh-virtualnode-ip-preference", "ipv6-inheriting-node", A,
            "spec.serviceDiscovery.dns sets no ipPreference and its mesh ipv6-mesh sets IPv6_PREFERRED; set one of "
            "IPv4_ONLY, IPv4_PREFERRED here, or on the mesh's spec.serviceDiscovery.ipPreference."),
    Finding("appmesh-virtualnode-ip-preference", "disabled-tls-node", A, "dns.ipPreference is IPv6_ONLY"),
    Finding("appmesh-virtualnode-external-hostname-allowed", "unapproved-egress-node", M,
            "spec.serviceDiscovery.dns.hostname api.unknown-vendor.example.com is an external host that is not in "
            "allowedExternalHostnames; egress to it must be approved. If it is inside the network (a Cloud Map "
            "private namespace, a private hosted zone), add its domain to internalDomains (now: local, internal) in "
            "the config of each appmesh-virtualnode policy that takes it"),
    # A private address is no external host: the node is held to the listener rules.
    Finding(LISTENER_TLS, "private-ip-node", M, "listener[0] (http:8080) has no tls block"),
    Finding("appmesh-virtualnode-access-log", "private-ip-node", M, "spec.logging.accessLog.file.path is not set"),
    Finding("appmesh-virtualnode-listener-health-check", "private-ip-node", A, "listener[0] (http:8080) has no "
                                                                               "healthCheck"),
    Finding("appmesh-virtualnode-listener-outlier-detection", "private-ip-node", A,
            "listener[0] (http:8080) has no outlierDetection"),
    # Virtual gateways.
    Finding(GATEWAY_TLS, "open-gateway", M, "listener[0] (http:8443) has no tls block"),
    Finding(GATEWAY_TLS, "certless-gateway", M, "listener[0] (http:8443) tls has no validation.trust"),
    Finding(GATEWAY_DEFAULTS_TLS, "open-gateway", M, "backendDefaults has no clientPolicy.tls"),
    Finding(GATEWAY_DEFAULTS_TLS, "certless-gateway", M, "clientPolicy.tls has no client certificate"),
    Finding("appmesh-virtualgateway-access-log", "open-gateway", M, "spec.logging.accessLog.file.path is not set"),
    Finding("appmesh-virtualgateway-listener-health-check", "open-gateway", A, "listener[0] (http:8443) has no healthCheck"),
    # Routes.
    Finding("appmesh-route-retry-policy", "no-retry-route", A, "spec.httpRoute has no retryPolicy"),
    Finding("appmesh-route-retry-policy", "weak-retry-route", A, "spec.http2Route.retryPolicy.maxRetries is 1; it must be at least 2"),
    Finding("appmesh-route-retry-policy", "weak-retry-route", A, "spec.http2Route.retryPolicy lists no retry events"),
]

PASSING = [
    ("appmesh-mesh-egress-drop-all", "good-mesh"),
    ("appmesh-mesh-egress-drop-all", "ipv6-mesh"),
    ("appmesh-mesh-ip-preference", "good-mesh"),
    (LISTENER_TLS, "good-node"),
    (LISTENER_TLS, "no-defaults-node"),
    (DEFAULTS_TLS, "good-node"),
    (BACKEND_TLS, "good-node"),  # its partner-api backend is exempted by config
    (BACKEND_TLS, "no-defaults-node"),
    ("appmesh-virtualnode-access-log", "good-node"),
    ("appmesh-virtualnode-listener-health-check", "good-node"),
    ("appmesh-virtualnode-listener-outlier-detection", "good-node"),
    ("appmesh-virtualnode-ip-preference", "good-node"),
    ("appmesh-virtualnode-ip-preference", "inheriting-node"),  # its mesh's IPv4_PREFERRED applies
    ("appmesh-virtualnode-external-hostname-allowed", "approved-egress-node"),
    ("appmesh-virtualnode-external-hostname-allowed", "good-node"),
    ("appmesh-virtualnode-external-hostname-allowed", "private-ip-node"),
    (GATEWAY_TLS, "good-gateway"),
    (GATEWAY_DEFAULTS_TLS, "good-gateway"),
    ("appmesh-virtualgateway-access-log", "good-gateway"),
    ("appmesh-virtualgateway-listener-health-check", "good-gateway"),
    ("appmesh-route-retry-policy", "good-retry-route"),
    ("appmesh-route-retry-policy", "tcp-route"),
]

# Egress nodes run no Envoy: listener TLS, logging, health checks and outlier detection do not apply.
EGRESS_EXEMPT = [LISTENER_TLS, "appmesh-virtualnode-access-log", "appmesh-virtualnode-listener-health-check",
                 "appmesh-virtualnode-listener-outlier-detection"]


result, first_preview = program_fixtures(PROGRAM, CONFIG)


class TestInsecureProgram(InsecureProgramSuite):
    FAILING, PASSING = FAILING, PASSING


def test_the_insecure_mesh_program_is_refused(result):
    assert result.exit_code == 1


@pytest.mark.parametrize("policy", EGRESS_EXEMPT)
@pytest.mark.parametrize("node", ["approved-egress-node", "unapproved-egress-node"])
def test_egress_nodes_are_judged_only_on_their_hostname(result, policy, node):
    assert (policy, node) not in pairs(result)


def test_policy_config_knobs_change_the_verdict():
    # Without the stack's config: no external host is approved and no backend is exempt.
    default = program(PROGRAM)
    assert "api.stripe.com is an external host" in messages(
        default, "appmesh-virtualnode-external-hostname-allowed", "approved-egress-node")[0]
    assert any("backend 'partner-api.shop.local' clientPolicy.tls.enforce is false" in m
               for m in messages(default, BACKEND_TLS, "good-node"))
    # A stack that wants IPv6 flips the IP preference findings.
    ipv6 = program(PROGRAM, {**CONFIG, "appmesh-mesh-ip-preference": {"allowedIpPreferences": ["IPv6_PREFERRED"]}})
    assert ("appmesh-mesh-ip-preference", "ipv6-mesh") not in pairs(ipv6)
    assert "ipPreference is IPv4_PREFERRED" in messages(ipv6, "appmesh-mesh-ip-preference", "good-mesh")[0]


def test_a_tls_mode_known_only_after_the_update_is_not_a_violation(result, first_preview):
    # later-node's listener TLS mode comes from another resource's output: unknown in a first preview.
    assert LISTENER_TLS in not_run(first_preview, "later-node")
    assert (LISTENER_TLS, "later-node") not in pairs(first_preview)
    # Once known (STRICT) it is checked and passes.
    assert_passes(result, LISTENER_TLS, "later-node")




@pytest.mark.parametrize("mode, reported", [("STRICT", False), ("PERMISSIVE", True)])
@pytest.mark.parametrize("kind, policy", [("virtualNode", LISTENER_TLS), ("virtualGateway", GATEWAY_TLS)])
def test_a_certificate_whose_arn_waits_for_the_update_is_a_certificate(kind, policy, mode, reported):
    """A listener's certificate from an ACM certificate the stack issues has an ARN unknown on a first preview: that
    it is there is known, so the listener is judged (a PERMISSIVE one reported), never set aside as not run."""
    tls = {"mode": mode, "certificate": {"acm": {"certificateArn": UNKNOWN}},
           "validation": {"trust": {"acm": {"certificateAuthorityArns": [UNKNOWN]}}}}
    listener = {"portMapping": {"port": 8443, "protocol": "http"}, "tls": tls}
    spec = {"listeners": [listener], "logging": {"accessLog": {"file": {"path": "/dev/stdout"}}}}
    if kind == "virtualNode":
        spec["serviceDiscovery"] = {"awsCloudMap": {"namespaceName": "shop.local", "serviceName": "orders"}}
    resource = Res(f"aws:appmesh/{kind}:{kind[0].upper()}{kind[1:]}", "edge", {
        "meshName": "shop", "name": "edge", "spec": spec, "tags": DEFAULT_TAGS})
    report = analyze([resource], {"all": "disabled", policy: "mandatory"})
    assert [v.policy for v in report.not_run] == []
    assert bool(findings(report)) == reported, findings(report)


EGRESS_RULES = (LISTENER_TLS, "appmesh-virtualnode-access-log", "appmesh-virtualnode-listener-health-check",
                "appmesh-virtualnode-listener-outlier-detection", "appmesh-virtualnode-external-hostname-allowed")


@pytest.mark.parametrize("domains, found", [
    (None, {"appmesh-virtualnode-external-hostname-allowed"}),
    (["corp"], {LISTENER_TLS, "appmesh-virtualnode-access-log", "appmesh-virtualnode-listener-health-check",
                "appmesh-virtualnode-listener-outlier-detection"})])
def test_a_private_zone_named_internal_makes_its_nodes_mesh_nodes(domains, found):
    """A node discovering `orders.prod.shop.corp` by DNS is egress by default (outside .local and .internal): only the
    external-hostname rule asks of it. With `corp` in internalDomains it is a mesh node, held to the listener rules."""
    listener = {"portMapping": {"port": 8080, "protocol": "http"}, "tls": {"mode": "DISABLED"}}
    node = Res("aws:appmesh/virtualNode:VirtualNode", "orders", {"meshName": "shop", "name": "orders", "spec": {
        "listeners": [listener], "serviceDiscovery": {"dns": {"hostname": "orders.prod.shop.corp"}}},
        "tags": DEFAULT_TAGS})
    knobs = {"internalDomains": domains} if domains else {}
    report = analyze([node], {"all": "disabled", **{rule: {"enforcementLevel": "mandatory", **knobs}
                                                    for rule in EGRESS_RULES}})
    assert {policy for policy, _, _ in findings(report)} == found


@pytest.mark.parametrize("hostname, egress", [
    ("10.0.3.15", False), ("172.16.8.1", False), ("192.168.1.20", False), ("100.64.0.7", False),
    ("169.254.170.2", False), ("127.0.0.1", False), ("fd12:3456::1", False), ("fe80::1", False),
    ("52.94.76.10", True), ("2600:1f18::1", True)])
def test_an_address_outside_the_internet_is_a_mesh_node(hostname, egress):
    """A node discovering an IP address by DNS reaches that address: a private, shared, loopback or link-local one is
    inside the network (a mesh node, held to the listener rules), a public one is egress."""
    spec = {"listeners": [{"portMapping": {"port": 8080, "protocol": "http"}}],
            "serviceDiscovery": {"dns": {"hostname": hostname}}}
    node = Res("aws:appmesh/virtualNode:VirtualNode", "by-address",
               {"meshName": "shop", "name": "by-address", "spec": spec, "tags": DEFAULT_TAGS})
    report = analyze([node], {"all": "disabled", **{rule: "mandatory" for rule in EGRESS_RULES}})
    found = {policy for policy, _, _ in findings(report)}
    assert found == ({"appmesh-virtualnode-external-hostname-allowed"} if egress else set(EGRESS_EXEMPT)), found


# A listener with everything the listener rules ask for, in wire form.
SECURE_LISTENER = {
    "portMapping": {"port": 8080, "protocol": "http"},
    "tls": {"mode": "STRICT", "certificate": {"file": {"certificateChain": "/c/cert.pem", "privateKey": "/c/key.pem"}},
            "validation": {"trust": {"file": {"certificateChain": "/c/ca.pem"}}}},
    "healthCheck": {"protocol": "http", "path": "/health", "healthyThreshold": 2, "unhealthyThreshold": 2,
                    "timeoutMillis": 2000, "intervalMillis": 5000},
    "outlierDetection": {"maxServerErrors": 5, "maxEjectionPercent": 50, "interval": {"unit": "s", "value": 10},
                         "baseEjectionDuration": {"unit": "s", "value": 30}}}


@pytest.mark.parametrize("secure", [True, False])
def test_a_hostname_unknown_until_the_update_is_read_only_for_a_node_with_problems(secure):
    """A node reached through a load balancer's DNS name (unknown in a first preview): a secure one passes the
    listener rules whatever the host is; an insecure one waits for the hostname (egress nodes are exempt)."""
    spec = {"listeners": [SECURE_LISTENER], "logging": {"accessLog": {"file": {"path": "/dev/stdout"}}}} if secure \
        else {"listeners": [{"portMapping": {"port": 8080, "protocol": "http"}}]}
    spec["serviceDiscovery"] = {"dns": {"hostname": UNKNOWN}}
    node = Res("aws:appmesh/virtualNode:VirtualNode", "behind-nlb",
               {"meshName": "shop", "name": "behind-nlb", "spec": spec, "tags": DEFAULT_TAGS})
    report = analyze([node], {"all": "disabled", **{rule: "mandatory" for rule in EGRESS_EXEMPT}})
    assert findings(report) == set()
    assert {v.policy for v in report.not_run} == (set() if secure else set(EGRESS_EXEMPT))


OWN = "123456789012"


def _ip_preference_findings(node_props: dict, mesh_preference, refs: dict = None,
                            mesh_props: dict = None) -> set[tuple[str, str]]:
    """appmesh-virtualnode-ip-preference on a node without an ipPreference of its own, beside mesh `shop`."""
    mesh = Res("aws:appmesh/mesh:Mesh", "shop-mesh", {"name": "shop", "spec": {
        "serviceDiscovery": {"ipPreference": mesh_preference} if mesh_preference else {}}, **(mesh_props or {})})
    node = Res("aws:appmesh/virtualNode:VirtualNode", "orders", {"meshName": "shop", "name": "orders", "spec": {
        "serviceDiscovery": {"dns": {"hostname": "orders.shop.local"}}}, **node_props}, refs or {})
    report = analyze([mesh, node], {"all": "disabled", "appmesh-virtualnode-ip-preference": "mandatory"})
    return {(name, message) for _, name, message in findings(report)}


def test_a_node_without_an_ip_preference_takes_its_meshs():
    """App Mesh's DnsServiceDiscovery.ipPreference "only overrides the IP preference set for the mesh on this specific
    node": a node that sets none uses its mesh's."""
    assert _ip_preference_findings({}, "IPv4_ONLY") == set()
    assert _ip_preference_findings({}, None) == {("orders", "spec.serviceDiscovery.dns sets no ipPreference and its "
                                                  "mesh shop-mesh sets none; set one of IPv4_ONLY, IPv4_PREFERRED "
                                                  "here, or on the mesh's spec.serviceDiscovery.ipPreference.")}
    # Another account's mesh of that name, shared with this one, is not the stack's.
    assert [name for name, _ in _ip_preference_findings({"meshOwner": "210987654321"}, "IPv4_ONLY",
                                                        mesh_props={"meshOwner": OWN})] == ["orders"]
    # The node names its own account: the stack's mesh, once its owner (an output) is known; until then not judged.
    assert _ip_preference_findings({"meshOwner": OWN}, "IPv4_ONLY", mesh_props={"meshOwner": OWN}) == set()
    assert [name for name, _ in _ip_preference_findings({"meshOwner": OWN}, None, mesh_props={"meshOwner": OWN})] \
        == ["orders"]
    assert _ip_preference_findings({"meshOwner": OWN}, None) == set()
    assert _ip_preference_findings({"meshOwner": OWN}, None, mesh_props={"meshOwner": UNKNOWN}) == set()
    # The mesh's preference, or which mesh, unknown until the update: not judged.
    assert _ip_preference_findings({}, UNKNOWN) == set()
    assert _ip_preference_findings({"meshName": UNKNOWN}, None) == set()
    # Made from the mesh (its name, in a first preview): that mesh decides.
    assert _ip_preference_findings({"meshName": UNKNOWN}, "IPv4_ONLY", {"meshName": ["shop-mesh"]}) == set()
    assert [name for name, _ in _ip_preference_findings({"meshName": UNKNOWN}, None, {"meshName": ["shop-mesh"]})] \
        == ["orders"]


@pytest.mark.parametrize("node_region, found", [
    ("us-west-2", "spec.serviceDiscovery.dns sets no ipPreference and its mesh is not in the stack"),
    ("us-east-1", "spec.serviceDiscovery.dns sets no ipPreference and its mesh east-mesh sets IPv6_PREFERRED")])
def test_a_nodes_mesh_is_the_one_of_that_name_in_its_region(node_region, found):
    """App Mesh looks a node's meshName up in the node's region; a mesh's id is its name (pulumi-aws sets the id to
    it), so matching the id says nothing more of where the mesh is."""
    providers = [Res("pulumi:providers:aws", region, {"region": region}) for region in ("us-east-1", "us-west-2")]
    mesh = Res("aws:appmesh/mesh:Mesh", "east-mesh", {"name": "shop", "id": "shop", "spec": {
        "serviceDiscovery": {"ipPreference": "IPv6_PREFERRED"}}}, provider="us-east-1")
    node = Res("aws:appmesh/virtualNode:VirtualNode", "orders", {"meshName": "shop", "name": "orders", "spec": {
        "serviceDiscovery": {"dns": {"hostname": "orders.shop.local"}}}}, provider=node_region)
    report = analyze([*providers, mesh, node], {"all": "disabled", "appmesh-virtualnode-ip-preference": "mandatory"})
    assert [message.split(";")[0] for _, _, message in findings(report)] == [found]
