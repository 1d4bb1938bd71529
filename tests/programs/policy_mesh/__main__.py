"""Raw App Mesh resources: plaintext and permissive mTLS, missing client certificates, no access logs,
no health checks or outlier detection, unapproved egress, routes without retries; plus a correct
resource of each kind, and one whose TLS mode is only known after the update."""
import pulumi_aws as aws

TAGS = {"Project": "policy-tests", "Environment": "test", "Owner": "platform-team"}
CERT = {"file": {"certificate_chain": "/certs/chain.pem", "private_key": "/certs/key.pem"}}
TRUST = {"trust": {"file": {"certificate_chain": "/certs/ca.pem"}}}
STRICT = {"mode": "STRICT", "certificate": CERT, "validation": TRUST}
CLIENT = {"client_policy": {"tls": {"enforce": True, "certificate": CERT, "validation": TRUST}}}
HEALTH = {"protocol": "http", "path": "/health", "healthy_threshold": 2, "unhealthy_threshold": 3,
          "interval_millis": 10000, "timeout_millis": 2000}
OUTLIER = {"max_server_errors": 5, "max_ejection_percent": 50, "interval": {"unit": "s", "value": 10},
           "base_ejection_duration": {"unit": "s", "value": 30}}
LOGGING = {"access_log": {"file": {"path": "/dev/stdout"}}}


def listener(port, protocol="http", tls=STRICT, health=HEALTH, outlier=OUTLIER):
    return {"port_mapping": {"port": port, "protocol": protocol}, "tls": tls, "health_check": health,
            "outlier_detection": outlier}


def node(name, **spec):
    return aws.appmesh.VirtualNode(name, name=name, mesh_name="shop", tags=TAGS, spec=spec)


# --- meshes --------------------------------------------------------------------------------------
aws.appmesh.Mesh("allow-all-mesh", name="allow-all-mesh", tags=TAGS, spec={
    "egress_filter": {"type": "ALLOW_ALL"}, "service_discovery": {"ip_preference": "IPv4_ONLY"}})
aws.appmesh.Mesh("ipv6-mesh", name="ipv6-mesh", tags=TAGS, spec={
    "egress_filter": {"type": "DROP_ALL"}, "service_discovery": {"ip_preference": "IPv6_PREFERRED"}})
good_mesh = aws.appmesh.Mesh("good-mesh", name="good-mesh", tags=TAGS, spec={
    "egress_filter": {"type": "DROP_ALL"}, "service_discovery": {"ip_preference": "IPv4_PREFERRED"}})

# --- virtual nodes -------------------------------------------------------------------------------
node("plaintext-node",
     listeners=[listener(8080, tls={"mode": "PERMISSIVE", "certificate": CERT}), listener(9090, "tcp", tls=None)],
     backend_defaults={"client_policy": {"tls": {"enforce": False, "validation": TRUST}}},
     backends=[{"virtual_service": {"virtual_service_name": "orders.shop.local",
                                    "client_policy": {"tls": {"enforce": True, "validation": TRUST}}}},
               {"virtual_service": {"virtual_service_name": "users.shop.local"}}],
     service_discovery={"aws_cloud_map": {"namespace_name": "shop.local", "service_name": "plaintext"}})
node("no-defaults-node",
     listeners=[listener(8080, health=None, outlier=None)],
     backends=[{"virtual_service": {"virtual_service_name": "catalog.shop.local"}},
               {"virtual_service": {"virtual_service_name": "users.shop.local", **CLIENT}}],
     logging=LOGGING,
     service_discovery={"dns": {"hostname": "no-defaults.shop.local"}})
node("disabled-tls-node",
     listeners=[listener(8080, tls={"mode": "DISABLED", "certificate": CERT, "validation": TRUST})],
     backend_defaults={"client_policy": {}},
     backends=[{"virtual_service": {"virtual_service_name": "ledger.shop.local", "client_policy": {}}}],
     logging=LOGGING,
     service_discovery={"dns": {"hostname": "disabled-tls.shop.local", "ip_preference": "IPv6_ONLY"}})
