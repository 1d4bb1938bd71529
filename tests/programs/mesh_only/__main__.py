"""The mesh layer on its own: a real stack file's config (with `mesh` overrides) and a literal VPC id.

Config:
  mesh-only:baseStack   dev | prod: which Pulumi.<stack>.yaml of the project to start from
  mesh-only:mesh        a mapping merged (recursively) over that stack's `mesh` settings; null deletes a key

It wires the three components exactly as Platform._build_mesh does and exports the MeshWorkloads as
plain data, so tests can assert the seam the compute layer consumes.
"""
import sys
from pathlib import Path

import pulumi

ROOT = Path(__file__).resolve().parents[3]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from components.certificates import MeshCertificates, MeshCertificatesArgs  # noqa: E402
from components.config import PROJECT, parse_config  # noqa: E402
from components.discovery import ServiceDiscovery, ServiceDiscoveryArgs  # noqa: E402
from components.mesh import ServiceMesh, ServiceMeshArgs, workload_identities  # noqa: E402
from tools.mockrun import stack_file_config  # noqa: E402

VPC_ID = "vpc-0123456789abcdef0"


def merge(base: dict, override: dict) -> dict:
    out = dict(base)
    for key, value in override.items():
        if value is None:
            out.pop(key, None)
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = value
    return out


settings = pulumi.Config()
base_stack = settings.require("baseStack")
raw, region = stack_file_config(ROOT / f"Pulumi.{base_stack}.yaml", PROJECT)
raw.pop("alarmPagerEndpoint", None)
raw["mesh"] = merge(raw["mesh"], settings.get_object("mesh") or {})
config = parse_config(raw, f"Pulumi.{base_stack}.yaml", region)

discovery = ServiceDiscovery("discovery", ServiceDiscoveryArgs(
    namespace=config.namespace, vpc_id=VPC_ID, services=[s.name for s in config.services]))
certificates = MeshCertificates("certificates", MeshCertificatesArgs(
    environment=config.environment, identities=workload_identities(config), tls=config.mesh.tls,
    protect=config.protect))
mesh = ServiceMesh("mesh", ServiceMeshArgs(config=config, discovery=discovery,
                                           certificates=certificates.certificates))

pulumi.export("meshName", mesh.mesh_name)
pulumi.export("namespace", discovery.namespace_name)
pulumi.export("gatewayHostname", mesh.gateway_hostname)
pulumi.export("apiClientCertificateId", certificates.api_client_certificate_id)
pulumi.export("workloads", [{
    "name": w.name,
    "resourceArn": w.resource_arn,
    "listenerPort": w.listener_port,
    "secretArn": w.certificate.secret_arn,
    "secretVersionId": w.certificate.version_id,
    "files": {"certificateChain": w.certificate.files.certificate_chain,
              "privateKey": w.certificate.files.private_key,
              "caBundle": w.certificate.files.ca_bundle},
    "cloudMapServiceArn": w.cloud_map_service_arn,
    "service": w.service,
    "version": w.version,
    "taskFamily": w.task_family,
} for w in mesh.workloads])
