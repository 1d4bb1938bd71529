"""The network, the mesh, sizing, the services and the externals they call."""
from __future__ import annotations

import difflib
import ipaddress
import re
from typing import Callable, Mapping, Optional, Sequence

from .. import naming
from ..iam import (ROLE_INLINE_POLICY_CHARS, arn_service_region, execution_role_statements, policy_chars,
                   secret_read_statements)
from .model import (
    ALB_IDLE_TIMEOUT_SECONDS, CHOSEN_PLANE, DATA_PLANES, DNS_FIREWALL_PRIORITY, PLANES, SERVICE_CONNECT, Autoscaling,
    CanaryRollout, ConfigError, ConnectionPool, ContainerHealthCheck, CreateNetwork, ExistingNetwork, ExternalConfig,
    HeaderMatch, MeshConfig, NetworkConfig, OutlierDetection, PlaneTraits, RetryPolicy, ServiceConfig, ServiceTimeouts,
    ServiceVersion, Sizing, TlsConfig, called_services)
from .node import ConfigNode, _check_log_retention, _key, _matches, did_you_mean, near_spelling
from .values import (
    _APP_PROTOCOLS, _DOMAIN_RE, _HEADER_VALUE_RE, _IMAGE_RE, _IP_PREFERENCES, _NAME_RE, _PCA_SIGNING_ALGORITHMS,
    _VERSION_RE, FARGATE_MEMORY, HOST_RE, HOST_WHAT, KMS_KEY_ARN_RE, KMS_KEY_ARN_WHAT, ECS_MAX_IMAGE_CHARS,
    SECRET_VALUE_FROM_RE, UUID, cidr_block, other_partition_problem)


# What the stack file's ids, ARNs, names and URLs in this section look like.
_ACCOUNT_ID_RE = re.compile(r"^[0-9]{12}$")
# EC2's ids: the prefix and 8 (older) or 17 hex digits; EC2 refuses any other as malformed.
_SUBNET_ID_RE = re.compile(r"^subnet-([0-9a-f]{8}|[0-9a-f]{17})$")
_ROUTE_TABLE_ID_RE = re.compile(r"^rtb-([0-9a-f]{8}|[0-9a-f]{17})$")
_VPC_ID_RE = re.compile(r"^vpc-([0-9a-f]{8}|[0-9a-f]{17})$")
_PRIVATE_CA_ARN_RE = re.compile(rf"^arn:aws[a-z-]*:acm-pca:[a-z0-9-]+:[0-9]{{12}}:certificate-authority/{UUID}$")
_HEADER_NAME_RE = re.compile(r"^[a-z0-9-]{1,50}$")
_PUBLIC_PATH_RE = re.compile(r"^/[a-z0-9][a-z0-9-]*$")
# A URL's path and query as sent (RFC 3986's characters; any other percent-encoded): ELB refuses others in a target
# group's health check path, and HTTP has no form for them in a request.
_HEALTH_CHECK_PATH_RE = re.compile(r"^(?=.{1,1024}$)/(?:[A-Za-z0-9._~!$&'()*+,;=:@/?-]|%[0-9A-Fa-f]{2})*$")


# IPv4 ranges that are not hosts' addresses (RFC 6890); 169.254.0.0/16 also holds what every task and instance calls
# on the link: the task metadata and credentials endpoint (169.254.170.2), the instance metadata and the Amazon DNS
# server (169.254.169.254, .253).
_SPECIAL_BLOCKS = tuple((ipaddress.ip_network(block), what) for block, what in (
    ("0.0.0.0/8", "'this network'"), ("127.0.0.0/8", "loopback"),
    ("169.254.0.0/16", "link-local, where the task metadata, instance metadata and Amazon DNS addresses are"),
    ("224.0.0.0/4", "multicast"), ("240.0.0.0/4", "reserved")))


def _ipv4_block(node: ConfigNode, key: str, cidr: str) -> ipaddress.IPv4Network:
    """A VPC's primary block: EC2's CreateVpc takes an IPv4 range (IPv6 blocks are added to a VPC apart) of /16 to
    /28, so a brought VPC's is one too (security groups admit it: `0.0.0.0/0` would open them to the internet)."""
    network = cidr_block(cidr)
    if network is None:
        raise node.error(key, f"{cidr!r} is not a CIDR block")
    if network.version != 4:
        raise node.error(key, f"{cidr} is not an IPv4 CIDR block, which a VPC's primary block must be")
    if not 16 <= network.prefixlen <= 28:
        raise node.error(key, f"{cidr} is not a VPC block size (AWS allows /16 to /28)")
    for special, what in _SPECIAL_BLOCKS:
        if network.overlaps(special):
            raise node.error(key, f"{cidr} overlaps {special}, {what}: no VPC host can have those addresses")
    return network


def _network(node: ConfigNode) -> NetworkConfig:
    create, existing = node.node("create"), node.node("existing")
    if (create is None) == (existing is None):
        raise node.error_at(node.path, "set exactly one of create or existing")
    endpoints = node.bool("endpoints", True)
    endpoint_accounts = node.strings("endpointAccounts", pattern=_ACCOUNT_ID_RE, what="a 12-digit account id",
                                     unique=True)
    if endpoint_accounts and not endpoints:
        raise node.refused_by("endpointAccounts", "only applies when network.endpoints is on", "endpoints")
    firewall = node.bool("firewall", False)
    if firewall and not endpoints and create is not None:
        # The firewall passes only the declared externals; without endpoints, image pulls, logs and secrets
        # go through NAT, hence through it, and every task would fail to start. (A brought VPC may have
        # endpoints of its own: that is why its stack turns ours off.)
        raise node.refused_by("firewall", "needs network.endpoints: without them the AWS API calls tasks make (ECR, "
                                          "logs, secrets) go through the firewall, which passes only the externals",
                              "endpoints")
    if create is not None:
        result = NetworkConfig(create=_created_network(node, create, firewall),
                               endpoints=endpoints, endpoint_accounts=endpoint_accounts, firewall=firewall)
    else:
        result = NetworkConfig(existing=_existing_network(node, existing, endpoints, firewall),
                               endpoints=endpoints, endpoint_accounts=endpoint_accounts, firewall=firewall)
    node.done()
    return result


