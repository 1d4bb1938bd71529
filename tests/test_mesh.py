"""The mesh layer: Cloud Map, certificates and the App Mesh data plane, as the engine receives them.

Most tests read the real program's offline preview of dev and prod (`dev_appmesh_preview`, `prod_appmesh_preview`).
The seam (the MeshWorkloads handed to the compute layer) and config variants (PERMISSIVE, no tls block,
an ACM Private CA) use tests/programs/mesh_only, which wires the same three components alone.
"""
from __future__ import annotations

import json
import re

import pytest

from components import naming
from components.config import ConfigError
from components.workload import TLS_FILES
from tests.conftest import ROOT, parse, program_with_stack, raw_config, with_value
from tools.mockrun import fake_arn
from tools.preview import run_preview

MESH = "aws:appmesh/mesh:Mesh"
NODE = "aws:appmesh/virtualNode:VirtualNode"
ROUTER = "aws:appmesh/virtualRouter:VirtualRouter"
ROUTE = "aws:appmesh/route:Route"
VSERVICE = "aws:appmesh/virtualService:VirtualService"
GATEWAY = "aws:appmesh/virtualGateway:VirtualGateway"
GATEWAY_ROUTE = "aws:appmesh/gatewayRoute:GatewayRoute"
NAMESPACE = "aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace"
DISCOVERY_SERVICE = "aws:servicediscovery/service:Service"
SECRET = "aws:secretsmanager/secret:Secret"
SECRET_VERSION = "aws:secretsmanager/secretVersion:SecretVersion"
PRIVATE_KEY = "tls:index/privateKey:PrivateKey"
CA_CERT = "tls:index/selfSignedCert:SelfSignedCert"
LEAF_CERT = "tls:index/locallySignedCert:LocallySignedCert"
CSR = "tls:index/certRequest:CertRequest"
PCA_CERT = "aws:acmpca/certificate:Certificate"
API_CLIENT_CERT = "aws:apigateway/clientCertificate:ClientCertificate"
MESH_ONLY = ROOT / "tests" / "programs" / "mesh_only"

# The call graph of both stacks (Pulumi.dev.yaml / Pulumi.prod.yaml), written out so a wiring bug that
# also bent the expectation cannot pass.
CALLS = {
    "user-service": {"product-service", "order-service"},
    "product-service": {"order-service"},
    "order-service": {"payment-service", "user-service"},
    "payment-service": set(),
}
PUBLIC_PATHS = {"user-service": "/users", "product-service": "/products", "order-service": "/orders"}
VERSIONS = {"user-service": [("v1", 90), ("v2", 10)], "product-service": [("v1", 100)],
            "order-service": [("v1", 100)], "payment-service": [("v1", 100)]}
STRIPE = "api.stripe.com"
REQUIRED_LOG_OPERATORS = {
    "%START_TIME%", "%REQ(:METHOD)%", "%REQ(X-ENVOY-ORIGINAL-PATH?:PATH)%", "%PROTOCOL%", "%RESPONSE_CODE%",
    "%RESPONSE_FLAGS%", "%BYTES_RECEIVED%", "%BYTES_SENT%", "%DURATION%", "%RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)%",
    "%UPSTREAM_HOST%", "%REQ(X-REQUEST-ID)%", "%REQ(:AUTHORITY)%",
}
FILE_CERTIFICATE = {"file": {"certificateChain": TLS_FILES.certificate_chain, "privateKey": TLS_FILES.private_key}}
MESH_CA_TRUST = {"file": {"certificateChain": TLS_FILES.ca_bundle}}

STACKS = ["dev", "prod"]


@pytest.fixture(params=STACKS)
def stack(request, dev_appmesh_preview, prod_appmesh_preview):
    return request.param, (dev_appmesh_preview if request.param == "dev" else prod_appmesh_preview)


def vs(service: str, env: str) -> str:
    return f"{service}.{env}.ecommerce.local"


def gateway_identity(env: str) -> str:
    return f"ingress-gateway.{env}.ecommerce.local"


def by_name(result, type_: str) -> dict:
    """Resources of a type keyed by their physical `name` input (the App Mesh / Cloud Map name)."""
    out = {}
    for r in result.find(type_):
        assert r.inputs["name"] not in out, f"two {type_} named {r.inputs['name']}"
        out[r.inputs["name"]] = r
    return out


def service_nodes(result) -> dict:
    return {n: r for n, r in by_name(result, NODE).items() if not n.startswith("external-")}


def certificate_material(result, env: str, type_: str) -> list:
    """Resources of a type declared by the MeshCertificates component (other layers may declare the same types)."""
    parent = result.get("service-mesh-platform:certificates:MeshCertificates", f"{env}-certificates").urn
    return [r for r in result.find(type_) if r.parent == parent]


