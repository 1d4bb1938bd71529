"""Required tags on taggable resources.

The effective tags are read the way AWS will see them: the resource's own `tags` merged over the provider's
`defaultTags.tags` (a JSON string in provider inputs), which is what the provider sends on create and update
(terraform-provider-aws tags_interceptor.go: `DefaultTagsConfig.MergeTags(tags)`, system tags removed, and not the
provider's `ignoreTags`), together with `tagsAll` (pulumi-aws 7 fills it in at the provider's check for its
SDKv2-based resources, merging the default tags, but leaves out the keys `ignoreTags` names: read alone, it would
report a tag the program sends). An Auto Scaling group's tags are a list of blocks, and default tags never reach it
(`LISTED_TAGS`). A few types' `tags` select other resources instead of tagging this one (`SELECTOR_TAGS`).
"""
from __future__ import annotations

from typing import Any, Iterable, Iterator, Mapping

from pulumi_policy import ResourceValidationArgs, Severity

from .core.props import UNKNOWN, as_list, cannot_judge, dig, is_map, is_present, json_object, peek
from .core.registry import config_list, resource_policy, string_list

# No keys of its own: the pack guards any program, and which tags an organisation requires is its own scheme (this
# project's stack configs name Project, Environment, Owner and CostCenter). With none configured the policy has
# nothing to require.
DEFAULT_REQUIRED_TAGS: tuple[str, ...] = ()