def _created_network(network: ConfigNode, create: ConfigNode, firewall: bool) -> CreateNetwork:
    """`network.create`: the VPC's block, its AZs and NAT gateways; with `network`'s `firewall` on, its subnets'
    block too."""
    cidr = create.str("cidr", required=True)
    block = _ipv4_block(create, "cidr", cidr)
    az_count = create.int("azCount", 2, minimum=2, maximum=3, what="2 or 3")
    if az_count < 3 and create.raw("azSlots", required=False) is None:  # absent, or present and empty
        # The layout of a stack deployed before azSlots was azSlots = azCount; a default of 3 would move
        # its private subnets (ForceNew), so a stack with fewer AZs than slots says which it is.
        raise create.refused_by("azSlots", f"is required with azCount {az_count}: {az_count} keeps the subnet "
                                           "layout of a stack deployed before azSlots existed, 3 leaves room for a "
                                           "third AZ", "azCount")
    # azSlots and natGateways are bounded by azCount: below or above it, azCount is related.
    between = f"between azCount ({az_count}) and 3"
    az_slots = create.int("azSlots", 3, maximum=3, what=between)
    if az_slots < az_count:
        raise create.refused_by("azSlots", f"{az_slots} is not {between}", "azCount")
    # /20 subnets: public and private per AZ slot, plus one block for the firewall's /28 subnets.
    needed = 2 * az_slots + (1 if firewall else 0)
    available = 2 ** (20 - block.prefixlen) if block.prefixlen <= 20 else 0
    if needed > available:
        raise create.error("cidr", f"{cidr} holds {available} /20 subnets; azSlots {az_slots}"
                                   f"{' with network.firewall' if firewall else ''} needs {needed}",
                           related=[create.key_path("azSlots"), network.key_path("firewall")])
    nat_gateways = create.int("natGateways", 1, minimum=1, what=f"between 1 and azCount ({az_count})")
    if nat_gateways > az_count:
        raise create.refused_by("natGateways", f"{nat_gateways} is not between 1 and azCount ({az_count})",
                                "azCount")
    created = CreateNetwork(cidr=cidr, az_count=az_count, az_slots=az_slots, nat_gateways=nat_gateways)
    create.done()
    return created


def _existing_network(network: ConfigNode, existing: ConfigNode, endpoints: bool, firewall: bool) -> ExistingNetwork:
    """`network.existing`: a VPC the stack is brought into, its subnets and route tables; what `network`'s switches,
    `endpoints` and `firewall`, need of them."""
    private = existing.strings("privateSubnetIds", pattern=_SUBNET_ID_RE, what="a subnet id",
                               unique=True)
    public = existing.strings("publicSubnetIds", pattern=_SUBNET_ID_RE, what="a subnet id",
                              unique=True)
    if len(private) < 2:
        raise existing.error("privateSubnetIds", "needs at least 2 subnets in different AZs")
    both = next((i for i, subnet in enumerate(public) if subnet in private), None)
    if both is not None:
        raise existing.error_at(f"{existing.key_path('publicSubnetIds')}[{both}]",
                                f"{public[both]!r} is in privateSubnetIds too: a subnet is public (its route to "
                                "the internet gateway) or private (to NAT), not both",
                                related=[existing.key_path("privateSubnetIds")])
    cidr = existing.str("vpcCidr", required=True)
    _ipv4_block(existing, "vpcCidr", cidr)
    route_tables = existing.strings("privateRouteTableIds", pattern=_ROUTE_TABLE_ID_RE,
                                    what="a route table id", unique=True)
    firewall_subnets = existing.strings("firewallSubnetIds", pattern=_SUBNET_ID_RE,
                                        what="a subnet id", unique=True)
    if endpoints and not route_tables:
        raise existing.error("privateRouteTableIds", "is required when network.endpoints is on: the S3 gateway "
                                                     "endpoint routes through the private subnets' route tables",
                             related=[network.key_path("endpoints")])
    if firewall and len(firewall_subnets) != len(private):
        raise existing.error("firewallSubnetIds", f"network.firewall needs one dedicated firewall subnet per "
                                                  f"private subnet, in the same AZ and order ({len(private)}); "
                                                  f"got {len(firewall_subnets)}",
                             related=[network.key_path("firewall"), existing.key_path("privateSubnetIds")])
    if firewall_subnets and not firewall:
        raise existing.error("firewallSubnetIds", "only applies when network.firewall is true",
                             related=[network.key_path("firewall")])
    brought = ExistingNetwork(
        vpc_id=existing.str("vpcId", required=True, pattern=_VPC_ID_RE, what="a VPC id"),
        vpc_cidr=cidr, private_subnet_ids=private, public_subnet_ids=public,
        private_route_table_ids=route_tables, firewall_subnet_ids=firewall_subnets,
        dns_firewall_priority=existing.int("dnsFirewallPriority", DNS_FIREWALL_PRIORITY, minimum=101, maximum=9899,
                                           what="a DNS Firewall priority (101-9899)"),
    )
    existing.done()
    return brought


def _check_private_ca(node: ConfigNode, arn: Optional[str], region: str) -> None:
    """AWS Private CA is regional: the stack's certificates come from a CA in its own region and partition."""
    if arn is None:
        return
    node.same_partition("privateCaArn", arn, "AWS Private CA issues no certificate across partitions")
    if (ca_region := arn_service_region(arn)[1]) != region:
        raise node.error("privateCaArn", f"is in {ca_region}; the stack's certificates are issued in {region}, and AWS "
                                         f"Private CA is regional: use a CA in {region}", related=["aws:region"])


def _mesh(node: ConfigNode, region: str) -> MeshConfig:
    data_plane = node.str("dataPlane", SERVICE_CONNECT, choices=DATA_PLANES)
    plane = PLANES[data_plane]
    image = node.str("envoyImage", pattern=_IMAGE_RE, what="an image reference")
    if image is None and plane.runs_envoy:
        raise node.error("envoyImage", "is required", related=CHOSEN_PLANE)
    if image is not None and (":" not in image.rsplit("/", 1)[-1] or image.endswith(":latest")):
        raise node.error("envoyImage", f"{image!r} must be pinned to a version tag, not latest")
    canary = _canary_rollout(node, plane)
    tls = _mesh_tls(node, region)
    mesh = MeshConfig(
        domain=node.str("domain", required=True, pattern=_DOMAIN_RE, what="a DNS domain (labels of at most 63 "
                                                                           "lower-case letters, digits and hyphens)"),
        ip_preference=node.str("ipPreference", MeshConfig.ip_preference, choices=_IP_PREFERENCES),
        envoy_image=image,
        tls=tls,
        gateway_port=node.int("gatewayPort", MeshConfig.gateway_port, minimum=1024, maximum=65535,
                              what="an unprivileged port (1024-65535)"),
        data_plane=data_plane,
        canary=canary,
        retire_app_mesh=node.bool("retireAppMesh", False),
    )
    _check_plane_mesh_settings(node, mesh, plane)
    node.done()
    return mesh


def _canary_rollout(node: ConfigNode, plane: PlaneTraits) -> CanaryRollout:
    """`mesh.canary`, the bake times of a canary deployment, where the plane rolls canaries out (else refused)."""
    canary_node = node.node("canary")
    if canary_node is None:
        return CanaryRollout()
    if plane.no_canary_rollout is not None:
        raise node.error("canary", plane.no_canary_rollout, related=CHOSEN_PLANE)
    canary = CanaryRollout(
        canary_bake_minutes=canary_node.int("canaryBakeMinutes", 10, minimum=0, maximum=1440),
        bake_minutes=canary_node.int("bakeMinutes", 15, minimum=0, maximum=1440))
    canary_node.done()
    return canary