def sans(validation: dict) -> set:
    return set(validation.get("subjectAlternativeNames", {}).get("match", {}).get("exacts", []))


# --- Cloud Map ---------------------------------------------------------------------------------------


def test_private_namespace_is_bound_to_the_vpc(stack):
    env, result = stack
    namespace = result.get(NAMESPACE, f"{env}-discovery-namespace")
    assert namespace.inputs["name"] == f"{env}.ecommerce.local"
    vpc = result.get("aws:ec2/vpc:Vpc", f"{env}-network-vpc")
    assert namespace.inputs["vpc"] == f"{vpc.name}-id"
    assert vpc.urn in namespace.property_dependencies["vpc"]


def test_one_discovery_service_per_mesh_service_with_custom_health_checks(stack):
    env, result = stack
    services = by_name(result, DISCOVERY_SERVICE)
    assert set(services) == set(CALLS)
    for service in services.values():
        dns = service.inputs["dnsConfig"]
        assert dns["namespaceId"] == f"{env}-discovery-namespace-id"
        assert dns["dnsRecords"] == [{"type": "A", "ttl": 10}]
        assert dns["routingPolicy"] == "MULTIVALUE"
        # Private namespace: ECS reports health; Route 53 health checks are for public namespaces only.
        # An empty block would be dropped by the provider and then replaced on every update.
        assert service.inputs["healthCheckCustomConfig"] == {"failureThreshold": 1}
        assert "healthCheckConfig" not in service.inputs
        # Removing a service, or destroying the stack, deletes it once its ECS service is gone, instances or not.
        assert service.inputs["forceDestroy"] is True


# --- the mesh ----------------------------------------------------------------------------------------


def test_mesh_drops_all_egress_and_states_its_ip_preference(stack):
    env, result = stack
    (mesh,) = result.find(MESH)
    assert mesh.inputs["name"] == f"{env}-mesh"
    # Exactly these two settings: no logging or tracing on a Mesh (they live on nodes and Envoy).
    assert mesh.inputs["spec"] == {"egressFilter": {"type": "DROP_ALL"}, "serviceDiscovery": {"ipPreference": "IPv4_ONLY"}}
    assert result.outputs["meshName"] == f"{env}-mesh"
    assert result.outputs["namespace"] == f"{env}.ecommerce.local"


def test_a_virtual_node_per_service_version_selecting_its_task_family(stack):
    env, result = stack
    nodes = service_nodes(result)
    assert set(nodes) == {f"{s}-{v}" for s, versions in VERSIONS.items() for v, _ in versions}
    for service, versions in VERSIONS.items():
        for version, _ in versions:
            node = nodes[f"{service}-{version}"]
            assert node.inputs["meshName"] == f"{env}-mesh"
            assert node.inputs["spec"]["serviceDiscovery"] == {"awsCloudMap": {
                "namespaceName": f"{env}.ecommerce.local",
                "serviceName": service,
                "attributes": {"ECS_TASK_DEFINITION_FAMILY": naming.task_family(env, service, version)},
            }}
    # v1 and v2 register in one Cloud Map service and differ only by task family.
    assert (nodes["user-service-v1"].inputs["spec"]["serviceDiscovery"]["awsCloudMap"]["attributes"]
            != nodes["user-service-v2"].inputs["spec"]["serviceDiscovery"]["awsCloudMap"]["attributes"])


def test_listeners_health_check_time_out_pool_and_eject(stack):
    _, result = stack
    for name, node in service_nodes(result).items():
        (listener,) = node.inputs["spec"]["listeners"]
        assert listener["portMapping"] == {"port": 8000, "protocol": "http"}, name
        assert listener["healthCheck"] == {"protocol": "http", "path": "/health", "port": 8000, "healthyThreshold": 2,
                                           "unhealthyThreshold": 3, "intervalMillis": 10000, "timeoutMillis": 5000}
        assert listener["timeout"] == {"http": {"idle": {"unit": "ms", "value": 300000},
                                                "perRequest": {"unit": "ms", "value": 15000}}}
        # A virtual node's pool members are lists.
        assert listener["connectionPool"] == {"https": [{"maxConnections": 1024, "maxPendingRequests": 1024}]}
        # The seed's circuit breaker: 5 server errors in 10 s eject a host for 30 s, at most half of them.
        assert listener["outlierDetection"] == {
            "maxServerErrors": 5, "interval": {"unit": "ms", "value": 10000},
            "baseEjectionDuration": {"unit": "ms", "value": 30000}, "maxEjectionPercent": 50}


