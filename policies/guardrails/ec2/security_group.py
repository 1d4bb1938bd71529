"""Security groups: the call graph and the way out, on any program.

Every policy reads rules from inline blocks and standalone rule resources alike (`rules.py`) and reports on the
resource that declares the rule, naming the rule.
"""
from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Any, Iterator, Optional

from pulumi_policy import Severity, StackValidationArgs

from ..core.props import UNKNOWN, any_of, has_text, is_map, named_by, peek, peek_items
from ..core.registry import ADVISORY, config_list, config_value, stack_policy, string_list
from ..core.stack import in_another_region, of_type
from ..ecs import (CAPACITY_PROVIDER, EVENT_TARGET, EXPRESS_SERVICE, PIPE, SCHEDULE, SERVICE as ECS_SERVICE,
                   TASK_SET as ECS_TASK_SET)
from ..elasticbeanstalk import (BALANCER_GROUP_OPTIONS, ENVIRONMENT as BEANSTALK_ENVIRONMENT,
                                TEMPLATE as BEANSTALK_TEMPLATE, may_set_unknown, public_balancer, setting_positions)
from ..elb import CLASSIC_LOAD_BALANCER, LISTENERS, LOAD_BALANCERS
from ..elb.listener import Listened, listened_on
from ..lambda_ import FUNCTION as LAMBDA_FUNCTION
from ..msk import (CLUSTER as MSK_CLUSTER, CONNECTOR as MSK_CONNECTOR, REPLICATOR as MSK_REPLICATOR,
                   SERVERLESS_CLUSTER as MSK_SERVERLESS_CLUSTER, VPC_CONNECTION as MSK_VPC_CONNECTION)
from . import (CLIENT_VPN_ENDPOINT, DEFAULT_SECURITY_GROUP, DEFAULT_VPC, INSTANCE, LAUNCH_TEMPLATE, NETWORK_INTERFACE,
               NETWORK_INTERFACE_GROUP, RULE_HOLDERS, SECURITY_GROUP_ASSOCIATION, SECURITY_GROUPS,
               SPOT_FLEET_REQUEST, SPOT_INSTANCE_REQUEST, VPC_ENDPOINT, VPCS, endpoint_type, names_vpc)
from ..core.addresses import is_private
from .rules import (BY_ID, BY_NAME, COMMAS, Prefixed, Rule, Traffic, attached_keys, default_group_key, group_names,
                    is_internet_facing, rules)


def _named(group: Any, patterns: list[str]) -> bool:
    """Whether the policy config names the group (shell-style wildcards, case-insensitive)."""
    return named_by(group_names(group), patterns)


def _approved(rule: Rule, patterns: list[str]) -> bool:
    """Whether the policy config names the rule's group: a group in the stack by its names (a VPC's default group
    named by the VPC's `defaultSecurityGroupId` by its adopter's, as the adopter's own rules are), else by the id a
    standalone rule gives a group made outside the stack (another stack's, through a stack reference or written out);
    an id unknown until the update counts where a pattern matches some group id (it may be approved once known)."""
    group = rule.group if rule.group is not None else rule.adopter
    if group is not None:
        return _named(group, patterns)
    if rule.group_unknown:
        return _may_name_an_id(patterns)
    return has_text(rule.group_id) and named_by([rule.group_id], patterns)


def _groups_of(resources: list, kinds: tuple, prop_path: tuple) -> set[str]:
    """The groups (`attached_keys`, as a Rule's `group_key`) that resources of `kinds` attach."""
    return {key for resource in of_type(resources, *kinds) for key in attached_keys(resource, prop_path, resources)[0]}


# What else may put a group on its interfaces, what a message calls it, and where it lists them (EACH: every item of
# a list, as a launch template's interfaces; a Pick, some of its entries), by
# id or by name: a group one of these shares with an internet-facing load balancer takes the internet to that
# resource too. A rule's target, a schedule and a pipe start ECS tasks with groups of their own; a
# SecurityGroupAssociation adds one to a VPC endpoint's interfaces.
EACH = "*"


class Pick:
    """A path step standing for some entries of a list, by their `positions` among its items (`peek_items`)."""

    def positions(self, entries: list) -> list[int]:
        raise NotImplementedError


@dataclass(frozen=True)
class EachOfType(Pick):
    """Each entry of a list whose `type` is this one (a Lambda event source mapping's `VPC_SECURITY_GROUP` source
    access configurations); one whose type is unknown until the update is not read."""
    type: str

    def positions(self, entries: list) -> list[int]:
        return [at for at, entry in enumerate(entries) if is_map(entry) and peek(entry, "type") == self.type]


@dataclass(frozen=True)
class EachSetting(Pick):
    """A path step: each entry of an Elastic Beanstalk `settings` list that sets this option and whose value is known.
    The list's dependencies are every option's, the load balancer's own groups among them (`aws:elbv2:loadbalancer`
    `SecurityGroups`), so a value unknown until the update may be made from any of them: it names none here."""
    namespace: str
    name: str

    def positions(self, entries: list) -> list[int]:
        return [at for at in setting_positions(entries, self.namespace, self.name)
                if peek(entries[at], "value") is not UNKNOWN]


def _option_groups(namespace: str) -> tuple:
    """The path to the groups a namespace's Elastic Beanstalk `SecurityGroups` option lists, one text of ids between
    commas (command-options-general)."""
    return "settings", EachSetting(namespace, "SecurityGroups"), "value", COMMAS


