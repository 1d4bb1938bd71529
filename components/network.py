"""The VPC the platform runs in: created across 2-3 AZs, or an existing one brought by id."""
from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Callable, NamedTuple, Optional, Sequence

import pulumi
import pulumi_aws as aws

from .config import NetworkConfig, fail_in
from .iam import policy_json, service_trust_policy, statement
from .logkey import log_group

ANYWHERE = "0.0.0.0/0"
HTTPS = 443  # the AWS APIs' and the ingress's port


@dataclass(frozen=True)
class NetworkArgs:
    environment: str
    stack_file: str  # where a setting the region cannot hold is reported
    config: NetworkConfig
    flow_log_retention_days: int
    protect: bool  # the flow log group: the records incident response reads outlive `pulumi destroy`
    # The environment's log key (components/logkey.py): its log groups are encrypted with it.
    log_key_arn: pulumi.Input[str]
    # A created VPC's zones, asked for before any resource is declared (`account_zones`); None for a brought VPC.
    zones: Optional[AccountZones]


# The AZ IDs where Fargate runs no tasks: the "Supported Regions for Amazon ECS on AWS Fargate" table names only
# usw1-az1 and usw1-az3 in us-west-1, and apne1-az1, -az2 and -az4 in ap-northeast-1. Which zone name maps to one is
# the account's (an older account's).
FARGATE_UNSUPPORTED_ZONE_IDS = frozenset({"usw1-az2", "apne1-az3"})


def subnets_at(subnet_ids: pulumi.Input[Sequence[pulumi.Input[str]]], zones: Optional[pulumi.Input[Sequence[str]]],
               places: Callable[[list[str]], list[int]]) -> pulumi.Input[Sequence[pulumi.Input[str]]]:
    """The subnets at `places(zones)` (their indices), in order: a choice made on the subnets' zones alone, which a
    new stack's first preview knows before their ids. Where the zones are not known (a brought VPC's subnets, placed
    by its owner), all of them."""
    if zones is None:
        return subnet_ids
    return pulumi.Output.all(subnet_ids, pulumi.Output.from_input(zones).apply(places)).apply(
        lambda v: [v[0][i] for i in v[1]])


def _places_outside(zones: Sequence[str], excluded: frozenset[str]) -> list[int]:
    return [i for i, zone in enumerate(zones) if zone not in excluded]


def subnets_outside(subnet_ids: pulumi.Input[Sequence[pulumi.Input[str]]],
                    zone_ids: Optional[pulumi.Input[Sequence[str]]],
                    excluded: frozenset[str]) -> pulumi.Input[Sequence[pulumi.Input[str]]]:
    """The subnets whose AZ ID (`zone_ids`, in their order) is not `excluded`."""
    return subnets_at(subnet_ids, zone_ids, lambda zones: _places_outside(zones, excluded))


def fargate_subnets(subnet_ids: pulumi.Input[Sequence[pulumi.Input[str]]],
                    zone_ids: Optional[pulumi.Input[Sequence[str]]]) -> pulumi.Input[Sequence[pulumi.Input[str]]]:
    """The private subnets ECS tasks run in: not those in a zone Fargate runs no tasks in. Where that leaves one zone
    a warning says so: the services lose a zone to fail over to (us-west-1 gives such an account no third)."""
    def places(zones: list[str]) -> list[int]:
        kept = _places_outside(zones, FARGATE_UNSUPPORTED_ZONE_IDS)
        if len(kept) < min(2, len(zones)):
            left_out = [zone for zone in zones if zone in FARGATE_UNSUPPORTED_ZONE_IDS]
            pulumi.log.warn(f"network.create.azCount: ECS tasks run in {len(kept)} Availability Zone "
                            f"({', '.join(zones[i] for i in kept)}): Fargate runs no tasks in {', '.join(left_out)} "
                            "(this account's zone there)")
        return kept
    return subnets_at(subnet_ids, zone_ids, places)


def _enough_zones(az_count: int, stack_file: str, names: list) -> list:
    if len(names) < az_count:
        raise fail_in(stack_file)("network.create.azCount", f"{az_count}: this account has {len(names)} Availability "
                                                            f"Zones in the region ({', '.join(names)})")
    return names


# Subnets take zones by position, and a zone is ForceNew: the list must not move. Only Availability Zones (an
# opted-in Local or Wavelength Zone would sort first), and whatever their state (an impaired zone leaving the list
# would shift every subnet after it).
_ZONE_FILTERS = [aws.GetAvailabilityZonesFilterArgs(name="zone-type", values=["availability-zone"])]