def _mesh_tls(node: ConfigNode, region: str) -> TlsConfig:
    """`mesh.tls`: the certificates' mode, lifetimes and CA (one of `region`'s, if the stack brings it)."""
    tls_node = node.node("tls")
    if tls_node is None:
        return TlsConfig()
    tls = TlsConfig(
        mode=tls_node.str("mode", TlsConfig.mode, choices=("STRICT", "PERMISSIVE")),
        certificate_validity_hours=tls_node.int("certificateValidityHours", TlsConfig.certificate_validity_hours,
                                                minimum=24, maximum=87600),
        early_renewal_hours=tls_node.int("earlyRenewalHours", TlsConfig.early_renewal_hours, minimum=1,
                                         maximum=87600),
        private_ca_arn=tls_node.str("privateCaArn", pattern=_PRIVATE_CA_ARN_RE,
                                    what="an ACM Private CA ARN"),
        private_ca_signing_algorithm=tls_node.str(
            "privateCaSigningAlgorithm", TlsConfig.private_ca_signing_algorithm, choices=_PCA_SIGNING_ALGORITHMS),
    )
    if tls.early_renewal_hours >= tls.certificate_validity_hours:
        raise tls_node.refused_by("earlyRenewalHours", "must be less than certificateValidityHours",
                                  "certificateValidityHours")
    _check_private_ca(tls_node, tls.private_ca_arn, region)
    tls_node.done()
    return tls


def _check_plane_mesh_settings(node: ConfigNode, mesh: MeshConfig, plane: PlaneTraits) -> None:
    """The gateway's port is none the plane's sidecars take, and the settings the plane holds fixed are left at
    what it holds them to."""
    reserved = plane.reserved_ports
    if mesh.gateway_port in reserved:
        raise node.error("gatewayPort", f"{mesh.gateway_port} is reserved for {reserved[mesh.gateway_port]}",
                         related=CHOSEN_PLANE if mesh.gateway_port in plane.sidecar_ports else ())
    # Where each setting a plane may hold fixed is kept; its dataclass's default is what the plane holds it to.
    tls = mesh.tls
    kept_in = {"tls.mode": (tls, "mode"), "ipPreference": (mesh, "ip_preference"),
               "gatewayPort": (mesh, "gateway_port"), "tls.certificateValidityHours": (tls, "certificate_validity_hours"),
               "tls.earlyRenewalHours": (tls, "early_renewal_hours"),
               "tls.privateCaSigningAlgorithm": (tls, "private_ca_signing_algorithm")}
    for key, why in plane.fixed_mesh_settings.items():
        held, attribute = kept_in[key]
        value, default = getattr(held, attribute), getattr(type(held), attribute)
        if value != default:
            raise node.error(key, f"{value}: {why}; leave it {default} or out, or use mesh.dataPlane: appmesh",
                             related=CHOSEN_PLANE)


def _against_inherited(node: ConfigNode, key: str, clash: str, other: str, stack_key: str,
                       where: str = "") -> ConfigError:
    """A service's own setting that clashes with one it takes from the stack's `sizing`: named at the key its file
    sets, saying where the other came from, which is related (an override may have set it)."""
    return node.error(key, f"{clash}, the {other} it takes from {stack_key}{where}: set its {other} too",
                      related=[stack_key])


def _fargate_size(node: ConfigNode, cpu: int, memory: int) -> None:
    if cpu not in FARGATE_MEMORY:
        raise node.error("cpu", f"{cpu} is not a Fargate CPU size ({', '.join(map(str, FARGATE_MEMORY))})")
    allowed = FARGATE_MEMORY[cpu]
    if memory not in allowed:
        if len(allowed) > 3:
            choices = f"{allowed[0]}-{allowed[-1]} in steps of {allowed[1] - allowed[0]}"
        else:
            choices = f"{', '.join(map(str, allowed[:-1]))} or {allowed[-1]}"
        if node.has("cpu") and not node.has("memory"):  # a service's own cpu against the stack's memory
            raise _against_inherited(node, "cpu", f"{cpu} CPU units do not fit {memory} MiB", "memory",
                                     "sizing.memory", f", on Fargate ({choices})")
        if node.has("memory") and not node.has("cpu"):  # and its own memory against the stack's cpu
            raise _against_inherited(node, "memory", f"{memory} MiB does not fit {cpu} CPU units", "cpu",
                                     "sizing.cpu", f", on Fargate ({choices})")
        raise node.refused_by("memory", f"{memory} MiB does not fit {cpu} CPU units on Fargate ({choices})", "cpu")


def _sizing(node: ConfigNode, base: Optional[Sizing] = None) -> Sizing:
    """Read sizing; with a base (the stack's defaults), every key is an optional override. A check of one setting
    against another names the other's key as related: this node's, or the stack's it takes."""
    required = base is None

    def set_at(holder: Optional[ConfigNode], key: str, stack_key: str) -> str:
        return holder.key_path(key) if holder is not None and holder.has(key) else stack_key

    cpu = node.int("cpu", base.cpu if base else None, required=required)
    memory = node.int("memory", base.memory if base else None, required=required)
    desired = node.int("desiredCount", base.desired_count if base else None, required=required, minimum=1, maximum=1000)
    retention = node.int("logRetentionDays", base.log_retention_days if base else None, required=required)
    scaling = base.autoscaling if base else None
    scaling_node = node.node("autoscaling", required=required)
    if scaling_node is not None:
        scaling = Autoscaling(
            min_capacity=scaling_node.int("minCapacity", scaling.min_capacity if scaling else None,
                                          required=required, minimum=1, maximum=1000),
            max_capacity=scaling_node.int("maxCapacity", scaling.max_capacity if scaling else None,
                                          required=required, minimum=1, maximum=1000),
            cpu_target_percent=scaling_node.int("cpuTargetPercent", scaling.cpu_target_percent if scaling else 70,
                                                minimum=10, maximum=95),
            max_capacity_key=(scaling_node.key_path("maxCapacity") if required or scaling_node.has("maxCapacity")
                              else scaling.max_capacity_key),
        )
        if scaling.min_capacity > scaling.max_capacity and not required and not scaling_node.has("minCapacity"):
            raise _against_inherited(scaling_node, "maxCapacity", f"{scaling.max_capacity} is below "
                                     f"{scaling.min_capacity}", "minCapacity", "sizing.autoscaling.minCapacity")
        if scaling.min_capacity > scaling.max_capacity:
            raise scaling_node.error("minCapacity",
                                     f"{scaling.min_capacity} is above maxCapacity ({scaling.max_capacity})",
                                     related=[scaling.max_capacity_key, set_at(scaling_node, "minCapacity",
                                                                               "sizing.autoscaling.minCapacity")])
        scaling_node.done()
    _fargate_size(node, cpu, memory)
    _check_log_retention(node, "logRetentionDays", retention)
    if not scaling.min_capacity <= desired <= scaling.max_capacity and not required and not node.has("desiredCount"):
        # A service's own bounds that leave out the stack's desiredCount it takes.
        bound, value, side = (("maxCapacity", scaling.max_capacity, "below") if desired > scaling.max_capacity
                              else ("minCapacity", scaling.min_capacity, "above"))
        raise _against_inherited(scaling_node, bound, f"{value} is {side} {desired}", "desiredCount",
                                 "sizing.desiredCount")
    if not scaling.min_capacity <= desired <= scaling.max_capacity:
        raise node.error("desiredCount", f"{desired} is outside the autoscaling bounds "
                                         f"({scaling.min_capacity}-{scaling.max_capacity})",
                         related=[*(set_at(scaling_node, key, f"sizing.autoscaling.{key}")
                                    for key in ("minCapacity", "maxCapacity")),
                                  set_at(node, "desiredCount", "sizing.desiredCount")])
    node.done()
    return Sizing(desired_count=desired, cpu=cpu, memory=memory, autoscaling=scaling, log_retention_days=retention)


