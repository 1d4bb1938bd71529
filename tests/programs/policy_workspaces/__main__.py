"""Raw WorkSpaces: ones that leave a volume unencrypted (said outright, left to the provider's default, false) and
ones that encrypt both, with AWS's key or a customer managed one, one of them by a value known only after the
update."""
import pulumi_aws as aws

TAGS = {"Project": "policy-tests", "Environment": "test", "Owner": "platform-team"}
KEY = aws.kms.Key("workspaces-key", enable_key_rotation=True, tags=TAGS)
ENCRYPTED = {"user_volume_encryption_enabled": True, "root_volume_encryption_enabled": True,
             "volume_encryption_key": "alias/aws/workspaces"}


def workspace(name, **args):
    return aws.workspaces.Workspace(name, directory_id="d-0123456789", bundle_id="wsb-0123456789",
                                    user_name=name, tags=TAGS, **{**ENCRYPTED, **args})


workspace("encrypted-desk")
workspace("customer-key-desk", volume_encryption_key=KEY.arn)
# Left out, the provider sends false for both.
aws.workspaces.Workspace("plain-desk", directory_id="d-0123456789", bundle_id="wsb-0123456789", user_name="plain",
                         tags=TAGS)
workspace("open-user-desk", user_volume_encryption_enabled=False)
workspace("open-root-desk", root_volume_encryption_enabled=False)
# Known only once the key exists (true then): unknown in a first preview, which does not judge it.
workspace("later-desk", user_volume_encryption_enabled=KEY.arn.apply(lambda _: True),
          root_volume_encryption_enabled=KEY.arn.apply(lambda _: True), volume_encryption_key=KEY.arn)