class AccountZones(NamedTuple):
    """The Availability Zones the stack's subnets take, the first azCount of the region's as the stack's account sees
    them: names and AZ IDs, in one order (the i-th subnet of each tier takes the i-th)."""
    names: list[str]
    zone_ids: list[str]


def account_zones(config: NetworkConfig, stack_file: str, parent: pulumi.Resource) -> Optional[AccountZones]:
    """A created VPC's zones, asked for (and azCount checked against them) before any resource is declared: how many
    zones an account has in a region is the account's (us-west-1 gives most accounts two), and only the invoke knows.
    Checked inside the network instead, a short region stopped the program after it had declared the VPC and its
    neighbours, which `pulumi up` would have created. None for a brought VPC, whose owner placed its subnets."""
    if config.create is None:
        return None
    found = aws.get_availability_zones(filters=_ZONE_FILTERS, opts=pulumi.InvokeOptions(parent=parent))
    count = config.create.az_count
    return AccountZones(_enough_zones(count, stack_file, list(found.names))[:count], list(found.zone_ids)[:count])


@dataclass(frozen=True)
class FirewallHop:
    """One AZ's place for a Network Firewall endpoint (the same AZ's PrivateExit names it).

    The egress layer creates the firewall and its routes; Network only lays out subnets and tables. In a
    brought VPC the tables are its owner's, so there are no exits, the return fields are None, and the
    owner routes to the exported endpoints.
    """

    subnet_id: pulumi.Output[str]
    # The return path: the NAT gateways' (public) route table sends this AZ's private block to the endpoint.
    private_cidr: Optional[pulumi.Output[str]] = None
    public_route_table_id: Optional[pulumi.Output[str]] = None


@dataclass(frozen=True)
class PrivateExit:
    """One AZ's private route table and the NAT gateway it leaves by.

    The egress layer owns the table's default route: one resource, whether it leads to the NAT gateway or
    through the AZ's firewall endpoint, so turning the firewall on or off changes its target in place. (Two
    resources would collide: a table holds one route per destination, and Pulumi makes the new one before
    it deletes the old one.)
    """

    route_table_id: pulumi.Output[str]
    nat_gateway_id: pulumi.Output[str]
    # The route where earlier versions made it (in Network), so a deployed stack's route carries over.
    previous: pulumi.Alias
    # With network.firewall: the same AZ's firewall subnet, whose endpoint the route leads to instead.
    firewall_hop: Optional[FirewallHop] = None