node("good-node",
     listeners=[listener(8080)],
     backend_defaults=CLIENT,
     backends=[{"virtual_service": {"virtual_service_name": "users.shop.local"}},
               {"virtual_service": {"virtual_service_name": "orders.shop.local", **CLIENT}},
               # The app speaks TLS to this one itself (exempted in the test's policy config).
               {"virtual_service": {"virtual_service_name": "partner-api.shop.local",
                                    "client_policy": {"tls": {"enforce": False, "validation": TRUST}}}}],
     logging=LOGGING,
     service_discovery={"dns": {"hostname": "good.shop.local", "ip_preference": "IPv4_ONLY"}})
# Egress nodes: no Envoy runs them, so only the external-hostname rule applies.
node("unapproved-egress-node", listeners=[{"port_mapping": {"port": 443, "protocol": "tcp"}}],
     service_discovery={"dns": {"hostname": "api.unknown-vendor.example.com", "ip_preference": "IPv4_ONLY"}})
node("approved-egress-node", listeners=[{"port_mapping": {"port": 443, "protocol": "tcp"}}],
     service_discovery={"dns": {"hostname": "api.stripe.com", "ip_preference": "IPv4_ONLY"}})
# No IP preference of their own: good-mesh's IPv4_PREFERRED applies to one, ipv6-mesh's IPv6_PREFERRED to the other.
for name, mesh in (("inheriting-node", good_mesh.name), ("ipv6-inheriting-node", "ipv6-mesh")):
    aws.appmesh.VirtualNode(name, name=name, mesh_name=mesh, tags=TAGS, spec={
        "listeners": [listener(8080)], "backend_defaults": CLIENT, "logging": LOGGING,
        "service_discovery": {"dns": {"hostname": f"{name}.shop.local"}}})
# A private address is inside the network, however it is reached: a mesh node, held to the listener rules.
node("private-ip-node", listeners=[{"port_mapping": {"port": 8080, "protocol": "http"}}],
     service_discovery={"dns": {"hostname": "10.0.3.15", "ip_preference": "IPv4_ONLY"}})
# The listener's TLS mode is only known after the update: a first preview cannot judge it.
node("later-node",
     listeners=[listener(8080, tls={**STRICT, "mode": good_mesh.arn.apply(lambda _: "STRICT")})],
     backend_defaults=CLIENT, logging=LOGGING,
     service_discovery={"dns": {"hostname": "later.shop.local", "ip_preference": "IPv4_ONLY"}})

# --- virtual gateways ----------------------------------------------------------------------------
aws.appmesh.VirtualGateway("open-gateway", name="open-gateway", mesh_name="shop", tags=TAGS, spec={
    "listeners": [{"port_mapping": {"port": 8443, "protocol": "http"}}]})
aws.appmesh.VirtualGateway("certless-gateway", name="certless-gateway", mesh_name="shop", tags=TAGS, spec={
    "listeners": [{"port_mapping": {"port": 8443, "protocol": "http"}, "health_check": HEALTH,
                   "tls": {"mode": "STRICT", "certificate": CERT}}],
    "backend_defaults": {"client_policy": {"tls": {"enforce": True, "validation": TRUST}}},
    "logging": LOGGING})
# Client policy `enforce` is left out: App Mesh (and the provider) default it to true.
aws.appmesh.VirtualGateway("good-gateway", name="good-gateway", mesh_name="shop", tags=TAGS, spec={
    "listeners": [{"port_mapping": {"port": 8443, "protocol": "http"}, "health_check": HEALTH, "tls": STRICT}],
    "backend_defaults": {"client_policy": {"tls": {"certificate": CERT, "validation": TRUST}}},
    "logging": LOGGING})

# --- routes --------------------------------------------------------------------------------------
TARGETS = {"weighted_targets": [{"virtual_node": "good-node", "weight": 100}]}


def route(name, **spec):
    aws.appmesh.Route(name, name=name, mesh_name="shop", virtual_router_name="router", tags=TAGS, spec=spec)


route("no-retry-route", http_route={"match": {"prefix": "/"}, "action": TARGETS})
route("weak-retry-route", http2_route={"match": {"prefix": "/"}, "action": TARGETS, "retry_policy": {
    "max_retries": 1, "per_retry_timeout": {"unit": "ms", "value": 500}}})
route("good-retry-route", grpc_route={"match": {"service_name": "orders"}, "action": TARGETS, "retry_policy": {
    "max_retries": 2, "per_retry_timeout": {"unit": "ms", "value": 500}, "grpc_retry_events": ["unavailable"]}})
route("tcp-route", tcp_route={"action": TARGETS})