# The groups an Elastic Beanstalk environment's instances get.
_BEANSTALK_INSTANCE_GROUPS = ((_option_groups("aws:autoscaling:launchconfiguration"), BY_ID),)
_OTHER_HOLDERS = (
    (ECS_SERVICE, "ECS service", ((("networkConfiguration", "securityGroups"), BY_ID),)),
    (ECS_TASK_SET, "ECS task set", ((("networkConfiguration", "securityGroups"), BY_ID),)),
    (EXPRESS_SERVICE, "ECS Express service", ((("networkConfigurations", EACH, "securityGroups"), BY_ID),)),
    # ECS Managed Instances: the instances ECS launches for the capacity provider.
    (CAPACITY_PROVIDER, "ECS capacity provider", ((("managedInstancesProvider", "instanceLaunchTemplate",
                                                    "networkConfiguration", "securityGroups"), BY_ID),)),
    (EVENT_TARGET, "EventBridge rule target", ((("ecsTarget", "networkConfiguration", "securityGroups"), BY_ID),)),
    (SCHEDULE, "schedule", ((("target", "ecsParameters", "networkConfiguration", "securityGroups"), BY_ID),)),
    # A pipe also reads a self-managed Kafka source through interfaces of its own in that VPC.
    (PIPE, "pipe", ((("targetParameters", "ecsTaskParameters", "networkConfiguration", "awsVpcConfiguration",
                      "securityGroups"), BY_ID),
                    (("sourceParameters", "selfManagedKafkaParameters", "vpc", "securityGroups"), BY_ID))),
    (INSTANCE, "instance", ((("vpcSecurityGroupIds",), BY_ID), (("securityGroups",), BY_NAME))),
    (SPOT_INSTANCE_REQUEST, "spot instance request", ((("vpcSecurityGroupIds",), BY_ID),
                                                      (("securityGroups",), BY_NAME))),
    (SPOT_FLEET_REQUEST, "spot fleet request", ((("launchSpecifications", EACH, "vpcSecurityGroupIds"), BY_ID),)),
    (LAUNCH_TEMPLATE, "launch template", ((("vpcSecurityGroupIds",), BY_ID), (("securityGroupNames",), BY_NAME),
                                          (("networkInterfaces", EACH, "securityGroups"), BY_ID))),
    (NETWORK_INTERFACE, "network interface", ((("securityGroups",), BY_ID),)),
    (NETWORK_INTERFACE_GROUP, "network interface attachment", ((("securityGroupId",), BY_ID),)),
    (LAMBDA_FUNCTION, "function", ((("vpcConfig", "securityGroupIds"), BY_ID),)),
    # The pollers Lambda runs in a self-managed Kafka cluster's VPC for an event source mapping.
    ("aws:lambda/eventSourceMapping:EventSourceMapping", "event source mapping",
     ((("sourceAccessConfigurations", EachOfType("VPC_SECURITY_GROUP"), "uri", Prefixed("security_group:")),
       BY_ID),)),
    (VPC_ENDPOINT, "VPC endpoint", ((("securityGroupIds",), BY_ID),)),
    (SECURITY_GROUP_ASSOCIATION, "VPC endpoint group association", ((("securityGroupId",), BY_ID),)),
    # Servers and data stores in the VPC, by the ids their APIs take; an Auto Scaling group's through its launch
    # configuration or template.
    ("aws:ec2/launchConfiguration:LaunchConfiguration", "launch configuration", ((("securityGroups",), BY_ID),)),
    ("aws:rds/instance:Instance", "database instance", ((("vpcSecurityGroupIds",), BY_ID),)),
    ("aws:rds/cluster:Cluster", "database cluster", ((("vpcSecurityGroupIds",), BY_ID),)),
    ("aws:rds/proxy:Proxy", "database proxy", ((("vpcSecurityGroupIds",), BY_ID),)),
    ("aws:docdb/cluster:Cluster", "document database cluster", ((("vpcSecurityGroupIds",), BY_ID),)),
    ("aws:neptune/cluster:Cluster", "graph database cluster", ((("vpcSecurityGroupIds",), BY_ID),)),
    ("aws:elasticache/cluster:Cluster", "cache cluster", ((("securityGroupIds",), BY_ID),)),
    ("aws:elasticache/replicationGroup:ReplicationGroup", "cache replication group",
     ((("securityGroupIds",), BY_ID),)),
    ("aws:elasticache/serverlessCache:ServerlessCache", "serverless cache", ((("securityGroupIds",), BY_ID),)),
    ("aws:memorydb/cluster:Cluster", "MemoryDB cluster", ((("securityGroupIds",), BY_ID),)),
    (MSK_CLUSTER, "Kafka cluster", ((("brokerNodeGroupInfo", "securityGroups"), BY_ID),)),
    # MSK's other interfaces: a serverless cluster's, the ones a multi-VPC connection puts in a client VPC, a
    # replicator's and an MSK Connect connector's workers'.
    (MSK_SERVERLESS_CLUSTER, "serverless Kafka cluster", ((("vpcConfigs", EACH, "securityGroupIds"), BY_ID),)),
    (MSK_VPC_CONNECTION, "Kafka VPC connection", ((("securityGroups",), BY_ID),)),
    (MSK_REPLICATOR, "Kafka replicator", ((("kafkaClusters", EACH, "vpcConfig", "securityGroupsIds"), BY_ID),)),
    (MSK_CONNECTOR, "Kafka Connect connector",
     ((("kafkaCluster", "apacheKafkaCluster", "vpc", "securityGroups"), BY_ID),)),
    ("aws:efs/mountTarget:MountTarget", "file system mount target", ((("securityGroups",), BY_ID),)),
    # Not a node group's `remoteAccess.sourceSecurityGroupIds`: the groups EKS lets reach its nodes' SSH port
    # (botocore eks RemoteAccessConfig.sourceSecurityGroups), not groups on them; its launch template's are.
    ("aws:eks/cluster:Cluster", "EKS cluster", ((("vpcConfig", "securityGroupIds"), BY_ID),)),
    ("aws:opensearch/domain:Domain", "search domain", ((("vpcOptions", "securityGroupIds"), BY_ID),)),
    ("aws:redshift/cluster:Cluster", "warehouse cluster", ((("vpcSecurityGroupIds",), BY_ID),)),
    ("aws:mq/broker:Broker", "message broker", ((("securityGroups",), BY_ID),)),
    # Compute that runs in the VPC: a Batch compute environment's instances or tasks, a CodeBuild project's builds
    # and Docker server, the instances Image Builder builds and tests an image on.
    ("aws:batch/computeEnvironment:ComputeEnvironment", "Batch compute environment",
     ((("computeResources", "securityGroupIds"), BY_ID),)),
    ("aws:codebuild/project:Project", "CodeBuild project", ((("vpcConfig", "securityGroupIds"), BY_ID),
                                                             (("environment", "dockerServer", "securityGroupIds"),
                                                              BY_ID))),
    ("aws:imagebuilder/infrastructureConfiguration:InfrastructureConfiguration",
     "Image Builder infrastructure configuration", ((("securityGroupIds",), BY_ID),)),
    # More services that put interfaces in the VPC, by the pulumi-aws 7 input each takes its group ids in; an EMR
    # cluster's additional master and core groups in one comma-separated text each (`COMMAS`).
    ("aws:rds/proxyEndpoint:ProxyEndpoint", "database proxy endpoint", ((("vpcSecurityGroupIds",), BY_ID),)),
    ("aws:docdb/elasticCluster:ElasticCluster", "document database elastic cluster",
     ((("vpcSecurityGroupIds",), BY_ID),)),
    ("aws:dax/cluster:Cluster", "DAX cluster", ((("securityGroupIds",), BY_ID),)),
    ("aws:elasticsearch/domain:Domain", "search domain", ((("vpcOptions", "securityGroupIds"), BY_ID),)),
    ("aws:opensearch/serverlessVpcEndpoint:ServerlessVpcEndpoint", "search collection VPC endpoint",
     ((("securityGroupIds",), BY_ID),)),
    ("aws:redshift/endpointAccess:EndpointAccess", "warehouse endpoint", ((("vpcSecurityGroupIds",), BY_ID),)),
    ("aws:redshiftserverless/workgroup:Workgroup", "serverless warehouse workgroup",
     ((("securityGroupIds",), BY_ID),)),
    ("aws:redshiftserverless/endpointAccess:EndpointAccess", "serverless warehouse endpoint",
     ((("vpcSecurityGroupIds",), BY_ID),)),
    ("aws:sagemaker/notebookInstance:NotebookInstance", "notebook instance", ((("securityGroups",), BY_ID),)),
    ("aws:sagemaker/domain:Domain", "SageMaker domain", ((("defaultUserSettings", "securityGroups"), BY_ID),
                                                         (("defaultSpaceSettings", "securityGroups"), BY_ID),
                                                         (("domainSettings", "securityGroupIds"), BY_ID))),
    ("aws:sagemaker/userProfile:UserProfile", "SageMaker user profile",
     ((("userSettings", "securityGroups"), BY_ID),)),
    ("aws:sagemaker/model:Model", "model", ((("vpcConfig", "securityGroupIds"), BY_ID),)),
    ("aws:sagemaker/dataQualityJobDefinition:DataQualityJobDefinition", "data quality job definition",
     ((("networkConfig", "vpcConfig", "securityGroupIds"), BY_ID),)),
    ("aws:emr/cluster:Cluster", "EMR cluster", (*((("ec2Attributes", group), BY_ID) for group in (
        "emrManagedMasterSecurityGroup", "emrManagedSlaveSecurityGroup", "serviceAccessSecurityGroup")),
        *((("ec2Attributes", groups, COMMAS), BY_ID) for groups in (
            "additionalMasterSecurityGroups", "additionalSlaveSecurityGroups")))),
    ("aws:emr/studio:Studio", "EMR Studio", ((("engineSecurityGroupId",), BY_ID),
                                             (("workspaceSecurityGroupId",), BY_ID))),
    ("aws:emrserverless/application:Application", "EMR Serverless application",
     ((("networkConfiguration", "securityGroupIds"), BY_ID),)),
    ("aws:glue/connection:Connection", "Glue connection",
     ((("physicalConnectionRequirements", "securityGroupIdLists"), BY_ID),)),
    ("aws:glue/devEndpoint:DevEndpoint", "Glue development endpoint", ((("securityGroupIds",), BY_ID),)),
    ("aws:mwaa/environment:Environment", "managed Airflow environment",
     ((("networkConfiguration", "securityGroupIds"), BY_ID),)),
    ("aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream", "delivery stream", tuple(
        ((destination, "vpcConfig", "securityGroupIds"), BY_ID) for destination in (
            "elasticsearchConfiguration", "opensearchConfiguration", "opensearchserverlessConfiguration"))),
    ("aws:dms/replicationInstance:ReplicationInstance", "replication instance", ((("vpcSecurityGroupIds",), BY_ID),)),
    ("aws:dms/replicationConfig:ReplicationConfig", "serverless replication",
     ((("computeConfig", "vpcSecurityGroupIds"), BY_ID),)),
    ("aws:dms/instanceProfile:InstanceProfile", "DMS instance profile", ((("vpcSecurityGroupIds",), BY_ID),)),
    # DataSync names groups by ARN (a group of the stack matches by its `arn`, one made elsewhere, or a VPC's default
    # group, by the id it ends in: `group_id_of`).
    ("aws:datasync/agent:Agent", "DataSync agent", ((("securityGroupArns",), BY_ID),)),
    ("aws:datasync/efsLocation:EfsLocation", "DataSync location", ((("ec2Config", "securityGroupArns"), BY_ID),)),
    *((kind, "DataSync location", ((("securityGroupArns",), BY_ID),)) for kind in (
        "aws:datasync/locationFsxLustre:LocationFsxLustre", "aws:datasync/locationFsxWindows:LocationFsxWindows",
        "aws:datasync/locationFsxOntapFileSystem:LocationFsxOntapFileSystem",
        "aws:datasync/fsxOpenZfsFileSystem:FsxOpenZfsFileSystem")),
    *((kind, "file system", ((("securityGroupIds",), BY_ID),)) for kind in (
        "aws:fsx/lustreFileSystem:LustreFileSystem", "aws:fsx/ontapFileSystem:OntapFileSystem",
        "aws:fsx/openZfsFileSystem:OpenZfsFileSystem", "aws:fsx/windowsFileSystem:WindowsFileSystem")),
    ("aws:fsx/fileCache:FileCache", "file cache", ((("securityGroupIds",), BY_ID),)),
    ("aws:transfer/server:Server", "Transfer server", ((("endpointDetails", "securityGroupIds"), BY_ID),)),
    ("aws:apprunner/vpcConnector:VpcConnector", "App Runner VPC connector", ((("securityGroups",), BY_ID),)),
    ("aws:workspaces/directory:Directory", "WorkSpaces directory",
     ((("workspaceCreationProperties", "customSecurityGroupId"), BY_ID),)),
    ("aws:apigatewayv2/vpcLink:VpcLink", "API Gateway VPC link", ((("securityGroupIds",), BY_ID),)),
    (CLIENT_VPN_ENDPOINT, "Client VPN endpoint", ((("securityGroupIds",), BY_ID),)),
    ("aws:ec2transitgateway/instanceConnectEndpoint:InstanceConnectEndpoint", "Instance Connect endpoint",
     ((("securityGroupIds",), BY_ID),)),
    ("aws:route53/resolverEndpoint:ResolverEndpoint", "resolver endpoint", ((("securityGroupIds",), BY_ID),)),
    # And more, each putting the groups of its pulumi-aws 7 input on interfaces (or instances) it makes in the VPC.
    *((kind, label, (((*block, ids), BY_ID),)) for kind, label, block, ids in (
        ("aws:lambda/capacityProvider:CapacityProvider", "Lambda capacity provider", ("vpcConfig",),
         "securityGroupIds"),
        ("aws:codebuild/fleet:Fleet", "CodeBuild fleet", ("vpcConfigs", EACH), "securityGroupIds"),
        ("aws:opensearch/vpcEndpoint:VpcEndpoint", "search domain VPC endpoint", ("vpcOptions",), "securityGroupIds"),
        ("aws:elasticsearch/vpcEndpoint:VpcEndpoint", "search domain VPC endpoint", ("vpcOptions",),
         "securityGroupIds"),
        ("aws:opensearchingest/pipeline:Pipeline", "ingestion pipeline", ("vpcOptions",), "securityGroupIds"),
        ("aws:synthetics/canary:Canary", "canary", ("vpcConfig",), "securityGroupIds"),
        ("aws:appstream/fleet:Fleet", "AppStream fleet", ("vpcConfig",), "securityGroupIds"),
        ("aws:appstream/imageBuilder:ImageBuilder", "AppStream image builder", ("vpcConfig",), "securityGroupIds"),
        ("aws:grafana/workspace:Workspace", "Grafana workspace", ("vpcConfiguration",), "securityGroupIds"),
        ("aws:transfer/webApp:WebApp", "Transfer web app", ("endpointDetails", "vpc"), "securityGroupIds"),
        ("aws:bedrock/customModel:CustomModel", "Bedrock custom model", ("vpcConfig",), "securityGroupIds"),
        ("aws:medialive/input:Input", "MediaLive input", ("vpc",), "securityGroupIds"),
        ("aws:medialive/channel:Channel", "MediaLive channel", ("vpc",), "securityGroupIds"),
        ("aws:sagemaker/workforce:Workforce", "SageMaker workforce", ("workforceVpcConfig",), "securityGroupIds"),
        ("aws:devicefarm/testGridProject:TestGridProject", "Device Farm test grid project", ("vpcConfig",),
         "securityGroupIds"),
        ("aws:finspace/kxCluster:KxCluster", "FinSpace kdb cluster", ("vpcConfiguration",), "securityGroupIds"),
        ("aws:kinesisanalyticsv2/application:Application", "Managed Flink application",
         ("applicationConfiguration", "vpcConfiguration"), "securityGroupIds"),
        ("aws:quicksight/vpcConnection:VpcConnection", "QuickSight VPC connection", (), "securityGroupIds"),
        ("aws:timestreaminfluxdb/dbInstance:DbInstance", "InfluxDB instance", (), "vpcSecurityGroupIds"),
        ("aws:timestreaminfluxdb/dbCluster:DbCluster", "InfluxDB cluster", (), "vpcSecurityGroupIds"),
        ("aws:neptunegraph/privateGraphEndpoint:PrivateGraphEndpoint", "graph private endpoint", (),
         "vpcSecurityGroupIds"),
        ("aws:m2/environment:Environment", "mainframe modernization environment", (), "securityGroupIds"),
        ("aws:verifiedaccess/endpoint:Endpoint", "Verified Access endpoint", (), "securityGroupIds"),
        ("aws:workspacesweb/networkSettings:NetworkSettings", "WorkSpaces Web network settings", (),
         "securityGroupIds"),
        ("aws:vpclattice/resourceGateway:ResourceGateway", "VPC Lattice resource gateway", (), "securityGroupIds"),
        ("aws:s3outposts/endpoint:Endpoint", "S3 on Outposts endpoint", (), "securityGroupId"))),
    ("aws:amp/scraper:Scraper", "Prometheus scraper", ((("source", "eks", "securityGroupIds"), BY_ID),
                                                       (("source", "vpc", "securityGroupIds"), BY_ID))),
    # An Elastic Beanstalk environment's instances, by its own settings or a saved configuration's, which the
    # environments launched from it take.
    (BEANSTALK_ENVIRONMENT, "Elastic Beanstalk environment", _BEANSTALK_INSTANCE_GROUPS),
    (BEANSTALK_TEMPLATE, "Elastic Beanstalk saved configuration", _BEANSTALK_INSTANCE_GROUPS))