def _image(node: ConfigNode, key: str, *, required: bool) -> Optional[str]:
    image = node.str(key, required=required, pattern=_IMAGE_RE, what="an image reference")
    if image is not None and (":" not in image.rsplit("/", 1)[-1] and "@" not in image or image.endswith(":latest")):
        raise node.error(key, f"{image!r} must be pinned to a tag or digest, not latest")
    return image


_HEADER_VALUE = "a header value (one line, 1-255 characters)"


def _versions(node: ConfigNode, service_image: str, plane: PlaneTraits) -> tuple[ServiceVersion, ...]:
    items = node.nodes("versions")
    if plane.max_versions is not None and len(items) > plane.max_versions[0]:
        most, why = plane.max_versions
        raise node.error_at(items[most].path, why, related=CHOSEN_PLANE)
    if not items:
        return (ServiceVersion(name="v1", weight=100, image=service_image),)
    versions: list[ServiceVersion] = []
    for i, item in enumerate(items):
        name = item.str("name", required=True, pattern=_VERSION_RE, what="a version name (e.g. v2)")
        if any(v.name == name for v in versions):
            raise item.error("name", f"duplicate version {name!r}")
        # The first version runs the service's image; every other version must name its own.
        image = _image(item, "image", required=False)
        if image is None and i > 0:
            raise item.error("image", f"version {name!r} needs its own image")
        if i == 0 and image not in (None, service_image):
            # It ran in the service's stead, and the service's own image was nowhere (a bad-input review).
            raise item.error("image", f"version {name!r} is the primary version, which runs the service's image "
                                      f"({service_image}): leave its image out, or change the service's")
        header = item.node("headerMatch")
        header_match = None
        if header is not None:
            header_match = HeaderMatch(
                name=header.str("name", required=True, pattern=_HEADER_NAME_RE,
                                what="a lower-case header name"),
                exact=header.str("exact", pattern=_HEADER_VALUE_RE, what=_HEADER_VALUE),
                prefix=header.str("prefix", pattern=_HEADER_VALUE_RE, what=_HEADER_VALUE),
            )
            if (header_match.exact is None) == (header_match.prefix is None):
                raise header.error("exact", "set exactly one of exact or prefix")
            if header_match.prefix is not None and plane.no_header_prefix is not None:
                raise header.error("prefix", plane.no_header_prefix, related=CHOSEN_PLANE)
            header.done()
            # The primary version is the default route's main target; a header route to it would only
            # shadow the weighted split, and one header value can select only one version.
            if i == 0:
                raise item.error("headerMatch", f"version {name!r} is the primary version and takes the default "
                                                f"route; put headerMatch on a canary version")
            for other in versions:
                if other.header_match == header_match:
                    raise item.error("headerMatch", f"{header_match.name}: {header_match.exact} already routes "
                                                    f"to version {other.name!r}")
        weight = item.int("weight", required=True, minimum=0, maximum=100)
        if i > 0 and weight == 0 and plane.no_canary_rollout is None:
            raise item.error("weight", "0 sends the canary nothing, and the CANARY deployment's canaryPercent "
                                       "takes 0.1-100: give it at least 1, or drop the version", related=CHOSEN_PLANE)
        versions.append(ServiceVersion(name=name, weight=weight, image=image or service_image,
                                       header_match=header_match))
        item.done()
    total = sum(v.weight for v in versions)
    if total != 100:
        raise node.error("versions", f"weights sum to {total}, not 100")
    return tuple(versions)


# A query string parameter's name as API Gateway takes it in `method.request.querystring.<name>`.
_QUERY_PARAMETER_RE = re.compile(r"^[A-Za-z0-9_.~-]{1,128}$")
# What a service's secret names: a Secrets Manager secret or an SSM parameter.
# A secret ECS keeps for Service Connect TLS (its name, without a `:json-key:...` suffix).
_SC_SECRET_RE = re.compile(r"^arn:aws[a-z-]*:secretsmanager:[^:]*:[^:]*:secret:(" +
                           re.escape(naming.SC_TLS_SECRET_PREFIX) + r"[^:]*)")


# What the program replaces in a health check command, and a {name} in one that no shell's ${name} holds.
_PLACEHOLDERS = ("port", "path")
_PLACEHOLDER_RE = re.compile(r"(?<!\$)\{([A-Za-z_][A-Za-z0-9_]*)\}")


def _optional_health_check(parent: ConfigNode, default: Optional[ContainerHealthCheck]) -> Optional[ContainerHealthCheck]:
    """`parent`'s `containerHealthCheck`, or `default` without one."""
    node = parent.node("containerHealthCheck")
    return _container_health_check(node) if node is not None else default


def _container_health_check(node: ConfigNode) -> ContainerHealthCheck:
    """`containerHealthCheck` (stack-wide, or a service's own): `command` as a string (run by the container's shell)
    or a list (run directly), and the timings within the ranges ECS documents (botocore ecs HealthCheck)."""
    command = node.raw("command", True)
    if isinstance(command, str) and command.strip():
        form = ("CMD-SHELL", node.str("command"))  # read again as a string: a secure: one is refused
    elif isinstance(command, list) and command and all(isinstance(c, str) and c for c in command):
        form = ("CMD", *node.strings("command"))
    else:
        raise node.error("command", "expected a shell command (a string) or an executable and its arguments (a list "
                                    "of strings)")
    # {port} and {path} are replaced per service; a misspelt one would reach the container as written ({prot}:
    # every check fails, and ECS replaces every task without end). Other braces (awk's {print}) are the command's.
    for placeholder in _PLACEHOLDER_RE.findall(" ".join(form[1:])):
        meant = difflib.get_close_matches(placeholder.lower(), _PLACEHOLDERS, n=1, cutoff=0.7)
        if meant and placeholder not in _PLACEHOLDERS:
            raise node.error("command", f"has {{{placeholder}}}: did you mean {{{meant[0]}}}? The program replaces "
                                        "{port} and {path} with each service's, and passes any other braces on")
    # The form is the program's to add: ECS would run a list written as ECS writes it (["CMD-SHELL", "curl ..."])
    # as the executable "CMD-SHELL", failing every check.
    first = command[0] if isinstance(command, list) else command.split()[0]
    if first in ("CMD", "CMD-SHELL", "NONE"):
        raise node.error("command", f"starts with {first}, which the program adds: give the shell command as a "
                                    f"string, or the executable and its arguments as a list")
    check = ContainerHealthCheck(
        command=form,
        interval_seconds=node.int("intervalSeconds", 30, minimum=5, maximum=300, what="between 5 and 300 seconds"),
        timeout_seconds=node.int("timeoutSeconds", 5, minimum=2, maximum=60, what="between 2 and 60 seconds"),
        retries=node.int("retries", 3, minimum=1, maximum=10, what="between 1 and 10"),
        start_period_seconds=node.int("startPeriodSeconds", 0, minimum=0, maximum=300,
                                      what="between 0 and 300 seconds"),
        command_key=node.key_path("command"))
    node.done()
    return check


