"""Raw transit gateways: one left to the default (shared attachments wait for acceptance), one that says so, and one
that accepts every attachment an account it is shared with asks for. A setting another resource gives, known only
after the update, is not judged."""
import pulumi_aws as aws

TAGS = {"Project": "policy-tests", "Environment": "test", "Owner": "platform-team"}

core = aws.ec2transitgateway.TransitGateway("core-tgw", description="core", tags=TAGS)
aws.ec2transitgateway.TransitGateway("reviewed-tgw", auto_accept_shared_attachments="disable", tags=TAGS)
aws.ec2transitgateway.TransitGateway("open-tgw", auto_accept_shared_attachments="enable", tags=TAGS)
# A setting known only after the update.
aws.ec2transitgateway.TransitGateway("later-tgw", auto_accept_shared_attachments=core.id.apply(lambda _: "disable"),
                                     tags=TAGS)