# Taggable types of the families this pack covers (each one has `tags` in pulumi-aws 7.51.1, and every type a
# policy judges that has is listed; tests check both against the SDK). Any other AWS resource that sets `tags` or
# `tagsAll` is checked too.
TAGGABLE_TYPES = frozenset({
    "aws:acm/certificate:Certificate",
    "aws:acmpca/certificateAuthority:CertificateAuthority",
    "aws:alb/listener:Listener",  # pulumi-aws's aws:alb/* aliases of the aws:lb/* types below
    "aws:alb/listenerRule:ListenerRule",
    "aws:alb/loadBalancer:LoadBalancer",
    "aws:alb/targetGroup:TargetGroup",
    "aws:apigateway/apiKey:ApiKey",
    "aws:apigateway/clientCertificate:ClientCertificate",
    "aws:apigateway/domainName:DomainName",
    "aws:apigateway/restApi:RestApi",
    "aws:apigateway/stage:Stage",
    "aws:apigateway/usagePlan:UsagePlan",
    "aws:apigateway/vpcLink:VpcLink",
    "aws:apigatewayv2/api:Api",
    "aws:apigatewayv2/domainName:DomainName",
    "aws:apigatewayv2/stage:Stage",
    "aws:apigatewayv2/vpcLink:VpcLink",
    "aws:appmesh/gatewayRoute:GatewayRoute",
    "aws:appmesh/mesh:Mesh",
    "aws:appmesh/route:Route",
    "aws:appmesh/virtualGateway:VirtualGateway",
    "aws:appmesh/virtualNode:VirtualNode",
    "aws:appmesh/virtualRouter:VirtualRouter",
    "aws:appmesh/virtualService:VirtualService",
    "aws:apprunner/service:Service",
    "aws:appsync/api:Api",
    "aws:appsync/channelNamespace:ChannelNamespace",
    "aws:appsync/graphQLApi:GraphQLApi",
    "aws:athena/dataCatalog:DataCatalog",
    "aws:athena/workgroup:Workgroup",
    "aws:autoscaling/group:Group",
    "aws:batch/jobDefinition:JobDefinition",
    "aws:cloudfront/distribution:Distribution",
    "aws:cloudfront/distributionTenant:DistributionTenant",
    "aws:cloudfront/multitenantDistribution:MultitenantDistribution",
    "aws:cloudtrail/eventDataStore:EventDataStore",
    "aws:cloudtrail/trail:Trail",
    "aws:cloudwatch/compositeAlarm:CompositeAlarm",
    "aws:cloudwatch/eventBus:EventBus",
    "aws:cloudwatch/eventRule:EventRule",
    "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination",
    "aws:cloudwatch/logDeliverySource:LogDeliverySource",
    "aws:cloudwatch/logDestination:LogDestination",
    "aws:cloudwatch/logGroup:LogGroup",
    "aws:cloudwatch/metricAlarm:MetricAlarm",
    "aws:cloudwatch/metricStream:MetricStream",
    "aws:codebuild/project:Project",
    "aws:cognito/identityPool:IdentityPool",
    "aws:cognito/userPool:UserPool",
    "aws:dax/cluster:Cluster",
    "aws:datasync/task:Task",
    "aws:dms/endpoint:Endpoint",
    "aws:dms/replicationInstance:ReplicationInstance",
    "aws:dms/replicationTask:ReplicationTask",
    "aws:docdb/cluster:Cluster",
    "aws:dynamodb/table:Table",
    "aws:dynamodb/tableReplica:TableReplica",
    "aws:ebs/volume:Volume",
    "aws:ec2/defaultNetworkAcl:DefaultNetworkAcl",
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
    "aws:ec2/defaultSubnet:DefaultSubnet",
    "aws:ec2/defaultVpc:DefaultVpc",
    "aws:ec2/eip:Eip",
    "aws:ec2/instance:Instance",
    "aws:ec2/internetGateway:InternetGateway",
    "aws:ec2/launchTemplate:LaunchTemplate",
    "aws:ec2/natGateway:NatGateway",
    "aws:ec2/networkAcl:NetworkAcl",
    "aws:ec2/routeTable:RouteTable",
    "aws:ec2/securityGroup:SecurityGroup",
    "aws:ec2/spotFleetRequest:SpotFleetRequest",
    "aws:ec2/spotInstanceRequest:SpotInstanceRequest",
    "aws:ec2/subnet:Subnet",
    "aws:ec2/vpc:Vpc",
    "aws:ec2/vpcEndpoint:VpcEndpoint",
    "aws:ec2/vpnConnection:VpnConnection",
    "aws:ec2clientvpn/endpoint:Endpoint",
    "aws:ec2transitgateway/transitGateway:TransitGateway",
    "aws:ecr/repository:Repository",
    "aws:ecs/capacityProvider:CapacityProvider",
    "aws:ecs/cluster:Cluster",
    "aws:ecs/daemon:Daemon",
    "aws:ecs/daemonTaskDefinition:DaemonTaskDefinition",
    "aws:ecs/expressGatewayService:ExpressGatewayService",
    "aws:ecs/service:Service",
    "aws:ecs/taskDefinition:TaskDefinition",
    "aws:ecs/taskSet:TaskSet",
    "aws:efs/accessPoint:AccessPoint",
    "aws:efs/fileSystem:FileSystem",
    "aws:eks/cluster:Cluster",
    "aws:eks/identityProviderConfig:IdentityProviderConfig",
    "aws:eks/nodeGroup:NodeGroup",
    "aws:elasticache/cluster:Cluster",
    "aws:elasticache/replicationGroup:ReplicationGroup",
    "aws:elasticache/serverlessCache:ServerlessCache",
    "aws:elasticache/user:User",
    "aws:elasticache/userGroup:UserGroup",
    "aws:elasticbeanstalk/environment:Environment",
    "aws:elasticsearch/domain:Domain",
    "aws:elb/loadBalancer:LoadBalancer",
    "aws:emr/cluster:Cluster",
    "aws:fsx/ontapFileSystem:OntapFileSystem",
    "aws:fsx/openZfsFileSystem:OpenZfsFileSystem",
    "aws:fsx/windowsFileSystem:WindowsFileSystem",
    "aws:glue/job:Job",
    "aws:guardduty/detector:Detector",
    "aws:iam/policy:Policy",
    "aws:iam/role:Role",
    "aws:imagebuilder/distributionConfiguration:DistributionConfiguration",
    "aws:iot/policy:Policy",
    "aws:iot/topicRule:TopicRule",
    "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream",
    "aws:kinesis/stream:Stream",
    "aws:kinesis/streamConsumer:StreamConsumer",
    "aws:kms/externalKey:ExternalKey",
    "aws:kms/key:Key",
    "aws:kms/replicaExternalKey:ReplicaExternalKey",
    "aws:kms/replicaKey:ReplicaKey",
    "aws:lambda/function:Function",
    "aws:lb/listener:Listener",
    "aws:lb/listenerRule:ListenerRule",
    "aws:lb/loadBalancer:LoadBalancer",
    "aws:lb/targetGroup:TargetGroup",
    "aws:mq/broker:Broker",
    "aws:msk/cluster:Cluster",
    "aws:msk/replicator:Replicator",
    "aws:mskconnect/connector:Connector",
    "aws:neptune/cluster:Cluster",
    "aws:networkfirewall/firewall:Firewall",
    "aws:networkfirewall/firewallPolicy:FirewallPolicy",
    "aws:networkfirewall/ruleGroup:RuleGroup",
    "aws:opensearch/domain:Domain",
    "aws:opensearch/serverlessCollection:ServerlessCollection",
    "aws:pipes/pipe:Pipe",
    "aws:rds/cluster:Cluster",
    "aws:rds/clusterInstance:ClusterInstance",
    "aws:rds/clusterSnapshot:ClusterSnapshot",
    "aws:rds/clusterSnapshotCopy:ClusterSnapshotCopy",
    "aws:rds/instance:Instance",
    "aws:rds/proxy:Proxy",
    "aws:rds/snapshot:Snapshot",
    "aws:rds/snapshotCopy:SnapshotCopy",
    "aws:redshift/cluster:Cluster",
    "aws:redshift/subnetGroup:SubnetGroup",
    "aws:redshiftserverless/namespace:Namespace",
    "aws:redshiftserverless/workgroup:Workgroup",
    "aws:route53/zone:Zone",
    "aws:s3/bucket:Bucket",
    "aws:s3/bucketV2:BucketV2",
    "aws:sagemaker/dataQualityJobDefinition:DataQualityJobDefinition",
    "aws:sagemaker/endpointConfiguration:EndpointConfiguration",
    "aws:sagemaker/featureGroup:FeatureGroup",
    "aws:sagemaker/model:Model",
    "aws:sagemaker/monitoringSchedule:MonitoringSchedule",
    "aws:sagemaker/notebookInstance:NotebookInstance",
    "aws:secretsmanager/secret:Secret",
    "aws:servicediscovery/httpNamespace:HttpNamespace",
    "aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace",
    "aws:servicediscovery/publicDnsNamespace:PublicDnsNamespace",
    "aws:servicediscovery/service:Service",
    "aws:sfn/stateMachine:StateMachine",
    "aws:sns/topic:Topic",
    "aws:sqs/queue:Queue",
    "aws:ssm/document:Document",
    "aws:transfer/connector:Connector",
    "aws:transfer/server:Server",
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    "aws:wafv2/ruleGroup:RuleGroup",
    "aws:wafv2/webAcl:WebAcl",
    "aws:workspaces/workspace:Workspace",
})


