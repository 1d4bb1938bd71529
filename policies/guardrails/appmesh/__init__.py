"""App Mesh guardrails: DROP_ALL egress, real mTLS, access logs, resilience and discovery settings.

Wire names (pulumi-aws 7): `spec.listeners[]`, `spec.backends[].virtualService`,
`spec.backendDefaults.clientPolicy.tls`, `spec.logging.accessLog.file.path`; virtual node listener TLS
validation trust is `file`/`sds` only, client policy trust also allows `acm`. App Mesh reached end of
life on 2026-09-30; these policies apply only to programs that still declare `aws:appmesh/*` resources.
"""

MESH = "aws:appmesh/mesh:Mesh"
VIRTUAL_NODE = "aws:appmesh/virtualNode:VirtualNode"
VIRTUAL_GATEWAY = "aws:appmesh/virtualGateway:VirtualGateway"
ROUTE = "aws:appmesh/route:Route"

IP_PREFERENCES = ["IPv4_ONLY", "IPv4_PREFERRED", "IPv6_ONLY", "IPv6_PREFERRED"]
DEFAULT_IP_PREFERENCES = ["IPv4_ONLY", "IPv4_PREFERRED"]
IP_PREFERENCE_CONFIG = {
    "allowedIpPreferences": {
        "type": "array",
        "items": {"type": "string", "enum": IP_PREFERENCES},
        "description": "IP preferences Envoy may use.",
        "default": DEFAULT_IP_PREFERENCES,
    },
}
