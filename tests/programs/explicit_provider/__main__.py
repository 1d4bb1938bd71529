"""A mesh whose tags come only from an explicit provider's default tags."""
import pulumi
import pulumi_aws as aws

tagged = aws.Provider("tagged", region="us-west-2", default_tags=aws.ProviderDefaultTagsArgs(
    tags={"Owner": "platform-team", "Environment": "test", "Project": "explicit-provider", "CostCenter": "shop"}))
aws.appmesh.Mesh("provider-tagged", name="provider-tagged", spec=aws.appmesh.MeshSpecArgs(
    egress_filter=aws.appmesh.MeshSpecEgressFilterArgs(type="DROP_ALL"),
    service_discovery=aws.appmesh.MeshSpecServiceDiscoveryArgs(ip_preference="IPv4_ONLY")),
    opts=pulumi.ResourceOptions(provider=tagged))
aws.appmesh.Mesh("untagged", name="untagged", spec=aws.appmesh.MeshSpecArgs(
    egress_filter=aws.appmesh.MeshSpecEgressFilterArgs(type="DROP_ALL"),
    service_discovery=aws.appmesh.MeshSpecServiceDiscoveryArgs(ip_preference="IPv4_ONLY")))