def test_every_listener_requires_mtls_from_its_callers_only(stack):
    env, result = stack
    for name, node in service_nodes(result).items():
        service = name.rsplit("-", 1)[0]
        tls = node.inputs["spec"]["listeners"][0]["tls"]
        assert tls["mode"] == "STRICT"
        assert tls["certificate"] == FILE_CERTIFICATE
        assert tls["validation"]["trust"] == MESH_CA_TRUST
        callers = {vs(s, env) for s, callees in CALLS.items() if service in callees}
        if service in PUBLIC_PATHS:
            callers.add(gateway_identity(env))
        assert sans(tls["validation"]) == callers, name
    assert sans(service_nodes(result)["payment-service-v1"].inputs["spec"]["listeners"][0]["tls"]["validation"]) == {
        vs("order-service", env)}


def test_backends_are_exactly_the_call_graph_plus_the_payment_provider(stack):
    env, result = stack
    for name, node in service_nodes(result).items():
        service = name.rsplit("-", 1)[0]
        backends = {b["virtualService"]["virtualServiceName"]: b["virtualService"]
                    for b in node.inputs["spec"].get("backends", [])}
        expected = {vs(c, env) for c in CALLS[service]} | ({STRIPE} if service == "payment-service" else set())
        assert set(backends) == expected, name
        for backend_name, backend in backends.items():
            if backend_name == STRIPE:
                # The app's own HTTPS to the provider passes through Envoy as TCP: no mesh mTLS around it.
                assert "clientPolicy" not in backend
                continue
            tls = backend["clientPolicy"]["tls"]
            assert tls["enforce"] is True
            assert tls["certificate"] == FILE_CERTIFICATE
            assert tls["validation"]["trust"] == MESH_CA_TRUST
            assert sans(tls["validation"]) == {backend_name}
            assert tls["ports"] == [8000]


def test_backend_defaults_enforce_mtls_on_every_node_and_the_gateway(stack):
    env, result = stack
    policies = {name: node.inputs["spec"]["backendDefaults"]["clientPolicy"]["tls"]
                for name, node in service_nodes(result).items()}
    (gateway,) = result.find(GATEWAY)
    policies["ingress-gateway"] = gateway.inputs["spec"]["backendDefaults"]["clientPolicy"]["tls"]
    for name, tls in policies.items():
        assert tls["enforce"] is True, name
        assert tls["certificate"] == FILE_CERTIFICATE, name
        assert tls["validation"]["trust"] == MESH_CA_TRUST, name
        # Mesh services' port only: port 443 (the external) is left to the app's own TLS.
        assert tls["ports"] == [8000], name
    assert sans(policies["order-service-v1"]["validation"]) == {vs("payment-service", env), vs("user-service", env)}
    assert sans(policies["ingress-gateway"]["validation"]) == {vs(s, env) for s in PUBLIC_PATHS}
    assert "subjectAlternativeNames" not in policies["payment-service-v1"]["validation"]


def test_a_service_nobody_calls_admits_no_mesh_client(tmp_path):
    # Without a caller there is no SAN to allow: the listener must not fall back to "any mesh certificate".
    program = program_with_stack(tmp_path, "dev", lambda text: text.replace(
        "calls: [payment-service, user-service]", "calls: [user-service]"))
    result = run_preview("dev", program, config_overrides=["mesh.dataPlane=appmesh"])
    assert result.error is None, result.error
    payment = service_nodes(result)["payment-service-v1"].inputs["spec"]["listeners"][0]["tls"]
    assert payment["mode"] == "STRICT" and payment["validation"]["trust"] == MESH_CA_TRUST
    assert sans(payment["validation"]) == {"no-mesh-client.invalid"}


def test_nodes_and_gateway_log_json_access_records_to_stdout(stack):
    _, result = stack
    logged = list(service_nodes(result).values()) + result.find(GATEWAY)
    assert len(logged) == 6
    for resource in logged:
        log = resource.inputs["spec"]["logging"]["accessLog"]["file"]
        assert log["path"] == "/dev/stdout"
        assert "text" not in log["format"]
        fields = {entry["key"]: entry["value"] for entry in log["format"]["jsons"]}
        assert REQUIRED_LOG_OPERATORS <= set(fields.values()), resource.name
        assert fields["x_request_id"] == "%REQ(X-REQUEST-ID)%" and fields["authority"] == "%REQ(:AUTHORITY)%"


# --- routing -------------------------------------------------------------------------------------------