def _check_variable_name(node: ConfigNode, key: str, name: str) -> None:
    """A container's environment takes NAME=value: a name that is empty, holds `=` or a space never arrives whole."""
    if not name or "=" in name or any(c.isspace() for c in name):
        raise node.error_at(f"{node.key_path(key)}.{_key(name)}", "is not a variable name (no =, no spaces)")


def _plain_environment(node: ConfigNode, secrets: Mapping[str, str]) -> dict[str, str]:
    """`environment`, none of whose names is also in `secrets` (ECS refuses a container that sets one twice), and
    none of whose values is empty: ECS registers the task definition without it, so the app never gets the variable
    and the provider, comparing it with what ECS kept, replaces the task definition (a new revision, a deployment) on
    every update (terraform-provider-aws#39533)."""
    environment = node.string_map("environment", secure_hint=": keep the value in Secrets Manager or Parameter Store "
                                                          "and name it in secrets, which ECS injects at start")
    for name, value in environment.items():
        _check_variable_name(node, "environment", name)
        path = f"{node.key_path('environment')}.{_key(name)}"
        if name in secrets:
            raise node.error_at(path, "is also in secrets: a variable is either plain or a secret")
        if not value:
            raise node.error_at(path, "is empty, and ECS keeps no variable with an empty value (every update would "
                                      "replace the task definition): give it a value, or leave it out")
    return environment


# Each reader below starts from its dataclass's defaults: a section left out, or a key within it, keeps them.
def _retry(node: Optional[ConfigNode]) -> RetryPolicy:
    retry = RetryPolicy()
    if node is None:
        return retry
    retry = RetryPolicy(
        max_retries=node.int("maxRetries", retry.max_retries, minimum=2, maximum=10, what="between 2 and 10"),
        per_retry_timeout_ms=node.int("perRetryTimeoutMs", retry.per_retry_timeout_ms, minimum=100, maximum=60000))
    node.done()
    return retry


def _timeouts(node: Optional[ConfigNode], plane: PlaneTraits, public: bool) -> ServiceTimeouts:
    timeouts = ServiceTimeouts()
    if node is None:
        return timeouts
    timeouts = ServiceTimeouts(
        idle_ms=node.int("idleMs", timeouts.idle_ms, minimum=1000, maximum=3600000),
        per_request_ms=node.int("perRequestMs", timeouts.per_request_ms, minimum=100, maximum=3600000))
    node.done()
    if plane.whole_second_timeouts:
        for key, value in (("idleMs", timeouts.idle_ms), ("perRequestMs", timeouts.per_request_ms)):
            if value % 1000:
                raise node.error(key, f"{value} is not a whole number of seconds, which Service Connect's "
                                      f"timeouts need", related=CHOSEN_PLANE)
    if plane.idle_cuts_requests and timeouts.idle_ms < timeouts.per_request_ms:
        key = "idleMs" if node.has("idleMs") else "perRequestMs"
        idle, per_request = (f"{value}{'' if node.has(name) else ' (the default)'}" for name, value in (
            ("idleMs", timeouts.idle_ms), ("perRequestMs", timeouts.per_request_ms)))
        raise node.error(key, f"idleMs {idle} is shorter than perRequestMs {per_request}, "
                              f"which then never applies: {plane.idle_cuts_requests}; make idleMs at least "
                              f"perRequestMs", related=CHOSEN_PLANE)
    if plane.alb_ingress and public and timeouts.idle_ms <= ALB_IDLE_TIMEOUT_SECONDS * 1000:
        raise node.error("idleMs", f"{timeouts.idle_ms} is not longer than the ingress ALB's idle timeout "
                                   f"({ALB_IDLE_TIMEOUT_SECONDS} s): the ALB would reuse connections the service's "
                                   f"proxy has closed (502s); use more than {ALB_IDLE_TIMEOUT_SECONDS * 1000}",
                             related=CHOSEN_PLANE)
    return timeouts


def _outlier_detection(node: Optional[ConfigNode]) -> OutlierDetection:
    outliers = OutlierDetection()
    if node is None:
        return outliers
    outliers = OutlierDetection(
        max_server_errors=node.int("maxServerErrors", outliers.max_server_errors, minimum=1, maximum=1000),
        interval_ms=node.int("intervalMs", outliers.interval_ms, minimum=1000, maximum=300000),
        base_ejection_ms=node.int("baseEjectionMs", outliers.base_ejection_ms, minimum=1000, maximum=3600000),
        max_ejection_percent=node.int("maxEjectionPercent", outliers.max_ejection_percent, minimum=0, maximum=100))
    node.done()
    return outliers


def _connection_pool(node: Optional[ConfigNode]) -> ConnectionPool:
    pool = ConnectionPool()
    if node is None:
        return pool
    pool = ConnectionPool(
        max_connections=node.int("maxConnections", pool.max_connections, minimum=1, maximum=100000),
        max_pending_requests=node.int("maxPendingRequests", pool.max_pending_requests, minimum=1, maximum=100000))
    node.done()
    return pool


def execution_policy_chars(service: ServiceConfig, environment: str, region: str, plane: PlaneTraits) -> int:
    """The size, as IAM counts it, of the inline policy of a service's execution role (iam.execution_role_statements,
    as compute builds it): its containers' log streams, ECR, and every secret, key and injected secret it reads,
    counted from the names config knows and 12-digit account ids. Each of a service's versions runs an image: the
    longest repository is counted."""
    streams = [naming.log_streams_arn(naming.log_group_arn(region, naming.ANY_ACCOUNT, group))
               for group in plane.log_groups(environment, service.name).values()]
    mirror = naming.ecr_public_mirror_arn(region, naming.ANY_ACCOUNT, naming.ecr_public_cache_prefix(environment))
    injected = ([naming.mesh_tls_secret_arn_stand_in(region, environment, service.name)]
                if plane.injects_mesh_certificate else [])
    images = (service.image, *(v.image for v in service.versions))
    repository = max((naming.ecr_repository_arn(image) or "" for image in images), key=len) or None
    secret_reads = secret_read_statements(service.secrets.values(), service.secrets_kms_keys, injected)
    return policy_chars(execution_role_statements(streams, mirror, repository, secret_reads))