def provider_default_tags(resource: Any) -> Any:
    """The tags a resource's provider adds to it (`defaultTags.tags`; a stack policy's resources carry their provider
    too): {} without a provider or any default tags, UNKNOWN while they are unknown."""
    provider = resource.provider
    if provider is None:
        return {}
    default_tags = json_object(peek(provider.props, "defaultTags"))
    tags = peek(default_tags, "tags") if is_map(default_tags) else default_tags
    return tags if is_map(tags) or tags is UNKNOWN else {}


# Types whose `tags` is a list of blocks (`{key, value, propagateAtLaunch}`), with no `tagsAll`: the provider's
# default tags do not reach them (terraform-provider-aws applies them to "all resources except Auto Scaling Groups").
LISTED_TAGS = frozenset({"aws:autoscaling/group:Group"})


# Types whose `tags` is no tagging of the resource but a filter picking other resources by their tags, and which AWS
# gives no tags of their own (nor the provider default tags: they have no `tagsAll`): an Inspector Classic resource
# group (CreateResourceGroup takes resourceGroupTags only; SetTagsForResource tags assessment templates), a DevOps
# Guru resource collection (a block naming an app boundary key; DevOps Guru has no tagging API).
SELECTOR_TAGS = frozenset({"aws:inspector/resourceGroup:ResourceGroup",
                           "aws:devopsguru/resourceCollection:ResourceCollection"})