def test_a_router_and_virtual_service_per_service(stack):
    env, result = stack
    routers = by_name(result, ROUTER)
    services = by_name(result, VSERVICE)
    assert set(routers) == {f"{s}-router" for s in CALLS}
    assert set(services) == {vs(s, env) for s in CALLS} | {STRIPE}
    for service in CALLS:
        assert routers[f"{service}-router"].inputs["spec"] == {
            "listeners": [{"portMapping": {"port": 8000, "protocol": "http"}}]}
        assert services[vs(service, env)].inputs["spec"] == {
            "provider": {"virtualRouter": {"virtualRouterName": f"{service}-router"}}}
        assert routers[f"{service}-router"].urn in services[vs(service, env)].dependencies


def test_weighted_default_route_and_header_route_to_the_canary(stack):
    env, result = stack
    routes: dict[str, dict] = {}
    for route in result.find(ROUTE):
        routes.setdefault(route.inputs["virtualRouterName"], {})[route.inputs["name"]] = route.inputs
    assert set(routes) == {f"{s}-router" for s in CALLS}
    for service, versions in VERSIONS.items():
        weighted = routes[f"{service}-router"]["weighted"]
        assert weighted["meshName"] == f"{env}-mesh"
        assert weighted["spec"]["priority"] == 100
        http = weighted["spec"]["httpRoute"]
        assert http["match"] == {"prefix": "/"}
        assert [(t["virtualNode"], t["weight"]) for t in http["action"]["weightedTargets"]] == [
            (f"{service}-{v}", w) for v, w in versions]
    assert set(routes["user-service-router"]) == {"weighted", "v2-by-header"}
    assert all(set(routes[f"{s}-router"]) == {"weighted"} for s in CALLS if s != "user-service")
    canary = routes["user-service-router"]["v2-by-header"]["spec"]
    assert canary["priority"] < routes["user-service-router"]["weighted"]["spec"]["priority"]
    assert canary["httpRoute"]["match"] == {"prefix": "/", "headers": [{"name": "x-canary", "match": {"exact": "true"}}]}
    assert canary["httpRoute"]["action"]["weightedTargets"] == [{"virtualNode": "user-service-v2", "weight": 100}]


def test_routes_retry_transient_failures_and_time_out(stack):
    _, result = stack
    routes = result.find(ROUTE)
    assert len(routes) == 5
    for route in routes:
        http = route.inputs["spec"]["httpRoute"]
        retry = http["retryPolicy"]
        assert retry["maxRetries"] == 3  # the config default; config rejects fewer than 2
        assert retry["httpRetryEvents"] == ["stream-error", "gateway-error"]
        assert retry["tcpRetryEvents"] == ["connection-error"]
        assert retry["perRetryTimeout"] == {"unit": "ms", "value": 2000}
        assert http["timeout"] == {"idle": {"unit": "ms", "value": 300000}, "perRequest": {"unit": "ms", "value": 15000}}


# --- externals ------------------------------------------------------------------------------------------


def test_the_payment_provider_is_the_only_way_out(stack):
    env, result = stack
    node = by_name(result, NODE)["external-payment-provider"]
    assert node.inputs["spec"] == {
        "listeners": [{"portMapping": {"port": 443, "protocol": "tcp"}}],
        "serviceDiscovery": {"dns": {"hostname": STRIPE, "responseType": "LOADBALANCER", "ipPreference": "IPv4_ONLY"}},
    }
    service = by_name(result, VSERVICE)[STRIPE]
    assert service.inputs["spec"] == {"provider": {"virtualNode": {"virtualNodeName": "external-payment-provider"}}}
    callers = [name for name, n in service_nodes(result).items()
               if STRIPE in {b["virtualService"]["virtualServiceName"] for b in n.inputs["spec"].get("backends", [])}]
    assert callers == ["payment-service-v1"]


# --- ingress ----------------------------------------------------------------------------------------------


def test_ingress_gateway_listener(stack):
    env, result = stack
    (gateway,) = result.find(GATEWAY)
    assert gateway.inputs["name"] == "ingress-gateway" and gateway.inputs["meshName"] == f"{env}-mesh"
    (listener,) = gateway.inputs["spec"]["listeners"]
    assert listener["portMapping"] == {"port": 8080, "protocol": "http"}
    assert listener["healthCheck"]["protocol"] == "http" and listener["healthCheck"]["port"] == 8080
    # A gateway's pool members are singular.
    assert listener["connectionPool"] == {"http": {"maxConnections": 1024, "maxPendingRequests": 1024}}
    # STRICT with client validation: the bundle trusts API Gateway's client certificate (see test below).
    assert listener["tls"] == {"mode": "STRICT", "certificate": FILE_CERTIFICATE, "validation": {"trust": MESH_CA_TRUST}}


