"""Cloud Map: the private DNS namespace the mesh's virtual service names resolve in, and one discovery
service per mesh service that every version of that service registers into.

The namespace is private (bound to the VPC), so its services use `health_check_custom_config`: ECS
reports task health to Cloud Map itself. Route 53 `health_check_config` only works for public
namespaces, and App Mesh ejects failing hosts on its own (listener health checks, outlier detection).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Optional, Sequence

import pulumi
import pulumi_aws as aws

# Short, so a replaced task's address leaves clients' DNS caches quickly.
DNS_TTL_SECONDS = 10
# Cloud Map ignores any other value for custom health checks.
HEALTH_CHECK_FAILURE_THRESHOLD = 1


@dataclass(frozen=True)
class ServiceDiscoveryArgs:
    # The namespace, e.g. "dev.ecommerce.local"; `<service>.<namespace>` is each virtual service's name.
    namespace: str
    vpc_id: pulumi.Input[str]
    # One Cloud Map service per mesh service (not per version: versions differ by task attributes).
    services: Sequence[str]
    dns_ttl_seconds: int = DNS_TTL_SECONDS


class ServiceDiscovery(pulumi.ComponentResource):
    namespace_id: pulumi.Output[str]
    namespace_name: pulumi.Output[str]
    # Cloud Map service name and ARN per mesh service.
    service_names: Mapping[str, pulumi.Output[str]]
    service_arns: Mapping[str, pulumi.Output[str]]

    def __init__(self, name: str, args: ServiceDiscoveryArgs, opts: Optional[pulumi.ResourceOptions] = None):
        super().__init__("service-mesh-platform:discovery:ServiceDiscovery", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)

        namespace = aws.servicediscovery.PrivateDnsNamespace(
            f"{name}-namespace",
            name=args.namespace,
            vpc=args.vpc_id,
            description=f"Service discovery for the {args.namespace} mesh",
            opts=child,
        )

        names: dict[str, pulumi.Output[str]] = {}
        arns: dict[str, pulumi.Output[str]] = {}
        for service in args.services:
            discovery = aws.servicediscovery.Service(
                f"{name}-{service}",
                name=service,
                description=f"Tasks of every version of {service}",
                dns_config=aws.servicediscovery.ServiceDnsConfigArgs(
                    namespace_id=namespace.id,
                    dns_records=[aws.servicediscovery.ServiceDnsConfigDnsRecordArgs(
                        type="A", ttl=args.dns_ttl_seconds)],
                    # Every healthy task's address, so clients outside the mesh still spread load.
                    routing_policy="MULTIVALUE",
                ),
                # ECS reports task health. An all-empty block is dropped by the provider on create and then
                # planned as a replacement on every update (it is ForceNew), so set the deprecated
                # failure_threshold to the value AWS always uses.
                health_check_custom_config=aws.servicediscovery.ServiceHealthCheckCustomConfigArgs(
                    failure_threshold=HEALTH_CHECK_FAILURE_THRESHOLD),
                # Deleted after its ECS service, whose tasks ECS deregisters in its own time: Cloud Map refuses to
                # delete a service that still holds instances, and the provider tries once. This deregisters them.
                force_destroy=True,
                opts=child,
            )
            names[service] = discovery.name
            arns[service] = discovery.arn

        self.namespace_id = namespace.id
        self.namespace_name = namespace.name
        self.service_names = names
        self.service_arns = arns
        self.register_outputs({
            "namespaceId": self.namespace_id,
            "namespaceName": self.namespace_name,
            "serviceArns": arns,
        })