def _check_execution_role_policies(service_nodes: list[ConfigNode], services: list[ServiceConfig], environment: str,
                                   region: str, plane: PlaneTraits) -> None:
    """IAM refuses a role's inline policies above ROLE_INLINE_POLICY_CHARS together, and an execution role has one,
    which grows with the service's secrets."""
    for node, service in zip(service_nodes, services):
        size = execution_policy_chars(service, environment, region, plane)
        if size > ROLE_INLINE_POLICY_CHARS:
            raise node.error("secrets", f"{size:,} characters in the execution role's inline policy with these "
                                        f"secrets and keys, more than the {ROLE_INLINE_POLICY_CHARS:,} IAM allows a "
                                        f"role's inline policies together: split the service's secrets into fewer, "
                                        f"larger secrets (a JSON secret's keys each become a variable with "
                                        f":json-key:)")


def _check_secrets(node: ConfigNode, secrets: Mapping[str, str]) -> None:
    for key, value in secrets.items():
        _check_variable_name(node, "secrets", key)
        path = f"{node.key_path('secrets')}.{_key(key)}"
        if not _matches(SECRET_VALUE_FROM_RE, value):
            raise node.error_at(path, "must be a Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:"
                                      "secret:<name>[:json-key:version-stage:version-id]) or an SSM parameter ARN "
                                      "(arn:aws:ssm:<region>:<account>:parameter/<name>)")
        # ECS keeps Service Connect's TLS private keys as ecs-sc! secrets; the execution role would hand one over.
        sc_key = _SC_SECRET_RE.match(value)
        if sc_key:
            raise node.error_at(path, f"names Service Connect's TLS key (secret {sc_key.group(1)}); a service must not "
                                   "read the proxy's private key")
        if (problem := other_partition_problem(value)) is not None:
            raise node.error_at(path, problem)


def _service(node: ConfigNode, sizing: Sizing, plane: PlaneTraits,
             health_check: Optional[ContainerHealthCheck]) -> ServiceConfig:
    name = node.str("name", required=True, pattern=_NAME_RE,
                    what="a service name (2 to 40 lower-case letters, digits and -, from a letter, not ending in -)")
    image = _image(node, "image", required=True)
    public_path = node.str("publicPath", pattern=_PUBLIC_PATH_RE,
                           what="a path prefix: one segment like /users (lower-case letters, digits and -)")
    sizing_node = node.node("sizing")
    for key, why in plane.fixed_service_keys.items():
        if node.has(key):
            raise node.error(key, f"{why}; remove it, or use mesh.dataPlane: appmesh", related=CHOSEN_PLANE)
    retry = _retry(node.node("retry"))
    timeouts = _timeouts(node.node("timeouts"), plane, public=public_path is not None)
    outliers = _outlier_detection(node.node("outlierDetection"))
    health_check = _optional_health_check(node, health_check)
    health_check_path = node.str("healthCheckPath", "/health", pattern=_HEALTH_CHECK_PATH_RE,
                                 what="a path of at most 1024 characters of a URL's path and query (letters, "
                                      "digits and -._~!$&'()*+,;=:@/?; any other as %XX)")
    port = node.int("port", required=True, minimum=1, maximum=65535, what="a port (1-65535)")
    pool = _connection_pool(node.node("connectionPool"))
    service = ServiceConfig(
        name=name,
        image=image,
        port=port,
        health_check_path=health_check_path,
        public_path=public_path,
        calls=node.strings("calls", unique=True),
        externals=node.strings("externals", unique=True),
        versions=_versions(node, image, plane),
        secrets=(secrets := node.string_map("secrets")),
        environment=_plain_environment(node, secrets),
        sizing=_sizing(sizing_node, sizing) if sizing_node is not None else sizing,
        retry=retry,
        timeouts=timeouts,
        outlier_detection=outliers,
        connection_pool=pool,
        protocol=node.str("protocol", "http", choices=_APP_PROTOCOLS),
        query_parameters=node.strings("queryParameters", pattern=_QUERY_PARAMETER_RE, what="a query string parameter",
                                      unique=True),
        secrets_kms_keys=node.strings("secretsKmsKeys", pattern=KMS_KEY_ARN_RE, unique=True, what=KMS_KEY_ARN_WHAT),
        container_health_check=health_check.for_service(port, health_check_path) if health_check else None,
    )
    _check_service_settings(node, service, plane)
    _check_secrets(node, service.secrets)
    _check_secrets_kms_keys(node, service)
    node.done()
    return service


def _check_service_settings(node: ConfigNode, service: ServiceConfig, plane: PlaneTraits) -> None:
    """Settings each valid alone and not together, or not on this plane: KMS keys without secrets, query parameters
    on a service the API does not serve, a port a sidecar takes, a protocol the plane or API Gateway cannot carry."""
    if service.secrets_kms_keys and not service.secrets:
        raise node.error("secretsKmsKeys", "the service has no secrets to decrypt")
    if service.query_parameters and service.public_path is None:
        raise node.error("queryParameters", "only applies to a public service (one with a publicPath): the API's "
                                            "cache keys on them")
    reserved = plane.reserved_ports
    if service.port in reserved:
        raise node.error("port", f"{service.port} is reserved for {reserved[service.port]} (a task's containers "
                                 f"share its ports)",
                         related=CHOSEN_PLANE if service.port in plane.sidecar_ports else ())
    if plane.http_only and service.protocol != "http":
        raise node.error("protocol", f"{service.protocol}: {plane.http_only}", related=CHOSEN_PLANE)
    if service.public_path is not None and service.protocol == "grpc":
        # API Gateway has no gRPC: its REST and HTTP APIs send the ingress HTTP/1.1 requests.
        raise node.error("protocol", "grpc needs HTTP/2 end to end, and API Gateway sends a public service "
                                     "HTTP/1.1 requests: a service with a publicPath speaks http or http2")


def _check_secrets_kms_keys(node: ConfigNode, service: ServiceConfig) -> None:
    """A secret or parameter is encrypted by a key of its own region: a key in none of theirs decrypts nothing."""
    secret_regions = sorted({arn_service_region(arn)[1] for arn in service.secrets.values()})
    for index, key in enumerate(service.secrets_kms_keys):
        path = f"{node.key_path('secretsKmsKeys')}[{index}]"
        if (problem := other_partition_problem(key)) is not None:
            raise node.error_at(path, problem)
        if (key_region := arn_service_region(key)[1]) not in secret_regions:
            raise node.error_at(path, f"is in {key_region}, and the service's secrets in {', '.join(secret_regions)}: "
                                      "Secrets Manager and Parameter Store encrypt with a key of the secret's own "
                                      "region")