def test_a_gateway_route_per_public_path_keeping_the_prefix(stack):
    env, result = stack
    routes = by_name(result, GATEWAY_ROUTE)
    assert set(routes) == set(PUBLIC_PATHS)
    for service, path in PUBLIC_PATHS.items():
        route = routes[service].inputs
        assert route["virtualGatewayName"] == "ingress-gateway"
        assert route["spec"] == {"httpRoute": {
            "match": {"prefix": path},
            "action": {"target": {"virtualService": {"virtualServiceName": vs(service, env)}},
                       # App Mesh would rewrite /users/42 to /42; the services serve /users/42.
                       "rewrite": {"prefix": {"defaultPrefix": "DISABLED"}}},
        }}
        # The target is the virtual service resource itself, so it exists before the route.
        virtual_service = by_name(result, VSERVICE)[vs(service, env)]
        assert virtual_service.urn in routes[service].dependencies
        assert "retryPolicy" not in json.dumps(route)


# --- certificates ------------------------------------------------------------------------------------------


def _secret_json(version) -> dict:
    value = version.inputs["secretString"]
    assert set(value) == {"secret"}, "the secret string must travel as a secret"
    return json.loads(value["secret"])


def test_a_ca_and_a_certificate_per_service_and_for_the_gateway(stack):
    env, result = stack
    (ca,) = certificate_material(result, env, CA_CERT)
    assert ca.inputs["isCaCertificate"] is True
    assert set(ca.inputs["allowedUses"]) >= {"cert_signing"}
    identities = {**{s: vs(s, env) for s in CALLS}, "ingress-gateway": gateway_identity(env)}
    csrs = {r.name: r for r in certificate_material(result, env, CSR)}
    leaves = {r.name: r for r in certificate_material(result, env, LEAF_CERT)}
    assert len(csrs) == len(leaves) == 5
    for identity, dns_name in identities.items():
        csr = csrs[f"{env}-certificates-{identity}-csr"]
        assert csr.inputs["dnsNames"] == [dns_name]
        assert csr.inputs["subject"]["commonName"] == dns_name
        leaf = leaves[f"{env}-certificates-{identity}-cert"]
        assert leaf.inputs["validityPeriodHours"] == 2160 and leaf.inputs["earlyRenewalHours"] == 720
        # One certificate for both directions (Envoy serves it and presents it as a client), and it signs no
        # certificate or CRL: a workload's key is no CA.
        assert leaf.inputs["allowedUses"] == ["digital_signature", "key_encipherment", "server_auth", "client_auth"]
        assert leaf.inputs["certRequestPem"] == f"-----BEGIN CERTIFICATE REQUEST-----\nmock-{csr.name}\n-----END CERTIFICATE REQUEST-----\n"
        assert leaf.inputs["caCertPem"] == f"-----BEGIN CERTIFICATE-----\nmock-{ca.name}\n-----END CERTIFICATE-----\n"


def test_one_secret_per_workload_with_chain_key_and_bundle(stack):
    env, result = stack
    secrets = {r.inputs["name"]: r for r in certificate_material(result, env, SECRET)}
    assert set(secrets) == {f"{env}/mesh/tls/{i}" for i in list(CALLS) + ["ingress-gateway"]}
    versions = {r.name: r for r in certificate_material(result, env, SECRET_VERSION)}
    for identity in CALLS:
        version = versions[f"{env}-certificates-{identity}"]
        # The secret's id, which pulumi-aws makes its ARN.
        secret = secrets[f"{env}/mesh/tls/{identity}"]
        assert version.inputs["secretId"] == fake_arn(SECRET, secret.name, "us-east-1", secret.inputs)
        # Secrets Manager's form: the name, a hyphen and six characters.
        assert re.fullmatch(rf"arn:aws:secretsmanager:us-east-1:\d{{12}}:secret:{env}/mesh/tls/{identity}-\w{{6}}",
                            version.inputs["secretId"])
        material = _secret_json(version)
        assert set(material) == {"cert_chain", "key", "ca_bundle"}
        ca_pem = f"-----BEGIN CERTIFICATE-----\nmock-{env}-certificates-ca\n-----END CERTIFICATE-----\n"
        leaf_pem = f"-----BEGIN CERTIFICATE-----\nmock-{env}-certificates-{identity}-cert\n-----END CERTIFICATE-----\n"
        assert material["cert_chain"] == leaf_pem + ca_pem
        assert material["ca_bundle"] == ca_pem
        assert material["key"] == f"-----BEGIN PRIVATE KEY-----\nmock-{env}-certificates-{identity}-key\n-----END PRIVATE KEY-----\n"
    # The gateway's bundle also trusts API Gateway's client certificate (created by AWS), so API Gateway can
    # present it over the VPC link; the whole string stays a secret.
    gateway_material = _secret_json(versions[f"{env}-certificates-ingress-gateway"])
    api_client_pem = f"-----BEGIN CERTIFICATE-----\nmock-apigw-{env}-certificates-api-client\n-----END CERTIFICATE-----\n"
    assert gateway_material["ca_bundle"].endswith(api_client_pem)
    assert gateway_material["ca_bundle"].startswith(
        f"-----BEGIN CERTIFICATE-----\nmock-{env}-certificates-ca\n-----END CERTIFICATE-----\n")
    (api_client,) = certificate_material(result, env, API_CLIENT_CERT)
    assert api_client.urn in versions[f"{env}-certificates-ingress-gateway"].dependencies