def _each(props: Any, path: tuple) -> Iterator[tuple]:
    """`path` once per item of the list an EACH in it stands for (an unknown list counts as one unknown item), or
    per entry a Pick picks."""
    at = next((i for i, step in enumerate(path) if step == EACH or isinstance(step, Pick)), None)
    if at is None:
        yield path
        return
    items = peek_items(props, *path[:at])
    for i in (range(len(items)) if path[at] == EACH else path[at].positions(items)):
        yield from _each(props, (*path[:at], i, *path[at + 1:]))


def _sharers(resources: list) -> tuple[dict[str, str], set[str], list]:
    """The groups (`attached_keys`) something besides a load balancer puts on its interfaces, each with what shares
    it ("ECS service orders"); the VPCs' default groups one may put there once an unknown id is known
    (`listed_defaults`), by their keys; and the VPCs among those whose default group's key waits for the update too
    (an adopter whose `vpcId` is unknown: `default_group_key`)."""
    found: dict[str, str] = {}
    maybe: set[str] = set()
    waiting: dict[str, Any] = {}
    for kind, label, paths in _OTHER_HOLDERS:
        for holder in of_type(resources, kind):
            for path, keys in paths:
                for each in _each(holder.props, path):
                    attached, _, may_hold = attached_keys(holder, each, resources, keys)
                    for key in attached:
                        found.setdefault(key, f"{label} {holder.name}")
                    for vpc in may_hold:
                        key = default_group_key(vpc, resources)
                        if key is None:
                            waiting[vpc.urn] = vpc
                        else:
                            maybe.add(key)
    return found, maybe, list(waiting.values())