class Network(pulumi.ComponentResource):
    """Public subnets hold only NAT gateways; every workload and the internal NLB sit in private subnets.

    With `network.firewall`, each AZ also gets a small dedicated firewall subnet whose table leads to the
    NAT gateway. The private tables' default route is left to the egress layer (`private_exits`).
    """

    vpc_id: pulumi.Output[str]
    vpc_cidr: pulumi.Output[str]
    private_subnet_ids: pulumi.Output[list]
    # Each private subnet's AZ ID and AZ name, in the same order (a created VPC); None in a brought VPC, whose owner
    # placed them.
    private_subnet_zone_ids: Optional[pulumi.Output[list]]
    private_subnet_zones: Optional[pulumi.Output[list]]
    public_subnet_ids: pulumi.Output[list]
    # The S3 gateway endpoint adds its prefix-list route to these.
    private_route_table_ids: list
    # One per AZ when network.firewall is on, else empty.
    firewall_hops: list[FirewallHop]
    # One per AZ in a created VPC (a brought VPC's tables are its owner's).
    private_exits: list[PrivateExit]
    # The NAT gateways this stack created (alarms watch them); empty in a brought VPC, whose owner watches its own.
    nat_gateway_ids: list
    # What a private subnet's traffic leaves through here (every subnet's table association, the NAT gateways,
    # the public and firewall-subnet default routes): a subnet uses the VPC's main table, which leads nowhere,
    # until its association exists. Empty in a brought VPC.
    exit_path: list[pulumi.Resource]

    def __init__(self, name: str, args: NetworkArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("service-mesh-platform:network:Network", name, None, opts)
        if args.config.existing is not None:
            existing = args.config.existing
            self.vpc_id = pulumi.Output.from_input(existing.vpc_id)
            self.vpc_cidr = pulumi.Output.from_input(existing.vpc_cidr)
            self.private_subnet_ids = pulumi.Output.from_input(list(existing.private_subnet_ids))
            self.private_subnet_zone_ids = self.private_subnet_zones = None
            self.public_subnet_ids = pulumi.Output.from_input(list(existing.public_subnet_ids))
            self.private_route_table_ids = [pulumi.Output.from_input(t) for t in existing.private_route_table_ids]
            self.firewall_hops = [FirewallHop(subnet_id=pulumi.Output.from_input(s))
                                  for s in existing.firewall_subnet_ids]
            self.private_exits = []
            self.nat_gateway_ids = []
            self.exit_path = []
        else:
            self._create(name, args)
        self.register_outputs({
            "vpcId": self.vpc_id,
            "privateSubnetIds": self.private_subnet_ids,
            "publicSubnetIds": self.public_subnet_ids,
        })

    def _create(self, name: str, args: NetworkArgs) -> None:
        spec = args.config.create
        if args.zones is None:
            raise ValueError("a created VPC needs the account's zones (account_zones)")
        core = _vpc(name, args.environment, spec.cidr, self)
        blocks = _subnet_blocks(spec.cidr, spec.az_count, spec.az_slots, args.config.firewall)
        public = _public_tier(name, args.environment, self, core, blocks.public, args.zones.names, spec.nat_gateways)
        private = _private_tier(name, args.environment, self, core, blocks, args.zones.names, public.nat_gateways)

        self._flow_logs(name, args, core.vpc)
        self.vpc_id = core.vpc.id
        self.vpc_cidr = core.vpc.cidr_block
        self.private_subnet_ids = pulumi.Output.all(*[s.id for s in private.subnets])
        # The invoke lists names and AZ IDs in one order, and the i-th private subnet takes the i-th name.
        self.private_subnet_zone_ids = pulumi.Output.from_input(args.zones.zone_ids)
        self.private_subnet_zones = pulumi.Output.from_input(args.zones.names)
        self.public_subnet_ids = pulumi.Output.all(*[s.id for s in public.subnets])
        self.private_route_table_ids = private.route_table_ids
        self.firewall_hops = private.firewall_hops
        self.private_exits = private.exits
        self.nat_gateway_ids = [nat.id for nat in public.nat_gateways]
        self.exit_path = [core.public_default_route, *public.exit_path, *private.exit_path, *public.nat_gateways]

    def _flow_logs(self, name: str, args: NetworkArgs, vpc: aws.ec2.Vpc) -> None:
        """Rejected-and-accepted traffic records for incident response (Security Hub EC2.6)."""
        child = pulumi.ResourceOptions(parent=self)
        group = log_group(f"{name}-flow-logs", self, log_name=f"/{args.environment}/vpc/flow-logs",
                          retention_days=args.flow_log_retention_days, key_arn=args.log_key_arn, protect=args.protect)
        invoke = pulumi.InvokeOutputOptions(parent=self)
        account_id = aws.get_caller_identity_output(opts=invoke).account_id
        region = aws.get_region_output(opts=invoke).region
        # Only this account's flow logs may use the role (the trust policy on the VPC flow logs IAM role page).
        role = aws.iam.Role(f"{name}-flow-logs", assume_role_policy=service_trust_policy(
            "vpc-flow-logs.amazonaws.com", account_id,
            source_arn=pulumi.Output.concat("arn:aws:ec2:", region, ":", account_id, ":vpc-flow-log/*")),
            opts=child)
        # The actions that page lists; without CreateLogGroup and DescribeLogGroups delivery can report
        # "Access error". DescribeLogGroups has no narrower resource than "*".
        permissions = aws.iam.RolePolicy(f"{name}-flow-logs", role=role.id, policy=policy_json([
            statement(["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                      [group.arn, group.arn.apply(lambda arn: f"{arn}:*")], sid="FlowLogDelivery"),
            statement(["logs:DescribeLogGroups"], ["*"], sid="FlowLogGroups"),
        ]), opts=child)
        # After the role's permissions, not only the role: the first deliveries would fail with "Access error".
        aws.ec2.FlowLog(f"{name}-flow-logs", vpc_id=vpc.id, traffic_type="ALL", log_destination=group.arn,
                        log_destination_type="cloud-watch-logs", iam_role_arn=role.arn,
                        opts=pulumi.ResourceOptions(parent=self, depends_on=[permissions]))


class _Vpc(NamedTuple):
    """A created VPC, its internet gateway, and the public route table that leads to it."""

    vpc: aws.ec2.Vpc
    internet_gateway: aws.ec2.InternetGateway
    public_route_table: aws.ec2.RouteTable
    public_default_route: aws.ec2.Route


def _vpc(name: str, environment: str, cidr: str, owner: pulumi.Resource) -> _Vpc:
    child = pulumi.ResourceOptions(parent=owner)
    vpc = aws.ec2.Vpc(f"{name}-vpc", cidr_block=cidr, enable_dns_hostnames=True, enable_dns_support=True,
                      tags={"Name": f"{environment}-vpc"}, opts=child)
    # EC2 gives the VPC a default group that admits its own members and sends anywhere, and whatever is made
    # without a group lands in it. Adopted, it loses those rules (Security Hub EC2.2). The empty lists make a
    # rule added outside the program drift that `up --refresh` removes; left out (attributes-as-blocks mode),
    # the provider would keep it.
    aws.ec2.DefaultSecurityGroup(f"{name}-default", vpc_id=vpc.id, ingress=[], egress=[],
                                 tags={"Name": f"{environment}-default"}, opts=child)
    igw = aws.ec2.InternetGateway(f"{name}-igw", vpc_id=vpc.id, opts=child)
    # Routes are standalone resources (never inline), so the egress layer can add the firewall's routes to
    # these tables without the table's own route list removing them again.
    public_routes = aws.ec2.RouteTable(f"{name}-public", vpc_id=vpc.id,
                                       tags={"Name": f"{environment}-public"}, opts=child)
    default_route = aws.ec2.Route(f"{name}-public-default", route_table_id=public_routes.id,
                                  destination_cidr_block=ANYWHERE, gateway_id=igw.id, opts=child)
    return _Vpc(vpc, igw, public_routes, default_route)


class _SubnetBlocks(NamedTuple):
    """Each tier's CIDR block per AZ, in AZ order; `firewall` is None without network.firewall."""

    public: list[str]
    private: list[str]
    firewall: Optional[list[str]]


def _subnet_blocks(cidr: str, az_count: int, az_slots: int, firewall: bool) -> _SubnetBlocks:
    # /20 blocks: the first azSlots for public subnets, the next azSlots for private ones; with the
    # firewall, the block after them holds one /28 firewall subnet per AZ (Network Firewall's minimum).
    # A subnet's block depends on its tier and AZ alone, so adding an AZ moves no subnet.
    blocks = list(ipaddress.ip_network(cidr).subnets(new_prefix=20))
    firewall_blocks = list(blocks[2 * az_slots].subnets(new_prefix=28)) if firewall else []
    zones = range(az_count)
    return _SubnetBlocks(public=[str(blocks[i]) for i in zones],
                         private=[str(blocks[az_slots + i]) for i in zones],
                         firewall=[str(firewall_blocks[i]) for i in zones] if firewall else None)


class _PublicTier(NamedTuple):
    subnets: list[aws.ec2.Subnet]
    nat_gateways: list[aws.ec2.NatGateway]
    exit_path: list[pulumi.Resource]  # each subnet's route table association


def _public_tier(name: str, environment: str, owner: pulumi.Resource, core: _Vpc, cidrs: Sequence[str],
                 zone_names: Sequence[str], nat_gateways: int) -> _PublicTier:
    """A public subnet per AZ on the public table, and a NAT gateway in each of the first `nat_gateways`."""
    child = pulumi.ResourceOptions(parent=owner)
    subnets, nats, associations = [], [], []
    for i, cidr in enumerate(cidrs):
        subnet = aws.ec2.Subnet(f"{name}-public-{i}", vpc_id=core.vpc.id, cidr_block=cidr,
                                availability_zone=zone_names[i], map_public_ip_on_launch=False,
                                tags={"Name": f"{environment}-public-{i}", "Tier": "public"}, opts=child)
        associations.append(aws.ec2.RouteTableAssociation(f"{name}-public-{i}", subnet_id=subnet.id,
                                                          route_table_id=core.public_route_table.id, opts=child))
        subnets.append(subnet)
        if i < nat_gateways:
            eip = aws.ec2.Eip(f"{name}-nat-{i}", domain="vpc", opts=child)
            nats.append(aws.ec2.NatGateway(f"{name}-nat-{i}", subnet_id=subnet.id, allocation_id=eip.id,
                                           opts=pulumi.ResourceOptions(parent=owner,
                                                                       depends_on=[core.internet_gateway])))
    return _PublicTier(subnets, nats, associations)


class _PrivateTier(NamedTuple):
    subnets: list[aws.ec2.Subnet]
    route_table_ids: list[pulumi.Output[str]]
    exits: list[PrivateExit]
    firewall_hops: list[FirewallHop]  # empty without network.firewall
    # Each subnet's table association; with the firewall, each firewall subnet's association and default route.
    exit_path: list[pulumi.Resource]


def _private_tier(name: str, environment: str, owner: pulumi.Resource, core: _Vpc, blocks: _SubnetBlocks,
                  zone_names: Sequence[str], nats: Sequence[aws.ec2.NatGateway]) -> _PrivateTier:
    """A private subnet and route table per AZ (the egress layer adds its default route, `exits`); with the
    firewall, the AZ's firewall subnet too."""
    child = pulumi.ResourceOptions(parent=owner)
    subnets, tables, exits, hops, exit_path = [], [], [], [], []
    for i, cidr in enumerate(blocks.private):
        # With fewer NAT gateways than AZs, AZs share them round-robin (dev saves cost; prod has one per AZ).
        nat = nats[i % len(nats)]
        subnet = aws.ec2.Subnet(f"{name}-private-{i}", vpc_id=core.vpc.id, cidr_block=cidr,
                                availability_zone=zone_names[i],
                                tags={"Name": f"{environment}-private-{i}", "Tier": "private"}, opts=child)
        routes = aws.ec2.RouteTable(f"{name}-private-{i}", vpc_id=core.vpc.id,
                                    tags={"Name": f"{environment}-private-{i}"}, opts=child)
        exit_path.append(aws.ec2.RouteTableAssociation(f"{name}-private-{i}", subnet_id=subnet.id,
                                                       route_table_id=routes.id, opts=child))
        subnets.append(subnet)
        tables.append(routes.id)
        hop = None
        if blocks.firewall is not None:
            hop, hop_path = _firewall_hop(name, environment, owner, core, i, cidr=blocks.firewall[i],
                                          zone_name=zone_names[i], nat=nat, private_cidr=subnet.cidr_block)
            exit_path += hop_path
            hops.append(hop)
        exits.append(PrivateExit(route_table_id=routes.id, nat_gateway_id=nat.id,
                                 previous=pulumi.Alias(name=f"{name}-private-{i}-default", parent=owner),
                                 firewall_hop=hop))
    return _PrivateTier(subnets, tables, exits, hops, exit_path)


def _firewall_hop(name: str, environment: str, owner: pulumi.Resource, core: _Vpc, i: int, *, cidr: str,
                  zone_name: str, nat: aws.ec2.NatGateway,
                  private_cidr: pulumi.Output[str]) -> tuple[FirewallHop, list[pulumi.Resource]]:
    """AZ `i`'s firewall subnet and its table, and the resources its traffic leaves through (association, route)."""
    child = pulumi.ResourceOptions(parent=owner)
    # The firewall subnet's own table leads to the NAT gateway; the egress layer sends the private
    # subnets here (and the NAT gateway's answers back) through the firewall endpoint in it.
    fw_subnet = aws.ec2.Subnet(f"{name}-firewall-{i}", vpc_id=core.vpc.id, cidr_block=cidr,
                               availability_zone=zone_name,
                               tags={"Name": f"{environment}-firewall-{i}", "Tier": "firewall"}, opts=child)
    fw_routes = aws.ec2.RouteTable(f"{name}-firewall-{i}", vpc_id=core.vpc.id,
                                   tags={"Name": f"{environment}-firewall-{i}"}, opts=child)
    association = aws.ec2.RouteTableAssociation(f"{name}-firewall-{i}", subnet_id=fw_subnet.id,
                                                route_table_id=fw_routes.id, opts=child)
    default_route = aws.ec2.Route(f"{name}-firewall-{i}-default", route_table_id=fw_routes.id,
                                  destination_cidr_block=ANYWHERE, nat_gateway_id=nat.id, opts=child)
    hop = FirewallHop(subnet_id=fw_subnet.id, private_cidr=private_cidr,
                      public_route_table_id=core.public_route_table.id)
    return hop, [association, default_route]