def _services(root: ConfigNode, sizing: Sizing, plane: PlaneTraits, health_check: Optional[ContainerHealthCheck],
              fail: Callable[..., ConfigError]) -> tuple[list[ConfigNode], list[ServiceConfig]]:
    """`services`, in the stack file's order, with each one's node (the checks across services name its keys)."""
    service_nodes = root.nodes("services", required=True)
    if not service_nodes:
        raise fail("services", "needs at least one service")
    services: list[ServiceConfig] = []
    for service_node in service_nodes:
        service = _service(service_node, sizing, plane, health_check)
        if any(s.name == service.name for s in services):
            raise service_node.error("name", f"duplicate service {service.name!r}",
                                     related=[n.key_path("name") for n, s in zip(service_nodes, services)
                                              if s.name == service.name])
        services.append(service)
    return service_nodes, services


def _check_canaries(services_node: list[ConfigNode], services: list[ServiceConfig], plane: PlaneTraits) -> None:
    """A canary with no traffic to judge it by would roll out whatever it runs, and a header match no request is
    routed by does nothing (the plane's reasons): made of every service's calls, and of the plane."""
    called = called_services(services)
    related = [*(other.key_path("calls") for other in services_node), *CHOSEN_PLANE]
    for node, service in zip(services_node, services):
        canary = service.canary_version
        if canary is None or service.name in called:
            continue
        if plane.canary_needs_traffic and service.public_path is None:
            raise node.error("versions", f"{plane.canary_needs_traffic}; {service.name} has no caller and no "
                                         "publicPath, so nothing would roll a bad version back: give it one version",
                             related=related)
        if plane.header_match_needs_callers and canary.header_match is not None:
            raise node.error_at(f"{node.key_path('versions')}[1].headerMatch",
                                f"{plane.header_match_needs_callers}; no service calls {service.name}, so no request "
                                "would match it: remove it (the canary still takes its weight)", related=related)


def _check_references(services_node: list[ConfigNode], services: list[ServiceConfig],
                      externals: list[ExternalConfig], plane: PlaneTraits, fail) -> None:
    """A name a service refers to is another key's (a service's, an external's), which an override may have
    changed: those keys are related."""
    names = {s.name for s in services}
    external_names = {e.name for e in externals}
    name_keys = [other.key_path("name") for other in services_node]
    paths: dict[str, tuple[str, str]] = {}
    for node, service in zip(services_node, services):
        for i, callee in enumerate(service.calls):
            if callee not in names:
                raise fail(f"{node.key_path('calls')}[{i}]", f"{callee!r} is not a service in this stack"
                           + did_you_mean(near_spelling(callee, names)), name_keys)
            if callee == service.name:
                raise fail(f"{node.key_path('calls')}[{i}]", "a service does not call itself through the mesh")
        for i, ext in enumerate(service.externals):
            if ext not in external_names:
                raise fail(f"{node.key_path('externals')}[{i}]", f"{ext!r} is not an external in this stack",
                           [f"externals[{j}].name" for j in range(len(externals))])
        if service.public_path:
            if service.public_path in paths:
                other, key = paths[service.public_path]
                raise node.error("publicPath", f"{service.public_path} is already used by {other}", related=[key])
            paths[service.public_path] = (service.name, node.key_path("publicPath"))
    # Every external's host is allowed through the egress firewalls (DNS and Network Firewall): one nobody calls
    # would open them for nothing.
    called = {ext for service in services for ext in service.externals}
    for i, ext in enumerate(externals):
        if ext.name not in called:
            raise fail(f"externals[{i}].name", f"{ext.name!r} is called by no service: its host {ext.host} would be "
                                               "allowed through the egress firewalls for nothing; list it in the "
                                               "services[].externals of the service that calls it, or remove it",
                       [node.key_path("externals") for node in services_node])
    if plane.external_port_clash is None:
        return
    mesh_ports = {service.port: (service.name, node.key_path("port")) for node, service in zip(services_node, services)}
    for i, ext in enumerate(externals):
        if ext.port in mesh_ports:
            name, key = mesh_ports[ext.port]
            raise fail(f"externals[{i}].port", f"{ext.port} is also the port of {name} ({key}): "
                                               f"{plane.external_port_clash}; give one of them another port",
                       [key, *CHOSEN_PLANE])


def _check_derived_names(services_node: list[ConfigNode], services: list[ServiceConfig],
                         externals: list[ExternalConfig], plane: PlaneTraits, environment: str,
                         rest_api: Optional[str], device_apis: Sequence[str], fail) -> None:
    """Names the program joins from a service's name and another part (a version, a suffix, a path) must come out
    apart: two alike are one resource to the engine (a duplicate URN) or one alarm to CloudWatch, where the second
    silently overwrites the first. Each kind of name is its own namespace; the key that made a name second is
    the one named, and the one that made it first (or the plane's choice, for its own) is related, with the plane
    that joins them. `rest_api` is the REST API's name when there is one, `device_apis` the kinds of device API
    (naming.HTTP, naming.WEBSOCKET) the stack has: their names are the program's, so a REST API named like one
    (an access log group of the same name, alarms alike) is refused at `api.name`."""
    # Whose each name is, and the keys that made it.
    made: dict[tuple[str, str], tuple[str, tuple[str, ...]]] = {}
    for label in plane.own_workloads:
        made["workload alarm", naming.alarm_name(environment, label)] = (f"the plane's {label}'s", ())
        made["traffic alarm", naming.alarm_name(environment, naming.traffic_alarm_stem(
            label, plane.traffic_alarm_prefix))] = (f"the plane's {label}'s", ())
    # Every API has a 4xx-rate alarm ("API alarm"); the REST and HTTP APIs' 5xx-rate is a kind services have too.
    for kind in device_apis:
        whose = f"the {_DEVICE_API_TITLES[kind]} API's"
        stem = naming.alarm_name(environment, naming.DEVICE_API_ALARM_LABELS[kind])
        made["API", naming.device_api_name(environment, kind)] = made["API alarm", stem] = (whose, ())
        if kind == naming.HTTP:
            made["traffic alarm", stem] = (whose, ())
    if rest_api is not None:
        for kind in ("API", "API alarm", "traffic alarm"):
            if (kind, rest_api) in made:
                raise fail("api.name", f"makes the {kind} name {rest_api}, which is already {made[kind, rest_api][0]}"
                                       " (its access log group and alarms are named from it); choose another")
            made[kind, rest_api] = ("the REST API's", ("api.name",))
    if plane.workload_per_version:
        # An external's node, and the virtual service resource beside it, are named as a service's would be.
        made.update({(kind, naming.external_node_name(e.name)): (f"external {e.name}'s", (f"externals[{i}].name",))
                     for i, e in enumerate(externals) for kind in ("virtual node", "virtual service resource")})
    for node, service in zip(services_node, services):
        if service.name in plane.reserved_service_names:
            raise node.error("name", f"{service.name} is {plane.reserved_service_names[service.name]}; choose "
                                     "another name", related=CHOSEN_PLANE)
        for key, kind, name in _derived_names(node, service, plane, environment):
            if (kind, name) in made:
                whose, keys = made[kind, name]
                raise node.error_at(key, f"makes the {kind} name {name}, which is already {whose}; choose another",
                                    related=[*keys, *CHOSEN_PLANE])
            made[kind, name] = (f"{service.name}'s", (key,))


