"""Raw Redshift Serverless namespaces and workgroups: wrong ones, and right ones (said outright, left to the
provider's default, and ones whose setting another resource gives, known only after the update)."""
import pulumi_aws as aws

TAGS = {"Project": "policy-tests", "Environment": "test", "Owner": "platform-team"}
GROUP = aws.ec2.SecurityGroup("warehouse-clients", description="Clients of the workgroups",
                              vpc_id="vpc-0a1b2c3d4e5f60001", tags=TAGS)
KEY = "arn:aws:kms:us-east-1:123456789012:key/0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9"


def namespace(name, **args):
    args.setdefault("kms_key_id", KEY)
    args.setdefault("log_exports", ["connectionlog", "userlog"])
    return aws.redshiftserverless.Namespace(name, namespace_name=name, tags=TAGS, **args)


NAMESPACE = namespace("warehouse")
# The parameter of SSL-only connections, which each workgroup sets unless it is the one left without it.
SSL = [{"parameter_key": "require_ssl", "parameter_value": "true"}]


def workgroup(name, **args):
    args.setdefault("config_parameters", SSL)
    args.setdefault("enhanced_vpc_routing", True)
    return aws.redshiftserverless.Workgroup(
        name, workgroup_name=name, namespace_name=NAMESPACE.namespace_name, security_group_ids=[GROUP.id],
        subnet_ids=["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002", "subnet-0a1b2c3d4e5f60003"], tags=TAGS,
        **args)


workgroup("public-workgroup", publicly_accessible=True)
workgroup("private-workgroup", publicly_accessible=False)
workgroup("default-workgroup")
# Known only once the security group exists (false then): unknown in a first preview, which does not judge it.
workgroup("later-workgroup", publicly_accessible=GROUP.id.apply(lambda _: False))

# SSL only, among other parameters; SSL turned off outright; left out (AWS's default for a new workgroup: SSL only);
# known only after the update.
workgroup("ssl-workgroup", config_parameters=[{"parameter_key": "datestyle", "parameter_value": "ISO, MDY"}, *SSL])
workgroup("plain-workgroup", config_parameters=[{"parameter_key": "require_ssl", "parameter_value": "false"}])
workgroup("unset-ssl-workgroup", config_parameters=None)
workgroup("later-ssl-workgroup", config_parameters=[
    {"parameter_key": "require_ssl", "parameter_value": GROUP.id.apply(lambda _: "true")}])

# Enhanced VPC routing turned off outright; left out (off: COPY and UNLOAD go over the internet); known only after the
# update.
workgroup("internet-routed-workgroup", enhanced_vpc_routing=False)
workgroup("unrouted-workgroup", enhanced_vpc_routing=None)
workgroup("later-routed-workgroup", enhanced_vpc_routing=GROUP.id.apply(lambda _: True))

# A customer managed key (the helper's); none (a key of AWS's); the AWS managed key's alias; known only after the
# update.
namespace("owned-key-namespace", kms_key_id=None)
namespace("managed-key-namespace", kms_key_id="arn:aws:kms:us-east-1:123456789012:alias/aws/redshift")
namespace("later-key-namespace", kms_key_id=GROUP.arn.apply(lambda _: KEY))

# The default admin user name; a password without a name (the provider names the user admin); another; none (the
# helper's: not judged); known only after the update.
namespace("admin-namespace", admin_username="admin", manage_admin_password=True)
namespace("password-only-namespace", admin_user_password="Correct-Horse-Battery-9")
namespace("custom-admin-namespace", admin_username="warehouse_owner", manage_admin_password=True)
namespace("later-admin-namespace", admin_username=GROUP.id.apply(lambda _: "warehouse_owner"),
          manage_admin_password=True)

# No logs exported (left out); the user activity log only; all three; known only after the update.
namespace("silent-namespace", log_exports=None)
namespace("activity-log-namespace", log_exports=["useractivitylog"])
namespace("logged-namespace", log_exports=["connectionlog", "userlog", "useractivitylog"])
namespace("later-logged-namespace", log_exports=[GROUP.id.apply(lambda _: "connectionlog"), "userlog"])