def _may_adopt(rule: Rule, vpcs: list) -> bool:
    """Whether the rule's group is a DefaultSecurityGroup whose `vpcId` may name one of the VPCs (`names_vpc`): the
    default group of such a VPC, whose adopter waits for the update, may be it; no other group of the stack is."""
    group = rule.group
    return group is not None and group.resource_type == DEFAULT_SECURITY_GROUP and any(
        names_vpc(group, vpc) is not False for vpc in vpcs)


# The ICMP a load balancer should take from anywhere for Path MTU Discovery (ELB's security group guidance): IPv4
# Destination Unreachable, Fragmentation Needed (type 3, code 4), and ICMPv6 Packet Too Big (type 2, code 0); a
# rule's fromPort is the type and its toPort the code (-1: every code).
_PATH_MTU_DISCOVERY = {"icmp": (3, 4), "icmpv6": (2, 0)}


def _joined(one: Listened, other: Listened) -> Listened:
    return None if one is None or other is None else one | other


@dataclass
class BeanstalkBalancers:
    """The groups Elastic Beanstalk environments put on their internet-facing load balancers (`attached_keys`), and
    those an unknown may put there: a group whose environment's load balancer may be internet-facing once the update
    tells, or that may be in a value unknown until then (a stack group or VPC default group `settings` is made from;
    `elsewhere`: a group made outside the stack, which that value may name)."""
    public: set[str]
    maybe: set[str]
    elsewhere: bool