def _plain_strings(value, path=""):
    """Every string reachable without passing through a {"secret": ...} wrapper."""
    if isinstance(value, dict):
        if set(value) == {"secret"}:
            return
        for k, v in value.items():
            yield from _plain_strings(v, f"{path}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _plain_strings(v, f"{path}[{i}]")
    elif isinstance(value, str):
        yield path, value


def _secret_strings(value):
    if isinstance(value, dict):
        if set(value) == {"secret"}:
            inner = value["secret"]
            yield from ([inner] if isinstance(inner, str) else [json.dumps(inner)])
            return
        for v in value.values():
            yield from _secret_strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _secret_strings(v)


def test_private_keys_never_travel_in_plain_text(stack):
    env, result = stack
    keys = {f"-----BEGIN PRIVATE KEY-----\nmock-{k.name}\n-----END PRIVATE KEY-----\n"
            for k in certificate_material(result, env, PRIVATE_KEY)}
    assert len(keys) == 6  # the CA and five workloads
    for resource in result.resources:
        for path, text in _plain_strings(resource.inputs):
            assert "PRIVATE KEY" not in text, f"{resource.type} {resource.name}{path} carries a private key in plain text"
    for path, text in _plain_strings(result.outputs):
        assert "PRIVATE KEY" not in text, f"stack output {path}"
    # The keys do reach their consumers, as secrets: the CSRs, the CA, the signer and the secret values.
    carried = {key for r in result.resources for s in _secret_strings(r.inputs) for key in keys if key in s}
    assert carried == keys
    for key in certificate_material(result, env, PRIVATE_KEY):
        assert "privateKeyPem" in key.additional_secret_outputs


def test_identity_material_is_protected_in_prod_only(dev_appmesh_preview, prod_appmesh_preview):
    protected_types = {PRIVATE_KEY, SECRET, API_CLIENT_CERT}
    for env, result, protect in (("dev", dev_appmesh_preview, False), ("prod", prod_appmesh_preview, True)):
        material = [r for t in protected_types for r in certificate_material(result, env, t)]
        assert len(material) == 6 + 5 + 1
        assert all(r.protect is protect for r in material), [(r.name, r.protect) for r in material]
        # Certificates renew by replacement, which protect would block: they are never protected.
        assert not any(r.protect for t in (CA_CERT, LEAF_CERT) for r in certificate_material(result, env, t))
        windows = {r.inputs["recoveryWindowInDays"] for r in certificate_material(result, env, SECRET)}
        assert windows == ({30} if protect else {0})


# --- the seam and config variants (tests/programs/mesh_only) ---------------------------------------------------


@pytest.fixture(scope="module")
def mesh_only():
    results = {stack: run_preview(stack, MESH_ONLY) for stack in ("dev", "permissive", "notls", "pca")}
    for stack, result in results.items():
        assert result.error is None, (stack, result.error)
    return results


def test_workloads_are_what_the_compute_layer_needs(mesh_only):
    result = mesh_only["dev"]
    workloads = {w["name"]: w for w in result.outputs["workloads"]}
    assert list(workloads) == ["user-service-v1", "user-service-v2", "product-service-v1", "order-service-v1",
                               "payment-service-v1", "ingress-gateway"]
    files = {"certificateChain": TLS_FILES.certificate_chain, "privateKey": TLS_FILES.private_key,
             "caBundle": TLS_FILES.ca_bundle}
    nodes = {r.inputs["name"] for r in result.find(NODE)}
    secrets = {r.inputs["name"]: r for r in result.find(SECRET)}
    secret_arns = {name: fake_arn(SECRET, r.name, "us-east-1", r.inputs) for name, r in secrets.items()}
    for service, versions in VERSIONS.items():
        for version, _ in versions:
            w = workloads[f"{service}-{version}"]
            # App Mesh's ARN names the mesh and ends in the node's name, which Envoy tags its stats with.
            assert f"{service}-{version}" in nodes
            assert w["resourceArn"] == (
                f"arn:aws:appmesh:us-east-1:123456789012:mesh/dev-mesh/virtualNode/{service}-{version}")
            assert w["listenerPort"] == 8000
            assert (w["service"], w["version"]) == (service, version)
            assert w["taskFamily"] == naming.task_family("dev", service, version)
            assert w["cloudMapServiceArn"] == fake_arn(DISCOVERY_SERVICE, f"discovery-{service}", "us-east-1")
            assert w["secretArn"] == secret_arns[f"dev/mesh/tls/{service}"]
            assert w["files"] == files
            # Secrets Manager assigns it on creation (unknown unless the mocks compute one), but it is wired.
            assert w["secretVersionId"] == {"unknown": True} or isinstance(w["secretVersionId"], str)
    gateway = workloads["ingress-gateway"]
    (gateway_resource,) = result.find(GATEWAY)
    assert gateway["resourceArn"] == ("arn:aws:appmesh:us-east-1:123456789012:mesh/dev-mesh/virtualGateway/"
                                      f"{gateway_resource.inputs['name']}")
    assert gateway["listenerPort"] == 8080
    assert gateway["secretArn"] == secret_arns["dev/mesh/tls/ingress-gateway"]
    assert (gateway["service"], gateway["version"], gateway["cloudMapServiceArn"], gateway["taskFamily"]) == (
        None, None, None, None)
    assert result.outputs["gatewayHostname"] == "ingress-gateway.dev.ecommerce.local"
    assert result.outputs["apiClientCertificateId"] == "certificates-api-client-id"


def _listener_modes(result) -> set:
    return {r.inputs["spec"]["listeners"][0]["tls"]["mode"] for r in result.find(NODE) + result.find(GATEWAY)
            if "tls" in r.inputs["spec"]["listeners"][0]}


def test_permissive_tls_only_through_the_named_setting(mesh_only):
    assert _listener_modes(mesh_only["dev"]) == {"STRICT"}
    # No tls block at all: still STRICT, never a silent downgrade.
    assert _listener_modes(mesh_only["notls"]) == {"STRICT"}
    assert _listener_modes(mesh_only["permissive"]) == {"PERMISSIVE"}
    # Clients keep enforcing TLS even then.
    service_nodes_ = [n for n in mesh_only["permissive"].find(NODE) if "awsCloudMap" in n.inputs["spec"]["serviceDiscovery"]]
    assert service_nodes_
    for node in service_nodes_:
        assert node.inputs["spec"]["backendDefaults"]["clientPolicy"]["tls"]["enforce"] is True


def test_a_private_ca_signs_the_csrs_instead_of_a_local_ca(mesh_only):
    result = mesh_only["pca"]
    assert result.find(CA_CERT) == [] and result.find(LEAF_CERT) == []
    assert len(result.find(PRIVATE_KEY)) == 5  # workload keys only: the CA's key stays in ACM PCA
    issued = {r.name: r for r in result.find(PCA_CERT)}
    assert len(issued) == 5
    for csr in result.find(CSR):
        cert = issued[csr.name.replace("-csr", "-cert")]
        assert cert.inputs["certificateAuthorityArn"] == (
            "arn:aws:acm-pca:us-east-1:111122223333:certificate-authority/11111111-2222-3333-4444-555555555555")
        assert cert.inputs["signingAlgorithm"] == "SHA256WITHECDSA"
        # 2160 hours, in the days ACM PCA counts in.
        assert cert.inputs["validity"] == {"type": "DAYS", "value": "90"}
        assert cert.inputs["certificateSigningRequest"].startswith("-----BEGIN CERTIFICATE REQUEST-----")
        assert csr.urn in cert.dependencies
    assert all(r.protect for r in result.find(PRIVATE_KEY) + result.find(SECRET))


# --- config errors in this area ------------------------------------------------------------------------------


def _with(path: str, value) -> dict:
    return with_value(with_value(raw_config("dev"), "mesh.dataPlane", "appmesh"), path, value)


@pytest.mark.parametrize("path, value, message", [
    ("services[2].calls", ["payment-service", "cart-service"],
     "Pulumi.dev.yaml: services[2].calls[1]: 'cart-service' is not a service in this stack"),
    ("services[0].versions[1].weight", 5, "Pulumi.dev.yaml: services[0].versions: weights sum to 95, not 100"),
    ("services[0].versions[1]", {"name": "v2", "weight": 10},
     "Pulumi.dev.yaml: services[0].versions[1].image: version 'v2' needs its own image"),
    ("services[0].versions[0]", {"name": "v1", "weight": 90, "headerMatch": {"name": "x-stable", "exact": "1"}},
     "Pulumi.dev.yaml: services[0].versions[0].headerMatch: version 'v1' is the primary version and takes the default "
     "route; put headerMatch on a canary version"),
    ("services[0].versions", [
        {"name": "v1", "weight": 80},
        {"name": "v2", "weight": 10, "image": "example/user:2", "headerMatch": {"name": "x-canary", "exact": "true"}},
        {"name": "v3", "weight": 10, "image": "example/user:3", "headerMatch": {"name": "x-canary", "exact": "true"}}],
     "Pulumi.dev.yaml: services[0].versions[2].headerMatch: x-canary: true already routes to version 'v2'"),
    ("externals[0].port", 8000,
     "Pulumi.dev.yaml: externals[0].port: 8000 is also the port of payment-service (services[3].port): Envoy "
     "originates mesh mTLS by port (backendDefaults.clientPolicy.tls.ports), and an external's own TLS must pass "
     "through untouched; give one of them another port"),
    ("externals", [{"name": "payment-provider", "host": "api.stripe.com"}, {"name": "stripe-files", "host": "api.stripe.com"}],
     "Pulumi.dev.yaml: externals[1].host: api.stripe.com is already the host of external 'payment-provider'"),
    # DNS names ignore case: one spelling, lower case, so that the same host cannot be listed twice unnoticed.
    ("externals", [{"name": "payment-provider", "host": "api.stripe.com"},
                   {"name": "stripe-files", "host": "API.Stripe.com"}],
     "Pulumi.dev.yaml: externals[1].host: 'API.Stripe.com' is not a lower-case DNS host name"),
    ("mesh.gatewayPort", 2000, "Pulumi.dev.yaml: mesh.gatewayPort: 2000 is reserved for the X-Ray daemon"),
    ("mesh.gatewayPort", 8125, "Pulumi.dev.yaml: mesh.gatewayPort: 8125 is reserved for the CloudWatch agent's StatsD"),
    ("mesh.gatewayPort", 9901, "Pulumi.dev.yaml: mesh.gatewayPort: 9901 is reserved for the Envoy proxy"),
    ("mesh.gatewayPort", 443, "Pulumi.dev.yaml: mesh.gatewayPort: 443 is not an unprivileged port (1024-65535)"),
    ("mesh.tls.privateCaSigningAlgorithm", "MD5WITHRSA",
     "Pulumi.dev.yaml: mesh.tls.privateCaSigningAlgorithm: 'MD5WITHRSA' is not one of SHA256WITHRSA, SHA384WITHRSA, "
     "SHA512WITHRSA, SHA256WITHECDSA, SHA384WITHECDSA, SHA512WITHECDSA"),
])
def test_mesh_config_errors_are_one_line(path, value, message):
    with pytest.raises(ConfigError) as error:
        parse(_with(path, value))
    assert str(error.value) == message
    assert "\n" not in str(error.value)


def test_the_gateway_port_is_configurable():
    assert parse(raw_config("dev")).mesh.gateway_port == 8080
    assert parse(_with("mesh.gatewayPort", 9443)).mesh.gateway_port == 9443


def test_a_name_longer_than_x509s_common_name_stays_whole_in_the_san():
    """RFC 5280 caps a common name at 64 characters (ACM Private CA holds a CSR to it); App Mesh matches the SAN."""
    from components.certificates import WorkloadIdentity
    long = WorkloadIdentity(name="user-service", dns_name="user-service." + "mesh-" * 11 + "local")
    assert len(long.dns_name) > 64 and long.common_name == "user-service"
    short = WorkloadIdentity(name="user-service", dns_name="user-service.dev.ecommerce.local")
    assert short.common_name == short.dns_name


def test_envoy_alarms_read_the_app_mesh_names_envoy_tags_its_stats_with(dev_appmesh_preview):
    """Envoy's stats carry the virtual node's or gateway's name (the last part of its ARN,
    `mesh/<mesh>/virtualNode/<name>`): the mocks' ARN ended in the resource's name (`dev-mesh-order-service-v1`), so
    the preview's alarms read dimensions no Envoy reports."""
    r = dev_appmesh_preview
    names = {"appmesh.virtual_node": {n.inputs["name"] for n in r.find(NODE)},
             "appmesh.virtual_gateway": {g.inputs["name"] for g in r.find(GATEWAY)}}
    read: dict = {key: set() for key in names}
    for alarm in r.find("aws:cloudwatch/metricAlarm:MetricAlarm"):
        metrics = [alarm.inputs.get("dimensions") or {}] + [
            q.get("metric", {}).get("dimensions") or {} for q in alarm.inputs.get("metricQueries") or []]
        for dimensions in metrics:
            for key in names.keys() & dimensions.keys():
                read[key].add(dimensions[key])
    assert read["appmesh.virtual_gateway"] == {"ingress-gateway"}
    assert read["appmesh.virtual_node"] and read["appmesh.virtual_node"] <= names["appmesh.virtual_node"]