def effective_tags(args: ResourceValidationArgs, required: Iterable[str] = ()) -> Mapping[str, Any]:
    """The tags AWS gets for the resource: its `tags` over its provider's default tags, with `tagsAll` (which the
    provider's check fills in without the keys its `ignoreTags` names, though it sends them). The default tags are read
    only where `tagsAll` and `tags` lack one of the `required` keys (unknown, they leave the resource unjudged)."""
    if args.resource_type in LISTED_TAGS:
        return {dig(tag, "key"): dig(tag, "value") for tag in as_list(args.props.get("tags")) if is_map(tag)}
    tags_all, own = args.props.get("tagsAll"), args.props.get("tags")
    found = {**(tags_all if is_map(tags_all) else {}), **(own if is_map(own) else {})}
    if required and all(_has(found, key) for key in required):
        return found
    defaults = provider_default_tags(args)
    if defaults is UNKNOWN:
        cannot_judge("provider", "defaultTags")  # they may hold the keys asked for
    return {**(tags_all if is_map(tags_all) else {}), **(defaults if is_map(defaults) else {}),
            **(own if is_map(own) else {})}


def _has(tags: Mapping[str, Any], key: str) -> bool:
    """Whether the tags carry `key` with a value (an empty or blank one counts as missing)."""
    return bool(str(tags.get(key) or "").strip())


def _taggable(args: ResourceValidationArgs) -> bool:
    """A listed type, or any other AWS resource that takes tags (components and providers are not checked), but for a
    type whose `tags` picks other resources (`SELECTOR_TAGS`)."""
    if args.resource_type in TAGGABLE_TYPES:
        return True
    if args.resource_type in SELECTOR_TAGS:
        return False
    aws = args.resource_type.startswith("aws:")
    return aws and (is_present(args.props, "tags") or is_present(args.props, "tagsAll"))


@resource_policy(
    "tags-resource-required", None,
    description="Taggable AWS resources must carry the tag keys the policy config lists in requiredTags (tags plus "
                "provider default tags, as sent, and tagsAll); it lists none by default, so the policy requires "
                "nothing until configured.",
    severity=Severity.LOW,
    anchors=("Config required-tags",),
    # A tag key is 1-128 characters, and a resource holds at most 50 tags: a longer list could never be met.
    config={"requiredTags": string_list("Tag keys every taggable resource must carry (non-empty); none by default.",
                                        DEFAULT_REQUIRED_TAGS, item={"minLength": 1, "maxLength": 128},
                                        max_items=50)},
    # The Config rule checks the keys it is given: tag1Key is a required parameter, tag2Key..tag6Key optional (AWS
    # Config developer guide, required-tags); no default of ours stands for them.
    anchor_note="its tag1Key..tag6Key are knob `requiredTags`",
)
def required_tags(args: ResourceValidationArgs) -> Iterator[str]:
    """the tag keys in knob `requiredTags` are non-empty; the knob lists none by default, so without a policy config
    the policy requires nothing"""
    required = config_list(args, "requiredTags")
    if not required:
        args.not_applicable("no requiredTags configured")
    if not _taggable(args):
        args.not_applicable("not a taggable resource")
    tags = effective_tags(args, required)
    missing = [key for key in required if not _has(tags, key)]
    if missing:
        yield f"missing required tags: {', '.join(missing)}"
