"""Raw Amazon EMR settings: a region's block public access turned off, on with exceptions beyond port 22, on with
port 22 alone, and on with a setting known only after the update."""
import pulumi
import pulumi_aws as aws



# Each block public access setting in a region of its own: AWS keeps one per account and region.
def regional(name):
    return pulumi.ResourceOptions(provider=aws.Provider(f"{name}-region", region=name))


aws.emr.BlockPublicAccessConfiguration("bpa-off", block_public_security_group_rules=False,
                                       opts=regional("us-east-2"))
aws.emr.BlockPublicAccessConfiguration("bpa-web-open", block_public_security_group_rules=True,
                                       permitted_public_security_group_rule_ranges=[
                                           {"min_range": 22, "max_range": 22}, {"min_range": 80, "max_range": 80},
                                           {"min_range": 8000, "max_range": 8999}],
                                       opts=regional("us-west-1"))
aws.emr.BlockPublicAccessConfiguration("bpa-ssh-only", block_public_security_group_rules=True,
                                       permitted_public_security_group_rule_ranges=[
                                           {"min_range": 22, "max_range": 22}])
TAGS = {"Project": "policy-tests", "Environment": "test", "Owner": "platform-team"}
GROUP = aws.ec2.SecurityGroup("emr-clients", description="Clients of the clusters", vpc_id="vpc-0a1b2c3d4e5f60001",
                              tags=TAGS)
# Known only once the security group exists (true then): unknown in a first preview, which does not judge it.
aws.emr.BlockPublicAccessConfiguration("bpa-later", block_public_security_group_rules=GROUP.id.apply(lambda _: True),
                                       opts=regional("us-west-2"))