def _beanstalk_balancers(resources: list) -> BeanstalkBalancers:
    """`BeanstalkBalancers` of the stack's environments and saved configurations (whose settings the environments
    launched from them take), by their `aws:elb:loadbalancer` or `aws:elbv2:loadbalancer` `SecurityGroups` option
    (`public_balancer`)."""
    found = BeanstalkBalancers(set(), set(), False)
    for holder in of_type(resources, BEANSTALK_ENVIRONMENT, BEANSTALK_TEMPLATE):
        for namespace in BALANCER_GROUP_OPTIONS.values():
            public = public_balancer(holder, namespace)
            if public is False:
                continue
            into = found.public if public else found.maybe
            for each in _each(holder.props, _option_groups(namespace)):
                into.update(attached_keys(holder, each, resources)[0])
            if may_set_unknown(holder.props, namespace, "SecurityGroups"):
                made_from = holder.property_dependencies.get("settings", [])
                found.maybe.update(g.urn for g in of_type(made_from, *SECURITY_GROUPS))
                found.maybe.update(k for k in (default_group_key(v, resources) for v in of_type(made_from, *VPCS))
                                   if k is not None)
                found.elsewhere = True
    return found


def _load_balancer_exemptions(resources: list, beanstalk: BeanstalkBalancers) -> tuple[dict[str, Listened], Listened]:
    """The groups (`attached_keys`: a group made outside the stack by its id) of internet-facing load balancers, each
    with what they listen on (None: any; an Elastic Beanstalk environment's load balancer listens on what its
    options and its source bundle's `.ebextensions` say); and where an unknown might put another group on one, what
    those load balancers listen on (an empty set: no unknown)."""
    listeners = of_type(resources, *LISTENERS)
    exempt: dict[str, Listened] = {}
    maybe: Listened = set()
    for balancer in of_type(resources, *LOAD_BALANCERS, CLASSIC_LOAD_BALANCER):
        if not is_internet_facing(balancer):
            continue
        found, unsure, _ = attached_keys(balancer, ("securityGroups",), resources)
        listened = listened_on(balancer, listeners)
        maybe = _joined(maybe, listened) if unsure else maybe
        for key in found:
            exempt[key] = _joined(exempt.get(key, set()), listened)
    exempt.update(dict.fromkeys(beanstalk.public))
    return exempt, maybe


