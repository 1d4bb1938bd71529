"""Cloud Map namespaces: mesh discovery never publishes its instances in a public DNS namespace."""
from __future__ import annotations

from typing import Any, Iterator

from pulumi_policy import Severity, StackValidationArgs

from ..appmesh import VIRTUAL_NODE
from ..core.registry import stack_policy
from ..core.props import UNKNOWN, peek, peek_items
from ..core.stack import in_place_of, linked, of_type, prop, refers_to, same_value
from ..ecs import SERVICE as ECS_SERVICE
from . import DISCOVERY_SERVICE, NAMESPACES, PUBLIC_NAMESPACE, namespace_of


def _node_uses_namespace(node: Any, namespace: Any) -> bool:
    """Whether a virtual node discovers through the namespace: by its name, which Cloud Map looks up in the node's
    account and region (`in_place_of`: a namespace not known to live there is not it yet); while the name is
    unknown, by the one namespace its spec is made from (of several, which one the update tells)."""
    name = peek(node.props, "spec", "serviceDiscovery", "awsCloudMap", "namespaceName")
    if name is not UNKNOWN:  # one made from the namespace's outputs is it, whatever regions say
        return same_value(name, prop(namespace, "name")) and bool(in_place_of(node, [namespace], linked(node))[0])
    made_from = {r.urn for r in linked(node) if r.resource_type in NAMESPACES}
    return made_from == {namespace.urn}


def _in_namespace(service: Any, namespace: Any) -> bool:
    found = namespace_of(service)
    return found is not None and found.urn == namespace.urn


def _publishes(registry: Any) -> bool:
    """Whether Cloud Map makes DNS records of the instances registered in a Cloud Map service: one with `dnsConfig`
    (RegisterInstance creates a record per record it defines in the namespace's hosted zone, botocore's
    servicediscovery); one without (`type` HTTP) is discovered by API calls only. Unknown: not judged."""
    dns = peek(registry.props, "dnsConfig")
    return dns is not None and dns is not UNKNOWN


def _node_discovers_records(node: Any, registries: list) -> bool:
    """Whether the instances a virtual node discovers are in DNS: the namespace's Cloud Map service it names
    (`serviceName`) makes records, or is outside the stack (in a public namespace, a service mostly does); while the
    node's name, or a service's, is unknown, every service it may name does."""
    name = peek(node.props, "spec", "serviceDiscovery", "awsCloudMap", "serviceName")
    return all(_publishes(r) for r in registries if _may_be_named(name, peek(r.props, "name")))


def _may_be_named(name: Any, registry_name: Any) -> bool:
    """Whether a Cloud Map service of this name is, or once both are known may be, the one a node names."""
    return name is UNKNOWN or registry_name is UNKNOWN or same_value(name, registry_name)


def _mesh_discovery_users(namespace: Any, resources: list) -> list[str]:
    """Names of the virtual nodes that discover, and the ECS services that register, through `namespace` instances
    Cloud Map puts in DNS."""
    registries = [s for s in of_type(resources, DISCOVERY_SERVICE) if _in_namespace(s, namespace)]
    users = [n.name for n in of_type(resources, VIRTUAL_NODE)
             if _node_uses_namespace(n, namespace) and _node_discovers_records(n, registries)]
    publishing = [s for s in registries if _publishes(s)]
    users += [e.name for e in of_type(resources, ECS_SERVICE) if any(_registers_in(e, s) for s in publishing)]
    return users


def _registers_in(service: Any, registry: Any) -> bool:
    """Whether an ECS service registers its tasks in a Cloud Map service: its `serviceRegistries[].registryArn` names
    it, or is made from it (`refers_to`: of several registries' ARNs picked among, the one named)."""
    arns = [peek(entry, "registryArn") for entry in peek_items(service.props, "serviceRegistries")]
    return bool(arns) and refers_to(service, "serviceRegistries", arns, registry, keys=("arn",)) is True


@stack_policy(
    "cloudmap-namespace-private-for-mesh", PUBLIC_NAMESPACE,
    description="Mesh service discovery must not put its instances' addresses in a public DNS namespace, whose "
                "records anyone on the internet can resolve.",
    severity=Severity.HIGH,
)
def private_for_mesh(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """no virtual node discovers through, and no ECS service registers (`serviceRegistries`) into, a Cloud Map service
    of a public DNS namespace that makes DNS records (`dnsConfig`): Cloud Map creates them, the tasks' private
    addresses, in the namespace's public Route 53 hosted zone; a service without records (API discovery only)
    publishes nothing, and a node's service outside the stack is taken to make them; unknown names or DNS settings are
    not judged"""
    for namespace in of_type(args.resources, PUBLIC_NAMESPACE):
        users = _mesh_discovery_users(namespace, args.resources)
        if users:
            yield (f"public DNS namespace {prop(namespace, 'name') or namespace.name} is used for mesh discovery "
                   f"by {', '.join(sorted(users))}: Cloud Map puts a record of each instance registered for them in "
                   "the namespace's public Route 53 hosted zone, so anyone on the internet can resolve their tasks' "
                   "private addresses; use a private DNS namespace bound to the VPC"), namespace.urn