_DEVICE_API_TITLES = {naming.HTTP: "HTTP", naming.WEBSOCKET: "WebSocket"}


def _derived_names(node: ConfigNode, service: ServiceConfig, plane: PlaneTraits,
                   environment: str) -> list[tuple[str, str, str]]:
    """(the key that makes it, namespace, name) of the names the plane joins from this service's settings. Alarm
    names are the stems before their kinds: a workload's own (cpu-high, ...), and its traffic ones (5xx-rate,
    p99-latency), which share the API's and load balancers' kinds."""
    name_key = node.key_path("name")
    if plane.workload_per_version:
        # A version the stack file lists is named at its key; the default v1 at the service's name.
        labels = [(f"{node.key_path('versions')}[{i}].name" if node.has("versions") else name_key,
                   naming.mesh_workload(service.name, v.name)) for i, v in enumerate(service.versions)]
    else:
        labels = [(name_key, service.name)]
    names = [(key, kind, naming.alarm_name(environment, stem)) for key, label in labels
             for kind, stem in (("workload alarm", label),
                                ("traffic alarm", naming.traffic_alarm_stem(label, plane.traffic_alarm_prefix)))]
    if plane.workload_per_version:
        names += [(key, "virtual node", label) for key, label in labels]
        names.append((name_key, "virtual service resource", service.name))
    if service.public_path is not None:
        path_key, stem = node.key_path("publicPath"), service.public_path.lstrip("/")
        names += [(path_key, "API resource", stem), (path_key, "API resource", f"{stem}{naming.PROXY_RESOURCE_SUFFIX}")]
        if plane.alb_ingress:
            names.append((name_key, "traffic alarm", naming.alarm_name(environment, naming.alb_label(service.name))))
            canary = service.canary_version is not None  # its second group, and the rule that shifts between them
            names += [(name_key, "target group", naming.ingress_target_group_label(service.name, alternate))
                      for alternate in ((False, True) if canary else (False,))]
            names.append((name_key, "listener rule", naming.ingress_rule_label(service.name, shifting=canary)))
    return names


def _check_pulled_images(services_node: list[ConfigNode], services: list[ServiceConfig], mesh: MeshConfig,
                         environment: str, region: str, fail) -> None:
    """Tasks pull images from this region's ECR only: the egress DNS Firewall answers no other registry's names (and
    no other region's ECR), so an image anywhere else fails every task with CannotPullContainerError. An ECR Public
    image is pulled through the account's cache rule, a longer reference than the one written: it must still fit
    ECS's limit. An account id is always 12 digits. The stack's region (and for the cache rule, its environment) is
    related."""
    registry, prefix = naming.ecr_registry(naming.ANY_ACCOUNT, region), naming.ecr_public_cache_prefix(environment)
    images = [("mesh.envoyImage", mesh.envoy_image)] if mesh.envoy_image else []
    for node, service in zip(services_node, services):
        images.append((node.key_path("image"), service.image))
        images += [(f"{node.key_path('versions')}[{i}].image", v.image) for i, v in enumerate(service.versions)
                   if v.image != service.image]
    for key, image in images:
        # The execution role is granted pulls on an ECR image's repository, as its ARN: IAM refuses another
        # partition's (a China region's registry).
        repository = naming.ecr_repository_arn(image)
        if repository is not None and (problem := other_partition_problem(repository)) is not None:
            raise fail(key, f"{image} {problem}")
        source = naming.image_registry(image)
        if source != naming.ECR_PUBLIC and naming.ecr_image_region(image) != region:
            raise fail(key, f"is pulled from {source}, which tasks cannot reach: the egress DNS Firewall answers this "
                            f"region's ECR ({naming.ecr_registry('<account>', region)}) and no other registry; push "
                            f"the image to ECR in {region}, or take it from {naming.ECR_PUBLIC}, which tasks pull "
                            f"through the {prefix} cache rule", ["aws:region"])
        pulled = naming.mirrored_image(image, registry, prefix)
        if len(pulled) > ECS_MAX_IMAGE_CHARS:
            raise fail(key, f"is pulled as {len(pulled)} characters through the {prefix} cache rule "
                            f"({naming.ECR_PUBLIC} becomes {naming.ecr_registry('<account>', region)}/{prefix}); ECS "
                            f"takes image references of at most {ECS_MAX_IMAGE_CHARS}", ["aws:region", "environment"])


def _check_secret_regions(services_node: list[ConfigNode], services: list[ServiceConfig], network: NetworkConfig,
                          region: str) -> None:
    """With endpoints on, tasks reach Secrets Manager and SSM only through this region's endpoints: the DNS
    Firewall answers no other region's API names, and the AWS-API group opens 443 to the endpoints alone. A secret
    in another region could never be read, and every task of the service would fail to start."""
    if not network.endpoints:
        return
    for node, service in zip(services_node, services):
        for key, value in service.secrets.items():
            secret_region = arn_service_region(value)[1]
            if secret_region != region:
                raise node.error_at(f"{node.key_path('secrets')}.{_key(key)}",
                                    f"is in {secret_region}, but with network.endpoints on tasks reach secrets only "
                                    f"through this stack's {region} endpoints: keep a replica or copy of it in "
                                    f"{region}",
                                    related=["aws:region", "network.endpoints"])


def _externals(node: ConfigNode, namespace: str) -> list[ExternalConfig]:
    """`namespace` is the services' own: an external is a host outside it."""
    out: list[ExternalConfig] = []
    for ext_node in node.nodes("externals"):
        ext = ExternalConfig(
            name=ext_node.str("name", required=True, pattern=_NAME_RE, what="a name"),
            host=ext_node.str("host", required=True, pattern=HOST_RE, what=HOST_WHAT),
            port=ext_node.int("port", 443, minimum=1, maximum=65535, what="a port (1-65535)"),
        )
        if any(e.name == ext.name for e in out):
            raise ext_node.error("name", f"duplicate external {ext.name!r}",
                                 related=[f"externals[{j}].name" for j, e in enumerate(out) if e.name == ext.name])
        # Inside it, the host is a service's name (or may become one): the mesh answers it, never the internet.
        if ext.host == namespace or ext.host.endswith(f".{namespace}"):
            raise ext_node.error("host", f"{ext.host} is in this stack's service namespace {namespace}, where the "
                                         "mesh names its own services; an external is a host outside it",
                                 related=["environment", "mesh.domain"])
        # The host names the external's virtual service, which must be unique in the mesh.
        for j, other in enumerate(out):
            if other.host == ext.host:  # both lower case (HOST_RE), as DNS ignores case
                raise ext_node.error("host", f"{ext.host} is already the host of external {other.name!r}",
                                     related=[f"externals[{j}].host"])
        ext_node.done()
        out.append(ext)
    return out