def _on_listener_ports(rule: Traffic, listened: Listened) -> bool:
    """Whether every port the rule opens is one the load balancer listens on, for that IP protocol, or the rule is
    the ICMP of Path MTU Discovery; a rule whose protocol or ports are unknown may still be such a rule."""
    if listened is None or rule.protocol == "?" or UNKNOWN in (rule.from_port, rule.to_port):
        return True
    kind, code = _PATH_MTU_DISCOVERY.get(rule.protocol, (None, None))
    if kind is not None and rule.from_port == kind and rule.to_port in (code, -1):
        return True
    low, high = rule.from_port, rule.to_port
    return (rule.protocol in ("tcp", "udp") and all(isinstance(p, (int, float)) for p in (low, high))
            and all((rule.protocol, port) in listened for port in range(int(low), int(high) + 1)))


# A security group id as EC2 makes it: `sg-` and 8 or 17 hex digits, one set of characters per position.
_HEX = frozenset("0123456789abcdef")
_IDS = tuple((frozenset("s"), frozenset("g"), frozenset("-"), *[_HEX] * digits) for digits in (8, 17))


def _may_name_an_id(patterns: list[str]) -> bool:
    """Whether a config pattern (as `named_by` reads it: shell-style, without case) matches some security group id,
    which is how a group made outside the stack is approved; `*-lb` and `*payment*` match none."""
    return any(_matches_an_id(_pattern_tokens(p.lower())) for p in patterns)


def _pattern_tokens(pattern: str) -> list[str]:
    """A shell-style pattern as fnmatch reads it: `*`, and one token per character it matches (`?`, a `[...]` class,
    a character; a `[` that no `]` closes is itself)."""
    tokens, at = [], 0
    while at < len(pattern):
        end = at + 1
        if pattern[at] == "[":
            start = at + 1 + (pattern[at + 1:at + 2] == "!")
            close = pattern.find("]", start + (pattern[start:start + 1] == "]"))
            end = close + 1 if close != -1 else at + 1
        token = pattern[at:end]
        tokens.append("[[]" if token == "[" else token)
        at = end
    return tokens


def _matches_an_id(tokens: list[str]) -> bool:
    """Whether the tokens match some id of `_IDS`, walking both a character position at a time."""
    def after_stars(states: set[int]) -> set[int]:
        while (more := {s + 1 for s in states if s < len(tokens) and tokens[s] == "*"} - states):
            states |= more
        return states

    for positions in _IDS:
        states = after_stars({0})
        for allowed in positions:
            states = after_stars({s if tokens[s] == "*" else s + 1 for s in states if s < len(tokens)
                                  and (tokens[s] == "*" or any(fnmatchcase(c, tokens[s]) for c in allowed))})
        if len(tokens) in states:
            return True
    return False


