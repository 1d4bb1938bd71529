"""Egress: how every task reaches AWS APIs and the internet, whichever data plane runs it.

    task ENI (+ the "AWS API clients" group) ─443─▶ endpoints group ─ interface endpoints, private DNS
                                              ─443─▶ S3 prefix list ─ S3 gateway endpoint (ECR layers only)
    a service that declares externals ───────443─▶ 0.0.0.0/0 ─ private table ─▶ [Network Firewall] ─▶ NAT
    every DNS query ─▶ Route 53 Resolver DNS Firewall: the allow-list answers, everything else NXDOMAIN

One list drives both allow-lists: the declared externals' hosts. The DNS Firewall also allows the AWS
API names the tasks use and the service namespace; the Network Firewall (prod) holds exactly the
externals, because AWS API traffic never reaches it (endpoints) and the namespace stays in the VPC.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Mapping, NamedTuple, Optional, Sequence

import pulumi
import pulumi_aws as aws

from . import naming
from .config import MAX_FIREWALL_EXTERNALS, PlatformConfig, fail_in
from .logkey import log_group
from .network import ANYWHERE, HTTPS, AccountZones, FirewallHop, PrivateExit, subnets_at
from .observability import WatchedEndpoint, WatchedFirewall


# Interface endpoints every Fargate task needs (awslogs, image pulls, injected secrets), by endpoint
# service suffix (com.amazonaws.<region>.<suffix>). The data plane and ECS Exec add their own.
BASE_AWS_APIS = ("ecr.api", "ecr.dkr", "logs", "secretsmanager", "monitoring", "xray", "kms")
ECS_EXEC_API = "ssmmessages"
# Where a service's secrets are Parameter Store parameters, the task fetches them from SSM itself.
PARAMETER_STORE_API = "ssm"
# Where the endpoints admit other accounts' principals (network.endpointAccounts), a task becomes one by
# AssumeRole, at the regional STS endpoint (DNS Firewall answers no other AWS name).
STS_API = "sts"

# Endpoint services whose endpoint policy may be narrowed (describe-vpc-endpoint-services says
# VpcEndpointPolicySupported; AWS refuses anything but full access on the others): these get
# account_endpoint_policy (ssm's: AWS's data-perimeter examples include one; sts's, sts_endpoint_policy),
# the rest (ssmmessages, App Mesh's) keep AWS's full-access default.
ACCOUNT_SCOPED_ENDPOINTS = frozenset({"ecr.api", "ecr.dkr", "logs", "secretsmanager", "monitoring", "kms", "xray",
                                      "dynamodb", "ssm", "sts"})

# DNS Firewall rule priorities inside the group (the group's on the VPC is config's: dns_firewall_priority).
_ALLOW_PRIORITY, _BLOCK_PRIORITY = 100, 200
# Network Firewall rule-group capacity is fixed at creation: a rule per host and target type, for the
# declared externals and the AWS hosts reached through NAT (public_aws_hosts, at most one), plus a drop rule
# per target type. 100: a new value would replace the group.
FIREWALL_TARGET_TYPES = ("TLS_SNI", "HTTP_HOST")
FIREWALL_RULE_CAPACITY = len(FIREWALL_TARGET_TYPES) * (MAX_FIREWALL_EXTERNALS + 1 + 1)


def aws_apis(config: PlatformConfig, *, data_plane_apis: Sequence[str]) -> tuple[str, ...]:
    """The interface endpoints a stack's tasks need: every task's, its data plane's, ECS Exec's, SSM's where a
    service's secrets are parameters, and STS's where tasks assume roles in the accounts it admits."""
    exec_apis = (ECS_EXEC_API,) if config.enable_execute_command else ()
    reads_parameters = any(PARAMETER_STORE_API in service.secret_apis for service in config.services)
    parameter_apis = (PARAMETER_STORE_API,) if reads_parameters else ()
    sts_apis = (STS_API,) if config.network.endpoint_accounts else ()
    return tuple(sorted({*BASE_AWS_APIS, *data_plane_apis, *exec_apis, *parameter_apis, *sts_apis}))


def offered_zones(config: PlatformConfig, apis: Sequence[str], zones: Optional[AccountZones],
                  parent: pulumi.Resource) -> Optional[dict[str, list[str]]]:
    """The zones each interface endpoint service (`apis`) is offered in, as EC2 answers for the stack's region, asked
    for (and checked against the private subnets' zones) before any resource is declared. CreateVpcEndpoint refuses a
    subnet in any other zone ("does not support the availability zone of the subnet"), and services reach constrained
    zones, such as use1-az3, late: a service offered in none of the subnets' zones stops the program here, not after
    the VPC and its neighbours are declared for `pulumi up` to create. None where no endpoint picks zones: a brought
    VPC's subnets (its owner placed them: every endpoint takes all), or no endpoints (network.endpoints off)."""
    if zones is None or config.network.create is None or not config.network.endpoints:
        return None
    offered = {}
    for service in sorted(set(apis)):
        found = aws.ec2.get_vpc_endpoint_service(
            service_name=naming.endpoint_service_name(config.region, service), service_type="Interface",
            opts=pulumi.InvokeOptions(parent=parent))
        offered[service] = list(found.availability_zones or [])
        if not any(zone in offered[service] for zone in zones.names):  # the private subnets'
            raise fail_in(config.stack_file)(
                "network.create.azCount", f"the {service} endpoint service is offered in none of the private "
                f"subnets' Availability Zones ({', '.join(zones.names)}), only in {', '.join(offered[service])}")
    return offered


def gateway_apis(config: PlatformConfig) -> tuple[str, ...]:
    """Gateway endpoints (free, reached by prefix list): S3 for ECR's layers, and DynamoDB where the WebSocket
    API's command service reads the connection table."""
    return ("s3",) + (("dynamodb",) if config.websocket_api is not None else ())


def public_aws_hosts(config: PlatformConfig) -> tuple[str, ...]:
    """AWS hosts a task must reach through NAT: the WebSocket API's @connections endpoint. An execute-api
    interface endpoint with private DNS would capture every regional API's name, and the API's id is known
    only after creation, so the allow-lists name the region's execute-api domain."""
    if config.websocket_api is None:
        return ()
    return (f"*.execute-api.{config.region}.amazonaws.com",)


def api_host_names(service: str, region: str) -> tuple[str, ...]:
    """The DNS names a task resolves for one endpoint service (what its private DNS answers)."""
    if service == "ecr.api":
        return (f"api.ecr.{region}.amazonaws.com",)
    if service == "ecr.dkr":
        return (f"*.dkr.ecr.{region}.amazonaws.com",)  # <account>.dkr.ecr.<region>.amazonaws.com
    if service == "dynamodb":
        # Current AWS SDKs call DynamoDB's account-based endpoint, <account>.ddb.<region>.amazonaws.com, when
        # they know the account (account_id_endpoint_mode "preferred" by default; botocore's endpoint rules).
        return (f"{service}.{region}.amazonaws.com", f"*.ddb.{region}.amazonaws.com")
    return (f"{service}.{region}.amazonaws.com",)


def ecr_layer_hosts(region: str) -> tuple[str, ...]:
    """ECR hands out pre-signed layer URLs on the regional bucket, in both S3 host styles."""
    bucket = naming.ecr_layer_bucket(region)
    return (f"{bucket}.s3.{region}.amazonaws.com", f"{bucket}.s3.amazonaws.com")


def dns_allow_list(*, external_hosts: Sequence[str], aws_apis: Sequence[str], region: str,
                   internal_domains: Sequence[str]) -> list[str]:
    """Every name a task may resolve: the externals, the AWS APIs it calls, ECR layers, the namespace; fully
    qualified (see `fully_qualified`)."""
    names = list(external_hosts)
    for service in aws_apis:
        names += api_host_names(service, region)
    names += ecr_layer_hosts(region)
    for domain in internal_domains:
        names += [domain, f"*.{domain}"]
    return sorted({fully_qualified(name) for name in names})


def fully_qualified(domain: str) -> str:
    """A DNS Firewall domain as AWS stores it, with the trailing dot: given without it, the list reads back
    with one, and the provider (no diff suppression) would update the list on every `up`
    (terraform-provider-aws #23543)."""
    return f"{domain.rstrip('.')}."


def s3_endpoint_policy(region: str) -> str:
    """The S3 gateway endpoint serves only ECR's layer bucket for this region (what image pulls need)."""
    return json.dumps({"Version": "2012-10-17", "Statement": [{
        "Sid": "EcrImageLayers", "Effect": "Allow", "Principal": "*", "Action": ["s3:GetObject"],
        "Resource": [f"arn:aws:s3:::{naming.ecr_layer_bucket(region)}/*"]}]})


# The STS actions whose resource is the role (or, AssumeRoot, the member account) assumed: its account is the
# statement's aws:ResourceAccount.
ROLE_SESSION_ACTIONS = ("sts:AssumeRole", "sts:AssumeRoot", "sts:SetSourceIdentity", "sts:TagSession")
# Calls that carry no principal (a web identity's or SAML assertion's): AWS's STS endpoint policy admits them by
# the role's account alone.
FEDERATED_ACTIONS = ("sts:AssumeRoleWithSAML", "sts:AssumeRoleWithWebIdentity")


def _allow(sid: str, condition: dict, principal: Any = None, **actions) -> dict:
    """An endpoint policy's Allow on every resource: to any AWS principal unless `principal` says otherwise, for
    every action unless `actions` gives Action or NotAction."""
    return {"Sid": sid, "Effect": "Allow", "Principal": principal or {"AWS": "*"}, **(actions or {"Action": "*"}),
            "Resource": "*", "Condition": condition}


def _endpoint_policy(*statements: dict) -> str:
    """A policy of `statements`, then AWS services acting as themselves (AWS's data-perimeter endpoint policies)."""
    return json.dumps({"Version": "2012-10-17", "Statement": [
        *statements, _allow("AwsServicePrincipals", {"Bool": {"aws:PrincipalIsAWSService": "true"}})]})


def _listed(accounts: Sequence[str]) -> Any:
    return accounts[0] if len(accounts) == 1 else list(accounts)


def account_endpoint_policy(accounts: Sequence[str]) -> str:
    """Only these accounts' principals (the stack's own first), and AWS services acting as themselves, may use the
    endpoint (AWS's data-perimeter endpoint policy): a task holding another account's keys cannot write to that
    account's logs, secrets or tables through it, a path around the firewalls that only sees AWS's hostnames."""
    return _endpoint_policy(_allow("ThisAccountsPrincipals",
                                   {"StringEquals": {"aws:PrincipalAccount": _listed(accounts)}}))


def sts_endpoint_policy(accounts: Sequence[str]) -> str:
    """account_endpoint_policy for STS, where a role is also assumed only in these accounts (aws:ResourceAccount, the
    role's), so a task cannot carry its session's name, source identity or tags into an outside account's trail;
    a web identity's or SAML call, which has no AWS principal, is admitted by the role's account alone."""
    listed = _listed(accounts)
    return _endpoint_policy(
        _allow("ThisAccountsPrincipalsAssumeTheirRoles",
               {"StringEquals": {"aws:PrincipalAccount": listed, "aws:ResourceAccount": listed}},
               Action=list(ROLE_SESSION_ACTIONS)),
        _allow("ThisAccountsPrincipalsOtherCalls", {"StringEquals": {"aws:PrincipalAccount": listed}},
               NotAction=[*ROLE_SESSION_ACTIONS, *FEDERATED_ACTIONS]),
        # Everyone ("*", as AWS's default endpoint policy): a federated caller is no AWS principal.
        _allow("FederatedIntoTheseAccounts", {"StringEquals": {"aws:ResourceAccount": listed}}, "*",
               Action=list(FEDERATED_ACTIONS)))


# The pull-through cache's repositories expire an untagged image (a digest a refresh of its tag left behind) no task
# has pulled for this long. Never a tagged one, however quiet its service: a task that needs an expired image can only
# have it pulled through again from outside the VPC, as on the first `up` (README), which a task replaced in an
# incident cannot wait for. Not by push age or count either: ECS starts a service's tasks from the digests it
# resolved at deployment (its container image resolution), which may be old, or untagged since a refresh.
CACHE_UNPULLED_DAYS = 90


def cache_lifecycle_policy() -> str:
    """The lifecycle policy of each repository the pull-through cache creates (ECR's lifecycle policy properties:
    one rule, untagged images, `sinceImagePulled` counted in days)."""
    return json.dumps({"rules": [{
        "rulePriority": 1, "description": f"expire untagged images no task pulled in {CACHE_UNPULLED_DAYS} days",
        "selection": {"tagStatus": "untagged", "countType": "sinceImagePulled", "countUnit": "days",
                      "countNumber": CACHE_UNPULLED_DAYS},
        "action": {"type": "expire"}}]})


@dataclass(frozen=True)
class ImageMirror:
    """Where tasks pull ECR Public images from: the account's ECR, through the pull-through cache rule."""

    registry: pulumi.Output[str]  # <account>.dkr.ecr.<region>.amazonaws.com
    prefix: str
    repositories_arn: pulumi.Output[str]  # arn:aws:ecr:<region>:<account>:repository/<prefix>/*


@dataclass(frozen=True)
class EgressArgs:
    environment: str
    region: str
    stack_file: str
    vpc_id: pulumi.Output[str]
    private_subnet_ids: pulumi.Output[list]
    # Their AZ names, in the same order; None in a brought VPC (every endpoint then takes every subnet).
    private_subnet_zones: Optional[pulumi.Output[list]]
    private_route_table_ids: Sequence[pulumi.Input[str]]
    # Interface endpoint service suffixes the tasks call (BASE_AWS_APIS plus the data plane's and ECS Exec's).
    aws_apis: Sequence[str]
    # The zones each of them is offered in (`offered_zones`, asked before any resource); None where the endpoints
    # take every private subnet (a brought VPC) or there are none.
    offered_zones: Optional[Mapping[str, Sequence[str]]]
    # The declared externals' hosts: the only names and destinations outside AWS a task may reach.
    external_hosts: Sequence[str]
    # Gateway endpoint services (gateway_apis) and AWS hosts reached through NAT (public_aws_hosts).
    gateway_apis: Sequence[str]
    public_aws_hosts: Sequence[str]
    # Private DNS domains the tasks resolve (the service namespace).
    internal_domains: Sequence[str]
    endpoints: bool
    # Accounts besides the stack's whose principals may use the endpoints (network.endpointAccounts).
    endpoint_accounts: Sequence[str]
    # One per AZ when the Network Firewall is on; empty otherwise.
    firewall_hops: Sequence[FirewallHop]
    # The private tables whose default route this layer owns, one per AZ (empty in a brought VPC).
    private_exits: Sequence[PrivateExit]
    log_retention_days: int
    protect: bool
    # The environment's log key (components/logkey.py): its log groups are encrypted with it.
    log_key_arn: pulumi.Input[str]
    # The DNS Firewall rule group's priority on the VPC (unique per VPC; a brought VPC's owner may hold 101).
    dns_firewall_priority: int


class Egress(pulumi.ComponentResource):
    """Outputs for the compute layers: `api_clients_security_group_id` (every task joins it), `image_mirror`."""

    api_clients_security_group_id: pulumi.Output[str]
    image_mirror: ImageMirror
    firewall_endpoint_ids: Optional[pulumi.Output[dict]]
    # What the observability layer alarms on.
    watched_endpoints: tuple[WatchedEndpoint, ...]
    dns_rule_group_id: pulumi.Output[str]
    dns_blocked_list_id: pulumi.Output[str]
    watched_firewall: Optional[WatchedFirewall]

    def __init__(self, name: str, args: EgressArgs, opts: Optional[pulumi.ResourceOptions] = None):
        super().__init__("service-mesh-platform:egress:Egress", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        env = args.environment

        # Every task joins this group; per-service groups then need no rule for AWS APIs.
        self.api_clients = aws.ec2.SecurityGroup(
            f"{name}-api-clients", vpc_id=args.vpc_id,
            description=f"{env} AWS API clients: every ECS task, HTTPS to the VPC endpoints only",
            tags={"Name": f"{env}-aws-api-clients"}, opts=child)
        self.api_clients_security_group_id = self.api_clients.id
        self.watched_endpoints = ()
        account = aws.get_caller_identity_output(opts=pulumi.InvokeOutputOptions(parent=self)).account_id
        if args.endpoints:
            self.watched_endpoints = _endpoints(name, self, args, account, self.api_clients)
        else:
            # No endpoints: AWS APIs are public addresses behind the NAT gateways.
            aws.vpc.SecurityGroupEgressRule(
                f"{name}-api-clients-out-anywhere", security_group_id=self.api_clients.id, ip_protocol="tcp",
                from_port=HTTPS, to_port=HTTPS, cidr_ipv4=ANYWHERE,
                description="AWS APIs over HTTPS through NAT (network.endpoints is off)", opts=child)

        self.image_mirror = self._image_mirror(name, args, account)
        self.dns_rule_group_id, self.dns_blocked_list_id = _dns_firewall(name, self, args)
        firewall = self._network_firewall(name, args) if args.firewall_hops else None
        self.firewall_endpoint_ids = firewall.endpoint_ids if firewall is not None else None
        self.watched_firewall = firewall.watched if firewall is not None else None
        self._private_exits(name, args, self.firewall_endpoint_ids)
        self.register_outputs({
            "apiClientsSecurityGroupId": self.api_clients_security_group_id,
            "firewallEndpointIds": self.firewall_endpoint_ids,
        })

    # ----------------------------------------------------------------------------------------------
    # The image mirror (ECR pull-through cache)
    # ----------------------------------------------------------------------------------------------

    def _image_mirror(self, name: str, args: EgressArgs, account: pulumi.Output[str]) -> ImageMirror:
        """Sidecar images live on ECR Public, which no VPC endpoint serves: pull them through a cache rule. ECR
        creates a repository per image on its first pull, with the settings of the creation template of the rule's
        prefix (ECR's defaults without one: no lifecycle policy, so every image cached is kept and billed)."""
        prefix = naming.ecr_public_cache_prefix(args.environment)
        template = aws.ecr.RepositoryCreationTemplate(
            f"{name}-ecr-public", prefix=prefix, applied_fors=["PULL_THROUGH_CACHE"],
            description=f"{args.environment} ECR Public pull-through cache: untagged images no task pulled in "
                        f"{CACHE_UNPULLED_DAYS} days expire",
            # ECR's default, said explicitly: KMS (or resource_tags) would need a custom_role_arn, a role ECR
            # assumes to create the repositories (ECR's "Creating a repository creation template").
            encryption_configurations=[{"encryption_type": "AES256"}],
            # ECR refreshes a cached tag from upstream at most once a day, and its pull-through cache guide warns
            # that with immutable tags it "may not be able to update the cached images". ECS pins each
            # deployment's images by digest anyway (its container image resolution).
            image_tag_mutability="MUTABLE",
            lifecycle_policy=cache_lifecycle_policy(), opts=pulumi.ResourceOptions(parent=self))
        # After the template: no pull through the rule may create a repository with ECR's defaults.
        aws.ecr.PullThroughCacheRule(f"{name}-ecr-public", ecr_repository_prefix=prefix,
                                     upstream_registry_url=naming.ECR_PUBLIC,
                                     opts=pulumi.ResourceOptions(parent=self, depends_on=[template]))
        return ImageMirror(
            registry=account.apply(lambda a: naming.ecr_registry(a, args.region)),
            prefix=prefix,
            repositories_arn=account.apply(lambda a: naming.ecr_public_mirror_arn(args.region, a, prefix)))

    # ----------------------------------------------------------------------------------------------
    # Network Firewall (where config turns it on)
    # ----------------------------------------------------------------------------------------------

    def _network_firewall(self, name: str, args: EgressArgs) -> _NetworkFirewall:
        env = args.environment
        hosts = _allowed_hosts_rule_group(name, self, env, args.external_hosts, args.public_aws_hosts)
        policy = _firewall_policy(name, self, env, hosts)
        firewall_name = naming.egress_firewall_name(env)
        firewall = aws.networkfirewall.Firewall(
            f"{name}-firewall", name=firewall_name, vpc_id=args.vpc_id, firewall_policy_arn=policy.arn,
            subnet_mappings=[aws.networkfirewall.FirewallSubnetMappingArgs(subnet_id=h.subnet_id)
                             for h in args.firewall_hops],
            # With protect, AWS refuses DeleteFirewall, and AssociateSubnets/DisassociateSubnets: adding or dropping
            # an AZ then takes an update with protect off first, as removing the firewall does (README).
            delete_protection=args.protect, subnet_change_protection=args.protect,
            # Its name is fixed and a new VPC replaces it: delete first. AWS's delete protection refuses that
            # delete, so where it is on, Pulumi's protection refuses the replacement before any call.
            opts=pulumi.ResourceOptions(parent=self, protect=args.protect, delete_before_replace=True))
        _firewall_logs(name, self, env, firewall.arn, retention_days=args.log_retention_days,
                       key_arn=args.log_key_arn, protect=args.protect)

        endpoints = firewall.firewall_statuses.apply(_endpoints_by_subnet)
        zones = firewall.firewall_statuses.apply(_zones_by_subnet)
        watched = WatchedFirewall(name=firewall_name, zones=[
            pulumi.Output.all(zones, hop.subnet_id).apply(lambda v: v[0][v[1]]) for hop in args.firewall_hops])
        _return_routes(name, self, args.firewall_hops, endpoints)
        return _NetworkFirewall(endpoint_ids=endpoints, watched=watched)

    def _private_exits(self, name: str, args: EgressArgs, firewall_endpoints: Optional[pulumi.Output[dict]]) -> None:
        """Each AZ's private default route: to its NAT gateway, or with the firewall, to its firewall endpoint
        (then the firewall subnet's table leads to the NAT gateway). One resource either way, so switching
        the firewall changes its target in place (EC2 ReplaceRoute)."""
        for i, private_exit in enumerate(args.private_exits):
            hop = private_exit.firewall_hop
            through = None if hop is None or firewall_endpoints is None else _endpoint_in(firewall_endpoints, hop)
            aws.ec2.Route(
                f"{name}-private-{i}-out", route_table_id=private_exit.route_table_id, destination_cidr_block=ANYWHERE,
                nat_gateway_id=private_exit.nat_gateway_id if through is None else None, vpc_endpoint_id=through,
                # Earlier versions made it in Network without the firewall, and here as firewall-<i>-out with it.
                opts=pulumi.ResourceOptions(parent=self, aliases=[
                    private_exit.previous, pulumi.Alias(name=f"{name}-firewall-{i}-out")]))


# ----------------------------------------------------------------------------------------------
# VPC endpoints
# ----------------------------------------------------------------------------------------------


def _endpoints(name: str, parent: pulumi.Resource, args: EgressArgs, account: pulumi.Output[str],
               api_clients: aws.ec2.SecurityGroup) -> tuple[WatchedEndpoint, ...]:
    """The interface endpoints (private DNS, behind their own group, HTTPS from `api_clients` only) and the
    gateway endpoints; what the observability layer watches of the interface ones."""
    child = pulumi.ResourceOptions(parent=parent)
    accounts = account.apply(lambda own: [own, *args.endpoint_accounts])
    scoped_policy, sts_policy = accounts.apply(account_endpoint_policy), accounts.apply(sts_endpoint_policy)

    def policy_for(service: str) -> Optional[pulumi.Input[str]]:
        """S3 serves only ECR's layer bucket; the services that take a policy, this account's principals (a
        table is the role's to scope, and its ARN comes later)."""
        if service == "s3":
            return s3_endpoint_policy(args.region)
        if service == STS_API:
            return sts_policy
        return scoped_policy if service in ACCOUNT_SCOPED_ENDPOINTS else None

    group = aws.ec2.SecurityGroup(
        f"{name}-endpoints", vpc_id=args.vpc_id,
        description=f"{args.environment} interface VPC endpoints: HTTPS from AWS API clients only",
        tags={"Name": f"{args.environment}-vpc-endpoints"}, opts=child)
    aws.vpc.SecurityGroupIngressRule(
        f"{name}-endpoints-in-clients", security_group_id=group.id, ip_protocol="tcp", from_port=HTTPS,
        to_port=HTTPS, referenced_security_group_id=api_clients.id,
        description="AWS API clients (every ECS task)", opts=child)
    interface = {
        service: aws.ec2.VpcEndpoint(
            f"{name}-{service.replace('.', '-')}", vpc_id=args.vpc_id,
            service_name=naming.endpoint_service_name(args.region, service), vpc_endpoint_type="Interface",
            private_dns_enabled=True, subnet_ids=_offered_subnets(service, args),
            security_group_ids=[group.id],
            policy=policy_for(service),
            tags={"Name": f"{args.environment}-{service}"}, opts=child)
        for service in sorted(set(args.aws_apis))
    }
    watched = tuple(
        WatchedEndpoint(service=service, service_name=naming.endpoint_service_name(args.region, service),
                        endpoint_id=endpoint.id)
        for service, endpoint in interface.items())
    aws.vpc.SecurityGroupEgressRule(
        f"{name}-api-clients-out-endpoints", security_group_id=api_clients.id, ip_protocol="tcp",
        from_port=HTTPS, to_port=HTTPS, referenced_security_group_id=group.id,
        description="AWS APIs through the interface endpoints", opts=child)
    for service in args.gateway_apis:
        gateway = aws.ec2.VpcEndpoint(
            f"{name}-{service}", vpc_id=args.vpc_id, service_name=naming.endpoint_service_name(args.region, service),
            vpc_endpoint_type="Gateway", route_table_ids=list(args.private_route_table_ids),
            policy=policy_for(service),
            tags={"Name": f"{args.environment}-{service}"}, opts=child)
        aws.vpc.SecurityGroupEgressRule(
            f"{name}-api-clients-out-{service}", security_group_id=api_clients.id, ip_protocol="tcp",
            from_port=HTTPS, to_port=HTTPS, prefix_list_id=gateway.prefix_list_id,
            description=f"{service} through its gateway endpoint", opts=child)
    return watched


def _offered_subnets(service: str, args: EgressArgs) -> pulumi.Input[list]:
    """The private subnets in zones the endpoint service is offered in (`offered_zones` asked, and made sure there is
    one). Tasks in a zone without one reach the endpoint in another through its private DNS name."""
    if args.private_subnet_zones is None or args.offered_zones is None:
        return args.private_subnet_ids  # a brought VPC: its owner placed the subnets
    offered = frozenset(args.offered_zones[service])
    return subnets_at(args.private_subnet_ids, args.private_subnet_zones,
                      lambda zones: [i for i, zone in enumerate(zones) if zone in offered])


# ----------------------------------------------------------------------------------------------
# DNS Firewall (every environment)
# ----------------------------------------------------------------------------------------------


def _dns_firewall(name: str, parent: pulumi.Resource,
                  args: EgressArgs) -> tuple[pulumi.Output[str], pulumi.Output[str]]:
    """The DNS Firewall: the declared names allowed, every other blocked, every query logged; the rule group's and
    the blocked list's ids."""
    child = pulumi.ResourceOptions(parent=parent)
    env = args.environment
    allowed = aws.route53.ResolverFirewallDomainList(
        f"{name}-dns-allowed", name=f"{env}-egress-allowed",
        domains=dns_allow_list(external_hosts=[*args.external_hosts, *args.public_aws_hosts],
                               aws_apis=[*args.aws_apis, *(g for g in args.gateway_apis if g != "s3")],
                               region=args.region, internal_domains=args.internal_domains), opts=child)
    everything = aws.route53.ResolverFirewallDomainList(
        f"{name}-dns-everything", name=f"{env}-egress-everything", domains=[fully_qualified("*")],
        opts=child)
    group = aws.route53.ResolverFirewallRuleGroup(f"{name}-dns", name=f"{env}-egress", opts=child)
    allow = aws.route53.ResolverFirewallRule(
        f"{name}-dns-allow", name="allow-declared", firewall_rule_group_id=group.id,
        firewall_domain_list_id=allowed.id, action="ALLOW", priority=_ALLOW_PRIORITY,
        # An allowed host that is a CNAME (most SaaS APIs are) resolves through names of its provider's
        # choosing; inspecting those would hit the block rule.
        firewall_domain_redirection_action="TRUST_REDIRECTION_DOMAIN", opts=child)
    block = aws.route53.ResolverFirewallRule(
        f"{name}-dns-block", name="block-everything-else", firewall_rule_group_id=group.id,
        firewall_domain_list_id=everything.id, action="BLOCK", block_response="NXDOMAIN",
        priority=_BLOCK_PRIORITY, opts=child)
    aws.route53.ResolverFirewallRuleGroupAssociation(
        f"{name}-dns", name=f"{env}-egress", firewall_rule_group_id=group.id, vpc_id=args.vpc_id,
        priority=args.dns_firewall_priority, mutation_protection="ENABLED" if args.protect else "DISABLED",
        # The rules first: an association of an empty group would briefly allow everything. A replacement
        # (a new group or VPC) cannot be created first: a VPC's priorities are unique. With mutation
        # protection AWS refuses the delete too, so a protected stack refuses the replacement up front.
        opts=pulumi.ResourceOptions(parent=parent, depends_on=[allow, block], protect=args.protect,
                                    delete_before_replace=True))
    # If the firewall cannot answer, fail closed: no resolution rather than unfiltered resolution.
    aws.route53.ResolverFirewallConfig(f"{name}-dns", resource_id=args.vpc_id, firewall_fail_open="DISABLED",
                                       opts=child)

    queries = log_group(f"{name}-dns-queries", parent, log_name=f"/{env}/vpc/dns-queries",
                        retention_days=args.log_retention_days, key_arn=args.log_key_arn, protect=args.protect)
    log_config = aws.route53.ResolverQueryLogConfig(f"{name}-dns-queries", name=f"{env}-dns-queries",
                                                    destination_arn=queries.arn, opts=child)
    aws.route53.ResolverQueryLogConfigAssociation(f"{name}-dns-queries", resolver_query_log_config_id=log_config.id,
                                                  resource_id=args.vpc_id, opts=child)
    return group.id, everything.id


# ----------------------------------------------------------------------------------------------
# Network Firewall (where config turns it on)
# ----------------------------------------------------------------------------------------------


class _NetworkFirewall(NamedTuple):
    endpoint_ids: pulumi.Output[dict]  # the firewall's endpoint in each of its subnets, by subnet id
    watched: WatchedFirewall


def _allowed_hosts_rule_group(name: str, owner: pulumi.Resource, env: str, external_hosts: Sequence[str],
                              public_aws_hosts: Sequence[str]) -> Optional[aws.networkfirewall.RuleGroup]:
    """The allow-list: the declared externals and the AWS hosts reached through NAT (None when there are none)."""
    # Network Firewall writes "any subdomain of" with a leading dot, where DNS Firewall uses "*.".
    targets = sorted({*external_hosts, *(h.replace("*.", ".", 1) for h in public_aws_hosts)})
    if not targets:
        return None
    return aws.networkfirewall.RuleGroup(
        f"{name}-externals", name=f"{env}-egress-externals", type="STATEFUL",
        capacity=FIREWALL_RULE_CAPACITY,
        description="Declared external hosts (config externals), by TLS SNI and HTTP Host",
        rule_group=aws.networkfirewall.RuleGroupRuleGroupArgs(
            rules_source=aws.networkfirewall.RuleGroupRuleGroupRulesSourceArgs(
                rules_source_list=aws.networkfirewall.RuleGroupRuleGroupRulesSourceRulesSourceListArgs(
                    generated_rules_type="ALLOWLIST", target_types=list(FIREWALL_TARGET_TYPES),
                    targets=targets)),
            stateful_rule_options=aws.networkfirewall.RuleGroupRuleGroupStatefulRuleOptionsArgs(
                rule_order="STRICT_ORDER")),
        opts=pulumi.ResourceOptions(parent=owner))


def _firewall_policy(name: str, owner: pulumi.Resource, env: str,
                     hosts: Optional[aws.networkfirewall.RuleGroup]) -> aws.networkfirewall.FirewallPolicy:
    """`hosts` in strict order, and everything else dropped."""
    references = [] if hosts is None else [
        aws.networkfirewall.FirewallPolicyFirewallPolicyStatefulRuleGroupReferenceArgs(
            resource_arn=hosts.arn, priority=100)]
    return aws.networkfirewall.FirewallPolicy(
        f"{name}-firewall", name=f"{env}-egress",
        firewall_policy=aws.networkfirewall.FirewallPolicyFirewallPolicyArgs(
            # Everything goes to the stateful engine, which evaluates the allow-list in strict order.
            stateless_default_actions=["aws:forward_to_sfe"],
            stateless_fragment_default_actions=["aws:forward_to_sfe"],
            # A broken flow fails closed. DROP is AWS's default, said because the provider reads AWS's value
            # back into an optional field that is not computed: left out, it could differ on every preview.
            stateful_engine_options=aws.networkfirewall.FirewallPolicyFirewallPolicyStatefulEngineOptionsArgs(
                rule_order="STRICT_ORDER", stream_exception_policy="DROP"),
            # drop_established, not drop_strict: the TCP handshake must pass for the SNI to be seen.
            stateful_default_actions=["aws:drop_established", "aws:alert_established"],
            stateful_rule_group_references=references),
        opts=pulumi.ResourceOptions(parent=owner))


def _firewall_logs(name: str, owner: pulumi.Resource, env: str, firewall_arn: pulumi.Output[str], *,
                   retention_days: int, key_arn: pulumi.Input[str],
                   protect: bool) -> aws.networkfirewall.LoggingConfiguration:
    """The firewall's alert and flow logs, each into its own log group."""
    groups = {kind: log_group(f"{name}-firewall-{kind}", owner, log_name=f"/{env}/network-firewall/{kind}",
                              retention_days=retention_days, key_arn=key_arn, protect=protect)
              for kind in ("alert", "flow")}
    return aws.networkfirewall.LoggingConfiguration(
        f"{name}-firewall", firewall_arn=firewall_arn,
        logging_configuration=aws.networkfirewall.LoggingConfigurationLoggingConfigurationArgs(
            log_destination_configs=[
                aws.networkfirewall.LoggingConfigurationLoggingConfigurationLogDestinationConfigArgs(
                    log_destination={"logGroup": group.name}, log_destination_type="CloudWatchLogs",
                    log_type=kind.upper())
                for kind, group in groups.items()]),
        opts=pulumi.ResourceOptions(parent=owner))


def _return_routes(name: str, owner: pulumi.Resource, hops: Sequence[FirewallHop],
                   endpoints: pulumi.Output[dict]) -> list[aws.ec2.Route]:
    """In a created VPC, the public table's route back to each AZ's private block through its endpoint."""
    routes = []
    for i, hop in enumerate(hops):
        if hop.public_route_table_id is not None and hop.private_cidr is not None:
            # Back: the NAT gateway's answers to this AZ pass the same endpoint as its requests (symmetric).
            routes.append(aws.ec2.Route(
                f"{name}-firewall-{i}-return", route_table_id=hop.public_route_table_id,
                destination_cidr_block=hop.private_cidr, vpc_endpoint_id=_endpoint_in(endpoints, hop),
                opts=pulumi.ResourceOptions(parent=owner)))
    return routes


def _endpoint_in(endpoints: pulumi.Output[dict], hop: FirewallHop) -> pulumi.Output[str]:
    return pulumi.Output.all(endpoints, hop.subnet_id).apply(lambda v: v[0][v[1]])


def _endpoints_by_subnet(statuses) -> dict:
    """The firewall's endpoint id in each of its subnets (one endpoint per subnet mapping, so per AZ)."""
    return {attachment.subnet_id: attachment.endpoint_id
            for status in statuses or [] for sync in status.sync_states or [] for attachment in sync.attachments or []}


def _zones_by_subnet(statuses) -> dict:
    """The AZ of each of the firewall's subnets, as the firewall reports it (also right in a brought VPC)."""
    return {attachment.subnet_id: sync.availability_zone
            for status in statuses or [] for sync in status.sync_states or [] for attachment in sync.attachments or []}
