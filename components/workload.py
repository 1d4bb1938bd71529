"""The seam between the mesh data plane and the compute layer.

A data plane (today App Mesh, owned by `ServiceMesh`; tomorrow an ECS Service Connect mode) hands the
ECS layer one `MeshWorkload` per thing that runs an Envoy: each service version and the ingress gateway.
The ECS layer needs nothing else from the mesh, so a second data plane only has to produce these.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import pulumi

# Envoy runs as this uid; the APPMESH proxy configuration's IgnoredUID must equal it, and the X-Ray and
# CloudWatch agent sidecars run as it too so their egress bypasses Envoy.
ENVOY_UID = 1337
ENVOY_INGRESS_PORT = 15000
ENVOY_EGRESS_PORT = 15001
ENVOY_ADMIN_PORT = 9901


@dataclass(frozen=True)
class TlsFiles:
    """Where a workload's mesh certificate material lives inside the task (a shared volume).

    App Mesh reads mTLS material only from files (or SDS, which ECS lacks), so the virtual node's
    listener and client policy name these paths and a cert-init container writes them.
    """

    directory: str = "/etc/envoy/certs"
    certificate_chain: str = "/etc/envoy/certs/cert_chain.pem"
    private_key: str = "/etc/envoy/certs/key.pem"
    ca_bundle: str = "/etc/envoy/certs/ca_bundle.pem"


TLS_FILES = TlsFiles()


@dataclass(frozen=True)
class WorkloadCertificate:
    """One workload's certificate bundle in Secrets Manager (JSON keys: cert_chain, key, ca_bundle)."""

    secret_arn: pulumi.Output[str]
    files: TlsFiles = TLS_FILES
    # The secret version holding the current material. Envoy does not reload certificate files, so a
    # task definition that pins it (valueFrom `<arn>:<key>::<version_id>`) gets a new revision, and a
    # rolling deployment, whenever a certificate is re-issued.
    version_id: Optional[pulumi.Output[str]] = None


@dataclass(frozen=True)
class MeshWorkload:
    """Everything the ECS layer needs to run one Envoy-fronted workload."""

    # e.g. "user-service-v2" or "ingress-gateway"
    name: str
    # The App Mesh resource Envoy serves (virtual node or virtual gateway) → APPMESH_RESOURCE_ARN.
    resource_arn: pulumi.Output[str]
    # The port Envoy listens on for this workload (node listener / gateway listener).
    listener_port: int
    certificate: WorkloadCertificate
    # For service versions: the Cloud Map service the ECS service registers into. None for the gateway.
    cloud_map_service_arn: Optional[pulumi.Output[str]] = None
    service: Optional[str] = None
    version: Optional[str] = None
    # The ECS task family this workload must run as; its node selects instances by it.
    task_family: Optional[str] = None