@stack_policy(
    "ec2-securitygroup-no-public-ingress", RULE_HOLDERS,
    description="Security groups must not admit 0.0.0.0/0 or ::/0, except on internet-facing load balancers.",
    severity=Severity.HIGH,
    anchors=("Security Hub EC2.18", "Security Hub EC2.19", "CKV_AWS_260", "CKV_AWS_277", "cdk-nag EC23",
             "Security Hub Redshift.15", "Config redshift-unrestricted-port-access"),
    anchor_note="Redshift.15 asks a Redshift cluster's groups about its port alone; a cluster is a workload here, so "
                "no group of one may admit the internet on any port",
    config={"publicGroups": string_list("Security groups (name, Name tag or id; shell-style wildcards) that may "
                                        "admit the internet, besides those of internet-facing load balancers.")},
)
def no_public_ingress(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """no ingress rule (inline on a group or default group, `SecurityGroupIngressRule` or `SecurityGroupRule`, or
    aws-native's `SecurityGroupIngress`) admits `0.0.0.0/0` or `::/0` (or blocks that add up to every public
    address, in the rule or with its group's other rules on its ports), unless its group (one the stack makes, or
    one made elsewhere that the rule and the load balancer name by the same id) is on an internet-facing load
    balancer, on the protocols and ports it listens on (all, when its listeners are not in the stack, as an Elastic
    Beanstalk environment's: the groups its or its saved configuration's `aws:elb:loadbalancer` or
    `aws:elbv2:loadbalancer` `SecurityGroups` list, by `LoadBalancerType`, where it is a load balanced web server
    environment whose `aws:ec2:vpc` `ELBScheme` is not internal) or the ICMP of Path MTU Discovery (type 3 code 4;
    ICMPv6 type 2), and on no ECS service, task set or Express service, ECS Managed Instances capacity provider,
    ECS task an EventBridge rule's target, schedule or pipe starts (or a pipe's self-managed Kafka source), instance
    or spot instance request (by id or name), spot fleet request, launch template or configuration, network
    interface (or its group attachment), function (or the pollers an event source
    mapping runs for a self-managed Kafka source), VPC endpoint (or its `SecurityGroupAssociation`), RDS instance,
    cluster or proxy, DocumentDB or Neptune cluster, ElastiCache cluster, replication group or serverless cache,
    MemoryDB cluster, MSK cluster (provisioned or serverless), multi-VPC connection or replicator, MSK Connect
    connector, EFS mount target, EKS cluster, OpenSearch domain, Redshift cluster, MQ broker, Batch compute
    environment, CodeBuild project (its builds and Docker server), Image Builder infrastructure configuration, or
    other service that puts interfaces in the VPC (Redshift Serverless workgroup, SageMaker notebook, domain, user
    profile or model, EMR cluster (its managed, additional and service access groups) or Studio, DMS replication
    instance, FSx file system, DataSync agent or location, Transfer server, Glue connection, App Runner VPC
    connector, MWAA environment, Firehose stream to a search domain in a VPC, resolver endpoint, Elastic Beanstalk
    environment or saved configuration (its instances' `aws:autoscaling:launchconfiguration` `SecurityGroups`) and
    the like) besides (in this stack: a group made elsewhere may be on another stack's resources too); knob
    `publicGroups`. A VPC's default group is one group whether named by the VPC's `defaultSecurityGroupId` or by the
    `DefaultSecurityGroup` adopting it, which names it in messages. A rule whose group id is unknown until the
    update is not judged where it may be exempt: on the listener ports of a load balancer on a group made elsewhere,
    or where a pattern of the knob matches some group id; nor a rule on a load balancer's VPC default group that an
    unknown id in a block also made from the VPC (CodeBuild's `vpcConfig`) may put on a workload too (where that
    VPC's adopter waits for the update too, a rule on a `DefaultSecurityGroup` whose `vpcId` may name the VPC), nor
    one naming by a written id a group that may be an adopted default group whose id only the update reads (the
    default VPC's, another stack's VPC's), nor one whose group an unknown may put on an Elastic Beanstalk
    environment's internet-facing load balancer (its settings unknown until the update or decided by its saved
    configuration: the stack groups, VPCs' default groups and groups made elsewhere that an unknown value of that
    option may name) or that one puts on a shared load balancer, whose own scheme is not read"""
    beanstalk = _beanstalk_balancers(args.resources)
    public_lbs, lb_maybe = _load_balancer_exemptions(args.resources, beanstalk)
    shared, maybe_shared, waiting = _sharers(args.resources)
    allowed = config_list(args, "publicGroups")
    # The stack's groups, a VPC's default one by the VPC (`default_group_key`).
    stack_groups = {g.urn for g in of_type(args.resources, *SECURITY_GROUPS, *VPCS)}
    # A load balancer's group made outside the stack, or one an unknown hides, may be a group a rule names by an id
    # unknown until the update: what those load balancers listen on (an empty set: there are none).
    elsewhere: Listened = lb_maybe
    for key, listened in public_lbs.items():
        # A group shared with a workload is reported whichever it is: it exempts nothing.
        elsewhere = _joined(elsewhere, listened) if key not in stack_groups and key not in shared else elsewhere
    for rule in rules(args.resources):
        exposed = rule.exposure
        if rule.direction != "ingress" or exposed is None:
            continue
        # Can't tell which group until the update, nor whether a load balancer's listener ports would exempt it.
        if rule.group is None and (rule.group_maybe or (rule.group_unknown and elsewhere != set()
                                                        and _on_listener_ports(exposed, elsewhere))):
            continue
        key = rule.group_key
        # An unknown may put the group on an Elastic Beanstalk environment's internet-facing load balancer, which
        # would exempt it or decide the message.
        if key in beanstalk.maybe or (beanstalk.elsewhere and rule.group is None and rule.vpc_default is None):
            continue
        # An unknown may put the rule's group on a load balancer: not judged where that would exempt it.
        if (key is not None and lb_maybe != set() and _on_listener_ports(exposed, lb_maybe)) \
                or _approved(rule, allowed):
            continue
        balancer_group = key is not None and key in public_lbs
        if balancer_group and key not in shared and (key in maybe_shared or _may_adopt(rule, waiting)):
            continue  # an unknown may put the group on a workload too, which decides the message
        if balancer_group and key in shared:
            why = (f"its internet-facing load balancer shares the group with {shared[key]}, which takes "
                   "the internet too; give the load balancer a group of its own")
        elif balancer_group and not _on_listener_ports(exposed, public_lbs[key]):
            why = ("its internet-facing load balancer listens on no such port; admit the internet only on the "
                   "listeners' ports")
        elif balancer_group:
            continue
        else:
            why = ("only an internet-facing load balancer may, and workloads take traffic from their callers' security "
                   "groups")
        yield f"{rule.describe()} of {rule.group_label} admits {rule.admits()}; {why}", rule.holder.urn


def _has_interface_endpoints(resources: list) -> Optional[bool]:
    """Whether the stack declares an interface VPC endpoint (None: an endpoint's type is unknown until the update)."""
    return any_of(None if kind is UNKNOWN else kind == "Interface"
                  for kind in (endpoint_type(e) for e in of_type(resources, VPC_ENDPOINT)))


def _in_groups_vpc(rule: Rule, endpoint: Any, vpcs: list) -> Optional[bool]:
    """Whether a VPC endpoint is in the VPC of the rule's group (a group of the stack's, or a VPC's own default
    group): True, False or None (can't tell until the update). A group without `vpcId` is in its region's default
    VPC, which a new VPC never is."""
    if rule.vpc_default is not None:
        return names_vpc(endpoint, rule.vpc_default)
    group = rule.group
    if in_another_region(group, endpoint):
        return False
    mine, theirs = peek(group.props, "vpcId"), peek(endpoint.props, "vpcId")
    if isinstance(mine, str) and isinstance(theirs, str):
        return mine == theirs
    for vpc in vpcs:
        here = names_vpc(group, vpc) if mine is not None else vpc.resource_type == DEFAULT_VPC
        there = names_vpc(endpoint, vpc)
        if here and there:
            return True
        if {here, there} == {True, False}:  # one is in this VPC and the other is not
            return False
    return None


def _endpoints_beside(rule: Rule, resources: list) -> Optional[bool]:
    """Whether an interface VPC endpoint serves the VPC of the rule's group, whose tasks then reach AWS APIs
    through it. A group outside the stack (by a literal id): whether the stack has one at all, as its VPC is not
    known."""
    if rule.group is None and rule.vpc_default is None:
        return _has_interface_endpoints(resources)
    vpcs = of_type(resources, *VPCS)

    def beside(endpoint: Any) -> Optional[bool]:
        kind = endpoint_type(endpoint)
        if kind is not UNKNOWN and kind != "Interface":
            return False
        same = _in_groups_vpc(rule, endpoint, vpcs)
        return same if kind == "Interface" or same is False else None

    return any_of(beside(e) for e in of_type(resources, VPC_ENDPOINT))


# Only tcp 443 may leave for the internet. Which groups may send it depends on how their VPC reaches AWS APIs: with
# no interface VPC endpoint there, its workloads reach ECR, CloudWatch Logs or Secrets Manager only through NAT and
# the internet on 443, so any group may (another team's Fargate program without endpoints is not in breach, nor one
# whose endpoints serve another VPC); where the group's VPC has interface endpoints, 443 to the internet is for the
# groups knob httpsEgressGroups names. Knob requireApprovalWithoutEndpoints holds every group to the list (every
# shipped stack config sets it).
@stack_policy(
    "ec2-securitygroup-egress-restricted", RULE_HOLDERS,
    description="Security groups may send to 0.0.0.0/0 or ::/0 only on tcp 443; in a VPC with interface VPC "
                "endpoints, only the groups the policy config names (httpsEgressGroups) may.",
    severity=Severity.HIGH,
    anchors=("CKV_AWS_382",), anchor_note="CKV_AWS_382 flags all ports only",
    config={
        "httpsEgressGroups": string_list(
            "Security groups (name, Name tag or id; shell-style wildcards) that may reach the internet on 443: the "
            "services that declare external hosts, or that reach AWS APIs without VPC endpoints."),
        "requireApprovalWithoutEndpoints": {
            "type": "boolean", "default": False,
            "description": "Hold 443 to the internet to httpsEgressGroups also in a VPC without interface VPC "
                           "endpoints (by default any group may there: its tasks reach AWS APIs through NAT)."},
    },
)
def egress_restricted(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """no egress rule sends to `0.0.0.0/0` or `::/0` (or blocks that add up to every public address, in the rule or
    with its group's other rules on its ports: a VPC's default group's whether named by the VPC's
    `defaultSecurityGroupId` or by its `DefaultSecurityGroup`) on any port but
    tcp 443; 443 only from groups in knob
    `httpsEgressGroups` where the group's VPC has an interface VPC endpoint (a group outside the stack: where the
    stack has one; or knob `requireApprovalWithoutEndpoints`): without one, its tasks reach AWS APIs through NAT; a
    443 rule whose group id is unknown until the update is not judged where a pattern of the knob matches some group
    id, nor a rule whose group's name waits for the update (a VPC's default group an adopter of unknown `vpcId` may
    hold, or a written id that may name an adopted default group whose id only the update reads)"""
    approved = config_list(args, "httpsEgressGroups")
    every_group = bool(config_value(args, "requireApprovalWithoutEndpoints"))
    for rule in rules(args.resources):
        exposed = rule.exposure
        if rule.direction != "egress" or exposed is None:
            continue
        who = rule.group_label
        if who is None:
            continue  # the group's name waits for the update
        if not exposed.only_port(443):
            if exposed.may_be_only_port(443):
                continue  # its unknown protocol or port may still make it tcp 443
            yield (f"{rule.describe()} of {who} sends {exposed.ports} to {rule.admits()}; only tcp 443 may "
                   "leave for the internet"), rule.holder.urn
            continue
        if (rule.group is None and rule.group_maybe) or _approved(rule, approved):
            continue
        if every_group or _endpoints_beside(rule, args.resources):  # None (can't tell) is no finding
            yield (f"{rule.describe()} of {who} sends 443 to {rule.admits()} from a group not in "
                   "httpsEgressGroups: list the group there if it must reach the internet (external hosts, or AWS "
                   "APIs without VPC endpoints), else reach AWS APIs through its VPC's endpoints"), \
                rule.holder.urn


@stack_policy(
    "ec2-securitygroup-ingress-from-groups", RULE_HOLDERS,
    description="Workload security groups should admit other workloads by security group reference, not by CIDR.",
    severity=Severity.LOW, level=ADVISORY,
    anchor_note="the AWS ECS guidance; no rule id",
    config={"exemptGroups": string_list("Security groups (name, Name tag or id; shell-style wildcards) that may "
                                        "admit private CIDRs, e.g. behind a load balancer without security groups.")},
)
def ingress_from_groups(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """an ingress rule of a group an ECS service or task set uses (a VPC's default group whether named by the VPC's
    `defaultSecurityGroupId` or by its `DefaultSecurityGroup`) names no private CIDR (RFC 1918, CGNAT, ULA) as its
    source (knob `exemptGroups`)"""
    workloads = _groups_of(args.resources, (ECS_SERVICE, ECS_TASK_SET), ("networkConfiguration", "securityGroups"))
    exempt = config_list(args, "exemptGroups")
    for rule in rules(args.resources):
        if rule.direction != "ingress" or rule.group_key not in workloads:
            continue
        private = [c for c in rule.cidrs if is_private(c)]
        if private and rule.group_label is not None and not _approved(rule, exempt):
            yield (f"{rule.describe()} of {rule.group_label} admits {', '.join(private)} by CIDR; reference the "
                   "callers' security groups (referencedSecurityGroupId) so only they get in"), rule.holder.urn
