"""Raw pulumi_aws meshes: one open, one silent on egress, one closed, one whose filter is known only later."""
import pulumi
import pulumi_aws as aws

config = pulumi.Config()

open_mesh = aws.appmesh.Mesh("open-mesh", name=config.require("meshName"), spec=aws.appmesh.MeshSpecArgs(
    egress_filter=aws.appmesh.MeshSpecEgressFilterArgs(type="ALLOW_ALL")))
aws.appmesh.Mesh("unstated-mesh", name="unstated-mesh")
closed = aws.appmesh.Mesh("closed-mesh", name="closed-mesh", spec=aws.appmesh.MeshSpecArgs(
    egress_filter=aws.appmesh.MeshSpecEgressFilterArgs(type="DROP_ALL")))
# The filter depends on another resource's output: unknown in a first preview, DROP_ALL once known.
aws.appmesh.Mesh("later-mesh", name="later-mesh", spec=aws.appmesh.MeshSpecArgs(
    egress_filter=aws.appmesh.MeshSpecEgressFilterArgs(type=closed.arn.apply(lambda _: "DROP_ALL"))))

pulumi.export("openMeshArn", open_mesh.arn)
pulumi.export("token", config.require_secret("token"))
