"""The seam between a data plane and the compute layer.

`compute.deploy_workload` builds every workload's task definition, roles and ECS service the same way;
what a data plane adds to one workload comes from one `WorkloadWiring` (components/dataplane/):

    AppMeshWiring         Envoy, cert-init, X-Ray and CloudWatch agent sidecars; the APPMESH proxy
                          configuration; xDS permission on the node or gateway; Cloud Map registration
    ServiceConnectWiring  a named port mapping with its appProtocol; the X-Ray daemon; a deny on ECS's
                          `ecs-sc!*` TLS secrets; the service's Service Connect block and deployment

App Mesh's own data (`MeshWorkload`, certificate files) is below: the App Mesh plane hands one per Envoy.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Optional, Protocol, Sequence

import pulumi

# Envoy runs as this uid; the APPMESH proxy configuration's IgnoredUID must equal it, and the X-Ray and
# CloudWatch agent sidecars run as it too so their egress bypasses Envoy.
ENVOY_UID = 1337
ENVOY_INGRESS_PORT = 15000
ENVOY_EGRESS_PORT = 15001
ENVOY_ADMIN_PORT = 9901
# The sidecars' ports on 127.0.0.1 (a task's containers share one network namespace): the X-Ray daemon's (every
# task; UDP, and TCP too by default) and the CloudWatch agent's StatsD (App Mesh tasks).
XRAY_PORT = 2000
STATSD_PORT = 8125


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


@dataclass(frozen=True)
class ServiceSettings:
    """What a data plane sets on a workload's `aws.ecs.Service` (keyword arguments), and what it waits for."""

    arguments: Mapping[str, Any] = field(default_factory=dict)
    depends_on: Sequence[pulumi.Resource] = ()
    # What ECS cannot change on a running service although it is no ECS service argument: a new value replaces the
    # service (Pulumi's replacementTrigger; none before, or none now, replaces nothing).
    replacement_trigger: Optional[str] = None


class WorkloadWiring(Protocol):
    """What one data plane adds to one workload. Values that are Outputs resolve in `sidecar_inputs`."""

    # Log stream prefix of the workload's containers.
    stream_prefix: str
    # MiB the data plane's containers (and proxy) keep for themselves; the app gets the rest of the task.
    reserved_memory: int
    # The container a load balancer sends traffic to.
    load_balancer_container: str
    # Security groups every task of this data plane joins besides its own.
    security_group_ids: Sequence[pulumi.Input[str]]
    task_role_purpose: str

    def app_port_mapping(self, port: int) -> dict: ...

    def app_depends_on(self) -> list[dict]: ...

    def sidecar_inputs(self) -> pulumi.Input[Any]: ...

    def sidecars(self, resolved: Any, log_groups: Mapping[str, str], app_scratch: Sequence[Any]) -> list[dict]: ...

    def volume_names(self, app_scratch: Sequence[Any]) -> list[str]: ...

    # The task definition's proxy, as pulumi-aws's TaskDefinitionProxyConfiguration args (`type`, `container_name`,
    # `properties`): plain, so config sizes the task definition with it (compute.task_definition_request).
    def proxy_configuration(self, app_port: Optional[int]) -> Optional[dict]: ...

    def task_role_statements(self) -> list[dict]: ...

    def injected_secret_arns(self) -> list[pulumi.Input[str]]: ...

    def service_settings(self) -> ServiceSettings: ...
